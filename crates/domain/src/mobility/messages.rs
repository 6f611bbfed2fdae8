//! The message thread between the two centres of an operation. Each new message notifies the
//! other side's coordinators (its admins) by email through the outbox, at most one email per
//! thread per hour per person: the first message of an hour is sent at once, the ones after it
//! wait for the `messages.digest` job, which sends them together in one email once the hour is
//! over.

use chrono::{DateTime, Duration, Utc};
use netinvet_i18n::Lang;
use netinvet_mail::{DigestMessage, Email, MessageDigestEmail, OperationMessageEmail};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::{centre_ref, operation_in};
use crate::PublicUrl;
use crate::db::Db;
use crate::entities::{mobility_operation, operation_message, thread_watcher, user};
use crate::error::{DomainError, FormData, Result};
use crate::jobs::NotifyThread;
use crate::notifications::{self, EmailRequest};
use crate::tenancy::{CentreAccess, CentreId, TenantTx};
use crate::types::{EmailAddress, MembershipRole};

/// How long a coordinator waits between two emails about the same thread.
pub const EMAIL_INTERVAL: Duration = Duration::hours(1);

/// A message as the thread shows it.
#[derive(Debug, Clone)]
pub struct Message {
    pub id: i64,
    pub author: String,
    pub centre: String,
    pub body: String,
    pub at: DateTime<Utc>,
}

/// The thread, oldest first.
pub async fn thread(db: &Db, access: &CentreAccess, operation_id: i64) -> Result<Vec<Message>> {
    let tx = TenantTx::begin(db, access.centre_id()).await?;
    let (op, _) = operation_in(&tx, operation_id).await?;
    let rows = tx
        .select_shared::<operation_message::Entity>()
        .filter(operation_message::Column::OperationId.eq(op.id))
        .order_by_asc(operation_message::Column::Id)
        .all(tx.conn())
        .await?;
    let names = super::names(tx.conn(), rows.iter().map(|r| r.author_user_id)).await?;
    let mut list = Vec::new();
    for row in rows {
        let author = super::name_of(&names, row.author_user_id);
        list.push(Message {
            id: row.id,
            author,
            centre: centre_ref(tx.conn(), row.author_centre_id).await?.name,
            body: row.body,
            at: row.created_at,
        });
    }
    tx.commit().await?;
    Ok(list)
}

/// Posts a message (`body`, staff of either side) and asks, in the same transaction, for the
/// other side to be notified.
pub async fn post(
    db: &Db,
    access: &CentreAccess,
    operation_id: i64,
    form: &FormData,
    now: DateTime<Utc>,
) -> Result<()> {
    if access.role() == MembershipRole::Learner {
        return Err(DomainError::Forbidden);
    }
    let body = crate::types::required_text(form.text("body"), 4000).map_err(|key| DomainError::invalid("body", key))?;
    let tx = TenantTx::begin(db, access.centre_id()).await?;
    let (op, _) = operation_in(&tx, operation_id).await?;
    let inserted = operation_message::Entity::insert(operation_message::ActiveModel {
        operation_id: Set(op.id),
        sending_centre_id: Set(op.sending_centre_id),
        host_centre_id: Set(op.host_centre_id),
        author_user_id: Set(Some(access.user_id().get())),
        author_centre_id: Set(access.centre_id().get()),
        body: Set(body),
        created_at: Set(now),
        ..Default::default()
    })
    .exec(tx.conn())
    .await?;
    let other = if op.sending_centre_id == access.centre_id().get() { op.host_centre_id } else { op.sending_centre_id };
    let job = NotifyThread { message_id: inserted.last_insert_id, operation_id: op.id, recipient_centre_id: other };
    crate::outbox::enqueue(tx.conn(), &job, Some(CentreId(other)), now).await?;
    tx.commit().await
}

fn excerpt(body: &str) -> String {
    let mut text: String = body.chars().take(280).collect();
    if body.chars().count() > 280 {
        text.push('…');
    }
    text
}

/// Notifies the recipient centre's coordinators of one message (the `messages.notify` job).
/// A coordinator emailed about this thread within the hour gets nothing now: the digest job
/// sends what accumulated. Idempotent: the email is keyed by message and person, and the
/// watcher's position moves in the same transaction.
pub async fn notify(db: &Db, job: &NotifyThread, public_url: &PublicUrl, now: DateTime<Utc>) -> Result<()> {
    let settings = crate::settings::load(db).await?;
    let tx = TenantTx::begin(db, CentreId(job.recipient_centre_id)).await?;
    let Ok((op, _)) = operation_in(&tx, job.operation_id).await else { return tx.commit().await };
    let Some(message) = tx
        .select_shared::<operation_message::Entity>()
        .filter(operation_message::Column::Id.eq(job.message_id))
        .one(tx.conn())
        .await?
    else {
        return tx.commit().await;
    };
    let sending = centre_ref(tx.conn(), op.sending_centre_id).await?;
    let host = centre_ref(tx.conn(), op.host_centre_id).await?;
    let from = if message.author_centre_id == sending.id.get() { &sending } else { &host };
    let mine = if job.recipient_centre_id == sending.id.get() { &sending } else { &host };
    let author = super::name_of(&super::names(tx.conn(), [message.author_user_id]).await?, message.author_user_id);
    for person in super::coordinators(&tx).await? {
        let watcher = tx
            .select_shared::<thread_watcher::Entity>()
            .filter(thread_watcher::Column::OperationId.eq(op.id))
            .filter(thread_watcher::Column::UserId.eq(person.id))
            .one(tx.conn())
            .await?;
        let recently = watcher.as_ref().and_then(|w| w.last_emailed_at).is_some_and(|at| now - at < EMAIL_INTERVAL);
        if recently {
            continue;
        }
        let Ok(to) = EmailAddress::parse(&person.email) else { continue };
        let lang: Lang = person.language.parse().unwrap_or(Lang::En);
        notifications::queue_email(
            tx.conn(),
            EmailRequest {
                key: format!("thread-message:{}:{}", message.id, person.id),
                category: "thread",
                to: &to,
                lang,
                email: Email::OperationMessage(OperationMessageEmail {
                    operation: super::operation_title(&op, &sending.name, &host.name),
                    from_centre: from.name.clone(),
                    author: author.clone(),
                    excerpt: excerpt(&message.body),
                    url: public_url.join(&format!("/c/{}/operations/{}#messages", mine.slug, op.id)),
                }),
                centre: Some(CentreId(job.recipient_centre_id)),
            },
            settings.daily_email_cap_per_category.max(24),
            now,
        )
        .await?;
        upsert_watcher(&tx, &op, person.id, watcher, now, message.id).await?;
    }
    tx.commit().await
}

async fn upsert_watcher(
    tx: &TenantTx,
    op: &mobility_operation::Model,
    user_id: i64,
    existing: Option<thread_watcher::Model>,
    now: DateTime<Utc>,
    through: i64,
) -> Result<()> {
    match existing {
        Some(w) => {
            let mut active: thread_watcher::ActiveModel = w.into();
            active.last_emailed_at = Set(Some(now));
            active.notified_through_message_id = Set(through);
            thread_watcher::Entity::update(active).exec(tx.conn()).await?;
        }
        None => {
            thread_watcher::Entity::insert(thread_watcher::ActiveModel {
                operation_id: Set(op.id),
                sending_centre_id: Set(op.sending_centre_id),
                host_centre_id: Set(op.host_centre_id),
                user_id: Set(user_id),
                last_emailed_at: Set(Some(now)),
                notified_through_message_id: Set(through),
                ..Default::default()
            })
            .exec_without_returning(tx.conn())
            .await?;
        }
    }
    Ok(())
}

/// Sends each coordinator whose hour has passed one digest of the messages from the other
/// side they have not been emailed about (the `messages.digest` job, every few minutes).
pub async fn send_digests(db: &Db, public_url: &PublicUrl, now: DateTime<Utc>) -> Result<usize> {
    let settings = crate::settings::load(db).await?;
    let mut sent = 0;
    for centre in crate::centres::all_ids(db).await? {
        let tx = TenantTx::begin(db, centre).await?;
        let people: Vec<user::Model> = super::coordinators(&tx).await?;
        let watchers = tx.select_shared::<thread_watcher::Entity>().all(tx.conn()).await?;
        for watcher in watchers {
            let Some(person) = people.iter().find(|p| p.id == watcher.user_id) else { continue };
            if watcher.last_emailed_at.is_some_and(|at| now - at < EMAIL_INTERVAL) {
                continue;
            }
            let pending = tx
                .select_shared::<operation_message::Entity>()
                .filter(operation_message::Column::OperationId.eq(watcher.operation_id))
                .filter(operation_message::Column::Id.gt(watcher.notified_through_message_id))
                .filter(operation_message::Column::AuthorCentreId.ne(centre.get()))
                .order_by_asc(operation_message::Column::Id)
                .all(tx.conn())
                .await?;
            let Some(last) = pending.last().map(|m| m.id) else { continue };
            let Ok((op, _)) = operation_in(&tx, watcher.operation_id).await else { continue };
            let sending = centre_ref(tx.conn(), op.sending_centre_id).await?;
            let host = centre_ref(tx.conn(), op.host_centre_id).await?;
            let mine = if centre == sending.id { &sending } else { &host };
            let names = super::names(tx.conn(), pending.iter().map(|m| m.author_user_id)).await?;
            let mut messages = Vec::new();
            for m in &pending {
                let author = super::name_of(&names, m.author_user_id);
                messages.push(DigestMessage {
                    author,
                    at: m.created_at.format("%Y-%m-%d %H:%M").to_string(),
                    excerpt: excerpt(&m.body),
                });
            }
            let Ok(to) = EmailAddress::parse(&person.email) else { continue };
            notifications::queue_email(
                tx.conn(),
                EmailRequest {
                    key: format!("thread-digest:{}:{}:{last}", op.id, person.id),
                    category: "thread",
                    to: &to,
                    lang: person.language.parse().unwrap_or(Lang::En),
                    email: Email::MessageDigest(MessageDigestEmail {
                        operation: super::operation_title(&op, &sending.name, &host.name),
                        count: messages.len(),
                        messages,
                        url: public_url.join(&format!("/c/{}/operations/{}#messages", mine.slug, op.id)),
                    }),
                    centre: Some(centre),
                },
                settings.daily_email_cap_per_category.max(24),
                now,
            )
            .await?;
            upsert_watcher(&tx, &op, person.id, Some(watcher.clone()), now, last).await?;
            sent += 1;
        }
        tx.commit().await?;
    }
    Ok(sent)
}
