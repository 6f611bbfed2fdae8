//! Member centres, the platform's tenants: provisioning by the committee, entering a centre's
//! workspace (which checks membership and yields a [`CentreAccess`]), and the centre's people.

use chrono::{DateTime, Utc};
use netinvet_i18n::Lang;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::PublicUrl;
use crate::db::Db;
use crate::entities::{centre, membership, user};
use crate::error::{DomainError, FieldError, Result};
use crate::tenancy::{CentreAccess, CentreId, CommitteeAccess, CommitteeTx, TenantTx, UserId};
use crate::types::{CentreStatus, CountryCode, EmailAddress, LanguageCode, MembershipRole, Slug, required_text};

/// A member centre.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Centre {
    pub id: CentreId,
    pub slug: String,
    pub name: String,
    pub country: String,
    pub city: String,
    pub languages: Vec<String>,
    pub sectors: Vec<String>,
    pub status: CentreStatus,
    pub created_at: DateTime<Utc>,
}

fn split(list: &str) -> Vec<String> {
    list.split(',').filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

impl From<centre::Model> for Centre {
    fn from(row: centre::Model) -> Self {
        Centre {
            id: CentreId(row.id),
            slug: row.slug,
            name: row.name,
            country: row.country,
            city: row.city,
            languages: split(&row.languages),
            sectors: split(&row.sectors),
            status: row.status.parse().unwrap_or(CentreStatus::Applicant),
            created_at: row.created_at,
        }
    }
}

/// Opens a centre's workspace for a person. A centre that does not exist and a centre the
/// person does not belong to are the same answer: [`DomainError::NotFound`].
pub async fn enter(db: &Db, slug: &str, person: UserId) -> Result<CentreAccess> {
    let centre: Centre = centre::Entity::find()
        .filter(centre::Column::Slug.eq(slug))
        .one(db.conn())
        .await?
        .ok_or(DomainError::NotFound)?
        .into();
    let tx = TenantTx::begin(db, centre.id).await?;
    let member =
        tx.select::<membership::Entity>().filter(membership::Column::UserId.eq(person.0)).one(tx.conn()).await?;
    tx.commit().await?;
    let role = member.and_then(|m| m.role.parse().ok()).ok_or(DomainError::NotFound)?;
    Ok(CentreAccess { centre, user: person, role })
}

/// The form the committee fills to provision a centre, as typed.
#[derive(Debug, Clone, Default)]
pub struct NewCentreForm {
    pub name: String,
    pub slug: String,
    pub country: String,
    pub city: String,
    pub languages: Vec<String>,
    pub sectors: Vec<String>,
    pub admin_email: String,
    pub admin_language: String,
}

struct ValidCentre {
    name: String,
    slug: Slug,
    country: CountryCode,
    city: String,
    languages: Vec<LanguageCode>,
    sectors: Vec<String>,
    admin_email: EmailAddress,
    admin_language: Lang,
}

/// At least one choice, each from its list; sorted, without repeats.
fn choices<T: Ord>(inputs: &[String], parse: impl Fn(&str) -> Result<T, &'static str>) -> Result<Vec<T>, &'static str> {
    let mut list = inputs.iter().map(|i| parse(i)).collect::<Result<Vec<_>, _>>()?;
    if list.is_empty() {
        return Err("error.choose_one");
    }
    list.sort();
    list.dedup();
    Ok(list)
}

fn validate(form: &NewCentreForm, known_sectors: &[String]) -> Result<ValidCentre, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut check = |field: &'static str, error: Option<&&'static str>| {
        if let Some(message_key) = error {
            errors.push(FieldError { field: field.to_owned(), message_key });
        }
    };
    let name = required_text(&form.name, 200);
    check("name", name.as_ref().err());
    let slug = Slug::parse(&form.slug);
    check("slug", slug.as_ref().err());
    let country = CountryCode::parse(&form.country);
    check("country", country.as_ref().err());
    let city = required_text(&form.city, 120);
    check("city", city.as_ref().err());
    let languages = choices(&form.languages, LanguageCode::parse);
    check("languages", languages.as_ref().err());
    let sectors = choices(&form.sectors, |code| {
        known_sectors.iter().find(|s| s.as_str() == code.trim()).cloned().ok_or("error.sector_unknown")
    });
    check("sectors", sectors.as_ref().err());
    let admin_email = EmailAddress::parse(&form.admin_email);
    check("admin_email", admin_email.as_ref().err());
    let admin_language = form.admin_language.parse::<Lang>().map_err(|_| "error.choice_invalid");
    check("admin_language", admin_language.as_ref().err());
    match (name, slug, country, city, languages, sectors, admin_email, admin_language) {
        (
            Ok(name),
            Ok(slug),
            Ok(country),
            Ok(city),
            Ok(languages),
            Ok(sectors),
            Ok(admin_email),
            Ok(admin_language),
        ) => Ok(ValidCentre { name, slug, country, city, languages, sectors, admin_email, admin_language }),
        _ => Err(errors),
    }
}

fn join<T: std::fmt::Display>(items: &[T]) -> String {
    items.iter().map(ToString::to_string).collect::<Vec<_>>().join(",")
}

/// Provisions a centre (active from the start) and invites its first admin, all in one
/// transaction: a failure leaves nothing behind.
pub async fn create(
    db: &Db,
    access: &CommitteeAccess,
    form: &NewCentreForm,
    public_url: &PublicUrl,
    now: DateTime<Utc>,
) -> Result<Centre> {
    let known_sectors: Vec<String> = crate::references::catalogue(db, crate::references::Audience::Public)
        .await?
        .sectors
        .into_iter()
        .map(|s| s.code)
        .collect();
    let valid = validate(form, &known_sectors).map_err(DomainError::Invalid)?;
    if centre::Entity::find().filter(centre::Column::Slug.eq(valid.slug.as_str())).one(db.conn()).await?.is_some() {
        return Err(DomainError::invalid("slug", "error.slug_taken"));
    }
    let settings = crate::settings::load(db).await?;
    let tx = CommitteeTx::begin(db, access, "centre.create", None, now).await?;
    let inserted = centre::Entity::insert(centre::ActiveModel {
        slug: Set(valid.slug.as_str().to_owned()),
        name: Set(valid.name),
        country: Set(valid.country.code().to_owned()),
        city: Set(valid.city),
        languages: Set(join(&valid.languages)),
        sectors: Set(join(&valid.sectors)),
        status: Set(CentreStatus::Active.as_str().to_owned()),
        website: Set(String::new()),
        contact_email: Set(String::new()),
        about: Set(String::new()),
        created_at: Set(now),
        ..Default::default()
    })
    .exec(tx.conn())
    .await?;
    let row = centre::Entity::find_by_id(inserted.last_insert_id).one(tx.conn()).await?.ok_or(DomainError::NotFound)?;
    let centre = Centre::from(row);
    crate::invitations::create_in(
        tx.conn(),
        &centre,
        &valid.admin_email,
        MembershipRole::Admin,
        valid.admin_language,
        Some(access.user),
        &settings,
        public_url,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(centre)
}

/// A centre as the committee's list shows it.
#[derive(Debug, Clone)]
pub struct CentreSummary {
    pub centre: Centre,
    pub members: usize,
}

/// Every centre with its number of members (committee only; audited).
pub async fn list_all(db: &Db, access: &CommitteeAccess, now: DateTime<Utc>) -> Result<Vec<CentreSummary>> {
    let tx = CommitteeTx::begin(db, access, "centres.list", None, now).await?;
    let centres = centre::Entity::find().order_by_asc(centre::Column::Name).all(tx.conn()).await?;
    let counts: std::collections::HashMap<i64, i64> = membership::Entity::find()
        .select_only()
        .column(membership::Column::CentreId)
        .column_as(membership::Column::Id.count(), "members")
        .group_by(membership::Column::CentreId)
        .into_tuple::<(i64, i64)>()
        .all(tx.conn())
        .await?
        .into_iter()
        .collect();
    tx.commit().await?;
    Ok(centres
        .into_iter()
        .map(|row| {
            let members = counts.get(&row.id).copied().unwrap_or(0).try_into().unwrap_or(usize::MAX);
            CentreSummary { centre: row.into(), members }
        })
        .collect())
}

/// A person in a centre.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub user_id: UserId,
    pub name: String,
    pub email: String,
    pub role: MembershipRole,
    pub since: DateTime<Utc>,
}

/// The people of the centre the caller is in.
pub async fn members(db: &Db, access: &CentreAccess) -> Result<Vec<Member>> {
    let tx = TenantTx::begin(db, access.centre_id()).await?;
    let rows = tx
        .select::<membership::Entity>()
        .find_also_related(user::Entity)
        .order_by_asc(membership::Column::Id)
        .all(tx.conn())
        .await?;
    tx.commit().await?;
    Ok(rows.into_iter().filter_map(|(m, u)| member(m, u?)).collect())
}

fn member(m: membership::Model, u: user::Model) -> Option<Member> {
    Some(Member {
        user_id: UserId(u.id),
        name: u.name,
        email: u.email,
        role: m.role.parse().ok()?,
        since: m.created_at,
    })
}

/// One centre and its people, for the committee (audited).
pub async fn committee_view(
    db: &Db,
    access: &CommitteeAccess,
    slug: &str,
    now: DateTime<Utc>,
) -> Result<(Centre, Vec<Member>)> {
    let centre: Centre = centre::Entity::find()
        .filter(centre::Column::Slug.eq(slug))
        .one(db.conn())
        .await?
        .ok_or(DomainError::NotFound)?
        .into();
    let tx = CommitteeTx::begin(db, access, "centre.view", Some(centre.id), now).await?;
    let rows = membership::Entity::find()
        .filter(membership::Column::CentreId.eq(centre.id.0))
        .find_also_related(user::Entity)
        .order_by_asc(membership::Column::Id)
        .all(tx.conn())
        .await?;
    tx.commit().await?;
    Ok((centre, rows.into_iter().filter_map(|(m, u)| member(m, u?)).collect()))
}

/// Every centre's id, for jobs that visit each tenant in turn.
pub(crate) async fn all_ids(db: &Db) -> Result<Vec<CentreId>> {
    Ok(centre::Entity::find()
        .order_by_asc(centre::Column::Id)
        .all(db.conn())
        .await?
        .into_iter()
        .map(|c| CentreId(c.id))
        .collect())
}

pub(crate) async fn insert_membership(
    conn: &impl sea_orm::ConnectionTrait,
    centre: CentreId,
    person: UserId,
    role: MembershipRole,
    now: DateTime<Utc>,
) -> Result<()> {
    membership::Entity::insert(membership::ActiveModel {
        centre_id: Set(centre.0),
        user_id: Set(person.0),
        role: Set(role.as_str().to_owned()),
        created_at: Set(now),
        ..Default::default()
    })
    .on_conflict_do_nothing_on([membership::Column::CentreId, membership::Column::UserId])
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

/// Whether a centre has this slug (centres are public; their data is not).
pub async fn slug_exists(db: &Db, slug: &str) -> Result<bool> {
    use sea_orm::PaginatorTrait;
    Ok(centre::Entity::find().filter(centre::Column::Slug.eq(slug)).count(db.conn()).await? > 0)
}
