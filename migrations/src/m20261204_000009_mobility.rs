//! Mobility between centres: offers (owned by the host centre, readable by every member centre
//! searching for partners), partnership agreements and their signed versions, and mobility
//! operations with everything hanging off them (participants, transitions, learning agreements
//! and their units, checklists, documents, messages). Every row of an agreement or an operation
//! carries both centres, and row-level security shows it to exactly those two.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Tables shared by two centres, with the two columns naming them.
const SHARED_TABLES: &[&str] = &[
    "partnership_agreements",
    "agreement_versions",
    "mobility_operations",
    "operation_participants",
    "operation_transitions",
    "learning_agreements",
    "learning_agreement_units",
    "operation_checklist_items",
    "operation_documents",
    "operation_messages",
    "thread_watchers",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::run_portable(
            manager,
            r#"
CREATE TABLE mobility_offers (
    id {pk},
    centre_id BIGINT NOT NULL REFERENCES centres(id) ON DELETE CASCADE,
    profile_id BIGINT NOT NULL REFERENCES profiles(id) ON DELETE RESTRICT,
    mobility_type VARCHAR(20) NOT NULL,
    window_start DATE NOT NULL,
    window_end DATE NOT NULL,
    places INTEGER NOT NULL CHECK (places > 0),
    places_taken INTEGER NOT NULL DEFAULT 0,
    working_language VARCHAR(8) NOT NULL,
    application_deadline DATE NOT NULL,
    accommodation_help {bool} NOT NULL,
    local_transport {bool} NOT NULL,
    tutoring {bool} NOT NULL,
    description TEXT NOT NULL,
    status VARCHAR(20) NOT NULL,
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL
);
CREATE INDEX mobility_offers_centre ON mobility_offers (centre_id);
CREATE TABLE partnership_agreements (
    id {pk},
    centre_a_id BIGINT NOT NULL REFERENCES centres(id) ON DELETE CASCADE,
    centre_b_id BIGINT NOT NULL REFERENCES centres(id) ON DELETE CASCADE,
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at {ts} NOT NULL,
    CHECK (centre_a_id <> centre_b_id)
);
CREATE INDEX partnership_agreements_a ON partnership_agreements (centre_a_id);
CREATE INDEX partnership_agreements_b ON partnership_agreements (centre_b_id);
CREATE TABLE agreement_versions (
    id {pk},
    agreement_id BIGINT NOT NULL REFERENCES partnership_agreements(id) ON DELETE CASCADE,
    centre_a_id BIGINT NOT NULL,
    centre_b_id BIGINT NOT NULL,
    version INTEGER NOT NULL,
    profile_ids TEXT NOT NULL,
    unit_ids TEXT NOT NULL,
    assessment TEXT NOT NULL,
    validation TEXT NOT NULL,
    recognition TEXT NOT NULL,
    valid_from DATE NOT NULL,
    valid_until DATE NOT NULL,
    drafted_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    drafted_at {ts} NOT NULL,
    signed_a_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    signed_a_at {ts},
    signed_b_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    signed_b_at {ts},
    UNIQUE (agreement_id, version)
);
CREATE TABLE mobility_operations (
    id {pk},
    sending_centre_id BIGINT NOT NULL REFERENCES centres(id) ON DELETE CASCADE,
    host_centre_id BIGINT NOT NULL REFERENCES centres(id) ON DELETE CASCADE,
    offer_id BIGINT REFERENCES mobility_offers(id) ON DELETE SET NULL,
    agreement_id BIGINT REFERENCES partnership_agreements(id) ON DELETE SET NULL,
    mobility_type VARCHAR(20) NOT NULL,
    profile_id BIGINT REFERENCES profiles(id) ON DELETE RESTRICT,
    participants_planned INTEGER NOT NULL CHECK (participants_planned > 0),
    period_start DATE NOT NULL,
    period_end DATE NOT NULL,
    proposed_start DATE,
    proposed_end DATE,
    state VARCHAR(20) NOT NULL,
    state_reason TEXT NOT NULL,
    request_message TEXT NOT NULL,
    accommodation TEXT NOT NULL,
    insurance TEXT NOT NULL,
    emergency_contacts TEXT NOT NULL,
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL,
    CHECK (sending_centre_id <> host_centre_id),
    CHECK (period_start <= period_end)
);
CREATE INDEX mobility_operations_sending ON mobility_operations (sending_centre_id, state);
CREATE INDEX mobility_operations_host ON mobility_operations (host_centre_id, state);
CREATE INDEX mobility_operations_offer ON mobility_operations (offer_id);
CREATE TABLE operation_participants (
    id {pk},
    operation_id BIGINT NOT NULL REFERENCES mobility_operations(id) ON DELETE CASCADE,
    sending_centre_id BIGINT NOT NULL,
    host_centre_id BIGINT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE RESTRICT,
    created_at {ts} NOT NULL,
    UNIQUE (operation_id, user_id)
);
CREATE INDEX operation_participants_user ON operation_participants (user_id);
CREATE TABLE operation_transitions (
    id {pk},
    operation_id BIGINT NOT NULL REFERENCES mobility_operations(id) ON DELETE CASCADE,
    sending_centre_id BIGINT NOT NULL,
    host_centre_id BIGINT NOT NULL,
    from_state VARCHAR(20),
    to_state VARCHAR(20) NOT NULL,
    by_user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    by_centre_id BIGINT NOT NULL,
    reason TEXT NOT NULL,
    at {ts} NOT NULL
);
CREATE INDEX operation_transitions_operation ON operation_transitions (operation_id);
CREATE TABLE learning_agreements (
    id {pk},
    operation_id BIGINT NOT NULL REFERENCES mobility_operations(id) ON DELETE CASCADE,
    participant_id BIGINT NOT NULL UNIQUE REFERENCES operation_participants(id) ON DELETE CASCADE,
    sending_centre_id BIGINT NOT NULL,
    host_centre_id BIGINT NOT NULL,
    activities TEXT NOT NULL,
    signed_sending_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    signed_sending_at {ts},
    signed_host_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    signed_host_at {ts},
    signed_learner_at {ts},
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL
);
CREATE TABLE learning_agreement_units (
    id {pk},
    learning_agreement_id BIGINT NOT NULL REFERENCES learning_agreements(id) ON DELETE CASCADE,
    sending_centre_id BIGINT NOT NULL,
    host_centre_id BIGINT NOT NULL,
    unit_id BIGINT NOT NULL REFERENCES units(id) ON DELETE RESTRICT,
    activities TEXT NOT NULL,
    assessment_method TEXT NOT NULL,
    result VARCHAR(20),
    result_note TEXT NOT NULL,
    result_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    result_at {ts},
    recognition VARCHAR(20),
    recognition_date DATE,
    recognition_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    UNIQUE (learning_agreement_id, unit_id)
);
CREATE TABLE operation_checklist_items (
    id {pk},
    operation_id BIGINT NOT NULL REFERENCES mobility_operations(id) ON DELETE CASCADE,
    sending_centre_id BIGINT NOT NULL,
    host_centre_id BIGINT NOT NULL,
    charter_item_id BIGINT REFERENCES charter_items(id) ON DELETE SET NULL,
    charter_version INTEGER NOT NULL,
    code VARCHAR(30) NOT NULL,
    text TEXT NOT NULL,
    phase VARCHAR(20) NOT NULL,
    side VARCHAR(20) NOT NULL,
    blocking {bool} NOT NULL,
    done_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    done_at {ts},
    UNIQUE (operation_id, code, side)
);
CREATE TABLE operation_documents (
    id {pk},
    operation_id BIGINT NOT NULL REFERENCES mobility_operations(id) ON DELETE CASCADE,
    sending_centre_id BIGINT NOT NULL,
    host_centre_id BIGINT NOT NULL,
    kind VARCHAR(30) NOT NULL,
    filename VARCHAR(200) NOT NULL,
    content_type VARCHAR(100) NOT NULL,
    size_bytes BIGINT NOT NULL,
    storage_key VARCHAR(200) NOT NULL UNIQUE,
    uploaded_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    uploaded_by_centre_id BIGINT NOT NULL,
    uploaded_at {ts} NOT NULL
);
CREATE TABLE operation_messages (
    id {pk},
    operation_id BIGINT NOT NULL REFERENCES mobility_operations(id) ON DELETE CASCADE,
    sending_centre_id BIGINT NOT NULL,
    host_centre_id BIGINT NOT NULL,
    author_user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    author_centre_id BIGINT NOT NULL,
    body TEXT NOT NULL,
    created_at {ts} NOT NULL
);
CREATE INDEX operation_messages_operation ON operation_messages (operation_id, id);
CREATE TABLE thread_watchers (
    id {pk},
    operation_id BIGINT NOT NULL REFERENCES mobility_operations(id) ON DELETE CASCADE,
    sending_centre_id BIGINT NOT NULL,
    host_centre_id BIGINT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    last_emailed_at {ts},
    notified_through_message_id BIGINT NOT NULL,
    UNIQUE (operation_id, user_id)
)
"#,
        )
        .await?;
        if manager.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
            let connection = manager.get_connection();
            let mut statements = vec![
                "ALTER TABLE mobility_offers ENABLE ROW LEVEL SECURITY".to_owned(),
                "ALTER TABLE mobility_offers FORCE ROW LEVEL SECURITY".to_owned(),
                "CREATE POLICY centre_isolation ON mobility_offers USING (app_centre_visible(centre_id) \
                 OR coalesce(current_setting('app.network_read', true), '') = 'on') \
                 WITH CHECK (app_centre_visible(centre_id))"
                    .to_owned(),
            ];
            for table in SHARED_TABLES {
                let (a, b) = if table.starts_with("partnership") || table.starts_with("agreement") {
                    ("centre_a_id", "centre_b_id")
                } else {
                    ("sending_centre_id", "host_centre_id")
                };
                statements.push(format!("ALTER TABLE {table} ENABLE ROW LEVEL SECURITY"));
                statements.push(format!("ALTER TABLE {table} FORCE ROW LEVEL SECURITY"));
                statements.push(format!(
                    "CREATE POLICY centre_isolation ON {table} \
                     USING (app_centre_visible({a}) OR app_centre_visible({b})) \
                     WITH CHECK (app_centre_visible({a}) OR app_centre_visible({b}))"
                ));
            }
            for sql in statements {
                connection.execute_unprepared(&sql).await?;
            }
        }
        Ok(())
    }
}
