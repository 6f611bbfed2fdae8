//! One file per job; this module only maps a job's stable name to its handler.

mod notify_operation;
mod notify_thread;
mod purge_expired;
mod recount_offer_places;
mod send_email;
mod send_message_digests;
mod sweep_invitations;

use netinvet_domain::jobs::{
    Job, JobEnvelope, NotifyOperation, NotifyThread, PurgeExpired, RecountOfferPlaces, SendEmail, SendMessageDigests,
    SweepInvitations,
};

use crate::{JobError, WorkerContext};

fn payload<J: Job>(job: &JobEnvelope) -> Result<J, JobError> {
    serde_json::from_value(job.payload.clone())
        .map_err(|e| JobError::Permanent(format!("payload of {} does not parse: {e}", J::NAME)))
}

/// Whether the worker has a handler for this job name.
pub fn handles(name: &str) -> bool {
    [
        SendEmail::NAME,
        SweepInvitations::NAME,
        PurgeExpired::NAME,
        RecountOfferPlaces::NAME,
        SendMessageDigests::NAME,
        NotifyThread::NAME,
        NotifyOperation::NAME,
    ]
    .contains(&name)
}

pub(crate) async fn dispatch(ctx: &WorkerContext, job: &JobEnvelope) -> Result<(), JobError> {
    match job.name.as_str() {
        SendEmail::NAME => send_email::send_email(ctx, payload(job)?).await,
        SweepInvitations::NAME => sweep_invitations::sweep_invitations(ctx, payload(job)?).await,
        PurgeExpired::NAME => purge_expired::purge_expired(ctx, payload(job)?).await,
        RecountOfferPlaces::NAME => recount_offer_places::recount_offer_places(ctx, payload(job)?).await,
        SendMessageDigests::NAME => send_message_digests::send_message_digests(ctx, payload(job)?).await,
        NotifyThread::NAME => notify_thread::notify_thread(ctx, payload(job)?).await,
        NotifyOperation::NAME => notify_operation::notify_operation(ctx, payload(job)?).await,
        other => Err(JobError::Permanent(format!("no handler for job {other}"))),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_job_the_domain_defines_has_a_handler() {
        for name in netinvet_domain::jobs::ALL_JOB_NAMES {
            assert!(super::handles(name), "the worker has no handler for {name}");
        }
    }
}
