//! The supervisor's dashboard, the desktop's first screen, over generated
//! data: ten days of two sites' rounds written into the data directory
//! (on time, late, made up, missed — chosen by a seeded generator), the
//! server started on them (it builds the projection on start). The
//! figures on the page equal the generator's own counts, for one site and
//! for both; a tapped figure lists exactly the slots behind it; the CSV
//! and Excel exports read back as those slots.

use shiftbook_model::schedule::{Date, LocalDateTime};
use shiftbook_tests::browser::{Browser, BrowserResult, require_chromium};
use shiftbook_tests::e2e::{LOAD, desktop_login, screenshot_dir};
use shiftbook_tests::roster_seed::SUPERVISOR_PASSWORD;
use shiftbook_tests::server_process::{ServerOptions, ServerProcess, add_supervisor};
use shiftbook_tests::year_of_rounds::{self, Generated};

/// Today at the sites' offset (China), as the server counts.
fn today() -> BrowserResult<Date> {
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default();
    let local = LocalDateTime::from_epoch_minutes(
        now_ms / 60_000 + i64::from(sync_server::projection::UTC_OFFSET_MIN),
    )
    .ok_or("a clock out of range")?;
    Ok(local.date)
}

/// The total the page shows for `verdict`.
async fn total(desk: &Browser, verdict: &str) -> BrowserResult<String> {
    desk.text(&format!(
        "[data-testid=dashboard-totals] [data-figure=total][data-verdict={verdict}]"
    ))
    .await
}

/// Every total the page shows, as the generator would say them for
/// `site` (both: `None`).
async fn assert_totals(desk: &Browser, g: &Generated, site: Option<&str>) -> BrowserResult<()> {
    // The page answers after a request: wait until it shows this count.
    let due = g.due(site).to_string();
    desk.wait_until(
        &format!(
            "document.querySelector('[data-testid=dashboard-totals] [data-verdict=due]')?.textContent === '{due}'"
        ),
        LOAD,
    )
    .await?;
    for verdict in ["on_time", "late", "made_up", "missed"] {
        assert_eq!(
            total(desk, verdict).await?,
            g.count(site, verdict).to_string(),
            "{verdict} of {site:?}"
        );
    }
    for verdict in ["in_progress", "open", "on_demand"] {
        assert_eq!(total(desk, verdict).await?, "0", "{verdict}");
    }
    assert_eq!(total(desk, "abnormal").await?, g.abnormal(site).to_string());
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_counts_generated_rounds_and_opens_the_slots_behind_a_figure()
-> BrowserResult<()> {
    if !require_chromium("the_dashboard_counts_generated_rounds") {
        return Ok(());
    }
    let shots = screenshot_dir();
    let data = tempfile::tempdir()?;
    let first = today()?.add_days(-12);
    let g = year_of_rounds::generate(data.path(), &["demo", "east"], first, 10, 20261207)?;
    let last = first.add_days(9).to_string();
    assert!(g.count(Some("demo"), "missed") > 0 && g.count(Some("demo"), "late") > 0);
    add_supervisor(
        data.path(),
        "zhuguan",
        &["demo", "east"],
        SUPERVISOR_PASSWORD,
    )?;
    let options = ServerOptions {
        app_dir: Some(shiftbook_tests::e2e::app_dist()),
        ..ServerOptions::default()
    };
    let server = ServerProcess::start_with(data.path(), options).await?;
    let base = server.base_url();

    let desk = Browser::desktop("dash-desk").await?;
    desktop_login(&desk, &base, "zhuguan", SUPERVISOR_PASSWORD).await?;
    // The first screen is the dashboard.
    desk.wait_for(
        "[data-testid=dashboard] [data-testid=dashboard-totals]",
        LOAD,
    )
    .await?;
    assert!(
        desk.exists("[data-testid=desktop-tabs] [data-tab=dashboard][aria-current=page]")
            .await?
    );

    // The generated days, this site.
    desk.click("[data-period=range]").await?;
    desk.eval(&format!(
        "for (const [n, v] of [['from', '{first}'], ['to', '{last}']]) {{
           const i = document.querySelector(`[data-testid=dashboard] input[name=${{n}}]`);
           i.value = v; i.dispatchEvent(new Event('input'));
         }}"
    ))
    .await?;
    desk.click("[data-action=show-range]").await?;
    let site = desk
        .eval("return document.querySelector('[data-testid=site-picker]')?.value ?? null")
        .await?;
    let here = site.as_str().unwrap_or("demo").to_owned();
    assert_totals(&desk, &g, Some(&here)).await?;
    // Per post, as generated.
    for (post, counts) in year_of_rounds::by_post(&g, Some(&here)) {
        for (verdict, n) in counts {
            let shown = desk
                .text(&format!(
                    "[data-testid=dashboard-post] tr[data-row='{post}'] [data-verdict={verdict}]"
                ))
                .await?;
            assert_eq!(shown, n.to_string(), "{post} {verdict}");
        }
    }
    // Ten bars, one a day.
    assert_eq!(
        desk.eval("return document.querySelectorAll('[data-testid=dashboard-chart] g.bar').length")
            .await?,
        10
    );
    desk.screenshot(shots.join("70-dashboard.png")).await?;

    // A figure opens the slots behind it: the missed ones, exactly.
    desk.click("[data-testid=dashboard-totals] button[data-verdict=missed]")
        .await?;
    let missed = g.count(Some(&here), "missed");
    desk.wait_until(
        &format!("document.querySelectorAll('[data-testid=dashboard-slots] tr[data-slot]').length === {missed}"),
        LOAD,
    )
    .await?;
    let rows = desk
        .eval("return Array.from(document.querySelectorAll('[data-testid=dashboard-slots] tr[data-slot]')).map(r => [r.dataset.slot, r.dataset.verdict])")
        .await?;
    let mut shown: Vec<String> = rows
        .as_array()
        .ok_or("no rows")?
        .iter()
        .map(|r| {
            assert_eq!(r[1], "missed");
            r[0].as_str().unwrap_or_default().to_owned()
        })
        .collect();
    let mut want: Vec<String> = g
        .slots
        .iter()
        .filter(|s| s.site == here && s.verdict == "missed")
        .map(|s| format!("{}/{}/{}", s.template, s.date, s.slot))
        .collect();
    shown.sort();
    want.sort();
    assert_eq!(shown, want);
    desk.screenshot(shots.join("71-dashboard-missed.png"))
        .await?;

    // Both sites: the totals of both, and a row per site.
    desk.click("[data-action=close-slots]").await?;
    desk.eval("window.scrollTo(0, 0)").await?;
    desk.click("[data-sites=all]").await?;
    assert_totals(&desk, &g, None).await?;
    for s in ["demo", "east"] {
        assert_eq!(
            desk.text(&format!(
                "[data-testid=dashboard-site] tr[data-row='{s}'] [data-verdict=late]"
            ))
            .await?,
            g.count(Some(s), "late").to_string()
        );
    }
    desk.screenshot(shots.join("72-dashboard-all-sites.png"))
        .await?;

    // The export links download the same rounds: CSV and Excel, read back.
    let csv = desk
        .eval("return fetch(document.querySelector('[data-export=csv]').href).then(r => r.text())")
        .await?;
    let csv = csv.as_str().ok_or("no CSV")?;
    let mut reader = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.map(|r| r.iter().map(str::to_owned).collect()))
        .collect::<Result<_, _>>()?;
    assert_eq!(rows.len(), g.due(None), "a row per slot of both sites");
    for (verdict, word) in [
        ("on_time", "按时"),
        ("late", "迟到"),
        ("made_up", "补巡"),
        ("missed", "漏巡"),
    ] {
        assert_eq!(
            rows.iter().filter(|r| r[8] == word).count(),
            g.count(None, verdict),
            "{word}"
        );
    }
    let xlsx = desk
        .eval(
            "return fetch(document.querySelector('[data-export=xlsx]').href)
               .then(r => r.arrayBuffer())
               .then(b => { let s = ''; for (const x of new Uint8Array(b)) s += String.fromCharCode(x); return btoa(s); })",
        )
        .await?;
    use base64::Engine as _;
    let bytes =
        base64::engine::general_purpose::STANDARD.decode(xlsx.as_str().ok_or("no XLSX")?)?;
    use calamine::Reader as _;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes))?;
    let sheet = book.worksheet_range("巡查记录")?;
    let cells: Vec<Vec<String>> = sheet
        .rows()
        .skip(1)
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(cells, rows, "the workbook holds what the CSV holds");
    desk.close().await?;
    drop(server);
    Ok(())
}
