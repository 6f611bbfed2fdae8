//! Partner search over every open offer of the network, one offer's page, and the request a
//! sending centre sends on it.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::{Value, context};
use netinvet_domain::mobility::offers::{self, SearchQuery};
use netinvet_domain::references::{self, Audience};
use netinvet_domain::types::{CountryCode, EqfLevel, LanguageCode, MobilityType};
use netinvet_domain::{DomainError, FormData};
use serde::Deserialize;

use crate::AppState;
use crate::controllers::views;
use crate::error::WebError;
use crate::page::{CsrfForm, Page, field_errors};

#[derive(Deserialize, Default)]
pub struct Filters {
    #[serde(default)]
    country: String,
    #[serde(default)]
    profile: String,
    #[serde(default)]
    eqf_level: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    language: String,
    #[serde(default)]
    mobility_type: String,
    #[serde(default)]
    labelled: String,
}

pub async fn search(
    State(state): State<AppState>,
    page: Page,
    Path(slug): Path<String>,
    Query(f): Query<Filters>,
) -> Result<Response, WebError> {
    let access = super::enter_staff(&state, &page, &slug).await?;
    let catalogue = references::catalogue(&state.db, Audience::Public).await?;
    let query = SearchQuery {
        country: f.country.clone(),
        profile: f.profile.clone(),
        eqf_level: f.eqf_level.clone(),
        from: f.from.clone(),
        to: f.to.clone(),
        language: f.language.clone(),
        mobility_type: f.mobility_type.clone(),
        labelled: !f.labelled.is_empty(),
    };
    let now = state.clock.now();
    let (status, found, errors) = match offers::search(&state.db, &access, &query, now).await {
        Ok(found) => (StatusCode::OK, found, None),
        Err(err @ DomainError::Invalid(_)) => (StatusCode::BAD_REQUEST, Vec::new(), field_errors(page.lang, &err)),
        Err(other) => return Err(other.into()),
    };
    page.render_with_status(
        status,
        "centre_partners.html",
        context! {
            centre => views::centre(access.centre(), &catalogue, page.lang),
            offers => found.iter().map(|o| views::offer(o, &catalogue, page.lang, now.date_naive())).collect::<Vec<_>>(),
            filter => context! {
                country => &f.country, profile => &f.profile, eqf_level => &f.eqf_level, from => &f.from,
                to => &f.to, language => &f.language, mobility_type => &f.mobility_type, labelled => !f.labelled.is_empty(),
            },
            errors => errors.unwrap_or_default(),
            countries => CountryCode::ALL,
            languages_list => LanguageCode::ALL,
            eqf_levels => EqfLevel::ALL.to_vec(),
            mobility_types => MobilityType::ALL.iter().map(|t| t.as_str()).collect::<Vec<_>>(),
            profiles => catalogue.profiles.iter().map(|p| views::profile(p, &catalogue, page.lang)).collect::<Vec<_>>(),
        },
    )
}

async fn offer_page(
    state: &AppState,
    page: &Page,
    slug: &str,
    id: i64,
    status: StatusCode,
    form: &FormData,
    errors: Option<Value>,
) -> Result<Response, WebError> {
    let access = super::enter_staff(state, page, slug).await?;
    let catalogue = references::catalogue(&state.db, Audience::Public).await?;
    let now = state.clock.now();
    let offer = offers::get(&state.db, &access, id, now).await?;
    let own = offer.centre.id == access.centre_id();
    page.render_with_status(
        status,
        "centre_offer.html",
        context! {
            centre => views::centre(access.centre(), &catalogue, page.lang),
            offer => views::offer(&offer, &catalogue, page.lang, now.date_naive()),
            own => own,
            is_admin => access.is_admin(),
            form => views::form_values(form),
            errors => errors.unwrap_or_default(),
        },
    )
}

pub async fn offer(
    State(state): State<AppState>,
    page: Page,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, WebError> {
    offer_page(&state, &page, &slug, id, StatusCode::OK, &FormData::default(), None).await
}

pub async fn request(
    State(state): State<AppState>,
    page: Page,
    Path((slug, id)): Path<(String, i64)>,
    CsrfForm(form): CsrfForm<FormData>,
) -> Result<Response, WebError> {
    let access = super::enter_staff(&state, &page, &slug).await?;
    match netinvet_domain::mobility::operations::request(&state.db, &access, id, &form, state.clock.now()).await {
        Ok(op) => Ok(Redirect::to(&format!("/c/{slug}/operations/{op}")).into_response()),
        Err(err @ DomainError::Invalid(_)) => {
            let errors = field_errors(page.lang, &err);
            offer_page(&state, &page, &slug, id, StatusCode::UNPROCESSABLE_ENTITY, &form, errors).await
        }
        Err(DomainError::Forbidden) => Err(WebError::Forbidden),
        Err(other) => Err(other.into()),
    }
}
