//! `messages.notify`: emails one centre's coordinators about a new message on an operation's
//! thread, at most once an hour per thread and person. Idempotent (see
//! `netinvet_domain::mobility::messages::notify`).

use netinvet_domain::jobs::NotifyThread;

use crate::{JobError, WorkerContext};

pub(crate) async fn notify_thread(ctx: &WorkerContext, job: NotifyThread) -> Result<(), JobError> {
    netinvet_domain::mobility::messages::notify(&ctx.db, &job, &ctx.public_url, ctx.clock.now()).await?;
    Ok(())
}
