//! Records a newer build of the app wrote that this build cannot read
//! (`shiftbook_model::readable`): the screens leave them out, so the
//! tablet says how many there are and asks for the new build at once
//! rather than at the next half-hourly check. Counted for every document
//! when the store starts and again for each one a merge changes — this
//! tablet's own edits are in its own format.

use super::Store;
use leptos::prelude::*;
use shiftbook_model::DocumentId;
use shiftbook_model::readable::unreadable_records;
use std::collections::BTreeMap;

/// Per document, how many of its records this build cannot read (only
/// documents with some).
#[derive(Debug, Default)]
pub struct NewerRecords {
    by_doc: BTreeMap<DocumentId, usize>,
}

impl NewerRecords {
    /// Record `count` for `id`; the total across documents.
    fn set(&mut self, id: DocumentId, count: usize) -> usize {
        if count == 0 {
            self.by_doc.remove(&id);
        } else {
            self.by_doc.insert(id, count);
        }
        self.by_doc.values().sum()
    }
}

impl Store {
    /// Count again the records of `ids` this build cannot read, update the
    /// banner, and when some appear for the first time ask the page to look
    /// for a new build now.
    pub(super) fn recount_newer_records(&self, ids: &[DocumentId]) {
        let (before, after) = self.with(|inner| {
            let before: usize = inner.newer.by_doc.values().sum();
            let mut after = before;
            for id in ids {
                let count = inner
                    .client
                    .doc(id)
                    .map_or(0, |doc| unreadable_records(doc).unwrap_or(0));
                after = inner.newer.set(*id, count);
            }
            (before, after)
        });
        if after != before {
            self.signals.newer_records.set(after);
        }
        if before == 0 && after > 0 {
            super::web_sys_log(&format!(
                "shiftbook: {after} record(s) from a newer build; looking for it"
            ));
            crate::app_update::look_now();
        }
    }

    /// Count every document held.
    pub(super) fn recount_all_newer_records(&self) {
        let ids: Vec<DocumentId> = self.with(|inner| inner.client.documents().copied().collect());
        self.recount_newer_records(&ids);
    }
}

#[cfg(test)]
mod tests {
    use super::NewerRecords;
    use shiftbook_model::DocumentId;

    #[test]
    fn the_total_follows_each_document_s_latest_count() {
        let a = DocumentId::from_bytes(&[1; 16]).unwrap();
        let b = DocumentId::from_bytes(&[2; 16]).unwrap();
        let mut n = NewerRecords::default();
        assert_eq!(n.set(a, 2), 2);
        assert_eq!(n.set(b, 1), 3);
        assert_eq!(n.set(a, 1), 2, "a count replaces, never adds");
        assert_eq!(n.set(b, 0), 1);
        assert_eq!(n.set(a, 0), 0);
    }
}
