//! Site-wide pages: the start page, the list of agreements, the city bodies,
//! the accessibility statement, open data, health and the 404 fallback.

use crate::AppState;
use crate::error::PageError;
use crate::html::agreements::HomePage;
use crate::html::render;
use crate::page::{NavAgreement, Page, PageCtx};
use askama::Template;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use samverkan_app::Error;
use samverkan_app::snapshot::AgreementRecord;
use samverkan_app::views::{CityBody, Municipality};

#[derive(Template)]
#[template(path = "site/empty_start.html")]
struct EmptyStartPage {
    page: Page,
}

/// The start page: the default agreement's home, or a welcome when the
/// install holds no agreement yet.
pub async fn start(State(state): State<AppState>, ctx: PageCtx) -> Result<Response, PageError> {
    let snapshot = state.app.public().await?;
    let configured = state.app.config().default_agreement.as_deref();
    let Some(summary) = snapshot.default_agreement(configured) else {
        return render(EmptyStartPage {
            page: ctx.page(ctx.t().get("site-name"), None),
        });
    };
    let a = snapshot.agreement_in(&summary.slug, ctx.lang.code())?;
    let others = snapshot.agreements.len() - 1;
    render(HomePage::new(&ctx, a, true, others))
}

#[derive(Template)]
#[template(path = "agreements/list.html")]
struct AgreementsPage<'a> {
    page: Page,
    /// In the page's language where translated.
    agreements: &'a [samverkan_app::snapshot::AgreementRecord],
    /// What a signed-in writer sees besides: whether they may start an
    /// agreement, the drafts they write, the agreements they coordinate.
    writer: Option<samverkan_app::agreements::writing::Writer>,
}

impl AgreementsPage<'_> {
    fn writes(&self, slug: &str) -> bool {
        (self.writer.as_ref())
            .is_some_and(|w| w.writes_all || w.coordinates.iter().any(|s| s == slug))
    }
}

pub async fn agreements(
    State(state): State<AppState>,
    ctx: PageCtx,
    signed_in: Option<crate::session::SignedIn>,
) -> Result<Response, PageError> {
    let writer = match signed_in {
        Some(crate::session::SignedIn(user)) => {
            let roles = state.app.roles(&user).await?;
            state.app.writer(&roles).await?
        }
        None => None,
    };
    let snapshot = state.app.public().await?;
    render(AgreementsPage {
        page: ctx.page(ctx.t().get("agreements-title"), None),
        agreements: snapshot.agreements_in(ctx.lang.code()),
        writer,
    })
}

#[derive(Template)]
#[template(path = "agreements/city_bodies.html")]
struct CityBodiesPage<'a> {
    page: Page,
    /// Every municipality and region, for the choice of one.
    municipalities: &'a [Municipality],
    /// The one shown, with its bodies (none when there is no municipality).
    groups: Vec<(&'a Municipality, Vec<&'a CityBody>)>,
    /// The visitor keeps the city bodies: show the links to edit them.
    keeper: bool,
    /// The visitor adds municipalities and regions (a platform administrator).
    adds_municipalities: bool,
}

/// The bodies of one municipality at a time (`?municipality=`; by default
/// that of the agreement the start page shows), so the page stays the size
/// of one municipality however many the install holds.
pub async fn city_bodies(
    State(state): State<AppState>,
    ctx: PageCtx,
    signed_in: Option<crate::session::SignedIn>,
    params: crate::query::Params,
) -> Result<Response, PageError> {
    let (keeper, adds_municipalities) = match signed_in {
        Some(crate::session::SignedIn(user)) => {
            let roles = state.app.roles(&user).await?;
            (roles.keeps_city_bodies(), roles.platform_admin)
        }
        None => (false, false),
    };
    let snapshot = state.app.public().await?;
    let configured = state.app.config().default_agreement.as_deref();
    let asked = params.0.get("municipality").map(String::as_str);
    let chosen = snapshot.municipality_shown(asked, configured)?;
    let groups = chosen
        .into_iter()
        .map(|m| {
            (
                m,
                snapshot
                    .city_bodies
                    .iter()
                    .filter(|b| b.municipality == m.slug)
                    .collect(),
            )
        })
        .collect();
    render(CityBodiesPage {
        page: ctx.page(ctx.t().get("bodies-title"), None),
        municipalities: &snapshot.municipalities,
        groups,
        keeper,
        adds_municipalities,
    })
}

#[derive(Template)]
#[template(path = "site/accessibility.html")]
struct AccessibilityPage<'a> {
    page: Page,
    mailbox: &'a str,
}

pub async fn accessibility(
    State(state): State<AppState>,
    ctx: PageCtx,
) -> Result<Response, PageError> {
    render(AccessibilityPage {
        page: ctx.page(ctx.t().get("a11y-title"), None),
        mailbox: &state.config.feedback_email,
    })
}

#[derive(Template)]
#[template(path = "site/privacy.html")]
struct PrivacyPage {
    page: Page,
}

pub async fn privacy(ctx: PageCtx) -> Result<Response, PageError> {
    render(PrivacyPage {
        page: ctx.page(ctx.t().get("privacy-title"), None),
    })
}

#[derive(Template)]
#[template(path = "site/open_data.html")]
struct OpenDataPage<'a> {
    page: Page,
    example: Option<&'a AgreementRecord>,
}

pub async fn open_data(State(state): State<AppState>, ctx: PageCtx) -> Result<Response, PageError> {
    let snapshot = state.app.public().await?;
    render(OpenDataPage {
        page: ctx.page(ctx.t().get("open-data-title"), None),
        example: snapshot.agreements.first(),
    })
}

/// The 404 page for any path no route matches.
pub async fn not_found() -> PageError {
    PageError(Error::NotFound("page"))
}

/// `GET /health`: 200 when the database answers, 503 when it does not.
pub async fn health(State(state): State<AppState>) -> Response {
    match state.app.health().await {
        Ok(()) => Json(serde_json::json!({ "status": "ok", "database": "ok" })).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({ "status": "error", "database": "unreachable" })),
            )
                .into_response()
        }
    }
}

impl NavAgreement {
    pub fn of(a: &AgreementRecord, active: &'static str) -> NavAgreement {
        NavAgreement {
            slug: a.summary.slug.clone(),
            short_name: a.summary.short_name.clone(),
            active,
        }
    }
}
