//! Server receipt times: when the sync server first held each change
//! (`GET /api/receipts/<doc>`), shown next to the device time of a mark.
//!
//! The device time says when the person made the change by the tablet's
//! clock (which may be wrong or the change may have waited offline for
//! hours); the receipt says when the server got it by the server's clock.
//! Receipts are fetched after the server confirmed or sent changes, cached
//! in the device's storage (`shiftbook.receipts.<doc>`) so they show
//! offline, and fetched again on the store's timer while some confirmed
//! change still lacks one (the server records receipts a moment after it
//! answers a sync message).
//!
//! Rounds and complaint boards show receipts (a complaint's steps have
//! deadlines, so when the server got each step matters as much as the
//! tablet's clock), so only theirs are fetched and cached ([`shown_for`]):
//! a receipt takes ≈ 80 characters per change (≈ 80 KiB for a month of
//! 100 complaints of ten steps), and the open indexes and other boards
//! change thousands of times a month. Caches of other documents, and of
//! documents no longer stored, are pruned at start ([`prune`]); a
//! document's cache goes with it ([`forget`]).

use automerge::{Automerge, ChangeHash};
use shiftbook_model::DocumentId;
use shiftbook_model::genesis::is_genesis_actor;
use std::collections::{BTreeMap, BTreeSet};

/// Receipt times (server ms) by change hash (hex), per document.
pub type Receipts = BTreeMap<DocumentId, BTreeMap<String, i64>>;

/// The uploader the server recorded for changes whose attribution names
/// another device (change hash → uploader), per document: the only
/// uploads worth keeping, since they make a change unconfirmed
/// (`attribution_check`). Usually empty.
pub type Uploads = BTreeMap<DocumentId, BTreeMap<String, String>>;

/// Storage key prefix of cached receipts.
pub const RECEIPTS_PREFIX: &str = "shiftbook.receipts.";

/// Storage key prefix of cached differing uploads.
pub const UPLOADS_PREFIX: &str = "shiftbook.uploads.";

/// The cached receipts of `ids`.
pub fn load<'a>(ids: impl Iterator<Item = &'a DocumentId>) -> Receipts {
    ids.filter_map(|id| {
        let raw = crate::platform::storage::read_raw(&format!("{RECEIPTS_PREFIX}{id}"))?;
        let map: BTreeMap<String, i64> = serde_json::from_str(&raw).ok()?;
        Some((*id, map))
    })
    .collect()
}

/// The cached differing uploads of `ids`.
pub fn load_uploads<'a>(ids: impl Iterator<Item = &'a DocumentId>) -> Uploads {
    ids.filter_map(|id| {
        let raw = crate::platform::storage::read_raw(&format!("{UPLOADS_PREFIX}{id}"))?;
        let map: BTreeMap<String, String> = serde_json::from_str(&raw).ok()?;
        Some((*id, map))
    })
    .collect()
}

/// Of `uploaded_by`, the changes of `doc` whose attribution names another
/// device than the uploader (unattributed changes claim nothing).
pub fn differing(
    doc: &Automerge,
    uploaded_by: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    if uploaded_by.is_empty() {
        return BTreeMap::new();
    }
    let devices: BTreeMap<String, String> = shiftbook_model::attribution::history(doc)
        .into_iter()
        .filter_map(|c| Some((c.hash, c.attribution?.device)))
        .collect();
    uploaded_by
        .iter()
        .filter(|(hash, by)| devices.get(*hash).is_some_and(|d| d != *by))
        .map(|(h, b)| (h.clone(), b.clone()))
        .collect()
}

/// Whether a screen shows receipts for `doc`: rounds (checklists) and
/// complaint boards.
pub fn shown_for(doc: &Automerge) -> bool {
    shiftbook_model::checklist::Checklist::new(doc).is_ok()
        || shiftbook_model::genesis::expect_schema(doc, shiftbook_model::complaint::SCHEMA).is_ok()
}

/// Which change each author wrote when: (device time, device, person id)
/// → change hash (hex), from the attributed history. An event carries the
/// same three as the change that appended it, so this finds an event's
/// receipt.
pub fn by_author(doc: &Automerge) -> BTreeMap<(i64, String, String), String> {
    shiftbook_model::attribution::history(doc)
        .into_iter()
        .filter_map(|c| {
            let a = c.attribution?;
            Some(((a.at_ms, a.device, a.person_id), c.hash))
        })
        .collect()
}

/// Delete `id`'s cached receipts and uploads; the bytes freed.
pub fn forget(id: &DocumentId) -> usize {
    crate::platform::storage::remove_raw(&format!("{RECEIPTS_PREFIX}{id}"))
        + crate::platform::storage::remove_raw(&format!("{UPLOADS_PREFIX}{id}"))
}

/// Delete the cached receipts of every document `keep` refuses (not held,
/// or not a round); the bytes freed.
pub fn prune(keep: impl Fn(&DocumentId) -> bool) -> usize {
    [RECEIPTS_PREFIX, UPLOADS_PREFIX]
        .iter()
        .flat_map(|prefix| {
            crate::platform::storage::keys_with_prefix(prefix)
                .into_iter()
                .filter(|key| {
                    key.strip_prefix(prefix)
                        .and_then(|id| id.parse::<DocumentId>().ok())
                        .is_none_or(|id| !keep(&id))
                })
                .collect::<Vec<_>>()
        })
        .map(|key| crate::platform::storage::remove_raw(&key))
        .sum()
}

/// Hashes (hex) of the changes of `doc` in the causal past of `confirmed`
/// that have no receipt in `known`, genesis changes excepted.
pub fn missing(
    doc: &Automerge,
    confirmed: &[ChangeHash],
    known: Option<&BTreeMap<String, i64>>,
) -> Vec<String> {
    let present = shiftbook_model::heads::held(doc, confirmed);
    if present.is_empty() {
        return Vec::new();
    }
    let after: BTreeSet<ChangeHash> = doc
        .get_changes_meta(&present)
        .iter()
        .map(|c| c.hash)
        .collect();
    doc.get_changes_meta(&[])
        .iter()
        .filter(|c| !is_genesis_actor(&c.actor) && !after.contains(&c.hash))
        .map(|c| c.hash.to_string())
        .filter(|h| known.is_none_or(|k| !k.contains_key(h)))
        .collect()
}

/// Add `fresh` to `known`; whether anything was new or different.
pub fn merge(known: &mut BTreeMap<String, i64>, fresh: BTreeMap<String, i64>) -> bool {
    let mut changed = false;
    for (hash, ms) in fresh {
        if known.get(&hash) != Some(&ms) {
            known.insert(hash, ms);
            changed = true;
        }
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::{ActorId, ROOT, transaction::Transactable};

    fn edit(doc: &mut Automerge, n: i64) -> ChangeHash {
        doc.transact::<_, _, automerge::AutomergeError>(|tx| {
            tx.put(ROOT, "n", n)?;
            Ok(())
        })
        .unwrap()
        .hash
        .unwrap()
    }

    #[test]
    fn only_confirmed_non_genesis_changes_without_a_receipt_are_missing() {
        let mut doc = shiftbook_model::settings::genesis("demo").unwrap();
        let genesis = doc.get_heads();
        doc.set_actor(ActorId::from(vec![1; 16]));
        let a = edit(&mut doc, 1);
        let b = edit(&mut doc, 2);
        let _unconfirmed = edit(&mut doc, 3);
        assert!(
            missing(&doc, &genesis, None).is_empty(),
            "genesis is nobody's"
        );
        assert!(missing(&doc, &[], None).is_empty(), "nothing confirmed");
        assert_eq!(
            missing(&doc, &[b], None),
            vec![a.to_string(), b.to_string()]
        );
        let known = BTreeMap::from([(a.to_string(), 5)]);
        assert_eq!(missing(&doc, &[b], Some(&known)), vec![b.to_string()]);
        let unknown_head = ChangeHash([9; 32]);
        assert!(missing(&doc, &[unknown_head], None).is_empty());
    }

    #[test]
    fn a_change_is_found_by_who_wrote_it_on_which_device_when() {
        use shiftbook_model::attribution::Attribution;
        use shiftbook_model::settings::{self, Setting};
        let mut doc = settings::genesis("demo").unwrap();
        doc.set_actor(ActorId::from(vec![1; 16]));
        let by = Attribution {
            person_id: "zhang".into(),
            person: "张伟".into(),
            role: shiftbook_model::roster::Role::Supervisor,
            device: "桌面".into(),
            at_ms: 5_000,
        };
        let hash = settings::set(&mut doc, Setting::IdleSignOutMinutes, 5, &by).unwrap();
        let authors = by_author(&doc);
        assert_eq!(
            authors.get(&(5_000, "桌面".to_owned(), "zhang".to_owned())),
            Some(&hash.to_string())
        );
        assert_eq!(authors.len(), 1, "the genesis is nobody's");
    }

    #[test]
    fn rounds_and_complaint_boards_show_receipts() {
        let round = shiftbook_model::checklist::genesis(
            "demo",
            &shiftbook_model::template::lobby_opening().id,
            "2026-11-23",
        )
        .unwrap();
        assert!(shown_for(&round));
        let complaints = shiftbook_model::complaint::genesis("demo", "2026-11").unwrap();
        assert!(shown_for(&complaints));
        let index = shiftbook_model::visitor_log::index_genesis("demo").unwrap();
        assert!(!shown_for(&index));
        assert!(!shown_for(&Automerge::new()));
    }

    #[test]
    fn merging_reports_news_only() {
        let mut known = BTreeMap::from([("a".to_owned(), 1)]);
        assert!(!merge(&mut known, BTreeMap::from([("a".to_owned(), 1)])));
        assert!(merge(&mut known, BTreeMap::from([("b".to_owned(), 2)])));
        assert_eq!(known.len(), 2);
    }
}
