//! The supervisor's form for adding or changing a person on the roster:
//! plain data and validation, unit-tested without a browser. The page
//! (`pages/roster_admin.rs`) only renders it.
//!
//! A PIN typed here is hashed on this desktop (salted PBKDF2, see
//! [`shiftbook_model::roster::PinHash`]) before anything is stored or
//! synced: the clear PIN never leaves the browser tab.

use shiftbook_model::roster::{PIN_ITERATIONS, PinHash, Role, StaffMember, is_valid_pin};

/// What the supervisor typed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MemberForm {
    /// Name as shown on the tablets.
    pub name: String,
    /// Role.
    pub role: Option<Role>,
    /// Posts, separated by commas or spaces.
    pub posts: String,
    /// A new PIN; empty keeps the current one.
    pub pin: String,
    /// The new PIN again.
    pub pin_again: String,
    /// Still working here.
    pub active: bool,
}

/// Why the form cannot be saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormError {
    /// No name.
    NoName,
    /// No role chosen.
    NoRole,
    /// The PIN is not 4–8 digits.
    BadPin,
    /// The two PINs differ.
    PinMismatch,
    /// A new person needs a PIN to sign in.
    NeedsPin,
}

impl MemberForm {
    /// The form filled with `member`'s current values (no PIN).
    pub fn of(member: &StaffMember) -> Self {
        Self {
            name: member.name.clone(),
            role: Some(member.role),
            posts: member.posts.join(", "),
            pin: String::new(),
            pin_again: String::new(),
            active: member.active,
        }
    }

    /// An empty form for a new, active person.
    pub fn new_person() -> Self {
        Self {
            active: true,
            ..Self::default()
        }
    }

    /// The posts as a list: split at commas (ASCII or Chinese) and white
    /// space, empty parts dropped, duplicates removed, order kept.
    pub fn post_list(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for p in self
            .posts
            .split(|c: char| c == ',' || c == '，' || c == '、' || c.is_whitespace())
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            if !out.iter().any(|o| o == p) {
                out.push(p.to_owned());
            }
        }
        out
    }

    /// Check the form without hashing anything.
    pub fn check(&self, existing: Option<&StaffMember>) -> Result<(), FormError> {
        if self.name.trim().is_empty() {
            return Err(FormError::NoName);
        }
        if self.role.is_none() {
            return Err(FormError::NoRole);
        }
        if self.pin.is_empty() {
            // Editing keeps the stored PIN (or the lack of one).
            return if existing.is_some() {
                Ok(())
            } else {
                Err(FormError::NeedsPin)
            };
        }
        if !is_valid_pin(&self.pin) {
            return Err(FormError::BadPin);
        }
        if self.pin != self.pin_again {
            return Err(FormError::PinMismatch);
        }
        Ok(())
    }

    /// The person to store: `existing`'s id and PIN hash unless a new PIN
    /// was typed, which is hashed with `salt` (16 random bytes).
    pub fn to_member(
        &self,
        id: &str,
        existing: Option<&StaffMember>,
        salt: [u8; 16],
    ) -> Result<StaffMember, FormError> {
        self.check(existing)?;
        let role = self.role.ok_or(FormError::NoRole)?;
        let pin = if self.pin.is_empty() {
            existing.and_then(|m| m.pin.clone())
        } else {
            Some(PinHash::new(&self.pin, salt, PIN_ITERATIONS).map_err(|_| FormError::BadPin)?)
        };
        Ok(StaffMember {
            id: id.to_owned(),
            name: self.name.trim().to_owned(),
            role,
            posts: self.post_list(),
            pin,
            active: self.active,
        })
    }
}

/// A new person's roster id from 8 random bytes: `p-` and 16 hex digits.
/// Ids never change, so a renamed person keeps their records.
pub fn new_person_id(random: [u8; 8]) -> String {
    let hex: String = random.iter().map(|b| format!("{b:02x}")).collect();
    format!("p-{hex}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filled() -> MemberForm {
        MemberForm {
            name: " 陈静 ".into(),
            role: Some(Role::Staff),
            posts: "lobby， show-flat lobby".into(),
            pin: "9876".into(),
            pin_again: "9876".into(),
            active: true,
        }
    }

    #[test]
    fn a_new_person_needs_name_role_and_a_confirmed_pin() {
        assert_eq!(MemberForm::new_person().check(None), Err(FormError::NoName));
        let f = filled();
        assert_eq!(f.check(None), Ok(()));
        assert_eq!(
            MemberForm {
                role: None,
                ..f.clone()
            }
            .check(None),
            Err(FormError::NoRole)
        );
        assert_eq!(
            MemberForm {
                pin: String::new(),
                pin_again: String::new(),
                ..f.clone()
            }
            .check(None),
            Err(FormError::NeedsPin)
        );
        assert_eq!(
            MemberForm {
                pin_again: "9875".into(),
                ..f.clone()
            }
            .check(None),
            Err(FormError::PinMismatch)
        );
        for bad in ["123", "12a4", "123456789"] {
            assert_eq!(
                MemberForm {
                    pin: bad.into(),
                    pin_again: bad.into(),
                    ..f.clone()
                }
                .check(None),
                Err(FormError::BadPin)
            );
        }
    }

    #[test]
    fn saving_trims_splits_posts_and_hashes_the_pin() {
        let m = filled().to_member("p-1", None, [3; 16]).unwrap();
        assert_eq!(m.name, "陈静");
        assert_eq!(m.posts, vec!["lobby", "show-flat"]);
        let pin = m.pin.clone().unwrap();
        assert!(pin.verify("9876") && !pin.verify("9875"));
        assert_eq!(pin.iterations, PIN_ITERATIONS);
        assert!(!format!("{m:?}").contains("9876"));
    }

    #[test]
    fn editing_keeps_the_pin_unless_a_new_one_is_typed() {
        let existing = filled().to_member("p-1", None, [3; 16]).unwrap();
        let mut f = MemberForm::of(&existing);
        assert!(f.pin.is_empty());
        f.active = false;
        f.role = Some(Role::Leader);
        let edited = f.to_member("p-1", Some(&existing), [4; 16]).unwrap();
        assert_eq!(edited.pin, existing.pin, "same hash, same salt");
        assert!(!edited.active);
        assert_eq!(edited.role, Role::Leader);
        f.pin = "1111".into();
        f.pin_again = "1111".into();
        let repinned = f.to_member("p-1", Some(&existing), [4; 16]).unwrap();
        assert!(repinned.pin.unwrap().verify("1111"));
    }

    #[test]
    fn new_ids_are_prefixed_hex() {
        assert_eq!(new_person_id([0xab; 8]), "p-abababababababab");
    }
}
