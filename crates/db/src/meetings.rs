//! Meetings of an agreement (of one kind: the working group's now), their
//! decisions, and the action items that follow from them. Lists are read a
//! page at a time (`LIMIT`/`OFFSET`), each with its count, so no answer grows
//! with the database. Edits are conditional on the row's version, and the
//! minutes' on their status too (approved minutes are never written again).

use crate::{Db, Result, Tx, db_run, tx_run};
use sqlx::AssertSqlSafe;
use time::{Date, OffsetDateTime};

/// A meeting, with the name of whoever approved its minutes.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MeetingRow {
    pub id: i64,
    pub agreement_id: i64,
    pub kind: String,
    pub title: String,
    pub meets_on: Date,
    pub starts_at: String,
    pub place: String,
    pub agenda: String,
    pub minutes: String,
    pub minutes_status: String,
    pub minutes_approved_on: Option<Date>,
    /// The approver's account's name now.
    pub approved_by_name: Option<String>,
    pub version: i64,
}

/// The select list of [`MeetingRow`] (a constant; the conditions are
/// literals too, and every value is bound).
const MEETING_ROW: &str = "SELECT m.id, m.agreement_id, m.kind, m.title, m.meets_on, m.starts_at,
        m.place, m.agenda, m.minutes, m.minutes_status, m.minutes_approved_on,
        u.display_name AS approved_by_name, m.version
     FROM meetings m LEFT JOIN users u ON u.id = m.minutes_approved_by";

/// Coming meetings (from `$3`, the day), the soonest first.
const COMING: &str = "m.agreement_id = $1 AND m.kind = $2 AND m.meets_on >= $3
     ORDER BY m.meets_on, m.starts_at, m.id";
/// Past meetings (before `$3`), the latest first.
const PAST: &str = "m.agreement_id = $1 AND m.kind = $2 AND m.meets_on < $3
     ORDER BY m.meets_on DESC, m.starts_at DESC, m.id DESC";

/// The fields of a meeting a form writes.
pub struct MeetingFields<'a> {
    pub title: &'a str,
    pub meets_on: Date,
    pub starts_at: &'a str,
    pub place: &'a str,
    pub agenda: &'a str,
}

/// A decision of a meeting, with the challenge it names.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MeetingDecisionRow {
    pub id: i64,
    pub text: String,
    pub challenge_slug: Option<String>,
    pub challenge_name: Option<String>,
}

/// An action item with the names of what it links to.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ActionItemRow {
    pub id: i64,
    pub meeting_id: Option<i64>,
    pub meeting_title: Option<String>,
    pub title: String,
    /// The name typed when the owner was named.
    pub owner_name: String,
    pub owner_user_id: Option<i64>,
    /// The owner's account's name now.
    pub owner_display_name: Option<String>,
    pub due_on: Option<Date>,
    pub status: String,
    pub challenge_slug: Option<String>,
    pub challenge_name: Option<String>,
    pub plan_slug: Option<String>,
    pub activity_slug: Option<String>,
    pub activity_title: Option<String>,
    pub version: i64,
}

/// The select list of [`ActionItemRow`].
const ACTION_ROW: &str =
    "SELECT i.id, i.meeting_id, m.title AS meeting_title, i.title, i.owner_name,
        i.owner_user_id, u.display_name AS owner_display_name, i.due_on, i.status,
        c.slug AS challenge_slug, c.name AS challenge_name, p.slug AS plan_slug,
        a.slug AS activity_slug, a.title AS activity_title, i.version
     FROM action_items i LEFT JOIN meetings m ON m.id = i.meeting_id
     LEFT JOIN users u ON u.id = i.owner_user_id
     LEFT JOIN challenges c ON c.id = i.challenge_id
     LEFT JOIN activities a ON a.id = i.activity_id
     LEFT JOIN action_plans p ON p.id = a.plan_id";

/// The open items (open or in progress) of agreement `$1`: the soonest due
/// first, those without a day last.
const OPEN_ITEMS: &str = "i.agreement_id = $1 AND i.status IN ('open', 'in_progress')
     ORDER BY CASE WHEN i.due_on IS NULL THEN 1 ELSE 0 END, i.due_on, i.id";

/// The fields of an action item a form writes.
pub struct ActionFields<'a> {
    pub meeting_id: Option<i64>,
    pub title: &'a str,
    pub owner_name: &'a str,
    pub owner_user_id: Option<i64>,
    pub due_on: Option<Date>,
    pub status: &'a str,
    pub challenge_id: Option<i64>,
    pub activity_id: Option<i64>,
}

impl Db {
    /// A page of the agreement's coming (`coming`) or past meetings of
    /// `kind` as of `today`.
    pub async fn meetings_page(
        &self,
        (agreement_id, kind): (i64, &str),
        (coming, today): (bool, Date),
        (limit, offset): (i64, i64),
    ) -> Result<Vec<MeetingRow>> {
        let which = if coming { COMING } else { PAST };
        let sql = format!("{MEETING_ROW} WHERE {which} LIMIT $4 OFFSET $5");
        Ok(db_run!(self, |pool| sqlx::query_as(AssertSqlSafe(sql))
            .bind(agreement_id)
            .bind(kind)
            .bind(today)
            .bind(limit)
            .bind(offset)
            .fetch_all(pool)
            .await)?)
    }

    /// How many coming (`coming`) or past meetings of `kind` the agreement
    /// has as of `today`.
    pub async fn count_meetings(
        &self,
        (agreement_id, kind): (i64, &str),
        (coming, today): (bool, Date),
    ) -> Result<i64> {
        let sql = if coming {
            "SELECT COUNT(*) FROM meetings WHERE agreement_id = $1 AND kind = $2 AND meets_on >= $3"
        } else {
            "SELECT COUNT(*) FROM meetings WHERE agreement_id = $1 AND kind = $2 AND meets_on < $3"
        };
        Ok(db_run!(self, |pool| sqlx::query_scalar::<_, i64>(sql)
            .bind(agreement_id)
            .bind(kind)
            .bind(today)
            .fetch_one(pool)
            .await)?)
    }

    /// Meeting `id` when it is one of agreement `agreement_id`'s.
    pub async fn meeting(&self, agreement_id: i64, id: i64) -> Result<Option<MeetingRow>> {
        let sql = format!("{MEETING_ROW} WHERE m.id = $1 AND m.agreement_id = $2");
        Ok(db_run!(self, |pool| sqlx::query_as(AssertSqlSafe(sql))
            .bind(id)
            .bind(agreement_id)
            .fetch_optional(pool)
            .await)?)
    }

    /// A meeting's first `limit` decisions in their order.
    pub async fn meeting_decisions(
        &self,
        meeting_id: i64,
        limit: i64,
    ) -> Result<Vec<MeetingDecisionRow>> {
        Ok(db_run!(self, |pool| sqlx::query_as(
            "SELECT d.id, d.text, c.slug AS challenge_slug, c.name AS challenge_name
             FROM meeting_decisions d LEFT JOIN challenges c ON c.id = d.challenge_id
             WHERE d.meeting_id = $1 ORDER BY d.position, d.id LIMIT $2"
        )
        .bind(meeting_id)
        .bind(limit)
        .fetch_all(pool)
        .await)?)
    }

    /// A page of the agreement's open action items.
    pub async fn open_action_items(
        &self,
        agreement_id: i64,
        (limit, offset): (i64, i64),
    ) -> Result<Vec<ActionItemRow>> {
        let sql = format!("{ACTION_ROW} WHERE {OPEN_ITEMS} LIMIT $2 OFFSET $3");
        Ok(db_run!(self, |pool| sqlx::query_as(AssertSqlSafe(sql))
            .bind(agreement_id)
            .bind(limit)
            .bind(offset)
            .fetch_all(pool)
            .await)?)
    }

    /// How many open action items the agreement has.
    pub async fn count_open_action_items(&self, agreement_id: i64) -> Result<i64> {
        Ok(db_run!(self, |pool| sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM action_items
             WHERE agreement_id = $1 AND status IN ('open', 'in_progress')"
        )
        .bind(agreement_id)
        .fetch_one(pool)
        .await)?)
    }

    /// The first `limit` action items that came from a meeting, in the
    /// order they were made.
    pub async fn action_items_of_meeting(
        &self,
        meeting_id: i64,
        limit: i64,
    ) -> Result<Vec<ActionItemRow>> {
        let sql = format!("{ACTION_ROW} WHERE i.meeting_id = $1 ORDER BY i.id LIMIT $2");
        Ok(db_run!(self, |pool| sqlx::query_as(AssertSqlSafe(sql))
            .bind(meeting_id)
            .bind(limit)
            .fetch_all(pool)
            .await)?)
    }

    /// Action item `id` when it is one of agreement `agreement_id`'s.
    pub async fn action_item(&self, agreement_id: i64, id: i64) -> Result<Option<ActionItemRow>> {
        let sql = format!("{ACTION_ROW} WHERE i.id = $1 AND i.agreement_id = $2");
        Ok(db_run!(self, |pool| sqlx::query_as(AssertSqlSafe(sql))
            .bind(id)
            .bind(agreement_id)
            .fetch_optional(pool)
            .await)?)
    }

    /// The id of the agreement's challenge `slug`.
    pub async fn challenge_in(&self, agreement_id: i64, slug: &str) -> Result<Option<i64>> {
        Ok(db_run!(self, |pool| sqlx::query_scalar(
            "SELECT id FROM challenges WHERE agreement_id = $1 AND slug = $2"
        )
        .bind(agreement_id)
        .bind(slug)
        .fetch_optional(pool)
        .await)?)
    }

    /// The id of activity `activity` of the agreement's plan `plan` (slugs).
    pub async fn activity_in(
        &self,
        agreement_id: i64,
        (plan, activity): (&str, &str),
    ) -> Result<Option<i64>> {
        Ok(db_run!(self, |pool| sqlx::query_scalar(
            "SELECT a.id FROM activities a JOIN action_plans p ON p.id = a.plan_id
             WHERE p.agreement_id = $1 AND p.slug = $2 AND a.slug = $3"
        )
        .bind(agreement_id)
        .bind(plan)
        .bind(activity)
        .fetch_optional(pool)
        .await)?)
    }

    /// Whether meeting `id` is one of agreement `agreement_id`'s.
    pub async fn meeting_in(&self, agreement_id: i64, id: i64) -> Result<bool> {
        Ok(db_run!(self, |pool| sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM meetings WHERE id = $1 AND agreement_id = $2"
        )
        .bind(id)
        .bind(agreement_id)
        .fetch_one(pool)
        .await)?
            > 0)
    }
}

/// An action item an account owns, for its personal-data export.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OwnedItemRow {
    pub agreement: String,
    pub title: String,
    pub due_on: Option<Date>,
    pub status: String,
}

impl Db {
    /// The action items an account owns or owned, oldest first.
    pub async fn action_items_owned_by(&self, user_id: i64) -> Result<Vec<OwnedItemRow>> {
        Ok(db_run!(self, |pool| sqlx::query_as(
            "SELECT a.slug AS agreement, i.title, i.due_on, i.status FROM action_items i
             JOIN agreements a ON a.id = i.agreement_id
             WHERE i.owner_user_id = $1 ORDER BY i.id"
        )
        .bind(user_id)
        .fetch_all(pool)
        .await)?)
    }
}

impl Tx {
    /// Writes a meeting with draft (empty) minutes; its id.
    pub async fn insert_meeting(
        &mut self,
        (agreement_id, kind): (i64, &str),
        m: &MeetingFields<'_>,
        (by, at): (i64, OffsetDateTime),
    ) -> Result<i64> {
        Ok(tx_run!(self, |c| sqlx::query_scalar::<_, i64>(
            "INSERT INTO meetings (agreement_id, kind, title, meets_on, starts_at, place, agenda,
                                   minutes, minutes_status, created_by, created_at, version)
             VALUES ($1, $2, $3, $4, $5, $6, $7, '', 'draft', $8, $9, 1) RETURNING id"
        )
        .bind(agreement_id)
        .bind(kind)
        .bind(m.title)
        .bind(m.meets_on)
        .bind(m.starts_at)
        .bind(m.place)
        .bind(m.agenda)
        .bind(by)
        .bind(at)
        .fetch_one(c)
        .await)?)
    }

    /// Meeting `id` of agreement `agreement_id`, read in the writing
    /// transaction.
    pub async fn meeting(&mut self, agreement_id: i64, id: i64) -> Result<Option<MeetingRow>> {
        let sql = format!("{MEETING_ROW} WHERE m.id = $1 AND m.agreement_id = $2");
        Ok(tx_run!(self, |c| sqlx::query_as(AssertSqlSafe(sql))
            .bind(id)
            .bind(agreement_id)
            .fetch_optional(c)
            .await)?)
    }

    /// Rewrites a meeting's title, time, place and agenda if it is still at
    /// `version`; false when someone changed it first.
    pub async fn update_meeting(
        &mut self,
        (id, version): (i64, i64),
        m: &MeetingFields<'_>,
    ) -> Result<bool> {
        Ok(tx_run!(self, |c| {
            sqlx::query_scalar::<_, i64>(
            "UPDATE meetings SET title = $1, meets_on = $2, starts_at = $3, place = $4, agenda = $5,
                                 version = version + 1
             WHERE id = $6 AND version = $7 RETURNING id"
        )
        .bind(m.title)
        .bind(m.meets_on)
        .bind(m.starts_at)
        .bind(m.place)
        .bind(m.agenda)
        .bind(id)
        .bind(version)
        .fetch_optional(c)
        .await
        })?
        .is_some())
    }

    /// Writes the draft minutes if the meeting is still at `version` and
    /// its minutes a draft; false otherwise.
    pub async fn save_minutes(&mut self, (id, version): (i64, i64), minutes: &str) -> Result<bool> {
        Ok(tx_run!(self, |c| sqlx::query_scalar::<_, i64>(
            "UPDATE meetings SET minutes = $1, version = version + 1
             WHERE id = $2 AND version = $3 AND minutes_status = 'draft' RETURNING id"
        )
        .bind(minutes)
        .bind(id)
        .bind(version)
        .fetch_optional(c)
        .await)?
        .is_some())
    }

    /// Approves the draft minutes as they are at `version`, on `on` by
    /// `by`; false when they changed or were approved first.
    pub async fn approve_minutes(
        &mut self,
        (id, version): (i64, i64),
        (on, by): (Date, i64),
    ) -> Result<bool> {
        Ok(tx_run!(self, |c| sqlx::query_scalar::<_, i64>(
            "UPDATE meetings SET minutes_status = 'approved', minutes_approved_on = $1,
                                 minutes_approved_by = $2, version = version + 1
             WHERE id = $3 AND version = $4 AND minutes_status = 'draft' RETURNING id"
        )
        .bind(on)
        .bind(by)
        .bind(id)
        .bind(version)
        .fetch_optional(c)
        .await)?
        .is_some())
    }

    /// Adds a decision to a meeting whose minutes are still a draft, as the
    /// last, moving the meeting's version (an approval made on the page
    /// without it is then stale); false when the minutes were approved.
    pub async fn insert_meeting_decision(
        &mut self,
        meeting_id: i64,
        text: &str,
        challenge_id: Option<i64>,
    ) -> Result<bool> {
        let draft = tx_run!(self, |c| sqlx::query_scalar::<_, i64>(
            "UPDATE meetings SET version = version + 1
             WHERE id = $1 AND minutes_status = 'draft' RETURNING id"
        )
        .bind(meeting_id)
        .fetch_optional(c)
        .await)?;
        if draft.is_none() {
            return Ok(false);
        }
        tx_run!(self, |c| sqlx::query(
            "INSERT INTO meeting_decisions (meeting_id, position, text, challenge_id)
             VALUES ($1, (SELECT CAST(COALESCE(MAX(position), 0) + 1 AS INTEGER)
                          FROM meeting_decisions WHERE meeting_id = $1), $2, $3)"
        )
        .bind(meeting_id)
        .bind(text)
        .bind(challenge_id)
        .execute(c)
        .await
        .map(|_| ()))?;
        Ok(true)
    }

    /// How many decisions a meeting has.
    pub async fn count_meeting_decisions(&mut self, meeting_id: i64) -> Result<i64> {
        Ok(tx_run!(self, |c| sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM meeting_decisions WHERE meeting_id = $1"
        )
        .bind(meeting_id)
        .fetch_one(c)
        .await)?)
    }

    /// Writes an action item; its id.
    pub async fn insert_action_item(
        &mut self,
        agreement_id: i64,
        f: &ActionFields<'_>,
        at: OffsetDateTime,
    ) -> Result<i64> {
        Ok(tx_run!(self, |c| sqlx::query_scalar::<_, i64>(
            "INSERT INTO action_items (agreement_id, meeting_id, title, owner_name, owner_user_id,
                                       due_on, status, challenge_id, activity_id, created_at,
                                       updated_at, version)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, 1) RETURNING id"
        )
        .bind(agreement_id)
        .bind(f.meeting_id)
        .bind(f.title)
        .bind(f.owner_name)
        .bind(f.owner_user_id)
        .bind(f.due_on)
        .bind(f.status)
        .bind(f.challenge_id)
        .bind(f.activity_id)
        .bind(at)
        .fetch_one(c)
        .await)?)
    }

    /// Rewrites an action item (its meeting stays) if it is still at
    /// `version`; false when someone changed it first.
    pub async fn update_action_item(
        &mut self,
        (id, version): (i64, i64),
        f: &ActionFields<'_>,
        at: OffsetDateTime,
    ) -> Result<bool> {
        Ok(tx_run!(self, |c| sqlx::query_scalar::<_, i64>(
            "UPDATE action_items SET title = $1, owner_name = $2, owner_user_id = $3, due_on = $4,
                                     status = $5, challenge_id = $6, activity_id = $7,
                                     updated_at = $8, version = version + 1
             WHERE id = $9 AND version = $10 RETURNING id"
        )
        .bind(f.title)
        .bind(f.owner_name)
        .bind(f.owner_user_id)
        .bind(f.due_on)
        .bind(f.status)
        .bind(f.challenge_id)
        .bind(f.activity_id)
        .bind(at)
        .bind(id)
        .bind(version)
        .fetch_optional(c)
        .await)?
        .is_some())
    }
}
