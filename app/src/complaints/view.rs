//! What the complaint screens show (《业主投诉登记表》): each complaint as a
//! row with its status in words, its deadlines with the time left or how
//! long overdue, the one to watch next, and the flags that must stand
//! out — escalate a serious complaint to the manager now, overdue. The list
//! puts those needing attention first (the model's alert order), then the
//! other open ones by their next due time, then closed ones, newest first;
//! and the supervisor's figures. Plain data from the model's complaints,
//! the site's deadline settings and `now`, unit-tested; the screens only
//! render it.

use crate::complaints::words::Words;
use crate::words::i18n::Msg;
use crate::words::i18n::Text;
pub use crate::words::i18n::complaint_difficulty as difficulty;
use shiftbook_model::Lang;
use shiftbook_model::attribution::Who;
use shiftbook_model::complaint::{
    self, AlertKind, Channel, Complaint, Deadline, DeadlineKind, DeadlineSettings, DeadlineState,
    EventKind, Figures, Filter, Kind, Rate, Satisfaction, Step, alerts_of,
};
use shiftbook_model::schedule::{Date, LocalDateTime, MinuteOfDay};

/// A channel's name (来电 …).
pub fn channel(lang: Lang, c: Channel) -> &'static str {
    match c {
        Channel::Phone => Words::CpChannelPhone,
        Channel::Visit => Words::CpChannelVisit,
        Channel::Letter => Words::CpChannelLetter,
        Channel::Forwarded => Words::CpChannelForwarded,
        Channel::Other => Words::CpChannelOther,
    }
    .text(lang)
}

/// Request or complaint, in words.
pub fn kind(lang: Lang, k: Kind) -> &'static str {
    match k {
        Kind::Request => Words::CpKindRequest,
        Kind::Complaint => Words::CpKindComplaint,
    }
    .text(lang)
}

/// A status (the furthest step reached), in words.
pub fn status(lang: Lang, s: Step) -> &'static str {
    match s {
        Step::Received => Words::CpStatusReceived,
        Step::Responded => Words::CpStatusResponded,
        Step::Forwarded => Words::CpStatusForwarded,
        Step::ReceiptConfirmed => Words::CpStatusReceiptConfirmed,
        Step::Preliminary => Words::CpStatusPreliminary,
        Step::Corrected => Words::CpStatusCorrected,
        Step::Replied => Words::CpStatusReplied,
        Step::ReturnVisited => Words::CpStatusReturnVisited,
        Step::Closed => Words::CpStatusClosed,
    }
    .text(lang)
}

/// A deadline's name.
pub fn deadline_name(lang: Lang, k: DeadlineKind) -> &'static str {
    match k {
        DeadlineKind::Respond => Words::CpDeadlineRespond,
        DeadlineKind::Forward => Words::CpDeadlineForward,
        DeadlineKind::Preliminary => Words::CpDeadlinePreliminary,
        DeadlineKind::Resolve => Words::CpDeadlineResolve,
    }
    .text(lang)
}

/// The owner's satisfaction, in words.
pub fn satisfaction(lang: Lang, s: Satisfaction) -> &'static str {
    match s {
        Satisfaction::Satisfied => Words::CpSatisfied,
        Satisfaction::BasicallySatisfied => Words::CpBasicallySatisfied,
        Satisfaction::Unsatisfied => Words::CpUnsatisfied,
    }
    .text(lang)
}

/// What an event of the history says it is.
pub fn event_kind(lang: Lang, k: EventKind) -> &'static str {
    match k {
        EventKind::Received => Words::CpEvReceived,
        EventKind::Responded => Words::CpEvResponded,
        EventKind::Forwarded => Words::CpEvForwarded,
        EventKind::ReceiptConfirmed => Words::CpEvReceiptConfirmed,
        EventKind::Preliminary => Words::CpEvPreliminary,
        EventKind::Corrected => Words::CpEvCorrected,
        EventKind::Replied => Words::CpEvReplied,
        EventKind::ReturnVisit => Words::CpEvReturnVisit,
        EventKind::Closed => Words::CpEvClosed,
        EventKind::Escalated => Words::CpEvEscalated,
        EventKind::Difficulty => Words::CpEvDifficulty,
        EventKind::Serious => Words::CpEvSerious,
        EventKind::Note => Words::CpEvNote,
    }
    .text(lang)
}

/// A span of minutes in words: "8 分钟", "1 小时 5 分", "2 天 3 小时".
pub fn span(lang: Lang, minutes: i64) -> String {
    let m = minutes.max(0);
    let (days, hours, mins) = (m / 1440, (m % 1440) / 60, m % 60);
    match lang {
        Lang::Zh if days > 0 => format!("{days} 天 {hours} 小时"),
        Lang::Zh if hours > 0 => format!("{hours} 小时 {mins} 分"),
        Lang::Zh => format!("{mins} 分钟"),
        Lang::En if days > 0 => format!("{days} d {hours} h"),
        Lang::En if hours > 0 => format!("{hours} h {mins} min"),
        Lang::En => format!("{mins} min"),
    }
}

/// A local time as short as it can be next to `now`: `HH:MM` today,
/// `MM-DD HH:MM` this year, the whole date otherwise.
pub fn when(t: LocalDateTime, now: LocalDateTime) -> String {
    if t.date == now.date {
        t.minute.to_string()
    } else if t.date.year() == now.date.year() {
        format!("{:02}-{:02} {}", t.date.month(), t.date.day(), t.minute)
    } else {
        t.to_string()
    }
}

/// A deadline as short as it can be next to `now`: like [`when`], but the
/// midnight that ends a day reads as that day's `24:00` ("by the end of
/// today"), not as the next day's `00:00`.
pub fn when_due(t: LocalDateTime, now: LocalDateTime) -> String {
    let day_ended = (t.minute == MinuteOfDay::MIDNIGHT)
        .then(|| t.date.checked_add_days(-1))
        .flatten();
    let Some(day) = day_ended else {
        return when(t, now);
    };
    let date = |d: Date| {
        if d == now.date {
            String::new()
        } else if d.year() == now.date.year() {
            format!("{:02}-{:02} ", d.month(), d.day())
        } else {
            format!("{d} ")
        }
    };
    format!("{}24:00", date(day))
}

/// The site's deadlines in one line, as the settings say them: "响应 10
/// 分钟 · 转交 60 分钟 · 初步方案 24 小时 · 一般问题当日内 · 疑难 7 天".
pub fn deadline_summary(s: &DeadlineSettings, lang: Lang) -> String {
    let hour = s.same_day_until_hour();
    match lang {
        Lang::Zh => format!(
            "响应 {} 分钟 · 转交 {} 分钟 · 初步方案 {} 小时 · 一般问题{} · 疑难 {} 天",
            s.respond_minutes(),
            s.forward_minutes(),
            s.preliminary_hours(),
            if hour == 24 {
                "当日内".to_owned()
            } else {
                format!("当日 {hour}:00 前")
            },
            s.hard_days()
        ),
        Lang::En => format!(
            "respond {} min · forward {} min · preliminary {} h · general: same day{} · hard: {} days",
            s.respond_minutes(),
            s.forward_minutes(),
            s.preliminary_hours(),
            if hour == 24 {
                String::new()
            } else {
                format!(" by {hour}:00")
            },
            s.hard_days()
        ),
    }
}

/// One deadline of a complaint, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadlineLine {
    /// Which deadline.
    pub kind: DeadlineKind,
    /// Its name.
    pub name: String,
    /// When it is due.
    pub due: String,
    /// Where it stands.
    pub state: DeadlineState,
    /// "还剩 8 分钟", "已超时 3 分钟", "按时 09:05", "超时完成 10:20(晚 5 分钟)".
    pub words: String,
}

impl DeadlineLine {
    /// `d` at `now`, in `lang`.
    pub fn new(d: &Deadline, now: LocalDateTime, lang: Lang) -> Self {
        let words = match (d.state, d.met_at) {
            (DeadlineState::Pending, _) => match lang {
                Lang::Zh => format!("还剩 {}", span(lang, d.minutes_left(now))),
                Lang::En => format!("{} left", span(lang, d.minutes_left(now))),
            },
            (DeadlineState::Overdue, _) => match lang {
                Lang::Zh => format!("已超时 {}", span(lang, -d.minutes_left(now))),
                Lang::En => format!("overdue by {}", span(lang, -d.minutes_left(now))),
            },
            (DeadlineState::MetOnTime, Some(at)) => match lang {
                Lang::Zh => format!("按时完成 {}", when(at, now)),
                Lang::En => format!("on time, {}", when(at, now)),
            },
            (DeadlineState::MetLate, Some(at)) => {
                let late = span(lang, d.due.minutes_until(at));
                match lang {
                    Lang::Zh => format!("超时完成 {}(晚 {late})", when(at, now)),
                    Lang::En => format!("late, {} ({late} late)", when(at, now)),
                }
            }
            (DeadlineState::MetOnTime | DeadlineState::MetLate, None) => String::new(),
        };
        Self {
            kind: d.kind,
            name: deadline_name(lang, d.kind).to_owned(),
            due: when_due(d.due, now),
            state: d.state,
            words,
        }
    }

    /// The state as a CSS class and test hook.
    pub fn class(&self) -> &'static str {
        self.state.as_str()
    }
}

/// One complaint in a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComplaintRow {
    /// Its id.
    pub id: String,
    /// Its board's month.
    pub month: String,
    /// When it came in.
    pub received: String,
    /// Request or complaint.
    pub kind: String,
    /// How it came in.
    pub channel: String,
    /// The owner.
    pub owner: String,
    /// The unit.
    pub unit: String,
    /// What it is about.
    pub content: String,
    /// The furthest step reached.
    pub status: Step,
    /// That step in words.
    pub status_text: String,
    /// The department it was last forwarded to.
    pub department: Option<String>,
    /// Serious (重大投诉).
    pub serious: bool,
    /// Serious and not escalated: "escalate to the manager now".
    pub escalate_now: bool,
    /// A deadline is overdue.
    pub overdue: bool,
    /// The owner was unsatisfied at the return visit and it is open.
    pub unsatisfied: bool,
    /// The deadline to watch: the first overdue one, else the next one
    /// due; `None` once every deadline is met.
    pub next: Option<DeadlineLine>,
    /// When `next` is due (for sorting).
    pub next_due: Option<LocalDateTime>,
    /// Every deadline.
    pub deadlines: Vec<DeadlineLine>,
}

impl ComplaintRow {
    /// `c` at `now` under `settings`, device times converted by `local`.
    pub fn new(
        c: &Complaint,
        settings: &DeadlineSettings,
        now: LocalDateTime,
        local: impl Fn(i64) -> Option<LocalDateTime>,
        lang: Lang,
    ) -> Self {
        let facts = c.facts(&local);
        let deadlines = c.deadlines(settings, now, &local);
        let next = deadlines
            .iter()
            .filter(|d| d.state == DeadlineState::Overdue)
            .min_by_key(|d| d.due)
            .or_else(|| {
                deadlines
                    .iter()
                    .filter(|d| d.state == DeadlineState::Pending)
                    .min_by_key(|d| d.due)
            });
        Self {
            id: c.id.clone(),
            month: c.month.clone(),
            received: when(c.received, now),
            kind: kind(lang, c.details.kind).to_owned(),
            channel: channel(lang, c.details.channel).to_owned(),
            owner: c.details.owner.clone(),
            unit: c.details.unit.clone(),
            content: c.details.content.clone(),
            status: c.status,
            status_text: status(lang, c.status).to_owned(),
            department: c
                .department
                .map(|d| crate::words::i18n::department(lang, d).to_owned()),
            serious: c.serious,
            escalate_now: facts.escalation().is_some_and(|e| e.is_needed()),
            overdue: deadlines.iter().any(|d| d.state == DeadlineState::Overdue),
            unsatisfied: c.is_open() && c.satisfaction() == Some(Satisfaction::Unsatisfied),
            next: next.map(|d| DeadlineLine::new(d, now, lang)),
            next_due: next.map(|d| d.due),
            deadlines: deadlines
                .iter()
                .map(|d| DeadlineLine::new(d, now, lang))
                .collect(),
        }
    }

    /// Whether it must stand out: to escalate, overdue or an unsatisfied
    /// owner.
    pub fn needs_attention(&self) -> bool {
        self.escalate_now || self.overdue || self.unsatisfied
    }
}

/// The complaint list.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ComplaintsView {
    /// Complaints needing attention now, most urgent first: escalations,
    /// then the longest overdue, then unsatisfied owners.
    pub attention: Vec<ComplaintRow>,
    /// The other open ones, by their next due time.
    pub open: Vec<ComplaintRow>,
    /// Closed ones, newest first.
    pub closed: Vec<ComplaintRow>,
}

impl ComplaintsView {
    /// The complaints of `all` that `filter` passes, at `now`.
    pub fn build(
        all: &[Complaint],
        filter: &Filter,
        settings: &DeadlineSettings,
        now: LocalDateTime,
        local: impl Fn(i64) -> Option<LocalDateTime> + Copy,
        lang: Lang,
    ) -> Self {
        let matching: Vec<Complaint> = all.iter().filter(|c| filter.matches(c)).cloned().collect();
        let row = |c: &Complaint| ComplaintRow::new(c, settings, now, local, lang);
        let attention: Vec<ComplaintRow> = alerts_of(&matching, settings, now, local)
            .iter()
            .map(|a| row(&a.complaint))
            .collect();
        let flagged =
            |id: &str, month: &str| attention.iter().any(|r| r.id == id && r.month == month);
        let mut open: Vec<ComplaintRow> = matching
            .iter()
            .filter(|c| c.is_open() && !flagged(&c.id, &c.month))
            .map(row)
            .collect();
        open.sort_by(|a, b| {
            (a.next_due.is_none(), a.next_due, &a.id).cmp(&(
                b.next_due.is_none(),
                b.next_due,
                &b.id,
            ))
        });
        let mut closed: Vec<&Complaint> = matching
            .iter()
            .filter(|c| !c.is_open() && !flagged(&c.id, &c.month))
            .collect();
        closed.sort_by(|a, b| (b.received, &b.id).cmp(&(a.received, &a.id)));
        Self {
            attention,
            open,
            closed: closed.into_iter().map(row).collect(),
        }
    }
}

/// How many complaints must be dealt with now — a deadline overdue or a
/// serious one to escalate: the agenda's red count.
pub fn urgent_count(
    all: &[Complaint],
    settings: &DeadlineSettings,
    now: LocalDateTime,
    local: impl Fn(i64) -> Option<LocalDateTime>,
) -> usize {
    alerts_of(all, settings, now, local)
        .iter()
        .filter(|a| {
            a.kinds
                .iter()
                .any(|k| matches!(k, AlertKind::EscalateNow { .. } | AlertKind::Overdue(_)))
        })
        .count()
}

/// One of the supervisor's figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FigureLine {
    /// What it measures.
    pub name: String,
    /// "3 / 4 · 75%", or "—" when nothing was counted.
    pub value: String,
    /// Below the seeds' target (002 quality table).
    pub below_target: bool,
    /// A test hook.
    pub key: &'static str,
}

fn rate_line(name: &str, key: &'static str, r: Rate, target: Option<f64>) -> FigureLine {
    let value = match r.percent() {
        Some(p) => format!("{} / {} · {:.0}%", r.hits, r.of, p),
        None => "—".to_owned(),
    };
    FigureLine {
        name: name.to_owned(),
        value,
        below_target: matches!((r.percent(), target), (Some(p), Some(t)) if p < t),
        key,
    }
}

/// The figures in words: the seeds' three (reply on time 99.9 %,
/// return visits ≥ 90 %, satisfaction ≥ 90 %), then each deadline's
/// on-time rate.
pub fn figure_lines(f: &Figures, lang: Lang) -> Vec<FigureLine> {
    let mut out = vec![
        FigureLine {
            name: Words::CpFigTotal.text(lang).to_owned(),
            value: match lang {
                Lang::Zh => format!(
                    "{}(投诉 {} · 报修 {} · 重大 {} · 未关闭 {})",
                    f.total, f.complaints, f.requests, f.serious, f.open
                ),
                Lang::En => format!(
                    "{} ({} complaints · {} requests · {} serious · {} open)",
                    f.total, f.complaints, f.requests, f.serious, f.open
                ),
            },
            below_target: false,
            key: "total",
        },
        rate_line(
            Words::CpFigReplyOnTime.text(lang),
            "reply-on-time",
            f.reply_on_time,
            Some(99.9),
        ),
        rate_line(
            Words::CpFigReturnVisits.text(lang),
            "return-visits",
            f.return_visits,
            Some(90.0),
        ),
        rate_line(
            Words::CpFigSatisfaction.text(lang),
            "satisfaction",
            f.satisfaction,
            Some(90.0),
        ),
    ];
    for (k, r) in &f.on_time {
        let name = match lang {
            Lang::Zh => format!("{}按时率", deadline_name(lang, *k)),
            Lang::En => format!("{} on time", deadline_name(lang, *k)),
        };
        out.push(rate_line(&name, k.as_str(), *r, None));
    }
    out
}

/// The form's facts of `c` (label, value), device times shown by `time`.
pub fn facts(c: &Complaint, lang: Lang, time: impl Fn(i64) -> String) -> Vec<(String, String)> {
    let d = &c.details;
    let mut out: Vec<(Text, String)> = vec![
        (Words::CpReceived.into(), c.received.to_string()),
        (Words::CpChannel.into(), channel(lang, d.channel).to_owned()),
        (Words::CpKind.into(), kind(lang, d.kind).to_owned()),
        (Msg::CpOwner.into(), d.owner.clone()),
        (Msg::CpUnit.into(), d.unit.clone()),
    ];
    if let Some(contact) = &d.contact {
        out.push((Words::CpContact.into(), contact.clone()));
    }
    out.extend([
        (Words::CpContent.into(), d.content.clone()),
        (
            Words::CpPost.into(),
            crate::words::i18n::post(lang, &d.post),
        ),
        (
            Words::CpDifficulty.into(),
            difficulty(lang, c.difficulty).to_owned(),
        ),
    ]);
    if let Some(dept) = c.department {
        out.push((
            Words::CpDepartment.into(),
            crate::words::i18n::department(lang, dept).to_owned(),
        ));
    }
    if let Some(w) = c.received_by() {
        out.push((
            Words::CpRegisteredBy.into(),
            crate::words::i18n::recorded_by(lang, &w.person, &time(w.at_ms), &w.device),
        ));
    }
    out.into_iter()
        .map(|(label, value)| (label.text(lang).to_owned(), value))
        .collect()
}

/// One event of a complaint's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryLine {
    /// When (device time).
    pub at: String,
    /// Who, in which role.
    pub who: String,
    /// On which device.
    pub device: String,
    /// What the event is.
    pub what: String,
    /// What it says: the department, who confirmed or was told, the
    /// cause, the satisfaction, the difficulty, the text.
    pub says: String,
    /// The event kind, as a test hook.
    pub kind: &'static str,
    /// When the server got it ("服务器 … 收到"), once its receipt is
    /// known: a step written on a tablet with a wrong clock, or offline
    /// for hours, shows here.
    pub received: Option<String>,
}

/// Every event of `c`, in list order, device times shown by `time`;
/// `received` gives the server's receipt time of the change that wrote
/// an event (by who wrote it, on which device, when), if known.
pub fn history(
    c: &Complaint,
    lang: Lang,
    time: impl Fn(i64) -> String,
    received: impl Fn(&Who) -> Option<i64>,
) -> Vec<HistoryLine> {
    c.history
        .iter()
        .map(|e| {
            let mut says: Vec<String> = Vec::new();
            if let Some(d) = &e.details {
                says.push(format!("{} · {} · {}", d.owner, d.unit, d.content));
                if d.serious {
                    says.push(Words::CpSerious.text(lang).to_owned());
                }
            }
            says.extend(
                e.department
                    .map(|d| crate::words::i18n::department(lang, d).to_owned()),
            );
            says.extend(e.person.clone());
            says.extend(
                e.cause
                    .as_ref()
                    .map(|cause| format!("{}:{cause}", Words::CpFieldCause.text(lang))),
            );
            says.extend(e.satisfaction.map(|s| satisfaction(lang, s).to_owned()));
            says.extend(e.difficulty.map(|d| difficulty(lang, Some(d)).to_owned()));
            if !e.text.is_empty() {
                says.push(e.text.clone());
            }
            HistoryLine {
                at: time(e.by.at_ms),
                who: format!(
                    "{}({})",
                    e.by.person,
                    crate::words::i18n::role(lang, e.by.role)
                ),
                device: e.by.device.clone(),
                what: event_kind(lang, e.kind).to_owned(),
                says: says.join(" · "),
                kind: e.kind.as_str(),
                received: received(&e.by).map(|ms| crate::words::i18n::received(lang, &time(ms))),
            }
        })
        .collect()
}

/// Another complaint linked to the one shown: the one it follows up, or
/// one that follows it up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelatedLink {
    /// Its id.
    pub id: String,
    /// Its board's month; `None` when this device does not hold it.
    pub month: Option<String>,
    /// When it came in, what about, its status ("11-20 09:00 · 楼上漏水 ·
    /// 已关闭"); its id alone when not held.
    pub label: String,
}

impl RelatedLink {
    fn of(c: &Complaint, lang: Lang) -> Self {
        let content: String = c.details.content.chars().take(24).collect();
        let more = if c.details.content.chars().count() > 24 {
            "…"
        } else {
            ""
        };
        Self {
            id: c.id.clone(),
            month: Some(complaint::month_of(c.received)),
            label: format!(
                "{} {} · {content}{more} · {}",
                &c.received.date.to_string()[5..],
                c.received.minute,
                status(lang, c.status)
            ),
        }
    }
}

/// The complaint `c` follows up (if any) and those following it up, in the
/// order they came in, among the complaints this device holds (`all`).
pub fn related(
    c: &Complaint,
    all: &[Complaint],
    lang: Lang,
) -> (Option<RelatedLink>, Vec<RelatedLink>) {
    let follows = c.details.related.as_ref().map(|id| {
        all.iter().find(|o| &o.id == id).map_or_else(
            || RelatedLink {
                id: id.clone(),
                month: None,
                label: id.clone(),
            },
            |o| RelatedLink::of(o, lang),
        )
    });
    let mut after: Vec<&Complaint> = all
        .iter()
        .filter(|o| o.details.related.as_deref() == Some(c.id.as_str()))
        .collect();
    after.sort_by(|a, b| (a.received, &a.id).cmp(&(b.received, &b.id)));
    (
        follows,
        after
            .into_iter()
            .map(|o| RelatedLink::of(o, lang))
            .collect(),
    )
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use automerge::{ActorId, Automerge};
    use shiftbook_model::attribution::Attribution;
    use shiftbook_model::complaint::{self, NewComplaint};
    use shiftbook_model::followup::Department;
    use shiftbook_model::roster::Role;
    use shiftbook_model::work_permit::fixed_offset;

    /// China: UTC+8.
    pub const CST: i32 = 480;

    pub fn t(s: &str) -> LocalDateTime {
        LocalDateTime::parse(s).unwrap()
    }

    /// Device ms of a local time in China.
    pub fn ms(local: &str) -> i64 {
        (t(local).epoch_minutes() - i64::from(CST)) * 60_000
    }

    pub fn local(ms: i64) -> Option<LocalDateTime> {
        fixed_offset(CST)(ms)
    }

    pub fn by(role: Role, at: &str) -> Attribution {
        Attribution {
            person_id: "zhang".into(),
            person: "张伟".into(),
            role,
            device: "大堂平板1".into(),
            at_ms: ms(at),
        }
    }

    pub fn new(id: &str, received: &str, serious: bool) -> NewComplaint {
        NewComplaint {
            id: id.into(),
            kind: Kind::Complaint,
            received: t(received),
            channel: Channel::Phone,
            owner: "王女士".into(),
            unit: "3栋1201".into(),
            contact: String::new(),
            content: "楼上漏水".into(),
            serious,
            difficulty: None,
            post: "lobby".into(),
            related: None,
        }
    }

    pub fn board() -> (Automerge, Automerge) {
        let mut b = complaint::genesis("demo", "2026-11").unwrap();
        b.set_actor(ActorId::from(vec![1; 16]));
        let mut i = complaint::index_genesis("demo").unwrap();
        i.set_actor(ActorId::from(vec![2; 16]));
        (b, i)
    }

    #[test]
    fn a_complaint_links_to_the_one_it_follows_and_those_following_it() {
        let (mut b, mut i) = board();
        complaint::receive(
            &mut b,
            &mut i,
            &new("c1", "2026-11-20 09:00", false),
            &by(Role::Staff, "2026-11-20 09:01"),
        )
        .unwrap();
        let mut again = new("c2", "2026-11-28 18:30", false);
        again.related = Some("c1".into());
        again.content = "漏水又出现了,天花板大面积渗水需要尽快处理并赔偿损失".into();
        complaint::receive(&mut b, &mut i, &again, &by(Role::Staff, "2026-11-28 18:31")).unwrap();
        let mut lost = new("c3", "2026-11-29 08:00", false);
        lost.related = Some("c-elsewhere".into());
        complaint::receive(&mut b, &mut i, &lost, &by(Role::Staff, "2026-11-29 08:01")).unwrap();
        let all = complaint::complaints(&b).unwrap();
        let get = |id: &str| all.iter().find(|c| c.id == id).unwrap();

        let (follows, after) = related(get("c1"), &all, Lang::Zh);
        assert_eq!(follows, None);
        assert_eq!(
            after,
            [RelatedLink {
                id: "c2".into(),
                month: Some("2026-11".into()),
                label: "11-28 18:30 · 漏水又出现了,天花板大面积渗水需要尽快处理并赔偿… · 已登记"
                    .into(),
            }]
        );
        let (follows, after) = related(get("c2"), &all, Lang::Zh);
        assert_eq!(follows.unwrap().label, "11-20 09:00 · 楼上漏水 · 已登记");
        assert!(after.is_empty());
        let (follows, _) = related(get("c3"), &all, Lang::En);
        assert_eq!(
            follows,
            Some(RelatedLink {
                id: "c-elsewhere".into(),
                month: None,
                label: "c-elsewhere".into()
            }),
            "not on this device: its id, no link"
        );
    }

    #[test]
    fn the_site_deadlines_read_as_one_line() {
        assert_eq!(
            deadline_summary(&DeadlineSettings::default(), Lang::Zh),
            "响应 10 分钟 · 转交 60 分钟 · 初步方案 24 小时 · 一般问题当日内 · 疑难 7 天"
        );
        let site = DeadlineSettings::new(5, 1, 12, 18, 3).unwrap();
        assert_eq!(
            deadline_summary(&site, Lang::En),
            "respond 5 min · forward 1 min · preliminary 12 h · general: same day by 18:00 · hard: 3 days"
        );
    }

    #[test]
    fn spans_and_times_read_naturally() {
        assert_eq!(span(Lang::Zh, 8), "8 分钟");
        assert_eq!(span(Lang::Zh, 65), "1 小时 5 分");
        assert_eq!(span(Lang::Zh, 3 * 1440 + 120), "3 天 2 小时");
        assert_eq!(span(Lang::En, 59), "59 min");
        assert_eq!(span(Lang::En, -5), "0 min");
        let now = t("2026-11-23 10:00");
        assert_eq!(when(t("2026-11-23 09:05"), now), "09:05");
        assert_eq!(when(t("2026-11-22 23:50"), now), "11-22 23:50");
        assert_eq!(when(t("2025-12-31 23:50"), now), "2025-12-31 23:50");
        // "The same day" ends at 24:00 of that day.
        assert_eq!(when_due(t("2026-11-24 00:00"), now), "24:00");
        assert_eq!(when_due(t("2026-11-25 00:00"), now), "11-24 24:00");
        assert_eq!(when_due(t("2027-01-01 00:00"), now), "12-31 24:00");
        assert_eq!(
            when_due(t("2027-01-01 00:00"), t("2027-01-03 10:00")),
            "2026-12-31 24:00"
        );
        assert_eq!(when_due(t("2026-11-24 09:30"), now), "11-24 09:30");
    }

    #[test]
    fn deadlines_show_time_left_overdue_and_met_late() {
        let (mut b, mut i) = board();
        complaint::receive(
            &mut b,
            &mut i,
            &new("c1", "2026-11-23 09:00", false),
            &by(Role::Staff, "2026-11-23 09:02"),
        )
        .unwrap();
        complaint::respond(&mut b, "c1", "", &by(Role::Staff, "2026-11-23 09:05")).unwrap();
        let c = complaint::complaint(&b, "c1").unwrap().unwrap();
        let settings = DeadlineSettings::default();
        let now = t("2026-11-23 10:20");
        let row = ComplaintRow::new(&c, &settings, now, local, Lang::Zh);
        let words: Vec<(&str, &str)> = row
            .deadlines
            .iter()
            .map(|d| (d.name.as_str(), d.words.as_str()))
            .collect();
        assert_eq!(
            words,
            vec![
                ("响应", "按时完成 09:05"),
                ("转交处理部门", "已超时 20 分钟"),
                ("初步解决方案", "还剩 22 小时 40 分"),
                ("处理完毕", "还剩 13 小时 40 分"),
            ]
        );
        assert!(row.overdue && !row.escalate_now && row.needs_attention());
        assert_eq!(row.next.as_ref().unwrap().kind, DeadlineKind::Forward);
        assert_eq!(row.status_text, "已回应");
        // Forwarded late: the forward deadline says by how much.
        complaint::forward(
            &mut b,
            "c1",
            Department::Engineering,
            "",
            &by(Role::Staff, "2026-11-23 10:25"),
        )
        .unwrap();
        let c = complaint::complaint(&b, "c1").unwrap().unwrap();
        let row = ComplaintRow::new(&c, &settings, t("2026-11-23 10:30"), local, Lang::En);
        let forward = &row.deadlines[1];
        assert_eq!(forward.state, DeadlineState::MetLate);
        assert_eq!(forward.words, "late, 10:25 (25 min late)");
        assert!(!row.overdue);
        assert_eq!(row.department.as_deref(), Some("Engineering"));
        assert_eq!(row.next.as_ref().unwrap().kind, DeadlineKind::Resolve);
    }

    #[test]
    fn the_list_puts_escalations_and_overdue_first_and_the_agenda_counts_them() {
        let (mut b, mut i) = board();
        let staff = |at: &str| by(Role::Staff, at);
        // c1: fresh, nothing due yet. c2: forward overdue. c3: serious, not
        // escalated. c4: closed.
        complaint::receive(
            &mut b,
            &mut i,
            &new("c1", "2026-11-23 09:55", false),
            &staff("2026-11-23 09:55"),
        )
        .unwrap();
        complaint::receive(
            &mut b,
            &mut i,
            &new("c2", "2026-11-23 08:00", false),
            &staff("2026-11-23 08:00"),
        )
        .unwrap();
        complaint::respond(&mut b, "c2", "", &staff("2026-11-23 08:05")).unwrap();
        complaint::receive(
            &mut b,
            &mut i,
            &new("c3", "2026-11-23 09:58", true),
            &staff("2026-11-23 09:58"),
        )
        .unwrap();
        complaint::receive(
            &mut b,
            &mut i,
            &new("c4", "2026-11-20 09:00", false),
            &staff("2026-11-20 09:00"),
        )
        .unwrap();
        complaint::reply(&mut b, "c4", "已修好", &staff("2026-11-20 09:05")).unwrap();
        complaint::close(&mut b, &mut i, "c4", "", &staff("2026-11-20 09:06")).unwrap();
        let all = complaint::complaints(&b).unwrap();
        let settings = DeadlineSettings::default();
        let now = t("2026-11-23 10:00");
        let v = ComplaintsView::build(&all, &Filter::default(), &settings, now, local, Lang::Zh);
        let ids = |rows: &[ComplaintRow]| rows.iter().map(|r| r.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&v.attention), vec!["c3", "c2"]);
        assert!(v.attention[0].escalate_now && !v.attention[0].overdue);
        assert!(v.attention[1].overdue);
        assert_eq!(ids(&v.open), vec!["c1"]);
        assert_eq!(ids(&v.closed), vec!["c4"]);
        assert_eq!(urgent_count(&all, &settings, now, local), 2);
        // Escalated: no longer urgent, back among the open ones.
        complaint::escalate(&mut b, "c3", "项目经理", "", &staff("2026-11-23 10:01")).unwrap();
        let all = complaint::complaints(&b).unwrap();
        assert_eq!(urgent_count(&all, &settings, now, local), 1);
        let v = ComplaintsView::build(&all, &Filter::default(), &settings, now, local, Lang::Zh);
        assert_eq!(ids(&v.attention), vec!["c2"]);
        assert_eq!(ids(&v.open), vec!["c1", "c3"]);
        // A filter narrows every part of the list.
        let closed_only = Filter {
            open: Some(false),
            ..Filter::default()
        };
        let v = ComplaintsView::build(&all, &closed_only, &settings, now, local, Lang::Zh);
        assert!(v.attention.is_empty() && v.open.is_empty());
        assert_eq!(ids(&v.closed), vec!["c4"]);
    }

    #[test]
    fn figures_read_with_their_targets() {
        let mut f = Figures {
            total: 3,
            complaints: 2,
            requests: 1,
            ..Figures::default()
        };
        f.reply_on_time = Rate { hits: 1, of: 2 };
        f.return_visits = Rate { hits: 9, of: 10 };
        f.on_time
            .insert(DeadlineKind::Respond, Rate { hits: 3, of: 3 });
        let lines = figure_lines(&f, Lang::Zh);
        let find = |k: &str| lines.iter().find(|l| l.key == k).unwrap();
        assert_eq!(find("reply-on-time").value, "1 / 2 · 50%");
        assert!(find("reply-on-time").below_target);
        assert!(!find("return-visits").below_target);
        assert_eq!(find("satisfaction").value, "—");
        assert_eq!(find("respond").name, "响应按时率");
        assert!(find("total").value.starts_with("3(投诉 2"));
    }

    #[test]
    fn the_page_shows_the_facts_and_every_event_with_who_and_device() {
        let (mut b, mut i) = board();
        complaint::receive(
            &mut b,
            &mut i,
            &new("c1", "2026-11-23 09:00", true),
            &by(Role::Staff, "2026-11-23 09:02"),
        )
        .unwrap();
        complaint::forward(
            &mut b,
            "c1",
            Department::Engineering,
            "请今天处理",
            &by(Role::Leader, "2026-11-23 09:20"),
        )
        .unwrap();
        complaint::correct(
            &mut b,
            "c1",
            "防水层破损",
            "重做防水",
            &by(Role::Staff, "2026-11-23 15:00"),
        )
        .unwrap();
        let c = complaint::complaint(&b, "c1").unwrap().unwrap();
        let time = |ms: i64| local(ms).map(|t| t.minute.to_string()).unwrap_or_default();
        let facts = facts(&c, Lang::Zh, time);
        let get = |label: &str| {
            facts
                .iter()
                .find(|(l, _)| l == label)
                .map(|(_, v)| v.clone())
        };
        assert_eq!(get("受理时间").as_deref(), Some("2026-11-23 09:00"));
        assert_eq!(get("渠道").as_deref(), Some("来电"));
        assert_eq!(get("处理部门").as_deref(), Some("工程部"));
        assert_eq!(get("联系方式"), None);
        assert_eq!(
            get("登记人").as_deref(),
            Some("由 张伟 于 09:02 在 大堂平板1 记录")
        );
        let lines = history(&c, Lang::Zh, time, |w| {
            (w.at_ms == c.history[1].by.at_ms).then_some(w.at_ms + 60_000)
        });
        let kinds: Vec<&str> = lines.iter().map(|l| l.kind).collect();
        assert_eq!(kinds, vec!["received", "forwarded", "corrected"]);
        assert!(lines[0].says.contains("重大投诉"), "{:?}", lines[0]);
        assert_eq!(lines[1].who, "张伟(领班)");
        assert_eq!(lines[1].says, "工程部 · 请今天处理");
        assert_eq!(lines[2].says, "原因:防水层破损 · 重做防水");
        assert_eq!(lines[0].received, None, "no receipt known");
        assert_eq!(
            lines[1].received.as_deref(),
            Some(format!("服务器 {} 收到", time(c.history[1].by.at_ms + 60_000)).as_str())
        );
        assert_eq!(
            (lines[2].at.as_str(), lines[2].device.as_str()),
            ("15:00", "大堂平板1")
        );
    }
}
