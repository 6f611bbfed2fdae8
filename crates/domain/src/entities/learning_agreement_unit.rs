use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "learning_agreement_units")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub learning_agreement_id: i64,
    pub sending_centre_id: i64,
    pub host_centre_id: i64,
    pub unit_id: i64,
    pub activities: String,
    pub assessment_method: String,
    pub result: Option<String>,
    pub result_note: String,
    pub result_by: Option<i64>,
    pub result_at: Option<DateTimeUtc>,
    pub recognition: Option<String>,
    pub recognition_date: Option<Date>,
    pub recognition_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl crate::tenancy::SharedOwned for Entity {
    fn centre_columns() -> (Column, Column) {
        (Column::SendingCentreId, Column::HostCentreId)
    }
}
