//! The account page: name, language, password.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use netinvet_domain::DomainError;
use serde::Deserialize;

use crate::AppState;
use crate::error::WebError;
use crate::page::{CsrfForm, Page, SESSION_EPOCH, field_errors};

fn account_page(
    page: &Page,
    status: StatusCode,
    name: &str,
    profile_errors: Option<minijinja::Value>,
    password_errors: Option<minijinja::Value>,
    saved: bool,
) -> Result<Response, WebError> {
    let Some(signed_in) = &page.signed_in else { return Err(WebError::NotFound) };
    page.render_with_status(
        status,
        "account.html",
        context! {
            name => name,
            email => &signed_in.user.email,
            language => signed_in.user.language.code(),
            profile_errors => profile_errors.unwrap_or_default(),
            password_errors => password_errors.unwrap_or_default(),
            saved => saved,
        },
    )
}

#[derive(Deserialize, Default)]
pub struct SavedQuery {
    saved: Option<String>,
}

pub async fn show(
    page: Page,
    axum::extract::Query(query): axum::extract::Query<SavedQuery>,
) -> Result<Response, WebError> {
    let signed_in = page.require_user()?;
    account_page(&page, StatusCode::OK, &signed_in.name.clone(), None, None, query.saved.is_some())
}

#[derive(Deserialize)]
pub struct ProfileForm {
    name: String,
    language: String,
}

pub async fn update_profile(
    State(state): State<AppState>,
    page: Page,
    CsrfForm(form): CsrfForm<ProfileForm>,
) -> Result<Response, WebError> {
    let signed_in = page.require_user()?;
    match netinvet_domain::accounts::update_profile(&state.db, signed_in.user.id, &form.name, &form.language).await {
        Ok(_) => Ok(Redirect::to("/account?saved=1").into_response()),
        Err(err @ DomainError::Invalid(_)) => account_page(
            &page,
            StatusCode::UNPROCESSABLE_ENTITY,
            &form.name,
            field_errors(page.lang, &err),
            None,
            false,
        ),
        Err(other) => Err(other.into()),
    }
}

#[derive(Deserialize)]
pub struct PasswordForm {
    current_password: String,
    password: String,
    password_confirmation: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    page: Page,
    CsrfForm(form): CsrfForm<PasswordForm>,
) -> Result<Response, WebError> {
    let signed_in = page.require_user()?;
    let now = state.clock.now();
    match netinvet_domain::accounts::change_password(
        &state.db,
        signed_in.user.id,
        &form.current_password,
        &form.password,
        &form.password_confirmation,
        now,
    )
    .await
    {
        Ok(user) => {
            // This session stays signed in; every other one is signed out by the new epoch.
            page.session.cycle_id().await?;
            page.session.insert(SESSION_EPOCH, user.session_epoch).await?;
            Ok(Redirect::to("/account?saved=1").into_response())
        }
        Err(err @ DomainError::Invalid(_)) => account_page(
            &page,
            StatusCode::UNPROCESSABLE_ENTITY,
            &signed_in.name.clone(),
            None,
            field_errors(page.lang, &err),
            false,
        ),
        Err(other) => Err(other.into()),
    }
}
