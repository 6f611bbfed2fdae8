//! The browser tests, in headless Chromium (Playwright scripts in `tests/browser/`):
//! - `invitation_flow.mjs`: a demo centre admin invites a learner, who opens the invitation from
//!   the development mailbox, accepts it and lands in the workspace;
//! - `public_space.mjs`: every public page in English and French, the directory filters, the
//!   application to join, a centre's declarations and the committee's maintenance pages;
//! - `mobility_flow.mjs`: two demo centres run a learner mobility from offer to recognition.
//!
//! Every page visited passes an axe-core audit with no serious or critical violation.
//!
//! Needs Chromium at `/usr/bin/chromium` (or `CHROMIUM`) and Node.js; the npm packages are
//! installed on first run from `tests/browser/package-lock.json`.

use std::path::PathBuf;
use std::process::Command;

use netinvet_tests::{Backend, TestApp};

fn browser_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("browser")
}

fn ensure_node_modules() {
    let dir = browser_dir();
    if dir.join("node_modules/playwright-core").exists() && dir.join("node_modules/axe-core").exists() {
        return;
    }
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(&dir)
        .status()
        .expect("npm runs (Node.js is needed for the browser test)");
    assert!(status.success(), "npm ci in tests/browser failed");
}

/// Runs one Playwright script against a served demo platform and returns its report.
async fn run_flow(script: &str) -> String {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    assert!(
        std::path::Path::new(&chromium).exists(),
        "Chromium is needed at {chromium} (apt-get install chromium, or set CHROMIUM)"
    );
    ensure_node_modules();
    let app = TestApp::new(Backend::Sqlite).await;
    let (base, _stop) = app.serve().await;
    let output = tokio::process::Command::new("node")
        .arg(browser_dir().join(script))
        .env("BASE_URL", &base)
        .env("CHROMIUM", &chromium)
        .output()
        .await
        .expect("node runs");
    let report = String::from_utf8_lossy(&output.stdout).into_owned();
    println!("{report}");
    eprintln!("{}", String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "the browser flow {script} failed:\n{report}");
    report
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_invites_learner_who_joins_in_a_real_browser() {
    let report = run_flow("invitation_flow.mjs").await;
    assert!(report.contains("18 pages audited"), "every page of the flow is audited:\n{report}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn public_space_and_committee_pages_in_a_real_browser() {
    let report = run_flow("public_space.mjs").await;
    assert!(report.contains("51 pages audited"), "every page of the flow is audited:\n{report}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_centres_run_a_mobility_in_a_real_browser() {
    let report = run_flow("mobility_flow.mjs").await;
    assert!(report.contains("19 pages audited"), "every page of the flow is audited:\n{report}");
}
