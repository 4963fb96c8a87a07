//! A minimal static file server for browser tests: serves a directory on
//! 127.0.0.1 like the sync server serves `app/dist` (files by path, any other
//! path without a file extension falls back to `index.html` for client-side
//! routes), and can be switched off and on again on the same port to play a
//! server that the network cannot reach.
//!
//! Caching follows the sync server: files named with the build's content hash
//! are immutable for a year, anything else `no-cache`. Requests are counted,
//! in all and per path.
//!
//! Every response says `Connection: close`, and stopping the site also cuts
//! the connections already open, so once it is stopped nothing reaches it:
//! new connections are refused.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// A directory served over HTTP on 127.0.0.1.
#[derive(Debug)]
pub struct StaticSite {
    root: PathBuf,
    port: u16,
    requests: Arc<AtomicUsize>,
    by_path: Arc<Mutex<HashMap<String, usize>>>,
    task: Option<JoinHandle<()>>,
}

impl StaticSite {
    /// Serves `root` on a free port.
    pub async fn start(root: impl Into<PathBuf>) -> std::io::Result<StaticSite> {
        let mut site = StaticSite {
            root: root.into(),
            port: 0,
            requests: Arc::new(AtomicUsize::new(0)),
            by_path: Arc::default(),
            task: None,
        };
        site.listen().await?;
        Ok(site)
    }

    async fn listen(&mut self) -> std::io::Result<()> {
        let listener = TcpListener::bind(("127.0.0.1", self.port)).await?;
        self.port = listener.local_addr()?.port();
        let root = self.root.clone();
        let requests = self.requests.clone();
        let by_path = self.by_path.clone();
        self.task = Some(tokio::spawn(async move {
            // Connections live in this set, so stopping the site (aborting
            // this task) also cuts connections the browser opened ahead of
            // time (preconnect) and would otherwise still use.
            let mut connections = tokio::task::JoinSet::new();
            loop {
                tokio::select! {
                    accepted = listener.accept() => {
                        let Ok((stream, _)) = accepted else { break };
                        let root = root.clone();
                        let requests = requests.clone();
                        let by_path = by_path.clone();
                        connections.spawn(async move {
                            let _ = serve(stream, &root, &requests, &by_path).await;
                        });
                    }
                    Some(_) = connections.join_next(), if !connections.is_empty() => {}
                }
            }
        }));
        Ok(())
    }

    /// `http://127.0.0.1:{port}` (no trailing slash).
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The port, kept across [`StaticSite::stop`] / [`StaticSite::resume`].
    pub fn port(&self) -> u16 {
        self.port
    }

    /// How many requests were answered so far.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }

    /// How many requests for `path` (e.g. `/index.html`, without a query)
    /// were answered so far.
    pub fn requests_for(&self, path: &str) -> usize {
        self.by_path
            .lock()
            .map_or(0, |m| m.get(path).copied().unwrap_or(0))
    }

    /// Stops listening: connections to the port are refused from now on.
    pub async fn stop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
            let _ = task.await;
        }
    }

    /// Listens again on the same port.
    pub async fn resume(&mut self) -> std::io::Result<()> {
        if self.task.is_none() {
            self.listen().await?;
        }
        Ok(())
    }
}

impl Drop for StaticSite {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

fn content_type(path: &Path) -> &'static str {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
    {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "webmanifest" => "application/manifest+json",
        "png" => "image/png",
        "svg" => "image/svg+xml",
        "ico" => "image/x-icon",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// The file for a request path, or `None` for 404.
fn resolve(root: &Path, url_path: &str) -> Option<PathBuf> {
    let path = url_path.split(['?', '#']).next().unwrap_or_default();
    let relative = Path::new(path.trim_start_matches('/'));
    if relative
        .components()
        .any(|c| !matches!(c, Component::Normal(_)))
    {
        return None;
    }
    let file = root.join(relative);
    if file.is_file() {
        return Some(file);
    }
    let index = root.join("index.html");
    // Client-side routes (no extension) get the app shell; missing assets 404.
    (relative.extension().is_none() && index.is_file()).then_some(index)
}

async fn serve(
    mut stream: TcpStream,
    root: &Path,
    requests: &AtomicUsize,
    by_path: &Mutex<HashMap<String, usize>>,
) -> std::io::Result<()> {
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut buf).await?;
        if n == 0 || head.len() > 64 * 1024 {
            return Ok(());
        }
        head.extend_from_slice(&buf[..n]);
    }
    let head = String::from_utf8_lossy(&head);
    let mut parts = head.split_whitespace();
    let (method, path) = (
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or("/"),
    );
    requests.fetch_add(1, Ordering::SeqCst);
    let bare = path.split(['?', '#']).next().unwrap_or_default();
    if let Ok(mut counts) = by_path.lock() {
        *counts.entry(bare.to_owned()).or_default() += 1;
    }
    let name = bare.rsplit('/').next().unwrap_or_default();
    let cache = if sync_server::assets::is_hashed_name(name) {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };

    let (status, body, kind) = match (method, resolve(root, path)) {
        ("GET" | "HEAD", Some(file)) => match tokio::fs::read(&file).await {
            Ok(body) => ("200 OK", body, content_type(&file)),
            Err(_) => ("500 Internal Server Error", Vec::new(), "text/plain"),
        },
        ("GET" | "HEAD", None) => ("404 Not Found", b"not found".to_vec(), "text/plain"),
        _ => ("405 Method Not Allowed", Vec::new(), "text/plain"),
    };
    let header = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\n\
         Cache-Control: {cache}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(header.as_bytes()).await?;
    if method != "HEAD" {
        stream.write_all(&body).await?;
    }
    stream.shutdown().await
}
