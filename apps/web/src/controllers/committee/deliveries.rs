//! Every email the platform queued, with its delivery status: failures are visible here, with
//! their reason and number of attempts. Also the job queue's permanently failed jobs.

use axum::extract::{Query, State};
use axum::response::Response;
use minijinja::context;
use netinvet_domain::notifications::DeliveryStatus;
use serde::Deserialize;

use super::require_committee;
use crate::AppState;
use crate::error::WebError;
use crate::page::Page;

#[derive(Deserialize, Default)]
pub struct DeliveriesQuery {
    status: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    page: Page,
    Query(query): Query<DeliveriesQuery>,
) -> Result<Response, WebError> {
    let access = require_committee(&page)?;
    let only = match query.status.as_deref() {
        Some("failed") => Some(DeliveryStatus::Failed),
        Some("queued") => Some(DeliveryStatus::Queued),
        Some("sent") => Some(DeliveryStatus::Sent),
        Some("suppressed") => Some(DeliveryStatus::Suppressed),
        Some("cancelled") => Some(DeliveryStatus::Cancelled),
        _ => None,
    };
    let deliveries = netinvet_domain::notifications::deliveries(&state.db, &access, only, 200).await?;
    let queue = netinvet_domain::outbox::queue_summary(&state.db).await?;
    page.render(
        "committee_deliveries.html",
        context! {
            filter => only.map(DeliveryStatus::as_str),
            statuses => ["queued", "sent", "failed", "suppressed", "cancelled"],
            deliveries => deliveries.iter().map(|d| context! {
                id => d.id,
                recipient => &d.recipient,
                template => &d.template,
                language => &d.language,
                status => d.status.as_str(),
                attempts => d.attempts,
                last_error => &d.last_error,
                created_at => d.created_at.to_rfc3339(),
            }).collect::<Vec<_>>(),
            queue => context! {
                outstanding => queue.outstanding,
                done => queue.done,
                failed => queue.failed.iter().map(|f| context! {
                    id => &f.id,
                    attempts => f.attempts,
                    last_result => &f.last_result,
                }).collect::<Vec<_>>(),
            },
        },
    )
}
