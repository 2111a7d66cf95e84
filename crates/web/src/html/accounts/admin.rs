//! Platform administration: people and their roles, and the audit record.

use crate::AppState;
use crate::error::PageError;
use crate::html::forms::{Fields, notice, number, one};
use crate::html::render;
use crate::page::{Page, PageCtx};
use crate::query::Params;
use crate::session::Acting;
use askama::Template;
use axum::extract::{Form, State};
use axum::response::{IntoResponse, Redirect, Response};
use samverkan_app::Error;
use samverkan_app::accounts::admin::{AUDIT_PAGE, AuditRow, PersonWithRoles};

#[derive(Template)]
#[template(path = "accounts/admin_people.html")]
struct PeoplePage {
    page: Page,
    q: String,
    people: Vec<PersonWithRoles>,
    /// (agreement slug, short name)
    agreements: Vec<(String, String)>,
    notice: Option<String>,
}

pub async fn people(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    params: Params,
) -> Result<Response, PageError> {
    let q = params.0.get("q").cloned().unwrap_or_default();
    let people = state.app.find_people(&acting.roles, &q).await?;
    let agreements = state
        .app
        .public()
        .await?
        .agreements
        .iter()
        .map(|a| (a.summary.slug.clone(), a.summary.short_name.clone()))
        .collect();
    render(PeoplePage {
        page: ctx.page(ctx.t().get("admin-title"), None),
        q,
        people,
        agreements,
        notice: notice(
            &ctx,
            &params,
            &["role-granted", "role-revoked", "own-admin"],
        ),
    })
}

pub async fn set_role(
    State(state): State<AppState>,
    acting: Acting,
    Form(fields): Fields,
) -> Result<Response, PageError> {
    let person = number(&fields, "person").ok_or(Error::NotFound("person"))?;
    let grant = match one(&fields, "action").as_str() {
        "grant" => true,
        "revoke" => false,
        _ => {
            return Err(Error::bad_request(
                "admin-action-unknown",
                "action must be grant or revoke",
            )
            .into());
        }
    };
    let q: String = form_urlencoded::byte_serialize(one(&fields, "q").as_bytes()).collect();
    let done = match state
        .app
        .set_role(
            &acting.user,
            &acting.roles,
            person,
            &one(&fields, "role"),
            grant,
        )
        .await
    {
        Ok(()) if grant => "role-granted",
        Ok(()) => "role-revoked",
        Err(Error::Conflict(_)) => "own-admin",
        Err(e) => return Err(e.into()),
    };
    Ok(Redirect::to(&format!("/admin?q={q}&done={done}")).into_response())
}

#[derive(Template)]
#[template(path = "accounts/admin_audit.html")]
struct AuditPage {
    page: Page,
    entries: Vec<AuditRow>,
    page_no: i64,
    pages: i64,
}

pub async fn audit(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    params: Params,
) -> Result<Response, PageError> {
    let page_no: i64 = params
        .0
        .get("page")
        .and_then(|p| p.parse().ok())
        .unwrap_or(1)
        .max(1);
    let (entries, total) = state.app.audit_log(&acting.roles, page_no).await?;
    render(AuditPage {
        page: ctx.page(ctx.t().get("audit-title"), None),
        entries,
        page_no,
        pages: ((total + AUDIT_PAGE - 1) / AUDIT_PAGE).max(1),
    })
}
