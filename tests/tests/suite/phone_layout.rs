//! A tablet held upright (800×1280) and a phone (390×844) — not the
//! tablet the app is made for, but a guard or a supervisor may open it on
//! one: every screen of the rail must fit the width — nothing pushed past the right edge, so the
//! page never scrolls sideways — and no heading or button squeezed to a
//! column of single characters. The demo site fills every screen.

use shiftbook_tests::browser::{Browser, BrowserResult, WindowSize, require_chromium};
use shiftbook_tests::e2e::{
    LOAD, RAIL_SCREENS, STAFF, enrol, item, mark_abnormal_with_note, open_lobby_round,
    screenshot_dir, serve_demo, sign_in_to_agenda, take_photo, what_does_not_fit,
};
use shiftbook_tests::server_process::enroll;
use std::time::Duration;

/// Walk every screen of the rail at `size` on a tablet enrolled as
/// `device`; what does not fit, per screen. Pictures are `{label}-<screen>.png`.
async fn misfits_at(
    data: &std::path::Path,
    base: &str,
    device: &str,
    label: &str,
    size: WindowSize,
) -> BrowserResult<Vec<String>> {
    let token = enroll(data, "demo", device)?;
    let b = Browser::launch(label, size).await?;
    enrol(&b, base, &token).await?;
    sign_in_to_agenda(&b, &STAFF).await?;
    let mut misfits = Vec::new();
    for screen in RAIL_SCREENS {
        b.eval(&format!(
            "window.scrollTo(0, 0); document.querySelector('[data-action={screen}]').click()"
        ))
        .await?;
        b.wait_until("document.querySelector('.loading') === null", LOAD)
            .await?;
        tokio::time::sleep(Duration::from_millis(500)).await;
        let found = what_does_not_fit(&b).await?;
        let shot = if found.is_empty() {
            label.to_owned()
        } else {
            format!("failed-{label}")
        };
        b.screenshot(screenshot_dir().join(format!("{shot}-{screen}.png")))
            .await?;
        if !found.is_empty() {
            misfits.push(format!("{label} {screen}: {}", found.join("; ")));
        }
    }
    // A round's × with its photo and note.
    b.eval("window.scrollTo(0, 0); document.querySelector('[data-action=agenda]').click()")
        .await?;
    open_lobby_round(&b).await?;
    // Each device its own item: the other's × reaches it through the server.
    let crossed = if label == "phone" {
        "lifts"
    } else {
        "escalators"
    };
    mark_abnormal_with_note(&b, crossed, "按钮失灵").await?;
    take_photo(&b, &item(crossed)).await?;
    b.eval(&format!(
        "document.querySelector(\"{}\").scrollIntoView()",
        item(crossed)
    ))
    .await?;
    let found = what_does_not_fit(&b).await?;
    b.screenshot(screenshot_dir().join(format!("{label}-round-photo.png")))
        .await?;
    if !found.is_empty() {
        misfits.push(format!("{label} round with a photo: {}", found.join("; ")));
    }
    b.close().await?;
    Ok(misfits)
}

#[tokio::test]
async fn every_screen_fits_a_phone_and_a_tablet_held_upright() -> BrowserResult<()> {
    if !require_chromium("every_screen_fits_a_phone_and_a_tablet_held_upright") {
        return Ok(());
    }
    let data = tempfile::tempdir()?;
    let server = serve_demo(data.path()).await?;
    let base = server.base_url();
    let mut misfits = misfits_at(
        data.path(),
        &base,
        "手机",
        "phone",
        WindowSize {
            width: 390,
            height: 844,
        },
    )
    .await?;
    misfits.extend(
        misfits_at(
            data.path(),
            &base,
            "竖屏平板",
            "portrait",
            WindowSize {
                width: 800,
                height: 1280,
            },
        )
        .await?,
    );
    assert!(misfits.is_empty(), "does not fit:\n{}", misfits.join("\n"));
    Ok(())
}
