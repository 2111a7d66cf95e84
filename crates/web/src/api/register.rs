//! `/agreements/{slug}/register…` and `/agreements/{slug}/reports…`: the
//! collaboration register (records, filtered; CSV in the import format) and
//! the committees' yearly reports (the overview per year, the city-wide
//! report of a year with a CSV of its figures, and each committee's
//! published versions as frozen).

use super::csv_out::{csv_answer, csv_stream_with};
use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::query::{Format, MAX_ID, MAX_NUMBER, Params, number_in};
use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use samverkan_app::csv_rows::write_csv;
use samverkan_app::paged::EXPORT_BATCH;
use samverkan_app::register::import::records_csv_part;
use samverkan_app::register::{Record, RecordFilter, RegisterScope};
use samverkan_app::reports::city_wide::CityReport;
use samverkan_app::reports::content::ReportContent;
use samverkan_app::reports::{VersionEntry, YearOverview};
use samverkan_app::{Error, Message};
use samverkan_domain::CollaborationForm;
use serde::Serialize;
use std::borrow::Cow;
use std::sync::Arc;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_records))
        .routes(routes!(get_record))
        .routes(routes!(list_reports))
        .routes(routes!(city_report))
        .routes(routes!(published_report))
        .routes(routes!(published_version))
}

/// A committee's published report: the version shown, the document as it
/// was frozen when that version was published, and every published version.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublishedReportDocument {
    /// The version shown (the latest, unless a number was asked for).
    pub version: VersionEntry,
    /// The report as published: its records of the year, the figures
    /// computed from them, the committee's sections, the reflections per
    /// principle and the sector's contributions.
    pub report: ReportContent,
    /// Every published version, oldest first; a correction names its reason.
    pub versions: Vec<VersionEntry>,
}

/// The columns of the city-wide report's CSV, in order.
pub const CITY_REPORT_COLUMNS: &[&str] = &[
    "section",
    "key",
    "name",
    "version",
    "published_at",
    "records",
    "organisations",
    "amount_sek",
    "contributions",
];

/// The record filter of the query, every value checked the way the document
/// declares it: a value of the wrong form is a 400 naming what is allowed,
/// a city body or organisation slug that names nothing in the agreement's
/// register is a 404.
async fn filter_of(
    state: &AppState,
    params: &Params,
    register: &RegisterScope,
) -> Result<RecordFilter, Error> {
    let body = params.api_slug("body")?.unwrap_or_default().to_owned();
    if !body.is_empty() && register.body_id(&body).is_none() {
        return Err(Error::NotFound("city body (the parameter 'body')"));
    }
    let form = params
        .api_choice("form", CollaborationForm::ALL, CollaborationForm::as_str)?
        .map(|f| f.as_str().to_owned())
        .unwrap_or_default();
    let year = params
        .api_value("year")?
        .map(|y| year_in("year", y).map(|y| y.to_string()))
        .transpose()?
        .unwrap_or_default();
    let organisation = params
        .api_slug("organisation")?
        .unwrap_or_default()
        .to_owned();
    if !organisation.is_empty() && state.app.organisation_id_of(&organisation).await.is_err() {
        return Err(Error::NotFound(
            "organisation (the parameter 'organisation')",
        ));
    }
    Ok(RecordFilter {
        body,
        form,
        year,
        organisation,
    })
}

/// The records of an agreement's collaboration register, filtered. As CSV,
/// one row per record in the import format.
#[utoipa::path(get, path = "/agreements/{slug}/register", tag = "register",
    description = "The records of collaboration between the municipality's city bodies and \
                   idea-based organisations under the agreement, the newest period first: form, \
                   period, organisations (with their organisation numbers), money per year, \
                   district, challenge, plan activity and principles, 100 a page (`Link` and \
                   `X-Total-Count` say where a page stands). Every filter narrows the list; \
                   a value that is not known is a 400 whose message names the allowed values. With \
                   `format=csv` the records come in the import format (see `docs/csv-format.md`): \
                   columns `body,form,title,description,outcome,starts_on,ends_on,organisations,money,\
                   total,district,challenge,activity,principles`, lists separated by `; `, money as \
                   `YYYY: amount`, cells that would start a formula prefixed with `'`; importing it \
                   back changes nothing.",
    params(("slug" = String, Path, description = "The agreement's slug, e.g. `malmoandan`"),
        ("body" = Option<String>, Query, pattern = "^[a-z0-9]+(-[a-z0-9]+)*$", max_length = 80, description = "Only records of this city body (its slug, e.g. `kulturnamnden`; 404 when it names none of the register's)"),
        ("form" = Option<CollaborationForm>, Query, description = "Only records of this form of collaboration"),
        ("year" = Option<i32>, Query, minimum = 2000, maximum = 2100, description = "Only records whose period touches this year, e.g. `2022`"),
        ("organisation" = Option<String>, Query, pattern = "^[a-z0-9]+(-[a-z0-9]+)*$", max_length = 80, description = "Only records naming this organisation (its slug; 404 when it names none in the register)"),
        ("page" = Option<i32>, Query, minimum = 1, maximum = 2147483647, description = "page number, from 1 (default), 100 records a page; past the last page, the last page (JSON only: the CSV holds every record)"),
        ("format" = Option<Format>, Query, description = "`json` (default) or `csv` (the record import format)")),
    responses(
        (status = 200, description = "The records", content(([Record] = "application/json"), (String = "text/csv")),
            headers(("Link" = String, description = "`<…?page=N>; rel=\"next\"` and `rel=\"prev\"`, where there is such a page"),
                    ("X-Total-Count" = i64, description = "How many records pass the filters"))),
        (status = 400, description = "A parameter that is empty or not of its declared form, or a `page` that is not a whole number from 1; the message names what is allowed", body = ErrorBody),
        (status = 404, description = "No such agreement, or the city body or organisation named does not exist in its register", body = ErrorBody)
    ))]
async fn list_records(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    params: Params,
) -> Result<Response, ApiError> {
    let csv = params.wants_csv()?;
    let page = params.api_page()?;
    let register = state.app.register_of(&slug).await?;
    let filter = filter_of(&state, &params, &register).await?;
    if csv {
        let (scope, _) = state.app.scope_of(&register, &filter).await?;
        let (app, register) = (state.app.clone(), Arc::new(register));
        let mut first = true;
        return Ok(csv_stream_with(
            &format!("{slug}-register"),
            EXPORT_BATCH,
            move |n| {
                let (app, register) = (app.clone(), register.clone());
                async move { app.records_batch(&register, scope, (n, EXPORT_BATCH)).await }
            },
            move |records| Ok(records_csv_part(std::mem::take(&mut first), records)?),
        ));
    }
    let list = (state.app)
        .records_paged(&register, &filter, (page, super::API_PAGE))
        .await?;
    Ok(super::paged_json(
        &format!("/agreements/{slug}/register"),
        &params,
        &list.items,
        (list.total, list.page, list.pages),
    ))
}

/// One record of the register.
#[utoipa::path(get, path = "/agreements/{slug}/register/{record}", tag = "register",
    params(("slug" = String, Path),
        ("record" = i64, Path, minimum = 1, maximum = 9007199254740991_i64, description = "The record's id, as in the list")),
    responses(
        (status = 200, description = "The record", body = Record),
        (status = 400, description = "The id is not a whole number", body = ErrorBody),
        (status = 404, description = "No such agreement, or no such record in its register", body = ErrorBody)
    ))]
async fn get_record(
    State(state): State<AppState>,
    Path((slug, record)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let id = number_in("record", &record, 1, MAX_ID)?;
    let register = state.app.register_of(&slug).await?;
    let record = state.app.record(&register, id).await?;
    Ok(Json(record).into_response())
}

/// Reads a year (four digits, 2000 to 2100, as the document declares it),
/// from the path or the query.
fn year_in(name: &str, text: &str) -> Result<i32, Error> {
    number_in(name, text, 2000, 2100)
        .map(|y| y as i32)
        .map_err(|_| {
            Error::BadRequest(
                Message::new(
                    "param-year",
                    format!(
                        "the parameter '{name}' must be a year of four digits, from 2000 to 2100, \
                 such as 2022; got '{text}'"
                    ),
                )
                .arg("name", name)
                .arg("value", text),
            )
        })
}

fn year_of(text: &str) -> Result<i32, Error> {
    year_in("year", text)
}

/// The yearly reports: per year, each expected committee's place.
#[utoipa::path(get, path = "/agreements/{slug}/reports", tag = "reports",
    description = "Every year with a reporting deadline or a report, newest first: the deadline, \
                   and for each committee expected to report (the committees and the executive \
                   board) where its report stands (`not-started`, `draft`, `submitted`, `approved`, \
                   `published`), its records of the year, the sector's contributions, the latest \
                   published version and whether it is overdue.",
    params(("slug" = String, Path)),
    responses(
        (status = 200, description = "The overview per year", body = [YearOverview]),
        (status = 404, description = "No such agreement", body = ErrorBody)
    ))]
async fn list_reports(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Response, ApiError> {
    let register = state.app.register_of(&slug).await?;
    let overview = state.app.report_overview(&register).await?;
    Ok(Json(overview).into_response())
}

/// The city-wide report's CSV: see [`CITY_REPORT_COLUMNS`] and the
/// endpoint's description.
pub fn city_report_csv(report: &CityReport) -> Result<String, Error> {
    let mut rows: Vec<Vec<Cow<'_, str>>> = Vec::new();
    let empty = || Cow::Borrowed("");
    for r in &report.reports {
        let published_at = r
            .published_at
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default();
        rows.push(vec![
            Cow::Borrowed("report"),
            Cow::Borrowed(r.body.slug.as_str()),
            Cow::Borrowed(r.body.name.as_str()),
            Cow::Owned(r.version.to_string()),
            Cow::Owned(published_at),
            Cow::Owned(r.records.to_string()),
            empty(),
            Cow::Owned(r.amount_sek.to_string()),
            Cow::Owned(r.contributions.to_string()),
        ]);
    }
    for b in &report.not_reported {
        rows.push(vec![
            Cow::Borrowed("not-reported"),
            Cow::Borrowed(b.slug.as_str()),
            Cow::Borrowed(b.name.as_str()),
            empty(),
            empty(),
            empty(),
            empty(),
            empty(),
            empty(),
        ]);
    }
    for t in &report.figures.by_form {
        rows.push(vec![
            Cow::Borrowed("form"),
            Cow::Borrowed(t.key.as_str()),
            Cow::Borrowed(t.name.as_str()),
            empty(),
            empty(),
            Cow::Owned(t.records.to_string()),
            empty(),
            Cow::Owned(t.amount_sek.to_string()),
            empty(),
        ]);
    }
    let f = &report.figures;
    rows.push(vec![
        Cow::Borrowed("total"),
        empty(),
        empty(),
        empty(),
        empty(),
        Cow::Owned(f.records.to_string()),
        Cow::Owned(f.organisations.to_string()),
        Cow::Owned(f.amount_sek.to_string()),
        Cow::Owned(report.contributions.to_string()),
    ]);
    write_csv(CITY_REPORT_COLUMNS, rows)
}

/// The city-wide report of a year, rolled up from the published reports.
#[utoipa::path(get, path = "/agreements/{slug}/reports/{year}", tag = "reports",
    description = "The city-wide report of a year: each committee's latest published report with \
                   its records, money and contributions, the committees that have not published \
                   one, the year's figures (totals by form, challenge, principle and district) and \
                   the totals of every year with published reports, to compare. Built from the \
                   published documents only. With `format=csv`, one row per line of the roll-up, \
                   columns `section,key,name,version,published_at,records,organisations,amount_sek,\
                   contributions`: a `report` row per published committee report (key and name of \
                   the committee, the version counted, when it was published, its records, money \
                   in SEK and contributions), a `not-reported` row per committee without one (key \
                   and name only), a `form` row per form of collaboration (key, records, money; \
                   every form, zero rows included) and one `total` row (records, distinct \
                   organisations, money and contributions of the year).",
    params(("slug" = String, Path),
        ("year" = i32, Path, minimum = 2000, maximum = 2100, description = "The year reported on, e.g. `2022`"),
        ("format" = Option<Format>, Query, description = "`json` (default) or `csv` (the layout described above)")),
    responses(
        (status = 200, description = "The city-wide report", content((CityReport = "application/json"), (String = "text/csv"))),
        (status = 400, description = "The year is not a year, or an unknown format", body = ErrorBody),
        (status = 404, description = "No such agreement", body = ErrorBody)
    ))]
async fn city_report(
    State(state): State<AppState>,
    Path((slug, year)): Path<(String, String)>,
    params: Params,
) -> Result<Response, ApiError> {
    let csv = params.wants_csv()?;
    let year = year_of(&year)?;
    let register = state.app.register_of(&slug).await?;
    let report = state.app.city_report(&slug, &register, year).await?;
    if csv {
        Ok(csv_answer(
            city_report_csv(&report)?,
            &format!("{slug}-report-{year}"),
        ))
    } else {
        Ok(Json(report).into_response())
    }
}

async fn published(
    state: &AppState,
    slug: &str,
    year: &str,
    body: &str,
    number: Option<i32>,
) -> Result<Response, ApiError> {
    let year = year_of(year)?;
    let register = state.app.register_of(slug).await?;
    let (version, report, versions) = state
        .app
        .published_report(&register, body, year, number)
        .await?;
    Ok(Json(PublishedReportDocument {
        version,
        report,
        versions,
    })
    .into_response())
}

/// A committee's yearly report as last published.
#[utoipa::path(get, path = "/agreements/{slug}/reports/{year}/{body}", tag = "reports",
    description = "The latest published version of a committee's report of a year, exactly as it \
                   was frozen when published, with the list of every published version (a \
                   correction is a new version with its reason). A report that is being written, \
                   or that is approved but not yet published, is not shown: 404 until it is published.",
    params(("slug" = String, Path),
        ("year" = i32, Path, minimum = 2000, maximum = 2100, description = "The year reported on"),
        ("body" = String, Path, description = "The committee's slug, e.g. `kulturnamnden`")),
    responses(
        (status = 200, description = "The published report and its versions", body = PublishedReportDocument),
        (status = 400, description = "The year is not a year", body = ErrorBody),
        (status = 404, description = "No such agreement or committee, or no published report for that year", body = ErrorBody)
    ))]
async fn published_report(
    State(state): State<AppState>,
    Path((slug, year, body)): Path<(String, String, String)>,
) -> Result<Response, ApiError> {
    published(&state, &slug, &year, &body, None).await
}

/// One published version of a committee's yearly report.
#[utoipa::path(get, path = "/agreements/{slug}/reports/{year}/{body}/versions/{number}", tag = "reports",
    description = "A published version of a committee's report of a year, as it was frozen when \
                   published (earlier versions stay readable after a correction), with the list of \
                   every published version.",
    params(("slug" = String, Path),
        ("year" = i32, Path, minimum = 2000, maximum = 2100, description = "The year reported on"),
        ("body" = String, Path, description = "The committee's slug"),
        ("number" = i32, Path, minimum = 1, maximum = 2147483647, description = "The version number, from 1")),
    responses(
        (status = 200, description = "The published version and the list of versions", body = PublishedReportDocument),
        (status = 400, description = "The year or number is malformed", body = ErrorBody),
        (status = 404, description = "No such agreement, committee or published version", body = ErrorBody)
    ))]
async fn published_version(
    State(state): State<AppState>,
    Path((slug, year, body, number)): Path<(String, String, String, String)>,
) -> Result<Response, ApiError> {
    let number = number_in("number", &number, 1, MAX_NUMBER)? as i32;
    published(&state, &slug, &year, &body, Some(number)).await
}
