//! Importing activities and progress updates from CSV (coordinators): the
//! form (a file or pasted text), the dry run that lists what each row would
//! do, and the confirmation that applies the same text all or nothing.

use crate::AppState;
use crate::error::PageError;
use crate::html::agreements::page_for;
use crate::html::forms::{Fields, Problem, Problems, one, unprocessable};
use crate::html::render;
use crate::page::{Page, PageCtx};
use crate::session::Acting;
use askama::Template;
use axum::extract::{Form, FromRequest, Multipart, Path, Request, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use samverkan_app::plans::activities::Author;
use samverkan_app::plans::import::{
    ImportKind, ImportReport, ImportRequest, RowReport, no_progress,
};
use samverkan_app::snapshot::AgreementRecord;
use samverkan_app::{Error, FieldError};

#[derive(Template)]
#[template(path = "plans/import.html")]
struct ImportPage<'a> {
    page: Page,
    a: &'a AgreementRecord,
    plan: &'a str,
    plan_title: &'a str,
    kind: ImportKind,
    /// The CSV text as given (pasted, or read from the file).
    text: String,
    report: Option<ImportReport>,
    problems: Problems,
}

impl ImportPage<'_> {
    fn kind_is(&self, kind: &str) -> bool {
        self.kind.as_str() == kind
    }

    /// The columns of a format, for the explanation.
    fn columns(&self, kind: &str) -> String {
        ImportKind::parse(kind)
            .map(|k| k.columns().join(","))
            .unwrap_or_default()
    }

    /// A problem worded in the page's language when the catalogue has its
    /// code (as the forms word it), else the check's English message; the
    /// flag says which.
    fn problem_text(&self, p: &samverkan_app::plans::import::RowProblem) -> (String, bool) {
        let t = &self.page.t;
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

    /// What a row does, in the page's language.
    fn outcome(&self, row: &RowReport) -> String {
        let t = &self.page.t;
        match &row.outcome {
            Some(o) if row.problems.is_empty() => {
                let key = format!("import-outcome-{}", o.key().replace('_', "-"));
                if o.fields().is_empty() {
                    t.get(&key).into_owned()
                } else {
                    t.with(&key, "fields", o.fields().join(", ")).into_owned()
                }
            }
            _ => t.get("import-outcome-refused").into_owned(),
        }
    }

    /// How many rows would be written.
    fn summary(&self) -> String {
        let Some(r) = &self.report else {
            return String::new();
        };
        let t = &self.page.t;
        match r.kind {
            ImportKind::Activities => format!(
                "{}: {}, {}: {}, {}: {}",
                t.get("import-count-created"),
                r.count("created"),
                t.get("import-count-changed"),
                r.count("changed"),
                t.get("import-count-unchanged"),
                r.count("unchanged")
            ),
            ImportKind::Updates => format!(
                "{}: {}, {}: {}",
                t.get("import-count-added"),
                r.count("added"),
                t.get("import-count-already-there"),
                r.count("already_there")
            ),
        }
    }
}

/// The problems of a report for the error summary: one entry per problem,
/// each naming its line and column, all pointing at the table.
fn report_problems(ctx: &PageCtx, report: &ImportReport) -> Problems {
    let t = ctx.t();
    let line = t.get("import-line");
    let mut out = Vec::new();
    for p in &report.file_problems {
        out.push(Problem {
            field: "report",
            text: format!("{line} 1, {}: {}", p.field, p.message),
        });
    }
    for row in &report.rows {
        for p in &row.problems {
            out.push(Problem {
                field: "report",
                text: format!("{line} {}, {}: {}", row.line, p.field, p.message),
            });
        }
    }
    Problems(out)
}

/// What the import form shows besides the plan: the kind and text chosen,
/// and what a check found.
struct Shown {
    kind: ImportKind,
    text: String,
    report: Option<ImportReport>,
    problems: Problems,
}

impl Shown {
    /// A fresh form: activities, nothing typed or checked yet.
    fn fresh() -> Shown {
        Shown {
            kind: ImportKind::Activities,
            text: String::new(),
            report: None,
            problems: Problems::default(),
        }
    }
}

async fn import_page(
    state: &AppState,
    ctx: &PageCtx,
    (slug, plan): (&str, &str),
    shown: Shown,
) -> Result<Response, PageError> {
    let Shown {
        kind,
        text,
        report,
        problems,
    } = shown;
    let snapshot = state.app.public().await?;
    let a = snapshot.agreement_in(slug, ctx.lang.code())?;
    let p = a.plan(plan).ok_or(Error::NotFound("plan"))?;
    render(ImportPage {
        page: page_for(ctx, a, "import-title", "plans"),
        a,
        plan,
        plan_title: &p.title,
        kind,
        text,
        report,
        problems,
    })
}

pub async fn import_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((slug, plan)): Path<(String, String)>,
) -> Result<Response, PageError> {
    import_page(&state, &ctx, (&slug, &plan), Shown::fresh()).await
}

/// The fields of the import form: from `multipart/form-data` (with a file)
/// or from an ordinary form.
struct Submitted {
    kind: String,
    text: String,
    file: Vec<u8>,
}

async fn read_submitted(state: &AppState, req: Request) -> Result<Submitted, PageError> {
    let is_multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let bad = |e: String| PageError(Error::bad_request("form-unreadable", e));
    if !is_multipart {
        let Form(fields): Fields = Form::from_request(req, state)
            .await
            .map_err(|e| bad(e.body_text()))?;
        return Ok(Submitted {
            kind: one(&fields, "kind"),
            text: one(&fields, "csv_text"),
            file: Vec::new(),
        });
    }
    let mut multipart = Multipart::from_request(req, state)
        .await
        .map_err(|e| bad(e.body_text()))?;
    let mut out = Submitted {
        kind: String::new(),
        text: String::new(),
        file: Vec::new(),
    };
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| bad(e.body_text()))?
    {
        match field.name() {
            Some("kind") => out.kind = field.text().await.map_err(|e| bad(e.body_text()))?,
            Some("csv_text") => out.text = field.text().await.map_err(|e| bad(e.body_text()))?,
            Some("csv_file") => {
                out.file = field
                    .bytes()
                    .await
                    .map_err(|e| bad(e.body_text()))?
                    .to_vec()
            }
            _ => {}
        }
    }
    Ok(out)
}

impl Submitted {
    /// The CSV and the text shown in the box: a chosen file wins over
    /// pasted text.
    fn csv(self) -> (Vec<u8>, String) {
        if self.file.is_empty() {
            (self.text.clone().into_bytes(), self.text)
        } else {
            let text = String::from_utf8_lossy(&self.file).into_owned();
            (self.file, text)
        }
    }
}

fn author(acting: &Acting) -> Author {
    Author {
        user_id: Some(acting.user.id),
        name: acting.user.display_name.clone(),
    }
}

/// Checks the file or pasted text and shows what each row would do.
pub async fn import_check(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    Path((slug, plan)): Path<(String, String)>,
    req: Request,
) -> Result<Response, PageError> {
    let submitted = read_submitted(&state, req).await?;
    let kind = ImportKind::parse(&submitted.kind).unwrap_or(ImportKind::Activities);
    let (bytes, text) = submitted.csv();
    let report = if bytes.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        let request = ImportRequest {
            kind,
            agreement: &slug,
            plan: &plan,
            csv: &bytes,
            dry_run: true,
        };
        Some(import(&state, &acting, &request).await?)
    };
    let refused = report.as_ref().is_none_or(ImportReport::has_problems);
    checked_page(&state, &ctx, (&slug, &plan), (kind, text), report, refused).await
}

/// Imports the checked text, all or nothing; refused, the page comes back
/// with the problems.
pub async fn import_apply(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    Path((slug, plan)): Path<(String, String)>,
    Form(fields): Fields,
) -> Result<Response, PageError> {
    let kind = ImportKind::parse(&one(&fields, "kind")).ok_or(Error::bad_request(
        "import-kind-unknown",
        "the kind of import is 'activities' or 'updates'",
    ))?;
    let text = one(&fields, "csv_text");
    let request = ImportRequest {
        kind,
        agreement: &slug,
        plan: &plan,
        csv: text.as_bytes(),
        dry_run: false,
    };
    let report = import(&state, &acting, &request).await?;
    if report.applied {
        let to = format!("/agreements/{slug}/plans/{plan}?done=imported");
        return Ok(Redirect::to(&to).into_response());
    }
    checked_page(
        &state,
        &ctx,
        (&slug, &plan),
        (kind, text),
        Some(report),
        true,
    )
    .await
}

/// Runs the import (or its dry run) for the signed-in person.
async fn import(
    state: &AppState,
    acting: &Acting,
    request: &ImportRequest<'_>,
) -> Result<ImportReport, PageError> {
    let roles = Some(&acting.roles);
    let report = (state.app)
        .import_plan_csv(&author(acting), roles, request, &no_progress)
        .await?;
    Ok(report)
}

/// The import page with what was checked: the report and its problems, or,
/// without a report, that no CSV came; `refused` answers it with 422.
async fn checked_page(
    state: &AppState,
    ctx: &PageCtx,
    (slug, plan): (&str, &str),
    (kind, text): (ImportKind, String),
    report: Option<ImportReport>,
    refused: bool,
) -> Result<Response, PageError> {
    let problems = match &report {
        Some(report) => report_problems(ctx, report),
        None => {
            let errors = [FieldError::new(
                "csv_text",
                "import-nothing",
                "choose a file or paste CSV",
            )];
            Problems::from_errors(ctx, &errors)
        }
    };
    let shown = Shown {
        kind,
        text,
        report,
        problems,
    };
    let res = import_page(state, ctx, (slug, plan), shown).await?;
    Ok(if refused { unprocessable(res) } else { res })
}
