//! What a round's checkpoint scans prove, as its screen shows it: which
//! items wait for a scan, what backs each current mark (walked, "cannot
//! scan", unscanned, recorded at the desk), and the round's scans in order
//! with the time walked between them. Plain data from
//! [`RoundProof`], unit-tested without a browser.

use crate::rounds::view::RoundView;
use shiftbook_model::checklist::{ItemState, Mark, Scan, ScanVia};
use shiftbook_model::checkpoints::Checkpoint;
use shiftbook_model::checkpoints::proof::{MarkProof, NeedsScan, RoundProof};
use shiftbook_model::template::Template;
use std::collections::BTreeMap;

/// What backs one current mark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProofTag {
    /// A scan at `place` at `at_ms`.
    Walked {
        /// The checkpoint's name.
        place: String,
        /// When it was scanned.
        at_ms: i64,
    },
    /// "Cannot scan" at `place`, for `reason` (flagged).
    CannotScan {
        /// The checkpoint's name.
        place: String,
        /// Why.
        reason: String,
    },
    /// A scan was asked for and there was none (flagged).
    Unscanned,
    /// Made on a supervisor's desktop (flagged: not walked).
    AtDesk,
}

impl ProofTag {
    fn of(proof: MarkProof) -> Option<Self> {
        match proof {
            MarkProof::NotRequired => None,
            MarkProof::AtDesk => Some(Self::AtDesk),
            MarkProof::Unscanned => Some(Self::Unscanned),
            MarkProof::Walked(j) => Some(Self::Walked {
                place: j.place(),
                at_ms: j.scan.at_ms,
            }),
            MarkProof::CannotScan(j) => Some(Self::CannotScan {
                place: j.place(),
                reason: j.scan.reason,
            }),
        }
    }

    /// Whether the desktop flags it.
    pub fn flagged(&self) -> bool {
        !matches!(self, Self::Walked { .. })
    }

    /// A stable name for tests and styles.
    pub fn key(&self) -> &'static str {
        match self {
            Self::Walked { .. } => "walked",
            Self::CannotScan { .. } => "cannot-scan",
            Self::Unscanned => "unscanned",
            Self::AtDesk => "at-desk",
        }
    }
}

/// One item's row, as the checkpoint rules see it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RowProof {
    /// A scan is asked for and missing now.
    pub needs: Option<NeedsScan>,
    /// What backs each current mark (in the order the row shows them);
    /// `None` where nothing is asked of it.
    pub marks: Vec<Option<ProofTag>>,
}

/// One scan in the round's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanLine {
    /// The checkpoint's name (the code's start when unknown).
    pub place: String,
    /// When.
    pub at_ms: i64,
    /// Who.
    pub by: String,
    /// On which device.
    pub device: String,
    /// QR, NFC or "cannot scan".
    pub via: ScanVia,
    /// Why it could not be scanned.
    pub reason: String,
    /// It proves having been there.
    pub counts: bool,
    /// Its label was revoked.
    pub revoked_label: bool,
    /// The code is no checkpoint this device knows.
    pub unknown: bool,
    /// Time since the previous counting scan, for a counting scan.
    pub gap_ms: Option<i64>,
    /// Walked from the previous checkpoint faster than the template allows.
    pub too_fast: bool,
}

/// The round's checkpoint side.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProofView {
    /// Some active checkpoint proves an item of this round: the round
    /// offers scanning.
    pub in_use: bool,
    /// The active checkpoints of this round's items, (id, name), for
    /// "cannot scan".
    pub checkpoints: Vec<(String, String)>,
    /// By item id.
    pub rows: BTreeMap<String, RowProof>,
    /// The scans of the slot, oldest first.
    pub scans: Vec<ScanLine>,
    /// How many legs were walked too fast.
    pub too_fast: usize,
}

impl ProofView {
    /// The view of `round` (what its screen shows of the slot) at `now_ms`,
    /// with the slot's `scans`, by `checkpoints` and the rules of
    /// `template` (the ones a tap is checked against). Reads no document:
    /// the items' states are the round view's own.
    pub fn build(
        round: &RoundView,
        template: &Template,
        checkpoints: &[Checkpoint],
        scans: Vec<Scan>,
        now_ms: i64,
    ) -> Self {
        let proof = RoundProof::new(template, checkpoints, scans);
        let mut rows = BTreeMap::new();
        let mut ids: Vec<(String, String)> = Vec::new();
        for row in round.sections.iter().flat_map(|s| &s.rows) {
            for cp in proof.proving(&row.item) {
                if !ids.iter().any(|(id, _)| *id == cp.id) {
                    ids.push((cp.id.clone(), cp.name.clone()));
                }
            }
            let tag = |m: &Mark| ProofTag::of(proof.proof_of(m));
            let marks = match &row.state {
                ItemState::Unmarked => Vec::new(),
                ItemState::Marked(m) => vec![tag(m)],
                ItemState::Conflict(all) => all.iter().map(tag).collect(),
            };
            rows.insert(
                row.item.clone(),
                RowProof {
                    needs: proof.may_mark(&row.item, now_ms).err(),
                    marks,
                },
            );
        }
        let legs = proof.legs();
        let scans = proof
            .scans()
            .iter()
            .map(|j| {
                let leg = legs.iter().find(|l| l.to.scan == j.scan);
                ScanLine {
                    place: j.place(),
                    at_ms: j.scan.at_ms,
                    by: j.scan.by.clone(),
                    device: j.scan.device.clone(),
                    via: j.scan.via,
                    reason: j.scan.reason.clone(),
                    counts: j.counts,
                    revoked_label: j.revoked_label,
                    unknown: j.checkpoint.is_none(),
                    gap_ms: leg.map(|l| l.gap_ms),
                    too_fast: leg.is_some_and(|l| l.too_fast),
                }
            })
            .collect();
        Self {
            in_use: !ids.is_empty(),
            checkpoints: ids,
            rows,
            scans,
            too_fast: legs.iter().filter(|l| l.too_fast).count(),
        }
    }

    /// The row of `item` (nothing asked of an item the view lacks).
    pub fn row(&self, item: &str) -> RowProof {
        self.rows.get(item).cloned().unwrap_or_default()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use automerge::{ActorId, Automerge};
    use shiftbook_model::Lang;
    use shiftbook_model::attribution::Attribution;
    use shiftbook_model::checklist::Checklist;
    use shiftbook_model::checklist::{self, ScanOf, Status};
    use shiftbook_model::checkpoints::{Proves, new_code};
    use shiftbook_model::roster::Role;
    use shiftbook_model::template::lobby_opening;

    const SLOT: &str = "0830";
    const MIN: i64 = 60_000;

    /// The view of the round `doc` as its page builds it.
    fn view(doc: &Automerge, t: &Template, cps: &[Checkpoint], now_ms: i64) -> ProofView {
        let round = RoundView::build(doc, SLOT, Lang::Zh, None, t).unwrap();
        let scans = Checklist::new(doc).unwrap().scans_of(SLOT).unwrap();
        ProofView::build(&round, t, cps, scans, now_ms)
    }

    fn by(device: &str, at_ms: i64) -> Attribution {
        Attribution {
            person_id: "p1".into(),
            person: "张伟".into(),
            role: Role::Staff,
            device: device.into(),
            at_ms,
        }
    }

    fn template() -> Template {
        let mut t = lobby_opening();
        t.items[0].scan_within_min = Some(10); // doors
        t.min_walk_s = Some(60);
        t
    }

    fn checkpoint(id: &str, name: &str, item: &str, n: u8) -> Checkpoint {
        Checkpoint {
            id: id.into(),
            name: name.into(),
            place: String::new(),
            proves: vec![Proves::item("lobby-opening", item)],
            code: new_code([n; 16]),
            revoked: Vec::new(),
            active: true,
        }
    }

    fn scan(doc: &mut Automerge, cp: &Checkpoint, at_ms: i64) {
        let what = ScanOf::Code {
            code: cp.code.clone(),
            via: ScanVia::Qr,
            checkpoint: cp.id.clone(),
        };
        checklist::record_scan(doc, SLOT, &what, &by("T1", at_ms)).unwrap();
    }

    #[test]
    fn an_item_waits_for_its_scan_and_its_mark_then_shows_where_it_was_walked() {
        let t = template();
        let cps = [
            checkpoint("cp-door", "大门", "doors", 1),
            checkpoint("cp-lift", "电梯厅", "lifts", 2),
        ];
        let mut doc = checklist::genesis("demo", "lobby-opening", "2026-11-23").unwrap();
        doc.set_actor(ActorId::from(vec![1; 16]));
        checklist::start(&mut doc, &t, SLOT, &by("T1", 0)).unwrap();
        let v = view(&doc, &t, &cps, 100 * MIN);
        assert!(v.in_use);
        assert_eq!(
            v.checkpoints,
            [
                ("cp-door".to_owned(), "大门".to_owned()),
                ("cp-lift".to_owned(), "电梯厅".to_owned())
            ]
        );
        assert_eq!(v.row("doors").needs.unwrap().checkpoints, ["大门"]);
        assert_eq!(v.row("lifts").needs, None, "no window asked");
        scan(&mut doc, &cps[0], 100 * MIN);
        scan(&mut doc, &cps[1], 100 * MIN + 20_000);
        checklist::mark(
            &mut doc,
            SLOT,
            "doors",
            Status::Normal,
            "",
            &by("T1", 101 * MIN),
        )
        .unwrap();
        checklist::mark(
            &mut doc,
            SLOT,
            "lifts",
            Status::Normal,
            "",
            &by("桌面·wang", 102 * MIN),
        )
        .unwrap();
        let v = view(&doc, &t, &cps, 105 * MIN);
        assert_eq!(v.row("doors").needs, None);
        assert_eq!(
            v.row("doors").marks,
            [Some(ProofTag::Walked {
                place: "大门".into(),
                at_ms: 100 * MIN
            })]
        );
        assert_eq!(v.row("lifts").marks, [Some(ProofTag::AtDesk)]);
        assert_eq!(v.row("lighting").marks, Vec::<Option<ProofTag>>::new());
        // The window closes with time.
        let later = view(&doc, &t, &cps, 111 * MIN);
        assert!(later.row("doors").needs.is_some());
        // The scans in order, the second 20 s after the first: too fast.
        assert_eq!(
            v.scans
                .iter()
                .map(|s| (s.place.as_str(), s.gap_ms, s.too_fast))
                .collect::<Vec<_>>(),
            [("大门", None, false), ("电梯厅", Some(20_000), true)]
        );
        assert_eq!(v.too_fast, 1);
    }

    #[test]
    fn a_round_without_checkpoints_asks_nothing() {
        let t = template();
        let mut doc = checklist::genesis("demo", "lobby-opening", "2026-11-23").unwrap();
        doc.set_actor(ActorId::from(vec![1; 16]));
        checklist::mark_starting(
            &mut doc,
            &t,
            SLOT,
            "doors",
            Status::Normal,
            "",
            &by("T1", 1),
        )
        .unwrap();
        let v = view(&doc, &t, &[], 2);
        assert!(!v.in_use && v.scans.is_empty());
        assert_eq!(
            v.row("doors"),
            RowProof {
                needs: None,
                marks: vec![None]
            }
        );
    }
}
