/// What can go wrong below the application layer, by kind rather than by
/// driver message. Unique and foreign-key violations are told apart by the
/// error kind, not by constraint name (SQLite names none).
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("not found")]
    NotFound,
    /// `code` is the catalogue key pages word it with, `what` the English text.
    #[error("conflict: {what}")]
    Conflict { code: &'static str, what: String },
    #[error("stored value is invalid: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// Any other driver error, kept as the source so logs show the chain.
    #[error("database error")]
    Other(#[source] sqlx::Error),
}

impl From<sqlx::Error> for DbError {
    fn from(err: sqlx::Error) -> Self {
        match &err {
            sqlx::Error::RowNotFound => DbError::NotFound,
            sqlx::Error::Database(db) if db.is_unique_violation() => DbError::Conflict {
                code: "conflict-duplicate",
                what: "a record with the same key already exists".into(),
            },
            sqlx::Error::Database(db) if db.is_foreign_key_violation() => DbError::Conflict {
                code: "conflict-reference",
                what: "a referenced record does not exist or is still referenced".into(),
            },
            _ => DbError::Other(err),
        }
    }
}

impl From<samverkan_domain::ParseError> for DbError {
    fn from(err: samverkan_domain::ParseError) -> Self {
        DbError::Corrupt(err.0)
    }
}
