//! An agreement's roles and terms, for its coordinators: the page, and the
//! forms that add a role, edit or remove one (a role nobody has held), name
//! a holder for a period and end a term early.

use super::agreements::page_for;
use crate::AppState;
use crate::error::PageError;
use crate::html::forms::{
    Answer, Fields, Problems, notice, number, one, refusal_or_problems, refused,
};
use crate::html::render;
use crate::page::{Page, PageCtx};
use crate::query::Params;
use crate::session::Acting;
use askama::Template;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use samverkan_app::Error;
use samverkan_app::governance::{GovernanceView, RoleForm, RoleTerms, TermForm, TermView};
use samverkan_domain::{RoleKind, Side};
use time::Date;

#[derive(Template)]
#[template(path = "governance/page.html")]
struct GovernancePage {
    page: Page,
    g: GovernanceView,
    kinds: &'static [RoleKind],
    sides: &'static [Side],
    today: Date,
    shown: Shown,
}

impl GovernancePage {
    /// The day an end form offers: today, or the first day of a term that
    /// has not started.
    fn end_default(&self, t: &TermView) -> Date {
        t.starts_on.max(self.today)
    }
}

/// What the page shows besides the stored roles: each form as typed, the
/// problems of the one that was refused, a notice.
#[derive(Default)]
struct Shown {
    role: RoleForm,
    role_problems: Problems,
    term: TermForm,
    term_problems: Problems,
    /// The term whose end was refused, with the date typed.
    end: Option<(i64, String)>,
    end_problems: Problems,
    notice: Option<String>,
    /// The term ended was changed meanwhile (409).
    stale: bool,
}

impl Shown {
    /// The problems of every form, for the summary at the top.
    fn problems(&self) -> impl Iterator<Item = &crate::html::forms::Problem> {
        (self.role_problems.iter())
            .chain(self.term_problems.iter())
            .chain(self.end_problems.iter())
    }

    /// The date typed in the end form of `term`, when that form was refused.
    fn end_typed(&self, term: &i64) -> Option<&str> {
        self.end
            .as_ref()
            .filter(|(id, _)| id == term)
            .map(|(_, typed)| typed.as_str())
    }

    fn has_problems(&self) -> bool {
        self.problems().next().is_some()
    }
}

async fn governance_page(
    state: &AppState,
    ctx: &PageCtx,
    acting: &Acting,
    slug: &str,
    shown: Shown,
) -> Result<Response, PageError> {
    let snapshot = state.app.public().await?;
    let a = snapshot.agreement_in(slug, ctx.lang.code())?;
    let g = state.app.governance(&acting.roles, slug).await?;
    render(GovernancePage {
        page: page_for(ctx, a, "governance-title", "contact"),
        g,
        kinds: RoleKind::ALL,
        sides: Side::ALL,
        today: samverkan_app::text::today(),
        shown,
    })
}

pub async fn page(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    params: Params,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    let shown = Shown {
        notice: notice(
            &ctx,
            &params,
            &[
                "role-added",
                "role-edited",
                "role-removed",
                "term-added",
                "term-ended",
            ],
        ),
        ..Shown::default()
    };
    governance_page(&state, &ctx, &acting, &slug, shown).await
}

fn done(slug: &str, what: &str) -> Response {
    Redirect::to(&format!("/agreements/{slug}/governance?done={what}")).into_response()
}

pub async fn add_role(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    Path(slug): Path<String>,
    Form(fields): Fields,
) -> Result<Response, PageError> {
    let form = RoleForm {
        kind: one(&fields, "kind"),
        side: one(&fields, "side"),
        title: one(&fields, "title"),
        mailbox: one(&fields, "mailbox"),
        description: one(&fields, "description"),
    };
    let (user, roles) = (&acting.user, &acting.roles);
    let (problems, answer) = match state
        .app
        .add_governance_role(user, roles, &slug, &form)
        .await
    {
        Ok(_) => return Ok(done(&slug, "role-added")),
        Err(e) => refused(&ctx, e, None)?,
    };
    let shown = Shown {
        role: form,
        role_problems: problems,
        ..Shown::default()
    };
    let res = governance_page(&state, &ctx, &acting, &slug, shown).await?;
    Ok(answer.to(res))
}

pub async fn add_term(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    Path(slug): Path<String>,
    Form(fields): Fields,
) -> Result<Response, PageError> {
    let form = TermForm {
        role: one(&fields, "role"),
        holder: one(&fields, "holder"),
        starts_on: one(&fields, "starts_on"),
        ends_on: one(&fields, "ends_on"),
    };
    let (user, roles) = (&acting.user, &acting.roles);
    let (problems, answer) = match state
        .app
        .add_governance_term(user, roles, &slug, &form)
        .await
    {
        Ok(()) => return Ok(done(&slug, "term-added")),
        Err(e) => refused(&ctx, e, None)?,
    };
    let shown = Shown {
        term: form,
        term_problems: problems,
        ..Shown::default()
    };
    let res = governance_page(&state, &ctx, &acting, &slug, shown).await?;
    Ok(answer.to(res))
}

/// Ends a term early. When the term changed meanwhile the page comes back
/// (409) with its dates now and a note of what happened.
pub async fn end_term(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    Path(slug): Path<String>,
    Form(fields): Fields,
) -> Result<Response, PageError> {
    let term = number(&fields, "term").ok_or(Error::NotFound("term"))?;
    let version = number(&fields, "version").unwrap_or(0);
    let ends_on = one(&fields, "ends_on");
    let (user, roles) = (&acting.user, &acting.roles);
    let done_now = (state.app)
        .end_governance_term(user, roles, &slug, (term, version), &ends_on)
        .await;
    let (shown, answer) = match done_now {
        Ok(()) => return Ok(done(&slug, "term-ended")),
        Err(Error::Stale(_)) => (
            Shown {
                stale: true,
                ..Shown::default()
            },
            Answer::new(StatusCode::CONFLICT),
        ),
        Err(e) => {
            let (problems, answer) = refused(&ctx, e, None)?;
            let shown = Shown {
                end: Some((term, ends_on)),
                end_problems: problems.for_field("end_on"),
                ..Shown::default()
            };
            (shown, answer)
        }
    };
    let res = governance_page(&state, &ctx, &acting, &slug, shown).await?;
    Ok(answer.to(res))
}

#[derive(Template)]
#[template(path = "governance/role.html")]
struct RolePage {
    page: Page,
    slug: String,
    /// The role as stored now.
    role: RoleTerms,
    /// The form as typed (the stored role's fields when first shown).
    form: RoleForm,
    sides: &'static [Side],
    problems: Problems,
    /// Why the change was refused (409): changed meanwhile, or held.
    refusal: Option<String>,
}

impl RolePage {
    /// Whether nobody holds or has held the role, so it may be removed.
    fn unheld(&self) -> bool {
        self.role.current.is_empty() && self.role.coming.is_empty() && self.role.past.is_empty()
    }
}

/// The role's edit page, built from the role as stored now and the form.
async fn role_page(
    state: &AppState,
    ctx: &PageCtx,
    acting: &Acting,
    (slug, role): (&str, &str),
    typed: Option<RoleForm>,
    (problems, refusal): (Problems, Option<String>),
) -> Result<Response, PageError> {
    let snapshot = state.app.public().await?;
    let a = snapshot.agreement_in(slug, ctx.lang.code())?;
    let stored = state.app.governance_role(&acting.roles, slug, role).await?;
    let form = typed.unwrap_or_else(|| RoleForm {
        kind: stored.kind.as_str().to_owned(),
        side: stored.side.as_str().to_owned(),
        title: stored.title.clone(),
        mailbox: stored.mailbox.clone().unwrap_or_default(),
        description: stored.description.clone(),
    });
    render(RolePage {
        page: page_for(ctx, a, "governance-role-edit-title", "contact"),
        slug: slug.to_owned(),
        role: stored,
        form,
        sides: Side::ALL,
        problems,
        refusal,
    })
}

pub async fn role(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    Path((slug, role)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let none = (Problems::default(), None);
    role_page(&state, &ctx, &acting, (&slug, &role), None, none).await
}

/// Saves the role's side, title, mailbox and description; a change made on
/// an older version comes back 409 with what was typed.
pub async fn edit_role(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    Path((slug, role)): Path<(String, String)>,
    Form(fields): Fields,
) -> Result<Response, PageError> {
    let form = RoleForm {
        kind: String::new(),
        side: one(&fields, "side"),
        title: one(&fields, "title"),
        mailbox: one(&fields, "mailbox"),
        description: one(&fields, "description"),
    };
    let version = number(&fields, "version").unwrap_or(0);
    let (user, roles) = (&acting.user, &acting.roles);
    let saved = (state.app)
        .edit_governance_role(user, roles, &slug, (&role, version), &form)
        .await;
    let (refusal, problems, answer) = match saved {
        Ok(()) => return Ok(done(&slug, "role-edited")),
        Err(e) => refusal_or_problems(&ctx, e)?,
    };
    let shown = (problems, refusal);
    let res = role_page(&state, &ctx, &acting, (&slug, &role), Some(form), shown).await?;
    Ok(answer.to(res))
}

/// Removes a role nobody has held; a held role is kept (409, the reason).
pub async fn remove_role(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    Path((slug, role)): Path<(String, String)>,
    Form(fields): Fields,
) -> Result<Response, PageError> {
    let version = number(&fields, "version").unwrap_or(0);
    let (user, roles) = (&acting.user, &acting.roles);
    let removed = (state.app)
        .remove_governance_role(user, roles, &slug, (&role, version))
        .await;
    let (refusal, problems, answer) = match removed {
        Ok(()) => return Ok(done(&slug, "role-removed")),
        Err(e) => refusal_or_problems(&ctx, e)?,
    };
    let shown = (problems, refusal);
    let res = role_page(&state, &ctx, &acting, (&slug, &role), None, shown).await?;
    Ok(answer.to(res))
}
