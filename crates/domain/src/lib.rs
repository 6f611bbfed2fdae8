//! The NETINVET model and its rules: centres (the tenants), people, invitations, notifications,
//! the job outbox, network settings. Nothing here knows about HTTP.
//!
//! Tenant-owned data is reached only through functions that take a [`tenancy::CentreAccess`]
//! (proof that the caller may act in that centre) or run inside the domain's own jobs; the
//! sea-orm entities are private to this crate, so no other crate can write a query that forgets
//! the tenant. The committee's cross-tenant reads go through [`tenancy::CommitteeAccess`], and
//! every one of them is written to the audit log.

pub mod accounts;
pub mod applications;
pub mod audit;
pub mod centres;
pub mod charters;
pub mod clock;
pub mod db;
pub mod declarations;
pub mod dev_mailbox;
pub mod directory;
mod entities;
pub mod error;
pub mod invitations;
pub mod jobs;
pub mod mobility;
pub mod news;
pub mod notifications;
pub mod outbox;
pub mod references;
pub mod seed;
pub mod sessions;
pub mod settings;
pub mod storage;
pub mod tenancy;
pub mod tokens;
pub mod types;

pub use clock::{Clock, FixedClock, SystemClock};
pub use db::{Db, DbKind};
pub use error::{DomainError, FormData};
pub use netinvet_i18n::Lang;

/// Where links in emails point: the platform's public base URL, without a trailing slash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicUrl(String);

impl PublicUrl {
    pub fn new(url: &str) -> Self {
        Self(url.trim_end_matches('/').to_owned())
    }

    /// `path` must start with `/`.
    pub fn join(&self, path: &str) -> String {
        format!("{}{path}", self.0)
    }

    /// The host (and port) part, e.g. `netinvet.example`.
    pub fn host(&self) -> &str {
        let rest = self.0.split_once("://").map_or(self.0.as_str(), |(_, rest)| rest);
        rest.split('/').next().unwrap_or(rest)
    }

    pub fn is_https(&self) -> bool {
        self.0.starts_with("https://")
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}
