//! Show flats (样板房): each flat's item list, and the day's item count
//! (《样板房物品清点记录表》) with the day's visitor count.
//!
//! Two document kinds:
//!
//! ```text
//! inventory: one per site, purpose `inventory` (supervisors edit, tablets read)
//! ROOT
//! ├── schema  "shiftbook/inventory/1"
//! ├── site                                  ← written once, by genesis
//! └── flats   { flat id → FlatItems }       one fresh map per write
//!
//! count day: one per flat and service day, purpose `show-flat/2/<flat>/<date>`
//! ROOT
//! ├── schema         "shiftbook/show-flat/2"
//! ├── site, flat_id, date                   ← identity, written by genesis
//! ├── flat_snapshot  "<FlatItems as JSON>"  ← scalar, written by the first count
//! ├── counts         { "<session>/<item>" → Count }   latest count; concurrent ones conflict
//! ├── log            [ Count, … ]           every count ever made, append-only
//! ├── visitors       counter                ← created by genesis, only ever incremented
//! │                                           (a correction increments by a negative number)
//! ├── visitor_log    [ VisitorEntry, … ]    every addition or correction: who, when, how many, why
//! ├── feedback       [ Feedback, … ]        guests' opinions and suggestions, append-only
//! └── signatures     [ Signature, … ]       the shift leader's daily review, see [`crate::signature`]
//! ```
//!
//! Rules that make merges lose nothing (ARCHITECTURE invariant 1, as for
//! checklists):
//!
//! * **Genesis is the day's identity only** (site, flat id, date) and the
//!   empty containers, committed with the fixed genesis actor at time 0
//!   ([`crate::genesis::build`]): every tablet that opens the day offline
//!   builds the same first change, so `counts`, `log`, `visitors`,
//!   `visitor_log` and `signatures` are one set of objects everywhere.
//! * **The item list is a scalar snapshot.** Tablets may hold different
//!   versions of a flat's item list (a supervisor just edited it), so it is
//!   never in genesis: the first count of the day writes it as JSON text at
//!   `flat_snapshot`. Counts made concurrently with different versions
//!   leave several values of that key; [`ShowFlatDay::flat`] shows their
//!   union (the first version's rooms and items, then what only the others
//!   have), the same on every device, so no count refers to an item nobody
//!   can see. Once a snapshot is there, it — not the tablet's current
//!   list — is the day's list: counts of items not on it are refused.
//! * **One fresh map per count** at `counts["<session>/<item>"]`. A count
//!   made after seeing another replaces it. Counts made concurrently are all
//!   kept by automerge; [`ShowFlatDay::item_count`] shows them as
//!   [`ItemCount::Disputed`] when their results (quantity or condition)
//!   differ — every value with who counted it — until someone counts the
//!   item again having seen them. Concurrent counts with equal results
//!   merge quietly. Nothing is picked silently.
//! * **Every count is also appended to `log`**, so replaced counts stay in
//!   the day's record.
//! * **Visitors are an automerge counter**, created in genesis and only ever
//!   incremented ([`add_visitors`]), so the lobby post and the flat post
//!   adding visitors concurrently add up exactly. Each addition is also
//!   appended to `visitor_log` (who, when, how many), so the total stays
//!   explainable. A mistaken addition is corrected by a *correction*
//!   ([`correct_visitors`]): a negative increment with a reason, logged
//!   like an addition — never by rewriting the counter, so corrections made
//!   concurrently with additions still add up.
//! * **Guest feedback is appended** to `feedback` ([`add_feedback`]): an
//!   opinion or a suggestion in the guest's words, who recorded it, when.
//! * **The shift leader signs the day** ([`crate::signature::sign`] with
//!   [`crate::signature::Meaning::DailyReview`]); counts made after the
//!   signature show as changes after signing.
//!
//! Schema 2 added `feedback` to genesis (a new purpose, `show-flat/2/…`,
//! so the two geneses never meet in one document). Schema 1 was never
//! released and is not read.
//!
//! Every change carries an [`Attribution`] in its commit message, and counts
//! and visitor entries store the person, device and device time for
//! display.
//!
//! # Discrepancies
//!
//! [`ShowFlatDay::discrepancies`] walks the day's item list (rooms, then
//! items, in order) and, for each item, reports in this order:
//!
//! 1. per session (opening, then closing) with one current result:
//!    [`DiscrepancyKind::ExpectedMismatch`] when the quantity differs from
//!    the expected one, [`DiscrepancyKind::ConditionNotInPlace`] when the
//!    item is moved, damaged or missing;
//! 2. per session with disagreeing concurrent counts:
//!    [`DiscrepancyKind::Disputed`] only (there is no one value to compare
//!    until the recount);
//! 3. when both sessions have one result each and their quantities differ:
//!    [`DiscrepancyKind::OpeningClosingDiffer`].
//!
//! Uncounted items are not discrepancies (the closing count has simply not
//! happened yet); [`ShowFlatDay::uncounted`] lists them. Expected
//! quantities come from the day's snapshot ([`ShowFlatDay::flat`]).
//! [`ShowFlatDay::damaged_items`] lists every item a current count reports
//! damaged (disputed values included: someone saw damage), for the app to
//! open repair follow-ups ([`crate::followup`]).

use crate::ModelError;
use crate::attribution::Attribution;
use crate::free_text::clip;
use crate::genesis::{Container, Root};
use crate::signature::Signature;
use crate::template::Bilingual;
use crate::write::commit;
use automerge::{
    Automerge, ChangeHash, ObjType, ROOT, ReadDoc, ScalarValue, Value, transaction::Transactable,
};
use autosurgeon::{Hydrate, Reconcile, hydrate_prop};
use std::collections::{BTreeMap, BTreeSet};

mod demo_flat;
pub use demo_flat::{DEMO_FLAT_ID, demo_flat};

#[cfg(test)]
mod tests;

/// The schema tag of a site's inventory (item lists) document.
pub const INVENTORY_SCHEMA: &str = "shiftbook/inventory/1";

/// The purpose that derives a site's inventory document id.
pub const INVENTORY_PURPOSE: &str = "inventory";

/// The schema tag of a show flat's count day document.
pub const SCHEMA: &str = "shiftbook/show-flat/2";

/// The largest quantity an item list expects or a count records; larger
/// numbers are typing mistakes.
pub const MAX_QUANTITY: u32 = 9_999;

/// The most visitors one addition may add; larger numbers are typing
/// mistakes.
pub const MAX_VISITORS_ADDED: i64 = 1_000;

// ───────────────────────────── item lists ─────────────────────────────

/// One item of a show flat with its expected quantity.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize)]
pub struct FlatItem {
    /// Stable id, unique within the whole flat; counts are keyed by it.
    #[key]
    pub id: String,
    /// What the item is.
    pub name: Bilingual,
    /// How many there should be.
    pub expected: u32,
    /// Where it stands ("on the TV cabinet"); empty when not described.
    #[autosurgeon(missing = "Default::default")]
    #[serde(default)]
    pub location: String,
}

/// One room of a show flat, its items in walking order.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize)]
pub struct Room {
    /// Stable id, unique within the flat.
    #[key]
    pub id: String,
    /// The room's name (客厅 living room…).
    pub name: Bilingual,
    /// The items, in the order the receptionist walks them.
    pub items: Vec<FlatItem>,
}

/// A show flat's item list (《样板房物品清点记录表》): rooms and items with
/// expected quantities.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize)]
pub struct FlatItems {
    /// Stable id of the flat, part of its count documents' ids.
    pub flat_id: String,
    /// The flat's name as shown.
    pub name: Bilingual,
    /// The rooms, in walking order.
    pub rooms: Vec<Room>,
}

fn blank(text: &Bilingual) -> bool {
    text.zh.trim().is_empty() && text.en.trim().is_empty()
}

impl FlatItems {
    /// The room `id`, if the flat has it.
    pub fn room(&self, id: &str) -> Option<&Room> {
        self.rooms.iter().find(|r| r.id == id)
    }

    /// The item `id` and the room it is in, if the flat has it.
    pub fn item(&self, id: &str) -> Option<(&Room, &FlatItem)> {
        self.items().find(|(_, i)| i.id == id)
    }

    /// Every item with its room, in walking order.
    pub fn items(&self) -> impl Iterator<Item = (&Room, &FlatItem)> {
        self.rooms
            .iter()
            .flat_map(|r| r.items.iter().map(move |i| (r, i)))
    }

    /// How many items (rows) the list has.
    pub fn item_count(&self) -> usize {
        self.rooms.iter().map(|r| r.items.len()).sum()
    }

    /// Check what a supervisor saved: a flat id and name, at least one
    /// room, every room with an id, a name and at least one item; room ids
    /// unique in the flat, item ids unique in the whole flat (counts are
    /// keyed by item alone), every item named, expected quantities at most
    /// [`MAX_QUANTITY`]. Ids are 1–64 letters, digits, `-` or `_`; a name
    /// needs at least one of its languages.
    pub fn validate(&self) -> Result<(), ModelError> {
        let bad = |why: String| Err(ModelError::BadItemList(why));
        if !crate::ids::is_key(&self.flat_id) {
            return bad(format!(
                "the flat id {:?} is not 1–64 letters, digits, - or _",
                clip(&self.flat_id)
            ));
        }
        if blank(&self.name) {
            return bad("the flat has no name".to_owned());
        }
        if self.rooms.is_empty() {
            return bad("the flat has no rooms".to_owned());
        }
        let mut rooms = BTreeSet::new();
        let mut items = BTreeSet::new();
        for room in &self.rooms {
            if !crate::ids::is_key(&room.id) {
                return bad(format!(
                    "the room id {:?} is not 1–64 letters, digits, - or _",
                    clip(&room.id)
                ));
            }
            if !rooms.insert(room.id.as_str()) {
                return bad(format!("room {} twice", room.id));
            }
            if blank(&room.name) {
                return bad(format!("room {} has no name", room.id));
            }
            if room.items.is_empty() {
                return bad(format!("room {} has no items", room.id));
            }
            for item in &room.items {
                if !crate::ids::is_key(&item.id) {
                    return bad(format!(
                        "the item id {:?} is not 1–64 letters, digits, - or _",
                        clip(&item.id)
                    ));
                }
                if !items.insert(item.id.as_str()) {
                    return bad(format!("item {} twice", item.id));
                }
                if blank(&item.name) {
                    return bad(format!("item {} has no name", item.id));
                }
                if item.expected > MAX_QUANTITY {
                    return bad(format!("item {} expects more than {MAX_QUANTITY}", item.id));
                }
            }
        }
        Ok(())
    }
}

/// Union of several item-list snapshots: the first one, then rooms and
/// items only the others have, in their order (an item the first lacks
/// joins its room there, or its room is added).
fn union(mut lists: Vec<FlatItems>) -> Option<FlatItems> {
    if lists.is_empty() {
        return None;
    }
    let mut first = lists.remove(0);
    for other in lists {
        for room in other.rooms {
            let new_items: Vec<FlatItem> = room
                .items
                .into_iter()
                .filter(|i| first.item(&i.id).is_none())
                .collect();
            if new_items.is_empty() {
                continue;
            }
            match first.rooms.iter_mut().find(|r| r.id == room.id) {
                Some(r) => r.items.extend(new_items),
                None => first.rooms.push(Room {
                    id: room.id,
                    name: room.name,
                    items: new_items,
                }),
            }
        }
    }
    Some(first)
}

// ─────────────────────────── inventory document ───────────────────────────

/// The site's inventory document id.
pub fn inventory_document_id(site_key: &impl crate::ids::Derive) -> crate::DocumentId {
    site_key.derive(INVENTORY_PURPOSE)
}

/// Build the inventory's first change, identical on every device.
pub fn inventory_genesis(site: &str) -> Result<Automerge, ModelError> {
    crate::genesis::build(&Root {
        schema: INVENTORY_SCHEMA,
        identity: &[("site", site)],
        containers: &[("flats", Container::Map)],
    })
}

fn flats_map(doc: &Automerge) -> Result<automerge::ObjId, ModelError> {
    crate::genesis::schema_container(doc, INVENTORY_SCHEMA, "flats", ObjType::Map)
}

/// Add or replace a flat's item list as one change by `by` (a fresh map at
/// `flats[flat id]`, so two supervisors editing one flat concurrently leave
/// two whole versions, never a mix). An invalid list
/// ([`FlatItems::validate`]) is refused, nothing written.
pub fn put_flat(
    doc: &mut Automerge,
    flat: &FlatItems,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    flat.validate()?;
    let map = flats_map(doc)?;
    let options = by.commit_options(&format!("inventory put {}", flat.flat_id));
    crate::write::put_fresh_change(doc, &map, &flat.flat_id, flat, options)
}

/// A read-only view of a site's inventory; a missing document (not synced
/// yet, or never created) reads as no flats.
#[derive(Debug, Clone, Copy)]
pub struct SiteInventory<'a> {
    doc: Option<&'a Automerge>,
}

impl<'a> SiteInventory<'a> {
    /// View `doc` after checking it is an inventory document.
    pub fn new(doc: &'a Automerge) -> Result<Self, ModelError> {
        flats_map(doc)?;
        Ok(Self { doc: Some(doc) })
    }

    /// No document: no flats.
    pub fn empty() -> Self {
        Self { doc: None }
    }

    /// Every flat's item list by flat id (automerge's pick among
    /// concurrent versions, the same on every device). A list a newer
    /// build saved with a shape this build cannot read is left out (and
    /// counted by [`crate::readable::unreadable_records`]).
    pub fn flats(&self) -> Result<Vec<FlatItems>, ModelError> {
        let Some(doc) = self.doc else {
            return Ok(Vec::new());
        };
        Ok(crate::readable::all_versions(doc, &flats_map(doc)?)?
            .into_iter()
            .filter_map(|(_, flat)| flat)
            .collect())
    }

    /// The item list of flat `id`, if there is one this build can read.
    pub fn flat(&self, id: &str) -> Result<Option<FlatItems>, ModelError> {
        match self.doc {
            Some(doc) => Ok(crate::readable::version(doc, &flats_map(doc)?, id)?.flatten()),
            None => Ok(None),
        }
    }

    /// The differing versions concurrent edits left for flat `id`; empty
    /// when there is no conflict.
    pub fn conflicts(&self, id: &str) -> Result<Vec<FlatItems>, ModelError> {
        match self.doc {
            Some(doc) => crate::readable::conflicting_versions(doc, &flats_map(doc)?, id),
            None => Ok(Vec::new()),
        }
    }
}

// ─────────────────────────── count day document ───────────────────────────

/// Which count of the day: at opening (08:30–09:00) or at closing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CountSession {
    /// The opening count (开馆清点).
    Opening,
    /// The closing count (闭馆清点).
    Closing,
}

crate::string_enum::string_enum!(CountSession, "opening or closing", {
    Opening => "opening",
    Closing => "closing",
});

impl CountSession {
    /// Both sessions, in the order of the day.
    pub const ALL: [CountSession; 2] = [CountSession::Opening, CountSession::Closing];
}

/// The condition an item was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Condition {
    /// In place and undamaged (完好在位).
    InPlace,
    /// Moved from where it belongs (移位).
    Moved,
    /// Damaged (损坏): goes to repair.
    Damaged,
    /// Missing (缺失).
    Missing,
}

crate::string_enum::string_enum!(Condition, "in-place, moved, damaged or missing", {
    InPlace => "in-place",
    Moved => "moved",
    Damaged => "damaged",
    Missing => "missing",
});

impl Condition {
    /// Every condition, in the order pickers list them.
    pub const ALL: [Condition; 4] = [
        Condition::InPlace,
        Condition::Moved,
        Condition::Damaged,
        Condition::Missing,
    ];
}

/// One count of one item in one session.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate)]
pub struct Count {
    /// Opening or closing.
    pub session: CountSession,
    /// The item counted.
    pub item: String,
    /// How many were found.
    pub quantity: u32,
    /// The condition they were found in.
    pub condition: Condition,
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

impl Count {
    /// The result two concurrent counts must share to merge quietly.
    fn result(&self) -> (u32, Condition) {
        (self.quantity, self.condition)
    }
}

/// One addition to (or correction of) the day's visitor count.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate)]
pub struct VisitorEntry {
    /// How many visitors were added; negative for a correction.
    pub n: i64,
    /// Why a correction was made; empty for an addition.
    pub reason: String,
    /// The person's roster id.
    pub person_id: String,
    /// The person's name.
    pub by: String,
    /// The device.
    pub device: String,
    /// Device clock, milliseconds since the Unix epoch.
    pub at_ms: i64,
}

/// What a guest said.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FeedbackKind {
    /// An opinion (意见): what the guest thought of the flat or service.
    Opinion,
    /// A suggestion (建议).
    Suggestion,
}

crate::string_enum::string_enum!(FeedbackKind, "opinion or suggestion", {
    Opinion => "opinion",
    Suggestion => "suggestion",
});

impl FeedbackKind {
    /// Both kinds, in the order the form offers them.
    pub const ALL: [FeedbackKind; 2] = [FeedbackKind::Opinion, FeedbackKind::Suggestion];
}

/// The longest feedback text kept, in characters.
pub const MAX_FEEDBACK_CHARS: usize = 2_000;

/// The longest guest description (name, contact) kept, in characters.
pub const MAX_GUEST_CHARS: usize = 100;

/// A guest's opinion or suggestion, as recorded by the receptionist.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate)]
pub struct Feedback {
    /// Opinion or suggestion.
    pub kind: FeedbackKind,
    /// What the guest said.
    pub text: String,
    /// Who the guest is, as far as they told (optional: a surname, a
    /// phone number for a call back); empty when anonymous.
    pub guest: String,
    /// The person's roster id.
    pub person_id: String,
    /// The person's name.
    pub by: String,
    /// The device.
    pub device: String,
    /// Device clock, milliseconds since the Unix epoch.
    pub at_ms: i64,
}

/// What one item shows in one session after all merges.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemCount {
    /// Nobody has counted it in this session yet.
    Uncounted,
    /// One current count (or several concurrent ones with equal results:
    /// the latest of them).
    Counted(Count),
    /// Concurrent counts with different results, every one of them with who
    /// counted it, oldest first: recount the item.
    Disputed(Vec<Count>),
}

/// What is wrong with one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiscrepancyKind {
    /// The counted quantity is not the expected one.
    ExpectedMismatch {
        /// The session counted.
        session: CountSession,
        /// The day's list expects this many.
        expected: u32,
        /// This many were counted.
        counted: u32,
    },
    /// The item was found moved, damaged or missing.
    ConditionNotInPlace {
        /// The session counted.
        session: CountSession,
        /// The condition found.
        condition: Condition,
    },
    /// The opening and closing counts found different quantities.
    OpeningClosingDiffer {
        /// Counted at opening.
        opening: u32,
        /// Counted at closing.
        closing: u32,
    },
    /// Concurrent counts disagree: recount.
    Disputed {
        /// The session with the disagreeing counts.
        session: CountSession,
    },
}

/// A discrepancy of one item on one day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discrepancy {
    /// The room the item is in.
    pub room: String,
    /// The item.
    pub item: String,
    /// What is wrong.
    pub kind: DiscrepancyKind,
}

/// An item some current count reports damaged, for a repair follow-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DamagedItem {
    /// The room the item is in.
    pub room: String,
    /// The item as the day's list has it.
    pub item: FlatItem,
    /// Every current count (both sessions, disputed values included) that
    /// found it damaged, opening first.
    pub reports: Vec<Count>,
}

/// A show flat's day at a glance ([`ShowFlatDay::summary`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DaySummary {
    /// Items on the day's list (0 before the first count).
    pub items: usize,
    /// Items counted at opening and at closing.
    pub counted: [usize; 2],
    /// The day's discrepancies.
    pub discrepancies: Vec<Discrepancy>,
    /// Items some count found damaged.
    pub damaged: usize,
    /// Visitors of the day.
    pub visitors: i64,
    /// Corrections made to the visitor count.
    pub corrections: usize,
    /// Guests' opinions and suggestions.
    pub feedback: Vec<Feedback>,
    /// The leaders' daily-review signatures, in list order.
    pub reviews: Vec<Signature>,
    /// Changes made after (or concurrently with) the latest review, which
    /// it does not cover.
    pub changed_after_review: usize,
}

/// The fields genesis writes: the day's identity and empty containers.
#[derive(Debug, Clone, Reconcile)]
struct Genesis {
    schema: String,
    site: String,
    flat_id: String,
    date: String,
    counts: BTreeMap<String, Count>,
    log: Vec<Count>,
    visitors: autosurgeon::Counter,
    visitor_log: Vec<VisitorEntry>,
    feedback: Vec<Feedback>,
    signatures: Vec<Signature>,
}

/// The purpose string that derives a flat's count document id for a
/// service day: `show-flat/2/<flat>/<date>` (schema 2).
///
/// Changing what genesis writes means a new schema tag and a new purpose
/// (`show-flat/3/<flat>/<date>`), so two geneses never meet in one
/// document.
pub fn purpose(flat_id: &str, date: &str) -> String {
    format!("show-flat/2/{flat_id}/{date}")
}

/// The count document id of `flat_id` on `date` at the site of `site_key`.
pub fn document_id(
    site_key: &impl crate::ids::Derive,
    flat_id: &str,
    date: &str,
) -> crate::DocumentId {
    site_key.derive(&purpose(flat_id, date))
}

/// The key of `item` in `session` in the `counts` map.
pub fn count_key(session: CountSession, item: &str) -> String {
    format!("{}/{item}", session.as_str())
}

/// Build the day's first change, identical on every device: the identity
/// and the empty containers, the visitor counter at 0.
pub fn genesis(site: &str, flat_id: &str, date: &str) -> Result<Automerge, ModelError> {
    crate::checklist::validate_date(date)?;
    if !crate::ids::is_key(flat_id) {
        return Err(ModelError::BadItemList(format!(
            "the flat id {:?} is not 1–64 letters, digits, - or _",
            clip(flat_id)
        )));
    }
    crate::genesis::build(&Genesis {
        schema: SCHEMA.to_owned(),
        site: site.to_owned(),
        flat_id: flat_id.to_owned(),
        date: date.to_owned(),
        counts: BTreeMap::new(),
        log: Vec::new(),
        visitors: autosurgeon::Counter::default(),
        visitor_log: Vec::new(),
        feedback: Vec::new(),
        signatures: Vec::new(),
    })
}

/// A read-only view of a show flat's count day.
#[derive(Debug, Clone, Copy)]
pub struct ShowFlatDay<'a> {
    doc: &'a Automerge,
}

impl<'a> ShowFlatDay<'a> {
    /// View `doc` after checking it is a show-flat count day.
    pub fn new(doc: &'a Automerge) -> Result<Self, ModelError> {
        crate::genesis::expect_schema(doc, SCHEMA)?;
        Ok(Self { doc })
    }

    /// The underlying document.
    pub fn doc(&self) -> &'a Automerge {
        self.doc
    }

    /// The site the day belongs to.
    pub fn site(&self) -> Result<String, ModelError> {
        Ok(hydrate_prop(self.doc, ROOT, "site")?)
    }

    /// The flat counted.
    pub fn flat_id(&self) -> Result<String, ModelError> {
        Ok(hydrate_prop(self.doc, ROOT, "flat_id")?)
    }

    /// The service day, `YYYY-MM-DD`.
    pub fn date(&self) -> Result<String, ModelError> {
        Ok(hydrate_prop(self.doc, ROOT, "date")?)
    }

    /// The day's item list: the snapshot the first count wrote (the union
    /// of the snapshots of concurrent first counts); `None` before anyone
    /// counted, or when only a newer build's snapshot is there (the
    /// caller shows the site's list).
    pub fn flat(&self) -> Result<Option<FlatItems>, ModelError> {
        let mut snapshots = Vec::new();
        for (value, _) in self.doc.get_all(ROOT, "flat_snapshot")? {
            if let Value::Scalar(s) = value
                && let ScalarValue::Str(json) = s.as_ref()
            {
                snapshots.extend(crate::readable::json::<FlatItems>(json, "flat_snapshot")?);
            }
        }
        Ok(union(snapshots))
    }

    /// Every current count of `item` in `session`: one normally, several
    /// after concurrent counts, none when uncounted; oldest first.
    pub fn current_counts(
        &self,
        session: CountSession,
        item: &str,
    ) -> Result<Vec<Count>, ModelError> {
        let counts = crate::genesis::container(self.doc, "counts", ObjType::Map)?;
        let mut out = Vec::new();
        for (value, id) in self.doc.get_all(&counts, count_key(session, item))? {
            if let Value::Object(ObjType::Map) = value {
                out.extend(crate::readable::kept_map::<Count>(self.doc, &id)?);
            }
        }
        crate::sort_once::sort_by(&mut out, |a, b| {
            (a.at_ms, &a.device).cmp(&(b.at_ms, &b.device))
        });
        Ok(out)
    }

    /// What `item` shows in `session`: uncounted, counted, or disputed
    /// (recount).
    pub fn item_count(&self, session: CountSession, item: &str) -> Result<ItemCount, ModelError> {
        let mut counts = self.current_counts(session, item)?;
        let disagree = counts.windows(2).any(|w| w[0].result() != w[1].result());
        Ok(match counts.pop() {
            None => ItemCount::Uncounted,
            Some(last) if disagree => {
                counts.push(last);
                ItemCount::Disputed(counts)
            }
            Some(last) => ItemCount::Counted(last),
        })
    }

    /// The items of the day's list not yet counted in `session`, in walking
    /// order (none before the first count: the day's list is not in the
    /// document yet — use the site inventory's).
    pub fn uncounted(&self, session: CountSession) -> Result<Vec<String>, ModelError> {
        let Some(flat) = self.flat()? else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for (_, item) in flat.items() {
            if self.current_counts(session, &item.id)?.is_empty() {
                out.push(item.id.clone());
            }
        }
        Ok(out)
    }

    /// Every count ever made this day, in the order the log holds them.
    pub fn history(&self) -> Result<Vec<Count>, ModelError> {
        crate::readable::at_root(self.doc, "log")
    }

    /// The day's visitor count: the sum of every addition on every device.
    pub fn visitors(&self) -> Result<i64, ModelError> {
        match self.doc.get(ROOT, "visitors")? {
            Some((Value::Scalar(s), _)) => match s.as_ref() {
                ScalarValue::Counter(c) => Ok(i64::from(c)),
                _ => Err(ModelError::Corrupt("visitors".to_owned())),
            },
            _ => Err(ModelError::Corrupt("visitors".to_owned())),
        }
    }

    /// Every addition to (and correction of) the visitor count, in list
    /// order.
    pub fn visitor_log(&self) -> Result<Vec<VisitorEntry>, ModelError> {
        crate::readable::at_root(self.doc, "visitor_log")
    }

    /// The guests' opinions and suggestions, in list order.
    pub fn feedback(&self) -> Result<Vec<Feedback>, ModelError> {
        crate::readable::at_root(self.doc, "feedback")
    }

    /// The day at a glance, for the supervisor's daily summary (001 §8.4).
    pub fn summary(&self) -> Result<DaySummary, ModelError> {
        let flat = self.flat()?;
        let items = flat.as_ref().map_or(0, FlatItems::item_count);
        let mut counted = [0; 2];
        if flat.is_some() {
            for (slot, session) in counted.iter_mut().zip(CountSession::ALL) {
                *slot = items - self.uncounted(session)?.len();
            }
        }
        let reviews: Vec<Signature> = crate::signature::signatures(self.doc)?
            .into_iter()
            .filter(|s| s.meaning == crate::signature::Meaning::DailyReview)
            .collect();
        let changed_after_review = match reviews.last() {
            Some(last) => crate::signature::changes_after(self.doc, last)?.len(),
            None => 0,
        };
        Ok(DaySummary {
            items,
            counted,
            discrepancies: self.discrepancies()?,
            damaged: self.damaged_items()?.len(),
            visitors: self.visitors()?,
            corrections: self.visitor_log()?.iter().filter(|e| e.n < 0).count(),
            feedback: self.feedback()?,
            reviews,
            changed_after_review,
        })
    }

    /// The day's discrepancies, item by item in walking order (see the
    /// module documentation for the rules); none before the first count.
    pub fn discrepancies(&self) -> Result<Vec<Discrepancy>, ModelError> {
        let Some(flat) = self.flat()? else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for (room, item) in flat.items() {
            let mut push = |kind| {
                out.push(Discrepancy {
                    room: room.id.clone(),
                    item: item.id.clone(),
                    kind,
                })
            };
            let mut found = [None, None];
            for (slot, session) in found.iter_mut().zip(CountSession::ALL) {
                match self.item_count(session, &item.id)? {
                    ItemCount::Uncounted => {}
                    ItemCount::Disputed(_) => push(DiscrepancyKind::Disputed { session }),
                    ItemCount::Counted(c) => {
                        if c.quantity != item.expected {
                            push(DiscrepancyKind::ExpectedMismatch {
                                session,
                                expected: item.expected,
                                counted: c.quantity,
                            });
                        }
                        if c.condition != Condition::InPlace {
                            push(DiscrepancyKind::ConditionNotInPlace {
                                session,
                                condition: c.condition,
                            });
                        }
                        *slot = Some(c.quantity);
                    }
                }
            }
            if let [Some(opening), Some(closing)] = found
                && opening != closing
            {
                push(DiscrepancyKind::OpeningClosingDiffer { opening, closing });
            }
        }
        Ok(out)
    }

    /// Every item a current count reports damaged, in walking order.
    pub fn damaged_items(&self) -> Result<Vec<DamagedItem>, ModelError> {
        let Some(flat) = self.flat()? else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for (room, item) in flat.items() {
            let mut reports = Vec::new();
            for session in CountSession::ALL {
                reports.extend(
                    self.current_counts(session, &item.id)?
                        .into_iter()
                        .filter(|c| c.condition == Condition::Damaged),
                );
            }
            if !reports.is_empty() {
                out.push(DamagedItem {
                    room: room.id.clone(),
                    item: item.clone(),
                    reports,
                });
            }
        }
        Ok(out)
    }
}

/// The day's discrepancies ([`ShowFlatDay::discrepancies`]).
pub fn discrepancies(doc: &Automerge) -> Result<Vec<Discrepancy>, ModelError> {
    ShowFlatDay::new(doc)?.discrepancies()
}

/// The items found damaged ([`ShowFlatDay::damaged_items`]).
pub fn damaged_items(doc: &Automerge) -> Result<Vec<DamagedItem>, ModelError> {
    ShowFlatDay::new(doc)?.damaged_items()
}

/// The day's visitor count ([`ShowFlatDay::visitors`]).
pub fn visitors(doc: &Automerge) -> Result<i64, ModelError> {
    ShowFlatDay::new(doc)?.visitors()
}

// ──────────────────────────────── writes ────────────────────────────────

/// The day's item list and, when the document has none yet, the snapshot
/// to write: `given` must be a valid list of the document's flat.
fn day_list(
    view: &ShowFlatDay<'_>,
    given: &FlatItems,
) -> Result<(FlatItems, Option<String>), ModelError> {
    given.validate()?;
    let flat_id = view.flat_id()?;
    if given.flat_id != flat_id {
        return Err(ModelError::BadItemList(format!(
            "the item list of {} given for a count of {}",
            given.flat_id, flat_id
        )));
    }
    match view.flat()? {
        Some(stored) => Ok((stored, None)),
        // A newer build's list, which this build cannot read, stays as it
        // is: the count is checked against the site's list instead.
        None if view.doc.get(ROOT, "flat_snapshot")?.is_some() => Ok((given.clone(), None)),
        None => {
            let json =
                serde_json::to_string(given).map_err(|e| ModelError::BadItemList(e.to_string()))?;
            Ok((given.clone(), Some(json)))
        }
    }
}

fn new_count(
    session: CountSession,
    item: &str,
    quantity: u32,
    condition: Condition,
    note: &str,
    by: &Attribution,
) -> Count {
    Count {
        session,
        item: item.to_owned(),
        quantity,
        condition,
        note: note.trim().to_owned(),
        person_id: by.person_id.clone(),
        by: by.person.clone(),
        device: by.device.clone(),
        at_ms: by.at_ms,
    }
}

/// One change: the snapshot if given, then each count as a fresh map at
/// its key and appended to the log.
fn write_counts(
    doc: &mut Automerge,
    snapshot: Option<String>,
    counts: &[Count],
    summary: &str,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    let counts_map = crate::genesis::container(doc, "counts", ObjType::Map)?;
    let log = crate::genesis::container(doc, "log", ObjType::List)?;
    let options = by.commit_options(summary);
    commit(doc.transact_with(
        |_| options,
        |tx| -> Result<(), ModelError> {
            if let Some(json) = snapshot {
                tx.put(ROOT, "flat_snapshot", json)?;
            }
            for count in counts {
                let key = count_key(count.session, &count.item);
                crate::write::put_fresh(tx, &counts_map, &key, count)?;
                crate::write::append(tx, &log, count)?;
            }
            Ok(())
        },
    ))
}

/// The change summary of a count: `count <session>/<item> <quantity>
/// <condition>`.
pub fn count_summary(
    session: CountSession,
    item: &str,
    quantity: u32,
    condition: Condition,
) -> String {
    format!(
        "count {} {quantity} {}",
        count_key(session, item),
        condition.as_str()
    )
}

/// Count `item` in `session` as `by`: `quantity` found in `condition`, with
/// an optional note, as one attributed change (a fresh map at
/// `counts["<session>/<item>"]`, appended to `log`). The first count of the
/// day also writes `flat` as the day's snapshot; `flat` must be a valid
/// list of the document's flat. An item not on the day's list
/// ([`ModelError::UnknownFlatItem`]) or a quantity above [`MAX_QUANTITY`]
/// ([`ModelError::BadCount`]) is refused without a change. Counting an item
/// again (a recount, having seen a dispute) replaces what was seen.
#[allow(clippy::too_many_arguments)] // the count's fields, as the form has them
pub fn count(
    doc: &mut Automerge,
    flat: &FlatItems,
    session: CountSession,
    item: &str,
    quantity: u32,
    condition: Condition,
    note: &str,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    if quantity > MAX_QUANTITY {
        return Err(ModelError::BadCount(format!(
            "{quantity} is more than {MAX_QUANTITY}"
        )));
    }
    let view = ShowFlatDay::new(doc)?;
    let (list, snapshot) = day_list(&view, flat)?;
    if list.item(item).is_none() {
        return Err(ModelError::UnknownFlatItem(clip(item)));
    }
    let count = new_count(session, item, quantity, condition, note, by);
    let summary = count_summary(session, item, quantity, condition);
    write_counts(doc, snapshot, &[count], &summary, by)
}

/// "All as expected" for `room` in `session`, as one change by `by`: every
/// item of the room not yet counted in this session is counted at its
/// expected quantity, in place. Items already counted in the session (an
/// exception entered first, or a dispute) are left as they are. Returns
/// `None`, writing nothing, when every item of the room was already
/// counted. The first count of the day also writes `flat` as the snapshot.
pub fn all_as_expected(
    doc: &mut Automerge,
    flat: &FlatItems,
    session: CountSession,
    room: &str,
    by: &Attribution,
) -> Result<Option<ChangeHash>, ModelError> {
    let view = ShowFlatDay::new(doc)?;
    let (list, snapshot) = day_list(&view, flat)?;
    let Some(spec) = list.room(room) else {
        return Err(ModelError::UnknownRoom(clip(room)));
    };
    let mut counts = Vec::new();
    for item in &spec.items {
        if view.current_counts(session, &item.id)?.is_empty() {
            counts.push(new_count(
                session,
                &item.id,
                item.expected,
                Condition::InPlace,
                "",
                by,
            ));
        }
    }
    if counts.is_empty() {
        return Ok(None);
    }
    let summary = format!(
        "count {} room {room} as expected ({} items)",
        session.as_str(),
        counts.len()
    );
    write_counts(doc, snapshot, &counts, &summary, by).map(Some)
}

/// Add `n` (1 to [`MAX_VISITORS_ADDED`]) visitors to the day's count as `by`,
/// in one change: the counter is incremented (concurrent additions from
/// several posts add up) and the addition appended to `visitor_log`.
pub fn add_visitors(
    doc: &mut Automerge,
    n: i64,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    if !(1..=MAX_VISITORS_ADDED).contains(&n) {
        return Err(ModelError::BadCount(format!(
            "add 1 to {MAX_VISITORS_ADDED} visitors, not {n}"
        )));
    }
    ShowFlatDay::new(doc)?.visitors()?;
    write_visitors(doc, n, "", &format!("visitors +{n}"), by)
}

/// Correct the day's visitor count down by `n` as `by`, because of
/// `reason` (a mistaken tap, a group counted twice): one change that
/// increments the counter by −`n` and logs the correction with its reason.
/// Refused without a change when the reason is empty or longer than
/// [`MAX_GUEST_CHARS`] × 2, or when `n` is not between 1 and the count this
/// device sees (a correction concurrent with another one may still take the
/// merged total below zero; [`ShowFlatDay::visitors`] then shows it as it
/// is, and the log explains it).
pub fn correct_visitors(
    doc: &mut Automerge,
    n: i64,
    reason: &str,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    let seen = ShowFlatDay::new(doc)?.visitors()?;
    if n < 1 || n > seen {
        return Err(ModelError::BadCount(format!(
            "correct by 1 to {seen} visitors, not {n}"
        )));
    }
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 2 * MAX_GUEST_CHARS {
        return Err(ModelError::BadCount(
            "a correction needs a reason (up to 200 characters)".to_owned(),
        ));
    }
    write_visitors(doc, -n, reason, &format!("visitors -{n}"), by)
}

fn write_visitors(
    doc: &mut Automerge,
    n: i64,
    reason: &str,
    summary: &str,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    let log = crate::genesis::container(doc, "visitor_log", ObjType::List)?;
    let entry = VisitorEntry {
        n,
        reason: reason.to_owned(),
        person_id: by.person_id.clone(),
        by: by.person.clone(),
        device: by.device.clone(),
        at_ms: by.at_ms,
    };
    let options = by.commit_options(summary);
    commit(doc.transact_with(
        |_| options,
        |tx| -> Result<(), ModelError> {
            tx.increment(ROOT, "visitors", n)?;
            crate::write::append(tx, &log, &entry)
        },
    ))
}

/// Record a guest's opinion or suggestion as `by`: `text` in the guest's
/// words (1 to [`MAX_FEEDBACK_CHARS`] characters after trimming) and who
/// the guest is as far as they told (optional, up to [`MAX_GUEST_CHARS`]),
/// appended to the day's `feedback` in one change. Refused without a
/// change otherwise.
pub fn add_feedback(
    doc: &mut Automerge,
    kind: FeedbackKind,
    text: &str,
    guest: &str,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    ShowFlatDay::new(doc)?;
    let (text, guest) = (text.trim(), guest.trim());
    if text.is_empty() || text.chars().count() > MAX_FEEDBACK_CHARS {
        return Err(ModelError::BadFeedback(format!(
            "the text is 1 to {MAX_FEEDBACK_CHARS} characters"
        )));
    }
    if guest.chars().count() > MAX_GUEST_CHARS {
        return Err(ModelError::BadFeedback(format!(
            "who the guest is takes up to {MAX_GUEST_CHARS} characters"
        )));
    }
    let list = crate::genesis::container(doc, "feedback", ObjType::List)?;
    let entry = Feedback {
        kind,
        text: text.to_owned(),
        guest: guest.to_owned(),
        person_id: by.person_id.clone(),
        by: by.person.clone(),
        device: by.device.clone(),
        at_ms: by.at_ms,
    };
    let options = by.commit_options(&format!("feedback {}", kind.as_str()));
    crate::write::append_all(doc, &list, std::slice::from_ref(&entry), options)
}
