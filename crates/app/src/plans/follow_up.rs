//! Following an activity up: dated progress updates by the responsible
//! parties (published at once, and applied to the activity's progress,
//! status and milestones), partners' proposals that a responsible party
//! accepts or declines, the self-assessment against each principle, and the
//! page of a person's own activities with the updates that are due.

use crate::accounts::CurrentUser;
use crate::plans::activities::{ActivityRef, Author, parse_date};
use crate::plans::views::Activity;
use crate::roles::Roles;
use crate::snapshot::AgreementRecord;
use crate::{App, Error, FieldError, Result};
use samverkan_db::Tx;
pub use samverkan_db::plans::UpdateRow;
use samverkan_db::plans::{NewChange, NewUpdate};
use samverkan_domain::{ActivityStatus, Progress, Score, UpdateState};
use time::{Date, OffsetDateTime};

/// A progress update as typed.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct UpdateForm {
    /// `YYYY-MM-DD`; today when empty.
    pub written_on: String,
    pub body: String,
    /// Per cent, or empty to leave progress as it is.
    pub progress: String,
    /// A new status, or empty to keep it.
    pub status: String,
    /// The title of the milestone reached, or empty.
    pub milestone: String,
    /// `organisation:<slug>` or `city_body:<slug>`: the party written for;
    /// the first the person acts for when empty.
    pub party: String,
}

/// An update that passed its checks.
#[derive(Debug, Clone)]
pub struct CheckedUpdate {
    pub written_on: Date,
    pub body: String,
    pub progress: Option<i32>,
    pub status: Option<ActivityStatus>,
    pub milestone: Option<String>,
}

fn problem(field: &'static str, code: &'static str, message: impl Into<String>) -> FieldError {
    FieldError::new(field, code, message)
}

/// Checks an update against the activity it is for.
pub fn check_update(
    form: &UpdateForm,
    activity: &Activity,
    today: Date,
) -> std::result::Result<CheckedUpdate, Vec<FieldError>> {
    let mut errors = Vec::new();
    let written_on = if form.written_on.trim().is_empty() {
        Some(today)
    } else {
        parse_date(&form.written_on)
    };
    match written_on {
        None => errors.push(problem(
            "written_on",
            "activity-date",
            format!(
                "'{}' is not a date; write it as 2024-03-31",
                form.written_on.trim()
            ),
        )),
        Some(d) if d > today => errors.push(problem(
            "written_on",
            "update-in-future",
            "an update tells what has happened; give today's date or an earlier one",
        )),
        _ => {}
    }
    let body = form.body.trim().replace("\r\n", "\n");
    if body.is_empty() || body.chars().count() > 4000 {
        errors.push(problem(
            "body",
            "update-body",
            "write what has happened, in at most 4,000 characters",
        ));
    }
    let progress = match form.progress.trim() {
        "" => None,
        t => match Progress::parse(t) {
            Ok(p) => Some(p.percent() as i32),
            Err(e) => {
                errors.push(problem("progress", "activity-progress", e.0));
                None
            }
        },
    };
    let status = match form.status.trim() {
        "" => None,
        t => match ActivityStatus::parse(t) {
            Ok(s) => Some(s),
            Err(e) => {
                errors.push(problem("status", "activity-status", e.0));
                None
            }
        },
    };
    let milestone = match form.milestone.trim() {
        "" => None,
        t if activity.milestones.iter().any(|m| m.title == t) => Some(t.to_owned()),
        t => {
            errors.push(problem(
                "milestone",
                "update-milestone",
                format!("'{t}' is not a milestone of this activity"),
            ));
            None
        }
    };
    if errors.is_empty() {
        Ok(CheckedUpdate {
            written_on: written_on.unwrap_or(today),
            body,
            progress,
            status,
            milestone,
        })
    } else {
        Err(errors)
    }
}

/// Publishes an update in an open transaction: writes it, and applies its
/// progress, status and milestone to the activity, recording the changed
/// fields in the history as the same author. `proposal` is the id of an
/// accepted proposal (already written), else a new update is written.
pub(crate) async fn publish(
    tx: &mut Tx,
    activity_id: i64,
    update: &CheckedUpdate,
    author: &Author,
    party: &str,
    now: OffsetDateTime,
) -> Result<i64> {
    let row = tx
        .activity_row(activity_id)
        .await?
        .ok_or(Error::NotFound("activity"))?;
    let milestone_id = match &update.milestone {
        Some(title) => tx.milestone_id(activity_id, title).await?,
        None => None,
    };
    let id = tx
        .insert_update(&NewUpdate {
            activity_id,
            written_on: update.written_on,
            state: UpdateState::Published.as_str(),
            body: &update.body,
            progress: update.progress,
            status: update.status.map(|s| s.as_str()),
            milestone_id,
            author_id: author.user_id,
            author_name: &author.name,
            party_name: party,
            created_at: now,
        })
        .await?;
    apply(tx, &row, update, milestone_id, author, now).await?;
    Ok(id)
}

async fn apply(
    tx: &mut Tx,
    row: &samverkan_db::plans::ActivityRow,
    update: &CheckedUpdate,
    milestone_id: Option<i64>,
    author: &Author,
    now: OffsetDateTime,
) -> Result<()> {
    let mut values = crate::plans::activities::values_of(row);
    let mut changes: Vec<(&'static str, String, String)> = Vec::new();
    if let Some(p) = update.progress
        && p != row.progress
    {
        changes.push(("progress", row.progress.to_string(), p.to_string()));
        values.progress = p;
    }
    if let Some(s) = update.status
        && s.as_str() != row.status
    {
        changes.push(("status", row.status.clone(), s.as_str().to_owned()));
        values.status = s.as_str().to_owned();
    }
    if let Some(id) = milestone_id {
        tx.reach_milestone(id, update.written_on).await?;
    }
    if changes.is_empty() {
        return Ok(());
    }
    if !tx
        .update_activity(row.id, row.version, &values, now)
        .await?
    {
        return Err(Error::stale(
            "stale-activity",
            "the activity was changed by someone else meanwhile",
        ));
    }
    for (field, before, after) in &changes {
        tx.record_change(&NewChange {
            activity_id: row.id,
            version: row.version + 1,
            changed_at: now,
            author_id: author.user_id,
            author_name: &author.name,
            field,
            before,
            after,
        })
        .await?;
    }
    Ok(())
}

/// An activity someone answers for or takes part in, with what awaits them.
#[derive(Debug, Clone)]
pub struct MyActivity {
    pub agreement: String,
    pub agreement_name: String,
    pub activity: Activity,
    pub responsible: bool,
    pub proposals: Vec<UpdateRow>,
}

/// The self-assessment form: one score and comment per principle slug.
#[derive(Debug, Clone, Default)]
pub struct AssessmentForm {
    /// (principle slug, score as typed, comment)
    pub rows: Vec<(String, String, String)>,
}

impl App {
    /// The parties of the activity someone may write for, as
    /// (`kind:slug`, name): responsible parties first.
    pub fn parties_for(
        roles: &Roles,
        record: &AgreementRecord,
        activity: &Activity,
    ) -> Vec<(String, String)> {
        let municipality = &record.summary.municipality.slug;
        activity
            .all_parties()
            .filter(|p| roles.acts_for(municipality, p))
            .map(|p| (format!("{}:{}", p.kind, p.slug), p.name.clone()))
            .collect()
    }

    /// Writes a progress update. Someone who answers for the activity
    /// publishes it at once; a partner's update waits as a proposal.
    /// Returns whether it was published.
    pub async fn post_update(
        &self,
        user: &CurrentUser,
        roles: &Roles,
        at: ActivityRef<'_>,
        form: &UpdateForm,
    ) -> Result<bool> {
        let (snapshot, activities) = self.with_activities(at.agreement).await?;
        let (record, activity) = at.find(&snapshot, &activities)?;
        let responsible = roles.answers_for(record, activity);
        if !responsible && !roles.is_partner_in(record, activity) {
            return Err(Error::Forbidden("not a party to this activity"));
        }
        let checked = check_update(form, activity, snapshot.today).map_err(Error::Validation)?;
        let choices = Self::parties_for(roles, record, activity);
        let party = match form.party.trim() {
            "" => choices.first().map(|c| c.1.clone()),
            key => choices.iter().find(|c| c.0 == key).map(|c| c.1.clone()),
        };
        let party = match party {
            Some(p) => p,
            None if roles.coordinates(at.agreement) => record.summary.short_name.clone(),
            None => {
                return Err(Error::Validation(vec![problem(
                    "party",
                    "update-party",
                    "choose a party of the activity that you act for",
                )]));
            }
        };
        if !responsible {
            // A proposal mails the responsible parties.
            self.throttle(
                crate::throttle::MailAction::Proposal,
                crate::throttle::Source::Account(user.id),
                None,
            )
            .await?;
        }
        let author = Author {
            user_id: Some(user.id),
            name: user.display_name.clone(),
        };
        let now = OffsetDateTime::now_utc();
        let mut tx = self.db().begin().await?;
        if responsible {
            publish(&mut tx, activity.id, &checked, &author, &party, now).await?;
        } else {
            let milestone_id = match &checked.milestone {
                Some(t) => tx.milestone_id(activity.id, t).await?,
                None => None,
            };
            tx.insert_update(&NewUpdate {
                activity_id: activity.id,
                written_on: checked.written_on,
                state: UpdateState::Proposed.as_str(),
                body: &checked.body,
                progress: checked.progress,
                status: checked.status.map(|s| s.as_str()),
                milestone_id,
                author_id: Some(user.id),
                author_name: &user.display_name,
                party_name: &party,
                created_at: now,
            })
            .await?;
            let base = self.base_url();
            let link = format!(
                "{base}/agreements/{}/plans/{}/activities/{}#updates",
                at.agreement, at.plan, at.slug
            );
            for (email, name) in tx.responsible_people(activity.id).await? {
                let mail = crate::mail::OutgoingMail {
                    to: email,
                    subject: format!("Samverkan: förslag till uppdatering av {}", activity.title),
                    body: format!(
                        "Hej {name}!\n\n{author} ({party}) föreslår en uppdatering av aktiviteten {title}:\n\n{body}\n\n\
                         Godkänn eller avböj förslaget på {link}\n\n\
                         Hello {name}!\n\n{author} ({party}) proposes an update of the activity {title}. \
                         Accept or decline it at {link}\n",
                        author = user.display_name,
                        title = activity.title,
                        body = checked.body,
                    ),
                };
                self.enqueue_mail(&mut tx, &mail, now).await?;
            }
        }
        self.commit_public(tx).await?;
        Ok(responsible)
    }

    /// The proposals waiting on an activity, for someone who answers for it.
    pub async fn proposals(&self, roles: &Roles, at: ActivityRef<'_>) -> Result<Vec<UpdateRow>> {
        let (snapshot, activities) = self.with_activities(at.agreement).await?;
        let (record, activity) = at.find(&snapshot, &activities)?;
        if !roles.answers_for(record, activity) {
            return Ok(Vec::new());
        }
        Ok(self.db().proposals_of(activity.id).await?)
    }

    /// Accepts (publishes and applies) or declines a partner's proposal.
    pub async fn decide_proposal(
        &self,
        user: &CurrentUser,
        roles: &Roles,
        at: ActivityRef<'_>,
        update_id: i64,
        accept: bool,
    ) -> Result<()> {
        let (snapshot, activities) = self.with_activities(at.agreement).await?;
        let (_, activity) = at.find_for_team(&snapshot, &activities, roles)?;
        let now = OffsetDateTime::now_utc();
        let mut tx = self.db().begin().await?;
        let proposal = tx
            .update_row(update_id)
            .await?
            .filter(|u| u.activity_id == activity.id)
            .ok_or(Error::NotFound("proposal"))?;
        let state = if accept {
            UpdateState::Published
        } else {
            UpdateState::Declined
        };
        if !tx
            .decide_update(update_id, state.as_str(), user.id, now, proposal.written_on)
            .await?
        {
            return Err(Error::conflict(
                "proposal-decided",
                "the proposal has already been decided",
            ));
        }
        if accept {
            let row = tx
                .activity_row(activity.id)
                .await?
                .ok_or(Error::NotFound("activity"))?;
            let checked = CheckedUpdate {
                written_on: proposal.written_on,
                body: proposal.body.clone(),
                progress: proposal.progress,
                status: proposal
                    .status
                    .as_deref()
                    .map(ActivityStatus::parse)
                    .transpose()
                    .map_err(|e| Error::internal("stored value is invalid", e))?,
                milestone: None,
            };
            let author = Author {
                user_id: proposal.author_id,
                name: proposal.author_name.clone(),
            };
            apply(&mut tx, &row, &checked, proposal.milestone_id, &author, now).await?;
        }
        self.commit_public(tx).await?;
        Ok(())
    }

    /// Sets the self-assessment of an activity: each principle with a score
    /// is written; a principle left without a score keeps what it had.
    pub async fn assess(
        &self,
        user: &CurrentUser,
        roles: &Roles,
        at: ActivityRef<'_>,
        form: &AssessmentForm,
    ) -> Result<usize> {
        let (snapshot, activities) = self.with_activities(at.agreement).await?;
        let (_, activity) = at.find_for_team(&snapshot, &activities, roles)?;
        let refs = self.refs_of(at.agreement).await?;
        let mut errors = Vec::new();
        let mut rows = Vec::new();
        for (principle, score, comment) in &form.rows {
            let Some(principle_id) = refs.principles.get(principle.as_str()) else {
                errors.push(problem(
                    "principle",
                    "activity-unknown",
                    format!("'{principle}' is not a principle of this agreement"),
                ));
                continue;
            };
            if score.trim().is_empty() {
                continue;
            }
            match Score::parse(score) {
                Ok(s) if comment.trim().chars().count() <= 1000 => {
                    rows.push((*principle_id, s.get() as i32, comment.trim().to_owned()))
                }
                Ok(_) => errors.push(problem(
                    "comment",
                    "assessment-comment",
                    "write each comment in at most 1,000 characters",
                )),
                Err(e) => errors.push(problem("score", "assessment-score", e.0)),
            }
        }
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let mut tx = self.db().begin().await?;
        for (principle_id, score, comment) in &rows {
            tx.set_assessment(
                activity.id,
                *principle_id,
                *score,
                comment,
                snapshot.today,
                Some(user.id),
            )
            .await?;
        }
        self.commit_public(tx).await?;
        Ok(rows.len())
    }

    /// The activities a person answers for or is a partner in, across every
    /// agreement, with the proposals awaiting them; due ones first.
    pub async fn my_activities(&self, roles: &Roles) -> Result<Vec<MyActivity>> {
        let snapshot = self.public().await?;
        let mut out = Vec::new();
        for id in self
            .db()
            .agreements_with_activities_of(roles.user_id)
            .await?
        {
            let Some(record) = snapshot.agreement_by_id(id) else {
                continue;
            };
            let activities = self.activities(record).await?;
            let municipality = &record.summary.municipality.slug;
            for a in &activities.activities {
                let responsible = a
                    .responsible
                    .iter()
                    .any(|p| roles.acts_for(municipality, p));
                let partner = a.partners.iter().any(|p| roles.acts_for(municipality, p));
                if responsible || partner {
                    out.push(MyActivity {
                        agreement: record.slug().to_owned(),
                        agreement_name: record.summary.short_name.clone(),
                        activity: a.clone(),
                        responsible,
                        proposals: Vec::new(),
                    });
                }
            }
        }
        let ids: Vec<i64> = out
            .iter()
            .filter(|m| m.responsible)
            .map(|m| m.activity.id)
            .collect();
        for p in self.db().proposals_for(&ids).await? {
            if let Some(m) = out.iter_mut().find(|m| m.activity.id == p.activity_id) {
                m.proposals.push(p);
            }
        }
        out.sort_by_key(|m| {
            (
                !m.activity.update_due,
                m.proposals.is_empty(),
                !m.activity.status.is_active(),
                m.activity.title.clone(),
            )
        });
        Ok(out)
    }
}
