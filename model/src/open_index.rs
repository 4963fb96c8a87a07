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

use crate::ModelError;
use crate::attribution::Attribution;
use automerge::transaction::Transactable;
use automerge::{Automerge, ChangeHash, ObjId, ObjType, ROOT, ReadDoc, ScalarValue, Value};
use autosurgeon::{Reconcile, hydrate_prop};
use std::collections::{BTreeMap, BTreeSet};

/// The fields a site index's genesis writes (families with more owner
/// fields, like a hand-over book's, write their own).
#[derive(Debug, Clone, Reconcile)]
struct Genesis {
    schema: String,
    site: String,
    open: BTreeMap<String, String>,
}

/// A site index's first change for `site`, identical on every device.
pub(crate) fn genesis(schema: &str, site: &str) -> Result<Automerge, ModelError> {
    crate::genesis::build(&Genesis {
        schema: schema.to_owned(),
        site: site.to_owned(),
        open: BTreeMap::new(),
    })
}

/// The index's `open` map, after checking the schema.
pub(crate) fn open_map(index: &Automerge, schema: &str) -> Result<ObjId, ModelError> {
    crate::genesis::schema_container(index, schema, "open", ObjType::Map)
}

/// The site the index belongs to, after checking the schema and `open`.
pub(crate) fn site(index: &Automerge, schema: &str) -> Result<String, ModelError> {
    open_map(index, schema)?;
    Ok(hydrate_prop(index, ROOT, "site")?)
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

    #[test]
    fn puts_deletes_and_reconciles_leave_only_scalars_and_skip_other_periods() {
        let mut index = genesis(SCHEMA, "demo").unwrap();
        assert_eq!(site(&index, SCHEMA).unwrap(), "demo");
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
