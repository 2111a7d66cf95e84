//! Roles beyond organisation membership: coordinators of agreements,
//! officials of city bodies, platform administrators; the search of people
//! for administrators; and the audit record of who granted or decided what.

use crate::{Db, Result, Tx, db_run, tx_run};
use std::collections::HashMap;
use time::OffsetDateTime;

/// Everything that decides what a person may do, read in one pass.
#[derive(Debug, Clone, Default)]
pub struct RoleRows {
    /// (organisation slug, name, role)
    pub organisations: Vec<(String, String, String)>,
    /// (agreement slug, short name)
    pub coordinates: Vec<(String, String)>,
    /// (city body key `municipality/slug`, name)
    pub bodies: Vec<(String, String)>,
}

/// A person as administrators see them.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PersonRow {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub is_platform_admin: bool,
    pub email_confirmed_at: Option<OffsetDateTime>,
    pub created_at: OffsetDateTime,
}

/// One audit entry, with the actor's name when the actor is known.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AuditRow {
    pub id: i64,
    pub at: OffsetDateTime,
    pub actor_name: Option<String>,
    pub action: String,
    pub subject: String,
    pub detail: String,
}

/// A query of `head`, then the ids as bound parameters separated by commas,
/// then `tail`.
fn with_ids<DB: sqlx::Database>(head: &str, ids: &[i64], tail: &str) -> sqlx::QueryBuilder<DB>
where
    i64: for<'t> sqlx::Encode<'t, DB> + sqlx::Type<DB>,
{
    let mut q = sqlx::QueryBuilder::new(head);
    let mut list = q.separated(", ");
    for id in ids {
        list.push_bind(*id);
    }
    q.push(tail);
    q
}

/// (user id, display name, e-mail) of a person holding a role.
pub type Holder = (i64, String, String);

impl Db {
    /// The roles of one person.
    pub async fn roles_of(&self, user_id: i64) -> Result<RoleRows> {
        Ok(self
            .roles_of_people(&[user_id])
            .await?
            .remove(&user_id)
            .unwrap_or_default())
    }

    /// The roles of several people, in three queries whatever their number.
    pub async fn roles_of_people(&self, ids: &[i64]) -> Result<HashMap<i64, RoleRows>> {
        let mut out: HashMap<i64, RoleRows> = HashMap::new();
        if ids.is_empty() {
            return Ok(out);
        }
        const ORGANISATIONS: &str =
            "SELECT m.user_id, o.slug, o.name, m.role FROM organisation_members m
             JOIN organisations o ON o.id = m.organisation_id WHERE m.user_id IN (";
        const COORDINATES: &str = "SELECT c.user_id, a.slug, a.short_name FROM coordinators c
             JOIN agreements a ON a.id = c.agreement_id WHERE c.user_id IN (";
        const BODIES: &str = "SELECT f.user_id, m.slug || '/' || b.slug, b.name FROM officials f
             JOIN city_bodies b ON b.id = f.city_body_id
             JOIN municipalities m ON m.id = b.municipality_id WHERE f.user_id IN (";
        db_run!(self, |pool| {
            let rows: Vec<(i64, String, String, String)> =
                with_ids(ORGANISATIONS, ids, ") ORDER BY o.name")
                    .build_query_as()
                    .fetch_all(pool)
                    .await?;
            for (user, slug, name, role) in rows {
                out.entry(user)
                    .or_default()
                    .organisations
                    .push((slug, name, role));
            }
            let rows: Vec<(i64, String, String)> =
                with_ids(COORDINATES, ids, ") ORDER BY a.position")
                    .build_query_as()
                    .fetch_all(pool)
                    .await?;
            for (user, slug, name) in rows {
                out.entry(user).or_default().coordinates.push((slug, name));
            }
            let rows: Vec<(i64, String, String)> = with_ids(BODIES, ids, ") ORDER BY b.name")
                .build_query_as()
                .fetch_all(pool)
                .await?;
            for (user, key, name) in rows {
                out.entry(user).or_default().bodies.push((key, name));
            }
            Ok::<_, crate::DbError>(())
        })?;
        Ok(out)
    }

    /// The agreements (slug, short name) whose coordinator's role the person
    /// holds by a term that covers `today`. A term gives the rights from its
    /// first day to its last and ends by itself: the dates decide, no job.
    pub async fn coordinator_terms_of(
        &self,
        user_id: i64,
        today: time::Date,
    ) -> Result<Vec<(String, String)>> {
        Ok(db_run!(self, |pool| {
            sqlx::query_as(
                "SELECT DISTINCT a.slug, a.short_name, a.position FROM role_terms t
                 JOIN governance_roles r ON r.id = t.role_id
                 JOIN agreements a ON a.id = r.agreement_id
                 WHERE t.user_id = $1 AND r.kind = 'coordinator'
                   AND t.starts_on <= $2 AND (t.ends_on IS NULL OR t.ends_on >= $2)
                 ORDER BY a.position, a.slug",
            )
            .bind(user_id)
            .bind(today)
            .fetch_all(pool)
            .await
            .map(|rows: Vec<(String, String, i32)>| {
                rows.into_iter()
                    .map(|(slug, name, _)| (slug, name))
                    .collect()
            })
        })?)
    }

    /// The coordinators of an agreement.
    pub async fn coordinators_of(&self, agreement_id: i64) -> Result<Vec<Holder>> {
        Ok(db_run!(self, |pool| {
            sqlx::query_as(
            "SELECT u.id, u.display_name, u.email FROM coordinators c JOIN users u ON u.id = c.user_id
             WHERE c.agreement_id = $1 ORDER BY u.display_name, u.id"
        )
        .bind(agreement_id)
        .fetch_all(pool)
        .await
        })?)
    }

    /// The officials of a city body.
    pub async fn officials_of(&self, city_body_id: i64) -> Result<Vec<Holder>> {
        Ok(db_run!(self, |pool| sqlx::query_as(
            "SELECT u.id, u.display_name, u.email FROM officials f JOIN users u ON u.id = f.user_id
             WHERE f.city_body_id = $1 ORDER BY u.display_name, u.id"
        )
        .bind(city_body_id)
        .fetch_all(pool)
        .await)?)
    }

    /// People whose name or address contains `q` (case-insensitive), at most `limit`.
    pub async fn search_people(&self, q: &str, limit: i64) -> Result<Vec<PersonRow>> {
        let pattern = format!(
            "%{}%",
            q.to_lowercase()
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        Ok(db_run!(self, |pool| {
            sqlx::query_as(
            "SELECT id, email, display_name, is_platform_admin, email_confirmed_at, created_at FROM users
             WHERE password_hash <> '!'
               AND (LOWER(display_name) LIKE $1 ESCAPE '\\' OR LOWER(email) LIKE $1 ESCAPE '\\')
             ORDER BY display_name, id LIMIT $2"
        )
        .bind(pattern)
        .bind(limit)
        .fetch_all(pool)
        .await
        })?)
    }

    /// The newest audit entries first.
    pub async fn audit_entries(&self, limit: i64, offset: i64) -> Result<(Vec<AuditRow>, i64)> {
        db_run!(self, |pool| {
            let rows = sqlx::query_as(
                "SELECT l.id, l.at, u.display_name AS actor_name, l.action, l.subject, l.detail
                 FROM audit_log l LEFT JOIN users u ON u.id = l.actor_id
                 ORDER BY l.at DESC, l.id DESC LIMIT $1 OFFSET $2",
            )
            .bind(limit)
            .bind(offset)
            .fetch_all(pool)
            .await?;
            let total = sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM audit_log")
                .fetch_one(pool)
                .await?;
            Ok((rows, total))
        })
    }
}

impl Tx {
    /// Makes a person coordinator of an agreement; true when newly granted.
    pub async fn grant_coordinator(
        &mut self,
        agreement_id: i64,
        user_id: i64,
        now: OffsetDateTime,
    ) -> Result<bool> {
        Ok(tx_run!(self, |c| sqlx::query(
            "INSERT INTO coordinators (agreement_id, user_id, granted_at) VALUES ($1, $2, $3)
             ON CONFLICT (agreement_id, user_id) DO NOTHING"
        )
        .bind(agreement_id)
        .bind(user_id)
        .bind(now)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?
            > 0)
    }

    pub async fn revoke_coordinator(&mut self, agreement_id: i64, user_id: i64) -> Result<bool> {
        Ok(tx_run!(self, |c| sqlx::query(
            "DELETE FROM coordinators WHERE agreement_id = $1 AND user_id = $2"
        )
        .bind(agreement_id)
        .bind(user_id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?
            > 0)
    }

    /// Names a person an official of a city body; true when newly granted.
    pub async fn grant_official(
        &mut self,
        city_body_id: i64,
        user_id: i64,
        now: OffsetDateTime,
    ) -> Result<bool> {
        Ok(tx_run!(self, |c| sqlx::query(
            "INSERT INTO officials (city_body_id, user_id, granted_at) VALUES ($1, $2, $3)
             ON CONFLICT (city_body_id, user_id) DO NOTHING"
        )
        .bind(city_body_id)
        .bind(user_id)
        .bind(now)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?
            > 0)
    }

    pub async fn revoke_official(&mut self, city_body_id: i64, user_id: i64) -> Result<bool> {
        Ok(tx_run!(self, |c| sqlx::query(
            "DELETE FROM officials WHERE city_body_id = $1 AND user_id = $2"
        )
        .bind(city_body_id)
        .bind(user_id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?
            > 0)
    }

    pub async fn set_platform_admin(&mut self, user_id: i64, admin: bool) -> Result<bool> {
        Ok(tx_run!(self, |c| sqlx::query(
            "UPDATE users SET is_platform_admin = $1 WHERE id = $2 AND is_platform_admin <> $1"
        )
        .bind(admin)
        .bind(user_id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?
            > 0)
    }

    /// Records who did what to whom, in the same transaction as the deed.
    pub async fn audit(
        &mut self,
        at: OffsetDateTime,
        actor_id: Option<i64>,
        action: &str,
        subject: &str,
        detail: &str,
    ) -> Result<()> {
        tx_run!(self, |c| {
            sqlx::query(
            "INSERT INTO audit_log (at, actor_id, action, subject, detail) VALUES ($1, $2, $3, $4, $5)"
        )
        .bind(at)
        .bind(actor_id)
        .bind(action)
        .bind(subject)
        .bind(detail)
        .execute(c)
        .await
        .map(|_| ())
        })?;
        Ok(())
    }
}
