//! The collaboration register: each city body's records of collaboration
//! with organisations, and the organisations' remarks on them. Writes
//! happen inside the caller's transaction. The yearly reports' queries are
//! in [`crate::reports`].

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
    /// Records of this form (as stored, e.g. `grant-in-kind`).
    pub form: Option<&'static str>,
}

/// One page of a list: at most `limit` rows after skipping `offset`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub limit: i64,
    pub offset: i64,
}

/// The key figures of the records in a scope.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, sqlx::FromRow)]
pub struct RecordFigures {
    pub records: i64,
    /// Organisations named by at least one record.
    pub organisations: i64,
    /// The money of the chosen year, or of the whole periods.
    pub money: i64,
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

/// The columns of [`RecordRow`], for a `SELECT`.
const RECORD_ROW: &str =
    "id, agreement_id, city_body_id, form, title, description, outcome, starts_on, ends_on,
     district_id, challenge_id, activity_id, version, created_at, updated_at";

/// The condition that picks the records of a [`RecordScope`] on
/// `collaborations`, with the scope bound as [`RecordScope::params`].
const IN_SCOPE: &str = "agreement_id = $6 AND ($1 IS NULL OR id = $1)
     AND ($2 IS NULL OR city_body_id = $2)
     AND ($3 IS NULL OR id IN (SELECT collaboration_id FROM collaboration_organisations
                               WHERE organisation_id = $3))
     AND ($4 IS NULL OR ends_on >= $4)
     AND ($5 IS NULL OR starts_on <= $5)
     AND ($7 IS NULL OR form = $7)";

/// The columns of an [`ActivityRef`], from `activities a` joined to its
/// plan `p`.
const ACTIVITY_REF: &str =
    "SELECT a.id, p.slug AS plan_slug, a.slug, a.title, a.starts_on, a.ends_on, a.status
     FROM activities a JOIN action_plans p ON p.id = a.plan_id";

/// The order of a register's records, newest period first, and the page
/// of it (`$8` rows after `$9`) that [`Conn::records_page`] reads.
const RECORD_ORDER: &str = "ORDER BY starts_on DESC, title, id";
const PAGE_OF_SCOPE: &str = "LIMIT $8 OFFSET $9";

impl RecordScope {
    /// The parameters `$1` … `$7` of [`IN_SCOPE`].
    fn params(&self) -> Vec<Param<'static>> {
        vec![
            Param::OptInt(self.record),
            Param::OptInt(self.city_body),
            Param::OptInt(self.organisation),
            Param::OptDate(self.from),
            Param::OptDate(self.to),
            Param::Int(self.agreement),
            Param::OptText(self.form),
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
        self.records_in(scope, None).await
    }

    /// One page of the records in `scope`, with the links of those only.
    pub async fn records_page(&mut self, scope: RecordScope, page: Page) -> Result<RecordRows> {
        self.records_in(scope, Some(page)).await
    }

    async fn records_in(&mut self, scope: RecordScope, page: Option<Page>) -> Result<RecordRows> {
        let mut params = scope.params();
        let mut chosen = format!("SELECT id FROM collaborations WHERE {IN_SCOPE}");
        if let Some(p) = page {
            params.extend([Param::Int(p.limit), Param::Int(p.offset)]);
            chosen = format!("{chosen} {RECORD_ORDER} {PAGE_OF_SCOPE}");
        }
        Ok(RecordRows {
            records: self
                .fetch_all_with(
                    &format!(
                        "SELECT {RECORD_ROW} FROM collaborations WHERE id IN ({chosen}) {RECORD_ORDER}"
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
                         WHERE l.collaboration_id IN ({chosen})
                         ORDER BY l.collaboration_id, o.name"
                    ),
                    &params,
                )
                .await?,
            money: self
                .fetch_all_with(
                    &format!(
                        "SELECT collaboration_id, year, amount_sek FROM collaboration_money
                         WHERE collaboration_id IN ({chosen})
                         ORDER BY collaboration_id, year"
                    ),
                    &params,
                )
                .await?,
            principles: self
                .fetch_all_with(
                    &format!(
                        "SELECT collaboration_id, principle_id AS other_id FROM collaboration_principles
                         WHERE collaboration_id IN ({chosen})
                         ORDER BY collaboration_id, principle_id"
                    ),
                    &params,
                )
                .await?,
        })
    }

    /// The key figures of the records in `scope`, counted in SQL: how many,
    /// the organisations they name, and the money of `year` (or of the
    /// whole periods).
    pub async fn record_figures(
        &mut self,
        scope: RecordScope,
        year: Option<i32>,
    ) -> Result<RecordFigures> {
        let mut params = scope.params();
        params.push(Param::OptInt(year.map(i64::from)));
        let chosen = format!("SELECT id FROM collaborations WHERE {IN_SCOPE}");
        let rows: Vec<RecordFigures> = self
            .fetch_all_with(
                &format!(
                    "SELECT
                       (SELECT COUNT(*) FROM collaborations WHERE {IN_SCOPE}) AS records,
                       (SELECT COUNT(DISTINCT organisation_id) FROM collaboration_organisations
                        WHERE collaboration_id IN ({chosen})) AS organisations,
                       (SELECT CAST(COALESCE(SUM(amount_sek), 0) AS BIGINT) FROM collaboration_money
                        WHERE collaboration_id IN ({chosen}) AND ($8 IS NULL OR year = $8)) AS money"
                ),
                &params,
            )
            .await?;
        Ok(rows.into_iter().next().unwrap_or_default())
    }

    /// The first start and the last end of an agreement's records.
    pub async fn record_span(&mut self, agreement_id: i64) -> Result<Option<(Date, Date)>> {
        let params = [Param::Int(agreement_id)];
        let first: Vec<(Date,)> = self
            .fetch_all_with(
                "SELECT starts_on FROM collaborations WHERE agreement_id = $1
                 ORDER BY starts_on LIMIT 1",
                &params,
            )
            .await?;
        let last: Vec<(Date,)> = self
            .fetch_all_with(
                "SELECT ends_on FROM collaborations WHERE agreement_id = $1
                 ORDER BY ends_on DESC LIMIT 1",
                &params,
            )
            .await?;
        Ok(first.first().zip(last.first()).map(|(f, l)| (f.0, l.0)))
    }

    /// Up to `limit` of the organisations an agreement's records name, as
    /// (id, slug, name, organisation number), by name.
    pub async fn organisations_in_register(
        &mut self,
        agreement_id: i64,
        limit: i64,
    ) -> Result<Vec<(i64, String, String, Option<String>)>> {
        self.fetch_all_with(
            "SELECT o.id, o.slug, o.name, o.org_number FROM organisations o
             WHERE o.id IN (SELECT l.organisation_id FROM collaboration_organisations l
                            JOIN collaborations c ON c.id = l.collaboration_id
                            WHERE c.agreement_id = $1)
             ORDER BY o.name, o.id LIMIT $2",
            &[Param::Int(agreement_id), Param::Int(limit)],
        )
        .await
    }

    /// The names behind the register's ids for one agreement: every body,
    /// district, challenge, principle, organisation and plan activity (for
    /// the forms, the imports and the reports, which check against them).
    pub async fn register_refs(&mut self, agreement_id: i64) -> Result<RegisterRefs> {
        let mut refs = self.register_structure(agreement_id).await?;
        tx_run!(self, |c| {
            refs.organisations = sqlx::query_as(
                "SELECT id, slug, name, org_number FROM organisations ORDER BY name, id",
            )
            .fetch_all(&mut *c)
            .await?;
            refs.activities = sqlx::query_as(AssertSqlSafe(format!(
                "{ACTIVITY_REF} WHERE p.agreement_id = $1 ORDER BY p.starts_on, a.title"
            )))
            .bind(agreement_id)
            .fetch_all(&mut *c)
            .await?;
            refs.activity_bodies = sqlx::query_as(
                "SELECT x.activity_id, x.city_body_id FROM activity_parties x
                 JOIN activities a ON a.id = x.activity_id JOIN action_plans p ON p.id = a.plan_id
                 WHERE p.agreement_id = $1 AND x.city_body_id IS NOT NULL",
            )
            .bind(agreement_id)
            .fetch_all(&mut *c)
            .await?;
            Ok(refs)
        })
    }

    /// The small part of [`RegisterRefs`], whose size does not grow with
    /// the register: the municipality's bodies and districts, the
    /// agreement's challenges and principles. Organisations and activities
    /// are left empty; [`Conn::name_records`] adds those a page shows.
    pub async fn register_structure(&mut self, agreement_id: i64) -> Result<RegisterRefs> {
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
                ..RegisterRefs::default()
            })
        })
    }

    /// Adds to `refs` the organisations and activities that `rows` name,
    /// and only those.
    pub async fn name_records(&mut self, refs: &mut RegisterRefs, rows: &RecordRows) -> Result<()> {
        let mut orgs: Vec<i64> = rows.organisations.iter().map(|l| l.other_id).collect();
        orgs.sort_unstable();
        orgs.dedup();
        let mut activities: Vec<i64> = rows.records.iter().filter_map(|r| r.activity_id).collect();
        activities.sort_unstable();
        activities.dedup();
        tx_run!(self, |c| {
            if !orgs.is_empty() {
                let mut q = sqlx::QueryBuilder::new(
                    "SELECT id, slug, name, org_number FROM organisations WHERE id IN (",
                );
                let mut ids = q.separated(", ");
                for id in &orgs {
                    ids.push_bind(*id);
                }
                q.push(") ORDER BY name, id");
                refs.organisations = q.build_query_as().fetch_all(&mut *c).await?;
            }
            if !activities.is_empty() {
                let mut q = sqlx::QueryBuilder::new(format!("{ACTIVITY_REF} WHERE a.id IN ("));
                let mut ids = q.separated(", ");
                for id in &activities {
                    ids.push_bind(*id);
                }
                q.push(") ORDER BY p.starts_on, a.title");
                refs.activities = q.build_query_as().fetch_all(&mut *c).await?;
            }
            Ok(())
        })
    }

    /// An organisation by its slug, as (id, slug, name, number).
    pub async fn organisation_ref(
        &mut self,
        slug: &str,
    ) -> Result<Option<(i64, String, String, Option<String>)>> {
        Ok(tx_run!(self, |c| sqlx::query_as(
            "SELECT id, slug, name, org_number FROM organisations WHERE slug = $1"
        )
        .bind(slug)
        .fetch_optional(c)
        .await)?)
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
