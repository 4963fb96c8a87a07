//! Supervisor login, logout and `/api/me` without a socket, and how a
//! session cookie authorises the `/sync` upgrade.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{TestApp, body_text, built_app};

const LOGIN: &str = r#"{"user": "zhang", "password": "correct horse"}"#;

async fn app_with_supervisor(secure: bool) -> (tempfile::TempDir, TestApp) {
    let app_dir = built_app();
    let app = TestApp::with_cookies(app_dir.path(), secure).await;
    let phc = sync_server::password::hash("correct horse").unwrap();
    app.store
        .add_supervisor("zhang", &phc, &["site-a".into()])
        .unwrap();
    (app_dir, app)
}

fn cookie_of(r: &axum::http::Response<Body>) -> String {
    let set = r.headers()[header::SET_COOKIE].to_str().unwrap();
    set.split(';').next().unwrap().to_owned()
}

fn upgrade(cookie: &str, origin: Option<&str>) -> Request<Body> {
    let mut req = Request::get("/sync")
        .header("host", "127.0.0.1:8080")
        .header("connection", "upgrade")
        .header("upgrade", "websocket")
        .header("sec-websocket-version", "13")
        .header("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ==")
        .header("cookie", cookie);
    if let Some(origin) = origin {
        req = req.header("origin", origin);
    }
    req.body(Body::empty()).unwrap()
}

#[tokio::test]
async fn secure_cookies_are_marked_secure() {
    let (_d, app) = app_with_supervisor(true).await;
    let r = app.login(LOGIN).await;
    assert_eq!(r.status(), StatusCode::OK);
    let set = r.headers()[header::SET_COOKIE].to_str().unwrap();
    assert!(set.ends_with("; Secure"), "{set}");
    assert!(set.contains("HttpOnly; SameSite=Strict; Path=/"), "{set}");
}

#[tokio::test]
async fn a_session_cookie_opens_sync_from_its_own_origin_only() {
    let (_d, app) = app_with_supervisor(false).await;
    let r = app.login(LOGIN).await;
    assert_eq!(r.status(), StatusCode::OK);
    let cookie = cookie_of(&r);

    // oneshot cannot finish an upgrade, but authentication runs first.
    let ok = app.send(upgrade(&cookie, None)).await;
    assert_ne!(ok.status(), StatusCode::UNAUTHORIZED);
    let same = app
        .send(upgrade(&cookie, Some("http://127.0.0.1:8080")))
        .await;
    assert_ne!(same.status(), StatusCode::UNAUTHORIZED);
    let cross = app
        .send(upgrade(&cookie, Some("https://evil.example")))
        .await;
    assert_eq!(cross.status(), StatusCode::UNAUTHORIZED);
    let bogus = app.send(upgrade("shiftbook_session=made-up", None)).await;
    assert_eq!(bogus.status(), StatusCode::UNAUTHORIZED);

    // After logout the cookie opens nothing.
    let r = app
        .send(
            Request::post("/api/logout")
                .header("cookie", &cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let after = app.send(upgrade(&cookie, None)).await;
    assert_eq!(after.status(), StatusCode::UNAUTHORIZED);
    let me = app
        .send(
            Request::get("/api/me")
                .header("cookie", &cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(me.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn logout_without_a_session_is_harmless_and_login_needs_post() {
    let (_d, app) = app_with_supervisor(false).await;
    let r = app
        .send(Request::post("/api/logout").body(Body::empty()).unwrap())
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let r = app.get("/api/login", None).await;
    assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED);
    let r = app.login(r#"{"user": "zhang", "password": "nope"}"#).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        body_text(r).await,
        r#"{"error":"wrong user name or password"}"#
    );
}
