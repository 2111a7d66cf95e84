//! The officials' workspace for their committee's yearly report: the
//! year's records and figures (computed, never typed), the written sections
//! and reflections, the contributions received, and the steps draft →
//! submitted → approved → published, and a correction after publication.

use crate::AppState;
use crate::error::PageError;
use crate::html::forms::{Fields, Problems, one, unprocessable};
use crate::html::render;
use crate::html::reports::{ReportPath, municipality};
use crate::page::{NavAgreement, Page, PageCtx};
use crate::query::Params;
use crate::session::Acting;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use samverkan_app::Error;
use samverkan_app::register::{RecordActivity, RegisterScope};
use samverkan_app::reports::{ApprovalForm, CommitteeReport, CommitteeYear, ReportForm};

/// What the workspace shows besides the stored report: typed text that
/// was refused, and which form it belonged to.
#[derive(Default)]
struct Typed {
    form: Option<ReportForm>,
    approval: ApprovalForm,
    reason: String,
    problems: Problems,
    stale: bool,
}

#[derive(Template)]
#[template(path = "reports/workspace.html")]
struct WorkspacePage {
    page: Page,
    at: ReportPath,
    report: CommitteeReport,
    form: ReportForm,
    approval: ApprovalForm,
    reason: String,
    problems: Problems,
    stale: bool,
    notice: Option<String>,
    today: time::Date,
}

impl WorkspacePage {
    fn content(&self) -> &samverkan_app::reports::content::ReportContent {
        &self.report.content
    }

    /// The reflections with their typed or stored text.
    fn reflections(&self) -> Vec<(&str, &str, &str)> {
        self.report
            .content
            .reflections
            .iter()
            .map(|r| {
                let text = self
                    .form
                    .reflections
                    .iter()
                    .find(|(s, _)| s == &r.principle.slug)
                    .map(|(_, t)| t.as_str())
                    .unwrap_or(r.body.as_str());
                (r.principle.slug.as_str(), r.principle.name.as_str(), text)
            })
            .collect()
    }

    fn overdue(&self) -> bool {
        self.report.is_overdue(self.today)
    }

    fn missing(&self) -> &[RecordActivity] {
        &self.report.missing
    }
}

fn report_form(fields: &[(String, String)]) -> ReportForm {
    ReportForm {
        went_well: one(fields, "went_well"),
        went_badly: one(fields, "went_badly"),
        next_year: one(fields, "next_year"),
        reflections: fields
            .iter()
            .filter_map(|(k, v)| {
                k.strip_prefix("reflection-")
                    .map(|slug| (slug.to_owned(), v.clone()))
            })
            .collect(),
        version: one(fields, "version"),
    }
}

async fn workspace_page(
    state: &AppState,
    ctx: &PageCtx,
    at: ReportPath,
    typed: Typed,
    notice: Option<String>,
) -> Result<Response, PageError> {
    let year = at.year()?;
    let snapshot = state.app.public().await?;
    let a = snapshot.agreement_in(&at.slug, ctx.lang.code())?;
    let register = state.app.register_of(&at.slug).await?;
    let report = state
        .app
        .committee_report(&at.slug, &register, &at.body, year)
        .await?;
    let form = typed.form.unwrap_or_else(|| ReportForm {
        went_well: report.content.went_well.clone(),
        went_badly: report.content.went_badly.clone(),
        next_year: report.content.next_year.clone(),
        reflections: Vec::new(),
        version: report.version.to_string(),
    });
    let t = ctx.t();
    let title = t
        .with("workspace-title", "body", report.content.body.name.as_str())
        .into_owned()
        + &format!(" {year}");
    render(WorkspacePage {
        page: ctx.page(title, Some(NavAgreement::of(a, "reports"))),
        at,
        form,
        approval: typed.approval,
        reason: typed.reason,
        problems: typed.problems,
        stale: typed.stale,
        notice,
        today: snapshot.today,
        report,
    })
}

pub async fn workspace(
    State(state): State<AppState>,
    ctx: PageCtx,
    params: Params,
    Path(at): Path<ReportPath>,
) -> Result<Response, PageError> {
    let notice = crate::html::forms::notice(
        &ctx,
        &params,
        &[
            "report-saved",
            "report-submitted",
            "report-reopened",
            "report-approved",
            "report-published",
            "report-correcting",
        ],
    );
    workspace_page(&state, &ctx, at, Typed::default(), notice).await
}

fn done(at: &ReportPath, what: &str) -> Response {
    Redirect::to(&format!("{}/edit?done={what}", at.url())).into_response()
}

/// Answers a refused step: problems re-render the workspace with what was
/// typed (422), a conflict with the stored state (409).
async fn refused(
    state: &AppState,
    ctx: &PageCtx,
    at: ReportPath,
    mut typed: Typed,
    error: Error,
) -> Result<Response, PageError> {
    match error {
        Error::Validation(errors) => {
            typed.problems = Problems::from_errors(ctx, &errors);
            Ok(unprocessable(
                workspace_page(state, ctx, at, typed, None).await?,
            ))
        }
        Error::Stale(_) | Error::Conflict(_) => {
            typed.stale = true;
            // The typed text stays, on the newer version, so saving again
            // overwrites on purpose.
            let mut res = workspace_page(state, ctx, at, typed, None).await?;
            *res.status_mut() = StatusCode::CONFLICT;
            Ok(res)
        }
        e => Err(e.into()),
    }
}

pub async fn save(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    Path(at): Path<ReportPath>,
    axum::extract::Form(fields): Fields,
) -> Result<Response, PageError> {
    let form = report_form(&fields);
    let w = Target::of(&state, &at).await?;
    let saved = (state.app)
        .save_report(&acting.roles, w.at(&at), &form)
        .await;
    let Err(e) = saved else {
        return Ok(done(&at, "report-saved"));
    };
    let form = match e {
        // Keep the typed text on the newer version.
        Error::Stale(_) => w.on_fresh_version(&state, &at, form).await?,
        _ => form,
    };
    let typed = Typed {
        form: Some(form),
        ..Typed::default()
    };
    refused(&state, &ctx, at, typed, e).await
}

/// The report a step acts on: its year, and the agreement's municipality
/// and register.
struct Target {
    year: i32,
    municipality: String,
    register: RegisterScope,
}

impl Target {
    async fn of(state: &AppState, at: &ReportPath) -> Result<Target, PageError> {
        let year = at.year()?;
        let municipality = municipality(state, &at.slug).await?;
        let register = state.app.register_of(&at.slug).await?;
        Ok(Target {
            year,
            municipality,
            register,
        })
    }

    /// The committee's year the path names, as the use cases take it.
    fn at<'a>(&'a self, path: &'a ReportPath) -> CommitteeYear<'a> {
        CommitteeYear {
            municipality: &self.municipality,
            agreement: &path.slug,
            register: &self.register,
            body: &path.body,
            year: self.year,
        }
    }

    /// The typed form moved onto the report's version now.
    async fn on_fresh_version(
        &self,
        state: &AppState,
        at: &ReportPath,
        mut form: ReportForm,
    ) -> Result<ReportForm, PageError> {
        let fresh = (state.app)
            .committee_report(&at.slug, &self.register, &at.body, self.year)
            .await?;
        form.version = fresh.version.to_string();
        Ok(form)
    }
}

pub async fn submit(
    state: State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    at: Path<ReportPath>,
) -> Result<Response, PageError> {
    step(state, ctx, acting, at, "submit").await
}

pub async fn reopen(
    state: State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    at: Path<ReportPath>,
) -> Result<Response, PageError> {
    step(state, ctx, acting, at, "reopen").await
}

pub async fn publish(
    state: State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    at: Path<ReportPath>,
) -> Result<Response, PageError> {
    step(state, ctx, acting, at, "publish").await
}

/// The steps without a form of their own: submit, reopen, publish.
async fn step(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    Path(at): Path<ReportPath>,
    action: &str,
) -> Result<Response, PageError> {
    let w = Target::of(&state, &at).await?;
    let (app, roles, report) = (&state.app, &acting.roles, w.at(&at));
    let (result, what) = match action {
        "submit" => (app.submit_report(roles, report).await, "report-submitted"),
        "reopen" => (app.reopen_report(roles, report).await, "report-reopened"),
        "publish" => (
            app.publish_report(&acting.user, roles, report)
                .await
                .map(|_| ()),
            "report-published",
        ),
        _ => return Err(PageError(Error::NotFound("report step"))),
    };
    match result {
        Ok(()) => Ok(done(&at, what)),
        Err(e) => refused(&state, &ctx, at, Typed::default(), e).await,
    }
}

pub async fn approve(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    Path(at): Path<ReportPath>,
    axum::extract::Form(fields): Fields,
) -> Result<Response, PageError> {
    let form = ApprovalForm {
        approved_on: one(&fields, "approved_on"),
        decision_reference: one(&fields, "decision_reference"),
    };
    let w = Target::of(&state, &at).await?;
    let approved = (state.app)
        .approve_report(&acting.roles, w.at(&at), &form)
        .await;
    let Err(e) = approved else {
        return Ok(done(&at, "report-approved"));
    };
    let typed = Typed {
        approval: form,
        ..Typed::default()
    };
    refused(&state, &ctx, at, typed, e).await
}

pub async fn correct(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    Path(at): Path<ReportPath>,
    axum::extract::Form(fields): Fields,
) -> Result<Response, PageError> {
    let reason = one(&fields, "reason");
    let w = Target::of(&state, &at).await?;
    let corrected = (state.app)
        .correct_report(&acting.roles, w.at(&at), &reason)
        .await;
    let Err(e) = corrected else {
        return Ok(done(&at, "report-correcting"));
    };
    let typed = Typed {
        reason,
        ..Typed::default()
    };
    refused(&state, &ctx, at, typed, e).await
}
