//! The byte-level mutator: what the engine does to a corpus entry before
//! each execution.
//!
//! Generic mutations (bit flips, random bytes, byte insert / delete, range
//! delete / duplicate / copy, truncation, splicing another corpus entry)
//! plus mutations that know the encodings under test: "interesting"
//! integers written as fixed-width little / big endian, as LEB128 (every
//! length and count in automerge's binary format) and as CBOR heads (the
//! wire codec's maps, arrays, strings and byte strings), so that lengths
//! and counts become 0, 1, off by one, huge or negative.

use crate::rng::Rng;

/// Inputs never grow past this many bytes (a frame or a document of a few
/// KiB is what the targets read; larger inputs only slow the loop down).
pub const MAX_INPUT: usize = 64 * 1024;

/// Integers at the edges: zero, one, sign and width boundaries.
pub const INTERESTING: [u64; 24] = [
    0,
    1,
    2,
    3,
    7,
    8,
    16,
    32,
    64,
    0x7f,
    0x80,
    0xff,
    0x100,
    0x7fff,
    0x8000,
    0xffff,
    0x1_0000,
    0x7fff_ffff,
    0x8000_0000,
    0xffff_ffff,
    0x1_0000_0000,
    0x7fff_ffff_ffff_ffff,
    0x8000_0000_0000_0000,
    u64::MAX,
];

/// An interesting integer, sometimes nudged by one.
pub fn interesting(rng: &mut Rng) -> u64 {
    let v = INTERESTING[rng.below(INTERESTING.len())];
    match rng.below(4) {
        0 => v.wrapping_add(1),
        1 => v.wrapping_sub(1),
        _ => v,
    }
}

/// `v` as unsigned LEB128.
pub fn uleb(mut v: u64) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return out;
        }
        out.push(byte | 0x80);
    }
}

/// `v` as signed LEB128.
pub fn sleb(mut v: i64) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        let done = (v == 0 && byte & 0x40 == 0) || (v == -1 && byte & 0x40 != 0);
        if done {
            out.push(byte);
            return out;
        }
        out.push(byte | 0x80);
    }
}

/// A CBOR head of `major` type (0–7) with argument `v`.
pub fn cbor_head(major: u8, v: u64) -> Vec<u8> {
    let m = (major & 7) << 5;
    if v < 24 {
        vec![m | v as u8]
    } else if v <= 0xff {
        vec![m | 24, v as u8]
    } else if v <= 0xffff {
        let mut out = vec![m | 25];
        out.extend_from_slice(&(v as u16).to_be_bytes());
        out
    } else if v <= 0xffff_ffff {
        let mut out = vec![m | 26];
        out.extend_from_slice(&(v as u32).to_be_bytes());
        out
    } else {
        let mut out = vec![m | 27];
        out.extend_from_slice(&v.to_be_bytes());
        out
    }
}

/// The number of mutation kinds [`mutate_once`] chooses from.
const KINDS: usize = 17;

/// Apply one random mutation to `data`; `others` are corpus entries to
/// splice from.
pub fn mutate_once(data: &mut Vec<u8>, rng: &mut Rng, others: &[Vec<u8>]) {
    let len = data.len();
    match rng.below(KINDS) {
        // Flip one bit.
        0 | 1 if len > 0 => {
            let i = rng.below(len);
            if let Some(b) = data.get_mut(i) {
                *b ^= 1 << rng.below(8);
            }
        }
        // Set a byte to a random value.
        2 if len > 0 => {
            let i = rng.below(len);
            let v = rng.byte();
            if let Some(b) = data.get_mut(i) {
                *b = v;
            }
        }
        // Insert random bytes.
        3 => {
            let at = rng.below(len + 1);
            let n = 1 + rng.below(8);
            let bytes = rng.bytes(n);
            data.splice(at..at, bytes);
        }
        // Delete a byte or a range.
        4 | 5 if len > 0 => {
            let at = rng.below(len);
            let most = if rng.chance(1, 2) { 1 } else { 64 };
            let n = 1 + rng.below((len - at).min(most));
            data.drain(at..at + n);
        }
        // Truncate.
        6 if len > 0 => {
            let keep = rng.below(len);
            data.truncate(keep);
        }
        // Duplicate a range in place.
        7 if len > 0 => {
            let at = rng.below(len);
            let n = 1 + rng.below((len - at).min(128));
            let copy: Vec<u8> = data.get(at..at + n).map(<[u8]>::to_vec).unwrap_or_default();
            let to = rng.below(len + 1);
            data.splice(to..to, copy);
        }
        // Overwrite with a range copied from elsewhere in the input.
        8 if len > 1 => {
            let from = rng.below(len);
            let to = rng.below(len);
            let n = 1 + rng.below((len - from).min(len - to).min(32));
            let copy: Vec<u8> = data
                .get(from..from + n)
                .map(<[u8]>::to_vec)
                .unwrap_or_default();
            if let Some(dst) = data.get_mut(to..to + copy.len()) {
                dst.copy_from_slice(&copy);
            }
        }
        // Splice: our prefix, another entry's suffix (or a piece of it inserted).
        9 | 10 => {
            if let Some(other) = rng.pick(others) {
                let other = other.clone();
                if rng.chance(1, 2) {
                    let cut = rng.below(len + 1);
                    let from = rng.below(other.len() + 1);
                    data.truncate(cut);
                    data.extend_from_slice(other.get(from..).unwrap_or_default());
                } else if !other.is_empty() {
                    let from = rng.below(other.len());
                    let n = 1 + rng.below((other.len() - from).min(256));
                    let at = rng.below(len + 1);
                    let piece = other.get(from..from + n).unwrap_or_default().to_vec();
                    data.splice(at..at, piece);
                }
            }
        }
        // Overwrite with an interesting integer, fixed width, either endianness.
        11 | 12 if len > 0 => {
            let v = interesting(rng);
            let width = [1usize, 2, 4, 8][rng.below(4)];
            let bytes = if rng.chance(1, 2) {
                v.to_le_bytes()
            } else {
                v.to_be_bytes()
            };
            let bytes = if rng.chance(1, 2) {
                bytes.get(..width).unwrap_or_default().to_vec()
            } else {
                bytes.get(8 - width..).unwrap_or_default().to_vec()
            };
            let at = rng.below(len);
            for (k, b) in bytes.into_iter().enumerate() {
                if let Some(d) = data.get_mut(at + k) {
                    *d = b;
                }
            }
        }
        // Replace a LEB128 number where one may start with an interesting one.
        13 | 14 if len > 0 => {
            let at = rng.below(len);
            let old_end = (at..len)
                .find(|&i| data.get(i).is_some_and(|b| b & 0x80 == 0))
                .map_or(len, |i| i + 1)
                .min(at + 10);
            let v = interesting(rng);
            let new = if rng.chance(1, 2) {
                uleb(v)
            } else {
                sleb(v as i64)
            };
            data.splice(at..old_end, new);
        }
        // Insert a CBOR head with an interesting argument.
        15 => {
            let at = rng.below(len + 1);
            let major = rng.below(8) as u8;
            let head = if rng.chance(1, 8) {
                // Indefinite length, break, or a reserved additional value.
                vec![(major << 5) | [31u8, 28, 29, 30][rng.below(4)]]
            } else {
                cbor_head(major, interesting(rng))
            };
            data.splice(at..at, head);
        }
        // Swap two bytes.
        _ if len > 1 => {
            let a = rng.below(len);
            let b = rng.below(len);
            data.swap(a, b);
        }
        _ => {
            let at = rng.below(len + 1);
            let b = rng.byte();
            data.insert(at, b);
        }
    }
    data.truncate(MAX_INPUT);
}

/// Apply a stack of 1–`max` random mutations.
pub fn mutate(data: &mut Vec<u8>, rng: &mut Rng, others: &[Vec<u8>], max: usize) {
    let n = 1 + rng.below(max.max(1));
    for _ in 0..n {
        mutate_once(data, rng, others);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn leb128_encodes_like_the_spec() {
        assert_eq!(uleb(0), [0]);
        assert_eq!(uleb(127), [127]);
        assert_eq!(uleb(128), [0x80, 1]);
        assert_eq!(sleb(-1), [0x7f]);
        assert_eq!(sleb(63), [63]);
        assert_eq!(sleb(64), [0xc0, 0]);
        assert_eq!(uleb(u64::MAX).len(), 10);
    }

    #[test]
    fn cbor_heads_pick_the_shortest_form() {
        assert_eq!(cbor_head(2, 5), [0x45]);
        assert_eq!(cbor_head(3, 24), [0x78, 24]);
        assert_eq!(cbor_head(5, 0x1_0000), [0xba, 0, 1, 0, 0]);
    }

    #[test]
    fn mutation_never_panics_and_stays_bounded() {
        let mut rng = Rng::new(1);
        let others = vec![vec![1, 2, 3], Vec::new(), vec![0xff; 300]];
        let mut data = Vec::new();
        for _ in 0..20_000 {
            mutate(&mut data, &mut rng, &others, 8);
            assert!(data.len() <= MAX_INPUT);
        }
    }
}
