//! One agreement's activities, read on demand and kept in a bounded cache.
//!
//! The public snapshot holds the small structure of every agreement (its
//! texts, challenges, plans); the activities, with their updates,
//! assessments and history, grow with the years and are read per agreement
//! ([`samverkan_db::Db::plan_rows_of`]) when a page asks for them. An
//! instance keeps the activities of at most [`AGREEMENTS_KEPT`] agreements,
//! the least recently used leaving first.
//!
//! Readers never wait for a refresh: a copy older than the newest change
//! counter known is served while one background task per agreement reads it
//! again. Only the first read of an agreement, and a reader who must see
//! their own write (see [`crate::read_at_least`]), read at once.

use crate::plans::views::{Activity, PlanSummaries};
use crate::snapshot::{AgreementRecord, Memo, PublicSnapshot};
use crate::{App, Error, Result};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// How many agreements' activities an instance keeps.
pub const AGREEMENTS_KEPT: usize = 16;

/// The activities of one agreement's plans.
#[derive(Debug)]
pub struct AgreementActivities {
    /// The change counter this copy is current for.
    pub epoch: i64,
    /// By plan, start and title.
    pub activities: Vec<Activity>,
    /// Values derived from these activities (a plan's sums and charts),
    /// dropped with them.
    pub memo: Memo,
}

impl AgreementActivities {
    /// The activities of a plan, in their stored order.
    pub fn activities_of_plan<'a>(
        &'a self,
        plan: &'a str,
    ) -> impl Iterator<Item = &'a Activity> + 'a {
        self.activities.iter().filter(move |a| a.plan == plan)
    }

    /// One activity by plan and slug.
    pub fn activity(&self, plan: &str, slug: &str) -> Result<&Activity> {
        self.activities
            .iter()
            .find(|a| a.plan == plan && a.slug == slug)
            .ok_or(Error::NotFound("activity"))
    }

    /// The summary of a plan of `record` (whose activities these are).
    pub fn plan_summaries(&self, record: &AgreementRecord, plan: &str) -> Result<PlanSummaries> {
        record.plan_summaries(self.activities_of_plan(plan), plan)
    }
}

struct Slot {
    value: Arc<AgreementActivities>,
    used: u64,
    refreshing: bool,
}

/// The kept activities, by agreement id.
#[derive(Default)]
pub(crate) struct ActivityCache {
    slots: Mutex<(u64, HashMap<i64, Slot>)>,
}

impl ActivityCache {
    fn lock(&self) -> std::sync::MutexGuard<'_, (u64, HashMap<i64, Slot>)> {
        self.slots.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The copy kept for `agreement`, marked as used; and whether the caller
    /// should start its refresh (it is behind `wanted` and none runs).
    fn get(&self, agreement: i64, wanted: i64) -> Option<(Arc<AgreementActivities>, bool)> {
        let mut guard = self.lock();
        let (tick, slots) = &mut *guard;
        *tick += 1;
        let slot = slots.get_mut(&agreement)?;
        slot.used = *tick;
        let start = slot.value.epoch < wanted && !slot.refreshing;
        if start {
            slot.refreshing = true;
        }
        Some((slot.value.clone(), start))
    }

    /// Keeps `value` unless a newer copy is kept; the least recently used
    /// agreement leaves when the cache is full.
    fn store(&self, agreement: i64, value: Arc<AgreementActivities>) {
        let mut guard = self.lock();
        let (tick, slots) = &mut *guard;
        *tick += 1;
        if let Some(slot) = slots.get_mut(&agreement) {
            slot.refreshing = false;
            slot.used = *tick;
            if slot.value.epoch <= value.epoch {
                slot.value = value;
            }
            return;
        }
        if slots.len() >= AGREEMENTS_KEPT
            && let Some(oldest) = slots.iter().min_by_key(|(_, s)| s.used).map(|(k, _)| *k)
        {
            slots.remove(&oldest);
        }
        slots.insert(
            agreement,
            Slot {
                value,
                used: *tick,
                refreshing: false,
            },
        );
    }

    /// Ends a refresh that failed, so a later reader tries again.
    fn refresh_failed(&self, agreement: i64) {
        if let Some(slot) = self.lock().1.get_mut(&agreement) {
            slot.refreshing = false;
        }
    }

    /// The agreements kept whose copy is older than `epoch`.
    fn behind(&self, epoch: i64) -> Vec<i64> {
        (self.lock().1.iter())
            .filter(|(_, s)| s.value.epoch < epoch)
            .map(|(k, _)| *k)
            .collect()
    }

    /// Forgets every copy (a change made outside the counted writes).
    pub(crate) fn clear(&self) {
        self.lock().1.clear();
    }
}

impl App {
    /// The activities of `record`'s plans: the copy kept (refreshed in the
    /// background when behind), or read now the first time, or when the
    /// reader must see a later change of their own.
    pub async fn activities(&self, record: &AgreementRecord) -> Result<Arc<AgreementActivities>> {
        let at_least = crate::READ_AT_LEAST.try_with(|n| *n).ok();
        let cache = &self.inner.activities;
        if let Some((kept, refresh)) = cache.get(record.id, self.inner.snapshot.known())
            && at_least.is_none_or(|n| kept.epoch >= n)
        {
            if refresh {
                let app = self.clone();
                let (id, slug) = (record.id, record.summary.slug.clone());
                tokio::spawn(async move {
                    if let Err(e) = app.read_activities(id, &slug).await {
                        tracing::warn!(error = %e, agreement = %slug, "activities refresh failed; serving the copy in hand");
                        app.inner.activities.refresh_failed(id);
                    }
                });
            }
            return Ok(kept);
        }
        self.read_activities(record.id, record.slug()).await
    }

    /// The public snapshot and the activities of its agreement `slug`.
    pub async fn with_activities(
        &self,
        slug: &str,
    ) -> Result<(Arc<PublicSnapshot>, Arc<AgreementActivities>)> {
        let snapshot = self.public().await?;
        let activities = self.activities(snapshot.agreement(slug)?).await?;
        Ok((snapshot, activities))
    }

    /// Reads an agreement's activities again, builds them off the async
    /// workers, and keeps them.
    async fn read_activities(&self, id: i64, slug: &str) -> Result<Arc<AgreementActivities>> {
        let rows = self.inner.db.plan_rows_of(id).await?;
        let snapshot = self.public().await?;
        let slug = slug.to_owned();
        let value = tokio::task::spawn_blocking(move || build(&snapshot, rows, &slug))
            .await
            .map_err(|e| Error::internal("building an agreement's activities", e))??;
        let value = Arc::new(value);
        self.inner.activities.store(id, value.clone());
        Ok(value)
    }

    /// Reads again, together, every kept agreement older than `epoch`: the
    /// writer's own next page shows its change (readers meanwhile keep the
    /// copies in hand).
    pub(crate) async fn refresh_activities(&self, epoch: i64) -> Result<()> {
        let snapshot = self.public().await?;
        let mut reads = tokio::task::JoinSet::new();
        for id in self.inner.activities.behind(epoch) {
            let Some(record) = snapshot.agreement_by_id(id) else {
                continue;
            };
            let (app, slug) = (self.clone(), record.slug().to_owned());
            reads.spawn(async move { app.read_activities(id, &slug).await.map(|_| ()) });
        }
        while let Some(read) = reads.join_next().await {
            read.map_err(|e| Error::internal("reading an agreement's activities", e))??;
        }
        Ok(())
    }
}

/// The activities of one agreement from its rows. The copy counts as current
/// only up to the older of the two counters, so that an activity naming
/// something newer than the snapshot is read again once the snapshot has
/// caught up.
fn build(
    snapshot: &PublicSnapshot,
    rows: samverkan_db::plans::PlanRows,
    slug: &str,
) -> Result<AgreementActivities> {
    let activities =
        crate::plans::views::activities_of(&snapshot.rows, &rows, slug, snapshot.today)?;
    Ok(AgreementActivities {
        epoch: rows.epoch.min(snapshot.epoch),
        activities,
        memo: Memo::default(),
    })
}
