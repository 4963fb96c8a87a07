//! The store's side of the retention policy ([`crate::core::retention`]), so the
//! tablet's storage does not fill up with months of finished records:
//!
//! * at start, after reading storage and before connecting, documents the
//!   policy removes under [`RetentionPeriod::NORMAL`] are deleted from
//!   storage and not loaded (nor synced on every connect), and cached
//!   receipts no screen shows are pruned;
//! * when storage refuses a write for lack of space, synced documents
//!   unchanged for [`RetentionPeriod::UNDER_PRESSURE`] are deleted (the
//!   copy in memory and the stored one must both be removable), and the
//!   store tries the write once more ([`Store::persist`]).
//!
//! Every pass logs what it removed (documents and bytes) to the console.
//! Removing deletes `shiftbook.doc.<id>` and its receipts cache; the server
//! keeps the document and a screen asking for it fetches it again.

use super::Store;
use crate::core::retention::{self, RetentionPeriod, Verdict};
use crate::platform::log::web_sys_log;
use crate::platform::storage;
use shiftbook_model::client::SyncClient;
use shiftbook_model::{DocumentId, SiteKey};
use std::collections::BTreeMap;

/// What one pass removed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Removed {
    /// Documents deleted from storage.
    pub documents: usize,
    /// Bytes freed (records' keys and values, receipts caches included).
    pub bytes: usize,
}

impl Removed {
    /// Delete document `id`'s record and its receipts cache.
    fn remove(&mut self, id: &DocumentId) {
        self.documents += 1;
        self.bytes += storage::remove_doc(id) + crate::core::receipts::forget(id);
    }

    /// Say what was removed, in the browser console.
    fn log(self, why: &str, period: RetentionPeriod) {
        web_sys_log(&format!(
            "shiftbook: storage {why}: {} document(s) removed ({} bytes), synced and unchanged for more than {} days",
            self.documents,
            self.bytes,
            period.in_days()
        ));
    }
}

/// Read every stored document into `client` except those the policy
/// removes at start, which are deleted from storage instead; then prune
/// receipts caches no screen shows. Returns how many records could not be
/// read (set aside by [`storage::read_doc`]) or taken.
pub(super) fn load_stored(client: &mut SyncClient, site_key: &SiteKey) -> usize {
    let mut unreadable = 0;
    let mut stored: BTreeMap<DocumentId, storage::Record> = BTreeMap::new();
    for id in storage::stored_doc_ids() {
        match storage::read_doc(&id) {
            Ok(Some(doc)) => {
                stored.insert(id, doc);
            }
            Ok(None) => {}
            Err(_) => unreadable += 1,
        }
    }
    let period = RetentionPeriod::NORMAL;
    let now = crate::platform::clock::now_ms();
    let needed = retention::needed(site_key, &crate::platform::clock::today(), |id| {
        stored.get(id).map(|(doc, _, _)| doc)
    });
    let mut removed = Removed::default();
    for (id, (doc, confirmed, purpose)) in stored {
        let verdict = retention::verdict(&doc, &confirmed, needed.contains(&id), period, now);
        if verdict == Verdict::Remove {
            removed.remove(&id);
        } else if client.insert(id, doc, confirmed).is_err() {
            unreadable += 1;
        } else if let Some(purpose) = purpose {
            client.note_purpose(id, &purpose);
        }
    }
    removed.bytes += crate::core::receipts::prune(|id| {
        client.doc(id).is_some_and(crate::core::receipts::shown_for)
    });
    removed.log("at start", period);
    unreadable
}

impl Store {
    /// Storage refused a write for lack of space: delete every stored
    /// document the policy removes under
    /// [`RetentionPeriod::UNDER_PRESSURE`], judging both the copy in
    /// memory (it may hold changes not written yet) and the stored one (it
    /// may hold another tab's). Documents stay in memory for the screens
    /// showing them.
    pub(crate) fn free_storage(&self) -> Removed {
        let period = RetentionPeriod::UNDER_PRESSURE;
        let now = crate::platform::clock::now_ms();
        let today = crate::platform::clock::today();
        let removed = self.with(|inner| {
            let client = &inner.client;
            let needed = retention::needed(&inner.enrolment.site_key, &today, |id| client.doc(id));
            let mut removed = Removed::default();
            for id in storage::stored_doc_ids() {
                let needed = needed.contains(&id);
                let in_memory = client.doc(&id).map(|doc| {
                    retention::verdict(doc, &client.confirmed_heads(&id), needed, period, now)
                });
                if matches!(in_memory, Some(Verdict::Keep(_))) {
                    continue;
                }
                let Ok(Some((doc, confirmed, _))) = storage::read_doc(&id) else {
                    continue;
                };
                if retention::verdict(&doc, &confirmed, needed, period, now) == Verdict::Remove {
                    removed.remove(&id);
                }
            }
            removed
        });
        removed.log("full", period);
        removed
    }
}
