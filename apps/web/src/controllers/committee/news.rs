//! The committee's news: list, write, edit, publish and withdraw articles (Markdown, sanitised
//! when shown).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::{Value, context};
use netinvet_domain::news;
use netinvet_domain::{DomainError, FormData};

use super::require_committee;
use crate::AppState;
use crate::controllers::public::news::article_view;
use crate::controllers::views;
use crate::error::WebError;
use crate::page::{CsrfForm, Page, field_errors};

pub async fn list(State(state): State<AppState>, page: Page) -> Result<Response, WebError> {
    require_committee(&page)?;
    let articles = news::all(&state.db).await?;
    page.render(
        "committee_news.html",
        context! { articles => articles.iter().map(|a| article_view(a, page.lang)).collect::<Vec<_>>() },
    )
}

fn edit_page(
    page: &Page,
    status: StatusCode,
    article: Option<Value>,
    form: Value,
    errors: Option<Value>,
) -> Result<Response, WebError> {
    page.render_with_status(
        status,
        "committee_news_edit.html",
        context! { article => article, form => form, errors => errors.unwrap_or_default() },
    )
}

pub async fn new_form(page: Page) -> Result<Response, WebError> {
    require_committee(&page)?;
    edit_page(&page, StatusCode::OK, None, Value::from(()), None)
}

pub async fn create(
    State(state): State<AppState>,
    page: Page,
    CsrfForm(form): CsrfForm<FormData>,
) -> Result<Response, WebError> {
    let access = require_committee(&page)?;
    match news::create(&state.db, &access, &form, state.clock.now()).await {
        Ok(id) => Ok(Redirect::to(&format!("/committee/news/{id}")).into_response()),
        Err(err @ DomainError::Invalid(_)) => {
            let errors = field_errors(page.lang, &err);
            edit_page(&page, StatusCode::UNPROCESSABLE_ENTITY, None, views::form_values(&form), errors)
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn show(State(state): State<AppState>, page: Page, Path(id): Path<i64>) -> Result<Response, WebError> {
    require_committee(&page)?;
    let article = news::by_id(&state.db, id).await?;
    let mut pairs = vec![("slug".to_owned(), article.slug.clone())];
    pairs.extend(views::localized_fields("title", &article.title));
    pairs.extend(views::localized_fields("summary", &article.summary));
    pairs.extend(views::localized_fields("body", &article.body));
    edit_page(&page, StatusCode::OK, Some(article_view(&article, page.lang)), views::values(pairs), None)
}

pub async fn update(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<FormData>,
) -> Result<Response, WebError> {
    let access = require_committee(&page)?;
    match news::update(&state.db, &access, id, &form, state.clock.now()).await {
        Ok(()) => Ok(Redirect::to(&format!("/committee/news/{id}")).into_response()),
        Err(err @ DomainError::Invalid(_)) => {
            let article = news::by_id(&state.db, id).await?;
            let errors = field_errors(page.lang, &err);
            edit_page(
                &page,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(article_view(&article, page.lang)),
                views::form_values(&form),
                errors,
            )
        }
        Err(other) => Err(other.into()),
    }
}

/// Publishes (`action=publish`) or withdraws (`action=withdraw`) an article.
pub async fn publish(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<FormData>,
) -> Result<Response, WebError> {
    let access = require_committee(&page)?;
    let publish = match form.text("action") {
        "publish" => true,
        "withdraw" => false,
        _ => return Err(WebError::BadRequest("error.page.bad_request")),
    };
    news::set_published(&state.db, &access, id, publish, state.clock.now()).await?;
    Ok(Redirect::to(&format!("/committee/news/{id}")).into_response())
}
