//! The centre dashboard: the centre's details, its people and its pending invitations, with
//! the invitation form for centre admins.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::{Value, context};
use netinvet_domain::tenancy::CentreAccess;
use netinvet_domain::types::MembershipRole;
use serde::Deserialize;

use crate::AppState;
use crate::error::WebError;
use crate::page::Page;

pub async fn redirect_to_slash(Path(slug): Path<String>) -> Response {
    Redirect::permanent(&format!("/c/{slug}/")).into_response()
}

#[derive(Deserialize, Default)]
pub struct DashboardQuery {
    invited: Option<String>,
    revoked: Option<String>,
}

/// What the invitation form shows after a refused submission.
#[derive(Default)]
pub struct InviteFormState {
    pub email: String,
    pub role: String,
    pub language: String,
    pub errors: Option<Value>,
}

pub async fn render_dashboard(
    state: &AppState,
    page: &Page,
    access: &CentreAccess,
    form: InviteFormState,
    notice: Option<&str>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let centre = access.centre();
    let catalogue =
        netinvet_domain::references::catalogue(&state.db, netinvet_domain::references::Audience::Public).await?;
    let members = netinvet_domain::centres::members(&state.db, access).await?;
    // Learners do not see the centre's mobility organisation (their own space comes later).
    let operations = if access.role() == MembershipRole::Learner {
        Vec::new()
    } else {
        netinvet_domain::mobility::operations::list(&state.db, access).await?
    };
    let open: Vec<_> = operations
        .iter()
        .filter(|s| !matches!(s.operation.state.as_str(), "closed" | "declined" | "cancelled"))
        .collect();
    let state_counts: Vec<_> = netinvet_domain::types::OperationState::ALL
        .iter()
        .map(|state| {
            let count = |side: &str| {
                operations.iter().filter(|s| s.operation.state == *state && s.operation.side.as_str() == side).count()
            };
            context! { state => state.as_str(), outgoing => count("sending"), incoming => count("host") }
        })
        .filter(|c| {
            c.get_attr("outgoing").ok().and_then(|v| v.as_usize()).unwrap_or(0)
                + c.get_attr("incoming").ok().and_then(|v| v.as_usize()).unwrap_or(0)
                > 0
        })
        .collect();
    let invitations =
        if access.is_admin() { netinvet_domain::invitations::pending(&state.db, access).await? } else { Vec::new() };
    page.render_with_status(
        status,
        "centre_dashboard.html",
        context! {
            centre => crate::controllers::views::centre(centre, &catalogue, page.lang),
            my_role => access.role().as_str(),
            learner_view => access.role() == MembershipRole::Learner,
            is_admin => access.is_admin(),
            members => crate::controllers::views::members(&members),
            operations => open.iter().map(|s| context! {
                ..crate::controllers::views::operation(&s.operation),
                ..context! { blockers => crate::controllers::views::blockers(&s.blockers) }
            }).collect::<Vec<_>>(),
            state_counts => state_counts,
            invitations => invitations.iter().map(|i| context! {
                id => i.id,
                email => &i.email,
                role_key => i.role.label_key(),
                created_at => i.created_at.to_rfc3339(),
                expires_at => i.expires_at.to_rfc3339(),
                reminded => i.reminded_at.is_some(),
            }).collect::<Vec<_>>(),
            roles => MembershipRole::ALL.iter().map(|r| context! { value => r.as_str(), key => r.label_key() }).collect::<Vec<_>>(),
            form => context! {
                email => form.email,
                role => if form.role.is_empty() { "learner".to_owned() } else { form.role },
                language => if form.language.is_empty() { page.lang.code().to_owned() } else { form.language },
                errors => form.errors.unwrap_or_default(),
            },
            notice => notice,
        },
    )
}

pub async fn dashboard(
    State(state): State<AppState>,
    page: Page,
    Path(slug): Path<String>,
    Query(query): Query<DashboardQuery>,
) -> Result<Response, WebError> {
    let access = super::enter(&state, &page, &slug).await?;
    let notice = if query.invited.is_some() {
        Some("centre.invite.sent")
    } else if query.revoked.is_some() {
        Some("centre.invite.revoked")
    } else {
        None
    };
    render_dashboard(&state, &page, &access, InviteFormState::default(), notice, StatusCode::OK).await
}
