//! People and their credentials: sign-in, profile, password change and reset, network roles,
//! and the list of a person's own centres.
//!
//! Passwords are hashed with Argon2id. Sign-in takes the same time whether or not the address
//! is known, and says nothing about which of the two was wrong. A password change or reset
//! bumps the person's session epoch, which signs out every other session.

use std::sync::LazyLock;

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use chrono::{DateTime, Utc};
use netinvet_i18n::Lang;
use netinvet_mail::{Email, PasswordResetEmail};
use sea_orm::sea_query::ExprTrait;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::PublicUrl;
use crate::db::Db;
use crate::entities::{centre, membership, network_role, user};
use crate::error::{DomainError, Result};
use crate::notifications::{self, EmailRequest};
use crate::tenancy::{CommitteeAccess, PersonalTx, UserId};
use crate::tokens::{self, Binding, Purpose};
use crate::types::{EmailAddress, MembershipRole, NetworkRole, NewPassword, PersonName};

/// A person with an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub language: Lang,
    /// Sessions remember the epoch they were opened in; a different one means signed out.
    pub session_epoch: i32,
}

impl From<user::Model> for User {
    fn from(row: user::Model) -> Self {
        User {
            id: UserId(row.id),
            email: row.email,
            name: row.name,
            language: row.language.parse().unwrap_or(Lang::En),
            session_epoch: row.session_epoch,
        }
    }
}

fn hash_blocking(password: &str) -> Result<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|e| DomainError::Internal(format!("password hashing: {e}")))
}

fn verify_blocking(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|hash| Argon2::default().verify_password(password.as_bytes(), &hash).is_ok())
        .unwrap_or(false)
}

/// Hashes a password off the async runtime: Argon2 costs tens of milliseconds of CPU.
pub(crate) async fn hash_password(password: &str) -> Result<String> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || hash_blocking(&password))
        .await
        .map_err(|e| DomainError::Internal(format!("password hashing: {e}")))?
}

/// Whether `password` matches the stored hash, checked off the async runtime.
pub(crate) async fn password_matches(password: &str, stored: &str) -> Result<bool> {
    let (password, stored) = (password.to_owned(), stored.to_owned());
    tokio::task::spawn_blocking(move || verify_blocking(&password, &stored))
        .await
        .map_err(|e| DomainError::Internal(format!("password check: {e}")))
}

/// Verified against when the address is unknown, so both cases cost one Argon2 run.
static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| hash_blocking("not a real password, only for timing").expect("hashing a constant"));

/// The account for this address and password, or `None` for any mismatch.
pub async fn authenticate(db: &Db, email: &str, password: &str) -> Result<Option<User>> {
    let key = email.trim().to_lowercase();
    let row = user::Entity::find().filter(user::Column::EmailKey.eq(key)).one(db.conn()).await?;
    let stored = row.as_ref().map_or(DUMMY_HASH.as_str(), |r| r.password_hash.as_str());
    let matches = password_matches(password, stored).await?;
    Ok(row.filter(|_| matches).map(User::from))
}

pub async fn find(db: &Db, id: UserId) -> Result<Option<User>> {
    Ok(user::Entity::find_by_id(id.0).one(db.conn()).await?.map(User::from))
}

pub(crate) async fn find_by_email(conn: &impl ConnectionTrait, email: &EmailAddress) -> Result<Option<user::Model>> {
    Ok(user::Entity::find().filter(user::Column::EmailKey.eq(email.key())).one(conn).await?)
}

/// Creates an account; the address must not be taken (checked by the caller and the unique key).
pub(crate) async fn create(
    conn: &impl ConnectionTrait,
    email: &EmailAddress,
    name: &PersonName,
    language: Lang,
    password_hash: String,
    now: DateTime<Utc>,
) -> Result<user::Model> {
    let inserted = user::Entity::insert(user::ActiveModel {
        email: Set(email.as_str().to_owned()),
        email_key: Set(email.key().to_owned()),
        name: Set(name.as_str().to_owned()),
        language: Set(language.code().to_owned()),
        password_hash: Set(password_hash),
        session_epoch: Set(0),
        created_at: Set(now),
        ..Default::default()
    })
    .exec(conn)
    .await?;
    user::Entity::find_by_id(inserted.last_insert_id).one(conn).await?.ok_or(DomainError::NotFound)
}

/// The person's network roles (committee, assessor).
pub async fn network_roles(db: &Db, id: UserId) -> Result<Vec<NetworkRole>> {
    Ok(network_role::Entity::find()
        .filter(network_role::Column::UserId.eq(id.0))
        .all(db.conn())
        .await?
        .into_iter()
        .filter_map(|row| row.role.parse().ok())
        .collect())
}

/// Proof of committee membership, if the person sits on the committee.
pub async fn committee_access(db: &Db, id: UserId) -> Result<Option<CommitteeAccess>> {
    let roles = network_roles(db, id).await?;
    Ok(roles.contains(&NetworkRole::Committee).then_some(CommitteeAccess { user: id }))
}

pub(crate) async fn grant_network_role(
    conn: &impl ConnectionTrait,
    id: UserId,
    role: NetworkRole,
    now: DateTime<Utc>,
) -> Result<()> {
    network_role::Entity::insert(network_role::ActiveModel {
        user_id: Set(id.0),
        role: Set(role.as_str().to_owned()),
        granted_at: Set(now),
        ..Default::default()
    })
    .on_conflict_do_nothing_on([network_role::Column::UserId, network_role::Column::Role])
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

/// A centre the person belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MyCentre {
    pub slug: String,
    pub name: String,
    pub role: MembershipRole,
}

/// The person's own memberships, in every centre (and nothing else of those centres).
pub async fn my_centres(db: &Db, id: UserId) -> Result<Vec<MyCentre>> {
    let tx = PersonalTx::begin(db, id).await?;
    let rows = membership::Entity::find()
        .filter(membership::Column::UserId.eq(id.0))
        .find_also_related(centre::Entity)
        .order_by_asc(membership::Column::Id)
        .all(tx.conn())
        .await?;
    tx.commit().await?;
    Ok(rows
        .into_iter()
        .filter_map(|(m, c)| {
            let c = c?;
            Some(MyCentre { slug: c.slug, name: c.name, role: m.role.parse().ok()? })
        })
        .collect())
}

/// Changes the person's name and language.
pub async fn update_profile(db: &Db, id: UserId, name: &str, language: &str) -> Result<User> {
    let mut errors = Vec::new();
    let name = PersonName::parse(name)
        .map_err(|key| errors.push(crate::error::FieldError { field: "name".into(), message_key: key }));
    let language = language.parse::<Lang>().map_err(|_| {
        errors.push(crate::error::FieldError { field: "language".into(), message_key: "error.choice_invalid" })
    });
    let (Ok(name), Ok(language)) = (name, language) else {
        return Err(DomainError::Invalid(errors));
    };
    user::Entity::update_many()
        .col_expr(user::Column::Name, sea_orm::sea_query::Expr::value(name.as_str()))
        .col_expr(user::Column::Language, sea_orm::sea_query::Expr::value(language.code()))
        .filter(user::Column::Id.eq(id.0))
        .exec(db.conn())
        .await?;
    find(db, id).await?.ok_or(DomainError::NotFound)
}

/// Sets the person's preferred language only (the header's language switcher).
pub async fn set_language(db: &Db, id: UserId, language: Lang) -> Result<()> {
    user::Entity::update_many()
        .col_expr(user::Column::Language, sea_orm::sea_query::Expr::value(language.code()))
        .filter(user::Column::Id.eq(id.0))
        .exec(db.conn())
        .await?;
    Ok(())
}

async fn store_password(conn: &impl ConnectionTrait, id: i64, password: &NewPassword) -> Result<()> {
    let hash = hash_password(password.expose()).await?;
    user::Entity::update_many()
        .col_expr(user::Column::PasswordHash, sea_orm::sea_query::Expr::value(hash))
        .col_expr(user::Column::SessionEpoch, sea_orm::sea_query::Expr::col(user::Column::SessionEpoch).add(1))
        .filter(user::Column::Id.eq(id))
        .exec(conn)
        .await?;
    Ok(())
}

/// Changes the password after checking the current one; other sessions are signed out.
pub async fn change_password(
    db: &Db,
    id: UserId,
    current: &str,
    new: &str,
    confirmation: &str,
    now: DateTime<Utc>,
) -> Result<User> {
    let row = user::Entity::find_by_id(id.0).one(db.conn()).await?.ok_or(DomainError::NotFound)?;
    if !password_matches(current, &row.password_hash).await? {
        return Err(DomainError::invalid("current_password", "error.current_password_wrong"));
    }
    let password = NewPassword::parse(new, confirmation).map_err(|key| DomainError::invalid("password", key))?;
    let txn = db.begin().await?;
    store_password(&txn, id.0, &password).await?;
    tokens::revoke(&txn, Purpose::PasswordReset, Some(id.0), None, now).await?;
    txn.commit().await?;
    find(db, id).await?.ok_or(DomainError::NotFound)
}

/// Emails a reset link if the address has an account; does nothing visible otherwise, so the
/// form cannot be used to learn who has an account. Earlier unused links are voided.
pub async fn request_password_reset(db: &Db, email: &str, public_url: &PublicUrl, now: DateTime<Utc>) -> Result<()> {
    let Ok(address) = EmailAddress::parse(email) else {
        return Err(DomainError::invalid("email", "error.email_invalid"));
    };
    let settings = crate::settings::load(db).await?;
    let txn = db.begin().await?;
    let Some(row) = find_by_email(&txn, &address).await? else {
        txn.commit().await?;
        return Ok(());
    };
    tokens::revoke(&txn, Purpose::PasswordReset, Some(row.id), None, now).await?;
    let lifetime = settings.password_reset_lifetime();
    let binding = Binding { user_id: Some(row.id), ..Default::default() };
    let (token_id, raw) = tokens::issue(&txn, Purpose::PasswordReset, binding, now + lifetime, now).await?;
    let recipient =
        EmailAddress::parse(&row.email).map_err(|_| DomainError::Internal("stored address invalid".into()))?;
    notifications::queue_email(
        &txn,
        EmailRequest {
            key: format!("password-reset:{token_id}"),
            category: "password_reset",
            to: &recipient,
            lang: row.language.parse().unwrap_or(Lang::En),
            email: Email::PasswordReset(PasswordResetEmail {
                name: row.name.clone(),
                reset_url: public_url.join(&format!("/password/reset/{raw}")),
                valid_minutes: lifetime.num_minutes(),
            }),
            centre: None,
        },
        settings.daily_email_cap_per_category,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Checks a reset link before showing its form.
pub async fn check_reset_token(db: &Db, raw: &str, now: DateTime<Utc>) -> Result<()> {
    tokens::check(db.conn(), Purpose::PasswordReset, raw, now).await.map(|_| ())
}

/// Sets a new password from a reset link; the link is used up and other sessions are signed out.
pub async fn reset_password(db: &Db, raw: &str, new: &str, confirmation: &str, now: DateTime<Utc>) -> Result<User> {
    let password = NewPassword::parse(new, confirmation).map_err(|key| DomainError::invalid("password", key))?;
    let txn = db.begin().await?;
    let token = tokens::check(&txn, Purpose::PasswordReset, raw, now).await?;
    let user_id = token.binding.user_id.ok_or(DomainError::NotFound)?;
    tokens::consume(&txn, token.id, now).await?;
    store_password(&txn, user_id, &password).await?;
    txn.commit().await?;
    find(db, UserId(user_id)).await?.ok_or(DomainError::NotFound)
}
