//! Checklists per phase, generated from the charter for member centres in force when the host
//! accepts the operation: each commitment becomes an item assigned to a side (preparation to the
//! sending centre, the stay to the host centre, follow-up to both), done by whom and when. Items
//! marked blocking must be done before the operation can move to "in progress".

use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::operation_in;
use crate::db::Db;
use crate::entities::{mobility_operation, operation_checklist_item};
use crate::error::{DomainError, Result};
use crate::tenancy::{CentreAccess, TenantTx};
use crate::types::{CharterKind, CharterPhase, Localized, Side};

/// One checklist item.
#[derive(Debug, Clone)]
pub struct Item {
    pub id: i64,
    pub code: String,
    pub text: Localized,
    pub phase: CharterPhase,
    pub side: Side,
    pub blocking: bool,
    pub done_by: Option<String>,
    pub done_at: Option<DateTime<Utc>>,
}

fn sides(phase: CharterPhase) -> &'static [Side] {
    match phase {
        CharterPhase::General => &[],
        CharterPhase::Prepare => &[Side::Sending],
        CharterPhase::During => &[Side::Host],
        CharterPhase::FollowUp => &[Side::Sending, Side::Host],
    }
}

/// Writes the checklist from the charter in force (once: an operation accepted again after a
/// proposal keeps the list it has).
pub(crate) async fn generate(tx: &TenantTx, op: &mobility_operation::Model, _now: DateTime<Utc>) -> Result<()> {
    let existing = tx
        .select_shared::<operation_checklist_item::Entity>()
        .filter(operation_checklist_item::Column::OperationId.eq(op.id))
        .one(tx.conn())
        .await?;
    if existing.is_some() {
        return Ok(());
    }
    let charter = crate::charters::current_in(tx.conn(), CharterKind::Centres).await?;
    for section in &charter.sections {
        for item in &section.items {
            for side in sides(item.phase) {
                operation_checklist_item::Entity::insert(operation_checklist_item::ActiveModel {
                    operation_id: Set(op.id),
                    sending_centre_id: Set(op.sending_centre_id),
                    host_centre_id: Set(op.host_centre_id),
                    charter_item_id: Set(Some(item.id)),
                    charter_version: Set(charter.version),
                    code: Set(item.code.clone()),
                    text: Set(item.text.to_stored()),
                    phase: Set(item.phase.as_str().to_owned()),
                    side: Set(side.as_str().to_owned()),
                    blocking: Set(item.blocking),
                    done_by: Set(None),
                    done_at: Set(None),
                    ..Default::default()
                })
                .exec_without_returning(tx.conn())
                .await?;
            }
        }
    }
    Ok(())
}

/// The operation's checklist, by phase order.
pub async fn items(db: &Db, access: &CentreAccess, operation_id: i64) -> Result<Vec<Item>> {
    let tx = TenantTx::begin(db, access.centre_id()).await?;
    let (op, _) = operation_in(&tx, operation_id).await?;
    let rows = tx
        .select_shared::<operation_checklist_item::Entity>()
        .filter(operation_checklist_item::Column::OperationId.eq(op.id))
        .order_by_asc(operation_checklist_item::Column::Id)
        .all(tx.conn())
        .await?;
    let names = super::names(tx.conn(), rows.iter().map(|r| r.done_by)).await?;
    let mut list = Vec::new();
    for row in rows {
        let done_by = row.done_by.map(|u| super::name_of(&names, Some(u)));
        list.push(Item {
            id: row.id,
            code: row.code,
            text: Localized::from_stored(&row.text),
            phase: row.phase.parse().unwrap_or(CharterPhase::General),
            side: row.side.parse().unwrap_or(Side::Sending),
            blocking: row.blocking,
            done_by,
            done_at: row.done_at,
        });
    }
    tx.commit().await?;
    let order = |p: CharterPhase| CharterPhase::ALL.iter().position(|x| *x == p).unwrap_or(0);
    list.sort_by_key(|i| (order(i.phase), i.id));
    Ok(list)
}

/// Marks an item of the caller's side done (or not done again, `done = false`). Any member of
/// the side's centre staff may tick it; learners may not.
pub async fn mark(
    db: &Db,
    access: &CentreAccess,
    operation_id: i64,
    item: i64,
    done: bool,
    now: DateTime<Utc>,
) -> Result<()> {
    if access.role() == crate::types::MembershipRole::Learner {
        return Err(DomainError::Forbidden);
    }
    let tx = TenantTx::begin(db, access.centre_id()).await?;
    let (op, side) = operation_in(&tx, operation_id).await?;
    let row = tx
        .select_shared::<operation_checklist_item::Entity>()
        .filter(operation_checklist_item::Column::Id.eq(item))
        .filter(operation_checklist_item::Column::OperationId.eq(op.id))
        .one(tx.conn())
        .await?
        .ok_or(DomainError::NotFound)?;
    if row.side != side.as_str() {
        return Err(DomainError::invalid("item", "error.checklist_other_side"));
    }
    let mut active: operation_checklist_item::ActiveModel = row.into();
    if done {
        active.done_by = Set(Some(access.user_id().get()));
        active.done_at = Set(Some(now));
    } else {
        active.done_by = Set(None);
        active.done_at = Set(None);
    }
    operation_checklist_item::Entity::update(active).exec(tx.conn()).await?;
    tx.commit().await
}
