use samverkan_db::DbError;

/// What a use case can answer besides success. The web layer maps each kind to
/// a status and a page or JSON body; internal details are logged, never shown.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The named thing does not exist (or is not visible to the asker).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The request is malformed; the message says what to fix.
    #[error("{0}")]
    BadRequest(Message),
    /// A query parameter is missing or malformed.
    #[error("{0}")]
    InvalidParameter(ParameterProblem),
    /// The asker may not do this (or the request was forged).
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    #[error("{0}")]
    Conflict(Message),
    /// An edit was made on a version someone else has since replaced.
    #[error("{0}")]
    Stale(Message),
    /// Form input that does not pass; each field with what is wrong.
    #[error("invalid input: {}", .0.iter().map(|f| format!("{}: {}", f.field, f.message)).collect::<Vec<_>>().join("; "))]
    Validation(Vec<FieldError>),
    /// Wrong e-mail address or password (the same answer for both), or
    /// too many failed attempts.
    #[error("{0}")]
    SignIn(SignInProblem),
    /// Too many attempts at something that sends e-mail; try again later.
    #[error("{0}")]
    Throttled(crate::throttle::Throttled),
    /// Something failed that the asker cannot fix: `context` says what was
    /// being done, `source` is the failure itself (logged with its whole
    /// chain, never shown).
    #[error("internal error: {context}")]
    Internal {
        context: std::borrow::Cow<'static, str>,
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
}

impl Error {
    /// An internal error while doing `context`, caused by `source`.
    pub fn internal(
        context: impl Into<std::borrow::Cow<'static, str>>,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Error {
        Error::Internal {
            context: context.into(),
            source: Some(source.into()),
        }
    }

    /// An internal error with no underlying error to keep (a broken invariant).
    pub fn internal_bare(context: impl Into<std::borrow::Cow<'static, str>>) -> Error {
        Error::Internal {
            context: context.into(),
            source: None,
        }
    }

    /// A 400 whose wording is the catalogue's `code` (English `text` for the API).
    pub fn bad_request(code: &'static str, text: impl Into<String>) -> Error {
        Error::BadRequest(Message::new(code, text))
    }

    /// A 409: the thing is not in a state that allows this.
    pub fn conflict(code: &'static str, text: impl Into<String>) -> Error {
        Error::Conflict(Message::new(code, text))
    }

    /// A 409: the edit was made on a version since replaced.
    pub fn stale(code: &'static str, text: impl Into<String>) -> Error {
        Error::Stale(Message::new(code, text))
    }
}

/// Every [`Message`] code; pages word each as the catalogue's `err-CODE`
/// (a unit test in the web crate checks both languages have them all).
pub const MESSAGE_CODES: &[&str] = &[
    "accession-closed",
    "plan-closed",
    "stale-agreement",
    "stale-text",
    "step-unknown",
    "step-closed",
    "step-needs-decision",
    "step-consult-first",
    "step-no-draft",
    "step-nothing-to-adopt",
    "step-draft-open",
    "step-not-adopted",
    "step-needs-successor",
    "text-under-consultation",
    "text-adopted",
    "stale-activity",
    "term-stale",
    "minutes-approved",
    "meeting-stale",
    "action-item-stale",
    "admin-action-unknown",
    "application-decided",
    "application-declined",
    "body-not-json",
    "conflict-duplicate",
    "conflict-reference",
    "contribution-closed",
    "decision-unknown",
    "demo-data-invalid",
    "email-taken-meanwhile",
    "filter-form",
    "filter-not-a-choice",
    "filter-status",
    "filter-unknown",
    "filter-year",
    "form-unreadable",
    "import-kind-unknown",
    "import-organisation-stale",
    "import-record-stale",
    "invitation-used",
    "last-admin",
    "no-municipality",
    "organisation-stale",
    "own-admin",
    "param-choice",
    "param-empty",
    "param-party",
    "param-range",
    "param-slug",
    "param-year",
    "plan-stale",
    "principle-unknown",
    "proposal-decided",
    "proposal-unnamed",
    "query-malformed",
    "unversioned-record-form",
    "stale-record",
    "answered-remark",
    "remark-unnamed",
    "report-approve-not-submitted",
    "report-correct-not-published",
    "report-handed-in",
    "report-moved",
    "report-not-started",
    "report-publish-not-approved",
    "report-stale",
    "report-submit-not-draft",
    "reports-not-open",
];

/// A refusal a person can read: `code` is the catalogue key pages word it
/// with (its `args` are the message's named arguments), `text` the English
/// sentence the JSON API answers with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub code: &'static str,
    pub args: Vec<(&'static str, String)>,
    pub text: String,
}

impl Message {
    pub fn new(code: &'static str, text: impl Into<String>) -> Message {
        Message {
            code,
            args: Vec::new(),
            text: text.into(),
        }
    }

    /// The message with a named argument for the catalogue's wording.
    pub fn arg(mut self, name: &'static str, value: impl Into<String>) -> Message {
        self.args.push((name, value.into()));
        self
    }
}

impl std::fmt::Display for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// One field's problem: `code` is a catalogue key for pages, `message` the
/// English text for the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub code: &'static str,
    pub message: String,
    /// A value the page's wording names, e.g. the organisation holding a number.
    pub detail: Option<String>,
}

impl FieldError {
    pub fn new(field: &'static str, code: &'static str, message: impl Into<String>) -> FieldError {
        FieldError {
            field,
            code,
            message: message.into(),
            detail: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInProblem {
    WrongCredentials,
    NotConfirmed,
    TooManyAttempts,
}

impl std::fmt::Display for SignInProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            SignInProblem::WrongCredentials => "the e-mail address or the password is wrong",
            SignInProblem::NotConfirmed => {
                "confirm your e-mail address first: follow the link in the message we sent"
            }
            SignInProblem::TooManyAttempts => {
                "too many failed attempts; wait a while and try again"
            }
        })
    }
}

impl SignInProblem {
    pub fn code(self) -> &'static str {
        match self {
            SignInProblem::WrongCredentials => "signin-wrong",
            SignInProblem::NotConfirmed => "signin-not-confirmed",
            SignInProblem::TooManyAttempts => "signin-throttled",
        }
    }
}

/// What is wrong with a query parameter, in a form each front door can word
/// in its own language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParameterProblem {
    pub name: String,
    /// The value given, when one was.
    pub given: Option<String>,
    pub rule: ParameterRule,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParameterRule {
    /// A whole number from 1 up.
    WholeNumber,
    /// The parameter must be present.
    Required,
    /// One of the listed values, e.g. "json or csv".
    OneOf(&'static str),
}

impl std::fmt::Display for ParameterProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name = &self.name;
        match &self.rule {
            ParameterRule::WholeNumber => write!(
                f,
                "the parameter '{name}' must be a whole number from 1 up, e.g. {name}=2"
            )?,
            ParameterRule::Required => {
                write!(f, "the parameter '{name}' is required, e.g. {name}=1")?
            }
            ParameterRule::OneOf(values) => write!(f, "the parameter '{name}' must be {values}")?,
        }
        if let Some(given) = &self.given {
            write!(f, "; got '{given}'")?;
        }
        Ok(())
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<DbError> for Error {
    fn from(err: DbError) -> Self {
        match err {
            DbError::NotFound => Error::NotFound("record"),
            DbError::Conflict { code, what } => Error::conflict(code, what),
            other => Error::internal("database", other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::error::Error as _;

    #[test]
    fn an_internal_error_keeps_its_cause() {
        let io = std::io::Error::new(std::io::ErrorKind::PermissionDenied, "disk says no");
        let err = Error::internal("mail folder", io);
        assert_eq!(err.to_string(), "internal error: mail folder");
        let source = err.source().expect("the cause is kept");
        assert_eq!(source.to_string(), "disk says no");
        assert!(source.downcast_ref::<std::io::Error>().is_some());
    }

    #[test]
    fn a_database_error_keeps_the_driver_error_as_its_cause() {
        let db = DbError::from(sqlx::Error::PoolTimedOut);
        let err = Error::from(db);
        assert!(matches!(err, Error::Internal { .. }));
        let db = err.source().expect("the database error is kept");
        let driver = db.source().expect("the driver error is kept");
        assert!(matches!(
            driver.downcast_ref::<sqlx::Error>(),
            Some(sqlx::Error::PoolTimedOut)
        ));
    }
}
