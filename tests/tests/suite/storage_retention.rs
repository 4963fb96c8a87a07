//! Browser end to end, in headless Chromium: the tablet's storage keeps
//! what it needs and lets old synced records go (app/src/core/retention.rs).
//!
//! * `old_synced_records_leave_unsynced_ones_stay_and_sync`: a duty-log
//!   day 60 days old that the server holds, with its receipts cache, and
//!   one 50 days old that never reached the server are put in the
//!   tablet's localStorage as the localStorage builds stored them (built
//!   with the model, written through the page). After a reload both moved
//!   to IndexedDB and left localStorage; the first is then gone (and its
//!   receipts), the second stays and reaches the server, a quarantined
//!   record is untouched, and the old day comes back from the server when
//!   its screen asks for it.
//! * `a_full_storage_makes_room_from_old_synced_records`: a synced day 20
//!   days old survives the start (35 days); with the tablet's storage
//!   full, signing in (which writes the security log) removes it —
//!   synced and older than 7 days — and the write succeeds, while an
//!   unsynced day as old (written with the network and server gone)
//!   stays. Then, full with nothing to remove, a mark shows, the tablet
//!   says its storage is full, and the mark is stored once there is room:
//!   it is there after a reload offline.
//! * `an_offline_tablet_moves_its_unsynced_records_from_local_storage_and_syncs_them`:
//!   the previous build's unsynced duty-log day in localStorage, the new
//!   build started offline: the entries show, the record moved to
//!   IndexedDB, and once the server is back they reach another device.

use automerge::{Automerge, ChangeHash, ReadDoc};
use serde_json::json;
use shiftbook_model::attribution::Attribution;
use shiftbook_model::duty_log::{self, EventType};
use shiftbook_model::roster::Role;
use shiftbook_model::{DocumentId, SiteKey, security_log};
use shiftbook_tests::browser::{Browser, BrowserResult, require_chromium};
use shiftbook_tests::e2e::{
    LOAD, STAFF, browser_today, enrol, enroll_all, item, mark_abnormal_with_note, open_lobby_round,
    screenshot_dir, serve_app, sign_in_to_agenda, stored_record, take_photo, test_photo,
    wait_badge, wait_state,
};
use shiftbook_tests::fixtures::site_key;
use shiftbook_tests::native_tablet::NativeTablet;

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// The browser's date `back` days ago, `YYYY-MM-DD`, and its clock now.
async fn days_ago(b: &Browser, back: i64) -> BrowserResult<(String, i64)> {
    let v = b
        .eval(&format!(
            "const d = new Date(Date.now() - {back} * {DAY_MS});
             return [d.getFullYear() + '-' + String(d.getMonth() + 1).padStart(2, '0') + '-' + String(d.getDate()).padStart(2, '0'), Date.now()];"
        ))
        .await?;
    let date = v[0].as_str().ok_or("no date")?.to_owned();
    let now = v[1].as_i64().ok_or("no time")?;
    Ok((date, now))
}

/// A duty-log day of `date` with `entries` entries written at `at_ms`
/// (device time), as a tablet of the demo site makes it.
fn duty_day(date: &str, at_ms: i64, entries: usize) -> BrowserResult<Automerge> {
    let mut doc = duty_log::genesis("demo", date)?;
    for i in 0..entries {
        let draft = duty_log::Draft {
            id: format!("old-{i:03}"),
            occurred: format!("{date} {:02}:{:02}", 8 + i / 60, i % 60),
            post: "lobby".into(),
            kind: EventType::ALL[i % EventType::ALL.len()],
            event: format!("巡查大堂第{i}次，一切正常"),
            action: String::new(),
            result: String::new(),
        };
        let by = Attribution {
            person_id: STAFF.id.into(),
            person: STAFF.name.into(),
            role: Role::Staff,
            device: "大堂平板1".into(),
            at_ms: at_ms + i as i64 * 60_000,
        };
        duty_log::record(&mut doc, &draft, &by)?;
    }
    Ok(doc)
}

/// Upload `doc` as `id` through a native device of the site and wait
/// until the server holds it.
async fn upload(native: &NativeTablet, id: DocumentId, doc: &Automerge) -> BrowserResult<()> {
    native.insert(id, doc.clone())?;
    native.wait_confirmed(id, LOAD).await?;
    Ok(())
}

/// Write `doc` into the page's localStorage as the localStorage builds
/// stored documents, with `confirmed` as the heads the server is known to
/// hold.
async fn seed(
    b: &Browser,
    id: DocumentId,
    doc: &Automerge,
    confirmed: &[ChangeHash],
) -> BrowserResult<()> {
    let confirmed: Vec<String> = confirmed.iter().map(ToString::to_string).collect();
    b.eval(&format!(
        "const bytes = {bytes};
         let s = '';
         for (const x of bytes) s += String.fromCharCode(x);
         localStorage.setItem('shiftbook.doc.{id}', JSON.stringify({{ bytes: btoa(s), confirmed: {confirmed} }}));",
        bytes = json!(doc.save()),
        confirmed = json!(confirmed),
    ))
    .await?;
    Ok(())
}

async fn stored(b: &Browser, key: &str) -> BrowserResult<Option<String>> {
    let v = b
        .eval(&format!("return localStorage.getItem({});", json!(key)))
        .await?;
    Ok(v.as_str().map(str::to_owned))
}

fn doc_key(id: DocumentId) -> String {
    format!("shiftbook.doc.{id}")
}

/// Whether the page's IndexedDB holds document `id`.
async fn held(b: &Browser, id: DocumentId) -> BrowserResult<bool> {
    Ok(stored_record(b, &id.to_string()).await?.is_some())
}

/// The console lines that say what the retention passes removed.
async fn removals(b: &Browser) -> BrowserResult<Vec<String>> {
    Ok(b.console_log()
        .await?
        .into_iter()
        .filter(|l| l.contains("shiftbook: storage"))
        .collect())
}

/// Reload and wait for the sign-in page, synced.
async fn reload(b: &Browser) -> BrowserResult<()> {
    b.reload().await?;
    b.wait_for("[data-testid=sign-in] [data-person]", LOAD)
        .await?;
    wait_badge(b, "synced", LOAD).await
}

/// The test's site: the server, an enrolled tablet in `name`'s browser,
/// the site key and a native device of the same site.
struct Site {
    _data: tempfile::TempDir,
    _server: shiftbook_tests::server_process::ServerProcess,
    tablet: Browser,
    key: SiteKey,
    native: NativeTablet,
}

async fn site(name: &str) -> BrowserResult<Site> {
    let data = tempfile::tempdir()?;
    let [tablet_token, native_token] = enroll_all(data.path(), ["大堂平板1", "测试设备"])?;
    let server = serve_app(data.path()).await?;
    let key = site_key(server.addr(), &native_token).await?;
    let native = NativeTablet::connect_ready(server.addr(), &native_token, LOAD).await?;
    let tablet = Browser::tablet(name).await?;
    enrol(&tablet, &server.base_url(), &tablet_token).await?;
    Ok(Site {
        _data: data,
        _server: server,
        tablet,
        key,
        native,
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn old_synced_records_leave_unsynced_ones_stay_and_sync() -> BrowserResult<()> {
    if !require_chromium("old_synced_records_leave_unsynced_ones_stay_and_sync") {
        return Ok(());
    }
    let Site {
        _data,
        _server,
        tablet: t,
        key,
        native,
    } = site("retention").await?;

    // 60 days ago, on the server, confirmed here, with cached receipts.
    let (old_date, now) = days_ago(&t, 60).await?;
    let synced_id = duty_log::document_id(&key, &old_date);
    let synced = duty_day(&old_date, now - 60 * DAY_MS, 3)?;
    upload(&native, synced_id, &synced).await?;
    seed(&t, synced_id, &synced, &synced.get_heads()).await?;
    let receipts_key = format!("shiftbook.receipts.{synced_id}");
    t.eval(&format!(
        "localStorage.setItem({}, JSON.stringify({{ '{}': {now} }}));",
        json!(receipts_key),
        synced.get_heads()[0]
    ))
    .await?;
    // 50 days ago, written offline and never synced.
    let (unsynced_date, _) = days_ago(&t, 50).await?;
    let unsynced_id = duty_log::document_id(&key, &unsynced_date);
    let unsynced = duty_day(&unsynced_date, now - 50 * DAY_MS, 1)?;
    let entry = unsynced.get_heads()[0];
    seed(&t, unsynced_id, &unsynced, &[]).await?;
    // A record set aside as unreadable long ago.
    let quarantined = "shiftbook.quarantine.shiftbook.doc.x.1";
    t.eval(&format!(
        "localStorage.setItem('{quarantined}', 'garbage');"
    ))
    .await?;
    let _ = t.console_log().await?;

    reload(&t).await?;
    for id in [synced_id, unsynced_id] {
        assert_eq!(stored(&t, &doc_key(id)).await?, None, "moved to IndexedDB");
    }
    assert!(!held(&t, synced_id).await?, "old synced day removed");
    assert_eq!(stored(&t, &receipts_key).await?, None, "its receipts too");
    assert!(held(&t, unsynced_id).await?, "unsynced day kept");
    assert_eq!(stored(&t, quarantined).await?.as_deref(), Some("garbage"));
    let said = removals(&t).await?;
    assert!(
        said.iter()
            .any(|l| l.contains("at start: 1 document(s) removed")),
        "console: {said:?}"
    );

    // The unsynced day still syncs: the tablet records the server's
    // confirmation, and another device of the site gets the entry.
    let deadline = std::time::Instant::now() + LOAD;
    while !stored_record(&t, &unsynced_id.to_string())
        .await?
        .is_some_and(|r| r.confirmed.contains(&entry.to_string()))
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the server's confirmation stored"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    native.want(unsynced_id);
    native
        .wait_until("the unsynced day from the server", LOAD, |c| {
            c.doc(&unsynced_id)
                .is_some_and(|d| d.get_change_by_hash(&entry).is_some())
        })
        .await?;

    // The old day's screen asks the server and shows it again.
    sign_in_to_agenda(&t, &STAFF).await?;
    t.eval(&format!("location.hash = '#duty-log/{old_date}'"))
        .await?;
    t.wait_until(
        "document.querySelectorAll('[data-testid=duty-entries] .duty-row').length === 3",
        LOAD,
    )
    .await?;
    let deadline = std::time::Instant::now() + LOAD;
    while !held(&t, synced_id).await? {
        assert!(std::time::Instant::now() < deadline, "stored again");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    t.screenshot(screenshot_dir().join("90-retention-old-day-fetched.png"))
        .await?;
    t.close().await?;
    Ok(())
}

/// Make the page's storage refuse writes as a full disk does: every
/// IndexedDB `put` throws `QuotaExceededError` while `state` is `full`, or
/// `full-until-delete` until a record is deleted (room made); `ok` writes.
/// (Chromium's quota override, CDP `Storage.overrideQuotaForOrigin`, did
/// not refuse IndexedDB writes here, and a delete does not lower the
/// usage it reports.)
async fn set_storage(b: &Browser, state: &str) -> BrowserResult<()> {
    b.eval(&format!(
        "if (!window.__storagePatched) {{
           window.__storagePatched = true;
           const put = IDBObjectStore.prototype.put, del = IDBObjectStore.prototype.delete;
           IDBObjectStore.prototype.put = function (...a) {{
             if (window.__storage !== 'ok') throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
             return put.apply(this, a);
           }};
           IDBObjectStore.prototype.delete = function (...a) {{
             if (window.__storage === 'full-until-delete') window.__storage = 'ok';
             return del.apply(this, a);
           }};
         }}
         window.__storage = {};",
        json!(state)
    ))
    .await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_storage_makes_room_from_old_synced_records() -> BrowserResult<()> {
    if !require_chromium("a_full_storage_makes_room_from_old_synced_records") {
        return Ok(());
    }
    let Site {
        _data,
        _server: mut server,
        tablet: t,
        key,
        native,
    } = site("retention-full").await?;

    let (old_date, now) = days_ago(&t, 20).await?;
    let synced_id = duty_log::document_id(&key, &old_date);
    let synced = duty_day(&old_date, now - 20 * DAY_MS, 80)?;
    upload(&native, synced_id, &synced).await?;
    seed(&t, synced_id, &synced, &synced.get_heads()).await?;
    reload(&t).await?;
    assert!(held(&t, synced_id).await?, "20 days old stays at start");

    // A day as old written offline: the network and the server are gone
    // before the tablet reads it, so it stays unsynced (with a server
    // there it would sync within a second and be fair game).
    t.set_offline(true).await?;
    server.kill()?;
    wait_badge(&t, "offline", LOAD).await?;
    let (unsynced_date, _) = days_ago(&t, 21).await?;
    let unsynced_id = duty_log::document_id(&key, &unsynced_date);
    seed(
        &t,
        unsynced_id,
        &duty_day(&unsynced_date, now - 21 * DAY_MS, 1)?,
        &[],
    )
    .await?;
    t.reload().await?;
    t.set_offline(true).await?;
    t.wait_for("[data-testid=sign-in] [data-person]", LOAD)
        .await?;
    wait_badge(&t, "offline", LOAD).await?;
    assert!(held(&t, unsynced_id).await?, "unsynced day read at start");
    let _ = t.console_log().await?;

    // The tablet's storage full until something is deleted.
    set_storage(&t, "full-until-delete").await?;

    // Signing in writes today's security log: refused for quota, the old
    // synced day makes room, the write is tried again and stored.
    let today = browser_today(&t).await?;
    let log_id = security_log::document_id(&key, &today);
    assert!(!held(&t, log_id).await?);
    sign_in_to_agenda(&t, &STAFF).await?;
    let deadline = std::time::Instant::now() + LOAD;
    while !held(&t, log_id).await? {
        assert!(
            std::time::Instant::now() < deadline,
            "security log stored: {:?}",
            t.console_log().await?
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(!held(&t, synced_id).await?, "made room");
    assert!(
        held(&t, unsynced_id).await?,
        "unsynced stays under pressure"
    );
    let said = removals(&t).await?;
    assert!(
        said.iter()
            .any(|l| l.contains("full: 1 document(s) removed")),
        "console: {said:?}"
    );

    // Full with nothing left to remove: the person is told, the mark stays
    // on the screen and in memory, and is stored once there is room.
    set_storage(&t, "full").await?;
    open_lobby_round(&t).await?;
    t.click(&format!("{} [data-action=normal]", item("doors")))
        .await?;
    wait_state(&t, "doors", "normal", LOAD).await?;
    t.wait_for("[data-testid=storage-failed]", LOAD).await?;
    let said = t.text("[data-testid=storage-failed]").await?;
    assert!(said.contains("存储已满"), "{said}");
    assert!(
        !t.exists("[data-testid=saved]").await?,
        "nothing says saved while storage refuses"
    );
    t.screenshot(screenshot_dir().join("91-storage-full.png"))
        .await?;
    // A photo that finds no room is refused out loud, never half kept.
    mark_abnormal_with_note(&t, "lifts", "2号梯按钮失灵").await?;
    t.find(&format!("{} [data-testid=photo-input]", item("lifts")))
        .await?
        .send_keys(&test_photo()?.display().to_string())
        .await
        .map_err(|e| format!("photo input: {e}"))?;
    t.wait_for(
        &format!("{} [data-testid=photos] [role=alert]", item("lifts")),
        LOAD,
    )
    .await?;
    let said = t
        .text(&format!(
            "{} [data-testid=photos] [role=alert]",
            item("lifts")
        ))
        .await?;
    assert!(said.contains("照片未能保存"), "{said}");
    assert!(
        !t.exists(&format!("{} .photo-thumb", item("lifts"))).await?,
        "no photo named without its bytes"
    );
    set_storage(&t, "ok").await?;
    t.wait_until(
        "document.querySelector('[data-testid=storage-failed]') === null",
        LOAD,
    )
    .await?;
    t.wait_for("[data-testid=saved]", LOAD).await?;
    // With room again, the same photo is kept.
    take_photo(&t, &item("lifts")).await?;
    // Offline, the server gone: after a reload only storage has the mark.
    t.reload().await?;
    t.set_offline(true).await?;
    // Still signed in: the round the address names opens again.
    open_lobby_round(&t).await?;
    wait_state(&t, "doors", "normal", LOAD).await?;
    wait_state(&t, "lifts", "abnormal", LOAD).await?;
    t.wait_for(&format!("{} .photo-thumb img", item("lifts")), LOAD)
        .await?;
    t.close().await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_offline_tablet_moves_its_unsynced_records_from_local_storage_and_syncs_them()
-> BrowserResult<()> {
    if !require_chromium("an_offline_tablet_moves_its_unsynced_records_from_local_storage") {
        return Ok(());
    }
    let data = tempfile::tempdir()?;
    let [tablet_token, native_token] = enroll_all(data.path(), ["大堂平板1", "测试设备"])?;
    let mut server = serve_app(data.path()).await?;
    let key = site_key(server.addr(), &native_token).await?;
    let t = Browser::tablet("migration").await?;
    enrol(&t, &server.base_url(), &tablet_token).await?;

    // The previous build wrote today's duty log offline: two entries the
    // server never saw, in localStorage. The network and the server are
    // gone when the new build starts.
    t.set_offline(true).await?;
    server.kill()?;
    wait_badge(&t, "offline", LOAD).await?;
    let (today, now) = days_ago(&t, 0).await?;
    let id = duty_log::document_id(&key, &today);
    let day = duty_day(&today, now, 2)?;
    seed(&t, id, &day, &[]).await?;
    t.reload().await?;
    t.set_offline(true).await?;
    t.wait_for("[data-testid=sign-in] [data-person]", LOAD)
        .await?;
    sign_in_to_agenda(&t, &STAFF).await?;
    t.eval(&format!("location.hash = '#duty-log/{today}'"))
        .await?;
    t.wait_until(
        "document.querySelectorAll('[data-testid=duty-entries] .duty-row').length === 2",
        LOAD,
    )
    .await?;
    assert_eq!(stored(&t, &doc_key(id)).await?, None, "left localStorage");
    assert!(held(&t, id).await?, "in IndexedDB");
    t.screenshot(screenshot_dir().join("92-migrated-offline.png"))
        .await?;

    // Back online: the entries reach the server and another device.
    server.start_again().await?;
    t.set_offline(false).await?;
    wait_badge(&t, "synced", LOAD).await?;
    let native = NativeTablet::connect_ready(server.addr(), &native_token, LOAD).await?;
    native.want(id);
    let heads = day.get_heads();
    native
        .wait_until("the migrated day from the server", LOAD, |c| {
            c.doc(&id)
                .is_some_and(|d| heads.iter().all(|h| d.get_change_by_hash(h).is_some()))
        })
        .await?;
    t.close().await?;
    Ok(())
}
