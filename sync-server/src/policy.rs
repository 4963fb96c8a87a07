//! The share policy: which documents a peer may sync.
//!
//! Rule: *a document first uploaded by a device belongs to that device's
//! site*, and only that site's devices and supervisors may read or write
//! it. Documents the server registered for a site (`site_documents`: its
//! roster, templates, settings) belong to that site from the start.
//!
//! For a (document, peer) pair samod asks about:
//!
//! * the peer is not bound to a live device or supervisor session → deny;
//! * the document has an owner site:
//!   * a device of that site → read-write, except for supervisor-only site
//!     documents (roster, templates, settings): read-only, so samod sends
//!     the document but ignores the device's changes;
//!   * a supervisor of that site (it may have several) → read-write;
//!   * anyone else → deny (samod then answers `doc-unavailable`, which
//!     does not reveal whether the document exists);
//! * the document has no owner yet and this peer is a *device* that has
//!   itself sent a `request` or `sync` about it → claim it for the
//!   device's site (`INSERT OR IGNORE` then `SELECT`, so concurrent claims
//!   agree), then decide as above;
//! * otherwise (no owner, and a bystander or a supervisor) → no decision
//!   yet: wait until something changes, then decide again. Supervisors
//!   never claim: with several sites, whose would the document be?
//!
//! The waiting case matters. samod asks about *every* connected peer for
//! every active document, in no fixed order; if a mere bystander could
//! claim, a tablet of site B that happened to be online could capture a
//! document site A is uploading. Waiting (rather than denying) matters
//! too: samod keeps a peer's first decision for the whole connection, so
//! a premature "deny" would lock a same-site tablet out of a document its
//! colleague uploads a moment later.
//!
//! Shared documents are never announced (`with_announce(false)`): the
//! server does not push documents to tablets that did not ask for them.
//!
//! Owners never change once set, so they are cached in memory; database
//! errors deny (fail closed) and are logged.

use crate::peers::{PeerRegistry, Principal};
use crate::store::{SUPERVISOR_ONLY_KINDS, Store};
use futures::Stream;
use samod::ShareConfig;
use shiftbook_model::DocumentId;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// A share decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Same site: read and write, without announcements.
    Share,
    /// A device and a supervisor-only site document of its site: read
    /// only (samod ignores the peer's changes), without announcements.
    ReadOnly,
    /// Unknown peer or another site's document.
    Deny,
    /// Unowned document the peer has not asked about: decide later.
    Undecided,
}

impl Decision {
    /// The samod configuration for a final decision.
    pub fn config(self) -> ShareConfig {
        match self {
            Self::Share => ShareConfig::read_write().with_announce(false),
            Self::ReadOnly => ShareConfig::read_only().with_announce(false),
            Self::Deny | Self::Undecided => ShareConfig::none(),
        }
    }
}

/// The site-ownership share policy; cheap to clone.
#[derive(Debug, Clone)]
pub struct SitePolicy {
    store: Store,
    peers: Arc<PeerRegistry>,
    owners: Arc<Mutex<HashMap<DocumentId, Owner>>>,
}

/// Who owns a document, and what kind of site document it is, if one.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Owner {
    site: String,
    kind: Option<String>,
}

impl Owner {
    fn supervisor_only(&self) -> bool {
        self.kind
            .as_deref()
            .is_some_and(|k| SUPERVISOR_ONLY_KINDS.contains(&k))
    }
}

impl SitePolicy {
    /// A policy over `store`'s ownership table and the live `peers`.
    pub fn new(store: Store, peers: Arc<PeerRegistry>) -> Self {
        Self {
            store,
            peers,
            owners: Arc::new(Mutex::new(HashMap::new())),
        }
    }

    fn cached_owner(&self, doc: &DocumentId) -> Option<Owner> {
        self.owners
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(doc)
            .cloned()
    }

    fn remember_owner(&self, doc: DocumentId, owner: Owner) {
        self.owners
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(doc, owner);
    }

    /// Decide once for `doc` and `peer`, claiming the document if the
    /// rules say so.
    pub async fn decide(&self, doc: &DocumentId, peer: &str) -> Decision {
        let Some(view) = self.peers.view(peer, doc) else {
            return Decision::Deny;
        };
        let owner = match self.cached_owner(doc) {
            Some(owner) => Some(owner),
            None => {
                let d = *doc;
                match self.store.call(move |s| s.doc_info(&d)).await {
                    Ok(info) => info.map(|(site, kind)| Owner { site, kind }),
                    Err(e) => {
                        tracing::error!(error = %e, doc = %doc, "owner lookup failed; denying");
                        return Decision::Deny;
                    }
                }
            }
        };
        let owner = match (owner, &view.principal) {
            (Some(owner), _) => owner,
            (None, Principal::Device(device)) if view.mentioned => {
                let (d, site, id) = (*doc, device.site.clone(), device.id);
                match self
                    .store
                    .call(move |s| s.claim_doc_info(&d, &site, id))
                    .await
                {
                    Ok((site, kind)) => {
                        if site == device.site && kind.is_none() {
                            tracing::info!(doc = %doc, site = %site, device = %device.name, "document claimed");
                        }
                        let owner = Owner { site, kind };
                        self.remember_owner(*doc, owner.clone());
                        self.peers.bump();
                        return self.compare(doc, &owner, &view.principal);
                    }
                    Err(e) => {
                        tracing::error!(error = %e, doc = %doc, "claim failed; denying");
                        return Decision::Deny;
                    }
                }
            }
            (None, _) => return Decision::Undecided,
        };
        self.remember_owner(*doc, owner.clone());
        self.compare(doc, &owner, &view.principal)
    }

    fn compare(&self, doc: &DocumentId, owner: &Owner, principal: &Principal) -> Decision {
        let decision = match principal {
            Principal::Device(device) if device.site == owner.site => {
                if owner.supervisor_only() {
                    Decision::ReadOnly
                } else {
                    Decision::Share
                }
            }
            Principal::Supervisor { sites, .. } if sites.contains(&owner.site) => Decision::Share,
            _ => Decision::Deny,
        };
        if decision == Decision::Deny {
            tracing::warn!(doc = %doc, owner = %owner.site, who = %principal.label(), "denied a document of another site");
        }
        decision
    }

    /// The decision stream samod subscribes to: waits while undecided,
    /// then yields the final decision once and ends.
    pub fn decisions(
        &self,
        doc: DocumentId,
        peer: String,
    ) -> impl Stream<Item = ShareConfig> + Send + 'static {
        let policy = self.clone();
        let changes = policy.peers.subscribe();
        futures::stream::unfold(Some((policy, changes)), move |state| {
            let peer = peer.clone();
            async move {
                let (policy, mut changes) = state?;
                loop {
                    changes.borrow_and_update();
                    match policy.decide(&doc, &peer).await {
                        Decision::Undecided => {
                            if changes.changed().await.is_err() {
                                return None;
                            }
                        }
                        decision => return Some((decision.config(), None)),
                    }
                }
            }
        })
    }
}

impl samod::SharePolicy for SitePolicy {
    fn share(
        &self,
        doc_id: samod::DocumentId,
        peer_id: samod::PeerId,
    ) -> impl Stream<Item = ShareConfig> + Send + 'static {
        let doc = DocumentId::from_bytes(doc_id.as_bytes()).ok();
        let stream = doc.map(|doc| self.decisions(doc, peer_id.into_string()));
        futures::stream::StreamExt::boxed(match stream {
            Some(s) => futures::future::Either::Left(s),
            None => futures::future::Either::Right(futures::stream::iter([ShareConfig::none()])),
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::peers::ConnectionGuard;
    use futures::StreamExt;
    use std::time::Duration;

    struct Fixture {
        _dir: tempfile::TempDir,
        store: Store,
        peers: Arc<PeerRegistry>,
        policy: SitePolicy,
    }

    fn fixture() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let peers = PeerRegistry::new();
        let policy = SitePolicy::new(store.clone(), peers.clone());
        Fixture {
            _dir: dir,
            store,
            peers,
            policy,
        }
    }

    impl Fixture {
        /// Enrol `name` at `site` and bind it to peer id `name`.
        fn connect(&self, site: &str, name: &str) -> ConnectionGuard {
            let e = self.store.enroll(site, site, name).unwrap();
            self.peers.register(name, &e.device).unwrap()
        }
    }

    fn doc() -> DocumentId {
        DocumentId::from_random([5; 16])
    }

    const SHARE: ShareConfig = ShareConfig::read_write().with_announce(false);

    #[tokio::test]
    async fn unknown_peers_are_denied() {
        let f = fixture();
        assert_eq!(f.policy.decide(&doc(), "nobody").await, Decision::Deny);
        assert_eq!(f.store.doc_owner(&doc()).unwrap(), None, "no claim");
    }

    #[tokio::test]
    async fn the_first_mentioning_peer_claims_for_its_site_and_shares_with_it() {
        let f = fixture();
        let _a1 = f.connect("a", "a1");
        f.peers.mention("a1", doc());
        assert_eq!(f.policy.decide(&doc(), "a1").await, Decision::Share);
        assert_eq!(Decision::Share.config(), SHARE);
        assert_eq!(f.store.doc_owner(&doc()).unwrap().as_deref(), Some("a"));
    }

    #[tokio::test]
    async fn same_site_shares_and_other_site_is_denied_even_when_asking() {
        let f = fixture();
        let _a1 = f.connect("a", "a1");
        let _a2 = f.connect("a", "a2");
        let _b1 = f.connect("b", "b1");
        f.peers.mention("a1", doc());
        assert_eq!(f.policy.decide(&doc(), "a1").await, Decision::Share);
        assert_eq!(f.policy.decide(&doc(), "a2").await, Decision::Share);
        f.peers.mention("b1", doc());
        assert_eq!(f.policy.decide(&doc(), "b1").await, Decision::Deny);
        assert_eq!(Decision::Deny.config(), ShareConfig::none());
        assert_eq!(f.store.doc_owner(&doc()).unwrap().as_deref(), Some("a"));
    }

    #[tokio::test]
    async fn bystanders_never_claim_and_wait_for_the_owner() {
        let f = fixture();
        let _a1 = f.connect("a", "a1");
        let _a2 = f.connect("a", "a2");
        let _b1 = f.connect("b", "b1");
        // samod asks about every connected peer; bystanders get no answer yet.
        assert_eq!(f.policy.decide(&doc(), "b1").await, Decision::Undecided);
        let mut b1 = Box::pin(f.policy.decisions(doc(), "b1".into()));
        let mut a2 = Box::pin(f.policy.decisions(doc(), "a2".into()));
        let early = tokio::time::timeout(Duration::from_millis(100), b1.next()).await;
        assert!(early.is_err(), "undecided streams stay silent");
        assert_eq!(f.store.doc_owner(&doc()).unwrap(), None);

        // a1 uploads: it claims, and the waiting streams decide.
        f.peers.mention("a1", doc());
        assert_eq!(f.policy.decide(&doc(), "a1").await, Decision::Share);
        let within = Duration::from_secs(2);
        let b1_says = tokio::time::timeout(within, b1.next()).await.unwrap();
        assert_eq!(b1_says, Some(ShareConfig::none()));
        let a2_says = tokio::time::timeout(within, a2.next()).await.unwrap();
        assert_eq!(a2_says, Some(SHARE));
        assert_eq!(b1.next().await, None, "a final decision ends the stream");
    }

    #[tokio::test]
    async fn a_waiting_peer_that_asks_itself_claims() {
        let f = fixture();
        let _a1 = f.connect("a", "a1");
        let mut s = Box::pin(f.policy.decisions(doc(), "a1".into()));
        assert!(
            tokio::time::timeout(Duration::from_millis(50), s.next())
                .await
                .is_err()
        );
        f.peers.mention("a1", doc());
        let got = tokio::time::timeout(Duration::from_secs(2), s.next())
            .await
            .unwrap();
        assert_eq!(got, Some(SHARE));
    }

    #[tokio::test]
    async fn ownership_survives_a_restart() {
        let f = fixture();
        let _a1 = f.connect("a", "a1");
        let _b1 = f.connect("b", "b1");
        f.peers.mention("a1", doc());
        assert_eq!(f.policy.decide(&doc(), "a1").await, Decision::Share);
        let fresh = SitePolicy::new(f.store.clone(), f.peers.clone());
        f.peers.mention("b1", doc());
        assert_eq!(fresh.decide(&doc(), "b1").await, Decision::Deny);
        assert_eq!(fresh.decide(&doc(), "a1").await, Decision::Share);
    }

    fn supervisor(sites: &[&str]) -> Principal {
        Principal::Supervisor {
            name: "zhang".into(),
            sites: sites.iter().map(|s| (*s).to_owned()).collect(),
            session: "digest".into(),
        }
    }

    #[tokio::test]
    async fn site_rosters_are_read_only_for_devices_and_writable_for_their_supervisors() {
        let f = fixture();
        let _a1 = f.connect("a", "a1");
        let _b1 = f.connect("b", "b1");
        let key = f.store.site("a").unwrap().unwrap().key;
        let roster = DocumentId::derive(&key, crate::store::ROSTER_PURPOSE);
        let _sa = f
            .peers
            .register_principal("sup-a", supervisor(&["a"]))
            .unwrap();
        let _sb = f
            .peers
            .register_principal("sup-b", supervisor(&["b", "c"]))
            .unwrap();
        // Owned from the start: nobody needs to mention it.
        assert_eq!(f.policy.decide(&roster, "sup-a").await, Decision::Share);
        assert_eq!(f.policy.decide(&roster, "a1").await, Decision::ReadOnly);
        assert_eq!(
            Decision::ReadOnly.config(),
            ShareConfig::read_only().with_announce(false)
        );
        f.peers.mention("b1", roster);
        assert_eq!(f.policy.decide(&roster, "b1").await, Decision::Deny);
        assert_eq!(f.policy.decide(&roster, "sup-b").await, Decision::Deny);
    }

    #[tokio::test]
    async fn supervisors_share_their_sites_records_but_never_claim() {
        let f = fixture();
        let _a1 = f.connect("a", "a1");
        let _s = f
            .peers
            .register_principal("sup", supervisor(&["a", "b"]))
            .unwrap();
        f.peers.mention("sup", doc());
        assert_eq!(f.policy.decide(&doc(), "sup").await, Decision::Undecided);
        assert_eq!(f.store.doc_owner(&doc()).unwrap(), None, "no claim");
        f.peers.mention("a1", doc());
        assert_eq!(f.policy.decide(&doc(), "a1").await, Decision::Share);
        assert_eq!(f.policy.decide(&doc(), "sup").await, Decision::Share);
        let _other = f
            .peers
            .register_principal("sup-c", supervisor(&["c"]))
            .unwrap();
        assert_eq!(f.policy.decide(&doc(), "sup-c").await, Decision::Deny);
    }
}
