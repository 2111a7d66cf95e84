//! The HTML front door: one module per area, each a set of thin handlers
//! that fetch a view from the application layer and render a template.

mod account;
mod activities;
mod admin;
mod agreement;
mod city_bodies;
mod forms;
mod joining;
mod members;
mod organisations;
mod plan_forms;
mod plan_import;
mod plans;
mod register;
mod register_forms;
mod register_import;
mod report_work;
mod reports;
mod site;

pub use site::{health, not_found};

use crate::AppState;
use crate::access::{Access, Rule};
use crate::error::PageError;
use askama::Template;
use axum::Router;
use axum::response::{Html, IntoResponse, Response};

/// Renders a page template; a template failure is an internal error.
pub(crate) fn render(template: impl Template) -> Result<Response, PageError> {
    let html = template
        .render()
        .map_err(|e| samverkan_app::Error::internal("template", e))?;
    Ok(Html(html).into_response())
}

/// Declares the page routes: each with its method, path, handler and who may
/// use it. The router and the permission table come from this one list.
macro_rules! page_routes {
    ($($method:ident $path:literal => $handler:path, $access:ident;)*) => {
        /// Every page route and its permission rule.
        pub const RULES: &[Rule] = &[$(Rule { method: stringify!($method), path: $path, access: Access::$access }),*];

        pub fn router(state: AppState) -> Router<AppState> {
            Router::new()$(.route($path, axum::routing::$method($handler)))*
                .route_layer(axum::middleware::from_fn_with_state(state, crate::access::authorize))
        }
    };
}

page_routes! {
    get "/" => site::start, Public;
    get "/agreements" => site::agreements, Public;
    get "/city-bodies" => site::city_bodies, Public;
    get "/accessibility" => site::accessibility, Public;
    get "/open-data" => site::open_data, Public;
    get "/register" => account::register_form, Public;
    post "/register" => account::register, Public;
    get "/confirm/{token}" => account::confirm_form, Public;
    post "/confirm/{token}" => account::confirm, Public;
    get "/login" => account::login_form, Public;
    post "/login" => account::login, Public;
    post "/logout" => account::logout, Public;
    get "/forgot-password" => account::forgot_form, Public;
    post "/forgot-password" => account::forgot, Public;
    get "/reset/{token}" => account::reset_form, Public;
    post "/reset/{token}" => account::reset, Public;
    get "/account" => account::account, SignedIn;
    post "/account/password" => account::change_password, SignedIn;
    post "/account/sessions/revoke" => account::revoke_session, SignedIn;
    get "/account/export" => account::export, SignedIn;
    post "/account/delete" => account::delete, SignedIn;
    post "/account/email" => account::change_email, SignedIn;
    post "/account/applications/withdraw" => joining::withdraw, SignedIn;
    get "/confirm-email/{token}" => account::confirm_email_form, Public;
    post "/confirm-email/{token}" => account::confirm_email, Public;
    get "/invitations/{token}" => members::invitation_form, SignedIn;
    post "/invitations/{token}" => members::accept_invitation, SignedIn;
    get "/privacy" => site::privacy, Public;
    get "/organisations" => organisations::directory, Public;
    get "/organisations/new" => organisations::new_form, SignedIn;
    post "/organisations/new" => organisations::create, SignedIn;
    get "/organisations/{slug}" => organisations::organisation, Public;
    get "/organisations/{slug}/edit" => organisations::edit_form, OrgAdmin;
    post "/organisations/{slug}/edit" => organisations::edit, OrgAdmin;
    get "/organisations/{slug}/members" => members::members, OrgMember;
    post "/organisations/{slug}/members/invite" => members::invite, OrgAdmin;
    post "/organisations/{slug}/members/role" => members::set_role, OrgAdmin;
    post "/organisations/{slug}/members/remove" => members::remove, OrgAdmin;
    post "/organisations/{slug}/invitations/revoke" => members::revoke_invitation, OrgAdmin;
    get "/city-bodies/new" => city_bodies::new_form, BodyKeeper;
    post "/city-bodies/new" => city_bodies::create, BodyKeeper;
    get "/city-bodies/{municipality}/{body}" => city_bodies::edit_form, BodyKeeper;
    post "/city-bodies/{municipality}/{body}" => city_bodies::update, BodyKeeper;
    post "/city-bodies/{municipality}/{body}/officials" => city_bodies::add_official, BodyKeeper;
    post "/city-bodies/{municipality}/{body}/officials/remove" => city_bodies::remove_official, BodyKeeper;
    get "/admin" => admin::people, PlatformAdmin;
    post "/admin/roles" => admin::set_role, PlatformAdmin;
    get "/admin/audit" => admin::audit, PlatformAdmin;
    get "/agreements/{slug}" => agreement::home, Public;
    get "/agreements/{slug}/text" => agreement::text, Public;
    get "/agreements/{slug}/versions" => agreement::versions, Public;
    get "/agreements/{slug}/versions/compare" => agreement::compare, Public;
    get "/agreements/{slug}/decisions" => agreement::decisions, Public;
    get "/agreements/{slug}/principles" => agreement::principles, Public;
    get "/agreements/{slug}/challenges" => agreement::challenges, Public;
    get "/agreements/{slug}/challenges/{challenge}" => plans::challenge, Public;
    get "/agreements/{slug}/plans" => agreement::plans, Public;
    get "/agreements/{slug}/contact" => agreement::contact, Public;
    get "/agreements/{slug}/parties" => agreement::parties, Public;
    get "/agreements/{slug}/join" => joining::join_form, SignedIn;
    post "/agreements/{slug}/join" => joining::join, SignedIn;
    get "/agreements/{slug}/applications" => joining::applications, Coordinator;
    post "/agreements/{slug}/applications/decide" => joining::decide, Coordinator;
    // Action plans and activities.
    get "/account/activities" => plans::mine, SignedIn;
    get "/agreements/{slug}/plans/new" => plan_forms::new_form, Coordinator;
    post "/agreements/{slug}/plans/new" => plan_forms::create, Coordinator;
    get "/agreements/{slug}/plans/{plan}" => plans::overview, Public;
    get "/agreements/{slug}/plans/{plan}/edit" => plan_forms::edit_form, Coordinator;
    post "/agreements/{slug}/plans/{plan}/edit" => plan_forms::edit, Coordinator;
    get "/agreements/{slug}/plans/{plan}/activities/new" => activities::new_form, Coordinator;
    post "/agreements/{slug}/plans/{plan}/activities/new" => activities::create, Coordinator;
    get "/agreements/{slug}/plans/{plan}/activities/{activity}" => plans::activity, Public;
    get "/agreements/{slug}/plans/{plan}/activities/{activity}/edit" => activities::edit_form, ActivityTeam;
    post "/agreements/{slug}/plans/{plan}/activities/{activity}/edit" => activities::edit, ActivityTeam;
    post "/agreements/{slug}/plans/{plan}/activities/{activity}/updates" => activities::post_update, ActivityParty;
    post "/agreements/{slug}/plans/{plan}/activities/{activity}/proposals" => activities::decide_proposal, ActivityTeam;
    post "/agreements/{slug}/plans/{plan}/activities/{activity}/assessment" => activities::assess, ActivityTeam;
    // CSV import of activities and updates.
    get "/agreements/{slug}/plans/{plan}/import" => plan_import::import_form, Coordinator;
    post "/agreements/{slug}/plans/{plan}/import" => plan_import::import_check, Coordinator;
    post "/agreements/{slug}/plans/{plan}/import/apply" => plan_import::import_apply, Coordinator;
    // The committees' yearly reports and the city-wide report.
    get "/account/reports" => reports::mine, SignedIn;
    get "/agreements/{slug}/reports" => reports::overview, Public;
    post "/agreements/{slug}/reports/deadlines" => reports::set_deadline, Coordinator;
    get "/agreements/{slug}/reports/{year}" => reports::city, Public;
    get "/agreements/{slug}/reports/{year}/{body}" => reports::committee, Public;
    get "/agreements/{slug}/reports/{year}/{body}/versions/{number}" => reports::version, Public;
    post "/agreements/{slug}/reports/{year}/{body}/contributions" => reports::contribute, SignedIn;
    get "/agreements/{slug}/reports/{year}/{body}/edit" => report_work::workspace, ReportKeeper;
    post "/agreements/{slug}/reports/{year}/{body}/edit" => report_work::save, ReportKeeper;
    post "/agreements/{slug}/reports/{year}/{body}/submit" => report_work::submit, ReportKeeper;
    post "/agreements/{slug}/reports/{year}/{body}/reopen" => report_work::reopen, ReportKeeper;
    post "/agreements/{slug}/reports/{year}/{body}/approve" => report_work::approve, ReportKeeper;
    post "/agreements/{slug}/reports/{year}/{body}/publish" => report_work::publish, ReportKeeper;
    post "/agreements/{slug}/reports/{year}/{body}/correct" => report_work::correct, ReportKeeper;
    // The collaboration register.
    get "/agreements/{slug}/register" => register::index, Public;
    get "/agreements/{slug}/register/new" => register_forms::new_form, RegisterKeeper;
    post "/agreements/{slug}/register/new" => register_forms::create, RegisterKeeper;
    get "/agreements/{slug}/register/{record}" => register::record, Public;
    get "/agreements/{slug}/register/{record}/edit" => register_forms::edit_form, RecordKeeper;
    post "/agreements/{slug}/register/{record}/edit" => register_forms::edit, RecordKeeper;
    post "/agreements/{slug}/register/{record}/remarks" => register::add_remark, RecordParty;
    post "/agreements/{slug}/register/{record}/remarks/answer" => register::answer_remark, RecordKeeper;
    // CSV import of collaboration records.
    get "/agreements/{slug}/register/import" => register_import::import_form, Coordinator;
    post "/agreements/{slug}/register/import" => register_import::import_check, Coordinator;
    post "/agreements/{slug}/register/import/apply" => register_import::import_apply, Coordinator;
}
