//! Keeping the collaboration register: the new-record form and a record's
//! edit form (refused input comes back with its problems and what was
//! typed; a stale edit with 409 and what is stored now).

use crate::AppState;
use crate::error::PageError;
use crate::html::forms::{Fields, Problems, answer, many, one, unprocessable};
use crate::html::register::{RecordPath, problems_of};
use crate::html::render;
use crate::html::reports::municipality;
use crate::page::{NavAgreement, Page, PageCtx};
use crate::session::Acting;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use samverkan_app::Error;
use samverkan_app::register::{RECORD_FIELDS, RecordForm, RegisterScope, list};
use samverkan_domain::CollaborationForm;

/// Reads the record form: every named field; the principles' checkboxes
/// joined into one list.
fn record_form(fields: &[(String, String)]) -> RecordForm {
    let get = |name: &str| one(fields, name);
    RecordForm {
        body: get("body"),
        form: get("form"),
        title: get("title"),
        description: get("description"),
        outcome: get("outcome"),
        starts_on: get("starts_on"),
        ends_on: get("ends_on"),
        organisations: get("organisations"),
        money: get("money"),
        total: get("total"),
        district: get("district"),
        challenge: get("challenge"),
        activity: get("activity"),
        principles: many(fields, "principles").join("; "),
        version: get("version"),
    }
}

/// A field's canonical text in a form, by its name.
fn value_in<'a>(form: &'a RecordForm, field: &str) -> &'a str {
    match field {
        "body" => &form.body,
        "form" => &form.form,
        "title" => &form.title,
        "description" => &form.description,
        "outcome" => &form.outcome,
        "starts_on" => &form.starts_on,
        "ends_on" => &form.ends_on,
        "organisations" => &form.organisations,
        "money" => &form.money,
        "total" => &form.total,
        "district" => &form.district,
        "challenge" => &form.challenge,
        "activity" => &form.activity,
        "principles" => &form.principles,
        _ => "",
    }
}

/// The fields that hold lists (one item per line in the form, separated
/// by `;` in the stored text).
const LIST_FIELDS: &[&str] = &["organisations", "money", "principles"];

/// A list field as one item per line, as the textareas show it.
fn lines(text: &str) -> String {
    list(text).collect::<Vec<_>>().join("\n")
}

/// A field's text as the stale page compares and shows it.
fn shown_value(field: &str, text: &str) -> String {
    if LIST_FIELDS.contains(&field) {
        lines(text)
    } else {
        text.trim().replace("\r\n", "\n")
    }
}

/// Whether two texts of a field say the same (lists in any order).
fn same(field: &str, a: &str, b: &str) -> bool {
    if LIST_FIELDS.contains(&field) {
        let sorted = |text: &str| {
            let mut items: Vec<String> = list(text).map(|i| i.replace(' ', "")).collect();
            items.sort();
            items
        };
        sorted(a) == sorted(b)
    } else {
        shown_value(field, a) == shown_value(field, b)
    }
}

/// A field's text in words: names instead of slugs, one item per line.
fn readable(register: &RegisterScope, t: &crate::Tr, field: &str, text: &str) -> String {
    let text = text.trim();
    let name_in = |rows: &[(i64, String, String)], slug: &str| {
        rows.iter()
            .find(|r| r.1 == slug)
            .map_or(slug.to_owned(), |r| r.2.clone())
    };
    let refs = &register.refs;
    match field {
        "body" => refs
            .bodies
            .iter()
            .find(|b| b.1 == text)
            .map_or(text.to_owned(), |b| b.2.clone()),
        "form" => CollaborationForm::parse(text)
            .map_or(text.to_owned(), |f| t.label("record-form", f).into_owned()),
        "district" => name_in(&refs.districts, text),
        "challenge" => name_in(&refs.challenges, text),
        "principles" => list(text)
            .map(|p| name_in(&refs.principles, p))
            .collect::<Vec<_>>()
            .join("\n"),
        "activity" => refs
            .activities
            .iter()
            .find(|x| format!("{}/{}", x.plan_slug, x.slug) == text)
            .map_or(text.to_owned(), |x| x.title.clone()),
        _ => shown_value(field, text),
    }
}

/// A field that differs between what is stored now and what was typed.
struct Difference {
    field: &'static str,
    stored: String,
    typed: String,
}

#[derive(Template)]
#[template(path = "register/form.html")]
struct FormPage<'a> {
    page: Page,
    slug: &'a str,
    action: String,
    cancel: String,
    form: RecordForm,
    /// The version an edit started from (or, after a stale edit, the newer one).
    version: Option<i64>,
    /// On a stale edit: the fields stored now that differ from what was typed.
    stale: Option<Vec<Difference>>,
    problems: Problems,
    /// (slug, name): the bodies the person keeps records of.
    bodies: Vec<(String, String)>,
    districts: Vec<(String, String)>,
    challenges: Vec<(String, String)>,
    principles: Vec<(String, String)>,
    /// (`plan/activity`, title and plan); empty when there are too many.
    activities: Vec<(String, String)>,
    /// Whether the activity is asked for as `plan/activity` instead.
    activities_by_key: bool,
}

impl FormPage<'_> {
    fn forms(&self) -> &'static [CollaborationForm] {
        CollaborationForm::ALL
    }

    fn field_label(&self, field: &str) -> String {
        self.page
            .t
            .label("register-field", field.replace('_', "-"))
            .into_owned()
    }

    /// A typed value that is none of a select's choices: shown as a choice
    /// of its own, so refused input comes back as it was typed.
    fn is_unknown(&self, choices: &[(String, String)], value: &str) -> bool {
        let value = value.trim();
        !value.is_empty() && !choices.iter().any(|(k, _)| k == value)
    }

    fn is_unknown_form(&self) -> bool {
        let value = self.form.form.trim();
        !value.is_empty() && CollaborationForm::parse(value).is_err()
    }

    fn has_principle(&self, slug: &str) -> bool {
        list(&self.form.principles).any(|p| p == slug)
    }

    /// A list field one item per line (the stored text separates with `;`).
    fn lines_of(&self, field: &str) -> String {
        lines(value_in(&self.form, field))
    }

    fn value_of(&self, field: &str) -> &str {
        value_in(&self.form, field)
    }

    /// The `aria-describedby` of a field: its hint and its problem.
    fn described(&self, field: &str, hint: bool) -> String {
        let mut ids = Vec::new();
        if hint {
            ids.push(format!("{field}-hint"));
        }
        if self.problems.get(field).is_some() {
            ids.push(format!("{field}-error"));
        }
        ids.join(" ")
    }
}

/// What the form shows besides the page.
#[derive(Default)]
struct FormState {
    form: RecordForm,
    version: Option<i64>,
    stale: Option<Vec<Difference>>,
    problems: Problems,
}

/// The new-record form (`record` is `None`) or a record's edit form.
async fn form_page(
    state: &AppState,
    ctx: &PageCtx,
    acting: &Acting,
    slug: &str,
    record: Option<&RecordPath>,
    register: &RegisterScope,
    shown: FormState,
) -> Result<Response, PageError> {
    let FormState {
        form,
        version,
        stale,
        problems,
    } = shown;
    let snapshot = state.app.public().await?;
    let a = snapshot.agreement_in(slug, ctx.lang.code())?;
    let municipality = &a.summary.municipality.slug;
    let t = ctx.t();
    let (title, action, cancel) = match record {
        Some(at) => (
            t.with("register-edit-title", "title", form.title.as_str())
                .into_owned(),
            format!("{}/edit", at.href()),
            at.href(),
        ),
        None => (
            t.get("register-new-title").into_owned(),
            format!("/agreements/{slug}/register/new"),
            format!("/agreements/{slug}/register"),
        ),
    };
    let page = ctx.page(
        format!("{title} – {}", a.summary.short_name),
        Some(NavAgreement::of(a, "register")),
    );
    let choices = (state.app)
        .record_choices(register, &acting.roles, (slug, municipality), &form.body)
        .await?;
    render(FormPage {
        page,
        slug,
        action,
        cancel,
        version,
        stale,
        problems,
        bodies: choices.bodies,
        districts: choices.districts,
        challenges: choices.challenges,
        principles: choices.principles,
        activities: choices.activities,
        activities_by_key: choices.activities_by_key,
        form,
    })
}

pub async fn new_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    let register = state.app.register_of(&slug).await?;
    form_page(
        &state,
        &ctx,
        &acting,
        &slug,
        None,
        &register,
        FormState::default(),
    )
    .await
}

pub async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    Path(slug): Path<String>,
    axum::extract::Form(fields): Fields,
) -> Result<Response, PageError> {
    let form = RecordForm {
        version: String::new(),
        ..record_form(&fields)
    };
    let municipality = municipality(&state, &slug).await?;
    let register = state.app.register_of(&slug).await?;
    let (user, roles) = (&acting.user, &acting.roles);
    let done = (state.app)
        .create_record(user, roles, &slug, &municipality, &register, &form)
        .await;
    let errors = match done {
        Ok(id) => {
            let to = format!("/agreements/{slug}/register/{id}?done=record-created");
            return Ok(Redirect::to(&to).into_response());
        }
        Err(Error::Validation(errors)) => errors,
        Err(e) => return Err(e.into()),
    };
    let problems = problems_of(&ctx, &errors, |f| f);
    let shown = FormState {
        problems,
        form,
        ..FormState::default()
    };
    let res = form_page(&state, &ctx, &acting, &slug, None, &register, shown).await?;
    Ok(unprocessable(res))
}

pub async fn edit_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    Path(at): Path<RecordPath>,
) -> Result<Response, PageError> {
    let register = state.app.register_of(&at.slug).await?;
    let stored = state.app.record(&register, at.id()?).await?;
    let shown = FormState {
        form: stored.to_form(),
        version: Some(stored.version),
        ..FormState::default()
    };
    form_page(&state, &ctx, &acting, &at.slug, Some(&at), &register, shown).await
}

/// Saves an edit. When someone else saved first, the form comes back with
/// 409, what this person typed, what is stored now, and the newer version
/// to save over deliberately.
pub async fn edit(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    Path(at): Path<RecordPath>,
    axum::extract::Form(fields): Fields,
) -> Result<Response, PageError> {
    let form = record_form(&fields);
    let municipality = municipality(&state, &at.slug).await?;
    let register = state.app.register_of(&at.slug).await?;
    let id = at.id()?;
    let done = (state.app)
        .update_record(&acting.roles, &at.slug, &municipality, &register, id, &form)
        .await;
    let (shown, status) = match done {
        Ok(()) => {
            return Ok(Redirect::to(&format!("{}?done=record-saved", at.href())).into_response());
        }
        Err(e) => edit_refused(&state, &ctx, &register, id, form, e).await?,
    };
    let res = form_page(&state, &ctx, &acting, &at.slug, Some(&at), &register, shown).await?;
    Ok(answer(res, status))
}

/// What the edit form shows when refused: the problems (422), or, for an
/// edit of a replaced version, what is stored now beside what was typed (409).
async fn edit_refused(
    state: &AppState,
    ctx: &PageCtx,
    register: &RegisterScope,
    id: i64,
    form: RecordForm,
    e: Error,
) -> Result<(FormState, StatusCode), PageError> {
    match e {
        Error::Validation(errors) => {
            let shown = FormState {
                problems: problems_of(ctx, &errors, |f| f),
                version: form.version.trim().parse::<i64>().ok(),
                form,
                ..FormState::default()
            };
            Ok((shown, StatusCode::UNPROCESSABLE_ENTITY))
        }
        Error::Stale(_) => {
            let current = state.app.record(register, id).await?;
            let stored = current.to_form();
            let named = state.app.naming(register, &[&stored, &form]).await?;
            let shown = FormState {
                stale: Some(differences(&named, &ctx.t(), &stored, &form)),
                form,
                version: Some(current.version),
                ..FormState::default()
            };
            Ok((shown, StatusCode::CONFLICT))
        }
        e => Err(e.into()),
    }
}

/// The fields where what is stored now differs from what was typed.
fn differences(
    register: &RegisterScope,
    t: &crate::Tr,
    stored: &RecordForm,
    typed: &RecordForm,
) -> Vec<Difference> {
    RECORD_FIELDS
        .iter()
        .filter(|f| **f != "total")
        .filter_map(|f| {
            let (now, typed) = (value_in(stored, f), value_in(typed, f));
            (!same(f, now, typed)).then(|| Difference {
                field: f,
                stored: readable(register, t, f, now),
                typed: readable(register, t, f, typed),
            })
        })
        .collect()
}
