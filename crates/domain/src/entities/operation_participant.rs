use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "operation_participants")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub operation_id: i64,
    pub sending_centre_id: i64,
    pub host_centre_id: i64,
    pub user_id: i64,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl crate::tenancy::SharedOwned for Entity {
    fn centre_columns() -> (Column, Column) {
        (Column::SendingCentreId, Column::HostCentreId)
    }
}
