//! Forgotten passwords: asking for a reset link (same answer whether or not the address has an
//! account) and choosing a new password from the link. Both rate-limited.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use netinvet_domain::DomainError;
use serde::Deserialize;

use crate::AppState;
use crate::error::WebError;
use crate::page::{CsrfForm, Page, field_errors};
use crate::security::ClientIp;

pub async fn forgot_form(page: Page) -> Result<Response, WebError> {
    page.render("forgot_password.html", context! { email => "", errors => context! {} })
}

#[derive(Deserialize)]
pub struct ForgotForm {
    email: String,
}

pub async fn forgot(
    State(state): State<AppState>,
    client: ClientIp,
    page: Page,
    CsrfForm(form): CsrfForm<ForgotForm>,
) -> Result<Response, WebError> {
    state.limiter.check("password-forgot", &client)?;
    match netinvet_domain::accounts::request_password_reset(
        &state.db,
        &form.email,
        &state.public_url,
        state.clock.now(),
    )
    .await
    {
        Ok(()) => page.render("forgot_password_sent.html", context! {}),
        Err(err @ DomainError::Invalid(_)) => page.render_with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            "forgot_password.html",
            context! { email => form.email.trim(), errors => field_errors(page.lang, &err) },
        ),
        Err(other) => Err(other.into()),
    }
}

/// The page for a link that is unknown, used or expired, offering a new one.
pub fn link_invalid(page: &Page, expired: bool, retry_href: &str, retry_label: &str) -> Result<Response, WebError> {
    let status = if expired { StatusCode::GONE } else { StatusCode::NOT_FOUND };
    page.render_with_status(
        status,
        "link_invalid.html",
        context! { expired => expired, retry_href => retry_href, retry_label => retry_label },
    )
}

pub async fn reset_form(
    State(state): State<AppState>,
    page: Page,
    Path(token): Path<String>,
) -> Result<Response, WebError> {
    match netinvet_domain::accounts::check_reset_token(&state.db, &token, state.clock.now()).await {
        Ok(()) => page.render("reset_password.html", context! { token => token, errors => context! {} }),
        Err(DomainError::NotFound) => link_invalid(&page, false, "/password/forgot", "password.forgot.title"),
        Err(DomainError::TokenExpired) => link_invalid(&page, true, "/password/forgot", "password.forgot.title"),
        Err(other) => Err(other.into()),
    }
}

#[derive(Deserialize)]
pub struct ResetForm {
    password: String,
    password_confirmation: String,
}

pub async fn reset(
    State(state): State<AppState>,
    client: ClientIp,
    page: Page,
    Path(token): Path<String>,
    CsrfForm(form): CsrfForm<ResetForm>,
) -> Result<Response, WebError> {
    state.limiter.check("password-reset", &client)?;
    let now = state.clock.now();
    match netinvet_domain::accounts::reset_password(&state.db, &token, &form.password, &form.password_confirmation, now)
        .await
    {
        Ok(_) => {
            page.session.flush().await?;
            Ok(Redirect::to("/sign-in?reset=1").into_response())
        }
        Err(err @ DomainError::Invalid(_)) => page.render_with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            "reset_password.html",
            context! { token => token, errors => field_errors(page.lang, &err) },
        ),
        Err(DomainError::NotFound) => link_invalid(&page, false, "/password/forgot", "password.forgot.title"),
        Err(DomainError::TokenExpired) => link_invalid(&page, true, "/password/forgot", "password.forgot.title"),
        Err(other) => Err(other.into()),
    }
}
