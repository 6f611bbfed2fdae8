//! The committee's charter pages: both charters with their versions, starting a draft of the
//! next version, editing it (heading, sections, commitments), publishing or discarding it.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::{Value, context};
use netinvet_domain::charters::{self, DraftEdit};
use netinvet_domain::types::CharterPhase;
use netinvet_domain::{DomainError, FormData};

use super::require_committee;
use crate::AppState;
use crate::controllers::public::charters::{history_view, kind, version_view};
use crate::controllers::views;
use crate::error::WebError;
use crate::page::{CsrfForm, Page, field_errors};

pub async fn index(State(state): State<AppState>, page: Page) -> Result<Response, WebError> {
    require_committee(&page)?;
    let overview = charters::overview(&state.db).await?;
    page.render(
        "committee_charters.html",
        context! {
            charters => overview.iter().map(|(kind, versions)| context! {
                kind => kind.as_str(),
                versions => history_view(versions, page.lang),
                has_draft => versions.iter().any(|v| v.published_at.is_none()),
            }).collect::<Vec<_>>(),
        },
    )
}

/// Where a refused edit is re-shown: which form, with what was typed and what was wrong.
struct Refusal {
    /// `heading`, `section-new`, `section-{id}`, `item-new-{section}`, `item-{id}` or `publish`.
    target: String,
    form: Value,
    errors: Option<Value>,
}

async fn version_page(
    state: &AppState,
    page: &Page,
    kind_text: &str,
    number: i32,
    status: StatusCode,
    refusal: Option<Refusal>,
) -> Result<Response, WebError> {
    let version = charters::version(&state.db, kind(kind_text)?, number, true).await?;
    let mut heading = views::localized_fields("title", &version.title);
    heading.extend(views::localized_fields("introduction", &version.introduction));
    let sections: Vec<Value> = version
        .sections
        .iter()
        .map(|s| {
            context! {
                id => s.id,
                form => views::values(views::localized_fields("title", &s.title)),
                items => s.items.iter().map(|i| {
                    let mut pairs = vec![("code".to_owned(), i.code.clone()), ("phase".to_owned(), i.phase.as_str().to_owned())];
                    pairs.extend(views::localized_fields("text", &i.text));
                    if i.blocking { pairs.push(("blocking".to_owned(), "on".to_owned())); }
                    context! { id => i.id, form => views::values(pairs) }
                }).collect::<Vec<_>>(),
            }
        })
        .collect();
    let (target, refused_form, errors) = match refusal {
        Some(r) => (Some(r.target), r.form, r.errors.unwrap_or_default()),
        None => (None, Value::from(()), Value::from(())),
    };
    page.render_with_status(
        status,
        "committee_charter.html",
        context! {
            charter => version_view(&version, page.lang),
            heading => views::values(heading),
            edit_sections => sections,
            refused_target => target,
            refused_form => refused_form,
            errors => errors,
            phases => CharterPhase::ALL.iter().map(|p| p.as_str()).collect::<Vec<_>>(),
        },
    )
}

pub async fn show(
    State(state): State<AppState>,
    page: Page,
    Path((kind_text, number)): Path<(String, i32)>,
) -> Result<Response, WebError> {
    require_committee(&page)?;
    version_page(&state, &page, &kind_text, number, StatusCode::OK, None).await
}

pub async fn start_draft(
    State(state): State<AppState>,
    page: Page,
    Path(kind_text): Path<String>,
    CsrfForm(_form): CsrfForm<FormData>,
) -> Result<Response, WebError> {
    let access = require_committee(&page)?;
    let kind = kind(&kind_text)?;
    let number = charters::start_draft(&state.db, &access, kind, state.clock.now()).await?;
    Ok(Redirect::to(&format!("/committee/charters/{}/v/{number}", kind.as_str())).into_response())
}

fn parse_edit(action: &str, target: Option<i64>) -> Option<(DraftEdit, String)> {
    Some(match (action, target) {
        ("heading", None) => (DraftEdit::Heading, "heading".to_owned()),
        ("add-section", None) => (DraftEdit::AddSection, "section-new".to_owned()),
        ("edit-section", Some(id)) => (DraftEdit::EditSection(id), format!("section-{id}")),
        ("delete-section", Some(id)) => (DraftEdit::DeleteSection(id), format!("section-{id}")),
        ("add-item", Some(id)) => (DraftEdit::AddItem(id), format!("item-new-{id}")),
        ("edit-item", Some(id)) => (DraftEdit::EditItem(id), format!("item-{id}")),
        ("delete-item", Some(id)) => (DraftEdit::DeleteItem(id), format!("item-{id}")),
        _ => return None,
    })
}

/// One edit of a draft; the form says which (`action`, and `target` for a section or item).
pub async fn edit(
    State(state): State<AppState>,
    page: Page,
    Path((kind_text, number)): Path<(String, i32)>,
    CsrfForm(form): CsrfForm<FormData>,
) -> Result<Response, WebError> {
    let access = require_committee(&page)?;
    let kind = kind(&kind_text)?;
    let target = match form.text("target") {
        "" => None,
        text => Some(text.parse::<i64>().map_err(|_| WebError::BadRequest("error.page.bad_request"))?),
    };
    let (edit, anchor) =
        parse_edit(form.text("action"), target).ok_or(WebError::BadRequest("error.page.bad_request"))?;
    match charters::edit_draft(&state.db, &access, kind, number, edit, &form, state.clock.now()).await {
        Ok(()) => {
            Ok(Redirect::to(&format!("/committee/charters/{}/v/{number}#{anchor}", kind.as_str())).into_response())
        }
        Err(err @ DomainError::Invalid(_)) => {
            let refusal =
                Refusal { target: anchor, form: views::form_values(&form), errors: field_errors(page.lang, &err) };
            version_page(&state, &page, &kind_text, number, StatusCode::UNPROCESSABLE_ENTITY, Some(refusal)).await
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn publish(
    State(state): State<AppState>,
    page: Page,
    Path((kind_text, number)): Path<(String, i32)>,
    CsrfForm(form): CsrfForm<FormData>,
) -> Result<Response, WebError> {
    let access = require_committee(&page)?;
    let kind = kind(&kind_text)?;
    let result = if form.text("action") == "discard" {
        charters::discard_draft(&state.db, &access, kind, number, state.clock.now())
            .await
            .map(|()| "/committee/charters".to_owned())
    } else {
        charters::publish(&state.db, &access, kind, number, state.clock.now())
            .await
            .map(|()| format!("/charters/{}", kind.as_str()))
    };
    match result {
        Ok(to) => Ok(Redirect::to(&to).into_response()),
        Err(err @ DomainError::Invalid(_)) => {
            let refusal =
                Refusal { target: "publish".to_owned(), form: Value::from(()), errors: field_errors(page.lang, &err) };
            version_page(&state, &page, &kind_text, number, StatusCode::UNPROCESSABLE_ENTITY, Some(refusal)).await
        }
        Err(other) => Err(other.into()),
    }
}
