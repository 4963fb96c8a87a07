//! The registry of live peers: which authenticated device or supervisor
//! session stands behind each protocol peer id, right now.
//!
//! Clients choose their own peer ids, so the `/sync` handler binds the peer
//! id a connection announces in its first (`join`) frame to the principal
//! that opened the socket, and records the binding here for as long as the
//! connection lives. A peer id that is live for one device (or supervisor)
//! cannot be taken by another. Several connections of the same device
//! under one peer id (a quick reconnect before the old socket noticed it
//! was dead) are fine.
//!
//! Each connection carries a cancellation token; cancelling it ends the
//! connection. The revocation sweeper (revoked devices, ended sessions)
//! and shutdown use that.

use crate::principal::Principal;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use tokio_util::sync::{CancellationToken, WaitForCancellationFutureOwned};

/// The peer id is live for another device.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("peer id is already in use by another device")]
pub struct PeerIdInUse;

#[derive(Debug)]
struct LivePeer {
    principal: Principal,
    connections: HashMap<u64, CancellationToken>,
}

/// Live peer ids and the devices behind them.
#[derive(Debug)]
pub struct PeerRegistry {
    peers: Mutex<HashMap<String, LivePeer>>,
    next_connection: AtomicU64,
}

impl Default for PeerRegistry {
    fn default() -> Self {
        Self {
            peers: Mutex::new(HashMap::new()),
            next_connection: AtomicU64::new(1),
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
            }
        }
    }

    /// Who is behind `peer` right now, if anyone.
    pub fn principal(&self, peer: &str) -> Option<Principal> {
        self.lock().get(peer).map(|live| live.principal.clone())
    }

    /// Ids of the devices with at least one live connection.
    pub fn live_device_ids(&self) -> Vec<i64> {
        let ids: HashSet<i64> = self
            .lock()
            .values()
            .filter_map(|p| match &p.principal {
                Principal::Device { device, .. } => Some(device.id),
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
                Principal::Device { .. } => None,
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
        let of_devices = |p: &&LivePeer| matches!(&p.principal, Principal::Device { device, .. } if device_ids.contains(&device.id));
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
            Principal::Device { device, .. } => tracing::info!(
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
    use crate::store::Device;
    use shiftbook_model::SiteKey;

    fn device(id: i64, site: &str) -> Principal {
        Principal::Device {
            device: Device {
                id,
                site: site.into(),
                name: format!("d{id}"),
            },
            site_key: SiteKey::from_random([1; 32]),
        }
    }

    #[test]
    fn a_live_peer_id_cannot_be_taken_by_another_device() {
        let reg = PeerRegistry::new();
        let g1 = reg.register_principal("p", device(1, "a")).unwrap();
        assert_eq!(
            reg.register_principal("p", device(2, "a")).unwrap_err(),
            PeerIdInUse
        );
        let g2 = reg.register_principal("p", device(1, "a")).unwrap();
        assert_eq!(reg.connection_count(), 2);
        drop(g1);
        assert!(reg.principal("p").is_some());
        drop(g2);
        assert!(reg.principal("p").is_none());
        let _g3 = reg.register_principal("p", device(2, "b")).unwrap();
    }

    #[tokio::test]
    async fn disconnecting_a_device_cancels_its_connections_only() {
        let reg = PeerRegistry::new();
        let a = reg.register_principal("pa", device(1, "a")).unwrap();
        let b = reg.register_principal("pb", device(2, "a")).unwrap();
        assert_eq!(reg.disconnect_devices(&HashSet::from([1])), 1);
        tokio::time::timeout(std::time::Duration::from_secs(1), a.cancelled())
            .await
            .unwrap();
        assert!(!b.cancel.is_cancelled());
    }
}
