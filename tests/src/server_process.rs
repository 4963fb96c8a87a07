//! The real `sync-server` binary as a child process, for end-to-end tests.
//!
//! [`ServerProcess::start`] runs `sync-server serve --addr 127.0.0.1:0
//! --data <dir> --app <dir>`, reads the bound address from the
//! `listening on http://…` line it prints, and waits until `/healthz`
//! answers 200. Everything the process prints (stdout and stderr, so its
//! logs too) is kept for assertions ([`ServerProcess::output`]).
//! [`ServerProcess::kill`] kills it hard (SIGKILL), [`ServerProcess::restart`]
//! starts it again on the same data directory; dropping it kills it.
//!
//! [`enroll`], [`revoke`] and [`add_supervisor`] run the binary's
//! commands on a data directory, as an operator would, which works while a
//! server runs on it. [`http_request`] sends any bare HTTP/1.1 request and
//! returns the status, headers and body.
//!
//! The binary is found as described in [`server_binary`]: build it first
//! with `cargo build -p sync-server`.

use std::io::{BufRead, BufReader, Read};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// How long a server may take to print its address and become healthy.
const START_TIMEOUT: Duration = Duration::from_secs(30);

/// The line prefix the server prints once it listens.
const LISTENING_PREFIX: &str = sync_server::LISTENING_PREFIX;

/// What went wrong running the server binary.
#[derive(Debug, thiserror::Error)]
pub enum HarnessError {
    /// The binary is not where it was looked for.
    #[error(
        "sync-server binary not found at {0}: run `cargo build -p sync-server` first, or set SHIFTBOOK_SERVER_BIN"
    )]
    NoBinary(PathBuf),
    /// Starting or talking to the process failed.
    #[error("io error: {0}")]
    Io(#[from] std::io::Error),
    /// The server did not come up in time.
    #[error("server did not start: {0}\n--- its output ---\n{1}")]
    Start(String, String),
    /// A command exited unsuccessfully.
    #[error("`sync-server {args}` failed ({status}):\n{output}")]
    Command {
        /// The arguments.
        args: String,
        /// The exit status.
        status: std::process::ExitStatus,
        /// stdout and stderr.
        output: String,
    },
}

/// Where the `sync-server` binary is: `$SHIFTBOOK_SERVER_BIN` if set,
/// else next to the profile directory the running test executable lives
/// in (`target/<profile>/deps/<test>` → `target/<profile>/sync-server`).
pub fn server_binary() -> Result<PathBuf, HarnessError> {
    if let Some(path) = std::env::var_os("SHIFTBOOK_SERVER_BIN") {
        let path = PathBuf::from(path);
        return if path.is_file() {
            Ok(path)
        } else {
            Err(HarnessError::NoBinary(path))
        };
    }
    let exe = std::env::current_exe()?;
    let name = format!("sync-server{}", std::env::consts::EXE_SUFFIX);
    let deps = exe.parent().unwrap_or(Path::new("."));
    let candidates = [
        deps.parent().map(|profile| profile.join(&name)),
        Some(deps.join(&name)),
    ];
    let mut first = None;
    for candidate in candidates.into_iter().flatten() {
        if candidate.is_file() {
            return Ok(candidate);
        }
        first.get_or_insert(candidate);
    }
    Err(HarnessError::NoBinary(
        first.unwrap_or_else(|| PathBuf::from(name)),
    ))
}

/// Options for [`ServerProcess::start_with`].
#[derive(Debug, Clone, Default)]
pub struct ServerOptions {
    /// The built app to serve; default: a directory that does not exist.
    pub app_dir: Option<PathBuf>,
    /// Pass `--demo`.
    pub demo: bool,
    /// Listen here; default a free port of 127.0.0.1. Browser tests keep
    /// one address across restarts: a tablet's storage and service worker
    /// belong to the server's origin.
    pub addr: Option<SocketAddr>,
    /// `RUST_LOG` for the server; default `info,sync_server=debug`.
    pub rust_log: Option<String>,
    /// More arguments for `serve` (limits, timeouts).
    pub args: Vec<String>,
}

/// A running `sync-server serve` child process.
#[derive(Debug)]
pub struct ServerProcess {
    child: Child,
    addr: SocketAddr,
    data_dir: PathBuf,
    options: ServerOptions,
    output: Arc<Mutex<String>>,
}

impl ServerProcess {
    /// Start a server on a free port of 127.0.0.1 over `data_dir`.
    pub async fn start(data_dir: &Path) -> Result<Self, HarnessError> {
        Self::start_with(data_dir, ServerOptions::default()).await
    }

    /// Start a server with options.
    pub async fn start_with(data_dir: &Path, options: ServerOptions) -> Result<Self, HarnessError> {
        let binary = server_binary()?;
        let app_dir = options
            .app_dir
            .clone()
            .unwrap_or_else(|| data_dir.join("no-app-built"));
        let mut command = Command::new(binary);
        command
            .arg("serve")
            .arg("--addr")
            .arg(
                options
                    .addr
                    .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 0)))
                    .to_string(),
            )
            .arg("--data")
            .arg(data_dir)
            .arg("--app")
            .arg(&app_dir)
            .env(
                "RUST_LOG",
                options
                    .rust_log
                    .clone()
                    .unwrap_or_else(|| "info,sync_server=debug".into()),
            )
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if options.demo {
            command.arg("--demo");
        }
        command.args(&options.args);
        let mut child = command.spawn()?;
        let output = Arc::new(Mutex::new(String::new()));
        let (addr_tx, addr_rx) = tokio::sync::oneshot::channel();
        if let Some(stdout) = child.stdout.take() {
            collect(stdout, output.clone(), Some(addr_tx));
        }
        if let Some(stderr) = child.stderr.take() {
            collect(stderr, output.clone(), None);
        }
        let mut server = Self {
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            data_dir: data_dir.to_owned(),
            options,
            output,
        };
        match tokio::time::timeout(START_TIMEOUT, addr_rx).await {
            Ok(Ok(addr)) => server.addr = addr,
            Ok(Err(_)) => return Err(server.failed("it exited before listening")),
            Err(_) => return Err(server.failed("no address printed in time")),
        }
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            if let Ok((200, _)) = http_get(server.addr, "/healthz", None).await {
                return Ok(server);
            }
            if Instant::now() > deadline {
                return Err(server.failed("/healthz never answered 200"));
            }
            if let Ok(Some(status)) = server.child.try_wait() {
                return Err(server.failed(&format!("it exited ({status})")));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    fn failed(&mut self, why: &str) -> HarnessError {
        let _ = self.child.kill();
        let _ = self.child.wait();
        HarnessError::Start(why.to_owned(), self.output())
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The process's resident memory now (KiB), from `/proc`.
    pub fn rss_kib(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The data directory.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// Everything the process printed so far, stdout and stderr interleaved
    /// by line.
    pub fn output(&self) -> String {
        self.output
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Whether the process is still running.
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Kill the process hard (no graceful shutdown) and reap it.
    pub fn kill(&mut self) -> Result<(), HarnessError> {
        if self.is_running() {
            self.child.kill()?;
        }
        self.child.wait()?;
        Ok(())
    }

    /// Ask the process to stop (SIGTERM, via the `kill` command) and wait
    /// for it to exit; its exit status.
    pub async fn terminate(&mut self) -> Result<std::process::ExitStatus, HarnessError> {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args(["-TERM", &pid]).status()?;
        if !sent.success() {
            return Err(HarnessError::Start(
                format!("`kill -TERM {pid}` failed ({sent})"),
                self.output(),
            ));
        }
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait()? {
                return Ok(status);
            }
            if Instant::now() > deadline {
                return Err(self.failed("it did not exit after SIGTERM"));
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Start the process again on the same data directory and address
    /// after it stopped.
    pub async fn start_again(&mut self) -> Result<(), HarnessError> {
        self.restart().await
    }

    /// Kill the process and start a new one on the same data directory and
    /// address.
    pub async fn restart(&mut self) -> Result<(), HarnessError> {
        self.kill()?;
        let mut options = self.options.clone();
        options.addr = Some(self.addr);
        let fresh = Self::start_with(&self.data_dir.clone(), options).await?;
        let old = std::mem::replace(self, fresh);
        // Keep the earlier output, for log assertions over the whole run.
        let mut all = old.output();
        all.push_str(&self.output());
        *self.output.lock().unwrap_or_else(|p| p.into_inner()) = all;
        Ok(())
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.kill();
    }
}

/// Append each line of `pipe` to `output` on a thread; report the address
/// of the first `listening on` line.
fn collect(
    pipe: impl Read + Send + 'static,
    output: Arc<Mutex<String>>,
    mut addr_tx: Option<tokio::sync::oneshot::Sender<SocketAddr>>,
) {
    std::thread::spawn(move || {
        for line in BufReader::new(pipe).lines() {
            let Ok(line) = line else { break };
            if let Some(rest) = line.strip_prefix(LISTENING_PREFIX)
                && let Some(addr) = rest
                    .strip_prefix("http://")
                    .and_then(|a| a.trim().parse::<SocketAddr>().ok())
                && let Some(tx) = addr_tx.take()
            {
                let _ = tx.send(addr);
            }
            let mut out = output.lock().unwrap_or_else(|p| p.into_inner());
            out.push_str(&line);
            out.push('\n');
        }
    });
}

fn run(args: &[&std::ffi::OsStr]) -> Result<String, HarnessError> {
    run_with_stdin(args, None)
}

/// Run the binary with `args`, writing `stdin` (if any) to it; its stdout,
/// or an error with everything it printed.
fn run_with_stdin(args: &[&std::ffi::OsStr], stdin: Option<&str>) -> Result<String, HarnessError> {
    let mut child = Command::new(server_binary()?)
        .args(args)
        .env("RUST_LOG", "warn")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    if let (Some(text), Some(mut pipe)) = (stdin, child.stdin.take()) {
        use std::io::Write as _;
        pipe.write_all(text.as_bytes())?;
    }
    let out = child.wait_with_output()?;
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    if out.status.success() {
        Ok(stdout)
    } else {
        Err(HarnessError::Command {
            args: args
                .iter()
                .map(|a| a.to_string_lossy())
                .collect::<Vec<_>>()
                .join(" "),
            status: out.status,
            output: format!("{stdout}{}", String::from_utf8_lossy(&out.stderr)),
        })
    }
}

/// Run `sync-server enroll` and return the new device's token (the last
/// line it prints).
pub fn enroll(data_dir: &Path, site: &str, name: &str) -> Result<String, HarnessError> {
    let stdout = run(&[
        "enroll".as_ref(),
        "--site".as_ref(),
        site.as_ref(),
        "--name".as_ref(),
        name.as_ref(),
        "--data".as_ref(),
        data_dir.as_os_str(),
    ])?;
    Ok(stdout.lines().last().unwrap_or_default().trim().to_owned())
}

/// Run `sync-server reproject --data DIR`; what it prints.
pub fn reproject(data_dir: &Path) -> Result<String, HarnessError> {
    run(&[
        "reproject".as_ref(),
        "--data".as_ref(),
        data_dir.as_os_str(),
    ])
}

/// Run `sync-server revoke`.
pub fn revoke(data_dir: &Path, name: &str) -> Result<(), HarnessError> {
    run(&[
        "revoke".as_ref(),
        "--name".as_ref(),
        name.as_ref(),
        "--data".as_ref(),
        data_dir.as_os_str(),
    ])
    .map(|_| ())
}

/// Run `sync-server add-supervisor --name NAME --site S… --data DIR`,
/// writing `password` and a newline to its stdin; its stdout.
pub fn add_supervisor(
    data_dir: &Path,
    name: &str,
    sites: &[&str],
    password: &str,
) -> Result<String, HarnessError> {
    let mut args: Vec<&std::ffi::OsStr> = vec![
        "add-supervisor".as_ref(),
        "--name".as_ref(),
        name.as_ref(),
        "--data".as_ref(),
        data_dir.as_os_str(),
    ];
    for site in sites {
        args.push("--site".as_ref());
        args.push(site.as_ref());
    }
    run_with_stdin(&args, Some(&format!("{password}\n")))
}

/// An HTTP response as [`http_request`] reads it.
#[derive(Debug, Clone)]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// Header (lowercased name, value) pairs in order.
    pub headers: Vec<(String, String)>,
    /// The body, de-chunked.
    pub body: String,
}

impl HttpResponse {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A bare HTTP/1.1 request on 127.0.0.1 with extra `headers` and an
/// optional `body` (sent with its Content-Length).
pub async fn http_request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> std::io::Result<HttpResponse> {
    http_request_from(None, addr, method, path, headers, body).await
}

/// [`http_request`] from the source address `from` (any of 127.0.0.0/8
/// on the loopback: many clients from one machine).
pub async fn http_request_from(
    from: Option<std::net::IpAddr>,
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> std::io::Result<HttpResponse> {
    let mut stream = match from {
        None => tokio::net::TcpStream::connect(addr).await?,
        Some(ip) => {
            let socket = if ip.is_ipv4() {
                tokio::net::TcpSocket::new_v4()?
            } else {
                tokio::net::TcpSocket::new_v6()?
            };
            socket.bind(SocketAddr::new(ip, 0))?;
            socket.connect(addr).await?
        }
    };
    let mut request = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    let body = body.unwrap_or_default();
    if !body.is_empty() || method != "GET" {
        request.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream.write_all(request.as_bytes()).await?;
    let mut raw = Vec::new();
    tokio::time::timeout(Duration::from_secs(30), stream.read_to_end(&mut raw))
        .await
        .map_err(|_| std::io::Error::new(std::io::ErrorKind::TimedOut, "no answer"))??;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidData, "no header end"))?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidData, "no status line"))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let rest = &raw[split + 4..];
    let chunked = headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.eq_ignore_ascii_case("chunked"));
    let body = if chunked {
        dechunk(rest)
    } else {
        rest.to_vec()
    };
    Ok(HttpResponse {
        status,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

/// A bare HTTP/1.1 GET on 127.0.0.1: (status, body).
pub async fn http_get(
    addr: SocketAddr,
    path: &str,
    bearer: Option<&str>,
) -> std::io::Result<(u16, String)> {
    let mut stream = tokio::net::TcpStream::connect(addr).await?;
    let auth = bearer
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n{auth}Connection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await?;
    let mut raw = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut raw))
        .await
        .map_err(|_| std::io::Error::new(std::io::ErrorKind::TimedOut, "no answer"))??;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidData, "no header end"))?;
    let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
    let body = &raw[split + 4..];
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidData, "no status line"))?;
    let body = if head.contains("transfer-encoding: chunked") {
        dechunk(body)
    } else {
        body.to_vec()
    };
    Ok((status, String::from_utf8_lossy(&body).into_owned()))
}

/// Undo chunked transfer encoding (enough for tests).
fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = body.windows(2).position(|w| w == b"\r\n") {
        let size = String::from_utf8_lossy(&body[..eol]);
        let Ok(n) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        let rest = &body[eol + 2..];
        if n == 0 || rest.len() < n {
            break;
        }
        out.extend_from_slice(&rest[..n]);
        body = rest[n..].strip_prefix(b"\r\n").unwrap_or(&rest[n..]);
    }
    out
}
