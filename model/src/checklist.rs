//! The checklist document: one template's rounds on one service day at one
//! site — every slot of its schedule that day (the 28 half-hourly rounds of
//! a night patrol, or the one lobby opening inspection) in one document.
//!
//! ```text
//! ROOT
//! ├── schema      "shiftbook/checklist/3"
//! ├── site, template_id, date                  ← identity, written by genesis
//! ├── template    "<Template as JSON>"         ← scalar, written by the first start
//! ├── marks       { "<slot>/<item>" → Mark }   latest mark per slot and item; concurrent marks conflict
//! ├── log         [ Mark, … ]                  every mark ever made, append-only
//! ├── progress    [ ProgressEvent, … ]         each slot's starts and finishes, append-only
//! └── signatures  [ Signature, … ]             see [`crate::signature`]: the day's sign-off
//! ```
//!
//! One document per template and day (not per slot): the day is what a
//! team leader signs, the template snapshot is stored once a day rather
//! than once a slot, and a month of night patrols is 30 small documents on
//! a tablet, not 840.
//!
//! Every change is attributed with [`Attribution`] (person, role, device,
//! device time) in its commit message, and marks and progress events store
//! the person, device and time for display.
//!
//! Rules that make merges lose nothing:
//!
//! * **Genesis is the day's identity only.** Every tablet that opens the
//!   same day's rounds builds the first change itself, offline, from (site,
//!   template id, service date) alone, with a fixed actor and
//!   time: byte-equal everywhere, so `marks`, `log`, `progress` and
//!   `signatures` are the same objects everywhere. The template's *content*
//!   is not in genesis: two tablets holding different versions of a
//!   template (a supervisor edited it, one tablet has not synced) would
//!   otherwise write different geneses, and automerge would keep only one
//!   of their `marks` maps visible.
//! * **The template is a scalar snapshot.** [`start`] writes the template
//!   as JSON text at `template` unless one is there. Two tablets starting
//!   concurrently write two values of one scalar key; automerge keeps both
//!   and [`Checklist::template`] shows the union of their items (in the
//!   first one's order), so no mark ever refers to an item nobody can see.
//! * **One fresh object per mark.** A mark is a new map put at
//!   `marks["<slot>/<item>"]`. A later mark that has seen it replaces it; two marks made
//!   without seeing each other are both kept by automerge as a conflict,
//!   which [`Checklist::item_state`] reports — never picked silently. The
//!   `log` list keeps every mark, including replaced ones.
//!
//! Rounds of schema 2 (`shiftbook/checklist/2`, the template embedded in
//! genesis, one round per day, marks keyed by item) are still read; their
//! one slot is [`V2_SLOT`].

use crate::ModelError;
use crate::attribution::Attribution;
use crate::signature::Signature;
use crate::template::Template;
use crate::write;
use crate::write::commit;
use automerge::{
    Automerge, ChangeHash, ObjType, ROOT, ReadDoc, ScalarValue, Value, transaction::Transactable,
};
use autosurgeon::{Hydrate, Reconcile, hydrate_prop};

/// The schema tag of checklist documents.
pub const SCHEMA: &str = "shiftbook/checklist/3";

/// The schema tag of the older, one-round-a-day checklist documents.
pub const SCHEMA_V2: &str = "shiftbook/checklist/2";

/// The slot key of rounds started by hand (templates without a schedule).
pub const ON_DEMAND_PREFIX: &str = "od";

/// The one slot of a schema 2 round.
pub const V2_SLOT: &str = "day";

pub use crate::genesis::is_genesis_actor;

mod scan;
pub use scan::{MAX_REASON, Scan, ScanOf, ScanVia, record_scan};

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

/// One mark on one item in one slot.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate)]
pub struct Mark {
    /// The slot (round) the mark belongs to.
    #[autosurgeon(missing = "v2_slot")]
    pub slot: String,
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
    /// References to attachments (photos) stored outside the document;
    /// none yet.
    #[autosurgeon(missing = "Vec::new")]
    pub attachments: Vec<String>,
}

fn v2_slot() -> String {
    V2_SLOT.to_owned()
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

/// Started or finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ProgressKind {
    /// Someone started (or resumed) the round.
    Started,
    /// Someone finished the round.
    Finished,
}

crate::string_enum::string_enum!(ProgressKind, "started or finished", {
    Started => "started",
    Finished => "finished",
});

/// One start or finish of one slot's round.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate)]
pub struct ProgressEvent {
    /// The slot.
    pub slot: String,
    /// Started or finished.
    pub kind: ProgressKind,
    /// The person's roster id.
    pub person_id: String,
    /// The person's name.
    pub by: String,
    /// The device.
    pub device: String,
    /// Device clock, milliseconds since the Unix epoch.
    pub at_ms: i64,
}

/// Where a round stands: when it was first started and last finished.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Progress {
    /// The earliest start, if any.
    pub started: Option<ProgressEvent>,
    /// The latest finish, if any.
    pub finished: Option<ProgressEvent>,
}

/// The fields genesis writes: the round's identity and empty containers.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
struct Genesis {
    schema: String,
    site: String,
    template_id: String,
    date: String,
    marks: std::collections::BTreeMap<String, Mark>,
    log: Vec<Mark>,
    progress: Vec<ProgressEvent>,
    signatures: Vec<Signature>,
}

/// The purpose string that derives a day's document id:
/// `checklist/3/<template>/<service date>`.
///
/// Rule: **changing what genesis writes means a new purpose** (and a new
/// schema tag). Two different geneses in one document would be two
/// concurrent root writes, and automerge would keep only one `marks`,
/// `log` or `signatures` visible. The version in the purpose keeps a v3
/// round out of the document a v2 tablet created for the same day.
pub fn purpose(template_id: &str, date: &str) -> String {
    format!("checklist/3/{template_id}/{date}")
}

/// The key of `item` in `slot` in the `marks` map.
pub fn mark_key(slot: &str, item: &str) -> String {
    format!("{slot}/{item}")
}

/// The slot key of a round started by hand at `at_ms` (device clock) with
/// 4 random bytes the caller drew: only the device that starts it creates
/// it, so it needs no agreement with other tablets.
pub fn on_demand_slot(random: [u8; 4]) -> String {
    let hex: String = random.iter().map(|b| format!("{b:02x}")).collect();
    format!("{ON_DEMAND_PREFIX}{hex}")
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
    Err(ModelError::BadDate(crate::free_text::clip(date)))
}

fn validate_key(what: &str, key: &str) -> Result<(), ModelError> {
    if crate::ids::is_key(key) {
        Ok(())
    } else {
        Err(ModelError::BadTemplate(format!(
            "{what} {:?} is not 1–64 letters, digits, - or _",
            crate::free_text::clip(key)
        )))
    }
}

/// A read-only view of a checklist document.
#[derive(Debug, Clone, Copy)]
pub struct Checklist<'a> {
    doc: &'a Automerge,
}

/// Build the day's first change, identical on every device: the
/// identity and the empty containers.
pub fn genesis(site: &str, template_id: &str, date: &str) -> Result<Automerge, ModelError> {
    validate_date(date)?;
    validate_key("template id", template_id)?;
    let g = Genesis {
        schema: SCHEMA.to_owned(),
        site: site.to_owned(),
        template_id: template_id.to_owned(),
        date: date.to_owned(),
        marks: Default::default(),
        log: Vec::new(),
        progress: Vec::new(),
        signatures: Vec::new(),
    };
    crate::genesis::build(&g)
}

/// Union of several template snapshots: the first one, then items only
/// the others have, in their order.
fn union(mut templates: Vec<Template>) -> Option<Template> {
    if templates.is_empty() {
        return None;
    }
    let mut first = templates.remove(0);
    for other in templates {
        for item in other.items {
            if first.item(&item.id).is_none() {
                first.items.push(item);
            }
        }
    }
    Some(first)
}

impl<'a> Checklist<'a> {
    /// View `doc` after checking it is a checklist (schema 3 or 2).
    pub fn new(doc: &'a Automerge) -> Result<Self, ModelError> {
        if crate::genesis::schema_of(doc)? != SCHEMA_V2 {
            crate::genesis::expect_schema(doc, SCHEMA)?;
        }
        Ok(Self { doc })
    }

    /// The underlying document.
    pub fn doc(&self) -> &'a Automerge {
        self.doc
    }

    /// Whether this is an older, one-round-a-day (schema 2) document.
    pub fn is_v2(&self) -> bool {
        crate::genesis::schema_of(self.doc).is_ok_and(|s| s == SCHEMA_V2)
    }

    /// The template the round was started with (the union of the
    /// snapshots of concurrent starts); `None` before anyone started it,
    /// or when only a newer build's snapshot is there (the caller shows
    /// the site's template; see [`crate::readable`]).
    pub fn template(&self) -> Result<Option<Template>, ModelError> {
        let mut snapshots = Vec::new();
        for (value, id) in self.doc.get_all(ROOT, "template")? {
            match value {
                Value::Scalar(s) => {
                    if let ScalarValue::Str(json) = s.as_ref() {
                        snapshots.extend(crate::readable::json::<Template>(json, "template")?);
                    }
                }
                // Schema 2 embedded the template as a map in genesis.
                Value::Object(ObjType::Map) => {
                    snapshots.push(<Template as Hydrate>::hydrate_map(self.doc, &id)?);
                }
                Value::Object(_) => {}
            }
        }
        Ok(union(snapshots))
    }

    /// Whether the round holds a template snapshot, readable by this build
    /// or not: a newer build's snapshot must never be overwritten.
    fn has_snapshot(&self) -> Result<bool, ModelError> {
        Ok(self.doc.get(ROOT, "template")?.is_some())
    }

    /// The template id.
    pub fn template_id(&self) -> Result<String, ModelError> {
        if self.is_v2() {
            return Ok(self.template()?.map(|t| t.id).unwrap_or_default());
        }
        Ok(hydrate_prop(self.doc, ROOT, "template_id")?)
    }

    /// The round's service day, `YYYY-MM-DD`.
    pub fn date(&self) -> Result<String, ModelError> {
        Ok(hydrate_prop(self.doc, ROOT, "date")?)
    }

    /// Where `item` of `slot` lives in `marks` (schema 2: by item alone).
    fn key(&self, slot: &str, item: &str) -> String {
        if self.is_v2() {
            item.to_owned()
        } else {
            mark_key(slot, item)
        }
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

    /// Every current mark of `item` in `slot`: one normally, several after
    /// concurrent marks, none when unmarked.
    pub fn current_marks(&self, slot: &str, item: &str) -> Result<Vec<Mark>, ModelError> {
        let marks = self.container("marks")?;
        let mut out = Vec::new();
        for (value, id) in self.doc.get_all(&marks, self.key(slot, item))? {
            if let automerge::Value::Object(ObjType::Map) = value {
                out.extend(crate::readable::kept_map::<Mark>(self.doc, &id)?);
            }
        }
        crate::sort_once::sort_by(&mut out, |a, b| {
            (a.at_ms, &a.device).cmp(&(b.at_ms, &b.device))
        });
        Ok(out)
    }

    /// What `item` of `slot` shows: unmarked, marked, or a conflict to
    /// resolve.
    pub fn item_state(&self, slot: &str, item: &str) -> Result<ItemState, ModelError> {
        let mut marks = self.current_marks(slot, item)?;
        let disagree = marks
            .windows(2)
            .any(|w| (w[0].status, &w[0].note) != (w[1].status, &w[1].note));
        Ok(match marks.len() {
            0 => ItemState::Unmarked,
            _ if disagree => ItemState::Conflict(marks),
            _ => ItemState::Marked(marks.remove(marks.len() - 1)),
        })
    }

    /// Whether `item` has disagreeing concurrent marks in any slot of the
    /// day (a follow-up shows it: the × it came from is disputed).
    pub fn has_conflict(&self, item: &str) -> Result<bool, ModelError> {
        let marks = self.container("marks")?;
        let suffix = format!("/{item}");
        let keys: Vec<String> = self
            .doc
            .keys(&marks)
            .filter(|k| k.ends_with(&suffix) || k == item)
            .collect();
        for key in keys {
            let slot = key.strip_suffix(&suffix).unwrap_or(V2_SLOT);
            if let ItemState::Conflict(_) = self.item_state(slot, item)? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Every mark ever made on this day's rounds, in the order the log
    /// holds them.
    pub fn history(&self) -> Result<Vec<Mark>, ModelError> {
        crate::readable::at_root(self.doc, "log")
    }

    /// How many marks [`Self::history`] holds for `slot` (every slot's in a
    /// schema 2 round), without reading them: a schema 2 round counts its
    /// log's length.
    pub fn history_len(&self, slot: &str) -> Result<usize, ModelError> {
        if self.is_v2() {
            return Ok(match self.doc.get(ROOT, "log")? {
                Some((automerge::Value::Object(_), log)) => self.doc.length(&log),
                _ => 0,
            });
        }
        Ok(self.history()?.iter().filter(|m| m.slot == slot).count())
    }

    /// How many items of `slot` have a current mark.
    pub fn marked_count(&self, slot: &str) -> Result<usize, ModelError> {
        let marks = self.container("marks")?;
        if self.is_v2() {
            return Ok(self.doc.keys(&marks).count());
        }
        let prefix = format!("{slot}/");
        Ok(self
            .doc
            .keys(&marks)
            .filter(|k| k.starts_with(&prefix))
            .count())
    }

    /// Every start and finish of every slot, in list order (none for
    /// schema 2 rounds).
    pub fn progress_events(&self) -> Result<Vec<ProgressEvent>, ModelError> {
        if self.doc.get(ROOT, "progress")?.is_none() {
            return Ok(Vec::new());
        }
        crate::readable::at_root(self.doc, "progress")
    }

    /// The earliest start and the latest finish of `slot`.
    pub fn progress(&self, slot: &str) -> Result<Progress, ModelError> {
        let events = self.progress_events()?;
        let pick = |kind: ProgressKind| {
            events
                .iter()
                .filter(move |e| e.kind == kind && e.slot == slot)
        };
        Ok(Progress {
            started: pick(ProgressKind::Started).min_by_key(|e| e.at_ms).cloned(),
            finished: pick(ProgressKind::Finished)
                .max_by_key(|e| e.at_ms)
                .cloned(),
        })
    }
}

/// The change summary of a mark: `mark <slot>/<item> <status>`.
pub fn mark_summary(slot: &str, item: &str, status: Status) -> String {
    format!("mark {} {}", mark_key(slot, item), status.as_str())
}

/// What a mark's change summary names: slot, item, status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkSummary {
    /// The slot ([`V2_SLOT`] for schema 2 summaries, which had none).
    pub slot: String,
    /// The item.
    pub item: String,
    /// ✓ or ×.
    pub status: Status,
}

/// The slot, item and status of a mark's change summary, if it is one.
pub fn parse_mark_summary(summary: &str) -> Option<MarkSummary> {
    let mut words = summary.split(' ');
    let (Some("mark"), Some(key), Some(status), None) =
        (words.next(), words.next(), words.next(), words.next())
    else {
        return None;
    };
    let status = match status {
        "normal" => Status::Normal,
        "abnormal" => Status::Abnormal,
        _ => return None,
    };
    let (slot, item) = match key.split_once('/') {
        Some((slot, item)) => (slot.to_owned(), item.to_owned()),
        None => (V2_SLOT.to_owned(), key.to_owned()),
    };
    Some(MarkSummary { slot, item, status })
}

fn progress_event(slot: &str, kind: ProgressKind, by: &Attribution) -> ProgressEvent {
    ProgressEvent {
        slot: slot.to_owned(),
        kind,
        person_id: by.person_id.clone(),
        by: by.person.clone(),
        device: by.device.clone(),
        at_ms: by.at_ms,
    }
}

/// Whether `template` may start the round `view`: a schema 3 round of
/// that template, and a valid template.
fn check_start(view: &Checklist<'_>, template: &Template) -> Result<(), ModelError> {
    if view.is_v2() {
        return Err(ModelError::WrongSchema(SCHEMA_V2.to_owned()));
    }
    let round_of = view.template_id()?;
    if round_of != template.id {
        return Err(ModelError::BadTemplate(format!(
            "round of {round_of} started with template {}",
            template.id
        )));
    }
    template.validate()
}

/// Start (or resume) the round of `slot` as `by`: writes `template` as the
/// day's snapshot unless one is there, and a `started` event, as one
/// change. `template` must be the one the document's id was derived from.
pub fn start(
    doc: &mut Automerge,
    template: &Template,
    slot: &str,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    validate_key("slot", slot)?;
    let view = Checklist::new(doc)?;
    check_start(&view, template)?;
    let snapshot = if view.has_snapshot()? {
        None
    } else {
        Some(serde_json::to_string(template).map_err(|e| ModelError::BadTemplate(e.to_string()))?)
    };
    let progress = view.container("progress")?;
    let event = progress_event(slot, ProgressKind::Started, by);
    let options = by.commit_options(&format!("round {slot} started"));
    commit(doc.transact_with(
        |_| options,
        |tx| -> Result<(), ModelError> {
            if let Some(json) = snapshot {
                tx.put(ROOT, "template", json)?;
            }
            write::append(tx, &progress, &event)
        },
    ))
}

/// Finish the round of `slot` as `by` (a `finished` event). A round
/// finished twice (two tablets, or finished then resumed) keeps every event.
pub fn finish(doc: &mut Automerge, slot: &str, by: &Attribution) -> Result<ChangeHash, ModelError> {
    let view = Checklist::new(doc)?;
    if view.progress(slot)?.started.is_none() {
        return Err(ModelError::NotStarted);
    }
    let progress = view.container("progress")?;
    let event = progress_event(slot, ProgressKind::Finished, by);
    let options = by.commit_options(&format!("round {slot} finished"));
    commit(doc.transact_with(|_| options, |tx| write::append(tx, &progress, &event)))
}

/// Mark `item` ✓ or × on the checklist `doc` as `by`, as one change
/// attributed in its commit message ([`Attribution::commit_options`]).
/// The round must have been started (its template known); an × on an item
/// whose template asks for a note needs one. The document's actor must be
/// this session's (see [`crate::client`]). Returns the change's hash.
pub fn mark(
    doc: &mut Automerge,
    slot: &str,
    item: &str,
    status: Status,
    note: &str,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    write_mark(doc, None, slot, item, status, note, by)
}

/// [`mark`], starting the round of `slot` with `template` in the same
/// change if nobody has: a person's first tap on a round is one change.
pub fn mark_starting(
    doc: &mut Automerge,
    template: &Template,
    slot: &str,
    item: &str,
    status: Status,
    note: &str,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    write_mark(doc, Some(template), slot, item, status, note, by)
}

fn write_mark(
    doc: &mut Automerge,
    starting: Option<&Template>,
    slot: &str,
    item: &str,
    status: Status,
    note: &str,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    validate_key("slot", slot)?;
    let view = Checklist::new(doc)?;
    let started = view.is_v2() || view.progress(slot)?.started.is_some();
    let (template, snapshot, start) = match (view.template()?, starting) {
        (Some(t), _) if started => (t, None, false),
        (Some(t), Some(_)) => (t, None, true),
        (None, Some(t)) => {
            check_start(&view, t)?;
            // A snapshot this build cannot read stays as it is: the mark
            // is checked against this build's template instead.
            let json = if view.has_snapshot()? {
                None
            } else {
                Some(serde_json::to_string(t).map_err(|e| ModelError::BadTemplate(e.to_string()))?)
            };
            (t.clone(), json, !started)
        }
        (_, None) => return Err(ModelError::NotStarted),
    };
    let Some(spec) = template.item(item) else {
        return Err(ModelError::UnknownItem(item.to_owned()));
    };
    let note = note.trim();
    if status == Status::Abnormal && spec.note_required && note.is_empty() {
        return Err(ModelError::NoteRequired(item.to_owned()));
    }
    let key = view.key(slot, item);
    let marks = view.container("marks")?;
    let log = view.container("log")?;
    let progress = if start {
        Some(view.container("progress")?)
    } else {
        None
    };
    let started = progress_event(slot, ProgressKind::Started, by);
    let mark = Mark {
        slot: slot.to_owned(),
        item: item.to_owned(),
        status,
        note: note.to_owned(),
        person_id: by.person_id.clone(),
        by: by.person.clone(),
        device: by.device.clone(),
        at_ms: by.at_ms,
        attachments: Vec::new(),
    };
    let options = by.commit_options(&mark_summary(slot, item, status));
    commit(doc.transact_with(
        |_| options,
        |tx| -> Result<(), ModelError> {
            if let Some(json) = snapshot {
                tx.put(ROOT, "template", json)?;
            }
            if let Some(progress) = &progress {
                write::append(tx, progress, &started)?;
            }
            write::put_fresh(tx, &marks, &key, &mark)?;
            write::append(tx, &log, &mark)
        },
    ))
}

/// The lobby opening's slot, for tests.
#[cfg(test)]
pub(crate) const TEST_SLOT: &str = "0830";

/// A lobby-opening round for tests, started by a fixed actor at time 0:
/// byte-identical wherever it is built, so replicas share the start as
/// they share genesis.
#[cfg(test)]
pub(crate) fn started_for_tests(date: &str) -> Automerge {
    let template = crate::template::lobby_opening();
    let mut doc = genesis("demo", &template.id, date).expect("valid genesis");
    doc.set_actor(automerge::ActorId::from(vec![0xee; 16]));
    let by = Attribution {
        person_id: "setup".into(),
        person: "setup".into(),
        role: crate::roster::Role::Staff,
        device: "setup".into(),
        at_ms: 0,
    };
    start(&mut doc, &template, TEST_SLOT, &by).expect("the built-in template starts");
    doc
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::lobby_opening;
    use crate::test_support::{actor, both_ways, on_tablet, staff as author};
    use proptest::prelude::*;

    const DATE: &str = "2026-11-23";
    const SLOT: &str = super::TEST_SLOT;

    fn replica(n: u8) -> Automerge {
        let mut d = on_tablet(genesis("demo", "lobby-opening", DATE).unwrap(), n);
        start(&mut d, &lobby_opening(), SLOT, &author(n, 0)).unwrap();
        d
    }

    #[test]
    fn genesis_is_the_days_identity_and_slots_live_inside() {
        let doc = genesis("demo", "lobby-opening", DATE).unwrap();
        assert!(crate::signature::signatures(&doc).unwrap().is_empty());
        let c = Checklist::new(&doc).unwrap();
        assert_eq!(c.template().unwrap(), None, "no template before a start");
        assert_eq!(
            (c.template_id().unwrap(), c.date().unwrap()),
            ("lobby-opening".to_owned(), DATE.to_owned())
        );
        assert_eq!(
            purpose("lobby-opening", DATE),
            "checklist/3/lobby-opening/2026-11-23"
        );
        for bad in ["", "lobby opening", "lobby/opening"] {
            assert!(genesis("demo", bad, DATE).is_err(), "{bad:?}");
        }
        let mut d = doc.clone();
        d.set_actor(actor(1));
        assert!(matches!(
            start(&mut d, &lobby_opening(), "08/30", &author(1, 1)),
            Err(ModelError::BadTemplate(_))
        ));
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
    fn marking_needs_a_start_and_a_note_where_the_template_asks() {
        let mut d = genesis("demo", "lobby-opening", DATE).unwrap();
        d.set_actor(actor(1));
        assert!(matches!(
            mark(&mut d, SLOT, "doors", Status::Normal, "", &author(1, 1)),
            Err(ModelError::NotStarted)
        ));
        assert!(matches!(
            finish(&mut d, SLOT, &author(1, 1)),
            Err(ModelError::NotStarted)
        ));
        let mut other = lobby_opening();
        other.id = "other".into();
        assert!(matches!(
            start(&mut d, &other, SLOT, &author(1, 1)),
            Err(ModelError::BadTemplate(_))
        ));
        start(&mut d, &lobby_opening(), SLOT, &author(1, 1_000)).unwrap();
        let heads = d.get_heads();
        // "doors" asks for a note when abnormal.
        assert!(matches!(
            mark(&mut d, SLOT, "doors", Status::Abnormal, "  ", &author(1, 2)),
            Err(ModelError::NoteRequired(i)) if i == "doors"
        ));
        assert_eq!(d.get_heads(), heads, "a refused mark writes nothing");
        mark(
            &mut d,
            SLOT,
            "doors",
            Status::Abnormal,
            "门禁失灵",
            &author(1, 3),
        )
        .unwrap();
        mark(&mut d, SLOT, "toilets", Status::Abnormal, "", &author(1, 4)).unwrap();
        finish(&mut d, SLOT, &author(1, 5_000)).unwrap();
        let p = Checklist::new(&d).unwrap().progress(SLOT).unwrap();
        assert_eq!(p.started.map(|e| e.at_ms), Some(1_000));
        assert_eq!(
            p.finished.map(|e| (e.at_ms, e.by)),
            Some((5_000, "p1".to_owned()))
        );
    }

    #[test]
    fn a_first_mark_can_start_the_round_in_the_same_change() {
        let mut d = genesis("demo", "lobby-opening", DATE).unwrap();
        d.set_actor(actor(1));
        let heads = d.get_heads();
        assert!(matches!(
            mark_starting(
                &mut d,
                &lobby_opening(),
                SLOT,
                "doors",
                Status::Abnormal,
                "",
                &author(1, 1)
            ),
            Err(ModelError::NoteRequired(_))
        ));
        assert_eq!(d.get_heads(), heads, "refused before starting");
        mark_starting(
            &mut d,
            &lobby_opening(),
            SLOT,
            "doors",
            Status::Normal,
            "",
            &author(1, 7),
        )
        .unwrap();
        assert_eq!(d.get_changes(&heads).len(), 1, "one change");
        let c = Checklist::new(&d).unwrap();
        assert_eq!(c.template().unwrap(), Some(lobby_opening()));
        assert_eq!(c.progress(SLOT).unwrap().started.map(|e| e.at_ms), Some(7));
        // Once started, a later first-mark does not start it again.
        mark_starting(
            &mut d,
            &lobby_opening(),
            SLOT,
            "lifts",
            Status::Normal,
            "",
            &author(1, 8),
        )
        .unwrap();
        assert_eq!(
            Checklist::new(&d).unwrap().progress_events().unwrap().len(),
            1
        );
    }

    #[test]
    fn concurrent_starts_with_different_template_versions_are_one_round_showing_every_item() {
        let mut a = genesis("demo", "lobby-opening", DATE).unwrap();
        let mut b = genesis("demo", "lobby-opening", DATE).unwrap();
        assert_eq!(
            a.save(),
            b.save(),
            "one genesis, whatever the template says"
        );
        a.set_actor(actor(1));
        b.set_actor(actor(2));
        // b has a newer version of the template with one more item.
        let mut newer = lobby_opening();
        newer.items.push(crate::template::TemplateItem {
            id: "mats".into(),
            area: crate::template::Bilingual::new("出入口与扶梯", "Entrance"),
            label: crate::template::Bilingual::new("防滑垫到位", "Mats in place"),
            note_required: false,
            department: crate::followup::Department::Cleaning,
            scan_within_min: None,
        });
        start(&mut a, &lobby_opening(), SLOT, &author(1, 1)).unwrap();
        start(&mut b, &newer, SLOT, &author(2, 2)).unwrap();
        mark(&mut a, SLOT, "doors", Status::Normal, "", &author(1, 3)).unwrap();
        mark(&mut b, SLOT, "mats", Status::Normal, "", &author(2, 4)).unwrap();
        let (ab, ba) = both_ways(&a, &b);
        for doc in [&ab, &ba] {
            let c = Checklist::new(doc).unwrap();
            let t = c.template().unwrap().unwrap();
            assert_eq!(t.items.len(), lobby_opening().items.len() + 1);
            assert!(t.item("mats").is_some() && t.item("doors").is_some());
            assert_eq!(c.marked_count(SLOT).unwrap(), 2);
            assert_eq!(c.progress_events().unwrap().len(), 2);
        }
        assert_eq!(
            Checklist::new(&ab).unwrap().template().unwrap(),
            Checklist::new(&ba).unwrap().template().unwrap(),
            "the same union on every device"
        );
    }

    #[test]
    fn schema_2_rounds_still_read() {
        #[derive(Reconcile)]
        struct V2 {
            schema: String,
            site: String,
            date: String,
            template: Template,
            marks: std::collections::BTreeMap<String, Mark>,
            log: Vec<Mark>,
            signatures: Vec<Signature>,
        }
        let mut old = lobby_opening();
        old.post = String::new();
        old.schedule = None;
        let mut doc = crate::genesis::build(&V2 {
            schema: SCHEMA_V2.into(),
            site: "demo".into(),
            date: DATE.into(),
            template: old,
            marks: Default::default(),
            log: Vec::new(),
            signatures: Vec::new(),
        })
        .unwrap();
        doc.set_actor(actor(1));
        mark(
            &mut doc,
            V2_SLOT,
            "lifts",
            Status::Normal,
            "",
            &author(1, 1),
        )
        .unwrap();
        let c = Checklist::new(&doc).unwrap();
        assert!(c.is_v2());
        assert_eq!(c.template_id().unwrap(), "lobby-opening");
        assert_eq!(c.progress(V2_SLOT).unwrap(), Progress::default());
        assert!(matches!(
            c.item_state(V2_SLOT, "lifts").unwrap(),
            ItemState::Marked(_)
        ));
    }

    #[test]
    fn a_mark_records_the_person_and_its_change_is_attributed() {
        let mut a = replica(1);
        let h = mark(
            &mut a,
            SLOT,
            "doors",
            Status::Normal,
            " ok ",
            &author(1, 61_500),
        )
        .unwrap();
        let ItemState::Marked(m) = Checklist::new(&a)
            .unwrap()
            .item_state(SLOT, "doors")
            .unwrap()
        else {
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
        assert_eq!(last.summary, "mark 0830/doors normal");
    }

    #[test]
    fn the_slots_of_one_night_are_separate_rounds_in_one_document() {
        let night = crate::template::show_flat_night_round();
        let mut a = genesis("demo", &night.id, DATE).unwrap();
        a.set_actor(actor(1));
        let mut b = genesis("demo", &night.id, DATE).unwrap();
        b.set_actor(actor(2));
        mark_starting(
            &mut a,
            &night,
            "1800",
            "doors-locked",
            Status::Normal,
            "",
            &author(1, 1),
        )
        .unwrap();
        finish(&mut a, "1800", &author(1, 2)).unwrap();
        mark_starting(
            &mut b,
            &night,
            "1830",
            "doors-locked",
            Status::Abnormal,
            "门未锁",
            &author(2, 3),
        )
        .unwrap();
        assert!(matches!(
            finish(&mut b, "1900", &author(2, 4)),
            Err(ModelError::NotStarted)
        ));
        let (ab, ba) = both_ways(&a, &b);
        for doc in [&ab, &ba] {
            let c = Checklist::new(doc).unwrap();
            assert!(
                matches!(c.item_state("1800", "doors-locked").unwrap(), ItemState::Marked(m) if m.status == Status::Normal)
            );
            assert!(
                matches!(c.item_state("1830", "doors-locked").unwrap(), ItemState::Marked(m) if m.status == Status::Abnormal && m.slot == "1830")
            );
            assert_eq!(
                c.item_state("1900", "doors-locked").unwrap(),
                ItemState::Unmarked
            );
            assert_eq!(
                (
                    c.marked_count("1800").unwrap(),
                    c.marked_count("1830").unwrap()
                ),
                (1, 1)
            );
            assert!(c.progress("1800").unwrap().finished.is_some());
            assert!(c.progress("1830").unwrap().started.is_some());
            assert!(c.progress("1830").unwrap().finished.is_none());
            assert_eq!(c.progress("1900").unwrap(), Progress::default());
            assert!(!c.has_conflict("doors-locked").unwrap());
        }
    }

    #[test]
    fn mark_summaries_round_trip() {
        let s = mark_summary("1830", "fire-equipment", Status::Abnormal);
        assert_eq!(s, "mark 1830/fire-equipment abnormal");
        assert_eq!(
            parse_mark_summary(&s),
            Some(MarkSummary {
                slot: "1830".into(),
                item: "fire-equipment".into(),
                status: Status::Abnormal
            })
        );
        assert_eq!(
            parse_mark_summary("mark doors normal").map(|m| (m.slot, m.item)),
            Some((V2_SLOT.to_owned(), "doors".to_owned())),
            "schema 2 summaries had no slot"
        );
        assert_eq!(parse_mark_summary("signature daily-review"), None);
        assert_eq!(parse_mark_summary("mark doors maybe"), None);
        assert_eq!(parse_mark_summary("mark doors normal extra"), None);
    }

    #[test]
    fn independent_geneses_are_one_document() {
        let a = genesis("demo", "lobby-opening", DATE).unwrap();
        let b = genesis("demo", "lobby-opening", DATE).unwrap();
        assert_eq!(a.get_heads(), b.get_heads());
        assert_eq!(a.save(), b.save());
    }

    #[test]
    fn different_items_marked_concurrently_merge_both_ways_with_no_mark_lost() {
        let (mut a, mut b) = (replica(1), replica(2));
        mark(&mut a, SLOT, "doors", Status::Normal, "", &author(1, 1_000)).unwrap();
        mark(
            &mut a,
            SLOT,
            "lifts",
            Status::Abnormal,
            "2号梯异响",
            &author(1, 2_000),
        )
        .unwrap();
        mark(
            &mut b,
            SLOT,
            "toilets",
            Status::Normal,
            "",
            &author(2, 1_500),
        )
        .unwrap();
        let (ab, ba) = both_ways(&a, &b);
        assert_eq!(ab.get_heads(), ba.get_heads());
        for doc in [&ab, &ba] {
            let c = Checklist::new(doc).unwrap();
            assert_eq!(c.marked_count(SLOT).unwrap(), 3);
            let ItemState::Marked(m) = c.item_state(SLOT, "lifts").unwrap() else {
                panic!("lifts should be marked");
            };
            assert_eq!(
                (m.status, m.note.as_str(), m.device.as_str()),
                (Status::Abnormal, "2号梯异响", "T1")
            );
            assert_eq!(c.history().unwrap().len(), 3);
            assert_eq!(c.history_len(SLOT).unwrap(), 3, "counted without reading");
        }
    }

    #[test]
    fn the_same_item_marked_differently_keeps_both_values_visible() {
        let (mut a, mut b) = (replica(1), replica(2));
        mark(&mut a, SLOT, "doors", Status::Normal, "", &author(1, 1_000)).unwrap();
        mark(
            &mut b,
            SLOT,
            "doors",
            Status::Abnormal,
            "门禁失灵",
            &author(2, 1_200),
        )
        .unwrap();
        let (ab, ba) = both_ways(&a, &b);
        for doc in [&ab, &ba] {
            let c = Checklist::new(doc).unwrap();
            let ItemState::Conflict(marks) = c.item_state(SLOT, "doors").unwrap() else {
                panic!("expected a conflict");
            };
            assert!(c.has_conflict("doors").unwrap() && !c.has_conflict("lifts").unwrap());
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
        mark(&mut a, SLOT, "doors", Status::Normal, "", &author(1, 1_000)).unwrap();
        mark(&mut b, SLOT, "doors", Status::Normal, "", &author(2, 1_100)).unwrap();
        let (ab, _) = both_ways(&a, &b);
        let c = Checklist::new(&ab).unwrap();
        assert!(
            matches!(c.item_state(SLOT, "doors").unwrap(), ItemState::Marked(m) if m.device == "T2")
        );
        assert_eq!(
            c.current_marks(SLOT, "doors").unwrap().len(),
            2,
            "both marks stay recorded"
        );
    }

    #[test]
    fn bad_input_is_refused_without_changing_the_document() {
        let mut a = replica(1);
        let heads = a.get_heads();
        assert!(matches!(
            mark(
                &mut a,
                SLOT,
                "no-such-item",
                Status::Normal,
                "",
                &author(1, 1)
            ),
            Err(ModelError::UnknownItem(_))
        ));
        assert_eq!(a.get_heads(), heads);
        assert!(matches!(
            genesis("demo", "lobby-opening", "2026-13-01"),
            Err(ModelError::BadDate(_))
        ));
        assert!(matches!(
            genesis("demo", "lobby-opening", "23/11/2026"),
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
            c.item_state(SLOT, "doors").is_err(),
            "a checklist without containers is an error, not a panic"
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        /// Three tablets mark random items in random slots of one night,
        /// starting rounds as they go and merging with a random other
        /// tablet at random points: after a full merge they hold the same
        /// document, the log has every mark exactly once, every edited
        /// (slot, item) shows marked, and nothing else does.
        #[test]
        fn three_tablets_on_one_night_converge_with_every_mark(
            edits in proptest::collection::vec(
                (0..3usize, 0..3usize, 0..7usize, any::<bool>(), proptest::option::of(0..3usize)),
                1..30,
            )
        ) {
            let night = crate::template::show_flat_night_round();
            let slots = ["1800", "1830", "0200"];
            let mut replicas: Vec<Automerge> = (1..=3u8)
                .map(|n| {
                    let mut d = genesis("demo", &night.id, DATE).unwrap();
                    d.set_actor(actor(n));
                    d
                })
                .collect();
            for (n, (who, slot, item, abnormal, sync_with)) in edits.iter().enumerate() {
                let status = if *abnormal { Status::Abnormal } else { Status::Normal };
                let note = if *abnormal { "异常" } else { "" };
                let by = author(*who as u8 + 1, n as i64);
                mark_starting(&mut replicas[*who], &night, slots[*slot], &night.items[*item].id, status, note, &by).unwrap();
                if let Some(other) = sync_with.filter(|o| o != who) {
                    let mut theirs = replicas[other].clone();
                    replicas[*who].merge(&mut theirs).unwrap();
                }
            }
            let mut all = replicas[0].clone();
            for r in &replicas[1..] {
                all.merge(&mut r.clone()).unwrap();
            }
            for r in &mut replicas {
                r.merge(&mut all.clone()).unwrap();
                prop_assert_eq!(r.get_heads(), all.get_heads());
            }
            let c = Checklist::new(&all).unwrap();
            prop_assert_eq!(c.history().unwrap().len(), edits.len());
            for slot in &slots {
                let of_slot = c
                    .history()
                    .unwrap()
                    .iter()
                    .filter(|m| &m.slot == slot || c.is_v2())
                    .count();
                prop_assert_eq!(c.history_len(slot).unwrap(), of_slot);
            }
            for (s, slot) in slots.iter().enumerate() {
                for (i, item) in night.items.iter().enumerate() {
                    let edited = edits.iter().any(|(_, es, ei, _, _)| *es == s && *ei == i);
                    prop_assert_eq!(edited, c.item_state(slot, &item.id).unwrap() != ItemState::Unmarked);
                }
                let used = edits.iter().any(|(_, es, _, _, _)| *es == s);
                prop_assert_eq!(used, c.progress(slot).unwrap().started.is_some());
            }
        }
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
                let note = if *abnormal { "异常" } else { "" };
                mark(doc, SLOT, &items[*item], status, note, &author(who, n as i64)).unwrap();
                if *sync_after {
                    let (ab, ba) = both_ways(&a, &b);
                    a = ab;
                    b = ba;
                }
            }
            let (ab, ba) = both_ways(&a, &b);
            prop_assert_eq!(ab.get_heads(), ba.get_heads());
            let c = Checklist::new(&ab).unwrap();
            prop_assert_eq!(c.history().unwrap().len(), edits.len());
            for item in &items {
                let edited = edits.iter().any(|(_, i, _, _)| &items[*i] == item);
                prop_assert_eq!(edited, c.item_state(SLOT, item).unwrap() != ItemState::Unmarked);
            }
        }
    }
}
