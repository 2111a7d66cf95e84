//! Writing an agreement (its coordinators and platform administrators): the
//! new agreement form, and the workspace where the fields, the latest
//! version's text and the life cycle's steps are kept. A refused form comes
//! back with what was typed: 422 with what to fix, 409 when a rule refuses
//! the step or someone saved first.

use crate::AppState;
use crate::error::PageError;
use crate::html::forms::{Fields, Problems, answer, many, notice, number, one, read_form};
use crate::html::render;
use crate::page::{Page, PageCtx};
use crate::query::Params;
use crate::session::Acting;
use askama::Template;
use axum::extract::{Form, Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use samverkan_app::Error;
use samverkan_app::agreements::diff::{LineChange, lines_changed};
use samverkan_app::agreements::life_cycle::StepForm;
use samverkan_app::agreements::parts::PartsForm;
use samverkan_app::agreements::writing::{AgreementForm, EnglishFields, TextForm, Workspace};
use samverkan_domain::AgreementStep;

fn agreement_form(fields: &[(String, String)]) -> AgreementForm {
    AgreementForm {
        municipality: one(fields, "municipality"),
        name: one(fields, "name"),
        short_name: one(fields, "short_name"),
        summary: one(fields, "summary"),
        vision: one(fields, "vision"),
        english: EnglishFields {
            name: one(fields, "name_en"),
            short_name: one(fields, "short_name_en"),
            summary: one(fields, "summary_en"),
            vision: one(fields, "vision_en"),
        },
        parties: many(fields, "parties"),
        signatories: one(fields, "signatories"),
    }
}

#[derive(Template)]
#[template(path = "agreements/new.html")]
struct NewPage {
    page: Page,
    form: AgreementForm,
    /// (slug, name)
    municipalities: Vec<(String, String)>,
    problems: Problems,
}

async fn new_page(
    state: &AppState,
    ctx: &PageCtx,
    form: AgreementForm,
    problems: Problems,
) -> Result<Response, PageError> {
    let snapshot = state.app.public().await?;
    render(NewPage {
        page: ctx.page(ctx.t().get("agreement-new-title"), None),
        form,
        municipalities: (snapshot.municipalities.iter())
            .map(|m| (m.slug.clone(), m.name.clone()))
            .collect(),
        problems,
    })
}

pub async fn new_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    params: Params,
) -> Result<Response, PageError> {
    let form = AgreementForm {
        municipality: params.0.get("municipality").cloned().unwrap_or_default(),
        ..AgreementForm::default()
    };
    new_page(&state, &ctx, form, Problems::default()).await
}

/// Creates the agreement in draft and opens its workspace.
pub async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    Form(fields): Fields,
) -> Result<Response, PageError> {
    let form = agreement_form(&fields);
    match (state.app)
        .create_agreement(&acting.user, &acting.roles, &form)
        .await
    {
        Ok(slug) => Ok(
            Redirect::to(&format!("/agreements/{slug}/edit?done=agreement-created"))
                .into_response(),
        ),
        Err(Error::Validation(errors)) => {
            let problems = Problems::from_errors(&ctx, &errors);
            let res = new_page(&state, &ctx, form, problems).await?;
            Ok(answer(res, StatusCode::UNPROCESSABLE_ENTITY))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "agreements/workspace.html")]
struct WorkspacePage {
    page: Page,
    w: Workspace,
    shown: Shown,
    /// The refused form's problems (taken from `shown`).
    problems: Problems,
    notice: Option<String>,
}

/// What a refused form brings back to the workspace: what was typed, its
/// problems, and the reason a rule or a newer save refused it.
#[derive(Default)]
struct Shown {
    form: Option<AgreementForm>,
    text: Option<TextForm>,
    parts: Option<PartsForm>,
    step: StepForm,
    problems: Problems,
    /// The rule's reason, or that someone saved first.
    refusal: Option<String>,
    /// Someone saved first: the page shows how the typed text differs
    /// from theirs.
    stale: bool,
}

impl WorkspacePage {
    fn form(&self) -> &AgreementForm {
        self.shown.form.as_ref().unwrap_or(&self.w.form)
    }

    fn text(&self) -> Option<&TextForm> {
        (self.shown.text.as_ref()).or(self.w.latest.as_ref().map(|l| &l.form))
    }

    fn municipalities(&self) -> &[(String, String)] {
        &self.w.municipalities
    }

    fn parts(&self) -> &PartsForm {
        self.shown.parts.as_ref().unwrap_or(&self.w.parts)
    }

    /// After a stale save, how the typed `field` differs from the text
    /// saved meanwhile; empty otherwise.
    fn meanwhile(&self, field: &str) -> Vec<LineChange> {
        if !self.shown.stale {
            return Vec::new();
        }
        let saved_text = self.w.latest.as_ref().map(|l| &l.form);
        let (saved, typed) = match field {
            "text" => (
                saved_text.map(|t| &t.text),
                self.shown.text.as_ref().map(|t| &t.text),
            ),
            "text_en" => (
                saved_text.map(|t| &t.text_en),
                self.shown.text.as_ref().map(|t| &t.text_en),
            ),
            "principles" => (
                Some(&self.w.parts.principles),
                self.shown.parts.as_ref().map(|p| &p.principles),
            ),
            "challenges" => (
                Some(&self.w.parts.challenges),
                self.shown.parts.as_ref().map(|p| &p.challenges),
            ),
            "commitments" => (
                Some(&self.w.parts.commitments),
                self.shown.parts.as_ref().map(|p| &p.commitments),
            ),
            "commitments_en" => (
                Some(&self.w.parts.commitments_en),
                self.shown.parts.as_ref().map(|p| &p.commitments_en),
            ),
            "principles_en" => (
                Some(&self.w.parts.principles_en),
                self.shown.parts.as_ref().map(|p| &p.principles_en),
            ),
            "challenges_en" => (
                Some(&self.w.parts.challenges_en),
                self.shown.parts.as_ref().map(|p| &p.challenges_en),
            ),
            _ => (None, None),
        };
        match (saved, typed) {
            (Some(saved), Some(typed)) => lines_changed(saved, typed),
            _ => Vec::new(),
        }
    }

    fn needs_decision(&self) -> bool {
        self.w.steps.iter().any(|s| s.needs_decision())
    }

    fn step_chosen(&self, step: &AgreementStep) -> bool {
        self.shown.step.step == step.as_str()
    }

    fn is_public(&self) -> bool {
        self.w.status != samverkan_domain::AgreementStatus::Draft
    }
}

async fn workspace_page(
    state: &AppState,
    ctx: &PageCtx,
    acting: &Acting,
    slug: &str,
    (mut shown, notice): (Shown, Option<String>),
) -> Result<Response, PageError> {
    let w = state.app.workspace(&acting.roles, slug).await?;
    let title = ctx
        .t()
        .with("writing-title", "name", w.form.short_name.as_str());
    render(WorkspacePage {
        page: ctx.page(title.into_owned(), None),
        w,
        problems: std::mem::take(&mut shown.problems),
        shown,
        notice,
    })
}

pub async fn workspace(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    Path(slug): Path<String>,
    params: Params,
) -> Result<Response, PageError> {
    let done = notice(
        &ctx,
        &params,
        &[
            "agreement-created",
            "agreement-saved",
            "text-saved",
            "step-taken",
        ],
    );
    workspace_page(&state, &ctx, &acting, &slug, (Shown::default(), done)).await
}

/// The workspace again after a refusal: 422 with the problems, 409 with the
/// rule's reason or the newer save; anything else is an error page.
async fn refused(
    state: &AppState,
    ctx: &PageCtx,
    acting: &Acting,
    slug: &str,
    mut shown: Shown,
    e: Error,
) -> Result<Response, PageError> {
    shown.stale = matches!(e, Error::Stale(_));
    let status = match e {
        Error::Validation(errors) => {
            shown.problems = Problems::from_errors(ctx, &errors);
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Error::Conflict(m) | Error::Stale(m) => {
            shown.refusal = Some(
                ctx.t()
                    .with_args(&format!("err-{}", m.code), &m.args)
                    .into_owned(),
            );
            StatusCode::CONFLICT
        }
        e => return Err(e.into()),
    };
    let res = workspace_page(state, ctx, acting, slug, (shown, None)).await?;
    Ok(answer(res, status))
}

/// The answer to a workspace form: back to its part of the workspace with
/// the notice `done`, or the workspace again with what was typed (`shown`).
async fn answer_form<T>(
    (state, ctx, acting, slug): (&AppState, &PageCtx, &Acting, &str),
    result: samverkan_app::Result<T>,
    (done, part): (&str, &str),
    shown: Shown,
) -> Result<Response, PageError> {
    match result {
        Ok(_) => Ok(
            Redirect::to(&format!("/agreements/{slug}/edit?done={done}#{part}")).into_response(),
        ),
        Err(e) => refused(state, ctx, acting, slug, shown, e).await,
    }
}

pub async fn save_fields(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    Path(slug): Path<String>,
    Form(fields): Fields,
) -> Result<Response, PageError> {
    let form = agreement_form(&fields);
    let revision = number(&fields, "revision").unwrap_or(0);
    let done = (state.app)
        .update_agreement(&acting.user, &acting.roles, &slug, revision, &form)
        .await;
    let shown = Shown {
        form: Some(form),
        ..Shown::default()
    };
    let page = (&state, &ctx, &acting, slug.as_str());
    answer_form(page, done, ("agreement-saved", "fields"), shown).await
}

pub async fn save_text(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    Path(slug): Path<String>,
    Form(fields): Fields,
) -> Result<Response, PageError> {
    let form = TextForm {
        label: one(&fields, "label"),
        text: one(&fields, "text"),
        text_en: one(&fields, "text_en"),
    };
    let revision = number(&fields, "text_revision").unwrap_or(0);
    let done = (state.app)
        .save_text(&acting.user, &acting.roles, &slug, revision, &form)
        .await;
    let shown = Shown {
        text: Some(form),
        ..Shown::default()
    };
    let page = (&state, &ctx, &acting, slug.as_str());
    answer_form(page, done, ("text-saved", "text"), shown).await
}

/// Takes a step; the form is sent as `multipart/form-data`, with the signed
/// decision as an optional file.
pub async fn take_step(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    Path(slug): Path<String>,
    req: Request,
) -> Result<Response, PageError> {
    let (fields, file) = read_form(req, "document").await?;
    let form = StepForm {
        step: one(&fields, "step"),
        revision: number(&fields, "revision").unwrap_or(0),
        decided_on: one(&fields, "decided_on"),
        decided_by: one(&fields, "decided_by"),
        decided_by_name: one(&fields, "decided_by_name"),
        reference: one(&fields, "reference"),
        title: one(&fields, "title"),
        summary: one(&fields, "summary"),
        successor: one(&fields, "successor"),
        note: one(&fields, "note"),
        document_title: one(&fields, "document_title"),
        document_name: file.name,
        document: file.bytes,
    };
    let done = (state.app)
        .take_step(&acting.user, &acting.roles, &slug, &form)
        .await;
    let shown = Shown {
        step: form,
        ..Shown::default()
    };
    let page = (&state, &ctx, &acting, slug.as_str());
    answer_form(page, done, ("step-taken", "steps"), shown).await
}

pub async fn save_parts(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    Path(slug): Path<String>,
    Form(fields): Fields,
) -> Result<Response, PageError> {
    let form = PartsForm {
        principles: one(&fields, "principles"),
        challenges: one(&fields, "challenges"),
        principles_en: one(&fields, "principles_en"),
        challenges_en: one(&fields, "challenges_en"),
        commitments: one(&fields, "commitments"),
        commitments_en: one(&fields, "commitments_en"),
    };
    let revision = number(&fields, "revision").unwrap_or(0);
    let done = (state.app)
        .save_parts(&acting.user, &acting.roles, &slug, revision, &form)
        .await;
    let shown = Shown {
        parts: Some(form),
        ..Shown::default()
    };
    let page = (&state, &ctx, &acting, slug.as_str());
    answer_form(page, done, ("parts-saved", "parts"), shown).await
}
