//! The member directory with its filters, and each centre's public profile.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use minijinja::context;
use netinvet_domain::DomainError;
use netinvet_domain::directory::{DirectoryFilter, DirectoryQuery};
use netinvet_domain::references::{self, Audience};
use netinvet_domain::types::{CountryCode, EqfLevel, LanguageCode};
use serde::Deserialize;

use crate::AppState;
use crate::controllers::views;
use crate::error::WebError;
use crate::page::{Page, field_errors};

#[derive(Deserialize, Default, Debug)]
pub struct FilterQuery {
    #[serde(default)]
    country: String,
    #[serde(default)]
    sector: String,
    #[serde(default)]
    profile: String,
    #[serde(default)]
    eqf_level: String,
    #[serde(default)]
    language: String,
    #[serde(default)]
    label: String,
}

pub async fn directory(
    State(state): State<AppState>,
    page: Page,
    Query(query): Query<FilterQuery>,
) -> Result<Response, WebError> {
    let catalogue = references::catalogue(&state.db, Audience::Public).await?;
    let typed = DirectoryQuery {
        country: query.country.clone(),
        sector: query.sector.clone(),
        profile: query.profile.clone(),
        eqf_level: query.eqf_level.clone(),
        language: query.language.clone(),
        label: query.label.clone(),
    };
    let (status, listings, errors) = match DirectoryFilter::parse(&typed, &catalogue) {
        Ok(filter) => {
            let listings = netinvet_domain::directory::search(&state.db, &filter, state.clock.now()).await?;
            (StatusCode::OK, listings, None)
        }
        Err(err @ DomainError::Invalid(_)) => (StatusCode::BAD_REQUEST, Vec::new(), field_errors(page.lang, &err)),
        Err(other) => return Err(other.into()),
    };
    let filtered = [&query.country, &query.sector, &query.profile, &query.eqf_level, &query.language, &query.label]
        .iter()
        .any(|v| !v.is_empty());
    page.render_with_status(
        status,
        "members.html",
        context! {
            listings => listings.iter().map(|l| views::listing(l, page.lang)).collect::<Vec<_>>(),
            filter => context! {
                country => &query.country,
                sector => &query.sector,
                profile => &query.profile,
                eqf_level => &query.eqf_level,
                language => &query.language,
                label => &query.label,
            },
            filtered => filtered,
            errors => errors.unwrap_or_default(),
            countries => CountryCode::ALL,
            languages_list => LanguageCode::ALL,
            eqf_levels => EqfLevel::ALL,
            sectors => catalogue.sectors.iter().map(|s| views::sector(s, page.lang)).collect::<Vec<_>>(),
            profiles => catalogue.profiles.iter().map(|p| views::profile(p, &catalogue, page.lang)).collect::<Vec<_>>(),
        },
    )
}

pub async fn profile(
    State(state): State<AppState>,
    page: Page,
    Path(slug): Path<String>,
) -> Result<Response, WebError> {
    let profile = netinvet_domain::directory::public_profile(&state.db, &slug, state.clock.now()).await?;
    let units = references::units_by_id(&state.db, Audience::Public).await?;
    page.render(
        "member.html",
        context! {
            centre => views::listing(&profile.listing, page.lang),
            qualifications => profile.qualifications.iter().map(|q| views::qualification(q, &units, page.lang)).collect::<Vec<_>>(),
            website => &profile.website,
            contact_email => &profile.contact_email,
            about => &profile.about,
        },
    )
}
