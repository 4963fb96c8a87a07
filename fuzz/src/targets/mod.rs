//! The fuzz targets, by name:
//!
//! * `wire` — [`wire`]: `WireMessage::decode` and the round trip.
//! * `client` — [`client`]: a connected `SyncClient` receiving frames.
//! * `hub` — [`hub`]: the server hub's handling of a connection's frames.
//! * `doc-<family>` — [`docs`]: a document family's read path on
//!   documents loaded from fuzz bytes or mutated through automerge.
//!
//! [`session`], [`script`], [`edit`], [`read`] and [`values`] are what
//! they share.

pub mod client;
pub mod docs;
pub mod edit;
pub mod hub;
pub mod read;
pub mod script;
pub mod session;
pub mod values;
pub mod wire;

use crate::engine::Target;

macro_rules! doc_targets {
    ($($family:literal => $run:ident, $seeds:ident;)*) => {
        $(
            fn $run(input: &[u8]) -> u64 {
                docs::run($family, input)
            }
            fn $seeds() -> Vec<Vec<u8>> {
                docs::seeds($family)
            }
        )*
        /// The document targets.
        fn doc_targets() -> Vec<Target> {
            vec![$(Target {
                name: concat!("doc-", $family),
                about: concat!("the ", $family, " read path on loaded and API-mutated documents"),
                run: $run,
                seeds: $seeds,
            },)*]
        }
    };
}

doc_targets! {
    "checklist" => run_checklist, seeds_checklist;
    "roster" => run_roster, seeds_roster;
    "settings" => run_settings, seeds_settings;
    "templates" => run_templates, seeds_templates;
    "security_log" => run_security_log, seeds_security_log;
    "followup" => run_followup, seeds_followup;
    "complaint" => run_complaint, seeds_complaint;
    "work_permit" => run_work_permit, seeds_work_permit;
    "handover" => run_handover, seeds_handover;
    "handover_pending" => run_handover_pending, seeds_handover_pending;
    "handover_equipment" => run_handover_equipment, seeds_handover_equipment;
    "key_register" => run_key_register, seeds_key_register;
    "duty_log" => run_duty_log, seeds_duty_log;
    "visitor_log" => run_visitor_log, seeds_visitor_log;
    "owner_visit" => run_owner_visit, seeds_owner_visit;
    "show_flat" => run_show_flat, seeds_show_flat;
    "signature" => run_signature, seeds_signature;
}

/// Every target, in the order `--target all` runs them.
pub fn all() -> Vec<Target> {
    let mut out = vec![
        Target {
            name: "wire",
            about: "WireMessage::decode of frames, and the encode/decode round trip",
            run: wire::run,
            seeds: wire::seeds,
        },
        Target {
            name: "client",
            about: "SyncClient::receive of real and mutated server frames",
            run: client::run,
            seeds: client::seeds,
        },
        Target {
            name: "hub",
            about: "the hub's handling of real and mutated frames from authenticated connections",
            run: hub::run,
            seeds: hub::seeds,
        },
    ];
    out.extend(doc_targets());
    out
}

/// The target `name`.
pub fn by_name(name: &str) -> Option<Target> {
    all().into_iter().find(|t| t.name == name)
}
