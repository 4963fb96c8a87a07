//! Documents the server said it has not got. A document is asked for
//! because a screen needs it, and most often another tablet's upload of it
//! is still on its way (a day written offline elsewhere, an index already
//! naming it): ask again in a moment, a few times per document, before the
//! store's 15-second timer takes over. One quick retry is pending at a
//! time, however many documents are waiting; it asks for all of them.

use super::Store;
use shiftbook_model::DocumentId;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::time::Duration;

/// Quick retries per document and session.
const QUICK_RETRIES: u8 = 3;
/// How long a quick retry waits.
const QUICK_RETRY_AFTER: Duration = Duration::from_secs(2);

/// The quick retries made and whether one is pending.
#[derive(Debug, Default)]
struct QuickRetries {
    tries: BTreeMap<DocumentId, u8>,
    pending: bool,
}

impl QuickRetries {
    /// `id` was unavailable: whether to schedule a quick retry now (not
    /// when one is pending, which covers `id` too, nor after
    /// [`QUICK_RETRIES`] for `id`).
    fn unavailable(&mut self, id: DocumentId) -> bool {
        let n = self.tries.entry(id).or_insert(0);
        *n = n.saturating_add(1);
        if *n > QUICK_RETRIES || self.pending {
            return false;
        }
        self.pending = true;
        true
    }

    /// The pending retry ran.
    fn ran(&mut self) {
        self.pending = false;
    }
}

thread_local! {
    static QUICK: RefCell<QuickRetries> = RefCell::new(QuickRetries::default());
}

impl Store {
    /// The server said it has not got `id`: ask for it (and every other
    /// such document) again soon.
    pub(crate) fn retry_soon(&self, id: &DocumentId) {
        if !QUICK.with(|q| q.borrow_mut().unavailable(*id)) {
            return;
        }
        let store = self.clone();
        leptos::prelude::set_timeout(
            move || {
                QUICK.with(|q| q.borrow_mut().ran());
                store.with(|i| i.client.retry_unavailable());
                store.pump();
            },
            QUICK_RETRY_AFTER,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u8) -> DocumentId {
        DocumentId::from_random([n; 16])
    }

    #[test]
    fn one_retry_pending_at_a_time_and_a_few_per_document() {
        let mut q = QuickRetries::default();
        assert!(q.unavailable(id(1)), "the first one is scheduled");
        assert!(!q.unavailable(id(2)), "the pending retry covers it");
        q.ran();
        for _ in 1..QUICK_RETRIES {
            assert!(q.unavailable(id(1)));
            q.ran();
        }
        assert!(!q.unavailable(id(1)), "the 15 s timer takes over");
        assert!(q.unavailable(id(2)), "another document still gets its own");
    }
}
