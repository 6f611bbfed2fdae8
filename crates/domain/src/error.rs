//! The domain's one error type. Validation errors name the field they are about, so the web
//! layer can show the message next to it.

use sea_orm::DbErr;

/// A message for one form field (or line of an import), as a translation key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
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
    pub fn invalid(field: &str, message_key: &'static str) -> Self {
        DomainError::Invalid(vec![FieldError { field: field.to_owned(), message_key }])
    }
}

impl From<serde_json::Error> for DomainError {
    fn from(err: serde_json::Error) -> Self {
        DomainError::Internal(format!("serialisation: {err}"))
    }
}

pub type Result<T, E = DomainError> = std::result::Result<T, E>;

/// Collects the field errors of one form while it is validated, so every wrong field is
/// reported at once rather than the first only.
#[derive(Debug, Default)]
pub struct Checks(Vec<FieldError>);

impl Checks {
    /// Keeps the value, or records its error against `field`.
    pub fn check<T>(&mut self, field: &str, result: Result<T, &'static str>) -> Option<T> {
        result.map_err(|message_key| self.add(field, message_key)).ok()
    }

    /// A text required in every shipped language, read from `{field}_{lang}` inputs.
    pub fn localized(&mut self, form: &FormData, field: &str, max: usize) -> Option<crate::types::Localized> {
        let inputs: Vec<_> = netinvet_i18n::Lang::ALL
            .iter()
            .map(|&lang| (lang, form.text(&format!("{field}_{}", lang.code()))))
            .collect();
        crate::types::Localized::parse(&inputs, max)
            .map_err(|(lang, message_key)| self.add(&format!("{field}_{}", lang.code()), message_key))
            .ok()
    }

    pub fn add(&mut self, field: &str, message_key: &'static str) {
        self.0.push(FieldError { field: field.to_owned(), message_key });
    }

    /// `Ok` when no field was wrong.
    pub fn finish(self) -> Result<()> {
        if self.0.is_empty() { Ok(()) } else { Err(DomainError::Invalid(self.0)) }
    }
}

/// A submitted form as name/value pairs in the order they were sent (a multiple choice sends
/// its name once per ticked box). The domain's validation reads fields from it by name and
/// names them in its errors.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(from = "Vec<(String, String)>")]
pub struct FormData(Vec<(String, String)>);

impl From<Vec<(String, String)>> for FormData {
    fn from(pairs: Vec<(String, String)>) -> Self {
        Self(pairs)
    }
}

impl FormData {
    pub fn new<K: Into<String>, V: Into<String>>(pairs: impl IntoIterator<Item = (K, V)>) -> Self {
        Self(pairs.into_iter().map(|(k, v)| (k.into(), v.into())).collect())
    }

    /// The first value sent under `name`, or "".
    pub fn text(&self, name: &str) -> &str {
        self.0.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
    }

    /// Every value sent under `name`.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0.iter().filter(|(k, _)| k == name).map(|(_, v)| v.clone()).collect()
    }

    /// Whether a checkbox named `name` was ticked.
    pub fn checked(&self, name: &str) -> bool {
        self.0.iter().any(|(k, _)| k == name)
    }

    pub fn pairs(&self) -> &[(String, String)] {
        &self.0
    }
}
