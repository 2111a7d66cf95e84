//! Reads of the public record: every table of the agreement area, read whole
//! and in a stable order. The application layer groups these rows into the
//! public snapshot it caches, so a page view costs no query.

use crate::{Conn, Db, Result, db_run, tx_run};
use time::Date;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MunicipalityRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub kind: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CityBodyRow {
    pub id: i64,
    pub municipality_id: i64,
    pub slug: String,
    pub name: String,
    pub kind: String,
    pub parent_id: Option<i64>,
    pub description: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AgreementRow {
    pub id: i64,
    pub municipality_id: i64,
    pub slug: String,
    pub name: String,
    pub short_name: String,
    pub status: String,
    pub status_since: Date,
    pub summary: String,
    pub vision: String,
    pub successor_id: Option<i64>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DecisionRow {
    pub id: i64,
    pub agreement_id: i64,
    pub decided_on: Date,
    pub date_precision: String,
    pub city_body_id: Option<i64>,
    pub decided_by_name: Option<String>,
    pub reference: Option<String>,
    pub url: Option<String>,
    pub title: String,
    pub summary: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct VersionRow {
    pub id: i64,
    pub agreement_id: i64,
    pub number: i32,
    pub label: String,
    pub status: String,
    pub published_on: Date,
    pub decision_id: Option<i64>,
    pub note: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SectionRow {
    pub id: i64,
    pub version_id: i64,
    pub anchor: String,
    pub heading: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ParagraphRow {
    pub section_id: i64,
    pub anchor: String,
    pub kind: String,
    pub body: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PrincipleRow {
    pub id: i64,
    pub agreement_id: i64,
    pub slug: String,
    pub name: String,
    pub description: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CommitmentRow {
    pub agreement_id: i64,
    pub body: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ChallengeRow {
    pub id: i64,
    pub agreement_id: i64,
    pub slug: String,
    pub name: String,
    pub summary: String,
    pub description: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ActionPlanRow {
    pub id: i64,
    pub agreement_id: i64,
    pub slug: String,
    pub title: String,
    pub starts_on: Date,
    pub ends_on: Date,
    pub extended_to: Option<Date>,
    pub decision_id: Option<i64>,
    pub summary: String,
    pub status: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PlanChallengeRow {
    pub plan_id: i64,
    pub challenge_id: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RoleRow {
    pub id: i64,
    pub agreement_id: i64,
    pub slug: String,
    pub kind: String,
    pub side: String,
    pub title: String,
    pub mailbox: Option<String>,
    pub description: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TermRow {
    pub role_id: i64,
    pub holder: String,
    pub starts_on: Date,
    pub ends_on: Option<Date>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DistrictRow {
    pub id: i64,
    pub municipality_id: i64,
    pub slug: String,
    pub name: String,
}

/// See [`Db::register_ids`].
pub struct RegisterIds {
    pub municipality: i64,
    pub districts: std::collections::HashMap<String, i64>,
    pub challenges: Vec<(String, i64)>,
}

/// Every row of the public record, each table in its display order.
#[derive(Debug, Default, Clone)]
pub struct PublicRows {
    /// The change counter these rows were read at (see [`crate::changes`]).
    pub epoch: i64,
    pub municipalities: Vec<MunicipalityRow>,
    pub city_bodies: Vec<CityBodyRow>,
    pub agreements: Vec<AgreementRow>,
    pub decisions: Vec<DecisionRow>,
    pub versions: Vec<VersionRow>,
    pub sections: Vec<SectionRow>,
    pub paragraphs: Vec<ParagraphRow>,
    pub principles: Vec<PrincipleRow>,
    pub commitments: Vec<CommitmentRow>,
    pub challenges: Vec<ChallengeRow>,
    pub plans: Vec<ActionPlanRow>,
    pub plan_challenges: Vec<PlanChallengeRow>,
    pub roles: Vec<RoleRow>,
    pub terms: Vec<TermRow>,
    pub districts: Vec<DistrictRow>,
    /// The text of every plan's parts (the activities are read per
    /// agreement, [`Db::plan_rows_of`]).
    pub plan_parts: Vec<crate::plans::PlanPartRow>,
    pub signatories: Vec<crate::writing::SignatoryRow>,
    pub events: Vec<crate::writing::EventRow>,
    /// The public versions' headings and paragraphs in other languages.
    pub translations: Vec<crate::writing::TranslationRow>,
    /// The public agreements' own fields, principles and challenges in
    /// other languages.
    pub field_translations: Vec<crate::writing::FieldTranslationRow>,
    /// The documents' descriptions (never their content).
    pub documents: Vec<crate::documents::DocumentRow>,
}

impl Db {
    /// Reads the whole public record in one repeatable-read pass (one read
    /// transaction, [`Db::begin_read`], so every table is read in the same
    /// state): one query a table, no query per row.
    pub async fn public_rows(&self) -> Result<PublicRows> {
        let mut tx = self.begin_read().await?;
        let rows = tx.conn().public_rows().await?;
        tx.commit().await?;
        Ok(rows)
    }
}

impl Conn<'_> {
    /// Every row of the public record (see [`Db::public_rows`], which reads
    /// them inside one read transaction).
    pub async fn public_rows(&mut self) -> Result<PublicRows> {
        let epoch = self.public_epoch().await?;
        let plan_parts = self.plan_parts().await?;
        let documents = self.document_rows().await?;
        tx_run!(self, |c| {
            Ok(PublicRows {
                epoch,
                municipalities: sqlx::query_as("SELECT id, slug, name, kind FROM municipalities ORDER BY name, id")
                    .fetch_all(&mut *c)
                    .await?,
                city_bodies: sqlx::query_as(
                    "SELECT id, municipality_id, slug, name, kind, parent_id, description
                     FROM city_bodies ORDER BY municipality_id, position, id",
                )
                .fetch_all(&mut *c)
                .await?,
                agreements: sqlx::query_as(
                    "SELECT id, municipality_id, slug, name, short_name, status, status_since, summary,
                            vision, successor_id
                     FROM agreements WHERE status <> 'draft' ORDER BY position, id",
                )
                .fetch_all(&mut *c)
                .await?,
                decisions: sqlx::query_as(
                    "SELECT id, agreement_id, decided_on, date_precision, city_body_id, decided_by_name,
                            reference, url, title, summary
                     FROM decisions ORDER BY agreement_id, decided_on, id",
                )
                .fetch_all(&mut *c)
                .await?,
                versions: sqlx::query_as(
                    "SELECT id, agreement_id, number, label, status, published_on, decision_id, note
                     FROM agreement_versions WHERE status <> 'draft' ORDER BY agreement_id, number",
                )
                .fetch_all(&mut *c)
                .await?,
                sections: sqlx::query_as(
                    "SELECT id, version_id, anchor, heading FROM version_sections
                     WHERE version_id IN (SELECT id FROM agreement_versions WHERE status <> 'draft')
                     ORDER BY version_id, position, id",
                )
                .fetch_all(&mut *c)
                .await?,
                paragraphs: sqlx::query_as(
                    "SELECT section_id, anchor, kind, body FROM version_paragraphs
                     WHERE section_id IN (SELECT s.id FROM version_sections s
                         JOIN agreement_versions v ON v.id = s.version_id WHERE v.status <> 'draft')
                     ORDER BY section_id, position, id",
                )
                .fetch_all(&mut *c)
                .await?,
                principles: sqlx::query_as(
                    "SELECT id, agreement_id, slug, name, description FROM principles
                     ORDER BY agreement_id, position, id",
                )
                .fetch_all(&mut *c)
                .await?,
                commitments: sqlx::query_as(
                    "SELECT agreement_id, body FROM commitments ORDER BY agreement_id, position, id",
                )
                .fetch_all(&mut *c)
                .await?,
                challenges: sqlx::query_as(
                    "SELECT id, agreement_id, slug, name, summary, description FROM challenges
                     ORDER BY agreement_id, position, id",
                )
                .fetch_all(&mut *c)
                .await?,
                plans: sqlx::query_as(
                    "SELECT id, agreement_id, slug, title, starts_on, ends_on, extended_to, decision_id, summary,
                            status
                     FROM action_plans ORDER BY agreement_id, starts_on, id",
                )
                .fetch_all(&mut *c)
                .await?,
                plan_challenges: sqlx::query_as(
                    "SELECT plan_id, challenge_id FROM action_plan_challenges ORDER BY plan_id, challenge_id",
                )
                .fetch_all(&mut *c)
                .await?,
                roles: sqlx::query_as(
                    "SELECT id, agreement_id, slug, kind, side, title, mailbox, description
                     FROM governance_roles ORDER BY agreement_id, position, id",
                )
                .fetch_all(&mut *c)
                .await?,
                terms: sqlx::query_as(
                    // A term of an account shows the account's name as it is now
                    // (empty once the account is erased).
                    "SELECT t.role_id, CASE WHEN u.id IS NULL THEN t.holder ELSE u.display_name END AS holder,
                            t.starts_on, t.ends_on
                     FROM role_terms t LEFT JOIN users u ON u.id = t.user_id
                     ORDER BY t.role_id, t.starts_on, t.id",
                )
                .fetch_all(&mut *c)
                .await?,
                districts: sqlx::query_as(
                    "SELECT id, municipality_id, slug, name FROM districts ORDER BY municipality_id, position, id",
                )
                .fetch_all(&mut *c)
                .await?,
                plan_parts,
                signatories: sqlx::query_as(
                    "SELECT agreement_id, side, municipality_id, name FROM agreement_signatories
                     ORDER BY agreement_id, position, id",
                )
                .fetch_all(&mut *c)
                .await?,
                events: sqlx::query_as(
                    "SELECT agreement_id, at, step, actor_name, version_number, decision_id, note
                     FROM agreement_events ORDER BY agreement_id, at, id",
                )
                .fetch_all(&mut *c)
                .await?,
                translations: sqlx::query_as(
                    "SELECT version_id, lang, anchor, body FROM version_translations
                     WHERE version_id IN (SELECT id FROM agreement_versions WHERE status <> 'draft')",
                )
                .fetch_all(&mut *c)
                .await?,
                field_translations: sqlx::query_as(
                    "SELECT agreement_id, lang, part, slug, field, body FROM agreement_translations
                     WHERE agreement_id IN (SELECT id FROM agreements WHERE status <> 'draft')
                     ORDER BY agreement_id, lang, part, slug, field",
                )
                .fetch_all(&mut *c)
                .await?,
                documents,
            })
        })
    }
}

impl Db {
    /// The organisation holding an organisation number, as (slug, name).
    pub async fn organisation_with_number(&self, number: &str) -> Result<Option<(String, String)>> {
        Ok(db_run!(self, |pool| {
            sqlx::query_as::<_, (String, String)>(
                "SELECT slug, name FROM organisations WHERE org_number = $1",
            )
            .bind(number)
            .fetch_optional(pool)
            .await
        })?)
    }

    /// Ids a new organisation refers to: its municipality's id, the
    /// municipality's districts by slug, and every challenge as (slug, id).
    pub async fn register_ids(&self, municipality: &str) -> Result<RegisterIds> {
        let municipality_id: i64 = db_run!(self, |pool| sqlx::query_scalar(
            "SELECT id FROM municipalities WHERE slug = $1"
        )
        .bind(municipality)
        .fetch_one(pool)
        .await)?;
        let districts: Vec<(String, i64)> = db_run!(self, |pool| sqlx::query_as(
            "SELECT slug, id FROM districts WHERE municipality_id = $1"
        )
        .bind(municipality_id)
        .fetch_all(pool)
        .await)?;
        let challenges: Vec<(String, i64)> = db_run!(self, |pool| sqlx::query_as(
            "SELECT slug, id FROM challenges"
        )
        .fetch_all(pool)
        .await)?;
        Ok(RegisterIds {
            municipality: municipality_id,
            districts: districts.into_iter().collect(),
            challenges,
        })
    }

    /// Whether an organisation slug is taken.
    pub async fn organisation_slug_taken(&self, slug: &str) -> Result<bool> {
        Ok(db_run!(self, |pool| sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM organisations WHERE slug = $1"
        )
        .bind(slug)
        .fetch_one(pool)
        .await)?
            > 0)
    }

    /// How many agreements the install holds (zero means a fresh database).
    pub async fn count_agreements(&self) -> Result<i64> {
        Ok(db_run!(self, |pool| sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM agreements"
        )
        .fetch_one(pool)
        .await)?)
    }
}
