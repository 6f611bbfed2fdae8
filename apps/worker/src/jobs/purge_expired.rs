//! `maintenance.purge`: deletes expired sessions, spent tokens and old relayed outbox rows.
//! Idempotent: deleting what is already gone changes nothing.

use netinvet_domain::jobs::PurgeExpired;

use crate::{JobError, WorkerContext};

pub(crate) async fn purge_expired(ctx: &WorkerContext, job: PurgeExpired) -> Result<(), JobError> {
    let report = netinvet_domain::sessions::purge_expired(&ctx.db, ctx.clock.now()).await?;
    tracing::info!(
        tick = %job.tick,
        sessions = report.sessions,
        tokens = report.tokens,
        outbox_rows = report.outbox_rows,
        "expired data purged"
    );
    Ok(())
}
