//! What every page needs from the request: the visitor's language, the signed-in person (if
//! any), the session's anti-forgery token, and rendering with the base layout. Also the
//! [`CsrfForm`] extractor that every state-changing form goes through.

use std::sync::LazyLock;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use minijinja::{Environment, Value, context};
use netinvet_domain::accounts::{self, MyCentre, User};
use netinvet_domain::tenancy::{CommitteeAccess, UserId};
use netinvet_i18n::Lang;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

use crate::AppState;
use crate::error::WebError;

pub const SESSION_USER: &str = "user_id";
pub const SESSION_EPOCH: &str = "epoch";
pub const SESSION_CSRF: &str = "csrf";
pub const SESSION_LANG: &str = "lang";

macro_rules! page_templates {
    ($($name:literal),* $(,)?) => { &[$(($name, include_str!(concat!("../templates/", $name)))),*] };
}

/// Every page template, embedded at compile time.
pub const TEMPLATE_SOURCES: &[(&str, &str)] = page_templates!(
    "base.html",
    "macros.html",
    "home.html",
    "error.html",
    "sign_in.html",
    "forgot_password.html",
    "forgot_password_sent.html",
    "reset_password.html",
    "link_invalid.html",
    "invitation.html",
    "account.html",
    "centre_dashboard.html",
    "committee_centres.html",
    "committee_centre_new.html",
    "committee_centre.html",
    "committee_deliveries.html",
    "dev_mailbox.html",
    "dev_mail.html",
    "_localized.html",
    "_committee_nav.html",
    "_status_actions.html",
    "_refused.html",
    "_profile_fields.html",
    "_unit_fields.html",
    "_qualification_fields.html",
    "_charter_item_fields.html",
    "members.html",
    "member.html",
    "references.html",
    "reference_profile.html",
    "qualifications.html",
    "charters.html",
    "charter.html",
    "news.html",
    "news_article.html",
    "join.html",
    "join_thanks.html",
    "centre_declarations.html",
    "committee_references.html",
    "committee_sector.html",
    "committee_profile_new.html",
    "committee_profile.html",
    "committee_unit.html",
    "committee_qualifications.html",
    "committee_qualification.html",
    "committee_charters.html",
    "committee_charter.html",
    "committee_news.html",
    "committee_news_edit.html",
    "committee_applications.html",
    "committee_application.html",
    "_centre_nav.html",
    "_offer_summary.html",
    "_agreement_terms.html",
    "centre_offers.html",
    "centre_partners.html",
    "centre_offer.html",
    "centre_agreements.html",
    "centre_agreement.html",
    "centre_operations.html",
    "centre_operation.html",
    "centre_learning_agreement.html",
);

static TEMPLATES: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    // Optional parts of a page (a form's errors) may be absent; the tests render every page.
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Chainable);
    netinvet_i18n::install(&mut env);
    env.add_filter("date", |value: String| value.get(..10).unwrap_or(&value).to_owned());
    env.add_filter("datetime", |value: String| value.get(..16).unwrap_or(&value).replace('T', " "));
    for (name, source) in TEMPLATE_SOURCES {
        env.add_template(name, source).unwrap_or_else(|err| panic!("template {name} does not parse: {err:#}"));
    }
    env
});

/// The signed-in person as pages see them.
#[derive(Debug, Clone, Serialize)]
pub struct SignedIn {
    #[serde(skip)]
    pub user: User,
    /// Proof of committee membership, looked up once per request.
    #[serde(skip)]
    pub committee_access: Option<CommitteeAccess>,
    pub name: String,
    pub committee: bool,
    pub centres: Vec<CentreLink>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CentreLink {
    pub slug: String,
    pub name: String,
    pub role: String,
}

impl From<MyCentre> for CentreLink {
    fn from(c: MyCentre) -> Self {
        CentreLink { slug: c.slug, name: c.name, role: c.role.as_str().to_owned() }
    }
}

/// The request's page context.
pub struct Page {
    pub session: Session,
    pub lang: Lang,
    pub signed_in: Option<SignedIn>,
    pub csrf: String,
    /// Path and query of this request, for `next=` links and the language switcher.
    pub path: String,
    pub embedded: bool,
    /// The request's span, to record `tenant.id` on once the centre is known.
    pub request_span: tracing::Span,
}

/// The session's person, if the session is signed in and still valid (same password epoch).
pub async fn session_user(state: &AppState, session: &Session) -> Result<Option<User>, WebError> {
    let Some(id) = session.get::<i64>(SESSION_USER).await? else {
        return Ok(None);
    };
    let epoch = session.get::<i32>(SESSION_EPOCH).await?.unwrap_or(-1);
    match accounts::find(&state.db, UserId::from_session(id)).await? {
        Some(user) if user.session_epoch == epoch => Ok(Some(user)),
        _ => {
            session.flush().await?;
            Ok(None)
        }
    }
}

/// The language for this request: the person's preference, then the visitor's choice in this
/// session, then `Accept-Language`, then English.
pub async fn resolve_lang(
    headers: &axum::http::HeaderMap,
    session: &Session,
    user: Option<&User>,
) -> Result<Lang, WebError> {
    if let Some(user) = user {
        return Ok(user.language);
    }
    if let Some(code) = session.get::<String>(SESSION_LANG).await?
        && let Ok(lang) = code.parse()
    {
        return Ok(lang);
    }
    Ok(headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(netinvet_i18n::negotiate)
        .unwrap_or(Lang::En))
}

async fn csrf_token(session: &Session) -> Result<String, WebError> {
    if let Some(token) = session.get::<String>(SESSION_CSRF).await? {
        return Ok(token);
    }
    let mut bytes = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut bytes);
    let token = hex::encode(bytes);
    session.insert(SESSION_CSRF, &token).await?;
    Ok(token)
}

impl FromRequestParts<AppState> for Page {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let session = Session::from_request_parts(parts, state)
            .await
            .map_err(|(_, msg)| WebError::Internal(format!("session layer missing: {msg}")))?;
        let user = session_user(state, &session).await?;
        let lang = resolve_lang(&parts.headers, &session, user.as_ref()).await?;
        let signed_in = match user {
            Some(user) => {
                let committee_access = accounts::committee_access(&state.db, user.id).await?;
                let centres =
                    accounts::my_centres(&state.db, user.id).await?.into_iter().map(CentreLink::from).collect();
                Some(SignedIn {
                    name: user.name.clone(),
                    committee: committee_access.is_some(),
                    committee_access,
                    user,
                    centres,
                })
            }
            None => None,
        };
        let csrf = csrf_token(&session).await?;
        let path = parts.uri.path_and_query().map_or_else(|| "/".to_owned(), |pq| pq.as_str().to_owned());
        let request_span =
            parts.extensions.get::<crate::RequestSpan>().map_or_else(tracing::Span::none, |s| s.0.clone());
        Ok(Page { session, lang, signed_in, csrf, path, embedded: state.embedded, request_span })
    }
}

impl Page {
    /// The signed-in person, or [`WebError::SignInRequired`] (a redirect that comes back here).
    pub fn require_user(&self) -> Result<&SignedIn, WebError> {
        self.signed_in.as_ref().ok_or_else(|| WebError::SignInRequired(self.path.clone()))
    }

    /// Starts a signed-in session for `user`: a new session id (a session fixed before sign-in
    /// is worthless after it), a new anti-forgery token, and the password epoch.
    pub async fn start_session(&self, user: &User) -> Result<(), WebError> {
        self.session.cycle_id().await?;
        self.session.remove::<String>(SESSION_CSRF).await?;
        self.session.insert(SESSION_USER, user.id.get()).await?;
        self.session.insert(SESSION_EPOCH, user.session_epoch).await?;
        Ok(())
    }

    /// Renders `template` inside the base layout with the page's common context.
    pub fn render(&self, template: &str, ctx: Value) -> Result<Response, WebError> {
        let base = context! {
            lang => self.lang.code(),
            languages => Lang::ALL.iter().map(|l| context! { code => l.code(), name => l.endonym() }).collect::<Vec<_>>(),
            signed_in => self.signed_in.as_ref().map(Value::from_serialize),
            csrf_token => &self.csrf,
            current_path => &self.path,
            embedded => self.embedded,
        };
        let html = TEMPLATES.get_template(template)?.render(context! { ..ctx, ..base })?;
        let mut response = Html(html).into_response();
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        Ok(response)
    }

    /// Renders `template` with another status than 200 (a refused form is 422).
    pub fn render_with_status(&self, status: StatusCode, template: &str, ctx: Value) -> Result<Response, WebError> {
        let mut response = self.render(template, ctx)?;
        *response.status_mut() = status;
        Ok(response)
    }
}

/// Renders the error page for `status` (used by the error-page middleware).
pub fn render_error(lang: Lang, status: u16, message_key: &str, signed_in: bool) -> Result<String, minijinja::Error> {
    TEMPLATES.get_template("error.html")?.render(context! {
        lang => lang.code(),
        languages => Lang::ALL.iter().map(|l| context! { code => l.code(), name => l.endonym() }).collect::<Vec<_>>(),
        signed_in => signed_in.then(|| context! { name => "", committee => false, centres => Vec::<Value>::new() }),
        csrf_token => "",
        current_path => "/",
        embedded => false,
        status => status,
        message_key => message_key,
    })
}

/// A redirect to the sign-in page that returns to `path` afterwards.
pub fn sign_in_redirect(path: &str) -> Response {
    let next = form_urlencode(path);
    axum::response::Redirect::to(&format!("/sign-in?next={next}")).into_response()
}

fn form_urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => (b as char).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// A safe place to go after signing in: a local path, never another site.
pub fn safe_next(next: Option<&str>) -> Option<String> {
    let next = next?;
    (next.starts_with('/') && !next.starts_with("//") && !next.starts_with("/\\") && !next.contains(['\r', '\n']))
        .then(|| next.to_owned())
}

#[derive(Deserialize)]
struct CsrfField {
    #[serde(default)]
    csrf_token: String,
}

/// A submitted form whose anti-forgery token matched the session's. Every state-changing form
/// is read through this extractor.
pub struct CsrfForm<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for CsrfForm<T> {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let session = Session::from_request_parts(&mut parts, state)
            .await
            .map_err(|(_, msg)| WebError::Internal(format!("session layer missing: {msg}")))?;
        let bytes = Bytes::from_request(Request::from_parts(parts, body), state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                WebError::TooLarge
            } else {
                WebError::BadRequest("error.page.bad_request")
            }
        })?;
        let sent: CsrfField = serde_html_form::from_bytes(&bytes).map_err(|_| WebError::Csrf)?;
        let expected = session.get::<String>(SESSION_CSRF).await?.ok_or(WebError::Csrf)?;
        if !constant_time_eq(sent.csrf_token.as_bytes(), expected.as_bytes()) {
            return Err(WebError::Csrf);
        }
        serde_html_form::from_bytes(&bytes).map(CsrfForm).map_err(|_| WebError::BadRequest("error.page.bad_request"))
    }
}

/// Checks a token sent outside [`CsrfForm`] (a multipart upload) against the session's.
pub async fn check_csrf(session: &Session, sent: &str) -> Result<(), WebError> {
    let expected = session.get::<String>(SESSION_CSRF).await?.ok_or(WebError::Csrf)?;
    if constant_time_eq(sent.as_bytes(), expected.as_bytes()) { Ok(()) } else { Err(WebError::Csrf) }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Field errors as the templates show them: `{field: message}` already translated.
pub fn field_errors(lang: Lang, err: &netinvet_domain::DomainError) -> Option<Value> {
    match err {
        netinvet_domain::DomainError::Invalid(errors) => Some(Value::from_iter(
            errors.iter().map(|e| (e.field.clone(), netinvet_i18n::translate(lang, e.message_key, &[]))),
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_must_stay_on_this_site() {
        assert_eq!(safe_next(Some("/c/lyon/")), Some("/c/lyon/".into()));
        assert_eq!(safe_next(Some("//evil.example/")), None);
        assert_eq!(safe_next(Some("https://evil.example/")), None);
        assert_eq!(safe_next(Some("/\\evil.example")), None);
        assert_eq!(safe_next(None), None);
    }

    #[test]
    fn every_template_key_is_translated_in_every_language() {
        let mut sources: Vec<&str> = TEMPLATE_SOURCES.iter().map(|(_, s)| *s).collect();
        sources.extend(netinvet_mail::all_template_sources().map(|(_, s)| *s));
        let mut keys = std::collections::BTreeSet::new();
        for source in sources {
            for piece in source.split("t(\"").skip(1) {
                if let Some((key, _)) = piece.split_once('"')
                    && !key.ends_with('.')
                {
                    keys.insert(key.to_owned());
                }
            }
        }
        assert!(keys.len() > 50, "expected the templates to use many keys, found {}", keys.len());
        for lang in Lang::ALL {
            let missing: Vec<_> = keys.iter().filter(|k| !netinvet_i18n::has_key(lang, k)).collect();
            assert!(missing.is_empty(), "{lang} lacks {missing:?}");
        }
    }
}
