//! The network's own reference data, written into every new database (not only the demo): the
//! sectors and the shared professional profiles the network publishes (International Trade:
//! import-export sales assistant at EQF 5; Transport & Logistics at EQF 5 and, at EQF 4,
//! transport technician, warehouse technician and road freight advanced driver), their units of
//! learning outcomes, national qualifications of three countries mapped onto those units, the
//! first version of each quality charter, and the portal's opening news.
//!
//! The unit texts are written for this platform from the network's public descriptions. The
//! committee edits all of it afterwards; this runs only on a database with no sector yet.

use chrono::{DateTime, TimeZone, Utc};
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait, PaginatorTrait};

use crate::charters::{NewItem, NewVersion};
use crate::db::Db;
use crate::entities::{profile, qualification, qualification_unit, sector, unit};
use crate::error::Result;
use crate::types::{CharterKind, CharterPhase, Localized, PublicationStatus};
use netinvet_i18n::Lang::{En, Fr};

type Text = (&'static str, &'static str);

fn text((en, fr): Text) -> Localized {
    Localized::of(&[(En, en), (Fr, fr)])
}

const SECTORS: &[(&str, Text)] = &[
    ("international_trade", ("International Trade", "Commerce international")),
    ("transport_logistics", ("Transport & Logistics", "Transport et logistique")),
    ("car_maintenance", ("Car Maintenance", "Maintenance automobile")),
];

struct SeedUnit {
    code: &'static str,
    title: Text,
    knowledge: Text,
    skills: Text,
    competence: Text,
}

struct SeedProfile {
    code: &'static str,
    sector: &'static str,
    eqf: i32,
    title: Text,
    description: Text,
    units: &'static [SeedUnit],
}

const PROFILES: &[SeedProfile] = &[
    SeedProfile {
        code: "import-export-sales-assistant",
        sector: "international_trade",
        eqf: 5,
        title: ("Import-export sales assistant", "Assistant(e) commercial(e) import-export"),
        description: (
            "Prospects foreign markets, negotiates and follows international sales and purchases, and manages the commercial, logistic, customs and payment side of import-export operations, in at least two foreign languages.",
            "Prospecte les marchés étrangers, négocie et suit les ventes et achats internationaux, et gère les aspects commerciaux, logistiques, douaniers et financiers des opérations d'import-export, dans au moins deux langues étrangères.",
        ),
        units: &[
            SeedUnit {
                code: "IESA-1",
                title: ("Foreign market research and prospecting", "Étude et prospection des marchés étrangers"),
                knowledge: (
                    "Market research methods; sources of international trade information; export support bodies.",
                    "Méthodes d'étude de marché ; sources d'information sur le commerce international ; organismes d'aide à l'export.",
                ),
                skills: (
                    "Collect and analyse data on a foreign market; build a prospect file; plan a prospecting action.",
                    "Collecter et analyser des données sur un marché étranger ; constituer un fichier de prospects ; planifier une action de prospection.",
                ),
                competence: (
                    "Proposes, with limited supervision, a justified choice of target market and prospecting plan.",
                    "Propose, sous une supervision limitée, un choix argumenté de marché cible et un plan de prospection.",
                ),
            },
            SeedUnit {
                code: "IESA-2",
                title: ("Negotiating and selling in a foreign language", "Négociation et vente en langue étrangère"),
                knowledge: (
                    "Negotiation techniques; commercial vocabulary in two foreign languages; offer and contract structure.",
                    "Techniques de négociation ; vocabulaire commercial dans deux langues étrangères ; structure d'une offre et d'un contrat.",
                ),
                skills: (
                    "Prepare and conduct a sales interview in a foreign language; draft a commercial offer.",
                    "Préparer et conduire un entretien de vente en langue étrangère ; rédiger une offre commerciale.",
                ),
                competence: (
                    "Conducts a negotiation with a foreign customer or supplier and commits the company within delegated limits.",
                    "Mène une négociation avec un client ou fournisseur étranger et engage l'entreprise dans les limites de sa délégation.",
                ),
            },
            SeedUnit {
                code: "IESA-3",
                title: ("Managing international sales operations", "Gestion des opérations de vente internationales"),
                knowledge: (
                    "Incoterms; customs procedures and documents; international means of payment and their risks.",
                    "Incoterms ; procédures et documents douaniers ; moyens de paiement internationaux et leurs risques.",
                ),
                skills: (
                    "Choose an Incoterm and a means of payment; prepare customs and transport documents; follow an order to delivery.",
                    "Choisir un Incoterm et un moyen de paiement ; établir les documents douaniers et de transport ; suivre une commande jusqu'à la livraison.",
                ),
                competence: (
                    "Manages an import or export operation from order to payment, securing its risks.",
                    "Gère une opération d'import ou d'export de la commande au paiement en en maîtrisant les risques.",
                ),
            },
            SeedUnit {
                code: "IESA-4",
                title: ("Customer relations and after-sales follow-up", "Relation client et suivi après-vente"),
                knowledge: (
                    "Customer relationship management tools; complaint handling procedures; satisfaction indicators.",
                    "Outils de gestion de la relation client ; procédures de traitement des réclamations ; indicateurs de satisfaction.",
                ),
                skills: (
                    "Record and follow customer exchanges; handle a complaint; report on customer satisfaction.",
                    "Enregistrer et suivre les échanges clients ; traiter une réclamation ; rendre compte de la satisfaction client.",
                ),
                competence: (
                    "Maintains a lasting relationship with foreign customers and proposes improvements.",
                    "Entretient une relation durable avec les clients étrangers et propose des améliorations.",
                ),
            },
            SeedUnit {
                code: "IESA-5",
                title: ("Intercultural business communication", "Communication interculturelle en affaires"),
                knowledge: (
                    "Cultural dimensions of business; professional etiquette in the partner countries.",
                    "Dimensions culturelles des affaires ; usages professionnels dans les pays partenaires.",
                ),
                skills: (
                    "Adapt written and spoken communication to a foreign partner's culture.",
                    "Adapter sa communication écrite et orale à la culture d'un partenaire étranger.",
                ),
                competence: (
                    "Works effectively in an international team and with foreign partners.",
                    "Travaille efficacement dans une équipe internationale et avec des partenaires étrangers.",
                ),
            },
        ],
    },
    SeedProfile {
        code: "transport-logistics-coordinator",
        sector: "transport_logistics",
        eqf: 5,
        title: (
            "Transport and logistics operations coordinator",
            "Coordinateur(trice) des opérations de transport et de logistique",
        ),
        description: (
            "Organises and coordinates national and international transport and logistics operations, manages flows and subcontractors, and ensures compliance, safety and service quality.",
            "Organise et coordonne les opérations de transport et de logistique nationales et internationales, pilote les flux et les sous-traitants, et garantit la conformité, la sécurité et la qualité de service.",
        ),
        units: &[
            SeedUnit {
                code: "TLC-1",
                title: (
                    "Organising national and international transport",
                    "Organisation des transports nationaux et internationaux",
                ),
                knowledge: (
                    "Transport modes and their costs; multimodal chains; international transport conventions (CMR, CIM).",
                    "Modes de transport et leurs coûts ; chaînes multimodales ; conventions internationales de transport (CMR, CIM).",
                ),
                skills: (
                    "Choose a mode and a carrier; plan routes and schedules; prepare transport documents.",
                    "Choisir un mode et un transporteur ; planifier itinéraires et horaires ; établir les documents de transport.",
                ),
                competence: (
                    "Organises transport operations meeting cost, time and quality commitments.",
                    "Organise des opérations de transport respectant les engagements de coût, de délai et de qualité.",
                ),
            },
            SeedUnit {
                code: "TLC-2",
                title: (
                    "Managing logistics flows and warehouse performance",
                    "Pilotage des flux logistiques et de la performance de l'entrepôt",
                ),
                knowledge: (
                    "Supply chain principles; stock management methods; logistics performance indicators.",
                    "Principes de la chaîne logistique ; méthodes de gestion des stocks ; indicateurs de performance logistique.",
                ),
                skills: (
                    "Analyse flows and indicators; size resources; propose corrective actions.",
                    "Analyser les flux et les indicateurs ; dimensionner les ressources ; proposer des actions correctives.",
                ),
                competence: (
                    "Steers the performance of a logistics activity and reports on it.",
                    "Pilote la performance d'une activité logistique et en rend compte.",
                ),
            },
            SeedUnit {
                code: "TLC-3",
                title: (
                    "Relations with shippers and subcontractors",
                    "Relations avec les chargeurs et les sous-traitants",
                ),
                knowledge: (
                    "Transport and logistics contracts; pricing; subcontracting law.",
                    "Contrats de transport et de logistique ; tarification ; droit de la sous-traitance.",
                ),
                skills: (
                    "Prepare a quotation; select and brief a subcontractor; handle a dispute.",
                    "Établir une cotation ; sélectionner et missionner un sous-traitant ; traiter un litige.",
                ),
                competence: (
                    "Manages commercial relations with customers and partners in a foreign language where needed.",
                    "Gère les relations commerciales avec clients et partenaires, en langue étrangère si besoin.",
                ),
            },
            SeedUnit {
                code: "TLC-4",
                title: (
                    "Regulation, safety and sustainable logistics",
                    "Réglementation, sécurité et logistique durable",
                ),
                knowledge: (
                    "Transport regulation; dangerous goods (ADR); environmental impact of transport.",
                    "Réglementation des transports ; marchandises dangereuses (ADR) ; impact environnemental des transports.",
                ),
                skills: (
                    "Check an operation's compliance; assess its carbon footprint; propose greener options.",
                    "Vérifier la conformité d'une opération ; évaluer son empreinte carbone ; proposer des solutions plus sobres.",
                ),
                competence: (
                    "Ensures operations comply with regulations and integrates sustainability in decisions.",
                    "Garantit la conformité réglementaire des opérations et intègre la durabilité dans ses décisions.",
                ),
            },
        ],
    },
    SeedProfile {
        code: "transport-technician",
        sector: "transport_logistics",
        eqf: 4,
        title: ("Transport technician", "Technicien(ne) du transport"),
        description: (
            "Prepares, follows and closes road freight transport operations: planning, documents, tracking and customer information, under the responsibility of an operations manager.",
            "Prépare, suit et clôture des opérations de transport routier de marchandises : planification, documents, suivi et information client, sous la responsabilité d'un responsable d'exploitation.",
        ),
        units: &[
            SeedUnit {
                code: "TT-1",
                title: ("Planning a road transport operation", "Planification d'une opération de transport routier"),
                knowledge: (
                    "Vehicle types and capacities; driving and rest time rules; route planning tools.",
                    "Types et capacités des véhicules ; règles des temps de conduite et de repos ; outils de planification d'itinéraires.",
                ),
                skills: (
                    "Assign vehicles and drivers; plan a round; optimise loads.",
                    "Affecter véhicules et conducteurs ; planifier une tournée ; optimiser les chargements.",
                ),
                competence: (
                    "Plans operations under supervision, respecting regulations and deadlines.",
                    "Planifie les opérations sous supervision, dans le respect de la réglementation et des délais.",
                ),
            },
            SeedUnit {
                code: "TT-2",
                title: ("Transport documents and regulations", "Documents et réglementation du transport"),
                knowledge: (
                    "Consignment note (CMR); customs documents; carrier liability.",
                    "Lettre de voiture (CMR) ; documents douaniers ; responsabilité du transporteur.",
                ),
                skills: (
                    "Complete and check transport documents; file proofs of delivery.",
                    "Établir et contrôler les documents de transport ; archiver les preuves de livraison.",
                ),
                competence: (
                    "Ensures every operation has complete and compliant documents.",
                    "Garantit des documents complets et conformes pour chaque opération.",
                ),
            },
            SeedUnit {
                code: "TT-3",
                title: (
                    "Tracking operations and informing customers",
                    "Suivi des opérations et information des clients",
                ),
                knowledge: (
                    "Tracking systems; incident types and procedures.",
                    "Systèmes de suivi ; types d'incidents et procédures.",
                ),
                skills: (
                    "Track shipments; inform the customer of delays; record incidents.",
                    "Suivre les envois ; informer le client des retards ; enregistrer les incidents.",
                ),
                competence: (
                    "Reacts to incidents within procedures and keeps customers informed.",
                    "Réagit aux incidents dans le cadre des procédures et tient les clients informés.",
                ),
            },
            SeedUnit {
                code: "TT-4",
                title: ("Costing a transport service", "Calcul du coût d'une prestation de transport"),
                knowledge: (
                    "Cost components of road transport; pricing methods.",
                    "Composantes du coût du transport routier ; méthodes de tarification.",
                ),
                skills: (
                    "Calculate the cost price of an operation; compare it to the price charged.",
                    "Calculer le prix de revient d'une opération ; le comparer au prix facturé.",
                ),
                competence: (
                    "Contributes to pricing decisions with reliable cost figures.",
                    "Contribue aux décisions tarifaires par des coûts fiables.",
                ),
            },
        ],
    },
    SeedProfile {
        code: "warehouse-technician",
        sector: "transport_logistics",
        eqf: 4,
        title: ("Warehouse technician", "Technicien(ne) en logistique d'entreposage"),
        description: (
            "Receives, stores, prepares and ships goods in a warehouse, keeps stock records accurate and works safely with handling equipment.",
            "Réceptionne, stocke, prépare et expédie les marchandises en entrepôt, tient les stocks à jour et travaille en sécurité avec les engins de manutention.",
        ),
        units: &[
            SeedUnit {
                code: "WT-1",
                title: ("Receiving goods", "Réception des marchandises"),
                knowledge: (
                    "Reception procedures; delivery documents; quality control criteria.",
                    "Procédures de réception ; documents de livraison ; critères de contrôle qualité.",
                ),
                skills: (
                    "Check a delivery against the order; record reservations; enter receipts in the WMS.",
                    "Contrôler une livraison par rapport à la commande ; émettre des réserves ; saisir les entrées dans le WMS.",
                ),
                competence: (
                    "Receives goods reliably and reports any discrepancy.",
                    "Réceptionne les marchandises de façon fiable et signale tout écart.",
                ),
            },
            SeedUnit {
                code: "WT-2",
                title: ("Storage and inventory", "Stockage et inventaire"),
                knowledge: (
                    "Storage methods and addressing; stock rotation rules; inventory methods.",
                    "Méthodes de stockage et d'adressage ; règles de rotation des stocks ; méthodes d'inventaire.",
                ),
                skills: (
                    "Put goods away; carry out a cycle count; analyse stock discrepancies.",
                    "Ranger les marchandises ; réaliser un inventaire tournant ; analyser les écarts de stock.",
                ),
                competence: (
                    "Keeps stock accurate and storage areas organised.",
                    "Maintient des stocks exacts et des zones de stockage organisées.",
                ),
            },
            SeedUnit {
                code: "WT-3",
                title: ("Order preparation and shipping", "Préparation des commandes et expédition"),
                knowledge: (
                    "Picking methods; packaging and labelling; loading rules.",
                    "Méthodes de préparation ; emballage et étiquetage ; règles de chargement.",
                ),
                skills: (
                    "Pick and pack orders; prepare shipping documents; load a vehicle.",
                    "Préparer et conditionner les commandes ; établir les documents d'expédition ; charger un véhicule.",
                ),
                competence: (
                    "Ships complete, on-time orders in line with quality standards.",
                    "Expédie des commandes complètes et à l'heure, conformes aux normes de qualité.",
                ),
            },
            SeedUnit {
                code: "WT-4",
                title: ("Safe use of handling equipment", "Conduite en sécurité des engins de manutention"),
                knowledge: (
                    "Handling equipment categories; safety rules; workplace risk prevention.",
                    "Catégories d'engins de manutention ; règles de sécurité ; prévention des risques.",
                ),
                skills: (
                    "Operate a lift truck safely; carry out daily checks.",
                    "Conduire un chariot élévateur en sécurité ; réaliser les vérifications quotidiennes.",
                ),
                competence: (
                    "Works safely and applies the site's prevention rules.",
                    "Travaille en sécurité et applique les règles de prévention du site.",
                ),
            },
        ],
    },
    SeedProfile {
        code: "road-freight-advanced-driver",
        sector: "transport_logistics",
        eqf: 4,
        title: ("Road freight advanced driver", "Conducteur(trice) routier(ère) de marchandises qualifié(e)"),
        description: (
            "Drives heavy goods vehicles safely and economically in national and international traffic, handles loading and documents, and represents the company to customers.",
            "Conduit des poids lourds de façon sûre et économique en trafic national et international, gère le chargement et les documents, et représente l'entreprise auprès des clients.",
        ),
        units: &[
            SeedUnit {
                code: "RFD-1",
                title: ("Safe and economical driving", "Conduite sûre et économique"),
                knowledge: (
                    "Vehicle technology; eco-driving principles; road safety rules in Europe.",
                    "Technologie du véhicule ; principes d'éco-conduite ; règles de sécurité routière en Europe.",
                ),
                skills: (
                    "Drive a heavy goods vehicle safely; reduce fuel consumption; check the vehicle before departure.",
                    "Conduire un poids lourd en sécurité ; réduire la consommation de carburant ; vérifier le véhicule avant le départ.",
                ),
                competence: (
                    "Drives autonomously, anticipating risks and respecting the environment.",
                    "Conduit en autonomie en anticipant les risques et en respectant l'environnement.",
                ),
            },
            SeedUnit {
                code: "RFD-2",
                title: ("Loading, securing and unloading", "Chargement, arrimage et déchargement"),
                knowledge: (
                    "Load distribution; securing techniques and standards.",
                    "Répartition des charges ; techniques et normes d'arrimage.",
                ),
                skills: (
                    "Check a load; secure it; supervise unloading.",
                    "Contrôler un chargement ; l'arrimer ; superviser le déchargement.",
                ),
                competence: (
                    "Is responsible for the load's safety from loading to delivery.",
                    "Répond de la sécurité du chargement du chargement à la livraison.",
                ),
            },
            SeedUnit {
                code: "RFD-3",
                title: ("Driving time and transport documents", "Temps de conduite et documents de transport"),
                knowledge: (
                    "European driving and rest time rules; tachograph; consignment note.",
                    "Règles européennes des temps de conduite et de repos ; chronotachygraphe ; lettre de voiture.",
                ),
                skills: (
                    "Use the tachograph; plan breaks; complete and keep documents.",
                    "Utiliser le chronotachygraphe ; planifier les pauses ; remplir et conserver les documents.",
                ),
                competence: (
                    "Complies with regulations throughout a journey.",
                    "Respecte la réglementation sur l'ensemble d'un trajet.",
                ),
            },
            SeedUnit {
                code: "RFD-4",
                title: ("Customer relations and delivery incidents", "Relation client et incidents de livraison"),
                knowledge: (
                    "Delivery procedures; reservations; incident reporting.",
                    "Procédures de livraison ; réserves ; déclaration d'incident.",
                ),
                skills: (
                    "Deliver and obtain proof of delivery; record reservations; report an incident.",
                    "Livrer et obtenir la preuve de livraison ; noter les réserves ; déclarer un incident.",
                ),
                competence: (
                    "Represents the company professionally to customers, in a foreign language where needed.",
                    "Représente l'entreprise avec professionnalisme auprès des clients, en langue étrangère si besoin.",
                ),
            },
        ],
    },
];

/// National qualifications: country, code, EQF level, title, and the shared units covered.
const QUALIFICATIONS: &[(&str, &str, i32, Text, &[&str])] = &[
    (
        "FR",
        "bts-ci",
        5,
        ("BTS International Trade (Commerce international)", "BTS Commerce international"),
        &["IESA-1", "IESA-2", "IESA-3", "IESA-4", "IESA-5"],
    ),
    (
        "FR",
        "bts-gtla",
        5,
        (
            "BTS Transport and Associated Logistics Management (GTLA)",
            "BTS Gestion des transports et logistique associée",
        ),
        &["TLC-1", "TLC-2", "TLC-3", "TLC-4"],
    ),
    (
        "FR",
        "bac-pro-otm",
        4,
        (
            "Vocational baccalaureate, Freight Transport Organisation",
            "Bac pro Organisation de transport de marchandises",
        ),
        &["TT-1", "TT-2", "TT-3", "TT-4"],
    ),
    (
        "FR",
        "bac-pro-logistique",
        4,
        ("Vocational baccalaureate, Logistics", "Bac pro Logistique"),
        &["WT-1", "WT-2", "WT-3", "WT-4"],
    ),
    (
        "FR",
        "bac-pro-ctrm",
        4,
        ("Vocational baccalaureate, Road Freight Driver", "Bac pro Conducteur transport routier marchandises"),
        &["RFD-1", "RFD-2", "RFD-3", "RFD-4"],
    ),
    (
        "DE",
        "kfm-grosshandel",
        4,
        (
            "Management Assistant in Wholesale and Foreign Trade (Kaufmann/-frau für Groß- und Außenhandelsmanagement)",
            "Assistant(e) de gestion du commerce de gros et extérieur (Kaufmann/-frau für Groß- und Außenhandelsmanagement)",
        ),
        &["IESA-1", "IESA-2", "IESA-4", "IESA-5"],
    ),
    (
        "DE",
        "kfm-spedition",
        4,
        (
            "Management Assistant in Freight Forwarding and Logistics Services (Kaufmann/-frau für Spedition und Logistikdienstleistung)",
            "Assistant(e) de gestion en transit et logistique (Kaufmann/-frau für Spedition und Logistikdienstleistung)",
        ),
        &["TT-1", "TT-2", "TT-3", "TT-4", "TLC-1", "TLC-3"],
    ),
    (
        "DE",
        "fachkraft-lagerlogistik",
        4,
        (
            "Warehouse Logistics Operator (Fachkraft für Lagerlogistik)",
            "Opérateur(trice) en logistique d'entreposage (Fachkraft für Lagerlogistik)",
        ),
        &["WT-1", "WT-2", "WT-3", "WT-4"],
    ),
    (
        "DE",
        "berufskraftfahrer",
        4,
        ("Professional Driver (Berufskraftfahrer/-in)", "Conducteur(trice) professionnel(le) (Berufskraftfahrer/-in)"),
        &["RFD-1", "RFD-2", "RFD-3", "RFD-4"],
    ),
    (
        "ES",
        "tsci",
        5,
        (
            "Higher Technician in International Trade (Técnico Superior en Comercio Internacional)",
            "Technicien(ne) supérieur(e) en commerce international (Técnico Superior en Comercio Internacional)",
        ),
        &["IESA-1", "IESA-2", "IESA-3", "IESA-4", "IESA-5"],
    ),
    (
        "ES",
        "tstl",
        5,
        (
            "Higher Technician in Transport and Logistics (Técnico Superior en Transporte y Logística)",
            "Technicien(ne) supérieur(e) en transport et logistique (Técnico Superior en Transporte y Logística)",
        ),
        &["TLC-1", "TLC-2", "TLC-3", "TLC-4", "TT-1", "TT-2"],
    ),
];

/// When the network adopted the references and charters seeded here.
fn adopted_on() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 1, 15, 9, 0, 0).single().unwrap_or_default()
}

/// Writes the network data if the database has none yet (idempotent).
pub async fn ensure(db: &Db) -> Result<()> {
    if sector::Entity::find().count(db.conn()).await? > 0 {
        return Ok(());
    }
    let txn = db.begin().await?;
    write_references(&txn).await?;
    write_charters(&txn).await?;
    write_news(&txn).await?;
    txn.commit().await?;
    Ok(())
}

async fn write_references(conn: &impl ConnectionTrait) -> Result<()> {
    let at = adopted_on();
    let published = PublicationStatus::Published.as_str();
    let mut sector_ids = std::collections::HashMap::new();
    for (code, name) in SECTORS {
        let id = sector::Entity::insert(sector::ActiveModel {
            code: Set((*code).to_owned()),
            name: Set(text(*name).to_stored()),
            status: Set(published.to_owned()),
            created_at: Set(at),
            updated_at: Set(at),
            ..Default::default()
        })
        .exec(conn)
        .await?
        .last_insert_id;
        sector_ids.insert(*code, id);
    }
    let mut unit_ids = std::collections::HashMap::new();
    for p in PROFILES {
        let profile_id = profile::Entity::insert(profile::ActiveModel {
            code: Set(p.code.to_owned()),
            sector_id: Set(sector_ids[p.sector]),
            eqf_level: Set(p.eqf),
            title: Set(text(p.title).to_stored()),
            description: Set(text(p.description).to_stored()),
            status: Set(published.to_owned()),
            created_at: Set(at),
            updated_at: Set(at),
            ..Default::default()
        })
        .exec(conn)
        .await?
        .last_insert_id;
        for (position, u) in p.units.iter().enumerate() {
            let id = unit::Entity::insert(unit::ActiveModel {
                profile_id: Set(profile_id),
                code: Set(u.code.to_owned()),
                title: Set(text(u.title).to_stored()),
                knowledge: Set(text(u.knowledge).to_stored()),
                skills: Set(text(u.skills).to_stored()),
                competence: Set(text(u.competence).to_stored()),
                position: Set(i32::try_from(position).unwrap_or(0) + 1),
                status: Set(published.to_owned()),
                created_at: Set(at),
                updated_at: Set(at),
                ..Default::default()
            })
            .exec(conn)
            .await?
            .last_insert_id;
            unit_ids.insert(u.code, id);
        }
    }
    for (country, code, eqf, title, units) in QUALIFICATIONS {
        let id = qualification::Entity::insert(qualification::ActiveModel {
            country: Set((*country).to_owned()),
            code: Set((*code).to_owned()),
            title: Set(text(*title).to_stored()),
            eqf_level: Set(*eqf),
            status: Set(published.to_owned()),
            created_at: Set(at),
            updated_at: Set(at),
            ..Default::default()
        })
        .exec(conn)
        .await?
        .last_insert_id;
        qualification_unit::Entity::insert_many(
            units
                .iter()
                .map(|u| qualification_unit::ActiveModel { qualification_id: Set(id), unit_id: Set(unit_ids[u]) }),
        )
        .exec_without_returning(conn)
        .await?;
    }
    Ok(())
}

type SeedItem = (&'static str, Text, CharterPhase, bool);

const CENTRE_CHARTER: &[(Text, &[SeedItem])] = &[
    (
        ("Mobility offer and partnership", "Offre de mobilité et partenariat"),
        &[
            (
                "C-OFF-1",
                (
                    "Publish accurate mobility offers: profile, EQF level, period, places and working language.",
                    "Publier des offres de mobilité exactes : profil, niveau CEC, période, places et langue de travail.",
                ),
                CharterPhase::General,
                false,
            ),
            (
                "C-OFF-2",
                (
                    "Sign a partnership agreement with the partner centre before the first mobility, naming the units of learning outcomes concerned, how they are assessed and how they are recognised.",
                    "Signer un accord de partenariat avec le centre partenaire avant la première mobilité, précisant les unités d'acquis d'apprentissage concernées, leur évaluation et leur reconnaissance.",
                ),
                CharterPhase::Prepare,
                true,
            ),
        ],
    ),
    (
        ("Preparing the mobility", "Préparation de la mobilité"),
        &[
            (
                "C-PREP-1",
                (
                    "Select participants on transparent criteria and prepare them linguistically and culturally.",
                    "Sélectionner les participants selon des critères transparents et les préparer sur les plans linguistique et culturel.",
                ),
                CharterPhase::Prepare,
                false,
            ),
            (
                "C-PREP-2",
                (
                    "Sign a learning agreement for each learner: units of learning outcomes, activities and assessment.",
                    "Signer un contrat pédagogique pour chaque apprenant : unités d'acquis d'apprentissage, activités et évaluation.",
                ),
                CharterPhase::Prepare,
                true,
            ),
            (
                "C-PREP-3",
                (
                    "Check that insurance (health, civil liability, accident) covers the whole stay.",
                    "Vérifier que les assurances (santé, responsabilité civile, accident) couvrent tout le séjour.",
                ),
                CharterPhase::Prepare,
                true,
            ),
            (
                "C-PREP-4",
                (
                    "Arrange safe accommodation and inform learners and their families before departure.",
                    "Organiser un hébergement sûr et en informer les apprenants et leurs familles avant le départ.",
                ),
                CharterPhase::Prepare,
                true,
            ),
            (
                "C-PREP-5",
                (
                    "Name a tutor at the host centre and a mentor at the sending centre, and share emergency contacts.",
                    "Désigner un tuteur au centre d'accueil et un référent au centre d'envoi, et partager les contacts d'urgence.",
                ),
                CharterPhase::Prepare,
                true,
            ),
        ],
    ),
    (
        ("Reception and monitoring during the stay", "Accueil et suivi pendant le séjour"),
        &[
            (
                "C-DUR-1",
                (
                    "Welcome learners on arrival with an induction to the company, the town and local rules.",
                    "Accueillir les apprenants à leur arrivée par une présentation de l'entreprise, de la ville et des règles locales.",
                ),
                CharterPhase::During,
                false,
            ),
            (
                "C-DUR-2",
                (
                    "Keep in regular contact, at least weekly, with each learner and company tutor.",
                    "Garder un contact régulier, au moins hebdomadaire, avec chaque apprenant et chaque tuteur en entreprise.",
                ),
                CharterPhase::During,
                false,
            ),
            (
                "C-DUR-3",
                (
                    "Handle any incident promptly and inform the partner centre the same day.",
                    "Traiter tout incident sans délai et en informer le centre partenaire le jour même.",
                ),
                CharterPhase::During,
                false,
            ),
            (
                "C-DUR-4",
                (
                    "Support the learner's daily life and intercultural integration outside the workplace.",
                    "Accompagner la vie quotidienne de l'apprenant et son intégration interculturelle hors du travail.",
                ),
                CharterPhase::During,
                false,
            ),
        ],
    ),
    (
        ("Assessment, recognition and follow-up", "Évaluation, reconnaissance et suivi"),
        &[
            (
                "C-FU-1",
                (
                    "Assess the learning outcomes achieved abroad as agreed and send the results to the sending centre.",
                    "Évaluer les acquis obtenus à l'étranger comme convenu et transmettre les résultats au centre d'envoi.",
                ),
                CharterPhase::FollowUp,
                false,
            ),
            (
                "C-FU-2",
                (
                    "Validate and recognise the units achieved abroad in the learner's home qualification.",
                    "Valider et reconnaître les unités acquises à l'étranger dans la qualification du pays d'origine.",
                ),
                CharterPhase::FollowUp,
                false,
            ),
            (
                "C-FU-3",
                (
                    "Collect the evaluation of the mobility by the learner, the company tutor and the partner centre.",
                    "Recueillir l'évaluation de la mobilité par l'apprenant, le tuteur en entreprise et le centre partenaire.",
                ),
                CharterPhase::FollowUp,
                false,
            ),
            (
                "C-FU-4",
                (
                    "Share lessons learned with the network to improve the quality process.",
                    "Partager les enseignements avec le réseau pour améliorer la démarche qualité.",
                ),
                CharterPhase::FollowUp,
                false,
            ),
        ],
    ),
];

const COMPANY_CHARTER: &[(Text, &[SeedItem])] = &[
    (
        ("Academic commitments", "Engagements pédagogiques"),
        &[
            (
                "CO-ACA-1",
                (
                    "Offer tasks that match the units of learning outcomes of the learner's learning agreement.",
                    "Confier des tâches correspondant aux unités d'acquis d'apprentissage du contrat pédagogique de l'apprenant.",
                ),
                CharterPhase::During,
                false,
            ),
            (
                "CO-ACA-2",
                (
                    "Name a tutor who supervises the learner and takes part in the assessment.",
                    "Désigner un tuteur qui encadre l'apprenant et participe à son évaluation.",
                ),
                CharterPhase::Prepare,
                true,
            ),
        ],
    ),
    (
        ("Social commitments", "Engagements sociaux"),
        &[
            (
                "CO-SOC-1",
                (
                    "Provide safe working conditions and a health and safety briefing on the first day.",
                    "Garantir des conditions de travail sûres et une information santé-sécurité dès le premier jour.",
                ),
                CharterPhase::During,
                false,
            ),
            (
                "CO-SOC-2",
                (
                    "Respect the working hours and rights that apply to learners.",
                    "Respecter les horaires et les droits applicables aux apprenants.",
                ),
                CharterPhase::During,
                false,
            ),
            (
                "CO-SOC-3",
                (
                    "Alert the training centre at once to any absence or incident.",
                    "Prévenir sans délai le centre de formation de toute absence ou de tout incident.",
                ),
                CharterPhase::During,
                false,
            ),
        ],
    ),
    (
        ("Intercultural commitments", "Engagements interculturels"),
        &[
            (
                "CO-INT-1",
                (
                    "Welcome the learner into the team and help with language and local customs.",
                    "Intégrer l'apprenant dans l'équipe et l'aider avec la langue et les usages locaux.",
                ),
                CharterPhase::During,
                false,
            ),
            (
                "CO-INT-2",
                (
                    "Give the learner feedback during and at the end of the placement.",
                    "Faire un retour à l'apprenant pendant et à la fin du stage.",
                ),
                CharterPhase::FollowUp,
                false,
            ),
        ],
    ),
];

fn charter(title: Text, introduction: Text, sections: &[(Text, &[SeedItem])]) -> NewVersion {
    NewVersion {
        title: text(title),
        introduction: text(introduction),
        sections: sections
            .iter()
            .map(|(title, items)| {
                let items = items
                    .iter()
                    .map(|(code, t, phase, blocking)| NewItem {
                        code: (*code).to_owned(),
                        text: text(*t),
                        phase: *phase,
                        blocking: *blocking,
                    })
                    .collect();
                (text(*title), items)
            })
            .collect(),
    }
}

async fn write_charters(conn: &impl ConnectionTrait) -> Result<()> {
    let centres = charter(
        (
            "NETINVET quality charter for member training centres",
            "Charte qualité NETINVET des centres de formation membres",
        ),
        (
            "The charter holds training centres to a quality process extending from mobility offers to follow-up and assessment. It goes beyond course content to include the daily life of learners in mobility in an intercultural context.",
            "La charte engage les centres de formation dans une démarche qualité qui va de l'offre de mobilité jusqu'au suivi et à l'évaluation. Elle dépasse le contenu des formations pour inclure la vie quotidienne des apprenants en mobilité dans un contexte interculturel.",
        ),
        CENTRE_CHARTER,
    );
    let companies = charter(
        ("NETINVET quality charter for host companies", "Charte qualité NETINVET des entreprises d'accueil"),
        (
            "Each member centre builds a network of companies that meet the network's requirements to offer high-quality work placements. The charter addresses the academic, social and intercultural aspects of the placement; it does not replace the learning agreement or contract of each mobility.",
            "Chaque centre membre constitue un réseau d'entreprises répondant aux exigences du réseau pour offrir des stages de qualité. La charte porte sur les aspects pédagogiques, sociaux et interculturels du stage ; elle ne remplace pas le contrat pédagogique ni la convention de chaque mobilité.",
        ),
        COMPANY_CHARTER,
    );
    crate::charters::insert_published(conn, CharterKind::Centres, 1, &centres, adopted_on()).await?;
    crate::charters::insert_published(conn, CharterKind::Companies, 1, &companies, adopted_on()).await?;
    Ok(())
}

async fn write_news(conn: &impl ConnectionTrait) -> Result<()> {
    crate::news::insert_published(
        conn,
        "portal-opens",
        text(("The NETINVET portal opens its public space", "Le portail NETINVET ouvre son espace public")),
        text((
            "Member centres, shared references and both quality charters are now online, in English and French.",
            "Centres membres, référentiels partagés et chartes qualité sont désormais en ligne, en anglais et en français.",
        )),
        text((
            "The network's portal now presents:\n\n- the **member directory**, searchable by country, sector, profile, EQF level, language and label;\n- the **shared references**: professional profiles described as units of learning outcomes;\n- the two **quality charters**, with their history.\n\nTraining centres that wish to join can [apply online](/join).",
            "Le portail du réseau présente désormais :\n\n- l'**annuaire des membres**, filtrable par pays, secteur, profil, niveau CEC, langue et label ;\n- les **référentiels partagés** : des profils professionnels décrits en unités d'acquis d'apprentissage ;\n- les deux **chartes qualité**, avec leur historique.\n\nLes centres de formation qui souhaitent nous rejoindre peuvent [candidater en ligne](/join).",
        )),
        adopted_on(),
    )
    .await
}
