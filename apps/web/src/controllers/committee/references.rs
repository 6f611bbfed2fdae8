//! The committee's editing of the shared references: sectors, profiles and their units (the
//! national qualifications are in [`super::qualifications`]). Drafts are edited freely; publishing,
//! retiring and reinstating go through one status action; only a draft nothing refers to can be
//! deleted.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::{Value, context};
use netinvet_domain::references::edit::{self, Piece, Transition};
use netinvet_domain::references::{self, Audience};
use netinvet_domain::types::EqfLevel;
use netinvet_domain::{DomainError, FormData};
use serde::Deserialize;

use super::require_committee;
use crate::AppState;
use crate::controllers::views;
use crate::error::WebError;
use crate::page::{CsrfForm, Page, field_errors};

/// Why a status change or deletion was refused, shown on the page it returns to. Only the
/// domain's own reasons are shown; anything else in the address is ignored.
#[derive(Deserialize, Default)]
pub struct Refused {
    refused: Option<String>,
}

const REFUSAL_KEYS: &[&str] = &[
    "error.transition_invalid",
    "error.sector_not_published",
    "error.profile_not_published",
    "error.retire_not_delete",
    "error.in_use",
];

impl Refused {
    pub(crate) fn key(&self) -> Option<&'static str> {
        let wanted = self.refused.as_deref()?;
        REFUSAL_KEYS.iter().copied().find(|k| *k == wanted)
    }
}

fn eqf_levels() -> Vec<u8> {
    EqfLevel::ALL.to_vec()
}

async fn index_page(
    state: &AppState,
    page: &Page,
    status: StatusCode,
    sector_form: Value,
    errors: Option<Value>,
) -> Result<Response, WebError> {
    let catalogue = references::catalogue(&state.db, Audience::Committee).await?;
    page.render_with_status(
        status,
        "committee_references.html",
        context! {
            sectors => catalogue.sectors.iter().map(|s| context! {
                ..views::sector(s, page.lang),
                ..context! { profiles => catalogue.profiles_of(s.id).map(|p| views::profile(p, &catalogue, page.lang)).collect::<Vec<_>>() }
            }).collect::<Vec<_>>(),
            form => sector_form,
            errors => errors.unwrap_or_default(),
        },
    )
}

pub async fn index(State(state): State<AppState>, page: Page) -> Result<Response, WebError> {
    require_committee(&page)?;
    index_page(&state, &page, StatusCode::OK, Value::from(()), None).await
}

pub async fn create_sector(
    State(state): State<AppState>,
    page: Page,
    CsrfForm(form): CsrfForm<FormData>,
) -> Result<Response, WebError> {
    let access = require_committee(&page)?;
    match edit::create_sector(&state.db, &access, &form, state.clock.now()).await {
        Ok(id) => Ok(Redirect::to(&format!("/committee/references/sectors/{id}")).into_response()),
        Err(err @ DomainError::Invalid(_)) => {
            let errors = field_errors(page.lang, &err);
            index_page(&state, &page, StatusCode::UNPROCESSABLE_ENTITY, views::form_values(&form), errors).await
        }
        Err(other) => Err(other.into()),
    }
}

async fn sector_page(
    state: &AppState,
    page: &Page,
    id: i64,
    status: StatusCode,
    form: Option<Value>,
    errors: Option<Value>,
    refused: Option<&str>,
) -> Result<Response, WebError> {
    let sector = references::sector(&state.db, id).await?;
    let form = form.unwrap_or_else(|| views::values(views::localized_fields("name", &sector.name)));
    page.render_with_status(
        status,
        "committee_sector.html",
        context! { sector => views::sector(&sector, page.lang), form => form, errors => errors.unwrap_or_default(), refused => refused },
    )
}

pub async fn show_sector(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<i64>,
    Query(refused): Query<Refused>,
) -> Result<Response, WebError> {
    require_committee(&page)?;
    sector_page(&state, &page, id, StatusCode::OK, None, None, refused.key()).await
}

pub async fn update_sector(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<FormData>,
) -> Result<Response, WebError> {
    let access = require_committee(&page)?;
    match edit::update_sector(&state.db, &access, id, &form, state.clock.now()).await {
        Ok(()) => Ok(Redirect::to(&format!("/committee/references/sectors/{id}")).into_response()),
        Err(err @ DomainError::Invalid(_)) => {
            let errors = field_errors(page.lang, &err);
            sector_page(
                &state,
                &page,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(views::form_values(&form)),
                errors,
                None,
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}

async fn profile_form_page(
    state: &AppState,
    page: &Page,
    status: StatusCode,
    form: Value,
    errors: Option<Value>,
) -> Result<Response, WebError> {
    let catalogue = references::catalogue(&state.db, Audience::Committee).await?;
    page.render_with_status(
        status,
        "committee_profile_new.html",
        context! {
            form => form,
            errors => errors.unwrap_or_default(),
            sectors => catalogue.sectors.iter().map(|s| views::sector(s, page.lang)).collect::<Vec<_>>(),
            eqf_levels => eqf_levels(),
        },
    )
}

pub async fn new_profile(State(state): State<AppState>, page: Page) -> Result<Response, WebError> {
    require_committee(&page)?;
    profile_form_page(&state, &page, StatusCode::OK, Value::from(()), None).await
}

pub async fn create_profile(
    State(state): State<AppState>,
    page: Page,
    CsrfForm(form): CsrfForm<FormData>,
) -> Result<Response, WebError> {
    let access = require_committee(&page)?;
    match edit::create_profile(&state.db, &access, &form, state.clock.now()).await {
        Ok(id) => Ok(Redirect::to(&format!("/committee/references/profiles/{id}")).into_response()),
        Err(err @ DomainError::Invalid(_)) => {
            let errors = field_errors(page.lang, &err);
            profile_form_page(&state, &page, StatusCode::UNPROCESSABLE_ENTITY, views::form_values(&form), errors).await
        }
        Err(other) => Err(other.into()),
    }
}

/// What a refused submission on the profile page re-shows.
#[derive(Default)]
struct ProfileForms {
    profile: Option<Value>,
    profile_errors: Option<Value>,
    unit: Option<Value>,
    unit_errors: Option<Value>,
}

async fn profile_page(
    state: &AppState,
    page: &Page,
    id: i64,
    status: StatusCode,
    forms: ProfileForms,
    refused: Option<&str>,
) -> Result<Response, WebError> {
    let detail = references::profile_by_id(&state.db, id, Audience::Committee).await?;
    let catalogue = references::catalogue(&state.db, Audience::Committee).await?;
    let p = &detail.profile;
    let profile_form = forms.profile.unwrap_or_else(|| {
        let mut pairs = vec![
            ("code".to_owned(), p.code.clone()),
            ("sector".to_owned(), p.sector_id.to_string()),
            ("eqf_level".to_owned(), p.eqf_level.to_string()),
        ];
        pairs.extend(views::localized_fields("title", &p.title));
        pairs.extend(views::localized_fields("description", &p.description));
        views::values(pairs)
    });
    page.render_with_status(
        status,
        "committee_profile.html",
        context! {
            profile => views::profile(p, &catalogue, page.lang),
            units => detail.units.iter().map(|u| views::unit(u, page.lang)).collect::<Vec<_>>(),
            form => profile_form,
            errors => forms.profile_errors.unwrap_or_default(),
            unit_form => forms.unit.unwrap_or_default(),
            unit_errors => forms.unit_errors.unwrap_or_default(),
            sectors => catalogue.sectors.iter().map(|s| views::sector(s, page.lang)).collect::<Vec<_>>(),
            eqf_levels => eqf_levels(),
            refused => refused,
        },
    )
}

pub async fn show_profile(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<i64>,
    Query(refused): Query<Refused>,
) -> Result<Response, WebError> {
    require_committee(&page)?;
    profile_page(&state, &page, id, StatusCode::OK, ProfileForms::default(), refused.key()).await
}

pub async fn update_profile(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<FormData>,
) -> Result<Response, WebError> {
    let access = require_committee(&page)?;
    match edit::update_profile(&state.db, &access, id, &form, state.clock.now()).await {
        Ok(()) => Ok(Redirect::to(&format!("/committee/references/profiles/{id}")).into_response()),
        Err(err @ DomainError::Invalid(_)) => {
            let forms = ProfileForms {
                profile: Some(views::form_values(&form)),
                profile_errors: field_errors(page.lang, &err),
                ..Default::default()
            };
            profile_page(&state, &page, id, StatusCode::UNPROCESSABLE_ENTITY, forms, None).await
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn create_unit(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<FormData>,
) -> Result<Response, WebError> {
    let access = require_committee(&page)?;
    match edit::create_unit(&state.db, &access, id, &form, state.clock.now()).await {
        Ok(_) => Ok(Redirect::to(&format!("/committee/references/profiles/{id}#units")).into_response()),
        Err(err @ DomainError::Invalid(_)) => {
            let forms = ProfileForms {
                unit: Some(views::form_values(&form)),
                unit_errors: field_errors(page.lang, &err),
                ..Default::default()
            };
            profile_page(&state, &page, id, StatusCode::UNPROCESSABLE_ENTITY, forms, None).await
        }
        Err(other) => Err(other.into()),
    }
}

async fn unit_page(
    state: &AppState,
    page: &Page,
    id: i64,
    status: StatusCode,
    form: Option<Value>,
    errors: Option<Value>,
    refused: Option<&str>,
) -> Result<Response, WebError> {
    let unit = references::unit(&state.db, id).await?;
    let detail = references::profile_by_id(&state.db, unit.profile_id, Audience::Committee).await?;
    let catalogue = references::catalogue(&state.db, Audience::Committee).await?;
    let form = form.unwrap_or_else(|| {
        let mut pairs = vec![("code".to_owned(), unit.code.clone())];
        for (field, text) in [
            ("title", &unit.title),
            ("knowledge", &unit.knowledge),
            ("skills", &unit.skills),
            ("competence", &unit.competence),
        ] {
            pairs.extend(views::localized_fields(field, text));
        }
        views::values(pairs)
    });
    page.render_with_status(
        status,
        "committee_unit.html",
        context! {
            unit => views::unit(&unit, page.lang),
            profile => views::profile(&detail.profile, &catalogue, page.lang),
            form => form,
            errors => errors.unwrap_or_default(),
            refused => refused,
        },
    )
}

pub async fn show_unit(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<i64>,
    Query(refused): Query<Refused>,
) -> Result<Response, WebError> {
    require_committee(&page)?;
    unit_page(&state, &page, id, StatusCode::OK, None, None, refused.key()).await
}

pub async fn update_unit(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<FormData>,
) -> Result<Response, WebError> {
    let access = require_committee(&page)?;
    match edit::update_unit(&state.db, &access, id, &form, state.clock.now()).await {
        Ok(_) => Ok(Redirect::to(&format!("/committee/references/units/{id}")).into_response()),
        Err(err @ DomainError::Invalid(_)) => {
            let errors = field_errors(page.lang, &err);
            unit_page(
                &state,
                &page,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(views::form_values(&form)),
                errors,
                None,
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}

fn piece_path(piece: Piece, id: i64) -> String {
    match piece {
        Piece::Sector => format!("/committee/references/sectors/{id}"),
        Piece::Profile => format!("/committee/references/profiles/{id}"),
        Piece::Unit => format!("/committee/references/units/{id}"),
        Piece::Qualification => format!("/committee/references/qualifications/{id}"),
    }
}

fn refusal_key(err: &DomainError) -> &'static str {
    match err {
        DomainError::Invalid(errors) => errors.first().map_or("error.transition_invalid", |e| e.message_key),
        _ => "error.transition_invalid",
    }
}

/// Publishes, retires or reinstates a sector, profile, unit or qualification (`transition`).
pub async fn change_status(
    State(state): State<AppState>,
    page: Page,
    Path((piece_text, id)): Path<(String, i64)>,
    CsrfForm(form): CsrfForm<FormData>,
) -> Result<Response, WebError> {
    let access = require_committee(&page)?;
    let piece = Piece::parse(&piece_text).ok_or(WebError::NotFound)?;
    let transition =
        Transition::parse(form.text("transition")).ok_or(WebError::BadRequest("error.page.bad_request"))?;
    match edit::change_status(&state.db, &access, piece, id, transition, state.clock.now()).await {
        Ok(()) => Ok(Redirect::to(&piece_path(piece, id)).into_response()),
        Err(err @ DomainError::Invalid(_)) => {
            Ok(Redirect::to(&format!("{}?refused={}", piece_path(piece, id), refusal_key(&err))).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// Deletes a draft nothing refers to, then returns to where it was listed.
pub async fn delete(
    State(state): State<AppState>,
    page: Page,
    Path((piece_text, id)): Path<(String, i64)>,
    CsrfForm(_form): CsrfForm<FormData>,
) -> Result<Response, WebError> {
    let access = require_committee(&page)?;
    let piece = Piece::parse(&piece_text).ok_or(WebError::NotFound)?;
    let back = match piece {
        Piece::Unit => {
            format!("/committee/references/profiles/{}#units", references::unit(&state.db, id).await?.profile_id)
        }
        Piece::Qualification => "/committee/references/qualifications".to_owned(),
        Piece::Sector | Piece::Profile => "/committee/references".to_owned(),
    };
    match edit::delete_draft(&state.db, &access, piece, id, state.clock.now()).await {
        Ok(()) => Ok(Redirect::to(&back).into_response()),
        Err(err @ DomainError::Invalid(_)) => {
            Ok(Redirect::to(&format!("{}?refused={}", piece_path(piece, id), refusal_key(&err))).into_response())
        }
        Err(other) => Err(other.into()),
    }
}
