//! Smoke test of the headless-Chromium driver (`shiftbook_tests::browser`)
//! on a tiny static page: two independent sessions, offline emulation via
//! CDP, a screenshot. Needs Chromium + chromedriver (scripts/setup.sh); skips
//! without them unless `CI` is set.

use std::path::PathBuf;
use std::time::Duration;

use serde_json::json;
use shiftbook_tests::browser::{Browser, BrowserResult, WindowSize, require_chromium};
use shiftbook_tests::static_site::StaticSite;

const PAGE: &str = r#"<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>smoke</title></head>
<body><h1 id="title">值班簿 smoke</h1><button id="b" onclick="this.textContent='clicked'">click</button></body></html>"#;

fn site_dir() -> BrowserResult<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser-smoke-site");
    std::fs::create_dir_all(&dir)?;
    std::fs::write(dir.join("index.html"), PAGE)?;
    std::fs::write(dir.join("data.json"), r#"{"ok":true}"#)?;
    Ok(dir)
}

/// `fetch("/data.json")` in the page: the parsed JSON, or `"failed: <error>"`.
const FETCH_JS: &str = r#"
    return fetch("/data.json", { cache: "no-store" })
        .then(r => r.json())
        .catch(e => "failed: " + e);
"#;

#[tokio::test]
async fn two_sessions_offline_fetch_and_screenshot() -> BrowserResult<()> {
    if !require_chromium("two_sessions_offline_fetch_and_screenshot") {
        return Ok(());
    }
    let site = StaticSite::start(site_dir()?).await?;
    let (a, b) = tokio::join!(Browser::tablet("smoke-A"), Browser::desktop("smoke-B"));
    let (a, b) = (a?, b?);

    for browser in [&a, &b] {
        browser.goto(&format!("{}/", site.url())).await?;
        browser.wait_for("#title", Duration::from_secs(10)).await?;
        assert_eq!(browser.text("#title").await?, "值班簿 smoke");
    }

    // Window sizes: tablet and desktop.
    const SIZE_JS: &str = "return [window.innerWidth, window.innerHeight];";
    let wa = a.eval(SIZE_JS).await?;
    let wb = b.eval(SIZE_JS).await?;
    let tablet = WindowSize::TABLET;
    let desktop = WindowSize::DESKTOP;
    assert_eq!(wa, json!([tablet.width, tablet.height]), "tablet viewport");
    assert_eq!(
        wb,
        json!([desktop.width, desktop.height]),
        "desktop viewport"
    );

    // Separate profiles: storage written in A is not seen by B.
    a.eval("localStorage.setItem('who', 'A');").await?;
    assert_eq!(
        a.eval("return localStorage.getItem('who');").await?,
        json!("A")
    );
    assert_eq!(
        b.eval("return localStorage.getItem('who');").await?,
        json!(null)
    );

    // Clicks reach the page.
    a.click("#b").await?;
    assert_eq!(a.text("#b").await?, "clicked");

    // Online, then offline via CDP: fetch fails and navigator.onLine is false,
    // while B, another profile, stays online.
    assert_eq!(a.eval(FETCH_JS).await?, json!({ "ok": true }));
    a.set_offline(true).await?;
    let offline = a.eval(FETCH_JS).await?;
    assert!(
        offline.as_str().is_some_and(|s| s.starts_with("failed:")),
        "fetch should fail offline, got {offline}"
    );
    assert_eq!(a.eval("return navigator.onLine;").await?, json!(false));
    assert_eq!(b.eval(FETCH_JS).await?, json!({ "ok": true }));
    assert_eq!(b.eval("return navigator.onLine;").await?, json!(true));

    a.set_offline(false).await?;
    assert_eq!(a.eval(FETCH_JS).await?, json!({ "ok": true }));

    // A screenshot is a PNG of the viewport.
    let shot = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("screenshots/browser_smoke.png");
    a.screenshot(&shot).await?;
    let png = std::fs::read(&shot)?;
    assert!(
        png.starts_with(b"\x89PNG\r\n\x1a\n"),
        "not a PNG: {}",
        shot.display()
    );
    assert!(png.len() > 1000, "suspiciously small screenshot");

    a.close().await?;
    b.close().await?;
    Ok(())
}
