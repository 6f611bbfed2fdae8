//! The integration test harness. Each test gets its own database: a fresh SQLite file, or a
//! PostgreSQL database cloned from a migrated template and reached as an ordinary role that row-
//! level security applies to. [`TestApp::run_jobs`] runs the real worker until the queue is empty
//! and fails the test if any job failed. Emails are captured in memory; time is a [`FixedClock`].

use std::sync::Arc;
use std::time::Duration;

use axum_test::TestServer;
use chrono::{TimeZone, Utc};
use netinvet_domain::{Db, DbKind, FixedClock, PublicUrl};
use netinvet_mail::{MemoryTransport, OutgoingEmail};
use netinvet_web::{AppState, security::Limiter};

pub const PUBLIC_URL: &str = "http://netinvet.test";
pub const DEMO_PASSWORD: &str = netinvet_domain::seed::DEMO_PASSWORD;
/// The login role tests connect as: a member of the application role, without BYPASSRLS.
pub const PG_TEST_ROLE: &str = "netinvet_test_app";

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A running platform for one test.
pub struct TestApp {
    pub db: Db,
    pub clock: FixedClock,
    pub mail: MemoryTransport,
    pub state: AppState,
    cleanup: Cleanup,
}

enum Cleanup {
    SqliteFile(std::path::PathBuf),
    PostgresDatabase(String),
}

fn random_suffix() -> String {
    let mut bytes = [0u8; 6];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut bytes);
    hex::encode(bytes)
}

/// The PostgreSQL server tests use, as a superuser (`TEST_POSTGRES_URL`).
pub fn postgres_admin_url() -> String {
    std::env::var("TEST_POSTGRES_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

fn postgres_url(user: &str, database: &str) -> String {
    let admin = postgres_admin_url();
    let rest = admin.split_once("://").map_or(admin.as_str(), |(_, r)| r);
    let host = rest.split_once('@').map_or(rest, |(_, h)| h);
    let host = host.split_once('/').map_or(host, |(h, _)| h);
    format!("postgres://{user}@{host}/{database}")
}

fn template_name() -> String {
    use netinvet_migrations::MigratorTrait;
    use std::hash::{DefaultHasher, Hash, Hasher};
    let mut hasher = DefaultHasher::new();
    for migration in netinvet_migrations::Migrator::migrations() {
        migration.name().hash(&mut hasher);
    }
    env!("CARGO_PKG_VERSION").hash(&mut hasher);
    format!("netinvet_tpl_{:x}", hasher.finish())
}

/// Creates (once, under an advisory lock) the migrated template database and the test role,
/// then clones a fresh database for one test.
async fn create_postgres_database() -> anyhow::Result<String> {
    let admin = sqlx::postgres::PgPoolOptions::new().max_connections(1).connect(&postgres_admin_url()).await?;
    let mut conn = admin.acquire().await?;
    sqlx::query("SELECT pg_advisory_lock(727274)").execute(&mut *conn).await?;
    let result = async {
        let template = template_name();
        let exists: Option<(i32,)> = sqlx::query_as("SELECT 1 FROM pg_database WHERE datname = $1")
            .bind(&template)
            .fetch_optional(&mut *conn)
            .await?;
        if exists.is_none() {
            let building = format!("{template}_building");
            sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {building} WITH (FORCE)")))
                .execute(&mut *conn)
                .await?;
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {building}"))).execute(&mut *conn).await?;
            let db = Db::connect(&postgres_url("postgres", &building), 2).await?;
            db.migrate().await?;
            db.close().await?;
            sqlx::query(sqlx::AssertSqlSafe(format!("ALTER DATABASE {building} RENAME TO {template}")))
                .execute(&mut *conn)
                .await?;
        }
        let role: Option<(i32,)> = sqlx::query_as("SELECT 1 FROM pg_roles WHERE rolname = $1")
            .bind(PG_TEST_ROLE)
            .fetch_optional(&mut *conn)
            .await?;
        if role.is_none() {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "CREATE ROLE {PG_TEST_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS IN ROLE {}",
                netinvet_migrations::APP_ROLE
            )))
            .execute(&mut *conn)
            .await?;
        }
        let name = format!("netinvet_t_{}", random_suffix());
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name} TEMPLATE {template}")))
            .execute(&mut *conn)
            .await?;
        Ok::<_, anyhow::Error>(name)
    }
    .await;
    sqlx::query("SELECT pg_advisory_unlock(727274)").execute(&mut *conn).await?;
    result
}

/// With `TEST_LOG` set (a `RUST_LOG`-style filter), tests print the platform's logs.
fn init_test_logs() {
    if let Ok(filter) = std::env::var("TEST_LOG") {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
            .with_test_writer()
            .try_init();
    }
}

impl TestApp {
    pub async fn new(backend: Backend) -> TestApp {
        init_test_logs();
        let clock = FixedClock::at(Utc.with_ymd_and_hms(2026, 9, 1, 8, 0, 0).unwrap());
        let (db, cleanup) = match backend {
            Backend::Sqlite => {
                let path = std::env::temp_dir().join(format!("netinvet-test-{}.db", random_suffix()));
                let db = Db::connect(&format!("sqlite://{}?mode=rwc", path.display()), 4).await.expect("sqlite opens");
                db.migrate().await.expect("migrations apply");
                (db, Cleanup::SqliteFile(path))
            }
            Backend::Postgres => {
                let name = create_postgres_database().await.expect(
                    "a PostgreSQL test database (is PostgreSQL running at TEST_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/postgres?)",
                );
                let db = Db::connect(&postgres_url(PG_TEST_ROLE, &name), 6).await.expect("app role connects");
                (db, Cleanup::PostgresDatabase(name))
            }
        };
        netinvet_domain::seed::seed_demo(&db, netinvet_domain::Clock::now(&clock)).await.expect("demo seed");
        let state = AppState {
            db: db.clone(),
            clock: Arc::new(clock.clone()),
            public_url: PublicUrl::new(PUBLIC_URL),
            embedded: backend == Backend::Sqlite,
            limiter: Limiter::per_minute(1000, false),
            documents: Arc::new(netinvet_domain::storage::InMemory::default()),
        };
        TestApp { db, clock, mail: MemoryTransport::default(), state, cleanup }
    }

    pub fn backend(&self) -> Backend {
        if self.db.kind() == DbKind::Postgres { Backend::Postgres } else { Backend::Sqlite }
    }

    /// A browser: its own cookie jar, on the same platform.
    pub fn client(&self) -> TestServer {
        TestServer::builder().save_cookies().build(netinvet_web::router(self.state.clone()))
    }

    /// A browser on a platform whose rate limit is `per_minute`.
    pub fn client_with_rate_limit(&self, per_minute: u32) -> TestServer {
        let mut state = self.state.clone();
        state.limiter = Limiter::per_minute(per_minute, false);
        TestServer::builder().save_cookies().build(netinvet_web::router(state))
    }

    pub fn worker_context(&self) -> netinvet_worker::WorkerContext {
        netinvet_worker::WorkerContext {
            db: self.db.clone(),
            clock: Arc::new(self.clock.clone()),
            mailer: Arc::new(self.mail.clone()),
            public_url: PublicUrl::new(PUBLIC_URL),
        }
    }

    /// Runs the outbox relay and the real worker until nothing is left to do; fails the test if a
    /// job failed for good or the queue does not drain in 30 seconds.
    pub async fn run_jobs(&self) {
        let (stop_tx, mut stop_rx) = tokio::sync::watch::channel(false);
        let settings = netinvet_worker::WorkerSettings {
            poll_interval: Duration::from_millis(20),
            min_backoff: Duration::from_millis(10),
            max_backoff: Duration::from_millis(40),
            concurrency: 2,
        };
        let worker = tokio::spawn(netinvet_worker::run(self.worker_context(), settings, async move {
            let _ = stop_rx.wait_for(|s| *s).await;
        }));
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        loop {
            tokio::time::sleep(Duration::from_millis(30)).await;
            let unrelayed = netinvet_domain::outbox::unrelayed_count(&self.db).await.expect("outbox readable");
            let summary = netinvet_domain::outbox::queue_summary(&self.db).await.expect("queue readable");
            if unrelayed == 0 && summary.outstanding == 0 {
                break;
            }
            if tokio::time::Instant::now() >= deadline {
                panic!("jobs did not drain: {unrelayed} unrelayed, {summary:?}\n{}", self.queue_rows().await);
            }
        }
        let _ = stop_tx.send(true);
        worker.await.expect("worker task").expect("worker ran");
        let summary = netinvet_domain::outbox::queue_summary(&self.db).await.expect("queue readable");
        assert!(summary.failed.is_empty(), "jobs failed: {:?}", summary.failed);
    }

    /// Fails the test if it left jobs in the outbox or the queue, or a job failed: every job a
    /// test causes must have run (call [`TestApp::run_jobs`]).
    pub async fn assert_no_jobs_left(&self) {
        let unrelayed = netinvet_domain::outbox::unrelayed_count(&self.db).await.expect("outbox readable");
        let summary = netinvet_domain::outbox::queue_summary(&self.db).await.expect("queue readable");
        if unrelayed > 0 || summary.outstanding > 0 || !summary.failed.is_empty() {
            panic!("the test left jobs behind: {unrelayed} unrelayed, {summary:?}\n{}", self.queue_rows().await);
        }
    }

    /// Every row of the job queue's table, for the message of a test that fails on it.
    pub async fn queue_rows(&self) -> String {
        let rows: Result<Vec<(String, String, i64, Option<String>, Option<String>)>, _> = match self.backend() {
            Backend::Postgres => {
                sqlx::query_as(
                    "SELECT id, status, attempts::BIGINT, lock_by, \
                     concat_ws(' ', 'run_at', run_at::TEXT, 'lock_at', lock_at::TEXT, 'done_at', done_at::TEXT) \
                     FROM apalis.jobs ORDER BY run_at",
                )
                .fetch_all(self.db.postgres_pool().expect("postgres pool"))
                .await
            }
            Backend::Sqlite => {
                sqlx::query_as(
                    "SELECT id, status, CAST(attempts AS INTEGER), lock_by, \
                     'run_at ' || run_at || ' lock_at ' || ifnull(lock_at, '-') || ' done_at ' || ifnull(done_at, '-') \
                     FROM Jobs ORDER BY run_at",
                )
                .fetch_all(self.db.sqlite_pool().expect("sqlite pool"))
                .await
            }
        };
        match rows {
            Ok(rows) => rows.iter().map(|r| format!("{r:?}")).collect::<Vec<_>>().join("\n"),
            Err(err) => format!("queue table unreadable: {err}"),
        }
    }

    /// Serves the platform on a free loopback port, as the embedded mode does: links in emails
    /// point at that address, and a worker delivers them to the development mailbox. Returns the
    /// base URL; the server and worker stop when `stop` is dropped or sent.
    pub async fn serve(&self) -> (String, tokio::sync::watch::Sender<bool>) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a free port");
        let base = format!("http://{}", listener.local_addr().expect("bound address"));
        let mut state = self.state.clone();
        state.public_url = PublicUrl::new(&base);
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        let stopped = move || {
            let mut stop = stop_rx.clone();
            async move {
                let _ = stop.wait_for(|s| *s).await;
            }
        };
        let worker = netinvet_worker::WorkerContext {
            db: self.db.clone(),
            clock: Arc::new(self.clock.clone()),
            mailer: Arc::new(netinvet_worker::DevMailboxTransport {
                db: self.db.clone(),
                clock: Arc::new(self.clock.clone()),
            }),
            public_url: PublicUrl::new(&base),
        };
        let settings =
            netinvet_worker::WorkerSettings { poll_interval: Duration::from_millis(50), ..Default::default() };
        tokio::spawn(netinvet_worker::run(worker, settings, stopped()));
        let app = netinvet_web::router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
        let shutdown = stopped();
        tokio::spawn(async move { axum::serve(listener, app).with_graceful_shutdown(shutdown).await });
        (base, stop_tx)
    }

    /// Emails delivered to `address` so far.
    pub fn emails_to(&self, address: &str) -> Vec<OutgoingEmail> {
        self.mail.sent().into_iter().filter(|m| m.to.eq_ignore_ascii_case(address)).collect()
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::SqliteFile(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Cleanup::PostgresDatabase(name) => {
                let name = name.clone();
                // Drop runs inside the test's runtime: use a thread with its own.
                let _ = std::thread::spawn(move || {
                    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().ok()?;
                    runtime.block_on(async {
                        let admin = sqlx::postgres::PgPoolOptions::new()
                            .max_connections(1)
                            .connect(&postgres_admin_url())
                            .await
                            .ok()?;
                        sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")))
                            .execute(&admin)
                            .await
                            .ok()
                    })
                })
                .join();
            }
        }
    }
}

/// The anti-forgery token in a rendered page.
pub fn csrf_token(html: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker).expect("the page has a form with a CSRF token") + marker.len();
    html[start..].split('"').next().unwrap_or_default().to_owned()
}

/// The first platform link in an email's text body, as a path.
pub fn link_in(email: &OutgoingEmail) -> String {
    let url = email
        .rendered
        .text
        .split_whitespace()
        .find(|w| w.starts_with(PUBLIC_URL))
        .expect("the email has a link to the platform");
    url.trim_start_matches(PUBLIC_URL).to_owned()
}

/// Signs `client` in; panics unless the sign-in succeeds.
pub async fn sign_in(client: &TestServer, email: &str, password: &str) {
    let page = client.get("/sign-in").await;
    let token = csrf_token(&page.text());
    let response =
        client.post("/sign-in").form(&[("csrf_token", token.as_str()), ("email", email), ("password", password)]).await;
    assert_eq!(response.status_code(), 303, "sign-in of {email} failed: {}", response.text());
}

/// Posts a form from the page at `page_path`, with that page's CSRF token.
pub async fn post_form(
    client: &TestServer,
    page_path: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> axum_test::TestResponse {
    let page = client.get(page_path).await;
    let token = csrf_token(&page.text());
    let mut form: Vec<(&str, &str)> = vec![("csrf_token", token.as_str())];
    form.extend_from_slice(fields);
    client.post(action).form(&form).await
}

/// Declares one async test per database, `name::sqlite` and `name::postgres`; each fails if it
/// leaves jobs unprocessed.
#[macro_export]
macro_rules! on_both_databases {
    ($(async fn $name:ident($app:ident: &TestApp) $body:block)*) => {
        $(
            mod $name {
                #[allow(unused_imports)]
                use super::*;

                async fn run($app: &$crate::TestApp) $body

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    let app = $crate::TestApp::new($crate::Backend::Sqlite).await;
                    run(&app).await;
                    app.assert_no_jobs_left().await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    let app = $crate::TestApp::new($crate::Backend::Postgres).await;
                    run(&app).await;
                    app.assert_no_jobs_left().await;
                }
            }
        )*
    };
}
