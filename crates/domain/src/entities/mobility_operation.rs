use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mobility_operations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub sending_centre_id: i64,
    pub host_centre_id: i64,
    pub offer_id: Option<i64>,
    pub agreement_id: Option<i64>,
    pub mobility_type: String,
    pub profile_id: Option<i64>,
    pub participants_planned: i32,
    pub period_start: Date,
    pub period_end: Date,
    pub proposed_start: Option<Date>,
    pub proposed_end: Option<Date>,
    pub state: String,
    pub state_reason: String,
    pub request_message: String,
    pub accommodation: String,
    pub insurance: String,
    pub emergency_contacts: String,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl crate::tenancy::SharedOwned for Entity {
    fn centre_columns() -> (Column, Column) {
        (Column::SendingCentreId, Column::HostCentreId)
    }
}
