//! HTTP handlers, one file per action group. Each handler reads the request, calls the domain
//! and renders a page or redirects; rules live in the domain.

mod account;
mod centre;
mod committee;
mod dev_mailbox;
mod home;
mod invitations;
mod password;
mod public;
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
        .route("/robots.txt", get(public::seo::robots))
        .route("/sitemap.xml", get(public::seo::sitemap))
        .route("/members", get(public::members::directory))
        .route("/members/{slug}", get(public::members::profile))
        .route("/references", get(public::references::index))
        .route("/references/qualifications", get(public::references::qualifications))
        .route("/references/{code}", get(public::references::profile))
        .route("/charters", get(public::charters::index))
        .route("/charters/{kind}", get(public::charters::current))
        .route("/charters/{kind}/v/{version}", get(public::charters::version))
        .route("/news", get(public::news::list))
        .route("/news/{slug}", get(public::news::show))
        .route("/join", get(public::join::form).post(public::join::submit))
        .route("/join/thanks", get(public::join::thanks))
        .route("/sign-in", get(session::sign_in_form).post(session::sign_in))
        .route("/sign-out", post(session::sign_out))
        .route("/password/forgot", get(password::forgot_form).post(password::forgot))
        .route("/password/reset/{token}", get(password::reset_form).post(password::reset))
        .route("/invitations/{token}", get(invitations::show).post(invitations::accept))
        .route("/account", get(account::show).post(account::update_profile))
        .route("/account/password", post(account::change_password))
        .route("/c/{slug}", get(centre::dashboard::redirect_to_slash))
        .route("/c/{slug}/", get(centre::dashboard::dashboard))
        .route("/c/{slug}/profile", get(centre::declarations::show).post(centre::declarations::update))
        .route("/c/{slug}/offers", get(centre::offers::list).post(centre::offers::create))
        .route("/c/{slug}/offers/{id}/status", post(centre::offers::set_status))
        .route("/c/{slug}/partners", get(centre::partners::search))
        .route("/c/{slug}/partners/offers/{id}", get(centre::partners::offer).post(centre::partners::request))
        .route("/c/{slug}/agreements", get(centre::agreements::list).post(centre::agreements::draft))
        .route("/c/{slug}/agreements/{id}", get(centre::agreements::show).post(centre::agreements::amend))
        .route("/c/{slug}/agreements/{id}/sign", post(centre::agreements::sign))
        .route("/c/{slug}/operations", get(centre::operations::list))
        .route("/c/{slug}/operations/export.csv", get(centre::operations::export_csv))
        .route("/c/{slug}/operations/export.xlsx", get(centre::operations::export_xlsx))
        .route("/c/{slug}/operations/{id}", get(centre::operations::show))
        .route("/c/{slug}/operations/{id}/state", post(centre::operations::act))
        .route("/c/{slug}/operations/{id}/details", post(centre::operations::details))
        .route("/c/{slug}/operations/{id}/participants", post(centre::operations::add_participant))
        .route("/c/{slug}/operations/{id}/checklist/{item}", post(centre::operations::checklist))
        .route("/c/{slug}/operations/{id}/messages", post(centre::operations::post_message))
        .route("/c/{slug}/operations/{id}/calendar.ics", get(centre::operations::calendar))
        .route(
            "/c/{slug}/operations/{id}/documents",
            post(centre::documents::upload)
                .layer(axum::extract::DefaultBodyLimit::max(crate::MAX_UPLOAD_REQUEST_BYTES)),
        )
        .route("/c/{slug}/operations/{id}/documents/{doc}", get(centre::documents::download))
        .route("/c/{slug}/operations/{id}/learning/{la}", get(centre::learning::show).post(centre::learning::act))
        .route("/c/{slug}/invitations", post(centre::invitations::invite))
        .route("/c/{slug}/invitations/{id}/revoke", post(centre::invitations::revoke))
        .route("/committee", get(committee::redirect_to_slash))
        .route("/committee/", get(committee::centres::list))
        .route("/committee/centres/new", get(committee::centres::new_form).post(committee::centres::create))
        .route("/committee/centres/{slug}", get(committee::centres::show))
        .route("/committee/deliveries", get(committee::deliveries::list))
        .route("/committee/applications", get(committee::applications::list))
        .route("/committee/applications/{id}", get(committee::applications::show))
        .route("/committee/references", get(committee::references::index))
        .route("/committee/references/sectors", post(committee::references::create_sector))
        .route(
            "/committee/references/sectors/{id}",
            get(committee::references::show_sector).post(committee::references::update_sector),
        )
        .route(
            "/committee/references/profiles/new",
            get(committee::references::new_profile).post(committee::references::create_profile),
        )
        .route(
            "/committee/references/profiles/{id}",
            get(committee::references::show_profile).post(committee::references::update_profile),
        )
        .route("/committee/references/profiles/{id}/units", post(committee::references::create_unit))
        .route(
            "/committee/references/units/{id}",
            get(committee::references::show_unit).post(committee::references::update_unit),
        )
        .route(
            "/committee/references/qualifications",
            get(committee::qualifications::list).post(committee::qualifications::create),
        )
        .route(
            "/committee/references/qualifications/{id}",
            get(committee::qualifications::show).post(committee::qualifications::update),
        )
        .route("/committee/references/{piece}/{id}/status", post(committee::references::change_status))
        .route("/committee/references/{piece}/{id}/delete", post(committee::references::delete))
        .route("/committee/charters", get(committee::charters::index))
        .route("/committee/charters/{kind}/draft", post(committee::charters::start_draft))
        .route("/committee/charters/{kind}/v/{version}", get(committee::charters::show).post(committee::charters::edit))
        .route("/committee/charters/{kind}/v/{version}/publish", post(committee::charters::publish))
        .route("/committee/news", get(committee::news::list))
        .route("/committee/news/new", get(committee::news::new_form).post(committee::news::create))
        .route("/committee/news/{id}", get(committee::news::show).post(committee::news::update))
        .route("/committee/news/{id}/publish", post(committee::news::publish));
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
pub const CENTRE_ROUTES: &[(&str, &str)] = &[
    ("GET", "/c/{slug}/"),
    ("GET", "/c/{slug}/profile"),
    ("POST", "/c/{slug}/profile"),
    ("GET", "/c/{slug}/offers"),
    ("POST", "/c/{slug}/offers"),
    ("POST", "/c/{slug}/offers/{id}/status"),
    ("GET", "/c/{slug}/partners"),
    ("GET", "/c/{slug}/partners/offers/{id}"),
    ("POST", "/c/{slug}/partners/offers/{id}"),
    ("GET", "/c/{slug}/agreements"),
    ("POST", "/c/{slug}/agreements"),
    ("GET", "/c/{slug}/agreements/{id}"),
    ("POST", "/c/{slug}/agreements/{id}"),
    ("POST", "/c/{slug}/agreements/{id}/sign"),
    ("GET", "/c/{slug}/operations"),
    ("GET", "/c/{slug}/operations/export.csv"),
    ("GET", "/c/{slug}/operations/export.xlsx"),
    ("GET", "/c/{slug}/operations/{id}"),
    ("POST", "/c/{slug}/operations/{id}/state"),
    ("POST", "/c/{slug}/operations/{id}/details"),
    ("POST", "/c/{slug}/operations/{id}/participants"),
    ("POST", "/c/{slug}/operations/{id}/checklist/{item}"),
    ("POST", "/c/{slug}/operations/{id}/messages"),
    ("GET", "/c/{slug}/operations/{id}/calendar.ics"),
    ("POST", "/c/{slug}/operations/{id}/documents"),
    ("GET", "/c/{slug}/operations/{id}/documents/{doc}"),
    ("GET", "/c/{slug}/operations/{id}/learning/{la}"),
    ("POST", "/c/{slug}/operations/{id}/learning/{la}"),
    ("POST", "/c/{slug}/invitations"),
    ("POST", "/c/{slug}/invitations/{id}/revoke"),
];
