//! The public home page, health probes, the stylesheet and the language switcher.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use netinvet_i18n::Lang;
use serde::Deserialize;

use crate::AppState;
use crate::error::WebError;
use crate::page::{CsrfForm, Page, SESSION_LANG, safe_next};

pub async fn home(page: Page) -> Result<Response, WebError> {
    page.render("home.html", context! {})
}

/// The process is up.
pub async fn healthz() -> &'static str {
    "ok"
}

/// The database answers.
pub async fn readyz(State(state): State<AppState>) -> Response {
    match state.db.ping().await {
        Ok(()) => (StatusCode::OK, "ready").into_response(),
        Err(err) => {
            tracing::warn!(error = %err, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response()
        }
    }
}

pub async fn stylesheet() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        include_str!("../../static/app.css"),
    )
        .into_response()
}

#[derive(Deserialize)]
pub struct LanguageForm {
    language: String,
    next: Option<String>,
}

/// Switches the language: the person's preference when signed in, the session's otherwise.
pub async fn switch_language(
    State(state): State<AppState>,
    page: Page,
    CsrfForm(form): CsrfForm<LanguageForm>,
) -> Result<Response, WebError> {
    let lang: Lang = form.language.parse().map_err(|_| WebError::BadRequest("error.page.bad_request"))?;
    page.session.insert(SESSION_LANG, lang.code()).await?;
    if let Some(signed_in) = &page.signed_in {
        netinvet_domain::accounts::set_language(&state.db, signed_in.user.id, lang).await?;
    }
    Ok(Redirect::to(&safe_next(form.next.as_deref()).unwrap_or_else(|| "/".into())).into_response())
}
