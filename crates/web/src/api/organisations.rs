//! `/organisations`: the public organisation register, with the same filters
//! as the directory page, and `/districts`.

use super::csv_out::csv_stream;
use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::query::{Format, MAX_NUMBER, Params};
use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use samverkan_app::organisations::directory::{DirectoryQuery, EXPORT_BATCH, PAGE_SIZE};
use samverkan_app::views::{District, Organisation};
use samverkan_domain::LegalForm;
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

/// `joined`: whether an organisation is party to an agreement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub(super) enum Joined {
    Yes,
    No,
}

/// `sort`: the order of the directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub(super) enum Sort {
    Name,
    Newest,
}

/// Checks the directory's parameters the way the document declares them
/// (`DirectoryQuery::parse`, shared with the page, reads an empty value as
/// "any" and trims): a value of the wrong form is a 400, a challenge or
/// district slug that names nothing is a 404.
fn check_directory_params(
    params: &Params,
    snapshot: &samverkan_app::PublicSnapshot,
) -> Result<(), samverkan_app::Error> {
    use samverkan_app::Error;
    if let Some(c) = params.api_slug("challenge")?
        && !snapshot
            .agreements
            .iter()
            .any(|a| a.challenges.iter().any(|x| x.slug == c))
    {
        return Err(Error::NotFound("challenge (the parameter 'challenge')"));
    }
    if let Some(d) = params.api_slug("district")?
        && !snapshot.districts.iter().any(|x| x.slug == d)
    {
        return Err(Error::NotFound("district (the parameter 'district')"));
    }
    params.api_choice("legal_form", LegalForm::ALL, LegalForm::as_str)?;
    params.api_choice("joined", &[Joined::Yes, Joined::No], |j| match j {
        Joined::Yes => "yes",
        Joined::No => "no",
    })?;
    params.api_choice("sort", &[Sort::Name, Sort::Newest], |s| match s {
        Sort::Name => "name",
        Sort::Newest => "newest",
    })?;
    params.api_number("page", 1, MAX_NUMBER)?;
    Ok(())
}

/// Organisations in the register, filtered and sorted as on the directory page.
/// With `format=csv`, every matching organisation (no paging).
#[utoipa::path(get, path = "/organisations", tag = "organisations",
    params(
        ("challenge" = Option<String>, Query, pattern = "^[a-z0-9]+(-[a-z0-9]+)*$", max_length = 80, description = "slug of a challenge (404 when it names none)"),
        ("district" = Option<String>, Query, pattern = "^[a-z0-9]+(-[a-z0-9]+)*$", max_length = 80, description = "slug of a district (404 when it names none)"),
        ("legal_form" = Option<LegalForm>, Query, description = "the legal form"),
        ("joined" = Option<Joined>, Query, description = "yes or no: party to an agreement"),
        ("sort" = Option<Sort>, Query, description = "name (default) or newest"),
        ("page" = Option<i32>, Query, minimum = 1, maximum = 2147483647, description = "page number, from 1 (default); past the last page, the last page"),
        ("format" = Option<Format>, Query, description = "`json` (default) or `csv`")
    ),
    responses(
        (status = 200, description = "The organisations", content((OrganisationPage = "application/json"), (String = "text/csv"))),
        (status = 400, description = "A parameter that is empty or not of its declared form; the message names what is allowed", body = ErrorBody),
        (status = 404, description = "The challenge or district named does not exist", body = ErrorBody)
    ))]
async fn list_organisations(
    State(state): State<AppState>,
    params: Params,
) -> Result<Response, ApiError> {
    let csv = params.wants_csv()?;
    let snapshot = state.app.public().await?;
    check_directory_params(&params, &snapshot)?;
    let q = DirectoryQuery::parse(&params.0, &snapshot)?;
    if csv {
        let app = state.app.clone();
        return Ok(csv_stream("organisations", EXPORT_BATCH, move |n| {
            let (app, q) = (app.clone(), q.clone());
            async move { app.matching_batch(&q, n).await }
        }));
    }
    let result = state.app.directory(&q).await?;
    Ok(Json(OrganisationPage {
        total: result.total,
        page: result.page,
        pages: result.pages,
        per_page: PAGE_SIZE,
        items: result.items,
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
    Ok(Json(state.app.organisation(&slug).await?).into_response())
}

/// City districts that organisations say they are active in.
#[utoipa::path(get, path = "/districts", tag = "organisations",
    params(("format" = Option<Format>, Query, description = "`json` (default) or `csv`")),
    responses(
        (status = 200, description = "The districts", content(([District] = "application/json"), (String = "text/csv"))),
        (status = 400, description = "A `format` other than `json` or `csv`", body = ErrorBody)
    ))]
async fn list_districts(
    State(state): State<AppState>,
    params: Params,
) -> Result<Response, ApiError> {
    let csv = params.wants_csv()?;
    let snapshot = state.app.public().await?;
    super::list(&snapshot.districts, csv, "districts")
}
