//! The tower-sessions store on the platform's own database (SQLite or PostgreSQL), so sessions
//! need no other service and no second sqlx. Session data is JSON; expiry is enforced on load and
//! by the nightly purge job.

use async_trait::async_trait;
use netinvet_domain::Db;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

/// A session ends after this long without a request.
pub const IDLE_TIMEOUT: time::Duration = time::Duration::hours(12);

#[derive(Debug, Clone)]
pub struct DbSessionStore {
    db: Db,
}

impl DbSessionStore {
    pub fn new(db: Db) -> Self {
        Self { db }
    }
}

fn backend(err: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(err.to_string())
}

fn expiry(record: &Record) -> session_store::Result<chrono::DateTime<chrono::Utc>> {
    chrono::DateTime::from_timestamp(record.expiry_date.unix_timestamp(), 0)
        .ok_or_else(|| backend("expiry out of range"))
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        loop {
            let data = serde_json::to_string(&record.data).map_err(|e| session_store::Error::Encode(e.to_string()))?;
            if netinvet_domain::sessions::create(&self.db, &record.id.to_string(), data, expiry(record)?)
                .await
                .map_err(backend)?
            {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let data = serde_json::to_string(&record.data).map_err(|e| session_store::Error::Encode(e.to_string()))?;
        netinvet_domain::sessions::save(&self.db, &record.id.to_string(), data, expiry(record)?).await.map_err(backend)
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let Some(data) =
            netinvet_domain::sessions::load(&self.db, &id.to_string(), chrono::Utc::now()).await.map_err(backend)?
        else {
            return Ok(None);
        };
        let data = serde_json::from_str(&data).map_err(|e| session_store::Error::Decode(e.to_string()))?;
        // The stored expiry is checked on load; the layer recomputes the cookie's own.
        Ok(Some(Record { id: *id, data, expiry_date: time::OffsetDateTime::now_utc() + IDLE_TIMEOUT }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        netinvet_domain::sessions::delete(&self.db, &id.to_string()).await.map_err(backend)
    }
}
