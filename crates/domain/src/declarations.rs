//! What a centre declares about itself, in its workspace: the shared profiles and the national
//! qualifications it trains for, the languages it teaches in, and how the public can reach it.
//! The directory and the centre's public profile show these; only the centre's admins change
//! them, and only for their own centre.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

use crate::db::Db;
use crate::entities::{centre, centre_profile, centre_qualification};
use crate::error::{Checks, DomainError, FormData, Result};
use crate::references::Audience;
use crate::tenancy::{CentreAccess, TenantTx};
use crate::types::{EmailAddress, LanguageCode};

/// A centre's declarations, as its edit form shows them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Declarations {
    pub profile_ids: Vec<i64>,
    pub qualification_ids: Vec<i64>,
    pub languages: Vec<String>,
    pub website: String,
    pub contact_email: String,
    pub about: String,
}

/// The caller's centre's declarations.
pub async fn load(db: &Db, access: &CentreAccess) -> Result<Declarations> {
    let tx = TenantTx::begin(db, access.centre_id()).await?;
    let profile_ids =
        tx.select::<centre_profile::Entity>().all(tx.conn()).await?.into_iter().map(|r| r.profile_id).collect();
    let qualification_ids = tx
        .select::<centre_qualification::Entity>()
        .all(tx.conn())
        .await?
        .into_iter()
        .map(|r| r.qualification_id)
        .collect();
    let row =
        centre::Entity::find_by_id(access.centre_id().get()).one(tx.conn()).await?.ok_or(DomainError::NotFound)?;
    tx.commit().await?;
    Ok(Declarations {
        profile_ids,
        qualification_ids,
        languages: access.centre().languages.clone(),
        website: row.website,
        contact_email: row.contact_email,
        about: row.about,
    })
}

pub(crate) fn website(input: &str) -> Result<String, &'static str> {
    let url = input.trim();
    if url.is_empty() {
        return Ok(String::new());
    }
    let valid = url.len() <= 300
        && (url.starts_with("https://") || url.starts_with("http://"))
        && url.split("//").nth(1).is_some_and(|rest| rest.split('/').next().is_some_and(|host| host.contains('.')))
        && !url.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '"'));
    if valid { Ok(url.to_owned()) } else { Err("error.url_invalid") }
}

/// Replaces the caller's centre's declarations (admins only): `profiles` and `qualifications`
/// (ids of published references; qualifications of the centre's own country), `languages` (at
/// least one), `website`, `contact_email` and `about` (optional). All or nothing.
pub async fn update(db: &Db, access: &CentreAccess, form: &FormData, now: DateTime<Utc>) -> Result<()> {
    access.require_admin()?;
    let catalogue = crate::references::catalogue(db, Audience::Public).await?;
    let qualifications =
        crate::references::qualifications(db, Audience::Public, Some(&access.centre().country)).await?;
    let mut checks = Checks::default();
    let mut profiles = Vec::new();
    for text in form.all("profiles") {
        match text.parse::<i64>().ok().filter(|id| catalogue.profile(*id).is_some()) {
            Some(id) => profiles.push(id),
            None => checks.add("profiles", "error.choice_invalid"),
        }
    }
    let mut chosen_qualifications = Vec::new();
    for text in form.all("qualifications") {
        match text.parse::<i64>().ok().filter(|id| qualifications.iter().any(|q| q.id == *id)) {
            Some(id) => chosen_qualifications.push(id),
            None => checks.add("qualifications", "error.qualification_other_country"),
        }
    }
    let mut languages: Vec<LanguageCode> =
        form.all("languages").iter().filter_map(|l| checks.check("languages", LanguageCode::parse(l))).collect();
    if form.all("languages").is_empty() {
        checks.add("languages", "error.choose_one");
    }
    let site = checks.check("website", website(form.text("website")));
    let contact = form.text("contact_email").trim();
    let contact_email = if contact.is_empty() {
        Some(String::new())
    } else {
        checks.check("contact_email", EmailAddress::parse(contact)).map(|e| e.as_str().to_owned())
    };
    let about = form.text("about").trim().replace("\r\n", "\n");
    if about.chars().count() > 2000 {
        checks.add("about", "error.too_long");
    }
    checks.finish()?;
    let (Some(site), Some(contact_email)) = (site, contact_email) else {
        return Err(DomainError::Internal("unchecked".into()));
    };
    profiles.sort_unstable();
    profiles.dedup();
    chosen_qualifications.sort_unstable();
    chosen_qualifications.dedup();
    languages.sort();
    languages.dedup();

    let tx = TenantTx::begin(db, access.centre_id()).await?;
    let centre_id = tx.centre().get();
    centre_profile::Entity::delete_many()
        .filter(centre_profile::Column::CentreId.eq(centre_id))
        .exec(tx.conn())
        .await?;
    if !profiles.is_empty() {
        centre_profile::Entity::insert_many(profiles.iter().map(|&profile_id| centre_profile::ActiveModel {
            centre_id: Set(centre_id),
            profile_id: Set(profile_id),
            created_at: Set(now),
            ..Default::default()
        }))
        .exec_without_returning(tx.conn())
        .await?;
    }
    centre_qualification::Entity::delete_many()
        .filter(centre_qualification::Column::CentreId.eq(centre_id))
        .exec(tx.conn())
        .await?;
    if !chosen_qualifications.is_empty() {
        centre_qualification::Entity::insert_many(chosen_qualifications.iter().map(|&qualification_id| {
            centre_qualification::ActiveModel {
                centre_id: Set(centre_id),
                qualification_id: Set(qualification_id),
                created_at: Set(now),
                ..Default::default()
            }
        }))
        .exec_without_returning(tx.conn())
        .await?;
    }
    let language_list = languages.iter().map(|l| l.code()).collect::<Vec<_>>().join(",");
    centre::Entity::update_many()
        .col_expr(centre::Column::Languages, Expr::value(language_list))
        .col_expr(centre::Column::Website, Expr::value(site))
        .col_expr(centre::Column::ContactEmail, Expr::value(contact_email))
        .col_expr(centre::Column::About, Expr::value(about))
        .filter(centre::Column::Id.eq(centre_id))
        .exec(tx.conn())
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Declares profiles and qualifications for a centre by code (seed data).
pub(crate) async fn seed(
    conn: &impl sea_orm::ConnectionTrait,
    centre_id: i64,
    profile_codes: &[&str],
    qualification_codes: &[&str],
    now: DateTime<Utc>,
) -> Result<()> {
    use crate::entities::{profile, qualification};
    for code in profile_codes {
        let p = profile::Entity::find()
            .filter(profile::Column::Code.eq(*code))
            .one(conn)
            .await?
            .ok_or(DomainError::NotFound)?;
        centre_profile::Entity::insert(centre_profile::ActiveModel {
            centre_id: Set(centre_id),
            profile_id: Set(p.id),
            created_at: Set(now),
            ..Default::default()
        })
        .exec_without_returning(conn)
        .await?;
    }
    for code in qualification_codes {
        let q = qualification::Entity::find()
            .filter(qualification::Column::Code.eq(*code))
            .one(conn)
            .await?
            .ok_or(DomainError::NotFound)?;
        centre_qualification::Entity::insert(centre_qualification::ActiveModel {
            centre_id: Set(centre_id),
            qualification_id: Set(q.id),
            created_at: Set(now),
            ..Default::default()
        })
        .exec_without_returning(conn)
        .await?;
    }
    Ok(())
}
