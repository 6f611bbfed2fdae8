//! PostgreSQL row-level security on every tenant-owned table, and the application role.
//!
//! A row is visible when its centre is the one set for the transaction (`app.tenant_id`), or
//! during the committee's explicit, audited cross-tenant reads (`app.cross_tenant = 'on'`).
//! Memberships are also visible to the person they belong to (`app.user_id`), so a user can list
//! their own centres. Both settings are set with `set_config(.., true)`: they end with the
//! transaction and can never leak into the next one on a pooled connection.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The tenant tables that exist when this migration runs; later migrations secure their own.
const FOUNDATION_TABLES: &[(&str, &[&str])] = &[("memberships", &["centre_id"]), ("invitations", &["centre_id"])];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != sea_orm::DatabaseBackend::Postgres {
            return Ok(());
        }
        let role = crate::APP_ROLE;
        let connection = manager.get_connection();
        connection
            .execute_unprepared(&format!(
                "DO $$ BEGIN
                   IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN
                     CREATE ROLE {role} NOLOGIN NOBYPASSRLS;
                   END IF;
                 END $$"
            ))
            .await?;
        connection
            .execute_unprepared(
                "CREATE FUNCTION app_centre_visible(centre BIGINT) RETURNS BOOLEAN
                 LANGUAGE sql STABLE AS $$
                   SELECT coalesce(current_setting('app.cross_tenant', true), '') = 'on'
                       OR centre = nullif(current_setting('app.tenant_id', true), '')::BIGINT
                 $$",
            )
            .await?;
        for (table, columns) in FOUNDATION_TABLES {
            let visible = columns.iter().map(|c| format!("app_centre_visible({c})")).collect::<Vec<_>>().join(" OR ");
            let own = if *table == "memberships" {
                " OR user_id = nullif(current_setting('app.user_id', true), '')::BIGINT"
            } else {
                ""
            };
            for sql in [
                format!("ALTER TABLE {table} ENABLE ROW LEVEL SECURITY"),
                format!("ALTER TABLE {table} FORCE ROW LEVEL SECURITY"),
                format!("CREATE POLICY centre_isolation ON {table} USING ({visible}{own}) WITH CHECK ({visible})"),
            ] {
                connection.execute_unprepared(&sql).await?;
            }
        }
        for sql in [
            format!("GRANT USAGE ON SCHEMA public TO {role}"),
            format!("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}"),
            format!("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}"),
            format!(
                "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}"
            ),
            format!("ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {role}"),
        ] {
            connection.execute_unprepared(&sql).await?;
        }
        Ok(())
    }
}
