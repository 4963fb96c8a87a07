//! Site settings: one document per site holding the values supervisors
//! tune (idle sign-out time, the deadlines of owner requests and
//! complaints from the seeds, the time a hand-over may wait to be taken
//! over), so they are per-site data rather than constants in code.
//!
//! ```text
//! ROOT
//! ├── schema  "shiftbook/settings/1"
//! ├── site                                ← written once, by genesis
//! └── values  { setting key → integer }   one scalar per setting
//! ```
//!
//! The id is `DocumentId::derive(site_key, PURPOSE)` and the genesis is
//! deterministic (fixed actor, time 0), like the roster's. The server makes
//! it read-only for tablets; supervisors write it. A setting never written
//! has its default, so a tablet works before any supervisor opened the
//! settings. Two supervisors setting one value concurrently both stay in
//! the document: [`SiteSettings::conflicts`] lists them until one of them
//! sets it again having seen both; meanwhile the value shown is automerge's
//! pick, the same on every device.

use crate::ModelError;
use crate::attribution::Attribution;
use crate::genesis::{Container, Root};
use automerge::{Automerge, ChangeHash, ObjType, ROOT, ReadDoc, ScalarValue, Value};
use autosurgeon::hydrate_prop;

/// The schema tag of settings documents.
pub const SCHEMA: &str = "shiftbook/settings/1";

/// The purpose that derives a site's settings document id.
pub const PURPOSE: &str = "settings";

/// A setting a supervisor may change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Setting {
    /// Minutes without a touch before a shared tablet signs its person out.
    IdleSignOutMinutes,
    /// Minutes from receiving an owner's request or complaint to the first
    /// response (000 standards: 10 minutes).
    ComplaintRespondMinutes,
    /// Minutes from receiving a complaint to forwarding the form to the
    /// handling department (003 §2.1: within one hour).
    ComplaintForwardMinutes,
    /// Hours from receiving a complaint to a preliminary solution (000
    /// standards: 24 hours).
    ComplaintPreliminaryHours,
    /// The hour of the local day (1–24) by which a general issue is dealt
    /// with "the same day" (002 table: 当日); one received at or after it
    /// is due by that hour the next day. 24 is the end of the day it was
    /// received (003 §2.2: not overnight).
    ComplaintSameDayUntilHour,
    /// Days from receiving a hard issue to dealing with it (002 table:
    /// within a week).
    ComplaintHardDays,
    /// Minutes after a shift hand-over is written, or a key is handed to
    /// someone, before "not taken over yet" is raised to the leader and
    /// the desktop (the outgoing person may not leave before the incoming
    /// one has checked and taken over, 001 篇3 §1.2). The seeds set no
    /// figure; 30 minutes is the default a site may change.
    HandoverTakeOverMinutes,
    /// Days a photo the server holds stays on a tablet after it came
    /// there (taken, or fetched for a screen); then it leaves and comes
    /// back when a screen shows it. Unsent photos never leave.
    PhotoDaysOnTablet,
    /// Digits of a new PIN (4–8). PINs set earlier keep working; six
    /// digits are a hundred times more guesses than four for whoever gets
    /// hold of a tablet's roster.
    PinDigits,
}

impl Setting {
    /// Every setting, in the order the settings page lists them.
    pub const ALL: [Setting; 9] = [
        Setting::IdleSignOutMinutes,
        Setting::ComplaintRespondMinutes,
        Setting::ComplaintForwardMinutes,
        Setting::ComplaintPreliminaryHours,
        Setting::ComplaintSameDayUntilHour,
        Setting::ComplaintHardDays,
        Setting::HandoverTakeOverMinutes,
        Setting::PhotoDaysOnTablet,
        Setting::PinDigits,
    ];

    /// The key stored in the document.
    pub fn key(self) -> &'static str {
        match self {
            Self::IdleSignOutMinutes => "idle_sign_out_minutes",
            Self::ComplaintRespondMinutes => "complaint_respond_minutes",
            Self::ComplaintForwardMinutes => "complaint_forward_minutes",
            Self::ComplaintPreliminaryHours => "complaint_preliminary_hours",
            Self::ComplaintSameDayUntilHour => "complaint_same_day_until_hour",
            Self::ComplaintHardDays => "complaint_hard_days",
            Self::HandoverTakeOverMinutes => "handover_take_over_minutes",
            Self::PhotoDaysOnTablet => "photo_days_on_tablet",
            Self::PinDigits => "pin_digits",
        }
    }

    /// The value when nobody set one: the seeds' figures.
    pub fn default_value(self) -> i64 {
        match self {
            Self::IdleSignOutMinutes => 15,
            Self::ComplaintRespondMinutes => 10,
            Self::ComplaintForwardMinutes => 60,
            Self::ComplaintPreliminaryHours => 24,
            Self::ComplaintSameDayUntilHour => 24,
            Self::ComplaintHardDays => 7,
            Self::HandoverTakeOverMinutes => 30,
            // A week of evidence at hand; the server keeps every photo.
            Self::PhotoDaysOnTablet => 7,
            Self::PinDigits => 6,
        }
    }

    /// The accepted values, inclusive.
    pub fn range(self) -> (i64, i64) {
        match self {
            // Long enough for a round, short enough that a tablet left on a
            // desk does not stay signed in for a shift.
            Self::IdleSignOutMinutes => (1, 240),
            // Up to a shift: a response promised later is no response.
            Self::ComplaintRespondMinutes => (1, 240),
            // Up to a day.
            Self::ComplaintForwardMinutes => (1, 1_440),
            // Up to a week.
            Self::ComplaintPreliminaryHours => (1, 168),
            // 01:00 to the end of the day.
            Self::ComplaintSameDayUntilHour => (1, 24),
            // Up to a month.
            Self::ComplaintHardDays => (1, 31),
            // Up to half a shift.
            Self::HandoverTakeOverMinutes => (1, 240),
            // Up to a quarter.
            Self::PhotoDaysOnTablet => (1, 90),
            Self::PinDigits => (4, 8),
        }
    }
}

/// The site's settings document id.
pub fn document_id(site_key: &impl crate::ids::Derive) -> crate::DocumentId {
    site_key.derive(PURPOSE)
}

/// Build the settings' first change, identical on every device.
pub fn genesis(site: &str) -> Result<Automerge, ModelError> {
    crate::genesis::build(&Root {
        schema: SCHEMA,
        identity: &[("site", site)],
        containers: &[("values", Container::Map)],
    })
}

fn values_map(doc: &Automerge) -> Result<automerge::ObjId, ModelError> {
    crate::genesis::container(doc, "values", ObjType::Map)
}

/// Set `setting` to `value` as one change by `by`. A value outside
/// [`Setting::range`] is refused without changing the document.
pub fn set(
    doc: &mut Automerge,
    setting: Setting,
    value: i64,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    let (low, high) = setting.range();
    if !(low..=high).contains(&value) {
        return Err(ModelError::OutOfRange {
            setting: setting.key(),
            low,
            high,
        });
    }
    crate::genesis::expect_schema(doc, SCHEMA)?;
    let values = values_map(doc)?;
    let options = by.commit_options(&format!("setting {} {value}", setting.key()));
    let result = doc.transact_with(
        |_| options,
        |tx| {
            automerge::transaction::Transactable::put(tx, &values, setting.key(), value)
                .map_err(ModelError::from)
        },
    );
    crate::write::commit(result)
}

/// A read-only view of a settings document; `None` documents (not synced
/// yet, or never created) read as all defaults.
#[derive(Debug, Clone, Copy)]
pub struct SiteSettings<'a> {
    doc: Option<&'a Automerge>,
}

impl<'a> SiteSettings<'a> {
    /// View `doc` after checking it is a settings document.
    pub fn new(doc: &'a Automerge) -> Result<Self, ModelError> {
        crate::genesis::expect_schema(doc, SCHEMA)?;
        Ok(Self { doc: Some(doc) })
    }

    /// Every setting at its default.
    pub fn defaults() -> Self {
        Self { doc: None }
    }

    /// The site, when there is a document.
    pub fn site(&self) -> Result<Option<String>, ModelError> {
        self.doc
            .map(|d| hydrate_prop(d, ROOT, "site"))
            .transpose()
            .map_err(ModelError::from)
    }

    /// Every integer value stored for `setting` (several after concurrent
    /// writes), in automerge's order.
    fn stored(&self, setting: Setting) -> Result<Vec<i64>, ModelError> {
        let Some(doc) = self.doc else {
            return Ok(Vec::new());
        };
        let values = values_map(doc)?;
        Ok(doc
            .get_all(&values, setting.key())?
            .into_iter()
            .filter_map(|(v, _)| match v {
                Value::Scalar(s) => match s.as_ref() {
                    ScalarValue::Int(i) => Some(*i),
                    ScalarValue::Uint(u) => i64::try_from(*u).ok(),
                    _ => None,
                },
                Value::Object(_) => None,
            })
            .collect())
    }

    /// The value of `setting`: automerge's pick among concurrent values
    /// (the same on every device), else the default. A stored value out of
    /// range (a corrupt or hostile document) is clamped into range.
    pub fn get(&self, setting: Setting) -> Result<i64, ModelError> {
        let (low, high) = setting.range();
        let Some(doc) = self.doc else {
            return Ok(setting.default_value());
        };
        let values = values_map(doc)?;
        let picked = match doc.get(&values, setting.key())? {
            Some((Value::Scalar(s), _)) => match s.as_ref() {
                ScalarValue::Int(i) => Some(*i),
                ScalarValue::Uint(u) => i64::try_from(*u).ok(),
                _ => None,
            },
            _ => None,
        };
        Ok(picked.map_or(setting.default_value(), |v| v.clamp(low, high)))
    }

    /// Whether `setting` was ever set (else it has its default).
    pub fn is_set(&self, setting: Setting) -> Result<bool, ModelError> {
        Ok(!self.stored(setting)?.is_empty())
    }

    /// The differing values concurrent writes left for `setting`; empty
    /// when there is no conflict.
    pub fn conflicts(&self, setting: Setting) -> Result<Vec<i64>, ModelError> {
        let mut values = self.stored(setting)?;
        crate::sort_once::sort(&mut values);
        values.dedup();
        Ok(if values.len() > 1 { values } else { Vec::new() })
    }

    /// The idle sign-out time in milliseconds.
    pub fn idle_sign_out_ms(&self) -> Result<i64, ModelError> {
        Ok(self.get(Setting::IdleSignOutMinutes)? * 60_000)
    }

    /// Minutes after a hand-over before "not taken over yet" is raised.
    pub fn take_over_minutes(&self) -> Result<i64, ModelError> {
        self.get(Setting::HandoverTakeOverMinutes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{office_supervisor as supervisor, on_tablet};

    fn replica(n: u8) -> Automerge {
        on_tablet(genesis("demo").unwrap(), n)
    }

    #[test]
    fn every_default_is_in_range_and_keys_are_distinct() {
        let mut keys: Vec<&str> = Setting::ALL.iter().map(|s| s.key()).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), Setting::ALL.len());
        for s in Setting::ALL {
            let (low, high) = s.range();
            assert!(
                low <= s.default_value() && s.default_value() <= high,
                "{s:?}"
            );
            assert_eq!(SiteSettings::defaults().get(s).unwrap(), s.default_value());
        }
        assert_eq!(Setting::ComplaintRespondMinutes.default_value(), 10);
        assert_eq!(Setting::ComplaintForwardMinutes.default_value(), 60);
        assert_eq!(Setting::ComplaintPreliminaryHours.default_value(), 24);
        assert_eq!(Setting::ComplaintSameDayUntilHour.default_value(), 24);
        assert_eq!(Setting::ComplaintHardDays.default_value(), 7);
    }

    #[test]
    fn defaults_apply_until_a_value_is_set() {
        let s = SiteSettings::defaults();
        assert_eq!(s.get(Setting::IdleSignOutMinutes).unwrap(), 15);
        assert_eq!(s.idle_sign_out_ms().unwrap(), 15 * 60_000);
        let mut doc = replica(1);
        let view = SiteSettings::new(&doc).unwrap();
        assert_eq!(view.get(Setting::IdleSignOutMinutes).unwrap(), 15);
        assert!(!view.is_set(Setting::IdleSignOutMinutes).unwrap());
        set(
            &mut doc,
            Setting::IdleSignOutMinutes,
            5,
            &supervisor(1, 1_000),
        )
        .unwrap();
        let view = SiteSettings::new(&doc).unwrap();
        assert_eq!(view.get(Setting::IdleSignOutMinutes).unwrap(), 5);
        assert!(view.is_set(Setting::IdleSignOutMinutes).unwrap());
        assert_eq!(view.site().unwrap().as_deref(), Some("demo"));
        let last = crate::attribution::history(&doc).pop().unwrap();
        assert_eq!(last.summary, "setting idle_sign_out_minutes 5");
        assert_eq!(last.attribution.unwrap().person, "主管1");
        // The take-over time: 30 minutes until a site sets its own.
        assert_eq!(view.take_over_minutes().unwrap(), 30);
        set(
            &mut doc,
            Setting::HandoverTakeOverMinutes,
            45,
            &supervisor(1, 2_000),
        )
        .unwrap();
        let view = SiteSettings::new(&doc).unwrap();
        assert_eq!(view.take_over_minutes().unwrap(), 45);
        assert_eq!(view.get(Setting::IdleSignOutMinutes).unwrap(), 5);
    }

    #[test]
    fn out_of_range_values_are_refused_without_a_change() {
        let mut doc = replica(1);
        let heads = doc.get_heads();
        for bad in [0, -5, 241, i64::MAX] {
            assert!(matches!(
                set(
                    &mut doc,
                    Setting::IdleSignOutMinutes,
                    bad,
                    &supervisor(1, 1)
                ),
                Err(ModelError::OutOfRange { .. })
            ));
        }
        assert_eq!(doc.get_heads(), heads);
        assert!(matches!(
            set(
                &mut crate::roster::genesis("demo").unwrap(),
                Setting::IdleSignOutMinutes,
                5,
                &supervisor(1, 1)
            ),
            Err(ModelError::WrongSchema(_))
        ));
    }

    #[test]
    fn a_hostile_stored_value_is_clamped() {
        let mut doc = replica(1);
        let values = values_map(&doc).unwrap();
        doc.transact::<_, _, automerge::AutomergeError>(|tx| {
            automerge::transaction::Transactable::put(
                tx,
                &values,
                Setting::IdleSignOutMinutes.key(),
                100_000_i64,
            )?;
            Ok(())
        })
        .unwrap();
        let view = SiteSettings::new(&doc).unwrap();
        assert_eq!(view.get(Setting::IdleSignOutMinutes).unwrap(), 240);
    }

    #[test]
    fn concurrent_values_conflict_visibly_and_every_device_shows_the_same() {
        assert_eq!(replica(1).save(), replica(2).save(), "one genesis");
        let (mut a, mut b) = (replica(1), replica(2));
        set(&mut a, Setting::IdleSignOutMinutes, 5, &supervisor(1, 1)).unwrap();
        set(&mut b, Setting::IdleSignOutMinutes, 30, &supervisor(2, 2)).unwrap();
        let mut ab = a.clone();
        ab.merge(&mut b.clone()).unwrap();
        let mut ba = b.clone();
        ba.merge(&mut a.clone()).unwrap();
        let (x, y) = (
            SiteSettings::new(&ab).unwrap(),
            SiteSettings::new(&ba).unwrap(),
        );
        assert_eq!(
            x.conflicts(Setting::IdleSignOutMinutes).unwrap(),
            vec![5, 30]
        );
        assert_eq!(
            x.get(Setting::IdleSignOutMinutes).unwrap(),
            y.get(Setting::IdleSignOutMinutes).unwrap()
        );
        set(&mut ab, Setting::IdleSignOutMinutes, 10, &supervisor(1, 3)).unwrap();
        let view = SiteSettings::new(&ab).unwrap();
        assert!(
            view.conflicts(Setting::IdleSignOutMinutes)
                .unwrap()
                .is_empty()
        );
        assert_eq!(view.get(Setting::IdleSignOutMinutes).unwrap(), 10);
    }
}
