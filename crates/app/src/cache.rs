//! The public snapshot cache. Readers always get the copy in hand at once;
//! when it is behind, one background task reads the record again and swaps
//! the new copy in, so no reader waits for a reload (only the very first
//! load, before there is any copy, is waited for).
//!
//! "Behind" is told by the shared change counter (`samverkan_db::changes`):
//! a copy remembers the counter it was read at; a write through this
//! instance, a notification from another instance (PostgreSQL's
//! LISTEN/NOTIFY) or the watcher's poll raises the counter known to exist,
//! and a copy below it is refreshed. The time-to-live is only a safety net.
//!
//! Read-your-writes: a reader that must see at least counter `n` (the person
//! who just wrote, whichever instance wrote it) waits, bounded, for a copy
//! at `n` or later; everyone else keeps reading the copy in hand.

use crate::{PublicSnapshot, Result};
use samverkan_db::Db;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// How long a reader that must see its own write waits for the refresh
/// before it reads the record itself.
const OWN_WRITE_WAIT: Duration = Duration::from_secs(3);

struct Loaded {
    snapshot: Arc<PublicSnapshot>,
    at: Instant,
    /// Marked by a change that has no counter.
    stale: bool,
}

pub(crate) struct SnapshotCache {
    ttl: Duration,
    current: RwLock<Option<Loaded>>,
    /// The newest counter known to exist.
    wanted: AtomicI64,
    /// Whether a refresh task is running.
    refreshing: AtomicBool,
    /// Counts [`SnapshotCache::invalidate`] calls: a copy whose read began
    /// before the latest one is stored still marked stale.
    invalidations: AtomicU64,
    /// The counter of the copy in hand, for readers waiting for their write.
    loaded: tokio::sync::watch::Sender<i64>,
    /// Held by a load readers wait for, so concurrent readers load once.
    first: tokio::sync::Mutex<()>,
}

impl SnapshotCache {
    pub(crate) fn new(ttl: Duration) -> Self {
        SnapshotCache {
            ttl,
            current: RwLock::new(None),
            wanted: AtomicI64::new(0),
            refreshing: AtomicBool::new(false),
            invalidations: AtomicU64::new(0),
            loaded: tokio::sync::watch::channel(-1).0,
            first: tokio::sync::Mutex::new(()),
        }
    }

    /// The copy in hand, whether it is behind, and whether it was marked
    /// stale by [`SnapshotCache::invalidate`].
    fn in_hand(&self) -> Option<(Arc<PublicSnapshot>, bool, bool)> {
        let guard = self.current.read().unwrap_or_else(|e| e.into_inner());
        guard.as_ref().map(|l| {
            let behind = l.stale
                || l.snapshot.epoch < self.wanted.load(Ordering::Acquire)
                || l.at.elapsed() >= self.ttl;
            (l.snapshot.clone(), behind, l.stale)
        })
    }

    /// The copy in hand (refreshed in the background when behind), or, when
    /// `at_least` is given and the copy is older than that counter, a copy
    /// at that counter or later.
    pub(crate) async fn get(
        self: &Arc<Self>,
        db: &Db,
        at_least: Option<i64>,
    ) -> Result<Arc<PublicSnapshot>> {
        let Some((snapshot, behind, stale)) = self.in_hand() else {
            return self.load_now(db).await;
        };
        if stale {
            return self.load_now(db).await;
        }
        match at_least {
            Some(n) if snapshot.epoch < n => {
                self.saw(n);
                self.refresh(db);
                self.wait_for(db, n).await
            }
            _ => {
                if behind {
                    self.refresh(db);
                }
                Ok(snapshot)
            }
        }
    }

    /// The counter of the copy in hand, or the newest known if higher: what
    /// a person who just wrote must see from now on.
    pub(crate) fn known(&self) -> i64 {
        self.wanted
            .load(Ordering::Acquire)
            .max(*self.loaded.borrow())
    }

    /// How often the record was marked changed outside the counted writes
    /// ([`SnapshotCache::invalidate`]).
    pub(crate) fn invalidated(&self) -> u64 {
        self.invalidations.load(Ordering::Acquire)
    }

    /// Notes that counter `n` exists (a write, a notification, a poll).
    pub(crate) fn saw(&self, n: i64) {
        self.wanted.fetch_max(n, Ordering::AcqRel);
    }

    /// Notes a change made outside the counted writes (by hand in the
    /// database, or by a test): the next reader reads the record again.
    pub(crate) fn invalidate(&self) {
        self.invalidations.fetch_add(1, Ordering::AcqRel);
        if let Some(l) = self
            .current
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .as_mut()
        {
            l.stale = true;
        }
    }

    /// Whether the copy in hand is behind the newest known counter.
    pub(crate) fn is_behind(&self) -> bool {
        self.in_hand().is_some_and(|(_, behind, _)| behind)
    }

    /// Reads the record now, once for all readers arriving meanwhile: the
    /// first load, and after [`SnapshotCache::invalidate`].
    async fn load_now(&self, db: &Db) -> Result<Arc<PublicSnapshot>> {
        let _first = self.first.lock().await;
        if let Some((snapshot, _, false)) = self.in_hand() {
            return Ok(snapshot);
        }
        let since = self.invalidations.load(Ordering::Acquire);
        let snapshot = load(db).await?;
        self.store(snapshot.clone(), since);
        Ok(snapshot)
    }

    /// Starts one background refresh unless one is running.
    pub(crate) fn refresh(self: &Arc<Self>, db: &Db) {
        if self.refreshing.swap(true, Ordering::AcqRel) {
            return;
        }
        let cache = self.clone();
        let db = db.clone();
        tokio::spawn(async move {
            // Read again while a change arrived during the read.
            loop {
                let since = cache.invalidations.load(Ordering::Acquire);
                match load(&db).await {
                    Ok(snapshot) => cache.store(snapshot, since),
                    Err(e) => {
                        tracing::warn!(error = %e, "public snapshot refresh failed; serving the copy in hand");
                        break;
                    }
                }
                if !cache.is_behind() {
                    break;
                }
            }
            cache.refreshing.store(false, Ordering::Release);
        });
    }

    /// Swaps `snapshot` in; `since` is the invalidation count when its read
    /// began, so a read older than the latest invalidation stays stale.
    fn store(&self, snapshot: Arc<PublicSnapshot>, since: u64) {
        let epoch = snapshot.epoch;
        let stale = since != self.invalidations.load(Ordering::Acquire);
        self.saw(epoch);
        let mut guard = self.current.write().unwrap_or_else(|e| e.into_inner());
        // Never swap a newer copy for an older one (a slow first load).
        if guard
            .as_ref()
            .is_some_and(|l| l.snapshot.epoch > epoch && !l.stale)
        {
            return;
        }
        *guard = Some(Loaded {
            snapshot,
            at: Instant::now(),
            stale,
        });
        drop(guard);
        self.loaded.send_replace(epoch);
    }

    /// A copy at counter `n` or later: the refresh's, or (when it takes too
    /// long or fails) one read by this reader.
    pub(crate) async fn wait_for(&self, db: &Db, n: i64) -> Result<Arc<PublicSnapshot>> {
        let mut loaded = self.loaded.subscribe();
        let reached = tokio::time::timeout(OWN_WRITE_WAIT, loaded.wait_for(|e| *e >= n))
            .await
            .is_ok_and(|r| r.is_ok());
        if reached
            && let Some((snapshot, _, _)) = self.in_hand()
            && snapshot.epoch >= n
        {
            return Ok(snapshot);
        }
        let since = self.invalidations.load(Ordering::Acquire);
        let snapshot = load(db).await?;
        self.store(snapshot.clone(), since);
        Ok(snapshot)
    }
}

/// Reads the public record in one read transaction and builds the snapshot
/// off the async workers.
async fn load(db: &Db) -> Result<Arc<PublicSnapshot>> {
    let started = Instant::now();
    let rows = db.public_rows().await?;
    let today = crate::text::today();
    let snapshot = tokio::task::spawn_blocking(move || PublicSnapshot::build(rows, today))
        .await
        .map_err(|e| crate::Error::internal("building the public snapshot", e))??;
    tracing::debug!(
        epoch = snapshot.epoch,
        elapsed_ms = started.elapsed().as_millis() as u64,
        "public snapshot loaded"
    );
    Ok(Arc::new(snapshot))
}
