//! Accepting an invitation by its link: a new person chooses a name and password; a person who
//! already has an account confirms its password. Either way they land in the centre signed in.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use netinvet_domain::DomainError;
use netinvet_domain::invitations::{AcceptForm, InvitationView};
use serde::Deserialize;

use crate::AppState;
use crate::controllers::password::link_invalid;
use crate::error::WebError;
use crate::page::{CsrfForm, Page, field_errors};
use crate::security::ClientIp;

fn view_context(view: &InvitationView) -> minijinja::Value {
    context! {
        centre_name => &view.centre_name,
        email => &view.email,
        role_key => view.role.label_key(),
        existing_account => view.existing_account,
    }
}

fn invalid_link(page: &Page, err: DomainError) -> Result<Response, WebError> {
    match err {
        DomainError::NotFound => link_invalid(page, false, "/sign-in", "invitation.ask_again"),
        DomainError::TokenExpired => link_invalid(page, true, "/sign-in", "invitation.ask_again"),
        other => Err(other.into()),
    }
}

pub async fn show(
    State(state): State<AppState>,
    client: ClientIp,
    page: Page,
    Path(token): Path<String>,
) -> Result<Response, WebError> {
    state.limiter.check("invitation-open", &client)?;
    match netinvet_domain::invitations::open(&state.db, &token, state.clock.now()).await {
        Ok(view) => page.render(
            "invitation.html",
            context! { token => token, invitation => view_context(&view), name => "", errors => context! {} },
        ),
        Err(err) => invalid_link(&page, err),
    }
}

#[derive(Deserialize)]
pub struct AcceptInvitationForm {
    #[serde(default)]
    name: String,
    password: String,
    #[serde(default)]
    password_confirmation: String,
}

pub async fn accept(
    State(state): State<AppState>,
    client: ClientIp,
    page: Page,
    Path(token): Path<String>,
    CsrfForm(form): CsrfForm<AcceptInvitationForm>,
) -> Result<Response, WebError> {
    state.limiter.check("invitation-accept", &client)?;
    let now = state.clock.now();
    let answer = AcceptForm {
        name: form.name.clone(),
        password: form.password,
        password_confirmation: form.password_confirmation,
    };
    match netinvet_domain::invitations::accept(&state.db, &token, &answer, now).await {
        Ok((user, slug)) => {
            page.start_session(&user).await?;
            Ok(Redirect::to(&format!("/c/{slug}/")).into_response())
        }
        Err(err @ DomainError::Invalid(_)) => {
            let view = netinvet_domain::invitations::open(&state.db, &token, now).await;
            let Ok(view) = view else { return invalid_link(&page, view.err().unwrap_or(DomainError::NotFound)) };
            page.render_with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invitation.html",
                context! {
                    token => token,
                    invitation => view_context(&view),
                    name => form.name.trim(),
                    errors => field_errors(page.lang, &err),
                },
            )
        }
        Err(err) => invalid_link(&page, err),
    }
}
