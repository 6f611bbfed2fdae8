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
    /// `tls=starttls` (STARTTLS, refused without it) is lettre's `tls=required`; lettre's own
    /// `required` and `opportunistic`, and `smtps://` (TLS from the start), work as well.
    pub fn new(url: &str, from: &str) -> Result<Self, String> {
        let url = url.replace("tls=starttls", "tls=required");
        let transport: AsyncSmtpTransport<Tokio1Executor> =
            AsyncSmtpTransport::<Tokio1Executor>::from_url(&url).map_err(|e| e.to_string())?.build();
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

#[cfg(test)]
mod tests {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    use tokio::net::TcpListener;

    use super::*;
    use crate::RenderedEmail;

    /// A one-connection SMTP server: accepts every recipient except those whose address says
    /// `later` (451) or `reject` (550). Returns its port and the message data it received.
    async fn smtp_server() -> (u16, tokio::task::JoinHandle<Vec<String>>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = tokio::spawn(async move {
            let (socket, _) = listener.accept().await.unwrap();
            let (read, mut write) = socket.into_split();
            let mut lines = BufReader::new(read).lines();
            let mut messages = Vec::new();
            write.write_all(b"220 test ESMTP\r\n").await.unwrap();
            while let Ok(Some(line)) = lines.next_line().await {
                let command = line.to_ascii_uppercase();
                let reply: &[u8] = if command.starts_with("EHLO") {
                    b"250-test\r\n250 8BITMIME\r\n"
                } else if command.starts_with("RCPT") && command.contains("LATER") {
                    b"451 4.3.0 try again later\r\n"
                } else if command.starts_with("RCPT") && command.contains("REJECT") {
                    b"550 5.1.1 no such mailbox\r\n"
                } else if command.starts_with("DATA") {
                    write.write_all(b"354 go ahead\r\n").await.unwrap();
                    let mut data = String::new();
                    while let Ok(Some(line)) = lines.next_line().await {
                        if line == "." {
                            break;
                        }
                        data.push_str(&line);
                        data.push('\n');
                    }
                    messages.push(data);
                    b"250 2.0.0 queued\r\n"
                } else if command.starts_with("QUIT") {
                    write.write_all(b"221 bye\r\n").await.unwrap();
                    break;
                } else {
                    b"250 ok\r\n"
                };
                write.write_all(reply).await.unwrap();
            }
            messages
        });
        (port, server)
    }

    fn email(to: &str) -> OutgoingEmail {
        OutgoingEmail {
            delivery_id: 1,
            to: to.to_owned(),
            rendered: RenderedEmail {
                subject: "Invitation".into(),
                text: "Plain body".into(),
                html: "<p>HTML body</p>".into(),
            },
        }
    }

    async fn send_one(to: &str) -> (Result<(), SendError>, Vec<String>) {
        let (port, server) = smtp_server().await;
        let transport =
            SmtpTransport::new(&format!("smtp://127.0.0.1:{port}"), "NETINVET <no-reply@netinvet.test>").unwrap();
        let result = transport.send(&email(to)).await;
        drop(transport);
        let messages = tokio::time::timeout(std::time::Duration::from_secs(5), server)
            .await
            .map(Result::unwrap)
            .unwrap_or_default();
        (result, messages)
    }

    #[tokio::test]
    async fn delivers_text_and_html() {
        let (result, messages) = send_one("ana@example.org").await;
        assert!(result.is_ok(), "{result:?}");
        assert_eq!(messages.len(), 1);
        assert!(messages[0].contains("Subject: Invitation"));
        assert!(messages[0].contains("Plain body") && messages[0].contains("<p>HTML body</p>"));
        assert!(messages[0].contains("multipart/alternative"));
    }

    #[tokio::test]
    async fn a_4xx_answer_is_transient() {
        let (result, _) = send_one("later@example.org").await;
        assert!(matches!(result, Err(SendError::Transient(_))), "{result:?}");
    }

    #[tokio::test]
    async fn a_5xx_answer_is_permanent() {
        let (result, _) = send_one("reject@example.org").await;
        assert!(matches!(result, Err(SendError::Permanent(_))), "{result:?}");
    }

    #[tokio::test]
    async fn an_unreachable_server_is_transient() {
        let transport = SmtpTransport::new("smtp://127.0.0.1:1", "no-reply@netinvet.test").unwrap();
        let result = transport.send(&email("ana@example.org")).await;
        assert!(matches!(result, Err(SendError::Transient(_))), "{result:?}");
    }

    #[tokio::test]
    async fn the_documented_url_forms_are_understood() {
        for url in
            ["smtp://user:pass@mail.example.org:587?tls=starttls", "smtps://mail.example.org", "smtp://localhost:1025"]
        {
            assert!(SmtpTransport::new(url, "no-reply@netinvet.test").is_ok(), "{url}");
        }
        assert!(SmtpTransport::new("smtp://mail.example.org?tls=sometimes", "no-reply@netinvet.test").is_err());
        assert!(SmtpTransport::new("smtp://mail.example.org", "not an address").is_err());
    }
}
