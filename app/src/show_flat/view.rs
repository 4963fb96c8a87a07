//! What the show-flat count screen shows for one flat, day and session
//! (opening or closing count): rooms in walking order, each item's expected
//! quantity and its count (or the disagreeing counts to redo), the day's
//! visitors and its discrepancies in words. Plain data, unit-tested.

use automerge::Automerge;
use shiftbook_model::show_flat::{
    Condition, CountSession, Discrepancy, DiscrepancyKind, Feedback, FlatItems, ItemCount,
    ShowFlatDay,
};
use shiftbook_model::signature::Signature;
use shiftbook_model::{Lang, ModelError};

/// One item's row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlatRow {
    /// Item id.
    pub item: String,
    /// Name in the UI language.
    pub name: String,
    /// Where it stands.
    pub location: String,
    /// Expected quantity.
    pub expected: u32,
    /// Its count in this session.
    pub count: ItemCount,
    /// Whether it has a discrepancy today (any session).
    pub discrepancy: bool,
}

/// One room.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlatRoom {
    /// Room id.
    pub id: String,
    /// Name in the UI language.
    pub name: String,
    /// Items in walking order.
    pub rows: Vec<FlatRow>,
    /// Items not counted yet in this session.
    pub uncounted: usize,
}

/// The screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlatDayView {
    /// The flat's name.
    pub title: String,
    /// Rooms.
    pub rooms: Vec<FlatRoom>,
    /// Visitors so far today.
    pub visitors: i64,
    /// Discrepancies, one line each.
    pub discrepancies: Vec<String>,
    /// Items counted in this session / all items.
    pub counted: usize,
    /// Guests' opinions and suggestions.
    pub feedback: Vec<Feedback>,
    /// The leaders' daily reviews.
    pub reviews: Vec<Signature>,
    /// Changes after the latest review.
    pub changed_after_review: usize,
    /// All items.
    pub total: usize,
}

fn condition(lang: Lang, c: Condition) -> &'static str {
    crate::words::i18n::condition(lang, c)
}

fn session(lang: Lang, s: CountSession) -> &'static str {
    crate::words::i18n::count_session(lang, s)
}

/// One discrepancy in words, with the item's name from `list`.
pub fn discrepancy_line(list: &FlatItems, d: &Discrepancy, lang: Lang) -> String {
    let item = list
        .item(&d.item)
        .map_or_else(|| d.item.clone(), |(_, i)| i.name.get(lang).to_owned());
    match (&d.kind, lang) {
        (
            DiscrepancyKind::ExpectedMismatch {
                session: s,
                expected,
                counted,
            },
            Lang::Zh,
        ) => {
            format!("{item}:{}应为 {expected},点得 {counted}", session(lang, *s))
        }
        (
            DiscrepancyKind::ExpectedMismatch {
                session: s,
                expected,
                counted,
            },
            Lang::En,
        ) => {
            format!(
                "{item}: {} expected {expected}, counted {counted}",
                session(lang, *s)
            )
        }
        (
            DiscrepancyKind::ConditionNotInPlace {
                session: s,
                condition: c,
            },
            _,
        ) => {
            format!("{item}: {} {}", session(lang, *s), condition(lang, *c))
        }
        (DiscrepancyKind::OpeningClosingDiffer { opening, closing }, Lang::Zh) => {
            format!("{item}:开馆 {opening},闭馆 {closing}")
        }
        (DiscrepancyKind::OpeningClosingDiffer { opening, closing }, Lang::En) => {
            format!("{item}: opening {opening}, closing {closing}")
        }
        (DiscrepancyKind::Disputed { session: s }, Lang::Zh) => {
            format!("{item}:{}记录不一致,请复点", session(lang, *s))
        }
        (DiscrepancyKind::Disputed { session: s }, Lang::En) => {
            format!("{item}: {} counts disagree, recount", session(lang, *s))
        }
    }
}

impl FlatDayView {
    /// Build from the day's document (`None` before it exists here) and
    /// the flat's current item list, shown until someone counts (the first
    /// count stores the list the day is counted against).
    pub fn build(
        doc: Option<&Automerge>,
        flat: &FlatItems,
        at: CountSession,
        lang: Lang,
    ) -> Result<Self, ModelError> {
        let day = doc.map(ShowFlatDay::new).transpose()?;
        let list = match &day {
            Some(d) => d.flat()?.unwrap_or_else(|| flat.clone()),
            None => flat.clone(),
        };
        let discrepancies = match &day {
            Some(d) => d.discrepancies()?,
            None => Vec::new(),
        };
        let lines = discrepancies
            .iter()
            .map(|d| discrepancy_line(&list, d, lang))
            .collect();
        let mut rooms = Vec::new();
        let (mut counted, mut total) = (0, 0);
        for room in &list.rooms {
            let mut rows = Vec::new();
            let mut uncounted = 0;
            for item in &room.items {
                let count = match &day {
                    Some(d) => d.item_count(at, &item.id)?,
                    None => ItemCount::Uncounted,
                };
                total += 1;
                if count == ItemCount::Uncounted {
                    uncounted += 1;
                } else {
                    counted += 1;
                }
                rows.push(FlatRow {
                    item: item.id.clone(),
                    name: item.name.get(lang).to_owned(),
                    location: item.location.clone(),
                    expected: item.expected,
                    count,
                    discrepancy: discrepancies.iter().any(|d| d.item == item.id),
                });
            }
            rooms.push(FlatRoom {
                id: room.id.clone(),
                name: room.name.get(lang).to_owned(),
                rows,
                uncounted,
            });
        }
        let summary = day.as_ref().map(ShowFlatDay::summary).transpose()?;
        let (feedback, reviews, changed_after_review) = match summary {
            Some(s) => (s.feedback, s.reviews, s.changed_after_review),
            None => (Vec::new(), Vec::new(), 0),
        };
        Ok(Self {
            title: list.name.get(lang).to_owned(),
            feedback,
            reviews,
            changed_after_review,
            rooms,
            visitors: match &day {
                Some(d) => d.visitors()?,
                None => 0,
            },
            discrepancies: lines,
            counted,
            total,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::ActorId;
    use shiftbook_model::attribution::Attribution;
    use shiftbook_model::roster::Role;
    use shiftbook_model::show_flat::{self, demo_flat};

    fn by(n: i64) -> Attribution {
        Attribution {
            person_id: "wang".into(),
            person: "王芳".into(),
            role: Role::Staff,
            device: "样板房平板".into(),
            at_ms: n,
        }
    }

    #[test]
    fn the_day_shows_counts_discrepancies_and_visitors() {
        let flat = demo_flat();
        let empty = FlatDayView::build(None, &flat, CountSession::Opening, Lang::Zh).unwrap();
        assert_eq!((empty.counted, empty.total), (0, flat.item_count()));
        assert!(empty.discrepancies.is_empty());

        let mut doc = show_flat::genesis("demo", &flat.flat_id, "2026-11-25").unwrap();
        doc.set_actor(ActorId::from(vec![1; 16]));
        let room = &flat.rooms[0];
        show_flat::all_as_expected(&mut doc, &flat, CountSession::Opening, &room.id, &by(1))
            .unwrap();
        let item = &room.items[0];
        show_flat::count(
            &mut doc,
            &flat,
            CountSession::Closing,
            &item.id,
            item.expected.saturating_sub(1),
            Condition::Missing,
            "",
            &by(2),
        )
        .unwrap();
        show_flat::add_visitors(&mut doc, 3, &by(3)).unwrap();

        let v = FlatDayView::build(Some(&doc), &flat, CountSession::Opening, Lang::Zh).unwrap();
        assert_eq!(v.counted, room.items.len());
        assert_eq!(v.rooms[0].uncounted, 0);
        assert_eq!(v.visitors, 3);
        assert!(v.rooms[0].rows[0].discrepancy);
        assert!(!v.rooms[0].rows[1].discrepancy);
        assert!(
            v.discrepancies
                .iter()
                .any(|l| l.contains(&item.name.zh) && l.contains("开馆")),
            "{:?}",
            v.discrepancies
        );
        let closing =
            FlatDayView::build(Some(&doc), &flat, CountSession::Closing, Lang::En).unwrap();
        assert_eq!(closing.counted, 1);
        assert!(
            matches!(&closing.rooms[0].rows[0].count, ItemCount::Counted(c) if c.condition == Condition::Missing)
        );
    }
}
