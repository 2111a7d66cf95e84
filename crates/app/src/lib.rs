//! Use cases shared by the HTML pages and the JSON API. Nothing here knows
//! HTTP; both front doors call the same functions and show the same views,
//! so the API shows exactly what the pages show.

pub mod accounts;
pub mod agreements;
mod cache;
pub mod csv_rows;
pub mod demo;
pub mod documents;
mod error;
pub mod governance;
mod jobs;
pub mod joining;
mod kept;
pub mod mail;
pub mod markdown;
pub mod organisations;
pub mod paged;
pub mod plans;
pub mod register;
pub mod reports;
pub mod roles;
pub mod secret;
pub mod snapshot;
pub mod text;
pub mod throttle;
pub mod views;
pub mod working_group;

pub use error::{
    Error, FieldError, MESSAGE_CODES, Message, ParameterProblem, ParameterRule, Result,
    SignInProblem,
};
pub use samverkan_db::Db;
pub use snapshot::PublicSnapshot;

use cache::SnapshotCache;

tokio::task_local! {
    /// The change counter the current request must see at least (the
    /// person's own last write); set by the web layer from a cookie.
    static READ_AT_LEAST: i64;
}

/// Runs `f` so that every read of the public record in it sees at least
/// change counter `n`, waiting (bounded) for a refresh if the copy in hand
/// is older. The web layer wraps the requests of a person who has just
/// written, so they see their own change whichever instance serves them.
pub async fn read_at_least<F: std::future::Future>(n: i64, f: F) -> F::Output {
    READ_AT_LEAST.scope(n, f).await
}
use std::sync::Arc;
use std::time::Duration;

/// How many parsed published report documents an instance keeps.
pub const DOCUMENTS_KEPT: usize = 2048;

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
    /// The largest document (a file attached to a decision or a plan)
    /// accepted, in bytes.
    pub max_document_bytes: usize,
}

impl Default for AppConfig {
    fn default() -> Self {
        AppConfig {
            snapshot_ttl: Duration::from_secs(60),
            default_agreement: None,
            mail: mail::MailConfig::default(),
            max_document_bytes: documents::DEFAULT_MAX_DOCUMENT_BYTES,
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
    snapshot: Arc<SnapshotCache>,
    /// The activities of the agreements last asked for.
    activities: plans::record::ActivityCache,
    /// Woken when a job is enqueued.
    jobs_waiting: tokio::sync::Notify,
    /// Published report documents, parsed, by (report id, version), at
    /// most [`DOCUMENTS_KEPT`]. A published version is never changed (a
    /// correction is a new version), so an entry never goes stale.
    documents: std::sync::Mutex<
        std::collections::HashMap<(i64, i32), Arc<reports::content::ReportContent>>,
    >,
    /// The register page's figures and choices, until the next write.
    figures: kept::KeptAggregates,
}

impl App {
    pub fn new(db: Db, config: AppConfig) -> App {
        let snapshot = Arc::new(SnapshotCache::new(config.snapshot_ttl));
        let mail = config.mail.clone();
        App {
            inner: Arc::new(Inner {
                db,
                config,
                mail,
                snapshot,
                activities: Default::default(),
                jobs_waiting: tokio::sync::Notify::new(),
                documents: Default::default(),
                figures: Default::default(),
            }),
        }
    }

    pub fn db(&self) -> &Db {
        &self.inner.db
    }

    pub fn config(&self) -> &AppConfig {
        &self.inner.config
    }

    /// The public record: the copy in hand (refreshed in the background when
    /// another write has been heard of), or, inside [`read_at_least`] with
    /// a counter the copy has not reached, a copy that holds it.
    pub async fn public(&self) -> Result<Arc<PublicSnapshot>> {
        let at_least = READ_AT_LEAST.try_with(|n| *n).ok();
        self.inner.snapshot.get(&self.inner.db, at_least).await
    }

    /// Marks the public record as changed outside the counted writes (by
    /// hand in the database); the next reader reads it again.
    pub fn invalidate(&self) {
        self.inner.snapshot.invalidate();
        self.inner.activities.clear();
    }

    /// Commits a transaction that changed what the public pages show: the
    /// shared change counter moves inside it (and, on PostgreSQL, every
    /// instance is notified on commit), and this instance starts reading
    /// the record again. The writer waits (bounded) for the new copy, so
    /// the page after a form shows the change; readers meanwhile keep
    /// reading the copy in hand.
    pub(crate) async fn commit_public(&self, mut tx: samverkan_db::Tx) -> Result<()> {
        let epoch = tx.note_public_change().await?;
        tx.commit().await?;
        let cache = &self.inner.snapshot;
        cache.saw(epoch);
        cache.refresh(&self.inner.db);
        cache.wait_for(&self.inner.db, epoch).await?;
        self.refresh_activities(epoch).await
    }

    /// The newest change counter this instance knows of: what a person who
    /// has just written must see from now on (see [`read_at_least`]).
    pub fn known_changes(&self) -> i64 {
        self.inner.snapshot.known()
    }

    /// What a cache of anything public is kept by: the newest change counter
    /// known, and how often the record was marked changed by hand.
    pub(crate) fn change_stamp(&self) -> (i64, u64) {
        (
            self.inner.snapshot.known(),
            self.inner.snapshot.invalidated(),
        )
    }

    /// Hears of the other instances' changes and refreshes the copy in
    /// hand: on PostgreSQL by LISTEN (at once), and on both databases by
    /// polling the counter every `poll` (the safety net, and SQLite's way).
    /// Runs until the process ends.
    pub async fn watch_changes(self, poll: Duration) {
        let mut listener = match self.inner.db.listen_public_changes().await {
            Ok(l) => l,
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for changes; polling only");
                None
            }
        };
        loop {
            let heard = match listener.as_mut() {
                Some(l) => match tokio::time::timeout(poll, l.recv()).await {
                    Ok(Ok(n)) => n.payload().parse::<i64>().ok(),
                    Ok(Err(e)) => {
                        tracing::warn!(error = %e, "change listener lost; it reconnects");
                        tokio::time::sleep(poll).await;
                        None
                    }
                    Err(_) => None,
                },
                None => {
                    tokio::time::sleep(poll).await;
                    None
                }
            };
            let newest = match heard {
                Some(n) => Some(n),
                None => self.inner.db.public_epoch().await.ok(),
            };
            if let Some(n) = newest {
                self.inner.snapshot.saw(n);
            }
            if self.inner.snapshot.is_behind() {
                self.inner.snapshot.refresh(&self.inner.db);
            }
        }
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
