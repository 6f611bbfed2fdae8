//! What a centre shows the public (website, contact address, a short presentation), what it
//! declares it trains for (profiles and national qualifications, tenant-owned), the label
//! register's rows, and applications to join the network.
//!
//! On PostgreSQL the declarations and applications get the same row-level security as every
//! tenant table; declarations are also readable in the public directory's read-only
//! transactions (`app.public_read = 'on'`), since they are published on the centre's profile.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLES: &[&str] = &["centre_profiles", "centre_qualifications", "centre_applications"];
const PUBLIC_TABLES: &[&str] = &["centre_profiles", "centre_qualifications"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::run_portable(
            manager,
            r#"
ALTER TABLE centres ADD COLUMN website VARCHAR(300) NOT NULL DEFAULT '';
ALTER TABLE centres ADD COLUMN contact_email VARCHAR(254) NOT NULL DEFAULT '';
ALTER TABLE centres ADD COLUMN about TEXT NOT NULL DEFAULT '';
CREATE INDEX centres_status_country ON centres (status, country);
CREATE TABLE centre_profiles (
    id {pk},
    centre_id BIGINT NOT NULL REFERENCES centres(id) ON DELETE CASCADE,
    profile_id BIGINT NOT NULL REFERENCES profiles(id) ON DELETE RESTRICT,
    created_at {ts} NOT NULL,
    UNIQUE (centre_id, profile_id)
);
CREATE INDEX centre_profiles_profile ON centre_profiles (profile_id);
CREATE TABLE centre_qualifications (
    id {pk},
    centre_id BIGINT NOT NULL REFERENCES centres(id) ON DELETE CASCADE,
    qualification_id BIGINT NOT NULL REFERENCES qualifications(id) ON DELETE RESTRICT,
    created_at {ts} NOT NULL,
    UNIQUE (centre_id, qualification_id)
);
CREATE TABLE labels (
    id {pk},
    centre_id BIGINT NOT NULL REFERENCES centres(id) ON DELETE CASCADE,
    status VARCHAR(20) NOT NULL,
    awarded_on {ts} NOT NULL,
    valid_until {ts} NOT NULL,
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL
);
CREATE INDEX labels_centre ON labels (centre_id);
CREATE TABLE centre_applications (
    id {pk},
    centre_id BIGINT NOT NULL UNIQUE REFERENCES centres(id) ON DELETE CASCADE,
    contact_name VARCHAR(200) NOT NULL,
    contact_email VARCHAR(254) NOT NULL,
    contact_role VARCHAR(200) NOT NULL,
    language VARCHAR(8) NOT NULL,
    motivation TEXT NOT NULL,
    submitted_at {ts} NOT NULL
)
"#,
        )
        .await?;
        if manager.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
            let connection = manager.get_connection();
            for table in TABLES {
                let public = if PUBLIC_TABLES.contains(table) {
                    " OR coalesce(current_setting('app.public_read', true), '') = 'on'"
                } else {
                    ""
                };
                for sql in [
                    format!("ALTER TABLE {table} ENABLE ROW LEVEL SECURITY"),
                    format!("ALTER TABLE {table} FORCE ROW LEVEL SECURITY"),
                    format!(
                        "CREATE POLICY centre_isolation ON {table} USING (app_centre_visible(centre_id){public}) \
                         WITH CHECK (app_centre_visible(centre_id))"
                    ),
                ] {
                    connection.execute_unprepared(&sql).await?;
                }
            }
        }
        Ok(())
    }
}
