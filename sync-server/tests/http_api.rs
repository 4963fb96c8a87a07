//! The HTTP surface without a socket: authentication, `/api/device`,
//! `/healthz` and serving the app.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::{StatusCode, header};
use common::{TestApp, body_text, built_app};
use sync_server::api::DeviceInfo;

#[tokio::test]
async fn healthz_says_ok() {
    let app_dir = built_app();
    let app = TestApp::new(app_dir.path()).await;
    let r = app.get("/healthz", None).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(body_text(r).await, "ok");
}

#[tokio::test]
async fn api_device_needs_a_live_token() {
    let app_dir = built_app();
    let app = TestApp::new(app_dir.path()).await;
    let e = app.enroll("demo", "t1");
    let gone = app.enroll("demo", "t2");
    app.store.revoke("t2").unwrap();

    let r = app.get("/api/device", None).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(r.headers()[header::WWW_AUTHENTICATE], "Bearer");
    assert!(body_text(r).await.starts_with("unauthorized"));
    for bad in ["nope", &"x".repeat(10_000), gone.token.reveal()] {
        let r = app.get("/api/device", Some(bad)).await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        let r = app.get(&format!("/api/device?token={bad}"), None).await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    }
    let r = app.get("/api/device", Some(e.token.reveal())).await;
    assert_eq!(r.status(), StatusCode::OK);
    let r2 = app
        .get(&format!("/api/device?token={}", e.token.reveal()), None)
        .await;
    assert_eq!(r2.status(), StatusCode::OK);
}

#[tokio::test]
async fn api_device_describes_the_device_and_its_site() {
    let app_dir = built_app();
    let app = TestApp::new(app_dir.path()).await;
    let e = app
        .store
        .enroll("demo", "演示物业 · 世纪花园", "大堂平板1")
        .unwrap();
    let r = app.get("/api/device", Some(e.token.reveal())).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()[header::CACHE_CONTROL], "no-store");
    let json: serde_json::Value = serde_json::from_str(&body_text(r).await).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "site": "demo",
            "site_name": "演示物业 · 世纪花园",
            "device": "大堂平板1",
            "site_key": e.site.key.to_hex(),
        })
    );
    let info: DeviceInfo = serde_json::from_value(json).unwrap();
    assert_eq!(info.site_key.len(), 64);
}

#[tokio::test]
async fn sync_refuses_missing_bad_and_revoked_tokens_before_upgrading() {
    let app_dir = built_app();
    let app = TestApp::new(app_dir.path()).await;
    let live = app.enroll("demo", "t1");
    let gone = app.enroll("demo", "t2");
    app.store.revoke("t2").unwrap();

    let r = app.upgrade("/sync", None).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(body_text(r).await.lines().count(), 1, "a plain short body");
    assert_eq!(
        app.upgrade("/sync", Some("nope")).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.upgrade("/sync?token=nope", None).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.upgrade("/sync", Some(gone.token.reveal()))
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.upgrade(&format!("/sync?token={}", gone.token.reveal()), None)
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    // A live token passes authentication; a plain GET then fails only as
    // "not a websocket".
    let r = app.get("/sync", Some(live.token.reveal())).await;
    assert_ne!(r.status(), StatusCode::UNAUTHORIZED);
    assert!(r.status().is_client_error());
}

#[tokio::test]
async fn precompressed_files_go_to_clients_that_accept_them_and_hashed_ones_are_immutable() {
    let app_dir = built_app();
    let dir = app_dir.path();
    // Distinct bodies say which file was sent (the server never compresses
    // on the fly: it picks a sibling built with the app).
    let wasm = "shiftbook-app-e76558166b1101a2_bg.wasm";
    std::fs::write(dir.join(wasm), "RAW").unwrap();
    std::fs::write(dir.join(format!("{wasm}.br")), "BROTLI").unwrap();
    std::fs::write(dir.join(format!("{wasm}.gz")), "GZIP").unwrap();
    std::fs::write(dir.join("index.html.br"), "SHELL-BROTLI").unwrap();
    let app = TestApp::new(dir).await;
    let get = |path: String, accept: Option<&'static str>| {
        let mut req = axum::http::Request::get(path);
        if let Some(a) = accept {
            req = req.header(header::ACCEPT_ENCODING, a);
        }
        req.body(axum::body::Body::empty()).unwrap()
    };
    for (accept, body, encoding) in [
        (Some("gzip, deflate, br, zstd"), "BROTLI", Some("br")),
        (Some("gzip"), "GZIP", Some("gzip")),
        (Some("identity"), "RAW", None),
        (None, "RAW", None),
    ] {
        let r = app.send(get(format!("/{wasm}"), accept)).await;
        assert_eq!(r.status(), StatusCode::OK, "{accept:?}");
        assert_eq!(
            r.headers()
                .get(header::CONTENT_ENCODING)
                .map(|v| v.to_str().unwrap()),
            encoding,
            "{accept:?}"
        );
        assert_eq!(r.headers()[header::CONTENT_TYPE], "application/wasm");
        assert_eq!(r.headers()[header::VARY], "accept-encoding");
        assert_eq!(
            r.headers()[header::CACHE_CONTROL],
            "public, max-age=31536000, immutable"
        );
        assert_eq!(body_text(r).await, body, "{accept:?}");
    }
    // The shell: compressed where a sibling exists, never cached for long
    // (deep links fall back to it, compressed too).
    for path in ["/", "/enroll"] {
        let r = app.send(get(path.into(), Some("br"))).await;
        assert_eq!(r.headers()[header::CONTENT_ENCODING], "br", "{path}");
        assert_eq!(r.headers()[header::CACHE_CONTROL], "no-cache", "{path}");
        assert_eq!(body_text(r).await, "SHELL-BROTLI", "{path}");
    }
    // A file without siblings is sent as it is, and without a hash in its
    // name it is not immutable.
    let r = app.send(get("/assets/app.js".into(), Some("br"))).await;
    assert!(r.headers().get(header::CONTENT_ENCODING).is_none());
    assert!(r.headers().get(header::CACHE_CONTROL).is_none());
    assert_eq!(body_text(r).await, "console.log(1)");
    // A hashed name that does not exist is a 404, not cached.
    let r = app
        .send(get("/shiftbook-app-0000000000000000.js".into(), None))
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert!(r.headers().get(header::CACHE_CONTROL).is_none());
}

#[tokio::test]
async fn the_app_is_served_with_spa_fallback() {
    let app_dir = built_app();
    let app = TestApp::new(app_dir.path()).await;

    let r = app.get("/", None).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()[header::CACHE_CONTROL], "no-cache");
    assert!(body_text(r).await.contains("SHELL"));

    let r = app.get("/enroll", None).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(body_text(r).await.contains("SHELL"));
    let r = app.get("/checklists/lobby/2026-11-23", None).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(body_text(r).await.contains("SHELL"));

    let r = app.get("/sw.js", None).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()[header::CACHE_CONTROL], "no-cache");
    assert_eq!(body_text(r).await, "// service worker");

    let r = app.get("/assets/app.js", None).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers().get(header::CACHE_CONTROL).is_none());
    assert_eq!(body_text(r).await, "console.log(1)");

    for path in [
        "/api",
        "/api/nope",
        "/api/device/x",
        "/sync/x",
        "/missing.js",
        "/assets/app-0ld.wasm",
    ] {
        let r = app.get(path, None).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
        assert!(!body_text(r).await.contains("SHELL"), "{path}");
    }
    let r = app.get("/../../etc/passwd", None).await;
    assert!(!body_text(r).await.contains("root:"));
}

#[tokio::test]
async fn a_missing_app_is_not_fatal() {
    let nowhere = tempfile::tempdir().unwrap();
    let app = TestApp::new(&nowhere.path().join("dist")).await;
    let r = app.get("/", None).await;
    assert_eq!(r.status(), StatusCode::OK);
    let body = body_text(r).await;
    assert!(body.contains("not built"), "{body}");
    assert_eq!(app.get("/healthz", None).await.status(), StatusCode::OK);
}
