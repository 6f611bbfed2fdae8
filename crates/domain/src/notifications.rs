//! Email notifications: one delivery record per reason, identified by an idempotency key, so the
//! same reason never produces two emails; a per-person, per-category daily cap; and a delivery
//! status (queued, sent, failed, suppressed, cancelled) that anyone on the committee can see.
//!
//! Queuing writes the record and its `email.send` job in the caller's transaction. This module
//! never sends anything itself: the worker does.

use chrono::{DateTime, Duration, Utc};
use netinvet_i18n::Lang;
use netinvet_mail::Email;
use sea_orm::sea_query::ExprTrait;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::db::Db;
use crate::entities::email;
use crate::error::{DomainError, Result};
use crate::jobs::SendEmail;
use crate::tenancy::{CentreId, CommitteeAccess};
use crate::types::EmailAddress;

/// Where one email stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryStatus {
    Queued,
    Sent,
    /// Delivery failed for good; `last_error` says why.
    Failed,
    /// Not sent: the person's daily cap for this category was reached.
    Suppressed,
    /// Not sent: what it was about was done before it went out.
    Cancelled,
}

impl DeliveryStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Queued => "queued",
            DeliveryStatus::Sent => "sent",
            DeliveryStatus::Failed => "failed",
            DeliveryStatus::Suppressed => "suppressed",
            DeliveryStatus::Cancelled => "cancelled",
        }
    }

    fn parse(s: &str) -> Self {
        match s {
            "sent" => DeliveryStatus::Sent,
            "failed" => DeliveryStatus::Failed,
            "suppressed" => DeliveryStatus::Suppressed,
            "cancelled" => DeliveryStatus::Cancelled,
            _ => DeliveryStatus::Queued,
        }
    }
}

/// An email to queue, and why.
#[derive(Debug, Clone)]
pub(crate) struct EmailRequest<'a> {
    /// Unique per reason, e.g. `invitation-reminder:42`.
    pub key: String,
    /// Groups emails for the daily cap, e.g. `invitation`.
    pub category: &'static str,
    pub to: &'a EmailAddress,
    pub lang: Lang,
    pub email: Email,
    pub centre: Option<CentreId>,
}

/// What queuing did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Queued {
    Queued,
    /// An email for this reason already exists: nothing new was written.
    Duplicate,
    /// Recorded as suppressed: the cap was reached.
    Suppressed,
}

/// Records `request` and its send job on `conn`, unless an email for the same reason exists.
pub(crate) async fn queue_email(
    conn: &impl ConnectionTrait,
    request: EmailRequest<'_>,
    daily_cap: u32,
    now: DateTime<Utc>,
) -> Result<Queued> {
    if email::Entity::find().filter(email::Column::IdempotencyKey.eq(&request.key)).one(conn).await?.is_some() {
        return Ok(Queued::Duplicate);
    }
    let sent_today = email::Entity::find()
        .filter(email::Column::RecipientKey.eq(request.to.key()))
        .filter(email::Column::Category.eq(request.category))
        .filter(email::Column::CreatedAt.gt(now - Duration::days(1)))
        .filter(
            email::Column::Status.is_not_in([DeliveryStatus::Suppressed.as_str(), DeliveryStatus::Cancelled.as_str()]),
        )
        .count(conn)
        .await?;
    let status = if sent_today >= u64::from(daily_cap) { DeliveryStatus::Suppressed } else { DeliveryStatus::Queued };
    let row = email::ActiveModel {
        idempotency_key: Set(request.key),
        category: Set(request.category.to_owned()),
        recipient: Set(request.to.as_str().to_owned()),
        recipient_key: Set(request.to.key().to_owned()),
        language: Set(request.lang.code().to_owned()),
        template: Set(request.email.template().to_owned()),
        content: Set(serde_json::to_string(&request.email)?),
        centre_id: Set(request.centre.map(CentreId::get)),
        status: Set(status.as_str().to_owned()),
        attempts: Set(0),
        last_error: Set(None),
        created_at: Set(now),
        sent_at: Set(None),
        ..Default::default()
    };
    // The unique key settles races the check above cannot: a second writer for the same reason
    // (two sweeps at once) waits for the first to commit, then inserts nothing.
    let inserted =
        email::Entity::insert(row).on_conflict_do_nothing_on([email::Column::IdempotencyKey]).exec(conn).await?;
    let sea_orm::TryInsertResult::Inserted(inserted) = inserted else {
        return Ok(Queued::Duplicate);
    };
    if status == DeliveryStatus::Suppressed {
        tracing::info!(
            email.id = inserted.last_insert_id,
            category = request.category,
            "email suppressed by daily cap"
        );
        return Ok(Queued::Suppressed);
    }
    crate::outbox::enqueue(conn, &SendEmail { email_id: inserted.last_insert_id }, request.centre, now).await?;
    Ok(Queued::Queued)
}

/// Cancels a queued email that has not gone out yet (the thing it was about is done).
pub(crate) async fn cancel(conn: &impl ConnectionTrait, key: &str) -> Result<()> {
    email::Entity::update_many()
        .col_expr(email::Column::Status, sea_orm::sea_query::Expr::value(DeliveryStatus::Cancelled.as_str()))
        .filter(email::Column::IdempotencyKey.eq(key))
        .filter(email::Column::Status.eq(DeliveryStatus::Queued.as_str()))
        .exec(conn)
        .await?;
    Ok(())
}

/// An email the worker is about to deliver.
#[derive(Debug, Clone)]
pub struct Delivery {
    pub id: i64,
    pub recipient: String,
    pub lang: Lang,
    pub email: Email,
    pub centre_id: Option<i64>,
    /// Delivery attempts so far, this one included.
    pub attempt: i32,
}

/// The email to deliver, or `None` when there is nothing to do (already sent, failed for good,
/// suppressed or cancelled): that is what makes the send job idempotent.
pub async fn claim_for_delivery(db: &Db, email_id: i64) -> Result<Option<Delivery>> {
    let Some(row) = email::Entity::find_by_id(email_id).one(db.conn()).await? else {
        return Err(DomainError::NotFound);
    };
    if DeliveryStatus::parse(&row.status) != DeliveryStatus::Queued {
        return Ok(None);
    }
    email::Entity::update_many()
        .col_expr(email::Column::Attempts, sea_orm::sea_query::Expr::col(email::Column::Attempts).add(1))
        .filter(email::Column::Id.eq(email_id))
        .exec(db.conn())
        .await?;
    Ok(Some(Delivery {
        id: row.id,
        recipient: row.recipient,
        lang: row.language.parse().unwrap_or(Lang::En),
        email: serde_json::from_str(&row.content)?,
        centre_id: row.centre_id,
        attempt: row.attempts + 1,
    }))
}

pub async fn mark_sent(db: &Db, email_id: i64, now: DateTime<Utc>) -> Result<()> {
    email::Entity::update_many()
        .col_expr(email::Column::Status, sea_orm::sea_query::Expr::value(DeliveryStatus::Sent.as_str()))
        .col_expr(email::Column::SentAt, sea_orm::sea_query::Expr::value(now))
        .col_expr(email::Column::LastError, sea_orm::sea_query::Expr::value(Option::<String>::None))
        .filter(email::Column::Id.eq(email_id))
        .exec(db.conn())
        .await?;
    Ok(())
}

/// Records a failed attempt. A permanent failure ends the delivery; a transient one leaves it
/// queued for the next attempt.
pub async fn record_failure(db: &Db, email_id: i64, error: &str, permanent: bool) -> Result<()> {
    let mut update = email::Entity::update_many().col_expr(
        email::Column::LastError,
        sea_orm::sea_query::Expr::value(error.chars().take(1000).collect::<String>()),
    );
    if permanent {
        update =
            update.col_expr(email::Column::Status, sea_orm::sea_query::Expr::value(DeliveryStatus::Failed.as_str()));
    }
    update.filter(email::Column::Id.eq(email_id)).exec(db.conn()).await?;
    Ok(())
}

/// One email's delivery record, for the committee's deliveries page.
#[derive(Debug, Clone)]
pub struct DeliveryRecord {
    pub id: i64,
    pub recipient: String,
    pub template: String,
    pub category: String,
    pub language: String,
    pub status: DeliveryStatus,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

/// The most recent delivery records, newest first; `only` filters by status.
pub async fn deliveries(
    db: &Db,
    _access: &CommitteeAccess,
    only: Option<DeliveryStatus>,
    limit: u64,
) -> Result<Vec<DeliveryRecord>> {
    let mut query = email::Entity::find().order_by_desc(email::Column::Id).limit(limit);
    if let Some(status) = only {
        query = query.filter(email::Column::Status.eq(status.as_str()));
    }
    Ok(query
        .all(db.conn())
        .await?
        .into_iter()
        .map(|row| DeliveryRecord {
            id: row.id,
            recipient: row.recipient,
            template: row.template,
            category: row.category,
            language: row.language,
            status: DeliveryStatus::parse(&row.status),
            attempts: row.attempts,
            last_error: row.last_error,
            created_at: row.created_at,
            sent_at: row.sent_at,
        })
        .collect())
}
