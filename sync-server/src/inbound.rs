//! What one frame of an authenticated sync connection asks of the hub:
//! the socket adapter ([`crate::sync_socket`]), the fuzzer's hub target and
//! the fault simulation share this, so all feed the hub exactly what a
//! real socket would.
//!
//! A `request`/`sync` becomes a message about its document; each purpose
//! of a `register` becomes a registration of the id derived from the
//! *authenticated* principal's site key. A frame that cannot be decoded,
//! claims another sender than the connection's peer id, is a second
//! `join`, or registers for a site the caller does not act for is an
//! error: the connection closes with that reason.

use crate::hub::{ConnId, Input};
use crate::principal::Principal;
use shiftbook_model::protocol::{PeerId, WireMessage};

/// The hub inputs of `frame` from connection `conn` (peer id `peer`,
/// authenticated as `who`); `Err(reason)` closes the connection.
pub fn hub_inputs(
    conn: ConnId,
    peer: &PeerId,
    who: &Principal,
    frame: &[u8],
) -> Result<Vec<Input>, String> {
    let message = WireMessage::decode(frame).map_err(|e| format!("undecodable frame: {e}"))?;
    match message {
        WireMessage::Request {
            document_id,
            sender_id,
            data,
            ..
        }
        | WireMessage::Sync {
            document_id,
            sender_id,
            data,
            ..
        } => {
            if sender_id != *peer {
                return Err("a message claimed another sender".into());
            }
            Ok(vec![Input::Message {
                conn,
                doc: document_id,
                data,
            }])
        }
        WireMessage::Register {
            sender_id,
            site,
            purposes,
            ..
        } => {
            if sender_id != *peer {
                return Err("a message claimed another sender".into());
            }
            purposes
                .into_iter()
                .map(|purpose| {
                    let (site, doc) = who
                        .derive(site.as_deref(), &purpose)
                        .ok_or("registration for a site the caller does not act for")?;
                    Ok(Input::Register {
                        conn,
                        doc,
                        site,
                        purpose,
                    })
                })
                .collect()
        }
        WireMessage::Join { .. } => Err("a second join".into()),
        WireMessage::Error { message } => {
            tracing::warn!(peer = %peer, %message, "client reported a protocol error");
            Ok(Vec::new())
        }
        // The client closes the socket itself after `leave`; a
        // `doc-unavailable` means it has not got a document we sent about;
        // other types (ephemeral, gossip) this server does not act on.
        WireMessage::Leave { .. }
        | WireMessage::DocUnavailable { .. }
        | WireMessage::Peer { .. }
        | WireMessage::Other { .. } => Ok(Vec::new()),
    }
}
