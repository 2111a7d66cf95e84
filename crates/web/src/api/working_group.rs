//! The working group as open data: its meetings (coming or past, a page at
//! a time), one meeting with its agenda, and once its minutes are approved
//! the minutes and decisions, and the open action items. What a visitor of
//! the pages sees, never more: draft minutes stay out.

use super::paged_json;
use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::query::{MAX_NUMBER, Params, number_in};
use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use samverkan_app::documents::DocumentRef;
use samverkan_app::working_group::{self as wg, ListPages};
use samverkan_domain::{ActionStatus, MinutesStatus};
use serde::Serialize;
use time::Date;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_meetings))
        .routes(routes!(get_meeting))
        .routes(routes!(list_action_items))
}

/// `when`: the coming meetings (today's included), soonest first, or the
/// past ones, latest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub(super) enum When {
    Coming,
    Past,
}

/// A meeting of the working group as listed.
#[derive(Serialize, ToSchema)]
struct MeetingSummary {
    id: i64,
    title: String,
    meets_on: Date,
    /// `HH:MM`.
    starts_at: String,
    place: String,
    /// `draft` or `approved`; minutes and decisions are public once approved.
    minutes_status: MinutesStatus,
    approved_on: Option<Date>,
}

impl MeetingSummary {
    fn of(m: &wg::Meeting) -> Self {
        MeetingSummary {
            id: m.id,
            title: m.title.clone(),
            meets_on: m.meets_on,
            starts_at: m.starts_at.clone(),
            place: m.place.clone(),
            minutes_status: m.minutes_status,
            approved_on: m.approved_on,
        }
    }
}

/// A decision of a meeting.
#[derive(Serialize, ToSchema)]
struct MeetingDecision {
    text: String,
    /// The slug of the challenge it concerns.
    challenge: Option<String>,
}

/// An action item of the working group.
#[derive(Serialize, ToSchema)]
struct ActionItem {
    id: i64,
    title: String,
    /// Who owns it (empty once the owner's account is removed).
    owner: String,
    due_on: Option<Date>,
    status: ActionStatus,
    /// Still open and its day has passed.
    overdue: bool,
    /// The id of the meeting it came from.
    meeting: Option<i64>,
    /// The slug of the challenge it concerns.
    challenge: Option<String>,
    /// The activity it concerns, as `plan/activity` slugs.
    activity: Option<String>,
}

impl ActionItem {
    fn of(i: &wg::ActionItem) -> Self {
        ActionItem {
            id: i.id,
            title: i.title.clone(),
            owner: i.owner.clone(),
            due_on: i.due_on,
            status: i.status,
            overdue: i.overdue,
            meeting: i.meeting.as_ref().map(|(id, _)| *id),
            challenge: i.challenge.as_ref().map(|(slug, _)| slug.clone()),
            activity: i.activity.is_some().then(|| i.activity_key()),
        }
    }
}

/// One meeting: its agenda and, once approved, its minutes and decisions.
#[derive(Serialize, ToSchema)]
struct Meeting {
    #[serde(flatten)]
    meeting: MeetingSummary,
    /// The agenda's items in order.
    agenda: Vec<String>,
    /// The approved minutes; none while they are a draft.
    minutes: Option<String>,
    /// Who approved the minutes (empty once their account is removed).
    approved_by: Option<String>,
    /// Empty while the minutes are a draft.
    decisions: Vec<MeetingDecision>,
    action_items: Vec<ActionItem>,
    documents: Vec<DocumentRef>,
}

/// Which list a page of meetings is from.
fn when(params: &Params) -> Result<When, samverkan_app::Error> {
    Ok(params
        .api_choice("when", &[When::Coming, When::Past], |w| match w {
            When::Coming => "coming",
            When::Past => "past",
        })?
        .unwrap_or(When::Coming))
}

/// The working group's meetings, 10 a page: the coming ones (today's
/// included) soonest first, or with `when=past` the past ones latest first
/// (the `Link` header names the next and previous pages, and
/// `X-Total-Count` the number of meetings in the list).
#[utoipa::path(get, path = "/agreements/{slug}/meetings", tag = "agreements",
    params(("slug" = String, Path),
        ("when" = Option<When>, Query, description = "`coming` (default) or `past`"),
        ("page" = Option<i32>, Query, minimum = 1, maximum = 2147483647, description = "page number, from 1 (default); past the last page, the last page")),
    responses(
        (status = 200, description = "The meetings", body = [MeetingSummary],
            headers(("Link" = String, description = "`<…?page=N>; rel=\"next\"` and `rel=\"prev\"`, where there is such a page"),
                    ("X-Total-Count" = i64, description = "How many meetings the list has"))),
        (status = 400, description = "A `when` other than `coming` or `past`, or a `page` that is not a whole number from 1", body = ErrorBody),
        (status = 404, description = "No such agreement", body = ErrorBody)
    ))]
async fn list_meetings(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    params: Params,
) -> Result<Response, ApiError> {
    let when = when(&params)?;
    let page = params.api_page()?;
    let snapshot = state.app.public().await?;
    let a = snapshot.agreement(&slug)?;
    let pages = match when {
        When::Coming => ListPages {
            coming: page,
            past: 1,
            items: 1,
        },
        When::Past => ListPages {
            coming: 1,
            past: page,
            items: 1,
        },
    };
    let group = state.app.working_group(None, a, pages).await?;
    let list = match when {
        When::Coming => group.coming,
        When::Past => group.past,
    };
    let items: Vec<MeetingSummary> = list.items.iter().map(MeetingSummary::of).collect();
    Ok(paged_json(
        &format!("/agreements/{slug}/meetings"),
        &params,
        &items,
        (list.total, list.page, list.pages),
    ))
}

/// One meeting of the working group: its agenda, and once the minutes are
/// approved the minutes and decisions; its action items and documents.
#[utoipa::path(get, path = "/agreements/{slug}/meetings/{meeting}", tag = "agreements",
    params(("slug" = String, Path), ("meeting" = i64, Path, minimum = 1, maximum = 2147483647, description = "The meeting's id")),
    responses(
        (status = 200, description = "The meeting", body = Meeting),
        (status = 400, description = "An id that is not a whole number", body = ErrorBody),
        (status = 404, description = "No such agreement, or no such meeting of it", body = ErrorBody)
    ))]
async fn get_meeting(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let id = number_in("meeting", &id, 1, MAX_NUMBER)?;
    let snapshot = state.app.public().await?;
    let a = snapshot.agreement(&slug)?;
    let d = state.app.meeting(None, a, id).await?;
    let m = &d.meeting;
    Ok(Json(Meeting {
        meeting: MeetingSummary::of(m),
        agenda: m.agenda.clone(),
        minutes: m.approved().then(|| m.minutes.clone()),
        approved_by: m.approved_by.clone(),
        decisions: (d.decisions.iter())
            .map(|x| MeetingDecision {
                text: x.text.clone(),
                challenge: x.challenge.as_ref().map(|(slug, _)| slug.clone()),
            })
            .collect(),
        action_items: d.items.iter().map(ActionItem::of).collect(),
        documents: d.documents.clone(),
    })
    .into_response())
}

/// The working group's open action items (open or in progress), 20 a page,
/// the soonest due first (`Link` and `X-Total-Count` as for meetings).
#[utoipa::path(get, path = "/agreements/{slug}/action-items", tag = "agreements",
    params(("slug" = String, Path),
        ("page" = Option<i32>, Query, minimum = 1, maximum = 2147483647, description = "page number, from 1 (default); past the last page, the last page")),
    responses(
        (status = 200, description = "The open action items", body = [ActionItem],
            headers(("Link" = String, description = "`<…?page=N>; rel=\"next\"` and `rel=\"prev\"`, where there is such a page"),
                    ("X-Total-Count" = i64, description = "How many open action items there are"))),
        (status = 400, description = "A `page` that is not a whole number from 1", body = ErrorBody),
        (status = 404, description = "No such agreement", body = ErrorBody)
    ))]
async fn list_action_items(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    params: Params,
) -> Result<Response, ApiError> {
    let page = params.api_page()?;
    let snapshot = state.app.public().await?;
    let a = snapshot.agreement(&slug)?;
    let pages = ListPages {
        coming: 1,
        past: 1,
        items: page,
    };
    let list = state.app.working_group(None, a, pages).await?.open_items;
    let items: Vec<ActionItem> = list.items.iter().map(ActionItem::of).collect();
    Ok(paged_json(
        &format!("/agreements/{slug}/action-items"),
        &params,
        &items,
        (list.total, list.page, list.pages),
    ))
}
