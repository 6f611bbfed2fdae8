//! The network's public count of mobility operations per year. Operations are shared tenant
//! rows that public pages cannot read; this counter (no personal or centre data, just a number
//! per year) is kept by the domain in the same transaction as the acceptance or cancellation
//! that changes it.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::run_portable(
            manager,
            r#"
CREATE TABLE mobility_yearly_counts (
    year INTEGER PRIMARY KEY,
    operations INTEGER NOT NULL
)
"#,
        )
        .await
    }
}
