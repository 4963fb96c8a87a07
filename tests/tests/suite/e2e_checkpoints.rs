//! Browser end to end, in headless Chromium: the supervisor puts up a
//! checkpoint at the lobby doors and one at the escalators on the desktop
//! (their labels read off the printable sheet, which prints alone on one
//! A4 page), asks for a scan within 10 minutes before the doors are ticked
//! and 60 s of walking between checkpoints; a tablet whose (fake) camera
//! shows one printed label, then the other, walks the lobby opening with the
//! network and the server gone: the doors cannot be ticked until their
//! label is scanned, the second label read seconds later is too fast, the
//! escalators' label "cannot be scanned" with a reason; everything
//! survives a reload and reaches the desktop, which shows the scans, the
//! walked mark, the flags, its own mark as recorded at the desk, and the
//! day's checkpoint report.
//!
//! Chromium on Linux has no `BarcodeDetector`, so the label is read by
//! the app's wasm decoder (rqrr) from the camera's frames.

use shiftbook_tests::browser::{Browser, BrowserResult, require_chromium};
use shiftbook_tests::e2e::{
    LOAD, STAFF, desktop_login, desktop_tab, enrol, enroll_all, item, open_lobby_round,
    screenshot_dir, serve_app, sign_in_to_agenda, wait_badge, wait_state, what_does_not_fit,
};
use shiftbook_tests::fake_camera::qr_video;
use shiftbook_tests::roster_seed::SUPERVISOR_PASSWORD;

/// Add a checkpoint proving the lobby opening's `item` on the desktop's
/// checkpoints page; its label's text.
async fn add_checkpoint(desk: &Browser, name: &str, item_id: &str) -> BrowserResult<String> {
    desktop_tab(desk, "checkpoints").await?;
    desk.click("[data-action=add-checkpoint]").await?;
    let form = "[data-testid=checkpoint-form]";
    desk.wait_for(form, LOAD).await?;
    desk.fill(&format!("{form} input[name=checkpoint-name]"), name)
        .await?;
    desk.fill(&format!("{form} input[name=checkpoint-place]"), "大堂")
        .await?;
    desk.eval(&format!(
        "const s = document.querySelector('{form} select[name=checkpoint-template]');
         s.value = 'lobby-opening'; s.dispatchEvent(new Event('change'));"
    ))
    .await?;
    desk.click(&format!(
        "{form} input[name=proves-item][value='{item_id}']"
    ))
    .await?;
    desk.click("[data-action=save-checkpoint]").await?;
    let label = "[data-testid=label-sheet] figure";
    desk.wait_until(
        &format!(
            "Array.from(document.querySelectorAll('{label}')).some(f => f.textContent.includes('{name}'))"
        ),
        LOAD,
    )
    .await?;
    let text = desk
        .eval(&format!(
            "return Array.from(document.querySelectorAll('{label}'))
               .find(f => f.textContent.includes('{name}')).dataset.text;"
        ))
        .await?;
    Ok(text.as_str().ok_or("a label without its text")?.to_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_guard_scans_a_checkpoint_offline_and_the_desktop_sees_the_walk() -> BrowserResult<()> {
    if !require_chromium("a_guard_scans_a_checkpoint_offline") {
        return Ok(());
    }
    let shots = screenshot_dir();
    let data = tempfile::tempdir()?;
    let [token] = enroll_all(data.path(), ["大堂平板1"])?;
    let mut server = serve_app(data.path()).await?;
    let base = server.base_url();

    // The supervisor: two checkpoints, and the doors need a scan.
    let desk = Browser::desktop("cp-desk").await?;
    desktop_login(&desk, &base, "zhuguan", SUPERVISOR_PASSWORD).await?;
    let doors_label = add_checkpoint(&desk, "大门岗", "doors").await?;
    let escalators_label = add_checkpoint(&desk, "扶梯口", "escalators").await?;
    assert!(doors_label.starts_with("SBCP:"), "{doors_label}");
    // Changed afterwards, a checkpoint keeps its label.
    desk.eval(
        "Array.from(document.querySelectorAll('[data-checkpoint]'))
           .find(r => r.textContent.includes('大门岗'))
           .querySelector('[data-action=edit-checkpoint]').click();",
    )
    .await?;
    let form = "[data-testid=checkpoint-form]";
    desk.wait_for(form, LOAD).await?;
    assert_eq!(
        desk.eval(&format!(
            "return document.querySelector('{form} input[name=checkpoint-name]').value"
        ))
        .await?,
        "大门岗"
    );
    desk.fill(&format!("{form} input[name=checkpoint-place]"), "大堂正门")
        .await?;
    desk.click("[data-action=save-checkpoint]").await?;
    desk.wait_until(
        "document.querySelector('[data-testid=checkpoints]').textContent.includes('大堂正门')",
        LOAD,
    )
    .await?;
    let relabelled = desk
        .eval(
            "return Array.from(document.querySelectorAll('[data-testid=label-sheet] figure'))
               .find(f => f.textContent.includes('大门岗')).dataset.text;",
        )
        .await?;
    assert_eq!(relabelled, doors_label.as_str(), "the same label");
    assert_eq!(
        desk.eval(
            "return document.querySelectorAll('[data-testid=label-sheet] figure svg').length"
        )
        .await?,
        2,
        "a QR code on each label"
    );
    desk.screenshot(shots.join("60-checkpoints-desktop.png"))
        .await?;
    // Printed, the page is the labels alone: one A4 sheet.
    desk.cdp(
        "Emulation.setEmulatedMedia",
        serde_json::json!({ "media": "print" }),
    )
    .await?;
    assert_eq!(
        desk.eval(
            "return document.querySelector('[data-testid=checkpoints]').getClientRects().length"
        )
        .await?,
        0,
        "the table is not printed"
    );
    desk.screenshot(shots.join("60-checkpoint-labels-print.png"))
        .await?;
    desk.cdp(
        "Emulation.setEmulatedMedia",
        serde_json::json!({ "media": "" }),
    )
    .await?;
    let pdf = desk
        .cdp(
            "Page.printToPDF",
            serde_json::json!({ "paperWidth": 8.27, "paperHeight": 11.69, "preferCSSPageSize": true }),
        )
        .await?;
    let pdf = pdf["data"].as_str().ok_or("no PDF")?;
    let pdf = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, pdf)?;
    std::fs::write(shots.join("60-checkpoint-labels.pdf"), &pdf)?;
    let count = |what: &[u8]| pdf.windows(what.len()).filter(|w| *w == what).count();
    let pages = count(b"/Type /Page") - count(b"/Type /Pages");
    assert!(pdf.starts_with(b"%PDF"), "a PDF");
    assert_eq!(pages, 1, "two labels print on one A4 sheet");
    desktop_tab(&desk, "templates").await?;
    desk.click("[data-template=lobby-opening] [data-action=edit-template]")
        .await?;
    let form = "[data-testid=template-form]";
    desk.wait_for(form, LOAD).await?;
    // The whole entrance area (the doors and the escalators) needs a scan
    // in the 10 minutes before a tick: one rule, set for the area.
    desk.eval(&format!(
        "const s = document.querySelector('{form} select[name=area-scan-area]');
         s.value = '出入口与扶梯'; s.dispatchEvent(new Event('change'));"
    ))
    .await?;
    desk.fill(&format!("{form} input[name=area-scan-within]"), "10")
        .await?;
    desk.click("[data-action=area-scan]").await?;
    let within = desk
        .eval(&format!(
            "return Array.from(document.querySelectorAll('{form} input[name=item-scan-within]')).map(i => i.value)"
        ))
        .await?;
    let within = within.as_array().ok_or("no scan column")?;
    assert_eq!(
        within[..2],
        ["10", "10"],
        "doors and escalators: {within:?}"
    );
    assert!(
        within[2..].iter().all(|v| v == ""),
        "the other areas keep no rule: {within:?}"
    );
    desk.screenshot(shots.join("60-template-area-scan.png"))
        .await?;
    desk.fill(&format!("{form} input[name=min-walk]"), "60")
        .await?;
    desk.click("[data-action=save-template]").await?;
    desk.wait_for("[data-testid=template-saved]", LOAD).await?;
    wait_badge(&desk, "synced", LOAD).await?;

    // The tablet, its camera before the doors' printed label.
    let video = data.path().join("label.y4m");
    qr_video(&doors_label, &video)?;
    let t = Browser::tablet_with_camera("cp-tablet", &video).await?;
    enrol(&t, &base, &token).await?;
    sign_in_to_agenda(&t, &STAFF).await?;
    open_lobby_round(&t).await?;
    t.wait_for("[data-testid=scan-panel]", LOAD).await?;
    let doors = item("doors");
    t.wait_for(&format!("{doors} [data-testid=needs-scan]"), LOAD)
        .await?;
    assert!(
        t.text(&format!("{doors} [data-testid=needs-scan]"))
            .await?
            .contains("大门岗")
    );
    t.wait_for(
        &format!("{} [data-testid=needs-scan]", item("escalators")),
        LOAD,
    )
    .await?;

    // No network at all from here until the restart.
    t.set_offline(true).await?;
    server.kill()?;
    wait_badge(&t, "offline", LOAD).await?;
    // The doors cannot be ticked before the scan.
    let disabled = t
        .eval(&format!(
            "const b = document.querySelector(\"{doors} [data-action=normal]\"); b.click(); return b.disabled;"
        ))
        .await?;
    assert_eq!(disabled, true);
    assert_eq!(
        t.eval(&format!(
            "return document.querySelector(\"{doors}\").dataset.state"
        ))
        .await?,
        "unmarked"
    );
    t.screenshot(shots.join("61-round-needs-scan.png")).await?;
    // The doors' label, then — seconds later, the camera now before the
    // escalators' label — that one: faster than the 60 s walk. (Chromium
    // opens the video file anew each time the camera starts.)
    let scans = "[data-testid=scans] li";
    let count = format!("document.querySelectorAll('{scans}').length");
    for (label, name) in [(&doors_label, "大门岗"), (&escalators_label, "扶梯口")] {
        qr_video(label, &video)?;
        let before = t.eval(&format!("return {count};")).await?;
        t.wait_until(
            "!document.querySelector('[data-action=scan]').disabled",
            LOAD,
        )
        .await?;
        t.click("[data-action=scan]").await?;
        t.wait_until(&format!("{count} > {before}"), LOAD).await?;
        let said = t.text("[data-testid=scan-said]").await?;
        assert!(said.contains(name), "{said}");
    }
    t.wait_for("[data-testid=too-fast]", LOAD).await?;
    t.wait_until(
        &format!("document.querySelector(\"{doors} [data-testid=needs-scan]\") === null"),
        LOAD,
    )
    .await?;
    t.click(&format!("{doors} [data-action=normal]")).await?;
    wait_state(&t, "doors", "normal", LOAD).await?;
    t.wait_for(&format!("{doors} [data-proof=walked]"), LOAD)
        .await?;
    // The escalators' label is gone: "cannot scan", with why.
    t.click("[data-action=cannot-scan]").await?;
    t.wait_for("[data-testid=cannot-scan-form]", LOAD).await?;
    t.eval(
        "const s = document.querySelector('[data-testid=cannot-scan-form] select');
         s.value = Array.from(s.options).find(o => o.textContent === '扶梯口').value;
         s.dispatchEvent(new Event('change'));",
    )
    .await?;
    t.fill("[data-testid=cannot-scan-reason]", "标签被雨淋坏")
        .await?;
    let before = t.eval(&format!("return {count};")).await?;
    t.click("[data-action=save-cannot-scan]").await?;
    t.wait_until(&format!("{count} > {before}"), LOAD).await?;
    let total = t.eval(&format!("return {count};")).await?;
    t.screenshot(shots.join("62-round-scanned.png")).await?;

    // A reload offline keeps all of it.
    t.reload().await?;
    t.wait_for("[data-testid=scan-panel]", LOAD).await?;
    t.wait_until(&format!("{count} === {total}"), LOAD).await?;
    wait_state(&t, "doors", "normal", LOAD).await?;
    t.wait_for(&format!("{doors} [data-proof=walked]"), LOAD)
        .await?;

    // Held upright, or on a phone, the scan section and its flags fit.
    for (name, width, height) in [("portrait", 800, 1280), ("phone", 390, 844)] {
        t.cdp(
            "Emulation.setDeviceMetricsOverride",
            serde_json::json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600 }),
        )
        .await?;
        t.wait_until(&format!("window.innerWidth === {width}"), LOAD)
            .await?;
        t.eval("document.querySelector('[data-testid=scan-panel]').scrollIntoView()")
            .await?;
        assert_eq!(what_does_not_fit(&t).await?, Vec::<String>::new(), "{name}");
        t.screenshot(shots.join(format!("62-round-scanned-{name}.png")))
            .await?;
    }
    t.cdp(
        "Emulation.clearDeviceMetricsOverride",
        serde_json::json!({}),
    )
    .await?;

    // The network comes back; the desktop sees the walk.
    server.restart().await?;
    t.set_offline(false).await?;
    wait_badge(&t, "synced", LOAD).await?;
    desktop_tab(&desk, "round").await?;
    open_lobby_round(&desk).await?;
    desk.wait_until(&format!("{count} === {total}"), LOAD)
        .await?;
    let lines = desk
        .eval(&format!(
            "return Array.from(document.querySelectorAll('{scans}')).map(l => [l.textContent, l.classList.contains('flagged')]);"
        ))
        .await?;
    let lines = lines.as_array().ok_or("no scan lines")?;
    let line = |has: &[&str], flagged: bool| {
        lines.iter().any(|l| {
            l[0].as_str()
                .is_some_and(|s| has.iter().all(|h| s.contains(h)))
                && l[1] == flagged
        })
    };
    assert!(
        line(&["大门岗"], false) || line(&["大门岗", "过快"], true),
        "{lines:?}"
    );
    assert!(
        line(&["过快"], true),
        "the second label, too fast: {lines:?}"
    );
    assert!(
        line(&["扶梯口", "标签被雨淋坏"], true),
        "cannot scan is flagged: {lines:?}"
    );
    desk.wait_for(&format!("{doors} [data-proof=walked]"), LOAD)
        .await?;
    // A tick from the office is recorded at the desk: never walked.
    desk.click(&format!("{} [data-action=normal]", item("lighting")))
        .await?;
    wait_state(&desk, "lighting", "normal", LOAD).await?;
    desk.wait_for(
        &format!("{} .bad[data-proof=at-desk]", item("lighting")),
        LOAD,
    )
    .await?;
    desk.screenshot(shots.join("63-round-desktop-scans.png"))
        .await?;
    t.wait_for(&format!("{} [data-proof=at-desk]", item("lighting")), LOAD)
        .await?;

    // The day's checkpoint report: both checkpoints scanned, too fast, one
    // tick at the desk — flagged; and per person and post.
    desktop_tab(&desk, "checkpoints").await?;
    let row = "[data-testid=coverage] tr[data-round^='lobby-opening/']";
    desk.wait_for(row, LOAD).await?;
    let cells = desk
        .eval(&format!(
            "const r = document.querySelector(\"{row}\");
             return [r.classList.contains('flagged'), ...Array.from(r.cells).map(c => c.textContent)];"
        ))
        .await?;
    let cells = cells.as_array().ok_or("no cells")?;
    let expected = serde_json::json!([
        true,
        "大堂开班巡查",
        "08:30",
        "zhuguan、张伟",
        "2 / 2",
        "0",
        "0",
        "1"
    ]);
    assert_eq!(
        Some(&cells[..8]),
        expected.as_array().map(|e| &e[..]),
        "round, due, people, scanned / expected, cannot scan, no scan, at the desk: {cells:?}"
    );
    assert_ne!(cells[8], "0", "too fast: {cells:?}");
    assert_eq!(cells[9], "", "nothing missed");
    assert!(
        desk.text("[data-testid=coverage]")
            .await?
            .contains("按人员")
    );
    desk.screenshot(shots.join("64-checkpoint-report.png"))
        .await?;

    // The doors' label is lost: revoked, it gets a new code to print; the
    // scan made with the old one still counts (it came first).
    let doors_row = "Array.from(document.querySelectorAll('[data-checkpoint]')).find(r => r.textContent.includes('大门岗'))";
    desk.eval(&format!(
        "const r = {doors_row}; const i = r.querySelector('[data-testid=revoke-reason]');
         i.value = '标签丢失'; i.dispatchEvent(new Event('input'));
         r.querySelector('[data-action=revoke-label]').click();"
    ))
    .await?;
    let label_of_doors = "Array.from(document.querySelectorAll('[data-testid=label-sheet] figure')).find(f => f.textContent.includes('大门岗'))";
    desk.wait_until(
        &format!("{label_of_doors}.textContent.includes('#2')"),
        LOAD,
    )
    .await?;
    let new_label = desk
        .eval(&format!("return {label_of_doors}.dataset.text;"))
        .await?;
    assert!(
        new_label
            .as_str()
            .is_some_and(|l| l.starts_with("SBCP:") && l != doors_label),
        "a new code: {new_label}"
    );
    desk.wait_for(&format!("{row}.flagged"), LOAD).await?;
    let scanned = desk
        .eval(&format!(
            "return document.querySelector(\"{row}\").cells[3].textContent;"
        ))
        .await?;
    assert_eq!(scanned, "2 / 2", "scans before the revocation still count");
    desk.close().await?;
    t.close().await?;
    Ok(())
}
