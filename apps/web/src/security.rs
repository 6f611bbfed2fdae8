//! Secure response headers and the rate limiter of the sign-in, reset and link endpoints.

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderName, HeaderValue, header};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::error::WebError;

/// No inline script anywhere: pages work without JavaScript and the policy forbids it.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

/// The layers that add security headers to every response (unless a handler set its own).
pub fn header_layers(https: bool) -> Vec<SetResponseHeaderLayer<HeaderValue>> {
    let mut layers = vec![
        SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ),
        SetResponseHeaderLayer::if_not_present(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
        SetResponseHeaderLayer::if_not_present(header::REFERRER_POLICY, HeaderValue::from_static("same-origin")),
        SetResponseHeaderLayer::if_not_present(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
        SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
        ),
        SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static("cross-origin-opener-policy"),
            HeaderValue::from_static("same-origin"),
        ),
    ];
    if https {
        layers.push(SetResponseHeaderLayer::if_not_present(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        ));
    }
    layers
}

/// Counts attempts per client and endpoint.
#[derive(Debug, Clone)]
pub struct Limiter {
    inner: Arc<DefaultKeyedRateLimiter<String>>,
    trust_forwarded_for: bool,
}

impl Limiter {
    pub fn per_minute(attempts: u32, trust_forwarded_for: bool) -> Self {
        let quota = Quota::per_minute(NonZeroU32::new(attempts).unwrap_or(NonZeroU32::MIN));
        Self { inner: Arc::new(RateLimiter::keyed(quota)), trust_forwarded_for }
    }

    /// Counts one attempt at `endpoint` by `client`; refuses past the quota.
    pub fn check(&self, endpoint: &'static str, client: &ClientIp) -> Result<(), WebError> {
        self.check_key(endpoint, &client.0)
    }

    /// Counts one attempt against an arbitrary key (e.g. the account being tried).
    pub fn check_key(&self, endpoint: &'static str, key: &str) -> Result<(), WebError> {
        self.inner.check_key(&format!("{endpoint}:{key}")).map_err(|_| {
            tracing::warn!(endpoint, "rate limit reached");
            WebError::TooManyRequests
        })
    }
}

/// The client's address: the socket peer, or the first `X-Forwarded-For` hop when configured to
/// trust the proxy in front.
#[derive(Debug, Clone)]
pub struct ClientIp(pub String);

impl FromRequestParts<crate::AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &crate::AppState) -> Result<Self, Self::Rejection> {
        if state.limiter.trust_forwarded_for
            && let Some(ip) = parts
                .headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split(',').next())
                .and_then(|v| v.trim().parse::<IpAddr>().ok())
        {
            return Ok(ClientIp(ip.to_string()));
        }
        let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip().to_string());
        Ok(ClientIp(peer.unwrap_or_else(|| "unknown".to_owned())))
    }
}
