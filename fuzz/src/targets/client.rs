//! The `client` target: `SyncClient::receive` of a connected client fed a
//! frame script ([`super::script`]) — real frames a hub sent in a session,
//! mutated as bytes and as structure (sync messages from real
//! `generate_sync_message` output changed field by field, wrong sender
//! and target ids, other documents, unknown message types).
//!
//! Header byte: which session documents the client holds (bits 0–1; it
//! wants the others) and whether it skips the handshake (bit 2: frames
//! then arrive before `peer`). Each step's `ctl` (bits 0–2): 0–4 deliver
//! the frame; 5 reconnects (disconnect, connect, handshake) and delivers
//! it; 6 asks again for unavailable documents and delivers it; 7 makes a
//! local change to one document and delivers it.
//!
//! Oracles besides "no panic": a refused frame changes no document (the
//! documented promise of `SyncClient::receive`), every frame the client
//! queues decodes, and at the end every document a frame changed still
//! saves and loads back with the same heads and reads (its family's read
//! path) without panicking.

use crate::engine::{Sig, error_kind};
use crate::targets::read::{self, Probe};
use crate::targets::script::{self, Step};
use crate::targets::session;
use automerge::transaction::Transactable;
use automerge::{Automerge, ChangeHash, ROOT};
use shiftbook_model::DocumentId;
use shiftbook_model::client::{Output, SyncClient};
use shiftbook_model::protocol::{PeerId, WireMessage};
use std::collections::BTreeMap;

fn held(header: u8) -> &'static [usize] {
    match header & 3 {
        0 => &[1, 2, 4],
        1 => &[],
        2 => &[0, 1, 2, 3, 4, 5],
        _ => &[3],
    }
}

fn peer_frame() -> Vec<u8> {
    WireMessage::Peer {
        sender_id: PeerId::new(session::SERVER).unwrap_or_else(|_| session::peer(9)),
        target_id: session::peer(0),
        selected_protocol_version: "1".into(),
    }
    .encode()
}

fn heads(c: &SyncClient) -> BTreeMap<DocumentId, Vec<ChangeHash>> {
    c.documents()
        .filter_map(|id| c.doc(id).map(|d| (*id, d.get_heads())))
        .collect()
}

/// Take the client's outputs; every frame must decode.
fn drain(c: &mut SyncClient, sig: &mut Sig) {
    for out in c.take_outputs() {
        match out {
            Output::Send(frame) => match WireMessage::decode(&frame) {
                Ok(m) => {
                    sig.str(m.kind());
                }
                Err(e) => panic!("the client queued a frame that does not decode: {e}"),
            },
            Output::ServerError(_) => {
                sig.str("server-error");
            }
            other => {
                sig.str(match other {
                    Output::Connected => "connected",
                    Output::Changed(_) => "changed",
                    Output::Confirmed(_) => "confirmed",
                    _ => "unavailable",
                });
            }
        }
    }
}

/// Run one script.
pub fn run(input: &[u8]) -> u64 {
    let (header, steps) = script::parse(input);
    let mut c = session::client(held(header));
    let start = heads(&c);
    let mut sig = Sig::default();
    c.connected();
    if header & 4 == 0 {
        let _ = c.receive(&peer_frame());
    }
    drain(&mut c, &mut sig);
    for step in &steps {
        match step.ctl & 7 {
            5 => {
                c.disconnected();
                c.connected();
                let _ = c.receive(&peer_frame());
            }
            6 => c.retry_unavailable(),
            7 => {
                let id = session::doc_id(usize::from(step.ctl >> 3) % (session::doc_count() + 1));
                c.change(&id, |d: &mut Automerge| {
                    let mut tx = d.transaction();
                    let _ = tx.put(ROOT, "fuzz", i64::from(step.ctl));
                    tx.commit();
                });
            }
            _ => {}
        }
        drain(&mut c, &mut sig);
        let frame = script::mutate_frame(&step.frame, &step.mutation);
        let before = heads(&c);
        let result = c.receive(&frame);
        match &result {
            Ok(()) => {
                sig.num(1);
            }
            Err(e) => {
                sig.str(error_kind(&e.to_string()));
                if heads(&c) != before {
                    panic!("a refused frame changed a document ({e})");
                }
            }
        }
        drain(&mut c, &mut sig);
    }
    // Every document still saves, loads back and reads.
    let mut p = Probe::default();
    let end = heads(&c);
    for id in c.documents().copied().collect::<Vec<_>>() {
        let Some(doc) = c.doc(&id) else { continue };
        if end.get(&id) == start.get(&id) {
            continue;
        }
        let saved = doc.save();
        match Automerge::load(&saved) {
            Ok(again) if again.get_heads() == doc.get_heads() => {}
            Ok(_) => panic!("a client's document loads back with other heads"),
            Err(e) => panic!("a client's document does not load back: {e}"),
        }
        read::read_by_schema(doc, &mut p);
    }
    sig.num(p.finish());
    let _ = c.status();
    sig.finish()
}

/// Scripts of the frames a real hub sent a client in a session.
pub fn seeds() -> Vec<Vec<u8>> {
    let frames = session::server_frames();
    let steps = |ctl: u8| -> Vec<Step> {
        frames
            .iter()
            .map(|f| Step {
                ctl,
                frame: f.clone(),
                mutation: Vec::new(),
            })
            .collect()
    };
    let mut out = vec![
        script::encode(0, &steps(0)),
        script::encode(1, &steps(0)),
        script::encode(4, &steps(0)),
        script::encode(2, &steps(5)),
    ];
    for (i, f) in frames.iter().enumerate() {
        out.push(script::encode(
            0,
            &[Step {
                ctl: 0,
                frame: f.clone(),
                mutation: vec![(i * 11) as u8, 0x02, 0x33, (i * 7) as u8, 0x81],
            }],
        ));
    }
    out
}
