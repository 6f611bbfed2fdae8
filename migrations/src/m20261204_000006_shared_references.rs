//! The network's shared references, owned by the steering committee: sectors, professional
//! profiles on the EQF, their units of learning outcomes, and each country's national
//! qualifications with the shared units they cover. Texts are JSON maps from language code to
//! text. References are never deleted once published (they are retired), so the foreign keys
//! pointing at them restrict deletion.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::run_portable(
            manager,
            r#"
CREATE TABLE sectors (
    id {pk},
    code VARCHAR(63) NOT NULL UNIQUE,
    name TEXT NOT NULL,
    status VARCHAR(20) NOT NULL,
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL
);
CREATE TABLE profiles (
    id {pk},
    code VARCHAR(63) NOT NULL UNIQUE,
    sector_id BIGINT NOT NULL REFERENCES sectors(id) ON DELETE RESTRICT,
    eqf_level INTEGER NOT NULL CHECK (eqf_level BETWEEN 1 AND 8),
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    status VARCHAR(20) NOT NULL,
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL
);
CREATE INDEX profiles_sector ON profiles (sector_id);
CREATE TABLE units (
    id {pk},
    profile_id BIGINT NOT NULL REFERENCES profiles(id) ON DELETE RESTRICT,
    code VARCHAR(30) NOT NULL,
    title TEXT NOT NULL,
    knowledge TEXT NOT NULL,
    skills TEXT NOT NULL,
    competence TEXT NOT NULL,
    position INTEGER NOT NULL,
    status VARCHAR(20) NOT NULL,
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL,
    UNIQUE (profile_id, code)
);
CREATE TABLE qualifications (
    id {pk},
    country CHAR(2) NOT NULL,
    code VARCHAR(63) NOT NULL,
    title TEXT NOT NULL,
    eqf_level INTEGER NOT NULL CHECK (eqf_level BETWEEN 1 AND 8),
    status VARCHAR(20) NOT NULL,
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL,
    UNIQUE (country, code)
);
CREATE TABLE qualification_units (
    qualification_id BIGINT NOT NULL REFERENCES qualifications(id) ON DELETE CASCADE,
    unit_id BIGINT NOT NULL REFERENCES units(id) ON DELETE RESTRICT,
    PRIMARY KEY (qualification_id, unit_id)
);
CREATE INDEX qualification_units_unit ON qualification_units (unit_id)
"#,
        )
        .await
    }
}
