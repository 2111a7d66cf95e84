//! Use cases shared by the HTML pages and the JSON API. Nothing here knows
//! HTTP; both front doors call the same functions and show the same views,
//! so the API shows exactly what the pages show.

pub mod accounts;
pub mod agreements;
mod cache;
pub mod csv_rows;
pub mod demo;
mod error;
mod jobs;
pub mod joining;
pub mod mail;
pub mod organisations;
pub mod plans;
pub mod register;
pub mod reports;
pub mod roles;
pub mod secret;
pub mod snapshot;
pub mod text;
pub mod throttle;
pub mod views;

pub use error::{
    Error, FieldError, MESSAGE_CODES, Message, ParameterProblem, ParameterRule, Result,
    SignInProblem,
};
pub use samverkan_db::Db;
pub use snapshot::PublicSnapshot;

use cache::SnapshotCache;
use std::sync::Arc;
use std::time::Duration;

/// Settings of the application layer.
#[derive(Debug, Clone)]
pub struct AppConfig {
    /// How long a loaded public snapshot is served before it is read again.
    /// Writes through this instance invalidate it at once; the time bounds
    /// how stale another instance's writes can look.
    pub snapshot_ttl: Duration,
    /// The agreement shown on the start page; the first one when unset.
    pub default_agreement: Option<String>,
    /// Where e-mail goes.
    pub mail: mail::MailConfig,
}

impl Default for AppConfig {
    fn default() -> Self {
        AppConfig {
            snapshot_ttl: Duration::from_secs(5),
            default_agreement: None,
            mail: mail::MailConfig::default(),
        }
    }
}

/// The application: the database and what is cached in front of it.
#[derive(Clone)]
pub struct App {
    inner: Arc<Inner>,
}

struct Inner {
    db: Db,
    config: AppConfig,
    mail: mail::MailConfig,
    snapshot: SnapshotCache,
    /// Woken when a job is enqueued.
    jobs_waiting: tokio::sync::Notify,
    /// Published report documents, parsed, by (report id, version). A
    /// published version is never changed (a correction is a new version),
    /// so an entry never goes stale.
    documents: std::sync::Mutex<
        std::collections::HashMap<(i64, i32), Arc<reports::content::ReportContent>>,
    >,
}

impl App {
    pub fn new(db: Db, config: AppConfig) -> App {
        let snapshot = SnapshotCache::new(config.snapshot_ttl);
        let mail = config.mail.clone();
        App {
            inner: Arc::new(Inner {
                db,
                config,
                mail,
                snapshot,
                jobs_waiting: tokio::sync::Notify::new(),
                documents: Default::default(),
            }),
        }
    }

    pub fn db(&self) -> &Db {
        &self.inner.db
    }

    pub fn config(&self) -> &AppConfig {
        &self.inner.config
    }

    /// The public record as of at most `snapshot_ttl` ago.
    pub async fn public(&self) -> Result<Arc<PublicSnapshot>> {
        self.inner.snapshot.get(&self.inner.db).await
    }

    /// Forgets the cached public record; the next read loads it again.
    pub fn invalidate(&self) {
        self.inner.snapshot.invalidate();
    }

    /// Tells the job runner that work was enqueued.
    pub(crate) fn jobs_enqueued(&self) {
        self.inner.jobs_waiting.notify_one();
    }

    /// Whether the database answers.
    pub async fn health(&self) -> Result<()> {
        Ok(self.inner.db.ping().await?)
    }
}
