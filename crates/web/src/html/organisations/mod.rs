//! The organisation register: the public directory with filters and an
//! organisation's page.

pub(super) mod claim;
pub(super) mod members;

use crate::AppState;
use crate::error::PageError;
use crate::html::forms::{Fields, Problems, many, number, one, unprocessable};
use crate::html::pager::Pager;
use crate::html::render;
use crate::page::{Page, PageCtx};
use crate::query::Params;
use crate::session::{Acting, SignedIn};
use askama::Template;
use axum::extract::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::response::{IntoResponse, Redirect};
use samverkan_app::Error;
use samverkan_app::organisations::OrganisationForm;
use samverkan_app::organisations::claim::Claimable;
use samverkan_app::organisations::directory::{DirectoryQuery, Sort};
use samverkan_app::views::{District, Municipality, Organisation};
use samverkan_domain::LegalForm;

/// A challenge to filter by: (slug, name).
type Choice = (String, String);

#[derive(Template)]
#[template(path = "organisations/directory.html")]
struct DirectoryTemplate<'a> {
    page: Page,
    q: DirectoryQuery,
    items: Vec<Organisation>,
    total: usize,
    page_no: usize,
    pages: usize,
    challenges: Vec<Choice>,
    districts: &'a [District],
    legal_forms: &'static [LegalForm],
}

impl DirectoryTemplate<'_> {
    /// The pager of the directory, the search and filters kept.
    fn pager(&self) -> Pager {
        Pager::new(self.page_no, self.pages, |n| {
            format!("/organisations{}", self.q.href_for_page(n))
        })
    }

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
    let result = state.app.directory(&q).await?;
    let challenges = challenge_choices(&snapshot);
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
    notice: Option<String>,
    /// The signed-in visitor is a member / an administrator.
    member: bool,
    admin: bool,
    /// Whether a visitor may claim it (it has no members), and how.
    claimable: Claimable,
    /// Someone is signed in (a claim is asked for signed in).
    signed_in: bool,
    /// Why a claim was refused, when it was.
    refusal: Option<String>,
}

pub async fn organisation(
    State(state): State<AppState>,
    ctx: PageCtx,
    params: Params,
    signed_in: Option<SignedIn>,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    let notice = crate::html::forms::notice(&ctx, &params, &["saved", "claim-sent"]);
    let user = signed_in.map(|SignedIn(u)| u);
    organisation_page(&state, &ctx, user, &slug, (notice, None)).await
}

/// The organisation's page for `user` (none when signed out), with a
/// notice, or the reason a claim was refused.
pub(super) async fn organisation_page(
    state: &AppState,
    ctx: &PageCtx,
    user: Option<samverkan_app::accounts::CurrentUser>,
    slug: &str,
    (notice, refusal): (Option<String>, Option<String>),
) -> Result<Response, PageError> {
    let o = &state.app.organisation(slug).await?;
    let roles = match &user {
        Some(u) => Some(state.app.roles(u).await?),
        None => None,
    };
    render(OrganisationTemplate {
        page: ctx.page(o.name.clone(), None),
        o,
        notice,
        member: roles.as_ref().is_some_and(|r| r.is_member_of(slug)),
        admin: roles.as_ref().is_some_and(|r| r.is_admin_of(slug)),
        claimable: state.app.claimable(slug).await?,
        signed_in: user.is_some(),
        refusal,
    })
}

#[derive(Template)]
#[template(path = "organisations/new.html")]
struct NewTemplate<'a> {
    page: Page,
    action: String,
    /// The stored version an edit is made on; none for a new organisation.
    version: Option<i64>,
    /// Someone else saved the profile meanwhile.
    stale: bool,
    form: OrganisationForm,
    problems: Problems,
    challenges: Vec<Choice>,
    districts: &'a [District],
    legal_forms: &'static [LegalForm],
    municipalities: &'a [Municipality],
}

impl NewTemplate<'_> {
    fn is_municipality(&self, slug: &str) -> bool {
        self.form.municipality == slug
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

/// Where the profile form posts and what it edits.
struct FormTarget {
    title: String,
    action: String,
    version: Option<i64>,
    stale: bool,
}

impl FormTarget {
    fn new_organisation(ctx: &PageCtx) -> FormTarget {
        FormTarget {
            title: ctx.t().get("org-new-title").into_owned(),
            action: "/organisations/new".into(),
            version: None,
            stale: false,
        }
    }
}

async fn new_page(
    state: &AppState,
    ctx: &PageCtx,
    target: FormTarget,
    form: OrganisationForm,
    problems: Problems,
) -> Result<Response, PageError> {
    let snapshot = state.app.public().await?;
    render(NewTemplate {
        page: ctx.page(target.title, None),
        action: target.action,
        version: target.version,
        stale: target.stale,
        form,
        problems,
        challenges: challenge_choices(&snapshot),
        districts: &snapshot.districts,
        legal_forms: LegalForm::ALL,
        municipalities: &snapshot.municipalities,
    })
}

pub async fn new_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    _: SignedIn,
) -> Result<Response, PageError> {
    new_page(
        &state,
        &ctx,
        FormTarget::new_organisation(&ctx),
        OrganisationForm::default(),
        Problems::default(),
    )
    .await
}

fn profile_form(fields: &[(String, String)]) -> OrganisationForm {
    OrganisationForm {
        name: one(fields, "name"),
        org_number: one(fields, "org_number"),
        legal_form: one(fields, "legal_form"),
        description: one(fields, "description"),
        website: one(fields, "website"),
        contact_email: one(fields, "contact_email"),
        municipality: one(fields, "municipality"),
        districts: many(fields, "district"),
        challenges: many(fields, "challenge"),
    }
}

pub async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(user): SignedIn,
    Form(fields): Fields,
) -> Result<Response, PageError> {
    let form = profile_form(&fields);
    match state.app.create_organisation(&user, &form).await {
        Ok(slug) => Ok(Redirect::to(&format!("/organisations/{slug}")).into_response()),
        Err(Error::Validation(errors)) => {
            let problems = Problems::from_errors(&ctx, &errors);
            let target = FormTarget::new_organisation(&ctx);
            Ok(unprocessable(
                new_page(&state, &ctx, target, form, problems).await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

fn edit_target(ctx: &PageCtx, slug: &str, name: &str, version: i64, stale: bool) -> FormTarget {
    FormTarget {
        title: ctx.t().with("org-edit-title", "name", name).into_owned(),
        action: format!("/organisations/{slug}/edit"),
        version: Some(version),
        stale,
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    let stored = state
        .app
        .editable_organisation(&acting.roles, &slug)
        .await?;
    let target = edit_target(&ctx, &slug, &stored.form.name, stored.version, false);
    new_page(&state, &ctx, target, stored.form, Problems::default()).await
}

/// Saves the profile. On a stale version the form comes back with what was
/// typed, the newer version to save over and a note of what happened.
pub async fn edit(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    Path(slug): Path<String>,
    Form(fields): Fields,
) -> Result<Response, PageError> {
    let form = profile_form(&fields);
    let version = number(&fields, "version").unwrap_or(0);
    match state
        .app
        .update_organisation(&acting.user, &acting.roles, &slug, version, &form)
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/organisations/{slug}?done=saved")).into_response()),
        Err(Error::Validation(errors)) => {
            let problems = Problems::from_errors(&ctx, &errors);
            let target = edit_target(&ctx, &slug, &form.name, version, false);
            Ok(unprocessable(
                new_page(&state, &ctx, target, form, problems).await?,
            ))
        }
        Err(Error::Stale(_)) => {
            let stored = state
                .app
                .editable_organisation(&acting.roles, &slug)
                .await?;
            let target = edit_target(&ctx, &slug, &form.name, stored.version, true);
            let mut res = new_page(&state, &ctx, target, form, Problems::default()).await?;
            *res.status_mut() = StatusCode::CONFLICT;
            Ok(res)
        }
        Err(e) => Err(e.into()),
    }
}
