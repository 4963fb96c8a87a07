//! Browser end to end, in headless Chromium: the show-flat night round on
//! two lobby tablets, offline (CDP emulation and the server killed).
//!
//! Both open the same half-hourly round from their agenda; one marks the
//! windows ×, the other the "nobody inside" item ×, and they disagree on
//! the power: ✓ on one, × on the other. After the network comes back, both
//! tablets show one round with every mark and the power item as a
//! conflict; the supervisor's desktop lists three open follow-ups — the
//! disputed one flagged — and its agenda shows a missed night round as
//! missed. Whatever the time of day the test runs, the agenda has a night
//! round due or next, and one missed in the last 24 hours.

use shiftbook_tests::browser::{Browser, BrowserResult, require_chromium};
use shiftbook_tests::e2e::{
    LEADER, LOAD, STAFF, desktop_login, desktop_tab, enrol, enroll_all, item,
    mark_abnormal_with_note, screenshot_dir, serve_app, sign_in_to_agenda, wait_badge, wait_state,
};
use shiftbook_tests::roster_seed::SUPERVISOR_PASSWORD;

/// The night round the agenda offers first: due now, else next.
async fn night_round(b: &Browser) -> BrowserResult<String> {
    let path = b
        .eval(
            "const row = document.querySelector(\"[data-testid=agenda] [data-round^='show-flat-night/']:not([data-state=missed])\");
             return row ? row.dataset.round : null;",
        )
        .await?;
    Ok(path
        .as_str()
        .ok_or("no night round on the agenda")?
        .to_owned())
}

/// Tap the agenda on the navigation rail (beside every screen).
async fn back(b: &Browser) -> BrowserResult<()> {
    b.click("[data-testid=nav-rail] [data-action=agenda]")
        .await?;
    b.wait_for("[data-testid=agenda]", LOAD).await?;
    Ok(())
}

/// Tap the agenda row of `path` and wait for the round.
async fn open(b: &Browser, path: &str) -> BrowserResult<()> {
    let row = format!("[data-testid=agenda] [data-round='{path}']");
    b.wait_for(&row, LOAD).await?;
    b.eval(&format!("document.querySelector(\"{row}\").click()"))
        .await?;
    b.wait_for(&format!("[data-testid=round][data-round='{path}']"), LOAD)
        .await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_night_round_on_two_offline_tablets_merges_and_its_follow_ups_reach_the_desktop()
-> BrowserResult<()> {
    if !require_chromium("a_night_round_on_two_offline_tablets") {
        return Ok(());
    }
    let shots = screenshot_dir();
    let data = tempfile::tempdir()?;
    let [token1, token2] = enroll_all(data.path(), ["大堂平板1", "大堂平板2"])?;
    let mut server = serve_app(data.path()).await?;
    let base = server.base_url();
    let a = Browser::tablet("night-1").await?;
    let b = Browser::tablet("night-2").await?;
    enrol(&a, &base, &token1).await?;
    enrol(&b, &base, &token2).await?;
    sign_in_to_agenda(&a, &STAFF).await?;
    sign_in_to_agenda(&b, &LEADER).await?;
    let path = night_round(&a).await?;
    assert_eq!(night_round(&b).await?, path, "same clock, same round");
    assert!(
        a.exists("[data-testid=agenda] [data-round^='show-flat-night/'][data-state=missed]")
            .await?,
        "a night round of the last 24 h nobody did shows as missed"
    );
    a.screenshot(shots.join("30-agenda.png")).await?;
    open(&a, &path).await?;
    open(&b, &path).await?;

    // No network at all from here until the restart.
    a.set_offline(true).await?;
    b.set_offline(true).await?;
    server.kill()?;
    wait_badge(&a, "offline", LOAD).await?;
    wait_badge(&b, "offline", LOAD).await?;
    mark_abnormal_with_note(&a, "windows-closed", "客厅窗未关").await?;
    a.click(&format!("{} [data-action=normal]", item("power-off")))
        .await?;
    wait_state(&a, "power-off", "normal", LOAD).await?;
    mark_abnormal_with_note(&b, "nobody-inside", "有人滞留").await?;
    mark_abnormal_with_note(&b, "power-off", "音响未关").await?;
    // Each tablet has opened its follow-ups offline.
    back(&b).await?;
    b.wait_for("[data-testid=open-followups]", LOAD).await?;
    assert_eq!(b.text("[data-testid=open-followups]").await?, "2");
    open(&b, &path).await?;

    // The network comes back.
    server.restart().await?;
    a.set_offline(false).await?;
    b.set_offline(false).await?;
    for t in [&a, &b] {
        wait_badge(t, "synced", LOAD).await?;
        wait_state(t, "windows-closed", "abnormal", LOAD).await?;
        wait_state(t, "nobody-inside", "abnormal", LOAD).await?;
        wait_state(t, "power-off", "conflict", LOAD).await?;
    }
    a.screenshot(shots.join("31-night-round-merged.png"))
        .await?;

    // The team leader signs the day's walked rounds from the agenda; the
    // round shows the signature. Staff are not offered it.
    back(&b).await?;
    b.wait_for("[data-testid=sign-day]", LOAD).await?;
    b.click("[data-action=sign-day]").await?;
    b.click("[data-action=confirm-sign-day]").await?;
    b.wait_until(
        "document.querySelector('[data-testid=sign-day]') === null",
        LOAD,
    )
    .await?;
    open(&b, &path).await?;
    assert!(b.text("[data-testid=signature]").await?.contains("李娜"));
    back(&a).await?;
    assert!(
        !a.exists("[data-testid=sign-day]").await?,
        "staff do not sign off"
    );
    open(&a, &path).await?;

    // The supervisor's desktop: three open follow-ups, the power flagged.
    let desk = Browser::desktop("night-desk").await?;
    desktop_login(&desk, &base, "zhuguan", SUPERVISOR_PASSWORD).await?;
    desktop_tab(&desk, "round").await?;
    desk.wait_for(
        "[data-testid=agenda] [data-round^='show-flat-night/'][data-state=missed]",
        LOAD,
    )
    .await?;
    desktop_tab(&desk, "followups").await?;
    for id in ["windows-closed", "nobody-inside", "power-off"] {
        desk.wait_for(&format!("[data-followup='{id}'][data-status=open]"), LOAD)
            .await?;
    }
    desk.wait_for("[data-followup='power-off'][data-disputed=true]", LOAD)
        .await?;
    assert_eq!(
        desk.eval("return document.querySelectorAll('[data-followup][data-disputed=true]').length")
            .await?,
        1
    );
    desk.screenshot(shots.join("32-desktop-follow-ups.png"))
        .await?;

    // The supervisor issues a rectification notice; a tablet closes the
    // windows follow-up with what was done; both sides see it.
    let card = "[data-followup='windows-closed']";
    desk.fill(&format!("{card} input[name=notice]"), "今晚关好所有窗户")
        .await?;
    desk.click(&format!("{card} [data-action=issue-notice]"))
        .await?;
    desk.wait_for(&format!("{card} [data-testid=notice]"), LOAD)
        .await?;
    back(&a).await?;
    a.click("[data-action=followups]").await?;
    a.wait_for(&format!("{card} [data-testid=notice]"), LOAD)
        .await?;
    // The desktop hands "somebody inside" to customer service; the tablet
    // follows.
    let inside = "[data-followup='nobody-inside']";
    desk.eval(&format!(
        "const s = document.querySelector(\"{inside} select[name=department]\");
         s.value = 'customer-service'; s.dispatchEvent(new Event('change'));"
    ))
    .await?;
    a.wait_until(
        &format!("document.querySelector(\"{inside} select[name=department]\")?.value === 'customer-service'"),
        LOAD,
    )
    .await?;
    a.fill(&format!("{card} input[name=followup-action]"), "已关窗")
        .await?;
    a.click(&format!("{card} [data-action=close-followup]"))
        .await?;
    a.wait_for(&format!("{card}[data-status=closed]"), LOAD)
        .await?;
    desk.wait_for(&format!("{card}[data-status=closed]"), LOAD)
        .await?;
    assert!(
        desk.text(&format!("{card} [data-testid=closed-by]"))
            .await?
            .contains("已关窗")
    );
    // A photo of the work done, from the tablet: the desktop shows it.
    shiftbook_tests::e2e::take_photo(&a, card).await?;
    desk.wait_for(&format!("{card} .photo-thumb img"), LOAD)
        .await?;

    // The history of that service day, lobby post: the round both tablets
    // walked is in progress (nobody finished it), and earlier ones missed.
    let date = path.split('/').nth(1).ok_or("no date in the round path")?;
    desktop_tab(&desk, "history").await?;
    desk.wait_for("[data-testid=history]", LOAD).await?;
    desk.eval(&format!(
        "const d = document.querySelector('input[name=history-date]');
         d.value = '{date}'; d.dispatchEvent(new Event('change'));
         const p = document.querySelector('select[name=history-post]');
         p.value = 'lobby'; p.dispatchEvent(new Event('change'));"
    ))
    .await?;
    desk.wait_for(
        &format!("[data-testid=history] [data-round='{path}'][data-state=in-progress]"),
        LOAD,
    )
    .await?;
    assert!(
        !desk
            .exists("[data-testid=history] [data-round^='show-flat-fire/']")
            .await?,
        "another post's rounds are filtered out"
    );
    desk.screenshot(shots.join("33-history.png")).await?;
    Ok(())
}
