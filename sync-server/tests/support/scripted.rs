//! A scripted network for minimal reproductions of what the fault
//! simulation (`fault_sim.rs`) finds: the real [`Hub`] over the real
//! [`DocStore`], the model's [`SyncClient`]s, and nothing carried out
//! until the script says so — frames the hub sent wait in each tablet's
//! inbox, frames a tablet queued wait until [`Script::flush`], storage
//! operations wait until [`Script::store`]. Channels stay ordered and
//! lossless (what TCP gives), so a failure here is not the network's.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use automerge::transaction::Transactable as _;
use automerge::{ActorId, Automerge, ROOT, ReadDoc as _};
use shiftbook_model::client::{Output, SyncClient};
use shiftbook_model::protocol::{PROTOCOL_VERSION, PeerId, WireMessage};
use shiftbook_model::{DocumentId, SiteKey};
use std::collections::VecDeque;
use std::sync::Arc;
use sync_server::doc_store::DocStore;
use sync_server::hub::{ConnId, Effect, Hub, HubConfig, Input};
use sync_server::principal::Principal;
use sync_server::store::Store;

/// One tablet: its client, connection and who it is.
pub struct Tablet {
    /// The model's sync client.
    pub client: SyncClient,
    conn: ConnId,
    peer: PeerId,
    principal: Arc<Principal>,
    /// Frames the hub sent, not delivered yet.
    inbox: VecDeque<Vec<u8>>,
}

/// The hub, its storage and the tablets.
pub struct Script {
    _dir: tempfile::TempDir,
    store: Store,
    /// The server's document storage.
    pub docs: DocStore,
    hub: Hub,
    now: u64,
    /// The tablets, by index.
    pub tablets: Vec<Tablet>,
    /// Storage operations the hub asked for, not carried out yet.
    storage: VecDeque<Effect>,
}

impl Script {
    /// An empty server.
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let docs = DocStore::open(dir.path()).unwrap();
        Self {
            _dir: dir,
            store,
            docs,
            hub: Hub::new(HubConfig {
                server_peer: PeerId::new("server").unwrap(),
                idle_unload_ms: 600_000,
            }),
            now: 1_000,
            tablets: Vec::new(),
            storage: VecDeque::new(),
        }
    }

    /// Site `site`'s key.
    pub fn key(&self, site: &str) -> SiteKey {
        self.store.site(site).unwrap().unwrap().key
    }

    /// Enrol device `name` of `site` and connect it; its index.
    pub fn device(&mut self, site: &str, name: &str) -> usize {
        let e = self.store.enroll(site, site, name).unwrap();
        let principal = Arc::new(Principal::Device {
            device: e.device,
            site_key: e.site.key,
        });
        let n = self.tablets.len();
        let conn = n as ConnId + 1;
        let peer = PeerId::new(format!("tablet-{n}")).unwrap();
        let mut client = SyncClient::new(peer.clone(), ActorId::from(vec![n as u8 + 1; 16]));
        client.connected();
        let _join = client.take_outputs();
        self.tablets.push(Tablet {
            client,
            conn,
            peer: peer.clone(),
            principal: principal.clone(),
            inbox: VecDeque::new(),
        });
        self.input(Input::Connected {
            conn,
            peer: peer.clone(),
            principal,
            refused: Arc::default(),
        });
        let answer = WireMessage::Peer {
            sender_id: PeerId::new("server").unwrap(),
            target_id: peer,
            selected_protocol_version: PROTOCOL_VERSION.into(),
        };
        self.tablets[n].client.receive(&answer.encode()).unwrap();
        self.flush(n);
        n
    }

    /// Tablet `t`'s client.
    pub fn client(&mut self, t: usize) -> &mut SyncClient {
        &mut self.tablets[t].client
    }

    fn input(&mut self, input: Input) {
        for effect in self.hub.handle(self.now, input) {
            match effect {
                Effect::Send { conn, frame } => {
                    if let Some(t) = self.tablets.iter_mut().find(|t| t.conn == conn) {
                        t.inbox.push_back(frame);
                    }
                }
                Effect::Close { conn, reason } => panic!("the hub closed {conn}: {reason}"),
                storage => self.storage.push_back(storage),
            }
        }
    }

    /// Hand everything tablet `t` queued to the hub (the socket handler).
    pub fn flush(&mut self, t: usize) {
        let outputs = self.tablets[t].client.take_outputs();
        let conn = self.tablets[t].conn;
        let peer = self.tablets[t].peer.clone();
        let principal = self.tablets[t].principal.clone();
        for output in outputs {
            let Output::Send(frame) = output else {
                continue;
            };
            for input in sync_server::inbound::hub_inputs(conn, &peer, &principal, &frame).unwrap()
            {
                self.input(input);
            }
        }
    }

    /// Deliver every frame waiting for tablet `t`, then flush what it
    /// answers.
    pub fn deliver(&mut self, t: usize) {
        while let Some(frame) = self.tablets[t].inbox.pop_front() {
            self.tablets[t].client.receive(&frame).unwrap();
        }
        self.flush(t);
    }

    /// Carry out the oldest storage operation; with `report_failed`, a
    /// write is committed but the hub hears it failed (the commit's
    /// outcome was unknown: an I/O error after the data was durable).
    /// Whether there was one.
    pub fn store(&mut self, report_failed: bool) -> bool {
        let Some(op) = self.storage.pop_front() else {
            return false;
        };
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
                let mut outcomes = self.docs.commit(&[(doc, op)]).unwrap();
                let mut result = outcomes.pop().unwrap().map_err(|e| e.to_string());
                if report_failed {
                    result = Err("disk I/O error".into());
                }
                self.input(Input::Written { doc, result });
            }
            other => panic!("not a storage operation: {other:?}"),
        }
        true
    }

    /// Let `ms` pass (a tick: failed writes are retried).
    pub fn advance(&mut self, ms: u64) {
        self.now += ms;
        self.input(Input::Tick);
    }

    /// Carry everything until nothing moves.
    pub fn settle(&mut self) {
        for _ in 0..10_000 {
            let mut moved = false;
            for t in 0..self.tablets.len() {
                moved |= !self.tablets[t].inbox.is_empty();
                self.deliver(t);
            }
            moved |= self.store(false);
            if !moved {
                return;
            }
        }
        panic!("the network never settled");
    }
}

impl Default for Script {
    fn default() -> Self {
        Self::new()
    }
}

/// A document whose one change (by `actor`) puts `key` = 1.
pub fn new_doc(actor: u8, key: &str) -> Automerge {
    let mut doc = Automerge::new().with_actor(ActorId::from(vec![actor; 16]));
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        tx.put(ROOT, key, 1)?;
        Ok(())
    })
    .unwrap();
    doc
}

/// Put `key` = 1 into tablet `t`'s copy of `doc` (one change).
pub fn put(script: &mut Script, t: usize, doc: DocumentId, key: &str) {
    script
        .client(t)
        .change(&doc, |d| {
            d.transact::<_, _, automerge::AutomergeError>(|tx| {
                tx.put(ROOT, key, 1)?;
                Ok(())
            })
            .unwrap();
        })
        .unwrap();
}

/// Whether tablet `t`'s copy of `doc` has `key`.
pub fn has(script: &mut Script, t: usize, doc: DocumentId, key: &str) -> bool {
    script
        .client(t)
        .doc(&doc)
        .is_some_and(|d| d.get(ROOT, key).ok().flatten().is_some())
}
