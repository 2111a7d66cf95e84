//! The web layer: one axum router with two front doors on the same use cases,
//! HTML pages (`html/`) and the `/api/v1` JSON/CSV API (`api/`), plus assets,
//! language negotiation, error pages and the operational middleware.

pub mod access;
pub mod api;
mod assets;
mod body_limit;
pub mod charts;
mod client;
mod cookies;
pub mod csrf;
mod error;
mod heavy;
pub mod html;
pub mod i18n;
mod lang;
mod middleware;
mod own_writes;
mod page;
mod query;
pub mod session;

pub use error::{ApiError, PageError};
pub use i18n::{Lang, Tr};

use axum::Router;
use samverkan_app::App;

/// Settings of the web layer.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Requests with a larger body are refused with 413.
    pub max_body_bytes: usize,
    /// Set the `Secure` flag on cookies (behind HTTPS).
    pub secure_cookies: bool,
    /// The mailbox named on the accessibility statement for feedback.
    pub feedback_email: String,
    /// How many heavy requests (register, reports, imports) run at once;
    /// keep it below the database pool's size (see `heavy.rs`).
    pub heavy_permits: usize,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            max_body_bytes: 1024 * 1024,
            secure_cookies: false,
            feedback_email: "tillganglighet@samverkan.example".into(),
            heavy_permits: 4,
        }
    }
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub app: App,
    pub config: std::sync::Arc<WebConfig>,
}

/// The whole application as a router, ready to serve or to test.
pub fn router(app: App, config: WebConfig) -> Router {
    i18n::preload();
    let state = AppState {
        app,
        config: std::sync::Arc::new(config),
    };
    let pages = html::router(state.clone())
        .fallback(html::not_found)
        .layer(axum::middleware::from_fn(error::render_page_errors))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            lang::negotiate,
        ));
    let router = Router::new()
        .merge(pages)
        .nest("/api/v1", api::router())
        .route("/health", axum::routing::get(html::health))
        .merge(assets::router())
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            csrf_after_routing,
        ))
        // After every route layer (the pages' access check, CSRF): this
        // replaces each path's answer to a method it lacks, which the route
        // layers above would otherwise wrap, so that answer is a 405 with
        // `Allow` and never a 403.
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            csrf_before_routing,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            session::load,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            own_writes::carry,
        ))
        .layer(axum::Extension(heavy::HeavyLimit::new(
            state.config.heavy_permits,
        )))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            body_limit::limit,
        ))
        .with_state(state.clone());
    middleware::apply(router)
}

// Where `csrf::protect` runs. Every request that reaches a handler passes
// through it exactly once:
//
// - a request that changes state (POST, PUT, PATCH, DELETE, …) after routing,
//   as a route layer, so it wraps the handler of every method of every route
//   (pages, API, health, assets) with no exception list; a method that a
//   path lacks answers 405 with `Allow` (`method_not_allowed`) rather than
//   403, since that answer changes nothing;
// - a request that changes nothing (GET, HEAD, OPTIONS, TRACE) before
//   routing, where the middleware checks nothing and only hands the token
//   to the page, so that the sign-out form on a 404 or 405 page works too.
//
// Which methods change state is decided here for both layers alike, so no
// request can slip between them; `csrf::protect` keeps its own rule for what
// to check.

/// The answer to a method that a path lacks: under `/api/` a JSON
/// `ErrorBody`, elsewhere the site's error page; axum adds the `Allow`
/// header listing the methods the path has.
async fn method_not_allowed(req: axum::extract::Request) -> axum::response::Response {
    if req.uri().path().starts_with("/api/") {
        return api::method_not_allowed(req.method().clone()).await;
    }
    let ctx = page::PageCtx::from_request(&req).with_lang(lang::detect(&req));
    error::error_page(&ctx, axum::http::StatusCode::METHOD_NOT_ALLOWED, None)
}

fn changes_state(method: &axum::http::Method) -> bool {
    use axum::http::Method;
    !matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    )
}

async fn csrf_before_routing(
    state: axum::extract::State<AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    if changes_state(req.method()) {
        next.run(req).await
    } else {
        csrf::protect(state, req, next).await
    }
}

async fn csrf_after_routing(
    state: axum::extract::State<AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    if changes_state(req.method()) {
        csrf::protect(state, req, next).await
    } else {
        next.run(req).await
    }
}
