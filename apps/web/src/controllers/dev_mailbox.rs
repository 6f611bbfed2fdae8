//! The development mailbox (embedded mode only): every email the platform sent, with its text
//! and HTML bodies. Mounted only when the platform runs on SQLite.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use minijinja::context;

use crate::AppState;
use crate::error::WebError;
use crate::page::Page;

pub async fn list(State(state): State<AppState>, page: Page) -> Result<Response, WebError> {
    let mails = netinvet_domain::dev_mailbox::list(&state.db, 200).await?;
    page.render(
        "dev_mailbox.html",
        context! {
            mails => mails.iter().map(|m| context! {
                id => m.id,
                recipient => &m.recipient,
                subject => &m.subject,
                delivered_at => m.delivered_at.to_rfc3339(),
            }).collect::<Vec<_>>(),
        },
    )
}

/// The links in a text body, so they can be followed from the mailbox.
fn links(text: &str) -> Vec<String> {
    text.split_whitespace()
        .filter(|word| word.starts_with("http://") || word.starts_with("https://"))
        .map(str::to_owned)
        .collect()
}

pub async fn show(State(state): State<AppState>, page: Page, Path(id): Path<i64>) -> Result<Response, WebError> {
    let mail = netinvet_domain::dev_mailbox::get(&state.db, id).await?.ok_or(WebError::NotFound)?;
    page.render(
        "dev_mail.html",
        context! {
            mail => context! {
                id => mail.id,
                recipient => &mail.recipient,
                subject => &mail.subject,
                text_body => &mail.text_body,
                delivered_at => mail.delivered_at.to_rfc3339(),
                links => links(&mail.text_body),
            },
        },
    )
}

/// The HTML body as the recipient's mail client would show it, sandboxed: no script, no
/// requests, nothing it can reach.
pub async fn html_body(State(state): State<AppState>, Path(id): Path<i64>) -> Result<Response, WebError> {
    let mail = netinvet_domain::dev_mailbox::get(&state.db, id).await?.ok_or(WebError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CONTENT_SECURITY_POLICY, "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"),
        ],
        mail.html_body,
    )
        .into_response())
}
