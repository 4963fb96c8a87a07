//! The `hub` target: the sync server's frame handling. A frame script
//! ([`super::script`]) is delivered to the sans-IO [`sync_server::hub::Hub`]
//! through the socket adapter's inbound handling ([`super::session`]):
//! decoded as `sync_socket` decodes it, the sender checked, registrations
//! derived from the caller's own site key, sync messages handed to the
//! hub, whose loads and writes an in-memory storage answers.
//!
//! Header byte: which session documents storage already holds (bits 0–1).
//! Each step's `ctl`: the connection that sends (bits 0–1: the site's
//! device, another site's device, a supervisor of both; 3 is the device),
//! how storage answers afterwards (bits 2–3: at once, failing the first
//! operation, held back, refusing with another site's ownership or the
//! daily limit), and what happens next (bits 4–5: nothing, a tick past
//! the retry delay, the sender reconnects, a tick past the idle unload);
//! bit 6 makes the frame the sender's own (its peer id as `senderId`), so
//! another connection's frames get past the sender check.
//! After the script, storage answers everything and time passes, so held
//! and failed operations complete.
//!
//! Oracles besides "no panic": every frame the hub sends decodes (and the
//! sync message inside it), and every change it hands to storage loads.

use crate::engine::{Sig, error_kind};
use crate::targets::script::{self, Step};
use crate::targets::session::{self, Harness, StoragePolicy};

/// What storage holds at the start, by header.
fn stored(header: u8) -> &'static [usize] {
    match header & 3 {
        0 => &[0, 2, 3, 5],
        1 => &[],
        2 => &[0, 1, 2, 3, 4, 5],
        _ => &[0],
    }
}

/// Run one script.
pub fn run(input: &[u8]) -> u64 {
    let (header, steps) = script::parse(input);
    let mut h = Harness::new(stored(header));
    for step in &steps {
        let slot = usize::from(step.ctl & 3) % 3;
        h.connect(slot);
        let mut frame = script::mutate_frame(&step.frame, &step.mutation);
        if step.ctl & 0x40 != 0 {
            frame = script::resend_as(&frame, &session::peer(slot));
        }
        h.inbound(slot, &frame);
        let policy = match (step.ctl >> 2) & 3 {
            0 => StoragePolicy::Answer,
            1 => StoragePolicy::FailFirst,
            2 => StoragePolicy::Hold,
            _ => StoragePolicy::Refuse,
        };
        h.storage(policy);
        match (step.ctl >> 4) & 3 {
            1 => h.tick(sync_server::hub::RETRY_MS + 1),
            2 => {
                h.disconnect(slot);
                h.connect(slot);
            }
            3 => h.tick(session::IDLE_MS + 1),
            _ => {}
        }
    }
    for _ in 0..4 {
        h.storage(StoragePolicy::Answer);
        h.tick(sync_server::hub::RETRY_MS + 1);
    }
    let mut sig = Sig::default();
    for reason in &h.closed {
        sig.str(error_kind(reason));
    }
    for (slot, frame) in &h.sent {
        sig.num(*slot as u64);
        if let Ok(m) = shiftbook_model::protocol::WireMessage::decode(frame) {
            sig.str(m.kind());
        }
    }
    let stats = h.stats();
    sig.num(stats.loaded as u64).num(stats.slots as u64);
    sig.finish()
}

/// A real client's frames (after its join, which the adapter answers),
/// sent by each of the three connections in turn.
pub fn seeds() -> Vec<Vec<u8>> {
    let frames: Vec<Vec<u8>> = session::client_frames().into_iter().skip(1).collect();
    let mut out = Vec::new();
    for (header, ctl) in [(0u8, 0u8), (1, 0), (0, 0x41), (2, 0x42), (0, 0x14)] {
        let steps: Vec<Step> = frames
            .iter()
            .map(|f| Step {
                ctl,
                frame: f.clone(),
                mutation: Vec::new(),
            })
            .collect();
        out.push(script::encode(header, &steps));
    }
    // Each frame alone, mutated once by a short program.
    for (i, f) in frames.iter().enumerate() {
        out.push(script::encode(
            0,
            &[Step {
                ctl: 0,
                frame: f.clone(),
                mutation: vec![i as u8, 0x40, 0x17, 0x99, (i * 37) as u8],
            }],
        ));
    }
    out
}
