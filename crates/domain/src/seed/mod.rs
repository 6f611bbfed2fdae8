//! The demo network seeded on the first start of the embedded mode (and on PostgreSQL only when
//! asked): a steering committee member and three member centres in three countries, each with a
//! centre admin, a teacher and two learners. All demo accounts share one password, printed on
//! the console; the addresses are under a reserved domain that cannot receive mail.

pub mod network;

use chrono::{DateTime, Months, Utc};
use netinvet_i18n::Lang;
use sea_orm::{ActiveValue::Set, EntityTrait, PaginatorTrait};

use crate::db::{Db, DbKind};
use crate::entities::centre;
use crate::error::Result;
use crate::tenancy::{CentreId, UserId};
use crate::types::{CentreStatus, EmailAddress, LabelStatus, MembershipRole, NetworkRole, PersonName};

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "netinvet-demo";

/// A demo account, for the console's sign-in instructions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoAccount {
    pub email: String,
    /// What the account is, in English, for the console.
    pub description: String,
}

struct DemoCentre {
    slug: &'static str,
    name: &'static str,
    country: &'static str,
    city: &'static str,
    languages: &'static str,
    sectors: &'static str,
    website: &'static str,
    about: &'static str,
    profiles: &'static [&'static str],
    qualifications: &'static [&'static str],
    /// An open mobility offer: profile code, mobility type, places.
    offer: Option<(&'static str, &'static str, i32)>,
    /// Months since the label was awarded, if the centre holds it.
    label_awarded_months_ago: Option<u32>,
    language: Lang,
    people: [(&'static str, &'static str, MembershipRole); 4],
}

const CENTRES: [DemoCentre; 3] = [
    DemoCentre {
        slug: "lycee-lyon",
        name: "Lycée des métiers du commerce international de Lyon",
        country: "FR",
        city: "Lyon",
        languages: "en,fr",
        sectors: "international_trade,transport_logistics",
        website: "https://lycee-lyon.demo.netinvet.example",
        about: "Vocational high school preparing international trade and logistics qualifications, hosting learners from partner centres every spring.",
        profiles: &["import-export-sales-assistant", "transport-logistics-coordinator", "transport-technician"],
        qualifications: &["bts-ci", "bts-gtla", "bac-pro-otm"],
        offer: None,
        label_awarded_months_ago: Some(14),
        language: Lang::Fr,
        people: [
            ("admin.lyon", "Sophie Bernard", MembershipRole::Admin),
            ("teacher.lyon", "Marc Dubois", MembershipRole::Staff),
            ("learner1.lyon", "Léa Moreau", MembershipRole::Learner),
            ("learner2.lyon", "Hugo Laurent", MembershipRole::Learner),
        ],
    },
    DemoCentre {
        slug: "bk-koeln",
        name: "Berufskolleg für Logistik Köln",
        country: "DE",
        city: "Köln",
        languages: "de,en",
        sectors: "transport_logistics",
        website: "https://bk-koeln.demo.netinvet.example",
        about: "Vocational college for freight forwarding, warehouse logistics and professional drivers.",
        profiles: &["transport-technician", "warehouse-technician", "road-freight-advanced-driver"],
        qualifications: &["kfm-spedition", "fachkraft-lagerlogistik", "berufskraftfahrer"],
        offer: Some(("transport-technician", "learner", 4)),
        label_awarded_months_ago: Some(30),
        language: Lang::En,
        people: [
            ("admin.koeln", "Jonas Weber", MembershipRole::Admin),
            ("teacher.koeln", "Anna Schmidt", MembershipRole::Staff),
            ("learner1.koeln", "Lukas Becker", MembershipRole::Learner),
            ("learner2.koeln", "Mia Wagner", MembershipRole::Learner),
        ],
    },
    DemoCentre {
        slug: "cifp-valencia",
        name: "CIFP Comercio Internacional de Valencia",
        country: "ES",
        city: "Valencia",
        languages: "en,es",
        sectors: "international_trade",
        website: "https://cifp-valencia.demo.netinvet.example",
        about: "Public vocational training centre for international trade, member since the network's early years.",
        profiles: &["import-export-sales-assistant"],
        qualifications: &["tsci"],
        offer: Some(("import-export-sales-assistant", "teacher", 2)),
        label_awarded_months_ago: None,
        language: Lang::En,
        people: [
            ("admin.valencia", "Lucía García", MembershipRole::Admin),
            ("teacher.valencia", "Javier López", MembershipRole::Staff),
            ("learner1.valencia", "Carmen Ruiz", MembershipRole::Learner),
            ("learner2.valencia", "Pablo Sánchez", MembershipRole::Learner),
        ],
    },
];

const DOMAIN: &str = "demo.netinvet.example";

/// Seeds the demo network if the database has no centre yet. Returns the accounts created, or
/// `None` when there was already data. All of it is written in one transaction.
pub async fn seed_demo(db: &Db, now: DateTime<Utc>) -> Result<Option<Vec<DemoAccount>>> {
    if centre::Entity::find().count(db.conn()).await? > 0 {
        return Ok(None);
    }
    network::ensure(db).await?;
    let settings = crate::settings::load(db).await?;
    let hash = crate::accounts::hash_password(DEMO_PASSWORD).await?;
    let txn = db.begin().await?;
    let mut accounts = Vec::new();
    let person = |local: &str, name: &str| -> (EmailAddress, PersonName) {
        let email = EmailAddress::parse(&format!("{local}@{DOMAIN}")).expect("demo address is valid");
        (email, PersonName::parse(name).expect("demo name is valid"))
    };
    let (email, name) = person("committee", "Claire Martin");
    let committee = crate::accounts::create(&txn, &email, &name, Lang::En, hash.clone(), now).await?;
    crate::accounts::grant_network_role(&txn, UserId(committee.id), NetworkRole::Committee, now).await?;
    accounts.push(DemoAccount { email: email.as_str().to_owned(), description: "steering committee member".into() });

    for demo in &CENTRES {
        let inserted = centre::Entity::insert(centre::ActiveModel {
            slug: Set(demo.slug.to_owned()),
            name: Set(demo.name.to_owned()),
            country: Set(demo.country.to_owned()),
            city: Set(demo.city.to_owned()),
            languages: Set(demo.languages.to_owned()),
            sectors: Set(demo.sectors.to_owned()),
            status: Set(CentreStatus::Active.as_str().to_owned()),
            website: Set(demo.website.to_owned()),
            contact_email: Set(format!("contact.{}@{DOMAIN}", demo.slug)),
            about: Set(demo.about.to_owned()),
            created_at: Set(now),
            ..Default::default()
        })
        .exec(&txn)
        .await?;
        let centre_id = CentreId(inserted.last_insert_id);
        if db.kind() == DbKind::Postgres {
            crate::tenancy::set_local(&txn, "app.tenant_id", &centre_id.get().to_string()).await?;
        }
        crate::declarations::seed(&txn, centre_id.get(), demo.profiles, demo.qualifications, now).await?;
        if let Some((profile, kind, places)) = demo.offer {
            seed_offer(&txn, centre_id, profile, kind, places, now).await?;
        }
        if let Some(months) = demo.label_awarded_months_ago {
            let awarded = now.checked_sub_months(Months::new(months)).unwrap_or(now);
            let valid_until = awarded.checked_add_months(Months::new(settings.label_term_months)).unwrap_or(awarded);
            crate::directory::insert_label(&txn, centre_id.get(), LabelStatus::Awarded, awarded, valid_until).await?;
        }
        for (local, full_name, role) in demo.people {
            let (email, name) = person(local, full_name);
            let created = crate::accounts::create(&txn, &email, &name, demo.language, hash.clone(), now).await?;
            crate::centres::insert_membership(&txn, centre_id, UserId(created.id), role, now).await?;
            let what = match role {
                MembershipRole::Admin => "centre admin",
                MembershipRole::Staff => "teacher",
                MembershipRole::Learner => "learner",
            };
            accounts
                .push(DemoAccount { email: email.as_str().to_owned(), description: format!("{what}, {}", demo.name) });
        }
    }
    txn.commit().await?;
    Ok(Some(accounts))
}

/// An open offer nine to eleven months ahead, applications open for seven months.
async fn seed_offer(
    txn: &sea_orm::DatabaseTransaction,
    centre: CentreId,
    profile_code: &str,
    kind: &str,
    places: i32,
    now: DateTime<Utc>,
) -> Result<()> {
    use crate::entities::{mobility_offer, profile};
    use sea_orm::{ColumnTrait, QueryFilter};
    let profile = profile::Entity::find()
        .filter(profile::Column::Code.eq(profile_code))
        .one(txn)
        .await?
        .ok_or(crate::DomainError::NotFound)?;
    let day = |months: u32| now.checked_add_months(Months::new(months)).unwrap_or(now).date_naive();
    mobility_offer::Entity::insert(mobility_offer::ActiveModel {
        centre_id: Set(centre.get()),
        profile_id: Set(profile.id),
        mobility_type: Set(kind.to_owned()),
        window_start: Set(day(9)),
        window_end: Set(day(11)),
        places: Set(places),
        places_taken: Set(0),
        working_language: Set("en".to_owned()),
        application_deadline: Set(day(7)),
        accommodation_help: Set(true),
        local_transport: Set(true),
        tutoring: Set(kind == "learner"),
        description: Set(String::new()),
        status: Set(crate::types::OfferStatus::Open.as_str().to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    })
    .exec_without_returning(txn)
    .await?;
    Ok(())
}
