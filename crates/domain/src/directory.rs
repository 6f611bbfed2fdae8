//! What the public sees of the member centres: the home page's live figures, the member
//! directory with its filters, and each centre's public profile (what it trains for, languages,
//! label status). Only active centres appear; applicants and withdrawn centres do not.
//!
//! The declarations read here are tenant rows. They are read in a read-only transaction: read-only, and
//! on PostgreSQL marked `app.public_read` so that row-level security lets the directory read the
//! declarations (which centres publish) and nothing else of any tenant.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Datelike, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::centres::Centre;
use crate::db::Db;
use crate::entities::{centre, centre_profile, centre_qualification, label};
use crate::error::{Checks, DomainError, Result};
use crate::references::{Audience, Catalogue, Profile, Qualification, Sector};
use crate::tenancy::{PUBLIC_READ, ReadOnlyTx};
use crate::types::{CentreStatus, CountryCode, EqfLevel, LabelStatus, LanguageCode};

/// A centre's label as the public register shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelInfo {
    pub status: LabelStatus,
    pub awarded_on: DateTime<Utc>,
    pub valid_until: DateTime<Utc>,
}

impl LabelInfo {
    /// Whether the centre holds the label at `now` (its state allows it and its term runs).
    pub fn is_held(&self, now: DateTime<Utc>) -> bool {
        self.status.holds_label() && self.valid_until > now
    }
}

/// The latest label of each centre that has one (one query, for lists of centres).
pub(crate) async fn labels(conn: &impl ConnectionTrait) -> Result<BTreeMap<i64, LabelInfo>> {
    let mut map = BTreeMap::new();
    for row in
        label::Entity::find().order_by_asc(label::Column::AwardedOn).order_by_asc(label::Column::Id).all(conn).await?
    {
        if let Ok(status) = row.status.parse() {
            map.insert(row.centre_id, LabelInfo { status, awarded_on: row.awarded_on, valid_until: row.valid_until });
        }
    }
    Ok(map)
}

/// The home page's live figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Figures {
    pub active_centres: usize,
    pub countries: usize,
    pub labelled_centres: usize,
    pub profiles: usize,
    /// Mobility operations accepted (and not cancelled) whose period starts this year.
    pub operations_this_year: usize,
}

pub async fn figures(db: &Db, now: DateTime<Utc>) -> Result<Figures> {
    let centres = active_centres(db.conn()).await?;
    let labels = labels(db.conn()).await?;
    let catalogue = crate::references::catalogue(db, Audience::Public).await?;
    Ok(Figures {
        active_centres: centres.len(),
        countries: centres.iter().map(|c| c.country.as_str()).collect::<BTreeSet<_>>().len(),
        labelled_centres: centres.iter().filter(|c| labels.get(&c.id.get()).is_some_and(|l| l.is_held(now))).count(),
        profiles: catalogue.profiles.len(),
        operations_this_year: crate::entities::mobility_yearly_count::Entity::find_by_id(now.year())
            .one(db.conn())
            .await?
            .map_or(0, |c| usize::try_from(c.operations).unwrap_or(0)),
    })
}

async fn active_centres(conn: &impl ConnectionTrait) -> Result<Vec<Centre>> {
    Ok(centre::Entity::find()
        .filter(centre::Column::Status.eq(CentreStatus::Active.as_str()))
        .order_by_asc(centre::Column::Name)
        .all(conn)
        .await?
        .into_iter()
        .map(Centre::from)
        .collect())
}

/// Whether to list labelled centres only, or only centres without a label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelFilter {
    Labelled,
    NotLabelled,
}

/// The directory's filters, validated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DirectoryFilter {
    pub country: Option<CountryCode>,
    pub sector: Option<String>,
    pub profile: Option<String>,
    pub eqf_level: Option<EqfLevel>,
    pub language: Option<LanguageCode>,
    pub label: Option<LabelFilter>,
}

/// The filters as typed in the query string (empty means "any").
#[derive(Debug, Clone, Default)]
pub struct DirectoryQuery {
    pub country: String,
    pub sector: String,
    pub profile: String,
    pub eqf_level: String,
    pub language: String,
    pub label: String,
}

impl DirectoryFilter {
    /// Validates the query against the code lists and the published references; each wrong
    /// filter is named.
    pub fn parse(query: &DirectoryQuery, catalogue: &Catalogue) -> Result<Self> {
        let mut checks = Checks::default();
        let optional = |text: &str| (!text.trim().is_empty()).then(|| text.trim().to_owned());
        let mut filter = DirectoryFilter::default();
        if let Some(code) = optional(&query.country) {
            filter.country = checks.check("country", CountryCode::parse(&code));
        }
        if let Some(code) = optional(&query.sector) {
            filter.sector = checks.check(
                "sector",
                catalogue.sectors.iter().any(|s| s.code == code).then_some(code).ok_or("error.sector_unknown"),
            );
        }
        if let Some(code) = optional(&query.profile) {
            filter.profile = checks.check(
                "profile",
                catalogue.profiles.iter().any(|p| p.code == code).then_some(code).ok_or("error.profile_unknown"),
            );
        }
        if let Some(level) = optional(&query.eqf_level) {
            filter.eqf_level = checks.check("eqf_level", EqfLevel::parse(&level));
        }
        if let Some(code) = optional(&query.language) {
            filter.language = checks.check("language", LanguageCode::parse(&code));
        }
        if let Some(value) = optional(&query.label) {
            filter.label = checks.check(
                "label",
                match value.as_str() {
                    "labelled" => Ok(LabelFilter::Labelled),
                    "not_labelled" => Ok(LabelFilter::NotLabelled),
                    _ => Err("error.choice_invalid"),
                },
            );
        }
        checks.finish()?;
        Ok(filter)
    }
}

/// A centre as the directory lists it.
#[derive(Debug, Clone)]
pub struct Listing {
    pub centre: Centre,
    pub label: Option<LabelInfo>,
    pub labelled: bool,
    pub sectors: Vec<Sector>,
    pub profiles: Vec<Profile>,
}

/// The active centres matching `filter`, by name.
pub async fn search(db: &Db, filter: &DirectoryFilter, now: DateTime<Utc>) -> Result<Vec<Listing>> {
    let tx = ReadOnlyTx::begin(db, PUBLIC_READ).await?;
    let catalogue = crate::references::catalogue_in(tx.conn(), Audience::Public).await?;
    let centres = active_centres(tx.conn()).await?;
    let labels = labels(tx.conn()).await?;
    let mut declared: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for row in centre_profile::Entity::find().all(tx.conn()).await? {
        declared.entry(row.centre_id).or_default().push(row.profile_id);
    }
    tx.commit().await?;
    let mut listings = Vec::new();
    for centre in centres {
        let profiles: Vec<Profile> = declared
            .get(&centre.id.get())
            .into_iter()
            .flatten()
            .filter_map(|id| catalogue.profile(*id).cloned())
            .collect();
        let sectors = sectors_of(&catalogue, &centre, &profiles);
        let label = labels.get(&centre.id.get()).cloned();
        let labelled = label.as_ref().is_some_and(|l| l.is_held(now));
        let keep = filter.country.is_none_or(|c| c.code() == centre.country)
            && filter.sector.as_ref().is_none_or(|code| sectors.iter().any(|s| &s.code == code))
            && filter.profile.as_ref().is_none_or(|code| profiles.iter().any(|p| &p.code == code))
            && filter.eqf_level.is_none_or(|level| profiles.iter().any(|p| p.eqf_level == level.get()))
            && filter.language.is_none_or(|l| centre.languages.iter().any(|x| x == l.code()))
            && match filter.label {
                None => true,
                Some(LabelFilter::Labelled) => labelled,
                Some(LabelFilter::NotLabelled) => !labelled,
            };
        if keep {
            listings.push(Listing { centre, label, labelled, sectors, profiles });
        }
    }
    Ok(listings)
}

/// A centre's sectors: those it was admitted with and those of the profiles it trains for.
fn sectors_of(catalogue: &Catalogue, centre: &Centre, profiles: &[Profile]) -> Vec<Sector> {
    catalogue
        .sectors
        .iter()
        .filter(|s| centre.sectors.contains(&s.code) || profiles.iter().any(|p| p.sector_id == s.id))
        .cloned()
        .collect()
}

/// A centre's public profile.
#[derive(Debug, Clone)]
pub struct PublicProfile {
    pub listing: Listing,
    pub qualifications: Vec<Qualification>,
    pub website: String,
    pub contact_email: String,
    pub about: String,
}

/// The public profile of an active centre; any other centre is not found.
pub async fn public_profile(db: &Db, slug: &str, now: DateTime<Utc>) -> Result<PublicProfile> {
    let tx = ReadOnlyTx::begin(db, PUBLIC_READ).await?;
    let row = centre::Entity::find()
        .filter(centre::Column::Slug.eq(slug))
        .filter(centre::Column::Status.eq(CentreStatus::Active.as_str()))
        .one(tx.conn())
        .await?
        .ok_or(DomainError::NotFound)?;
    let (website, contact_email, about) = (row.website.clone(), row.contact_email.clone(), row.about.clone());
    let centre = Centre::from(row);
    let catalogue = crate::references::catalogue_in(tx.conn(), Audience::Public).await?;
    let profile_ids: Vec<i64> = centre_profile::Entity::find()
        .filter(centre_profile::Column::CentreId.eq(centre.id.get()))
        .all(tx.conn())
        .await?
        .into_iter()
        .map(|r| r.profile_id)
        .collect();
    let qualification_ids: Vec<i64> = centre_qualification::Entity::find()
        .filter(centre_qualification::Column::CentreId.eq(centre.id.get()))
        .all(tx.conn())
        .await?
        .into_iter()
        .map(|r| r.qualification_id)
        .collect();
    let label = labels(tx.conn()).await?.remove(&centre.id.get());
    tx.commit().await?;
    let qualifications = crate::references::qualifications(db, Audience::Public, Some(&centre.country))
        .await?
        .into_iter()
        .filter(|q| qualification_ids.contains(&q.id))
        .collect();
    let profiles: Vec<Profile> = profile_ids.iter().filter_map(|id| catalogue.profile(*id).cloned()).collect();
    let sectors = sectors_of(&catalogue, &centre, &profiles);
    let labelled = label.as_ref().is_some_and(|l| l.is_held(now));
    Ok(PublicProfile {
        listing: Listing { centre, label, labelled, sectors, profiles },
        qualifications,
        website,
        contact_email,
        about,
    })
}

/// Every active centre's address, for the sitemap.
pub async fn active_slugs(db: &Db) -> Result<Vec<String>> {
    Ok(active_centres(db.conn()).await?.into_iter().map(|c| c.slug).collect())
}

/// Records a label (seed data; the label lifecycle will award them).
pub(crate) async fn insert_label(
    conn: &impl ConnectionTrait,
    centre: i64,
    status: LabelStatus,
    awarded_on: DateTime<Utc>,
    valid_until: DateTime<Utc>,
) -> Result<()> {
    use sea_orm::ActiveValue::Set;
    label::Entity::insert(label::ActiveModel {
        centre_id: Set(centre),
        status: Set(status.as_str().to_owned()),
        awarded_on: Set(awarded_on),
        valid_until: Set(valid_until),
        created_at: Set(awarded_on),
        updated_at: Set(awarded_on),
        ..Default::default()
    })
    .exec_without_returning(conn)
    .await?;
    Ok(())
}
