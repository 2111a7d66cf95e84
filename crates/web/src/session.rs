//! Loads the signed-in person from the session cookie, once per request and
//! only when the request carries one (anonymous pages cost no query).

use crate::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use samverkan_app::accounts::CurrentUser;

pub const COOKIE: &str = "sid";

/// The signed-in person, in request extensions; absent when nobody is.
/// As an extractor it answers a signed-out visitor with the way to sign in
/// and back (the permission table normally does this before the handler).
#[derive(Clone)]
pub struct SignedIn(pub CurrentUser);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<SignedIn>()
            .cloned()
            .ok_or_else(|| to_sign_in(&parts.uri))
    }
}

impl<S: Send + Sync> axum::extract::OptionalFromRequestParts<S> for SignedIn {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Option<Self>, Self::Rejection> {
        Ok(parts.extensions.get::<SignedIn>().cloned())
    }
}

/// Sends a signed-out visitor to sign in, and back to `uri` afterwards.
pub fn to_sign_in(uri: &axum::http::Uri) -> Response {
    use axum::response::IntoResponse;
    let back = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let back: String = form_urlencoded::byte_serialize(back.as_bytes()).collect();
    axum::response::Redirect::to(&format!("/login?next={back}")).into_response()
}

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

/// The signed-in person with their roles: taken from the permission check
/// when it loaded them, read otherwise.
pub struct Acting {
    pub user: CurrentUser,
    pub roles: samverkan_app::roles::Roles,
}

impl axum::extract::FromRequestParts<AppState> for Acting {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        use axum::response::IntoResponse;
        let SignedIn(user) = SignedIn::from_request_parts(parts, state).await?;
        let roles = match parts.extensions.get::<samverkan_app::roles::Roles>() {
            Some(roles) => roles.clone(),
            None => state
                .app
                .roles(&user)
                .await
                .map_err(|e| crate::error::PageError(e).into_response())?,
        };
        Ok(Acting { user, roles })
    }
}

/// Public pages that show more to a signed-in person (an activity's forms
/// for its responsible parties) take `Option<Acting>`: `None` for visitors.
impl axum::extract::OptionalFromRequestParts<AppState> for Acting {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Option<Self>, Self::Rejection> {
        if parts.extensions.get::<SignedIn>().is_none() {
            return Ok(None);
        }
        <Acting as axum::extract::FromRequestParts<AppState>>::from_request_parts(parts, state)
            .await
            .map(Some)
    }
}
