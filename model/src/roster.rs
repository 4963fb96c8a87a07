//! The site roster: one document per site listing its staff, their roles,
//! posts and PIN hashes, so a person can sign in on an enrolled tablet
//! offline once the roster has synced.
//!
//! ```text
//! ROOT
//! ├── schema  "shiftbook/roster/1"
//! ├── site                                   ← written once, by genesis
//! └── staff   { person id → StaffMember }    one fresh map per write
//! ```
//!
//! The document id is `DocumentId::derive(site_key, PURPOSE)`, and
//! [`genesis`] is deterministic exactly like the checklist's (fixed actor,
//! time 0), so two devices that open a site's roster offline hold one
//! document. [`put_member`] writes a *fresh* map at `staff[id]`: two
//! concurrent edits of one person conflict visibly ([`Roster::conflicts`])
//! instead of mixing fields of both.
//!
//! PINs are stored only as salted PBKDF2-HMAC-SHA256 hashes ([`PinHash`]).
//! A 4–8 digit PIN has little entropy, so the hash slows down guessing on a
//! stolen tablet but does not make it impossible: the roster must reach only
//! the site's enrolled devices.

use crate::ModelError;
use crate::attribution::Attribution;
use crate::genesis::{Container, Root};
use automerge::{Automerge, ChangeHash, ObjType, ROOT, ReadDoc};
use autosurgeon::{Hydrate, Reconcile, hydrate_prop};
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// The schema tag of roster documents.
pub const SCHEMA: &str = "shiftbook/roster/1";

/// The purpose that derives a site's roster document id.
pub const PURPOSE: &str = "roster";

/// PBKDF2 iterations for new PIN hashes. The app derives keys with the
/// browser's WebCrypto (native code): 1 000 000 took 0.28 s on the
/// development machine (2026-12, `deriveBits` in node, the same engine
/// family as Chromium's), about what 300 000 took in wasm before — so
/// more than three times the work per guess fits the same wait. A 6-digit
/// PIN still cannot resist an offline search of a stolen roster for long
/// (see ARCHITECTURE "Secrets"); the count only makes it slower. Stored
/// hashes carry their own count, so changing this only affects PINs set
/// afterwards.
pub const PIN_ITERATIONS: u32 = 1_000_000;

/// Stored hashes with more iterations than this are refused by
/// [`PinHash::verify`], so a corrupt roster cannot hang a tablet.
pub const MAX_PIN_ITERATIONS: u32 = 20_000_000;

/// A person's role (角色).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Front-line staff: patrol, reception, front desk (巡逻/接待/前台).
    Staff,
    /// Team leader (领班 / 班长).
    Leader,
    /// Supervisor (主管).
    Supervisor,
}

crate::string_enum::string_enum!(Role, "staff, leader or supervisor", {
    Staff => "staff",
    Leader => "leader",
    Supervisor => "supervisor",
});

/// A salted PBKDF2-HMAC-SHA256 hash of a PIN.
#[derive(Clone, PartialEq, Eq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize)]
pub struct PinHash {
    /// 16 random bytes, hex.
    pub salt_hex: String,
    /// The 32-byte derived key, hex.
    pub hash_hex: String,
    /// PBKDF2 iterations.
    pub iterations: u32,
}

impl std::fmt::Debug for PinHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the material an attacker would need.
        write!(f, "PinHash({} iterations, …)", self.iterations)
    }
}

/// Whether `pin` is 4–8 ASCII digits.
pub fn is_valid_pin(pin: &str) -> bool {
    (4..=8).contains(&pin.len()) && pin.bytes().all(|b| b.is_ascii_digit())
}

fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn from_hex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) || !s.is_ascii() {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).ok())
        .collect()
}

/// PBKDF2-HMAC-SHA256 of `pin` with `salt`, 32 bytes: what browsers
/// compute natively with WebCrypto (`deriveBits`, 256 bits) — the app does
/// that; this is the same function in Rust for tests, tools and servers.
pub fn derive_pin(pin: &str, salt: &[u8], iterations: u32) -> [u8; 32] {
    let mut out = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<Sha256>(pin.as_bytes(), salt, iterations, &mut out);
    out
}

/// Whether `pin` is exactly `digits` ASCII digits: what a *new* PIN must
/// be on a site whose [`crate::settings::Setting::PinDigits`] is `digits`
/// (PINs set earlier keep working whatever their length).
pub fn is_new_pin(pin: &str, digits: i64) -> bool {
    is_valid_pin(pin) && i64::try_from(pin.len()) == Ok(digits)
}

impl PinHash {
    /// Hash `pin` (4–8 ASCII digits) with the caller's random `salt`.
    pub fn new(pin: &str, salt: [u8; 16], iterations: u32) -> Result<Self, ModelError> {
        if !is_valid_pin(pin) {
            return Err(ModelError::BadPin);
        }
        if iterations == 0 || iterations > MAX_PIN_ITERATIONS {
            return Err(ModelError::BadIterations(iterations));
        }
        Ok(Self {
            salt_hex: to_hex(&salt),
            hash_hex: to_hex(&derive_pin(pin, &salt, iterations)),
            iterations,
        })
    }

    /// A hash of a PIN whose key was derived elsewhere (the browser's
    /// WebCrypto) with [`derive_pin`]'s function, `salt` and `iterations`.
    pub fn from_derived(
        salt: [u8; 16],
        iterations: u32,
        derived: &[u8; 32],
    ) -> Result<Self, ModelError> {
        if iterations == 0 || iterations > MAX_PIN_ITERATIONS {
            return Err(ModelError::BadIterations(iterations));
        }
        Ok(Self {
            salt_hex: to_hex(&salt),
            hash_hex: to_hex(derived),
            iterations,
        })
    }

    /// The salt and iteration count to derive a key for [`Self::matches`];
    /// `None` for a malformed stored hash (nothing matches it).
    pub fn derivation(&self) -> Option<(Vec<u8>, u32)> {
        if self.iterations == 0 || self.iterations > MAX_PIN_ITERATIONS {
            return None;
        }
        let salt = from_hex(&self.salt_hex)?;
        Some((salt, self.iterations))
    }

    /// Whether `derived` (from [`Self::derivation`]) is the stored key,
    /// compared in constant time.
    pub fn matches(&self, derived: &[u8]) -> bool {
        match from_hex(&self.hash_hex) {
            Some(expected) if expected.len() == 32 && derived.len() == 32 => {
                derived.ct_eq(expected.as_slice()).into()
            }
            _ => false,
        }
    }

    /// Whether `pin` is the PIN hashed, compared in constant time. `false`
    /// for malformed input or a malformed stored hash.
    pub fn verify(&self, pin: &str) -> bool {
        if !is_valid_pin(pin) {
            return false;
        }
        let Some((salt, iterations)) = self.derivation() else {
            return false;
        };
        self.matches(&derive_pin(pin, &salt, iterations))
    }
}

/// One person on the roster.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate)]
pub struct StaffMember {
    /// Stable id, chosen when the person is added.
    #[key]
    pub id: String,
    /// Name as shown, e.g. 张三.
    pub name: String,
    /// Role.
    pub role: Role,
    /// Posts the person works, e.g. `lobby`.
    pub posts: Vec<String>,
    /// The PIN hash; `None` until a PIN is set.
    pub pin: Option<PinHash>,
    /// `false` once the person has left; kept for the records they made.
    pub active: bool,
}

/// The outcome of a PIN sign-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignIn {
    /// The PIN is right.
    Ok(StaffMember),
    /// The PIN is wrong.
    WrongPin,
    /// No such person on the roster.
    Unknown,
    /// The person is no longer active.
    Inactive,
    /// The person has no PIN set yet.
    NoPin,
}

/// The site's roster document id.
pub fn document_id(site_key: &impl crate::ids::Derive) -> crate::DocumentId {
    site_key.derive(PURPOSE)
}

/// Build the roster's first change, identical on every device.
pub fn genesis(site: &str) -> Result<Automerge, ModelError> {
    crate::genesis::build(&Root {
        schema: SCHEMA,
        identity: &[("site", site)],
        containers: &[("staff", Container::Map)],
    })
}

/// Add or replace `member` as one change by `by`. Writes a fresh map at
/// `staff[id]`, so a concurrent edit of the same person shows as a conflict.
pub fn put_member(
    doc: &mut Automerge,
    member: &StaffMember,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    if member.id.trim().is_empty() {
        return Err(ModelError::BadMember("empty id".to_owned()));
    }
    if member.name.trim().is_empty() {
        return Err(ModelError::BadMember("empty name".to_owned()));
    }
    let staff = Roster::new(doc)?.staff()?;
    let options = by.commit_options(&format!("roster put {}", member.id));
    crate::write::put_fresh_change(doc, &staff, &member.id, member, options)
}

/// A read-only view of a roster document.
#[derive(Debug, Clone, Copy)]
pub struct Roster<'a> {
    doc: &'a Automerge,
}

impl<'a> Roster<'a> {
    /// View `doc` after checking it is a roster.
    pub fn new(doc: &'a Automerge) -> Result<Self, ModelError> {
        crate::genesis::expect_schema(doc, SCHEMA)?;
        Ok(Self { doc })
    }

    /// The site the roster belongs to.
    pub fn site(&self) -> Result<String, ModelError> {
        Ok(hydrate_prop(self.doc, ROOT, "site")?)
    }

    fn staff(&self) -> Result<automerge::ObjId, ModelError> {
        crate::genesis::container(self.doc, "staff", ObjType::Map)
    }

    /// Every current value of `staff[id]`.
    fn all_values(&self, id: &str) -> Result<Vec<StaffMember>, ModelError> {
        let staff = self.staff()?;
        let mut out = Vec::new();
        for (value, obj) in self.doc.get_all(&staff, id)? {
            if let automerge::Value::Object(ObjType::Map) = value {
                out.extend(crate::readable::kept_map::<StaffMember>(self.doc, &obj)?);
            }
        }
        Ok(out)
    }

    /// The person `id`; for a conflicted entry automerge's winner, which is
    /// the same on every device. `None` too for a person this build cannot
    /// read (a role a newer build added): everyone else can still sign in,
    /// and [`crate::readable::unreadable_records`] counts them.
    pub fn member(&self, id: &str) -> Result<Option<StaffMember>, ModelError> {
        let staff = self.staff()?;
        match self.doc.get(&staff, id)? {
            Some((automerge::Value::Object(ObjType::Map), obj)) => {
                crate::readable::kept_map::<StaffMember>(self.doc, &obj)
            }
            _ => Ok(None),
        }
    }

    /// Everyone on the roster (active or not), sorted by name, then id.
    pub fn members(&self) -> Result<Vec<StaffMember>, ModelError> {
        let staff = self.staff()?;
        let mut out = Vec::new();
        for id in self.doc.keys(&staff) {
            if let Some(m) = self.member(&id)? {
                out.push(m);
            }
        }
        crate::sort_once::sort_by(&mut out, |a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
        Ok(out)
    }

    /// The concurrent, differing versions of person `id` that a supervisor
    /// should reconcile (by saving the person again); empty when there is
    /// no conflict.
    pub fn conflicts(&self, id: &str) -> Result<Vec<StaffMember>, ModelError> {
        let values = self.all_values(id)?;
        let differ = values.windows(2).any(|w| w[0] != w[1]);
        Ok(if differ { values } else { Vec::new() })
    }

    /// What checking a PIN for person `id` takes: the member and their
    /// hash when there is one to check against, else why not (the
    /// [`SignIn`] outcome). The caller derives the key (WebCrypto in the
    /// browser) and compares with [`PinHash::matches`].
    pub fn pin_to_check(
        &self,
        id: &str,
    ) -> Result<Result<(StaffMember, PinHash), SignIn>, ModelError> {
        let Some(member) = self.member(id)? else {
            return Ok(Err(SignIn::Unknown));
        };
        if !member.active {
            return Ok(Err(SignIn::Inactive));
        }
        let Some(hash) = member.pin.clone() else {
            return Ok(Err(SignIn::NoPin));
        };
        Ok(Ok((member, hash)))
    }

    /// Check `pin` for person `id` here, in Rust. Runs the slow hash only
    /// for an active person with a PIN.
    pub fn verify_pin(&self, id: &str, pin: &str) -> Result<SignIn, ModelError> {
        Ok(match self.pin_to_check(id)? {
            Err(outcome) => outcome,
            Ok((member, hash)) if hash.verify(pin) => SignIn::Ok(member),
            Ok(_) => SignIn::WrongPin,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::on_tablet;

    const FAST: u32 = 1_000;

    fn supervisor(at_ms: i64) -> Attribution {
        Attribution {
            person_id: "sup".into(),
            person: "王主管".into(),
            role: Role::Supervisor,
            device: "office".into(),
            at_ms,
        }
    }

    fn member(id: &str, name: &str, pin: Option<&str>) -> StaffMember {
        StaffMember {
            id: id.into(),
            name: name.into(),
            role: Role::Staff,
            posts: vec!["lobby".into()],
            pin: pin.map(|p| PinHash::new(p, [7; 16], FAST).unwrap()),
            active: true,
        }
    }

    fn replica(n: u8) -> Automerge {
        on_tablet(genesis("demo").unwrap(), n)
    }

    #[test]
    fn a_key_derived_elsewhere_matches_like_a_verified_pin() {
        let salt = [9u8; 16];
        let derived = derive_pin("246810", &salt, FAST);
        let hash = PinHash::from_derived(salt, FAST, &derived).unwrap();
        assert!(hash.verify("246810"));
        assert!(!hash.verify("246811"));
        let (s, n) = hash.derivation().unwrap();
        assert_eq!((s.as_slice(), n), (&salt[..], FAST));
        assert!(hash.matches(&derive_pin("246810", &s, n)));
        assert!(!hash.matches(&derive_pin("246811", &s, n)));
        assert!(!hash.matches(&derived[..31]), "a short key never matches");
        assert!(PinHash::from_derived(salt, 0, &derived).is_err());
        assert!(PinHash::from_derived(salt, MAX_PIN_ITERATIONS + 1, &derived).is_err());
    }

    #[test]
    fn new_pins_have_the_sites_number_of_digits() {
        assert!(is_new_pin("123456", 6));
        assert!(
            !is_new_pin("1234", 6),
            "four digits are only for PINs set earlier"
        );
        assert!(is_valid_pin("1234"));
        assert!(!is_new_pin("12345a", 6));
        assert!(is_new_pin("12345678", 8));
        assert!(!is_new_pin("123456789", 9), "never more than 8");
    }

    #[test]
    fn pins_hash_verify_and_refuse_bad_input() {
        let h = PinHash::new("0427", [1; 16], FAST).unwrap();
        assert!(h.verify("0427"));
        assert!(!h.verify("0428"));
        assert!(!h.verify("427"));
        assert_eq!(h.salt_hex.len(), 32);
        assert_eq!(h.hash_hex.len(), 64);
        assert!(!format!("{h:?}").contains(&h.hash_hex));
        let other_salt = PinHash::new("0427", [2; 16], FAST).unwrap();
        assert_ne!(other_salt.hash_hex, h.hash_hex);
        for bad in ["", "123", "123456789", "12a4", "１２３４", "12 34"] {
            assert!(matches!(
                PinHash::new(bad, [1; 16], FAST),
                Err(ModelError::BadPin)
            ));
        }
        assert!(matches!(
            PinHash::new("1234", [1; 16], 0),
            Err(ModelError::BadIterations(0))
        ));
        let mut broken = h.clone();
        broken.hash_hex = "zz".into();
        assert!(!broken.verify("0427"));
        let mut slow = h.clone();
        slow.iterations = u32::MAX;
        assert!(!slow.verify("0427"), "refused, not hashed for hours");
    }

    #[test]
    fn known_pbkdf2_vector() {
        // RFC 7914 §11, PBKDF2-HMAC-SHA256("passwd", "salt", 1, 64)[..32].
        let out = derive_pin("passwd", b"salt", 1);
        assert_eq!(
            to_hex(&out),
            "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
        );
    }

    #[test]
    fn roles_store_as_lowercase_words() {
        assert_eq!(serde_json::to_string(&Role::Leader).unwrap(), "\"leader\"");
        let mut doc = replica(1);
        put_member(
            &mut doc,
            &StaffMember {
                role: Role::Supervisor,
                ..member("a", "A", None)
            },
            &supervisor(1),
        )
        .unwrap();
        let staff = Roster::new(&doc).unwrap().staff().unwrap();
        let (_, obj) = doc.get(&staff, "a").unwrap().unwrap();
        let (v, _) = doc.get(&obj, "role").unwrap().unwrap();
        assert_eq!(v.as_str(), Some("supervisor"));
    }

    #[test]
    fn someone_with_a_role_a_newer_build_added_is_left_out_and_counted() {
        let mut doc = replica(1);
        put_member(&mut doc, &member("z", "张三", Some("1234")), &supervisor(1)).unwrap();
        put_member(
            &mut doc,
            &member("n", "新角色", Some("1234")),
            &supervisor(2),
        )
        .unwrap();
        // A newer build gave 新角色 a role this build does not know.
        let staff = Roster::new(&doc).unwrap().staff().unwrap();
        let (_, obj) = doc.get(&staff, "n").unwrap().unwrap();
        let mut tx = doc.transaction();
        automerge::transaction::Transactable::put(&mut tx, &obj, "role", "night-warden").unwrap();
        tx.commit();

        let r = Roster::new(&doc).unwrap();
        let names: Vec<String> = r.members().unwrap().into_iter().map(|m| m.name).collect();
        assert_eq!(names, ["张三"], "everyone else still listed");
        assert!(matches!(r.verify_pin("z", "1234").unwrap(), SignIn::Ok(_)));
        assert!(matches!(
            r.verify_pin("n", "1234").unwrap(),
            SignIn::Unknown
        ));
        assert!(r.conflicts("n").unwrap().is_empty());
        assert_eq!(crate::readable::unreadable_records(&doc).unwrap(), 1);
    }

    #[test]
    fn independent_geneses_are_one_document() {
        assert_eq!(replica(1).save(), replica(2).save());
        assert!(matches!(
            Roster::new(&crate::checklist::genesis("demo", "lobby-opening", "2026-11-23").unwrap()),
            Err(ModelError::WrongSchema(_))
        ));
    }

    #[test]
    fn members_sign_in_with_their_pin() {
        let mut doc = replica(1);
        put_member(&mut doc, &member("z", "张三", Some("1234")), &supervisor(1)).unwrap();
        put_member(&mut doc, &member("l", "李四", None), &supervisor(2)).unwrap();
        put_member(
            &mut doc,
            &StaffMember {
                active: false,
                ..member("w", "王五", Some("1234"))
            },
            &supervisor(3),
        )
        .unwrap();
        let r = Roster::new(&doc).unwrap();
        assert_eq!(r.site().unwrap(), "demo");
        let names: Vec<String> = r.members().unwrap().into_iter().map(|m| m.name).collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted);
        assert_eq!(names.len(), 3);
        assert!(matches!(r.verify_pin("z", "1234").unwrap(), SignIn::Ok(m) if m.name == "张三"));
        assert_eq!(r.verify_pin("z", "4321").unwrap(), SignIn::WrongPin);
        assert_eq!(r.verify_pin("l", "1234").unwrap(), SignIn::NoPin);
        assert_eq!(r.verify_pin("w", "1234").unwrap(), SignIn::Inactive);
        assert_eq!(r.verify_pin("nobody", "1234").unwrap(), SignIn::Unknown);
        let h = crate::attribution::history(&doc);
        assert_eq!(h.len(), 4);
        assert_eq!(h[1].attribution.as_ref().unwrap().person, "王主管");
        assert_eq!(h[1].summary, "roster put z");
    }

    #[test]
    fn bad_members_are_refused_without_a_change() {
        let mut doc = replica(1);
        let heads = doc.get_heads();
        for m in [member("", "x", None), member("x", " ", None)] {
            assert!(matches!(
                put_member(&mut doc, &m, &supervisor(1)),
                Err(ModelError::BadMember(_))
            ));
        }
        assert_eq!(doc.get_heads(), heads);
    }

    #[test]
    fn concurrent_edits_of_one_person_conflict_and_never_mix_fields() {
        let (mut a, mut b) = (replica(1), replica(2));
        put_member(&mut a, &member("z", "张三", Some("1234")), &supervisor(1)).unwrap();
        b.merge(&mut a.clone()).unwrap();
        // a renames, b changes the role, neither seeing the other.
        put_member(&mut a, &member("z", "张叁", Some("1234")), &supervisor(2)).unwrap();
        put_member(
            &mut b,
            &StaffMember {
                role: Role::Leader,
                ..member("z", "张三", Some("1234"))
            },
            &supervisor(3),
        )
        .unwrap();
        let mut ab = a.clone();
        ab.merge(&mut b.clone()).unwrap();
        let mut ba = b.clone();
        ba.merge(&mut a.clone()).unwrap();
        for doc in [&ab, &ba] {
            let r = Roster::new(doc).unwrap();
            let conflicts = r.conflicts("z").unwrap();
            assert_eq!(conflicts.len(), 2);
            let picked = r.member("z").unwrap().unwrap();
            assert!(
                picked == conflicts[0] || picked == conflicts[1],
                "the pick is one whole version"
            );
            assert!(!(picked.name == "张叁" && picked.role == Role::Leader));
        }
        assert_eq!(
            Roster::new(&ab).unwrap().member("z").unwrap(),
            Roster::new(&ba).unwrap().member("z").unwrap(),
            "every device picks the same"
        );
        // Saving the person again, having seen both, resolves it.
        put_member(&mut ab, &member("z", "张叁", Some("1234")), &supervisor(4)).unwrap();
        assert!(Roster::new(&ab).unwrap().conflicts("z").unwrap().is_empty());
    }
}
