//! The development mailbox of the embedded mode: every email the platform "sends" is kept here
//! and shown in the browser. The web app mounts its pages only in the embedded mode, and the
//! worker writes here only when no SMTP server is configured.

use chrono::{DateTime, Utc};
use netinvet_mail::RenderedEmail;
use sea_orm::{ActiveValue::Set, EntityTrait, QueryOrder, QuerySelect};

use crate::db::Db;
use crate::entities::dev_mail;
use crate::error::Result;

/// One email in the development mailbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DevMail {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub delivered_at: DateTime<Utc>,
}

impl From<dev_mail::Model> for DevMail {
    fn from(row: dev_mail::Model) -> Self {
        DevMail {
            id: row.id,
            recipient: row.recipient,
            subject: row.subject,
            text_body: row.text_body,
            html_body: row.html_body,
            delivered_at: row.delivered_at,
        }
    }
}

pub async fn deliver(
    db: &Db,
    email_id: i64,
    recipient: &str,
    rendered: &RenderedEmail,
    now: DateTime<Utc>,
) -> Result<()> {
    dev_mail::Entity::insert(dev_mail::ActiveModel {
        email_id: Set(email_id),
        recipient: Set(recipient.to_owned()),
        subject: Set(rendered.subject.clone()),
        text_body: Set(rendered.text.clone()),
        html_body: Set(rendered.html.clone()),
        delivered_at: Set(now),
        ..Default::default()
    })
    .exec(db.conn())
    .await?;
    Ok(())
}

/// The newest emails first.
pub async fn list(db: &Db, limit: u64) -> Result<Vec<DevMail>> {
    Ok(dev_mail::Entity::find()
        .order_by_desc(dev_mail::Column::Id)
        .limit(limit)
        .all(db.conn())
        .await?
        .into_iter()
        .map(DevMail::from)
        .collect())
}

pub async fn get(db: &Db, id: i64) -> Result<Option<DevMail>> {
    Ok(dev_mail::Entity::find_by_id(id).one(db.conn()).await?.map(DevMail::from))
}
