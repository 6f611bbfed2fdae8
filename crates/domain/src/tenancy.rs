//! Tenant scoping. A centre's data is reached only with a [`CentreAccess`] (built here after
//! checking the person's membership) or from the domain's own jobs; the queries themselves go
//! through [`TenantTx`], which filters every tenant-owned entity by its centre and, on
//! PostgreSQL, sets `app.tenant_id` for the transaction so row-level security checks it again.
//!
//! This module must never hand out a transaction without a centre set, except
//! [`CommitteeTx`], which is explicit, committee-only and audited.

use std::fmt;

use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, DbBackend, DbErr, EntityTrait, QueryFilter, Select, Statement,
};
use serde::{Deserialize, Serialize};

use crate::db::{Db, DbKind};
use crate::error::{DomainError, Result};
use crate::types::MembershipRole;

/// A member centre's identifier.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CentreId(pub(crate) i64);

impl CentreId {
    pub fn get(self) -> i64 {
        self.0
    }
}

impl fmt::Display for CentreId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A person's identifier.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UserId(pub(crate) i64);

impl UserId {
    pub fn get(self) -> i64 {
        self.0
    }

    /// For values read back from a session; the id is re-checked against the database on use.
    pub fn from_session(id: i64) -> Self {
        UserId(id)
    }
}

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Proof that a person is a member of a centre, with their role there. Only
/// [`crate::centres::enter`] builds one.
#[derive(Debug, Clone)]
pub struct CentreAccess {
    pub(crate) centre: crate::centres::Centre,
    pub(crate) user: UserId,
    pub(crate) role: MembershipRole,
}

impl CentreAccess {
    pub fn centre(&self) -> &crate::centres::Centre {
        &self.centre
    }

    pub fn centre_id(&self) -> CentreId {
        self.centre.id
    }

    pub fn user_id(&self) -> UserId {
        self.user
    }

    pub fn role(&self) -> MembershipRole {
        self.role
    }

    pub fn is_admin(&self) -> bool {
        self.role == MembershipRole::Admin
    }

    pub(crate) fn require_admin(&self) -> Result<()> {
        if self.is_admin() { Ok(()) } else { Err(DomainError::Forbidden) }
    }
}

/// Proof that a person sits on the steering committee. Only
/// [`crate::accounts::committee_access`] builds one.
#[derive(Debug, Clone, Copy)]
pub struct CommitteeAccess {
    pub(crate) user: UserId,
}

impl CommitteeAccess {
    pub fn user_id(&self) -> UserId {
        self.user
    }
}

/// An entity whose rows belong to one centre.
pub(crate) trait TenantOwned: EntityTrait {
    fn centre_column() -> Self::Column;
}

/// An entity whose rows are shared by exactly two centres (a partnership, a mobility operation
/// and everything attached to it).
pub(crate) trait SharedOwned: EntityTrait {
    fn centre_columns() -> (Self::Column, Self::Column);
}

pub(crate) async fn set_local(txn: &DatabaseTransaction, name: &str, value: &str) -> Result<(), DbErr> {
    txn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT set_config($1, $2, true)",
        [name.into(), value.into()],
    ))
    .await?;
    Ok(())
}

/// A transaction scoped to one centre.
pub(crate) struct TenantTx {
    txn: DatabaseTransaction,
    centre: CentreId,
}

impl TenantTx {
    pub(crate) async fn begin(db: &Db, centre: CentreId) -> Result<Self> {
        let txn = db.begin().await?;
        if db.kind() == DbKind::Postgres {
            set_local(&txn, "app.tenant_id", &centre.0.to_string()).await?;
        }
        Ok(Self { txn, centre })
    }

    pub(crate) fn centre(&self) -> CentreId {
        self.centre
    }

    /// `SELECT` from a tenant-owned entity, already filtered to this centre.
    pub(crate) fn select<E: TenantOwned>(&self) -> Select<E> {
        E::find().filter(E::centre_column().eq(self.centre.0))
    }

    /// `SELECT` from an entity shared by two centres, filtered to rows this centre is one of.
    pub(crate) fn select_shared<E: SharedOwned>(&self) -> Select<E> {
        let (a, b) = E::centre_columns();
        E::find().filter(sea_orm::Condition::any().add(a.eq(self.centre.0)).add(b.eq(self.centre.0)))
    }

    pub(crate) fn conn(&self) -> &DatabaseTransaction {
        &self.txn
    }

    pub(crate) async fn commit(self) -> Result<()> {
        self.txn.commit().await?;
        Ok(())
    }
}

/// A transaction in which a person sees their own memberships in every centre, and nothing else
/// of any centre.
pub(crate) struct PersonalTx {
    txn: DatabaseTransaction,
}

impl PersonalTx {
    pub(crate) async fn begin(db: &Db, user: UserId) -> Result<Self> {
        let txn = db.begin().await?;
        if db.kind() == DbKind::Postgres {
            set_local(&txn, "app.user_id", &user.0.to_string()).await?;
        }
        Ok(Self { txn })
    }

    pub(crate) fn conn(&self) -> &DatabaseTransaction {
        &self.txn
    }

    pub(crate) async fn commit(self) -> Result<()> {
        self.txn.commit().await?;
        Ok(())
    }
}

/// The committee's cross-tenant transaction. Beginning one records who did what in the audit
/// log, in the same transaction.
pub(crate) struct CommitteeTx {
    txn: DatabaseTransaction,
}

impl CommitteeTx {
    pub(crate) async fn begin(
        db: &Db,
        access: &CommitteeAccess,
        action: &'static str,
        centre: Option<CentreId>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Self> {
        let txn = db.begin().await?;
        if db.kind() == DbKind::Postgres {
            set_local(&txn, "app.cross_tenant", "on").await?;
        }
        crate::audit::record(&txn, Some(access.user), action, centre, now).await?;
        Ok(Self { txn })
    }

    pub(crate) fn conn(&self) -> &DatabaseTransaction {
        &self.txn
    }

    pub(crate) async fn commit(self) -> Result<()> {
        self.txn.commit().await?;
        Ok(())
    }
}

/// A read-only transaction for reads across centres that one setting allows on PostgreSQL: the
/// public directory (`app.public_read`, declarations only) and the members' partner search
/// (`app.network_read`, offers only). Being read-only, it can never write what it may read.
pub(crate) struct ReadOnlyTx {
    txn: DatabaseTransaction,
}

/// The public pages' reads of what centres publish.
pub(crate) const PUBLIC_READ: &str = "app.public_read";
/// Member centres' reads of every centre's open offers.
pub(crate) const NETWORK_READ: &str = "app.network_read";

impl ReadOnlyTx {
    pub(crate) async fn begin(db: &Db, setting: &'static str) -> Result<Self> {
        let txn = db.begin().await?;
        if db.kind() == DbKind::Postgres {
            txn.execute_raw(Statement::from_string(DbBackend::Postgres, "SET TRANSACTION READ ONLY")).await?;
            set_local(&txn, setting, "on").await?;
        }
        Ok(Self { txn })
    }

    pub(crate) fn conn(&self) -> &DatabaseTransaction {
        &self.txn
    }

    pub(crate) async fn commit(self) -> Result<()> {
        self.txn.commit().await?;
        Ok(())
    }
}
