//! The two quality charters: the version in force, any earlier version, and the history.

use axum::extract::{Path, State};
use axum::response::Response;
use minijinja::{Value, context};
use netinvet_domain::Lang;
use netinvet_domain::charters::{self, CharterVersion, VersionSummary};
use netinvet_domain::types::CharterKind;

use crate::AppState;
use crate::error::WebError;
use crate::page::Page;

pub(crate) fn kind(text: &str) -> Result<CharterKind, WebError> {
    text.parse().map_err(|_| WebError::NotFound)
}

pub(crate) fn version_view(v: &CharterVersion, lang: Lang) -> Value {
    context! {
        kind => v.kind.as_str(),
        version => v.version,
        title => v.title.get(lang),
        introduction => v.introduction.get(lang),
        published_at => v.published_at.map(|d| d.to_rfc3339()),
        superseded_at => v.superseded_at.map(|d| d.to_rfc3339()),
        draft => v.is_draft(),
        sections => v.sections.iter().map(|s| context! {
            id => s.id,
            title => s.title.get(lang),
            items => s.items.iter().map(|i| context! {
                id => i.id,
                code => &i.code,
                text => i.text.get(lang),
                phase => i.phase.as_str(),
                blocking => i.blocking,
            }).collect::<Vec<_>>(),
        }).collect::<Vec<_>>(),
    }
}

pub(crate) fn history_view(list: &[VersionSummary], lang: Lang) -> Vec<Value> {
    list.iter()
        .map(|v| {
            context! {
                version => v.version,
                title => v.title.get(lang),
                published_at => v.published_at.map(|d| d.to_rfc3339()),
                superseded_at => v.superseded_at.map(|d| d.to_rfc3339()),
            }
        })
        .collect()
}

pub async fn index(State(state): State<AppState>, page: Page) -> Result<Response, WebError> {
    let mut list = Vec::new();
    for kind in CharterKind::ALL {
        let current = charters::current(&state.db, *kind).await?;
        list.push(context! {
            kind => kind.as_str(),
            title => current.title.get(page.lang),
            introduction => current.introduction.get(page.lang),
            version => current.version,
            published_at => current.published_at.map(|d| d.to_rfc3339()),
        });
    }
    page.render("charters.html", context! { charters => list })
}

async fn show(state: &AppState, page: &Page, version: CharterVersion) -> Result<Response, WebError> {
    let history = charters::history(&state.db, version.kind, false).await?;
    let current = history.first().map(|v| v.version);
    page.render(
        "charter.html",
        context! {
            charter => version_view(&version, page.lang),
            is_current => current == Some(version.version),
            history => history_view(&history, page.lang),
        },
    )
}

pub async fn current(
    State(state): State<AppState>,
    page: Page,
    Path(kind_text): Path<String>,
) -> Result<Response, WebError> {
    let version = charters::current(&state.db, kind(&kind_text)?).await?;
    show(&state, &page, version).await
}

pub async fn version(
    State(state): State<AppState>,
    page: Page,
    Path((kind_text, number)): Path<(String, i32)>,
) -> Result<Response, WebError> {
    let version = charters::version(&state.db, kind(&kind_text)?, number, false).await?;
    show(&state, &page, version).await
}
