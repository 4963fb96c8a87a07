//! What the structure-aware targets draw from the fuzz input: choices
//! read with `arbitrary`'s [`Unstructured`] (never failing: an exhausted
//! input reads as the smallest choice), edge-case numbers, odd strings,
//! and a dictionary of the words real documents hold (every map key and
//! every string of every family's seed documents), so that a mutation
//! writes `"handed_over"` into a `kind` or a date into an id as often as
//! it writes noise.

use crate::mutate::INTERESTING;
use arbitrary::Unstructured;
use automerge::{Automerge, ObjId, ObjType, ROOT, ReadDoc, ScalarValue, Value};
use std::collections::BTreeSet;
use std::sync::OnceLock;

/// Infallible choices from fuzz bytes.
#[derive(Debug)]
pub struct Choices<'a>(Unstructured<'a>);

impl<'a> Choices<'a> {
    /// Choices read from `data`.
    pub fn new(data: &'a [u8]) -> Self {
        Self(Unstructured::new(data))
    }

    /// Whether the input is used up.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// A number in `lo..=hi`.
    pub fn int(&mut self, lo: u32, hi: u32) -> u32 {
        self.0.int_in_range(lo..=hi).unwrap_or(lo)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        self.0.choose_index(n).unwrap_or(0)
    }

    /// True with probability about `num / den`.
    pub fn chance(&mut self, num: u8, den: u8) -> bool {
        self.0.ratio(num, den).unwrap_or(false)
    }

    /// A byte.
    pub fn byte(&mut self) -> u8 {
        self.0.arbitrary::<u8>().unwrap_or(0)
    }

    /// Up to `max` bytes.
    pub fn bytes(&mut self, max: usize) -> Vec<u8> {
        let n = self.below(max + 1);
        let n = n.min(self.0.len());
        self.0.bytes(n).map(<[u8]>::to_vec).unwrap_or_default()
    }

    /// An `i64`: an edge case (often), a small number, or any.
    pub fn i64(&mut self) -> i64 {
        match self.int(0, 3) {
            0 => {
                let v = INTERESTING[self.below(INTERESTING.len())] as i64;
                if self.chance(1, 2) {
                    v.wrapping_neg()
                } else {
                    v
                }
            }
            1 => i64::from(self.int(0, 200)) - 100,
            2 => 1_764_000_000_000 + i64::from(self.int(0, 100_000)) * 60_000,
            _ => self.0.arbitrary::<i64>().unwrap_or(0),
        }
    }

    /// A `u64`: an edge case or any.
    pub fn u64(&mut self) -> u64 {
        if self.chance(1, 2) {
            INTERESTING[self.below(INTERESTING.len())]
        } else {
            self.0.arbitrary::<u64>().unwrap_or(0)
        }
    }

    /// An `f64` with the edge cases.
    pub fn f64(&mut self) -> f64 {
        const ODD: [f64; 10] = [
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            -0.0,
            0.5,
            1e308,
            -1e308,
            f64::MIN_POSITIVE,
            9_007_199_254_740_993.0,
            3.0,
        ];
        if self.chance(3, 4) {
            ODD[self.below(ODD.len())]
        } else {
            f64::from_bits(self.0.arbitrary::<u64>().unwrap_or(0))
        }
    }

    /// A string: a dictionary word, an odd string, a word bent out of
    /// shape, or bytes read as text.
    pub fn string(&mut self) -> String {
        let dict = dictionary();
        match self.int(0, 5) {
            0 | 1 => dict
                .get(self.below(dict.len()))
                .cloned()
                .unwrap_or_default(),
            2 => ODD_STRINGS[self.below(ODD_STRINGS.len())].to_owned(),
            3 => {
                let w = dict
                    .get(self.below(dict.len()))
                    .cloned()
                    .unwrap_or_default();
                bend(&w, self)
            }
            4 => String::from_utf8_lossy(&self.bytes(24)).into_owned(),
            _ => {
                let n = self.below(4);
                let mut s = String::new();
                for _ in 0..=n {
                    s.push_str(dict.get(self.below(dict.len())).map_or("", String::as_str));
                    s.push(['/', '-', ' ', ':', '.'][self.below(5)]);
                }
                s
            }
        }
    }

    /// A scalar of any automerge type.
    pub fn scalar(&mut self) -> ScalarValue {
        match self.int(0, 11) {
            0..=2 => ScalarValue::Str(self.string().into()),
            3 | 4 => ScalarValue::Int(self.i64()),
            5 => ScalarValue::Uint(self.u64()),
            6 => ScalarValue::F64(self.f64()),
            7 => ScalarValue::Boolean(self.chance(1, 2)),
            8 => ScalarValue::Null,
            9 => ScalarValue::Timestamp(self.i64()),
            10 => ScalarValue::counter(self.i64()),
            _ => ScalarValue::Bytes(self.bytes(16)),
        }
    }

    /// An object type.
    pub fn obj_type(&mut self) -> ObjType {
        [ObjType::Map, ObjType::List, ObjType::Text][self.below(3)]
    }
}

/// `word` changed a little: cut, doubled, cased, padded, digits nudged.
fn bend(word: &str, c: &mut Choices<'_>) -> String {
    let chars: Vec<char> = word.chars().collect();
    match c.int(0, 6) {
        0 => chars.iter().take(c.below(chars.len() + 1)).collect(),
        1 => format!("{word}{word}"),
        2 => word.to_uppercase(),
        3 => format!(" {word} "),
        4 => word
            .chars()
            .map(|ch| match ch.to_digit(10) {
                Some(d) => char::from_digit((d + 1) % 10, 10).unwrap_or(ch),
                None => ch,
            })
            .collect(),
        5 => format!("{word}\u{0}"),
        _ => word.repeat(64),
    }
}

/// Strings at the edges of what the model's parsers and checks expect.
pub const ODD_STRINGS: &[&str] = &[
    "",
    " ",
    "\t\n",
    "\u{0}",
    "\u{feff}",
    "\u{202e}abc",
    "e\u{301}",
    "👨‍👩‍👧",
    "𝕏",
    "\u{10ffff}",
    "-1",
    "0",
    "9223372036854775807",
    "-9223372036854775808",
    "18446744073709551616",
    "1e309",
    "NaN",
    "2026-02-30",
    "2026-13-01",
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "2026-11-25 24:00",
    "2026-11-25 23:59",
    "2026-11-26 07:59",
    "9999-12-31 23:59",
    "0000-01-01 00:00",
    "2026-11",
    "9999-12",
    "0000-00",
    "99:99",
    "23:60",
    "/",
    "a/b/c",
    "../",
    "{",
    "[]",
    "null",
    "{}",
    "{\"id\":1}",
    "{\"id\":\"x\",\"items\":[],\"schedule\":{\"every\":0}}",
    "110101199003074578",
    "1101 0119 9003 0745 78",
    "１２０１",
    "3栋 1201",
    "shiftbook:{}",
    "shiftbook:{\"person_id\":\"x\",\"person\":\"y\",\"role\":\"admin\",\"device\":\"d\",\"at_ms\":-9223372036854775808,\"summary\":\"signature daily-review\"}",
    "signature daily-review",
    "signature monthly-review",
    "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz",
];

/// Every map key and string value of every family's seed documents,
/// sorted, plus the odd strings.
pub fn dictionary() -> &'static [String] {
    static DICT: OnceLock<Vec<String>> = OnceLock::new();
    DICT.get_or_init(|| {
        let mut words: BTreeSet<String> = ODD_STRINGS.iter().map(|s| (*s).to_owned()).collect();
        for family in crate::targets::docs::FAMILIES {
            for doc in crate::targets::docs::documents(family) {
                harvest(doc, &ROOT, 0, &mut words);
            }
        }
        // Whole snapshots are long; keep the words short enough to move.
        words.retain(|w| w.chars().count() <= 200);
        words.into_iter().collect()
    })
}

fn harvest(doc: &Automerge, obj: &ObjId, depth: usize, out: &mut BTreeSet<String>) {
    if depth > 12 {
        return;
    }
    let props: Vec<automerge::Prop> = match doc.object_type(obj) {
        Ok(ObjType::Map) | Ok(ObjType::Table) => doc.keys(obj).map(automerge::Prop::Map).collect(),
        Ok(ObjType::List) => (0..doc.length(obj)).map(automerge::Prop::Seq).collect(),
        Ok(ObjType::Text) => {
            if let Ok(t) = doc.text(obj) {
                out.insert(t);
            }
            Vec::new()
        }
        Err(_) => Vec::new(),
    };
    for prop in props {
        if let automerge::Prop::Map(k) = &prop {
            out.insert(k.clone());
        }
        match doc.get(obj, prop) {
            Ok(Some((Value::Scalar(s), _))) => {
                if let ScalarValue::Str(s) = s.as_ref() {
                    out.insert(s.to_string());
                }
            }
            Ok(Some((Value::Object(_), id))) => harvest(doc, &id, depth + 1, out),
            _ => {}
        }
    }
}
