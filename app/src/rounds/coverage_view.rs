//! The desktop's checkpoint report for one service day: for each round
//! that has checkpoints, who walked it, how many of its checkpoints were
//! scanned, excused ("cannot scan") or missed, the marks made without the
//! scan they asked for or at the desk, and the legs walked too fast; then
//! the same summed per person and per post. Plain data, unit-tested.

use crate::nav::route::RoundRef;
use automerge::Automerge;
use shiftbook_model::ModelError;
use shiftbook_model::checklist::{Checklist, ItemState};
use shiftbook_model::checkpoints::Checkpoint;
use shiftbook_model::checkpoints::proof::{MarkProof, RoundProof};
use shiftbook_model::template::Template;
use std::collections::BTreeMap;

/// What one round's scans add up to.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Tally {
    /// Rounds counted.
    pub rounds: usize,
    /// Checkpoints the rounds should have passed.
    pub expected: usize,
    /// Of those, scanned.
    pub scanned: usize,
    /// Of those, "cannot scan".
    pub cannot_scan: usize,
    /// Marks backed by a scan.
    pub walked: usize,
    /// Marks that asked for a scan and had none.
    pub unscanned: usize,
    /// Marks made on the desktop.
    pub at_desk: usize,
    /// Legs walked faster than allowed.
    pub too_fast: usize,
}

impl Tally {
    fn add(&mut self, other: &Tally) {
        self.rounds += other.rounds;
        self.expected += other.expected;
        self.scanned += other.scanned;
        self.cannot_scan += other.cannot_scan;
        self.walked += other.walked;
        self.unscanned += other.unscanned;
        self.at_desk += other.at_desk;
        self.too_fast += other.too_fast;
    }

    /// Whether anything in it is flagged.
    pub fn flagged(&self) -> bool {
        self.scanned + self.cannot_scan < self.expected
            || self.cannot_scan + self.unscanned + self.at_desk + self.too_fast > 0
    }
}

/// One round of the day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoverageRow {
    /// Which round.
    pub round: RoundRef,
    /// The template's title, in the UI language.
    pub title: String,
    /// The template's post.
    pub post: String,
    /// Due, `HH:MM`.
    pub due: String,
    /// Who scanned or marked in it.
    pub people: Vec<String>,
    /// The checkpoints not passed, by name.
    pub missing: Vec<String>,
    /// The figures.
    pub tally: Tally,
}

impl CoverageRow {
    /// The row of `round` from its document, judged by `checkpoints`;
    /// `None` when no active checkpoint proves an item of the round.
    pub fn build(
        doc: &Automerge,
        round: &RoundRef,
        template: &Template,
        checkpoints: &[Checkpoint],
        title: String,
        due: String,
    ) -> Result<Option<Self>, ModelError> {
        let c = Checklist::new(doc)?;
        let template = c.template()?.unwrap_or_else(|| template.clone());
        let proof = RoundProof::new(&template, checkpoints, c.scans_of(&round.slot)?);
        let coverage = proof.coverage();
        if coverage.expected.is_empty() {
            return Ok(None);
        }
        let mut people: Vec<String> = proof.scans().iter().map(|j| j.scan.by.clone()).collect();
        let mut tally = Tally {
            rounds: 1,
            expected: coverage.expected.len(),
            scanned: coverage.scanned.len(),
            cannot_scan: coverage.cannot_scan.len(),
            too_fast: proof.legs().iter().filter(|l| l.too_fast).count(),
            ..Tally::default()
        };
        for item in &template.items {
            let marks = match c.item_state(&round.slot, &item.id)? {
                ItemState::Unmarked => Vec::new(),
                ItemState::Marked(m) => vec![m],
                ItemState::Conflict(all) => all,
            };
            for m in marks {
                people.push(m.by.clone());
                match proof.proof_of(&m) {
                    MarkProof::Walked(_) => tally.walked += 1,
                    MarkProof::Unscanned => tally.unscanned += 1,
                    MarkProof::AtDesk => tally.at_desk += 1,
                    MarkProof::CannotScan(_) | MarkProof::NotRequired => {}
                }
            }
        }
        people.sort();
        people.dedup();
        let name = |id: &String| {
            checkpoints
                .iter()
                .find(|c| &c.id == id)
                .map_or_else(|| id.clone(), |c| c.name.clone())
        };
        Ok(Some(Self {
            round: round.clone(),
            title,
            post: template.post.clone(),
            due,
            people,
            missing: coverage.missing.iter().map(name).collect(),
            tally,
        }))
    }
}

/// The rows' tallies summed by `key` (a person: every round they scanned
/// or marked in; a post: its rounds), by key.
pub fn summed(
    rows: &[CoverageRow],
    key: impl Fn(&CoverageRow) -> Vec<String>,
) -> Vec<(String, Tally)> {
    let mut out: BTreeMap<String, Tally> = BTreeMap::new();
    for row in rows {
        for k in key(row) {
            out.entry(k).or_default().add(&row.tally);
        }
    }
    out.into_iter().collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use automerge::ActorId;
    use shiftbook_model::attribution::Attribution;
    use shiftbook_model::checklist::{self, ScanOf, ScanVia, Status};
    use shiftbook_model::checkpoints::{Proves, new_code};
    use shiftbook_model::roster::Role;
    use shiftbook_model::template::lobby_opening;

    fn by(person: &str, device: &str, at_ms: i64) -> Attribution {
        Attribution {
            person_id: person.into(),
            person: person.into(),
            role: Role::Staff,
            device: device.into(),
            at_ms,
        }
    }

    fn checkpoint(id: &str, item: &str, n: u8) -> Checkpoint {
        Checkpoint {
            id: id.into(),
            name: format!("点{n}"),
            place: String::new(),
            proves: vec![Proves::item("lobby-opening", item)],
            code: new_code([n; 16]),
            revoked: Vec::new(),
            active: true,
        }
    }

    #[test]
    fn a_round_counts_its_checkpoints_marks_and_pace_and_sums_by_person_and_post() {
        let mut t = lobby_opening();
        t.items[0].scan_within_min = Some(10);
        t.items[1].scan_within_min = Some(10);
        t.min_walk_s = Some(60);
        let cps = [
            checkpoint("a", "doors", 1),
            checkpoint("b", "escalators", 2),
            checkpoint("c", "lighting", 3),
        ];
        let mut doc = checklist::genesis("demo", "lobby-opening", "2026-12-07").unwrap();
        doc.set_actor(ActorId::from(vec![1; 16]));
        let slot = "0830";
        checklist::start(&mut doc, &t, slot, &by("张伟", "T1", 0)).unwrap();
        let scan = |doc: &mut Automerge, cp: &Checkpoint, at: i64| {
            let what = ScanOf::Code {
                code: cp.code.clone(),
                via: ScanVia::Qr,
                checkpoint: cp.id.clone(),
            };
            checklist::record_scan(doc, slot, &what, &by("张伟", "T1", at)).unwrap();
        };
        scan(&mut doc, &cps[0], 1_000);
        scan(&mut doc, &cps[1], 21_000); // 20 s later: too fast
        checklist::mark(
            &mut doc,
            slot,
            "doors",
            Status::Normal,
            "",
            &by("张伟", "T1", 30_000),
        )
        .unwrap();
        checklist::mark(
            &mut doc,
            slot,
            "escalators",
            Status::Normal,
            "",
            &by("李娜", "T2", 10_000_000),
        )
        .unwrap();
        checklist::mark(
            &mut doc,
            slot,
            "lighting",
            Status::Normal,
            "",
            &by("zhuguan", "桌面·zhuguan", 40_000),
        )
        .unwrap();
        let round = RoundRef {
            template: "lobby-opening".into(),
            date: "2026-12-07".into(),
            slot: slot.into(),
        };
        let row = CoverageRow::build(
            &doc,
            &round,
            &t,
            &cps,
            "大堂开班巡查".into(),
            "08:30".into(),
        )
        .unwrap()
        .unwrap();
        assert_eq!(
            row.tally,
            Tally {
                rounds: 1,
                expected: 3,
                scanned: 2,
                cannot_scan: 0,
                walked: 1,
                unscanned: 1,
                at_desk: 1,
                too_fast: 1
            }
        );
        assert_eq!(row.missing, ["点3"]);
        assert_eq!(row.people, ["zhuguan", "张伟", "李娜"]);
        assert!(row.tally.flagged());
        let people = summed(&[row.clone(), row.clone()], |r| r.people.clone());
        assert_eq!(people.len(), 3);
        assert_eq!(people[1].1.rounds, 2);
        let posts = summed(&[row], |r| vec![r.post.clone()]);
        assert_eq!(posts[0].0, "lobby");
        // A round no checkpoint concerns is not in the report.
        assert_eq!(
            CoverageRow::build(&doc, &round, &t, &[], String::new(), String::new()).unwrap(),
            None
        );
    }
}
