//! Records a newer build of the app wrote that this build cannot read
//! (`shiftbook_model::readable`): the screens leave them out, so the
//! tablet says how many there are and asks for the new build at once
//! rather than at the next half-hourly check.
//!
//! Counting means hydrating every record of a document again (≈ 70 ms for
//! a month of 100 closed complaints natively, more in the browser;
//! `--example doc_sizes`), so it never runs inside a merge or at start-up
//! in one go: documents are queued (every held one at start, each one a
//! merge changes — this tablet's own edits are in its own format) and
//! counted one per timer tick after a short pause, so a burst of merges
//! counts each document once and the screen stays responsive.

use super::Store;
use leptos::prelude::*;
use leptos::wasm_split::{SplitLoaderError, wasm_split};
use shiftbook_model::DocumentId;
use shiftbook_model::readable::unreadable_records;
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

/// The pause before counting what was queued (merges come in bursts).
const SETTLE: Duration = Duration::from_secs(2);

/// What is counted and what waits to be.
#[derive(Debug, Default)]
pub struct NewerRecords {
    /// Per document, how many of its records this build cannot read (only
    /// documents with some).
    by_doc: BTreeMap<DocumentId, usize>,
    /// Documents waiting to be counted.
    queued: BTreeSet<DocumentId>,
    /// A count is scheduled.
    scheduled: bool,
}

impl NewerRecords {
    /// Record `count` for `id`; the total across documents.
    fn set(&mut self, id: DocumentId, count: usize) -> usize {
        if count == 0 {
            self.by_doc.remove(&id);
        } else {
            self.by_doc.insert(id, count);
        }
        self.total()
    }

    fn total(&self) -> usize {
        self.by_doc.values().sum()
    }

    /// Queue `ids`; whether a count must be scheduled (none is yet).
    fn queue(&mut self, ids: impl IntoIterator<Item = DocumentId>) -> bool {
        self.queued.extend(ids);
        !self.queued.is_empty() && !std::mem::replace(&mut self.scheduled, true)
    }

    /// `id`, taken with [`Self::next`] but not counted: queued again, and
    /// nothing scheduled until the next change queues more.
    fn give_back(&mut self, id: DocumentId) {
        self.queued.insert(id);
        self.scheduled = false;
    }

    /// The next document to count, or `None` (and nothing scheduled) when
    /// the queue is empty.
    fn next(&mut self) -> Option<DocumentId> {
        let next = self.queued.pop_first();
        if next.is_none() {
            self.scheduled = false;
        }
        next
    }
}

impl Store {
    /// Count the records of `ids` this build cannot read, soon.
    pub(crate) fn recount_newer_records(&self, ids: impl IntoIterator<Item = DocumentId>) {
        if self.with(|inner| inner.newer.queue(ids)) {
            let store = self.clone();
            set_timeout(move || store.count_next_newer(), SETTLE);
        }
    }

    /// Queue every document held.
    pub(crate) fn recount_all_newer_records(&self) {
        let ids: Vec<DocumentId> = self.with(|inner| inner.client.documents().copied().collect());
        self.recount_newer_records(ids);
    }

    /// Count one queued document, update the banner (and when records from
    /// a newer build appear, ask the page to look for it), and go on with
    /// the next one on the next tick.
    fn count_next_newer(&self) {
        let Some(id) = self.with(|inner| inner.newer.next()) else {
            return;
        };
        let store = self.clone();
        leptos::task::spawn_local(async move {
            let count = match unreadable_in(store.clone(), id).await {
                Ok(count) => count,
                Err(e) => {
                    // Offline before the piece was kept: count again with
                    // the next change (the document stays queued).
                    crate::platform::log::web_sys_log(&format!(
                        "shiftbook: records of a newer build not counted: {e}"
                    ));
                    store.with(|inner| inner.newer.give_back(id));
                    return;
                }
            };
            store.counted_newer(id, count);
        });
    }

    fn counted_newer(&self, id: DocumentId, count: usize) {
        let (before, after) = self.with(|inner| {
            let before = inner.newer.total();
            (before, inner.newer.set(id, count))
        });
        if after != before {
            self.signals.newer_records.set(after);
        }
        if before == 0 && after > 0 {
            crate::platform::log::web_sys_log(&format!(
                "shiftbook: {after} record(s) from a newer build; looking for it"
            ));
            crate::platform::app_update::look_now();
        }
        let store = self.clone();
        set_timeout(move || store.count_next_newer(), Duration::ZERO);
    }
}

/// How many records of `id` this build cannot read: a split point into the
/// engine's piece, as counting hydrates every record of every family,
/// which the main module must not hold.
#[allow(unsafe_code, improper_ctypes_definitions)] // an extern "C" import the build links (wasm-split)
#[wasm_split(engine, wasm_split_path = ::leptos::wasm_split, fallible)]
fn unreadable_in(store: Store, id: DocumentId) -> Result<usize, SplitLoaderError> {
    Ok(store.with(|inner| {
        inner
            .client
            .doc(&id)
            .map_or(0, |doc| unreadable_records(doc).unwrap_or(0))
    }))
}

#[cfg(test)]
mod tests {
    use super::NewerRecords;
    use shiftbook_model::DocumentId;

    fn id(n: u8) -> DocumentId {
        DocumentId::from_random([n; 16])
    }

    #[test]
    fn the_total_follows_each_document_s_latest_count() {
        let mut n = NewerRecords::default();
        assert_eq!(n.set(id(1), 2), 2);
        assert_eq!(n.set(id(2), 1), 3);
        assert_eq!(n.set(id(1), 1), 2, "a count replaces, never adds");
        assert_eq!(n.set(id(2), 0), 1);
        assert_eq!(n.set(id(1), 0), 0);
    }

    #[test]
    fn a_burst_of_changes_schedules_one_count_of_each_document() {
        let mut n = NewerRecords::default();
        assert!(n.queue([id(1)]), "the first schedules");
        assert!(!n.queue([id(2), id(1)]), "later ones join the queue");
        assert!(!n.queue([]));
        let mut counted = vec![];
        while let Some(d) = n.next() {
            counted.push(d);
        }
        assert_eq!(counted, [id(1), id(2)], "each once");
        assert!(!n.queue([]), "an empty queue schedules nothing");
        assert!(n.queue([id(3)]), "the queue ran dry: a new one schedules");
    }

    #[test]
    fn a_document_given_back_is_counted_with_the_next_change() {
        let mut n = NewerRecords::default();
        assert!(n.queue([id(1)]));
        let taken = n.next().unwrap();
        n.give_back(taken);
        assert!(n.queue([]), "the next change schedules the count again");
        assert_eq!(n.next(), Some(id(1)));
        assert_eq!(n.next(), None);
    }
}
