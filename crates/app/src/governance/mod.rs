//! Governance as working data: an agreement's roles (coordinator, process
//! support, working group, host pairs per challenge, on the city's side, the
//! sector's or jointly) and who holds each for which period. The agreement's
//! coordinators keep them; every change is audited and goes through
//! [`App::commit_public`], so the public contact page, which is built from
//! the current terms, shows it on every instance. A coordinator's term of an
//! account gives that account the coordinator's rights for its period
//! (`db::roles::coordinator_terms_of`, asked by [`App::roles`]).
//!
//! Host pairs are roles of kind `challenge_host`, one per challenge (the
//! challenge in the title), so a term needs nothing beyond its role.

pub mod terms;

use crate::accounts::CurrentUser;
use crate::organisations::slugify;
use crate::roles::Roles;
use crate::{App, Error, FieldError, Result};
use samverkan_db::governance::{GovTermRow, NewTerm};
use samverkan_domain::{Email, RoleKind, Side};
use terms::{Period, Standing};
use time::{Date, OffsetDateTime};

/// The role form as typed.
#[derive(Debug, Clone, Default)]
pub struct RoleForm {
    pub kind: String,
    pub side: String,
    pub title: String,
    pub mailbox: String,
    pub description: String,
}

/// The form naming a holder for a period, as typed.
#[derive(Debug, Clone, Default)]
pub struct TermForm {
    /// The role's slug.
    pub role: String,
    /// An account's e-mail address, or the holder's name.
    pub holder: String,
    pub starts_on: String,
    pub ends_on: String,
}

/// An agreement's roles with their terms, for its coordinators.
#[derive(Debug, Clone)]
pub struct GovernanceView {
    pub slug: String,
    pub short_name: String,
    pub roles: Vec<RoleTerms>,
}

/// A role with its terms sorted by where they stand today.
#[derive(Debug, Clone)]
pub struct RoleTerms {
    /// The row's id (an edit names the row it changes).
    pub id: i64,
    pub slug: String,
    pub kind: RoleKind,
    pub side: Side,
    pub title: String,
    pub mailbox: Option<String>,
    pub description: String,
    /// The version an edit is made on.
    pub version: i64,
    /// Oldest first.
    pub current: Vec<TermView>,
    /// The soonest first.
    pub coming: Vec<TermView>,
    /// The most recent first.
    pub past: Vec<TermView>,
}

/// A term as its keepers see it.
#[derive(Debug, Clone)]
pub struct TermView {
    pub id: i64,
    /// The account's name now, or the name typed.
    pub holder: String,
    /// Whether the term names an account.
    pub account: bool,
    pub starts_on: Date,
    pub ends_on: Option<Date>,
    pub version: i64,
}

fn refuse_unless(roles: &Roles, agreement: &str) -> Result<()> {
    if roles.coordinates(agreement) {
        Ok(())
    } else {
        Err(Error::Forbidden(
            "only the agreement's coordinators keep its roles",
        ))
    }
}

fn period_of(t: &GovTermRow) -> Period {
    Period {
        starts_on: t.starts_on,
        ends_on: t.ends_on,
    }
}

/// The problem of a field; a validation error of it alone.
fn invalid(field: &'static str, code: &'static str, message: &str) -> Error {
    Error::Validation(vec![FieldError::new(field, code, message)])
}

/// A role form that passed its checks.
struct CheckedRole<'a> {
    kind: RoleKind,
    side: Side,
    title: &'a str,
    mailbox: Option<Email>,
    description: &'a str,
}

fn check_role(form: &RoleForm) -> Result<CheckedRole<'_>> {
    let mut errors = Vec::new();
    let kind = RoleKind::parse(form.kind.trim())
        .map_err(|e| errors.push(FieldError::new("kind", "role-kind-unknown", e.0)))
        .ok();
    let side = Side::parse(form.side.trim())
        .map_err(|e| errors.push(FieldError::new("side", "role-side-unknown", e.0)))
        .ok();
    let title = form.title.trim();
    if !(2..=200).contains(&title.chars().count()) {
        errors.push(FieldError::new(
            "title",
            "role-title-length",
            "write the role's title, 2 to 200 characters",
        ));
    }
    let mailbox = match form.mailbox.trim() {
        "" => None,
        text => Email::parse(text)
            .map_err(|e| errors.push(FieldError::new("mailbox", "role-mailbox-invalid", e.0)))
            .ok(),
    };
    let description = form.description.trim();
    if description.chars().count() > 2000 {
        errors.push(FieldError::new(
            "description",
            "role-description-length",
            "describe the role in at most 2,000 characters",
        ));
    }
    match (kind, side, errors.is_empty()) {
        (Some(kind), Some(side), true) => Ok(CheckedRole {
            kind,
            side,
            title,
            mailbox,
            description,
        }),
        _ => Err(Error::Validation(errors)),
    }
}

fn role_stale() -> Error {
    Error::stale(
        "role-stale",
        "the role was changed meanwhile, or someone was named to it; see it as it is now",
    )
}

/// Who a term (or an action item, `working_group::actions`) names: an
/// account, or a name only.
pub(crate) struct Holder {
    pub(crate) name: String,
    pub(crate) user_id: Option<i64>,
}

impl Holder {
    /// Whether a stored term names the same holder.
    fn is_holder_of(&self, t: &GovTermRow) -> bool {
        match (self.user_id, t.user_id) {
            (Some(a), Some(b)) => a == b,
            (None, None) => t.holder.trim().to_lowercase() == self.name.to_lowercase(),
            _ => false,
        }
    }
}

impl App {
    async fn agreement_id(&self, slug: &str) -> Result<(i64, String)> {
        let snapshot = self.public().await?;
        let a = snapshot.agreement(slug)?;
        Ok((a.id, a.summary.short_name.clone()))
    }

    /// The agreement's roles with their current, coming and past terms.
    pub async fn governance(&self, roles: &Roles, slug: &str) -> Result<GovernanceView> {
        refuse_unless(roles, slug)?;
        let (agreement_id, short_name) = self.agreement_id(slug).await?;
        let rows = self.db().governance_roles(agreement_id).await?;
        let mut terms = self.db().governance_terms(agreement_id).await?;
        let today = crate::text::today();
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let mut role = RoleTerms {
                kind: RoleKind::parse(&r.kind)
                    .map_err(|e| Error::internal("stored role kind is invalid", e))?,
                side: Side::parse(&r.side)
                    .map_err(|e| Error::internal("stored role side is invalid", e))?,
                id: r.id,
                slug: r.slug,
                title: r.title,
                mailbox: r.mailbox,
                description: r.description,
                version: r.version,
                current: Vec::new(),
                coming: Vec::new(),
                past: Vec::new(),
            };
            for t in terms.extract_if(.., |t| t.role_id == r.id) {
                let standing = period_of(&t).standing(today);
                let view = TermView {
                    id: t.id,
                    holder: t.display_name.unwrap_or(t.holder),
                    account: t.user_id.is_some(),
                    starts_on: t.starts_on,
                    ends_on: t.ends_on,
                    version: t.version,
                };
                match standing {
                    Standing::Current => role.current.push(view),
                    Standing::Coming => role.coming.push(view),
                    Standing::Past => role.past.insert(0, view),
                }
            }
            out.push(role);
        }
        Ok(GovernanceView {
            slug: slug.to_owned(),
            short_name,
            roles: out,
        })
    }

    /// Adds a role to the agreement; returns its slug.
    pub async fn add_governance_role(
        &self,
        user: &CurrentUser,
        roles: &Roles,
        slug: &str,
        form: &RoleForm,
    ) -> Result<String> {
        refuse_unless(roles, slug)?;
        let (agreement_id, _) = self.agreement_id(slug).await?;
        let role = check_role(form)?;
        let now = OffsetDateTime::now_utc();
        let mut tx = self.db().begin().await?;
        let base = slugify(role.title);
        let mut role_slug = base.clone();
        let mut n = 2;
        while tx.role_slug_taken(agreement_id, &role_slug).await? {
            role_slug = format!("{base}-{n}");
            n += 1;
        }
        let position = tx.next_role_position(agreement_id).await?;
        tx.insert_role(&samverkan_db::agreements::NewRole {
            agreement_id,
            position,
            slug: &role_slug,
            kind: role.kind.as_str(),
            side: role.side.as_str(),
            title: role.title,
            mailbox: role.mailbox.as_ref().map(Email::as_str),
            description: role.description,
        })
        .await?;
        let subject = format!("{slug}/{role_slug}");
        tx.audit(
            now,
            Some(user.id),
            "governance-role-added",
            &subject,
            role.title,
        )
        .await?;
        self.commit_public(tx).await?;
        Ok(role_slug)
    }

    /// The role `role` (a slug) of the agreement as its edit form shows it.
    pub async fn governance_role(
        &self,
        roles: &Roles,
        slug: &str,
        role: &str,
    ) -> Result<RoleTerms> {
        let view = self.governance(roles, slug).await?;
        (view.roles.into_iter())
            .find(|r| r.slug == role)
            .ok_or(Error::NotFound("role"))
    }

    /// Changes a role's side, title, mailbox and description, if it is
    /// still at `version` (else [`Error::Stale`], 409). Its kind stays: it
    /// is what the role's terms mean (a coordinator's term gives rights).
    pub async fn edit_governance_role(
        &self,
        user: &CurrentUser,
        roles: &Roles,
        slug: &str,
        (role, version): (&str, i64),
        form: &RoleForm,
    ) -> Result<()> {
        let stored = self.governance_role(roles, slug, role).await?;
        let form = RoleForm {
            kind: stored.kind.as_str().to_owned(),
            ..form.clone()
        };
        let checked = check_role(&form)?;
        let now = OffsetDateTime::now_utc();
        let mut tx = self.db().begin().await?;
        let fields = samverkan_db::governance::RoleFields {
            side: checked.side.as_str(),
            title: checked.title,
            mailbox: checked.mailbox.as_ref().map(Email::as_str),
            description: checked.description,
        };
        if !tx.update_role((stored.id, version), &fields).await? {
            return Err(role_stale());
        }
        let subject = format!("{slug}/{role}");
        tx.audit(
            now,
            Some(user.id),
            "governance-role-edited",
            &subject,
            checked.title,
        )
        .await?;
        self.commit_public(tx).await
    }

    /// Removes a role nobody has held (a role with terms is kept for the
    /// history: 409 with the reason), if it is still at `version`.
    pub async fn remove_governance_role(
        &self,
        user: &CurrentUser,
        roles: &Roles,
        slug: &str,
        (role, version): (&str, i64),
    ) -> Result<()> {
        let stored = self.governance_role(roles, slug, role).await?;
        if !(stored.current.is_empty() && stored.coming.is_empty() && stored.past.is_empty()) {
            return Err(Error::conflict(
                "role-held",
                "someone holds or has held this role, so it is kept with its history; end its terms instead",
            ));
        }
        let now = OffsetDateTime::now_utc();
        let mut tx = self.db().begin().await?;
        if !tx.delete_unheld_role((stored.id, version)).await? {
            return Err(role_stale());
        }
        let subject = format!("{slug}/{role}");
        tx.audit(
            now,
            Some(user.id),
            "governance-role-removed",
            &subject,
            &stored.title,
        )
        .await?;
        self.commit_public(tx).await
    }

    /// Reads who a term names: the confirmed account of an e-mail address,
    /// or else a name (its problems at the field `holder`).
    pub(crate) async fn holder(&self, typed: &str) -> Result<Holder> {
        let typed = typed.trim();
        if typed.contains('@') {
            let email = Email::parse(typed)
                .map_err(|e| invalid("holder", "term-holder-email-invalid", &e.0))?;
            let person = (self.db().user_by_email(email.as_str()).await?)
                .filter(|u| u.email_confirmed_at.is_some())
                .ok_or_else(|| {
                    invalid(
                        "holder",
                        "term-no-account",
                        "nobody has a confirmed account with this address; write the person's name instead, or ask them to register first",
                    )
                })?;
            return Ok(Holder {
                name: person.display_name,
                user_id: Some(person.id),
            });
        }
        if !(2..=200).contains(&typed.chars().count()) {
            return Err(invalid(
                "holder",
                "term-holder-length",
                "write the holder's e-mail address (of an account) or name, 2 to 200 characters",
            ));
        }
        Ok(Holder {
            name: typed.to_owned(),
            user_id: None,
        })
    }

    /// Names a holder of one of the agreement's roles for a period. The
    /// same holder cannot hold the same role twice on one day.
    pub async fn add_governance_term(
        &self,
        user: &CurrentUser,
        roles: &Roles,
        slug: &str,
        form: &TermForm,
    ) -> Result<()> {
        refuse_unless(roles, slug)?;
        let (agreement_id, _) = self.agreement_id(slug).await?;
        let role = (self.db().governance_roles(agreement_id).await?)
            .into_iter()
            .find(|r| r.slug == form.role.trim());
        let mut errors = Vec::new();
        if role.is_none() {
            errors.push(FieldError::new(
                "role",
                "term-role-unknown",
                "choose one of the agreement's roles",
            ));
        }
        let holder = match self.holder(&form.holder).await {
            Ok(h) => Some(h),
            Err(Error::Validation(mut e)) => {
                errors.append(&mut e);
                None
            }
            Err(e) => return Err(e),
        };
        let period = terms::check_period(&form.starts_on, &form.ends_on)
            .map_err(|mut e| errors.append(&mut e))
            .ok();
        let (Some(role), Some(holder), Some(period), true) =
            (role, holder, period, errors.is_empty())
        else {
            return Err(Error::Validation(errors));
        };
        let now = OffsetDateTime::now_utc();
        let mut tx = self.db().begin().await?;
        if tx.lock_role(agreement_id, role.id).await?.is_none() {
            return Err(Error::NotFound("role"));
        }
        let held: Vec<Period> = (tx.terms_of_role(role.id).await?)
            .iter()
            .filter(|t| holder.is_holder_of(t))
            .map(period_of)
            .collect();
        if let Some(other) = terms::first_overlap(&period, &held) {
            return Err(Error::Validation(vec![terms::overlap_problem(other)]));
        }
        tx.insert_governance_term(&NewTerm {
            role_id: role.id,
            holder: &holder.name,
            user_id: holder.user_id,
            starts_on: period.starts_on,
            ends_on: period.ends_on,
        })
        .await?;
        let subject = format!("{slug}/{}", role.slug);
        let detail = match period.ends_on {
            Some(end) => format!("{}: {} – {end}", holder.name, period.starts_on),
            None => format!("{}: {} –", holder.name, period.starts_on),
        };
        tx.audit(
            now,
            Some(user.id),
            "governance-term-added",
            &subject,
            &detail,
        )
        .await?;
        self.commit_public(tx).await
    }

    /// Ends a term early on `ends_on`, if it is still at `version` (else
    /// [`Error::Stale`], 409).
    pub async fn end_governance_term(
        &self,
        user: &CurrentUser,
        roles: &Roles,
        slug: &str,
        (term_id, version): (i64, i64),
        ends_on: &str,
    ) -> Result<()> {
        refuse_unless(roles, slug)?;
        let (agreement_id, _) = self.agreement_id(slug).await?;
        let now = OffsetDateTime::now_utc();
        let mut tx = self.db().begin().await?;
        let term =
            (tx.term_of_agreement(agreement_id, term_id).await?).ok_or(Error::NotFound("term"))?;
        let stale = || {
            Error::stale(
                "term-stale",
                "the term was changed meanwhile; see its dates now",
            )
        };
        if term.version != version {
            return Err(stale());
        }
        let end =
            terms::check_end(&period_of(&term), ends_on).map_err(|e| Error::Validation(vec![e]))?;
        if !tx.end_term(term_id, version, end).await? {
            return Err(stale());
        }
        let holder = term.display_name.unwrap_or(term.holder);
        tx.audit(
            now,
            Some(user.id),
            "governance-term-ended",
            &format!("{slug}/term/{term_id}"),
            &format!("{holder}: {end}"),
        )
        .await?;
        self.commit_public(tx).await
    }
}
