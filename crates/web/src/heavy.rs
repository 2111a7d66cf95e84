//! Keeping expensive requests from starving the rest. Routes marked heavy
//! (the register, the reports, the imports, the register's API) share a
//! small number of permits; when all are taken, a heavy request waits a
//! while for one and is then answered 503 with `Retry-After`. The database
//! pool is larger than the permits, so `/health` and ordinary pages always
//! find a connection, however many heavy requests arrive at once.

use axum::extract::{Extension, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

/// How long a heavy request waits for a permit before it is turned away.
const WAIT: Duration = Duration::from_secs(10);

/// The permits of the heavy routes, shared by all of them, and how long a
/// request waits for one.
#[derive(Clone)]
pub struct HeavyLimit {
    permits: Arc<Semaphore>,
    wait: Duration,
}

impl HeavyLimit {
    pub fn new(permits: usize) -> HeavyLimit {
        HeavyLimit::waiting(permits, WAIT)
    }

    fn waiting(permits: usize, wait: Duration) -> HeavyLimit {
        HeavyLimit {
            permits: Arc::new(Semaphore::new(permits.max(1))),
            wait,
        }
    }
}

/// The route layer of a heavy route.
pub async fn limit(Extension(limit): Extension<HeavyLimit>, req: Request, next: Next) -> Response {
    match tokio::time::timeout(limit.wait, limit.permits.acquire_owned()).await {
        Ok(Ok(_permit)) => next.run(req).await,
        _ => busy(),
    }
}

fn busy() -> Response {
    let mut res = (
        StatusCode::SERVICE_UNAVAILABLE,
        "Tjänsten har många tunga förfrågningar just nu: försök igen om en stund.\n\
         The service is busy with heavy requests: please try again shortly.\n",
    )
        .into_response();
    res.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
    res
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::Router;
    use axum::body::Body;
    use axum::routing::get;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tower::ServiceExt;

    /// A router whose `/heavy` holds its permit until `release` is
    /// notified, and whose `/light` answers at once.
    fn app(
        limit: HeavyLimit,
        started: Arc<AtomicUsize>,
        release: Arc<tokio::sync::Notify>,
    ) -> Router {
        let heavy = get(move || {
            let (started, release) = (started.clone(), release.clone());
            async move {
                started.fetch_add(1, Ordering::SeqCst);
                release.notified().await;
                "done"
            }
        })
        .layer(axum::middleware::from_fn(limit_layer));
        Router::new()
            .route("/heavy", heavy)
            .route("/light", get(|| async { "ok" }))
            .layer(Extension(limit))
    }

    async fn limit_layer(e: Extension<HeavyLimit>, req: Request, next: Next) -> Response {
        limit(e, req, next).await
    }

    fn request(path: &str) -> Request {
        Request::builder().uri(path).body(Body::empty()).unwrap()
    }

    #[tokio::test]
    async fn heavy_requests_beyond_the_permits_wait_then_get_503_while_light_ones_answer() {
        let started = Arc::new(AtomicUsize::new(0));
        let release = Arc::new(tokio::sync::Notify::new());
        let router = app(
            HeavyLimit::waiting(1, Duration::from_millis(50)),
            started.clone(),
            release.clone(),
        );
        let first = tokio::spawn(router.clone().oneshot(request("/heavy")));
        while started.load(Ordering::SeqCst) == 0 {
            tokio::task::yield_now().await;
        }
        let light = router.clone().oneshot(request("/light")).await.unwrap();
        assert_eq!(light.status(), StatusCode::OK);
        let second = router.clone().oneshot(request("/heavy")).await.unwrap();
        assert_eq!(second.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(second.headers()[header::RETRY_AFTER], "5");
        assert_eq!(
            started.load(Ordering::SeqCst),
            1,
            "the refused request never ran"
        );
        release.notify_one();
        assert_eq!(first.await.unwrap().unwrap().status(), StatusCode::OK);
    }

    #[tokio::test]
    async fn a_waiting_heavy_request_runs_when_a_permit_is_freed() {
        let started = Arc::new(AtomicUsize::new(0));
        let release = Arc::new(tokio::sync::Notify::new());
        let router = app(
            HeavyLimit::waiting(1, Duration::from_secs(600)),
            started.clone(),
            release.clone(),
        );
        let first = tokio::spawn(router.clone().oneshot(request("/heavy")));
        while started.load(Ordering::SeqCst) == 0 {
            tokio::task::yield_now().await;
        }
        let second = tokio::spawn(router.clone().oneshot(request("/heavy")));
        for _ in 0..100 {
            tokio::task::yield_now().await;
        }
        assert_eq!(
            started.load(Ordering::SeqCst),
            1,
            "the second waits for the permit"
        );
        release.notify_one();
        assert_eq!(first.await.unwrap().unwrap().status(), StatusCode::OK);
        while started.load(Ordering::SeqCst) < 2 {
            tokio::task::yield_now().await;
        }
        release.notify_one();
        assert_eq!(second.await.unwrap().unwrap().status(), StatusCode::OK);
    }
}
