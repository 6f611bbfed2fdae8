//! Single-use, expiring tokens for links sent by email (invitations, password resets). Only a
//! SHA-256 hash is stored; the raw token exists in the email and nowhere else in the database.
//! Consuming a token is one conditional update, so two clicks racing cannot both succeed.

use chrono::{DateTime, Utc};
use rand::RngCore;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use sha2::{Digest, Sha256};

use crate::entities::token;
use crate::error::{DomainError, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Purpose {
    Invitation,
    PasswordReset,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::Invitation => "invitation",
            Purpose::PasswordReset => "password_reset",
        }
    }
}

fn hash(raw: &str) -> String {
    hex::encode(Sha256::digest(raw.as_bytes()))
}

/// What a token is bound to.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Binding {
    pub user_id: Option<i64>,
    pub centre_id: Option<i64>,
    pub subject_id: Option<i64>,
}

/// Issues a token; returns its id and the raw value to put in a link.
pub(crate) async fn issue(
    conn: &impl ConnectionTrait,
    purpose: Purpose,
    binding: Binding,
    expires_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(i64, String)> {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let raw = hex::encode(bytes);
    let inserted = token::Entity::insert(token::ActiveModel {
        purpose: Set(purpose.as_str().to_owned()),
        token_hash: Set(hash(&raw)),
        user_id: Set(binding.user_id),
        centre_id: Set(binding.centre_id),
        subject_id: Set(binding.subject_id),
        created_at: Set(now),
        expires_at: Set(expires_at),
        used_at: Set(None),
        ..Default::default()
    })
    .exec(conn)
    .await?;
    Ok((inserted.last_insert_id, raw))
}

/// A valid token: known, of this purpose, unused and unexpired. An unknown token is
/// [`DomainError::NotFound`]; a used or expired one is [`DomainError::TokenExpired`].
pub(crate) struct ValidToken {
    pub id: i64,
    pub binding: Binding,
}

pub(crate) async fn check(
    conn: &impl ConnectionTrait,
    purpose: Purpose,
    raw: &str,
    now: DateTime<Utc>,
) -> Result<ValidToken> {
    if raw.len() != 64 || !raw.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(DomainError::NotFound);
    }
    let row = token::Entity::find()
        .filter(token::Column::TokenHash.eq(hash(raw)))
        .filter(token::Column::Purpose.eq(purpose.as_str()))
        .one(conn)
        .await?
        .ok_or(DomainError::NotFound)?;
    if row.used_at.is_some() || row.expires_at <= now {
        return Err(DomainError::TokenExpired);
    }
    Ok(ValidToken {
        id: row.id,
        binding: Binding { user_id: row.user_id, centre_id: row.centre_id, subject_id: row.subject_id },
    })
}

/// Marks the token used; fails with [`DomainError::TokenExpired`] if someone else used it first.
pub(crate) async fn consume(conn: &impl ConnectionTrait, id: i64, now: DateTime<Utc>) -> Result<()> {
    let result = token::Entity::update_many()
        .col_expr(token::Column::UsedAt, sea_orm::sea_query::Expr::value(now))
        .filter(token::Column::Id.eq(id))
        .filter(token::Column::UsedAt.is_null())
        .exec(conn)
        .await?;
    if result.rows_affected == 1 { Ok(()) } else { Err(DomainError::TokenExpired) }
}

/// Voids every unused token of `purpose` bound to this user (or this subject).
pub(crate) async fn revoke(
    conn: &impl ConnectionTrait,
    purpose: Purpose,
    user_id: Option<i64>,
    subject_id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<()> {
    let mut update = token::Entity::update_many()
        .col_expr(token::Column::UsedAt, sea_orm::sea_query::Expr::value(now))
        .filter(token::Column::Purpose.eq(purpose.as_str()))
        .filter(token::Column::UsedAt.is_null());
    if let Some(user_id) = user_id {
        update = update.filter(token::Column::UserId.eq(user_id));
    }
    if let Some(subject_id) = subject_id {
        update = update.filter(token::Column::SubjectId.eq(subject_id));
    }
    update.exec(conn).await?;
    Ok(())
}

/// Deletes tokens that can no longer be used.
pub(crate) async fn purge(conn: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<u64> {
    Ok(token::Entity::delete_many()
        .filter(
            sea_orm::Condition::any().add(token::Column::ExpiresAt.lt(now)).add(token::Column::UsedAt.is_not_null()),
        )
        .exec(conn)
        .await?
        .rows_affected)
}
