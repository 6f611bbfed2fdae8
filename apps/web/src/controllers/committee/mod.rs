//! The steering committee's area under `/committee/`: every centre, provisioning new ones, and
//! the email deliveries of the whole platform. People who are not on the committee get 404.

pub mod centres;
pub mod deliveries;

use axum::response::{IntoResponse, Redirect, Response};
use netinvet_domain::tenancy::CommitteeAccess;

use crate::AppState;
use crate::error::WebError;
use crate::page::{Page, sign_in_redirect};

pub async fn redirect_to_slash() -> Response {
    Redirect::permanent("/committee/").into_response()
}

/// The caller's committee access, or the response to send instead.
pub(crate) async fn require_committee(
    state: &AppState,
    page: &Page,
) -> Result<Result<CommitteeAccess, Response>, WebError> {
    let Some(signed_in) = &page.signed_in else {
        return Ok(Err(sign_in_redirect(&page.path)));
    };
    netinvet_domain::accounts::committee_access(&state.db, signed_in.user.id).await?.map(Ok).ok_or(WebError::NotFound)
}
