//! What a document reads as, kept until the document changes. Reading a
//! board hydrates every one of its events (a month of 100 closed
//! complaints: ≈ 70 ms natively, more in the browser; `--example
//! doc_sizes`), and screens read again on every timer tick and on every
//! change to any document — a nav badge on every mark of a round. A read
//! is kept with the document's heads and served while they are the same:
//! a document that did not change reads the same.

use super::Store;
use automerge::{Automerge, ChangeHash};
use shiftbook_model::DocumentId;
use std::any::Any;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// One kept read: the heads it was made at, and its result.
type Kept = (Vec<ChangeHash>, Rc<dyn Any>);

thread_local! {
    static KEPT: RefCell<HashMap<(DocumentId, &'static str), Kept>> = RefCell::new(HashMap::new());
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
        self.with(|inner| {
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
            let value = Rc::new(read(doc));
            let kept: Rc<dyn Any> = value.clone();
            KEPT.with(|k| k.borrow_mut().insert((*id, what), (heads, kept)));
            Some(value)
        })
    }
}
