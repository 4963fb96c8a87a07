//! A seeded, deterministic fault simulation of sync: tablets, a proxy,
//! the real hub over the real `DocStore`, and everything that goes wrong
//! between them.
//!
//! Shared by the test (`tests/fault_simulation.rs`, a few hundred seeds)
//! and the bench (`examples/fault_sim.rs`, 10,000 seeds, `--seed S` to
//! replay one verbosely). Given the seed, a run is the same bit for bit:
//! every choice comes from one splitmix64 stream ([`Rng`]), the site key,
//! actors and peer ids are drawn from it, there is no wall clock (time is
//! the simulation's `now`), and nothing decides from a `HashMap`'s order
//! (the hub's effects of one input are put in a fixed order first: by
//! connection, then by document). [`Outcome::digest`] fingerprints the
//! whole run so a test can check that.
//!
//! **What is simulated.**
//!
//! * *Tablets*: five enrolled devices of site `a` and one supervisor's
//!   desktop, each the model's [`SyncClient`] with an in-memory storage
//!   map that mirrors the app's `storage.rs`/`store.rs` ("saved means
//!   stored", invariant 4): after every edit, and on every `Changed` and
//!   `Confirmed` output, the tablet writes the document (a copy of it;
//!   a reload goes through `save()` and `load()`), its confirmed heads and
//!   its purpose. A write may be refused (quota): then the edit is not
//!   saved, stays in memory and is written with the document's next
//!   write. The app's timers are there: `retry_unavailable` 2 s after a
//!   `doc-unavailable` (three times per document and session) and every
//!   15 s.
//! * *Edits* through the model's real writers, from eleven families:
//!   checklist marks (`mark_starting`), duty-log entries, the security
//!   log, show-flat visitor counts (an automerge counter), visitors
//!   (day + open index, `change_pair`), complaints (board + index),
//!   follow-ups (board + index), owner visits, the key register (register
//!   and note), the site settings (the desktop only; read-only for
//!   devices) and raw automerge puts on documents with random ids (claimed
//!   by their first upload). Derived ids are opened by every tablet with
//!   the same deterministic genesis, offline too: concurrent genesis.
//!   Tablets also ask for documents they lack (another day, a link).
//! * *A squatter* (invariant 5): a device of site `b` that once held site
//!   `a`'s key uploads its own content to `a`'s derived ids (no
//!   registration, so an unowned id becomes `b`'s) and asks for them,
//!   under the same faults; `a`'s registrations take such ids back.
//! * *The proxy* between each client and the hub, per frame and
//!   direction, with per-seed probabilities: **drop** (never delivered),
//!   **duplicate** (a second copy, at a random later step), **reorder**
//!   (this frame is held 1..N steps while later ones pass it), **hold**
//!   (the whole direction stalls 1..N steps, order kept, like a TCP
//!   stall), and **cut** (the connection closes: the hub gets
//!   `Input::Disconnected`, the client `disconnected()`, frames in flight
//!   are lost; the tablet reconnects after a backoff with a new
//!   connection, `connected()` + the server's `peer`). With
//!   [`Config::ordered`] there are no drops, duplicates or reorders (what
//!   a WebSocket over TCP gives); everything else stays.
//! * *Offline windows*: a tablet is cut and stays away for a random span
//!   while it keeps editing. *Reloads*: the tablet's client is dropped and
//!   rebuilt from its storage only, with a fresh actor and peer id, as the
//!   app does on every start (anything not saved is gone).
//! * *The server*: a real [`Hub`] over a real [`DocStore`] (SQLite, WAL,
//!   `synchronous=FULL`) in a temporary directory. Its loads and writes
//!   are carried out in seed-chosen order and timing (the hub keeps one
//!   operation per document in flight, so any order is allowed), writes
//!   of several documents in one `commit` (group commit, like the
//!   runtime's writer); a write group or a load may fail (the hub retries
//!   after `RETRY_MS` on a tick), and a commit may be durable yet reported
//!   failed (an I/O error after the data was on disk: the hub retries a
//!   write that happened); documents are compacted after a commit once
//!   they have a seed-chosen number of change rows (small, so compaction
//!   happens; the runtime uses `COMPACT_AT`); documents leave the hub's
//!   memory after a seed-chosen idle time. **Kill -9**: the hub and every
//!   storage operation not yet carried out are thrown away (sometimes
//!   right after a commit, before the hub heard of it); frames the hub had
//!   already sent may still reach the tablet (a seed-chosen prefix, what
//!   the kernel had buffered), then every connection drops; after a
//!   random downtime a new hub starts over the same directory
//!   (`Store::open` and `DocStore::open` again).
//!
//! **What is checked.**
//!
//! * After every restart, and at the end: every change a tablet of site
//!   `a` ever saw *confirmed* (its confirmed heads at each `Confirmed`
//!   output, which imply their causal past) is in the `DocStore` —
//!   acknowledged means durable (invariant 9); every change confirmed to
//!   site `b`'s squatter is still stored as `b`'s or was set aside in
//!   `quarantined_docs` — never deleted.
//! * After healing (no faults, the server up, every tablet asking for
//!   every document of site `a` anyone holds, run until nothing moves and
//!   the state stops changing, bounded; only connections that saw a frame
//!   dropped, duplicated or reordered are renewed — any other live one
//!   must converge as it is):
//!   every tablet of site `a` and the server (loaded from the `DocStore`)
//!   have the same heads for every document and no change waiting for
//!   missing dependencies; every change any of them saved is on every
//!   replica; every tablet counts nothing unconfirmed; every tablet's
//!   storage holds what its memory holds (except documents whose last
//!   write was refused); read through the model, every record whose
//!   change is present is visible (duty entries, visits, complaints and
//!   their index entries, follow-ups, owner visits, keys, security-log
//!   lines, checklist marks, raw keys), and each show-flat day's visitor
//!   counter is the sum of the additions present — a concurrent genesis
//!   that split a container would show here; no change of site `b`'s is
//!   in a document of site `a`'s on the server, and the squatter holds
//!   nothing but its own changes.
//! * Any panic (hub, client, automerge, model) is a failure too. A
//!   failure names the seed and the command that replays it.

#![allow(dead_code)]

use automerge::transaction::Transactable as _;
use automerge::{ActorId, Automerge, ChangeHash, ROOT, ReadDoc as _};
use shiftbook_model::attribution::Attribution;
use shiftbook_model::client::{Output, SyncClient};
use shiftbook_model::ids::Derive;
use shiftbook_model::protocol::{PROTOCOL_VERSION, PeerId, WireMessage};
use shiftbook_model::roster::Role;
use shiftbook_model::schedule::{Date, LocalDateTime};
use shiftbook_model::{
    DocumentId, SiteKey, checklist, complaint, duty_log, followup, key_register, owner_visit,
    security_log, settings, show_flat, template, visitor_log,
};
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use sync_server::doc_store::{DocStore, WriteOp};
use sync_server::hub::{ConnId, Effect, Hub, HubConfig, Input, RETRY_MS};
use sync_server::principal::Principal;
use sync_server::store::Store;

/// The site every tablet belongs to.
const SITE: &str = "a";
/// Service days the day documents are for (two, so tablets share them).
const DATES: [&str; 2] = ["2026-11-23", "2026-11-24"];
/// The month of the monthly boards.
const MONTH: &str = "2026-11";
/// The show flat counted.
const FLAT: &str = "flat-a";
/// The checklist slot marked.
const SLOT: &str = "0830";
/// Device time of simulated time 0 (2026-11-23 08:00 UTC), for
/// attributions only.
const BASE_MS: i64 = 1_795_420_800_000;
/// How often the hub ticks (the runtime's `TICK`).
const TICK_MS: u64 = 1_000;
/// The app's timer asking again for unavailable documents.
const SLOW_RETRY_MS: u64 = 15_000;
/// The app's quick retry after a `doc-unavailable`.
const QUICK_RETRY_MS: u64 = 2_000;
/// Quick retries per document and session.
const QUICK_RETRIES: u8 = 3;
/// Steps one settling pass of the healing phase may take.
const SETTLE_STEPS: u64 = 20_000;
/// Rounds of the healing phase before it is declared stuck.
const HEAL_ROUNDS: u32 = 60;

/// The command that replays `seed` of `config` verbosely.
pub fn replay_command(seed: u64, config: &Config) -> String {
    let ordered = if config.ordered { " --ordered" } else { "" };
    format!("cargo run --release -p sync-server --example fault_sim -- --seed {seed}{ordered}")
}

// ---------------------------------------------------------------------------
// Randomness

/// splitmix64: tiny, fast, and the same everywhere.
#[derive(Debug, Clone)]
pub struct Rng {
    state: u64,
}

impl Rng {
    /// A stream for `seed`.
    pub fn new(seed: u64) -> Self {
        Self {
            state: seed ^ 0x5eed_f417_c0de_d00d,
        }
    }

    /// The next 64 bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next_u64() % n }
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi.saturating_sub(lo) + 1)
    }

    /// A float in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        p > 0.0 && self.unit() < p
    }

    /// An index into a slice of `len` (0 when empty).
    pub fn index(&mut self, len: usize) -> usize {
        self.below(len as u64) as usize
    }

    /// Shuffle `items` in place (Fisher–Yates).
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.index(i + 1);
            items.swap(i, j);
        }
    }

    /// A probability: 0 a quarter of the time, else uniform in `[0, max]`.
    fn rate(&mut self, max: f64) -> f64 {
        if self.below(4) == 0 {
            0.0
        } else {
            self.unit() * max
        }
    }
}

// ---------------------------------------------------------------------------
// Configuration, profile, statistics

/// Sizes of a run; the same for the test and the bench, so a seed means
/// the same run in both.
#[derive(Debug, Clone)]
pub struct Config {
    /// Enrolled device tablets.
    pub tablets: usize,
    /// Whether a supervisor's desktop takes part too.
    pub desktop: bool,
    /// Whether a device of another site (`b`) that knows site `a`'s key
    /// uploads its own content to `a`'s derived ids.
    pub squatter: bool,
    /// Steps of the faulty phase.
    pub chaos_steps: u64,
    /// Channels keep order and lose nothing (no drops, duplicates or
    /// reorders; stalls and cuts still happen): what TCP gives.
    pub ordered: bool,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            tablets: 5,
            desktop: true,
            squatter: true,
            chaos_steps: 200,
            ordered: false,
        }
    }
}

/// The fault probabilities one seed draws.
#[derive(Debug, Clone)]
pub struct Profile {
    /// Per frame: dropped.
    pub drop: f64,
    /// Per frame: duplicated.
    pub duplicate: f64,
    /// Per frame: held back while later frames pass.
    pub reorder: f64,
    /// Per frame: the direction stalls.
    pub hold: f64,
    /// Longest hold or reorder, in steps.
    pub max_delay: u64,
    /// Per tablet and step: the connection is cut.
    pub cut: f64,
    /// Per tablet and step: an offline window starts.
    pub offline: f64,
    /// Per tablet and step: the tablet reloads from storage.
    pub reload: f64,
    /// Per step: the server is killed (and five times that per
    /// successful commit: killed before the hub heard of it).
    pub kill: f64,
    /// Per write group: the commit fails (nothing written). A third of
    /// it, per successful commit: durable, but reported failed.
    pub write_fail: f64,
    /// Per load: it fails.
    pub load_fail: f64,
    /// Per step: storage carries out operations at all.
    pub storage_rate: f64,
    /// Per storage write of a tablet: refused (quota).
    pub tablet_store_fail: f64,
    /// Per tablet and step: an edit.
    pub edit: f64,
    /// Per tablet and step: the tablet asks for a document it lacks.
    pub want: f64,
    /// The hub's idle unload time.
    pub idle_unload_ms: u64,
    /// Change rows at which a written document is compacted.
    pub compact_at: usize,
}

impl Profile {
    fn draw(rng: &mut Rng) -> Self {
        Self {
            drop: rng.rate(0.05),
            duplicate: rng.rate(0.05),
            reorder: rng.rate(0.10),
            hold: rng.rate(0.05),
            max_delay: rng.range(2, 30),
            cut: rng.rate(0.01),
            offline: rng.rate(0.004),
            reload: rng.rate(0.005),
            kill: rng.rate(0.008),
            write_fail: rng.rate(0.25),
            load_fail: rng.rate(0.15),
            storage_rate: 0.2 + rng.unit() * 0.8,
            tablet_store_fail: rng.rate(0.03),
            edit: 0.01 + rng.unit() * 0.05,
            want: rng.unit() * 0.01,
            idle_unload_ms: [1_500, 5_000, 20_000, 120_000][rng.index(4)],
            compact_at: [4, 16, 64, 256][rng.index(4)],
        }
    }
}

/// What a run did (summed over seeds by the bench).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// Seeds run.
    pub seeds: u64,
    /// Simulation steps (faulty and healing).
    pub steps: u64,
    /// Frames handed to the proxy.
    pub frames: u64,
    /// Frames delivered.
    pub delivered: u64,
    /// Frames dropped.
    pub drops: u64,
    /// Frames duplicated.
    pub duplicates: u64,
    /// Frames held back while later ones passed.
    pub reorders: u64,
    /// Directions stalled.
    pub holds: u64,
    /// Connections cut by the proxy.
    pub cuts: u64,
    /// Offline windows.
    pub offline_windows: u64,
    /// Tablet reloads from storage.
    pub reloads: u64,
    /// Server kills.
    pub server_kills: u64,
    /// Of those, right after a commit the hub never heard of.
    pub kills_after_commit: u64,
    /// Storage operations thrown away by kills.
    pub storage_ops_lost: u64,
    /// Loads carried out.
    pub loads: u64,
    /// Loads failed on purpose.
    pub load_failures: u64,
    /// Writes carried out (committed).
    pub writes: u64,
    /// Commits (groups of writes).
    pub commits: u64,
    /// Writes failed on purpose.
    pub write_failures: u64,
    /// Commits that were durable but reported failed.
    pub ambiguous_commits: u64,
    /// Documents compacted.
    pub compactions: u64,
    /// Edits made.
    pub edits: u64,
    /// Edits the model refused (a key not synced yet…).
    pub refused_edits: u64,
    /// Tablet storage writes refused on purpose.
    pub tablet_store_failures: u64,
    /// Documents asked for.
    pub wants: u64,
    /// Connections the hub closed.
    pub hub_closes: u64,
    /// Frames a client refused (the app closes the socket).
    pub client_errors: u64,
    /// Acknowledged changes checked durable.
    pub acked_checked: u64,
    /// Changes acknowledged to site `b`'s squatter.
    pub squatter_acked: u64,
    /// Squatted documents site `a` took back (set aside, never served).
    pub set_aside: u64,
    /// Document replicas compared after healing.
    pub replicas_checked: u64,
}

impl Stats {
    /// Add `o` to these.
    pub fn add(&mut self, o: &Stats) {
        self.seeds += o.seeds;
        self.steps += o.steps;
        self.frames += o.frames;
        self.delivered += o.delivered;
        self.drops += o.drops;
        self.duplicates += o.duplicates;
        self.reorders += o.reorders;
        self.holds += o.holds;
        self.cuts += o.cuts;
        self.offline_windows += o.offline_windows;
        self.reloads += o.reloads;
        self.server_kills += o.server_kills;
        self.kills_after_commit += o.kills_after_commit;
        self.storage_ops_lost += o.storage_ops_lost;
        self.loads += o.loads;
        self.load_failures += o.load_failures;
        self.writes += o.writes;
        self.commits += o.commits;
        self.write_failures += o.write_failures;
        self.ambiguous_commits += o.ambiguous_commits;
        self.compactions += o.compactions;
        self.edits += o.edits;
        self.refused_edits += o.refused_edits;
        self.tablet_store_failures += o.tablet_store_failures;
        self.wants += o.wants;
        self.hub_closes += o.hub_closes;
        self.client_errors += o.client_errors;
        self.acked_checked += o.acked_checked;
        self.squatter_acked += o.squatter_acked;
        self.set_aside += o.set_aside;
        self.replicas_checked += o.replicas_checked;
    }
}

impl fmt::Display for Stats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "seeds run            {}", self.seeds)?;
        writeln!(f, "steps                {}", self.steps)?;
        writeln!(
            f,
            "frames               {} sent, {} delivered",
            self.frames, self.delivered
        )?;
        writeln!(
            f,
            "frame faults         {} dropped, {} duplicated, {} reordered, {} stalls",
            self.drops, self.duplicates, self.reorders, self.holds
        )?;
        writeln!(
            f,
            "connection faults    {} cuts, {} offline windows, {} reloads",
            self.cuts, self.offline_windows, self.reloads
        )?;
        writeln!(
            f,
            "server kills         {} ({} right after a commit), {} storage ops lost",
            self.server_kills, self.kills_after_commit, self.storage_ops_lost
        )?;
        writeln!(
            f,
            "storage              {} loads ({} failed), {} writes in {} commits ({} writes failed, {} commits durable but reported failed), {} compactions",
            self.loads,
            self.load_failures,
            self.writes,
            self.commits,
            self.write_failures,
            self.ambiguous_commits,
            self.compactions
        )?;
        writeln!(
            f,
            "tablets              {} edits ({} refused by the model), {} wants, {} storage writes refused",
            self.edits, self.refused_edits, self.wants, self.tablet_store_failures
        )?;
        writeln!(
            f,
            "closes               {} by the hub, {} frames refused by a client",
            self.hub_closes, self.client_errors
        )?;
        writeln!(
            f,
            "site isolation       {} changes acknowledged to site b's squatter, {} squatted documents taken back",
            self.squatter_acked, self.set_aside
        )?;
        write!(
            f,
            "checked              {} acknowledged heads durable, {} replicas converged",
            self.acked_checked, self.replicas_checked
        )
    }
}

/// How one seed went.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The seed.
    pub seed: u64,
    /// What it did.
    pub stats: Stats,
    /// A fingerprint of everything that happened (same seed, same digest).
    pub digest: u64,
    /// What went wrong, if anything (the message names the seed).
    pub failure: Option<String>,
}

/// What kind of failure `message` (an [`Outcome::failure`]) is, for
/// counting: its words without names and hashes.
pub fn failure_kind(message: &str) -> &'static str {
    const KINDS: [(&str, &str); 14] = [
        ("panicked", "a panic"),
        (
            "site b's squatter)",
            "site b's squatted content served and acknowledged to site a",
        ),
        ("acknowledged changes lost", "acknowledged changes lost"),
        (
            "acknowledged to site b's device is gone",
            "a change acknowledged to site b deleted",
        ),
        ("site b's change", "site b's content in site a's document"),
        ("site b's device holds", "site a's content reached site b"),
        (
            "unconfirmed changes after healing",
            "changes never confirmed to their tablet",
        ),
        ("diverged", "a tablet diverged from the server"),
        ("lacks saved edits", "saved edits missing on the server"),
        ("does not hold", "a tablet lacks a document"),
        ("storage of", "a tablet's storage behind its memory"),
        ("did not settle", "no quiescence"),
        (
            "refused to compact",
            "stored changes lacking their dependencies (compaction refused)",
        ),
        ("not visible", "a record invisible through the model"),
    ];
    KINDS
        .iter()
        .find(|(needle, _)| message.contains(needle))
        .map_or("other", |(_, kind)| kind)
}

/// Run one seed; `verbose` prints every event.
pub fn run_seed(seed: u64, config: &Config, verbose: bool) -> Outcome {
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut sim = match Sim::new(seed, config, verbose) {
            Ok(sim) => sim,
            Err(e) => return (Stats::default(), 0, Some(format!("setup failed: {e}"))),
        };
        let failure = sim.run().err();
        sim.stats.seeds = 1;
        (sim.stats.clone(), sim.digest, failure)
    }));
    let (stats, digest, failure) = match result {
        Ok(r) => r,
        Err(panic) => {
            let text = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_else(|| "a panic".to_owned());
            let stats = Stats {
                seeds: 1,
                ..Stats::default()
            };
            (stats, 0, Some(format!("panicked: {text}")))
        }
    };
    Outcome {
        seed,
        stats,
        digest,
        failure: failure.map(|f| {
            format!(
                "seed {seed}: {f}\n  replay: {}",
                replay_command(seed, config)
            )
        }),
    }
}

// ---------------------------------------------------------------------------
// Documents

/// Which record a document holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Checklist(usize),
    DutyLog(usize),
    SecurityLog(usize),
    ShowFlat(usize),
    VisitorDay(usize),
    VisitorIndex,
    OwnerVisits,
    Keys,
    ComplaintBoard,
    ComplaintIndex,
    FollowupBoard,
    FollowupIndex,
    Settings,
    Raw,
}

#[derive(Debug, Clone)]
struct DocSpec {
    id: DocumentId,
    name: String,
    purpose: Option<String>,
    kind: Kind,
}

/// A [`Derive`] that remembers the purpose it derived (as the app's
/// `IdBook` does), so the simulation knows what to register.
struct Recorder<'a> {
    key: &'a SiteKey,
    last: RefCell<String>,
}

impl Derive for Recorder<'_> {
    fn derive(&self, purpose: &str) -> DocumentId {
        *self.last.borrow_mut() = purpose.to_owned();
        DocumentId::derive(self.key, purpose)
    }
}

fn genesis(kind: Kind) -> Result<Automerge, String> {
    let r = match kind {
        Kind::Checklist(d) => checklist::genesis(SITE, "lobby-opening", DATES[d]),
        Kind::DutyLog(d) => duty_log::genesis(SITE, DATES[d]),
        Kind::SecurityLog(d) => security_log::genesis(SITE, DATES[d]),
        Kind::ShowFlat(d) => show_flat::genesis(SITE, FLAT, DATES[d]),
        Kind::VisitorDay(d) => visitor_log::genesis(SITE, DATES[d]),
        Kind::VisitorIndex => visitor_log::index_genesis(SITE),
        Kind::OwnerVisits => owner_visit::genesis(SITE, MONTH),
        Kind::Keys => key_register::genesis(SITE),
        Kind::ComplaintBoard => complaint::genesis(SITE, MONTH),
        Kind::ComplaintIndex => complaint::index_genesis(SITE),
        Kind::FollowupBoard => followup::genesis(SITE, MONTH),
        Kind::FollowupIndex => followup::index_genesis(SITE),
        Kind::Settings => settings::genesis(SITE),
        Kind::Raw => return Err("a raw document has no genesis".into()),
    };
    r.map_err(|e| e.to_string())
}

/// What an edit should leave visible once its change is present.
#[derive(Debug, Clone)]
enum Visible {
    DutyEntry(String),
    Visit(String),
    Complaint(String),
    ComplaintOpen(String),
    OwnerVisit(String),
    Key(String),
    SecurityLine(String),
    Mark {
        item: String,
        device: String,
        at_ms: i64,
    },
    Followup(String),
    Visitors(i64),
    RawKey(String),
    Nothing,
}

#[derive(Debug, Clone)]
struct Expect {
    doc: DocumentId,
    hash: ChangeHash,
    visible: Visible,
}

// ---------------------------------------------------------------------------
// Tablets

/// A tablet's storage record, as `app/src/storage.rs` keeps it. The
/// document is kept as a copy of what was written (saving to bytes at
/// every write costs a deflate; a reload goes through `save` and `load`).
#[derive(Debug, Clone)]
struct StoredDoc {
    doc: Automerge,
    heads: Vec<ChangeHash>,
    confirmed: Vec<ChangeHash>,
    purpose: Option<String>,
}

struct Tablet {
    index: usize,
    /// Its enrolled name (the attribution's device).
    name: String,
    principal: Arc<Principal>,
    supervisor: bool,
    /// Site `b`'s device, uploading to site `a`'s ids.
    squatter: bool,
    client: SyncClient,
    /// Bumped by every reload: a fresh actor and peer id.
    session: u32,
    storage: BTreeMap<DocumentId, StoredDoc>,
    /// Documents whose last storage write was refused.
    dirty: BTreeSet<DocumentId>,
    conn: Option<ConnId>,
    offline_until: u64,
    reconnect_at: u64,
    /// Record ids drawn so far.
    counter: u64,
    quick: BTreeMap<DocumentId, u8>,
    quick_at: Option<u64>,
    slow_at: u64,
}

/// What a client is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Device,
    Desktop,
    Squatter,
}

fn actor_of(seed: u64, tablet: usize, session: u32) -> ActorId {
    let mut bytes = Vec::with_capacity(16);
    bytes.extend_from_slice(&seed.to_le_bytes());
    bytes.extend_from_slice(&(tablet as u32).to_le_bytes());
    bytes.extend_from_slice(&session.to_le_bytes());
    ActorId::from(bytes)
}

/// The tablet whose actor `actor` is (any session), if it is one of
/// this run's.
fn actor_tablet(seed: u64, actor: &ActorId) -> Option<usize> {
    let bytes = actor.to_bytes();
    if bytes.len() != 16 || bytes[..8] != seed.to_le_bytes() {
        return None;
    }
    let mut index = [0u8; 4];
    index.copy_from_slice(&bytes[8..12]);
    Some(u32::from_le_bytes(index) as usize)
}

fn peer_of(tablet: usize, session: u32) -> Result<PeerId, String> {
    PeerId::new(format!("tablet-{tablet}-session-{session}")).map_err(|e| e.to_string())
}

// ---------------------------------------------------------------------------
// The network

#[derive(Debug, Clone)]
struct Flight {
    at: u64,
    seq: u64,
    frame: Vec<u8>,
}

#[derive(Debug, Default)]
struct Pipe {
    frames: Vec<Flight>,
    held_until: u64,
}

impl Pipe {
    /// The position of the next frame to deliver at `step` (all frames,
    /// ignoring holds and times, when `all`).
    fn next_due(&self, step: u64, all: bool) -> Option<usize> {
        if !all && self.held_until > step {
            return None;
        }
        self.frames
            .iter()
            .enumerate()
            .filter(|(_, f)| all || f.at <= step)
            .min_by_key(|(_, f)| (f.at, f.seq))
            .map(|(i, _)| i)
    }
}

/// One connection through the proxy.
struct Link {
    tablet: usize,
    peer: PeerId,
    principal: Arc<Principal>,
    /// Tablet → hub.
    up: Pipe,
    /// Hub → tablet.
    down: Pipe,
    /// A frame of it was dropped, duplicated or reordered: no open
    /// WebSocket does that, and the sync protocol is not built to recover
    /// from it without a new connection (after a drop automerge's sync
    /// state takes a change as sent and both sides trade the same
    /// `need`/`have` forever; after a reorder a tablet may never see the
    /// heads that confirm what it holds). Such connections are renewed
    /// when healing starts; every other one must converge as it is.
    tainted: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dir {
    Up,
    Down,
}

struct Server {
    hub: Hub,
    store: Store,
    docs: DocStore,
    /// Storage operations waiting, at most one per document (the hub's
    /// promise; a second is a failure).
    pending: BTreeMap<DocumentId, Effect>,
}

// ---------------------------------------------------------------------------
// The simulation

struct Sim {
    seed: u64,
    rng: Rng,
    profile: Profile,
    config: Config,
    verbose: bool,
    dir: tempfile::TempDir,
    site_key: SiteKey,
    server: Option<Server>,
    server_peer: PeerId,
    down_until: u64,
    step: u64,
    now: u64,
    next_tick: u64,
    tablets: Vec<Tablet>,
    links: BTreeMap<ConnId, Link>,
    next_conn: ConnId,
    seq: u64,
    /// Faults off, storage immediate.
    healing: bool,
    docs: Vec<DocSpec>,
    by_id: BTreeMap<DocumentId, usize>,
    /// Keys registered by any tablet (notes pick from them).
    keys: Vec<String>,
    /// Every change hash any tablet saw confirmed, per document.
    acked: BTreeMap<DocumentId, BTreeSet<ChangeHash>>,
    /// Every change hash site `b`'s squatter saw confirmed, per document.
    squatted: BTreeMap<DocumentId, BTreeSet<ChangeHash>>,
    /// Every head any tablet of site `a` wrote to its storage, per document.
    saved: BTreeMap<DocumentId, BTreeSet<ChangeHash>>,
    expects: Vec<Expect>,
    /// Reasons of hub closes and client refusals, for the log.
    closes: Vec<String>,
    stats: Stats,
    digest: u64,
}

type R<T> = Result<T, String>;

fn err<E: fmt::Display>(what: &'static str) -> impl Fn(E) -> String {
    move |e| format!("{what}: {e}")
}

/// Where the simulation's databases go: `FAULT_SIM_DIR`, else `/dev/shm`
/// when there is one (fsync there is free; the simulated kill does not
/// lose the page cache either way), else the temporary directory.
fn scratch_dir() -> R<tempfile::TempDir> {
    let base: Option<PathBuf> = std::env::var_os("FAULT_SIM_DIR")
        .map(PathBuf::from)
        .or_else(|| {
            let shm = PathBuf::from("/dev/shm");
            shm.is_dir().then_some(shm)
        });
    match base {
        Some(base) => tempfile::Builder::new()
            .prefix("fault-sim-")
            .tempdir_in(base)
            .or_else(|_| tempfile::tempdir()),
        None => tempfile::tempdir(),
    }
    .map_err(err("temporary directory"))
}

fn short(hashes: &[ChangeHash]) -> String {
    let parts: Vec<String> = hashes
        .iter()
        .map(|h| h.to_string().chars().take(8).collect())
        .collect();
    format!("[{}]", parts.join(" "))
}

impl Sim {
    fn new(seed: u64, config: &Config, verbose: bool) -> R<Self> {
        let mut rng = Rng::new(seed);
        let mut profile = Profile::draw(&mut rng);
        if config.ordered {
            profile.drop = 0.0;
            profile.duplicate = 0.0;
            profile.reorder = 0.0;
        }
        let dir = scratch_dir()?;
        // The site with a key drawn from the seed (ids, hence every
        // ordering by id, are the same on every run), created before
        // `Store::open` registers its site documents.
        let mut key_bytes = [0u8; 32];
        for chunk in key_bytes.chunks_mut(8) {
            chunk.copy_from_slice(&rng.next_u64().to_le_bytes());
        }
        let site_key = SiteKey::from_random(key_bytes);
        let store = Store::open(dir.path()).map_err(err("store"))?;
        {
            let db = rusqlite::Connection::open(dir.path().join(sync_server::store::DB_FILE))
                .map_err(err("database"))?;
            db.execute(
                "INSERT INTO sites (id, name, site_key_hex, created_at) VALUES (?1, ?1, ?2, 0)",
                rusqlite::params![SITE, site_key.to_hex()],
            )
            .map_err(err("site"))?;
        }
        drop(store);
        let store = Store::open(dir.path()).map_err(err("store"))?;
        let mut principals = Vec::new();
        for n in 0..config.tablets {
            let name = format!("T{n}");
            let e = store.enroll(SITE, SITE, &name).map_err(err("enrol"))?;
            principals.push((
                name,
                Principal::Device {
                    device: e.device,
                    site_key: e.site.key,
                },
                Who::Device,
            ));
        }
        if config.desktop {
            let phc = "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA";
            let added = store
                .add_supervisor("zhang", phc, &[SITE.to_owned()])
                .map_err(err("supervisor"))?;
            principals.push((
                "桌面·zhang".to_owned(),
                Principal::Supervisor {
                    name: "zhang".into(),
                    sites: added.sites.into_iter().map(|s| (s.id, s.key)).collect(),
                    session: "session-zhang".into(),
                },
                Who::Desktop,
            ));
        }
        if config.squatter {
            let e = store.enroll("b", "b", "B0").map_err(err("enrol"))?;
            principals.push((
                "B0".to_owned(),
                Principal::Device {
                    device: e.device,
                    site_key: e.site.key,
                },
                Who::Squatter,
            ));
        }
        let docs = DocStore::open(dir.path()).map_err(err("doc store"))?;
        let server_peer = PeerId::new("server").map_err(err("peer"))?;
        let hub = Hub::new(HubConfig {
            server_peer: server_peer.clone(),
            idle_unload_ms: profile.idle_unload_ms,
        });
        let mut sim = Self {
            seed,
            rng,
            profile,
            config: config.clone(),
            verbose,
            dir,
            site_key: site_key.clone(),
            server: Some(Server {
                hub,
                store,
                docs,
                pending: BTreeMap::new(),
            }),
            server_peer,
            down_until: 0,
            step: 0,
            now: 1_000,
            next_tick: 1_000 + TICK_MS,
            tablets: Vec::new(),
            links: BTreeMap::new(),
            next_conn: 1,
            seq: 0,
            healing: false,
            docs: Vec::new(),
            by_id: BTreeMap::new(),
            keys: Vec::new(),
            acked: BTreeMap::new(),
            squatted: BTreeMap::new(),
            saved: BTreeMap::new(),
            expects: Vec::new(),
            closes: Vec::new(),
            stats: Stats::default(),
            digest: 0xcbf2_9ce4_8422_2325,
        };
        sim.universe();
        for (index, (name, principal, who)) in principals.into_iter().enumerate() {
            let client = SyncClient::new(peer_of(index, 0)?, actor_of(seed, index, 0));
            sim.tablets.push(Tablet {
                index,
                name,
                principal: Arc::new(principal),
                supervisor: who == Who::Desktop,
                squatter: who == Who::Squatter,
                client,
                session: 0,
                storage: BTreeMap::new(),
                dirty: BTreeSet::new(),
                conn: None,
                offline_until: 0,
                reconnect_at: 0,
                counter: 0,
                quick: BTreeMap::new(),
                quick_at: None,
                slow_at: SLOW_RETRY_MS,
            });
            sim.start_client(index);
        }
        if verbose {
            println!("seed {seed}: {:?}", sim.profile);
        }
        Ok(sim)
    }

    /// The derived documents of the run, in a fixed order.
    fn universe(&mut self) {
        let key = self.site_key.clone();
        let rec = Recorder {
            key: &key,
            last: RefCell::new(String::new()),
        };
        let add = |id: DocumentId, kind: Kind, docs: &mut Vec<DocSpec>| {
            let purpose = rec.last.borrow().clone();
            docs.push(DocSpec {
                id,
                name: purpose.clone(),
                purpose: Some(purpose),
                kind,
            });
        };
        let mut docs = Vec::new();
        for (d, date) in DATES.iter().enumerate() {
            let id = rec.derive(&checklist::purpose("lobby-opening", date));
            add(id, Kind::Checklist(d), &mut docs);
            let id = duty_log::document_id(&rec, date);
            add(id, Kind::DutyLog(d), &mut docs);
            let id = security_log::document_id(&rec, date);
            add(id, Kind::SecurityLog(d), &mut docs);
            let id = show_flat::document_id(&rec, FLAT, date);
            add(id, Kind::ShowFlat(d), &mut docs);
            let id = visitor_log::document_id(&rec, date);
            add(id, Kind::VisitorDay(d), &mut docs);
        }
        let id = visitor_log::index_document_id(&rec);
        add(id, Kind::VisitorIndex, &mut docs);
        let id = owner_visit::document_id(&rec, MONTH);
        add(id, Kind::OwnerVisits, &mut docs);
        let id = key_register::document_id(&rec);
        add(id, Kind::Keys, &mut docs);
        let id = complaint::document_id(&rec, MONTH);
        add(id, Kind::ComplaintBoard, &mut docs);
        let id = complaint::index_document_id(&rec);
        add(id, Kind::ComplaintIndex, &mut docs);
        let id = followup::document_id(&rec, MONTH);
        add(id, Kind::FollowupBoard, &mut docs);
        let id = followup::index_document_id(&rec);
        add(id, Kind::FollowupIndex, &mut docs);
        let id = settings::document_id(&rec);
        add(id, Kind::Settings, &mut docs);
        for spec in docs {
            self.by_id.insert(spec.id, self.docs.len());
            self.docs.push(spec);
        }
    }

    fn spec(&self, kind: Kind) -> Option<&DocSpec> {
        self.docs.iter().find(|d| d.kind == kind)
    }

    fn name(&self, id: &DocumentId) -> String {
        self.by_id
            .get(id)
            .map_or_else(|| id.to_string(), |&i| self.docs[i].name.clone())
    }

    fn log(&self, what: impl FnOnce() -> String) {
        if self.verbose {
            println!("[{:>5} {:>7}ms] {}", self.step, self.now, what());
        }
    }

    /// Fold `values` into the run's fingerprint (FNV-1a).
    fn mix(&mut self, values: &[u64]) {
        for v in values {
            for b in v.to_le_bytes() {
                self.digest ^= u64::from(b);
                self.digest = self.digest.wrapping_mul(0x0100_0000_01b3);
            }
        }
    }

    // -----------------------------------------------------------------------
    // Driving

    fn run(&mut self) -> R<()> {
        for _ in 0..self.config.chaos_steps {
            self.chaos_step()?;
        }
        self.heal()?;
        self.check()
    }

    fn advance(&mut self, ms: u64) -> R<()> {
        self.step += 1;
        self.stats.steps += 1;
        self.now += ms;
        while self.now >= self.next_tick {
            self.next_tick += TICK_MS;
            self.hub_input(Input::Tick)?;
        }
        Ok(())
    }

    fn chaos_step(&mut self) -> R<()> {
        let dt = self.rng.range(20, 120);
        self.advance(dt)?;
        self.mix(&[1, self.step]);
        if self.server.is_none() && self.step >= self.down_until {
            self.restart()?;
        }
        if self.server.is_some() && self.rng.chance(self.profile.kill) {
            self.kill()?;
        }
        for t in 0..self.tablets.len() {
            self.tablet_faults(t)?;
        }
        for t in 0..self.tablets.len() {
            self.maybe_connect(t)?;
            if self.rng.chance(self.profile.edit) {
                self.edit(t)?;
            }
            if self.rng.chance(self.profile.want) {
                self.want_something(t)?;
            }
            self.timers(t)?;
        }
        self.deliver(false)?;
        if self.server.is_some() && self.rng.chance(self.profile.storage_rate) {
            self.storage(false)?;
        }
        Ok(())
    }

    fn tablet_faults(&mut self, t: usize) -> R<()> {
        if let Some(conn) = self.tablets[t].conn
            && self.rng.chance(self.profile.cut)
        {
            self.stats.cuts += 1;
            self.mix(&[2, t as u64]);
            self.log(|| format!("cut: T{t} (conn {conn})"));
            self.cut(conn, true)?;
        }
        if self.tablets[t].offline_until <= self.step && self.rng.chance(self.profile.offline) {
            let span = self.rng.range(20, 200);
            self.stats.offline_windows += 1;
            self.mix(&[3, t as u64, span]);
            self.tablets[t].offline_until = self.step + span;
            self.log(|| format!("offline: T{t} for {span} steps"));
            if let Some(conn) = self.tablets[t].conn {
                self.cut(conn, true)?;
            }
        }
        if self.rng.chance(self.profile.reload) {
            self.stats.reloads += 1;
            self.mix(&[4, t as u64]);
            self.reload(t)?;
        }
        Ok(())
    }

    // -----------------------------------------------------------------------
    // Tablets

    /// What the app does at start after reading storage: the site
    /// documents it needs (the settings), purposes noted.
    fn start_client(&mut self, t: usize) {
        let Some(settings) = self.spec(Kind::Settings).cloned() else {
            return;
        };
        let tablet = &mut self.tablets[t];
        if tablet.squatter {
            tablet.client.take_outputs();
            return;
        }
        tablet.client.set_site(Some(SITE.to_owned()));
        if let Some(purpose) = &settings.purpose {
            tablet.client.note_purpose(settings.id, purpose);
        }
        if tablet.client.doc(&settings.id).is_none() {
            tablet.client.want(settings.id);
        }
        // The app discards what a client queued before connecting.
        tablet.client.take_outputs();
    }

    /// Drop the tablet's client and build a new one from storage only.
    fn reload(&mut self, t: usize) -> R<()> {
        if let Some(conn) = self.tablets[t].conn {
            self.cut(conn, true)?;
        }
        let seed = self.seed;
        let tablet = &mut self.tablets[t];
        tablet.session += 1;
        let session = tablet.session;
        let mut client = SyncClient::new(peer_of(t, session)?, actor_of(seed, t, session));
        for (id, stored) in &tablet.storage {
            let doc = Automerge::load(&stored.doc.save()).map_err(err("stored document"))?;
            client
                .insert(*id, doc, stored.confirmed.clone())
                .map_err(err("insert"))?;
            if let Some(purpose) = &stored.purpose {
                client.note_purpose(*id, purpose);
            }
        }
        tablet.client = client;
        tablet.quick.clear();
        tablet.quick_at = None;
        tablet.dirty.clear();
        let held = tablet.storage.len();
        self.start_client(t);
        self.tablets[t].reconnect_at = self.step + self.rng.range(1, 10);
        self.log(|| format!("reload: T{t} from storage ({held} documents), session {session}"));
        Ok(())
    }

    fn maybe_connect(&mut self, t: usize) -> R<()> {
        let tablet = &self.tablets[t];
        if tablet.conn.is_some()
            || tablet.offline_until > self.step
            || tablet.reconnect_at > self.step
        {
            return Ok(());
        }
        if self.server.is_none() {
            // Refused: try again after a backoff.
            self.tablets[t].reconnect_at = self.step + self.rng.range(5, 30);
            return Ok(());
        }
        self.connect(t)
    }

    /// Open a connection: the socket's `open` (`connected()`, the join
    /// frame), the server's handshake (`Input::Connected`, the `peer`
    /// answer), then whatever the client wants to send.
    fn connect(&mut self, t: usize) -> R<()> {
        self.pump(t)?;
        let conn = self.next_conn;
        self.next_conn += 1;
        let tablet = &mut self.tablets[t];
        tablet.client.connected();
        let peer = tablet.client.peer_id().clone();
        let principal = tablet.principal.clone();
        // The join frame goes to the socket handler, which answers it.
        let mut join_seen = false;
        let rest: Vec<Output> = tablet
            .client
            .take_outputs()
            .into_iter()
            .filter(|o| {
                let join = !join_seen && matches!(o, Output::Send(_));
                join_seen |= join;
                !join
            })
            .collect();
        tablet.conn = Some(conn);
        self.links.insert(
            conn,
            Link {
                tablet: t,
                peer: peer.clone(),
                principal: principal.clone(),
                up: Pipe::default(),
                down: Pipe::default(),
                tainted: false,
            },
        );
        self.mix(&[5, t as u64, conn]);
        self.log(|| format!("connect: T{t} as conn {conn}"));
        self.hub_input(Input::Connected {
            conn,
            peer: peer.clone(),
            principal,
            refused: Arc::default(),
        })?;
        self.handle_outputs(t, rest)?;
        let answer = WireMessage::Peer {
            sender_id: self.server_peer.clone(),
            target_id: peer,
            selected_protocol_version: PROTOCOL_VERSION.to_owned(),
        }
        .encode();
        self.tablets[t]
            .client
            .receive(&answer)
            .map_err(err("handshake"))?;
        self.pump(t)
    }

    /// Close `conn`: the client hears `disconnected()`, the hub
    /// `Disconnected` (if it is up and `notify_hub`), frames in flight go.
    fn cut(&mut self, conn: ConnId, notify_hub: bool) -> R<()> {
        let Some(link) = self.links.remove(&conn) else {
            return Ok(());
        };
        let t = link.tablet;
        if self.tablets[t].conn == Some(conn) {
            self.tablets[t].conn = None;
            self.tablets[t].client.disconnected();
            self.tablets[t].reconnect_at = self.step + self.rng.range(1, 20);
        }
        if notify_hub {
            self.hub_input(Input::Disconnected { conn })?;
        }
        self.pump(t)
    }

    /// Carry out everything the client queued, as the app's `pump` does.
    fn pump(&mut self, t: usize) -> R<()> {
        loop {
            let outputs = self.tablets[t].client.take_outputs();
            if outputs.is_empty() {
                return Ok(());
            }
            self.handle_outputs(t, outputs)?;
        }
    }

    fn handle_outputs(&mut self, t: usize, outputs: Vec<Output>) -> R<()> {
        for output in outputs {
            match output {
                Output::Send(frame) => {
                    // The app's `send` is a no-op without an open socket.
                    if let Some(conn) = self.tablets[t].conn {
                        self.send(conn, Dir::Up, frame);
                    }
                }
                Output::Changed(id) => {
                    self.persist(t, id);
                }
                Output::Confirmed(id) => {
                    let heads = self.tablets[t].client.confirmed_heads(&id);
                    self.log(|| format!("confirmed: T{t} {} {}", self.name(&id), short(&heads)));
                    let acked = if self.tablets[t].squatter {
                        &mut self.squatted
                    } else {
                        &mut self.acked
                    };
                    acked.entry(id).or_default().extend(heads);
                    self.persist(t, id);
                }
                Output::Unavailable(id) => {
                    let tablet = &mut self.tablets[t];
                    let n = tablet.quick.entry(id).or_insert(0);
                    *n = n.saturating_add(1);
                    if *n <= QUICK_RETRIES && tablet.quick_at.is_none() {
                        tablet.quick_at = Some(self.now + QUICK_RETRY_MS);
                    }
                }
                Output::ServerError(message) => {
                    self.log(|| format!("server error to T{t}: {message}"));
                }
                Output::Connected => {}
            }
        }
        Ok(())
    }

    /// Write document `id` to the tablet's storage (the app's `persist`):
    /// whether it was saved.
    fn persist(&mut self, t: usize, id: DocumentId) -> bool {
        if !self.healing && self.rng.chance(self.profile.tablet_store_fail) {
            self.stats.tablet_store_failures += 1;
            self.mix(&[6, t as u64]);
            self.tablets[t].dirty.insert(id);
            self.log(|| format!("storage refused: T{t} {}", self.name(&id)));
            return false;
        }
        let tablet = &mut self.tablets[t];
        let Some(doc) = tablet.client.doc(&id) else {
            return true;
        };
        let heads = doc.get_heads();
        let stored = StoredDoc {
            doc: doc.clone(),
            heads: heads.clone(),
            confirmed: tablet.client.confirmed_heads(&id),
            purpose: tablet.client.purpose(&id).map(str::to_owned),
        };
        tablet.storage.insert(id, stored);
        tablet.dirty.remove(&id);
        if !tablet.squatter {
            self.saved.entry(id).or_default().extend(heads);
        }
        true
    }

    fn timers(&mut self, t: usize) -> R<()> {
        let now = self.now;
        let tablet = &mut self.tablets[t];
        let quick = tablet.quick_at.is_some_and(|at| at <= now);
        if quick {
            tablet.quick_at = None;
        }
        let slow = tablet.slow_at <= now;
        if slow {
            tablet.slow_at = now + SLOW_RETRY_MS;
        }
        if quick || slow {
            tablet.client.retry_unavailable();
            self.pump(t)?;
        }
        Ok(())
    }

    fn attribution(&self, t: usize) -> Attribution {
        let tablet = &self.tablets[t];
        Attribution {
            person_id: format!("id{t}"),
            person: format!("p{t}"),
            role: if tablet.supervisor {
                Role::Supervisor
            } else {
                Role::Leader
            },
            device: tablet.name.clone(),
            // Unique per edit: the step, and the tablet.
            at_ms: BASE_MS + (self.now as i64) * 8 + t as i64,
        }
    }

    fn fresh_id(&mut self, t: usize, prefix: &str) -> String {
        let tablet = &mut self.tablets[t];
        tablet.counter += 1;
        format!("{prefix}{t}s{}n{}", tablet.session, tablet.counter)
    }

    /// Make sure the tablet holds `kind`'s document, creating its
    /// deterministic genesis (stored at once) as the app's
    /// `ensure_site_document` does; its id.
    fn open(&mut self, t: usize, kind: Kind) -> R<DocumentId> {
        let spec = self
            .spec(kind)
            .cloned()
            .ok_or_else(|| format!("no document {kind:?}"))?;
        let client = &mut self.tablets[t].client;
        if client
            .doc(&spec.id)
            .is_some_and(|d| !d.get_heads().is_empty())
        {
            return Ok(spec.id);
        }
        if let Some(purpose) = &spec.purpose {
            client.note_purpose(spec.id, purpose);
        }
        client
            .insert(spec.id, genesis(kind)?, Vec::new())
            .map_err(err("insert"))?;
        self.persist(t, spec.id);
        self.pump(t)?;
        Ok(spec.id)
    }

    /// After an edit of `ids` returned `result`: count it, store the
    /// documents, pump.
    fn edited(
        &mut self,
        t: usize,
        ids: &[DocumentId],
        result: Option<Result<(), String>>,
        visible: Visible,
    ) -> R<()> {
        match result {
            None => return Err("an edit of a document the tablet does not track".into()),
            Some(Err(e)) => {
                self.stats.refused_edits += 1;
                self.log(|| format!("edit refused: T{t} {}: {e}", self.name(&ids[0])));
            }
            Some(Ok(())) => {
                self.stats.edits += 1;
                let heads = self.tablets[t]
                    .client
                    .doc(&ids[0])
                    .map(|d| d.get_heads())
                    .unwrap_or_default();
                if let [hash] = heads.as_slice() {
                    self.expects.push(Expect {
                        doc: ids[0],
                        hash: *hash,
                        visible: visible.clone(),
                    });
                }
                self.mix(&[
                    7,
                    t as u64,
                    self.by_id.get(&ids[0]).map_or(99, |&i| i as u64),
                ]);
                self.log(|| format!("edit: T{t} {} {visible:?}", self.name(&ids[0])));
                for id in ids {
                    self.persist(t, *id);
                }
            }
        }
        self.pump(t)
    }

    fn edit(&mut self, t: usize) -> R<()> {
        if self.tablets[t].squatter {
            return self.squat(t);
        }
        let families = if self.tablets[t].supervisor { 12 } else { 11 };
        let family = self.rng.below(families);
        let d = self.rng.index(DATES.len());
        let by = self.attribution(t);
        match family {
            0 => {
                let id = self.open(t, Kind::Checklist(d))?;
                let template = template::lobby_opening();
                let item = template.items[self.rng.index(template.items.len())].clone();
                let abnormal = self.rng.chance(0.3);
                let (status, note) = if abnormal {
                    (checklist::Status::Abnormal, "损坏，已报修")
                } else {
                    (checklist::Status::Normal, "")
                };
                let r = self.tablets[t].client.change(&id, |doc| {
                    checklist::mark_starting(doc, &template, SLOT, &item.id, status, note, &by)
                        .map(|_| ())
                        .map_err(|e| e.to_string())
                });
                let visible = Visible::Mark {
                    item: item.id.clone(),
                    device: by.device.clone(),
                    at_ms: by.at_ms,
                };
                self.edited(t, &[id], r, visible)?;
                if abnormal {
                    self.open_followup(t, id, d, &item)?;
                }
            }
            1 => {
                let id = self.open(t, Kind::DutyLog(d))?;
                let entry = self.fresh_id(t, "e");
                let draft = duty_log::Draft {
                    id: entry.clone(),
                    occurred: format!("{} 09:{:02}", DATES[d], self.rng.below(60)),
                    post: "lobby".into(),
                    kind: duty_log::EventType::Patrol,
                    event: "巡查大堂，一切正常".into(),
                    action: String::new(),
                    result: String::new(),
                };
                let r = self.tablets[t].client.change(&id, |doc| {
                    duty_log::record(doc, &draft, &by)
                        .map(|_| ())
                        .map_err(|e| e.to_string())
                });
                self.edited(t, &[id], r, Visible::DutyEntry(entry))?;
            }
            2 => {
                let id = self.open(t, Kind::SecurityLog(d))?;
                let line = self.fresh_id(t, "p");
                let event = security_log::SecurityEvent {
                    kind: security_log::EventKind::SignIn,
                    person_id: line.clone(),
                    person: by.person.clone(),
                    device: by.device.clone(),
                    at_ms: by.at_ms,
                };
                let r = self.tablets[t].client.change(&id, |doc| {
                    security_log::append(doc, &event)
                        .map(|_| ())
                        .map_err(|e| e.to_string())
                });
                self.edited(t, &[id], r, Visible::SecurityLine(line))?;
            }
            3 => {
                let id = self.open(t, Kind::ShowFlat(d))?;
                let n = self.rng.range(1, 5) as i64;
                let r = self.tablets[t].client.change(&id, |doc| {
                    show_flat::add_visitors(doc, n, &by)
                        .map(|_| ())
                        .map_err(|e| e.to_string())
                });
                self.edited(t, &[id], r, Visible::Visitors(n))?;
            }
            4 => {
                let day = self.open(t, Kind::VisitorDay(d))?;
                let index = self.open(t, Kind::VisitorIndex)?;
                let visit = self.fresh_id(t, "v");
                let arrival = visitor_log::Arrival {
                    name: "李先生".into(),
                    category: visitor_log::Category::Guest,
                    id_type: visitor_log::IdType::NoId,
                    id_last: String::new(),
                    host: "王女士".into(),
                    unit: "3栋1201".into(),
                    purpose: "探访".into(),
                    approval: visitor_log::ApprovalMethod::Intercom,
                    time_in: format!("{} 10:{:02}", DATES[d], self.rng.below(60)),
                    people: 1,
                };
                let r = self.tablets[t]
                    .client
                    .change_pair(&day, &index, |day, index| {
                        visitor_log::arrive(day, index, &visit, &arrival, &by)
                            .map(|_| ())
                            .map_err(|e| e.to_string())
                    });
                self.edited(t, &[day, index], r, Visible::Visit(visit))?;
            }
            5 => {
                let board = self.open(t, Kind::ComplaintBoard)?;
                let index = self.open(t, Kind::ComplaintIndex)?;
                let id = self.fresh_id(t, "c");
                let received =
                    LocalDateTime::parse(&format!("{} 09:{:02}", DATES[d], self.rng.below(60)))
                        .map_err(err("time"))?;
                let new = complaint::NewComplaint {
                    id: id.clone(),
                    kind: complaint::Kind::Request,
                    received,
                    channel: complaint::Channel::Phone,
                    owner: "陈先生".into(),
                    unit: "5栋801".into(),
                    contact: String::new(),
                    content: "厨房漏水".into(),
                    serious: false,
                    difficulty: None,
                    post: "lobby".into(),
                    related: None,
                };
                let r = self.tablets[t]
                    .client
                    .change_pair(&board, &index, |board, index| {
                        complaint::receive(board, index, &new, &by)
                            .map(|_| ())
                            .map_err(|e| e.to_string())
                    });
                self.edited(
                    t,
                    &[board, index],
                    r.clone(),
                    Visible::Complaint(id.clone()),
                )?;
                if matches!(r, Some(Ok(()))) {
                    let heads = self.tablets[t]
                        .client
                        .doc(&index)
                        .map(|d| d.get_heads())
                        .unwrap_or_default();
                    if let [hash] = heads.as_slice() {
                        self.expects.push(Expect {
                            doc: index,
                            hash: *hash,
                            visible: Visible::ComplaintOpen(id),
                        });
                    }
                }
            }
            6 => {
                let id = self.open(t, Kind::OwnerVisits)?;
                let visit = self.fresh_id(t, "o");
                let date = Date::parse(DATES[d]).map_err(err("date"))?;
                let new = owner_visit::NewVisit {
                    id: visit.clone(),
                    unit: "2栋302".into(),
                    owner: "赵女士".into(),
                    date,
                    visitor: by.person.clone(),
                    opinions: "电梯太慢".into(),
                    requests: String::new(),
                    follow_up: String::new(),
                };
                let r = self.tablets[t].client.change(&id, |doc| {
                    owner_visit::record(doc, &new, &by)
                        .map(|_| ())
                        .map_err(|e| e.to_string())
                });
                self.edited(t, &[id], r, Visible::OwnerVisit(visit))?;
            }
            7 => {
                let id = self.open(t, Kind::Keys)?;
                if self.keys.is_empty() || self.rng.chance(0.5) {
                    let key = self.fresh_id(t, "k");
                    let new = key_register::NewKey {
                        id: key.clone(),
                        label: "A户型 入户门".into(),
                        flat: Some(FLAT.into()),
                        lock: "lock-a".into(),
                        holder: key_register::Holder::person(&by.person_id, &by.person),
                    };
                    let r = self.tablets[t].client.change(&id, |doc| {
                        key_register::register(doc, &new, &by)
                            .map(|_| ())
                            .map_err(|e| e.to_string())
                    });
                    if matches!(r, Some(Ok(()))) {
                        self.keys.push(key.clone());
                    }
                    self.edited(t, &[id], r, Visible::Key(key))?;
                } else {
                    let key = self.keys[self.rng.index(self.keys.len())].clone();
                    let r = self.tablets[t].client.change(&id, |doc| {
                        key_register::note(doc, &key, "钥匙扣松了", &by)
                            .map(|_| ())
                            .map_err(|e| e.to_string())
                    });
                    self.edited(t, &[id], r, Visible::Key(key))?;
                }
            }
            8 => {
                // The same × on one item from several tablets: one
                // follow-up, several openers.
                let template = template::lobby_opening();
                let item = template.items[self.rng.index(2)].clone();
                let round = self
                    .spec(Kind::Checklist(d))
                    .map(|s| s.id)
                    .ok_or("no round")?;
                self.open_followup(t, round, d, &item)?;
            }
            9 => {
                // Raw automerge: a new document with a random id (claimed
                // by its first upload), or a put into one held.
                let held: Vec<DocumentId> = self
                    .docs
                    .iter()
                    .filter(|s| s.kind == Kind::Raw)
                    .map(|s| s.id)
                    .filter(|id| {
                        self.tablets[t]
                            .client
                            .doc(id)
                            .is_some_and(|d| !d.get_heads().is_empty())
                    })
                    .collect();
                let key = self.fresh_id(t, "r");
                let value = self.rng.below(1_000) as i64;
                if held.is_empty() || self.rng.chance(0.3) {
                    let mut bytes = [0u8; 16];
                    bytes[..8].copy_from_slice(&self.rng.next_u64().to_le_bytes());
                    bytes[8..].copy_from_slice(&self.rng.next_u64().to_le_bytes());
                    let id = DocumentId::from_random(bytes);
                    let n = self.docs.iter().filter(|s| s.kind == Kind::Raw).count();
                    self.by_id.insert(id, self.docs.len());
                    self.docs.push(DocSpec {
                        id,
                        name: format!("raw-{n}"),
                        purpose: None,
                        kind: Kind::Raw,
                    });
                    let session = self.tablets[t].session;
                    let mut doc = Automerge::new().with_actor(actor_of(self.seed, t, session));
                    let put = doc.transact::<_, _, automerge::AutomergeError>(|tx| {
                        tx.put(ROOT, &key, value)?;
                        Ok(())
                    });
                    let r = match put {
                        Ok(_) => self.tablets[t]
                            .client
                            .insert(id, doc, Vec::new())
                            .map_err(|e| e.to_string()),
                        Err(e) => Err(e.error.to_string()),
                    };
                    self.edited(t, &[id], Some(r), Visible::RawKey(key))?;
                } else {
                    let id = held[self.rng.index(held.len())];
                    let r = self.tablets[t].client.change(&id, |doc| {
                        doc.transact::<_, _, automerge::AutomergeError>(|tx| {
                            tx.put(ROOT, &key, value)?;
                            Ok(())
                        })
                        .map(|_| ())
                        .map_err(|e| e.error.to_string())
                    });
                    self.edited(t, &[id], r, Visible::RawKey(key))?;
                }
            }
            10 => {
                // Another day's or month's document the tablet may not
                // hold, opened for a look and written to.
                let id = self.open(t, Kind::DutyLog(d))?;
                let entry = self.fresh_id(t, "e");
                let draft = duty_log::Draft {
                    id: entry.clone(),
                    occurred: format!("{} 23:{:02}", DATES[d], self.rng.below(60)),
                    post: "gate".into(),
                    kind: duty_log::EventType::Delivery,
                    event: "快递送达".into(),
                    action: "登记".into(),
                    result: "已取".into(),
                };
                let r = self.tablets[t].client.change(&id, |doc| {
                    duty_log::record(doc, &draft, &by)
                        .map(|_| ())
                        .map_err(|e| e.to_string())
                });
                self.edited(t, &[id], r, Visible::DutyEntry(entry))?;
            }
            _ => {
                // The supervisor's desktop changes a site setting.
                let id = self.open(t, Kind::Settings)?;
                let value = self.rng.range(5, 60) as i64;
                let r = self.tablets[t].client.change(&id, |doc| {
                    settings::set(doc, settings::Setting::IdleSignOutMinutes, value, &by)
                        .map(|_| ())
                        .map_err(|e| e.to_string())
                });
                self.edited(t, &[id], r, Visible::Nothing)?;
            }
        }
        Ok(())
    }

    fn open_followup(
        &mut self,
        t: usize,
        round: DocumentId,
        d: usize,
        item: &template::TemplateItem,
    ) -> R<()> {
        let board = self.open(t, Kind::FollowupBoard)?;
        let index = self.open(t, Kind::FollowupIndex)?;
        let template = template::lobby_opening();
        let source = followup::Source {
            round: round.to_string(),
            template: template.id.clone(),
            item: item.id.clone(),
            item_label: item.label.clone(),
            round_title: template.title.clone(),
            date: DATES[d].to_owned(),
        };
        let by = self.attribution(t);
        let r = self.tablets[t]
            .client
            .change_pair(&board, &index, |board, index| {
                followup::open(
                    board,
                    index,
                    &source,
                    followup::Department::Engineering,
                    "请工程部处理",
                    &by,
                )
                .map(|_| ())
                .map_err(|e| e.to_string())
            });
        self.edited(t, &[board, index], r, Visible::Followup(source.key()))
    }

    /// Site `b`'s device puts its own content into one of site `a`'s
    /// derived ids (it once held `a`'s key), or asks for one: no purpose,
    /// so no registration — a plain upload that claims an unowned id.
    fn squat(&mut self, t: usize) -> R<()> {
        let targets: Vec<DocumentId> = self
            .docs
            .iter()
            .filter(|s| s.purpose.is_some() && s.kind != Kind::Settings)
            .map(|s| s.id)
            .collect();
        let id = targets[self.rng.index(targets.len())];
        let key = self.fresh_id(t, "squat");
        self.mix(&[13, t as u64, self.by_id.get(&id).map_or(99, |&i| i as u64)]);
        if self.rng.chance(0.2) {
            self.log(|| format!("squatter asks for {}", self.name(&id)));
            self.tablets[t].client.want(id);
            return self.pump(t);
        }
        let held = self.tablets[t]
            .client
            .doc(&id)
            .is_some_and(|d| !d.get_heads().is_empty());
        let r = if held {
            self.tablets[t].client.change(&id, |doc| {
                doc.transact::<_, _, automerge::AutomergeError>(|tx| {
                    tx.put(ROOT, &key, 1)?;
                    Ok(())
                })
                .map(|_| ())
                .map_err(|e| e.error.to_string())
            })
        } else {
            let session = self.tablets[t].session;
            let mut doc = Automerge::new().with_actor(actor_of(self.seed, t, session));
            doc.transact::<_, _, automerge::AutomergeError>(|tx| {
                tx.put(ROOT, &key, 1)?;
                Ok(())
            })
            .map_err(|e| e.error.to_string())?;
            Some(
                self.tablets[t]
                    .client
                    .insert(id, doc, Vec::new())
                    .map_err(|e| e.to_string()),
            )
        };
        self.log(|| format!("squatter uploads to {}", self.name(&id)));
        if matches!(r, Some(Ok(()))) {
            self.persist(t, id);
        }
        self.pump(t)
    }

    /// Ask for a document of the run the tablet does not hold (a screen
    /// showing another day, a link to a raw document).
    fn want_something(&mut self, t: usize) -> R<()> {
        if self.tablets[t].squatter {
            return Ok(());
        }
        let missing: Vec<DocSpec> = self
            .docs
            .iter()
            .filter(|s| self.tablets[t].client.doc(&s.id).is_none())
            .cloned()
            .collect();
        if missing.is_empty() {
            return Ok(());
        }
        let spec = missing[self.rng.index(missing.len())].clone();
        self.stats.wants += 1;
        self.mix(&[
            8,
            t as u64,
            self.by_id.get(&spec.id).map_or(99, |&i| i as u64),
        ]);
        self.log(|| format!("want: T{t} {}", spec.name));
        let client = &mut self.tablets[t].client;
        if let Some(purpose) = &spec.purpose {
            client.note_purpose(spec.id, purpose);
        }
        client.want(spec.id);
        self.pump(t)
    }

    // -----------------------------------------------------------------------
    // The proxy

    fn send(&mut self, conn: ConnId, dir: Dir, frame: Vec<u8>) {
        self.stats.frames += 1;
        self.mix(&[9, conn, frame.len() as u64]);
        let healing = self.healing;
        let step = self.step;
        let p = self.profile.clone();
        self.seq += 1;
        let seq = self.seq;
        if healing {
            if let Some(link) = self.links.get_mut(&conn) {
                let pipe = match dir {
                    Dir::Up => &mut link.up,
                    Dir::Down => &mut link.down,
                };
                pipe.frames.push(Flight {
                    at: step + 1,
                    seq,
                    frame,
                });
            }
            return;
        }
        if self.rng.chance(p.drop) {
            self.stats.drops += 1;
            self.log(|| format!("drop: conn {conn} {dir:?} ({} bytes)", frame.len()));
            if let Some(link) = self.links.get_mut(&conn) {
                link.tainted = true;
            }
            return;
        }
        let mut at = step + 1;
        let mut tainted = false;
        if self.rng.chance(p.reorder) {
            self.stats.reorders += 1;
            at += self.rng.range(1, p.max_delay);
            tainted = true;
        }
        let duplicate = self
            .rng
            .chance(p.duplicate)
            .then(|| step + 1 + self.rng.range(0, p.max_delay));
        let hold = self
            .rng
            .chance(p.hold)
            .then(|| step + self.rng.range(1, p.max_delay));
        let Some(link) = self.links.get_mut(&conn) else {
            return;
        };
        link.tainted |= tainted || duplicate.is_some();
        let pipe = match dir {
            Dir::Up => &mut link.up,
            Dir::Down => &mut link.down,
        };
        if let Some(dup_at) = duplicate {
            self.seq += 1;
            pipe.frames.push(Flight {
                at: dup_at,
                seq: self.seq,
                frame: frame.clone(),
            });
            self.stats.duplicates += 1;
        }
        pipe.frames.push(Flight { at, seq, frame });
        if let Some(until) = hold {
            pipe.held_until = pipe.held_until.max(until);
            self.stats.holds += 1;
        }
    }

    /// Deliver every frame whose time has come (every frame, when
    /// `all`), link by link in a seed-chosen order; whether any moved.
    fn deliver(&mut self, all: bool) -> R<bool> {
        let mut order: Vec<(ConnId, Dir)> = self
            .links
            .keys()
            .flat_map(|c| [(*c, Dir::Up), (*c, Dir::Down)])
            .collect();
        if !all {
            self.rng.shuffle(&mut order);
        }
        let mut moved = false;
        for (conn, dir) in order {
            loop {
                let step = self.step;
                let Some(link) = self.links.get_mut(&conn) else {
                    break;
                };
                let pipe = match dir {
                    Dir::Up => &mut link.up,
                    Dir::Down => &mut link.down,
                };
                let Some(i) = pipe.next_due(step, all) else {
                    break;
                };
                let flight = pipe.frames.remove(i);
                moved = true;
                self.stats.delivered += 1;
                match dir {
                    Dir::Up => self.hub_receives(conn, &flight.frame)?,
                    Dir::Down => self.tablet_receives(conn, &flight.frame)?,
                }
            }
        }
        Ok(moved)
    }

    /// What the socket handler does with a client's frame: the server's
    /// own translation (`sync_server::inbound`), closing on its refusal.
    fn hub_receives(&mut self, conn: ConnId, frame: &[u8]) -> R<()> {
        let Some(link) = self.links.get(&conn) else {
            return Ok(());
        };
        let peer = link.peer.clone();
        let principal = link.principal.clone();
        let close = match sync_server::inbound::hub_inputs(conn, &peer, &principal, frame) {
            Ok(inputs) => {
                for input in inputs {
                    self.hub_input(input)?;
                }
                None
            }
            Err(reason) => Some(reason),
        };
        if let Some(reason) = close {
            self.stats.hub_closes += 1;
            self.closes.push(format!("socket handler: {reason}"));
            self.log(|| format!("socket handler closes conn {conn}: {reason}"));
            self.cut(conn, true)?;
        }
        Ok(())
    }

    fn tablet_receives(&mut self, conn: ConnId, frame: &[u8]) -> R<()> {
        let Some(t) = self.links.get(&conn).map(|l| l.tablet) else {
            return Ok(());
        };
        if let Err(e) = self.tablets[t].client.receive(frame) {
            // The app closes the socket and reconnects later.
            self.stats.client_errors += 1;
            self.closes.push(format!("client: {e}"));
            self.log(|| format!("T{t} refuses a frame and closes conn {conn}: {e}"));
            self.pump(t)?;
            return self.cut(conn, true);
        }
        self.pump(t)
    }

    // -----------------------------------------------------------------------
    // The server

    fn hub_input(&mut self, input: Input) -> R<()> {
        let now = self.now;
        let Some(server) = self.server.as_mut() else {
            return Ok(());
        };
        let effects = server.hub.handle(now, input);
        self.route(effects)
    }

    /// Carry out the hub's effects. Their order across connections and
    /// documents comes from the hub's hash maps; it is fixed here (by
    /// connection, then by document, each one's own order kept) so the
    /// run does not depend on it.
    fn route(&mut self, effects: Vec<Effect>) -> R<()> {
        let mut effects: Vec<(usize, Effect)> = effects.into_iter().enumerate().collect();
        effects.sort_by_key(|(i, e)| match e {
            Effect::Send { conn, .. } | Effect::Close { conn, .. } => (0, *conn, None, *i),
            Effect::Load { doc } | Effect::Write { doc, .. } => (1, 0, Some(*doc), *i),
        });
        for (_, effect) in effects {
            match effect {
                Effect::Send { conn, frame } => {
                    if self.links.contains_key(&conn) {
                        self.send(conn, Dir::Down, frame);
                    }
                }
                Effect::Close { conn, reason } => {
                    self.stats.hub_closes += 1;
                    self.closes.push(format!("hub: {reason}"));
                    self.log(|| format!("hub closes conn {conn}: {reason}"));
                    // The runtime tells the hub once the socket is gone.
                    self.cut(conn, true)?;
                }
                Effect::Load { doc } | Effect::Write { doc, .. } => {
                    let name = self.name(&doc);
                    let Some(server) = self.server.as_mut() else {
                        continue;
                    };
                    if server.pending.contains_key(&doc) {
                        return Err(format!(
                            "the hub asked for a second storage operation on {name} while one was in flight"
                        ));
                    }
                    server.pending.insert(doc, effect);
                }
            }
        }
        Ok(())
    }

    /// Carry out storage operations: some of them in a seed-chosen order
    /// (all, in document order, when healing), writes as one commit.
    fn storage(&mut self, all: bool) -> R<bool> {
        let mut ids: Vec<DocumentId> = match self.server.as_ref() {
            Some(server) => server.pending.keys().copied().collect(),
            None => return Ok(false),
        };
        if ids.is_empty() {
            return Ok(false);
        }
        if !all {
            self.rng.shuffle(&mut ids);
            let n = self.rng.range(1, ids.len().min(6) as u64) as usize;
            ids.truncate(n);
        }
        let mut loads = Vec::new();
        let mut writes = Vec::new();
        for id in ids {
            match self.server.as_mut().and_then(|s| s.pending.remove(&id)) {
                Some(Effect::Load { doc }) => loads.push(doc),
                Some(Effect::Write { doc, op }) => writes.push((doc, op)),
                _ => {}
            }
        }
        let writes_first = !all && self.rng.chance(0.5);
        if writes_first {
            if self.commit(writes)? {
                return Ok(true);
            }
            self.load(loads)?;
        } else {
            self.load(loads)?;
            self.commit(writes)?;
        }
        Ok(true)
    }

    fn load(&mut self, loads: Vec<DocumentId>) -> R<()> {
        for doc in loads {
            self.stats.loads += 1;
            let fail = !self.healing && self.rng.chance(self.profile.load_fail);
            let Some(server) = self.server.as_ref() else {
                return Ok(());
            };
            let result = if fail {
                self.stats.load_failures += 1;
                Err("simulated read error".to_owned())
            } else {
                server
                    .docs
                    .load(&doc)
                    .map(Box::new)
                    .map_err(|e| e.to_string())
            };
            self.mix(&[10, u64::from(fail)]);
            self.hub_input(Input::Loaded { doc, result })?;
        }
        Ok(())
    }

    /// Commit `writes` in one transaction and answer the hub; whether the
    /// server was killed right after the commit.
    fn commit(&mut self, writes: Vec<(DocumentId, WriteOp)>) -> R<bool> {
        if writes.is_empty() {
            return Ok(false);
        }
        let fail = !self.healing && self.rng.chance(self.profile.write_fail);
        self.mix(&[11, writes.len() as u64, u64::from(fail)]);
        let Some(server) = self.server.as_mut() else {
            return Ok(false);
        };
        let mut results: Vec<Result<_, String>> = if fail {
            self.stats.write_failures += writes.len() as u64;
            writes
                .iter()
                .map(|_| Err("disk full (simulated)".to_owned()))
                .collect()
        } else {
            match server.docs.commit(&writes) {
                Ok(outcomes) => {
                    self.stats.commits += 1;
                    self.stats.writes += writes.len() as u64;
                    outcomes
                        .into_iter()
                        .map(|o| o.map_err(|e| e.to_string()))
                        .collect()
                }
                Err(e) => writes.iter().map(|_| Err(e.to_string())).collect(),
            }
        };
        if !fail {
            // The runtime's writer compacts after a commit.
            let compact_at = self.profile.compact_at;
            let mut compacted = 0;
            for (doc, op) in &writes {
                if matches!(op, WriteOp::Persist { .. })
                    && server.docs.change_rows(doc).map_err(err("rows"))? >= compact_at
                {
                    if let Err(e) = server.docs.compact(doc) {
                        // The runtime logs this and keeps the rows; here
                        // it means stored changes lack their dependencies.
                        return Err(format!(
                            "the server refused to compact {}: {e}",
                            self.by_id
                                .get(doc)
                                .map_or_else(|| doc.to_string(), |&i| self.docs[i].name.clone())
                        ));
                    }
                    compacted += 1;
                }
            }
            self.stats.compactions += compacted;
            if !self.healing && self.rng.chance(self.profile.write_fail / 3.0) {
                // Durable, but the writer saw an error (an I/O error on
                // the way back): the hub retries a write that happened.
                self.stats.ambiguous_commits += 1;
                self.log(|| format!("committed {} writes; reported failed", writes.len()));
                for r in &mut results {
                    *r = Err("commit outcome unknown (simulated)".to_owned());
                }
            }
            if !self.healing && self.rng.chance(self.profile.kill * 5.0) {
                self.stats.kills_after_commit += 1;
                self.log(|| {
                    format!(
                        "committed {} writes; killed before the hub heard",
                        writes.len()
                    )
                });
                self.kill()?;
                return Ok(true);
            }
        }
        for ((doc, _), result) in writes.into_iter().zip(results) {
            self.hub_input(Input::Written { doc, result })?;
        }
        Ok(false)
    }

    /// kill -9: the hub and its storage operations in flight are gone;
    /// frames it already sent may still arrive; every connection drops.
    fn kill(&mut self) -> R<()> {
        let Some(server) = self.server.take() else {
            return Ok(());
        };
        self.stats.server_kills += 1;
        self.stats.storage_ops_lost += server.pending.len() as u64;
        self.log(|| format!("kill -9 ({} storage ops lost)", server.pending.len()));
        drop(server);
        let conns: Vec<ConnId> = self.links.keys().copied().collect();
        for conn in conns {
            if let Some(link) = self.links.get_mut(&conn) {
                let mut frames = std::mem::take(&mut link.down.frames);
                frames.sort_by_key(|f| (f.at, f.seq));
                let keep = self.rng.index(frames.len() + 1);
                for flight in frames.into_iter().take(keep) {
                    self.stats.delivered += 1;
                    self.tablet_receives(conn, &flight.frame)?;
                    if !self.links.contains_key(&conn) {
                        break;
                    }
                }
            }
            self.cut(conn, false)?;
        }
        let downtime = self.rng.range(1, 40);
        self.mix(&[12, downtime]);
        self.down_until = self.step + downtime;
        Ok(())
    }

    /// A new server process over the same directory; everything
    /// acknowledged must be there.
    fn restart(&mut self) -> R<()> {
        let store = Store::open(self.dir.path()).map_err(err("store"))?;
        let docs = DocStore::open(self.dir.path()).map_err(err("doc store"))?;
        let hub = Hub::new(HubConfig {
            server_peer: self.server_peer.clone(),
            idle_unload_ms: self.profile.idle_unload_ms,
        });
        self.server = Some(Server {
            hub,
            store,
            docs,
            pending: BTreeMap::new(),
        });
        self.log(|| "restart".to_owned());
        self.check_acked("after a restart")
    }

    /// Every change any tablet saw confirmed is in the `DocStore`.
    fn check_acked(&mut self, when: &str) -> R<()> {
        let Some(server) = self.server.as_ref() else {
            return Ok(());
        };
        let mut checked = 0;
        for (doc, hashes) in &self.acked {
            let stored = server.docs.load(doc).map_err(err("load"))?.doc;
            let wanted: Vec<ChangeHash> = hashes.iter().copied().collect();
            let missing: Vec<ChangeHash> = stored
                .get_missing_deps(&wanted)
                .into_iter()
                .filter(|h| hashes.contains(h))
                .collect();
            if !missing.is_empty() {
                return Err(format!(
                    "acknowledged changes lost {when}: {} lacks {} (acknowledged to a tablet of site a; written by {}), stored heads {}",
                    self.name(doc),
                    short(&missing),
                    self.authors(doc, &missing),
                    short(&stored.get_heads())
                ));
            }
            checked += wanted.len() as u64;
        }
        // What site `b` was told is stored: still its own, or set aside
        // when site `a` took the id back — never deleted.
        for (doc, hashes) in &self.squatted {
            let stored = server.docs.load(doc).map_err(err("load"))?;
            let mut copies = Vec::new();
            if stored.owner.as_ref().is_some_and(|o| o.site == "b") {
                copies.push(stored.doc);
            } else {
                let db =
                    rusqlite::Connection::open(self.dir.path().join(sync_server::store::DB_FILE))
                        .map_err(err("database"))?;
                let mut q = db
                    .prepare("SELECT data FROM quarantined_docs WHERE doc_id = ?1 AND site = 'b'")
                    .map_err(err("quarantine"))?;
                let blobs = q
                    .query_map(rusqlite::params![doc.to_string()], |r| {
                        r.get::<_, Vec<u8>>(0)
                    })
                    .map_err(err("quarantine"))?
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(err("quarantine"))?;
                for blob in blobs {
                    copies.push(Automerge::load(&blob).map_err(err("quarantined content"))?);
                }
            }
            for hash in hashes {
                if !copies
                    .iter()
                    .any(|c| c.get_change_meta_by_hash(hash).is_some())
                {
                    return Err(format!(
                        "a change acknowledged to site b's device is gone {when}: {} {} is neither stored as b's nor set aside",
                        self.name(doc),
                        short(&[*hash])
                    ));
                }
                checked += 1;
            }
        }
        self.stats.acked_checked += checked;
        Ok(())
    }

    /// Who wrote `hashes` of `doc`, as far as any tablet's copy says.
    fn authors(&self, doc: &DocumentId, hashes: &[ChangeHash]) -> String {
        let names: Vec<String> = hashes
            .iter()
            .map(|h| {
                self.tablets
                    .iter()
                    .filter_map(|t| t.client.doc(doc))
                    .find_map(|d| d.get_change_meta_by_hash(h).map(|m| m.actor.into_owned()))
                    .map_or_else(
                        || "unknown".to_owned(),
                        |actor| match actor_tablet(self.seed, &actor) {
                            Some(i) if self.tablets.get(i).is_some_and(|t| t.squatter) => {
                                format!("T{i}, site b's squatter")
                            }
                            Some(i) => format!("T{i}"),
                            None => "genesis or unknown".to_owned(),
                        },
                    )
            })
            .collect();
        names.join(", ")
    }

    // -----------------------------------------------------------------------
    // Healing and the checks

    /// No more faults: the server up, every tablet reconnected and asking
    /// for every document anyone holds; run until nothing moves and the
    /// state stops changing.
    fn heal(&mut self) -> R<()> {
        self.healing = true;
        self.log(|| "heal".to_owned());
        if self.server.is_none() {
            self.restart()?;
        }
        // Connections a frame was lost, duplicated or reordered on start
        // again (see `Link::tainted`); every other one stays and must
        // converge as it is.
        let tainted: Vec<ConnId> = self
            .links
            .iter()
            .filter(|(_, l)| l.tainted)
            .map(|(c, _)| *c)
            .collect();
        for conn in tainted {
            self.log(|| format!("heal: conn {conn} broke what TCP guarantees; reconnecting"));
            self.cut(conn, true)?;
        }
        // Every document any tablet holds or stored, or the server holds.
        let mut everything: Vec<DocSpec> = Vec::new();
        for spec in &self.docs {
            let on_tablet = self.tablets.iter().filter(|t| !t.squatter).any(|t| {
                t.storage.contains_key(&spec.id)
                    || t.client
                        .doc(&spec.id)
                        .is_some_and(|d| !d.get_heads().is_empty())
            });
            let on_server = match self.server.as_ref() {
                Some(server) => {
                    let stored = server.docs.load(&spec.id).map_err(err("load"))?;
                    stored.owner.is_some_and(|o| o.site == SITE)
                        && !stored.doc.get_heads().is_empty()
                }
                None => false,
            };
            if on_tablet || on_server {
                everything.push(spec.clone());
            }
        }
        for t in 0..self.tablets.len() {
            self.tablets[t].offline_until = 0;
            self.tablets[t].reconnect_at = 0;
            if self.tablets[t].conn.is_none() {
                self.connect(t)?;
            }
            let squatter = self.tablets[t].squatter;
            for spec in everything.iter().filter(|_| !squatter) {
                let client = &mut self.tablets[t].client;
                if client.doc(&spec.id).is_none() {
                    if let Some(purpose) = &spec.purpose {
                        client.note_purpose(spec.id, purpose);
                    }
                    client.want(spec.id);
                }
            }
            self.pump(t)?;
        }
        let mut last = None;
        for _ in 0..HEAL_ROUNDS {
            self.settle()?;
            // Past the hub's retry time, then the app's timers.
            self.advance(RETRY_MS + 1)?;
            self.settle()?;
            for t in 0..self.tablets.len() {
                self.tablets[t].client.retry_unavailable();
                self.pump(t)?;
            }
            self.settle()?;
            let state = self.state_digest();
            if last == Some(state) {
                return Ok(());
            }
            last = Some(state);
        }
        Err(format!(
            "the healing phase did not settle in {HEAL_ROUNDS} rounds"
        ))
    }

    /// Deliver frames and carry out storage until nothing moves.
    fn settle(&mut self) -> R<()> {
        for _ in 0..SETTLE_STEPS {
            for t in 0..self.tablets.len() {
                self.pump(t)?;
            }
            let moved = self.deliver(true)?;
            let stored = self.storage(true)?;
            if !moved && !stored {
                return Ok(());
            }
            self.advance(10)?;
        }
        Err(format!(
            "the network did not settle in {SETTLE_STEPS} steps"
        ))
    }

    /// Everything a check looks at, fingerprinted.
    fn state_digest(&self) -> u64 {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        let mut mix = |bytes: &[u8]| {
            for b in bytes {
                h ^= u64::from(*b);
                h = h.wrapping_mul(0x0100_0000_01b3);
            }
        };
        for t in &self.tablets {
            for id in t.client.documents() {
                mix(id.to_string().as_bytes());
                if let Some(doc) = t.client.doc(id) {
                    for head in doc.get_heads() {
                        mix(head.as_ref());
                    }
                }
                for head in t.client.confirmed_heads(id) {
                    mix(head.as_ref());
                }
            }
        }
        // The server changes only by writes, which the tablets hear of.
        mix(&self.stats.writes.to_le_bytes());
        mix(&self.stats.commits.to_le_bytes());
        h
    }

    fn check(&mut self) -> R<()> {
        self.check_acked("at the end")?;
        self.stats.squatter_acked = self.squatted.values().map(|h| h.len() as u64).sum();
        let db = rusqlite::Connection::open(self.dir.path().join(sync_server::store::DB_FILE))
            .map_err(err("database"))?;
        let set_aside: i64 = db
            .query_row(
                "SELECT count(DISTINCT doc_id) FROM quarantined_docs",
                [],
                |r| r.get(0),
            )
            .map_err(err("quarantine"))?;
        self.stats.set_aside = u64::try_from(set_aside).unwrap_or(0);
        let Some(server) = self.server.as_ref() else {
            return Err("no server after healing".into());
        };
        let mut replicas = 0;
        let mut stored_docs = BTreeMap::new();
        let squatter = self.tablets.iter().find(|t| t.squatter).map(|t| t.index);
        for spec in &self.docs {
            let loaded = server.docs.load(&spec.id).map_err(err("load"))?;
            let theirs = loaded.owner.as_ref().is_some_and(|o| o.site != SITE);
            let stored = loaded.doc;
            let heads = stored.get_heads();
            // Site isolation: nothing of the squatter's in a document of
            // site a's, whoever owns it now.
            if !theirs
                && let Some(b) = squatter
                && let Some(c) = stored
                    .get_changes_meta(&[])
                    .into_iter()
                    .find(|c| actor_tablet(self.seed, &c.actor) == Some(b))
            {
                return Err(format!(
                    "site b's change {} is in site a's {} on the server",
                    short(&[c.hash]),
                    spec.name
                ));
            }
            let held_anywhere = self.tablets.iter().filter(|t| !t.squatter).any(|t| {
                t.client
                    .doc(&spec.id)
                    .is_some_and(|d| !d.get_heads().is_empty())
            });
            if (heads.is_empty() || theirs) && !held_anywhere {
                continue;
            }
            let queued = stored.get_missing_deps(&[]);
            if !queued.is_empty() {
                return Err(format!(
                    "the server's {} has changes waiting for {}",
                    spec.name,
                    short(&queued)
                ));
            }
            if let Some(saved) = self.saved.get(&spec.id) {
                let saved: Vec<ChangeHash> = saved.iter().copied().collect();
                let missing = stored.get_missing_deps(&saved);
                if !missing.is_empty() {
                    return Err(format!(
                        "the server's {} lacks saved edits {}",
                        spec.name,
                        short(&missing)
                    ));
                }
            }
            for t in self.tablets.iter().filter(|t| !t.squatter) {
                let Some(doc) = t.client.doc(&spec.id) else {
                    return Err(format!(
                        "T{} does not hold {} after healing (server heads {})",
                        t.index,
                        spec.name,
                        short(&heads)
                    ));
                };
                let mine = doc.get_heads();
                if mine != heads {
                    return Err(format!(
                        "T{} diverged on {}: tablet heads {}, server heads {} (unconfirmed {}, unavailable {})",
                        t.index,
                        spec.name,
                        short(&mine),
                        short(&heads),
                        t.client.unconfirmed(&spec.id),
                        t.client.is_unavailable(&spec.id)
                    ));
                }
                let queued = doc.get_missing_deps(&[]);
                if !queued.is_empty() {
                    return Err(format!(
                        "T{}'s {} has changes waiting for {}",
                        t.index,
                        spec.name,
                        short(&queued)
                    ));
                }
                if !t.dirty.contains(&spec.id)
                    && let Some(s) = t.storage.get(&spec.id)
                {
                    let confirmed = t.client.confirmed_heads(&spec.id);
                    if s.heads != mine || s.confirmed != confirmed {
                        return Err(format!(
                            "T{}'s storage of {} is behind its memory: stored {} confirmed {}, memory {} confirmed {}",
                            t.index,
                            spec.name,
                            short(&s.heads),
                            short(&s.confirmed),
                            short(&mine),
                            short(&confirmed)
                        ));
                    }
                }
                replicas += 1;
            }
            stored_docs.insert(spec.id, stored);
        }
        // Nothing of site a's ever reached the squatter.
        for t in self.tablets.iter().filter(|t| t.squatter) {
            for id in t.client.documents() {
                let Some(doc) = t.client.doc(id) else {
                    continue;
                };
                if let Some(c) = doc
                    .get_changes_meta(&[])
                    .into_iter()
                    .find(|c| actor_tablet(self.seed, &c.actor) != Some(t.index))
                {
                    return Err(format!(
                        "site b's device holds a change of someone else's, {} in {}",
                        short(&[c.hash]),
                        self.name(id)
                    ));
                }
            }
        }
        for t in self.tablets.iter().filter(|t| !t.squatter) {
            let n = t.client.total_unconfirmed();
            if n != 0 {
                let which: Vec<String> = t
                    .client
                    .documents()
                    .filter(|id| t.client.unconfirmed(id) > 0)
                    .map(|id| {
                        format!(
                            "{}: heads {}, confirmed {}",
                            self.name(id),
                            short(&t.client.doc(id).map(|d| d.get_heads()).unwrap_or_default()),
                            short(&t.client.confirmed_heads(id))
                        )
                    })
                    .collect();
                return Err(format!(
                    "T{} still counts {n} unconfirmed changes after healing ({})",
                    t.index,
                    which.join(", ")
                ));
            }
        }
        self.stats.replicas_checked += replicas;
        self.check_visible(&stored_docs)
    }

    /// Read through the model: every record whose change is present is
    /// visible, and counters add up. Each document is read once.
    fn check_visible(&self, stored: &BTreeMap<DocumentId, Automerge>) -> R<()> {
        let mut by_doc: BTreeMap<DocumentId, Vec<&Expect>> = BTreeMap::new();
        for e in &self.expects {
            if let Some(doc) = stored.get(&e.doc)
                && doc.get_change_meta_by_hash(&e.hash).is_some()
            {
                by_doc.entry(e.doc).or_default().push(e);
            }
        }
        for (id, expects) in by_doc {
            let Some(doc) = stored.get(&id) else {
                continue;
            };
            let name = self.name(&id);
            let kind = self
                .by_id
                .get(&id)
                .map_or(Kind::Raw, |&i| self.docs[i].kind);
            let shown = visible_tokens(kind, doc)
                .map_err(|e| format!("{name}: reading it through the model failed: {e}"))?;
            let mut visitors = 0;
            for e in expects {
                if let Visible::Visitors(n) = e.visible {
                    visitors += n;
                    continue;
                }
                if let Visible::RawKey(key) = &e.visible {
                    if doc.get(ROOT, key.as_str()).ok().flatten().is_none() {
                        return Err(format!(
                            "{name}: key {key} is missing though its change is present"
                        ));
                    }
                    continue;
                }
                if let Some(token) = token(&e.visible)
                    && !shown.contains(&token)
                {
                    return Err(format!(
                        "{name}: {:?} is not visible though its change is present",
                        e.visible
                    ));
                }
            }
            if matches!(kind, Kind::ShowFlat(_)) {
                let count = show_flat::visitors(doc).map_err(err("visitors"))?;
                if count != visitors {
                    return Err(format!(
                        "{name}: the visitor counter shows {count}, the additions present sum to {visitors}"
                    ));
                }
            }
        }
        Ok(())
    }
}

/// What an expectation looks for among [`visible_tokens`].
fn token(v: &Visible) -> Option<String> {
    match v {
        Visible::DutyEntry(id)
        | Visible::Visit(id)
        | Visible::Complaint(id)
        | Visible::ComplaintOpen(id)
        | Visible::OwnerVisit(id)
        | Visible::Key(id)
        | Visible::SecurityLine(id)
        | Visible::Followup(id) => Some(id.clone()),
        Visible::Mark {
            item,
            device,
            at_ms,
        } => Some(format!("{item}|{device}|{at_ms}")),
        Visible::Visitors(_) | Visible::RawKey(_) | Visible::Nothing => None,
    }
}

/// The records `doc` (of `kind`) shows, read through the model's views.
fn visible_tokens(kind: Kind, doc: &Automerge) -> Result<BTreeSet<String>, String> {
    read_tokens(kind, doc).map_err(|e| e.to_string())
}

#[allow(clippy::result_large_err)] // the model's own error type
fn read_tokens(
    kind: Kind,
    doc: &Automerge,
) -> Result<BTreeSet<String>, shiftbook_model::ModelError> {
    Ok(match kind {
        Kind::DutyLog(_) => duty_log::DutyLog::new(doc)?
            .records()?
            .into_iter()
            .map(|(_, r)| r.id)
            .collect(),
        Kind::VisitorDay(_) => visitor_log::VisitorDay::new(doc)?
            .visits()?
            .into_iter()
            .map(|v| v.id)
            .collect(),
        Kind::ComplaintBoard => complaint::complaints(doc)?
            .into_iter()
            .map(|c| c.id)
            .collect(),
        Kind::ComplaintIndex => complaint::open_in_index(doc)?
            .into_iter()
            .map(|(id, _)| id)
            .collect(),
        Kind::OwnerVisits => owner_visit::visits(doc)?
            .into_iter()
            .map(|v| v.id)
            .collect(),
        Kind::Keys => key_register::KeyRegister::new(doc)?
            .keys()?
            .into_iter()
            .map(|k| k.id)
            .collect(),
        Kind::SecurityLog(_) => security_log::events(doc)?
            .into_iter()
            .map(|e| e.person_id)
            .collect(),
        Kind::Checklist(_) => checklist::Checklist::new(doc)?
            .history()?
            .into_iter()
            .map(|m| format!("{}|{}|{}", m.item, m.device, m.at_ms))
            .collect(),
        Kind::FollowupBoard => followup::followups(doc)?
            .into_iter()
            .map(|f| f.key)
            .collect(),
        _ => BTreeSet::new(),
    })
}
