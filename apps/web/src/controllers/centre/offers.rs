//! The centre's own mobility offers: list, publish, close and reopen.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::{Value, context};
use netinvet_domain::mobility::offers;
use netinvet_domain::references::{self, Audience};
use netinvet_domain::tenancy::CentreAccess;
use netinvet_domain::types::{LanguageCode, MobilityType, OfferStatus};
use netinvet_domain::{DomainError, FormData};

use crate::AppState;
use crate::controllers::views;
use crate::error::WebError;
use crate::page::{CsrfForm, Page, field_errors};

async fn render(
    state: &AppState,
    page: &Page,
    access: &CentreAccess,
    status: StatusCode,
    form: &FormData,
    errors: Option<Value>,
) -> Result<Response, WebError> {
    let catalogue = references::catalogue(&state.db, Audience::Public).await?;
    let now = state.clock.now();
    let mine = offers::mine(&state.db, access, now).await?;
    page.render_with_status(
        status,
        "centre_offers.html",
        context! {
            centre => views::centre(access.centre(), &catalogue, page.lang),
            is_admin => access.is_admin(),
            offers => mine.iter().map(|o| views::offer(o, &catalogue, page.lang, now.date_naive())).collect::<Vec<_>>(),
            form => views::form_values(form),
            errors => errors.unwrap_or_default(),
            profiles => catalogue.profiles.iter().map(|p| views::profile(p, &catalogue, page.lang)).collect::<Vec<_>>(),
            mobility_types => MobilityType::ALL.iter().map(|t| t.as_str()).collect::<Vec<_>>(),
            languages_list => LanguageCode::ALL,
        },
    )
}

pub async fn list(State(state): State<AppState>, page: Page, Path(slug): Path<String>) -> Result<Response, WebError> {
    let access = super::enter_staff(&state, &page, &slug).await?;
    render(&state, &page, &access, StatusCode::OK, &FormData::default(), None).await
}

pub async fn create(
    State(state): State<AppState>,
    page: Page,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm<FormData>,
) -> Result<Response, WebError> {
    let access = super::enter_staff(&state, &page, &slug).await?;
    match offers::create(&state.db, &access, &form, state.clock.now()).await {
        Ok(_) => Ok(Redirect::to(&format!("/c/{slug}/offers")).into_response()),
        Err(err @ DomainError::Invalid(_)) => {
            let errors = field_errors(page.lang, &err);
            render(&state, &page, &access, StatusCode::UNPROCESSABLE_ENTITY, &form, errors).await
        }
        Err(other) => Err(other.into()),
    }
}

/// Closes (`action=close`) or reopens (`action=open`) an offer.
pub async fn set_status(
    State(state): State<AppState>,
    page: Page,
    Path((slug, id)): Path<(String, i64)>,
    CsrfForm(form): CsrfForm<FormData>,
) -> Result<Response, WebError> {
    let access = super::enter_staff(&state, &page, &slug).await?;
    let status = match form.text("action") {
        "close" => Some(OfferStatus::Closed),
        "open" => Some(OfferStatus::Open),
        _ => None,
    };
    offers::set_status(&state.db, &access, id, status, state.clock.now()).await?;
    Ok(Redirect::to(&format!("/c/{slug}/offers")).into_response())
}
