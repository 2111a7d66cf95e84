//! The public pages of the action plans: a plan's overview with its charts,
//! a challenge's activities with filters, and an activity with its timeline,
//! self-assessment and history; plus the signed-in person's own activities.

pub(super) mod activities;
pub(super) mod forms;
pub(super) mod import;

use crate::AppState;
use crate::charts::{self, Bar, Segment, TimelineRow};
use crate::error::PageError;
use crate::html::agreements::page_for;
use crate::html::pager::Pager;
use crate::html::render;
use crate::page::{NavAgreement, Page, PageCtx};
use crate::query::Params;
use crate::session::Acting;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use samverkan_app::Error;
use samverkan_app::plans::follow_up::MyActivity;
use samverkan_app::plans::follow_up::UpdateRow;
use samverkan_app::plans::pages::{self as plan_pages, Chosen, FilterChoices, Paged};
use samverkan_app::plans::record::AgreementActivities;
use samverkan_app::plans::views::{Activity, PlanSummaries, Summary};
use samverkan_app::snapshot::AgreementRecord;
use samverkan_app::views::{ActionPlan, Challenge};
use samverkan_domain::{ActivityStatus, PlanPart};

/// The fill of each status in the charts (each at least 3:1 against white);
/// the legends beside the charts use the same colours (`.swatch-*` in app.css).
pub fn status_fill(s: ActivityStatus) -> &'static str {
    match s {
        ActivityStatus::Planned => "#5f6b7a",
        ActivityStatus::Ongoing => "#1f5c99",
        ActivityStatus::Paused => "#8a5a00",
        ActivityStatus::Completed => "#1e7b34",
        ActivityStatus::Cancelled => "#b3261e",
    }
}

fn status_chart(ctx: &PageCtx, id: &str, title: &str, summary: &Summary) -> String {
    let t = ctx.t();
    let segments: Vec<Segment> = summary
        .statuses
        .iter()
        .map(|s| Segment {
            label: t.label("activity-status", s.status).into_owned(),
            count: s.count,
            class: format!("status-{}", s.status),
            fill: status_fill(s.status).into(),
        })
        .collect();
    let desc = segments
        .iter()
        .map(|s| format!("{}: {}", s.label, s.count))
        .collect::<Vec<_>>()
        .join(", ");
    charts::stacked_bar(&charts::Words::new(&ctx.t()), id, title, &desc, &segments)
}

fn timeline_chart(
    ctx: &PageCtx,
    id: &str,
    title: &str,
    axis: (time::Date, time::Date),
    activities: &[&Activity],
    today: time::Date,
) -> String {
    let t = ctx.t();
    let rows: Vec<TimelineRow> = activities
        .iter()
        .map(|a| TimelineRow {
            label: a.title.clone(),
            start: a.starts_on,
            end: a.ends_on,
            fill: status_fill(a.status).into(),
            status_label: t.label("activity-status", a.status).into_owned(),
            milestones: a
                .milestones
                .iter()
                .map(|m| (m.due_on, m.title.clone(), m.reached_on.is_some()))
                .collect(),
        })
        .collect();
    let desc = rows
        .iter()
        .map(|r| format!("{}, {}: {} – {}", r.label, r.status_label, r.start, r.end))
        .collect::<Vec<_>>()
        .join("; ");
    charts::timeline(
        &charts::Words::new(&ctx.t()),
        id,
        title,
        &desc,
        axis,
        &rows,
        Some(today),
    )
}

#[derive(Template)]
#[template(path = "plans/overview.html")]
struct OverviewPage<'a> {
    page: Page,
    a: &'a AgreementRecord,
    plan: &'a ActionPlan,
    sums: &'a PlanSummaries,
    by_part: Vec<(PlanPart, Paged<&'a Activity>)>,
    progress_svg: &'a str,
    status_svg: &'a str,
    timeline_svg: &'a str,
    coordinator: bool,
    notice: Option<String>,
}

impl OverviewPage<'_> {
    /// The pager of a part's list: its pages keep to that part.
    fn pager_of(&self, part: &PlanPart, list: &Paged<&Activity>) -> Pager {
        Pager::new(list.page, list.pages, |n| {
            format!("?part={part}&page={n}#part-{part}")
        })
    }

    fn part_text(&self, part: &PlanPart) -> Option<&str> {
        self.plan
            .parts
            .iter()
            .find(|p| p.part == *part)
            .map(|p| p.description.as_str())
    }

    fn mean(&self, m: &Option<f32>) -> String {
        Summary::mean_text(m, self.page.lang == crate::Lang::Sv)
    }

    fn timeline_rows(&self) -> usize {
        plan_pages::TIMELINE_ROWS
    }
}

/// The part of a plan's overview whose list is paged (`?part=…&page=…`),
/// and the page; a part or page that does not exist is a 400.
fn part_page(params: &Params) -> Result<(Option<PlanPart>, usize), Error> {
    let part = match params
        .0
        .get("part")
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
    {
        None => None,
        Some(v) => Some(PlanPart::parse(v).map_err(|_| {
            Error::InvalidParameter(samverkan_app::ParameterProblem {
                name: "part".into(),
                given: Some(v.to_owned()),
                rule: samverkan_app::ParameterRule::OneOf(
                    "challenges, conditions, learning or organisation",
                ),
            })
        })?),
    };
    Ok((part, params.page_number()?))
}

/// A plan's sums and its three charts in one language: the same for every
/// visitor until the activities are read again, so they are made once per
/// copy (see `AgreementActivities::memo`).
struct OverviewCharts {
    sums: PlanSummaries,
    progress_svg: String,
    status_svg: String,
    timeline_svg: String,
}

fn overview_charts(
    ctx: &PageCtx,
    a: &AgreementRecord,
    acts: &AgreementActivities,
    p: &ActionPlan,
    today: time::Date,
) -> Result<OverviewCharts, Error> {
    let plan = &p.slug;
    let sums = acts.plan_summaries(a, plan)?;
    let t = ctx.t();
    let activities: Vec<&Activity> = acts.activities_of_plan(plan).collect();
    let activities = plan_pages::timeline_rows(&activities);
    let bars: Vec<Bar> = sums
        .by_challenge
        .iter()
        .map(|s| Bar {
            label: s.label.clone(),
            value: s.progress,
            note: t
                .with("plan-activities-count", "count", s.activities as i64)
                .into_owned(),
        })
        .collect();
    let progress_desc = bars
        .iter()
        .map(|b| format!("{}: {} %, {}", b.label, b.value, b.note))
        .collect::<Vec<_>>()
        .join("; ");
    let progress_svg = charts::progress_bars(
        &charts::Words::new(&ctx.t()),
        "chart-progress",
        &t.get("plan-chart-progress"),
        &progress_desc,
        &bars,
    );
    let status_svg = status_chart(ctx, "chart-status", &t.get("plan-chart-status"), &sums.plan);
    let timeline_svg = timeline_chart(
        ctx,
        "chart-timeline",
        &t.get("plan-chart-timeline"),
        plan_pages::plan_span(p, &activities),
        &activities,
        today,
    );
    Ok(OverviewCharts {
        sums,
        progress_svg,
        status_svg,
        timeline_svg,
    })
}

pub async fn overview(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Option<Acting>,
    params: Params,
    Path((slug, plan)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let (snapshot, acts) = state.app.with_activities(&slug).await?;
    let a = snapshot.agreement_in(&slug, ctx.lang.code())?;
    let p = a.plan(&plan).ok_or(Error::NotFound("plan"))?;
    let key = format!("plan-overview:{plan}:{}", ctx.lang.code());
    let charts = acts
        .memo
        .get_or(key, || overview_charts(&ctx, a, &acts, p, snapshot.today));
    let charts = charts
        .as_ref()
        .as_ref()
        .map_err(|_| Error::NotFound("plan"))?;
    let mut page = page_for(&ctx, a, "plans-title", "plans");
    page.title = format!("{} – {}", p.title, a.summary.short_name);
    render(OverviewPage {
        page,
        a,
        plan: p,
        sums: &charts.sums,
        by_part: plan_pages::by_part(&acts, &plan, part_page(&params)?),
        progress_svg: &charts.progress_svg,
        status_svg: &charts.status_svg,
        timeline_svg: &charts.timeline_svg,
        coordinator: acting.is_some_and(|x| x.roles.coordinates(&slug)),
        notice: crate::html::forms::notice(
            &ctx,
            &params,
            &["imported", "activity-created", "plan-saved"],
        ),
    })
}

#[derive(Template)]
#[template(path = "agreements/challenge.html")]
struct ChallengePage<'a> {
    page: Page,
    a: &'a AgreementRecord,
    c: &'a Challenge,
    activities: Paged<&'a Activity>,
    total: usize,
    choices: FilterChoices,
    chosen: Chosen,
    status_svg: String,
    statuses: Vec<samverkan_app::plans::views::StatusCount>,
}

impl ChallengePage<'_> {
    /// The pager of the activities, the filter kept.
    fn pager(&self) -> Pager {
        let list = &self.activities;
        Pager::new(list.page, list.pages, |n| {
            format!("{}#activities-h", self.href_for_page(n))
        })
    }

    /// The query string of another page with the same filter.
    fn href_for_page(&self, page: usize) -> String {
        let c = &self.chosen;
        let mut q = form_urlencoded::Serializer::new(String::new());
        for (name, value) in [
            ("status", &c.status),
            ("party", &c.party),
            ("district", &c.district),
            ("principle", &c.principle),
            ("plan", &c.plan),
        ] {
            if !value.is_empty() {
                q.append_pair(name, value);
            }
        }
        q.append_pair("page", &page.to_string());
        format!("?{}", q.finish())
    }
}

/// The filter of the query string, each value trimmed.
fn chosen_of(params: &Params) -> Chosen {
    let get = |name: &str| {
        params
            .0
            .get(name)
            .map(|v| v.trim().to_owned())
            .unwrap_or_default()
    };
    Chosen {
        status: get("status"),
        party: get("party"),
        district: get("district"),
        principle: get("principle"),
        plan: get("plan"),
    }
}

pub async fn challenge(
    State(state): State<AppState>,
    ctx: PageCtx,
    params: Params,
    Path((slug, challenge)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let (snapshot, acts) = state.app.with_activities(&slug).await?;
    let a = snapshot.agreement_in(&slug, ctx.lang.code())?;
    let chosen = (chosen_of(&params), params.page_number()?);
    let view = plan_pages::challenge_view(a, &acts, &challenge, chosen)?;
    let title = ctx.t().get("plan-chart-status");
    let status_svg = status_chart(&ctx, "chart-status", &title, &view.summary);
    let page = ctx.page(
        format!("{} – {}", view.challenge.name, a.summary.short_name),
        Some(NavAgreement::of(a, "challenges")),
    );
    render(ChallengePage {
        page,
        a,
        c: view.challenge,
        activities: view.activities,
        total: view.total,
        choices: view.choices,
        chosen: view.chosen,
        status_svg,
        statuses: view.summary.statuses,
    })
}

#[derive(Template)]
#[template(path = "plans/activity.html")]
pub(super) struct ActivityPage<'a> {
    pub page: Page,
    pub a: &'a AgreementRecord,
    pub plan: &'a ActionPlan,
    pub x: &'a Activity,
    pub timeline_svg: String,
    /// May edit and publish: coordinator or responsible.
    pub responsible: bool,
    /// May propose updates.
    pub partner: bool,
    /// The parties the person may write for, as (`kind:slug`, name).
    pub party_choices: Vec<(String, String)>,
    pub proposals: Vec<UpdateRow>,
    pub update: samverkan_app::plans::follow_up::UpdateForm,
    pub problems: crate::html::forms::Problems,
    pub notice: Option<String>,
}

impl ActivityPage<'_> {
    fn principle_name<'b>(&'b self, slug: &'b str) -> &'b str {
        self.a
            .principles
            .iter()
            .find(|p| p.slug == slug)
            .map_or(slug, |p| p.name.as_str())
    }

    fn decision_title(&self, id: &i64) -> Option<&str> {
        self.a
            .decisions
            .iter()
            .find(|d| d.id == *id)
            .map(|d| d.title.as_str())
    }

    fn assessment_of(&self, principle: &str) -> Option<&samverkan_app::plans::views::Assessment> {
        self.x.assessments.iter().find(|s| s.principle == principle)
    }

    fn field_label(&self, field: &str) -> String {
        self.page
            .t
            .label("activity-field", field.replace('_', "-"))
            .into_owned()
    }

    fn statuses(&self) -> &'static [ActivityStatus] {
        ActivityStatus::ALL
    }

    fn is_status(&self, s: &ActivityStatus) -> bool {
        self.update.status == s.as_str()
    }
}

/// The path of an activity page: `/agreements/{slug}/plans/{plan}/activities/{activity}`.
#[derive(Debug, serde::Deserialize)]
pub struct ActivityPath {
    pub slug: String,
    pub plan: String,
    pub activity: String,
}

impl ActivityPath {
    pub fn as_ref(&self) -> samverkan_app::plans::activities::ActivityRef<'_> {
        samverkan_app::plans::activities::ActivityRef {
            agreement: &self.slug,
            plan: &self.plan,
            slug: &self.activity,
        }
    }

    pub fn href(&self) -> String {
        format!(
            "/agreements/{}/plans/{}/activities/{}",
            self.slug, self.plan, self.activity
        )
    }
}

/// Builds the activity page; the update form comes back with what was
/// typed and its problems when a post was refused.
pub(super) async fn activity_page(
    state: &AppState,
    ctx: &PageCtx,
    acting: Option<&Acting>,
    at: &ActivityPath,
    (update, problems): (
        samverkan_app::plans::follow_up::UpdateForm,
        crate::html::forms::Problems,
    ),
    notice: Option<String>,
) -> Result<Response, PageError> {
    let (slug, plan, activity) = (at.slug.as_str(), at.plan.as_str(), at.activity.as_str());
    let (snapshot, acts) = state.app.with_activities(slug).await?;
    let a = snapshot.agreement_in(slug, ctx.lang.code())?;
    let p = a.plan(plan).ok_or(Error::NotFound("plan"))?;
    let x = acts.activity(plan, activity)?;
    let roles = acting.map(|x| &x.roles);
    let rights = state.app.activity_rights(roles, a, x, at.as_ref()).await?;
    let timeline_svg = timeline_chart(
        ctx,
        "chart-activity",
        &ctx.t().get("activity-chart-timeline"),
        plan_pages::activity_span(p, x),
        &[x],
        snapshot.today,
    );
    let page = ctx.page(
        format!("{} – {}", x.title, a.summary.short_name),
        Some(NavAgreement::of(a, "plans")),
    );
    render(ActivityPage {
        page,
        a,
        plan: p,
        x,
        timeline_svg,
        responsible: rights.responsible,
        partner: rights.partner,
        party_choices: rights.party_choices,
        proposals: rights.proposals,
        update,
        problems,
        notice,
    })
}

pub async fn activity(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Option<Acting>,
    params: Params,
    Path(at): Path<ActivityPath>,
) -> Result<Response, PageError> {
    let notice = crate::html::forms::notice(
        &ctx,
        &params,
        &[
            "activity-saved",
            "update-published",
            "update-proposed",
            "proposal-accepted",
            "proposal-declined",
            "assessment-saved",
            "activity-created",
        ],
    );
    activity_page(
        &state,
        &ctx,
        acting.as_ref(),
        &at,
        Default::default(),
        notice,
    )
    .await
}

#[derive(Template)]
#[template(path = "plans/mine.html")]
struct MinePage {
    page: Page,
    mine: Vec<MyActivity>,
}

pub async fn mine(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
) -> Result<Response, PageError> {
    let mine = state.app.my_activities(&acting.roles).await?;
    let page = ctx.page(ctx.t().get("mine-title"), None);
    render(MinePage { page, mine })
}
