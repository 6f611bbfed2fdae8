//! `netinvet-worker`: relays the outbox and runs jobs, as its own process (PostgreSQL mode).
//! Reads `DATABASE_URL`, `SMTP_URL`, `MAIL_FROM` and `PUBLIC_URL`.

use std::process::ExitCode;
use std::sync::Arc;

use netinvet_domain::{Db, PublicUrl, SystemClock};

fn required(name: &'static str) -> anyhow::Result<String> {
    std::env::var(name)
        .ok()
        .filter(|v| !v.trim().is_empty())
        .ok_or_else(|| anyhow::anyhow!("configuration: {name} must be set"))
}

async fn run() -> anyhow::Result<()> {
    let database_url = required("DATABASE_URL")?;
    let public_url = PublicUrl::new(&required("PUBLIC_URL")?);
    let smtp_url = required("SMTP_URL")?;
    let from = std::env::var("MAIL_FROM").unwrap_or_else(|_| "NETINVET <no-reply@netinvet.localhost>".into());
    let mailer = netinvet_mail::SmtpTransport::new(&smtp_url, &from).map_err(|e| anyhow::anyhow!("SMTP_URL: {e}"))?;
    let db = Db::connect(&database_url, 10)
        .await
        .map_err(|e| anyhow::anyhow!("cannot connect to the database at DATABASE_URL: {e}"))?;
    let ctx = netinvet_worker::WorkerContext { db, clock: Arc::new(SystemClock), mailer: Arc::new(mailer), public_url };
    tracing::info!("worker started");
    netinvet_worker::run(ctx, netinvet_worker::WorkerSettings::default(), shutdown()).await
}

async fn shutdown() {
    let _ = tokio::signal::ctrl_c().await;
}

#[tokio::main]
async fn main() -> ExitCode {
    netinvet_telemetry::run_service("netinvet-worker", run()).await
}
