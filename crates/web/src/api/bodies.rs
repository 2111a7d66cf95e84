//! `/city-bodies`: the municipalities' committees and administrations.

use super::list;
use crate::AppState;
use crate::error::ApiError;
use crate::query::Params;
use axum::extract::State;
use axum::response::Response;
use samverkan_app::views::CityBody;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_city_bodies))
}

/// All city bodies of every municipality.
#[utoipa::path(get, path = "/city-bodies", tag = "city-bodies",
    params(("format" = Option<crate::query::Format>, Query, description = "`json` (default) or `csv`")),
    responses(
        (status = 200, description = "The city bodies", content(([CityBody] = "application/json"), (String = "text/csv"))),
        (status = 400, description = "A `format` other than `json` or `csv`", body = crate::error::ErrorBody)
    ))]
async fn list_city_bodies(
    State(state): State<AppState>,
    params: Params,
) -> Result<Response, ApiError> {
    let csv = params.wants_csv()?;
    let snapshot = state.app.public().await?;
    list(&snapshot.city_bodies, csv, "city-bodies")
}
