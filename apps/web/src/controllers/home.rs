//! The public home page with the network's live figures, health probes, the stylesheet and the language switcher.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use netinvet_i18n::Lang;
use serde::Deserialize;

use crate::AppState;
use crate::error::WebError;
use crate::page::{CsrfForm, Page, SESSION_LANG, safe_next};

/// The home page: the network, its pillars and live figures, and the latest news.
pub async fn home(State(state): State<AppState>, page: Page) -> Result<Response, WebError> {
    let figures = netinvet_domain::directory::figures(&state.db, state.clock.now()).await?;
    let news = netinvet_domain::news::published(&state.db, 3).await?;
    page.render(
        "home.html",
        context! {
            figures => context! {
                active_centres => figures.active_centres,
                countries => figures.countries,
                labelled_centres => figures.labelled_centres,
                profiles => figures.profiles,
                operations_this_year => figures.operations_this_year,
            },
            news => news.iter().map(|a| crate::controllers::public::news::article_view(a, page.lang)).collect::<Vec<_>>(),
        },
    )
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
