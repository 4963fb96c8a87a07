//! What the checklist screen shows, computed from the document: plain data,
//! unit-tested without a browser.

use automerge::Automerge;
use shiftbook_model::checklist::{Checklist, ItemState, Mark, Status};
use shiftbook_model::{Lang, ModelError};

/// One item's row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The item's id.
    pub item: String,
    /// What to check, in the UI language.
    pub label: String,
    /// Its merged state.
    pub state: ItemState,
}

/// The items of one area.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The area's name.
    pub area: String,
    /// Its items in walking order.
    pub rows: Vec<Row>,
}

/// The whole round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundView {
    /// The template's title.
    pub title: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Areas in walking order.
    pub sections: Vec<Section>,
    /// Items with a mark (conflicts count as checked).
    pub checked: usize,
    /// All items.
    pub total: usize,
    /// Items whose current mark is ×.
    pub abnormal: usize,
    /// Items with disagreeing concurrent marks.
    pub conflicts: usize,
    /// Every mark ever made, newest first.
    pub history: Vec<Mark>,
}

impl RoundView {
    /// Build the view of a checklist document.
    pub fn build(doc: &Automerge, lang: Lang) -> Result<Self, ModelError> {
        let c = Checklist::new(doc)?;
        let template = c.template()?;
        let mut sections: Vec<Section> = Vec::new();
        let (mut checked, mut abnormal, mut conflicts) = (0, 0, 0);
        for item in &template.items {
            let state = c.item_state(&item.id)?;
            match &state {
                ItemState::Unmarked => {}
                ItemState::Marked(m) => {
                    checked += 1;
                    abnormal += usize::from(m.status == Status::Abnormal);
                }
                ItemState::Conflict(_) => {
                    checked += 1;
                    conflicts += 1;
                }
            }
            let area = item.area.get(lang).to_owned();
            let row = Row {
                item: item.id.clone(),
                label: item.label.get(lang).to_owned(),
                state,
            };
            match sections.last_mut() {
                Some(s) if s.area == area => s.rows.push(row),
                _ => sections.push(Section {
                    area,
                    rows: vec![row],
                }),
            }
        }
        let mut history = c.history()?;
        history.sort_by(|a, b| (b.at_ms, &b.device).cmp(&(a.at_ms, &a.device)));
        Ok(Self {
            title: template.title.get(lang).to_owned(),
            date: c.date()?,
            total: template.items.len(),
            sections,
            checked,
            abnormal,
            conflicts,
            history,
        })
    }
}

/// A row in walking order, with its area's heading when it opens the area.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlatRow {
    /// The area heading, on the first row of each area.
    pub heading: Option<String>,
    /// The row.
    pub row: Row,
}

impl FlatRow {
    /// Identity for keyed rendering: changes whenever what the row shows
    /// changes, so unchanged rows (and a note being typed) are kept.
    pub fn render_key(&self) -> String {
        format!(
            "{:?}|{}|{}|{:?}",
            self.heading, self.row.item, self.row.label, self.row.state
        )
    }
}

impl RoundView {
    /// Every row in walking order.
    pub fn flat_rows(&self) -> Vec<FlatRow> {
        self.sections
            .iter()
            .flat_map(|s| {
                s.rows.iter().enumerate().map(|(i, row)| FlatRow {
                    heading: (i == 0).then(|| s.area.clone()),
                    row: row.clone(),
                })
            })
            .collect()
    }

    /// The label of `item`, or its id when the template lacks it.
    pub fn label_of(&self, item: &str) -> String {
        self.sections
            .iter()
            .flat_map(|s| &s.rows)
            .find(|r| r.item == item)
            .map_or_else(|| item.to_owned(), |r| r.label.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::ActorId;
    use shiftbook_model::attribution::Attribution;
    use shiftbook_model::checklist;
    use shiftbook_model::roster::Role;
    use shiftbook_model::template::lobby_opening;

    fn author(d: &str, at_ms: i64) -> Attribution {
        Attribution {
            person_id: d.into(),
            person: d.into(),
            role: Role::Staff,
            device: d.into(),
            at_ms,
        }
    }

    #[test]
    fn counts_and_groups_follow_the_document() {
        let mut a = checklist::genesis(&lobby_opening(), "demo", "2026-11-23").unwrap();
        a.set_actor(ActorId::from(vec![1; 16]));
        let mut b = a.fork().with_actor(ActorId::from(vec![2; 16]));
        checklist::mark(&mut a, "doors", Status::Normal, "", &author("T1", 1)).unwrap();
        checklist::mark(
            &mut a,
            "lifts",
            Status::Abnormal,
            "2号梯停运",
            &author("T1", 2),
        )
        .unwrap();
        checklist::mark(&mut b, "doors", Status::Abnormal, "", &author("T2", 3)).unwrap();
        a.merge(&mut b).unwrap();

        let v = RoundView::build(&a, Lang::Zh).unwrap();
        assert_eq!(v.title, "大堂开班巡查");
        assert_eq!(v.total, 11);
        assert_eq!((v.checked, v.abnormal, v.conflicts), (2, 1, 1));
        assert_eq!(v.sections.iter().map(|s| s.rows.len()).sum::<usize>(), 11);
        assert_eq!(v.sections[0].area, "出入口与扶梯");
        assert_eq!(v.history.len(), 3);
        assert_eq!(v.history[0].at_ms, 3, "newest first");

        let flat = v.flat_rows();
        assert_eq!(flat.len(), 11);
        assert_eq!(
            flat.iter().filter(|r| r.heading.is_some()).count(),
            v.sections.len()
        );
        assert_eq!(v.label_of("lifts"), "客梯运作正常");

        let en = RoundView::build(&a, Lang::En).unwrap();
        assert_eq!(en.title, "Lobby opening inspection");
    }

    #[test]
    fn a_document_of_another_kind_is_an_error() {
        let doc = Automerge::new();
        assert!(RoundView::build(&doc, Lang::Zh).is_err());
    }
}
