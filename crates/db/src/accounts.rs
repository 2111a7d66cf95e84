//! Accounts, sessions, single-use tokens and login failures. Session ids and
//! tokens are stored only as hashes: a copy of the database does not let
//! anyone sign in.

use crate::{Db, Result, Tx, db_run, tx_run};
use time::OffsetDateTime;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserRow {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub password_hash: String,
    pub email_confirmed_at: Option<OffsetDateTime>,
    pub is_platform_admin: bool,
    pub created_at: OffsetDateTime,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRow {
    pub id_hash: String,
    pub user_id: i64,
    pub created_at: OffsetDateTime,
    pub last_seen_at: OffsetDateTime,
    pub user_agent: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionUserRow {
    pub session_created_at: OffsetDateTime,
    pub last_seen_at: OffsetDateTime,
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub is_platform_admin: bool,
}

const USER_COLUMNS: &str =
    "id, email, display_name, password_hash, email_confirmed_at, is_platform_admin, created_at";

impl Db {
    pub async fn user_by_email(&self, email: &str) -> Result<Option<UserRow>> {
        Ok(db_run!(self, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
            format!("SELECT {USER_COLUMNS} FROM users WHERE email = $1")
        ))
        .bind(email)
        .fetch_optional(pool)
        .await)?)
    }

    pub async fn user_by_id(&self, id: i64) -> Result<Option<UserRow>> {
        Ok(db_run!(self, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
            format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1")
        ))
        .bind(id)
        .fetch_optional(pool)
        .await)?)
    }

    /// A session with its person, in one query (this runs on every request
    /// of a signed-in person).
    pub async fn session_user(&self, id_hash: &str) -> Result<Option<SessionUserRow>> {
        Ok(db_run!(self, |pool| {
            sqlx::query_as(
            "SELECT s.created_at AS session_created_at, s.last_seen_at, u.id, u.email, u.display_name,
                    u.is_platform_admin
             FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = $1"
        )
        .bind(id_hash)
        .fetch_optional(pool)
        .await
        })?)
    }

    pub async fn sessions_of(&self, user_id: i64) -> Result<Vec<SessionRow>> {
        Ok(db_run!(self, |pool| sqlx::query_as(
            "SELECT id_hash, user_id, created_at, last_seen_at, user_agent FROM sessions
             WHERE user_id = $1 ORDER BY last_seen_at DESC"
        )
        .bind(user_id)
        .fetch_all(pool)
        .await)?)
    }

    pub async fn touch_session(&self, id_hash: &str, now: OffsetDateTime) -> Result<()> {
        db_run!(self, |pool| sqlx::query(
            "UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2"
        )
        .bind(now)
        .bind(id_hash)
        .execute(pool)
        .await
        .map(|_| ()))?;
        Ok(())
    }

    pub async fn delete_session(&self, id_hash: &str) -> Result<()> {
        db_run!(self, |pool| sqlx::query(
            "DELETE FROM sessions WHERE id_hash = $1"
        )
        .bind(id_hash)
        .execute(pool)
        .await
        .map(|_| ()))?;
        Ok(())
    }

    /// The user a token is for, if it is for `purpose`, unused and unexpired;
    /// the token is not used up.
    pub async fn token_user(
        &self,
        token_hash: &str,
        purpose: &str,
        now: OffsetDateTime,
    ) -> Result<Option<i64>> {
        let found = self.token_with_payload(token_hash, purpose, now).await?;
        Ok(found.map(|(user_id, _)| user_id))
    }

    /// The account and payload of a usable token, without using it.
    pub async fn token_with_payload(
        &self,
        token_hash: &str,
        purpose: &str,
        now: OffsetDateTime,
    ) -> Result<Option<(i64, Option<String>)>> {
        Ok(db_run!(self, |pool| sqlx::query_as::<
            _,
            (i64, Option<String>),
        >(
            "SELECT user_id, payload FROM user_tokens
             WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3"
        )
        .bind(token_hash)
        .bind(purpose)
        .bind(now)
        .fetch_optional(pool)
        .await)?)
    }

    /// Failed sign-ins on an account since `account_since`, and from an
    /// address since `address_since`.
    pub async fn login_failures_since(
        &self,
        email: &str,
        address: &str,
        account_since: OffsetDateTime,
        address_since: OffsetDateTime,
    ) -> Result<(i64, i64)> {
        Ok(db_run!(self, |pool| sqlx::query_as::<_, (i64, i64)>(
            "SELECT (SELECT COUNT(*) FROM login_failures WHERE email = $1 AND failed_at > $3),
                    (SELECT COUNT(*) FROM login_failures WHERE address = $2 AND failed_at > $4)"
        )
        .bind(email)
        .bind(address)
        .bind(account_since)
        .bind(address_since)
        .fetch_one(pool)
        .await)?)
    }

    pub async fn record_login_failure(
        &self,
        email: &str,
        address: &str,
        now: OffsetDateTime,
    ) -> Result<()> {
        db_run!(self, |pool| sqlx::query(
            "INSERT INTO login_failures (email, address, failed_at) VALUES ($1, $2, $3)"
        )
        .bind(email)
        .bind(address)
        .bind(now)
        .execute(pool)
        .await
        .map(|_| ()))?;
        Ok(())
    }
}

impl Db {
    /// Deletes what has outlived its use: failed sign-ins before
    /// `failures_before`, sessions idle since `idle_before` or begun before
    /// `begun_before`, and used or expired tokens before `tokens_before`.
    /// Returns how many rows went.
    pub async fn purge_expired(
        &self,
        failures_before: OffsetDateTime,
        idle_before: OffsetDateTime,
        begun_before: OffsetDateTime,
        tokens_before: OffsetDateTime,
    ) -> Result<u64> {
        db_run!(self, |pool| {
            let a = sqlx::query("DELETE FROM login_failures WHERE failed_at < $1")
                .bind(failures_before)
                .execute(pool)
                .await?
                .rows_affected();
            let b = sqlx::query("DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2")
                .bind(idle_before)
                .bind(begun_before)
                .execute(pool)
                .await?
                .rows_affected();
            let c = sqlx::query("DELETE FROM user_tokens WHERE expires_at < $1")
                .bind(tokens_before)
                .execute(pool)
                .await?
                .rows_affected();
            Ok(a + b + c)
        })
    }

    /// Whether the person has signed in from this network address before.
    pub async fn is_known_address(&self, user_id: i64, address: &str) -> Result<bool> {
        Ok(db_run!(self, |pool| sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM known_addresses WHERE user_id = $1 AND address = $2"
        )
        .bind(user_id)
        .bind(address)
        .fetch_one(pool)
        .await)?
            > 0)
    }

    /// Failed sign-ins recorded for an address: (time, network address).
    pub async fn login_failures_for(&self, email: &str) -> Result<Vec<(OffsetDateTime, String)>> {
        Ok(db_run!(self, |pool| sqlx::query_as(
            "SELECT failed_at, address FROM login_failures WHERE email = $1 ORDER BY failed_at"
        )
        .bind(email)
        .fetch_all(pool)
        .await)?)
    }
}

impl Tx {
    /// Removes a person's personal data: sessions, tokens, memberships and
    /// recorded failures go; the account row stays (public records point at
    /// it) with its name and address replaced and no usable password.
    pub async fn erase_user(&mut self, user_id: i64, email: &str) -> Result<()> {
        let placeholder = format!("removed-{user_id}@removed.invalid");
        tx_run!(self, |c| {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(user_id)
                .execute(&mut *c)
                .await?;
            sqlx::query("DELETE FROM user_tokens WHERE user_id = $1")
                .bind(user_id)
                .execute(&mut *c)
                .await?;
            sqlx::query("DELETE FROM organisation_members WHERE user_id = $1")
                .bind(user_id)
                .execute(&mut *c)
                .await?;
            sqlx::query("DELETE FROM coordinators WHERE user_id = $1")
                .bind(user_id)
                .execute(&mut *c)
                .await?;
            sqlx::query("DELETE FROM officials WHERE user_id = $1")
                .bind(user_id)
                .execute(&mut *c)
                .await?;
            sqlx::query("DELETE FROM known_addresses WHERE user_id = $1")
                .bind(user_id)
                .execute(&mut *c)
                .await?;
            sqlx::query("DELETE FROM login_failures WHERE email = $1")
                .bind(email)
                .execute(&mut *c)
                .await?;
            // Their name leaves the public follow-up of activities too; the
            // updates and changes themselves stay, by "a removed person".
            sqlx::query("UPDATE progress_updates SET author_name = '' WHERE author_id = $1")
                .bind(user_id)
                .execute(&mut *c)
                .await?;
            sqlx::query("UPDATE agreement_events SET actor_name = '' WHERE actor_id = $1")
                .bind(user_id)
                .execute(&mut *c)
                .await?;
            sqlx::query("UPDATE activity_changes SET author_name = '' WHERE author_id = $1")
                .bind(user_id)
                .execute(&mut *c)
                .await?;
            // And from the remarks and contributions on the register and
            // the yearly reports (published reports keep what was frozen).
            sqlx::query("UPDATE collaboration_remarks SET author_name = '' WHERE author_id = $1")
                .bind(user_id)
                .execute(&mut *c)
                .await?;
            sqlx::query("UPDATE report_contributions SET author_name = '' WHERE author_id = $1")
                .bind(user_id)
                .execute(&mut *c)
                .await?;
            // A role's term keeps its dates; the contact page shows the
            // account's (now empty) name, and the name typed goes too.
            sqlx::query("UPDATE role_terms SET holder = '' WHERE user_id = $1")
                .bind(user_id)
                .execute(&mut *c)
                .await?;
            // So does an action item's owner's name typed beside the account.
            sqlx::query("UPDATE action_items SET owner_name = '' WHERE owner_user_id = $1")
                .bind(user_id)
                .execute(&mut *c)
                .await?;
            sqlx::query(
                "UPDATE users SET email = $1, display_name = '', password_hash = '!', email_confirmed_at = NULL,
                                  is_platform_admin = FALSE
                 WHERE id = $2",
            )
            .bind(&placeholder)
            .bind(user_id)
            .execute(&mut *c)
            .await
            .map(|_| ())
        })?;
        Ok(())
    }

    pub async fn insert_user(
        &mut self,
        email: &str,
        display_name: &str,
        password_hash: &str,
        now: OffsetDateTime,
    ) -> Result<i64> {
        Ok(tx_run!(self, |c| {
            sqlx::query_scalar::<_, i64>(
            "INSERT INTO users (email, display_name, password_hash, email_confirmed_at, is_platform_admin, created_at)
             VALUES ($1, $2, $3, NULL, FALSE, $4) RETURNING id"
        )
        .bind(email)
        .bind(display_name)
        .bind(password_hash)
        .bind(now)
        .fetch_one(c)
        .await
        })?)
    }

    pub async fn confirm_email(&mut self, user_id: i64, now: OffsetDateTime) -> Result<()> {
        tx_run!(self, |c| sqlx::query(
            "UPDATE users SET email_confirmed_at = $1 WHERE id = $2 AND email_confirmed_at IS NULL"
        )
        .bind(now)
        .bind(user_id)
        .execute(c)
        .await
        .map(|_| ()))?;
        Ok(())
    }

    pub async fn insert_token(
        &mut self,
        token_hash: &str,
        user_id: i64,
        purpose: &str,
        expires_at: OffsetDateTime,
        payload: Option<&str>,
    ) -> Result<()> {
        tx_run!(self, |c| {
            sqlx::query(
            "INSERT INTO user_tokens (token_hash, user_id, purpose, expires_at, used_at, payload)
             VALUES ($1, $2, $3, $4, NULL, $5)"
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(purpose)
        .bind(expires_at)
        .bind(payload)
        .execute(c)
        .await
        .map(|_| ())
        })?;
        Ok(())
    }

    /// Removes every unused token of a person for `purpose`, so that only
    /// the next one issued works (a new reset link voids the earlier ones).
    pub async fn drop_tokens(&mut self, user_id: i64, purpose: &str) -> Result<()> {
        tx_run!(self, |c| sqlx::query(
            "DELETE FROM user_tokens WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL"
        )
        .bind(user_id)
        .bind(purpose)
        .execute(c)
        .await
        .map(|_| ()))?;
        Ok(())
    }

    /// Marks a token used and returns its user, if it exists, is for
    /// `purpose`, is unused and has not expired. A token works once.
    pub async fn use_token(
        &mut self,
        token_hash: &str,
        purpose: &str,
        now: OffsetDateTime,
    ) -> Result<Option<i64>> {
        Ok(self
            .use_token_with_payload(token_hash, purpose, now)
            .await?
            .map(|(user, _)| user))
    }

    /// Like [`Tx::use_token`], also returning what the token carries.
    pub async fn use_token_with_payload(
        &mut self,
        token_hash: &str,
        purpose: &str,
        now: OffsetDateTime,
    ) -> Result<Option<(i64, Option<String>)>> {
        Ok(tx_run!(self, |c| {
            sqlx::query_as::<_, (i64, Option<String>)>(
                "UPDATE user_tokens SET used_at = $1
             WHERE token_hash = $2 AND purpose = $3 AND used_at IS NULL AND expires_at > $1
             RETURNING user_id, payload",
            )
            .bind(now)
            .bind(token_hash)
            .bind(purpose)
            .fetch_optional(c)
            .await
        })?)
    }

    /// Gives the account a new (confirmed) address.
    pub async fn set_email(
        &mut self,
        user_id: i64,
        email: &str,
        now: OffsetDateTime,
    ) -> Result<()> {
        tx_run!(self, |c| sqlx::query(
            "UPDATE users SET email = $1, email_confirmed_at = $2 WHERE id = $3"
        )
        .bind(email)
        .bind(now)
        .bind(user_id)
        .execute(c)
        .await
        .map(|_| ()))?;
        Ok(())
    }

    pub async fn set_password(&mut self, user_id: i64, password_hash: &str) -> Result<()> {
        tx_run!(self, |c| sqlx::query(
            "UPDATE users SET password_hash = $1 WHERE id = $2"
        )
        .bind(password_hash)
        .bind(user_id)
        .execute(c)
        .await
        .map(|_| ()))?;
        Ok(())
    }

    /// Ends every session of a user but `keep` (a session-id hash).
    pub async fn delete_sessions_of(&mut self, user_id: i64, keep: Option<&str>) -> Result<()> {
        tx_run!(self, |c| sqlx::query(
            "DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2"
        )
        .bind(user_id)
        .bind(keep.unwrap_or(""))
        .execute(c)
        .await
        .map(|_| ()))?;
        Ok(())
    }

    pub async fn remember_address(
        &mut self,
        user_id: i64,
        address: &str,
        now: OffsetDateTime,
    ) -> Result<()> {
        tx_run!(self, |c| sqlx::query(
            "INSERT INTO known_addresses (user_id, address, last_seen_at) VALUES ($1, $2, $3)
             ON CONFLICT (user_id, address) DO UPDATE SET last_seen_at = excluded.last_seen_at"
        )
        .bind(user_id)
        .bind(address)
        .bind(now)
        .execute(c)
        .await
        .map(|_| ()))?;
        Ok(())
    }

    pub async fn insert_session(
        &mut self,
        id_hash: &str,
        user_id: i64,
        now: OffsetDateTime,
        user_agent: &str,
    ) -> Result<()> {
        tx_run!(self, |c| {
            sqlx::query(
            "INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, user_agent) VALUES ($1, $2, $3, $3, $4)"
        )
        .bind(id_hash)
        .bind(user_id)
        .bind(now)
        .bind(user_agent)
        .execute(c)
        .await
        .map(|_| ())
        })?;
        Ok(())
    }
}
