use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "qualification_units")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub qualification_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub unit_id: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
