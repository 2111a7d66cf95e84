//! Read-your-writes across instances. A request that changes the public
//! record leaves a short-lived cookie with the change counter it reached;
//! the person's following requests, whichever instance serves them, read
//! the public record at that counter or later (waiting, bounded, for that
//! instance's refresh). Everyone else keeps reading the copy in hand.

use crate::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;

/// The cookie: the change counter the person must see.
pub const COOKIE: &str = "samverkan_seen";

/// How long the cookie lives: far longer than any instance takes to hear
/// of a change, so it only covers the moments after a write.
const MAX_AGE_SECS: i64 = 60;

pub async fn carry(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let seen = crate::cookies::get(req.headers(), COOKIE).and_then(|v| v.parse::<i64>().ok());
    let writes = !req.method().is_safe();
    let before = state.app.known_changes();
    let mut res = match seen {
        Some(n) => samverkan_app::read_at_least(n, next.run(req)).await,
        None => next.run(req).await,
    };
    let after = state.app.known_changes();
    if writes && after > before && Some(after) > seen {
        crate::cookies::set(
            res.headers_mut(),
            COOKIE,
            &after.to_string(),
            "Lax",
            Some(MAX_AGE_SECS),
            state.config.secure_cookies,
        );
    }
    res
}
