//! The checklist document: one round of one template on one day at one site.
//!
//! ```text
//! ROOT
//! ├── schema   "shiftbook/checklist/2"
//! ├── site, date, template {id, title, source, items[…]}   ← written once, by genesis
//! ├── marks    { item id → Mark }     latest mark per item; concurrent marks conflict
//! ├── log      [ Mark, … ]            every mark ever made, append-only
//! └── signatures [ Signature, … ]     see [`crate::signature`]
//! ```
//!
//! Every mark is one change attributed with [`Attribution`] (person, role,
//! device, device time) in its commit message, and the mark itself stores
//! the person, device and time for display.
//!
//! Two rules make merges lose nothing:
//!
//! * **Deterministic genesis.** Every tablet that opens the same round
//!   builds the document's first change itself, offline, from the round's
//!   identity alone, with a fixed actor and time. The change is byte-equal on
//!   every tablet, so it has one hash and the `marks`/`log` containers are
//!   the *same* objects everywhere. (Two replicas that each created a nested
//!   map under the same key would keep only one of them visible.)
//! * **One fresh object per mark.** A mark is a new map put at
//!   `marks[item]`. A later mark that has seen it replaces it; two marks made
//!   without seeing each other are both kept by automerge as a conflict,
//!   which [`Checklist::item_state`] reports — never picked silently. The
//!   `log` list keeps every mark, including replaced ones.

use crate::ModelError;
use crate::attribution::Attribution;
use crate::signature::Signature;
use crate::template::Template;
use automerge::{Automerge, ChangeHash, ObjType, ROOT, ReadDoc, transaction::Transactable};
use autosurgeon::{Hydrate, Reconcile, hydrate_prop, reconcile_prop};

/// The schema tag of checklist documents.
pub const SCHEMA: &str = "shiftbook/checklist/2";

pub use crate::genesis::is_genesis_actor;

/// A check result: ✓ normal or × abnormal (正常 / 异常).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    /// ✓ 正常
    Normal,
    /// × 异常
    Abnormal,
}

crate::string_enum::string_enum!(Status, "normal or abnormal", {
    Normal => "normal",
    Abnormal => "abnormal",
});

/// One mark on one item.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate)]
pub struct Mark {
    /// The item marked.
    pub item: String,
    /// ✓ or ×.
    pub status: Status,
    /// What the person noted; empty when nothing.
    pub note: String,
    /// The person's roster id.
    pub person_id: String,
    /// The person's name.
    pub by: String,
    /// The device.
    pub device: String,
    /// Device clock, milliseconds since the Unix epoch.
    pub at_ms: i64,
}

/// What an item shows after all merges.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemState {
    /// Nobody has marked it yet.
    Unmarked,
    /// One current mark (or several concurrent ones that agree).
    Marked(Mark),
    /// Concurrent marks that disagree; every one of them, oldest first.
    Conflict(Vec<Mark>),
}

/// The fields genesis writes. Hydrated for display; never reconciled again.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
struct Genesis {
    schema: String,
    site: String,
    date: String,
    template: Template,
    marks: std::collections::BTreeMap<String, Mark>,
    log: Vec<Mark>,
    signatures: Vec<Signature>,
}

/// The purpose string that derives a checklist's document id:
/// `checklist/2/<template>/<date>`.
///
/// Rule: **changing what genesis writes means a new purpose** (and a new
/// schema tag). Two different geneses in one document would be two
/// concurrent root writes, and automerge would keep only one `marks`,
/// `log` or `signatures` visible. The version in the purpose keeps a v2
/// round out of the document a v1 tablet created for the same day.
pub fn purpose(template_id: &str, date: &str) -> String {
    format!("checklist/2/{template_id}/{date}")
}

/// Check that `date` is `YYYY-MM-DD`.
pub fn validate_date(date: &str) -> Result<(), ModelError> {
    let b = date.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    let ok = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && digits(0..4)
        && digits(5..7)
        && digits(8..10);
    if ok {
        let month: u8 = date[5..7].parse().unwrap_or(0);
        let day: u8 = date[8..10].parse().unwrap_or(0);
        if (1..=12).contains(&month) && (1..=31).contains(&day) {
            return Ok(());
        }
    }
    Err(ModelError::BadDate(date.chars().take(32).collect()))
}

/// A read-only view of a checklist document.
#[derive(Debug, Clone, Copy)]
pub struct Checklist<'a> {
    doc: &'a Automerge,
}

/// Build the round's first change, identical on every device.
pub fn genesis(template: &Template, site: &str, date: &str) -> Result<Automerge, ModelError> {
    validate_date(date)?;
    let g = Genesis {
        schema: SCHEMA.to_owned(),
        site: site.to_owned(),
        date: date.to_owned(),
        template: template.clone(),
        marks: Default::default(),
        log: Vec::new(),
        signatures: Vec::new(),
    };
    crate::genesis::build(&g)
}

impl<'a> Checklist<'a> {
    /// View `doc` after checking it is a checklist.
    pub fn new(doc: &'a Automerge) -> Result<Self, ModelError> {
        crate::genesis::expect_schema(doc, SCHEMA)?;
        Ok(Self { doc })
    }

    /// The underlying document.
    pub fn doc(&self) -> &'a Automerge {
        self.doc
    }

    /// The template the round was started with.
    pub fn template(&self) -> Result<Template, ModelError> {
        Ok(hydrate_prop(self.doc, ROOT, "template")?)
    }

    /// The round's day, `YYYY-MM-DD`.
    pub fn date(&self) -> Result<String, ModelError> {
        Ok(hydrate_prop(self.doc, ROOT, "date")?)
    }

    /// The site the round belongs to.
    pub fn site(&self) -> Result<String, ModelError> {
        Ok(hydrate_prop(self.doc, ROOT, "site")?)
    }

    fn container(&self, key: &str) -> Result<automerge::ObjId, ModelError> {
        match self.doc.get(ROOT, key)? {
            Some((automerge::Value::Object(_), id)) => Ok(id),
            _ => Err(ModelError::Corrupt(key.to_owned())),
        }
    }

    /// Every current value of `marks[item]`: one normally, several after
    /// concurrent marks, none when unmarked.
    pub fn current_marks(&self, item: &str) -> Result<Vec<Mark>, ModelError> {
        let marks = self.container("marks")?;
        let mut out = Vec::new();
        for (value, id) in self.doc.get_all(&marks, item)? {
            if let automerge::Value::Object(ObjType::Map) = value {
                out.push(<Mark as Hydrate>::hydrate_map(self.doc, &id)?);
            }
        }
        out.sort_by(|a, b| (a.at_ms, &a.device).cmp(&(b.at_ms, &b.device)));
        Ok(out)
    }

    /// What `item` shows: unmarked, marked, or a conflict to resolve.
    pub fn item_state(&self, item: &str) -> Result<ItemState, ModelError> {
        let mut marks = self.current_marks(item)?;
        let disagree = marks
            .windows(2)
            .any(|w| (w[0].status, &w[0].note) != (w[1].status, &w[1].note));
        Ok(match marks.len() {
            0 => ItemState::Unmarked,
            _ if disagree => ItemState::Conflict(marks),
            _ => ItemState::Marked(marks.remove(marks.len() - 1)),
        })
    }

    /// Every mark ever made on this round, in the order the log holds them.
    pub fn history(&self) -> Result<Vec<Mark>, ModelError> {
        Ok(hydrate_prop(self.doc, ROOT, "log")?)
    }

    /// How many items have a current mark.
    pub fn marked_count(&self) -> Result<usize, ModelError> {
        let marks = self.container("marks")?;
        Ok(self.doc.keys(&marks).count())
    }
}

/// The change summary of a mark: `mark <item> <status>`.
pub fn mark_summary(item: &str, status: Status) -> String {
    format!("mark {item} {}", status.as_str())
}

/// The item and status of a mark's change summary, if it is one.
pub fn parse_mark_summary(summary: &str) -> Option<(String, Status)> {
    let mut words = summary.split(' ');
    let (Some("mark"), Some(item), Some(status), None) =
        (words.next(), words.next(), words.next(), words.next())
    else {
        return None;
    };
    let status = match status {
        "normal" => Status::Normal,
        "abnormal" => Status::Abnormal,
        _ => return None,
    };
    Some((item.to_owned(), status))
}

/// Mark `item` ✓ or × on the checklist `doc` as `by`, as one change
/// attributed in its commit message ([`Attribution::commit_options`]).
/// The document's actor must be this session's (see [`crate::client`]). Returns the change's hash.
pub fn mark(
    doc: &mut Automerge,
    item: &str,
    status: Status,
    note: &str,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    let view = Checklist::new(doc)?;
    let template = view.template()?;
    if !template.items.iter().any(|i| i.id == item) {
        return Err(ModelError::UnknownItem(item.to_owned()));
    }
    let marks = view.container("marks")?;
    let log = view.container("log")?;
    let mark = Mark {
        item: item.to_owned(),
        status,
        note: note.trim().to_owned(),
        person_id: by.person_id.clone(),
        by: by.person.clone(),
        device: by.device.clone(),
        at_ms: by.at_ms,
    };
    let options = by.commit_options(&mark_summary(item, status));
    let result = doc.transact_with(
        |_| options,
        |tx| -> Result<(), ModelError> {
            let fresh = tx.put_object(&marks, item, ObjType::Map)?;
            reconcile_fields(tx, &fresh, &mark)?;
            let len = tx.length(&log);
            let entry = tx.insert_object(&log, len, ObjType::Map)?;
            reconcile_fields(tx, &entry, &mark)?;
            Ok(())
        },
    );
    match result {
        Ok(success) => success.hash.ok_or(ModelError::EmptyChange),
        Err(failure) => Err(failure.error),
    }
}

/// Write a mark's fields into the fresh map `obj`.
fn reconcile_fields(
    tx: &mut automerge::transaction::Transaction<'_>,
    obj: &automerge::ObjId,
    mark: &Mark,
) -> Result<(), ModelError> {
    reconcile_prop(tx, obj, "item", &mark.item)?;
    reconcile_prop(tx, obj, "status", mark.status)?;
    reconcile_prop(tx, obj, "note", &mark.note)?;
    reconcile_prop(tx, obj, "person_id", &mark.person_id)?;
    reconcile_prop(tx, obj, "by", &mark.by)?;
    reconcile_prop(tx, obj, "device", &mark.device)?;
    reconcile_prop(tx, obj, "at_ms", mark.at_ms)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::lobby_opening;
    use automerge::ActorId;
    use proptest::prelude::*;

    const DATE: &str = "2026-11-23";

    fn replica(n: u8) -> Automerge {
        let mut d = genesis(&lobby_opening(), "demo", DATE).unwrap();
        d.set_actor(ActorId::from(vec![n; 16]));
        d
    }

    fn author(n: u8, at_ms: i64) -> Attribution {
        Attribution {
            person_id: format!("id{n}"),
            person: format!("p{n}"),
            role: crate::roster::Role::Staff,
            device: format!("T{n}"),
            at_ms,
        }
    }

    fn merged(a: &Automerge, b: &Automerge) -> (Automerge, Automerge) {
        let (mut ab, mut ba) = (a.clone(), b.clone());
        ab.merge(&mut b.clone()).unwrap();
        ba.merge(&mut a.clone()).unwrap();
        (ab, ba)
    }

    #[test]
    fn v2_genesis_has_signatures_and_its_own_purpose() {
        let doc = replica(1);
        assert!(crate::signature::signatures(&doc).unwrap().is_empty());
        assert_eq!(
            purpose("lobby-opening", DATE),
            "checklist/2/lobby-opening/2026-11-23"
        );
        let mut v1 = Automerge::new();
        v1.transact::<_, _, automerge::AutomergeError>(|tx| {
            tx.put(ROOT, "schema", "shiftbook/checklist/1")?;
            Ok(())
        })
        .unwrap();
        assert!(matches!(
            Checklist::new(&v1),
            Err(ModelError::WrongSchema(s)) if s == "shiftbook/checklist/1"
        ));
    }

    #[test]
    fn a_mark_records_the_person_and_its_change_is_attributed() {
        let mut a = replica(1);
        let h = mark(&mut a, "doors", Status::Normal, " ok ", &author(1, 61_500)).unwrap();
        let ItemState::Marked(m) = Checklist::new(&a).unwrap().item_state("doors").unwrap() else {
            panic!("doors should be marked");
        };
        assert_eq!(
            (
                m.person_id.as_str(),
                m.by.as_str(),
                m.device.as_str(),
                m.at_ms,
                m.note.as_str()
            ),
            ("id1", "p1", "T1", 61_500, "ok")
        );
        let change = a.get_change_by_hash(&h).unwrap();
        assert_eq!(change.timestamp(), 61);
        let last = crate::attribution::history(&a).pop().unwrap();
        assert_eq!(last.hash, h.to_string());
        assert_eq!(last.attribution, Some(author(1, 61_500)));
        assert_eq!(last.summary, "mark doors normal");
    }

    #[test]
    fn mark_summaries_round_trip() {
        let s = mark_summary("fire-equipment", Status::Abnormal);
        assert_eq!(
            parse_mark_summary(&s),
            Some(("fire-equipment".to_owned(), Status::Abnormal))
        );
        assert_eq!(parse_mark_summary("signature daily-review"), None);
        assert_eq!(parse_mark_summary("mark doors maybe"), None);
        assert_eq!(parse_mark_summary("mark doors normal extra"), None);
    }

    #[test]
    fn independent_geneses_are_one_document() {
        let (a, b) = (replica(1), replica(2));
        assert_eq!(a.get_heads(), b.get_heads());
        assert_eq!(a.save(), b.save());
    }

    #[test]
    fn different_items_marked_concurrently_merge_both_ways_with_no_mark_lost() {
        let (mut a, mut b) = (replica(1), replica(2));
        mark(&mut a, "doors", Status::Normal, "", &author(1, 1_000)).unwrap();
        mark(
            &mut a,
            "lifts",
            Status::Abnormal,
            "2号梯异响",
            &author(1, 2_000),
        )
        .unwrap();
        mark(&mut b, "toilets", Status::Normal, "", &author(2, 1_500)).unwrap();
        let (ab, ba) = merged(&a, &b);
        assert_eq!(ab.get_heads(), ba.get_heads());
        for doc in [&ab, &ba] {
            let c = Checklist::new(doc).unwrap();
            assert_eq!(c.marked_count().unwrap(), 3);
            let ItemState::Marked(m) = c.item_state("lifts").unwrap() else {
                panic!("lifts should be marked");
            };
            assert_eq!(
                (m.status, m.note.as_str(), m.device.as_str()),
                (Status::Abnormal, "2号梯异响", "T1")
            );
            assert_eq!(c.history().unwrap().len(), 3);
        }
    }

    #[test]
    fn the_same_item_marked_differently_keeps_both_values_visible() {
        let (mut a, mut b) = (replica(1), replica(2));
        mark(&mut a, "doors", Status::Normal, "", &author(1, 1_000)).unwrap();
        mark(
            &mut b,
            "doors",
            Status::Abnormal,
            "门禁失灵",
            &author(2, 1_200),
        )
        .unwrap();
        let (ab, ba) = merged(&a, &b);
        for doc in [&ab, &ba] {
            let c = Checklist::new(doc).unwrap();
            let ItemState::Conflict(marks) = c.item_state("doors").unwrap() else {
                panic!("expected a conflict");
            };
            assert_eq!(marks.len(), 2);
            assert!(
                marks
                    .iter()
                    .any(|m| m.status == Status::Normal && m.device == "T1")
            );
            assert!(
                marks
                    .iter()
                    .any(|m| m.note == "门禁失灵" && m.device == "T2")
            );
        }
    }

    #[test]
    fn the_same_item_marked_alike_concurrently_is_no_conflict() {
        let (mut a, mut b) = (replica(1), replica(2));
        mark(&mut a, "doors", Status::Normal, "", &author(1, 1_000)).unwrap();
        mark(&mut b, "doors", Status::Normal, "", &author(2, 1_100)).unwrap();
        let (ab, _) = merged(&a, &b);
        let c = Checklist::new(&ab).unwrap();
        assert!(matches!(c.item_state("doors").unwrap(), ItemState::Marked(m) if m.device == "T2"));
        assert_eq!(
            c.current_marks("doors").unwrap().len(),
            2,
            "both marks stay recorded"
        );
    }

    #[test]
    fn bad_input_is_refused_without_changing_the_document() {
        let mut a = replica(1);
        let heads = a.get_heads();
        assert!(matches!(
            mark(&mut a, "no-such-item", Status::Normal, "", &author(1, 1)),
            Err(ModelError::UnknownItem(_))
        ));
        assert_eq!(a.get_heads(), heads);
        assert!(matches!(
            genesis(&lobby_opening(), "demo", "2026-13-01"),
            Err(ModelError::BadDate(_))
        ));
        assert!(matches!(
            genesis(&lobby_opening(), "demo", "23/11/2026"),
            Err(ModelError::BadDate(_))
        ));
        assert!(matches!(
            Checklist::new(&Automerge::new()),
            Err(ModelError::WrongSchema(_))
        ));
        let mut other = Automerge::new();
        other
            .transact::<_, _, automerge::AutomergeError>(|tx| {
                tx.put(ROOT, "schema", SCHEMA)?;
                Ok(())
            })
            .unwrap();
        let c = Checklist::new(&other).unwrap();
        assert!(
            c.item_state("doors").is_err(),
            "a checklist without containers is an error, not a panic"
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Random marks on two replicas, merged both ways at random points:
        /// always identical, and every mark ever made is in the log.
        #[test]
        fn random_edit_sequences_converge(
            edits in proptest::collection::vec((any::<bool>(), 0..11usize, any::<bool>(), any::<bool>()), 1..30)
        ) {
            let items: Vec<String> = lobby_opening().items.into_iter().map(|i| i.id).collect();
            let (mut a, mut b) = (replica(1), replica(2));
            for (n, (on_a, item, abnormal, sync_after)) in edits.iter().enumerate() {
                let status = if *abnormal { Status::Abnormal } else { Status::Normal };
                let (doc, who) = if *on_a { (&mut a, 1) } else { (&mut b, 2) };
                mark(doc, &items[*item], status, "", &author(who, n as i64)).unwrap();
                if *sync_after {
                    let (ab, ba) = merged(&a, &b);
                    a = ab;
                    b = ba;
                }
            }
            let (ab, ba) = merged(&a, &b);
            prop_assert_eq!(ab.get_heads(), ba.get_heads());
            let c = Checklist::new(&ab).unwrap();
            prop_assert_eq!(c.history().unwrap().len(), edits.len());
            for item in &items {
                let edited = edits.iter().any(|(_, i, _, _)| &items[*i] == item);
                prop_assert_eq!(edited, c.item_state(item).unwrap() != ItemState::Unmarked);
            }
        }
    }
}
