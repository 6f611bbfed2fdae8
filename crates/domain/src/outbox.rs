//! The job outbox. A job is written here in the same transaction as the change it follows, so
//! it exists exactly when the change does; the relay then copies it into the apalis queue.
//!
//! Both steps are keyed: the outbox refuses a second row with the same job key, and the queue
//! refuses a second task with the same idempotency key, so a relay that dies between pushing and
//! marking, or two relays racing, never queue a job twice.

use apalis_core::task::builder::TaskBuilder;
use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::db::Db;
use crate::entities::outbox_entry;
use crate::error::{DomainError, Result};
use crate::jobs::{Job, JobEnvelope, QUEUE};
use crate::tenancy::CentreId;

/// How many times the worker tries a job before it is marked failed.
pub const MAX_ATTEMPTS: usize = 6;

/// Writes `job` to the outbox on `conn` (the caller's transaction). Returns false when a job
/// with the same key was already written.
pub(crate) async fn enqueue<J: Job>(
    conn: &impl ConnectionTrait,
    job: &J,
    centre: Option<CentreId>,
    now: DateTime<Utc>,
) -> Result<bool> {
    let trace = netinvet_telemetry::current_trace_carrier();
    let row = outbox_entry::ActiveModel {
        job_key: Set(job.key()),
        job_name: Set(J::NAME.to_owned()),
        payload: Set(serde_json::to_string(job)?),
        centre_id: Set(centre.map(CentreId::get)),
        trace_context: Set(serde_json::to_string(&trace)?),
        created_at: Set(now),
        ..Default::default()
    };
    let inserted = outbox_entry::Entity::insert(row)
        .on_conflict_do_nothing_on([outbox_entry::Column::JobKey])
        .exec_without_returning(conn)
        .await?;
    Ok(matches!(inserted, sea_orm::TryInsertResult::Inserted(n) if n > 0))
}

/// Writes `job` to the outbox in its own transaction (for the scheduler, whose ticks follow no
/// other change). Returns false when the job was already there.
pub async fn enqueue_standalone<J: Job>(db: &Db, job: &J, now: DateTime<Utc>) -> Result<bool> {
    let txn = db.begin().await?;
    let inserted = enqueue(&txn, job, None, now).await?;
    txn.commit().await?;
    Ok(inserted)
}

/// Copies up to `batch` unrelayed outbox rows into the job queue and marks them relayed.
/// Returns how many rows it relayed.
pub async fn relay(db: &Db, batch: u64, now: DateTime<Utc>) -> Result<usize> {
    let rows = outbox_entry::Entity::find()
        .filter(outbox_entry::Column::RelayedAt.is_null())
        .order_by_asc(outbox_entry::Column::Id)
        .limit(batch)
        .all(db.conn())
        .await?;
    if rows.is_empty() {
        return Ok(0);
    }
    let mut tasks = Vec::with_capacity(rows.len());
    for row in &rows {
        let envelope = JobEnvelope {
            name: row.job_name.clone(),
            key: row.job_key.clone(),
            payload: serde_json::from_str(&row.payload)?,
            centre_id: row.centre_id,
            trace: serde_json::from_str(&row.trace_context)?,
        };
        tasks.push(
            TaskBuilder::new(serde_json::to_vec(&envelope)?)
                .idempotency_key(&row.job_key)
                .max_attempts(MAX_ATTEMPTS)
                .build(),
        );
    }
    push(db, tasks).await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    outbox_entry::Entity::update_many()
        .col_expr(outbox_entry::Column::RelayedAt, sea_orm::sea_query::Expr::value(now))
        .filter(outbox_entry::Column::Id.is_in(ids))
        .exec(db.conn())
        .await?;
    Ok(rows.len())
}

async fn push(db: &Db, tasks: Vec<apalis_core::task::Task<Vec<u8>>>) -> Result<()> {
    let queue_error = |e: &dyn std::fmt::Display| DomainError::Internal(format!("job queue push: {e}"));
    if let Some(pool) = db.sqlite_pool() {
        let mut conn = pool.acquire().await.map_err(|e| queue_error(&e))?;
        apalis_sqlite::queries::push_tasks(&mut *conn, QUEUE, &tasks).await.map_err(|e| queue_error(&e))?;
    } else if let Some(pool) = db.postgres_pool() {
        let mut conn = pool.acquire().await.map_err(|e| queue_error(&e))?;
        apalis_postgres::queries::push_tasks(&mut *conn, QUEUE, tasks).await.map_err(|e| queue_error(&e))?;
    }
    Ok(())
}

/// Outbox rows not yet relayed (the test harness waits for zero).
pub async fn unrelayed_count(db: &Db) -> Result<u64> {
    use sea_orm::PaginatorTrait;
    Ok(outbox_entry::Entity::find().filter(outbox_entry::Column::RelayedAt.is_null()).count(db.conn()).await?)
}

/// Deletes relayed rows older than `before`; the queue keeps its own record of each job.
pub(crate) async fn purge_relayed(conn: &impl ConnectionTrait, before: DateTime<Utc>) -> Result<u64> {
    Ok(outbox_entry::Entity::delete_many()
        .filter(outbox_entry::Column::RelayedAt.lt(before))
        .exec(conn)
        .await?
        .rows_affected)
}

/// Where the queue's jobs stand, from apalis's own table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueSummary {
    /// Waiting or being worked on.
    pub outstanding: i64,
    pub done: i64,
    /// Failed for good (every attempt used, or aborted).
    pub failed: Vec<FailedJob>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailedJob {
    pub id: String,
    pub status: String,
    pub attempts: i64,
    pub last_result: Option<String>,
}

/// Reads the job queue's table: how many jobs are outstanding, done, and which failed.
pub async fn queue_summary(db: &Db) -> Result<QueueSummary> {
    let queue_error = |e: sqlx::Error| DomainError::Internal(format!("job queue read: {e}"));
    let mut summary = QueueSummary::default();
    let rows: Vec<(String, String, i64, i64, Option<String>)> = if let Some(pool) = db.sqlite_pool() {
        sqlx::query_as(
            "SELECT id, status, CAST(attempts AS INTEGER), CAST(max_attempts AS INTEGER), last_result \
             FROM Jobs WHERE job_type = ?",
        )
        .bind(QUEUE)
        .fetch_all(pool)
        .await
        .map_err(queue_error)?
    } else if let Some(pool) = db.postgres_pool() {
        sqlx::query_as(
            "SELECT id, status, attempts::BIGINT, max_attempts::BIGINT, last_result::TEXT \
             FROM apalis.jobs WHERE job_type = $1",
        )
        .bind(QUEUE)
        .fetch_all(pool)
        .await
        .map_err(queue_error)?
    } else {
        Vec::new()
    };
    for (id, status, attempts, max_attempts, last_result) in rows {
        // A failed job with attempts left is fetched again by the queue: still outstanding.
        let failed_for_good = status == "Killed" || (status == "Failed" && attempts >= max_attempts);
        match status.as_str() {
            "Done" => summary.done += 1,
            _ if failed_for_good => summary.failed.push(FailedJob { id, status, attempts, last_result }),
            _ => summary.outstanding += 1,
        }
    }
    Ok(summary)
}
