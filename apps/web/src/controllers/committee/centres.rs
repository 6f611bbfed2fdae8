//! The committee's list of centres, one centre's page, and provisioning a centre (which invites
//! its first admin by email).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::{Value, context};
use netinvet_domain::DomainError;
use netinvet_domain::centres::NewCentreForm;
use netinvet_domain::types::{CountryCode, LanguageCode};
use serde::Deserialize;

use super::require_committee;
use crate::AppState;
use crate::error::WebError;
use crate::page::{CsrfForm, Page, field_errors};

pub async fn list(State(state): State<AppState>, page: Page) -> Result<Response, WebError> {
    let access = require_committee(&page)?;
    let centres = netinvet_domain::centres::list_all(&state.db, &access, state.clock.now()).await?;
    page.render(
        "committee_centres.html",
        context! {
            centres => centres.iter().map(|c| context! {
                slug => &c.centre.slug,
                name => &c.centre.name,
                country => &c.centre.country,
                city => &c.centre.city,
                status => c.centre.status.as_str(),
                members => c.members,
            }).collect::<Vec<_>>(),
        },
    )
}

async fn form_page(
    state: &AppState,
    page: &Page,
    status: StatusCode,
    form: &CentreForm,
    errors: Option<Value>,
) -> Result<Response, WebError> {
    let catalogue =
        netinvet_domain::references::catalogue(&state.db, netinvet_domain::references::Audience::Public).await?;
    page.render_with_status(
        status,
        "committee_centre_new.html",
        context! {
            form => context! {
                name => &form.name,
                slug => &form.slug,
                country => &form.country,
                city => &form.city,
                languages => &form.languages,
                sectors => &form.sectors,
                admin_email => &form.admin_email,
                admin_language => if form.admin_language.is_empty() { page.lang.code() } else { form.admin_language.as_str() },
            },
            errors => errors.unwrap_or_default(),
            countries => CountryCode::ALL,
            languages => LanguageCode::ALL,
            sectors => catalogue.sectors.iter().map(|s| crate::controllers::views::sector(s, page.lang)).collect::<Vec<_>>(),
        },
    )
}

pub async fn new_form(State(state): State<AppState>, page: Page) -> Result<Response, WebError> {
    require_committee(&page)?;
    form_page(&state, &page, StatusCode::OK, &CentreForm::default(), None).await
}

#[derive(Deserialize, Default)]
pub struct CentreForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    slug: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    city: String,
    #[serde(default)]
    languages: Vec<String>,
    #[serde(default)]
    sectors: Vec<String>,
    #[serde(default)]
    admin_email: String,
    #[serde(default)]
    admin_language: String,
}

pub async fn create(
    State(state): State<AppState>,
    page: Page,
    CsrfForm(form): CsrfForm<CentreForm>,
) -> Result<Response, WebError> {
    let access = require_committee(&page)?;
    let input = NewCentreForm {
        name: form.name.clone(),
        slug: form.slug.clone(),
        country: form.country.clone(),
        city: form.city.clone(),
        languages: form.languages.clone(),
        sectors: form.sectors.clone(),
        admin_email: form.admin_email.clone(),
        admin_language: form.admin_language.clone(),
    };
    match netinvet_domain::centres::create(&state.db, &access, &input, &state.public_url, state.clock.now()).await {
        Ok(centre) => Ok(Redirect::to(&format!("/committee/centres/{}", centre.slug)).into_response()),
        Err(err @ DomainError::Invalid(_)) => {
            form_page(&state, &page, StatusCode::UNPROCESSABLE_ENTITY, &form, field_errors(page.lang, &err)).await
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn show(State(state): State<AppState>, page: Page, Path(slug): Path<String>) -> Result<Response, WebError> {
    let access = require_committee(&page)?;
    let (centre, members) =
        netinvet_domain::centres::committee_view(&state.db, &access, &slug, state.clock.now()).await?;
    let catalogue =
        netinvet_domain::references::catalogue(&state.db, netinvet_domain::references::Audience::Public).await?;
    page.render(
        "committee_centre.html",
        context! {
            centre => crate::controllers::views::centre(&centre, &catalogue, page.lang),
            members => crate::controllers::views::members(&members),
        },
    )
}
