//! The demo network seeded on the first start of the embedded mode (and on PostgreSQL only when
//! asked): a steering committee member and three member centres in three countries, each with a
//! centre admin, a teacher and two learners. All demo accounts share one password, printed on
//! the console; the addresses are under a reserved domain that cannot receive mail.

use chrono::{DateTime, Utc};
use netinvet_i18n::Lang;
use sea_orm::{ActiveValue::Set, EntityTrait, PaginatorTrait};

use crate::db::{Db, DbKind};
use crate::entities::centre;
use crate::error::Result;
use crate::tenancy::{CentreId, UserId};
use crate::types::{CentreStatus, EmailAddress, MembershipRole, NetworkRole, PersonName};

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
            created_at: Set(now),
            ..Default::default()
        })
        .exec(&txn)
        .await?;
        let centre_id = CentreId(inserted.last_insert_id);
        if db.kind() == DbKind::Postgres {
            crate::tenancy::set_local(&txn, "app.tenant_id", &centre_id.get().to_string()).await?;
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
