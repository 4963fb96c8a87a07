//! Event boards: documents whose records are events appended to one
//! `events` list that genesis made — follow-ups', complaints', permits' and
//! pending items' monthly boards, the owner-visit month, a hand-over book's
//! day, the visitor log's day, the key register, the security log.
//!
//! ```text
//! ROOT
//! ├── schema  "<the family's schema tag>"
//! ├── site, month | date (, book …)       ← written once, by genesis
//! └── events  [ event, … ]                append-only, one fresh map each
//! ```
//!
//! The one way those families find the list, read their identity fields
//! and events, append events as one attributed change
//! ([`crate::write::append_all`]) and group events by the record they
//! belong to. What an event means and how a record's state follows from
//! its events stay with each family.

use crate::ModelError;
use automerge::transaction::CommitOptions;
use automerge::{Automerge, ChangeHash, ObjId, ObjType, ROOT};
use autosurgeon::{Hydrate, Reconcile, hydrate_prop};
use std::collections::BTreeMap;

/// The first change of a monthly board that holds only its `events` list
/// (follow-ups, complaints, work permits), identical on every device. The
/// family has checked `month` (each refuses a bad one in its own words).
pub(crate) fn monthly_genesis(
    schema: &'static str,
    site: &str,
    month: &str,
) -> Result<Automerge, ModelError> {
    crate::genesis::build(&crate::genesis::Root {
        schema,
        identity: &[("site", site), ("month", month)],
        containers: &[("events", crate::genesis::Container::List)],
    })
}

/// The board's `events` list, after checking it is of the kind tagged
/// `schema`.
pub(crate) fn list(board: &Automerge, schema: &str) -> Result<ObjId, ModelError> {
    crate::genesis::schema_container(board, schema, "events", ObjType::List)
}

/// A text field genesis wrote at the board's root (`site`, `month`,
/// `date`, `book`), after checking the schema.
pub(crate) fn field(board: &Automerge, schema: &str, key: &str) -> Result<String, ModelError> {
    crate::genesis::expect_schema(board, schema)?;
    Ok(hydrate_prop(board, ROOT, key)?)
}

/// Every event of the board, in list order (the same on every replica),
/// after checking the schema and the list.
pub(crate) fn events<E: Hydrate + Clone + 'static>(
    board: &Automerge,
    schema: &str,
) -> Result<Vec<E>, ModelError> {
    list(board, schema)?;
    crate::readable::at_root(board, "events")
}

/// Append `events` to the board as one change with `options` (an
/// attributed commit, [`crate::attribution::Attribution::commit_options`]),
/// and return its hash. Nothing is written when the board is not of
/// `schema`, when an event fails, or when `events` is empty
/// ([`ModelError::EmptyChange`]).
pub(crate) fn append<E: Reconcile>(
    board: &mut Automerge,
    schema: &str,
    events: &[E],
    options: CommitOptions,
) -> Result<ChangeHash, ModelError> {
    let list = list(board, schema)?;
    crate::write::append_all(board, &list, events, options)
}

/// `events` grouped by the record each belongs to (`record`), records
/// sorted by id, each record's events in the order given (list order).
pub(crate) fn by_record<E>(
    events: impl IntoIterator<Item = E>,
    record: impl Fn(&E) -> &str,
) -> BTreeMap<String, Vec<E>> {
    let mut out: BTreeMap<String, Vec<E>> = BTreeMap::new();
    for event in events {
        out.entry(record(&event).to_owned())
            .or_default()
            .push(event);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::genesis::{Container, Root};
    use crate::test_support::staff;

    const SCHEMA: &str = "shiftbook/test-board/1";

    #[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
    struct Event {
        record: String,
        text: String,
    }

    fn board() -> Automerge {
        crate::genesis::build(&Root {
            schema: SCHEMA,
            identity: &[("site", "demo")],
            containers: &[("events", Container::List)],
        })
        .unwrap()
    }

    fn event(record: &str, text: &str) -> Event {
        Event {
            record: record.to_owned(),
            text: text.to_owned(),
        }
    }

    #[test]
    fn appends_read_back_in_order_and_group_by_record() {
        let mut doc = board();
        assert_eq!(field(&doc, SCHEMA, "site").unwrap(), "demo");
        let events = [event("b", "1"), event("a", "2"), event("b", "3")];
        let hash = append(
            &mut doc,
            SCHEMA,
            &events,
            staff(1, 5_000).commit_options("test 3"),
        )
        .unwrap();
        assert_eq!(doc.get_heads(), vec![hash], "one change");
        let read: Vec<Event> = super::events(&doc, SCHEMA).unwrap();
        assert_eq!(read, events.to_vec());
        let grouped = by_record(read, |e| &e.record);
        assert_eq!(grouped.keys().collect::<Vec<_>>(), vec!["a", "b"]);
        assert_eq!(grouped["b"], vec![event("b", "1"), event("b", "3")]);
        let history = crate::attribution::history(&doc);
        assert_eq!(history.last().unwrap().summary, "test 3");
    }

    #[test]
    fn other_kinds_and_empty_appends_change_nothing() {
        let mut doc = board();
        let heads = doc.get_heads();
        assert!(matches!(
            append(
                &mut doc,
                "shiftbook/other/1",
                &[event("a", "x")],
                staff(1, 1).commit_options("x")
            ),
            Err(ModelError::WrongSchema(_))
        ));
        assert!(matches!(
            append::<Event>(&mut doc, SCHEMA, &[], staff(1, 1).commit_options("x")),
            Err(ModelError::EmptyChange)
        ));
        assert!(events::<Event>(&doc, "shiftbook/other/1").is_err());
        assert!(field(&doc, "shiftbook/other/1", "site").is_err());
        assert_eq!(doc.get_heads(), heads);
    }
}
