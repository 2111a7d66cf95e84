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
    #[error("{0}")]
    Conflict(String),
    #[error("internal error: {0}")]
    Internal(String),
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
