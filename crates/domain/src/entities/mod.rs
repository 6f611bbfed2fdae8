//! sea-orm entities, one per table. Private to the domain crate: other crates go through the
//! domain's functions, which is what keeps tenant scoping impossible to forget.

pub(crate) mod audit_log;
pub(crate) mod centre;
pub(crate) mod centre_application;
pub(crate) mod centre_profile;
pub(crate) mod centre_qualification;
pub(crate) mod charter_item;
pub(crate) mod charter_section;
pub(crate) mod charter_version;
pub(crate) mod dev_mail;
pub(crate) mod email;
pub(crate) mod invitation;
pub(crate) mod label;
pub(crate) mod membership;
pub(crate) mod network_role;
pub(crate) mod network_setting;
pub(crate) mod news_article;
pub(crate) mod outbox_entry;
pub(crate) mod profile;
pub(crate) mod qualification;
pub(crate) mod qualification_unit;
pub(crate) mod sector;
pub(crate) mod session;
pub(crate) mod token;
pub(crate) mod unit;
pub(crate) mod user;
