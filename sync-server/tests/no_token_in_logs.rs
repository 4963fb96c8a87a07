//! Tokens never reach the logs, whichever way they are presented.
//!
//! A separate test binary, because it installs a global subscriber that
//! captures every log line at TRACE level from every thread.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{TestApp, built_app};
use std::io::Write;
use std::sync::{Arc, Mutex};

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn tokens_in_headers_and_queries_are_never_logged() {
    let capture = Capture::default();
    let writer = capture.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .init();

    let app_dir = built_app();
    let app = TestApp::new(app_dir.path()).await;
    let live = app.enroll("demo", "t1");
    let gone = app.enroll("demo", "t2");
    app.store.revoke("t2").unwrap();
    let unknown = "unknown-token-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

    for token in [live.token.reveal(), gone.token.reveal(), unknown] {
        let _ = app.get("/api/device", Some(token)).await;
        let _ = app.get(&format!("/api/device?token={token}"), None).await;
        let _ = app.upgrade("/sync", Some(token)).await;
        let _ = app.upgrade(&format!("/sync?token={token}"), None).await;
        let _ = app.get(&format!("/?token={token}"), None).await;
    }

    let logs = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("/api/device"),
        "requests are logged by path: {logs}"
    );
    for token in [live.token.reveal(), gone.token.reveal(), unknown] {
        assert!(
            !logs.contains(token),
            "a token leaked into the logs:\n{logs}"
        );
    }
    assert!(
        !logs.contains("token="),
        "a query string was logged:\n{logs}"
    );
}
