//! `/organisations`: the public organisation register, with the same filters
//! as the directory page, and `/districts`.

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::query::Params;
use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use samverkan_app::directory::{DirectoryQuery, PAGE_SIZE};
use samverkan_app::views::{District, Organisation};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_organisations))
        .routes(routes!(get_organisation))
        .routes(routes!(list_districts))
}

/// One page of the directory.
#[derive(Serialize, ToSchema)]
struct OrganisationPage {
    total: usize,
    page: usize,
    pages: usize,
    per_page: usize,
    items: Vec<Organisation>,
}

/// Organisations in the register, filtered and sorted as on the directory page.
/// With `format=csv`, every matching organisation (no paging).
#[utoipa::path(get, path = "/organisations", tag = "organisations",
    params(
        ("challenge" = Option<String>, Query, description = "slug of a challenge"),
        ("district" = Option<String>, Query, description = "slug of a district"),
        ("legal_form" = Option<String>, Query, description = "ideell_forening, stiftelse, registrerat_trossamfund, ekonomisk_forening or natverk"),
        ("joined" = Option<String>, Query, description = "yes or no: party to an agreement"),
        ("sort" = Option<String>, Query, description = "name (default) or newest"),
        ("page" = Option<usize>, Query, description = "page number, from 1"),
        ("format" = Option<String>, Query, description = "`json` (default) or `csv`")
    ),
    responses(
        (status = 200, description = "The organisations", content((OrganisationPage = "application/json"), (String = "text/csv"))),
        (status = 400, description = "A filter value that does not exist", body = ErrorBody)
    ))]
async fn list_organisations(
    State(state): State<AppState>,
    params: Params,
) -> Result<Response, ApiError> {
    let csv = params.wants_csv()?;
    let snapshot = state.app.public().await?;
    let q = DirectoryQuery::parse(&params.0, &snapshot)?;
    if csv {
        return super::list(&snapshot.matching(&q), true, "organisations");
    }
    let result = snapshot.directory(&q);
    Ok(Json(OrganisationPage {
        total: result.total,
        page: result.page,
        pages: result.pages,
        per_page: PAGE_SIZE,
        items: result.items.into_iter().cloned().collect(),
    })
    .into_response())
}

/// One organisation.
#[utoipa::path(get, path = "/organisations/{slug}", tag = "organisations",
    params(("slug" = String, Path)),
    responses(
        (status = 200, description = "The organisation", body = Organisation),
        (status = 404, description = "No such organisation", body = ErrorBody)
    ))]
async fn get_organisation(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Response, ApiError> {
    let snapshot = state.app.public().await?;
    Ok(Json(snapshot.organisation(&slug)?.clone()).into_response())
}

/// City districts that organisations say they are active in.
#[utoipa::path(get, path = "/districts", tag = "organisations",
    params(("format" = Option<String>, Query, description = "`json` (default) or `csv`")),
    responses((status = 200, description = "The districts", content(([District] = "application/json"), (String = "text/csv")))))]
async fn list_districts(
    State(state): State<AppState>,
    params: Params,
) -> Result<Response, ApiError> {
    let csv = params.wants_csv()?;
    let snapshot = state.app.public().await?;
    super::list(&snapshot.districts, csv, "districts")
}
