//! The committee's list of centres, one centre's page, and provisioning a centre (which invites
//! its first admin by email).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::{Value, context};
use netinvet_domain::DomainError;
use netinvet_domain::centres::NewCentreForm;
use netinvet_domain::types::{CountryCode, LanguageCode, Sector};
use serde::Deserialize;

use super::require_committee;
use crate::AppState;
use crate::error::WebError;
use crate::page::{CsrfForm, Page, field_errors};

pub async fn list(State(state): State<AppState>, page: Page) -> Result<Response, WebError> {
    let access = match require_committee(&state, &page).await? {
        Ok(access) => access,
        Err(redirect) => return Ok(redirect),
    };
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

fn form_page(page: &Page, form: &CentreForm, errors: Option<Value>) -> Result<Response, WebError> {
    page.render(
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
            sectors => Sector::ALL,
        },
    )
}

pub async fn new_form(State(state): State<AppState>, page: Page) -> Result<Response, WebError> {
    if let Err(redirect) = require_committee(&state, &page).await? {
        return Ok(redirect);
    }
    form_page(&page, &CentreForm::default(), None)
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
    let access = match require_committee(&state, &page).await? {
        Ok(access) => access,
        Err(redirect) => return Ok(redirect),
    };
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
            let mut response = form_page(&page, &form, field_errors(page.lang, &err))?;
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn show(State(state): State<AppState>, page: Page, Path(slug): Path<String>) -> Result<Response, WebError> {
    let access = match require_committee(&state, &page).await? {
        Ok(access) => access,
        Err(redirect) => return Ok(redirect),
    };
    let (centre, members) =
        netinvet_domain::centres::committee_view(&state.db, &access, &slug, state.clock.now()).await?;
    page.render(
        "committee_centre.html",
        context! {
            centre => context! {
                slug => &centre.slug,
                name => &centre.name,
                country => &centre.country,
                city => &centre.city,
                languages => &centre.languages,
                sectors => &centre.sectors,
                status => centre.status.as_str(),
                created_at => centre.created_at.to_rfc3339(),
            },
            members => members.iter().map(|m| context! {
                name => &m.name,
                email => &m.email,
                role_key => m.role.label_key(),
                since => m.since.to_rfc3339(),
            }).collect::<Vec<_>>(),
        },
    )
}
