//! The client against a tiny in-memory relay that speaks the server side
//! of the protocol, driven deterministically until nothing moves.

use super::*;
use crate::attribution::Attribution;
use crate::checklist::{self, Checklist, ItemState, Status};
use crate::roster::Role;
use crate::template::lobby_opening;
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

/// The server side of the protocol, minimal: it keeps documents and relays
/// changes to every client that has synced the document.
#[derive(Default)]
struct Relay {
    docs: BTreeMap<DocumentId, Automerge>,
    /// (client index, doc) → sync state
    sessions: BTreeMap<(usize, DocumentId), sync::State>,
    joined: BTreeSet<usize>,
    /// Frames for each client.
    to_client: BTreeMap<usize, Vec<Vec<u8>>>,
    peer_ids: BTreeMap<usize, PeerId>,
}

fn server_id() -> PeerId {
    PeerId::new("relay").unwrap()
}

impl Relay {
    fn send(&mut self, client: usize, msg: WireMessage) {
        self.to_client.entry(client).or_default().push(msg.encode());
    }

    fn disconnect(&mut self, client: usize) {
        self.joined.remove(&client);
        self.sessions.retain(|(c, _), _| *c != client);
        self.to_client.remove(&client);
    }

    fn receive(&mut self, client: usize, frame: &[u8]) {
        match WireMessage::decode(frame).unwrap() {
            WireMessage::Join { sender_id, .. } => {
                self.joined.insert(client);
                self.peer_ids.insert(client, sender_id.clone());
                self.send(
                    client,
                    WireMessage::Peer {
                        sender_id: server_id(),
                        target_id: sender_id,
                        selected_protocol_version: "1".into(),
                    },
                );
            }
            WireMessage::Request {
                document_id, data, ..
            }
            | WireMessage::Sync {
                document_id, data, ..
            } => {
                let msg = sync::Message::decode(&data).unwrap();
                let wanted_only = !self.docs.contains_key(&document_id)
                    && msg.changes.is_empty()
                    && msg.heads.is_empty();
                if wanted_only {
                    let target_id = self.peer_ids[&client].clone();
                    self.send(
                        client,
                        WireMessage::DocUnavailable {
                            document_id,
                            sender_id: server_id(),
                            target_id,
                        },
                    );
                    return;
                }
                let doc = self.docs.entry(document_id).or_default();
                let state = self.sessions.entry((client, document_id)).or_default();
                doc.receive_sync_message(state, msg).unwrap();
                let peers: Vec<usize> = self
                    .sessions
                    .keys()
                    .filter(|(_, d)| *d == document_id)
                    .map(|(c, _)| *c)
                    .collect();
                for c in peers {
                    self.flush(c, document_id);
                }
            }
            _ => {}
        }
    }

    fn flush(&mut self, client: usize, id: DocumentId) {
        let doc = &self.docs[&id];
        let state = self.sessions.get_mut(&(client, id)).unwrap();
        if let Some(m) = doc.generate_sync_message(state) {
            let target_id = self.peer_ids[&client].clone();
            self.send(
                client,
                WireMessage::Sync {
                    document_id: id,
                    sender_id: server_id(),
                    target_id,
                    data: m.encode(),
                },
            );
        }
    }
}

/// Deliver frames both ways until no side has anything left to say.
fn run_until_quiescent(relay: &mut Relay, clients: &mut [SyncClient], online: &[bool]) {
    for _ in 0..10_000 {
        let mut moved = false;
        for (i, c) in clients.iter_mut().enumerate() {
            for out in c.take_outputs() {
                if let Output::Send(frame) = out
                    && online[i]
                {
                    relay.receive(i, &frame);
                    moved = true;
                }
            }
        }
        for (i, c) in clients.iter_mut().enumerate() {
            for frame in relay.to_client.remove(&i).unwrap_or_default() {
                if online[i] {
                    c.receive(&frame).unwrap();
                    moved = true;
                }
            }
        }
        if !moved {
            return;
        }
    }
    panic!("did not quiesce");
}

fn client(n: u8) -> SyncClient {
    SyncClient::new(
        PeerId::new(format!("tablet-{n}")).unwrap(),
        ActorId::from(vec![n; 16]),
    )
}

fn author(n: u8, at_ms: i64) -> Attribution {
    Attribution {
        person_id: format!("staff-{n}"),
        person: format!("staff {n}"),
        role: Role::Staff,
        device: format!("大堂平板{n}"),
        at_ms,
    }
}

const DATE: &str = "2026-11-23";

fn doc_id() -> DocumentId {
    DocumentId::from_random([9; 16])
}

fn open_round(c: &mut SyncClient) {
    let g = checklist::started_for_tests(DATE);
    c.insert(doc_id(), g, vec![]).unwrap();
}

fn mark(c: &mut SyncClient, n: u8, item: &str, status: Status, at: i64) {
    c.change(&doc_id(), |d| {
        checklist::mark(
            d,
            checklist::TEST_SLOT,
            item,
            status,
            note_for(status),
            &author(n, at),
        )
        .unwrap()
    })
    .unwrap();
}

/// Some items need a note when abnormal: give every × one.
fn note_for(status: Status) -> &'static str {
    match status {
        Status::Normal => "",
        Status::Abnormal => "异常",
    }
}

fn connect(c: &mut SyncClient) {
    c.connected();
}

#[test]
fn two_offline_tablets_merge_through_the_relay() {
    let mut relay = Relay::default();
    let mut clients = vec![client(1), client(2)];
    for c in clients.iter_mut() {
        open_round(c);
    }
    mark(&mut clients[0], 1, "doors", Status::Normal, 1_000);
    mark(&mut clients[0], 1, "lifts", Status::Abnormal, 2_000);
    mark(&mut clients[1], 2, "toilets", Status::Normal, 1_500);
    assert_eq!(
        clients[0].unconfirmed(&doc_id()),
        3,
        "genesis is nobody's unsynced work; the start and two marks are"
    );
    assert_eq!(clients[1].unconfirmed(&doc_id()), 2);
    assert_eq!(clients[0].status(), SyncStatus::Offline);

    for c in clients.iter_mut() {
        connect(c);
    }
    run_until_quiescent(&mut relay, &mut clients, &[true, true]);

    for c in &clients {
        let view = Checklist::new(c.doc(&doc_id()).unwrap()).unwrap();
        assert_eq!(view.marked_count(checklist::TEST_SLOT).unwrap(), 3);
        assert!(
            matches!(view.item_state(checklist::TEST_SLOT, "lifts").unwrap(), ItemState::Marked(m) if m.status == Status::Abnormal)
        );
        assert_eq!(c.unconfirmed(&doc_id()), 0);
        assert_eq!(c.status(), SyncStatus::Synced);
    }
    assert_eq!(
        clients[0].doc(&doc_id()).unwrap().get_heads(),
        clients[1].doc(&doc_id()).unwrap().get_heads()
    );
    assert_eq!(
        relay.docs[&doc_id()].get_heads(),
        clients[0].doc(&doc_id()).unwrap().get_heads()
    );
}

#[test]
fn confirmations_are_reported_and_survive_a_restart_of_the_client() {
    let mut relay = Relay::default();
    let mut clients = vec![client(1)];
    open_round(&mut clients[0]);
    mark(&mut clients[0], 1, "doors", Status::Normal, 1_000);
    connect(&mut clients[0]);
    run_until_quiescent(&mut relay, &mut clients, &[true]);
    let outs = clients[0].take_outputs();
    assert!(
        outs.is_empty(),
        "outputs were drained by the harness: {outs:?}"
    );
    let confirmed = clients[0].confirmed_heads(&doc_id());
    assert_eq!(confirmed, clients[0].doc(&doc_id()).unwrap().get_heads());

    // A new session (reload) restores the doc and its confirmed heads, offline.
    let saved = clients[0].doc(&doc_id()).unwrap().save();
    let mut again = client(3);
    again
        .insert(doc_id(), Automerge::load(&saved).unwrap(), confirmed)
        .unwrap();
    assert_eq!(again.unconfirmed(&doc_id()), 0);
    again.change(&doc_id(), |d| {
        checklist::mark(
            d,
            checklist::TEST_SLOT,
            "lifts",
            Status::Normal,
            "",
            &author(3, 5_000),
        )
        .unwrap()
    });
    assert_eq!(again.unconfirmed(&doc_id()), 1);
}

/// What a client that never counted before says about `c`'s document.
fn fresh_count(c: &SyncClient) -> usize {
    let mut fresh = client(9);
    let doc = c.doc(&doc_id()).unwrap().clone();
    fresh
        .insert(doc_id(), doc, c.confirmed_heads(&doc_id()))
        .unwrap();
    fresh.unconfirmed(&doc_id())
}

#[test]
fn the_unconfirmed_count_goes_on_from_the_last_one_and_is_what_a_fresh_count_says() {
    let mut relay = Relay::default();
    let mut clients = vec![client(1), client(2)];
    for c in clients.iter_mut() {
        open_round(c);
    }
    // Offline (never connected): each mark counts once more, as a fresh
    // count says.
    let before = clients[0].unconfirmed(&doc_id());
    assert_eq!(before, fresh_count(&clients[0]));
    for (n, item) in ["lifts", "lighting", "doors"].into_iter().enumerate() {
        mark(&mut clients[0], 1, item, Status::Normal, 2_000 + n as i64);
        assert_eq!(clients[0].unconfirmed(&doc_id()), before + n + 1);
        assert_eq!(fresh_count(&clients[0]), before + n + 1);
    }
    // Another tablet's changes merged in are not confirmed either.
    mark(&mut clients[1], 2, "lifts", Status::Abnormal, 3_000);
    let theirs = clients[1].doc(&doc_id()).unwrap().clone();
    let confirmed = clients[0].confirmed_heads(&doc_id());
    let mut merged = clients[0].doc(&doc_id()).unwrap().clone();
    merged.merge(&mut theirs.clone()).unwrap();
    clients[0].insert(doc_id(), merged, confirmed).unwrap();
    assert_eq!(clients[0].unconfirmed(&doc_id()), fresh_count(&clients[0]));
    // Online, the server confirms everything.
    connect(&mut clients[0]);
    run_until_quiescent(&mut relay, &mut clients, &[true, false]);
    assert_eq!(clients[0].unconfirmed(&doc_id()), 0);
    assert_eq!(fresh_count(&clients[0]), 0);
}

#[test]
fn concurrent_different_marks_on_one_item_are_a_conflict_on_both_tablets() {
    let mut relay = Relay::default();
    let mut clients = vec![client(1), client(2)];
    for c in clients.iter_mut() {
        open_round(c);
    }
    mark(&mut clients[0], 1, "doors", Status::Normal, 1_000);
    mark(&mut clients[1], 2, "doors", Status::Abnormal, 1_100);
    for c in clients.iter_mut() {
        connect(c);
    }
    run_until_quiescent(&mut relay, &mut clients, &[true, true]);
    for c in &clients {
        let view = Checklist::new(c.doc(&doc_id()).unwrap()).unwrap();
        let ItemState::Conflict(marks) = view.item_state(checklist::TEST_SLOT, "doors").unwrap()
        else {
            panic!("expected a conflict");
        };
        let statuses: Vec<Status> = marks.iter().map(|m| m.status).collect();
        assert_eq!(statuses, vec![Status::Normal, Status::Abnormal]);
        assert_eq!(view.history().unwrap().len(), 2);
    }
    // Re-marking after seeing both resolves it, everywhere.
    mark(&mut clients[0], 1, "doors", Status::Abnormal, 3_000);
    run_until_quiescent(&mut relay, &mut clients, &[true, true]);
    for c in &clients {
        let view = Checklist::new(c.doc(&doc_id()).unwrap()).unwrap();
        assert!(
            matches!(view.item_state(checklist::TEST_SLOT, "doors").unwrap(), ItemState::Marked(m) if m.at_ms == 3_000)
        );
        assert_eq!(view.history().unwrap().len(), 3, "the log keeps every mark");
    }
}

#[test]
fn wanting_an_unknown_document_reports_it_unavailable() {
    let mut relay = Relay::default();
    let mut clients = [client(1)];
    let id = DocumentId::from_random([1; 16]);
    clients[0].want(id);
    connect(&mut clients[0]);
    // Drive by hand to see the outputs.
    for _ in 0..5 {
        for out in clients[0].take_outputs() {
            match out {
                Output::Send(f) => relay.receive(0, &f),
                Output::Unavailable(d) => {
                    assert_eq!(d, id);
                    assert!(clients[0].is_unavailable(&id));
                    return;
                }
                _ => {}
            }
        }
        for f in relay.to_client.remove(&0).unwrap_or_default() {
            clients[0].receive(&f).unwrap();
        }
    }
    panic!("never reported unavailable");
}

#[test]
fn an_unavailable_document_is_fetched_once_retried_after_someone_uploads_it() {
    let mut relay = Relay::default();
    let mut clients = vec![client(1), client(2)];
    clients[1].want(doc_id());
    connect(&mut clients[1]);
    run_until_quiescent(&mut relay, &mut clients, &[false, true]);
    assert!(clients[1].is_unavailable(&doc_id()));

    open_round(&mut clients[0]);
    connect(&mut clients[0]);
    run_until_quiescent(&mut relay, &mut clients, &[true, true]);
    assert!(
        clients[1].is_unavailable(&doc_id()),
        "nobody pushes it unasked"
    );

    clients[1].retry_unavailable();
    run_until_quiescent(&mut relay, &mut clients, &[true, true]);
    assert!(!clients[1].is_unavailable(&doc_id()));
    assert_eq!(
        clients[1].doc(&doc_id()).unwrap().get_heads(),
        clients[0].doc(&doc_id()).unwrap().get_heads()
    );
}

#[test]
fn bad_frames_are_errors_and_change_nothing() {
    let mut c = client(1);
    open_round(&mut c);
    mark(&mut c, 1, "doors", Status::Normal, 1_000);
    let heads = c.doc(&doc_id()).unwrap().get_heads();
    assert!(matches!(
        c.receive(b"\xff\x00garbage"),
        Err(ClientError::Decode(_))
    ));
    // A sync message before the handshake.
    let early = WireMessage::Sync {
        document_id: doc_id(),
        sender_id: server_id(),
        target_id: c.peer_id().clone(),
        data: vec![],
    };
    assert!(c.receive(&early.encode()).is_err());
    c.connected();
    let peer = WireMessage::Peer {
        sender_id: server_id(),
        target_id: c.peer_id().clone(),
        selected_protocol_version: "1".into(),
    };
    c.receive(&peer.encode()).unwrap();
    let junk = WireMessage::Sync {
        document_id: doc_id(),
        sender_id: server_id(),
        target_id: c.peer_id().clone(),
        data: vec![0x42, 1, 2, 3],
    };
    assert!(matches!(
        c.receive(&junk.encode()),
        Err(ClientError::BadSync { .. })
    ));
    assert_eq!(c.doc(&doc_id()).unwrap().get_heads(), heads);
    assert_eq!(c.unconfirmed(&doc_id()), 2, "the start and the mark");
    // A second `peer` is a protocol violation.
    assert!(matches!(
        c.receive(&peer.encode()),
        Err(ClientError::Unexpected(_))
    ));
    // A wrong protocol version is refused.
    let mut c2 = client(2);
    c2.connected();
    let v2 = WireMessage::Peer {
        sender_id: server_id(),
        target_id: c2.peer_id().clone(),
        selected_protocol_version: "2".into(),
    };
    assert!(matches!(
        c2.receive(&v2.encode()),
        Err(ClientError::Version(_))
    ));
}

#[test]
fn a_change_with_an_impossible_time_is_refused_before_it_is_applied() {
    // automerge 0.12 panics applying a change timed i64::MIN after others
    // (in the browser that is the app gone): the client refuses it first.
    let mut c = client(1);
    open_round(&mut c);
    handshake(&mut c);
    let _ = c.take_outputs();
    let doc = c.doc(&doc_id()).unwrap().clone();
    let heads = doc.get_heads();
    let mut other = doc.fork().with_actor(ActorId::from(b"forger".to_vec()));
    other
        .transact::<_, _, automerge::AutomergeError>(|tx| {
            automerge::transaction::Transactable::put(tx, automerge::ROOT, "forged", 1).map(|_| ())
        })
        .unwrap();
    let mut forged = other.get_changes(&heads)[0].decode();
    forged.time = i64::MIN;
    forged.hash = None;
    let forged = automerge::Change::from(forged);
    let mut message = other
        .generate_sync_message(&mut automerge::sync::State::new())
        .unwrap();
    message.heads = vec![forged.hash()];
    message.changes = vec![forged.raw_bytes().to_vec()].into();
    let frame = WireMessage::Sync {
        document_id: doc_id(),
        sender_id: server_id(),
        target_id: c.peer_id().clone(),
        data: message.encode(),
    };
    let refused = c.receive(&frame.encode());
    assert!(
        matches!(&refused, Err(ClientError::BadSync { reason, .. }) if reason.contains("out of range")),
        "{refused:?}"
    );
    assert_eq!(c.doc(&doc_id()).unwrap().get_heads(), heads);
}

#[derive(Debug, Clone)]
enum Step {
    Mark {
        tablet: usize,
        item: usize,
        abnormal: bool,
    },
    Toggle {
        tablet: usize,
    },
    Deliver,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (0..3usize, 0..11usize, any::<bool>()).prop_map(|(tablet, item, abnormal)| Step::Mark { tablet, item, abnormal }),
        1 => (0..3usize).prop_map(|tablet| Step::Toggle { tablet }),
        1 => Just(Step::Deliver),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    /// Three tablets going on and off line while marking at random end
    /// identical, with every mark ever made in the log and every item's
    /// latest mark(s) visible.
    #[test]
    fn three_tablets_converge_with_every_mark(steps in proptest::collection::vec(step(), 1..40)) {
        let items: Vec<String> = lobby_opening().items.into_iter().map(|i| i.id).collect();
        let mut relay = Relay::default();
        let mut clients = vec![client(1), client(2), client(3)];
        let mut online = vec![false; 3];
        for c in clients.iter_mut() { open_round(c); }
        let mut made = 0usize;
        let mut clock = 0i64;
        for s in steps {
            match s {
                Step::Mark { tablet, item, abnormal } => {
                    clock += 1;
                    let status = if abnormal { Status::Abnormal } else { Status::Normal };
                    mark(&mut clients[tablet], tablet as u8 + 1, &items[item], status, clock);
                    made += 1;
                }
                Step::Toggle { tablet } => {
                    online[tablet] = !online[tablet];
                    if online[tablet] {
                        clients[tablet].connected();
                    } else {
                        clients[tablet].disconnected();
                        relay.disconnect(tablet);
                        clients[tablet].take_outputs();
                    }
                }
                Step::Deliver => run_until_quiescent(&mut relay, &mut clients, &online),
            }
        }
        for (i, c) in clients.iter_mut().enumerate() {
            if !online[i] { c.connected(); }
        }
        run_until_quiescent(&mut relay, &mut clients, &[true, true, true]);
        let heads = clients[0].doc(&doc_id()).unwrap().get_heads();
        for c in &clients {
            prop_assert_eq!(c.doc(&doc_id()).unwrap().get_heads(), heads.clone());
            let view = Checklist::new(c.doc(&doc_id()).unwrap()).unwrap();
            prop_assert_eq!(view.history().unwrap().len(), made);
            prop_assert_eq!(c.unconfirmed(&doc_id()), 0);
            for item in &items {
                let logged = view.history().unwrap().iter().any(|m| &m.item == item);
                let state = view.item_state(checklist::TEST_SLOT, item).unwrap();
                prop_assert_eq!(logged, state != ItemState::Unmarked);
            }
        }
    }
}

#[test]
fn two_documents_change_together_and_both_sync() {
    let mut relay = Relay::default();
    let mut clients = vec![client(1), client(2)];
    let other = DocumentId::from_random([8; 16]);
    for c in clients.iter_mut() {
        open_round(c);
        c.insert(other, checklist::started_for_tests("2026-11-24"), vec![])
            .unwrap();
    }
    let by = author(1, 9_000);
    let done = clients[0].change_pair(&doc_id(), &other, |a, b| {
        checklist::mark(a, checklist::TEST_SLOT, "doors", Status::Normal, "", &by).unwrap();
        checklist::mark(b, checklist::TEST_SLOT, "lifts", Status::Normal, "", &by).unwrap();
    });
    assert!(done.is_some());
    assert!(
        clients[0]
            .change_pair(&doc_id(), &doc_id(), |_, _| ())
            .is_none()
    );
    assert!(
        clients[0]
            .change_pair(&doc_id(), &DocumentId::from_random([7; 16]), |_, _| ())
            .is_none()
    );
    assert!(
        clients[0].doc(&doc_id()).is_some(),
        "nothing lost on refusal"
    );
    for c in clients.iter_mut() {
        connect(c);
    }
    run_until_quiescent(&mut relay, &mut clients, &[true, true]);
    let b = &clients[1];
    let state = |id: &DocumentId, item: &str| {
        Checklist::new(b.doc(id).unwrap())
            .unwrap()
            .item_state(checklist::TEST_SLOT, item)
            .unwrap()
    };
    assert!(matches!(state(&doc_id(), "doors"), ItemState::Marked(_)));
    assert!(matches!(state(&other, "lifts"), ItemState::Marked(_)));
}

#[test]
fn a_deferred_local_change_is_sent_when_asked_and_merges_the_same() {
    let mut relay = Relay::default();
    let mut clients = vec![client(1), client(2)];
    for c in clients.iter_mut() {
        open_round(c);
        connect(c);
    }
    run_until_quiescent(&mut relay, &mut clients, &[true, true]);
    clients[0].defer_local_sync(true);
    mark(&mut clients[0], 1, "doors", Status::Abnormal, 5_000);
    assert!(clients[0].has_local_unsent());
    assert!(
        clients[0].take_outputs().is_empty(),
        "no sync message inside the change"
    );
    run_until_quiescent(&mut relay, &mut clients, &[true, true]);
    let state = |c: &SyncClient| {
        Checklist::new(c.doc(&doc_id()).unwrap())
            .unwrap()
            .item_state(checklist::TEST_SLOT, "doors")
            .unwrap()
    };
    assert!(matches!(state(&clients[1]), ItemState::Unmarked));
    clients[0].sync_local_changes();
    assert!(!clients[0].has_local_unsent());
    run_until_quiescent(&mut relay, &mut clients, &[true, true]);
    assert!(matches!(state(&clients[1]), ItemState::Marked(_)));
    assert_eq!(
        clients[0].total_unconfirmed(),
        0,
        "and the server confirmed it"
    );
}

/// The `register` frames `c` produced, as lists of purposes, and the
/// order of every frame's kind.
fn frames(c: &mut SyncClient) -> (Vec<Vec<String>>, Vec<&'static str>) {
    let mut registers = Vec::new();
    let mut kinds = Vec::new();
    for out in c.take_outputs() {
        if let Output::Send(frame) = out {
            match WireMessage::decode(&frame).unwrap() {
                WireMessage::Register { purposes, .. } => {
                    registers.push(purposes);
                    kinds.push("register");
                }
                WireMessage::Request { .. } => kinds.push("request"),
                WireMessage::Sync { .. } => kinds.push("sync"),
                WireMessage::Join { .. } => kinds.push("join"),
                _ => kinds.push("other"),
            }
        }
    }
    (registers, kinds)
}

fn handshake(c: &mut SyncClient) {
    c.connected();
    c.receive(
        &WireMessage::Peer {
            sender_id: server_id(),
            target_id: c.peer_id().clone(),
            selected_protocol_version: "1".into(),
        }
        .encode(),
    )
    .unwrap();
}

#[test]
fn a_derived_document_is_registered_before_its_first_sync_message() {
    let mut c = client(1);
    // Offline: a round opened and its purpose known; nothing is sent.
    c.note_purpose(doc_id(), "checklist/3/lobby-opening/2026-11-23");
    open_round(&mut c);
    assert_eq!(frames(&mut c).0.len(), 0);
    handshake(&mut c);
    let (registers, kinds) = frames(&mut c);
    assert_eq!(
        registers,
        vec![vec!["checklist/3/lobby-opening/2026-11-23".to_owned()]]
    );
    assert_eq!(kinds, ["join", "register", "sync"], "register goes first");
    // Online: a new document is registered as it is inserted, once.
    let other = DocumentId::from_random([3; 16]);
    c.note_purpose(other, "duty-log/2026-11-23");
    c.insert(other, checklist::started_for_tests(DATE), vec![])
        .unwrap();
    let (registers, kinds) = frames(&mut c);
    assert_eq!(registers, vec![vec!["duty-log/2026-11-23".to_owned()]]);
    assert_eq!(kinds, ["register", "sync"]);
    c.change(&other, |d| {
        checklist::mark(
            d,
            checklist::TEST_SLOT,
            "doors",
            Status::Normal,
            "",
            &author(1, 5),
        )
        .unwrap()
    })
    .unwrap();
    assert!(frames(&mut c).0.is_empty(), "once per connection");
    // Malformed purposes are never sent.
    c.note_purpose(DocumentId::from_random([4; 16]), "no spaces allowed");
    assert!(c.purpose(&DocumentId::from_random([4; 16])).is_none());
}

#[test]
fn confirmed_documents_are_not_registered_and_unavailable_ones_are_again() {
    let mut relay = Relay::default();
    let mut clients = vec![client(1)];
    clients[0].note_purpose(doc_id(), "checklist/3/lobby-opening/2026-11-23");
    open_round(&mut clients[0]);
    connect(&mut clients[0]);
    run_until_quiescent(&mut relay, &mut clients, &[true]);
    assert!(!clients[0].confirmed_heads(&doc_id()).is_empty());
    // The next connection does not register what the server holds.
    clients[0].disconnected();
    handshake(&mut clients[0]);
    assert!(frames(&mut clients[0]).0.is_empty());
    // An unavailable document with a purpose is registered on each retry.
    let wanted = DocumentId::from_random([5; 16]);
    clients[0].note_purpose(wanted, "visitors/2026-11-23");
    clients[0].want(wanted);
    assert_eq!(
        frames(&mut clients[0]).0,
        vec![vec!["visitors/2026-11-23".to_owned()]]
    );
    let target_id = clients[0].peer_id().clone();
    clients[0]
        .receive(
            &WireMessage::DocUnavailable {
                document_id: wanted,
                sender_id: server_id(),
                target_id,
            }
            .encode(),
        )
        .unwrap();
    let _ = clients[0].take_outputs();
    clients[0].retry_unavailable();
    let (registers, kinds) = frames(&mut clients[0]);
    assert_eq!(registers, vec![vec!["visitors/2026-11-23".to_owned()]]);
    assert_eq!(kinds, ["register", "request"]);
}

#[test]
fn many_purposes_are_registered_in_batches_the_server_accepts() {
    let mut c = client(1);
    let n = crate::protocol::MAX_PURPOSES_PER_MESSAGE * 2 + 3;
    for i in 0..n {
        let id = DocumentId::from_random([
            (i % 250) as u8,
            (i / 250) as u8,
            1,
            2,
            3,
            4,
            5,
            6,
            7,
            8,
            9,
            10,
            11,
            12,
            13,
            14,
        ]);
        c.note_purpose(id, &format!("duty-log/day-{i}"));
        c.insert(id, checklist::started_for_tests(DATE), vec![])
            .unwrap();
    }
    handshake(&mut c);
    let (registers, _) = frames(&mut c);
    assert_eq!(registers.len(), 3);
    assert!(
        registers
            .iter()
            .all(|r| r.len() <= crate::protocol::MAX_PURPOSES_PER_MESSAGE)
    );
    assert_eq!(registers.iter().map(Vec::len).sum::<usize>(), n);
}

#[test]
fn stored_chunks_load_in_any_order_and_say_what_changed() {
    use automerge::transaction::Transactable as _;
    // What two tabs of one tablet wrote: a saved document, then the
    // changes each added since.
    let mut source = Automerge::new();
    source
        .transact::<_, _, automerge::AutomergeError>(|tx| {
            tx.put(automerge::ROOT, "a", 1)?;
            Ok(())
        })
        .unwrap();
    let saved = source.save();
    let base = source.get_heads();
    source
        .transact::<_, _, automerge::AutomergeError>(|tx| {
            tx.put(automerge::ROOT, "b", 2)?;
            Ok(())
        })
        .unwrap();
    let added = source.save_after(&base);

    let mut c = client(1);
    // The changes before the document they build on: they wait.
    c.load_stored(doc_id(), &added).unwrap();
    assert!(c.doc(&doc_id()).unwrap().get_heads().is_empty());
    c.load_stored(doc_id(), &saved).unwrap();
    assert_eq!(c.doc(&doc_id()).unwrap().get_heads(), source.get_heads());
    assert!(
        c.take_outputs()
            .iter()
            .any(|o| matches!(o, Output::Changed(id) if *id == doc_id()))
    );
    // Bytes already held change nothing and say nothing.
    c.load_stored(doc_id(), &added).unwrap();
    assert!(
        !c.take_outputs()
            .iter()
            .any(|o| matches!(o, Output::Changed(_)))
    );
    // Bytes that are not automerge are refused, the document unchanged.
    assert!(c.load_stored(doc_id(), b"not automerge").is_err());
    assert_eq!(c.doc(&doc_id()).unwrap().get_heads(), source.get_heads());
}
