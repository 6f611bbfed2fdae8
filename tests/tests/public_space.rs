//! Issue 3 on SQLite and on PostgreSQL: the public space (home figures, member directory and its
//! filters, centre profiles, references, charters, news, sitemap), the application to join with
//! its acknowledgement, the committee's maintenance of references, charters and news, and the
//! centres' own declarations with their isolation.

use chrono::Duration;
use netinvet_tests::{DEMO_PASSWORD, TestApp, csrf_token, on_both_databases, post_form, sign_in};

const LYON_ADMIN: &str = "admin.lyon@demo.netinvet.example";
const LYON_TEACHER: &str = "teacher.lyon@demo.netinvet.example";
const KOELN_ADMIN: &str = "admin.koeln@demo.netinvet.example";
const COMMITTEE: &str = "committee@demo.netinvet.example";

fn location(response: &axum_test::TestResponse) -> String {
    response.header("location").to_str().expect("location header").to_owned()
}

/// The centres listed on a directory page, by slug.
fn listed(html: &str) -> Vec<String> {
    html.split("<h3><a href=\"/members/").skip(1).filter_map(|s| s.split('"').next()).map(str::to_owned).collect()
}

/// Both languages' inputs for a translatable field.
fn both<'a>(field: &str, en: &'a str, fr: &'a str) -> Vec<(String, &'a str)> {
    vec![(format!("{field}_en"), en), (format!("{field}_fr"), fr)]
}

async fn post(
    client: &axum_test::TestServer,
    page: &str,
    action: &str,
    fields: Vec<(String, &str)>,
) -> axum_test::TestResponse {
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    post_form(client, page, action, &borrowed).await
}

on_both_databases! {
    async fn visitors_discover_the_network_in_two_languages(app: &TestApp) {
        let visitor = app.client();
        let home = visitor.get("/").await.text();
        for figure in [
            r#"<span class="figure">3</span> active member centres"#,
            r#"<span class="figure">3</span> countries"#,
            r#"<span class="figure">2</span> labelled centres"#,
            r#"<span class="figure">5</span> shared professional profiles"#,
        ] {
            assert!(home.contains(figure), "home lacks {figure}");
        }
        assert!(home.contains("The NETINVET portal opens its public space"), "latest news on the home page");

        let pages = [
            ("/members", "Member centres"),
            ("/members/bk-koeln", "Berufskolleg für Logistik Köln"),
            ("/references", "Import-export sales assistant"),
            ("/references/warehouse-technician", "WT-2 · Storage and inventory"),
            ("/references/qualifications?country=DE", "Fachkraft für Lagerlogistik"),
            ("/charters", "NETINVET quality charter for host companies"),
            ("/charters/centres", "Check that insurance (health, civil liability, accident) covers the whole stay."),
            ("/charters/companies/v/1", "Name a tutor who supervises the learner"),
            ("/news", "The NETINVET portal opens its public space"),
            ("/news/portal-opens", "<strong>member directory</strong>"),
            ("/join", "Send the application"),
        ];
        for (path, expected) in pages {
            let response = visitor.get(path).await;
            assert_eq!(response.status_code(), 200, "{path}");
            let html = response.text();
            assert!(html.contains(expected), "{path} lacks {expected:?}");
            assert!(html.contains("<meta name=\"description\" content=\""), "{path} has a description");
        }
        // The Köln profile: what it trains for, its label with validity, a way to get in touch.
        let koeln = visitor.get("/members/bk-koeln").await.text();
        assert!(koeln.contains("Road freight advanced driver") && koeln.contains("Fachkraft für Lagerlogistik"));
        assert!(koeln.contains("Awarded on 2024-03-01, valid until 2027-03-01."), "{koeln}");
        assert!(koeln.contains("mailto:contact.bk-koeln@demo.netinvet.example"));
        assert!(visitor.get("/members/cifp-valencia").await.text().contains("The centre has not been awarded the label."));
        // The profile page lists national qualifications of several countries covering its units.
        let profile = visitor.get("/references/import-export-sales-assistant").await.text();
        assert!(profile.contains("BTS Commerce international") || profile.contains("BTS International Trade"));
        assert!(profile.contains("Higher Technician in International Trade"));
        assert_eq!(visitor.get("/references/no-such-profile").await.status_code(), 404);
        assert_eq!(visitor.get("/charters/students").await.status_code(), 404);
        assert_eq!(visitor.get("/charters/centres/v/9").await.status_code(), 404);

        // The same pages in French through the switcher.
        let french = app.client();
        post_form(&french, "/", "/language", &[("language", "fr"), ("next", "/members")]).await.assert_status_see_other();
        for (path, expected) in [
            ("/", "centres membres actifs"),
            ("/members", "Centres membres trouvés : 3"),
            ("/references/transport-technician", "Technicien(ne) du transport"),
            ("/charters/centres", "Charte qualité NETINVET des centres de formation membres"),
            ("/news/portal-opens", "annuaire des membres"),
            ("/join", "Envoyer la candidature"),
        ] {
            let html = french.get(path).await.text();
            assert!(html.contains("<html lang=\"fr\">") && html.contains(expected), "{path} in French lacks {expected:?}");
        }

        // What search engines read.
        let sitemap = visitor.get("/sitemap.xml").await;
        assert_eq!(sitemap.header("content-type"), "application/xml; charset=utf-8");
        let sitemap = sitemap.text();
        for path in ["/members/lycee-lyon", "/references/road-freight-advanced-driver", "/charters/companies/v/1", "/news/portal-opens"] {
            assert!(sitemap.contains(&format!("http://netinvet.test{path}</loc>")), "sitemap lacks {path}: {sitemap}");
        }
        let robots = visitor.get("/robots.txt").await.text();
        assert!(robots.contains("Disallow: /c/") && robots.contains("Disallow: /committee/") && robots.contains("Sitemap: http://netinvet.test/sitemap.xml"));
    }

    async fn the_directory_filters_centres(app: &TestApp) {
        let visitor = app.client();
        let cases: &[(&str, &[&str])] = &[
            ("", &["bk-koeln", "cifp-valencia", "lycee-lyon"]),
            ("country=DE", &["bk-koeln"]),
            ("sector=international_trade", &["cifp-valencia", "lycee-lyon"]),
            ("profile=warehouse-technician", &["bk-koeln"]),
            ("eqf_level=5", &["cifp-valencia", "lycee-lyon"]),
            ("eqf_level=4", &["bk-koeln", "lycee-lyon"]),
            ("language=es", &["cifp-valencia"]),
            ("label=labelled", &["bk-koeln", "lycee-lyon"]),
            ("label=not_labelled", &["cifp-valencia"]),
            ("country=FR&eqf_level=4&label=labelled", &["lycee-lyon"]),
            ("country=PT", &[]),
        ];
        for (query, expected) in cases {
            let response = visitor.get(&format!("/members?{query}")).await;
            assert_eq!(response.status_code(), 200, "{query}");
            let mut found = listed(&response.text());
            found.sort();
            assert_eq!(found, *expected, "filter {query:?}");
        }
        let bad = visitor.get("/members?eqf_level=9&country=XX").await;
        assert_eq!(bad.status_code(), 400);
        let html = bad.text();
        assert!(html.contains("Choose an EQF level from 1 to 8.") && html.contains("id=\"country-error\""), "{html}");
        assert!(listed(&html).is_empty());

        // Labels run out: five years on, the Köln label (awarded 2024-03) has lapsed.
        app.clock.advance(Duration::days(365 * 5));
        let mut found = listed(&visitor.get("/members?label=labelled").await.text());
        found.sort();
        assert!(found.is_empty(), "expired labels are not shown as held: {found:?}");
        assert!(visitor.get("/members/bk-koeln").await.text().contains("The centre does not hold the label at present."));
        assert!(visitor.get("/").await.text().contains(r#"<span class="figure">0</span> labelled centres"#));
    }

    async fn a_training_centre_applies_to_join(app: &TestApp) {
        let visitor = app.client();
        post_form(&visitor, "/", "/language", &[("language", "fr"), ("next", "/join")]).await.assert_status_see_other();
        let refused = post_form(&visitor, "/join", "/join", &[
            ("centre_name", "Escola Profissional de Setúbal"), ("country", "ZZ"), ("city", ""),
            ("website", "setubal"), ("sectors", "space_travel"), ("contact_name", "Ana Pereira"),
            ("contact_email", "ana@"), ("contact_role", "Coordinator"), ("motivation", "We send learners."),
        ]).await;
        assert_eq!(refused.status_code(), 422);
        let html = refused.text();
        for (field, message) in [
            ("country", "Choisissez un pays dans la liste."),
            ("city", "Ce champ est obligatoire."),
            ("website", "Saisissez une adresse web complète"),
            ("contact_email", "Saisissez une adresse e-mail valide"),
            ("consent", "le traitement de ces données pour que le comité puisse examiner"),
        ] {
            assert!(html.contains(&format!("id=\"{field}-error\"")), "no error shown for {field}");
            assert!(html.contains(message), "missing message {message:?}: {html}");
        }
        assert!(html.contains("value=\"Escola Profissional de Setúbal\""), "the form keeps what was typed");
        let committee = app.client();
        sign_in(&committee, COMMITTEE, DEMO_PASSWORD).await;
        assert!(committee.get("/committee/applications").await.text().contains("No application yet."), "nothing was stored");

        let accepted = post_form(&visitor, "/join", "/join", &[
            ("centre_name", "Escola Profissional de Setúbal"), ("country", "PT"), ("city", "Setúbal"),
            ("website", "https://eps.example.pt"), ("sectors", "transport_logistics"), ("languages", "pt"),
            ("languages", "en"), ("contact_name", "Ana Pereira"), ("contact_email", "ana.pereira@example.pt"),
            ("contact_role", "Mobility coordinator"), ("motivation", "We send 20 logistics learners abroad each year."),
            ("consent", "yes"),
        ]).await;
        assert_eq!(location(&accepted), "/join/thanks");
        assert!(visitor.get("/join/thanks").await.text().contains("Candidature reçue"));
        app.run_jobs().await;
        let emails = app.emails_to("ana.pereira@example.pt");
        assert_eq!(emails.len(), 1, "one acknowledgement");
        assert_eq!(emails[0].rendered.subject, "Candidature reçue : Escola Profissional de Setúbal");
        assert!(emails[0].rendered.text.contains("Bonjour Ana Pereira"));

        let list = committee.get("/committee/applications").await.text();
        assert!(list.contains("Escola Profissional de Setúbal") && list.contains("Ana Pereira"));
        let id = list.split("/committee/applications/").nth(1).and_then(|s| s.split('"').next()).unwrap().to_owned();
        let detail = committee.get(&format!("/committee/applications/{id}")).await.text();
        assert!(detail.contains("We send 20 logistics learners abroad each year.") && detail.contains("Transport &amp; Logistics"));
        assert!(detail.contains("Mobility coordinator") && detail.contains("eps.example.pt"));
        // An applicant is not a member: not listed, no public profile, not in the sitemap.
        assert!(!visitor.get("/members").await.text().contains("Setúbal"));
        assert_eq!(visitor.get("/members/escola-profissional-de-setubal").await.status_code(), 404);
        assert!(!visitor.get("/sitemap.xml").await.text().contains("setubal"));
        // The home figures count active centres only.
        assert!(visitor.get("/").await.text().contains(r#"<span class="figure">3</span>"#));
        // Centre admins do not see applications.
        let lyon = app.client();
        sign_in(&lyon, LYON_ADMIN, DEMO_PASSWORD).await;
        assert_eq!(lyon.get("/committee/applications").await.status_code(), 404);
        assert_eq!(lyon.get(&format!("/committee/applications/{id}")).await.status_code(), 404);
        // The form is rate-limited per client.
        let limited = app.client_with_rate_limit(3);
        let token = csrf_token(&limited.get("/join").await.text());
        let mut statuses = Vec::new();
        for _ in 0..5 {
            let r = limited.post("/join").form(&[("csrf_token", token.as_str()), ("centre_name", "Spam")]).await;
            statuses.push(r.status_code().as_u16());
        }
        assert_eq!(statuses, vec![422, 422, 422, 429, 429]);
    }

    async fn the_committee_maintains_the_references(app: &TestApp) {
        let committee = app.client();
        sign_in(&committee, COMMITTEE, DEMO_PASSWORD).await;
        let visitor = app.client();
        let index = "/committee/references";

        let bad_sector = post(&committee, index, "/committee/references/sectors", [
            vec![("code".to_owned(), "car maintenance!")], both("name", "Car Maintenance", ""),
        ].concat()).await;
        assert_eq!(bad_sector.status_code(), 422);
        let html = bad_sector.text();
        assert!(html.contains("Use 2 or more letters") && html.contains("id=\"name_fr-error\""), "{html}");
        let taken = post(&committee, index, "/committee/references/sectors", [
            vec![("code".to_owned(), "international_trade")], both("name", "Trade", "Commerce"),
        ].concat()).await;
        assert!(taken.text().contains("This code is already used."));
        let sector = location(&post(&committee, index, "/committee/references/sectors", [
            vec![("code".to_owned(), "hospitality")], both("name", "Hospitality", "Hôtellerie-restauration"),
        ].concat()).await);
        let sector_id = sector.rsplit('/').next().unwrap().to_owned();

        let profile_fields = |eqf: &'static str| [
            vec![("code".to_owned(), "receptionist"), ("sector".to_owned(), sector_id.as_str()), ("eqf_level".to_owned(), eqf)],
            both("title", "Hotel receptionist", "Réceptionniste en hôtellerie"),
            both("description", "Welcomes guests.", "Accueille la clientèle."),
        ].concat();
        let bad_profile = post(&committee, "/committee/references/profiles/new", "/committee/references/profiles/new", profile_fields("9")).await;
        assert_eq!(bad_profile.status_code(), 422);
        assert!(bad_profile.text().contains("Choose an EQF level from 1 to 8."));
        let profile = location(&post(&committee, "/committee/references/profiles/new", "/committee/references/profiles/new", profile_fields("4")).await);
        let profile_id = profile.rsplit('/').next().unwrap().to_owned();
        assert_eq!(visitor.get("/references/receptionist").await.status_code(), 404, "a draft is not public");

        let unit_fields = |code: &'static str, title: &'static str| [
            vec![("code".to_owned(), code)],
            both("title", title, title),
            both("knowledge", "Booking systems.", "Logiciels de réservation."),
            both("skills", "Check guests in and out.", "Gérer arrivées et départs."),
            both("competence", "Handles the desk alone.", "Tient seul la réception."),
        ].concat();
        let units = format!("/committee/references/profiles/{profile_id}/units");
        post(&committee, &profile, &units, unit_fields("REC-1", "Front desk")).await.assert_status_see_other();
        let duplicate = post(&committee, &profile, &units, unit_fields("REC-1", "Again")).await;
        assert_eq!(duplicate.status_code(), 422);
        assert!(duplicate.text().contains("Another unit of this profile already has this code."));
        post(&committee, &profile, &units, unit_fields("REC-2", "Guest relations")).await.assert_status_see_other();
        let page = committee.get(&profile).await.text();
        let unit_id = page.split("/committee/references/units/").nth(1).and_then(|s| s.split('"').next()).unwrap().to_owned();
        let unit2_id = page.split("/committee/references/units/").nth(2).and_then(|s| s.split('"').next()).unwrap().to_owned();

        // Publishing needs the sector published first.
        let status = |piece: &str, id: &str| format!("/committee/references/{piece}/{id}/status");
        let refused = post(&committee, &profile, &status("profiles", &profile_id), vec![("transition".to_owned(), "publish")]).await;
        assert_eq!(location(&refused), format!("{profile}?refused=error.sector_not_published"));
        assert!(committee.get(&location(&refused)).await.text().contains("Publish the sector before its profiles."));
        post(&committee, &sector, &status("sectors", &sector_id), vec![("transition".to_owned(), "publish")]).await.assert_status_see_other();
        post(&committee, &profile, &status("profiles", &profile_id), vec![("transition".to_owned(), "publish")]).await.assert_status_see_other();
        let public = visitor.get("/references/receptionist").await.text();
        assert!(public.contains("REC-1 · Front desk") && public.contains("REC-2 · Guest relations"), "units published with the profile");

        // A national qualification covering REC-1; a bad one is refused field by field.
        let qual_page = "/committee/references/qualifications";
        let bad_qual = post(&committee, qual_page, qual_page, [
            vec![("country".to_owned(), "XX"), ("code".to_owned(), "cap-hotel"), ("eqf_level".to_owned(), "0"), ("units".to_owned(), "999999")],
            both("title", "CAP Hotel services", "CAP Services hôteliers"),
        ].concat()).await;
        assert_eq!(bad_qual.status_code(), 422);
        let html = bad_qual.text();
        assert!(html.contains("id=\"country-error\"") && html.contains("id=\"eqf_level-error\"") && html.contains("id=\"units-error\""));
        let qualification = location(&post(&committee, qual_page, qual_page, [
            vec![("country".to_owned(), "FR"), ("code".to_owned(), "cap-hotel"), ("eqf_level".to_owned(), "3"), ("units".to_owned(), unit_id.as_str())],
            both("title", "CAP Hotel services", "CAP Services hôteliers"),
        ].concat()).await);
        let qualification_id = qualification.rsplit('/').next().unwrap().to_owned();
        assert!(!visitor.get("/references/receptionist").await.text().contains("CAP Hotel services"), "draft qualification hidden");
        post(&committee, &qualification, &status("qualifications", &qualification_id), vec![("transition".to_owned(), "publish")]).await.assert_status_see_other();
        assert!(visitor.get("/references/receptionist").await.text().contains("CAP Hotel services"));

        // A published unit is never deleted: it is retired, and disappears from the public page.
        let unit = format!("/committee/references/units/{unit2_id}");
        let delete = post(&committee, &unit, &format!("/committee/references/units/{unit2_id}/delete"), vec![]).await;
        assert_eq!(location(&delete), format!("{unit}?refused=error.retire_not_delete"));
        assert!(committee.get(&location(&delete)).await.text().contains("A published reference is never deleted: retire it instead."));
        assert_eq!(committee.get(&unit).await.status_code(), 200, "still there");
        post(&committee, &unit, &status("units", &unit2_id), vec![("transition".to_owned(), "retire")]).await.assert_status_see_other();
        let public = visitor.get("/references/receptionist").await.text();
        assert!(public.contains("REC-1") && !public.contains("REC-2"), "the retired unit is no longer offered");
        // Retiring twice is not a transition.
        let again = post(&committee, &unit, &status("units", &unit2_id), vec![("transition".to_owned(), "retire")]).await;
        assert_eq!(location(&again), format!("{unit}?refused=error.transition_invalid"));
        // A published unit's code is frozen; its texts can be corrected.
        let frozen = post(&committee, &format!("/committee/references/units/{unit_id}"), &format!("/committee/references/units/{unit_id}"), unit_fields("REC-9", "Front desk")).await;
        assert!(frozen.text().contains("The code of a published reference cannot change."));
        post(&committee, &format!("/committee/references/units/{unit_id}"), &format!("/committee/references/units/{unit_id}"), unit_fields("REC-1", "Front desk and bookings")).await.assert_status_see_other();
        assert!(visitor.get("/references/receptionist").await.text().contains("Front desk and bookings"));

        // A draft that something refers to cannot be deleted either.
        let draft = location(&post(&committee, "/committee/references/profiles/new", "/committee/references/profiles/new", [
            vec![("code".to_owned(), "night-auditor"), ("sector".to_owned(), sector_id.as_str()), ("eqf_level".to_owned(), "4")],
            both("title", "Night auditor", "Veilleur de nuit"), both("description", "Closes the day.", "Clôture la journée."),
        ].concat()).await);
        let draft_id = draft.rsplit('/').next().unwrap().to_owned();
        post(&committee, &draft, &format!("/committee/references/profiles/{draft_id}/units"), unit_fields("NA-1", "Night audit")).await.assert_status_see_other();
        let in_use = post(&committee, &draft, &format!("/committee/references/profiles/{draft_id}/delete"), vec![]).await;
        assert_eq!(location(&in_use), format!("{draft}?refused=error.in_use"));
        let na_unit = committee.get(&draft).await.text().split("/committee/references/units/").nth(1).and_then(|s| s.split('"').next()).unwrap().to_owned();
        post(&committee, &draft, &format!("/committee/references/units/{na_unit}/delete"), vec![]).await.assert_status_see_other();
        let deleted = post(&committee, &draft, &format!("/committee/references/profiles/{draft_id}/delete"), vec![]).await;
        assert_eq!(location(&deleted), "/committee/references");
        assert_eq!(committee.get(&draft).await.status_code(), 404);

        // The directory offers the new profile as a filter; nobody trains for it yet.
        let directory = visitor.get("/members?profile=receptionist").await;
        assert_eq!(directory.status_code(), 200);
        assert!(listed(&directory.text()).is_empty());
        // None of this is open to a centre admin.
        let lyon = app.client();
        sign_in(&lyon, LYON_ADMIN, DEMO_PASSWORD).await;
        for path in [index.to_owned(), profile.clone(), unit.clone(), qualification.clone(), "/committee/references/qualifications".to_owned()] {
            assert_eq!(lyon.get(&path).await.status_code(), 404, "{path}");
        }
        let token = csrf_token(&lyon.get("/").await.text());
        let forged = lyon.post(&status("units", &unit_id)).form(&[("csrf_token", token.as_str()), ("transition", "retire")]).await;
        assert_eq!(forged.status_code(), 404);
        assert!(visitor.get("/references/receptionist").await.text().contains("REC-1"));
    }

    async fn charters_are_versioned_and_history_stays_readable(app: &TestApp) {
        let committee = app.client();
        sign_in(&committee, COMMITTEE, DEMO_PASSWORD).await;
        let start = post_form(&committee, "/committee/charters", "/committee/charters/centres/draft", &[]).await;
        assert_eq!(location(&start), "/committee/charters/centres/v/2");
        // Asking again returns the same draft.
        let again = post_form(&committee, "/committee/charters", "/committee/charters/centres/draft", &[]).await;
        assert_eq!(location(&again), "/committee/charters/centres/v/2");
        let draft = "/committee/charters/centres/v/2";
        let visitor = app.client();
        assert_eq!(visitor.get("/charters/centres/v/2").await.status_code(), 404, "a draft is not public");
        assert!(visitor.get("/charters/centres").await.text().contains("Version 1, in force since 2025-01-15."));

        let page = committee.get(draft).await.text();
        let section_id = page.split("name=\"action\" value=\"add-item\"><input type=\"hidden\" name=\"target\" value=\"").nth(1).and_then(|s| s.split('"').next()).unwrap().to_owned();
        let duplicate = post(&committee, draft, draft, [
            vec![("action".to_owned(), "add-item"), ("target".to_owned(), section_id.as_str()), ("code".to_owned(), "C-OFF-1"), ("phase".to_owned(), "prepare")],
            both("text", "Duplicate", "Doublon"),
        ].concat()).await;
        assert_eq!(duplicate.status_code(), 422);
        assert!(duplicate.text().contains("This code is already used."));
        post(&committee, draft, draft, [
            vec![("action".to_owned(), "add-item"), ("target".to_owned(), section_id.as_str()), ("code".to_owned(), "C-OFF-3"), ("phase".to_owned(), "prepare"), ("blocking".to_owned(), "on")],
            both("text", "Keep the offer's places up to date.", "Tenir à jour les places de l'offre."),
        ].concat()).await.assert_status_see_other();
        post(&committee, draft, draft, [vec![("action".to_owned(), "add-section")], both("title", "Digital tools", "Outils numériques")].concat()).await.assert_status_see_other();
        let empty = post_form(&committee, draft, "/committee/charters/centres/v/2/publish", &[("action", "publish")]).await;
        assert_eq!(empty.status_code(), 422);
        assert!(empty.text().contains("Every section needs at least one commitment"));
        let page = committee.get(draft).await.text();
        let new_section = page.split("name=\"action\" value=\"add-item\"><input type=\"hidden\" name=\"target\" value=\"").nth(5).and_then(|s| s.split('"').next()).unwrap().to_owned();
        post(&committee, draft, draft, [
            vec![("action".to_owned(), "add-item"), ("target".to_owned(), new_section.as_str()), ("code".to_owned(), "C-DIG-1"), ("phase".to_owned(), "during")],
            both("text", "Use the portal's shared record for every mobility.", "Utiliser le dossier partagé du portail pour chaque mobilité."),
        ].concat()).await.assert_status_see_other();
        post(&committee, draft, draft, [
            vec![("action".to_owned(), "heading")],
            both("title", "NETINVET quality charter for member training centres (2026)", "Charte qualité NETINVET des centres de formation membres (2026)"),
            both("introduction", "Revised with the portal.", "Révisée avec le portail."),
        ].concat()).await.assert_status_see_other();

        app.clock.advance(Duration::days(10));
        let published = post_form(&committee, draft, "/committee/charters/centres/v/2/publish", &[("action", "publish")]).await;
        assert_eq!(location(&published), "/charters/centres");
        let current = visitor.get("/charters/centres").await.text();
        assert!(current.contains("Version 2, in force since 2026-09-11.") && current.contains("C-DIG-1") && current.contains("(2026)"));
        let old = visitor.get("/charters/centres/v/1").await.text();
        assert!(old.contains("Version 1, in force from 2025-01-15 to 2026-09-11; it has been replaced."), "{old}");
        assert!(!old.contains("C-DIG-1"), "the old version keeps its own content");
        assert!(current.contains("href=\"/charters/centres/v/1\""), "the history links the old version");
        // A published version is never edited.
        let frozen = post(&committee, draft, draft, [vec![("action".to_owned(), "add-section")], both("title", "Late", "Tardif")].concat()).await;
        assert_eq!(frozen.status_code(), 422);
        assert!(frozen.text().contains("This version is published and cannot be changed; draft a new version."));
        assert!(!visitor.get("/charters/centres").await.text().contains("Late"));
        // The companies' charter is untouched; a draft can be discarded.
        let companies = post_form(&committee, "/committee/charters", "/committee/charters/companies/draft", &[]).await;
        assert_eq!(location(&companies), "/committee/charters/companies/v/2");
        post_form(&committee, "/committee/charters/companies/v/2", "/committee/charters/companies/v/2/publish", &[("action", "discard")]).await.assert_status_see_other();
        assert_eq!(committee.get("/committee/charters/companies/v/2").await.status_code(), 404);
        assert!(visitor.get("/charters/companies").await.text().contains("Version 1, in force since 2025-01-15."));
        // Committee only.
        let lyon = app.client();
        sign_in(&lyon, LYON_ADMIN, DEMO_PASSWORD).await;
        assert_eq!(lyon.get("/committee/charters").await.status_code(), 404);
        assert_eq!(post_form(&lyon, "/", "/committee/charters/centres/draft", &[]).await.status_code(), 404);
    }

    async fn news_is_markdown_and_script_never_reaches_readers(app: &TestApp) {
        let committee = app.client();
        sign_in(&committee, COMMITTEE, DEMO_PASSWORD).await;
        let body = "## Spring meeting\n\nCentres meet in **Lyon**.<script>alert('x')</script>\n\n<img src=x onerror=alert(1)>\n\n[Programme](javascript:alert(2))";
        let bad = post(&committee, "/committee/news/new", "/committee/news/new", [
            vec![("slug".to_owned(), "Spring Meeting")], both("title", "Spring meeting", ""), both("summary", "s", "s"), both("body", body, body),
        ].concat()).await;
        assert_eq!(bad.status_code(), 422);
        assert!(bad.text().contains("id=\"slug-error\"") && bad.text().contains("id=\"title_fr-error\""));
        let article = location(&post(&committee, "/committee/news/new", "/committee/news/new", [
            vec![("slug".to_owned(), "spring-meeting")],
            both("title", "Spring meeting", "Réunion de printemps"),
            both("summary", "The network meets in Lyon.", "Le réseau se réunit à Lyon."),
            both("body", body, body),
        ].concat()).await);
        let visitor = app.client();
        assert_eq!(visitor.get("/news/spring-meeting").await.status_code(), 404, "a draft is not public");
        post_form(&committee, &article, &format!("{article}/publish"), &[("action", "publish")]).await.assert_status_see_other();
        let html = visitor.get("/news/spring-meeting").await.text();
        assert!(html.contains("<h2>Spring meeting</h2>") && html.contains("<strong>Lyon</strong>"), "{html}");
        assert!(!html.contains("alert"), "no script, handler or javascript: link survives: {html}");
        assert!(visitor.get("/news").await.text().contains("Spring meeting"));
        post_form(&committee, &article, &format!("{article}/publish"), &[("action", "withdraw")]).await.assert_status_see_other();
        assert_eq!(visitor.get("/news/spring-meeting").await.status_code(), 404);
    }

    async fn centres_declare_what_they_train_for_and_only_for_themselves(app: &TestApp) {
        let lyon = app.client();
        sign_in(&lyon, LYON_ADMIN, DEMO_PASSWORD).await;
        // The admin reads French by preference; the checkbox labels are read in English here.
        post_form(&lyon, "/", "/language", &[("language", "en"), ("next", "/")]).await.assert_status_see_other();
        let page = lyon.get("/c/lycee-lyon/profile").await.text();
        let id_of = |html: &str, title: &str| -> String {
            let before = html.split(title).next().unwrap();
            before.rsplit("value=\"").next().unwrap().split('"').next().unwrap().to_owned()
        };
        let warehouse = id_of(&page, "Warehouse technician (EQF 4)");
        let bts_ci = id_of(&page, "BTS International Trade");
        let koeln_page = { let k = app.client(); sign_in(&k, KOELN_ADMIN, DEMO_PASSWORD).await; k.get("/c/bk-koeln/profile").await.text() };
        let german_qualification = id_of(&koeln_page, "Fachkraft für Lagerlogistik");

        let refused = post_form(&lyon, "/c/lycee-lyon/profile", "/c/lycee-lyon/profile", &[
            ("profiles", &warehouse), ("qualifications", &german_qualification), ("languages", "fr"),
            ("website", "not a url"), ("contact_email", "mobilite@"), ("about", ""),
        ]).await;
        assert_eq!(refused.status_code(), 422);
        let html = refused.text();
        assert!(html.contains("Choose national qualifications of your centre"), "{html}");
        assert!(!html.contains("id=\"profiles-error\""), "the profile chosen is valid");
        assert!(html.contains("id=\"website-error\"") && html.contains("id=\"contact_email-error\""));
        assert!(app.client().get("/members/lycee-lyon").await.text().contains("Transport technician"), "nothing was changed");

        post_form(&lyon, "/c/lycee-lyon/profile", "/c/lycee-lyon/profile", &[
            ("profiles", &warehouse), ("qualifications", &bts_ci), ("languages", "fr"), ("languages", "it"),
            ("website", "https://www.lycee-lyon.example.fr"), ("contact_email", "mobilite@lycee-lyon.example.fr"),
            ("about", "Three hundred learners in logistics."),
        ]).await.assert_status_see_other();
        let public = app.client().get("/members/lycee-lyon").await.text();
        assert!(public.contains("Warehouse technician") && !public.contains("Transport technician"));
        assert!(public.contains("mailto:mobilite@lycee-lyon.example.fr") && public.contains("Italian"));
        let mut found = listed(&app.client().get("/members?profile=warehouse-technician").await.text());
        found.sort();
        assert_eq!(found, ["bk-koeln", "lycee-lyon"]);

        // A teacher sees the declarations but cannot change them.
        let teacher = app.client();
        sign_in(&teacher, LYON_TEACHER, DEMO_PASSWORD).await;
        assert!(teacher.get("/c/lycee-lyon/profile").await.text().contains("Seuls les administrateurs") || teacher.get("/c/lycee-lyon/profile").await.text().contains("Only the centre's admins"));
        let forbidden = post_form(&teacher, "/c/lycee-lyon/profile", "/c/lycee-lyon/profile", &[("languages", "de")]).await;
        assert_eq!(forbidden.status_code(), 403);
        // Another centre's admin gets 404 and changes nothing.
        let koeln = app.client();
        sign_in(&koeln, KOELN_ADMIN, DEMO_PASSWORD).await;
        assert_eq!(koeln.get("/c/lycee-lyon/profile").await.status_code(), 404);
        let token = csrf_token(&koeln.get("/c/bk-koeln/profile").await.text());
        let forged = koeln.post("/c/lycee-lyon/profile").form(&[("csrf_token", token.as_str()), ("languages", "de")]).await;
        assert_eq!(forged.status_code(), 404);
        assert!(!forged.text().contains("Warehouse technician"));
        let public = app.client().get("/members/lycee-lyon").await.text();
        assert!(public.contains("Italian") && !public.contains("German"), "Lyon's declarations are untouched");
    }
}

#[tokio::test]
async fn declarations_are_protected_by_row_level_security() {
    let app = TestApp::new(netinvet_tests::Backend::Postgres).await;
    let application = netinvet_domain::FormData::new([
        ("centre_name", "Escola Profissional de Setúbal"),
        ("country", "PT"),
        ("city", "Setúbal"),
        ("sectors", "transport_logistics"),
        ("languages", "pt"),
        ("contact_name", "Ana Pereira"),
        ("contact_email", "ana.pereira@example.pt"),
        ("contact_role", "Coordinator"),
        ("motivation", "Logistics mobility."),
        ("consent", "yes"),
    ]);
    let now = netinvet_domain::Clock::now(&app.clock);
    netinvet_domain::applications::submit(&app.db, &application, netinvet_domain::Lang::En, now).await.unwrap();
    app.run_jobs().await;
    let pool = app.db.postgres_pool().expect("postgres");
    let mut tx = pool.begin().await.unwrap();
    let (unscoped,): (i64,) = sqlx::query_as("SELECT count(*) FROM centre_profiles").fetch_one(&mut *tx).await.unwrap();
    assert_eq!(unscoped, 0, "no tenant, no public read: nothing");
    sqlx::query("SELECT set_config('app.tenant_id', (SELECT id::text FROM centres WHERE slug = 'bk-koeln'), true)")
        .execute(&mut *tx)
        .await
        .unwrap();
    let (others,): (i64,) = sqlx::query_as(
        "SELECT count(*) FROM centre_profiles p JOIN centres c ON c.id = p.centre_id WHERE c.slug = 'lycee-lyon'",
    )
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    assert_eq!(others, 0, "Köln sees none of Lyon's declarations through the tenant scope");
    let (applications,): (i64,) =
        sqlx::query_as("SELECT count(*) FROM centre_applications").fetch_one(&mut *tx).await.unwrap();
    assert_eq!(applications, 0);
    let insert = sqlx::query(
        "INSERT INTO centre_profiles (centre_id, profile_id, created_at) SELECT c.id, p.id, now() FROM centres c, profiles p WHERE c.slug = 'lycee-lyon' AND p.code = 'warehouse-technician'",
    )
    .execute(&mut *tx)
    .await;
    assert!(insert.is_err(), "declaring for another centre is refused by the policy");
    tx.rollback().await.unwrap();

    // The public directory's read-only transaction reads every declaration and writes none.
    let mut tx = pool.begin().await.unwrap();
    sqlx::query("SET TRANSACTION READ ONLY").execute(&mut *tx).await.unwrap();
    sqlx::query("SELECT set_config('app.public_read', 'on', true)").execute(&mut *tx).await.unwrap();
    let (public,): (i64,) = sqlx::query_as("SELECT count(*) FROM centre_profiles").fetch_one(&mut *tx).await.unwrap();
    assert_eq!(public, 7, "3 + 3 + 1 demo declarations");
    let (hidden,): (i64,) =
        sqlx::query_as("SELECT count(*) FROM centre_applications").fetch_one(&mut *tx).await.unwrap();
    assert_eq!(hidden, 0, "applications are never public");
    let write = sqlx::query("DELETE FROM centre_profiles").execute(&mut *tx).await;
    assert!(write.is_err(), "a public read cannot write");
    tx.rollback().await.unwrap();
}
