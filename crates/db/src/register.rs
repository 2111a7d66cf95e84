//! The collaboration register (each city body's records of collaboration
//! with organisations, and the organisations' remarks on them) and the
//! committees' yearly reports (sections, reflections, contributions, the
//! frozen published versions, deadlines and reminders). Writes happen
//! inside the caller's transaction.

use crate::{Columns, Conn, Db, Param, Result, Tx, db_run, tx_run};
use sqlx::AssertSqlSafe;
use time::{Date, OffsetDateTime};

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct RecordRow {
    pub id: i64,
    pub agreement_id: i64,
    pub city_body_id: i64,
    pub form: String,
    pub title: String,
    pub description: String,
    pub outcome: String,
    pub starts_on: Date,
    pub ends_on: Date,
    pub district_id: Option<i64>,
    pub challenge_id: Option<i64>,
    pub activity_id: Option<i64>,
    pub version: i64,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RecordLinkRow {
    pub collaboration_id: i64,
    pub other_id: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct MoneyRow {
    pub collaboration_id: i64,
    pub year: i32,
    pub amount_sek: i64,
}

/// Records with their organisations, money and principles.
#[derive(Debug, Default, Clone)]
pub struct RecordRows {
    pub records: Vec<RecordRow>,
    pub organisations: Vec<RecordLinkRow>,
    pub money: Vec<MoneyRow>,
    pub principles: Vec<RecordLinkRow>,
}

/// Which records to read: every `Some` narrows the set.
#[derive(Debug, Default, Clone, Copy)]
pub struct RecordScope {
    pub agreement: i64,
    pub record: Option<i64>,
    pub city_body: Option<i64>,
    pub organisation: Option<i64>,
    /// Records whose period touches `from..=to`.
    pub from: Option<Date>,
    pub to: Option<Date>,
}

/// The values of a record as written (links apart).
#[derive(Debug, Clone)]
pub struct RecordValues {
    pub agreement_id: i64,
    pub city_body_id: i64,
    pub form: String,
    pub title: String,
    pub description: String,
    pub outcome: String,
    pub starts_on: Date,
    pub ends_on: Date,
    pub district_id: Option<i64>,
    pub challenge_id: Option<i64>,
    pub activity_id: Option<i64>,
}

/// A record's organisations, money per year and principles.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordLinks {
    pub organisations: Vec<i64>,
    pub money: Vec<(i32, i64)>,
    pub principles: Vec<i64>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RemarkRow {
    pub id: i64,
    pub collaboration_id: i64,
    pub organisation_id: i64,
    pub kind: String,
    pub body: String,
    pub author_id: Option<i64>,
    pub author_name: String,
    pub created_at: OffsetDateTime,
    pub resolved_at: Option<OffsetDateTime>,
    pub resolved_by_name: Option<String>,
    pub response: Option<String>,
}

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

/// The columns of [`RecordRow`], for a `SELECT`.
const RECORD_ROW: &str =
    "id, agreement_id, city_body_id, form, title, description, outcome, starts_on, ends_on,
     district_id, challenge_id, activity_id, version, created_at, updated_at";

/// The columns of [`ReportRow`], for a `SELECT`.
const REPORT_ROW: &str =
    "id, agreement_id, city_body_id, year, status, went_well, went_badly, next_year,
     approved_on, decision_reference, correction_reason, version, updated_at";

/// The condition that picks the records of a [`RecordScope`] on
/// `collaborations`, with the scope bound as [`RecordScope::params`].
const IN_SCOPE: &str = "agreement_id = $6 AND ($1 IS NULL OR id = $1)
     AND ($2 IS NULL OR city_body_id = $2)
     AND ($3 IS NULL OR id IN (SELECT collaboration_id FROM collaboration_organisations
                               WHERE organisation_id = $3))
     AND ($4 IS NULL OR ends_on >= $4)
     AND ($5 IS NULL OR starts_on <= $5)";

impl RecordScope {
    /// The parameters `$1` … `$6` of [`IN_SCOPE`].
    fn params(&self) -> [Param<'static>; 6] {
        [
            Param::OptInt(self.record),
            Param::OptInt(self.city_body),
            Param::OptInt(self.organisation),
            Param::OptDate(self.from),
            Param::OptDate(self.to),
            Param::Int(self.agreement),
        ]
    }
}

/// A record's own columns beside their values: the one list from which the
/// insert and the update are generated, so a column is added here.
pub(crate) fn record_columns(v: &RecordValues) -> [(&'static str, Param<'_>); 11] {
    [
        ("agreement_id", Param::Int(v.agreement_id)),
        ("city_body_id", Param::Int(v.city_body_id)),
        ("form", Param::Text(&v.form)),
        ("title", Param::Text(&v.title)),
        ("description", Param::Text(&v.description)),
        ("outcome", Param::Text(&v.outcome)),
        ("starts_on", Param::Date(v.starts_on)),
        ("ends_on", Param::Date(v.ends_on)),
        ("district_id", Param::OptInt(v.district_id)),
        ("challenge_id", Param::OptInt(v.challenge_id)),
        ("activity_id", Param::OptInt(v.activity_id)),
    ]
}

/// Reads written once for the pool ([`Db`]) and for a transaction ([`Tx`]):
/// both call these on their connection.
impl Conn<'_> {
    /// The records in `scope` with their links, newest period first.
    pub async fn records(&mut self, scope: RecordScope) -> Result<RecordRows> {
        let params = scope.params();
        Ok(RecordRows {
            records: self
                .fetch_all_with(
                    &format!(
                        "SELECT {RECORD_ROW} FROM collaborations WHERE {IN_SCOPE}
                         ORDER BY starts_on DESC, title, id"
                    ),
                    &params,
                )
                .await?,
            organisations: self
                .fetch_all_with(
                    &format!(
                        "SELECT l.collaboration_id, l.organisation_id AS other_id
                         FROM collaboration_organisations l
                         JOIN organisations o ON o.id = l.organisation_id
                         WHERE l.collaboration_id IN (SELECT id FROM collaborations WHERE {IN_SCOPE})
                         ORDER BY l.collaboration_id, o.name"
                    ),
                    &params,
                )
                .await?,
            money: self
                .fetch_all_with(
                    &format!(
                        "SELECT collaboration_id, year, amount_sek FROM collaboration_money
                         WHERE collaboration_id IN (SELECT id FROM collaborations WHERE {IN_SCOPE})
                         ORDER BY collaboration_id, year"
                    ),
                    &params,
                )
                .await?,
            principles: self
                .fetch_all_with(
                    &format!(
                        "SELECT collaboration_id, principle_id AS other_id FROM collaboration_principles
                         WHERE collaboration_id IN (SELECT id FROM collaborations WHERE {IN_SCOPE})
                         ORDER BY collaboration_id, principle_id"
                    ),
                    &params,
                )
                .await?,
        })
    }

    /// The names behind the register's ids for one agreement.
    pub async fn register_refs(&mut self, agreement_id: i64) -> Result<RegisterRefs> {
        tx_run!(self, |c| {
            let municipality_id: i64 =
                sqlx::query_scalar("SELECT municipality_id FROM agreements WHERE id = $1")
                    .bind(agreement_id)
                    .fetch_one(&mut *c)
                    .await?;
            Ok(RegisterRefs {
                agreement_id,
                municipality_id,
                bodies: sqlx::query_as(
                    "SELECT id, slug, name, kind FROM city_bodies WHERE municipality_id = $1
                     ORDER BY position, name",
                )
                .bind(municipality_id)
                .fetch_all(&mut *c)
                .await?,
                organisations: sqlx::query_as(
                    "SELECT id, slug, name, org_number FROM organisations ORDER BY name, id",
                )
                .fetch_all(&mut *c)
                .await?,
                districts: sqlx::query_as(
                    "SELECT id, slug, name FROM districts WHERE municipality_id = $1 ORDER BY position",
                )
                .bind(municipality_id)
                .fetch_all(&mut *c)
                .await?,
                challenges: sqlx::query_as(
                    "SELECT id, slug, name FROM challenges WHERE agreement_id = $1 ORDER BY position",
                )
                .bind(agreement_id)
                .fetch_all(&mut *c)
                .await?,
                principles: sqlx::query_as(
                    "SELECT id, slug, name FROM principles WHERE agreement_id = $1 ORDER BY position",
                )
                .bind(agreement_id)
                .fetch_all(&mut *c)
                .await?,
                activities: sqlx::query_as(
                    "SELECT a.id, p.slug AS plan_slug, a.slug, a.title, a.starts_on, a.ends_on, a.status
                     FROM activities a JOIN action_plans p ON p.id = a.plan_id
                     WHERE p.agreement_id = $1 ORDER BY p.starts_on, a.title",
                )
                .bind(agreement_id)
                .fetch_all(&mut *c)
                .await?,
                activity_bodies: sqlx::query_as(
                    "SELECT x.activity_id, x.city_body_id FROM activity_parties x
                     JOIN activities a ON a.id = x.activity_id JOIN action_plans p ON p.id = a.plan_id
                     WHERE p.agreement_id = $1 AND x.city_body_id IS NOT NULL",
                )
                .bind(agreement_id)
                .fetch_all(&mut *c)
                .await?,
            })
        })
    }

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
    /// The records in `scope` with their links, newest period first.
    pub async fn records(&self, scope: RecordScope) -> Result<RecordRows> {
        self.acquire().await?.conn().records(scope).await
    }

    /// The remarks on the given records, oldest first.
    pub async fn remarks(&self, record_ids: &[i64]) -> Result<Vec<RemarkRow>> {
        if record_ids.is_empty() {
            return Ok(Vec::new());
        }
        Ok(db_run!(self, |pool| {
            let mut q = sqlx::QueryBuilder::new(
                "SELECT id, collaboration_id, organisation_id, kind, body, author_id, author_name,
                        created_at, resolved_at, resolved_by_name, response
                 FROM collaboration_remarks WHERE collaboration_id IN (",
            );
            let mut ids = q.separated(", ");
            for id in record_ids {
                ids.push_bind(*id);
            }
            q.push(") ORDER BY created_at, id");
            q.build_query_as().fetch_all(pool).await?
        }))
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

    /// The reflections and contributions of one report.
    pub async fn report_texts(
        &self,
        report_id: i64,
    ) -> Result<(Vec<ReflectionRow>, Vec<ContributionRow>)> {
        self.acquire().await?.conn().report_texts(report_id).await
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
}

impl Tx {
    pub async fn record_row(&mut self, id: i64) -> Result<Option<RecordRow>> {
        Ok(tx_run!(self, |c| sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {RECORD_ROW} FROM collaborations WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(c)
        .await)?)
    }

    pub async fn insert_record(
        &mut self,
        v: &RecordValues,
        created_by: Option<i64>,
        now: OffsetDateTime,
    ) -> Result<i64> {
        let own = [Param::OptInt(created_by), Param::Time(now)];
        let columns = Columns::new(&own, record_columns(v));
        let sql = format!(
            "INSERT INTO collaborations (created_by, version, created_at, updated_at, {})
             VALUES ($1, 1, $2, $2, {}) RETURNING id",
            columns.names(),
            columns.placeholders()
        );
        self.conn()
            .returning_id(&sql, &columns.params)
            .await?
            .ok_or(crate::DbError::NotFound)
    }

    /// Updates a record if it is still at `version`; false when someone
    /// else changed it first.
    pub async fn update_record(
        &mut self,
        id: i64,
        version: i64,
        v: &RecordValues,
        now: OffsetDateTime,
    ) -> Result<bool> {
        self.update_versioned("collaborations", (id, version), record_columns(v), now)
            .await
    }

    /// Replaces a record's organisations, money and principles.
    pub async fn write_record_links(&mut self, id: i64, links: &RecordLinks) -> Result<()> {
        tx_run!(self, |c| {
            for table in [
                "DELETE FROM collaboration_organisations WHERE collaboration_id = $1",
                "DELETE FROM collaboration_money WHERE collaboration_id = $1",
                "DELETE FROM collaboration_principles WHERE collaboration_id = $1",
            ] {
                sqlx::query(table).bind(id).execute(&mut *c).await?;
            }
            for org in &links.organisations {
                sqlx::query(
                    "INSERT INTO collaboration_organisations (collaboration_id, organisation_id)
                     VALUES ($1, $2)",
                )
                .bind(id)
                .bind(org)
                .execute(&mut *c)
                .await?;
            }
            for (year, amount) in &links.money {
                sqlx::query(
                    "INSERT INTO collaboration_money (collaboration_id, year, amount_sek)
                     VALUES ($1, $2, $3)",
                )
                .bind(id)
                .bind(year)
                .bind(amount)
                .execute(&mut *c)
                .await?;
            }
            for principle in &links.principles {
                sqlx::query(
                    "INSERT INTO collaboration_principles (collaboration_id, principle_id)
                     VALUES ($1, $2)",
                )
                .bind(id)
                .bind(principle)
                .execute(&mut *c)
                .await?;
            }
            Ok::<_, sqlx::Error>(())
        })?;
        Ok(())
    }

    pub async fn insert_remark(&mut self, remark: &NewRemark<'_>) -> Result<i64> {
        let NewRemark {
            record_id,
            organisation_id,
            kind,
            body,
            author_id,
            author_name,
            created_at: now,
        } = *remark;
        Ok(tx_run!(self, |c| sqlx::query_scalar(
            "INSERT INTO collaboration_remarks (collaboration_id, organisation_id, kind, body,
                author_id, author_name, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id"
        )
        .bind(record_id)
        .bind(organisation_id)
        .bind(kind)
        .bind(body)
        .bind(author_id)
        .bind(author_name)
        .bind(now)
        .fetch_one(c)
        .await)?)
    }

    /// Marks a remark on `record_id` as answered; false when it was already.
    pub async fn resolve_remark(
        &mut self,
        record_id: i64,
        remark_id: i64,
        response: &str,
        by_name: &str,
        now: OffsetDateTime,
    ) -> Result<bool> {
        Ok(tx_run!(self, |c| {
            sqlx::query(
            "UPDATE collaboration_remarks SET resolved_at = $1, resolved_by_name = $2, response = $3
             WHERE id = $4 AND collaboration_id = $5 AND resolved_at IS NULL"
        )
        .bind(now)
        .bind(by_name)
        .bind(response)
        .bind(remark_id)
        .bind(record_id)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
        })? == 1)
    }

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
}

/// The names behind the ids a record or report holds, for one agreement:
/// read once per page, so records store ids and show names.
#[derive(Debug, Default, Clone)]
pub struct RegisterRefs {
    pub agreement_id: i64,
    pub municipality_id: i64,
    /// (id, slug, name, kind), in the municipality's order.
    pub bodies: Vec<(i64, String, String, String)>,
    /// (id, slug, name, organisation number), by name.
    pub organisations: Vec<(i64, String, String, Option<String>)>,
    /// (id, slug, name), in order.
    pub districts: Vec<(i64, String, String)>,
    pub challenges: Vec<(i64, String, String)>,
    pub principles: Vec<(i64, String, String)>,
    pub activities: Vec<ActivityRef>,
    /// (activity id, city body id) for every city body taking part.
    pub activity_bodies: Vec<(i64, i64)>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ActivityRef {
    pub id: i64,
    pub plan_slug: String,
    pub slug: String,
    pub title: String,
    pub starts_on: Date,
    pub ends_on: Date,
    pub status: String,
}

impl Db {
    pub async fn register_refs(&self, agreement_id: i64) -> Result<RegisterRefs> {
        self.acquire()
            .await?
            .conn()
            .register_refs(agreement_id)
            .await
    }
}

impl Db {
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

    /// An agreement's slug and name.
    pub async fn agreement_name(&self, agreement_id: i64) -> Result<(String, String)> {
        Ok(db_run!(self, |pool| sqlx::query_as(
            "SELECT slug, name FROM agreements WHERE id = $1"
        )
        .bind(agreement_id)
        .fetch_one(pool)
        .await)?)
    }
}

/// Reads inside a transaction, for the demonstration loader: it checks
/// records against the register it has just written and freezes reports
/// built from rows it has not committed yet. The same queries as the
/// [`Db`] reads, written once on [`Conn`].
impl Tx {
    /// The names behind the register's ids (as [`Db::register_refs`]).
    pub async fn register_refs(&mut self, agreement_id: i64) -> Result<RegisterRefs> {
        self.conn().register_refs(agreement_id).await
    }

    /// The records in `scope` with their links (as [`Db::records`]).
    pub async fn records(&mut self, scope: RecordScope) -> Result<RecordRows> {
        self.conn().records(scope).await
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

/// Something a person wrote on the register or a report, for the export of
/// their personal data: (where, when, what kind, text).
pub type WrittenText = (String, OffsetDateTime, String, String);

impl Db {
    /// The remarks and report contributions a person wrote.
    pub async fn register_texts_by(&self, user_id: i64) -> Result<Vec<WrittenText>> {
        Ok(db_run!(self, |pool| sqlx::query_as(
            "SELECT c.title AS place, r.created_at, r.kind, r.body
             FROM collaboration_remarks r JOIN collaborations c ON c.id = r.collaboration_id
             WHERE r.author_id = $1
             UNION ALL
             SELECT b.name || ' ' || CAST(p.year AS TEXT), x.created_at, 'contribution', x.body
             FROM report_contributions x JOIN committee_reports p ON p.id = x.report_id
             JOIN city_bodies b ON b.id = p.city_body_id
             WHERE x.author_id = $1
             ORDER BY 2 DESC"
        )
        .bind(user_id)
        .fetch_all(pool)
        .await)?)
    }
}

/// A remark on a record as written: a comment, or a mistake flagged, by a
/// member of an organisation the record names.
#[derive(Debug, Clone, Copy)]
pub struct NewRemark<'a> {
    pub record_id: i64,
    pub organisation_id: i64,
    pub kind: &'a str,
    pub body: &'a str,
    pub author_id: i64,
    pub author_name: &'a str,
    pub created_at: OffsetDateTime,
}
