//! Browser end to end, in headless Chromium: two tablets (separate profiles)
//! enrolled on the demo site mark the lobby opening checklist while the
//! network is off, reload while still offline, and after the network comes
//! back both show the union within 5 s — and so does the server's copy.
//!
//! "Offline" is both CDP network emulation on each page and the server
//! process killed: Chromium does not apply CDP emulation to a service
//! worker's own fetches, so only a dead server proves the app shell really
//! comes from the service worker's cache. The server restarts on the same
//! address, as a site's server does after an outage.
//!
//! Also on one tablet: a mark survives a tab crash and a browser restart,
//! and two tabs of one tablet offline each keep and see the other's marks.

use serde_json::json;
use shiftbook_model::DocumentId;
use shiftbook_model::checklist::{Checklist, ItemState, Status};
use shiftbook_tests::browser::{Browser, BrowserResult, require_chromium};
use shiftbook_tests::e2e::{
    LEADER, LOAD, STAFF, badge, enrol, enroll_all, item, mark_abnormal_with_note, open_lobby_round,
    screenshot_dir, serve_app, sign_in, stored_photo, wait_badge, wait_state,
};
use shiftbook_tests::native_tablet::{NativeTablet, TokenVia};
use shiftbook_tests::roster_seed::SUPERVISOR_PASSWORD;
use shiftbook_tests::rounds::LOBBY_SLOT;
use shiftbook_tests::server_process::{ServerProcess, enroll};
use std::time::{Duration, Instant};

/// A server with the demo roster, two enrolled tablets 大堂平板1 (`a`) and
/// 大堂平板2 (`b`), and the token of a third device for probing the
/// server's copy.
struct Site {
    _data: tempfile::TempDir,
    server: ServerProcess,
    base: String,
    a: Browser,
    b: Browser,
    probe_token: String,
}

async fn two_tablets(label: &str) -> BrowserResult<Site> {
    let data = tempfile::tempdir()?;
    let [token1, token2, probe_token] =
        enroll_all(data.path(), ["大堂平板1", "大堂平板2", "检查用探针"])?;
    let server = serve_app(data.path()).await?;
    let base = server.base_url();
    let a = Browser::tablet(&format!("{label}-1")).await?;
    let b = Browser::tablet(&format!("{label}-2")).await?;
    enrol(&a, &base, &token1).await?;
    enrol(&b, &base, &token2).await?;
    Ok(Site {
        _data: data,
        server,
        base,
        a,
        b,
        probe_token,
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_tablets_mark_offline_reload_and_merge_on_reconnect() -> BrowserResult<()> {
    if !require_chromium("two_tablets_mark_offline_reload_and_merge_on_reconnect") {
        return Ok(());
    }
    let shots = screenshot_dir();
    let Site {
        _data,
        mut server,
        base,
        a,
        b,
        probe_token,
    } = two_tablets("tablet").await?;
    sign_in(&a, &STAFF).await?;
    sign_in(&b, &LEADER).await?;
    let doc_a = a
        .eval("return document.querySelector('[data-testid=round]').dataset.doc")
        .await?;
    let doc_b = b
        .eval("return document.querySelector('[data-testid=round]').dataset.doc")
        .await?;
    assert_eq!(
        doc_a, doc_b,
        "both tablets must open the same round document"
    );
    let doc_id: DocumentId = doc_a.as_str().unwrap_or_default().parse()?;
    a.screenshot(shots.join("01-tablet-online.png")).await?;

    // The network goes away: both pages offline, and the server is down.
    a.set_offline(true).await?;
    b.set_offline(true).await?;
    server.kill()?;
    wait_badge(&a, "offline", LOAD).await?;
    wait_badge(&b, "offline", LOAD).await?;

    a.click(&format!("{} [data-action=normal]", item("doors")))
        .await?;
    mark_abnormal_with_note(&a, "lifts", "2号梯异响").await?;
    b.click(&format!("{} [data-action=normal]", item("toilets")))
        .await?;
    b.click(&format!("{} [data-action=abnormal]", item("plants")))
        .await?;
    for (t, id, s) in [
        (&a, "doors", "normal"),
        (&a, "lifts", "abnormal"),
        (&b, "toilets", "normal"),
        (&b, "plants", "abnormal"),
    ] {
        wait_state(t, id, s, LOAD).await?;
    }
    // Two marks each, and each × opened its follow-up: a change to the
    // month's board and one to the open index.
    assert_eq!(badge(&a).await?, ("offline".into(), "4".into()));
    assert_eq!(badge(&b).await?, ("offline".into(), "4".into()));
    a.screenshot(shots.join("02-tablet-offline-marked.png"))
        .await?;

    // Reload while offline: the shell comes from the service worker's cache,
    // the marks from the tablet's storage, and the unsynced count survives.
    a.reload().await?;
    b.reload().await?;
    for t in [&a, &b] {
        t.wait_for("[data-testid=round]", LOAD).await?;
    }
    wait_state(&a, "doors", "normal", LOAD).await?;
    wait_state(&a, "lifts", "abnormal", LOAD).await?;
    wait_state(&b, "toilets", "normal", LOAD).await?;
    wait_state(&b, "plants", "abnormal", LOAD).await?;
    wait_state(&a, "toilets", "unmarked", LOAD).await?;
    wait_state(&b, "doors", "unmarked", LOAD).await?;
    assert_eq!(badge(&a).await?, ("offline".into(), "4".into()));
    assert_eq!(badge(&b).await?, ("offline".into(), "4".into()));
    b.screenshot(shots.join("03-tablet-reloaded-offline.png"))
        .await?;

    // The network comes back.
    server.restart().await?;
    assert_eq!(
        server.base_url(),
        base,
        "the server restarts on its address"
    );
    a.set_offline(false).await?;
    b.set_offline(false).await?;
    let back = Instant::now();
    let union = [
        ("doors", "normal"),
        ("lifts", "abnormal"),
        ("toilets", "normal"),
        ("plants", "abnormal"),
    ];
    let budget = Duration::from_secs(5);
    for t in [&a, &b] {
        for (id, s) in union {
            let left = budget.saturating_sub(back.elapsed());
            wait_state(t, id, s, left).await?;
        }
        wait_badge(t, "synced", budget.saturating_sub(back.elapsed())).await?;
    }
    let took = back.elapsed();
    println!("both tablets showed the union {took:?} after reconnecting");
    assert!(took <= budget);
    assert_eq!(badge(&a).await?, ("synced".into(), "0".into()));
    a.screenshot(shots.join("04-tablet-1-merged.png")).await?;
    b.screenshot(shots.join("05-tablet-2-merged.png")).await?;

    // The round's history: closed, it counts every mark of both tablets
    // without listing them; opened, it lists each one.
    let history = "[data-testid=history]";
    let summary = a.text(&format!("{history} summary")).await?;
    let counted: u64 = summary
        .rsplit_once('(')
        .and_then(|(_, n)| n.trim_end_matches(')').trim().parse().ok())
        .ok_or_else(|| format!("no count in the history's summary {summary:?}"))?;
    assert!(counted >= 4, "{summary}");
    assert!(!a.exists(&format!("{history} .history-entry")).await?);
    a.click(&format!("{history} summary")).await?;
    a.wait_for(&format!("{history} .history-entry"), LOAD)
        .await?;
    let listed = a
        .eval(
            "return [...document.querySelectorAll('[data-testid=history] .history-entry .device')]\
             .map(e => e.textContent)",
        )
        .await?;
    let listed: Vec<String> = serde_json::from_value(listed)?;
    assert_eq!(listed.len() as u64, counted, "{summary}: {listed:?}");
    assert!(listed.iter().any(|d| d == "大堂平板1") && listed.iter().any(|d| d == "大堂平板2"));
    a.screenshot(shots.join("04b-round-history-open.png"))
        .await?;

    // The server's copy has the union too.
    let probe = NativeTablet::connect(server.addr(), &probe_token, TokenVia::Query).await?;
    probe.want(doc_id);
    probe
        .wait_until("the server's copy of the round", LOAD, |c| {
            c.doc(&doc_id)
                .and_then(|d| Checklist::new(d).ok()?.marked_count(LOBBY_SLOT).ok())
                == Some(4)
        })
        .await?;
    let doc = probe.doc(doc_id).ok_or("probe lost the document")?;
    let view = Checklist::new(&doc)?;
    for (id, s) in union {
        let want = if s == "normal" {
            Status::Normal
        } else {
            Status::Abnormal
        };
        match view.item_state(LOBBY_SLOT, id)? {
            ItemState::Marked(m) => assert_eq!(m.status, want, "{id}"),
            other => panic!("{id}: {other:?}"),
        }
    }
    let devices: Vec<String> = view.history()?.into_iter().map(|m| m.device).collect();
    assert!(devices.contains(&"大堂平板1".to_owned()) && devices.contains(&"大堂平板2".to_owned()));
    Ok(())
}

/// A mark made offline survives the tab crashing right after the tap and
/// the browser being closed and opened again, still offline; it reaches
/// the server once the network is back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_offline_mark_survives_a_tab_crash_and_a_browser_restart() -> BrowserResult<()> {
    if !require_chromium("an_offline_mark_survives_a_tab_crash_and_a_browser_restart") {
        return Ok(());
    }
    let shots = screenshot_dir();
    let data = tempfile::tempdir()?;
    let [token] = enroll_all(data.path(), ["大堂平板1"])?;
    let mut server = serve_app(data.path()).await?;
    let base = server.base_url();
    let t = Browser::tablet("crashy").await?;
    enrol(&t, &base, &token).await?;
    sign_in(&t, &STAFF).await?;

    t.set_offline(true).await?;
    server.kill()?;
    wait_badge(&t, "offline", LOAD).await?;
    t.click(&format!("{} [data-action=note]", item("lifts")))
        .await?;
    t.fill(
        &format!("{} [data-testid=note]", item("lifts")),
        "2号梯门异响",
    )
    .await?;
    // A crashed tab takes no more commands, so open a spare tab first.
    let spare = t.client().new_window(true).await?;
    t.click(&format!("{} [data-action=abnormal]", item("lifts")))
        .await?;
    // Crash the tab's renderer at once: no time for anything but what the
    // tap itself did.
    let _ = t.cdp("Page.crash", json!({})).await;
    assert!(
        t.eval("return 1").await.is_err(),
        "the tab should have crashed"
    );
    t.client().switch_to_window(spare.handle).await?;
    t.goto(&format!("{base}/")).await?;
    open_lobby_round(&t).await?;
    wait_state(&t, "lifts", "abnormal", LOAD).await?;
    assert!(
        t.text(&format!("{} .saved-note", item("lifts")))
            .await?
            .contains("2号梯门异响")
    );
    // The × and the follow-up it opened (board and index).
    assert_eq!(badge(&t).await?, ("offline".into(), "3".into()));

    // Close the browser and open it again, still without a network.
    let t = t.restart().await?;
    t.goto(&format!("{base}/")).await?;
    // The agenda knows the round was begun.
    let today = shiftbook_tests::e2e::browser_today(&t).await?;
    t.wait_for(
        &format!("[data-round='lobby-opening/{today}/0830'][data-state=in-progress]"),
        LOAD,
    )
    .await?;
    open_lobby_round(&t).await?;
    wait_state(&t, "lifts", "abnormal", LOAD).await?;
    assert_eq!(badge(&t).await?, ("offline".into(), "3".into()));
    t.screenshot(shots.join("06-after-crash-and-restart-offline.png"))
        .await?;

    // Back online: the mark reaches the server.
    server.restart().await?;
    t.set_offline(false).await?;
    wait_badge(&t, "synced", LOAD).await?;
    assert_eq!(badge(&t).await?, ("synced".into(), "0".into()));

    // The English switch, remembered across a reload.
    assert!(t.text(".summary h1").await?.contains("大堂开班巡查"));
    t.click("[data-testid=lang-switch]").await?;
    t.wait_until(
        "document.querySelector('.summary h1')?.textContent.includes('Lobby opening inspection')",
        LOAD,
    )
    .await?;
    // The rows kept in place follow too: areas and labels.
    assert_eq!(
        t.text(".items h2.area").await?.trim(),
        "Entrance and escalators"
    );
    assert!(
        t.text("article[data-item=doors] h3.label")
            .await?
            .contains("Doors open and close normally")
    );
    t.reload().await?;
    t.wait_until(
        "document.querySelector('.summary h1')?.textContent.includes('Lobby opening inspection')",
        LOAD,
    )
    .await?;
    t.screenshot(shots.join("07-english.png")).await?;
    Ok(())
}

/// Issue 4 on tablets: people sign in offline with their PIN (a wrong PIN
/// is refused), the team leader signs the round off offline, another
/// tablet marks an item concurrently, and after reconnecting both tablets —
/// and the server's copy — show that item as added after signing, by whom.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_after_the_leaders_signature_shows_as_added_after_signing() -> BrowserResult<()> {
    if !require_chromium("a_change_after_the_leaders_signature_shows_as_added_after_signing") {
        return Ok(());
    }
    let shots = screenshot_dir();
    let Site {
        _data,
        mut server,
        base,
        a,
        b,
        probe_token,
    } = two_tablets("sign").await?;

    // Everything below until the restart happens with no network at all.
    a.set_offline(true).await?;
    b.set_offline(true).await?;
    server.kill()?;
    wait_badge(&a, "offline", LOAD).await?;

    // A wrong PIN is refused with a clear message.
    b.click(&format!("[data-person='{}']", STAFF.id)).await?;
    for d in "9999".chars() {
        b.click(&format!("[data-digit='{d}']")).await?;
    }
    b.click("[data-action=sign-in]").await?;
    b.wait_for("[data-testid=sign-in-error]", LOAD).await?;
    assert!(
        b.text("[data-testid=sign-in-error]")
            .await?
            .contains("PIN码错误")
    );
    assert!(!b.exists("[data-testid=round]").await?);
    b.click("[data-testid=pin-panel] .ghost-dark").await?;

    sign_in(&a, &STAFF).await?;
    assert!(a.text("[data-testid=person]").await?.contains("张伟"));
    assert!(
        !a.exists("[data-action=sign-off]").await?,
        "staff cannot sign off"
    );
    a.click(&format!("{} [data-action=normal]", item("doors")))
        .await?;
    mark_abnormal_with_note(&a, "lifts", "2号梯异响").await?;
    assert!(
        a.text(&format!("{} .attribution", item("doors")))
            .await?
            .contains("由 张伟 于")
    );

    // Switching person is two taps; the leader signs the round off.
    a.click("[data-testid=switch-person]").await?;
    sign_in(&a, &LEADER).await?;
    a.click("[data-action=sign-off]").await?;
    a.click("[data-action=confirm-sign]").await?;
    a.wait_for("[data-testid=signature]", LOAD).await?;
    assert!(
        a.text("[data-testid=signature]")
            .await?
            .contains("李娜(领班)")
    );
    assert!(!a.exists("[data-testid=after-signing]").await?);

    // Meanwhile, offline too, the other tablet marks an item.
    sign_in(&b, &STAFF).await?;
    b.click(&format!("{} [data-action=normal]", item("toilets")))
        .await?;
    wait_state(&b, "toilets", "normal", LOAD).await?;

    server.restart().await?;
    a.set_offline(false).await?;
    b.set_offline(false).await?;
    for t in [&a, &b] {
        t.wait_for("[data-testid=after-signing] [data-item='toilets']", LOAD)
            .await?;
        t.wait_for(
            &format!("{} [data-testid=after-signing-tag]", item("toilets")),
            LOAD,
        )
        .await?;
        assert!(t.text("[data-testid=signature]").await?.contains("李娜"));
        let line = t
            .text("[data-testid=after-signing] [data-item='toilets']")
            .await?;
        assert!(
            line.contains("张伟") && line.contains("大堂平板2"),
            "{line}"
        );
        wait_state(t, "lifts", "abnormal", LOAD).await?;
    }
    a.screenshot(shots.join("08-added-after-signing.png"))
        .await?;
    b.screenshot(shots.join("09-added-after-signing-other-tablet.png"))
        .await?;

    // The server's copy says the same.
    let doc_id: DocumentId = a
        .eval("return document.querySelector('[data-testid=round]').dataset.doc")
        .await?
        .as_str()
        .unwrap_or_default()
        .parse()?;
    let probe = NativeTablet::connect(server.addr(), &probe_token, TokenVia::Query).await?;
    probe.want(doc_id);
    probe
        .wait_until("the server's copy with the signature", LOAD, |c| {
            c.doc(&doc_id)
                .and_then(|d| shiftbook_model::signature::signatures(d).ok())
                .is_some_and(|s| s.len() == 1)
                && c.doc(&doc_id)
                    .and_then(|d| Checklist::new(d).ok()?.marked_count(LOBBY_SLOT).ok())
                    == Some(3)
        })
        .await?;
    let doc = probe.doc(doc_id).ok_or("probe lost the document")?;
    let sig = &shiftbook_model::signature::signatures(&doc)?[0];
    let after = shiftbook_model::signature::changes_after(&doc, sig)?;
    assert_eq!(after.len(), 1, "{after:?}");
    let who = after[0].attribution.as_ref().ok_or("unattributed")?;
    assert_eq!(
        (who.person.as_str(), who.device.as_str()),
        ("张伟", "大堂平板2")
    );

    // The supervisor's desktop shows it too.
    let desk = Browser::desktop("supervisor").await?;
    desk.goto(&format!("{base}/supervisor")).await?;
    desk.wait_for("[data-testid=supervisor-login]", LOAD)
        .await?;
    desk.fill("input[name=user]", "wrong-user").await?;
    desk.fill("input[name=password]", "not the password")
        .await?;
    desk.click("[data-action=login]").await?;
    desk.wait_for("[data-testid=login-error]", LOAD).await?;
    desk.fill("input[name=user]", "zhuguan").await?;
    desk.fill("input[name=password]", SUPERVISOR_PASSWORD)
        .await?;
    desk.click("[data-action=login]").await?;
    open_lobby_round(&desk).await?;
    desk.wait_for("[data-testid=after-signing] [data-item='toilets']", LOAD)
        .await?;
    assert!(desk.text("[data-testid=signature]").await?.contains("李娜"));
    let line = desk
        .text("[data-testid=after-signing] [data-item='toilets']")
        .await?;
    assert!(
        line.contains("张伟") && line.contains("大堂平板2"),
        "{line}"
    );
    assert!(desk.text("[data-testid=person]").await?.contains("zhuguan"));
    desk.screenshot(shots.join("10-supervisor-desktop.png"))
        .await?;
    Ok(())
}

/// A tablet revoked while it held unsynced marks: once back online it says
/// the server refuses it, keeps every mark, and syncs them as soon as it is
/// enrolled again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_tablet_keeps_its_unsynced_marks_and_syncs_them_after_re_enrolment()
-> BrowserResult<()> {
    if !require_chromium("a_revoked_tablet_keeps_its_unsynced_marks") {
        return Ok(());
    }
    let data = tempfile::tempdir()?;
    let [token, probe_token] = enroll_all(data.path(), ["大堂平板1", "检查用探针"])?;
    let mut server = serve_app(data.path()).await?;
    let base = server.base_url();
    let t = Browser::tablet("revoked").await?;
    enrol(&t, &base, &token).await?;
    sign_in(&t, &STAFF).await?;

    t.set_offline(true).await?;
    server.kill()?;
    wait_badge(&t, "offline", LOAD).await?;
    t.click(&format!("{} [data-action=abnormal]", item("plants")))
        .await?;
    wait_state(&t, "plants", "abnormal", LOAD).await?;

    // While the tablet is away, the office revokes it.
    shiftbook_tests::server_process::revoke(data.path(), "大堂平板1")?;
    server.restart().await?;
    t.set_offline(false).await?;
    t.wait_for("[data-testid=device-refused]", LOAD).await?;
    assert_eq!(
        badge(&t).await?.1,
        "3",
        "the mark is still waiting, not lost"
    );
    wait_state(&t, "plants", "abnormal", LOAD).await?;

    // Enrolled again (a new link), the same browser syncs what it kept.
    let again = enroll(data.path(), "demo", "大堂平板1")?;
    t.goto(&format!("{base}/enroll#token={again}")).await?;
    open_lobby_round(&t).await?;
    wait_badge(&t, "synced", LOAD).await?;
    wait_state(&t, "plants", "abnormal", LOAD).await?;
    assert!(!t.exists("[data-testid=device-refused]").await?);

    let doc_id: DocumentId = t
        .eval("return document.querySelector('[data-testid=round]').dataset.doc")
        .await?
        .as_str()
        .unwrap_or_default()
        .parse()?;
    let probe = NativeTablet::connect(server.addr(), &probe_token, TokenVia::Query).await?;
    probe.want(doc_id);
    probe
        .wait_until("the kept mark on the server", LOAD, |c| {
            c.doc(&doc_id)
                .and_then(|d| {
                    Checklist::new(d)
                        .ok()?
                        .item_state(LOBBY_SLOT, "plants")
                        .ok()
                })
                .is_some_and(|s| matches!(s, ItemState::Marked(m) if m.status == Status::Abnormal))
        })
        .await?;
    Ok(())
}

/// Two tabs of one tablet (one browser profile), the server gone: each
/// marks the same round; each sees the other's mark without a reload, and
/// neither overwrites the other in storage.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_tabs_of_one_tablet_offline_keep_both_marks() -> BrowserResult<()> {
    if !require_chromium("two_tabs_of_one_tablet_offline_keep_both_marks") {
        return Ok(());
    }
    let data = tempfile::tempdir()?;
    let [token] = enroll_all(data.path(), ["大堂平板1"])?;
    let mut server = serve_app(data.path()).await?;
    let base = server.base_url();
    let t = Browser::tablet("two-tabs").await?;
    enrol(&t, &base, &token).await?;
    sign_in(&t, &STAFF).await?;
    open_lobby_round(&t).await?;
    server.kill()?;
    wait_badge(&t, "offline", LOAD).await?;
    let first = t.client().window().await?;

    // The second tab opens the app from the service worker, still signed in.
    let second = t.client().new_window(true).await?.handle;
    t.client().switch_to_window(second.clone()).await?;
    t.goto(&format!("{base}/")).await?;
    open_lobby_round(&t).await?;

    t.client().switch_to_window(first.clone()).await?;
    t.click(&format!("{} [data-action=normal]", item("doors")))
        .await?;
    wait_state(&t, "doors", "normal", LOAD).await?;
    t.client().switch_to_window(second.clone()).await?;
    wait_state(&t, "doors", "normal", LOAD).await?;
    t.click(&format!("{} [data-action=normal]", item("lifts")))
        .await?;
    wait_state(&t, "lifts", "normal", LOAD).await?;
    t.client().switch_to_window(first.clone()).await?;
    wait_state(&t, "lifts", "normal", LOAD).await?;
    t.click(&format!("{} [data-action=normal]", item("toilets")))
        .await?;
    wait_state(&t, "toilets", "normal", LOAD).await?;

    // Storage holds all three: the second tab, reloaded, reads them there.
    t.client().switch_to_window(second).await?;
    wait_state(&t, "toilets", "normal", LOAD).await?;
    t.reload().await?;
    open_lobby_round(&t).await?;
    for id in ["doors", "lifts", "toilets"] {
        wait_state(&t, id, "normal", LOAD).await?;
    }
    t.screenshot(screenshot_dir().join("13-two-tabs-offline.png"))
        .await?;
    t.close().await?;
    Ok(())
}

/// A photo of an × taken offline: kept on the tablet through a reload,
/// counted on the badge until the server has it, then shown on the other
/// tablet (fetched from the server with that tablet's token).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_photo_of_an_offline_cross_stays_and_reaches_the_other_tablet() -> BrowserResult<()> {
    if !require_chromium("a_photo_of_an_offline_cross_stays_and_reaches_the_other_tablet") {
        return Ok(());
    }
    let Site {
        _data,
        mut server,
        base,
        a,
        b,
        ..
    } = two_tablets("photo").await?;
    sign_in(&a, &STAFF).await?;
    sign_in(&b, &LEADER).await?;
    server.kill()?;
    a.set_offline(true).await?;
    wait_badge(&a, "offline", LOAD).await?;
    mark_abnormal_with_note(&a, "lifts", "2号梯门夹人").await?;
    // The test photo goes in through the camera's file input.
    let photo = shiftbook_tests::e2e::workspace_root()
        .join("app/public/icons/icon-512.png")
        .canonicalize()?;
    let input = a
        .find(&format!("{} [data-testid=photo-input]", item("lifts")))
        .await?;
    input
        .send_keys(&photo.display().to_string())
        .await
        .map_err(|e| format!("photo input: {e}"))?;
    let thumb = format!("{} .photo-thumb img", item("lifts"));
    a.wait_for(&thumb, LOAD).await?;
    let sha = a
        .eval(&format!(
            "return document.querySelector(\"{} .photo-thumb\").dataset.photo;",
            item("lifts")
        ))
        .await?;
    let sha = sha.as_str().ok_or("no photo name")?.to_owned();
    assert_eq!(sha.len(), 64, "named by its SHA-256: {sha}");
    assert!(
        a.text("[data-testid=unsent-photos]")
            .await?
            .contains("1 张照片未上传")
    );
    a.screenshot(screenshot_dir().join("14-photo-offline.png"))
        .await?;

    // Reloaded offline, the photo is still there.
    a.reload().await?;
    a.set_offline(true).await?;
    open_lobby_round(&a).await?;
    a.wait_for(&thumb, LOAD).await?;

    // Back online: the server takes it, the badge stops counting it, and
    // the other tablet shows it.
    server.start_again().await?;
    a.set_offline(false).await?;
    wait_badge(&a, "synced", LOAD).await?;
    a.wait_until(
        "document.querySelector('[data-testid=unsent-photos]') === null",
        LOAD,
    )
    .await?;
    wait_state(&b, "lifts", "abnormal", LOAD).await?;
    b.wait_for(
        &format!("{} .photo-thumb[data-photo='{sha}'] img", item("lifts")),
        LOAD,
    )
    .await?;
    b.eval(&format!(
        "document.querySelector(\"{}\").scrollIntoView({{ block: 'center' }});",
        item("lifts")
    ))
    .await?;
    b.screenshot(screenshot_dir().join("15-photo-other-tablet.png"))
        .await?;
    // A tap shows it whole, stamped with when, where and who.
    b.click(&format!("{} .photo-thumb", item("lifts"))).await?;
    b.wait_for(".photo-whole img", LOAD).await?;
    b.screenshot(screenshot_dir().join("16-photo-whole.png"))
        .await?;
    // The supervisor's desktop shows it on the round.
    let desk = Browser::desktop("photo-desk").await?;
    shiftbook_tests::e2e::desktop_login(&desk, &base, "zhuguan", SUPERVISOR_PASSWORD).await?;
    open_lobby_round(&desk).await?;
    desk.wait_for(
        &format!("{} .photo-thumb[data-photo='{sha}'] img", item("lifts")),
        LOAD,
    )
    .await?;
    desk.screenshot(screenshot_dir().join("17-photo-desktop.png"))
        .await?;
    desk.close().await?;

    // A week and a day later (the site keeps sent photos 7 days) the
    // photo has left tablet A at its next start, and comes back from the
    // server when the round is opened again.
    assert!(stored_photo(&a, &sha).await?, "kept while it is recent");
    let round = a.eval("return location.hash").await?;
    let round = round.as_str().ok_or("the round's address")?.to_owned();
    a.install_movable_clock().await?;
    // Away from the round, which would fetch the photo back at once.
    a.eval("location.hash = ''").await?;
    a.reload().await?;
    a.move_clock(Duration::from_secs(8 * 24 * 3600)).await?;
    a.reload().await?;
    shiftbook_tests::e2e::sign_in_to_agenda(&a, &STAFF).await?;
    let deadline = Instant::now() + LOAD;
    while stored_photo(&a, &sha).await? {
        if Instant::now() > deadline {
            let log = a.console_log().await?;
            let log: Vec<&String> = log.iter().filter(|l| l.contains("photo")).collect();
            return Err(
                format!("the sent photo did not leave the tablet after 8 days: {log:#?}").into(),
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    a.eval(&format!("location.hash = {}", json!(round))).await?;
    a.wait_for(&thumb, LOAD).await?;
    assert!(
        stored_photo(&a, &sha).await?,
        "fetched again and kept for the next days"
    );
    // The history screen says how much storage is used and left.
    shiftbook_tests::e2e::open_from_rail(&a, "history", "history").await?;
    a.wait_for("[data-testid=storage-use]", LOAD).await?;
    let figures = a
        .eval(
            "const e = document.querySelector('[data-testid=storage-use]');
             return [Number(e.dataset.used), Number(e.dataset.free), e.textContent];",
        )
        .await?;
    assert!(
        figures[0].as_f64() > Some(0.0) && figures[1].as_f64() > Some(0.0),
        "{figures}"
    );
    assert!(
        figures[2]
            .as_str()
            .is_some_and(|t| t.contains("已用") && t.contains("可用")),
        "{figures}"
    );
    a.close().await?;
    b.close().await?;
    Ok(())
}
