//! `messages.digest`: one digest email per coordinator and thread for the messages that waited
//! out the hour. Idempotent (each digest is keyed by its last message).

use netinvet_domain::jobs::SendMessageDigests;

use crate::{JobError, WorkerContext};

pub(crate) async fn send_message_digests(ctx: &WorkerContext, job: SendMessageDigests) -> Result<(), JobError> {
    let sent = netinvet_domain::mobility::messages::send_digests(&ctx.db, &ctx.public_url, ctx.clock.now()).await?;
    tracing::info!(tick = %job.tick, digests = sent, "message digests queued");
    Ok(())
}
