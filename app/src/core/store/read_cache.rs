//! What a document reads as, kept until the document changes. Reading a
//! board hydrates every one of its events (a month of 100 closed
//! complaints: ≈ 70 ms natively, more in the browser; `--example
//! doc_sizes`), and screens read again on every timer tick and on every
//! change to any document — a nav badge on every mark of a round. A read
//! is kept with the document's heads and served while they are the same:
//! a document that did not change reads the same.
//!
//! Below that, each document's records are kept one by one
//! ([`record_cache`]): a document that changed is read again, but only its
//! new records are hydrated — one visitor logged out on a day of 256 reads
//! one event, not 750.

use super::Store;
use automerge::{Automerge, ChangeHash};
use shiftbook_model::DocumentId;
use shiftbook_model::record_cache::{self, RecordCache};
use std::any::Any;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// One kept read: the heads it was made at, and its result.
type Kept = (Vec<ChangeHash>, Rc<dyn Any>);

thread_local! {
    static KEPT: RefCell<HashMap<(DocumentId, &'static str), Kept>> = RefCell::new(HashMap::new());
    static RECORDS: RefCell<HashMap<DocumentId, RecordCache>> = RefCell::new(HashMap::new());
}

/// Run `f`, a read of document `id` (`doc`), with that document's kept
/// records ([`record_cache`]).
pub(super) fn reading<R>(id: &DocumentId, doc: &Automerge, f: impl FnOnce() -> R) -> R {
    // Taken out while `f` runs: a read of the same document inside `f`
    // starts from an empty cache rather than borrowing this one twice.
    let mut cache = take_records(id);
    let out = record_cache::reading(&mut cache, doc, f);
    put_records(id, cache);
    out
}

/// Document `id`'s kept records, taken out (not generic: every kind of
/// read shares it).
#[inline(never)]
fn take_records(id: &DocumentId) -> RecordCache {
    RECORDS
        .with(|r| r.borrow_mut().remove(id))
        .unwrap_or_default()
}

/// Put document `id`'s kept records back.
#[inline(never)]
fn put_records(id: &DocumentId, cache: RecordCache) {
    RECORDS.with(|r| r.borrow_mut().insert(*id, cache));
}

/// The read `what` of `id` kept at `heads`, if any.
#[inline(never)]
fn kept_at(id: &DocumentId, what: &'static str, heads: &[ChangeHash]) -> Option<Rc<dyn Any>> {
    KEPT.with(|k| {
        k.borrow()
            .get(&(*id, what))
            .filter(|(at, _)| *at == heads)
            .map(|(_, value)| value.clone())
    })
}

/// Keep the read `what` of `id` made at `heads`.
#[inline(never)]
fn keep(id: &DocumentId, what: &'static str, heads: Vec<ChangeHash>, value: Rc<dyn Any>) {
    KEPT.with(|k| k.borrow_mut().insert((*id, what), (heads, value)));
}

/// [`reading`] for several documents at once.
pub(super) fn reading_all<R>(docs: &[(DocumentId, &Automerge)], f: impl FnOnce() -> R) -> R {
    let mut caches = take_all(docs);
    let out = {
        let _open = open_all(docs, &mut caches);
        f()
    };
    for (id, cache) in caches {
        put_records(&id, cache);
    }
    out
}

/// The kept records of each of `docs`, taken out.
#[inline(never)]
fn take_all(docs: &[(DocumentId, &Automerge)]) -> Vec<(DocumentId, RecordCache)> {
    docs.iter().map(|(id, _)| (*id, take_records(id))).collect()
}

/// Open each cache of `caches` for its document of `docs` (same order).
#[inline(never)]
fn open_all<'a>(
    docs: &[(DocumentId, &Automerge)],
    caches: &'a mut [(DocumentId, RecordCache)],
) -> Vec<record_cache::Reading<'a>> {
    caches
        .iter_mut()
        .zip(docs)
        .map(|((_, cache), (_, doc))| record_cache::open(cache, doc))
        .collect()
}

impl Store {
    /// `read` of document `id` (named `what`, one name per kind of read),
    /// from the kept one when the document has not changed since; `None`
    /// when this device does not hold the document.
    pub(crate) fn read_kept<T: 'static>(
        &self,
        id: &DocumentId,
        what: &'static str,
        read: impl FnOnce(&Automerge) -> T,
    ) -> Option<Rc<T>> {
        super::doc_watch::track(id);
        self.borrow(|inner| {
            let doc = inner.client.doc(id)?;
            let heads = doc.get_heads();
            if let Some(hit) = kept_at(id, what, &heads).and_then(|v| v.downcast::<T>().ok()) {
                return Some(hit);
            }
            let value = Rc::new(reading(id, doc, || read(doc)));
            keep(id, what, heads, value.clone());
            Some(value)
        })
    }
}
