//! The document targets, one per family (`doc-<family>`): a family's read
//! path ([`super::read`]) fed with documents made from fuzz input.
//!
//! Input format — the first byte chooses:
//!
//! * **raw** (first byte ≡ 0 mod 4): the rest is automerge bytes, as a
//!   corrupted storage or a hostile upload would hold them. Like the
//!   server does with every upload, they are first counted against
//!   [`sync_server::hub::MESSAGE_BUDGET`] ([`chunk_budget`]); only what
//!   passes reaches automerge — automerge expands run lengths before it
//!   can refuse anything (a 951-byte document claiming 242 trillion
//!   changes made `Automerge::load` allocate beyond 8 GiB), so automerge
//!   behind the budget is what a hostile peer can reach. What passes is
//!   loaded with `Automerge::load` as it is and with its chunk checksums
//!   recomputed ([`crate::chunks`]), and applied with `load_incremental`
//!   to one of the family's real documents (the app merges what storage
//!   holds that way); whatever loads is read. The corpus holds every seed
//!   document saved, and its changes.
//! * **program** (any other first byte): the next byte picks one of the
//!   family's real documents ([`crate::seeds`]) and the rest is a
//!   mutation program ([`super::edit`]) applied to it through automerge's
//!   API; the result is read. Every fourth program also saves the
//!   mutated document and loads it back: what automerge saved must load.

use crate::chunks::fix_checksums;
use crate::rng::Rng;
use crate::targets::edit;
use crate::targets::read::{self, Probe};
use crate::targets::values::Choices;
use automerge::Automerge;
use shiftbook_model::chunk_budget;
use std::collections::BTreeMap;
use std::sync::OnceLock;
use sync_server::hub::MESSAGE_BUDGET;

/// The families with a document target, as `seeds::family` names them.
pub const FAMILIES: [&str; 17] = [
    "checklist",
    "roster",
    "settings",
    "templates",
    "security_log",
    "followup",
    "complaint",
    "work_permit",
    "handover",
    "handover_pending",
    "handover_equipment",
    "key_register",
    "duty_log",
    "visitor_log",
    "owner_visit",
    "show_flat",
    "signature",
];

/// The seed documents of `family`, built once.
pub fn documents(family: &str) -> &'static [Automerge] {
    static ALL: OnceLock<BTreeMap<&'static str, Vec<Automerge>>> = OnceLock::new();
    let all = ALL.get_or_init(|| {
        FAMILIES
            .iter()
            .map(|f| match crate::seeds::family(f) {
                Ok(docs) => (*f, docs),
                Err(e) => panic!("the seed documents of {f} cannot be built: {e}"),
            })
            .collect()
    });
    all.get(family).map_or(&[], Vec::as_slice)
}

/// Run one input of the family's target.
pub fn run(family: &str, input: &[u8]) -> u64 {
    let docs = documents(family);
    let mut p = Probe::default();
    let Some((&mode, rest)) = input.split_first() else {
        return 0;
    };
    if mode % 4 == 0 {
        p.res("raw", &Ok::<(), String>(()));
        let fixed = fix_checksums(rest);
        let mut tried = vec![rest];
        if fixed != rest {
            tried.push(&fixed);
        }
        // Checksums do not change the count: one count for both.
        if !p.res("budget", &chunk_budget::count(&fixed, &MESSAGE_BUDGET)) {
            return p.finish();
        }
        for bytes in tried {
            let loaded = Automerge::load(bytes);
            if p.res("load", &loaded)
                && let Ok(doc) = loaded
            {
                read::read(family, &doc, &mut p);
            }
        }
        if let Some(base) = docs.get(usize::from(mode >> 2) % docs.len().max(1)) {
            let mut doc = base.clone();
            let applied = doc.load_incremental(&fixed);
            if p.res("load_incremental", &applied) {
                read::read(family, &doc, &mut p);
            }
        }
    } else {
        let mut c = Choices::new(rest);
        let Some(base) = docs.get(usize::from(c.byte()) % docs.len().max(1)) else {
            return 0;
        };
        let mut doc = base.clone();
        edit::apply(&mut doc, &mut c);
        read::read(family, &doc, &mut p);
        if mode % 4 == 1 {
            let saved = doc.save();
            match Automerge::load(&saved) {
                Ok(again) => {
                    if again.get_heads() != doc.get_heads() {
                        panic!("a saved document loads with other heads");
                    }
                }
                Err(e) => panic!("a document automerge saved does not load: {e}"),
            }
        }
    }
    p.finish()
}

/// The corpus seeds of `family`: every seed document saved (raw mode),
/// its changes as a server stores them (raw mode, applied to a base), and
/// a few short mutation programs over each.
pub fn seeds(family: &str) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut rng = Rng::for_target(1, family);
    for (i, doc) in documents(family).iter().enumerate() {
        let mut raw = vec![0u8];
        raw.extend(doc.save());
        out.push(raw);
        let changes: Vec<u8> = doc
            .get_changes(&[])
            .iter()
            .flat_map(|c| c.raw_bytes().to_vec())
            .collect();
        if !changes.is_empty() {
            let mut inc = vec![(i as u8) << 2];
            inc.extend(changes);
            out.push(inc);
        }
        for mode in [1u8, 2] {
            let mut program = vec![mode, i as u8];
            program.extend(rng.bytes(40));
            out.push(program);
        }
    }
    out
}
