//! Browser end to end, in headless Chromium: a supervisor runs the site from
//! the desktop and the tablets follow.
//!
//! The supervisor logs in at `/supervisor`, adds 陈静 to the roster with a
//! PIN (hashed in the desktop browser) and shortens the tablets' idle
//! sign-out to one minute. A tablet enrolled on the site gets both: 陈静
//! types a wrong PIN (refused), then the right one, marks an item, and the
//! mark shows the server's receipt time next to the tablet's. The desktop's
//! security log shows the wrong PIN and the sign-in, with the tablet's
//! name; and the tablet applies the site's idle time after a reload.

use shiftbook_tests::browser::{Browser, BrowserResult, require_chromium};
use shiftbook_tests::e2e::{
    LOAD, desktop_login, desktop_tab, enrol, enroll_all, item, open_lobby_round, screenshot_dir,
    serve_app, wait_badge, wait_state,
};
use shiftbook_tests::roster_seed::SUPERVISOR_PASSWORD;
use std::time::Duration;

/// The new person's name and PIN.
const NAME: &str = "陈静";
const PIN: &str = "987654";

/// Click the sign-in button of the person named `name`.
async fn pick_person(b: &Browser, name: &str) -> BrowserResult<()> {
    b.wait_until(
        &format!(
            "[...document.querySelectorAll('[data-person]')].some(e => e.querySelector('.name')?.textContent === '{name}')"
        ),
        LOAD,
    )
    .await?;
    b.eval(&format!(
        "[...document.querySelectorAll('[data-person]')].find(e => e.querySelector('.name').textContent === '{name}').click()"
    ))
    .await?;
    b.wait_for("[data-testid=pin-panel]", LOAD).await?;
    Ok(())
}

async fn type_pin(b: &Browser, pin: &str) -> BrowserResult<()> {
    for d in pin.chars() {
        b.click(&format!("[data-digit='{d}']")).await?;
    }
    b.click("[data-action=sign-in]").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_supervisor_adds_a_person_and_sets_idle_time_and_the_tablet_follows()
-> BrowserResult<()> {
    if !require_chromium("the_supervisor_adds_a_person_and_sets_idle_time") {
        return Ok(());
    }
    let shots = screenshot_dir();
    let data = tempfile::tempdir()?;
    let [token] = enroll_all(data.path(), ["大堂平板1"])?;
    let server = serve_app(data.path()).await?;
    let base = server.base_url();

    // The supervisor adds 陈静 with a PIN.
    let desk = Browser::desktop("admin-desk").await?;
    desktop_login(&desk, &base, "zhuguan", SUPERVISOR_PASSWORD).await?;
    desktop_tab(&desk, "roster").await?;
    desk.wait_for("[data-testid=roster-admin] [data-member=zhang]", LOAD)
        .await?;
    desk.click("[data-action=add-person]").await?;
    desk.wait_for("[data-testid=member-form]", LOAD).await?;
    // A new person without a PIN is refused, with a reason.
    desk.fill("[data-testid=member-form] input[name=name]", NAME)
        .await?;
    desk.eval(
        "const s = document.querySelector('[data-testid=member-form] select[name=role]');
         s.value = 'staff'; s.dispatchEvent(new Event('change'));",
    )
    .await?;
    desk.click("[data-action=save-person]").await?;
    desk.wait_for("[data-testid=member-error]", LOAD).await?;
    desk.fill("[data-testid=member-form] input[name=posts]", "lobby")
        .await?;
    // A new PIN has the site's six digits: the field says so, and four
    // are refused, saying so.
    let pin_label = desk
        .eval(
            "return document.querySelector('[data-testid=member-form] input[name=pin]')
                 .closest('label').textContent",
        )
        .await?;
    assert!(
        pin_label.as_str().is_some_and(|t| t.contains('6')),
        "the PIN field names the site's digits: {pin_label}"
    );
    desk.fill("[data-testid=member-form] input[name=pin]", "9876")
        .await?;
    desk.fill("[data-testid=member-form] input[name=pin-again]", "9876")
        .await?;
    desk.click("[data-action=save-person]").await?;
    desk.wait_until(
        "(document.querySelector('[data-testid=member-error]')?.textContent ?? '').includes('6')",
        LOAD,
    )
    .await?;
    desk.fill("[data-testid=member-form] input[name=pin]", PIN)
        .await?;
    desk.fill("[data-testid=member-form] input[name=pin-again]", PIN)
        .await?;
    desk.screenshot(shots.join("20-roster-form.png")).await?;
    desk.click("[data-action=save-person]").await?;
    desk.wait_for("[data-testid=roster-saved]", LOAD).await?;
    desk.wait_until(
        &format!(
            "[...document.querySelectorAll('[data-member] .name')].some(e => e.textContent === '{NAME}')"
        ),
        LOAD,
    )
    .await?;
    wait_badge(&desk, "synced", LOAD).await?;
    desk.screenshot(shots.join("21-roster.png")).await?;

    // …and sets the tablets' idle sign-out to one minute.
    desktop_tab(&desk, "settings").await?;
    desk.fill("[data-setting=idle_sign_out_minutes] input", "1")
        .await?;
    desk.click("[data-setting=idle_sign_out_minutes] [data-action=save-setting]")
        .await?;
    desk.wait_for("[data-testid=setting-saved]", LOAD).await?;
    wait_badge(&desk, "synced", LOAD).await?;

    // …and adds a checklist of the site's own for the lobby post.
    desktop_tab(&desk, "templates").await?;
    desk.click("[data-action=add-template]").await?;
    desk.wait_for("[data-testid=template-form]", LOAD).await?;
    let form = "[data-testid=template-form]";
    desk.fill(&format!("{form} input[name=title-zh]"), "大堂夜班交接检查")
        .await?;
    desk.fill(
        &format!("{form} input[name=title-en]"),
        "Lobby night hand-over check",
    )
    .await?;
    desk.fill(&format!("{form} input[name=post]"), "lobby")
        .await?;
    desk.eval(&format!(
        "const s = document.querySelector('{form} select[name=schedule-kind]');
         s.value = 'fixed'; s.dispatchEvent(new Event('change'));"
    ))
    .await?;
    desk.fill(&format!("{form} input[name=times]"), "23:00")
        .await?;
    desk.fill(&format!("{form} input[name=item-id]"), "access-control")
        .await?;
    desk.fill(&format!("{form} input[name=item-label-zh]"), "门禁正常")
        .await?;
    desk.fill(
        &format!("{form} input[name=item-label-en]"),
        "Access control working",
    )
    .await?;
    desk.screenshot(shots.join("25-template-form.png")).await?;
    desk.click("[data-action=save-template]").await?;
    desk.wait_for("[data-testid=template-saved]", LOAD).await?;
    wait_badge(&desk, "synced", LOAD).await?;
    desk.screenshot(shots.join("26-templates.png")).await?;

    // The tablet gets the roster: a wrong PIN first, then the right one.
    let tablet = Browser::tablet("admin-tablet").await?;
    enrol(&tablet, &base, &token).await?;
    pick_person(&tablet, NAME).await?;
    type_pin(&tablet, "1111").await?;
    tablet.wait_for("[data-testid=sign-in-error]", LOAD).await?;
    type_pin(&tablet, PIN).await?;
    // The agenda has the supervisor's new checklist.
    tablet.wait_for("[data-testid=agenda]", LOAD).await?;
    tablet
        .wait_until(
            "document.querySelector('[data-testid=agenda]').textContent.includes('大堂夜班交接检查')",
            LOAD,
        )
        .await?;
    open_lobby_round(&tablet).await?;
    assert!(tablet.text("[data-testid=person]").await?.contains(NAME));

    // A mark shows who, when by the tablet, and when the server got it.
    tablet
        .click(&format!("{} [data-action=normal]", item("doors")))
        .await?;
    wait_state(&tablet, "doors", "normal", LOAD).await?;
    wait_badge(&tablet, "synced", LOAD).await?;
    let received = format!("{} .attribution[data-received=true]", item("doors"));
    tablet.wait_for(&received, Duration::from_secs(40)).await?;
    let line = tablet
        .text(&format!("{} .attribution", item("doors")))
        .await?;
    assert!(
        line.contains(NAME) && line.contains("大堂平板1") && line.contains("服务器"),
        "{line}"
    );
    tablet.screenshot(shots.join("22-receipt.png")).await?;

    // The desktop sees the same receipt on the round, and the security log.
    desk.click("[data-tab=round]").await?;
    open_lobby_round(&desk).await?;
    desk.wait_for(&received, Duration::from_secs(40)).await?;
    desk.click("[data-tab=security]").await?;
    desk.wait_for("[data-testid=security-log] tr[data-event=wrong-pin]", LOAD)
        .await?;
    let wrong = desk
        .text("[data-testid=security-log] tr[data-event=wrong-pin]")
        .await?;
    assert!(
        wrong.contains(NAME) && wrong.contains("大堂平板1"),
        "{wrong}"
    );
    assert!(
        desk.exists("[data-testid=security-log] tr[data-event=sign-in]")
            .await?
    );
    desk.screenshot(shots.join("23-security-log.png")).await?;

    // The site's idle time reached the tablet: a person last active 61 s
    // ago is signed out at start (the default would keep them 15 minutes).
    tablet
        .eval(
            "const p = JSON.parse(localStorage.getItem('shiftbook.person'));
             p.last_activity_ms = Date.now() - 61000;
             localStorage.setItem('shiftbook.person', JSON.stringify(p));",
        )
        .await?;
    tablet.reload().await?;
    tablet.wait_for("[data-testid=sign-in]", LOAD).await?;
    assert!(!tablet.exists("[data-testid=round]").await?);
    desk.wait_for(
        "[data-testid=security-log] tr[data-event=idle-sign-out]",
        LOAD,
    )
    .await?;
    Ok(())
}

/// A supervisor whose session ends with a change not yet on the server is
/// told so, logs in again, and the change syncs: nothing is lost.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_desktop_session_keeps_unsynced_changes_until_the_next_login()
-> BrowserResult<()> {
    if !require_chromium("an_expired_desktop_session_keeps_unsynced_changes") {
        return Ok(());
    }
    let data = tempfile::tempdir()?;
    let [probe_token] = enroll_all(data.path(), ["检查用探针"])?;
    let server = serve_app(data.path()).await?;
    let base = server.base_url();
    let desk = Browser::desktop("expired-desk").await?;
    desktop_login(&desk, &base, "zhuguan", SUPERVISOR_PASSWORD).await?;
    desktop_tab(&desk, "settings").await?;
    wait_badge(&desk, "synced", LOAD).await?;

    // The session ends (expired, or logged out elsewhere) while the page
    // is open; the supervisor goes on and changes a setting.
    desk.eval("return fetch('/api/logout', { method: 'POST' }).then(r => r.status)")
        .await?;
    desk.wait_for("[data-testid=session-expired]", LOAD).await?;
    desk.fill("[data-setting=idle_sign_out_minutes] input", "7")
        .await?;
    desk.click("[data-setting=idle_sign_out_minutes] [data-action=save-setting]")
        .await?;
    desk.wait_for("[data-testid=setting-saved]", LOAD).await?;
    desk.screenshot(screenshot_dir().join("24-session-expired.png"))
        .await?;
    let (_, unsynced) = shiftbook_tests::e2e::badge(&desk).await?;
    assert_eq!(unsynced, "1", "the change waits, it is not lost");

    // Logging in again syncs it.
    desk.click("[data-action=log-in-again]").await?;
    desk.wait_for("[data-testid=supervisor-login]", LOAD)
        .await?;
    desk.fill("input[name=user]", "zhuguan").await?;
    desk.fill("input[name=password]", SUPERVISOR_PASSWORD)
        .await?;
    desk.click("[data-action=login]").await?;
    desk.wait_for("[data-testid=desktop-tabs]", LOAD).await?;
    wait_badge(&desk, "synced", LOAD).await?;

    // The server's copy has it: a tablet of the site reads 7 minutes.
    let key = shiftbook_tests::fixtures::site_key(server.addr(), &probe_token).await?;
    let id = shiftbook_model::settings::document_id(&key);
    let probe = shiftbook_tests::native_tablet::NativeTablet::connect(
        server.addr(),
        &probe_token,
        shiftbook_tests::native_tablet::TokenVia::Query,
    )
    .await?;
    probe.want(id);
    probe
        .wait_until("the setting on the server", LOAD, |c| {
            c.doc(&id)
                .and_then(|d| shiftbook_model::settings::SiteSettings::new(d).ok())
                .and_then(|s| {
                    s.get(shiftbook_model::settings::Setting::IdleSignOutMinutes)
                        .ok()
                })
                == Some(7)
        })
        .await?;
    Ok(())
}
