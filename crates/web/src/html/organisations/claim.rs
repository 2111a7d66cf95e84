//! Claiming an organisation that has no members: the request from its
//! page, and the link sent to its mailbox, opened by the person who asked
//! (`app::organisations::claim` has the rules).

use crate::AppState;
use crate::error::{PageError, word};
use crate::html::render;
use crate::page::{Page, PageCtx};
use crate::session::SignedIn;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use samverkan_app::Error;
use samverkan_app::organisations::claim::ClaimView;

/// Asks for the link; the organisation's page then says where it went.
pub async fn request(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(user): SignedIn,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    match state.app.request_claim(&user, &slug).await {
        Ok(()) => {
            Ok(Redirect::to(&format!("/organisations/{slug}?done=claim-sent")).into_response())
        }
        Err(Error::Conflict(m)) => {
            let text = word(&ctx.t(), &m);
            let shown = (None, Some(text));
            let page = super::organisation_page(&state, &ctx, Some(user), &slug, shown).await?;
            Ok(crate::html::forms::answer(page, StatusCode::CONFLICT))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "organisations/claim.html")]
struct ClaimPage {
    page: Page,
    token: String,
    v: ClaimView,
    /// Why the claim was refused, when it was.
    refusal: Option<String>,
}

async fn claim_page(
    state: &AppState,
    ctx: &PageCtx,
    user: &samverkan_app::accounts::CurrentUser,
    token: String,
    refusal: Option<String>,
) -> Result<Response, PageError> {
    let v = state.app.claim(user, &token).await?;
    render(ClaimPage {
        page: ctx.page(ctx.t().get("claim-title"), None),
        token,
        v,
        refusal,
    })
}

pub async fn claim_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(user): SignedIn,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    claim_page(&state, &ctx, &user, token, None).await
}

/// Confirms the claim: the person who asked becomes the organisation's
/// first administrator and lands on its members' page.
pub async fn confirm(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(user): SignedIn,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    let (status, refusal) = match state.app.confirm_claim(&user, &token).await {
        Ok(slug) => {
            return Ok(Redirect::to(&format!("/organisations/{slug}/members")).into_response());
        }
        Err(Error::Conflict(m)) => (StatusCode::CONFLICT, word(&ctx.t(), &m)),
        Err(Error::Forbidden(_)) => (
            StatusCode::FORBIDDEN,
            ctx.t().get("claim-other-account").into_owned(),
        ),
        Err(e) => return Err(e.into()),
    };
    let page = claim_page(&state, &ctx, &user, token, Some(refusal)).await?;
    Ok(crate::html::forms::answer(page, status))
}
