//! The database handle shared by the three binaries: one sqlx pool serves sea-orm and the apalis
//! job queue. SQLite is the embedded default; PostgreSQL is production.

use std::str::FromStr;
use std::time::Duration;

use netinvet_migrations::MigratorTrait;
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr, SqliteTransactionMode, SqlxPostgresConnector,
    SqlxSqliteConnector, TransactionOptions, TransactionTrait,
};
use sqlx::postgres::PgPoolOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

/// Which database the platform runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbKind {
    Sqlite,
    Postgres,
}

/// A pooled connection to the platform's database.
#[derive(Debug, Clone)]
pub struct Db {
    conn: DatabaseConnection,
    kind: DbKind,
}

impl Db {
    /// Connects to `url` (`sqlite://path?mode=rwc` or `postgres://...`) and checks that the
    /// database answers. The SQLite file and its folder are created when missing.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Db, DbErr> {
        let db = if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)
                .map_err(|e| DbErr::Custom(format!("not a valid SQLite URL: {e}")))?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(15))
                .foreign_keys(true);
            if let Some(parent) = options.get_filename().parent()
                && !parent.as_os_str().is_empty()
            {
                std::fs::create_dir_all(parent)
                    .map_err(|e| DbErr::Custom(format!("cannot create {}: {e}", parent.display())))?;
            }
            let pool = SqlitePoolOptions::new()
                .max_connections(max_connections)
                .acquire_timeout(Duration::from_secs(15))
                .connect_with(options)
                .await
                .map_err(|e| DbErr::Conn(sea_orm::RuntimeErr::Internal(e.to_string())))?;
            Db { conn: SqlxSqliteConnector::from_sqlx_sqlite_pool(pool), kind: DbKind::Sqlite }
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let pool = PgPoolOptions::new()
                .max_connections(max_connections)
                .acquire_timeout(Duration::from_secs(10))
                .connect(url)
                .await
                .map_err(|e| DbErr::Conn(sea_orm::RuntimeErr::Internal(e.to_string())))?;
            Db { conn: SqlxPostgresConnector::from_sqlx_postgres_pool(pool), kind: DbKind::Postgres }
        } else {
            return Err(DbErr::Custom("the URL must start with sqlite: or postgres:".into()));
        };
        db.ping().await?;
        Ok(db)
    }

    pub fn kind(&self) -> DbKind {
        self.kind
    }

    /// Whether the database answers (the readiness probe).
    pub async fn ping(&self) -> Result<(), DbErr> {
        self.conn.ping().await
    }

    /// Applies pending migrations and prepares the job queue's tables. On PostgreSQL this is run
    /// once per deployment by `netinvet-web migrate`, connected as the schema owner.
    pub async fn migrate(&self) -> Result<(), DbErr> {
        netinvet_migrations::Migrator::up(&self.conn, None).await?;
        match self.kind {
            DbKind::Sqlite => {
                apalis_sqlite::SqliteStorage::setup(self.conn.get_sqlite_connection_pool())
                    .await
                    .map_err(|e| DbErr::Migration(format!("job queue set-up: {e}")))?;
            }
            DbKind::Postgres => {
                apalis_postgres::PostgresStorage::setup(self.conn.get_postgres_connection_pool())
                    .await
                    .map_err(|e| DbErr::Migration(format!("job queue set-up: {e}")))?;
                let role = netinvet_migrations::APP_ROLE;
                for sql in [
                    format!("GRANT USAGE ON SCHEMA apalis TO {role}"),
                    format!("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA apalis TO {role}"),
                    format!("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA apalis TO {role}"),
                    format!("GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA apalis TO {role}"),
                    format!("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}"),
                    format!("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}"),
                ] {
                    self.conn.execute_unprepared(&sql).await?;
                }
            }
        }
        crate::seed::network::ensure(self)
            .await
            .map_err(|e| DbErr::Migration(format!("network reference data: {e}")))?;
        Ok(())
    }

    /// The sea-orm connection, for the domain's own queries.
    pub(crate) fn conn(&self) -> &DatabaseConnection {
        &self.conn
    }

    /// Begins a read-write transaction. On SQLite it takes the write lock up front
    /// (`BEGIN IMMEDIATE`), so two writers queue on the busy timeout instead of one failing
    /// when it upgrades a read lock.
    pub(crate) async fn begin(&self) -> Result<DatabaseTransaction, DbErr> {
        let options = TransactionOptions {
            sqlite_transaction_mode: (self.kind == DbKind::Sqlite).then_some(SqliteTransactionMode::Immediate),
            ..Default::default()
        };
        self.conn.begin_with_options(options).await
    }

    /// The SQLite pool, for the job queue; `None` on PostgreSQL.
    pub fn sqlite_pool(&self) -> Option<&sqlx::SqlitePool> {
        (self.kind == DbKind::Sqlite).then(|| self.conn.get_sqlite_connection_pool())
    }

    /// The PostgreSQL pool, for the job queue; `None` on SQLite.
    pub fn postgres_pool(&self) -> Option<&sqlx::PgPool> {
        (self.kind == DbKind::Postgres).then(|| self.conn.get_postgres_connection_pool())
    }

    /// Closes every pooled connection.
    pub async fn close(self) -> Result<(), DbErr> {
        self.conn.close().await
    }
}

impl Db {
    /// How many migrations have not been applied yet (the web app refuses to start on
    /// PostgreSQL until `netinvet-web migrate` has run).
    pub async fn pending_migrations(&self) -> Result<usize, DbErr> {
        Ok(netinvet_migrations::Migrator::get_pending_migrations(&self.conn).await?.len())
    }
}
