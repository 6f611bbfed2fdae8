//! The audit log: who read or changed what across tenants. Written in the same transaction as
//! the access it records. Holds identifiers only, never personal data.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::db::Db;
use crate::entities::audit_log;
use crate::error::Result;
use crate::tenancy::{CentreId, CommitteeAccess, UserId};

pub(crate) async fn record(
    conn: &impl ConnectionTrait,
    actor: Option<UserId>,
    action: &'static str,
    centre: Option<CentreId>,
    now: DateTime<Utc>,
) -> Result<()> {
    audit_log::ActiveModel {
        actor_user_id: Set(actor.map(UserId::get)),
        action: Set(action.to_owned()),
        centre_id: Set(centre.map(CentreId::get)),
        at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub actor_user_id: Option<i64>,
    pub action: String,
    pub centre_id: Option<i64>,
    pub at: DateTime<Utc>,
}

/// The most recent audit entries, newest first (committee only).
pub async fn recent(db: &Db, _access: &CommitteeAccess, limit: u64) -> Result<Vec<AuditEntry>> {
    Ok(audit_log::Entity::find()
        .order_by_desc(audit_log::Column::Id)
        .limit(limit)
        .all(db.conn())
        .await?
        .into_iter()
        .map(|row| AuditEntry {
            actor_user_id: row.actor_user_id,
            action: row.action,
            centre_id: row.centre_id,
            at: row.at,
        })
        .collect())
}

/// Audit entries about one centre, oldest first.
pub async fn for_centre(db: &Db, _access: &CommitteeAccess, centre: CentreId) -> Result<Vec<AuditEntry>> {
    Ok(audit_log::Entity::find()
        .filter(audit_log::Column::CentreId.eq(centre.get()))
        .order_by_asc(audit_log::Column::Id)
        .all(db.conn())
        .await?
        .into_iter()
        .map(|row| AuditEntry {
            actor_user_id: row.actor_user_id,
            action: row.action,
            centre_id: row.centre_id,
            at: row.at,
        })
        .collect())
}
