//! The HTML front door: one module per area, each a set of thin handlers
//! that fetch a view from the application layer and render a template.

mod account;
mod agreement;
mod organisations;
mod site;

pub use site::{health, not_found};

use crate::AppState;
use crate::error::PageError;
use askama::Template;
use axum::Router;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;

/// Renders a page template; a template failure is an internal error.
pub(crate) fn render(template: impl Template) -> Result<Response, PageError> {
    let html = template
        .render()
        .map_err(|e| samverkan_app::Error::Internal(format!("template: {e}")))?;
    Ok(Html(html).into_response())
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(site::start))
        .route("/agreements", get(site::agreements))
        .route("/city-bodies", get(site::city_bodies))
        .route("/accessibility", get(site::accessibility))
        .route("/open-data", get(site::open_data))
        .route(
            "/register",
            get(account::register_form).post(account::register),
        )
        .route(
            "/confirm/{token}",
            get(account::confirm_form).post(account::confirm),
        )
        .route("/login", get(account::login_form).post(account::login))
        .route("/logout", axum::routing::post(account::logout))
        .route("/account", get(account::account))
        .route(
            "/account/password",
            axum::routing::post(account::change_password),
        )
        .route(
            "/account/sessions/revoke",
            axum::routing::post(account::revoke_session),
        )
        .route(
            "/forgot-password",
            get(account::forgot_form).post(account::forgot),
        )
        .route(
            "/reset/{token}",
            get(account::reset_form).post(account::reset),
        )
        .route("/organisations", get(organisations::directory))
        .route(
            "/organisations/new",
            get(organisations::new_form).post(organisations::create),
        )
        .route("/organisations/{slug}", get(organisations::organisation))
        .route("/agreements/{slug}", get(agreement::home))
        .route("/agreements/{slug}/text", get(agreement::text))
        .route("/agreements/{slug}/versions", get(agreement::versions))
        .route(
            "/agreements/{slug}/versions/compare",
            get(agreement::compare),
        )
        .route("/agreements/{slug}/decisions", get(agreement::decisions))
        .route("/agreements/{slug}/principles", get(agreement::principles))
        .route("/agreements/{slug}/challenges", get(agreement::challenges))
        .route(
            "/agreements/{slug}/challenges/{challenge}",
            get(agreement::challenge),
        )
        .route("/agreements/{slug}/plans", get(agreement::plans))
        .route("/agreements/{slug}/contact", get(agreement::contact))
}
