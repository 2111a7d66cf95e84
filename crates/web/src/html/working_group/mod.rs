//! The working group's pages: the overview (members by side, coming and
//! past meetings, open action items, each list paged) and a meeting's page
//! (agenda, documents, the approved minutes and decisions; the drafts and
//! the forms only for the agreement's coordinators). The forms are in
//! `meetings.rs` and `actions.rs`; the rules in `app::working_group`.

pub mod actions;
pub mod meetings;

use super::agreements::page_for;
use super::pager::Pager;
use crate::AppState;
use crate::error::PageError;
use crate::html::forms::{Problems, notice};
use crate::html::render;
use crate::page::{Page, PageCtx};
use crate::query::Params;
use crate::session::Acting;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use samverkan_app::Error;
use samverkan_app::snapshot::AgreementRecord;
use samverkan_app::working_group::meetings::{DecisionForm, MeetingForm};
use samverkan_app::working_group::{ListPages, MeetingDetail, WorkingGroup, keeps};

/// The path of the agreement's working group.
fn base(slug: &str) -> String {
    format!("/agreements/{slug}/working-group")
}

/// A meeting id from the path; anything else is not found.
fn meeting_id(text: &str) -> Result<i64, PageError> {
    Ok(text.parse().map_err(|_| Error::NotFound("meeting"))?)
}

#[derive(Template)]
#[template(path = "working_group/overview.html")]
struct OverviewPage<'a> {
    page: Page,
    a: &'a AgreementRecord,
    wg: WorkingGroup,
    keeper: bool,
    asked: ListPages,
    notice: Option<String>,
}

impl OverviewPage<'_> {
    /// The address of the page with one list moved to page `n`.
    fn href(&self, list: &str, n: usize) -> String {
        let mut pages = self.asked;
        match list {
            "coming" => pages.coming = n,
            "past" => pages.past = n,
            _ => pages.items = n,
        }
        format!(
            "{}?coming={}&past={}&items={}#{list}",
            base(&self.a.summary.slug),
            pages.coming,
            pages.past,
            pages.items
        )
    }

    fn coming_pager(&self) -> Pager {
        Pager::new(self.wg.coming.page, self.wg.coming.pages, |n| {
            self.href("coming", n)
        })
    }

    fn past_pager(&self) -> Pager {
        Pager::new(self.wg.past.page, self.wg.past.pages, |n| {
            self.href("past", n)
        })
    }

    fn items_pager(&self) -> Pager {
        Pager::new(self.wg.open_items.page, self.wg.open_items.pages, |n| {
            self.href("items", n)
        })
    }
}

pub async fn overview(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Option<Acting>,
    params: Params,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    let snapshot = state.app.public().await?;
    let a = snapshot.agreement_in(&slug, ctx.lang.code())?;
    let page_of =
        |name| -> Result<usize, Error> { Ok(params.number(name)?.map_or(1, |n| n as usize)) };
    let asked = ListPages {
        coming: page_of("coming")?,
        past: page_of("past")?,
        items: page_of("items")?,
    };
    let roles = acting.as_ref().map(|x| &x.roles);
    let wg = state.app.working_group(roles, a, asked).await?;
    render(OverviewPage {
        page: page_for(&ctx, a, "wg-title", "contact"),
        a,
        asked: ListPages {
            coming: wg.coming.page,
            past: wg.past.page,
            items: wg.open_items.page,
        },
        wg,
        keeper: keeps(roles, &slug),
        notice: notice(&ctx, &params, &["action-item-added", "action-item-updated"]),
    })
}

/// What a meeting's page shows besides the stored meeting: the forms as
/// typed, the problems of the one refused, a notice, the reason a change
/// was refused (409).
#[derive(Default)]
pub(crate) struct Shown {
    /// The minutes as typed, when their form was refused.
    minutes: Option<String>,
    minutes_problems: Problems,
    decision: DecisionForm,
    decision_problems: Problems,
    notice: Option<String>,
    /// Why the change was refused (changed meanwhile, approved).
    refusal: Option<String>,
}

impl Shown {
    fn problems(&self) -> impl Iterator<Item = &crate::html::forms::Problem> {
        self.minutes_problems
            .iter()
            .chain(self.decision_problems.iter())
    }

    fn has_problems(&self) -> bool {
        self.problems().next().is_some()
    }
}

#[derive(Template)]
#[template(path = "working_group/meeting.html")]
struct MeetingPage<'a> {
    page: Page,
    a: &'a AgreementRecord,
    m: MeetingDetail,
    keeper: bool,
    shown: Shown,
}

impl MeetingPage<'_> {
    fn base(&self) -> String {
        base(&self.a.summary.slug)
    }

    /// Whether the minutes and decisions are shown to this reader.
    fn shows_minutes(&self) -> bool {
        self.m.meeting.minutes_shown(self.keeper)
    }

    /// The minutes' form's text: as typed when refused, else as stored.
    fn minutes_text(&self) -> &str {
        self.shown
            .minutes
            .as_deref()
            .unwrap_or(&self.m.meeting.minutes)
    }
}

/// Renders a meeting's page for `acting` (none for a visitor).
pub(crate) async fn meeting_page(
    state: &AppState,
    ctx: &PageCtx,
    acting: Option<&Acting>,
    (slug, id): (&str, i64),
    shown: Shown,
) -> Result<Response, PageError> {
    let snapshot = state.app.public().await?;
    let a = snapshot.agreement_in(slug, ctx.lang.code())?;
    let roles = acting.map(|x| &x.roles);
    let m = state.app.meeting(roles, a, id).await?;
    let mut page = page_for(ctx, a, "wg-meeting-title", "contact");
    page.title = format!("{} – {}", m.meeting.title, page.title);
    render(MeetingPage {
        page,
        a,
        m,
        keeper: keeps(roles, slug),
        shown,
    })
}

pub async fn meeting(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Option<Acting>,
    params: Params,
    Path((slug, id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let id = meeting_id(&id)?;
    let shown = Shown {
        notice: notice(
            &ctx,
            &params,
            &[
                "meeting-planned",
                "meeting-edited",
                "minutes-saved",
                "minutes-approved",
                "meeting-decision-added",
                "action-item-added",
            ],
        ),
        ..Shown::default()
    };
    meeting_page(&state, &ctx, acting.as_ref(), (&slug, id), shown).await
}

/// Back to the meeting's page with a notice.
fn to_meeting(slug: &str, id: i64, what: &str) -> Response {
    Redirect::to(&format!("{}/meetings/{id}?done={what}", base(slug))).into_response()
}

/// The form of a new or stored meeting, as its template reads it.
pub(crate) struct MeetingFormView {
    form: MeetingForm,
    problems: Problems,
}
