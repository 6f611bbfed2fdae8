//! The two quality charters as versioned documents (sections of commitments, each commitment an
//! item later issues turn into checklists and label evidence), and the committee's news. A
//! published charter version is never changed: a change is a new version.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::run_portable(
            manager,
            r#"
CREATE TABLE charter_versions (
    id {pk},
    kind VARCHAR(20) NOT NULL,
    version INTEGER NOT NULL,
    title TEXT NOT NULL,
    introduction TEXT NOT NULL,
    status VARCHAR(20) NOT NULL,
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL,
    published_at {ts},
    UNIQUE (kind, version)
);
CREATE TABLE charter_sections (
    id {pk},
    version_id BIGINT NOT NULL REFERENCES charter_versions(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    title TEXT NOT NULL
);
CREATE INDEX charter_sections_version ON charter_sections (version_id);
CREATE TABLE charter_items (
    id {pk},
    section_id BIGINT NOT NULL REFERENCES charter_sections(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    code VARCHAR(30) NOT NULL,
    text TEXT NOT NULL,
    phase VARCHAR(20) NOT NULL,
    blocking {bool} NOT NULL
);
CREATE INDEX charter_items_section ON charter_items (section_id);
CREATE TABLE news_articles (
    id {pk},
    slug VARCHAR(100) NOT NULL UNIQUE,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    body TEXT NOT NULL,
    status VARCHAR(20) NOT NULL,
    author_user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL,
    published_at {ts}
);
CREATE INDEX news_articles_published ON news_articles (status, published_at)
"#,
        )
        .await
    }
}
