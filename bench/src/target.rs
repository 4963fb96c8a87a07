//! The server a run measures: started here, or one already running.
//!
//! - [`Target::Ours`]: Shiftbook's `sync-server serve` on a free port of
//!   127.0.0.1 over a fresh temporary data directory. Every device of the
//!   run is enrolled through the server's library into that directory
//!   *before* the server starts (one SQLite transaction each, far faster
//!   than the `enroll` command); tablets connect to `/sync?token=…`.
//! - [`Target::Node`]: the automerge-repo reference server
//!   (`bench/reference-server/server.mjs`) under `node
//!   --max-old-space-size=…` with a temporary storage directory; it needs
//!   no token and has no sites, so site keys are drawn here.
//! - [`Target::Attach`]: a server already running at a WebSocket URL,
//!   whose process id is given for the CPU and memory figures. With a
//!   data directory the devices are enrolled into it (a Shiftbook server
//!   takes enrolments while it runs).
//!
//! A started server is killed when its [`RunningServer`] is stopped or
//! dropped, also when the run fails.

use crate::BenchError;
use shiftbook_model::SiteKey;
use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};
use tokio::process::{Child, Command};

/// How long a started server may take to print its address.
const START_TIMEOUT: Duration = Duration::from_secs(60);
/// Lines of a started server's output kept for error messages.
const KEPT_LINES: usize = 200;

/// A server to measure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Start Shiftbook's sync server from this binary.
    Ours {
        /// `sync-server`, usually `target/release/sync-server`.
        binary: PathBuf,
        /// More arguments for `sync-server serve` (e.g. `--unload-after-s 10`).
        args: Vec<String>,
    },
    /// Start the automerge-repo reference server.
    Node {
        /// The `node` executable.
        node: PathBuf,
        /// `server.mjs`, with its `node_modules` installed beside it.
        script: PathBuf,
        /// `--max-old-space-size` in MiB.
        max_old_space_mb: u32,
    },
    /// A server already running.
    Attach {
        /// The WebSocket URL tablets connect to (`ws://host:port/sync`).
        url: String,
        /// Its process id, for CPU time and memory.
        pid: u32,
        /// A Shiftbook server's data directory to enrol the devices into;
        /// none for a server that takes no token.
        data: Option<PathBuf>,
    },
}

impl Target {
    /// The workspace's `target/release/sync-server` (or under
    /// `$CARGO_TARGET_DIR`).
    pub fn default_server_binary() -> PathBuf {
        let target = std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| workspace_root().join("target"));
        target.join("release").join("sync-server")
    }

    /// `bench/reference-server/server.mjs` of this workspace.
    pub fn default_node_script() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("reference-server")
            .join("server.mjs")
    }

    /// The reference server with `node` from `PATH`, this workspace's
    /// script and 8 GiB of heap.
    pub fn node() -> Self {
        Self::Node {
            node: PathBuf::from("node"),
            script: Self::default_node_script(),
            max_old_space_mb: 8192,
        }
    }

    /// Parse `URL:PID` (e.g. `ws://127.0.0.1:8080/sync:4242`).
    pub fn attach(spec: &str, data: Option<PathBuf>) -> Result<Self, BenchError> {
        let bad = || BenchError::BadTarget(spec.to_owned());
        let (url, pid) = spec.rsplit_once(':').ok_or_else(bad)?;
        let pid: u32 = pid.parse().map_err(|_| bad())?;
        if !(url.starts_with("ws://") || url.starts_with("wss://")) {
            return Err(bad());
        }
        Ok(Self::Attach {
            url: url.to_owned(),
            pid,
            data,
        })
    }

    /// A short name for tables: `ours`, `node`, or the URL.
    pub fn label(&self) -> String {
        match self {
            Self::Ours { .. } => "ours".to_owned(),
            Self::Node { .. } => "node".to_owned(),
            Self::Attach { url, .. } => url.clone(),
        }
    }
}

fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_owned()
}

/// The devices a run needs, site by site.
#[derive(Debug, Clone, Default)]
pub struct FleetPlan {
    /// Each site's id and its devices' names.
    pub sites: Vec<(String, Vec<String>)>,
}

/// How one device reaches the server.
#[derive(Debug, Clone)]
pub struct DeviceAccess {
    /// Its name.
    pub name: String,
    /// The WebSocket URL it connects to, token included.
    pub url: String,
}

/// One site as the tablets know it.
#[derive(Debug, Clone)]
pub struct SiteAccess {
    /// Its id.
    pub id: String,
    /// The key its document ids are derived from.
    pub key: SiteKey,
    /// Its devices, in the plan's order.
    pub devices: Vec<DeviceAccess>,
}

/// A server being measured.
#[derive(Debug)]
pub struct RunningServer {
    child: Option<Child>,
    pid: u32,
    output: Arc<Mutex<VecDeque<String>>>,
    /// Data and app directories, removed when the run ends.
    _dirs: Vec<tempfile::TempDir>,
}

impl RunningServer {
    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// Whether a server started here is still running (an attached one
    /// always counts as running).
    pub fn is_running(&mut self) -> bool {
        match &mut self.child {
            Some(child) => matches!(child.try_wait(), Ok(None)),
            None => true,
        }
    }

    /// The last lines a started server printed.
    pub fn last_output(&self) -> String {
        let lines = self.output.lock().unwrap_or_else(|p| p.into_inner());
        lines
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Kill a server started here and wait for it (an attached one is left
    /// running).
    pub async fn stop(mut self) {
        if let Some(child) = &mut self.child {
            let _ = child.start_kill();
            let _ = tokio::time::timeout(Duration::from_secs(10), child.wait()).await;
        }
    }
}

fn temp_dir(prefix: &str) -> Result<tempfile::TempDir, BenchError> {
    tempfile::Builder::new()
        .prefix(prefix)
        .tempdir()
        .map_err(|source| BenchError::Io {
            what: "creating a temporary directory".into(),
            source,
        })
}

/// Enrol every device of `plan` into the data directory `data`: each
/// site's key and each device's token.
fn enrol(data: &Path, plan: &FleetPlan) -> Result<Vec<(SiteKey, Vec<String>)>, BenchError> {
    let store = sync_server::Store::open(data)?;
    let mut out = Vec::new();
    for (site, devices) in &plan.sites {
        let mut key = None;
        let mut tokens = Vec::new();
        for device in devices {
            let enrolment = store.enroll(site, site, device)?;
            key = Some(enrolment.site.key.clone());
            tokens.push(enrolment.token.reveal().to_owned());
        }
        let key = match key {
            Some(key) => key,
            None => random_key()?,
        };
        out.push((key, tokens));
    }
    Ok(out)
}

fn random_key() -> Result<SiteKey, BenchError> {
    Ok(SiteKey::from_random(crate::random_bytes::<32>()?))
}

fn with_token(url: &str, token: &str) -> String {
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}token={token}")
}

fn fleet(plan: &FleetPlan, keys: Vec<(SiteKey, Vec<String>)>, url: &str) -> Vec<SiteAccess> {
    plan.sites
        .iter()
        .zip(keys)
        .map(|((id, names), (key, tokens))| SiteAccess {
            id: id.clone(),
            key,
            devices: names
                .iter()
                .enumerate()
                .map(|(i, name)| DeviceAccess {
                    name: name.clone(),
                    url: tokens
                        .get(i)
                        .map_or_else(|| url.to_owned(), |t| with_token(url, t)),
                })
                .collect(),
        })
        .collect()
}

/// Start (or attach to) `target` with the devices of `plan`.
pub async fn start(
    target: &Target,
    plan: &FleetPlan,
) -> Result<(RunningServer, Vec<SiteAccess>), BenchError> {
    match target {
        Target::Ours { binary, args } => {
            if !binary.is_file() {
                return Err(BenchError::Config(format!(
                    "no sync-server binary at {}: run `cargo build --release -p sync-server` (or pass --server-bin)",
                    binary.display()
                )));
            }
            let data = temp_dir("shiftbook-bench-data-")?;
            let keys = enrol(data.path(), plan)?;
            let app = data.path().join("no-app-built");
            let mut command = Command::new(binary);
            command
                .arg("serve")
                .arg("--addr")
                .arg("127.0.0.1:0")
                .arg("--data")
                .arg(data.path())
                .arg("--app")
                .arg(&app)
                .args(args);
            let (server, addr) = spawn(command, vec![data]).await?;
            let sites = fleet(plan, keys, &format!("ws://{addr}/sync"));
            Ok((server, sites))
        }
        Target::Node {
            node,
            script,
            max_old_space_mb,
        } => {
            let modules = script
                .parent()
                .map(|d| d.join("node_modules"))
                .unwrap_or_default();
            if !script.is_file() || !modules.is_dir() {
                return Err(BenchError::Config(format!(
                    "the reference server needs {} and its node_modules: run `npm ci` in {}",
                    script.display(),
                    script.parent().unwrap_or(script).display()
                )));
            }
            let storage = temp_dir("shiftbook-bench-node-")?;
            let mut command = Command::new(node);
            command
                .arg(format!("--max-old-space-size={max_old_space_mb}"))
                .arg(script)
                .arg("--port")
                .arg("0")
                .arg("--data")
                .arg(storage.path());
            let (server, addr) = spawn(command, vec![storage]).await?;
            let keys = plan
                .sites
                .iter()
                .map(|_| Ok((random_key()?, Vec::new())))
                .collect::<Result<Vec<_>, BenchError>>()?;
            let sites = fleet(plan, keys, &format!("ws://{addr}/"));
            Ok((server, sites))
        }
        Target::Attach { url, pid, data } => {
            let keys = match data {
                Some(dir) => enrol(dir, plan)?,
                None => plan
                    .sites
                    .iter()
                    .map(|_| Ok((random_key()?, Vec::new())))
                    .collect::<Result<Vec<_>, BenchError>>()?,
            };
            let server = RunningServer {
                child: None,
                pid: *pid,
                output: Arc::default(),
                _dirs: Vec::new(),
            };
            Ok((server, fleet(plan, keys, url)))
        }
    }
}

/// Run `command`, keep its output, and wait for its `listening on
/// http://ADDR` line.
async fn spawn(
    mut command: Command,
    dirs: Vec<tempfile::TempDir>,
) -> Result<(RunningServer, String), BenchError> {
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    let mut child = command.spawn().map_err(|source| BenchError::Io {
        what: format!("starting {:?}", command.as_std().get_program()),
        source,
    })?;
    let pid = child.id().unwrap_or_default();
    let output = Arc::new(Mutex::new(VecDeque::new()));
    let (addr_tx, addr_rx) = tokio::sync::oneshot::channel();
    if let Some(stdout) = child.stdout.take() {
        tokio::spawn(collect(stdout, output.clone(), Some(addr_tx)));
    }
    if let Some(stderr) = child.stderr.take() {
        tokio::spawn(collect(stderr, output.clone(), None));
    }
    let server = RunningServer {
        child: Some(child),
        pid,
        output,
        _dirs: dirs,
    };
    let why = match tokio::time::timeout(START_TIMEOUT, addr_rx).await {
        Ok(Ok(addr)) => return Ok((server, addr)),
        Ok(Err(_)) => "it exited (or closed its output) before listening".to_owned(),
        Err(_) => format!("no `listening on` line within {START_TIMEOUT:?}"),
    };
    let output = server.last_output();
    server.stop().await;
    Err(BenchError::ServerStart { why, output })
}

/// Keep the last lines of `pipe`; send the address of the first
/// `listening on http://ADDR` line.
async fn collect(
    pipe: impl AsyncRead + Unpin,
    output: Arc<Mutex<VecDeque<String>>>,
    mut addr_tx: Option<tokio::sync::oneshot::Sender<String>>,
) {
    let mut lines = BufReader::new(pipe).lines();
    while let Ok(Some(line)) = lines.next_line().await {
        if let Some(addr) = line
            .strip_prefix(sync_server::LISTENING_PREFIX)
            .and_then(|rest| rest.strip_prefix("http://"))
            && let Some(tx) = addr_tx.take()
        {
            let _ = tx.send(addr.trim().to_owned());
        }
        let mut kept = output.lock().unwrap_or_else(|p| p.into_inner());
        if kept.len() == KEPT_LINES {
            kept.pop_front();
        }
        kept.push_back(line);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attach_targets_parse_url_and_pid() {
        assert_eq!(
            Target::attach("ws://127.0.0.1:8080/sync:4242", None).unwrap(),
            Target::Attach {
                url: "ws://127.0.0.1:8080/sync".into(),
                pid: 4242,
                data: None
            }
        );
        assert_eq!(
            Target::attach("ws://127.0.0.1:3030:77", None).unwrap(),
            Target::Attach {
                url: "ws://127.0.0.1:3030".into(),
                pid: 77,
                data: None
            }
        );
        for bad in [
            "ours",
            "ws://127.0.0.1:8080/sync",
            "http://x:1",
            "ws://x:1/:pid",
        ] {
            assert!(Target::attach(bad, None).is_err(), "{bad}");
        }
        assert_eq!(with_token("ws://a/sync", "t"), "ws://a/sync?token=t");
        assert_eq!(
            with_token("ws://a/sync?x=1", "t"),
            "ws://a/sync?x=1&token=t"
        );
    }
}
