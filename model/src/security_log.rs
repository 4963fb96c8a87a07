//! A site's security log for one day: sign-ins, sign-outs, co-signatures
//! and wrong PINs on the site's shared tablets, so supervisors see them on
//! the desktop.
//!
//! ```text
//! ROOT
//! ├── schema  "shiftbook/security-log/1"
//! ├── site, date                           ← written once, by genesis
//! └── events  [ SecurityEvent, … ]         append-only
//! ```
//!
//! One document per site and day (purpose `security-log/<date>`), so it
//! stays small and a tablet that signs someone in offline creates it
//! itself; the deterministic genesis makes every tablet's copy the same
//! document. Tablets append (they are the ones who see PINs typed);
//! appends from several tablets merge into one list, none lost.
//!
//! An event is not an [`Attribution`](crate::attribution::Attribution): a
//! wrong PIN is typed by someone who is *not* signed in. The change's
//! message is `security <event>` and its time the device's.

use crate::ModelError;
use crate::event_board;
use crate::genesis::{Container, Root};
use automerge::{Automerge, ChangeHash, transaction::CommitOptions};
use autosurgeon::{Hydrate, Reconcile};

/// The schema tag of security log documents.
pub const SCHEMA: &str = "shiftbook/security-log/1";

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EventKind {
    /// The right PIN: signed in.
    SignIn,
    /// A wrong PIN.
    WrongPin,
    /// Refused without checking a PIN: unknown or inactive person, no PIN
    /// set, or still waiting after wrong PINs.
    Refused,
    /// Signed out by tapping "switch person".
    SignOut,
    /// Signed out after the site's idle time.
    IdleSignOut,
    /// The right PIN, confirming one action on a tablet where someone else
    /// is signed in (the incoming person's take-over, a co-signature);
    /// the signed-in person stays signed in.
    CoSigned,
}

crate::string_enum::string_enum!(EventKind, "a security event", {
    SignIn => "sign-in",
    WrongPin => "wrong-pin",
    Refused => "refused",
    SignOut => "sign-out",
    IdleSignOut => "idle-sign-out",
    CoSigned => "co-signed",
});

/// One line of the log.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate)]
pub struct SecurityEvent {
    /// What happened.
    pub kind: EventKind,
    /// The roster id concerned.
    pub person_id: String,
    /// The person's name as the roster had it (empty when unknown).
    pub person: String,
    /// The device.
    pub device: String,
    /// Device clock, milliseconds since the Unix epoch.
    pub at_ms: i64,
}

/// The purpose that derives the log's document id for `date`.
pub fn purpose(date: &str) -> String {
    format!("security-log/{date}")
}

/// The id of the site's log for `date`.
pub fn document_id(site_key: &impl crate::ids::Derive, date: &str) -> crate::DocumentId {
    site_key.derive(&purpose(date))
}

/// Build the day's first change, identical on every device.
pub fn genesis(site: &str, date: &str) -> Result<Automerge, ModelError> {
    crate::checklist::validate_date(date)?;
    crate::genesis::build(&Root {
        schema: SCHEMA,
        identity: &[("site", site), ("date", date)],
        containers: &[("events", Container::List)],
    })
}

/// Append `event` as one change.
pub fn append(doc: &mut Automerge, event: &SecurityEvent) -> Result<ChangeHash, ModelError> {
    let options = CommitOptions::default()
        .with_message(format!("security {}", event.kind.as_str()))
        .with_time(event.at_ms.div_euclid(1000));
    event_board::append(doc, SCHEMA, std::slice::from_ref(event), options)
}

/// Every event of the day, oldest first (by device time, then device).
pub fn events(doc: &Automerge) -> Result<Vec<SecurityEvent>, ModelError> {
    let mut out: Vec<SecurityEvent> = event_board::events(doc, SCHEMA)?;
    crate::sort_once::sort_by(&mut out, |a, b| {
        (a.at_ms, &a.device).cmp(&(b.at_ms, &b.device))
    });
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::on_tablet;
    use proptest::prelude::*;

    fn event(kind: EventKind, device: &str, at_ms: i64) -> SecurityEvent {
        SecurityEvent {
            kind,
            person_id: "zhang".into(),
            person: "张伟".into(),
            device: device.into(),
            at_ms,
        }
    }

    fn replica(n: u8) -> Automerge {
        on_tablet(genesis("demo", "2026-11-25").unwrap(), n)
    }

    #[test]
    fn events_append_and_read_back_in_time_order() {
        let mut doc = replica(1);
        append(&mut doc, &event(EventKind::WrongPin, "T1", 2_000)).unwrap();
        append(&mut doc, &event(EventKind::SignIn, "T1", 1_000)).unwrap();
        let e = events(&doc).unwrap();
        assert_eq!(
            e.iter().map(|e| e.kind).collect::<Vec<_>>(),
            [EventKind::SignIn, EventKind::WrongPin]
        );
        let last = crate::attribution::history(&doc).pop().unwrap();
        assert_eq!(last.summary, "security sign-in");
        assert!(last.attribution.is_none(), "nobody is vouched for");
        assert!(matches!(
            genesis("demo", "2026-02-30x"),
            Err(ModelError::BadDate(_))
        ));
        assert!(matches!(
            events(&crate::roster::genesis("demo").unwrap()),
            Err(ModelError::WrongSchema(_))
        ));
    }

    #[test]
    fn a_co_signature_is_logged_under_its_own_word() {
        let mut doc = replica(1);
        append(&mut doc, &event(EventKind::SignIn, "T1", 1_000)).unwrap();
        append(&mut doc, &event(EventKind::CoSigned, "T1", 2_000)).unwrap();
        let e = events(&doc).unwrap();
        assert_eq!(
            e.iter().map(|e| e.kind).collect::<Vec<_>>(),
            [EventKind::SignIn, EventKind::CoSigned]
        );
        let last = crate::attribution::history(&doc).pop().unwrap();
        assert_eq!(last.summary, "security co-signed");
        assert!(last.attribution.is_none());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(32))]
        /// Events appended on three tablets, merged in any order: every
        /// event is there exactly once, on every replica.
        #[test]
        fn appends_from_three_tablets_all_survive(
            edits in proptest::collection::vec((0..3u8, any::<bool>()), 1..24)
        ) {
            let mut replicas = [replica(1), replica(2), replica(3)];
            for (n, (who, sync)) in edits.iter().enumerate() {
                let r = usize::from(*who);
                append(&mut replicas[r], &event(EventKind::WrongPin, &format!("T{who}"), n as i64)).unwrap();
                if *sync {
                    let mut other = replicas[(r + 1) % 3].clone();
                    replicas[r].merge(&mut other).unwrap();
                }
            }
            let mut all = replicas[0].clone();
            for r in &replicas[1..] {
                all.merge(&mut r.clone()).unwrap();
            }
            let e = events(&all).unwrap();
            prop_assert_eq!(e.len(), edits.len());
            let times: Vec<i64> = e.iter().map(|e| e.at_ms).collect();
            prop_assert_eq!(times, (0..edits.len() as i64).collect::<Vec<_>>());
        }
    }
}
