//! The public snapshot cache: pages read an `Arc` of the whole public record
//! instead of querying per request. A reload happens once per expiry (other
//! readers wait for it rather than all querying at once).

use crate::{PublicSnapshot, Result};
use samverkan_db::Db;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

pub(crate) struct SnapshotCache {
    ttl: Duration,
    current: RwLock<Option<(Instant, Arc<PublicSnapshot>)>>,
    reload: tokio::sync::Mutex<()>,
}

impl SnapshotCache {
    pub(crate) fn new(ttl: Duration) -> Self {
        SnapshotCache {
            ttl,
            current: RwLock::new(None),
            reload: tokio::sync::Mutex::new(()),
        }
    }

    fn fresh(&self) -> Option<Arc<PublicSnapshot>> {
        let guard = self.current.read().unwrap_or_else(|e| e.into_inner());
        match &*guard {
            Some((loaded, snapshot)) if loaded.elapsed() < self.ttl => Some(snapshot.clone()),
            _ => None,
        }
    }

    pub(crate) async fn get(&self, db: &Db) -> Result<Arc<PublicSnapshot>> {
        if let Some(snapshot) = self.fresh() {
            return Ok(snapshot);
        }
        let _reloading = self.reload.lock().await;
        if let Some(snapshot) = self.fresh() {
            return Ok(snapshot);
        }
        let started = Instant::now();
        let rows = db.public_rows().await?;
        let snapshot = Arc::new(PublicSnapshot::build(rows, crate::text::today())?);
        tracing::debug!(
            elapsed_ms = started.elapsed().as_millis() as u64,
            "public snapshot loaded"
        );
        *self.current.write().unwrap_or_else(|e| e.into_inner()) =
            Some((Instant::now(), snapshot.clone()));
        Ok(snapshot)
    }

    pub(crate) fn invalidate(&self) {
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = None;
    }
}
