//! The committees' yearly reports: written by a committee's officials from
//! the year's records, with the sector's contributions; not started → draft
//! → submitted → approved by the committee → published. A published
//! version is frozen; a correction is a new version with a reason. Also the
//! deadlines, the overviews per role, the reminders and the city-wide report.

pub mod city_wide;
pub mod content;
pub mod overviews;
pub mod pages;
mod reminders;

use crate::accounts::CurrentUser;
use crate::plans::activities::parse_date;
use crate::register::{Named, Record, RecordFilter, RegisterScope};
use crate::reports::city_wide::{CityReport, Publication};
use crate::reports::content::{Contribution, Figures, Reflection, ReportContent, ReportRecord};
use crate::roles::Roles;
use crate::{App, Error, FieldError, Message, Result};
use samverkan_db::reports::{ContributionRow, NewContribution, ReflectionRow, ReportRow};
use samverkan_domain::{ReportStatus, plan::parse_year};
use serde::Serialize;
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;

/// Reminders go out this many days before the deadline, and once more
/// the day after it has passed.
pub const REMIND_DAYS_BEFORE: i64 = 14;
/// Overdue reminders stop this long after the deadline.
pub const REMIND_OVERDUE_FOR_DAYS: i64 = 30;

/// A published version, as listed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VersionEntry {
    pub number: i32,
    #[serde(with = "time::serde::rfc3339")]
    pub published_at: OffsetDateTime,
    /// Why it replaced the one before (corrections only).
    pub reason: Option<String>,
}

/// A contribution as the committee sees it while the report is open.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WorkingContribution {
    pub party: String,
    pub author: String,
    pub written_on: Date,
    pub body: String,
}

/// A committee's report of a year as it stands: the document (live from
/// the records while it is being written), its status and its versions.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CommitteeReport {
    pub status: ReportStatus,
    pub due_on: Option<Date>,
    /// The version an edit must name.
    pub version: i64,
    pub correction_reason: Option<String>,
    pub content: ReportContent,
    pub working_contributions: Vec<WorkingContribution>,
    pub versions: Vec<VersionEntry>,
    /// Plan activities the committee takes part in that ran during the
    /// year but have no record.
    pub missing: Vec<crate::register::RecordActivity>,
}

impl CommitteeReport {
    pub fn is_open(&self) -> bool {
        self.status.is_open()
    }

    /// Whether the deadline has passed and the report is not handed in.
    pub fn is_overdue(&self, today: Date) -> bool {
        self.status.is_open() && self.due_on.is_some_and(|d| d < today)
    }
}

/// The sections and reflections as typed.
#[derive(Debug, Clone, Default, serde::Deserialize, ToSchema)]
#[serde(default)]
pub struct ReportForm {
    pub went_well: String,
    pub went_badly: String,
    pub next_year: String,
    /// (principle slug, text)
    pub reflections: Vec<(String, String)>,
    pub version: String,
}

/// The committee's decision on a submitted report, as typed.
#[derive(Debug, Clone, Default, serde::Deserialize, ToSchema)]
#[serde(default)]
pub struct ApprovalForm {
    /// `YYYY-MM-DD`
    pub approved_on: String,
    pub decision_reference: String,
}

/// A contribution as typed.
#[derive(Debug, Clone, Default, serde::Deserialize, ToSchema)]
#[serde(default)]
pub struct ContributionForm {
    /// The organisation's slug written for.
    pub organisation: String,
    pub body: String,
}

/// One committee's place in the year's overview.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OverviewRow {
    pub body: Named,
    pub status: ReportStatus,
    pub records: i64,
    pub contributions: i64,
    /// The latest published version, if any.
    pub published_version: Option<i32>,
    pub overdue: bool,
}

/// Every expected committee's report of one year.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct YearOverview {
    pub year: i32,
    pub due_on: Option<Date>,
    pub rows: Vec<OverviewRow>,
    /// How many have handed in (submitted, approved or published).
    pub submitted: i64,
}

/// A report a person can act on, for their own page.
#[derive(Debug, Clone, Serialize)]
pub struct MyReport {
    pub agreement: String,
    pub agreement_name: String,
    pub body: Named,
    pub year: i32,
    pub status: ReportStatus,
    pub due_on: Option<Date>,
    pub overdue: bool,
    /// For officials: activities without a record.
    pub missing: Vec<crate::register::RecordActivity>,
    /// For organisations: the organisation that may contribute.
    pub organisation: Option<Named>,
}

fn problem(field: &'static str, code: &'static str, message: impl Into<String>) -> FieldError {
    FieldError::new(field, code, message)
}

pub(crate) fn clean(text: &str, field: &'static str, errors: &mut Vec<FieldError>) -> String {
    let text = text.trim().replace("\r\n", "\n");
    if text.chars().count() > 8000 {
        errors.push(problem(
            field,
            "report-section-long",
            "keep each section to at most 8,000 characters",
        ));
    }
    text
}

/// The committees expected to report: the municipality's committees and
/// its executive board.
pub fn expected_bodies(register: &RegisterScope) -> Vec<Named> {
    register
        .refs
        .bodies
        .iter()
        .filter(|b| b.3 == "committee" || b.3 == "executive_board")
        .map(|b| Named {
            slug: b.1.clone(),
            name: b.2.clone(),
        })
        .collect()
}

pub(crate) fn status_of(row: Option<&ReportRow>) -> ReportStatus {
    row.and_then(|r| ReportStatus::parse(&r.status).ok())
        .unwrap_or(ReportStatus::NotStarted)
}

pub(crate) fn year_bounds(year: i32) -> (Date, Date) {
    (
        Date::from_calendar_date(year, time::Month::January, 1).unwrap_or(Date::MIN),
        Date::from_calendar_date(year, time::Month::December, 31).unwrap_or(Date::MAX),
    )
}

/// A committee's report of one year, as the steps of it name it: the
/// municipality whose officials keep the committee (`municipality/body` in
/// [`Roles::bodies`]), the agreement (its slug and its register), the
/// committee's slug and the year.
#[derive(Clone, Copy)]
pub struct CommitteeYear<'a> {
    pub municipality: &'a str,
    pub agreement: &'a str,
    pub register: &'a RegisterScope,
    pub body: &'a str,
    pub year: i32,
}

/// What is stored of a committee's report of a year, as read: the year's
/// records, the report's row (sections and decision), its reflections and
/// its contributions.
#[derive(Clone, Copy)]
pub(crate) struct StoredReport<'a> {
    pub records: &'a [Record],
    pub row: Option<&'a ReportRow>,
    pub reflections: &'a [ReflectionRow],
    pub contributions: &'a [ContributionRow],
}

/// The document of a committee's report of a year, built from what is
/// stored (the figures computed from the year's records, never typed).
/// Pure, so that [`App::committee_report`] (reading through the pool) and
/// the demonstration loader (reading inside its transaction) build the same
/// document from the same rows.
pub(crate) fn build_content(
    agreement: &str,
    register: &RegisterScope,
    body: Named,
    year: i32,
    stored: StoredReport<'_>,
) -> ReportContent {
    let StoredReport {
        records,
        row,
        reflections,
        contributions,
    } = stored;
    let report_records: Vec<ReportRecord> =
        records.iter().map(|r| ReportRecord::of(r, year)).collect();
    ReportContent {
        agreement: agreement.to_owned(),
        body,
        year,
        figures: Figures::of(&report_records),
        records: report_records,
        went_well: row.map(|r| r.went_well.clone()).unwrap_or_default(),
        went_badly: row.map(|r| r.went_badly.clone()).unwrap_or_default(),
        next_year: row.map(|r| r.next_year.clone()).unwrap_or_default(),
        reflections: register
            .refs
            .principles
            .iter()
            .map(|p| Reflection {
                principle: Named {
                    slug: p.1.clone(),
                    name: p.2.clone(),
                },
                body: reflections
                    .iter()
                    .find(|r| r.principle_id == p.0)
                    .map(|r| r.body.clone())
                    .unwrap_or_default(),
            })
            .collect(),
        contributions: contributions
            .iter()
            .map(|c| Contribution {
                party: c.party_name.clone(),
                organisation: c.organisation_id.and_then(|id| {
                    register
                        .refs
                        .organisations
                        .iter()
                        .find(|o| o.0 == id)
                        .map(|o| o.1.clone())
                }),
                written_on: c.created_at.date(),
                body: c.body.clone(),
            })
            .collect(),
        approved_on: row.and_then(|r| r.approved_on),
        decision_reference: row.and_then(|r| r.decision_reference.clone()),
    }
}

/// What keeps a draft from being handed in: every section and every
/// principle's reflection must be written; the problems name what is
/// missing.
pub(crate) fn submit_problems(c: &ReportContent) -> Vec<FieldError> {
    let mut errors = Vec::new();
    for (field, text, code) in [
        ("went_well", &c.went_well, "report-went-well-empty"),
        ("went_badly", &c.went_badly, "report-went-badly-empty"),
        ("next_year", &c.next_year, "report-next-year-empty"),
    ] {
        if text.trim().is_empty() {
            errors.push(problem(
                field,
                code,
                format!("write the section '{field}' before you submit"),
            ));
        }
    }
    for r in &c.reflections {
        if r.body.trim().is_empty() {
            let mut e = problem(
                "reflections",
                "report-reflection-empty",
                format!(
                    "write a reflection on the principle '{}' before you submit",
                    r.principle.name
                ),
            );
            e.detail = Some(r.principle.name.clone());
            errors.push(e);
        }
    }
    errors
}

/// Where a committee's report of a year stands, without its document: what
/// its public page needs besides the published version.
#[derive(Debug, Clone)]
pub struct ReportState {
    pub body: Named,
    pub status: ReportStatus,
    pub due_on: Option<Date>,
}

impl ReportState {
    /// Whether the report takes contributions: open, and its year opened
    /// by a deadline.
    pub fn takes_contributions(&self) -> bool {
        self.status.is_open() && self.due_on.is_some()
    }
}

impl App {
    /// The plan activities the committee takes part in that ran during the
    /// year (and were not cancelled) but that none of its records of the
    /// year names, found in SQL.
    pub(crate) async fn missing_activities(
        &self,
        register: &RegisterScope,
        body_id: i64,
        year: i32,
    ) -> Result<Vec<crate::register::RecordActivity>> {
        let rows = (self.db().acquire().await?.conn())
            .activities_without_record(register.agreement_id, body_id, year_bounds(year))
            .await?;
        Ok(rows
            .into_iter()
            .map(|a| crate::register::RecordActivity {
                plan: a.plan_slug,
                slug: a.slug,
                title: a.title,
            })
            .collect())
    }

    /// `register` with the organisations of these ids added (and only
    /// those).
    async fn with_organisations(
        &self,
        register: &RegisterScope,
        ids: &[i64],
    ) -> Result<RegisterScope> {
        let mut refs = register.refs.clone();
        if !ids.is_empty() {
            let found = (self.db().acquire().await?.conn())
                .organisations_with_ids(ids)
                .await?;
            refs.add_organisations(found);
        }
        Ok(RegisterScope {
            agreement_id: register.agreement_id,
            refs,
        })
    }

    /// Where a committee's report of a year stands: its status and
    /// deadline, read without the year's records.
    pub async fn report_state(
        &self,
        register: &RegisterScope,
        body: &str,
        year: i32,
    ) -> Result<ReportState> {
        let (body_id, body) = self.body_named(register, body)?;
        let mut tx = self.db().begin_read().await?;
        let row = tx.report_row(register.agreement_id, body_id, year).await?;
        tx.commit().await?;
        let due_on = (self.db().deadlines(register.agreement_id).await?)
            .into_iter()
            .find(|d| d.year == year)
            .map(|d| d.due_on);
        Ok(ReportState {
            body,
            status: status_of(row.as_ref()),
            due_on,
        })
    }

    fn body_named(&self, register: &RegisterScope, body: &str) -> Result<(i64, Named)> {
        register
            .refs
            .bodies
            .iter()
            .find(|b| b.1 == body)
            .map(|b| {
                (
                    b.0,
                    Named {
                        slug: b.1.clone(),
                        name: b.2.clone(),
                    },
                )
            })
            .ok_or(Error::NotFound("city body"))
    }

    /// The records of a committee that touch the year.
    async fn records_of_year(
        &self,
        register: &RegisterScope,
        body: &str,
        year: i32,
    ) -> Result<Vec<Record>> {
        self.records(
            register,
            &RecordFilter {
                body: body.to_owned(),
                year: year.to_string(),
                ..RecordFilter::default()
            },
        )
        .await
    }

    /// A committee's report of a year, as it stands.
    pub async fn committee_report(
        &self,
        agreement: &str,
        register: &RegisterScope,
        body: &str,
        year: i32,
    ) -> Result<CommitteeReport> {
        let (body_id, body_named) = self.body_named(register, body)?;
        let rows = self.db().reports(register.agreement_id).await?;
        let row = rows
            .iter()
            .find(|r| r.city_body_id == body_id && r.year == year);
        let records = self.records_of_year(register, body, year).await?;
        let (reflections, contributions) = match row {
            Some(r) => self.db().report_texts(r.id).await?,
            None => (Vec::new(), Vec::new()),
        };
        let deadline = self
            .db()
            .deadlines(register.agreement_id)
            .await?
            .into_iter()
            .find(|d| d.year == year)
            .map(|d| d.due_on);
        let versions = match row {
            Some(_) => self
                .db()
                .report_versions(register.agreement_id, body_id, year)
                .await?
                .into_iter()
                .map(|p| VersionEntry {
                    number: p.number,
                    published_at: p.published_at,
                    reason: p.reason,
                })
                .collect(),
            None => Vec::new(),
        };
        let missing = self.missing_activities(register, body_id, year).await?;
        let ids: Vec<i64> = contributions
            .iter()
            .filter_map(|c| c.organisation_id)
            .collect();
        let named = self.with_organisations(register, &ids).await?;
        let content = build_content(
            agreement,
            &named,
            body_named,
            year,
            StoredReport {
                records: &records,
                row,
                reflections: &reflections,
                contributions: &contributions,
            },
        );
        Ok(CommitteeReport {
            status: status_of(row),
            due_on: deadline,
            version: row.map(|r| r.version).unwrap_or(0),
            correction_reason: row.and_then(|r| r.correction_reason.clone()),
            working_contributions: contributions
                .into_iter()
                .map(|c| WorkingContribution {
                    party: c.party_name,
                    author: c.author_name,
                    written_on: c.created_at.date(),
                    body: c.body,
                })
                .collect(),
            content,
            versions,
            missing,
        })
    }

    /// A published version of a committee's report (the latest when
    /// `number` is `None`), as frozen.
    pub async fn published_report(
        &self,
        register: &RegisterScope,
        body: &str,
        year: i32,
        number: Option<i32>,
    ) -> Result<(VersionEntry, ReportContent, Vec<VersionEntry>)> {
        let (body_id, _) = self.body_named(register, body)?;
        let all = self
            .db()
            .report_versions(register.agreement_id, body_id, year)
            .await?;
        let chosen = match number {
            Some(n) => all.iter().find(|p| p.number == n),
            None => all.last(),
        }
        .ok_or(Error::NotFound("published report"))?;
        let content = ReportContent::clone(&*self.document(chosen.report_id, chosen.number).await?);
        let entry = |p: &samverkan_db::reports::PublicationRow| VersionEntry {
            number: p.number,
            published_at: p.published_at,
            reason: p.reason.clone(),
        };
        Ok((entry(chosen), content, all.iter().map(entry).collect()))
    }

    /// Refuses anyone who is not an official of the committee.
    fn check_keeper(roles: &Roles, at: &CommitteeYear<'_>) -> Result<()> {
        if roles.is_official_of(&format!("{}/{}", at.municipality, at.body)) {
            Ok(())
        } else {
            Err(Error::Forbidden("report"))
        }
    }

    /// Saves the sections and reflections of an open report (made a draft).
    pub async fn save_report(
        &self,
        roles: &Roles,
        at: CommitteeYear<'_>,
        form: &ReportForm,
    ) -> Result<()> {
        Self::check_keeper(roles, &at)?;
        let CommitteeYear {
            register,
            body,
            year,
            ..
        } = at;
        let (body_id, _) = self.body_named(register, body)?;
        let mut errors = Vec::new();
        let sections = [
            clean(&form.went_well, "went_well", &mut errors),
            clean(&form.went_badly, "went_badly", &mut errors),
            clean(&form.next_year, "next_year", &mut errors),
        ];
        let mut reflections = Vec::new();
        for (slug, text) in &form.reflections {
            let Some(p) = register.refs.principles.iter().find(|p| &p.1 == slug) else {
                return Err(Error::BadRequest(
                    Message::new(
                        "principle-unknown",
                        format!("'{slug}' is not a principle of this agreement"),
                    )
                    .arg("value", slug.as_str()),
                ));
            };
            reflections.push((p.0, clean(text, "reflections", &mut errors)));
        }
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let version: i64 = form.version.trim().parse().unwrap_or(0);
        let now = OffsetDateTime::now_utc();
        let mut tx = self.db().begin().await?;
        let row = tx
            .ensure_report(register.agreement_id, body_id, year, now)
            .await?;
        if !status_of(Some(&row)).is_open() {
            return Err(Error::conflict(
                "report-handed-in",
                "this report has been handed in; reopen it before you change it",
            ));
        }
        // A report nobody had started yet has version 1 and no form version.
        let version = if version == 0 && row.status == "not-started" {
            row.version
        } else {
            version
        };
        if !tx
            .save_report_sections(
                row.id,
                version,
                [&sections[0], &sections[1], &sections[2]],
                now,
            )
            .await?
        {
            return Err(Error::stale(
                "report-stale",
                "someone saved this report after you opened it",
            ));
        }
        for (principle, text) in &reflections {
            tx.set_reflection(row.id, *principle, text).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn report_row(
        &self,
        register: &RegisterScope,
        body: &str,
        year: i32,
    ) -> Result<ReportRow> {
        let (body_id, _) = self.body_named(register, body)?;
        let mut tx = self.db().begin().await?;
        let row = tx
            .report_row(register.agreement_id, body_id, year)
            .await?
            .ok_or(Error::conflict(
                "report-not-started",
                "this report has not been started",
            ))?;
        tx.commit().await?;
        Ok(row)
    }

    /// Hands a draft in: every section and every principle's reflection
    /// must be written; the problems name what is missing.
    pub async fn submit_report(&self, roles: &Roles, at: CommitteeYear<'_>) -> Result<()> {
        Self::check_keeper(roles, &at)?;
        let CommitteeYear {
            agreement,
            register,
            body,
            year,
            ..
        } = at;
        let report = self
            .committee_report(agreement, register, body, year)
            .await?;
        if report.status != ReportStatus::Draft {
            return Err(Error::conflict(
                "report-submit-not-draft",
                "only a draft can be submitted; write and save the report first",
            ));
        }
        let errors = submit_problems(&report.content);
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        self.move_report(
            register,
            body,
            year,
            ReportStatus::Draft,
            ReportStatus::Submitted,
        )
        .await
    }

    async fn move_report(
        &self,
        register: &RegisterScope,
        body: &str,
        year: i32,
        from: ReportStatus,
        to: ReportStatus,
    ) -> Result<()> {
        let row = self.report_row(register, body, year).await?;
        let mut tx = self.db().begin().await?;
        if !tx
            .move_report(
                row.id,
                from.as_str(),
                to.as_str(),
                OffsetDateTime::now_utc(),
            )
            .await?
        {
            return Err(Error::Conflict(
                Message::new(
                    "report-moved",
                    format!(
                        "the report is not {} any more; it may have been moved by someone else",
                        from.as_str()
                    ),
                )
                .arg("status", from.as_str()),
            ));
        }
        tx.commit().await?;
        Ok(())
    }

    /// Takes a submitted report back to draft (the committee sent it back).
    pub async fn reopen_report(&self, roles: &Roles, at: CommitteeYear<'_>) -> Result<()> {
        Self::check_keeper(roles, &at)?;
        self.move_report(
            at.register,
            at.body,
            at.year,
            ReportStatus::Submitted,
            ReportStatus::Draft,
        )
        .await
    }

    /// Records the committee's decision (date and reference).
    pub async fn approve_report(
        &self,
        roles: &Roles,
        at: CommitteeYear<'_>,
        form: &ApprovalForm,
    ) -> Result<()> {
        Self::check_keeper(roles, &at)?;
        let CommitteeYear {
            register,
            body,
            year,
            ..
        } = at;
        let today = OffsetDateTime::now_utc().date();
        let mut errors = Vec::new();
        let date = parse_date(&form.approved_on);
        match date {
            None => errors.push(problem(
                "approved_on",
                "report-approved-date",
                "give the date of the committee's decision, as 2024-03-31",
            )),
            Some(d) if d > today || d.year() < year => errors.push(problem(
                "approved_on",
                "report-approved-when",
                "the decision must be taken after the year began and not in the future",
            )),
            _ => {}
        }
        let reference = form.decision_reference.trim();
        if reference.is_empty() || reference.chars().count() > 100 {
            errors.push(problem(
                "decision_reference",
                "report-reference",
                "give the decision's reference (diarienummer or paragraph), at most 100 characters",
            ));
        }
        let (Some(date), true) = (date, errors.is_empty()) else {
            return Err(Error::Validation(errors));
        };
        let row = self.report_row(register, body, year).await?;
        let mut tx = self.db().begin().await?;
        if !tx
            .approve_report(row.id, date, reference, OffsetDateTime::now_utc())
            .await?
        {
            return Err(Error::conflict(
                "report-approve-not-submitted",
                "only a submitted report can be approved",
            ));
        }
        tx.commit().await?;
        Ok(())
    }

    /// Publishes an approved report: freezes its document as a new version.
    pub async fn publish_report(
        &self,
        user: &CurrentUser,
        roles: &Roles,
        at: CommitteeYear<'_>,
    ) -> Result<i32> {
        Self::check_keeper(roles, &at)?;
        let CommitteeYear {
            agreement,
            register,
            body,
            year,
            ..
        } = at;
        let report = self
            .committee_report(agreement, register, body, year)
            .await?;
        let row = self.report_row(register, body, year).await?;
        let content = serde_json::to_string(&report.content)
            .map_err(|e| Error::internal("report document", e))?;
        let now = OffsetDateTime::now_utc();
        let mut tx = self.db().begin().await?;
        if !tx.move_report(row.id, "approved", "published", now).await? {
            return Err(Error::conflict(
                "report-publish-not-approved",
                "only an approved report can be published; record the committee's decision first",
            ));
        }
        let reason = if report.versions.is_empty() {
            None
        } else {
            report.correction_reason.as_deref()
        };
        let number = tx
            .insert_publication(row.id, &user.display_name, reason, &content, now)
            .await?;
        tx.commit().await?;
        Ok(number)
    }

    /// Opens a published report for a correction, which will be published
    /// as a new version with this reason; the published versions stay.
    pub async fn correct_report(
        &self,
        roles: &Roles,
        at: CommitteeYear<'_>,
        reason: &str,
    ) -> Result<()> {
        Self::check_keeper(roles, &at)?;
        let CommitteeYear {
            register,
            body,
            year,
            ..
        } = at;
        let reason = reason.trim();
        if reason.is_empty() || reason.chars().count() > 1000 {
            return Err(Error::Validation(vec![problem(
                "reason",
                "report-correction-reason",
                "say what is corrected and why, in at most 1,000 characters",
            )]));
        }
        let row = self.report_row(register, body, year).await?;
        let mut tx = self.db().begin().await?;
        if !tx
            .start_correction(row.id, reason, OffsetDateTime::now_utc())
            .await?
        {
            return Err(Error::conflict(
                "report-correct-not-published",
                "only a published report can be corrected",
            ));
        }
        tx.commit().await?;
        Ok(())
    }

    /// The organisations a person may contribute for to a committee's
    /// report: those they belong to that the committee's records of the
    /// year name or that are parties to the agreement (both asked in SQL,
    /// for the person's organisations only).
    pub async fn contributors(
        &self,
        roles: &Roles,
        register: &RegisterScope,
        body: &str,
        year: i32,
    ) -> Result<Vec<Named>> {
        let (body_id, _) = self.body_named(register, body)?;
        let slugs: Vec<String> = roles.organisations.iter().map(|o| o.slug.clone()).collect();
        if slugs.is_empty() {
            return Ok(Vec::new());
        }
        let mut conn = self.db().acquire().await?;
        let mut conn = conn.conn();
        let named = conn
            .bodies_naming(register.agreement_id, year_bounds(year), &slugs)
            .await?;
        let parties = conn.parties_among(register.agreement_id, &slugs).await?;
        Ok(roles
            .organisations
            .iter()
            .filter(|o| {
                named.iter().any(|(b, s)| *b == body_id && *s == o.slug)
                    || parties.contains(&o.slug)
            })
            .map(|o| Named {
                slug: o.slug.clone(),
                name: o.name.clone(),
            })
            .collect())
    }

    /// Adds a contribution to an open report of a year whose reporting has
    /// opened (a deadline is set).
    pub async fn contribute(
        &self,
        user: &CurrentUser,
        roles: &Roles,
        at: CommitteeYear<'_>,
        form: &ContributionForm,
    ) -> Result<()> {
        let CommitteeYear {
            register,
            body,
            year,
            ..
        } = at;
        // What was typed is checked before who may send it, so an empty
        // form is 422 for everyone (as the other object-checked forms are).
        let text = form.body.trim().replace("\r\n", "\n");
        if text.is_empty() || text.chars().count() > 4000 {
            return Err(Error::Validation(vec![problem(
                "body",
                "contribution-body",
                "write your contribution, in at most 4,000 characters",
            )]));
        }
        let report = self.report_state(register, body, year).await?;
        let org = self
            .contributors(roles, register, body, year)
            .await?
            .into_iter()
            .find(|o| o.slug == form.organisation.trim())
            .ok_or(Error::Forbidden("contribution"))?;
        if report.due_on.is_none() {
            return Err(Error::Conflict(Message::new("reports-not-open", format!(
                "the reports for {year} are not open yet; the coordinators open them by setting a deadline"
            )).arg("year", year.to_string())));
        }
        let (body_id, _) = self.body_named(register, body)?;
        let org_id = Some(self.organisation_id_of(&org.slug).await?);
        let now = OffsetDateTime::now_utc();
        let mut tx = self.db().begin().await?;
        let row = tx
            .ensure_report(register.agreement_id, body_id, year, now)
            .await?;
        // Checked again inside the transaction: the report may have been
        // handed in since the page was read.
        if !status_of(Some(&row)).is_open() {
            return Err(Error::conflict(
                "contribution-closed",
                "this report has been handed in and takes no more contributions",
            ));
        }
        tx.insert_contribution(&NewContribution {
            report_id: row.id,
            organisation_id: org_id,
            party_name: &org.name,
            author_id: Some(user.id),
            author_name: &user.display_name,
            body: &text,
            created_at: now,
        })
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sets the deadline of a year's reports (coordinators).
    pub async fn set_deadline(
        &self,
        roles: &Roles,
        agreement: &str,
        register: &RegisterScope,
        year: &str,
        due_on: &str,
    ) -> Result<()> {
        if !roles.coordinates(agreement) {
            return Err(Error::Forbidden("deadline"));
        }
        let mut errors = Vec::new();
        let year = match parse_year(year) {
            Ok(y) => Some(y),
            Err(e) => {
                errors.push(problem("year", "deadline-year", e.0));
                None
            }
        };
        let due = parse_date(due_on);
        match (year, due) {
            (_, None) => errors.push(problem(
                "due_on",
                "deadline-date",
                "give the deadline as a date, such as 2025-03-31",
            )),
            (Some(y), Some(d)) if d.year() <= y => errors.push(problem(
                "due_on",
                "deadline-after-year",
                "a year's report can only be due after the year has ended",
            )),
            _ => {}
        }
        let (Some(year), Some(due), true) = (year, due, errors.is_empty()) else {
            return Err(Error::Validation(errors));
        };
        let mut tx = self.db().begin().await?;
        tx.set_deadline(register.agreement_id, year, due).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A published version's document, parsed once and then kept (a
    /// published version never changes), up to [`crate::DOCUMENTS_KEPT`].
    async fn document(&self, report_id: i64, number: i32) -> Result<std::sync::Arc<ReportContent>> {
        if let Some(doc) = self
            .inner
            .documents
            .lock()
            .expect("documents lock")
            .get(&(report_id, number))
        {
            return Ok(doc.clone());
        }
        let text = self
            .db()
            .publication_content(report_id, number)
            .await?
            .ok_or(Error::NotFound("published report"))?;
        let doc: std::sync::Arc<ReportContent> = std::sync::Arc::new(
            serde_json::from_str(&text).map_err(|e| Error::internal("stored report", e))?,
        );
        let mut documents = self.inner.documents.lock().expect("documents lock");
        // Bounded: when full, start again (a document is read again at the
        // cost of one query; a city has a few hundred reports a year).
        if documents.len() >= crate::DOCUMENTS_KEPT {
            documents.clear();
        }
        documents.insert((report_id, number), doc.clone());
        Ok(doc)
    }

    /// The city-wide report of a year, from the published documents.
    pub async fn city_report(
        &self,
        agreement: &str,
        register: &RegisterScope,
        year: i32,
    ) -> Result<CityReport> {
        // The latest version of each report; documents already parsed are
        // taken from memory, the rest are read and parsed once.
        let db = self.db();
        let mut rows = db.latest_publications(register.agreement_id, false).await?;
        let cached = |rows: &[samverkan_db::reports::PublicationRow]| {
            let documents = self.inner.documents.lock().expect("documents lock");
            rows.iter()
                .map(|p| documents.get(&(p.report_id, p.number)).cloned())
                .collect::<Vec<_>>()
        };
        let mut found = cached(&rows);
        if found.iter().any(Option::is_none) {
            rows = db.latest_publications(register.agreement_id, true).await?;
            found = cached(&rows);
            let mut documents = self.inner.documents.lock().expect("documents lock");
            for (p, doc) in rows.iter().zip(found.iter_mut()) {
                if doc.is_none() {
                    let content: ReportContent = serde_json::from_str(&p.content)
                        .map_err(|e| Error::internal("stored report", e))?;
                    let content = std::sync::Arc::new(content);
                    documents.insert((p.report_id, p.number), content.clone());
                    *doc = Some(content);
                }
            }
        }
        let publications: Vec<Publication> = rows
            .iter()
            .zip(found)
            .filter_map(|(p, doc)| {
                Some(Publication {
                    version: p.number,
                    published_at: p.published_at,
                    content: doc?,
                })
            })
            .collect();
        Ok(CityReport::build(
            agreement,
            year,
            &expected_bodies(register),
            &publications,
        ))
    }
}
