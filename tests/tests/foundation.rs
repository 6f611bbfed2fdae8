//! The foundation's flows, on SQLite and on PostgreSQL: invitations, isolation between centres,
//! reminders and expiry over time, password reset, sign-in protections, email delivery
//! failures, and the committee's provisioning of a centre.

use chrono::Duration;
use netinvet_mail::SendError;
use netinvet_tests::{Backend, DEMO_PASSWORD, TestApp, csrf_token, link_in, on_both_databases, post_form, sign_in};

const LYON_ADMIN: &str = "admin.lyon@demo.netinvet.example";
const KOELN_ADMIN: &str = "admin.koeln@demo.netinvet.example";
const COMMITTEE: &str = "committee@demo.netinvet.example";

on_both_databases! {
    async fn the_nightly_purge_removes_expired_sessions_and_tokens(app: &TestApp) {
        let admin = app.client();
        sign_in(&admin, LYON_ADMIN, DEMO_PASSWORD).await;
        post_form(&admin, "/c/lycee-lyon/", "/c/lycee-lyon/invitations", &[
            ("email", "purged@example.org"), ("role", "learner"), ("language", "en"),
        ]).await.assert_status_see_other();
        app.run_jobs().await;
        let link = link_in(&app.emails_to("purged@example.org")[0]);
        assert_eq!(app.client().get(&link).await.status_code(), 200);

        // A year on, the session (12 hours idle) and the invitation link (14 days) are long
        // expired: expired links answer 410 until the purge deletes them, then 404.
        app.clock.advance(Duration::days(365));
        let tick = netinvet_domain::Clock::now(&app.clock);
        assert_eq!(app.client().get(&link).await.status_code(), 410);
        netinvet_domain::outbox::enqueue_standalone(&app.db, &netinvet_domain::jobs::PurgeExpired { tick }, tick).await.unwrap();
        netinvet_domain::outbox::enqueue_standalone(&app.db, &netinvet_domain::jobs::PurgeExpired { tick }, tick).await.unwrap();
        app.run_jobs().await;
        assert_eq!(app.client().get(&link).await.status_code(), 404, "the spent token is gone");
        assert_eq!(admin.get("/c/lycee-lyon/").await.status_code(), 303, "the expired session is gone");
    }

    async fn account_changes_name_language_and_password(app: &TestApp) {
        let learner = "learner2.lyon@demo.netinvet.example";
        let here = app.client();
        sign_in(&here, learner, DEMO_PASSWORD).await;
        let elsewhere = app.client();
        sign_in(&elsewhere, learner, DEMO_PASSWORD).await;

        let blank = post_form(&here, "/account", "/account", &[("name", "  "), ("language", "en")]).await;
        assert_eq!(blank.status_code(), 422);
        post_form(&here, "/account", "/account", &[("name", "Hugo L."), ("language", "en")]).await.assert_status_see_other();
        let page = here.get("/account?saved=1").await.text();
        assert!(page.contains("<html lang=\"en\">") && page.contains("Hugo L.") && page.contains("Your changes are saved."));

        let wrong = post_form(&here, "/account", "/account/password", &[
            ("current_password", "not my password"), ("password", "a brand new password"), ("password_confirmation", "a brand new password"),
        ]).await;
        assert_eq!(wrong.status_code(), 422);
        assert!(wrong.text().contains("The password is not correct."));
        post_form(&here, "/account", "/account/password", &[
            ("current_password", DEMO_PASSWORD), ("password", "a brand new password"), ("password_confirmation", "a brand new password"),
        ]).await.assert_status_see_other();
        assert_eq!(here.get("/account").await.status_code(), 200, "this session stays signed in");
        assert_eq!(elsewhere.get("/account").await.status_code(), 303, "other sessions are signed out");
        sign_in(&app.client(), learner, "a brand new password").await;
        // Signed out, the account page sends to sign in and back.
        let visitor = app.client().get("/account").await;
        assert_eq!(visitor.header("location"), "/sign-in?next=/account");
    }

    async fn the_development_mailbox_exists_only_in_the_embedded_mode(app: &TestApp) {
        let status = app.client().get("/dev/mailbox").await.status_code();
        match app.backend() {
            Backend::Sqlite => assert_eq!(status, 200),
            Backend::Postgres => assert_eq!(status, 404),
        }
    }

    async fn invited_learner_joins_the_centre(app: &TestApp) {
        let admin = app.client();
        sign_in(&admin, LYON_ADMIN, DEMO_PASSWORD).await;
        let response = post_form(&admin, "/c/lycee-lyon/", "/c/lycee-lyon/invitations", &[
            ("email", "Ana.Pereira@Example.PT"), ("role", "learner"), ("language", "fr"),
        ]).await;
        assert_eq!(response.status_code(), 303, "{}", response.text());
        let dashboard = admin.get("/c/lycee-lyon/?invited=1").await.text();
        assert!(dashboard.contains("Ana.Pereira@Example.PT"), "pending invitation listed");

        app.run_jobs().await;
        let emails = app.emails_to("ana.pereira@example.pt");
        assert_eq!(emails.len(), 1);
        assert!(emails[0].rendered.subject.contains("vous invite"), "French subject: {}", emails[0].rendered.subject);
        assert!(emails[0].rendered.html.contains("<a href=\"http:"), "the HTML body links to the invitation");

        let learner = app.client();
        let link = link_in(&emails[0]);
        let page = learner.get(&link).await;
        assert_eq!(page.status_code(), 200);
        let token = csrf_token(&page.text());
        // Bad input first: the form says what is wrong and nothing is created.
        let refused = learner.post(&link).form(&[
            ("csrf_token", token.as_str()), ("name", ""), ("password", "short"), ("password_confirmation", "short"),
        ]).await;
        assert_eq!(refused.status_code(), 422);
        assert!(refused.text().contains("at least 10 characters") || refused.text().contains("10 caractères"));
        let accepted = learner.post(&link).form(&[
            ("csrf_token", token.as_str()), ("name", "Ana Pereira"),
            ("password", "a good long password"), ("password_confirmation", "a good long password"),
        ]).await;
        assert_eq!(accepted.status_code(), 303);
        assert_eq!(accepted.header("location"), "/c/lycee-lyon/");
        let workspace = learner.get("/c/lycee-lyon/").await;
        assert_eq!(workspace.status_code(), 200);
        assert!(workspace.text().contains("Ana Pereira"));
        assert!(!workspace.text().contains("invite-email"), "a learner gets no invitation form");

        // The link is single-use.
        let again = app.client().get(&link).await;
        assert_eq!(again.status_code(), 410);
    }

    async fn another_centre_sees_nothing(app: &TestApp) {
        let lyon = app.client();
        sign_in(&lyon, LYON_ADMIN, DEMO_PASSWORD).await;
        let koeln = app.client();
        sign_in(&koeln, KOELN_ADMIN, DEMO_PASSWORD).await;
        post_form(&koeln, "/c/bk-koeln/", "/c/bk-koeln/invitations", &[
            ("email", "someone@example.de"), ("role", "staff"), ("language", "en"),
        ]).await.assert_status_see_other();
        let koeln_page = koeln.get("/c/bk-koeln/").await.text();
        let invitation_id = koeln_page.split("/c/bk-koeln/invitations/").nth(1).and_then(|s| s.split('/').next()).expect("invitation listed").to_owned();

        let token = csrf_token(&lyon.get("/c/lycee-lyon/").await.text());
        for (method, template) in netinvet_web::controllers::CENTRE_ROUTES {
            let path = template
                .replace("{slug}", "bk-koeln")
                .replace("{id}", &invitation_id)
                .replace("{item}", "1")
                .replace("{doc}", "1")
                .replace("{la}", "1");
            let response = match *method {
                "GET" => lyon.get(&path).await,
                _ => lyon.post(&path).form(&[("csrf_token", token.as_str()), ("email", "x@example.org"), ("role", "staff"), ("language", "en")]).await,
            };
            assert_eq!(response.status_code(), 404, "{method} {path} must be 404 for another centre");
            assert!(!response.text().contains("someone@example.de"));
        }
        // The invitation was not revoked by the other centre.
        assert!(koeln.get("/c/bk-koeln/").await.text().contains("someone@example.de"));
        // Unknown centre: 404 for everyone; a visitor is sent to sign in.
        assert_eq!(lyon.get("/c/no-such-centre/").await.status_code(), 404);
        let visitor = app.client().get("/c/bk-koeln/").await;
        assert_eq!(visitor.status_code(), 303);
        assert!(visitor.header("location").to_str().unwrap().starts_with("/sign-in?next="));
        // The committee area is invisible to centre admins.
        assert_eq!(lyon.get("/committee/").await.status_code(), 404);
        assert_eq!(lyon.get("/committee/deliveries").await.status_code(), 404);
        app.run_jobs().await;
    }

    async fn unanswered_invitations_are_reminded_once_then_expire(app: &TestApp) {
        let admin = app.client();
        sign_in(&admin, LYON_ADMIN, DEMO_PASSWORD).await;
        post_form(&admin, "/c/lycee-lyon/", "/c/lycee-lyon/invitations", &[
            ("email", "late@example.fr"), ("role", "staff"), ("language", "en"),
        ]).await.assert_status_see_other();
        app.run_jobs().await;
        assert_eq!(app.emails_to("late@example.fr").len(), 1);

        let sweep = |at: chrono::DateTime<chrono::Utc>| {
            let db = app.db.clone();
            async move {
                netinvet_domain::outbox::enqueue_standalone(&db, &netinvet_domain::jobs::SweepInvitations { tick: at }, at).await.unwrap();
            }
        };
        let start = netinvet_domain::Clock::now(&app.clock);
        app.clock.advance(Duration::days(2));
        sweep(start + Duration::days(2)).await;
        app.run_jobs().await;
        assert_eq!(app.emails_to("late@example.fr").len(), 1, "no reminder before 3 days");

        app.clock.advance(Duration::days(2));
        sweep(start + Duration::days(4)).await;
        sweep(start + Duration::days(4)).await;
        sweep(start + Duration::days(4) + Duration::minutes(15)).await;
        app.run_jobs().await;
        let emails = app.emails_to("late@example.fr");
        assert_eq!(emails.len(), 2, "exactly one reminder");
        assert!(emails[1].rendered.subject.starts_with("Reminder"));

        app.clock.advance(Duration::days(11));
        sweep(start + Duration::days(15)).await;
        app.run_jobs().await;
        assert_eq!(app.emails_to("late@example.fr").len(), 2, "no more reminders");
        let page = admin.get("/c/lycee-lyon/").await.text();
        assert!(!page.contains("late@example.fr"), "expired invitation no longer pending");
        let expired = app.client().get(&link_in(&emails[1])).await;
        assert_eq!(expired.status_code(), 410);
        assert!(expired.text().contains("expired"));
    }

    async fn two_schedulers_never_send_a_reminder_twice(app: &TestApp) {
        let admin = app.client();
        sign_in(&admin, LYON_ADMIN, DEMO_PASSWORD).await;
        post_form(&admin, "/c/lycee-lyon/", "/c/lycee-lyon/invitations", &[
            ("email", "twice@example.fr"), ("role", "learner"), ("language", "en"),
        ]).await.assert_status_see_other();
        app.run_jobs().await;
        app.clock.advance(Duration::days(4));
        let every_second = vec![netinvet_scheduler::ScheduleEntry { cron: "* * * * * *".into(), job: netinvet_scheduler::ScheduledJob::SweepInvitations }];
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        let mut schedulers = Vec::new();
        for _ in 0..2 {
            let ctx = netinvet_scheduler::SchedulerContext { db: app.db.clone(), clock: std::sync::Arc::new(app.clock.clone()) };
            let mut stop = stop_rx.clone();
            schedulers.push(tokio::spawn(netinvet_scheduler::run(ctx, every_second.clone(), async move {
                let _ = stop.wait_for(|s| *s).await;
            })));
        }
        tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
        let _ = stop_tx.send(true);
        for scheduler in schedulers {
            scheduler.await.unwrap().unwrap();
        }
        app.run_jobs().await;
        assert_eq!(app.emails_to("twice@example.fr").len(), 2, "the invitation and one reminder");
    }

    async fn password_reset_by_email_link(app: &TestApp) {
        let old_session = app.client();
        sign_in(&old_session, "teacher.koeln@demo.netinvet.example", DEMO_PASSWORD).await;
        let visitor = app.client();
        post_form(&visitor, "/password/forgot", "/password/forgot", &[("email", "Teacher.Koeln@demo.netinvet.example")]).await.assert_status_ok();
        // Unknown address: same answer, no email.
        let unknown = post_form(&visitor, "/password/forgot", "/password/forgot", &[("email", "nobody@example.org")]).await;
        assert_eq!(unknown.status_code(), 200);
        let invalid = post_form(&visitor, "/password/forgot", "/password/forgot", &[("email", "not an address")]).await;
        assert_eq!(invalid.status_code(), 422);
        app.run_jobs().await;
        assert!(app.emails_to("nobody@example.org").is_empty());
        let emails = app.emails_to("teacher.koeln@demo.netinvet.example");
        assert_eq!(emails.len(), 1);
        let link = link_in(&emails[0]);
        let token = csrf_token(&visitor.get(&link).await.text());
        let mismatch = visitor.post(&link).form(&[("csrf_token", token.as_str()), ("password", "a new long password"), ("password_confirmation", "another one entirely")]).await;
        assert_eq!(mismatch.status_code(), 422);
        let done = visitor.post(&link).form(&[("csrf_token", token.as_str()), ("password", "a new long password"), ("password_confirmation", "a new long password")]).await;
        assert_eq!(done.status_code(), 303);
        // The old session is signed out; the old password no longer works; the link is used up.
        assert_eq!(old_session.get("/c/bk-koeln/").await.status_code(), 303);
        let fresh = app.client();
        let token = csrf_token(&fresh.get("/sign-in").await.text());
        let refused = fresh.post("/sign-in").form(&[("csrf_token", token.as_str()), ("email", "teacher.koeln@demo.netinvet.example"), ("password", DEMO_PASSWORD)]).await;
        assert_eq!(refused.status_code(), 401);
        sign_in(&fresh, "teacher.koeln@demo.netinvet.example", "a new long password").await;
        assert_eq!(app.client().get(&link).await.status_code(), 410);
        // Two earlier link requests void each other: only the newest works.
        post_form(&visitor, "/password/forgot", "/password/forgot", &[("email", "learner1.koeln@demo.netinvet.example")]).await.assert_status_ok();
        post_form(&visitor, "/password/forgot", "/password/forgot", &[("email", "learner1.koeln@demo.netinvet.example")]).await.assert_status_ok();
        app.run_jobs().await;
        let both = app.emails_to("learner1.koeln@demo.netinvet.example");
        assert_eq!(both.len(), 2);
        let mut statuses = Vec::new();
        for email in &both {
            statuses.push(app.client().get(&link_in(email)).await.status_code().as_u16());
        }
        statuses.sort_unstable();
        assert_eq!(statuses, vec![200, 410], "only the newest link works");
    }

    async fn sign_in_is_generic_protected_and_rotates_the_session(app: &TestApp) {
        let client = app.client();
        let page = client.get("/sign-in").await;
        let token = csrf_token(&page.text());
        let before = page.maybe_cookie("netinvet_session").map(|c| c.value().to_owned());
        let wrong_password = client.post("/sign-in").form(&[("csrf_token", token.as_str()), ("email", LYON_ADMIN), ("password", "wrong password")]).await;
        let unknown_user = client.post("/sign-in").form(&[("csrf_token", token.as_str()), ("email", "ghost@example.org"), ("password", "wrong password")]).await;
        assert_eq!(wrong_password.status_code(), 401);
        assert_eq!(unknown_user.status_code(), 401);
        let message = "The email address or password is not correct.";
        assert!(wrong_password.text().contains(message) && unknown_user.text().contains(message));
        // No CSRF token: refused.
        let forged = client.post("/sign-in").form(&[("email", LYON_ADMIN), ("password", DEMO_PASSWORD)]).await;
        assert_eq!(forged.status_code(), 403);
        let ok = client.post("/sign-in").form(&[("csrf_token", token.as_str()), ("email", LYON_ADMIN), ("password", DEMO_PASSWORD)]).await;
        assert_eq!(ok.status_code(), 303);
        let after = ok.maybe_cookie("netinvet_session").map(|c| c.value().to_owned());
        assert!(after.is_some() && after != before, "session id rotated at sign-in");
        // Rate limit.
        let limited = app.client_with_rate_limit(3);
        let token = csrf_token(&limited.get("/sign-in").await.text());
        let mut statuses = Vec::new();
        for _ in 0..5 {
            let r = limited.post("/sign-in").form(&[("csrf_token", token.as_str()), ("email", "x@example.org"), ("password", "nope nope nope")]).await;
            statuses.push(r.status_code().as_u16());
        }
        assert_eq!(statuses, vec![401, 401, 401, 429, 429]);
        // Secure headers.
        let home = client.get("/").await;
        assert!(home.header("content-security-policy").to_str().unwrap().contains("frame-ancestors 'none'"));
        assert_eq!(home.header("x-content-type-options"), "nosniff");
        assert_eq!(home.header("referrer-policy"), "same-origin");
    }

    async fn email_failures_retry_then_show(app: &TestApp) {
        let admin = app.client();
        sign_in(&admin, LYON_ADMIN, DEMO_PASSWORD).await;
        app.mail.fail_next([SendError::Transient("421 try later".into()), SendError::Transient("connection reset".into())]);
        post_form(&admin, "/c/lycee-lyon/", "/c/lycee-lyon/invitations", &[("email", "retry@example.fr"), ("role", "staff"), ("language", "en")]).await.assert_status_see_other();
        app.run_jobs().await;
        assert_eq!(app.emails_to("retry@example.fr").len(), 1, "delivered once after two transient failures");

        app.mail.fail_next([SendError::Permanent("550 no such mailbox".into())]);
        post_form(&admin, "/c/lycee-lyon/", "/c/lycee-lyon/invitations", &[("email", "bounce@example.fr"), ("role", "staff"), ("language", "en")]).await.assert_status_see_other();
        app.run_jobs().await;
        assert!(app.emails_to("bounce@example.fr").is_empty());
        let committee = app.client();
        sign_in(&committee, COMMITTEE, DEMO_PASSWORD).await;
        let failed = committee.get("/committee/deliveries?status=failed").await.text();
        assert!(failed.contains("bounce@example.fr") && failed.contains("550 no such mailbox"));
        let sent = committee.get("/committee/deliveries?status=sent").await.text();
        assert!(sent.contains("retry@example.fr"));
    }

    async fn committee_provisions_a_centre_and_invites_its_admin(app: &TestApp) {
        let committee = app.client();
        sign_in(&committee, COMMITTEE, DEMO_PASSWORD).await;
        let list = committee.get("/committee/").await;
        assert_eq!(list.status_code(), 200);
        assert!(list.text().contains("Berufskolleg"));
        let refused = post_form(&committee, "/committee/centres/new", "/committee/centres/new", &[
            ("name", "ROC Rotterdam"), ("slug", "Bad Slug"), ("country", "XX"), ("city", ""), ("admin_email", "nope"), ("admin_language", "en"),
        ]).await;
        assert_eq!(refused.status_code(), 422);
        let text = refused.text();
        for message in ["Use 3 to 63 lowercase", "Choose a country from the list.", "This field is required.", "Enter a valid email address", "Choose at least one."] {
            assert!(text.contains(message), "missing field error {message:?}");
        }
        let created = post_form(&committee, "/committee/centres/new", "/committee/centres/new", &[
            ("name", "ROC Rotterdam"), ("slug", "roc-rotterdam"), ("country", "NL"), ("city", "Rotterdam"),
            ("languages", "nl"), ("languages", "en"), ("sectors", "transport_logistics"),
            ("admin_email", "coordinator@roc.example.nl"), ("admin_language", "en"),
        ]).await;
        assert_eq!(created.status_code(), 303, "{}", created.text());
        let duplicate = post_form(&committee, "/committee/centres/new", "/committee/centres/new", &[
            ("name", "ROC bis"), ("slug", "roc-rotterdam"), ("country", "NL"), ("city", "Rotterdam"),
            ("languages", "nl"), ("sectors", "transport_logistics"), ("admin_email", "x@roc.example.nl"), ("admin_language", "en"),
        ]).await;
        assert_eq!(duplicate.status_code(), 422);
        assert!(duplicate.text().contains("Another centre already uses this address."));
        app.run_jobs().await;
        let invitation = app.emails_to("coordinator@roc.example.nl");
        assert_eq!(invitation.len(), 1);
        let admin = app.client();
        let link = link_in(&invitation[0]);
        let token = csrf_token(&admin.get(&link).await.text());
        admin.post(&link).form(&[("csrf_token", token.as_str()), ("name", "Daan de Vries"), ("password", "rotterdam harbour"), ("password_confirmation", "rotterdam harbour")]).await.assert_status_see_other();
        let page = admin.get("/c/roc-rotterdam/").await;
        assert_eq!(page.status_code(), 200);
        assert!(page.text().contains("invite-email"), "the first admin can invite");
        let audited = committee.get("/committee/centres/roc-rotterdam").await.text();
        assert!(audited.contains("Daan de Vries"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn row_level_security_hides_tenant_rows_without_a_tenant() {
    let app = TestApp::new(Backend::Postgres).await;
    let pool = app.db.postgres_pool().expect("postgres");
    let mut tx = pool.begin().await.unwrap();
    let (unscoped,): (i64,) = sqlx::query_as("SELECT count(*) FROM memberships").fetch_one(&mut *tx).await.unwrap();
    assert_eq!(unscoped, 0, "no tenant set: no rows");
    sqlx::query("SELECT set_config('app.tenant_id', (SELECT id::text FROM centres WHERE slug = 'lycee-lyon'), true)")
        .execute(&mut *tx)
        .await
        .unwrap();
    let (scoped,): (i64,) = sqlx::query_as("SELECT count(*) FROM memberships").fetch_one(&mut *tx).await.unwrap();
    assert_eq!(scoped, 4, "the Lyon centre's four members");
    let (other,): (i64,) = sqlx::query_as(
        "SELECT count(*) FROM memberships m JOIN centres c ON c.id = m.centre_id WHERE c.slug <> 'lycee-lyon'",
    )
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    assert_eq!(other, 0, "nothing of the other centres");
    let insert = sqlx::query("INSERT INTO invitations (centre_id, email, email_key, role, language, status, created_at, expires_at) SELECT id, 'x@example.org', 'x@example.org', 'staff', 'en', 'pending', now(), now() FROM centres WHERE slug = 'bk-koeln'").execute(&mut *tx).await;
    assert!(insert.is_err(), "writing into another centre is refused by the policy");
    tx.rollback().await.unwrap();
    let (bypass,): (bool,) =
        sqlx::query_as("SELECT rolbypassrls OR rolsuper FROM pg_roles WHERE rolname = current_user")
            .fetch_one(pool)
            .await
            .unwrap();
    assert!(!bypass, "the application role cannot bypass row-level security");
}

#[tokio::test]
async fn language_follows_preference_then_accept_language() {
    let app = TestApp::new(Backend::Sqlite).await;
    let visitor = app.client();
    let french = visitor.get("/").add_header("accept-language", "fr-FR,fr;q=0.9,en;q=0.5").await.text();
    assert!(french.contains("<html lang=\"fr\">") && french.contains("Se connecter"));
    let german = app.client().get("/").add_header("accept-language", "de-DE").await.text();
    assert!(german.contains("<html lang=\"en\">"), "unsupported language falls back to English");
    // A French-speaking admin sees French whatever the browser says.
    let admin = app.client();
    sign_in(&admin, LYON_ADMIN, DEMO_PASSWORD).await;
    let page = admin.get("/c/lycee-lyon/").add_header("accept-language", "en").await.text();
    assert!(page.contains("<html lang=\"fr\">") && page.contains("Inviter quelqu"));
    // The switcher changes the preference.
    post_form(&admin, "/c/lycee-lyon/", "/language", &[("language", "en"), ("next", "/c/lycee-lyon/")])
        .await
        .assert_status_see_other();
    assert!(admin.get("/c/lycee-lyon/").await.text().contains("Invite someone"));
    // Unknown pages are 404 pages in the visitor's language.
    let missing = app.client().get("/nowhere").add_header("accept-language", "fr").await;
    assert_eq!(missing.status_code(), 404);
    assert!(missing.text().contains("Cette page n"));
    assert_eq!(app.client().get("/healthz").await.text(), "ok");
    assert_eq!(app.client().get("/readyz").await.status_code(), 200);
}
