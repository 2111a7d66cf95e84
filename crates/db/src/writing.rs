//! Writing agreements: the writers' reads (drafts included, which the public
//! record leaves out) and the edits, each guarded by a revision number so an
//! edit made on an older revision changes nothing and says so.

use crate::snapshot::{AgreementRow, ParagraphRow, SectionRow, VersionRow};
use crate::{Db, Result, Tx, db_run, tx_run};
use time::{Date, OffsetDateTime};

/// An agreement as its writers see it, with its revision.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct WritingRow {
    #[sqlx(flatten)]
    pub agreement: AgreementRow,
    pub revision: i64,
}

/// A version with its revision.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct VersionHead {
    #[sqlx(flatten)]
    pub version: VersionRow,
    pub revision: i64,
}

/// One signatory: a public-sector party (a municipality or region) or a
/// signatory body of the sector.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SignatoryRow {
    pub agreement_id: i64,
    pub side: String,
    pub municipality_id: Option<i64>,
    pub name: String,
}

/// One step of an agreement's public history.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EventRow {
    pub agreement_id: i64,
    pub at: OffsetDateTime,
    pub step: String,
    pub actor_name: String,
    pub version_number: Option<i32>,
    pub decision_id: Option<i64>,
    pub note: String,
}

/// A heading or paragraph in another language, by its anchor.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TranslationRow {
    pub version_id: i64,
    pub lang: String,
    pub anchor: String,
    pub body: String,
}

/// One field of the agreement, a principle or a challenge in another
/// language: `part` is `agreement` (slug empty), `principle` or
/// `challenge`; `field` is the column it translates.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct FieldTranslationRow {
    pub agreement_id: i64,
    pub lang: String,
    pub part: String,
    pub slug: String,
    pub field: String,
    pub body: String,
}

/// The fields of the agreement form.
pub struct AgreementFields<'a> {
    pub name: &'a str,
    pub short_name: &'a str,
    pub summary: &'a str,
    pub vision: &'a str,
}

/// A new step of the history.
pub struct NewEvent<'a> {
    pub agreement_id: i64,
    pub at: OffsetDateTime,
    pub step: &'a str,
    pub actor_id: Option<i64>,
    pub actor_name: &'a str,
    pub version_number: Option<i32>,
    pub decision_id: Option<i64>,
    pub note: &'a str,
}

/// The columns of a [`WritingRow`] (a macro, so the queries stay literals).
macro_rules! agreement_columns {
    () => {
        "SELECT id, municipality_id, slug, name, short_name, status, status_since, summary, vision,
                successor_id, revision FROM agreements "
    };
}

/// A principle or a challenge as its writers keep it (a principle has no
/// summary).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PartRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub summary: String,
    pub description: String,
}

impl Db {
    /// The agreement's ways of working, in order.
    pub async fn commitments_of(&self, agreement_id: i64) -> Result<Vec<String>> {
        Ok(db_run!(self, |pool| sqlx::query_scalar(
            "SELECT body FROM commitments WHERE agreement_id = $1 ORDER BY position, id"
        )
        .bind(agreement_id)
        .fetch_all(pool)
        .await)?)
    }

    /// The agreement's principles and challenges, in order.
    pub async fn parts_of(&self, agreement_id: i64) -> Result<(Vec<PartRow>, Vec<PartRow>)> {
        Ok(db_run!(self, |pool| {
            let principles = sqlx::query_as(
                "SELECT id, slug, name, '' AS summary, description FROM principles
                 WHERE agreement_id = $1 ORDER BY position, id",
            )
            .bind(agreement_id)
            .fetch_all(pool)
            .await?;
            let challenges = sqlx::query_as(
                "SELECT id, slug, name, summary, description FROM challenges
                 WHERE agreement_id = $1 ORDER BY position, id",
            )
            .bind(agreement_id)
            .fetch_all(pool)
            .await?;
            Ok::<_, sqlx::Error>((principles, challenges))
        })?)
    }

    /// The agreement's fields, principles and challenges in `lang`.
    pub async fn field_translations(
        &self,
        agreement_id: i64,
        lang: &str,
    ) -> Result<Vec<FieldTranslationRow>> {
        Ok(db_run!(self, |pool| sqlx::query_as(
            "SELECT agreement_id, lang, part, slug, field, body FROM agreement_translations
             WHERE agreement_id = $1 AND lang = $2 ORDER BY part, slug, field"
        )
        .bind(agreement_id)
        .bind(lang)
        .fetch_all(pool)
        .await)?)
    }

    /// An agreement by slug, whatever its status.
    pub async fn agreement_for_writing(&self, slug: &str) -> Result<Option<WritingRow>> {
        Ok(db_run!(self, |pool| sqlx::query_as(concat!(
            agreement_columns!(),
            "WHERE slug = $1"
        ))
        .bind(slug)
        .fetch_optional(pool)
        .await)?)
    }

    /// The agreements still in draft, which only their writers see.
    pub async fn draft_agreements(&self) -> Result<Vec<WritingRow>> {
        Ok(db_run!(self, |pool| sqlx::query_as(concat!(
            agreement_columns!(),
            "WHERE status = 'draft' ORDER BY name, id"
        ))
        .fetch_all(pool)
        .await)?)
    }

    /// Every version of an agreement, oldest first.
    pub async fn versions_for_writing(&self, agreement_id: i64) -> Result<Vec<VersionHead>> {
        Ok(db_run!(self, |pool| {
            sqlx::query_as(
            "SELECT id, agreement_id, number, label, status, published_on, decision_id, note, revision
             FROM agreement_versions WHERE agreement_id = $1 ORDER BY number"
        )
            .bind(agreement_id)
            .fetch_all(pool)
            .await
        })?)
    }

    /// A version's sections and paragraphs, in order.
    pub async fn version_text(
        &self,
        version_id: i64,
    ) -> Result<(Vec<SectionRow>, Vec<ParagraphRow>)> {
        Ok(db_run!(self, |pool| {
            let sections = sqlx::query_as(
                "SELECT id, version_id, anchor, heading FROM version_sections
                 WHERE version_id = $1 ORDER BY position, id",
            )
            .bind(version_id)
            .fetch_all(pool)
            .await?;
            let paragraphs = sqlx::query_as(
                "SELECT p.section_id, p.anchor, p.kind, p.body FROM version_paragraphs p
                 JOIN version_sections s ON s.id = p.section_id
                 WHERE s.version_id = $1 ORDER BY s.position, s.id, p.position, p.id",
            )
            .bind(version_id)
            .fetch_all(pool)
            .await?;
            Ok::<_, sqlx::Error>((sections, paragraphs))
        })?)
    }

    /// A version's headings and paragraphs in `lang`.
    pub async fn version_translations(
        &self,
        version_id: i64,
        lang: &str,
    ) -> Result<Vec<TranslationRow>> {
        Ok(db_run!(self, |pool| sqlx::query_as(
            "SELECT version_id, lang, anchor, body FROM version_translations
             WHERE version_id = $1 AND lang = $2"
        )
        .bind(version_id)
        .bind(lang)
        .fetch_all(pool)
        .await)?)
    }

    /// Every anchor any version of the agreement has used (sections and
    /// paragraphs), so a new one is never an old one again.
    pub async fn anchors_used(&self, agreement_id: i64) -> Result<Vec<String>> {
        Ok(db_run!(self, |pool| sqlx::query_scalar(
            "SELECT s.anchor FROM version_sections s
             JOIN agreement_versions v ON v.id = s.version_id WHERE v.agreement_id = $1
             UNION
             SELECT p.anchor FROM version_paragraphs p
             JOIN version_sections s ON s.id = p.section_id
             JOIN agreement_versions v ON v.id = s.version_id WHERE v.agreement_id = $1"
        )
        .bind(agreement_id)
        .fetch_all(pool)
        .await)?)
    }

    /// The agreement's signatories, in order.
    pub async fn signatories_of(&self, agreement_id: i64) -> Result<Vec<SignatoryRow>> {
        Ok(db_run!(self, |pool| sqlx::query_as(
            "SELECT agreement_id, side, municipality_id, name FROM agreement_signatories
             WHERE agreement_id = $1 ORDER BY position, id"
        )
        .bind(agreement_id)
        .fetch_all(pool)
        .await)?)
    }

    /// The agreement's history, oldest first.
    pub async fn events_of(&self, agreement_id: i64) -> Result<Vec<EventRow>> {
        Ok(db_run!(self, |pool| sqlx::query_as(
            "SELECT agreement_id, at, step, actor_name, version_number, decision_id, note
             FROM agreement_events WHERE agreement_id = $1 ORDER BY at, id"
        )
        .bind(agreement_id)
        .fetch_all(pool)
        .await)?)
    }

    /// The place after the last agreement in the lists.
    pub async fn next_agreement_position(&self) -> Result<i32> {
        Ok(db_run!(self, |pool| sqlx::query_scalar::<_, i32>(
            "SELECT CAST(COALESCE(MAX(position), 0) + 1 AS INTEGER) FROM agreements"
        )
        .fetch_one(pool)
        .await)?)
    }
}

impl Tx {
    /// Saves the agreement's fields if it is still at `revision`; `false`
    /// (nothing changed) when someone saved first.
    pub async fn update_agreement_fields(
        &mut self,
        id: i64,
        revision: i64,
        f: &AgreementFields<'_>,
    ) -> Result<bool> {
        let done = tx_run!(self, |c| sqlx::query(
            "UPDATE agreements SET name = $1, short_name = $2, summary = $3, vision = $4,
                    revision = revision + 1
             WHERE id = $5 AND revision = $6"
        )
        .bind(f.name)
        .bind(f.short_name)
        .bind(f.summary)
        .bind(f.vision)
        .bind(id)
        .bind(revision)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
        Ok(done == 1)
    }

    /// Claims the agreement for a step: its revision moves on if it is
    /// still `revision`; `false` (nothing changed) when someone changed it.
    pub async fn claim_agreement(&mut self, id: i64, revision: i64) -> Result<bool> {
        let done = tx_run!(self, |c| sqlx::query(
            "UPDATE agreements SET revision = revision + 1 WHERE id = $1 AND revision = $2"
        )
        .bind(id)
        .bind(revision)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
        Ok(done == 1)
    }

    /// Moves the agreement to `status` since `since` (and names its
    /// successor).
    pub async fn set_agreement_status(
        &mut self,
        id: i64,
        status: &str,
        since: Date,
        successor_id: Option<i64>,
    ) -> Result<()> {
        tx_run!(self, |c| sqlx::query(
            "UPDATE agreements SET status = $1, status_since = $2,
                    successor_id = COALESCE($3, successor_id)
             WHERE id = $4"
        )
        .bind(status)
        .bind(since)
        .bind(successor_id)
        .bind(id)
        .execute(c)
        .await
        .map(|_| ()))?;
        Ok(())
    }

    /// Claims a version for an edit: its revision moves on if it is still
    /// `revision`; `false` (nothing changed) when someone saved first.
    pub async fn claim_version(&mut self, version_id: i64, revision: i64) -> Result<bool> {
        let done = tx_run!(self, |c| {
            sqlx::query(
            "UPDATE agreement_versions SET revision = revision + 1 WHERE id = $1 AND revision = $2"
        )
        .bind(version_id)
        .bind(revision)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
        })?;
        Ok(done == 1)
    }

    /// Removes a version's sections and paragraphs (before its text is
    /// written again; its translations follow the anchors and stay).
    pub async fn clear_version_text(&mut self, version_id: i64) -> Result<()> {
        tx_run!(self, |c| {
            sqlx::query(
                "DELETE FROM version_paragraphs WHERE section_id IN
                     (SELECT id FROM version_sections WHERE version_id = $1)",
            )
            .bind(version_id)
            .execute(&mut *c)
            .await?;
            sqlx::query("DELETE FROM version_sections WHERE version_id = $1")
                .bind(version_id)
                .execute(&mut *c)
                .await
                .map(|_| ())
        })?;
        Ok(())
    }

    /// Replaces a version's text in `lang` (anchor → heading or paragraph).
    pub async fn replace_translations(
        &mut self,
        version_id: i64,
        lang: &str,
        texts: &[(String, String)],
    ) -> Result<()> {
        tx_run!(self, |c| {
            sqlx::query("DELETE FROM version_translations WHERE version_id = $1 AND lang = $2")
                .bind(version_id)
                .bind(lang)
                .execute(&mut *c)
                .await?;
            for (anchor, body) in texts {
                sqlx::query(
                    "INSERT INTO version_translations (version_id, lang, anchor, body)
                     VALUES ($1, $2, $3, $4)",
                )
                .bind(version_id)
                .bind(lang)
                .bind(anchor)
                .bind(body)
                .execute(&mut *c)
                .await?;
            }
            Ok::<_, sqlx::Error>(())
        })?;
        Ok(())
    }

    /// Sets a version's status, and when given its date and decision.
    pub async fn set_version_status(
        &mut self,
        version_id: i64,
        status: &str,
        published_on: Date,
        decision_id: Option<i64>,
    ) -> Result<()> {
        tx_run!(self, |c| sqlx::query(
            "UPDATE agreement_versions SET status = $1, published_on = $2,
                    decision_id = COALESCE($3, decision_id), revision = revision + 1
             WHERE id = $4"
        )
        .bind(status)
        .bind(published_on)
        .bind(decision_id)
        .bind(version_id)
        .execute(c)
        .await
        .map(|_| ()))?;
        Ok(())
    }

    /// Marks every adopted version of the agreement but `keep`, and every
    /// earlier one that was under consultation, superseded.
    pub async fn supersede_versions(&mut self, agreement_id: i64, keep: i64) -> Result<()> {
        tx_run!(self, |c| sqlx::query(
            "UPDATE agreement_versions SET status = 'superseded', revision = revision + 1
             WHERE agreement_id = $1 AND id <> $2 AND status IN ('adopted', 'consultation')"
        )
        .bind(agreement_id)
        .bind(keep)
        .execute(c)
        .await
        .map(|_| ()))?;
        Ok(())
    }

    /// Rewrites a principle in place (its slug and id stay, so what refers
    /// to it still does).
    pub async fn update_principle(
        &mut self,
        id: i64,
        position: i32,
        name: &str,
        description: &str,
    ) -> Result<()> {
        tx_run!(self, |c| sqlx::query(
            "UPDATE principles SET position = $1, name = $2, description = $3 WHERE id = $4"
        )
        .bind(position)
        .bind(name)
        .bind(description)
        .bind(id)
        .execute(c)
        .await
        .map(|_| ()))?;
        Ok(())
    }

    /// Rewrites a challenge in place.
    pub async fn update_challenge(
        &mut self,
        id: i64,
        position: i32,
        (name, summary, description): (&str, &str, &str),
    ) -> Result<()> {
        tx_run!(self, |c| {
            sqlx::query(
            "UPDATE challenges SET position = $1, name = $2, summary = $3, description = $4 WHERE id = $5"
        )
        .bind(position)
        .bind(name)
        .bind(summary)
        .bind(description)
        .bind(id)
        .execute(c)
        .await
        .map(|_| ())
        })?;
        Ok(())
    }

    /// Removes a challenge (or a principle); refused by the database
    /// while anything refers to it.
    pub async fn delete_part(&mut self, challenge: bool, id: i64) -> Result<()> {
        let sql = if challenge {
            "DELETE FROM challenges WHERE id = $1"
        } else {
            "DELETE FROM principles WHERE id = $1"
        };
        tx_run!(self, |c| sqlx::query(sql)
            .bind(id)
            .execute(c)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    /// Replaces the agreement's translations into `lang` of the given
    /// parts (`agreement`, or `principle` and `challenge`) with `rows`
    /// (part, slug, field, body).
    pub async fn replace_field_translations(
        &mut self,
        agreement_id: i64,
        lang: &str,
        parts: &[&str],
        rows: &[(&str, &str, &str, &str)],
    ) -> Result<()> {
        for part in parts {
            tx_run!(self, |c| {
                sqlx::query(
                "DELETE FROM agreement_translations WHERE agreement_id = $1 AND lang = $2 AND part = $3"
            )
            .bind(agreement_id)
            .bind(lang)
            .bind(*part)
            .execute(c)
            .await
            .map(|_| ())
            })?;
        }
        for (part, slug, field, body) in rows {
            tx_run!(self, |c| sqlx::query(
                "INSERT INTO agreement_translations (agreement_id, lang, part, slug, field, body)
                 VALUES ($1, $2, $3, $4, $5, $6)"
            )
            .bind(agreement_id)
            .bind(lang)
            .bind(*part)
            .bind(*slug)
            .bind(*field)
            .bind(*body)
            .execute(c)
            .await
            .map(|_| ()))?;
        }
        Ok(())
    }

    /// Removes the agreement's ways of working (the parts form writes them
    /// again, in order; nothing refers to one).
    pub async fn delete_commitments(&mut self, agreement_id: i64) -> Result<()> {
        tx_run!(self, |c| sqlx::query(
            "DELETE FROM commitments WHERE agreement_id = $1"
        )
        .bind(agreement_id)
        .execute(c)
        .await
        .map(|_| ()))?;
        Ok(())
    }

    /// Renames a version.
    pub async fn set_version_label(&mut self, version_id: i64, label: &str) -> Result<()> {
        tx_run!(self, |c| sqlx::query(
            "UPDATE agreement_versions SET label = $1 WHERE id = $2"
        )
        .bind(label)
        .bind(version_id)
        .execute(c)
        .await
        .map(|_| ()))?;
        Ok(())
    }

    /// A municipality's or region's name.
    pub async fn municipality_name(&mut self, id: i64) -> Result<String> {
        Ok(tx_run!(self, |c| sqlx::query_scalar(
            "SELECT name FROM municipalities WHERE id = $1"
        )
        .bind(id)
        .fetch_one(c)
        .await)?)
    }

    /// Copies a version's text and translations into another (a new
    /// version starts as the one before it, with the same anchors).
    pub async fn copy_version_text(&mut self, from: i64, to: i64) -> Result<()> {
        tx_run!(self, |c| {
            sqlx::query(
                "INSERT INTO version_sections (version_id, position, anchor, heading)
                 SELECT $2, position, anchor, heading FROM version_sections WHERE version_id = $1",
            )
            .bind(from)
            .bind(to)
            .execute(&mut *c)
            .await?;
            sqlx::query(
                "INSERT INTO version_paragraphs (section_id, position, anchor, kind, body)
                 SELECT n.id, p.position, p.anchor, p.kind, p.body
                 FROM version_paragraphs p
                 JOIN version_sections o ON o.id = p.section_id AND o.version_id = $1
                 JOIN version_sections n ON n.version_id = $2 AND n.anchor = o.anchor",
            )
            .bind(from)
            .bind(to)
            .execute(&mut *c)
            .await?;
            sqlx::query(
                "INSERT INTO version_translations (version_id, lang, anchor, body)
                 SELECT $2, lang, anchor, body FROM version_translations WHERE version_id = $1",
            )
            .bind(from)
            .bind(to)
            .execute(&mut *c)
            .await
            .map(|_| ())
        })?;
        Ok(())
    }

    pub async fn insert_signatory(&mut self, s: &SignatoryRow, position: i32) -> Result<()> {
        tx_run!(self, |c| {
            sqlx::query(
            "INSERT INTO agreement_signatories (agreement_id, position, side, municipality_id, name)
             VALUES ($1, $2, $3, $4, $5)"
        )
        .bind(s.agreement_id)
        .bind(position)
        .bind(&s.side)
        .bind(s.municipality_id)
        .bind(&s.name)
        .execute(c)
        .await
        .map(|_| ())
        })?;
        Ok(())
    }

    pub async fn delete_signatories(&mut self, agreement_id: i64) -> Result<()> {
        tx_run!(self, |c| sqlx::query(
            "DELETE FROM agreement_signatories WHERE agreement_id = $1"
        )
        .bind(agreement_id)
        .execute(c)
        .await
        .map(|_| ()))?;
        Ok(())
    }

    pub async fn insert_event(&mut self, e: &NewEvent<'_>) -> Result<()> {
        tx_run!(self, |c| sqlx::query(
            "INSERT INTO agreement_events (agreement_id, at, step, actor_id, actor_name,
                                           version_number, decision_id, note)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        )
        .bind(e.agreement_id)
        .bind(e.at)
        .bind(e.step)
        .bind(e.actor_id)
        .bind(e.actor_name)
        .bind(e.version_number)
        .bind(e.decision_id)
        .bind(e.note)
        .execute(c)
        .await
        .map(|_| ()))?;
        Ok(())
    }
}
