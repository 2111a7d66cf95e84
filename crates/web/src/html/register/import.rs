//! Importing records of collaboration into an agreement's register from
//! CSV (coordinators): the form (a file or pasted text), the dry run that
//! lists what each row would do, and the confirmation that applies the
//! same text all or nothing. The same shape as the action plan's import.

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
use samverkan_app::csv_rows::{RowProblem, no_progress};
use samverkan_app::register::RECORD_FIELDS;
use samverkan_app::register::import::{
    RECORD_REQUIRED, RecordImportReport, RecordImportRequest, RecordRowReport,
};
use samverkan_app::snapshot::AgreementRecord;
use samverkan_app::{Error, FieldError};

#[derive(Template)]
#[template(path = "register/import.html")]
struct ImportPage<'a> {
    page: Page,
    a: &'a AgreementRecord,
    /// The CSV text as given (pasted, or read from the file).
    text: String,
    report: Option<RecordImportReport>,
    problems: Problems,
}

impl ImportPage<'_> {
    /// Every column of the format, for the explanation.
    fn columns(&self) -> String {
        RECORD_FIELDS.join(",")
    }

    /// The columns a file must have.
    fn required(&self) -> String {
        RECORD_REQUIRED.join(", ")
    }

    /// A problem worded in the page's language when the catalogue has its
    /// code (as the record form words it), else the check's English
    /// message; the flag says which.
    fn problem_text(&self, p: &RowProblem) -> (String, bool) {
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
    fn outcome(&self, row: &RecordRowReport) -> String {
        let t = &self.page.t;
        match &row.outcome {
            Some(o) if row.problems.is_empty() => {
                let key = format!("register-import-outcome-{}", o.key());
                if o.fields().is_empty() {
                    t.get(&key).into_owned()
                } else {
                    t.with(&key, "fields", o.fields().join(", ")).into_owned()
                }
            }
            _ => t.get("register-import-outcome-refused").into_owned(),
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
            t.get("register-import-count-created"),
            r.count("created"),
            t.get("register-import-count-changed"),
            r.count("changed"),
            t.get("register-import-count-unchanged"),
            r.count("unchanged")
        )
    }
}

/// The problems of a report for the error summary: one entry per problem,
/// each naming its line and column, all pointing at the table.
fn report_problems(ctx: &PageCtx, report: &RecordImportReport) -> Problems {
    let t = ctx.t();
    let line = t.get("register-import-line");
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

async fn import_page(
    state: &AppState,
    ctx: &PageCtx,
    slug: &str,
    text: String,
    report: Option<RecordImportReport>,
    problems: Problems,
) -> Result<Response, PageError> {
    let snapshot = state.app.public().await?;
    let a = snapshot.agreement_in(slug, ctx.lang.code())?;
    render(ImportPage {
        page: page_for(ctx, a, "register-import-title", "register"),
        a,
        text,
        report,
        problems,
    })
}

pub async fn import_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    import_page(
        &state,
        &ctx,
        &slug,
        String::new(),
        None,
        Problems::default(),
    )
    .await
}

/// The text of the import form: from `multipart/form-data` (a chosen file
/// wins over pasted text) or from an ordinary form.
async fn read_submitted(state: &AppState, req: Request) -> Result<(Vec<u8>, String), PageError> {
    let is_multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let bad = |e: String| PageError(Error::bad_request("form-unreadable", e));
    let (mut text, mut file) = (String::new(), Vec::new());
    if is_multipart {
        let mut multipart = Multipart::from_request(req, state)
            .await
            .map_err(|e| bad(e.body_text()))?;
        while let Some(field) = multipart
            .next_field()
            .await
            .map_err(|e| bad(e.body_text()))?
        {
            match field.name() {
                Some("csv_text") => text = field.text().await.map_err(|e| bad(e.body_text()))?,
                Some("csv_file") => {
                    file = field
                        .bytes()
                        .await
                        .map_err(|e| bad(e.body_text()))?
                        .to_vec()
                }
                _ => {}
            }
        }
    } else {
        let Form(fields): Fields = Form::from_request(req, state)
            .await
            .map_err(|e| bad(e.body_text()))?;
        text = one(&fields, "csv_text");
    }
    // A chosen file is shown in the box, as the text that will be applied.
    Ok(if file.is_empty() {
        (text.clone().into_bytes(), text)
    } else {
        let text = String::from_utf8_lossy(&file).into_owned();
        (file, text)
    })
}

/// Checks the file or pasted text and shows what each row would do.
pub async fn import_check(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    Path(slug): Path<String>,
    req: Request,
) -> Result<Response, PageError> {
    let (bytes, text) = read_submitted(&state, req).await?;
    let report = if bytes.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        let request = RecordImportRequest {
            agreement: &slug,
            csv: &bytes,
            dry_run: true,
        };
        Some(import(&state, &acting, &request).await?)
    };
    let refused = report.as_ref().is_none_or(RecordImportReport::has_problems);
    checked_page(&state, &ctx, &slug, text, report, refused).await
}

/// Applies the checked text. When a row has a problem now (the register
/// changed since the check), nothing is written and the report is shown again.
pub async fn import_apply(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    Path(slug): Path<String>,
    Form(fields): Fields,
) -> Result<Response, PageError> {
    let text = one(&fields, "csv_text");
    let request = RecordImportRequest {
        agreement: &slug,
        csv: text.as_bytes(),
        dry_run: false,
    };
    let report = import(&state, &acting, &request).await?;
    if report.applied {
        let to = format!("/agreements/{slug}/register?done=imported");
        return Ok(Redirect::to(&to).into_response());
    }
    checked_page(&state, &ctx, &slug, text, Some(report), true).await
}

/// Runs the import (or its dry run) for the signed-in person.
async fn import(
    state: &AppState,
    acting: &Acting,
    request: &RecordImportRequest<'_>,
) -> Result<RecordImportReport, PageError> {
    let (user, roles) = (Some(acting.user.id), Some(&acting.roles));
    let report = (state.app)
        .import_records_csv(user, roles, request, &no_progress)
        .await?;
    Ok(report)
}

/// The import page with what was checked: the report and its problems, or,
/// without a report, that no CSV came; `refused` answers it with 422.
async fn checked_page(
    state: &AppState,
    ctx: &PageCtx,
    slug: &str,
    text: String,
    report: Option<RecordImportReport>,
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
    let res = import_page(state, ctx, slug, text, report, problems).await?;
    Ok(if refused { unprocessable(res) } else { res })
}
