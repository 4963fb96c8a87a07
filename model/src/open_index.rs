//! Open indexes: a small per-site document (or per book) that says which
//! board documents still hold open records — record id → the period (a
//! day `YYYY-MM-DD` or a month `YYYY-MM`) whose board holds it — so a
//! device loads the current board and only those older ones
//! ([`periods_to_load`]): follow-ups, pending hand-over items and
//! complaints by month, visitors still inside by day.
//!
//! ```text
//! ROOT
//! ├── schema  "<the family's index schema>"
//! ├── site (, book …)                      ← written once, by genesis
//! └── open    { record id → period }       scalars only
//! ```
//!
//! Rules, the same for every family:
//!
//! * **Scalars only.** `open` is created by the index's genesis and only
//!   ever holds plain strings, never nested objects, so concurrent writers
//!   cannot hide each other's containers (ARCHITECTURE invariant 1);
//!   concurrent puts of one id leave several values, all read
//!   ([`values`]).
//! * **The board is the truth**, the index only a hint of which boards to
//!   load. A family's writes change the board first and the index second,
//!   as two changes; views read only boards. A crash between the two, or a
//!   put concurrent with a delete (automerge keeps the put), leaves the
//!   index out of step until [`reconcile_edits`] repairs it from a board:
//!   every id the board shows open is put with the board's period, every
//!   id it shows closed is removed if the index points it at that period,
//!   and ids the board does not know are left alone (the board copy may
//!   not have synced yet).
//! * Values that are not periods of the family are skipped when read
//!   ([`entries`]).
//!
//! [`Family`] holds what a family of boards and its index share (schemas,
//! period and owner fields, summary word), and does a family's paired
//! writes ([`Family::write`]: board, then index), the pair check and the
//! repair.

use crate::ModelError;
use crate::attribution::Attribution;
use crate::genesis::{Container, Root};
use automerge::transaction::Transactable;
use automerge::{Automerge, ChangeHash, ObjId, ObjType, ROOT, ReadDoc, ScalarValue, Value};
use autosurgeon::{Reconcile, hydrate_prop};
use std::collections::BTreeSet;

/// A family of boards ([`crate::event_board`]) with an open index: what
/// writing a board and its index together needs to know. Each family
/// keeps its own refusals, summaries and views.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Family {
    /// The boards' schema tag.
    pub(crate) board_schema: &'static str,
    /// The index's schema tag.
    pub(crate) index_schema: &'static str,
    /// How the index's change summaries begin (`followups-open`), followed
    /// by `put <id>`, `delete <id>` or `reconcile <period>`.
    pub(crate) summary: &'static str,
    /// The board's root field that names its period (`month`, `date`).
    pub(crate) period: &'static str,
    /// The root fields a board and its index must agree on (`site`, and
    /// `book` for a hand-over book's).
    pub(crate) owner: &'static [&'static str],
}

/// What a write does to its record's entry in the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mark<'a> {
    /// Record `.0` is open on the board of period `.1`.
    Open(&'a str, &'a str),
    /// Record `.0` is closed (done, left…).
    Closed(&'a str),
}

/// The changes a write of a board and its open index made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    /// The board's change.
    pub board: ChangeHash,
    /// The index's change; `None` when the index already said so.
    pub index: Option<ChangeHash>,
}

impl Family {
    /// The index's `open` map, after checking the schema.
    pub(crate) fn open_map(&self, index: &Automerge) -> Result<ObjId, ModelError> {
        open_map(index, self.index_schema)
    }

    /// The owner fields of a board or an index, joined by `/`.
    fn owner_of(&self, doc: &Automerge) -> Result<String, ModelError> {
        let mut parts = Vec::with_capacity(self.owner.len());
        for key in self.owner {
            let part: String = hydrate_prop(doc, ROOT, *key)?;
            parts.push(part);
        }
        Ok(parts.join("/"))
    }

    /// Check the board and the index belong together before any write:
    /// schemas, containers and the same owner, else `mismatch(board's
    /// owner, index's owner)`. Returns the board's period.
    pub(crate) fn check_pair(
        &self,
        board: &Automerge,
        index: &Automerge,
        mismatch: impl FnOnce(String, String) -> ModelError,
    ) -> Result<String, ModelError> {
        crate::event_board::list(board, self.board_schema)?;
        self.open_map(index)?;
        let (b, i) = (self.owner_of(board)?, self.owner_of(index)?);
        if b != i {
            return Err(mismatch(b, i));
        }
        crate::event_board::field(board, self.board_schema, self.period)
    }

    /// Append `events` to the board as one change by `by` summarised
    /// `summary`, then `mark` the record in the index as a second change
    /// (none when the index already says so). The board first: it is the
    /// truth, and a failed index write is repaired by reconciling.
    pub(crate) fn write<E: Reconcile>(
        &self,
        board: &mut Automerge,
        index: &mut Automerge,
        events: &[E],
        summary: &str,
        mark: Mark<'_>,
        by: &Attribution,
    ) -> Result<Written, ModelError> {
        let open = self.open_map(index)?;
        let (edit, verb, id) = match mark {
            Mark::Open(id, period) => (put(index, &open, id, period)?, "put", id),
            Mark::Closed(id) => (delete(index, &open, id)?, "delete", id),
        };
        let options = by.commit_options(summary);
        let board_change = crate::event_board::append(board, self.board_schema, events, options)?;
        let summary = format!("{} {verb} {id}", self.summary);
        let index_change = apply(index, &open, edit.as_slice(), &summary, by)?;
        Ok(Written {
            board: board_change,
            index: index_change,
        })
    }

    /// Make the index agree with a board of `period` whose records are
    /// `records` (id, open?), as at most one change by `by`
    /// ([`reconcile_edits`]). Returns whether the index changed.
    pub(crate) fn reconcile(
        &self,
        index: &mut Automerge,
        period: &str,
        records: impl IntoIterator<Item = (String, bool)>,
        by: &Attribution,
    ) -> Result<bool, ModelError> {
        let open = self.open_map(index)?;
        let edits = reconcile_edits(index, &open, period, records)?;
        let summary = format!("{} reconcile {period}", self.summary);
        Ok(apply(index, &open, &edits, &summary, by)?.is_some())
    }

    /// Every (id, period) the index lists whose period `valid` accepts
    /// ([`entries`]).
    pub(crate) fn entries(
        &self,
        index: &Automerge,
        valid: impl Fn(&str) -> bool,
    ) -> Result<Vec<(String, String)>, ModelError> {
        entries(index, &self.open_map(index)?, valid)
    }

    /// The periods whose boards a device loads ([`periods_to_load`]).
    pub(crate) fn periods_to_load(
        &self,
        index: &Automerge,
        current: &str,
        valid: impl Fn(&str) -> bool,
    ) -> Result<Vec<String>, ModelError> {
        periods_to_load(index, &self.open_map(index)?, current, valid)
    }
}

/// A site index's first change for `site`, identical on every device.
pub(crate) fn genesis(schema: &str, site: &str) -> Result<Automerge, ModelError> {
    crate::genesis::build(&Root {
        schema,
        identity: &[("site", site)],
        containers: &[("open", Container::Map)],
    })
}

/// The index's `open` map, after checking the schema.
pub(crate) fn open_map(index: &Automerge, schema: &str) -> Result<ObjId, ModelError> {
    crate::genesis::schema_container(index, schema, "open", ObjType::Map)
}

/// The string values the index holds for `id` (several after concurrent
/// puts).
pub(crate) fn values(index: &Automerge, map: &ObjId, id: &str) -> Result<Vec<String>, ModelError> {
    Ok(index
        .get_all(map, id)?
        .into_iter()
        .filter_map(|(v, _)| match v {
            Value::Scalar(s) => match s.as_ref() {
                ScalarValue::Str(s) => Some(s.to_string()),
                _ => None,
            },
            Value::Object(_) => None,
        })
        .collect())
}

/// One edit of the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Edit {
    /// Point `id` at a period.
    Put(String, String),
    /// Remove `id`.
    Delete(String),
}

/// The edit that makes `id` map to exactly `period`, if it does not yet.
pub(crate) fn put(
    index: &Automerge,
    map: &ObjId,
    id: &str,
    period: &str,
) -> Result<Option<Edit>, ModelError> {
    let strings = values(index, map, id)?;
    let exact = !strings.is_empty() && strings.iter().all(|v| v == period);
    let only_strings = index.get_all(map, id)?.len() == strings.len();
    Ok((!(exact && only_strings)).then(|| Edit::Put(id.to_owned(), period.to_owned())))
}

/// The edit that removes `id`, if the index holds it.
pub(crate) fn delete(index: &Automerge, map: &ObjId, id: &str) -> Result<Option<Edit>, ModelError> {
    Ok(index
        .get(map, id)?
        .is_some()
        .then(|| Edit::Delete(id.to_owned())))
}

/// The edits that make the index agree with a board of `period` whose
/// records are `records` (id, open?): open ones put with `period`, closed
/// ones removed where the index points them at `period`; ids the board
/// does not list are left alone.
pub(crate) fn reconcile_edits(
    index: &Automerge,
    map: &ObjId,
    period: &str,
    records: impl IntoIterator<Item = (String, bool)>,
) -> Result<Vec<Edit>, ModelError> {
    let mut edits = Vec::new();
    for (id, is_open) in records {
        if is_open {
            edits.extend(put(index, map, &id, period)?);
        } else if values(index, map, &id)?.iter().any(|p| p == period) {
            edits.push(Edit::Delete(id));
        }
    }
    Ok(edits)
}

/// Apply `edits` to the map as one change by `by`; `None` when there are
/// none.
pub(crate) fn apply(
    index: &mut Automerge,
    map: &ObjId,
    edits: &[Edit],
    summary: &str,
    by: &Attribution,
) -> Result<Option<ChangeHash>, ModelError> {
    if edits.is_empty() {
        return Ok(None);
    }
    crate::write::commit(index.transact_with(
        |_| by.commit_options(summary),
        |tx| -> Result<(), ModelError> {
            for edit in edits {
                match edit {
                    Edit::Put(id, period) => tx.put(map, id.as_str(), period.as_str())?,
                    Edit::Delete(id) => tx.delete(map, id.as_str())?,
                }
            }
            Ok(())
        },
    ))
    .map(Some)
}

/// Every (id, period) the map lists whose period `valid` accepts, sorted;
/// an id with concurrent different periods is listed once per period.
pub(crate) fn entries(
    index: &Automerge,
    map: &ObjId,
    valid: impl Fn(&str) -> bool,
) -> Result<Vec<(String, String)>, ModelError> {
    let mut out = BTreeSet::new();
    for id in index.keys(map) {
        for period in values(index, map, &id)? {
            if valid(&period) {
                out.insert((id.clone(), period));
            }
        }
    }
    Ok(out.into_iter().collect())
}

/// The periods whose boards a device loads to show every open record:
/// `current` and every period in the index that `valid` accepts, oldest
/// first, each once. The caller checks `current`.
pub(crate) fn periods_to_load(
    index: &Automerge,
    map: &ObjId,
    current: &str,
    valid: impl Fn(&str) -> bool,
) -> Result<Vec<String>, ModelError> {
    let mut periods: BTreeSet<String> = entries(index, map, valid)?
        .into_iter()
        .map(|(_, period)| period)
        .collect();
    periods.insert(current.to_owned());
    Ok(periods.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roster::Role;

    fn by(at_ms: i64) -> Attribution {
        Attribution {
            person_id: "p1".into(),
            person: "张伟".into(),
            role: Role::Staff,
            device: "tablet-1".into(),
            at_ms,
        }
    }

    const SCHEMA: &str = "shiftbook/test-open/1";

    const BOARDS: Family = Family {
        board_schema: "shiftbook/test-board/1",
        index_schema: SCHEMA,
        summary: "test-open",
        period: "month",
        owner: &["site"],
    };

    #[derive(Debug, Clone, PartialEq, Reconcile, autosurgeon::Hydrate)]
    struct Event {
        id: String,
    }

    fn board(site: &str, month: &str) -> Automerge {
        crate::genesis::build(&Root {
            schema: BOARDS.board_schema,
            identity: &[("site", site), ("month", month)],
            containers: &[("events", Container::List)],
        })
        .unwrap()
    }

    fn event(id: &str) -> Event {
        Event { id: id.to_owned() }
    }

    fn last_summary(doc: &Automerge) -> String {
        crate::attribution::history(doc).pop().unwrap().summary
    }

    #[test]
    fn a_family_checks_its_pairs_and_writes_the_board_then_the_index() {
        let (mut b, mut index) = (board("demo", "2026-11"), genesis(SCHEMA, "demo").unwrap());
        let mismatch = |b: String, i: String| ModelError::Corrupt(format!("{b} vs {i}"));
        assert_eq!(BOARDS.check_pair(&b, &index, mismatch).unwrap(), "2026-11");
        let other_site = genesis(SCHEMA, "elsewhere").unwrap();
        assert!(matches!(
            BOARDS.check_pair(&b, &other_site, mismatch),
            Err(ModelError::Corrupt(m)) if m == "demo vs elsewhere"
        ));
        assert!(matches!(
            BOARDS.check_pair(&index, &index, mismatch),
            Err(ModelError::WrongSchema(_))
        ));

        let written = BOARDS
            .write(
                &mut b,
                &mut index,
                &[event("a")],
                "test open a",
                Mark::Open("a", "2026-11"),
                &by(1_000),
            )
            .unwrap();
        assert_eq!(b.get_heads(), vec![written.board]);
        assert_eq!(index.get_heads(), vec![written.index.unwrap()]);
        assert_eq!(last_summary(&b), "test open a");
        assert_eq!(last_summary(&index), "test-open put a");
        let events: Vec<Event> = crate::event_board::events(&b, BOARDS.board_schema).unwrap();
        assert_eq!(events, vec![event("a")]);
        let month = crate::free_text::is_month;
        assert_eq!(
            BOARDS.entries(&index, month).unwrap(),
            vec![("a".to_owned(), "2026-11".to_owned())]
        );
        // The index already says so: only the board changes.
        let again = BOARDS
            .write(
                &mut b,
                &mut index,
                &[event("a")],
                "test note a",
                Mark::Open("a", "2026-11"),
                &by(2_000),
            )
            .unwrap();
        assert_eq!(again.index, None);
        // A refused board write changes neither document.
        let heads = (b.get_heads(), index.get_heads());
        assert!(matches!(
            BOARDS.write::<Event>(
                &mut b,
                &mut index,
                &[],
                "none",
                Mark::Closed("a"),
                &by(3_000)
            ),
            Err(ModelError::EmptyChange)
        ));
        assert_eq!((b.get_heads(), index.get_heads()), heads);
        let closed = BOARDS
            .write(
                &mut b,
                &mut index,
                &[event("a")],
                "test close a",
                Mark::Closed("a"),
                &by(4_000),
            )
            .unwrap();
        assert!(closed.index.is_some());
        assert_eq!(last_summary(&index), "test-open delete a");
        assert!(BOARDS.entries(&index, month).unwrap().is_empty());
        assert_eq!(
            BOARDS.periods_to_load(&index, "2026-12", month).unwrap(),
            vec!["2026-12"]
        );

        // Repair: the board shows b open; once put, nothing more to do.
        let records = || [("b".to_owned(), true), ("a".to_owned(), false)];
        assert!(
            BOARDS
                .reconcile(&mut index, "2026-11", records(), &by(5_000))
                .unwrap()
        );
        assert_eq!(last_summary(&index), "test-open reconcile 2026-11");
        assert!(
            !BOARDS
                .reconcile(&mut index, "2026-11", records(), &by(6_000))
                .unwrap()
        );
        assert_eq!(
            BOARDS.periods_to_load(&index, "2026-12", month).unwrap(),
            vec!["2026-11", "2026-12"]
        );
    }

    #[test]
    fn puts_deletes_and_reconciles_leave_only_scalars_and_skip_other_periods() {
        let mut index = genesis(SCHEMA, "demo").unwrap();
        assert_eq!(BOARDS.owner_of(&index).unwrap(), "demo");
        assert!(open_map(&index, "shiftbook/other/1").is_err());
        let map = open_map(&index, SCHEMA).unwrap();
        let edits: Vec<Edit> = [
            put(&index, &map, "a", "2026-10").unwrap(),
            put(&index, &map, "b", "2026-11").unwrap(),
            put(&index, &map, "junk", "not a month").unwrap(),
        ]
        .into_iter()
        .flatten()
        .collect();
        assert_eq!(edits.len(), 3);
        apply(&mut index, &map, &edits, "put", &by(1_000))
            .unwrap()
            .unwrap();
        assert_eq!(put(&index, &map, "a", "2026-10").unwrap(), None);
        assert_eq!(delete(&index, &map, "zzz").unwrap(), None);
        assert_eq!(
            apply(&mut index, &map, &[], "none", &by(2_000)).unwrap(),
            None
        );
        let month = crate::free_text::is_month;
        assert_eq!(
            entries(&index, &map, month).unwrap(),
            vec![
                ("a".to_owned(), "2026-10".to_owned()),
                ("b".to_owned(), "2026-11".to_owned())
            ]
        );
        assert_eq!(
            periods_to_load(&index, &map, "2026-12", month).unwrap(),
            vec!["2026-10", "2026-11", "2026-12"]
        );
        // A board of 2026-11 showing b closed and c open; a is another
        // month's and stays.
        let fix = reconcile_edits(
            &index,
            &map,
            "2026-11",
            [("b".to_owned(), false), ("c".to_owned(), true)],
        )
        .unwrap();
        assert_eq!(
            fix,
            vec![
                Edit::Delete("b".into()),
                Edit::Put("c".into(), "2026-11".into())
            ]
        );
        apply(&mut index, &map, &fix, "reconcile", &by(3_000))
            .unwrap()
            .unwrap();
        assert_eq!(
            entries(&index, &map, month).unwrap(),
            vec![
                ("a".to_owned(), "2026-10".to_owned()),
                ("c".to_owned(), "2026-11".to_owned())
            ]
        );
        // A closed record the index points at another month is left.
        assert!(
            reconcile_edits(&index, &map, "2026-11", [("a".to_owned(), false)])
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn site_indexes_of_every_family_have_the_same_first_change_as_before() {
        // Documents made before the families shared this genesis must
        // keep one root: the first change is byte-equal.
        for (schema, doc) in [
            (
                crate::followup::INDEX_SCHEMA,
                crate::followup::index_genesis("demo").unwrap(),
            ),
            (
                crate::visitor_log::INDEX_SCHEMA,
                crate::visitor_log::index_genesis("demo").unwrap(),
            ),
            (
                crate::complaint::INDEX_SCHEMA,
                crate::complaint::index_genesis("demo").unwrap(),
            ),
        ] {
            let shared = genesis(schema, "demo").unwrap();
            assert_eq!(doc.get_heads(), shared.get_heads(), "{schema}");
            assert_eq!(doc.save(), shared.save(), "{schema}");
        }
    }
}
