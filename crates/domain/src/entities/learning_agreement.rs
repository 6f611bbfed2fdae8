use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "learning_agreements")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub operation_id: i64,
    pub participant_id: i64,
    pub sending_centre_id: i64,
    pub host_centre_id: i64,
    pub activities: String,
    pub signed_sending_by: Option<i64>,
    pub signed_sending_at: Option<DateTimeUtc>,
    pub signed_host_by: Option<i64>,
    pub signed_host_at: Option<DateTimeUtc>,
    pub signed_learner_at: Option<DateTimeUtc>,
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
