//! `netinvet-web`: serves the platform. `netinvet-web migrate` applies migrations and exits;
//! `netinvet-web seed-demo` seeds the demo network into an empty database.

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    netinvet_telemetry::run_service("netinvet-web", run()).await
}

async fn run() -> anyhow::Result<()> {
    let config = netinvet_web::Config::from_env()?;
    match std::env::args().nth(1).as_deref() {
        None | Some("serve") => netinvet_web::run(config).await,
        Some("migrate") => {
            let db = netinvet_web::connect(&config).await?;
            netinvet_web::migrate(&db).await?;
            println!("migrations applied");
            Ok(())
        }
        Some("seed-demo") => {
            let db = netinvet_web::connect(&config).await?;
            netinvet_web::seed_demo(&db, &config.public_url).await
        }
        Some(other) => anyhow::bail!("unknown command {other:?}; expected serve, migrate or seed-demo"),
    }
}
