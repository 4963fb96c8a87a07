//! The supervisor's form for a show flat's item list (《样板房物品清点记录表》),
//! laid out like the paper form: one row per item with its room, name,
//! expected quantity and where it stands. Plain data and the conversion to
//! and from [`FlatItems`], unit-tested without a browser; the page
//! (`desk.rs`) only renders it.
//!
//! Rooms are the distinct room names of the rows, in the order they first
//! appear. A room keeps its id while its Chinese name stays the same, and an
//! item keeps its id for as long as its row exists, so counts already made
//! against an item stay attached to it.

use crate::words::error_text::FormError;
use shiftbook_model::Lang;
use shiftbook_model::show_flat::{FlatItem, FlatItems, MAX_QUANTITY, Room};
use shiftbook_model::template::Bilingual;

/// One item row.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FlatRowForm {
    /// Stable item id (counts are keyed by it).
    pub id: String,
    /// Room, Chinese (rows with the same room name form one room).
    pub room_zh: String,
    /// Room, English.
    pub room_en: String,
    /// Item, Chinese.
    pub name_zh: String,
    /// Item, English.
    pub name_en: String,
    /// Expected quantity as typed.
    pub expected: String,
    /// Where it stands (optional).
    pub location: String,
}

/// What the supervisor typed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FlatForm {
    /// The flat's id (kept for an existing flat).
    pub flat_id: String,
    /// Name, Chinese.
    pub name_zh: String,
    /// Name, English.
    pub name_en: String,
    /// The items in walking order.
    pub rows: Vec<FlatRowForm>,
    /// Room ids by Chinese room name, from the list being edited.
    room_ids: Vec<(String, String)>,
}

impl FlatForm {
    /// An empty form for a new flat with id `flat_id`.
    pub fn new_flat(flat_id: String) -> Self {
        Self {
            flat_id,
            ..Self::default()
        }
    }

    /// The form of an existing list.
    pub fn of(flat: &FlatItems) -> Self {
        let rows = flat
            .items()
            .map(|(room, item)| FlatRowForm {
                id: item.id.clone(),
                room_zh: room.name.zh.clone(),
                room_en: room.name.en.clone(),
                name_zh: item.name.zh.clone(),
                name_en: item.name.en.clone(),
                expected: item.expected.to_string(),
                location: item.location.clone(),
            })
            .collect();
        Self {
            flat_id: flat.flat_id.clone(),
            name_zh: flat.name.zh.clone(),
            name_en: flat.name.en.clone(),
            rows,
            room_ids: flat
                .rooms
                .iter()
                .map(|r| (r.name.zh.trim().to_owned(), r.id.clone()))
                .collect(),
        }
    }

    /// A new row with item id `id`, in the room of the last row (the
    /// supervisor usually adds items room by room).
    pub fn add_row(&mut self, id: String) {
        let (room_zh, room_en) = self
            .rows
            .last()
            .map(|r| (r.room_zh.clone(), r.room_en.clone()))
            .unwrap_or_default();
        self.rows.push(FlatRowForm {
            id,
            room_zh,
            room_en,
            expected: "1".to_owned(),
            ..FlatRowForm::default()
        });
    }

    /// The item list, or why not in `lang`. `new_room_id` gives ids for
    /// rooms the list did not have (called once per new room, in order).
    pub fn to_flat(
        &self,
        lang: Lang,
        mut new_room_id: impl FnMut() -> String,
    ) -> Result<FlatItems, FormError> {
        let err = |zh: String, en: String| {
            Err(FormError(match lang {
                Lang::Zh => zh,
                Lang::En => en,
            }))
        };
        if self.name_zh.trim().is_empty() {
            return err("样板房名称不能为空".into(), "The flat needs a name".into());
        }
        if self.rows.is_empty() {
            return err("至少一件物品".into(), "Add at least one item".into());
        }
        let mut rooms: Vec<Room> = Vec::new();
        for (n, row) in self.rows.iter().enumerate() {
            let line = n + 1;
            let room_zh = row.room_zh.trim();
            if room_zh.is_empty() {
                return err(
                    format!("第 {line} 行:请填写房间"),
                    format!("Row {line}: enter the room"),
                );
            }
            if row.name_zh.trim().is_empty() {
                return err(
                    format!("第 {line} 行:请填写物品名称"),
                    format!("Row {line}: enter the item's name"),
                );
            }
            let expected: u32 = match row.expected.trim().parse() {
                Ok(q) if q <= MAX_QUANTITY => q,
                _ => {
                    return err(
                        format!("第 {line} 行:数量须为 0–{MAX_QUANTITY}"),
                        format!("Row {line}: the quantity is 0 to {MAX_QUANTITY}"),
                    );
                }
            };
            let item = FlatItem {
                id: row.id.clone(),
                name: Bilingual {
                    zh: row.name_zh.trim().to_owned(),
                    en: row.name_en.trim().to_owned(),
                },
                expected,
                location: row.location.trim().to_owned(),
            };
            match rooms.iter_mut().find(|r| r.name.zh == room_zh) {
                Some(room) => {
                    if room.name.en.is_empty() {
                        room.name.en = row.room_en.trim().to_owned();
                    }
                    room.items.push(item);
                }
                None => {
                    let id = self
                        .room_ids
                        .iter()
                        .find(|(name, _)| name == room_zh)
                        .map(|(_, id)| id.clone())
                        .unwrap_or_else(&mut new_room_id);
                    rooms.push(Room {
                        id,
                        name: Bilingual {
                            zh: room_zh.to_owned(),
                            en: row.room_en.trim().to_owned(),
                        },
                        items: vec![item],
                    });
                }
            }
        }
        let flat = FlatItems {
            flat_id: self.flat_id.clone(),
            name: Bilingual {
                zh: self.name_zh.trim().to_owned(),
                en: self.name_en.trim().to_owned(),
            },
            rooms,
        };
        flat.validate()
            .map_err(|e| FormError(crate::words::error_text::model_error(lang, &e)))?;
        Ok(flat)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shiftbook_model::show_flat::demo_flat;

    fn ids() -> impl FnMut() -> String {
        let mut n = 0;
        move || {
            n += 1;
            format!("room-new{n}")
        }
    }

    #[test]
    fn an_unchanged_list_round_trips_exactly() {
        let flat = demo_flat();
        assert_eq!(FlatForm::of(&flat).to_flat(Lang::Zh, ids()).unwrap(), flat);
    }

    #[test]
    fn rows_group_into_rooms_and_keep_their_ids() {
        let flat = demo_flat();
        let mut form = FlatForm::of(&flat);
        let first_room = flat.rooms[0].clone();
        // A new item in the first room, typed at the end of the list, and a
        // new room.
        form.add_row("item-x".into());
        let last = form.rows.len() - 1;
        form.rows[last].room_zh = first_room.name.zh.clone();
        form.rows[last].name_zh = "香薰".into();
        form.add_row("item-y".into());
        let last = form.rows.len() - 1;
        form.rows[last].room_zh = "屋顶花园".into();
        form.rows[last].room_en = "Roof garden".into();
        form.rows[last].name_zh = "躺椅".into();
        form.rows[last].expected = " 2 ".into();
        let out = form.to_flat(Lang::Zh, ids()).unwrap();
        assert_eq!(out.rooms.len(), flat.rooms.len() + 1);
        assert_eq!(out.rooms[0].id, first_room.id);
        assert_eq!(out.rooms[0].items.last().unwrap().id, "item-x");
        assert_eq!(out.rooms[0].items.len(), first_room.items.len() + 1);
        let balcony = out.rooms.last().unwrap();
        assert_eq!(
            (balcony.id.as_str(), balcony.name.en.as_str()),
            ("room-new1", "Roof garden")
        );
        assert_eq!(balcony.items[0].expected, 2);
    }

    #[test]
    fn bad_rows_say_which_row() {
        let mut form = FlatForm::new_flat("flat-b".into());
        form.name_zh = "B户型".into();
        assert!(form.to_flat(Lang::Zh, ids()).is_err(), "no items");
        form.add_row("i1".into());
        form.rows[0].room_zh = "客厅".into();
        assert!(
            form.to_flat(Lang::Zh, ids()).unwrap_err().0.contains('1'),
            "no name"
        );
        form.rows[0].name_zh = "沙发".into();
        form.rows[0].expected = "many".into();
        assert!(form.to_flat(Lang::Zh, ids()).is_err());
        form.rows[0].expected = (MAX_QUANTITY + 1).to_string();
        assert!(form.to_flat(Lang::Zh, ids()).is_err());
        form.rows[0].expected = "3".into();
        let ok = form.to_flat(Lang::Zh, ids()).unwrap();
        assert_eq!(ok.rooms[0].items[0].expected, 3);
        form.add_row("i1".into());
        form.rows[1].name_zh = "沙发2".into();
        let e = form.to_flat(Lang::Zh, ids()).unwrap_err().0;
        assert!(e.contains("编号不能重复"), "the same item id twice: {e}");
        form.name_zh = " ".into();
        assert!(form.to_flat(Lang::Zh, ids()).is_err());
    }

    #[test]
    fn a_new_row_starts_in_the_last_rows_room() {
        let mut form = FlatForm::of(&demo_flat());
        let room = form.rows.last().unwrap().room_zh.clone();
        form.add_row("n".into());
        assert_eq!(form.rows.last().unwrap().room_zh, room);
        assert_eq!(form.rows.last().unwrap().expected, "1");
        let last = form.rows.len() - 1;
        crate::ui::row_actions::move_up(&mut form.rows, last);
        assert_eq!(form.rows[form.rows.len() - 2].id, "n");
    }
}
