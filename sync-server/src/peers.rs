//! The registry of live peers: which authenticated device or supervisor
//! session stands behind each protocol peer id, right now.
//!
//! Clients choose their own peer ids, and samod's share policy sees only
//! peer ids, so the `/sync` handler binds the peer id a connection
//! announces in its first (`join`) frame to the device whose token opened
//! the socket, and records the binding here for as long as the connection
//! lives. A peer id that is live for one device (or supervisor) cannot be
//! taken by another. Several connections of the same device under one peer id (a
//! quick reconnect before the old socket noticed it was dead) are fine.
//!
//! The registry also remembers, per live peer, which documents it has
//! itself sent `request` or `sync` messages about ("mentioned"): only
//! those peers may claim an unowned document for their site (see
//! [`crate::policy`]). Every change that could alter a share decision
//! (a new mention, a claim, a peer leaving) bumps a watch counter that
//! undecided policy streams wait on.
//!
//! Each connection carries a cancellation token; cancelling it ends the
//! connection's inbound stream, which makes samod close the socket. The
//! revocation sweeper (revoked devices, ended sessions) and shutdown use
//! that.

use crate::store::Device;
use shiftbook_model::DocumentId;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::sync::watch;
use tokio_util::sync::{CancellationToken, WaitForCancellationFutureOwned};

/// The peer id is live for another device.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("peer id is already in use by another device")]
pub struct PeerIdInUse;

/// Who authenticated a connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// An enrolled device (tablet) of one site.
    Device(Device),
    /// A logged-in supervisor of a set of sites.
    Supervisor {
        /// The supervisor's user name.
        name: String,
        /// The sites it supervises.
        sites: BTreeSet<String>,
        /// The SHA-256 (hex) of the session cookie that opened the socket;
        /// the connection lives only as long as that session.
        session: String,
    },
}

impl Principal {
    /// The same person or device (peer ids may be shared by its
    /// connections, not by anyone else's).
    fn same_identity(&self, other: &Self) -> bool {
        match (self, other) {
            (Self::Device(a), Self::Device(b)) => a.id == b.id,
            (Self::Supervisor { name: a, .. }, Self::Supervisor { name: b, .. }) => a == b,
            _ => false,
        }
    }

    /// A name for logs.
    pub fn label(&self) -> &str {
        match self {
            Self::Device(d) => &d.name,
            Self::Supervisor { name, .. } => name,
        }
    }
}

/// What the share policy needs to know about a live peer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeerView {
    /// Who is behind the peer.
    pub principal: Principal,
    /// Whether this peer has sent a message about the document asked about.
    pub mentioned: bool,
}

#[derive(Debug)]
struct LivePeer {
    principal: Principal,
    connections: HashMap<u64, CancellationToken>,
    mentioned: HashSet<DocumentId>,
}

/// Live peer ids and the devices behind them.
#[derive(Debug)]
pub struct PeerRegistry {
    peers: Mutex<HashMap<String, LivePeer>>,
    next_connection: AtomicU64,
    changes: watch::Sender<u64>,
}

impl Default for PeerRegistry {
    fn default() -> Self {
        Self {
            peers: Mutex::new(HashMap::new()),
            next_connection: AtomicU64::new(1),
            changes: watch::Sender::new(0),
        }
    }
}

impl PeerRegistry {
    /// An empty registry.
    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, LivePeer>> {
        // Every critical section leaves the map consistent; a panic
        // elsewhere does not make it unusable.
        self.peers.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Bind `peer` to `device` for one connection. The returned guard
    /// unbinds it when dropped.
    pub fn register(
        self: &Arc<Self>,
        peer: &str,
        device: &Device,
    ) -> Result<ConnectionGuard, PeerIdInUse> {
        self.register_principal(peer, Principal::Device(device.clone()))
    }

    /// Bind `peer` to `principal` for one connection. The returned guard
    /// unbinds it when dropped.
    pub fn register_principal(
        self: &Arc<Self>,
        peer: &str,
        principal: Principal,
    ) -> Result<ConnectionGuard, PeerIdInUse> {
        let mut peers = self.lock();
        let live = peers.entry(peer.to_owned()).or_insert_with(|| LivePeer {
            principal: principal.clone(),
            connections: HashMap::new(),
            mentioned: HashSet::new(),
        });
        if !live.principal.same_identity(&principal) {
            return Err(PeerIdInUse);
        }
        let connection = self.next_connection.fetch_add(1, Ordering::Relaxed);
        let cancel = CancellationToken::new();
        live.connections.insert(connection, cancel.clone());
        Ok(ConnectionGuard {
            registry: Arc::clone(self),
            peer: peer.to_owned(),
            principal,
            connection,
            cancel,
        })
    }

    fn deregister(&self, peer: &str, connection: u64) {
        let mut peers = self.lock();
        if let Some(live) = peers.get_mut(peer) {
            live.connections.remove(&connection);
            if live.connections.is_empty() {
                peers.remove(peer);
                drop(peers);
                self.bump();
            }
        }
    }

    /// What the share policy needs about `peer` and `doc`; `None` when no
    /// device is behind that peer id right now.
    pub fn view(&self, peer: &str, doc: &DocumentId) -> Option<PeerView> {
        self.lock().get(peer).map(|live| PeerView {
            principal: live.principal.clone(),
            mentioned: live.mentioned.contains(doc),
        })
    }

    /// Record that `peer` sent a message about `doc`.
    pub fn mention(&self, peer: &str, doc: DocumentId) {
        let new = self
            .lock()
            .get_mut(peer)
            .is_some_and(|live| live.mentioned.insert(doc));
        if new {
            self.bump();
        }
    }

    /// Tell undecided policy streams that something changed.
    pub fn bump(&self) {
        self.changes.send_modify(|n| *n = n.wrapping_add(1));
    }

    /// A receiver that sees every [`PeerRegistry::bump`].
    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.changes.subscribe()
    }

    /// Ids of the devices with at least one live connection.
    pub fn live_device_ids(&self) -> Vec<i64> {
        let ids: HashSet<i64> = self
            .lock()
            .values()
            .filter_map(|p| match &p.principal {
                Principal::Device(d) => Some(d.id),
                Principal::Supervisor { .. } => None,
            })
            .collect();
        ids.into_iter().collect()
    }

    /// Session digests (hex) of the supervisors with a live connection.
    pub fn live_session_digests(&self) -> Vec<String> {
        let digests: HashSet<String> = self
            .lock()
            .values()
            .filter_map(|p| match &p.principal {
                Principal::Supervisor { session, .. } => Some(session.clone()),
                Principal::Device(_) => None,
            })
            .collect();
        digests.into_iter().collect()
    }

    /// Number of live connections.
    pub fn connection_count(&self) -> usize {
        self.lock().values().map(|p| p.connections.len()).sum()
    }

    /// Close every connection of the given devices; returns how many.
    pub fn disconnect_devices(&self, device_ids: &HashSet<i64>) -> usize {
        let peers = self.lock();
        let mut n = 0;
        let of_devices = |p: &&LivePeer| matches!(&p.principal, Principal::Device(d) if device_ids.contains(&d.id));
        for live in peers.values().filter(of_devices) {
            for cancel in live.connections.values() {
                cancel.cancel();
                n += 1;
            }
        }
        n
    }

    /// Close every connection opened with one of these session digests;
    /// returns how many.
    pub fn disconnect_sessions(&self, digests: &HashSet<String>) -> usize {
        let peers = self.lock();
        let of_sessions = |p: &&LivePeer| matches!(&p.principal, Principal::Supervisor { session, .. } if digests.contains(session));
        let mut n = 0;
        for live in peers.values().filter(of_sessions) {
            for cancel in live.connections.values() {
                cancel.cancel();
                n += 1;
            }
        }
        n
    }

    /// Close every connection (shutdown).
    pub fn disconnect_all(&self) {
        for live in self.lock().values() {
            for cancel in live.connections.values() {
                cancel.cancel();
            }
        }
    }
}

/// One live connection's binding; unbinds on drop.
#[derive(Debug)]
pub struct ConnectionGuard {
    registry: Arc<PeerRegistry>,
    peer: String,
    principal: Principal,
    connection: u64,
    cancel: CancellationToken,
}

impl ConnectionGuard {
    /// Resolves when the connection must close (revocation, shutdown).
    pub fn cancelled(&self) -> WaitForCancellationFutureOwned {
        self.cancel.clone().cancelled_owned()
    }

    /// Whether the connection has been told to close.
    pub fn is_cancelled(&self) -> bool {
        self.cancel.is_cancelled()
    }

    /// The bound peer id.
    pub fn peer(&self) -> &str {
        &self.peer
    }

    /// Who is behind the connection.
    pub fn principal(&self) -> &Principal {
        &self.principal
    }
}

impl Drop for ConnectionGuard {
    fn drop(&mut self) {
        self.registry.deregister(&self.peer, self.connection);
        match &self.principal {
            Principal::Device(device) => tracing::info!(
                device = %device.name,
                site = %device.site,
                peer = %self.peer,
                "device disconnected"
            ),
            Principal::Supervisor { name, .. } => tracing::info!(
                supervisor = %name,
                peer = %self.peer,
                "supervisor disconnected"
            ),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn device(id: i64, site: &str) -> Device {
        Device {
            id,
            site: site.into(),
            name: format!("d{id}"),
        }
    }

    #[test]
    fn a_live_peer_id_cannot_be_taken_by_another_device() {
        let reg = PeerRegistry::new();
        let g1 = reg.register("p", &device(1, "a")).unwrap();
        assert_eq!(reg.register("p", &device(2, "a")).unwrap_err(), PeerIdInUse);
        let g2 = reg.register("p", &device(1, "a")).unwrap();
        assert_eq!(reg.connection_count(), 2);
        drop(g1);
        assert!(reg.view("p", &DocumentId::from_random([0; 16])).is_some());
        drop(g2);
        assert!(reg.view("p", &DocumentId::from_random([0; 16])).is_none());
        let _g3 = reg.register("p", &device(2, "b")).unwrap();
    }

    #[test]
    fn mentions_are_per_peer_and_bump_the_counter_once() {
        let reg = PeerRegistry::new();
        let _g = reg.register("p", &device(1, "a")).unwrap();
        let doc = DocumentId::from_random([1; 16]);
        let mut rx = reg.subscribe();
        rx.borrow_and_update();
        assert!(!reg.view("p", &doc).unwrap().mentioned);
        reg.mention("p", doc);
        assert!(rx.has_changed().unwrap());
        rx.borrow_and_update();
        reg.mention("p", doc);
        assert!(!rx.has_changed().unwrap());
        assert!(reg.view("p", &doc).unwrap().mentioned);
        reg.mention("stranger", doc);
        assert!(reg.view("stranger", &doc).is_none());
    }

    #[tokio::test]
    async fn disconnecting_a_device_cancels_its_connections_only() {
        let reg = PeerRegistry::new();
        let a = reg.register("pa", &device(1, "a")).unwrap();
        let b = reg.register("pb", &device(2, "a")).unwrap();
        assert_eq!(reg.disconnect_devices(&HashSet::from([1])), 1);
        tokio::time::timeout(std::time::Duration::from_secs(1), a.cancelled())
            .await
            .unwrap();
        assert!(!b.cancel.is_cancelled());
    }
}
