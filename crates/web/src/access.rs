//! Who may use which route. Every page route is declared with its rule in
//! one table (`html::RULES`), the router is built from that table, and
//! [`authorize`] enforces it on every request: a route without a rule is
//! refused (deny by default). Rules that name an object (this organisation,
//! this agreement) read it from the path's `{slug}`; the application layer
//! checks the same rules again, from the same [`Roles`] methods.

use crate::AppState;
use crate::session::SignedIn;
use axum::RequestExt;
use axum::extract::{MatchedPath, RawPathParams, Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
pub use samverkan_app::roles::Roles;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, without an account.
    Public,
    /// A signed-in person.
    SignedIn,
    /// A member (any role) of the organisation `{slug}`.
    OrgMember,
    /// An administrator of the organisation `{slug}`.
    OrgAdmin,
    /// A coordinator of the agreement `{slug}`, or a platform administrator.
    Coordinator,
    /// A coordinator of any agreement, or a platform administrator: keeps
    /// the city bodies.
    BodyKeeper,
    /// A platform administrator.
    PlatformAdmin,
    /// Someone who answers for the activity `{slug}/{plan}/{activity}`: a
    /// coordinator of the agreement, or a member or official of one of its
    /// responsible parties.
    ActivityTeam,
    /// Anyone of the activity's team, or acting for one of its partners
    /// (whose updates wait as proposals).
    ActivityParty,
    /// Keeps records in the agreement `{slug}`'s register: an official of
    /// one of its municipality's city bodies, or a coordinator.
    RegisterKeeper,
    /// Keeps the record `{record}`: an official of its city body, or a
    /// coordinator of the agreement.
    RecordKeeper,
    /// Anyone who keeps the record `{record}`, or a member of an
    /// organisation it names (who may comment on it or flag a mistake).
    RecordParty,
    /// An official of the city body `{body}` (of the agreement's
    /// municipality): writes, submits and publishes its yearly report.
    ReportKeeper,
}

impl Access {
    /// Whether the rule needs the person's roles (not just a session).
    pub fn needs_roles(self) -> bool {
        !matches!(self, Access::Public | Access::SignedIn)
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
}

/// Whether someone passes `access`: `who` is `None` for a visitor without
/// an account; `slug` is the path's `{slug}` where the route has one.
pub fn allows(access: Access, who: Option<&Roles>, slug: Option<&str>) -> bool {
    let (Some(roles), slug) = (who, slug.unwrap_or("")) else {
        return access == Access::Public;
    };
    match access {
        Access::Public | Access::SignedIn => true,
        Access::OrgMember => roles.is_member_of(slug),
        Access::OrgAdmin => roles.is_admin_of(slug),
        Access::Coordinator => roles.coordinates(slug),
        Access::BodyKeeper => roles.keeps_city_bodies(),
        Access::PlatformAdmin => roles.platform_admin,
        // Decided on the object itself, in `allows_activity`,
        // `allows_register` and `allows_report`.
        Access::ActivityTeam
        | Access::ActivityParty
        | Access::RegisterKeeper
        | Access::RecordKeeper
        | Access::RecordParty
        | Access::ReportKeeper => false,
    }
}

/// The activity rules, decided on the activity the path names.
pub fn allows_activity(
    access: Access,
    roles: &Roles,
    agreement: &samverkan_app::snapshot::AgreementRecord,
    activity: &samverkan_app::plans::views::Activity,
) -> bool {
    match access {
        Access::ActivityTeam => roles.answers_for(agreement, activity),
        Access::ActivityParty => {
            roles.answers_for(agreement, activity) || roles.is_partner_in(agreement, activity)
        }
        _ => false,
    }
}

/// The register rules: `municipality` is the agreement's; `record` the
/// record the path names (for the record rules).
pub fn allows_register(
    access: Access,
    roles: &Roles,
    agreement: &str,
    municipality: &str,
    record: Option<&samverkan_app::register::Record>,
) -> bool {
    let keeps = |r: &samverkan_app::register::Record| {
        roles.keeps_records_of(agreement, &format!("{municipality}/{}", r.body.slug))
    };
    match (access, record) {
        (Access::RegisterKeeper, _) => {
            roles.coordinates(agreement)
                || roles
                    .bodies
                    .iter()
                    .any(|(key, _)| key.starts_with(&format!("{municipality}/")))
        }
        (Access::RecordKeeper, Some(r)) => keeps(r),
        (Access::RecordParty, Some(r)) => {
            keeps(r) || r.organisations.iter().any(|o| roles.is_member_of(&o.slug))
        }
        _ => false,
    }
}

/// The report rule: an official of the committee `body` of `municipality`.
pub fn allows_report(roles: &Roles, municipality: &str, body: &str) -> bool {
    roles.is_official_of(&format!("{municipality}/{body}"))
}

/// Whether the rule is decided on an activity.
fn is_activity_rule(access: Access) -> bool {
    matches!(access, Access::ActivityTeam | Access::ActivityParty)
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
pub async fn authorize(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
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
    if rule.access == Access::Public {
        return next.run(req).await;
    }
    let user = req.extensions().get::<SignedIn>().map(|s| s.0.clone());
    let roles = match roles_for(&state, user.as_ref(), rule.access).await {
        Ok(roles) => roles,
        Err(e) => return crate::error::PageError(e).into_response(),
    };
    let params = PathParams::of(&mut req).await;
    match decide(&state, rule.access, roles.as_ref(), &params).await {
        Ok(true) => {
            if let Some(roles) = roles.filter(|_| rule.access.needs_roles()) {
                req.extensions_mut().insert(roles);
            }
            next.run(req).await
        }
        Ok(false) => refuse(&req, user.is_some()),
        Err(e) => crate::error::PageError(e).into_response(),
    }
}

/// The signed-in person's roles: read fresh when the rule needs them, else
/// only who they are; `None` for a visitor without an account.
async fn roles_for(
    state: &AppState,
    user: Option<&samverkan_app::accounts::CurrentUser>,
    access: Access,
) -> Result<Option<Roles>, samverkan_app::Error> {
    match (user, access.needs_roles()) {
        (Some(user), true) => Ok(Some(state.app.roles(user).await?)),
        (Some(user), false) => Ok(Some(Roles {
            user_id: user.id,
            platform_admin: user.is_platform_admin,
            ..Roles::default()
        })),
        (None, _) => Ok(None),
    }
}

/// A refusal: a signed-out visitor of a page is sent to sign in and back;
/// anything else is 403.
fn refuse(req: &Request, signed_in: bool) -> Response {
    if req.method() == Method::GET && !signed_in {
        return crate::session::to_sign_in(req.uri());
    }
    crate::error::PageError(samverkan_app::Error::Forbidden("access")).into_response()
}

/// The matched route's path parameters (`{slug}`, `{record}`, …).
struct PathParams(Vec<(String, String)>);

impl PathParams {
    async fn of(req: &mut Request) -> PathParams {
        let params = match req.extract_parts::<RawPathParams>().await {
            Ok(params) => params
                .iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect(),
            Err(_) => Vec::new(),
        };
        PathParams(params)
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Decides `access` by its kind: on the register (or report), on the
/// activity, or on the roles alone.
async fn decide(
    state: &AppState,
    access: Access,
    roles: Option<&Roles>,
    params: &PathParams,
) -> Result<bool, samverkan_app::Error> {
    let slug = params.get("slug");
    if is_register_rule(access) {
        let (Some(roles), Some(slug)) = (roles, slug) else {
            return Ok(false);
        };
        let (record, body) = (params.get("record"), params.get("body"));
        decide_on_register(state, access, roles, slug, record, body).await
    } else if is_activity_rule(access) {
        let (Some(roles), Some(slug)) = (roles, slug) else {
            return Ok(false);
        };
        decide_on_activity(state, access, roles, slug, params).await
    } else {
        Ok(allows(access, roles, slug))
    }
}

/// Whether the rule is decided on the register (a record or a report).
fn is_register_rule(access: Access) -> bool {
    matches!(
        access,
        Access::RegisterKeeper | Access::RecordKeeper | Access::RecordParty | Access::ReportKeeper
    )
}

/// Decides the activity rules on the activity the path names; an unknown
/// one is 404.
async fn decide_on_activity(
    state: &AppState,
    access: Access,
    roles: &Roles,
    slug: &str,
    params: &PathParams,
) -> Result<bool, samverkan_app::Error> {
    let (Some(plan), Some(activity)) = (params.get("plan"), params.get("activity")) else {
        return Ok(false);
    };
    let (snapshot, activities) = state.app.with_activities(slug).await?;
    let agreement = snapshot.agreement(slug)?;
    let activity = activities.activity(plan, activity)?;
    Ok(allows_activity(access, roles, agreement, activity))
}

/// Decides the register and report rules on the agreement (and the record
/// or city body) the path names; an unknown one is 404.
async fn decide_on_register(
    state: &AppState,
    access: Access,
    roles: &Roles,
    slug: &str,
    record: Option<&str>,
    body: Option<&str>,
) -> Result<bool, samverkan_app::Error> {
    let snapshot = state.app.public().await?;
    let municipality = snapshot.agreement(slug)?.summary.municipality.slug.clone();
    if access == Access::ReportKeeper {
        return Ok(allows_report(roles, &municipality, body.unwrap_or("")));
    }
    let record = match record {
        Some(id) => {
            let id: i64 = id
                .parse()
                .map_err(|_| samverkan_app::Error::NotFound("record"))?;
            let register = state.app.register_of(slug).await?;
            Some(state.app.record(&register, id).await?)
        }
        None => None,
    };
    Ok(allows_register(
        access,
        roles,
        slug,
        &municipality,
        record.as_ref(),
    ))
}
