//! The collaboration register: each city body's records of collaboration
//! with organisations, and the organisations' remarks on them. Writes
//! happen inside the caller's transaction. The yearly reports' queries are
//! in [`crate::reports`].

use crate::{Columns, Conn, Db, IN_LIST, Param, Result, Tx, db_run, numbered, tx_run};
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

impl RecordRows {
    /// Adds the rows of `other` (records read in parts).
    pub fn append(&mut self, mut other: RecordRows) {
        self.records.append(&mut other.records);
        self.organisations.append(&mut other.organisations);
        self.money.append(&mut other.money);
        self.principles.append(&mut other.principles);
    }
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

/// The columns of an [`ActivityRef`], from `activities a` joined to its
/// plan `p`.
const ACTIVITY_REF: &str =
    "SELECT a.id, p.slug AS plan_slug, a.slug, a.title, a.starts_on, a.ends_on, a.status
     FROM activities a JOIN action_plans p ON p.id = a.plan_id";

/// The order of the activities a form offers and a report lists.
const ACTIVITY_ORDER: &str = "ORDER BY p.starts_on, a.title, a.id";

/// The columns of an [`OrganisationRef`], from `organisations`.
const ORGANISATION_REF: &str = "SELECT id, slug, name, org_number FROM organisations";

/// Organisations sorted by name (then id), each once.
fn by_name(mut found: Vec<OrganisationRef>) -> Vec<OrganisationRef> {
    found.sort_by(|a, b| (&a.2, a.0).cmp(&(&b.2, b.0)));
    found.dedup_by_key(|o| o.0);
    found
}

/// The order of a register's records, newest period first.
const RECORD_ORDER: &str = "ORDER BY starts_on DESC, title, id";

impl RecordScope {
    /// The condition on `collaborations` that picks the records of this
    /// scope, with its parameters `$1` … in order: only the parts of the
    /// scope that are set are in it, so the database can use its indexes.
    fn condition(&self) -> (String, Vec<Param<'static>>) {
        let mut params = vec![Param::Int(self.agreement)];
        let mut parts = vec!["agreement_id = $1".to_owned()];
        // `test` with its `?` standing for the value's parameter.
        let mut add = |test: &str, value: Param<'static>| {
            params.push(value);
            parts.push(test.replace('?', &format!("${}", params.len())));
        };
        if let Some(id) = self.record {
            add("id = ?", Param::Int(id));
        }
        if let Some(body) = self.city_body {
            add("city_body_id = ?", Param::Int(body));
        }
        if let Some(org) = self.organisation {
            add(
                "id IN (SELECT collaboration_id FROM collaboration_organisations
                        WHERE organisation_id = ?)",
                Param::Int(org),
            );
        }
        if let Some(from) = self.from {
            add("ends_on >= ?", Param::Date(from));
        }
        if let Some(to) = self.to {
            add("starts_on <= ?", Param::Date(to));
        }
        if let Some(form) = self.form {
            add("form = ?", Param::Text(form));
        }
        (parts.join(" AND "), params)
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
        let (condition, mut params) = scope.condition();
        let chosen = format!("SELECT id FROM collaborations WHERE {condition}");
        let Some(p) = page else {
            return self.records_chosen(&chosen, &params).await;
        };
        // The page's ids are picked once; the record and its links are then
        // read by those ids, not by sorting the scope again for each.
        params.extend([Param::Int(p.limit), Param::Int(p.offset)]);
        let sql = format!(
            "{chosen} {RECORD_ORDER} LIMIT ${} OFFSET ${}",
            params.len() - 1,
            params.len()
        );
        let ids: Vec<(i64,)> = self.fetch_all_with(&sql, &params).await?;
        if ids.is_empty() {
            return Ok(RecordRows::default());
        }
        let ids: Vec<Param> = ids.into_iter().map(|(id,)| Param::Int(id)).collect();
        let chosen = format!(
            "SELECT id FROM collaborations WHERE id IN ({})",
            numbered(1, ids.len())
        );
        self.records_chosen(&chosen, &ids).await
    }

    /// The agreement's records with one of these titles, with their links
    /// (what an import's rows may match, read in bounded queries).
    pub async fn records_titled(
        &mut self,
        agreement_id: i64,
        titles: &[String],
    ) -> Result<RecordRows> {
        let mut rows = RecordRows::default();
        for chunk in titles.chunks(IN_LIST) {
            let mut params = vec![Param::Int(agreement_id)];
            params.extend(chunk.iter().map(|t| Param::Text(t)));
            let chosen = format!(
                "SELECT id FROM collaborations WHERE agreement_id = $1 AND title IN ({})",
                numbered(2, chunk.len())
            );
            rows.append(self.records_chosen(&chosen, &params).await?);
        }
        Ok(rows)
    }

    /// The records whose ids `chosen` (a `SELECT id` bound to `params`)
    /// picks, with their organisations, money and principles.
    async fn records_chosen(&mut self, chosen: &str, params: &[Param<'_>]) -> Result<RecordRows> {
        Ok(RecordRows {
            records: self
                .fetch_all_with(
                    &format!(
                        "SELECT {RECORD_ROW} FROM collaborations WHERE id IN ({chosen}) {RECORD_ORDER}"
                    ),
                    params,
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
                    params,
                )
                .await?,
            money: self
                .fetch_all_with(
                    &format!(
                        "SELECT collaboration_id, year, amount_sek FROM collaboration_money
                         WHERE collaboration_id IN ({chosen})
                         ORDER BY collaboration_id, year"
                    ),
                    params,
                )
                .await?,
            principles: self
                .fetch_all_with(
                    &format!(
                        "SELECT collaboration_id, principle_id AS other_id FROM collaboration_principles
                         WHERE collaboration_id IN ({chosen})
                         ORDER BY collaboration_id, principle_id"
                    ),
                    params,
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
        let (condition, mut params) = scope.condition();
        let in_year = match year {
            Some(y) => {
                params.push(Param::Int(i64::from(y)));
                format!("AND year = ${}", params.len())
            }
            None => String::new(),
        };
        let chosen = format!("SELECT id FROM collaborations WHERE {condition}");
        let rows: Vec<RecordFigures> = self
            .fetch_all_with(
                &format!(
                    "SELECT
                       (SELECT COUNT(*) FROM collaborations WHERE {condition}) AS records,
                       (SELECT COUNT(DISTINCT organisation_id) FROM collaboration_organisations
                        WHERE collaboration_id IN ({chosen})) AS organisations,
                       (SELECT CAST(COALESCE(SUM(amount_sek), 0) AS BIGINT) FROM collaboration_money
                        WHERE collaboration_id IN ({chosen}) {in_year}) AS money"
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
    /// district, challenge, principle, organisation and plan activity. For
    /// the demonstration loader only, whose register is small: the pages,
    /// forms and imports read [`Conn::register_structure`] and name only
    /// what they show or check ([`Conn::name_records`],
    /// [`Conn::organisations_named`], [`Conn::activities_named`]).
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
        let orgs: Vec<i64> = rows.organisations.iter().map(|l| l.other_id).collect();
        let activities: Vec<i64> = rows.records.iter().filter_map(|r| r.activity_id).collect();
        let found = self.organisations_with_ids(&orgs).await?;
        refs.add_organisations(found);
        let found = self.activities_with_ids(&activities).await?;
        refs.add_activities(found);
        Ok(())
    }

    /// The organisations with these ids (and only those), by name.
    pub async fn organisations_with_ids(&mut self, ids: &[i64]) -> Result<Vec<OrganisationRef>> {
        let mut ids = ids.to_vec();
        ids.sort_unstable();
        ids.dedup();
        let mut found = Vec::new();
        for chunk in ids.chunks(IN_LIST) {
            let params: Vec<Param> = chunk.iter().map(|id| Param::Int(*id)).collect();
            let sql = format!(
                "{ORGANISATION_REF} WHERE id IN ({})",
                numbered(1, chunk.len())
            );
            found.extend(
                self.fetch_all_with::<OrganisationRef>(&sql, &params)
                    .await?,
            );
        }
        Ok(by_name(found))
    }

    /// The organisations a form or a file names: those whose short name is
    /// one of `slugs` or whose organisation number is one of `numbers`,
    /// and only those, by name.
    pub async fn organisations_named(
        &mut self,
        slugs: &[String],
        numbers: &[String],
    ) -> Result<Vec<OrganisationRef>> {
        let mut found = Vec::new();
        for (column, values) in [("slug", slugs), ("org_number", numbers)] {
            for chunk in values.chunks(IN_LIST) {
                let params: Vec<Param> = chunk.iter().map(|v| Param::Text(v)).collect();
                let sql = format!(
                    "{ORGANISATION_REF} WHERE {column} IN ({})",
                    numbered(1, chunk.len())
                );
                found.extend(
                    self.fetch_all_with::<OrganisationRef>(&sql, &params)
                        .await?,
                );
            }
        }
        Ok(by_name(found))
    }

    /// The plan activities with these ids (and only those).
    pub async fn activities_with_ids(&mut self, ids: &[i64]) -> Result<Vec<ActivityRef>> {
        let mut ids = ids.to_vec();
        ids.sort_unstable();
        ids.dedup();
        let mut found = Vec::new();
        for chunk in ids.chunks(IN_LIST) {
            let params: Vec<Param> = chunk.iter().map(|id| Param::Int(*id)).collect();
            let sql = format!(
                "{ACTIVITY_REF} WHERE a.id IN ({}) {ACTIVITY_ORDER}",
                numbered(1, chunk.len())
            );
            found.extend(self.fetch_all_with::<ActivityRef>(&sql, &params).await?);
        }
        Ok(found)
    }

    /// The agreement's plan activities named `(plan slug, activity slug)`,
    /// and only those.
    pub async fn activities_named(
        &mut self,
        agreement_id: i64,
        keys: &[(String, String)],
    ) -> Result<Vec<ActivityRef>> {
        let mut found = Vec::new();
        for chunk in keys.chunks(IN_LIST / 2) {
            let mut params = vec![Param::Int(agreement_id)];
            let pairs: Vec<String> = (chunk.iter().enumerate())
                .map(|(i, (plan, slug))| {
                    params.extend([Param::Text(plan), Param::Text(slug)]);
                    format!("(p.slug = ${} AND a.slug = ${})", 2 * i + 2, 2 * i + 3)
                })
                .collect();
            let sql = format!(
                "{ACTIVITY_REF} WHERE p.agreement_id = $1 AND ({}) {ACTIVITY_ORDER}",
                pairs.join(" OR ")
            );
            found.extend(self.fetch_all_with::<ActivityRef>(&sql, &params).await?);
        }
        Ok(found)
    }

    /// Up to `limit` of the agreement's plan activities, in the plans'
    /// order (what a record's form offers to pick from).
    pub async fn activities_of(
        &mut self,
        agreement_id: i64,
        limit: i64,
    ) -> Result<Vec<ActivityRef>> {
        self.fetch_all_with(
            &format!("{ACTIVITY_REF} WHERE p.agreement_id = $1 {ACTIVITY_ORDER} LIMIT $2"),
            &[Param::Int(agreement_id), Param::Int(limit)],
        )
        .await
    }

    /// The plan activities a city body takes part in that ran during
    /// `from..=to` (and were not cancelled) but that none of the body's
    /// records touching that time names, in the plans' order.
    pub async fn activities_without_record(
        &mut self,
        agreement_id: i64,
        city_body_id: i64,
        (from, to): (Date, Date),
    ) -> Result<Vec<ActivityRef>> {
        self.fetch_all_with(
            &format!(
                "{ACTIVITY_REF}
                 WHERE p.agreement_id = $1 AND a.starts_on <= $4 AND a.ends_on >= $3
                   AND a.status <> 'cancelled'
                   AND EXISTS (SELECT 1 FROM activity_parties x
                               WHERE x.activity_id = a.id AND x.city_body_id = $2)
                   AND NOT EXISTS (SELECT 1 FROM collaborations c
                                   WHERE c.activity_id = a.id AND c.agreement_id = $1
                                     AND c.city_body_id = $2
                                     AND c.ends_on >= $3 AND c.starts_on <= $4)
                 {ACTIVITY_ORDER}"
            ),
            &[
                Param::Int(agreement_id),
                Param::Int(city_body_id),
                Param::Date(from),
                Param::Date(to),
            ],
        )
        .await
    }

    /// How many of an agreement's records each city body has that touch
    /// `from..=to`, as (city body id, count).
    pub async fn record_counts(
        &mut self,
        agreement_id: i64,
        (from, to): (Date, Date),
    ) -> Result<Vec<(i64, i64)>> {
        self.fetch_all_with(
            "SELECT city_body_id, COUNT(*) FROM collaborations
             WHERE agreement_id = $1 AND ends_on >= $2 AND starts_on <= $3
             GROUP BY city_body_id",
            &[Param::Int(agreement_id), Param::Date(from), Param::Date(to)],
        )
        .await
    }

    /// Which of the organisations `slugs` the agreement's records touching
    /// `from..=to` name, per city body: (city body id, organisation slug),
    /// each pair once.
    pub async fn bodies_naming(
        &mut self,
        agreement_id: i64,
        (from, to): (Date, Date),
        slugs: &[String],
    ) -> Result<Vec<(i64, String)>> {
        let mut found = Vec::new();
        for chunk in slugs.chunks(IN_LIST) {
            let mut params = vec![Param::Int(agreement_id), Param::Date(from), Param::Date(to)];
            params.extend(chunk.iter().map(|s| Param::Text(s)));
            let sql = format!(
                "SELECT DISTINCT c.city_body_id, o.slug FROM collaborations c
                 JOIN collaboration_organisations l ON l.collaboration_id = c.id
                 JOIN organisations o ON o.id = l.organisation_id
                 WHERE c.agreement_id = $1 AND c.ends_on >= $2 AND c.starts_on <= $3
                   AND o.slug IN ({})",
                numbered(4, chunk.len())
            );
            found.extend(self.fetch_all_with::<(i64, String)>(&sql, &params).await?);
        }
        Ok(found)
    }

    /// Which of the organisations `slugs` are parties to the agreement (an
    /// approved accession).
    pub async fn parties_among(
        &mut self,
        agreement_id: i64,
        slugs: &[String],
    ) -> Result<Vec<String>> {
        let mut found = Vec::new();
        for chunk in slugs.chunks(IN_LIST) {
            let mut params = vec![Param::Int(agreement_id)];
            params.extend(chunk.iter().map(|s| Param::Text(s)));
            let sql = format!(
                "SELECT DISTINCT o.slug FROM accessions x
                 JOIN organisations o ON o.id = x.organisation_id
                 WHERE x.agreement_id = $1 AND x.status = 'approved'
                   AND x.decided_on IS NOT NULL AND o.slug IN ({})",
                numbered(2, chunk.len())
            );
            let rows: Vec<(String,)> = self.fetch_all_with(&sql, &params).await?;
            found.extend(rows.into_iter().map(|r| r.0));
        }
        Ok(found)
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

/// An organisation as the register names it: (id, slug, name,
/// organisation number).
pub type OrganisationRef = (i64, String, String, Option<String>);

impl RegisterRefs {
    /// Adds organisations not yet known, keeping the list by name.
    pub fn add_organisations(&mut self, found: Vec<OrganisationRef>) {
        let mut all = std::mem::take(&mut self.organisations);
        all.extend(found);
        self.organisations = by_name(all);
    }

    /// Adds activities not yet known.
    pub fn add_activities(&mut self, found: Vec<ActivityRef>) {
        for a in found {
            if !self.activities.iter().any(|x| x.id == a.id) {
                self.activities.push(a);
            }
        }
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
    /// The names behind the register's ids (as [`Conn::register_refs`]).
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
