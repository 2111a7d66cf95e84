//! How errors answer: JSON for the API, the site's own page for HTML.
//!
//! A page handler returns [`PageError`]; its response carries the error kind
//! in an extension, and [`render_page_errors`] (which knows the language)
//! replaces the body with the 404, 400 or 500 page. Internal details are
//! logged with the request id, never shown.

use crate::page::PageCtx;
use askama::Template;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use samverkan_app::Error;
use serde::Serialize;

fn status_of(err: &Error) -> StatusCode {
    match err {
        Error::NotFound(_) => StatusCode::NOT_FOUND,
        Error::BadRequest(_) | Error::InvalidParameter(_) => StatusCode::BAD_REQUEST,
        Error::Conflict(_) | Error::Stale(_) => StatusCode::CONFLICT,
        Error::Forbidden(_) => StatusCode::FORBIDDEN,
        Error::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
        Error::SignIn(_) => StatusCode::UNAUTHORIZED,
        Error::Throttled(_) => StatusCode::TOO_MANY_REQUESTS,
        Error::Internal { .. } => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

fn log(err: &Error) {
    if let Error::Internal { .. } = err {
        tracing::error!(detail = %chain(err), "internal error");
    }
}

/// An error and each of its causes, outermost first: "a: b: c".
fn chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut cause = err.source();
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}

/// The public message of an error: what to fix, or a generic line.
fn public_message(err: &Error) -> String {
    match err {
        Error::Internal { .. } => "internal error".into(),
        other => other.to_string(),
    }
}

/// An error answered as JSON: `{"error": {"status": 404, "message": "…"}}`.
#[derive(Debug)]
pub struct ApiError(pub Error);

/// The body of every API error: `{"error": {"status": 404, "message": "…"}}`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// The HTTP status code, the same as the response's.
    pub status: u16,
    /// What went wrong, for a person: what to fix, or a generic line.
    pub message: String,
}

impl ErrorBody {
    /// An answer with `status` and this body.
    pub fn response(status: StatusCode, message: impl Into<String>) -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                status: status.as_u16(),
                message: message.into(),
            },
        };
        (status, axum::Json(body)).into_response()
    }
}

impl<E: Into<Error>> From<E> for ApiError {
    fn from(err: E) -> Self {
        ApiError(err.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        log(&self.0);
        let mut res = ErrorBody::response(status_of(&self.0), public_message(&self.0));
        retry_after(&mut res, &self.0);
        res
    }
}

/// `Retry-After` on an answer to a throttled attempt.
pub fn retry_after(res: &mut Response, err: &Error) {
    if let Error::Throttled(t) = err {
        res.headers_mut().insert(
            axum::http::header::RETRY_AFTER,
            axum::http::HeaderValue::from(t.retry_after_secs),
        );
    }
}

/// An error answered with the site's error page.
#[derive(Debug)]
pub struct PageError(pub Error);

impl<E: Into<Error>> From<E> for PageError {
    fn from(err: E) -> Self {
        PageError(err.into())
    }
}

/// Marks a response whose body the page middleware must render.
#[derive(Clone)]
struct PendingErrorPage {
    message: Option<samverkan_app::Message>,
    parameter: Option<samverkan_app::ParameterProblem>,
    throttled: Option<samverkan_app::throttle::Throttled>,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        log(&self.0);
        let status = status_of(&self.0);
        let message = match &self.0 {
            Error::BadRequest(m) | Error::Conflict(m) | Error::Stale(m) => Some(m.clone()),
            _ => None,
        };
        let parameter = match &self.0 {
            Error::InvalidParameter(p) => Some(p.clone()),
            _ => None,
        };
        let throttled = match &self.0 {
            Error::Throttled(t) => Some(*t),
            _ => None,
        };
        let mut res = status.into_response();
        retry_after(&mut res, &self.0);
        res.extensions_mut().insert(PendingErrorPage {
            message,
            parameter,
            throttled,
        });
        res
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    page: crate::page::Page,
    status: u16,
    message: Option<String>,
}

/// Renders the error page for responses that carry a [`PendingErrorPage`],
/// and for bare 4xx/5xx responses from extractors, in the request's language.
pub async fn render_page_errors(req: Request, next: Next) -> Response {
    let ctx = PageCtx::from_request(&req);
    let res = next.run(req).await;
    let status = res.status();
    let pending = res.extensions().get::<PendingErrorPage>().cloned();
    let is_html = res
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if pending.is_none() && (is_html || !(status.is_client_error() || status.is_server_error())) {
        return res;
    }
    let retry = res.headers().get(axum::http::header::RETRY_AFTER).cloned();
    let message = pending.and_then(|p| match (p.parameter, p.throttled) {
        (Some(problem), _) => Some(explain_parameter(&ctx.t(), &problem)),
        (None, Some(t)) => Some(
            ctx.t()
                .with("throttled", "minutes", t.minutes())
                .into_owned(),
        ),
        (None, None) => p.message.map(|m| word(&ctx.t(), &m)),
    });
    let mut page = error_page(&ctx, status, message);
    if let Some(retry) = retry {
        page.headers_mut()
            .insert(axum::http::header::RETRY_AFTER, retry);
    }
    page
}

/// The site's error page for `status`, in the context's language.
pub fn error_page(ctx: &PageCtx, status: StatusCode, message: Option<String>) -> Response {
    let key = match status.as_u16() {
        404 => "error-404-title",
        400 => "error-400-title",
        403 => "error-403-title",
        413 => "error-413-title",
        429 => "error-429-title",
        s if s >= 500 => "error-500-title",
        _ => "error-other-title",
    };
    let page = ctx.page(ctx.t().get(key).into_owned(), None);
    let body = ErrorPage {
        page,
        status: status.as_u16(),
        message,
    };
    match body.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "error page did not render");
            status.into_response()
        }
    }
}

/// A refusal worded in the page's language from its catalogue key; the
/// English text only if the catalogue lacks the key (logged as missing).
pub(crate) fn word(t: &crate::Tr, m: &samverkan_app::Message) -> String {
    let key = format!("err-{}", m.code);
    if !t.has(&key) {
        tracing::warn!(code = m.code, lang = t.lang.code(), "missing error wording");
        return m.text.clone();
    }
    t.with_args(&key, &m.args).into_owned()
}

/// A parameter problem worded in the page's language.
fn explain_parameter(t: &crate::Tr, p: &samverkan_app::ParameterProblem) -> String {
    use samverkan_app::ParameterRule;
    let mut text = match &p.rule {
        ParameterRule::WholeNumber => t.with("param-whole-number", "name", p.name.as_str()),
        ParameterRule::Required => t.with("param-required", "name", p.name.as_str()),
        ParameterRule::OneOf(values) => format!(
            "{} {values}",
            t.with("param-one-of", "name", p.name.as_str())
        )
        .into(),
    }
    .into_owned();
    if let Some(given) = &p.given {
        text.push_str(&t.with("param-given", "value", given.as_str()));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_line_names_every_cause() {
        let io = std::io::Error::other("disk full");
        let err = Error::internal("mail folder data/mail", io);
        assert_eq!(
            chain(&err),
            "internal error: mail folder data/mail: disk full"
        );
        assert_eq!(public_message(&err), "internal error");
    }

    #[test]
    fn every_refusal_code_is_worded_in_both_languages() {
        for lang in crate::Lang::ALL {
            let t = crate::Tr::new(lang);
            for code in samverkan_app::MESSAGE_CODES {
                assert!(
                    t.has(&format!("err-{code}")),
                    "{code} has no {} wording",
                    lang.code()
                );
            }
        }
    }
}
