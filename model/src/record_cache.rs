//! Records already read, kept between reads of the same document so that
//! reading a list costs what changed, not what the list holds.
//!
//! Every list of records ([`crate::readable::maps`]) grows by appending a
//! new map per record; a record's map is written once. Reading a record
//! costs an automerge lookup per field, so a busy day's visitor log (256
//! visits, ≈ 750 events) takes tens of milliseconds natively to read
//! whole, and a tap that adds one event would pay that again. A
//! [`RecordCache`] keeps each record read, by the automerge id of its map,
//! and hands it back on the next read of the same document, after
//! forgetting every record the document's new changes touched: should any
//! change ever write into a record's map (or a map inside it), that record
//! is read afresh, so what the cache returns is always what a fresh read
//! returns.
//!
//! A cache belongs to one document; the caller keeps one per document and
//! opens it around the read ([`reading`]). Reads outside a [`reading`]
//! scope, and reads of another document inside one, read everything as
//! before.

use crate::attribution::ChangeInfo;
use automerge::{Automerge, ChangeHash, ObjId, ReadDoc};
use std::any::{Any, TypeId};
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

/// Above this many operations in the changes since the last read, the
/// cache starts over rather than working out what they touched.
const MAX_OPS_TO_FOLLOW: usize = 5_000;

/// The records read from one document, as of its heads then.
#[derive(Default)]
pub struct RecordCache {
    heads: Vec<ChangeHash>,
    /// (type read as, automerge id of the record's map) → the record
    /// (`Option<T>`: `None` for one a newer build wrote).
    records: HashMap<(TypeId, ObjId), Rc<dyn Any>>,
    /// The document's attributed history as last read, with the heads it
    /// covers ([`history`]).
    history: Option<(Vec<ChangeHash>, Vec<ChangeInfo>)>,
}

impl RecordCache {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many records it holds.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Bring the cache to `doc`'s heads: forget every record a change
    /// since the last read wrote into (at any depth), or everything when
    /// that cannot be told cheaply.
    fn catch_up(&mut self, doc: &Automerge) {
        let heads = doc.get_heads();
        if heads == self.heads {
            return;
        }
        let known = crate::heads::absent(doc, &self.heads).is_empty();
        if self.records.is_empty() || !known {
            self.records.clear();
            self.heads = heads;
            return;
        }
        let changes = doc.get_changes(&self.heads);
        let mut ops = 0;
        let mut touched: HashSet<ObjId> = HashSet::new();
        for change in &changes {
            ops += change.len();
            if ops > MAX_OPS_TO_FOLLOW {
                self.records.clear();
                self.heads = heads;
                return;
            }
            for op in change.decode().operations {
                if let automerge::legacy::ObjectId::Id(id) = op.obj {
                    touched.insert(ObjId::Id(id.0, id.1, usize::MAX));
                }
            }
        }
        let mut stale: HashSet<ObjId> = HashSet::new();
        for obj in touched {
            let Ok(parents) = doc.parents(&obj) else {
                // Not an object of this document: nothing cached is in it.
                continue;
            };
            stale.extend(parents.map(|p| p.obj));
            stale.insert(obj);
        }
        self.records.retain(|(_, id), _| !stale.contains(id));
        self.heads = heads;
    }
}

/// One open cache: the document it belongs to (by address, for the
/// duration of the read) and the cache.
struct Open {
    doc: *const Automerge,
    cache: RecordCache,
}

thread_local! {
    static OPEN: RefCell<Vec<Open>> = const { RefCell::new(Vec::new()) };
}

/// Run `f` with `cache` open for reads of `doc`: the records of `doc`'s
/// lists that `f` reads come from the cache where it holds them, and the
/// others go into it.
pub fn reading<R>(cache: &mut RecordCache, doc: &Automerge, f: impl FnOnce() -> R) -> R {
    let _open = open(cache, doc);
    f()
}

/// An open cache ([`open`]), given back to its owner when dropped.
pub struct Reading<'a> {
    cache: &'a mut RecordCache,
    doc: *const Automerge,
}

impl Drop for Reading<'_> {
    fn drop(&mut self) {
        let open = OPEN.with(|o| {
            let mut o = o.borrow_mut();
            let at = o.iter().rposition(|x| x.doc == self.doc)?;
            Some(o.remove(at))
        });
        if let Some(open) = open {
            *self.cache = open.cache;
        }
    }
}

/// Open `cache` for reads of `doc` until the returned guard drops
/// ([`reading`] around one read; this for several documents at once).
#[inline(never)]
pub fn open<'a>(cache: &'a mut RecordCache, doc: &Automerge) -> Reading<'a> {
    cache.catch_up(doc);
    let doc: *const Automerge = doc;
    OPEN.with(|o| {
        o.borrow_mut().push(Open {
            doc,
            cache: std::mem::take(cache),
        })
    });
    Reading { cache, doc }
}

/// What the open caches hold for a key.
enum Lookup {
    /// No cache is open for the document.
    NoCache,
    /// The cache does not hold it.
    Miss,
    /// The kept value.
    Hit(Rc<dyn Any>),
}

/// Look `key` up in the open cache of `doc` (not generic: every type of
/// record read shares it).
#[inline(never)]
fn lookup(doc: *const Automerge, key: &(TypeId, ObjId)) -> Lookup {
    OPEN.with(|o| match o.borrow().iter().rev().find(|x| x.doc == doc) {
        None => Lookup::NoCache,
        Some(x) => x
            .cache
            .records
            .get(key)
            .map_or(Lookup::Miss, |v| Lookup::Hit(v.clone())),
    })
}

/// Keep `value` under `key` in the open cache of `doc`.
#[inline(never)]
fn keep(doc: *const Automerge, key: (TypeId, ObjId), value: Rc<dyn Any>) {
    OPEN.with(|o| {
        if let Some(x) = o.borrow_mut().iter_mut().rev().find(|x| x.doc == doc) {
            x.cache.records.insert(key, value);
        }
    });
}

/// `doc`'s attributed history from the open cache of `doc`, brought up to
/// date by `since` (the changes not in the causal past of the heads it
/// is given); `None` when no cache is open for `doc`. A round's page and
/// its receipts read the history on every change, and a day's round
/// holds hundreds of changes: kept, each change's message is parsed once.
/// The same changes as a fresh read, in a causal order (after a merge of
/// concurrent branches, perhaps another causal order than a fresh read's).
pub(crate) fn history(
    doc: &Automerge,
    since: impl FnOnce(&[ChangeHash]) -> Vec<ChangeInfo>,
) -> Option<Vec<ChangeInfo>> {
    let at: *const Automerge = doc;
    OPEN.with(|o| {
        let mut o = o.borrow_mut();
        let open = o.iter_mut().rev().find(|x| x.doc == at)?;
        let heads = doc.get_heads();
        let kept = open
            .cache
            .history
            .take()
            .filter(|(kept_heads, _)| crate::heads::absent(doc, kept_heads).is_empty());
        let changes = match kept {
            Some((kept_heads, changes)) if kept_heads == heads => changes,
            Some((kept_heads, mut changes)) => {
                changes.extend(since(&kept_heads));
                changes
            }
            None => since(&[]),
        };
        open.cache.history = Some((heads, changes.clone()));
        Some(changes)
    })
}

/// The record of map `id` of `doc` read as `T`, from the open cache of
/// `doc` if there is one; `read` reads it otherwise (and the result is
/// kept when a cache is open).
pub(crate) fn record<T: Clone + 'static, E>(
    doc: &Automerge,
    id: &ObjId,
    read: impl FnOnce() -> Result<Option<T>, E>,
) -> Result<Option<T>, E> {
    let key = (TypeId::of::<T>(), id.clone());
    let doc: *const Automerge = doc;
    match lookup(doc, &key) {
        Lookup::NoCache => read(),
        Lookup::Hit(hit) => match hit.downcast_ref::<Option<T>>() {
            Some(t) => Ok(t.clone()),
            None => read(),
        },
        Lookup::Miss => {
            let value = read()?;
            keep(doc, key, Rc::new(value.clone()));
            Ok(value)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::duty_log::{self, Draft, DutyLog, EventType, Record};
    use crate::test_support::{on_tablet, staff};
    use automerge::transaction::Transactable;
    use automerge::{ObjType, ROOT, Value};

    const DATE: &str = "2026-11-25";

    fn day() -> Automerge {
        on_tablet(duty_log::genesis("demo", DATE).unwrap(), 1)
    }

    fn record(doc: &mut Automerge, n: u8) {
        let draft = Draft {
            id: format!("entry-{n}"),
            occurred: format!("{DATE} 09:{n:02}"),
            post: "lobby".into(),
            kind: EventType::ALL[0],
            event: format!("事件 {n}"),
            action: String::new(),
            result: String::new(),
        };
        duty_log::record(doc, &draft, &staff(1, 1_000 + i64::from(n))).unwrap();
    }

    fn records(doc: &Automerge) -> Vec<(String, Record)> {
        DutyLog::new(doc).unwrap().records().unwrap()
    }

    /// The records read through `cache`, and what it holds afterwards.
    fn cached(cache: &mut RecordCache, doc: &Automerge) -> (Vec<(String, Record)>, usize) {
        let read = reading(cache, doc, || records(doc));
        (read, cache.len())
    }

    /// The automerge id of the `i`th record's map.
    fn record_map(doc: &Automerge, i: usize) -> ObjId {
        let Some((Value::Object(ObjType::List), list)) = doc.get(ROOT, "entries").unwrap() else {
            panic!("no entries list");
        };
        crate::readable::list_maps(doc, &list)[i].clone()
    }

    #[test]
    fn a_cached_read_is_a_fresh_read_and_reads_only_what_is_new() {
        let mut doc = day();
        for n in 0..3 {
            record(&mut doc, n);
        }
        let mut cache = RecordCache::new();
        assert_eq!(cached(&mut cache, &doc), (records(&doc), 3));
        record(&mut doc, 3);
        // A record read once is handed back, not read again: the key of a
        // kept one is replaced by a marker to see which were read.
        let first = record_map(&doc, 0);
        let key = (TypeId::of::<Record>(), first.clone());
        let mut marked = records(&doc)[0].1.clone();
        marked.event = "kept".into();
        cache.records.insert(key.clone(), Rc::new(Some(marked)));
        let (read, held) = cached(&mut cache, &doc);
        assert_eq!(held, 4);
        assert_eq!(
            read[0].1.event, "kept",
            "the first record came from the cache"
        );
        assert_eq!(read[1..], records(&doc)[1..], "the others read the same");
        assert_eq!(read.len(), 4, "the new record is read");
    }

    #[test]
    fn a_change_inside_a_kept_record_is_read_afresh_at_any_depth() {
        let mut doc = day();
        for n in 0..3 {
            record(&mut doc, n);
        }
        let mut cache = RecordCache::new();
        cached(&mut cache, &doc);
        // Not something this crate writes, but any client could.
        let second = record_map(&doc, 1);
        doc.transact::<_, _, automerge::AutomergeError>(|tx| {
            tx.put(&second, "event", "改过的事件")?;
            Ok(())
        })
        .unwrap();
        let (read, _) = cached(&mut cache, &doc);
        assert_eq!(read, records(&doc));
        assert_eq!(read[1].1.event, "改过的事件");

        let third = record_map(&doc, 2);
        let Some((Value::Object(ObjType::Map), by)) = doc.get(&third, "by").unwrap() else {
            panic!("no by map");
        };
        doc.transact::<_, _, automerge::AutomergeError>(|tx| {
            tx.put(&by, "person", "别人")?;
            Ok(())
        })
        .unwrap();
        let (read, _) = cached(&mut cache, &doc);
        assert_eq!(read, records(&doc));
        assert_eq!(read[2].1.by.person, "别人");
    }

    #[test]
    fn another_document_neither_reads_from_nor_fills_the_cache() {
        let mut doc = day();
        record(&mut doc, 0);
        let mut other = day();
        record(&mut other, 1);
        record(&mut other, 2);
        let mut cache = RecordCache::new();
        let (mine, theirs) = reading(&mut cache, &doc, || (records(&doc), records(&other)));
        assert_eq!((mine, theirs), (records(&doc), records(&other)));
        assert_eq!(cache.len(), 1, "only the document the cache belongs to");
        // A different document under the same cache (its heads unknown to
        // it) starts the cache over.
        let (read, held) = cached(&mut cache, &other);
        assert_eq!((read, held), (records(&other), 2));
    }

    #[test]
    fn reads_outside_a_scope_keep_nothing() {
        let mut doc = day();
        record(&mut doc, 0);
        let cache = RecordCache::new();
        assert_eq!(records(&doc).len(), 1);
        assert!(cache.is_empty());
        assert!(OPEN.with(|o| o.borrow().is_empty()));
    }

    fn history_in(cache: &mut RecordCache, doc: &Automerge) -> Vec<ChangeInfo> {
        reading(cache, doc, || crate::attribution::history(doc))
    }

    #[test]
    fn a_kept_history_parses_only_new_changes_and_reads_as_a_fresh_one() {
        let mut doc = day();
        record(&mut doc, 0);
        let mut cache = RecordCache::new();
        assert_eq!(
            history_in(&mut cache, &doc),
            crate::attribution::history(&doc)
        );
        // What is kept is handed back: a marker in the kept copy shows.
        if let Some((_, changes)) = cache.history.as_mut() {
            changes[0].summary = "kept".into();
        }
        record(&mut doc, 1);
        let read = history_in(&mut cache, &doc);
        assert_eq!(
            read[0].summary, "kept",
            "the old change was not parsed again"
        );
        assert_eq!(read[1..], crate::attribution::history(&doc)[1..]);
        assert_eq!(read.len(), crate::attribution::history(&doc).len());
    }

    #[test]
    fn a_kept_history_follows_a_merge_and_a_document_it_does_not_know() {
        let mut doc = day();
        record(&mut doc, 0);
        let mut cache = RecordCache::new();
        history_in(&mut cache, &doc);
        let mut other = on_tablet(doc.fork(), 2);
        record(&mut other, 1);
        record(&mut doc, 2);
        doc.merge(&mut other).unwrap();
        let read = history_in(&mut cache, &doc);
        let fresh = crate::attribution::history(&doc);
        let hashes = |c: &[ChangeInfo]| c.iter().map(|c| c.hash.clone()).collect::<HashSet<_>>();
        assert_eq!(hashes(&read), hashes(&fresh));
        assert_eq!(read.len(), fresh.len());
        // Causal order: each change after every change it depends on.
        let at: HashMap<String, usize> = read
            .iter()
            .enumerate()
            .map(|(i, c)| (c.hash.clone(), i))
            .collect();
        for change in doc.get_changes(&[]) {
            for dep in change.deps() {
                assert!(at[&dep.to_string()] < at[&change.hash().to_string()]);
            }
        }
        // Another document under the same cache is read afresh.
        let mut unrelated = day();
        record(&mut unrelated, 5);
        assert_eq!(
            history_in(&mut cache, &unrelated),
            crate::attribution::history(&unrelated)
        );
    }
}
