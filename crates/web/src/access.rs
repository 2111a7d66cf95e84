//! Who may use which route. Every page route is declared with its rule in
//! one table (`html::RULES`), the router is built from that table, and
//! [`authorize`] enforces it on every request: a route without a rule is
//! refused (deny by default). Object-level rules (this organisation, this
//! session) are checked again in the application layer.

use crate::session::SignedIn;
use axum::extract::{MatchedPath, Request};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, without an account.
    Public,
    /// A signed-in person.
    SignedIn,
}

#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
}

/// Whether someone (signed in or not) passes `access`.
pub fn allows(access: Access, signed_in: bool) -> bool {
    match access {
        Access::Public => true,
        Access::SignedIn => signed_in,
    }
}

pub fn rule_for(rules: &[Rule], method: &Method, path: &str) -> Option<Rule> {
    let method = if method == Method::HEAD {
        "GET"
    } else {
        method.as_str()
    };
    rules
        .iter()
        .find(|r| r.path == path && r.method.eq_ignore_ascii_case(method))
        .copied()
}

/// Enforces [`crate::html::RULES`]: a signed-out visitor of a page that needs
/// an account is sent to sign in and back; anything else not allowed is 403.
pub async fn authorize(req: Request, next: Next) -> Response {
    let Some(path) = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
    else {
        return next.run(req).await;
    };
    let Some(rule) = rule_for(crate::html::RULES, req.method(), &path) else {
        tracing::error!(%path, method = %req.method(), "route without a permission rule: refused");
        return crate::error::PageError(samverkan_app::Error::Forbidden("no rule")).into_response();
    };
    let signed_in = req.extensions().get::<SignedIn>().is_some();
    if allows(rule.access, signed_in) {
        return next.run(req).await;
    }
    if req.method() == Method::GET && !signed_in {
        return crate::session::to_sign_in(req.uri());
    }
    crate::error::PageError(samverkan_app::Error::Forbidden("access")).into_response()
}
