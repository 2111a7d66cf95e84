//! Static assets, embedded in the binary. Each is served under a name that
//! carries a hash of its content, so browsers may cache it for a year.

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::LazyLock;

struct Asset {
    name: &'static str,
    content_type: &'static str,
    body: &'static [u8],
}

const ASSETS: &[Asset] = &[
    Asset {
        name: "app.css",
        content_type: "text/css; charset=utf-8",
        body: include_bytes!("../static/app.css"),
    },
    Asset {
        name: "favicon.svg",
        content_type: "image/svg+xml",
        body: include_bytes!("../static/favicon.svg"),
    },
];

/// `name` → `/static/{stem}.{hash}.{ext}`
static URLS: LazyLock<Vec<(&'static str, String)>> = LazyLock::new(|| {
    ASSETS
        .iter()
        .map(|a| {
            let mut hasher = DefaultHasher::new();
            a.body.hash(&mut hasher);
            let (stem, ext) = a.name.rsplit_once('.').unwrap_or((a.name, ""));
            (
                a.name,
                format!(
                    "/static/{stem}.{:012x}.{ext}",
                    hasher.finish() & 0xffff_ffff_ffff
                ),
            )
        })
        .collect()
});

fn url_of(name: &str) -> &'static str {
    URLS.iter()
        .find(|(n, _)| *n == name)
        .map(|(_, u)| u.as_str())
        .unwrap_or("/static/missing")
}

pub fn css_url() -> &'static str {
    url_of("app.css")
}

async fn serve(Path(file): Path<String>) -> Response {
    let requested = format!("/static/{file}");
    let Some(asset) = ASSETS.iter().find(|a| url_of(a.name) == requested) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(asset.content_type),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=31536000, immutable"),
            ),
        ],
        asset.body,
    )
        .into_response()
}

async fn favicon() -> Response {
    axum::response::Redirect::permanent(url_of("favicon.svg")).into_response()
}

pub fn router<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
        .route("/static/{file}", axum::routing::get(serve))
        .route("/favicon.ico", axum::routing::get(favicon))
}
