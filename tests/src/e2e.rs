//! Shared steps of the browser end-to-end tests (`tests/tests/suite/e2e_*.rs`): the
//! built app served by the real server with a demo roster, enrolling a
//! tablet, signing in with a PIN, and reading what the screen shows.

use crate::browser::{Browser, BrowserResult};
use crate::roster_seed::{Person, seed_roster};
use crate::server_process::{ServerOptions, ServerProcess, enroll};
use shiftbook_model::roster::Role;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long a page may take to show what a step waits for.
pub const LOAD: Duration = Duration::from_secs(20);

/// The tablet rail's screens, by their `data-action`, top to bottom.
pub const RAIL_SCREENS: [&str; 11] = [
    "agenda",
    "followups",
    "handover",
    "duty-log",
    "visitors",
    "complaints",
    "owner-visits",
    "show-flat",
    "keys",
    "permits",
    "history",
];

/// The workspace's root directory.
pub fn workspace_root() -> PathBuf {
    // At run time: CI reuses test binaries built in another clone.
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
        .join("..")
}

/// The built app. `make test` builds it (scripts/build-app.sh) first.
pub fn app_dist() -> PathBuf {
    let dist = workspace_root().join("app/dist");
    assert!(
        dist.join("index.html").is_file(),
        "app/dist is not built: run scripts/build-app.sh (make test does)"
    );
    dist
}

/// Where end-to-end screenshots go.
pub fn screenshot_dir() -> PathBuf {
    workspace_root().join("target/e2e-screenshots")
}

/// The CSS selector of checklist item `id`.
pub fn item(id: &str) -> String {
    format!("[data-item='{id}']")
}

/// Wait until `item` shows `state` (unmarked / normal / abnormal / conflict).
pub async fn wait_state(
    b: &Browser,
    id: &str,
    state: &str,
    timeout: Duration,
) -> BrowserResult<()> {
    b.wait_until(
        &format!("document.querySelector(\"[data-item='{id}']\")?.dataset.state === '{state}'"),
        timeout,
    )
    .await
}

/// The sync badge's status and unsynced count.
pub async fn badge(b: &Browser) -> BrowserResult<(String, String)> {
    let v = b
        .eval(
            "const e = document.querySelector('[data-testid=sync-badge]');
             return e ? [e.dataset.status, e.dataset.unsynced] : ['none', 'none'];",
        )
        .await?;
    Ok((
        v[0].as_str().unwrap_or_default().to_owned(),
        v[1].as_str().unwrap_or_default().to_owned(),
    ))
}

/// Wait until the sync badge shows `status`.
pub async fn wait_badge(b: &Browser, status: &str, timeout: Duration) -> BrowserResult<()> {
    b.wait_until(
        &format!(
            "document.querySelector('[data-testid=sync-badge]')?.dataset.status === '{status}'"
        ),
        timeout,
    )
    .await
}

/// Enrol devices on the demo site; their tokens in order.
pub fn enroll_all<const N: usize>(data: &Path, names: [&str; N]) -> BrowserResult<[String; N]> {
    let mut tokens = Vec::with_capacity(N);
    for name in names {
        tokens.push(enroll(data, "demo", name)?);
    }
    tokens.try_into().map_err(|_| "token count".into())
}

/// The real server binary serving the built app over `data`, with the
/// demo site's roster ([`STAFF`] and [`LEADER`]) set up by supervisor
/// `zhuguan`.
pub async fn serve_app(data: &Path) -> BrowserResult<ServerProcess> {
    serve_app_with(data, &[STAFF, LEADER]).await
}

/// The real server binary serving the built app over `data` with the demo
/// site the server sets up with `--demo`.
pub async fn serve_demo(data: &Path) -> BrowserResult<ServerProcess> {
    let options = ServerOptions {
        app_dir: Some(app_dist()),
        demo: true,
        ..ServerOptions::default()
    };
    Ok(ServerProcess::start_with(data, options).await?)
}

/// [`serve_app`] with `people` on the roster.
pub async fn serve_app_with(data: &Path, people: &[Person<'_>]) -> BrowserResult<ServerProcess> {
    let options = ServerOptions {
        app_dir: Some(app_dist()),
        ..ServerOptions::default()
    };
    let server = ServerProcess::start_with(data, options).await?;
    seed_roster(&server, "demo", "zhuguan", people).await?;
    Ok(server)
}

/// The demo site's people, with their PINs.
pub const STAFF: Person<'static> = Person {
    id: "zhang",
    name: "张伟",
    role: Role::Staff,
    pin: "1234",
    posts: &["lobby"],
};
/// The demo site's team leader.
pub const LEADER: Person<'static> = Person {
    id: "li",
    name: "李娜",
    role: Role::Leader,
    pin: "2468",
    posts: &["lobby"],
};

/// Pick `person` on the sign-in page, type their PIN and wait for
/// `screen` (a CSS selector).
pub async fn sign_in_to(b: &Browser, person: &Person<'_>, screen: &str) -> BrowserResult<()> {
    let chip = format!("[data-person='{}']", person.id);
    b.wait_for(&chip, LOAD).await?;
    b.click(&chip).await?;
    for d in person.pin.chars() {
        b.click(&format!("[data-digit='{d}']")).await?;
    }
    b.click("[data-action=sign-in]").await?;
    b.wait_for(screen, LOAD).await?;
    Ok(())
}

/// Pick `person` on the sign-in page, type their PIN and wait for the
/// agenda (or the round the address names).
pub async fn sign_in_to_agenda(b: &Browser, person: &Person<'_>) -> BrowserResult<()> {
    sign_in_to(b, person, "[data-testid=agenda], [data-testid=round]").await
}

/// Find `css` and tap it in one step (lists re-render as news arrives, so
/// an element found a moment earlier may be gone).
pub async fn tap(b: &Browser, css: &str) -> BrowserResult<()> {
    b.wait_for(css, LOAD).await?;
    b.eval(&format!("document.querySelector(\"{css}\").click()"))
        .await?;
    Ok(())
}

/// The test photo (the app's own icon, a PNG a camera could have taken).
pub fn test_photo() -> BrowserResult<PathBuf> {
    Ok(workspace_root()
        .join("app/public/icons/icon-192.png")
        .canonicalize()?)
}

/// Take a photo with the camera button inside `scope` (the test photo goes
/// in through its file input) and wait until its thumbnail shows there.
pub async fn take_photo(b: &Browser, scope: &str) -> BrowserResult<()> {
    let input = format!("{scope} [data-testid=photo-input]");
    b.wait_for(&input, LOAD).await?;
    b.find(&input)
        .await?
        .send_keys(&test_photo()?.display().to_string())
        .await
        .map_err(|e| format!("photo input in {scope}: {e}"))?;
    b.wait_for(&format!("{scope} .photo-thumb img"), LOAD)
        .await?;
    Ok(())
}

/// Tap the navigation rail's item `action` (duty-log, visitors, agenda …)
/// and wait for the page whose `data-testid` is `page`.
pub async fn open_from_rail(b: &Browser, action: &str, page: &str) -> BrowserResult<()> {
    tap(b, &format!("[data-testid=nav-rail] [data-action={action}]")).await?;
    b.wait_for(&format!("[data-testid={page}]"), LOAD).await?;
    Ok(())
}

/// Set a field's value the way typing or picking would (input and change
/// events): selects, dates and times.
pub async fn set_value(b: &Browser, css: &str, value: &str) -> BrowserResult<()> {
    b.wait_for(css, LOAD).await?;
    b.eval(&format!(
        "const e = document.querySelector(\"{css}\");
         e.value = {value};
         e.dispatchEvent(new Event('input', {{ bubbles: true }}));
         e.dispatchEvent(new Event('change', {{ bubbles: true }}));",
        value = serde_json::Value::from(value)
    ))
    .await?;
    Ok(())
}

/// Confirm as `person` in the open co-sign panel: their name, their PIN;
/// waits until the panel closed (the action was done).
pub async fn co_sign(b: &Browser, person: &Person<'_>) -> BrowserResult<()> {
    b.wait_for("[data-testid=co-sign]", LOAD).await?;
    tap(b, &format!("[data-co-person='{}']", person.id)).await?;
    b.wait_for("[data-testid=co-sign] [data-action=co-sign]", LOAD)
        .await?;
    for d in person.pin.chars() {
        tap(b, &format!("[data-testid=co-sign] [data-digit='{d}']")).await?;
    }
    tap(b, "[data-testid=co-sign] [data-action=co-sign]").await?;
    b.wait_until(
        "document.querySelector('[data-testid=co-sign]') === null",
        LOAD,
    )
    .await
}

/// Sign `person` in, then open today's lobby opening round (or stay in it
/// when it is the round the tablet shows).
pub async fn sign_in(b: &Browser, person: &Person<'_>) -> BrowserResult<()> {
    sign_in_to_agenda(b, person).await?;
    open_lobby_round(b).await
}

/// Today's date in the browser's time zone, `YYYY-MM-DD`.
pub async fn browser_today(b: &Browser) -> BrowserResult<String> {
    let v = b
        .eval(
            "const d = new Date();
             return d.getFullYear() + '-' + String(d.getMonth() + 1).padStart(2, '0') + '-' + String(d.getDate()).padStart(2, '0');",
        )
        .await?;
    Ok(v.as_str().unwrap_or_default().to_owned())
}

/// Tap today's lobby opening round (08:30) on the agenda and wait for it;
/// nothing to do when that round is already open (the address keeps the
/// open round across sign-outs and reloads).
pub async fn open_lobby_round(b: &Browser) -> BrowserResult<()> {
    // On the desktop the rounds are a tab (the dashboard comes first).
    b.wait_until(
        "document.querySelector('[data-testid=agenda], [data-testid=round], [data-testid=desktop-tabs]') !== null",
        LOAD,
    )
    .await?;
    if b.exists("[data-testid=desktop-tabs]").await?
        && !b
            .exists("[data-testid=agenda], [data-testid=round]")
            .await?
    {
        desktop_tab(b, "round").await?;
    }
    b.wait_until(
        "document.querySelector('[data-testid=agenda], [data-testid=round]') !== null",
        LOAD,
    )
    .await?;
    let today = browser_today(b).await?;
    let path = format!("lobby-opening/{today}/0830");
    if b.exists(&format!("[data-testid=round][data-round='{path}']"))
        .await?
    {
        return Ok(());
    }
    let row = format!("[data-testid=agenda] [data-round='{path}']");
    b.wait_for(&row, LOAD).await?;
    // Find and tap in one step: the agenda reorders itself as rounds' news
    // arrives, and a row may move between finding it and a WebDriver click.
    b.eval(&format!("document.querySelector(\"{row}\").click()"))
        .await?;
    let opened = b
        .wait_for(&format!("[data-testid=round][data-round='{path}']"), LOAD)
        .await;
    if opened.is_err() {
        // Show what the screen showed instead.
        let shot = screenshot_dir().join(format!("failed-open-round-{}.png", b.name()));
        let _ = b.screenshot(&shot).await;
    }
    opened.map(|_| ())
}

/// Open the enrolment link and wait until the sign-in page is shown with
/// the roster, synced, and the service worker controls the page (so it can
/// start offline later).
pub async fn enrol(b: &Browser, base: &str, token: &str) -> BrowserResult<()> {
    b.goto(&format!("{base}/enroll#token={token}")).await?;
    b.wait_for("[data-testid=sign-in] [data-person]", LOAD)
        .await?;
    let url = b.current_url().await?;
    assert!(
        !url.contains("token"),
        "the token must leave the address bar: {url}"
    );
    wait_badge(b, "synced", LOAD).await?;
    b.wait_until("navigator.serviceWorker.controller !== null", LOAD)
        .await?;
    Ok(())
}

/// Open `/supervisor` in `desk` and log in as `user`; waits for the
/// desktop's tabs.
pub async fn desktop_login(
    desk: &Browser,
    base: &str,
    user: &str,
    password: &str,
) -> BrowserResult<()> {
    desk.goto(&format!("{base}/supervisor")).await?;
    desk.wait_for("[data-testid=supervisor-login]", LOAD)
        .await?;
    desk.fill("input[name=user]", user).await?;
    desk.fill("input[name=password]", password).await?;
    desk.click("[data-action=login]").await?;
    desk.wait_for("[data-testid=desktop-tabs]", LOAD).await?;
    Ok(())
}

/// Mark checklist item `id` × the way a person must when the item needs a
/// note: tap ×, get asked for the note, type it, tap × again.
pub async fn mark_abnormal_with_note(b: &Browser, id: &str, note: &str) -> BrowserResult<()> {
    b.click(&format!("{} [data-action=abnormal]", item(id)))
        .await?;
    b.wait_for(&format!("{} [data-testid=note-required]", item(id)), LOAD)
        .await?;
    b.fill(&format!("{} [data-testid=note]", item(id)), note)
        .await?;
    b.click(&format!("{} [data-action=abnormal]", item(id)))
        .await?;
    wait_state(b, id, "abnormal", LOAD).await
}

/// Scroll to the top of the desktop and open its tab `name`.
pub async fn desktop_tab(desk: &Browser, name: &str) -> BrowserResult<()> {
    desk.eval("window.scrollTo(0, 0)").await?;
    desk.click(&format!("[data-tab={name}]")).await
}

/// Wait until the navigation's count `testid` inside `scope` shows
/// `count` (`None`: no count shown).
pub async fn wait_nav_count(
    b: &Browser,
    scope: &str,
    testid: &str,
    count: Option<&str>,
) -> BrowserResult<()> {
    let want = count.map_or("null".to_owned(), |c| format!("'{c}'"));
    b.wait_until(
        &format!(
            "(document.querySelector(\"{scope} [data-testid={testid}]\")?.textContent ?? null) === {want}"
        ),
        LOAD,
    )
    .await
}

/// Copy directory `from` into `to`, recursively.
pub fn copy_dir(from: &std::path::Path, to: &std::path::Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

/// What a page's IndexedDB holds of one document
/// (`app/src/platform/idb.rs`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRecord {
    /// Its chunks.
    pub chunks: usize,
    /// The heads its meta record says the server holds.
    pub confirmed: Vec<String>,
}

/// The page's IndexedDB read from outside the app: `BODY` runs with `db`
/// open and `ask(request)` awaiting a request; `null` when the app has not
/// created the database (opening it here would create it without stores).
fn idb_script(body: &str) -> String {
    format!(
        "return (async () => {{
           if (!(await indexedDB.databases()).some(d => d.name === 'shiftbook')) return null;
           const ask = (r) => new Promise((ok, no) => {{ r.onsuccess = () => ok(r.result); r.onerror = () => no(r.error); }});
           const db = await ask(indexedDB.open('shiftbook'));
           try {{ {body} }} finally {{ db.close(); }}
         }})();"
    )
}

/// What the page's IndexedDB holds of document `id`; `None` when nothing.
pub async fn stored_record(b: &Browser, id: &str) -> BrowserResult<Option<StoredRecord>> {
    let id = serde_json::to_string(id)?;
    let v = b
        .eval(&idb_script(&format!(
            "const tx = db.transaction(['chunks', 'meta']);
             const chunks = await ask(tx.objectStore('chunks').count(IDBKeyRange.bound([{id}], [{id}, '\\uffff'])));
             const meta = await ask(tx.objectStore('meta').get({id}));
             if (!chunks && meta === undefined) return null;
             return {{ chunks, confirmed: meta ? JSON.parse(meta).confirmed : [] }};"
        )))
        .await?;
    if v.is_null() {
        return Ok(None);
    }
    let chunks = v["chunks"].as_u64().unwrap_or(0) as usize;
    let confirmed = v["confirmed"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|h| h.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    Ok(Some(StoredRecord { chunks, confirmed }))
}

/// Whether the page's IndexedDB keeps photo `sha256`'s bytes.
pub async fn stored_photo(b: &Browser, sha256: &str) -> BrowserResult<bool> {
    let sha = serde_json::to_string(sha256)?;
    let v = b
        .eval(&idb_script(&format!(
            "return (await ask(db.transaction('blobs').objectStore('blobs').count({sha}))) > 0;"
        )))
        .await?;
    Ok(v == serde_json::Value::Bool(true))
}

/// How many documents the page's IndexedDB holds.
pub async fn stored_record_count(b: &Browser) -> BrowserResult<usize> {
    let v = b
        .eval(&idb_script(
            "return await ask(db.transaction('meta').objectStore('meta').count());",
        ))
        .await?;
    Ok(v.as_u64().unwrap_or(0) as usize)
}

/// What does not fit: elements whose right edge passes the window's
/// (outside scrolling strips, which may hold more than the width), and
/// headings, labels and buttons whose text breaks into about a line per
/// character.
const MISFITS: &str = r#"
    const width = document.documentElement.clientWidth;
    const name = e => e.tagName.toLowerCase() + (e.className && typeof e.className === 'string'
        ? '.' + e.className.trim().split(/\s+/).join('.') : '')
        + (e.dataset.testid ? `[${e.dataset.testid}]` : '');
    const inStrip = e => {
        for (let p = e.parentElement; p; p = p.parentElement) {
            const o = getComputedStyle(p).overflowX;
            if (o === 'auto' || o === 'scroll' || o === 'hidden') return true;
        }
        return false;
    };
    const out = [];
    if (document.documentElement.scrollWidth > width + 1) {
        out.push(`page scrolls sideways: ${document.documentElement.scrollWidth} > ${width}`);
    }
    const passes = e => {
        const r = e.getBoundingClientRect();
        return r.width > 0 && r.height > 0 && r.right > width + 1 && !inStrip(e);
    };
    // The outermost element that passes the edge names the problem.
    for (const e of document.querySelectorAll('.shell-main *')) {
        if (passes(e) && !(e.parentElement && passes(e.parentElement))) {
            out.push(`${name(e)} ends at ${Math.round(e.getBoundingClientRect().right)}`);
        }
    }
    // Text broken into about a line per character.
    for (const e of document.querySelectorAll('.shell-main h1, .shell-main h2, .shell-main .btn, .shell-main label > span')) {
        const chars = [...e.textContent.trim()].length;
        if (chars < 3) continue;
        const range = document.createRange();
        range.selectNodeContents(e);
        const box = range.getBoundingClientRect();
        const style = getComputedStyle(e);
        const line = parseFloat(style.lineHeight) || 1.2 * parseFloat(style.fontSize);
        const lines = Math.round(box.height / line);
        if (lines >= 3 && lines * 2 >= chars) {
            out.push(`${name(e)} broken into ${lines} lines: ${e.textContent.trim().slice(0, 12)}`);
        }
    }
    return out.slice(0, 12);
"#;

/// What does not fit on the page `b` shows now.
pub async fn what_does_not_fit(b: &Browser) -> BrowserResult<Vec<String>> {
    Ok(b.eval(MISFITS)
        .await?
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default())
}
