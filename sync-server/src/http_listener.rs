//! Accepting HTTP connections within limits.
//!
//! `axum::serve` waits forever for a client's headers and takes every
//! connection it is offered: 1,100 connections that sent nothing locked
//! every tablet out of a server with the common 1,024-descriptor limit.
//! Here each connection
//! - must complete its request headers within
//!   [`ConnectionLimits::header_timeout`] (hyper's header read timeout;
//!   also for each further request on a kept-alive connection), else it
//!   is closed;
//! - takes a slot of [`ConnectionLimits::max_connections`] and of
//!   [`ConnectionLimits::max_per_address`] for as long as it is open —
//!   also as an upgraded WebSocket: the slot travels with the socket.
//!   Without a slot the client gets `503` with `Retry-After` and a line
//!   saying which limit it hit, and the server logs it. A trusted reverse
//!   proxy ([`ConnectionLimits::trusted_proxies`]) has no per-address
//!   limit, and its requests carry [`ForwardedBy`] so that
//!   [`crate::client_addr::ClientAddr`] believes its `X-Forwarded-For`.
//!
//! A sync socket's first frame has its own deadline (the join timeout of
//! [`crate::sync_socket`]). The total limit is kept below the process's
//! descriptor limit ([`descriptor_limit`]) so the database and the data
//! files can always be opened.

use crate::client_addr::ForwardedBy;
use axum::Router;
use axum::extract::ConnectInfo;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::collections::HashMap;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tower::ServiceExt as _;

/// Descriptors kept free for the database, data files and logs.
pub const RESERVED_DESCRIPTORS: usize = 64;

/// The limits on connections.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// Open connections at most (HTTP and WebSocket together).
    pub max_connections: usize,
    /// Open connections from one IP address at most; 0 for no limit
    /// (behind a reverse proxy every client has the proxy's address).
    pub max_per_address: usize,
    /// Time a client has to send a request's headers.
    pub header_timeout: Duration,
    /// Reverse proxies in front of the server: no per-address limit, and
    /// the client address they forward is believed.
    pub trusted_proxies: Arc<[IpAddr]>,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        Self {
            max_connections: 4_096,
            max_per_address: 256,
            header_timeout: Duration::from_secs(10),
            trusted_proxies: Arc::new([]),
        }
    }
}

impl ConnectionLimits {
    /// These limits with the total kept [`RESERVED_DESCRIPTORS`] below the
    /// process's descriptor limit, if that is lower.
    pub fn within_descriptors(mut self) -> Self {
        if let Some(limit) = descriptor_limit() {
            let usable = limit.saturating_sub(RESERVED_DESCRIPTORS).max(1);
            if usable < self.max_connections {
                tracing::warn!(
                    descriptors = limit,
                    connections = usable,
                    "the descriptor limit (ulimit -n) allows fewer connections than configured"
                );
                self.max_connections = usable;
            }
        }
        self
    }
}

/// The soft limit on open descriptors of this process (Linux), if known.
pub fn descriptor_limit() -> Option<usize> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    limits
        .lines()
        .find(|l| l.starts_with("Max open files"))?
        .split_whitespace()
        .nth(3)?
        .parse()
        .ok()
}

/// Counts of open connections, in total and per address.
#[derive(Debug, Default)]
struct Open {
    total: usize,
    by_address: HashMap<IpAddr, usize>,
}

/// Which limit refused a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Full {
    Server,
    Address,
}

/// A connection's place among the open ones, given back on drop.
#[derive(Debug)]
struct Slot {
    open: Arc<Mutex<Open>>,
    addr: IpAddr,
}

impl Slot {
    fn take(
        open: &Arc<Mutex<Open>>,
        addr: IpAddr,
        limits: &ConnectionLimits,
    ) -> Result<Self, Full> {
        let mut o = open.lock().unwrap_or_else(|p| p.into_inner());
        if o.total >= limits.max_connections {
            return Err(Full::Server);
        }
        let mine = o.by_address.get(&addr).copied().unwrap_or(0);
        if limits.max_per_address > 0
            && mine >= limits.max_per_address
            && !limits.trusted_proxies.contains(&addr)
        {
            return Err(Full::Address);
        }
        o.total += 1;
        *o.by_address.entry(addr).or_insert(0) += 1;
        Ok(Slot {
            open: open.clone(),
            addr,
        })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut o = self.open.lock().unwrap_or_else(|p| p.into_inner());
        o.total = o.total.saturating_sub(1);
        if let Some(n) = o.by_address.get_mut(&self.addr) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                o.by_address.remove(&self.addr);
            }
        }
    }
}

/// A TCP stream holding its connection slot for as long as it lives
/// (through a WebSocket upgrade too).
#[derive(Debug)]
struct SlottedStream {
    stream: TcpStream,
    _slot: Slot,
}

impl AsyncRead for SlottedStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for SlottedStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }
}

/// Serve `router` on `listener` within `limits` until `stop`; then stop
/// accepting, ask open connections to finish, and return once they did
/// (or after `grace`).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: ConnectionLimits,
    stop: CancellationToken,
    grace: Duration,
) -> io::Result<()> {
    let open = Arc::new(Mutex::new(Open::default()));
    let connections = TaskTracker::new();
    loop {
        let (stream, remote) = tokio::select! {
            () = stop.cancelled() => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of descriptors or a connection reset before it
                    // was taken: wait a moment instead of spinning.
                    tracing::warn!(error = %e, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let slot = match Slot::take(&open, remote.ip(), &limits) {
            Ok(slot) => slot,
            Err(full) => {
                connections.spawn(refuse(stream, remote, full, limits.clone()));
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let io = TokioIo::new(SlottedStream {
            stream,
            _slot: slot,
        });
        let router = router.clone();
        let forwarded_by = limits
            .trusted_proxies
            .contains(&remote.ip())
            .then(|| ForwardedBy(limits.trusted_proxies.clone()));
        let service = TowerToHyperService::new(router.map_request(
            move |mut request: axum::http::Request<hyper::body::Incoming>| {
                request.extensions_mut().insert(ConnectInfo(remote));
                if let Some(by) = &forwarded_by {
                    request.extensions_mut().insert(by.clone());
                }
                request.map(axum::body::Body::new)
            },
        ));
        let stop = stop.clone();
        let header_timeout = limits.header_timeout;
        connections.spawn(async move {
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(header_timeout);
            let conn = builder.serve_connection(io, service).with_upgrades();
            let mut conn = std::pin::pin!(conn);
            tokio::select! {
                result = conn.as_mut() => {
                    if let Err(e) = result {
                        tracing::debug!(%remote, error = %e, "connection ended with an error");
                    }
                    return;
                }
                () = stop.cancelled() => conn.as_mut().graceful_shutdown(),
            }
            let _ = conn.await;
        });
    }
    connections.close();
    if tokio::time::timeout(grace, connections.wait())
        .await
        .is_err()
    {
        tracing::warn!("connections still open after the grace period; leaving them");
    }
    Ok(())
}

/// Tell a client over a limit why, and close.
async fn refuse(mut stream: TcpStream, remote: SocketAddr, full: Full, limits: ConnectionLimits) {
    let why = match full {
        Full::Server => format!(
            "the server holds its limit of {} connections; try again later",
            limits.max_connections
        ),
        Full::Address => format!(
            "too many connections from this address (limit {}); try again later",
            limits.max_per_address
        ),
    };
    tracing::warn!(%remote, "connection refused: {why}");
    let response = format!(
        "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 5\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{why}",
        why.len()
    );
    let _ = tokio::time::timeout(Duration::from_secs(2), async {
        let _ = stream.write_all(response.as_bytes()).await;
        let _ = stream.shutdown().await;
    })
    .await;
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 1));
    const B: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 2));

    #[test]
    fn slots_count_per_address_and_in_total_and_come_back_on_drop() {
        let open = Arc::new(Mutex::new(Open::default()));
        let limits = ConnectionLimits {
            max_connections: 3,
            max_per_address: 2,
            ..ConnectionLimits::default()
        };
        let a1 = Slot::take(&open, A, &limits).unwrap();
        let _a2 = Slot::take(&open, A, &limits).unwrap();
        assert_eq!(Slot::take(&open, A, &limits).unwrap_err(), Full::Address);
        let _b1 = Slot::take(&open, B, &limits).unwrap();
        assert_eq!(Slot::take(&open, B, &limits).unwrap_err(), Full::Server);
        drop(a1);
        let _a3 = Slot::take(&open, A, &limits).unwrap();
        let o = open.lock().unwrap();
        assert_eq!((o.total, o.by_address[&A], o.by_address[&B]), (3, 2, 1));
    }

    #[test]
    fn no_per_address_limit_when_it_is_zero() {
        let open = Arc::new(Mutex::new(Open::default()));
        let limits = ConnectionLimits {
            max_connections: 10,
            max_per_address: 0,
            ..ConnectionLimits::default()
        };
        let slots: Vec<_> = (0..10)
            .map(|_| Slot::take(&open, A, &limits).unwrap())
            .collect();
        assert_eq!(Slot::take(&open, A, &limits).unwrap_err(), Full::Server);
        drop(slots);
        assert_eq!(open.lock().unwrap().total, 0);
        assert!(open.lock().unwrap().by_address.is_empty());
    }

    #[test]
    fn a_trusted_proxy_has_no_per_address_limit() {
        let open = Arc::new(Mutex::new(Open::default()));
        let limits = ConnectionLimits {
            max_connections: 5,
            max_per_address: 1,
            trusted_proxies: Arc::new([A]),
            ..ConnectionLimits::default()
        };
        let _proxied: Vec<_> = (0..4)
            .map(|_| Slot::take(&open, A, &limits).unwrap())
            .collect();
        let _b = Slot::take(&open, B, &limits).unwrap();
        assert_eq!(Slot::take(&open, A, &limits).unwrap_err(), Full::Server);
    }

    #[test]
    fn the_descriptor_limit_is_read_on_linux() {
        if cfg!(target_os = "linux") {
            assert!(descriptor_limit().is_some_and(|n| n > 0));
        }
    }
}
