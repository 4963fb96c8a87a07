//! Rounds as a site walks them, written straight into a server's data
//! directory: for each site and day, every slot of every built-in
//! template is walked on time, late, made up after its deadline, or
//! missed, chosen by a seeded generator, with each item marked ✓ (now and
//! then ×, with a note) by one of four people. What was chosen is kept
//! ([`Generated`]), so a test holds the dashboard against the generator's
//! own choices, not against the code that counts them.
//!
//! Write only days whose slots are all past their deadlines (night rounds
//! run into the next morning): the generator does not judge "open".

use automerge::{ActorId, Automerge};
use shiftbook_model::DocumentId;
use shiftbook_model::attribution::Attribution;
use shiftbook_model::checklist::{self, Status};
use shiftbook_model::roster::Role;
use shiftbook_model::schedule::{Date, LocalDateTime, slots_on};
use shiftbook_model::template::{Template, builtins};
use std::collections::BTreeMap;
use std::path::Path;
use sync_server::doc_store::{DocStore, NewChange, WriteOp};
use sync_server::principal::Uploader;
use sync_server::projection::UTC_OFFSET_MIN;

/// Why generating failed.
pub type GenError = Box<dyn std::error::Error + Send + Sync>;

/// The people who walk the rounds, on every site.
pub const PEOPLE: [&str; 4] = ["张伟", "李娜", "王芳", "刘洋"];

/// What the generator chose for one slot: `on_time`, `late`, `made_up`
/// or `missed`, and who began it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenSlot {
    /// The site.
    pub site: String,
    /// The template.
    pub template: String,
    /// The post.
    pub post: String,
    /// The service date.
    pub date: String,
    /// The slot's key.
    pub slot: String,
    /// The verdict chosen.
    pub verdict: &'static str,
    /// Who began it (none when missed).
    pub person: Option<&'static str>,
    /// Items marked ×.
    pub abnormal: u32,
}

/// Everything generated.
#[derive(Debug, Clone, Default)]
pub struct Generated {
    /// Every slot, by site, date and template.
    pub slots: Vec<GenSlot>,
    /// Documents written.
    pub documents: usize,
}

impl Generated {
    /// How many slots of `site` (all: `None`) went `verdict`.
    pub fn count(&self, site: Option<&str>, verdict: &str) -> usize {
        self.slots
            .iter()
            .filter(|s| site.is_none_or(|x| s.site == x) && s.verdict == verdict)
            .count()
    }

    /// Slots of `site` (all: `None`).
    pub fn due(&self, site: Option<&str>) -> usize {
        self.slots
            .iter()
            .filter(|s| site.is_none_or(|x| s.site == x))
            .count()
    }

    /// Items marked × on `site` (all: `None`).
    pub fn abnormal(&self, site: Option<&str>) -> u32 {
        self.slots
            .iter()
            .filter(|s| site.is_none_or(|x| s.site == x))
            .map(|s| s.abnormal)
            .sum()
    }
}

/// A small deterministic generator (xorshift64*), so a seed is one data set.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// Seeded; 0 is moved off the fixed point.
    pub fn new(seed: u64) -> Self {
        Self(seed.max(1))
    }

    /// The next 64 bits.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
}

/// Device-clock milliseconds of local time `t` at the sites' offset.
fn ms(t: LocalDateTime) -> i64 {
    (t.epoch_minutes() - i64::from(UTC_OFFSET_MIN)) * 60_000
}

/// `t` plus `minutes`.
fn plus(t: LocalDateTime, minutes: i64) -> LocalDateTime {
    t.add_minutes(minutes)
}

/// Walk the slots of `template` on `date` into one document; what was
/// chosen goes to `out`. `None` when every slot was missed (no document).
fn walk_day(
    site: &str,
    template: &Template,
    date: Date,
    rng: &mut Rng,
    out: &mut Vec<GenSlot>,
) -> Result<Option<Automerge>, GenError> {
    let Some(schedule) = &template.schedule else {
        return Ok(None);
    };
    let mut doc: Option<Automerge> = None;
    for slot in slots_on(schedule, date)? {
        let grace = slot.late_from.epoch_minutes() - slot.due.epoch_minutes();
        let late_span = slot.deadline.epoch_minutes() - slot.late_from.epoch_minutes();
        let roll = rng.below(100);
        let (verdict, start) = if roll < 70 && grace > 0 {
            (
                "on_time",
                Some(plus(slot.due, rng.below(grace as u64) as i64)),
            )
        } else if roll < 82 && late_span > 0 {
            (
                "late",
                Some(plus(slot.late_from, rng.below(late_span as u64) as i64)),
            )
        } else if roll < 88 {
            (
                "made_up",
                Some(plus(slot.deadline, 1 + rng.below(45) as i64)),
            )
        } else {
            ("missed", None)
        };
        let mut line = GenSlot {
            site: site.to_owned(),
            template: template.id.clone(),
            post: template.post.clone(),
            date: date.to_string(),
            slot: slot.key.clone(),
            verdict,
            person: None,
            abnormal: 0,
        };
        if let Some(start) = start {
            let person = PEOPLE[rng.below(PEOPLE.len() as u64) as usize];
            line.person = Some(person);
            let d = match &mut doc {
                Some(d) => d,
                None => doc.insert(checklist::genesis(site, &template.id, &date.to_string())?),
            };
            d.set_actor(ActorId::random());
            let by = |t: LocalDateTime| Attribution {
                person_id: format!("p-{person}"),
                person: person.to_owned(),
                role: Role::Staff,
                device: format!("{site}-平板"),
                at_ms: ms(t),
            };
            for (n, item) in template.items.iter().enumerate() {
                let bad = rng.below(100) < 4;
                let (status, note) = if bad {
                    (Status::Abnormal, "需要维修")
                } else {
                    (Status::Normal, "")
                };
                line.abnormal += u32::from(bad);
                let at = plus(start, n as i64);
                if n == 0 {
                    checklist::mark_starting(
                        d,
                        template,
                        &slot.key,
                        &item.id,
                        status,
                        note,
                        &by(at),
                    )?;
                } else {
                    checklist::mark(d, &slot.key, &item.id, status, note, &by(at))?;
                }
            }
            checklist::finish(d, &slot.key, &by(plus(start, 12)))?;
        }
        out.push(line);
    }
    Ok(doc)
}

/// Generate `days` days from `first` for each of `sites` into the server
/// data directory `data` (sites are created with one tablet each when
/// missing), with the built-in templates; documents are stored as a
/// tablet's upload would store them. The projection is not touched: the
/// server rebuilds it on start (or `sync-server reproject`).
pub fn generate(
    data: &Path,
    sites: &[&str],
    first: Date,
    days: u32,
    seed: u64,
) -> Result<Generated, GenError> {
    let store = sync_server::Store::open(data)?;
    let mut docs = DocStore::open(data)?;
    let mut rng = Rng::new(seed);
    let mut generated = Generated::default();
    let templates: Vec<Template> = builtins().into_iter().filter(|t| t.active).collect();
    for site in sites {
        let key = match store.site(site)? {
            Some(s) => s.key,
            None => store.enroll(site, site, &format!("{site}-平板"))?.site.key,
        };
        let mut batch = Vec::new();
        for n in 0..days {
            let date = first.add_days(i32::try_from(n)?);
            for t in &templates {
                let Some(doc) = walk_day(site, t, date, &mut rng, &mut generated.slots)? else {
                    continue;
                };
                let id = DocumentId::derive(&key, &checklist::purpose(&t.id, &date.to_string()));
                let changes = doc
                    .get_changes(&[])
                    .into_iter()
                    .map(|c| NewChange::of(&c, Uploader::Server, 0))
                    .collect();
                batch.push((
                    id,
                    WriteOp::Persist {
                        changes,
                        claim_for: Some((*site).to_owned()),
                    },
                ));
                if batch.len() >= 200 {
                    generated.documents += commit(&mut docs, std::mem::take(&mut batch))?;
                }
            }
        }
        generated.documents += commit(&mut docs, batch)?;
    }
    Ok(generated)
}

fn commit(docs: &mut DocStore, batch: Vec<(DocumentId, WriteOp)>) -> Result<usize, GenError> {
    let n = batch.len();
    for outcome in docs.commit(&batch)? {
        outcome?;
    }
    Ok(n)
}

/// Per post, how many slots of `site` went each way (post → verdict →
/// count).
pub fn by_post(
    g: &Generated,
    site: Option<&str>,
) -> BTreeMap<String, BTreeMap<&'static str, usize>> {
    let mut out: BTreeMap<String, BTreeMap<&'static str, usize>> = BTreeMap::new();
    for s in g.slots.iter().filter(|s| site.is_none_or(|x| s.site == x)) {
        *out.entry(s.post.clone())
            .or_default()
            .entry(s.verdict)
            .or_default() += 1;
    }
    out
}
