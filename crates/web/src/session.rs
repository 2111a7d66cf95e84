//! Loads the signed-in person from the session cookie, once per request and
//! only when the request carries one (anonymous pages cost no query).

use crate::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use samverkan_app::accounts::CurrentUser;

pub const COOKIE: &str = "sid";

/// The signed-in person, in request extensions; absent when nobody is.
#[derive(Clone)]
pub struct SignedIn(pub CurrentUser);

pub async fn load(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let session = crate::cookies::get(req.headers(), COOKIE).map(str::to_owned);
    let mut stale = false;
    if let Some(session) = session {
        match state.app.current_user(&session).await {
            Ok(Some(user)) => {
                req.extensions_mut().insert(SignedIn(user));
            }
            Ok(None) => stale = true,
            Err(e) => tracing::error!(error = %e, "session lookup failed"),
        }
    }
    let mut res = next.run(req).await;
    if stale {
        crate::cookies::set(
            res.headers_mut(),
            COOKIE,
            "",
            "Lax",
            Some(0),
            state.config.secure_cookies,
        );
    }
    res
}
