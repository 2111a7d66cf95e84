//! The reports' pages as views: the city-wide report with the data of its
//! charts (each heading's share, each year's committees that reported), so
//! the handler only parses, calls and renders.

use crate::register::RegisterScope;
use crate::reports::city_wide::CityReport;
use crate::reports::content::Tally;
use crate::{App, Result};
use serde::Serialize;

/// One heading's share of a tally: of the money, or (when no money was
/// given at all) of the records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Share {
    /// The form, challenge or district (empty for "none").
    pub key: String,
    pub name: String,
    pub records: i64,
    pub amount_sek: i64,
    /// Per cent, 0–100.
    pub percent: u8,
}

/// Each heading's share of `tallies`; headings without records are left out.
pub fn shares(tallies: &[Tally]) -> Vec<Share> {
    let money: i64 = tallies.iter().map(|x| x.amount_sek).sum();
    let records: i64 = tallies.iter().map(|x| x.records).sum();
    tallies
        .iter()
        .filter(|x| x.records > 0)
        .map(|x| {
            let share = if money > 0 {
                x.amount_sek * 100 / money
            } else {
                x.records * 100 / records.max(1)
            };
            Share {
                key: x.key.clone(),
                name: x.name.clone(),
                records: x.records,
                amount_sek: x.amount_sek,
                percent: share.clamp(0, 100) as u8,
            }
        })
        .collect()
}

/// How many committees reported in a year, and their part of those expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct YearShare {
    pub year: i32,
    pub reports: i64,
    /// Per cent of the committees expected now, 0–100.
    pub percent: u8,
}

/// The city-wide report of a year with its charts' data.
pub struct CityView {
    pub report: CityReport,
    /// The committees expected to report (those that did and those that
    /// did not).
    pub expected: usize,
    pub by_form: Vec<Share>,
    pub by_challenge: Vec<Share>,
    pub by_district: Vec<Share>,
    pub years: Vec<YearShare>,
}

impl CityView {
    pub fn of(report: CityReport) -> CityView {
        let expected = report.reports.len() + report.not_reported.len();
        let years = report
            .years
            .iter()
            .map(|y| YearShare {
                year: y.year,
                reports: y.reports,
                percent: (y.reports * 100 / (expected.max(1) as i64)).clamp(0, 100) as u8,
            })
            .collect();
        CityView {
            by_form: shares(&report.figures.by_form),
            by_challenge: shares(&report.figures.by_challenge),
            by_district: shares(&report.figures.by_district),
            years,
            expected,
            report,
        }
    }
}

impl App {
    /// The city-wide report of `year` as its page shows it.
    pub async fn city_view(
        &self,
        agreement: &str,
        register: &RegisterScope,
        year: i32,
    ) -> Result<CityView> {
        Ok(CityView::of(
            self.city_report(agreement, register, year).await?,
        ))
    }
}

/// A committee's report page: where the report stands (read without the
/// year's records, which the page does not show), and the published version
/// asked for (or the latest) with every version.
#[derive(Debug, Clone)]
pub struct ReportPage {
    pub state: crate::reports::ReportState,
    /// The published version shown, if any.
    pub shown: Option<(
        crate::reports::VersionEntry,
        crate::reports::content::ReportContent,
    )>,
    pub versions: Vec<crate::reports::VersionEntry>,
    /// Whether `shown` is the latest version (true when nothing is shown).
    pub latest: bool,
}

impl App {
    /// A committee's report of `year`, with version `number` (or the
    /// latest) of what was published; an unknown version is not found.
    pub async fn report_page(
        &self,
        register: &RegisterScope,
        body: &str,
        (year, number): (i32, Option<i32>),
    ) -> Result<ReportPage> {
        let state = self.report_state(register, body, year).await?;
        let (shown, versions) = match self.published_report(register, body, year, number).await {
            Ok((entry, content, versions)) => (Some((entry, content)), versions),
            Err(crate::Error::NotFound(_)) if number.is_none() => (None, Vec::new()),
            Err(e) => return Err(e),
        };
        let latest = match &shown {
            Some((e, _)) => versions.last().is_some_and(|l| l.number == e.number),
            None => true,
        };
        Ok(ReportPage {
            state,
            shown,
            versions,
            latest,
        })
    }
}
