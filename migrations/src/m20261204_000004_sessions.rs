//! Browser sessions, stored in the platform's own database so no other service is needed.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::run_portable(
            manager,
            r#"
CREATE TABLE sessions (
    id VARCHAR(64) PRIMARY KEY,
    data TEXT NOT NULL,
    expires_at {ts} NOT NULL
);
CREATE INDEX sessions_expires ON sessions (expires_at)
"#,
        )
        .await
    }
}
