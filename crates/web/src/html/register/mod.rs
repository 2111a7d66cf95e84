//! The collaboration register on the web: the agreement's register with its
//! filters and key figures, a record's page, and the remarks organisations
//! named on a record write (and the keepers' answers). The record form is in
//! `register/forms.rs`.

pub(super) mod forms;
pub(super) mod import;

use crate::AppState;
use crate::access::{Access, allows_register};
use crate::error::PageError;
use crate::html::agreements::page_for;
use crate::html::forms::{Fields, Problem, Problems, answer, notice, number, one, unprocessable};
use crate::html::pager::Pager;
use crate::html::render;
use crate::page::{Page, PageCtx};
use crate::query::Params;
use crate::session::Acting;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use samverkan_app::register::page::RegisterFigures;
use samverkan_app::register::{Record, RecordFilter, RecordRights, Remark, RemarkForm};
use samverkan_app::snapshot::AgreementRecord;
use samverkan_app::{Error, FieldError};
use samverkan_domain::{CollaborationForm, RemarkKind};

/// The path of a record: `/agreements/{slug}/register/{record}`.
#[derive(Debug, serde::Deserialize)]
pub struct RecordPath {
    pub slug: String,
    pub record: String,
}

impl RecordPath {
    /// The record's id; anything but a number names no record.
    pub fn id(&self) -> Result<i64, Error> {
        self.record.parse().map_err(|_| Error::NotFound("record"))
    }

    pub fn href(&self) -> String {
        format!("/agreements/{}/register/{}", self.slug, self.record)
    }
}

/// The register's problems worded in the page's language: `field-{code}`
/// with the detail, except that a missing body or date has its own wording
/// and the sum that does not add up names both figures as money.
/// `rename` maps a use case's field to the id of the page's field.
pub fn problems_of(
    ctx: &PageCtx,
    errors: &[FieldError],
    rename: fn(&'static str) -> &'static str,
) -> Problems {
    let t = ctx.t();
    Problems(
        errors
            .iter()
            .map(|e| {
                let key = format!("field-{}", e.code);
                let detail = e.detail.as_deref().map(str::trim);
                let text = match (e.code, detail) {
                    ("record-money-sum", Some(d)) => {
                        let (sum, total) = d.split_once('|').unwrap_or((d, ""));
                        let money = |n: &str| n.parse::<i64>().map_or(n.to_owned(), |n| t.sek(n));
                        format!(
                            "{} {}",
                            t.with(&key, "detail", money(sum)),
                            t.with("register-money-sum-total", "total", money(total))
                        )
                    }
                    ("record-body" | "record-date", Some("")) => {
                        t.get(&format!("register-{}-missing", e.code)).into_owned()
                    }
                    (_, Some(d)) => t.with(&key, "detail", d).into_owned(),
                    (_, None) => t.get(&key).into_owned(),
                };
                Problem {
                    field: rename(e.field),
                    text,
                }
            })
            .collect(),
    )
}

/// The agreement's municipality (the key of its city bodies).
fn municipality(a: &AgreementRecord) -> &str {
    &a.summary.municipality.slug
}

/// Whether the person may add records to the agreement's register (the
/// permission table's own rule, so the link shows exactly when it works).
pub fn may_keep(acting: Option<&Acting>, slug: &str, municipality: &str) -> bool {
    acting.is_some_and(|x| {
        allows_register(Access::RegisterKeeper, &x.roles, slug, municipality, None)
    })
}

#[derive(Template)]
#[template(path = "register/index.html")]
struct IndexPage<'a> {
    page: Page,
    slug: &'a str,
    records: Vec<Record>,
    chosen: RecordFilter,
    /// The chosen year, when one is.
    year: Option<i32>,
    figures: RegisterFigures,
    /// (slug, name)
    bodies: Vec<(String, String)>,
    years: Vec<i32>,
    /// (slug, name and number); empty when there are too many to list.
    organisations: Vec<(String, String)>,
    organisations_by_slug: bool,
    page_no: usize,
    pages: usize,
    keeper: bool,
    /// A coordinator of the agreement (may import records).
    coordinator: bool,
    /// The chosen filter as a query string (for the open-data links).
    query: String,
    notice: Option<String>,
}

impl IndexPage<'_> {
    /// The pager of the records, the filter kept.
    fn pager(&self) -> Pager {
        Pager::new(self.page_no, self.pages, |n| self.href_for_page(n))
    }

    fn forms(&self) -> &'static [CollaborationForm] {
        CollaborationForm::ALL
    }

    fn any_chosen(&self) -> bool {
        !self.query.is_empty()
    }

    /// "Showing 51–100 of 1,234 records." on a page of several.
    fn shown_range(&self) -> String {
        let per_page = samverkan_app::register::page::RECORDS_PER_PAGE as usize;
        let from = (self.page_no - 1) * per_page + 1;
        let to = from + self.records.len().saturating_sub(1);
        let t = &self.page.t;
        t.with_args(
            "register-shown-range",
            &[
                ("from", from.to_string()),
                ("to", to.to_string()),
                ("count", self.figures.records.to_string()),
            ],
        )
        .into_owned()
    }

    /// This page's address for page `n` of the same filter.
    fn href_for_page(&self, n: usize) -> String {
        let sep = if self.query.is_empty() { "?" } else { "&" };
        let query = if self.query.is_empty() {
            String::new()
        } else {
            format!("?{}", self.query)
        };
        format!("/agreements/{}/register{query}{sep}page={n}", self.slug)
    }

    /// The money a row shows: the chosen year's, or the whole period's.
    fn money_of(&self, r: &Record) -> i64 {
        self.year.map_or(r.total_sek, |y| r.amount_in(y))
    }

    fn is_year(&self, y: &i32) -> bool {
        self.year == Some(*y)
    }
}

/// The filter of the query string, each value trimmed.
fn filter_of(params: &Params) -> RecordFilter {
    let get = |name: &str| {
        params
            .0
            .get(name)
            .map(|v| v.trim().to_owned())
            .unwrap_or_default()
    };
    RecordFilter {
        body: get("body"),
        form: get("form"),
        year: get("year"),
        organisation: get("organisation"),
    }
}

pub async fn index(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Option<Acting>,
    params: Params,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    let snapshot = state.app.public().await?;
    let a = snapshot.agreement_in(&slug, ctx.lang.code())?;
    let register = state.app.register_of(&slug).await?;
    let view = state
        .app
        .register_index(&register, filter_of(&params), params.page_number()?)
        .await?;
    render(IndexPage {
        page: page_for(&ctx, a, "register-page-title", "register"),
        slug: &slug,
        query: query_of(&view.chosen),
        records: view.records,
        chosen: view.chosen,
        year: view.year,
        figures: view.figures,
        bodies: view.bodies,
        years: view.years,
        organisations: view.organisations,
        organisations_by_slug: view.organisations_by_slug,
        page_no: view.page,
        pages: view.pages,
        keeper: may_keep(acting.as_ref(), &slug, municipality(a)),
        coordinator: acting.as_ref().is_some_and(|x| x.roles.coordinates(&slug)),
        notice: notice(&ctx, &params, &["imported"]),
    })
}

/// The chosen filter as a query string (only the values chosen).
fn query_of(chosen: &RecordFilter) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(
            [
                ("body", &chosen.body),
                ("form", &chosen.form),
                ("year", &chosen.year),
                ("organisation", &chosen.organisation),
            ]
            .into_iter()
            .filter(|(_, v)| !v.is_empty()),
        )
        .finish()
}

/// What the record page's remark form shows: what was typed and its problems.
#[derive(Default)]
pub struct RemarkState {
    pub form: RemarkForm,
    pub problems: Problems,
}

/// An answer that was refused: the remark, what was typed, and why.
pub struct AnswerState {
    pub remark: i64,
    pub response: String,
    pub problem: String,
}

#[derive(Template)]
#[template(path = "register/record.html")]
struct RecordPage<'a> {
    page: Page,
    slug: &'a str,
    r: Record,
    rights: RecordRights,
    remarks: Vec<Remark>,
    /// The organisations on the record the person may write for: (slug, name).
    writes_for: Vec<(String, String)>,
    remark: RemarkState,
    answer: Option<AnswerState>,
    notice: Option<String>,
    /// A refusal shown at the top (a remark answered already).
    refusal: Option<String>,
}

impl RecordPage<'_> {
    fn kinds(&self) -> &'static [RemarkKind] {
        RemarkKind::ALL
    }

    /// The text typed into the answer form of a remark, if it was refused.
    fn answer_typed(&self, remark: &i64) -> &str {
        self.answer
            .as_ref()
            .filter(|a| a.remark == *remark)
            .map_or("", |a| a.response.as_str())
    }

    fn answer_problem(&self, remark: &i64) -> Option<&str> {
        self.answer
            .as_ref()
            .filter(|a| a.remark == *remark)
            .map(|a| a.problem.as_str())
    }

    fn paragraphs<'b>(&self, text: &'b str) -> Vec<&'b str> {
        text.split("\n\n")
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect()
    }
}

/// What the record page shows besides the record: the remark form's and an
/// answer's state, a notice after a redirect, and a refusal.
#[derive(Default)]
pub struct RecordShown {
    pub remark: RemarkState,
    pub answer: Option<AnswerState>,
    pub notice: Option<String>,
    pub refusal: Option<String>,
}

/// Builds a record's page for the person (or a visitor).
pub async fn record_page(
    state: &AppState,
    ctx: &PageCtx,
    acting: Option<&Acting>,
    at: &RecordPath,
    shown: RecordShown,
) -> Result<Response, PageError> {
    let snapshot = state.app.public().await?;
    let a = snapshot.agreement_in(&at.slug, ctx.lang.code())?;
    let register = state.app.register_of(&at.slug).await?;
    let r = state.app.record(&register, at.id()?).await?;
    let roles = acting.map(|x| &x.roles);
    let rights = state
        .app
        .record_rights(roles, &at.slug, municipality(a), &r);
    let remarks = state.app.remarks(roles, rights, &r).await?;
    let writes_for = roles.map_or_else(Vec::new, |roles| writes_for(roles, &r));
    let mut page = page_for(ctx, a, "register-page-title", "register");
    page.title = format!("{} – {}", r.title, a.summary.short_name);
    render(RecordPage {
        page,
        slug: &at.slug,
        r,
        rights,
        remarks,
        writes_for,
        remark: shown.remark,
        answer: shown.answer,
        notice: shown.notice,
        refusal: shown.refusal,
    })
}

/// The organisations on the record the person may write for: (slug, name).
fn writes_for(roles: &samverkan_app::roles::Roles, r: &Record) -> Vec<(String, String)> {
    r.organisations
        .iter()
        .filter(|o| roles.is_member_of(&o.slug))
        .map(|o| (o.slug.clone(), o.name.clone()))
        .collect()
}

pub async fn record(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Option<Acting>,
    params: Params,
    Path(at): Path<RecordPath>,
) -> Result<Response, PageError> {
    let shown = RecordShown {
        notice: notice(
            &ctx,
            &params,
            &[
                "record-created",
                "record-saved",
                "remark-added",
                "remark-answered",
            ],
        ),
        ..RecordShown::default()
    };
    record_page(&state, &ctx, acting.as_ref(), &at, shown).await
}

/// The remark form's fields have ids of their own on the record page.
fn remark_field(field: &'static str) -> &'static str {
    match field {
        "kind" => "remark-kind",
        "body" => "remark-body",
        _ => "remark-organisation",
    }
}

/// An organisation named on the record comments on it or flags a mistake;
/// refused input comes back on the record page with what was typed.
pub async fn add_remark(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    Path(at): Path<RecordPath>,
    axum::extract::Form(fields): Fields,
) -> Result<Response, PageError> {
    let form = RemarkForm {
        organisation: one(&fields, "organisation"),
        kind: one(&fields, "kind"),
        body: one(&fields, "body"),
    };
    let register = state.app.register_of(&at.slug).await?;
    let r = state.app.record(&register, at.id()?).await?;
    let (user, roles) = (&acting.user, &acting.roles);
    let errors = match state.app.add_remark(user, roles, &r, &form).await {
        Ok(()) => {
            let to = format!("{}?done=remark-added#remarks", at.href());
            return Ok(Redirect::to(&to).into_response());
        }
        Err(Error::Validation(errors)) => errors,
        Err(e) => return Err(e.into()),
    };
    let problems = problems_of(&ctx, &errors, remark_field);
    let shown = RecordShown {
        remark: RemarkState { problems, form },
        ..RecordShown::default()
    };
    let res = record_page(&state, &ctx, Some(&acting), &at, shown).await?;
    Ok(unprocessable(res))
}

/// A keeper answers a remark, once: a second answer is refused (409) with
/// the page showing the answer given.
pub async fn answer_remark(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    Path(at): Path<RecordPath>,
    axum::extract::Form(fields): Fields,
) -> Result<Response, PageError> {
    let remark = number(&fields, "remark")
        .ok_or_else(|| Error::bad_request("remark-unnamed", "name the remark to answer"))?;
    let response = one(&fields, "response");
    let snapshot = state.app.public().await?;
    let a = snapshot.agreement_in(&at.slug, ctx.lang.code())?;
    let register = state.app.register_of(&at.slug).await?;
    let r = state.app.record(&register, at.id()?).await?;
    let roles = Some(&acting.roles);
    let rights = state
        .app
        .record_rights(roles, &at.slug, municipality(a), &r);
    let done = (state.app)
        .answer_remark(&acting.user, rights, &r, remark, &response)
        .await;
    let (shown, status) = match done {
        Ok(()) => {
            let to = format!("{}?done=remark-answered#remarks", at.href());
            return Ok(Redirect::to(&to).into_response());
        }
        Err(e) => answer_refused(&ctx, remark, response, e)?,
    };
    let res = record_page(&state, &ctx, Some(&acting), &at, shown).await?;
    Ok(answer(res, status))
}

/// What the record page shows when an answer is refused: the problem at the
/// answer's form (422), or that the remark was answered already (409).
fn answer_refused(
    ctx: &PageCtx,
    remark: i64,
    response: String,
    e: Error,
) -> Result<(RecordShown, StatusCode), PageError> {
    match e {
        Error::Validation(errors) => {
            let problem = problems_of(ctx, &errors, |f| f)
                .0
                .into_iter()
                .map(|p| p.text)
                .collect::<Vec<_>>()
                .join(" ");
            let answer = AnswerState {
                remark,
                response,
                problem,
            };
            let shown = RecordShown {
                answer: Some(answer),
                ..RecordShown::default()
            };
            Ok((shown, StatusCode::UNPROCESSABLE_ENTITY))
        }
        Error::Conflict(_) => {
            let shown = RecordShown {
                refusal: Some(ctx.t().get("register-answer-taken").into_owned()),
                ..RecordShown::default()
            };
            Ok((shown, StatusCode::CONFLICT))
        }
        e => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use crate::i18n::{Lang, Tr};
    use samverkan_domain::{CollaborationForm, RemarkKind};

    /// Every problem code of the register's use cases, every form and every
    /// kind of remark has its wording in both languages.
    #[test]
    fn every_register_code_and_label_is_worded() {
        let source = include_str!("../../../../app/src/register/mod.rs");
        let mut keys: Vec<String> = source
            .split('"')
            .skip(1)
            .step_by(2)
            .filter(|s| {
                (s.starts_with("record-") || s.starts_with("remark-"))
                    && s.chars().all(|c| c.is_ascii_lowercase() || c == '-')
            })
            .map(|code| format!("field-{code}"))
            .collect();
        assert!(keys.len() >= 20, "found the codes: {keys:?}");
        keys.extend(
            CollaborationForm::ALL
                .iter()
                .map(|f| format!("record-form-{f}")),
        );
        keys.extend(
            RemarkKind::ALL
                .iter()
                .map(|k| format!("register-remark-kind-{k}")),
        );
        keys.extend(
            samverkan_app::register::RECORD_FIELDS
                .iter()
                .map(|f| format!("register-field-{}", f.replace('_', "-"))),
        );
        for lang in Lang::ALL {
            let t = Tr::new(lang);
            let missing: Vec<_> = keys.iter().filter(|k| !t.has(k)).collect();
            assert!(missing.is_empty(), "{lang:?} lacks {missing:?}");
        }
    }
}
