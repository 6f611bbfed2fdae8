//! The browser test: in headless Chromium, a demo centre admin signs in and invites a learner;
//! the learner opens the invitation from the development mailbox, accepts it and lands in the
//! workspace. Every page visited passes an axe-core audit with no serious or critical
//! violation. The flow itself is `tests/browser/invitation_flow.mjs` (Playwright).
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_invites_learner_who_joins_in_a_real_browser() {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    assert!(
        std::path::Path::new(&chromium).exists(),
        "Chromium is needed at {chromium} (apt-get install chromium, or set CHROMIUM)"
    );
    ensure_node_modules();
    let app = TestApp::new(Backend::Sqlite).await;
    let (base, _stop) = app.serve().await;
    let output = tokio::process::Command::new("node")
        .arg(browser_dir().join("invitation_flow.mjs"))
        .env("BASE_URL", &base)
        .env("CHROMIUM", &chromium)
        .output()
        .await
        .expect("node runs");
    let report = String::from_utf8_lossy(&output.stdout);
    println!("{report}");
    eprintln!("{}", String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "the browser flow failed:\n{report}");
    assert!(report.contains("18 pages audited"), "every page of the flow is audited:\n{report}");
}
