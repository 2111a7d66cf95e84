//! Documents: a file served with safe headers (`/documents/{id}/{name}`),
//! and the coordinators' form that attaches one to a decision, a plan or a
//! meeting of the working group.
//! The rules (who, what kind, how large) are `app::documents`'.

use crate::AppState;
use crate::error::PageError;
use crate::html::agreements::page_for;
use crate::html::forms::{Problems, notice, one, read_form, refused};
use crate::html::render;
use crate::page::{Page, PageCtx};
use crate::query::Params;
use crate::session::Acting;
use askama::Template;
use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use samverkan_app::Error;
use samverkan_app::documents::{DocumentOwner, DocumentRef, StoredDocument, percent_encode};

/// How long a browser or proxy may keep a public document: a stored file
/// never changes (a new file is a new document), so a day.
const PUBLIC_MAX_AGE_SECS: u32 = 86_400;

/// Serves a document's bytes: to anyone when its owner is public, else to
/// the agreement's coordinators only (404 for others, as if it were not
/// there). A path whose name is not the document's is sent to the right one.
pub async fn serve(
    State(state): State<AppState>,
    acting: Option<Acting>,
    headers: HeaderMap,
    Path((id, name)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let id: i64 = id.parse().map_err(|_| Error::NotFound("document"))?;
    let stored = state
        .app
        .stored_document(id)
        .await?
        .filter(|d| d.readable_by(acting.as_ref().map(|a| &a.roles)))
        .ok_or(Error::NotFound("document"))?;
    if name != stored.doc.file_name {
        return Ok(Redirect::permanent(&stored.doc.url).into_response());
    }
    Ok(file_response(&stored, &headers))
}

/// The answer carrying the file: its detected type, a download (in place
/// only for PDF and images), no sniffing, a sandbox around it, an ETag from
/// its digest.
fn file_response(stored: &StoredDocument, request: &HeaderMap) -> Response {
    let etag = format!("\"{}\"", stored.sha256);
    let cache = if stored.public {
        format!("public, max-age={PUBLIC_MAX_AGE_SECS}")
    } else {
        "private, no-store".to_owned()
    };
    let disposition = format!(
        "{}; filename=\"{}\"; filename*=UTF-8''{}",
        if stored.doc.kind.inline() {
            "inline"
        } else {
            "attachment"
        },
        ascii_fallback(&stored.doc.file_name),
        percent_encode(&stored.doc.file_name)
    );
    let not_modified = request
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag));
    let mut res = if not_modified {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        Body::from(stored.content.clone()).into_response()
    };
    let set = [
        (header::CONTENT_TYPE, stored.doc.media_type.clone()),
        (header::CONTENT_DISPOSITION, disposition),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
        (
            header::CONTENT_SECURITY_POLICY,
            "sandbox; default-src 'none'".to_owned(),
        ),
        (header::ETAG, etag),
        (header::CACHE_CONTROL, cache),
    ];
    for (name, value) in set {
        if let Ok(value) = HeaderValue::from_str(&value) {
            res.headers_mut().insert(name, value);
        }
    }
    res
}

/// The file name in plain ASCII for `filename="…"` (older clients): every
/// other character as `_` (the name is already free of quotes and control
/// characters, `safe_file_name`).
fn ascii_fallback(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// What the form is attaching to, as the page names it.
struct Target {
    owner: DocumentOwner,
    /// The owner's title (the decision's, the plan's).
    title: String,
    /// Where the form posts.
    action: String,
    /// Where the owner is shown.
    back: String,
    /// The navigation entry of the owner's page.
    nav: &'static str,
    /// The notice after a file is attached (`?done=`).
    done: &'static str,
}

#[derive(Template)]
#[template(path = "documents/attach.html")]
struct AttachPage {
    page: Page,
    target: Target,
    documents: Vec<DocumentRef>,
    /// The title as typed.
    title: String,
    problems: Problems,
    /// The largest file, worded ("20 MB").
    limit: String,
    /// "Attached", after the redirect.
    notice: Option<String>,
}

impl AttachPage {
    /// The file chooser's `accept`: the kinds' extensions and media types
    /// (a hint to the browser; the content decides).
    fn accept(&self) -> String {
        samverkan_domain::DocumentKind::ALL
            .iter()
            .flat_map(|k| [format!(".{}", k.extension()), k.media_type().to_owned()])
            .collect::<Vec<_>>()
            .join(",")
    }
}

async fn decision_target(
    state: &AppState,
    slug: &str,
    decision: &str,
) -> Result<Target, PageError> {
    let id: i64 = decision.parse().map_err(|_| Error::NotFound("decision"))?;
    let owner = state.app.decision_owner(slug, id).await?;
    let snapshot = state.app.public().await?;
    let title = snapshot
        .agreement(slug)?
        .decisions
        .iter()
        .find(|d| d.id == id)
        .map(|d| d.title.clone())
        .ok_or(Error::NotFound("decision"))?;
    Ok(Target {
        owner,
        title,
        action: format!("/agreements/{slug}/decisions/{id}/documents"),
        back: format!("/agreements/{slug}/decisions#decision-{id}"),
        nav: "decisions",
        done: "document-attached",
    })
}

async fn version_target(state: &AppState, slug: &str, number: &str) -> Result<Target, PageError> {
    let number: i32 = number.parse().map_err(|_| Error::NotFound("version"))?;
    let owner = state.app.version_owner(slug, number).await?;
    let snapshot = state.app.public().await?;
    let title = (snapshot.agreement(slug)?.versions.iter())
        .find(|v| v.version.number == number)
        .map(|v| format!("{} ({number})", v.version.label))
        .ok_or(Error::NotFound("version"))?;
    Ok(Target {
        owner,
        title,
        action: format!("/agreements/{slug}/versions/{number}/documents"),
        back: format!("/agreements/{slug}/versions#version-{number}"),
        nav: "text",
        done: "document-attached",
    })
}

async fn plan_target(state: &AppState, slug: &str, plan: &str) -> Result<Target, PageError> {
    let owner = state.app.plan_owner(slug, plan).await?;
    let snapshot = state.app.public().await?;
    let title = snapshot
        .agreement(slug)?
        .plan(plan)
        .map(|p| p.title.clone())
        .ok_or(Error::NotFound("plan"))?;
    Ok(Target {
        owner,
        title,
        action: format!("/agreements/{slug}/plans/{plan}/documents"),
        back: format!("/agreements/{slug}/plans/{plan}#documents"),
        nav: "plans",
        done: "document-attached",
    })
}

async fn meeting_target(state: &AppState, slug: &str, meeting: &str) -> Result<Target, PageError> {
    let id: i64 = meeting.parse().map_err(|_| Error::NotFound("meeting"))?;
    let snapshot = state.app.public().await?;
    let a = snapshot.agreement(slug)?;
    let owner = state.app.meeting_owner(a, id).await?;
    let title = state.app.meeting(None, a, id).await?.meeting.title;
    Ok(Target {
        owner,
        title,
        action: format!("/agreements/{slug}/working-group/meetings/{id}/documents"),
        back: format!("/agreements/{slug}/working-group/meetings/{id}#documents-h"),
        nav: "contact",
        done: "meeting-document-attached",
    })
}

async fn attach_page(
    state: &AppState,
    ctx: &PageCtx,
    slug: &str,
    target: Target,
    (title, problems): (String, Problems),
    notice: Option<String>,
) -> Result<Response, PageError> {
    let snapshot = state.app.public().await?;
    let a = snapshot.agreement_in(slug, ctx.lang.code())?;
    let documents = state.app.documents_of(target.owner).await?;
    let mut page = page_for(ctx, a, "documents-attach-title", target.nav);
    page.title = format!("{}: {}", page.title, target.title);
    render(AttachPage {
        page,
        target,
        documents,
        title,
        problems,
        limit: samverkan_app::documents::size_text(state.app.max_document_bytes()),
        notice,
    })
}

pub async fn decision_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    params: Params,
    Path((slug, decision)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let target = decision_target(&state, &slug, &decision).await?;
    let done = notice(&ctx, &params, &["document-attached"]);
    let blank = (String::new(), Problems::default());
    attach_page(&state, &ctx, &slug, target, blank, done).await
}

pub async fn version_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    params: Params,
    Path((slug, number)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let target = version_target(&state, &slug, &number).await?;
    let done = notice(&ctx, &params, &["document-attached"]);
    let blank = (String::new(), Problems::default());
    attach_page(&state, &ctx, &slug, target, blank, done).await
}

pub async fn plan_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    params: Params,
    Path((slug, plan)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let target = plan_target(&state, &slug, &plan).await?;
    let done = notice(&ctx, &params, &["document-attached"]);
    let blank = (String::new(), Problems::default());
    attach_page(&state, &ctx, &slug, target, blank, done).await
}

pub async fn meeting_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    params: Params,
    Path((slug, meeting)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let target = meeting_target(&state, &slug, &meeting).await?;
    let done = notice(&ctx, &params, &[target.done]);
    let blank = (String::new(), Problems::default());
    attach_page(&state, &ctx, &slug, target, blank, done).await
}

pub async fn attach_to_decision(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    Path((slug, decision)): Path<(String, String)>,
    req: Request,
) -> Result<Response, PageError> {
    let target = decision_target(&state, &slug, &decision).await?;
    attach(&state, &ctx, &acting, &slug, target, req).await
}

pub async fn attach_to_version(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    Path((slug, number)): Path<(String, String)>,
    req: Request,
) -> Result<Response, PageError> {
    let target = version_target(&state, &slug, &number).await?;
    attach(&state, &ctx, &acting, &slug, target, req).await
}

pub async fn attach_to_plan(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    Path((slug, plan)): Path<(String, String)>,
    req: Request,
) -> Result<Response, PageError> {
    let target = plan_target(&state, &slug, &plan).await?;
    attach(&state, &ctx, &acting, &slug, target, req).await
}

pub async fn attach_to_meeting(
    State(state): State<AppState>,
    ctx: PageCtx,
    acting: Acting,
    Path((slug, meeting)): Path<(String, String)>,
    req: Request,
) -> Result<Response, PageError> {
    let target = meeting_target(&state, &slug, &meeting).await?;
    attach(&state, &ctx, &acting, &slug, target, req).await
}

/// Reads the form, attaches the file, and goes back to where the owner is
/// shown; a refused file shows the form again with the title kept.
async fn attach(
    state: &AppState,
    ctx: &PageCtx,
    acting: &Acting,
    slug: &str,
    target: Target,
    req: Request,
) -> Result<Response, PageError> {
    let form = read_upload(req).await?;
    let attached = state
        .app
        .attach_document(
            &acting.user,
            &acting.roles,
            target.owner,
            &form.title,
            &form.file_name,
            &form.bytes,
        )
        .await;
    match attached {
        Ok(_) => {
            let to = format!("{}?done={}", target.action, target.done);
            Ok(Redirect::to(&to).into_response())
        }
        Err(e) => {
            let (problems, how) = refused(ctx, e, None)?;
            let typed = (form.title, problems);
            let res = attach_page(state, ctx, slug, target, typed, None).await?;
            Ok(how.to(res))
        }
    }
}

/// The upload form as sent.
struct Upload {
    title: String,
    file_name: String,
    bytes: Vec<u8>,
}

/// Reads the upload form; only the fields `title` and `file` are read.
async fn read_upload(req: Request) -> Result<Upload, PageError> {
    let (fields, file) = read_form(req, "file").await?;
    Ok(Upload {
        title: one(&fields, "title"),
        file_name: file.name,
        bytes: file.bytes,
    })
}
