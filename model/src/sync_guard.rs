//! A received sync message made safe for automerge 0.12 before it is
//! applied — by the server for every upload and by the tablet's client for
//! everything it receives, through one function, [`admit`]: [`guard`]
//! refuses Bloom filters whose sizes automerge would trust and drops
//! repeated hashes from `need`, then the changes it carries are counted
//! against a [`Budget`] ([`crate::chunk_budget`]: operations, changes,
//! inflated bytes, change times).
//!
//! **Filters.** A sync message says which changes its sender has as Bloom filters:
//! `num_entries`, `num_bits_per_entry`, `num_probes`, then the bits.
//! automerge 0.12 trusts the three numbers: for every change it might send
//! back, `BloomFilter::contains_hash` first builds a vector of
//! `num_probes` positions, each taken modulo the number of bits. So a
//! filter of a dozen bytes claiming 2³² − 1 probes makes the receiver
//! allocate 16 GiB and loop four billion times per change (the process
//! dies, which no `catch_unwind` catches), and one whose entries have no
//! bits divides by zero (a panic). automerge itself writes 10 bits per
//! entry and 7 probes. [`guard`] refuses a message with a filter outside
//! generous bounds around those, or with more summaries than a peer sends
//! (automerge sends one), before any of it runs.
//!
//! **Needs.** A `need` naming the same change twice makes automerge's
//! `generate_sync_message` unwrap `Err(MissingOps)` (a panic; found by
//! fuzzing the client): asking twice means asking once, so repeats are
//! dropped.

use crate::chunk_budget::{self, Budget, Counted, OverBudget};
use automerge::sync::{BloomFilter, Message};

/// The most probes per entry a filter may claim (automerge writes 7).
pub const MAX_PROBES: u64 = 32;
/// The most bits per entry a filter may claim (automerge writes 10).
pub const MAX_BITS_PER_ENTRY: u64 = 64;
/// The most `have` summaries a message may carry (automerge sends one).
pub const MAX_SUMMARIES: usize = 8;

/// Why a sync message's `have` summaries were refused.
#[derive(thiserror::Error, Debug, Clone, PartialEq, Eq)]
pub enum BadFilter {
    /// More summaries than [`MAX_SUMMARIES`].
    #[error("{0} have summaries (at most {MAX_SUMMARIES})")]
    TooManySummaries(usize),
    /// A filter claiming more probes than [`MAX_PROBES`].
    #[error("a Bloom filter with {0} probes per entry (at most {MAX_PROBES})")]
    TooManyProbes(u64),
    /// A filter claiming more bits per entry than [`MAX_BITS_PER_ENTRY`].
    #[error("a Bloom filter with {0} bits per entry (at most {MAX_BITS_PER_ENTRY})")]
    TooManyBits(u64),
    /// A filter with entries but not a single bit to find them in.
    #[error("a Bloom filter with {0} entries and no bits")]
    NoBits(u64),
    /// A filter whose header does not decode.
    #[error("a Bloom filter that does not decode")]
    Malformed,
}

/// Why a received sync message was refused before automerge saw it.
#[derive(thiserror::Error, Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// Its Bloom filters ([`guard`]).
    #[error(transparent)]
    Filter(#[from] BadFilter),
    /// What it carries ([`chunk_budget`]).
    #[error(transparent)]
    Budget(#[from] OverBudget),
}

/// Everything checked before automerge applies a received message:
/// [`guard`], then its changes counted against `budget`. Returns the count.
pub fn admit(message: &mut Message, budget: &Budget) -> Result<Counted, Refused> {
    guard(message)?;
    Ok(chunk_budget::count_changes(message, budget)?)
}

/// Check every `have` summary of `message` and drop repeated `need`
/// hashes (see the module docs).
pub fn guard(message: &mut Message) -> Result<(), BadFilter> {
    if message.have.len() > MAX_SUMMARIES {
        return Err(BadFilter::TooManySummaries(message.have.len()));
    }
    message
        .have
        .iter()
        .try_for_each(|h| check_filter(&h.bloom))?;
    let mut seen = std::collections::HashSet::with_capacity(message.need.len());
    message.need.retain(|hash| seen.insert(*hash));
    Ok(())
}

/// The three numbers of one filter, read from its encoding (automerge
/// keeps them private): empty bytes are the empty filter.
fn check_filter(filter: &BloomFilter) -> Result<(), BadFilter> {
    let bytes = filter.to_bytes();
    if bytes.is_empty() {
        return Ok(());
    }
    let mut rest = bytes.as_slice();
    let mut next = || uleb(&mut rest).ok_or(BadFilter::Malformed);
    let (entries, bits_per_entry, probes) = (next()?, next()?, next()?);
    if probes > MAX_PROBES {
        return Err(BadFilter::TooManyProbes(probes));
    }
    if bits_per_entry > MAX_BITS_PER_ENTRY {
        return Err(BadFilter::TooManyBits(bits_per_entry));
    }
    if entries > 0 && rest.is_empty() {
        return Err(BadFilter::NoBits(entries));
    }
    Ok(())
}

/// One unsigned LEB128 number (at most 64 bits), advancing `bytes`.
fn uleb(bytes: &mut &[u8]) -> Option<u64> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let (&byte, rest) = bytes.split_first()?;
        *bytes = rest;
        value |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use automerge::sync::{Have, State, SyncDoc as _};
    use automerge::transaction::Transactable as _;
    use automerge::{Automerge, ROOT};

    fn filter(entries: u32, bits_per_entry: u32, probes: u32, bits: &[u8]) -> BloomFilter {
        let mut bytes = Vec::new();
        for n in [entries, bits_per_entry, probes] {
            let mut n = u64::from(n);
            loop {
                let byte = (n & 0x7f) as u8;
                n >>= 7;
                if n == 0 {
                    bytes.push(byte);
                    break;
                }
                bytes.push(byte | 0x80);
            }
        }
        bytes.extend_from_slice(bits);
        BloomFilter::try_from(bytes.as_slice()).unwrap()
    }

    fn with_have(filters: Vec<BloomFilter>) -> Message {
        let mut m = Automerge::new()
            .generate_sync_message(&mut State::new())
            .expect("a first message");
        m.have = filters
            .into_iter()
            .map(|bloom| Have {
                last_sync: vec![],
                bloom,
            })
            .collect();
        m
    }

    #[test]
    fn what_automerge_writes_passes() {
        let mut a = Automerge::new();
        a.transact::<_, _, automerge::AutomergeError>(|tx| tx.put(ROOT, "x", 1).map(|_| ()))
            .unwrap();
        let (mut sa, mut sb) = (State::new(), State::new());
        let mut b = Automerge::new();
        // Round trips until both sides are quiet: every message carries
        // automerge's own filters.
        for _ in 0..6 {
            if let Some(m) = a.generate_sync_message(&mut sa) {
                let mut m = Message::decode(&m.encode()).unwrap();
                guard(&mut m).unwrap();
                b.receive_sync_message(&mut sb, m).unwrap();
            }
            if let Some(m) = b.generate_sync_message(&mut sb) {
                let mut m = Message::decode(&m.encode()).unwrap();
                guard(&mut m).unwrap();
                a.receive_sync_message(&mut sa, m).unwrap();
            }
        }
        assert_eq!(a.get_heads(), b.get_heads());
        assert_eq!(
            guard(&mut with_have(vec![filter(3, 10, 7, &[0xff; 4])])),
            Ok(())
        );
        assert_eq!(guard(&mut with_have(vec![filter(0, 10, 7, &[])])), Ok(()));
    }

    #[test]
    fn a_filter_claiming_billions_of_probes_is_refused() {
        let mut m = with_have(vec![filter(1, 8, u32::MAX, &[0xff])]);
        assert_eq!(
            guard(&mut m),
            Err(BadFilter::TooManyProbes(u64::from(u32::MAX)))
        );
    }

    #[test]
    fn a_filter_with_entries_and_no_bits_is_refused() {
        // automerge would divide by zero (`% 0`) looking anything up in it.
        let mut m = with_have(vec![filter(5, 0, 7, &[])]);
        assert_eq!(guard(&mut m), Err(BadFilter::NoBits(5)));
    }

    #[test]
    fn a_change_needed_twice_is_asked_for_once() {
        // Enough changes that automerge sends the two asked for rather
        // than the whole document.
        let mut doc = Automerge::new();
        for i in 0..9 {
            doc.transact::<_, _, automerge::AutomergeError>(|tx| tx.put(ROOT, "x", i).map(|_| ()))
                .unwrap();
        }
        let head = doc.get_heads()[0];
        let unknown = automerge::ChangeHash([0; 32]);
        let mut m = with_have(vec![]);
        m.heads = vec![unknown, head];
        m.need = vec![unknown, unknown, head, head];
        guard(&mut m).unwrap();
        assert_eq!(m.need, vec![unknown, head]);
        // automerge answers it (it panicked with the repeats).
        let mut state = State::new();
        doc.receive_sync_message(&mut state, m).unwrap();
        assert!(doc.generate_sync_message(&mut state).is_some());
    }

    #[test]
    fn oversized_bits_and_too_many_summaries_are_refused() {
        let mut m = with_have(vec![filter(1, 1000, 7, &[0; 125])]);
        assert_eq!(guard(&mut m), Err(BadFilter::TooManyBits(1000)));
        let mut m = with_have(vec![filter(0, 10, 7, &[]); MAX_SUMMARIES + 1]);
        assert_eq!(
            guard(&mut m),
            Err(BadFilter::TooManySummaries(MAX_SUMMARIES + 1))
        );
    }
}
