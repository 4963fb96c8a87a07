//! The store's side of the retention policy ([`crate::core::retention`]), so the
//! tablet's storage does not fill up with months of finished records:
//!
//! * at start, after reading storage and before connecting, documents the
//!   policy removes under [`RetentionPeriod::NORMAL`] are not loaded (nor
//!   synced on every connect) and are deleted from storage, and cached
//!   receipts no screen shows are pruned;
//! * when storage refuses a write for lack of space, synced documents
//!   unchanged for [`RetentionPeriod::UNDER_PRESSURE`] are deleted (the
//!   copy in memory and the stored one must both be removable), and the
//!   writer tries once more ([`super::persist`]).
//!
//! Every pass logs what it removed (documents and bytes) to the console.
//! Removing deletes the document's chunks and meta record and its receipts
//! cache; the server keeps the document and a screen asking for it fetches
//! it again.

use super::{Inner, Store};
use crate::core::retention::{self, RetentionPeriod, Verdict};
use crate::platform::idb::{self, Chunk, StoredChunks};
use crate::platform::log::web_sys_log;
use automerge::{Automerge, ReadDoc as _};
use shiftbook_model::DocumentId;
use shiftbook_model::stored::load_into;
use std::collections::BTreeMap;

/// What one pass removed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Removed {
    /// Documents deleted from storage.
    pub documents: usize,
    /// Bytes freed (chunks, meta records, receipts caches).
    pub bytes: usize,
}

impl Removed {
    /// Delete document `id` (taking `bytes` in storage) and its receipts
    /// cache.
    async fn remove(&mut self, id: &DocumentId, bytes: usize) {
        match idb::remove_doc(&id.to_string()).await {
            Ok(()) => {
                self.documents += 1;
                self.bytes += bytes + crate::core::receipts::forget(id);
            }
            Err(e) => web_sys_log(&format!("shiftbook: removing {id}: {e}")),
        }
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

/// A stored document put together from its chunks.
pub(super) struct Assembled {
    pub doc: Automerge,
    /// Chunks now in `doc`.
    pub read: Vec<String>,
    /// Chunks that could not be read.
    pub unreadable: Vec<Chunk>,
    /// Bytes the record takes in storage.
    pub bytes: usize,
    pub meta: Option<String>,
}

impl Assembled {
    pub(super) fn of(stored: StoredChunks) -> Self {
        let mut out = Self {
            doc: Automerge::new(),
            read: Vec::new(),
            unreadable: Vec::new(),
            bytes: stored.meta.as_ref().map_or(0, String::len),
            meta: stored.meta,
        };
        for chunk in stored.chunks {
            out.bytes += chunk.bytes.len();
            match load_into(&mut out.doc, &chunk.bytes) {
                Ok(()) => out.read.push(chunk.name),
                Err(e) => {
                    web_sys_log(&format!("shiftbook: {e}"));
                    out.unreadable.push(chunk);
                }
            }
        }
        out
    }

    fn confirmed(&self) -> Vec<automerge::ChangeHash> {
        self.meta
            .as_deref()
            .map(|m| super::persist::StoredMeta::decode(m).0)
            .unwrap_or_default()
    }
}

/// What loading at start left to do in storage.
#[derive(Default)]
pub(super) struct Loaded {
    /// Documents the policy removes, with the bytes each takes.
    pub remove: Vec<(DocumentId, usize)>,
    /// Chunks to set aside.
    pub unreadable: Vec<(DocumentId, Chunk)>,
}

/// Take every stored document into `inner` except those the policy
/// removes at start (returned, to be deleted); then prune receipts caches
/// no screen shows.
pub(super) fn load_stored(inner: &mut Inner, stored: BTreeMap<String, StoredChunks>) -> Loaded {
    let mut assembled: BTreeMap<DocumentId, Assembled> = BTreeMap::new();
    for (key, chunks) in stored {
        match key.parse::<DocumentId>() {
            Ok(id) => {
                assembled.insert(id, Assembled::of(chunks));
            }
            Err(_) => web_sys_log(&format!(
                "shiftbook: a stored record named {key:?} is not a document"
            )),
        }
    }
    let period = RetentionPeriod::NORMAL;
    let now = crate::platform::clock::now_ms();
    let needed = retention::needed(
        &inner.enrolment.site_key,
        &crate::platform::clock::today(),
        |id| assembled.get(id).map(|a| &a.doc),
    );
    let mut loaded = Loaded::default();
    for (id, a) in assembled {
        let confirmed = a.confirmed();
        loaded
            .unreadable
            .extend(a.unreadable.into_iter().map(|c| (id, c)));
        let verdict = retention::verdict(&a.doc, &confirmed, needed.contains(&id), period, now);
        if verdict == Verdict::Remove {
            loaded.remove.push((id, a.bytes));
            continue;
        }
        let heads = a.doc.get_heads();
        let complete = a.doc.get_missing_deps(&[]).is_empty();
        if inner.client.insert(id, a.doc, confirmed).is_err() {
            continue;
        }
        if let Some((_, purpose)) = a.meta.as_deref().map(super::persist::StoredMeta::decode)
            && let Some(purpose) = purpose
        {
            inner.client.note_purpose(id, &purpose);
        }
        inner.persisted.loaded(id, heads, a.meta, a.read, complete);
    }
    loaded
}

impl Store {
    /// Finish [`load_stored`]'s work in storage: delete what the policy
    /// removed, set unreadable chunks aside (returns how many), prune
    /// receipts caches.
    pub(super) async fn finish_loading(&self, loaded: Loaded) -> usize {
        let period = RetentionPeriod::NORMAL;
        let mut removed = Removed::default();
        for (id, bytes) in &loaded.remove {
            removed.remove(id, *bytes).await;
        }
        let unreadable = loaded.unreadable.len();
        let now = crate::platform::clock::now_ms();
        for (id, chunk) in &loaded.unreadable {
            if let Err(e) = idb::quarantine(&id.to_string(), chunk, now).await {
                web_sys_log(&format!("shiftbook: setting aside a chunk of {id}: {e}"));
            }
        }
        removed.bytes += self.borrow(|inner| {
            let client = &inner.client;
            crate::core::receipts::prune(|id| {
                client.doc(id).is_some_and(crate::core::receipts::shown_for)
            })
        });
        removed.log("at start", period);
        unreadable
    }

    /// Storage refused a write for lack of space: delete every stored
    /// document the policy removes under
    /// [`RetentionPeriod::UNDER_PRESSURE`], judging both the copy in
    /// memory (it may hold changes not written yet) and the stored one (it
    /// may hold another tab's). Documents stay in memory for the screens
    /// showing them.
    pub(crate) async fn free_storage(&self) -> Removed {
        let period = RetentionPeriod::UNDER_PRESSURE;
        let now = crate::platform::clock::now_ms();
        let today = crate::platform::clock::today();
        let mut removed = Removed::default();
        let ids = match idb::stored_ids().await {
            Ok(ids) => ids,
            Err(e) => {
                web_sys_log(&format!("shiftbook: {e}"));
                return removed;
            }
        };
        let needed = self.with(|inner| {
            let client = &inner.client;
            retention::needed(&inner.enrolment.site_key, &today, |id| client.doc(id))
        });
        for key in ids {
            let Ok(id) = key.parse::<DocumentId>() else {
                continue;
            };
            let needed = needed.contains(&id);
            let in_memory = self.borrow(|inner| {
                let client = &inner.client;
                client.doc(&id).map(|doc| {
                    retention::verdict(doc, &client.confirmed_heads(&id), needed, period, now)
                })
            });
            if matches!(in_memory, Some(Verdict::Keep(_))) {
                continue;
            }
            let Ok(stored) = idb::read_doc(&key).await else {
                continue;
            };
            let a = Assembled::of(stored);
            if !a.unreadable.is_empty() {
                continue;
            }
            if retention::verdict(&a.doc, &a.confirmed(), needed, period, now) == Verdict::Remove {
                removed.remove(&id, a.bytes).await;
                self.borrow(|inner| inner.persisted.forget(&id));
            }
        }
        removed.log("full", period);
        removed
    }
}
