//! `invitations.sweep`: reminds unanswered invitees once and expires old invitations, centre by
//! centre. Idempotent (see `netinvet_domain::invitations::sweep`).

use netinvet_domain::jobs::SweepInvitations;

use crate::{JobError, WorkerContext};

pub(crate) async fn sweep_invitations(ctx: &WorkerContext, job: SweepInvitations) -> Result<(), JobError> {
    let report = netinvet_domain::invitations::sweep(&ctx.db, &ctx.public_url, ctx.clock.now()).await?;
    tracing::info!(tick = %job.tick, reminded = report.reminded, expired = report.expired, "invitations swept");
    Ok(())
}
