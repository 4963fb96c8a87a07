//! A screenshot tour of the demo site, for looking at the product as a
//! user sees it: the real server with `--demo`, one enrolled tablet
//! (1280×800) signed in as 张伟 walking every screen of the rail in
//! Chinese and English, then in Chinese held upright (800×1280), on a
//! phone (390×844) and cut off the network after a reload; and the
//! supervisor's desktop walking every tab, each in Chinese and English,
//! and every tab as it prints.
//!
//! `cargo run -p shiftbook-tests --example tour [-- <out dir>]` after
//! `scripts/build-app.sh` and `cargo build -p sync-server`; the pictures
//! land in `target/tour/` unless a directory is given. Needs Chromium.

use shiftbook_tests::browser::{Browser, BrowserResult, WindowSize, require_chromium};
use shiftbook_tests::e2e::{
    LOAD, RAIL_SCREENS, STAFF, desktop_login, enrol, serve_demo, sign_in_to_agenda, workspace_root,
};
use shiftbook_tests::server_process::{add_supervisor, enroll};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The desktop's tabs, by their `data-tab`.
const TABS: [&str; 15] = [
    "round",
    "followups",
    "history",
    "templates",
    "flats",
    "keys",
    "permits",
    "handovers",
    "duty-log",
    "visitors",
    "complaints",
    "owner-visits",
    "roster",
    "security",
    "settings",
];

const PASSWORD: &str = "tour of the demo site";

#[tokio::main(flavor = "current_thread")]
async fn main() -> BrowserResult<()> {
    if !require_chromium("tour") {
        return Ok(());
    }
    let out = std::env::args().nth(1).map_or_else(
        || workspace_root().join("target").join("tour"),
        PathBuf::from,
    );
    std::fs::create_dir_all(&out)?;
    let data = tempfile::tempdir()?;
    let server = serve_demo(data.path()).await?;
    add_supervisor(data.path(), "tour", &["demo"], PASSWORD)?;
    let token = enroll(data.path(), "demo", "导览平板")?;
    let base = server.base_url();

    let tablet = Browser::tablet("tour-tablet").await?;
    enrol(&tablet, &base, &token).await?;
    // 张伟 1234 of the demo roster.
    sign_in_to_agenda(&tablet, &STAFF).await?;
    for lang in ["zh", "en"] {
        for screen in RAIL_SCREENS {
            tablet.click(&format!("[data-action={screen}]")).await?;
            settle(&tablet).await;
            shot(&tablet, &out, &format!("tablet-{lang}-{screen}")).await?;
        }
        tablet.click("[data-testid=lang-switch]").await?;
    }
    tablet.close().await?;

    // Chinese, upright and on a phone; then offline after a reload.
    for (label, size) in [
        (
            "portrait",
            WindowSize {
                width: 800,
                height: 1280,
            },
        ),
        (
            "phone",
            WindowSize {
                width: 390,
                height: 844,
            },
        ),
    ] {
        let b = Browser::launch(&format!("tour-{label}"), size).await?;
        let token = enroll(data.path(), "demo", &format!("导览平板-{label}"))?;
        enrol(&b, &base, &token).await?;
        sign_in_to_agenda(&b, &STAFF).await?;
        walk(&b, &out, label).await?;
        if label == "portrait" {
            b.set_offline(true).await?;
            b.reload().await?;
            settle(&b).await;
            walk(&b, &out, "portrait-offline").await?;
        }
        b.close().await?;
    }

    let desk = Browser::desktop("tour-desktop").await?;
    desktop_login(&desk, &base, "tour", PASSWORD).await?;
    for lang in ["zh", "en"] {
        for tab in TABS {
            desk.eval("window.scrollTo(0, 0)").await?;
            desk.click(&format!("[data-tab={tab}]")).await?;
            settle(&desk).await;
            shot(&desk, &out, &format!("desktop-{lang}-{tab}")).await?;
        }
        desk.click("[data-testid=lang-switch]").await?;
    }
    // Every tab as it prints (Chinese).
    desk.cdp(
        "Emulation.setEmulatedMedia",
        serde_json::json!({ "media": "print" }),
    )
    .await?;
    for tab in TABS {
        desk.eval(&format!(
            "window.scrollTo(0, 0); document.querySelector('[data-tab={tab}]').click()"
        ))
        .await?;
        settle(&desk).await;
        shot(&desk, &out, &format!("desktop-print-{tab}")).await?;
    }
    desk.close().await?;
    println!("screenshots in {}", out.display());
    Ok(())
}

/// Every screen of the rail, as `{label}-{screen}.png`.
async fn walk(b: &Browser, out: &Path, label: &str) -> BrowserResult<()> {
    for screen in RAIL_SCREENS {
        // Through the page: on a phone the rail may scroll out of view.
        b.eval(&format!(
            "window.scrollTo(0, 0); document.querySelector('[data-action={screen}]').click()"
        ))
        .await?;
        settle(b).await;
        shot(b, out, &format!("{label}-{screen}")).await?;
    }
    Ok(())
}

/// Give the screen time to load its documents and render.
async fn settle(b: &Browser) {
    let _ = b
        .wait_until("document.querySelector('.loading') === null", LOAD)
        .await;
    tokio::time::sleep(Duration::from_millis(700)).await;
}

async fn shot(b: &Browser, out: &Path, name: &str) -> BrowserResult<()> {
    b.screenshot(out.join(format!("{name}.png"))).await
}
