//! Opening a pool: the URL scheme picks the backend; every connection pragma
//! lives here.

use crate::{Db, DbError, Result};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::str::FromStr;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn from_url(url: &str) -> Option<Backend> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

#[derive(Debug, Clone)]
pub struct ConnectOptions {
    pub max_connections: u32,
    pub acquire_timeout: Duration,
    /// For a bulk load that can simply be run again after a crash
    /// (`samverkan demo --scale`): commits do not wait for the disk
    /// (SQLite `synchronous=OFF`, PostgreSQL `synchronous_commit=off`) and
    /// SQLite keeps a larger page cache (256 MB) while indexes grow; and
    /// statements are not logged (a slow multi-row insert would be logged
    /// with all its text).
    pub bulk_load: bool,
}

impl Default for ConnectOptions {
    fn default() -> Self {
        ConnectOptions {
            max_connections: 16,
            acquire_timeout: Duration::from_secs(5),
            bulk_load: false,
        }
    }
}

impl Db {
    /// Opens a pool for `url` (`sqlite:…` or `postgres://…`) and checks that
    /// the database answers. An SQLite file and its folder are created.
    ///
    /// SQLite runs in WAL mode with `synchronous=FULL`: in WAL mode `NORMAL`
    /// may lose the last commits on power loss, and a user who was told
    /// "saved" must find it saved after a crash. Foreign keys are enforced.
    pub async fn connect(url: &str, options: &ConnectOptions) -> Result<Db> {
        match Backend::from_url(url) {
            Some(Backend::Sqlite) => {
                let mut opts = SqliteConnectOptions::from_str(url)?
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Full)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(5));
                if options.bulk_load {
                    opts = sqlx::ConnectOptions::disable_statement_logging(
                        opts.synchronous(SqliteSynchronous::Off)
                            .pragma("cache_size", "-262144"),
                    );
                }
                if let Some(dir) = opts
                    .get_filename()
                    .parent()
                    .filter(|d| !d.as_os_str().is_empty())
                {
                    std::fs::create_dir_all(dir).map_err(|e| {
                        DbError::Other(sqlx::Error::Configuration(
                            format!("cannot create the folder {}: {e}", dir.display()).into(),
                        ))
                    })?;
                }
                let pool = SqlitePoolOptions::new()
                    .max_connections(options.max_connections)
                    .acquire_timeout(options.acquire_timeout)
                    .connect_with(opts)
                    .await?;
                Ok(Db::Sqlite(pool))
            }
            Some(Backend::Postgres) => {
                let mut opts = PgConnectOptions::from_str(url)?;
                if options.bulk_load {
                    opts = sqlx::ConnectOptions::disable_statement_logging(
                        opts.options([("synchronous_commit", "off")]),
                    );
                }
                let pool = PgPoolOptions::new()
                    .max_connections(options.max_connections)
                    .acquire_timeout(options.acquire_timeout)
                    .connect_with(opts)
                    .await?;
                Ok(Db::Postgres(pool))
            }
            None => Err(DbError::Other(sqlx::Error::Configuration(
                "the database URL must start with sqlite: or postgres://".into(),
            ))),
        }
    }
}

/// The URL with any password replaced, for messages and logs.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..scheme_end + 3], user, &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact_url("postgres://u:secret@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(redact_url("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(redact_url("sqlite://data/x.db"), "sqlite://data/x.db");
    }
}
