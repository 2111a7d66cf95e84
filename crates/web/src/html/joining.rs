//! Joining an agreement: the application form, the coordinators' list of
//! applications with approve and decline, and withdrawal from the account page.

use crate::AppState;
use crate::error::PageError;
use crate::html::agreements::page_for;
use crate::html::forms::{Answer, Fields, Problems, notice, number, one, refused, unprocessable};
use crate::html::render;
use crate::page::{Page, PageCtx};
use crate::query::Params;
use crate::session::Acting;
use askama::Template;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use samverkan_app::Error;
use samverkan_app::joining::{Application, Decision, JoinOption, takes_applications};
use samverkan_app::snapshot::AgreementRecord;

#[derive(Template)]
#[template(path = "joining/join.html")]
struct JoinPage<'a> {
    page: Page,
    a: &'a AgreementRecord,
    open: bool,
    options: Vec<JoinOption>,
    party: String,
    accepted: bool,
    problems: Problems,
}

async fn join_page(
    state: &AppState,
    ctx: &PageCtx,
    acting: &Acting,
    slug: &str,
    party: String,
    accepted: bool,
    problems: Problems,
) -> Result<Response, PageError> {
    let snapshot = state.app.public().await?;
    let a = snapshot.agreement_in(slug, ctx.lang.code())?;
    let options = state.app.join_options(&acting.user, &acting.roles);
    render(JoinPage {
        page: page_for(ctx, a, "join-title", "parties"),
        a,
        open: takes_applications(a.summary.status),
        options,
        party,
        accepted,
        problems,
    })
}

pub async fn join_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    join_page(
        &state,
        &ctx,
        &acting,
        &slug,
        String::new(),
        false,
        Problems::default(),
    )
    .await
}

pub async fn join(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    Path(slug): Path<String>,
    Form(fields): Fields,
) -> Result<Response, PageError> {
    let party = one(&fields, "party");
    let accepted = one(&fields, "accept") == "yes";
    let (user, roles) = (&acting.user, &acting.roles);
    let done = (state.app)
        .apply_to_join(user, roles, &slug, &party, accepted)
        .await;
    let (problems, answer) = match done {
        Ok(_) => return Ok(Redirect::to("/account?done=applied").into_response()),
        // The agreement no longer takes applications: the page says so.
        Err(Error::Conflict(_)) => (Problems::default(), Answer::new(StatusCode::CONFLICT)),
        Err(e) => refused(&ctx, e, Some("party"))?,
    };
    let res = join_page(&state, &ctx, &acting, &slug, party, accepted, problems).await?;
    Ok(answer.to(res))
}

#[derive(Template)]
#[template(path = "joining/applications.html")]
struct ApplicationsPage<'a> {
    page: Page,
    a: &'a AgreementRecord,
    applications: Vec<Application>,
    notice: Option<String>,
    /// The application whose decision form has problems, and what was typed.
    failed: Option<(i64, String)>,
    problems: Problems,
}

impl ApplicationsPage<'_> {
    fn typed_reason(&self, id: &i64) -> &str {
        match &self.failed {
            Some((failed, reason)) if failed == id => reason,
            _ => "",
        }
    }
    fn problem_for(&self, id: &i64) -> Option<&str> {
        match &self.failed {
            Some((failed, _)) if failed == id => self.problems.get("reason"),
            _ => None,
        }
    }
}

async fn applications_page(
    state: &AppState,
    ctx: &PageCtx,
    acting: &Acting,
    slug: &str,
    notice: Option<String>,
    failed: Option<(i64, String)>,
    problems: Problems,
) -> Result<Response, PageError> {
    let snapshot = state.app.public().await?;
    let a = snapshot.agreement_in(slug, ctx.lang.code())?;
    let applications = state.app.applications(&acting.roles, slug).await?;
    render(ApplicationsPage {
        page: page_for(ctx, a, "applications-title", "parties"),
        a,
        applications,
        notice,
        failed,
        problems,
    })
}

pub async fn applications(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    params: Params,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    let notice = notice(&ctx, &params, &["approved", "declined", "already-decided"]);
    applications_page(
        &state,
        &ctx,
        &acting,
        &slug,
        notice,
        None,
        Problems::default(),
    )
    .await
}

pub async fn decide(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    Path(slug): Path<String>,
    Form(fields): Fields,
) -> Result<Response, PageError> {
    let id = number(&fields, "application").ok_or(Error::NotFound("application"))?;
    let reason = one(&fields, "reason");
    let (user, roles) = (&acting.user, &acting.roles);
    let outcome = match Decision::parse(&one(&fields, "decision")) {
        Ok(d) => (state.app)
            .decide_application(user, roles, &slug, id, d, &reason)
            .await
            .map(|()| d),
        Err(e) => Err(e),
    };
    let done = match outcome {
        Ok(Decision::Approve) => "approved",
        Ok(Decision::Decline) => "declined",
        Err(Error::Conflict(_)) => "already-decided",
        Err(Error::Validation(errors)) => {
            let problems = Problems::from_errors(&ctx, &errors);
            let typed = Some((id, reason));
            let res = applications_page(&state, &ctx, &acting, &slug, None, typed, problems);
            return Ok(unprocessable(res.await?));
        }
        Err(e) => return Err(e.into()),
    };
    let to = format!("/agreements/{slug}/applications?done={done}");
    Ok(Redirect::to(&to).into_response())
}

pub async fn withdraw(
    State(state): State<AppState>,
    acting: Acting,
    Form(fields): Fields,
) -> Result<Response, PageError> {
    let id = number(&fields, "application").ok_or(Error::NotFound("application"))?;
    match state
        .app
        .withdraw_application(&acting.user, &acting.roles, id)
        .await
    {
        Ok(()) => Ok(Redirect::to("/account?done=withdrawn").into_response()),
        Err(Error::Conflict(_)) => {
            Ok(Redirect::to("/account?done=already-decided").into_response())
        }
        Err(e) => Err(e.into()),
    }
}
