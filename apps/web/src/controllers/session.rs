//! Signing in and out. The session id is rotated at sign-in; a wrong address or password gets
//! one generic message; attempts are rate-limited per client and per account.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use serde::Deserialize;

use crate::AppState;
use crate::error::WebError;
use crate::page::{CsrfForm, Page, safe_next};
use crate::security::ClientIp;

#[derive(Deserialize, Default)]
pub struct NextQuery {
    next: Option<String>,
}

pub async fn sign_in_form(page: Page, Query(query): Query<NextQuery>) -> Result<Response, WebError> {
    page.render("sign_in.html", context! { next => safe_next(query.next.as_deref()), email => "", failed => false })
}

#[derive(Deserialize)]
pub struct SignInForm {
    email: String,
    password: String,
    next: Option<String>,
}

pub async fn sign_in(
    State(state): State<AppState>,
    client: ClientIp,
    page: Page,
    CsrfForm(form): CsrfForm<SignInForm>,
) -> Result<Response, WebError> {
    state.limiter.check("sign-in", &client)?;
    state.limiter.check_key("sign-in-account", &form.email.trim().to_lowercase())?;
    let Some(user) = netinvet_domain::accounts::authenticate(&state.db, &form.email, &form.password).await? else {
        return page.render_with_status(
            StatusCode::UNAUTHORIZED,
            "sign_in.html",
            context! { next => safe_next(form.next.as_deref()), email => form.email.trim(), failed => true },
        );
    };
    page.start_session(&user).await?;
    tracing::info!(user.id = user.id.get(), "signed in");
    let destination = match safe_next(form.next.as_deref()) {
        Some(next) => next,
        None => landing(&state, &user).await?,
    };
    Ok(Redirect::to(&destination).into_response())
}

/// Where a person lands after signing in: their centre, the committee, or their account.
async fn landing(state: &AppState, user: &netinvet_domain::accounts::User) -> Result<String, WebError> {
    let centres = netinvet_domain::accounts::my_centres(&state.db, user.id).await?;
    if let [only] = centres.as_slice() {
        return Ok(format!("/c/{}/", only.slug));
    }
    if netinvet_domain::accounts::committee_access(&state.db, user.id).await?.is_some() {
        return Ok("/committee/".into());
    }
    Ok("/account".into())
}

#[derive(Deserialize)]
pub struct SignOutForm {}

pub async fn sign_out(page: Page, CsrfForm(_): CsrfForm<SignOutForm>) -> Result<Response, WebError> {
    page.session.flush().await?;
    Ok(Redirect::to("/").into_response())
}
