//! The worker: relays the outbox into the job queue and runs each job by its stable name.
//!
//! It holds transport code only: the job handlers in `jobs/` call the domain and the mail
//! transport. A job that fails with a transient error is retried with exponential backoff, up
//! to the outbox's attempt limit; what still fails stays visible in the queue's table and, for
//! emails, on the committee's deliveries page.

mod dev_mailbox;
pub mod jobs;
mod poll;

use std::sync::Arc;
use std::time::Duration;

use apalis::layers::retry::HasherRng;
use apalis::layers::retry::backoff::ExponentialBackoffMaker;
use apalis::layers::retry::backoff::MakeBackoff;
use apalis::prelude::*;
use apalis_core::backend::ext::BackendExt;
use netinvet_domain::jobs::{JobEnvelope, QUEUE};
use netinvet_domain::{Clock, Db, PublicUrl};
use netinvet_mail::MailTransport;

pub use dev_mailbox::DevMailboxTransport;

/// Everything a job handler needs.
#[derive(Debug, Clone)]
pub struct WorkerContext {
    pub db: Db,
    pub clock: Arc<dyn Clock>,
    pub mailer: Arc<dyn MailTransport>,
    pub public_url: PublicUrl,
}

/// How the worker polls and retries.
#[derive(Debug, Clone)]
pub struct WorkerSettings {
    /// How often the outbox is relayed and (on SQLite) the queue polled.
    pub poll_interval: Duration,
    /// First retry delay; each further retry doubles it, up to `max_backoff`.
    pub min_backoff: Duration,
    pub max_backoff: Duration,
    /// How many jobs run at once.
    pub concurrency: usize,
}

impl Default for WorkerSettings {
    fn default() -> Self {
        Self {
            poll_interval: Duration::from_millis(500),
            min_backoff: Duration::from_secs(2),
            max_backoff: Duration::from_secs(300),
            concurrency: 4,
        }
    }
}

/// Why a job did not complete. Only transient failures are retried.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    #[error("transient: {0}")]
    Transient(String),
    #[error("permanent: {0}")]
    Permanent(String),
}

impl From<netinvet_domain::DomainError> for JobError {
    fn from(err: netinvet_domain::DomainError) -> Self {
        match err {
            netinvet_domain::DomainError::Database(e) => JobError::Transient(e.to_string()),
            other => JobError::Permanent(other.to_string()),
        }
    }
}

fn is_transient(err: &BoxDynError) -> bool {
    !matches!(err.downcast_ref::<JobError>(), Some(JobError::Permanent(_)))
}

/// Runs one job: opens its span (continuing the trace of whatever enqueued it), then maps the
/// job's stable name to its handler.
async fn run_job(job: JobEnvelope, ctx: Data<WorkerContext>) -> Result<(), JobError> {
    let span = tracing::info_span!(
        "job",
        job.name = %job.name,
        job.key = %job.key,
        tenant.id = job.centre_id.map(|id| id.to_string()).unwrap_or_default(),
    );
    netinvet_telemetry::continue_trace(&span, &job.trace);
    let outcome = tracing::Instrument::instrument(jobs::dispatch(&ctx, &job), span.clone()).await;
    let _entered = span.enter();
    match &outcome {
        Ok(()) => tracing::info!("job done"),
        Err(JobError::Transient(reason)) => tracing::warn!(%reason, "job failed, will retry"),
        Err(JobError::Permanent(reason)) => tracing::error!(%reason, "job failed for good"),
    }
    outcome
}

/// Outbox rows relayed per query.
const RELAY_BATCH: u64 = 100;

/// Relays the outbox into the queue every poll interval until `shutdown` resolves.
pub async fn relay_outbox(
    ctx: WorkerContext,
    settings: WorkerSettings,
    shutdown: impl std::future::Future<Output = ()>,
) {
    tokio::pin!(shutdown);
    let mut ticker = tokio::time::interval(settings.poll_interval);
    loop {
        tokio::select! {
            () = &mut shutdown => return,
            _ = ticker.tick() => {
                loop {
                    match netinvet_domain::outbox::relay(&ctx.db, RELAY_BATCH, ctx.clock.now()).await {
                        // A full batch: there may be more waiting.
                        Ok(n) if n as u64 == RELAY_BATCH => continue,
                        Ok(_) => break,
                        Err(err) => {
                            tracing::error!(error = %err, "outbox relay failed; will try again");
                            break;
                        }
                    }
                }
            }
        }
    }
}

/// Runs the relay and the job worker until `shutdown` resolves.
pub async fn run(
    ctx: WorkerContext,
    settings: WorkerSettings,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let relay = tokio::spawn(relay_outbox(ctx.clone(), settings.clone(), {
        let mut stop = stop_rx.clone();
        async move {
            let _ = stop.wait_for(|s| *s).await;
        }
    }));
    let worker_name = format!("netinvet-worker-{}-{}", std::process::id(), rand_suffix());
    let backoff = ExponentialBackoffMaker::new(settings.min_backoff, settings.max_backoff, 0.2, HasherRng::default())
        .map_err(|e| anyhow::anyhow!("backoff settings: {e}"))?
        .make_backoff();
    let policy =
        RetryPolicy::retries(netinvet_domain::outbox::MAX_ATTEMPTS - 1).with_backoff(backoff).retry_if(is_transient);
    let shutdown = async move {
        shutdown.await;
        let _ = stop_tx.send(true);
        Ok::<(), std::io::Error>(())
    };
    // The two storages have different types but the same worker; the macro spells it once.
    macro_rules! run_worker_on {
        ($backend:expr) => {
            WorkerBuilder::new(worker_name)
                .backend($backend.poll_with_strategy(poll::EveryInterval::new(settings.poll_interval)))
                .concurrency(settings.concurrency)
                .retry(policy)
                .data(ctx.clone())
                .build(run_job)
                .run_until(shutdown)
                .await
        };
    }
    // Both storages are polled on an interval (see `poll`).
    let result = if let Some(pool) = ctx.db.sqlite_pool() {
        let config = apalis_sqlite::Config::default().queue(QUEUE);
        run_worker_on!(apalis_sqlite::SqliteStorage::<JobEnvelope>::new(pool).with_config(config))
    } else if let Some(pool) = ctx.db.postgres_pool() {
        let config = apalis_postgres::Config::default().queue(QUEUE);
        run_worker_on!(apalis_postgres::PostgresStorage::<JobEnvelope>::new(pool).with_config(config))
    } else {
        anyhow::bail!("the worker needs SQLite or PostgreSQL");
    };
    let _ = relay.await;
    result.map_err(|e| anyhow::anyhow!("worker stopped: {e}"))
}

/// Distinguishes worker registrations of one process (the queue keys workers by name).
fn rand_suffix() -> u64 {
    use std::hash::{BuildHasher, RandomState};
    RandomState::new().hash_one(std::time::SystemTime::now())
}
