//! Mobility offers: what a host centre can take (profile and EQF level from the shared
//! references, learner or teacher mobility, a period window, places, working language,
//! application deadline, and what it provides), and the partner search other centres run over
//! every open offer of the network.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::{CentreRef, centre_ref, overlaps, parse_date};
use crate::db::Db;
use std::collections::BTreeMap;

use crate::directory::LabelInfo;
use crate::entities::{centre, mobility_offer};
use crate::error::{Checks, DomainError, FormData, Result};
use crate::references::{Audience, Catalogue, Profile};
use crate::tenancy::{CentreAccess, TenantTx};
use crate::types::{CentreStatus, CountryCode, EqfLevel, LanguageCode, MobilityType, OfferStatus};

/// An offer as pages show it.
#[derive(Debug, Clone)]
pub struct Offer {
    pub id: i64,
    pub centre: CentreRef,
    pub profile: Profile,
    pub mobility_type: MobilityType,
    pub window_start: NaiveDate,
    pub window_end: NaiveDate,
    pub places: i32,
    pub places_taken: i32,
    pub working_language: String,
    pub application_deadline: NaiveDate,
    pub accommodation_help: bool,
    pub local_transport: bool,
    pub tutoring: bool,
    pub description: String,
    pub status: OfferStatus,
    /// Whether the host centre holds the label today.
    pub host_labelled: bool,
}

impl Offer {
    pub fn places_left(&self) -> i32 {
        (self.places - self.places_taken).max(0)
    }

    /// Whether a request may still be sent on `today`.
    pub fn accepts_requests(&self, today: NaiveDate) -> bool {
        self.status == OfferStatus::Open && today <= self.application_deadline && self.places_left() > 0
    }
}

async fn offer_from(
    conn: &impl sea_orm::ConnectionTrait,
    row: mobility_offer::Model,
    catalogue: &Catalogue,
    labels: &BTreeMap<i64, LabelInfo>,
    now: DateTime<Utc>,
) -> Result<Option<Offer>> {
    let Some(profile) = catalogue.profile(row.profile_id).cloned() else { return Ok(None) };
    let labelled = labels.get(&row.centre_id).is_some_and(|l| l.is_held(now));
    Ok(Some(Offer {
        id: row.id,
        centre: centre_ref(conn, row.centre_id).await?,
        profile,
        mobility_type: row.mobility_type.parse().unwrap_or(MobilityType::Learner),
        window_start: row.window_start,
        window_end: row.window_end,
        places: row.places,
        places_taken: row.places_taken,
        working_language: row.working_language,
        application_deadline: row.application_deadline,
        accommodation_help: row.accommodation_help,
        local_transport: row.local_transport,
        tutoring: row.tutoring,
        description: row.description,
        status: row.status.parse().unwrap_or(OfferStatus::Closed),
        host_labelled: labelled,
    }))
}

struct OfferInput {
    profile_id: i64,
    mobility_type: MobilityType,
    window: (NaiveDate, NaiveDate),
    places: i32,
    working_language: LanguageCode,
    deadline: NaiveDate,
    description: String,
}

fn offer_input(form: &FormData, catalogue: &Catalogue) -> Result<OfferInput> {
    let mut checks = Checks::default();
    let profile_id = checks.check(
        "profile",
        form.text("profile")
            .parse::<i64>()
            .ok()
            .filter(|id| catalogue.profile(*id).is_some())
            .ok_or("error.choice_invalid"),
    );
    let mobility_type = checks.check("mobility_type", form.text("mobility_type").parse::<MobilityType>());
    let start = checks.check("window_start", parse_date(form.text("window_start")));
    let end = checks.check("window_end", parse_date(form.text("window_end")));
    if let (Some(s), Some(e)) = (start, end)
        && e < s
    {
        checks.add("window_end", "error.period_order");
    }
    let places = checks.check(
        "places",
        form.text("places").trim().parse::<i32>().ok().filter(|n| (1..=200).contains(n)).ok_or("error.places_invalid"),
    );
    let working_language = checks.check("working_language", LanguageCode::parse(form.text("working_language")));
    let deadline = checks.check("application_deadline", parse_date(form.text("application_deadline")));
    if let (Some(d), Some(e)) = (deadline, end)
        && d > e
    {
        checks.add("application_deadline", "error.deadline_after_window");
    }
    let description = checks.check("description", crate::types::optional_text(form.text("description"), 2000));
    checks.finish()?;
    match (profile_id, mobility_type, start, end, places, working_language, deadline, description) {
        (
            Some(profile_id),
            Some(mobility_type),
            Some(s),
            Some(e),
            Some(places),
            Some(working_language),
            Some(deadline),
            Some(description),
        ) => Ok(OfferInput {
            profile_id,
            mobility_type,
            window: (s, e),
            places,
            working_language,
            deadline,
            description,
        }),
        _ => Err(DomainError::Internal("unchecked".into())),
    }
}

/// Publishes an offer of the caller's centre (admins): `profile`, `mobility_type`,
/// `window_start`, `window_end`, `places`, `working_language`, `application_deadline`,
/// `accommodation_help`, `local_transport`, `tutoring` (checkboxes), `description`.
pub async fn create(db: &Db, access: &CentreAccess, form: &FormData, now: DateTime<Utc>) -> Result<i64> {
    access.require_admin()?;
    let catalogue = crate::references::catalogue(db, Audience::Public).await?;
    let input = offer_input(form, &catalogue)?;
    let tx = TenantTx::begin(db, access.centre_id()).await?;
    let inserted = mobility_offer::Entity::insert(mobility_offer::ActiveModel {
        centre_id: Set(tx.centre().get()),
        profile_id: Set(input.profile_id),
        mobility_type: Set(input.mobility_type.as_str().to_owned()),
        window_start: Set(input.window.0),
        window_end: Set(input.window.1),
        places: Set(input.places),
        places_taken: Set(0),
        working_language: Set(input.working_language.code().to_owned()),
        application_deadline: Set(input.deadline),
        accommodation_help: Set(form.checked("accommodation_help")),
        local_transport: Set(form.checked("local_transport")),
        tutoring: Set(form.checked("tutoring")),
        description: Set(input.description),
        status: Set(OfferStatus::Open.as_str().to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    })
    .exec(tx.conn())
    .await?;
    tx.commit().await?;
    Ok(inserted.last_insert_id)
}

/// Opens or closes one of the caller's offers (admins). The offer is looked up first, so
/// another centre gets "not found" whatever it asks.
pub async fn set_status(
    db: &Db,
    access: &CentreAccess,
    id: i64,
    status: Option<OfferStatus>,
    now: DateTime<Utc>,
) -> Result<()> {
    let tx = TenantTx::begin(db, access.centre_id()).await?;
    let row = tx
        .select::<mobility_offer::Entity>()
        .filter(mobility_offer::Column::Id.eq(id))
        .one(tx.conn())
        .await?
        .ok_or(DomainError::NotFound)?;
    access.require_admin()?;
    let status = status.ok_or(DomainError::invalid("action", "error.choice_invalid"))?;
    let mut active: mobility_offer::ActiveModel = row.into();
    active.status = Set(status.as_str().to_owned());
    active.updated_at = Set(now);
    mobility_offer::Entity::update(active).exec(tx.conn()).await?;
    tx.commit().await?;
    Ok(())
}

/// The caller's centre's own offers, newest first.
pub async fn mine(db: &Db, access: &CentreAccess, now: DateTime<Utc>) -> Result<Vec<Offer>> {
    let catalogue = crate::references::catalogue(db, Audience::Committee).await?;
    let tx = TenantTx::begin(db, access.centre_id()).await?;
    let rows = tx.select::<mobility_offer::Entity>().order_by_desc(mobility_offer::Column::Id).all(tx.conn()).await?;
    let labels = crate::directory::labels(tx.conn()).await?;
    let mut offers = Vec::new();
    for row in rows {
        offers.extend(offer_from(tx.conn(), row, &catalogue, &labels, now).await?);
    }
    tx.commit().await?;
    Ok(offers)
}

/// The partner search's filters, as typed (empty means any).
#[derive(Debug, Clone, Default)]
pub struct SearchQuery {
    pub country: String,
    pub profile: String,
    pub eqf_level: String,
    pub from: String,
    pub to: String,
    pub language: String,
    pub mobility_type: String,
    pub labelled: bool,
}

/// Open offers of the other active centres matching `query`, soonest window first. A period
/// (`from`–`to`) keeps offers whose window overlaps it.
pub async fn search(db: &Db, access: &CentreAccess, query: &SearchQuery, now: DateTime<Utc>) -> Result<Vec<Offer>> {
    let catalogue = crate::references::catalogue(db, Audience::Public).await?;
    let mut checks = Checks::default();
    let some = |t: &str| (!t.trim().is_empty()).then(|| t.trim().to_owned());
    let country = some(&query.country).and_then(|c| checks.check("country", CountryCode::parse(&c)));
    let profile = some(&query.profile).and_then(|c| {
        checks.check(
            "profile",
            catalogue.profiles.iter().find(|p| p.code == c).map(|p| p.id).ok_or("error.profile_unknown"),
        )
    });
    let eqf = some(&query.eqf_level).and_then(|l| checks.check("eqf_level", EqfLevel::parse(&l)));
    let from = some(&query.from).and_then(|d| checks.check("from", parse_date(&d)));
    let to = some(&query.to).and_then(|d| checks.check("to", parse_date(&d)));
    let language = some(&query.language).and_then(|l| checks.check("language", LanguageCode::parse(&l)));
    let mobility_type =
        some(&query.mobility_type).and_then(|t| checks.check("mobility_type", t.parse::<MobilityType>()));
    checks.finish()?;
    let today = now.date_naive();
    let tx = super::network_tx(db, access).await?;
    let active: Vec<i64> = centre::Entity::find()
        .filter(centre::Column::Status.eq(CentreStatus::Active.as_str()))
        .all(tx.conn())
        .await?
        .into_iter()
        .map(|c| c.id)
        .collect();
    let rows = mobility_offer::Entity::find()
        .filter(mobility_offer::Column::Status.eq(OfferStatus::Open.as_str()))
        .filter(mobility_offer::Column::ApplicationDeadline.gte(today))
        .filter(mobility_offer::Column::CentreId.ne(access.centre_id().get()))
        .filter(mobility_offer::Column::CentreId.is_in(active))
        .order_by_asc(mobility_offer::Column::WindowStart)
        .all(tx.conn())
        .await?;
    let labels = crate::directory::labels(tx.conn()).await?;
    let mut offers = Vec::new();
    for row in rows {
        let Some(offer) = offer_from(tx.conn(), row, &catalogue, &labels, now).await? else { continue };
        let keep = country.is_none_or(|c| c.code() == offer.centre.country)
            && profile.is_none_or(|p| p == offer.profile.id)
            && eqf.is_none_or(|l| l.get() == offer.profile.eqf_level)
            && language.is_none_or(|l| l.code() == offer.working_language)
            && mobility_type.is_none_or(|t| t == offer.mobility_type)
            && (!query.labelled || offer.host_labelled)
            && overlaps(
                (from.unwrap_or(NaiveDate::MIN), to.unwrap_or(NaiveDate::MAX)),
                (offer.window_start, offer.window_end),
            )
            && offer.places_left() > 0;
        if keep {
            offers.push(offer);
        }
    }
    tx.commit().await?;
    Ok(offers)
}

/// One offer as a member centre sees it: any open offer of the network, or one of its own.
pub async fn get(db: &Db, access: &CentreAccess, id: i64, now: DateTime<Utc>) -> Result<Offer> {
    let catalogue = crate::references::catalogue(db, Audience::Committee).await?;
    let tx = super::network_tx(db, access).await?;
    let row = mobility_offer::Entity::find_by_id(id).one(tx.conn()).await?.ok_or(DomainError::NotFound)?;
    let own = row.centre_id == access.centre_id().get();
    if !own && row.status != OfferStatus::Open.as_str() {
        return Err(DomainError::NotFound);
    }
    let labels = crate::directory::labels(tx.conn()).await?;
    let offer = offer_from(tx.conn(), row, &catalogue, &labels, now).await?.ok_or(DomainError::NotFound)?;
    tx.commit().await?;
    Ok(offer)
}
