//! Email delivery records (one per reason, by idempotency key), the job outbox written in the
//! same transaction as the change a job follows, and the embedded mode's development mailbox.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::run_portable(
            manager,
            r#"
CREATE TABLE emails (
    id {pk},
    idempotency_key VARCHAR(200) NOT NULL UNIQUE,
    category VARCHAR(50) NOT NULL,
    recipient VARCHAR(254) NOT NULL,
    recipient_key VARCHAR(254) NOT NULL,
    language VARCHAR(8) NOT NULL,
    template VARCHAR(50) NOT NULL,
    content TEXT NOT NULL,
    centre_id BIGINT REFERENCES centres(id) ON DELETE SET NULL,
    status VARCHAR(20) NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    created_at {ts} NOT NULL,
    sent_at {ts}
);
CREATE INDEX emails_recipient_category ON emails (recipient_key, category, created_at);
CREATE INDEX emails_status ON emails (status);
CREATE TABLE outbox (
    id {pk},
    job_key VARCHAR(200) NOT NULL UNIQUE,
    job_name VARCHAR(100) NOT NULL,
    payload TEXT NOT NULL,
    centre_id BIGINT,
    trace_context TEXT NOT NULL,
    created_at {ts} NOT NULL,
    relayed_at {ts}
);
CREATE INDEX outbox_unrelayed ON outbox (relayed_at, id);
CREATE TABLE dev_mailbox (
    id {pk},
    email_id BIGINT NOT NULL,
    recipient VARCHAR(254) NOT NULL,
    subject TEXT NOT NULL,
    text_body TEXT NOT NULL,
    html_body TEXT NOT NULL,
    delivered_at {ts} NOT NULL
)
"#,
        )
        .await
    }
}
