//! Speed of the browser app with a lobby tablet's month of history (issue
//! 16, "Speed in the browser"): a benchmark that prints figures, not a test.
//!
//! ```text
//! cargo build -p sync-server
//! cargo run -p shiftbook-tests --bin app_speed -- [--days N] [--runs N] [--visitors N] [--entries N]
//! ```
//!
//! It needs the built app (`app/dist`, `scripts/build-app.sh`), the server
//! binary and Chromium + chromedriver (`scripts/setup.sh`).
//!
//! What it does, all in headless Chromium against the real server serving
//! `app/dist` over a temporary data directory:
//!
//! 1. **Fresh tablet** (the anchor): enrol a tablet, sign in, and time its
//!    offline cold start (below) at 4× and 1×.
//! 2. **A month of history, made through the UI** on a second tablet
//!    (`--days`, default 30): for each past day the page's clock is moved to
//!    08:35 of that day (a script run before the app's in every document
//!    replaces `Date` so that `Date.now()` and `new Date()` add an offset
//!    read from `sessionStorage`), the page reloaded, and the day done as
//!    the lobby tablet does it: sign in with a PIN, open the lobby opening
//!    round, mark every item ✓ and finish the round, record three duty-log
//!    entries, log a visitor in and out. Printed: the documents the tablet
//!    holds (IndexedDB, one meta record per document) and how long it took.
//!    Then the clock goes back to today (the clock script is removed).
//! 3. **Measurements** on that tablet, each over `--runs` runs (default 5),
//!    min / median / max:
//!    - *offline cold start*: the server process is stopped and the page
//!      cut off the network (`set_offline`), the CPU throttled 4× (CDP
//!      `Emulation.setCPUThrottlingRate`) or not, and the page reloaded on
//!      the agenda. A script run before the app's records, in
//!      `performance.now()` time (from the reload's navigation start):
//!      `shown`, when the first screen appears with its content (the agenda
//!      with at least one round row; the sign-in page with its people or a
//!      round with its items are recognised and named too, should the
//!      tablet have signed its person out); and `interactive`, when the main
//!      thread is next free after that (a `setTimeout(0)` scheduled at
//!      `shown` runs). "Interactive" is that second figure: the screen is
//!      there and a tap would be handled. The first screen shows from the
//!      start data; the documents load after it, in the engine's piece:
//!      "documents loaded" is when they had (the page's root gets
//!      `data-engine`), from when any other screen opens at once. Work the app queues for later
//!      (timers) can still block the thread after that, so a
//!      `PerformanceObserver` also collects long tasks (≥ 50 ms): printed
//!      are when the last one that began in the first 6 s ends ("last long
//!      task ends", at least `interactive`) and their total; the CPU stays
//!      throttled until then.
//!    - *tap → next frame*: on today's lobby opening round, for each item,
//!      in the page `t0 = performance.now(); ✓.click();
//!      requestAnimationFrame(() => t1 = performance.now())`, 300 ms between
//!      taps; p50 / p95 / max over all taps of all runs, online and offline
//!      (server stopped, network cut), at 1× and 4×. Every run taps ✓ on
//!      every item again: after the first run each tap re-marks an item
//!      already ✓ (still a new mark, written and synced).
//!      With each tap, the app's own User Timing measures of storing it
//!      (`app/src/platform/timing.rs`): the main thread's share
//!      (`shiftbook:store-write`: the chunk planned, the IndexedDB
//!      transaction issued — what storing adds to the tap) and the time
//!      until the transaction completed on disk (`shiftbook:store-commit`).
//!    - *a busy day* (`--visitors`, default 256, and `--entries`, default
//!      480; 0 skips): that many visitors logged and duty-log entries
//!      recorded today through the forms, then: opening the visitors and the
//!      duty-log screens from the agenda (tap on the navigation rail until a
//!      frame shows the first 40 rows — a long list opens with them and
//!      grows after each paint, `app/src/ui/progressive.rs` — until a frame
//!      shows every row, and until the main thread is next free),
//!      logging a visitor out, logging one in and recording a duty-log entry
//!      (tap until a frame shows the change), at 1×.
//!
//! Last, a table puts our figures beside the ones issue 16 starts from and
//! its targets. The machine's load moves every figure: compare runs made on
//! the same machine. With the defaults it takes about 8 minutes on a
//! 2-core machine (the month: under a minute, 124 documents; the busy
//! day: about 2½ minutes); `--visitors 0 --entries 0` leaves the busy day
//! out.

use std::time::{Duration, Instant};

use serde_json::Value as Json;
use shiftbook_tests::browser::{Browser, BrowserResult, CLOCK_KEY, require_chromium};
use shiftbook_tests::e2e::{
    LOAD, STAFF, browser_today, enrol, enroll_all, open_from_rail, open_lobby_round, serve_app,
    sign_in_to_agenda, tap, wait_badge,
};
use shiftbook_tests::server_process::ServerProcess;

/// Run before the app in every document while cold starts are timed: marks
/// in `window.__bench` when the first screen shows its content and when the
/// main thread is next free.
const START_SCRIPT: &str = r#"(() => {
  const marks = { long: [] };
  window.__bench = marks;
  try {
    new PerformanceObserver(list => {
      for (const e of list.getEntries()) marks.long.push([e.startTime, e.duration]);
    }).observe({ type: 'longtask', buffered: true });
  } catch (e) { marks.long = null; }
  const screen = () => {
    if (document.querySelector('[data-testid=agenda] [data-round]')) return 'agenda';
    if (document.querySelector('[data-testid=sign-in] [data-person]')) return 'sign-in';
    if (document.querySelector('[data-testid=round] [data-item]')) return 'round';
    return null;
  };
  const observer = new MutationObserver(() => {
    if (marks.shown !== undefined) return;
    const s = screen();
    if (!s) return;
    marks.shown = performance.now();
    marks.screen = s;
    observer.disconnect();
    setTimeout(() => { marks.interactive = performance.now(); }, 0);
    requestAnimationFrame(() => { marks.frame = performance.now(); });
  });
  observer.observe(document, { childList: true, subtree: true });
  const engine = new MutationObserver(() => {
    if (document.documentElement && document.documentElement.dataset.engine === 'started') {
      marks.engine = performance.now();
      engine.disconnect();
    }
  });
  engine.observe(document, { attributes: true, attributeFilter: ['data-engine'], subtree: true });
})();"#;

/// The benchmark's options.
#[derive(Debug, Clone, Copy)]
struct Options {
    days: u32,
    runs: usize,
    visitors: usize,
    entries: usize,
    /// `--profile`: CPU profiles of the taps and the busy day's screens (see
    /// [`profiled`]).
    profile: bool,
}

fn parse_args() -> BrowserResult<Options> {
    let mut options = Options {
        days: 30,
        runs: 5,
        visitors: 256,
        entries: 480,
        profile: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        if flag == "-h" || flag == "--help" {
            println!(
                "app_speed [--days N (30)] [--runs N (5)] [--visitors N (256)] [--entries N (480)] [--profile]"
            );
            std::process::exit(0);
        }
        if flag == "--profile" {
            options.profile = true;
            continue;
        }
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let number = |v: &str| -> BrowserResult<usize> {
            v.parse()
                .map_err(|e| format!("{flag} {v}: not a number: {e}").into())
        };
        match flag.as_str() {
            "--days" => options.days = u32::try_from(number(&value)?)?,
            "--runs" => options.runs = number(&value)?.max(1),
            "--visitors" => options.visitors = number(&value)?,
            "--entries" => options.entries = number(&value)?,
            _ => return Err(format!("unknown option {flag} (try --help)").into()),
        }
    }
    Ok(options)
}

/// min / median / max of some figures (ms).
#[derive(Debug, Clone, Copy, Default)]
struct Spread {
    min: f64,
    median: f64,
    max: f64,
}

impl Spread {
    fn of(values: &[f64]) -> Option<Spread> {
        let sorted = sorted(values);
        Some(Spread {
            min: *sorted.first()?,
            median: percentile(&sorted, 50.0),
            max: *sorted.last()?,
        })
    }
}

impl std::fmt::Display for Spread {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "min {:>7.0} ms  median {:>7.0} ms  max {:>7.0} ms",
            self.min, self.median, self.max
        )
    }
}

fn sorted(values: &[f64]) -> Vec<f64> {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    v
}

/// Nearest-rank percentile of sorted values.
fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = (p / 100.0 * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// Cold starts of one configuration.
#[derive(Debug, Default)]
struct ColdStart {
    shown: Vec<f64>,
    interactive: Vec<f64>,
    /// When the engine's piece had loaded the documents (`data-engine` on
    /// the page's root): screens other than the first open from then on.
    engine: Vec<f64>,
    /// End of the last long task (≥ 50 ms) that began in the first
    /// [`SETTLE`] after navigation start, or `interactive` if later.
    settled: Vec<f64>,
    /// Total duration of those long tasks.
    long_total: Vec<f64>,
    screens: Vec<String>,
}

impl ColdStart {
    fn print(&self, label: &str) {
        let screens = {
            let mut s = self.screens.clone();
            s.dedup();
            s.join("/")
        };
        if let (Some(shown), Some(ready)) = (Spread::of(&self.shown), Spread::of(&self.interactive))
        {
            println!("  {label} (first screen: {screens})");
            println!("    shown                {shown}");
            println!("    interactive          {ready}");
        }
        if let Some(engine) = Spread::of(&self.engine) {
            println!("    documents loaded     {engine}");
        }
        if let (Some(settled), Some(total)) =
            (Spread::of(&self.settled), Spread::of(&self.long_total))
        {
            println!("    last long task ends  {settled}");
            println!("    long tasks, total    {total}");
        }
    }

    fn median(&self) -> Option<f64> {
        Spread::of(&self.interactive).map(|s| s.median)
    }

    fn settled_median(&self) -> Option<f64> {
        Spread::of(&self.settled).map(|s| s.median)
    }
}

/// Taps of one configuration: (handler returned, next frame) in ms.
#[derive(Debug, Default)]
struct Taps {
    handler: Vec<f64>,
    frame: Vec<f64>,
    /// Per tap: the main thread's work storing it (the app's
    /// `shiftbook:store-write` measure: plan the chunk, issue the
    /// transaction).
    store: Vec<f64>,
    /// Per tap: from that work's start until IndexedDB said the
    /// transaction completed (`shiftbook:store-commit`).
    commit: Vec<f64>,
    /// Per tap: of `store`, planning what to write
    /// (`shiftbook:store-plan`).
    plan: Vec<f64>,
    /// Per tap: how many writes it took.
    writes: Vec<f64>,
}

impl Taps {
    fn print(&self, label: &str) {
        let f = sorted(&self.frame);
        let h = sorted(&self.handler);
        println!(
            "  {label}: {} taps  next frame p50 {:>5.0} ms  p95 {:>5.0} ms  max {:>5.0} ms  (click handler p50 {:.0} ms, max {:.0} ms)",
            f.len(),
            percentile(&f, 50.0),
            percentile(&f, 95.0),
            f.last().copied().unwrap_or(f64::NAN),
            percentile(&h, 50.0),
            h.last().copied().unwrap_or(f64::NAN),
        );
        let w = sorted(&self.store);
        let c = sorted(&self.commit);
        println!(
            "    storing it: {} writes  on the tap p50 {:.1} ms  p95 {:.1} ms  max {:.1} ms;  on disk p50 {:.0} ms  p95 {:.0} ms",
            w.len(),
            percentile(&w, 50.0),
            percentile(&w, 95.0),
            w.last().copied().unwrap_or(f64::NAN),
            percentile(&c, 50.0),
            percentile(&c, 95.0),
        );
        let p = sorted(&self.plan);
        let n = sorted(&self.writes);
        println!(
            "    of it planning: p50 {:.1} ms  p95 {:.1} ms;  writes per tap p50 {:.0}  max {:.0}",
            percentile(&p, 50.0),
            percentile(&p, 95.0),
            percentile(&n, 50.0),
            n.last().copied().unwrap_or(f64::NAN),
        );
    }

    fn store_p(&self, p: f64) -> f64 {
        percentile(&sorted(&self.store), p)
    }

    fn p(&self, p: f64) -> f64 {
        percentile(&sorted(&self.frame), p)
    }

    fn max(&self) -> f64 {
        sorted(&self.frame).last().copied().unwrap_or(f64::NAN)
    }
}

/// Figures of the busy day.
#[derive(Debug, Default)]
struct BusyDay {
    visitors_shown: usize,
    entries_shown: usize,
    open_visitors: Vec<f64>,
    open_visitors_idle: Vec<f64>,
    open_visitors_first: Vec<f64>,
    visitor_out: Vec<f64>,
    visitor_in: Vec<f64>,
    open_duty: Vec<f64>,
    open_duty_idle: Vec<f64>,
    open_duty_first: Vec<f64>,
    record_entry: Vec<f64>,
}

fn f64_of(v: &Json, what: &str) -> BrowserResult<f64> {
    v.as_f64()
        .ok_or_else(|| format!("{what}: not a number: {v}").into())
}

/// Move the page's clock to 08:35 of the day `back` days before today (0:
/// the real clock) and open the app's start page.
async fn set_day(b: &Browser, base: &str, back: u32) -> BrowserResult<()> {
    b.eval(&format!(
        "const real = (globalThis.__realNow || Date.now)();
         let offset = 0;
         if ({back} > 0) {{
           const d = new Date(real);
           d.setDate(d.getDate() - {back});
           d.setHours(8, 35, 0, 0);
           offset = d.getTime() - real;
         }}
         sessionStorage.setItem('{CLOCK_KEY}', String(offset));"
    ))
    .await?;
    b.goto(&format!("{base}/")).await
}

/// Wait for the first screen after a (re)load; sign `STAFF` in when it is
/// the sign-in page. Ends on the agenda or a round.
async fn signed_in(b: &Browser) -> BrowserResult<()> {
    b.wait_until(
        "document.querySelector('[data-testid=sign-in] [data-person], [data-testid=agenda], [data-testid=round]') !== null",
        LOAD,
    )
    .await?;
    if b.exists("[data-testid=sign-in] [data-person]").await? {
        sign_in_to_agenda(b, &STAFF).await?;
    }
    Ok(())
}

/// Mark every item of the open round ✓ and finish the round.
async fn walk_round(b: &Browser) -> BrowserResult<()> {
    b.eval(
        "const ids = [...document.querySelectorAll('[data-testid=round] article[data-item]')].map(r => r.dataset.item);
         for (const id of ids) {
           const row = document.querySelector(`[data-testid=round] article[data-item='${id}']`);
           if (row && row.dataset.state === 'unmarked') row.querySelector('[data-action=normal]')?.click();
         }",
    )
    .await?;
    b.wait_until(
        "[...document.querySelectorAll('[data-testid=round] article[data-item]')].every(r => r.dataset.state === 'normal')",
        LOAD,
    )
    .await?;
    tap(b, "[data-action=finish-round]").await?;
    b.wait_for("[data-testid=round] [data-testid=finished]", LOAD)
        .await?;
    Ok(())
}

/// JS: fill the duty log's quick entry and record it; resolves once the
/// page shows one row more (or rejects after 30 s).
fn duty_entry_js(kind: &str, time: &str, event: &str) -> String {
    format!(
        "const rows = () => document.querySelectorAll('[data-testid=duty-entries] .duty-row').length;
         const before = rows();
         const set = (css, v) => {{ const e = document.querySelector(css); e.value = v; e.dispatchEvent(new Event('input', {{ bubbles: true }})); }};
         document.querySelector(\"[data-testid=duty-entry] [data-kind={kind}]\").click();
         set('[name=duty-time]', {time:?});
         set('[name=duty-event]', {event:?});
         const t0 = performance.now();
         document.querySelector('[data-action=record-entry]').click();
         return new Promise((resolve, reject) => {{
           const check = () => {{
             if (rows() > before) return resolve(performance.now() - t0);
             if (performance.now() - t0 > 30000) return reject(new Error('no new duty row'));
             requestAnimationFrame(check);
           }};
           requestAnimationFrame(check);
         }});"
    )
}

/// JS: fill the visitor form for a guest without ID and log them in;
/// resolves once the day's list shows one visit more.
fn visitor_in_js(name: &str, purpose: &str) -> String {
    format!(
        "const visits = () => document.querySelectorAll('[data-testid=visit-day] .visit').length;
         const before = visits();
         const set = (css, v) => {{ const e = document.querySelector(css); e.value = v; e.dispatchEvent(new Event('input', {{ bubbles: true }})); }};
         document.querySelector('[data-testid=visit-form] [data-category=guest]').click();
         document.querySelector('[data-testid=visit-form] [data-id-type=none]').click();
         set('[name=visitor-name]', {name:?});
         set('[name=visit-purpose]', {purpose:?});
         document.querySelector('[data-testid=visit-form] [data-method=intercom]')?.click();
         const t0 = performance.now();
         document.querySelector('[data-action=log-visit]').click();
         return new Promise((resolve, reject) => {{
           const check = () => {{
             if (visits() > before) return resolve(performance.now() - t0);
             if (performance.now() - t0 > 30000) return reject(new Error('no new visit: ' + (document.querySelector('[data-testid=visit-form] [role=alert]')?.textContent || '')));
             requestAnimationFrame(check);
           }};
           requestAnimationFrame(check);
         }});"
    )
}

/// JS: log the first visitor inside out; resolves once "inside now" shows
/// one card fewer.
const VISITOR_OUT_JS: &str = "
    const inside = () => document.querySelectorAll('[data-testid=inside-now] .visit').length;
    const before = inside();
    const button = document.querySelector('[data-testid=inside-now] [data-action=visitor-left]');
    if (!button) throw new Error('nobody inside to log out');
    const t0 = performance.now();
    button.click();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (inside() < before) return resolve(performance.now() - t0);
        if (performance.now() - t0 > 30000) return reject(new Error('visitor still inside'));
        requestAnimationFrame(check);
      };
      requestAnimationFrame(check);
    });";

/// A day of the lobby tablet: the opening round, three duty-log entries,
/// a visitor in and out.
async fn live_a_day(b: &Browser, base: &str, back: u32) -> BrowserResult<()> {
    set_day(b, base, back).await?;
    signed_in(b).await?;
    open_lobby_round(b).await?;
    walk_round(b).await?;
    open_from_rail(b, "duty-log", "duty-log").await?;
    for (kind, time, event) in [
        ("patrol", "06:40", "巡查大堂,一切正常"),
        ("delivery", "07:20", "快递员送件到3栋"),
        ("repair", "08:10", "2号电梯异响,已报工程部"),
    ] {
        b.eval(&duty_entry_js(kind, time, event)).await?;
    }
    open_from_rail(b, "visitors", "visitors").await?;
    b.eval(&visitor_in_js(&format!("访客{back}"), "探亲"))
        .await?;
    b.eval(VISITOR_OUT_JS).await?;
    open_from_rail(b, "agenda", "agenda").await?;
    Ok(())
}

/// How many documents the tablet holds.
async fn documents(b: &Browser) -> BrowserResult<u64> {
    Ok(shiftbook_tests::e2e::stored_record_count(b).await? as u64)
}

/// Stop the server and cut the page off the network.
async fn go_offline(b: &Browser, server: &mut ServerProcess) -> BrowserResult<()> {
    server.kill()?;
    b.set_offline(true).await
}

/// Start the server again and reconnect the page; waits until synced.
async fn go_online(b: &Browser, server: &mut ServerProcess) -> BrowserResult<()> {
    server.restart().await?;
    b.set_offline(false).await?;
    wait_badge(b, "synced", Duration::from_secs(60)).await
}

/// How long after navigation start long tasks are still counted as part of
/// the start.
const SETTLE: Duration = Duration::from_secs(6);

/// Offline cold starts at CPU `rate`: the page (on the agenda, offline)
/// reloaded `runs` times.
async fn cold_starts(b: &Browser, rate: f64, runs: usize) -> BrowserResult<ColdStart> {
    let script = b.add_script_on_new_document(START_SCRIPT).await?;
    let mut out = ColdStart::default();
    for _ in 0..runs {
        b.set_cpu_throttling(rate).await?;
        b.reload().await?;
        let waited = b
            .wait_until(
                "window.__bench && window.__bench.interactive !== undefined",
                Duration::from_secs(90),
            )
            .await;
        if let Err(e) = waited {
            b.set_cpu_throttling(1.0).await?;
            return Err(e);
        }
        // Still throttled: what the app does after its first screen (its
        // long tasks) is timed at the same speed.
        let settle_ms = SETTLE.as_secs_f64() * 1000.0;
        let now = f64_of(&b.eval("return performance.now();").await?, "now")?;
        tokio::time::sleep(Duration::from_secs_f64(
            ((settle_ms - now).max(0.0) + 500.0) / 1000.0,
        ))
        .await;
        b.set_cpu_throttling(1.0).await?;
        let marks = b.eval("return window.__bench;").await?;
        let interactive = f64_of(&marks["interactive"], "interactive")?;
        out.shown.push(f64_of(&marks["shown"], "shown")?);
        out.interactive.push(interactive);
        if let Some(engine) = marks["engine"].as_f64() {
            out.engine.push(engine);
        }
        out.screens
            .push(marks["screen"].as_str().unwrap_or("?").to_owned());
        if let Some(long) = marks["long"].as_array() {
            let tasks: Vec<(f64, f64)> = long
                .iter()
                .filter_map(|t| Some((t[0].as_f64()?, t[1].as_f64()?)))
                .filter(|(start, _)| *start < settle_ms)
                .collect();
            let last_end = tasks
                .iter()
                .map(|(start, duration)| start + duration)
                .fold(interactive, f64::max);
            out.settled.push(last_end);
            out.long_total
                .push(tasks.iter().map(|(_, d)| d).fold(0.0, |a, d| a + d));
        }
    }
    b.remove_script_on_new_document(&script).await?;
    Ok(out)
}

/// Tap ✓ on every item of the open round, `runs` times, at CPU `rate`.
async fn taps(b: &Browser, rate: f64, runs: usize) -> BrowserResult<Taps> {
    let items = b
        .eval(
            "return [...document.querySelectorAll('[data-testid=round] article[data-item]')].map(e => e.dataset.item);",
        )
        .await?;
    let items: Vec<String> = items
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect();
    if items.is_empty() {
        return Err("the round shows no items".into());
    }
    let mut out = Taps::default();
    // The app's measures of its storage writes (platform/timing.rs).
    b.eval(
        "if (!window.__storeTimes) {
           window.__storeTimes = [];
           new PerformanceObserver(list => {
             for (const e of list.getEntries())
               if (e.name.startsWith('shiftbook:store')) window.__storeTimes.push([e.name, e.startTime, e.duration]);
           }).observe({ type: 'measure' });
         }",
    )
    .await?;
    b.set_cpu_throttling(rate).await?;
    for _ in 0..runs {
        for item in &items {
            let timed = b
                .eval(&format!(
                    "const button = document.querySelector(\"[data-testid=round] article[data-item='{item}'] [data-action=normal]\");
                     if (!button) throw new Error('no ✓ on {item}');
                     const t0 = performance.now();
                     button.click();
                     const handled = performance.now() - t0;
                     return new Promise(resolve => requestAnimationFrame(() => resolve([handled, performance.now() - t0, t0])));"
                ))
                .await;
            let timed = match timed {
                Ok(t) => t,
                Err(e) => {
                    b.set_cpu_throttling(1.0).await?;
                    return Err(e);
                }
            };
            out.handler.push(f64_of(&timed[0], "handler")?);
            out.frame.push(f64_of(&timed[1], "frame")?);
            tokio::time::sleep(Duration::from_millis(300)).await;
            let t0 = f64_of(&timed[2], "t0")?;
            let times = b
                .eval(&format!(
                    "const mine = window.__storeTimes.filter(([, start]) => start >= {t0});
                     const sum = name => mine.filter(([n]) => n === name).reduce((a, [, , d]) => a + d, 0);
                     const max = name => Math.max(0, ...mine.filter(([n]) => n === name).map(([, , d]) => d));
                     return [sum('shiftbook:store-write'), max('shiftbook:store-commit'), mine.length, sum('shiftbook:store-plan'), mine.filter(([n]) => n === 'shiftbook:store-write').length];"
                ))
                .await?;
            if times[2].as_u64().unwrap_or(0) > 0 {
                out.store.push(f64_of(&times[0], "store")?);
                out.commit.push(f64_of(&times[1], "commit")?);
                out.plan.push(f64_of(&times[3], "plan")?);
                out.writes.push(times[4].as_u64().unwrap_or(0) as f64);
            }
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    b.set_cpu_throttling(1.0).await?;
    Ok(out)
}

/// Where `--profile` writes its CPU profiles.
fn profile_dir() -> std::path::PathBuf {
    shiftbook_tests::e2e::workspace_root().join("target/app-speed")
}

/// `work`, under Chromium's sampling CPU profiler when `on`: the profile
/// goes to `target/app-speed/<name>.cpuprofile` (open it in Chromium's
/// DevTools, Performance panel). Function names show only in a wasm that
/// kept its name section (wasm-opt `-g`); scripts/build-app.sh drops it.
async fn profiled<T>(
    b: &Browser,
    on: bool,
    name: &str,
    work: impl std::future::Future<Output = BrowserResult<T>>,
) -> BrowserResult<T> {
    if !on {
        return work.await;
    }
    b.cdp("Profiler.enable", serde_json::json!({})).await?;
    b.cdp(
        "Profiler.setSamplingInterval",
        serde_json::json!({ "interval": 200 }),
    )
    .await?;
    b.cdp("Profiler.start", serde_json::json!({})).await?;
    let out = work.await;
    let profile = b.cdp("Profiler.stop", serde_json::json!({})).await?;
    let dir = profile_dir();
    std::fs::create_dir_all(&dir)?;
    let file = dir.join(format!("{name}.cpuprofile"));
    std::fs::write(&file, serde_json::to_vec(&profile["profile"])?)?;
    println!("  profile: {}", file.display());
    out
}

/// JS: tap the rail's `action` and resolve with [shown, idle] ms once a
/// frame shows at least `rows` elements matching `css`.
fn open_screen_js(action: &str, css: &str, rows: usize) -> String {
    let first = rows.min(FIRST_ROWS);
    format!(
        "const t0 = performance.now();
         document.querySelector('[data-testid=nav-rail] [data-action={action}]').click();
         let first = null;
         return new Promise((resolve, reject) => {{
           const check = () => {{
             const n = document.querySelectorAll({css:?}).length;
             if (first === null && n >= {first}) first = performance.now() - t0;
             if (n >= {rows}) {{
               const shown = performance.now() - t0;
               return setTimeout(() => resolve([shown, performance.now() - t0, first]), 0);
             }}
             if (performance.now() - t0 > 60000) return reject(new Error('screen not shown'));
             requestAnimationFrame(check);
           }};
           requestAnimationFrame(check);
         }});"
    )
}

async fn count(b: &Browser, css: &str) -> BrowserResult<usize> {
    let n = b
        .eval(&format!(
            "return document.querySelectorAll({css:?}).length;"
        ))
        .await?;
    Ok(usize::try_from(n.as_u64().unwrap_or(0))?)
}

/// The rows a long list shows at once (`app/src/ui/progressive.rs`): a
/// screen has opened when they are there.
const FIRST_ROWS: usize = 40;

const VISIT_ROWS: &str = "[data-testid=visit-day] .visit";
const DUTY_ROWS: &str = "[data-testid=duty-entries] .duty-row";

/// Open screen `action` from the agenda `runs` times: (every row shown,
/// main thread free after that, the first [`FIRST_ROWS`] shown) ms.
async fn time_opening(
    b: &Browser,
    action: &str,
    css: &str,
    rows: usize,
    runs: usize,
) -> BrowserResult<(Vec<f64>, Vec<f64>, Vec<f64>)> {
    let (mut shown, mut idle, mut first) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs {
        open_from_rail(b, "agenda", "agenda").await?;
        tokio::time::sleep(Duration::from_millis(500)).await;
        let t = b.eval(&open_screen_js(action, css, rows)).await?;
        shown.push(f64_of(&t[0], "shown")?);
        idle.push(f64_of(&t[1], "idle")?);
        first.push(f64_of(&t[2], "first rows")?);
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    Ok((shown, idle, first))
}

/// Fill today with `visitors` visitors and `entries` duty-log entries
/// through the forms, then time opening those screens and saving on them.
async fn busy_day(b: &Browser, o: Options) -> BrowserResult<BusyDay> {
    let mut out = BusyDay::default();
    let started = Instant::now();
    if o.visitors > 0 {
        open_from_rail(b, "visitors", "visitors").await?;
        for i in 0..o.visitors {
            b.eval(&visitor_in_js(&format!("访客{i:03}"), "送货"))
                .await?;
        }
        out.visitors_shown = count(b, VISIT_ROWS).await?;
        println!(
            "  {} visitors logged today in {:.0} s; the day's list shows {}",
            o.visitors,
            started.elapsed().as_secs_f64(),
            out.visitors_shown
        );
        let shown = out.visitors_shown;
        let measured = profiled(b, o.profile, "busy-visitors", async {
            let (open, idle, first) =
                time_opening(b, "visitors", VISIT_ROWS, shown, o.runs).await?;
            let (mut outs, mut ins) = (Vec::new(), Vec::new());
            for i in 0..o.runs {
                tokio::time::sleep(Duration::from_millis(500)).await;
                let t = b.eval(VISITOR_OUT_JS).await?;
                outs.push(f64_of(&t, "visitor out")?);
                tokio::time::sleep(Duration::from_millis(500)).await;
                let t = b
                    .eval(&visitor_in_js(&format!("计时访客{i}"), "维修"))
                    .await?;
                ins.push(f64_of(&t, "visitor in")?);
            }
            Ok((open, idle, first, outs, ins))
        })
        .await?;
        (
            out.open_visitors,
            out.open_visitors_idle,
            out.open_visitors_first,
            out.visitor_out,
            out.visitor_in,
        ) = measured;
    }
    if o.entries > 0 {
        let started = Instant::now();
        open_from_rail(b, "duty-log", "duty-log").await?;
        for i in 0..o.entries {
            // 06:00 onwards, two minutes apart.
            let minutes = 6 * 60 + (2 * i) % (18 * 60);
            let time = format!("{:02}:{:02}", minutes / 60, minutes % 60);
            b.eval(&duty_entry_js("patrol", &time, &format!("巡查记录 {i}")))
                .await?;
        }
        out.entries_shown = count(b, DUTY_ROWS).await?;
        println!(
            "  {} duty-log entries recorded today in {:.0} s; the log shows {}",
            o.entries,
            started.elapsed().as_secs_f64(),
            out.entries_shown
        );
        let shown = out.entries_shown;
        let measured = profiled(b, o.profile, "busy-duty-log", async {
            let (open, idle, first) = time_opening(b, "duty-log", DUTY_ROWS, shown, o.runs).await?;
            let mut records = Vec::new();
            for i in 0..o.runs {
                tokio::time::sleep(Duration::from_millis(500)).await;
                let t = b
                    .eval(&duty_entry_js("other", "23:50", &format!("计时记录 {i}")))
                    .await?;
                records.push(f64_of(&t, "record entry")?);
            }
            Ok((open, idle, first, records))
        })
        .await?;
        (
            out.open_duty,
            out.open_duty_idle,
            out.open_duty_first,
            out.record_entry,
        ) = measured;
    }
    Ok(out)
}

/// Everything measured, for the closing table.
#[derive(Debug, Default)]
struct Figures {
    fresh_docs: u64,
    month_docs: u64,
    fresh_4x: ColdStart,
    fresh_1x: ColdStart,
    month_4x: ColdStart,
    month_1x: ColdStart,
    online_1x: Taps,
    online_4x: Taps,
    offline_1x: Taps,
    offline_4x: Taps,
    busy: Option<BusyDay>,
}

fn ms(v: Option<f64>) -> String {
    match v {
        Some(v) if v.is_finite() => format!("{v:.0} ms"),
        _ => "—".into(),
    }
}

fn median(v: &[f64]) -> Option<f64> {
    Spread::of(v).map(|s| s.median)
}

fn table(f: &Figures, o: Options) {
    println!();
    println!(
        "== Issue 16 beside this run (cold starts: medians of 'interactive'; taps: over all taps) =="
    );
    println!(
        "{:<52} {:>14} {:>12} {:>10}",
        "figure", "issue (start)", "this run", "target"
    );
    let row = |name: &str, issue: &str, ours: String, target: &str| {
        println!("{name:<52} {issue:>14} {ours:>12} {target:>10}");
    };
    row(
        "documents held, fresh tablet",
        "—",
        f.fresh_docs.to_string(),
        "",
    );
    row(
        &format!("documents held, month ({} days)", o.days),
        "158",
        f.month_docs.to_string(),
        "",
    );
    row(
        "offline cold start, fresh, 4×",
        "1,480 ms",
        ms(f.fresh_4x.median()),
        "",
    );
    row(
        "offline cold start, fresh, 1×",
        "—",
        ms(f.fresh_1x.median()),
        "",
    );
    row(
        "offline cold start, month, 4×",
        "4,030 ms",
        ms(f.month_4x.median()),
        "≤ 1,500 ms",
    );
    row(
        "  … month, 4×, until its last long task ends",
        "—",
        ms(f.month_4x.settled_median()),
        "",
    );
    row(
        "offline cold start, month, 1×",
        "1,910 ms",
        ms(f.month_1x.median()),
        "",
    );
    row(
        "tap → frame, online 1×, p50",
        "72 ms",
        ms(Some(f.online_1x.p(50.0))),
        "",
    );
    row(
        "tap → frame, online 1×, p95",
        "125 ms",
        ms(Some(f.online_1x.p(95.0))),
        "≤ 16 ms",
    );
    row(
        "  … of it storing the tap (main thread), online 1×, p95",
        "—",
        ms(Some(f.online_1x.store_p(95.0))),
        "≤ 5 ms",
    );
    row(
        "tap → frame, online 4×, p95",
        "—",
        ms(Some(f.online_4x.p(95.0))),
        "≤ 50 ms",
    );
    row(
        "tap → frame, offline 1×, p95",
        "470 ms",
        ms(Some(f.offline_1x.p(95.0))),
        "≤ 16 ms",
    );
    row(
        "tap → frame, offline 1×, max",
        "1,970 ms",
        ms(Some(f.offline_1x.max())),
        "",
    );
    row(
        "tap → frame, offline 4×, p95",
        "—",
        ms(Some(f.offline_4x.p(95.0))),
        "≤ 50 ms",
    );
    if let Some(b) = &f.busy {
        row(
            &format!("open visitors: first {FIRST_ROWS} rows shown, 1×"),
            "—",
            ms(median(&b.open_visitors_first)),
            "≤ 200 ms",
        );
        row(
            &format!(
                "open visitors: all {} shown, main thread free, 1×",
                b.visitors_shown
            ),
            "990 ms",
            ms(median(&b.open_visitors_idle)),
            "",
        );
        row(
            "log a visitor out (tap → frame showing it), 1×",
            "506 ms",
            ms(median(&b.visitor_out)),
            "≤ 50 ms",
        );
        row(
            "log a visitor in (tap → frame showing it), 1×",
            "506 ms",
            ms(median(&b.visitor_in)),
            "≤ 50 ms",
        );
        row(
            &format!("open duty log: first {FIRST_ROWS} entries shown, 1×"),
            "—",
            ms(median(&b.open_duty_first)),
            "≤ 200 ms",
        );
        row(
            &format!(
                "open duty log: all {} shown, main thread free, 1×",
                b.entries_shown
            ),
            "710 ms",
            ms(median(&b.open_duty_idle)),
            "",
        );
        row(
            "record a duty entry (tap → frame showing it), 1×",
            "241 ms",
            ms(median(&b.record_entry)),
            "≤ 50 ms",
        );
    }
    println!(
        "(issue: 256 visitors / 480 duty entries in the day; this run: {} / {})",
        o.visitors, o.entries
    );
}

async fn run(o: Options) -> BrowserResult<()> {
    let total = Instant::now();
    let data = tempfile::tempdir()?;
    let [fresh_token, month_token] = enroll_all(data.path(), ["大堂平板(新)", "大堂平板1"])?;
    let mut server = serve_app(data.path()).await?;
    let base = server.base_url();
    let mut f = Figures::default();
    println!(
        "app_speed: days {} runs {} visitors {} entries {}; server {base}",
        o.days, o.runs, o.visitors, o.entries
    );

    // 1. The anchor: a fresh tablet, signed in on its agenda.
    {
        let fresh = Browser::tablet("speed-fresh").await?;
        enrol(&fresh, &base, &fresh_token).await?;
        sign_in_to_agenda(&fresh, &STAFF).await?;
        wait_badge(&fresh, "synced", LOAD).await?;
        f.fresh_docs = documents(&fresh).await?;
        go_offline(&fresh, &mut server).await?;
        println!(
            "\n== Fresh tablet ({} documents): offline cold start ==",
            f.fresh_docs
        );
        f.fresh_4x = cold_starts(&fresh, 4.0, o.runs).await?;
        f.fresh_4x.print("CPU 4×");
        f.fresh_1x = cold_starts(&fresh, 1.0, o.runs).await?;
        f.fresh_1x.print("CPU 1×");
        go_online(&fresh, &mut server).await?;
        fresh.close().await?;
    }

    // 2. A month of history, made through the UI.
    let b = Browser::tablet("speed-month").await?;
    let clock = b.install_movable_clock().await?;
    enrol(&b, &base, &month_token).await?;
    let built = Instant::now();
    println!("\n== Building {} days of a lobby tablet ==", o.days);
    for back in (1..=o.days).rev() {
        let day = Instant::now();
        live_a_day(&b, &base, back).await?;
        println!(
            "  day -{back:>2} ({}): {:>5.1} s, {} documents",
            browser_today(&b).await?,
            day.elapsed().as_secs_f64(),
            documents(&b).await?
        );
    }
    b.remove_script_on_new_document(&clock).await?;
    b.eval(&format!("sessionStorage.removeItem('{CLOCK_KEY}');"))
        .await?;
    b.goto(&format!("{base}/")).await?;
    signed_in(&b).await?;
    wait_badge(&b, "synced", Duration::from_secs(60)).await?;
    f.month_docs = documents(&b).await?;
    println!(
        "  built in {:.0} s; the tablet holds {} documents",
        built.elapsed().as_secs_f64(),
        f.month_docs
    );

    // 3. Taps online, on today's round.
    println!("\n== Tap ✓ → next frame, today's round ==");
    open_lobby_round(&b).await?;
    f.online_1x = profiled(&b, o.profile, "taps-online-1x", taps(&b, 1.0, o.runs)).await?;
    f.online_1x.print("online  1×");
    f.online_4x = profiled(&b, o.profile, "taps-online-4x", taps(&b, 4.0, o.runs)).await?;
    f.online_4x.print("online  4×");
    wait_badge(&b, "synced", Duration::from_secs(60)).await?;

    // Offline: cold starts on the agenda, then taps.
    go_offline(&b, &mut server).await?;
    open_from_rail(&b, "agenda", "agenda").await?;
    println!(
        "\n== Month tablet ({} documents): offline cold start ==",
        f.month_docs
    );
    f.month_4x = cold_starts(&b, 4.0, o.runs).await?;
    f.month_4x.print("CPU 4×");
    f.month_1x = cold_starts(&b, 1.0, o.runs).await?;
    f.month_1x.print("CPU 1×");
    signed_in(&b).await?;
    open_lobby_round(&b).await?;
    println!("\n== Tap ✓ → next frame, offline ==");
    f.offline_1x = profiled(&b, o.profile, "taps-offline-1x", taps(&b, 1.0, o.runs)).await?;
    f.offline_1x.print("offline 1×");
    f.offline_4x = profiled(&b, o.profile, "taps-offline-4x", taps(&b, 4.0, o.runs)).await?;
    f.offline_4x.print("offline 4×");
    go_online(&b, &mut server).await?;

    // 4. A busy day.
    if o.visitors > 0 || o.entries > 0 {
        println!(
            "\n== A busy day: {} visitors, {} duty-log entries ==",
            o.visitors, o.entries
        );
        open_from_rail(&b, "agenda", "agenda").await?;
        let busy = busy_day(&b, o).await?;
        let figures: [(&str, &[f64]); 9] = [
            ("open visitors, first rows", &busy.open_visitors_first),
            ("open visitors, frame shows all", &busy.open_visitors),
            ("open visitors, main thread free", &busy.open_visitors_idle),
            ("log a visitor out", &busy.visitor_out),
            ("log a visitor in", &busy.visitor_in),
            ("open duty log, first entries", &busy.open_duty_first),
            ("open duty log, frame shows all", &busy.open_duty),
            ("open duty log, main thread free", &busy.open_duty_idle),
            ("record a duty entry", &busy.record_entry),
        ];
        for (label, values) in figures {
            if let Some(s) = Spread::of(values) {
                println!("  {label:<32} {s}");
            }
        }
        f.busy = Some(busy);
    }

    table(&f, o);
    println!("\napp_speed took {:.0} s", total.elapsed().as_secs_f64());
    b.close().await?;
    Ok(())
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> std::process::ExitCode {
    let options = match parse_args() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("app_speed: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    if !require_chromium("app_speed") {
        return std::process::ExitCode::FAILURE;
    }
    match run(options).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("app_speed failed: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
