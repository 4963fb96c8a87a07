//! Browser end to end: what a tablet says about its own changes against
//! what the server and the roster know, on the supervisor's desktop.
//!
//! A device (a native client holding 大堂平板1's token, standing in for a
//! tampered tablet) writes into today's lobby round: one mark naming
//! another device (大堂平板2), one honest mark, and a daily-review
//! signature by 张伟, a staff member, claiming to be a team leader. The
//! server records which device uploaded each change; the desktop shows the
//! forged mark as unconfirmed ("uploaded by 大堂平板1"), the honest one
//! without a doubt, and the staff member's signature as invalid.

use shiftbook_model::attribution::Attribution;
use shiftbook_model::checklist::{self, Status};
use shiftbook_model::roster::Role;
use shiftbook_model::signature::{self, Meaning};
use shiftbook_tests::browser::{Browser, BrowserResult, require_chromium};
use shiftbook_tests::e2e::{
    LOAD, browser_today, desktop_login, enroll_all, item, open_lobby_round, screenshot_dir,
    serve_app,
};
use shiftbook_tests::fixtures;
use shiftbook_tests::native_tablet::NativeTablet;
use shiftbook_tests::roster_seed::SUPERVISOR_PASSWORD;
use shiftbook_tests::rounds::{LOBBY_SLOT, Round};

fn by(device: &str, role: Role, at_ms: i64) -> Attribution {
    Attribution {
        person_id: "zhang".into(),
        person: "张伟".into(),
        role,
        device: device.into(),
        at_ms,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_naming_another_device_and_a_staff_signature_show_on_the_desktop()
-> BrowserResult<()> {
    if !require_chromium("a_change_naming_another_device_and_a_staff_signature") {
        return Ok(());
    }
    let data = tempfile::tempdir()?;
    let [token] = enroll_all(data.path(), ["大堂平板1"])?;
    let server = serve_app(data.path()).await?;
    let base = server.base_url();
    let shots = screenshot_dir().join("e2e_attribution");
    std::fs::create_dir_all(&shots)?;

    let desk = Browser::desktop("attribution-desk").await?;
    desk_login_and_today(&desk, &base).await?;
    let today = browser_today(&desk).await?;

    // The tampered tablet writes today's lobby round.
    let key = fixtures::site_key(server.addr(), &token).await?;
    let round = Round::lobby_opening("demo", &today);
    let id = round.id(&key);
    let tablet = NativeTablet::connect_ready(server.addr(), &token, LOAD).await?;
    tablet.note_purpose(id, &checklist::purpose(&round.template.id, &today));
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_millis() as i64;
    round.open(&tablet, id, &by("大堂平板1", Role::Staff, now))?;
    tablet.change(id, |d| {
        checklist::mark(
            d,
            LOBBY_SLOT,
            "doors",
            Status::Normal,
            "",
            &by("大堂平板2", Role::Staff, now + 1),
        )
        .map_err(|e| e.to_string())
    })??;
    tablet.change(id, |d| {
        checklist::mark(
            d,
            LOBBY_SLOT,
            "lighting",
            Status::Normal,
            "",
            &by("大堂平板1", Role::Staff, now + 2),
        )
        .map_err(|e| e.to_string())
    })??;
    tablet.change(id, |d| {
        signature::sign(
            d,
            Meaning::DailyReview,
            &by("大堂平板1", Role::Leader, now + 3),
        )
        .map_err(|e| e.to_string())
    })??;
    tablet.wait_confirmed(id, LOAD).await?;

    // The desktop shows the round with the forged mark unconfirmed.
    open_lobby_round(&desk).await?;
    let doors = format!("{} [data-testid=unconfirmed]", item("doors"));
    desk.wait_for(&doors, LOAD).await?;
    let line = desk.text(&doors).await?;
    assert!(line.contains("大堂平板1"), "{line}");
    assert!(
        !desk
            .exists(&format!("{} [data-testid=unconfirmed]", item("lighting")))
            .await?,
        "the honest mark is not doubted"
    );
    let invalid = desk.text("[data-testid=signature-invalid]").await?;
    assert!(invalid.contains("签字无效"), "{invalid}");
    assert!(
        desk.exists("[data-testid=signature][data-valid=false]")
            .await?,
        "the signature is marked invalid"
    );
    desk.screenshot(shots.join("01-unconfirmed-and-invalid.png"))
        .await?;

    // In English too.
    desk.click("[data-testid=lang-switch]").await?;
    desk.wait_until(
        "(document.querySelector('[data-testid=signature-invalid]') || {}).textContent?.includes('Invalid signature')",
        LOAD,
    )
    .await?;
    let line = desk.text(&doors).await?;
    assert!(
        line.contains("Unconfirmed: uploaded by 大堂平板1"),
        "{line}"
    );
    desk.screenshot(shots.join("02-unconfirmed-and-invalid-en.png"))
        .await?;
    Ok(())
}

async fn desk_login_and_today(desk: &Browser, base: &str) -> BrowserResult<()> {
    desktop_login(desk, base, "zhuguan", SUPERVISOR_PASSWORD).await
}
