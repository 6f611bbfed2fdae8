//! Emails: their typed contexts, their templates (embedded in the binary at compile time) and
//! the transports that deliver them.
//!
//! Each email is a folder under `templates/` with `subject.txt`, `body.txt` and `body.html`,
//! extending `base.txt`/`base.html`; every sentence goes through the translation layer, so one
//! template serves every language. This crate never decides *whether* to send: deduplication,
//! caps and delivery records belong to the domain's notifications.

mod transport;

use minijinja::Environment;
use netinvet_i18n::Lang;
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

pub use transport::{MailTransport, MemoryTransport, SendError, SmtpTransport};

/// An email the platform sends, with everything its template needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "template", content = "context", rename_all = "snake_case")]
pub enum Email {
    Invitation(InvitationEmail),
    InvitationReminder(InvitationEmail),
    PasswordReset(PasswordResetEmail),
    ApplicationReceived(ApplicationReceivedEmail),
    OperationMessage(OperationMessageEmail),
    MessageDigest(MessageDigestEmail),
    OperationEvent(OperationEventEmail),
}

/// An invitation to join a centre's workspace.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvitationEmail {
    pub centre_name: String,
    /// Translation key of the role offered, e.g. `role.learner`.
    pub role_key: String,
    pub accept_url: String,
    /// Last day the link works, already formatted (YYYY-MM-DD).
    pub expires_on: String,
}

/// A link to choose a new password.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PasswordResetEmail {
    pub name: String,
    pub reset_url: String,
    pub valid_minutes: i64,
}

/// The acknowledgement of an application to join the network.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApplicationReceivedEmail {
    pub contact_name: String,
    pub centre_name: String,
    /// Already formatted (YYYY-MM-DD).
    pub submitted_on: String,
}

/// A new message on a mobility operation's thread.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OperationMessageEmail {
    /// The operation, already named (centres and period).
    pub operation: String,
    pub from_centre: String,
    pub author: String,
    pub excerpt: String,
    pub url: String,
}

/// Several messages on one thread, gathered because their reader was emailed within the hour.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MessageDigestEmail {
    pub operation: String,
    pub count: usize,
    pub messages: Vec<DigestMessage>,
    pub url: String,
}

/// A step of a mobility operation taken by the other centre (a request, an acceptance...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OperationEventEmail {
    /// `requested`, `accepted`, `declined`, `proposed`, `cancelled`.
    pub event: String,
    pub operation: String,
    pub other_centre: String,
    /// The reason given for a decline or a cancellation, or "".
    pub reason: String,
    pub url: String,
}

/// One message in a digest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DigestMessage {
    pub author: String,
    /// Already formatted (YYYY-MM-DD HH:MM, UTC).
    pub at: String,
    pub excerpt: String,
}

impl Email {
    /// The stable template name, also the folder under `templates/`.
    pub fn template(&self) -> &'static str {
        match self {
            Email::Invitation(_) => "invitation",
            Email::InvitationReminder(_) => "invitation_reminder",
            Email::PasswordReset(_) => "password_reset",
            Email::ApplicationReceived(_) => "application_received",
            Email::OperationMessage(_) => "operation_message",
            Email::MessageDigest(_) => "message_digest",
            Email::OperationEvent(_) => "operation_event",
        }
    }

    fn context(&self) -> minijinja::Value {
        match self {
            Email::Invitation(c) | Email::InvitationReminder(c) => minijinja::Value::from_serialize(c),
            Email::PasswordReset(c) => minijinja::Value::from_serialize(c),
            Email::ApplicationReceived(c) => minijinja::Value::from_serialize(c),
            Email::OperationMessage(c) => minijinja::Value::from_serialize(c),
            Email::MessageDigest(c) => minijinja::Value::from_serialize(c),
            Email::OperationEvent(c) => minijinja::Value::from_serialize(c),
        }
    }

    /// Renders subject, text and HTML bodies in `lang`.
    pub fn render(&self, lang: Lang) -> Result<RenderedEmail, minijinja::Error> {
        let name = self.template();
        let ctx = minijinja::context! { lang => lang.code(), email => self.context() };
        let render = |part: &str| TEMPLATES.get_template(&format!("{name}/{part}"))?.render(&ctx);
        Ok(RenderedEmail {
            subject: render("subject.txt")?.trim().to_owned(),
            text: render("body.txt")?,
            html: render("body.html")?,
        })
    }
}

/// The three parts of a rendered email.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RenderedEmail {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// A rendered email addressed to one recipient, ready for a transport.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingEmail {
    /// The delivery record this email comes from.
    pub delivery_id: i64,
    pub to: String,
    pub rendered: RenderedEmail,
}

macro_rules! email_templates {
    ($($name:literal),* $(,)?) => {
        &[$(
            (concat!($name, "/subject.txt"), include_str!(concat!("../templates/", $name, "/subject.txt"))),
            (concat!($name, "/body.txt"), include_str!(concat!("../templates/", $name, "/body.txt"))),
            (concat!($name, "/body.html"), include_str!(concat!("../templates/", $name, "/body.html"))),
        )*]
    };
}

/// Every template source, embedded at compile time: the binary never reads templates from disk.
pub const TEMPLATE_SOURCES: &[(&str, &str)] = email_templates!(
    "invitation",
    "invitation_reminder",
    "password_reset",
    "application_received",
    "operation_message",
    "message_digest",
    "operation_event"
);
const BASE_SOURCES: &[(&str, &str)] =
    &[("base.html", include_str!("../templates/base.html")), ("base.txt", include_str!("../templates/base.txt"))];

static TEMPLATES: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".html") { minijinja::AutoEscape::Html } else { minijinja::AutoEscape::None }
    });
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    netinvet_i18n::install(&mut env);
    for (name, source) in BASE_SOURCES.iter().chain(TEMPLATE_SOURCES) {
        env.add_template(name, source).unwrap_or_else(|err| panic!("email template {name} does not parse: {err}"));
    }
    env
});

/// All template sources (bases included), for the test that checks every translation key exists.
pub fn all_template_sources() -> impl Iterator<Item = &'static (&'static str, &'static str)> {
    BASE_SOURCES.iter().chain(TEMPLATE_SOURCES)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn invitation() -> InvitationEmail {
        InvitationEmail {
            centre_name: "Lycée <Jean> & Co".into(),
            role_key: "role.learner".into(),
            accept_url: "https://netinvet.example/invitations/TOKEN".into(),
            expires_on: "2026-12-18".into(),
        }
    }

    fn all_emails() -> Vec<Email> {
        vec![
            Email::Invitation(invitation()),
            Email::InvitationReminder(invitation()),
            Email::PasswordReset(PasswordResetEmail {
                name: "Ana Pereira".into(),
                reset_url: "https://netinvet.example/password/reset/TOKEN".into(),
                valid_minutes: 60,
            }),
            Email::ApplicationReceived(ApplicationReceivedEmail {
                contact_name: "Ana Pereira".into(),
                centre_name: "Escola Profissional de Setúbal".into(),
                submitted_on: "2026-09-01".into(),
            }),
            Email::OperationMessage(OperationMessageEmail {
                operation: "Lycée de Lyon → BK Köln (2027-03-01 – 2027-03-28)".into(),
                from_centre: "BK Köln".into(),
                author: "Jonas Weber".into(),
                excerpt: "The host families are confirmed.".into(),
                url: "https://netinvet.example/c/lycee-lyon/operations/7#messages".into(),
            }),
            Email::MessageDigest(MessageDigestEmail {
                operation: "Lycée de Lyon → BK Köln (2027-03-01 – 2027-03-28)".into(),
                count: 2,
                messages: vec![
                    DigestMessage {
                        author: "Jonas Weber".into(),
                        at: "2027-01-10 09:12".into(),
                        excerpt: "Tickets booked.".into(),
                    },
                    DigestMessage {
                        author: "Anna Schmidt".into(),
                        at: "2027-01-10 09:40".into(),
                        excerpt: "Tutors named.".into(),
                    },
                ],
                url: "https://netinvet.example/c/lycee-lyon/operations/7#messages".into(),
            }),
            Email::OperationEvent(OperationEventEmail {
                event: "declined".into(),
                operation: "Lycée de Lyon → BK Köln (2027-03-01 – 2027-03-28)".into(),
                other_centre: "BK Köln".into(),
                reason: "Our tutors are on leave that month.".into(),
                url: "https://netinvet.example/c/lycee-lyon/operations/7".into(),
            }),
        ]
    }

    #[test]
    fn every_email_renders_in_every_language() {
        for email in all_emails() {
            for lang in Lang::ALL {
                let rendered = email.render(lang).unwrap();
                let name = format!("{}_{}", email.template(), lang.code());
                insta::assert_snapshot!(format!("{name}_subject"), rendered.subject);
                insta::assert_snapshot!(format!("{name}_text"), rendered.text);
                insta::assert_snapshot!(format!("{name}_html"), rendered.html);
            }
        }
    }

    #[test]
    fn every_operation_event_has_its_sentences() {
        for event in ["requested", "accepted", "declined", "proposed", "proposal_accepted", "cancelled"] {
            for lang in Lang::ALL {
                let email = Email::OperationEvent(OperationEventEmail {
                    event: event.into(),
                    operation: "A → B".into(),
                    other_centre: "B".into(),
                    reason: String::new(),
                    url: "https://netinvet.example/c/a/operations/1".into(),
                });
                let rendered = email.render(lang).unwrap();
                for part in [&rendered.subject, &rendered.text, &rendered.html] {
                    assert!(!part.contains("email.operation_event"), "{event} in {lang} lacks a sentence: {part}");
                }
            }
        }
    }

    #[test]
    fn html_escapes_user_text_and_text_does_not() {
        let rendered = Email::Invitation(invitation()).render(Lang::En).unwrap();
        assert!(rendered.html.contains("Lycée &lt;Jean&gt; &amp; Co"));
        assert!(!rendered.html.contains("<Jean>"));
        assert!(rendered.text.contains("Lycée <Jean> & Co"));
    }

    #[test]
    fn context_round_trips_through_json() {
        for email in all_emails() {
            let json = serde_json::to_string(&email).unwrap();
            assert_eq!(serde_json::from_str::<Email>(&json).unwrap(), email);
        }
    }
}
