//! The HTML front door: one module per area, each a set of thin handlers
//! that fetch a view from the application layer and render a template.

mod accounts;
mod agreements;
mod directory_import;
mod documents;
mod forms;
mod governance;
mod joining;
mod organisations;
mod pager;
mod plans;
mod register;
mod reports;
mod site;
mod working_group;

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
/// A route marked `Heavy` shares the permits of [`crate::heavy`].
macro_rules! page_routes {
    ($($method:ident $path:literal => $handler:path, $access:ident $(, $cost:ident)?;)*) => {
        /// Every page route and its permission rule.
        pub const RULES: &[Rule] = &[$(Rule { method: stringify!($method), path: $path, access: Access::$access }),*];

        pub fn router(state: AppState) -> Router<AppState> {
            Router::new()$(.route($path, cost!($($cost)? axum::routing::$method($handler))))*
                .route_layer(axum::middleware::from_fn_with_state(state, crate::access::authorize))
        }
    };
}

/// A route as it is (no mark), or behind the heavy routes' permits.
macro_rules! cost {
    ($route:expr) => {
        $route
    };
    (Heavy $route:expr) => {
        $route.layer(axum::middleware::from_fn(crate::heavy::limit))
    };
}

page_routes! {
    get "/" => site::start, Public;
    get "/agreements" => site::agreements, Public;
    get "/city-bodies" => site::city_bodies, Public;
    get "/accessibility" => site::accessibility, Public;
    get "/open-data" => site::open_data, Public;
    get "/register" => accounts::sign_up_form, Public;
    post "/register" => accounts::sign_up, Public;
    get "/confirm/{token}" => accounts::confirm_form, Public;
    post "/confirm/{token}" => accounts::confirm, Public;
    get "/login" => accounts::login_form, Public;
    post "/login" => accounts::login, Public;
    post "/logout" => accounts::logout, Public;
    get "/forgot-password" => accounts::forgot_form, Public;
    post "/forgot-password" => accounts::forgot, Public;
    get "/reset/{token}" => accounts::reset_form, Public;
    post "/reset/{token}" => accounts::reset, Public;
    get "/account" => accounts::account, SignedIn;
    post "/account/password" => accounts::change_password, SignedIn;
    post "/account/sessions/revoke" => accounts::revoke_session, SignedIn;
    get "/account/export" => accounts::export, SignedIn, Heavy;
    post "/account/delete" => accounts::delete, SignedIn;
    post "/account/email" => accounts::change_email, SignedIn;
    post "/account/applications/withdraw" => joining::withdraw, SignedIn;
    get "/confirm-email/{token}" => accounts::confirm_email_form, Public;
    post "/confirm-email/{token}" => accounts::confirm_email, Public;
    get "/invitations/{token}" => organisations::members::invitation_form, SignedIn;
    post "/invitations/{token}" => organisations::members::accept_invitation, SignedIn;
    get "/privacy" => site::privacy, Public;
    get "/organisations" => organisations::directory, Public;
    get "/organisations/new" => organisations::new_form, SignedIn;
    post "/organisations/new" => organisations::create, SignedIn;
    get "/organisations/{slug}" => organisations::organisation, Public;
    post "/organisations/{slug}/claim" => organisations::claim::request, SignedIn;
    get "/organisations/claims/{token}" => organisations::claim::claim_form, SignedIn;
    post "/organisations/claims/{token}" => organisations::claim::confirm, SignedIn;
    get "/organisations/{slug}/edit" => organisations::edit_form, OrgAdmin;
    post "/organisations/{slug}/edit" => organisations::edit, OrgAdmin;
    get "/organisations/{slug}/members" => organisations::members::members, OrgMember;
    post "/organisations/{slug}/members/invite" => organisations::members::invite, OrgAdmin;
    post "/organisations/{slug}/members/role" => organisations::members::set_role, OrgAdmin;
    post "/organisations/{slug}/members/remove" => organisations::members::remove, OrgAdmin;
    post "/organisations/{slug}/invitations/revoke" => organisations::members::revoke_invitation, OrgAdmin;
    get "/municipalities/new" => agreements::municipalities::new_form, PlatformAdmin;
    post "/municipalities/new" => agreements::municipalities::create, PlatformAdmin;
    get "/city-bodies/new" => agreements::city_bodies::new_form, BodyKeeper;
    post "/city-bodies/new" => agreements::city_bodies::create, BodyKeeper;
    get "/city-bodies/{municipality}/{body}" => agreements::city_bodies::edit_form, BodyKeeper;
    post "/city-bodies/{municipality}/{body}" => agreements::city_bodies::update, BodyKeeper;
    post "/city-bodies/{municipality}/{body}/officials" => agreements::city_bodies::add_official, BodyKeeper;
    post "/city-bodies/{municipality}/{body}/officials/remove" => agreements::city_bodies::remove_official, BodyKeeper;
    // CSV import of the directory: city bodies and organisations.
    get "/city-bodies/import" => directory_import::bodies_form, BodyKeeper, Heavy;
    post "/city-bodies/import" => directory_import::bodies_check, BodyKeeper, Heavy;
    post "/city-bodies/import/apply" => directory_import::bodies_apply, BodyKeeper, Heavy;
    get "/organisations/import" => directory_import::organisations_form, PlatformAdmin, Heavy;
    post "/organisations/import" => directory_import::organisations_check, PlatformAdmin, Heavy;
    post "/organisations/import/apply" => directory_import::organisations_apply, PlatformAdmin, Heavy;
    get "/admin" => accounts::admin::people, PlatformAdmin;
    post "/admin/roles" => accounts::admin::set_role, PlatformAdmin;
    get "/admin/audit" => accounts::admin::audit, PlatformAdmin;
    get "/agreements/new" => agreements::writing::new_form, BodyKeeper;
    post "/agreements/new" => agreements::writing::create, BodyKeeper;
    get "/agreements/{slug}/edit" => agreements::writing::workspace, Coordinator;
    post "/agreements/{slug}/edit" => agreements::writing::save_fields, Coordinator;
    post "/agreements/{slug}/edit/text" => agreements::writing::save_text, Coordinator;
    post "/agreements/{slug}/edit/parts" => agreements::writing::save_parts, Coordinator;
    post "/agreements/{slug}/edit/step" => agreements::writing::take_step, Coordinator;
    get "/agreements/{slug}/history" => agreements::history, Public;
    get "/agreements/{slug}" => agreements::home, Public;
    get "/agreements/{slug}/text" => agreements::text, Public;
    get "/agreements/{slug}/versions" => agreements::versions, Public;
    get "/agreements/{slug}/versions/compare" => agreements::compare, Public;
    get "/agreements/{slug}/decisions" => agreements::decisions, Public;
    get "/agreements/{slug}/principles" => agreements::principles, Public;
    get "/agreements/{slug}/challenges" => agreements::challenges, Public;
    get "/agreements/{slug}/challenges/{challenge}" => plans::challenge, Public;
    get "/agreements/{slug}/plans" => agreements::plans, Public;
    get "/agreements/{slug}/contact" => agreements::contact, Public;
    get "/agreements/{slug}/parties" => agreements::parties, Public;
    get "/agreements/{slug}/join" => joining::join_form, SignedIn;
    post "/agreements/{slug}/join" => joining::join, SignedIn;
    get "/agreements/{slug}/applications" => joining::applications, Coordinator;
    post "/agreements/{slug}/applications/decide" => joining::decide, Coordinator;
    // Action plans and activities.
    get "/account/activities" => plans::mine, SignedIn;
    get "/agreements/{slug}/plans/new" => plans::forms::new_form, Coordinator;
    post "/agreements/{slug}/plans/new" => plans::forms::create, Coordinator;
    get "/agreements/{slug}/plans/{plan}" => plans::overview, Public;
    get "/agreements/{slug}/plans/{plan}/edit" => plans::forms::edit_form, Coordinator;
    post "/agreements/{slug}/plans/{plan}/edit" => plans::forms::edit, Coordinator;
    get "/agreements/{slug}/plans/{plan}/activities/new" => plans::activities::new_form, Coordinator;
    post "/agreements/{slug}/plans/{plan}/activities/new" => plans::activities::create, Coordinator;
    get "/agreements/{slug}/plans/{plan}/activities/{activity}" => plans::activity, Public;
    get "/agreements/{slug}/plans/{plan}/activities/{activity}/edit" => plans::activities::edit_form, ActivityTeam;
    post "/agreements/{slug}/plans/{plan}/activities/{activity}/edit" => plans::activities::edit, ActivityTeam;
    post "/agreements/{slug}/plans/{plan}/activities/{activity}/updates" => plans::activities::post_update, ActivityParty;
    post "/agreements/{slug}/plans/{plan}/activities/{activity}/proposals" => plans::activities::decide_proposal, ActivityTeam;
    post "/agreements/{slug}/plans/{plan}/activities/{activity}/assessment" => plans::activities::assess, ActivityTeam;
    // CSV import of activities and updates.
    get "/agreements/{slug}/plans/{plan}/import" => plans::import::import_form, Coordinator, Heavy;
    post "/agreements/{slug}/plans/{plan}/import" => plans::import::import_check, Coordinator, Heavy;
    post "/agreements/{slug}/plans/{plan}/import/apply" => plans::import::import_apply, Coordinator, Heavy;
    // The committees' yearly reports and the city-wide report.
    get "/account/reports" => reports::mine, SignedIn, Heavy;
    get "/agreements/{slug}/reports" => reports::overview, Public, Heavy;
    post "/agreements/{slug}/reports/deadlines" => reports::set_deadline, Coordinator;
    get "/agreements/{slug}/reports/{year}" => reports::city, Public, Heavy;
    get "/agreements/{slug}/reports/{year}/{body}" => reports::committee, Public, Heavy;
    get "/agreements/{slug}/reports/{year}/{body}/versions/{number}" => reports::version, Public, Heavy;
    post "/agreements/{slug}/reports/{year}/{body}/contributions" => reports::contribute, SignedIn;
    get "/agreements/{slug}/reports/{year}/{body}/edit" => reports::work::workspace, ReportKeeper, Heavy;
    post "/agreements/{slug}/reports/{year}/{body}/edit" => reports::work::save, ReportKeeper, Heavy;
    post "/agreements/{slug}/reports/{year}/{body}/submit" => reports::work::submit, ReportKeeper;
    post "/agreements/{slug}/reports/{year}/{body}/reopen" => reports::work::reopen, ReportKeeper;
    post "/agreements/{slug}/reports/{year}/{body}/approve" => reports::work::approve, ReportKeeper;
    post "/agreements/{slug}/reports/{year}/{body}/publish" => reports::work::publish, ReportKeeper;
    post "/agreements/{slug}/reports/{year}/{body}/correct" => reports::work::correct, ReportKeeper;
    // The collaboration register.
    get "/agreements/{slug}/register" => register::index, Public, Heavy;
    get "/agreements/{slug}/register/new" => register::forms::new_form, RegisterKeeper;
    post "/agreements/{slug}/register/new" => register::forms::create, RegisterKeeper;
    get "/agreements/{slug}/register/{record}" => register::record, Public, Heavy;
    get "/agreements/{slug}/register/{record}/edit" => register::forms::edit_form, RecordKeeper;
    post "/agreements/{slug}/register/{record}/edit" => register::forms::edit, RecordKeeper;
    post "/agreements/{slug}/register/{record}/remarks" => register::add_remark, RecordParty;
    post "/agreements/{slug}/register/{record}/remarks/answer" => register::answer_remark, RecordKeeper;
    // CSV import of collaboration records.
    get "/agreements/{slug}/register/import" => register::import::import_form, Coordinator, Heavy;
    post "/agreements/{slug}/register/import" => register::import::import_check, Coordinator, Heavy;
    post "/agreements/{slug}/register/import/apply" => register::import::import_apply, Coordinator, Heavy;
    // Governance: roles and terms.
    get "/agreements/{slug}/governance" => governance::page, Coordinator;
    post "/agreements/{slug}/governance/roles" => governance::add_role, Coordinator;
    get "/agreements/{slug}/governance/roles/{role}" => governance::role, Coordinator;
    post "/agreements/{slug}/governance/roles/{role}" => governance::edit_role, Coordinator;
    post "/agreements/{slug}/governance/roles/{role}/remove" => governance::remove_role, Coordinator;
    post "/agreements/{slug}/governance/terms" => governance::add_term, Coordinator;
    post "/agreements/{slug}/governance/terms/end" => governance::end_term, Coordinator;
    // Documents.
    // The working group: members, meetings with agenda, minutes and
    // decisions, action items.
    get "/agreements/{slug}/working-group" => working_group::overview, Public;
    get "/agreements/{slug}/working-group/meetings/new" => working_group::meetings::new_form, Coordinator;
    post "/agreements/{slug}/working-group/meetings/new" => working_group::meetings::create, Coordinator;
    get "/agreements/{slug}/working-group/meetings/{meeting}" => working_group::meeting, Public;
    get "/agreements/{slug}/working-group/meetings/{meeting}/edit" => working_group::meetings::edit_form, Coordinator;
    post "/agreements/{slug}/working-group/meetings/{meeting}/edit" => working_group::meetings::edit, Coordinator;
    post "/agreements/{slug}/working-group/meetings/{meeting}/minutes" => working_group::meetings::save_minutes, Coordinator;
    post "/agreements/{slug}/working-group/meetings/{meeting}/minutes/approve" => working_group::meetings::approve, Coordinator;
    post "/agreements/{slug}/working-group/meetings/{meeting}/decisions" => working_group::meetings::add_decision, Coordinator;
    get "/agreements/{slug}/working-group/meetings/{meeting}/documents" => documents::meeting_form, Coordinator;
    post "/agreements/{slug}/working-group/meetings/{meeting}/documents" => documents::attach_to_meeting, Coordinator;
    get "/agreements/{slug}/working-group/actions/new" => working_group::actions::new_form, Coordinator;
    post "/agreements/{slug}/working-group/actions/new" => working_group::actions::create, Coordinator;
    get "/agreements/{slug}/working-group/actions/{item}" => working_group::actions::edit_form, Coordinator;
    post "/agreements/{slug}/working-group/actions/{item}" => working_group::actions::edit, Coordinator;
    get "/documents/{id}/{file_name}" => documents::serve, Public;
    get "/agreements/{slug}/decisions/{decision}/documents" => documents::decision_form, Coordinator;
    post "/agreements/{slug}/decisions/{decision}/documents" => documents::attach_to_decision, Coordinator;
    get "/agreements/{slug}/versions/{number}/documents" => documents::version_form, Coordinator;
    post "/agreements/{slug}/versions/{number}/documents" => documents::attach_to_version, Coordinator;
    get "/agreements/{slug}/plans/{plan}/documents" => documents::plan_form, Coordinator;
    post "/agreements/{slug}/plans/{plan}/documents" => documents::attach_to_plan, Coordinator;
}
