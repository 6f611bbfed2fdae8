//! Issue 4 on SQLite and on PostgreSQL: a learner mobility from offer to recognition per unit
//! (offer → partner search → request → acceptance → partnership agreement → participants →
//! learning agreements → checklist → in progress → completed → results → recognition →
//! closed), a teacher mobility, the refusals on bad input, the message thread's hourly digest,
//! documents, exports, and a third centre that sees none of it.

use axum_test::multipart::{MultipartForm, Part};
use chrono::Duration;
use netinvet_tests::{DEMO_PASSWORD, TestApp, csrf_token, on_both_databases, post_form, sign_in};

const LYON_ADMIN: &str = "admin.lyon@demo.netinvet.example";
const KOELN_ADMIN: &str = "admin.koeln@demo.netinvet.example";
const VALENCIA_ADMIN: &str = "admin.valencia@demo.netinvet.example";

fn location(response: &axum_test::TestResponse) -> String {
    response.header("location").to_str().expect("location header").to_owned()
}

fn last_number(path: &str) -> String {
    path.trim_end_matches(|c: char| !c.is_ascii_digit())
        .rsplit('/')
        .next()
        .unwrap()
        .split('#')
        .next()
        .unwrap()
        .to_owned()
}

/// The value of the option or checkbox labelled `label` on `html`.
fn value_before(html: &str, label: &str) -> String {
    let before = html.split(label).next().unwrap_or_else(|| panic!("{label} not on the page"));
    before.rsplit("value=\"").next().unwrap().split('"').next().unwrap().to_owned()
}

async fn english(client: &axum_test::TestServer) {
    post_form(client, "/", "/language", &[("language", "en"), ("next", "/")]).await.assert_status_see_other();
}

/// Posts a form and expects a redirect; returns where to.
async fn ok(client: &axum_test::TestServer, page: &str, action: &str, fields: &[(&str, &str)]) -> String {
    let response = post_form(client, page, action, fields).await;
    assert_eq!(response.status_code(), 303, "{action} {fields:?} refused: {}", response.text());
    location(&response)
}

/// Posts a form and expects a refusal (422) containing `message`.
async fn refused(client: &axum_test::TestServer, page: &str, action: &str, fields: &[(&str, &str)], message: &str) {
    let response = post_form(client, page, action, fields).await;
    assert_eq!(response.status_code(), 422, "{action} {fields:?} should be refused");
    let html = response.text();
    assert!(html.contains(message), "{action}: expected {message:?} in {html}");
}

on_both_databases! {
    async fn a_learner_mobility_runs_from_offer_to_recognition(app: &TestApp) {
        let koeln = app.client();
        sign_in(&koeln, KOELN_ADMIN, DEMO_PASSWORD).await;
        let lyon = app.client();
        sign_in(&lyon, LYON_ADMIN, DEMO_PASSWORD).await;
        english(&lyon).await;
        let valencia = app.client();
        sign_in(&valencia, VALENCIA_ADMIN, DEMO_PASSWORD).await;

        // Köln publishes an offer; a bad one is refused field by field.
        let offers = "/c/bk-koeln/offers";
        let page = koeln.get(offers).await.text();
        let technician = value_before(&page, "Transport technician (EQF 4)");
        refused(&koeln, offers, offers, &[
            ("profile", &technician), ("mobility_type", "learner"), ("window_start", "2027-04-30"), ("window_end", "2027-03-01"),
            ("places", "0"), ("working_language", "de"), ("application_deadline", "2027-01-31"),
        ], "The end comes before the start.").await;
        ok(&koeln, offers, offers, &[
            ("profile", &technician), ("mobility_type", "learner"), ("window_start", "2027-03-01"), ("window_end", "2027-04-30"),
            ("places", "4"), ("working_language", "de"), ("application_deadline", "2027-01-31"),
            ("accommodation_help", "on"), ("tutoring", "on"), ("description", "Four weeks in freight forwarding companies."),
        ]).await;

        // Lyon finds it and requests places; bad requests write nothing.
        let search = lyon.get("/c/lycee-lyon/partners?country=DE&eqf_level=4&from=2027-03-01&to=2027-03-31").await.text();
        assert!(search.contains("Berufskolleg für Logistik Köln") && search.contains("4 of 4 places left"), "{search}");
        assert!(lyon.get("/c/lycee-lyon/partners?country=ES&mobility_type=learner").await.text().contains("No open offer matches"));
        let offer_path = search.split("/c/lycee-lyon/partners/offers/").nth(1).unwrap().split('"').next().unwrap().to_owned();
        let offer_page = format!("/c/lycee-lyon/partners/offers/{offer_path}");
        refused(&lyon, &offer_page, &offer_page, &[("participants", "5"), ("period_start", "2027-03-08"), ("period_end", "2027-03-26")],
            "More participants than the places left on the offer.").await;
        refused(&lyon, &offer_page, &offer_page, &[("participants", "2"), ("period_start", "2027-02-15"), ("period_end", "2027-03-10")],
            "The period must fall within the offer&#x27;s window.").await;
        assert!(lyon.get("/c/lycee-lyon/operations").await.text().contains("No mobility operation yet."), "nothing half-saved");
        let operation = ok(&lyon, &offer_page, &offer_page, &[
            ("participants", "2"), ("period_start", "2027-03-08"), ("period_end", "2027-03-26"), ("message", "Two learners in transport."),
        ]).await;
        let id = last_number(&operation);
        let lyon_op = format!("/c/lycee-lyon/operations/{id}");
        let koeln_op = format!("/c/bk-koeln/operations/{id}");
        // One record, seen by both centres; a third centre sees nothing.
        assert!(lyon.get(&lyon_op).await.text().contains("Requested"));
        assert!(koeln.get(&koeln_op).await.text().contains("Two learners in transport."));
        assert_eq!(valencia.get(&format!("/c/cifp-valencia/operations/{id}")).await.status_code(), 404);
        assert_eq!(valencia.get(&lyon_op).await.status_code(), 404);

        // Only the host accepts; then the charter's checklist appears and places are taken.
        refused(&lyon, &lyon_op, &format!("{lyon_op}/state"), &[("action", "accept")], "This step belongs to the other centre.").await;
        ok(&koeln, &koeln_op, &format!("{koeln_op}/state"), &[("action", "accept")]).await;
        let page = lyon.get(&lyon_op).await.text();
        assert!(page.contains("C-PREP-3") && page.contains("no partnership agreement chosen"), "{page}");
        assert!(koeln.get(offers).await.text().contains("2 of 4 places left"));

        // The partnership agreement: drafted by Lyon, signed by both.
        let agreements = "/c/lycee-lyon/agreements";
        let page = lyon.get(agreements).await.text();
        let (tt1, tt2, tt3, tt4) = (value_before(&page, "TT-1 · "), value_before(&page, "TT-2 · "), value_before(&page, "TT-3 · "), value_before(&page, "TT-4 · "));
        let iesa1 = value_before(&page, "IESA-1 · ");
        let profile = value_before(&page, "Transport technician (EQF 4)</label>");
        let terms = |units: Vec<&'static str>| units;
        let _ = terms;
        refused(&lyon, agreements, agreements, &[
            ("partner", "bk-koeln"), ("profiles", &profile), ("units", &tt1), ("units", &iesa1), ("assessment", "By the host tutor."),
            ("validation", "Jury at home."), ("recognition", "Units count towards the diploma."), ("valid_from", "2026-09-01"), ("valid_until", "2029-08-31"),
        ], "Choose units of the profiles concerned.").await;
        let agreement = ok(&lyon, agreements, agreements, &[
            ("partner", "bk-koeln"), ("profiles", &profile), ("units", &tt1), ("units", &tt2), ("units", &tt3), ("assessment", "By the host tutor with the shared grid."),
            ("validation", "Jury at home."), ("recognition", "Units count towards the diploma."), ("valid_from", "2026-09-01"), ("valid_until", "2029-08-31"),
        ]).await;
        let agreement_id = last_number(&agreement);
        ok(&lyon, &agreement, &format!("{agreement}/sign"), &[]).await;
        let koeln_agreement = format!("/c/bk-koeln/agreements/{agreement_id}");
        ok(&koeln, &koeln_agreement, &format!("{koeln_agreement}/sign"), &[]).await;
        assert!(lyon.get(&agreement).await.text().contains("Version 1 is in force"));
        assert_eq!(valencia.get(&format!("/c/cifp-valencia/agreements/{agreement_id}")).await.status_code(), 404);

        // Details, and the participants (the same person cannot be abroad twice at once).
        ok(&lyon, &lyon_op, &format!("{lyon_op}/details"), &[
            ("agreement", &agreement_id), ("accommodation", "Host families in Köln-Ehrenfeld."), ("insurance", "MAIF policy 123."),
            ("emergency_contacts", "Marc Dubois +33 6 00 00 00 00"),
        ]).await;
        let page = lyon.get(&lyon_op).await.text();
        let learner1 = value_before(&page, ">Léa Moreau</option>");
        let learner2 = value_before(&page, ">Hugo Laurent</option>");
        ok(&lyon, &lyon_op, &format!("{lyon_op}/participants"), &[("user", &learner1)]).await;
        ok(&lyon, &lyon_op, &format!("{lyon_op}/participants"), &[("user", &learner2)]).await;
        let second = ok(&lyon, &offer_page, &offer_page, &[("participants", "1"), ("period_start", "2027-03-20"), ("period_end", "2027-04-02")]).await;
        let second_op = format!("/c/lycee-lyon/operations/{}", last_number(&second));
        let overlap = post_form(&lyon, &second_op, &format!("{second_op}/participants"), &[("user", &learner1)]).await;
        assert_eq!(overlap.status_code(), 422);
        assert!(overlap.text().contains("This person is already in another mobility at overlapping dates."));

        ok(&lyon, &lyon_op, &format!("{lyon_op}/state"), &[("action", "prepare")]).await;
        refused(&lyon, &lyon_op, &format!("{lyon_op}/state"), &[("action", "start")], "learning agreements without units or both signatures").await;

        // Learning agreements: units from the agreement only, signed by both.
        let page = lyon.get(&lyon_op).await.text();
        let las: Vec<String> = page.split(&format!("{lyon_op}/learning/")).skip(1).map(|s| s.split('"').next().unwrap().to_owned()).collect();
        assert_eq!(las.len(), 2);
        for (la, units) in [(&las[0], vec![&tt1, &tt2]), (&las[1], vec![&tt3])] {
            let la_page = format!("{lyon_op}/learning/{la}");
            refused(&lyon, &la_page, &la_page, &[("action", "add-unit"), ("unit", &tt4), ("activities", "x"), ("assessment_method", "y")],
                "This unit is not in the partnership agreement in force.").await;
            for unit in units {
                ok(&lyon, &la_page, &la_page, &[("action", "add-unit"), ("unit", unit), ("activities", "Plan rounds for the regional depot."), ("assessment_method", "Observation by the tutor.")]).await;
            }
            ok(&lyon, &la_page, &la_page, &[("action", "sign")]).await;
            let koeln_la = format!("{koeln_op}/learning/{la}");
            ok(&koeln, &koeln_la, &koeln_la, &[("action", "sign")]).await;
        }
        refused(&lyon, &lyon_op, &format!("{lyon_op}/state"), &[("action", "start")], "blocking checklist items to do").await;

        // The checklist: each side ticks its own items; blocking ones gate the start.
        let page = lyon.get(&lyon_op).await.text();
        let mine: Vec<String> = page.split(&format!("{lyon_op}/checklist/")).skip(1).map(|s| s.split('"').next().unwrap().to_owned()).collect();
        assert!(mine.len() >= 7, "Lyon's preparation and follow-up items: {mine:?}");
        let foreign = format!("{koeln_op}/checklist/{}", mine[0]);
        let other_side = post_form(&koeln, &koeln_op, &foreign, &[("done", "true")]).await;
        assert_eq!(other_side.status_code(), 422);
        for item in &mine {
            ok(&lyon, &lyon_op, &format!("{lyon_op}/checklist/{item}"), &[("done", "true")]).await;
        }
        ok(&lyon, &lyon_op, &format!("{lyon_op}/state"), &[("action", "start")]).await;
        let page = koeln.get(&koeln_op).await.text();
        assert!(page.contains("In progress") && page.contains("done by Sophie Bernard"), "{page}");

        // After the stay: results by the host, recognition by the sender, per unit.
        let la0 = format!("{lyon_op}/learning/{}", las[0]);
        refused(&lyon, &la0, &la0, &[("action", "record"), ("recognition_1", "validated")], "").await;
        ok(&koeln, &koeln_op, &format!("{koeln_op}/state"), &[("action", "complete")]).await;
        refused(&lyon, &lyon_op, &format!("{lyon_op}/state"), &[("action", "evaluate")], "units without a result").await;
        for la in &las {
            let koeln_la = format!("{koeln_op}/learning/{la}");
            let html = koeln.get(&koeln_la).await.text();
            let rows: Vec<String> = html.split("name=\"result_").skip(1).map(|s| s.split('"').next().unwrap().to_owned()).collect();
            let mut fields: Vec<(String, String)> = vec![("action".into(), "record".into())];
            for (i, row) in rows.iter().enumerate() {
                fields.push((format!("result_{row}"), if i == 0 { "achieved".into() } else { "partly_achieved".into() }));
                fields.push((format!("note_{row}"), "Good autonomy.".into()));
            }
            let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            ok(&koeln, &koeln_la, &koeln_la, &borrowed).await;
        }
        ok(&lyon, &lyon_op, &format!("{lyon_op}/state"), &[("action", "evaluate")]).await;
        refused(&lyon, &lyon_op, &format!("{lyon_op}/state"), &[("action", "close")], "units without recognition").await;
        for la in &las {
            let lyon_la = format!("{lyon_op}/learning/{la}");
            let html = lyon.get(&lyon_la).await.text();
            let rows: Vec<String> = html.split("name=\"recognition_").skip(1).filter(|s| !s.starts_with("date")).map(|s| s.split('"').next().unwrap().to_owned()).collect();
            let mut fields: Vec<(String, String)> = vec![("action".into(), "record".into())];
            for row in &rows {
                fields.push((format!("recognition_{row}"), "validated".into()));
                fields.push((format!("recognition_date_{row}"), "2027-04-15".into()));
            }
            let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            ok(&lyon, &lyon_la, &lyon_la, &borrowed).await;
            let html = koeln.get(&format!("{koeln_op}/learning/{la}")).await.text();
            assert!(html.contains("Validated, 2027-04-15") && html.contains("Achieved"), "the host sees the recognition: {html}");
        }
        ok(&lyon, &lyon_op, &format!("{lyon_op}/state"), &[("action", "close")]).await;
        let history = koeln.get(&koeln_op).await.text();
        for step in ["Requested → Accepted", "Accepted → Preparing", "Preparing → In progress", "In progress → Completed", "Completed → Evaluated", "Evaluated → Closed"] {
            assert!(history.contains(step), "history lacks {step}");
        }

        // A third centre, on its own workspace's addresses, gets 404 for every route that names
        // this operation, its agreement, its learning agreement or checklist, or Köln's offer
        // (only the public partner search shows an open offer to everyone, by design).
        let koeln_offer = koeln.get(offers).await.text().split("/c/bk-koeln/partners/offers/").nth(1).unwrap().split('"').next().unwrap().to_owned();
        let token = csrf_token(&valencia.get("/c/cifp-valencia/").await.text());
        for (method, template) in netinvet_web::controllers::CENTRE_ROUTES {
            if !template.contains("{id}") || template.starts_with("/c/{slug}/partners/") || template.contains("/invitations/") {
                continue;
            }
            let id_value = if template.starts_with("/c/{slug}/agreements") {
                agreement_id.clone()
            } else if template.starts_with("/c/{slug}/offers") {
                koeln_offer.clone()
            } else {
                id.clone()
            };
            let path = template
                .replace("{slug}", "cifp-valencia")
                .replace("{id}", &id_value)
                .replace("{la}", &las[0])
                .replace("{item}", &mine[0])
                .replace("{doc}", "1");
            let response = match *method {
                "GET" => valencia.get(&path).await,
                _ => valencia.post(&path).form(&[("csrf_token", token.as_str()), ("action", "cancel"), ("reason", "x"), ("done", "true"), ("body", "x")]).await,
            };
            assert_eq!(response.status_code(), 404, "{method} {path} must be 404 for a third centre");
        }
        assert!(koeln.get(&koeln_op).await.text().contains("Closed"), "nothing the third centre sent changed the operation");

        // Exports.
        let csv = lyon.get("/c/lycee-lyon/operations/export.csv").await.text();
        assert!(csv.contains(&format!("{id},outgoing,learner,Lycée des métiers du commerce international de Lyon,Berufskolleg für Logistik Köln,2027-03-08,2027-03-26,2,closed")), "{csv}");
        let xlsx = koeln.get("/c/bk-koeln/operations/export.xlsx").await;
        assert!(xlsx.as_bytes().starts_with(b"PK"));
        let ics = koeln.get(&format!("{koeln_op}/calendar.ics")).await.text();
        assert!(ics.contains("DTSTART;VALUE=DATE:20270308") && ics.contains("DTEND;VALUE=DATE:20270327"), "{ics}");
        for path in [format!("/c/cifp-valencia/operations/{id}/calendar.ics"), format!("{lyon_op}/calendar.ics")] {
            assert_eq!(valencia.get(&path).await.status_code(), 404);
        }
        assert!(!valencia.get("/c/cifp-valencia/operations/export.csv").await.text().contains("Köln"));
        app.run_jobs().await;
        // Learners do not see the centre's mobility organisation (their space comes later).
        let learner = app.client();
        sign_in(&learner, "learner1.lyon@demo.netinvet.example", DEMO_PASSWORD).await;
        for path in ["/c/lycee-lyon/operations".to_owned(), lyon_op.clone(), "/c/lycee-lyon/partners".to_owned(), agreement.clone(), "/c/lycee-lyon/operations/export.csv".to_owned()] {
            assert_eq!(learner.get(&path).await.status_code(), 403, "{path}");
        }
        let dashboard = learner.get("/c/lycee-lyon/").await.text();
        assert!(!dashboard.contains("/c/lycee-lyon/operations") && !dashboard.contains("Host families"));
        // The public home counts the year's operations (accepted, not cancelled): this one, in 2027.
        let home = app.client().get("/").await.text();
        assert!(home.contains(r#"<span class="figure">0</span> mobility operations this year"#), "2026 has none");
        app.clock.advance(Duration::days(150));
        let home = app.client().get("/").await.text();
        assert!(home.contains(r#"<span class="figure">1</span> mobility operations this year"#), "{home}");
    }

    async fn messages_notify_once_an_hour_then_digest(app: &TestApp) {
        let koeln = app.client();
        sign_in(&koeln, KOELN_ADMIN, DEMO_PASSWORD).await;
        let lyon = app.client();
        sign_in(&lyon, LYON_ADMIN, DEMO_PASSWORD).await;
        let op = open_operation(app, &koeln, &lyon).await;
        let koeln_op = format!("/c/bk-koeln/operations/{op}");
        let empty = post_form(&koeln, &koeln_op, &format!("{koeln_op}/messages"), &[("body", "  ")]).await;
        assert_eq!(empty.status_code(), 422);
        ok(&koeln, &koeln_op, &format!("{koeln_op}/messages"), &[("body", "Host families confirmed.")]).await;
        app.run_jobs().await;
        assert_eq!(app.emails_to(LYON_ADMIN).iter().filter(|e| e.rendered.subject.contains("message")).count(), 1);
        ok(&koeln, &koeln_op, &format!("{koeln_op}/messages"), &[("body", "Tickets booked.")]).await;
        ok(&koeln, &koeln_op, &format!("{koeln_op}/messages"), &[("body", "Tutors named.")]).await;
        app.run_jobs().await;
        let thread_mails = |app: &TestApp| app.emails_to(LYON_ADMIN).into_iter().filter(|e| e.rendered.subject.contains("message")).collect::<Vec<_>>();
        assert_eq!(thread_mails(app).len(), 1, "no second email within the hour");
        // A digest tick within the hour sends nothing; after the hour, one digest of both.
        let tick = netinvet_domain::Clock::now(&app.clock) + Duration::minutes(10);
        netinvet_domain::outbox::enqueue_standalone(&app.db, &netinvet_domain::jobs::SendMessageDigests { tick }, tick).await.unwrap();
        app.run_jobs().await;
        assert_eq!(thread_mails(app).len(), 1);
        app.clock.advance(Duration::minutes(61));
        let tick = netinvet_domain::Clock::now(&app.clock);
        netinvet_domain::outbox::enqueue_standalone(&app.db, &netinvet_domain::jobs::SendMessageDigests { tick }, tick).await.unwrap();
        netinvet_domain::outbox::enqueue_standalone(&app.db, &netinvet_domain::jobs::SendMessageDigests { tick: tick + Duration::seconds(1) }, tick).await.unwrap();
        app.run_jobs().await;
        let mails = thread_mails(app);
        assert_eq!(mails.len(), 2, "one digest, however many ticks");
        assert!(mails[1].rendered.text.contains("Tickets booked.") && mails[1].rendered.text.contains("Tutors named."));
        // The thread is on both sides; the author's own side gets no email.
        assert!(lyon.get(&format!("/c/lycee-lyon/operations/{op}")).await.text().contains("Tutors named."));
        assert!(app.emails_to(KOELN_ADMIN).iter().all(|e| !e.rendered.subject.contains("message")));
    }

    async fn documents_are_shared_by_the_two_centres_only(app: &TestApp) {
        let koeln = app.client();
        sign_in(&koeln, KOELN_ADMIN, DEMO_PASSWORD).await;
        let lyon = app.client();
        sign_in(&lyon, LYON_ADMIN, DEMO_PASSWORD).await;
        english(&lyon).await;
        let op = open_operation(app, &koeln, &lyon).await;
        let lyon_op = format!("/c/lycee-lyon/operations/{op}");
        let token = csrf_token(&lyon.get(&lyon_op).await.text());
        let upload = |name: &'static str, bytes: &'static [u8]| {
            MultipartForm::new()
                .add_text("csrf_token", token.clone())
                .add_text("kind", "insurance")
                .add_part("file", Part::bytes(bytes.to_vec()).file_name(name).mime_type("application/pdf"))
        };
        let disguised = lyon.post(&format!("{lyon_op}/documents")).multipart(upload("insurance.pdf", b"MZ\x90\x00 not a pdf")).await;
        assert_eq!(disguised.status_code(), 422);
        assert!(disguised.text().contains("The file&#x27;s content does not match its type."));
        let exe = lyon.post(&format!("{lyon_op}/documents")).multipart(upload("setup.exe", b"MZ\x90\x00")).await;
        assert!(exe.text().contains("Send a PDF, PNG, JPEG, DOCX or ODT file."));
        let no_token = lyon
            .post(&format!("{lyon_op}/documents"))
            .multipart(MultipartForm::new().add_part("file", Part::bytes(b"%PDF-1.7".to_vec()).file_name("a.pdf")))
            .await;
        assert_eq!(no_token.status_code(), 403, "uploads need the anti-forgery token");
        let stored = lyon.post(&format!("{lyon_op}/documents")).multipart(upload("Insurance 2027.pdf", b"%PDF-1.7 policy")).await;
        assert_eq!(stored.status_code(), 303, "{}", stored.text());
        let page = koeln.get(&format!("/c/bk-koeln/operations/{op}")).await.text();
        let doc = page.split(&format!("/c/bk-koeln/operations/{op}/documents/")).nth(1).unwrap().split('"').next().unwrap().to_owned();
        let download = koeln.get(&format!("/c/bk-koeln/operations/{op}/documents/{doc}")).await;
        assert_eq!(download.as_bytes().as_ref(), b"%PDF-1.7 policy");
        assert_eq!(download.header("content-type"), "application/pdf");
        assert!(download.header("content-disposition").to_str().unwrap().contains("Insurance_2027.pdf"));
        let valencia = app.client();
        sign_in(&valencia, VALENCIA_ADMIN, DEMO_PASSWORD).await;
        assert_eq!(valencia.get(&format!("/c/cifp-valencia/operations/{op}/documents/{doc}")).await.status_code(), 404);
        // Size limits: 10 MB for a document, 64 KiB for any other form.
        let token = csrf_token(&lyon.get(&lyon_op).await.text());
        let mut big = b"%PDF-1.7 ".to_vec();
        big.resize(netinvet_domain::mobility::documents::MAX_BYTES + 1, b' ');
        let oversized = lyon
            .post(&format!("{lyon_op}/documents"))
            .multipart(MultipartForm::new().add_text("csrf_token", token.clone()).add_text("kind", "other").add_part("file", Part::bytes(big).file_name("big.pdf")))
            .await;
        assert!(matches!(oversized.status_code().as_u16(), 413 | 422), "oversized upload answered {}", oversized.status_code());
        let long_message = "x".repeat(70 * 1024);
        let too_long = lyon.post(&format!("{lyon_op}/messages")).form(&[("csrf_token", token.as_str()), ("body", long_message.as_str())]).await;
        assert_eq!(too_long.status_code(), 413);
        assert_eq!(koeln.get(&format!("/c/bk-koeln/operations/{op}")).await.text().matches(&format!("/c/bk-koeln/operations/{op}/documents/")).count(), 1, "nothing more was stored");
        app.run_jobs().await;
    }

    async fn a_teacher_mobility_and_the_early_exits(app: &TestApp) {
        let valencia = app.client();
        sign_in(&valencia, VALENCIA_ADMIN, DEMO_PASSWORD).await;
        let lyon = app.client();
        sign_in(&lyon, LYON_ADMIN, DEMO_PASSWORD).await;
        english(&lyon).await;
        let offers = "/c/cifp-valencia/offers";
        let page = valencia.get(offers).await.text();
        let iesa = value_before(&page, "Import-export sales assistant (EQF 5)");
        ok(&valencia, offers, offers, &[
            ("profile", &iesa), ("mobility_type", "teacher"), ("window_start", "2027-05-03"), ("window_end", "2027-05-28"),
            ("places", "2"), ("working_language", "es"), ("application_deadline", "2027-03-31"),
        ]).await;
        let search = lyon.get("/c/lycee-lyon/partners?mobility_type=teacher").await.text();
        let offer = search.split("/c/lycee-lyon/partners/offers/").nth(1).unwrap().split('"').next().unwrap().to_owned();
        let offer_page = format!("/c/lycee-lyon/partners/offers/{offer}");
        let first = ok(&lyon, &offer_page, &offer_page, &[("participants", "1"), ("period_start", "2027-05-10"), ("period_end", "2027-05-14")]).await;
        let op = last_number(&first);
        let valencia_op = format!("/c/cifp-valencia/operations/{op}");
        // The host proposes other dates; the sender accepts them.
        refused(&valencia, &valencia_op, &format!("{valencia_op}/state"), &[("action", "decline")], "Give a reason.").await;
        ok(&valencia, &valencia_op, &format!("{valencia_op}/state"), &[("action", "propose_dates"), ("proposed_start", "2027-05-17"), ("proposed_end", "2027-05-21")]).await;
        let lyon_op = format!("/c/lycee-lyon/operations/{op}");
        assert!(lyon.get(&lyon_op).await.text().contains("The host proposes 2027-05-17 → 2027-05-21."));
        ok(&lyon, &lyon_op, &format!("{lyon_op}/state"), &[("action", "accept_proposal")]).await;
        app.run_jobs().await;
        let page = lyon.get(&lyon_op).await.text();
        assert!(page.contains("2027-05-17 → 2027-05-21") && page.contains("Accepted"));
        // Teachers, not learners, join a teacher mobility.
        assert!(page.contains(">Marc Dubois</option>") && !page.contains(">Léa Moreau</option>"));
        assert!(valencia.get(offers).await.text().contains("1 of 2 places left"), "the accepted proposal holds its place");
        // Cancelling needs a reason and frees the place.
        ok(&lyon, &lyon_op, &format!("{lyon_op}/state"), &[("action", "cancel"), ("reason", "Budget not granted.")]).await;
        app.run_jobs().await;
        assert!(valencia.get(offers).await.text().contains("2 of 2 places left"));
        assert!(valencia.get(&valencia_op).await.text().contains("Budget not granted."));
        refused(&lyon, &lyon_op, &format!("{lyon_op}/state"), &[("action", "prepare")], "This change of status is not possible from the current status.").await;
        // A second request, declined with a reason.
        let second = ok(&lyon, &offer_page, &offer_page, &[("participants", "2"), ("period_start", "2027-05-03"), ("period_end", "2027-05-07")]).await;
        let second_op = format!("/c/cifp-valencia/operations/{}", last_number(&second));
        ok(&valencia, &second_op, &format!("{second_op}/state"), &[("action", "decline"), ("reason", "Our teachers are on exam duty.")]).await;
        assert!(lyon.get(&second.replace("#", "")).await.text().contains("Our teachers are on exam duty."));
        // Each step the other centre takes reaches the coordinators by email, once.
        app.run_jobs().await;
        let to_valencia: Vec<String> = app.emails_to(VALENCIA_ADMIN).iter().map(|e| e.rendered.subject.clone()).collect();
        assert_eq!(to_valencia.iter().filter(|s| s.contains("requests mobility places")).count(), 2, "{to_valencia:?}");
        assert!(to_valencia.iter().any(|s| s.contains("accepted the dates you proposed")), "{to_valencia:?}");
        let declined: Vec<_> = app.emails_to(LYON_ADMIN).into_iter().filter(|e| e.rendered.subject.contains("declined your request")).collect();
        assert_eq!(declined.len(), 1);
        assert!(declined[0].rendered.text.contains("Our teachers are on exam duty."));
        assert!(app.emails_to(LYON_ADMIN).iter().any(|e| e.rendered.subject.contains("proposes other dates")));
        // A third request runs to recognition: a teacher's job-shadowing week.
        let third = ok(&lyon, &offer_page, &offer_page, &[("participants", "1"), ("period_start", "2027-05-24"), ("period_end", "2027-05-28")]).await;
        let op3 = last_number(&third);
        let (l3, v3) = (format!("/c/lycee-lyon/operations/{op3}"), format!("/c/cifp-valencia/operations/{op3}"));
        ok(&valencia, &v3, &format!("{v3}/state"), &[("action", "accept")]).await;
        let agreements = "/c/lycee-lyon/agreements";
        let page = lyon.get(agreements).await.text();
        let profile = value_before(&page, "Import-export sales assistant (EQF 5)</label>");
        let (iesa1, iesa5) = (value_before(&page, "IESA-1 · "), value_before(&page, "IESA-5 · "));
        let agreement = ok(&lyon, agreements, agreements, &[
            ("partner", "cifp-valencia"), ("profiles", &profile), ("units", &iesa1), ("units", &iesa5),
            ("assessment", "Observation by the host teacher."), ("validation", "Staff development record."),
            ("recognition", "Counted in the teacher's training plan."), ("valid_from", "2027-01-01"), ("valid_until", "2028-12-31"),
        ]).await;
        let agreement_id = last_number(&agreement);
        ok(&lyon, &agreement, &format!("{agreement}/sign"), &[]).await;
        let va = format!("/c/cifp-valencia/agreements/{agreement_id}");
        ok(&valencia, &va, &format!("{va}/sign"), &[]).await;
        // Amending a signed agreement makes version 2, which both must sign again.
        ok(&lyon, &agreement, &agreement, &[
            ("profiles", &profile), ("units", &iesa1), ("units", &iesa5), ("assessment", "Observation by the host teacher, with a report."),
            ("validation", "Staff development record."), ("recognition", "Counted in the teacher's training plan."),
            ("valid_from", "2027-01-01"), ("valid_until", "2028-12-31"),
        ]).await;
        let versions = lyon.get(&agreement).await.text();
        assert!(versions.contains("Version 2") && versions.contains("Version 1 is in force"), "{versions}");
        ok(&lyon, &agreement, &format!("{agreement}/sign"), &[]).await;
        ok(&valencia, &va, &format!("{va}/sign"), &[]).await;
        assert!(lyon.get(&agreement).await.text().contains("Version 2 is in force"));
        ok(&lyon, &l3, &format!("{l3}/details"), &[("agreement", &agreement_id), ("accommodation", "Hotel near the school."), ("insurance", "Staff policy."), ("emergency_contacts", "Sophie Bernard")]).await;
        let page = lyon.get(&l3).await.text();
        ok(&lyon, &l3, &format!("{l3}/participants"), &[("user", &value_before(&page, ">Marc Dubois</option>"))]).await;
        ok(&lyon, &l3, &format!("{l3}/state"), &[("action", "prepare")]).await;
        let la = lyon.get(&l3).await.text().split(&format!("{l3}/learning/")).nth(1).unwrap().split('"').next().unwrap().to_owned();
        let (lla, vla) = (format!("{l3}/learning/{la}"), format!("{v3}/learning/{la}"));
        ok(&lyon, &lla, &lla, &[("action", "add-unit"), ("unit", &iesa5), ("activities", "Co-teach negotiation classes."), ("assessment_method", "Peer observation.")]).await;
        ok(&lyon, &lla, &lla, &[("action", "sign")]).await;
        ok(&valencia, &vla, &vla, &[("action", "sign")]).await;
        let page = lyon.get(&l3).await.text();
        for item in page.split(&format!("{l3}/checklist/")).skip(1).map(|s| s.split('"').next().unwrap().to_owned()).collect::<Vec<_>>() {
            ok(&lyon, &l3, &format!("{l3}/checklist/{item}"), &[("done", "true")]).await;
        }
        ok(&lyon, &l3, &format!("{l3}/state"), &[("action", "start")]).await;
        ok(&valencia, &v3, &format!("{v3}/state"), &[("action", "complete")]).await;
        let row = valencia.get(&vla).await.text().split("name=\"result_").nth(1).unwrap().split('"').next().unwrap().to_owned();
        ok(&valencia, &vla, &vla, &[("action", "record"), (&format!("result_{row}"), "achieved")]).await;
        ok(&lyon, &l3, &format!("{l3}/state"), &[("action", "evaluate")]).await;
        ok(&lyon, &lla, &lla, &[("action", "record"), (&format!("recognition_{row}"), "partly_validated"), (&format!("recognition_date_{row}"), "2027-06-10")]).await;
        ok(&lyon, &l3, &format!("{l3}/state"), &[("action", "close")]).await;
        let closed = valencia.get(&vla).await.text();
        assert!(closed.contains("Partly validated, 2027-06-10") && closed.contains("Achieved"), "{closed}");
        assert!(valencia.get(&v3).await.text().contains("Closed"));

        // Koeln sees none of it.
        let koeln = app.client();
        sign_in(&koeln, KOELN_ADMIN, DEMO_PASSWORD).await;
        assert!(koeln.get("/c/bk-koeln/operations").await.text().contains("No mobility operation yet."));
        assert_eq!(koeln.get(&format!("/c/bk-koeln/operations/{op}")).await.status_code(), 404);
        app.run_jobs().await;
    }
}

on_both_databases! {
    async fn places_are_not_overbooked_by_accepting_proposed_dates(app: &TestApp) {
        let valencia = app.client();
        sign_in(&valencia, VALENCIA_ADMIN, DEMO_PASSWORD).await;
        let lyon = app.client();
        sign_in(&lyon, LYON_ADMIN, DEMO_PASSWORD).await;
        english(&lyon).await;
        let offers = "/c/cifp-valencia/offers";
        let iesa = value_before(&valencia.get(offers).await.text(), "Import-export sales assistant (EQF 5)");
        ok(&valencia, offers, offers, &[
            ("profile", &iesa), ("mobility_type", "learner"), ("window_start", "2027-05-03"), ("window_end", "2027-05-28"),
            ("places", "2"), ("working_language", "es"), ("application_deadline", "2027-03-31"),
        ]).await;
        let search = lyon.get("/c/lycee-lyon/partners?mobility_type=learner&country=ES").await.text();
        let offer = search.split("/c/lycee-lyon/partners/offers/").nth(1).unwrap().split('"').next().unwrap().to_owned();
        let offer_page = format!("/c/lycee-lyon/partners/offers/{offer}");
        let a = last_number(&ok(&lyon, &offer_page, &offer_page, &[("participants", "2"), ("period_start", "2027-05-03"), ("period_end", "2027-05-14")]).await);
        let b = last_number(&ok(&lyon, &offer_page, &offer_page, &[("participants", "1"), ("period_start", "2027-05-17"), ("period_end", "2027-05-28")]).await);
        let va = format!("/c/cifp-valencia/operations/{a}");
        ok(&valencia, &va, &format!("{va}/state"), &[("action", "propose_dates"), ("proposed_start", "2027-05-10"), ("proposed_end", "2027-05-21")]).await;
        let vb = format!("/c/cifp-valencia/operations/{b}");
        ok(&valencia, &vb, &format!("{vb}/state"), &[("action", "accept")]).await;
        let la = format!("/c/lycee-lyon/operations/{a}");
        refused(&lyon, &la, &format!("{la}/state"), &[("action", "accept_proposal")], "More participants than the places left on the offer.").await;
        assert!(lyon.get(&la).await.text().contains("Requested"), "the operation did not move");
        app.run_jobs().await;
    }
}

/// An operation Lyon requested on a new Köln offer, accepted by Köln. Returns its id.
async fn open_operation(app: &TestApp, koeln: &axum_test::TestServer, lyon: &axum_test::TestServer) -> String {
    let offers = "/c/bk-koeln/offers";
    let page = koeln.get(offers).await.text();
    let profile = value_before(&page, "(EQF 4)</option>");
    ok(
        koeln,
        offers,
        offers,
        &[
            ("profile", &profile),
            ("mobility_type", "learner"),
            ("window_start", "2027-03-01"),
            ("window_end", "2027-04-30"),
            ("places", "4"),
            ("working_language", "de"),
            ("application_deadline", "2027-01-31"),
        ],
    )
    .await;
    let search = lyon.get("/c/lycee-lyon/partners?country=DE").await.text();
    let offer = search.split("/c/lycee-lyon/partners/offers/").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let offer_page = format!("/c/lycee-lyon/partners/offers/{offer}");
    let op = last_number(
        &ok(
            lyon,
            &offer_page,
            &offer_page,
            &[("participants", "1"), ("period_start", "2027-03-08"), ("period_end", "2027-03-19")],
        )
        .await,
    );
    let koeln_op = format!("/c/bk-koeln/operations/{op}");
    ok(koeln, &koeln_op, &format!("{koeln_op}/state"), &[("action", "accept")]).await;
    app.run_jobs().await;
    op
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shared_rows_are_visible_to_exactly_their_two_centres_under_row_level_security() {
    let app = TestApp::new(netinvet_tests::Backend::Postgres).await;
    let koeln = app.client();
    sign_in(&koeln, KOELN_ADMIN, DEMO_PASSWORD).await;
    let lyon = app.client();
    sign_in(&lyon, LYON_ADMIN, DEMO_PASSWORD).await;
    let op = open_operation(&app, &koeln, &lyon).await;
    let koeln_op = format!("/c/bk-koeln/operations/{op}");
    ok(&koeln, &koeln_op, &format!("{koeln_op}/messages"), &[("body", "Welcome!")]).await;
    app.run_jobs().await;
    let pool = app.db.postgres_pool().expect("postgres");
    let counts = |slug: &'static str| {
        let pool = pool.clone();
        async move {
            let mut tx = pool.begin().await.unwrap();
            if !slug.is_empty() {
                sqlx::query("SELECT set_config('app.tenant_id', (SELECT id::text FROM centres WHERE slug = $1), true)")
                    .bind(slug)
                    .execute(&mut *tx)
                    .await
                    .unwrap();
            }
            let mut found = Vec::new();
            for table in [
                sqlx::query_as::<_, (i64,)>("SELECT count(*) FROM mobility_operations"),
                sqlx::query_as::<_, (i64,)>("SELECT count(*) FROM operation_transitions"),
                sqlx::query_as::<_, (i64,)>("SELECT count(*) FROM operation_checklist_items"),
                sqlx::query_as::<_, (i64,)>("SELECT count(*) FROM operation_messages"),
            ] {
                found.push(table.fetch_one(&mut *tx).await.unwrap().0);
            }
            tx.rollback().await.unwrap();
            found
        }
    };
    let lyon_rows = counts("lycee-lyon").await;
    let koeln_rows = counts("bk-koeln").await;
    assert_eq!(lyon_rows, koeln_rows, "both centres see the same shared record");
    assert!(lyon_rows.iter().all(|n| *n > 0), "{lyon_rows:?}");
    assert_eq!(counts("cifp-valencia").await, vec![0, 0, 0, 0], "a third centre sees no row");
    assert_eq!(counts("").await, vec![0, 0, 0, 0], "no tenant, no row");
    // The offer is Köln's: Lyon reads it only through the network search's read-only mode.
    let mut tx = pool.begin().await.unwrap();
    sqlx::query("SELECT set_config('app.tenant_id', (SELECT id::text FROM centres WHERE slug = 'lycee-lyon'), true)")
        .execute(&mut *tx)
        .await
        .unwrap();
    let (offers,): (i64,) = sqlx::query_as("SELECT count(*) FROM mobility_offers").fetch_one(&mut *tx).await.unwrap();
    assert_eq!(offers, 0);
    let forged = sqlx::query(
        "UPDATE mobility_operations SET state = 'closed' WHERE host_centre_id = (SELECT id FROM centres WHERE slug = 'bk-koeln')",
    )
    .execute(&mut *tx)
    .await
    .unwrap();
    assert_eq!(forged.rows_affected(), 1, "Lyon may write its own shared operation");
    sqlx::query(
        "SELECT set_config('app.tenant_id', (SELECT id::text FROM centres WHERE slug = 'cifp-valencia'), true)",
    )
    .execute(&mut *tx)
    .await
    .unwrap();
    let third = sqlx::query("UPDATE mobility_operations SET state = 'cancelled'").execute(&mut *tx).await.unwrap();
    assert_eq!(third.rows_affected(), 0, "a third centre cannot touch it");
    let insert = sqlx::query(
        "INSERT INTO operation_messages (operation_id, sending_centre_id, host_centre_id, author_centre_id, body, created_at) \
         VALUES ($1, (SELECT id FROM centres WHERE slug = 'lycee-lyon'), (SELECT id FROM centres WHERE slug = 'bk-koeln'), \
         (SELECT id FROM centres WHERE slug = 'cifp-valencia'), 'forged', now())",
    )
    .bind(op.parse::<i64>().unwrap())
    .execute(&mut *tx)
    .await;
    assert!(insert.is_err(), "a third centre cannot write into the shared record");
    tx.rollback().await.unwrap();
}

/// A fake S3 endpoint: stores objects by path, and refuses requests whose signature headers are
/// missing or whose declared payload hash is not the body's.
async fn fake_object_storage() -> (String, std::sync::Arc<std::sync::Mutex<std::collections::HashMap<String, Vec<u8>>>>)
{
    use axum::body::Bytes;
    use axum::http::{HeaderMap, Method, StatusCode, Uri};
    use sha2::{Digest, Sha256};
    let objects: std::sync::Arc<std::sync::Mutex<std::collections::HashMap<String, Vec<u8>>>> = Default::default();
    let store = objects.clone();
    let app = axum::Router::new().fallback(move |method: Method, uri: Uri, headers: HeaderMap, body: Bytes| {
        let store = store.clone();
        async move {
            let auth = headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or_default();
            let hash = headers.get("x-amz-content-sha256").and_then(|v| v.to_str().ok()).unwrap_or_default();
            if !auth.starts_with("AWS4-HMAC-SHA256 Credential=test-key/") || hash != hex::encode(Sha256::digest(&body))
            {
                return (StatusCode::FORBIDDEN, Vec::new());
            }
            let mut objects = store.lock().unwrap();
            match method {
                Method::PUT => {
                    objects.insert(uri.path().to_owned(), body.to_vec());
                    (StatusCode::OK, Vec::new())
                }
                Method::GET => match objects.get(uri.path()) {
                    Some(bytes) => (StatusCode::OK, bytes.clone()),
                    None => (StatusCode::NOT_FOUND, Vec::new()),
                },
                Method::DELETE => {
                    objects.remove(uri.path());
                    (StatusCode::NO_CONTENT, Vec::new())
                }
                _ => (StatusCode::METHOD_NOT_ALLOWED, Vec::new()),
            }
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, objects)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn documents_can_live_in_object_storage() {
    let (endpoint, objects) = fake_object_storage().await;
    let mut app = TestApp::new(netinvet_tests::Backend::Sqlite).await;
    let config = netinvet_domain::storage::S3Config::from_url(
        &format!("s3://netinvet-docs/documents?endpoint={endpoint}&region=eu-west-3"),
        "test-key",
        "test-secret",
    )
    .unwrap();
    app.state.documents = std::sync::Arc::new(netinvet_domain::storage::S3Store::new(config).unwrap());
    let koeln = app.client();
    sign_in(&koeln, KOELN_ADMIN, DEMO_PASSWORD).await;
    let lyon = app.client();
    sign_in(&lyon, LYON_ADMIN, DEMO_PASSWORD).await;
    let op = open_operation(&app, &koeln, &lyon).await;
    let lyon_op = format!("/c/lycee-lyon/operations/{op}");
    let token = csrf_token(&lyon.get(&lyon_op).await.text());
    let form = MultipartForm::new()
        .add_text("csrf_token", token)
        .add_text("kind", "accommodation")
        .add_part("file", Part::bytes(b"%PDF-1.7 host family".to_vec()).file_name("family.pdf"));
    let stored = lyon.post(&format!("{lyon_op}/documents")).multipart(form).await;
    assert_eq!(stored.status_code(), 303, "{}", stored.text());
    let keys: Vec<String> = objects.lock().unwrap().keys().cloned().collect();
    assert_eq!(keys.len(), 1);
    assert!(keys[0].starts_with(&format!("/netinvet-docs/documents/op{op}-")), "{keys:?}");
    let page = koeln.get(&format!("/c/bk-koeln/operations/{op}")).await.text();
    let doc = page
        .split(&format!("/c/bk-koeln/operations/{op}/documents/"))
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let download = koeln.get(&format!("/c/bk-koeln/operations/{op}/documents/{doc}")).await;
    assert_eq!(download.as_bytes().as_ref(), b"%PDF-1.7 host family");
}
