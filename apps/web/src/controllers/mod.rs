//! HTTP handlers, one file per action group. Each handler reads the request, calls the domain
//! and renders a page or redirects; rules live in the domain.

mod account;
mod centre;
mod committee;
mod dev_mailbox;
mod home;
mod invitations;
mod password;
mod session;
mod views;

use axum::Router;
use axum::routing::{get, post};

use crate::AppState;
use crate::error::WebError;

/// Every route. The development mailbox exists only in the embedded mode.
pub fn routes(embedded: bool) -> Router<AppState> {
    let mut router = Router::new()
        .route("/", get(home::home))
        .route("/healthz", get(home::healthz))
        .route("/readyz", get(home::readyz))
        .route("/static/app.css", get(home::stylesheet))
        .route("/language", post(home::switch_language))
        .route("/sign-in", get(session::sign_in_form).post(session::sign_in))
        .route("/sign-out", post(session::sign_out))
        .route("/password/forgot", get(password::forgot_form).post(password::forgot))
        .route("/password/reset/{token}", get(password::reset_form).post(password::reset))
        .route("/invitations/{token}", get(invitations::show).post(invitations::accept))
        .route("/account", get(account::show).post(account::update_profile))
        .route("/account/password", post(account::change_password))
        .route("/c/{slug}", get(centre::dashboard::redirect_to_slash))
        .route("/c/{slug}/", get(centre::dashboard::dashboard))
        .route("/c/{slug}/invitations", post(centre::invitations::invite))
        .route("/c/{slug}/invitations/{id}/revoke", post(centre::invitations::revoke))
        .route("/committee", get(committee::redirect_to_slash))
        .route("/committee/", get(committee::centres::list))
        .route("/committee/centres/new", get(committee::centres::new_form).post(committee::centres::create))
        .route("/committee/centres/{slug}", get(committee::centres::show))
        .route("/committee/deliveries", get(committee::deliveries::list));
    if embedded {
        router = router
            .route("/dev/mailbox", get(dev_mailbox::list))
            .route("/dev/mailbox/{id}", get(dev_mailbox::show))
            .route("/dev/mailbox/{id}/html", get(dev_mailbox::html_body));
    }
    router.fallback(not_found)
}

async fn not_found() -> WebError {
    WebError::NotFound
}

/// Every route template that a signed-in member of one centre must not reach in another centre
/// (the cross-tenant test walks this list).
pub const CENTRE_ROUTES: &[(&str, &str)] =
    &[("GET", "/c/{slug}/"), ("POST", "/c/{slug}/invitations"), ("POST", "/c/{slug}/invitations/{id}/revoke")];
