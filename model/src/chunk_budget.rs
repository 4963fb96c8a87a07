//! A cheap budget check of automerge bytes before automerge loads them.
//!
//! automerge stores operations in columns compressed by run-length
//! encoding: a run "2,000,000 times the same value" takes a few bytes. A
//! change or document of about 2 KiB can therefore hold millions of
//! operations, and `receive_sync_message` / `load_incremental` expand every
//! one of them (seconds of CPU, hundreds of MiB) before anything can refuse
//! them. [`count`] reads the same bytes without building anything: it walks
//! the chunk framing and the column metadata, and counts the rows of each
//! column by adding up run lengths — a run costs the same whether it holds
//! two values or two million — stopping as soon as a [`Budget`] is
//! exceeded. Its cost is proportional to the encoded bytes (plus the
//! inflated bytes of DEFLATE-compressed parts, capped by
//! [`Budget::max_inflated_bytes`]), never to the number of operations, and
//! it allocates nothing proportional to a count it reads.
//!
//! # What is counted
//!
//! The input is one or more concatenated chunks, each `magic (4 bytes) ·
//! checksum (4) · type (1) · uleb128 length · body`. Per type:
//!
//! * **Change** (type 1): one change; its operations are the rows of its
//!   operation columns. automerge reads operations until the `action`
//!   column (id 4, integer) ends; every operation column holds one value per
//!   operation, so the count taken is the longest of them — the action
//!   column for anything automerge wrote, and never less than what
//!   automerge will iterate. (The header holds `start_op` but no `max_op`,
//!   so there is no cheaper figure that the column data could not
//!   contradict.) automerge refuses change chunks with DEFLATE-compressed
//!   columns; so does this module.
//! * **Compressed change** (type 2): the body is a DEFLATE stream of a
//!   change body; it is inflated (within the budget) and counted as a
//!   change.
//! * **Document** (type 0): operations are the rows of the operation
//!   columns (the longest of them: automerge 0.12 takes the `id` actor
//!   column's length and requires every other column to match), changes the
//!   rows of the change-metadata columns (actor, seq, max_op, time,
//!   message, deps count, extra; the longest — automerge decodes each of
//!   them in full before comparing lengths). The `max_op` figures in the
//!   change metadata are not used: they are claims that the operation
//!   columns need not honour. Columns may be DEFLATE-compressed (the
//!   column spec's bit 3); they are inflated within the budget — also those
//!   this module does not read, since automerge inflates them all.
//! * **Bundle** (type 3): changes are the rows of its change-metadata
//!   columns, operations the rows of its operation columns (including the
//!   `id` counter column, which automerge decodes in full while parsing) —
//!   again the longest column, not the `start_op`/`max_op` ranges its
//!   metadata claims.
//!
//! References — an operation's predecessors (changes, bundles) or
//! successors (documents), a change's dependencies — sit in group columns:
//! one count per row, then that many entries in the grouped columns.
//! automerge visits every entry, so they are counted too, as the larger of
//! the counts' sum and the grouped columns' rows: references between
//! operations and dependencies separately, each checked against
//! [`Budget::max_ops`]. In real data neither outgrows the operations (a
//! predecessor or successor is an operation that overwrote or deleted
//! another; a change has about one dependency and at least one operation),
//! but a 1-operation change claiming two million predecessors is a bomb of
//! its own ([`OverBudget::TooManyReferences`]).
//! Value metadata (and a bundle's extra-bytes counts) must not claim more
//! raw bytes than their raw column holds, or the input is
//! [`OverBudget::Malformed`].
//!
//! **Times.** Every change's time must lie within the budget's
//! [`Budget::earliest_time`]..=[`Budget::latest_time`]: a change's header
//! holds it, a document's and a bundle's change metadata a delta-encoded
//! column (read here as automerge will: a running sum, including the
//! running sum of a run that repeats one delta). automerge 0.12 panics
//! applying a change whose time is `i64::MIN` after one that is not, and
//! on a later local commit after a change from the far past or future
//! (the delta between times overflows; found by fuzzing), so such times
//! are refused before automerge sees them ([`OverBudget::TimeOutOfRange`]),
//! and a running sum that overflows is [`OverBudget::Malformed`].
//!
//! Only the columns automerge 0.12 reads are counted; unknown columns are
//! skipped (inflated only to keep to the budget). Checksums are not
//! verified (automerge does that); a count is an upper bound of the work
//! automerge will do, exact for data automerge wrote. Bytes automerge
//! would refuse may be counted or reported as
//! [`OverBudget::Malformed`] — either way automerge refuses them after.

use std::borrow::Cow;
use std::io::{self, Read};

/// The first four bytes of every automerge chunk.
const MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];

/// Chunk types (the byte after the checksum).
const DOCUMENT: u8 = 0;
const CHANGE: u8 = 1;
const COMPRESSED: u8 = 2;
const BUNDLE: u8 = 3;

/// Column types: the low three bits of a column spec. Bit 3 says the
/// column is DEFLATE-compressed; the bits above are the column id.
const GROUP: u32 = 0;
const DELTA: u32 = 3;
const BOOLEAN: u32 = 4;
const STRING: u32 = 5;
const VALUE_METADATA: u32 = 6;
const VALUE: u32 = 7;
const DEFLATE_BIT: u32 = 0b1000;

/// Column ids automerge 0.12 reads, per section (all below 16).
const CHANGE_OPS: &[u32] = &[0, 1, 3, 4, 5, 7, 9, 10];
const DOCUMENT_OPS: &[u32] = &[0, 1, 2, 3, 4, 5, 8, 9, 10];
const DOCUMENT_CHANGES: &[u32] = &[0, 1, 2, 3, 4, 5];
const BUNDLE_OPS: &[u32] = &[0, 1, 2, 3, 4, 5, 7, 9, 10, 11];
const BUNDLE_CHANGES: &[u32] = &[0, 1, 2, 3, 4, 5, 6];
/// The id of the (delta) time column among a document's change metadata,
/// and among a bundle's.
const DOCUMENT_TIME: u32 = 2;
const BUNDLE_TIME: u32 = 3;
const IDS: usize = 16;

/// Change times any Shiftbook peer accepts. Writers use seconds (this
/// app, automerge-js) or milliseconds since 1970; genesis changes have 0.
/// Before 1970, or after 2200 counted in milliseconds, is a forged or
/// broken clock — and times near the ends of `i64` make automerge panic.
pub const CHANGE_TIMES: std::ops::RangeInclusive<i64> = 0..=7_258_118_400_000;

/// The most work a caller accepts from one call of [`count`] or
/// [`count_message`] (totals over every chunk of the input).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// The most operations (and, each separately, the most references
    /// between operations and the most dependencies).
    pub max_ops: u64,
    /// The most changes.
    pub max_changes: u64,
    /// The most bytes all DEFLATE-compressed parts may inflate to, together.
    pub max_inflated_bytes: usize,
    /// The earliest change time accepted (as written: automerge stores
    /// whatever number the writer gave).
    pub earliest_time: i64,
    /// The latest change time accepted.
    pub latest_time: i64,
}

/// What [`count`] found within the budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counted {
    /// Operations: for changes and bundles every operation; for a document
    /// the operations it stores (deletions live on as successors there).
    pub ops: u64,
    /// Changes.
    pub changes: u64,
}

/// Why bytes were refused before automerge saw them.
#[derive(thiserror::Error, Debug, Clone, PartialEq, Eq)]
pub enum OverBudget {
    /// More operations than [`Budget::max_ops`].
    #[error("more than {limit} operations (counting stopped at {counted})")]
    TooManyOps {
        /// Operations counted when counting stopped (at least this many).
        counted: u64,
        /// The budget's limit.
        limit: u64,
    },
    /// More references between operations (predecessors, successors), or
    /// more dependencies of changes, than [`Budget::max_ops`].
    #[error(
        "more than {limit} references between operations or changes (counting stopped at {counted})"
    )]
    TooManyReferences {
        /// References counted when counting stopped (at least this many).
        counted: u64,
        /// The budget's limit.
        limit: u64,
    },
    /// More changes than [`Budget::max_changes`].
    #[error("more than {limit} changes (counting stopped at {counted})")]
    TooManyChanges {
        /// Changes counted when counting stopped (at least this many).
        counted: u64,
        /// The budget's limit.
        limit: u64,
    },
    /// DEFLATE-compressed data inflating beyond
    /// [`Budget::max_inflated_bytes`].
    #[error("compressed data inflates beyond {limit} bytes")]
    TooLarge {
        /// The budget's limit.
        limit: usize,
    },
    /// A change whose time lies outside [`Budget::earliest_time`] ..=
    /// [`Budget::latest_time`].
    #[error("a change's time {time} is out of range")]
    TimeOutOfRange {
        /// The first such time found.
        time: i64,
    },
    /// Not automerge data (automerge would refuse it too).
    #[error("not valid automerge data: {0}")]
    Malformed(String),
}

/// Count operations and changes in `data` — one or more concatenated
/// automerge chunks (document, change, compressed change, bundle), as
/// `Automerge::load` and `load_incremental` take them — refusing as soon
/// as the budget is exceeded. Empty `data` counts nothing.
pub fn count(data: &[u8], budget: &Budget) -> Result<Counted, OverBudget> {
    let mut tally = Tally::new(budget);
    tally.chunks(data)?;
    Ok(tally.counted())
}

/// Count the changes a sync message carries (all chunks of its `changes`,
/// which automerge joins and passes to `load_incremental`) against one
/// budget. A message that does not decode is [`OverBudget::Malformed`].
pub fn count_message(sync_message_bytes: &[u8], budget: &Budget) -> Result<Counted, OverBudget> {
    let message = automerge::sync::Message::decode(sync_message_bytes)
        .map_err(|e| OverBudget::Malformed(format!("sync message: {e}")))?;
    count_changes(&message, budget)
}

/// [`count_message`] of a message the caller decoded already (the server
/// decodes each message once, then counts it, then applies it).
pub fn count_changes(
    message: &automerge::sync::Message,
    budget: &Budget,
) -> Result<Counted, OverBudget> {
    // automerge joins the chunks before loading them, so a chunk may span
    // two entries; count exactly what it will load.
    let joined: Vec<u8> = message.changes.iter().flatten().copied().collect();
    count(&joined, budget)
}

/// Which total a section's rows count towards.
#[derive(Clone, Copy)]
enum Rows {
    Ops,
    Changes,
}

/// Running totals of one call.
struct Tally<'b> {
    budget: &'b Budget,
    ops: u64,
    changes: u64,
    /// Predecessors and successors.
    op_references: u64,
    /// Dependencies.
    change_references: u64,
    inflated: usize,
}

impl<'b> Tally<'b> {
    fn new(budget: &'b Budget) -> Self {
        Tally {
            budget,
            ops: 0,
            changes: 0,
            op_references: 0,
            change_references: 0,
            inflated: 0,
        }
    }

    fn counted(&self) -> Counted {
        Counted {
            ops: self.ops,
            changes: self.changes,
        }
    }

    fn chunks(&mut self, data: &[u8]) -> Result<(), OverBudget> {
        let mut r = Reader::new(data);
        while !r.is_empty() {
            self.chunk(&mut r)?;
        }
        Ok(())
    }

    fn chunk(&mut self, r: &mut Reader<'_>) -> Result<(), OverBudget> {
        let at = "chunk header";
        if r.take(4).map_err(bad(at))? != MAGIC {
            return Err(bad(at)("no automerge magic bytes"));
        }
        r.take(4).map_err(bad(at))?; // checksum
        let kind = r.byte().map_err(bad(at))?;
        let len = r.size().map_err(bad(at))?;
        let body = r.take(len).map_err(bad(at))?;
        match kind {
            DOCUMENT => self.document(body),
            CHANGE => self.change(body, "change chunk"),
            COMPRESSED => {
                let inflated = self.inflate(body, "compressed change chunk")?;
                self.change(&inflated, "compressed change chunk")
            }
            BUNDLE => self.bundle(body),
            _ => Err(bad(at)("unknown chunk type")),
        }
    }

    fn document(&mut self, body: &[u8]) -> Result<(), OverBudget> {
        let at = "document chunk";
        let mut r = Reader::new(body);
        r.skip_actors().map_err(bad(at))?;
        r.skip_hashes().map_err(bad(at))?;
        let change_columns = read_columns(&mut r).map_err(bad(at))?;
        let op_columns = read_columns(&mut r).map_err(bad(at))?;
        let change_data = r.take(total_len(&change_columns).map_err(bad(at))?);
        let change_data = change_data.map_err(bad(at))?;
        let op_data = r.take(total_len(&op_columns).map_err(bad(at))?);
        let op_data = op_data.map_err(bad(at))?;
        // What follows is the heads' indices, which cost nothing.
        self.section(
            &change_columns,
            change_data,
            DOCUMENT_CHANGES,
            Rows::Changes,
            Some(DOCUMENT_TIME),
            at,
        )?;
        self.section(&op_columns, op_data, DOCUMENT_OPS, Rows::Ops, None, at)
    }

    fn change(&mut self, body: &[u8], at: &'static str) -> Result<(), OverBudget> {
        let mut r = Reader::new(body);
        let header = |r: &mut Reader<'_>| -> Result<i64, &'static str> {
            r.skip_hashes()?; // dependencies
            r.length_prefixed()?; // actor
            r.uleb()?; // seq
            r.uleb()?; // start_op
            let time = r.sleb()?;
            r.length_prefixed()?; // message
            r.skip_actors()?; // other actors
            Ok(time)
        };
        let time = header(&mut r).map_err(bad(at))?;
        self.time(time)?;
        let columns = read_columns(&mut r).map_err(bad(at))?;
        let data = r.take(total_len(&columns).map_err(bad(at))?);
        let data = data.map_err(bad(at))?;
        // What follows is the change's extra bytes, which cost nothing.
        if columns.iter().any(RawColumn::deflated) {
            return Err(bad(at)("DEFLATE-compressed columns in a change"));
        }
        self.add(Rows::Changes, 1)?;
        self.section(&columns, data, CHANGE_OPS, Rows::Ops, None, at)
    }

    fn bundle(&mut self, body: &[u8]) -> Result<(), OverBudget> {
        let at = "bundle chunk";
        let mut r = Reader::new(body);
        r.skip_hashes().map_err(bad(at))?;
        r.skip_actors().map_err(bad(at))?;
        let change_columns = read_columns(&mut r).map_err(bad(at))?;
        let change_data = r.take(total_len(&change_columns).map_err(bad(at))?);
        let change_data = change_data.map_err(bad(at))?;
        let op_columns = read_columns(&mut r).map_err(bad(at))?;
        let op_data = r.take(total_len(&op_columns).map_err(bad(at))?);
        let op_data = op_data.map_err(bad(at))?;
        self.section(
            &change_columns,
            change_data,
            BUNDLE_CHANGES,
            Rows::Changes,
            Some(BUNDLE_TIME),
            at,
        )?;
        self.section(&op_columns, op_data, BUNDLE_OPS, Rows::Ops, None, at)
    }

    /// Count one set of columns: rows towards `rows`, group entries towards
    /// the references of the same kind; check the times in every delta
    /// column with id `time_id` (automerge reads one; a malformed chunk may
    /// hold several).
    fn section(
        &mut self,
        columns: &[RawColumn],
        data: &[u8],
        known: &[u32],
        rows: Rows,
        time_id: Option<u32>,
        at: &'static str,
    ) -> Result<(), OverBudget> {
        let index = |column: &RawColumn| {
            let id = column.id();
            known.contains(&id).then_some(id as usize)
        };
        // Columns sharing the id of a group column hold its entries.
        let mut grouped = [false; IDS];
        for column in columns {
            if let (Some(i), GROUP) = (index(column), column.kind()) {
                grouped[i] = true;
            }
        }
        let mut section_rows = 0_u64;
        let mut group_sum = [0_u64; IDS];
        let mut entries = [0_u64; IDS];
        let mut value_lengths = [0_u64; IDS];
        let mut raw_bytes = [0_u64; IDS];
        let mut has_raw = [false; IDS];
        let mut offset = 0_usize;
        for column in columns {
            let end = offset.checked_add(column.len);
            let stored = end.and_then(|end| data.get(offset..end));
            let stored = stored.ok_or_else(|| bad(at)("column outside its data"))?;
            offset += column.len;
            let Some(i) = index(column) else {
                if column.deflated() {
                    self.measure_inflated(stored, at)?;
                }
                continue;
            };
            let bytes: Cow<'_, [u8]> = if column.deflated() {
                Cow::Owned(self.inflate(stored, at)?)
            } else {
                Cow::Borrowed(stored)
            };
            let kind = column.kind();
            if kind == VALUE {
                raw_bytes[i] = raw_bytes[i].max(len_u64(bytes.len()));
                has_raw[i] = true;
                continue;
            }
            let values = match kind {
                GROUP => Values::Counts,
                VALUE_METADATA => Values::ValueMetadata,
                STRING => Values::Strings,
                _ => Values::Numbers,
            };
            let encoding = if kind == BOOLEAN {
                Encoding::Boolean
            } else {
                Encoding::RunLength(values)
            };
            if grouped[i] && kind != GROUP {
                let done = *self.references(rows);
                let room = self.budget.max_ops.saturating_sub(done);
                let scanned = scan(&bytes, encoding, room).map_err(|e| match e {
                    ScanError::TooMany(n) => OverBudget::TooManyReferences {
                        counted: done.saturating_add(n),
                        limit: self.budget.max_ops,
                    },
                    ScanError::Malformed(why) => bad(at)(why),
                })?;
                entries[i] = entries[i].max(scanned.rows);
                continue;
            }
            let (done, limit) = self.total(rows);
            let scanned =
                scan(&bytes, encoding, limit.saturating_sub(done)).map_err(|e| match e {
                    ScanError::TooMany(n) => self.over(rows, done.saturating_add(n)),
                    ScanError::Malformed(why) => bad(at)(why),
                })?;
            section_rows = section_rows.max(scanned.rows);
            if kind == DELTA
                && time_id == Some(column.id())
                && let Some((earliest, latest)) = delta_range(&bytes).map_err(bad(at))?
            {
                self.time(earliest)?;
                self.time(latest)?;
            }
            match kind {
                GROUP => group_sum[i] = group_sum[i].max(scanned.sum),
                VALUE_METADATA => value_lengths[i] = value_lengths[i].max(scanned.sum),
                _ => {}
            }
        }
        let mut references = 0_u64;
        for i in 0..IDS {
            if value_lengths[i] > raw_bytes[i] {
                return Err(bad(at)("values longer than their raw column"));
            }
            if grouped[i] {
                if has_raw[i] {
                    // A group of raw bytes (a bundle's extra bytes).
                    if group_sum[i] > raw_bytes[i] {
                        return Err(bad(at)("extra bytes longer than their raw column"));
                    }
                } else {
                    references = references.saturating_add(group_sum[i].max(entries[i]));
                }
            }
        }
        let limit = self.budget.max_ops;
        let total = self.references(rows);
        *total = total.saturating_add(references);
        if *total > limit {
            return Err(OverBudget::TooManyReferences {
                counted: *total,
                limit,
            });
        }
        self.add(rows, section_rows)
    }

    /// Check a change time against the budget.
    fn time(&self, time: i64) -> Result<(), OverBudget> {
        if (self.budget.earliest_time..=self.budget.latest_time).contains(&time) {
            Ok(())
        } else {
            Err(OverBudget::TimeOutOfRange { time })
        }
    }

    /// The running total of the references that rows of `rows` hold:
    /// operations reference operations, changes changes.
    fn references(&mut self, rows: Rows) -> &mut u64 {
        match rows {
            Rows::Ops => &mut self.op_references,
            Rows::Changes => &mut self.change_references,
        }
    }

    /// The running total and the limit of `rows`.
    fn total(&self, rows: Rows) -> (u64, u64) {
        match rows {
            Rows::Ops => (self.ops, self.budget.max_ops),
            Rows::Changes => (self.changes, self.budget.max_changes),
        }
    }

    fn over(&self, rows: Rows, counted: u64) -> OverBudget {
        match rows {
            Rows::Ops => OverBudget::TooManyOps {
                counted,
                limit: self.budget.max_ops,
            },
            Rows::Changes => OverBudget::TooManyChanges {
                counted,
                limit: self.budget.max_changes,
            },
        }
    }

    fn add(&mut self, rows: Rows, n: u64) -> Result<(), OverBudget> {
        let (done, limit) = self.total(rows);
        let total = done.saturating_add(n);
        if total > limit {
            return Err(self.over(rows, total));
        }
        match rows {
            Rows::Ops => self.ops = total,
            Rows::Changes => self.changes = total,
        }
        Ok(())
    }

    /// Bytes still allowed to inflate, and the reader limit that detects
    /// going beyond them.
    fn inflate_room(&self) -> (usize, u64) {
        let room = self.budget.max_inflated_bytes.saturating_sub(self.inflated);
        (room, len_u64(room).saturating_add(1))
    }

    fn inflate(&mut self, compressed: &[u8], at: &'static str) -> Result<Vec<u8>, OverBudget> {
        let (room, limit) = self.inflate_room();
        let mut out = Vec::new();
        flate2::bufread::DeflateDecoder::new(compressed)
            .take(limit)
            .read_to_end(&mut out)
            .map_err(|_| bad(at)("DEFLATE data does not inflate"))?;
        self.charge_inflated(out.len(), room)?;
        Ok(out)
    }

    /// Inflate without keeping the bytes (columns this module does not
    /// read but automerge inflates).
    fn measure_inflated(&mut self, compressed: &[u8], at: &'static str) -> Result<(), OverBudget> {
        let (room, limit) = self.inflate_room();
        let mut decoder = flate2::bufread::DeflateDecoder::new(compressed).take(limit);
        let n = io::copy(&mut decoder, &mut io::sink())
            .map_err(|_| bad(at)("DEFLATE data does not inflate"))?;
        self.charge_inflated(usize::try_from(n).unwrap_or(usize::MAX), room)
    }

    fn charge_inflated(&mut self, n: usize, room: usize) -> Result<(), OverBudget> {
        if n > room {
            return Err(OverBudget::TooLarge {
                limit: self.budget.max_inflated_bytes,
            });
        }
        self.inflated += n;
        Ok(())
    }
}

/// A `Malformed` error maker for the part being read.
fn bad(at: &'static str) -> impl Fn(&'static str) -> OverBudget {
    move |why| OverBudget::Malformed(format!("{at}: {why}"))
}

fn len_u64(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

/// A column as its metadata describes it: spec and length of its data.
struct RawColumn {
    spec: u32,
    len: usize,
}

impl RawColumn {
    fn id(&self) -> u32 {
        self.spec >> 4
    }

    fn kind(&self) -> u32 {
        self.spec & 0b111
    }

    fn deflated(&self) -> bool {
        self.spec & DEFLATE_BIT != 0
    }
}

/// Column metadata: a count, then (spec, length) pairs. Each pair takes at
/// least two bytes, so the list is bounded by the input.
fn read_columns(r: &mut Reader<'_>) -> Result<Vec<RawColumn>, &'static str> {
    let n = r.uleb()?;
    let mut columns = Vec::new();
    for _ in 0..n {
        let spec = u32::try_from(r.uleb()?).map_err(|_| "column spec too large")?;
        let len = r.size()?;
        columns.push(RawColumn { spec, len });
    }
    Ok(columns)
}

fn total_len(columns: &[RawColumn]) -> Result<usize, &'static str> {
    columns
        .iter()
        .try_fold(0_usize, |sum, c| sum.checked_add(c.len))
        .ok_or("column lengths overflow")
}

/// How a column's values are stored.
#[derive(Clone, Copy)]
enum Encoding {
    /// Runs: `n > 0` then one value (n copies); `-n` then n values; `0`
    /// then a count of nulls.
    RunLength(Values),
    /// Alternating counts of `false` and `true`.
    Boolean,
}

/// The values of a run-length column, as far as counting needs them.
#[derive(Clone, Copy)]
enum Values {
    /// LEB128 numbers (actors, integers, deltas), skipped.
    Numbers,
    /// Length-prefixed strings, skipped.
    Strings,
    /// Unsigned numbers that are summed (a group's entry counts).
    Counts,
    /// Value metadata: the byte lengths (`meta >> 4`) are summed.
    ValueMetadata,
}

#[derive(Default)]
struct Scanned {
    rows: u64,
    sum: u64,
}

enum ScanError {
    /// More than the allowed rows (at least this many).
    TooMany(u64),
    Malformed(&'static str),
}

impl From<&'static str> for ScanError {
    fn from(why: &'static str) -> Self {
        ScanError::Malformed(why)
    }
}

/// Count the rows of one column, stopping beyond `max_rows`; cost
/// proportional to the column's bytes.
fn scan(bytes: &[u8], encoding: Encoding, max_rows: u64) -> Result<Scanned, ScanError> {
    let mut r = Reader::new(bytes);
    let mut s = Scanned::default();
    let add_rows = |s: &mut Scanned, n: u64| {
        s.rows = s.rows.saturating_add(n);
        if s.rows > max_rows {
            Err(ScanError::TooMany(s.rows))
        } else {
            Ok(())
        }
    };
    match encoding {
        Encoding::Boolean => {
            while !r.is_empty() {
                let n = r.uleb()?;
                add_rows(&mut s, n)?;
            }
        }
        Encoding::RunLength(values) => {
            while !r.is_empty() {
                let run = r.sleb()?;
                if run > 0 {
                    let n = run.unsigned_abs();
                    add_rows(&mut s, n)?;
                    let value = r.value(values)?;
                    s.sum = s.sum.saturating_add(n.saturating_mul(value));
                } else if run < 0 {
                    let n = run.unsigned_abs();
                    // Every value takes at least one byte.
                    if n > len_u64(r.remaining()) {
                        return Err(ScanError::Malformed("literal run beyond its column"));
                    }
                    add_rows(&mut s, n)?;
                    for _ in 0..n {
                        let value = r.value(values)?;
                        s.sum = s.sum.saturating_add(value);
                    }
                } else {
                    let nulls = r.uleb()?;
                    add_rows(&mut s, nulls)?;
                }
            }
        }
    }
    Ok(s)
}

/// The earliest and the latest value of a delta-encoded column — the
/// running sums of its deltas, nulls leaving the sum as it is — or `None`
/// if it holds no value. A run repeating one delta `n` times reaches its
/// extremes at its ends, so the cost is one step per run. A sum beyond
/// `i64` is an error (automerge panics on it).
fn delta_range(bytes: &[u8]) -> Result<Option<(i64, i64)>, &'static str> {
    const OVERFLOW: &str = "delta-encoded values overflow";
    let mut r = Reader::new(bytes);
    let mut sum = 0_i64;
    let mut range: Option<(i64, i64)> = None;
    let mut see = |v: i64| {
        range = Some(range.map_or((v, v), |(lo, hi)| (lo.min(v), hi.max(v))));
    };
    while !r.is_empty() {
        let run = r.sleb()?;
        if run > 0 {
            let delta = r.sleb()?;
            let first = sum.checked_add(delta).ok_or(OVERFLOW)?;
            let last = i128::from(sum) + i128::from(run) * i128::from(delta);
            let last = i64::try_from(last).map_err(|_| OVERFLOW)?;
            see(first);
            see(last);
            sum = last;
        } else if run < 0 {
            for _ in 0..run.unsigned_abs() {
                sum = sum.checked_add(r.sleb()?).ok_or(OVERFLOW)?;
                see(sum);
            }
        } else {
            r.uleb()?;
        }
    }
    Ok(range)
}

/// A cursor over bytes whose every read is checked.
struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    fn new(data: &'a [u8]) -> Self {
        Reader { rest: data }
    }

    fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    fn remaining(&self) -> usize {
        self.rest.len()
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], &'static str> {
        if n > self.rest.len() {
            return Err("data ends early");
        }
        let (taken, rest) = self.rest.split_at(n);
        self.rest = rest;
        Ok(taken)
    }

    fn byte(&mut self) -> Result<u8, &'static str> {
        let (&first, rest) = self.rest.split_first().ok_or("data ends early")?;
        self.rest = rest;
        Ok(first)
    }

    fn uleb(&mut self) -> Result<u64, &'static str> {
        let mut value = 0_u64;
        for i in 0..10 {
            let byte = self.byte()?;
            let low = u64::from(byte & 0x7f);
            if i == 9 && low > 1 {
                return Err("LEB128 number too large");
            }
            value |= low << (7 * i);
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err("LEB128 number too large")
    }

    fn sleb(&mut self) -> Result<i64, &'static str> {
        let mut value = 0_i64;
        for i in 0..10 {
            let byte = self.byte()?;
            let shift = 7 * i;
            value |= i64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                if shift + 7 < 64 && byte & 0x40 != 0 {
                    value |= -1_i64 << (shift + 7);
                }
                return Ok(value);
            }
        }
        Err("LEB128 number too large")
    }

    /// A LEB128 number as a length.
    fn size(&mut self) -> Result<usize, &'static str> {
        usize::try_from(self.uleb()?).map_err(|_| "length too large")
    }

    fn length_prefixed(&mut self) -> Result<&'a [u8], &'static str> {
        let n = self.size()?;
        self.take(n)
    }

    /// A count of length-prefixed actor ids.
    fn skip_actors(&mut self) -> Result<(), &'static str> {
        let n = self.uleb()?;
        for _ in 0..n {
            self.length_prefixed()?;
        }
        Ok(())
    }

    /// A count of 32-byte change hashes.
    fn skip_hashes(&mut self) -> Result<(), &'static str> {
        let n = self.uleb()?;
        for _ in 0..n {
            self.take(32)?;
        }
        Ok(())
    }

    /// One value of a run-length column: the number to sum, or 0.
    fn value(&mut self, values: Values) -> Result<u64, &'static str> {
        match values {
            Values::Numbers => {
                // Signed or unsigned, a LEB128 number ends at the first
                // byte without the high bit.
                for _ in 0..10 {
                    if self.byte()? & 0x80 == 0 {
                        return Ok(0);
                    }
                }
                Err("LEB128 number too large")
            }
            Values::Strings => self.length_prefixed().map(|_| 0),
            Values::Counts => self.uleb(),
            Values::ValueMetadata => self.uleb().map(|meta| meta >> 4),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::marks::{ExpandMark, Mark};
    use automerge::sync::{Message, State, SyncDoc};
    use automerge::transaction::Transactable;
    use automerge::{ActorId, Automerge, Change, ChangeHash, ObjType, ROOT, ReadDoc, ScalarValue};
    use std::time::Instant;

    const PLENTY: Budget = Budget {
        max_ops: u64::MAX,
        max_changes: u64::MAX,
        max_inflated_bytes: 1 << 30,
        earliest_time: i64::MIN,
        latest_time: i64::MAX,
    };

    fn actor(name: &str) -> ActorId {
        ActorId::from(name.as_bytes())
    }

    fn ops_of(changes: &[Change]) -> u64 {
        changes.iter().map(|c| c.len() as u64).sum()
    }

    fn counted(ops: u64, changes: usize) -> Counted {
        Counted {
            ops,
            changes: changes as u64,
        }
    }

    /// Three actors editing a map, a list, a counter and a text of a few
    /// thousand characters (with a mark) in 600 small changes, merged now
    /// and then.
    fn rich_doc() -> Automerge {
        doc_of(200)
    }

    fn doc_of(rounds: usize) -> Automerge {
        let mut a = Automerge::new().with_actor(actor("actor-a"));
        let mut tx = a.transaction();
        let text = tx.put_object(ROOT, "text", ObjType::Text).unwrap();
        let list = tx.put_object(ROOT, "list", ObjType::List).unwrap();
        let map = tx.put_object(ROOT, "map", ObjType::Map).unwrap();
        tx.put(&map, "counter", ScalarValue::counter(0)).unwrap();
        tx.commit();
        let mut b = a.fork().with_actor(actor("actor-b"));
        let mut c = a.fork().with_actor(actor("actor-c"));
        for i in 0..rounds {
            for (n, doc) in [&mut a, &mut b, &mut c].into_iter().enumerate() {
                let mut tx = doc.transaction();
                let len = tx.length(&text);
                tx.splice_text(&text, len / 2, 0, "值班 round ok; ")
                    .unwrap();
                tx.put(&map, format!("k{}", i % 7), i as i64 * 3 + n as i64)
                    .unwrap();
                tx.insert(&list, 0, format!("item {i}")).unwrap();
                if i % 5 == 4 {
                    tx.delete(&list, 1).unwrap();
                    tx.splice_text(&text, 2, 3, "").unwrap();
                    tx.increment(&map, "counter", 2).unwrap();
                }
                if i % 50 == 10 {
                    let mark = Mark::new("bold".into(), true, 1, 4);
                    tx.mark(&text, mark, ExpandMark::After).unwrap();
                }
                tx.commit();
            }
            if i % 30 == 29 {
                a.merge(&mut b).unwrap();
                b.merge(&mut a).unwrap();
                c.merge(&mut a).unwrap();
            }
        }
        a.merge(&mut b).unwrap();
        a.merge(&mut c).unwrap();
        assert!(
            rounds < 200 || a.length(&text) > 3_000,
            "a few thousand characters"
        );
        a
    }

    #[test]
    fn documents_count_their_stored_ops_and_their_changes() {
        let doc = rich_doc();
        let changes = doc.get_changes(&[]);
        let stats = doc.stats();
        assert_eq!(stats.num_changes, changes.len() as u64);
        let whole = counted(stats.num_ops, changes.len());
        // Deleted ops live on only as successors in a document.
        assert!(stats.num_ops < ops_of(&changes));

        let saved = doc.save();
        assert_eq!(saved[8], DOCUMENT);
        assert_eq!(count(&saved, &PLENTY), Ok(whole));
        // Some of its columns are DEFLATE-compressed, so that was tested.
        let mut r = Reader::new(&saved[9..]);
        let body = r.length_prefixed().unwrap();
        let mut r = Reader::new(body);
        r.skip_actors().unwrap();
        r.skip_hashes().unwrap();
        let cols = read_columns(&mut r).unwrap();
        let mut cols2 = read_columns(&mut r).unwrap();
        cols2.extend(cols);
        assert!(cols2.iter().any(RawColumn::deflated));

        assert_eq!(count(&doc.save_nocompress(), &PLENTY), Ok(whole));
        // A document loaded from bytes saves the same.
        let loaded = Automerge::load(&saved).unwrap();
        assert_eq!(count(&loaded.save(), &PLENTY), Ok(whole));
        // A document, then change chunks: both counted.
        let mut more = doc.fork().with_actor(actor("actor-d"));
        let heads = more.get_heads();
        let mut tx = more.transaction();
        tx.put(ROOT, "late", "yes").unwrap();
        tx.commit();
        let mut joined = saved.clone();
        joined.extend(more.save_after(&heads));
        assert_eq!(
            count(&joined, &PLENTY),
            Ok(counted(whole.ops + 1, changes.len() + 1))
        );
    }

    #[test]
    fn changes_count_every_op() {
        let doc = rich_doc();
        let changes = doc.get_changes(&[]);
        assert_eq!(
            count(&doc.save_after(&[]), &PLENTY),
            Ok(counted(ops_of(&changes), changes.len()))
        );
        // From some heads on.
        let middle: Vec<ChangeHash> = vec![changes[changes.len() / 2].hash()];
        let after = doc.get_changes(&middle);
        assert!(!after.is_empty() && after.len() < changes.len());
        assert_eq!(
            count(&doc.save_after(&middle), &PLENTY),
            Ok(counted(ops_of(&after), after.len()))
        );
        let mut compressed = 0;
        for mut change in changes {
            let n = counted(change.len() as u64, 1);
            assert_eq!(change.raw_bytes()[8], CHANGE);
            assert_eq!(count(change.raw_bytes(), &PLENTY), Ok(n));
            let bytes = change.bytes().into_owned();
            if bytes[8] == COMPRESSED {
                compressed += 1;
            }
            assert_eq!(count(&bytes, &PLENTY), Ok(n));
        }
        assert!(compressed > 0, "some changes were large enough to compress");
    }

    #[test]
    fn bundles_count_their_changes_ops() {
        let doc = rich_doc();
        let changes = doc.get_changes(&[]);
        for picked in [
            changes.iter().collect::<Vec<_>>(),
            changes.iter().step_by(3).collect(),
            changes.iter().skip(100).take(40).collect(),
        ] {
            let bundle = doc.bundle(picked.iter().map(|c| c.hash())).unwrap();
            let bytes = bundle.bytes();
            assert_eq!(bytes[8], BUNDLE);
            let ops = picked.iter().map(|c| c.len() as u64).sum();
            assert_eq!(count(bytes, &PLENTY), Ok(counted(ops, picked.len())));
            // automerge agrees that is what the bundle holds.
            assert_eq!(bundle.to_changes().unwrap().len(), picked.len());
        }
    }

    /// Deliver a message from `from` to `to`, checking `count_message`
    /// against what `to` received; returns whether it held a document.
    fn deliver(
        from: &Automerge,
        from_state: &mut State,
        to: &mut Automerge,
        to_state: &mut State,
    ) -> Option<bool> {
        let message = from.generate_sync_message(from_state)?;
        let bytes = message.encode();
        let counted_now = count_message(&bytes, &PLENTY).unwrap();
        let message = Message::decode(&bytes).unwrap();
        let document = message
            .changes
            .iter()
            .next()
            .map(|chunk| chunk[8] == DOCUMENT);
        let before = to.get_heads();
        let was_empty = before.is_empty();
        to.receive_sync_message(to_state, message).unwrap();
        match document {
            None => assert_eq!(counted_now, Counted::default()),
            Some(true) => {
                assert!(was_empty);
                let stats = from.stats();
                assert_eq!(
                    counted_now,
                    counted(stats.num_ops, stats.num_changes as usize)
                );
            }
            Some(false) => {
                let received = to.get_changes(&before);
                assert!(!received.is_empty());
                assert_eq!(counted_now, counted(ops_of(&received), received.len()));
            }
        }
        Some(document == Some(true))
    }

    fn sync(a: &mut Automerge, sa: &mut State, b: &mut Automerge, sb: &mut State) -> (u32, u32) {
        let (mut documents, mut change_messages) = (0, 0);
        for _ in 0..20 {
            let one = deliver(a, sa, b, sb);
            let other = deliver(b, sb, a, sa);
            for held in [one, other].into_iter().flatten() {
                if held {
                    documents += 1;
                } else {
                    change_messages += 1;
                }
            }
            if one.is_none() && other.is_none() {
                assert_eq!(a.get_heads(), b.get_heads());
                return (documents, change_messages);
            }
        }
        panic!("sync did not settle");
    }

    #[test]
    fn sync_messages_count_what_they_carry() {
        let mut a = rich_doc();
        let mut b = Automerge::new().with_actor(actor("actor-z"));
        let (mut sa, mut sb) = (State::new(), State::new());
        // A new peer gets the whole document.
        let (documents, _) = sync(&mut a, &mut sa, &mut b, &mut sb);
        assert_eq!(documents, 1);
        // Then a few changes each way.
        for (doc, key) in [(&mut a, "from a"), (&mut b, "from b")] {
            for i in 0..3 {
                let mut tx = doc.transaction();
                tx.put(ROOT, key, i).unwrap();
                let text = tx.get(ROOT, "text").unwrap().unwrap().1;
                tx.splice_text(&text, 0, 1, "更正").unwrap();
                tx.commit();
            }
        }
        let (documents, change_messages) = sync(&mut a, &mut sa, &mut b, &mut sb);
        assert_eq!(documents, 0);
        assert!(change_messages >= 2);
        assert!(matches!(
            count_message(&[0x42, 1, 2, 3], &PLENTY),
            Err(OverBudget::Malformed(_))
        ));
    }

    #[test]
    fn limits_stop_the_count() {
        let doc = rich_doc();
        let changes = doc.get_changes(&[]);
        let limited = |max_ops, max_changes, max_inflated_bytes| Budget {
            max_ops,
            max_changes,
            max_inflated_bytes,
            earliest_time: i64::MIN,
            latest_time: i64::MAX,
        };
        let saved = doc.save();
        let stats = doc.stats();
        // Counting stops at the first run beyond the limit.
        assert!(matches!(
            count(&saved, &limited(u64::MAX, 10, 1 << 30)),
            Err(OverBudget::TooManyChanges { counted, limit: 10 })
                if counted > 10 && counted <= stats.num_changes
        ));
        // The document's dependencies already count as 600 references.
        assert!(matches!(
            count(&saved, &limited(100, u64::MAX, 1 << 30)),
            Err(OverBudget::TooManyReferences { counted, limit: 100 }) if counted > 100
        ));
        assert_eq!(
            count(&saved, &limited(u64::MAX, u64::MAX, 100)),
            Err(OverBudget::TooLarge { limit: 100 })
        );
        let all = doc.save_after(&[]);
        assert!(matches!(
            count(&all, &limited(100, u64::MAX, 0)),
            Err(OverBudget::TooManyOps { counted, limit: 100 }) if counted > 100
        ));
        assert_eq!(
            count(&all, &limited(u64::MAX, 10, 0)),
            Err(OverBudget::TooManyChanges {
                counted: 11,
                limit: 10
            })
        );
        // Exactly at the limits is within them.
        let exact = limited(ops_of(&changes), changes.len() as u64, 0);
        assert_eq!(
            count(&all, &exact),
            Ok(counted(ops_of(&changes), changes.len()))
        );
        let one_less = limited(ops_of(&changes) - 1, changes.len() as u64, 0);
        assert!(matches!(
            count(&all, &one_less),
            Err(OverBudget::TooManyOps { .. })
        ));
        assert_eq!(count(&[], &exact), Ok(Counted::default()));
    }

    /// A 2,000,000-character text typed in one change: a few KiB saved.
    #[test]
    fn a_compression_bomb_is_refused_in_a_fraction_of_the_time() {
        const N: usize = 2_000_000;
        let started = Instant::now();
        let mut doc = Automerge::new().with_actor(actor("bomber"));
        let mut tx = doc.transaction();
        let text = tx.put_object(ROOT, "text", ObjType::Text).unwrap();
        tx.splice_text(&text, 0, 0, &"a".repeat(N)).unwrap();
        tx.commit();
        println!("built {N} ops in {:?}", started.elapsed());
        let all = counted(N as u64 + 1, 1);
        let budget = Budget {
            max_ops: 100_000,
            max_changes: 10_000,
            max_inflated_bytes: 64 << 20,
            earliest_time: i64::MIN,
            latest_time: i64::MAX,
        };

        // As a sync message to a new peer: the whole document.
        let mut peer = Automerge::new();
        let (mut ours, mut theirs) = (State::new(), State::new());
        let mut message = None;
        for _ in 0..3 {
            if let Some(m) = peer.generate_sync_message(&mut theirs) {
                doc.receive_sync_message(&mut ours, m).unwrap();
            }
            if let Some(m) = doc.generate_sync_message(&mut ours) {
                if !m.changes.is_empty() {
                    message = Some(m.encode());
                    break;
                }
                peer.receive_sync_message(&mut theirs, m).unwrap();
            }
        }
        let message = message.unwrap();
        let mut change = doc.get_changes(&[]).pop().unwrap();
        let compressed = change.bytes().into_owned();
        assert_eq!(compressed[8], COMPRESSED);
        let document = doc.save();

        let timed = |f: &mut dyn FnMut()| {
            let started = Instant::now();
            f();
            started.elapsed()
        };
        let mut report = Vec::new();
        for (what, bytes) in [
            ("sync message", &message),
            ("document", &document),
            ("compressed change", &compressed),
        ] {
            let is_message = what == "sync message";
            let counter = if is_message { count_message } else { count };
            let mut result = Ok(Counted::default());
            let counting = timed(&mut || result = counter(bytes, &budget));
            assert!(
                matches!(result, Err(OverBudget::TooManyOps { counted, limit: 100_000 }) if counted > 100_000),
                "{what}: {result:?}"
            );
            assert_eq!(counter(bytes, &PLENTY), Ok(all), "{what}");
            let loading = timed(&mut || {
                let mut loaded = Automerge::new();
                if is_message {
                    let m = Message::decode(bytes).unwrap();
                    loaded.receive_sync_message(&mut State::new(), m).unwrap();
                } else {
                    loaded.load_incremental(bytes).unwrap();
                }
                assert_eq!(loaded.length(ROOT), 1);
            });
            let ratio = loading.as_secs_f64() / counting.as_secs_f64().max(1e-9);
            let line = format!(
                "{what}: {} bytes for {} ops; count refused in {counting:?}, automerge took {loading:?} ({ratio:.0}x)",
                bytes.len(),
                all.ops
            );
            println!("{line}");
            report.push((line, ratio));
        }
        for (line, ratio) in report {
            assert!(ratio >= 20.0, "{line}");
        }
        // Its 2 MB of characters inflate beyond a small cap.
        let small = Budget {
            max_inflated_bytes: 1 << 20,
            ..budget
        };
        assert_eq!(
            count(&compressed, &small),
            Err(OverBudget::TooLarge { limit: 1 << 20 })
        );
    }

    fn uleb(out: &mut Vec<u8>, mut v: u64) {
        loop {
            let byte = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                out.push(byte);
                return;
            }
            out.push(byte | 0x80);
        }
    }

    fn sleb(out: &mut Vec<u8>, mut v: i64) {
        loop {
            let byte = (v & 0x7f) as u8;
            v >>= 7;
            if (v == 0 && byte & 0x40 == 0) || (v == -1 && byte & 0x40 != 0) {
                out.push(byte);
                return;
            }
            out.push(byte | 0x80);
        }
    }

    /// A chunk with a valid checksum, as automerge writes it.
    fn chunk(kind: u8, body: &[u8]) -> Vec<u8> {
        use sha2::Digest;
        let mut len = Vec::new();
        uleb(&mut len, body.len() as u64);
        let mut hasher = sha2::Sha256::new();
        hasher.update([kind]);
        hasher.update(&len);
        hasher.update(body);
        let hash = hasher.finalize();
        let mut out = MAGIC.to_vec();
        out.extend(&hash[..4]);
        out.push(kind);
        out.extend(len);
        out.extend(body);
        out
    }

    /// A change chunk of one `put` whose predecessor list claims `preds`
    /// entries (a run: a few bytes).
    fn change_with_preds(preds: u64) -> Vec<u8> {
        let spec = |id: u32, kind: u32| (id << 4) | kind;
        let run = |f: &dyn Fn(&mut Vec<u8>)| {
            let mut v = Vec::new();
            f(&mut v);
            v
        };
        let columns: Vec<(u32, Vec<u8>)> = vec![
            // key: the string "k"
            (
                spec(1, STRING),
                run(&|v| {
                    sleb(v, 1);
                    uleb(v, 1);
                    v.push(b'k');
                }),
            ),
            (spec(3, BOOLEAN), run(&|v| uleb(v, 1))),
            // action 1 (put), value null
            (
                spec(4, 2),
                run(&|v| {
                    sleb(v, 1);
                    uleb(v, 1);
                }),
            ),
            (
                spec(5, VALUE_METADATA),
                run(&|v| {
                    sleb(v, 1);
                    uleb(v, 0);
                }),
            ),
            (
                spec(7, GROUP),
                run(&|v| {
                    sleb(v, 1);
                    uleb(v, preds);
                }),
            ),
            (
                spec(7, 1),
                run(&|v| {
                    sleb(v, preds as i64);
                    uleb(v, 0);
                }),
            ),
            (
                spec(7, 3),
                run(&|v| {
                    sleb(v, 1);
                    sleb(v, 1);
                    sleb(v, preds as i64 - 1);
                    sleb(v, 1);
                }),
            ),
        ];
        let mut body = Vec::new();
        uleb(&mut body, 0); // dependencies
        uleb(&mut body, 16);
        body.extend([7; 16]); // actor
        uleb(&mut body, 1); // seq
        uleb(&mut body, 1); // start op
        sleb(&mut body, 0); // time
        uleb(&mut body, 0); // message
        uleb(&mut body, 0); // other actors
        uleb(&mut body, columns.len() as u64);
        for (spec, data) in &columns {
            uleb(&mut body, u64::from(*spec));
            uleb(&mut body, data.len() as u64);
        }
        for (_, data) in &columns {
            body.extend(data);
        }
        chunk(CHANGE, &body)
    }

    #[test]
    fn references_count_against_the_op_budget() {
        let budget = Budget {
            max_ops: 100_000,
            max_changes: 10_000,
            max_inflated_bytes: 1 << 20,
            earliest_time: i64::MIN,
            latest_time: i64::MAX,
        };
        let small = change_with_preds(3);
        assert_eq!(count(&small, &budget), Ok(counted(1, 1)));
        // automerge reads it as that: one op (the predecessors do not exist).
        let parsed = Change::try_from(&small[..]).unwrap();
        assert_eq!(parsed.len(), 1);
        assert_eq!(parsed.decode().operations[0].pred.len(), 3);

        let bomb = change_with_preds(2_000_000);
        println!(
            "a change claiming 2,000,000 predecessors: {} bytes",
            bomb.len()
        );
        let started = Instant::now();
        let result = count(&bomb, &budget);
        let counting = started.elapsed();
        assert!(matches!(
            result,
            Err(OverBudget::TooManyReferences { counted, limit: 100_000 }) if counted > 100_000
        ));
        let started = Instant::now();
        let parsed = Change::try_from(&bomb[..]).map(|c| c.len());
        println!(
            "refused in {counting:?}; automerge parsed it in {:?}: {parsed:?}",
            started.elapsed()
        );
    }

    /// xorshift64: fixed-seed bytes.
    struct Bytes(u64);

    impl Bytes {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn fill(&mut self, n: usize) -> Vec<u8> {
            (0..n).map(|_| self.next() as u8).collect()
        }
    }

    #[test]
    fn truncated_mutated_and_random_bytes_never_panic() {
        let doc = doc_of(12);
        let changes = doc.get_changes(&[]);
        // A change long enough to compress, a document with a
        // DEFLATE-compressed column.
        let mut long = Automerge::new();
        let mut tx = long.transaction();
        let text = tx.put_object(ROOT, "t", ObjType::Text).unwrap();
        let line: String = (0..400)
            .map(|i| char::from(b'a' + (i * 7 % 26) as u8))
            .collect();
        tx.splice_text(&text, 0, 0, &line).unwrap();
        tx.commit();
        let compressed = long.get_changes(&[])[0].bytes().into_owned();
        assert_eq!(compressed[8], COMPRESSED);
        let mut deflated = doc.save();
        deflated.extend(long.save());
        let bundle = doc.bundle(changes.iter().map(|c| c.hash())).unwrap();
        let samples = [
            deflated,
            doc.save_nocompress(),
            doc.save_after(&[]),
            compressed,
            bundle.bytes().to_vec(),
        ];
        let mut random = Bytes(0x5eed_cafe_f00d_1234);
        for sample in &samples {
            let whole = count(sample, &PLENTY).unwrap();
            assert!(whole.ops > 0);
            for len in 0..sample.len() {
                if let Ok(part) = count(&sample[..len], &PLENTY) {
                    assert!(part.ops <= whole.ops && part.changes <= whole.changes);
                }
            }
            for _ in 0..3_000 {
                let mut mutated = sample.clone();
                let at = random.next() as usize % mutated.len();
                mutated[at] ^= (random.next() % 255 + 1) as u8;
                let _ = count(&mutated, &PLENTY);
            }
        }
        for _ in 0..20_000 {
            let len = (random.next() % 400) as usize;
            let noise = random.fill(len);
            assert!(count(&noise, &PLENTY).is_err() || noise.is_empty());
            let _ = count_message(&noise, &PLENTY);
            // Behind a valid header, so the bodies are read.
            let kind = (random.next() % 4) as u8;
            let _ = count(&chunk(kind, &noise), &PLENTY);
        }
    }

    /// A bundle whose value metadata claims more bytes than its raw value
    /// column holds (automerge 0.12 would slice beyond the column).
    fn bundle_with_long_value() -> (Vec<u8>, Vec<u8>) {
        let mut doc = Automerge::new();
        let mut tx = doc.transaction();
        tx.put(ROOT, "k", "v").unwrap();
        tx.commit();
        let bundle = doc.bundle(doc.get_heads()).unwrap().bytes().to_vec();
        let mut r = Reader::new(&bundle[9..]);
        let body = r.length_prefixed().unwrap();
        let at = bundle.len() - body.len();
        let mut r = Reader::new(body);
        r.skip_hashes().unwrap();
        r.skip_actors().unwrap();
        let changes = read_columns(&mut r).unwrap();
        r.take(total_len(&changes).unwrap()).unwrap();
        let ops = read_columns(&mut r).unwrap();
        let mut offset = body.len() - r.remaining();
        let mut patched = body.to_vec();
        for column in &ops {
            if column.spec == (5 << 4) | VALUE_METADATA {
                // A literal run of one string of 1 byte: [-1, 1 << 4 | 6].
                assert_eq!(&body[offset..offset + column.len], &[0x7f, 0x16]);
                // Now of 7 bytes.
                patched[offset + 1] = (7 << 4) | 6;
            }
            offset += column.len;
        }
        assert_ne!(patched, body);
        assert_eq!(&bundle[at..], body);
        (bundle, chunk(BUNDLE, &patched))
    }

    #[test]
    fn values_beyond_their_column_are_malformed() {
        let (bundle, patched) = bundle_with_long_value();
        assert_eq!(count(&bundle, &PLENTY), Ok(counted(1, 1)));
        assert_eq!(
            count(&patched, &PLENTY),
            Err(OverBudget::Malformed(
                "bundle chunk: values longer than their raw column".into()
            ))
        );
    }

    /// A document of `times.len()` changes made at those times.
    fn timed_doc(times: &[i64]) -> Automerge {
        let mut doc = Automerge::new().with_actor(actor("timed"));
        for (i, &time) in times.iter().enumerate() {
            doc.transact_with::<_, _, automerge::AutomergeError, _>(
                |_| automerge::transaction::CommitOptions::default().with_time(time),
                |tx| tx.put(ROOT, "n", i as i64).map(|_| ()),
            )
            .unwrap();
        }
        doc
    }

    fn within(earliest_time: i64, latest_time: i64) -> Budget {
        Budget {
            earliest_time,
            latest_time,
            ..PLENTY
        }
    }

    #[test]
    fn change_times_outside_the_budget_are_refused_in_changes_documents_and_bundles() {
        // Ten changes a second apart: the document's time column is one
        // value and a run of the same delta nine times, so its latest time
        // is only at the end of the run.
        let times: Vec<i64> = (0..10).map(|i| 1_700_000_000 + i * 1_000).collect();
        let doc = timed_doc(&times);
        let (first, last) = (times[0], times[9]);
        let changes = doc.get_changes(&[]);
        let all_changes: Vec<u8> = changes
            .iter()
            .flat_map(|c| c.raw_bytes().to_vec())
            .collect();
        let bundle = doc.bundle(changes.iter().map(|c| c.hash())).unwrap();
        for (what, bytes) in [
            ("document", doc.save()),
            ("changes", all_changes),
            ("bundle", bundle.bytes().to_vec()),
        ] {
            assert!(count(&bytes, &within(first, last)).is_ok(), "{what}");
            assert_eq!(
                count(&bytes, &within(first, last - 1)),
                Err(OverBudget::TimeOutOfRange { time: last }),
                "{what}"
            );
            assert_eq!(
                count(&bytes, &within(first + 1, last)),
                Err(OverBudget::TimeOutOfRange { time: first }),
                "{what}"
            );
        }
    }

    #[test]
    fn a_change_from_the_far_past_is_refused_before_automerge_applies_it() {
        // automerge 0.12 panics applying this one (a delta overflows i64).
        let mut doc = timed_doc(&[1_700_000_000]);
        let mut other = doc.fork().with_actor(actor("forger"));
        other
            .transact::<_, _, automerge::AutomergeError>(|tx| tx.put(ROOT, "forged", 1).map(|_| ()))
            .unwrap();
        // Written as a peer writes bytes, not through a local commit
        // (which automerge refuses to do with such a time).
        let mut forged = other.get_changes(&doc.get_heads())[0].decode();
        forged.time = i64::MIN;
        forged.hash = None;
        let bytes = Change::from(forged).raw_bytes().to_vec();
        assert_eq!(
            count(&bytes, &within(0, i64::MAX)),
            Err(OverBudget::TimeOutOfRange { time: i64::MIN })
        );
        assert!(count(&bytes, &PLENTY).is_ok());
        // And what automerge does with it, for the record: it panics.
        let applied = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            doc.load_incremental(&bytes)
        }));
        assert!(applied.is_err(), "automerge applied it: update this test");
    }

    #[test]
    fn delta_sums_beyond_i64_are_malformed() {
        let mut column = Vec::new();
        sleb(&mut column, 3); // a run of three
        sleb(&mut column, i64::MAX / 2); // of this delta
        assert_eq!(delta_range(&column), Err("delta-encoded values overflow"));
        let mut column = Vec::new();
        sleb(&mut column, -2); // two literal values
        sleb(&mut column, -5);
        sleb(&mut column, 7);
        sleb(&mut column, 0); // three nulls
        uleb(&mut column, 3);
        assert_eq!(delta_range(&column), Ok(Some((-5, 2))));
        assert_eq!(delta_range(&[]), Ok(None));
    }
}
