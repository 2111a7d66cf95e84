//! Demonstration data of the collaboration register and the committees'
//! yearly reports (`demo/*-register.toml`): the reporting deadlines, the
//! records, and the reports with their sections, reflections, the sector's
//! contributions, the committees' decisions and the published versions.
//!
//! Records go through the one check ([`register::check`]), as the form, the
//! API and the CSV import do. Reports are moved through the workflow's own
//! steps (`Tx::save_report_sections`, `move_report`, `approve_report`,
//! `start_correction`, `insert_publication`), held to the rules of the use
//! cases (the sections and reflections a report needs before it is handed
//! in, the decision it needs before it is published), and the loader only
//! adds what a form cannot give: dates in the past.
//!
//! **Why inside the demo's transaction.** A published version must be the
//! document the app would have frozen. [`reports::build_content`] builds it,
//! the same pure function [`App::committee_report`](crate::App) uses; the
//! loader feeds it rows read through the transaction (`Tx::register_refs`,
//! `Tx::records`, `Tx::report_row`, `Tx::report_texts`, the same queries
//! as the pool's), so it sees what it has just written. The alternative, a
//! second transaction after the main one commits, would not help (the rows
//! of the reports would still be uncommitted while they are frozen) and
//! would break "all of the demo or nothing": a failure there would leave
//! agreements without their register, and the next start would skip the
//! load because an agreement exists.

use crate::demo::{DemoReport, LoadedIds};
use crate::register::{self, Named, RecordForm, RegisterScope};
use crate::reports::{self, build_content, clean, submit_problems};
use crate::{Error, FieldError, Result};
use samverkan_db::Tx;
use samverkan_db::register::RecordScope;
use samverkan_db::reports::NewContribution;
use samverkan_domain::ReportStatus;
use samverkan_domain::date::parse_iso_date;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use time::{Date, OffsetDateTime, Time};

/// Who the demonstration's published versions name as publisher.
pub const PUBLISHED_BY: &str = "Demodata";

/// The register files, loaded after the plans (records name activities):
/// (file, the agreement its records belong to, text). Deadlines and reports
/// name their agreement themselves.
pub const FILES: &[(&str, &str, &str)] = &[
    (
        "demo/malmo-register.toml",
        "malmoandan",
        include_str!("../../../../demo/malmo-register.toml"),
    ),
    (
        "demo/sjovik-register.toml",
        "sjovik",
        include_str!("../../../../demo/sjovik-register.toml"),
    ),
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisterFile {
    #[serde(default)]
    deadlines: Vec<DemoDeadline>,
    #[serde(default)]
    records: Vec<DemoRecord>,
    #[serde(default)]
    reports: Vec<DemoCommitteeReport>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoDeadline {
    agreement: String,
    year: i32,
    due_on: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoRecord {
    body: String,
    form: String,
    title: String,
    description: String,
    #[serde(default)]
    outcome: String,
    starts_on: String,
    ends_on: String,
    /// Organisation numbers.
    organisations: Vec<String>,
    /// `YYYY: amount`, one per year.
    #[serde(default)]
    money: Vec<String>,
    district: Option<String>,
    challenge: Option<String>,
    /// `plan/activity`
    activity: Option<String>,
    #[serde(default)]
    principles: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoCommitteeReport {
    agreement: String,
    body: String,
    year: i32,
    /// `not-started`, `draft`, `submitted`, `approved` or `published`.
    status: String,
    #[serde(default)]
    went_well: String,
    #[serde(default)]
    went_badly: String,
    #[serde(default)]
    next_year: String,
    approved_on: Option<String>,
    decision_reference: Option<String>,
    published_on: Option<String>,
    /// Principle slug → reflection.
    #[serde(default)]
    reflections: BTreeMap<String, String>,
    #[serde(default)]
    contributions: Vec<DemoContribution>,
    /// A correction published as version 2.
    correction: Option<DemoCorrection>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoContribution {
    /// The organisation's slug.
    organisation: String,
    author: String,
    written_on: String,
    body: String,
}

/// What a correction changes; sections and reflections not given stay.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoCorrection {
    reason: String,
    published_on: String,
    went_well: Option<String>,
    went_badly: Option<String>,
    next_year: Option<String>,
    #[serde(default)]
    reflections: BTreeMap<String, String>,
}

pub fn parse(name: &str, text: &str) -> Result<RegisterFile> {
    toml::from_str(text)
        .map_err(|e| Error::bad_request("demo-data-invalid", format!("{name}: {e}")))
}

fn noon(d: Date) -> OffsetDateTime {
    d.with_time(time::macros::time!(12:00)).assume_utc()
}

fn midnight(d: Date) -> OffsetDateTime {
    d.with_time(Time::MIDNIGHT).assume_utc()
}

fn problems(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(|e| format!("{}: {}", e.field, e.message))
        .collect::<Vec<_>>()
        .join("; ")
}

impl DemoRecord {
    /// The record as its form, lists joined as the form joins them.
    fn form(&self) -> RecordForm {
        RecordForm {
            body: self.body.clone(),
            form: self.form.clone(),
            title: self.title.clone(),
            description: self.description.clone(),
            outcome: self.outcome.clone(),
            starts_on: self.starts_on.clone(),
            ends_on: self.ends_on.clone(),
            organisations: self.organisations.join("; "),
            money: self.money.join("; "),
            total: String::new(),
            district: self.district.clone().unwrap_or_default(),
            challenge: self.challenge.clone().unwrap_or_default(),
            activity: self.activity.clone().unwrap_or_default(),
            principles: self.principles.join("; "),
            version: String::new(),
        }
    }
}

/// What the loader knows of an agreement while it loads.
struct Agreement {
    slug: String,
    register: RegisterScope,
}

/// One report being written: where it is and what it needs to build its
/// document.
struct Report<'a> {
    agreement: &'a Agreement,
    body_id: i64,
    body: Named,
    year: i32,
    id: i64,
}

impl Report<'_> {
    /// The document as the app builds it, from rows read in the transaction.
    async fn content(&self, tx: &mut Tx) -> Result<crate::reports::content::ReportContent> {
        let register = &self.agreement.register;
        let (from, to) = reports::year_bounds(self.year);
        let rows = tx
            .records(RecordScope {
                agreement: register.agreement_id,
                city_body: Some(self.body_id),
                from: Some(from),
                to: Some(to),
                ..RecordScope::default()
            })
            .await?;
        let records = register::records_of(rows, &register.refs);
        let row = tx
            .report_row(register.agreement_id, self.body_id, self.year)
            .await?;
        let (reflections, contributions) = tx.report_texts(self.id).await?;
        Ok(build_content(
            &self.agreement.slug,
            register,
            self.body.clone(),
            self.year,
            reports::StoredReport {
                records: &records,
                row: row.as_ref(),
                reflections: &reflections,
                contributions: &contributions,
            },
        ))
    }

    /// Writes sections (made a draft) and reflections, on the version the
    /// report is at.
    async fn write(
        &self,
        tx: &mut Tx,
        sections: [&str; 3],
        reflections: &[(i64, String)],
        at: OffsetDateTime,
        bad: &impl Fn(String) -> Error,
    ) -> Result<()> {
        let register = &self.agreement.register;
        let row = tx
            .report_row(register.agreement_id, self.body_id, self.year)
            .await?
            .ok_or_else(|| bad("the report vanished".into()))?;
        if !tx
            .save_report_sections(self.id, row.version, sections, at)
            .await?
        {
            return Err(bad(format!("a {} report cannot be written to", row.status)));
        }
        for (principle, text) in reflections {
            tx.set_reflection(self.id, *principle, text).await?;
        }
        Ok(())
    }

    /// Hands a draft in, as `submit_report` does: every section and
    /// reflection must be written.
    async fn submit(
        &self,
        tx: &mut Tx,
        at: OffsetDateTime,
        bad: &impl Fn(String) -> Error,
    ) -> Result<()> {
        let errors = submit_problems(&self.content(tx).await?);
        if !errors.is_empty() {
            return Err(bad(format!("cannot be handed in: {}", problems(&errors))));
        }
        self.step(tx, ReportStatus::Draft, ReportStatus::Submitted, at, bad)
            .await
    }

    async fn step(
        &self,
        tx: &mut Tx,
        from: ReportStatus,
        to: ReportStatus,
        at: OffsetDateTime,
        bad: &impl Fn(String) -> Error,
    ) -> Result<()> {
        if tx
            .move_report(self.id, from.as_str(), to.as_str(), at)
            .await?
        {
            Ok(())
        } else {
            Err(bad(format!("the report is not {from}")))
        }
    }

    /// Publishes an approved report as `publish_report` does: the document
    /// built now is frozen as the next version.
    async fn publish(
        &self,
        tx: &mut Tx,
        reason: Option<&str>,
        at: OffsetDateTime,
        bad: &impl Fn(String) -> Error,
    ) -> Result<i32> {
        let content = serde_json::to_string(&self.content(tx).await?)
            .map_err(|e| Error::internal("report document", e))?;
        self.step(tx, ReportStatus::Approved, ReportStatus::Published, at, bad)
            .await?;
        Ok(tx
            .insert_publication(self.id, PUBLISHED_BY, reason, &content, at)
            .await?)
    }
}

/// Loads one register file inside the demo transaction.
pub(crate) async fn load(
    tx: &mut Tx,
    name: &str,
    records_of: &str,
    file: &RegisterFile,
    ids: &LoadedIds,
    report: &mut DemoReport,
) -> Result<()> {
    let file_error =
        |what: String| Error::bad_request("demo-data-invalid", format!("{name}: {what}"));
    let mut agreements: HashMap<String, Agreement> = HashMap::new();
    let wanted = std::iter::once(records_of)
        .filter(|_| !file.records.is_empty())
        .chain(file.deadlines.iter().map(|d| d.agreement.as_str()))
        .chain(file.reports.iter().map(|r| r.agreement.as_str()));
    for slug in wanted {
        if !agreements.contains_key(slug) {
            let id = *ids
                .agreements
                .get(slug)
                .ok_or_else(|| file_error(format!("no agreement {slug}")))?;
            let refs = tx.register_refs(id).await?;
            agreements.insert(
                slug.to_owned(),
                Agreement {
                    slug: slug.to_owned(),
                    register: RegisterScope {
                        agreement_id: id,
                        refs,
                    },
                },
            );
        }
    }

    // Deadlines: a year's reports open when its deadline is set.
    let mut open_years: HashSet<(String, i32)> = HashSet::new();
    for d in &file.deadlines {
        let bad = |what: String| file_error(format!("deadline {} {}: {what}", d.agreement, d.year));
        let due = parse_iso_date(&d.due_on).map_err(|e| bad(e.to_string()))?;
        if due.year() <= d.year {
            return Err(bad("a year's report can only be due after the year".into()));
        }
        let a = &agreements[&d.agreement];
        tx.set_deadline(a.register.agreement_id, d.year, due)
            .await?;
        open_years.insert((d.agreement.clone(), d.year));
    }

    if !file.records.is_empty() {
        let a = &agreements[records_of];
        for (i, r) in file.records.iter().enumerate() {
            let (values, links) =
                register::check(&r.form(), &a.register.refs).map_err(|errors| {
                    file_error(format!(
                        "record {} ('{}'): {}",
                        i + 1,
                        r.title,
                        problems(&errors)
                    ))
                })?;
            let id = tx
                .insert_record(&values, None, midnight(values.starts_on))
                .await?;
            tx.write_record_links(id, &links).await?;
            report.records += 1;
        }
    }

    for r in &file.reports {
        load_report(
            tx,
            r,
            &agreements[&r.agreement],
            &open_years,
            &file_error,
            report,
        )
        .await?;
    }
    Ok(())
}

/// A date of the file, or the problem with it named by its field.
fn demo_date(field: &str, text: &str, bad: &impl Fn(String) -> Error) -> Result<Date> {
    parse_iso_date(text).map_err(|e| bad(format!("{field}: {e}")))
}

/// The committee (or executive board) the report is of: (id, name).
fn committee_of(
    register: &RegisterScope,
    r: &DemoCommitteeReport,
    bad: &impl Fn(String) -> Error,
) -> Result<(i64, Named)> {
    register
        .refs
        .bodies
        .iter()
        .find(|b| b.1 == r.body)
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
        .ok_or_else(|| bad("no committee or executive board of that name".into()))
}

/// The committee's decision and the publication as the file gives them.
struct DemoDecision<'a> {
    approved_on: Option<Date>,
    published_on: Option<Date>,
    reference: Option<&'a str>,
}

/// Checks the decision's date and reference and the publication's date
/// against the status (decided reports need both, published ones the
/// date published, in that order) and against each other.
fn check_decision<'a>(
    r: &'a DemoCommitteeReport,
    status: ReportStatus,
    bad: &impl Fn(String) -> Error,
) -> Result<DemoDecision<'a>> {
    // The decision belongs to approved and published reports only.
    let decided = matches!(status, ReportStatus::Approved | ReportStatus::Published);
    let approved_on = r
        .approved_on
        .as_deref()
        .map(|t| demo_date("approved_on", t, bad))
        .transpose()?;
    let published_on = r
        .published_on
        .as_deref()
        .map(|t| demo_date("published_on", t, bad))
        .transpose()?;
    let reference = r.decision_reference.as_deref().map(str::trim);
    if decided != approved_on.is_some() || decided != reference.is_some() {
        return Err(bad(
            "approved_on and decision_reference belong to approved and published reports, and those need both"
                .into(),
        ));
    }
    if (status == ReportStatus::Published) != published_on.is_some() {
        return Err(bad(
            "published_on belongs to published reports, and those need it".into(),
        ));
    }
    if r.correction.is_some() && status != ReportStatus::Published {
        return Err(bad("only a published report can have a correction".into()));
    }
    if let Some(reference) = reference
        && (reference.is_empty() || reference.chars().count() > 100)
    {
        return Err(bad(
            "the decision reference must have 1–100 characters".into()
        ));
    }
    if let Some(d) = approved_on
        && d.year() <= r.year
    {
        return Err(bad("the committee decides after the year has ended".into()));
    }
    if let (Some(a), Some(p)) = (approved_on, published_on)
        && p < a
    {
        return Err(bad("published before it was approved".into()));
    }
    Ok(DemoDecision {
        approved_on,
        published_on,
        reference,
    })
}

/// A report's sections as cleaned, and (principle id, text) per reflection.
type Texts = ([String; 3], Vec<(i64, String)>);

/// Checks the sections and reflections (none for a report not started).
fn check_texts(
    register: &RegisterScope,
    r: &DemoCommitteeReport,
    status: ReportStatus,
    bad: &impl Fn(String) -> Error,
) -> Result<Texts> {
    let mut errors = Vec::new();
    let sections = [
        clean(&r.went_well, "went_well", &mut errors),
        clean(&r.went_badly, "went_badly", &mut errors),
        clean(&r.next_year, "next_year", &mut errors),
    ];
    let reflections = reflections_of(register, &r.reflections, &mut errors, bad)?;
    if !errors.is_empty() {
        return Err(bad(problems(&errors)));
    }
    let written = sections.iter().any(|s| !s.is_empty()) || !reflections.is_empty();
    if status == ReportStatus::NotStarted && written {
        return Err(bad(
            "a report not started has no text; make it a draft".into()
        ));
    }
    Ok((sections, reflections))
}

async fn load_report(
    tx: &mut Tx,
    r: &DemoCommitteeReport,
    agreement: &Agreement,
    open_years: &HashSet<(String, i32)>,
    file_error: &impl Fn(String) -> Error,
    counts: &mut DemoReport,
) -> Result<()> {
    let bad = |what: String| {
        file_error(format!(
            "report {} {} {}: {what}",
            r.agreement, r.body, r.year
        ))
    };
    let register = &agreement.register;
    let status = ReportStatus::parse(&r.status).map_err(|e| bad(e.to_string()))?;
    let (body_id, body) = committee_of(register, r, &bad)?;
    let decision = check_decision(r, status, &bad)?;
    let (sections, reflections) = check_texts(register, r, status, &bad)?;

    // What the file gives no date for happens on the day of the decision,
    // or now for reports not yet decided.
    let at = decision
        .approved_on
        .map_or_else(OffsetDateTime::now_utc, noon);
    let row = tx
        .ensure_report(register.agreement_id, body_id, r.year, at)
        .await?;
    if row.status != ReportStatus::NotStarted.as_str() {
        return Err(bad("the report is listed twice".into()));
    }
    let report = Report {
        agreement,
        body_id,
        body,
        year: r.year,
        id: row.id,
    };
    counts.reports += 1;
    if status != ReportStatus::NotStarted {
        report
            .write(
                tx,
                [&sections[0], &sections[1], &sections[2]],
                &reflections,
                at,
                &bad,
            )
            .await?;
    }

    if !r.contributions.is_empty() && !open_years.contains(&(r.agreement.clone(), r.year)) {
        return Err(bad(format!(
            "contributions need the reports of {} to be open (a deadline)",
            r.year
        )));
    }
    load_contributions(tx, &report, r, decision.approved_on, &bad, counts).await?;

    if matches!(
        status,
        ReportStatus::Submitted | ReportStatus::Approved | ReportStatus::Published
    ) {
        report.submit(tx, at, &bad).await?;
    }
    let (Some(approved_on), Some(reference)) = (decision.approved_on, decision.reference) else {
        return Ok(());
    };
    if !tx
        .approve_report(report.id, approved_on, reference, noon(approved_on))
        .await?
    {
        return Err(bad("only a submitted report can be approved".into()));
    }
    let Some(published_on) = decision.published_on else {
        return Ok(());
    };
    report.publish(tx, None, noon(published_on), &bad).await?;
    counts.publications += 1;

    if let Some(c) = &r.correction {
        let decided = Decided {
            approved_on,
            reference,
            published_on,
        };
        load_correction(tx, &report, c, &sections, decided, &bad, counts).await?;
    }
    Ok(())
}

/// Writes the report's contributions: each from an organisation the year's
/// records name, written before the committee's decision.
async fn load_contributions(
    tx: &mut Tx,
    report: &Report<'_>,
    r: &DemoCommitteeReport,
    approved_on: Option<Date>,
    bad: &impl Fn(String) -> Error,
    counts: &mut DemoReport,
) -> Result<()> {
    let register = &report.agreement.register;
    let named = report.content(tx).await?;
    for c in &r.contributions {
        let (org_id, org_name) = register
            .refs
            .organisations
            .iter()
            .find(|o| o.1 == c.organisation)
            .map(|o| (o.0, o.2.clone()))
            .ok_or_else(|| bad(format!("no organisation {}", c.organisation)))?;
        if !named
            .records
            .iter()
            .any(|x| x.organisations.iter().any(|o| o.slug == c.organisation))
        {
            return Err(bad(format!(
                "{} is named in none of the year's records, so it cannot contribute",
                c.organisation
            )));
        }
        let written_on = demo_date("written_on", &c.written_on, bad)?;
        if approved_on.is_some_and(|a| written_on > a) {
            return Err(bad(format!(
                "the contribution of {} is written after the committee's decision",
                c.organisation
            )));
        }
        let text = c.body.trim().replace("\r\n", "\n");
        if text.is_empty() || text.chars().count() > 4000 || c.author.trim().is_empty() {
            return Err(bad(format!(
                "the contribution of {} needs an author and a text of at most 4,000 characters",
                c.organisation
            )));
        }
        tx.insert_contribution(&NewContribution {
            report_id: report.id,
            organisation_id: Some(org_id),
            party_name: &org_name,
            author_id: None,
            author_name: c.author.trim(),
            body: &text,
            created_at: noon(written_on),
        })
        .await?;
        counts.contributions += 1;
    }
    Ok(())
}

/// A published report's decision and first publication.
struct Decided<'a> {
    approved_on: Date,
    reference: &'a str,
    published_on: Date,
}

/// Corrects a published report: opens it with the reason, writes what the
/// correction changes, and takes it through the steps again to publish it
/// as the next version under the same decision.
async fn load_correction(
    tx: &mut Tx,
    report: &Report<'_>,
    c: &DemoCorrection,
    sections: &[String; 3],
    decided: Decided<'_>,
    bad: &impl Fn(String) -> Error,
    counts: &mut DemoReport,
) -> Result<()> {
    let on = demo_date("correction.published_on", &c.published_on, bad)?;
    if on <= decided.published_on {
        return Err(bad(
            "the correction must be published after the report".into()
        ));
    }
    let reason = c.reason.trim();
    if reason.is_empty() || reason.chars().count() > 1000 {
        return Err(bad(
            "a correction needs a reason of at most 1,000 characters".into(),
        ));
    }
    let at = noon(on);
    if !tx.start_correction(report.id, reason, at).await? {
        return Err(bad("only a published report can be corrected".into()));
    }
    let mut errors = Vec::new();
    let mut corrected = sections.clone();
    for (i, (field, text)) in [
        ("went_well", &c.went_well),
        ("went_badly", &c.went_badly),
        ("next_year", &c.next_year),
    ]
    .into_iter()
    .enumerate()
    {
        if let Some(text) = text {
            corrected[i] = clean(text, field, &mut errors);
        }
    }
    let reflections = reflections_of(&report.agreement.register, &c.reflections, &mut errors, bad)?;
    if !errors.is_empty() {
        return Err(bad(format!("correction: {}", problems(&errors))));
    }
    if corrected == *sections && reflections.is_empty() {
        return Err(bad("the correction changes nothing".into()));
    }
    report
        .write(
            tx,
            [&corrected[0], &corrected[1], &corrected[2]],
            &reflections,
            at,
            bad,
        )
        .await?;
    report.submit(tx, at, bad).await?;
    // The committee's decision stands for the corrected version.
    if !tx
        .approve_report(report.id, decided.approved_on, decided.reference, at)
        .await?
    {
        return Err(bad("only a submitted report can be approved".into()));
    }
    report.publish(tx, Some(reason), at, bad).await?;
    counts.publications += 1;
    Ok(())
}

/// Reflections by principle slug, as (principle id, cleaned text).
fn reflections_of(
    register: &RegisterScope,
    given: &BTreeMap<String, String>,
    errors: &mut Vec<FieldError>,
    bad: &impl Fn(String) -> Error,
) -> Result<Vec<(i64, String)>> {
    given
        .iter()
        .map(|(slug, text)| {
            let p = register
                .refs
                .principles
                .iter()
                .find(|p| &p.1 == slug)
                .ok_or_else(|| bad(format!("'{slug}' is not a principle of the agreement")))?;
            Ok((p.0, clean(text, "reflections", errors)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_register_file_parses() {
        for (name, _, text) in FILES {
            parse(name, text).unwrap();
        }
    }

    #[test]
    fn unknown_fields_are_refused_with_the_file_name() {
        let err = parse(
            "x.toml",
            "[[deadlines]]\nagreement = \"a\"\nyear = 2024\ndue_on = \"2025-03-31\"\nwhen = 1\n",
        )
        .unwrap_err();
        assert!(err.to_string().contains("x.toml"), "{err}");
        assert!(err.to_string().contains("when"), "{err}");
    }
}
