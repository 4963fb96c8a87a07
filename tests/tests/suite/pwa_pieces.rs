//! What a tablet does not need to start is in pieces of the wasm fetched
//! when first used (scripts/build-app.sh): the engine — the documents and
//! every screen but the agenda (app/src/shell/engine.rs) — right after the
//! first screen, the sync socket's receiving side when the first frame
//! arrives. A piece the tablet cannot get — not in the service worker's
//! cache, and the server does not have it — must not break the app.
//!
//! The real server serves a copy of the built app without the engine's
//! piece; a tablet enrols: the first screen shows and says the engine is
//! missing; once the piece is back the tablet starts it by itself, and the
//! person signs in and opens a round. A tablet that lost the sync piece
//! keeps its edits and sends them once the piece is back.

use shiftbook_tests::browser::{Browser, BrowserResult, require_chromium};
use shiftbook_tests::e2e::{
    LOAD, STAFF, app_dist, badge, browser_today, copy_dir, enrol, item, open_lobby_round,
    screenshot_dir, sign_in_to_agenda, tap, wait_badge, wait_state,
};
use shiftbook_tests::roster_seed::seed_roster;
use shiftbook_tests::server_process::{ServerOptions, ServerProcess, enroll};
use std::path::{Path, PathBuf};

const ENGINE_MISSING: &str = "[data-testid=engine-not-loaded]";

/// The piece `name` (`split_<name>-<hash>.wasm`) in `dir` and its
/// compressed siblings.
fn piece_files(dir: &Path, name: &str) -> BrowserResult<Vec<PathBuf>> {
    let prefix = format!("split_{name}-");
    let files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(&prefix) && n.contains(".wasm"))
        })
        .collect();
    if files.is_empty() {
        return Err(format!("no {prefix}*.wasm in {}", dir.display()).into());
    }
    Ok(files)
}

/// Move `files` into `to` (which is created).
fn move_into(files: &[PathBuf], to: &Path) -> BrowserResult<()> {
    std::fs::create_dir_all(to)?;
    for f in files {
        if let Some(name) = f.file_name() {
            std::fs::rename(f, to.join(name))?;
        }
    }
    Ok(())
}

/// Move `files` back from `from`, where [`move_into`] put them.
fn move_back(files: &[PathBuf], from: &Path) -> BrowserResult<()> {
    for f in files {
        if let Some(name) = f.file_name() {
            std::fs::rename(from.join(name), f)?;
        }
    }
    Ok(())
}

/// Forget every cached copy of the piece `name` in the page's caches (the
/// service worker's precache); how many were deleted.
async fn uncache_piece(tablet: &Browser, name: &str) -> BrowserResult<u64> {
    let deleted = tablet
        .eval(&format!(
            "return (async () => {{
                let n = 0;
                for (const key of await caches.keys()) {{
                    const cache = await caches.open(key);
                    for (const request of await cache.keys()) {{
                        if (new URL(request.url).pathname.startsWith('/split_{name}-')) {{
                            await cache.delete(request);
                            n += 1;
                        }}
                    }}
                }}
                return n;
            }})();"
        ))
        .await?;
    Ok(deleted.as_u64().unwrap_or(0))
}

/// Wait until the page's console shows a new line containing `text` (the
/// driver hands out each line once); `what` names the wait in the error.
async fn wait_console(tablet: &Browser, text: &str, what: &str) -> BrowserResult<()> {
    let waited = std::time::Instant::now();
    loop {
        let lines = tablet.console_log().await?;
        if lines.iter().any(|l| l.contains(text)) {
            return Ok(());
        }
        if waited.elapsed() > LOAD {
            return Err(format!("{what}: no console line with {text:?}").into());
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}

/// A server of the demo site with the roster seeded, serving its own copy
/// of the built app (so files can go missing), and a tablet's enrolment
/// token.
struct Site {
    _data: tempfile::TempDir,
    app: tempfile::TempDir,
    server: ServerProcess,
    token: String,
}

impl Site {
    async fn start() -> BrowserResult<Self> {
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
        Ok(Self {
            _data: data,
            app,
            server,
            token,
        })
    }
}

#[tokio::test]
async fn a_tablet_without_the_engine_piece_says_so_and_starts_once_it_is_back() -> BrowserResult<()>
{
    const TEST: &str = "a_tablet_without_the_engine_piece_says_so_and_starts_once_it_is_back";
    if !require_chromium(TEST) {
        return Ok(());
    }
    let site = Site::start().await?;
    let (app, server, token) = (site.app.path(), &site.server, &site.token);
    // The engine's piece is missing from the server before the tablet ever
    // saw it (a deployment that lost a file, a proxy that blocks .wasm):
    // not in any cache either. The service worker cannot precache the app
    // then, so the page fetches from the network itself.
    let hidden = app.join("hidden");
    let piece = piece_files(app, "engine")?;
    move_into(&piece, &hidden)?;
    let tablet = Browser::tablet("pieces").await?;
    tablet
        .goto(&format!("{}/enroll#token={token}", server.base_url()))
        .await?;
    // The first screen is there, and says why nobody can sign in yet.
    tablet.wait_for("[data-testid=sign-in]", LOAD).await?;
    if let Err(e) = tablet.wait_for(ENGINE_MISSING, LOAD).await {
        let _ = tablet
            .screenshot(screenshot_dir().join("failed-72-engine-not-loaded.png"))
            .await;
        for line in tablet.console_log().await? {
            eprintln!("console: {line}");
        }
        return Err(e);
    }
    let text = tablet.text(ENGINE_MISSING).await?;
    assert!(text.contains("尚未下载"), "{text}");
    assert!(
        !tablet.exists("[data-testid=sign-in] [data-person]").await?,
        "nobody can be listed to sign in before the roster is loaded"
    );
    tablet
        .screenshot(screenshot_dir().join("72-engine-not-loaded.png"))
        .await?;
    // Still missing a while later: still said, nothing broke.
    tokio::time::sleep(std::time::Duration::from_secs(6)).await;
    assert!(tablet.exists(ENGINE_MISSING).await?);
    assert!(tablet.exists("[data-testid=sign-in]").await?);
    // The piece is back on the server: the tablet starts the engine by
    // itself, the roster arrives, the person signs in and opens a round.
    move_back(&piece, &hidden)?;
    tablet
        .wait_for("[data-testid=sign-in] [data-person]", LOAD)
        .await?;
    assert!(!tablet.exists(ENGINE_MISSING).await?);
    sign_in_to_agenda(&tablet, &STAFF).await?;
    let today = browser_today(&tablet).await?;
    let row = format!("[data-testid=agenda] [data-round='lobby-opening/{today}/0830']");
    tablet.wait_for(&row, LOAD).await?;
    open_lobby_round(&tablet).await?;
    tablet.close().await?;
    Ok(())
}

/// The sync socket's receiving code is a piece too. A tablet that has lost
/// it — gone from the service worker's cache and from the server — works on
/// with what it holds: an edit is saved on the tablet and shown unsynced,
/// each connection that brings a frame is dropped and tried again, and
/// once the piece is back the next connection sends the edit.
#[tokio::test]
async fn a_tablet_without_the_sync_piece_keeps_its_edit_and_sends_it_once_the_piece_is_back()
-> BrowserResult<()> {
    const TEST: &str = "a_tablet_without_the_sync_piece_keeps_its_edit";
    if !require_chromium(TEST) {
        return Ok(());
    }
    let site = Site::start().await?;
    let (app, server, token) = (site.app.path(), &site.server, &site.token);
    let tablet = Browser::tablet("pieces-sync").await?;
    enrol(&tablet, &server.base_url(), token).await?;
    sign_in_to_agenda(&tablet, &STAFF).await?;
    open_lobby_round(&tablet).await?;
    wait_badge(&tablet, "synced", LOAD).await?;

    // The sync piece is lost: not on the server, not in the cache; the
    // page is reloaded, so the copy in memory is gone too.
    let hidden = app.join("hidden");
    let piece = piece_files(app, "sync")?;
    move_into(&piece, &hidden)?;
    let uncached = uncache_piece(&tablet, "sync").await?;
    assert!(uncached >= 1, "the service worker held the sync piece");
    // Hashed files are cached as immutable by the browser too.
    tablet
        .cdp("Network.clearBrowserCache", serde_json::json!({}))
        .await?;
    tablet.reload().await?;
    open_lobby_round(&tablet).await?;
    const DROPPED: &str = "closing sync connection";
    wait_console(&tablet, DROPPED, "the tablet tried the lost sync piece").await?;

    // An edit now is kept on the tablet and shown as not synced.
    tap(&tablet, &format!("{} [data-action=normal]", item("doors"))).await?;
    wait_state(&tablet, "doors", "normal", LOAD).await?;
    tablet
        .wait_until(
            "document.querySelector('[data-testid=sync-badge]')?.dataset.unsynced === '1'",
            LOAD,
        )
        .await?;
    // Connections keep being tried, and dropped, without losing it.
    wait_console(&tablet, DROPPED, "the tablet tried again").await?;
    let (status, unsynced) = badge(&tablet).await?;
    assert_ne!(status, "synced", "nothing can be synced without the piece");
    assert_eq!(unsynced, "1", "the edit waits on the tablet");
    tablet
        .screenshot(screenshot_dir().join("73-sync-piece-lost.png"))
        .await?;
    // A reload (or a crash) keeps it too.
    tablet.reload().await?;
    open_lobby_round(&tablet).await?;
    wait_state(&tablet, "doors", "normal", LOAD).await?;

    // The piece is back on the server: the next connection sends the edit
    // and the server confirms it.
    move_back(&piece, &hidden)?;
    wait_badge(&tablet, "synced", LOAD).await?;
    let (_, unsynced) = badge(&tablet).await?;
    assert_eq!(unsynced, "0", "the server confirmed the edit");
    wait_state(&tablet, "doors", "normal", LOAD).await?;
    tablet.close().await?;
    Ok(())
}
