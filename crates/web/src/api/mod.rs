//! The `/api/v1` front door: JSON (and CSV for lists with `?format=csv`) for
//! every public object, with the OpenAPI document generated from the
//! handlers' annotations and served at `/api/v1/openapi.json`.

mod agreements;
mod bodies;
mod csv_out;
mod organisations;
mod plans;
mod register;
mod working_group;

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::query::Params;
use axum::Router;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Samverkan open data",
        description = "The public record of collaboration agreements between municipalities and the \
                       idea-based sector: agreements, their texts and versions, decisions, principles, \
                       ways of working, challenges, action plans, roles and city bodies, the \
                       collaboration register and the committees' yearly reports. Lists also \
                       come as CSV with `?format=csv`. The API shows exactly what the public pages show.",
        license(name = "CC0-1.0", identifier = "CC0-1.0")
    ),
    servers((url = "/api/v1")),
    components(schemas(ErrorBody, crate::query::Format, plans::FeedLang, organisations::Joined, organisations::Sort, working_group::When)),
    tags(
        (name = "agreements", description = "Agreements and their parts"),
        (name = "city-bodies", description = "The municipalities' committees and administrations"),
        (name = "organisations", description = "The register of idea-based organisations"),
        (name = "plans", description = "Action plans: activities, updates, sums and milestone calendars"),
        (name = "register", description = "The collaboration register: each city body's records of collaboration with organisations"),
        (name = "reports", description = "The committees' yearly reports and the city-wide report of each year")
    )
)]
struct ApiDoc;

/// The API's routes with their OpenAPI descriptions, relative to `/api/v1`.
fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(agreements::routes())
        .merge(bodies::routes())
        .merge(organisations::routes())
        .merge(plans::routes())
        .merge(working_group::routes())
        // The register's and reports' lists and documents share the heavy
        // routes' permits (see `crate::heavy`).
        .merge(register::routes().route_layer(axum::middleware::from_fn(crate::heavy::limit)))
}

/// The OpenAPI document, generated from the route annotations.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut doc = routes().into_openapi();
    server_errors(&mut doc);
    doc
}

/// Any operation may answer 500 (the database did not answer, say) with
/// an `ErrorBody` whose message is "internal error"; the details are only
/// logged. Added here, to every operation, rather than to each annotation.
fn server_errors(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{Ref, ResponseBuilder, content::ContentBuilder};
    for item in doc.paths.paths.values_mut() {
        for op in [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ]
        .into_iter()
        .flatten()
        {
            op.responses
                .responses
                .entry("500".into())
                .or_insert_with(|| {
                    ResponseBuilder::new()
                        .description("Internal error; the details are logged, not shown")
                        .content(
                            "application/json",
                            ContentBuilder::new()
                                .schema(Some(Ref::from_schema_name("ErrorBody")))
                                .build(),
                        )
                        .build()
                        .into()
                });
        }
    }
}

/// The API router (to be nested at `/api/v1`), including `openapi.json`.
pub fn router() -> Router<AppState> {
    let (router, mut doc) = routes().split_for_parts();
    server_errors(&mut doc);
    let json = std::sync::Arc::new(
        doc.to_pretty_json()
            .expect("the OpenAPI document serialises"),
    );
    router
        .route(
            "/openapi.json",
            axum::routing::get(move || {
                let json = json.clone();
                async move {
                    (
                        [(
                            header::CONTENT_TYPE,
                            HeaderValue::from_static("application/json"),
                        )],
                        json.as_str().to_owned(),
                    )
                }
            }),
        )
        .fallback(not_found)
}

/// JSON 404 for any path under `/api/v1` that no route matches.
pub async fn not_found() -> ApiError {
    ApiError(samverkan_app::Error::NotFound("resource"))
}

/// JSON 405 for a method that a path under `/api/v1` does not have; axum
/// adds the `Allow` header listing the methods the path has. Installed for
/// every path in `crate::router`, outside the CSRF check: nothing changes.
pub async fn method_not_allowed(method: Method) -> Response {
    ErrorBody::response(
        StatusCode::METHOD_NOT_ALLOWED,
        format!("this path does not take {method}; the Allow header lists the methods it takes"),
    )
}

/// How many items a page of a paged API list holds.
pub const API_PAGE: usize = 100;

/// A page of a list as a JSON array, with the headers that say where it
/// stands: `X-Total-Count`, and a `Link` to the next and previous pages
/// (the request's own query, its `page` changed).
fn paged_json<T: Serialize>(
    path: &str,
    params: &Params,
    items: &[T],
    (total, page, pages): (usize, usize, usize),
) -> Response {
    let href = |n: usize| {
        let mut q = form_urlencoded::Serializer::new(String::new());
        let mut names: Vec<&String> = params.0.keys().filter(|k| *k != "page").collect();
        names.sort();
        for name in names {
            q.append_pair(name, &params.0[name]);
        }
        q.append_pair("page", &n.to_string());
        format!("/api/v1{path}?{}", q.finish())
    };
    let mut links = Vec::new();
    if page < pages {
        links.push(format!("<{}>; rel=\"next\"", href(page + 1)));
    }
    if page > 1 {
        links.push(format!("<{}>; rel=\"prev\"", href(page - 1)));
    }
    let mut response = axum::Json(items).into_response();
    let headers = response.headers_mut();
    if !links.is_empty()
        && let Ok(v) = HeaderValue::from_str(&links.join(", "))
    {
        headers.insert(header::LINK, v);
    }
    headers.insert("x-total-count", HeaderValue::from(total));
    response
}

/// Page `page` of `all` as [`paged_json`] answers it, [`API_PAGE`] a page
/// (past the last, the last).
fn page_of<T: Serialize>(path: &str, params: &Params, all: Vec<T>, page: usize) -> Response {
    let paged = samverkan_app::plans::pages::Paged::of(all, page, API_PAGE);
    paged_json(
        path,
        params,
        &paged.items,
        (paged.total, paged.page, paged.pages),
    )
}

/// A list as JSON, or as CSV when asked.
fn list<T: Serialize>(items: &[T], csv: bool, name: &str) -> Result<Response, ApiError> {
    if csv {
        csv_out::csv_response(items, name)
    } else {
        Ok(axum::Json(items).into_response())
    }
}
