use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "agreement_versions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub agreement_id: i64,
    pub centre_a_id: i64,
    pub centre_b_id: i64,
    pub version: i32,
    pub profile_ids: String,
    pub unit_ids: String,
    pub assessment: String,
    pub validation: String,
    pub recognition: String,
    pub valid_from: Date,
    pub valid_until: Date,
    pub drafted_by: Option<i64>,
    pub drafted_at: DateTimeUtc,
    pub signed_a_by: Option<i64>,
    pub signed_a_at: Option<DateTimeUtc>,
    pub signed_b_by: Option<i64>,
    pub signed_b_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl crate::tenancy::SharedOwned for Entity {
    fn centre_columns() -> (Column, Column) {
        (Column::CentreAId, Column::CentreBId)
    }
}
