//! The supervisor's form for adding or changing a person on the roster:
//! plain data and validation, unit-tested without a browser. The page
//! (`roster.rs`) only renders it.
//!
//! A PIN typed here is hashed on this desktop (salted PBKDF2 through the
//! browser's WebCrypto, [`crate::platform::pin_crypto`]; see
//! [`shiftbook_model::roster::PinHash`]) before anything is stored or
//! synced: the clear PIN never leaves the browser tab. A new PIN has the
//! site's number of digits (setting `pin_digits`, 6 unless changed).

use shiftbook_model::roster::{PinHash, Role, StaffMember, is_new_pin};

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
    /// The new PIN is not this many digits (the site's setting).
    BadPin(i64),
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

    /// Check the form without hashing anything; a new PIN must have
    /// `digits` digits.
    pub fn check(&self, existing: Option<&StaffMember>, digits: i64) -> Result<(), FormError> {
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
        if !is_new_pin(&self.pin, digits) {
            return Err(FormError::BadPin(digits));
        }
        if self.pin != self.pin_again {
            return Err(FormError::PinMismatch);
        }
        Ok(())
    }

    /// The PIN to hash, if a new one was typed.
    pub fn new_pin(&self) -> Option<&str> {
        (!self.pin.is_empty()).then_some(self.pin.as_str())
    }

    /// The person to store: `existing`'s id and PIN hash unless a new PIN
    /// was typed, whose hash the caller made ([`Self::new_pin`] with
    /// [`crate::platform::pin_crypto::hash`]) and passes as `new_hash`.
    pub fn to_member(
        &self,
        id: &str,
        existing: Option<&StaffMember>,
        digits: i64,
        new_hash: Option<PinHash>,
    ) -> Result<StaffMember, FormError> {
        self.check(existing, digits)?;
        let role = self.role.ok_or(FormError::NoRole)?;
        let pin = match self.new_pin() {
            None => existing.and_then(|m| m.pin.clone()),
            Some(_) => Some(new_hash.ok_or(FormError::BadPin(digits))?),
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

    const FAST: u32 = 1_000;

    fn filled() -> MemberForm {
        MemberForm {
            name: " 陈静 ".into(),
            role: Some(Role::Staff),
            posts: "lobby， show-flat lobby".into(),
            pin: "987654".into(),
            pin_again: "987654".into(),
            active: true,
        }
    }

    fn hashed(f: &MemberForm, salt: u8) -> Option<PinHash> {
        f.new_pin()
            .map(|p| PinHash::new(p, [salt; 16], FAST).unwrap())
    }

    #[test]
    fn a_new_person_needs_name_role_and_a_confirmed_pin_of_the_sites_length() {
        assert_eq!(
            MemberForm::new_person().check(None, 6),
            Err(FormError::NoName)
        );
        let f = filled();
        assert_eq!(f.check(None, 6), Ok(()));
        assert_eq!(
            MemberForm {
                role: None,
                ..f.clone()
            }
            .check(None, 6),
            Err(FormError::NoRole)
        );
        assert_eq!(
            MemberForm {
                pin: String::new(),
                pin_again: String::new(),
                ..f.clone()
            }
            .check(None, 6),
            Err(FormError::NeedsPin)
        );
        assert_eq!(
            MemberForm {
                pin_again: "987655".into(),
                ..f.clone()
            }
            .check(None, 6),
            Err(FormError::PinMismatch)
        );
        for bad in ["1234", "12a456", "1234567", "123456789"] {
            assert_eq!(
                MemberForm {
                    pin: bad.into(),
                    pin_again: bad.into(),
                    ..f.clone()
                }
                .check(None, 6),
                Err(FormError::BadPin(6))
            );
        }
        let four = MemberForm {
            pin: "1234".into(),
            pin_again: "1234".into(),
            ..f
        };
        assert_eq!(four.check(None, 4), Ok(()), "a site that keeps 4 digits");
    }

    #[test]
    fn saving_trims_splits_posts_and_stores_the_hash() {
        let f = filled();
        let m = f.to_member("p-1", None, 6, hashed(&f, 3)).unwrap();
        assert_eq!(m.name, "陈静");
        assert_eq!(m.posts, vec!["lobby", "show-flat"]);
        let pin = m.pin.clone().unwrap();
        assert!(pin.verify("987654") && !pin.verify("987655"));
        assert!(!format!("{m:?}").contains("987654"));
        assert_eq!(
            f.to_member("p-1", None, 6, None),
            Err(FormError::BadPin(6)),
            "a typed PIN without its hash stores nothing"
        );
    }

    #[test]
    fn editing_keeps_the_pin_unless_a_new_one_is_typed() {
        let f0 = filled();
        let existing = f0.to_member("p-1", None, 6, hashed(&f0, 3)).unwrap();
        let mut f = MemberForm::of(&existing);
        assert!(f.pin.is_empty());
        f.active = false;
        f.role = Some(Role::Leader);
        let edited = f.to_member("p-1", Some(&existing), 8, None).unwrap();
        assert_eq!(
            edited.pin, existing.pin,
            "same hash, same salt, whatever the setting now"
        );
        assert!(!edited.active);
        assert_eq!(edited.role, Role::Leader);
        f.pin = "11112222".into();
        f.pin_again = "11112222".into();
        let repinned = f
            .to_member("p-1", Some(&existing), 8, hashed(&f, 4))
            .unwrap();
        assert!(repinned.pin.unwrap().verify("11112222"));
    }

    #[test]
    fn new_ids_are_prefixed_hex() {
        assert_eq!(new_person_id([0xab; 8]), "p-abababababababab");
    }
}
