//! The database seam: one `Db` handle over an SQLite or a PostgreSQL pool,
//! chosen from the URL at run time. Each query is written once in portable SQL
//! and expanded per backend by [`db_run!`] (on the pool) or [`tx_run!`] (on
//! one [`Conn`], a transaction's or a pooled connection), so both copies are
//! type-checked against their own driver. Reads needed both on the pool and
//! in a transaction are methods of [`Conn`]; wide inserts and updates are
//! generated from one list of columns ([`Columns`]). Backend-specific code
//! lives only in `connect.rs` (pool options and pragmas), `schema.rs`
//! (introspection) and, for the generated scale data, `scale.rs` (its
//! placeholders and the identity sequences after a bulk load).

pub mod accounts;
pub mod agreements;
pub mod changes;
mod connect;
pub mod directory;
pub mod directory_import;
pub mod documents;
mod error;
pub mod governance;
pub mod jobs;
pub mod joining;
pub mod meetings;
pub mod organisations;
pub mod plans;
pub mod register;
pub mod reports;
pub mod roles;
pub mod scale;
pub mod schema;
pub mod snapshot;
pub mod throttle;
pub mod writing;

pub use connect::{Backend, ConnectOptions, redact_url};
pub use error::DbError;

use sqlx::pool::PoolConnection;
use sqlx::{AssertSqlSafe, PgPool, SqlitePool};
use time::{Date, OffsetDateTime};

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

/// A connection taken from the pool for a few reads ([`Db::acquire`]); it
/// goes back to the pool when dropped. Its reads are those of [`Conn`].
pub enum PoolConn {
    Sqlite(PoolConnection<sqlx::Sqlite>),
    Postgres(PoolConnection<sqlx::Postgres>),
}

/// One open connection on either database, borrowed from a transaction
/// ([`Tx::conn`]) or from the pool ([`PoolConn::conn`]). A read that both a
/// transaction and the pool need is written once, as a method of `Conn`, and
/// [`Db`] and [`Tx`] call it.
pub enum Conn<'c> {
    Sqlite(&'c mut sqlx::SqliteConnection),
    Postgres(&'c mut sqlx::PgConnection),
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

/// Like [`db_run!`] for one connection: `$tx` is a [`Tx`], a [`PoolConn`] or
/// a [`Conn`] (anything with a `conn()` method giving a [`Conn`]), and
/// `$conn` is the backend's `&mut` connection.
#[macro_export]
macro_rules! tx_run {
    ($tx:expr, |$conn:ident| $body:expr) => {
        match $tx.conn() {
            $crate::Conn::Sqlite($conn) => $body,
            $crate::Conn::Postgres($conn) => $body,
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

    /// Begins a transaction that only reads and sees one state of the
    /// database throughout: on PostgreSQL `REPEATABLE READ READ ONLY` (every
    /// query sees the snapshot taken by the first), on SQLite a deferred
    /// transaction (its first read fixes the snapshot in WAL mode, and it
    /// never takes the write lock, so writers are not held up by it).
    pub async fn begin_read(&self) -> Result<Tx> {
        Ok(match self {
            Db::Sqlite(pool) => Tx::Sqlite(pool.begin_with("BEGIN DEFERRED").await?),
            Db::Postgres(pool) => Tx::Postgres(
                pool.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    .await?,
            ),
        })
    }

    /// A connection from the pool, for reads written on [`Conn`].
    pub async fn acquire(&self) -> Result<PoolConn> {
        Ok(match self {
            Db::Sqlite(pool) => PoolConn::Sqlite(pool.acquire().await?),
            Db::Postgres(pool) => PoolConn::Postgres(pool.acquire().await?),
        })
    }

    pub async fn close(&self) {
        db_run!(self, |pool| pool.close().await)
    }
}

impl Tx {
    /// The transaction's connection, for the reads and writes on [`Conn`].
    pub fn conn(&mut self) -> Conn<'_> {
        match self {
            Tx::Sqlite(tx) => Conn::Sqlite(tx),
            Tx::Postgres(tx) => Conn::Postgres(tx),
        }
    }

    pub async fn commit(self) -> Result<()> {
        match self {
            Tx::Sqlite(tx) => tx.commit().await?,
            Tx::Postgres(tx) => tx.commit().await?,
        }
        Ok(())
    }
}

impl PoolConn {
    /// The pooled connection, for the reads on [`Conn`].
    pub fn conn(&mut self) -> Conn<'_> {
        match self {
            PoolConn::Sqlite(c) => Conn::Sqlite(c),
            PoolConn::Postgres(c) => Conn::Postgres(c),
        }
    }
}

impl Conn<'_> {
    /// The same connection, borrowed again (so that [`tx_run!`] takes a
    /// `Conn` as it takes a [`Tx`]).
    pub fn conn(&mut self) -> Conn<'_> {
        match self {
            Conn::Sqlite(c) => Conn::Sqlite(c),
            Conn::Postgres(c) => Conn::Postgres(c),
        }
    }

    /// Runs `sql` with `params` bound as `$1`, `$2`, … in their order and
    /// reads every row it returns. This is the one place where a [`Param`]
    /// becomes a driver's parameter.
    pub(crate) async fn fetch_all_with<O>(
        &mut self,
        sql: &str,
        params: &[Param<'_>],
    ) -> Result<Vec<O>>
    where
        O: Send + Unpin + for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>,
        O: for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>,
    {
        Ok(tx_run!(self, |c| {
            let mut q = sqlx::query_as(AssertSqlSafe(sql));
            for p in params {
                q = match *p {
                    Param::Text(v) => q.bind(v),
                    Param::OptText(v) => q.bind(v),
                    Param::Int(v) => q.bind(v),
                    Param::OptInt(v) => q.bind(v),
                    Param::Int32(v) => q.bind(v),
                    Param::OptInt32(v) => q.bind(v),
                    Param::Date(v) => q.bind(v),
                    Param::OptDate(v) => q.bind(v),
                    Param::Time(v) => q.bind(v),
                };
            }
            q.fetch_all(c).await
        })?)
    }

    /// Runs a statement that returns no rows (a multi-row `INSERT` of the
    /// bulk path, [`scale`]), with `params` bound as in
    /// [`Conn::fetch_all_with`].
    pub(crate) async fn execute_with(&mut self, sql: &str, params: &[Param<'_>]) -> Result<()> {
        let _: Vec<(i64,)> = self.fetch_all_with(sql, params).await?;
        Ok(())
    }

    /// Runs a statement that ends in `RETURNING id` (see
    /// [`Conn::fetch_all_with`]); the id of the row it wrote, `None` when it
    /// wrote none (a conditional `UPDATE` that found no row to change).
    pub(crate) async fn returning_id(
        &mut self,
        sql: &str,
        params: &[Param<'_>],
    ) -> Result<Option<i64>> {
        let rows: Vec<(i64,)> = self.fetch_all_with(sql, params).await?;
        Ok(rows.first().map(|(id,)| *id))
    }

    /// The number a query of one number answers (a `COUNT(*)`), with
    /// `params` bound as in [`Conn::fetch_all_with`]; 0 when it returns no row.
    pub(crate) async fn number_with(&mut self, sql: &str, params: &[Param<'_>]) -> Result<i64> {
        Ok(self.returning_id(sql, params).await?.unwrap_or(0))
    }
}

impl Tx {
    /// Overwrites the `columns` of row `id` of `table` if it is still at
    /// `version`, and moves it to the next version; false when someone else
    /// changed it first. The one optimistic update of every versioned table.
    pub(crate) async fn update_versioned(
        &mut self,
        table: &'static str,
        (id, version): (i64, i64),
        columns: impl IntoIterator<Item = (&'static str, Param<'_>)>,
        now: OffsetDateTime,
    ) -> Result<bool> {
        let own = [Param::Time(now), Param::Int(id), Param::Int(version)];
        let columns = Columns::new(&own, columns);
        let sql = format!(
            "UPDATE {table} SET {}, version = version + 1, updated_at = $1
             WHERE id = $2 AND version = $3 RETURNING id",
            columns.assignments()
        );
        Ok(self
            .conn()
            .returning_id(&sql, &columns.params)
            .await?
            .is_some())
    }
}

/// How many values one `IN (…)` list binds at most, so that a long list
/// (an imported file's organisations) is read in a few bounded queries.
pub(crate) const IN_LIST: usize = 500;

/// `$first, …` for `count` parameters.
pub(crate) fn numbered(first: usize, count: usize) -> String {
    let list: Vec<String> = (first..first + count).map(|n| format!("${n}")).collect();
    list.join(", ")
}

/// A value bound to a statement whose text is generated (see [`Columns`]),
/// whichever the driver; [`Conn::fetch_all_with`] binds it.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Param<'a> {
    Text(&'a str),
    OptText(Option<&'a str>),
    Int(i64),
    OptInt(Option<i64>),
    Int32(i32),
    OptInt32(Option<i32>),
    Date(Date),
    OptDate(Option<Date>),
    Time(OffsetDateTime),
}

/// The parameters of a wide `INSERT` or `UPDATE`: first the statement's own
/// (`$1` … `$k`, written into its text by hand), then one per column, each
/// named beside its value. The column lists of the statement are generated
/// from the names, so a column is added in one place: the function that
/// lists a row's columns with their values (`activity_columns`,
/// `record_columns`).
pub(crate) struct Columns<'a> {
    names: Vec<&'static str>,
    /// The statement's own parameters, then the columns' values.
    pub(crate) params: Vec<Param<'a>>,
}

impl<'a> Columns<'a> {
    pub(crate) fn new(
        own: &[Param<'a>],
        columns: impl IntoIterator<Item = (&'static str, Param<'a>)>,
    ) -> Self {
        let mut params = own.to_vec();
        let names = columns
            .into_iter()
            .map(|(name, value)| {
                params.push(value);
                name
            })
            .collect();
        Columns { names, params }
    }

    /// The placeholder numbers of the columns, in order.
    fn numbers(&self) -> impl Iterator<Item = usize> {
        let first = self.params.len() - self.names.len() + 1;
        first..first + self.names.len()
    }

    /// `a, b, c`: the column list of an `INSERT`.
    pub(crate) fn names(&self) -> String {
        self.names.join(", ")
    }

    /// `$4, $5, $6`: the `VALUES` of the columns in an `INSERT`.
    pub(crate) fn placeholders(&self) -> String {
        let list: Vec<String> = self.numbers().map(|n| format!("${n}")).collect();
        list.join(", ")
    }

    /// `a = $4, b = $5, c = $6`: the `SET` list of an `UPDATE`.
    pub(crate) fn assignments(&self) -> String {
        let list: Vec<String> = self
            .names
            .iter()
            .zip(self.numbers())
            .map(|(name, n)| format!("{name} = ${n}"))
            .collect();
        list.join(", ")
    }
}

pub fn sqlite_migrator() -> sqlx::migrate::Migrator {
    sqlx::migrate!("../../migrations/sqlite")
}

pub fn postgres_migrator() -> sqlx::migrate::Migrator {
    sqlx::migrate!("../../migrations/postgres")
}

#[cfg(test)]
mod tests {
    use super::{Columns, Param};

    #[test]
    fn columns_are_numbered_after_the_statements_own_parameters() {
        let columns = Columns::new(
            &[Param::Int(7), Param::Int(1)],
            [("slug", Param::Text("a")), ("title", Param::Text("b"))],
        );
        assert_eq!(columns.names(), "slug, title");
        assert_eq!(columns.placeholders(), "$3, $4");
        assert_eq!(columns.assignments(), "slug = $3, title = $4");
        assert_eq!(columns.params.len(), 4);
        assert!(matches!(columns.params[2], Param::Text("a")));
    }

    #[test]
    fn columns_without_own_parameters_start_at_one() {
        let columns = Columns::new(&[], [("form", Param::Int(1))]);
        assert_eq!(columns.placeholders(), "$1");
        assert_eq!(columns.assignments(), "form = $1");
    }
}
