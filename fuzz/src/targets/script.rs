//! Frame scripts — the input format of the client and hub targets — and
//! the structure-aware mutation of one frame.
//!
//! A script is a header byte, then steps `ctl · len (u16 LE) · frame ·
//! mlen (u8) · mutation`. `ctl` says who sends and what happens around
//! the frame (the target's docs say how); `frame` is a protocol frame (the
//! seeds hold real ones); `mutation`, when not empty, is a program that
//! rewrites the decoded frame before it is delivered ([`mutate_frame`]):
//! wrong sender or target ids, another document, another message type,
//! odd registrations, and — most of all — the automerge sync message
//! inside changed field by field ([`mutate_sync`]): heads and needs of
//! unknown or real hashes, odd bloom filters, changes dropped, doubled,
//! reordered, taken from other documents or mutated byte by byte with
//! their checksums fixed, flags and versions switched. Byte-level
//! mutation of the script mutates the frames' CBOR and the programs.

use crate::chunks::fix_checksums;
use crate::mutate;
use crate::rng::Rng;
use crate::targets::session;
use crate::targets::values::Choices;
use automerge::sync::{BloomFilter, Have, Message, MessageFlags, MessageVersion};
use automerge::{Automerge, ChangeHash};
use shiftbook_model::DocumentId;
use shiftbook_model::protocol::{PeerId, WireMessage};
use std::sync::OnceLock;

/// Most steps a script runs.
pub const MAX_STEPS: usize = 24;

/// One step of a script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// What happens around the frame (target-specific).
    pub ctl: u8,
    /// The frame.
    pub frame: Vec<u8>,
    /// The mutation program (empty: the frame as it is).
    pub mutation: Vec<u8>,
}

/// Read a script: the header byte and the steps (a cut-off step is taken
/// as far as it goes).
pub fn parse(input: &[u8]) -> (u8, Vec<Step>) {
    let Some((&header, mut rest)) = input.split_first() else {
        return (0, Vec::new());
    };
    let mut steps = Vec::new();
    while !rest.is_empty() && steps.len() < MAX_STEPS {
        let ctl = rest.first().copied().unwrap_or(0);
        let len = usize::from(rest.get(1).copied().unwrap_or(0))
            | usize::from(rest.get(2).copied().unwrap_or(0)) << 8;
        let body = rest.get(3..).unwrap_or_default();
        let frame = body.get(..len.min(body.len())).unwrap_or_default().to_vec();
        let after = body.get(frame.len()..).unwrap_or_default();
        let mlen = usize::from(after.first().copied().unwrap_or(0));
        let m = after.get(1..).unwrap_or_default();
        let mutation = m.get(..mlen.min(m.len())).unwrap_or_default().to_vec();
        rest = m.get(mutation.len()..).unwrap_or_default();
        steps.push(Step {
            ctl,
            frame,
            mutation,
        });
    }
    (header, steps)
}

/// Write a script.
pub fn encode(header: u8, steps: &[Step]) -> Vec<u8> {
    let mut out = vec![header];
    for s in steps {
        let frame = s.frame.get(..s.frame.len().min(0xffff)).unwrap_or_default();
        let mutation = s
            .mutation
            .get(..s.mutation.len().min(0xff))
            .unwrap_or_default();
        out.push(s.ctl);
        out.extend_from_slice(&(frame.len() as u16).to_le_bytes());
        out.extend_from_slice(frame);
        out.push(mutation.len() as u8);
        out.extend_from_slice(mutation);
    }
    out
}

/// Real changes of every family's seed documents, with their hashes.
fn real_changes() -> &'static [(ChangeHash, Vec<u8>)] {
    static C: OnceLock<Vec<(ChangeHash, Vec<u8>)>> = OnceLock::new();
    C.get_or_init(|| {
        let mut out = Vec::new();
        for family in crate::targets::docs::FAMILIES {
            for doc in crate::targets::docs::documents(family) {
                for c in doc.get_changes(&[]).into_iter().take(8) {
                    out.push((c.hash(), c.raw_bytes().to_vec()));
                }
            }
        }
        out
    })
}

fn hash(c: &mut Choices<'_>) -> ChangeHash {
    let real = real_changes();
    if !real.is_empty() && c.chance(2, 3) {
        return real[c.below(real.len())].0;
    }
    let mut bytes = [0u8; 32];
    for b in &mut bytes {
        *b = c.byte();
    }
    ChangeHash(bytes)
}

fn hashes(c: &mut Choices<'_>) -> Vec<ChangeHash> {
    let n = c.below(4);
    (0..n).map(|_| hash(c)).collect()
}

/// Rewrite the encoded sync message `data` by the program in `c`; bytes
/// that are not a sync message are mutated as bytes.
pub fn mutate_sync(data: &[u8], c: &mut Choices<'_>) -> Vec<u8> {
    let Ok(mut m) = Message::decode(data) else {
        let mut out = data.to_vec();
        let mut rng = Rng::new(c.u64());
        mutate::mutate(&mut out, &mut rng, &[], 4);
        return out;
    };
    let edits = c.int(1, 4);
    for _ in 0..edits {
        match c.int(0, 11) {
            0 => m.heads = hashes(c),
            1 => m.heads.push(hash(c)),
            2 => m.need = hashes(c),
            3 => m.need.extend(m.heads.clone()),
            4 => {
                let last_sync = hashes(c);
                let bloom = if c.chance(1, 2) {
                    let hs = hashes(c);
                    BloomFilter::from_hashes(hs.iter())
                } else {
                    BloomFilter::try_from(c.bytes(24).as_slice()).unwrap_or_default()
                };
                m.have.push(Have { last_sync, bloom });
            }
            5 => m.have.clear(),
            6 | 7 => {
                // One change mutated as bytes, its checksum fixed (mostly).
                let mut changes: Vec<Vec<u8>> = m.changes.iter().map(<[u8]>::to_vec).collect();
                if !changes.is_empty() {
                    let i = c.below(changes.len());
                    let mut rng = Rng::new(c.u64());
                    if let Some(ch) = changes.get_mut(i) {
                        mutate::mutate(ch, &mut rng, &[], 3);
                        if c.chance(3, 4) {
                            *ch = fix_checksums(ch);
                        }
                    }
                    m.changes = changes.into();
                }
            }
            8 => {
                // Changes dropped, doubled or reordered.
                let mut changes: Vec<Vec<u8>> = m.changes.iter().map(<[u8]>::to_vec).collect();
                match c.int(0, 2) {
                    0 => {
                        if !changes.is_empty() {
                            changes.remove(c.below(changes.len()));
                        }
                    }
                    1 => {
                        if let Some(ch) = changes.get(c.below(changes.len())).cloned() {
                            changes.push(ch);
                        }
                    }
                    _ => changes.reverse(),
                }
                m.changes = changes.into();
            }
            9 => {
                // A change of another document.
                let real = real_changes();
                if let Some((_, bytes)) = real.get(c.below(real.len())) {
                    let mut changes: Vec<Vec<u8>> = m.changes.iter().map(<[u8]>::to_vec).collect();
                    changes.insert(c.below(changes.len() + 1), bytes.clone());
                    m.changes = changes.into();
                }
            }
            10 => {
                let mut flags = MessageFlags::new();
                for bit in 0..7 {
                    if c.chance(1, 3) {
                        flags.set(1 << bit);
                    }
                }
                m.flags = if c.chance(1, 4) { None } else { Some(flags) };
            }
            _ => {
                m.version = if c.chance(1, 2) {
                    MessageVersion::V1
                } else {
                    MessageVersion::V2
                };
            }
        }
    }
    // automerge's encoder wants sorted hashes (a debug assertion); raw
    // byte mutation still delivers unsorted ones.
    m.heads.sort();
    m.need.sort();
    for h in &mut m.have {
        h.last_sync.sort();
    }
    m.encode()
}

fn odd_peer(c: &mut Choices<'_>) -> PeerId {
    match c.int(0, 2) {
        0 => session::peer(c.below(4)),
        1 => PeerId::new(session::SERVER).unwrap_or_else(|_| session::peer(9)),
        _ => PeerId::new(c.string()).unwrap_or_else(|_| session::peer(7)),
    }
}

/// Rewrite `frame` by the program `mutation` (see the module docs); a
/// frame that does not decode is delivered as it is.
pub fn mutate_frame(frame: &[u8], mutation: &[u8]) -> Vec<u8> {
    if mutation.is_empty() {
        return frame.to_vec();
    }
    let Ok(mut m) = WireMessage::decode(frame) else {
        return frame.to_vec();
    };
    let mut c = Choices::new(mutation);
    let edits = c.int(1, 3);
    for _ in 0..edits {
        let op = c.int(0, 9);
        m = match (op, m) {
            (
                0..=3,
                WireMessage::Sync {
                    document_id,
                    sender_id,
                    target_id,
                    data,
                },
            ) => WireMessage::Sync {
                document_id,
                sender_id,
                target_id,
                data: mutate_sync(&data, &mut c),
            },
            (
                0..=3,
                WireMessage::Request {
                    document_id,
                    sender_id,
                    target_id,
                    data,
                },
            ) => WireMessage::Request {
                document_id,
                sender_id,
                target_id,
                data: mutate_sync(&data, &mut c),
            },
            (
                4,
                WireMessage::Sync {
                    document_id,
                    sender_id,
                    target_id,
                    data,
                },
            ) => WireMessage::Request {
                document_id,
                sender_id,
                target_id,
                data,
            },
            (
                4,
                WireMessage::Request {
                    document_id,
                    sender_id,
                    target_id,
                    data,
                },
            ) => WireMessage::Sync {
                document_id,
                sender_id,
                target_id,
                data,
            },
            (
                5,
                WireMessage::Sync {
                    sender_id,
                    target_id,
                    data,
                    ..
                },
            )
            | (
                5,
                WireMessage::Request {
                    sender_id,
                    target_id,
                    data,
                    ..
                },
            ) => WireMessage::Sync {
                document_id: session::doc_id(c.below(session::doc_count() + 3)),
                sender_id,
                target_id,
                data,
            },
            (
                6,
                WireMessage::Sync {
                    document_id,
                    target_id,
                    data,
                    ..
                },
            ) => WireMessage::Sync {
                document_id,
                sender_id: odd_peer(&mut c),
                target_id,
                data,
            },
            (
                7,
                WireMessage::Sync {
                    document_id,
                    sender_id,
                    data,
                    ..
                },
            ) => WireMessage::Sync {
                document_id,
                sender_id,
                target_id: odd_peer(&mut c),
                data,
            },
            (
                8,
                WireMessage::Sync {
                    document_id,
                    sender_id,
                    target_id,
                    ..
                },
            )
            | (
                8,
                WireMessage::Request {
                    document_id,
                    sender_id,
                    target_id,
                    ..
                },
            ) => {
                if c.chance(1, 2) {
                    WireMessage::DocUnavailable {
                        document_id,
                        sender_id,
                        target_id,
                    }
                } else {
                    WireMessage::Sync {
                        document_id,
                        sender_id,
                        target_id,
                        data: empty_sync(&mut c),
                    }
                }
            }
            (
                _,
                WireMessage::Register {
                    sender_id,
                    target_id,
                    site,
                    mut purposes,
                },
            ) => {
                match c.int(0, 3) {
                    0 => purposes.push(c.string()),
                    1 => purposes.extend(session_purposes()),
                    2 => purposes.clear(),
                    _ => {}
                }
                purposes.retain(|p| shiftbook_model::protocol::is_purpose(p));
                let site = match c.int(0, 3) {
                    0 => None,
                    1 => Some("other".to_owned()),
                    2 => Some(c.string()),
                    _ => site,
                };
                WireMessage::Register {
                    sender_id: if c.chance(1, 4) {
                        odd_peer(&mut c)
                    } else {
                        sender_id
                    },
                    target_id,
                    site,
                    purposes,
                }
            }
            (9, _) if c.chance(1, 2) => WireMessage::Other { kind: c.string() },
            // A sync message carrying a hostile peer's changes: a real
            // document edited by a mutation program (odd values, times,
            // actors, concurrent edits), its new changes sent whole.
            (
                9,
                WireMessage::Sync {
                    document_id,
                    sender_id,
                    target_id,
                    ..
                },
            )
            | (
                9,
                WireMessage::Request {
                    document_id,
                    sender_id,
                    target_id,
                    ..
                },
            ) => WireMessage::Sync {
                document_id,
                sender_id,
                target_id,
                data: hostile_changes(document_id, &mut c),
            },
            (_, m) => m,
        };
    }
    m.encode()
}

/// `frame` as sent by `sender` (sync, request and register messages; any
/// other frame as it is).
pub fn resend_as(frame: &[u8], sender: &PeerId) -> Vec<u8> {
    let sender_id = sender.clone();
    match WireMessage::decode(frame) {
        Ok(WireMessage::Sync {
            document_id,
            target_id,
            data,
            ..
        }) => WireMessage::Sync {
            document_id,
            sender_id,
            target_id,
            data,
        }
        .encode(),
        Ok(WireMessage::Request {
            document_id,
            target_id,
            data,
            ..
        }) => WireMessage::Request {
            document_id,
            sender_id,
            target_id,
            data,
        }
        .encode(),
        Ok(WireMessage::Register {
            target_id,
            site,
            purposes,
            ..
        }) => WireMessage::Register {
            sender_id,
            target_id,
            site,
            purposes,
        }
        .encode(),
        _ => frame.to_vec(),
    }
}

/// A sync message whose changes are a real session document's, edited by
/// the mutation program in `c` ([`crate::targets::edit`]).
fn hostile_changes(doc_id: DocumentId, c: &mut Choices<'_>) -> Vec<u8> {
    // The document the frame is about (the receiver holds its history),
    // or any other.
    let k = (0..session::doc_count())
        .find(|&k| session::doc_id(k) == doc_id && !c.chance(1, 8))
        .unwrap_or_else(|| c.below(session::doc_count()));
    let Some(base) = session::content(k) else {
        return Vec::new();
    };
    let mut doc = base.clone();
    doc.set_actor(automerge::ActorId::from(vec![0xee; 16]));
    // The hostile peer's own edits may trip automerge (the document
    // targets report that); here only what reaches the receiver counts.
    let edited = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        crate::targets::edit::apply(&mut doc, c);
    }));
    if edited.is_err() {
        return Vec::new();
    }
    let since = if c.chance(1, 2) {
        base.get_heads()
    } else {
        Vec::new()
    };
    let mut theirs = doc.get_changes(&since);
    if c.chance(1, 2) {
        crate::targets::edit::rewrite_last(&mut theirs, c);
    }
    let changes: Vec<Vec<u8>> = theirs.iter().map(|ch| ch.raw_bytes().to_vec()).collect();
    let mut heads = doc.get_heads();
    heads.sort();
    Message {
        heads,
        need: Vec::new(),
        have: vec![Have {
            last_sync: Vec::new(),
            bloom: BloomFilter::default(),
        }],
        changes: changes.into(),
        flags: None,
        version: MessageVersion::V1,
    }
    .encode()
}

fn session_purposes() -> Vec<String> {
    (0..session::doc_count())
        .filter_map(session::purpose)
        .map(str::to_owned)
        .collect()
}

/// A fresh peer's first sync message about nothing (empty heads), or one
/// advertising a real document's heads.
fn empty_sync(c: &mut Choices<'_>) -> Vec<u8> {
    let doc = if c.chance(1, 2) {
        Automerge::new()
    } else {
        session::content(c.below(session::doc_count()))
            .cloned()
            .unwrap_or_default()
    };
    let mut state = automerge::sync::State::new();
    use automerge::sync::SyncDoc;
    doc.generate_sync_message(&mut state)
        .map(Message::encode)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn scripts_round_trip() {
        let steps = vec![
            Step {
                ctl: 3,
                frame: vec![1, 2, 3],
                mutation: vec![],
            },
            Step {
                ctl: 0,
                frame: vec![],
                mutation: vec![9; 5],
            },
        ];
        assert_eq!(parse(&encode(7, &steps)), (7, steps));
        // Cut short, a script still reads.
        let cut = encode(
            7,
            &[Step {
                ctl: 1,
                frame: vec![5; 40],
                mutation: vec![],
            }],
        );
        let (_, steps) = parse(&cut[..10]);
        assert_eq!(steps.len(), 1);
    }
}
