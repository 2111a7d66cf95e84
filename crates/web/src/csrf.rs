//! CSRF protection for every state-changing request, with no exception list.
//!
//! A signed-in person's token is bound to their session: it is derived from
//! the session's secret id (`SHA-256("csrf:" ‖ sid)`, the `sid` cookie being
//! 256 random bits that only the browser and no page holds), so it changes
//! whenever the session does, at sign-in and sign-out, differs between two
//! sessions of the same person, and cannot be planted by anyone who can set
//! a cookie. Before sign-in (registering, signing in, asking for a reset)
//! the double-submit pattern guards the forms: a random token in an
//! HttpOnly, SameSite=Strict `csrf` cookie that the form must repeat; that
//! cookie is replaced whenever the session cookie is set or cleared.
//!
//! Every form carries the token in a hidden `csrf_token` field (scripts send
//! it in `X-CSRF-Token`). A POST, PUT, PATCH or DELETE whose submitted token
//! does not match is refused with 403 before any handler runs. The anonymous
//! cookie is set the first time a page renders a form.

use crate::AppState;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use samverkan_app::accounts::Secret;
use std::sync::{Arc, OnceLock};

pub const COOKIE: &str = "csrf";
pub const FIELD: &str = "csrf_token";
pub const HEADER: &str = "x-csrf-token";

/// The request's CSRF token: the session's when someone is signed in, else
/// the anonymous cookie's, made on first use.
#[derive(Clone, Default)]
pub struct CsrfToken {
    session: Option<String>,
    existing: Option<String>,
    made: Arc<OnceLock<String>>,
}

impl CsrfToken {
    pub fn value(&self) -> &str {
        match (&self.session, &self.existing) {
            (Some(t), _) | (None, Some(t)) => t,
            (None, None) => self.made.get_or_init(|| Secret::generate().0),
        }
    }
}

/// The token of a session, from the value of its `sid` cookie.
fn session_token(sid: &str) -> String {
    Secret(format!("csrf:{sid}")).hash()
}

/// Whether the response starts, replaces or ends a session.
fn sets_session(headers: &HeaderMap) -> bool {
    let prefix = format!("{}=", crate::session::COOKIE);
    headers
        .get_all(header::SET_COOKIE)
        .iter()
        .any(|v| v.to_str().is_ok_and(|v| v.starts_with(&prefix)))
}

fn well_formed(token: &str) -> bool {
    token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Compares without leaking where the first difference is.
fn same(a: &str, b: &str) -> bool {
    samverkan_app::secret::same(a, b)
}

fn is_safe(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    )
}

/// The `csrf_token` field of a buffered `multipart/form-data` body (a form
/// with a file), read with the parser axum's `Multipart` uses.
async fn multipart_token(bytes: axum::body::Bytes, boundary: String) -> Option<String> {
    let stream = Body::from(bytes).into_data_stream();
    let mut multipart = multer::Multipart::new(stream, boundary);
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some(FIELD) {
            return field.text().await.ok();
        }
    }
    None
}

/// The token a state-changing request sent (header, form field or multipart
/// field) and its body, read once so the handler can read it again.
async fn submitted(
    parts: &axum::http::request::Parts,
    body: Body,
    limit: usize,
) -> Result<(Option<String>, axum::body::Bytes), Response> {
    let from_header = parts
        .headers
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let is_form = content_type.starts_with("application/x-www-form-urlencoded");
    let boundary = content_type
        .starts_with("multipart/form-data")
        .then(|| multer::parse_boundary(content_type).ok())
        .flatten();
    let bytes = axum::body::to_bytes(body, limit)
        .await
        .map_err(|_| axum::http::StatusCode::PAYLOAD_TOO_LARGE.into_response())?;
    if from_header.is_some() {
        return Ok((from_header, bytes));
    }
    let from_form = is_form
        .then(|| {
            form_urlencoded::parse(&bytes)
                .find(|(k, _)| k == FIELD)
                .map(|(_, v)| v.into_owned())
        })
        .flatten();
    let token = match (from_form, boundary) {
        (Some(token), _) => Some(token),
        (None, Some(boundary)) => multipart_token(bytes.clone(), boundary).await,
        (None, None) => None,
    };
    Ok((token, bytes))
}

/// The 403 answer: JSON for the API, the site's error page otherwise.
fn refuse(parts: axum::http::request::Parts) -> Response {
    tracing::warn!(path = %parts.uri.path(), "state-changing request without a valid CSRF token");
    if parts.uri.path().starts_with("/api/") {
        return crate::ApiError(samverkan_app::Error::Forbidden("csrf")).into_response();
    }
    let req = Request::from_parts(parts, Body::empty());
    let ctx = crate::page::PageCtx::from_request(&req).with_lang(crate::lang::detect(&req));
    let message = ctx.t().get("csrf-refused").into_owned();
    crate::error::error_page(&ctx, axum::http::StatusCode::FORBIDDEN, Some(message))
}

pub async fn protect(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let existing = crate::cookies::get(req.headers(), COOKIE)
        .filter(|t| well_formed(t))
        .map(str::to_owned);
    // Only a live session (loaded by `session::load`) binds the token.
    let session = req
        .extensions()
        .get::<crate::session::SignedIn>()
        .and_then(|_| crate::cookies::get(req.headers(), crate::session::COOKIE))
        .map(session_token);
    let mut req = req;
    if !is_safe(req.method()) {
        let (parts, body) = req.into_parts();
        let limit = crate::body_limit::for_request(&state, &parts.method, parts.uri.path());
        let (sent, bytes) = match submitted(&parts, body, limit).await {
            Ok(read) => read,
            Err(res) => return res,
        };
        let expected = session.as_ref().or(existing.as_ref());
        if !matches!((expected, &sent), (Some(token), Some(sent)) if same(token, sent)) {
            return refuse(parts);
        }
        req = Request::from_parts(parts, Body::from(bytes));
    }
    let token = CsrfToken {
        session,
        existing: existing.clone(),
        made: Arc::default(),
    };
    req.extensions_mut().insert(token.clone());
    let mut res = next.run(req).await;
    // A new anonymous token whenever the session changes (sign-in, sign-out,
    // an expired session), so no token from before outlives it; and the
    // first time a page needs one.
    let fresh = if sets_session(res.headers()) {
        Some(Secret::generate().0)
    } else if existing.is_none() {
        token.made.get().cloned()
    } else {
        None
    };
    if let Some(fresh) = fresh {
        let secure = state.config.secure_cookies;
        crate::cookies::set(res.headers_mut(), COOKIE, &fresh, "Strict", None, secure);
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_token_is_well_formed_and_its_own() {
        let a = session_token(&"a".repeat(64));
        let b = session_token(&"b".repeat(64));
        assert!(well_formed(&a) && well_formed(&b));
        assert_ne!(a, b);
        assert_ne!(
            a,
            Secret("a".repeat(64)).hash(),
            "not the stored session hash"
        );
    }

    fn multipart(parts: &[(&str, Option<&str>, &str)]) -> axum::body::Bytes {
        let mut body = String::new();
        for (name, filename, value) in parts {
            body.push_str("--XyZ\r\n");
            match filename {
                Some(f) => body.push_str(&format!(
                    "Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: text/csv\r\n\r\n"
                )),
                None => body.push_str(&format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n")),
            }
            body.push_str(value);
            body.push_str("\r\n");
        }
        body.push_str("--XyZ--\r\n");
        axum::body::Bytes::from(body)
    }

    #[tokio::test]
    async fn the_token_is_read_from_a_multipart_form_after_a_file() {
        let boundary = multer::parse_boundary("multipart/form-data; boundary=XyZ").unwrap();
        let body = multipart(&[
            ("kind", None, "activities"),
            (
                "csv_file",
                Some("plan.csv"),
                "slug,title\r\na,\"csrf_token\"\r\n",
            ),
            (FIELD, None, "abc123"),
        ]);
        assert_eq!(
            multipart_token(body, boundary.clone()).await.as_deref(),
            Some("abc123")
        );
        let without = multipart(&[("csv_file", Some("x.csv"), "csrf_token=abc123")]);
        assert_eq!(multipart_token(without, boundary.clone()).await, None);
        let broken = axum::body::Bytes::from_static(b"--XyZ\r\nnot a part");
        assert_eq!(multipart_token(broken, boundary).await, None);
    }
}
