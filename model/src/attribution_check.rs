//! What a change says about itself, held against what someone else knows.
//!
//! A tablet writes who made each change (person, role, device) into the
//! change itself ([`crate::attribution`]). The tablet is trusted to say
//! which *person* signed in on it (PINs are checked on the tablet), but
//! two facts come from elsewhere:
//!
//! * **the device**: the server records which authenticated device (or
//!   supervisor session) uploaded each change (its receipts). A change
//!   naming another device than the one that uploaded it is doubtful —
//!   [`Doubt::OtherDevice`];
//! * **the role**: the site's roster says which role each person holds. A
//!   change in a role the person does not hold is doubtful —
//!   [`Doubt::RoleNotHeld`]. A supervisor's desktop acts for the supervisor
//!   who logged in (`桌面·<user>`, role supervisor), who need not be on the
//!   roster; the server's own changes (`sync-server`) are the server's.
//!
//! A doubtful change is shown as *unconfirmed* beside what it recorded; a
//! signature whose signer does not hold a role allowed to sign it is
//! *invalid* ([`signature_doubt`]). Nothing is hidden or removed.
//!
//! The roster checked against is the one the device holds now: a person
//! whose role changed since shows their earlier changes as doubtful. A
//! device without a roster yet checks devices only.

use crate::attribution::{Attribution, history};
use crate::roster::{Role, StaffMember};
use crate::signature::Signature;
use automerge::Automerge;
use std::collections::BTreeMap;

/// What a supervisor's desktop calls itself in attributions, before the
/// user name (the server names supervisor uploads the same way).
pub const DESKTOP_PREFIX: &str = "桌面·";
/// What the server calls itself in the attributions of its own changes.
pub const SERVER_DEVICE: &str = "sync-server";

/// Why a change's attribution is not confirmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Doubt {
    /// The change names a device, but another one uploaded it.
    OtherDevice {
        /// The device (or `桌面·<user>`) whose connection uploaded it.
        uploaded_by: String,
    },
    /// The person does not hold the role the change was made in.
    RoleNotHeld {
        /// The role claimed.
        claimed: Role,
        /// The role the roster gives the person; `None` when the person
        /// is not on the roster.
        held: Option<Role>,
    },
    /// A signature in a role that may not sign it.
    NotAllowed {
        /// The role the roster gives the signer.
        held: Role,
    },
}

/// The role `person_id` holds on `roster`.
fn held(person_id: &str, roster: &[StaffMember]) -> Option<Role> {
    roster.iter().find(|m| m.id == person_id).map(|m| m.role)
}

/// Whether a desktop's change is its supervisor's own: `桌面·<user>` acting
/// as supervisor `<user>`.
fn desktop_self(person_id: &str, role: Role, device: &str) -> Option<bool> {
    let user = device.strip_prefix(DESKTOP_PREFIX)?;
    Some(user == person_id && role == Role::Supervisor)
}

/// The doubt about a change made by `person_id` in `role` naming
/// `device`, uploaded by `uploaded_by` (when the server said), against
/// `roster` (when the device has one); `None` when nothing contradicts it.
pub fn doubt(
    person_id: &str,
    role: Role,
    device: &str,
    uploaded_by: Option<&str>,
    roster: Option<&[StaffMember]>,
) -> Option<Doubt> {
    if let Some(by) = uploaded_by
        && by != device
    {
        return Some(Doubt::OtherDevice {
            uploaded_by: by.to_owned(),
        });
    }
    let roster = roster?;
    if device == SERVER_DEVICE && uploaded_by.is_some() {
        return None;
    }
    let on_roster = held(person_id, roster);
    if on_roster.is_none()
        && let Some(own) = desktop_self(person_id, role, device)
    {
        return (!own).then_some(Doubt::RoleNotHeld {
            claimed: role,
            held: None,
        });
    }
    (on_roster != Some(role)).then_some(Doubt::RoleNotHeld {
        claimed: role,
        held: on_roster,
    })
}

/// The doubtful changes of `doc` by hash (hex): each attributed change
/// checked with [`doubt`], `uploaded_by` giving the server's uploader of
/// each change it told. Unattributed changes (genesis, other clients) are
/// left alone.
pub fn doubts(
    doc: &Automerge,
    uploaded_by: &BTreeMap<String, String>,
    roster: Option<&[StaffMember]>,
) -> BTreeMap<String, Doubt> {
    history(doc)
        .into_iter()
        .filter_map(|c| {
            let a: Attribution = c.attribution?;
            let by = uploaded_by.get(&c.hash).map(String::as_str);
            doubt(&a.person_id, a.role, &a.device, by, roster).map(|d| (c.hash, d))
        })
        .collect()
}

/// The doubt about a signature: its signer must hold the role it signed in,
/// and that role must allow its meaning (a staff member's daily review is
/// invalid whatever the signature claims).
pub fn signature_doubt(signature: &Signature, roster: Option<&[StaffMember]>) -> Option<Doubt> {
    if let Some(d) = doubt(
        &signature.person_id,
        signature.role,
        &signature.device,
        None,
        roster,
    ) {
        return Some(d);
    }
    (roster.is_some() && !signature.meaning.allows(signature.role)).then_some(Doubt::NotAllowed {
        held: signature.role,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signature::Meaning;

    fn member(id: &str, role: Role) -> StaffMember {
        StaffMember {
            id: id.into(),
            name: id.into(),
            role,
            posts: vec![],
            pin: None,
            active: true,
        }
    }

    fn roster() -> Vec<StaffMember> {
        vec![member("zhang", Role::Staff), member("li", Role::Leader)]
    }

    #[test]
    fn without_a_roster_only_the_device_is_checked() {
        assert_eq!(doubt("ghost", Role::Leader, "t1", Some("t1"), None), None);
        assert!(doubt("ghost", Role::Leader, "t2", Some("t1"), None).is_some());
    }

    #[test]
    fn a_change_is_confirmed_when_its_device_uploaded_it_and_its_role_is_held() {
        let roster = roster();
        let r = Some(roster.as_slice());
        assert_eq!(doubt("zhang", Role::Staff, "t1", Some("t1"), r), None);
        assert_eq!(
            doubt("zhang", Role::Staff, "t1", None, r),
            None,
            "no receipt yet"
        );
        assert_eq!(
            doubt("zhang", Role::Staff, "t2", Some("t1"), r),
            Some(Doubt::OtherDevice {
                uploaded_by: "t1".into()
            })
        );
        assert_eq!(
            doubt("zhang", Role::Leader, "t1", Some("t1"), r),
            Some(Doubt::RoleNotHeld {
                claimed: Role::Leader,
                held: Some(Role::Staff)
            })
        );
        assert_eq!(
            doubt("ghost", Role::Staff, "t1", Some("t1"), r),
            Some(Doubt::RoleNotHeld {
                claimed: Role::Staff,
                held: None
            })
        );
    }

    #[test]
    fn a_supervisors_desktop_and_the_server_vouch_for_themselves() {
        let roster = roster();
        let r = Some(roster.as_slice());
        assert_eq!(
            doubt(
                "zhuguan",
                Role::Supervisor,
                "桌面·zhuguan",
                Some("桌面·zhuguan"),
                r
            ),
            None
        );
        assert!(
            doubt(
                "li",
                Role::Supervisor,
                "桌面·zhuguan",
                Some("桌面·zhuguan"),
                r
            )
            .is_some()
        );
        assert!(doubt("zhuguan", Role::Supervisor, "桌面·zhuguan", Some("t1"), r).is_some());
        assert_eq!(
            doubt(
                "server",
                Role::Supervisor,
                SERVER_DEVICE,
                Some(SERVER_DEVICE),
                r
            ),
            None
        );
        assert!(doubt("server", Role::Supervisor, SERVER_DEVICE, Some("t1"), r).is_some());
    }

    fn signature(person: &str, role: Role, meaning: Meaning) -> Signature {
        Signature {
            person_id: person.into(),
            person: person.into(),
            role,
            meaning,
            device: "t1".into(),
            at_ms: 0,
            heads: vec![],
        }
    }

    #[test]
    fn a_staff_members_daily_review_is_invalid_whatever_it_claims() {
        let roster = roster();
        let r = Some(roster.as_slice());
        assert_eq!(
            signature_doubt(&signature("li", Role::Leader, Meaning::DailyReview), r),
            None
        );
        assert_eq!(
            signature_doubt(&signature("zhang", Role::Leader, Meaning::DailyReview), r),
            Some(Doubt::RoleNotHeld {
                claimed: Role::Leader,
                held: Some(Role::Staff)
            })
        );
        assert_eq!(
            signature_doubt(&signature("zhang", Role::Staff, Meaning::DailyReview), r),
            Some(Doubt::NotAllowed { held: Role::Staff })
        );
        assert_eq!(
            signature_doubt(
                &signature("zhang", Role::Staff, Meaning::HandoverOutgoing),
                r
            ),
            None
        );
    }

    #[test]
    fn doubts_of_a_document_come_from_its_attributed_changes() {
        use crate::checklist::{self, Status};
        let mut doc = checklist::started_for_tests("2026-11-23");
        let by = |device: &str, role: Role| Attribution {
            person_id: "zhang".into(),
            person: "张伟".into(),
            role,
            device: device.into(),
            at_ms: 1,
        };
        let ok = checklist::mark(
            &mut doc,
            checklist::TEST_SLOT,
            "doors",
            Status::Normal,
            "",
            &by("t1", Role::Staff),
        )
        .unwrap();
        let forged = checklist::mark(
            &mut doc,
            checklist::TEST_SLOT,
            "lifts",
            Status::Normal,
            "",
            &by("t2", Role::Staff),
        )
        .unwrap();
        let uploaded: BTreeMap<String, String> = [ok, forged]
            .iter()
            .map(|h| (h.to_string(), "t1".to_owned()))
            .collect();
        let roster = roster();
        let found = doubts(&doc, &uploaded, Some(&roster));
        assert_eq!(
            found.get(&forged.to_string()),
            Some(&Doubt::OtherDevice {
                uploaded_by: "t1".into()
            })
        );
        assert!(!found.contains_key(&ok.to_string()));
    }
}
