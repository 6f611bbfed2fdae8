//! The web layer's error type. Not-found and bad requests are ordinary answers (never logged at
//! ERROR); an unexpected error is logged once with its context and becomes a 500 page that shows
//! no internals. The page itself is rendered by the `error_pages` middleware, which knows the
//! visitor's language.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use netinvet_domain::DomainError;

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("bad request: {0}")]
    BadRequest(&'static str),
    #[error("too many requests")]
    TooManyRequests,
    /// The request body is over its limit.
    #[error("payload too large")]
    TooLarge,
    /// The form's anti-forgery token is missing or wrong.
    #[error("csrf token mismatch")]
    Csrf,
    /// The page needs a signed-in person: go to sign in, then come back to this path.
    #[error("sign-in required")]
    SignInRequired(String),
    #[error("internal error: {0}")]
    Internal(String),
}

/// Marks a response whose body the error-page middleware must render.
#[derive(Debug, Clone, Copy)]
pub struct ErrorPage {
    pub status: StatusCode,
    /// Translation key of the explanation shown on the page.
    pub message_key: &'static str,
}

impl WebError {
    pub fn status(&self) -> StatusCode {
        match self {
            WebError::NotFound => StatusCode::NOT_FOUND,
            WebError::Forbidden => StatusCode::FORBIDDEN,
            WebError::BadRequest(_) => StatusCode::BAD_REQUEST,
            WebError::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            WebError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            WebError::Csrf => StatusCode::FORBIDDEN,
            WebError::SignInRequired(_) => StatusCode::SEE_OTHER,
            WebError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<DomainError> for WebError {
    fn from(err: DomainError) -> Self {
        match err {
            DomainError::NotFound => WebError::NotFound,
            DomainError::Forbidden => WebError::Forbidden,
            DomainError::Invalid(_) => WebError::BadRequest("error.page.bad_request"),
            DomainError::TokenExpired => WebError::BadRequest("error.link_expired"),
            other => WebError::Internal(other.to_string()),
        }
    }
}

impl From<minijinja::Error> for WebError {
    fn from(err: minijinja::Error) -> Self {
        WebError::Internal(format!("template: {err:#}"))
    }
}

impl From<tower_sessions::session::Error> for WebError {
    fn from(err: tower_sessions::session::Error) -> Self {
        WebError::Internal(format!("session: {err}"))
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let status = self.status();
        let message_key = match &self {
            WebError::NotFound => "error.page.not_found",
            WebError::Forbidden => "error.page.forbidden",
            WebError::BadRequest(key) => key,
            WebError::TooManyRequests => "error.page.too_many",
            WebError::TooLarge => "error.page.too_large",
            WebError::Csrf => "error.page.csrf",
            WebError::SignInRequired(path) => return crate::page::sign_in_redirect(path),
            WebError::Internal(detail) => {
                tracing::error!(error = %detail, "request failed");
                "error.page.internal"
            }
        };
        let mut response = status.into_response();
        response.extensions_mut().insert(ErrorPage { status, message_key });
        response
    }
}
