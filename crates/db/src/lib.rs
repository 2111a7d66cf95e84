//! The database seam: one `Db` handle over an SQLite or a PostgreSQL pool,
//! chosen from the URL at run time. Each query is written once in portable SQL
//! and expanded per backend by [`db_run!`], so both copies are type-checked
//! against their own driver. Backend-specific code lives only in
//! `connect.rs` (pool options and pragmas) and `schema.rs` (introspection).

pub mod accessions;
pub mod accounts;
mod connect;
mod error;
pub mod jobs;
pub mod members;
pub mod plan_keeping;
pub mod plans;
pub mod public;
pub mod register;
pub mod roles;
pub mod schema;
pub mod throttles;
pub mod writes;

pub use connect::{Backend, ConnectOptions, redact_url};
pub use error::DbError;

use sqlx::{PgPool, SqlitePool};

/// A pool on one of the two supported databases.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// A transaction on one of the two supported databases.
pub enum Tx {
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

/// Runs `$body` with `$pool` bound to the concrete pool of either backend.
/// The body is written once and compiled twice, once per driver.
#[macro_export]
macro_rules! db_run {
    ($db:expr, |$pool:ident| $body:expr) => {
        match $db {
            $crate::Db::Sqlite($pool) => $body,
            $crate::Db::Postgres($pool) => $body,
        }
    };
}

/// Like [`db_run!`] for a transaction: `$conn` is the backend's connection.
#[macro_export]
macro_rules! tx_run {
    ($tx:expr, |$conn:ident| $body:expr) => {
        match $tx {
            $crate::Tx::Sqlite(tx) => {
                let $conn = &mut **tx;
                $body
            }
            $crate::Tx::Postgres(tx) => {
                let $conn = &mut **tx;
                $body
            }
        }
    };
}

pub type Result<T, E = DbError> = std::result::Result<T, E>;

impl Db {
    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// Applies the migrations of this backend's tree.
    pub async fn migrate(&self) -> Result<()> {
        match self {
            Db::Sqlite(pool) => sqlite_migrator().run(pool).await?,
            Db::Postgres(pool) => postgres_migrator().run(pool).await?,
        }
        Ok(())
    }

    /// A cheap round trip, for `/health`.
    pub async fn ping(&self) -> Result<()> {
        db_run!(self, |pool| sqlx::query_scalar::<_, i32>("SELECT 1")
            .fetch_one(pool)
            .await)?;
        Ok(())
    }

    /// Begins a transaction. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`): a deferred transaction that read first and
    /// writes second fails with "database is locked" when another writer
    /// got there in between, where the caller should instead wait its turn
    /// and then see the other's change (and answer 409, not 500).
    pub async fn begin(&self) -> Result<Tx> {
        Ok(match self {
            Db::Sqlite(pool) => Tx::Sqlite(pool.begin_with("BEGIN IMMEDIATE").await?),
            Db::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        })
    }

    pub async fn close(&self) {
        db_run!(self, |pool| pool.close().await)
    }
}

impl Tx {
    pub async fn commit(self) -> Result<()> {
        match self {
            Tx::Sqlite(tx) => tx.commit().await?,
            Tx::Postgres(tx) => tx.commit().await?,
        }
        Ok(())
    }
}

pub fn sqlite_migrator() -> sqlx::migrate::Migrator {
    sqlx::migrate!("../../migrations/sqlite")
}

pub fn postgres_migrator() -> sqlx::migrate::Migrator {
    sqlx::migrate!("../../migrations/postgres")
}
