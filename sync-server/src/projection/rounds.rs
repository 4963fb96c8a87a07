//! A checklist document as rows: one per round (slot) walked or begun that
//! day, and one per current mark. Pure: the document and the site's UTC
//! offset in, rows out; what a row says about lateness is the schedule's
//! verdict ([`shiftbook_model::schedule::Slot::state`]) on the round's own
//! template snapshot, so the desktop and the dashboard never disagree.

use automerge::Automerge;
use shiftbook_model::ModelError;
use shiftbook_model::checklist::{Checklist, ItemState, ProgressKind, Status};
use shiftbook_model::round_figures::{ProjectedRound, RoundState};
use shiftbook_model::schedule::{Date, LocalDateTime, RoundProgress, SlotState, slots_on};
use std::collections::BTreeSet;

/// One current mark (several for an item with disagreeing marks).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkRow {
    /// The slot.
    pub slot: String,
    /// The item.
    pub item: String,
    /// ✓ or ×.
    pub status: Status,
    /// The note.
    pub note: String,
    /// Who, by name.
    pub by: String,
    /// Their roster id.
    pub person_id: String,
    /// The device.
    pub device: String,
    /// When, local.
    pub at: String,
}

/// The rows of one checklist document.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RoundRows {
    /// Its rounds, by slot.
    pub rounds: Vec<ProjectedRound>,
    /// Their current marks, by slot and item.
    pub marks: Vec<MarkRow>,
}

/// Local wall time of a device clock reading, `offset_min` east of UTC.
pub fn local(at_ms: i64, offset_min: i32) -> Option<LocalDateTime> {
    LocalDateTime::from_epoch_minutes(at_ms.div_euclid(60_000) + i64::from(offset_min))
}

/// The rows of `doc`, the checklist document `doc_id`; times local at
/// `offset_min`.
pub fn round_rows(
    doc_id: &str,
    doc: &Automerge,
    offset_min: i32,
) -> Result<RoundRows, Box<ModelError>> {
    let list = Checklist::new(doc)?;
    let template = list.template()?;
    let template_id = list.template_id()?;
    let date = list.date()?;
    let events = list.progress_events()?;
    let history = list.history()?;
    let mut slots: BTreeSet<String> = events.iter().map(|e| e.slot.clone()).collect();
    slots.extend(history.iter().map(|m| m.slot.clone()));
    let scheduled = match (
        template.as_ref().and_then(|t| t.schedule.as_ref()),
        Date::parse(&date),
    ) {
        (Some(s), Ok(d)) => slots_on(s, d).unwrap_or_default(),
        _ => Vec::new(),
    };
    let item_ids: Vec<String> = template
        .as_ref()
        .map(|t| t.items.iter().map(|i| i.id.clone()).collect())
        .unwrap_or_default();
    let mut out = RoundRows::default();
    for slot in slots {
        let mut marked = 0;
        let mut abnormal = 0;
        let mut ids = item_ids.clone();
        for m in history.iter().filter(|m| m.slot == slot) {
            if !ids.contains(&m.item) {
                ids.push(m.item.clone());
            }
        }
        for item in &ids {
            let marks = match list.item_state(&slot, item)? {
                ItemState::Unmarked => continue,
                ItemState::Marked(m) => vec![m],
                ItemState::Conflict(ms) => ms,
            };
            marked += 1;
            if marks.iter().any(|m| m.status == Status::Abnormal) {
                abnormal += 1;
            }
            for m in marks {
                out.marks.push(MarkRow {
                    slot: slot.clone(),
                    item: item.clone(),
                    status: m.status,
                    note: m.note,
                    by: m.by,
                    person_id: m.person_id,
                    device: m.device,
                    at: local(m.at_ms, offset_min)
                        .map(|t| t.to_string())
                        .unwrap_or_default(),
                });
            }
        }
        let first = |kind: ProgressKind| {
            events
                .iter()
                .filter(|e| e.kind == kind && e.slot == slot)
                .min_by_key(|e| e.at_ms)
        };
        let last_finish = events
            .iter()
            .filter(|e| e.kind == ProgressKind::Finished && e.slot == slot)
            .max_by_key(|e| e.at_ms);
        let started = first(ProgressKind::Started);
        let at = |ms: i64| local(ms, offset_min);
        let progress = match (
            started.and_then(|e| at(e.at_ms)),
            last_finish.and_then(|e| at(e.at_ms)),
        ) {
            (Some(s), Some(f)) => RoundProgress::Finished { started: s, at: f },
            (Some(s), None) => RoundProgress::Started { at: s },
            _ => RoundProgress::NotStarted,
        };
        let sched = scheduled.iter().find(|s| s.key == slot);
        let state = match (sched, progress) {
            (_, RoundProgress::NotStarted) => RoundState::NotStarted,
            (_, RoundProgress::Started { .. }) => RoundState::InProgress,
            (None, RoundProgress::Finished { .. }) => RoundState::OnTime,
            (Some(s), p) => match s.state(s.deadline, p) {
                SlotState::Done {
                    after_deadline: true,
                    ..
                } => RoundState::MadeUp,
                SlotState::Done { late: true, .. } => RoundState::Late,
                _ => RoundState::OnTime,
            },
        };
        out.rounds.push(ProjectedRound {
            doc_id: doc_id.to_owned(),
            slot: slot.clone(),
            template_id: template_id.clone(),
            title: template
                .as_ref()
                .map(|t| t.title.zh.clone())
                .unwrap_or_default(),
            post: template
                .as_ref()
                .map(|t| t.post.clone())
                .unwrap_or_default(),
            date: date.clone(),
            due: sched.map(|s| s.due.to_string()),
            started: started.and_then(|e| at(e.at_ms)).map(|t| t.to_string()),
            started_by: started.map(|e| e.by.clone()),
            finished: last_finish.and_then(|e| at(e.at_ms)).map(|t| t.to_string()),
            finished_by: last_finish.map(|e| e.by.clone()),
            items: u32::try_from(item_ids.len()).unwrap_or(u32::MAX),
            marked,
            abnormal,
            state,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use shiftbook_model::attribution::Attribution;
    use shiftbook_model::checklist::{self, finish, mark_starting};
    use shiftbook_model::roster::Role;
    use shiftbook_model::template::builtins;

    const CHINA: i32 = 480;

    /// Device clock of local `hh:mm` on 2026-11-23 in China.
    fn at(hh: i64, mm: i64) -> i64 {
        // 2026-11-23 00:00 local = 2026-11-22 16:00 UTC.
        let midnight_utc = LocalDateTime::parse("2026-11-22 16:00")
            .map(|t| t.epoch_minutes())
            .unwrap_or_default();
        (midnight_utc + hh * 60 + mm) * 60_000
    }

    fn by(name: &str, at_ms: i64) -> Attribution {
        Attribution {
            person_id: format!("p-{name}"),
            person: name.to_owned(),
            role: Role::Staff,
            device: "大堂平板1".into(),
            at_ms,
        }
    }

    #[test]
    fn a_round_begun_in_its_grace_is_on_time_and_one_begun_later_is_late() {
        let t = builtins()
            .into_iter()
            .find(|t| t.id == "lobby-opening")
            .unwrap();
        let slot = "0830";
        for (start, want) in [((8, 35), RoundState::OnTime), ((9, 20), RoundState::Late)] {
            let mut doc = checklist::genesis("demo", &t.id, "2026-11-23").unwrap();
            doc.set_actor(automerge::ActorId::random());
            let begun = at(start.0, start.1);
            mark_starting(
                &mut doc,
                &t,
                slot,
                "doors",
                Status::Normal,
                "",
                &by("张伟", begun),
            )
            .unwrap();
            mark_starting(
                &mut doc,
                &t,
                slot,
                "lighting",
                Status::Abnormal,
                "灯坏",
                &by("张伟", begun + 60_000),
            )
            .unwrap();
            let before = round_rows("d", &doc, CHINA).unwrap();
            assert_eq!(before.rounds[0].state, RoundState::InProgress);
            finish(&mut doc, slot, &by("张伟", begun + 600_000)).unwrap();
            let rows = round_rows("d", &doc, CHINA).unwrap();
            assert_eq!(rows.rounds.len(), 1);
            let r = &rows.rounds[0];
            assert_eq!(r.state, want, "begun {start:?}");
            assert_eq!(r.due.as_deref(), Some("2026-11-23 08:30"));
            assert_eq!(
                r.started.as_deref(),
                Some(&*format!("2026-11-23 {:02}:{:02}", start.0, start.1))
            );
            assert_eq!(
                (r.items as usize, r.marked, r.abnormal),
                (t.items.len(), 2, 1)
            );
            assert_eq!(r.finished_by.as_deref(), Some("张伟"));
            assert_eq!(rows.marks.len(), 2);
            let lighting = rows.marks.iter().find(|m| m.item == "lighting").unwrap();
            assert_eq!(
                (lighting.status, lighting.note.as_str()),
                (Status::Abnormal, "灯坏")
            );
        }
    }

    #[test]
    fn disagreeing_marks_are_all_rows_and_the_item_counts_as_abnormal_once() {
        let t = builtins()
            .into_iter()
            .find(|t| t.id == "lobby-opening")
            .unwrap();
        let mut a = checklist::genesis("demo", &t.id, "2026-11-23").unwrap();
        a.set_actor(automerge::ActorId::random());
        mark_starting(
            &mut a,
            &t,
            "0830",
            "doors",
            Status::Normal,
            "",
            &by("张伟", at(8, 31)),
        )
        .unwrap();
        let mut b = a.fork();
        checklist::mark(
            &mut a,
            "0830",
            "lighting",
            Status::Normal,
            "",
            &by("张伟", at(8, 32)),
        )
        .unwrap();
        checklist::mark(
            &mut b,
            "0830",
            "lighting",
            Status::Abnormal,
            "灯坏",
            &by("李娜", at(8, 33)),
        )
        .unwrap();
        a.merge(&mut b).unwrap();
        let rows = round_rows("d", &a, CHINA).unwrap();
        assert_eq!((rows.rounds[0].marked, rows.rounds[0].abnormal), (2, 1));
        assert_eq!(
            rows.marks.iter().filter(|m| m.item == "lighting").count(),
            2
        );
    }

    #[test]
    fn not_a_checklist_is_an_error() {
        let doc = shiftbook_model::templates::genesis("demo").unwrap();
        assert!(round_rows("d", &doc, CHINA).is_err());
    }
}
