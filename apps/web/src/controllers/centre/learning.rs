//! A participant's learning agreement: its units (within the partnership agreement in force),
//! signatures, and after the stay the host's result and the sending centre's recognition per
//! unit.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::{Value, context};
use netinvet_domain::mobility::learning;
use netinvet_domain::references::{self, Audience};
use netinvet_domain::tenancy::CentreAccess;
use netinvet_domain::types::{Recognition, UnitResult};
use netinvet_domain::{DomainError, FormData};

use crate::AppState;
use crate::controllers::views;
use crate::error::WebError;
use crate::page::{CsrfForm, Page, field_errors};

async fn render(
    state: &AppState,
    page: &Page,
    access: &CentreAccess,
    (op, id): (i64, i64),
    status: StatusCode,
    form: Option<&FormData>,
    errors: Option<Value>,
) -> Result<Response, WebError> {
    let catalogue = references::catalogue(&state.db, Audience::Public).await?;
    let units = references::units_by_id(&state.db, Audience::Committee).await?;
    let la = learning::get(&state.db, access, op, id).await?;
    let operation = netinvet_domain::mobility::operations::get(&state.db, access, op).await?;
    page.render_with_status(
        status,
        "centre_learning_agreement.html",
        context! {
            centre => views::centre(access.centre(), &catalogue, page.lang),
            is_admin => access.is_admin(),
            op => views::operation(&operation),
            la => context! {
                id => la.id,
                participant => &la.participant_name,
                signed_sending_at => la.signed_sending_at.map(|d| d.to_rfc3339()),
                signed_host_at => la.signed_host_at.map(|d| d.to_rfc3339()),
                signed_learner_at => la.signed_learner_at.map(|d| d.to_rfc3339()),
                side => la.side.as_str(),
                state => la.state.as_str(),
                units => la.units.iter().map(|u| context! {
                    id => u.id,
                    unit => units.get(&u.unit_id).map(|x| views::unit(x, page.lang)),
                    activities => &u.activities,
                    assessment_method => &u.assessment_method,
                    result => u.result.map(|r| r.as_str()),
                    result_note => &u.result_note,
                    recognition => u.recognition.map(|r| r.as_str()),
                    recognition_date => u.recognition_date.map(|d| d.to_string()),
                }).collect::<Vec<_>>(),
                allowed => la.allowed_unit_ids.iter().filter_map(|i| units.get(i)).map(|u| views::unit(u, page.lang)).collect::<Vec<_>>(),
            },
            form => form.map(views::form_values).unwrap_or_default(),
            errors => errors.unwrap_or_default(),
            results => UnitResult::ALL.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
            recognitions => Recognition::ALL.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
            today => state.clock.now().date_naive().to_string(),
        },
    )
}

pub async fn show(
    State(state): State<AppState>,
    page: Page,
    Path((slug, op, id)): Path<(String, i64, i64)>,
) -> Result<Response, WebError> {
    let access = super::enter_staff(&state, &page, &slug).await?;
    render(&state, &page, &access, (op, id), StatusCode::OK, None, None).await
}

/// One action on the learning agreement, named by `action`: `add-unit`, `remove-unit` (with
/// `row`), `sign`, or `record` (results or recognitions).
pub async fn act(
    State(state): State<AppState>,
    page: Page,
    Path((slug, op, id)): Path<(String, i64, i64)>,
    CsrfForm(form): CsrfForm<FormData>,
) -> Result<Response, WebError> {
    let access = super::enter_staff(&state, &page, &slug).await?;
    // The learning agreement first: another centre gets 404 whatever it sends.
    learning::get(&state.db, &access, op, id).await?;
    let now = state.clock.now();
    let result = match form.text("action") {
        "add-unit" => learning::add_unit(&state.db, &access, op, id, &form, now).await,
        "remove-unit" => {
            let row = form.text("row").parse::<i64>().map_err(|_| WebError::BadRequest("error.page.bad_request"))?;
            learning::remove_unit(&state.db, &access, op, id, row, now).await
        }
        "sign" => learning::sign(&state.db, &access, op, id, now).await,
        "record" => learning::record(&state.db, &access, op, id, &form, now).await,
        _ => return Err(WebError::BadRequest("error.page.bad_request")),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/c/{slug}/operations/{op}/learning/{id}")).into_response()),
        Err(err @ DomainError::Invalid(_)) => {
            let errors = field_errors(page.lang, &err);
            render(&state, &page, &access, (op, id), StatusCode::UNPROCESSABLE_ENTITY, Some(&form), errors).await
        }
        Err(other) => Err(other.into()),
    }
}
