//! A centre's workspace under `/c/{slug}/`. Entering it checks membership: a person from
//! another centre gets the same 404 as for a centre that does not exist.

pub mod agreements;
pub mod dashboard;
pub mod declarations;
pub mod documents;
pub mod invitations;
pub mod learning;
pub mod offers;
pub mod operations;
pub mod partners;

use netinvet_domain::tenancy::CentreAccess;

use crate::AppState;
use crate::error::WebError;
use crate::page::Page;

/// The caller's access to the centre. A visitor is sent to sign in (when the centre exists);
/// a person who is not a member gets [`WebError::NotFound`], as for an unknown centre.
pub(crate) async fn enter(state: &AppState, page: &Page, slug: &str) -> Result<CentreAccess, WebError> {
    let Some(signed_in) = &page.signed_in else {
        return Err(if netinvet_domain::centres::slug_exists(&state.db, slug).await? {
            WebError::SignInRequired(page.path.clone())
        } else {
            WebError::NotFound
        });
    };
    let access = netinvet_domain::centres::enter(&state.db, slug, signed_in.user.id).await?;
    page.request_span.record("tenant.id", access.centre_id().get());
    Ok(access)
}

/// Like [`enter`], for the staff's pages (mobility organisation): a learner of the centre gets
/// [`WebError::Forbidden`]; their own space comes with the learner's space.
pub(crate) async fn enter_staff(state: &AppState, page: &Page, slug: &str) -> Result<CentreAccess, WebError> {
    let access = enter(state, page, slug).await?;
    if access.role() == netinvet_domain::types::MembershipRole::Learner {
        return Err(WebError::Forbidden);
    }
    Ok(access)
}
