//! Writing documents to the tablet's storage ([`crate::platform::idb`])
//! off the tap's path, and merging what other tabs of this tablet write.
//!
//! A change marks its document dirty ([`Store::persist`]); once the
//! handler that made it returned (a microtask: still in the tap's task, so
//! a tab that crashes right after the tap still has the write on its way
//! to disk) every dirty document is written in one strict transaction,
//! committed at once: only what storage does not hold yet — the changes
//! since the heads last written (`save_after`) or, every [`COMPACT_AT`]
//! chunks, the whole document in place of the chunks it wrote or read.
//! Writes do not wait for each other; IndexedDB runs them in order. The
//! screen says saved ([`super::Signals::saved_at`]) once a transaction
//! completed. A failed write leaves its documents dirty, to be written
//! whole, and the change in memory; it is tried again after [`RETRY_MS`]
//! or with the next change. Storage full: old synced records leave
//! ([`Store::free_storage`]) and the write is tried once more before the
//! person is told.
//!
//! After each write the ids go out on a `BroadcastChannel`; the other tabs
//! read those documents' chunks they have not seen ([`merge_stored`]).

use super::Store;
use crate::platform::idb::{self, Chunk, Put, StoredChunks};
use crate::platform::log::web_sys_log;
use crate::platform::storage::StorageError;
use automerge::{ChangeHash, ReadDoc as _};
use leptos::prelude::{GetUntracked, Set, Update};
use serde::{Deserialize, Serialize};
use shiftbook_model::DocumentId;
use shiftbook_model::client::SyncClient;
use std::collections::{BTreeMap, BTreeSet};

/// After this many chunks of one document, the next write stores the
/// whole document instead and removes the chunks it holds.
pub const COMPACT_AT: usize = 24;
/// How long a failed write waits before the writer tries again.
const RETRY_MS: i32 = 5_000;
/// The channel tabs of this tablet tell each other about writes on.
const CHANNEL: &str = "shiftbook.records";

/// Beside a document's chunks: the heads the server is known to hold and
/// the purpose a derived id came from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredMeta {
    /// Confirmed heads, hex.
    pub confirmed: Vec<String>,
    /// The purpose, for registering a document made offline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
}

impl StoredMeta {
    /// The JSON stored for `confirmed` and `purpose`.
    pub fn encode(confirmed: &[ChangeHash], purpose: Option<&str>) -> String {
        let meta = Self {
            confirmed: confirmed.iter().map(ToString::to_string).collect(),
            purpose: purpose.map(str::to_owned),
        };
        serde_json::to_string(&meta).unwrap_or_default()
    }

    /// Read a stored meta record; unreadable heads are dropped (the server
    /// is asked again), never an error that would hide the document.
    pub fn decode(json: &str) -> (Vec<ChangeHash>, Option<String>) {
        let meta: Self = serde_json::from_str(json).unwrap_or_default();
        let confirmed = meta
            .confirmed
            .iter()
            .filter_map(|h| h.parse().ok())
            .collect();
        (confirmed, meta.purpose)
    }
}

/// What storage holds of one document, as far as this tab knows.
#[derive(Debug, Default)]
struct Held {
    /// Heads of what this tab wrote or read (empty: nothing yet).
    heads: Vec<ChangeHash>,
    /// The meta record last written or read.
    meta: Option<String>,
    /// Chunks whose content this tab holds in memory.
    chunks: BTreeSet<String>,
}

/// The store's bookkeeping of what storage holds.
#[derive(Debug, Default)]
pub struct Persisted {
    held: BTreeMap<DocumentId, Held>,
    dirty: BTreeSet<DocumentId>,
    /// A write is scheduled for when the current handler returns.
    scheduled: bool,
}

impl Persisted {
    /// Document `id` was read from storage: `chunks` are in memory, and
    /// the document's heads are `heads` (unless some of them waited for
    /// dependencies, when nothing counts as held: nothing is removed).
    pub fn loaded(
        &mut self,
        id: DocumentId,
        heads: Vec<ChangeHash>,
        meta: Option<String>,
        chunks: impl IntoIterator<Item = String>,
        complete: bool,
    ) {
        let held = self.held.entry(id).or_default();
        if complete {
            held.heads = heads;
            held.chunks.extend(chunks);
        }
        if meta.is_some() {
            held.meta = meta;
        }
    }

    /// `planned` is on disk.
    fn written(&mut self, planned: &[Planned]) {
        for p in planned {
            let held = self.held.entry(p.id).or_default();
            if let Some(chunk) = &p.put.chunk {
                for gone in &p.put.delete {
                    held.chunks.remove(gone);
                }
                held.chunks.insert(chunk.name.clone());
            }
        }
    }

    /// `planned` failed: what storage holds of its documents is no longer
    /// known, so they are written whole (and their meta) next time.
    fn not_written(&mut self, planned: &[Planned]) {
        for p in planned {
            let held = self.held.entry(p.id).or_default();
            held.heads.clear();
            held.meta = None;
            self.dirty.insert(p.id);
        }
    }

    /// Storage no longer holds document `id`.
    pub fn forget(&mut self, id: &DocumentId) {
        self.held.remove(id);
    }
}

/// One document's write.
struct Planned {
    id: DocumentId,
    put: Put,
}

/// A unique chunk name: time first, so names sort by age.
pub fn chunk_name() -> String {
    let random = crate::platform::random::random_bytes::<6>();
    let hex: String = random.iter().map(|b| format!("{b:02x}")).collect();
    format!("{:013}-{hex}", crate::platform::clock::now_ms().max(0))
}

/// What to write of each dirty document, taking them; `name` names new
/// chunks ([`chunk_name`]).
fn plan(
    persisted: &mut Persisted,
    client: &SyncClient,
    mut name: impl FnMut() -> String,
) -> Vec<Planned> {
    let dirty = std::mem::take(&mut persisted.dirty);
    let mut out = Vec::new();
    for id in dirty {
        let Some(doc) = client.doc(&id) else {
            continue;
        };
        let heads = doc.get_heads();
        let held = persisted.held.entry(id).or_default();
        let meta = StoredMeta::encode(&client.confirmed_heads(&id), client.purpose(&id));
        let mut put = Put {
            id: id.to_string(),
            ..Put::default()
        };
        if heads != held.heads && !heads.is_empty() {
            let whole = held.heads.is_empty() || held.chunks.len() >= COMPACT_AT;
            let bytes = if whole {
                put.delete = held.chunks.iter().cloned().collect();
                doc.save()
            } else {
                doc.save_after(&held.heads)
            };
            put.chunk = Some(Chunk {
                name: name(),
                bytes,
            });
        }
        if held.meta.as_deref() != Some(meta.as_str()) {
            put.meta = Some(meta);
        }
        if put.chunk.is_some() {
            // Later writes build on this one (IndexedDB keeps their order);
            // if it fails, the document is written whole again.
            held.heads = heads;
        }
        if let Some(meta) = &put.meta {
            held.meta = Some(meta.clone());
        }
        if put.chunk.is_some() || put.meta.is_some() {
            out.push(Planned { id, put });
        }
    }
    out
}

impl Store {
    /// Write document `id` once the current handler returned, with every
    /// other change waiting. The screen says saved once it is on disk.
    pub fn persist(&self, id: &DocumentId) {
        let schedule = self.borrow(|inner| {
            inner.persisted.dirty.insert(*id);
            !std::mem::replace(&mut inner.persisted.scheduled, true)
        });
        if schedule {
            let store = self.clone();
            leptos::task::spawn_local(async move { store.write_dirty().await });
        }
    }

    /// Write what is dirty in one transaction. Writes do not wait for
    /// each other: IndexedDB runs them in the order they were made.
    async fn write_dirty(&self) {
        let timing = crate::platform::timing::Timing::start();
        let planned = self.borrow(|inner| {
            inner.persisted.scheduled = false;
            plan(&mut inner.persisted, &inner.client, chunk_name)
        });
        if planned.is_empty() {
            return;
        }
        timing.measure("shiftbook:store-plan");
        let puts: Vec<Put> = planned.iter().map(|p| p.put.clone()).collect();
        let writing = idb::start_write(&puts).await;
        // What the tap paid for storing, and when it was on disk.
        timing.measure("shiftbook:store-write");
        let mut result = match writing {
            Ok(writing) => writing.done().await,
            Err(e) => Err(e),
        };
        timing.measure("shiftbook:store-commit");
        if matches!(result, Err(StorageError::Quota(_))) {
            self.free_storage().await;
            result = idb::write(&puts).await;
        }
        match result {
            Ok(()) => self.written(&planned),
            Err(e) => self.not_written(&planned, &e),
        }
    }

    /// A write is on disk: note what storage holds, say saved, tell the
    /// other tabs.
    fn written(&self, planned: &[Planned]) {
        self.borrow(|inner| inner.persisted.written(planned));
        if self.signals.storage_failed.get_untracked() {
            self.signals.storage_failed.set(false);
            self.signals.storage_full.set(false);
        }
        self.signals
            .saved_at
            .set(Some(crate::platform::clock::now_ms()));
        announce(planned.iter().map(|p| p.id));
    }

    /// A write failed: its documents are written whole next time (what
    /// storage holds of them is no longer known), tried again after
    /// [`RETRY_MS`] or with the next change, and the person is told.
    fn not_written(&self, planned: &[Planned], e: &StorageError) {
        web_sys_log(&format!("shiftbook: {e}"));
        self.signals.storage_failed.set(true);
        self.signals
            .storage_full
            .set(matches!(e, StorageError::Quota(_)));
        // Nothing on the screen may say saved now.
        self.signals.saved_at.set(None);
        self.borrow(|inner| inner.persisted.not_written(planned));
        let store = self.clone();
        leptos::task::spawn_local(async move {
            crate::platform::clock::sleep_ms(RETRY_MS).await;
            store.retry_writes();
        });
    }

    /// Try the failed writes again.
    fn retry_writes(&self) {
        let dirty = self.borrow(|inner| inner.persisted.dirty.iter().next().copied());
        if let Some(id) = dirty {
            self.persist(&id);
        }
    }

    /// Merge what storage holds of documents `ids` that this tab has not
    /// read: another tab wrote it.
    pub(crate) async fn merge_stored(&self, ids: Vec<DocumentId>) {
        for id in ids {
            let stored = match idb::read_doc(&id.to_string()).await {
                Ok(stored) => stored,
                Err(e) => {
                    web_sys_log(&format!("shiftbook: reading {id}: {e}"));
                    continue;
                }
            };
            self.take_stored(id, stored).await;
        }
        self.pump();
    }

    /// Take what storage holds of `id` into memory: the chunks not read
    /// yet, the meta record. Unreadable chunks are set aside
    /// ([`idb::quarantine`]); returns how many.
    pub(crate) async fn take_stored(&self, id: DocumentId, stored: StoredChunks) -> usize {
        let bad = self.borrow(|inner| take_into(inner, id, stored));
        let count = bad.len();
        for chunk in bad {
            let now = crate::platform::clock::now_ms();
            if let Err(e) = idb::quarantine(&id.to_string(), &chunk, now).await {
                web_sys_log(&format!("shiftbook: setting aside a chunk of {id}: {e}"));
            }
        }
        if count > 0 {
            self.signals.quarantined.update(|q| *q += count);
        }
        count
    }
}

/// [`Store::take_stored`] under the borrow: the unreadable chunks.
pub(super) fn take_into(
    inner: &mut super::Inner,
    id: DocumentId,
    stored: StoredChunks,
) -> Vec<Chunk> {
    let held = inner.persisted.held.get(&id);
    let unwritten = match (held, inner.client.doc(&id)) {
        (Some(held), Some(doc)) => doc.get_heads() != held.heads,
        (None, Some(doc)) => !doc.get_heads().is_empty(),
        _ => false,
    };
    let known: BTreeSet<String> = held.map(|h| h.chunks.clone()).unwrap_or_default();
    let mut bad = Vec::new();
    let mut read = Vec::new();
    for chunk in stored.chunks {
        if known.contains(&chunk.name) {
            continue;
        }
        match inner.client.load_stored(id, &chunk.bytes) {
            Ok(()) => read.push(chunk.name),
            Err(e) => {
                web_sys_log(&format!("shiftbook: {e}"));
                bad.push(chunk);
            }
        }
    }
    if let Some(meta) = &stored.meta {
        let (confirmed, purpose) = StoredMeta::decode(meta);
        inner.client.note_confirmed(&id, confirmed);
        if let Some(purpose) = purpose {
            inner.client.note_purpose(id, &purpose);
        }
    }
    let complete = inner
        .client
        .doc(&id)
        .is_some_and(|d| d.get_missing_deps(&[]).is_empty());
    // What this tab had not written yet stays to be written; otherwise
    // storage now holds exactly what memory does.
    let heads = if unwritten {
        inner
            .persisted
            .held
            .get(&id)
            .map(|h| h.heads.clone())
            .unwrap_or_default()
    } else {
        inner
            .client
            .doc(&id)
            .map(|d| d.get_heads())
            .unwrap_or_default()
    };
    inner
        .persisted
        .loaded(id, heads, stored.meta, read, complete);
    bad
}

/// Tell the other tabs that documents `ids` were written.
fn announce(ids: impl Iterator<Item = DocumentId>) {
    let list: js_sys::Array = ids
        .map(|id| wasm_bindgen::JsValue::from(id.to_string()))
        .collect();
    TABS.with(|channel| {
        if let Some(channel) = channel {
            let _ = channel.post_message(&list);
        }
    });
}

thread_local! {
    /// This tab's end of the channel, for telling and hearing (a channel
    /// does not hear itself).
    static TABS: Option<web_sys::BroadcastChannel> = web_sys::BroadcastChannel::new(CHANNEL).ok();
}

/// Merge what other tabs write, as they say so.
pub fn listen(store: &Store) {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    let s = store.clone();
    let on_message =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            let Ok(list) = ev.data().dyn_into::<js_sys::Array>() else {
                return;
            };
            let ids: Vec<DocumentId> = list
                .iter()
                .filter_map(|v| v.as_string()?.parse().ok())
                .collect();
            let s = s.clone();
            leptos::task::spawn_local(async move { s.merge_stored(ids).await });
        });
    TABS.with(|channel| {
        if let Some(channel) = channel {
            channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        }
    });
    // Lives as long as the page, like the channel.
    on_message.forget();
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::ActorId;
    use automerge::transaction::Transactable as _;
    use shiftbook_model::protocol::PeerId;

    fn client_with_doc(id: DocumentId) -> SyncClient {
        let mut client =
            SyncClient::new(PeerId::new("tablet").unwrap(), ActorId::from(vec![1u8; 16]));
        client
            .insert(id, automerge::Automerge::new(), Vec::new())
            .unwrap();
        client
    }

    fn edit(client: &mut SyncClient, id: &DocumentId, key: &str) {
        client
            .change(id, |doc| {
                doc.transact::<_, _, automerge::AutomergeError>(|tx| {
                    tx.put(automerge::ROOT, key, "x")?;
                    Ok(())
                })
                .unwrap();
            })
            .unwrap();
    }

    /// A document with one change, and the bookkeeping of a tab.
    fn fixture(seed: u8) -> (DocumentId, SyncClient, Persisted) {
        let id = DocumentId::from_random([seed; 16]);
        let mut client = client_with_doc(id);
        edit(&mut client, &id, "a");
        (id, client, Persisted::default())
    }

    /// Mark `id` dirty and plan.
    fn plan_of(
        persisted: &mut Persisted,
        client: &SyncClient,
        id: DocumentId,
        name: &mut impl FnMut() -> String,
    ) -> Vec<Planned> {
        persisted.dirty.insert(id);
        plan(persisted, client, name)
    }

    /// The heads of a document loaded from `chunk` alone.
    fn heads_of(chunk: &Chunk) -> Vec<ChangeHash> {
        let mut doc = automerge::Automerge::new();
        shiftbook_model::stored::load_into(&mut doc, &chunk.bytes).unwrap();
        doc.get_heads()
    }

    fn names() -> impl FnMut() -> String {
        let mut n = 0;
        move || {
            n += 1;
            format!("c{n:03}")
        }
    }

    #[test]
    fn a_document_is_written_whole_first_then_only_its_new_changes() {
        let (id, mut client, mut persisted) = fixture(3);
        let mut name = names();
        let first = plan_of(&mut persisted, &client, id, &mut name);
        assert_eq!(first.len(), 1);
        let whole = first[0].put.chunk.clone().unwrap();
        assert!(first[0].put.meta.is_some(), "the meta record with it");
        persisted.written(&first);

        for key in ["b", "c"] {
            edit(&mut client, &id, key);
        }
        let next = plan_of(&mut persisted, &client, id, &mut name);
        let added = next[0].put.chunk.clone().unwrap();
        assert_eq!(next[0].put.meta, None, "meta unchanged, not written");
        assert!(next[0].put.delete.is_empty());
        // Both chunks together are the document, and the second holds only
        // the two new changes.
        assert!(heads_of(&added).is_empty(), "only changes after the first");
        let mut doc = automerge::Automerge::new();
        shiftbook_model::stored::load_into(&mut doc, &added.bytes).unwrap();
        shiftbook_model::stored::load_into(&mut doc, &whole.bytes).unwrap();
        assert_eq!(doc.get_heads(), client.doc(&id).unwrap().get_heads());
        assert_eq!(doc.get_changes(&[]).len(), 3);

        // Nothing new: nothing written.
        persisted.written(&next);
        assert!(plan_of(&mut persisted, &client, id, &mut name).is_empty());
    }

    #[test]
    fn many_chunks_are_replaced_by_the_whole_document() {
        let (id, mut client, mut persisted) = fixture(4);
        let mut name = names();
        let mut written = BTreeSet::new();
        for i in 0..COMPACT_AT {
            edit(&mut client, &id, &format!("k{i}"));
            let p = plan_of(&mut persisted, &client, id, &mut name);
            written.insert(p[0].put.chunk.clone().unwrap().name);
            persisted.written(&p);
        }
        edit(&mut client, &id, "last");
        let p = plan_of(&mut persisted, &client, id, &mut name);
        let deleted: BTreeSet<String> = p[0].put.delete.iter().cloned().collect();
        assert_eq!(deleted, written, "every chunk it wrote goes");
        assert_eq!(
            heads_of(p[0].put.chunk.as_ref().unwrap()),
            client.doc(&id).unwrap().get_heads()
        );
        persisted.written(&p);
        assert_eq!(persisted.held[&id].chunks.len(), 1);
    }

    #[test]
    fn a_failed_write_is_written_whole_next_time() {
        let (id, mut client, mut persisted) = fixture(5);
        let mut name = names();
        let first = plan_of(&mut persisted, &client, id, &mut name);
        persisted.written(&first);
        edit(&mut client, &id, "b");
        let failed = plan_of(&mut persisted, &client, id, &mut name);
        persisted.not_written(&failed);
        assert!(persisted.dirty.contains(&id), "still to write");
        let again = plan(&mut persisted, &client, &mut name);
        assert_eq!(
            heads_of(again[0].put.chunk.as_ref().unwrap()),
            client.doc(&id).unwrap().get_heads()
        );
        assert!(again[0].put.meta.is_some());
        assert_eq!(
            again[0].put.delete,
            vec![first[0].put.chunk.clone().unwrap().name],
            "the chunks it holds are replaced"
        );
    }

    #[test]
    fn meta_records_read_back_and_bad_ones_do_not_hide_the_document() {
        let doc = {
            let mut d = automerge::Automerge::new();
            d.transact::<_, _, automerge::AutomergeError>(|tx| {
                tx.put(automerge::ROOT, "a", 1)?;
                Ok(())
            })
            .unwrap();
            d
        };
        let heads = doc.get_heads();
        let json = StoredMeta::encode(&heads, Some("round:x"));
        assert_eq!(
            StoredMeta::decode(&json),
            (heads, Some("round:x".to_owned()))
        );
        assert_eq!(StoredMeta::decode("not json"), (Vec::new(), None));
        assert_eq!(
            StoredMeta::decode(r#"{"confirmed":["zz"]}"#),
            (Vec::new(), None)
        );
    }
}
