//! `netinvet-scheduler`: enqueues scheduled jobs through the outbox (PostgreSQL mode). Running
//! two of them is safe: each tick's job is keyed by its scheduled time. Reads `DATABASE_URL`.

use std::process::ExitCode;
use std::sync::Arc;

use netinvet_domain::{Db, SystemClock};

async fn run() -> anyhow::Result<()> {
    let database_url = std::env::var("DATABASE_URL")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .ok_or_else(|| anyhow::anyhow!("configuration: DATABASE_URL must be set"))?;
    let db = Db::connect(&database_url, 2)
        .await
        .map_err(|e| anyhow::anyhow!("cannot connect to the database at DATABASE_URL: {e}"))?;
    let ctx = netinvet_scheduler::SchedulerContext { db, clock: Arc::new(SystemClock) };
    tracing::info!("scheduler started");
    netinvet_scheduler::run(ctx, netinvet_scheduler::default_schedules(), async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
}

#[tokio::main]
async fn main() -> ExitCode {
    netinvet_telemetry::run_service("netinvet-scheduler", run()).await
}
