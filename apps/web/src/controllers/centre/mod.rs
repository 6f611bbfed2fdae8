//! A centre's workspace under `/c/{slug}/`. Entering it checks membership: a person from
//! another centre gets the same 404 as for a centre that does not exist.

pub mod dashboard;
pub mod invitations;

use axum::response::Response;
use netinvet_domain::tenancy::CentreAccess;

use crate::AppState;
use crate::error::WebError;
use crate::page::{Page, sign_in_redirect};

/// The caller's access to the centre, or the response to send instead (sign in first).
pub(crate) async fn enter(
    state: &AppState,
    page: &Page,
    slug: &str,
) -> Result<Result<CentreAccess, Response>, WebError> {
    if !netinvet_domain::centres::slug_exists(&state.db, slug).await? {
        return Err(WebError::NotFound);
    }
    let Some(signed_in) = &page.signed_in else {
        return Ok(Err(sign_in_redirect(&page.path)));
    };
    let access = netinvet_domain::centres::enter(&state.db, slug, signed_in.user.id).await?;
    tracing::Span::current().record("tenant.id", access.centre_id().get());
    Ok(Ok(access))
}
