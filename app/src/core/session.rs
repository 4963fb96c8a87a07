//! Who is using this shared tablet right now, and for how long without
//! touching it. Signing in checks the PIN against the site roster, offline;
//! the signed-in person is kept across reloads until idle sign-out (after
//! the site's idle time, a site setting). Sign-ins, sign-outs and wrong
//! PINs go to the site's shared security log (see the store). A second
//! person confirms one action with their own PIN without signing the
//! first out ([`CoSigned`], the co-sign component).

use crate::core::pin_throttle::PinThrottle;
use serde::{Deserialize, Serialize};
use shiftbook_model::attribution::Attribution;
use shiftbook_model::roster::{Role, StaffMember};
use std::collections::BTreeMap;

/// Key of the signed-in person.
pub const PERSON_KEY: &str = "shiftbook.person";
/// Key of the per-person PIN throttles.
pub const THROTTLE_KEY: &str = "shiftbook.pin_throttle";

/// The person signed in on this tablet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedIn {
    /// Roster id.
    pub id: String,
    /// Name as shown.
    pub name: String,
    /// Role.
    pub role: Role,
    /// Last time the person touched the app (device clock, ms).
    pub last_activity_ms: i64,
}

impl SignedIn {
    /// Signed in just now as `member`.
    pub fn new(member: &StaffMember, now_ms: i64) -> Self {
        Self {
            id: member.id.clone(),
            name: member.name.clone(),
            role: member.role,
            last_activity_ms: now_ms,
        }
    }

    /// Whether the tablet has been left alone for `idle_ms` or longer. A
    /// clock that jumped backwards counts as activity, not as idle time.
    pub fn is_idle(&self, now_ms: i64, idle_ms: i64) -> bool {
        now_ms.saturating_sub(self.last_activity_ms) >= idle_ms
    }

    /// Who makes a change now, on `device`.
    pub fn attribution(&self, device: &str, now_ms: i64) -> Attribution {
        Attribution {
            person_id: self.id.clone(),
            person: self.name.clone(),
            role: self.role,
            device: device.to_owned(),
            at_ms: now_ms,
        }
    }
}

/// A person who confirmed who they are with their PIN on a tablet where
/// someone else is signed in (the incoming person at a hand-over), for
/// exactly one action: it is not `Clone`, and
/// [`CoSigned::into_attribution`] consumes it. The signed-in person stays
/// signed in.
#[derive(Debug, PartialEq, Eq)]
pub struct CoSigned {
    person: SignedIn,
    device: String,
}

impl CoSigned {
    /// `member` confirmed their PIN on `device` at `now_ms`.
    pub fn new(member: &StaffMember, device: &str, now_ms: i64) -> Self {
        Self {
            person: SignedIn::new(member, now_ms),
            device: device.to_owned(),
        }
    }

    /// Who makes the one action, at `now_ms`; the confirmation is used up.
    pub fn into_attribution(self, now_ms: i64) -> Attribution {
        self.person.attribution(&self.device, now_ms)
    }
}

fn read_json<T: for<'de> Deserialize<'de> + Default>(key: &str) -> T {
    crate::platform::storage::read_raw(key)
        .and_then(|raw| serde_json::from_str(&raw).ok())
        .unwrap_or_default()
}

fn write_json<T: Serialize>(key: &str, value: &T) {
    if let Ok(json) = serde_json::to_string(value) {
        let _ = crate::platform::storage::write_raw(key, &json);
    }
}

/// The stored signed-in person, if any.
pub fn load_person() -> Option<SignedIn> {
    read_json::<Option<SignedIn>>(PERSON_KEY)
}

/// How stale the stored last activity may get: a tap writes it at most
/// this often. After a reload the idle sign-out may come this much early;
/// the taps of a round do not each write the session.
const ACTIVITY_WRITE_MS: i64 = 10_000;

thread_local! {
    /// The last activity stored (device clock, ms).
    static ACTIVITY_STORED: std::cell::Cell<i64> = const { std::cell::Cell::new(i64::MIN) };
}

/// Store (or clear) the signed-in person.
pub fn save_person(person: Option<&SignedIn>) {
    write_json(PERSON_KEY, &person);
    ACTIVITY_STORED.with(|s| s.set(person.map_or(i64::MIN, |p| p.last_activity_ms)));
}

/// Store `person` after a touch, unless what is stored is recent enough
/// ([`ACTIVITY_WRITE_MS`]; a clock that went back stores at once).
pub fn save_activity(person: &SignedIn) {
    let stored = ACTIVITY_STORED.with(std::cell::Cell::get);
    let at = person.last_activity_ms;
    if at < stored || at.saturating_sub(stored) >= ACTIVITY_WRITE_MS {
        save_person(Some(person));
    }
}

/// The PIN throttle of `person_id`.
pub fn throttle(person_id: &str) -> PinThrottle {
    read_json::<BTreeMap<String, PinThrottle>>(THROTTLE_KEY)
        .remove(person_id)
        .unwrap_or_default()
}

/// Store the PIN throttle of `person_id`.
pub fn save_throttle(person_id: &str, t: &PinThrottle) {
    let mut all: BTreeMap<String, PinThrottle> = read_json(THROTTLE_KEY);
    all.insert(person_id.to_owned(), t.clone());
    write_json(THROTTLE_KEY, &all);
}

/// Who is looking: the signed-in person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Viewer {
    /// Roster id.
    pub person_id: String,
    /// Role.
    pub role: Role,
}

impl Viewer {
    /// Whether the viewer is a leader or a supervisor.
    pub fn leads(&self) -> bool {
        matches!(self.role, Role::Leader | Role::Supervisor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(last: i64) -> SignedIn {
        SignedIn {
            id: "zhang".into(),
            name: "张伟".into(),
            role: Role::Staff,
            last_activity_ms: last,
        }
    }

    #[test]
    fn idle_is_measured_from_the_last_touch_and_a_clock_jump_back_is_not_idle() {
        const DEFAULT_IDLE_MS: i64 = 15 * 60 * 1000;
        let p = person(1_000);
        assert!(!p.is_idle(1_000 + DEFAULT_IDLE_MS - 1, DEFAULT_IDLE_MS));
        assert!(p.is_idle(1_000 + DEFAULT_IDLE_MS, DEFAULT_IDLE_MS));
        assert!(!p.is_idle(0, DEFAULT_IDLE_MS));
    }

    #[test]
    fn a_co_signature_is_the_confirmed_person_on_this_device_once() {
        let member = StaffMember {
            id: "chen".into(),
            name: "陈静".into(),
            role: Role::Staff,
            posts: vec!["lobby".into()],
            pin: None,
            active: true,
        };
        let a = CoSigned::new(&member, "大堂平板1", 10).into_attribution(99);
        assert_eq!(
            (
                a.person_id.as_str(),
                a.person.as_str(),
                a.role,
                a.device.as_str(),
                a.at_ms
            ),
            ("chen", "陈静", Role::Staff, "大堂平板1", 99)
        );
    }

    #[test]
    fn attribution_names_person_role_device_and_time() {
        let a = person(0).attribution("大堂平板1", 42);
        assert_eq!(
            (
                a.person_id.as_str(),
                a.person.as_str(),
                a.role,
                a.device.as_str(),
                a.at_ms
            ),
            ("zhang", "张伟", Role::Staff, "大堂平板1", 42)
        );
    }
}
