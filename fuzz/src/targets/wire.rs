//! The `wire` target: `WireMessage::decode` of arbitrary frames, and for
//! every frame that decodes, the round trip — encode what was decoded,
//! decode it again: the message must be equal and its encoding stable.
//!
//! Seeds: every message kind as the model's encoder writes it, with real
//! sync messages inside, and the frames a real `SyncClient` sends.

use crate::engine::{Sig, error_kind};
use crate::targets::session;
use shiftbook_model::protocol::{PeerId, WireMessage};

/// Decode `input`; round-trip what decodes.
pub fn run(input: &[u8]) -> u64 {
    let mut sig = Sig::default();
    match WireMessage::decode(input) {
        Ok(m) => {
            sig.str(m.kind());
            if let WireMessage::Join {
                is_ephemeral,
                supported_protocol_versions,
                ..
            } = &m
            {
                sig.num(u64::from(*is_ephemeral))
                    .num(supported_protocol_versions.len() as u64);
            }
            if let WireMessage::Register { site, purposes, .. } = &m {
                sig.num(u64::from(site.is_some()))
                    .num(purposes.len().min(4) as u64);
            }
            let encoded = m.encode();
            match WireMessage::decode(&encoded) {
                Ok(again) => {
                    if again != m {
                        panic!("the round trip changed the message: {m:?} became {again:?}");
                    }
                    if again.encode() != encoded {
                        panic!("encoding {m:?} is not stable");
                    }
                }
                Err(e) => panic!("a re-encoded frame does not decode: {e} ({m:?})"),
            }
        }
        Err(e) => {
            sig.str("error").str(error_kind(&e.to_string()));
        }
    }
    sig.finish()
}

/// Every message kind, encoded by the model, and a real client's frames.
pub fn seeds() -> Vec<Vec<u8>> {
    let peer = |s: &str| PeerId::new(s).ok();
    let mut out = session::client_frames();
    out.extend(session::server_frames());
    let (Some(a), Some(b)) = (peer("shiftbook-0011223344556677"), peer("server")) else {
        return out;
    };
    let doc = session::doc_id(0);
    let messages = [
        WireMessage::Join {
            sender_id: a.clone(),
            supported_protocol_versions: vec!["1".into()],
            is_ephemeral: true,
        },
        WireMessage::Peer {
            sender_id: b.clone(),
            target_id: a.clone(),
            selected_protocol_version: "1".into(),
        },
        WireMessage::Leave {
            sender_id: a.clone(),
        },
        WireMessage::DocUnavailable {
            document_id: doc,
            sender_id: b.clone(),
            target_id: a.clone(),
        },
        WireMessage::Error {
            message: "bad frame".into(),
        },
        WireMessage::Register {
            sender_id: a.clone(),
            target_id: b.clone(),
            site: Some("demo".into()),
            purposes: vec!["roster".into(), "duty-log/2026-11-25".into()],
        },
        WireMessage::Other {
            kind: "ephemeral".into(),
        },
    ];
    out.extend(messages.iter().map(WireMessage::encode));
    out
}
