//! Keeping the action plans: coordinators add a plan for a period (decided
//! by a decision) with its prioritised challenges and the texts of its four
//! parts, and edit it later. An edit names the version it started from; a
//! stale one is refused with [`Error::Stale`]. Each write is in the audit
//! record.

pub mod activities;
pub mod follow_up;
pub mod import;
pub mod pages;
pub mod record;
pub mod views;

use crate::plans::activities::{parse_date, split_list};
use crate::roles::Roles;
use crate::{App, Error, FieldError, Result};
use samverkan_db::agreements::NewActionPlan;
use samverkan_db::plans::PlanRefs;
use samverkan_db::plans::keeping::PlanValues;
use samverkan_domain::{PlanPart, PlanStatus, Slug};
use time::{Date, OffsetDateTime};

/// A plan as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanForm {
    pub slug: String,
    pub title: String,
    pub starts_on: String,
    pub ends_on: String,
    /// Empty unless the period was continued.
    pub extended_to: String,
    /// The id of the decision, or empty.
    pub decision: String,
    pub summary: String,
    /// Challenge slugs, separated by commas.
    pub challenges: String,
    /// `PlanStatus` as typed.
    pub status: String,
    /// The text of each of the four parts, in `PlanPart::ALL` order.
    pub parts: [String; 4],
}

/// A plan that passed its checks.
#[derive(Debug, Clone)]
pub struct CheckedPlan {
    pub slug: String,
    pub values: PlanValues,
    pub challenges: Vec<i64>,
    pub parts: Vec<(PlanPart, String)>,
}

fn problem(field: &'static str, code: &'static str, message: impl Into<String>) -> FieldError {
    FieldError::new(field, code, message)
}

/// The field of a part's text in forms: `part_challenges`, …
pub fn part_field(part: PlanPart) -> &'static str {
    match part {
        PlanPart::Challenges => "part_challenges",
        PlanPart::Conditions => "part_conditions",
        PlanPart::Learning => "part_learning",
        PlanPart::Organisation => "part_organisation",
    }
}

/// Checks the title and the slug (made from the title when left empty):
/// (title, slug).
fn check_title_and_slug(form: &PlanForm, errors: &mut Vec<FieldError>) -> (String, String) {
    let title = form.title.trim().to_owned();
    if title.chars().count() < 3 || title.chars().count() > 200 {
        errors.push(problem(
            "title",
            "plan-title",
            "write the plan's title, 3 to 200 characters",
        ));
    }
    let slug_text = if form.slug.trim().is_empty() {
        crate::organisations::slugify(&title)
    } else {
        form.slug.trim().to_owned()
    };
    let slug = match Slug::parse(&slug_text) {
        Ok(s) => s.as_str().to_owned(),
        Err(e) => {
            errors.push(problem("slug", "activity-slug", e.0));
            String::new()
        }
    };
    (title, slug)
}

/// Checks the period: start, end (not before the start) and the optional
/// continuation (after the end): (starts_on, ends_on, extended_to).
fn check_period(
    form: &PlanForm,
    errors: &mut Vec<FieldError>,
) -> (Option<Date>, Option<Date>, Option<Date>) {
    let mut date = |field: &'static str, text: &str, optional: bool| {
        if optional && text.trim().is_empty() {
            return None;
        }
        let parsed = parse_date(text);
        if parsed.is_none() {
            errors.push(problem(
                field,
                "activity-date",
                format!("'{}' is not a date; write it as 2024-03-31", text.trim()),
            ));
        }
        parsed
    };
    let starts_on = date("starts_on", &form.starts_on, false);
    let ends_on = date("ends_on", &form.ends_on, false);
    let extended_to = date("extended_to", &form.extended_to, true);
    if let (Some(s), Some(e)) = (starts_on, ends_on)
        && e < s
    {
        errors.push(problem(
            "ends_on",
            "activity-ends-before",
            "the plan cannot end before it starts",
        ));
    }
    if let (Some(e), Some(x)) = (ends_on, extended_to)
        && x <= e
    {
        errors.push(problem(
            "extended_to",
            "plan-extension",
            "a continuation ends after the plan's first end date",
        ));
    }
    (starts_on, ends_on, extended_to)
}

/// Checks the decision (one of the agreement's, or none) and the summary:
/// (decision id, summary).
fn check_decision_and_summary(
    form: &PlanForm,
    refs: &PlanRefs,
    errors: &mut Vec<FieldError>,
) -> (Option<i64>, String) {
    let decision_id = match form.decision.trim() {
        "" => None,
        t => match t
            .parse::<i64>()
            .ok()
            .filter(|id| refs.decisions.contains_key(id))
        {
            Some(id) => Some(id),
            None => {
                errors.push(problem(
                    "decision",
                    "plan-decision",
                    "choose one of the agreement's decisions",
                ));
                None
            }
        },
    };
    let summary = form.summary.trim().replace("\r\n", "\n");
    if summary.is_empty() || summary.chars().count() > 4000 {
        errors.push(problem(
            "summary",
            "plan-summary",
            "summarise the plan in at most 4,000 characters",
        ));
    }
    (decision_id, summary)
}

/// Checks the prioritised challenges (the agreement's): their ids, sorted,
/// once each.
fn check_challenges(form: &PlanForm, refs: &PlanRefs, errors: &mut Vec<FieldError>) -> Vec<i64> {
    let mut challenges = Vec::new();
    for slug in split_list(&form.challenges) {
        match refs.challenges.get(slug) {
            Some(id) if !challenges.contains(id) => challenges.push(*id),
            Some(_) => {}
            None => errors.push(FieldError {
                detail: Some(slug.to_owned()),
                ..problem(
                    "challenges",
                    "activity-unknown",
                    format!("'{slug}' is not a challenge of this agreement"),
                )
            }),
        }
    }
    challenges.sort_unstable();
    challenges
}

/// Checks the texts of the four parts: those written, in part order.
fn check_parts(form: &PlanForm, errors: &mut Vec<FieldError>) -> Vec<(PlanPart, String)> {
    let mut parts = Vec::new();
    for (part, text) in PlanPart::ALL.iter().zip(form.parts.iter()) {
        let text = text.trim().replace("\r\n", "\n");
        if text.chars().count() > 8000 {
            errors.push(problem(
                part_field(*part),
                "plan-part-length",
                "write each part in at most 8,000 characters",
            ));
        } else if !text.is_empty() {
            parts.push((*part, text));
        }
    }
    parts
}

/// Checks a plan as typed against what the agreement holds.
pub fn check_plan(
    form: &PlanForm,
    refs: &PlanRefs,
) -> std::result::Result<CheckedPlan, Vec<FieldError>> {
    let mut errors = Vec::new();
    let (title, slug) = check_title_and_slug(form, &mut errors);
    let (starts_on, ends_on, extended_to) = check_period(form, &mut errors);
    let (decision_id, summary) = check_decision_and_summary(form, refs, &mut errors);
    let challenges = check_challenges(form, refs, &mut errors);
    let parts = check_parts(form, &mut errors);
    let status = match PlanStatus::parse(form.status.trim()) {
        Ok(status) => {
            if let Err(r) = status.check(decision_id.is_some()) {
                errors.push(problem("status", r.code, r.message));
            }
            status
        }
        Err(_) => {
            let message = "choose whether the plan is a draft, adopted or closed";
            errors.push(problem("status", "plan-status", message));
            PlanStatus::Draft
        }
    };
    let (Some(starts_on), Some(ends_on), true) = (starts_on, ends_on, errors.is_empty()) else {
        return Err(errors);
    };
    Ok(CheckedPlan {
        slug,
        values: PlanValues {
            title,
            starts_on,
            ends_on,
            extended_to,
            decision_id,
            summary,
            status: status.as_str().to_owned(),
        },
        challenges,
        parts,
    })
}

/// A stored plan's form and version.
#[derive(Debug, Clone)]
pub struct EditablePlan {
    pub form: PlanForm,
    pub version: i64,
}

impl App {
    fn require_coordinator(roles: &Roles, agreement: &str) -> Result<()> {
        if roles.coordinates(agreement) {
            Ok(())
        } else {
            Err(Error::Forbidden("only coordinators keep the plans"))
        }
    }

    /// Adds a plan to an agreement; its slug.
    pub async fn create_plan(
        &self,
        user: &crate::accounts::CurrentUser,
        roles: &Roles,
        agreement: &str,
        form: &PlanForm,
    ) -> Result<String> {
        Self::require_coordinator(roles, agreement)?;
        let refs = self.refs_of(agreement).await?;
        let checked = check_plan(form, &refs).map_err(Error::Validation)?;
        if refs.plans.contains_key(&checked.slug) {
            return Err(Error::Validation(vec![problem(
                "slug",
                "plan-slug-taken",
                format!("the agreement already has a plan '{}'", checked.slug),
            )]));
        }
        let v = &checked.values;
        let mut tx = self.db().begin().await?;
        let id = tx
            .insert_action_plan(&NewActionPlan {
                agreement_id: refs.agreement_id,
                slug: &checked.slug,
                title: &v.title,
                starts_on: v.starts_on,
                ends_on: v.ends_on,
                extended_to: v.extended_to,
                decision_id: v.decision_id,
                summary: &v.summary,
                status: &v.status,
            })
            .await?;
        tx.set_plan_challenges(id, &checked.challenges).await?;
        for (part, text) in &checked.parts {
            tx.set_plan_part(id, part.as_str(), text).await?;
        }
        tx.audit(
            OffsetDateTime::now_utc(),
            Some(user.id),
            "plan-created",
            &format!("{agreement}/{}", checked.slug),
            &v.title,
        )
        .await?;
        self.commit_public(tx).await?;
        Ok(checked.slug)
    }

    /// A plan's stored form, for a coordinator.
    pub async fn editable_plan(
        &self,
        roles: &Roles,
        agreement: &str,
        plan: &str,
    ) -> Result<EditablePlan> {
        Self::require_coordinator(roles, agreement)?;
        let refs = self.refs_of(agreement).await?;
        let id = *refs.plans.get(plan).ok_or(Error::NotFound("plan"))?;
        let mut tx = self.db().begin().await?;
        let (row, challenges, parts) = tx.plan(id).await?.ok_or(Error::NotFound("plan"))?;
        tx.commit().await?;
        let slug_of = |id: i64| {
            refs.challenges
                .iter()
                .find(|(_, v)| **v == id)
                .map(|(k, _)| k.clone())
                .unwrap_or_default()
        };
        let mut texts: [String; 4] = Default::default();
        for (i, part) in PlanPart::ALL.iter().enumerate() {
            if let Some((_, text)) = parts.iter().find(|(p, _)| p == part.as_str()) {
                texts[i] = text.clone();
            }
        }
        Ok(EditablePlan {
            form: PlanForm {
                slug: row.slug,
                title: row.title,
                starts_on: row.starts_on.to_string(),
                ends_on: row.ends_on.to_string(),
                extended_to: row.extended_to.map(|d| d.to_string()).unwrap_or_default(),
                decision: row.decision_id.map(|d| d.to_string()).unwrap_or_default(),
                summary: row.summary,
                status: row.status,
                challenges: challenges
                    .into_iter()
                    .map(slug_of)
                    .collect::<Vec<_>>()
                    .join(", "),
                parts: texts,
            },
            version: row.version,
        })
    }

    /// Saves an edit of a plan made from `version` (the slug stays).
    pub async fn update_plan(
        &self,
        user: &crate::accounts::CurrentUser,
        roles: &Roles,
        (agreement, plan): (&str, &str),
        version: i64,
        form: &PlanForm,
    ) -> Result<()> {
        Self::require_coordinator(roles, agreement)?;
        let refs = self.refs_of(agreement).await?;
        let id = *refs.plans.get(plan).ok_or(Error::NotFound("plan"))?;
        let mut form = form.clone();
        form.slug = plan.to_owned();
        let checked = check_plan(&form, &refs).map_err(Error::Validation)?;
        let mut tx = self.db().begin().await?;
        let stored = tx.plan(id).await?.ok_or(Error::NotFound("plan"))?.0;
        if stored.status == PlanStatus::Closed.as_str() {
            return Err(Error::conflict(
                "plan-closed",
                "the plan is closed and kept as it was: start a new plan for the next period",
            ));
        }
        if !tx.update_plan(id, version, &checked.values).await? {
            return Err(Error::stale(
                "plan-stale",
                "the plan was changed by someone else meanwhile",
            ));
        }
        tx.set_plan_challenges(id, &checked.challenges).await?;
        for part in PlanPart::ALL {
            let text = checked
                .parts
                .iter()
                .find(|(p, _)| p == part)
                .map_or("", |(_, t)| t.as_str());
            tx.set_plan_part(id, part.as_str(), text).await?;
        }
        tx.audit(
            OffsetDateTime::now_utc(),
            Some(user.id),
            "plan-changed",
            &format!("{agreement}/{plan}"),
            &checked.values.title,
        )
        .await?;
        self.commit_public(tx).await?;
        Ok(())
    }
}
