//! The committee's news, as the public reads it.

use axum::extract::{Path, State};
use axum::response::Response;
use minijinja::{Value, context};
use netinvet_domain::Lang;
use netinvet_domain::news::{self, Article};

use crate::AppState;
use crate::error::WebError;
use crate::page::Page;

pub(crate) fn article_view(a: &Article, lang: Lang) -> Value {
    context! {
        id => a.id,
        slug => &a.slug,
        title => a.title.get(lang),
        summary => a.summary.get(lang),
        status => a.status.as_str(),
        published_at => a.published_at.map(|d| d.to_rfc3339()),
        updated_at => a.updated_at.to_rfc3339(),
    }
}

pub async fn list(State(state): State<AppState>, page: Page) -> Result<Response, WebError> {
    let articles = news::published(&state.db, 50).await?;
    page.render(
        "news.html",
        context! { articles => articles.iter().map(|a| article_view(a, page.lang)).collect::<Vec<_>>() },
    )
}

pub async fn show(State(state): State<AppState>, page: Page, Path(slug): Path<String>) -> Result<Response, WebError> {
    let article = news::by_slug(&state.db, &slug).await?;
    page.render(
        "news_article.html",
        context! {
            article => article_view(&article, page.lang),
            // Sanitised by the domain's Markdown renderer: safe to insert as HTML.
            body_html => Value::from_safe_string(news::render_markdown(article.body.get(page.lang))),
        },
    )
}
