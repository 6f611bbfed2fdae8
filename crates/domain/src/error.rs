//! The domain's one error type. Validation errors name the field they are about, so the web
//! layer can show the message next to it.

use sea_orm::DbErr;

/// A message for one form field (or line of an import), as a translation key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub message_key: &'static str,
}

#[derive(Debug, thiserror::Error)]
pub enum DomainError {
    /// Not there, or not visible to the caller: the two are deliberately indistinguishable.
    #[error("not found")]
    NotFound,
    /// The caller is known but may not do this.
    #[error("forbidden")]
    Forbidden,
    /// The input is wrong; nothing was written.
    #[error("invalid input: {0:?}")]
    Invalid(Vec<FieldError>),
    /// A single-use link that has been used, or expired.
    #[error("token expired or already used")]
    TokenExpired,
    #[error("database error: {0}")]
    Database(#[from] DbErr),
    #[error("internal error: {0}")]
    Internal(String),
}

impl DomainError {
    pub fn invalid(field: &'static str, message_key: &'static str) -> Self {
        DomainError::Invalid(vec![FieldError { field, message_key }])
    }
}

impl From<serde_json::Error> for DomainError {
    fn from(err: serde_json::Error) -> Self {
        DomainError::Internal(format!("serialisation: {err}"))
    }
}

pub type Result<T, E = DomainError> = std::result::Result<T, E>;
