//! The `netinvet-web` binary refuses to start on bad configuration or an unreachable database,
//! with a message naming the variable, and exits non-zero.

use std::process::Command;

fn start(vars: &[(&str, &str)]) -> (bool, String) {
    let dir = std::env::temp_dir().join(format!("netinvet-startup-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_netinvet-web"));
    command.current_dir(&dir).env_remove("DATABASE_URL").env_remove("OTEL_EXPORTER_OTLP_ENDPOINT");
    for (name, value) in vars {
        command.env(name, value);
    }
    let output = command.output().expect("the binary runs");
    (output.status.success(), String::from_utf8_lossy(&output.stderr).into_owned())
}

#[test]
fn an_unreachable_database_names_database_url() {
    // Port 1 on loopback: nothing listens there, the connection is refused at once.
    let (ok, stderr) = start(&[("DATABASE_URL", "postgres://netinvet@127.0.0.1:1/netinvet")]);
    assert!(!ok, "start-up must fail");
    assert!(stderr.contains("DATABASE_URL"), "the message names DATABASE_URL: {stderr}");
}

#[test]
fn a_bad_setting_names_its_variable() {
    let (ok, stderr) = start(&[("PORT", "eighty")]);
    assert!(!ok);
    assert!(stderr.contains("configuration: PORT"), "{stderr}");
}

#[test]
fn an_unknown_command_is_refused() {
    let output = Command::new(env!("CARGO_BIN_EXE_netinvet-web")).arg("frobnicate").output().unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("unknown command"));
}
