//! Browser end to end, in headless Chromium: the front desk's duty log and
//! visitor log. Two lobby tablets go offline (CDP emulation and the server
//! killed) and each records duty-log entries at interleaved times; after
//! reconnecting both show all four once, in time order. One entry is
//! corrected and its original stays visible on both; the team leader signs
//! the day. A salesperson is logged as waiting for a supervisor; the
//! supervisor approves on the desktop and the tablet shows them inside. A
//! visitor logged into the day before yesterday (a late entry) shows inside
//! on the other tablet and the desktop — found through the site's open
//! index — takes a note (a parcel at the desk) seen on the other tablet,
//! and stays inside until a tablet logs them out. A duty entry written by a
//! newer build is left out and announced (again after a reload) while the
//! log still reads, takes entries and keeps it.

use shiftbook_tests::browser::{Browser, BrowserResult, require_chromium};
use shiftbook_tests::e2e::{
    LEADER, LOAD, STAFF, desktop_login, desktop_tab, enrol, enroll_all, open_from_rail,
    screenshot_dir, serve_app, sign_in_to_agenda, take_photo, wait_badge, wait_nav_count,
};
use shiftbook_tests::roster_seed::SUPERVISOR_PASSWORD;

/// The service day on the browser's clock `back` days ago (a service day
/// begins at 06:00), `YYYY-MM-DD`.
async fn service_day(b: &Browser, back: i32) -> BrowserResult<String> {
    let v = b
        .eval(&format!(
            "const d = new Date();
             if (d.getHours() < 6) d.setDate(d.getDate() - 1);
             d.setDate(d.getDate() - {back});
             return d.getFullYear() + '-' + String(d.getMonth() + 1).padStart(2, '0') + '-' + String(d.getDate()).padStart(2, '0');"
        ))
        .await?;
    Ok(v.as_str().unwrap_or_default().to_owned())
}

/// Set a form field the way typing does (`input`), or a picker (`change`).
async fn set(b: &Browser, css: &str, value: &str, event: &str) -> BrowserResult<()> {
    b.wait_for(css, LOAD).await?;
    b.eval(&format!(
        "const e = document.querySelector({css:?});
         e.value = {value:?};
         e.dispatchEvent(new Event('{event}', {{ bubbles: true }}));"
    ))
    .await?;
    Ok(())
}

/// A screenshot (1280×800 on the tablets) with `css` at the top of the
/// screen, below the sticky top bar.
async fn shot(b: &Browser, css: &str, name: &str) -> BrowserResult<()> {
    b.eval(&format!(
        "const e = document.querySelector({css:?});
         if (e) window.scrollTo(0, e.getBoundingClientRect().top + window.scrollY - 90);"
    ))
    .await?;
    b.screenshot(screenshot_dir().join(name)).await
}

async fn click_js(b: &Browser, css: &str) -> BrowserResult<()> {
    b.wait_for(css, LOAD).await?;
    b.eval(&format!("document.querySelector({css:?}).click()"))
        .await?;
    Ok(())
}

/// Record a duty-log entry with the quick entry: type, time, what happened.
async fn record(b: &Browser, kind: &str, time: &str, event: &str) -> BrowserResult<()> {
    let before = rows(b).await?.len();
    click_js(b, &format!("[data-testid=duty-entry] [data-kind={kind}]")).await?;
    set(b, "[name=duty-time]", time, "input").await?;
    set(b, "[name=duty-event]", event, "input").await?;
    click_js(b, "[data-action=record-entry]").await?;
    b.wait_until(
        &format!(
            "document.querySelectorAll('[data-testid=duty-entries] .duty-row').length === {}",
            before + 1
        ),
        LOAD,
    )
    .await
}

/// The duty-log rows shown: (time, event) in screen order.
async fn rows(b: &Browser) -> BrowserResult<Vec<(String, String)>> {
    let v = b
        .eval(
            "return [...document.querySelectorAll('[data-testid=duty-entries] .duty-row')]
                .map(r => [r.querySelector('.when .time').textContent, r.querySelector('.event').textContent]);",
        )
        .await?;
    Ok(v.as_array()
        .map(|rows| {
            rows.iter()
                .map(|r| {
                    (
                        r[0].as_str().unwrap_or_default().to_owned(),
                        r[1].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default())
}

/// JS: the visit card in section `section` whose text has `who`.
fn visit(section: &str, who: &str) -> String {
    format!(
        "[...document.querySelectorAll('[data-testid={section}] .visit')].find(e => e.textContent.includes('{who}'))"
    )
}

async fn wait_visit(b: &Browser, section: &str, who: &str, present: bool) -> BrowserResult<()> {
    let op = if present { "!==" } else { "===" };
    b.wait_until(&format!("{} {op} undefined", visit(section, who)), LOAD)
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_lobby_tablets_log_offline_merge_in_time_order_correct_sign_and_track_visitors()
-> BrowserResult<()> {
    if !require_chromium("two_lobby_tablets_log_offline") {
        return Ok(());
    }
    let data = tempfile::tempdir()?;
    let [token1, token2] = enroll_all(data.path(), ["大堂平板1", "大堂平板2"])?;
    let mut server = serve_app(data.path()).await?;
    let base = server.base_url();
    let a = Browser::tablet("desk-1").await?;
    let b = Browser::tablet("desk-2").await?;
    enrol(&a, &base, &token1).await?;
    enrol(&b, &base, &token2).await?;
    sign_in_to_agenda(&a, &STAFF).await?;
    sign_in_to_agenda(&b, &LEADER).await?;
    open_from_rail(&a, "duty-log", "duty-log").await?;
    open_from_rail(&b, "duty-log", "duty-log").await?;

    // Offline: each tablet records two entries, their times interleaved.
    a.set_offline(true).await?;
    b.set_offline(true).await?;
    server.kill()?;
    wait_badge(&a, "offline", LOAD).await?;
    wait_badge(&b, "offline", LOAD).await?;
    record(&a, "patrol", "08:10", "巡查大堂,一切正常").await?;
    record(&b, "repair", "08:20", "电梯异响").await?;
    record(&a, "delivery", "08:30", "快递员送件到3栋").await?;
    // No type tapped: the form says so and records nothing.
    set(&b, "[name=duty-event]", "没有类型", "input").await?;
    click_js(&b, "[data-action=record-entry]").await?;
    b.wait_for("[data-testid=duty-entry] [role=alert]", LOAD)
        .await?;
    record(&b, "complaint", "08:40", "3栋1201 投诉楼上噪音").await?;
    assert_eq!(rows(&a).await?.len(), 2);
    shot(&a, "[data-testid=duty-entry]", "50-duty-log-offline.png").await?;

    // Back online: both show all four, once each, in time order.
    server.restart().await?;
    a.set_offline(false).await?;
    b.set_offline(false).await?;
    let expected: Vec<(String, String)> = [
        ("08:10", "巡查大堂,一切正常"),
        ("08:20", "电梯异响"),
        ("08:30", "快递员送件到3栋"),
        ("08:40", "3栋1201 投诉楼上噪音"),
    ]
    .iter()
    .map(|(t, e)| (t.to_string(), e.to_string()))
    .collect();
    for t in [&a, &b] {
        wait_badge(t, "synced", LOAD).await?;
        t.wait_until(
            "document.querySelectorAll('[data-testid=duty-entries] .duty-row').length === 4",
            LOAD,
        )
        .await?;
        assert_eq!(rows(t).await?, expected, "{}", t.name());
    }
    shot(&b, "[data-testid=duty-filters]", "51-duty-log-merged.png").await?;

    // A corrects B's entry: the current text shows, the original stays.
    let lift =
        "[...document.querySelectorAll('.duty-row')].find(r => r.textContent.includes('电梯异响'))";
    a.eval(&format!(
        "{lift}.querySelector('[data-action=correct]').click()"
    ))
    .await?;
    a.wait_for("[data-testid=amend-form]", LOAD).await?;
    set(&a, "[name=amend-event]", "2号电梯异响,已停用", "input").await?;
    // No reason, no correction.
    click_js(&a, "[data-action=confirm-correction]").await?;
    a.wait_for("[data-testid=amend-form] [role=alert]", LOAD)
        .await?;
    set(&a, "[name=amend-reason]", "补记电梯编号", "input").await?;
    set(&a, "[name=amend-result]", "已报工程部", "input").await?;
    click_js(&a, "[data-action=confirm-correction]").await?;
    for t in [&a, &b] {
        t.wait_until(
            "[...document.querySelectorAll('.duty-row[data-state=amended]')].some(r => r.querySelector('.event').textContent.includes('2号电梯异响') && r.querySelector('[data-testid=original]').textContent.includes('电梯异响') && r.textContent.includes('补记电梯编号') && r.textContent.includes('张伟'))",
            LOAD,
        )
        .await?;
    }
    assert_eq!(rows(&b).await?.len(), 4, "a correction adds no entry");
    // A photo of the lift's notice on that entry reaches the other tablet.
    let entry = a.eval(&format!("return {lift}.dataset.entry")).await?;
    let entry = format!(
        "[data-entry='{}']",
        entry.as_str().ok_or("the entry has an id")?
    );
    take_photo(&a, &entry).await?;
    b.wait_for(&format!("{entry} .photo-thumb img"), LOAD)
        .await?;
    shot(
        &b,
        "[data-testid=duty-filters]",
        "52-duty-log-corrected.png",
    )
    .await?;

    // Staff do not sign; the leader signs the day on B.
    assert!(
        !a.exists("[data-testid=duty-review] [data-action=sign-off]")
            .await?
    );
    click_js(&b, "[data-testid=duty-review] [data-action=sign-off]").await?;
    click_js(&b, "[data-testid=duty-review] [data-action=confirm-sign]").await?;
    for t in [&a, &b] {
        t.wait_until(
            "document.querySelector('[data-testid=duty-review] [data-testid=signature]')?.textContent.includes('李娜')",
            LOAD,
        )
        .await?;
    }
    // An entry after the signature is not covered by it, and says so.
    record(&a, "other", "09:00", "交接班后补记").await?;
    b.wait_for(
        "[data-testid=duty-review] [data-testid=after-signing]",
        LOAD,
    )
    .await?;
    shot(&b, "[data-testid=duty-review]", "53-duty-log-signed.png").await?;

    // Visitors. A logs a salesperson: waiting for a supervisor.
    open_from_rail(&a, "visitors", "visitors").await?;
    open_from_rail(&b, "visitors", "visitors").await?;
    click_js(&a, "[data-category=salesperson]").await?;
    a.wait_until(
        "document.querySelector('[data-method=supervisor]')?.getAttribute('aria-pressed') === 'true'",
        LOAD,
    )
    .await?;
    click_js(&a, "[data-id-type=none]").await?;
    set(&a, "[name=visitor-name]", "推销员小刘", "input").await?;
    set(&a, "[name=visit-purpose]", "推销净水器", "input").await?;
    click_js(&a, "[data-action=log-visit]").await?;
    wait_visit(&a, "waiting", "推销员小刘", true).await?;
    // Counted on the navigation, on both tablets.
    for t in [&a, &b] {
        wait_nav_count(t, "[data-testid=nav-rail]", "visitors-waiting", Some("1")).await?;
    }
    assert!(
        !a.eval(&format!(
            "return {}.querySelector('[data-action=approve-visit]') !== null",
            visit("waiting", "推销员小刘")
        ))
        .await?
        .as_bool()
        .unwrap_or(true),
        "staff cannot approve"
    );
    shot(&a, "[data-testid=inside-now]", "54-visitor-waiting.png").await?;

    // B logs a late entry into the day before yesterday: a guest still
    // inside.
    let earlier = service_day(&b, 2).await?;
    set(&b, "[name=visit-date]", &earlier, "change").await?;
    b.wait_for("[data-testid=late-entry]", LOAD).await?;
    click_js(&b, "[data-category=guest]").await?;
    click_js(&b, "[data-id-type=id-card]").await?;
    // A full ID number is never stored, the form says why.
    set(&b, "[name=id-last]", "110101199003071234", "input").await?;
    set(&b, "[name=visitor-name]", "李四", "input").await?;
    click_js(&b, "[data-method=intercom]").await?;
    click_js(&b, "[data-action=log-visit]").await?;
    b.wait_for("[data-testid=visit-form] [role=alert]", LOAD)
        .await?;
    set(&b, "[name=id-last]", "123x", "input").await?;
    set(&b, "[name=visit-host]", "王五", "input").await?;
    set(&b, "[name=visit-unit]", "3栋1201", "input").await?;
    set(&b, "[name=visit-time]", "21:00", "input").await?;
    click_js(&b, "[data-action=log-visit]").await?;
    b.wait_for("[data-testid=visit-saved]", LOAD).await?;
    wait_visit(&b, "visit-day", "李四", true).await?;
    shot(&b, "[data-testid=visit-form]", "55-visitor-late-entry.png").await?;

    // The other tablet never held that day: the open index brings it.
    wait_visit(&a, "inside-now", "李四", true).await?;
    let card = a
        .eval(&format!(
            "return {}.textContent",
            visit("inside-now", "李四")
        ))
        .await?;
    let card = card.as_str().unwrap_or_default();
    assert!(
        card.contains("21:00") && card.contains(&earlier[5..]) && card.contains("···123X"),
        "{card}"
    );

    // A notes on the guest's visit that a parcel waits at the desk; an
    // empty note is refused; B sees the note on the day's card.
    let wrap = format!("{}.parentElement", visit("inside-now", "李四"));
    a.eval(&format!(
        "{wrap}.querySelector('[data-action=note-visit]').click()"
    ))
    .await?;
    a.wait_until(
        &format!("{wrap}.querySelector('[name=visit-note-text]') !== null"),
        LOAD,
    )
    .await?;
    a.eval(&format!(
        "{wrap}.querySelector('[data-action=save-visit-note]').click()"
    ))
    .await?;
    a.wait_until(
        &format!("{wrap}.querySelector('[role=alert]') !== null"),
        LOAD,
    )
    .await?;
    a.eval(&format!(
        "const e = {wrap}.querySelector('[name=visit-note-text]');
         e.value = '在前台寄存包裹一个';
         e.dispatchEvent(new Event('input', {{ bubbles: true }}));
         {wrap}.querySelector('[data-action=save-visit-note]').click();"
    ))
    .await?;
    for (t, section) in [(&a, "inside-now"), (&b, "visit-day")] {
        t.wait_until(
            &format!(
                "{}?.querySelector('.visit-events .visit-note')?.textContent.includes('在前台寄存包裹一个')",
                visit(section, "李四")
            ),
            LOAD,
        )
        .await?;
    }
    assert!(
        !a.eval(&format!(
            "return {wrap}.querySelector('[role=alert]') !== null"
        ))
        .await?
        .as_bool()
        .unwrap_or(true),
        "the refusal is gone once a note is saved"
    );

    // The supervisor approves the salesperson from the office.
    let desk = Browser::desktop("front-desk").await?;
    desktop_login(&desk, &base, "zhuguan", SUPERVISOR_PASSWORD).await?;
    wait_nav_count(
        &desk,
        "[data-testid=desktop-tabs] [data-tab=visitors]",
        "visitors-waiting",
        Some("1"),
    )
    .await?;
    desktop_tab(&desk, "visitors").await?;
    wait_visit(&desk, "waiting", "推销员小刘", true).await?;
    wait_visit(&desk, "inside-now", "李四", true).await?;
    shot(
        &desk,
        "[data-testid=inside-now]",
        "56-visitor-desktop-waiting.png",
    )
    .await?;
    desk.eval(&format!(
        "{}.querySelector('[data-action=approve-visit]').click()",
        visit("waiting", "推销员小刘")
    ))
    .await?;
    wait_visit(&desk, "inside-now", "推销员小刘", true).await?;
    for t in [&a, &b] {
        wait_visit(t, "inside-now", "推销员小刘", true).await?;
        wait_visit(t, "waiting", "推销员小刘", false).await?;
        wait_nav_count(t, "[data-testid=nav-rail]", "visitors-waiting", None).await?;
    }
    wait_nav_count(
        &desk,
        "[data-testid=desktop-tabs]",
        "visitors-waiting",
        None,
    )
    .await?;
    shot(&a, "[data-testid=inside-now]", "57-visitor-approved.png").await?;

    // A logs the late guest out: gone from "inside now" everywhere.
    a.eval(&format!(
        "{}.querySelector('[data-action=visitor-left]').click()",
        visit("inside-now", "李四")
    ))
    .await?;
    for t in [&a, &b, &desk] {
        wait_visit(t, "inside-now", "李四", false).await?;
        wait_visit(t, "inside-now", "推销员小刘", true).await?;
    }
    b.wait_until(
        &format!("{}?.dataset.status === 'left'", visit("visit-day", "李四")),
        LOAD,
    )
    .await?;
    desktop_tab(&desk, "duty-log").await?;
    desk.wait_for("[data-testid=duty-search] .duty-found", LOAD)
        .await?;
    desk.wait_until(
        "document.querySelector('[data-testid=duty-search]').textContent.includes('2号电梯异响')",
        LOAD,
    )
    .await?;
    shot(
        &desk,
        "[data-testid=duty-search]",
        "58-duty-log-desktop.png",
    )
    .await?;
    shot(&b, "[data-testid=visit-day]", "59-visitor-left.png").await?;

    // The day's log printed for the file: the entries without navigation,
    // buttons or the entry form, stamped with who printed it and when.
    desk.cdp(
        "Emulation.setEmulatedMedia",
        serde_json::json!({ "media": "print" }),
    )
    .await?;
    let shown = desk
        .eval(
            "return ['[data-testid=desktop-tabs]', '[data-testid=print]', '[data-testid=log-out]', '[data-testid=print-stamp]', '[data-testid=duty-entries]']
               .map(s => { const e = document.querySelector(s); return e ? getComputedStyle(e).display !== 'none' : 'absent'; })",
        )
        .await?;
    assert_eq!(
        shown,
        serde_json::json!([false, false, false, true, true]),
        "navigation and buttons hidden, the stamp and the entries shown"
    );
    let stamp = desk.text("[data-testid=print-stamp]").await?;
    assert!(
        stamp.contains("打印自值班簿") && stamp.contains("demo"),
        "{stamp}"
    );
    desk.eval("window.scrollTo(0, 0)").await?;
    desk.screenshot(screenshot_dir().join("5b-duty-log-printed.png"))
        .await?;
    desk.cdp(
        "Emulation.setEmulatedMedia",
        serde_json::json!({ "media": "" }),
    )
    .await?;
    Ok(())
}

/// Today's duty log as another tablet of the site writes it: an entry this
/// build knows ("巡查大堂", 09:00) and one a newer build wrote, whose event
/// type ("drone-patrol") this build does not have.
fn duty_day_with_a_newer_entry(date: &str) -> BrowserResult<automerge::Automerge> {
    use automerge::transaction::Transactable;
    use automerge::{ROOT, ReadDoc};
    use shiftbook_model::attribution::Attribution;
    use shiftbook_model::duty_log::{self, EventType};
    use shiftbook_model::roster::Role;
    let mut doc = duty_log::genesis("demo", date)?;
    for (id, time, event) in [
        ("known", "09:00", "巡查大堂"),
        ("newer", "09:10", "无人机巡查屋面"),
    ] {
        let draft = duty_log::Draft {
            id: id.into(),
            occurred: format!("{date} {time}"),
            post: "lobby".into(),
            kind: EventType::Patrol,
            event: event.into(),
            action: String::new(),
            result: String::new(),
        };
        let by = Attribution {
            person_id: LEADER.id.into(),
            person: LEADER.name.into(),
            role: Role::Leader,
            device: "测试设备".into(),
            at_ms: 1_800_000_000_000,
        };
        duty_log::record(&mut doc, &draft, &by)?;
    }
    let (_, entries) = doc.get(ROOT, "entries")?.ok_or("no entries")?;
    let (_, newer) = doc.get(&entries, 1)?.ok_or("no second entry")?;
    let mut tx = doc.transaction();
    tx.put(&newer, "kind", "drone-patrol")?;
    tx.commit();
    Ok(doc)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_duty_entry_from_a_newer_build_is_left_out_announced_and_kept() -> BrowserResult<()> {
    if !require_chromium("a_duty_entry_from_a_newer_build") {
        return Ok(());
    }
    let data = tempfile::tempdir()?;
    let [tablet_token, native_token] = enroll_all(data.path(), ["大堂平板1", "测试设备"])?;
    let server = serve_app(data.path()).await?;
    let key = shiftbook_tests::fixtures::site_key(server.addr(), &native_token).await?;
    let native = shiftbook_tests::native_tablet::NativeTablet::connect_ready(
        server.addr(),
        &native_token,
        LOAD,
    )
    .await?;
    let t = Browser::tablet("desk-newer").await?;
    enrol(&t, &server.base_url(), &tablet_token).await?;
    sign_in_to_agenda(&t, &STAFF).await?;
    open_from_rail(&t, "duty-log", "duty-log").await?;
    let _ = t.console_log().await?;
    assert!(!t.exists("[data-testid=newer-records]").await?);

    // Another tablet of the site, on a newer build, wrote today's log.
    let today = service_day(&t, 0).await?;
    let id = shiftbook_model::duty_log::document_id(&key, &today);
    native.insert(id, duty_day_with_a_newer_entry(&today)?)?;
    native.wait_confirmed(id, LOAD).await?;

    // The log still reads here: the known entry shows, the other is
    // announced, and the tablet looks for the new build at once.
    t.wait_until(
        "document.querySelectorAll('[data-testid=duty-entries] .duty-row').length === 1",
        LOAD,
    )
    .await?;
    assert_eq!(
        rows(&t).await?,
        [("09:00".to_owned(), "巡查大堂".to_owned())]
    );
    t.wait_for("[data-testid=newer-records]", LOAD).await?;
    let banner = t.text("[data-testid=newer-records]").await?;
    assert!(banner.contains("1 条记录来自较新版本"), "{banner}");
    let said = t.console_log().await?;
    assert!(
        said.iter()
            .any(|l| l.contains("1 record(s) from a newer build")),
        "console: {said:?}"
    );
    shot(
        &t,
        "[data-testid=newer-records]",
        "5a-duty-log-newer-entry.png",
    )
    .await?;

    // The log still takes this tablet's entries, and the newer one is
    // kept: the other tablet holds all three.
    record(&t, "patrol", "09:20", "巡查车库").await?;
    native.want(id);
    native
        .wait_until("the tablet's entry", LOAD, |c| {
            c.doc(&id).is_some_and(|d| {
                use automerge::ReadDoc;
                d.get(automerge::ROOT, "entries")
                    .ok()
                    .flatten()
                    .is_some_and(|(_, l)| d.length(&l) == 3)
            })
        })
        .await?;

    // Read from storage after a reload, it is announced again.
    t.reload().await?;
    t.wait_for("[data-testid=newer-records]", LOAD).await?;
    t.close().await?;
    Ok(())
}
