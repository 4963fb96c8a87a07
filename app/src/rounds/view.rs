//! What the checklist screen shows, computed from the document: plain data,
//! unit-tested without a browser.

use automerge::Automerge;
use shiftbook_model::attribution;
use shiftbook_model::attribution_check::{self, Doubt};
use shiftbook_model::checklist::{
    self, Checklist, ItemState, Mark, ProgressEvent, Status, parse_mark_summary,
};
use shiftbook_model::roster::StaffMember;
use shiftbook_model::signature::{self, Signature};
use shiftbook_model::template::Template;
use shiftbook_model::{Lang, ModelError};
use std::collections::BTreeMap;

/// One item's row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The item's id.
    pub item: String,
    /// What to check, in the UI language.
    pub label: String,
    /// Its merged state.
    pub state: ItemState,
    /// When the server first held each current mark (server ms), in the
    /// order of the state's marks; `None` until known.
    pub received: Vec<Option<i64>>,
    /// What contradicts each current mark's attribution (another device
    /// uploaded it, a role the person does not hold), in the order of the
    /// state's marks; empty when nothing does (see
    /// [`RoundView::with_doubts`]).
    pub doubts: Vec<Option<Doubt>>,
    /// An × needs a note saying what is wrong.
    pub note_required: bool,
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
    /// How many marks [`round_history`] lists.
    pub history_count: usize,
    /// Signatures and what came after them.
    pub sign_off: SignOffView,
    /// The earliest start, if any.
    pub started: Option<ProgressEvent>,
    /// The latest finish, if any.
    pub finished: Option<ProgressEvent>,
    /// The slot shown.
    pub slot: String,
}

/// What the top of a round's page shows: [`RoundView`] without its items
/// and sign-off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundHead {
    /// The template's title.
    pub title: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Items with a mark.
    pub checked: usize,
    /// All items.
    pub total: usize,
    /// Items whose current mark is ×.
    pub abnormal: usize,
    /// Items with disagreeing concurrent marks.
    pub conflicts: usize,
    /// The earliest start, if any.
    pub started: Option<ProgressEvent>,
    /// The latest finish, if any.
    pub finished: Option<ProgressEvent>,
}

impl RoundHead {
    /// The head of `round`.
    pub fn of(round: &RoundView) -> Self {
        Self {
            title: round.title.clone(),
            date: round.date.clone(),
            checked: round.checked,
            total: round.total,
            abnormal: round.abnormal,
            conflicts: round.conflicts,
            started: round.started.clone(),
            finished: round.finished.clone(),
        }
    }
}

/// One change made after the latest signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AfterSigning {
    /// Who, or `None` for an unattributed change.
    pub person: Option<String>,
    /// On which device.
    pub device: Option<String>,
    /// When (device clock).
    pub at_ms: Option<i64>,
    /// The item's label, for marks.
    pub item: Option<String>,
    /// The item id, for marks.
    pub item_id: Option<String>,
    /// The slot (round) of the day, for marks.
    pub slot: Option<String>,
    /// ✓ or ×, for marks.
    pub status: Option<Status>,
}

/// Signatures of the round and what changed after the latest one.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SignOffView {
    /// Every signature, oldest first.
    pub signatures: Vec<Signature>,
    /// Changes after the latest signature (made later or concurrently).
    pub after_latest: Vec<AfterSigning>,
    /// Item states exactly as the latest signature saw them.
    pub as_signed: Vec<(String, ItemState)>,
}

impl SignOffView {
    /// Whether `item` of `slot` changed after the latest signature.
    pub fn changed_after(&self, slot: &str, item: &str) -> bool {
        self.after_latest
            .iter()
            .any(|a| a.item_id.as_deref() == Some(item) && a.slot.as_deref() == Some(slot))
    }

    fn build(doc: &Automerge, slot: &str, labels: &[(String, String)]) -> Result<Self, ModelError> {
        let signatures = signature::signatures(doc)?;
        let Some(latest) = signatures.last() else {
            return Ok(Self::default());
        };
        let label = |id: &str| {
            labels
                .iter()
                .find(|(i, _)| i == id)
                .map_or_else(|| id.to_owned(), |(_, l)| l.clone())
        };
        let after_latest = signature::changes_after(doc, latest)?
            .into_iter()
            .map(|c| {
                let mark = parse_mark_summary(&c.summary);
                AfterSigning {
                    person: c.attribution.as_ref().map(|a| a.person.clone()),
                    device: c.attribution.as_ref().map(|a| a.device.clone()),
                    at_ms: c.attribution.as_ref().map(|a| a.at_ms),
                    item: mark.as_ref().map(|m| label(&m.item)),
                    item_id: mark.as_ref().map(|m| m.item.clone()),
                    slot: mark.as_ref().map(|m| m.slot.clone()),
                    status: mark.map(|m| m.status),
                }
            })
            .collect();
        let signed = signature::as_signed(doc, latest)?;
        let view = Checklist::new(&signed)?;
        let as_signed = labels
            .iter()
            .map(|(id, l)| Ok((l.clone(), view.item_state(slot, id)?)))
            .collect::<Result<Vec<_>, ModelError>>()?;
        Ok(Self {
            signatures,
            after_latest,
            as_signed,
        })
    }
}

impl RoundView {
    /// Mark each current mark whose change is doubtful
    /// ([`attribution_check::doubts`]): `uploaded_by` names the uploader of
    /// each change the server said differs from its attribution, `roster`
    /// is the site's (when the device has one).
    pub fn with_doubts(
        mut self,
        doc: &Automerge,
        uploaded_by: &BTreeMap<String, String>,
        roster: Option<&[StaffMember]>,
    ) -> Self {
        let doubts = attribution_check::doubts(doc, uploaded_by, roster);
        if doubts.is_empty() {
            return self;
        }
        let changes = mark_changes(doc);
        let doubt = |m: &Mark| {
            let key = (
                checklist::mark_key(&m.slot, &m.item),
                m.at_ms,
                m.device.clone(),
                m.person_id.clone(),
            );
            changes.get(&key).and_then(|h| doubts.get(h)).cloned()
        };
        for row in self.sections.iter_mut().flat_map(|s| s.rows.iter_mut()) {
            row.doubts = match &row.state {
                ItemState::Unmarked => Vec::new(),
                ItemState::Marked(m) => vec![doubt(m)],
                ItemState::Conflict(marks) => marks.iter().map(doubt).collect(),
            };
        }
        self
    }
}

/// Which change made each mark: (slot/item, device time, device, person)
/// → change hash (hex), from the attributed history.
fn mark_changes(doc: &Automerge) -> BTreeMap<(String, i64, String, String), String> {
    attribution::history(doc)
        .into_iter()
        .filter_map(|c| {
            let m = parse_mark_summary(&c.summary)?;
            let a = c.attribution?;
            let key = checklist::mark_key(&m.slot, &m.item);
            Some(((key, a.at_ms, a.device, a.person_id), c.hash))
        })
        .collect()
}

impl RoundView {
    /// Build the view of a checklist document. `receipts` are the server's
    /// receipt times of its changes (hash hex → ms), as far as known;
    /// `template` is shown until someone starts the round (which stores the
    /// template the round was walked with).
    pub fn build(
        doc: &Automerge,
        slot: &str,
        lang: Lang,
        receipts: Option<&BTreeMap<String, i64>>,
        template: &Template,
    ) -> Result<Self, ModelError> {
        let c = Checklist::new(doc)?;
        let template = c.template()?.unwrap_or_else(|| template.clone());
        let changes = match receipts {
            Some(r) if !r.is_empty() => mark_changes(doc),
            _ => BTreeMap::new(),
        };
        let received = |m: &Mark| {
            let key = (
                checklist::mark_key(&m.slot, &m.item),
                m.at_ms,
                m.device.clone(),
                m.person_id.clone(),
            );
            let hash = changes.get(&key)?;
            receipts?.get(hash).copied()
        };
        let mut sections: Vec<Section> = Vec::new();
        let (mut checked, mut abnormal, mut conflicts) = (0, 0, 0);
        for item in &template.items {
            let state = c.item_state(slot, &item.id)?;
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
            let received = match &state {
                ItemState::Unmarked => Vec::new(),
                ItemState::Marked(m) => vec![received(m)],
                ItemState::Conflict(marks) => marks.iter().map(received).collect(),
            };
            let row = Row {
                item: item.id.clone(),
                label: item.label.get(lang).to_owned(),
                state,
                received,
                doubts: Vec::new(),
                note_required: item.note_required,
            };
            match sections.last_mut() {
                Some(s) if s.area == area => s.rows.push(row),
                _ => sections.push(Section {
                    area,
                    rows: vec![row],
                }),
            }
        }
        let labels: Vec<(String, String)> = template
            .items
            .iter()
            .map(|i| (i.id.clone(), i.label.get(lang).to_owned()))
            .collect();
        let sign_off = SignOffView::build(doc, slot, &labels)?;
        let progress = c.progress(slot)?;
        Ok(Self {
            title: template.title.get(lang).to_owned(),
            date: c.date()?,
            total: template.items.len(),
            sections,
            checked,
            abnormal,
            conflicts,
            history_count: c.history_len(slot)?,
            sign_off,
            started: progress.started,
            finished: progress.finished,
            slot: slot.to_owned(),
        })
    }
}

/// Every mark ever made on the round `slot` of checklist `doc` (every
/// slot's in a schema 2 round), newest first. Read only when the history is
/// opened: a day's log grows with every tap.
pub fn round_history(doc: &Automerge, slot: &str) -> Result<Vec<Mark>, ModelError> {
    let c = Checklist::new(doc)?;
    let v2 = c.is_v2();
    let mut history: Vec<Mark> = c
        .history()?
        .into_iter()
        .filter(|m| m.slot == slot || v2)
        .collect();
    history.sort_by(|a, b| (b.at_ms, &b.device).cmp(&(a.at_ms, &a.device)));
    Ok(history)
}

/// A row in walking order, with its area's heading when it opens the area.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlatRow {
    /// The area heading, on the first row of each area.
    pub heading: Option<String>,
    /// The row.
    pub row: Row,
    /// The item changed after the latest signature.
    pub after_signing: bool,
}

impl RoundView {
    /// Every row in walking order (the tests' reference for
    /// [`Self::flat_row`]).
    #[cfg(test)]
    pub fn flat_rows(&self) -> Vec<FlatRow> {
        self.sections
            .iter()
            .flat_map(|s| {
                s.rows.iter().enumerate().map(|(i, row)| FlatRow {
                    heading: (i == 0).then(|| s.area.clone()),
                    row: row.clone(),
                    after_signing: self.sign_off.changed_after(&self.slot, &row.item),
                })
            })
            .collect()
    }

    /// The row of `item` in walking order, if the round has it.
    pub fn flat_row(&self, item: &str) -> Option<FlatRow> {
        self.sections.iter().find_map(|s| {
            let i = s.rows.iter().position(|r| r.item == item)?;
            let row = s.rows[i].clone();
            Some(FlatRow {
                heading: (i == 0).then(|| s.area.clone()),
                after_signing: self.sign_off.changed_after(&self.slot, &row.item),
                row,
            })
        })
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

    const SLOT: &str = "0830";
    use automerge::ActorId;
    use shiftbook_model::attribution::Attribution;
    use shiftbook_model::checklist;
    use shiftbook_model::roster::Role;
    use shiftbook_model::signature::Meaning;
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

    /// Today's lobby round, started on tablet T1.
    fn started() -> Automerge {
        let mut a = checklist::genesis("demo", "lobby-opening", "2026-11-23").unwrap();
        a.set_actor(ActorId::from(vec![1; 16]));
        checklist::start(&mut a, &lobby_opening(), SLOT, &author("T1", 0)).unwrap();
        a
    }

    #[test]
    fn counts_and_groups_follow_the_document() {
        let mut a = started();
        let mut b = a.fork().with_actor(ActorId::from(vec![2; 16]));
        checklist::mark(&mut a, SLOT, "doors", Status::Normal, "", &author("T1", 1)).unwrap();
        checklist::mark(
            &mut a,
            SLOT,
            "lifts",
            Status::Abnormal,
            "2号梯停运",
            &author("T1", 2),
        )
        .unwrap();
        checklist::mark(
            &mut b,
            SLOT,
            "doors",
            Status::Abnormal,
            "门禁失灵",
            &author("T2", 3),
        )
        .unwrap();
        a.merge(&mut b).unwrap();

        let v = RoundView::build(&a, SLOT, Lang::Zh, None, &lobby_opening()).unwrap();
        assert_eq!(v.title, "大堂开班巡查");
        assert_eq!(v.total, 11);
        assert_eq!((v.checked, v.abnormal, v.conflicts), (2, 1, 1));
        assert_eq!(v.sections.iter().map(|s| s.rows.len()).sum::<usize>(), 11);
        assert_eq!(v.sections[0].area, "出入口与扶梯");
        assert_eq!(v.history_count, 3);
        let history = round_history(&a, SLOT).unwrap();
        assert_eq!(history.len(), 3);
        assert_eq!(history[0].at_ms, 3, "newest first");

        let flat = v.flat_rows();
        assert_eq!(flat.len(), 11);
        for f in &flat {
            assert_eq!(
                v.flat_row(&f.row.item).as_ref(),
                Some(f),
                "one row as in the list"
            );
        }
        assert_eq!(v.flat_row("no-such-item"), None);
        assert_eq!(
            flat.iter().filter(|r| r.heading.is_some()).count(),
            v.sections.len()
        );
        assert_eq!(v.label_of("lifts"), "客梯运作正常");

        let en = RoundView::build(&a, SLOT, Lang::En, None, &lobby_opening()).unwrap();
        assert_eq!(en.title, "Lobby opening inspection");
    }

    #[test]
    fn changes_after_the_latest_signature_are_listed_with_who_and_the_signed_version_kept() {
        let mut a = started();
        let mut b = a.fork().with_actor(ActorId::from(vec![2; 16]));
        checklist::mark(&mut a, SLOT, "doors", Status::Normal, "", &author("T1", 1)).unwrap();
        let mut leader = author("T1", 2);
        leader.role = Role::Leader;
        leader.person = "李娜".into();
        signature::sign(&mut a, Meaning::DailyReview, &leader).unwrap();
        // Concurrently, another tablet marks an item; later the first re-marks doors.
        checklist::mark(
            &mut b,
            SLOT,
            "lifts",
            Status::Abnormal,
            "异响",
            &author("T2", 3),
        )
        .unwrap();
        a.merge(&mut b).unwrap();
        checklist::mark(
            &mut a,
            SLOT,
            "doors",
            Status::Abnormal,
            "门禁失灵",
            &author("T1", 4),
        )
        .unwrap();

        let v = RoundView::build(&a, SLOT, Lang::Zh, None, &lobby_opening())
            .unwrap()
            .sign_off;
        assert_eq!(v.signatures.len(), 1);
        assert_eq!(v.signatures[0].person, "李娜");
        let items: Vec<_> = v
            .after_latest
            .iter()
            .map(|x| (x.item_id.clone().unwrap(), x.device.clone().unwrap()))
            .collect();
        assert_eq!(items.len(), 2);
        assert!(items.contains(&("lifts".into(), "T2".into())));
        assert!(items.contains(&("doors".into(), "T1".into())));
        assert!(
            v.changed_after(SLOT, "lifts")
                && v.changed_after(SLOT, "doors")
                && !v.changed_after(SLOT, "toilets")
        );
        let signed_doors = v
            .as_signed
            .iter()
            .find(|(l, _)| l == "大门开关正常")
            .unwrap();
        assert!(matches!(&signed_doors.1, ItemState::Marked(m) if m.status == Status::Normal));
    }

    #[test]
    fn a_document_of_another_kind_is_an_error() {
        let doc = Automerge::new();
        assert!(RoundView::build(&doc, SLOT, Lang::Zh, None, &lobby_opening()).is_err());
    }

    #[test]
    fn each_current_mark_gets_the_receipt_of_the_change_that_made_it() {
        let mut a = started();
        let mut b = a.fork().with_actor(ActorId::from(vec![2; 16]));
        let first = checklist::mark(
            &mut a,
            SLOT,
            "doors",
            Status::Normal,
            "",
            &author("T1", 1_000),
        );
        let lifts = checklist::mark(
            &mut a,
            SLOT,
            "lifts",
            Status::Normal,
            "",
            &author("T1", 2_000),
        );
        let other = checklist::mark(
            &mut b,
            SLOT,
            "doors",
            Status::Abnormal,
            "坏",
            &author("T2", 1_500),
        );
        a.merge(&mut b).unwrap();
        let receipts = BTreeMap::from([
            (first.unwrap().to_string(), 61_000),
            (other.unwrap().to_string(), 90_000),
        ]);
        let v = RoundView::build(&a, SLOT, Lang::Zh, Some(&receipts), &lobby_opening()).unwrap();
        let row = |id: &str| {
            v.flat_rows()
                .into_iter()
                .find(|f| f.row.item == id)
                .unwrap()
                .row
        };
        let doors = row("doors");
        let ItemState::Conflict(marks) = &doors.state else {
            panic!("doors should conflict");
        };
        let by_device: Vec<(&str, Option<i64>)> = marks
            .iter()
            .map(|m| m.device.as_str())
            .zip(doors.received.iter().copied())
            .collect();
        assert_eq!(by_device, [("T1", Some(61_000)), ("T2", Some(90_000))]);
        assert_eq!(
            row("lifts").received,
            vec![None],
            "no receipt yet: {lifts:?}"
        );
        assert!(row("toilets").received.is_empty());
        let none = RoundView::build(&a, SLOT, Lang::Zh, None, &lobby_opening()).unwrap();
        assert!(
            none.sections
                .iter()
                .flat_map(|s| &s.rows)
                .all(|r| r.received.iter().all(Option::is_none))
        );
    }
}
