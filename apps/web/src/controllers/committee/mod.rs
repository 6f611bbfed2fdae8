//! The steering committee's area under `/committee/`: every centre, provisioning new ones,
//! applications to join, the shared references, the charters, news, and the email deliveries
//! of the whole platform. People who are not on the committee get 404.

pub mod applications;
pub mod centres;
pub mod charters;
pub mod deliveries;
pub mod news;
pub mod qualifications;
pub mod references;

use axum::response::{IntoResponse, Redirect, Response};
use netinvet_domain::tenancy::CommitteeAccess;

use crate::error::WebError;
use crate::page::Page;

pub async fn redirect_to_slash() -> Response {
    Redirect::permanent("/committee/").into_response()
}

/// The caller's committee access: a visitor is sent to sign in, anyone else gets 404.
pub(crate) fn require_committee(page: &Page) -> Result<CommitteeAccess, WebError> {
    page.require_user()?.committee_access.ok_or(WebError::NotFound)
}
