//! Delivery of rendered emails: real SMTP through lettre, or an in-memory capture for tests.
//! (The embedded mode's development mailbox lives with the worker, since it writes to the
//! database.) A transport reports whether a failure is worth retrying; it never retries itself.

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::OutgoingEmail;

/// Why an email could not be delivered.
#[derive(Debug, Clone, thiserror::Error)]
pub enum SendError {
    /// Worth retrying later: the server was unreachable or answered 4xx.
    #[error("temporary delivery failure: {0}")]
    Transient(String),
    /// Retrying will not help: a bad address or a 5xx refusal.
    #[error("permanent delivery failure: {0}")]
    Permanent(String),
}

/// Somewhere emails go.
#[async_trait]
pub trait MailTransport: Send + Sync + std::fmt::Debug {
    async fn send(&self, email: &OutgoingEmail) -> Result<(), SendError>;
}

/// Real SMTP delivery, configured by an `smtp://` or `smtps://` URL.
#[derive(Debug, Clone)]
pub struct SmtpTransport {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl SmtpTransport {
    /// `url` is e.g. `smtp://user:pass@host:587?tls=starttls`; `from` is the sender mailbox.
    pub fn new(url: &str, from: &str) -> Result<Self, String> {
        let transport: AsyncSmtpTransport<Tokio1Executor> =
            AsyncSmtpTransport::<Tokio1Executor>::from_url(url).map_err(|e| e.to_string())?.build();
        let from = from.parse::<Mailbox>().map_err(|e| format!("not a valid sender address: {e}"))?;
        Ok(Self { transport, from })
    }
}

#[async_trait]
impl MailTransport for SmtpTransport {
    async fn send(&self, email: &OutgoingEmail) -> Result<(), SendError> {
        let to =
            email.to.parse::<Mailbox>().map_err(|e| SendError::Permanent(format!("recipient address refused: {e}")))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(&email.rendered.subject)
            .multipart(MultiPart::alternative_plain_html(email.rendered.text.clone(), email.rendered.html.clone()))
            .map_err(|e| SendError::Permanent(e.to_string()))?;
        match self.transport.send(message).await {
            Ok(_) => Ok(()),
            Err(err) if err.is_permanent() => Err(SendError::Permanent(err.to_string())),
            Err(err) => Err(SendError::Transient(err.to_string())),
        }
    }
}

/// Keeps every email in memory, for tests; can be told to fail, to exercise retries.
#[derive(Debug, Clone, Default)]
pub struct MemoryTransport {
    sent: Arc<Mutex<Vec<OutgoingEmail>>>,
    failures: Arc<Mutex<Vec<SendError>>>,
}

impl MemoryTransport {
    /// Everything delivered so far, oldest first.
    pub fn sent(&self) -> Vec<OutgoingEmail> {
        self.sent.lock().expect("mail capture poisoned").clone()
    }

    /// Makes the next sends fail with these errors, one each, before delivering again.
    pub fn fail_next(&self, errors: impl IntoIterator<Item = SendError>) {
        self.failures.lock().expect("mail capture poisoned").extend(errors);
    }
}

#[async_trait]
impl MailTransport for MemoryTransport {
    async fn send(&self, email: &OutgoingEmail) -> Result<(), SendError> {
        {
            let mut failures = self.failures.lock().expect("mail capture poisoned");
            if !failures.is_empty() {
                return Err(failures.remove(0));
            }
        }
        self.sent.lock().expect("mail capture poisoned").push(email.clone());
        Ok(())
    }
}
