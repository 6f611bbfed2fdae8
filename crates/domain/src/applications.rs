//! Applications to join the network. A training centre applies through the public form: the
//! application creates an *applicant* centre (not listed anywhere public), stores who applied
//! and why, and acknowledges it by email, all in one transaction. The committee sees every
//! application; its decision flow builds on this.

use chrono::{DateTime, Utc};
use netinvet_i18n::Lang;
use netinvet_mail::{ApplicationReceivedEmail, Email};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

use crate::centres::Centre;
use crate::db::{Db, DbKind};
use crate::entities::{centre, centre_application};
use crate::error::{Checks, DomainError, FormData, Result};
use crate::notifications::{self, EmailRequest};
use crate::references::Audience;
use crate::tenancy::{CentreId, CommitteeAccess, CommitteeTx};
use crate::types::{CentreStatus, CountryCode, EmailAddress, LanguageCode, PersonName};

/// An application as the committee reads it.
#[derive(Debug, Clone)]
pub struct Application {
    pub id: i64,
    pub centre: Centre,
    pub website: String,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_role: String,
    pub language: Lang,
    pub motivation: String,
    pub submitted_at: DateTime<Utc>,
}

/// Turns a centre's name into an address: `Lycée Jean Moulin` → `lycee-jean-moulin`.
pub fn slugify(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars() {
        let folded = match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => 'a',
            'ç' | 'Ç' | 'č' | 'ć' | 'Č' | 'Ć' => 'c',
            'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' | 'ę' | 'ě' => 'e',
            'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => 'i',
            'ñ' | 'Ñ' | 'ń' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => 'o',
            'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => 'u',
            'ß' => 's',
            'š' | 'Š' | 'ș' | 'ş' => 's',
            'ž' | 'Ž' | 'ź' | 'ż' => 'z',
            'ț' | 'ţ' => 't',
            other => other.to_ascii_lowercase(),
        };
        if folded.is_ascii_alphanumeric() {
            slug.push(folded);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let mut slug: String = slug.trim_end_matches('-').chars().take(50).collect();
    slug = slug.trim_end_matches('-').to_owned();
    if slug.len() < 3 { format!("centre-{slug}").trim_end_matches('-').to_owned() } else { slug }
}

/// Submits an application (the public "how to join" form): `centre_name`, `country`, `city`,
/// `website` (optional), `sectors`, `languages`, `contact_name`, `contact_email`,
/// `contact_role`, `motivation`, and `consent` to the processing of these data. Returns the
/// applicant centre.
pub async fn submit(db: &Db, form: &FormData, lang: Lang, now: DateTime<Utc>) -> Result<Centre> {
    let catalogue = crate::references::catalogue(db, Audience::Public).await?;
    let mut checks = Checks::default();
    let required = |checks: &mut Checks, field: &str, max: usize| -> Option<String> {
        let text = crate::types::required_text(form.text(field), max).and_then(|t| {
            if t.chars().any(|c| c.is_control() && c != '\n' && c != '\r') { Err("error.too_long") } else { Ok(t) }
        });
        checks.check(field, text)
    };
    let name = required(&mut checks, "centre_name", 200);
    let country = checks.check("country", CountryCode::parse(form.text("country")));
    let city = required(&mut checks, "city", 120);
    let website = checks.check("website", crate::declarations::website(form.text("website")));
    let mut sectors: Vec<String> = Vec::new();
    for code in form.all("sectors") {
        if catalogue.sectors.iter().any(|s| s.code == code) {
            sectors.push(code);
        } else {
            checks.add("sectors", "error.sector_unknown");
        }
    }
    if form.all("sectors").is_empty() {
        checks.add("sectors", "error.choose_one");
    }
    let mut languages: Vec<LanguageCode> =
        form.all("languages").iter().filter_map(|l| checks.check("languages", LanguageCode::parse(l))).collect();
    if form.all("languages").is_empty() {
        checks.add("languages", "error.choose_one");
    }
    let contact_name = checks.check("contact_name", PersonName::parse(form.text("contact_name")));
    let contact_email = checks.check("contact_email", EmailAddress::parse(form.text("contact_email")));
    let contact_role = required(&mut checks, "contact_role", 200);
    let motivation = required(&mut checks, "motivation", 4000);
    if !form.checked("consent") {
        checks.add("consent", "error.consent_required");
    }
    checks.finish()?;
    let (
        Some(name),
        Some(country),
        Some(city),
        Some(website),
        Some(contact_name),
        Some(contact_email),
        Some(contact_role),
        Some(motivation),
    ) = (name, country, city, website, contact_name, contact_email, contact_role, motivation)
    else {
        return Err(DomainError::Internal("unchecked".into()));
    };
    sectors.sort();
    sectors.dedup();
    languages.sort();
    languages.dedup();

    let settings = crate::settings::load(db).await?;
    let txn = db.begin().await?;
    let base = slugify(&name);
    let mut slug = base.clone();
    let mut n = 2;
    while centre::Entity::find().filter(centre::Column::Slug.eq(&slug)).count(&txn).await? > 0 {
        slug = format!("{base}-{n}");
        n += 1;
    }
    let inserted = centre::Entity::insert(centre::ActiveModel {
        slug: Set(slug),
        name: Set(name),
        country: Set(country.code().to_owned()),
        city: Set(city),
        languages: Set(languages.iter().map(|l| l.code()).collect::<Vec<_>>().join(",")),
        sectors: Set(sectors.join(",")),
        status: Set(CentreStatus::Applicant.as_str().to_owned()),
        website: Set(website),
        contact_email: Set(String::new()),
        about: Set(String::new()),
        created_at: Set(now),
        ..Default::default()
    })
    .exec(&txn)
    .await?;
    let centre_id = CentreId(inserted.last_insert_id);
    if db.kind() == DbKind::Postgres {
        crate::tenancy::set_local(&txn, "app.tenant_id", &centre_id.get().to_string()).await?;
    }
    let row = centre::Entity::find_by_id(centre_id.get()).one(&txn).await?.ok_or(DomainError::NotFound)?;
    let applicant = Centre::from(row);
    let application = centre_application::Entity::insert(centre_application::ActiveModel {
        centre_id: Set(centre_id.get()),
        contact_name: Set(contact_name.as_str().to_owned()),
        contact_email: Set(contact_email.as_str().to_owned()),
        contact_role: Set(contact_role),
        language: Set(lang.code().to_owned()),
        motivation: Set(motivation),
        submitted_at: Set(now),
        ..Default::default()
    })
    .exec(&txn)
    .await?;
    notifications::queue_email(
        &txn,
        EmailRequest {
            key: format!("application-received:{}", application.last_insert_id),
            category: "application",
            to: &contact_email,
            lang,
            email: Email::ApplicationReceived(ApplicationReceivedEmail {
                contact_name: contact_name.as_str().to_owned(),
                centre_name: applicant.name.clone(),
                submitted_on: now.format("%Y-%m-%d").to_string(),
            }),
            centre: Some(centre_id),
        },
        settings.daily_email_cap_per_category,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(applicant)
}

/// Every application, newest first (committee only; audited).
pub async fn list(db: &Db, access: &CommitteeAccess, now: DateTime<Utc>) -> Result<Vec<Application>> {
    let tx = CommitteeTx::begin(db, access, "applications.list", None, now).await?;
    let rows = centre_application::Entity::find()
        .order_by_desc(centre_application::Column::SubmittedAt)
        .order_by_desc(centre_application::Column::Id)
        .all(tx.conn())
        .await?;
    let mut list = Vec::new();
    for row in rows {
        if let Some(c) = centre::Entity::find_by_id(row.centre_id).one(tx.conn()).await? {
            list.push(application(row, c));
        }
    }
    tx.commit().await?;
    Ok(list)
}

fn application(row: centre_application::Model, c: centre::Model) -> Application {
    Application {
        id: row.id,
        website: c.website.clone(),
        centre: Centre::from(c),
        contact_name: row.contact_name,
        contact_email: row.contact_email,
        contact_role: row.contact_role,
        language: row.language.parse().unwrap_or(Lang::En),
        motivation: row.motivation,
        submitted_at: row.submitted_at,
    }
}

/// One application (committee only; audited).
pub async fn get(db: &Db, access: &CommitteeAccess, id: i64, now: DateTime<Utc>) -> Result<Application> {
    let tx = CommitteeTx::begin(db, access, "applications.view", None, now).await?;
    let row = centre_application::Entity::find_by_id(id).one(tx.conn()).await?.ok_or(DomainError::NotFound)?;
    let c = centre::Entity::find_by_id(row.centre_id).one(tx.conn()).await?.ok_or(DomainError::NotFound)?;
    tx.commit().await?;
    Ok(application(row, c))
}

#[cfg(test)]
mod tests {
    use super::slugify;

    #[test]
    fn names_become_addresses() {
        assert_eq!(slugify("Lycée Jean Moulin"), "lycee-jean-moulin");
        assert_eq!(slugify("  Berufskolleg für Logistik, Köln! "), "berufskolleg-fur-logistik-koln");
        assert_eq!(slugify("AB"), "centre-ab");
        assert_eq!(slugify("Ἀθῆναι"), "centre");
    }
}
