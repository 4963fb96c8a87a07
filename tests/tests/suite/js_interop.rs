//! Interop with the automerge-repo JavaScript reference client
//! (`tests/js-interop/interop.mjs`, `@automerge/automerge-repo` +
//! `@automerge/automerge-repo-network-websocket` from npm) against the real
//! `sync-server` binary: the server speaks the automerge-repo protocol, keeps
//! what it was given across a restart, and keeps it within the site.
//!
//! Needs Node.js (>= 18) and `npm ci` in tests/js-interop (done here when
//! node_modules is missing; scripts/setup.sh does it too), and the server
//! binary (`cargo build -p sync-server`). Skips without Node unless `CI` is
//! set.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use serde_json::Value;
use shiftbook_tests::server_process::{ServerProcess, enroll};

type TestResult = Result<(), Box<dyn std::error::Error + Send + Sync>>;

/// interop.mjs exit code: the server says the document is unavailable.
const EXIT_UNAVAILABLE: i32 = 3;

fn js_dir() -> PathBuf {
    // At run time: CI reuses test binaries built in another clone.
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
        .join("js-interop")
}

fn node_available() -> bool {
    std::process::Command::new("node")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// `npm ci` when node_modules is missing (it is not committed).
async fn npm_ci_if_needed() -> TestResult {
    let dir = js_dir();
    if dir.join("node_modules/@automerge/automerge-repo").is_dir() {
        return Ok(());
    }
    let out = tokio::process::Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(&dir)
        .stdin(Stdio::null())
        .output()
        .await?;
    if !out.status.success() {
        return Err(format!(
            "npm ci in {} failed ({}):\n{}",
            dir.display(),
            out.status,
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    Ok(())
}

/// What one run of the JS client did.
#[derive(Debug)]
struct JsRun {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

async fn js_client(server: &str, token: &str, args: &[&str]) -> Result<JsRun, std::io::Error> {
    let mut command = tokio::process::Command::new("node");
    command
        .arg("interop.mjs")
        .arg(server)
        .arg(token)
        .args(args)
        .current_dir(js_dir())
        .env("INTEROP_TIMEOUT_MS", "20000")
        .stdin(Stdio::null())
        .kill_on_drop(true);
    let out = tokio::time::timeout(Duration::from_secs(60), command.output())
        .await
        .map_err(|_| std::io::Error::other("interop.mjs ran for over 60 s"))??;
    Ok(JsRun {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).trim().to_string(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    })
}

/// Runs the JS client and requires exit code 0; its stdout.
async fn js_ok(server: &ServerProcess, token: &str, args: &[&str]) -> Result<String, String> {
    let run = js_client(&server.base_url(), token, args)
        .await
        .map_err(|e| format!("running node interop.mjs {args:?}: {e}"))?;
    if run.code == Some(0) {
        return Ok(run.stdout);
    }
    Err(format!(
        "node interop.mjs {args:?} exited {:?}\nstdout: {}\nstderr: {}\n--- server output ---\n{}",
        run.code,
        run.stdout,
        run.stderr,
        server.output()
    ))
}

fn check_content(json: &str) -> Result<(), String> {
    let doc: Value = serde_json::from_str(json).map_err(|e| format!("not JSON ({e}): {json}"))?;
    if doc["title"].as_str() != Some("JS 参考客户端 interop")
        || doc["items"].as_array().map(Vec::len) != Some(2)
    {
        return Err(format!("unexpected content: {json}"));
    }
    Ok(())
}

#[tokio::test]
async fn js_reference_client_syncs_within_a_site_and_across_restarts() -> TestResult {
    if !node_available() {
        assert!(
            std::env::var_os("CI").is_none(),
            "node is missing under CI; run scripts/setup.sh"
        );
        eprintln!("SKIPPED js_reference_client_syncs_within_a_site_and_across_restarts: no node");
        return Ok(());
    }
    npm_ci_if_needed().await?;

    let data = tempfile::tempdir()?;
    let a1 = enroll(data.path(), "site-a", "A1")?;
    let a2 = enroll(data.path(), "site-a", "A2")?;
    let b1 = enroll(data.path(), "site-b", "B1")?;
    let mut server = ServerProcess::start(data.path()).await?;

    // A1 creates a document; `create` returns once a second connection read it back.
    let url = js_ok(&server, &a1, &["create"]).await?;
    assert!(url.starts_with("automerge:"), "not an automerge URL: {url}");

    // A2, same site, reads it.
    check_content(&js_ok(&server, &a2, &["read", &url]).await?)?;

    // After a restart the server still has it.
    server.restart().await?;
    check_content(&js_ok(&server, &a2, &["read", &url]).await?)?;

    // B1, another site, is told it is unavailable.
    let run = js_client(&server.base_url(), &b1, &["read", &url]).await?;
    assert_eq!(
        run.code,
        Some(EXIT_UNAVAILABLE),
        "site B must not get site A's document: {run:?}\n--- server output ---\n{}",
        server.output()
    );
    assert!(
        !run.stdout.contains("参考客户端"),
        "site B saw the content: {}",
        run.stdout
    );
    Ok(())
}
