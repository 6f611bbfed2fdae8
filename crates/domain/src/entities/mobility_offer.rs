use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mobility_offers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub centre_id: i64,
    pub profile_id: i64,
    pub mobility_type: String,
    pub window_start: Date,
    pub window_end: Date,
    pub places: i32,
    pub places_taken: i32,
    pub working_language: String,
    pub application_deadline: Date,
    pub accommodation_help: bool,
    pub local_transport: bool,
    pub tutoring: bool,
    pub description: String,
    pub status: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl crate::tenancy::TenantOwned for Entity {
    fn centre_column() -> Column {
        Column::CentreId
    }
}
