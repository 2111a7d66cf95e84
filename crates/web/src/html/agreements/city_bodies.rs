//! Keeping the city bodies: add one, edit one, name and remove its officials.

use crate::AppState;
use crate::error::PageError;
use crate::html::forms::{Fields, Problems, notice, number, one, unprocessable};
use crate::html::render;
use crate::page::{Page, PageCtx};
use crate::query::Params;
use crate::session::Acting;
use askama::Template;
use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use samverkan_app::Error;
use samverkan_app::agreements::city_bodies::{CityBodyForm, OfficialsView};
use samverkan_app::views::{CityBody, Municipality};
use samverkan_domain::CityBodyKind;

#[derive(Template)]
#[template(path = "agreements/city_body.html")]
struct BodyPage {
    page: Page,
    action: String,
    /// The body's officials, when an existing body is edited.
    officials: Option<OfficialsView>,
    form: CityBodyForm,
    municipalities: Vec<Municipality>,
    bodies: Vec<CityBody>,
    kinds: &'static [CityBodyKind],
    notice: Option<String>,
    problems: Problems,
    official_email: String,
}

/// What the city body's page shows besides the stored body: the form as
/// typed, a notice, the problems, and the official's address as typed.
struct Shown {
    form: CityBodyForm,
    notice: Option<String>,
    problems: Problems,
    official_email: String,
}

async fn body_page(
    state: &AppState,
    ctx: &PageCtx,
    acting: &Acting,
    key: Option<&str>,
    shown: Shown,
) -> Result<Response, PageError> {
    let Shown {
        form,
        notice,
        problems,
        official_email,
    } = shown;
    let snapshot = state.app.public().await?;
    let (title, action, officials) = match key {
        Some(key) => (
            ctx.t()
                .with("body-edit-title", "name", form.name.as_str())
                .into_owned(),
            format!("/city-bodies/{key}"),
            Some(state.app.officials(&acting.roles, key).await?),
        ),
        None => (
            ctx.t().get("body-new-title").into_owned(),
            "/city-bodies/new".to_owned(),
            None,
        ),
    };
    render(BodyPage {
        page: ctx.page(title, None),
        action,
        officials,
        municipalities: snapshot.municipalities.clone(),
        bodies: snapshot
            .city_bodies
            .iter()
            .filter(|b| b.municipality == form.municipality && b.kind == CityBodyKind::Committee)
            .cloned()
            .collect(),
        form,
        kinds: CityBodyKind::ALL,
        notice,
        problems,
        official_email,
    })
}

fn body_form(fields: &[(String, String)]) -> CityBodyForm {
    CityBodyForm {
        municipality: one(fields, "municipality"),
        name: one(fields, "name"),
        kind: one(fields, "kind"),
        parent: one(fields, "parent"),
        description: one(fields, "description"),
    }
}

pub async fn new_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    params: Params,
) -> Result<Response, PageError> {
    let snapshot = state.app.public().await?;
    let municipality = params
        .0
        .get("municipality")
        .cloned()
        .or_else(|| snapshot.municipalities.first().map(|m| m.slug.clone()))
        .unwrap_or_default();
    let form = CityBodyForm {
        municipality,
        ..CityBodyForm::default()
    };
    let notice = notice(&ctx, &params, &["municipality-saved"]);
    body_page(
        &state,
        &ctx,
        &acting,
        None,
        Shown {
            form,
            notice,
            problems: Problems::default(),
            official_email: String::new(),
        },
    )
    .await
}

pub async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    Form(fields): Fields,
) -> Result<Response, PageError> {
    let form = body_form(&fields);
    match state
        .app
        .create_city_body(&acting.user, &acting.roles, &form)
        .await
    {
        Ok(key) => Ok(Redirect::to(&format!("/city-bodies/{key}?done=saved")).into_response()),
        Err(Error::Validation(errors)) => {
            let problems = Problems::from_errors(&ctx, &errors);
            Ok(unprocessable(
                body_page(
                    &state,
                    &ctx,
                    &acting,
                    None,
                    Shown {
                        form,
                        notice: None,
                        problems,
                        official_email: String::new(),
                    },
                )
                .await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    params: Params,
    Path((municipality, body)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let key = format!("{municipality}/{body}");
    let form = state.app.city_body_form(&key).await?;
    let notice = notice(
        &ctx,
        &params,
        &["saved", "official-added", "official-removed"],
    );
    body_page(
        &state,
        &ctx,
        &acting,
        Some(&key),
        Shown {
            form,
            notice,
            problems: Problems::default(),
            official_email: String::new(),
        },
    )
    .await
}

pub async fn update(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    Path((municipality, body)): Path<(String, String)>,
    Form(fields): Fields,
) -> Result<Response, PageError> {
    let key = format!("{municipality}/{body}");
    let mut form = body_form(&fields);
    // A body stays in its municipality.
    form.municipality = municipality;
    match state
        .app
        .update_city_body(&acting.user, &acting.roles, &key, &form)
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/city-bodies/{key}?done=saved")).into_response()),
        Err(Error::Validation(errors)) => {
            let problems = Problems::from_errors(&ctx, &errors);
            Ok(unprocessable(
                body_page(
                    &state,
                    &ctx,
                    &acting,
                    Some(&key),
                    Shown {
                        form,
                        notice: None,
                        problems,
                        official_email: String::new(),
                    },
                )
                .await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn add_official(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    Path((municipality, body)): Path<(String, String)>,
    Form(fields): Fields,
) -> Result<Response, PageError> {
    let key = format!("{municipality}/{body}");
    let email = one(&fields, "email");
    match state
        .app
        .add_official(&acting.user, &acting.roles, &key, &email)
        .await
    {
        Ok(()) => {
            Ok(Redirect::to(&format!("/city-bodies/{key}?done=official-added")).into_response())
        }
        Err(Error::Validation(errors)) => {
            let problems = Problems::from_errors(&ctx, &errors);
            let form = state.app.city_body_form(&key).await?;
            Ok(unprocessable(
                body_page(
                    &state,
                    &ctx,
                    &acting,
                    Some(&key),
                    Shown {
                        form,
                        notice: None,
                        problems,
                        official_email: email,
                    },
                )
                .await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn remove_official(
    State(state): State<AppState>,
    acting: Acting,
    Path((municipality, body)): Path<(String, String)>,
    Form(fields): Fields,
) -> Result<Response, PageError> {
    let key = format!("{municipality}/{body}");
    let person = number(&fields, "person").ok_or(Error::NotFound("official"))?;
    state
        .app
        .remove_official(&acting.user, &acting.roles, &key, person)
        .await?;
    Ok(Redirect::to(&format!("/city-bodies/{key}?done=official-removed")).into_response())
}
