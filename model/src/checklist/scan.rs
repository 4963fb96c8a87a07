//! Checkpoint scans in a round's document: what proves a guard was at a
//! place ([`crate::checkpoints`]).
//!
//! ```text
//! ROOT
//! └── scans  [ Scan, … ]   every scan and "cannot scan", append-only
//! ```
//!
//! `scans` came after the checklist's first version, so genesis does not
//! make it: the first scan adds it with the genesis actor's deterministic
//! extension change ([`crate::genesis::extend`]), the same on every
//! tablet, so two tablets scanning offline append to one list and both
//! scans stay. Builds from before scans ignore the list.
//!
//! A scan stores the code the label carried, not only the checkpoint the
//! tablet took it for: a tablet may not have the latest checkpoints yet
//! (a new checkpoint, a revoked label), and whoever reads the round later
//! judges the code against the checkpoints they hold
//! ([`crate::checkpoints::proof`]).

use super::{Checklist, genesis, validate_key};
use crate::ModelError;
use crate::attribution::Attribution;
use crate::genesis::Container;
use automerge::{Automerge, ChangeHash, ROOT, ReadDoc};
use autosurgeon::{Hydrate, Reconcile};

/// The containers checklist documents gained after their first version, in
/// the order they were added.
const EXTENSIONS: &[(&str, Container)] = &[("scans", Container::List)];

/// The longest reason for not scanning, in characters.
pub const MAX_REASON: usize = 200;

/// How a guard proved (or could not prove) being at a checkpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ScanVia {
    /// The QR code on the label, through the camera.
    Qr,
    /// The NFC tag at the checkpoint.
    Nfc,
    /// Could not scan (label gone, camera broken), with a reason: allowed,
    /// and flagged.
    CannotScan,
}

crate::string_enum::string_enum!(ScanVia, "qr, nfc or cannot-scan", {
    Qr => "qr",
    Nfc => "nfc",
    CannotScan => "cannot-scan",
});

/// One scan at one checkpoint in one slot's round.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate)]
pub struct Scan {
    /// The slot (round) it belongs to.
    pub slot: String,
    /// The checkpoint the tablet took it for; empty when the tablet did not
    /// know the code.
    pub checkpoint: String,
    /// The code the label carried; empty for "cannot scan".
    pub code: String,
    /// QR, NFC, or "cannot scan".
    pub via: ScanVia,
    /// Why it could not be scanned; empty otherwise.
    pub reason: String,
    /// The person's roster id.
    pub person_id: String,
    /// The person's name.
    pub by: String,
    /// The device.
    pub device: String,
    /// Device clock, milliseconds since the Unix epoch.
    pub at_ms: i64,
}

/// What a person scanned (or could not): the rest of a [`Scan`] comes from
/// the attribution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScanOf {
    /// A label's code was read (QR or NFC); `checkpoint` is the one the
    /// tablet knows it as, empty when it does not know the code.
    Code {
        /// The code read.
        code: String,
        /// QR or NFC.
        via: ScanVia,
        /// The checkpoint the tablet matched, if any.
        checkpoint: String,
    },
    /// The label at `checkpoint` could not be scanned, for `reason`.
    CannotScan {
        /// The checkpoint.
        checkpoint: String,
        /// Why.
        reason: String,
    },
}

/// Record a scan in `slot` of the round `doc` as `by`, as one change
/// (after the extension that adds `scans`, when the document lacks it).
/// A code that is not a checkpoint code, or "cannot scan" without a
/// reason, is refused and nothing written.
pub fn record_scan(
    doc: &mut Automerge,
    slot: &str,
    what: &ScanOf,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    validate_key("slot", slot)?;
    let view = Checklist::new(doc)?;
    if view.is_v2() {
        return Err(ModelError::WrongSchema(super::SCHEMA_V2.to_owned()));
    }
    let (checkpoint, code, via, reason) = match what {
        ScanOf::Code {
            code,
            via,
            checkpoint,
        } => {
            if !crate::checkpoints::is_code(code) || *via == ScanVia::CannotScan {
                return Err(crate::checkpoints::Refusal::BadCode.into());
            }
            (checkpoint.clone(), code.clone(), *via, String::new())
        }
        ScanOf::CannotScan { checkpoint, reason } => {
            let reason = crate::free_text::check("a reason", reason, true, MAX_REASON)?;
            (
                checkpoint.clone(),
                String::new(),
                ScanVia::CannotScan,
                reason,
            )
        }
    };
    if !checkpoint.is_empty() {
        validate_key("checkpoint", &checkpoint)?;
    }
    let scan = Scan {
        slot: slot.to_owned(),
        checkpoint,
        code,
        via,
        reason,
        person_id: by.person_id.clone(),
        by: by.person.clone(),
        device: by.device.clone(),
        at_ms: by.at_ms,
    };
    let first = genesis(&view.site()?, &view.template_id()?, &view.date()?)?;
    crate::genesis::extend(doc, &first, EXTENSIONS)?;
    let scans = crate::genesis::container(doc, "scans", automerge::ObjType::List)?;
    let summary = format!(
        "round {slot} scan {} {}",
        scan.via.as_str(),
        scan.checkpoint
    );
    let options = by.commit_options(summary.trim_end());
    crate::write::append_all(doc, &scans, &[scan], options)
}

impl Checklist<'_> {
    /// Every scan of the day's rounds (every slot's), in list order; none
    /// before the first scan.
    pub fn scans(&self) -> Result<Vec<Scan>, ModelError> {
        if self.doc.get(ROOT, "scans")?.is_none() {
            return Ok(Vec::new());
        }
        crate::readable::at_root(self.doc, "scans")
    }

    /// The scans of `slot`, oldest first.
    pub fn scans_of(&self, slot: &str) -> Result<Vec<Scan>, ModelError> {
        let mut scans: Vec<Scan> = self
            .scans()?
            .into_iter()
            .filter(|s| s.slot == slot)
            .collect();
        crate::sort_once::sort_by(&mut scans, |a, b| {
            (a.at_ms, &a.device).cmp(&(b.at_ms, &b.device))
        });
        Ok(scans)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::checklist::{TEST_SLOT, started_for_tests};
    use crate::checkpoints::new_code;
    use crate::test_support::{actor, staff as author};

    fn qr(code: &str) -> ScanOf {
        ScanOf::Code {
            code: code.to_owned(),
            via: ScanVia::Qr,
            checkpoint: "cp-garage".into(),
        }
    }

    #[test]
    fn scans_from_two_offline_tablets_are_all_kept_in_one_list() {
        let mut a = started_for_tests("2026-12-07");
        let mut b = a.clone();
        a.set_actor(actor(1));
        b.set_actor(actor(2));
        assert!(Checklist::new(&a).unwrap().scans().unwrap().is_empty());
        let code = new_code([5; 16]);
        record_scan(&mut a, TEST_SLOT, &qr(&code), &author(1, 1_000)).unwrap();
        record_scan(&mut b, TEST_SLOT, &qr(&code), &author(2, 2_000)).unwrap();
        let cannot = ScanOf::CannotScan {
            checkpoint: "cp-roof".into(),
            reason: "标签被撕掉".into(),
        };
        record_scan(&mut b, TEST_SLOT, &cannot, &author(2, 3_000)).unwrap();
        let mut ab = a.clone();
        ab.merge(&mut b.clone()).unwrap();
        let mut ba = b.clone();
        ba.merge(&mut a.clone()).unwrap();
        for doc in [&ab, &ba] {
            let view = Checklist::new(doc).unwrap();
            let scans = view.scans_of(TEST_SLOT).unwrap();
            assert_eq!(
                scans.iter().map(|s| s.at_ms).collect::<Vec<_>>(),
                [1_000, 2_000, 3_000]
            );
            assert_eq!(scans[2].via, ScanVia::CannotScan);
            assert_eq!(scans[2].reason, "标签被撕掉");
            assert!(view.scans_of("other").unwrap().is_empty());
        }
        // Both tablets made the same extension change: one list, one change.
        let extensions = ab
            .get_changes(&[])
            .into_iter()
            .filter(|c| c.message().is_some_and(|m| m == "extend scans"))
            .count();
        assert_eq!(extensions, 1);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]
        /// Two tablets scan checkpoints and mark items of one round in a
        /// random order, merging at random points (the first scan on
        /// either may come before or after they first meet): after merging
        /// both ways they hold the same document, every scan once, in time
        /// order, and every mark in the log.
        #[test]
        fn scans_and_marks_from_two_tablets_converge_with_every_scan(
            edits in proptest::collection::vec(
                (proptest::prelude::any::<bool>(), 0..4usize, proptest::prelude::any::<bool>()),
                1..24,
            )
        ) {
            use crate::test_support::both_ways;
            let base = started_for_tests("2026-12-07");
            let (mut a, mut b) = (base.clone(), base);
            a.set_actor(actor(1));
            b.set_actor(actor(2));
            let codes: Vec<String> = (0..3u8).map(|n| new_code([n; 16])).collect();
            let (mut scans, mut marks) = (0, 0);
            for (n, (on_a, what, sync_after)) in edits.iter().enumerate() {
                let (doc, who) = if *on_a { (&mut a, 1) } else { (&mut b, 2) };
                let by = author(who, n as i64);
                if *what < 3 {
                    record_scan(doc, TEST_SLOT, &qr(&codes[*what]), &by).unwrap();
                    scans += 1;
                } else {
                    let status = crate::checklist::Status::Normal;
                    crate::checklist::mark(doc, TEST_SLOT, "lighting", status, "", &by).unwrap();
                    marks += 1;
                }
                if *sync_after {
                    (a, b) = both_ways(&a, &b);
                }
            }
            let (ab, ba) = both_ways(&a, &b);
            proptest::prop_assert_eq!(ab.get_heads(), ba.get_heads());
            let view = Checklist::new(&ab).unwrap();
            let times: Vec<i64> = view.scans_of(TEST_SLOT).unwrap().iter().map(|s| s.at_ms).collect();
            let expected: Vec<i64> = edits
                .iter()
                .enumerate()
                .filter(|(_, (_, what, _))| *what < 3)
                .map(|(n, _)| n as i64)
                .collect();
            proptest::prop_assert_eq!(times.len(), scans);
            proptest::prop_assert_eq!(times, expected);
            proptest::prop_assert_eq!(view.history().unwrap().len(), marks);
        }
    }

    #[test]
    fn bad_scans_are_refused_and_nothing_is_written() {
        let mut doc = started_for_tests("2026-12-07");
        doc.set_actor(actor(1));
        let heads = doc.get_heads();
        let by = author(1, 1);
        let bad = [
            qr("NOT-A-CODE"),
            ScanOf::Code {
                code: new_code([1; 16]),
                via: ScanVia::CannotScan,
                checkpoint: String::new(),
            },
            ScanOf::CannotScan {
                checkpoint: "cp-garage".into(),
                reason: "  ".into(),
            },
            ScanOf::CannotScan {
                checkpoint: "has space".into(),
                reason: "坏了".into(),
            },
        ];
        for what in &bad {
            assert!(
                record_scan(&mut doc, TEST_SLOT, what, &by).is_err(),
                "{what:?}"
            );
        }
        assert!(record_scan(&mut doc, "a/b", &qr(&new_code([1; 16])), &by).is_err());
        assert_eq!(doc.get_heads(), heads, "not even the extension");
    }
}
