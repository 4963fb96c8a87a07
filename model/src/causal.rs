//! Which appended events their writers had seen: the means to tell "B
//! corrected A after seeing it" from "A and B were written concurrently,
//! neither seeing the other" — which list order alone cannot tell.
//!
//! An event appended as a fresh map has an id that is the same on every
//! replica: the automerge id of its map (`crate::readable::maps`). An event that
//! answers earlier ones stores in `after` the ids of the latest of them its
//! writer held (the heads). [`Seen`] closes those links transitively, so
//! [`Seen::latest`] picks, from any set of events, those no other event of
//! the set was written after seeing: one when the events form a chain,
//! several when they were written concurrently — a conflict to show, never
//! one to resolve silently.
//!
//! Ids in `after` that the document does not hold (a hand-crafted or
//! damaged document) are ignored; links never form a cycle in documents
//! this crate writes (an event can only name events that existed before
//! it), and a cycle in a damaged one neither hangs the walk nor hides its
//! events.

use crate::ModelError;
use automerge::{Automerge, ObjId};
use std::collections::{BTreeMap, BTreeSet};

/// The ids of the maps of `list`, in list order.
pub(crate) fn ids(doc: &Automerge, list: &ObjId) -> Result<Vec<String>, ModelError> {
    Ok(crate::readable::list_maps(doc, list)
        .iter()
        .map(ToString::to_string)
        .collect())
}

/// For each event, every event its writer had seen (transitively).
#[derive(Debug, Clone, Default)]
pub(crate) struct Seen {
    seen: BTreeMap<String, BTreeSet<String>>,
}

impl Seen {
    /// The links of `events`: each event's id and its `after`.
    pub(crate) fn new<'a>(events: impl IntoIterator<Item = (&'a str, &'a [String])>) -> Self {
        let direct: BTreeMap<&str, &[String]> = events.into_iter().collect();
        let mut seen = BTreeMap::new();
        for &id in direct.keys() {
            let mut reached: BTreeSet<String> = BTreeSet::new();
            let mut stack: Vec<&str> = vec![id];
            while let Some(next) = stack.pop() {
                for earlier in direct.get(next).copied().unwrap_or_default() {
                    if direct.contains_key(earlier.as_str()) && reached.insert(earlier.clone()) {
                        stack.push(earlier);
                    }
                }
            }
            seen.insert(id.to_owned(), reached);
        }
        Self { seen }
    }

    /// Whether the writer of `later` had seen `earlier`.
    pub(crate) fn saw(&self, later: &str, earlier: &str) -> bool {
        later != earlier && self.seen.get(later).is_some_and(|s| s.contains(earlier))
    }

    /// The ids among `ids` that no other id among them was written after
    /// seeing, in the order given. Never empty for a non-empty `ids`: in a
    /// damaged document whose links form a cycle, every id is returned
    /// (shown as concurrent rather than hidden).
    pub(crate) fn latest<'a>(&self, ids: &[&'a str]) -> Vec<&'a str> {
        let latest: Vec<&str> = ids
            .iter()
            .copied()
            .filter(|id| !ids.iter().any(|other| self.saw(other, id)))
            .collect();
        if latest.is_empty() {
            ids.to_vec()
        } else {
            latest
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(pairs: &[(&str, &[&str])]) -> Vec<(String, Vec<String>)> {
        pairs
            .iter()
            .map(|(id, after)| {
                (
                    (*id).to_owned(),
                    after.iter().map(|a| (*a).to_owned()).collect(),
                )
            })
            .collect()
    }

    fn seen(pairs: &[(&str, &[&str])]) -> Seen {
        let owned = links(pairs);
        Seen::new(
            owned
                .iter()
                .map(|(id, after)| (id.as_str(), after.as_slice())),
        )
    }

    #[test]
    fn a_chain_has_one_latest_and_concurrent_events_several() {
        // a ← b ← d, a ← c (c concurrent with b and d), e saw d and c.
        let s = seen(&[
            ("a", &[]),
            ("b", &["a"]),
            ("c", &["a"]),
            ("d", &["b"]),
            ("e", &["d", "c"]),
        ]);
        assert!(s.saw("d", "a"), "transitively");
        assert!(!s.saw("c", "b") && !s.saw("b", "c"));
        assert!(!s.saw("a", "a"));
        assert_eq!(s.latest(&["a", "b", "d"]), vec!["d"]);
        assert_eq!(s.latest(&["b", "c"]), vec!["b", "c"]);
        assert_eq!(s.latest(&["c", "d"]), vec!["c", "d"]);
        assert_eq!(s.latest(&["a", "b", "c", "d", "e"]), vec!["e"]);
        assert_eq!(s.latest(&[]), Vec::<&str>::new());
    }

    #[test]
    fn unknown_links_are_ignored_and_cycles_end() {
        let s = seen(&[("a", &["zz"]), ("b", &["c"]), ("c", &["b"])]);
        assert!(!s.saw("a", "zz"));
        assert_eq!(s.latest(&["a"]), vec!["a"]);
        // A damaged document's cycle: each "saw" the other; both are shown.
        assert!(s.saw("b", "c") && s.saw("c", "b"));
        assert_eq!(s.latest(&["b", "c"]), vec!["b", "c"]);
    }
}
