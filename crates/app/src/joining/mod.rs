//! Joining an agreement (anslutning). An organisation's administrator, a
//! city body's official or a person as active citizen applies, accepting the
//! agreement's principles; a coordinator approves, or declines with a reason;
//! the party may withdraw. Each step is audited and told by e-mail.

use crate::accounts::CurrentUser;
use crate::mail::OutgoingMail;
use crate::roles::Roles;
use crate::{App, Error, FieldError, Result};
use samverkan_db::joining::{AccessionDetail, PartyKey};
use samverkan_domain::{AccessionStatus, AgreementStatus};
use serde::Serialize;
use time::{Date, OffsetDateTime};

/// Longest reason a coordinator may give.
const MAX_REASON: usize = 2000;

/// Which kind of party an application is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PartyKind {
    Organisation,
    CityBody,
    Person,
}

impl PartyKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PartyKind::Organisation => "organisation",
            PartyKind::CityBody => "city_body",
            PartyKind::Person => "person",
        }
    }
}

/// A party the signed-in person may apply for, as offered on the form.
#[derive(Debug, Clone)]
pub struct JoinOption {
    /// The form value: `person`, `organisation:<slug>` or `city-body:<slug>`.
    pub value: String,
    pub kind: PartyKind,
    pub name: String,
}

/// An application as its party and the coordinators see it.
#[derive(Debug, Clone)]
pub struct Application {
    pub id: i64,
    pub agreement: String,
    pub agreement_name: String,
    pub kind: PartyKind,
    pub party_name: String,
    /// Where the party's public page is, if it has one.
    pub party_href: Option<String>,
    pub status: AccessionStatus,
    pub applied_on: Date,
    pub decided_on: Option<Date>,
    pub withdrawn_on: Option<Date>,
    pub reason: Option<String>,
}

impl Application {
    fn from_row(row: AccessionDetail) -> Result<Application> {
        let (kind, party_name, party_href) = if let Some(slug) = row.organisation_slug {
            let href = format!("/organisations/{slug}");
            (
                PartyKind::Organisation,
                row.organisation_name.unwrap_or_default(),
                Some(href),
            )
        } else if let Some(key) = row.city_body_slug {
            (
                PartyKind::CityBody,
                row.city_body_name.unwrap_or_default(),
                Some(format!("/city-bodies#{}", key.replace('/', "-"))),
            )
        } else {
            (PartyKind::Person, row.person_name.unwrap_or_default(), None)
        };
        Ok(Application {
            id: row.id,
            agreement: row.agreement_slug,
            agreement_name: row.agreement_name,
            kind,
            party_name,
            party_href,
            status: AccessionStatus::parse(&row.status)
                .map_err(|e| Error::internal("stored status is invalid", e))?,
            applied_on: row.applied_on,
            decided_on: row.decided_on,
            withdrawn_on: row.withdrawn_on,
            reason: row.reason,
        })
    }

    /// Whether the party may still withdraw it.
    pub fn can_withdraw(&self) -> bool {
        matches!(
            self.status,
            AccessionStatus::Applied | AccessionStatus::Approved
        )
    }

    pub fn is_open(&self) -> bool {
        self.status == AccessionStatus::Applied
    }
}

/// A coordinator's decision on an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Approve,
    Decline,
}

impl Decision {
    pub fn parse(text: &str) -> Result<Decision> {
        match text {
            "approve" => Ok(Decision::Approve),
            "decline" => Ok(Decision::Decline),
            _ => Err(Error::Validation(vec![FieldError::new(
                "decision",
                "decision-missing",
                "choose whether to approve or decline",
            )])),
        }
    }
}

/// Whether an agreement in this state takes applications: only one that is
/// adopted and in force.
pub fn takes_applications(status: AgreementStatus) -> bool {
    status == AgreementStatus::Adopted
}

/// The mail that confirms an application to its applicant, in Swedish and
/// English.
fn application_received(user: &CurrentUser, name: &str, base: &str) -> OutgoingMail {
    OutgoingMail {
        to: user.email.clone(),
        subject: format!("Samverkan: ansökan om anslutning till {name}"),
        body: format!(
            "Hej {who}!\n\nVi har tagit emot ansökan om att ansluta till {name}. En samordnare går igenom den, och du får besked med e-post.\n\
             Du kan följa ansökan och dra tillbaka den på {base}/account\n\n\
             Hello {who}!\n\nWe have received the application to join {name}. A coordinator will review it, and you will hear by e-mail.\n\
             You can follow the application and withdraw it at {base}/account\n",
            who = user.display_name
        ),
    }
}

/// Refuses a decline without a reason, and a reason that is too long.
fn check_decision_reason(decision: Decision, reason: &str) -> Result<()> {
    if decision == Decision::Decline && reason.is_empty() {
        return Err(Error::Validation(vec![FieldError::new(
            "reason",
            "decline-reason-missing",
            "write the reason for declining; the applicant will read it",
        )]));
    }
    if reason.chars().count() > MAX_REASON {
        return Err(Error::Validation(vec![FieldError::new(
            "reason",
            "reason-too-long",
            "write the reason in at most 2,000 characters",
        )]));
    }
    Ok(())
}

/// The mail that tells the applicant of the decision (and its reason), in
/// Swedish and English.
fn decision_mail(
    application: &Application,
    decision: Decision,
    reason: Option<&str>,
    applicant: samverkan_db::accounts::UserRow,
) -> OutgoingMail {
    let name = &application.agreement_name;
    let party = &application.party_name;
    let (sv, en) = match decision {
        Decision::Approve => (
            format!(
                "Ansökan om att {party} ska ansluta till {name} är godkänd. Välkommen som part!"
            ),
            format!("The application for {party} to join {name} is approved. Welcome as a party!"),
        ),
        Decision::Decline => (
            format!("Ansökan om att {party} ska ansluta till {name} har avslagits."),
            format!("The application for {party} to join {name} has been declined."),
        ),
    };
    let reason_text = reason
        .map(|r| format!("\nMotivering / Reason:\n{r}\n"))
        .unwrap_or_default();
    OutgoingMail {
        to: applicant.email,
        subject: format!("Samverkan: beslut om anslutning till {name}"),
        body: format!(
            "Hej {who}!\n\n{sv}\n{reason_text}\nHello {who}!\n\n{en}\n",
            who = applicant.display_name
        ),
    }
}

impl App {
    /// The parties `roles` may apply for: the person, the organisations they
    /// administer and the city bodies they are an official of.
    pub fn join_options(&self, user: &CurrentUser, roles: &Roles) -> Vec<JoinOption> {
        let mut options = vec![JoinOption {
            value: "person".into(),
            kind: PartyKind::Person,
            name: user.display_name.clone(),
        }];
        for o in roles
            .organisations
            .iter()
            .filter(|o| roles.is_admin_of(&o.slug))
        {
            options.push(JoinOption {
                value: format!("organisation:{}", o.slug),
                kind: PartyKind::Organisation,
                name: o.name.clone(),
            });
        }
        for (slug, name) in &roles.bodies {
            options.push(JoinOption {
                value: format!("city-body:{slug}"),
                kind: PartyKind::CityBody,
                name: name.clone(),
            });
        }
        options
    }

    /// Resolves a form value to a party the person may act for.
    async fn party_for(&self, roles: &Roles, value: &str) -> Result<PartyKey> {
        let refused = || {
            Error::Validation(vec![FieldError::new(
                "party",
                "join-party-invalid",
                "choose one of the parties you may apply for",
            )])
        };
        if value == "person" {
            return Ok(PartyKey::Person(roles.user_id));
        }
        if let Some(slug) = value.strip_prefix("organisation:") {
            if !roles.is_admin_of(slug) {
                return Err(refused());
            }
            let (id, _) = self
                .db()
                .organisation_key(slug)
                .await?
                .ok_or_else(refused)?;
            return Ok(PartyKey::Organisation(id));
        }
        if let Some(slug) = value.strip_prefix("city-body:") {
            if !roles.is_official_of(slug) {
                return Err(refused());
            }
            let id = self.db().city_body_id(slug).await?.ok_or_else(refused)?;
            return Ok(PartyKey::CityBody(id));
        }
        Err(refused())
    }

    /// The party an application is for, checked with the acceptance of the
    /// principles: every problem of both is reported.
    async fn joining_party(
        &self,
        roles: &Roles,
        party: &str,
        accepts_principles: bool,
    ) -> Result<PartyKey> {
        let mut errors = Vec::new();
        let key = match self.party_for(roles, party).await {
            Ok(k) => Some(k),
            Err(Error::Validation(mut e)) => {
                errors.append(&mut e);
                None
            }
            Err(e) => return Err(e),
        };
        if !accepts_principles {
            errors.push(FieldError::new(
                "accept",
                "join-accept-missing",
                "to join you must accept the agreement's principles",
            ));
        }
        match key.filter(|_| errors.is_empty()) {
            Some(key) => Ok(key),
            None => Err(Error::Validation(errors)),
        }
    }

    /// Applies to join `agreement` for `party`, accepting its principles.
    /// Returns the application's id.
    pub async fn apply_to_join(
        &self,
        user: &CurrentUser,
        roles: &Roles,
        agreement: &str,
        party: &str,
        accepts_principles: bool,
    ) -> Result<i64> {
        let snapshot = self.public().await?;
        let record = snapshot.agreement(agreement)?;
        if !takes_applications(record.summary.status) {
            return Err(Error::conflict(
                "accession-closed",
                "the agreement takes applications only while it is adopted and in force",
            ));
        }
        let key = self.joining_party(roles, party, accepts_principles).await?;
        self.throttle(
            crate::throttle::MailAction::Application,
            crate::throttle::Source::Account(user.id),
            None,
        )
        .await?;
        let agreement_id = self
            .db()
            .agreement_id(agreement)
            .await?
            .ok_or(Error::NotFound("agreement"))?;
        let now = OffsetDateTime::now_utc();
        let mut tx = self.db().begin().await?;
        if tx.live_accession(agreement_id, key).await?.is_some() {
            return Err(Error::Validation(vec![FieldError::new(
                "party",
                "join-already",
                "this party has already applied or joined",
            )]));
        }
        let id = tx
            .apply_to_join(agreement_id, key, user.id, now.date())
            .await?;
        let name = record.summary.short_name.clone();
        let base = self.base_url();
        self.enqueue_mail(&mut tx, &application_received(user, &name, &base), now)
            .await?;
        for (_, coordinator, email) in self.db().coordinators_of(agreement_id).await? {
            self.enqueue_mail(
                &mut tx,
                &OutgoingMail {
                    to: email,
                    subject: format!("Samverkan: ny ansökan om anslutning till {name}"),
                    body: format!(
                        "Hej {coordinator}!\n\nEn ny ansökan om att ansluta till {name} väntar på beslut:\n{base}/agreements/{agreement}/applications\n\n\
                         Hello {coordinator}!\n\nA new application to join {name} awaits a decision:\n{base}/agreements/{agreement}/applications\n"
                    ),
                },
                now,
            )
            .await?;
        }
        tx.audit(
            now,
            Some(user.id),
            "accession-applied",
            &format!("{agreement}#{id}"),
            party,
        )
        .await?;
        tx.commit().await?;
        self.jobs_enqueued();
        Ok(id)
    }

    /// The applications to an agreement, for its coordinators.
    pub async fn applications(&self, roles: &Roles, agreement: &str) -> Result<Vec<Application>> {
        if !roles.coordinates(agreement) {
            return Err(Error::Forbidden("not a coordinator of this agreement"));
        }
        let agreement_id = self
            .db()
            .agreement_id(agreement)
            .await?
            .ok_or(Error::NotFound("agreement"))?;
        self.db()
            .accessions_of_agreement(agreement_id)
            .await?
            .into_iter()
            .map(Application::from_row)
            .collect()
    }

    /// The applications of the parties a person acts for.
    pub async fn my_applications(&self, user: &CurrentUser) -> Result<Vec<Application>> {
        self.db()
            .accessions_for_person(user.id)
            .await?
            .into_iter()
            .map(Application::from_row)
            .collect()
    }

    /// Approves or declines an open application to `agreement`. A decline
    /// needs a reason; the applicant hears by e-mail either way.
    pub async fn decide_application(
        &self,
        user: &CurrentUser,
        roles: &Roles,
        agreement: &str,
        id: i64,
        decision: Decision,
        reason: &str,
    ) -> Result<()> {
        if !roles.coordinates(agreement) {
            return Err(Error::Forbidden("not a coordinator of this agreement"));
        }
        let row = self
            .db()
            .accession(id)
            .await?
            .filter(|r| r.agreement_slug == agreement)
            .ok_or(Error::NotFound("application"))?;
        let reason = reason.trim();
        check_decision_reason(decision, reason)?;
        let status = match decision {
            Decision::Approve => AccessionStatus::Approved,
            Decision::Decline => AccessionStatus::Declined,
        };
        let now = OffsetDateTime::now_utc();
        let mut tx = self.db().begin().await?;
        let reason = (!reason.is_empty()).then_some(reason);
        if !tx
            .decide_accession(id, status.as_str(), user.id, now.date(), reason)
            .await?
        {
            return Err(Error::conflict(
                "application-decided",
                "the application has already been decided or withdrawn",
            ));
        }
        let applied_by = row.applied_by;
        let application = Application::from_row(row)?;
        if let Some(applicant) = match applied_by {
            Some(id) => self.db().user_by_id(id).await?,
            None => None,
        } {
            let mail = decision_mail(&application, decision, reason, applicant);
            self.enqueue_mail(&mut tx, &mail, now).await?;
        }
        tx.audit(
            now,
            Some(user.id),
            match decision {
                Decision::Approve => "accession-approved",
                Decision::Decline => "accession-declined",
            },
            &format!("{agreement}#{id}"),
            &format!("{}: {}", application.party_name, reason.unwrap_or("")),
        )
        .await?;
        self.commit_public(tx).await?;
        self.jobs_enqueued();
        Ok(())
    }

    /// Withdraws an application or a membership of the agreement, by someone
    /// who may act for the party. The coordinators hear by e-mail.
    pub async fn withdraw_application(
        &self,
        user: &CurrentUser,
        roles: &Roles,
        id: i64,
    ) -> Result<()> {
        let row = self
            .db()
            .accession(id)
            .await?
            .ok_or(Error::NotFound("application"))?;
        let may = match (&row.organisation_slug, &row.city_body_slug, row.user_id) {
            (Some(org), _, _) => roles.is_admin_of(org),
            (_, Some(body), _) => roles.is_official_of(body),
            (_, _, Some(person)) => person == user.id,
            _ => false,
        };
        if !may {
            // Someone else's application is not theirs to see.
            return Err(Error::NotFound("application"));
        }
        let agreement_id = row.agreement_id;
        let application = Application::from_row(row)?;
        let now = OffsetDateTime::now_utc();
        let mut tx = self.db().begin().await?;
        if !tx.withdraw_accession(id, now.date()).await? {
            return Err(Error::conflict(
                "application-declined",
                "the application has already been declined or withdrawn",
            ));
        }
        let base = self.base_url();
        let name = &application.agreement_name;
        let party = &application.party_name;
        for (_, coordinator, email) in self.db().coordinators_of(agreement_id).await? {
            self.enqueue_mail(
                &mut tx,
                &OutgoingMail {
                    to: email,
                    subject: format!("Samverkan: {party} har dragit tillbaka sin anslutning till {name}"),
                    body: format!(
                        "Hej {coordinator}!\n\n{party} har dragit tillbaka sin ansökan eller anslutning till {name}.\n{base}/agreements/{agreement}/applications\n\n\
                         Hello {coordinator}!\n\n{party} has withdrawn its application to, or membership of, {name}.\n",
                        agreement = application.agreement
                    ),
                },
                now,
            )
            .await?;
        }
        self.enqueue_mail(
            &mut tx,
            &OutgoingMail {
                to: user.email.clone(),
                subject: format!("Samverkan: anslutningen till {name} är tillbakadragen"),
                body: format!(
                    "Hej {who}!\n\n{party} är inte längre part i, eller sökande till, {name}.\n\n\
                     Hello {who}!\n\n{party} is no longer a party to, or applicant for, {name}.\n",
                    who = user.display_name
                ),
            },
            now,
        )
        .await?;
        tx.audit(
            now,
            Some(user.id),
            "accession-withdrawn",
            &format!("{}#{id}", application.agreement),
            party,
        )
        .await?;
        self.commit_public(tx).await?;
        self.jobs_enqueued();
        Ok(())
    }
}
