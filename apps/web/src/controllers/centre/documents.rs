//! Documents of an operation: upload (multipart, size- and type-checked) and download.

use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use netinvet_domain::mobility::documents;
use netinvet_domain::{DomainError, FormData};

use super::operations::{Refused, show_page};
use crate::AppState;
use crate::error::WebError;
use crate::page::{Page, check_csrf, field_errors};

pub async fn upload(
    State(state): State<AppState>,
    page: Page,
    Path((slug, id)): Path<(String, i64)>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, WebError> {
    // Membership and the operation first: another centre gets 404 whatever it sends.
    let access = super::enter_staff(&state, &page, &slug).await?;
    netinvet_domain::mobility::operations::get(&state.db, &access, id).await?;
    let mut multipart = multipart.map_err(|_| WebError::BadRequest("error.page.bad_request"))?;
    let (mut token, mut kind, mut file) = (String::new(), String::new(), None);
    while let Some(field) = multipart.next_field().await.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            WebError::TooLarge
        } else {
            WebError::BadRequest("error.page.bad_request")
        }
    })? {
        let name = field.name().unwrap_or_default().to_owned();
        match name.as_str() {
            "csrf_token" => token = field.text().await.map_err(|_| WebError::BadRequest("error.page.bad_request"))?,
            "kind" => kind = field.text().await.map_err(|_| WebError::BadRequest("error.page.bad_request"))?,
            "file" => {
                let filename = field.file_name().unwrap_or_default().to_owned();
                let bytes = field.bytes().await.map_err(|e| {
                    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                        WebError::TooLarge
                    } else {
                        WebError::BadRequest("error.page.bad_request")
                    }
                })?;
                file = Some((filename, bytes.to_vec()));
            }
            _ => {}
        }
    }
    check_csrf(&page.session, &token).await?;
    let (filename, bytes) = file.unwrap_or_default();
    let result = if filename.is_empty() {
        Err(DomainError::invalid("file", "error.upload_empty"))
    } else {
        let file = documents::Upload { kind: kind.clone(), filename, bytes };
        documents::upload(&state.db, state.documents.as_ref(), &access, id, file, state.clock.now()).await
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/c/{slug}/operations/{id}#documents")).into_response()),
        Err(err @ DomainError::Invalid(_)) => {
            let errors = field_errors(page.lang, &err);
            let refused = Refused { target: "documents", form: Some(FormData::new([("kind", kind)])), errors };
            show_page(&state, &page, &access, id, StatusCode::UNPROCESSABLE_ENTITY, refused).await
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn download(
    State(state): State<AppState>,
    page: Page,
    Path((slug, id, doc)): Path<(String, i64, i64)>,
) -> Result<Response, WebError> {
    let access = super::enter_staff(&state, &page, &slug).await?;
    let (document, bytes) = documents::download(&state.db, state.documents.as_ref(), &access, id, doc).await?;
    Ok(super::operations::attachment(&document.content_type, &document.filename, bytes))
}
