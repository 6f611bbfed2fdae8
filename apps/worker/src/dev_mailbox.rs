//! The embedded mode's mail transport: emails land in the development mailbox table, which the
//! web app shows in the browser. Never used when `SMTP_URL` is set.

use async_trait::async_trait;
use netinvet_domain::{Clock, Db};
use netinvet_mail::{MailTransport, OutgoingEmail, SendError};
use std::sync::Arc;

#[derive(Debug, Clone)]
pub struct DevMailboxTransport {
    pub db: Db,
    pub clock: Arc<dyn Clock>,
}

#[async_trait]
impl MailTransport for DevMailboxTransport {
    async fn send(&self, email: &OutgoingEmail) -> Result<(), SendError> {
        netinvet_domain::dev_mailbox::deliver(&self.db, email.delivery_id, &email.to, &email.rendered, self.clock.now())
            .await
            .map_err(|e| SendError::Transient(e.to_string()))
    }
}
