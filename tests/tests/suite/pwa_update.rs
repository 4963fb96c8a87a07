//! A new build reaching a tablet that stays open: the real server serves a
//! copy of the built app; a tablet enrols (its first service worker is not
//! "a new version"), then the copy is replaced by a new build (a renamed
//! stylesheet, as a CSS change makes one), the tablet looks for updates as
//! its 30-minute timer does, the new worker takes over, and the app offers
//! a reload in a banner instead of reloading under someone's fingers. The
//! reload starts the new build with the person's data still there.

use serde_json::json;
use shiftbook_tests::browser::{Browser, BrowserResult, require_chromium};
use shiftbook_tests::e2e::{
    LEADER, LOAD, STAFF, app_dist, copy_dir, enrol, screenshot_dir, sign_in_to_agenda,
};
use shiftbook_tests::roster_seed::seed_roster;
use shiftbook_tests::server_process::{ServerOptions, ServerProcess, enroll};
use std::path::Path;

const BANNER: &str = "[data-testid=update-ready]";

/// Turn the app in `dir` into "the next build": its stylesheet renamed
/// (same bytes, so the page's integrity check still holds), and index.html,
/// precache.json and sw.js (new build id) saying so. The precompressed
/// siblings (`.br`, `.gz`) of the files rewritten here are removed, as a
/// build would have written them anew: the server prefers a sibling, and
/// a stale one would serve the old build. Returns the new stylesheet's path.
fn next_build(dir: &Path) -> BrowserResult<String> {
    let css = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|n| n.starts_with("app-") && n.ends_with(".css"))
        .ok_or("no app-*.css in the built app")?;
    let renamed = format!("app-next-{css}");
    std::fs::rename(dir.join(&css), dir.join(&renamed))?;
    for sibling in [".br", ".gz"] {
        let old = dir.join(format!("{css}{sibling}"));
        if old.exists() {
            std::fs::rename(old, dir.join(format!("{renamed}{sibling}")))?;
        }
    }
    for file in ["index.html", "precache.json", "sw.js"] {
        for sibling in [".br", ".gz"] {
            let stale = dir.join(format!("{file}{sibling}"));
            if stale.exists() {
                std::fs::remove_file(stale)?;
            }
        }
        let text = std::fs::read_to_string(dir.join(file))?;
        let mut text = text.replace(&format!("/{css}"), &format!("/{renamed}"));
        if file == "sw.js" {
            text = text.replace("const BUILD = \"", "const BUILD = \"next-");
        }
        std::fs::write(dir.join(file), text)?;
    }
    Ok(format!("/{renamed}"))
}

#[tokio::test]
async fn a_new_build_is_offered_as_a_reload_and_the_reload_starts_it() -> BrowserResult<()> {
    const TEST: &str = "a_new_build_is_offered_as_a_reload_and_the_reload_starts_it";
    if !require_chromium(TEST) {
        return Ok(());
    }
    let dist = app_dist();
    let data = tempfile::tempdir()?;
    let app = tempfile::tempdir()?;
    copy_dir(&dist, app.path())?;
    let options = ServerOptions {
        app_dir: Some(app.path().to_path_buf()),
        ..ServerOptions::default()
    };
    let server = ServerProcess::start_with(data.path(), options).await?;
    seed_roster(&server, "demo", "zhuguan", &[STAFF, LEADER]).await?;
    let token = enroll(data.path(), "demo", "大堂平板1")?;
    let base = server.base_url();

    let tablet = Browser::tablet("update").await?;
    enrol(&tablet, &base, &token).await?;
    sign_in_to_agenda(&tablet, &STAFF).await?;
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    assert!(
        !tablet.exists(BANNER).await?,
        "the first service worker is not a new version"
    );
    // A look for updates with nothing new changes nothing.
    tablet
        .eval("return navigator.serviceWorker.getRegistration().then(r => r.update()).then(() => true);")
        .await?;
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    assert!(!tablet.exists(BANNER).await?, "no new build, no banner");

    let css = next_build(app.path())?;
    tablet
        .eval("return navigator.serviceWorker.getRegistration().then(r => r.update()).then(() => true);")
        .await?;
    tablet.wait_for(BANNER, LOAD).await?;
    let text = tablet.text(BANNER).await?;
    assert!(text.contains("新版本"), "{text}");
    tablet
        .screenshot(screenshot_dir().join("70-update-ready.png"))
        .await?;
    // Still the old build until the person chooses to reload.
    let stylesheet =
        "return new URL(document.querySelector('link[rel=stylesheet]').href).pathname;";
    assert_ne!(tablet.eval(stylesheet).await?, json!(css));

    tablet.click("[data-action=reload-app]").await?;
    tablet
        .wait_until(
            &format!(
                "new URL(document.querySelector('link[rel=stylesheet]').href).pathname === '{css}' \
                 && document.documentElement.hasAttribute('data-app-started')"
            ),
            LOAD,
        )
        .await?;
    // The new build starts where the person was: signed in, on the agenda.
    tablet.wait_for("[data-testid=agenda]", LOAD).await?;
    assert!(!tablet.exists(BANNER).await?, "the new build is running");
    tablet.close().await?;
    Ok(())
}
