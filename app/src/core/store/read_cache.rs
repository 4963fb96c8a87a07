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
    let mut cache = RECORDS
        .with(|r| r.borrow_mut().remove(id))
        .unwrap_or_default();
    let out = record_cache::reading(&mut cache, doc, f);
    RECORDS.with(|r| r.borrow_mut().insert(*id, cache));
    out
}

/// [`reading`] for several documents at once.
pub(super) fn reading_all<R>(docs: &[(DocumentId, &Automerge)], f: impl FnOnce() -> R) -> R {
    match docs.split_first() {
        None => f(),
        Some(((id, doc), rest)) => reading(id, doc, || reading_all(rest, f)),
    }
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
            let hit = KEPT.with(|k| {
                k.borrow()
                    .get(&(*id, what))
                    .filter(|(at, _)| *at == heads)
                    .and_then(|(_, value)| value.clone().downcast::<T>().ok())
            });
            if hit.is_some() {
                return hit;
            }
            let value = Rc::new(reading(id, doc, || read(doc)));
            let kept: Rc<dyn Any> = value.clone();
            KEPT.with(|k| k.borrow_mut().insert((*id, what), (heads, kept)));
            Some(value)
        })
    }
}
