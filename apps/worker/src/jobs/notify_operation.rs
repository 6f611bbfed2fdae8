//! `operations.notify`: tells one centre's coordinators of a step the other centre took on a
//! shared operation. Idempotent (see `netinvet_domain::mobility::operations::notify`).

use netinvet_domain::jobs::NotifyOperation;

use crate::{JobError, WorkerContext};

pub(crate) async fn notify_operation(ctx: &WorkerContext, job: NotifyOperation) -> Result<(), JobError> {
    netinvet_domain::mobility::operations::notify(&ctx.db, &job, &ctx.public_url, ctx.clock.now()).await?;
    Ok(())
}
