//! Structure-aware mutation of a real document through automerge's own
//! API, driven by fuzz bytes: what a buggy or hostile peer's changes can
//! do to a document that every tablet then reads.
//!
//! A program is a sequence of steps. Each step is one change (a
//! transaction of up to four edits, committed with an odd message, time or
//! actor) or two concurrent changes merged (so values conflict), the other
//! replica's last change possibly rewritten as a hostile peer would write
//! it (any time, sequence number, message; [`rewrite_last`]) and applied
//! if the client's receive budget lets it through, as on a tablet. An edit
//! walks from the root into a random nested object and there puts a
//! scalar of any type (a dictionary word, an odd string, an edge-case
//! number), replaces a value by an object of another kind, deletes a key,
//! inserts, deletes or duplicates list items, copies a value to another
//! place (an event twice, a field under another name), splices odd
//! characters into a text, or increments a counter.

use crate::targets::values::Choices;
use automerge::transaction::{CommitOptions, Transactable, Transaction};
use automerge::{ActorId, Automerge, ObjId, ObjType, Prop, ROOT, ReadDoc, ScalarValue, Value};
use shiftbook_model::chunk_budget;
use shiftbook_model::client::RECEIVE_BUDGET;

/// Most steps one program runs.
const MAX_STEPS: usize = 12;
/// Most edits in one change.
const MAX_EDITS: u32 = 4;
/// Deepest path an edit walks.
const MAX_DEPTH: usize = 8;
/// Largest subtree a copy writes (nodes).
const MAX_COPY: usize = 64;

/// Apply the program read from `c` to `doc`.
pub fn apply(doc: &mut Automerge, c: &mut Choices<'_>) {
    for _ in 0..MAX_STEPS {
        if c.is_empty() {
            return;
        }
        match c.int(0, 7) {
            // Two replicas change concurrently, then merge.
            0 => {
                let before = doc.get_heads();
                let mut other = doc.fork();
                change(&mut other, c);
                change(doc, c);
                let mut theirs: Vec<automerge::Change> = other.get_changes(&before);
                if c.chance(1, 2) {
                    rewrite_last(&mut theirs, c);
                }
                // A tablet applies a peer's changes only as its client
                // receives them: counted against its budget first (which
                // refuses times automerge panics on).
                let bytes: Vec<u8> = theirs
                    .iter()
                    .flat_map(|ch| ch.raw_bytes().to_vec())
                    .collect();
                if chunk_budget::count(&bytes, &RECEIVE_BUDGET).is_ok() {
                    let _ = doc.apply_changes(theirs);
                }
            }
            // A change by an actor chosen by the input (the genesis
            // actor, which only genesis may use, among them).
            1 => {
                let actor = match c.int(0, 2) {
                    0 => ActorId::from(b"shiftbook-genesis".to_vec()),
                    1 => ActorId::from(vec![c.byte(); 16]),
                    _ => ActorId::from(c.bytes(20)),
                };
                doc.set_actor(actor);
                change(doc, c);
            }
            _ => change(doc, c),
        }
    }
}

/// One change of up to [`MAX_EDITS`] edits, committed with odd options.
fn change(doc: &mut Automerge, c: &mut Choices<'_>) {
    let edits = c.int(1, MAX_EDITS);
    let options = commit_options(c);
    let mut tx = doc.transaction();
    for _ in 0..edits {
        edit(&mut tx, c);
    }
    let _ = tx.commit_with(options);
}

fn commit_options(c: &mut Choices<'_>) -> CommitOptions {
    let mut options = CommitOptions::default();
    match c.int(0, 3) {
        0 => {}
        1 => options = options.with_message(c.string()),
        _ => {
            let role = ["staff", "leader", "supervisor", "admin", ""][c.below(5)];
            let json = format!(
                "shiftbook:{{\"person_id\":{:?},\"person\":{:?},\"role\":{role:?},\"device\":{:?},\"at_ms\":{},\"summary\":{:?}}}",
                c.string(),
                c.string(),
                c.string(),
                c.i64(),
                c.string()
            );
            options = options.with_message(json);
        }
    }
    if c.chance(1, 2) {
        // A local commit with an extreme time panics inside automerge
        // (its own API, not something a peer reaches); extreme times
        // arrive through `rewrite_last`, as a peer would send them.
        options = options.with_time(c.i64().clamp(-(1 << 40), 1 << 40));
    }
    options
}

/// Rewrite the last of `changes` as a hostile peer may write a change —
/// any time, message, sequence number or extra bytes — without a local
/// commit checking it.
pub fn rewrite_last(changes: &mut [automerge::Change], c: &mut Choices<'_>) {
    let Some(last) = changes.last_mut() else {
        return;
    };
    let mut expanded = last.decode();
    match c.int(0, 3) {
        0 => expanded.time = c.i64(),
        1 => expanded.message = Some(c.string()),
        2 => expanded.seq = c.u64(),
        _ => expanded.extra_bytes = c.bytes(16),
    }
    expanded.hash = None;
    *last = automerge::Change::from(expanded);
}

/// The props of `obj`: its keys, or its indices.
fn props(tx: &Transaction<'_>, obj: &ObjId) -> Vec<Prop> {
    match tx.object_type(obj) {
        Ok(ObjType::Map) | Ok(ObjType::Table) => tx.keys(obj).map(Prop::Map).collect(),
        Ok(ObjType::List) | Ok(ObjType::Text) => (0..tx.length(obj)).map(Prop::Seq).collect(),
        Err(_) => Vec::new(),
    }
}

/// Walk from the root into nested objects, stopping at random.
fn pick_object(tx: &Transaction<'_>, c: &mut Choices<'_>) -> ObjId {
    let mut obj = ROOT;
    for _ in 0..MAX_DEPTH {
        if !c.chance(3, 4) {
            break;
        }
        let kids: Vec<ObjId> = props(tx, &obj)
            .into_iter()
            .filter_map(|p| match tx.get(&obj, p) {
                Ok(Some((Value::Object(_), id))) => Some(id),
                _ => None,
            })
            .collect();
        if kids.is_empty() {
            break;
        }
        obj = kids[c.below(kids.len())].clone();
    }
    obj
}

/// A key for a map: one it has (often), a word, or noise.
fn pick_key(tx: &Transaction<'_>, obj: &ObjId, c: &mut Choices<'_>) -> String {
    let keys: Vec<String> = tx.keys(obj).collect();
    if !keys.is_empty() && c.chance(2, 3) {
        keys[c.below(keys.len())].clone()
    } else {
        c.string()
    }
}

fn edit(tx: &mut Transaction<'_>, c: &mut Choices<'_>) {
    let obj = pick_object(tx, c);
    let Ok(kind) = tx.object_type(&obj) else {
        return;
    };
    match kind {
        ObjType::Map | ObjType::Table => edit_map(tx, &obj, c),
        ObjType::List => edit_list(tx, &obj, c),
        ObjType::Text => edit_text(tx, &obj, c),
    }
}

fn edit_map(tx: &mut Transaction<'_>, obj: &ObjId, c: &mut Choices<'_>) {
    let key = pick_key(tx, obj, c);
    let _ = match c.int(0, 7) {
        0..=2 => {
            let v = c.scalar();
            tx.put(obj, key.as_str(), v)
        }
        3 => {
            let t = c.obj_type();
            tx.put_object(obj, key.as_str(), t).map(|_| ())
        }
        4 => tx.delete(obj, key.as_str()),
        5 => {
            let n = c.i64();
            tx.increment(obj, key.as_str(), n)
        }
        _ => {
            // A copy of another value of this map under `key`.
            let from = pick_key(tx, obj, c);
            copy(tx, obj, Prop::Map(from), obj, Prop::Map(key), false, &mut 0);
            Ok(())
        }
    };
}

fn edit_list(tx: &mut Transaction<'_>, obj: &ObjId, c: &mut Choices<'_>) {
    let len = tx.length(obj);
    let at = c.below(len + 1);
    let _ = match c.int(0, 7) {
        0 | 1 => {
            let v = c.scalar();
            tx.insert(obj, at, v)
        }
        2 => {
            let t = c.obj_type();
            tx.insert_object(obj, at, t).map(|_| ())
        }
        3 if len > 0 => {
            let v = c.scalar();
            tx.put(obj, at.min(len - 1), v)
        }
        4 if len > 0 => tx.delete(obj, at.min(len - 1)),
        5 if len > 0 => {
            let n = c.below(len.min(8)) as isize + 1;
            tx.splice(obj, at.min(len - 1), n, Vec::<ScalarValue>::new())
        }
        // Duplicate an item (the same event twice, in another place).
        _ if len > 0 => {
            let from = c.below(len);
            copy(tx, obj, Prop::Seq(from), obj, Prop::Seq(at), true, &mut 0);
            Ok(())
        }
        _ => {
            let v = c.scalar();
            tx.insert(obj, 0, v)
        }
    };
}

fn edit_text(tx: &mut Transaction<'_>, obj: &ObjId, c: &mut Choices<'_>) {
    let len = tx.length(obj);
    let at = c.below(len + 1);
    let del = if len > at && c.chance(1, 2) {
        c.below(len - at) as isize + 1
    } else {
        0
    };
    let text = c.string();
    let _ = tx.splice_text(obj, at, del, &text);
}

/// Copy the value at `(src, from)` to `(dst, to)` (inserting when
/// `insert`), objects deeply up to [`MAX_COPY`] nodes.
fn copy(
    tx: &mut Transaction<'_>,
    src: &ObjId,
    from: Prop,
    dst: &ObjId,
    to: Prop,
    insert: bool,
    nodes: &mut usize,
) {
    *nodes += 1;
    if *nodes > MAX_COPY {
        return;
    }
    let Ok(Some((value, id))) = tx.get(src, from) else {
        return;
    };
    match value {
        Value::Scalar(s) => {
            let s = s.into_owned();
            let _ = match (to, insert) {
                (Prop::Seq(i), true) => tx.insert(dst, i, s),
                (to, _) => tx.put(dst, to, s),
            };
        }
        Value::Object(kind) => {
            let made = match (to, insert) {
                (Prop::Seq(i), true) => tx.insert_object(dst, i, kind),
                (to, _) => tx.put_object(dst, to, kind),
            };
            let Ok(new) = made else {
                return;
            };
            match kind {
                ObjType::Text => {
                    if let Ok(t) = tx.text(&id) {
                        let _ = tx.splice_text(&new, 0, 0, &t);
                    }
                }
                ObjType::Map | ObjType::Table => {
                    let keys: Vec<String> = tx.keys(&id).collect();
                    for k in keys {
                        copy(
                            tx,
                            &id,
                            Prop::Map(k.clone()),
                            &new,
                            Prop::Map(k),
                            false,
                            nodes,
                        );
                    }
                }
                ObjType::List => {
                    for i in 0..tx.length(&id) {
                        copy(tx, &id, Prop::Seq(i), &new, Prop::Seq(i), true, nodes);
                    }
                }
            }
        }
    }
}
