//! Aggregates kept until the next write. Each entry is stamped with the
//! change counter it was read at ([`App::change_stamp`]); a reader whose
//! stamp differs reads again, as it would without the cache, and no one
//! waits for anyone. Every map is bounded ([`ENTRIES_KEPT`]).

#[cfg(doc)]
use crate::App;
use crate::organisations::directory::PartiesPage;
use crate::register::page::{Choices, ScopeKey};
use samverkan_db::register::RecordFigures;
use std::collections::HashMap;
use std::sync::Mutex;

/// Up to how many entries a map keeps; when full, it starts again.
pub const ENTRIES_KEPT: usize = 1024;

/// The aggregates that read every row of their scope, kept until the next
/// write: the register page's key figures per filter and the agreement's
/// filter choices, the reports' counts, the organisation directory's counts
/// per filter and an agreement's pages of parties; each kept with the
/// change counter it was read at. An entry serves while the
/// counter this instance knows of stands still; after a write (every write
/// to the register moves the counter, on every instance within the poll)
/// the next reader of that filter reads it again, as it would have without
/// the cache, and no one else waits.
#[derive(Default)]
pub(crate) struct KeptAggregates {
    /// The register: the key figures per filter, and an agreement's
    /// filter choices.
    pub(crate) figures: Kept<ScopeKey, RecordFigures>,
    pub(crate) choices: Kept<i64, Choices>,
    /// The reports' overview: per (agreement, year), how many records
    /// each city body has that touch the year.
    pub(crate) counts: Kept<(i64, i32), Vec<(i64, i64)>>,
    /// The organisation directory: how many organisations each filter
    /// (challenge, district, legal form, joined) lets through.
    pub(crate) directory: Kept<DirectoryKey, usize>,
    /// An agreement's parties, per (agreement id, page asked for).
    pub(crate) parties: Kept<(i64, usize), PartiesPage>,
    /// An agreement's working group as its page shows it, per (agreement
    /// id, whether a keeper sees it, the three pages asked for, the day it
    /// was read on: which meetings are coming and which items overdue).
    pub(crate) working_groups: Kept<WorkingGroupKey, crate::working_group::WorkingGroup>,
    /// A working-group meeting as its page shows it, per (agreement id,
    /// meeting id, whether a keeper sees it, the day it was read on).
    pub(crate) meetings: Kept<(i64, i64, bool, time::Date), crate::working_group::MeetingDetail>,
}

/// See [`KeptAggregates::working_groups`].
pub(crate) type WorkingGroupKey = (i64, bool, (usize, usize, usize), time::Date);

/// The directory's filters, as its counts are kept by.
pub(crate) type DirectoryKey = (
    Option<String>,
    Option<String>,
    Option<samverkan_domain::LegalForm>,
    Option<bool>,
);

/// The change counter known and the count of changes by hand (see
/// [`App::change_stamp`]) an entry was read at.
pub(crate) type Stamp = (i64, u64);

/// Values by key, each with the stamp it was read at.
pub(crate) type Kept<K, V> = Mutex<HashMap<K, (Stamp, V)>>;

/// The entry of `key` if it was read at `epoch`.
pub(crate) fn kept<K: std::hash::Hash + Eq, V: Clone>(
    map: &Kept<K, V>,
    key: &K,
    epoch: Stamp,
) -> Option<V> {
    let map = map.lock().unwrap_or_else(|e| e.into_inner());
    map.get(key).filter(|e| e.0 == epoch).map(|e| e.1.clone())
}

/// Keeps `value` as read at `epoch`, starting again when full.
pub(crate) fn keep<K: std::hash::Hash + Eq, V>(map: &Kept<K, V>, key: K, epoch: Stamp, value: V) {
    let mut map = map.lock().unwrap_or_else(|e| e.into_inner());
    if map.len() >= ENTRIES_KEPT && !map.contains_key(&key) {
        map.clear();
    }
    map.insert(key, (epoch, value));
}
