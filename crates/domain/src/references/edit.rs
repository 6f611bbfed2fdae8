//! The committee's editing of the shared references: create and edit drafts, publish, retire,
//! reinstate, and delete a draft nothing refers to. Every change is one audited transaction;
//! a refused change writes nothing.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect};

use super::{Unit, status};
use crate::db::Db;
use crate::entities::{centre_profile, centre_qualification, profile, qualification, qualification_unit, sector, unit};
use crate::error::{Checks, DomainError, FormData, Result};
use crate::tenancy::{CommitteeAccess, CommitteeTx};
use crate::types::{CountryCode, EqfLevel, PublicationStatus, ReferenceCode};

/// The kinds of reference the committee edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece {
    Sector,
    Profile,
    Unit,
    Qualification,
}

impl Piece {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "sectors" => Some(Piece::Sector),
            "profiles" => Some(Piece::Profile),
            "units" => Some(Piece::Unit),
            "qualifications" => Some(Piece::Qualification),
            _ => None,
        }
    }

    fn audit(self, action: &str) -> &'static str {
        match (self, action) {
            (Piece::Sector, "status") => "references.sector.status",
            (Piece::Profile, "status") => "references.profile.status",
            (Piece::Unit, "status") => "references.unit.status",
            (Piece::Qualification, "status") => "references.qualification.status",
            (Piece::Sector, _) => "references.sector.delete",
            (Piece::Profile, _) => "references.profile.delete",
            (Piece::Unit, _) => "references.unit.delete",
            (Piece::Qualification, _) => "references.qualification.delete",
        }
    }
}

/// A change of publication state the committee asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    Publish,
    Retire,
    Reinstate,
}

impl Transition {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "publish" => Some(Transition::Publish),
            "retire" => Some(Transition::Retire),
            "reinstate" => Some(Transition::Reinstate),
            _ => None,
        }
    }

    fn allowed(self, from: PublicationStatus) -> Option<PublicationStatus> {
        match (self, from) {
            (Transition::Publish, PublicationStatus::Draft) => Some(PublicationStatus::Published),
            (Transition::Retire, PublicationStatus::Published) => Some(PublicationStatus::Retired),
            (Transition::Reinstate, PublicationStatus::Retired) => Some(PublicationStatus::Published),
            _ => None,
        }
    }
}

/// Creates a sector (a draft) from `code` and `name_{lang}`.
pub async fn create_sector(db: &Db, access: &CommitteeAccess, form: &FormData, now: DateTime<Utc>) -> Result<i64> {
    let mut checks = Checks::default();
    let code = checks.check("code", ReferenceCode::parse(form.text("code")));
    let name = checks.localized(form, "name", 120);
    checks.finish()?;
    let (Some(code), Some(name)) = (code, name) else { return Err(DomainError::Internal("unchecked".into())) };
    let tx = CommitteeTx::begin(db, access, "references.sector.create", None, now).await?;
    if sector::Entity::find().filter(sector::Column::Code.eq(code.as_str())).count(tx.conn()).await? > 0 {
        return Err(DomainError::invalid("code", "error.code_taken"));
    }
    let inserted = sector::Entity::insert(sector::ActiveModel {
        code: Set(code.as_str().to_owned()),
        name: Set(name.to_stored()),
        status: Set(PublicationStatus::Draft.as_str().to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    })
    .exec(tx.conn())
    .await?;
    tx.commit().await?;
    Ok(inserted.last_insert_id)
}

/// Renames a sector (its code is its address and stays).
pub async fn update_sector(
    db: &Db,
    access: &CommitteeAccess,
    id: i64,
    form: &FormData,
    now: DateTime<Utc>,
) -> Result<()> {
    let mut checks = Checks::default();
    let name = checks.localized(form, "name", 120);
    checks.finish()?;
    let Some(name) = name else { return Err(DomainError::Internal("unchecked".into())) };
    let tx = CommitteeTx::begin(db, access, "references.sector.update", None, now).await?;
    let row = sector::Entity::find_by_id(id).one(tx.conn()).await?.ok_or(DomainError::NotFound)?;
    let mut active: sector::ActiveModel = row.into();
    active.name = Set(name.to_stored());
    active.updated_at = Set(now);
    sector::Entity::update(active).exec(tx.conn()).await?;
    tx.commit().await?;
    Ok(())
}

struct ProfileInput {
    code: ReferenceCode,
    sector_id: i64,
    eqf_level: EqfLevel,
    title: crate::types::Localized,
    description: crate::types::Localized,
}

async fn profile_input(conn: &impl ConnectionTrait, form: &FormData) -> Result<ProfileInput> {
    let mut checks = Checks::default();
    let code = checks.check("code", ReferenceCode::parse(form.text("code")));
    let sector_id = match form.text("sector").parse::<i64>() {
        Ok(id)
            if sector::Entity::find_by_id(id)
                .one(conn)
                .await?
                .is_some_and(|s| status(&s.status) != PublicationStatus::Retired) =>
        {
            Some(id)
        }
        _ => {
            checks.add("sector", "error.choice_invalid");
            None
        }
    };
    let eqf_level = checks.check("eqf_level", EqfLevel::parse(form.text("eqf_level")));
    let title = checks.localized(form, "title", 200);
    let description = checks.localized(form, "description", 4000);
    checks.finish()?;
    match (code, sector_id, eqf_level, title, description) {
        (Some(code), Some(sector_id), Some(eqf_level), Some(title), Some(description)) => {
            Ok(ProfileInput { code, sector_id, eqf_level, title, description })
        }
        _ => Err(DomainError::Internal("unchecked".into())),
    }
}

/// Creates a profile (a draft): `code`, `sector`, `eqf_level`, `title_{lang}`,
/// `description_{lang}`.
pub async fn create_profile(db: &Db, access: &CommitteeAccess, form: &FormData, now: DateTime<Utc>) -> Result<i64> {
    let tx = CommitteeTx::begin(db, access, "references.profile.create", None, now).await?;
    let input = profile_input(tx.conn(), form).await?;
    if profile::Entity::find().filter(profile::Column::Code.eq(input.code.as_str())).count(tx.conn()).await? > 0 {
        return Err(DomainError::invalid("code", "error.code_taken"));
    }
    let inserted = profile::Entity::insert(profile::ActiveModel {
        code: Set(input.code.as_str().to_owned()),
        sector_id: Set(input.sector_id),
        eqf_level: Set(i32::from(input.eqf_level.get())),
        title: Set(input.title.to_stored()),
        description: Set(input.description.to_stored()),
        status: Set(PublicationStatus::Draft.as_str().to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    })
    .exec(tx.conn())
    .await?;
    tx.commit().await?;
    Ok(inserted.last_insert_id)
}

/// Edits a profile. Its code is its public address: it may change only while a draft.
pub async fn update_profile(
    db: &Db,
    access: &CommitteeAccess,
    id: i64,
    form: &FormData,
    now: DateTime<Utc>,
) -> Result<()> {
    let tx = CommitteeTx::begin(db, access, "references.profile.update", None, now).await?;
    let row = profile::Entity::find_by_id(id).one(tx.conn()).await?.ok_or(DomainError::NotFound)?;
    let input = profile_input(tx.conn(), form).await?;
    if input.code.as_str() != row.code {
        if status(&row.status) != PublicationStatus::Draft {
            return Err(DomainError::invalid("code", "error.code_frozen"));
        }
        if profile::Entity::find().filter(profile::Column::Code.eq(input.code.as_str())).count(tx.conn()).await? > 0 {
            return Err(DomainError::invalid("code", "error.code_taken"));
        }
    }
    let mut active: profile::ActiveModel = row.into();
    active.code = Set(input.code.as_str().to_owned());
    active.sector_id = Set(input.sector_id);
    active.eqf_level = Set(i32::from(input.eqf_level.get()));
    active.title = Set(input.title.to_stored());
    active.description = Set(input.description.to_stored());
    active.updated_at = Set(now);
    profile::Entity::update(active).exec(tx.conn()).await?;
    tx.commit().await?;
    Ok(())
}

struct UnitInput {
    code: ReferenceCode,
    title: crate::types::Localized,
    knowledge: crate::types::Localized,
    skills: crate::types::Localized,
    competence: crate::types::Localized,
}

fn unit_input(form: &FormData) -> Result<UnitInput> {
    let mut checks = Checks::default();
    let code = checks.check("code", ReferenceCode::parse_max(form.text("code"), 30));
    let title = checks.localized(form, "title", 200);
    let knowledge = checks.localized(form, "knowledge", 4000);
    let skills = checks.localized(form, "skills", 4000);
    let competence = checks.localized(form, "competence", 4000);
    checks.finish()?;
    match (code, title, knowledge, skills, competence) {
        (Some(code), Some(title), Some(knowledge), Some(skills), Some(competence)) => {
            Ok(UnitInput { code, title, knowledge, skills, competence })
        }
        _ => Err(DomainError::Internal("unchecked".into())),
    }
}

async fn unit_code_taken(
    conn: &impl ConnectionTrait,
    profile_id: i64,
    code: &str,
    except: Option<i64>,
) -> Result<bool> {
    let mut query =
        unit::Entity::find().filter(unit::Column::ProfileId.eq(profile_id)).filter(unit::Column::Code.eq(code));
    if let Some(id) = except {
        query = query.filter(unit::Column::Id.ne(id));
    }
    Ok(query.count(conn).await? > 0)
}

/// Adds a unit to a profile: `code` (unique in the profile), `title_{lang}`,
/// `knowledge_{lang}`, `skills_{lang}`, `competence_{lang}`. A unit added to a published profile
/// is published with it at once; in a draft profile it waits for the profile.
pub async fn create_unit(
    db: &Db,
    access: &CommitteeAccess,
    profile_id: i64,
    form: &FormData,
    now: DateTime<Utc>,
) -> Result<i64> {
    let tx = CommitteeTx::begin(db, access, "references.unit.create", None, now).await?;
    let profile = profile::Entity::find_by_id(profile_id).one(tx.conn()).await?.ok_or(DomainError::NotFound)?;
    if status(&profile.status) == PublicationStatus::Retired {
        return Err(DomainError::invalid("code", "error.profile_retired"));
    }
    // A taken code is reported together with any other wrong field.
    let taken = match ReferenceCode::parse_max(form.text("code"), 30) {
        Ok(code) => unit_code_taken(tx.conn(), profile_id, code.as_str(), None).await?,
        Err(_) => false,
    };
    let input = match (unit_input(form), taken) {
        (Ok(input), false) => input,
        (Ok(_), true) => return Err(DomainError::invalid("code", "error.unit_code_taken")),
        (Err(DomainError::Invalid(mut errors)), true) => {
            errors.insert(0, crate::error::FieldError { field: "code".into(), message_key: "error.unit_code_taken" });
            return Err(DomainError::Invalid(errors));
        }
        (Err(other), _) => return Err(other),
    };
    let last: Option<Option<i32>> = unit::Entity::find()
        .select_only()
        .column_as(unit::Column::Position.max(), "last")
        .filter(unit::Column::ProfileId.eq(profile_id))
        .into_tuple()
        .one(tx.conn())
        .await?;
    let position = last.flatten().unwrap_or(0) + 1;
    let unit_status = match status(&profile.status) {
        PublicationStatus::Published => PublicationStatus::Published,
        _ => PublicationStatus::Draft,
    };
    let inserted = unit::Entity::insert(unit::ActiveModel {
        profile_id: Set(profile_id),
        code: Set(input.code.as_str().to_owned()),
        title: Set(input.title.to_stored()),
        knowledge: Set(input.knowledge.to_stored()),
        skills: Set(input.skills.to_stored()),
        competence: Set(input.competence.to_stored()),
        position: Set(position),
        status: Set(unit_status.as_str().to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    })
    .exec(tx.conn())
    .await?;
    tx.commit().await?;
    Ok(inserted.last_insert_id)
}

/// Edits a unit. Its code may change only while it is a draft (agreements cite it).
pub async fn update_unit(
    db: &Db,
    access: &CommitteeAccess,
    id: i64,
    form: &FormData,
    now: DateTime<Utc>,
) -> Result<Unit> {
    let input = unit_input(form)?;
    let tx = CommitteeTx::begin(db, access, "references.unit.update", None, now).await?;
    let row = unit::Entity::find_by_id(id).one(tx.conn()).await?.ok_or(DomainError::NotFound)?;
    if input.code.as_str() != row.code {
        if status(&row.status) != PublicationStatus::Draft {
            return Err(DomainError::invalid("code", "error.code_frozen"));
        }
        if unit_code_taken(tx.conn(), row.profile_id, input.code.as_str(), Some(id)).await? {
            return Err(DomainError::invalid("code", "error.unit_code_taken"));
        }
    }
    let mut active: unit::ActiveModel = row.into();
    active.code = Set(input.code.as_str().to_owned());
    active.title = Set(input.title.to_stored());
    active.knowledge = Set(input.knowledge.to_stored());
    active.skills = Set(input.skills.to_stored());
    active.competence = Set(input.competence.to_stored());
    active.updated_at = Set(now);
    let updated = unit::Entity::update(active).exec(tx.conn()).await?;
    tx.commit().await?;
    Ok(updated.into())
}

struct QualificationInput {
    country: CountryCode,
    code: ReferenceCode,
    eqf_level: EqfLevel,
    title: crate::types::Localized,
    units: Vec<i64>,
}

async fn qualification_input(conn: &impl ConnectionTrait, form: &FormData) -> Result<QualificationInput> {
    let mut checks = Checks::default();
    let country = checks.check("country", CountryCode::parse(form.text("country")));
    let code = checks.check("code", ReferenceCode::parse(form.text("code")));
    let eqf_level = checks.check("eqf_level", EqfLevel::parse(form.text("eqf_level")));
    let title = checks.localized(form, "title", 300);
    let mut units: Vec<i64> = Vec::new();
    for text in form.all("units") {
        match text.parse::<i64>() {
            Ok(id) => units.push(id),
            Err(_) => checks.add("units", "error.choice_invalid"),
        }
    }
    units.sort_unstable();
    units.dedup();
    if !units.is_empty() {
        let usable = unit::Entity::find()
            .filter(unit::Column::Id.is_in(units.iter().copied()))
            .filter(unit::Column::Status.ne(PublicationStatus::Retired.as_str()))
            .count(conn)
            .await?;
        if usable != units.len() as u64 {
            checks.add("units", "error.choice_invalid");
        }
    }
    checks.finish()?;
    match (country, code, eqf_level, title) {
        (Some(country), Some(code), Some(eqf_level), Some(title)) => {
            Ok(QualificationInput { country, code, eqf_level, title, units })
        }
        _ => Err(DomainError::Internal("unchecked".into())),
    }
}

async fn write_qualification_units(conn: &impl ConnectionTrait, id: i64, units: &[i64]) -> Result<()> {
    qualification_unit::Entity::delete_many()
        .filter(qualification_unit::Column::QualificationId.eq(id))
        .exec(conn)
        .await?;
    if !units.is_empty() {
        qualification_unit::Entity::insert_many(
            units
                .iter()
                .map(|&unit_id| qualification_unit::ActiveModel { qualification_id: Set(id), unit_id: Set(unit_id) }),
        )
        .exec_without_returning(conn)
        .await?;
    }
    Ok(())
}

/// Creates a national qualification (a draft): `country`, `code` (unique in the country),
/// `eqf_level`, `title_{lang}` and the shared `units` it covers.
pub async fn create_qualification(
    db: &Db,
    access: &CommitteeAccess,
    form: &FormData,
    now: DateTime<Utc>,
) -> Result<i64> {
    let tx = CommitteeTx::begin(db, access, "references.qualification.create", None, now).await?;
    let input = qualification_input(tx.conn(), form).await?;
    let taken = qualification::Entity::find()
        .filter(qualification::Column::Country.eq(input.country.code()))
        .filter(qualification::Column::Code.eq(input.code.as_str()))
        .count(tx.conn())
        .await?;
    if taken > 0 {
        return Err(DomainError::invalid("code", "error.code_taken"));
    }
    let inserted = qualification::Entity::insert(qualification::ActiveModel {
        country: Set(input.country.code().to_owned()),
        code: Set(input.code.as_str().to_owned()),
        title: Set(input.title.to_stored()),
        eqf_level: Set(i32::from(input.eqf_level.get())),
        status: Set(PublicationStatus::Draft.as_str().to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    })
    .exec(tx.conn())
    .await?;
    write_qualification_units(tx.conn(), inserted.last_insert_id, &input.units).await?;
    tx.commit().await?;
    Ok(inserted.last_insert_id)
}

/// Edits a national qualification and the units it covers.
pub async fn update_qualification(
    db: &Db,
    access: &CommitteeAccess,
    id: i64,
    form: &FormData,
    now: DateTime<Utc>,
) -> Result<()> {
    let tx = CommitteeTx::begin(db, access, "references.qualification.update", None, now).await?;
    let row = qualification::Entity::find_by_id(id).one(tx.conn()).await?.ok_or(DomainError::NotFound)?;
    let input = qualification_input(tx.conn(), form).await?;
    let taken = qualification::Entity::find()
        .filter(qualification::Column::Country.eq(input.country.code()))
        .filter(qualification::Column::Code.eq(input.code.as_str()))
        .filter(qualification::Column::Id.ne(id))
        .count(tx.conn())
        .await?;
    if taken > 0 {
        return Err(DomainError::invalid("code", "error.code_taken"));
    }
    let mut active: qualification::ActiveModel = row.into();
    active.country = Set(input.country.code().to_owned());
    active.code = Set(input.code.as_str().to_owned());
    active.title = Set(input.title.to_stored());
    active.eqf_level = Set(i32::from(input.eqf_level.get()));
    active.updated_at = Set(now);
    qualification::Entity::update(active).exec(tx.conn()).await?;
    write_qualification_units(tx.conn(), id, &input.units).await?;
    tx.commit().await?;
    Ok(())
}

/// Publishes, retires or reinstates a piece. Publishing a profile needs its sector published and
/// publishes its draft units with it; a unit is published only within a published profile.
/// Retiring keeps the piece readable where it is cited, but offers it for nothing new.
pub async fn change_status(
    db: &Db,
    access: &CommitteeAccess,
    piece: Piece,
    id: i64,
    transition: Transition,
    now: DateTime<Utc>,
) -> Result<()> {
    let tx = CommitteeTx::begin(db, access, piece.audit("status"), None, now).await?;
    let conn = tx.conn();
    let current = match piece {
        Piece::Sector => sector::Entity::find_by_id(id).one(conn).await?.map(|r| r.status),
        Piece::Profile => profile::Entity::find_by_id(id).one(conn).await?.map(|r| r.status),
        Piece::Unit => unit::Entity::find_by_id(id).one(conn).await?.map(|r| r.status),
        Piece::Qualification => qualification::Entity::find_by_id(id).one(conn).await?.map(|r| r.status),
    }
    .ok_or(DomainError::NotFound)?;
    let target =
        transition.allowed(status(&current)).ok_or(DomainError::invalid("status", "error.transition_invalid"))?;
    let value = target.as_str();
    match piece {
        Piece::Sector => {
            sector::Entity::update_many()
                .col_expr(sector::Column::Status, Expr::value(value))
                .col_expr(sector::Column::UpdatedAt, Expr::value(now))
                .filter(sector::Column::Id.eq(id))
                .exec(conn)
                .await?;
        }
        Piece::Profile => {
            let row = profile::Entity::find_by_id(id).one(conn).await?.ok_or(DomainError::NotFound)?;
            if target == PublicationStatus::Published {
                let sector = sector::Entity::find_by_id(row.sector_id).one(conn).await?.ok_or(DomainError::NotFound)?;
                if status(&sector.status) != PublicationStatus::Published {
                    return Err(DomainError::invalid("status", "error.sector_not_published"));
                }
                unit::Entity::update_many()
                    .col_expr(unit::Column::Status, Expr::value(PublicationStatus::Published.as_str()))
                    .col_expr(unit::Column::UpdatedAt, Expr::value(now))
                    .filter(unit::Column::ProfileId.eq(id))
                    .filter(unit::Column::Status.eq(PublicationStatus::Draft.as_str()))
                    .exec(conn)
                    .await?;
            }
            profile::Entity::update_many()
                .col_expr(profile::Column::Status, Expr::value(value))
                .col_expr(profile::Column::UpdatedAt, Expr::value(now))
                .filter(profile::Column::Id.eq(id))
                .exec(conn)
                .await?;
        }
        Piece::Unit => {
            let row = unit::Entity::find_by_id(id).one(conn).await?.ok_or(DomainError::NotFound)?;
            if target == PublicationStatus::Published {
                let profile =
                    profile::Entity::find_by_id(row.profile_id).one(conn).await?.ok_or(DomainError::NotFound)?;
                if status(&profile.status) != PublicationStatus::Published {
                    return Err(DomainError::invalid("status", "error.profile_not_published"));
                }
            }
            unit::Entity::update_many()
                .col_expr(unit::Column::Status, Expr::value(value))
                .col_expr(unit::Column::UpdatedAt, Expr::value(now))
                .filter(unit::Column::Id.eq(id))
                .exec(conn)
                .await?;
        }
        Piece::Qualification => {
            qualification::Entity::update_many()
                .col_expr(qualification::Column::Status, Expr::value(value))
                .col_expr(qualification::Column::UpdatedAt, Expr::value(now))
                .filter(qualification::Column::Id.eq(id))
                .exec(conn)
                .await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Deletes a draft that nothing refers to. A published or retired piece is never deleted, and
/// a draft still cited (a sector's profiles, a profile's units, a unit a qualification covers,
/// a profile or qualification a centre declared) must be detached first.
pub async fn delete_draft(db: &Db, access: &CommitteeAccess, piece: Piece, id: i64, now: DateTime<Utc>) -> Result<()> {
    let tx = CommitteeTx::begin(db, access, piece.audit("delete"), None, now).await?;
    let conn = tx.conn();
    let (current, in_use) = match piece {
        Piece::Sector => (
            sector::Entity::find_by_id(id).one(conn).await?.map(|r| r.status),
            profile::Entity::find().filter(profile::Column::SectorId.eq(id)).count(conn).await? > 0,
        ),
        Piece::Profile => (
            profile::Entity::find_by_id(id).one(conn).await?.map(|r| r.status),
            unit::Entity::find().filter(unit::Column::ProfileId.eq(id)).count(conn).await? > 0
                || centre_profile::Entity::find().filter(centre_profile::Column::ProfileId.eq(id)).count(conn).await?
                    > 0,
        ),
        Piece::Unit => (
            unit::Entity::find_by_id(id).one(conn).await?.map(|r| r.status),
            qualification_unit::Entity::find().filter(qualification_unit::Column::UnitId.eq(id)).count(conn).await? > 0,
        ),
        Piece::Qualification => (
            qualification::Entity::find_by_id(id).one(conn).await?.map(|r| r.status),
            centre_qualification::Entity::find()
                .filter(centre_qualification::Column::QualificationId.eq(id))
                .count(conn)
                .await?
                > 0,
        ),
    };
    let current = current.ok_or(DomainError::NotFound)?;
    if status(&current) != PublicationStatus::Draft {
        return Err(DomainError::invalid("status", "error.retire_not_delete"));
    }
    if in_use {
        return Err(DomainError::invalid("status", "error.in_use"));
    }
    match piece {
        Piece::Sector => sector::Entity::delete_by_id(id).exec(conn).await?,
        Piece::Profile => profile::Entity::delete_by_id(id).exec(conn).await?,
        Piece::Unit => unit::Entity::delete_by_id(id).exec(conn).await?,
        Piece::Qualification => qualification::Entity::delete_by_id(id).exec(conn).await?,
    };
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_references_are_retired_not_unpublished() {
        use PublicationStatus::{Draft, Published, Retired};
        assert_eq!(Transition::Publish.allowed(Draft), Some(Published));
        assert_eq!(Transition::Retire.allowed(Published), Some(Retired));
        assert_eq!(Transition::Reinstate.allowed(Retired), Some(Published));
        for (transition, from) in [
            (Transition::Publish, Published),
            (Transition::Publish, Retired),
            (Transition::Retire, Draft),
            (Transition::Retire, Retired),
            (Transition::Reinstate, Draft),
            (Transition::Reinstate, Published),
        ] {
            assert_eq!(transition.allowed(from), None, "{transition:?} from {from:?}");
        }
    }
}
