//! Invitations to a centre's workspace: a centre admin (or the committee, for a new centre's
//! first admin) invites a person by email; the person follows a single-use link, sets a
//! password (or confirms the one of their existing account) and lands in the workspace.
//!
//! The invitation sweep reminds an invitee once after the reminder delay and expires the
//! invitation at its end; reminders stop as soon as the invitation is answered or revoked.

use chrono::{DateTime, Utc};
use netinvet_i18n::Lang;
use netinvet_mail::{Email, InvitationEmail};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::PublicUrl;
use crate::centres::Centre;
use crate::db::Db;
use crate::entities::{centre, invitation, membership};
use crate::error::{DomainError, FieldError, Result};
use crate::notifications::{self, EmailRequest};
use crate::settings::NetworkSettings;
use crate::tenancy::{CentreAccess, CentreId, TenantTx, UserId};
use crate::tokens::{self, Binding, Purpose};
use crate::types::{EmailAddress, InvitationStatus, MembershipRole, NewPassword, PersonName};

/// An invitation as the centre sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    pub id: i64,
    pub email: String,
    pub role: MembershipRole,
    pub status: InvitationStatus,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub reminded_at: Option<DateTime<Utc>>,
}

impl From<invitation::Model> for Invitation {
    fn from(row: invitation::Model) -> Self {
        Invitation {
            id: row.id,
            email: row.email,
            role: row.role.parse().unwrap_or(MembershipRole::Learner),
            status: row.status.parse().unwrap_or(InvitationStatus::Pending),
            created_at: row.created_at,
            expires_at: row.expires_at,
            reminded_at: row.reminded_at,
        }
    }
}

fn invitation_email(
    centre_name: &str,
    role: MembershipRole,
    url: String,
    expires_at: DateTime<Utc>,
) -> InvitationEmail {
    InvitationEmail {
        centre_name: centre_name.to_owned(),
        role_key: role.label_key().to_owned(),
        accept_url: url,
        expires_on: expires_at.format("%Y-%m-%d").to_string(),
    }
}

/// Records an invitation, its link and its email on `conn`, which is scoped to the centre
/// (a tenant transaction) or the committee's audited transaction.
#[expect(clippy::too_many_arguments, reason = "one call site per scope; a struct would only rename them")]
pub(crate) async fn create_in(
    conn: &impl ConnectionTrait,
    centre: &Centre,
    email: &EmailAddress,
    role: MembershipRole,
    language: Lang,
    invited_by: Option<UserId>,
    settings: &NetworkSettings,
    public_url: &PublicUrl,
    now: DateTime<Utc>,
) -> Result<Invitation> {
    if let Some(existing) = crate::accounts::find_by_email(conn, email).await?
        && membership::Entity::find()
            .filter(membership::Column::CentreId.eq(centre.id.get()))
            .filter(membership::Column::UserId.eq(existing.id))
            .one(conn)
            .await?
            .is_some()
    {
        return Err(DomainError::invalid("email", "error.already_member"));
    }
    let already_invited = invitation::Entity::find()
        .filter(invitation::Column::CentreId.eq(centre.id.get()))
        .filter(invitation::Column::EmailKey.eq(email.key()))
        .filter(invitation::Column::Status.eq(InvitationStatus::Pending.as_str()))
        .one(conn)
        .await?;
    if already_invited.is_some() {
        return Err(DomainError::invalid("email", "error.already_invited"));
    }
    let expires_at = now + settings.invitation_lifetime();
    let inserted = invitation::Entity::insert(invitation::ActiveModel {
        centre_id: Set(centre.id.get()),
        email: Set(email.as_str().to_owned()),
        email_key: Set(email.key().to_owned()),
        role: Set(role.as_str().to_owned()),
        language: Set(language.code().to_owned()),
        invited_by: Set(invited_by.map(UserId::get)),
        status: Set(InvitationStatus::Pending.as_str().to_owned()),
        created_at: Set(now),
        expires_at: Set(expires_at),
        reminded_at: Set(None),
        closed_at: Set(None),
        accepted_user_id: Set(None),
        ..Default::default()
    })
    .exec(conn)
    .await?;
    let id = inserted.last_insert_id;
    let binding = Binding { centre_id: Some(centre.id.get()), subject_id: Some(id), ..Default::default() };
    let (_, raw) = tokens::issue(conn, Purpose::Invitation, binding, expires_at, now).await?;
    notifications::queue_email(
        conn,
        EmailRequest {
            key: format!("invitation:{id}"),
            category: "invitation",
            to: email,
            lang: language,
            email: Email::Invitation(invitation_email(
                &centre.name,
                role,
                public_url.join(&format!("/invitations/{raw}")),
                expires_at,
            )),
            centre: Some(centre.id),
        },
        settings.daily_email_cap_per_category,
        now,
    )
    .await?;
    let row = invitation::Entity::find_by_id(id).one(conn).await?.ok_or(DomainError::NotFound)?;
    Ok(row.into())
}

/// A centre admin invites a person into the centre.
pub async fn invite(
    db: &Db,
    access: &CentreAccess,
    email: &str,
    role: &str,
    language: &str,
    public_url: &PublicUrl,
    now: DateTime<Utc>,
) -> Result<Invitation> {
    access.require_admin()?;
    let mut errors = Vec::new();
    let email =
        EmailAddress::parse(email).map_err(|k| errors.push(FieldError { field: "email".into(), message_key: k }));
    let role =
        role.parse::<MembershipRole>().map_err(|k| errors.push(FieldError { field: "role".into(), message_key: k }));
    let language = language
        .parse::<Lang>()
        .map_err(|_| errors.push(FieldError { field: "language".into(), message_key: "error.choice_invalid" }));
    let (Ok(email), Ok(role), Ok(language)) = (email, role, language) else {
        return Err(DomainError::Invalid(errors));
    };
    let settings = crate::settings::load(db).await?;
    let tx = TenantTx::begin(db, access.centre_id()).await?;
    let created = create_in(
        tx.conn(),
        access.centre(),
        &email,
        role,
        language,
        Some(access.user_id()),
        &settings,
        public_url,
        now,
    )
    .await?;
    tx.commit().await?;
    tracing::info!(tenant.id = %access.centre_id(), invitation.id = created.id, "invitation sent");
    Ok(created)
}

/// The centre's invitations still waiting for an answer, newest first.
pub async fn pending(db: &Db, access: &CentreAccess) -> Result<Vec<Invitation>> {
    let tx = TenantTx::begin(db, access.centre_id()).await?;
    let rows = tx
        .select::<invitation::Entity>()
        .filter(invitation::Column::Status.eq(InvitationStatus::Pending.as_str()))
        .order_by_desc(invitation::Column::Id)
        .all(tx.conn())
        .await?;
    tx.commit().await?;
    Ok(rows.into_iter().map(Invitation::from).collect())
}

async fn close(
    tx: &TenantTx,
    id: i64,
    status: InvitationStatus,
    accepted_by: Option<i64>,
    now: DateTime<Utc>,
) -> Result<()> {
    invitation::Entity::update_many()
        .col_expr(invitation::Column::Status, sea_orm::sea_query::Expr::value(status.as_str()))
        .col_expr(invitation::Column::ClosedAt, sea_orm::sea_query::Expr::value(now))
        .col_expr(invitation::Column::AcceptedUserId, sea_orm::sea_query::Expr::value(accepted_by))
        .filter(invitation::Column::Id.eq(id))
        .filter(invitation::Column::CentreId.eq(tx.centre().get()))
        .exec(tx.conn())
        .await?;
    tokens::revoke(tx.conn(), Purpose::Invitation, None, Some(id), now).await?;
    notifications::cancel(tx.conn(), &format!("invitation-reminder:{id}")).await?;
    Ok(())
}

/// A centre admin withdraws a pending invitation; its links stop working at once.
pub async fn revoke(db: &Db, access: &CentreAccess, id: i64, now: DateTime<Utc>) -> Result<()> {
    access.require_admin()?;
    let tx = TenantTx::begin(db, access.centre_id()).await?;
    let row = tx
        .select::<invitation::Entity>()
        .filter(invitation::Column::Id.eq(id))
        .one(tx.conn())
        .await?
        .ok_or(DomainError::NotFound)?;
    if row.status != InvitationStatus::Pending.as_str() {
        return Err(DomainError::invalid("invitation", "error.invitation_not_pending"));
    }
    close(&tx, id, InvitationStatus::Revoked, None, now).await?;
    tx.commit().await
}

/// What the invitee sees before accepting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvitationView {
    pub centre_name: String,
    pub centre_slug: String,
    pub email: String,
    pub role: MembershipRole,
    pub language: Lang,
    /// The address already has an account: the invitee confirms its password instead of
    /// choosing one.
    pub existing_account: bool,
}

struct OpenInvitation {
    token_id: i64,
    tx: TenantTx,
    row: invitation::Model,
    centre: centre::Model,
}

async fn open_in_tx(db: &Db, raw: &str, now: DateTime<Utc>) -> Result<OpenInvitation> {
    let token = tokens::check(db.conn(), Purpose::Invitation, raw, now).await?;
    let (Some(centre_id), Some(id)) = (token.binding.centre_id, token.binding.subject_id) else {
        return Err(DomainError::NotFound);
    };
    let tx = TenantTx::begin(db, CentreId(centre_id)).await?;
    let row = tx
        .select::<invitation::Entity>()
        .filter(invitation::Column::Id.eq(id))
        .one(tx.conn())
        .await?
        .ok_or(DomainError::NotFound)?;
    if row.status != InvitationStatus::Pending.as_str() || row.expires_at <= now {
        return Err(DomainError::TokenExpired);
    }
    let centre = centre::Entity::find_by_id(centre_id).one(tx.conn()).await?.ok_or(DomainError::NotFound)?;
    Ok(OpenInvitation { token_id: token.id, tx, row, centre })
}

/// Checks an invitation link and describes the invitation.
pub async fn open(db: &Db, raw: &str, now: DateTime<Utc>) -> Result<InvitationView> {
    let open = open_in_tx(db, raw, now).await?;
    let email =
        EmailAddress::parse(&open.row.email).map_err(|_| DomainError::Internal("stored address invalid".into()))?;
    let existing_account = crate::accounts::find_by_email(open.tx.conn(), &email).await?.is_some();
    open.tx.commit().await?;
    Ok(InvitationView {
        centre_name: open.centre.name,
        centre_slug: open.centre.slug,
        email: open.row.email,
        role: open.row.role.parse().unwrap_or(MembershipRole::Learner),
        language: open.row.language.parse().unwrap_or(Lang::En),
        existing_account,
    })
}

/// The invitee's answer, as typed.
#[derive(Debug, Clone, Default)]
pub struct AcceptForm {
    /// For a new account.
    pub name: String,
    /// A new password (new account) or the existing account's password.
    pub password: String,
    pub password_confirmation: String,
}

/// Accepts an invitation: creates the account (or checks the existing one's password), adds the
/// membership, uses up the link and stops reminders, in one transaction. Returns the person and
/// the centre's slug.
pub async fn accept(
    db: &Db,
    raw: &str,
    form: &AcceptForm,
    now: DateTime<Utc>,
) -> Result<(crate::accounts::User, String)> {
    let open = open_in_tx(db, raw, now).await?;
    let email =
        EmailAddress::parse(&open.row.email).map_err(|_| DomainError::Internal("stored address invalid".into()))?;
    let language = open.row.language.parse().unwrap_or(Lang::En);
    let person = match crate::accounts::find_by_email(open.tx.conn(), &email).await? {
        Some(existing) => {
            if !crate::accounts::password_matches(&form.password, &existing.password_hash).await? {
                return Err(DomainError::invalid("password", "error.current_password_wrong"));
            }
            existing
        }
        None => {
            let mut errors = Vec::new();
            let name = PersonName::parse(&form.name)
                .map_err(|k| errors.push(FieldError { field: "name".into(), message_key: k }));
            let password = NewPassword::parse(&form.password, &form.password_confirmation)
                .map_err(|k| errors.push(FieldError { field: "password".into(), message_key: k }));
            let (Ok(name), Ok(password)) = (name, password) else {
                return Err(DomainError::Invalid(errors));
            };
            let hash = crate::accounts::hash_password(password.expose()).await?;
            crate::accounts::create(open.tx.conn(), &email, &name, language, hash, now).await?
        }
    };
    let role = open.row.role.parse().unwrap_or(MembershipRole::Learner);
    crate::centres::insert_membership(open.tx.conn(), open.tx.centre(), UserId(person.id), role, now).await?;
    tokens::consume(open.tx.conn(), open.token_id, now).await?;
    close(&open.tx, open.row.id, InvitationStatus::Accepted, Some(person.id), now).await?;
    let tenant = open.tx.centre();
    open.tx.commit().await?;
    tracing::info!(tenant.id = %tenant, user.id = person.id, "invitation accepted");
    Ok((person.into(), open.centre.slug))
}

/// What one sweep did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SweepReport {
    pub reminded: usize,
    pub expired: usize,
}

/// Reminds (once) and expires invitations in every centre, each centre in its own tenant
/// transaction. Safe to run twice for the same moment: a reminded invitation is not reminded
/// again, and its reminder email has a fixed idempotency key.
pub async fn sweep(db: &Db, public_url: &PublicUrl, now: DateTime<Utc>) -> Result<SweepReport> {
    let settings = crate::settings::load(db).await?;
    let mut report = SweepReport::default();
    for centre_id in crate::centres::all_ids(db).await? {
        let tx = TenantTx::begin(db, centre_id).await?;
        let pending = tx
            .select::<invitation::Entity>()
            .filter(invitation::Column::Status.eq(InvitationStatus::Pending.as_str()))
            .all(tx.conn())
            .await?;
        if pending.is_empty() {
            tx.commit().await?;
            continue;
        }
        let centre = centre::Entity::find_by_id(centre_id.get()).one(tx.conn()).await?.ok_or(DomainError::NotFound)?;
        for row in pending {
            if row.expires_at <= now {
                close(&tx, row.id, InvitationStatus::Expired, None, now).await?;
                report.expired += 1;
            } else if row.reminded_at.is_none() && row.created_at + settings.invitation_reminder_after() <= now {
                let email = EmailAddress::parse(&row.email)
                    .map_err(|_| DomainError::Internal("stored address invalid".into()))?;
                let role = row.role.parse().unwrap_or(MembershipRole::Learner);
                let binding =
                    Binding { centre_id: Some(centre_id.get()), subject_id: Some(row.id), ..Default::default() };
                let (_, raw) = tokens::issue(tx.conn(), Purpose::Invitation, binding, row.expires_at, now).await?;
                notifications::queue_email(
                    tx.conn(),
                    EmailRequest {
                        key: format!("invitation-reminder:{}", row.id),
                        category: "invitation",
                        to: &email,
                        lang: row.language.parse().unwrap_or(Lang::En),
                        email: Email::InvitationReminder(invitation_email(
                            &centre.name,
                            role,
                            public_url.join(&format!("/invitations/{raw}")),
                            row.expires_at,
                        )),
                        centre: Some(centre_id),
                    },
                    settings.daily_email_cap_per_category,
                    now,
                )
                .await?;
                invitation::Entity::update_many()
                    .col_expr(invitation::Column::RemindedAt, sea_orm::sea_query::Expr::value(now))
                    .filter(invitation::Column::Id.eq(row.id))
                    .filter(invitation::Column::CentreId.eq(centre_id.get()))
                    .exec(tx.conn())
                    .await?;
                report.reminded += 1;
            }
        }
        tx.commit().await?;
    }
    Ok(report)
}
