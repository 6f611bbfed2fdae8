use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "operation_transitions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub operation_id: i64,
    pub sending_centre_id: i64,
    pub host_centre_id: i64,
    pub from_state: Option<String>,
    pub to_state: String,
    pub by_user_id: Option<i64>,
    pub by_centre_id: i64,
    pub reason: String,
    pub at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl crate::tenancy::SharedOwned for Entity {
    fn centre_columns() -> (Column, Column) {
        (Column::SendingCentreId, Column::HostCentreId)
    }
}
