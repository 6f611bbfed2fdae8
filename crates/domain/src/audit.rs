//! The audit log: who read or changed what across tenants. Written in the same transaction as
//! the access it records. Holds identifiers only, never personal data.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait};

use crate::entities::audit_log;
use crate::error::Result;
use crate::tenancy::{CentreId, UserId};

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
