//! Storage of browser sessions (the web app's session store writes through here), and the purge
//! of expired sessions, tokens and old outbox rows that the scheduler asks for daily.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

use crate::db::Db;
use crate::entities::session;
use crate::error::Result;

/// The stored data of a session that has not expired.
pub async fn load(db: &Db, id: &str, now: DateTime<Utc>) -> Result<Option<String>> {
    Ok(session::Entity::find_by_id(id.to_owned())
        .filter(session::Column::ExpiresAt.gt(now))
        .one(db.conn())
        .await?
        .map(|row| row.data))
}

/// Inserts or replaces a session.
pub async fn save(db: &Db, id: &str, data: String, expires_at: DateTime<Utc>) -> Result<()> {
    session::Entity::insert(session::ActiveModel {
        id: Set(id.to_owned()),
        data: Set(data),
        expires_at: Set(expires_at),
    })
    .on_conflict(
        sea_orm::sea_query::OnConflict::column(session::Column::Id)
            .update_columns([session::Column::Data, session::Column::ExpiresAt])
            .to_owned(),
    )
    .exec(db.conn())
    .await?;
    Ok(())
}

/// Inserts a session only if its id is free; false when the id is taken.
pub async fn create(db: &Db, id: &str, data: String, expires_at: DateTime<Utc>) -> Result<bool> {
    let inserted = session::Entity::insert(session::ActiveModel {
        id: Set(id.to_owned()),
        data: Set(data),
        expires_at: Set(expires_at),
    })
    .on_conflict_do_nothing_on([session::Column::Id])
    .exec_without_returning(db.conn())
    .await?;
    Ok(matches!(inserted, sea_orm::TryInsertResult::Inserted(n) if n > 0))
}

pub async fn delete(db: &Db, id: &str) -> Result<()> {
    session::Entity::delete_by_id(id.to_owned()).exec(db.conn()).await?;
    Ok(())
}

/// What one purge removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PurgeReport {
    pub sessions: u64,
    pub tokens: u64,
    pub outbox_rows: u64,
}

/// How long relayed outbox rows are kept (the queue keeps its own record of each job).
pub const OUTBOX_RETENTION: Duration = Duration::days(30);

/// Deletes expired sessions, tokens that can no longer be used, and old relayed outbox rows.
pub async fn purge_expired(db: &Db, now: DateTime<Utc>) -> Result<PurgeReport> {
    let txn = db.begin().await?;
    let sessions =
        session::Entity::delete_many().filter(session::Column::ExpiresAt.lte(now)).exec(&txn).await?.rows_affected;
    let tokens = crate::tokens::purge(&txn, now).await?;
    let outbox_rows = crate::outbox::purge_relayed(&txn, now - OUTBOX_RETENTION).await?;
    txn.commit().await?;
    Ok(PurgeReport { sessions, tokens, outbox_rows })
}
