//! An agreement's governance roles and their terms, as their keepers (the
//! agreement's coordinators) read and change them. The public contact page
//! reads the same tables through the snapshot (`snapshot.rs`).

use crate::{Db, Result, Tx, db_run, tx_run};
use sqlx::AssertSqlSafe;
use time::Date;

/// A role of an agreement, with its id.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct GovRoleRow {
    pub id: i64,
    pub slug: String,
    pub kind: String,
    pub side: String,
    pub title: String,
    pub mailbox: Option<String>,
    pub description: String,
    pub version: i64,
}

/// A role's fields as its edit form gives them.
pub struct RoleFields<'a> {
    pub side: &'a str,
    pub title: &'a str,
    pub mailbox: Option<&'a str>,
    pub description: &'a str,
}

/// A term of a role, with the account it names (if any) and its version.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct GovTermRow {
    pub id: i64,
    pub role_id: i64,
    /// The name typed when the term was made.
    pub holder: String,
    pub user_id: Option<i64>,
    /// The account's name as it is now.
    pub display_name: Option<String>,
    pub starts_on: Date,
    pub ends_on: Option<Date>,
    pub version: i64,
}

/// A term to be written.
pub struct NewTerm<'a> {
    pub role_id: i64,
    pub holder: &'a str,
    pub user_id: Option<i64>,
    pub starts_on: Date,
    pub ends_on: Option<Date>,
}

/// The select list of [`GovTermRow`] (a constant; the conditions are
/// literals too, and every value is bound).
const TERM_ROW: &str = "SELECT t.id, t.role_id, t.holder, t.user_id, u.display_name, t.starts_on,
        t.ends_on, t.version
     FROM role_terms t LEFT JOIN users u ON u.id = t.user_id";

impl Db {
    /// The roles of an agreement in their order.
    pub async fn governance_roles(&self, agreement_id: i64) -> Result<Vec<GovRoleRow>> {
        Ok(db_run!(self, |pool| {
            sqlx::query_as(
            "SELECT id, slug, kind, side, title, mailbox, description, version FROM governance_roles
             WHERE agreement_id = $1 ORDER BY position, id"
        )
        .bind(agreement_id)
        .fetch_all(pool)
        .await
        })?)
    }

    /// Every term of the agreement's roles, by role and start.
    pub async fn governance_terms(&self, agreement_id: i64) -> Result<Vec<GovTermRow>> {
        let sql = format!(
            "{TERM_ROW} JOIN governance_roles r ON r.id = t.role_id
             WHERE r.agreement_id = $1 ORDER BY t.role_id, t.starts_on, t.id"
        );
        Ok(db_run!(self, |pool| sqlx::query_as(AssertSqlSafe(sql))
            .bind(agreement_id)
            .fetch_all(pool)
            .await)?)
    }
}

/// A term held by an account, for its personal-data export.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HeldTermRow {
    pub agreement: String,
    pub role: String,
    pub starts_on: Date,
    pub ends_on: Option<Date>,
}

impl Db {
    /// The terms an account holds or held, oldest first.
    pub async fn terms_held_by(&self, user_id: i64) -> Result<Vec<HeldTermRow>> {
        Ok(db_run!(self, |pool| sqlx::query_as(
            "SELECT a.slug AS agreement, r.title AS role, t.starts_on, t.ends_on FROM role_terms t
             JOIN governance_roles r ON r.id = t.role_id JOIN agreements a ON a.id = r.agreement_id
             WHERE t.user_id = $1 ORDER BY t.starts_on, t.id"
        )
        .bind(user_id)
        .fetch_all(pool)
        .await)?)
    }
}

impl Tx {
    /// Whether the agreement has a role with this slug.
    pub async fn role_slug_taken(&mut self, agreement_id: i64, slug: &str) -> Result<bool> {
        Ok(tx_run!(self, |c| sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM governance_roles WHERE agreement_id = $1 AND slug = $2"
        )
        .bind(agreement_id)
        .bind(slug)
        .fetch_one(c)
        .await)?
            > 0)
    }

    /// The position after the agreement's last role.
    pub async fn next_role_position(&mut self, agreement_id: i64) -> Result<i32> {
        Ok(tx_run!(self, |c| sqlx::query_scalar::<_, i32>(
            "SELECT CAST(COALESCE(MAX(position), -1) + 1 AS INTEGER) FROM governance_roles
             WHERE agreement_id = $1"
        )
        .bind(agreement_id)
        .fetch_one(c)
        .await)?)
    }

    /// The agreement's role with this id, locked against other term changes
    /// until the transaction ends (an UPDATE that changes nothing takes the
    /// row lock on PostgreSQL; SQLite's write transaction holds the whole
    /// database), so two terms checked for overlap cannot both be written.
    pub async fn lock_role(&mut self, agreement_id: i64, role_id: i64) -> Result<Option<String>> {
        Ok(tx_run!(self, |c| sqlx::query_scalar::<_, String>(
            "UPDATE governance_roles SET position = position WHERE id = $1 AND agreement_id = $2
             RETURNING kind"
        )
        .bind(role_id)
        .bind(agreement_id)
        .fetch_optional(c)
        .await)?)
    }

    /// Rewrites a role if it is still at `version`; false (nothing
    /// changed) when someone changed it first.
    pub async fn update_role(
        &mut self,
        (role_id, version): (i64, i64),
        f: &RoleFields<'_>,
    ) -> Result<bool> {
        let done = tx_run!(self, |c| sqlx::query(
            "UPDATE governance_roles SET side = $1, title = $2, mailbox = $3, description = $4,
                    version = version + 1
             WHERE id = $5 AND version = $6"
        )
        .bind(f.side)
        .bind(f.title)
        .bind(f.mailbox)
        .bind(f.description)
        .bind(role_id)
        .bind(version)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
        Ok(done == 1)
    }

    /// Removes a role nobody has held, if it is still at `version`; false
    /// (nothing removed) when it changed or has a term.
    pub async fn delete_unheld_role(&mut self, (role_id, version): (i64, i64)) -> Result<bool> {
        let done = tx_run!(self, |c| sqlx::query(
            "DELETE FROM governance_roles WHERE id = $1 AND version = $2
             AND NOT EXISTS (SELECT 1 FROM role_terms WHERE role_id = $1)"
        )
        .bind(role_id)
        .bind(version)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
        Ok(done == 1)
    }

    /// The terms of one role.
    pub async fn terms_of_role(&mut self, role_id: i64) -> Result<Vec<GovTermRow>> {
        let sql = format!("{TERM_ROW} WHERE t.role_id = $1 ORDER BY t.starts_on, t.id");
        Ok(tx_run!(self, |c| sqlx::query_as(AssertSqlSafe(sql))
            .bind(role_id)
            .fetch_all(c)
            .await)?)
    }

    /// A term of one of the agreement's roles.
    pub async fn term_of_agreement(
        &mut self,
        agreement_id: i64,
        term_id: i64,
    ) -> Result<Option<GovTermRow>> {
        let sql = format!(
            "{TERM_ROW} JOIN governance_roles r ON r.id = t.role_id
             WHERE t.id = $1 AND r.agreement_id = $2"
        );
        Ok(tx_run!(self, |c| sqlx::query_as(AssertSqlSafe(sql))
            .bind(term_id)
            .bind(agreement_id)
            .fetch_optional(c)
            .await)?)
    }

    /// Writes a term; its id.
    pub async fn insert_governance_term(&mut self, t: &NewTerm<'_>) -> Result<i64> {
        Ok(tx_run!(self, |c| sqlx::query_scalar::<_, i64>(
            "INSERT INTO role_terms (role_id, holder, user_id, starts_on, ends_on, version)
             VALUES ($1, $2, $3, $4, $5, 1) RETURNING id"
        )
        .bind(t.role_id)
        .bind(t.holder)
        .bind(t.user_id)
        .bind(t.starts_on)
        .bind(t.ends_on)
        .fetch_one(c)
        .await)?)
    }

    /// Sets a term's last day if it is still at `version`; false when
    /// someone changed it first.
    pub async fn end_term(&mut self, term_id: i64, version: i64, ends_on: Date) -> Result<bool> {
        Ok(tx_run!(self, |c| sqlx::query_scalar::<_, i64>(
            "UPDATE role_terms SET ends_on = $1, version = version + 1
             WHERE id = $2 AND version = $3 RETURNING id"
        )
        .bind(ends_on)
        .bind(term_id)
        .bind(version)
        .fetch_optional(c)
        .await)?
        .is_some())
    }
}
