//! Mobility operations: the centre's list (outgoing and incoming, by state, with what blocks
//! them) and exports, and one operation's shared record with its actions: state changes,
//! details, participants, checklist and messages.

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::{Value, context};
use netinvet_domain::mobility::operations::{self, Action};
use netinvet_domain::mobility::{agreements, checklists, documents, messages};
use netinvet_domain::references::{self, Audience};
use netinvet_domain::tenancy::CentreAccess;
use netinvet_domain::types::{DocumentKind, OperationState};
use netinvet_domain::{DomainError, FormData};

use crate::AppState;
use crate::controllers::views;
use crate::error::WebError;
use crate::page::{CsrfForm, Page, field_errors};

pub async fn list(State(state): State<AppState>, page: Page, Path(slug): Path<String>) -> Result<Response, WebError> {
    let access = super::enter_staff(&state, &page, &slug).await?;
    let catalogue = references::catalogue(&state.db, Audience::Public).await?;
    let all = operations::list(&state.db, &access).await?;
    let view = |s: &operations::Summary| {
        context! {
            ..views::operation(&s.operation),
            ..context! { participants => s.participants, blockers => views::blockers(&s.blockers) }
        }
    };
    page.render(
        "centre_operations.html",
        context! {
            centre => views::centre(access.centre(), &catalogue, page.lang),
            outgoing => all.iter().filter(|s| s.operation.side.as_str() == "sending").map(view).collect::<Vec<_>>(),
            incoming => all.iter().filter(|s| s.operation.side.as_str() == "host").map(view).collect::<Vec<_>>(),
        },
    )
}

/// What a refused form on the operation page re-shows.
#[derive(Default)]
pub(crate) struct Refused {
    pub target: &'static str,
    pub form: Option<FormData>,
    pub errors: Option<Value>,
}

pub(crate) async fn show_page(
    state: &AppState,
    page: &Page,
    access: &CentreAccess,
    id: i64,
    status: StatusCode,
    refused: Refused,
) -> Result<Response, WebError> {
    let catalogue = references::catalogue(&state.db, Audience::Public).await?;
    let op = operations::get(&state.db, access, id).await?;
    let history = operations::history(&state.db, access, id).await?;
    let blockers = operations::what_blocks(&state.db, access, id).await?;
    let participants = operations::participants(&state.db, access, id).await?;
    let candidates = operations::candidates(&state.db, access, id).await?;
    let checklist = checklists::items(&state.db, access, id).await?;
    let thread = messages::thread(&state.db, access, id).await?;
    let docs = documents::list(&state.db, access, id).await?;
    let partner_agreements: Vec<_> = agreements::list(&state.db, access)
        .await?
        .into_iter()
        .filter(|a| {
            let ids = [a.centre_a.id, a.centre_b.id];
            ids.contains(&op.sending.id) && ids.contains(&op.host.id)
        })
        .collect();
    let profile = op.profile_id.and_then(|p| catalogue.profile(p)).map(|p| views::profile(p, &catalogue, page.lang));
    let actions: Vec<&str> = Action::ALL
        .iter()
        .filter(|a| operations::next_state(op.state, op.side, **a).is_ok())
        .map(|a| a.as_str())
        .collect();
    let details = match (&refused.form, refused.target) {
        (Some(f), "details") => views::form_values(f),
        _ => views::values(vec![
            ("accommodation".to_owned(), op.accommodation.clone()),
            ("insurance".to_owned(), op.insurance.clone()),
            ("emergency_contacts".to_owned(), op.emergency_contacts.clone()),
            ("agreement".to_owned(), op.agreement_id.map(|a| a.to_string()).unwrap_or_default()),
        ]),
    };
    page.render_with_status(
        status,
        "centre_operation.html",
        context! {
            centre => views::centre(access.centre(), &catalogue, page.lang),
            is_admin => access.is_admin(),
            can_work => access.role().as_str() != "learner",
            op => views::operation(&op),
            profile => profile,
            actions => actions,
            blockers => views::blockers(&blockers),
            history => history.iter().map(|t| context! {
                from => t.from.map(|s| s.as_str()), to => t.to.as_str(), by => &t.by_name, centre => &t.by_centre, reason => &t.reason, at => t.at.to_rfc3339(),
            }).collect::<Vec<_>>(),
            participants => participants.iter().map(|p| context! { id => p.id, name => &p.name, learning_agreement_id => p.learning_agreement_id }).collect::<Vec<_>>(),
            candidates => candidates.iter().map(|(id, name)| context! { id => id.get(), name => name }).collect::<Vec<_>>(),
            checklist => checklist.iter().map(|i| context! {
                id => i.id, code => &i.code, text => i.text.get(page.lang), phase => i.phase.as_str(), side => i.side.as_str(),
                blocking => i.blocking, done_by => &i.done_by, done_at => i.done_at.map(|d| d.to_rfc3339()),
                mine => i.side == op.side,
            }).collect::<Vec<_>>(),
            messages => thread.iter().map(|m| context! { id => m.id, author => &m.author, centre => &m.centre, body => &m.body, at => m.at.to_rfc3339() }).collect::<Vec<_>>(),
            documents => docs.iter().map(|d| context! {
                id => d.id, kind => d.kind.as_str(), filename => &d.filename, size_kb => (d.size_bytes + 1023) / 1024, uploaded_by => &d.uploaded_by, uploaded_at => d.uploaded_at.to_rfc3339(),
            }).collect::<Vec<_>>(),
            document_kinds => DocumentKind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
            agreements => partner_agreements.iter().map(|a| context! { id => a.id, in_force => a.in_force().map(|v| v.version), latest => a.latest().map(|v| v.version) }).collect::<Vec<_>>(),
            details => details,
            refused_target => refused.target,
            refused_form => refused.form.as_ref().map(views::form_values).unwrap_or_default(),
            errors => refused.errors.unwrap_or_default(),
            finished => matches!(op.state, OperationState::Closed | OperationState::Declined | OperationState::Cancelled),
            max_upload_mb => documents::MAX_BYTES / (1024 * 1024),
        },
    )
}

pub async fn show(
    State(state): State<AppState>,
    page: Page,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, WebError> {
    let access = super::enter_staff(&state, &page, &slug).await?;
    show_page(&state, &page, &access, id, StatusCode::OK, Refused::default()).await
}

/// Re-shows the operation page with the refusal, or passes other errors on.
async fn refused(
    state: &AppState,
    page: &Page,
    access: &CentreAccess,
    id: i64,
    target: &'static str,
    form: FormData,
    err: DomainError,
) -> Result<Response, WebError> {
    match err {
        err @ DomainError::Invalid(_) => {
            let errors = field_errors(page.lang, &err);
            show_page(
                state,
                page,
                access,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                Refused { target, form: Some(form), errors },
            )
            .await
        }
        other => Err(other.into()),
    }
}

pub async fn act(
    State(state): State<AppState>,
    page: Page,
    Path((slug, id)): Path<(String, i64)>,
    CsrfForm(form): CsrfForm<FormData>,
) -> Result<Response, WebError> {
    let access = super::enter_staff(&state, &page, &slug).await?;
    operations::get(&state.db, &access, id).await?;
    let action = Action::parse(form.text("action")).ok_or(WebError::BadRequest("error.page.bad_request"))?;
    match operations::act(&state.db, &access, id, action, &form, state.clock.now()).await {
        Ok(_) => Ok(Redirect::to(&format!("/c/{slug}/operations/{id}")).into_response()),
        Err(err) => refused(&state, &page, &access, id, "state", form, err).await,
    }
}

pub async fn details(
    State(state): State<AppState>,
    page: Page,
    Path((slug, id)): Path<(String, i64)>,
    CsrfForm(form): CsrfForm<FormData>,
) -> Result<Response, WebError> {
    let access = super::enter_staff(&state, &page, &slug).await?;
    match operations::update_details(&state.db, &access, id, &form, state.clock.now()).await {
        Ok(()) => Ok(Redirect::to(&format!("/c/{slug}/operations/{id}#details")).into_response()),
        Err(err) => refused(&state, &page, &access, id, "details", form, err).await,
    }
}

pub async fn add_participant(
    State(state): State<AppState>,
    page: Page,
    Path((slug, id)): Path<(String, i64)>,
    CsrfForm(form): CsrfForm<FormData>,
) -> Result<Response, WebError> {
    let access = super::enter_staff(&state, &page, &slug).await?;
    match operations::add_participant(&state.db, &access, id, &form, state.clock.now()).await {
        Ok(()) => Ok(Redirect::to(&format!("/c/{slug}/operations/{id}#participants")).into_response()),
        Err(err) => refused(&state, &page, &access, id, "participants", form, err).await,
    }
}

pub async fn checklist(
    State(state): State<AppState>,
    page: Page,
    Path((slug, id, item)): Path<(String, i64, i64)>,
    CsrfForm(form): CsrfForm<FormData>,
) -> Result<Response, WebError> {
    let access = super::enter_staff(&state, &page, &slug).await?;
    let done = form.text("done") == "true";
    match checklists::mark(&state.db, &access, id, item, done, state.clock.now()).await {
        Ok(()) => Ok(Redirect::to(&format!("/c/{slug}/operations/{id}#checklist")).into_response()),
        Err(err) => refused(&state, &page, &access, id, "checklist", form, err).await,
    }
}

pub async fn post_message(
    State(state): State<AppState>,
    page: Page,
    Path((slug, id)): Path<(String, i64)>,
    CsrfForm(form): CsrfForm<FormData>,
) -> Result<Response, WebError> {
    let access = super::enter_staff(&state, &page, &slug).await?;
    match messages::post(&state.db, &access, id, &form, state.clock.now()).await {
        Ok(()) => Ok(Redirect::to(&format!("/c/{slug}/operations/{id}#messages")).into_response()),
        Err(err) => refused(&state, &page, &access, id, "messages", form, err).await,
    }
}

pub async fn export_csv(
    State(state): State<AppState>,
    page: Page,
    Path(slug): Path<String>,
) -> Result<Response, WebError> {
    let access = super::enter_staff(&state, &page, &slug).await?;
    let all = operations::list(&state.db, &access).await?;
    let body = netinvet_domain::mobility::exports::csv(&all);
    Ok(attachment("text/csv; charset=utf-8", &format!("operations-{slug}.csv"), body))
}

pub async fn export_xlsx(
    State(state): State<AppState>,
    page: Page,
    Path(slug): Path<String>,
) -> Result<Response, WebError> {
    let access = super::enter_staff(&state, &page, &slug).await?;
    let all = operations::list(&state.db, &access).await?;
    let body = netinvet_domain::mobility::exports::xlsx(&all).map_err(|e| WebError::Internal(format!("xlsx: {e}")))?;
    Ok(attachment(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &format!("operations-{slug}.xlsx"),
        body,
    ))
}

pub async fn calendar(
    State(state): State<AppState>,
    page: Page,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, WebError> {
    let access = super::enter_staff(&state, &page, &slug).await?;
    let op = operations::get(&state.db, &access, id).await?;
    let url = state.public_url.join(&format!("/c/{slug}/operations/{id}"));
    let body = netinvet_domain::mobility::exports::ical(&op, state.public_url.host(), &url, state.clock.now());
    Ok(attachment("text/calendar; charset=utf-8", &format!("operation-{id}.ics"), body))
}

/// A file to download (an export, a document): never cached, never shown inline. `filename`
/// is made plain ASCII for the header.
pub(super) fn attachment(content_type: &str, filename: &str, body: impl Into<axum::body::Body>) -> Response {
    let ascii: String =
        filename.chars().map(|c| if c.is_ascii_alphanumeric() || ".-_".contains(c) { c } else { '_' }).collect();
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{ascii}\"")),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        body.into(),
    )
        .into_response()
}
