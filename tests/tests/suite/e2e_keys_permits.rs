//! Browser end to end, in headless Chromium: the show flat's keys and a
//! contractor's work permit on two tablets and the supervisor's desktop.
//!
//! Keys: with both tablets offline (CDP emulation and the server killed),
//! the team leader registers two keys of the flat for the receptionist on
//! the flat's tablet; the receptionist signs in there, hands the front
//! door key to the security post at closing (awaiting confirmation) and
//! reports the back door key lost. Back online, a guard confirms receipt
//! on the security post's tablet; the desktop shows the lost key escalated
//! and records the lock changed, which clears it everywhere.
//!
//! Permits: the receptionist types in an application for today (late: less
//! than two days ahead); the supervisor approves it on the desktop; the
//! guard logs 3 people in and 3 out with a × on the tools check, starts
//! the after-work sweep and walks its round; the team leader closes the
//! permit on that tablet and the desktop shows it closed.

use shiftbook_model::roster::Role;
use shiftbook_tests::browser::{Browser, BrowserResult, require_chromium};
use shiftbook_tests::e2e::{
    LEADER, LOAD, STAFF, co_sign, desktop_login, desktop_tab, enrol, enroll_all, screenshot_dir,
    serve_app_with, set_value, sign_in_to, take_photo, tap, wait_badge, wait_nav_count, wait_state,
};
use shiftbook_tests::roster_seed::{Person, SUPERVISOR_PASSWORD};

/// The guard at the security post.
const GUARD: Person<'static> = Person {
    id: "chen",
    name: "陈刚",
    role: Role::Staff,
    pin: "3579",
    posts: &["lobby"],
};

const FRONT: &str = "[data-key-label='入户门 #1']";
const BACK: &str = "[data-key-label='后门']";
const PERMIT: &str = "[data-company='安居装饰']";

/// The items of the after-construction sweep (`after-construction`).
const SWEEP_ITEMS: [&str; 7] = [
    "areas-checked",
    "debris",
    "utilities",
    "workers-left",
    "items-out",
    "tools-out",
    "logged",
];

/// Wait until the element `css` has `data-<attr>` = `value`.
async fn wait_data(b: &Browser, css: &str, attr: &str, value: &str) -> BrowserResult<()> {
    b.wait_until(
        &format!("document.querySelector(\"{css}\")?.dataset.{attr} === '{value}'"),
        LOAD,
    )
    .await
}

/// Go to a screen by its fragment and wait for it.
async fn show(b: &Browser, fragment: &str, screen: &str) -> BrowserResult<()> {
    b.eval(&format!("location.hash = '{fragment}'")).await?;
    b.wait_for(screen, LOAD).await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_change_hands_offline_a_lost_key_is_escalated_and_a_permit_runs_to_closed()
-> BrowserResult<()> {
    if !require_chromium("keys_change_hands_offline") {
        return Ok(());
    }
    let shots = screenshot_dir();
    let data = tempfile::tempdir()?;
    let [token1, token2] = enroll_all(data.path(), ["样板房平板", "安管岗平板"])?;
    let mut server = serve_app_with(data.path(), &[STAFF, LEADER, GUARD]).await?;
    let base = server.base_url();
    let a = Browser::tablet("keys-flat").await?;
    let b = Browser::tablet("keys-security").await?;
    enrol(&a, &base, &token1).await?;
    enrol(&b, &base, &token2).await?;
    sign_in_to(&a, &LEADER, "[data-testid=agenda]").await?;
    sign_in_to(&b, &GUARD, "[data-testid=agenda]").await?;
    for t in [&a, &b] {
        tap(t, "[data-action=keys]").await?;
        t.wait_for("[data-testid=keys]", LOAD).await?;
    }

    a.set_offline(true).await?;
    b.set_offline(true).await?;
    server.kill()?;
    wait_badge(&a, "offline", LOAD).await?;
    wait_badge(&b, "offline", LOAD).await?;

    // The leader registers two keys of the flat for the receptionist.
    for label in ["入户门 #1", "后门"] {
        tap(&a, "[data-action=register-key]").await?;
        a.fill("[name=key-label]", label).await?;
        set_value(&a, "[name=key-holder]", "person:zhang").await?;
        set_value(&a, "[name=key-flat]", "demo-flat-a").await?;
        if label == "入户门 #1" {
            a.screenshot(shots.join("50-keys-register.png")).await?;
        }
        tap(&a, "[data-action=save-key]").await?;
        let card = format!("[data-key-label='{label}']");
        wait_data(&a, &card, "state", "in-use").await?;
    }
    assert!(a.text(FRONT).await?.contains("持有人:张伟"));

    // At closing the receptionist hands the front door key to the security
    // post, and reports the back door key lost.
    tap(&a, "[data-testid=switch-person]").await?;
    sign_in_to(&a, &STAFF, "[data-testid=keys]").await?;
    assert!(
        !a.exists("[data-action=register-key]").await?,
        "staff do not register keys"
    );
    tap(&a, &format!("{FRONT} [data-action=hand-over]")).await?;
    set_value(&a, &format!("{FRONT} [name=hand-to]"), "post:security").await?;
    tap(&a, &format!("{FRONT} [data-action=confirm-key-action]")).await?;
    wait_data(&a, FRONT, "state", "awaiting").await?;
    assert!(
        !a.exists(&format!("{FRONT} [data-action=confirm-receipt]"))
            .await?,
        "the giver does not confirm for the receiver"
    );
    assert!(
        !a.exists(&format!("{FRONT} [data-action=hand-over]"))
            .await?
    );
    tap(&a, &format!("{BACK} [data-action=report-lost]")).await?;
    a.fill(&format!("{BACK} [name=key-text]"), "闭馆时发现不在钥匙扣上")
        .await?;
    tap(&a, &format!("{BACK} [data-action=confirm-key-action]")).await?;
    wait_data(&a, BACK, "state", "lost").await?;
    // Where it was last seen, photographed offline.
    take_photo(&a, BACK).await?;
    a.wait_for("[data-testid=key-alerts] [data-alert=lost]", LOAD)
        .await?;
    a.screenshot(shots.join("51-keys-handed-and-lost-offline.png"))
        .await?;

    // Back online: the guard confirms receipt on the other tablet.
    server.restart().await?;
    a.set_offline(false).await?;
    b.set_offline(false).await?;
    wait_badge(&a, "synced", LOAD).await?;
    wait_data(&b, FRONT, "state", "awaiting").await?;
    b.screenshot(shots.join("52-keys-awaiting-the-guard.png"))
        .await?;
    tap(&b, &format!("{FRONT} [data-action=confirm-receipt]")).await?;
    for t in [&a, &b] {
        wait_data(t, FRONT, "state", "in-use").await?;
        t.wait_until(
            &format!("document.querySelector(\"{FRONT}\").textContent.includes('持有人:安管岗')"),
            LOAD,
        )
        .await?;
    }
    let history = b
        .text(&format!("{FRONT} [data-testid=key-history]"))
        .await?;
    assert!(history.contains("(3)"), "{history}");
    // The lost key's photo reached the other tablet.
    b.wait_for(&format!("{BACK} .photo-thumb img"), LOAD)
        .await?;

    // In the morning the guard hands it back to the receptionist in
    // person: she confirms with her own PIN on the guard's tablet, and the
    // key goes straight to her, never "awaiting".
    tap(&b, &format!("{FRONT} [data-action=hand-over]")).await?;
    set_value(&b, &format!("{FRONT} [name=hand-to]"), "person:zhang").await?;
    tap(&b, &format!("{FRONT} [data-action=hand-over-in-person]")).await?;
    b.wait_for(
        &format!("[data-testid=co-sign] [data-co-person='{}']", STAFF.id),
        LOAD,
    )
    .await?;
    assert!(
        !b.exists(&format!(
            "[data-testid=co-sign] [data-co-person='{}']",
            LEADER.id
        ))
        .await?,
        "only the receiver confirms a hand-over to a person"
    );
    b.screenshot(shots.join("52b-keys-in-person.png")).await?;
    co_sign(&b, &STAFF).await?;
    for t in [&b, &a] {
        wait_data(t, FRONT, "state", "in-use").await?;
        t.wait_until(
            &format!("document.querySelector(\"{FRONT}\").textContent.includes('持有人:张伟')"),
            LOAD,
        )
        .await?;
    }
    let history = b
        .text(&format!("{FRONT} [data-testid=key-history]"))
        .await?;
    assert!(history.contains("(5)"), "{history}");

    // The desktop sees the lost key escalated and records the lock changed.
    let desk = Browser::desktop("keys-desk").await?;
    desktop_login(&desk, &base, "zhuguan", SUPERVISOR_PASSWORD).await?;
    desktop_tab(&desk, "keys").await?;
    desk.wait_for("[data-testid=key-alerts] [data-alert=lost]", LOAD)
        .await?;
    wait_data(&desk, BACK, "state", "lost").await?;
    let alert = desk.text("[data-testid=key-alerts]").await?;
    assert!(alert.contains("后门") && alert.contains("张伟"), "{alert}");
    wait_nav_count(
        &desk,
        "[data-testid=desktop-tabs]",
        "key-alert-count",
        Some("1"),
    )
    .await?;
    desk.screenshot(shots.join("53-keys-lost-on-the-desktop.png"))
        .await?;
    tap(&desk, &format!("{BACK} [data-action=change-lock]")).await?;
    desk.fill(&format!("{BACK} [name=key-text]"), "工程部已更换锁芯")
        .await?;
    tap(&desk, &format!("{BACK} [data-action=confirm-key-action]")).await?;
    wait_data(&desk, BACK, "state", "withdrawn").await?;
    for t in [&desk, &a] {
        wait_data(t, BACK, "state", "withdrawn").await?;
        t.wait_until(
            "document.querySelector('[data-testid=key-alerts] [data-alert=lost]') === null",
            LOAD,
        )
        .await?;
    }
    wait_nav_count(&desk, "[data-testid=desktop-tabs]", "key-alert-count", None).await?;
    desk.screenshot(shots.join("54-keys-lock-changed.png"))
        .await?;

    // A permit for today, typed in by the receptionist: late.
    show(&a, "#permits", "[data-testid=permits]").await?;
    tap(&a, "[data-action=apply-permit]").await?;
    a.fill("[name=company]", "安居装饰").await?;
    a.fill("[name=team-leader]", "李工").await?;
    a.fill("[name=phone]", "138 0000 1234").await?;
    a.fill("[name=scope]", "更换主卧墙纸").await?;
    set_value(&a, "[name=flat]", "demo-flat-a").await?;
    a.fill("[name=area]", "主卧").await?;
    set_value(&a, "[name=from]", "00:00").await?;
    set_value(&a, "[name=to]", "23:59").await?;
    set_value(&a, "[name=headcount]", "3").await?;
    a.screenshot(shots.join("60-permit-application.png"))
        .await?;
    tap(&a, "[data-action=submit-permit]").await?;
    let today_card = format!("[data-testid=permits-today] {PERMIT}");
    wait_data(&a, &today_card, "status", "applied").await?;
    a.wait_for("[data-testid=permit-alerts] [data-alert=late]", LOAD)
        .await?;
    assert!(
        a.exists(&format!("{PERMIT} [data-testid=applied-late]"))
            .await?
    );
    assert!(
        !a.exists(&format!("{PERMIT} [data-action=approve]")).await?,
        "staff do not approve"
    );
    a.screenshot(shots.join("61-permit-applied.png")).await?;

    // The supervisor approves it on the desktop.
    desktop_tab(&desk, "permits").await?;
    wait_data(&desk, PERMIT, "status", "applied").await?;
    tap(&desk, &format!("{PERMIT} [data-action=approve]")).await?;
    wait_data(&desk, PERMIT, "status", "approved").await?;
    desk.screenshot(shots.join("62-permit-approved-on-the-desktop.png"))
        .await?;

    // Security: 3 people in, 3 out with a × on the tools check.
    show(&b, "#permits", "[data-testid=permits]").await?;
    wait_data(&b, PERMIT, "status", "approved").await?;
    tap(&b, &format!("{PERMIT} [data-action=enter]")).await?;
    assert_eq!(
        b.eval(&format!(
            "return document.querySelector(\"{PERMIT} [name=people]\").value"
        ))
        .await?,
        "3"
    );
    tap(&b, &format!("{PERMIT} [data-action=confirm-permit-action]")).await?;
    wait_data(&b, PERMIT, "status", "on-site").await?;
    b.screenshot(shots.join("63-permit-on-site.png")).await?;
    tap(&b, &format!("{PERMIT} [data-action=exit]")).await?;
    tap(&b, &format!("{PERMIT} [data-tools=not-ok]")).await?;
    tap(&b, &format!("{PERMIT} [data-action=confirm-permit-action]")).await?;
    // A × needs a note: refused, nothing written.
    b.wait_for(&format!("{PERMIT} [role=alert]"), LOAD).await?;
    assert_eq!(
        b.eval(&format!(
            "return document.querySelector(\"{PERMIT}\").dataset.status"
        ))
        .await?,
        "on-site"
    );
    b.fill(&format!("{PERMIT} [name=tools-note]"), "梯子一把未带走")
        .await?;
    b.screenshot(shots.join("64-permit-exit-tools-x.png"))
        .await?;
    tap(&b, &format!("{PERMIT} [data-action=confirm-permit-action]")).await?;
    wait_data(&b, PERMIT, "status", "left").await?;
    b.wait_for("[data-testid=permit-alerts] [data-alert=tools]", LOAD)
        .await?;

    // The after-work sweep: an on-demand round, walked and finished.
    tap(&b, &format!("{PERMIT} [data-action=start-sweep]")).await?;
    b.wait_for(
        "[data-testid=round][data-round^='after-construction/']",
        LOAD,
    )
    .await?;
    for item in SWEEP_ITEMS {
        tap(&b, &format!("[data-item='{item}'] [data-action=normal]")).await?;
        wait_state(&b, item, "normal", LOAD).await?;
    }
    tap(&b, "[data-action=finish-round]").await?;
    b.wait_for("[data-testid=finished]", LOAD).await?;
    b.screenshot(shots.join("65-permit-sweep-walked.png"))
        .await?;
    show(&b, "#permits", "[data-testid=permits]").await?;
    wait_data(
        &b,
        &format!("{PERMIT} [data-testid=sweep]"),
        "finished",
        "true",
    )
    .await?;
    // The state the contractor left the place in.
    take_photo(&b, PERMIT).await?;
    assert!(
        !b.exists(&format!("{PERMIT} [data-action=close-permit]"))
            .await?,
        "a guard does not close"
    );

    // The team leader closes it; the desktop shows it closed.
    tap(&b, "[data-testid=switch-person]").await?;
    sign_in_to(&b, &LEADER, "[data-testid=permits]").await?;
    tap(&b, &format!("{PERMIT} [data-action=close-permit]")).await?;
    wait_data(&b, PERMIT, "status", "closed").await?;
    b.wait_until(
        "document.querySelector('[data-testid=permit-alerts] [data-alert=tools]') === null",
        LOAD,
    )
    .await?;
    wait_data(&desk, PERMIT, "status", "closed").await?;
    wait_data(
        &desk,
        &format!("{PERMIT} [data-testid=sweep]"),
        "finished",
        "true",
    )
    .await?;
    let history = desk
        .text(&format!("{PERMIT} [data-testid=permit-history]"))
        .await?;
    assert!(history.contains("(6)"), "{history}");
    desk.wait_for(&format!("{PERMIT} .photo-thumb img"), LOAD)
        .await?;
    desk.screenshot(shots.join("66-permit-closed-on-the-desktop.png"))
        .await?;
    Ok(())
}
