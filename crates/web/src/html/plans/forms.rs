//! Coordinators keep the action plans: a new plan for a period, and edits
//! of a plan (refused with 409 when someone else saved first).

use crate::AppState;
use crate::error::PageError;
use crate::html::forms::{Answer, Fields, Problems, many, number, one, refused, unprocessable};
use crate::html::render;
use crate::page::{NavAgreement, Page, PageCtx};
use crate::session::Acting;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use samverkan_app::Error;
use samverkan_app::plans::{PlanForm, part_field};
use samverkan_domain::{PlanPart, PlanStatus};

fn plan_form(fields: &[(String, String)]) -> PlanForm {
    PlanForm {
        slug: one(fields, "slug"),
        title: one(fields, "title"),
        starts_on: one(fields, "starts_on"),
        ends_on: one(fields, "ends_on"),
        extended_to: one(fields, "extended_to"),
        decision: one(fields, "decision"),
        summary: one(fields, "summary"),
        challenges: many(fields, "challenges").join(", "),
        status: one(fields, "status"),
        parts: [
            PlanPart::Challenges,
            PlanPart::Conditions,
            PlanPart::Learning,
            PlanPart::Organisation,
        ]
        .map(|p| one(fields, part_field(p))),
    }
}

#[derive(Template)]
#[template(path = "plans/plan_form.html")]
struct PlanFormPage {
    page: Page,
    agreement: String,
    action: String,
    form: PlanForm,
    version: Option<i64>,
    stale: bool,
    problems: Problems,
    /// (slug, name)
    challenges: Vec<(String, String)>,
    /// (id, title, date)
    decisions: Vec<(i64, String, String)>,
    statuses: &'static [PlanStatus],
}

impl PlanFormPage {
    fn has_challenge(&self, slug: &str) -> bool {
        samverkan_app::plans::activities::split_list(&self.form.challenges).contains(&slug)
    }

    /// The four parts with their field names and texts.
    fn parts(&self) -> Vec<(PlanPart, &'static str, &str)> {
        PlanPart::ALL
            .iter()
            .zip(self.form.parts.iter())
            .map(|(p, text)| (*p, part_field(*p), text.as_str()))
            .collect()
    }
}

async fn form_page(
    state: &AppState,
    ctx: &PageCtx,
    (slug, plan): (&str, Option<&str>),
    (form, version, stale): (PlanForm, Option<i64>, bool),
    problems: Problems,
) -> Result<Response, PageError> {
    let snapshot = state.app.public().await?;
    let a = snapshot.agreement_in(slug, ctx.lang.code())?;
    let t = ctx.t();
    let (title, action) = match plan {
        Some(p) => (
            t.with("plan-edit-title", "title", form.title.as_str())
                .into_owned(),
            format!("/agreements/{slug}/plans/{p}/edit"),
        ),
        None => (
            t.get("plan-new-title").into_owned(),
            format!("/agreements/{slug}/plans/new"),
        ),
    };
    render(PlanFormPage {
        page: ctx.page(title, Some(NavAgreement::of(a, "plans"))),
        agreement: slug.to_owned(),
        action,
        form,
        version,
        stale,
        problems,
        challenges: a
            .challenges
            .iter()
            .map(|c| (c.slug.clone(), c.name.clone()))
            .collect(),
        decisions: a
            .decisions
            .iter()
            .map(|d| (d.id, d.title.clone(), d.date_text.clone()))
            .collect(),
        statuses: PlanStatus::ALL,
    })
}

pub async fn new_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    form_page(
        &state,
        &ctx,
        (&slug, None),
        (
            PlanForm {
                status: PlanStatus::Draft.as_str().to_owned(),
                ..PlanForm::default()
            },
            None,
            false,
        ),
        Problems::default(),
    )
    .await
}

pub async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    Path(slug): Path<String>,
    axum::extract::Form(fields): Fields,
) -> Result<Response, PageError> {
    let form = plan_form(&fields);
    match state
        .app
        .create_plan(&acting.user, &acting.roles, &slug, &form)
        .await
    {
        Ok(plan) => Ok(
            Redirect::to(&format!("/agreements/{slug}/plans/{plan}?done=plan-saved"))
                .into_response(),
        ),
        Err(Error::Validation(errors)) => {
            let problems = Problems::from_errors(&ctx, &errors);
            Ok(unprocessable(
                form_page(&state, &ctx, (&slug, None), (form, None, false), problems).await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    Path((slug, plan)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let stored = state.app.editable_plan(&acting.roles, &slug, &plan).await?;
    form_page(
        &state,
        &ctx,
        (&slug, Some(&plan)),
        (stored.form, Some(stored.version), false),
        Problems::default(),
    )
    .await
}

/// Saves a plan. When someone else saved first, the form comes back (409)
/// with what was typed, the newer version and a note of what happened.
pub async fn edit(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    Path((slug, plan)): Path<(String, String)>,
    axum::extract::Form(fields): Fields,
) -> Result<Response, PageError> {
    let form = plan_form(&fields);
    let version = number(&fields, "version").unwrap_or(0);
    let (user, roles) = (&acting.user, &acting.roles);
    let done = (state.app)
        .update_plan(user, roles, (&slug, &plan), version, &form)
        .await;
    let ((version, stale), problems, answer) = match done {
        Ok(()) => {
            let to = format!("/agreements/{slug}/plans/{plan}?done=plan-saved");
            return Ok(Redirect::to(&to).into_response());
        }
        Err(Error::Stale(_)) => {
            let stored = state.app.editable_plan(roles, &slug, &plan).await?;
            let answer = Answer::new(StatusCode::CONFLICT);
            ((stored.version, true), Problems::default(), answer)
        }
        Err(e) => {
            let (problems, answer) = refused(&ctx, e, None)?;
            ((version, false), problems, answer)
        }
    };
    let shown = (form, Some(version), stale);
    let res = form_page(&state, &ctx, (&slug, Some(&plan)), shown, problems).await?;
    Ok(answer.to(res))
}
