//! An organisation's members: the list for its members, and for its
//! administrators invitations by e-mail, roles and removal; the page behind
//! an invitation link.

use crate::AppState;
use crate::error::PageError;
use crate::html::forms::{Fields, Problems, notice, number, one, too_many, unprocessable};
use crate::html::render;
use crate::page::{Page, PageCtx};
use crate::query::Params;
use crate::session::{Acting, SignedIn};
use askama::Template;
use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use samverkan_app::Error;
use samverkan_app::organisations::members::{InvitationView, MembersView};
use samverkan_domain::MemberRole;

#[derive(Template)]
#[template(path = "organisations/members.html")]
struct MembersPage {
    page: Page,
    v: MembersView,
    me: i64,
    notice: Option<String>,
    problems: Problems,
    /// What was typed in the invitation form.
    invite_email: String,
    invite_role: String,
    roles: &'static [MemberRole],
}

async fn members_page(
    state: &AppState,
    ctx: &PageCtx,
    acting: &Acting,
    slug: &str,
    notice: Option<String>,
    problems: Problems,
    typed: (String, String),
) -> Result<Response, PageError> {
    let v = state.app.members(&acting.roles, slug).await?;
    render(MembersPage {
        page: ctx.page(ctx.t().with("members-title", "name", v.name.as_str()), None),
        v,
        me: acting.user.id,
        notice,
        problems,
        invite_email: typed.0,
        invite_role: typed.1,
        roles: MemberRole::ALL,
    })
}

pub async fn members(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    params: Params,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    let notice = notice(
        &ctx,
        &params,
        &[
            "invited",
            "role-changed",
            "removed",
            "invitation-revoked",
            "last-admin",
        ],
    );
    members_page(
        &state,
        &ctx,
        &acting,
        &slug,
        notice,
        Problems::default(),
        Default::default(),
    )
    .await
}

fn back(slug: &str, done: &str) -> Response {
    Redirect::to(&format!("/organisations/{slug}/members?done={done}")).into_response()
}

pub async fn invite(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    Path(slug): Path<String>,
    Form(fields): Fields,
) -> Result<Response, PageError> {
    let email = one(&fields, "email");
    let role = one(&fields, "role");
    match state
        .app
        .invite_member(&acting.user, &acting.roles, &slug, &email, &role)
        .await
    {
        Ok(()) => Ok(back(&slug, "invited")),
        Err(Error::Validation(errors)) => {
            let problems = Problems::from_errors(&ctx, &errors);
            Ok(unprocessable(
                members_page(&state, &ctx, &acting, &slug, None, problems, (email, role)).await?,
            ))
        }
        Err(Error::Throttled(t)) => {
            let problems = Problems::throttled(&ctx, t, "email");
            let res =
                members_page(&state, &ctx, &acting, &slug, None, problems, (email, role)).await?;
            Ok(too_many(res, t))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn set_role(
    State(state): State<AppState>,
    acting: Acting,
    Path(slug): Path<String>,
    Form(fields): Fields,
) -> Result<Response, PageError> {
    let member = number(&fields, "member").ok_or(Error::NotFound("member"))?;
    match state
        .app
        .set_member_role(
            &acting.user,
            &acting.roles,
            &slug,
            member,
            &one(&fields, "role"),
        )
        .await
    {
        Ok(()) => Ok(back(&slug, "role-changed")),
        Err(Error::Conflict(_)) => Ok(back(&slug, "last-admin")),
        Err(e) => Err(e.into()),
    }
}

pub async fn remove(
    State(state): State<AppState>,
    acting: Acting,
    Path(slug): Path<String>,
    Form(fields): Fields,
) -> Result<Response, PageError> {
    let member = number(&fields, "member").ok_or(Error::NotFound("member"))?;
    match state
        .app
        .remove_member(&acting.user, &acting.roles, &slug, member)
        .await
    {
        Ok(()) => Ok(back(&slug, "removed")),
        Err(Error::Conflict(_)) => Ok(back(&slug, "last-admin")),
        Err(e) => Err(e.into()),
    }
}

pub async fn revoke_invitation(
    State(state): State<AppState>,
    acting: Acting,
    Path(slug): Path<String>,
    Form(fields): Fields,
) -> Result<Response, PageError> {
    let id = number(&fields, "invitation").ok_or(Error::NotFound("invitation"))?;
    state
        .app
        .revoke_invitation(&acting.user, &acting.roles, &slug, id)
        .await?;
    Ok(back(&slug, "invitation-revoked"))
}

#[derive(Template)]
#[template(path = "accounts/invitation.html")]
struct InvitationPage {
    page: Page,
    token: String,
    v: InvitationView,
}

pub async fn invitation_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(user): SignedIn,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    let v = state.app.invitation(&user, &token).await?;
    render(InvitationPage {
        page: ctx.page(ctx.t().get("invitation-title"), None),
        token,
        v,
    })
}

pub async fn accept_invitation(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(user): SignedIn,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    let status = match state.app.accept_invitation(&user, &token).await {
        Ok(slug) => {
            return Ok(Redirect::to(&format!("/organisations/{slug}/members")).into_response());
        }
        Err(Error::Conflict(_)) => axum::http::StatusCode::CONFLICT,
        Err(Error::Forbidden(_)) => axum::http::StatusCode::FORBIDDEN,
        Err(e) => return Err(e.into()),
    };
    // The page says why: used up, or sent to another address.
    let v = state.app.invitation(&user, &token).await?;
    let mut res = render(InvitationPage {
        page: ctx.page(ctx.t().get("invitation-title"), None),
        token,
        v,
    })?;
    *res.status_mut() = status;
    Ok(res)
}
