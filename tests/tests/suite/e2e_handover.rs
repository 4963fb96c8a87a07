//! Browser end to end, in headless Chromium: a shift hand-over (交接班,
//! issues 6 and 7). On the lobby tablet 张伟 writes a hand-over with two
//! new pending items; 陈静, the incoming person, co-signs on the same
//! tablet (her name and PIN, 张伟 stays signed in), marks the radios ×
//! and refuses with a reason. The refusal reaches the team leader's
//! agenda on the second tablet and the supervisor's desktop. 张伟 answers
//! with a note; 陈静 checks the rest and takes over, co-signed; both sign.
//! The desktop shows both signatures, and the supervisor signs the day's
//! review there. Then both tablets go offline: one marks a pending item
//! done while the other adds a note to it; after reconnecting both show it
//! done with the note. Last, the show flat's 《样板房交接班记录表》 is
//! written on one tablet and taken over and signed on the other.

use shiftbook_model::roster::Role;
use shiftbook_tests::browser::{Browser, BrowserResult, require_chromium};
use shiftbook_tests::e2e::{
    LEADER, LOAD, STAFF, app_dist, browser_today, co_sign, desktop_login, desktop_tab, enrol,
    enroll_all, screenshot_dir, sign_in_to, sign_in_to_agenda, take_photo, tap, wait_badge,
};
use shiftbook_tests::roster_seed::{Person, SUPERVISOR_PASSWORD, seed_roster};
use shiftbook_tests::server_process::{ServerOptions, ServerProcess};
use std::time::Duration;

/// The incoming person.
const INCOMING: Person<'static> = Person {
    id: "chen",
    name: "陈静",
    role: Role::Staff,
    pin: "3579",
    posts: &["lobby"],
};

/// 刘洋 works two posts, so two hand-over books.
const FRONT_DESK: Person<'static> = Person {
    id: "liu",
    name: "刘洋",
    role: Role::Staff,
    pin: "4680",
    posts: &["customer-service", "lobby"],
};

/// Wait until the (only) hand-over card shows `state`.
async fn wait_handover_state(b: &Browser, state: &str) -> BrowserResult<()> {
    b.wait_until(
        &format!("document.querySelector('[data-handover]')?.dataset.state === '{state}'"),
        LOAD,
    )
    .await
}

/// The text of the pending item whose text contains `needle`, and its id.
async fn pending_id(b: &Browser, needle: &str) -> BrowserResult<String> {
    b.wait_until(
        &format!(
            "[...document.querySelectorAll('[data-pending-item]')].some(e => e.textContent.includes('{needle}'))"
        ),
        LOAD,
    )
    .await?;
    let id = b
        .eval(&format!(
            "return [...document.querySelectorAll('[data-pending-item]')].find(e => e.textContent.includes('{needle}')).dataset.pendingItem;"
        ))
        .await?;
    Ok(id.as_str().unwrap_or_default().to_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hand_over_is_refused_answered_taken_over_and_signed_and_pending_items_merge_offline()
-> BrowserResult<()> {
    if !require_chromium("a_hand_over_is_refused") {
        return Ok(());
    }
    let shots = screenshot_dir();
    let data = tempfile::tempdir()?;
    let [token1, token2] = enroll_all(data.path(), ["大堂平板1", "大堂平板2"])?;
    let options = ServerOptions {
        app_dir: Some(app_dist()),
        ..ServerOptions::default()
    };
    let mut server = ServerProcess::start_with(data.path(), options).await?;
    seed_roster(
        &server,
        "demo",
        "zhuguan",
        &[STAFF, LEADER, INCOMING, FRONT_DESK],
    )
    .await?;
    let base = server.base_url();
    let a = Browser::tablet("handover-1").await?;
    let b = Browser::tablet("handover-2").await?;
    // The take-over deadline below is a minute: the tablet's and the
    // desktop's clocks move past it rather than the test waiting for it.
    a.install_movable_clock().await?;
    enrol(&a, &base, &token1).await?;
    enrol(&b, &base, &token2).await?;
    sign_in_to_agenda(&a, &STAFF).await?;
    let today = browser_today(&a).await?;

    // 张伟 opens the lobby book from the navigation rail and writes the
    // hand-over.
    tap(&a, "[data-action=handover][data-book=lobby]").await?;
    a.wait_for("[data-testid=handover][data-book=lobby]", LOAD)
        .await?;
    tap(&a, "[data-action=open-write]").await?;
    a.wait_for("[data-testid=write-handover]", LOAD).await?;
    a.fill(
        "[name=handover-summary]",
        "夜班巡查三次,大堂无异常;3栋电梯有异响,已报工程部",
    )
    .await?;
    for item in ["3栋电梯异响,待工程部回复", "1205业主快递未取"] {
        a.fill("[name=new-pending]", item).await?;
        tap(&a, "[data-action=add-pending]").await?;
    }
    a.wait_until(
        "document.querySelectorAll('[data-testid=new-pending]').length === 2",
        LOAD,
    )
    .await?;
    a.screenshot(shots.join("50-handover-write.png")).await?;
    tap(&a, "[data-action=write-handover]").await?;
    wait_handover_state(&a, "written").await?;
    a.wait_until(
        "document.querySelectorAll('[data-testid=pending-items] [data-pending-item][data-status=open]').length === 2
         && document.querySelectorAll('[data-handover] [data-pending]').length === 2",
        LOAD,
    )
    .await?;
    a.screenshot(shots.join("51-handover-written.png")).await?;

    // 陈静 takes the tablet: radios ×, and she refuses with a reason.
    tap(&a, "[data-equipment=keys] [data-action=eq-normal]").await?;
    tap(&a, "[data-equipment=radios] [data-action=eq-abnormal]").await?;
    a.wait_for("[data-equipment=radios] [name=equipment-note]", LOAD)
        .await?;
    // Refusing with an × unexplained and no reason is refused before
    // anyone is asked for a PIN.
    tap(&a, "[data-action=refuse]").await?;
    a.wait_until(
        "document.querySelector('[data-handover] [role=alert]')?.textContent.includes('须写明')",
        LOAD,
    )
    .await?;
    assert!(!a.exists("[data-testid=co-sign]").await?);
    a.fill("[data-equipment=radios] [name=equipment-note]", "少一台")
        .await?;
    a.fill("[name=take-over-reason]", "对讲机少一台,交班人未说明去向")
        .await?;
    tap(&a, "[data-action=refuse]").await?;
    a.wait_for("[data-testid=co-sign]", LOAD).await?;
    assert!(
        !a.exists(&format!("[data-co-person='{}']", STAFF.id))
            .await?,
        "the outgoing person cannot confirm for the incoming one"
    );
    tap(&a, &format!("[data-co-person='{}']", INCOMING.id)).await?;
    a.screenshot(shots.join("52-handover-co-sign.png")).await?;
    co_sign(&a, &INCOMING).await?;
    wait_handover_state(&a, "refused").await?;
    let refusal = a.text("[data-testid=refusal]").await?;
    assert!(
        refusal.contains("陈静") && refusal.contains("对讲机少一台"),
        "{refusal}"
    );
    a.wait_for("[data-testid=handover-alerts] [data-kind=refused]", LOAD)
        .await?;
    assert!(a.text("[data-testid=person]").await?.contains("张伟"));
    let radios = a
        .eval(
            "const e = document.querySelector('[data-equipment=radios]');
             return [e.dataset.state, e.querySelector('[name=equipment-note]').value, e.textContent];",
        )
        .await?;
    assert_eq!(
        (&radios[0], &radios[1]),
        (&"abnormal".into(), &"少一台".into())
    );
    assert!(
        radios[2].as_str().unwrap_or_default().contains("陈静"),
        "{radios}"
    );
    // A photo of the × (what is there instead of the second radio).
    take_photo(&a, "[data-equipment=radios]").await?;
    assert!(
        !a.exists("[data-equipment=keys] [data-testid=photos]")
            .await?,
        "a ✓ takes no photo"
    );
    a.eval("window.scrollTo(0, 0)").await?;
    a.screenshot(shots.join("53-handover-refused.png")).await?;

    // The refusal reaches the leader's agenda and the supervisor's desktop.
    sign_in_to_agenda(&b, &LEADER).await?;
    b.wait_for("[data-testid=handover-alerts] [data-kind=refused]", LOAD)
        .await?;
    let alert = b.text("[data-testid=handover-alert]").await?;
    assert!(alert.contains("对讲机少一台"), "{alert}");
    b.screenshot(shots.join("54-handover-leader-agenda.png"))
        .await?;
    let desk = Browser::desktop("handover-desk").await?;
    desk.install_movable_clock().await?;
    desktop_login(&desk, &base, "zhuguan", SUPERVISOR_PASSWORD).await?;
    desktop_tab(&desk, "handovers").await?;
    desk.wait_until(
        "document.querySelector(\"[data-testid=handovers-desk] [data-book=lobby] [data-kind=refused]\")?.textContent.includes('对讲机少一台')",
        LOAD,
    )
    .await?;
    desk.screenshot(shots.join("55-handover-desk-refused.png"))
        .await?;

    // 张伟 answers; 陈静 checks everything and takes over; both sign.
    a.fill("[name=handover-note]", "另一台对讲机在监控室充电,已取回")
        .await?;
    tap(&a, "[data-action=handover-note]").await?;
    a.wait_for("[data-testid=handover-note]", LOAD).await?;
    a.eval(
        "document.querySelectorAll('[data-equipment] [data-action=eq-normal]').forEach(b => b.click())",
    )
    .await?;
    a.fill("[name=take-over-reason]", "已核实").await?;
    tap(&a, "[data-action=accept]").await?;
    co_sign(&a, &INCOMING).await?;
    wait_handover_state(&a, "accepted").await?;
    assert_eq!(
        a.eval("return document.querySelector('[data-testid=refusal]').dataset.answered")
            .await?,
        "true"
    );
    tap(&a, "[data-action=sign-outgoing]").await?;
    tap(&a, "[data-action=confirm-sign-outgoing]").await?;
    a.wait_for(
        "[data-capacity=handover-outgoing] [data-testid=signature]",
        LOAD,
    )
    .await?;
    tap(&a, "[data-action=sign-incoming]").await?;
    tap(&a, "[data-action=confirm-sign-incoming]").await?;
    co_sign(&a, &INCOMING).await?;
    wait_handover_state(&a, "signed").await?;
    let incoming = a
        .text("[data-capacity=handover-incoming] [data-testid=signature]")
        .await?;
    assert!(incoming.contains("陈静"), "{incoming}");
    assert!(
        !a.exists("[data-testid=handover-alerts]").await?,
        "no alert once taken over"
    );
    a.screenshot(shots.join("56-handover-signed.png")).await?;

    // The desktop shows both signatures; the supervisor signs the review.
    desk.wait_until(
        "(() => { const t = document.querySelector(\"[data-testid=handovers-desk] [data-book=lobby] [data-testid=desk-signatures]\")?.textContent ?? '';
                  return t.includes('张伟') && t.includes('陈静'); })()",
        LOAD,
    )
    .await?;
    assert!(
        !desk
            .exists("[data-testid=handovers-desk] [data-book=lobby] [data-kind=refused]")
            .await?
    );
    tap(
        &desk,
        "[data-book=lobby] [data-testid=handover-review] [data-action=sign-off]",
    )
    .await?;
    tap(
        &desk,
        "[data-book=lobby] [data-testid=handover-review] [data-action=confirm-sign]",
    )
    .await?;
    desk.wait_for(
        "[data-book=lobby] [data-testid=handover-review] [data-testid=signature]",
        LOAD,
    )
    .await?;
    desk.screenshot(shots.join("57-handover-desk-signed.png"))
        .await?;

    // 刘洋 works customer service and the lobby: the hand-over screen
    // switches between her two books.
    b.click("[data-testid=switch-person]").await?;
    sign_in_to(&b, &FRONT_DESK, "[data-testid=nav-rail]").await?;
    tap(&b, "[data-action=handover][data-book=lobby]").await?;
    b.wait_for("[data-testid=book-switcher]", LOAD).await?;
    let options = b
        .eval(
            "return [...document.querySelectorAll('[data-action=switch-book]')]\
             .map(x => [x.dataset.option, x.getAttribute('aria-current')])",
        )
        .await?;
    assert_eq!(
        options,
        serde_json::json!([["lobby", "page"], ["cs-control-room", null]])
    );
    tap(&b, "[data-action=switch-book][data-option=cs-control-room]").await?;
    b.wait_for("[data-testid=handover][data-book=cs-control-room]", LOAD)
        .await?;
    b.wait_for(
        "[data-action=switch-book][data-option=cs-control-room][aria-current=page]",
        LOAD,
    )
    .await?;
    b.screenshot(shots.join("57b-handover-book-switcher.png"))
        .await?;
    b.click("[data-testid=switch-person]").await?;
    sign_in_to(&b, &LEADER, "[data-testid=nav-rail]").await?;

    // Offline: A marks the lift done while B adds a note to it.
    tap(&b, "[data-action=handover][data-book=lobby]").await?;
    let lift = pending_id(&b, "3栋电梯异响").await?;
    assert_eq!(lift, pending_id(&a, "3栋电梯异响").await?);
    let row = format!("[data-testid=pending-items] [data-pending-item='{lift}']");
    a.set_offline(true).await?;
    b.set_offline(true).await?;
    server.kill()?;
    wait_badge(&a, "offline", LOAD).await?;
    wait_badge(&b, "offline", LOAD).await?;
    a.fill(&format!("{row} [name=pending-action]"), "工程部已修好电梯")
        .await?;
    tap(&a, &format!("{row} [data-action=pending-done]")).await?;
    a.wait_until(
        &format!("document.querySelector(\"{row}\")?.dataset.status === 'done'"),
        LOAD,
    )
    .await?;
    b.fill(&format!("{row} [name=pending-note]"), "工程部说明天上午来")
        .await?;
    tap(&b, &format!("{row} [data-action=pending-note]")).await?;
    b.wait_for(&format!("{row} [data-testid=pending-note]"), LOAD)
        .await?;
    assert_eq!(
        b.eval(&format!(
            "return document.querySelector(\"{row}\").dataset.status"
        ))
        .await?,
        "open",
        "B has not seen A's change"
    );

    server.restart().await?;
    a.set_offline(false).await?;
    b.set_offline(false).await?;
    for t in [&a, &b] {
        wait_badge(t, "synced", LOAD).await?;
        t.wait_until(
            &format!(
                "(() => {{ const e = document.querySelector(\"{row}\");
                   return e?.dataset.status === 'done'
                     && e.querySelector('[data-testid=pending-note]')?.textContent.includes('工程部说明天上午来')
                     && e.querySelector('[data-testid=pending-done]')?.textContent.includes('工程部已修好电梯'); }})()"
            ),
            LOAD,
        )
        .await?;
        // The other item is still open, carried to the next hand-over.
        t.wait_until(
            "document.querySelectorAll('[data-testid=pending-items] [data-pending-item][data-status=open]').length === 1",
            LOAD,
        )
        .await?;
    }
    for (t, shot) in [
        (&a, "58-handover-merged-a.png"),
        (&b, "59-handover-merged-b.png"),
    ] {
        t.eval("document.querySelector('[data-testid=pending-items]').scrollIntoView()")
            .await?;
        t.screenshot(shots.join(shot)).await?;
    }

    // The show flat's record: written on A, taken over and signed on B
    // (李娜 signed in there acts as herself, no co-signing).
    for t in [&a, &b] {
        t.eval(&format!("location.hash = '#handover/show-flat/{today}'"))
            .await?;
        t.wait_for("[data-testid=handover][data-book=show-flat]", LOAD)
            .await?;
    }
    assert!(
        a.text("[data-testid=pending-items]")
            .await?
            .contains("没有未完成的遗留事项"),
        "each book has its own pending items"
    );
    tap(&a, "[data-action=open-write]").await?;
    a.fill("[name=handover-summary]", "上午接待 12 批客户,物品齐全")
        .await?;
    tap(&a, "[data-action=write-handover]").await?;
    wait_handover_state(&a, "written").await?;
    wait_handover_state(&b, "written").await?;
    b.wait_for("[data-equipment=flat-keys]", LOAD).await?;
    b.eval(
        "document.querySelectorAll('[data-equipment] [data-action=eq-normal]').forEach(b => b.click())",
    )
    .await?;
    tap(&b, "[data-action=accept]").await?;
    wait_handover_state(&b, "accepted").await?;
    tap(&b, "[data-action=sign-incoming]").await?;
    tap(&b, "[data-action=confirm-sign-incoming]").await?;
    wait_handover_state(&a, "accepted").await?;
    a.wait_for(
        "[data-capacity=handover-incoming] [data-testid=signature]",
        LOAD,
    )
    .await?;
    tap(&a, "[data-action=sign-outgoing]").await?;
    tap(&a, "[data-action=confirm-sign-outgoing]").await?;
    for t in [&a, &b] {
        wait_handover_state(t, "signed").await?;
    }
    let flat = b.text("[data-handover]").await?;
    assert!(
        flat.contains("样板房钥匙") && flat.contains("张伟") && flat.contains("李娜"),
        "{flat}"
    );
    b.screenshot(shots.join("60-handover-flat-signed.png"))
        .await?;
    // The same record in English.
    tap(&b, "[data-testid=lang-switch]").await?;
    b.wait_until(
        "document.querySelector('[data-handover] [data-testid=handover-state]')?.textContent === 'Signed by both'",
        LOAD,
    )
    .await?;
    b.eval("document.querySelector('[data-handover] .ho-signatures').scrollIntoView()")
        .await?;
    b.screenshot(shots.join("61-handover-flat-english.png"))
        .await?;

    // The site allows one minute to take over (a per-site setting): a
    // hand-over left alone that long is raised on the desktop and on the
    // tablets' agenda.
    desktop_tab(&desk, "settings").await?;
    let take_over = "[data-setting=handover_take_over_minutes]";
    desk.wait_for(&format!("{take_over} input"), LOAD).await?;
    desk.fill(&format!("{take_over} input"), "1").await?;
    desk.click(&format!("{take_over} [data-action=save-setting]"))
        .await?;
    desk.wait_for("[data-testid=setting-saved]", LOAD).await?;
    wait_badge(&desk, "synced", LOAD).await?;
    a.eval(&format!("location.hash = '#handover/lobby/{today}'"))
        .await?;
    a.wait_for("[data-testid=handover][data-book=lobby]", LOAD)
        .await?;
    tap(&a, "[data-action=open-write]").await?;
    a.fill("[name=handover-summary]", "中班无异常").await?;
    tap(&a, "[data-action=write-handover]").await?;
    a.wait_until(
        "document.querySelectorAll('[data-handover]').length === 2",
        LOAD,
    )
    .await?;
    desktop_tab(&desk, "handovers").await?;
    // A minute and ten seconds pass (on both clocks); the desktop sees it at
    // its next 15 s refresh.
    let past_the_minute = Duration::from_secs(70);
    a.move_clock(past_the_minute).await?;
    desk.move_clock(past_the_minute).await?;
    desk.wait_until(
        "document.querySelector(\"[data-testid=handovers-desk] [data-book=lobby] [data-kind=late]\")?.textContent.includes('1 分钟后仍未接班')",
        Duration::from_secs(40),
    )
    .await?;
    a.eval("location.hash = '#agenda'").await?;
    a.wait_until(
        "document.querySelector('[data-testid=handover-alerts] [data-kind=late][data-book=lobby]')?.textContent.includes('1 分钟后仍未接班')",
        LOAD,
    )
    .await?;
    desk.screenshot(shots.join("62-handover-desk-not-taken-over.png"))
        .await?;

    // The site keeps an AED at the lobby desk: the supervisor adds it to
    // the lobby book's check list (Chinese only), and the hand-over
    // waiting to be taken over on the tablet asks for it.
    let editor = "[data-testid=equipment-editor][data-book=lobby]";
    desk.click(&format!("{editor} summary")).await?;
    desk.click(&format!("{editor} [data-action=add-equipment]"))
        .await?;
    desk.eval(&format!(
        "const inputs = document.querySelectorAll('{editor} [name=equipment-zh]');
         const last = inputs[inputs.length - 1];
         last.value = 'AED 除颤仪';
         last.dispatchEvent(new Event('input', {{ bubbles: true }}));"
    ))
    .await?;
    desk.click(&format!("{editor} [data-action=save-equipment]"))
        .await?;
    desk.wait_for(&format!("{editor} [data-testid=equipment-saved]"), LOAD)
        .await?;
    wait_badge(&desk, "synced", LOAD).await?;
    desk.eval(&format!(
        "document.querySelector('{editor}').scrollIntoView()"
    ))
    .await?;
    desk.screenshot(shots.join("63-handover-equipment-list.png"))
        .await?;
    a.eval(&format!("location.hash = '#handover/lobby/{today}'"))
        .await?;
    a.wait_until(
        "[...document.querySelectorAll('[data-handover][data-state=written] [data-equipment]')].some(e => e.textContent.includes('AED 除颤仪'))",
        LOAD,
    )
    .await?;
    a.eval("document.querySelector('[data-handover][data-state=written] [data-testid=equipment]').scrollIntoView()")
        .await?;
    a.screenshot(shots.join("64-handover-new-equipment-on-tablet.png"))
        .await?;
    Ok(())
}
