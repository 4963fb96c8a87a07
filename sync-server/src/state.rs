//! The state every request handler shares.

use crate::login_limiter::LoginLimiter;
use crate::password_checks::PasswordChecks;
use crate::peers::PeerRegistry;
use crate::store::Store;
use crate::sync_runtime::SyncRuntime;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// How long a new `/sync` connection may take to send its `join` frame.
pub const DEFAULT_JOIN_TIMEOUT: Duration = Duration::from_secs(10);

/// Shared server state; cheap to clone.
#[derive(Clone, Debug)]
pub struct AppState {
    pub(crate) store: Store,
    pub(crate) peers: Arc<PeerRegistry>,
    pub(crate) sync: SyncRuntime,
    pub(crate) app_dir: PathBuf,
    pub(crate) join_timeout: Duration,
    pub(crate) logins: Arc<LoginLimiter>,
    pub(crate) password_checks: PasswordChecks,
    pub(crate) secure_cookies: bool,
    pub(crate) blob_bytes_per_day: i64,
}

impl AppState {
    /// State over an open store, the live-peer registry, the sync runtime
    /// that takes authenticated connections, and the directory of the
    /// built app.
    pub fn new(
        store: Store,
        peers: Arc<PeerRegistry>,
        sync: SyncRuntime,
        app_dir: PathBuf,
    ) -> Self {
        let password_checks = PasswordChecks::for_this_machine(&store);
        Self {
            store,
            peers,
            sync,
            app_dir,
            join_timeout: DEFAULT_JOIN_TIMEOUT,
            logins: Arc::new(LoginLimiter::default()),
            password_checks,
            secure_cookies: true,
            blob_bytes_per_day: crate::store::blobs::MAX_BLOB_BYTES_PER_DAY,
        }
    }

    /// Mark session cookies `Secure` (the server is reached over HTTPS).
    pub fn with_secure_cookies(mut self, secure: bool) -> Self {
        self.secure_cookies = secure;
        self
    }

    /// Change how many bytes of photos one device or supervisor may upload
    /// in 24 hours.
    pub fn with_blob_bytes_per_day(mut self, bytes: i64) -> Self {
        self.blob_bytes_per_day = bytes;
        self
    }

    /// Change how long a connection may take to send `join`.
    pub fn with_join_timeout(mut self, timeout: Duration) -> Self {
        self.join_timeout = timeout;
        self
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
}
