//! Starting and stopping the whole server: database, samod repository
//! with its filesystem storage, share policy and receipt observer, HTTP
//! listener, the revocation sweeper and the change receipt recorder.
//!
//! [`serve`] binds and starts everything and returns a [`RunningServer`]
//! that knows its bound address (so port 0 works) and shuts down
//! gracefully: stop accepting, close live sync connections, record the
//! receipts still queued, then stop the samod repository, which waits for
//! pending storage writes.

use crate::peers::PeerRegistry;
use crate::policy::SitePolicy;
use crate::router::app;
use crate::state::{AppState, DEFAULT_JOIN_TIMEOUT};
use crate::store::{Store, StoreError};
use crate::{receipts, revocation};
use std::future::{Future, IntoFuture};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// Sub-directory of the data directory holding samod's document storage.
pub const DOCS_DIR: &str = "docs";

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
    /// Mark session cookies `Secure` (served over HTTPS by a proxy).
    pub secure_cookies: bool,
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
            secure_cookies: false,
        }
    }
}

/// Why the server could not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The database could not be opened.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The document storage directory could not be created.
    #[error("cannot create document storage {path}: {source}")]
    DocsDir {
        /// The directory.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
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
    /// The samod repository stopped while starting.
    #[error("the sync repository stopped unexpectedly")]
    RepoStopped,
}

/// A started server.
#[derive(Debug)]
pub struct RunningServer {
    addr: SocketAddr,
    store: Store,
    peers: Arc<PeerRegistry>,
    repo: samod::Repo,
    stop: CancellationToken,
    http: tokio::task::JoinHandle<std::io::Result<()>>,
    sweeper: tokio::task::JoinHandle<()>,
    receipts: tokio::task::JoinHandle<()>,
}

/// Open storage, bind the listener and start serving.
pub async fn serve(config: ServerConfig) -> Result<RunningServer, ServerError> {
    let data_dir = config.data_dir.clone();
    let store = tokio::task::spawn_blocking(move || Store::open(&data_dir))
        .await
        .map_err(|e| StoreError::Task(e.to_string()))??;
    let docs = config.data_dir.join(DOCS_DIR);
    tokio::fs::create_dir_all(&docs)
        .await
        .map_err(|source| ServerError::DocsDir {
            path: docs.clone(),
            source,
        })?;
    let peers = PeerRegistry::new();
    let (observer, receipt_queue) = receipts::channel();
    let repo = samod::Repo::build_tokio()
        .with_storage(samod::storage::TokioFilesystemStorage::new(&docs))
        .with_share_policy(SitePolicy::new(store.clone(), peers.clone()))
        .with_observer(observer)
        .load()
        .await;
    let url =
        samod::Url::parse("ws://shiftbook.invalid/sync").map_err(|_| ServerError::RepoStopped)?;
    let acceptor = repo
        .make_acceptor(url)
        .map_err(|_| ServerError::RepoStopped)?;
    let state = AppState::new(
        store.clone(),
        peers.clone(),
        acceptor,
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
    let http = tokio::spawn(
        axum::serve(listener, app(state))
            .with_graceful_shutdown(stop.clone().cancelled_owned())
            .into_future(),
    );
    let sweeper = revocation::spawn(
        store.clone(),
        peers.clone(),
        config.revocation_interval,
        stop.clone(),
    );
    let receipts = receipts::spawn(receipt_queue, repo.clone(), store.clone(), stop.clone());
    tracing::info!(%addr, data = %config.data_dir.display(), app = %config.app_dir.display(), "server started");
    Ok(RunningServer {
        addr,
        store,
        peers,
        repo,
        stop,
        http,
        sweeper,
        receipts,
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

    async fn finish(mut self) {
        self.peers.disconnect_all();
        let _ = self.sweeper.await;
        // The recorder needs the repository: it finishes first.
        if tokio::time::timeout(SHUTDOWN_GRACE, &mut self.receipts)
            .await
            .is_err()
        {
            tracing::warn!("change receipts still queued were not recorded in time");
            self.receipts.abort();
        }
        if tokio::time::timeout(SHUTDOWN_GRACE, self.repo.stop())
            .await
            .is_err()
        {
            tracing::warn!("document storage did not stop in time");
        } else {
            tracing::info!("document storage flushed and stopped");
        }
    }
}
