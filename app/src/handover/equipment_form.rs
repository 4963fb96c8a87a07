//! The desktop's form for a hand-over book's equipment check list: rows
//! of a Chinese and an English label, turned into the list the model
//! checks and stores. A row left blank is dropped; a label given in one
//! language only stands for both (a site that writes Chinese only still
//! gets a list the English screen can show).

use shiftbook_model::handover::equipment_lists::EquipmentList;
use shiftbook_model::handover::{Book, EquipmentItem};
use shiftbook_model::template::Bilingual;

/// One row of the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EquipmentRow {
    /// The item's id: kept for an existing item (checks refer to it), new
    /// for a row added here.
    pub id: String,
    /// The Chinese label.
    pub zh: String,
    /// The English label.
    pub en: String,
}

/// The form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EquipmentForm {
    /// The book the list belongs to.
    pub book: String,
    /// The rows, in checking order.
    pub rows: Vec<EquipmentRow>,
}

impl EquipmentForm {
    /// The form filled with `book`'s current list.
    pub fn of(book: &Book) -> Self {
        Self {
            book: book.id.clone(),
            rows: book
                .equipment
                .iter()
                .map(|e| EquipmentRow {
                    id: e.id.clone(),
                    zh: e.label.zh.clone(),
                    en: e.label.en.clone(),
                })
                .collect(),
        }
    }

    /// Add an empty row with the new id `id`.
    pub fn add_row(&mut self, id: String) {
        self.rows.push(EquipmentRow {
            id,
            zh: String::new(),
            en: String::new(),
        });
    }

    /// Remove row `i` (nothing when there is none).
    pub fn remove(&mut self, i: usize) {
        if i < self.rows.len() {
            self.rows.remove(i);
        }
    }

    /// The list to save: labels trimmed, blank rows dropped, a label in
    /// one language standing for both. The model checks the rest.
    pub fn to_list(&self) -> EquipmentList {
        let items = self
            .rows
            .iter()
            .filter_map(|r| {
                let (zh, en) = (r.zh.trim(), r.en.trim());
                let (zh, en) = match (zh.is_empty(), en.is_empty()) {
                    (true, true) => return None,
                    (true, false) => (en, en),
                    (false, true) => (zh, zh),
                    (false, false) => (zh, en),
                };
                Some(EquipmentItem {
                    id: r.id.clone(),
                    label: Bilingual {
                        zh: zh.to_owned(),
                        en: en.to_owned(),
                    },
                })
            })
            .collect();
        EquipmentList {
            book: self.book.clone(),
            items,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shiftbook_model::handover::books;

    #[test]
    fn the_books_list_round_trips_and_edits_become_the_saved_list() {
        let lobby = books::lobby();
        let mut form = EquipmentForm::of(&lobby);
        assert_eq!(form.to_list().items, lobby.equipment, "unchanged");
        form.remove(0);
        form.remove(99);
        form.add_row("eq-1".into());
        form.rows.last_mut().unwrap().zh = "  AED 除颤仪 ".into();
        form.add_row("eq-2".into());
        form.add_row("eq-3".into());
        form.rows.last_mut().unwrap().en = "Umbrella stand".into();
        let list = form.to_list();
        assert_eq!(list.book, "lobby");
        assert_eq!(
            list.items.len(),
            lobby.equipment.len() + 1,
            "blank row dropped"
        );
        assert_eq!(list.items[0], lobby.equipment[1]);
        let aed = list.items.iter().find(|i| i.id == "eq-1").unwrap();
        assert_eq!(
            (aed.label.zh.as_str(), aed.label.en.as_str()),
            ("AED 除颤仪", "AED 除颤仪")
        );
        let stand = list.items.iter().find(|i| i.id == "eq-3").unwrap();
        assert_eq!(stand.label.zh, "Umbrella stand");
        assert!(list.validate().is_ok());
    }

    #[test]
    fn an_emptied_list_is_for_the_model_to_refuse() {
        let mut form = EquipmentForm::of(&books::lobby());
        form.rows.clear();
        assert!(form.to_list().validate().is_err());
    }
}
