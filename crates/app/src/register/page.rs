//! The register page as a view: the records a filter picks, their key
//! figures, and the choices of the filter (city bodies, years, organisations),
//! computed once here so the page and the API can read the same struct.

use crate::kept::{Stamp, keep, kept};
use crate::register::{Record, RecordFilter, RegisterScope, records_of};
use crate::{App, Result};
use samverkan_db::register::{OrganisationRef, Page, RecordFigures, RecordScope};
use serde::Serialize;
use time::Date;

/// The key figures of the records shown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct RegisterFigures {
    pub records: usize,
    /// Organisations named by at least one of the records.
    pub organisations: usize,
    /// The chosen year's money, or the whole periods' when no year is chosen.
    pub money: i64,
}

/// How many records a page of the register shows.
pub const RECORDS_PER_PAGE: i64 = 50;

/// Up to how many organisations the filter offers as a list; with more,
/// the page asks for an organisation's slug instead.
pub const ORGANISATION_CHOICES: i64 = 300;

/// The agreement's register as its page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct RegisterIndex {
    /// One page of the records that pass the filter, newest first.
    pub records: Vec<Record>,
    /// The page shown (from 1) and how many there are.
    pub page: usize,
    pub pages: usize,
    pub chosen: RecordFilter,
    /// The chosen year, when one is.
    pub year: Option<i32>,
    pub figures: RegisterFigures,
    /// The municipality's city bodies: (slug, name).
    pub bodies: Vec<(String, String)>,
    /// Every year a record touches, latest first.
    pub years: Vec<i32>,
    /// The organisations the records name: (slug, "name (number)"), by
    /// label; empty when there are more than [`ORGANISATION_CHOICES`].
    pub organisations: Vec<(String, String)>,
    /// Whether there were too many organisations to list.
    pub organisations_by_slug: bool,
}

/// A filter of one agreement's register, as the figures are kept by.
pub(crate) type ScopeKey = (
    i64,
    Option<i64>,
    Option<i64>,
    Option<i32>,
    Option<&'static str>,
);

/// What is the same for every filter of an agreement's register: the first
/// start and last end of its records, and the organisations the filter
/// offers (up to one more than [`ORGANISATION_CHOICES`]).
#[derive(Debug, Clone)]
pub(crate) struct Choices {
    span: Option<(Date, Date)>,
    named: Vec<OrganisationRef>,
}

fn scope_key(scope: &RecordScope, year: Option<i32>) -> ScopeKey {
    (
        scope.agreement,
        scope.city_body,
        scope.organisation,
        year,
        scope.form,
    )
}

impl App {
    /// The key figures of `scope` (and `year`), kept until the next write.
    pub(crate) async fn figures_of(
        &self,
        conn: &mut samverkan_db::Conn<'_>,
        (scope, year): (RecordScope, Option<i32>),
        epoch: Stamp,
    ) -> Result<RecordFigures> {
        let cache = &self.inner.figures.figures;
        let key = scope_key(&scope, year);
        if let Some(f) = kept(cache, &key, epoch) {
            return Ok(f);
        }
        let f = conn.record_figures(scope, year).await?;
        keep(cache, key, epoch, f);
        Ok(f)
    }

    /// Page `page` of the register of `chosen`: the records, figures and
    /// filter choices each read in SQL, so the work does not grow with the
    /// register; the figures and choices are kept until the next write
    /// ([`FiguresCache`]). An unknown filter value is a 400 naming it.
    pub async fn register_index(
        &self,
        register: &RegisterScope,
        chosen: RecordFilter,
        page: usize,
    ) -> Result<RegisterIndex> {
        let (scope, year) = self.scope_of(register, &chosen).await?;
        // Read before the records, so what is kept is at least this new.
        let epoch = self.change_stamp();
        let cache = &self.inner.figures;
        let mut tx = self.db().begin_read().await?;
        let mut conn = tx.conn();
        let figures = self.figures_of(&mut conn, (scope, year), epoch).await?;
        let pages = (figures.records.max(1) as usize).div_ceil(RECORDS_PER_PAGE as usize);
        let page = page.clamp(1, pages);
        let shown = Page {
            limit: RECORDS_PER_PAGE,
            offset: (page as i64 - 1) * RECORDS_PER_PAGE,
        };
        let rows = conn.records_page(scope, shown).await?;
        let mut refs = register.refs.clone();
        conn.name_records(&mut refs, &rows).await?;
        let Choices { span, named } = match kept(&cache.choices, &register.agreement_id, epoch) {
            Some(c) => c,
            None => {
                let c = Choices {
                    span: conn.record_span(register.agreement_id).await?,
                    named: (conn)
                        .organisations_in_register(register.agreement_id, ORGANISATION_CHOICES + 1)
                        .await?,
                };
                keep(&cache.choices, register.agreement_id, epoch, c.clone());
                c
            }
        };
        tx.commit().await?;
        let organisations_by_slug = named.len() as i64 > ORGANISATION_CHOICES;
        Ok(RegisterIndex {
            figures: RegisterFigures {
                records: figures.records as usize,
                organisations: figures.organisations as usize,
                money: figures.money,
            },
            bodies: bodies_of(register),
            years: span.map_or_else(Vec::new, |(f, l)| (f.year()..=l.year()).rev().collect()),
            organisations: if organisations_by_slug {
                Vec::new()
            } else {
                named.iter().map(label_of).collect()
            },
            organisations_by_slug,
            records: records_of(rows, &refs),
            page,
            pages,
            chosen,
            year,
        })
    }
}

/// An organisation as the filter lists it: (slug, "name (number)").
fn label_of(o: &(i64, String, String, Option<String>)) -> (String, String) {
    let label = match &o.3 {
        Some(n) => format!("{} ({n})", o.2),
        None => o.2.clone(),
    };
    (o.1.clone(), label)
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
