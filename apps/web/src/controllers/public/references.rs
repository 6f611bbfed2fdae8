//! The shared references browser: sectors → profiles → units of learning outcomes, and the
//! national qualifications that cover them.

use axum::extract::{Path, Query, State};
use axum::response::Response;
use minijinja::context;
use netinvet_domain::references::{self, Audience};
use netinvet_domain::types::CountryCode;
use serde::Deserialize;

use crate::AppState;
use crate::controllers::views;
use crate::error::WebError;
use crate::page::Page;

pub async fn index(State(state): State<AppState>, page: Page) -> Result<Response, WebError> {
    let catalogue = references::catalogue(&state.db, Audience::Public).await?;
    page.render(
        "references.html",
        context! {
            sectors => catalogue.sectors.iter().map(|s| context! {
                code => &s.code,
                name => s.name.get(page.lang),
                profiles => catalogue.profiles_of(s.id).map(|p| views::profile(p, &catalogue, page.lang)).collect::<Vec<_>>(),
            }).collect::<Vec<_>>(),
        },
    )
}

pub async fn profile(
    State(state): State<AppState>,
    page: Page,
    Path(code): Path<String>,
) -> Result<Response, WebError> {
    let detail = references::profile_by_code(&state.db, &code, Audience::Public).await?;
    let catalogue = references::catalogue(&state.db, Audience::Public).await?;
    let units = detail.units.iter().map(|u| (u.id, u.clone())).collect();
    page.render(
        "reference_profile.html",
        context! {
            profile => views::profile(&detail.profile, &catalogue, page.lang),
            units => detail.units.iter().map(|u| views::unit(u, page.lang)).collect::<Vec<_>>(),
            qualifications => detail.qualifications.iter().map(|q| views::qualification(q, &units, page.lang)).collect::<Vec<_>>(),
        },
    )
}

#[derive(Deserialize, Default)]
pub struct CountryQuery {
    #[serde(default)]
    country: String,
}

pub async fn qualifications(
    State(state): State<AppState>,
    page: Page,
    Query(query): Query<CountryQuery>,
) -> Result<Response, WebError> {
    let country = match query.country.as_str() {
        "" => None,
        code => Some(CountryCode::parse(code).map_err(|_| WebError::BadRequest("error.country_unknown"))?),
    };
    let list = references::qualifications(&state.db, Audience::Public, country.map(|c| c.code())).await?;
    let units = references::units_by_id(&state.db, Audience::Public).await?;
    let countries = references::qualification_countries(&state.db, Audience::Public).await?;
    page.render(
        "qualifications.html",
        context! {
            country => country.map(|c| c.code()),
            countries => countries,
            qualifications => list.iter().map(|q| views::qualification(q, &units, page.lang)).collect::<Vec<_>>(),
        },
    )
}
