//! The scheduler: on each cron tick it writes the tick's job to the outbox, keyed by the job name
//! and the tick's scheduled time. It never does the work itself and never shells out.
//!
//! Two schedulers running at once compute the same scheduled times, so their ticks produce the
//! same keys and the outbox keeps one job per tick; the jobs themselves are idempotent too.

use std::str::FromStr;
use std::sync::Arc;

use apalis::prelude::*;
use apalis_cron::{CronScheduler, Tick};
use chrono::{DateTime, Utc};
use netinvet_domain::jobs::{Job, PurgeExpired, SendMessageDigests, SweepInvitations};
use netinvet_domain::{Clock, Db};

/// Everything a tick needs.
#[derive(Debug, Clone)]
pub struct SchedulerContext {
    pub db: Db,
    pub clock: Arc<dyn Clock>,
}

/// A job the scheduler enqueues on a cron schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScheduledJob {
    SweepInvitations,
    PurgeExpired,
    SendMessageDigests,
}

impl ScheduledJob {
    pub fn name(self) -> &'static str {
        match self {
            ScheduledJob::SweepInvitations => SweepInvitations::NAME,
            ScheduledJob::PurgeExpired => PurgeExpired::NAME,
            ScheduledJob::SendMessageDigests => SendMessageDigests::NAME,
        }
    }

    /// Writes this job for the tick at `tick` to the outbox. Returns false when another
    /// scheduler already wrote it.
    pub async fn enqueue(
        self,
        ctx: &SchedulerContext,
        tick: DateTime<Utc>,
    ) -> Result<bool, netinvet_domain::DomainError> {
        let now = ctx.clock.now();
        match self {
            ScheduledJob::SweepInvitations => {
                netinvet_domain::outbox::enqueue_standalone(&ctx.db, &SweepInvitations { tick }, now).await
            }
            ScheduledJob::PurgeExpired => {
                netinvet_domain::outbox::enqueue_standalone(&ctx.db, &PurgeExpired { tick }, now).await
            }
            ScheduledJob::SendMessageDigests => {
                netinvet_domain::outbox::enqueue_standalone(&ctx.db, &SendMessageDigests { tick }, now).await
            }
        }
    }
}

/// A cron expression (six fields, seconds first) and the job it enqueues.
#[derive(Debug, Clone)]
pub struct ScheduleEntry {
    pub cron: String,
    pub job: ScheduledJob,
}

/// The platform's schedules: invitation reminders and expiry every quarter hour, message
/// digests every ten minutes, the purge of expired sessions and tokens nightly.
pub fn default_schedules() -> Vec<ScheduleEntry> {
    vec![
        ScheduleEntry { cron: "0 */15 * * * *".into(), job: ScheduledJob::SweepInvitations },
        ScheduleEntry { cron: "0 30 3 * * *".into(), job: ScheduledJob::PurgeExpired },
        ScheduleEntry { cron: "0 */10 * * * *".into(), job: ScheduledJob::SendMessageDigests },
    ]
}

async fn on_tick(tick: Tick, job: Data<ScheduledJob>, ctx: Data<SchedulerContext>) -> Result<(), BoxDynError> {
    let seconds = i64::try_from(tick.get_timestamp())?;
    let at = DateTime::<Utc>::from_timestamp(seconds, 0).ok_or("tick out of range")?;
    let span = tracing::info_span!("schedule.tick", job.name = job.name(), tick = %at);
    let written = tracing::Instrument::instrument(job.enqueue(&ctx, at), span).await?;
    if written {
        tracing::info!(job.name = job.name(), tick = %at, "scheduled job enqueued");
    } else {
        tracing::debug!(job.name = job.name(), tick = %at, "tick already enqueued by another scheduler");
    }
    Ok(())
}

/// Runs every schedule until `shutdown` resolves.
pub async fn run(
    ctx: SchedulerContext,
    schedules: Vec<ScheduleEntry>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let mut workers = Vec::new();
    for (index, entry) in schedules.into_iter().enumerate() {
        let schedule = cron::Schedule::from_str(&entry.cron)
            .map_err(|e| anyhow::anyhow!("schedule {:?} for {} is not valid: {e}", entry.cron, entry.job.name()))?;
        let mut stop = stop_rx.clone();
        let worker =
            WorkerBuilder::new(format!("netinvet-scheduler-{}-{index}-{}", entry.job.name(), std::process::id()))
                .backend(CronScheduler::new(schedule))
                .data(entry.job)
                .data(ctx.clone())
                .build(on_tick);
        workers.push(tokio::spawn(async move {
            worker
                .run_until(async move {
                    let _ = stop.wait_for(|s| *s).await;
                    Ok::<(), std::io::Error>(())
                })
                .await
        }));
    }
    shutdown.await;
    let _ = stop_tx.send(true);
    for worker in workers {
        worker.await?.map_err(|e| anyhow::anyhow!("schedule stopped: {e}"))?;
    }
    Ok(())
}
