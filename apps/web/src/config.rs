//! Configuration from environment variables into one typed value. A bad or missing value stops
//! start-up with a message naming the variable. Every variable is listed in the README.

use std::net::{IpAddr, SocketAddr};

/// The platform's configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// `sqlite://...` (embedded mode) or `postgres://...`.
    pub database_url: String,
    pub bind: SocketAddr,
    /// Base URL for links in emails, without a trailing slash.
    pub public_url: String,
    /// Real SMTP delivery; without it the embedded mode uses the development mailbox.
    pub smtp_url: Option<String>,
    pub mail_from: String,
    /// Seed the demo network if the database is empty (by default in the embedded mode only).
    pub seed_demo: bool,
    /// Sign-in, reset and link attempts allowed per client and minute.
    pub rate_limit_per_minute: u32,
    /// Trust the first `X-Forwarded-For` address as the client's (behind a known proxy only).
    pub trust_forwarded_for: bool,
    pub database_max_connections: u32,
    /// Where operation documents are stored (a persistent volume in production).
    pub upload_dir: std::path::PathBuf,
    /// Object storage for documents instead of `upload_dir`, when configured.
    pub object_storage: Option<netinvet_domain::storage::S3Config>,
}

/// A configuration error, naming the variable.
#[derive(Debug, thiserror::Error)]
#[error("configuration: {variable} {problem}")]
pub struct ConfigError {
    pub variable: &'static str,
    pub problem: String,
}

/// Where variables are read from: the process environment, or a map in tests.
struct Vars<'a>(&'a dyn Fn(&str) -> Option<String>);

impl Vars<'_> {
    fn var(&self, name: &'static str) -> Option<String> {
        (self.0)(name).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
    }

    fn parse<T: std::str::FromStr>(&self, name: &'static str, default: T) -> Result<T, ConfigError>
    where
        T::Err: std::fmt::Display,
    {
        match self.var(name) {
            None => Ok(default),
            Some(raw) => {
                raw.parse().map_err(|e| ConfigError { variable: name, problem: format!("is not valid ({raw:?}): {e}") })
            }
        }
    }

    fn boolean(&self, name: &'static str, default: bool) -> Result<bool, ConfigError> {
        match self.var(name).as_deref() {
            None => Ok(default),
            Some("1" | "true" | "yes" | "on") => Ok(true),
            Some("0" | "false" | "no" | "off") => Ok(false),
            Some(other) => {
                Err(ConfigError { variable: name, problem: format!("must be true or false, not {other:?}") })
            }
        }
    }
}

/// The embedded default database.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/netinvet.db?mode=rwc";

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(&|name| std::env::var(name).ok())
    }

    /// Reads the configuration from `lookup` (variable name to value).
    pub fn from_lookup(lookup: &dyn Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let env = Vars(lookup);
        let database_url = env.var("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.to_owned());
        if !(database_url.starts_with("sqlite:")
            || database_url.starts_with("postgres:")
            || database_url.starts_with("postgresql:"))
        {
            return Err(ConfigError {
                variable: "DATABASE_URL",
                problem: "must start with sqlite: or postgres:".into(),
            });
        }
        let ip: IpAddr = env.parse("BIND_ADDR", IpAddr::from([127, 0, 0, 1]))?;
        let port: u16 = env.parse("PORT", 8080)?;
        let bind = SocketAddr::new(ip, port);
        let public_url = env.var("PUBLIC_URL").unwrap_or_else(|| {
            let host = if ip.is_unspecified() { "127.0.0.1".to_owned() } else { ip.to_string() };
            format!("http://{host}:{port}")
        });
        if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
            return Err(ConfigError { variable: "PUBLIC_URL", problem: "must start with http:// or https://".into() });
        }
        let smtp_url = env.var("SMTP_URL");
        if let Some(url) = &smtp_url
            && !(url.starts_with("smtp://") || url.starts_with("smtps://"))
        {
            return Err(ConfigError { variable: "SMTP_URL", problem: "must start with smtp:// or smtps://".into() });
        }
        let embedded = database_url.starts_with("sqlite:");
        let rate_limit_per_minute: u32 = env.parse("RATE_LIMIT_PER_MINUTE", 10)?;
        if rate_limit_per_minute == 0 {
            return Err(ConfigError { variable: "RATE_LIMIT_PER_MINUTE", problem: "must be at least 1".into() });
        }
        Ok(Config {
            database_url,
            bind,
            public_url: public_url.trim_end_matches('/').to_owned(),
            smtp_url,
            mail_from: env.var("MAIL_FROM").unwrap_or_else(|| "NETINVET <no-reply@netinvet.localhost>".to_owned()),
            seed_demo: env.boolean("SEED_DEMO", embedded)?,
            rate_limit_per_minute,
            trust_forwarded_for: env.boolean("TRUST_FORWARDED_FOR", false)?,
            database_max_connections: env.parse("DATABASE_MAX_CONNECTIONS", if embedded { 8 } else { 20 })?,
            upload_dir: env.var("UPLOAD_DIR").unwrap_or_else(|| "data/uploads".to_owned()).into(),
            object_storage: match env.var("STORAGE_URL") {
                None => None,
                Some(url) => Some(
                    netinvet_domain::storage::S3Config::from_url(
                        &url,
                        &env.var("AWS_ACCESS_KEY_ID").unwrap_or_default(),
                        &env.var("AWS_SECRET_ACCESS_KEY").unwrap_or_default(),
                    )
                    .map_err(|problem| ConfigError { variable: "STORAGE_URL", problem })?,
                ),
            },
        })
    }

    /// The embedded mode: SQLite, one process running web, worker and scheduler.
    pub fn embedded(&self) -> bool {
        self.database_url.starts_with("sqlite:")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let vars: Vec<(String, String)> = vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        Config::from_lookup(&move |name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()))
    }

    #[test]
    fn defaults_are_the_embedded_mode() {
        let config = config(&[]).unwrap();
        assert!(config.embedded());
        assert!(config.seed_demo);
        assert_eq!(config.bind.to_string(), "127.0.0.1:8080");
        assert_eq!(config.public_url, "http://127.0.0.1:8080");
        assert_eq!(config.rate_limit_per_minute, 10);
        assert_eq!(config.upload_dir, std::path::PathBuf::from("data/uploads"));
        assert!(config.object_storage.is_none());
    }

    #[test]
    fn postgres_turns_the_seed_off_unless_asked() {
        let config = config(&[("DATABASE_URL", "postgres://app@db/netinvet")]).unwrap();
        assert!(!config.embedded());
        assert!(!config.seed_demo);
        let seeded =
            super::tests::config(&[("DATABASE_URL", "postgres://app@db/netinvet"), ("SEED_DEMO", "true")]).unwrap();
        assert!(seeded.seed_demo);
    }

    #[test]
    fn a_bad_value_names_its_variable() {
        let cases: &[(&[(&str, &str)], &str)] = &[
            (&[("PORT", "eighty")], "PORT"),
            (&[("BIND_ADDR", "localhost:80")], "BIND_ADDR"),
            (&[("DATABASE_URL", "mysql://x")], "DATABASE_URL"),
            (&[("PUBLIC_URL", "netinvet.example")], "PUBLIC_URL"),
            (&[("SMTP_URL", "http://mail")], "SMTP_URL"),
            (&[("SEED_DEMO", "maybe")], "SEED_DEMO"),
            (&[("RATE_LIMIT_PER_MINUTE", "0")], "RATE_LIMIT_PER_MINUTE"),
            (&[("TRUST_FORWARDED_FOR", "2")], "TRUST_FORWARDED_FOR"),
            (&[("DATABASE_MAX_CONNECTIONS", "-1")], "DATABASE_MAX_CONNECTIONS"),
            (&[("STORAGE_URL", "s3://docs")], "STORAGE_URL"),
            (
                &[("STORAGE_URL", "ftp://docs"), ("AWS_ACCESS_KEY_ID", "a"), ("AWS_SECRET_ACCESS_KEY", "b")],
                "STORAGE_URL",
            ),
        ];
        for (vars, variable) in cases {
            let err = config(vars).expect_err("a bad value is refused");
            assert_eq!(err.variable, *variable);
            assert!(err.to_string().starts_with(&format!("configuration: {variable} ")), "{err}");
        }
    }
}
