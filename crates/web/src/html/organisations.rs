//! The organisation register: the public directory with filters and an
//! organisation's page.

use super::account::{Problem, problems};
use super::render;
use crate::AppState;
use crate::error::PageError;
use crate::page::{Page, PageCtx};
use crate::query::Params;
use crate::session::SignedIn;
use askama::Template;
use axum::extract::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::response::{IntoResponse, Redirect};
use samverkan_app::Error;
use samverkan_app::directory::{DirectoryQuery, Sort};
use samverkan_app::organisations::OrganisationForm;
use samverkan_app::views::{District, Organisation};
use samverkan_domain::LegalForm;

/// A challenge to filter by: (slug, name).
type Choice = (String, String);

#[derive(Template)]
#[template(path = "organisations/directory.html")]
struct DirectoryTemplate<'a> {
    page: Page,
    q: DirectoryQuery,
    items: Vec<&'a Organisation>,
    total: usize,
    page_no: usize,
    pages: usize,
    challenges: Vec<Choice>,
    districts: &'a [District],
    legal_forms: &'static [LegalForm],
}

impl DirectoryTemplate<'_> {
    fn is_challenge(&self, slug: &str) -> bool {
        self.q.challenge.as_deref() == Some(slug)
    }
    fn is_district(&self, slug: &str) -> bool {
        self.q.district.as_deref() == Some(slug)
    }
    fn is_form(&self, form: &LegalForm) -> bool {
        self.q.legal_form == Some(*form)
    }
    fn joined_is(&self, value: &str) -> bool {
        match self.q.joined {
            Some(true) => value == "yes",
            Some(false) => value == "no",
            None => value.is_empty(),
        }
    }
    fn newest(&self) -> bool {
        self.q.sort == Sort::Newest
    }
}

pub async fn directory(
    State(state): State<AppState>,
    ctx: PageCtx,
    params: Params,
) -> Result<Response, PageError> {
    let snapshot = state.app.public().await?;
    let q = DirectoryQuery::parse(&params.0, &snapshot)?;
    let result = snapshot.directory(&q);
    let mut challenges: Vec<Choice> = Vec::new();
    for a in &snapshot.agreements {
        for c in &a.challenges {
            if !challenges.iter().any(|(s, _)| s == &c.slug) {
                challenges.push((c.slug.clone(), c.name.clone()));
            }
        }
    }
    render(DirectoryTemplate {
        page: ctx.page(ctx.t().get("organisations-title"), None),
        items: result.items,
        total: result.total,
        page_no: result.page,
        pages: result.pages,
        q,
        challenges,
        districts: &snapshot.districts,
        legal_forms: LegalForm::ALL,
    })
}

#[derive(Template)]
#[template(path = "organisations/organisation.html")]
struct OrganisationTemplate<'a> {
    page: Page,
    o: &'a Organisation,
}

pub async fn organisation(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    let snapshot = state.app.public().await?;
    let o = snapshot.organisation(&slug)?;
    render(OrganisationTemplate {
        page: ctx.page(o.name.clone(), None),
        o,
    })
}

#[derive(Template)]
#[template(path = "organisations/new.html")]
struct NewTemplate<'a> {
    page: Page,
    form: OrganisationForm,
    problems: Vec<Problem>,
    challenges: Vec<Choice>,
    districts: &'a [District],
    legal_forms: &'static [LegalForm],
}

impl NewTemplate<'_> {
    fn problem(&self, field: &str) -> Option<&str> {
        self.problems
            .iter()
            .find(|p| p.field == field)
            .map(|p| p.text.as_str())
    }
    fn has_district(&self, slug: &str) -> bool {
        self.form.districts.iter().any(|d| d == slug)
    }
    fn has_challenge(&self, slug: &str) -> bool {
        self.form.challenges.iter().any(|c| c == slug)
    }
    fn is_form(&self, form: &LegalForm) -> bool {
        self.form.legal_form == form.as_str()
    }
}

fn challenge_choices(snapshot: &samverkan_app::PublicSnapshot) -> Vec<Choice> {
    let mut choices: Vec<Choice> = Vec::new();
    for a in &snapshot.agreements {
        for c in &a.challenges {
            if !choices.iter().any(|(s, _)| s == &c.slug) {
                choices.push((c.slug.clone(), c.name.clone()));
            }
        }
    }
    choices
}

async fn new_page(
    state: &AppState,
    ctx: &PageCtx,
    form: OrganisationForm,
    problems: Vec<Problem>,
) -> Result<Response, PageError> {
    let snapshot = state.app.public().await?;
    render(NewTemplate {
        page: ctx.page(ctx.t().get("org-new-title"), None),
        form,
        problems,
        challenges: challenge_choices(&snapshot),
        districts: &snapshot.districts,
        legal_forms: LegalForm::ALL,
    })
}

pub async fn new_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    _: SignedIn,
) -> Result<Response, PageError> {
    new_page(&state, &ctx, OrganisationForm::default(), Vec::new()).await
}

pub async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(user): SignedIn,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let one = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let many = |name: &str| {
        fields
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect::<Vec<_>>()
    };
    let form = OrganisationForm {
        name: one("name"),
        org_number: one("org_number"),
        legal_form: one("legal_form"),
        description: one("description"),
        website: one("website"),
        contact_email: one("contact_email"),
        districts: many("district"),
        challenges: many("challenge"),
    };
    match state.app.create_organisation(&user, &form).await {
        Ok(slug) => Ok(Redirect::to(&format!("/organisations/{slug}")).into_response()),
        Err(Error::Validation(errors)) => {
            let problems = problems(&ctx, &errors);
            let mut res = new_page(&state, &ctx, form, problems).await?;
            *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(res)
        }
        Err(e) => Err(e.into()),
    }
}
