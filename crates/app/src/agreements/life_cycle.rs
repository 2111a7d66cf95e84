//! The steps of an agreement's life cycle, taken by its coordinators:
//! opening a draft for consultation, adopting with a decision, starting a
//! new version, winding down and being superseded by a successor. The rules
//! are `AgreementStep::check` (domain); here they are applied in one
//! transaction with the decision, the versions' statuses and the step in the
//! public history.

use super::writing::{Actor, event};
use crate::accounts::CurrentUser;
use crate::documents::{CheckedDocument, DocumentOwner};
use crate::roles::Roles;
use crate::text::today;
use crate::{App, Error, FieldError, Result};
use samverkan_db::agreements::{NewDecision, NewVersion};
use samverkan_domain::agreement::{Standing, Transition};
use samverkan_domain::date::parse_iso_date;
use samverkan_domain::{AgreementStatus, AgreementStep, DatePrecision, VersionStatus};
use time::{Date, OffsetDateTime};

/// The step form as typed.
#[derive(Debug, Clone, Default)]
pub struct StepForm {
    pub step: String,
    /// The agreement's revision the writer saw.
    pub revision: i64,
    /// The decision, for the steps that need one.
    pub decided_on: String,
    /// The city body that decided (`municipality/body`), or …
    pub decided_by: String,
    /// … the name of whoever else decided (e.g. the sector's council).
    pub decided_by_name: String,
    /// The reference (diarienummer).
    pub reference: String,
    pub title: String,
    pub summary: String,
    /// The successor's slug, for a superseded agreement.
    pub successor: String,
    pub note: String,
    /// The signed decision, optionally: its title and the file as sent.
    pub document_title: String,
    pub document_name: String,
    pub document: Vec<u8>,
}

/// Where an agreement stands in its life cycle: its status, its latest
/// version's status, and that version (id, number).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Course {
    pub agreement_id: i64,
    pub standing: Standing,
    pub latest: Option<(i64, i32)>,
}

/// A step to take: its decision (already written) and day.
pub(crate) struct Taken<'a> {
    pub step: AgreementStep,
    pub decision_id: Option<i64>,
    pub day: Date,
    /// The agreement that takes over, for a superseded one.
    pub successor: Option<i64>,
    /// The step's note; a new version's note too.
    pub note: &'a str,
}

/// Takes a step in `tx` by the rules (`AgreementStep::check`): a new
/// version copies the latest text, an adopted version supersedes the
/// earlier ones, the agreement's status follows, and the step enters the
/// public history. Where the agreement stands afterwards. The one way a
/// step is taken: by the step form, and by the demonstration data.
pub(crate) async fn apply_step(
    tx: &mut samverkan_db::Tx,
    at: &Course,
    s: &Taken<'_>,
    actor: &Actor<'_>,
) -> Result<Course> {
    let transition: Transition = s
        .step
        .check(
            at.standing,
            s.decision_id.is_some(),
            s.successor.is_some() || s.step != AgreementStep::Superseded,
        )
        .map_err(|r| Error::conflict(r.code, r.message))?;
    let mut after = *at;
    match (s.step, at.latest) {
        (AgreementStep::NewVersion, Some((id, number))) => {
            let new = tx
                .insert_version(&NewVersion {
                    agreement_id: at.agreement_id,
                    number: number + 1,
                    label: "Utkast",
                    status: VersionStatus::Draft.as_str(),
                    published_on: s.day,
                    decision_id: None,
                    note: s.note,
                })
                .await?;
            tx.copy_version_text(id, new).await?;
            after.latest = Some((new, number + 1));
            after.standing.latest = Some(VersionStatus::Draft);
        }
        (_, Some((id, _))) => {
            if let Some(status) = transition.latest {
                tx.set_version_status(id, status.as_str(), s.day, s.decision_id)
                    .await?;
                if status == VersionStatus::Adopted {
                    tx.supersede_versions(at.agreement_id, id).await?;
                }
                after.standing.latest = Some(status);
            }
        }
        (_, None) => {}
    }
    if transition.status != at.standing.status {
        tx.set_agreement_status(
            at.agreement_id,
            transition.status.as_str(),
            s.day,
            s.successor,
        )
        .await?;
        after.standing.status = transition.status;
    }
    tx.insert_event(&event(
        at.agreement_id,
        actor,
        s.step,
        after.latest.map(|(_, n)| n),
        s.decision_id,
        s.note,
    ))
    .await?;
    Ok(after)
}

/// A decision that passed its checks.
struct CheckedDecision {
    decided_on: Date,
    city_body_id: Option<i64>,
    decided_by_name: Option<String>,
    reference: String,
    title: String,
    summary: String,
}

fn problem(f: &'static str, code: &'static str, message: &str) -> FieldError {
    FieldError::new(f, code, message)
}

impl App {
    /// Takes a step; refused (409) with the rule's reason when the rules do
    /// not allow it, or (422) with what to fix in the decision.
    pub async fn take_step(
        &self,
        user: &CurrentUser,
        roles: &Roles,
        slug: &str,
        form: &StepForm,
    ) -> Result<AgreementStep> {
        let a = self.writable(roles, slug).await?;
        let step = AgreementStep::parse(form.step.trim())
            .ok()
            .filter(|s| *s != AgreementStep::Created)
            .ok_or_else(|| Error::bad_request("step-unknown", "choose a step from the form"))?;
        let versions = self.db().versions_for_writing(a.agreement.id).await?;
        let at = Standing {
            status: AgreementStatus::parse(&a.agreement.status)
                .map_err(crate::snapshot::corrupt)?,
            latest: versions
                .last()
                .and_then(|v| VersionStatus::parse(&v.version.status).ok()),
        };
        let successor = match form.successor.trim() {
            "" => None,
            s if s == slug => None,
            s => self
                .db()
                .agreement_for_writing(s)
                .await?
                .map(|r| r.agreement.id),
        };
        // The rules first (without the decision), so a step that cannot be
        // taken says why before asking for a decision's details.
        step.check(
            at,
            true,
            successor.is_some() || step != AgreementStep::Superseded,
        )
        .map_err(|r| Error::conflict(r.code, r.message))?;
        if step == AgreementStep::Superseded && successor.is_none() {
            let e = problem(
                "successor",
                "step-needs-successor",
                "name the agreement that takes over",
            );
            return Err(Error::Validation(vec![e]));
        }
        let decision = match step.needs_decision() {
            true => Some(self.check_decision(form).await?),
            false => None,
        };
        let document = self.check_step_document(form, decision.as_ref())?;
        let at = Course {
            agreement_id: a.agreement.id,
            standing: at,
            latest: versions.last().map(|v| (v.version.id, v.version.number)),
        };
        let mut tx = self.db().begin().await?;
        if !tx.claim_agreement(a.agreement.id, form.revision).await? {
            return Err(Error::stale(
                "stale-agreement",
                "someone changed the agreement after you opened it",
            ));
        }
        let decision_id = match &decision {
            Some(d) => Some(
                tx.insert_decision(&NewDecision {
                    agreement_id: a.agreement.id,
                    decided_on: d.decided_on,
                    date_precision: DatePrecision::Day.as_str(),
                    city_body_id: d.city_body_id,
                    decided_by_name: d.decided_by_name.as_deref(),
                    reference: Some(d.reference.as_str()),
                    url: None,
                    title: &d.title,
                    summary: &d.summary,
                })
                .await?,
            ),
            None => None,
        };
        if let (Some(d), Some(id)) = (&document, decision_id) {
            crate::documents::insert_document(&mut tx, user, DocumentOwner::Decision(id), d)
                .await?;
        }
        let taken = Taken {
            step,
            decision_id,
            day: decision.as_ref().map_or_else(today, |d| d.decided_on),
            successor,
            note: form.note.trim(),
        };
        apply_step(&mut tx, &at, &taken, &Actor::of(user)).await?;
        let now = OffsetDateTime::now_utc();
        tx.audit(now, Some(user.id), "agreement-step", slug, step.as_str())
            .await?;
        self.commit_public(tx).await?;
        Ok(step)
    }

    /// The signed decision, if one is sent: only with a decision, checked
    /// as any document (its problems shown at the `document` field).
    fn check_step_document<'a>(
        &self,
        form: &'a StepForm,
        decision: Option<&CheckedDecision>,
    ) -> Result<Option<CheckedDocument<'a>>> {
        if form.document.is_empty() && form.document_name.trim().is_empty() {
            return Ok(None);
        }
        let Some(decision) = decision else {
            let message = "a document is attached to the decision; this step has none";
            return Err(Error::Validation(vec![problem(
                "document",
                "step-document-without-decision",
                message,
            )]));
        };
        let title = match form.document_title.trim() {
            "" => decision.title.as_str(),
            t => t,
        };
        self.check_document(title, &form.document_name, &form.document)
            .map(Some)
            .map_err(|e| match e {
                Error::Validation(errors) => Error::Validation(
                    errors
                        .into_iter()
                        .map(|f| FieldError {
                            field: if f.field == "title" {
                                "document_title"
                            } else {
                                "document"
                            },
                            ..f
                        })
                        .collect(),
                ),
                e => e,
            })
    }

    /// The decision's fields, checked: a date not in the future, who
    /// decided (one of the municipality's bodies, or a name), a reference.
    async fn check_decision(&self, form: &StepForm) -> Result<CheckedDecision> {
        let mut errors = Vec::new();
        let decided_on = parse_iso_date(&form.decided_on).ok();
        match decided_on {
            None => errors.push(problem(
                "decided_on",
                "decision-date",
                "write the decision's date as 2026-09-28",
            )),
            Some(d) if d > today() => errors.push(problem(
                "decided_on",
                "decision-date-future",
                "a decision's date is today or earlier",
            )),
            Some(_) => {}
        }
        let body = match form.decided_by.trim() {
            "" => None,
            slug => {
                let id = self.db().city_body_id(slug).await?;
                if id.is_none() {
                    errors.push(problem(
                        "decided_by",
                        "decision-body",
                        "choose the body from the list",
                    ));
                }
                id
            }
        };
        let name = form.decided_by_name.trim();
        if body.is_none() && name.is_empty() && errors.iter().all(|e| e.field != "decided_by") {
            errors.push(problem(
                "decided_by",
                "decision-by",
                "say who decided: choose a body, or write the name of who decided",
            ));
        }
        let reference = form.reference.trim();
        if !(1..=60).contains(&reference.chars().count()) {
            errors.push(problem(
                "reference",
                "decision-reference",
                "write the decision's reference (diarienummer), e.g. KS-2026-123",
            ));
        }
        let title = form.title.trim();
        if !(3..=200).contains(&title.chars().count()) {
            errors.push(problem(
                "title",
                "decision-title",
                "write what was decided, 3 to 200 characters",
            ));
        }
        if form.summary.trim().chars().count() > 2_000 {
            errors.push(problem(
                "summary",
                "decision-summary",
                "the summary has at most 2,000 characters",
            ));
        }
        match decided_on {
            Some(decided_on) if errors.is_empty() => Ok(CheckedDecision {
                decided_on,
                city_body_id: body,
                decided_by_name: (!name.is_empty()).then(|| name.to_owned()),
                reference: reference.to_owned(),
                title: title.to_owned(),
                summary: form.summary.trim().to_owned(),
            }),
            _ => Err(Error::Validation(errors)),
        }
    }
}
