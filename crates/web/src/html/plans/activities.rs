//! Keeping activities: the coordinators' new-activity form, the edit form
//! (refused with 409 and the changes made meanwhile when stale), progress
//! updates and partners' proposals, and the self-assessment.

use crate::AppState;
use crate::error::PageError;
use crate::html::forms::{Answer, Fields, Problems, many, number, one, refused, unprocessable};
use crate::html::plans::{ActivityPath, activity_page};
use crate::html::render;
use crate::page::{NavAgreement, Page, PageCtx};
use crate::session::Acting;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use samverkan_app::Error;
use samverkan_app::plans::activities::{ACTIVITY_FIELDS, ActivityChoices, ActivityForm};
use samverkan_app::plans::follow_up::{AssessmentForm, UpdateForm};
use samverkan_app::plans::views::Change;
use samverkan_domain::{ActivityStatus, PlanPart};

/// The fields the form sends several values for (multi-selects and
/// checkboxes); the form joins them into one comma-separated list.
const LIST_FIELDS: &[&str] = &[
    "responsible_city_bodies",
    "responsible_organisations",
    "partner_city_bodies",
    "partner_organisations",
    "principles",
    "decisions",
];

/// Reads the activity form: every named field, lists joined.
fn activity_form(fields: &[(String, String)]) -> ActivityForm {
    let mut form = ActivityForm::default();
    for name in ACTIVITY_FIELDS {
        let value = if LIST_FIELDS.contains(name) {
            many(fields, name).join(", ")
        } else {
            one(fields, name)
        };
        form.set(name, value);
    }
    form
}

#[derive(Template)]
#[template(path = "plans/activity_form.html")]
struct FormPage {
    page: Page,
    agreement: String,
    plan: String,
    plan_title: String,
    action: String,
    cancel: String,
    form: ActivityForm,
    version: Option<i64>,
    /// On a stale edit: what others changed since the edit began.
    changed_meanwhile: Vec<Change>,
    problems: Problems,
    /// (slug, name)
    challenges: Vec<(String, String)>,
    districts: Vec<(String, String)>,
    bodies: Vec<(String, String)>,
    organisations: Vec<(String, String)>,
    /// Too many organisations to list: their short names are typed.
    organisations_by_slug: bool,
    principles: Vec<(String, String)>,
    /// (id, title, date)
    decisions: Vec<(i64, String, String)>,
}

impl FormPage {
    fn has(list: &str, slug: &str) -> bool {
        samverkan_app::plans::activities::split_list(list).contains(&slug)
    }

    fn parts(&self) -> &'static [PlanPart] {
        PlanPart::ALL
    }

    fn statuses(&self) -> &'static [ActivityStatus] {
        ActivityStatus::ALL
    }

    /// The four party lists of the form, each with its choices.
    fn party_fields(&self) -> Vec<(&'static str, &[(String, String)])> {
        vec![
            ("responsible_city_bodies", self.bodies.as_slice()),
            ("responsible_organisations", self.organisations.as_slice()),
            ("partner_city_bodies", self.bodies.as_slice()),
            ("partner_organisations", self.organisations.as_slice()),
        ]
    }

    fn has_decision(&self, id: &i64) -> bool {
        Self::has(&self.form.decisions, &id.to_string())
    }

    fn list_of(&self, field: &str) -> &str {
        self.value_of(field)
    }

    fn value_of(&self, field: &str) -> &str {
        self.form
            .fields()
            .into_iter()
            .find(|(name, _)| *name == field)
            .map_or("", |(_, v)| v)
    }

    fn field_label(&self, field: &str) -> String {
        self.page
            .t
            .label("activity-field", field.replace('_', "-"))
            .into_owned()
    }
}

/// What the form shows besides the page: the fields, the version an edit
/// started from, what others changed meanwhile, and the problems.
#[derive(Default)]
struct FormState {
    form: ActivityForm,
    version: Option<i64>,
    changed_meanwhile: Vec<Change>,
    problems: Problems,
}

impl FormState {
    fn new(form: ActivityForm, version: Option<i64>) -> FormState {
        FormState {
            form,
            version,
            ..FormState::default()
        }
    }

    fn with_problems(mut self, ctx: &PageCtx, errors: &[samverkan_app::FieldError]) -> FormState {
        self.problems = Problems::from_errors(ctx, errors);
        self
    }
}

/// The new-activity form (`activity` is `None`) or an activity's edit form.
async fn form_page(
    state: &AppState,
    ctx: &PageCtx,
    (slug, plan): (&str, &str),
    activity: Option<&str>,
    shown: FormState,
) -> Result<Response, PageError> {
    let FormState {
        form,
        version,
        changed_meanwhile,
        problems,
    } = shown;
    let snapshot = state.app.public().await?;
    let a = snapshot.agreement_in(slug, ctx.lang.code())?;
    let p = a.plan(plan).ok_or(Error::NotFound("plan"))?;
    let t = ctx.t();
    let (title, action, cancel) = match activity {
        Some(x) => (
            t.with("activity-edit-title", "title", form.title.as_str())
                .into_owned(),
            format!("/agreements/{slug}/plans/{plan}/activities/{x}/edit"),
            format!("/agreements/{slug}/plans/{plan}/activities/{x}"),
        ),
        None => (
            t.get("activity-new-title").into_owned(),
            format!("/agreements/{slug}/plans/{plan}/activities/new"),
            format!("/agreements/{slug}/plans/{plan}"),
        ),
    };
    let page = ctx.page(title, Some(NavAgreement::of(a, "plans")));
    let organisations = (state.app)
        .organisation_choices(&a.summary.municipality.slug)
        .await?;
    let choices = ActivityChoices::of(&snapshot, a, organisations);
    render(FormPage {
        page,
        agreement: slug.to_owned(),
        plan: plan.to_owned(),
        plan_title: p.title.clone(),
        action,
        cancel,
        form,
        version,
        changed_meanwhile,
        problems,
        challenges: choices.challenges,
        districts: choices.districts,
        bodies: choices.bodies,
        organisations: choices.organisations,
        organisations_by_slug: choices.organisations_by_slug,
        principles: choices.principles,
        decisions: choices.decisions,
    })
}

pub async fn new_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    Path((slug, plan)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let form = state
        .app
        .new_activity_form(&acting.roles, &slug, &plan)
        .await?;
    form_page(
        &state,
        &ctx,
        (&slug, &plan),
        None,
        FormState::new(form, None),
    )
    .await
}

pub async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    Path((slug, plan)): Path<(String, String)>,
    axum::extract::Form(fields): Fields,
) -> Result<Response, PageError> {
    let form = activity_form(&fields);
    match state
        .app
        .create_activity(&acting.user, &acting.roles, &slug, &plan, &form)
        .await
    {
        Ok(x) => Ok(Redirect::to(&format!(
            "/agreements/{slug}/plans/{plan}/activities/{x}?done=activity-created"
        ))
        .into_response()),
        Err(Error::Validation(errors)) => {
            let shown = FormState::new(form, None).with_problems(&ctx, &errors);
            Ok(unprocessable(
                form_page(&state, &ctx, (&slug, &plan), None, shown).await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    Path(at): Path<ActivityPath>,
) -> Result<Response, PageError> {
    let stored = state
        .app
        .editable_activity(&acting.roles, at.as_ref())
        .await?;
    let shown = FormState::new(stored.form, Some(stored.version));
    form_page(
        &state,
        &ctx,
        (&at.slug, &at.plan),
        Some(&at.activity),
        shown,
    )
    .await
}

/// Saves an edit. When someone else saved first, the page comes back with
/// 409, what they changed, what this person typed, and the newer version to
/// save over deliberately.
pub async fn edit(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    Path(at): Path<ActivityPath>,
    axum::extract::Form(fields): Fields,
) -> Result<Response, PageError> {
    let form = activity_form(&fields);
    let version = number(&fields, "version").unwrap_or(0);
    let (user, roles) = (&acting.user, &acting.roles);
    let saved = (state.app)
        .update_activity(user, roles, at.as_ref(), version, &form)
        .await;
    let (shown, answer) = match saved {
        Ok(_) => {
            return Ok(Redirect::to(&format!("{}?done=activity-saved", at.href())).into_response());
        }
        Err(Error::Stale(_)) => (
            changed_meanwhile(&state, &at, form, version).await?,
            Answer::new(StatusCode::CONFLICT),
        ),
        Err(e) => {
            let (problems, answer) = refused(&ctx, e, None)?;
            let shown = FormState {
                problems,
                ..FormState::new(form, Some(version))
            };
            (shown, answer)
        }
    };
    let (slug, plan) = (at.slug.as_str(), at.plan.as_str());
    let res = form_page(&state, &ctx, (slug, plan), Some(&at.activity), shown).await?;
    Ok(answer.to(res))
}

/// The edit form of a replaced version: what was typed, on the version now,
/// with the history entries newer than the version it started from.
async fn changed_meanwhile(
    state: &AppState,
    at: &ActivityPath,
    form: ActivityForm,
    version: i64,
) -> Result<FormState, PageError> {
    let (_, activities) = state.app.with_activities(&at.slug).await?;
    let current = activities.activity(&at.plan, &at.activity)?;
    Ok(FormState {
        changed_meanwhile: current
            .history
            .iter()
            .filter(|c| c.version > version)
            .cloned()
            .collect(),
        ..FormState::new(form, Some(current.version))
    })
}

fn update_form(fields: &[(String, String)]) -> UpdateForm {
    UpdateForm {
        written_on: one(fields, "written_on"),
        body: one(fields, "body"),
        progress: one(fields, "progress"),
        status: one(fields, "status"),
        milestone: one(fields, "milestone"),
        party: one(fields, "party"),
    }
}

/// Posts a progress update (published for responsible parties, a proposal
/// for partners). Refused input comes back on the activity page.
pub async fn post_update(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    Path(at): Path<ActivityPath>,
    axum::extract::Form(fields): Fields,
) -> Result<Response, PageError> {
    let form = update_form(&fields);
    let (user, roles) = (&acting.user, &acting.roles);
    let (problems, answer) = match state.app.post_update(user, roles, at.as_ref(), &form).await {
        Ok(published) => {
            let done = if published {
                "update-published"
            } else {
                "update-proposed"
            };
            let to = format!("{}?done={done}#updates", at.href());
            return Ok(Redirect::to(&to).into_response());
        }
        Err(e) => refused(&ctx, e, Some("body"))?,
    };
    let res = activity_page(&state, &ctx, Some(&acting), &at, (form, problems), None).await?;
    Ok(answer.to(res))
}

pub async fn decide_proposal(
    State(state): State<AppState>,
    acting: Acting,
    Path(at): Path<ActivityPath>,
    axum::extract::Form(fields): Fields,
) -> Result<Response, PageError> {
    let id = number(&fields, "proposal")
        .ok_or_else(|| Error::bad_request("proposal-unnamed", "name the proposal"))?;
    let accept = match one(&fields, "decision").as_str() {
        "accept" => true,
        "decline" => false,
        _ => {
            return Err(
                Error::bad_request("decision-unknown", "decide with accept or decline").into(),
            );
        }
    };
    state
        .app
        .decide_proposal(&acting.user, &acting.roles, at.as_ref(), id, accept)
        .await?;
    Ok(Redirect::to(&format!(
        "{}?done={}#updates",
        at.href(),
        if accept {
            "proposal-accepted"
        } else {
            "proposal-declined"
        }
    ))
    .into_response())
}

pub async fn assess(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    Path(at): Path<ActivityPath>,
    axum::extract::Form(fields): Fields,
) -> Result<Response, PageError> {
    let snapshot = state.app.public().await?;
    let form = assessment_form(snapshot.agreement_in(&at.slug, ctx.lang.code())?, &fields);
    let (user, roles) = (&acting.user, &acting.roles);
    let errors = match state.app.assess(user, roles, at.as_ref(), &form).await {
        Ok(_) => {
            let to = format!("{}?done=assessment-saved#assessment", at.href());
            return Ok(Redirect::to(&to).into_response());
        }
        Err(Error::Validation(errors)) => errors,
        Err(e) => return Err(e.into()),
    };
    let shown = (UpdateForm::default(), Problems::from_errors(&ctx, &errors));
    let res = activity_page(&state, &ctx, Some(&acting), &at, shown, None).await?;
    Ok(unprocessable(res))
}

/// Reads the self-assessment form: a score and a comment per principle of
/// the agreement.
fn assessment_form(
    a: &samverkan_app::snapshot::AgreementRecord,
    fields: &[(String, String)],
) -> AssessmentForm {
    AssessmentForm {
        rows: a
            .principles
            .iter()
            .map(|p| {
                (
                    p.slug.clone(),
                    one(fields, &format!("score-{}", p.slug)),
                    one(fields, &format!("comment-{}", p.slug)),
                )
            })
            .collect(),
    }
}
