//! The web layer: one axum router with two front doors on the same use cases,
//! HTML pages (`html/`) and the `/api/v1` JSON/CSV API (`api/`), plus assets,
//! language negotiation, error pages and the operational middleware.

pub mod access;
pub mod api;
mod assets;
pub mod charts;
mod client;
mod cookies;
pub mod csrf;
mod error;
pub mod html;
pub mod i18n;
mod lang;
mod middleware;
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
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            max_body_bytes: 1024 * 1024,
            secure_cookies: false,
            feedback_email: "tillganglighet@samverkan.example".into(),
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
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            csrf::protect,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            session::load,
        ))
        .with_state(state.clone());
    middleware::apply(router, &state.config)
}
