//! Closing the live connections of revoked devices and ended sessions.
//!
//! `sync-server revoke` runs in another process and only writes the
//! database, so the server polls: every interval it asks the database
//! which of the devices with live connections are still enrolled, and
//! which supervisor sessions with live connections are still live (not
//! expired, not logged out, supervisor not disabled), and closes the
//! connections of the others. New connections already fail at
//! authentication (401). A logout through this server closes its
//! session's sockets at once, without waiting for a sweep.

use crate::peers::PeerRegistry;
use crate::store::Store;
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// How often the sweeper looks, by default.
pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(1);

/// One sweep: close connections of devices and sessions no longer live.
/// Returns how many connections were told to close.
pub async fn sweep(store: &Store, peers: &PeerRegistry) -> usize {
    sweep_devices(store, peers).await + sweep_sessions(store, peers).await
}

async fn sweep_sessions(store: &Store, peers: &PeerRegistry) -> usize {
    let digests = peers.live_session_digests();
    if digests.is_empty() {
        return 0;
    }
    let asked = digests.clone();
    match store.call(move |s| s.live_sessions(&asked)).await {
        Ok(live) => {
            let ended: HashSet<String> =
                digests.into_iter().filter(|d| !live.contains(d)).collect();
            if ended.is_empty() {
                return 0;
            }
            let n = peers.disconnect_sessions(&ended);
            tracing::info!(connections = n, "closed connections of ended sessions");
            n
        }
        Err(e) => {
            tracing::error!(error = %e, "session check failed");
            0
        }
    }
}

async fn sweep_devices(store: &Store, peers: &PeerRegistry) -> usize {
    let ids = peers.live_device_ids();
    if ids.is_empty() {
        return 0;
    }
    let asked = ids.clone();
    match store.call(move |s| s.live_devices(&asked)).await {
        Ok(live) => {
            let revoked: HashSet<i64> = ids.into_iter().filter(|id| !live.contains(id)).collect();
            if revoked.is_empty() {
                return 0;
            }
            let n = peers.disconnect_devices(&revoked);
            tracing::info!(connections = n, "closed connections of revoked devices");
            n
        }
        Err(e) => {
            // Keep the connections: they were authenticated, and the next
            // sweep tries again.
            tracing::error!(error = %e, "revocation check failed");
            0
        }
    }
}

/// Sweep every `interval` until `stop` is cancelled.
pub fn spawn(
    store: Store,
    peers: Arc<PeerRegistry>,
    interval: Duration,
    stop: CancellationToken,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(interval);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                () = stop.cancelled() => break,
                _ = ticks.tick() => { sweep(&store, &peers).await; }
            }
        }
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_sweep_closes_only_revoked_devices() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let peers = PeerRegistry::new();
        let a = store.enroll("s", "s", "a").unwrap();
        let b = store.enroll("s", "s", "b").unwrap();
        let principal = |e: &crate::store::Enrolment| crate::principal::Principal::Device {
            device: e.device.clone(),
            site_key: e.site.key.clone(),
        };
        let ga = peers.register_principal("pa", principal(&a)).unwrap();
        let _gb = peers.register_principal("pb", principal(&b)).unwrap();
        assert_eq!(sweep(&store, &peers).await, 0);
        store.revoke("a").unwrap();
        assert_eq!(sweep(&store, &peers).await, 1);
        tokio::time::timeout(Duration::from_secs(1), ga.cancelled())
            .await
            .unwrap();
    }

    #[tokio::test]
    async fn a_sweep_closes_connections_of_ended_sessions() {
        use crate::principal::Principal;
        use crate::token::TokenDigest;
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let peers = PeerRegistry::new();
        let phc = crate::password::hash("password1").unwrap();
        store.add_supervisor("zhang", &phc, &["s".into()]).unwrap();
        let (live, ended) = (TokenDigest::of("live"), TokenDigest::of("ended"));
        let later = crate::store::now_ms() + 60_000;
        store.create_session("zhang", &live, later).unwrap();
        store.create_session("zhang", &ended, later).unwrap();
        let key = store.site("s").unwrap().unwrap().key;
        let principal = |d: &TokenDigest| Principal::Supervisor {
            name: "zhang".into(),
            sites: [("s".to_owned(), key.clone())].into(),
            session: d.as_hex().to_owned(),
        };
        let g_live = peers.register_principal("p1", principal(&live)).unwrap();
        let g_ended = peers.register_principal("p2", principal(&ended)).unwrap();
        assert_eq!(sweep(&store, &peers).await, 0);
        store.end_session(&ended).unwrap();
        assert_eq!(sweep(&store, &peers).await, 1);
        tokio::time::timeout(Duration::from_secs(1), g_ended.cancelled())
            .await
            .unwrap();
        assert!(!g_live.is_cancelled());
    }
}
