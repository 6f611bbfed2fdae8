//! Centre admins invite people and revoke pending invitations.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use netinvet_domain::DomainError;
use serde::Deserialize;

use super::dashboard::{InviteFormState, render_dashboard};
use crate::AppState;
use crate::error::WebError;
use crate::page::{CsrfForm, Page, field_errors};

#[derive(Deserialize)]
pub struct InviteForm {
    email: String,
    role: String,
    language: String,
}

pub async fn invite(
    State(state): State<AppState>,
    page: Page,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm<InviteForm>,
) -> Result<Response, WebError> {
    let access = super::enter(&state, &page, &slug).await?;
    let now = state.clock.now();
    match netinvet_domain::invitations::invite(
        &state.db,
        &access,
        &form.email,
        &form.role,
        &form.language,
        &state.public_url,
        now,
    )
    .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/c/{slug}/?invited=1")).into_response()),
        Err(err @ DomainError::Invalid(_)) => {
            let errors = field_errors(page.lang, &err);
            let form = InviteFormState {
                email: form.email.trim().to_owned(),
                role: form.role,
                language: form.language,
                errors,
            };
            render_dashboard(&state, &page, &access, form, None, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Deserialize)]
pub struct RevokeForm {}

pub async fn revoke(
    State(state): State<AppState>,
    page: Page,
    Path((slug, id)): Path<(String, i64)>,
    CsrfForm(_): CsrfForm<RevokeForm>,
) -> Result<Response, WebError> {
    let access = super::enter(&state, &page, &slug).await?;
    netinvet_domain::invitations::revoke(&state.db, &access, id, state.clock.now()).await?;
    Ok(Redirect::to(&format!("/c/{slug}/?revoked=1")).into_response())
}
