//! Invitations to a centre's workspace, and single-use expiring tokens (stored hashed).
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::run_portable(
            manager,
            r#"
CREATE TABLE invitations (
    id {pk},
    centre_id BIGINT NOT NULL REFERENCES centres(id) ON DELETE CASCADE,
    email VARCHAR(254) NOT NULL,
    email_key VARCHAR(254) NOT NULL,
    role VARCHAR(20) NOT NULL,
    language VARCHAR(8) NOT NULL,
    invited_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    status VARCHAR(20) NOT NULL,
    created_at {ts} NOT NULL,
    expires_at {ts} NOT NULL,
    reminded_at {ts},
    closed_at {ts},
    accepted_user_id BIGINT REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX invitations_centre_status ON invitations (centre_id, status);
CREATE TABLE tokens (
    id {pk},
    purpose VARCHAR(30) NOT NULL,
    token_hash CHAR(64) NOT NULL UNIQUE,
    user_id BIGINT REFERENCES users(id) ON DELETE CASCADE,
    centre_id BIGINT REFERENCES centres(id) ON DELETE CASCADE,
    subject_id BIGINT,
    created_at {ts} NOT NULL,
    expires_at {ts} NOT NULL,
    used_at {ts}
);
CREATE INDEX tokens_expires ON tokens (expires_at)
"#,
        )
        .await
    }
}
