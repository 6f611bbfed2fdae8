use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "charter_items")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub section_id: i64,
    pub position: i32,
    pub code: String,
    pub text: String,
    pub phase: String,
    pub blocking: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
