//! Which language a page is shown in: `?lang=` (remembered in a cookie), then
//! the cookie, then `Accept-Language`, then Swedish. An unknown code falls
//! back without an error.

use crate::{AppState, Lang};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

pub const COOKIE: &str = "lang";

fn from_query(query: Option<&str>) -> Option<Option<Lang>> {
    query?
        .split('&')
        .find_map(|pair| pair.strip_prefix("lang="))
        .map(Lang::from_code)
}

fn from_accept(req: &Request) -> Option<Lang> {
    req.headers()
        .get(header::ACCEPT_LANGUAGE)?
        .to_str()
        .ok()
        .and_then(Lang::from_accept_language)
}

/// The language for a request: asked for, remembered, accepted, or Swedish.
pub fn detect(req: &Request) -> Lang {
    from_query(req.uri().query())
        .flatten()
        .or_else(|| crate::cookies::get(req.headers(), COOKIE).and_then(Lang::from_code))
        .or_else(|| from_accept(req))
        .unwrap_or_default()
}

pub async fn negotiate(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let asked = from_query(req.uri().query());
    let lang = detect(&req);
    req.extensions_mut().insert(lang);
    let mut res = next.run(req).await;
    if asked.is_some() {
        let secure = state.config.secure_cookies;
        crate::cookies::set(
            res.headers_mut(),
            COOKIE,
            lang.code(),
            "Lax",
            Some(31_536_000),
            secure,
        );
    }
    res.headers_mut().insert(
        header::CONTENT_LANGUAGE,
        HeaderValue::from_static(lang.code()),
    );
    res.headers_mut().append(
        header::VARY,
        HeaderValue::from_static("Accept-Language, Cookie"),
    );
    res
}
