//! A site's own equipment check lists for its hand-over books: one
//! document per site that supervisors edit and tablets read (the server
//! shares it read-only with devices, like the templates).
//!
//! ```text
//! ROOT
//! ├── schema  "shiftbook/handover-equipment/1"
//! ├── site                                   ← written once, by genesis
//! └── lists   { book id → EquipmentList }    one fresh map per write
//! ```
//!
//! The built-in books ([`super::books`]) carry the seeds' lists; a stored
//! list replaces its book's (every site keeps different radios, phones and
//! keys), the other books keep theirs. Two supervisors saving one book's
//! list concurrently leave two whole versions ([`SiteEquipment::conflicts`])
//! rather than a mix; automerge's pick shows meanwhile, the same on every
//! device. A list a newer build saved that this build cannot read is left
//! out and its book shows no list rather than the built-in one (counted by
//! [`crate::readable::unreadable_records`]). Hand-overs store each check
//! with its label as it read, so changing a list never rewrites a record.

use super::books::{Book, label_fits};
use super::{EquipmentItem, MAX_ITEMS, Refusal};
use crate::ModelError;
use crate::attribution::Attribution;
use crate::genesis::{Container, Root};
use automerge::{Automerge, ChangeHash, ObjType};
use autosurgeon::{Hydrate, Reconcile};
use std::collections::BTreeSet;

/// The schema tag of equipment-list documents.
pub const SCHEMA: &str = "shiftbook/handover-equipment/1";

/// The purpose that derives a site's equipment-list document id.
pub const PURPOSE: &str = "handover-equipment";

/// A book's equipment check list as a site keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate)]
pub struct EquipmentList {
    /// The book ([`Book::id`]).
    pub book: String,
    /// What the incoming person checks with the outgoing one, in order.
    pub items: Vec<EquipmentItem>,
}

impl EquipmentList {
    /// Check what a supervisor saved: a book id, 1 to [`MAX_ITEMS`] items
    /// with distinct ids and labels in both languages that fit.
    pub fn validate(&self) -> Result<(), ModelError> {
        let bad_key = |what: &'static str, key: &str| Refusal::BadKey {
            what,
            key: key.chars().take(32).collect(),
        };
        if !crate::ids::is_key(&self.book) {
            return Err(bad_key("a book", &self.book).into());
        }
        if self.items.is_empty() {
            return Err(Refusal::Empty("an equipment list").into());
        }
        if self.items.len() > MAX_ITEMS {
            return Err(Refusal::TooMany {
                what: "equipment items",
                max: MAX_ITEMS,
            }
            .into());
        }
        let mut seen = BTreeSet::new();
        for item in &self.items {
            if !crate::ids::is_key(&item.id) {
                return Err(bad_key("an equipment id", &item.id).into());
            }
            if !seen.insert(item.id.as_str()) {
                return Err(Refusal::DuplicateEquipment(item.id.clone()).into());
            }
            if [&item.label.zh, &item.label.en]
                .iter()
                .any(|t| t.trim().is_empty())
            {
                return Err(Refusal::Empty("an equipment label").into());
            }
            if !label_fits(&item.label) {
                return Err(Refusal::TooLong {
                    what: "an equipment label",
                    max: super::MAX_LABEL,
                }
                .into());
            }
        }
        Ok(())
    }
}

/// The site's equipment-list document id.
pub fn document_id(site_key: &impl crate::ids::Derive) -> crate::DocumentId {
    site_key.derive(PURPOSE)
}

/// Build the document's first change, identical on every device.
pub fn genesis(site: &str) -> Result<Automerge, ModelError> {
    crate::genesis::build(&Root {
        schema: SCHEMA,
        identity: &[("site", site)],
        containers: &[("lists", Container::Map)],
    })
}

fn lists_map(doc: &Automerge) -> Result<automerge::ObjId, ModelError> {
    crate::genesis::schema_container(doc, SCHEMA, "lists", ObjType::Map)
}

/// Save `list` as its book's list, one change by `by` (a fresh map at
/// `lists[book]`). An invalid list is refused, nothing written.
pub fn put_list(
    doc: &mut Automerge,
    list: &EquipmentList,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    list.validate()?;
    let map = lists_map(doc)?;
    let options = by.commit_options(&format!("equipment list put {}", list.book));
    crate::write::put_fresh_change(doc, &map, &list.book, list, options)
}

/// A read-only view of a site's equipment lists; without a document (not
/// synced yet, or never written) every book keeps its built-in list.
#[derive(Debug, Clone, Copy)]
pub struct SiteEquipment<'a> {
    doc: Option<&'a Automerge>,
}

impl<'a> SiteEquipment<'a> {
    /// View `doc` after checking it is an equipment-list document.
    pub fn new(doc: &'a Automerge) -> Result<Self, ModelError> {
        lists_map(doc)?;
        Ok(Self { doc: Some(doc) })
    }

    /// No site lists: the built-in ones.
    pub fn builtin() -> Self {
        Self { doc: None }
    }

    /// The site's list of `book`: `None` when the site keeps the built-in
    /// one, `Some(None)` when a newer build saved one this build cannot
    /// read.
    fn stored(&self, book: &str) -> Result<Option<Option<EquipmentList>>, ModelError> {
        match self.doc {
            Some(doc) => crate::readable::version(doc, &lists_map(doc)?, book),
            None => Ok(None),
        }
    }

    /// `book` with the site's equipment list in place of its own.
    pub fn apply(&self, mut book: Book) -> Result<Book, ModelError> {
        match self.stored(&book.id)? {
            None => {}
            Some(Some(list)) => book.equipment = list.items,
            Some(None) => book.equipment.clear(),
        }
        Ok(book)
    }

    /// Whether the site keeps its own list for `book`.
    pub fn is_own(&self, book: &str) -> Result<bool, ModelError> {
        Ok(self.stored(book)?.is_some())
    }

    /// The differing versions concurrent edits left for `book`'s list
    /// (those this build can read); empty when there is no conflict.
    pub fn conflicts(&self, book: &str) -> Result<Vec<EquipmentList>, ModelError> {
        match self.doc {
            Some(doc) => crate::readable::conflicting_versions(doc, &lists_map(doc)?, book),
            None => Ok(Vec::new()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::handover::books;
    use crate::template::Bilingual;
    use crate::test_support::{office_supervisor, on_tablet};

    fn replica(n: u8) -> Automerge {
        on_tablet(genesis("demo").unwrap(), n)
    }

    fn item(id: &str, zh: &str) -> EquipmentItem {
        EquipmentItem {
            id: id.into(),
            label: Bilingual {
                zh: zh.into(),
                en: id.into(),
            },
        }
    }

    fn lobby_list(items: &[(&str, &str)]) -> EquipmentList {
        EquipmentList {
            book: books::lobby().id,
            items: items.iter().map(|(id, zh)| item(id, zh)).collect(),
        }
    }

    #[test]
    fn a_stored_list_replaces_its_books_and_the_others_keep_theirs() {
        let mut doc = replica(1);
        let view = SiteEquipment::new(&doc).unwrap();
        assert_eq!(view.apply(books::lobby()).unwrap(), books::lobby());
        let list = lobby_list(&[("radios", "对讲机"), ("aed", "AED 除颤仪")]);
        put_list(&mut doc, &list, &office_supervisor(1, 1_000)).unwrap();
        let view = SiteEquipment::new(&doc).unwrap();
        let lobby = view.apply(books::lobby()).unwrap();
        assert_eq!(lobby.equipment, list.items);
        assert_eq!(lobby.shifts, books::lobby().shifts, "only the list changes");
        assert!(view.is_own("lobby").unwrap());
        let flat = books::builtin("show-flat").unwrap();
        assert_eq!(view.apply(flat.clone()).unwrap(), flat);
        assert_eq!(
            SiteEquipment::builtin().apply(books::lobby()).unwrap(),
            books::lobby()
        );
        let last = crate::attribution::history(&doc).pop().unwrap();
        assert_eq!(last.summary, "equipment list put lobby");
    }

    #[test]
    fn unusable_lists_are_refused_without_a_change() {
        let mut doc = replica(1);
        let heads = doc.get_heads();
        let by = office_supervisor(1, 1_000);
        for bad in [
            lobby_list(&[]),
            lobby_list(&[("radios", "对讲机"), ("radios", "对讲机2")]),
            lobby_list(&[("has space", "对讲机")]),
            lobby_list(&[("radios", " ")]),
            EquipmentList {
                book: "no/slash".into(),
                ..lobby_list(&[("radios", "对讲机")])
            },
        ] {
            assert!(
                matches!(put_list(&mut doc, &bad, &by), Err(ModelError::Handover(_))),
                "{bad:?}"
            );
        }
        let long = "长".repeat(super::super::MAX_LABEL + 1);
        assert!(put_list(&mut doc, &lobby_list(&[("radios", &long)]), &by).is_err());
        assert_eq!(doc.get_heads(), heads);
    }

    #[test]
    fn concurrent_saves_keep_both_whole_until_saved_again() {
        let mut a = replica(1);
        let mut b = replica(2);
        let one = lobby_list(&[("radios", "对讲机")]);
        let two = lobby_list(&[("phone", "座机")]);
        put_list(&mut a, &one, &office_supervisor(1, 1_000)).unwrap();
        put_list(&mut b, &two, &office_supervisor(2, 1_000)).unwrap();
        a.merge(&mut b).unwrap();
        b.merge(&mut a).unwrap();
        let (va, vb) = (
            SiteEquipment::new(&a).unwrap(),
            SiteEquipment::new(&b).unwrap(),
        );
        assert_eq!(va.conflicts("lobby").unwrap().len(), 2);
        let shown = va.apply(books::lobby()).unwrap().equipment;
        assert_eq!(shown, vb.apply(books::lobby()).unwrap().equipment);
        assert!(shown == one.items || shown == two.items, "never a mix");
        let both = lobby_list(&[("radios", "对讲机"), ("phone", "座机")]);
        put_list(&mut a, &both, &office_supervisor(1, 2_000)).unwrap();
        let va = SiteEquipment::new(&a).unwrap();
        assert!(va.conflicts("lobby").unwrap().is_empty());
        assert_eq!(va.apply(books::lobby()).unwrap().equipment, both.items);
    }
}
