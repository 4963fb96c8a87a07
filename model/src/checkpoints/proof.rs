//! What a round's scans prove, by the site's checkpoints and the template's
//! rules: whether an item may be marked now, what backs a mark, which
//! checkpoints were walked past and how fast.
//!
//! * **Scan window.** An item with `scan_within_min = Some(n)` that some
//!   active checkpoint proves may be marked only within `n` minutes after
//!   a counting scan of such a checkpoint in the same slot, or after a
//!   "cannot scan" of one (allowed, with a reason, and flagged). An item
//!   no checkpoint proves needs no scan: a rule nobody can meet must not
//!   stop a round.
//! * **Counting scans.** A scan counts when its code is a current label,
//!   or a revoked one scanned before its revocation
//!   ([`super::Lookup::counts_at`]); unknown codes and retired checkpoints
//!   never count. A scan is judged by the checkpoints the reader holds, so
//!   a tablet that had not heard of a revocation is judged right later.
//! * **Pace.** Consecutive counting scans of different checkpoints closer
//!   than the template's `min_walk_s` are flagged as walked too fast.
//! * **At the desk.** A mark a supervisor's desktop made
//!   ([`crate::attribution_check::DESKTOP_PREFIX`]) is recorded at the desk:
//!   it never counts as walked, whatever scans there are.
//!
//! Times are device clocks. A scan may be up to [`CLOCK_SLACK_MS`] after
//! the mark it backs (two tablets' clocks, or the same second).

use super::{Checkpoint, Lookup, lookup_in};
use crate::checklist::{Mark, Scan, ScanVia};
use crate::template::Template;

/// How far a scan may lie after the mark it backs.
pub const CLOCK_SLACK_MS: i64 = 60_000;

/// A scan with what it is by the checkpoints held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JudgedScan {
    /// The scan as recorded.
    pub scan: Scan,
    /// The checkpoint it is at: the one the code belongs to, or for
    /// "cannot scan" the one named; `None` when unknown.
    pub checkpoint: Option<Checkpoint>,
    /// Whether it proves having been there ([`Lookup::counts_at`]);
    /// "cannot scan" never does.
    pub counts: bool,
    /// The code's label was revoked (at any time).
    pub revoked_label: bool,
}

impl JudgedScan {
    /// The checkpoint's name, or the code's start when unknown.
    pub fn place(&self) -> String {
        match &self.checkpoint {
            Some(c) => c.name.clone(),
            None => self.scan.code.chars().take(6).collect(),
        }
    }
}

/// Why an item cannot be marked yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeedsScan {
    /// The item's window, minutes.
    pub within_min: u32,
    /// The checkpoints that would do, by name.
    pub checkpoints: Vec<String>,
}

/// What backs a mark, or an item about to be marked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backing {
    /// A counting scan.
    Scanned(JudgedScan),
    /// A "cannot scan" with its reason.
    CannotScan(JudgedScan),
}

/// What a mark proves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MarkProof {
    /// Made on a supervisor's desktop: recorded at the desk, not walked.
    AtDesk,
    /// No scan is asked for it.
    NotRequired,
    /// Backed by a counting scan within its window.
    Walked(JudgedScan),
    /// Backed by "cannot scan" (flagged).
    CannotScan(JudgedScan),
    /// A scan was asked for and there is none in the window (flagged).
    Unscanned,
}

impl MarkProof {
    /// Whether the mark counts as walked: on a tablet, with a scan where
    /// one is asked for.
    pub fn walked(&self) -> bool {
        matches!(self, MarkProof::NotRequired | MarkProof::Walked(_))
    }

    /// Whether the desktop flags it.
    pub fn flagged(&self) -> bool {
        !self.walked()
    }
}

/// One walk between two consecutive counting scans.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leg {
    /// Where it started.
    pub from: JudgedScan,
    /// Where it ended.
    pub to: JudgedScan,
    /// Time between the two scans, ms.
    pub gap_ms: i64,
    /// Faster than the template allows.
    pub too_fast: bool,
}

/// Which checkpoints of a round were passed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Coverage {
    /// Active checkpoints that prove an item of the template, by id.
    pub expected: Vec<String>,
    /// Of those, scanned (a counting scan).
    pub scanned: Vec<String>,
    /// Of those, not scanned but "cannot scan" recorded.
    pub cannot_scan: Vec<String>,
    /// Of those, neither.
    pub missing: Vec<String>,
}

/// The scans of one slot's round judged against a site's checkpoints and
/// the round's template.
#[derive(Debug, Clone)]
pub struct RoundProof<'a> {
    template: &'a Template,
    checkpoints: &'a [Checkpoint],
    scans: Vec<JudgedScan>,
}

impl<'a> RoundProof<'a> {
    /// Judge `scans` (one slot's, any order) by `checkpoints`.
    pub fn new(template: &'a Template, checkpoints: &'a [Checkpoint], scans: Vec<Scan>) -> Self {
        let mut judged: Vec<JudgedScan> = scans
            .into_iter()
            .map(|scan| judge(checkpoints, scan))
            .collect();
        crate::sort_once::sort_by(&mut judged, |a, b| {
            (a.scan.at_ms, &a.scan.device).cmp(&(b.scan.at_ms, &b.scan.device))
        });
        Self {
            template,
            checkpoints,
            scans: judged,
        }
    }

    /// The scans, oldest first.
    pub fn scans(&self) -> &[JudgedScan] {
        &self.scans
    }

    /// The active checkpoints that prove `item`.
    pub fn proving(&self, item: &str) -> Vec<&'a Checkpoint> {
        self.checkpoints
            .iter()
            .filter(|c| c.active && c.proves_item(self.template, item))
            .collect()
    }

    /// The item's scan window in minutes, when it asks for a scan that some
    /// active checkpoint can give.
    pub fn window_min(&self, item: &str) -> Option<u32> {
        let minutes = self.template.item(item)?.scan_within_min?;
        (!self.proving(item).is_empty()).then_some(minutes)
    }

    /// Whether `item` may be marked at `now_ms`: `Ok(None)` when no scan
    /// is asked for, `Ok(Some(backing))` with the latest scan in the window
    /// (a counting scan before a "cannot scan"), `Err` when one is missing.
    pub fn may_mark(&self, item: &str, now_ms: i64) -> Result<Option<Backing>, NeedsScan> {
        let Some(minutes) = self.window_min(item) else {
            return Ok(None);
        };
        let proving = self.proving(item);
        let from = now_ms - i64::from(minutes) * 60_000;
        let in_window = |j: &&JudgedScan| {
            (from..=now_ms + CLOCK_SLACK_MS).contains(&j.scan.at_ms)
                && j.checkpoint
                    .as_ref()
                    .is_some_and(|c| proving.iter().any(|p| p.id == c.id))
        };
        let recent = || self.scans.iter().rev().filter(in_window);
        if let Some(j) = recent().find(|j| j.counts) {
            return Ok(Some(Backing::Scanned(j.clone())));
        }
        if let Some(j) = recent().find(|j| j.scan.via == ScanVia::CannotScan) {
            return Ok(Some(Backing::CannotScan(j.clone())));
        }
        Err(NeedsScan {
            within_min: minutes,
            checkpoints: proving.iter().map(|c| c.name.clone()).collect(),
        })
    }

    /// What `mark` proves.
    pub fn proof_of(&self, mark: &Mark) -> MarkProof {
        if is_desk(&mark.device) {
            return MarkProof::AtDesk;
        }
        match self.may_mark(&mark.item, mark.at_ms) {
            Ok(None) => MarkProof::NotRequired,
            Ok(Some(Backing::Scanned(j))) => MarkProof::Walked(j),
            Ok(Some(Backing::CannotScan(j))) => MarkProof::CannotScan(j),
            Err(_) => MarkProof::Unscanned,
        }
    }

    /// The walks between consecutive counting scans, flagged when faster
    /// than the template's `min_walk_s` (a checkpoint scanned twice in a
    /// row is no walk and never too fast).
    pub fn legs(&self) -> Vec<Leg> {
        let counting: Vec<&JudgedScan> = self.scans.iter().filter(|j| j.counts).collect();
        counting
            .windows(2)
            .map(|w| {
                let gap_ms = w[1].scan.at_ms - w[0].scan.at_ms;
                let moved = w[0].checkpoint.as_ref().map(|c| &c.id)
                    != w[1].checkpoint.as_ref().map(|c| &c.id);
                let too_fast = moved
                    && self
                        .template
                        .min_walk_s
                        .is_some_and(|s| gap_ms < i64::from(s) * 1_000);
                Leg {
                    from: w[0].clone(),
                    to: w[1].clone(),
                    gap_ms,
                    too_fast,
                }
            })
            .collect()
    }

    /// Which of the checkpoints that prove this template's items were
    /// scanned.
    pub fn coverage(&self) -> Coverage {
        let mut out = Coverage::default();
        for c in self.checkpoints.iter().filter(|c| c.active) {
            if !self
                .template
                .items
                .iter()
                .any(|i| c.proves_item(self.template, &i.id))
            {
                continue;
            }
            out.expected.push(c.id.clone());
            let at = |j: &&JudgedScan| j.checkpoint.as_ref().is_some_and(|x| x.id == c.id);
            if self.scans.iter().filter(at).any(|j| j.counts) {
                out.scanned.push(c.id.clone());
            } else if self
                .scans
                .iter()
                .filter(at)
                .any(|j| j.scan.via == ScanVia::CannotScan)
            {
                out.cannot_scan.push(c.id.clone());
            } else {
                out.missing.push(c.id.clone());
            }
        }
        out
    }
}

/// Whether `device` is a supervisor's desktop.
pub fn is_desk(device: &str) -> bool {
    device.starts_with(crate::attribution_check::DESKTOP_PREFIX)
}

fn judge(checkpoints: &[Checkpoint], scan: Scan) -> JudgedScan {
    if scan.via == ScanVia::CannotScan {
        let checkpoint = checkpoints
            .iter()
            .find(|c| c.id == scan.checkpoint)
            .cloned();
        return JudgedScan {
            scan,
            checkpoint,
            counts: false,
            revoked_label: false,
        };
    }
    let lookup = lookup_in(checkpoints, &scan.code);
    JudgedScan {
        counts: lookup.counts_at(scan.at_ms),
        revoked_label: matches!(lookup, Lookup::Revoked { .. }),
        checkpoint: lookup.checkpoint().cloned(),
        scan,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::checklist::Status;
    use crate::checkpoints::tests::garage;
    use crate::checkpoints::{Proves, RevokedLabel, new_code};
    use crate::template::lobby_opening;

    const MIN: i64 = 60_000;

    fn template() -> Template {
        let mut t = lobby_opening();
        t.items[0].scan_within_min = Some(10); // doors
        t.min_walk_s = Some(60);
        t
    }

    fn roof() -> Checkpoint {
        Checkpoint {
            id: "cp-roof".into(),
            name: "天台门".into(),
            place: String::new(),
            proves: vec![Proves::item("lobby-opening", "lighting")],
            code: new_code([7; 16]),
            revoked: Vec::new(),
            active: true,
        }
    }

    fn scan(code: &str, at_ms: i64) -> Scan {
        Scan {
            slot: "0830".into(),
            checkpoint: String::new(),
            code: code.to_owned(),
            via: ScanVia::Qr,
            reason: String::new(),
            person_id: "id1".into(),
            by: "p1".into(),
            device: "T1".into(),
            at_ms,
        }
    }

    fn cannot(checkpoint: &str, at_ms: i64) -> Scan {
        Scan {
            checkpoint: checkpoint.to_owned(),
            code: String::new(),
            via: ScanVia::CannotScan,
            reason: "标签不见了".into(),
            ..scan("", at_ms)
        }
    }

    fn mark(item: &str, device: &str, at_ms: i64) -> Mark {
        Mark {
            slot: "0830".into(),
            item: item.into(),
            status: Status::Normal,
            note: String::new(),
            person_id: "id1".into(),
            by: "p1".into(),
            device: device.into(),
            at_ms,
            attachments: Vec::new(),
        }
    }

    #[test]
    fn an_item_asking_for_a_scan_is_markable_only_within_its_window_after_one() {
        let t = template();
        let cps = [garage(1), roof()];
        let g = &cps[0].code;
        let none = RoundProof::new(&t, &cps, vec![]);
        let needs = none.may_mark("doors", 100 * MIN).unwrap_err();
        assert_eq!(
            (needs.within_min, needs.checkpoints.clone()),
            (10, vec!["地下车库B2入口".to_owned()])
        );
        assert_eq!(none.may_mark("escalators", 100 * MIN), Ok(None), "no rule");
        let scanned = RoundProof::new(&t, &cps, vec![scan(g, 100 * MIN)]);
        for now in [100 * MIN, 105 * MIN, 110 * MIN, 100 * MIN - CLOCK_SLACK_MS] {
            assert!(
                matches!(
                    scanned.may_mark("doors", now),
                    Ok(Some(Backing::Scanned(_)))
                ),
                "{now}"
            );
        }
        assert!(
            scanned.may_mark("doors", 110 * MIN + 1).is_err(),
            "too late"
        );
        assert!(
            scanned
                .may_mark("doors", 100 * MIN - CLOCK_SLACK_MS - 1)
                .is_err()
        );
        // The roof's scan does not prove the doors; another code neither.
        let elsewhere = RoundProof::new(
            &t,
            &cps,
            vec![
                scan(&cps[1].code, 100 * MIN),
                scan(&new_code([8; 16]), 100 * MIN),
            ],
        );
        assert!(elsewhere.may_mark("doors", 101 * MIN).is_err());
    }

    #[test]
    fn a_rule_no_checkpoint_can_meet_does_not_stop_the_round() {
        let mut t = template();
        t.items[2].scan_within_min = Some(5); // lighting, proven only by the roof
        let retired = Checkpoint {
            active: false,
            ..roof()
        };
        let cps = [garage(1), retired];
        let proof = RoundProof::new(&t, &cps, vec![]);
        assert_eq!(proof.window_min("lighting"), None);
        assert_eq!(proof.may_mark("lighting", 0), Ok(None));
    }

    #[test]
    fn cannot_scan_backs_a_mark_but_is_flagged_and_a_desk_mark_never_counts() {
        let t = template();
        let cps = [garage(1), roof()];
        let proof = RoundProof::new(&t, &cps, vec![cannot("cp-garage", 100 * MIN)]);
        let p = proof.proof_of(&mark("doors", "T1", 102 * MIN));
        assert!(matches!(&p, MarkProof::CannotScan(j) if j.scan.reason == "标签不见了"));
        assert!(p.flagged() && !p.walked());
        assert_eq!(
            proof.proof_of(&mark("doors", "T1", 120 * MIN)),
            MarkProof::Unscanned
        );
        let walked = RoundProof::new(
            &t,
            &cps,
            vec![
                cannot("cp-garage", 100 * MIN),
                scan(&cps[0].code, 101 * MIN),
            ],
        );
        let p = walked.proof_of(&mark("doors", "T1", 102 * MIN));
        assert!(
            matches!(&p, MarkProof::Walked(j) if j.counts),
            "a scan before a cannot-scan"
        );
        assert!(p.walked() && !p.flagged());
        assert_eq!(
            walked.proof_of(&mark("escalators", "T1", 0)),
            MarkProof::NotRequired
        );
        for item in ["doors", "escalators"] {
            let desk = walked.proof_of(&mark(item, "桌面·wang", 102 * MIN));
            assert_eq!(desk, MarkProof::AtDesk);
            assert!(!desk.walked());
        }
    }

    #[test]
    fn a_revoked_label_counts_before_its_revocation_only_and_unknown_codes_never() {
        let t = template();
        let old = garage(1).code;
        let mut g = garage(2);
        g.revoked.push(RevokedLabel {
            code: old.clone(),
            at_ms: 100 * MIN,
            by: "主管".into(),
            reason: "丢失".into(),
        });
        let cps = [g];
        let proof = RoundProof::new(
            &t,
            &cps,
            vec![
                scan(&old, 99 * MIN),
                scan(&old, 101 * MIN),
                scan(&new_code([3; 16]), 102 * MIN),
            ],
        );
        let s = proof.scans();
        assert_eq!((s[0].counts, s[0].revoked_label), (true, true));
        assert_eq!((s[1].counts, s[1].revoked_label), (false, true));
        assert_eq!((s[2].counts, s[2].checkpoint.is_none()), (false, true));
        assert!(matches!(
            proof.proof_of(&mark("doors", "T1", 99 * MIN + 1)),
            MarkProof::Walked(_)
        ));
        assert_eq!(
            proof.proof_of(&mark("doors", "T1", 101 * MIN + 1)),
            MarkProof::Walked(s[0].clone()),
            "the scan before the revocation, not the one after"
        );
        assert_eq!(
            proof.proof_of(&mark("doors", "T1", 112 * MIN)),
            MarkProof::Unscanned,
            "only the revoked label's later scan is in the window"
        );
    }

    #[test]
    fn consecutive_checkpoints_closer_than_the_walking_time_are_too_fast() {
        let t = template(); // 60 s between checkpoints
        let cps = [garage(1), roof()];
        let (g, r) = (&cps[0].code, &cps[1].code);
        let proof = RoundProof::new(
            &t,
            &cps,
            vec![
                scan(r, 10 * MIN + 30_000), // 30 s after the garage: too fast
                scan(g, 10 * MIN),
                scan(r, 10 * MIN + 40_000), // the roof again: no walk
                cannot("cp-garage", 10 * MIN + 50_000), // not a counting scan
                scan(g, 12 * MIN),          // 80 s later: fine
            ],
        );
        let legs = proof.legs();
        assert_eq!(
            legs.iter()
                .map(|l| (l.gap_ms, l.too_fast))
                .collect::<Vec<_>>(),
            [(30_000, true), (10_000, false), (80_000, false)]
        );
        let mut slow = template();
        slow.min_walk_s = None;
        assert!(
            RoundProof::new(
                &slow,
                &cps,
                proof.scans().iter().map(|j| j.scan.clone()).collect()
            )
            .legs()
            .iter()
            .all(|l| !l.too_fast)
        );
    }

    #[test]
    fn coverage_lists_the_checkpoints_scanned_excused_and_missing() {
        let t = template();
        let other = Checkpoint {
            id: "cp-pool".into(),
            code: new_code([4; 16]),
            proves: vec![Proves::item("night-round", "pool")],
            ..roof()
        };
        let cps = [garage(1), roof(), other];
        let proof = RoundProof::new(&t, &cps, vec![scan(&cps[0].code, 0)]);
        let c = proof.coverage();
        assert_eq!(
            c.expected,
            ["cp-garage", "cp-roof"],
            "the pool proves another template"
        );
        assert_eq!(
            (c.scanned, c.missing),
            (vec!["cp-garage".to_owned()], vec!["cp-roof".to_owned()])
        );
        let excused = RoundProof::new(&t, &cps, vec![cannot("cp-roof", 0)]).coverage();
        assert_eq!(
            (excused.cannot_scan, excused.missing),
            (vec!["cp-roof".to_owned()], vec!["cp-garage".to_owned()])
        );
    }
}
