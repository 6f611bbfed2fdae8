//! The network's shared references on qualifications: sectors, professional profiles on the
//! EQF, their units of learning outcomes (knowledge, skills, competence), and the national
//! qualifications of each country with the shared units they cover, so a unit achieved abroad
//! can be recognised at home.
//!
//! They are network data owned by the steering committee: visitors read the published ones,
//! the committee edits them (see [`edit`]). A published piece is never deleted: it is retired,
//! and the database's foreign keys refuse a deletion that something still refers to.

pub mod edit;

use std::collections::BTreeMap;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::db::Db;
use crate::entities::{profile, qualification, qualification_unit, sector, unit};
use crate::error::{DomainError, Result};
use crate::types::{Localized, PublicationStatus};

/// Who is reading: visitors and centres see published pieces only; the committee sees drafts and
/// retired pieces too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Public,
    Committee,
}

impl Audience {
    fn shows(self, status: PublicationStatus) -> bool {
        self == Audience::Committee || status == PublicationStatus::Published
    }
}

fn status(text: &str) -> PublicationStatus {
    text.parse().unwrap_or(PublicationStatus::Draft)
}

/// A sector of the network (International Trade, Transport & Logistics...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sector {
    pub id: i64,
    pub code: String,
    pub name: Localized,
    pub status: PublicationStatus,
}

impl From<sector::Model> for Sector {
    fn from(row: sector::Model) -> Self {
        Sector { id: row.id, code: row.code, name: Localized::from_stored(&row.name), status: status(&row.status) }
    }
}

/// A professional profile shared by the network, positioned on the EQF.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub id: i64,
    pub code: String,
    pub sector_id: i64,
    pub eqf_level: u8,
    pub title: Localized,
    pub description: Localized,
    pub status: PublicationStatus,
}

impl From<profile::Model> for Profile {
    fn from(row: profile::Model) -> Self {
        Profile {
            id: row.id,
            code: row.code,
            sector_id: row.sector_id,
            eqf_level: u8::try_from(row.eqf_level).unwrap_or(0),
            title: Localized::from_stored(&row.title),
            description: Localized::from_stored(&row.description),
            status: status(&row.status),
        }
    }
}

/// A unit of learning outcomes of a profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub id: i64,
    pub profile_id: i64,
    pub code: String,
    pub title: Localized,
    pub knowledge: Localized,
    pub skills: Localized,
    pub competence: Localized,
    pub position: i32,
    pub status: PublicationStatus,
}

impl From<unit::Model> for Unit {
    fn from(row: unit::Model) -> Self {
        Unit {
            id: row.id,
            profile_id: row.profile_id,
            code: row.code,
            title: Localized::from_stored(&row.title),
            knowledge: Localized::from_stored(&row.knowledge),
            skills: Localized::from_stored(&row.skills),
            competence: Localized::from_stored(&row.competence),
            position: row.position,
            status: status(&row.status),
        }
    }
}

/// A national qualification and the shared units it covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Qualification {
    pub id: i64,
    pub country: String,
    pub code: String,
    pub title: Localized,
    pub eqf_level: u8,
    pub status: PublicationStatus,
    pub unit_ids: Vec<i64>,
}

impl Qualification {
    fn from_row(row: qualification::Model, unit_ids: Vec<i64>) -> Self {
        Qualification {
            id: row.id,
            country: row.country,
            code: row.code,
            title: Localized::from_stored(&row.title),
            eqf_level: u8::try_from(row.eqf_level).unwrap_or(0),
            status: status(&row.status),
            unit_ids,
        }
    }
}

/// Sectors and their profiles, in the order the browser lists them.
#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    pub sectors: Vec<Sector>,
    pub profiles: Vec<Profile>,
}

impl Catalogue {
    pub fn profiles_of(&self, sector: i64) -> impl Iterator<Item = &Profile> {
        self.profiles.iter().filter(move |p| p.sector_id == sector)
    }

    pub fn sector(&self, id: i64) -> Option<&Sector> {
        self.sectors.iter().find(|s| s.id == id)
    }

    pub fn profile(&self, id: i64) -> Option<&Profile> {
        self.profiles.iter().find(|p| p.id == id)
    }
}

/// Every sector and profile the audience may see.
pub async fn catalogue(db: &Db, audience: Audience) -> Result<Catalogue> {
    catalogue_in(db.conn(), audience).await
}

pub(crate) async fn catalogue_in(conn: &impl ConnectionTrait, audience: Audience) -> Result<Catalogue> {
    let sectors = sector::Entity::find().order_by_asc(sector::Column::Code).all(conn).await?;
    let profiles = profile::Entity::find()
        .order_by_desc(profile::Column::EqfLevel)
        .order_by_asc(profile::Column::Code)
        .all(conn)
        .await?;
    Ok(Catalogue {
        sectors: sectors.into_iter().map(Sector::from).filter(|s| audience.shows(s.status)).collect(),
        profiles: profiles.into_iter().map(Profile::from).filter(|p| audience.shows(p.status)).collect(),
    })
}

/// One profile with its sector, units, and the national qualifications covering its units.
#[derive(Debug, Clone)]
pub struct ProfileDetail {
    pub profile: Profile,
    pub sector: Sector,
    pub units: Vec<Unit>,
    pub qualifications: Vec<Qualification>,
}

/// A profile by its code, as the audience may see it.
pub async fn profile_by_code(db: &Db, code: &str, audience: Audience) -> Result<ProfileDetail> {
    let row = profile::Entity::find().filter(profile::Column::Code.eq(code)).one(db.conn()).await?;
    profile_detail(db.conn(), row, audience).await
}

/// A profile by its id, as the audience may see it.
pub async fn profile_by_id(db: &Db, id: i64, audience: Audience) -> Result<ProfileDetail> {
    let row = profile::Entity::find_by_id(id).one(db.conn()).await?;
    profile_detail(db.conn(), row, audience).await
}

async fn profile_detail(
    conn: &impl ConnectionTrait,
    row: Option<profile::Model>,
    audience: Audience,
) -> Result<ProfileDetail> {
    let profile = Profile::from(row.ok_or(DomainError::NotFound)?);
    if !audience.shows(profile.status) {
        return Err(DomainError::NotFound);
    }
    let sector: Sector =
        sector::Entity::find_by_id(profile.sector_id).one(conn).await?.ok_or(DomainError::NotFound)?.into();
    let units: Vec<Unit> = unit::Entity::find()
        .filter(unit::Column::ProfileId.eq(profile.id))
        .order_by_asc(unit::Column::Position)
        .order_by_asc(unit::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(Unit::from)
        .filter(|u| audience.shows(u.status))
        .collect();
    let unit_ids: Vec<i64> = units.iter().map(|u| u.id).collect();
    let qualifications = qualifications_where(conn, audience, None, Some(&unit_ids)).await?;
    Ok(ProfileDetail { profile, sector, units, qualifications })
}

/// National qualifications the audience may see, of one country or all, each with the units it
/// covers (only those among `units` when given, dropping qualifications that cover none).
async fn qualifications_where(
    conn: &impl ConnectionTrait,
    audience: Audience,
    country: Option<&str>,
    units: Option<&[i64]>,
) -> Result<Vec<Qualification>> {
    let mut query = qualification::Entity::find();
    if let Some(country) = country {
        query = query.filter(qualification::Column::Country.eq(country));
    }
    let rows =
        query.order_by_asc(qualification::Column::Country).order_by_asc(qualification::Column::Code).all(conn).await?;
    let mut links: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    let mut link_query = qualification_unit::Entity::find();
    if let Some(units) = units {
        link_query = link_query.filter(qualification_unit::Column::UnitId.is_in(units.iter().copied()));
    }
    for link in link_query.order_by_asc(qualification_unit::Column::UnitId).all(conn).await? {
        links.entry(link.qualification_id).or_default().push(link.unit_id);
    }
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            let unit_ids = links.remove(&row.id).unwrap_or_default();
            (units.is_none() || !unit_ids.is_empty()).then(|| Qualification::from_row(row, unit_ids))
        })
        .filter(|q| audience.shows(q.status))
        .collect())
}

/// National qualifications of one country (or every country), for the references browser and
/// the committee's list.
pub async fn qualifications(db: &Db, audience: Audience, country: Option<&str>) -> Result<Vec<Qualification>> {
    qualifications_where(db.conn(), audience, country, None).await
}

/// One national qualification by id.
pub async fn qualification(db: &Db, id: i64, audience: Audience) -> Result<Qualification> {
    let row = qualification::Entity::find_by_id(id).one(db.conn()).await?.ok_or(DomainError::NotFound)?;
    let unit_ids = qualification_unit::Entity::find()
        .filter(qualification_unit::Column::QualificationId.eq(id))
        .all(db.conn())
        .await?
        .into_iter()
        .map(|l| l.unit_id)
        .collect();
    let q = Qualification::from_row(row, unit_ids);
    if audience.shows(q.status) { Ok(q) } else { Err(DomainError::NotFound) }
}

/// Every unit of every profile the audience may see, keyed by id (to name the units a
/// qualification covers).
pub async fn units_by_id(db: &Db, audience: Audience) -> Result<BTreeMap<i64, Unit>> {
    Ok(unit::Entity::find()
        .order_by_asc(unit::Column::ProfileId)
        .order_by_asc(unit::Column::Position)
        .all(db.conn())
        .await?
        .into_iter()
        .map(Unit::from)
        .filter(|u| audience.shows(u.status))
        .map(|u| (u.id, u))
        .collect())
}

/// One unit by id (committee editing).
pub async fn unit(db: &Db, id: i64) -> Result<Unit> {
    Ok(unit::Entity::find_by_id(id).one(db.conn()).await?.ok_or(DomainError::NotFound)?.into())
}

/// One sector by id (committee editing).
pub async fn sector(db: &Db, id: i64) -> Result<Sector> {
    Ok(sector::Entity::find_by_id(id).one(db.conn()).await?.ok_or(DomainError::NotFound)?.into())
}

/// The countries that have at least one national qualification the audience may see.
pub async fn qualification_countries(db: &Db, audience: Audience) -> Result<Vec<String>> {
    let mut countries: Vec<String> = qualifications(db, audience, None).await?.into_iter().map(|q| q.country).collect();
    countries.dedup();
    Ok(countries)
}
