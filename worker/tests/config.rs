//! goto-worker refuses a wrong configuration at start, naming what is
//! wrong, before it connects anywhere; `--help` and `--version` answer.

use std::process::{Command, Output};

const WORKER: &str = env!("CARGO_BIN_EXE_goto-worker");

fn worker(args: &[&str], connection: Option<&str>) -> Output {
    let mut cmd = Command::new(WORKER);
    cmd.args(["--task-queue", "goto"]).args(args).env_clear();
    match connection {
        Some(json) => {
            let dir = goto_test_support::temporal::scratch(&format!(
                "config-{}-{}",
                json.len(),
                args.len()
            ));
            let file = dir.join("connection.json");
            std::fs::write(&file, json).expect("write the connection file");
            cmd.arg("--connection-file").arg(file);
        }
        None => {
            cmd.env("GOTO_ACCESS_TOKEN", "test-token-config");
        }
    }
    cmd.output().expect("run goto-worker")
}

fn refused(out: &Output) -> String {
    assert!(!out.status.success(), "goto-worker started");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_misspelt_connection_key_is_refused_with_its_name() {
    let err = refused(&worker(
        &[],
        Some(r#"{"accessToken": "t", "apiBse": "https://x"}"#),
    ));
    assert!(
        err.contains("apiBse") && err.contains("connection file"),
        "{err}"
    );
    let err = refused(&worker(
        &[],
        Some(r#"{"accessToken": "t", "settings": {"maxRetrys": 1}}"#),
    ));
    assert!(err.contains("maxRetrys"), "{err}");
    assert!(!err.contains("test-token"), "{err}");
}

#[test]
fn a_bad_flag_value_is_refused_with_the_flag() {
    for (args, named) in [
        (&["--allow-host", "127.0.0.1:notaport"][..], "notaport"),
        (&["--pool-size", "0"], "--pool-size"),
        (
            &["--max-activities-per-second", "fast"],
            "--max-activities-per-second",
        ),
        (
            &["--task-queue-activities-per-second", "-1"],
            "--task-queue-activities-per-second",
        ),
        (&["--log-format", "xml"], "--log-format"),
        (&["--shutdown-grace", "soon"], "--shutdown-grace"),
        (&["--frobnicate"], "--frobnicate"),
    ] {
        let err = refused(&worker(args, None));
        assert!(err.contains(named), "{args:?}: {err}");
    }
}

#[test]
fn help_lists_every_variable_and_version_prints_it() {
    let help = Command::new(WORKER).arg("--help").output().expect("help");
    let help = String::from_utf8_lossy(&help.stdout);
    for variable in [
        "GOTO_ACCESS_TOKEN",
        "GOTO_CLIENT_ID",
        "GOTO_CLIENT_SECRET",
        "GOTO_REFRESH_TOKEN",
        "GOTO_API_BASE",
        "GOTO_SEEIT_BASE",
        "GOTO_AUTH_BASE",
        "TEMPORAL_ADDRESS",
        "TEMPORAL_NAMESPACE",
        "TEMPORAL_API_KEY",
        "TEMPORAL_PROFILE",
        "TEMPORAL_CONFIG_FILE",
        "TEMPORAL_TLS_SERVER_CA_CERT_PATH",
        "TEMPORAL_TLS_CLIENT_CERT_PATH",
        "TEMPORAL_TLS_CLIENT_KEY_PATH",
        "TEMPORAL_TLS_SERVER_NAME",
    ] {
        assert!(help.contains(variable), "--help does not name {variable}");
    }
    let version = Command::new(WORKER)
        .arg("--version")
        .output()
        .expect("version");
    assert_eq!(
        String::from_utf8_lossy(&version.stdout).trim(),
        format!("goto-worker {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn without_an_address_the_worker_says_where_to_give_one() {
    let err = refused(&worker(&["--namespace", "default"], None));
    assert!(
        err.contains("--temporal") && err.contains("TEMPORAL_ADDRESS"),
        "{err}"
    );
}

#[test]
fn json_logs_are_one_object_a_line() {
    let out = worker(
        &["--log-format", "json"],
        Some(r#"{"accessToken": "t", "apiBse": "https://x"}"#),
    );
    let err = refused(&out);
    let line: serde_json::Value = serde_json::from_str(err.trim()).expect("one JSON object");
    assert_eq!(line["level"], "error", "{line}");
    assert!(
        line["message"]
            .as_str()
            .is_some_and(|m| m.contains("apiBse")),
        "{line}"
    );
}
