//! `/agreements/{slug}/plans/{plan}/…`: one action plan with its sums, its
//! activities (filtered; CSV in the import format), their updates (CSV in the
//! updates import format), milestones as iCalendar feeds, and the one
//! state-changing API route: editing an activity.
//!
//! The plan list itself (`/agreements/{slug}/plans`, with each plan's parts)
//! is in `agreements.rs`.

mod ical;

use super::csv_out::csv_answer;
use crate::AppState;
use crate::error::{ApiError, ErrorBody, ErrorDetail};
use crate::query::{Format, Params};
use crate::session::SignedIn;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use samverkan_app::Error;
use samverkan_app::plans::activities::{ACTIVITY_FIELDS, ActivityForm};
use samverkan_app::plans::import::write_csv;
use samverkan_app::plans::views::{
    Activity, ActivityFilter, Change, PlanSummaries, ProgressUpdate,
};
use samverkan_app::snapshot::AgreementRecord;
use samverkan_app::views::ActionPlan;
use samverkan_domain::{ActivityStatus, PlanPart};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use time::Date;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The security schemes the activity edit names: the session cookie and the
/// CSRF header.
struct SessionSchemes;

impl Modify for SessionSchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                crate::session::COOKIE,
                "The session cookie set by signing in on the site",
            ))),
        );
        components.add_security_scheme(
            "csrf",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                crate::csrf::HEADER,
                "Must equal the `csrf` cookie the site sets with its forms",
            ))),
        );
    }
}

#[derive(OpenApi)]
#[openapi(modifiers(&SessionSchemes))]
struct PlansDoc;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(PlansDoc::openapi())
        .routes(routes!(get_plan))
        .routes(routes!(list_activities))
        .routes(routes!(get_activity, update_activity))
        .routes(routes!(get_activity_form))
        .routes(routes!(list_updates))
        .routes(routes!(plan_milestones))
        .routes(routes!(agreement_milestones))
}

/// An action plan with its sums per challenge, per part and as a whole.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanDetail {
    pub plan: ActionPlan,
    pub summaries: PlanSummaries,
}

/// A published progress update with the activity it belongs to.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanUpdate {
    /// The activity's slug.
    pub activity: String,
    pub activity_title: String,
    pub id: i64,
    pub written_on: Date,
    pub body: String,
    pub progress: Option<u8>,
    /// The status the activity changed to with this update.
    pub status: Option<ActivityStatus>,
    /// The milestone reached with this update.
    pub milestone: Option<String>,
    pub author: String,
    /// The party the author wrote for.
    pub party: String,
}

/// An activity's editable form and the version an edit must name: the body
/// of the `PUT` as it stands now.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ActivityEdit {
    /// The version the edit starts from (the activity's `version`).
    pub version: i64,
    /// Every field as text, as in the CSV import format.
    pub activity: ActivityForm,
}

/// The answer to an edit of a version someone else has replaced.
#[derive(Serialize, ToSchema)]
pub struct StaleEdit {
    pub error: ErrorDetail,
    /// The activity as it is now.
    pub current: Activity,
    /// What changed after the version the edit started from, newest first.
    pub changes: Vec<Change>,
}

/// One field that did not pass.
#[derive(Debug, Serialize, ToSchema)]
pub struct FieldProblem {
    /// The form field, one of the CSV import columns.
    pub field: String,
    /// A stable code for the kind of problem.
    pub code: String,
    pub message: String,
}

/// The answer to an edit with fields that do not pass.
#[derive(Serialize, ToSchema)]
pub struct InvalidEdit {
    pub error: ErrorDetail,
    pub fields: Vec<FieldProblem>,
}

fn plan_of<'a>(record: &'a AgreementRecord, plan: &str) -> Result<&'a ActionPlan, Error> {
    record.plan(plan).ok_or(Error::NotFound("plan"))
}

/// An action plan with its parts and its sums.
#[utoipa::path(get, path = "/agreements/{slug}/plans/{plan}", tag = "plans",
    params(("slug" = String, Path, description = "The agreement's slug, e.g. `malmoandan`"),
           ("plan" = String, Path, description = "The plan's slug, e.g. `2021-2026`")),
    responses(
        (status = 200, description = "The plan with its summaries per challenge, per part and as a whole", body = PlanDetail),
        (status = 404, description = "No such agreement or plan", body = ErrorBody)
    ))]
async fn get_plan(
    State(state): State<AppState>,
    Path((slug, plan)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let (snapshot, activities) = state.app.with_activities(&slug).await?;
    let record = snapshot.agreement(&slug)?;
    let detail = PlanDetail {
        plan: plan_of(record, &plan)?.clone(),
        summaries: activities.plan_summaries(record, &plan)?,
    };
    Ok(Json(detail).into_response())
}

/// A slug filter's value checked against what exists: a 404 naming the
/// parameter when it names nothing (the value is well formed, so the
/// request is not malformed; what it asks for does not exist).
fn known<'a>(
    what: &'static str,
    value: &str,
    mut existing: impl Iterator<Item = &'a str>,
) -> Result<String, Error> {
    if existing.any(|e| e == value) {
        Ok(value.to_owned())
    } else {
        Err(Error::NotFound(what))
    }
}

/// The activity filters of a plan's list.
struct PlanFilter {
    common: ActivityFilter,
    challenge: Option<String>,
    part: Option<PlanPart>,
}

impl PlanFilter {
    /// `organisation_known`: whether the organisation a `party` of the form
    /// `organisation:<slug>` names exists (see [`PlanFilter::named_organisation`]).
    fn from_params(
        params: &Params,
        snapshot: &samverkan_app::PublicSnapshot,
        record: &AgreementRecord,
        plan: &str,
        organisation_known: bool,
    ) -> Result<PlanFilter, Error> {
        let status = params.api_choice("status", ActivityStatus::ALL, ActivityStatus::as_str)?;
        let part = params.api_choice("part", PlanPart::ALL, PlanPart::as_str)?;
        let challenge = params
            .api_slug("challenge")?
            .map(|v| {
                known(
                    "challenge (the parameter 'challenge')",
                    v,
                    record.challenges.iter().map(|c| c.slug.as_str()),
                )
            })
            .transpose()?;
        let municipality = record.summary.municipality.slug.as_str();
        let district = params
            .api_slug("district")?
            .map(|v| {
                known(
                    "district (the parameter 'district')",
                    v,
                    snapshot
                        .districts
                        .iter()
                        .filter(|d| d.municipality == municipality)
                        .map(|d| d.slug.as_str()),
                )
            })
            .transpose()?;
        let principle = params
            .api_slug("principle")?
            .map(|v| {
                known(
                    "principle (the parameter 'principle')",
                    v,
                    record.principles.iter().map(|p| p.slug.as_str()),
                )
            })
            .transpose()?;
        let party = params
            .api_value("party")?
            .map(|v| {
                let malformed = || {
                    Error::bad_request("param-party", format!(
                        "the parameter 'party' must be organisation:<slug> of a registered \
                         organisation or city_body:<slug> of a city body in {municipality}; got '{v}'"
                    ))
                };
                let (kind, slug) = v.split_once(':').ok_or_else(malformed)?;
                // The documented pattern; a longer slug than any stored one
                // is well formed and names nothing (404).
                let shaped = !slug.is_empty()
                    && slug.split('-').all(|part| {
                        !part.is_empty()
                            && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
                    });
                if !shaped {
                    return Err(malformed());
                }
                let exists = match kind {
                    "organisation" => organisation_known,
                    "city_body" => snapshot
                        .city_bodies
                        .iter()
                        .any(|b| b.slug == slug && b.municipality == municipality),
                    _ => return Err(malformed()),
                };
                if exists {
                    Ok(v.to_owned())
                } else {
                    Err(Error::NotFound("party (the parameter 'party')"))
                }
            })
            .transpose()?;
        Ok(PlanFilter {
            common: ActivityFilter {
                status,
                party,
                district,
                principle,
                plan: Some(plan.to_owned()),
            },
            challenge,
            part,
        })
    }

    /// Whether the organisation that `party` names, if it names one,
    /// exists (one indexed query).
    async fn named_organisation(state: &AppState, params: &Params) -> Result<bool, Error> {
        match params
            .0
            .get("party")
            .and_then(|v| v.strip_prefix("organisation:"))
        {
            Some(slug) => state.app.organisation_exists(slug).await,
            None => Ok(false),
        }
    }

    fn matches(&self, a: &Activity) -> bool {
        self.common.matches(a)
            && self
                .challenge
                .as_deref()
                .is_none_or(|c| a.challenge.as_deref() == Some(c))
            && self.part.is_none_or(|p| a.part == p)
    }
}

/// The activities of a plan, filtered. As CSV, one row per activity in the
/// import format: the columns are the activity form's fields.
#[utoipa::path(get, path = "/agreements/{slug}/plans/{plan}/activities", tag = "plans",
    params(("slug" = String, Path), ("plan" = String, Path),
        ("status" = Option<ActivityStatus>, Query, description = "Only activities with this status"),
        ("challenge" = Option<String>, Query, pattern = "^[a-z0-9]+(-[a-z0-9]+)*$", max_length = 80, description = "Only activities working on this challenge (its slug; 404 when it names none of the agreement's)"),
        ("part" = Option<PlanPart>, Query, description = "Only activities of this part of the plan"),
        ("party" = Option<String>, Query, pattern = "^(organisation|city_body):[a-z0-9]+(-[a-z0-9]+)*$", max_length = 93, description = "Only activities with this party, responsible or partner: `organisation:<slug>` or `city_body:<slug>` (404 when it names none)"),
        ("district" = Option<String>, Query, pattern = "^[a-z0-9]+(-[a-z0-9]+)*$", max_length = 80, description = "Only activities in this district (its slug; 404 when it names none of the municipality's)"),
        ("principle" = Option<String>, Query, pattern = "^[a-z0-9]+(-[a-z0-9]+)*$", max_length = 80, description = "Only activities advancing this principle (its slug; 404 when it names none of the agreement's)"),
        ("page" = Option<i32>, Query, minimum = 1, maximum = 2147483647, description = "JSON: page number, from 1 (default), 100 a page; past the last page, the last page. The `Link` header names the next and previous pages, `X-Total-Count` the number in all"),
        ("format" = Option<Format>, Query, description = "`json` (default) or `csv` (the activity import format: columns `slug,title,…,premises`, cells that would start a formula prefixed with `'`)")),
    responses(
        (status = 200, description = "The activities, in the plan's order: a page of 100 in JSON, all in CSV", content(([Activity] = "application/json"), (String = "text/csv")),
            headers(("Link" = String, description = "JSON: `<…page=N>; rel=\"next\"` and `rel=\"prev\"`, where there is such a page"),
                    ("X-Total-Count" = i64, description = "JSON: how many there are in all"))),
        (status = 400, description = "A parameter that is empty or not of its declared form (an unknown status or part, a value that is not a slug); the message names what is allowed", body = ErrorBody),
        (status = 404, description = "No such agreement or plan, or a filter names a challenge, district, principle or party that does not exist", body = ErrorBody)
    ))]
async fn list_activities(
    State(state): State<AppState>,
    Path((slug, plan)): Path<(String, String)>,
    params: Params,
) -> Result<Response, ApiError> {
    let csv = params.wants_csv()?;
    let page = params.api_page()?;
    let (snapshot, activities) = state.app.with_activities(&slug).await?;
    let record = snapshot.agreement(&slug)?;
    plan_of(record, &plan)?;
    let known = PlanFilter::named_organisation(&state, &params).await?;
    let filter = PlanFilter::from_params(&params, &snapshot, record, &plan, known)?;
    let items: Vec<&Activity> = activities
        .activities_of_plan(&plan)
        .filter(|a| filter.matches(a))
        .collect();
    if csv {
        let forms: Vec<ActivityForm> = items.iter().map(|a| ActivityForm::from_view(a)).collect();
        let body = write_csv(
            ACTIVITY_FIELDS,
            forms.iter().map(|f| {
                f.fields()
                    .into_iter()
                    .map(|(_, v)| Cow::Borrowed(v))
                    .collect()
            }),
        )?;
        Ok(csv_answer(body, &format!("{slug}-{plan}-activities")))
    } else {
        let path = format!("/agreements/{slug}/plans/{plan}/activities");
        Ok(super::page_of(&path, &params, items, page))
    }
}

/// One activity with its parties, milestones, resources, updates (newest
/// first), self-assessments and history.
#[utoipa::path(get, path = "/agreements/{slug}/plans/{plan}/activities/{activity}", tag = "plans",
    params(("slug" = String, Path), ("plan" = String, Path), ("activity" = String, Path, description = "The activity's slug")),
    responses(
        (status = 200, description = "The activity", body = Activity),
        (status = 404, description = "No such agreement, plan or activity", body = ErrorBody)
    ))]
async fn get_activity(
    State(state): State<AppState>,
    Path((slug, plan, activity)): Path<(String, String, String)>,
) -> Result<Response, ApiError> {
    let (_, activities) = state.app.with_activities(&slug).await?;
    let a = activities.activity(&plan, &activity)?;
    Ok(Json(a).into_response())
}

/// An activity as an editable form with its version: the body a `PUT` of
/// the activity takes, ready to change and send back.
#[utoipa::path(get, path = "/agreements/{slug}/plans/{plan}/activities/{activity}/form", tag = "plans",
    params(("slug" = String, Path), ("plan" = String, Path), ("activity" = String, Path)),
    responses(
        (status = 200, description = "The form and its version", body = ActivityEdit),
        (status = 404, description = "No such agreement, plan or activity", body = ErrorBody)
    ))]
async fn get_activity_form(
    State(state): State<AppState>,
    Path((slug, plan, activity)): Path<(String, String, String)>,
) -> Result<Response, ApiError> {
    let (_, activities) = state.app.with_activities(&slug).await?;
    let a = activities.activity(&plan, &activity)?;
    Ok(Json(ActivityEdit {
        version: a.version,
        activity: ActivityForm::from_view(a),
    })
    .into_response())
}

fn unauthorized() -> Response {
    ErrorBody::response(
        StatusCode::UNAUTHORIZED,
        "sign in first: editing an activity needs a signed-in session",
    )
}

/// Edits an activity.
///
/// Rule (this route is outside the page permission table): the request
/// carries a signed-in session (the `sid` cookie; 401 otherwise) and the CSRF
/// token in `X-CSRF-Token` (403 before any handler otherwise); the person
/// must be a coordinator of the agreement, or a member of a responsible
/// organisation or an official of a responsible city body of the activity
/// (`Roles::answers_for`, asked by `App::update_activity`; 403 otherwise).
/// The slug and plan stay as they are. An edit names the version it started
/// from; when someone else has saved since, nothing is written and the 409
/// answer carries the activity as it is now and the changes made since.
#[utoipa::path(put, path = "/agreements/{slug}/plans/{plan}/activities/{activity}", tag = "plans",
    description = "Edits an activity. **Who may:** a signed-in person (session cookie `sid`, and the \
                   CSRF token in the `X-CSRF-Token` header equal to the `csrf` cookie) who is a \
                   coordinator of the agreement, or a member of a responsible organisation or an \
                   official of a responsible city body of the activity. The body names the version \
                   the edit started from (`GET …/form` gives the form and version); the slug and \
                   plan stay as they are.",
    params(("slug" = String, Path), ("plan" = String, Path), ("activity" = String, Path)),
    request_body(content = ActivityEdit, content_type = "application/json"),
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "Saved (or nothing changed); the activity as it is now", body = Activity),
        (status = 400, description = "The body is not the JSON described", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Neither a coordinator nor acting for a responsible party, or no valid CSRF token", body = ErrorBody),
        (status = 404, description = "No such agreement, plan or activity", body = ErrorBody),
        (status = 409, description = "Someone else saved since the given version; nothing was written", body = StaleEdit),
        (status = 413, description = "The body is larger than the server's limit (1 MiB by default); answered before any JSON is read, with no JSON body"),
        (status = 422, description = "Fields that do not pass, each with its problem; nothing was written", body = InvalidEdit)
    ))]
async fn update_activity(
    State(state): State<AppState>,
    Path((slug, plan, activity)): Path<(String, String, String)>,
    signed_in: Option<SignedIn>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let Some(SignedIn(user)) = signed_in else {
        return Ok(unauthorized());
    };
    let edit = activity_edit(&body)?;
    let roles = state.app.roles(&user).await?;
    let at = samverkan_app::plans::activities::ActivityRef {
        agreement: &slug,
        plan: &plan,
        slug: &activity,
    };
    let result = state
        .app
        .update_activity(&user, &roles, at, edit.version, &edit.activity)
        .await;
    let current = || async {
        let (_, activities) = state.app.with_activities(&slug).await?;
        let a = activities.activity(&plan, &activity)?.clone();
        Ok::<_, Error>(a)
    };
    match result {
        Ok(_) => Ok(Json(current().await?).into_response()),
        Err(Error::Stale(message)) => Ok(stale_edit(current().await?, edit.version, message.text)),
        Err(Error::Validation(errors)) => Ok(invalid_edit(errors)),
        Err(e) => Err(e.into()),
    }
}

/// The body of an activity's edit, or a 400 that shows its shape.
fn activity_edit(body: &[u8]) -> Result<ActivityEdit, ApiError> {
    Ok(serde_json::from_slice(body).map_err(|e| {
        Error::bad_request("body-not-json", format!(
            "the body must be JSON of the form {{\"version\": 3, \"activity\": {{\"title\": \"…\", …}}}}: {e}"
        ))
    })?)
}

/// 409: the activity as it is now and the changes made since `version`.
fn stale_edit(current: Activity, version: i64, message: String) -> Response {
    let status = StatusCode::CONFLICT;
    let body = StaleEdit {
        error: ErrorDetail {
            status: status.as_u16(),
            message,
        },
        changes: current
            .history
            .iter()
            .filter(|c| c.version > version)
            .cloned()
            .collect(),
        current,
    };
    (status, Json(body)).into_response()
}

/// 422: each field that does not pass, with its problem.
fn invalid_edit(errors: Vec<samverkan_app::FieldError>) -> Response {
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    let body = InvalidEdit {
        error: ErrorDetail {
            status: status.as_u16(),
            message: "some fields do not pass; nothing was saved".into(),
        },
        fields: errors
            .into_iter()
            .map(|e| FieldProblem {
                field: e.field.to_owned(),
                code: e.code.to_owned(),
                message: e.message,
            })
            .collect(),
    };
    (status, Json(body)).into_response()
}

/// The published updates of all the plan's activities, newest first. As
/// CSV, the updates import format (`activity,written_on,body,progress,status,milestone,party`)
/// as `App::export_updates_csv` writes it: per activity, oldest first, so an
/// import replays them in the order they happened.
#[utoipa::path(get, path = "/agreements/{slug}/plans/{plan}/updates", tag = "plans",
    params(("slug" = String, Path), ("plan" = String, Path),
        ("page" = Option<i32>, Query, minimum = 1, maximum = 2147483647, description = "JSON: page number, from 1 (default), 100 a page; past the last page, the last page. The `Link` header names the next and previous pages, `X-Total-Count` the number in all"),
        ("format" = Option<Format>, Query, description = "`json` (default) or `csv` (the updates import format: \
            columns `activity,written_on,body,progress,status,milestone,party`, per activity oldest first so that an import replays them in order, \
            cells that would start a formula prefixed with `'`)")),
    responses(
        (status = 200, description = "The updates: in JSON newest first, 100 a page; in CSV all", content(([PlanUpdate] = "application/json"), (String = "text/csv")),
            headers(("Link" = String, description = "JSON: `<…page=N>; rel=\"next\"` and `rel=\"prev\"`, where there is such a page"),
                    ("X-Total-Count" = i64, description = "JSON: how many there are in all"))),
        (status = 400, description = "A `format` other than `json` or `csv`, or a `page` that is not a whole number from 1", body = ErrorBody),
        (status = 404, description = "No such agreement or plan", body = ErrorBody)
    ))]
async fn list_updates(
    State(state): State<AppState>,
    Path((slug, plan)): Path<(String, String)>,
    params: Params,
) -> Result<Response, ApiError> {
    let page = params.api_page()?;
    if params.wants_csv()? {
        let body = state.app.export_updates_csv(&slug, &plan).await?;
        return Ok(csv_answer(body, &format!("{slug}-{plan}-updates")));
    }
    let (snapshot, activities) = state.app.with_activities(&slug).await?;
    let record = snapshot.agreement(&slug)?;
    plan_of(record, &plan)?;
    // Sorted as references; only the page's updates are copied out.
    let mut all: Vec<(&Activity, &ProgressUpdate)> = activities
        .activities_of_plan(&plan)
        .flat_map(|a| a.updates.iter().map(move |u| (a, u)))
        .collect();
    all.sort_by(|(_, a), (_, b)| b.written_on.cmp(&a.written_on).then(b.id.cmp(&a.id)));
    let shown = samverkan_app::paged::Paged::of(all, page, super::API_PAGE);
    let items: Vec<PlanUpdate> = (shown.items.iter())
        .map(|(a, u)| PlanUpdate {
            activity: a.slug.clone(),
            activity_title: a.title.clone(),
            id: u.id,
            written_on: u.written_on,
            body: u.body.clone(),
            progress: u.progress,
            status: u.status,
            milestone: u.milestone.clone(),
            author: u.author.clone(),
            party: u.party.clone(),
        })
        .collect();
    Ok(super::paged_json(
        &format!("/agreements/{slug}/plans/{plan}/updates"),
        &params,
        &items,
        (shown.total, shown.page, shown.pages),
    ))
}

/// Words of the feeds, in Swedish (the default) or English.
struct FeedWords {
    milestones: &'static str,
    reached: &'static str,
    not_reached: &'static str,
    activity: &'static str,
}

/// `lang`: the language of a feed's own words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum FeedLang {
    Sv,
    En,
}

impl FeedLang {
    const ALL: &[FeedLang] = &[FeedLang::Sv, FeedLang::En];

    fn as_str(self) -> &'static str {
        match self {
            FeedLang::Sv => "sv",
            FeedLang::En => "en",
        }
    }
}

fn feed_words(params: &Params) -> Result<FeedWords, Error> {
    match params.api_choice("lang", FeedLang::ALL, FeedLang::as_str)? {
        None | Some(FeedLang::Sv) => Ok(FeedWords {
            milestones: "Milstolpar",
            reached: "Uppnådd",
            not_reached: "Ännu inte uppnådd",
            activity: "Aktivitet",
        }),
        Some(FeedLang::En) => Ok(FeedWords {
            milestones: "Milestones",
            reached: "Reached on",
            not_reached: "Not reached yet",
            activity: "Activity",
        }),
    }
}

/// The site's address without a trailing slash, and its host for UIDs.
fn site(state: &AppState) -> (String, String) {
    let base = state
        .app
        .config()
        .mail
        .base_url
        .trim_end_matches('/')
        .to_owned();
    let host = base
        .split_once("://")
        .map_or(base.as_str(), |(_, rest)| rest)
        .split(['/', ':', '?', '#'])
        .next()
        .filter(|h| !h.is_empty())
        .unwrap_or("samverkan")
        .to_owned();
    (base, host)
}

/// An iCalendar feed of the milestones of `activities`.
fn milestone_feed<'a>(
    state: &AppState,
    params: &Params,
    name: &str,
    file: &str,
    activities: impl Iterator<Item = &'a Activity>,
) -> Result<Response, ApiError> {
    let words = feed_words(params)?;
    let (base, host) = site(state);
    let mut cal = ical::Calendar::new(
        "-//Samverkan//Milestones//SV",
        &format!("{} – {name}", words.milestones),
    );
    for a in activities {
        let url = format!(
            "{base}/agreements/{}/plans/{}/activities/{}",
            a.agreement, a.plan, a.slug
        );
        for m in &a.milestones {
            // The milestone's own id, not its place in the list: inserting an
            // earlier milestone must not renumber the later ones' events.
            let uid = format!("milestone-{}@{host}", m.id);
            let status = match m.reached_on {
                Some(d) => format!("{} {d}.", words.reached),
                None => format!("{}.", words.not_reached),
            };
            let description = format!("{status}\n{}: {}\n{url}", words.activity, a.title);
            cal.event(&ical::Event {
                uid: &uid,
                stamp: a.updated_at,
                date: m.due_on,
                summary: &format!("{} — {}", m.title, a.title),
                description: &description,
                url: &url,
            });
        }
    }
    Ok(calendar_answer(file, cal.finish()))
}

/// An iCalendar document, to show inline as `{file}.ics`.
fn calendar_answer(file: &str, body: String) -> Response {
    let disposition = format!("inline; filename=\"{file}.ics\"");
    let disposition =
        HeaderValue::from_str(&disposition).unwrap_or(HeaderValue::from_static("inline"));
    let calendar = HeaderValue::from_static("text/calendar; charset=utf-8");
    (
        [
            (header::CONTENT_TYPE, calendar),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response()
}

/// The milestones of a plan's activities as an iCalendar feed (RFC 5545):
/// one all-day event per milestone, to subscribe to in a calendar.
#[utoipa::path(get, path = "/agreements/{slug}/plans/{plan}/milestones.ics", tag = "plans",
    params(("slug" = String, Path), ("plan" = String, Path),
        ("lang" = Option<FeedLang>, Query, description = "`sv` (default) or `en`: the language of the feed's own words")),
    responses(
        (status = 200, description = "The feed", content_type = "text/calendar", body = String),
        (status = 400, description = "A `lang` other than `sv` or `en`", body = ErrorBody),
        (status = 404, description = "No such agreement or plan", body = ErrorBody)
    ))]
async fn plan_milestones(
    State(state): State<AppState>,
    Path((slug, plan)): Path<(String, String)>,
    params: Params,
) -> Result<Response, ApiError> {
    let (snapshot, activities) = state.app.with_activities(&slug).await?;
    let record = snapshot.agreement(&slug)?;
    let p = plan_of(record, &plan)?;
    milestone_feed(
        &state,
        &params,
        &format!("{} – {}", p.title, record.summary.short_name),
        &format!("{slug}-{plan}-milestones"),
        activities.activities_of_plan(&plan),
    )
}

/// The milestones of every activity of an agreement, all plans, as an
/// iCalendar feed (RFC 5545).
#[utoipa::path(get, path = "/agreements/{slug}/milestones.ics", tag = "plans",
    params(("slug" = String, Path),
        ("lang" = Option<FeedLang>, Query, description = "`sv` (default) or `en`: the language of the feed's own words")),
    responses(
        (status = 200, description = "The feed", content_type = "text/calendar", body = String),
        (status = 400, description = "A `lang` other than `sv` or `en`", body = ErrorBody),
        (status = 404, description = "No such agreement", body = ErrorBody)
    ))]
async fn agreement_milestones(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    params: Params,
) -> Result<Response, ApiError> {
    let (snapshot, activities) = state.app.with_activities(&slug).await?;
    let record = snapshot.agreement(&slug)?;
    milestone_feed(
        &state,
        &params,
        &record.summary.short_name,
        &format!("{slug}-milestones"),
        activities.activities.iter(),
    )
}
