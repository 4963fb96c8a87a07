//! The rounds of a period judged slot by slot, and counted: what the
//! supervisor's dashboard shows, and the answers of the server's
//! `/api/dashboard/*` the desktop reads. Pure: the sites' templates, their
//! rounds as the server's projection holds them ([`ProjectedRound`]), the
//! period and the local time now in; one line per
//! scheduled slot that came due (and per round walked outside the
//! schedule) and the counts per site, post, person and day out.
//!
//! A slot is judged by [`crate::schedule::Slot::state`], as the
//! tablet's agenda judges it: begun within its grace is on time, later is
//! late, after its deadline is made up, never begun by its deadline is
//! missed. Slots not due yet are not counted; one due and not begun yet is
//! *open*. Missed slots come from the templates in use now (a round
//! nobody opened has no document to say which template it had).

use crate::schedule::{Date, LocalDateTime, slots_on};
use crate::template::Template;
use std::collections::{BTreeMap, HashMap};

/// How a round stands, as far as the document knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoundState {
    /// Finished, begun within its grace.
    OnTime,
    /// Finished, begun after its grace.
    Late,
    /// Finished, begun after its deadline: missed on time, made up.
    MadeUp,
    /// Begun, not finished.
    InProgress,
    /// Marks but no start (an on-demand or older round), or nothing yet.
    NotStarted,
}

impl RoundState {
    /// Every state.
    pub const ALL: [RoundState; 5] = [
        Self::OnTime,
        Self::Late,
        Self::MadeUp,
        Self::InProgress,
        Self::NotStarted,
    ];

    /// The state named `s`.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// The stored word.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OnTime => "on_time",
            Self::Late => "late",
            Self::MadeUp => "made_up",
            Self::InProgress => "in_progress",
            Self::NotStarted => "not_started",
        }
    }
}

/// One round as the projection stores it: a slot of a day's checklist
/// document that someone began or marked.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ProjectedRound {
    /// The day's document.
    pub doc_id: String,
    /// The slot.
    pub slot: String,
    /// The template.
    pub template_id: String,
    /// Its title, Chinese.
    pub title: String,
    /// The post.
    pub post: String,
    /// The service date.
    pub date: String,
    /// Due, local.
    pub due: Option<String>,
    /// Begun, local.
    pub started: Option<String>,
    /// By whom.
    pub started_by: Option<String>,
    /// Finished, local.
    pub finished: Option<String>,
    /// By whom.
    pub finished_by: Option<String>,
    /// Items on the template.
    pub items: u32,
    /// Items marked.
    pub marked: u32,
    /// Items ×.
    pub abnormal: u32,
    /// How it stands.
    pub state: RoundState,
}

/// What `GET /api/dashboard/rounds` answers.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RoundsAnswer {
    /// First service date.
    pub from: String,
    /// Last service date.
    pub to: String,
    /// The local time the slots were judged at.
    pub now: String,
    /// The sites counted.
    pub sites: Vec<String>,
    /// The counts.
    pub figures: RoundFigures,
}

/// What `GET /api/dashboard/slots` answers.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SlotsAnswer {
    /// The local time the slots were judged at.
    pub now: String,
    /// The slots, by site, date and time.
    pub slots: Vec<SlotLine>,
}

/// How one slot went.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Finished, begun within the grace.
    OnTime,
    /// Finished, begun after the grace.
    Late,
    /// Finished, begun after the deadline.
    MadeUp,
    /// Never begun by the deadline.
    Missed,
    /// Begun, not finished.
    InProgress,
    /// Due now, not begun yet.
    Open,
    /// Walked on demand, outside the schedule.
    OnDemand,
}

impl Verdict {
    /// Every verdict, in the order the dashboard lists them.
    pub const ALL: [Verdict; 7] = [
        Self::OnTime,
        Self::Late,
        Self::MadeUp,
        Self::Missed,
        Self::InProgress,
        Self::Open,
        Self::OnDemand,
    ];

    /// The word in URLs and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OnTime => "on_time",
            Self::Late => "late",
            Self::MadeUp => "made_up",
            Self::Missed => "missed",
            Self::InProgress => "in_progress",
            Self::Open => "open",
            Self::OnDemand => "on_demand",
        }
    }

    /// The verdict named `s`.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// Its name for people, in `lang`: on the dashboard and in exports.
    pub fn text(self, lang: crate::Lang) -> &'static str {
        let (zh, en) = match self {
            Self::OnTime => ("按时", "On time"),
            Self::Late => ("迟到", "Late"),
            Self::MadeUp => ("补巡", "Made up"),
            Self::Missed => ("漏巡", "Missed"),
            Self::InProgress => ("进行中", "In progress"),
            Self::Open => ("待开始", "Not begun"),
            Self::OnDemand => ("临时巡查", "On demand"),
        };
        match lang {
            crate::Lang::Zh => zh,
            crate::Lang::En => en,
        }
    }
}

/// One slot (or on-demand round) of the period.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SlotLine {
    /// The site.
    pub site: String,
    /// The service date.
    pub date: String,
    /// The template.
    pub template_id: String,
    /// Its title, Chinese.
    pub title: String,
    /// The post.
    pub post: String,
    /// The slot's key.
    pub slot: String,
    /// Due, local (none on demand).
    pub due: Option<String>,
    /// How it went.
    pub verdict: Verdict,
    /// Who began it.
    pub person: Option<String>,
    /// Begun, local.
    pub started: Option<String>,
    /// Finished, local.
    pub finished: Option<String>,
    /// Items marked × in it.
    pub abnormal: u32,
    /// The round's document, when there is one.
    pub doc_id: Option<String>,
}

/// How many slots went which way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Counts {
    /// Slots judged (came due): all but on-demand rounds.
    pub due: u32,
    /// On time.
    pub on_time: u32,
    /// Late.
    pub late: u32,
    /// Made up after the deadline.
    pub made_up: u32,
    /// Missed.
    pub missed: u32,
    /// In progress.
    pub in_progress: u32,
    /// Due and not begun yet.
    pub open: u32,
    /// Walked on demand.
    pub on_demand: u32,
    /// Items marked × in them.
    pub abnormal: u32,
}

impl Counts {
    /// How many slots went `v`.
    pub fn of(&self, v: Verdict) -> u32 {
        let mut c = *self;
        *c.of_mut(v)
    }

    fn of_mut(&mut self, v: Verdict) -> &mut u32 {
        match v {
            Verdict::OnTime => &mut self.on_time,
            Verdict::Late => &mut self.late,
            Verdict::MadeUp => &mut self.made_up,
            Verdict::Missed => &mut self.missed,
            Verdict::InProgress => &mut self.in_progress,
            Verdict::Open => &mut self.open,
            Verdict::OnDemand => &mut self.on_demand,
        }
    }

    fn add(&mut self, line: &SlotLine) {
        *self.of_mut(line.verdict) += 1;
        if line.verdict != Verdict::OnDemand {
            self.due += 1;
        }
        self.abnormal += line.abnormal;
    }
}

/// The counts of a period, whole and broken down.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RoundFigures {
    /// Everything.
    pub total: Counts,
    /// Per site.
    pub by_site: BTreeMap<String, Counts>,
    /// Per post.
    pub by_post: BTreeMap<String, Counts>,
    /// Per person who began rounds (missed and open slots have nobody).
    pub by_person: BTreeMap<String, Counts>,
    /// Per service date, every date of the period.
    pub by_day: BTreeMap<String, Counts>,
}

/// What one site brings: its templates (the built-ins where it has none
/// of its own) and its projected rounds of the period.
#[derive(Debug, Clone)]
pub struct SiteRounds {
    /// The site.
    pub site: String,
    /// Its templates, retired ones included (they are skipped).
    pub templates: Vec<Template>,
    /// Its rounds with service dates in the period.
    pub rounds: Vec<ProjectedRound>,
}

/// The dates from `from` to `to`, both included (none when reversed).
pub fn dates(from: Date, to: Date) -> impl Iterator<Item = Date> {
    let n = (to.days_since_epoch() - from.days_since_epoch()).max(-1);
    (0..=n).filter_map(move |i| i32::try_from(i).ok().and_then(|i| from.checked_add_days(i)))
}

/// One line per slot of `sites` in `[from, to]` that came due by `now`,
/// and per on-demand round, by site, date and due time.
pub fn slot_lines(sites: &[SiteRounds], from: Date, to: Date, now: LocalDateTime) -> Vec<SlotLine> {
    let mut out = Vec::new();
    for s in sites {
        let mut walked: HashMap<(String, String, String), &ProjectedRound> = s
            .rounds
            .iter()
            .map(|r| ((r.template_id.clone(), r.date.clone(), r.slot.clone()), r))
            .collect();
        for date in dates(from, to) {
            let day = date.to_string();
            for t in s.templates.iter().filter(|t| t.active) {
                let Some(schedule) = &t.schedule else {
                    continue;
                };
                for slot in slots_on(schedule, date).unwrap_or_default() {
                    if slot.due > now {
                        continue;
                    }
                    let round = walked.remove(&(t.id.clone(), day.clone(), slot.key.clone()));
                    let verdict = match round.map(|r| r.state) {
                        Some(RoundState::OnTime) => Verdict::OnTime,
                        Some(RoundState::Late) => Verdict::Late,
                        Some(RoundState::MadeUp) => Verdict::MadeUp,
                        Some(RoundState::InProgress) => Verdict::InProgress,
                        _ if now >= slot.deadline => Verdict::Missed,
                        _ => Verdict::Open,
                    };
                    out.push(SlotLine {
                        site: s.site.clone(),
                        date: day.clone(),
                        template_id: t.id.clone(),
                        title: t.title.zh.clone(),
                        post: t.post.clone(),
                        slot: slot.key.clone(),
                        due: Some(slot.due.to_string()),
                        verdict,
                        person: round.and_then(|r| r.started_by.clone()),
                        started: round.and_then(|r| r.started.clone()),
                        finished: round.and_then(|r| r.finished.clone()),
                        abnormal: round.map_or(0, |r| r.abnormal),
                        doc_id: round.map(|r| r.doc_id.clone()),
                    });
                }
            }
        }
        // Rounds no slot in use now accounts for: on demand, or of a
        // template retired or rescheduled since.
        let mut rest: Vec<&ProjectedRound> = walked.into_values().collect();
        rest.sort_by(|a, b| {
            (&a.date, &a.due, &a.slot, &a.doc_id).cmp(&(&b.date, &b.due, &b.slot, &b.doc_id))
        });
        for r in rest {
            let verdict = match (r.due.is_some(), r.state) {
                (false, _) => Verdict::OnDemand,
                (true, RoundState::OnTime) => Verdict::OnTime,
                (true, RoundState::Late) => Verdict::Late,
                (true, RoundState::MadeUp) => Verdict::MadeUp,
                (true, RoundState::InProgress) => Verdict::InProgress,
                (true, RoundState::NotStarted) => Verdict::Open,
            };
            out.push(SlotLine {
                site: s.site.clone(),
                date: r.date.clone(),
                template_id: r.template_id.clone(),
                title: r.title.clone(),
                post: r.post.clone(),
                slot: r.slot.clone(),
                due: r.due.clone(),
                verdict,
                person: r.started_by.clone(),
                started: r.started.clone(),
                finished: r.finished.clone(),
                abnormal: r.abnormal,
                doc_id: Some(r.doc_id.clone()),
            });
        }
    }
    // By site, date and time: the due time, or for a round on demand
    // when it was begun.
    let when = |l: &SlotLine| l.due.clone().or_else(|| l.started.clone());
    out.sort_by(|a, b| {
        (&a.site, &a.date, when(a), &a.template_id, &a.slot).cmp(&(
            &b.site,
            &b.date,
            when(b),
            &b.template_id,
            &b.slot,
        ))
    });
    out
}

/// The counts of `lines`; `by_day` holds every date of `[from, to]`.
pub fn figures(lines: &[SlotLine], from: Date, to: Date) -> RoundFigures {
    let mut f = RoundFigures {
        by_day: dates(from, to)
            .map(|d| (d.to_string(), Counts::default()))
            .collect(),
        ..RoundFigures::default()
    };
    for l in lines {
        f.total.add(l);
        f.by_site.entry(l.site.clone()).or_default().add(l);
        f.by_post.entry(l.post.clone()).or_default().add(l);
        if let Some(p) = &l.person {
            f.by_person.entry(p.clone()).or_default().add(l);
        }
        f.by_day.entry(l.date.clone()).or_default().add(l);
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::builtins;

    fn round(
        template: &str,
        date: &str,
        slot: &str,
        due: Option<&str>,
        state: &str,
        by: &str,
    ) -> ProjectedRound {
        ProjectedRound {
            doc_id: format!("doc-{template}-{date}"),
            slot: slot.into(),
            template_id: template.into(),
            title: "T".into(),
            post: "lobby".into(),
            date: date.into(),
            due: due.map(str::to_owned),
            started: Some(format!("{date} 08:35")),
            started_by: Some(by.into()),
            finished: None,
            finished_by: None,
            items: 11,
            marked: 11,
            abnormal: 1,
            state: RoundState::parse(state).unwrap(),
        }
    }

    fn t(s: &str) -> LocalDateTime {
        LocalDateTime::parse(s).unwrap()
    }

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn lobby_only() -> Vec<Template> {
        builtins()
            .into_iter()
            .filter(|t| t.id == "lobby-opening")
            .collect()
    }

    #[test]
    fn a_slot_walked_late_missed_open_or_not_due_is_counted_so() {
        // lobby-opening: daily at 08:30. Three days; the third is today,
        // 08:40: its slot is due and open.
        let site = SiteRounds {
            site: "demo".into(),
            templates: lobby_only(),
            rounds: vec![
                round(
                    "lobby-opening",
                    "2026-11-21",
                    "0830",
                    Some("2026-11-21 08:30"),
                    "on_time",
                    "张伟",
                ),
                round(
                    "lobby-opening",
                    "2026-11-22",
                    "0830",
                    Some("2026-11-22 08:30"),
                    "late",
                    "李娜",
                ),
            ],
        };
        let lines = slot_lines(
            std::slice::from_ref(&site),
            d("2026-11-21"),
            d("2026-11-24"),
            t("2026-11-23 08:40"),
        );
        let verdicts: Vec<_> = lines.iter().map(|l| (l.date.as_str(), l.verdict)).collect();
        assert_eq!(
            verdicts,
            [
                ("2026-11-21", Verdict::OnTime),
                ("2026-11-22", Verdict::Late),
                ("2026-11-23", Verdict::Open)
            ]
        );
        let f = figures(&lines, d("2026-11-21"), d("2026-11-24"));
        assert_eq!(
            (
                f.total.due,
                f.total.on_time,
                f.total.late,
                f.total.open,
                f.total.missed
            ),
            (3, 1, 1, 1, 0)
        );
        assert_eq!(f.by_person["张伟"].on_time, 1);
        assert_eq!(f.by_person["李娜"].late, 1);
        assert_eq!(f.by_day.len(), 4, "every day of the period, walked or not");
        assert_eq!(f.by_day["2026-11-24"], Counts::default());
        // The next day, the open slot has turned missed.
        let later = slot_lines(
            &[site],
            d("2026-11-21"),
            d("2026-11-24"),
            t("2026-11-24 07:00"),
        );
        assert_eq!(later[2].verdict, Verdict::Missed);
        assert_eq!(later[2].person, None);
    }

    #[test]
    fn on_demand_and_retired_rounds_are_lines_of_their_own() {
        let mut templates = lobby_only();
        templates[0].active = false;
        let site = SiteRounds {
            site: "demo".into(),
            templates,
            rounds: vec![
                round(
                    "lobby-opening",
                    "2026-11-21",
                    "0830",
                    Some("2026-11-21 08:30"),
                    "made_up",
                    "张伟",
                ),
                round(
                    "lobby-opening",
                    "2026-11-21",
                    "od-01020304",
                    None,
                    "on_time",
                    "张伟",
                ),
            ],
        };
        let lines = slot_lines(
            &[site],
            d("2026-11-21"),
            d("2026-11-21"),
            t("2026-11-25 00:00"),
        );
        let verdicts: Vec<_> = lines.iter().map(|l| l.verdict).collect();
        assert_eq!(
            verdicts,
            [Verdict::MadeUp, Verdict::OnDemand],
            "a retired template's slots are not missed"
        );
        let f = figures(&lines, d("2026-11-21"), d("2026-11-21"));
        assert_eq!(
            (f.total.due, f.total.on_demand, f.total.abnormal),
            (1, 1, 2)
        );
    }

    #[test]
    fn verdict_words_round_trip() {
        for v in Verdict::ALL {
            assert_eq!(Verdict::parse(v.as_str()), Some(v));
        }
        assert_eq!(Verdict::parse("nope"), None);
    }
}
