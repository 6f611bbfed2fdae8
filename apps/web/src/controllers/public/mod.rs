//! The public space: the member directory and centre profiles, the shared references, the
//! charters, news, the application to join, and what search engines read (sitemap, robots).
//! Nothing here needs an account; nothing here shows data a centre has not published.

pub mod charters;
pub mod join;
pub mod members;
pub mod news;
pub mod references;
pub mod seo;
