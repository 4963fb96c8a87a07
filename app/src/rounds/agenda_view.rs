//! What the tablet's main screen shows: the rounds due now (due, late or in
//! progress), the ones missed in the last day, what comes next, and the
//! rounds started when needed — computed offline from the device clock and
//! the rounds this device holds. Plain data, unit-tested without a browser.

use crate::nav::route::RoundRef;
use shiftbook_model::Lang;
use shiftbook_model::schedule::{
    Agenda, AgendaEntry, Date, LocalDateTime, MinuteOfDay, RoundProgress, Slot, SlotState, slots_on,
};
use shiftbook_model::template::Template;

/// How far back missed rounds are listed, minutes.
pub const LOOK_BACK_MINUTES: u32 = 24 * 60;

/// One round on the agenda.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgendaRow {
    /// Which round.
    pub round: RoundRef,
    /// The template's title.
    pub title: String,
    /// Due time, `HH:MM`.
    pub due: String,
    /// Deadline time, `HH:MM`; the midnight that ends the due day is
    /// `24:00` (a once-a-day round may be done until the day ends).
    pub deadline: String,
    /// Its state now.
    pub state: SlotState,
}

/// The agenda screen.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AgendaView {
    /// Due, late or in progress; most urgent first.
    pub due_now: Vec<AgendaRow>,
    /// Never started, deadline within the last day; oldest first.
    pub missed: Vec<AgendaRow>,
    /// Each template's next round.
    pub next: Vec<AgendaRow>,
    /// Templates without a schedule: (id, title), started when needed.
    pub on_demand: Vec<(String, String)>,
}

/// Whether a person working `posts` walks rounds of `template`: everyone
/// without posts (leaders, supervisors) walks all.
pub fn for_posts(template: &Template, posts: &[String]) -> bool {
    posts.is_empty() || template.post.is_empty() || posts.contains(&template.post)
}

/// The deadline of `slot` as the row shows it: `HH:MM`, and `24:00` for
/// the midnight that ends the day the round is due (`00:00` would read as
/// the start of that day).
fn deadline_text(slot: &Slot) -> String {
    let ends_the_due_day = slot.deadline.minute == MinuteOfDay::MIDNIGHT
        && slot.due.date.checked_add_days(1) == Some(slot.deadline.date);
    if ends_the_due_day {
        "24:00".to_owned()
    } else {
        slot.deadline.minute.to_string()
    }
}

fn row(entry: &AgendaEntry, templates: &[Template], lang: Lang) -> AgendaRow {
    let title = templates
        .iter()
        .find(|t| t.id == entry.template_id)
        .map_or_else(
            || entry.template_id.clone(),
            |t| t.title.get(lang).to_owned(),
        );
    AgendaRow {
        round: RoundRef {
            template: entry.template_id.clone(),
            date: entry.slot.service_date.to_string(),
            slot: entry.slot.key.clone(),
        },
        title,
        due: entry.slot.due.minute.to_string(),
        deadline: deadline_text(&entry.slot),
        state: entry.state,
    }
}

/// Every scheduled round of one service day, for the history screen: each
/// active template of `post` (all posts when `None`), slot by slot, with
/// its state at `now` (done, done late, missed, in progress…).
pub fn day_rounds(
    templates: &[Template],
    post: Option<&str>,
    lang: Lang,
    date: Date,
    now: LocalDateTime,
    mut progress: impl FnMut(&RoundRef) -> RoundProgress,
) -> Vec<AgendaRow> {
    let mut out = Vec::new();
    for t in templates
        .iter()
        .filter(|t| t.active && post.is_none_or(|p| t.post == p))
    {
        let Some(schedule) = &t.schedule else {
            continue;
        };
        for slot in slots_on(schedule, date).unwrap_or_default() {
            let round = RoundRef {
                template: t.id.clone(),
                date: slot.service_date.to_string(),
                slot: slot.key.clone(),
            };
            let state = slot.state(now, progress(&round));
            out.push(AgendaRow {
                round,
                title: t.title.get(lang).to_owned(),
                due: slot.due.minute.to_string(),
                deadline: deadline_text(&slot),
                state,
            });
        }
    }
    out
}

impl AgendaView {
    /// The agenda at `now` for the active `templates` of `posts`;
    /// `progress` says how far this device knows each round got.
    pub fn build(
        templates: &[Template],
        posts: &[String],
        lang: Lang,
        now: LocalDateTime,
        mut progress: impl FnMut(&RoundRef) -> RoundProgress,
    ) -> Self {
        let mine: Vec<&Template> = templates
            .iter()
            .filter(|t| t.active && for_posts(t, posts))
            .collect();
        let scheduled = mine
            .iter()
            .filter_map(|t| t.schedule.as_ref().map(|s| (t.id.as_str(), s)));
        let agenda = Agenda::build(now, LOOK_BACK_MINUTES, scheduled, |template, slot| {
            progress(&RoundRef {
                template: template.to_owned(),
                date: slot.service_date.to_string(),
                slot: slot.key.clone(),
            })
        });
        let rows = |entries: &[AgendaEntry]| {
            entries
                .iter()
                .map(|e| row(e, templates, lang))
                .collect::<Vec<_>>()
        };
        Self {
            due_now: rows(&agenda.due_now),
            missed: rows(&agenda.missed),
            next: rows(&agenda.next),
            on_demand: mine
                .iter()
                .filter(|t| t.schedule.is_none())
                .map(|t| (t.id.clone(), t.title.get(lang).to_owned()))
                .collect(),
        }
    }

    /// The rounds whose documents this device should ask the server for,
    /// so progress made on other tablets shows: every listed one.
    pub fn rounds(&self) -> impl Iterator<Item = &RoundRef> {
        self.due_now
            .iter()
            .chain(&self.missed)
            .chain(&self.next)
            .map(|r| &r.round)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shiftbook_model::template::builtins;

    fn at(date: &str, h: u8, m: u8) -> LocalDateTime {
        LocalDateTime::new(Date::parse(date).unwrap(), MinuteOfDay::new(h, m).unwrap())
    }

    #[test]
    fn the_lobby_post_at_night_sees_the_night_round_due_and_the_missed_ones() {
        let posts = vec!["lobby".to_owned()];
        // 19:05 on Wednesday 25 Nov 2026: the 19:00 night round is due, the
        // 18:00 one was never done (18:30 was), this morning's lobby
        // opening is late (it may be done until midnight), yesterday's was
        // missed, tomorrow's comes next.
        let now = at("2026-11-25", 19, 5);
        let done = RoundRef {
            template: "show-flat-night".into(),
            date: "2026-11-25".into(),
            slot: "1830".into(),
        };
        let v = AgendaView::build(&builtins(), &posts, Lang::Zh, now, |r| {
            if *r == done {
                RoundProgress::Finished {
                    started: at("2026-11-25", 18, 31),
                    at: at("2026-11-25", 18, 40),
                }
            } else {
                RoundProgress::NotStarted
            }
        });
        let due: Vec<(&str, &str, SlotState)> = v
            .due_now
            .iter()
            .map(|r| (r.round.template.as_str(), r.round.slot.as_str(), r.state))
            .collect();
        assert_eq!(
            due,
            [
                ("show-flat-night", "1900", SlotState::Due),
                ("lobby-opening", "0830", SlotState::Late)
            ]
        );
        assert_eq!(v.due_now[0].title, "样板房夜间巡查");
        assert_eq!(
            (v.due_now[0].due.as_str(), v.due_now[0].deadline.as_str()),
            ("19:00", "19:30")
        );
        let missed: Vec<&str> = v
            .missed
            .iter()
            .filter(|r| r.round.template == "show-flat-night" && r.round.date == "2026-11-25")
            .map(|r| r.round.slot.as_str())
            .collect();
        assert_eq!(missed, ["1800"], "18:30 was done");
        assert!(
            v.missed
                .iter()
                .any(|r| r.round.template == "lobby-opening" && r.round.date == "2026-11-24"),
            "nobody did yesterday's lobby opening"
        );
        assert!(v.next.iter().any(|r| r.round.template == "lobby-opening"
            && r.round.date == "2026-11-26"
            && r.due == "08:30"));
        let lobby = &v.due_now[1];
        assert_eq!(
            (lobby.due.as_str(), lobby.deadline.as_str()),
            ("08:30", "24:00"),
            "a once-a-day round may be done until the day ends"
        );
        assert!(
            !v.due_now
                .iter()
                .chain(&v.next)
                .any(|r| r.round.template == "show-flat-fire"),
            "another post's rounds are not listed"
        );
        assert!(v.on_demand.is_empty(), "the sweep is the security post's");
        assert!(v.rounds().count() >= v.due_now.len() + v.missed.len());
    }

    #[test]
    fn a_past_day_lists_every_slot_done_late_or_missed() {
        let day = Date::parse("2026-11-24").unwrap();
        let now = at("2026-11-25", 10, 0);
        let rows = day_rounds(&builtins(), Some("lobby"), Lang::Zh, day, now, |r| {
            match (r.template.as_str(), r.slot.as_str()) {
                ("lobby-opening", "0830") => RoundProgress::Finished {
                    started: at("2026-11-24", 9, 0),
                    at: at("2026-11-24", 9, 20),
                },
                ("show-flat-night", "1800") => RoundProgress::Finished {
                    started: at("2026-11-24", 18, 5),
                    at: at("2026-11-24", 18, 12),
                },
                _ => RoundProgress::NotStarted,
            }
        });
        assert_eq!(rows.len(), 1 + 28, "the lobby post's templates only");
        let state = |t: &str, s: &str| {
            rows.iter()
                .find(|r| r.round.template == t && r.round.slot == s)
                .map(|r| r.state)
        };
        assert_eq!(
            state("lobby-opening", "0830"),
            Some(SlotState::Done {
                late: true,
                after_deadline: false
            }),
            "finished 09:20, after the 10-minute grace"
        );
        assert_eq!(
            state("show-flat-night", "1800"),
            Some(SlotState::Done {
                late: false,
                after_deadline: false
            })
        );
        assert_eq!(state("show-flat-night", "1830"), Some(SlotState::Missed));
        assert!(
            rows.iter().all(|r| r.round.date == "2026-11-24"),
            "by service day"
        );
        let all = day_rounds(&builtins(), None, Lang::Zh, day, now, |_| {
            RoundProgress::NotStarted
        });
        assert!(all.len() > rows.len());
    }

    #[test]
    fn people_without_posts_see_every_template_and_retired_ones_are_hidden() {
        let mut templates = builtins();
        templates[0].active = false;
        let v = AgendaView::build(&templates, &[], Lang::En, at("2026-11-25", 10, 0), |_| {
            RoundProgress::NotStarted
        });
        assert!(
            !v.next
                .iter()
                .chain(&v.due_now)
                .chain(&v.missed)
                .any(|r| r.round.template == "lobby-opening")
        );
        assert!(
            v.due_now
                .iter()
                .any(|r| r.round.template == "supervisor-show-flat")
        );
        assert_eq!(
            v.on_demand,
            vec![(
                "after-construction".to_owned(),
                "After-construction sweep".to_owned()
            )]
        );
    }
}
