//! How large a request body may be: `max_body_bytes` everywhere, except on
//! the routes that upload a document, which take a document of the
//! configured limit (`App::max_document_bytes`) plus an ordinary form. The
//! limit is decided here once, for this layer and for `csrf`, which reads
//! the whole body to find the token of a multipart form.
//!
//! A body whose `Content-Length` is over the limit is refused with 413 and
//! the error page naming the limit, before anything reads it; one that
//! grows past it while read fails there (413 from `csrf`). A file over the
//! document limit but within the route's body limit reaches the form, which
//! keeps what was typed and says what to fix.

use crate::AppState;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

/// Whether `path` is a route that uploads a document: `POST
/// /agreements/{slug}/decisions/{decision}/documents`,
/// `/agreements/{slug}/plans/{plan}/documents`,
/// `/agreements/{slug}/versions/{number}/documents`,
/// `/agreements/{slug}/working-group/meetings/{meeting}/documents`, or a step of the agreement's
/// life cycle with its signed decision (`/agreements/{slug}/edit/step`).
fn uploads_document(method: &Method, path: &str) -> bool {
    let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    *method == Method::POST
        && match parts.as_slice() {
            [
                "agreements",
                slug,
                "decisions" | "plans" | "versions",
                owner,
                "documents",
            ] => !slug.is_empty() && !owner.is_empty(),
            [
                "agreements",
                slug,
                "working-group",
                "meetings",
                meeting,
                "documents",
            ] => !slug.is_empty() && !meeting.is_empty(),
            ["agreements", slug, "edit", "step"] => !slug.is_empty(),
            _ => false,
        }
}

/// The largest body a request to `path` may send.
pub fn for_request(state: &AppState, method: &Method, path: &str) -> usize {
    let base = state.config.max_body_bytes;
    if uploads_document(method, path) {
        base.saturating_add(state.app.max_document_bytes())
    } else {
        base
    }
}

/// The layer: refuses a declared length over the limit, and bounds the
/// body to it.
pub async fn limit(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let limit = for_request(&state, req.method(), req.uri().path());
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return too_large(&state, &req, limit);
    }
    let req = req.map(|body| Body::new(http_body_util::Limited::new(body, limit)));
    next.run(req).await
}

/// 413 with the error page (JSON under `/api/`) naming the limit. The body
/// it refused is not read, so the connection is closed after the answer
/// (`Connection: close`): a client does not send its next request on it.
fn too_large(state: &AppState, req: &Request, limit: usize) -> Response {
    let mut res = too_large_page(state, req, limit);
    res.headers_mut().insert(
        header::CONNECTION,
        axum::http::HeaderValue::from_static("close"),
    );
    res
}

fn too_large_page(state: &AppState, req: &Request, limit: usize) -> Response {
    use axum::response::IntoResponse;
    if req.uri().path().starts_with("/api/") {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    }
    let ctx = crate::page::PageCtx::from_request(req).with_lang(crate::lang::detect(req));
    let document = uploads_document(req.method(), req.uri().path());
    let message = if document {
        let max = samverkan_app::documents::size_text(state.app.max_document_bytes());
        ctx.t().with("document-body-too-large", "limit", max)
    } else {
        let max = samverkan_app::documents::size_text(limit);
        ctx.t().with("body-too-large", "limit", max)
    };
    crate::error::error_page(
        &ctx,
        StatusCode::PAYLOAD_TOO_LARGE,
        Some(message.into_owned()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_upload_routes_take_a_document() {
        let post = |p: &str| uploads_document(&Method::POST, p);
        assert!(post("/agreements/sjovik/decisions/12/documents"));
        assert!(post("/agreements/sjovik/plans/2021-2026/documents"));
        assert!(post("/agreements/sjovik/versions/2/documents"));
        assert!(post("/agreements/sjovik/edit/step"));
        assert!(post(
            "/agreements/sjovik/working-group/meetings/3/documents"
        ));
        assert!(!post("/agreements/sjovik/working-group/meetings/3/minutes"));
        assert!(!post(
            "/agreements/sjovik/working-group/meetings//documents"
        ));
        assert!(!post("/agreements/sjovik/edit/text"));
        assert!(!uploads_document(
            &Method::GET,
            "/agreements/sjovik/decisions/12/documents"
        ));
        assert!(!post("/agreements/sjovik/register/import"));
        assert!(!post("/city-bodies/import"));
        assert!(!post("/organisations/import/apply"));
        assert!(!post("/agreements/sjovik/decisions/12/documents/x"));
        assert!(!post("/agreements//decisions/12/documents"));
        assert!(!post("/api/v1/agreements/sjovik/decisions/12/documents"));
    }
}
