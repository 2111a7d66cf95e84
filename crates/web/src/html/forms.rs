//! What the form handlers share: reading fields (only the named ones are
//! read, so an extra field such as `role` or `approved` is ignored), the
//! problems a form shows, and the notice after a redirect.

use crate::page::PageCtx;
use axum::http::StatusCode;
use axum::response::Response;
use samverkan_app::FieldError;

/// The submitted fields in order (a name may repeat, as with checkboxes).
pub type Fields = axum::extract::Form<Vec<(String, String)>>;

/// The first value of `name`, or empty.
pub fn one(fields: &[(String, String)], name: &str) -> String {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

/// Every value of `name`.
pub fn many(fields: &[(String, String)], name: &str) -> Vec<String> {
    fields
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .collect()
}

/// A whole number from a field; `None` when it is not one.
pub fn number(fields: &[(String, String)], name: &str) -> Option<i64> {
    one(fields, name).trim().parse().ok()
}

/// A field's problem worded in the page's language.
pub struct Problem {
    pub field: &'static str,
    pub text: String,
}

/// A form's problems, worded in the page's language: the catalogue entry
/// `field-{code}`, with the error's detail where it names one.
#[derive(Default)]
pub struct Problems(pub Vec<Problem>);

impl Problems {
    pub fn from_errors(ctx: &PageCtx, errors: &[FieldError]) -> Problems {
        let t = ctx.t();
        Problems(
            errors
                .iter()
                .map(|e| {
                    let key = format!("field-{}", e.code);
                    let text = match &e.detail {
                        Some(detail) => t.with(&key, "detail", detail.as_str()),
                        None => t.get(&key),
                    };
                    Problem {
                        field: e.field,
                        text: text.into_owned(),
                    }
                })
                .collect(),
        )
    }

    /// The same problems, all shown at one field (for a form whose field is
    /// named differently from the use case's).
    pub fn for_field(self, field: &'static str) -> Problems {
        Problems(
            self.0
                .into_iter()
                .map(|p| Problem {
                    field,
                    text: p.text,
                })
                .collect(),
        )
    }

    /// The problem of one field, if it has one.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|p| p.field == field)
            .map(|p| p.text.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Problem> {
        self.0.iter()
    }
}

/// The notice named by `?done=` after a redirect, if it is one of `allowed`.
pub fn notice(ctx: &PageCtx, params: &crate::query::Params, allowed: &[&str]) -> Option<String> {
    let done = params.0.get("done")?;
    allowed
        .contains(&done.as_str())
        .then(|| ctx.t().get(&format!("notice-{done}")).into_owned())
}

/// Marks a re-rendered form as refused input.
/// A form refused for too many attempts: its page (with what was typed and
/// the problem shown at `field`) answered 429 with `Retry-After`.
pub fn too_many(mut res: Response, t: samverkan_app::throttle::Throttled) -> Response {
    *res.status_mut() = StatusCode::TOO_MANY_REQUESTS;
    res.headers_mut().insert(
        axum::http::header::RETRY_AFTER,
        axum::http::HeaderValue::from(t.retry_after_secs),
    );
    res
}

impl Problems {
    /// "Too many attempts; try again in N minutes", at `field`.
    pub fn throttled(
        ctx: &PageCtx,
        t: samverkan_app::throttle::Throttled,
        field: &'static str,
    ) -> Problems {
        Problems(vec![Problem {
            field,
            text: ctx
                .t()
                .with("throttled", "minutes", t.minutes())
                .into_owned(),
        }])
    }
}

pub fn unprocessable(mut res: Response) -> Response {
    *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    res
}

impl<'a> IntoIterator for &'a Problems {
    type Item = &'a Problem;
    type IntoIter = std::slice::Iter<'a, Problem>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

/// How a form's page built again after a refusal is answered: each form has
/// one render path, and its refused branches differ only in what they show
/// and this.
#[derive(Debug, Clone, Copy)]
pub struct Answer {
    status: StatusCode,
    /// For too many attempts: when to try again.
    throttled: Option<samverkan_app::throttle::Throttled>,
}

impl Answer {
    pub fn new(status: StatusCode) -> Answer {
        Answer {
            status,
            throttled: None,
        }
    }

    /// The page answered with this status (and `Retry-After`).
    pub fn to(self, res: Response) -> Response {
        match self.throttled {
            Some(t) => too_many(res, t),
            None => answer(res, self.status),
        }
    }
}

/// The problems a refused form shows for the refusals every form shares:
/// field problems (422), and, for a form that may cause mail, too many
/// attempts (429, shown at `throttled_at`). Any other error goes to the
/// error page.
pub fn refused(
    ctx: &PageCtx,
    e: samverkan_app::Error,
    throttled_at: Option<&'static str>,
) -> Result<(Problems, Answer), crate::error::PageError> {
    match e {
        samverkan_app::Error::Validation(errors) => Ok((
            Problems::from_errors(ctx, &errors),
            Answer::new(StatusCode::UNPROCESSABLE_ENTITY),
        )),
        samverkan_app::Error::Throttled(t) if let Some(field) = throttled_at => Ok((
            Problems::throttled(ctx, t, field),
            Answer {
                status: StatusCode::TOO_MANY_REQUESTS,
                throttled: Some(t),
            },
        )),
        e => Err(e.into()),
    }
}

/// The 409 of a refused change (changed meanwhile, or a rule refused it)
/// with its reason worded; any other error as [`refused`] answers it.
pub fn refusal_or_problems(
    ctx: &PageCtx,
    e: samverkan_app::Error,
) -> Result<(Option<String>, Problems, Answer), crate::error::PageError> {
    match e {
        samverkan_app::Error::Stale(m) | samverkan_app::Error::Conflict(m) => Ok((
            Some(crate::error::word(&ctx.t(), &m)),
            Problems::default(),
            Answer::new(StatusCode::CONFLICT),
        )),
        e => {
            let (problems, answer) = refused(ctx, e, None)?;
            Ok((None, problems, answer))
        }
    }
}

/// A form's page built again after a refusal, answered with `status` (422
/// for field problems, 409 when the object changed meanwhile).
pub fn answer(mut res: Response, status: StatusCode) -> Response {
    *res.status_mut() = status;
    res
}

/// A file sent with a form: its name as the browser gave it, and its bytes
/// (empty when none was chosen).
#[derive(Debug, Default)]
pub struct SentFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Reads a form sent either as `application/x-www-form-urlencoded` or as
/// `multipart/form-data` (the body limit has bounded it already): its text
/// fields in order, and the file of the field `file_field`, if any.
pub async fn read_form(
    req: axum::extract::Request,
    file_field: &str,
) -> Result<(Vec<(String, String)>, SentFile), crate::error::PageError> {
    use axum::extract::FromRequest;
    let bad = |e: String| {
        crate::error::PageError(samverkan_app::Error::bad_request("form-unreadable", e))
    };
    let content_type = req
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let Some(boundary) = content_type
        .starts_with("multipart/form-data")
        .then(|| multer::parse_boundary(&content_type).ok())
        .flatten()
    else {
        let axum::extract::Form(fields): Fields = axum::extract::Form::from_request(req, &())
            .await
            .map_err(|e| bad(e.body_text()))?;
        return Ok((fields, SentFile::default()));
    };
    let mut multipart = multer::Multipart::new(req.into_body().into_data_stream(), boundary);
    let (mut fields, mut file) = (Vec::new(), SentFile::default());
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| bad(e.to_string()))?
    {
        let name = field.name().unwrap_or_default().to_owned();
        if name == file_field {
            file.name = field.file_name().unwrap_or_default().to_owned();
            file.bytes = field
                .bytes()
                .await
                .map_err(|e| bad(e.to_string()))?
                .to_vec();
        } else {
            let value = field.text().await.map_err(|e| bad(e.to_string()))?;
            fields.push((name, value));
        }
    }
    Ok((fields, file))
}
