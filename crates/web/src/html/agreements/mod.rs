//! The pages of one agreement: home, text, versions and their comparison,
//! decisions, principles, challenges, plans and contact.

pub(super) mod city_bodies;
pub(super) mod municipalities;
pub(super) mod writing;

use crate::AppState;
use crate::error::PageError;
use crate::html::pager::Pager;
use crate::html::render;
use crate::page::{NavAgreement, Page, PageCtx};
use crate::query::Params;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use samverkan_app::agreements::diff::{
    Change, SegmentKind, VersionComparison, compare as compare_versions,
};
use samverkan_app::snapshot::AgreementRecord;
use samverkan_app::views::{Block, VersionText};

pub(super) fn page_for(
    ctx: &PageCtx,
    a: &AgreementRecord,
    title_key: &str,
    active: &'static str,
) -> Page {
    let title = format!("{} – {}", ctx.t().get(title_key), a.summary.short_name);
    ctx.page(title, Some(NavAgreement::of(a, active)))
}

/// The shape of most agreement pages: find the agreement, title the page,
/// mark its navigation entry, render the template `build` makes.
async fn agreement_page(
    state: &AppState,
    ctx: &PageCtx,
    slug: &str,
    title_key: &str,
    active: &'static str,
    build: impl FnOnce(Page, &AgreementRecord) -> Result<Response, PageError>,
) -> Result<Response, PageError> {
    let snapshot = state.app.public().await?;
    let a = snapshot.agreement_in(slug, ctx.lang.code())?;
    build(page_for(ctx, a, title_key, active), a)
}

#[derive(Template)]
#[template(path = "agreements/home.html")]
pub struct HomePage<'a> {
    page: Page,
    a: &'a AgreementRecord,
    is_start: bool,
    other_agreements: usize,
}

impl<'a> HomePage<'a> {
    pub fn new(
        ctx: &PageCtx,
        a: &'a AgreementRecord,
        is_start: bool,
        other_agreements: usize,
    ) -> Self {
        let page = ctx.page(a.summary.name.clone(), Some(NavAgreement::of(a, "home")));
        HomePage {
            page,
            a,
            is_start,
            other_agreements,
        }
    }
}

pub async fn home(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    let snapshot = state.app.public().await?;
    let a = snapshot.agreement_in(&slug, ctx.lang.code())?;
    render(HomePage::new(&ctx, a, false, 0))
}

#[derive(Template)]
#[template(path = "agreements/history.html")]
struct HistoryPage<'a> {
    page: Page,
    a: &'a AgreementRecord,
}

/// The agreement's public history: every step of its life cycle, who took
/// it and when, with the decision behind it.
pub async fn history(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    agreement_page(
        &state,
        &ctx,
        &slug,
        "history-title",
        "decisions",
        |page, a| render(HistoryPage { page, a }),
    )
    .await
}

#[derive(Template)]
#[template(path = "agreements/text.html")]
struct TextPage<'a> {
    page: Page,
    a: &'a AgreementRecord,
    /// In the page's language where translated.
    version: Option<VersionText>,
    /// Some part is not translated and is shown as written.
    fell_back: bool,
}

pub async fn text(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(slug): Path<String>,
    params: Params,
) -> Result<Response, PageError> {
    let number = params.number("version")?;
    let snapshot = state.app.public().await?;
    let a = snapshot.agreement_in(&slug, ctx.lang.code())?;
    let version = match number {
        Some(n) => Some(a.version(n)?),
        None => a.current_version(),
    };
    let shown = version.map(|v| v.in_language(ctx.lang.code()));
    render(TextPage {
        page: page_for(&ctx, a, "text-title", "text"),
        a,
        fell_back: shown.as_ref().is_some_and(|(_, f)| *f),
        version: shown.map(|(v, _)| v),
    })
}

#[derive(Template)]
#[template(path = "agreements/versions.html")]
struct VersionsPage<'a> {
    page: Page,
    a: &'a AgreementRecord,
    /// May attach documents to the versions.
    coordinator: bool,
}

pub async fn versions(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Option<crate::session::Acting>,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    let coordinator = acting.is_some_and(|x| x.roles.coordinates(&slug));
    agreement_page(&state, &ctx, &slug, "versions-title", "text", |page, a| {
        render(VersionsPage {
            page,
            a,
            coordinator,
        })
    })
    .await
}

#[derive(Template)]
#[template(path = "agreements/compare.html")]
struct ComparePage<'a> {
    page: Page,
    a: &'a AgreementRecord,
    cmp: VersionComparison,
}

pub async fn compare(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(slug): Path<String>,
    params: Params,
) -> Result<Response, PageError> {
    let (from, to) = (
        params.required_number("from")?,
        params.required_number("to")?,
    );
    let snapshot = state.app.public().await?;
    let a = snapshot.agreement_in(&slug, ctx.lang.code())?;
    let cmp = compare_versions(a.version(from)?, a.version(to)?);
    render(ComparePage {
        page: page_for(&ctx, a, "compare-title", "text"),
        a,
        cmp,
    })
}

#[derive(Template)]
#[template(path = "agreements/decisions.html")]
struct DecisionsPage<'a> {
    page: Page,
    a: &'a AgreementRecord,
    /// May attach documents to the decisions.
    coordinator: bool,
}

pub async fn decisions(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Option<crate::session::Acting>,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    let coordinator = acting.is_some_and(|x| x.roles.coordinates(&slug));
    agreement_page(
        &state,
        &ctx,
        &slug,
        "decisions-title",
        "decisions",
        |page, a| {
            render(DecisionsPage {
                page,
                a,
                coordinator,
            })
        },
    )
    .await
}

#[derive(Template)]
#[template(path = "agreements/principles.html")]
struct PrinciplesPage<'a> {
    page: Page,
    a: &'a AgreementRecord,
}

pub async fn principles(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    agreement_page(
        &state,
        &ctx,
        &slug,
        "principles-title",
        "principles",
        |page, a| render(PrinciplesPage { page, a }),
    )
    .await
}

#[derive(Template)]
#[template(path = "agreements/challenges.html")]
struct ChallengesPage<'a> {
    page: Page,
    a: &'a AgreementRecord,
}

pub async fn challenges(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    agreement_page(
        &state,
        &ctx,
        &slug,
        "challenges-title",
        "challenges",
        |page, a| render(ChallengesPage { page, a }),
    )
    .await
}

#[derive(Template)]
#[template(path = "agreements/plans.html")]
struct PlansPage<'a> {
    page: Page,
    a: &'a AgreementRecord,
    /// Shows the link to add a plan.
    coordinator: bool,
}

pub async fn plans(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Option<crate::session::Acting>,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    let coordinator = acting.is_some_and(|x| x.roles.coordinates(&slug));
    agreement_page(&state, &ctx, &slug, "plans-title", "plans", |page, a| {
        render(PlansPage {
            page,
            a,
            coordinator,
        })
    })
    .await
}

#[derive(Template)]
#[template(path = "agreements/contact.html")]
struct ContactPage<'a> {
    page: Page,
    a: &'a AgreementRecord,
}

pub async fn contact(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    agreement_page(
        &state,
        &ctx,
        &slug,
        "contact-title",
        "contact",
        |page, a| render(ContactPage { page, a }),
    )
    .await
}

#[derive(Template)]
#[template(path = "agreements/parties.html")]
struct PartiesPage<'a> {
    page: Page,
    a: &'a AgreementRecord,
    parties: Vec<samverkan_app::views::Party>,
    total: usize,
    page_no: usize,
    pages: usize,
    takes_applications: bool,
}

impl PartiesPage<'_> {
    fn pager(&self) -> Pager {
        let slug = &self.a.summary.slug;
        Pager::new(self.page_no, self.pages, |n| {
            format!("/agreements/{slug}/parties?page={n}")
        })
    }
}

pub async fn parties(
    State(state): State<AppState>,
    ctx: PageCtx,
    params: Params,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    let snapshot = state.app.public().await?;
    let a = snapshot.agreement_in(&slug, ctx.lang.code())?;
    let page_no = params.page_number()?;
    let list = state.app.parties(a, page_no).await?;
    let page = page_for(&ctx, a, "parties-title", "parties");
    render(PartiesPage {
        page,
        a,
        parties: list.items,
        total: list.total,
        page_no: list.page,
        pages: list.pages,
        takes_applications: samverkan_app::joining::takes_applications(a.summary.status),
    })
}
