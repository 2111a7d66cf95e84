//! Importing the directory from CSV: a municipality's city bodies (those
//! who keep the city bodies) and organisations (platform administrators).
//! The form (a file or pasted text), the dry run that lists what each row
//! would do with its problems in the page's language, and the confirmation
//! that applies the same text all or nothing: the shape of the register's
//! and the action plan's imports, one page for both kinds.

use crate::AppState;
use crate::error::PageError;
use crate::html::forms::{Fields, Problem, Problems, SentFile, one, read_form, unprocessable};
use crate::html::render;
use crate::page::{Page, PageCtx};
use crate::query::Params;
use crate::session::Acting;
use askama::Template;
use axum::extract::{Form, Request, State};
use axum::response::{IntoResponse, Redirect, Response};
use samverkan_app::agreements::body_import::{BODY_FIELDS, BODY_REQUIRED, BodyImportRequest};
use samverkan_app::csv_rows::{EntryReport, EntryRow, RowProblem, no_progress};
use samverkan_app::organisations::import::{ORG_FIELDS, ORG_REQUIRED, OrganisationImportRequest};
use samverkan_app::views::Municipality;
use samverkan_app::{Error, FieldError};

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Bodies,
    Organisations,
}

impl Kind {
    /// The form's address; the confirmation's is this with `/apply`.
    fn path(self) -> &'static str {
        match self {
            Kind::Bodies => "/city-bodies/import",
            Kind::Organisations => "/organisations/import",
        }
    }

    /// The start of the catalogue keys that differ by kind.
    fn key(self) -> &'static str {
        match self {
            Kind::Bodies => "bodies",
            Kind::Organisations => "organisations",
        }
    }
}

#[derive(Template)]
#[template(path = "directory/import.html")]
struct ImportPage {
    page: Page,
    kind: Kind,
    /// The municipality the bodies go into, as chosen.
    municipality: String,
    municipalities: Vec<Municipality>,
    /// The CSV text as given (pasted, or read from the file).
    text: String,
    report: Option<EntryReport>,
    problems: Problems,
}

impl ImportPage {
    fn is_bodies(&self) -> bool {
        self.kind == Kind::Bodies
    }

    /// A catalogue text of this kind: `directory-import-{kind}-{what}`.
    fn kind_text(&self, what: &str) -> String {
        let key = format!("directory-import-{}-{what}", self.kind.key());
        self.page.t.get(&key).into_owned()
    }

    fn action(&self) -> &'static str {
        self.kind.path()
    }

    /// Every column of the format, for the explanation.
    fn columns(&self) -> String {
        match self.kind {
            Kind::Bodies => BODY_FIELDS.join(","),
            Kind::Organisations => ORG_FIELDS.join(","),
        }
    }

    /// The columns a file must have.
    fn required(&self) -> String {
        match self.kind {
            Kind::Bodies => BODY_REQUIRED.join(", "),
            Kind::Organisations => ORG_REQUIRED.join(", "),
        }
    }

    /// The page of the entry a row that passed stands for: the one it
    /// matches, or, once `applied`, the one it made.
    fn entry_href(&self, row: &EntryRow, applied: bool) -> Option<String> {
        let slug = row.slug.as_deref()?;
        let outcome = row.outcome.as_ref()?;
        if outcome.key() == "created" && !applied {
            return None;
        }
        Some(match self.kind {
            Kind::Bodies => format!("/city-bodies/{}/{slug}", self.municipality),
            Kind::Organisations => format!("/organisations/{slug}"),
        })
    }

    /// A problem in the page's language where the catalogue words its
    /// code, else the check's English message; the flag says which.
    fn problem_text(&self, p: &RowProblem) -> (String, bool) {
        worded(&self.page.t, p)
    }

    /// What a row does, in the page's language.
    fn outcome(&self, row: &EntryRow) -> String {
        let t = &self.page.t;
        match &row.outcome {
            Some(o) if row.problems.is_empty() => {
                let key = format!("directory-import-outcome-{}", o.key());
                if o.fields().is_empty() {
                    t.get(&key).into_owned()
                } else {
                    t.with(&key, "fields", o.fields().join(", ")).into_owned()
                }
            }
            _ => t.get("directory-import-outcome-refused").into_owned(),
        }
    }

    /// How many rows would be written.
    fn summary(&self) -> String {
        let Some(r) = &self.report else {
            return String::new();
        };
        let t = &self.page.t;
        format!(
            "{}: {}, {}: {}, {}: {}",
            t.get("directory-import-count-created"),
            r.count("created"),
            t.get("directory-import-count-changed"),
            r.count("changed"),
            t.get("directory-import-count-unchanged"),
            r.count("unchanged")
        )
    }
}

/// A problem worded from the catalogue's `field-{code}` (with its detail),
/// or its English message when the catalogue has none; the flag says which.
fn worded(t: &crate::i18n::Tr, p: &RowProblem) -> (String, bool) {
    let key = format!("field-{}", p.code);
    if !t.has(&key) {
        return (p.message.clone(), false);
    }
    let text = match &p.detail {
        Some(d) => t.with(&key, "detail", d.as_str()),
        None => t.get(&key),
    };
    (text.into_owned(), true)
}

/// The problems of a report for the error summary: one entry per problem,
/// each naming its line and column in the page's language, all pointing at
/// the table.
fn report_problems(ctx: &PageCtx, report: &EntryReport) -> Problems {
    let t = ctx.t();
    let line = t.get("directory-import-line");
    let file = report.file_problems.iter().map(|p| (1, p));
    let rows = (report.rows.iter()).flat_map(|r| r.problems.iter().map(move |p| (r.line, p)));
    Problems(
        file.chain(rows)
            .map(|(n, p)| Problem {
                field: "report",
                text: format!("{line} {n}, {}: {}", p.field, worded(&t, p).0),
            })
            .collect(),
    )
}

/// What the page shows besides the form's structure.
struct Shown {
    municipality: String,
    text: String,
    report: Option<EntryReport>,
    problems: Problems,
}

async fn import_page(
    state: &AppState,
    ctx: &PageCtx,
    kind: Kind,
    shown: Shown,
) -> Result<Response, PageError> {
    let snapshot = state.app.public().await?;
    let key = format!("directory-import-{}-title", kind.key());
    render(ImportPage {
        page: ctx.page(ctx.t().get(&key), None),
        kind,
        municipality: shown.municipality,
        municipalities: snapshot.municipalities.clone(),
        text: shown.text,
        report: shown.report,
        problems: shown.problems,
    })
}

/// The empty form (for city bodies, with `?municipality=` chosen).
async fn import_form(
    state: &AppState,
    ctx: &PageCtx,
    kind: Kind,
    params: &Params,
) -> Result<Response, PageError> {
    let shown = Shown {
        municipality: params.0.get("municipality").cloned().unwrap_or_default(),
        text: String::new(),
        report: None,
        problems: Problems::default(),
    };
    import_page(state, ctx, kind, shown).await
}

/// Runs the import (or its dry run) for the signed-in person; an unknown
/// municipality is the field's problem.
async fn run(
    state: &AppState,
    acting: &Acting,
    kind: Kind,
    municipality: &str,
    csv: &[u8],
    dry_run: bool,
) -> Result<Result<EntryReport, Vec<FieldError>>, PageError> {
    let (user, roles) = (Some(acting.user.id), Some(&acting.roles));
    let result = match kind {
        Kind::Bodies => {
            let request = BodyImportRequest {
                municipality,
                csv,
                dry_run,
            };
            (state.app)
                .import_city_bodies_csv(user, roles, &request, &no_progress)
                .await
        }
        Kind::Organisations => {
            let request = OrganisationImportRequest { csv, dry_run };
            (state.app)
                .import_organisations_csv(user, roles, &request, &no_progress)
                .await
        }
    };
    match result {
        Ok(report) => Ok(Ok(report)),
        Err(Error::Validation(errors)) => Ok(Err(errors)),
        Err(e) => Err(e.into()),
    }
}

/// Checks the file or pasted text and shows what each row would do.
async fn import_check(
    state: &AppState,
    ctx: &PageCtx,
    acting: &Acting,
    kind: Kind,
    req: Request,
) -> Result<Response, PageError> {
    let (fields, file) = read_form(req, "csv_file").await?;
    let municipality = one(&fields, "municipality");
    // A chosen file is shown in the box, as the text that will be applied.
    let (bytes, text) = match file {
        SentFile { bytes, .. } if !bytes.is_empty() => {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            (bytes, text)
        }
        _ => {
            let text = one(&fields, "csv_text");
            (text.clone().into_bytes(), text)
        }
    };
    let result = if bytes.iter().all(u8::is_ascii_whitespace) {
        Err(vec![FieldError::new(
            "csv_text",
            "import-nothing",
            "choose a file or paste CSV",
        )])
    } else {
        run(state, acting, kind, &municipality, &bytes, true).await?
    };
    checked_page(state, ctx, kind, municipality, text, result).await
}

/// Applies the checked text. When a row has a problem now (the directory
/// changed since the check), nothing is written and the report is shown
/// again.
async fn import_apply(
    state: &AppState,
    ctx: &PageCtx,
    acting: &Acting,
    kind: Kind,
    fields: &[(String, String)],
) -> Result<Response, PageError> {
    let municipality = one(fields, "municipality");
    let text = one(fields, "csv_text");
    let result = run(state, acting, kind, &municipality, text.as_bytes(), false).await?;
    if let Ok(report) = &result
        && report.applied
    {
        let to = match kind {
            Kind::Bodies => format!("/city-bodies?municipality={municipality}"),
            Kind::Organisations => "/organisations".to_owned(),
        };
        return Ok(Redirect::to(&to).into_response());
    }
    checked_page(state, ctx, kind, municipality, text, result).await
}

/// The import page with what was checked: the report and its problems, or
/// the form's problems; answered with 422 when anything stops the import.
async fn checked_page(
    state: &AppState,
    ctx: &PageCtx,
    kind: Kind,
    municipality: String,
    text: String,
    result: Result<EntryReport, Vec<FieldError>>,
) -> Result<Response, PageError> {
    let (report, problems, refused) = match result {
        Ok(report) => {
            let problems = report_problems(ctx, &report);
            let refused = report.has_problems();
            (Some(report), problems, refused)
        }
        Err(errors) => (None, Problems::from_errors(ctx, &errors), true),
    };
    let shown = Shown {
        municipality,
        text,
        report,
        problems,
    };
    let res = import_page(state, ctx, kind, shown).await?;
    Ok(if refused { unprocessable(res) } else { res })
}

pub async fn bodies_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    params: Params,
) -> Result<Response, PageError> {
    import_form(&state, &ctx, Kind::Bodies, &params).await
}

pub async fn bodies_check(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    req: Request,
) -> Result<Response, PageError> {
    import_check(&state, &ctx, &acting, Kind::Bodies, req).await
}

pub async fn bodies_apply(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    Form(fields): Fields,
) -> Result<Response, PageError> {
    import_apply(&state, &ctx, &acting, Kind::Bodies, &fields).await
}

pub async fn organisations_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    params: Params,
) -> Result<Response, PageError> {
    import_form(&state, &ctx, Kind::Organisations, &params).await
}

pub async fn organisations_check(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    req: Request,
) -> Result<Response, PageError> {
    import_check(&state, &ctx, &acting, Kind::Organisations, req).await
}

pub async fn organisations_apply(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    Form(fields): Fields,
) -> Result<Response, PageError> {
    import_apply(&state, &ctx, &acting, Kind::Organisations, &fields).await
}
