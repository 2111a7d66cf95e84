//! The register page as a view: the records a filter picks, their key
//! figures, and the choices of the filter (city bodies, years, organisations),
//! computed once here so the page and the API can read the same struct.

use crate::register::{Record, RecordFilter, RegisterScope};
use crate::{App, Result};
use serde::Serialize;

/// The key figures of the records shown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct RegisterFigures {
    pub records: usize,
    /// Organisations named by at least one of the records.
    pub organisations: usize,
    /// The chosen year's money, or the whole periods' when no year is chosen.
    pub money: i64,
}

/// The agreement's register as its page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct RegisterIndex {
    /// The records that pass the filter, newest first.
    pub records: Vec<Record>,
    pub chosen: RecordFilter,
    /// The chosen year, when one is.
    pub year: Option<i32>,
    pub figures: RegisterFigures,
    /// The municipality's city bodies: (slug, name).
    pub bodies: Vec<(String, String)>,
    /// Every year a record touches, latest first.
    pub years: Vec<i32>,
    /// Every organisation a record names: (slug, "name (number)"), by label.
    pub organisations: Vec<(String, String)>,
}

/// Whether a filter chooses nothing (every record passes).
fn chooses_nothing(f: &RecordFilter) -> bool {
    f.body.is_empty() && f.form.is_empty() && f.year.is_empty() && f.organisation.is_empty()
}

impl App {
    /// The register page of `chosen`: an unknown filter value is a 400
    /// naming it, not an empty list.
    pub async fn register_index(
        &self,
        register: &RegisterScope,
        chosen: RecordFilter,
    ) -> Result<RegisterIndex> {
        let records = self.records(register, &chosen).await?;
        let all = if chooses_nothing(&chosen) {
            records.clone()
        } else {
            self.records(register, &RecordFilter::default()).await?
        };
        let year = chosen.year.parse::<i32>().ok();
        Ok(RegisterIndex {
            figures: figures_of(&records, year),
            bodies: bodies_of(register),
            years: years_of(&all),
            organisations: organisations_of(&all),
            records,
            chosen,
            year,
        })
    }
}

/// The key figures of `records`, with the money of `year` when one is chosen.
pub fn figures_of(records: &[Record], year: Option<i32>) -> RegisterFigures {
    let mut named: Vec<&str> = records
        .iter()
        .flat_map(|r| r.organisations.iter().map(|o| o.slug.as_str()))
        .collect();
    named.sort_unstable();
    named.dedup();
    RegisterFigures {
        records: records.len(),
        organisations: named.len(),
        money: records
            .iter()
            .map(|r| year.map_or(r.total_sek, |y| r.amount_in(y)))
            .sum(),
    }
}

/// The municipality's city bodies as (slug, name).
pub fn bodies_of(register: &RegisterScope) -> Vec<(String, String)> {
    register
        .refs
        .bodies
        .iter()
        .map(|b| (b.1.clone(), b.2.clone()))
        .collect()
}

/// Every organisation the records name, once, as (slug, "name (number)"),
/// sorted by that label.
pub fn organisations_of(records: &[Record]) -> Vec<(String, String)> {
    let mut organisations: Vec<(String, String)> = Vec::new();
    for o in records.iter().flat_map(|r| &r.organisations) {
        if !organisations.iter().any(|(slug, _)| *slug == o.slug) {
            let label = match &o.org_number {
                Some(n) => format!("{} ({n})", o.name),
                None => o.name.clone(),
            };
            organisations.push((o.slug.clone(), label));
        }
    }
    organisations.sort_by(|x, y| x.1.cmp(&y.1));
    organisations
}

/// The years from the first record's start to the last one's end, latest
/// first.
pub fn years_of(records: &[Record]) -> Vec<i32> {
    let first = records.iter().map(|r| r.starts_on.year()).min();
    let last = records.iter().map(|r| r.ends_on.year()).max();
    match (first, last) {
        (Some(f), Some(l)) => (f..=l).rev().collect(),
        _ => Vec::new(),
    }
}
