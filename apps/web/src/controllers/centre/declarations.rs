//! The centre's public profile and declarations, in its workspace: the profiles and national
//! qualifications it trains for, its teaching languages and its public contact. Every member
//! sees them; only admins change them.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::{Value, context};
use netinvet_domain::references::{self, Audience};
use netinvet_domain::tenancy::CentreAccess;
use netinvet_domain::types::LanguageCode;
use netinvet_domain::{DomainError, FormData};
use serde::Deserialize;

use crate::AppState;
use crate::controllers::views;
use crate::error::WebError;
use crate::page::{CsrfForm, Page, field_errors};

#[derive(Deserialize, Default)]
pub struct Saved {
    saved: Option<String>,
}

async fn render(
    state: &AppState,
    page: &Page,
    access: &CentreAccess,
    status: StatusCode,
    submitted: Option<&FormData>,
    errors: Option<Value>,
    saved: bool,
) -> Result<Response, WebError> {
    let current = netinvet_domain::declarations::load(&state.db, access).await?;
    let catalogue = references::catalogue(&state.db, Audience::Public).await?;
    let units = references::units_by_id(&state.db, Audience::Public).await?;
    let qualifications =
        references::qualifications(&state.db, Audience::Public, Some(&access.centre().country)).await?;
    let (form, chosen_profiles, chosen_qualifications, chosen_languages) = match submitted {
        Some(f) => (views::form_values(f), f.all("profiles"), f.all("qualifications"), f.all("languages")),
        None => (
            views::values(vec![
                ("website".to_owned(), current.website.clone()),
                ("contact_email".to_owned(), current.contact_email.clone()),
                ("about".to_owned(), current.about.clone()),
            ]),
            current.profile_ids.iter().map(ToString::to_string).collect(),
            current.qualification_ids.iter().map(ToString::to_string).collect(),
            current.languages.clone(),
        ),
    };
    page.render_with_status(
        status,
        "centre_declarations.html",
        context! {
            centre => views::centre(access.centre(), &catalogue, page.lang),
            is_admin => access.is_admin(),
            learner_view => access.role() == netinvet_domain::types::MembershipRole::Learner,
            form => form,
            chosen_profiles => chosen_profiles,
            chosen_qualifications => chosen_qualifications,
            chosen_languages => chosen_languages,
            errors => errors.unwrap_or_default(),
            saved => saved,
            sectors => catalogue.sectors.iter().map(|s| context! {
                name => s.name.get(page.lang),
                profiles => catalogue.profiles_of(s.id).map(|p| views::profile(p, &catalogue, page.lang)).collect::<Vec<_>>(),
            }).collect::<Vec<_>>(),
            qualifications => qualifications.iter().map(|q| views::qualification(q, &units, page.lang)).collect::<Vec<_>>(),
            languages_list => LanguageCode::ALL,
        },
    )
}

pub async fn show(
    State(state): State<AppState>,
    page: Page,
    Path(slug): Path<String>,
    Query(saved): Query<Saved>,
) -> Result<Response, WebError> {
    let access = super::enter(&state, &page, &slug).await?;
    render(&state, &page, &access, StatusCode::OK, None, None, saved.saved.is_some()).await
}

pub async fn update(
    State(state): State<AppState>,
    page: Page,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm<FormData>,
) -> Result<Response, WebError> {
    let access = super::enter(&state, &page, &slug).await?;
    match netinvet_domain::declarations::update(&state.db, &access, &form, state.clock.now()).await {
        Ok(()) => Ok(Redirect::to(&format!("/c/{slug}/profile?saved=1")).into_response()),
        Err(err @ DomainError::Invalid(_)) => {
            let errors = field_errors(page.lang, &err);
            render(&state, &page, &access, StatusCode::UNPROCESSABLE_ENTITY, Some(&form), errors, false).await
        }
        Err(DomainError::Forbidden) => Err(WebError::Forbidden),
        Err(other) => Err(other.into()),
    }
}
