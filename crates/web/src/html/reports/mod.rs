//! The committees' yearly reports: the overview per year (with the
//! coordinators' deadlines), the city-wide report, a committee's published
//! report and its versions, the sector's contributions, and the person's
//! own page of reports to write or contribute to. The officials' workspace
//! is in `reports/work.rs`.

pub(super) mod work;

use crate::AppState;
use crate::charts::{self, Bar};
use crate::error::PageError;
use crate::html::forms::{Fields, Problems, answer, one, unprocessable};
use crate::html::render;
use crate::i18n::Tr;
use crate::page::{NavAgreement, Page, PageCtx};
use crate::query::Params;
use crate::session::Acting;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use samverkan_app::register::Named;
use samverkan_app::reports::city_wide::CityReport;
use samverkan_app::reports::content::{ReportContent, Tally};
use samverkan_app::reports::pages::{CityView, Share};
use samverkan_app::reports::{
    CommitteeYear, ContributionForm, MyReport, VersionEntry, YearOverview,
};
use samverkan_app::{Error, FieldError};

/// `/agreements/{slug}/reports/{year}/{body}`
#[derive(Debug, serde::Deserialize)]
pub struct ReportPath {
    pub slug: String,
    pub year: String,
    pub body: String,
}

impl ReportPath {
    pub fn year(&self) -> Result<i32, PageError> {
        parse_year(&self.year)
    }

    pub fn url(&self) -> String {
        format!(
            "/agreements/{}/reports/{}/{}",
            self.slug, self.year, self.body
        )
    }
}

pub fn parse_year(text: &str) -> Result<i32, PageError> {
    samverkan_domain::plan::parse_year(text).map_err(|_| PageError(Error::NotFound("report year")))
}

/// The municipality of an agreement (city bodies are keyed under it).
pub async fn municipality(state: &AppState, slug: &str) -> Result<String, PageError> {
    let snapshot = state.app.public().await?;
    Ok(snapshot.agreement(slug)?.summary.municipality.slug.clone())
}

/// Share bars of a tally's shares; a heading without a key (no challenge,
/// the whole city) is labelled `none`.
pub fn share_bars(
    t: &Tr,
    shares: &[Share],
    none: &str,
    label_of: impl Fn(&Share) -> String,
) -> Vec<Bar> {
    shares
        .iter()
        .map(|x| Bar {
            label: if x.key.is_empty() {
                none.to_owned()
            } else {
                label_of(x)
            },
            value: x.percent,
            note: format!(
                "{} · {}",
                t.sek(x.amount_sek),
                t.with("report-n-records", "count", x.records)
            ),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "reports/overview.html")]
struct OverviewPage {
    page: Page,
    agreement: String,
    years: Vec<YearOverview>,
    coordinator: bool,
    problems: Problems,
    deadline_year: String,
    deadline_due: String,
    notice: Option<String>,
}

async fn overview_page(
    state: &AppState,
    ctx: &PageCtx,
    acting: Option<&Acting>,
    slug: &str,
    (deadline_year, deadline_due, problems): (String, String, Problems),
    notice: Option<String>,
) -> Result<Response, PageError> {
    let snapshot = state.app.public().await?;
    let a = snapshot.agreement_in(slug, ctx.lang.code())?;
    let register = state.app.register_of(slug).await?;
    let years = state.app.report_overview(&register).await?;
    render(OverviewPage {
        page: ctx.page(
            ctx.t().get("reports-title"),
            Some(NavAgreement::of(a, "reports")),
        ),
        agreement: slug.to_owned(),
        years,
        coordinator: acting.is_some_and(|x| x.roles.coordinates(slug)),
        problems,
        deadline_year,
        deadline_due,
        notice,
    })
}

pub async fn overview(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Option<Acting>,
    params: Params,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    let notice = crate::html::forms::notice(&ctx, &params, &["deadline-saved"]);
    overview_page(
        &state,
        &ctx,
        acting.as_ref(),
        &slug,
        Default::default(),
        notice,
    )
    .await
}

pub async fn set_deadline(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    Path(slug): Path<String>,
    axum::extract::Form(fields): Fields,
) -> Result<Response, PageError> {
    let (year, due) = (one(&fields, "year"), one(&fields, "due_on"));
    let register = state.app.register_of(&slug).await?;
    let roles = &acting.roles;
    let errors = match state
        .app
        .set_deadline(roles, &slug, &register, &year, &due)
        .await
    {
        Ok(()) => {
            let to = format!("/agreements/{slug}/reports?done=deadline-saved");
            return Ok(Redirect::to(&to).into_response());
        }
        Err(Error::Validation(errors)) => errors,
        Err(e) => return Err(e.into()),
    };
    let shown = (year, due, Problems::from_errors(&ctx, &errors));
    let res = overview_page(&state, &ctx, Some(&acting), &slug, shown, None).await?;
    Ok(unprocessable(res))
}

#[derive(Template)]
#[template(path = "reports/city.html")]
struct CityPage {
    page: Page,
    agreement: String,
    agreement_name: String,
    report: CityReport,
    expected: usize,
    form_chart: String,
    challenge_chart: String,
    district_chart: String,
    years_chart: String,
}

impl CityPage {
    fn form_label(&self, t: &Tally) -> String {
        self.page.t.label("record-form", &t.key).into_owned()
    }
}

pub async fn city(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((slug, year)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let year = parse_year(&year)?;
    let snapshot = state.app.public().await?;
    let a = snapshot.agreement_in(&slug, ctx.lang.code())?;
    let register = state.app.register_of(&slug).await?;
    let view = state.app.city_view(&slug, &register, year).await?;
    let t = ctx.t();
    let [form_chart, challenge_chart, district_chart, years_chart] = city_charts(&t, year, &view);
    render(CityPage {
        page: ctx.page(
            t.with("city-title", "year", year).into_owned(),
            Some(NavAgreement::of(a, "reports")),
        ),
        agreement: slug.clone(),
        agreement_name: a.summary.name.clone(),
        report: view.report,
        expected: view.expected,
        form_chart,
        challenge_chart,
        district_chart,
        years_chart,
    })
}

/// The city report's four charts: the shares by form, challenge and
/// district, and the committees that reported each year.
fn city_charts(t: &Tr, year: i32, view: &CityView) -> [String; 4] {
    let words = charts::Words::new(t);
    let chart = |id: &str, key: &str, shares: &[Share], none: &str, by_form: bool| {
        let title = t.with(key, "year", year).into_owned();
        let bars = share_bars(t, shares, none, |x| {
            if by_form {
                t.label("record-form", &x.key).into_owned()
            } else {
                x.name.clone()
            }
        });
        charts::progress_bars(&words, id, &title, "", &bars)
    };
    let year_bars: Vec<Bar> = view
        .years
        .iter()
        .map(|y| Bar {
            label: y.year.to_string(),
            value: y.percent,
            note: t
                .with("city-chart-years-note", "count", y.reports)
                .into_owned(),
        })
        .collect();
    let (challenge, district) = (t.get("report-no-challenge"), t.get("report-whole-city"));
    [
        chart("chart-forms", "city-chart-forms", &view.by_form, "", true),
        chart(
            "chart-challenges",
            "city-chart-challenges",
            &view.by_challenge,
            &challenge,
            false,
        ),
        chart(
            "chart-districts",
            "city-chart-districts",
            &view.by_district,
            &district,
            false,
        ),
        charts::progress_bars(
            &words,
            "chart-years",
            &t.get("city-chart-years"),
            "",
            &year_bars,
        ),
    ]
}

#[derive(Template)]
#[template(path = "reports/committee.html")]
struct CommitteePage {
    page: Page,
    at: ReportPath,
    /// The published version shown, if any.
    shown: Option<(VersionEntry, ReportContent)>,
    versions: Vec<VersionEntry>,
    latest: bool,
    /// Where the report stands (when nothing is published yet, or a
    /// correction is being written).
    status: samverkan_domain::ReportStatus,
    due_on: Option<time::Date>,
    /// The organisations the person may contribute for, while it is open.
    contributors: Vec<Named>,
    body_name: String,
    official: bool,
    contribution: String,
    problems: Problems,
    notice: Option<String>,
}

impl CommitteePage {
    fn content(&self) -> Option<&ReportContent> {
        self.shown.as_ref().map(|(_, c)| c)
    }
}

/// What a committee's report page shows besides the report: a contribution
/// as typed with its problems, and a notice.
#[derive(Default)]
struct Shown {
    contribution: String,
    problems: Problems,
    notice: Option<String>,
}

async fn committee_page(
    state: &AppState,
    ctx: &PageCtx,
    acting: Option<&Acting>,
    at: ReportPath,
    number: Option<i32>,
    shown: Shown,
) -> Result<Response, PageError> {
    let Shown {
        contribution,
        problems,
        notice,
    } = shown;
    let year = at.year()?;
    let snapshot = state.app.public().await?;
    let a = snapshot.agreement_in(&at.slug, ctx.lang.code())?;
    let municipality = a.summary.municipality.slug.clone();
    let register = state.app.register_of(&at.slug).await?;
    let view = (state.app)
        .report_page(&register, &at.body, (year, number))
        .await?;
    // The form shows while the report takes contributions, and again with
    // the typed text when one was refused (the report closed meanwhile).
    let contributors = match acting {
        Some(x) if view.state.takes_contributions() || !contribution.is_empty() => {
            (state.app)
                .contributors(&x.roles, &register, &at.body, year)
                .await?
        }
        _ => Vec::new(),
    };
    let official = acting.is_some_and(|x| {
        x.roles
            .is_official_of(&format!("{municipality}/{}", at.body))
    });
    let body_name = view.state.body.name.clone();
    let t = ctx.t();
    let title = t
        .with("committee-report-title", "body", body_name.as_str())
        .into_owned()
        + &format!(" {year}");
    render(CommitteePage {
        page: ctx.page(title, Some(NavAgreement::of(a, "reports"))),
        at,
        shown: view.shown,
        versions: view.versions,
        latest: view.latest,
        status: view.state.status,
        due_on: view.state.due_on,
        contributors,
        body_name,
        official,
        contribution,
        problems,
        notice,
    })
}

pub async fn committee(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Option<Acting>,
    params: Params,
    Path(at): Path<ReportPath>,
) -> Result<Response, PageError> {
    let notice = crate::html::forms::notice(&ctx, &params, &["contribution-saved"]);
    let shown = Shown {
        notice,
        ..Shown::default()
    };
    committee_page(&state, &ctx, acting.as_ref(), at, None, shown).await
}

/// `/agreements/{slug}/reports/{year}/{body}/versions/{number}`
#[derive(Debug, serde::Deserialize)]
pub struct VersionPath {
    pub slug: String,
    pub year: String,
    pub body: String,
    pub number: String,
}

pub async fn version(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Option<Acting>,
    Path(v): Path<VersionPath>,
) -> Result<Response, PageError> {
    let number: i32 = v
        .number
        .parse()
        .map_err(|_| PageError(Error::NotFound("report version")))?;
    let at = ReportPath {
        slug: v.slug,
        year: v.year,
        body: v.body,
    };
    committee_page(
        &state,
        &ctx,
        acting.as_ref(),
        at,
        Some(number),
        Shown::default(),
    )
    .await
}

/// A contribution from the sector. Refused input (empty, or the report was
/// handed in meanwhile) comes back with the typed text kept.
pub async fn contribute(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    Path(at): Path<ReportPath>,
    axum::extract::Form(fields): Fields,
) -> Result<Response, PageError> {
    let form = ContributionForm {
        organisation: one(&fields, "organisation"),
        body: one(&fields, "body"),
    };
    let year = at.year()?;
    let register = state.app.register_of(&at.slug).await?;
    let municipality = municipality(&state, &at.slug).await?;
    let at_year = CommitteeYear {
        municipality: &municipality,
        agreement: &at.slug,
        register: &register,
        body: &at.body,
        year,
    };
    let done = (state.app)
        .contribute(&acting.user, &acting.roles, at_year, &form)
        .await;
    let (problems, status) = match done {
        Ok(()) => {
            return Ok(
                Redirect::to(&format!("{}?done=contribution-saved", at.url())).into_response(),
            );
        }
        Err(e) => contribution_refused(&ctx, e)?,
    };
    let shown = Shown {
        contribution: form.body,
        problems,
        notice: None,
    };
    let res = committee_page(&state, &ctx, Some(&acting), at, None, shown).await?;
    Ok(answer(res, status))
}

/// What the contribution form shows when refused: the problems (422), or
/// that the report was handed in meanwhile (409).
fn contribution_refused(ctx: &PageCtx, e: Error) -> Result<(Problems, StatusCode), PageError> {
    match e {
        Error::Validation(errors) => Ok((
            Problems::from_errors(ctx, &errors),
            StatusCode::UNPROCESSABLE_ENTITY,
        )),
        Error::Conflict(message) => {
            let mut problem = FieldError::new("body", "contribution-closed", message.text);
            problem.detail = None;
            Ok((Problems::from_errors(ctx, &[problem]), StatusCode::CONFLICT))
        }
        e => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "reports/mine.html")]
struct MinePage {
    page: Page,
    mine: Vec<MyReport>,
    open: Vec<MyReport>,
}

/// `/account/reports`: the reports a person writes or may contribute to.
pub async fn mine(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
) -> Result<Response, PageError> {
    let (mine, open) = state.app.my_reports(&acting.roles).await?;
    render(MinePage {
        page: ctx.page(ctx.t().get("my-reports-title"), None),
        mine,
        open,
    })
}
