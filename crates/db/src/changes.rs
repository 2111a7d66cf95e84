//! The public record's change counter (`public_changes`): how the instances
//! on one database learn that their cached copy of the public record is
//! behind. The counter moves in the writing transaction, so a copy read at
//! counter `n` holds every write up to `n`; on PostgreSQL the same
//! transaction sends `NOTIFY samverkan_public`, delivered on commit, so the
//! other instances hear of it at once instead of at their next poll. The
//! notification is the only dialect-specific statement here, and named so.

use crate::{Conn, Db, Result, Tx, tx_run};

/// The PostgreSQL channel on which committed public changes are announced;
/// the payload is the new counter.
pub const PUBLIC_CHANNEL: &str = "samverkan_public";

impl Tx {
    /// Notes that this transaction changes what the public pages show, and
    /// returns the counter the change will be known by once committed.
    pub async fn note_public_change(&mut self) -> Result<i64> {
        let epoch: i64 = tx_run!(self, |c| sqlx::query_scalar(
            "UPDATE public_changes SET epoch = epoch + 1 WHERE id = 1 RETURNING epoch"
        )
        .fetch_one(c)
        .await)?;
        // PostgreSQL only: queue the announcement for commit.
        if let Conn::Postgres(c) = self.conn() {
            sqlx::query("SELECT pg_notify($1, $2)")
                .bind(PUBLIC_CHANNEL)
                .bind(epoch.to_string())
                .execute(c)
                .await?;
        }
        Ok(epoch)
    }
}

impl Conn<'_> {
    /// The counter as this connection (or transaction) sees it.
    pub async fn public_epoch(&mut self) -> Result<i64> {
        Ok(tx_run!(self, |c| sqlx::query_scalar(
            "SELECT epoch FROM public_changes WHERE id = 1"
        )
        .fetch_one(c)
        .await)?)
    }
}

impl Db {
    /// The counter as last committed.
    pub async fn public_epoch(&self) -> Result<i64> {
        self.acquire().await?.conn().public_epoch().await
    }

    /// A listener for the announcements of committed public changes, on
    /// PostgreSQL; `None` on SQLite, where instances poll
    /// [`Db::public_epoch`] instead.
    pub async fn listen_public_changes(&self) -> Result<Option<sqlx::postgres::PgListener>> {
        match self {
            Db::Sqlite(_) => Ok(None),
            Db::Postgres(pool) => {
                let mut listener = sqlx::postgres::PgListener::connect_with(pool).await?;
                listener.listen(PUBLIC_CHANNEL).await?;
                Ok(Some(listener))
            }
        }
    }
}
