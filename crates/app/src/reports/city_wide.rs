//! The city-wide report of a year: every committee's latest published
//! report rolled up (totals by form, challenge, principle and district),
//! the committees that have not reported, and the same figures for every
//! year with published reports, to compare. Built from the frozen documents
//! only, so what it says cannot change without a new published version.

use crate::register::Named;
use crate::reports::content::{Figures, ReportContent};
use serde::Serialize;
use std::collections::BTreeMap;
use time::OffsetDateTime;
use utoipa::ToSchema;

/// A published committee report counted in the roll-up.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublishedReport {
    pub body: Named,
    /// The version counted (the latest).
    pub version: i32,
    #[serde(with = "time::serde::rfc3339")]
    pub published_at: OffsetDateTime,
    pub records: i64,
    pub amount_sek: i64,
    pub contributions: i64,
}

/// One year's totals, for the comparison across years.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct YearTotals {
    pub year: i32,
    pub reports: i64,
    pub records: i64,
    pub organisations: i64,
    pub amount_sek: i64,
    pub contributions: i64,
}

/// The city-wide report of one year.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CityReport {
    pub agreement: String,
    pub year: i32,
    pub reports: Vec<PublishedReport>,
    /// Committees expected to report that have no published report.
    pub not_reported: Vec<Named>,
    pub figures: Figures,
    pub contributions: i64,
    /// Every year with a published report, oldest first.
    pub years: Vec<YearTotals>,
}

/// A published version: its number, when, and the frozen document.
pub struct Publication {
    pub version: i32,
    pub published_at: OffsetDateTime,
    pub content: std::sync::Arc<ReportContent>,
}

impl CityReport {
    /// Rolls up the latest version of each committee's report. `expected`
    /// are the committees that should report; `publications` may hold
    /// every version of every year (the latest of each counts).
    pub fn build(
        agreement: &str,
        year: i32,
        expected: &[Named],
        publications: &[Publication],
    ) -> CityReport {
        // The latest version per (year, committee).
        let mut latest: BTreeMap<(i32, &str), &Publication> = BTreeMap::new();
        for p in publications {
            let key = (p.content.year, p.content.body.slug.as_str());
            if latest.get(&key).is_none_or(|q| q.version < p.version) {
                latest.insert(key, p);
            }
        }
        let mut years: BTreeMap<i32, Vec<&Publication>> = BTreeMap::new();
        for ((y, _), p) in &latest {
            years.entry(*y).or_default().push(p);
        }
        let this_year = years.get(&year).cloned().unwrap_or_default();
        let figures = Figures::of(this_year.iter().flat_map(|p| &p.content.records));
        let reports: Vec<PublishedReport> = this_year
            .iter()
            .map(|p| PublishedReport {
                body: p.content.body.clone(),
                version: p.version,
                published_at: p.published_at,
                records: p.content.figures.records,
                amount_sek: p.content.figures.amount_sek,
                contributions: p.content.contributions.len() as i64,
            })
            .collect();
        let not_reported = expected
            .iter()
            .filter(|b| !reports.iter().any(|r| r.body.slug == b.slug))
            .cloned()
            .collect();
        let years = years
            .iter()
            .map(|(y, ps)| {
                let f = Figures::of(ps.iter().flat_map(|p| &p.content.records));
                YearTotals {
                    year: *y,
                    reports: ps.len() as i64,
                    records: f.records,
                    organisations: f.organisations,
                    amount_sek: f.amount_sek,
                    contributions: ps
                        .iter()
                        .map(|p| p.content.contributions.len() as i64)
                        .sum(),
                }
            })
            .collect();
        CityReport {
            agreement: agreement.to_owned(),
            year,
            contributions: reports.iter().map(|r| r.contributions).sum(),
            reports,
            not_reported,
            figures,
            years,
        }
    }
}
