//! Database migrations, forward-only. Each migration is one file and one small step; a breaking
//! change is split into add-then-remove across releases. Statements are written once in SQL with
//! `{pk}`, `{ts}` and `{bool}` standing for the types that differ between SQLite and PostgreSQL.
//!
//! PostgreSQL-only steps (row-level security, grants to the application role) are skipped on
//! SQLite, which has one process and no roles.

pub use sea_orm_migration::prelude::*;

mod m20261204_000001_centres_and_people;
mod m20261204_000002_invitations_and_tokens;
mod m20261204_000003_notifications_and_outbox;
mod m20261204_000004_sessions;
mod m20261204_000005_row_level_security;
mod m20261204_000006_shared_references;
mod m20261204_000007_charters_and_news;
mod m20261204_000008_public_profiles_and_applications;
mod m20261204_000009_mobility;
mod m20261204_000010_mobility_counts;

/// The role every tenant-owned table's policies and grants are written for. Deployments make the
/// application's login role a member of it (`GRANT netinvet_app TO web_user`); it has no
/// `BYPASSRLS`, so row-level security always applies.
pub const APP_ROLE: &str = "netinvet_app";

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261204_000001_centres_and_people::Migration),
            Box::new(m20261204_000002_invitations_and_tokens::Migration),
            Box::new(m20261204_000003_notifications_and_outbox::Migration),
            Box::new(m20261204_000004_sessions::Migration),
            Box::new(m20261204_000005_row_level_security::Migration),
            Box::new(m20261204_000006_shared_references::Migration),
            Box::new(m20261204_000007_charters_and_news::Migration),
            Box::new(m20261204_000008_public_profiles_and_applications::Migration),
            Box::new(m20261204_000009_mobility::Migration),
            Box::new(m20261204_000010_mobility_counts::Migration),
        ]
    }
}

/// Runs `sql` (statements separated by `;` at line ends) with backend-specific types filled in.
pub(crate) async fn run_portable(manager: &SchemaManager<'_>, sql: &str) -> Result<(), DbErr> {
    let backend = manager.get_database_backend();
    let (pk, ts, boolean) = match backend {
        sea_orm::DatabaseBackend::Postgres => ("BIGSERIAL PRIMARY KEY", "TIMESTAMPTZ", "BOOLEAN"),
        sea_orm::DatabaseBackend::Sqlite => ("INTEGER PRIMARY KEY AUTOINCREMENT", "TEXT", "BOOLEAN"),
        other => return Err(DbErr::Migration(format!("unsupported database backend {other:?}"))),
    };
    let sql = sql.replace("{pk}", pk).replace("{ts}", ts).replace("{bool}", boolean);
    let connection = manager.get_connection();
    for statement in sql.split(";\n").map(str::trim).filter(|s| !s.is_empty()) {
        connection.execute_unprepared(statement).await?;
    }
    Ok(())
}

/// Tenant-owned tables and the column (or columns, for records shared by two centres) that say
/// which centres may see a row. The row-level security migration and the isolation tests read it.
/// Each migration that adds tenant tables enables row-level security on them itself.
pub const TENANT_TABLES: &[(&str, &[&str])] = &[
    ("memberships", &["centre_id"]),
    ("invitations", &["centre_id"]),
    ("centre_profiles", &["centre_id"]),
    ("centre_qualifications", &["centre_id"]),
    ("centre_applications", &["centre_id"]),
    ("mobility_offers", &["centre_id"]),
    ("partnership_agreements", &["centre_a_id", "centre_b_id"]),
    ("agreement_versions", &["centre_a_id", "centre_b_id"]),
    ("mobility_operations", &["sending_centre_id", "host_centre_id"]),
    ("operation_participants", &["sending_centre_id", "host_centre_id"]),
    ("operation_transitions", &["sending_centre_id", "host_centre_id"]),
    ("learning_agreements", &["sending_centre_id", "host_centre_id"]),
    ("learning_agreement_units", &["sending_centre_id", "host_centre_id"]),
    ("operation_checklist_items", &["sending_centre_id", "host_centre_id"]),
    ("operation_documents", &["sending_centre_id", "host_centre_id"]),
    ("operation_messages", &["sending_centre_id", "host_centre_id"]),
    ("thread_watchers", &["sending_centre_id", "host_centre_id"]),
];
