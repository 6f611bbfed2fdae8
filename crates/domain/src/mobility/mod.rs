//! Mobility between member centres: offers and partner search, partnership agreements, and the
//! mobility operation, one record shared by exactly its two centres, with its participants,
//! state machine, learning agreements (per unit of learning outcomes, with results abroad and
//! recognition at home), charter checklists, documents, message thread and exports.
//!
//! Shared rows carry both centres and are read through [`TenantTx::select_shared`], which keeps
//! the rows where the caller's centre is one of the two; on PostgreSQL row-level security
//! enforces the same. A third centre gets [`DomainError::NotFound`] for everything here.

pub mod agreements;
pub mod checklists;
pub mod documents;
pub mod exports;
pub mod learning;
pub mod messages;
pub mod offers;
pub mod operations;

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::db::Db;
use crate::entities::{centre, mobility_operation};
use crate::error::{DomainError, Result};
use crate::tenancy::{CentreAccess, CentreId, NETWORK_READ, ReadOnlyTx, TenantTx};
use crate::types::Side;

/// A centre as mobility pages name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CentreRef {
    pub id: CentreId,
    pub slug: String,
    pub name: String,
    pub country: String,
    pub city: String,
}

pub(crate) async fn centre_ref(conn: &impl sea_orm::ConnectionTrait, id: i64) -> Result<CentreRef> {
    let row = centre::Entity::find_by_id(id).one(conn).await?.ok_or(DomainError::NotFound)?;
    Ok(CentreRef { id: CentreId(row.id), slug: row.slug, name: row.name, country: row.country, city: row.city })
}

/// The coordinators (admins) of the transaction's centre, who are emailed about its operations.
pub(crate) async fn coordinators(tx: &TenantTx) -> Result<Vec<crate::entities::user::Model>> {
    use crate::entities::{membership, user};
    Ok(tx
        .select::<membership::Entity>()
        .filter(membership::Column::Role.eq(crate::types::MembershipRole::Admin.as_str()))
        .find_also_related(user::Entity)
        .all(tx.conn())
        .await?
        .into_iter()
        .filter_map(|(_, u)| u)
        .collect())
}

/// An operation as emails name it: its centres and period.
pub(crate) fn operation_title(op: &mobility_operation::Model, sending: &str, host: &str) -> String {
    format!("{sending} → {host} ({} – {})", op.period_start, op.period_end)
}

/// People's names by id, read in one query, for lists that say who did what.
pub(crate) async fn names(
    conn: &impl sea_orm::ConnectionTrait,
    ids: impl IntoIterator<Item = Option<i64>>,
) -> Result<std::collections::HashMap<i64, String>> {
    let mut ids: Vec<i64> = ids.into_iter().flatten().collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(std::collections::HashMap::new());
    }
    Ok(crate::entities::user::Entity::find()
        .filter(crate::entities::user::Column::Id.is_in(ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect())
}

/// The name of `id` in `names`, or "" for a person since deleted.
pub(crate) fn name_of(names: &std::collections::HashMap<i64, String>, id: Option<i64>) -> String {
    id.and_then(|id| names.get(&id).cloned()).unwrap_or_default()
}

/// A read-only transaction in which a member centre sees every centre's open offers (partner
/// search). Only a member of a centre may begin one.
pub(crate) async fn network_tx(db: &Db, _proof: &CentreAccess) -> Result<ReadOnlyTx> {
    ReadOnlyTx::begin(db, NETWORK_READ).await
}

/// The operation `id` if the caller's centre is one of its two, with the caller's side.
pub(crate) async fn operation_in(tx: &TenantTx, id: i64) -> Result<(mobility_operation::Model, Side)> {
    let row = tx
        .select_shared::<mobility_operation::Entity>()
        .filter(mobility_operation::Column::Id.eq(id))
        .one(tx.conn())
        .await?
        .ok_or(DomainError::NotFound)?;
    let side = if row.sending_centre_id == tx.centre().get() { Side::Sending } else { Side::Host };
    Ok((row, side))
}

/// A date typed in a form (`YYYY-MM-DD`).
pub(crate) fn parse_date(input: &str) -> Result<NaiveDate, &'static str> {
    let text = input.trim();
    if text.is_empty() {
        return Err("error.required");
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| "error.date_invalid")
}

/// Whether two periods (inclusive) overlap.
pub fn overlaps(a: (NaiveDate, NaiveDate), b: (NaiveDate, NaiveDate)) -> bool {
    a.0 <= b.1 && b.0 <= a.1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_overlap_when_they_share_a_day() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert!(overlaps((d("2027-03-01"), d("2027-03-31")), (d("2027-03-31"), d("2027-04-15"))));
        assert!(!overlaps((d("2027-03-01"), d("2027-03-30")), (d("2027-03-31"), d("2027-04-15"))));
        assert!(overlaps((d("2027-03-01"), d("2027-04-30")), (d("2027-03-10"), d("2027-03-20"))));
        assert_eq!(parse_date("2027-02-30"), Err("error.date_invalid"));
    }
}
