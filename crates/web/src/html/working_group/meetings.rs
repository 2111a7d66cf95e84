//! The coordinators' forms of a meeting: plan one, change its time, place
//! and agenda, write its minutes, approve them, add its decisions. A
//! refused form comes back with what was typed: 422 with what to fix, 409
//! when the meeting changed meanwhile or its minutes are approved.

use super::{MeetingFormView, Shown, base, meeting_id, meeting_page, to_meeting};
use crate::AppState;
use crate::error::PageError;
use crate::html::agreements::page_for;
use crate::html::forms::{Fields, Problems, number, one, refusal_or_problems, refused};
use crate::html::render;
use crate::page::{Page, PageCtx};
use crate::session::Acting;
use askama::Template;
use axum::extract::{Form, Path, State};
use axum::response::Response;
use samverkan_app::snapshot::AgreementRecord;
use samverkan_app::working_group::Meeting;
use samverkan_app::working_group::meetings::{DecisionForm, MeetingForm};

#[derive(Template)]
#[template(path = "working_group/meeting_form.html")]
struct MeetingFormPage<'a> {
    page: Page,
    a: &'a AgreementRecord,
    /// The meeting edited (as stored now), or none for a new one.
    stored: Option<Meeting>,
    view: MeetingFormView,
    /// Why the change was refused (409).
    refusal: Option<String>,
}

impl MeetingFormPage<'_> {
    fn action(&self) -> String {
        match &self.stored {
            Some(m) => format!("{}/meetings/{}/edit", base(&self.a.summary.slug), m.id),
            None => format!("{}/meetings/new", base(&self.a.summary.slug)),
        }
    }

    fn back(&self) -> String {
        match &self.stored {
            Some(m) => format!("{}/meetings/{}", base(&self.a.summary.slug), m.id),
            None => base(&self.a.summary.slug),
        }
    }
}

async fn form_page(
    state: &AppState,
    ctx: &PageCtx,
    acting: &Acting,
    (slug, id): (&str, Option<i64>),
    view: MeetingFormView,
    refusal: Option<String>,
) -> Result<Response, PageError> {
    let snapshot = state.app.public().await?;
    let a = snapshot.agreement_in(slug, ctx.lang.code())?;
    let stored = match id {
        Some(id) => Some(state.app.meeting(Some(&acting.roles), a, id).await?.meeting),
        None => None,
    };
    let key = if stored.is_some() {
        "wg-meeting-edit-title"
    } else {
        "wg-meeting-new-title"
    };
    render(MeetingFormPage {
        page: page_for(ctx, a, key, "contact"),
        a,
        stored,
        view,
        refusal,
    })
}

fn meeting_form(fields: &[(String, String)]) -> MeetingForm {
    MeetingForm {
        title: one(fields, "title"),
        meets_on: one(fields, "meets_on"),
        starts_at: one(fields, "starts_at"),
        place: one(fields, "place"),
        agenda: one(fields, "agenda"),
    }
}

pub async fn new_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    let view = MeetingFormView {
        form: MeetingForm::default(),
        problems: Problems::default(),
    };
    form_page(&state, &ctx, &acting, (&slug, None), view, None).await
}

pub async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    Path(slug): Path<String>,
    Form(fields): Fields,
) -> Result<Response, PageError> {
    let form = meeting_form(&fields);
    let snapshot = state.app.public().await?;
    let a = snapshot.agreement_in(&slug, ctx.lang.code())?;
    let planned = (state.app)
        .plan_meeting(&acting.user, &acting.roles, a, &form)
        .await;
    let (problems, answer) = match planned {
        Ok(id) => return Ok(to_meeting(&slug, id, "meeting-planned")),
        Err(e) => refused(&ctx, e, None)?,
    };
    let view = MeetingFormView { form, problems };
    let res = form_page(&state, &ctx, &acting, (&slug, None), view, None).await?;
    Ok(answer.to(res))
}

pub async fn edit_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    Path((slug, id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let id = meeting_id(&id)?;
    let snapshot = state.app.public().await?;
    let a = snapshot.agreement_in(&slug, ctx.lang.code())?;
    let stored = state.app.meeting(Some(&acting.roles), a, id).await?.meeting;
    let view = MeetingFormView {
        form: MeetingForm::of(&stored),
        problems: Problems::default(),
    };
    form_page(&state, &ctx, &acting, (&slug, Some(id)), view, None).await
}

pub async fn edit(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    Path((slug, id)): Path<(String, String)>,
    Form(fields): Fields,
) -> Result<Response, PageError> {
    let id = meeting_id(&id)?;
    let form = meeting_form(&fields);
    let version = number(&fields, "version").unwrap_or(0);
    let snapshot = state.app.public().await?;
    let a = snapshot.agreement_in(&slug, ctx.lang.code())?;
    let edited = (state.app)
        .edit_meeting(&acting.user, &acting.roles, a, (id, version), &form)
        .await;
    let (refusal, problems, answer) = match edited {
        Ok(()) => return Ok(to_meeting(&slug, id, "meeting-edited")),
        Err(e) => refusal_or_problems(&ctx, e)?,
    };
    let view = MeetingFormView { form, problems };
    let res = form_page(&state, &ctx, &acting, (&slug, Some(id)), view, refusal).await?;
    Ok(answer.to(res))
}

/// Saves the draft minutes; refused, the meeting's page comes back with the
/// text typed.
pub async fn save_minutes(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    Path((slug, id)): Path<(String, String)>,
    Form(fields): Fields,
) -> Result<Response, PageError> {
    let id = meeting_id(&id)?;
    let minutes = one(&fields, "minutes");
    let version = number(&fields, "version").unwrap_or(0);
    let snapshot = state.app.public().await?;
    let a = snapshot.agreement_in(&slug, ctx.lang.code())?;
    let saved = (state.app)
        .save_minutes(&acting.user, &acting.roles, a, (id, version), &minutes)
        .await;
    let (refusal, problems, answer) = match saved {
        Ok(()) => return Ok(to_meeting(&slug, id, "minutes-saved")),
        Err(e) => refusal_or_problems(&ctx, e)?,
    };
    let shown = Shown {
        minutes: Some(minutes),
        minutes_problems: problems,
        refusal,
        ..Shown::default()
    };
    let res = meeting_page(&state, &ctx, Some(&acting), (&slug, id), shown).await?;
    Ok(answer.to(res))
}

/// Approves the minutes as they were on the page (its version).
pub async fn approve(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    Path((slug, id)): Path<(String, String)>,
    Form(fields): Fields,
) -> Result<Response, PageError> {
    let id = meeting_id(&id)?;
    let version = number(&fields, "version").unwrap_or(0);
    let snapshot = state.app.public().await?;
    let a = snapshot.agreement_in(&slug, ctx.lang.code())?;
    let approved = (state.app)
        .approve_minutes(&acting.user, &acting.roles, a, (id, version))
        .await;
    let (refusal, problems, answer) = match approved {
        Ok(()) => return Ok(to_meeting(&slug, id, "minutes-approved")),
        Err(e) => refusal_or_problems(&ctx, e)?,
    };
    let shown = Shown {
        minutes_problems: problems,
        refusal,
        ..Shown::default()
    };
    let res = meeting_page(&state, &ctx, Some(&acting), (&slug, id), shown).await?;
    Ok(answer.to(res))
}

pub async fn add_decision(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    Path((slug, id)): Path<(String, String)>,
    Form(fields): Fields,
) -> Result<Response, PageError> {
    let id = meeting_id(&id)?;
    let form = DecisionForm {
        text: one(&fields, "decision"),
        challenge: one(&fields, "decision_challenge"),
    };
    let snapshot = state.app.public().await?;
    let a = snapshot.agreement_in(&slug, ctx.lang.code())?;
    let added = (state.app)
        .add_meeting_decision(&acting.user, &acting.roles, a, id, &form)
        .await;
    let (refusal, problems, answer) = match added {
        Ok(()) => return Ok(to_meeting(&slug, id, "meeting-decision-added")),
        Err(e) => refusal_or_problems(&ctx, e)?,
    };
    let shown = Shown {
        decision: form,
        decision_problems: problems,
        refusal,
        ..Shown::default()
    };
    let res = meeting_page(&state, &ctx, Some(&acting), (&slug, id), shown).await?;
    Ok(answer.to(res))
}
