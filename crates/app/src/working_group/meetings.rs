//! Planning a meeting and writing its minutes: the rules of what a meeting
//! is (title, day, time, place, an agenda of one item a line), that its
//! minutes are written as a draft and approved once, after which neither
//! they, the agenda nor the decisions change (a refusal with the reason,
//! 409), and that an edit made on an old version is stale (409).

use super::{invalid, refuse_unless};
use crate::accounts::CurrentUser;
use crate::roles::Roles;
use crate::snapshot::AgreementRecord;
use crate::{App, Error, FieldError, Result};
use samverkan_db::Tx;
use samverkan_db::meetings::{MeetingFields, MeetingRow};
use samverkan_domain::date::parse_iso_date;
use samverkan_domain::meeting::agenda_items;
use samverkan_domain::{AgendaProblem, ClockTime, MeetingKind, MinutesStatus};
use time::{Date, OffsetDateTime};

/// The longest minutes, in characters.
pub const MINUTES_CHARS: usize = 50_000;
/// The longest decision, in characters.
pub const DECISION_CHARS: usize = 2_000;

/// The meeting form as typed.
#[derive(Debug, Clone, Default)]
pub struct MeetingForm {
    pub title: String,
    pub meets_on: String,
    pub starts_at: String,
    pub place: String,
    /// One item a line.
    pub agenda: String,
}

impl MeetingForm {
    /// The form filled in with a stored meeting.
    pub fn of(m: &super::Meeting) -> MeetingForm {
        MeetingForm {
            title: m.title.clone(),
            meets_on: m.meets_on.to_string(),
            starts_at: m.starts_at.clone(),
            place: m.place.clone(),
            agenda: m.agenda_text(),
        }
    }
}

/// The decision form as typed.
#[derive(Debug, Clone, Default)]
pub struct DecisionForm {
    pub text: String,
    /// A challenge's slug, or empty.
    pub challenge: String,
}

/// A meeting form that passed its checks.
#[derive(Debug)]
pub(crate) struct CheckedMeeting {
    title: String,
    meets_on: Date,
    starts_at: String,
    place: String,
    agenda: String,
}

impl CheckedMeeting {
    pub(crate) fn fields(&self) -> MeetingFields<'_> {
        MeetingFields {
            title: &self.title,
            meets_on: self.meets_on,
            starts_at: &self.starts_at,
            place: &self.place,
            agenda: &self.agenda,
        }
    }
}

/// A text of `min..=max` characters, else the problem at `field`.
fn text_within(
    errors: &mut Vec<FieldError>,
    (field, code, message): (&'static str, &'static str, &str),
    text: &str,
    (min, max): (usize, usize),
) -> String {
    let text = text.trim();
    if !(min..=max).contains(&text.chars().count()) {
        errors.push(FieldError::new(field, code, message));
    }
    text.to_owned()
}

pub(crate) fn check_meeting(form: &MeetingForm) -> Result<CheckedMeeting> {
    let mut errors = Vec::new();
    let title = text_within(
        &mut errors,
        (
            "title",
            "meeting-title-length",
            "write the meeting's title, 2 to 200 characters",
        ),
        &form.title,
        (2, 200),
    );
    let meets_on = match form.meets_on.trim() {
        "" => {
            errors.push(FieldError::new(
                "meets_on",
                "meeting-date-missing",
                "write the day of the meeting as YYYY-MM-DD",
            ));
            None
        }
        text => parse_iso_date(text)
            .map_err(|e| errors.push(FieldError::new("meets_on", "meeting-date-invalid", e.0)))
            .ok(),
    };
    let starts_at = ClockTime::parse(&form.starts_at)
        .map_err(|e| errors.push(FieldError::new("starts_at", "meeting-time-invalid", e.0)))
        .ok();
    let place = text_within(
        &mut errors,
        (
            "place",
            "meeting-place-length",
            "write where the meeting is (a room, an address or a video link), 2 to 200 characters",
        ),
        &form.place,
        (2, 200),
    );
    let agenda = match agenda_items(&form.agenda) {
        Ok(items) => Some(items.join("\n")),
        Err(problem) => {
            errors.push(agenda_problem(problem));
            None
        }
    };
    match (meets_on, starts_at, agenda, errors.is_empty()) {
        (Some(meets_on), Some(starts_at), Some(agenda), true) => Ok(CheckedMeeting {
            title,
            meets_on,
            starts_at: starts_at.as_text(),
            place,
            agenda,
        }),
        _ => Err(Error::Validation(errors)),
    }
}

/// An agenda's problem at its field, with the number a page words.
fn agenda_problem(problem: AgendaProblem) -> FieldError {
    let (code, detail) = match problem {
        AgendaProblem::Empty => ("meeting-agenda-missing", None),
        AgendaProblem::TooManyItems(n) => ("meeting-agenda-items", Some(n.to_string())),
        AgendaProblem::ItemTooLong(n) => ("meeting-agenda-item-long", Some(n.to_string())),
    };
    FieldError {
        detail,
        ..FieldError::new("agenda", code, problem.to_string())
    }
}

/// The refusal of a change to a meeting whose minutes are approved.
fn approved_refusal() -> Error {
    Error::conflict(
        "minutes-approved",
        "the minutes of this meeting are approved: they, its agenda and its decisions are kept as approved and not changed",
    )
}

fn stale() -> Error {
    Error::stale(
        "meeting-stale",
        "the meeting was changed meanwhile; see it as it is now",
    )
}

/// The meeting `id` of the agreement, read in the writing transaction, at
/// `version` (else stale) and with its minutes still a draft (else refused).
async fn draft_at(
    tx: &mut Tx,
    agreement_id: i64,
    (id, version): (i64, Option<i64>),
) -> Result<MeetingRow> {
    let row = (tx.meeting(agreement_id, id).await?).ok_or(Error::NotFound("meeting"))?;
    if row.minutes_status == MinutesStatus::Approved.as_str() {
        return Err(approved_refusal());
    }
    if version.is_some_and(|v| v != row.version) {
        return Err(stale());
    }
    Ok(row)
}

impl App {
    /// Plans a meeting of the agreement's working group; its id.
    pub async fn plan_meeting(
        &self,
        user: &CurrentUser,
        roles: &Roles,
        a: &AgreementRecord,
        form: &MeetingForm,
    ) -> Result<i64> {
        let slug = &a.summary.slug;
        refuse_unless(roles, slug)?;
        let checked = check_meeting(form)?;
        let now = OffsetDateTime::now_utc();
        let mut tx = self.db().begin().await?;
        let kind = (a.id, MeetingKind::WorkingGroup.as_str());
        let id = tx
            .insert_meeting(kind, &checked.fields(), (user.id, now))
            .await?;
        let detail = format!(
            "{}: {} {}",
            checked.title, checked.meets_on, checked.starts_at
        );
        let subject = format!("{slug}/meeting/{id}");
        tx.audit(now, Some(user.id), "meeting-planned", &subject, &detail)
            .await?;
        self.commit_public(tx).await?;
        Ok(id)
    }

    /// Changes a meeting's title, time, place and agenda, if it is still
    /// at `version` (else [`Error::Stale`]) and its minutes are not
    /// approved (else [`Error::Conflict`]).
    pub async fn edit_meeting(
        &self,
        user: &CurrentUser,
        roles: &Roles,
        a: &AgreementRecord,
        (id, version): (i64, i64),
        form: &MeetingForm,
    ) -> Result<()> {
        let slug = &a.summary.slug;
        refuse_unless(roles, slug)?;
        let checked = check_meeting(form)?;
        let now = OffsetDateTime::now_utc();
        let mut tx = self.db().begin().await?;
        draft_at(&mut tx, a.id, (id, Some(version))).await?;
        if !tx.update_meeting((id, version), &checked.fields()).await? {
            return Err(stale());
        }
        let detail = format!(
            "{}: {} {}",
            checked.title, checked.meets_on, checked.starts_at
        );
        let subject = format!("{slug}/meeting/{id}");
        tx.audit(now, Some(user.id), "meeting-edited", &subject, &detail)
            .await?;
        self.commit_public(tx).await
    }

    /// Saves the draft minutes of a meeting at `version`: at most
    /// [`MINUTES_CHARS`]; approved minutes are refused ([`Error::Conflict`]).
    pub async fn save_minutes(
        &self,
        user: &CurrentUser,
        roles: &Roles,
        a: &AgreementRecord,
        (id, version): (i64, i64),
        minutes: &str,
    ) -> Result<()> {
        let slug = &a.summary.slug;
        refuse_unless(roles, slug)?;
        let minutes = minutes.trim();
        if minutes.chars().count() > MINUTES_CHARS {
            return Err(invalid(
                "minutes",
                "minutes-length",
                "the minutes are longer than 50,000 characters; attach the full text as a document and summarise it here",
            ));
        }
        let now = OffsetDateTime::now_utc();
        let mut tx = self.db().begin().await?;
        draft_at(&mut tx, a.id, (id, Some(version))).await?;
        if !tx.save_minutes((id, version), minutes).await? {
            return Err(stale());
        }
        let subject = format!("{slug}/meeting/{id}");
        let detail = format!("{} characters", minutes.chars().count());
        tx.audit(now, Some(user.id), "minutes-saved", &subject, &detail)
            .await?;
        self.commit_public(tx).await
    }

    /// Approves the minutes as they are at `version` (not empty): from then
    /// on they are public and kept as approved.
    pub async fn approve_minutes(
        &self,
        user: &CurrentUser,
        roles: &Roles,
        a: &AgreementRecord,
        (id, version): (i64, i64),
    ) -> Result<()> {
        let slug = &a.summary.slug;
        refuse_unless(roles, slug)?;
        let now = OffsetDateTime::now_utc();
        let mut tx = self.db().begin().await?;
        let row = draft_at(&mut tx, a.id, (id, Some(version))).await?;
        if row.minutes.trim().is_empty() {
            return Err(invalid(
                "minutes",
                "minutes-missing",
                "write and save the minutes before they are approved",
            ));
        }
        let today = crate::text::today();
        if !tx.approve_minutes((id, version), (today, user.id)).await? {
            return Err(stale());
        }
        let subject = format!("{slug}/meeting/{id}");
        tx.audit(now, Some(user.id), "minutes-approved", &subject, &row.title)
            .await?;
        self.commit_public(tx).await
    }

    /// Adds a decision to a meeting whose minutes are not yet approved; it
    /// is published with them.
    pub async fn add_meeting_decision(
        &self,
        user: &CurrentUser,
        roles: &Roles,
        a: &AgreementRecord,
        id: i64,
        form: &DecisionForm,
    ) -> Result<()> {
        let slug = &a.summary.slug;
        refuse_unless(roles, slug)?;
        let mut errors = Vec::new();
        let text = text_within(
            &mut errors,
            (
                "decision",
                "meeting-decision-length",
                "write the decision, 2 to 2,000 characters",
            ),
            &form.text,
            (2, DECISION_CHARS),
        );
        let challenge = match form.challenge.trim() {
            "" => None,
            c => match self.db().challenge_in(a.id, c).await? {
                Some(id) => Some(id),
                None => {
                    errors.push(FieldError::new(
                        "decision_challenge",
                        "meeting-challenge-unknown",
                        "choose one of the agreement's challenges, or none",
                    ));
                    None
                }
            },
        };
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let now = OffsetDateTime::now_utc();
        let mut tx = self.db().begin().await?;
        draft_at(&mut tx, a.id, (id, None)).await?;
        if tx.count_meeting_decisions(id).await? >= super::DECISIONS_OF_A_MEETING {
            return Err(invalid(
                "decision",
                "meeting-decisions-full",
                "the meeting has 100 decisions, the most it may have; write the rest in the minutes or attach them as a document",
            ));
        }
        if !tx.insert_meeting_decision(id, &text, challenge).await? {
            return Err(approved_refusal());
        }
        let subject = format!("{slug}/meeting/{id}");
        tx.audit(
            now,
            Some(user.id),
            "meeting-decision-added",
            &subject,
            &text,
        )
        .await?;
        self.commit_public(tx).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> MeetingForm {
        MeetingForm {
            title: "Arbetsgruppens möte i januari".into(),
            meets_on: "2030-01-10".into(),
            starts_at: "9.30".into(),
            place: "Stadshuset, rum 3".into(),
            agenda: "1. Mötet öppnas\n2. Uppföljning\n".into(),
        }
    }

    fn codes(e: Error) -> Vec<(&'static str, &'static str, Option<String>)> {
        let Error::Validation(errors) = e else {
            panic!("a validation error, not {e:?}");
        };
        errors
            .into_iter()
            .map(|e| (e.field, e.code, e.detail))
            .collect()
    }

    #[test]
    fn a_meeting_is_stored_normalised() {
        let m = check_meeting(&form()).unwrap();
        assert_eq!(m.starts_at, "09:30");
        assert_eq!(m.agenda, "Mötet öppnas\nUppföljning");
        assert_eq!(m.meets_on.to_string(), "2030-01-10");
    }

    #[test]
    fn each_problem_is_named_at_its_field() {
        let bad = MeetingForm {
            title: "x".into(),
            meets_on: "10/1 2030".into(),
            starts_at: "25:00".into(),
            place: String::new(),
            agenda: "\n \n".into(),
        };
        assert_eq!(
            codes(check_meeting(&bad).unwrap_err()),
            [
                ("title", "meeting-title-length", None),
                ("meets_on", "meeting-date-invalid", None),
                ("starts_at", "meeting-time-invalid", None),
                ("place", "meeting-place-length", None),
                ("agenda", "meeting-agenda-missing", None),
            ]
        );
        let many = MeetingForm {
            meets_on: String::new(),
            agenda: "punkt\n".repeat(41),
            ..form()
        };
        assert_eq!(
            codes(check_meeting(&many).unwrap_err()),
            [
                ("meets_on", "meeting-date-missing", None),
                ("agenda", "meeting-agenda-items", Some("41".into())),
            ]
        );
    }
}
