//! Documents attached to an operation (learning agreement PDF, insurance, accommodation...),
//! visible to both centres. Uploads are limited in size and to a few types, and the type is
//! read from the content itself: a file whose bytes do not match its name's extension (an
//! executable called `insurance.pdf`) is refused.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::operation_in;
use crate::db::Db;
use crate::entities::operation_document;
use crate::error::{DomainError, Result};
use crate::storage::DocumentStore;
use crate::tenancy::{CentreAccess, TenantTx};
use crate::types::{DocumentKind, MembershipRole};

/// The largest document accepted.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;

/// The accepted types: extension, content type, and how the content starts.
const TYPES: &[(&str, &str, &[u8])] = &[
    ("pdf", "application/pdf", b"%PDF-"),
    ("png", "image/png", b"\x89PNG\r\n\x1a\n"),
    ("jpg", "image/jpeg", b"\xff\xd8\xff"),
    ("jpeg", "image/jpeg", b"\xff\xd8\xff"),
    ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK\x03\x04"),
    ("odt", "application/vnd.oasis.opendocument.text", b"PK\x03\x04"),
];

/// The content type of an upload named `filename` with these bytes, or why it is refused.
pub fn detect(filename: &str, bytes: &[u8]) -> Result<&'static str, &'static str> {
    if bytes.is_empty() {
        return Err("error.upload_empty");
    }
    if bytes.len() > MAX_BYTES {
        return Err("error.upload_too_large");
    }
    let extension = filename.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    let (_, content_type, magic) = TYPES.iter().find(|(ext, _, _)| *ext == extension).ok_or("error.upload_type")?;
    if bytes.starts_with(magic) { Ok(content_type) } else { Err("error.upload_disguised") }
}

/// A file name safe to show and to send back in a header: no path, no control characters.
fn clean_name(filename: &str) -> String {
    let base = filename.rsplit(['/', '\\']).next().unwrap_or(filename);
    let cleaned: String =
        base.chars().filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>' | '\\')).take(150).collect();
    if cleaned.trim().is_empty() { "document".to_owned() } else { cleaned.trim().to_owned() }
}

/// A stored document.
#[derive(Debug, Clone)]
pub struct Document {
    pub id: i64,
    pub kind: DocumentKind,
    pub filename: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub uploaded_by: String,
    pub uploaded_by_centre_id: i64,
    pub uploaded_at: DateTime<Utc>,
    pub(crate) storage_key: String,
}

/// A file as it was sent.
#[derive(Debug, Clone, Default)]
pub struct Upload {
    /// The document kind as typed (`insurance`...).
    pub kind: String,
    pub filename: String,
    pub bytes: Vec<u8>,
}

/// Attaches a document to the operation (staff of either side). The file is stored first and
/// recorded after; if recording fails the stored file is removed again.
pub async fn upload(
    db: &Db,
    store: &dyn DocumentStore,
    access: &CentreAccess,
    operation_id: i64,
    file: Upload,
    now: DateTime<Utc>,
) -> Result<i64> {
    let Upload { kind, filename, bytes } = file;
    let (kind, filename) = (kind.as_str(), filename.as_str());
    if access.role() == MembershipRole::Learner {
        return Err(DomainError::Forbidden);
    }
    let kind: DocumentKind = kind.parse().map_err(|_| DomainError::invalid("kind", "error.choice_invalid"))?;
    let content_type = detect(filename, &bytes).map_err(|key| DomainError::invalid("file", key))?;
    // Check the operation is the caller's before anything is stored.
    let tx = TenantTx::begin(db, access.centre_id()).await?;
    let (op, _) = operation_in(&tx, operation_id).await?;
    tx.commit().await?;
    let mut random = [0u8; 16];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut random);
    let key = format!("op{}-{}", op.id, hex::encode(random));
    let size = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
    store.put(&key, bytes).await.map_err(|e| DomainError::Internal(format!("storage: {e}")))?;
    let recorded = async {
        let tx = TenantTx::begin(db, access.centre_id()).await?;
        let inserted = operation_document::Entity::insert(operation_document::ActiveModel {
            operation_id: Set(op.id),
            sending_centre_id: Set(op.sending_centre_id),
            host_centre_id: Set(op.host_centre_id),
            kind: Set(kind.as_str().to_owned()),
            filename: Set(clean_name(filename)),
            content_type: Set(content_type.to_owned()),
            size_bytes: Set(size),
            storage_key: Set(key.clone()),
            uploaded_by: Set(Some(access.user_id().get())),
            uploaded_by_centre_id: Set(access.centre_id().get()),
            uploaded_at: Set(now),
            ..Default::default()
        })
        .exec(tx.conn())
        .await?;
        tx.commit().await?;
        Ok::<i64, DomainError>(inserted.last_insert_id)
    }
    .await;
    if recorded.is_err() {
        let _ = store.delete(&key).await;
    }
    recorded
}

/// The operation's documents, newest first.
pub async fn list(db: &Db, access: &CentreAccess, operation_id: i64) -> Result<Vec<Document>> {
    let tx = TenantTx::begin(db, access.centre_id()).await?;
    let (op, _) = operation_in(&tx, operation_id).await?;
    let rows = tx
        .select_shared::<operation_document::Entity>()
        .filter(operation_document::Column::OperationId.eq(op.id))
        .order_by_desc(operation_document::Column::Id)
        .all(tx.conn())
        .await?;
    let names = super::names(tx.conn(), rows.iter().map(|r| r.uploaded_by)).await?;
    let mut list = Vec::new();
    for row in rows {
        let uploaded_by = super::name_of(&names, row.uploaded_by);
        list.push(Document {
            id: row.id,
            kind: row.kind.parse().unwrap_or(DocumentKind::Other),
            filename: row.filename,
            content_type: row.content_type,
            size_bytes: row.size_bytes,
            uploaded_by,
            uploaded_by_centre_id: row.uploaded_by_centre_id,
            uploaded_at: row.uploaded_at,
            storage_key: row.storage_key,
        });
    }
    tx.commit().await?;
    Ok(list)
}

/// One document's record and content, for either centre of the operation.
pub async fn download(
    db: &Db,
    store: &dyn DocumentStore,
    access: &CentreAccess,
    operation_id: i64,
    id: i64,
) -> Result<(Document, Vec<u8>)> {
    let document =
        list(db, access, operation_id).await?.into_iter().find(|d| d.id == id).ok_or(DomainError::NotFound)?;
    let bytes = store.get(&document.storage_key).await.map_err(|e| DomainError::Internal(format!("storage: {e}")))?;
    Ok((document, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uploads_are_typed_by_their_content() {
        assert_eq!(detect("Assurance.PDF", b"%PDF-1.7 ..."), Ok("application/pdf"));
        assert_eq!(detect("photo.jpg", b"\xff\xd8\xff\xe0rest"), Ok("image/jpeg"));
        assert_eq!(detect("insurance.pdf", b"MZ\x90\x00 an executable"), Err("error.upload_disguised"));
        assert_eq!(detect("script.exe", b"MZ\x90\x00"), Err("error.upload_type"));
        assert_eq!(detect("noextension", b"%PDF-"), Err("error.upload_type"));
        assert_eq!(detect("empty.pdf", b""), Err("error.upload_empty"));
        assert_eq!(detect("big.pdf", &vec![b'%'; MAX_BYTES + 1]), Err("error.upload_too_large"));
        assert_eq!(clean_name("../../etc/<bad>\"name\".pdf"), "badname.pdf");
    }
}
