//! Speed of the supervisor's dashboard (issue 19, "Targets"): a benchmark
//! that prints figures, not a test.
//!
//! ```text
//! cargo build --release -p sync-server
//! cargo run --release -p shiftbook-tests --bin dashboard_speed -- [--sites 20] [--days 365] [--others-days 30] [--runs 5]
//! ```
//!
//! 1. **Data**: the first site with `--days` days of rounds ending three
//!    days ago, the other `--sites` − 1 with `--others-days` (the targets
//!    are a year of one site and a month of all; `--others-days 365` makes
//!    the whole year of every site, which takes about half an hour to
//!    generate), every slot of every built-in template walked on time,
//!    late, made up or missed (`tests/src/year_of_rounds.rs`), written
//!    into a temporary data directory. Printed: slots, documents, seconds.
//! 2. **Projection rebuilt on start**: the release server started on it;
//!    the seconds until its projection is complete.
//! 3. **The dashboard's answer** (`GET /api/dashboard/rounds` with the
//!    supervisor's cookie, over HTTP): one site's whole period and all
//!    sites' last 30 days; `--runs` runs each, min / median / max.
//! 4. **In Chromium** (when it is there): the desktop logged in, the range
//!    typed, "Show" clicked → the totals shown for that range; the same two
//!    periods, `--runs` runs each. Targets: ≤ 2 s each.
//! 5. **Catching up after a shift offline**: a native tablet makes a
//!    12-hour night of rounds (every 30 minutes, every item marked)
//!    offline, then connects; from the server's acknowledgement of the
//!    last change until the projection shows every round. Target: ≤ 1 s.
//!
//! It needs the server binary (`SHIFTBOOK_SERVER_BIN` or the profile
//! directory this binary runs from), and for 4. the built app and Chromium.

use shiftbook_model::attribution::Attribution;
use shiftbook_model::checklist::{self, Status};
use shiftbook_model::round_figures::RoundsAnswer;
use shiftbook_model::schedule::{Date, LocalDateTime};
use shiftbook_model::template::builtins;
use shiftbook_tests::browser::{Browser, BrowserResult, chromium_available};
use shiftbook_tests::e2e::{LOAD, desktop_login};
use shiftbook_tests::native_tablet::NativeTablet;
use shiftbook_tests::rounds::Round;
use shiftbook_tests::server_process::{
    ServerOptions, ServerProcess, add_supervisor, enroll, http_request,
};
use shiftbook_tests::year_of_rounds;
use std::time::{Duration, Instant};
use sync_server::projection::{Projection, UTC_OFFSET_MIN};

const PASSWORD: &str = "correct horse battery";

struct Options {
    sites: usize,
    days: u32,
    others_days: u32,
    runs: usize,
}

fn parse_args() -> BrowserResult<Options> {
    let mut o = Options {
        sites: 20,
        days: 365,
        others_days: 30,
        runs: 5,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let value = args.next().ok_or(format!("{a} needs a value"))?;
        match a.as_str() {
            "--sites" => o.sites = value.parse()?,
            "--days" => o.days = value.parse()?,
            "--others-days" => o.others_days = value.parse()?,
            "--runs" => o.runs = value.parse()?,
            other => return Err(format!("unknown option {other}").into()),
        }
    }
    Ok(o)
}

fn today() -> BrowserResult<Date> {
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_millis() as i64;
    Ok(
        LocalDateTime::from_epoch_minutes(now_ms / 60_000 + i64::from(UTC_OFFSET_MIN))
            .ok_or("clock out of range")?
            .date,
    )
}

/// min / median / max of `v`, in ms.
fn spread(v: &mut [f64]) -> String {
    v.sort_by(f64::total_cmp);
    match (v.first(), v.get(v.len() / 2), v.last()) {
        (Some(a), Some(m), Some(b)) => format!("{a:.0} / {m:.0} / {b:.0} ms"),
        _ => "no runs".into(),
    }
}

/// The supervisor's session cookie.
async fn login(server: &ServerProcess) -> BrowserResult<String> {
    let (session, _) = shiftbook_tests::roster_seed::log_in(server, "zhuguan", PASSWORD).await?;
    Ok(format!("shiftbook_session={session}"))
}

async fn ask(
    server: &ServerProcess,
    cookie: &str,
    query: &str,
) -> BrowserResult<(f64, RoundsAnswer)> {
    let t = Instant::now();
    let r = http_request(
        server.addr(),
        "GET",
        &format!("/api/dashboard/rounds?{query}"),
        &[("Cookie", cookie)],
        None,
    )
    .await?;
    let ms = t.elapsed().as_secs_f64() * 1000.0;
    if r.status != 200 {
        return Err(format!("{query}: HTTP {} {}", r.status, r.body).into());
    }
    Ok((ms, serde_json::from_str(&r.body)?))
}

/// In the desktop: the range typed and shown, for one site or all; the ms
/// from the click to the totals of that range.
async fn in_browser(
    desk: &Browser,
    from: &str,
    to: &str,
    all: bool,
    due: u32,
) -> BrowserResult<f64> {
    desk.eval("window.scrollTo(0, 0)").await?;
    desk.click(if all {
        "[data-sites=all]"
    } else {
        "[data-sites=this]"
    })
    .await?;
    desk.click("[data-period=range]").await?;
    desk.eval(&format!(
        "for (const [n, v] of [['from', '{from}'], ['to', '{to}']]) {{
           const i = document.querySelector(`[data-testid=dashboard] input[name=${{n}}]`);
           i.value = v; i.dispatchEvent(new Event('input'));
         }}"
    ))
    .await?;
    // Timed inside the page: click → the totals of this range on screen.
    let ms = desk
        .eval(&format!(
            "return new Promise(done => {{
               const t0 = performance.now();
               document.querySelector('[data-action=show-range]').click();
               const look = () => {{
                 const d = document.querySelector('[data-testid=dashboard-totals] [data-verdict=due]');
                 if (d && d.textContent === '{due}') requestAnimationFrame(() => done(performance.now() - t0));
                 else setTimeout(look, 5);
               }};
               look();
             }});"
        ))
        .await?;
    Ok(ms.as_f64().ok_or("no time")?)
}

/// A night of rounds made offline on a native tablet, then uploaded: the
/// ms from the last acknowledgement until the projection has them all.
async fn catch_up(
    server: &ServerProcess,
    data: &std::path::Path,
    token: &str,
) -> BrowserResult<(usize, f64)> {
    let date = today()?.add_days(-1);
    let t = builtins()
        .into_iter()
        .find(|t| t.id == "show-flat-night")
        .ok_or("no night round")?;
    let round = Round {
        site: "bench".into(),
        template: t.clone(),
        date: date.to_string(),
        slot: "1800".into(),
    };
    let mut doc = round.genesis()?;
    doc.set_actor(automerge::ActorId::random());
    let start = LocalDateTime::parse(&format!("{date} 18:00"))?;
    let mut slots = 0;
    for n in 0..24 {
        let at = start.add_minutes(30 * n);
        let slot = at.minute.key();
        let by = |m: i64| Attribution {
            person_id: "p-night".into(),
            person: "刘洋".into(),
            role: shiftbook_model::roster::Role::Staff,
            device: "bench-平板".into(),
            at_ms: (at.add_minutes(m).epoch_minutes() - i64::from(UTC_OFFSET_MIN)) * 60_000,
        };
        for (i, item) in t.items.iter().enumerate() {
            if i == 0 {
                checklist::mark_starting(
                    &mut doc,
                    &t,
                    &slot,
                    &item.id,
                    Status::Normal,
                    "",
                    &by(1),
                )?;
            } else {
                checklist::mark(
                    &mut doc,
                    &slot,
                    &item.id,
                    Status::Normal,
                    "",
                    &by(1 + i as i64),
                )?;
            }
        }
        checklist::finish(&mut doc, &slot, &by(12))?;
        slots += 1;
    }
    let tablet = NativeTablet::connect_ready(server.addr(), token, LOAD).await?;
    let key = shiftbook_tests::fixtures::site_key(server.addr(), token).await?;
    let id = round.id(&key);
    tablet.insert(id, doc)?;
    tablet.wait_confirmed(id, Duration::from_secs(60)).await?;
    let acknowledged = Instant::now();
    let day = date.to_string();
    loop {
        let rounds = Projection::open_read(data)?.rounds("bench", &day, &day)?;
        if rounds
            .iter()
            .filter(|r| r.template_id == t.id && r.finished.is_some())
            .count()
            >= slots
        {
            break;
        }
        if acknowledged.elapsed() > Duration::from_secs(30) {
            return Err("the projection did not catch up in 30 s".into());
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    Ok((slots, acknowledged.elapsed().as_secs_f64() * 1000.0))
}

async fn run(o: Options) -> BrowserResult<()> {
    let data = tempfile::tempdir()?;
    let last = today()?.add_days(-3);
    let first = last.add_days(1 - i32::try_from(o.days)?);
    let names: Vec<String> = (1..=o.sites).map(|n| format!("site-{n:02}")).collect();
    let sites: Vec<&str> = names.iter().map(String::as_str).collect();
    let t = Instant::now();
    let mut g = year_of_rounds::generate(data.path(), &sites[..1], first, o.days, 19)?;
    let others_first = last.add_days(1 - i32::try_from(o.others_days)?);
    let rest = year_of_rounds::generate(data.path(), &sites[1..], others_first, o.others_days, 20)?;
    g.slots.extend(rest.slots);
    g.documents += rest.documents;
    println!(
        "data: {} ({} days, {first} – {last}) and {} more sites ({} days): {} slots, {} documents, generated in {:.1} s",
        sites[0],
        o.days,
        o.sites - 1,
        o.others_days,
        g.due(None),
        g.documents,
        t.elapsed().as_secs_f64()
    );
    let mut all_sites = sites.clone();
    all_sites.push("bench");
    add_supervisor(data.path(), "zhuguan", &all_sites, PASSWORD)?;
    let token = enroll(data.path(), "bench", "bench-平板")?;
    let app_dir = shiftbook_tests::e2e::app_dist();
    let options = ServerOptions {
        app_dir: Some(app_dir.clone()),
        ..ServerOptions::default()
    };
    let t = Instant::now();
    let server = ServerProcess::start_with(data.path(), options).await?;
    loop {
        if Projection::open_read(data.path())
            .and_then(|p| p.is_complete())
            .unwrap_or(false)
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    println!(
        "projection rebuilt on start: {:.1} s",
        t.elapsed().as_secs_f64()
    );

    let cookie = login(&server).await?;
    let one = format!("from={first}&to={last}&site={}", sites[0]);
    let month_from = last.add_days(-29);
    let month = format!("from={month_from}&to={last}");
    for (what, q, want) in [
        (
            format!("one site, {} days", o.days),
            one.clone(),
            g.due(Some(sites[0])),
        ),
        ("all sites, 30 days".to_owned(), month.clone(), 0),
    ] {
        let mut times = Vec::new();
        let mut due = 0;
        let mut counted = 0;
        for _ in 0..o.runs.max(1) {
            let (ms, a) = ask(&server, &cookie, &q).await?;
            times.push(ms);
            due = a.figures.total.due;
            counted = a.sites.len();
        }
        if want > 0 && due as usize != want {
            return Err(
                format!("{what}: the server counted {due} slots, the generator {want}").into(),
            );
        }
        println!(
            "GET /api/dashboard/rounds, {what} ({counted} sites, {due} slots): {}",
            spread(&mut times)
        );
    }

    if chromium_available() && app_dir.join("index.html").exists() {
        let desk = Browser::desktop("bench-desk").await?;
        desktop_login(&desk, &server.base_url(), "zhuguan", PASSWORD).await?;
        desk.wait_for("[data-testid=dashboard-totals]", LOAD)
            .await?;
        let (_, year) = ask(&server, &cookie, &one).await?;
        let (_, all) = ask(&server, &cookie, &month).await?;
        for (what, from, all_sites, due) in [
            (
                format!("one site, {} days", o.days),
                first,
                false,
                year.figures.total.due,
            ),
            (
                format!("all {} sites, 30 days", o.sites + 1),
                month_from,
                true,
                all.figures.total.due,
            ),
        ] {
            let mut times = Vec::new();
            for _ in 0..o.runs.max(1) {
                // Another period between runs, so each run counts anew.
                desk.click("[data-period=today]").await?;
                times.push(
                    in_browser(&desk, &from.to_string(), &last.to_string(), all_sites, due).await?,
                );
            }
            println!(
                "desktop in Chromium, click → figures, {what}: {} (target ≤ 2000 ms)",
                spread(&mut times)
            );
        }
        desk.close().await?;
    } else {
        println!("desktop in Chromium: skipped (no Chromium or no app/dist)");
    }

    let (slots, ms) = catch_up(&server, data.path(), &token).await?;
    println!(
        "a 12-hour night offline ({slots} rounds) in the projection {ms:.0} ms after the server acknowledged it (target ≤ 1000 ms)"
    );
    drop(server);
    Ok(())
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let options = match parse_args() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("dashboard_speed: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    match run(options).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("dashboard_speed failed: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
