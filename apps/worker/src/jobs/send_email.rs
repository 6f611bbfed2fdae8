//! `email.send`: renders one recorded email in its recipient's language and delivers it.
//!
//! Idempotent: an email not in the queued state (already sent, failed for good, suppressed or
//! cancelled) is skipped. A transient failure leaves it queued and retries with backoff; a
//! permanent one, or the last attempt, marks it failed with the reason, which the committee's
//! deliveries page shows. (If the process dies after the server accepted the email but before
//! it is marked sent, the retry sends it again: SMTP offers no way to ask.)

use netinvet_domain::jobs::SendEmail;
use netinvet_domain::notifications;
use netinvet_domain::outbox::MAX_ATTEMPTS;
use netinvet_mail::{OutgoingEmail, SendError};

use crate::{JobError, WorkerContext};

pub(crate) async fn send_email(ctx: &WorkerContext, job: SendEmail) -> Result<(), JobError> {
    let Some(delivery) = notifications::claim_for_delivery(&ctx.db, job.email_id).await? else {
        tracing::info!(email.id = job.email_id, "email already handled; nothing to do");
        return Ok(());
    };
    let rendered = match delivery.email.render(delivery.lang) {
        Ok(rendered) => rendered,
        Err(err) => {
            notifications::record_failure(&ctx.db, delivery.id, &format!("template: {err}"), true).await?;
            return Err(JobError::Permanent(format!("email {} does not render: {err}", delivery.id)));
        }
    };
    let outgoing = OutgoingEmail { delivery_id: delivery.id, to: delivery.recipient.clone(), rendered };
    match ctx.mailer.send(&outgoing).await {
        Ok(()) => {
            notifications::mark_sent(&ctx.db, delivery.id, ctx.clock.now()).await?;
            tracing::info!(email.id = delivery.id, template = delivery.email.template(), "email sent");
            Ok(())
        }
        Err(SendError::Permanent(reason)) => {
            notifications::record_failure(&ctx.db, delivery.id, &reason, true).await?;
            tracing::warn!(email.id = delivery.id, %reason, "email refused for good");
            Ok(())
        }
        Err(SendError::Transient(reason)) => {
            let last_attempt = delivery.attempt >= i32::try_from(MAX_ATTEMPTS).unwrap_or(i32::MAX);
            notifications::record_failure(&ctx.db, delivery.id, &reason, last_attempt).await?;
            if last_attempt {
                tracing::warn!(email.id = delivery.id, %reason, "email failed on its last attempt");
                Ok(())
            } else {
                Err(JobError::Transient(reason))
            }
        }
    }
}
