//! The committee's view of applications to join the network.

use axum::extract::{Path, State};
use axum::response::Response;
use minijinja::{Value, context};
use netinvet_domain::applications::{self, Application};

use super::require_committee;
use crate::AppState;
use crate::error::WebError;
use crate::page::Page;

fn view(a: &Application) -> Value {
    context! {
        id => a.id,
        centre_name => &a.centre.name,
        slug => &a.centre.slug,
        country => &a.centre.country,
        city => &a.centre.city,
        status => a.centre.status.as_str(),
        languages => &a.centre.languages,
        sectors => &a.centre.sectors,
        website => &a.website,
        contact_name => &a.contact_name,
        contact_email => &a.contact_email,
        contact_role => &a.contact_role,
        language => a.language.code(),
        motivation => &a.motivation,
        submitted_at => a.submitted_at.to_rfc3339(),
    }
}

pub async fn list(State(state): State<AppState>, page: Page) -> Result<Response, WebError> {
    let access = require_committee(&page)?;
    let list = applications::list(&state.db, &access, state.clock.now()).await?;
    page.render("committee_applications.html", context! { applications => list.iter().map(view).collect::<Vec<_>>() })
}

pub async fn show(State(state): State<AppState>, page: Page, Path(id): Path<i64>) -> Result<Response, WebError> {
    let access = require_committee(&page)?;
    let application = applications::get(&state.db, &access, id, state.clock.now()).await?;
    let catalogue =
        netinvet_domain::references::catalogue(&state.db, netinvet_domain::references::Audience::Public).await?;
    page.render(
        "committee_application.html",
        context! {
            application => view(&application),
            sector_names => catalogue.sectors.iter().filter(|s| application.centre.sectors.contains(&s.code)).map(|s| s.name.get(page.lang)).collect::<Vec<_>>(),
        },
    )
}
