//! The committees' yearly reports: sections, reflections, contributions,
//! the frozen published versions, deadlines and reminders. Writes happen
//! inside the caller's transaction.

use crate::{Conn, Db, Result, Tx, db_run, tx_run};
use sqlx::AssertSqlSafe;
use time::{Date, OffsetDateTime};

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ReportRow {
    pub id: i64,
    pub agreement_id: i64,
    pub city_body_id: i64,
    pub year: i32,
    pub status: String,
    pub went_well: String,
    pub went_badly: String,
    pub next_year: String,
    pub approved_on: Option<Date>,
    pub decision_reference: Option<String>,
    pub correction_reason: Option<String>,
    pub version: i64,
    pub updated_at: OffsetDateTime,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReflectionRow {
    pub report_id: i64,
    pub principle_id: i64,
    pub body: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ContributionRow {
    pub id: i64,
    pub report_id: i64,
    pub organisation_id: Option<i64>,
    pub party_name: String,
    pub author_id: Option<i64>,
    pub author_name: String,
    pub body: String,
    pub created_at: OffsetDateTime,
}

/// A published version of a report; `content` is the frozen document (JSON).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PublicationRow {
    pub report_id: i64,
    pub city_body_id: i64,
    pub year: i32,
    pub number: i32,
    pub published_at: OffsetDateTime,
    pub published_by_name: String,
    pub reason: Option<String>,
    pub content: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DeadlineRow {
    pub year: i32,
    pub due_on: Date,
}

/// A contribution as written.
#[derive(Debug, Clone)]
pub struct NewContribution<'a> {
    pub report_id: i64,
    pub organisation_id: Option<i64>,
    pub party_name: &'a str,
    pub author_id: Option<i64>,
    pub author_name: &'a str,
    pub body: &'a str,
    pub created_at: OffsetDateTime,
}

/// The columns of [`ReportRow`], for a `SELECT`.
const REPORT_ROW: &str =
    "id, agreement_id, city_body_id, year, status, went_well, went_badly, next_year,
     approved_on, decision_reference, correction_reason, version, updated_at";

/// Reads written once for the pool ([`Db`]) and for a transaction ([`Tx`]).
impl Conn<'_> {
    /// The reflections and contributions of one report.
    pub async fn report_texts(
        &mut self,
        report_id: i64,
    ) -> Result<(Vec<ReflectionRow>, Vec<ContributionRow>)> {
        tx_run!(self, |c| {
            let reflections = sqlx::query_as(
                "SELECT report_id, principle_id, body FROM report_reflections
                 WHERE report_id = $1 ORDER BY principle_id",
            )
            .bind(report_id)
            .fetch_all(&mut *c)
            .await?;
            let contributions = sqlx::query_as(
                "SELECT id, report_id, organisation_id, party_name, author_id, author_name, body,
                        created_at
                 FROM report_contributions WHERE report_id = $1 ORDER BY created_at, id",
            )
            .bind(report_id)
            .fetch_all(&mut *c)
            .await?;
            Ok((reflections, contributions))
        })
    }
}

impl Db {
    /// The reflections and contributions of one report.
    pub async fn report_texts(
        &self,
        report_id: i64,
    ) -> Result<(Vec<ReflectionRow>, Vec<ContributionRow>)> {
        self.acquire().await?.conn().report_texts(report_id).await
    }

    /// The reports of an agreement, by year and city body.
    pub async fn reports(&self, agreement_id: i64) -> Result<Vec<ReportRow>> {
        Ok(db_run!(self, |pool| sqlx::query_as(AssertSqlSafe(
            format!(
                "SELECT {REPORT_ROW} FROM committee_reports WHERE agreement_id = $1
             ORDER BY year, city_body_id"
            )
        ))
        .bind(agreement_id)
        .fetch_all(pool)
        .await)?)
    }

    /// Every published version of the agreement's reports, with or without
    /// the frozen documents (`content` is empty without).
    pub async fn publications(
        &self,
        agreement_id: i64,
        with_content: bool,
    ) -> Result<Vec<PublicationRow>> {
        Ok(db_run!(self, |pool| sqlx::query_as(
            "SELECT p.report_id, r.city_body_id, r.year, p.number, p.published_at,
                    p.published_by_name, p.reason,
                    CASE WHEN $2 THEN p.content ELSE '' END AS content
             FROM report_publications p JOIN committee_reports r ON r.id = p.report_id
             WHERE r.agreement_id = $1 ORDER BY r.year, r.city_body_id, p.number"
        )
        .bind(agreement_id)
        .bind(with_content)
        .fetch_all(pool)
        .await)?)
    }

    /// The published versions of one committee's report of a year, oldest
    /// first, without their documents.
    pub async fn report_versions(
        &self,
        agreement_id: i64,
        city_body_id: i64,
        year: i32,
    ) -> Result<Vec<PublicationRow>> {
        Ok(db_run!(self, |pool| sqlx::query_as(
            "SELECT p.report_id, r.city_body_id, r.year, p.number, p.published_at,
                    p.published_by_name, p.reason, '' AS content
             FROM report_publications p JOIN committee_reports r ON r.id = p.report_id
             WHERE r.agreement_id = $1 AND r.city_body_id = $2 AND r.year = $3
             ORDER BY p.number"
        )
        .bind(agreement_id)
        .bind(city_body_id)
        .bind(year)
        .fetch_all(pool)
        .await)?)
    }

    /// The frozen document of one published version.
    pub async fn publication_content(&self, report_id: i64, number: i32) -> Result<Option<String>> {
        Ok(db_run!(self, |pool| sqlx::query_scalar(
            "SELECT content FROM report_publications WHERE report_id = $1 AND number = $2"
        )
        .bind(report_id)
        .bind(number)
        .fetch_optional(pool)
        .await)?)
    }

    /// The latest published version of each of the agreement's reports
    /// (what the city-wide report counts), with or without its document.
    pub async fn latest_publications(
        &self,
        agreement_id: i64,
        with_content: bool,
    ) -> Result<Vec<PublicationRow>> {
        Ok(db_run!(self, |pool| sqlx::query_as(
            "SELECT p.report_id, r.city_body_id, r.year, p.number, p.published_at,
                    p.published_by_name, p.reason,
                    CASE WHEN $2 THEN p.content ELSE '' END AS content
             FROM report_publications p JOIN committee_reports r ON r.id = p.report_id
             WHERE r.agreement_id = $1
               AND p.number = (SELECT MAX(q.number) FROM report_publications q
                               WHERE q.report_id = p.report_id)
             ORDER BY r.year, r.city_body_id"
        )
        .bind(agreement_id)
        .bind(with_content)
        .fetch_all(pool)
        .await)?)
    }

    /// The reporting deadlines of an agreement, by year.
    pub async fn deadlines(&self, agreement_id: i64) -> Result<Vec<DeadlineRow>> {
        Ok(db_run!(self, |pool| sqlx::query_as(
            "SELECT year, due_on FROM report_deadlines WHERE agreement_id = $1 ORDER BY year"
        )
        .bind(agreement_id)
        .fetch_all(pool)
        .await)?)
    }

    /// The agreements with a deadline, as (agreement id, year, due date).
    pub async fn all_deadlines(&self) -> Result<Vec<(i64, i32, Date)>> {
        Ok(db_run!(self, |pool| sqlx::query_as(
            "SELECT agreement_id, year, due_on FROM report_deadlines ORDER BY agreement_id, year"
        )
        .fetch_all(pool)
        .await)?)
    }

    /// How many contributions each report of the agreement has, as
    /// (report id, count).
    pub async fn contribution_counts(&self, agreement_id: i64) -> Result<Vec<(i64, i64)>> {
        Ok(db_run!(self, |pool| sqlx::query_as(
            "SELECT c.report_id, COUNT(*) FROM report_contributions c
             JOIN committee_reports r ON r.id = c.report_id
             WHERE r.agreement_id = $1 GROUP BY c.report_id"
        )
        .bind(agreement_id)
        .fetch_all(pool)
        .await)?)
    }
}

impl Tx {
    /// The report of a committee and year, made (not started) if missing.
    pub async fn ensure_report(
        &mut self,
        agreement_id: i64,
        city_body_id: i64,
        year: i32,
        now: OffsetDateTime,
    ) -> Result<ReportRow> {
        tx_run!(self, |c| {
            sqlx::query(
                "INSERT INTO committee_reports (agreement_id, city_body_id, year, status, went_well,
                    went_badly, next_year, version, updated_at)
                 VALUES ($1, $2, $3, 'not-started', '', '', '', 1, $4)
                 ON CONFLICT (agreement_id, city_body_id, year) DO NOTHING",
            )
            .bind(agreement_id)
            .bind(city_body_id)
            .bind(year)
            .bind(now)
            .execute(&mut *c)
            .await?;
            Ok::<_, sqlx::Error>(())
        })?;
        self.report_row(agreement_id, city_body_id, year)
            .await?
            .ok_or(crate::DbError::NotFound)
    }

    pub async fn report_row(
        &mut self,
        agreement_id: i64,
        city_body_id: i64,
        year: i32,
    ) -> Result<Option<ReportRow>> {
        Ok(tx_run!(self, |c| sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {REPORT_ROW} FROM committee_reports
             WHERE agreement_id = $1 AND city_body_id = $2 AND year = $3"
        )))
        .bind(agreement_id)
        .bind(city_body_id)
        .bind(year)
        .fetch_optional(c)
        .await)?)
    }

    /// Writes the sections if the report is still at `version` and open;
    /// false when someone else changed it first or it was handed in.
    pub async fn save_report_sections(
        &mut self,
        id: i64,
        version: i64,
        sections: [&str; 3],
        now: OffsetDateTime,
    ) -> Result<bool> {
        Ok(tx_run!(self, |c| sqlx::query(
            "UPDATE committee_reports SET went_well = $1, went_badly = $2, next_year = $3,
                status = 'draft', version = version + 1, updated_at = $4
             WHERE id = $5 AND version = $6 AND status IN ('not-started', 'draft')"
        )
        .bind(sections[0])
        .bind(sections[1])
        .bind(sections[2])
        .bind(now)
        .bind(id)
        .bind(version)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?
            == 1)
    }

    pub async fn set_reflection(
        &mut self,
        report_id: i64,
        principle_id: i64,
        body: &str,
    ) -> Result<()> {
        tx_run!(self, |c| {
            sqlx::query(
                "DELETE FROM report_reflections WHERE report_id = $1 AND principle_id = $2",
            )
            .bind(report_id)
            .bind(principle_id)
            .execute(&mut *c)
            .await?;
            if !body.is_empty() {
                sqlx::query(
                    "INSERT INTO report_reflections (report_id, principle_id, body) VALUES ($1, $2, $3)",
                )
                .bind(report_id)
                .bind(principle_id)
                .bind(body)
                .execute(&mut *c)
                .await?;
            }
            Ok::<_, sqlx::Error>(())
        })?;
        Ok(())
    }

    /// Moves a report from one status to the next, bumping its version;
    /// false when it was not in `from` (someone else moved it first).
    pub async fn move_report(
        &mut self,
        id: i64,
        from: &str,
        to: &str,
        now: OffsetDateTime,
    ) -> Result<bool> {
        Ok(tx_run!(self, |c| sqlx::query(
            "UPDATE committee_reports SET status = $1, version = version + 1, updated_at = $2
             WHERE id = $3 AND status = $4"
        )
        .bind(to)
        .bind(now)
        .bind(id)
        .bind(from)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?
            == 1)
    }

    /// Records the committee's decision on a submitted report.
    pub async fn approve_report(
        &mut self,
        id: i64,
        approved_on: Date,
        reference: &str,
        now: OffsetDateTime,
    ) -> Result<bool> {
        Ok(tx_run!(self, |c| sqlx::query(
            "UPDATE committee_reports SET status = 'approved', approved_on = $1,
                decision_reference = $2, version = version + 1, updated_at = $3
             WHERE id = $4 AND status = 'submitted'"
        )
        .bind(approved_on)
        .bind(reference)
        .bind(now)
        .bind(id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?
            == 1)
    }

    /// Opens a published report again as a draft correction, with its reason.
    pub async fn start_correction(
        &mut self,
        id: i64,
        reason: &str,
        now: OffsetDateTime,
    ) -> Result<bool> {
        Ok(tx_run!(self, |c| sqlx::query(
            "UPDATE committee_reports SET status = 'draft', correction_reason = $1,
                approved_on = NULL, decision_reference = NULL, version = version + 1,
                updated_at = $2
             WHERE id = $3 AND status = 'published'"
        )
        .bind(reason)
        .bind(now)
        .bind(id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?
            == 1)
    }

    /// Freezes a version of the report; the number is one more than the
    /// last. Returns the number.
    pub async fn insert_publication(
        &mut self,
        report_id: i64,
        published_by_name: &str,
        reason: Option<&str>,
        content: &str,
        now: OffsetDateTime,
    ) -> Result<i32> {
        Ok(tx_run!(self, |c| sqlx::query_scalar(
            "INSERT INTO report_publications (report_id, number, published_at, published_by_name,
                reason, content)
             VALUES ($1, (SELECT COALESCE(MAX(number), 0) + 1 FROM report_publications
                          WHERE report_id = $1), $2, $3, $4, $5)
             RETURNING number"
        )
        .bind(report_id)
        .bind(now)
        .bind(published_by_name)
        .bind(reason)
        .bind(content)
        .fetch_one(c)
        .await)?)
    }

    pub async fn insert_contribution(&mut self, n: &NewContribution<'_>) -> Result<i64> {
        Ok(tx_run!(self, |c| sqlx::query_scalar(
            "INSERT INTO report_contributions (report_id, organisation_id, party_name, author_id,
                author_name, body, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id"
        )
        .bind(n.report_id)
        .bind(n.organisation_id)
        .bind(n.party_name)
        .bind(n.author_id)
        .bind(n.author_name)
        .bind(n.body)
        .bind(n.created_at)
        .fetch_one(c)
        .await)?)
    }

    /// Sets (or moves) the deadline of an agreement's reports for a year.
    pub async fn set_deadline(&mut self, agreement_id: i64, year: i32, due_on: Date) -> Result<()> {
        tx_run!(self, |c| sqlx::query(
            "INSERT INTO report_deadlines (agreement_id, year, due_on) VALUES ($1, $2, $3)
             ON CONFLICT (agreement_id, year) DO UPDATE SET due_on = excluded.due_on"
        )
        .bind(agreement_id)
        .bind(year)
        .bind(due_on)
        .execute(c)
        .await
        .map(|_| ()))?;
        Ok(())
    }

    /// Notes that a reminder was sent; false when it had been already.
    pub async fn note_reminder(
        &mut self,
        agreement_id: i64,
        city_body_id: i64,
        year: i32,
        kind: &str,
        now: OffsetDateTime,
    ) -> Result<bool> {
        Ok(tx_run!(self, |c| sqlx::query(
            "INSERT INTO report_reminders (agreement_id, city_body_id, year, kind, sent_at)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING"
        )
        .bind(agreement_id)
        .bind(city_body_id)
        .bind(year)
        .bind(kind)
        .bind(now)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?
            == 1)
    }

    /// The reflections and contributions of one report (as
    /// [`Db::report_texts`]).
    pub async fn report_texts(
        &mut self,
        report_id: i64,
    ) -> Result<(Vec<ReflectionRow>, Vec<ContributionRow>)> {
        self.conn().report_texts(report_id).await
    }
}
