//! Member centres (the tenants), people, their network roles and their memberships in centres.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::run_portable(
            manager,
            r#"
CREATE TABLE centres (
    id {pk},
    slug VARCHAR(63) NOT NULL UNIQUE,
    name VARCHAR(200) NOT NULL,
    country CHAR(2) NOT NULL,
    city VARCHAR(120) NOT NULL,
    languages VARCHAR(200) NOT NULL,
    sectors VARCHAR(200) NOT NULL,
    status VARCHAR(20) NOT NULL,
    created_at {ts} NOT NULL
);
CREATE TABLE users (
    id {pk},
    email VARCHAR(254) NOT NULL,
    email_key VARCHAR(254) NOT NULL UNIQUE,
    name VARCHAR(200) NOT NULL,
    language VARCHAR(8) NOT NULL,
    password_hash VARCHAR(200) NOT NULL,
    session_epoch INTEGER NOT NULL DEFAULT 0,
    created_at {ts} NOT NULL
);
CREATE TABLE network_roles (
    id {pk},
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role VARCHAR(20) NOT NULL,
    granted_at {ts} NOT NULL,
    UNIQUE (user_id, role)
);
CREATE TABLE memberships (
    id {pk},
    centre_id BIGINT NOT NULL REFERENCES centres(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role VARCHAR(20) NOT NULL,
    created_at {ts} NOT NULL,
    UNIQUE (centre_id, user_id)
);
CREATE INDEX memberships_user ON memberships (user_id);
CREATE TABLE network_settings (
    key VARCHAR(100) PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at {ts} NOT NULL
);
CREATE TABLE audit_log (
    id {pk},
    actor_user_id BIGINT,
    action VARCHAR(100) NOT NULL,
    centre_id BIGINT,
    at {ts} NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at)
"#,
        )
        .await
    }
}
