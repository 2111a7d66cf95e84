//! Adding a municipality or region (platform administrators).

use crate::AppState;
use crate::error::PageError;
use crate::html::forms::{Fields, Problems, one, unprocessable};
use crate::html::render;
use crate::page::{Page, PageCtx};
use crate::session::Acting;
use askama::Template;
use axum::extract::{Form, State};
use axum::response::{IntoResponse, Redirect, Response};
use samverkan_app::Error;
use samverkan_app::agreements::municipalities::MunicipalityForm;
use samverkan_domain::MunicipalityKind;

#[derive(Template)]
#[template(path = "agreements/municipality.html")]
struct MunicipalityPage {
    page: Page,
    form: MunicipalityForm,
    kinds: &'static [MunicipalityKind],
    problems: Problems,
}

fn page(ctx: &PageCtx, form: MunicipalityForm, problems: Problems) -> Result<Response, PageError> {
    render(MunicipalityPage {
        page: ctx.page(ctx.t().get("municipality-new-title"), None),
        form,
        kinds: MunicipalityKind::ALL,
        problems,
    })
}

pub async fn new_form(ctx: PageCtx) -> Result<Response, PageError> {
    let form = MunicipalityForm {
        kind: MunicipalityKind::Municipality.as_str().to_owned(),
        ..MunicipalityForm::default()
    };
    page(&ctx, form, Problems::default())
}

/// Adds it and goes on to its first city body; bad input keeps what was
/// typed and says what to fix.
pub async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    Form(fields): Fields,
) -> Result<Response, PageError> {
    let form = MunicipalityForm {
        name: one(&fields, "name"),
        kind: one(&fields, "kind"),
    };
    match (state.app)
        .create_municipality(&acting.user, &acting.roles, &form)
        .await
    {
        Ok(slug) => Ok(Redirect::to(&format!(
            "/city-bodies/new?municipality={slug}&done=municipality-saved"
        ))
        .into_response()),
        Err(Error::Validation(errors)) => {
            let problems = Problems::from_errors(&ctx, &errors);
            Ok(unprocessable(page(&ctx, form, problems)?))
        }
        Err(e) => Err(e.into()),
    }
}
