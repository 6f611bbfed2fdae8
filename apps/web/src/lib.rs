//! The web app: public pages, the centres' workspaces, the committee's area and, in the
//! embedded mode, the development mailbox. Transport code only: handlers validate nothing
//! themselves beyond reading the request, and call the domain.
//!
//! In the embedded mode (SQLite) this process also runs the worker and the scheduler.

pub mod config;
pub mod controllers;
pub mod error;
pub mod page;
pub mod security;
pub mod session_store;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::header;
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use netinvet_domain::{Clock, Db, PublicUrl, SystemClock};
use netinvet_mail::MailTransport;
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, Session, SessionManagerLayer};

pub use config::Config;

/// Shared by every handler.
#[derive(Debug, Clone)]
pub struct AppState {
    pub db: Db,
    pub clock: Arc<dyn Clock>,
    pub public_url: PublicUrl,
    /// Embedded mode: the development mailbox is mounted.
    pub embedded: bool,
    pub limiter: security::Limiter,
    /// Where operation documents are stored.
    pub documents: Arc<dyn netinvet_domain::storage::DocumentStore>,
}

/// Largest form body accepted.
const MAX_BODY_BYTES: usize = 64 * 1024;

/// Largest request accepted at all: a document upload with its form fields.
pub const MAX_UPLOAD_REQUEST_BYTES: usize = netinvet_domain::mobility::documents::MAX_BYTES + 64 * 1024;

/// The whole application, ready to serve.
pub fn router(state: AppState) -> Router {
    let sessions = SessionManagerLayer::new(session_store::DbSessionStore::new(state.db.clone()))
        .with_name("netinvet_session")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(state.public_url.is_https())
        .with_expiry(Expiry::OnInactivity(session_store::IDLE_TIMEOUT));
    let mut app = controllers::routes(state.embedded)
        .layer(middleware::from_fn_with_state(state.clone(), error_pages))
        .layer(sessions)
        .layer(middleware::from_fn(remember_request_span))
        // Forms get 64 KiB; only the upload route raises its own limit (up to the hard cap).
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(MAX_UPLOAD_REQUEST_BYTES))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request| {
            // The route template, never the raw path: paths carry tokens.
            let route = req.extensions().get::<MatchedPath>().map_or("unmatched", MatchedPath::as_str);
            tracing::info_span!("http.request", http.method = %req.method(), http.route = route, tenant.id = tracing::field::Empty)
        }));
    for layer in security::header_layers(state.public_url.is_https()) {
        app = app.layer(layer);
    }
    app.with_state(state)
}

/// The request's own span, for handlers to record fields on (`tenant.id`): inside the session
/// layer the current span is that layer's, not the request's.
#[derive(Debug, Clone)]
pub struct RequestSpan(pub tracing::Span);

/// Runs where the request span is current (inside the trace layer, outside the others) and
/// hands it to the handlers through the request's extensions.
async fn remember_request_span(mut request: Request, next: Next) -> Response {
    request.extensions_mut().insert(RequestSpan(tracing::Span::current()));
    next.run(request).await
}

/// Renders the page of any error response the handlers produced, in the visitor's language.
/// The person and language are looked up only when there is an error page to render.
async fn error_pages(State(state): State<AppState>, session: Session, request: Request, next: Next) -> Response {
    let headers = request.headers().clone();
    let response = next.run(request).await;
    let Some(error) = response.extensions().get::<error::ErrorPage>().copied() else {
        return response;
    };
    let user = page::session_user(&state, &session).await.ok().flatten();
    let lang = page::resolve_lang(&headers, &session, user.as_ref()).await.unwrap_or(netinvet_i18n::Lang::En);
    match page::render_error(lang, error.status.as_u16(), error.message_key, user.is_some()) {
        Ok(html) => {
            let mut page = (error.status, Html(html)).into_response();
            page.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
            page
        }
        Err(err) => {
            tracing::error!(error = %err, "error page does not render");
            error.status.into_response()
        }
    }
}

/// Connects to the database, naming `DATABASE_URL` when it cannot.
pub async fn connect(config: &Config) -> anyhow::Result<Db> {
    Db::connect(&config.database_url, config.database_max_connections)
        .await
        .map_err(|e| anyhow::anyhow!("cannot connect to the database at DATABASE_URL: {e}"))
}

/// Applies migrations (the `migrate` command, and every start of the embedded mode).
pub async fn migrate(db: &Db) -> anyhow::Result<()> {
    db.migrate().await.map_err(|e| anyhow::anyhow!("migrations failed: {e}"))
}

/// Seeds the demo network when the database is empty and prints how to sign in.
pub async fn seed_demo(db: &Db, public_url: &str) -> anyhow::Result<()> {
    match netinvet_domain::seed::seed_demo(db, SystemClock.now()).await? {
        Some(accounts) => {
            println!("\nDemo network seeded. Sign in at {public_url}/sign-in with any of these accounts");
            println!("(password for all: {}):", netinvet_domain::seed::DEMO_PASSWORD);
            for account in accounts {
                println!("  {:<42} {}", account.email, account.description);
            }
            println!();
        }
        None => tracing::info!("database already has centres; demo seed skipped"),
    }
    Ok(())
}

/// Resolves when the process is asked to stop (Ctrl-C or SIGTERM).
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

/// The mail transport: SMTP when `SMTP_URL` is set, else the development mailbox (embedded
/// mode only).
pub fn mailer(config: &Config, db: &Db, clock: Arc<dyn Clock>) -> anyhow::Result<Arc<dyn MailTransport>> {
    match &config.smtp_url {
        Some(url) => Ok(Arc::new(
            netinvet_mail::SmtpTransport::new(url, &config.mail_from).map_err(|e| anyhow::anyhow!("SMTP_URL: {e}"))?,
        )),
        None if config.embedded() => Ok(Arc::new(netinvet_worker::DevMailboxTransport { db: db.clone(), clock })),
        None => anyhow::bail!("SMTP_URL must be set outside the embedded mode"),
    }
}

/// Serves the platform until shut down. In the embedded mode it migrates, seeds the demo network
/// on first start, and runs the worker and scheduler in this process.
pub async fn run(config: Config) -> anyhow::Result<()> {
    let db = connect(&config).await?;
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let public_url = PublicUrl::new(&config.public_url);
    if config.embedded() {
        migrate(&db).await?;
    } else {
        let pending = db.pending_migrations().await?;
        if pending > 0 {
            anyhow::bail!("{pending} migrations are pending: run `netinvet-web migrate` first");
        }
    }
    if config.seed_demo {
        seed_demo(&db, &config.public_url).await?;
    }
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let stopped = move || {
        let mut stop = stop_rx.clone();
        async move {
            let _ = stop.wait_for(|s| *s).await;
        }
    };
    let mut background = Vec::new();
    if config.embedded() {
        let worker_ctx = netinvet_worker::WorkerContext {
            db: db.clone(),
            clock: clock.clone(),
            mailer: mailer(&config, &db, clock.clone())?,
            public_url: public_url.clone(),
        };
        background.push(tokio::spawn(netinvet_worker::run(
            worker_ctx,
            netinvet_worker::WorkerSettings::default(),
            stopped(),
        )));
        let scheduler_ctx = netinvet_scheduler::SchedulerContext { db: db.clone(), clock: clock.clone() };
        background.push(tokio::spawn(netinvet_scheduler::run(
            scheduler_ctx,
            netinvet_scheduler::default_schedules(),
            stopped(),
        )));
    }
    let state = AppState {
        db: db.clone(),
        clock,
        public_url,
        embedded: config.embedded(),
        limiter: security::Limiter::per_minute(config.rate_limit_per_minute, config.trust_forwarded_for),
        documents: match &config.object_storage {
            Some(s3) => Arc::new(netinvet_domain::storage::S3Store::new(s3.clone())?),
            None => Arc::new(netinvet_domain::storage::LocalDisk::new(&config.upload_dir)),
        },
    };
    let listener = tokio::net::TcpListener::bind(config.bind)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {} (BIND_ADDR/PORT): {e}", config.bind))?;
    println!("NETINVET is running at {}", config.public_url);
    if config.embedded() && config.smtp_url.is_none() {
        println!("Emails go to the development mailbox: {}/dev/mailbox", config.public_url);
    }
    axum::serve(listener, router(state).into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(async move {
            shutdown_signal().await;
            let _ = stop_tx.send(true);
        })
        .await?;
    for task in background {
        if let Ok(Err(err)) = task.await {
            tracing::error!(error = %err, "background task stopped with an error");
        }
    }
    db.close().await?;
    Ok(())
}
