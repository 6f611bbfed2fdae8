//! The network's two quality charters (for member centres and for host companies) as versioned
//! documents: sections of commitments, each commitment an item with a stable code that later
//! issues turn into checklists (by phase, some blocking) and label evidence.
//!
//! A published version is never changed: the committee drafts the next version (a copy of the
//! current one), edits it, and publishes it; every earlier version stays readable with the dates
//! it was in force.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::db::Db;
use crate::entities::{charter_item, charter_section, charter_version};
use crate::error::{Checks, DomainError, FormData, Result};
use crate::tenancy::{CommitteeAccess, CommitteeTx};
use crate::types::{CharterKind, CharterPhase, Localized, ReferenceCode};

/// One version of a charter, with its sections and items.
#[derive(Debug, Clone)]
pub struct CharterVersion {
    pub id: i64,
    pub kind: CharterKind,
    pub version: i32,
    pub title: Localized,
    pub introduction: Localized,
    pub published_at: Option<DateTime<Utc>>,
    /// When the next version replaced this one.
    pub superseded_at: Option<DateTime<Utc>>,
    pub sections: Vec<CharterSection>,
}

impl CharterVersion {
    pub fn is_draft(&self) -> bool {
        self.published_at.is_none()
    }

    pub fn item_count(&self) -> usize {
        self.sections.iter().map(|s| s.items.len()).sum()
    }
}

#[derive(Debug, Clone)]
pub struct CharterSection {
    pub id: i64,
    pub position: i32,
    pub title: Localized,
    pub items: Vec<CharterItem>,
}

/// One commitment.
#[derive(Debug, Clone)]
pub struct CharterItem {
    pub id: i64,
    pub position: i32,
    pub code: String,
    pub text: Localized,
    pub phase: CharterPhase,
    /// Must be done before a mobility operation may start (used by the checklists).
    pub blocking: bool,
}

/// A version without its sections, for history lists.
#[derive(Debug, Clone)]
pub struct VersionSummary {
    pub id: i64,
    pub version: i32,
    pub title: Localized,
    pub published_at: Option<DateTime<Utc>>,
    pub superseded_at: Option<DateTime<Utc>>,
}

const PUBLISHED: &str = "published";
const DRAFT: &str = "draft";

/// Every version of a charter, newest first, with the dates each was in force. Drafts are
/// listed only when `include_draft`.
pub async fn history(db: &Db, kind: CharterKind, include_draft: bool) -> Result<Vec<VersionSummary>> {
    history_in(db.conn(), kind, include_draft).await
}

async fn history_in(
    conn: &impl ConnectionTrait,
    kind: CharterKind,
    include_draft: bool,
) -> Result<Vec<VersionSummary>> {
    let rows = charter_version::Entity::find()
        .filter(charter_version::Column::Kind.eq(kind.as_str()))
        .order_by_desc(charter_version::Column::Version)
        .all(conn)
        .await?;
    let mut next_published: Option<DateTime<Utc>> = None;
    let mut list = Vec::new();
    for row in rows {
        let summary = VersionSummary {
            id: row.id,
            version: row.version,
            title: Localized::from_stored(&row.title),
            published_at: row.published_at,
            superseded_at: row.published_at.and(next_published),
        };
        if row.published_at.is_some() {
            next_published = row.published_at;
        }
        if include_draft || row.status == PUBLISHED {
            list.push(summary);
        }
    }
    Ok(list)
}

/// The version in force: the latest published one.
pub async fn current(db: &Db, kind: CharterKind) -> Result<CharterVersion> {
    current_in(db.conn(), kind).await
}

pub(crate) async fn current_in(conn: &impl ConnectionTrait, kind: CharterKind) -> Result<CharterVersion> {
    let row = charter_version::Entity::find()
        .filter(charter_version::Column::Kind.eq(kind.as_str()))
        .filter(charter_version::Column::Status.eq(PUBLISHED))
        .order_by_desc(charter_version::Column::Version)
        .one(conn)
        .await?
        .ok_or(DomainError::NotFound)?;
    load(conn, row).await
}

/// One version by number. Drafts are visible only to the committee (`include_draft`).
pub async fn version(db: &Db, kind: CharterKind, number: i32, include_draft: bool) -> Result<CharterVersion> {
    let row = charter_version::Entity::find()
        .filter(charter_version::Column::Kind.eq(kind.as_str()))
        .filter(charter_version::Column::Version.eq(number))
        .one(db.conn())
        .await?
        .ok_or(DomainError::NotFound)?;
    if row.status != PUBLISHED && !include_draft {
        return Err(DomainError::NotFound);
    }
    load(db.conn(), row).await
}

async fn load(conn: &impl ConnectionTrait, row: charter_version::Model) -> Result<CharterVersion> {
    let kind: CharterKind = row.kind.parse().map_err(|_| DomainError::Internal("unknown charter kind".into()))?;
    let superseded_at = match row.published_at {
        Some(_) => charter_version::Entity::find()
            .filter(charter_version::Column::Kind.eq(&row.kind))
            .filter(charter_version::Column::Status.eq(PUBLISHED))
            .filter(charter_version::Column::Version.gt(row.version))
            .order_by_asc(charter_version::Column::Version)
            .one(conn)
            .await?
            .and_then(|next| next.published_at),
        None => None,
    };
    let sections = charter_section::Entity::find()
        .filter(charter_section::Column::VersionId.eq(row.id))
        .order_by_asc(charter_section::Column::Position)
        .order_by_asc(charter_section::Column::Id)
        .all(conn)
        .await?;
    let section_ids: Vec<i64> = sections.iter().map(|s| s.id).collect();
    let items = charter_item::Entity::find()
        .filter(charter_item::Column::SectionId.is_in(section_ids))
        .order_by_asc(charter_item::Column::Position)
        .order_by_asc(charter_item::Column::Id)
        .all(conn)
        .await?;
    Ok(CharterVersion {
        id: row.id,
        kind,
        version: row.version,
        title: Localized::from_stored(&row.title),
        introduction: Localized::from_stored(&row.introduction),
        published_at: row.published_at,
        superseded_at,
        sections: sections
            .into_iter()
            .map(|s| CharterSection {
                id: s.id,
                position: s.position,
                title: Localized::from_stored(&s.title),
                items: items
                    .iter()
                    .filter(|i| i.section_id == s.id)
                    .map(|i| CharterItem {
                        id: i.id,
                        position: i.position,
                        code: i.code.clone(),
                        text: Localized::from_stored(&i.text),
                        phase: i.phase.parse().unwrap_or(CharterPhase::General),
                        blocking: i.blocking,
                    })
                    .collect(),
            })
            .collect(),
    })
}

/// A version to be written: title, introduction, and sections of items.
#[derive(Debug, Clone)]
pub struct NewVersion {
    pub title: Localized,
    pub introduction: Localized,
    pub sections: Vec<(Localized, Vec<NewItem>)>,
}

#[derive(Debug, Clone)]
pub struct NewItem {
    pub code: String,
    pub text: Localized,
    pub phase: CharterPhase,
    pub blocking: bool,
}

async fn insert_version(
    conn: &impl ConnectionTrait,
    kind: CharterKind,
    number: i32,
    content: &NewVersion,
    published_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<i64> {
    let version = charter_version::Entity::insert(charter_version::ActiveModel {
        kind: Set(kind.as_str().to_owned()),
        version: Set(number),
        title: Set(content.title.to_stored()),
        introduction: Set(content.introduction.to_stored()),
        status: Set(if published_at.is_some() { PUBLISHED } else { DRAFT }.to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
        published_at: Set(published_at),
        ..Default::default()
    })
    .exec(conn)
    .await?
    .last_insert_id;
    for (s_pos, (title, items)) in content.sections.iter().enumerate() {
        let section = charter_section::Entity::insert(charter_section::ActiveModel {
            version_id: Set(version),
            position: Set(i32::try_from(s_pos).unwrap_or(i32::MAX) + 1),
            title: Set(title.to_stored()),
            ..Default::default()
        })
        .exec(conn)
        .await?
        .last_insert_id;
        for (i_pos, item) in items.iter().enumerate() {
            charter_item::Entity::insert(charter_item::ActiveModel {
                section_id: Set(section),
                position: Set(i32::try_from(i_pos).unwrap_or(i32::MAX) + 1),
                code: Set(item.code.clone()),
                text: Set(item.text.to_stored()),
                phase: Set(item.phase.as_str().to_owned()),
                blocking: Set(item.blocking),
                ..Default::default()
            })
            .exec_without_returning(conn)
            .await?;
        }
    }
    Ok(version)
}

/// Writes a version already published (the seed's first versions).
pub(crate) async fn insert_published(
    conn: &impl ConnectionTrait,
    kind: CharterKind,
    number: i32,
    content: &NewVersion,
    published_at: DateTime<Utc>,
) -> Result<i64> {
    insert_version(conn, kind, number, content, Some(published_at), published_at).await
}

async fn draft_row(conn: &impl ConnectionTrait, kind: CharterKind) -> Result<Option<charter_version::Model>> {
    Ok(charter_version::Entity::find()
        .filter(charter_version::Column::Kind.eq(kind.as_str()))
        .filter(charter_version::Column::Status.eq(DRAFT))
        .one(conn)
        .await?)
}

/// Starts the next version as a draft copy of the latest one. There is at most one draft per
/// charter: asking again returns the existing draft's number.
pub async fn start_draft(db: &Db, access: &CommitteeAccess, kind: CharterKind, now: DateTime<Utc>) -> Result<i32> {
    let tx = CommitteeTx::begin(db, access, "charters.draft", None, now).await?;
    if let Some(existing) = draft_row(tx.conn(), kind).await? {
        tx.commit().await?;
        return Ok(existing.version);
    }
    let latest = charter_version::Entity::find()
        .filter(charter_version::Column::Kind.eq(kind.as_str()))
        .order_by_desc(charter_version::Column::Version)
        .one(tx.conn())
        .await?;
    let (number, content) = match latest {
        Some(row) => {
            let number = row.version + 1;
            let old = load(tx.conn(), row).await?;
            let content = NewVersion {
                title: old.title,
                introduction: old.introduction,
                sections: old
                    .sections
                    .into_iter()
                    .map(|s| {
                        let items = s
                            .items
                            .into_iter()
                            .map(|i| NewItem { code: i.code, text: i.text, phase: i.phase, blocking: i.blocking })
                            .collect();
                        (s.title, items)
                    })
                    .collect(),
            };
            (number, content)
        }
        None => {
            (1, NewVersion { title: Localized::default(), introduction: Localized::default(), sections: Vec::new() })
        }
    };
    insert_version(tx.conn(), kind, number, &content, None, now).await?;
    tx.commit().await?;
    Ok(number)
}

async fn draft_of(conn: &impl ConnectionTrait, kind: CharterKind, number: i32) -> Result<charter_version::Model> {
    let row = charter_version::Entity::find()
        .filter(charter_version::Column::Kind.eq(kind.as_str()))
        .filter(charter_version::Column::Version.eq(number))
        .one(conn)
        .await?
        .ok_or(DomainError::NotFound)?;
    if row.status != DRAFT {
        return Err(DomainError::invalid("version", "error.charter_published"));
    }
    Ok(row)
}

/// An edit of a draft version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DraftEdit {
    /// `title_{lang}`, `introduction_{lang}`.
    Heading,
    /// `title_{lang}`.
    AddSection,
    /// `title_{lang}` of section `id`.
    EditSection(i64),
    DeleteSection(i64),
    /// `code`, `text_{lang}`, `phase`, `blocking` in section `id`.
    AddItem(i64),
    EditItem(i64),
    DeleteItem(i64),
}

fn item_input(form: &FormData) -> Result<(ReferenceCode, Localized, CharterPhase, bool)> {
    let mut checks = Checks::default();
    let code = checks.check("code", ReferenceCode::parse_max(form.text("code"), 30));
    let text = checks.localized(form, "text", 2000);
    let phase = checks.check("phase", form.text("phase").parse::<CharterPhase>());
    checks.finish()?;
    match (code, text, phase) {
        (Some(code), Some(text), Some(phase)) => Ok((code, text, phase, form.checked("blocking"))),
        _ => Err(DomainError::Internal("unchecked".into())),
    }
}

/// Applies one edit to a draft. A published version refuses every edit.
pub async fn edit_draft(
    db: &Db,
    access: &CommitteeAccess,
    kind: CharterKind,
    number: i32,
    edit: DraftEdit,
    form: &FormData,
    now: DateTime<Utc>,
) -> Result<()> {
    let tx = CommitteeTx::begin(db, access, "charters.edit", None, now).await?;
    let conn = tx.conn();
    let version = draft_of(conn, kind, number).await?;
    let section_of_version = |id: i64| async move {
        charter_section::Entity::find_by_id(id)
            .filter(charter_section::Column::VersionId.eq(version.id))
            .one(conn)
            .await?
            .ok_or(DomainError::NotFound)
    };
    match edit {
        DraftEdit::Heading => {
            let mut checks = Checks::default();
            let title = checks.localized(form, "title", 200);
            let introduction = checks.localized(form, "introduction", 4000);
            checks.finish()?;
            let (Some(title), Some(introduction)) = (title, introduction) else {
                return Err(DomainError::Internal("unchecked".into()));
            };
            let mut active: charter_version::ActiveModel = version.clone().into();
            active.title = Set(title.to_stored());
            active.introduction = Set(introduction.to_stored());
            active.updated_at = Set(now);
            charter_version::Entity::update(active).exec(conn).await?;
        }
        DraftEdit::AddSection | DraftEdit::EditSection(_) => {
            let mut checks = Checks::default();
            let title = checks.localized(form, "title", 200);
            checks.finish()?;
            let Some(title) = title else { return Err(DomainError::Internal("unchecked".into())) };
            if let DraftEdit::EditSection(id) = edit {
                let mut active: charter_section::ActiveModel = section_of_version(id).await?.into();
                active.title = Set(title.to_stored());
                charter_section::Entity::update(active).exec(conn).await?;
            } else {
                let last: Option<Option<i32>> = charter_section::Entity::find()
                    .select_only()
                    .column_as(charter_section::Column::Position.max(), "last")
                    .filter(charter_section::Column::VersionId.eq(version.id))
                    .into_tuple()
                    .one(conn)
                    .await?;
                charter_section::Entity::insert(charter_section::ActiveModel {
                    version_id: Set(version.id),
                    position: Set(last.flatten().unwrap_or(0) + 1),
                    title: Set(title.to_stored()),
                    ..Default::default()
                })
                .exec_without_returning(conn)
                .await?;
            }
        }
        DraftEdit::DeleteSection(id) => {
            let section = section_of_version(id).await?;
            charter_item::Entity::delete_many()
                .filter(charter_item::Column::SectionId.eq(section.id))
                .exec(conn)
                .await?;
            charter_section::Entity::delete_by_id(section.id).exec(conn).await?;
        }
        DraftEdit::AddItem(section_id) => {
            let section = section_of_version(section_id).await?;
            let (code, text, phase, blocking) = item_input(form)?;
            ensure_code_free(conn, version.id, code.as_str(), None).await?;
            let last: Option<Option<i32>> = charter_item::Entity::find()
                .select_only()
                .column_as(charter_item::Column::Position.max(), "last")
                .filter(charter_item::Column::SectionId.eq(section.id))
                .into_tuple()
                .one(conn)
                .await?;
            charter_item::Entity::insert(charter_item::ActiveModel {
                section_id: Set(section.id),
                position: Set(last.flatten().unwrap_or(0) + 1),
                code: Set(code.as_str().to_owned()),
                text: Set(text.to_stored()),
                phase: Set(phase.as_str().to_owned()),
                blocking: Set(blocking),
                ..Default::default()
            })
            .exec_without_returning(conn)
            .await?;
        }
        DraftEdit::EditItem(id) | DraftEdit::DeleteItem(id) => {
            let item = charter_item::Entity::find_by_id(id).one(conn).await?.ok_or(DomainError::NotFound)?;
            section_of_version(item.section_id).await?;
            if let DraftEdit::DeleteItem(_) = edit {
                charter_item::Entity::delete_by_id(id).exec(conn).await?;
            } else {
                let (code, text, phase, blocking) = item_input(form)?;
                ensure_code_free(conn, version.id, code.as_str(), Some(id)).await?;
                let mut active: charter_item::ActiveModel = item.into();
                active.code = Set(code.as_str().to_owned());
                active.text = Set(text.to_stored());
                active.phase = Set(phase.as_str().to_owned());
                active.blocking = Set(blocking);
                charter_item::Entity::update(active).exec(conn).await?;
            }
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Item codes are unique within a version: checklists and label evidence refer to them.
async fn ensure_code_free(conn: &impl ConnectionTrait, version_id: i64, code: &str, except: Option<i64>) -> Result<()> {
    let sections: Vec<i64> = charter_section::Entity::find()
        .filter(charter_section::Column::VersionId.eq(version_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|s| s.id)
        .collect();
    let mut query = charter_item::Entity::find()
        .filter(charter_item::Column::SectionId.is_in(sections))
        .filter(charter_item::Column::Code.eq(code));
    if let Some(id) = except {
        query = query.filter(charter_item::Column::Id.ne(id));
    }
    if query.one(conn).await?.is_some() {
        return Err(DomainError::invalid("code", "error.code_taken"));
    }
    Ok(())
}

/// Publishes the draft: it becomes the version in force, and the one before it moves to the
/// history. A draft without a title in every language, or without any commitment, is refused.
pub async fn publish(
    db: &Db,
    access: &CommitteeAccess,
    kind: CharterKind,
    number: i32,
    now: DateTime<Utc>,
) -> Result<()> {
    let tx = CommitteeTx::begin(db, access, "charters.publish", None, now).await?;
    let row = draft_of(tx.conn(), kind, number).await?;
    let draft = load(tx.conn(), row.clone()).await?;
    let mut checks = Checks::default();
    let complete = |text: &Localized| crate::Lang::ALL.iter().all(|&l| !text.exact(l).is_empty());
    if !complete(&draft.title) || !complete(&draft.introduction) {
        checks.add("version", "error.charter_heading_missing");
    }
    if draft.item_count() == 0 || draft.sections.iter().any(|s| s.items.is_empty()) {
        checks.add("version", "error.charter_empty_section");
    }
    checks.finish()?;
    let mut active: charter_version::ActiveModel = row.into();
    active.status = Set(PUBLISHED.to_owned());
    active.published_at = Set(Some(now));
    active.updated_at = Set(now);
    charter_version::Entity::update(active).exec(tx.conn()).await?;
    tx.commit().await?;
    Ok(())
}

/// Throws a draft away.
pub async fn discard_draft(
    db: &Db,
    access: &CommitteeAccess,
    kind: CharterKind,
    number: i32,
    now: DateTime<Utc>,
) -> Result<()> {
    let tx = CommitteeTx::begin(db, access, "charters.discard", None, now).await?;
    let row = draft_of(tx.conn(), kind, number).await?;
    let sections: Vec<i64> = charter_section::Entity::find()
        .filter(charter_section::Column::VersionId.eq(row.id))
        .all(tx.conn())
        .await?
        .into_iter()
        .map(|s| s.id)
        .collect();
    charter_item::Entity::delete_many().filter(charter_item::Column::SectionId.is_in(sections)).exec(tx.conn()).await?;
    charter_section::Entity::delete_many()
        .filter(charter_section::Column::VersionId.eq(row.id))
        .exec(tx.conn())
        .await?;
    charter_version::Entity::delete_by_id(row.id).exec(tx.conn()).await?;
    tx.commit().await?;
    Ok(())
}

/// The committee's overview: each charter's history including its draft.
pub async fn overview(db: &Db) -> Result<Vec<(CharterKind, Vec<VersionSummary>)>> {
    let mut list = Vec::new();
    for kind in CharterKind::ALL {
        list.push((*kind, history_in(db.conn(), *kind, true).await?));
    }
    Ok(list)
}
