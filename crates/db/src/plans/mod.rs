//! The action plan and its follow-up: activities with their parties,
//! milestones, money, principles and decisions; progress updates (and
//! partners' proposals); self-assessments; and the history of changes.
//! The public rows are read with the rest of the public record
//! ([`PlanRows`]); writes happen inside the caller's transaction.

pub mod keeping;

use crate::{Columns, Conn, Db, DbError, Param, Result, Tx, db_run, tx_run};
use sqlx::AssertSqlSafe;
use std::collections::HashMap;
use time::{Date, OffsetDateTime};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PlanPartRow {
    pub plan_id: i64,
    pub part: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ActivityRow {
    pub id: i64,
    pub plan_id: i64,
    pub slug: String,
    pub title: String,
    pub description: String,
    pub goal: String,
    pub part: String,
    pub challenge_id: Option<i64>,
    pub district_id: Option<i64>,
    pub one_sided_reason: Option<String>,
    pub starts_on: Date,
    pub ends_on: Date,
    pub status: String,
    pub progress: i32,
    pub audiences: String,
    pub channels: String,
    pub timing: String,
    pub hours_city: i64,
    pub hours_sector: i64,
    pub premises: String,
    pub version: i64,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ActivityPartyRow {
    pub activity_id: i64,
    pub role: String,
    pub organisation_id: Option<i64>,
    pub city_body_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct MilestoneRow {
    pub id: i64,
    pub activity_id: i64,
    pub title: String,
    pub due_on: Date,
    pub reached_on: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct FundingRow {
    pub activity_id: i64,
    pub source: String,
    pub year: i32,
    pub amount_sek: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ActivityLinkRow {
    pub activity_id: i64,
    pub other_id: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UpdateRow {
    pub id: i64,
    pub activity_id: i64,
    pub written_on: Date,
    pub state: String,
    pub body: String,
    pub progress: Option<i32>,
    pub status: Option<String>,
    pub milestone_id: Option<i64>,
    pub author_id: Option<i64>,
    pub author_name: String,
    pub party_name: String,
    pub created_at: OffsetDateTime,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AssessmentRow {
    pub activity_id: i64,
    pub principle_id: i64,
    pub score: i32,
    pub comment: String,
    pub assessed_on: Date,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ChangeRow {
    pub activity_id: i64,
    pub version: i64,
    pub changed_at: OffsetDateTime,
    pub author_name: String,
    pub field: String,
    pub before_value: String,
    pub after_value: String,
}

/// The name of an organisation an activity names as a party.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PartyNameRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
}

/// The public rows of one agreement's action plans, each table in display
/// order. Proposals and declined updates are not public and are left out.
#[derive(Debug, Default, Clone)]
pub struct PlanRows {
    /// The change counter these rows were read at (see [`crate::changes`]).
    pub epoch: i64,
    pub activities: Vec<ActivityRow>,
    pub parties: Vec<ActivityPartyRow>,
    /// The organisations named in `parties`.
    pub organisations: Vec<PartyNameRow>,
    pub milestones: Vec<MilestoneRow>,
    pub funding: Vec<FundingRow>,
    pub principles: Vec<ActivityLinkRow>,
    pub decisions: Vec<ActivityLinkRow>,
    pub updates: Vec<UpdateRow>,
    pub assessments: Vec<AssessmentRow>,
    pub changes: Vec<ChangeRow>,
}

/// The columns of [`ActivityRow`], for a `SELECT`.
pub(crate) const ACTIVITY_ROW: &str =
    "id, plan_id, slug, title, description, goal, part, challenge_id, district_id,
     one_sided_reason, starts_on, ends_on, status, progress, audiences, channels, timing,
     hours_city, hours_sector, premises, version, created_at, updated_at";

/// The columns of [`UpdateRow`], for a `SELECT`.
pub(crate) const UPDATE_ROW: &str =
    "id, activity_id, written_on, state, body, progress, status, milestone_id, author_id,
     author_name, party_name, created_at";

/// The ids of one agreement's activities (the agreement's id is `$1`), for
/// the link tables' `WHERE activity_id IN (...)`.
const ACTIVITIES_OF_AGREEMENT: &str = "SELECT a.id FROM activities a
     JOIN action_plans p ON p.id = a.plan_id WHERE p.agreement_id = $1";

impl Db {
    /// The public plan rows of one agreement, read in one read transaction
    /// with the change counter they were read at.
    pub async fn plan_rows_of(&self, agreement_id: i64) -> Result<PlanRows> {
        let mut tx = self.begin_read().await?;
        let mut conn = tx.conn();
        let epoch = conn.public_epoch().await?;
        let rows = conn.plan_rows_of(agreement_id).await?;
        tx.commit().await?;
        Ok(PlanRows { epoch, ..rows })
    }
}

impl Db {
    /// The agreements with an activity in which one of the person's
    /// organisations or city bodies is a party.
    pub async fn agreements_with_activities_of(&self, user_id: i64) -> Result<Vec<i64>> {
        Ok(db_run!(self, |pool| {
            sqlx::query_scalar(
            "SELECT DISTINCT p.agreement_id FROM action_plans p
             JOIN activities a ON a.plan_id = p.id
             JOIN activity_parties x ON x.activity_id = a.id
             WHERE x.organisation_id IN (SELECT organisation_id FROM organisation_members WHERE user_id = $1)
                OR x.city_body_id IN (SELECT city_body_id FROM officials WHERE user_id = $1)
             ORDER BY p.agreement_id"
        )
        .bind(user_id)
        .fetch_all(pool)
        .await
        })?)
    }
}

impl Conn<'_> {
    /// The public plan rows of one agreement: its activities and what hangs
    /// off them, with the names of the organisations they name.
    pub async fn plan_rows_of(&mut self, agreement_id: i64) -> Result<PlanRows> {
        let of = ACTIVITIES_OF_AGREEMENT;
        tx_run!(self, |c| {
            Ok(PlanRows {
                epoch: 0,
                activities: sqlx::query_as(AssertSqlSafe(format!(
                    "SELECT {ACTIVITY_ROW} FROM activities
                     WHERE plan_id IN (SELECT id FROM action_plans WHERE agreement_id = $1)
                     ORDER BY plan_id, starts_on, title, id"
                )))
                .bind(agreement_id)
                .fetch_all(&mut *c)
                .await?,
                parties: sqlx::query_as(AssertSqlSafe(format!(
                    "SELECT activity_id, role, organisation_id, city_body_id FROM activity_parties
                     WHERE activity_id IN ({of}) ORDER BY activity_id, id"
                )))
                .bind(agreement_id)
                .fetch_all(&mut *c)
                .await?,
                organisations: sqlx::query_as(AssertSqlSafe(format!(
                    "SELECT id, slug, name FROM organisations WHERE id IN (
                         SELECT organisation_id FROM activity_parties WHERE activity_id IN ({of}))"
                )))
                .bind(agreement_id)
                .fetch_all(&mut *c)
                .await?,
                milestones: sqlx::query_as(AssertSqlSafe(format!(
                    "SELECT id, activity_id, title, due_on, reached_on FROM activity_milestones
                     WHERE activity_id IN ({of}) ORDER BY activity_id, due_on, id"
                )))
                .bind(agreement_id)
                .fetch_all(&mut *c)
                .await?,
                funding: sqlx::query_as(AssertSqlSafe(format!(
                    "SELECT activity_id, source, year, amount_sek FROM activity_funding
                     WHERE activity_id IN ({of}) ORDER BY activity_id, year, id"
                )))
                .bind(agreement_id)
                .fetch_all(&mut *c)
                .await?,
                principles: sqlx::query_as(AssertSqlSafe(format!(
                    "SELECT activity_id, principle_id AS other_id FROM activity_principles
                     WHERE activity_id IN ({of}) ORDER BY activity_id, principle_id"
                )))
                .bind(agreement_id)
                .fetch_all(&mut *c)
                .await?,
                decisions: sqlx::query_as(AssertSqlSafe(format!(
                    "SELECT activity_id, decision_id AS other_id FROM activity_decisions
                     WHERE activity_id IN ({of}) ORDER BY activity_id, decision_id"
                )))
                .bind(agreement_id)
                .fetch_all(&mut *c)
                .await?,
                updates: sqlx::query_as(AssertSqlSafe(format!(
                    "SELECT {UPDATE_ROW} FROM progress_updates
                     WHERE state = 'published' AND activity_id IN ({of})
                     ORDER BY activity_id, written_on DESC, id DESC"
                )))
                .bind(agreement_id)
                .fetch_all(&mut *c)
                .await?,
                assessments: sqlx::query_as(AssertSqlSafe(format!(
                    "SELECT activity_id, principle_id, score, comment, assessed_on FROM self_assessments
                     WHERE activity_id IN ({of}) ORDER BY activity_id, principle_id"
                )))
                .bind(agreement_id)
                .fetch_all(&mut *c)
                .await?,
                changes: sqlx::query_as(AssertSqlSafe(format!(
                    "SELECT activity_id, version, changed_at, author_name, field, before_value, after_value
                     FROM activity_changes WHERE activity_id IN ({of})
                     ORDER BY activity_id, version DESC, id"
                )))
                .bind(agreement_id)
                .fetch_all(&mut *c)
                .await?,
            })
        })
    }

    /// The text of every plan's parts (small: a few per plan), read with
    /// the public record.
    pub async fn plan_parts(&mut self) -> Result<Vec<PlanPartRow>> {
        Ok(tx_run!(self, |c| sqlx::query_as(
            "SELECT plan_id, part, description FROM action_plan_parts ORDER BY plan_id, part",
        )
        .fetch_all(&mut *c)
        .await)?)
    }
}

/// The ids an activity may refer to within one agreement, by slug, read in
/// one pass so that a form or a whole import is checked without a query per
/// value.
#[derive(Debug, Clone, Default)]
pub struct PlanRefs {
    pub agreement_id: i64,
    pub municipality_id: i64,
    /// plan slug → id
    pub plans: HashMap<String, i64>,
    pub challenges: HashMap<String, i64>,
    pub principles: HashMap<String, i64>,
    /// decision id → title
    pub decisions: HashMap<i64, String>,
    pub districts: HashMap<String, i64>,
    /// city body slug (of the agreement's municipality) → (id, name)
    pub city_bodies: HashMap<String, (i64, String)>,
    /// organisation slug → (id, name), of the organisations named so far
    /// ([`Tx::name_plan_organisations`]; never the whole register)
    pub organisations: HashMap<String, (i64, String)>,
}

/// The values of an activity's own columns.
#[derive(Debug, Clone, PartialEq)]
pub struct ActivityValues {
    pub plan_id: i64,
    pub slug: String,
    pub title: String,
    pub description: String,
    pub goal: String,
    pub part: String,
    pub challenge_id: Option<i64>,
    pub district_id: Option<i64>,
    pub one_sided_reason: Option<String>,
    pub starts_on: Date,
    pub ends_on: Date,
    pub status: String,
    pub progress: i32,
    pub audiences: String,
    pub channels: String,
    pub timing: String,
    pub hours_city: i64,
    pub hours_sector: i64,
    pub premises: String,
}

/// A milestone as written: matched to a stored one by title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MilestoneValues {
    pub title: String,
    pub due_on: Date,
    pub reached_on: Option<Date>,
}

/// The rows an activity owns besides its columns.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ActivityLinks {
    /// (role, organisation id, city body id): exactly one of the two ids.
    pub parties: Vec<(String, Option<i64>, Option<i64>)>,
    pub milestones: Vec<MilestoneValues>,
    /// (source, year, amount in SEK)
    pub funding: Vec<(String, i32, i64)>,
    pub principles: Vec<i64>,
    pub decisions: Vec<i64>,
}

/// A progress update to write.
#[derive(Debug, Clone)]
pub struct NewUpdate<'a> {
    pub activity_id: i64,
    pub written_on: Date,
    pub state: &'a str,
    pub body: &'a str,
    pub progress: Option<i32>,
    pub status: Option<&'a str>,
    pub milestone_id: Option<i64>,
    pub author_id: Option<i64>,
    pub author_name: &'a str,
    pub party_name: &'a str,
    pub created_at: OffsetDateTime,
}

/// One recorded change of one field.
#[derive(Debug, Clone)]
pub struct NewChange<'a> {
    pub activity_id: i64,
    pub version: i64,
    pub changed_at: OffsetDateTime,
    pub author_id: Option<i64>,
    pub author_name: &'a str,
    pub field: &'a str,
    pub before: &'a str,
    pub after: &'a str,
}

/// An update as its author's personal data.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct WrittenUpdate {
    pub activity: String,
    pub written_on: Date,
    pub state: String,
    pub party_name: String,
    pub body: String,
}

impl Db {
    /// The progress updates and proposals a person wrote, newest first (for
    /// the export of personal data).
    pub async fn updates_by(&self, user_id: i64) -> Result<Vec<WrittenUpdate>> {
        Ok(db_run!(self, |pool| sqlx::query_as(
            "SELECT a.slug AS activity, u.written_on, u.state, u.party_name, u.body
             FROM progress_updates u JOIN activities a ON a.id = u.activity_id
             WHERE u.author_id = $1 ORDER BY u.written_on DESC, u.id DESC"
        )
        .bind(user_id)
        .fetch_all(pool)
        .await)?)
    }

    /// The ids an activity of the agreement may refer to, with the
    /// organisations of these slugs and ids.
    pub async fn plan_refs(
        &self,
        agreement_id: i64,
        (slugs, ids): (&[String], &[i64]),
    ) -> Result<PlanRefs> {
        let mut tx = self.begin().await?;
        let mut refs = tx.plan_refs(agreement_id).await?;
        tx.name_plan_organisations(&mut refs, slugs, ids).await?;
        tx.commit().await?;
        Ok(refs)
    }

    /// The proposals waiting for a decision on an activity, oldest first.
    pub async fn proposals_of(&self, activity_id: i64) -> Result<Vec<UpdateRow>> {
        Ok(db_run!(self, |pool| sqlx::query_as(AssertSqlSafe(
            format!(
                "SELECT {UPDATE_ROW} FROM progress_updates
             WHERE activity_id = $1 AND state = 'proposed' ORDER BY created_at, id"
            )
        ))
        .bind(activity_id)
        .fetch_all(pool)
        .await)?)
    }

    /// Every update of the given activities that awaits a decision, for the
    /// "my activities" page.
    pub async fn proposals_for(&self, activity_ids: &[i64]) -> Result<Vec<UpdateRow>> {
        if activity_ids.is_empty() {
            return Ok(Vec::new());
        }
        Ok(db_run!(self, |pool| {
            let mut q = sqlx::QueryBuilder::new(format!(
                "SELECT {UPDATE_ROW} FROM progress_updates WHERE state = 'proposed' AND activity_id IN ("
            ));
            let mut list = q.separated(", ");
            for id in activity_ids {
                list.push_bind(*id);
            }
            q.push(") ORDER BY created_at, id");
            q.build_query_as().fetch_all(pool).await
        })?)
    }
}

/// An activity's own columns beside their values: the one list from which
/// the insert and the update are generated, so a column is added here.
pub(crate) fn activity_columns(v: &ActivityValues) -> [(&'static str, Param<'_>); 18] {
    [
        ("slug", Param::Text(&v.slug)),
        ("title", Param::Text(&v.title)),
        ("description", Param::Text(&v.description)),
        ("goal", Param::Text(&v.goal)),
        ("part", Param::Text(&v.part)),
        ("challenge_id", Param::OptInt(v.challenge_id)),
        ("district_id", Param::OptInt(v.district_id)),
        (
            "one_sided_reason",
            Param::OptText(v.one_sided_reason.as_deref()),
        ),
        ("starts_on", Param::Date(v.starts_on)),
        ("ends_on", Param::Date(v.ends_on)),
        ("status", Param::Text(&v.status)),
        ("progress", Param::Int32(v.progress)),
        ("audiences", Param::Text(&v.audiences)),
        ("channels", Param::Text(&v.channels)),
        ("timing", Param::Text(&v.timing)),
        ("hours_city", Param::Int(v.hours_city)),
        ("hours_sector", Param::Int(v.hours_sector)),
        ("premises", Param::Text(&v.premises)),
    ]
}

/// How many organisations one query of [`Tx::name_plan_organisations`] names.
const NAMED_AT_ONCE: usize = 500;

impl Tx {
    /// The ids an activity of the agreement may refer to (its organisations
    /// only as named, [`Tx::name_plan_organisations`]), read inside the
    /// transaction (the demo loader reads what it has just written).
    pub async fn plan_refs(&mut self, agreement_id: i64) -> Result<PlanRefs> {
        tx_run!(self, |c| {
            let municipality_id: i64 =
                sqlx::query_scalar("SELECT municipality_id FROM agreements WHERE id = $1")
                    .bind(agreement_id)
                    .fetch_one(&mut *c)
                    .await?;
            let by_slug = |rows: Vec<(String, i64)>| rows.into_iter().collect::<HashMap<_, _>>();
            let plans = by_slug(
                sqlx::query_as("SELECT slug, id FROM action_plans WHERE agreement_id = $1")
                    .bind(agreement_id)
                    .fetch_all(&mut *c)
                    .await?,
            );
            let challenges = by_slug(
                sqlx::query_as("SELECT slug, id FROM challenges WHERE agreement_id = $1")
                    .bind(agreement_id)
                    .fetch_all(&mut *c)
                    .await?,
            );
            let principles = by_slug(
                sqlx::query_as("SELECT slug, id FROM principles WHERE agreement_id = $1")
                    .bind(agreement_id)
                    .fetch_all(&mut *c)
                    .await?,
            );
            let decisions: Vec<(i64, String)> =
                sqlx::query_as("SELECT id, title FROM decisions WHERE agreement_id = $1")
                    .bind(agreement_id)
                    .fetch_all(&mut *c)
                    .await?;
            let districts = by_slug(
                sqlx::query_as("SELECT slug, id FROM districts WHERE municipality_id = $1")
                    .bind(municipality_id)
                    .fetch_all(&mut *c)
                    .await?,
            );
            let bodies: Vec<(String, i64, String)> =
                sqlx::query_as("SELECT slug, id, name FROM city_bodies WHERE municipality_id = $1")
                    .bind(municipality_id)
                    .fetch_all(&mut *c)
                    .await?;
            Ok(PlanRefs {
                agreement_id,
                municipality_id,
                plans,
                challenges,
                principles,
                decisions: decisions.into_iter().collect(),
                districts,
                city_bodies: bodies.into_iter().map(|(s, i, n)| (s, (i, n))).collect(),
                organisations: HashMap::new(),
            })
        })
    }

    /// Adds to `refs` the organisations with these slugs or ids (those a
    /// form, a file or an activity's links name), read in bounded queries:
    /// never the whole register.
    pub async fn name_plan_organisations(
        &mut self,
        refs: &mut PlanRefs,
        slugs: &[String],
        ids: &[i64],
    ) -> Result<()> {
        for (column, texts, numbers) in [("slug", slugs, &[][..]), ("id", &[][..], ids)] {
            for chunk in 0..texts.len().max(numbers.len()).div_ceil(NAMED_AT_ONCE) {
                let range = |len: usize| {
                    (chunk * NAMED_AT_ONCE).min(len)..((chunk + 1) * NAMED_AT_ONCE).min(len)
                };
                let (texts, numbers) = (&texts[range(texts.len())], &numbers[range(numbers.len())]);
                let found: Vec<(String, i64, String)> = tx_run!(self, |c| {
                    let mut q = sqlx::QueryBuilder::new(format!(
                        "SELECT slug, id, name FROM organisations WHERE {column} IN ("
                    ));
                    let mut list = q.separated(", ");
                    for t in texts {
                        list.push_bind(t.as_str());
                    }
                    for n in numbers {
                        list.push_bind(*n);
                    }
                    q.push(")");
                    q.build_query_as().fetch_all(&mut *c).await
                })?;
                refs.organisations
                    .extend(found.into_iter().map(|(s, i, n)| (s, (i, n))));
            }
        }
        Ok(())
    }

    /// An activity with its links, read inside the transaction (to compare
    /// against before writing).
    pub async fn activity(&mut self, id: i64) -> Result<Option<(ActivityRow, ActivityLinks)>> {
        let Some(row) = self.activity_row(id).await? else {
            return Ok(None);
        };
        tx_run!(self, |c| {
            let parties: Vec<(String, Option<i64>, Option<i64>)> = sqlx::query_as(
                "SELECT role, organisation_id, city_body_id FROM activity_parties
                 WHERE activity_id = $1 ORDER BY id",
            )
            .bind(id)
            .fetch_all(&mut *c)
            .await?;
            let milestones: Vec<(String, Date, Option<Date>)> = sqlx::query_as(
                "SELECT title, due_on, reached_on FROM activity_milestones
                 WHERE activity_id = $1 ORDER BY due_on, id",
            )
            .bind(id)
            .fetch_all(&mut *c)
            .await?;
            let funding: Vec<(String, i32, i64)> = sqlx::query_as(
                "SELECT source, year, amount_sek FROM activity_funding
                 WHERE activity_id = $1 ORDER BY year, id",
            )
            .bind(id)
            .fetch_all(&mut *c)
            .await?;
            let principles: Vec<i64> = sqlx::query_scalar(
                "SELECT principle_id FROM activity_principles WHERE activity_id = $1 ORDER BY principle_id",
            )
            .bind(id)
            .fetch_all(&mut *c)
            .await?;
            let decisions: Vec<i64> = sqlx::query_scalar(
                "SELECT decision_id FROM activity_decisions WHERE activity_id = $1 ORDER BY decision_id",
            )
            .bind(id)
            .fetch_all(&mut *c)
            .await?;
            Ok(Some((
                row,
                ActivityLinks {
                    parties,
                    milestones: milestones
                        .into_iter()
                        .map(|(title, due_on, reached_on)| MilestoneValues {
                            title,
                            due_on,
                            reached_on,
                        })
                        .collect(),
                    funding,
                    principles,
                    decisions,
                },
            )))
        })
    }

    /// An activity's own columns, without its links.
    pub async fn activity_row(&mut self, id: i64) -> Result<Option<ActivityRow>> {
        Ok(tx_run!(self, |c| sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {ACTIVITY_ROW} FROM activities WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(c)
        .await)?)
    }

    /// The id of an activity by plan and slug.
    pub async fn activity_id(&mut self, plan_id: i64, slug: &str) -> Result<Option<i64>> {
        Ok(tx_run!(self, |c| sqlx::query_scalar(
            "SELECT id FROM activities WHERE plan_id = $1 AND slug = $2"
        )
        .bind(plan_id)
        .bind(slug)
        .fetch_optional(c)
        .await)?)
    }

    /// Writes a new activity (version 1); its id.
    pub async fn insert_activity(
        &mut self,
        v: &ActivityValues,
        now: OffsetDateTime,
    ) -> Result<i64> {
        let columns = Columns::new(
            &[Param::Int(v.plan_id), Param::Time(now)],
            activity_columns(v),
        );
        let sql = format!(
            "INSERT INTO activities (plan_id, version, created_at, updated_at, {})
             VALUES ($1, 1, $2, $2, {}) RETURNING id",
            columns.names(),
            columns.placeholders()
        );
        self.conn()
            .returning_id(&sql, &columns.params)
            .await?
            .ok_or(DbError::NotFound)
    }

    /// Overwrites an activity's columns if it is still at `version`, and
    /// moves it to the next version; false when someone else changed it first.
    pub async fn update_activity(
        &mut self,
        id: i64,
        version: i64,
        v: &ActivityValues,
        now: OffsetDateTime,
    ) -> Result<bool> {
        self.update_versioned("activities", (id, version), activity_columns(v), now)
            .await
    }

    /// Writes an activity's links anew. Milestones are matched by title so
    /// that updates which reached one keep pointing at it; a removed
    /// milestone is unlinked from its updates first.
    pub async fn write_activity_links(&mut self, id: i64, links: &ActivityLinks) -> Result<()> {
        tx_run!(self, |c| {
            sqlx::query("DELETE FROM activity_parties WHERE activity_id = $1")
                .bind(id)
                .execute(&mut *c)
                .await?;
            for (role, organisation, body) in &links.parties {
                sqlx::query(
                    "INSERT INTO activity_parties (activity_id, role, organisation_id, city_body_id)
                     VALUES ($1, $2, $3, $4)",
                )
                .bind(id)
                .bind(role)
                .bind(organisation)
                .bind(body)
                .execute(&mut *c)
                .await?;
            }
            let stored: Vec<(i64, String)> =
                sqlx::query_as("SELECT id, title FROM activity_milestones WHERE activity_id = $1")
                    .bind(id)
                    .fetch_all(&mut *c)
                    .await?;
            for (milestone_id, title) in &stored {
                if !links.milestones.iter().any(|m| &m.title == title) {
                    sqlx::query(
                        "UPDATE progress_updates SET milestone_id = NULL WHERE milestone_id = $1",
                    )
                    .bind(milestone_id)
                    .execute(&mut *c)
                    .await?;
                    sqlx::query("DELETE FROM activity_milestones WHERE id = $1")
                        .bind(milestone_id)
                        .execute(&mut *c)
                        .await?;
                }
            }
            for m in &links.milestones {
                match stored.iter().find(|(_, t)| t == &m.title) {
                    Some((milestone_id, _)) => {
                        sqlx::query("UPDATE activity_milestones SET due_on = $1, reached_on = $2 WHERE id = $3")
                            .bind(m.due_on)
                            .bind(m.reached_on)
                            .bind(milestone_id)
                            .execute(&mut *c)
                            .await?;
                    }
                    None => {
                        sqlx::query(
                            "INSERT INTO activity_milestones (activity_id, title, due_on, reached_on)
                             VALUES ($1, $2, $3, $4)",
                        )
                        .bind(id)
                        .bind(&m.title)
                        .bind(m.due_on)
                        .bind(m.reached_on)
                        .execute(&mut *c)
                        .await?;
                    }
                }
            }
            sqlx::query("DELETE FROM activity_funding WHERE activity_id = $1")
                .bind(id)
                .execute(&mut *c)
                .await?;
            for (source, year, amount) in &links.funding {
                sqlx::query(
                    "INSERT INTO activity_funding (activity_id, source, year, amount_sek) VALUES ($1, $2, $3, $4)",
                )
                .bind(id)
                .bind(source)
                .bind(year)
                .bind(amount)
                .execute(&mut *c)
                .await?;
            }
            sqlx::query("DELETE FROM activity_principles WHERE activity_id = $1")
                .bind(id)
                .execute(&mut *c)
                .await?;
            for principle in &links.principles {
                sqlx::query(
                    "INSERT INTO activity_principles (activity_id, principle_id) VALUES ($1, $2)",
                )
                .bind(id)
                .bind(principle)
                .execute(&mut *c)
                .await?;
            }
            sqlx::query("DELETE FROM activity_decisions WHERE activity_id = $1")
                .bind(id)
                .execute(&mut *c)
                .await?;
            for decision in &links.decisions {
                sqlx::query(
                    "INSERT INTO activity_decisions (activity_id, decision_id) VALUES ($1, $2)",
                )
                .bind(id)
                .bind(decision)
                .execute(&mut *c)
                .await?;
            }
            Ok::<_, crate::DbError>(())
        })
    }

    /// Records one changed field in the activity's public history.
    pub async fn record_change(&mut self, ch: &NewChange<'_>) -> Result<()> {
        tx_run!(self, |c| {
            sqlx::query(
            "INSERT INTO activity_changes (activity_id, version, changed_at, author_id, author_name,
                field, before_value, after_value)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        )
        .bind(ch.activity_id)
        .bind(ch.version)
        .bind(ch.changed_at)
        .bind(ch.author_id)
        .bind(ch.author_name)
        .bind(ch.field)
        .bind(ch.before)
        .bind(ch.after)
        .execute(c)
        .await
        .map(|_| ())
        })?;
        Ok(())
    }

    /// Writes a progress update (or a proposal); its id.
    pub async fn insert_update(&mut self, u: &NewUpdate<'_>) -> Result<i64> {
        Ok(tx_run!(self, |c| sqlx::query_scalar(
            "INSERT INTO progress_updates (activity_id, written_on, state, body, progress, status,
                milestone_id, author_id, author_name, party_name, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id"
        )
        .bind(u.activity_id)
        .bind(u.written_on)
        .bind(u.state)
        .bind(u.body)
        .bind(u.progress)
        .bind(u.status)
        .bind(u.milestone_id)
        .bind(u.author_id)
        .bind(u.author_name)
        .bind(u.party_name)
        .bind(u.created_at)
        .fetch_one(c)
        .await)?)
    }

    /// Whether an update with this date and text is already on the activity
    /// (an import run twice adds nothing).
    pub async fn has_update(
        &mut self,
        activity_id: i64,
        written_on: Date,
        body: &str,
    ) -> Result<bool> {
        Ok(tx_run!(self, |c| sqlx::query_scalar::<_, i64>(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM progress_updates
             WHERE activity_id = $1 AND written_on = $2 AND body = $3 AND state <> 'declined'"
        )
        .bind(activity_id)
        .bind(written_on)
        .bind(body)
        .fetch_one(c)
        .await)?
            > 0)
    }

    /// The people who act for an activity's responsible parties (members of
    /// its organisations, officials of its city bodies), as (e-mail, name),
    /// each once: they are told of a partner's proposal.
    pub async fn responsible_people(&mut self, activity_id: i64) -> Result<Vec<(String, String)>> {
        Ok(tx_run!(self, |c| sqlx::query_as(
            "SELECT u.email, u.display_name FROM users u
             WHERE u.email_confirmed_at IS NOT NULL AND u.id IN (
                 SELECT m.user_id FROM activity_parties p
                 JOIN organisation_members m ON m.organisation_id = p.organisation_id
                 WHERE p.activity_id = $1 AND p.role = 'responsible'
                 UNION
                 SELECT f.user_id FROM activity_parties p
                 JOIN officials f ON f.city_body_id = p.city_body_id
                 WHERE p.activity_id = $1 AND p.role = 'responsible')
             ORDER BY u.display_name, u.email"
        )
        .bind(activity_id)
        .fetch_all(c)
        .await)?)
    }

    /// A proposal by id, read inside the transaction.
    pub async fn update_row(&mut self, id: i64) -> Result<Option<UpdateRow>> {
        Ok(tx_run!(self, |c| sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {UPDATE_ROW} FROM progress_updates WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(c)
        .await)?)
    }

    /// Publishes or declines a proposal; false when it was no longer a proposal.
    pub async fn decide_update(
        &mut self,
        id: i64,
        state: &str,
        by: i64,
        at: OffsetDateTime,
        written_on: Date,
    ) -> Result<bool> {
        Ok(tx_run!(self, |c| {
            sqlx::query(
            "UPDATE progress_updates SET state = $1, decided_by = $2, decided_at = $3, written_on = $4
             WHERE id = $5 AND state = 'proposed'"
        )
        .bind(state)
        .bind(by)
        .bind(at)
        .bind(written_on)
        .bind(id)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
        })? == 1)
    }

    /// Marks a milestone reached on a date (if it was not already).
    pub async fn reach_milestone(&mut self, milestone_id: i64, on: Date) -> Result<()> {
        tx_run!(self, |c| sqlx::query(
            "UPDATE activity_milestones SET reached_on = $1 WHERE id = $2 AND reached_on IS NULL"
        )
        .bind(on)
        .bind(milestone_id)
        .execute(c)
        .await
        .map(|_| ()))?;
        Ok(())
    }

    /// The id of an activity's milestone by title.
    pub async fn milestone_id(&mut self, activity_id: i64, title: &str) -> Result<Option<i64>> {
        Ok(tx_run!(self, |c| sqlx::query_scalar(
            "SELECT id FROM activity_milestones WHERE activity_id = $1 AND title = $2"
        )
        .bind(activity_id)
        .bind(title)
        .fetch_optional(c)
        .await)?)
    }

    /// Sets an activity's self-assessment against one principle.
    pub async fn set_assessment(
        &mut self,
        activity_id: i64,
        principle_id: i64,
        score: i32,
        comment: &str,
        assessed_on: Date,
        author_id: Option<i64>,
    ) -> Result<()> {
        tx_run!(self, |c| {
            sqlx::query(
                "DELETE FROM self_assessments WHERE activity_id = $1 AND principle_id = $2",
            )
            .bind(activity_id)
            .bind(principle_id)
            .execute(&mut *c)
            .await?;
            sqlx::query(
                "INSERT INTO self_assessments (activity_id, principle_id, score, comment, assessed_on, author_id)
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(activity_id)
            .bind(principle_id)
            .bind(score)
            .bind(comment)
            .bind(assessed_on)
            .bind(author_id)
            .execute(&mut *c)
            .await
            .map(|_| ())
        })?;
        Ok(())
    }

    /// Writes the description of one part of a plan.
    pub async fn set_plan_part(
        &mut self,
        plan_id: i64,
        part: &str,
        description: &str,
    ) -> Result<()> {
        tx_run!(self, |c| {
            sqlx::query("DELETE FROM action_plan_parts WHERE plan_id = $1 AND part = $2")
                .bind(plan_id)
                .bind(part)
                .execute(&mut *c)
                .await?;
            sqlx::query(
                "INSERT INTO action_plan_parts (plan_id, part, description) VALUES ($1, $2, $3)",
            )
            .bind(plan_id)
            .bind(part)
            .bind(description)
            .execute(&mut *c)
            .await
            .map(|_| ())
        })?;
        Ok(())
    }
}
