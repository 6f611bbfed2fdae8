//! How to join: the public application form for a training centre, and its acknowledgement.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::{Value, context};
use netinvet_domain::references::{self, Audience};
use netinvet_domain::types::{CountryCode, LanguageCode};
use netinvet_domain::{DomainError, FormData};

use crate::AppState;
use crate::controllers::views;
use crate::error::WebError;
use crate::page::{CsrfForm, Page, field_errors};
use crate::security::ClientIp;

async fn form_page(
    state: &AppState,
    page: &Page,
    status: StatusCode,
    form: &FormData,
    errors: Option<Value>,
) -> Result<Response, WebError> {
    let catalogue = references::catalogue(&state.db, Audience::Public).await?;
    page.render_with_status(
        status,
        "join.html",
        context! {
            form => views::form_values(form),
            chosen_sectors => form.all("sectors"),
            chosen_languages => form.all("languages"),
            errors => errors.unwrap_or_default(),
            countries => CountryCode::ALL,
            languages_list => LanguageCode::ALL,
            sectors => catalogue.sectors.iter().map(|s| views::sector(s, page.lang)).collect::<Vec<_>>(),
        },
    )
}

pub async fn form(State(state): State<AppState>, page: Page) -> Result<Response, WebError> {
    form_page(&state, &page, StatusCode::OK, &FormData::default(), None).await
}

pub async fn submit(
    State(state): State<AppState>,
    client: ClientIp,
    page: Page,
    CsrfForm(form): CsrfForm<FormData>,
) -> Result<Response, WebError> {
    state.limiter.check("join", &client)?;
    match netinvet_domain::applications::submit(&state.db, &form, page.lang, state.clock.now()).await {
        Ok(_) => Ok(Redirect::to("/join/thanks").into_response()),
        Err(err @ DomainError::Invalid(_)) => {
            form_page(&state, &page, StatusCode::UNPROCESSABLE_ENTITY, &form, field_errors(page.lang, &err)).await
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn thanks(page: Page) -> Result<Response, WebError> {
    page.render("join_thanks.html", context! {})
}
