//! `/agreements/…`: agreements and every public part of them.

use super::list;
use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::query::{Format, MAX_NUMBER, Params, number_in};
use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use samverkan_app::Error;
use samverkan_app::agreements::diff::{VersionComparison, compare};
use samverkan_app::organisations::directory::PARTIES_PER_PAGE;
use samverkan_app::views::*;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_agreements))
        .routes(routes!(get_agreement))
        .routes(routes!(list_versions))
        .routes(routes!(compare_versions))
        .routes(routes!(get_version))
        .routes(routes!(list_decisions))
        .routes(routes!(list_principles))
        .routes(routes!(list_commitments))
        .routes(routes!(list_challenges))
        .routes(routes!(get_challenge))
        .routes(routes!(list_plans))
        .routes(routes!(list_roles))
        .routes(routes!(list_parties))
}

/// Runs `f` on the agreement `slug` of the current public snapshot.
async fn with_agreement<T>(
    state: &AppState,
    slug: &str,
    f: impl FnOnce(&samverkan_app::snapshot::AgreementRecord) -> Result<T, Error>,
) -> Result<T, ApiError> {
    let snapshot = state.app.public().await?;
    Ok(f(snapshot.agreement(slug)?)?)
}

/// A list from one agreement, as JSON or CSV.
async fn agreement_list<T: serde::Serialize>(
    state: &AppState,
    slug: &str,
    params: &Params,
    name: &str,
    pick: impl FnOnce(&samverkan_app::snapshot::AgreementRecord) -> Vec<T>,
) -> Result<Response, ApiError> {
    let csv = params.wants_csv()?;
    let items = with_agreement(state, slug, |a| Ok(pick(a))).await?;
    list(&items, csv, name)
}

/// All agreements, in the order the site lists them.
#[utoipa::path(get, path = "/agreements", tag = "agreements",
    params(("format" = Option<Format>, Query, description = "`json` (default) or `csv`")),
    responses(
        (status = 200, description = "The agreements", content(([AgreementSummary] = "application/json"), (String = "text/csv"))),
        (status = 400, description = "A `format` other than `json` or `csv`", body = ErrorBody)
    ))]
async fn list_agreements(
    State(state): State<AppState>,
    params: Params,
) -> Result<Response, ApiError> {
    let csv = params.wants_csv()?;
    let snapshot = state.app.public().await?;
    let items: Vec<AgreementSummary> = snapshot
        .agreement_summaries()
        .into_iter()
        .cloned()
        .collect();
    list(&items, csv, "agreements")
}

/// One agreement: vision, principles, ways of working, challenges and the latest decisions.
#[utoipa::path(get, path = "/agreements/{slug}", tag = "agreements",
    params(("slug" = String, Path, description = "The agreement's slug, e.g. `malmoandan`")),
    responses(
        (status = 200, description = "The agreement", body = AgreementDetail),
        (status = 404, description = "No such agreement", body = ErrorBody)
    ))]
async fn get_agreement(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Response, ApiError> {
    let detail = with_agreement(&state, &slug, |a| Ok(a.detail())).await?;
    Ok(Json(detail).into_response())
}

/// The versions of the agreement's text, oldest first.
#[utoipa::path(get, path = "/agreements/{slug}/versions", tag = "agreements",
    params(("slug" = String, Path), ("format" = Option<Format>, Query, description = "`json` (default) or `csv`")),
    responses(
        (status = 200, description = "The versions", content(([VersionSummary] = "application/json"), (String = "text/csv"))),
        (status = 400, description = "A `format` other than `json` or `csv`", body = ErrorBody),
        (status = 404, description = "No such agreement", body = ErrorBody)
    ))]
async fn list_versions(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    params: Params,
) -> Result<Response, ApiError> {
    agreement_list(&state, &slug, &params, "versions", |a| {
        a.version_summaries()
    })
    .await
}

/// One version's full text: sections and paragraphs with their stable anchors.
#[utoipa::path(get, path = "/agreements/{slug}/versions/{number}", tag = "agreements",
    params(("slug" = String, Path), ("number" = i32, Path, minimum = 1, maximum = 2147483647, description = "The version number, from 1")),
    responses(
        (status = 200, description = "The version's text", body = VersionText),
        (status = 400, description = "The number is not a whole number", body = ErrorBody),
        (status = 404, description = "No such agreement or version", body = ErrorBody)
    ))]
async fn get_version(
    State(state): State<AppState>,
    Path((slug, number)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let number = number_in("number", &number, 1, MAX_NUMBER)? as i32;
    let text = with_agreement(&state, &slug, |a| a.version(number).cloned()).await?;
    Ok(Json(text).into_response())
}

/// The difference between two versions, paragraph by paragraph and word by word.
#[utoipa::path(get, path = "/agreements/{slug}/versions/compare", tag = "agreements",
    params(("slug" = String, Path),
        ("from" = i32, Query, minimum = 1, maximum = 2147483647, description = "The version compared from"),
        ("to" = i32, Query, minimum = 1, maximum = 2147483647, description = "The version compared to")),
    responses(
        (status = 200, description = "The comparison", body = VersionComparison),
        (status = 400, description = "Missing or malformed from/to", body = ErrorBody),
        (status = 404, description = "No such agreement or version", body = ErrorBody)
    ))]
async fn compare_versions(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    params: Params,
) -> Result<Response, ApiError> {
    let (from, to) = (
        params.api_required_number("from")? as i32,
        params.api_required_number("to")? as i32,
    );
    let cmp = with_agreement(&state, &slug, |a| {
        Ok(compare(a.version(from)?, a.version(to)?))
    })
    .await?;
    Ok(Json(cmp).into_response())
}

/// Decisions on the agreement, oldest first.
#[utoipa::path(get, path = "/agreements/{slug}/decisions", tag = "agreements",
    params(("slug" = String, Path), ("format" = Option<Format>, Query, description = "`json` (default) or `csv`")),
    responses(
        (status = 200, description = "The decisions", content(([Decision] = "application/json"), (String = "text/csv"))),
        (status = 400, description = "A `format` other than `json` or `csv`", body = ErrorBody),
        (status = 404, description = "No such agreement", body = ErrorBody)
    ))]
async fn list_decisions(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    params: Params,
) -> Result<Response, ApiError> {
    agreement_list(&state, &slug, &params, "decisions", |a| a.decisions.clone()).await
}

/// The principles of the agreement.
#[utoipa::path(get, path = "/agreements/{slug}/principles", tag = "agreements",
    params(("slug" = String, Path), ("format" = Option<Format>, Query, description = "`json` (default) or `csv`")),
    responses(
        (status = 200, description = "The principles", content(([Principle] = "application/json"), (String = "text/csv"))),
        (status = 400, description = "A `format` other than `json` or `csv`", body = ErrorBody),
        (status = 404, description = "No such agreement", body = ErrorBody)
    ))]
async fn list_principles(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    params: Params,
) -> Result<Response, ApiError> {
    agreement_list(&state, &slug, &params, "principles", |a| {
        a.principles.clone()
    })
    .await
}

/// The ways of working both sides commit to (förhållningssätt).
#[utoipa::path(get, path = "/agreements/{slug}/commitments", tag = "agreements",
    params(("slug" = String, Path), ("format" = Option<Format>, Query, description = "`json` (default) or `csv`")),
    responses(
        (status = 200, description = "The ways of working", content(([Commitment] = "application/json"), (String = "text/csv"))),
        (status = 400, description = "A `format` other than `json` or `csv`", body = ErrorBody),
        (status = 404, description = "No such agreement", body = ErrorBody)
    ))]
async fn list_commitments(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    params: Params,
) -> Result<Response, ApiError> {
    agreement_list(&state, &slug, &params, "commitments", |a| {
        a.commitments.clone()
    })
    .await
}

/// The prioritised societal challenges.
#[utoipa::path(get, path = "/agreements/{slug}/challenges", tag = "agreements",
    params(("slug" = String, Path), ("format" = Option<Format>, Query, description = "`json` (default) or `csv`")),
    responses(
        (status = 200, description = "The challenges", content(([Challenge] = "application/json"), (String = "text/csv"))),
        (status = 400, description = "A `format` other than `json` or `csv`", body = ErrorBody),
        (status = 404, description = "No such agreement", body = ErrorBody)
    ))]
async fn list_challenges(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    params: Params,
) -> Result<Response, ApiError> {
    agreement_list(&state, &slug, &params, "challenges", |a| {
        a.challenges.clone()
    })
    .await
}

/// One challenge.
#[utoipa::path(get, path = "/agreements/{slug}/challenges/{challenge}", tag = "agreements",
    params(("slug" = String, Path), ("challenge" = String, Path)),
    responses(
        (status = 200, description = "The challenge", body = Challenge),
        (status = 404, description = "No such agreement or challenge", body = ErrorBody)
    ))]
async fn get_challenge(
    State(state): State<AppState>,
    Path((slug, challenge)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let c = with_agreement(&state, &slug, |a| a.challenge(&challenge).cloned()).await?;
    Ok(Json(c).into_response())
}

/// The action-plan periods and the decisions behind them.
#[utoipa::path(get, path = "/agreements/{slug}/plans", tag = "agreements",
    params(("slug" = String, Path), ("format" = Option<Format>, Query, description = "`json` (default) or `csv`")),
    responses(
        (status = 200, description = "The plans", content(([ActionPlan] = "application/json"), (String = "text/csv"))),
        (status = 400, description = "A `format` other than `json` or `csv`", body = ErrorBody),
        (status = 404, description = "No such agreement", body = ErrorBody)
    ))]
async fn list_plans(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    params: Params,
) -> Result<Response, ApiError> {
    agreement_list(&state, &slug, &params, "plans", |a| a.plans.clone()).await
}

/// Governance roles with who holds them now and who did before.
#[utoipa::path(get, path = "/agreements/{slug}/roles", tag = "agreements",
    params(("slug" = String, Path), ("format" = Option<Format>, Query, description = "`json` (default) or `csv`")),
    responses(
        (status = 200, description = "The roles", content(([Role] = "application/json"), (String = "text/csv"))),
        (status = 400, description = "A `format` other than `json` or `csv`", body = ErrorBody),
        (status = 404, description = "No such agreement", body = ErrorBody)
    ))]
async fn list_roles(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    params: Params,
) -> Result<Response, ApiError> {
    agreement_list(&state, &slug, &params, "roles", |a| a.roles.clone()).await
}

/// The parties to the agreement (organisations, city bodies and active
/// citizens), with the date each joined, earliest first: a page of 100 in
/// JSON (the `Link` header names the next and previous pages, and
/// `X-Total-Count` the number of parties), or every party in CSV.
#[utoipa::path(get, path = "/agreements/{slug}/parties", tag = "agreements",
    params(("slug" = String, Path),
        ("page" = Option<i32>, Query, minimum = 1, maximum = 2147483647, description = "page number, from 1 (default); past the last page, the last page (JSON only)"),
        ("format" = Option<Format>, Query, description = "`json` (default) or `csv`")),
    responses(
        (status = 200, description = "The parties", content(([Party] = "application/json"), (String = "text/csv")),
            headers(("Link" = String, description = "`<…?page=N>; rel=\"next\"` and `rel=\"prev\"`, where there is such a page"),
                    ("X-Total-Count" = i64, description = "How many parties the agreement has"))),
        (status = 400, description = "A `format` other than `json` or `csv`, or a `page` that is not a whole number from 1", body = ErrorBody),
        (status = 404, description = "No such agreement", body = ErrorBody)
    ))]
async fn list_parties(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    params: Params,
) -> Result<Response, ApiError> {
    let csv = params.wants_csv()?;
    let page = params.api_page()?;
    let snapshot = state.app.public().await?;
    let a = snapshot.agreement(&slug)?;
    if csv {
        let (app, id) = (state.app.clone(), a.id);
        return Ok(super::csv_out::csv_stream(
            "parties",
            PARTIES_PER_PAGE,
            move |n| {
                let app = app.clone();
                async move { app.parties_batch(id, n).await }
            },
        ));
    }
    let list = state.app.parties(a, page).await?;
    Ok(super::paged_json(
        &format!("/agreements/{slug}/parties"),
        &params,
        &list.items,
        (list.total, list.page, list.pages),
    ))
}
