//! Which derived values read which documents, so that a change to one
//! document recomputes only the values that read it.
//!
//! Inside [`Store::derived`](super::Store::derived) (a *deriving* scope) a
//! read of one document ([`Store::read`](super::Store::read),
//! [`Store::read_kept`](super::Store::read_kept)) subscribes the value to
//! that document alone; any other look at the store's state
//! ([`Store::with`](super::Store::with)) subscribes it to every change, as
//! before. Outside a deriving scope nothing is subscribed: event handlers
//! and component bodies read without tracking.
//!
//! Every change names the documents it touched ([`notify`]), and also
//! bumps the store's change counter for the broad readers.

use leptos::prelude::*;
use shiftbook_model::DocumentId;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;

thread_local! {
    static WATCHED: RefCell<HashMap<DocumentId, ArcTrigger>> = RefCell::new(HashMap::new());
    static DERIVING: Cell<u32> = const { Cell::new(0) };
}

/// Run `f` as a deriving scope: reads inside it subscribe.
pub(crate) fn deriving<T>(f: impl FnOnce() -> T) -> T {
    struct Leave;
    impl Drop for Leave {
        fn drop(&mut self) {
            DERIVING.with(|d| d.set(d.get().saturating_sub(1)));
        }
    }
    DERIVING.with(|d| d.set(d.get() + 1));
    let _leave = Leave;
    f()
}

/// Whether a deriving scope is running.
pub(crate) fn is_deriving() -> bool {
    DERIVING.with(Cell::get) > 0
}

/// Subscribe the running deriving scope to document `id` (nothing outside
/// one).
#[inline(never)]
pub(crate) fn track(id: &DocumentId) {
    if !is_deriving() {
        return;
    }
    let trigger = WATCHED.with(|w| w.borrow_mut().entry(*id).or_default().clone());
    trigger.track();
}

/// Document `id` changed: recompute what read it.
pub(crate) fn notify(id: &DocumentId) {
    let trigger = WATCHED.with(|w| w.borrow().get(id).cloned());
    if let Some(t) = trigger {
        t.notify();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn id(n: u8) -> DocumentId {
        DocumentId::from_random([n; 16])
    }

    /// A memo reading `doc` in a deriving scope; the counter counts its runs.
    fn memo_reading(doc: DocumentId) -> (Memo<u8>, Arc<AtomicUsize>) {
        let runs = Arc::new(AtomicUsize::new(0));
        let counted = runs.clone();
        let memo = Memo::new(move |_| {
            counted.fetch_add(1, Ordering::SeqCst);
            deriving(|| track(&doc));
            doc.as_bytes()[0]
        });
        (memo, runs)
    }

    #[test]
    fn a_change_recomputes_only_what_read_that_document() {
        let _owner = Owner::new();
        let (a, runs_a) = memo_reading(id(1));
        let (b, runs_b) = memo_reading(id(2));
        let read = |m: Memo<u8>| m.get_untracked();
        read(a);
        read(b);
        assert_eq!(
            (runs_a.load(Ordering::SeqCst), runs_b.load(Ordering::SeqCst)),
            (1, 1)
        );
        notify(&id(1));
        read(a);
        read(b);
        assert_eq!(
            (runs_a.load(Ordering::SeqCst), runs_b.load(Ordering::SeqCst)),
            (2, 1)
        );
        notify(&id(2));
        read(a);
        read(b);
        assert_eq!(
            (runs_a.load(Ordering::SeqCst), runs_b.load(Ordering::SeqCst)),
            (2, 2)
        );
    }

    #[test]
    fn reads_outside_a_deriving_scope_subscribe_to_nothing() {
        let _owner = Owner::new();
        let runs = Arc::new(AtomicUsize::new(0));
        let counted = runs.clone();
        let memo = Memo::new(move |_| {
            counted.fetch_add(1, Ordering::SeqCst);
            track(&id(3));
        });
        memo.get_untracked();
        notify(&id(3));
        memo.get_untracked();
        assert_eq!(runs.load(Ordering::SeqCst), 1);
        assert!(!is_deriving());
    }
}
