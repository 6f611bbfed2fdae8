//! `offers.recount`: recomputes the places taken on a mobility offer in its host centre's
//! transaction. Idempotent (it writes a count computed from the operations).

use netinvet_domain::jobs::RecountOfferPlaces;

use crate::{JobError, WorkerContext};

pub(crate) async fn recount_offer_places(ctx: &WorkerContext, job: RecountOfferPlaces) -> Result<(), JobError> {
    netinvet_domain::mobility::operations::recount_offer_places(&ctx.db, &job).await?;
    tracing::info!(offer.id = job.offer_id, "offer places recounted");
    Ok(())
}
