//! Documents attached to decisions, versions, plans and meetings: the file's content
//! is a column of its row (see `docs/ARCHITECTURE.md`, "Documents"), read
//! only when one document is served; every list reads the other columns
//! (the column list is one constant, [`COLUMNS`], put into the statements
//! with `AssertSqlSafe`: it holds no input).

use crate::{Conn, Db, Result, Tx, db_run, tx_run};
use sqlx::AssertSqlSafe;
use time::OffsetDateTime;

/// A document's description, without its content.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DocumentRow {
    pub id: i64,
    pub agreement_id: i64,
    pub owner_kind: String,
    pub owner_id: i64,
    pub title: String,
    pub file_name: String,
    pub media_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub uploaded_at: OffsetDateTime,
}

/// The columns of [`DocumentRow`], never `content`.
const COLUMNS: &str = "id, agreement_id, owner_kind, owner_id, title, file_name, media_type, size_bytes, sha256, uploaded_at";

/// A document with its content.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DocumentFile {
    #[sqlx(flatten)]
    pub row: DocumentRow,
    pub content: Vec<u8>,
}

/// A new document's row.
pub struct NewDocument<'a> {
    pub agreement_id: i64,
    pub owner_kind: &'a str,
    pub owner_id: i64,
    pub title: &'a str,
    pub file_name: &'a str,
    pub media_type: &'a str,
    pub sha256: &'a str,
    pub content: &'a [u8],
    pub uploaded_by: Option<i64>,
    pub uploaded_at: OffsetDateTime,
}

/// The agreement a document's owner belongs to, and whether the owner is
/// shown to the public (a version is not while it is a draft).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OwnerRow {
    pub agreement_id: i64,
    pub agreement_slug: String,
    pub version_status: Option<String>,
}

/// The query finding an owner of each kind, by its id (`$1`).
fn owner_query(owner_kind: &str) -> Option<&'static str> {
    Some(match owner_kind {
        "decision" => {
            "SELECT a.id AS agreement_id, a.slug AS agreement_slug, CAST(NULL AS TEXT) AS version_status
             FROM decisions o JOIN agreements a ON a.id = o.agreement_id WHERE o.id = $1"
        }
        "plan" => {
            "SELECT a.id AS agreement_id, a.slug AS agreement_slug, CAST(NULL AS TEXT) AS version_status
             FROM action_plans o JOIN agreements a ON a.id = o.agreement_id WHERE o.id = $1"
        }
        "meeting" => {
            "SELECT a.id AS agreement_id, a.slug AS agreement_slug, CAST(NULL AS TEXT) AS version_status
             FROM meetings o JOIN agreements a ON a.id = o.agreement_id WHERE o.id = $1"
        }
        "version" => {
            "SELECT a.id AS agreement_id, a.slug AS agreement_slug, o.status AS version_status
             FROM agreement_versions o JOIN agreements a ON a.id = o.agreement_id WHERE o.id = $1"
        }
        _ => return None,
    })
}

impl Conn<'_> {
    /// The agreement of the owner `owner_kind` `owner_id`, if it exists.
    pub async fn document_owner(
        &mut self,
        owner_kind: &str,
        owner_id: i64,
    ) -> Result<Option<OwnerRow>> {
        let Some(sql) = owner_query(owner_kind) else {
            return Ok(None);
        };
        Ok(tx_run!(self, |c| sqlx::query_as(sql)
            .bind(owner_id)
            .fetch_optional(c)
            .await)?)
    }

    /// Every document's description (the public record reads them with
    /// the rest, [`Conn::public_rows`]), by owner and upload.
    pub async fn document_rows(&mut self) -> Result<Vec<DocumentRow>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM documents ORDER BY owner_kind, owner_id, uploaded_at, id"
        );
        Ok(tx_run!(self, |c| sqlx::query_as(AssertSqlSafe(
            sql.as_str()
        ))
        .fetch_all(c)
        .await)?)
    }
}

impl Db {
    /// The owner of a document to be (see [`Conn::document_owner`]).
    pub async fn document_owner(
        &self,
        owner_kind: &str,
        owner_id: i64,
    ) -> Result<Option<OwnerRow>> {
        self.acquire()
            .await?
            .conn()
            .document_owner(owner_kind, owner_id)
            .await
    }

    /// The documents of one owner, oldest first, without their content.
    pub async fn documents_of(&self, owner_kind: &str, owner_id: i64) -> Result<Vec<DocumentRow>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM documents WHERE owner_kind = $1 AND owner_id = $2 ORDER BY uploaded_at, id"
        );
        Ok(db_run!(self, |pool| sqlx::query_as(AssertSqlSafe(
            sql.as_str()
        ))
        .bind(owner_kind)
        .bind(owner_id)
        .fetch_all(pool)
        .await)?)
    }

    /// One document with its content.
    pub async fn document(&self, id: i64) -> Result<Option<DocumentFile>> {
        let sql = format!("SELECT {COLUMNS}, content FROM documents WHERE id = $1");
        Ok(db_run!(self, |pool| sqlx::query_as(AssertSqlSafe(
            sql.as_str()
        ))
        .bind(id)
        .fetch_optional(pool)
        .await)?)
    }
}

impl Tx {
    /// The owner of a document to be, read in the writing transaction.
    pub async fn document_owner(
        &mut self,
        owner_kind: &str,
        owner_id: i64,
    ) -> Result<Option<OwnerRow>> {
        self.conn().document_owner(owner_kind, owner_id).await
    }

    /// Stores a document; returns its id.
    pub async fn insert_document(&mut self, d: &NewDocument<'_>) -> Result<i64> {
        let size = i64::try_from(d.content.len()).unwrap_or(i64::MAX);
        Ok(tx_run!(self, |c| {
            sqlx::query_scalar::<_, i64>(
            "INSERT INTO documents (agreement_id, owner_kind, owner_id, title, file_name, media_type,
                                    size_bytes, sha256, content, uploaded_by, uploaded_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id"
        )
        .bind(d.agreement_id)
        .bind(d.owner_kind)
        .bind(d.owner_id)
        .bind(d.title)
        .bind(d.file_name)
        .bind(d.media_type)
        .bind(size)
        .bind(d.sha256)
        .bind(d.content)
        .bind(d.uploaded_by)
        .bind(d.uploaded_at)
        .fetch_one(c)
        .await
        })?)
    }
}

impl Db {
    /// The id of decision `decision` when it is one of agreement `agreement`'s.
    pub async fn decision_in(&self, agreement: &str, decision: i64) -> Result<Option<i64>> {
        Ok(db_run!(self, |pool| sqlx::query_scalar(
            "SELECT d.id FROM decisions d JOIN agreements a ON a.id = d.agreement_id
             WHERE a.slug = $1 AND d.id = $2"
        )
        .bind(agreement)
        .bind(decision)
        .fetch_optional(pool)
        .await)?)
    }

    /// The id of agreement `agreement`'s version `number`.
    pub async fn version_in(&self, agreement: &str, number: i32) -> Result<Option<i64>> {
        Ok(db_run!(self, |pool| sqlx::query_scalar(
            "SELECT v.id FROM agreement_versions v JOIN agreements a ON a.id = v.agreement_id
             WHERE a.slug = $1 AND v.number = $2"
        )
        .bind(agreement)
        .bind(number)
        .fetch_optional(pool)
        .await)?)
    }

    /// The id of agreement `agreement`'s plan `plan` (by slug).
    pub async fn plan_in(&self, agreement: &str, plan: &str) -> Result<Option<i64>> {
        Ok(db_run!(self, |pool| sqlx::query_scalar(
            "SELECT p.id FROM action_plans p JOIN agreements a ON a.id = p.agreement_id
             WHERE a.slug = $1 AND p.slug = $2"
        )
        .bind(agreement)
        .bind(plan)
        .fetch_optional(pool)
        .await)?)
    }
}
