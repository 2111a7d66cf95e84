//! The overviews of the yearly reports by role: every committee's place
//! per year (coordinators and the public), and the reports a person can act
//! on (an official's own committees; the reports an organisation may
//! contribute to).

use crate::kept::{keep, kept};
use crate::register::{Named, RegisterScope};
use crate::reports::{
    MyReport, OverviewRow, YearOverview, expected_bodies, status_of, year_bounds,
};
use crate::roles::Roles;
use crate::{App, Result};
use samverkan_domain::ReportStatus;
use time::OffsetDateTime;

impl App {
    /// Every year with a deadline or a report, newest first, with each
    /// expected committee's place.
    pub async fn report_overview(&self, register: &RegisterScope) -> Result<Vec<YearOverview>> {
        let today = OffsetDateTime::now_utc().date();
        let reports = self.db().reports(register.agreement_id).await?;
        let deadlines = self.db().deadlines(register.agreement_id).await?;
        let publications = self.db().publications(register.agreement_id, false).await?;
        let contributions = self.db().contribution_counts(register.agreement_id).await?;
        let mut years: Vec<i32> = deadlines
            .iter()
            .map(|d| d.year)
            .chain(reports.iter().map(|r| r.year))
            .collect();
        years.sort_unstable();
        years.dedup();
        years.reverse();
        let mut counts = Vec::with_capacity(years.len());
        for year in &years {
            counts.push(self.record_counts(register, *year).await?);
        }
        let expected: Vec<(i64, Named)> = register
            .refs
            .bodies
            .iter()
            .filter(|b| b.3 == "committee" || b.3 == "executive_board")
            .map(|b| {
                (
                    b.0,
                    Named {
                        slug: b.1.clone(),
                        name: b.2.clone(),
                    },
                )
            })
            .collect();
        Ok(years
            .into_iter()
            .zip(counts)
            .map(|(year, counts)| {
                let due_on = deadlines.iter().find(|d| d.year == year).map(|d| d.due_on);
                let rows: Vec<OverviewRow> = expected
                    .iter()
                    .map(|(id, body)| {
                        let row = reports
                            .iter()
                            .find(|r| r.city_body_id == *id && r.year == year);
                        let status = status_of(row);
                        OverviewRow {
                            body: body.clone(),
                            status,
                            records: counts.iter().find(|c| c.0 == *id).map_or(0, |c| c.1),
                            contributions: row
                                .and_then(|r| contributions.iter().find(|c| c.0 == r.id))
                                .map(|c| c.1)
                                .unwrap_or(0),
                            published_version: row.and_then(|r| {
                                publications
                                    .iter()
                                    .filter(|p| p.report_id == r.id)
                                    .map(|p| p.number)
                                    .max()
                            }),
                            overdue: status.is_open() && due_on.is_some_and(|d| d < today),
                        }
                    })
                    .collect();
                YearOverview {
                    year,
                    due_on,
                    submitted: rows.iter().filter(|r| r.status.is_submitted()).count() as i64,
                    rows,
                }
            })
            .collect())
    }

    /// How many records each city body has that touch `year`, as (city
    /// body id, count): counted in SQL, and kept until the next write.
    async fn record_counts(&self, register: &RegisterScope, year: i32) -> Result<Vec<(i64, i64)>> {
        let stamp = self.change_stamp();
        let counts = &self.inner.figures.counts;
        let key = (register.agreement_id, year);
        if let Some(c) = kept(counts, &key, stamp) {
            return Ok(c);
        }
        let c = (self.db().acquire().await?.conn())
            .record_counts(register.agreement_id, year_bounds(year))
            .await?;
        keep(counts, key, stamp, c.clone());
        Ok(c)
    }

    /// The reports a person can act on: as an official, their committees'
    /// reports not yet published, for every year with a deadline (with the
    /// activities that have no record); as a member of an organisation, the
    /// open reports it may contribute to: where the year's records name it,
    /// or, for a party to the agreement, where the deadline is still ahead.
    pub async fn my_reports(&self, roles: &Roles) -> Result<(Vec<MyReport>, Vec<MyReport>)> {
        let snapshot = self.public().await?;
        let today = snapshot.today;
        let (mut mine, mut open) = (Vec::new(), Vec::new());
        for agreement in &snapshot.agreements {
            let slug = &agreement.summary.slug;
            let municipality = &agreement.summary.municipality.slug;
            let prefix = format!("{municipality}/");
            let is_official = roles.bodies.iter().any(|(key, _)| key.starts_with(&prefix));
            if !is_official && roles.organisations.is_empty() {
                continue;
            }
            let register = self.register_of(slug).await?;
            let deadlines = self.db().deadlines(register.agreement_id).await?;
            if deadlines.is_empty() {
                continue;
            }
            let reports = self.db().reports(register.agreement_id).await?;
            let slugs: Vec<String> = roles.organisations.iter().map(|o| o.slug.clone()).collect();
            let parties = (self.db().acquire().await?.conn())
                .parties_among(register.agreement_id, &slugs)
                .await?;
            for d in deadlines.iter().rev() {
                // Which of the person's organisations each committee's
                // records of the year name, as (city body id, slug).
                let naming = (self.db().acquire().await?.conn())
                    .bodies_naming(register.agreement_id, year_bounds(d.year), &slugs)
                    .await?;
                for body in expected_bodies(&register) {
                    let Some(body_id) = register.body_id(&body.slug) else {
                        continue;
                    };
                    let row = reports
                        .iter()
                        .find(|r| r.city_body_id == body_id && r.year == d.year);
                    let status = status_of(row);
                    let item = |organisation: Option<Named>, missing| MyReport {
                        agreement: slug.clone(),
                        agreement_name: agreement.summary.short_name.clone(),
                        body: body.clone(),
                        year: d.year,
                        status,
                        due_on: Some(d.due_on),
                        overdue: status.is_open() && d.due_on < today,
                        missing,
                        organisation,
                    };
                    if roles.is_official_of(&format!("{prefix}{}", body.slug))
                        && status != ReportStatus::Published
                    {
                        let missing = self.missing_activities(&register, body_id, d.year).await?;
                        mine.push(item(None, missing));
                    }
                    if !status.is_open() {
                        continue;
                    }
                    for o in &roles.organisations {
                        let named = naming.iter().any(|(b, s)| *b == body_id && *s == o.slug);
                        let party = d.due_on >= today && parties.contains(&o.slug);
                        if named || party {
                            open.push(item(
                                Some(Named {
                                    slug: o.slug.clone(),
                                    name: o.name.clone(),
                                }),
                                Vec::new(),
                            ));
                        }
                    }
                }
            }
        }
        Ok((mine, open))
    }
}
