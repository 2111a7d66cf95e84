//! The bulk path of the generated scale data (`samverkan demo --scale`):
//! organisations, activities, progress updates and collaboration records
//! written as multi-row `INSERT`s, as many rows per statement as both
//! drivers' parameter limits allow, inside the caller's transaction.
//!
//! The columns are the real paths' own: an activity's and a record's
//! columns come from `activity_columns` and `record_columns`, the lists the
//! one-row insert and the optimistic update are generated from, so a column
//! added there is written here too. What the real path adds beside the row
//! is added here as well (an activity's "created" entry in its history, the
//! version 1, the timestamps).
//!
//! Organisations, activities and records get their ids from the caller
//! ([`Tx::scale_ids`] gives the first free ones), because their children
//! name them in the same batch; [`Tx::finish_scale`] then moves
//! PostgreSQL's identity sequences past them (SQLite takes the highest id
//! plus one by itself).

use crate::plans::{ActivityLinks, ActivityValues, activity_columns};
use crate::register::{RecordLinks, RecordValues, record_columns};
use crate::{Param, Result, Tx, tx_run};
use std::collections::HashSet;
use std::fmt::Write as _;
use time::{Date, OffsetDateTime};

/// Parameters per statement at most: SQLite allows 32,766 and PostgreSQL
/// 65,535.
const MAX_PARAMS: usize = 32_000;

/// The tables whose ids the bulk path chooses.
const CHOSEN_IDS: [&str; 3] = ["organisations", "activities", "collaborations"];

/// An organisation of the register with its districts, challenges and, when
/// it is a party, its accession.
#[derive(Debug, Clone)]
pub struct ScaleOrganisation {
    pub id: i64,
    pub municipality_id: i64,
    pub slug: String,
    pub name: String,
    pub org_number: Option<String>,
    pub legal_form: &'static str,
    pub description: String,
    pub website: Option<String>,
    pub contact_email: Option<String>,
    pub created_at: OffsetDateTime,
    pub districts: Vec<i64>,
    pub challenges: Vec<i64>,
    /// (agreement id, applied on, approved on) of an organisation that
    /// joined the agreement.
    pub joined: Option<(i64, Date, Date)>,
}

/// An activity as the real write leaves it: its columns, its links, its
/// "created" entry in the history by `created_by`, and its
/// self-assessments (principle id, score, comment, assessed on).
#[derive(Debug, Clone)]
pub struct ScaleActivity {
    pub id: i64,
    pub values: ActivityValues,
    pub links: ActivityLinks,
    pub created_at: OffsetDateTime,
    pub created_by: String,
    pub assessments: Vec<(i64, i32, String, Date)>,
}

/// A published progress update.
#[derive(Debug, Clone)]
pub struct ScaleUpdate {
    pub activity_id: i64,
    pub written_on: Date,
    pub body: String,
    pub progress: Option<i32>,
    pub status: Option<&'static str>,
    pub author_name: String,
    pub party_name: String,
}

/// A collaboration record with its organisations, money and principles.
#[derive(Debug, Clone)]
pub struct ScaleRecord {
    pub id: i64,
    pub values: RecordValues,
    pub links: RecordLinks,
    pub created_at: OffsetDateTime,
}

/// The first free ids of the tables whose ids the bulk path chooses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScaleIds {
    pub organisation: i64,
    pub activity: i64,
    pub record: i64,
}

/// What the generated data must not collide with: the unique keys already
/// taken.
#[derive(Debug, Clone, Default)]
pub struct TakenKeys {
    pub municipality_slugs: HashSet<String>,
    pub agreement_slugs: HashSet<String>,
    pub organisation_slugs: HashSet<String>,
    pub org_numbers: HashSet<String>,
    /// (plan id, activity slug)
    pub activity_slugs: HashSet<(i64, String)>,
    /// (city body id, title, start): what identifies a register record in
    /// an import, so an export of the generated register imports back.
    pub record_keys: HashSet<(i64, String, Date)>,
}

/// A plan's period and decision.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PlanPeriod {
    pub id: i64,
    pub slug: String,
    pub starts_on: Date,
    pub ends_on: Date,
    pub extended_to: Option<Date>,
    pub decision_id: Option<i64>,
}

/// What the generator needs to know of an agreement it adds to.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AgreementFacts {
    pub id: i64,
    pub municipality_id: i64,
    pub municipality: String,
    pub status: String,
    pub status_since: Date,
}

/// Rows of one table on their way into a multi-row `INSERT`.
struct Batch<'a> {
    table: &'static str,
    names: Vec<&'static str>,
    params: Vec<Param<'a>>,
}

impl<'a> Batch<'a> {
    fn new(table: &'static str, names: &[&'static str]) -> Self {
        Batch {
            table,
            names: names.to_vec(),
            params: Vec::new(),
        }
    }

    /// Adds one row: a value per column, in the columns' order.
    fn row(&mut self, values: impl IntoIterator<Item = Param<'a>>) {
        let before = self.params.len();
        self.params.extend(values);
        debug_assert_eq!(
            self.params.len() - before,
            self.names.len(),
            "a row of {} has one value per column",
            self.table
        );
    }

    /// Writes the rows, as many per statement as the limit allows (every
    /// full statement has the same text, so each connection prepares it
    /// once).
    async fn write(&self, tx: &mut Tx) -> Result<()> {
        let width = self.names.len();
        let per_statement = (MAX_PARAMS / width).max(1) * width;
        let mark = match tx {
            Tx::Sqlite(_) => '?',
            Tx::Postgres(_) => '$',
        };
        for chunk in self.params.chunks(per_statement) {
            let sql = insert_sql(self.table, &self.names, chunk.len() / width, mark);
            tx.conn().execute_with(&sql, chunk).await?;
        }
        Ok(())
    }
}

/// `INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4), …` for `rows` rows.
/// The placeholders are `$n` on PostgreSQL and plain `?` on SQLite (bound
/// in order): SQLite keeps `$n` and `?n` as names in a list, and sqlx asks
/// for each parameter's name when it binds, a walk of that list each time,
/// so a statement of 30,000 numbered parameters took seconds to bind.
fn insert_sql(table: &str, names: &[&str], rows: usize, mark: char) -> String {
    let width = names.len();
    let mut sql = format!("INSERT INTO {table} ({}) VALUES ", names.join(", "));
    for r in 0..rows {
        sql.push_str(if r == 0 { "(" } else { ", (" });
        for c in 0..width {
            let sep = if c == 0 { "" } else { ", " };
            if mark == '?' {
                let _ = write!(sql, "{sep}?");
            } else {
                let _ = write!(sql, "{sep}{mark}{}", r * width + c + 1);
            }
        }
        sql.push(')');
    }
    sql
}

impl Tx {
    /// The first free id of each table whose ids the bulk path chooses.
    pub async fn scale_ids(&mut self) -> Result<ScaleIds> {
        let mut next = [0_i64; 3];
        for (slot, table) in next.iter_mut().zip(CHOSEN_IDS) {
            let sql = format!("SELECT CAST(COALESCE(MAX(id), 0) + 1 AS BIGINT) FROM {table}");
            *slot = tx_run!(self, |c| sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(
                sql
            ))
            .fetch_one(c)
            .await)?;
        }
        Ok(ScaleIds {
            organisation: next[0],
            activity: next[1],
            record: next[2],
        })
    }

    /// The unique keys the generated rows must avoid.
    pub async fn taken_keys(&mut self) -> Result<TakenKeys> {
        tx_run!(self, |c| {
            let texts = |rows: Vec<(String,)>| rows.into_iter().map(|(s,)| s).collect();
            Ok(TakenKeys {
                municipality_slugs: texts(
                    sqlx::query_as("SELECT slug FROM municipalities")
                        .fetch_all(&mut *c)
                        .await?,
                ),
                agreement_slugs: texts(
                    sqlx::query_as("SELECT slug FROM agreements")
                        .fetch_all(&mut *c)
                        .await?,
                ),
                organisation_slugs: texts(
                    sqlx::query_as("SELECT slug FROM organisations")
                        .fetch_all(&mut *c)
                        .await?,
                ),
                org_numbers: texts(
                    sqlx::query_as(
                        "SELECT org_number FROM organisations WHERE org_number IS NOT NULL",
                    )
                    .fetch_all(&mut *c)
                    .await?,
                ),
                activity_slugs: sqlx::query_as("SELECT plan_id, slug FROM activities")
                    .fetch_all(&mut *c)
                    .await?
                    .into_iter()
                    .collect(),
                record_keys: sqlx::query_as(
                    "SELECT city_body_id, title, starts_on FROM collaborations",
                )
                .fetch_all(&mut *c)
                .await?
                .into_iter()
                .collect(),
            })
        })
    }

    /// An agreement by slug, with its municipality's name and its status.
    pub async fn agreement_facts(&mut self, slug: &str) -> Result<Option<AgreementFacts>> {
        Ok(tx_run!(self, |c| sqlx::query_as(
            "SELECT a.id, a.municipality_id, m.name AS municipality, a.status, a.status_since
             FROM agreements a JOIN municipalities m ON m.id = a.municipality_id WHERE a.slug = $1"
        )
        .bind(slug)
        .fetch_optional(c)
        .await)?)
    }

    /// The plans of an agreement with their periods, oldest first.
    pub async fn plan_periods(&mut self, agreement_id: i64) -> Result<Vec<PlanPeriod>> {
        Ok(tx_run!(self, |c| sqlx::query_as(
            "SELECT id, slug, starts_on, ends_on, extended_to, decision_id FROM action_plans
             WHERE agreement_id = $1 ORDER BY starts_on, id"
        )
        .bind(agreement_id)
        .fetch_all(c)
        .await)?)
    }

    /// Writes organisations with their districts, challenges and accessions.
    pub async fn write_organisations(&mut self, rows: &[ScaleOrganisation]) -> Result<()> {
        let mut orgs = Batch::new(
            "organisations",
            &[
                "id",
                "municipality_id",
                "slug",
                "name",
                "org_number",
                "legal_form",
                "description",
                "website",
                "contact_email",
                "created_at",
            ],
        );
        let mut districts = Batch::new(
            "organisation_districts",
            &["organisation_id", "district_id"],
        );
        let mut challenges = Batch::new(
            "organisation_challenges",
            &["organisation_id", "challenge_id"],
        );
        let mut accessions = Batch::new(
            "accessions",
            &[
                "agreement_id",
                "organisation_id",
                "status",
                "applied_on",
                "decided_on",
            ],
        );
        for o in rows {
            orgs.row([
                Param::Int(o.id),
                Param::Int(o.municipality_id),
                Param::Text(&o.slug),
                Param::Text(&o.name),
                Param::OptText(o.org_number.as_deref()),
                Param::Text(o.legal_form),
                Param::Text(&o.description),
                Param::OptText(o.website.as_deref()),
                Param::OptText(o.contact_email.as_deref()),
                Param::Time(o.created_at),
            ]);
            for d in &o.districts {
                districts.row([Param::Int(o.id), Param::Int(*d)]);
            }
            for c in &o.challenges {
                challenges.row([Param::Int(o.id), Param::Int(*c)]);
            }
            if let Some((agreement, applied, approved)) = o.joined {
                accessions.row([
                    Param::Int(agreement),
                    Param::Int(o.id),
                    Param::Text("approved"),
                    Param::Date(applied),
                    Param::OptDate(Some(approved)),
                ]);
            }
        }
        for batch in [orgs, districts, challenges, accessions] {
            batch.write(self).await?;
        }
        Ok(())
    }

    /// Writes activities as `insert_activity`, `write_activity_links` and
    /// the "created" history entry leave them, with their self-assessments.
    pub async fn write_activities(&mut self, rows: &[ScaleActivity]) -> Result<()> {
        let Some(first) = rows.first() else {
            return Ok(());
        };
        let mut names = vec!["id", "plan_id", "version", "created_at", "updated_at"];
        names.extend(activity_columns(&first.values).map(|(name, _)| name));
        let mut activities = Batch::new("activities", &names);
        let mut changes = Batch::new(
            "activity_changes",
            &[
                "activity_id",
                "version",
                "changed_at",
                "author_name",
                "field",
                "before_value",
                "after_value",
            ],
        );
        for a in rows {
            let own = [
                Param::Int(a.id),
                Param::Int(a.values.plan_id),
                Param::Int(1),
                Param::Time(a.created_at),
                Param::Time(a.created_at),
            ];
            activities.row(
                own.into_iter()
                    .chain(activity_columns(&a.values).map(|(_, v)| v)),
            );
            changes.row([
                Param::Int(a.id),
                Param::Int(1),
                Param::Time(a.created_at),
                Param::Text(&a.created_by),
                Param::Text("created"),
                Param::Text(""),
                Param::Text(&a.values.title),
            ]);
        }
        activities.write(self).await?;
        self.write_activity_link_rows(rows).await?;
        changes.write(self).await
    }

    /// The parties, milestones, money, principles, decisions and
    /// self-assessments of activities just written.
    async fn write_activity_link_rows(&mut self, rows: &[ScaleActivity]) -> Result<()> {
        let mut parties = Batch::new(
            "activity_parties",
            &["activity_id", "role", "organisation_id", "city_body_id"],
        );
        let mut milestones = Batch::new(
            "activity_milestones",
            &["activity_id", "title", "due_on", "reached_on"],
        );
        let mut funding = Batch::new(
            "activity_funding",
            &["activity_id", "source", "year", "amount_sek"],
        );
        let mut principles = Batch::new("activity_principles", &["activity_id", "principle_id"]);
        let mut decisions = Batch::new("activity_decisions", &["activity_id", "decision_id"]);
        let mut assessments = Batch::new(
            "self_assessments",
            &[
                "activity_id",
                "principle_id",
                "score",
                "comment",
                "assessed_on",
            ],
        );
        for a in rows {
            let id = Param::Int(a.id);
            let l = &a.links;
            for (role, org, body) in &l.parties {
                parties.row([
                    id,
                    Param::Text(role),
                    Param::OptInt(*org),
                    Param::OptInt(*body),
                ]);
            }
            for m in &l.milestones {
                milestones.row([
                    id,
                    Param::Text(&m.title),
                    Param::Date(m.due_on),
                    Param::OptDate(m.reached_on),
                ]);
            }
            for (source, year, amount) in &l.funding {
                funding.row([
                    id,
                    Param::Text(source),
                    Param::Int32(*year),
                    Param::Int(*amount),
                ]);
            }
            for p in &l.principles {
                principles.row([id, Param::Int(*p)]);
            }
            for d in &l.decisions {
                decisions.row([id, Param::Int(*d)]);
            }
            for (principle, score, comment, on) in &a.assessments {
                assessments.row([
                    id,
                    Param::Int(*principle),
                    Param::Int32(*score),
                    Param::Text(comment),
                    Param::Date(*on),
                ]);
            }
        }
        for batch in [
            parties,
            milestones,
            funding,
            principles,
            decisions,
            assessments,
        ] {
            batch.write(self).await?;
        }
        Ok(())
    }

    /// Writes published progress updates, as `insert_update` does.
    pub async fn write_updates(&mut self, rows: &[ScaleUpdate]) -> Result<()> {
        let mut updates = Batch::new(
            "progress_updates",
            &[
                "activity_id",
                "written_on",
                "state",
                "body",
                "progress",
                "status",
                "author_name",
                "party_name",
                "created_at",
            ],
        );
        for u in rows {
            updates.row([
                Param::Int(u.activity_id),
                Param::Date(u.written_on),
                Param::Text("published"),
                Param::Text(&u.body),
                Param::OptInt32(u.progress),
                Param::OptText(u.status),
                Param::Text(&u.author_name),
                Param::Text(&u.party_name),
                Param::Time(u.written_on.midnight().assume_utc()),
            ]);
        }
        updates.write(self).await
    }

    /// Writes records as `insert_record` and `write_record_links` leave
    /// them.
    pub async fn write_records(&mut self, rows: &[ScaleRecord]) -> Result<()> {
        let Some(first) = rows.first() else {
            return Ok(());
        };
        let mut names = vec!["id", "version", "created_at", "updated_at"];
        names.extend(record_columns(&first.values).map(|(name, _)| name));
        let mut records = Batch::new("collaborations", &names);
        let mut orgs = Batch::new(
            "collaboration_organisations",
            &["collaboration_id", "organisation_id"],
        );
        let mut money = Batch::new(
            "collaboration_money",
            &["collaboration_id", "year", "amount_sek"],
        );
        let mut principles = Batch::new(
            "collaboration_principles",
            &["collaboration_id", "principle_id"],
        );
        for r in rows {
            let id = Param::Int(r.id);
            let own = [
                id,
                Param::Int(1),
                Param::Time(r.created_at),
                Param::Time(r.created_at),
            ];
            records.row(
                own.into_iter()
                    .chain(record_columns(&r.values).map(|(_, v)| v)),
            );
            for o in &r.links.organisations {
                orgs.row([id, Param::Int(*o)]);
            }
            for (year, amount) in &r.links.money {
                money.row([id, Param::Int32(*year), Param::Int(*amount)]);
            }
            for p in &r.links.principles {
                principles.row([id, Param::Int(*p)]);
            }
        }
        for batch in [records, orgs, money, principles] {
            batch.write(self).await?;
        }
        Ok(())
    }

    /// After a bulk load: on PostgreSQL, moves the identity sequences of the
    /// tables whose ids were chosen past the highest id (the next ordinary
    /// insert would otherwise collide) and gathers the planner's statistics,
    /// as autovacuum would a little later. SQLite needs neither: it numbers
    /// from the highest id, and the app is not tuned to `sqlite_stat1`.
    pub async fn finish_scale(&mut self) -> Result<()> {
        if let Tx::Postgres(tx) = self {
            for table in CHOSEN_IDS {
                let sql = format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'),
                                   (SELECT COALESCE(MAX(id), 1) FROM {table}))"
                );
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .execute(&mut **tx)
                    .await?;
            }
            sqlx::query("ANALYZE").execute(&mut **tx).await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::insert_sql;

    #[test]
    fn placeholders_run_on_from_row_to_row() {
        assert_eq!(
            insert_sql("t", &["a", "b"], 2, '$'),
            "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4)"
        );
        assert_eq!(
            insert_sql("t", &["a", "b"], 2, '?'),
            "INSERT INTO t (a, b) VALUES (?, ?), (?, ?)"
        );
    }
}
