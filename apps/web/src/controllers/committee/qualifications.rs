//! The committee's national qualifications: each country's qualifications and the shared units
//! each covers (what lets a unit achieved abroad be recognised at home).

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::{Value, context};
use netinvet_domain::references::edit;
use netinvet_domain::references::{self, Audience};
use netinvet_domain::types::{CountryCode, EqfLevel};
use netinvet_domain::{DomainError, FormData};

use super::references::Refused;
use super::require_committee;
use crate::AppState;
use crate::controllers::views;
use crate::error::WebError;
use crate::page::{CsrfForm, Page, field_errors};

/// The units a qualification may cover, grouped by profile.
async fn unit_choices(state: &AppState, page: &Page) -> Result<Vec<Value>, WebError> {
    let catalogue = references::catalogue(&state.db, Audience::Committee).await?;
    let units = references::units_by_id(&state.db, Audience::Committee).await?;
    Ok(catalogue
        .profiles
        .iter()
        .map(|p| {
            context! {
                title => p.title.get(page.lang),
                code => &p.code,
                units => units.values().filter(|u| u.profile_id == p.id && u.status.as_str() != "retired").map(|u| views::unit(u, page.lang)).collect::<Vec<_>>(),
            }
        })
        .collect())
}

async fn list_page(
    state: &AppState,
    page: &Page,
    status: StatusCode,
    form: &FormData,
    errors: Option<Value>,
) -> Result<Response, WebError> {
    let list = references::qualifications(&state.db, Audience::Committee, None).await?;
    let units = references::units_by_id(&state.db, Audience::Committee).await?;
    page.render_with_status(
        status,
        "committee_qualifications.html",
        context! {
            qualifications => list.iter().map(|q| views::qualification(q, &units, page.lang)).collect::<Vec<_>>(),
            form => views::form_values(form),
            chosen_units => form.all("units"),
            errors => errors.unwrap_or_default(),
            countries => CountryCode::ALL,
            eqf_levels => EqfLevel::ALL.to_vec(),
            profiles => unit_choices(state, page).await?,
        },
    )
}

pub async fn list(State(state): State<AppState>, page: Page) -> Result<Response, WebError> {
    require_committee(&page)?;
    list_page(&state, &page, StatusCode::OK, &FormData::default(), None).await
}

pub async fn create(
    State(state): State<AppState>,
    page: Page,
    CsrfForm(form): CsrfForm<FormData>,
) -> Result<Response, WebError> {
    let access = require_committee(&page)?;
    match edit::create_qualification(&state.db, &access, &form, state.clock.now()).await {
        Ok(id) => Ok(Redirect::to(&format!("/committee/references/qualifications/{id}")).into_response()),
        Err(err @ DomainError::Invalid(_)) => {
            let errors = field_errors(page.lang, &err);
            list_page(&state, &page, StatusCode::UNPROCESSABLE_ENTITY, &form, errors).await
        }
        Err(other) => Err(other.into()),
    }
}

async fn edit_page(
    state: &AppState,
    page: &Page,
    id: i64,
    status: StatusCode,
    form: Option<&FormData>,
    errors: Option<Value>,
    refused: Option<&str>,
) -> Result<Response, WebError> {
    let q = references::qualification(&state.db, id, Audience::Committee).await?;
    let units = references::units_by_id(&state.db, Audience::Committee).await?;
    let (values, chosen) = match form {
        Some(form) => (views::form_values(form), form.all("units")),
        None => {
            let mut pairs = vec![
                ("country".to_owned(), q.country.clone()),
                ("code".to_owned(), q.code.clone()),
                ("eqf_level".to_owned(), q.eqf_level.to_string()),
            ];
            pairs.extend(views::localized_fields("title", &q.title));
            (views::values(pairs), q.unit_ids.iter().map(ToString::to_string).collect())
        }
    };
    page.render_with_status(
        status,
        "committee_qualification.html",
        context! {
            qualification => views::qualification(&q, &units, page.lang),
            form => values,
            chosen_units => chosen,
            errors => errors.unwrap_or_default(),
            refused => refused,
            countries => CountryCode::ALL,
            eqf_levels => EqfLevel::ALL.to_vec(),
            profiles => unit_choices(state, page).await?,
        },
    )
}

pub async fn show(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<i64>,
    Query(refused): Query<Refused>,
) -> Result<Response, WebError> {
    require_committee(&page)?;
    edit_page(&state, &page, id, StatusCode::OK, None, None, refused.key()).await
}

pub async fn update(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<FormData>,
) -> Result<Response, WebError> {
    let access = require_committee(&page)?;
    match edit::update_qualification(&state.db, &access, id, &form, state.clock.now()).await {
        Ok(()) => Ok(Redirect::to(&format!("/committee/references/qualifications/{id}")).into_response()),
        Err(err @ DomainError::Invalid(_)) => {
            let errors = field_errors(page.lang, &err);
            edit_page(&state, &page, id, StatusCode::UNPROCESSABLE_ENTITY, Some(&form), errors, None).await
        }
        Err(other) => Err(other.into()),
    }
}
