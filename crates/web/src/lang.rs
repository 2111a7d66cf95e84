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

fn from_cookie(req: &Request) -> Option<Lang> {
    req.headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix("lang="))
        .and_then(Lang::from_code)
}

fn from_accept(req: &Request) -> Option<Lang> {
    req.headers()
        .get(header::ACCEPT_LANGUAGE)?
        .to_str()
        .ok()
        .and_then(Lang::from_accept_language)
}

pub async fn negotiate(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let asked = from_query(req.uri().query());
    let lang = asked
        .flatten()
        .or_else(|| from_cookie(&req))
        .or_else(|| from_accept(&req))
        .unwrap_or_default();
    req.extensions_mut().insert(lang);
    let mut res = next.run(req).await;
    if asked.is_some() {
        let secure = if state.config.secure_cookies {
            "; Secure"
        } else {
            ""
        };
        let cookie = format!(
            "{COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly{secure}",
            lang.code()
        );
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            res.headers_mut().append(header::SET_COOKIE, value);
        }
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
