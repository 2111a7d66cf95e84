//! Generated data at the size of a city or a country, on top of the
//! demonstration data (`samverkan demo --scale city|national`), for the
//! benchmark and for trying the read path at scale.
//!
//! - **city**: Malmöandan gets 5,000 organisations in Malmö, 2,000
//!   activities in its two action plans with 20,000 progress updates, and
//!   20,000 records in its register.
//! - **national**: the city's data, and 300 agreements, each in its own
//!   (made-up) municipality with city bodies, districts, principles,
//!   challenges, a version of its text and an action plan, sharing 245,000
//!   organisations, 498,000 activities, 1,980,000 updates and 980,000
//!   records; larger municipalities get more (weights 1/(rank + 4)).
//!
//! **Deterministic.** Every target (Malmöandan, then each generated
//! agreement in order) draws from its own ChaCha8 stream, seeded from a
//! constant and the target's number, and rows are numbered in one fixed
//! order, so the same scale gives the same rows on every run and on either
//! database (ChaCha8's output is fixed by its specification; the dates are
//! counted from a fixed day, [`FOLLOW_UP_UNTIL`], not from the clock).
//!
//! **Valid as the real paths require.** The agreements go through the
//! demonstration loader itself (`load_file`, so every slug, status and kind
//! is parsed by the domain types); organisations, activities, updates and
//! records are built to pass the checks the forms use
//! (`organisations::check_profile`, `plans::activities::check`,
//! `plans::follow_up::check_update`, `register::check`) and the rules
//! those checks leave to the writer: activity dates within the plan's
//! period, updates and reached milestones not after the day of follow-up,
//! updates by a responsible party, money only in a record's years, unique
//! organisation numbers with a Luhn check digit, slugs made as
//! `create_organisation` makes them. `tests/http/scale.rs` runs a sample of
//! each kind through those checks on both databases.
//!
//! **Fast.** Rows are written by the bulk path (`samverkan_db::scale`):
//! multi-row `INSERT`s, one transaction per target.

mod activities;
mod organisations;
mod places;
mod records;
mod words;

use crate::{App, Error, Result};
use places::Target;
use rand::rngs::ChaCha8Rng;
use rand::{Rng, SeedableRng};
use time::Date;

/// The day the generated follow-up stops: no update is written and no
/// milestone reached after it (an agreement wound down earlier stops on
/// the day it was wound down).
pub const FOLLOW_UP_UNTIL: Date = time::macros::date!(2026 - 10 - 31);

/// The seed every target's stream is derived from.
const SEED: u64 = 0x5341_4d56_4552_4b41;

/// Who the history names as the author of generated activities (as the
/// demonstration loader does).
const AUTHOR: &str = "Demonstrationsdata";

/// How many rows of each kind one place gets (or all places share).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    pub organisations: usize,
    pub activities: usize,
    pub updates: usize,
    pub records: usize,
}

impl Counts {
    fn plus(self, other: Counts) -> Counts {
        Counts {
            organisations: self.organisations + other.organisations,
            activities: self.activities + other.activities,
            updates: self.updates + other.updates,
            records: self.records + other.records,
        }
    }

    fn divided(self, by: usize) -> Counts {
        Counts {
            organisations: self.organisations / by,
            activities: self.activities / by,
            updates: self.updates / by,
            records: self.records / by,
        }
    }
}

/// How much data to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scale {
    pub name: &'static str,
    /// Added to Malmöandan, the demonstration's own agreement, in Malmö.
    pub home: Counts,
    /// Agreements generated, each in a municipality of its own.
    pub agreements: usize,
    /// Shared by the generated agreements.
    pub country: Counts,
}

impl Scale {
    /// The demonstration data alone.
    pub const DEMO: Scale = Scale {
        name: "demo",
        home: Counts {
            organisations: 0,
            activities: 0,
            updates: 0,
            records: 0,
        },
        agreements: 0,
        country: Counts {
            organisations: 0,
            activities: 0,
            updates: 0,
            records: 0,
        },
    };

    /// One large city.
    pub const CITY: Scale = Scale {
        name: "city",
        home: Counts {
            organisations: 5_000,
            activities: 2_000,
            updates: 20_000,
            records: 20_000,
        },
        ..Scale::DEMO
    };

    /// The whole country: in all 250,000 organisations, 500,000
    /// activities, 2,000,000 updates and 1,000,000 records.
    pub const NATIONAL: Scale = Scale {
        name: "national",
        agreements: 300,
        country: Counts {
            organisations: 245_000,
            activities: 498_000,
            updates: 1_980_000,
            records: 980_000,
        },
        ..Scale::CITY
    };

    /// The scale of that name (`demo`, `city`, `national`).
    pub fn named(name: &str) -> Option<Scale> {
        [Scale::DEMO, Scale::CITY, Scale::NATIONAL]
            .into_iter()
            .find(|s| s.name == name)
    }

    /// Every count divided by `by` (at least one agreement is kept where
    /// there were any): the same shape, smaller, for tests and quick trials.
    pub fn divided(self, by: usize) -> Scale {
        let by = by.max(1);
        Scale {
            name: self.name,
            home: self.home.divided(by),
            agreements: match self.agreements {
                0 => 0,
                n => (n / by).max(1),
            },
            country: self.country.divided(by),
        }
    }

    /// The rows generated in all.
    pub fn totals(&self) -> Counts {
        self.home.plus(self.country)
    }
}

/// The kinds of rows, one progress bar each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScaleKind {
    Agreements,
    Organisations,
    Activities,
    Updates,
    Records,
}

impl ScaleKind {
    pub const ALL: [ScaleKind; 5] = [
        ScaleKind::Agreements,
        ScaleKind::Organisations,
        ScaleKind::Activities,
        ScaleKind::Updates,
        ScaleKind::Records,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ScaleKind::Agreements => "agreements",
            ScaleKind::Organisations => "organisations",
            ScaleKind::Activities => "activities",
            ScaleKind::Updates => "updates",
            ScaleKind::Records => "records",
        }
    }

    /// How many rows of this kind `scale` generates.
    pub fn total(self, scale: &Scale) -> usize {
        let t = scale.totals();
        match self {
            ScaleKind::Agreements => scale.agreements,
            ScaleKind::Organisations => t.organisations,
            ScaleKind::Activities => t.activities,
            ScaleKind::Updates => t.updates,
            ScaleKind::Records => t.records,
        }
    }
}

/// Told how far each kind has come: (kind, rows written).
pub type ScaleProgress<'a> = &'a (dyn Fn(ScaleKind, usize) + Send + Sync);

/// What a generation wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ScaleReport {
    pub agreements: usize,
    pub rows: Counts,
}

/// A seeded stream of choices. Only `next_u64` of ChaCha8 is used, so the
/// rows depend on the stream's specification alone.
pub(crate) struct Dice(ChaCha8Rng);

impl Dice {
    /// The stream of one target and purpose.
    pub(crate) fn new(target: usize, purpose: u64) -> Dice {
        let mut state = SEED;
        for part in [target as u64, purpose] {
            state = splitmix(state ^ part);
        }
        Dice(ChaCha8Rng::seed_from_u64(state))
    }

    /// A number in `0..n` (`n` > 0).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.0.next_u64() % n.max(1) as u64) as usize
    }

    /// A number in `lo..=hi`.
    pub(crate) fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        lo + (self.0.next_u64() % (hi - lo + 1) as u64) as i64
    }

    /// True `per_mille` times in a thousand.
    pub(crate) fn chance(&mut self, per_mille: u64) -> bool {
        self.0.next_u64() % 1000 < per_mille
    }

    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// `n` different items (fewer when there are fewer), in the slice's order.
    pub(crate) fn some<'a, T>(&mut self, items: &'a [T], n: usize) -> Vec<&'a T> {
        let mut chosen: Vec<usize> = Vec::new();
        while chosen.len() < n.min(items.len()) {
            let i = self.below(items.len());
            if !chosen.contains(&i) {
                chosen.push(i);
            }
        }
        chosen.sort_unstable();
        chosen.into_iter().map(|i| &items[i]).collect()
    }

    /// A day in `from..=to`.
    pub(crate) fn day(&mut self, from: Date, to: Date) -> Date {
        let days = (to - from).whole_days().max(0);
        from + time::Duration::days(self.range(0, days))
    }

    /// One of the choices, each as often as its share says.
    pub(crate) fn share<'a, T>(&mut self, shares: &'a [(T, u64)]) -> &'a T {
        let total: u64 = shares.iter().map(|s| s.1).sum();
        let mut roll = self.0.next_u64() % total.max(1);
        for (item, share) in shares {
            if roll < *share {
                return item;
            }
            roll -= share;
        }
        &shares[shares.len() - 1].0
    }
}

/// SplitMix64's mixing step: turns a seed and a number into a new seed.
/// `base`, or `suffixed(base, 2)`, `suffixed(base, 3)` …: the first one
/// `take` accepts (and marks taken).
pub(crate) fn first_free(
    base: &str,
    suffixed: impl Fn(&str, u32) -> String,
    mut take: impl FnMut(&str) -> bool,
) -> String {
    let mut n = 1;
    loop {
        let candidate = if n == 1 {
            base.to_owned()
        } else {
            suffixed(base, n)
        };
        if take(&candidate) {
            return candidate;
        }
        n += 1;
    }
}

fn splitmix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Splits `total` over `weights` in proportion (largest remainder first),
/// every share at least `floor` as long as the total allows.
pub(crate) fn apportion(total: usize, weights: &[u64], floor: usize) -> Vec<usize> {
    let n = weights.len();
    if n == 0 {
        return Vec::new();
    }
    let floor = floor.min(total / n);
    let rest = (total - floor * n) as u128;
    let sum: u128 = weights.iter().map(|w| u128::from(*w)).sum::<u128>().max(1);
    let mut shares: Vec<usize> = Vec::with_capacity(n);
    let mut remainders: Vec<(u128, usize)> = Vec::with_capacity(n);
    for (i, w) in weights.iter().enumerate() {
        let exact = rest * u128::from(*w);
        shares.push(floor + (exact / sum) as usize);
        remainders.push((exact % sum, i));
    }
    let mut left = total - shares.iter().sum::<usize>();
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, i) in remainders {
        if left == 0 {
            break;
        }
        shares[i] += 1;
        left -= 1;
    }
    shares
}

impl App {
    /// Adds the generated data of `scale` to a database that holds the
    /// demonstration data (loaded by [`App::load_demo`]) and nothing
    /// generated yet. Writes one transaction per target; tells `progress`
    /// after each batch.
    pub async fn load_scale(
        &self,
        scale: &Scale,
        progress: ScaleProgress<'_>,
    ) -> Result<ScaleReport> {
        let mut report = ScaleReport::default();
        if scale.totals() == Counts::default() && scale.agreements == 0 {
            return Ok(report);
        }
        let mut tx = self.db().begin().await?;
        let mut keys = tx.taken_keys().await?;
        if keys.organisation_slugs.len() > 100 || keys.agreement_slugs.len() > 2 {
            return Err(Error::bad_request(
                "demo-data-invalid",
                "the database already holds more than the demonstration data; generate scale data into a database that holds only the demonstration data",
            ));
        }
        let mut targets = vec![places::home(self, &mut tx, scale.home).await?];
        targets.extend(places::generate(&mut tx, scale, &mut keys, progress).await?);
        report.agreements = targets.len() - 1;
        tx.commit().await?;
        let mut state = places::State::new(keys, self.db().begin().await?.scale_ids().await?);
        for target in &mut targets {
            let mut tx = self.db().begin().await?;
            let written = write_target(&mut tx, target, &mut state, progress).await?;
            tx.commit().await?;
            report.rows = report.rows.plus(written);
        }
        let mut tx = self.db().begin().await?;
        tx.finish_scale().await?;
        tx.commit().await?;
        self.invalidate();
        Ok(report)
    }
}

/// Generates and writes everything one target gets.
async fn write_target(
    tx: &mut samverkan_db::Tx,
    target: &mut Target,
    state: &mut places::State,
    progress: ScaleProgress<'_>,
) -> Result<Counts> {
    let organisations = organisations::write(tx, target, state, progress).await?;
    let (activities, updates) = activities::write(tx, target, state, progress).await?;
    let records = records::write(tx, target, state, progress).await?;
    Ok(Counts {
        organisations,
        activities,
        updates,
        records,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apportion_keeps_the_total_and_the_floor() {
        let shares = apportion(100, &[5, 3, 2], 0);
        assert_eq!(shares, vec![50, 30, 20]);
        let shares = apportion(10, &[1000, 1, 1], 3);
        assert_eq!(shares.iter().sum::<usize>(), 10);
        assert!(shares.iter().all(|s| *s >= 3), "{shares:?}");
        assert_eq!(apportion(7, &[1, 1, 1], 0).iter().sum::<usize>(), 7);
        assert_eq!(apportion(2, &[1, 1, 1], 5), vec![1, 1, 0]);
    }

    #[test]
    fn the_same_target_draws_the_same_numbers() {
        let draw = |t| {
            let mut d = Dice::new(t, 1);
            (0..5).map(|_| d.below(1000)).collect::<Vec<_>>()
        };
        assert_eq!(draw(3), draw(3));
        assert_ne!(draw(3), draw(4));
    }

    #[test]
    fn the_national_scale_adds_up_to_the_issue_s_figures() {
        let t = Scale::NATIONAL.totals();
        assert_eq!(
            (t.organisations, t.activities, t.updates, t.records),
            (250_000, 500_000, 2_000_000, 1_000_000)
        );
        assert_eq!(Scale::NATIONAL.agreements, 300);
        let small = Scale::NATIONAL.divided(100);
        assert_eq!((small.agreements, small.totals().records), (3, 10_000));
        assert_eq!(Scale::named("city"), Some(Scale::CITY));
    }
}
