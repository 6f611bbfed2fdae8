//! Partnership agreements: the centre's list, drafting one with a partner, one agreement with
//! its versions, signing and amending.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::{Value, context};
use netinvet_domain::mobility::agreements::{self, Agreement, Version};
use netinvet_domain::references::{self, Audience, Catalogue, Unit};
use netinvet_domain::tenancy::CentreAccess;
use netinvet_domain::{DomainError, FormData, Lang};

use crate::AppState;
use crate::controllers::views;
use crate::error::WebError;
use crate::page::{CsrfForm, Page, field_errors};

fn version_view(
    v: &Version,
    catalogue: &Catalogue,
    units: &std::collections::BTreeMap<i64, Unit>,
    lang: Lang,
) -> Value {
    context! {
        version => v.version,
        profiles => v.profile_ids.iter().filter_map(|id| catalogue.profile(*id)).map(|p| views::profile(p, catalogue, lang)).collect::<Vec<_>>(),
        units => v.unit_ids.iter().filter_map(|id| units.get(id)).map(|u| views::unit(u, lang)).collect::<Vec<_>>(),
        assessment => &v.assessment,
        validation => &v.validation,
        recognition => &v.recognition,
        valid_from => v.valid_from.to_string(),
        valid_until => v.valid_until.to_string(),
        drafted_at => v.drafted_at.to_rfc3339(),
        signed_a_at => v.signed_a_at.map(|d| d.to_rfc3339()),
        signed_b_at => v.signed_b_at.map(|d| d.to_rfc3339()),
        fully_signed => v.fully_signed(),
    }
}

fn agreement_view(
    a: &Agreement,
    access: &CentreAccess,
    catalogue: &Catalogue,
    units: &std::collections::BTreeMap<i64, Unit>,
    lang: Lang,
) -> Value {
    let partner = if a.centre_a.id == access.centre_id() { &a.centre_b } else { &a.centre_a };
    let i_am_a = a.centre_a.id == access.centre_id();
    let latest = a.latest();
    context! {
        id => a.id,
        partner => context! { slug => &partner.slug, name => &partner.name, country => &partner.country },
        centre_a => &a.centre_a.name,
        centre_b => &a.centre_b.name,
        versions => a.versions.iter().map(|v| version_view(v, catalogue, units, lang)).collect::<Vec<_>>(),
        in_force => a.in_force().map(|v| v.version),
        i_signed_latest => latest.is_some_and(|v| if i_am_a { v.signed_a_at.is_some() } else { v.signed_b_at.is_some() }),
    }
}

/// The terms form's choices: every published profile with its units.
fn choices(catalogue: &Catalogue, units: &std::collections::BTreeMap<i64, Unit>, lang: Lang) -> Vec<Value> {
    catalogue
        .profiles
        .iter()
        .map(|p| context! {
            ..views::profile(p, catalogue, lang),
            ..context! { units => units.values().filter(|u| u.profile_id == p.id).map(|u| views::unit(u, lang)).collect::<Vec<_>>() }
        })
        .collect()
}

async fn list_page(
    state: &AppState,
    page: &Page,
    access: &CentreAccess,
    status: StatusCode,
    form: &FormData,
    errors: Option<Value>,
) -> Result<Response, WebError> {
    let catalogue = references::catalogue(&state.db, Audience::Public).await?;
    let units = references::units_by_id(&state.db, Audience::Public).await?;
    let list = agreements::list(&state.db, access).await?;
    let partners = netinvet_domain::directory::search(&state.db, &Default::default(), state.clock.now()).await?;
    page.render_with_status(
        status,
        "centre_agreements.html",
        context! {
            centre => views::centre(access.centre(), &catalogue, page.lang),
            is_admin => access.is_admin(),
            agreements => list.iter().map(|a| agreement_view(a, access, &catalogue, &units, page.lang)).collect::<Vec<_>>(),
            partners => partners.iter().filter(|l| l.centre.id != access.centre_id()).map(|l| context! { slug => &l.centre.slug, name => &l.centre.name }).collect::<Vec<_>>(),
            profiles => choices(&catalogue, &units, page.lang),
            form => views::form_values(form),
            chosen_profiles => form.all("profiles"),
            chosen_units => form.all("units"),
            errors => errors.unwrap_or_default(),
        },
    )
}

pub async fn list(State(state): State<AppState>, page: Page, Path(slug): Path<String>) -> Result<Response, WebError> {
    let access = super::enter_staff(&state, &page, &slug).await?;
    list_page(&state, &page, &access, StatusCode::OK, &FormData::default(), None).await
}

pub async fn draft(
    State(state): State<AppState>,
    page: Page,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm<FormData>,
) -> Result<Response, WebError> {
    let access = super::enter_staff(&state, &page, &slug).await?;
    match agreements::draft(&state.db, &access, &form, state.clock.now()).await {
        Ok(id) => Ok(Redirect::to(&format!("/c/{slug}/agreements/{id}")).into_response()),
        Err(err @ DomainError::Invalid(_)) => {
            let errors = field_errors(page.lang, &err);
            list_page(&state, &page, &access, StatusCode::UNPROCESSABLE_ENTITY, &form, errors).await
        }
        Err(DomainError::Forbidden) => Err(WebError::Forbidden),
        Err(other) => Err(other.into()),
    }
}

async fn show_page(
    state: &AppState,
    page: &Page,
    access: &CentreAccess,
    id: i64,
    status: StatusCode,
    form: Option<&FormData>,
    errors: Option<Value>,
) -> Result<Response, WebError> {
    let catalogue = references::catalogue(&state.db, Audience::Public).await?;
    let units = references::units_by_id(&state.db, Audience::Public).await?;
    let agreement = agreements::get(&state.db, access, id).await?;
    let (values, chosen_profiles, chosen_units) = match (form, agreement.latest()) {
        (Some(f), _) => (views::form_values(f), f.all("profiles"), f.all("units")),
        (None, Some(v)) => (
            views::values(vec![
                ("assessment".to_owned(), v.assessment.clone()),
                ("validation".to_owned(), v.validation.clone()),
                ("recognition".to_owned(), v.recognition.clone()),
                ("valid_from".to_owned(), v.valid_from.to_string()),
                ("valid_until".to_owned(), v.valid_until.to_string()),
            ]),
            v.profile_ids.iter().map(ToString::to_string).collect(),
            v.unit_ids.iter().map(ToString::to_string).collect(),
        ),
        (None, None) => (Value::from(()), Vec::new(), Vec::new()),
    };
    page.render_with_status(
        status,
        "centre_agreement.html",
        context! {
            centre => views::centre(access.centre(), &catalogue, page.lang),
            is_admin => access.is_admin(),
            agreement => agreement_view(&agreement, access, &catalogue, &units, page.lang),
            profiles => choices(&catalogue, &units, page.lang),
            form => values,
            chosen_profiles => chosen_profiles,
            chosen_units => chosen_units,
            errors => errors.unwrap_or_default(),
        },
    )
}

pub async fn show(
    State(state): State<AppState>,
    page: Page,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, WebError> {
    let access = super::enter_staff(&state, &page, &slug).await?;
    show_page(&state, &page, &access, id, StatusCode::OK, None, None).await
}

pub async fn amend(
    State(state): State<AppState>,
    page: Page,
    Path((slug, id)): Path<(String, i64)>,
    CsrfForm(form): CsrfForm<FormData>,
) -> Result<Response, WebError> {
    let access = super::enter_staff(&state, &page, &slug).await?;
    match agreements::amend(&state.db, &access, id, &form, state.clock.now()).await {
        Ok(()) => Ok(Redirect::to(&format!("/c/{slug}/agreements/{id}")).into_response()),
        Err(err @ DomainError::Invalid(_)) => {
            let errors = field_errors(page.lang, &err);
            show_page(&state, &page, &access, id, StatusCode::UNPROCESSABLE_ENTITY, Some(&form), errors).await
        }
        Err(DomainError::Forbidden) => Err(WebError::Forbidden),
        Err(other) => Err(other.into()),
    }
}

pub async fn sign(
    State(state): State<AppState>,
    page: Page,
    Path((slug, id)): Path<(String, i64)>,
    CsrfForm(_form): CsrfForm<FormData>,
) -> Result<Response, WebError> {
    let access = super::enter_staff(&state, &page, &slug).await?;
    agreements::sign(&state.db, &access, id, state.clock.now()).await?;
    Ok(Redirect::to(&format!("/c/{slug}/agreements/{id}")).into_response())
}
