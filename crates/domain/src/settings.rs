//! Network-level settings: the steering committee's rules that are not public and may change
//! (label term, interim assessments, activity threshold, invitation and token lifetimes).
//! Stored as overrides of the defaults below, one row per setting.

use chrono::Duration;
use sea_orm::EntityTrait;
use serde::{Deserialize, Serialize};

use crate::db::Db;
use crate::entities::network_setting;
use crate::error::Result;

/// Every network setting with its value in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NetworkSettings {
    /// How long a label is awarded for.
    pub label_term_months: u32,
    /// When interim assessments fall within the term, in months from the award.
    pub interim_assessment_months: Vec<u32>,
    /// Fewest mobility operations in any rolling 12 months before a label is raised for review.
    pub min_mobility_operations_per_year: u32,
    /// Days after an invitation is sent before its one reminder.
    pub invitation_reminder_days: u32,
    /// Days an invitation link stays valid.
    pub invitation_expiry_days: u32,
    /// Minutes a password reset link stays valid.
    pub password_reset_minutes: u32,
    /// Most emails one person receives in one category per day (reminders, digests).
    pub daily_email_cap_per_category: u32,
}

impl Default for NetworkSettings {
    fn default() -> Self {
        Self {
            label_term_months: 36,
            interim_assessment_months: vec![12, 24],
            min_mobility_operations_per_year: 4,
            invitation_reminder_days: 3,
            invitation_expiry_days: 14,
            password_reset_minutes: 60,
            daily_email_cap_per_category: 5,
        }
    }
}

impl NetworkSettings {
    pub fn invitation_reminder_after(&self) -> Duration {
        Duration::days(self.invitation_reminder_days.into())
    }

    pub fn invitation_lifetime(&self) -> Duration {
        Duration::days(self.invitation_expiry_days.into())
    }

    pub fn password_reset_lifetime(&self) -> Duration {
        Duration::minutes(self.password_reset_minutes.into())
    }
}

/// The settings in force: defaults overridden by what the committee stored.
pub async fn load(db: &Db) -> Result<NetworkSettings> {
    let rows = network_setting::Entity::find().all(db.conn()).await?;
    let mut merged = serde_json::to_value(NetworkSettings::default())?;
    for row in rows {
        merged[row.key.as_str()] = serde_json::from_str(&row.value)?;
    }
    Ok(serde_json::from_value(merged)?)
}
