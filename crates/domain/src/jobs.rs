//! Job payloads, shared by the web app and scheduler (which enqueue them through the outbox) and
//! the worker (which maps each stable name to its handler).
//!
//! A job's name is a stable string, never derived from its Rust type, so renaming a type cannot
//! orphan queued jobs. Every job carries a key: the outbox and the queue both refuse a second
//! job with the same key, which is what makes a double scheduler tick harmless.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// The one apalis queue every job travels on; the envelope says which job it is.
pub const QUEUE: &str = "netinvet.jobs";

/// A job as it travels through the outbox and the queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobEnvelope {
    /// The job's stable name, e.g. `email.send`.
    pub name: String,
    /// Deduplication key: at most one job with this key is ever queued.
    pub key: String,
    pub payload: serde_json::Value,
    /// The centre the job acts for, when it acts for one (goes into the span as `tenant.id`).
    pub centre_id: Option<i64>,
    /// W3C trace context of the request or tick that caused the job.
    pub trace: HashMap<String, String>,
}

/// A kind of job.
pub trait Job: Serialize + DeserializeOwned {
    /// Stable name; changing it orphans queued jobs of this kind.
    const NAME: &'static str;

    /// The deduplication key of this particular job.
    fn key(&self) -> String;
}

/// Delivers one recorded email. Idempotent: an email already marked sent is skipped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SendEmail {
    pub email_id: i64,
}

impl Job for SendEmail {
    const NAME: &'static str = "email.send";

    fn key(&self) -> String {
        format!("{}:{}", Self::NAME, self.email_id)
    }
}

/// Reminds invitees who have not answered after the reminder delay (once) and expires
/// invitations past their expiry. Idempotent: each invitation's reminder has its own email
/// idempotency key and `reminded_at` is set in the same transaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SweepInvitations {
    /// The scheduler tick this sweep belongs to; two schedulers ticking together share it.
    pub tick: DateTime<Utc>,
}

impl Job for SweepInvitations {
    const NAME: &'static str = "invitations.sweep";

    fn key(&self) -> String {
        format!("{}:{}", Self::NAME, self.tick.timestamp())
    }
}

/// Deletes expired sessions and used or expired tokens, and relayed outbox rows past their
/// retention. Idempotent: deleting what is already gone changes nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurgeExpired {
    pub tick: DateTime<Utc>,
}

impl Job for PurgeExpired {
    const NAME: &'static str = "maintenance.purge";

    fn key(&self) -> String {
        format!("{}:{}", Self::NAME, self.tick.timestamp())
    }
}

/// Recounts the places taken on a mobility offer, in its host centre's transaction, after an
/// operation on it started or stopped holding places. Idempotent: it recomputes the count from
/// the operations, so running it twice writes the same number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecountOfferPlaces {
    pub offer_id: i64,
    pub host_centre_id: i64,
    pub operation_id: i64,
    /// The state the operation moved to. An operation starts holding places once and stops
    /// once, so operation and state identify the change this recount follows.
    pub to_state: String,
}

impl Job for RecountOfferPlaces {
    const NAME: &'static str = "offers.recount";

    fn key(&self) -> String {
        format!("{}:{}:{}", Self::NAME, self.operation_id, self.to_state)
    }
}

/// Emails a digest of the messages posted on operation threads since each coordinator's last
/// email, to those whose hour has passed. Idempotent: each digest email has its own key (the
/// last message it covers) and the watcher's position moves in the same transaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SendMessageDigests {
    pub tick: DateTime<Utc>,
}

impl Job for SendMessageDigests {
    const NAME: &'static str = "messages.digest";

    fn key(&self) -> String {
        format!("{}:{}", Self::NAME, self.tick.timestamp())
    }
}

/// Emails the coordinators of one centre about a new message on an operation's thread, unless
/// they were emailed about that thread within the hour (the digest takes over). Idempotent: the
/// email is keyed by message and person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotifyThread {
    pub message_id: i64,
    pub operation_id: i64,
    pub recipient_centre_id: i64,
}

impl Job for NotifyThread {
    const NAME: &'static str = "messages.notify";

    fn key(&self) -> String {
        format!("{}:{}", Self::NAME, self.message_id)
    }
}

/// Emails the coordinators of one centre about a step the other centre took on a shared
/// operation (a request, an acceptance, a decline, proposed dates, a cancellation).
/// Idempotent: the email is keyed by the recorded transition and the person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotifyOperation {
    pub operation_id: i64,
    pub recipient_centre_id: i64,
    pub transition_id: i64,
    /// `requested`, `accepted`, `declined`, `proposed`, `proposal_accepted`, `cancelled`.
    pub event: String,
}

impl Job for NotifyOperation {
    const NAME: &'static str = "operations.notify";

    fn key(&self) -> String {
        format!("{}:{}:{}", Self::NAME, self.transition_id, self.recipient_centre_id)
    }
}

/// Every job name the worker must know; a test checks the worker maps each one.
pub const ALL_JOB_NAMES: &[&str] = &[
    SendEmail::NAME,
    SweepInvitations::NAME,
    PurgeExpired::NAME,
    RecountOfferPlaces::NAME,
    SendMessageDigests::NAME,
    NotifyThread::NAME,
    NotifyOperation::NAME,
];
