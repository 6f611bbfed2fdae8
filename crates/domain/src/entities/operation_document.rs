use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "operation_documents")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub operation_id: i64,
    pub sending_centre_id: i64,
    pub host_centre_id: i64,
    pub kind: String,
    pub filename: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub storage_key: String,
    pub uploaded_by: Option<i64>,
    pub uploaded_by_centre_id: i64,
    pub uploaded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl crate::tenancy::SharedOwned for Entity {
    fn centre_columns() -> (Column, Column) {
        (Column::SendingCentreId, Column::HostCentreId)
    }
}
