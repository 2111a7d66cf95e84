//! CSRF protection for every state-changing request, with no exception list.
//!
//! The double-submit pattern with a secret cookie: a random token lives in an
//! HttpOnly, SameSite=Strict cookie, and every form carries it in a hidden
//! `csrf_token` field (scripts send it in `X-CSRF-Token`). A POST, PUT, PATCH
//! or DELETE whose submitted token does not equal the cookie is refused with
//! 403 before any handler runs. The cookie is set the first time a page
//! renders a form.

use crate::AppState;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use samverkan_app::accounts::Secret;
use std::sync::{Arc, OnceLock};

pub const COOKIE: &str = "csrf";
pub const FIELD: &str = "csrf_token";
pub const HEADER: &str = "x-csrf-token";

/// The request's CSRF token, made on first use.
#[derive(Clone, Default)]
pub struct CsrfToken {
    existing: Option<String>,
    made: Arc<OnceLock<String>>,
}

impl CsrfToken {
    pub fn value(&self) -> &str {
        match &self.existing {
            Some(t) => t,
            None => self.made.get_or_init(|| Secret::generate().0),
        }
    }
}

fn well_formed(token: &str) -> bool {
    token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Compares without leaking where the first difference is.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

fn is_safe(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    )
}

pub async fn protect(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let existing = crate::cookies::get(req.headers(), COOKIE)
        .filter(|t| well_formed(t))
        .map(str::to_owned);
    let mut req = req;
    if !is_safe(req.method()) {
        let (parts, body) = req.into_parts();
        let from_header = parts
            .headers
            .get(HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let is_form = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        let bytes = match axum::body::to_bytes(body, state.config.max_body_bytes).await {
            Ok(b) => b,
            Err(_) => return axum::http::StatusCode::PAYLOAD_TOO_LARGE.into_response(),
        };
        let from_form = is_form
            .then(|| {
                form_urlencoded::parse(&bytes)
                    .find(|(k, _)| k == FIELD)
                    .map(|(_, v)| v.into_owned())
            })
            .flatten();
        let submitted = from_header.or(from_form);
        let ok =
            matches!((&existing, &submitted), (Some(cookie), Some(sent)) if same(cookie, sent));
        if !ok {
            tracing::warn!(path = %parts.uri.path(), "state-changing request without a valid CSRF token");
            if parts.uri.path().starts_with("/api/") {
                return crate::ApiError(samverkan_app::Error::Forbidden("csrf")).into_response();
            }
            let req = Request::from_parts(parts, Body::empty());
            let ctx = crate::page::PageCtx::from_request(&req).with_lang(crate::lang::detect(&req));
            let message = ctx.t().get("csrf-refused").into_owned();
            return crate::error::error_page(
                &ctx,
                axum::http::StatusCode::FORBIDDEN,
                Some(message),
            );
        }
        req = Request::from_parts(parts, Body::from(bytes));
    }
    let token = CsrfToken {
        existing: existing.clone(),
        made: Arc::default(),
    };
    req.extensions_mut().insert(token.clone());
    let mut res = next.run(req).await;
    if existing.is_none()
        && let Some(made) = token.made.get()
    {
        crate::cookies::set(
            res.headers_mut(),
            COOKIE,
            made,
            "Strict",
            None,
            state.config.secure_cookies,
        );
    }
    res
}
