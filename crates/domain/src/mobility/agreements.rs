//! Partnership agreements (the ECVET memorandum of understanding) between two centres: the
//! profiles and units of learning outcomes concerned, how units are assessed abroad, how they
//! are validated and recognised at home, and validity dates. One centre drafts; an admin of each
//! signs in the app. A change after a signature is a new version that both sign again; every
//! version is kept.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::{CentreRef, centre_ref, parse_date};
use crate::db::Db;
use crate::entities::{agreement_version, centre, mobility_operation, partnership_agreement};
use crate::error::{Checks, DomainError, FormData, Result};
use crate::references::{Audience, Catalogue};
use crate::tenancy::{CentreAccess, TenantTx, UserId};
use crate::types::CentreStatus;

/// One version of an agreement.
#[derive(Debug, Clone)]
pub struct Version {
    pub id: i64,
    pub version: i32,
    pub profile_ids: Vec<i64>,
    pub unit_ids: Vec<i64>,
    pub assessment: String,
    pub validation: String,
    pub recognition: String,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
    pub drafted_at: DateTime<Utc>,
    pub signed_a_at: Option<DateTime<Utc>>,
    pub signed_b_at: Option<DateTime<Utc>>,
}

impl Version {
    pub fn fully_signed(&self) -> bool {
        self.signed_a_at.is_some() && self.signed_b_at.is_some()
    }
}

/// An agreement with its versions, newest first.
#[derive(Debug, Clone)]
pub struct Agreement {
    pub id: i64,
    /// The centre that drafted it.
    pub centre_a: CentreRef,
    pub centre_b: CentreRef,
    pub versions: Vec<Version>,
}

impl Agreement {
    pub fn latest(&self) -> Option<&Version> {
        self.versions.first()
    }

    /// The latest version both centres signed.
    pub fn in_force(&self) -> Option<&Version> {
        self.versions.iter().find(|v| v.fully_signed())
    }
}

fn ids(text: &str) -> Vec<i64> {
    text.split(',').filter_map(|s| s.trim().parse().ok()).collect()
}

fn join(ids: &[i64]) -> String {
    ids.iter().map(ToString::to_string).collect::<Vec<_>>().join(",")
}

fn version_from(row: agreement_version::Model) -> Version {
    Version {
        id: row.id,
        version: row.version,
        profile_ids: ids(&row.profile_ids),
        unit_ids: ids(&row.unit_ids),
        assessment: row.assessment,
        validation: row.validation,
        recognition: row.recognition,
        valid_from: row.valid_from,
        valid_until: row.valid_until,
        drafted_at: row.drafted_at,
        signed_a_at: row.signed_a_at,
        signed_b_at: row.signed_b_at,
    }
}

async fn load(tx: &TenantTx, row: partnership_agreement::Model) -> Result<Agreement> {
    let versions = tx
        .select_shared::<agreement_version::Entity>()
        .filter(agreement_version::Column::AgreementId.eq(row.id))
        .order_by_desc(agreement_version::Column::Version)
        .all(tx.conn())
        .await?
        .into_iter()
        .map(version_from)
        .collect();
    Ok(Agreement {
        id: row.id,
        centre_a: centre_ref(tx.conn(), row.centre_a_id).await?,
        centre_b: centre_ref(tx.conn(), row.centre_b_id).await?,
        versions,
    })
}

async fn agreement_in(tx: &TenantTx, id: i64) -> Result<partnership_agreement::Model> {
    tx.select_shared::<partnership_agreement::Entity>()
        .filter(partnership_agreement::Column::Id.eq(id))
        .one(tx.conn())
        .await?
        .ok_or(DomainError::NotFound)
}

/// Whether agreement `id` binds exactly these two centres.
pub(crate) async fn between(tx: &TenantTx, id: i64, one: i64, other: i64) -> Result<bool> {
    Ok(agreement_in(tx, id).await.ok().is_some_and(|a| {
        (a.centre_a_id == one && a.centre_b_id == other) || (a.centre_a_id == other && a.centre_b_id == one)
    }))
}

/// Whether the operation's agreement has a version signed by both centres, valid over the
/// operation's period.
pub(crate) async fn in_force_for(tx: &TenantTx, op: &mobility_operation::Model) -> Result<bool> {
    let Some(id) = op.agreement_id else { return Ok(false) };
    let agreement = load(tx, agreement_in(tx, id).await?).await?;
    Ok(agreement.in_force().is_some_and(|v| v.valid_from <= op.period_start && op.period_end <= v.valid_until))
}

/// The units the operation's agreement in force covers (empty without one).
pub(crate) async fn units_for(tx: &TenantTx, op: &mobility_operation::Model) -> Result<Vec<i64>> {
    let Some(id) = op.agreement_id else { return Ok(Vec::new()) };
    let agreement = load(tx, agreement_in(tx, id).await?).await?;
    Ok(agreement.in_force().map(|v| v.unit_ids.clone()).unwrap_or_default())
}

struct Terms {
    profile_ids: Vec<i64>,
    unit_ids: Vec<i64>,
    assessment: String,
    validation: String,
    recognition: String,
    valid_from: NaiveDate,
    valid_until: NaiveDate,
}

fn terms(
    form: &FormData,
    catalogue: &Catalogue,
    units: &std::collections::BTreeMap<i64, crate::references::Unit>,
) -> Result<Terms> {
    let mut checks = Checks::default();
    let mut profile_ids: Vec<i64> = Vec::new();
    for p in form.all("profiles") {
        match p.parse::<i64>().ok().filter(|id| catalogue.profile(*id).is_some()) {
            Some(id) => profile_ids.push(id),
            None => checks.add("profiles", "error.choice_invalid"),
        }
    }
    if form.all("profiles").is_empty() {
        checks.add("profiles", "error.choose_one");
    }
    let mut unit_ids: Vec<i64> = Vec::new();
    for u in form.all("units") {
        match u.parse::<i64>().ok().and_then(|id| units.get(&id)) {
            Some(unit) if profile_ids.contains(&unit.profile_id) => unit_ids.push(unit.id),
            Some(_) => checks.add("units", "error.unit_outside_profiles"),
            None => checks.add("units", "error.choice_invalid"),
        }
    }
    if form.all("units").is_empty() {
        checks.add("units", "error.choose_one");
    }
    let assessment = checks.check("assessment", crate::types::required_text(form.text("assessment"), 4000));
    let validation = checks.check("validation", crate::types::required_text(form.text("validation"), 4000));
    let recognition = checks.check("recognition", crate::types::required_text(form.text("recognition"), 4000));
    let from = checks.check("valid_from", parse_date(form.text("valid_from")));
    let until = checks.check("valid_until", parse_date(form.text("valid_until")));
    if let (Some(f), Some(u)) = (from, until)
        && u < f
    {
        checks.add("valid_until", "error.period_order");
    }
    checks.finish()?;
    profile_ids.sort_unstable();
    profile_ids.dedup();
    unit_ids.sort_unstable();
    unit_ids.dedup();
    match (assessment, validation, recognition, from, until) {
        (Some(assessment), Some(validation), Some(recognition), Some(valid_from), Some(valid_until)) => {
            Ok(Terms { profile_ids, unit_ids, assessment, validation, recognition, valid_from, valid_until })
        }
        _ => Err(DomainError::Internal("unchecked".into())),
    }
}

async fn insert_version(
    tx: &TenantTx,
    agreement: &partnership_agreement::Model,
    number: i32,
    t: Terms,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<()> {
    agreement_version::Entity::insert(agreement_version::ActiveModel {
        agreement_id: Set(agreement.id),
        centre_a_id: Set(agreement.centre_a_id),
        centre_b_id: Set(agreement.centre_b_id),
        version: Set(number),
        profile_ids: Set(join(&t.profile_ids)),
        unit_ids: Set(join(&t.unit_ids)),
        assessment: Set(t.assessment),
        validation: Set(t.validation),
        recognition: Set(t.recognition),
        valid_from: Set(t.valid_from),
        valid_until: Set(t.valid_until),
        drafted_by: Set(Some(by.get())),
        drafted_at: Set(now),
        signed_a_by: Set(None),
        signed_a_at: Set(None),
        signed_b_by: Set(None),
        signed_b_at: Set(None),
        ..Default::default()
    })
    .exec_without_returning(tx.conn())
    .await?;
    Ok(())
}

/// Drafts an agreement with another active centre (`partner`, a centre slug) and its terms
/// (`profiles`, `units` of those profiles, `assessment`, `validation`, `recognition`,
/// `valid_from`, `valid_until`). Admins only.
pub async fn draft(db: &Db, access: &CentreAccess, form: &FormData, now: DateTime<Utc>) -> Result<i64> {
    access.require_admin()?;
    let catalogue = crate::references::catalogue(db, Audience::Public).await?;
    let units = crate::references::units_by_id(db, Audience::Public).await?;
    let partner = centre::Entity::find()
        .filter(centre::Column::Slug.eq(form.text("partner").trim()))
        .filter(centre::Column::Status.eq(CentreStatus::Active.as_str()))
        .one(db.conn())
        .await?
        .filter(|c| c.id != access.centre_id().get());
    let terms = match (terms(form, &catalogue, &units), &partner) {
        (Ok(t), Some(_)) => t,
        (Ok(_), None) => return Err(DomainError::invalid("partner", "error.choice_invalid")),
        (Err(DomainError::Invalid(mut errors)), None) => {
            errors.insert(0, crate::error::FieldError { field: "partner".into(), message_key: "error.choice_invalid" });
            return Err(DomainError::Invalid(errors));
        }
        (Err(other), _) => return Err(other),
    };
    let partner = partner.ok_or(DomainError::NotFound)?;
    let tx = TenantTx::begin(db, access.centre_id()).await?;
    let inserted = partnership_agreement::Entity::insert(partnership_agreement::ActiveModel {
        centre_a_id: Set(access.centre_id().get()),
        centre_b_id: Set(partner.id),
        created_by: Set(Some(access.user_id().get())),
        created_at: Set(now),
        ..Default::default()
    })
    .exec(tx.conn())
    .await?;
    let agreement = agreement_in(&tx, inserted.last_insert_id).await?;
    insert_version(&tx, &agreement, 1, terms, access.user_id(), now).await?;
    tx.commit().await?;
    Ok(agreement.id)
}

/// Changes the terms: the latest version is edited in place while nobody has signed it;
/// otherwise a new version is drafted, which both centres sign again.
pub async fn amend(db: &Db, access: &CentreAccess, id: i64, form: &FormData, now: DateTime<Utc>) -> Result<()> {
    access.require_admin()?;
    let catalogue = crate::references::catalogue(db, Audience::Public).await?;
    let units = crate::references::units_by_id(db, Audience::Public).await?;
    let t = terms(form, &catalogue, &units)?;
    let tx = TenantTx::begin(db, access.centre_id()).await?;
    let agreement = agreement_in(&tx, id).await?;
    let latest = tx
        .select_shared::<agreement_version::Entity>()
        .filter(agreement_version::Column::AgreementId.eq(id))
        .order_by_desc(agreement_version::Column::Version)
        .one(tx.conn())
        .await?
        .ok_or(DomainError::NotFound)?;
    if latest.signed_a_at.is_none() && latest.signed_b_at.is_none() {
        let mut active: agreement_version::ActiveModel = latest.into();
        active.profile_ids = Set(join(&t.profile_ids));
        active.unit_ids = Set(join(&t.unit_ids));
        active.assessment = Set(t.assessment);
        active.validation = Set(t.validation);
        active.recognition = Set(t.recognition);
        active.valid_from = Set(t.valid_from);
        active.valid_until = Set(t.valid_until);
        active.drafted_by = Set(Some(access.user_id().get()));
        active.drafted_at = Set(now);
        agreement_version::Entity::update(active).exec(tx.conn()).await?;
    } else {
        insert_version(&tx, &agreement, latest.version + 1, t, access.user_id(), now).await?;
    }
    tx.commit().await
}

/// Signs the latest version for the caller's centre (admins). Signing twice changes nothing.
pub async fn sign(db: &Db, access: &CentreAccess, id: i64, now: DateTime<Utc>) -> Result<()> {
    access.require_admin()?;
    let tx = TenantTx::begin(db, access.centre_id()).await?;
    let agreement = agreement_in(&tx, id).await?;
    let latest = tx
        .select_shared::<agreement_version::Entity>()
        .filter(agreement_version::Column::AgreementId.eq(id))
        .order_by_desc(agreement_version::Column::Version)
        .one(tx.conn())
        .await?
        .ok_or(DomainError::NotFound)?;
    let mut active: agreement_version::ActiveModel = latest.clone().into();
    if agreement.centre_a_id == tx.centre().get() {
        if latest.signed_a_at.is_none() {
            active.signed_a_by = Set(Some(access.user_id().get()));
            active.signed_a_at = Set(Some(now));
        }
    } else if latest.signed_b_at.is_none() {
        active.signed_b_by = Set(Some(access.user_id().get()));
        active.signed_b_at = Set(Some(now));
    }
    agreement_version::Entity::update(active).exec(tx.conn()).await?;
    tx.commit().await
}

/// One agreement, if the caller's centre is party to it.
pub async fn get(db: &Db, access: &CentreAccess, id: i64) -> Result<Agreement> {
    let tx = TenantTx::begin(db, access.centre_id()).await?;
    let row = agreement_in(&tx, id).await?;
    let agreement = load(&tx, row).await?;
    tx.commit().await?;
    Ok(agreement)
}

/// Every agreement of the caller's centre.
pub async fn list(db: &Db, access: &CentreAccess) -> Result<Vec<Agreement>> {
    let tx = TenantTx::begin(db, access.centre_id()).await?;
    let rows = tx
        .select_shared::<partnership_agreement::Entity>()
        .order_by_desc(partnership_agreement::Column::Id)
        .all(tx.conn())
        .await?;
    let mut list = Vec::new();
    for row in rows {
        list.push(load(&tx, row).await?);
    }
    tx.commit().await?;
    Ok(list)
}
