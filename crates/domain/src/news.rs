//! The committee's news articles: written in Markdown in every shipped language, published when
//! ready. Rendering turns Markdown into HTML and then sanitises it (no script, no event
//! handlers, no inline styles, links marked `noopener`), so an article can never carry code to
//! its readers whatever its author typed.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

use crate::db::Db;
use crate::entities::news_article;
use crate::error::{Checks, DomainError, FormData, Result};
use crate::tenancy::{CommitteeAccess, CommitteeTx};
use crate::types::{Localized, PublicationStatus, Slug};

#[derive(Debug, Clone)]
pub struct Article {
    pub id: i64,
    pub slug: String,
    pub title: Localized,
    pub summary: Localized,
    /// Markdown, as written.
    pub body: Localized,
    pub status: PublicationStatus,
    pub published_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

impl From<news_article::Model> for Article {
    fn from(row: news_article::Model) -> Self {
        Article {
            id: row.id,
            slug: row.slug,
            title: Localized::from_stored(&row.title),
            summary: Localized::from_stored(&row.summary),
            body: Localized::from_stored(&row.body),
            status: row.status.parse().unwrap_or(PublicationStatus::Draft),
            published_at: row.published_at,
            updated_at: row.updated_at,
        }
    }
}

/// Markdown to safe HTML.
pub fn render_markdown(markdown: &str) -> String {
    let parser = pulldown_cmark::Parser::new_ext(markdown, pulldown_cmark::Options::ENABLE_TABLES);
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, parser);
    ammonia::Builder::default().link_rel(Some("noopener noreferrer")).clean(&html).to_string()
}

/// Published articles, newest first.
pub async fn published(db: &Db, limit: u64) -> Result<Vec<Article>> {
    Ok(news_article::Entity::find()
        .filter(news_article::Column::Status.eq(PublicationStatus::Published.as_str()))
        .order_by_desc(news_article::Column::PublishedAt)
        .order_by_desc(news_article::Column::Id)
        .paginate(db.conn(), limit.max(1))
        .fetch_page(0)
        .await?
        .into_iter()
        .map(Article::from)
        .collect())
}

/// A published article by its address.
pub async fn by_slug(db: &Db, slug: &str) -> Result<Article> {
    news_article::Entity::find()
        .filter(news_article::Column::Slug.eq(slug))
        .filter(news_article::Column::Status.eq(PublicationStatus::Published.as_str()))
        .one(db.conn())
        .await?
        .map(Article::from)
        .ok_or(DomainError::NotFound)
}

/// Every article, drafts included, for the committee.
pub async fn all(db: &Db) -> Result<Vec<Article>> {
    Ok(news_article::Entity::find()
        .order_by_desc(news_article::Column::UpdatedAt)
        .order_by_desc(news_article::Column::Id)
        .all(db.conn())
        .await?
        .into_iter()
        .map(Article::from)
        .collect())
}

/// One article by id, for the committee.
pub async fn by_id(db: &Db, id: i64) -> Result<Article> {
    news_article::Entity::find_by_id(id).one(db.conn()).await?.map(Article::from).ok_or(DomainError::NotFound)
}

struct ArticleInput {
    slug: Slug,
    title: Localized,
    summary: Localized,
    body: Localized,
}

fn input(form: &FormData) -> Result<ArticleInput> {
    let mut checks = Checks::default();
    let slug = checks.check("slug", Slug::parse(form.text("slug")));
    let title = checks.localized(form, "title", 200);
    let summary = checks.localized(form, "summary", 400);
    let body = checks.localized(form, "body", 20_000);
    checks.finish()?;
    match (slug, title, summary, body) {
        (Some(slug), Some(title), Some(summary), Some(body)) => Ok(ArticleInput { slug, title, summary, body }),
        _ => Err(DomainError::Internal("unchecked".into())),
    }
}

async fn slug_taken(db: &impl sea_orm::ConnectionTrait, slug: &str, except: Option<i64>) -> Result<bool> {
    let mut query = news_article::Entity::find().filter(news_article::Column::Slug.eq(slug));
    if let Some(id) = except {
        query = query.filter(news_article::Column::Id.ne(id));
    }
    Ok(query.count(db).await? > 0)
}

/// Writes a new draft article: `slug`, `title_{lang}`, `summary_{lang}`, `body_{lang}`.
pub async fn create(db: &Db, access: &CommitteeAccess, form: &FormData, now: DateTime<Utc>) -> Result<i64> {
    let input = input(form)?;
    let tx = CommitteeTx::begin(db, access, "news.create", None, now).await?;
    if slug_taken(tx.conn(), input.slug.as_str(), None).await? {
        return Err(DomainError::invalid("slug", "error.slug_taken"));
    }
    let inserted = news_article::Entity::insert(news_article::ActiveModel {
        slug: Set(input.slug.as_str().to_owned()),
        title: Set(input.title.to_stored()),
        summary: Set(input.summary.to_stored()),
        body: Set(input.body.to_stored()),
        status: Set(PublicationStatus::Draft.as_str().to_owned()),
        author_user_id: Set(Some(access.user_id().get())),
        created_at: Set(now),
        updated_at: Set(now),
        published_at: Set(None),
        ..Default::default()
    })
    .exec(tx.conn())
    .await?;
    tx.commit().await?;
    Ok(inserted.last_insert_id)
}

/// Edits an article (a published one stays published, with its first publication date).
pub async fn update(db: &Db, access: &CommitteeAccess, id: i64, form: &FormData, now: DateTime<Utc>) -> Result<()> {
    let input = input(form)?;
    let tx = CommitteeTx::begin(db, access, "news.update", None, now).await?;
    let row = news_article::Entity::find_by_id(id).one(tx.conn()).await?.ok_or(DomainError::NotFound)?;
    if slug_taken(tx.conn(), input.slug.as_str(), Some(id)).await? {
        return Err(DomainError::invalid("slug", "error.slug_taken"));
    }
    let mut active: news_article::ActiveModel = row.into();
    active.slug = Set(input.slug.as_str().to_owned());
    active.title = Set(input.title.to_stored());
    active.summary = Set(input.summary.to_stored());
    active.body = Set(input.body.to_stored());
    active.updated_at = Set(now);
    news_article::Entity::update(active).exec(tx.conn()).await?;
    tx.commit().await?;
    Ok(())
}

/// Publishes an article, or withdraws it from the public (`publish = false`).
pub async fn set_published(
    db: &Db,
    access: &CommitteeAccess,
    id: i64,
    publish: bool,
    now: DateTime<Utc>,
) -> Result<()> {
    let tx = CommitteeTx::begin(db, access, "news.publish", None, now).await?;
    let row = news_article::Entity::find_by_id(id).one(tx.conn()).await?.ok_or(DomainError::NotFound)?;
    let first_published = row.published_at;
    let mut active: news_article::ActiveModel = row.into();
    if publish {
        active.status = Set(PublicationStatus::Published.as_str().to_owned());
        active.published_at = Set(Some(first_published.unwrap_or(now)));
    } else {
        active.status = Set(PublicationStatus::Retired.as_str().to_owned());
    }
    active.updated_at = Set(now);
    news_article::Entity::update(active).exec(tx.conn()).await?;
    tx.commit().await?;
    Ok(())
}

/// Writes an article already published (seed data).
pub(crate) async fn insert_published(
    conn: &impl sea_orm::ConnectionTrait,
    slug: &str,
    title: Localized,
    summary: Localized,
    body: Localized,
    at: DateTime<Utc>,
) -> Result<()> {
    news_article::Entity::insert(news_article::ActiveModel {
        slug: Set(slug.to_owned()),
        title: Set(title.to_stored()),
        summary: Set(summary.to_stored()),
        body: Set(body.to_stored()),
        status: Set(PublicationStatus::Published.as_str().to_owned()),
        author_user_id: Set(None),
        created_at: Set(at),
        updated_at: Set(at),
        published_at: Set(Some(at)),
        ..Default::default()
    })
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::render_markdown;

    #[test]
    fn markdown_is_rendered_and_script_removed() {
        let html = render_markdown(
            "# Title\n\nSome *text* and [a link](https://netinvet.example).\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n[bad](javascript:alert(3))",
        );
        assert!(html.contains("<h1>Title</h1>"), "{html}");
        assert!(html.contains("<em>text</em>"), "{html}");
        assert!(html.contains(r#"href="https://netinvet.example""#), "{html}");
        assert!(html.contains("noopener"), "{html}");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
    }
}
