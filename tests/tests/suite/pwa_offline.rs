//! The PWA shell in headless Chromium: the service worker (app/public/sw.js,
//! with the precache list scripts/sw-precache.sh writes) keeps the app
//! usable without network.
//!
//! * `built_app_starts_offline_from_the_service_worker` loads the real
//!   `app/dist` (built by `scripts/build-app.sh`, which `make test` runs
//!   first), then reloads it and opens a client-side route with the network
//!   cut off, and again with the server down.
//! * `new_build_replaces_the_cached_shell` checks on a two-file stand-in app
//!   that a rebuilt site gets a new worker, a new cache and no old cache.
//!
//! Both are served by `StaticSite` (like the sync server serves `app/dist`,
//! with the same SPA fallback), so they test the shell, not the server.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use serde_json::{Value, json};
use shiftbook_tests::browser::{Browser, BrowserResult, require_chromium};
use shiftbook_tests::static_site::StaticSite;

const STARTED: &str = "document.documentElement.hasAttribute('data-app-started')";
const CONTROLLED: &str = "navigator.serviceWorker.controller !== null";
/// Every request path in every cache of the page's origin.
const CACHED_PATHS: &str = r#"
    const paths = [];
    for (const name of await caches.keys()) {
        for (const request of await (await caches.open(name)).keys()) {
            paths.push(new URL(request.url).pathname);
        }
    }
    return paths;
"#;

fn repo_root() -> PathBuf {
    // At run time: CI reuses test binaries built in another clone.
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
        .join("..")
}

/// `app/dist`, or `None` (test skipped) when it was not built, except under
/// CI where that fails the test.
fn built_dist(test: &str) -> Option<PathBuf> {
    let dist = repo_root().join("app/dist");
    if dist.join("index.html").is_file() && dist.join("precache.json").is_file() {
        return Some(dist);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{test}: app/dist is not built; run scripts/build-app.sh (make test does)"
    );
    eprintln!("SKIPPED {test}: app/dist not built (scripts/build-app.sh)");
    None
}

async fn eval_async(browser: &Browser, body: &str) -> BrowserResult<Value> {
    browser
        .eval(&format!("return (async () => {{ {body} }})();"))
        .await
}

async fn with_console<T>(browser: &Browser, result: BrowserResult<T>) -> BrowserResult<T> {
    match result {
        Ok(value) => Ok(value),
        Err(e) => {
            let log = browser.console_log().await.unwrap_or_default().join("\n");
            Err(format!("{e}\n--- browser console ---\n{log}").into())
        }
    }
}

#[tokio::test]
async fn built_app_starts_offline_from_the_service_worker() -> BrowserResult<()> {
    const TEST: &str = "built_app_starts_offline_from_the_service_worker";
    if !require_chromium(TEST) {
        return Ok(());
    }
    let Some(dist) = built_dist(TEST) else {
        return Ok(());
    };
    let precache: Value = serde_json::from_slice(&std::fs::read(dist.join("precache.json"))?)?;
    let mut site = StaticSite::start(&dist).await?;
    let tablet = Browser::tablet("pwa").await?;
    let wait = Duration::from_secs(30);

    // Online: the app starts and the worker takes control with the shell cached.
    tablet.goto(&format!("{}/", site.url())).await?;
    with_console(&tablet, tablet.wait_until(STARTED, wait).await).await?;
    with_console(&tablet, tablet.wait_until(CONTROLLED, wait).await).await?;
    let cached = eval_async(&tablet, CACHED_PATHS).await?;
    for file in precache["files"].as_array().into_iter().flatten() {
        assert!(
            cached.as_array().is_some_and(|c| c.contains(file)),
            "{file} not cached: {cached}"
        );
    }
    // The first load fetches each file once: the worker's precache takes the
    // page's copies of the content-hashed files (the wasm above all) from the
    // HTTP cache instead of downloading them again.
    for file in precache["files"].as_array().into_iter().flatten() {
        let Some(file) = file.as_str() else { continue };
        let name = file.rsplit('/').next().unwrap_or_default();
        if sync_server::assets::is_hashed_name(name) {
            assert_eq!(
                site.requests_for(file),
                1,
                "{file} was fetched {} times on the first load",
                site.requests_for(file)
            );
        }
    }
    let manifest = tablet
        .eval(
            "return fetch(document.querySelector('link[rel=manifest]').href).then(r => r.json());",
        )
        .await?;
    assert_eq!(manifest["display"], json!("standalone"));

    // No network (page and worker): reload and a client-side route still start
    // the app, and nothing reaches the server.
    tablet.set_offline(true).await?;
    let before = site.requests();
    tablet.reload().await?;
    with_console(&tablet, tablet.wait_until(STARTED, wait).await).await?;
    assert_eq!(tablet.eval("return navigator.onLine;").await?, json!(false));
    tablet.goto(&format!("{}/enroll", site.url())).await?;
    with_console(&tablet, tablet.wait_until(STARTED, wait).await).await?;
    assert_eq!(
        tablet.eval("return location.pathname;").await?,
        json!("/enroll")
    );
    assert_eq!(
        site.requests(),
        before,
        "requests reached the server while offline"
    );
    let shot =
        PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("screenshots/pwa_offline_enroll.png");
    tablet.screenshot(&shot).await?;
    tablet.set_offline(false).await?;

    // Network up but the server down: the cached shell again.
    site.stop().await;
    tablet.goto(&format!("{}/", site.url())).await?;
    with_console(&tablet, tablet.wait_until(STARTED, wait).await).await?;

    // Server back: navigations go to the network first again.
    site.resume().await?;
    let before = site.requests();
    tablet.reload().await?;
    with_console(&tablet, tablet.wait_until(STARTED, wait).await).await?;
    assert!(
        site.requests() > before,
        "an online navigation should reach the server"
    );

    // /api and /sync are never cached.
    tablet
        .eval("return fetch('/api/device').then(r => r.status);")
        .await?;
    let cached = eval_async(&tablet, CACHED_PATHS).await?;
    assert!(
        cached
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .all(|p| !p.starts_with("/api") && !p.starts_with("/sync")),
        "/api or /sync cached: {cached}"
    );
    tablet.close().await?;
    Ok(())
}

/// A stand-in app: index.html registers /sw.js (the real one) and runs
/// /app.js, which writes `version` into the page.
fn write_stand_in(dir: &Path, version: &str) -> BrowserResult<String> {
    std::fs::create_dir_all(dir)?;
    std::fs::write(
        dir.join("index.html"),
        r#"<!doctype html><html><head><meta charset="utf-8">
<script>navigator.serviceWorker.register("/sw.js");</script>
<script src="/app.js" defer></script></head><body><p id="v">loading</p></body></html>"#,
    )?;
    std::fs::write(
        dir.join("app.js"),
        format!("document.getElementById('v').textContent = '{version}';"),
    )?;
    std::fs::copy(repo_root().join("app/public/sw.js"), dir.join("sw.js"))?;
    let out = Command::new("bash")
        .arg(repo_root().join("scripts/sw-precache.sh"))
        .arg(dir)
        .output()?;
    if !out.status.success() {
        return Err(format!(
            "sw-precache.sh failed: {}",
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    let precache: Value = serde_json::from_slice(&std::fs::read(dir.join("precache.json"))?)?;
    Ok(precache["build"].as_str().unwrap_or_default().to_string())
}

#[tokio::test]
async fn new_build_replaces_the_cached_shell() -> BrowserResult<()> {
    const TEST: &str = "new_build_replaces_the_cached_shell";
    if !require_chromium(TEST) {
        return Ok(());
    }
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("pwa-stand-in-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let build1 = write_stand_in(&dir, "v1")?;
    let mut site = StaticSite::start(&dir).await?;
    let tablet = Browser::tablet("pwa-update").await?;
    let wait = Duration::from_secs(20);

    tablet.goto(&format!("{}/", site.url())).await?;
    tablet.wait_until(CONTROLLED, wait).await?;
    assert_eq!(tablet.text("#v").await?, "v1");
    let caches = "return caches.keys();";
    assert_eq!(
        tablet.eval(caches).await?,
        json!([format!("shiftbook-shell-{build1}")])
    );

    // A new build: the worker updates on the next navigation, precaches the
    // new shell and deletes the old cache.
    let build2 = write_stand_in(&dir, "v2")?;
    assert_ne!(build1, build2, "a changed file must change the build id");
    tablet.reload().await?;
    let only_new = format!("(await caches.keys()).join() === 'shiftbook-shell-{build2}'");
    tablet.wait_until(&only_new, wait).await?;
    tablet.reload().await?;
    tablet
        .wait_until("document.getElementById('v').textContent === 'v2'", wait)
        .await?;

    // And the new shell serves any route with the server gone.
    site.stop().await;
    tablet.goto(&format!("{}/rounds/today", site.url())).await?;
    tablet
        .wait_until("document.getElementById('v').textContent === 'v2'", wait)
        .await?;
    tablet.close().await?;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
