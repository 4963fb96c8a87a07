//! A site's checkpoints: the places a patrol proves it walked by scanning
//! the label there (a QR code, or an NFC tag carrying the same text). One
//! document per site that supervisors edit and tablets read (the server
//! shares it read-only with devices, like the templates).
//!
//! ```text
//! ROOT
//! ├── schema       "shiftbook/checkpoints/1"
//! ├── site                                        ← written once, by genesis
//! └── checkpoints  { checkpoint id → Checkpoint } one fresh map per write
//! ```
//!
//! Each checkpoint has a **code**: 128 random bits ([`new_code`]), printed
//! on its label as [`label_text`]. It says nothing about the site or the
//! place, so a label is meaningless elsewhere and no code can be guessed
//! from another. A lost label is **revoked** ([`revoke_label`]): its code
//! moves to the checkpoint's revoked labels with the time, and a new code
//! (a new label to print) takes its place. A scan of a revoked code made
//! before the revocation still counts; one made after does not
//! ([`SiteCheckpoints::lookup`]). Checkpoints are never deleted: a retired
//! one is saved with `active: false`, so past scans of it stay readable.
//!
//! What a checkpoint proves is a list of template items or whole areas
//! ([`Proves`]); the rules that use them are in [`proof`].

pub mod proof;

use crate::ModelError;
use crate::attribution::Attribution;
use crate::genesis::{Container, Root};
use crate::template::Template;
use automerge::{Automerge, ChangeHash, ObjType};
use autosurgeon::{Hydrate, Reconcile};
use std::collections::BTreeMap;

/// The schema tag of checkpoint documents.
pub const SCHEMA: &str = "shiftbook/checkpoints/1";

/// The purpose that derives a site's checkpoints document id.
pub const PURPOSE: &str = "checkpoints";

/// What a label's text starts with: the rest is the code.
pub const LABEL_PREFIX: &str = "SBCP:";

/// The characters of a code: RFC 4648 base32, which a QR code stores in its
/// compact alphanumeric mode.
const CODE_ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// Characters of a code: 128 bits in base32.
pub const CODE_LEN: usize = 26;

/// The longest name and place, in characters.
pub const MAX_NAME: usize = 40;

/// The most items and areas one checkpoint proves.
pub const MAX_PROVES: usize = 64;

/// Why a checkpoint was not saved or a label not revoked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// The id is not a key (1–64 letters, digits, - or _).
    #[error("a checkpoint id is 1–64 letters, digits, - or _")]
    BadId,
    /// No name, or one too long.
    #[error("a checkpoint needs a name of at most {MAX_NAME} characters")]
    BadName,
    /// A place too long.
    #[error("a checkpoint's place is at most {MAX_NAME} characters")]
    BadPlace,
    /// Not a code [`new_code`] makes.
    #[error("not a checkpoint code")]
    BadCode,
    /// Another checkpoint has (or had) this code.
    #[error("checkpoint {0} has this code")]
    CodeInUse(String),
    /// An entry of what it proves names neither an item nor an area, or
    /// no template.
    #[error("what a checkpoint proves names a template and an item or an area")]
    BadProves,
    /// More than [`MAX_PROVES`] entries.
    #[error("a checkpoint proves at most {MAX_PROVES} items or areas")]
    TooManyProves,
    /// No checkpoint of this id.
    #[error("no checkpoint {0}")]
    Unknown(String),
}

/// One item, or every item of one area, of one template.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Reconcile, Hydrate, serde::Serialize,
)]
pub struct Proves {
    /// The template's id.
    pub template: String,
    /// The area (its Chinese name, as the template has it) when every item
    /// of it is proven; empty when `item` names one.
    pub area: String,
    /// The item's id; empty when `area` names a whole area.
    pub item: String,
}

impl Proves {
    /// One item of `template`.
    pub fn item(template: &str, item: &str) -> Self {
        Self {
            template: template.to_owned(),
            area: String::new(),
            item: item.to_owned(),
        }
    }

    /// Every item of `area` of `template`.
    pub fn area(template: &str, area: &str) -> Self {
        Self {
            template: template.to_owned(),
            area: area.to_owned(),
            item: String::new(),
        }
    }

    /// Whether this covers item `item` of `template`.
    pub fn covers(&self, template: &Template, item: &str) -> bool {
        if self.template != template.id {
            return false;
        }
        if !self.item.is_empty() {
            return self.item == item;
        }
        template.item(item).is_some_and(|i| i.area.zh == self.area)
    }
}

/// A label that was lost or taken away: its code no longer counts.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate, serde::Serialize)]
pub struct RevokedLabel {
    /// The code the label carried.
    pub code: String,
    /// When it was revoked (the supervisor's clock, ms since the epoch).
    pub at_ms: i64,
    /// Who revoked it.
    pub by: String,
    /// Why (lost, damaged, …); may be empty.
    pub reason: String,
}

/// A place a round proves it passed.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate, serde::Serialize)]
pub struct Checkpoint {
    /// Stable id, unique in the site.
    pub id: String,
    /// What the label says (地下车库B2入口).
    pub name: String,
    /// Where it is, for whoever puts the label up; may be empty.
    pub place: String,
    /// The template items and areas a scan here proves.
    pub proves: Vec<Proves>,
    /// The code of the current label.
    pub code: String,
    /// Earlier labels, revoked, oldest first.
    pub revoked: Vec<RevokedLabel>,
    /// Still in use.
    pub active: bool,
}

impl Checkpoint {
    /// Check what a supervisor saved.
    pub fn validate(&self) -> Result<(), Refusal> {
        if !crate::ids::is_key(&self.id) {
            return Err(Refusal::BadId);
        }
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > MAX_NAME {
            return Err(Refusal::BadName);
        }
        if self.place.chars().count() > MAX_NAME {
            return Err(Refusal::BadPlace);
        }
        if !is_code(&self.code) {
            return Err(Refusal::BadCode);
        }
        if self.proves.len() > MAX_PROVES {
            return Err(Refusal::TooManyProves);
        }
        for p in &self.proves {
            let one = p.item.is_empty() != p.area.is_empty();
            if !crate::ids::is_key(&p.template) || !one {
                return Err(Refusal::BadProves);
            }
        }
        Ok(())
    }

    /// Whether a scan here proves item `item` of `template`.
    pub fn proves_item(&self, template: &Template, item: &str) -> bool {
        self.proves.iter().any(|p| p.covers(template, item))
    }

    /// The text its current label carries.
    pub fn label_text(&self) -> String {
        label_text(&self.code)
    }
}

/// A new code from 16 random bytes the caller drew.
pub fn new_code(random: [u8; 16]) -> String {
    let mut out = String::with_capacity(CODE_LEN);
    let mut bits: u32 = 0;
    let mut held = 0;
    for byte in random {
        bits = (bits << 8) | u32::from(byte);
        held += 8;
        while held >= 5 {
            held -= 5;
            out.push(char::from(CODE_ALPHABET[((bits >> held) & 31) as usize]));
        }
    }
    if held > 0 {
        out.push(char::from(
            CODE_ALPHABET[((bits << (5 - held)) & 31) as usize],
        ));
    }
    out
}

/// Whether `code` has the shape of a code [`new_code`] makes.
pub fn is_code(code: &str) -> bool {
    code.len() == CODE_LEN && code.bytes().all(|b| CODE_ALPHABET.contains(&b))
}

/// The text a label with `code` carries.
pub fn label_text(code: &str) -> String {
    format!("{LABEL_PREFIX}{code}")
}

/// The code in a label's text as a scanner read it (surrounding space and
/// letter case forgiven); `None` when it is not a checkpoint label.
pub fn code_of_label(text: &str) -> Option<String> {
    let text = text.trim().to_ascii_uppercase();
    let code = text.strip_prefix(LABEL_PREFIX)?;
    is_code(code).then(|| code.to_owned())
}

/// The site's checkpoints document id.
pub fn document_id(site_key: &impl crate::ids::Derive) -> crate::DocumentId {
    site_key.derive(PURPOSE)
}

/// Build the document's first change, identical on every device.
pub fn genesis(site: &str) -> Result<Automerge, ModelError> {
    crate::genesis::build(&Root {
        schema: SCHEMA,
        identity: &[("site", site)],
        containers: &[("checkpoints", Container::Map)],
    })
}

fn checkpoints_map(doc: &Automerge) -> Result<automerge::ObjId, ModelError> {
    crate::genesis::schema_container(doc, SCHEMA, "checkpoints", ObjType::Map)
}

/// Add or replace `checkpoint` as one change by `by` (a fresh map at
/// `checkpoints[id]`). An invalid checkpoint, or one whose code another
/// checkpoint has or had, is refused and nothing written.
pub fn put_checkpoint(
    doc: &mut Automerge,
    checkpoint: &Checkpoint,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    checkpoint.validate()?;
    let view = SiteCheckpoints::new(doc)?;
    for other in view.all()? {
        let used = other.code == checkpoint.code
            || other.revoked.iter().any(|r| r.code == checkpoint.code);
        if other.id != checkpoint.id && used {
            return Err(Refusal::CodeInUse(other.id).into());
        }
    }
    let map = checkpoints_map(doc)?;
    let options = by.commit_options(&format!("checkpoint put {}", checkpoint.id));
    crate::write::put_fresh_change(doc, &map, &checkpoint.id, checkpoint, options)
}

/// Revoke the current label of checkpoint `id` (lost, damaged) and give it
/// `new_code` for the label that replaces it, as one change by `by`.
pub fn revoke_label(
    doc: &mut Automerge,
    id: &str,
    new_code: &str,
    reason: &str,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    let Some(mut checkpoint) = SiteCheckpoints::new(doc)?.get(id)? else {
        return Err(Refusal::Unknown(crate::free_text::clip(id)).into());
    };
    let reason = crate::free_text::check("a reason", reason, false, 200)?;
    checkpoint.revoked.push(RevokedLabel {
        code: std::mem::replace(&mut checkpoint.code, new_code.to_owned()),
        at_ms: by.at_ms,
        by: by.person.clone(),
        reason,
    });
    put_checkpoint(doc, &checkpoint, by)
}

/// What a scanned code is, by the checkpoints a device holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// The current label of an active checkpoint.
    Current(Checkpoint),
    /// A label revoked at `revoked_at_ms`: it counted only before then.
    Revoked {
        /// Whose label it was.
        checkpoint: Checkpoint,
        /// When it was revoked.
        revoked_at_ms: i64,
    },
    /// The label of a checkpoint no longer in use.
    Retired(Checkpoint),
    /// No checkpoint of this site (or not one this device has yet).
    Unknown,
}

impl Lookup {
    /// The checkpoint, if the code is one's (current, revoked or retired).
    pub fn checkpoint(&self) -> Option<&Checkpoint> {
        match self {
            Lookup::Current(c) | Lookup::Retired(c) => Some(c),
            Lookup::Revoked { checkpoint, .. } => Some(checkpoint),
            Lookup::Unknown => None,
        }
    }

    /// Whether a scan of the code at `at_ms` counts as having been there.
    pub fn counts_at(&self, at_ms: i64) -> bool {
        match self {
            Lookup::Current(_) => true,
            Lookup::Revoked { revoked_at_ms, .. } => at_ms < *revoked_at_ms,
            Lookup::Retired(_) | Lookup::Unknown => false,
        }
    }
}

/// A read-only view of a site's checkpoints; without a document (not
/// synced yet) the site has none.
#[derive(Debug, Clone, Copy)]
pub struct SiteCheckpoints<'a> {
    doc: Option<&'a Automerge>,
}

impl<'a> SiteCheckpoints<'a> {
    /// View `doc` after checking it is a checkpoints document.
    pub fn new(doc: &'a Automerge) -> Result<Self, ModelError> {
        checkpoints_map(doc)?;
        Ok(Self { doc: Some(doc) })
    }

    /// No document yet: no checkpoints.
    pub fn none() -> Self {
        Self { doc: None }
    }

    /// Every checkpoint this build can read (automerge's pick among
    /// concurrent versions), by id.
    pub fn all(&self) -> Result<Vec<Checkpoint>, ModelError> {
        let Some(doc) = self.doc else {
            return Ok(Vec::new());
        };
        let stored: BTreeMap<String, Option<Checkpoint>> =
            crate::readable::all_versions(doc, &checkpoints_map(doc)?)?
                .into_iter()
                .collect();
        Ok(stored.into_values().flatten().collect())
    }

    /// The checkpoint `id`, if there is one.
    pub fn get(&self, id: &str) -> Result<Option<Checkpoint>, ModelError> {
        Ok(self.all()?.into_iter().find(|c| c.id == id))
    }

    /// What `code` is.
    pub fn lookup(&self, code: &str) -> Result<Lookup, ModelError> {
        Ok(lookup_in(&self.all()?, code))
    }

    /// The differing versions concurrent edits left for checkpoint `id`;
    /// empty when there is no conflict.
    pub fn conflicts(&self, id: &str) -> Result<Vec<Checkpoint>, ModelError> {
        match self.doc {
            Some(doc) => crate::readable::conflicting_versions(doc, &checkpoints_map(doc)?, id),
            None => Ok(Vec::new()),
        }
    }
}

/// What `code` is among `checkpoints`.
pub fn lookup_in(checkpoints: &[Checkpoint], code: &str) -> Lookup {
    for c in checkpoints {
        if c.code == code {
            return if c.active {
                Lookup::Current(c.clone())
            } else {
                Lookup::Retired(c.clone())
            };
        }
        if let Some(r) = c.revoked.iter().find(|r| r.code == code) {
            return if c.active {
                Lookup::Revoked {
                    checkpoint: c.clone(),
                    revoked_at_ms: r.at_ms,
                }
            } else {
                Lookup::Retired(c.clone())
            };
        }
    }
    Lookup::Unknown
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
pub(crate) mod tests {
    use super::*;
    use crate::test_support::{office_supervisor, on_tablet};

    /// A garage checkpoint proving the lobby opening's doors and every item
    /// of its lifts area.
    pub(crate) fn garage(code_byte: u8) -> Checkpoint {
        Checkpoint {
            id: "cp-garage".into(),
            name: "地下车库B2入口".into(),
            place: "B2 电梯厅旁".into(),
            proves: vec![
                Proves::item("lobby-opening", "doors"),
                Proves::area("lobby-opening", "电梯与水牌"),
            ],
            code: new_code([code_byte; 16]),
            revoked: Vec::new(),
            active: true,
        }
    }

    fn replica(n: u8) -> Automerge {
        on_tablet(genesis("demo").unwrap(), n)
    }

    #[test]
    fn codes_are_128_bits_of_base32_and_labels_read_back_forgiving_case_and_space() {
        let code = new_code([0xff; 16]);
        assert_eq!(code.len(), CODE_LEN);
        assert!(is_code(&code));
        assert_eq!(new_code([0; 16]), "A".repeat(CODE_LEN));
        assert_ne!(new_code([1; 16]), new_code([2; 16]));
        let label = label_text(&code);
        assert!(label.starts_with("SBCP:"));
        assert_eq!(code_of_label(&label), Some(code.clone()));
        assert_eq!(
            code_of_label(&format!("  {}\n", label.to_lowercase())),
            Some(code.clone())
        );
        for bad in ["", "SBCP:", "SBCP:abc", "https://example.com", &code] {
            assert_eq!(code_of_label(bad), None, "{bad:?}");
        }
        assert!(!is_code("A1BCDEFGHIJKLMNOPQRSTUVWXY"), "1 is not base32");
    }

    #[test]
    fn a_checkpoint_proves_its_items_and_the_items_of_its_areas() {
        let t = crate::template::lobby_opening();
        let cp = garage(1);
        assert!(cp.proves_item(&t, "doors"));
        let lift_items: Vec<_> = t
            .items
            .iter()
            .filter(|i| i.area.zh == "电梯与水牌")
            .map(|i| i.id.clone())
            .collect();
        assert!(!lift_items.is_empty(), "the lobby opening has a lifts area");
        for item in &lift_items {
            assert!(cp.proves_item(&t, item));
        }
        let other = t
            .items
            .iter()
            .find(|i| i.id != "doors" && i.area.zh != "电梯与水牌")
            .unwrap();
        assert!(!cp.proves_item(&t, &other.id));
        let mut night = t.clone();
        night.id = "night".into();
        assert!(!cp.proves_item(&night, "doors"), "another template");
    }

    #[test]
    fn bad_checkpoints_are_refused_and_nothing_is_written() {
        let mut doc = replica(1);
        let heads = doc.get_heads();
        let by = office_supervisor(1, 1);
        let cases: Vec<(Checkpoint, Refusal)> = vec![
            (
                Checkpoint {
                    id: "a b".into(),
                    ..garage(1)
                },
                Refusal::BadId,
            ),
            (
                Checkpoint {
                    name: " ".into(),
                    ..garage(1)
                },
                Refusal::BadName,
            ),
            (
                Checkpoint {
                    name: "长".repeat(MAX_NAME + 1),
                    ..garage(1)
                },
                Refusal::BadName,
            ),
            (
                Checkpoint {
                    code: "SECRET".into(),
                    ..garage(1)
                },
                Refusal::BadCode,
            ),
            (
                Checkpoint {
                    proves: vec![Proves {
                        template: "lobby-opening".into(),
                        area: "电梯".into(),
                        item: "doors".into(),
                    }],
                    ..garage(1)
                },
                Refusal::BadProves,
            ),
            (
                Checkpoint {
                    proves: vec![Proves::item("lobby-opening", "doors"); MAX_PROVES + 1],
                    ..garage(1)
                },
                Refusal::TooManyProves,
            ),
        ];
        for (cp, why) in cases {
            assert_eq!(
                put_checkpoint(&mut doc, &cp, &by).unwrap_err().to_string(),
                ModelError::from(why).to_string()
            );
        }
        assert_eq!(doc.get_heads(), heads);
    }

    #[test]
    fn a_revoked_label_counts_only_before_its_revocation_and_its_code_is_never_reused() {
        let mut doc = replica(1);
        put_checkpoint(&mut doc, &garage(1), &office_supervisor(1, 1_000)).unwrap();
        let old = garage(1).code;
        let new = new_code([9; 16]);
        revoke_label(
            &mut doc,
            "cp-garage",
            &new,
            "标签丢失",
            &office_supervisor(1, 5_000),
        )
        .unwrap();
        let view = SiteCheckpoints::new(&doc).unwrap();
        let cp = view.get("cp-garage").unwrap().unwrap();
        assert_eq!(cp.code, new);
        assert_eq!(cp.revoked.len(), 1);
        assert_eq!(
            (cp.revoked[0].code.as_str(), cp.revoked[0].at_ms),
            (old.as_str(), 5_000)
        );
        let was = view.lookup(&old).unwrap();
        assert!(matches!(
            was,
            Lookup::Revoked {
                revoked_at_ms: 5_000,
                ..
            }
        ));
        assert!(was.counts_at(4_999) && !was.counts_at(5_000));
        assert!(view.lookup(&new).unwrap().counts_at(9_999_999));
        assert_eq!(view.lookup(&new_code([3; 16])).unwrap(), Lookup::Unknown);
        // Neither code can go on another checkpoint.
        for code in [old, new] {
            let other = Checkpoint {
                id: "cp-roof".into(),
                code,
                ..garage(1)
            };
            assert!(matches!(
                put_checkpoint(&mut doc, &other, &office_supervisor(1, 6_000)),
                Err(ModelError::Checkpoint(Refusal::CodeInUse(_)))
            ));
        }
        // Retired: nothing of it counts any more, and it stays readable.
        let mut retired = SiteCheckpoints::new(&doc)
            .unwrap()
            .get("cp-garage")
            .unwrap()
            .unwrap();
        retired.active = false;
        put_checkpoint(&mut doc, &retired, &office_supervisor(1, 7_000)).unwrap();
        let view = SiteCheckpoints::new(&doc).unwrap();
        assert!(matches!(
            view.lookup(&retired.code).unwrap(),
            Lookup::Retired(_)
        ));
        assert!(!view.lookup(&retired.code).unwrap().counts_at(0));
        assert!(
            revoke_label(
                &mut doc,
                "nope",
                &new_code([4; 16]),
                "",
                &office_supervisor(1, 1)
            )
            .is_err()
        );
    }

    #[test]
    fn concurrent_edits_of_one_checkpoint_conflict_as_whole_versions() {
        assert_eq!(replica(1).save(), replica(2).save());
        let (mut a, mut b) = (replica(1), replica(2));
        put_checkpoint(&mut a, &garage(1), &office_supervisor(1, 1)).unwrap();
        b.merge(&mut a.clone()).unwrap();
        let renamed = Checkpoint {
            name: "B2入口".into(),
            ..garage(1)
        };
        let fewer = Checkpoint {
            proves: vec![Proves::item("lobby-opening", "doors")],
            ..garage(1)
        };
        put_checkpoint(&mut a, &renamed, &office_supervisor(1, 2)).unwrap();
        put_checkpoint(&mut b, &fewer, &office_supervisor(2, 2)).unwrap();
        a.merge(&mut b).unwrap();
        let view = SiteCheckpoints::new(&a).unwrap();
        let versions = view.conflicts("cp-garage").unwrap();
        assert_eq!(versions.len(), 2);
        assert!(versions.contains(&renamed) && versions.contains(&fewer));
        assert!(SiteCheckpoints::none().all().unwrap().is_empty());
        assert!(matches!(
            SiteCheckpoints::new(&crate::roster::genesis("demo").unwrap()),
            Err(ModelError::WrongSchema(_))
        ));
    }
}
