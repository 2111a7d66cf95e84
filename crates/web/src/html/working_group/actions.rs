//! The coordinators' forms of an action item: add one (from a meeting's
//! page it names the meeting), and change its title, owner, due day,
//! status and links. Refused, the form comes back as typed: 422 with what
//! to fix, 409 (with the item as it is now) when it changed meanwhile.

use super::base;
use crate::AppState;
use crate::error::{PageError, word};
use crate::html::agreements::page_for;
use crate::html::forms::{Answer, Fields, Problems, number, one, refused};
use crate::html::render;
use crate::page::{Page, PageCtx};
use crate::query::Params;
use crate::session::Acting;
use askama::Template;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use samverkan_app::Error;
use samverkan_app::snapshot::AgreementRecord;
use samverkan_app::working_group::ActionItem;
use samverkan_app::working_group::actions::ActionForm;
use samverkan_domain::ActionStatus;

#[derive(Template)]
#[template(path = "working_group/action_form.html")]
struct ActionFormPage<'a> {
    page: Page,
    a: &'a AgreementRecord,
    /// The item edited, as stored now; none for a new one.
    stored: Option<ActionItem>,
    form: ActionForm,
    problems: Problems,
    statuses: &'static [ActionStatus],
    /// Why the change was refused (409).
    refusal: Option<String>,
}

impl ActionFormPage<'_> {
    fn action(&self) -> String {
        match &self.stored {
            Some(item) => format!("{}/actions/{}", base(&self.a.summary.slug), item.id),
            None => format!("{}/actions/new", base(&self.a.summary.slug)),
        }
    }

    fn back(&self) -> String {
        match self.form.meeting.trim() {
            "" => format!("{}#items", base(&self.a.summary.slug)),
            m => format!("{}/meetings/{m}", base(&self.a.summary.slug)),
        }
    }
}

fn item_id(text: &str) -> Result<i64, PageError> {
    Ok(text.parse().map_err(|_| Error::NotFound("action item"))?)
}

async fn form_page(
    state: &AppState,
    ctx: &PageCtx,
    (slug, id): (&str, Option<i64>),
    (form, problems): (ActionForm, Problems),
    refusal: Option<String>,
) -> Result<Response, PageError> {
    let snapshot = state.app.public().await?;
    let a = snapshot.agreement_in(slug, ctx.lang.code())?;
    let stored = match id {
        Some(id) => Some(state.app.action_item(a, id).await?),
        None => None,
    };
    let key = if stored.is_some() {
        "wg-action-edit-title"
    } else {
        "wg-action-new-title"
    };
    render(ActionFormPage {
        page: page_for(ctx, a, key, "contact"),
        a,
        stored,
        form,
        problems,
        statuses: ActionStatus::ALL,
        refusal,
    })
}

fn action_form(fields: &[(String, String)]) -> ActionForm {
    ActionForm {
        meeting: one(fields, "meeting"),
        title: one(fields, "title"),
        owner: one(fields, "owner"),
        due_on: one(fields, "due_on"),
        status: one(fields, "status"),
        challenge: one(fields, "challenge"),
        activity: one(fields, "activity"),
    }
}

/// A new item's form; `?meeting=` names the meeting it comes from.
pub async fn new_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    params: Params,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    let form = ActionForm {
        meeting: params
            .number("meeting")?
            .map(|n| n.to_string())
            .unwrap_or_default(),
        status: ActionStatus::Open.as_str().to_owned(),
        ..ActionForm::default()
    };
    form_page(
        &state,
        &ctx,
        (&slug, None),
        (form, Problems::default()),
        None,
    )
    .await
}

pub async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    Path(slug): Path<String>,
    Form(fields): Fields,
) -> Result<Response, PageError> {
    let form = action_form(&fields);
    let snapshot = state.app.public().await?;
    let a = snapshot.agreement_in(&slug, ctx.lang.code())?;
    let added = (state.app)
        .add_action_item(&acting.user, &acting.roles, a, &form)
        .await;
    let (problems, answer) = match added {
        Ok(_) => {
            let to = match form.meeting.trim() {
                "" => format!("{}?done=action-item-added#items", base(&slug)),
                m => format!("{}/meetings/{m}?done=action-item-added", base(&slug)),
            };
            return Ok(Redirect::to(&to).into_response());
        }
        Err(e) => refused(&ctx, e, None)?,
    };
    let res = form_page(&state, &ctx, (&slug, None), (form, problems), None).await?;
    Ok(answer.to(res))
}

pub async fn edit_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((slug, id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let id = item_id(&id)?;
    let snapshot = state.app.public().await?;
    let a = snapshot.agreement_in(&slug, ctx.lang.code())?;
    let form = ActionForm::of(&state.app.action_item(a, id).await?);
    form_page(
        &state,
        &ctx,
        (&slug, Some(id)),
        (form, Problems::default()),
        None,
    )
    .await
}

pub async fn edit(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    Path((slug, id)): Path<(String, String)>,
    Form(fields): Fields,
) -> Result<Response, PageError> {
    let id = item_id(&id)?;
    let version = number(&fields, "version").unwrap_or(0);
    let snapshot = state.app.public().await?;
    let a = snapshot.agreement_in(&slug, ctx.lang.code())?;
    let stored = state.app.action_item(a, id).await?;
    let form = ActionForm {
        meeting: stored
            .meeting
            .as_ref()
            .map(|(m, _)| m.to_string())
            .unwrap_or_default(),
        ..action_form(&fields)
    };
    let updated = (state.app)
        .update_action_item(&acting.user, &acting.roles, a, (id, version), &form)
        .await;
    let (refusal, problems, answer) = match updated {
        Ok(()) => {
            let to = format!("{}?done=action-item-updated#items", base(&slug));
            return Ok(Redirect::to(&to).into_response());
        }
        Err(Error::Stale(m)) => (
            Some(word(&ctx.t(), &m)),
            Problems::default(),
            Answer::new(StatusCode::CONFLICT),
        ),
        Err(e) => {
            let (problems, answer) = refused(&ctx, e, None)?;
            (None, problems, answer)
        }
    };
    let res = form_page(&state, &ctx, (&slug, Some(id)), (form, problems), refusal).await?;
    Ok(answer.to(res))
}
