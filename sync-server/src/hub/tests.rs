//! The hub driven deterministically: tablets are the model's `SyncClient`s,
//! storage is the real [`DocStore`] on a temporary directory, and every
//! frame, load and write is carried out in FIFO order by [`Net::run`] — or
//! held back, failed or delayed when a test says so. No sockets, no
//! threads, no clock but [`Net::advance`].

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::doc_store::DocStore;
use crate::store::Store;
use automerge::transaction::Transactable as _;
use automerge::{ActorId, ROOT, ReadDoc};
use shiftbook_model::client::{Output, SyncClient};
use shiftbook_model::{SiteKey, checklist, template};
use std::collections::BTreeMap;

const IDLE_MS: u64 = 60_000;

struct Tablet {
    client: SyncClient,
    principal: Arc<Principal>,
    closed: Option<String>,
}

/// A hub, its storage and its tablets.
struct Net {
    dir: tempfile::TempDir,
    store: Store,
    docs: DocStore,
    hub: Hub,
    now: u64,
    tablets: BTreeMap<ConnId, Tablet>,
    next: ConnId,
    /// Storage operations waiting to be carried out, in order.
    storage: VecDeque<Effect>,
    /// Hold writes back (not carried out) while set.
    hold_writes: bool,
    /// Fail this many commits before succeeding again.
    fail_writes: usize,
    /// Every frame the hub sent, in order.
    sent: Vec<(ConnId, WireMessage)>,
    /// Writes carried out.
    writes: usize,
}

impl Net {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let docs = DocStore::open(dir.path()).unwrap();
        Self {
            dir,
            store,
            docs,
            hub: Hub::new(HubConfig {
                server_peer: PeerId::new("server").unwrap(),
                idle_unload_ms: IDLE_MS,
            }),
            now: 1_000,
            tablets: BTreeMap::new(),
            next: 1,
            storage: VecDeque::new(),
            hold_writes: false,
            fail_writes: 0,
            sent: Vec::new(),
            writes: 0,
        }
    }

    fn device(&self, site: &str, name: &str) -> Principal {
        let e = self.store.enroll(site, site, name).unwrap();
        Principal::Device {
            device: e.device,
            site_key: e.site.key,
        }
    }

    fn supervisor(&self, name: &str, sites: &[&str]) -> Principal {
        let phc = "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA";
        let sites: Vec<String> = sites.iter().map(|s| (*s).to_owned()).collect();
        let added = self.store.add_supervisor(name, phc, &sites).unwrap();
        Principal::Supervisor {
            name: name.into(),
            sites: added.sites.into_iter().map(|s| (s.id, s.key)).collect(),
            session: format!("session-{name}"),
        }
    }

    fn key(&self, site: &str) -> SiteKey {
        self.store.site(site).unwrap().unwrap().key
    }

    /// Connect a tablet as `principal` and finish the handshake.
    fn connect(&mut self, principal: Principal) -> ConnId {
        let conn = self.next;
        self.next += 1;
        let peer = PeerId::new(format!("tablet-{conn}")).unwrap();
        let mut client = SyncClient::new(peer.clone(), ActorId::from(conn.to_be_bytes().to_vec()));
        client.connected();
        let _join = client.take_outputs();
        let principal = Arc::new(principal);
        self.input(Input::Connected {
            conn,
            peer: peer.clone(),
            principal: principal.clone(),
            refused: Arc::default(),
        });
        client
            .receive(
                &WireMessage::Peer {
                    sender_id: PeerId::new("server").unwrap(),
                    target_id: peer,
                    selected_protocol_version: "1".into(),
                }
                .encode(),
            )
            .unwrap();
        self.tablets.insert(
            conn,
            Tablet {
                client,
                principal,
                closed: None,
            },
        );
        conn
    }

    fn disconnect(&mut self, conn: ConnId) {
        if let Some(t) = self.tablets.get_mut(&conn) {
            t.client.disconnected();
        }
        self.input(Input::Disconnected { conn });
    }

    fn tablet(&mut self, conn: ConnId) -> &mut SyncClient {
        &mut self.tablets.get_mut(&conn).unwrap().client
    }

    fn input(&mut self, input: Input) {
        let effects = self.hub.handle(self.now, input);
        for effect in effects {
            match effect {
                Effect::Send { conn, frame } => {
                    self.sent.push((conn, WireMessage::decode(&frame).unwrap()));
                    if let Some(t) = self.tablets.get_mut(&conn)
                        && t.closed.is_none()
                    {
                        t.client.receive(&frame).unwrap();
                    }
                }
                Effect::Close { conn, reason } => {
                    if let Some(t) = self.tablets.get_mut(&conn) {
                        t.closed = Some(reason);
                        t.client.disconnected();
                    }
                    let effects = self.hub.handle(self.now, Input::Disconnected { conn });
                    assert!(effects.is_empty());
                }
                storage => self.storage.push_back(storage),
            }
        }
    }

    /// Carry frames and storage operations until nothing moves.
    fn run(&mut self) {
        for _ in 0..10_000 {
            let mut moved = false;
            let conns: Vec<ConnId> = self.tablets.keys().copied().collect();
            for conn in conns {
                let t = self.tablets.get_mut(&conn).unwrap();
                let outputs = t.client.take_outputs();
                let principal = t.principal.clone();
                let closed = t.closed.is_some();
                for output in outputs {
                    if let Output::Send(frame) = output
                        && !closed
                    {
                        moved = true;
                        self.deliver_from(conn, &principal, &frame);
                    }
                }
            }
            if let Some(op) = self.next_storage() {
                moved = true;
                self.carry_out(op);
            }
            if !moved {
                return;
            }
        }
        panic!("the network never settled");
    }

    fn next_storage(&mut self) -> Option<Effect> {
        let index = self
            .storage
            .iter()
            .position(|e| !(self.hold_writes && matches!(e, Effect::Write { .. })))?;
        self.storage.remove(index)
    }

    /// What the socket handler does with a client's frame.
    fn deliver_from(&mut self, conn: ConnId, principal: &Principal, frame: &[u8]) {
        match WireMessage::decode(frame).unwrap() {
            WireMessage::Request {
                document_id, data, ..
            }
            | WireMessage::Sync {
                document_id, data, ..
            } => self.input(Input::Message {
                conn,
                doc: document_id,
                data,
            }),
            WireMessage::Register { site, purposes, .. } => {
                for purpose in purposes {
                    let (site, doc) = principal.derive(site.as_deref(), &purpose).unwrap();
                    self.input(Input::Register {
                        conn,
                        doc,
                        site,
                        purpose,
                    });
                }
            }
            other => panic!("unexpected client frame {other:?}"),
        }
    }

    fn carry_out(&mut self, op: Effect) {
        match op {
            Effect::Load { doc } => {
                let result = self
                    .docs
                    .load(&doc)
                    .map(Box::new)
                    .map_err(|e| e.to_string());
                self.input(Input::Loaded { doc, result });
            }
            Effect::Write { doc, op } => {
                self.writes += 1;
                let result = if self.fail_writes > 0 {
                    self.fail_writes -= 1;
                    Err("disk full".to_owned())
                } else {
                    let mut outcomes = self.docs.commit(&[(doc, op)]).unwrap();
                    outcomes.pop().unwrap().map_err(|e| e.to_string())
                };
                self.input(Input::Written { doc, result });
            }
            other => panic!("not a storage operation: {other:?}"),
        }
    }

    fn advance(&mut self, ms: u64) {
        self.now += ms;
        self.input(Input::Tick);
        self.run();
    }

    fn count(&self, sql: &str) -> i64 {
        rusqlite::Connection::open(self.dir.path().join(crate::store::DB_FILE))
            .unwrap()
            .query_row(sql, [], |r| r.get(0))
            .unwrap()
    }

    fn stored(&self, doc: &DocumentId) -> Automerge {
        self.docs.load(doc).unwrap().doc
    }

    /// Frames sent to `conn` about `doc` since `from`.
    fn sent_to(&self, conn: ConnId, doc: DocumentId, from: usize) -> Vec<&WireMessage> {
        self.sent[from..]
            .iter()
            .filter(|(c, m)| {
                *c == conn
                    && matches!(m, WireMessage::Sync { document_id, .. }
                        | WireMessage::DocUnavailable { document_id, .. } if *document_id == doc)
            })
            .map(|(_, m)| m)
            .collect()
    }
}

/// A document with a genesis by a fixed actor and one change by `actor`.
fn new_doc(actor: u8, key: &str, value: i64) -> Automerge {
    let mut doc = Automerge::new().with_actor(ActorId::from(vec![actor; 16]));
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        tx.put(ROOT, key, value)?;
        Ok(())
    })
    .unwrap();
    doc
}

fn put(net: &mut Net, conn: ConnId, doc: DocumentId, key: &str, value: i64) {
    net.tablet(conn)
        .change(&doc, |d| {
            d.transact::<_, _, automerge::AutomergeError>(|tx| {
                tx.put(ROOT, key, value)?;
                Ok(())
            })
            .unwrap();
        })
        .unwrap();
}

fn get(net: &mut Net, conn: ConnId, doc: DocumentId, key: &str) -> Option<i64> {
    let d = net.tablet(conn).doc(&doc)?;
    d.get(ROOT, key)
        .ok()
        .flatten()
        .and_then(|(v, _)| v.as_i64())
}

fn round_purpose() -> String {
    checklist::purpose(&template::lobby_opening().id, "2026-11-23")
}

#[test]
fn a_site_shares_a_document_and_another_site_never_sees_it() {
    let mut net = Net::new();
    let a1 = net.device("a", "a1");
    let a2 = net.device("a", "a2");
    let b1 = net.device("b", "b1");
    let (a1, a2, b1) = (net.connect(a1), net.connect(a2), net.connect(b1));
    let doc = DocumentId::from_random([1; 16]);
    net.tablet(a1)
        .insert(doc, new_doc(1, "x", 1), vec![])
        .unwrap();
    net.run();
    assert_eq!(net.tablet(a1).unconfirmed(&doc), 0, "acknowledged");
    assert_eq!(net.store.doc_owner(&doc).unwrap().as_deref(), Some("a"));

    net.tablet(a2).want(doc);
    net.tablet(b1).want(doc);
    net.run();
    assert_eq!(get(&mut net, a2, doc, "x"), Some(1));
    assert!(net.tablet(b1).is_unavailable(&doc));
    assert_eq!(get(&mut net, b1, doc, "x"), None);

    // Live relay to the subscriber that asked; never to b1.
    let mark = net.sent.len();
    put(&mut net, a2, doc, "y", 2);
    net.run();
    assert_eq!(get(&mut net, a1, doc, "y"), Some(2));
    assert!(
        net.sent_to(b1, doc, mark).is_empty(),
        "nothing about it goes to another site"
    );

    // b1 writing into it (it knows the id) is refused and not stored.
    net.tablet(b1)
        .insert(doc, new_doc(9, "evil", 1), vec![])
        .unwrap();
    net.run();
    assert!(net.tablet(b1).is_unavailable(&doc));
    assert_eq!(net.stored(&doc).get(ROOT, "evil").unwrap(), None);
    assert_eq!(get(&mut net, a1, doc, "evil"), None);
}

#[test]
fn a_bare_request_for_an_unknown_id_claims_nothing_and_leaves_nothing_behind() {
    let mut net = Net::new();
    let b1 = net.device("b", "b1");
    let b1 = net.connect(b1);
    for n in 0..50u8 {
        net.tablet(b1).want(DocumentId::from_random([n; 16]));
    }
    net.run();
    for n in 0..50u8 {
        let doc = DocumentId::from_random([n; 16]);
        assert!(net.tablet(b1).is_unavailable(&doc));
        assert_eq!(net.store.doc_owner(&doc).unwrap(), None, "no owner row");
    }
    assert_eq!(net.hub.stats().slots, 0, "nothing held in memory");
}

#[test]
fn a_connection_asking_for_too_many_ids_nobody_has_is_closed() {
    let mut net = Net::new();
    let (b1, b2) = (net.device("b", "b1"), net.device("b", "b2"));
    let (b1, b2) = (net.connect(b1), net.connect(b2));
    let id = |n: u32| {
        let mut bytes = [7u8; 16];
        bytes[..4].copy_from_slice(&n.to_le_bytes());
        DocumentId::from_random(bytes)
    };
    for n in 0..MAX_REFUSED_PER_CONNECTION - 1 {
        net.tablet(b1).want(id(n));
    }
    net.run();
    assert!(net.tablets[&b1].closed.is_none(), "still below the limit");
    net.tablet(b1).want(id(MAX_REFUSED_PER_CONNECTION));
    net.run();
    assert_eq!(net.tablets[&b1].closed.as_deref(), Some(TOO_MANY_REFUSED));
    // Another connection of the same site is not affected.
    net.tablet(b2).want(id(1));
    net.run();
    assert!(net.tablets[&b2].closed.is_none());
    assert!(net.tablet(b2).is_unavailable(&id(1)));
}

#[test]
fn a_device_past_its_daily_new_documents_is_closed_and_nothing_is_stored() {
    let mut net = Net::new();
    let (a1, a2) = (net.device("a", "a1"), net.device("a", "a2"));
    let Principal::Device { device, .. } = &a1 else {
        unreachable!()
    };
    // The device created its day's worth already.
    let db = rusqlite::Connection::open(net.dir.path().join(crate::store::DB_FILE)).unwrap();
    for n in 0..crate::doc_store::MAX_NEW_DOCUMENTS_PER_DAY {
        db.execute(
            "INSERT INTO documents (doc_id, site, how, by_device, created_at) VALUES (?1, 'a', 'uploaded', ?2, ?3)",
            rusqlite::params![format!("earlier-{n}"), device.id, crate::store::now_ms()],
        )
        .unwrap();
    }
    let (a1, a2) = (net.connect(a1), net.connect(a2));
    let doc = DocumentId::from_random([0x77; 16]);
    net.tablet(a1)
        .insert(doc, new_doc(1, "x", 1), vec![])
        .unwrap();
    net.run();
    assert_eq!(net.tablets[&a1].closed.as_deref(), Some(TOO_MANY_NEW));
    assert_eq!(net.store.doc_owner(&doc).unwrap(), None, "nothing stored");
    assert_eq!(net.tablet(a1).unconfirmed(&doc), 1, "the tablet keeps it");
    // Its site's other tablet may still create documents.
    let other = DocumentId::from_random([0x78; 16]);
    net.tablet(a2)
        .insert(other, new_doc(2, "y", 2), vec![])
        .unwrap();
    net.run();
    assert!(net.tablets[&a2].closed.is_none());
    assert_eq!(net.tablet(a2).unconfirmed(&other), 0);
}

#[test]
fn another_sites_request_before_or_after_the_upload_never_takes_a_document() {
    let mut net = Net::new();
    let a1 = net.device("a", "a1");
    let a2 = net.device("a", "a2");
    let b1 = net.device("b", "b1");
    let (a1, a2, b1) = (net.connect(a1), net.connect(a2), net.connect(b1));
    let id = DocumentId::derive(&net.key("a"), &round_purpose());
    // b1 asks first (it once held site a's key).
    net.tablet(b1).want(id);
    net.run();
    assert!(net.tablet(b1).is_unavailable(&id));
    // a1 opens the round; a2 asked before it existed and is registered:
    // it gets the round as soon as it is stored.
    net.tablet(a2).note_purpose(id, &round_purpose());
    net.tablet(a2).want(id);
    net.run();
    assert!(net.tablet(a2).is_unavailable(&id));
    net.tablet(a1).note_purpose(id, &round_purpose());
    net.tablet(a1)
        .insert(id, new_doc(1, "doors", 1), vec![])
        .unwrap();
    net.run();
    assert_eq!(net.tablet(a1).unconfirmed(&id), 0);
    assert_eq!(
        get(&mut net, a2, id, "doors"),
        Some(1),
        "pushed to the early asker"
    );
    // b1 asks again: still unavailable.
    net.tablet(b1).retry_unavailable();
    net.run();
    assert!(net.tablet(b1).is_unavailable(&id));
    assert_eq!(net.store.doc_owner(&id).unwrap().as_deref(), Some("a"));
}

#[test]
fn a_registration_takes_back_an_id_another_site_uploaded_to_first() {
    let mut net = Net::new();
    let a1 = net.device("a", "a1");
    let b1 = net.device("b", "b1");
    let (a1, b1) = (net.connect(a1), net.connect(b1));
    let id = DocumentId::derive(&net.key("a"), &round_purpose());
    // b1 squats site a's future round with content of its own.
    net.tablet(b1)
        .insert(id, new_doc(9, "evil", 1), vec![])
        .unwrap();
    net.run();
    assert_eq!(net.store.doc_owner(&id).unwrap().as_deref(), Some("b"));
    // a1 opens the round, registering its purpose first: the id is
    // derived from site a's key, so it is site a's.
    net.tablet(a1).note_purpose(id, &round_purpose());
    net.tablet(a1)
        .insert(id, new_doc(1, "doors", 1), vec![])
        .unwrap();
    net.run();
    assert_eq!(net.store.doc_owner(&id).unwrap().as_deref(), Some("a"));
    assert_eq!(net.tablet(a1).unconfirmed(&id), 0, "a1's round is stored");
    assert_eq!(
        get(&mut net, a1, id, "evil"),
        None,
        "the squat is not served"
    );
    assert_eq!(net.stored(&id).get(ROOT, "evil").unwrap(), None);
    assert!(net.tablet(b1).is_unavailable(&id) || net.tablet(b1).unconfirmed(&id) > 0);
    // b1 cannot come back.
    net.tablet(b1).retry_unavailable();
    put(&mut net, b1, id, "evil", 2);
    net.run();
    assert!(net.tablet(b1).is_unavailable(&id));
    assert_eq!(net.stored(&id).get(ROOT, "evil").unwrap(), None);
    assert_eq!(
        net.count("SELECT count(*) FROM quarantined_docs"),
        1,
        "the squatter's content is set aside, not deleted"
    );
}

#[test]
fn a_registration_for_a_site_the_caller_does_not_act_for_is_impossible() {
    let net = Net::new();
    let device = net.device("a", "a1");
    assert!(device.derive(Some("b"), "roster").is_none());
    let sup = net.supervisor("zhang", &["a", "c"]);
    assert!(sup.derive(None, "roster").is_none(), "which site?");
    assert!(sup.derive(Some("b"), "roster").is_none());
    assert!(sup.derive(Some("c"), "roster").is_some());
}

#[test]
fn nothing_is_acknowledged_or_relayed_before_it_is_on_disk() {
    let mut net = Net::new();
    let a1 = net.device("a", "a1");
    let a2 = net.device("a", "a2");
    let (a1, a2) = (net.connect(a1), net.connect(a2));
    let doc = DocumentId::from_random([3; 16]);
    net.tablet(a1)
        .insert(doc, new_doc(1, "x", 1), vec![])
        .unwrap();
    net.run();
    net.tablet(a2).want(doc);
    net.run();
    assert_eq!(get(&mut net, a2, doc, "x"), Some(1));

    net.hold_writes = true;
    put(&mut net, a1, doc, "y", 2);
    let change = net.tablet(a1).doc(&doc).unwrap().get_heads();
    net.run();
    // The change is applied in the hub's memory, but not stored: nobody
    // hears of it, not even its author.
    assert_eq!(net.tablet(a1).unconfirmed(&doc), 1);
    assert_eq!(get(&mut net, a2, doc, "y"), None);
    assert!(net.stored(&doc).get_heads() != change);
    // Messages arriving meanwhile wait too.
    put(&mut net, a2, doc, "z", 3);
    net.run();
    assert_eq!(get(&mut net, a1, doc, "z"), None);

    net.hold_writes = false;
    net.run();
    assert_eq!(net.tablet(a1).unconfirmed(&doc), 0);
    assert_eq!(net.tablet(a2).unconfirmed(&doc), 0);
    assert_eq!(get(&mut net, a2, doc, "y"), Some(2));
    assert_eq!(get(&mut net, a1, doc, "z"), Some(3));
    assert_eq!(
        net.stored(&doc).get_heads(),
        net.tablet(a1).doc(&doc).unwrap().get_heads()
    );
}

#[test]
fn a_failed_write_acknowledges_nothing_and_is_retried() {
    let mut net = Net::new();
    let a1 = net.device("a", "a1");
    let a1 = net.connect(a1);
    let doc = DocumentId::from_random([4; 16]);
    net.fail_writes = 3;
    net.tablet(a1)
        .insert(doc, new_doc(1, "x", 1), vec![])
        .unwrap();
    net.run();
    assert_eq!(net.tablet(a1).unconfirmed(&doc), 1);
    assert!(net.stored(&doc).get_heads().is_empty());
    for _ in 0..2 {
        net.advance(RETRY_MS);
        assert_eq!(net.tablet(a1).unconfirmed(&doc), 1, "still failing");
    }
    net.advance(RETRY_MS);
    assert_eq!(
        net.tablet(a1).unconfirmed(&doc),
        0,
        "acknowledged once written"
    );
    assert_eq!(net.store.doc_owner(&doc).unwrap().as_deref(), Some("a"));
}

#[test]
fn a_supervisor_writes_a_new_document_of_a_site_it_registered_for() {
    let mut net = Net::new();
    let a1 = net.device("a", "a1");
    let sup = net.supervisor("zhang", &["a", "c"]);
    let (a1, sup) = (net.connect(a1), net.connect(sup));
    // A day no tablet has opened yet.
    let purpose = "duty-log/2026-12-31";
    let id = DocumentId::derive(&net.key("a"), purpose);
    net.tablet(sup).set_site(Some("a".into()));
    net.tablet(sup).note_purpose(id, purpose);
    net.tablet(sup)
        .insert(id, new_doc(7, "note", 1), vec![])
        .unwrap();
    net.run();
    assert_eq!(net.tablet(sup).unconfirmed(&id), 0, "confirmed");
    net.tablet(a1).want(id);
    net.run();
    assert_eq!(get(&mut net, a1, id, "note"), Some(1));
    let receipts = net.store.receipts(&id).unwrap();
    assert_eq!(receipts.len(), 1);
    assert_eq!(
        receipts.values().next().unwrap().by.as_deref(),
        Some("桌面·zhang")
    );
}

#[test]
fn a_supervisor_of_several_sites_cannot_claim_an_unregistered_upload() {
    let mut net = Net::new();
    let sup = net.supervisor("zhang", &["a", "c"]);
    let sup = net.connect(sup);
    let doc = DocumentId::from_random([5; 16]);
    net.tablet(sup)
        .insert(doc, new_doc(7, "x", 1), vec![])
        .unwrap();
    net.run();
    assert!(net.tablet(sup).is_unavailable(&doc));
    assert_eq!(net.store.doc_owner(&doc).unwrap(), None);
}

#[test]
fn site_documents_are_read_only_for_devices() {
    let mut net = Net::new();
    let a1 = net.device("a", "a1");
    let sup = net.supervisor("zhang", &["a"]);
    let (a1, sup) = (net.connect(a1), net.connect(sup));
    let roster = shiftbook_model::roster::document_id(&net.key("a"));
    net.tablet(sup)
        .insert(roster, new_doc(7, "people", 1), vec![])
        .unwrap();
    net.run();
    assert_eq!(net.tablet(sup).unconfirmed(&roster), 0);
    net.tablet(a1).want(roster);
    net.run();
    assert_eq!(get(&mut net, a1, roster, "people"), Some(1));
    put(&mut net, a1, roster, "people", 99);
    net.run();
    assert_eq!(net.tablet(a1).unconfirmed(&roster), 1, "never confirmed");
    assert_eq!(get(&mut net, sup, roster, "people"), Some(1));
    let stored = net.stored(&roster);
    assert_eq!(
        stored
            .get(ROOT, "people")
            .unwrap()
            .and_then(|(v, _)| v.as_i64()),
        Some(1)
    );
}

#[test]
fn every_change_is_received_with_its_uploader_and_time() {
    let mut net = Net::new();
    let a1 = net.device("a", "a1");
    let a1 = net.connect(a1);
    let doc = DocumentId::from_random([6; 16]);
    net.tablet(a1)
        .insert(doc, new_doc(1, "x", 1), vec![])
        .unwrap();
    net.run();
    net.now += 5_000;
    put(&mut net, a1, doc, "y", 2);
    net.run();
    let receipts = net.store.receipts(&doc).unwrap();
    let times: Vec<i64> = receipts.values().map(|r| r.at).collect();
    assert_eq!(receipts.len(), 2, "{receipts:?}");
    assert!(
        times.contains(&1_000) && times.contains(&6_000),
        "{times:?}"
    );
    assert!(receipts.values().all(|r| r.by.as_deref() == Some("a1")));
}

#[test]
fn idle_documents_leave_memory_and_their_subscribers_still_hear_of_changes() {
    let mut net = Net::new();
    let a1 = net.device("a", "a1");
    let a2 = net.device("a", "a2");
    let (a1, a2) = (net.connect(a1), net.connect(a2));
    let doc = DocumentId::from_random([7; 16]);
    net.tablet(a1)
        .insert(doc, new_doc(1, "x", 1), vec![])
        .unwrap();
    net.run();
    net.tablet(a2).want(doc);
    net.run();
    assert_eq!(net.hub.stats().loaded, 1);
    net.advance(IDLE_MS + 1);
    assert_eq!(net.hub.stats().loaded, 0, "unloaded");
    put(&mut net, a1, doc, "y", 2);
    net.run();
    assert_eq!(net.tablet(a1).unconfirmed(&doc), 0);
    assert_eq!(get(&mut net, a2, doc, "y"), Some(2), "a2 still subscribed");
}

#[test]
fn a_supervisor_browsing_a_year_leaves_nothing_behind_and_touches_no_one_else() {
    let mut net = Net::new();
    let a1 = net.device("a", "a1");
    let sup = net.supervisor("zhang", &["a"]);
    let a1 = net.connect(a1);
    let today = DocumentId::from_random([8; 16]);
    net.tablet(a1)
        .insert(today, new_doc(1, "x", 1), vec![])
        .unwrap();
    net.run();
    let key = net.key("a");
    let days: Vec<DocumentId> = (0..365)
        .map(|d| DocumentId::derive(&key, &format!("duty-log/day-{d}")))
        .collect();
    // A year of days, a third of them written.
    for (n, day) in days.iter().enumerate().filter(|(n, _)| n % 3 == 0) {
        net.tablet(a1)
            .note_purpose(*day, &format!("duty-log/day-{n}"));
        net.tablet(a1)
            .insert(*day, new_doc(1, "entry", 1), vec![])
            .unwrap();
    }
    net.run();
    let sup = net.connect(sup);
    let mark = net.sent.len();
    for day in &days {
        net.tablet(sup).want(*day);
    }
    net.run();
    let got = days
        .iter()
        .filter(|d| {
            net.tablets[&sup]
                .client
                .doc(d)
                .is_some_and(|d| !d.get_heads().is_empty())
        })
        .count();
    assert_eq!(got, 122);
    assert!(
        net.sent[mark..].iter().all(|(c, _)| *c == sup),
        "browsing sends nothing to the tablet"
    );
    // A tablet's edit is relayed to the supervisor who asked for it, and
    // costs no one else anything.
    net.disconnect(sup);
    net.advance(IDLE_MS + 1);
    assert!(net.hub.stats().loaded <= 1, "{:?}", net.hub.stats());
}

#[test]
fn a_bad_sync_message_closes_only_its_connection() {
    let mut net = Net::new();
    let a1 = net.device("a", "a1");
    let a2 = net.device("a", "a2");
    let (a1, a2) = (net.connect(a1), net.connect(a2));
    let doc = DocumentId::from_random([9; 16]);
    net.tablet(a1)
        .insert(doc, new_doc(1, "x", 1), vec![])
        .unwrap();
    net.run();
    net.input(Input::Message {
        conn: a2,
        doc,
        data: vec![0x42, 1, 2, 3],
    });
    net.run();
    assert!(net.tablets[&a2].closed.is_some());
    put(&mut net, a1, doc, "y", 2);
    net.run();
    assert_eq!(net.tablet(a1).unconfirmed(&doc), 0, "a1 carries on");
}

#[test]
fn a_bloom_filter_claiming_billions_of_probes_closes_only_its_connection() {
    // automerge would build a vector of 2^32 - 1 probes (16 GiB) for every
    // change it considers sending back: the process would die.
    let mut net = Net::new();
    let a1 = net.device("a", "a1");
    let a2 = net.device("a", "a2");
    let (a1, a2) = (net.connect(a1), net.connect(a2));
    let doc = DocumentId::from_random([0x5b; 16]);
    net.tablet(a1)
        .insert(doc, new_doc(1, "x", 1), vec![])
        .unwrap();
    net.run();
    let mut message = Automerge::new()
        .generate_sync_message(&mut automerge::sync::State::new())
        .unwrap();
    // Heads the hub knows (any tablet of the site may), so that it looks
    // in the filter for what to send rather than sending everything.
    message.heads = net.tablet(a1).doc(&doc).unwrap().get_heads();
    // 1 entry, 8 bits per entry, 2^32 - 1 probes, one byte of bits.
    let bloom = [1, 8, 0xff, 0xff, 0xff, 0xff, 0x0f, 0xff];
    message.have = vec![automerge::sync::Have {
        last_sync: vec![],
        bloom: automerge::sync::BloomFilter::try_from(&bloom[..]).unwrap(),
    }];
    net.input(Input::Message {
        conn: a2,
        doc,
        data: message.encode(),
    });
    net.run();
    let closed = net.tablets[&a2].closed.clone().unwrap_or_default();
    assert!(closed.contains("probes"), "{closed}");
    put(&mut net, a1, doc, "y", 2);
    net.run();
    assert_eq!(net.tablet(a1).unconfirmed(&doc), 0, "a1 carries on");
}

#[test]
fn two_sites_racing_to_upload_an_unowned_id_leave_it_to_the_first_one_stored() {
    let mut net = Net::new();
    let a1 = net.device("a", "a1");
    let b1 = net.device("b", "b1");
    let (a1, b1) = (net.connect(a1), net.connect(b1));
    let doc = DocumentId::from_random([10; 16]);
    net.tablet(a1)
        .insert(doc, new_doc(1, "a", 1), vec![])
        .unwrap();
    net.tablet(b1)
        .insert(doc, new_doc(2, "b", 1), vec![])
        .unwrap();
    net.run();
    let owner = net.store.doc_owner(&doc).unwrap().unwrap();
    let (winner, loser) = if owner == "a" { (a1, b1) } else { (b1, a1) };
    assert_eq!(net.tablet(winner).unconfirmed(&doc), 0);
    assert!(net.tablet(loser).is_unavailable(&doc));
    let stored = net.stored(&doc);
    let loser_key = if owner == "a" { "b" } else { "a" };
    assert_eq!(
        stored.get(ROOT, loser_key).unwrap(),
        None,
        "nothing of the loser's"
    );
}

#[test]
fn changes_queued_behind_a_write_go_to_disk_together() {
    let mut net = Net::new();
    let first = net.device("a", "a0");
    let first = net.connect(first);
    let doc = DocumentId::from_random([11; 16]);
    net.tablet(first)
        .insert(doc, new_doc(1, "x", 1), vec![])
        .unwrap();
    net.run();
    let mut tablets = Vec::new();
    for n in 0..20 {
        let p = net.device("a", &format!("a{}", n + 1));
        let t = net.connect(p);
        net.tablet(t).want(doc);
        tablets.push(t);
    }
    net.run();
    // Everyone changes the document while a write is in flight.
    net.hold_writes = true;
    put(&mut net, first, doc, "held", 1);
    net.run();
    for (n, t) in tablets.iter().enumerate() {
        put(&mut net, *t, doc, &format!("k{n}"), n as i64);
    }
    net.run();
    let before = net.writes;
    net.hold_writes = false;
    net.run();
    assert!(
        net.writes - before <= 4,
        "{} writes for 21 changes: they should go together",
        net.writes - before
    );
    for t in tablets.iter().chain([&first]) {
        assert_eq!(net.tablet(*t).unconfirmed(&doc), 0);
    }
    let stored = net.stored(&doc);
    for n in 0..20 {
        assert!(stored.get(ROOT, format!("k{n}")).unwrap().is_some());
    }
    // Each change's receipt names its own uploader.
    let receipts = net.store.receipts(&doc).unwrap();
    let uploaders: std::collections::BTreeSet<_> =
        receipts.values().filter_map(|r| r.by.clone()).collect();
    assert_eq!(uploaders.len(), 21, "{uploaders:?}");
}

#[test]
fn a_change_with_an_impossible_time_is_neither_stored_nor_relayed() {
    let mut net = Net::new();
    let (a1, a2, a3) = (
        net.device("a", "a1"),
        net.device("a", "a2"),
        net.device("a", "a3"),
    );
    let (a1, a2, a3) = (net.connect(a1), net.connect(a2), net.connect(a3));
    let doc = DocumentId::from_random([0x71; 16]);
    net.tablet(a1)
        .insert(doc, new_doc(1, "x", 1), vec![])
        .unwrap();
    net.run();
    net.tablet(a2).want(doc);
    net.tablet(a3).want(doc);
    net.run();
    // a1's honest change and a2's forged one reach the hub together.
    put(&mut net, a1, doc, "honest", 1);
    net.tablet(a2)
        .change(&doc, |d| {
            d.transact_with::<_, _, automerge::AutomergeError, _>(
                |_| automerge::transaction::CommitOptions::default().with_time(-86_400_000),
                |tx| {
                    tx.put(ROOT, "forged", 1)?;
                    Ok(())
                },
            )
            .unwrap();
        })
        .unwrap();
    net.run();
    let closed = net.tablets[&a2].closed.clone().unwrap_or_default();
    assert!(closed.contains("out of range"), "{closed}");
    assert_eq!(
        net.tablet(a1).unconfirmed(&doc),
        0,
        "the honest change is acknowledged"
    );
    assert_eq!(get(&mut net, a3, doc, "honest"), Some(1), "and relayed");
    assert_eq!(
        get(&mut net, a3, doc, "forged"),
        None,
        "the forged one is not"
    );
    let stored = net.docs.load(&doc).unwrap();
    assert_eq!(stored.doc.get(ROOT, "forged").unwrap(), None, "nor stored");
    assert!(stored.doc.get(ROOT, "honest").unwrap().is_some());
}
