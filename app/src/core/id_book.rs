//! The tablet's derivation of document ids: the site key, plus a note of
//! every purpose derived, so the sync client can register the purposes of
//! documents the server may not hold yet (see `SyncClient::note_purpose`
//! and ARCHITECTURE invariant 5). Every `document_id` of the model's
//! record families takes an [`IdBook`] as well as a bare site key.

use shiftbook_model::ids::Derive;
use shiftbook_model::{DocumentId, SiteKey};
use std::cell::RefCell;
use std::rc::Rc;

/// The site key and the purposes derived with it since they were last
/// taken; cheap to clone (clones share the notes).
#[derive(Clone)]
pub struct IdBook {
    key: SiteKey,
    noted: Rc<RefCell<Vec<(DocumentId, String)>>>,
}

impl IdBook {
    /// A book over `key`.
    pub fn new(key: SiteKey) -> Self {
        Self {
            key,
            noted: Rc::default(),
        }
    }

    /// The purposes derived since the last call, with their ids.
    pub fn take_noted(&self) -> Vec<(DocumentId, String)> {
        std::mem::take(&mut *self.noted.borrow_mut())
    }
}

impl Derive for IdBook {
    fn derive(&self, purpose: &str) -> DocumentId {
        let id = DocumentId::derive(&self.key, purpose);
        self.noted.borrow_mut().push((id, purpose.to_owned()));
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_derived_id_is_the_site_keys_and_its_purpose_is_noted_once() {
        let key = SiteKey::from_random([7; 32]);
        let book = IdBook::new(key.clone());
        let copy = book.clone();
        let id = shiftbook_model::duty_log::document_id(&copy, "2026-11-23");
        assert_eq!(
            id,
            shiftbook_model::duty_log::document_id(&key, "2026-11-23")
        );
        assert_eq!(
            book.take_noted(),
            vec![(id, shiftbook_model::duty_log::purpose("2026-11-23"))]
        );
        assert!(book.take_noted().is_empty());
    }
}
