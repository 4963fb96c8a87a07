//! A small driver for headless Chromium through chromedriver (WebDriver, via
//! fantoccini), for end-to-end tests of the browser app.
//!
//! Every [`Browser`] is independent: its own chromedriver child process on a
//! free port and its own fresh Chromium profile (`--user-data-dir` in a
//! temporary directory), so two tablets in one test share no storage, cookies,
//! IndexedDB or service workers. Dropping a `Browser` ends its Chromium
//! session, kills its chromedriver and deletes its profile.
//!
//! The driver is generic: it knows nothing of the app's pages or selectors.
//!
//! ```no_run
//! # async fn demo() -> shiftbook_tests::browser::BrowserResult<()> {
//! use shiftbook_tests::browser::Browser;
//! let tablet = Browser::tablet("A1").await?;
//! tablet.goto("http://127.0.0.1:8080/").await?;
//! tablet.wait_for("main", std::time::Duration::from_secs(10)).await?;
//! tablet.set_offline(true).await?;
//! tablet.screenshot("target/screenshots/a1.png").await?;
//! # Ok(()) }
//! ```
//!
//! Offline: [`Browser::set_offline`] uses the Chrome DevTools Protocol's
//! `Network.emulateNetworkConditions`, on the page and on its running service
//! workers (Chromium does not apply a page's emulation to a service worker's
//! own `fetch()`). To play a server that is down rather than a tablet without
//! network, stop the server instead (see `static_site::StaticSite::stop`).

use std::collections::HashMap;
use std::fmt;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use fantoccini::elements::Element;
use fantoccini::wd::{Capabilities, WebDriverCompatibleCommand};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value as Json, json};

/// Where [`MOVABLE_CLOCK`] reads how far the page's clock was moved (ms),
/// in the page's `sessionStorage`.
pub const CLOCK_KEY: &str = "shiftbook.test.clock_offset_ms";

/// Run before the app in every document ([`Browser::install_movable_clock`],
/// which puts [`CLOCK_KEY`] in place of `CLOCK_KEY`): the page's `Date` adds
/// the offset stored under that key to "now"
/// (`Date.now()`, `new Date()`, `Date()`); dates built from parts or a
/// timestamp are left alone. The real clock stays at `__realNow`.
const MOVABLE_CLOCK: &str = r#"(() => {
  const Real = Date;
  const offset = () => {
    try { return Number(sessionStorage.getItem('CLOCK_KEY') || 0); }
    catch (e) { return 0; }
  };
  const realNow = Real.now.bind(Real);
  globalThis.__realNow = realNow;
  globalThis.Date = new Proxy(Real, {
    construct(target, args, newTarget) {
      return args.length === 0
        ? Reflect.construct(target, [realNow() + offset()], newTarget)
        : Reflect.construct(target, args, newTarget);
    },
    apply() { return new Real(realNow() + offset()).toString(); },
    get(target, prop, receiver) {
      if (prop === 'now') return () => realNow() + offset();
      return Reflect.get(target, prop, receiver);
    },
  });
})();"#;

/// Errors of this module: boxed, with a message that says what was tried.
pub type BrowserError = Box<dyn std::error::Error + Send + Sync>;
/// Result of this module's operations.
pub type BrowserResult<T> = Result<T, BrowserError>;

/// Where Debian's packages put Chromium.
const CHROMIUM: &str = "/usr/bin/chromium";
/// Where Debian's `chromium-driver` puts chromedriver.
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// The Chromium binary: `$CHROMIUM_BIN` or Debian's `/usr/bin/chromium`.
fn chromium_bin() -> PathBuf {
    std::env::var_os("CHROMIUM_BIN").map_or_else(|| PathBuf::from(CHROMIUM), PathBuf::from)
}

/// The chromedriver binary: `$CHROMEDRIVER_BIN` or `/usr/bin/chromedriver`.
fn chromedriver_bin() -> PathBuf {
    std::env::var_os("CHROMEDRIVER_BIN").map_or_else(|| PathBuf::from(CHROMEDRIVER), PathBuf::from)
}

/// Whether Chromium and chromedriver are installed (`scripts/setup.sh`
/// installs both). Tests that need a browser should skip with a message when
/// this is false, except under CI (`CI` set), where a missing browser must
/// fail the run: see [`require_chromium`].
pub fn chromium_available() -> bool {
    chromium_bin().is_file() && chromedriver_bin().is_file()
}

/// For the start of a browser test: `true` when the browser is there; `false`
/// (after printing why) when it is not and the test should return early.
///
/// # Panics
/// When the browser is missing and the environment variable `CI` is set, so
/// that CI never passes by skipping its browser tests.
pub fn require_chromium(test: &str) -> bool {
    if chromium_available() {
        return true;
    }
    if std::env::var_os("CI").is_some() {
        panic!("{test}: chromium/chromedriver missing under CI; run scripts/setup.sh");
    }
    eprintln!("SKIPPED {test}: chromium/chromedriver not installed (run scripts/setup.sh)");
    false
}

/// The window size of a [`Browser`], in CSS pixels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WindowSize {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

impl WindowSize {
    /// A 10-inch tablet in landscape, as at the front desk: 1280×800.
    pub const TABLET: WindowSize = WindowSize {
        width: 1280,
        height: 800,
    };
    /// An office desktop: 1600×1000.
    pub const DESKTOP: WindowSize = WindowSize {
        width: 1600,
        height: 1000,
    };
}

/// A temporary directory, deleted on drop.
#[derive(Debug)]
struct TempDir(PathBuf);

impl TempDir {
    fn new(label: &str) -> BrowserResult<TempDir> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let safe: String = label
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        let path = std::env::temp_dir().join(format!(
            "shiftbook-chromium-{safe}-{}-{}-{nanos}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&path)
            .map_err(|e| format!("creating profile dir {}: {e}", path.display()))?;
        Ok(TempDir(path))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if self.0.as_os_str().is_empty() {
            return; // handed over to another owner
        }
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A free TCP port on 127.0.0.1 (free when asked; taken by the caller soon after).
pub fn free_port() -> BrowserResult<u16> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?.port())
}

/// A chromedriver child process, killed on drop.
struct Chromedriver {
    child: Child,
    port: u16,
}

impl Chromedriver {
    fn start(log: &Path) -> BrowserResult<Chromedriver> {
        let mut last_err = String::new();
        // The port is free when picked but could be taken before chromedriver
        // binds it: try a few.
        for _ in 0..5 {
            let port = free_port()?;
            let log_file = std::fs::File::create(log)?;
            let child = Command::new(chromedriver_bin())
                .arg(format!("--port={port}"))
                .stdin(Stdio::null())
                .stdout(log_file.try_clone()?)
                .stderr(log_file)
                .spawn()
                .map_err(|e| format!("starting {}: {e}", chromedriver_bin().display()))?;
            // From here on, dropping `driver` kills the child.
            let mut driver = Chromedriver { child, port };
            let deadline = Instant::now() + Duration::from_secs(20);
            while Instant::now() < deadline {
                if let Some(status) = driver.child.try_wait()? {
                    last_err = format!("chromedriver exited with {status}");
                    break;
                }
                if http_get_ok(port, "/status") {
                    return Ok(driver);
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            if last_err.is_empty() {
                last_err = "chromedriver did not answer /status within 20s".into();
            }
        }
        let log_text = std::fs::read_to_string(log).unwrap_or_default();
        Err(format!("{last_err}; its log:\n{log_text}").into())
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A tiny blocking HTTP/1.1 request to chromedriver (used where async is not
/// possible: readiness polling and cleanup in `Drop`). Returns the status code.
fn http_request(port: u16, method: &str, path: &str) -> Option<u16> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .ok()?;
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    // Only the status line is needed; chromedriver may keep the connection
    // open after the response, so don't read to the end.
    let mut response = Vec::new();
    let mut byte = [0u8; 1];
    while !response.ends_with(b"\r\n") && response.len() < 1024 {
        match stream.read(&mut byte) {
            Ok(1) => response.push(byte[0]),
            _ => break,
        }
    }
    let status_line = String::from_utf8_lossy(&response);
    status_line.split_whitespace().nth(1)?.parse().ok()
}

fn http_get_ok(port: u16, path: &str) -> bool {
    http_request(port, "GET", path) == Some(200)
}

/// A WebDriver command that fantoccini has no method for, on the current session.
#[derive(Debug)]
struct SessionCommand {
    method: http::Method,
    /// Path below `/session/{id}/`.
    path: String,
    body: Option<Json>,
}

impl WebDriverCompatibleCommand for SessionCommand {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/{}",
            session_id.unwrap_or_default(),
            self.path
        ))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (self.method.clone(), self.body.as_ref().map(Json::to_string))
    }
}

/// One headless Chromium with its own profile, driven over WebDriver.
pub struct Browser {
    name: String,
    client: Client,
    session_id: Option<String>,
    size: WindowSize,
    /// Chromium flags beyond the usual ones (a fake camera), kept for a
    /// restart.
    extra_args: Vec<String>,
    /// CDP sessions attached to workers by `set_offline`, by target id.
    worker_sessions: tokio::sync::Mutex<HashMap<String, String>>,
    next_cdp_id: AtomicU64,
    // Field order = drop order: the session is ended (in `Drop`) before
    // chromedriver is killed and then the profile deleted.
    driver: Chromedriver,
    profile: TempDir,
}

impl fmt::Debug for Browser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Browser")
            .field("name", &self.name)
            .field("size", &self.size)
            .field("profile", &self.profile.0)
            .field("chromedriver", &self.driver.url())
            .finish()
    }
}

impl Browser {
    /// A tablet-sized (1280×800) browser with a fresh profile. `name` (e.g.
    /// "A1") names it in errors and in its temporary directory.
    pub async fn tablet(name: &str) -> BrowserResult<Browser> {
        Browser::launch(name, WindowSize::TABLET).await
    }

    /// A desktop-sized (1600×1000) browser with a fresh profile.
    pub async fn desktop(name: &str) -> BrowserResult<Browser> {
        Browser::launch(name, WindowSize::DESKTOP).await
    }

    /// A browser of any window size with a fresh profile.
    pub async fn launch(name: &str, size: WindowSize) -> BrowserResult<Browser> {
        Browser::launch_in(name, size, TempDir::new(name)?, Vec::new()).await
    }

    /// A tablet-sized browser whose camera shows `video` (a `.y4m` or
    /// `.mjpeg` file, looped) and is allowed without asking, as Chromium's
    /// fake capture device does.
    pub async fn tablet_with_camera(name: &str, video: &std::path::Path) -> BrowserResult<Browser> {
        let extra = vec![
            "--use-fake-ui-for-media-stream".to_string(),
            "--use-fake-device-for-media-stream".into(),
            format!("--use-file-for-fake-video-capture={}", video.display()),
        ];
        Browser::launch_in(name, WindowSize::TABLET, TempDir::new(name)?, extra).await
    }

    /// Quit this Chromium and start a new one on the same profile (its
    /// storage, service workers and caches), as when a tablet's browser is
    /// closed and opened again. The new browser shows a blank page.
    pub async fn restart(mut self) -> BrowserResult<Browser> {
        if let Some(id) = self.session_id.take() {
            let _ = http_request(self.driver.port, "DELETE", &format!("/session/{id}"));
        }
        let profile = std::mem::replace(&mut self.profile, TempDir(PathBuf::new()));
        let (name, size, extra) = (self.name.clone(), self.size, self.extra_args.clone());
        drop(self);
        // Chromium quits asynchronously; its profile lock goes last.
        let lock = profile.0.join("profile").join("SingletonLock");
        let deadline = Instant::now() + Duration::from_secs(15);
        while std::fs::symlink_metadata(&lock).is_ok() && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Browser::launch_in(&name, size, profile, extra).await
    }

    async fn launch_in(
        name: &str,
        size: WindowSize,
        profile: TempDir,
        extra_args: Vec<String>,
    ) -> BrowserResult<Browser> {
        let driver = Chromedriver::start(&profile.0.join("chromedriver.log"))?;
        let user_data = profile.0.join("profile");
        let mut args = vec![
            "--headless".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-dev-shm-usage".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--no-default-browser-check".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--disable-extensions".into(),
            "--lang=zh-CN".into(),
            format!("--window-size={},{}", size.width, size.height),
            format!("--user-data-dir={}", user_data.display()),
        ];
        args.extend(extra_args.iter().cloned());
        let caps = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium_bin(),
                "args": args,
                "prefs": { "intl.accept_languages": "zh-CN,zh" },
            },
            "goog:loggingPrefs": { "browser": "ALL" },
        });
        let Json::Object(caps) = caps else {
            return Err("capabilities are not a JSON object".into());
        };
        let caps: Capabilities = caps;
        let client = ClientBuilder::native()
            .capabilities(caps)
            .connect(&driver.url())
            .await
            .map_err(|e| {
                let log =
                    std::fs::read_to_string(profile.0.join("chromedriver.log")).unwrap_or_default();
                format!("{name}: starting a Chromium session failed: {e}\nchromedriver log:\n{log}")
            })?;
        let session_id = client.session_id().await?;
        let browser = Browser {
            name: name.to_string(),
            client,
            session_id,
            size,
            extra_args,
            worker_sessions: tokio::sync::Mutex::new(HashMap::new()),
            next_cdp_id: AtomicU64::new(1),
            driver,
            profile,
        };
        browser.fit_viewport().await?;
        Ok(browser)
    }

    /// `--window-size` sizes the window, and even headless Chromium keeps
    /// room for its (invisible) toolbars: grow the window until the page's
    /// viewport is exactly `size`.
    async fn fit_viewport(&self) -> BrowserResult<()> {
        for _ in 0..3 {
            let inner = self
                .eval("return [window.innerWidth, window.innerHeight];")
                .await?;
            let (w, h) = (
                inner[0].as_i64().unwrap_or(0),
                inner[1].as_i64().unwrap_or(0),
            );
            let (want_w, want_h) = (i64::from(self.size.width), i64::from(self.size.height));
            if (w, h) == (want_w, want_h) {
                return Ok(());
            }
            let (outer_w, outer_h) = self.client.get_window_size().await?;
            let new_w = i64::try_from(outer_w)? + want_w - w;
            let new_h = i64::try_from(outer_h)? + want_h - h;
            self.client
                .set_window_size(u32::try_from(new_w)?, u32::try_from(new_h)?)
                .await
                .map_err(|e| self.context("resizing the window", e))?;
        }
        let inner = self
            .eval("return [window.innerWidth, window.innerHeight];")
            .await?;
        Err(self.context(
            "fitting the viewport",
            format!("still {inner} after resizing"),
        ))
    }

    /// The name this browser was launched with.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The window size this browser was launched with.
    pub fn size(&self) -> WindowSize {
        self.size
    }

    /// The fantoccini client, for anything this driver has no helper for.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The Chromium profile directory (`--user-data-dir`) of this browser.
    pub fn profile_dir(&self) -> PathBuf {
        self.profile.0.join("profile")
    }

    fn context(&self, what: &str, e: impl fmt::Display) -> BrowserError {
        format!("{}: {what}: {e}", self.name).into()
    }

    /// Opens `url` and waits for its load event.
    pub async fn goto(&self, url: &str) -> BrowserResult<()> {
        self.client
            .goto(url)
            .await
            .map_err(|e| self.context(&format!("goto {url}"), e))
    }

    /// Reloads the current page and waits for its load event.
    pub async fn reload(&self) -> BrowserResult<()> {
        self.client
            .refresh()
            .await
            .map_err(|e| self.context("reload", e))
    }

    /// The current URL.
    pub async fn current_url(&self) -> BrowserResult<String> {
        Ok(self
            .client
            .current_url()
            .await
            .map_err(|e| self.context("current_url", e))?
            .into())
    }

    /// Saves a PNG screenshot of the viewport to `path` (parent dirs created).
    pub async fn screenshot(&self, path: impl AsRef<Path>) -> BrowserResult<()> {
        let path = path.as_ref();
        let png = self
            .client
            .screenshot()
            .await
            .map_err(|e| self.context("screenshot", e))?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(path, png)
            .map_err(|e| self.context(&format!("writing {}", path.display()), e))
    }

    /// Waits until an element matching the CSS selector `css` exists and
    /// returns it; fails after `timeout` (polling every 100 ms). A page
    /// navigating meanwhile (the enrol page replaces itself with `/`) is
    /// waited out too.
    pub async fn wait_for(&self, css: &str, timeout: Duration) -> BrowserResult<Element> {
        let deadline = Instant::now() + timeout;
        loop {
            match self.client.find(Locator::Css(css)).await {
                Ok(element) => return Ok(element),
                Err(e) if retryable(&e) && Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => {
                    return Err(self.context(&format!("waiting {timeout:?} for `{css}`"), e));
                }
            }
        }
    }

    /// Waits until the JavaScript expression `js_condition` is truthy; fails
    /// after `timeout`. Promises are awaited.
    pub async fn wait_until(&self, js_condition: &str, timeout: Duration) -> BrowserResult<()> {
        let deadline = Instant::now() + timeout;
        let script = format!("return !!(await ({js_condition}));");
        let script = format!("return (async () => {{ {script} }})();");
        loop {
            let last = self.client.execute(&script, vec![]).await;
            if let Ok(Json::Bool(true)) = last {
                return Ok(());
            }
            if Instant::now() >= deadline {
                let last = match last {
                    Ok(v) => v.to_string(),
                    Err(e) => e.to_string(),
                };
                return Err(self.context(
                    &format!("waiting {timeout:?} for `{js_condition}`"),
                    format!("last result: {last}"),
                ));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Whether an element matching `css` exists now.
    pub async fn exists(&self, css: &str) -> BrowserResult<bool> {
        Ok(!self.client.find_all(Locator::Css(css)).await?.is_empty())
    }

    /// The first element matching `css`, or an error naming it.
    pub async fn find(&self, css: &str) -> BrowserResult<Element> {
        self.client
            .find(Locator::Css(css))
            .await
            .map_err(|e| self.context(&format!("find `{css}`"), e))
    }

    /// The visible text of the first element matching `css`.
    pub async fn text(&self, css: &str) -> BrowserResult<String> {
        let element = self.find(css).await?;
        element
            .text()
            .await
            .map_err(|e| self.context(&format!("text of `{css}`"), e))
    }

    /// Clicks the first element matching `css`.
    pub async fn click(&self, css: &str) -> BrowserResult<()> {
        let element = self.find(css).await?;
        element
            .click()
            .await
            .map_err(|e| self.context(&format!("click `{css}`"), e))
    }

    /// Types `text` into the first element matching `css`, after clearing it.
    pub async fn fill(&self, css: &str, text: &str) -> BrowserResult<()> {
        let element = self.find(css).await?;
        element
            .clear()
            .await
            .map_err(|e| self.context(&format!("clear `{css}`"), e))?;
        element
            .send_keys(text)
            .await
            .map_err(|e| self.context(&format!("type into `{css}`"), e))
    }

    /// Runs `js` as the body of a function in the page and returns its
    /// `return` value as JSON. A returned promise is awaited, so
    /// `return fetch("/x").then(r => r.status)` works.
    pub async fn eval(&self, js: &str) -> BrowserResult<Json> {
        self.client
            .execute(js, vec![])
            .await
            .map_err(|e| self.context("eval", e))
    }

    /// Sends a Chrome DevTools Protocol command to this page (through
    /// chromedriver's `goog/cdp/execute`) and returns its result.
    pub async fn cdp(&self, cmd: &str, params: Json) -> BrowserResult<Json> {
        self.session_command(
            http::Method::POST,
            "goog/cdp/execute",
            Some(json!({ "cmd": cmd, "params": params })),
        )
        .await
        .map_err(|e| self.context(&format!("CDP {cmd}"), e))
    }

    /// Runs `js` in every document this page loads from now on, before the
    /// page's own scripts (CDP `Page.addScriptToEvaluateOnNewDocument`), e.g.
    /// to shift the page's clock or to time its start. Returns the script's
    /// identifier for [`Browser::remove_script_on_new_document`].
    pub async fn add_script_on_new_document(&self, js: &str) -> BrowserResult<String> {
        let added = self
            .cdp(
                "Page.addScriptToEvaluateOnNewDocument",
                json!({ "source": js }),
            )
            .await?;
        added["identifier"]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| self.context("adding a script on new documents", added.clone()))
    }

    /// Give every document this page loads from now on a clock that
    /// [`Browser::move_clock`] moves forward ([`MOVABLE_CLOCK`]); it reads
    /// the real time until moved. Returns the script's identifier.
    pub async fn install_movable_clock(&self) -> BrowserResult<String> {
        self.add_script_on_new_document(&MOVABLE_CLOCK.replace("CLOCK_KEY", CLOCK_KEY))
            .await
    }

    /// Move the page's clock forward by `by` (it must run
    /// [`MOVABLE_CLOCK`]): "now" is later at once, without a reload, and the
    /// app's timers see it at their next tick — a test of a deadline need
    /// not wait for it. Stays moved across reloads of this page.
    pub async fn move_clock(&self, by: Duration) -> BrowserResult<()> {
        let moved = self
            .eval(&format!(
                "if (!globalThis.__realNow) return false;
                 const now = Number(sessionStorage.getItem('{CLOCK_KEY}') || 0);
                 sessionStorage.setItem('{CLOCK_KEY}', String(now + {ms}));
                 return true;",
                ms = by.as_millis()
            ))
            .await?;
        if moved != Json::Bool(true) {
            return Err(self.context("moving the clock", "the page has no movable clock"));
        }
        Ok(())
    }

    /// Stops running a script added by [`Browser::add_script_on_new_document`]
    /// in the documents loaded from now on.
    pub async fn remove_script_on_new_document(&self, identifier: &str) -> BrowserResult<()> {
        self.cdp(
            "Page.removeScriptToEvaluateOnNewDocument",
            json!({ "identifier": identifier }),
        )
        .await?;
        Ok(())
    }

    /// Slows the page's main thread down `rate` times (1.0: full speed), as
    /// a slower tablet would be (CDP `Emulation.setCPUThrottlingRate`).
    pub async fn set_cpu_throttling(&self, rate: f64) -> BrowserResult<()> {
        self.cdp("Emulation.setCPUThrottlingRate", json!({ "rate": rate }))
            .await?;
        Ok(())
    }

    /// Cuts the browser off the network (`true`) or reconnects it (`false`)
    /// with CDP `Network.emulateNetworkConditions`, applied to the page and to
    /// every service worker (and shared worker) running now: requests fail
    /// with `net::ERR_INTERNET_DISCONNECTED`, `navigator.onLine` turns false
    /// and `offline`/`online` events fire.
    ///
    /// Page-level emulation alone does not stop a service worker's own
    /// `fetch()`, so a worker is attached to over CDP
    /// (`Target.attachToTarget` + `Target.sendMessageToTarget`) and emulated
    /// too. A worker that starts after this call is not covered: call it again
    /// once the worker is running (e.g. after waiting for
    /// `navigator.serviceWorker.controller`).
    pub async fn set_offline(&self, offline: bool) -> BrowserResult<()> {
        let conditions = json!({
            "offline": offline,
            "latency": 0,
            "downloadThroughput": -1,
            "uploadThroughput": -1,
        });
        self.cdp("Network.enable", json!({})).await?;
        self.cdp("Network.emulateNetworkConditions", conditions.clone())
            .await?;

        let targets = self.cdp("Target.getTargets", json!({})).await?;
        let workers = targets["targetInfos"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|t| matches!(t["type"].as_str(), Some("service_worker" | "shared_worker")))
            .filter_map(|t| t["targetId"].as_str().map(str::to_string));
        let mut sessions = self.worker_sessions.lock().await;
        for target in workers {
            // The emulation lasts as long as the CDP session: keep it attached
            // (and reuse it, so one session decides per worker).
            let session = match sessions.get(&target) {
                Some(session) => session.clone(),
                None => {
                    let attached = self
                        .cdp(
                            "Target.attachToTarget",
                            json!({ "targetId": target, "flatten": false }),
                        )
                        .await?;
                    let session = attached["sessionId"]
                        .as_str()
                        .ok_or_else(|| self.context("attaching to a worker", attached.clone()))?
                        .to_string();
                    sessions.insert(target.clone(), session.clone());
                    session
                }
            };
            for (method, params) in [
                ("Network.enable", json!({})),
                ("Network.emulateNetworkConditions", conditions.clone()),
            ] {
                let id = self.next_cdp_id.fetch_add(1, Ordering::Relaxed);
                let message = json!({ "id": id, "method": method, "params": params }).to_string();
                self.cdp(
                    "Target.sendMessageToTarget",
                    json!({ "sessionId": session, "message": message }),
                )
                .await?;
            }
        }
        Ok(())
    }

    /// The browser console's messages since the last call (chromedriver's
    /// `browser` log), as "LEVEL message" lines; handy in failure messages.
    pub async fn console_log(&self) -> BrowserResult<Vec<String>> {
        let entries = self
            .session_command(
                http::Method::POST,
                "se/log",
                Some(json!({ "type": "browser" })),
            )
            .await
            .map_err(|e| self.context("reading the console log", e))?;
        Ok(entries
            .as_array()
            .map(|entries| {
                entries
                    .iter()
                    .map(|e| {
                        format!(
                            "{} {}",
                            e["level"].as_str().unwrap_or("?"),
                            e["message"].as_str().unwrap_or_default()
                        )
                    })
                    .collect()
            })
            .unwrap_or_default())
    }

    async fn session_command(
        &self,
        method: http::Method,
        path: &str,
        body: Option<Json>,
    ) -> Result<Json, fantoccini::error::CmdError> {
        self.client
            .issue_cmd(SessionCommand {
                method,
                path: path.to_string(),
                body,
            })
            .await
    }

    /// Ends the Chromium session and waits for it (dropping does the same,
    /// blocking).
    pub async fn close(mut self) -> BrowserResult<()> {
        self.session_id = None;
        self.client
            .clone()
            .close()
            .await
            .map_err(|e| self.context("close", e))
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Ask chromedriver to end the session, which makes Chromium quit.
        // Killing chromedriver alone can leave Chromium running.
        if let Some(id) = self.session_id.take() {
            let _ = http_request(self.driver.port, "DELETE", &format!("/session/{id}"));
        }
    }
}

/// Whether a failed find may succeed later: nothing matches yet, or
/// chromedriver answered while the page was navigating ("aborted by
/// navigation", which it reports outside the W3C error codes).
fn retryable(e: &fantoccini::error::CmdError) -> bool {
    e.is_no_such_element() || e.to_string().contains("aborted by navigation")
}
