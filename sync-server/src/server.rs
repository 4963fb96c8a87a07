//! Starting and stopping the whole server: database (with a one-time
//! import of an earlier server's document directory), the sync hubs with
//! their storage threads, the HTTP listener and the revocation sweeper.
//!
//! [`serve`] binds and starts everything and returns a [`RunningServer`]
//! that knows its bound address (so port 0 works) and shuts down
//! gracefully: stop accepting, close live sync connections, then stop the
//! hubs and let the storage writer commit what is queued. Nothing a client
//! saw acknowledged depends on shutdown: it was on disk before the
//! acknowledgement left.

use crate::doc_store::{self, DocStoreError};
use crate::http_listener::{self, ConnectionLimits};
use crate::peers::PeerRegistry;
use crate::revocation;
use crate::router::app;
use crate::state::{AppState, DEFAULT_JOIN_TIMEOUT};
use crate::store::{Store, StoreError};
use crate::sync_runtime::{RuntimeConfig, RuntimeError, SyncRuntime};
use crate::token::random_bytes;
use shiftbook_model::protocol::PeerId;
use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// Threads of the async runtime's blocking pool (database calls); set by
/// the binary's runtime.
pub const MAX_BLOCKING_THREADS: usize = 16;
/// How long shutdown waits for each stage before giving up on it.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// What to serve, where.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Address to listen on; port 0 picks a free port.
    pub addr: SocketAddr,
    /// Data directory: `shiftbook.sqlite3` and `docs/`.
    pub data_dir: PathBuf,
    /// The built app (trunk's `dist`).
    pub app_dir: PathBuf,
    /// How often live connections are checked for revoked devices.
    pub revocation_interval: Duration,
    /// How long a new sync connection may take to send `join`.
    pub join_timeout: Duration,
    /// Mark session cookies `Secure` (default; off only for plain HTTP on a
    /// LAN address).
    pub secure_cookies: bool,
    /// Documents untouched this long leave memory.
    pub idle_unload: Duration,
    /// Limits on connections (kept below the descriptor limit).
    pub limits: ConnectionLimits,
}

impl ServerConfig {
    /// A configuration with default intervals.
    pub fn new(addr: SocketAddr, data_dir: PathBuf, app_dir: PathBuf) -> Self {
        Self {
            addr,
            data_dir,
            app_dir,
            revocation_interval: revocation::DEFAULT_INTERVAL,
            join_timeout: DEFAULT_JOIN_TIMEOUT,
            secure_cookies: true,
            idle_unload: crate::sync_runtime::DEFAULT_IDLE_UNLOAD,
            limits: ConnectionLimits::default(),
        }
    }
}

/// Why the server could not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The database could not be opened.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Document storage could not be opened or imported.
    #[error(transparent)]
    Documents(#[from] DocStoreError),
    /// The sync hubs could not start.
    #[error(transparent)]
    Runtime(#[from] RuntimeError),
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// The OS error.
        source: std::io::Error,
    },
    /// The HTTP server failed.
    #[error("HTTP server failed: {0}")]
    Serve(std::io::Error),
    /// No randomness for the server's peer id.
    #[error(transparent)]
    Random(#[from] crate::token::RandomError),
}

/// A started server.
#[derive(Debug)]
pub struct RunningServer {
    addr: SocketAddr,
    store: Store,
    peers: Arc<PeerRegistry>,
    sync: SyncRuntime,
    stop: CancellationToken,
    http: tokio::task::JoinHandle<std::io::Result<()>>,
    sweeper: tokio::task::JoinHandle<()>,
}

/// Open storage, bind the listener and start serving.
pub async fn serve(config: ServerConfig) -> Result<RunningServer, ServerError> {
    let data_dir = config.data_dir.clone();
    let store = tokio::task::spawn_blocking(move || Store::open(&data_dir))
        .await
        .map_err(|e| StoreError::Task(e.to_string()))??;
    let data_dir = config.data_dir.clone();
    let imported = tokio::task::spawn_blocking(move || doc_store::import_legacy(&data_dir))
        .await
        .map_err(|e| StoreError::Task(e.to_string()))??;
    if let Some(report) = imported {
        tracing::info!(
            documents = report.documents,
            unreadable_files = report.unreadable_files,
            empty_claims_dropped = report.empty_claims_dropped,
            moved_to = %report.moved_to.display(),
            "imported the document directory of an earlier server"
        );
    }
    let peers = PeerRegistry::new();
    let server_peer = PeerId::from_random(random_bytes::<8>()?);
    let mut runtime_config = RuntimeConfig::new(&config.data_dir);
    runtime_config.idle_unload = config.idle_unload;
    let sync = SyncRuntime::start(runtime_config, server_peer)?;
    let state = AppState::new(
        store.clone(),
        peers.clone(),
        sync.clone(),
        config.app_dir.clone(),
    )
    .with_join_timeout(config.join_timeout)
    .with_secure_cookies(config.secure_cookies);

    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|source| ServerError::Bind {
            addr: config.addr,
            source,
        })?;
    let addr = listener.local_addr().map_err(|source| ServerError::Bind {
        addr: config.addr,
        source,
    })?;
    let stop = CancellationToken::new();
    let http = tokio::spawn(http_listener::serve(
        listener,
        app(state),
        config.limits.within_descriptors(),
        stop.clone(),
        SHUTDOWN_GRACE,
    ));
    let sweeper = revocation::spawn(
        store.clone(),
        peers.clone(),
        config.revocation_interval,
        stop.clone(),
    );
    tracing::info!(%addr, data = %config.data_dir.display(), app = %config.app_dir.display(), "server started");
    Ok(RunningServer {
        addr,
        store,
        peers,
        sync,
        stop,
        http,
        sweeper,
    })
}

impl RunningServer {
    /// The address actually bound.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The database.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The live peers.
    pub fn peers(&self) -> &Arc<PeerRegistry> {
        &self.peers
    }

    /// The sync hubs.
    pub fn sync(&self) -> &SyncRuntime {
        &self.sync
    }

    /// Serve until `signal` resolves (or the HTTP server fails), then shut
    /// down gracefully.
    pub async fn run_until(mut self, signal: impl Future<Output = ()>) -> Result<(), ServerError> {
        tokio::select! {
            () = signal => self.shutdown().await,
            result = &mut self.http => {
                let failure = match result {
                    Ok(Ok(())) => None,
                    Ok(Err(e)) => Some(ServerError::Serve(e)),
                    Err(e) => Some(ServerError::Serve(std::io::Error::other(e.to_string()))),
                };
                self.stop.cancel();
                self.finish().await;
                failure.map_or(Ok(()), Err)
            }
        }
    }

    /// Stop accepting, close live connections, flush storage.
    pub async fn shutdown(mut self) -> Result<(), ServerError> {
        tracing::info!("shutting down");
        self.stop.cancel();
        self.peers.disconnect_all();
        let result = match tokio::time::timeout(SHUTDOWN_GRACE, &mut self.http).await {
            Ok(Ok(Ok(()))) => Ok(()),
            Ok(Ok(Err(e))) => Err(ServerError::Serve(e)),
            Ok(Err(e)) => Err(ServerError::Serve(std::io::Error::other(e.to_string()))),
            Err(_) => {
                tracing::warn!("HTTP connections did not finish in time");
                self.http.abort();
                Ok(())
            }
        };
        self.finish().await;
        result
    }

    async fn finish(self) {
        self.peers.disconnect_all();
        let _ = self.sweeper.await;
        self.sync.shutdown(SHUTDOWN_GRACE).await;
        tracing::info!("document storage stopped");
    }
}
