//! A sync session without sockets: the server's [`Hub`] with an in-memory
//! storage that answers its loads and writes as `doc_store` would, three
//! authenticated connections (a device of the site, a device of another
//! site, a supervisor of both), and the socket adapter's handling of an
//! inbound frame (`sync_server::inbound::hub_inputs`, the socket's own:
//! decode, check the sender, derive registrations from the caller's site
//! key).
//!
//! The hub and client targets drive it with fuzzed frames; the seeds come
//! from a real session: a `SyncClient` holding real documents of several
//! families, connected to the hub and run until nothing moves — the
//! frames it sent and the frames the hub answered with are captured.

use crate::seeds;
use automerge::{ActorId, Automerge};
use shiftbook_model::client::{Output, SyncClient};
use shiftbook_model::protocol::{PeerId, WireMessage};
use shiftbook_model::{DocumentId, SiteKey};
use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, OnceLock};
use sync_server::doc_store::{Stored, WriteOp, WriteOutcome};
use sync_server::hub::{ConnId, Effect, Hub, HubConfig, Input};
use sync_server::ownership::{Owner, OwnerHow};
use sync_server::principal::Principal;
use sync_server::store::Device;

/// The server's peer id.
pub const SERVER: &str = "server";
/// Idle time after which the hub unloads a document.
pub const IDLE_MS: u64 = 60_000;

/// The other site's key.
fn other_key() -> SiteKey {
    SiteKey::from_random([2; 32])
}

/// The documents of the session: (purpose, family seed) — ids derived
/// from the site key, as the app derives them.
const DOCS: [(&str, &str, usize); 6] = [
    ("roster", "roster", 1),
    ("checklist/3/lobby-opening/2026-11-25", "checklist", 1),
    ("duty-log/2026-11-25", "duty_log", 1),
    ("complaints/2026-11", "complaint", 2),
    ("keys", "key_register", 1),
    ("visitors/2026-11-25", "visitor_log", 2),
];

/// The id of session document `k` (any `k`: past the list, ids of
/// documents nobody has).
pub fn doc_id(k: usize) -> DocumentId {
    match DOCS.get(k) {
        Some((purpose, _, _)) => DocumentId::derive(&seeds::site_key(), purpose),
        None => DocumentId::derive(&seeds::site_key(), &format!("nobody/{k}")),
    }
}

/// The purpose of session document `k`.
pub fn purpose(k: usize) -> Option<&'static str> {
    DOCS.get(k).map(|(p, _, _)| *p)
}

/// The number of session documents.
pub fn doc_count() -> usize {
    DOCS.len()
}

/// The real content of session document `k`.
pub fn content(k: usize) -> Option<&'static Automerge> {
    let (_, family, i) = DOCS.get(k)?;
    crate::targets::docs::documents(family).get(*i)
}

/// The three principals: a device of the site, a device of another site,
/// a supervisor of both.
pub fn principals() -> [Arc<Principal>; 3] {
    static P: OnceLock<[Arc<Principal>; 3]> = OnceLock::new();
    P.get_or_init(|| {
        let mut sites = BTreeMap::new();
        sites.insert(seeds::SITE.to_owned(), seeds::site_key());
        sites.insert("other".to_owned(), other_key());
        [
            Arc::new(Principal::Device {
                device: Device {
                    id: 1,
                    site: seeds::SITE.into(),
                    name: "大堂平板1".into(),
                },
                site_key: seeds::site_key(),
            }),
            Arc::new(Principal::Device {
                device: Device {
                    id: 2,
                    site: "other".into(),
                    name: "other-tablet".into(),
                },
                site_key: other_key(),
            }),
            Arc::new(Principal::Supervisor {
                name: "zhang".into(),
                sites,
                session: "session-zhang".into(),
            }),
        ]
    })
    .clone()
}

/// The peer id of connection slot `slot`.
pub fn peer(slot: usize) -> PeerId {
    PeerId::from_random([slot as u8; 8])
}

/// How storage answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoragePolicy {
    /// Carry out everything at once.
    Answer,
    /// Fail the first operation (the hub retries after a tick).
    FailFirst,
    /// Hold everything back for now.
    Hold,
    /// Answer writes with another site's ownership or the daily limit.
    Refuse,
}

/// One live connection.
#[derive(Debug, Clone)]
struct Live {
    conn: ConnId,
    slot: usize,
}

/// The hub, its storage and its connections.
#[derive(Debug)]
pub struct Harness {
    hub: Hub,
    /// Server time, ms.
    pub now: u64,
    live: Vec<Option<Live>>,
    next_conn: ConnId,
    storage: BTreeMap<DocumentId, (Option<Owner>, Automerge)>,
    pending: VecDeque<Effect>,
    /// Frames the hub sent, per connection slot, in order.
    pub sent: Vec<(usize, Vec<u8>)>,
    /// Connections the hub or the adapter closed, with the reason.
    pub closed: Vec<String>,
}

impl Harness {
    /// A hub whose storage holds the session documents `stored` (the
    /// site's, registered), and connections of every principal.
    pub fn new(stored: &[usize]) -> Self {
        let mut storage = BTreeMap::new();
        for &k in stored {
            if let Some(doc) = content(k) {
                let owner = Owner {
                    site: seeds::SITE.into(),
                    how: if purpose(k) == Some("roster") {
                        OwnerHow::Site
                    } else {
                        OwnerHow::Registered
                    },
                    kind: (purpose(k) == Some("roster")).then(|| "roster".to_owned()),
                };
                storage.insert(doc_id(k), (Some(owner), doc.clone()));
            }
        }
        let hub = Hub::new(HubConfig {
            server_peer: PeerId::new(SERVER).unwrap_or_else(|_| PeerId::from_random([0; 8])),
            idle_unload_ms: IDLE_MS,
        });
        let mut h = Self {
            hub,
            now: 1_000,
            live: vec![None, None, None],
            next_conn: 1,
            storage,
            pending: VecDeque::new(),
            sent: Vec::new(),
            closed: Vec::new(),
        };
        for slot in 0..3 {
            h.connect(slot);
        }
        h
    }

    /// (Re)connect slot `slot` (0: the site's device, 1: another site's,
    /// 2: the supervisor).
    pub fn connect(&mut self, slot: usize) {
        let slot = slot % 3;
        if self.live.get(slot).is_some_and(Option::is_some) {
            return;
        }
        let conn = self.next_conn;
        self.next_conn += 1;
        if let Some(l) = self.live.get_mut(slot) {
            *l = Some(Live { conn, slot });
        }
        let principal = principals()[slot].clone();
        self.input(Input::Connected {
            conn,
            peer: peer(slot),
            principal,
            refused: Arc::default(),
        });
    }

    /// Close slot `slot` (as the adapter does when a socket goes).
    pub fn disconnect(&mut self, slot: usize) {
        if let Some(l) = self.live.get_mut(slot % 3).and_then(Option::take) {
            self.input(Input::Disconnected { conn: l.conn });
        }
    }

    fn slot_of(&self, conn: ConnId) -> Option<usize> {
        self.live
            .iter()
            .flatten()
            .find(|l| l.conn == conn)
            .map(|l| l.slot)
    }

    /// Hand `input` to the hub and carry out its effects (storage waits
    /// in [`Self::pending`]). Every frame the hub sends must decode.
    pub fn input(&mut self, input: Input) {
        let effects = self.hub.handle(self.now, input);
        for effect in effects {
            match effect {
                Effect::Send { conn, frame } => {
                    match WireMessage::decode(&frame) {
                        Ok(WireMessage::Sync { data, .. }) => {
                            if let Err(e) = automerge::sync::Message::decode(&data) {
                                panic!("the hub sent a sync message that does not decode: {e}");
                            }
                        }
                        Ok(_) => {}
                        Err(e) => panic!("the hub sent a frame that does not decode: {e}"),
                    }
                    if let Some(slot) = self.slot_of(conn) {
                        self.sent.push((slot, frame));
                    }
                }
                Effect::Close { conn, reason } => {
                    self.closed.push(reason);
                    if let Some(slot) = self.slot_of(conn) {
                        self.disconnect(slot);
                    } else {
                        let _ = self.hub.handle(self.now, Input::Disconnected { conn });
                    }
                }
                storage => self.pending.push_back(storage),
            }
        }
    }

    /// A frame from connection slot `slot`, handled as the socket adapter
    /// does. `false` if the adapter closed the connection.
    pub fn inbound(&mut self, slot: usize, frame: &[u8]) -> bool {
        let slot = slot % 3;
        let Some(Some(live)) = self.live.get(slot).cloned() else {
            return false;
        };
        let me = peer(slot);
        let principal = principals()[slot].clone();
        let refuse = |h: &mut Self, why: &str| {
            h.closed.push(why.to_owned());
            h.disconnect(slot);
            false
        };
        match sync_server::inbound::hub_inputs(live.conn, &me, &principal, frame) {
            Err(why) => refuse(self, &why),
            Ok(inputs) => {
                for input in inputs {
                    self.input(input);
                }
                true
            }
        }
    }

    /// Carry out the waiting storage operations as `policy` says.
    pub fn storage(&mut self, policy: StoragePolicy) {
        if policy == StoragePolicy::Hold {
            return;
        }
        let mut first = true;
        let mut rounds = 0;
        while let Some(effect) = self.pending.pop_front() {
            rounds += 1;
            if rounds > 256 {
                break;
            }
            let fail = first && policy == StoragePolicy::FailFirst;
            first = false;
            match effect {
                Effect::Load { doc } => {
                    let result = if fail {
                        Err("disk on fire".to_owned())
                    } else {
                        let (owner, content) = self
                            .storage
                            .get(&doc)
                            .cloned()
                            .unwrap_or_else(|| (None, Automerge::new()));
                        Ok(Box::new(Stored {
                            owner,
                            doc: content,
                        }))
                    };
                    self.input(Input::Loaded { doc, result });
                }
                Effect::Write { doc, op } => {
                    let result = if fail {
                        Err("database is locked".to_owned())
                    } else {
                        Ok(self.write(doc, &op, policy == StoragePolicy::Refuse))
                    };
                    self.input(Input::Written { doc, result });
                }
                _ => {}
            }
        }
    }

    /// What `doc_store` would do with `op` (ownership rules, changes kept).
    fn write(&mut self, doc: DocumentId, op: &WriteOp, refuse: bool) -> WriteOutcome {
        let entry = self
            .storage
            .entry(doc)
            .or_insert_with(|| (None, Automerge::new()));
        match op {
            WriteOp::Register { site, .. } => {
                let registered = Owner {
                    site: site.clone(),
                    how: OwnerHow::Registered,
                    kind: None,
                };
                match entry.0.clone() {
                    None if refuse => WriteOutcome::OverLimit,
                    None => {
                        entry.0 = Some(registered.clone());
                        WriteOutcome::Registered(registered)
                    }
                    Some(owner) if owner.site == *site => {
                        if owner.how == OwnerHow::Uploaded {
                            entry.0 = Some(registered.clone());
                            WriteOutcome::Registered(registered)
                        } else {
                            WriteOutcome::Registered(owner)
                        }
                    }
                    Some(owner) if owner.how == OwnerHow::Uploaded => {
                        entry.0 = Some(registered.clone());
                        entry.1 = Automerge::new();
                        WriteOutcome::Reclaimed {
                            owner: registered,
                            from: owner.site,
                        }
                    }
                    Some(owner) => WriteOutcome::Refused(owner),
                }
            }
            WriteOp::Persist { changes, claim_for } => {
                if let Some(site) = claim_for {
                    if entry.0.is_none() && refuse {
                        return WriteOutcome::OverLimit;
                    }
                    if entry.0.is_none() {
                        entry.0 = Some(Owner {
                            site: site.clone(),
                            how: OwnerHow::Uploaded,
                            kind: None,
                        });
                    }
                }
                let Some(owner) = entry.0.clone() else {
                    // doc_store: "changes for a document nobody owns".
                    return WriteOutcome::Conflict(Owner {
                        site: "other".into(),
                        how: OwnerHow::Uploaded,
                        kind: None,
                    });
                };
                if claim_for.as_ref().is_some_and(|s| *s != owner.site)
                    || (refuse && claim_for.is_none())
                {
                    return WriteOutcome::Conflict(owner);
                }
                let bytes: Vec<u8> = changes.iter().flat_map(|c| c.bytes.clone()).collect();
                if let Err(e) = entry.1.load_incremental(&bytes) {
                    panic!("changes the hub accepted do not load into storage: {e}");
                }
                WriteOutcome::Persisted(owner)
            }
        }
    }

    /// Let `ms` pass and tick (failed operations retry, idle documents
    /// unload).
    pub fn tick(&mut self, ms: u64) {
        self.now += ms;
        self.input(Input::Tick);
    }

    /// Storage operations waiting.
    pub fn pending(&self) -> usize {
        self.pending.len()
    }

    /// The hub's figures.
    pub fn stats(&self) -> sync_server::hub::HubStats {
        self.hub.stats()
    }
}

/// A client holding the session documents `held` (with the purposes
/// noted), wanting the others, as peer `peer(0)`.
pub fn client(held: &[usize]) -> SyncClient {
    let mut client = SyncClient::new(peer(0), ActorId::from(vec![0x42; 16]));
    for k in 0..doc_count() + 1 {
        let id = doc_id(k);
        if held.contains(&k)
            && let Some(doc) = content(k)
        {
            let _ = client.insert(id, doc.clone(), Vec::new());
        } else {
            client.want(id);
        }
        if let Some(p) = purpose(k) {
            client.note_purpose(id, p);
        }
    }
    client
}

/// A real session: the client (holding documents 1, 2 and 4; the server
/// holding 0, 2, 3 and 5) and the hub, run until nothing moves. The
/// frames the client sent and those the hub sent it, in order.
/// Frames one way and the other.
type Frames = (Vec<Vec<u8>>, Vec<Vec<u8>>);

fn capture() -> &'static Frames {
    static C: OnceLock<Frames> = OnceLock::new();
    C.get_or_init(|| {
        let mut h = Harness::new(&[0, 2, 3, 5]);
        let mut c = client(&[1, 2, 4]);
        c.connected();
        let mut from_client = Vec::new();
        let mut to_client = Vec::new();
        // The join is answered by the adapter, not the hub.
        let peer_frame = WireMessage::Peer {
            sender_id: PeerId::new(SERVER).unwrap_or_else(|_| peer(9)),
            target_id: peer(0),
            selected_protocol_version: "1".into(),
        }
        .encode();
        let mut joined = false;
        for _ in 0..200 {
            let mut moved = false;
            for out in c.take_outputs() {
                if let Output::Send(frame) = out {
                    moved = true;
                    from_client.push(frame.clone());
                    if !joined {
                        joined = true;
                        to_client.push(peer_frame.clone());
                        let _ = c.receive(&peer_frame);
                        continue;
                    }
                    h.inbound(0, &frame);
                }
            }
            if h.pending() > 0 {
                moved = true;
                h.storage(StoragePolicy::Answer);
            }
            for (slot, frame) in std::mem::take(&mut h.sent) {
                if slot == 0 {
                    moved = true;
                    to_client.push(frame.clone());
                    let _ = c.receive(&frame);
                }
            }
            if !moved {
                break;
            }
        }
        (from_client, to_client)
    })
}

/// The frames a real client sent in a session (join, registrations,
/// requests and sync messages with changes).
pub fn client_frames() -> Vec<Vec<u8>> {
    capture().0.clone()
}

/// The frames a real hub sent a client in a session (peer, sync
/// messages, doc-unavailable).
pub fn server_frames() -> Vec<Vec<u8>> {
    capture().1.clone()
}
