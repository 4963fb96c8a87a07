//! Browser end to end, in headless Chromium: two tablets count the demo
//! show flat's living room at opening, offline (CDP emulation and the
//! server killed). One taps "all as expected"; the other counts the
//! cushions as one short. Both add a visitor. After the network comes
//! back, both show the cushions as disputed (both values, who counted) and
//! two visitors; a recount resolves it. A closing count that differs from
//! the opening count is a discrepancy, and the supervisor's desktop shows
//! it. Then the day's record: a guest's opinion and a visitor correction on
//! a tablet reach the desktop's daily summary; the leader signs the day on
//! the tablet, and a count after the signature shows on the summary. The
//! supervisor adds an item to the flat's list on the desktop and a tablet
//! counting a later day sees it.

use shiftbook_tests::browser::{Browser, BrowserResult, require_chromium};
use shiftbook_tests::e2e::{
    LEADER, LOAD, STAFF, desktop_login, desktop_tab, enrol, enroll_all, screenshot_dir, serve_app,
    sign_in_to_agenda, take_photo, tap, wait_badge,
};
use shiftbook_tests::roster_seed::SUPERVISOR_PASSWORD;

const FLAT: &str = "demo-flat-a";

fn item(id: &str) -> String {
    format!("[data-flat-item='{id}']")
}

/// Open the demo flat's count from the navigation rail.
async fn open_flat(b: &Browser) -> BrowserResult<()> {
    let link = format!("[data-action=show-flat][data-flat='{FLAT}']");
    b.wait_for(&link, LOAD).await?;
    b.eval(&format!("document.querySelector(\"{link}\").click()"))
        .await?;
    b.wait_for("[data-testid=show-flat]", LOAD).await?;
    Ok(())
}

async fn wait_item_state(b: &Browser, id: &str, state: &str) -> BrowserResult<()> {
    b.wait_until(
        &format!(
            "document.querySelector(\"{}\")?.dataset.state === '{state}'",
            item(id)
        ),
        LOAD,
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_tablets_count_a_flat_offline_disagree_recount_and_the_desktop_sees_the_discrepancy()
-> BrowserResult<()> {
    if !require_chromium("two_tablets_count_a_flat_offline") {
        return Ok(());
    }
    let shots = screenshot_dir();
    let data = tempfile::tempdir()?;
    let [token1, token2] = enroll_all(data.path(), ["样板房平板1", "样板房平板2"])?;
    let mut server = serve_app(data.path()).await?;
    let base = server.base_url();
    let a = Browser::tablet("flat-1").await?;
    let b = Browser::tablet("flat-2").await?;
    enrol(&a, &base, &token1).await?;
    enrol(&b, &base, &token2).await?;
    sign_in_to_agenda(&a, &STAFF).await?;
    sign_in_to_agenda(&b, &LEADER).await?;
    open_flat(&a).await?;
    open_flat(&b).await?;

    a.set_offline(true).await?;
    b.set_offline(true).await?;
    server.kill()?;
    wait_badge(&a, "offline", LOAD).await?;
    wait_badge(&b, "offline", LOAD).await?;

    // A: the whole living room as expected (6 cushions). B: 5 cushions.
    tap(&a, "[data-room=living] [data-action=room-as-expected]").await?;
    wait_item_state(&a, "cushions", "counted").await?;
    tap(&b, &format!("{} [data-action=less]", item("cushions"))).await?;
    wait_item_state(&b, "cushions", "counted").await?;
    assert_eq!(
        b.text(&format!("{} [data-testid=quantity]", item("cushions")))
            .await?,
        "5"
    );
    // B's count differs from what is expected: a discrepancy at once.
    b.wait_for("[data-testid=discrepancy]", LOAD).await?;
    tap(&a, "[data-action=add-visitor]").await?;
    tap(&b, "[data-action=add-visitor]").await?;
    a.wait_until(
        "document.querySelector('[data-testid=visitors]')?.textContent === '1'",
        LOAD,
    )
    .await?;

    // Back online: the cushions are disputed on both, visitors add up.
    server.restart().await?;
    a.set_offline(false).await?;
    b.set_offline(false).await?;
    for t in [&a, &b] {
        wait_badge(t, "synced", LOAD).await?;
        wait_item_state(t, "cushions", "disputed").await?;
        t.wait_until(
            "document.querySelector('[data-testid=visitors]')?.textContent === '2'",
            LOAD,
        )
        .await?;
        let disputed = t
            .text(&format!(
                "{} [data-testid=count-disputed]",
                item("cushions")
            ))
            .await?;
        assert!(
            disputed.contains("张伟") && disputed.contains("李娜"),
            "{disputed}"
        );
        // The rest of the room is quietly counted.
        wait_item_state(t, "sofa", "counted").await?;
    }
    a.screenshot(shots.join("40-flat-disputed.png")).await?;

    // A recount (6 found, in place) resolves it everywhere.
    tap(
        &a,
        &format!("{} [data-condition=in-place]", item("cushions")),
    )
    .await?;
    for t in [&a, &b] {
        wait_item_state(t, "cushions", "counted").await?;
    }

    // Closing: one vase short of what opening counted — a discrepancy.
    tap(&a, "[data-session=closing]").await?;
    a.wait_until(
        "document.querySelector(\"[data-session=closing]\").getAttribute('aria-pressed') === 'true'",
        LOAD,
    )
    .await?;
    tap(&a, &format!("{} [data-action=less]", item("vases-living"))).await?;
    a.wait_until(
        "[...document.querySelectorAll('[data-testid=discrepancy]')].some(e => e.textContent.includes('闭馆'))",
        LOAD,
    )
    .await?;
    // The vase left is damaged: a photo of it, which the repair
    // follow-up shows as "before". An item in place takes none.
    tap(
        &a,
        &format!("{} [data-condition=damaged]", item("vases-living")),
    )
    .await?;
    take_photo(&a, &item("vases-living")).await?;
    assert!(
        !a.exists(&format!("{} [data-testid=photo-input]", item("sofa")))
            .await?
    );
    wait_badge(&a, "synced", LOAD).await?;

    // The supervisor's desktop sees it.
    let desk = Browser::desktop("flat-desk").await?;
    desktop_login(&desk, &base, "zhuguan", SUPERVISOR_PASSWORD).await?;
    desktop_tab(&desk, "flats").await?;
    tap(
        &desk,
        &format!("[data-flat='{FLAT}'] [data-action=open-count]"),
    )
    .await?;
    desk.wait_for("[data-testid=show-flat]", LOAD).await?;
    assert!(
        desk.exists("[data-testid=desktop-tabs] [data-tab=flats].active")
            .await?,
        "a flat's count is in the flats tab"
    );
    desk.wait_until(
        "[...document.querySelectorAll('[data-testid=discrepancy]')].some(e => e.textContent.includes('闭馆'))",
        LOAD,
    )
    .await?;
    desk.wait_until(
        "document.querySelector('[data-testid=visitors]')?.textContent === '2'",
        LOAD,
    )
    .await?;
    // The opening count shows the photo taken at closing, without a
    // camera button (the vase was in place then).
    desk.wait_for(&format!("{} .photo-thumb img", item("vases-living")), LOAD)
        .await?;
    assert!(
        !desk
            .exists(&format!(
                "{} [data-testid=photo-input]",
                item("vases-living")
            ))
            .await?
    );
    desk.screenshot(shots.join("41-flat-desktop.png")).await?;
    desktop_tab(&desk, "followups").await?;
    desk.wait_for(
        "[data-followup='vases-living'] [data-testid=photos-before] .photo-thumb img",
        LOAD,
    )
    .await?;
    desk.screenshot(shots.join("41b-flat-repair-before-photo.png"))
        .await?;

    // The leader's tablet: a guest's opinion and a visitor tapped twice.
    b.fill("[name=feedback-text]", "客厅灯光很温馨").await?;
    b.fill("[name=feedback-guest]", "陈先生").await?;
    tap(&b, "[data-action=record-feedback]").await?;
    b.wait_for("[data-testid=feedback-entry]", LOAD).await?;
    tap(&b, "[data-action=correct-visitor]").await?;
    // No reason, no correction.
    tap(&b, "[data-action=confirm-correction]").await?;
    b.wait_for("[role=alert]", LOAD).await?;
    b.fill("[name=correction-reason]", "重复点击").await?;
    tap(&b, "[data-action=confirm-correction]").await?;
    b.wait_until(
        "document.querySelector('[data-testid=visitors]')?.textContent === '1'",
        LOAD,
    )
    .await?;
    wait_badge(&b, "synced", LOAD).await?;

    // The desktop's daily summary shows them, and the day is not signed.
    desktop_tab(&desk, "flats").await?;
    let card = format!("[data-testid=flats-admin] [data-flat='{FLAT}']");
    desk.wait_until(
        &format!(
            "document.querySelector(\"{card} [data-testid=summary-visitors]\")?.textContent === '1'"
        ),
        LOAD,
    )
    .await?;
    let summary = desk.text(&card).await?;
    assert!(
        summary.contains("客厅灯光很温馨") && summary.contains("陈先生"),
        "{summary}"
    );
    assert!(summary.contains("闭馆"), "{summary}");
    assert!(summary.contains("尚未签字"), "{summary}");

    // The leader signs the day; the desktop sees the signature.
    tap(&b, "[data-testid=flat-review] [data-action=sign-off]").await?;
    tap(&b, "[data-testid=flat-review] [data-action=confirm-sign]").await?;
    b.wait_for("[data-testid=flat-review] [data-testid=signature]", LOAD)
        .await?;
    desk.wait_until(
        &format!(
            "document.querySelector(\"{card} [data-testid=summary-review]\")?.textContent.includes('李娜')"
        ),
        LOAD,
    )
    .await?;
    // A count after the signature is not covered by it, and says so.
    tap(&a, &format!("{} [data-action=more]", item("vases-living"))).await?;
    desk.wait_until(
        &format!(
            "document.querySelector(\"{card} [data-testid=summary-review]\")?.textContent.includes('签字后又有 1 处更改')"
        ),
        LOAD,
    )
    .await?;
    b.wait_for(
        "[data-testid=flat-review] [data-testid=after-signing]",
        LOAD,
    )
    .await?;
    desk.screenshot(shots.join("42-flat-summary.png")).await?;

    // The supervisor adds an item to the flat's list.
    tap(
        &desk,
        &format!("[data-action=edit-flat][data-flat='{FLAT}']"),
    )
    .await?;
    desk.wait_for("[data-testid=flat-form]", LOAD).await?;
    tap(&desk, "[data-action=add-row]").await?;
    desk.fill(
        "[data-testid=flat-form] tbody tr:last-child [name=item-zh]",
        "香薰机",
    )
    .await?;
    desk.fill(
        "[data-testid=flat-form] tbody tr:last-child [name=item-en]",
        "Diffuser",
    )
    .await?;
    desk.screenshot(shots.join("43-flat-item-list.png")).await?;
    tap(&desk, "[data-action=save-flat]").await?;
    desk.wait_for("[data-testid=flat-saved]", LOAD).await?;
    // Today's count keeps the list it is counted against; a later day
    // (not counted yet) on the tablet has the new item.
    assert!(!a.text("[data-testid=show-flat]").await?.contains("香薰机"));
    a.eval(&format!("location.hash = '#flat/{FLAT}/2030-01-02'"))
        .await?;
    a.wait_until(
        "[...document.querySelectorAll('[data-flat-item] h3')].some(e => e.textContent === '香薰机')",
        LOAD,
    )
    .await?;
    assert!(
        !a.exists("[data-testid=flat-switcher]").await?,
        "one flat: nothing to switch to"
    );

    // A second flat: the count page switches between them, on the same
    // day, and the rail's show-flat item stays the current one.
    tap(&desk, "[data-action=add-flat]").await?;
    desk.wait_for("[data-testid=flat-form]", LOAD).await?;
    desk.fill("[name=flat-name-zh]", "样板房B").await?;
    tap(&desk, "[data-action=add-row]").await?;
    let row = "[data-testid=flat-form] tbody tr:last-child";
    desk.fill(&format!("{row} [name=room-zh]"), "客厅").await?;
    desk.fill(&format!("{row} [name=item-zh]"), "落地灯")
        .await?;
    desk.fill(&format!("{row} [name=expected]"), "1").await?;
    tap(&desk, "[data-action=save-flat]").await?;
    desk.wait_for("[data-testid=flat-saved]", LOAD).await?;
    let other = format!(
        "[data-testid=flat-switcher] [data-action=switch-flat]:not([data-option='{FLAT}'])"
    );
    a.wait_for(&other, LOAD).await?;
    assert!(
        a.exists(&format!(
            "[data-testid=flat-switcher] [data-option='{FLAT}'].current"
        ))
        .await?
    );
    tap(&a, &other).await?;
    a.wait_until(
        "[...document.querySelectorAll('[data-flat-item] h3')].some(e => e.textContent === '落地灯')",
        LOAD,
    )
    .await?;
    let hash = a.eval("return location.hash").await?;
    let hash = hash.as_str().unwrap_or_default();
    assert!(
        hash.starts_with("#flat/") && hash.ends_with("/2030-01-02") && !hash.contains(FLAT),
        "{hash}"
    );
    assert!(
        a.exists("[data-testid=nav-rail] [data-action=show-flat].active")
            .await?
    );
    a.screenshot(shots.join("44-flat-switcher.png")).await?;
    Ok(())
}
