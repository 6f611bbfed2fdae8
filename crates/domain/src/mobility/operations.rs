//! The mobility operation: one record shared by the sending and the host centre. A request on an
//! offer creates it; the state machine says which side may move it where, and refuses the rest
//! with a reason; every transition is recorded (who, when, from, to, why).
//!
//! ```text
//! requested ─accept (host)─▶ accepted ─▶ preparing ─start (sending)─▶ in_progress
//!     │ decline (host)           │            │                              │ complete (host)
//!     ▼                          ▼            ▼                              ▼
//!  declined               cancelled (either side, with a reason)        completed
//!                                                                            │ evaluate (sending)
//!                                                     closed ◀─close (sending)─ evaluated
//! ```

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::{CentreRef, centre_ref, operation_in, overlaps, parse_date};
use crate::db::Db;
use crate::entities::{
    learning_agreement, membership, mobility_offer, mobility_operation, operation_checklist_item,
    operation_participant, operation_transition, user,
};
use crate::error::{Checks, DomainError, FormData, Result};
use crate::tenancy::{CentreAccess, TenantTx, UserId};
use crate::types::{MembershipRole, MobilityType, OperationState, Side};

/// What a side asks the state machine to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Accept,
    Decline,
    ProposeDates,
    AcceptProposal,
    Prepare,
    Start,
    Complete,
    Evaluate,
    Close,
    Cancel,
}

impl Action {
    pub const ALL: [Action; 10] = [
        Action::Accept,
        Action::Decline,
        Action::ProposeDates,
        Action::AcceptProposal,
        Action::Prepare,
        Action::Start,
        Action::Complete,
        Action::Evaluate,
        Action::Close,
        Action::Cancel,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Accept => "accept",
            Action::Decline => "decline",
            Action::ProposeDates => "propose_dates",
            Action::AcceptProposal => "accept_proposal",
            Action::Prepare => "prepare",
            Action::Start => "start",
            Action::Complete => "complete",
            Action::Evaluate => "evaluate",
            Action::Close => "close",
            Action::Cancel => "cancel",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == text)
    }
}

/// The state machine: where `action` by `side` takes an operation in `state`, or why not (a
/// translation key). Preconditions on the record (signatures, checklists) are checked apart.
pub fn next_state(state: OperationState, side: Side, action: Action) -> Result<OperationState, &'static str> {
    use OperationState as S;
    match (action, state, side) {
        (Action::Accept, S::Requested, Side::Host) => Ok(S::Accepted),
        (Action::Decline, S::Requested, Side::Host) => Ok(S::Declined),
        (Action::ProposeDates, S::Requested, Side::Host) => Ok(S::Requested),
        (Action::AcceptProposal, S::Requested, Side::Sending) => Ok(S::Accepted),
        (Action::Prepare, S::Accepted, _) => Ok(S::Preparing),
        (Action::Start, S::Preparing, Side::Sending) => Ok(S::InProgress),
        (Action::Complete, S::InProgress, Side::Host) => Ok(S::Completed),
        (Action::Evaluate, S::Completed, Side::Sending) => Ok(S::Evaluated),
        (Action::Close, S::Evaluated, Side::Sending) => Ok(S::Closed),
        (Action::Cancel, S::Requested | S::Accepted | S::Preparing, _) => Ok(S::Cancelled),
        (Action::Accept | Action::Decline | Action::ProposeDates, S::Requested, Side::Sending)
        | (Action::AcceptProposal, S::Requested, Side::Host)
        | (Action::Start | Action::Evaluate | Action::Close, _, Side::Host)
        | (Action::Complete, _, Side::Sending) => Err("error.transition_other_side"),
        _ => Err("error.transition_invalid"),
    }
}

/// States in which the operation holds places on its offer.
fn holds_places(state: OperationState) -> bool {
    !matches!(state, OperationState::Requested | OperationState::Declined | OperationState::Cancelled)
}

/// An operation as its two centres see it.
#[derive(Debug, Clone)]
pub struct Operation {
    pub id: i64,
    pub sending: CentreRef,
    pub host: CentreRef,
    /// The caller's side.
    pub side: Side,
    pub offer_id: Option<i64>,
    pub agreement_id: Option<i64>,
    pub mobility_type: MobilityType,
    pub profile_id: Option<i64>,
    pub participants_planned: i32,
    pub period: (NaiveDate, NaiveDate),
    pub proposed: Option<(NaiveDate, NaiveDate)>,
    pub state: OperationState,
    pub state_reason: String,
    pub request_message: String,
    pub accommodation: String,
    pub insurance: String,
    pub emergency_contacts: String,
    pub created_at: DateTime<Utc>,
}

pub(crate) async fn to_operation(
    conn: &impl ConnectionTrait,
    row: mobility_operation::Model,
    side: Side,
) -> Result<Operation> {
    Ok(Operation {
        id: row.id,
        sending: centre_ref(conn, row.sending_centre_id).await?,
        host: centre_ref(conn, row.host_centre_id).await?,
        side,
        offer_id: row.offer_id,
        agreement_id: row.agreement_id,
        mobility_type: row.mobility_type.parse().unwrap_or(MobilityType::Learner),
        profile_id: row.profile_id,
        participants_planned: row.participants_planned,
        period: (row.period_start, row.period_end),
        proposed: row.proposed_start.zip(row.proposed_end),
        state: row.state.parse().unwrap_or(OperationState::Requested),
        state_reason: row.state_reason,
        request_message: row.request_message,
        accommodation: row.accommodation,
        insurance: row.insurance,
        emergency_contacts: row.emergency_contacts,
        created_at: row.created_at,
    })
}

async fn record_transition(
    tx: &TenantTx,
    op: &mobility_operation::Model,
    from: Option<OperationState>,
    to: OperationState,
    by: UserId,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<i64> {
    let inserted = operation_transition::Entity::insert(operation_transition::ActiveModel {
        operation_id: Set(op.id),
        sending_centre_id: Set(op.sending_centre_id),
        host_centre_id: Set(op.host_centre_id),
        from_state: Set(from.map(|s| s.as_str().to_owned())),
        to_state: Set(to.as_str().to_owned()),
        by_user_id: Set(Some(by.get())),
        by_centre_id: Set(tx.centre().get()),
        reason: Set(reason.to_owned()),
        at: Set(now),
        ..Default::default()
    })
    .exec(tx.conn())
    .await?;
    Ok(inserted.last_insert_id)
}

/// Asks, in the caller's transaction, for the other centre's coordinators to hear of a step.
async fn tell_other_side(
    tx: &TenantTx,
    op: &mobility_operation::Model,
    transition_id: i64,
    event: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let other = if op.sending_centre_id == tx.centre().get() { op.host_centre_id } else { op.sending_centre_id };
    let job = crate::jobs::NotifyOperation {
        operation_id: op.id,
        recipient_centre_id: other,
        transition_id,
        event: event.to_owned(),
    };
    crate::outbox::enqueue(tx.conn(), &job, Some(crate::tenancy::CentreId(other)), now).await?;
    Ok(())
}

/// Sends a request on another centre's open offer (the sending centre's admins): `participants`,
/// `period_start`, `period_end` (within the offer's window), `message`. Creates the shared
/// operation in the `requested` state.
pub async fn request(
    db: &Db,
    access: &CentreAccess,
    offer_id: i64,
    form: &FormData,
    now: DateTime<Utc>,
) -> Result<i64> {
    access.require_admin()?;
    let offer = super::offers::get(db, access, offer_id, now).await?;
    if offer.centre.id == access.centre_id() {
        return Err(DomainError::NotFound);
    }
    let mut checks = Checks::default();
    if !offer.accepts_requests(now.date_naive()) {
        checks.add("offer", "error.offer_not_open");
    }
    let participants = checks.check(
        "participants",
        form.text("participants").trim().parse::<i32>().ok().filter(|n| *n >= 1).ok_or("error.participants_invalid"),
    );
    if let Some(n) = participants
        && n > offer.places_left()
    {
        checks.add("participants", "error.more_than_places");
    }
    let start = checks.check("period_start", parse_date(form.text("period_start")));
    let end = checks.check("period_end", parse_date(form.text("period_end")));
    if let (Some(s), Some(e)) = (start, end) {
        if e < s {
            checks.add("period_end", "error.period_order");
        } else if s < offer.window_start || e > offer.window_end {
            checks.add("period_start", "error.period_outside_window");
        }
    }
    let message = checks.check("message", crate::types::optional_text(form.text("message"), 2000));
    checks.finish()?;
    let (Some(participants), Some(start), Some(end), Some(message)) = (participants, start, end, message) else {
        return Err(DomainError::Internal("unchecked".into()));
    };
    let tx = TenantTx::begin(db, access.centre_id()).await?;
    let inserted = mobility_operation::Entity::insert(mobility_operation::ActiveModel {
        sending_centre_id: Set(access.centre_id().get()),
        host_centre_id: Set(offer.centre.id.get()),
        offer_id: Set(Some(offer.id)),
        agreement_id: Set(None),
        mobility_type: Set(offer.mobility_type.as_str().to_owned()),
        profile_id: Set(Some(offer.profile.id)),
        participants_planned: Set(participants),
        period_start: Set(start),
        period_end: Set(end),
        proposed_start: Set(None),
        proposed_end: Set(None),
        state: Set(OperationState::Requested.as_str().to_owned()),
        state_reason: Set(String::new()),
        request_message: Set(message),
        accommodation: Set(String::new()),
        insurance: Set(String::new()),
        emergency_contacts: Set(String::new()),
        created_by: Set(Some(access.user_id().get())),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    })
    .exec(tx.conn())
    .await?;
    let row = mobility_operation::Entity::find_by_id(inserted.last_insert_id)
        .one(tx.conn())
        .await?
        .ok_or(DomainError::NotFound)?;
    let step = record_transition(&tx, &row, None, OperationState::Requested, access.user_id(), "", now).await?;
    tell_other_side(&tx, &row, step, "requested", now).await?;
    tx.commit().await?;
    Ok(row.id)
}

/// One operation, if the caller's centre is one of its two.
pub async fn get(db: &Db, access: &CentreAccess, id: i64) -> Result<Operation> {
    let tx = TenantTx::begin(db, access.centre_id()).await?;
    let (row, side) = operation_in(&tx, id).await?;
    let op = to_operation(tx.conn(), row, side).await?;
    tx.commit().await?;
    Ok(op)
}

/// A recorded transition.
#[derive(Debug, Clone)]
pub struct Transition {
    pub from: Option<OperationState>,
    pub to: OperationState,
    pub by_name: String,
    pub by_centre: String,
    pub reason: String,
    pub at: DateTime<Utc>,
}

/// The operation's history, oldest first.
pub async fn history(db: &Db, access: &CentreAccess, id: i64) -> Result<Vec<Transition>> {
    let tx = TenantTx::begin(db, access.centre_id()).await?;
    let (op, _) = operation_in(&tx, id).await?;
    let rows = tx
        .select_shared::<operation_transition::Entity>()
        .filter(operation_transition::Column::OperationId.eq(op.id))
        .order_by_asc(operation_transition::Column::Id)
        .all(tx.conn())
        .await?;
    let names = super::names(tx.conn(), rows.iter().map(|r| r.by_user_id)).await?;
    let mut list = Vec::new();
    for row in rows {
        let by_name = super::name_of(&names, row.by_user_id);
        list.push(Transition {
            from: row.from_state.and_then(|s| s.parse().ok()),
            to: row.to_state.parse().unwrap_or(OperationState::Requested),
            by_name,
            by_centre: centre_ref(tx.conn(), row.by_centre_id).await?.name,
            reason: row.reason,
            at: row.at,
        });
    }
    tx.commit().await?;
    Ok(list)
}

/// What still blocks the next step of an operation, as translation keys with a count.
pub(crate) async fn blockers(tx: &TenantTx, op: &mobility_operation::Model) -> Result<Vec<(&'static str, usize)>> {
    let state: OperationState = op.state.parse().unwrap_or(OperationState::Requested);
    let mut list = Vec::new();
    match state {
        OperationState::Accepted | OperationState::Preparing => {
            if op.agreement_id.is_none() {
                list.push(("blocker.no_agreement", 1));
            } else if !super::agreements::in_force_for(tx, op).await? {
                list.push(("blocker.agreement_unsigned", 1));
            }
            let participants = tx
                .select_shared::<operation_participant::Entity>()
                .filter(operation_participant::Column::OperationId.eq(op.id))
                .all(tx.conn())
                .await?;
            if participants.is_empty() {
                list.push(("blocker.no_participants", 1));
            }
            let agreements = tx
                .select_shared::<learning_agreement::Entity>()
                .filter(learning_agreement::Column::OperationId.eq(op.id))
                .all(tx.conn())
                .await?;
            let units = super::learning::all_units(tx, op.id).await?;
            let unsigned = agreements
                .iter()
                .filter(|la| {
                    !units.iter().any(|u| u.learning_agreement_id == la.id)
                        || la.signed_sending_at.is_none()
                        || la.signed_host_at.is_none()
                })
                .count();
            if unsigned > 0 {
                list.push(("blocker.learning_agreements", unsigned));
            }
            let open_blocking = tx
                .select_shared::<operation_checklist_item::Entity>()
                .filter(operation_checklist_item::Column::OperationId.eq(op.id))
                .filter(operation_checklist_item::Column::Blocking.eq(true))
                .filter(operation_checklist_item::Column::DoneAt.is_null())
                .all(tx.conn())
                .await?
                .len();
            if open_blocking > 0 {
                list.push(("blocker.checklist", open_blocking));
            }
        }
        OperationState::Completed => {
            let missing = super::learning::missing_results(tx, op.id).await?;
            if missing > 0 {
                list.push(("blocker.results", missing));
            }
        }
        OperationState::Evaluated => {
            let missing = super::learning::missing_recognitions(tx, op.id).await?;
            if missing > 0 {
                list.push(("blocker.recognition", missing));
            }
        }
        _ => {}
    }
    Ok(list)
}

/// What still blocks the operation's next step.
pub async fn what_blocks(db: &Db, access: &CentreAccess, id: i64) -> Result<Vec<(&'static str, usize)>> {
    let tx = TenantTx::begin(db, access.centre_id()).await?;
    let (op, _) = operation_in(&tx, id).await?;
    let list = blockers(&tx, &op).await?;
    tx.commit().await?;
    Ok(list)
}

/// Moves the operation (admins of either side, as the state machine allows). `reason` is
/// required to decline or cancel; `proposed_start`/`proposed_end` to propose other dates.
/// Starting needs a signed partnership agreement, every participant's learning agreement signed
/// by both centres and every blocking checklist item done; evaluating needs every unit's result
/// and closing every unit's recognition.
pub async fn act(
    db: &Db,
    access: &CentreAccess,
    id: i64,
    action: Action,
    form: &FormData,
    now: DateTime<Utc>,
) -> Result<OperationState> {
    access.require_admin()?;
    if action == Action::AcceptProposal {
        // The sending side cannot write the host's offer; it checks the places the host last
        // published before taking them (the host's recount job settles the count after).
        let op = get(db, access, id).await?;
        if let Some(offer_id) = op.offer_id
            && let Ok(offer) = super::offers::get(db, access, offer_id, now).await
            && offer.places_left() < op.participants_planned
        {
            return Err(DomainError::invalid("action", "error.more_than_places"));
        }
    }
    let tx = TenantTx::begin(db, access.centre_id()).await?;
    let (op, side) = operation_in(&tx, id).await?;
    let state: OperationState = op.state.parse().unwrap_or(OperationState::Requested);
    let target = next_state(state, side, action).map_err(|key| DomainError::invalid("action", key))?;
    let reason = form.text("reason").trim().to_owned();
    if matches!(action, Action::Decline | Action::Cancel) && reason.is_empty() {
        return Err(DomainError::invalid("reason", "error.reason_required"));
    }
    if reason.chars().count() > 1000 {
        return Err(DomainError::invalid("reason", "error.too_long"));
    }
    let mut active: mobility_operation::ActiveModel = op.clone().into();
    match action {
        Action::ProposeDates => {
            let mut checks = Checks::default();
            let s = checks.check("proposed_start", parse_date(form.text("proposed_start")));
            let e = checks.check("proposed_end", parse_date(form.text("proposed_end")));
            if let (Some(s), Some(e)) = (s, e)
                && e < s
            {
                checks.add("proposed_end", "error.period_order");
            }
            checks.finish()?;
            active.proposed_start = Set(s);
            active.proposed_end = Set(e);
        }
        Action::AcceptProposal => {
            let (Some(s), Some(e)) = (op.proposed_start, op.proposed_end) else {
                return Err(DomainError::invalid("action", "error.no_proposal"));
            };
            active.period_start = Set(s);
            active.period_end = Set(e);
            active.proposed_start = Set(None);
            active.proposed_end = Set(None);
        }
        Action::Start | Action::Prepare | Action::Evaluate | Action::Close => {
            let blocking = blockers(&tx, &op).await?;
            let relevant: Vec<_> = blocking
                .iter()
                .filter(|(key, _)| match action {
                    Action::Prepare => *key == "blocker.no_agreement" || *key == "blocker.agreement_unsigned",
                    _ => true,
                })
                .collect();
            if let Some((key, _)) = relevant.first() {
                return Err(DomainError::invalid("action", key));
            }
        }
        _ => {}
    }
    if target != state {
        if holds_places(target) && !holds_places(state) {
            take_places(&tx, &op, side, target).await?;
        } else if !holds_places(target) && holds_places(state) {
            release_places(&tx, &op, target).await?;
        }
        if target == OperationState::Accepted {
            super::checklists::generate(&tx, &op, now).await?;
        }
        if holds_places(target) != holds_places(state) {
            let year = match action {
                Action::AcceptProposal => op.proposed_start.unwrap_or(op.period_start),
                _ => op.period_start,
            }
            .year();
            count_for_year(&tx, year, if holds_places(target) { 1 } else { -1 }).await?;
        }
    }
    active.state = Set(target.as_str().to_owned());
    if matches!(action, Action::Decline | Action::Cancel) {
        active.state_reason = Set(reason.clone());
    }
    active.updated_at = Set(now);
    mobility_operation::Entity::update(active).exec(tx.conn()).await?;
    let step = record_transition(&tx, &op, Some(state), target, access.user_id(), &reason, now).await?;
    let event = match action {
        Action::Accept => Some("accepted"),
        Action::Decline => Some("declined"),
        Action::ProposeDates => Some("proposed"),
        Action::AcceptProposal => Some("proposal_accepted"),
        Action::Cancel => Some("cancelled"),
        _ => None,
    };
    if let Some(event) = event {
        tell_other_side(&tx, &op, step, event, now).await?;
    }
    tx.commit().await?;
    Ok(target)
}

/// Emails the recipient centre's coordinators about a step the other centre took (the
/// `operations.notify` job). Idempotent: keyed by transition and person.
pub async fn notify(
    db: &Db,
    job: &crate::jobs::NotifyOperation,
    public_url: &crate::PublicUrl,
    now: DateTime<Utc>,
) -> Result<()> {
    use crate::types::EmailAddress;
    let settings = crate::settings::load(db).await?;
    let tx = TenantTx::begin(db, crate::tenancy::CentreId(job.recipient_centre_id)).await?;
    let Ok((op, side)) = operation_in(&tx, job.operation_id).await else { return tx.commit().await };
    let reason = tx
        .select_shared::<operation_transition::Entity>()
        .filter(operation_transition::Column::Id.eq(job.transition_id))
        .one(tx.conn())
        .await?
        .map(|t| t.reason)
        .unwrap_or_default();
    let sending = centre_ref(tx.conn(), op.sending_centre_id).await?;
    let host = centre_ref(tx.conn(), op.host_centre_id).await?;
    let (mine, other) = if side == Side::Sending { (&sending, &host) } else { (&host, &sending) };
    for person in super::coordinators(&tx).await? {
        let Ok(to) = EmailAddress::parse(&person.email) else { continue };
        crate::notifications::queue_email(
            tx.conn(),
            crate::notifications::EmailRequest {
                key: format!("operation-event:{}:{}", job.transition_id, person.id),
                category: "operation",
                to: &to,
                lang: person.language.parse().unwrap_or(netinvet_i18n::Lang::En),
                email: netinvet_mail::Email::OperationEvent(netinvet_mail::OperationEventEmail {
                    event: job.event.clone(),
                    operation: super::operation_title(&op, &sending.name, &host.name),
                    other_centre: other.name.clone(),
                    reason: reason.clone(),
                    url: public_url.join(&format!("/c/{}/operations/{}", mine.slug, op.id)),
                }),
                centre: Some(crate::tenancy::CentreId(job.recipient_centre_id)),
            },
            Ord::max(settings.daily_email_cap_per_category, 24),
            now,
        )
        .await?;
    }
    tx.commit().await
}

/// Counts the operation's participants against its offer's places (in the host's transaction
/// when the host accepts; the sending side accepting a proposal is checked against the places
/// the host last published).
async fn take_places(tx: &TenantTx, op: &mobility_operation::Model, side: Side, target: OperationState) -> Result<()> {
    let Some(offer_id) = op.offer_id else { return Ok(()) };
    if side == Side::Host {
        let offer = tx
            .select::<mobility_offer::Entity>()
            .filter(mobility_offer::Column::Id.eq(offer_id))
            .one(tx.conn())
            .await?
            .ok_or(DomainError::NotFound)?;
        if offer.places_taken + op.participants_planned > offer.places {
            return Err(DomainError::invalid("action", "error.more_than_places"));
        }
        mobility_offer::Entity::update_many()
            .col_expr(
                mobility_offer::Column::PlacesTaken,
                Expr::col(mobility_offer::Column::PlacesTaken).add(op.participants_planned),
            )
            .filter(mobility_offer::Column::Id.eq(offer_id))
            .exec(tx.conn())
            .await?;
    } else {
        enqueue_recount(tx, op, offer_id, target).await?;
    }
    Ok(())
}

async fn release_places(tx: &TenantTx, op: &mobility_operation::Model, target: OperationState) -> Result<()> {
    let Some(offer_id) = op.offer_id else { return Ok(()) };
    enqueue_recount(tx, op, offer_id, target).await
}

/// Asks for a recount of the offer's places by its host (the sending side cannot write the
/// host's offer). Keyed by the operation and the state it moves to, so each change recounts
/// once.
async fn enqueue_recount(
    tx: &TenantTx,
    op: &mobility_operation::Model,
    offer_id: i64,
    target: OperationState,
) -> Result<()> {
    let job = crate::jobs::RecountOfferPlaces {
        offer_id,
        host_centre_id: op.host_centre_id,
        operation_id: op.id,
        to_state: target.as_str().to_owned(),
    };
    crate::outbox::enqueue(tx.conn(), &job, Some(crate::tenancy::CentreId(op.host_centre_id)), op.updated_at).await?;
    Ok(())
}

/// Moves the network's public count of operations for `year` (accepted and not cancelled).
async fn count_for_year(tx: &TenantTx, year: i32, delta: i32) -> Result<()> {
    use crate::entities::mobility_yearly_count as count;
    count::Entity::insert(count::ActiveModel { year: Set(year), operations: Set(Ord::max(delta, 0)) })
        .on_conflict(
            sea_orm::sea_query::OnConflict::column(count::Column::Year)
                .value(count::Column::Operations, Expr::col((count::Entity, count::Column::Operations)).add(delta))
                .to_owned(),
        )
        .exec_without_returning(tx.conn())
        .await?;
    Ok(())
}

/// Recomputes an offer's places taken from the operations that hold places on it, in the host
/// centre's transaction (the `offers.recount` job). Idempotent: it writes a count, not a delta.
pub async fn recount_offer_places(db: &Db, job: &crate::jobs::RecountOfferPlaces) -> Result<()> {
    let tx = TenantTx::begin(db, crate::tenancy::CentreId(job.host_centre_id)).await?;
    recount(&tx, job.offer_id).await?;
    tx.commit().await
}

async fn recount(tx: &TenantTx, offer_id: i64) -> Result<()> {
    let taken: i32 = tx
        .select_shared::<mobility_operation::Entity>()
        .filter(mobility_operation::Column::OfferId.eq(offer_id))
        .all(tx.conn())
        .await?
        .into_iter()
        .filter(|o| o.state.parse().is_ok_and(holds_places))
        .map(|o| o.participants_planned)
        .sum();
    mobility_offer::Entity::update_many()
        .col_expr(mobility_offer::Column::PlacesTaken, Expr::value(taken))
        .filter(mobility_offer::Column::Id.eq(offer_id))
        .exec(tx.conn())
        .await?;
    Ok(())
}

/// Updates the practical details (either side's admins, until the stay is over):
/// `accommodation`, `insurance`, `emergency_contacts`, and the partnership agreement the
/// operation falls under (`agreement`, one between these two centres).
pub async fn update_details(
    db: &Db,
    access: &CentreAccess,
    id: i64,
    form: &FormData,
    now: DateTime<Utc>,
) -> Result<()> {
    access.require_admin()?;
    let tx = TenantTx::begin(db, access.centre_id()).await?;
    let (op, _) = operation_in(&tx, id).await?;
    let state: OperationState = op.state.parse().unwrap_or(OperationState::Requested);
    if matches!(state, OperationState::Closed | OperationState::Declined | OperationState::Cancelled) {
        return Err(DomainError::invalid("details", "error.operation_finished"));
    }
    let mut checks = Checks::default();
    let accommodation = checks.check("accommodation", crate::types::optional_text(form.text("accommodation"), 2000));
    let insurance = checks.check("insurance", crate::types::optional_text(form.text("insurance"), 2000));
    let emergency =
        checks.check("emergency_contacts", crate::types::optional_text(form.text("emergency_contacts"), 2000));
    let agreement = match form.text("agreement").trim() {
        "" => Some(None),
        text => match text.parse::<i64>() {
            Ok(aid) if super::agreements::between(&tx, aid, op.sending_centre_id, op.host_centre_id).await? => {
                Some(Some(aid))
            }
            _ => {
                checks.add("agreement", "error.choice_invalid");
                None
            }
        },
    };
    checks.finish()?;
    let (Some(accommodation), Some(insurance), Some(emergency), Some(agreement)) =
        (accommodation, insurance, emergency, agreement)
    else {
        return Err(DomainError::Internal("unchecked".into()));
    };
    let mut active: mobility_operation::ActiveModel = op.into();
    active.accommodation = Set(accommodation);
    active.insurance = Set(insurance);
    active.emergency_contacts = Set(emergency);
    active.agreement_id = Set(agreement);
    active.updated_at = Set(now);
    mobility_operation::Entity::update(active).exec(tx.conn()).await?;
    tx.commit().await
}

/// A participant of an operation.
#[derive(Debug, Clone)]
pub struct Participant {
    pub id: i64,
    pub user_id: UserId,
    pub name: String,
    pub learning_agreement_id: Option<i64>,
}

/// The operation's participants.
pub async fn participants(db: &Db, access: &CentreAccess, id: i64) -> Result<Vec<Participant>> {
    let tx = TenantTx::begin(db, access.centre_id()).await?;
    let (op, _) = operation_in(&tx, id).await?;
    let list = participants_in(&tx, op.id).await?;
    tx.commit().await?;
    Ok(list)
}

pub(crate) async fn participants_in(tx: &TenantTx, operation_id: i64) -> Result<Vec<Participant>> {
    let rows = tx
        .select_shared::<operation_participant::Entity>()
        .filter(operation_participant::Column::OperationId.eq(operation_id))
        .order_by_asc(operation_participant::Column::Id)
        .all(tx.conn())
        .await?;
    let names = super::names(tx.conn(), rows.iter().map(|r| Some(r.user_id))).await?;
    let agreements: std::collections::HashMap<i64, i64> = tx
        .select_shared::<learning_agreement::Entity>()
        .filter(learning_agreement::Column::OperationId.eq(operation_id))
        .all(tx.conn())
        .await?
        .into_iter()
        .map(|l| (l.participant_id, l.id))
        .collect();
    let mut list = Vec::new();
    for row in rows {
        let name = super::name_of(&names, Some(row.user_id));
        let la = agreements.get(&row.id).copied();
        list.push(Participant { id: row.id, user_id: UserId(row.user_id), name, learning_agreement_id: la });
    }
    Ok(list)
}

/// The sending centre's people who may join this operation (learners for a learner mobility,
/// staff for a teacher mobility) and are not on it yet.
pub async fn candidates(db: &Db, access: &CentreAccess, id: i64) -> Result<Vec<(UserId, String)>> {
    let tx = TenantTx::begin(db, access.centre_id()).await?;
    let (op, side) = operation_in(&tx, id).await?;
    if side != Side::Sending {
        tx.commit().await?;
        return Ok(Vec::new());
    }
    let kind: MobilityType = op.mobility_type.parse().unwrap_or(MobilityType::Learner);
    let already: Vec<i64> = participants_in(&tx, op.id).await?.iter().map(|p| p.user_id.get()).collect();
    let members = tx.select::<membership::Entity>().find_also_related(user::Entity).all(tx.conn()).await?;
    tx.commit().await?;
    Ok(members
        .into_iter()
        .filter_map(|(m, u)| {
            let u = u?;
            let role: MembershipRole = m.role.parse().ok()?;
            let fits = match kind {
                MobilityType::Learner => role == MembershipRole::Learner,
                MobilityType::Teacher => role != MembershipRole::Learner,
            };
            (fits && !already.contains(&u.id)).then_some((UserId(u.id), u.name))
        })
        .collect())
}

/// Adds a participant (`user`, a member of the sending centre) while the operation is being set
/// up; refuses more participants than planned and anyone already in another operation whose
/// period overlaps this one. Creates the participant's (empty) learning agreement.
pub async fn add_participant(
    db: &Db,
    access: &CentreAccess,
    id: i64,
    form: &FormData,
    now: DateTime<Utc>,
) -> Result<()> {
    access.require_admin()?;
    let candidates = candidates(db, access, id).await?;
    let tx = TenantTx::begin(db, access.centre_id()).await?;
    let (op, side) = operation_in(&tx, id).await?;
    if side != Side::Sending {
        return Err(DomainError::invalid("user", "error.transition_other_side"));
    }
    let state: OperationState = op.state.parse().unwrap_or(OperationState::Requested);
    if !matches!(state, OperationState::Requested | OperationState::Accepted | OperationState::Preparing) {
        return Err(DomainError::invalid("user", "error.participants_frozen"));
    }
    let user_id = form
        .text("user")
        .parse::<i64>()
        .ok()
        .filter(|u| candidates.iter().any(|(c, _)| c.get() == *u))
        .ok_or(DomainError::invalid("user", "error.choice_invalid"))?;
    let current = participants_in(&tx, op.id).await?;
    if i32::try_from(current.len()).unwrap_or(i32::MAX) >= op.participants_planned {
        return Err(DomainError::invalid("user", "error.more_than_planned"));
    }
    // The same person cannot be abroad twice at once: look at every operation of this centre.
    let theirs = tx
        .select_shared::<operation_participant::Entity>()
        .filter(operation_participant::Column::UserId.eq(user_id))
        .all(tx.conn())
        .await?;
    for p in theirs {
        if let Some(other) = tx
            .select_shared::<mobility_operation::Entity>()
            .filter(mobility_operation::Column::Id.eq(p.operation_id))
            .one(tx.conn())
            .await?
        {
            let live = !matches!(other.state.parse(), Ok(OperationState::Declined | OperationState::Cancelled));
            if live && overlaps((other.period_start, other.period_end), (op.period_start, op.period_end)) {
                return Err(DomainError::invalid("user", "error.participant_overlap"));
            }
        }
    }
    let participant = operation_participant::Entity::insert(operation_participant::ActiveModel {
        operation_id: Set(op.id),
        sending_centre_id: Set(op.sending_centre_id),
        host_centre_id: Set(op.host_centre_id),
        user_id: Set(user_id),
        created_at: Set(now),
        ..Default::default()
    })
    .exec(tx.conn())
    .await?;
    learning_agreement::Entity::insert(learning_agreement::ActiveModel {
        operation_id: Set(op.id),
        participant_id: Set(participant.last_insert_id),
        sending_centre_id: Set(op.sending_centre_id),
        host_centre_id: Set(op.host_centre_id),
        activities: Set(String::new()),
        signed_sending_by: Set(None),
        signed_sending_at: Set(None),
        signed_host_by: Set(None),
        signed_host_at: Set(None),
        signed_learner_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    })
    .exec_without_returning(tx.conn())
    .await?;
    tx.commit().await
}

/// An operation in a list (dashboard, exports).
#[derive(Debug, Clone)]
pub struct Summary {
    pub operation: Operation,
    pub participants: usize,
    pub blockers: Vec<(&'static str, usize)>,
}

/// Every operation of the caller's centre, outgoing and incoming, soonest first.
pub async fn list(db: &Db, access: &CentreAccess) -> Result<Vec<Summary>> {
    let tx = TenantTx::begin(db, access.centre_id()).await?;
    let rows = tx
        .select_shared::<mobility_operation::Entity>()
        .order_by_asc(mobility_operation::Column::PeriodStart)
        .order_by_asc(mobility_operation::Column::Id)
        .all(tx.conn())
        .await?;
    let mut list = Vec::new();
    for row in rows {
        let side = if row.sending_centre_id == tx.centre().get() { Side::Sending } else { Side::Host };
        let blockers = blockers(&tx, &row).await?;
        let participants = participants_in(&tx, row.id).await?.len();
        list.push(Summary { operation: to_operation(tx.conn(), row, side).await?, participants, blockers });
    }
    tx.commit().await?;
    Ok(list)
}

#[cfg(test)]
mod tests {
    use super::*;
    use OperationState as S;

    #[test]
    fn each_side_moves_the_operation_only_where_the_machine_allows() {
        let path = [
            (S::Requested, Side::Host, Action::Accept, S::Accepted),
            (S::Accepted, Side::Sending, Action::Prepare, S::Preparing),
            (S::Preparing, Side::Sending, Action::Start, S::InProgress),
            (S::InProgress, Side::Host, Action::Complete, S::Completed),
            (S::Completed, Side::Sending, Action::Evaluate, S::Evaluated),
            (S::Evaluated, Side::Sending, Action::Close, S::Closed),
        ];
        for (from, side, action, to) in path {
            assert_eq!(next_state(from, side, action), Ok(to), "{action:?} by {side:?} from {from:?}");
        }
        assert_eq!(next_state(S::Requested, Side::Host, Action::Decline), Ok(S::Declined));
        assert_eq!(next_state(S::Requested, Side::Sending, Action::AcceptProposal), Ok(S::Accepted));
        for early in [S::Requested, S::Accepted, S::Preparing] {
            for side in [Side::Sending, Side::Host] {
                assert_eq!(next_state(early, side, Action::Cancel), Ok(S::Cancelled));
            }
        }
        // The other side's steps, and steps out of order, are refused with a reason.
        assert_eq!(next_state(S::Requested, Side::Sending, Action::Accept), Err("error.transition_other_side"));
        assert_eq!(next_state(S::InProgress, Side::Sending, Action::Complete), Err("error.transition_other_side"));
        assert_eq!(next_state(S::Preparing, Side::Host, Action::Start), Err("error.transition_other_side"));
        assert_eq!(next_state(S::InProgress, Side::Sending, Action::Cancel), Err("error.transition_invalid"));
        assert_eq!(next_state(S::Closed, Side::Sending, Action::Prepare), Err("error.transition_invalid"));
        assert_eq!(next_state(S::Declined, Side::Host, Action::Accept), Err("error.transition_invalid"));
        assert!(holds_places(S::Accepted) && !holds_places(S::Requested) && !holds_places(S::Cancelled));
    }
}
