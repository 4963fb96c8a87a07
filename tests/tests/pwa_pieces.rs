//! The screens a tablet does not need to start are pieces of the wasm
//! fetched when first used (scripts/build-app.sh, app/src/shell/
//! split_points.rs). A piece the tablet cannot get — not in the service
//! worker's cache, and the server does not have it — must not break the
//! app: the screen says so and offers a retry, the rest of the app goes on
//! working, and the retry opens the screen once the piece is there.
//!
//! The real server serves a copy of the built app without the screens'
//! piece; a tablet enrols, signs in and opens a round; then the piece is
//! put back and the retry is tapped.

use shiftbook_tests::browser::{Browser, BrowserResult, require_chromium};
use shiftbook_tests::e2e::{
    LOAD, STAFF, app_dist, browser_today, copy_dir, open_from_rail, open_lobby_round,
    screenshot_dir, sign_in_to_agenda,
};
use shiftbook_tests::roster_seed::seed_roster;
use shiftbook_tests::server_process::{ServerOptions, ServerProcess, enroll};
use std::path::{Path, PathBuf};

const NOT_LOADED: &str = ".screen-not-loaded";

/// The screens' piece in `dir` and its compressed siblings.
fn screens_piece(dir: &Path) -> BrowserResult<Vec<PathBuf>> {
    let files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("split_screens-") && n.contains(".wasm"))
        })
        .collect();
    if files.is_empty() {
        return Err(format!("no split_screens-*.wasm in {}", dir.display()).into());
    }
    Ok(files)
}

#[tokio::test]
async fn a_screen_whose_piece_cannot_be_fetched_says_so_and_opens_on_retry() -> BrowserResult<()> {
    const TEST: &str = "a_screen_whose_piece_cannot_be_fetched_says_so_and_opens_on_retry";
    if !require_chromium(TEST) {
        return Ok(());
    }
    let data = tempfile::tempdir()?;
    let app = tempfile::tempdir()?;
    copy_dir(&app_dist(), app.path())?;
    let options = ServerOptions {
        app_dir: Some(app.path().to_path_buf()),
        ..ServerOptions::default()
    };
    let server = ServerProcess::start_with(data.path(), options).await?;
    seed_roster(&server, "demo", "zhuguan", &[STAFF]).await?;
    let token = enroll(data.path(), "demo", "大堂平板1")?;
    // The screens' piece is missing from the server before the tablet ever
    // saw it (a deployment that lost a file, a proxy that blocks .wasm):
    // not in any cache either. The service worker cannot precache the app
    // then, so the page fetches from the network itself.
    let hidden = app.path().join("hidden");
    std::fs::create_dir_all(&hidden)?;
    let piece = screens_piece(app.path())?;
    for f in &piece {
        if let Some(name) = f.file_name() {
            std::fs::rename(f, hidden.join(name))?;
        }
    }
    let tablet = Browser::tablet("pieces").await?;
    tablet
        .goto(&format!("{}/enroll#token={token}", server.base_url()))
        .await?;
    tablet
        .wait_for("[data-testid=sign-in] [data-person]", LOAD)
        .await?;
    sign_in_to_agenda(&tablet, &STAFF).await?;
    let today = browser_today(&tablet).await?;
    let row = format!("[data-testid=agenda] [data-round='lobby-opening/{today}/0830']");
    tablet.wait_for(&row, LOAD).await?;
    tablet
        .eval(&format!("document.querySelector(\"{row}\").click()"))
        .await?;
    if let Err(e) = tablet.wait_for(NOT_LOADED, LOAD).await {
        let _ = tablet
            .screenshot(screenshot_dir().join("failed-72-screen-not-loaded.png"))
            .await;
        for line in tablet.console_log().await? {
            eprintln!("console: {line}");
        }
        return Err(e);
    }
    let text = tablet.text(NOT_LOADED).await?;
    assert!(text.contains("尚未下载"), "{text}");
    tablet
        .screenshot(screenshot_dir().join("72-screen-not-loaded.png"))
        .await?;
    // The app did not stop: the rail still takes the person back to the agenda.
    open_from_rail(&tablet, "agenda", "agenda").await?;

    // Still missing: opening the round again says so again.
    tablet
        .eval(&format!("document.querySelector(\"{row}\").click()"))
        .await?;
    tablet.wait_for(NOT_LOADED, LOAD).await?;
    // The piece is back on the server: the retry opens the round.
    for f in &piece {
        if let Some(name) = f.file_name() {
            std::fs::rename(hidden.join(name), f)?;
        }
    }
    tablet.click(&format!("{NOT_LOADED} button")).await?;
    open_lobby_round(&tablet).await?;
    assert!(!tablet.exists(NOT_LOADED).await?);
    tablet.close().await?;
    Ok(())
}
