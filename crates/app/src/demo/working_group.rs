//! Demonstration data of a working group (`demo/sjovik-working-group.toml`):
//! meetings checked by the meeting form's own rules ([`check_meeting`]),
//! their minutes and decisions, approved as the approval does it (only
//! written minutes), and action items. Days are counted from the day of
//! the load, so the demo always has a coming meeting and a past one.
//!
//! It is loaded inside the demo's transaction, after the accounts (a
//! meeting is planned and approved by one), like the register's data.

use crate::demo::{DemoReport, LoadedIds};
use crate::working_group::meetings::{MeetingForm, check_meeting};
use crate::{Error, Result};
use samverkan_db::Tx;
use samverkan_db::meetings::ActionFields;
use samverkan_domain::{ActionStatus, MeetingKind};
use serde::Deserialize;
use time::{Duration, OffsetDateTime};

/// The working-group file.
pub const FILE: (&str, &str) = (
    "demo/sjovik-working-group.toml",
    include_str!("../../../../demo/sjovik-working-group.toml"),
);

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkingGroupFile {
    agreement: String,
    /// The e-mail address of the account that plans and approves.
    by: String,
    #[serde(default)]
    meetings: Vec<DemoMeeting>,
    #[serde(default)]
    action_items: Vec<DemoActionItem>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoMeeting {
    title: String,
    /// Days from the day of the load (negative: before).
    in_days: i64,
    starts_at: String,
    place: String,
    agenda: String,
    #[serde(default)]
    minutes: String,
    #[serde(default)]
    decisions: Vec<DemoDecision>,
    #[serde(default)]
    approved: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoDecision {
    text: String,
    /// A challenge's slug, or empty.
    challenge: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoActionItem {
    title: String,
    /// The owner's account (an e-mail address of the demo's accounts) …
    #[serde(default)]
    owner: Option<String>,
    /// … or a name.
    #[serde(default)]
    owner_name: Option<String>,
    due_in_days: i64,
    status: ActionStatus,
    /// The meeting it came from, counted from 1 in the file.
    meeting: Option<usize>,
    #[serde(default)]
    challenge: Option<String>,
}

/// Parses the file; the error names it and what is wrong.
pub fn parse(name: &str, text: &str) -> Result<WorkingGroupFile> {
    toml::from_str(text).map_err(|e| invalid(name, e.to_string()))
}

fn invalid(name: &str, message: impl std::fmt::Display) -> Error {
    Error::bad_request("demo-data-invalid", format!("{name}: {message}"))
}

/// Writes the meetings, their minutes and decisions, and the action items.
pub async fn load(
    tx: &mut Tx,
    name: &str,
    file: &WorkingGroupFile,
    ids: &LoadedIds,
    report: &mut DemoReport,
) -> Result<()> {
    let agreement = *ids
        .agreements
        .get(&file.agreement)
        .ok_or_else(|| invalid(name, format!("no agreement {}", file.agreement)))?;
    let (by, _) = ids
        .users
        .get(&file.by)
        .cloned()
        .ok_or_else(|| invalid(name, format!("no demo account {}", file.by)))?;
    let now = OffsetDateTime::now_utc();
    let today = crate::text::today();
    let challenge = |slug: &str| -> Result<Option<i64>> {
        if slug.is_empty() {
            return Ok(None);
        }
        let key = (file.agreement.clone(), slug.to_owned());
        (ids.challenges.get(&key).copied().map(Some))
            .ok_or_else(|| invalid(name, format!("no challenge {slug}")))
    };
    let mut meetings = Vec::new();
    for m in &file.meetings {
        let form = MeetingForm {
            title: m.title.clone(),
            meets_on: (today + Duration::days(m.in_days)).to_string(),
            starts_at: m.starts_at.clone(),
            place: m.place.clone(),
            agenda: m.agenda.clone(),
        };
        let checked = check_meeting(&form).map_err(|e| invalid(name, e))?;
        let kind = (agreement, MeetingKind::WorkingGroup.as_str());
        let id = tx
            .insert_meeting(kind, &checked.fields(), (by, now))
            .await?;
        let mut version = 1;
        if !m.minutes.trim().is_empty() {
            tx.save_minutes((id, version), m.minutes.trim()).await?;
            version += 1;
        }
        for d in &m.decisions {
            tx.insert_meeting_decision(id, d.text.trim(), challenge(&d.challenge)?)
                .await?;
            version += 1;
        }
        if m.approved {
            if m.minutes.trim().is_empty() {
                return Err(invalid(
                    name,
                    format!("{}: approved minutes are written", m.title),
                ));
            }
            // A week after the meeting, and not after today.
            let on = (today + Duration::days(m.in_days + 7)).min(today);
            if !tx.approve_minutes((id, version), (on, by)).await? {
                return Err(invalid(name, format!("{}: not approved", m.title)));
            }
        }
        meetings.push(id);
        report.meetings += 1;
    }
    for item in &file.action_items {
        let (owner_user_id, owner_name) = match (&item.owner, &item.owner_name) {
            (Some(email), None) => {
                let (id, shown) = (ids.users.get(email).cloned())
                    .ok_or_else(|| invalid(name, format!("no demo account {email}")))?;
                (Some(id), shown)
            }
            (None, Some(n)) => (None, n.clone()),
            _ => {
                return Err(invalid(
                    name,
                    "an action item has an owner or an owner_name",
                ));
            }
        };
        let meeting_id = match item.meeting {
            Some(n) => Some(
                *(meetings.get(n.wrapping_sub(1)))
                    .ok_or_else(|| invalid(name, format!("no meeting {n}")))?,
            ),
            None => None,
        };
        let fields = ActionFields {
            meeting_id,
            title: item.title.trim(),
            owner_name: &owner_name,
            owner_user_id,
            due_on: Some(today + Duration::days(item.due_in_days)),
            status: item.status.as_str(),
            challenge_id: challenge(item.challenge.as_deref().unwrap_or_default())?,
            activity_id: None,
        };
        tx.insert_action_item(agreement, &fields, now).await?;
    }
    Ok(())
}
