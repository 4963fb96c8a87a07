//! Fixtures the crate's tests share: people acting in a role on their own
//! tablet (`id<n>`, `p<n>`, device `T<n>`), replicas with their own actor,
//! and merges — one way, both ways, of several replicas.

use crate::attribution::Attribution;
use crate::roster::Role;
use automerge::{ActorId, Automerge};

/// Person `n` (`id<n>`, shown as `p<n>`) acting as `role` on tablet
/// `T<n>` at device time `at_ms`.
pub(crate) fn person(n: u8, role: Role, at_ms: i64) -> Attribution {
    Attribution {
        person_id: format!("id{n}"),
        person: format!("p{n}"),
        role,
        device: format!("T{n}"),
        at_ms,
    }
}

/// Person `n` as staff.
pub(crate) fn staff(n: u8, at_ms: i64) -> Attribution {
    person(n, Role::Staff, at_ms)
}

/// Person `n` as team leader.
pub(crate) fn leader(n: u8, at_ms: i64) -> Attribution {
    person(n, Role::Leader, at_ms)
}

/// The supervisor: person 9.
pub(crate) fn supervisor(at_ms: i64) -> Attribution {
    person(9, Role::Supervisor, at_ms)
}

/// Tablet `n`'s actor: 16 bytes of `n`.
pub(crate) fn actor(n: u8) -> ActorId {
    ActorId::from(vec![n; 16])
}

/// `doc` as tablet `n` edits it (its own actor).
pub(crate) fn on_tablet(mut doc: Automerge, n: u8) -> Automerge {
    doc.set_actor(actor(n));
    doc
}

/// Something a tablet holds that merges another tablet's copy: one
/// document, or the several documents a screen writes together.
pub(crate) trait Merge: Clone {
    /// Merge `other` into `self`.
    fn merge_from(&mut self, other: &Self);
}

impl Merge for Automerge {
    fn merge_from(&mut self, other: &Self) {
        self.merge(&mut other.clone()).expect("merge");
    }
}

/// `b` merged into a copy of `a`.
pub(crate) fn merged<M: Merge>(a: &M, b: &M) -> M {
    let mut out = a.clone();
    out.merge_from(b);
    out
}

/// `a` and `b` merged both ways: (`a` ← `b`, `b` ← `a`).
pub(crate) fn both_ways<M: Merge>(a: &M, b: &M) -> (M, M) {
    (merged(a, b), merged(b, a))
}

/// Every one of `replicas` merged into a copy of the first.
pub(crate) fn merged_all<M: Merge>(replicas: &[&M]) -> M {
    let (first, rest) = replicas.split_first().expect("at least one replica");
    let mut out = (*first).clone();
    for r in rest {
        out.merge_from(r);
    }
    out
}

impl<A: Merge, B: Merge> Merge for (A, B) {
    fn merge_from(&mut self, other: &Self) {
        self.0.merge_from(&other.0);
        self.1.merge_from(&other.1);
    }
}

/// Merge replica `from`'s copy into replica `into` (a partial sync).
pub(crate) fn sync<M: Merge>(replicas: &mut [M], into: usize, from: usize) {
    let theirs = replicas[from].clone();
    replicas[into].merge_from(&theirs);
}

/// Merge every replica into every other: afterwards each holds all.
pub(crate) fn merge_everywhere<M: Merge>(replicas: &mut [M]) {
    let snapshot = replicas.to_vec();
    for replica in replicas.iter_mut() {
        for other in &snapshot {
            replica.merge_from(other);
        }
    }
}

/// Supervisor `n` (`sup<n>`, shown as `主管<n>`) at the office desk
/// `desk<n>`.
pub(crate) fn office_supervisor(n: u8, at_ms: i64) -> Attribution {
    Attribution {
        person_id: format!("sup{n}"),
        person: format!("主管{n}"),
        role: Role::Supervisor,
        device: format!("desk{n}"),
        at_ms,
    }
}
