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
    BadRequest(String),
    /// A query parameter is missing or malformed.
    #[error("{0}")]
    InvalidParameter(ParameterProblem),
    /// The asker may not do this (or the request was forged).
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    #[error("{0}")]
    Conflict(String),
    /// An edit was made on a version someone else has since replaced.
    #[error("{0}")]
    Stale(String),
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
    #[error("internal error: {0}")]
    Internal(String),
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
            DbError::Conflict { what } => Error::Conflict(what),
            other => Error::Internal(other.to_string()),
        }
    }
}
