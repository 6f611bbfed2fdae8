//! Learning agreements, one per participant: the units of learning outcomes to achieve abroad
//! (from the shared references, within the partnership agreement in force), the activities and
//! how each unit is assessed, signed by both centres (the learner's own signature has its column
//! for the learner's space). After the stay the host records a result per unit, and the sending
//! centre its recognition per unit, with the date.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::{operation_in, parse_date};
use crate::db::Db;
use crate::entities::{learning_agreement, learning_agreement_unit, operation_participant};
use crate::error::{Checks, DomainError, FormData, Result};
use crate::tenancy::{CentreAccess, TenantTx};
use crate::types::{OperationState, Recognition, Side, UnitResult};

/// One unit of a learning agreement.
#[derive(Debug, Clone)]
pub struct AgreementUnit {
    pub id: i64,
    pub unit_id: i64,
    pub activities: String,
    pub assessment_method: String,
    pub result: Option<UnitResult>,
    pub result_note: String,
    pub result_at: Option<DateTime<Utc>>,
    pub recognition: Option<Recognition>,
    pub recognition_date: Option<NaiveDate>,
}

/// A participant's learning agreement.
#[derive(Debug, Clone)]
pub struct LearningAgreement {
    pub id: i64,
    pub operation_id: i64,
    pub participant_name: String,
    pub activities: String,
    pub signed_sending_at: Option<DateTime<Utc>>,
    pub signed_host_at: Option<DateTime<Utc>>,
    pub signed_learner_at: Option<DateTime<Utc>>,
    pub units: Vec<AgreementUnit>,
    /// Units the partnership agreement in force allows (empty without one).
    pub allowed_unit_ids: Vec<i64>,
    pub side: Side,
    pub state: OperationState,
}

async fn la_in(tx: &TenantTx, operation_id: i64, id: i64) -> Result<learning_agreement::Model> {
    tx.select_shared::<learning_agreement::Entity>()
        .filter(learning_agreement::Column::Id.eq(id))
        .filter(learning_agreement::Column::OperationId.eq(operation_id))
        .one(tx.conn())
        .await?
        .ok_or(DomainError::NotFound)
}

async fn units_of(tx: &TenantTx, la: i64) -> Result<Vec<learning_agreement_unit::Model>> {
    Ok(tx
        .select_shared::<learning_agreement_unit::Entity>()
        .filter(learning_agreement_unit::Column::LearningAgreementId.eq(la))
        .order_by_asc(learning_agreement_unit::Column::Id)
        .all(tx.conn())
        .await?)
}

/// A learning agreement of the operation.
pub async fn get(db: &Db, access: &CentreAccess, operation_id: i64, id: i64) -> Result<LearningAgreement> {
    let tx = TenantTx::begin(db, access.centre_id()).await?;
    let (op, side) = operation_in(&tx, operation_id).await?;
    let la = la_in(&tx, op.id, id).await?;
    let participant = tx
        .select_shared::<operation_participant::Entity>()
        .filter(operation_participant::Column::Id.eq(la.participant_id))
        .one(tx.conn())
        .await?
        .ok_or(DomainError::NotFound)?;
    let name = super::name_of(&super::names(tx.conn(), [Some(participant.user_id)]).await?, Some(participant.user_id));
    let units = units_of(&tx, la.id)
        .await?
        .into_iter()
        .map(|u| AgreementUnit {
            id: u.id,
            unit_id: u.unit_id,
            activities: u.activities,
            assessment_method: u.assessment_method,
            result: u.result.and_then(|r| r.parse().ok()),
            result_note: u.result_note,
            result_at: u.result_at,
            recognition: u.recognition.and_then(|r| r.parse().ok()),
            recognition_date: u.recognition_date,
        })
        .collect();
    let allowed_unit_ids = super::agreements::units_for(&tx, &op).await?;
    tx.commit().await?;
    Ok(LearningAgreement {
        id: la.id,
        operation_id: op.id,
        participant_name: name,
        activities: la.activities,
        signed_sending_at: la.signed_sending_at,
        signed_host_at: la.signed_host_at,
        signed_learner_at: la.signed_learner_at,
        units,
        allowed_unit_ids,
        side,
        state: op.state.parse().unwrap_or(OperationState::Requested),
    })
}

fn editable(state: OperationState) -> bool {
    matches!(state, OperationState::Accepted | OperationState::Preparing)
}

async fn clear_signatures(tx: &TenantTx, la: learning_agreement::Model, now: DateTime<Utc>) -> Result<()> {
    let mut active: learning_agreement::ActiveModel = la.into();
    active.signed_sending_by = Set(None);
    active.signed_sending_at = Set(None);
    active.signed_host_by = Set(None);
    active.signed_host_at = Set(None);
    active.updated_at = Set(now);
    learning_agreement::Entity::update(active).exec(tx.conn()).await?;
    Ok(())
}

/// Adds a unit to the learning agreement (admins of either side, while preparing): `unit` (one
/// the partnership agreement in force covers), `activities`, `assessment_method`. Any change
/// voids the signatures: both centres sign the new content.
pub async fn add_unit(
    db: &Db,
    access: &CentreAccess,
    operation_id: i64,
    id: i64,
    form: &FormData,
    now: DateTime<Utc>,
) -> Result<()> {
    access.require_admin()?;
    let tx = TenantTx::begin(db, access.centre_id()).await?;
    let (op, _) = operation_in(&tx, operation_id).await?;
    let state: OperationState = op.state.parse().unwrap_or(OperationState::Requested);
    if !editable(state) {
        return Err(DomainError::invalid("unit", "error.learning_agreement_frozen"));
    }
    let la = la_in(&tx, op.id, id).await?;
    let allowed = super::agreements::units_for(&tx, &op).await?;
    let mut checks = Checks::default();
    let unit = checks.check("unit", form.text("unit").parse::<i64>().map_err(|_| "error.choice_invalid"));
    if let Some(u) = unit {
        if allowed.is_empty() {
            checks.add("unit", "error.no_agreement_in_force");
        } else if !allowed.contains(&u) {
            checks.add("unit", "error.unit_not_in_agreement");
        } else if units_of(&tx, la.id).await?.iter().any(|x| x.unit_id == u) {
            checks.add("unit", "error.unit_already_listed");
        }
    }
    let activities = checks.check("activities", crate::types::required_text(form.text("activities"), 2000));
    let method = checks.check("assessment_method", crate::types::required_text(form.text("assessment_method"), 2000));
    checks.finish()?;
    let (Some(unit), Some(activities), Some(method)) = (unit, activities, method) else {
        return Err(DomainError::Internal("unchecked".into()));
    };
    learning_agreement_unit::Entity::insert(learning_agreement_unit::ActiveModel {
        learning_agreement_id: Set(la.id),
        sending_centre_id: Set(op.sending_centre_id),
        host_centre_id: Set(op.host_centre_id),
        unit_id: Set(unit),
        activities: Set(activities),
        assessment_method: Set(method),
        result: Set(None),
        result_note: Set(String::new()),
        result_by: Set(None),
        result_at: Set(None),
        recognition: Set(None),
        recognition_date: Set(None),
        recognition_by: Set(None),
        ..Default::default()
    })
    .exec_without_returning(tx.conn())
    .await?;
    clear_signatures(&tx, la, now).await?;
    tx.commit().await
}

/// Removes a unit (while preparing); voids the signatures.
pub async fn remove_unit(
    db: &Db,
    access: &CentreAccess,
    operation_id: i64,
    id: i64,
    unit_row: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    access.require_admin()?;
    let tx = TenantTx::begin(db, access.centre_id()).await?;
    let (op, _) = operation_in(&tx, operation_id).await?;
    if !editable(op.state.parse().unwrap_or(OperationState::Requested)) {
        return Err(DomainError::invalid("unit", "error.learning_agreement_frozen"));
    }
    let la = la_in(&tx, op.id, id).await?;
    let deleted = learning_agreement_unit::Entity::delete_many()
        .filter(learning_agreement_unit::Column::Id.eq(unit_row))
        .filter(learning_agreement_unit::Column::LearningAgreementId.eq(la.id))
        .exec(tx.conn())
        .await?;
    if deleted.rows_affected == 0 {
        return Err(DomainError::NotFound);
    }
    clear_signatures(&tx, la, now).await?;
    tx.commit().await
}

/// Signs the learning agreement for the caller's side (admins). Needs at least one unit.
pub async fn sign(db: &Db, access: &CentreAccess, operation_id: i64, id: i64, now: DateTime<Utc>) -> Result<()> {
    access.require_admin()?;
    let tx = TenantTx::begin(db, access.centre_id()).await?;
    let (op, side) = operation_in(&tx, operation_id).await?;
    if !editable(op.state.parse().unwrap_or(OperationState::Requested)) {
        return Err(DomainError::invalid("sign", "error.learning_agreement_frozen"));
    }
    let la = la_in(&tx, op.id, id).await?;
    if units_of(&tx, la.id).await?.is_empty() {
        return Err(DomainError::invalid("sign", "error.learning_agreement_empty"));
    }
    let mut active: learning_agreement::ActiveModel = la.into();
    match side {
        Side::Sending => {
            active.signed_sending_by = Set(Some(access.user_id().get()));
            active.signed_sending_at = Set(Some(now));
        }
        Side::Host => {
            active.signed_host_by = Set(Some(access.user_id().get()));
            active.signed_host_at = Set(Some(now));
        }
    }
    active.updated_at = Set(now);
    learning_agreement::Entity::update(active).exec(tx.conn()).await?;
    tx.commit().await
}

/// Records results and recognitions from one form: for each unit row `N`, the host sends
/// `result_N` (and `note_N`) once the stay is under way or over; the sending centre sends
/// `recognition_N` and `recognition_date_N` once the results are in. Each side may write only
/// its own fields.
pub async fn record(
    db: &Db,
    access: &CentreAccess,
    operation_id: i64,
    id: i64,
    form: &FormData,
    now: DateTime<Utc>,
) -> Result<()> {
    access.require_admin()?;
    let tx = TenantTx::begin(db, access.centre_id()).await?;
    let (op, side) = operation_in(&tx, operation_id).await?;
    let state: OperationState = op.state.parse().unwrap_or(OperationState::Requested);
    let la = la_in(&tx, op.id, id).await?;
    let mut checks = Checks::default();
    let mut updates = Vec::new();
    for unit in units_of(&tx, la.id).await? {
        let n = unit.id;
        let mut active: learning_agreement_unit::ActiveModel = unit.clone().into();
        match side {
            Side::Host => {
                let field = format!("result_{n}");
                let text = form.text(&field);
                if text.is_empty() {
                    continue;
                }
                if !matches!(state, OperationState::InProgress | OperationState::Completed) {
                    checks.add(&field, "error.results_not_yet");
                    continue;
                }
                if let Some(result) = checks.check(&field, text.parse::<UnitResult>()) {
                    let note = checks.check(
                        &format!("note_{n}"),
                        crate::types::optional_text(form.text(&format!("note_{n}")), 1000),
                    );
                    active.result = Set(Some(result.as_str().to_owned()));
                    active.result_note = Set(note.unwrap_or_default());
                    active.result_by = Set(Some(access.user_id().get()));
                    active.result_at = Set(Some(now));
                    updates.push(active);
                }
            }
            Side::Sending => {
                let field = format!("recognition_{n}");
                let text = form.text(&field);
                if text.is_empty() {
                    continue;
                }
                if unit.result.is_none() || !matches!(state, OperationState::Completed | OperationState::Evaluated) {
                    checks.add(&field, "error.recognition_needs_result");
                    continue;
                }
                let recognition = checks.check(&field, text.parse::<Recognition>());
                let date = checks
                    .check(&format!("recognition_date_{n}"), parse_date(form.text(&format!("recognition_date_{n}"))));
                if let (Some(recognition), Some(date)) = (recognition, date) {
                    active.recognition = Set(Some(recognition.as_str().to_owned()));
                    active.recognition_date = Set(Some(date));
                    active.recognition_by = Set(Some(access.user_id().get()));
                    updates.push(active);
                }
            }
        }
    }
    checks.finish()?;
    for active in updates {
        learning_agreement_unit::Entity::update(active).exec(tx.conn()).await?;
    }
    tx.commit().await
}

/// Every unit of every learning agreement of the operation (two queries).
pub(super) async fn all_units(tx: &TenantTx, operation_id: i64) -> Result<Vec<learning_agreement_unit::Model>> {
    let las: Vec<i64> = tx
        .select_shared::<learning_agreement::Entity>()
        .filter(learning_agreement::Column::OperationId.eq(operation_id))
        .all(tx.conn())
        .await?
        .into_iter()
        .map(|l| l.id)
        .collect();
    Ok(tx
        .select_shared::<learning_agreement_unit::Entity>()
        .filter(learning_agreement_unit::Column::LearningAgreementId.is_in(las))
        .all(tx.conn())
        .await?)
}

/// Units of the operation still without a result.
pub(crate) async fn missing_results(tx: &TenantTx, operation_id: i64) -> Result<usize> {
    Ok(all_units(tx, operation_id).await?.iter().filter(|u| u.result.is_none()).count())
}

/// Units of the operation still without a recognition.
pub(crate) async fn missing_recognitions(tx: &TenantTx, operation_id: i64) -> Result<usize> {
    Ok(all_units(tx, operation_id).await?.iter().filter(|u| u.recognition.is_none()).count())
}
