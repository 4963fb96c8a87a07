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
//! Each connection carries a cancellation token and the principal that
//! opened it (two sessions of one supervisor may share a peer id; logging
//! one out closes only its own sockets); cancelling it ends the
//! connection, with the reason the guard tells. The revocation sweeper
//! (revoked devices, ended sessions) and shutdown use that.
//!
//! A device may hold [`MAX_SOCKETS_PER_DEVICE`] sync sockets, a
//! supervisor [`MAX_SOCKETS_PER_SUPERVISOR`] (several browser tabs): a
//! newer one closes the device's oldest, so a tablet reconnecting while
//! its old socket is half-dead gets through, and one device opening
//! hundreds of sockets never holds more than a few.

use crate::principal::Principal;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use tokio_util::sync::{CancellationToken, WaitForCancellationFutureOwned};

/// The peer id is live for another device.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("peer id is already in use by another device")]
pub struct PeerIdInUse;

/// Sync sockets one device may hold; a newer one closes the oldest.
pub const MAX_SOCKETS_PER_DEVICE: usize = 4;
/// Sync sockets one supervisor may hold (browser tabs).
pub const MAX_SOCKETS_PER_SUPERVISOR: usize = 8;
/// The close reason of a socket replaced by a newer one of its device.
pub const REPLACED: &str = "replaced by a newer connection of this device";
/// The close reason when nothing more specific was set.
pub const ACCESS_ENDED: &str = "access ended";

#[derive(Debug)]
struct LivePeer {
    /// Who first bound the peer id (others must be the same identity).
    principal: Principal,
    connections: HashMap<u64, LiveConnection>,
}

#[derive(Debug)]
struct LiveConnection {
    principal: Principal,
    cancel: CancellationToken,
    reason: Arc<OnceLock<&'static str>>,
}

impl LiveConnection {
    fn close(&self, reason: &'static str) {
        let _ = self.reason.set(reason);
        self.cancel.cancel();
    }
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
        let reason = Arc::new(OnceLock::new());
        live.connections.insert(
            connection,
            LiveConnection {
                principal: principal.clone(),
                cancel: cancel.clone(),
                reason: reason.clone(),
            },
        );
        close_beyond_limit(&peers, &principal);
        Ok(ConnectionGuard {
            registry: Arc::clone(self),
            peer: peer.to_owned(),
            principal,
            connection,
            cancel,
            reason,
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
            .flat_map(|p| p.connections.values())
            .filter_map(|c| match &c.principal {
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
            .flat_map(|p| p.connections.values())
            .filter_map(|c| match &c.principal {
                Principal::Supervisor { session, .. } => Some(session.clone()),
                Principal::Device { .. } => None,
            })
            .collect();
        digests.into_iter().collect()
    }

    /// Live connections of the same identity as `principal`.
    #[cfg(test)]
    fn connections_of(&self, principal: &Principal) -> usize {
        self.lock()
            .values()
            .flat_map(|p| p.connections.values())
            .filter(|c| c.principal.same_identity(principal) && !c.cancel.is_cancelled())
            .count()
    }

    /// Number of live connections.
    pub fn connection_count(&self) -> usize {
        self.lock().values().map(|p| p.connections.len()).sum()
    }

    /// Close every connection of the given devices; returns how many.
    pub fn disconnect_devices(&self, device_ids: &HashSet<i64>) -> usize {
        self.close_where(
            |p| matches!(p, Principal::Device { device, .. } if device_ids.contains(&device.id)),
        )
    }

    fn close_where(&self, matches: impl Fn(&Principal) -> bool) -> usize {
        let peers = self.lock();
        let mut n = 0;
        for c in peers.values().flat_map(|p| p.connections.values()) {
            if matches(&c.principal) {
                c.close(ACCESS_ENDED);
                n += 1;
            }
        }
        n
    }

    /// Close every connection opened with one of these session digests;
    /// returns how many.
    pub fn disconnect_sessions(&self, digests: &HashSet<String>) -> usize {
        self.close_where(
            |p| matches!(p, Principal::Supervisor { session, .. } if digests.contains(session)),
        )
    }

    /// Close every connection (shutdown).
    pub fn disconnect_all(&self) {
        self.close_where(|_| true);
    }
}

/// Close the oldest connections of `principal`'s identity beyond its
/// limit.
fn close_beyond_limit(peers: &HashMap<String, LivePeer>, principal: &Principal) {
    let limit = match principal {
        Principal::Device { .. } => MAX_SOCKETS_PER_DEVICE,
        Principal::Supervisor { .. } => MAX_SOCKETS_PER_SUPERVISOR,
    };
    let mut mine: Vec<(u64, &LiveConnection)> = peers
        .values()
        .flat_map(|p| p.connections.iter())
        .filter(|(_, c)| c.principal.same_identity(principal) && !c.cancel.is_cancelled())
        .map(|(n, c)| (*n, c))
        .collect();
    if mine.len() <= limit {
        return;
    }
    mine.sort_by_key(|(n, _)| *n);
    let excess = mine.len() - limit;
    for (_, c) in mine.into_iter().take(excess) {
        c.close(REPLACED);
    }
    tracing::warn!(who = %principal.label(), limit, "too many sync sockets; closed the oldest");
}

/// One live connection's binding; unbinds on drop.
#[derive(Debug)]
pub struct ConnectionGuard {
    registry: Arc<PeerRegistry>,
    peer: String,
    principal: Principal,
    connection: u64,
    cancel: CancellationToken,
    reason: Arc<OnceLock<&'static str>>,
}

impl ConnectionGuard {
    /// Why the connection was told to close.
    pub fn close_reason(&self) -> &'static str {
        self.reason.get().copied().unwrap_or(ACCESS_ENDED)
    }

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

    fn supervisor(name: &str, session: &str) -> Principal {
        Principal::Supervisor {
            name: name.into(),
            sites: Default::default(),
            session: session.into(),
        }
    }

    #[test]
    fn a_devices_fifth_socket_closes_its_oldest() {
        let reg = PeerRegistry::new();
        let guards: Vec<_> = (0..MAX_SOCKETS_PER_DEVICE + 1)
            .map(|n| {
                reg.register_principal(&format!("p{n}"), device(1, "a"))
                    .unwrap()
            })
            .collect();
        let other = reg.register_principal("q", device(2, "a")).unwrap();
        assert!(guards[0].is_cancelled());
        assert_eq!(guards[0].close_reason(), REPLACED);
        assert!(guards[1..].iter().all(|g| !g.is_cancelled()));
        assert!(!other.is_cancelled());
        assert_eq!(reg.connections_of(&device(1, "a")), MAX_SOCKETS_PER_DEVICE);
    }

    #[test]
    fn logging_one_session_out_leaves_the_other_sessions_socket_under_the_same_peer_id() {
        let reg = PeerRegistry::new();
        let first = reg
            .register_principal("shared", supervisor("zhang", "s1"))
            .unwrap();
        let second = reg
            .register_principal("shared", supervisor("zhang", "s2"))
            .unwrap();
        assert_eq!(
            reg.disconnect_sessions(&HashSet::from(["s2".to_owned()])),
            1
        );
        assert!(second.is_cancelled());
        assert_eq!(second.close_reason(), ACCESS_ENDED);
        assert!(!first.is_cancelled());
    }
}
