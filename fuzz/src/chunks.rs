//! automerge's chunk framing, as far as the fuzzer needs it: every
//! document, change and bundle is `magic · checksum · type · uleb128
//! length · body`, and the checksum is the first four bytes of the SHA-256
//! of `type · length · body`. A mutated chunk almost always fails that
//! check before any column is decoded, so the targets also try each
//! mutated input with its checksums recomputed ([`fix_checksums`]): the
//! mutation then reaches the column decoders, as a hostile peer's
//! well-framed but malicious bytes would.

use crate::mutate::uleb;
use sha2::{Digest, Sha256};

/// The first four bytes of every automerge chunk.
pub const MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];

/// Read an unsigned LEB128 at `at`: the value and the bytes it took.
fn read_uleb(data: &[u8], at: usize) -> Option<(u64, usize)> {
    let mut v: u64 = 0;
    for k in 0..10 {
        let b = *data.get(at + k)?;
        v |= u64::from(b & 0x7f).checked_shl(7 * k as u32)?;
        if b & 0x80 == 0 {
            return Some((v, k + 1));
        }
    }
    None
}

/// The checksum automerge expects for a chunk of `chunk_type` with `body`.
pub fn checksum(chunk_type: u8, body: &[u8]) -> [u8; 4] {
    let mut h = Sha256::new();
    h.update([chunk_type]);
    h.update(uleb(body.len() as u64));
    h.update(body);
    let d = h.finalize();
    [d[0], d[1], d[2], d[3]]
}

/// `data` with the checksum of every well-framed chunk recomputed
/// (chunks are read one after the other until one does not frame; a
/// length running past the end is cut to what is there).
pub fn fix_checksums(data: &[u8]) -> Vec<u8> {
    let mut out = data.to_vec();
    let mut at = 0;
    while out.get(at..at + 4) == Some(&MAGIC[..]) {
        let Some(&chunk_type) = out.get(at + 8) else {
            break;
        };
        let Some((len, n)) = read_uleb(&out, at + 9) else {
            break;
        };
        let start = at + 9 + n;
        let rest = out.len().saturating_sub(start);
        let len = usize::try_from(len).map_or(rest, |l| l.min(rest));
        if len == rest && start + len < out.len() {
            break;
        }
        let sum = checksum(chunk_type, out.get(start..start + len).unwrap_or_default());
        if let Some(dst) = out.get_mut(at + 4..at + 8) {
            dst.copy_from_slice(&sum);
        }
        at = start + len;
    }
    out
}

/// Whether `data` starts like an automerge chunk.
pub fn is_chunk(data: &[u8]) -> bool {
    data.starts_with(&MAGIC)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use automerge::transaction::Transactable;
    use automerge::{Automerge, ROOT};

    #[test]
    fn a_saved_document_keeps_its_checksum_and_a_mutated_one_loads_again() {
        let mut doc = Automerge::new();
        let mut tx = doc.transaction();
        tx.put(ROOT, "k", "value").unwrap();
        tx.commit();
        let saved = doc.save();
        assert_eq!(fix_checksums(&saved), saved);
        // A byte of the body changed: the checksum no longer matches, and
        // fixing it gets past the check (whatever the columns then say).
        let mut bad = saved.clone();
        let last = bad.len() - 1;
        bad[last] ^= 0x01;
        let err = Automerge::load(&bad).unwrap_err().to_string();
        let fixed = fix_checksums(&bad);
        assert_ne!(fixed, bad);
        if let Err(e) = Automerge::load(&fixed) {
            assert_ne!(e.to_string(), err);
        }
    }
}
