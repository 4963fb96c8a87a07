//! What the work-permit screens (《工作联络单》) show: the permits of the
//! boards a device holds, split into today's expected work, earlier work
//! still open, upcoming work and what is done; the alerts in words (late
//! application, nobody came, still on site after the window, count unsure,
//! people in without an approval, no sweep, tools ×, over the headcount);
//! each permit's history; and which actions the person signed in may take
//! — mirroring the rules of [`shiftbook_model::work_permit`], so a button
//! shows only where the model would accept the change. Also the
//! application form's rules. Plain data, unit-tested without a browser;
//! `page.rs` and `desk.rs` render it.

use crate::core::session::Viewer;
use crate::nav::route::RoundRef;
use crate::permits::words::Words;
use crate::ui::history_line::HistoryLine;
use crate::words::error_text::FormError;
pub use crate::words::i18n::permit_status as status_words;
use automerge::Automerge;
use shiftbook_model::followup::Who;
use shiftbook_model::schedule::{LocalDateTime, MinuteOfDay};
use shiftbook_model::show_flat::FlatItems;
use shiftbook_model::work_permit::{
    self, AlertKind, Application, EventKind, MAX_HEADCOUNT, Permit, PermitEvent, PermitStatus,
    Place, Refusal, Team,
};
use shiftbook_model::{Lang, ModelError};

/// How many days ahead a permit must be applied for (seed 001 §10.2(1)).
pub const DAYS_AHEAD: u32 = 2;

/// Which part of the tablet's screen a permit goes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Section {
    /// Work expected today (and last night's work running past midnight).
    Today,
    /// Earlier work not yet closed (people to check out, a sweep to walk).
    Earlier,
    /// Work on a later date.
    Upcoming,
    /// Closed, cancelled or rejected.
    Done,
}

/// How far a permit's after-work sweep round got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SweepProgress {
    /// The round has not reached this device (yet).
    NotHere,
    /// Nobody marked anything yet.
    NotStarted,
    /// Marks made, not finished.
    InProgress,
    /// Finished by `by` at `at_ms`.
    Finished {
        /// Who finished it.
        by: String,
        /// When, device time.
        at_ms: i64,
    },
}

/// The latest sweep round of a permit, as the store finds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SweepInfo {
    /// The round to open, when its date could be found.
    pub round: Option<RoundRef>,
    /// How far it got.
    pub progress: SweepProgress,
}

/// The sweep as a permit shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SweepLine {
    /// The round to open.
    pub round: Option<RoundRef>,
    /// In words.
    pub text: String,
    /// Whether the round was finished.
    pub finished: bool,
}

/// What the viewer may do with one permit.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PermitActions {
    /// Approve or reject (leaders and supervisors).
    pub decide: bool,
    /// Log people coming in: at most this many.
    pub enter_max: Option<u32>,
    /// Log people leaving: at most this many.
    pub exit_max: Option<u32>,
    /// Count the people on site (the count is unsure).
    pub count: bool,
    /// Start the after-work sweep.
    pub start_sweep: bool,
    /// Close (leaders and supervisors).
    pub close: bool,
    /// Cancel (nobody came yet).
    pub cancel: bool,
}

/// One permit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PermitRow {
    /// Permit id.
    pub id: String,
    /// Work date.
    pub date: String,
    /// The time window in words.
    pub window: String,
    /// The company (施工单位).
    pub company: String,
    /// The team leader and phone.
    pub team_leader: String,
    /// What is done.
    pub scope: String,
    /// Where, in words.
    pub place: String,
    /// People applied for.
    pub headcount: u32,
    /// Who applied, when.
    pub applied: String,
    /// Applied fewer than [`DAYS_AHEAD`] days ahead.
    pub applied_late: bool,
    /// Where it stands.
    pub status: PermitStatus,
    /// In words.
    pub status_text: String,
    /// People on site now.
    pub on_site: u32,
    /// Movements logged concurrently: a head count is needed.
    pub count_unsure: bool,
    /// This permit's alerts in words.
    pub alerts: Vec<String>,
    /// The sweep, once started.
    pub sweep: Option<SweepLine>,
    /// What the viewer may do.
    pub actions: PermitActions,
    /// Every event, oldest first.
    pub history: Vec<HistoryLine>,
    /// Where it goes on the tablet.
    pub section: Section,
}

/// An alert at the top of the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertLine {
    /// The permit.
    pub permit: String,
    /// A CSS class and test hook (`late`, `still-on-site`, …).
    pub kind: &'static str,
    /// In words, naming the permit.
    pub text: String,
}

/// The permits screen.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PermitsView {
    /// Every alert, by permit.
    pub alerts: Vec<AlertLine>,
    /// Every permit, by date, window start and id.
    pub rows: Vec<PermitRow>,
}

fn pick(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// "09:00–17:00", or "22:00–次日06:00" for night work.
pub fn window_words(lang: Lang, from: MinuteOfDay, to: MinuteOfDay) -> String {
    if to > from {
        format!("{from}–{to}")
    } else {
        match lang {
            Lang::Zh => format!("{from}–次日{to}"),
            Lang::En => format!("{from}–{to} (next day)"),
        }
    }
}

fn who(lang: Lang, by: &Who) -> String {
    format!("{}({})", by.person, crate::words::i18n::role(lang, by.role))
}

fn place_words(lang: Lang, place: &Place, flats: &[FlatItems]) -> String {
    let flat = place.flat.as_ref().map(|f| {
        flats
            .iter()
            .find(|x| &x.flat_id == f)
            .map_or_else(|| f.clone(), |x| x.name.get(lang).to_owned())
    });
    match (flat, place.area.is_empty()) {
        (Some(f), true) => f,
        (Some(f), false) => format!("{f} · {}", place.area),
        (None, _) => place.area.clone(),
    }
}

fn history_line(lang: Lang, e: &PermitEvent) -> HistoryLine {
    let n = e.people.unwrap_or(0);
    let what = match (e.kind, lang) {
        (EventKind::Applied, Lang::Zh) => e.application.as_ref().map_or_else(
            || "申请".to_owned(),
            |a| {
                format!(
                    "申请 · {} 人 · {} {}",
                    a.headcount,
                    a.date,
                    window_words(lang, a.from, a.to)
                )
            },
        ),
        (EventKind::Applied, Lang::En) => e.application.as_ref().map_or_else(
            || "Applied".to_owned(),
            |a| {
                format!(
                    "Applied · {} people · {} {}",
                    a.headcount,
                    a.date,
                    window_words(lang, a.from, a.to)
                )
            },
        ),
        (EventKind::Approved, _) => pick(lang, "批准", "Approved").to_owned(),
        (EventKind::Rejected, _) => pick(lang, "不批准", "Rejected").to_owned(),
        (EventKind::Entered, Lang::Zh) => format!("进场 {n} 人"),
        (EventKind::Entered, Lang::En) => format!("{n} came in"),
        (EventKind::Exited, Lang::Zh) => format!(
            "离场 {n} 人 · 工具材料 {}",
            if e.tools_ok == Some(false) {
                "×"
            } else {
                "✓"
            }
        ),
        (EventKind::Exited, Lang::En) => format!(
            "{n} left · tools and materials {}",
            if e.tools_ok == Some(false) {
                "×"
            } else {
                "✓"
            }
        ),
        (EventKind::Counted, Lang::Zh) => format!("清点在场 {n} 人"),
        (EventKind::Counted, Lang::En) => format!("Counted {n} on site"),
        (EventKind::SweepStarted, _) => pick(lang, "开始清场检查", "Sweep started").to_owned(),
        (EventKind::Closed, _) => pick(lang, "关闭", "Closed").to_owned(),
        (EventKind::Cancelled, _) => pick(lang, "取消", "Cancelled").to_owned(),
        (EventKind::Note, _) => pick(lang, "备注", "Note").to_owned(),
    };
    let text = if e.text.is_empty() {
        what
    } else {
        format!("{what}:{}", e.text)
    };
    HistoryLine {
        at_ms: e.by.at_ms,
        kind: e.kind.as_str(),
        text,
        who: who(lang, &e.by),
        device: e.by.device.clone(),
    }
}

fn alert_words(lang: Lang, kind: &AlertKind) -> (&'static str, String) {
    match (kind, lang) {
        (AlertKind::StillOnSite { on_site }, Lang::Zh) => {
            ("still-on-site", format!("时段已过,仍有 {on_site} 人在场"))
        }
        (AlertKind::StillOnSite { on_site }, Lang::En) => (
            "still-on-site",
            format!("the window is over and {on_site} are still on site"),
        ),
        (AlertKind::NoSweep, _) => (
            "no-sweep",
            pick(
                lang,
                "人员已离场,尚未清场检查",
                "everyone left; the sweep has not been started",
            )
            .to_owned(),
        ),
        (AlertKind::NobodyCame, _) => (
            "nobody-came",
            pick(lang, "已批准,时段已过无人到场", "approved, but nobody came").to_owned(),
        ),
        (AlertKind::ToolsCheckFailed { exits }, Lang::Zh) => {
            ("tools", format!("离场工具材料检查 ×({exits} 次)"))
        }
        (AlertKind::ToolsCheckFailed { exits }, Lang::En) => (
            "tools",
            format!("tools and materials check × on leaving ({exits})"),
        ),
        (AlertKind::OverHeadcount { on_site, headcount }, Lang::Zh) => (
            "over-headcount",
            format!("在场 {on_site} 人,超过申报的 {headcount} 人"),
        ),
        (AlertKind::OverHeadcount { on_site, headcount }, Lang::En) => (
            "over-headcount",
            format!("{on_site} on site, more than the {headcount} applied for"),
        ),
        (AlertKind::CountUnsure, _) => (
            "count-unsure",
            pick(
                lang,
                "多台平板同时登记了进出,请清点在场人数",
                "movements were logged on several tablets at once: count the people on site",
            )
            .to_owned(),
        ),
        (AlertKind::Unapproved, _) => (
            "unapproved",
            pick(
                lang,
                "未经批准已有人员进场",
                "people came in without an approval",
            )
            .to_owned(),
        ),
    }
}

fn late_words(lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("申请不足提前{DAYS_AHEAD}天"),
        Lang::En => format!("applied less than {DAYS_AHEAD} days ahead"),
    }
}

/// What `viewer` may do with `p` (the model's rules).
fn actions(p: &Permit, viewer: Option<&Viewer>) -> PermitActions {
    let Some(v) = viewer else {
        return PermitActions::default();
    };
    let closed = !p.closes.is_empty();
    let open = !closed && p.rejections.is_empty() && p.cancellations.is_empty();
    let entered = p.movements.iter().any(|e| e.kind == EventKind::Entered);
    let settled = p.on_site == 0 && !p.count_unsure;
    PermitActions {
        decide: v.leads() && open && p.approvals.is_empty(),
        enter_max: (open && p.on_site < p.application.headcount)
            .then(|| p.application.headcount - p.on_site),
        exit_max: (entered && p.on_site > 0).then_some(p.on_site),
        count: entered && p.count_unsure,
        start_sweep: !closed && settled && p.status == PermitStatus::Left,
        close: v.leads() && !closed && settled && p.status == PermitStatus::Swept,
        cancel: open && p.movements.is_empty(),
    }
}

fn sweep_line(lang: Lang, info: SweepInfo, time: &dyn Fn(i64) -> String) -> SweepLine {
    let (text, finished) = match &info.progress {
        SweepProgress::NotHere => (Words::SweepNotHere.text(lang).to_owned(), false),
        SweepProgress::NotStarted => (
            pick(lang, "清场检查:未开始", "Sweep: not walked yet").to_owned(),
            false,
        ),
        SweepProgress::InProgress => (
            pick(lang, "清场检查:进行中", "Sweep: in progress").to_owned(),
            false,
        ),
        SweepProgress::Finished { by, at_ms } => (
            match lang {
                Lang::Zh => format!("清场检查:{by} 于 {} 完成", time(*at_ms)),
                Lang::En => format!("Sweep: finished by {by} at {}", time(*at_ms)),
            },
            true,
        ),
    };
    SweepLine {
        round: info.round,
        text,
        finished,
    }
}

/// Everything [`PermitsView::build`] needs besides the boards.
pub struct Context<'a> {
    /// Today's date on the device, `YYYY-MM-DD`.
    pub today: &'a str,
    /// Device time now, ms.
    pub now_ms: i64,
    /// Device time → local wall time.
    pub local: &'a dyn Fn(i64) -> Option<LocalDateTime>,
    /// Device time → words for people.
    pub time: &'a dyn Fn(i64) -> String,
    /// The show flats (for place names).
    pub flats: &'a [FlatItems],
    /// Who is looking.
    pub viewer: Option<&'a Viewer>,
    /// UI language.
    pub lang: Lang,
}

impl PermitsView {
    /// Build from the permit boards this device holds (empty documents —
    /// asked for, not received — are skipped); `sweep` finds a permit's
    /// latest sweep round.
    pub fn build(
        boards: &[&Automerge],
        cx: &Context<'_>,
        sweep: &dyn Fn(&Permit) -> Option<SweepInfo>,
    ) -> Result<Self, ModelError> {
        let lang = cx.lang;
        let mut permits: Vec<Permit> = Vec::new();
        let mut today: Vec<String> = Vec::new();
        let mut model_alerts = Vec::new();
        for board in boards.iter().filter(|b| !b.get_heads().is_empty()) {
            permits.extend(work_permit::permits(board)?);
            today.extend(
                work_permit::expected_on(board, cx.today)?
                    .into_iter()
                    .map(|p| p.id),
            );
            model_alerts.extend(work_permit::alerts(board, cx.now_ms, cx.local)?);
        }
        permits.sort_by(|a, b| {
            (&a.application.date, a.application.from, &a.id).cmp(&(
                &b.application.date,
                b.application.from,
                &b.id,
            ))
        });
        let mut alerts = Vec::new();
        let mut rows = Vec::new();
        for p in &permits {
            let a = &p.application;
            let late = p.applied_late(DAYS_AHEAD, cx.local);
            let name = format!("{} {}", a.date, a.team.company);
            let mut mine: Vec<String> = Vec::new();
            if late && p.status == PermitStatus::Applied {
                let text = late_words(lang);
                alerts.push(AlertLine {
                    permit: p.id.clone(),
                    kind: "late",
                    text: format!("{name}:{text}"),
                });
                mine.push(text);
            }
            for alert in model_alerts.iter().filter(|x| x.permit == p.id) {
                let (kind, text) = alert_words(lang, &alert.kind);
                alerts.push(AlertLine {
                    permit: p.id.clone(),
                    kind,
                    text: format!("{name}:{text}"),
                });
                mine.push(text);
            }
            let terminal = matches!(
                p.status,
                PermitStatus::Closed | PermitStatus::Cancelled | PermitStatus::Rejected
            );
            let section = if today.contains(&p.id) {
                Section::Today
            } else if terminal {
                Section::Done
            } else if a.date.as_str() < cx.today {
                Section::Earlier
            } else {
                Section::Upcoming
            };
            let applied_by = p.applied_by();
            rows.push(PermitRow {
                id: p.id.clone(),
                date: a.date.clone(),
                window: window_words(lang, a.from, a.to),
                company: a.team.company.clone(),
                team_leader: format!("{} {}", a.team.leader, a.team.phone),
                scope: a.scope.clone(),
                place: place_words(lang, &a.place, cx.flats),
                headcount: a.headcount,
                applied: match lang {
                    Lang::Zh => format!(
                        "{} 于 {} 在 {} 登记申请",
                        applied_by.person,
                        (cx.time)(applied_by.at_ms),
                        applied_by.device
                    ),
                    Lang::En => format!(
                        "Applied by {} at {} on {}",
                        applied_by.person,
                        (cx.time)(applied_by.at_ms),
                        applied_by.device
                    ),
                },
                applied_late: late,
                status: p.status,
                status_text: status_words(lang, p.status, p.on_site),
                on_site: p.on_site,
                count_unsure: p.count_unsure,
                alerts: mine,
                sweep: p
                    .sweep()
                    .and_then(|_| sweep(p))
                    .map(|info| sweep_line(lang, info, cx.time)),
                actions: actions(p, cx.viewer),
                history: p.history.iter().map(|e| history_line(lang, e)).collect(),
                section,
            });
        }
        Ok(Self { alerts, rows })
    }

    /// The rows of `section`.
    pub fn section(&self, section: Section) -> Vec<PermitRow> {
        self.rows
            .iter()
            .filter(|r| r.section == section)
            .cloned()
            .collect()
    }
}

/// The application form as typed (《工作联络单》).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PermitForm {
    /// 施工单位.
    pub company: String,
    /// 施工负责人.
    pub leader: String,
    /// The team leader's phone.
    pub phone: String,
    /// 施工项目、范围.
    pub scope: String,
    /// The show flat's id, or empty for an area elsewhere.
    pub flat: String,
    /// The area in words.
    pub area: String,
    /// Work date, `YYYY-MM-DD`.
    pub date: String,
    /// Window start, `HH:MM`.
    pub from: String,
    /// Window end, `HH:MM` (not after the start: the next day).
    pub to: String,
    /// 施工人数, as typed.
    pub headcount: String,
}

impl PermitForm {
    /// An empty form for work on `date`, 09:00–17:00 (the flats' day).
    pub fn new(date: &str) -> Self {
        Self {
            date: date.to_owned(),
            from: "09:00".to_owned(),
            to: "17:00".to_owned(),
            ..Self::default()
        }
    }

    /// The application, or what to fix first, in `lang`.
    pub fn application(&self, lang: Lang) -> Result<Application, FormError> {
        let err = |zh: &str, en: &str| FormError(pick_owned(lang, zh, en));
        // What the model refuses too, in its words.
        let refused =
            |r: Refusal| FormError(crate::words::error_text::model_error(lang, &r.into()));
        let required = [
            (&self.company, "company"),
            (&self.leader, "team leader"),
            (&self.scope, "scope"),
        ];
        for (value, field) in required {
            if value.trim().is_empty() {
                return Err(refused(Refusal::EmptyText(field)));
            }
        }
        let digits = self.phone.chars().filter(char::is_ascii_digit).count();
        let phone_chars = self
            .phone
            .trim()
            .chars()
            .all(|c| c.is_ascii_digit() || " +-()".contains(c));
        if digits < 3 || !phone_chars {
            return Err(err(
                "请填写负责人的电话号码",
                "Enter the team leader's phone number",
            ));
        }
        let flat = Some(self.flat.trim())
            .filter(|f| !f.is_empty())
            .map(str::to_owned);
        if flat.is_none() && self.area.trim().is_empty() {
            return Err(refused(Refusal::BadPlace));
        }
        if shiftbook_model::checklist::validate_date(&self.date).is_err() {
            return Err(err("请选择施工日期", "Choose the work date"));
        }
        let (Ok(from), Ok(to)) = (
            MinuteOfDay::parse(self.from.trim()),
            MinuteOfDay::parse(self.to.trim()),
        ) else {
            return Err(err(
                "请填写施工时段(时:分)",
                "Enter the time window (HH:MM)",
            ));
        };
        if from == to {
            return Err(refused(Refusal::BadWindow(from)));
        }
        let headcount = match self.headcount.trim().parse::<u32>() {
            Ok(n) if (1..=MAX_HEADCOUNT).contains(&n) => n,
            n => return Err(refused(Refusal::BadHeadcount(n.unwrap_or(0)))),
        };
        Ok(Application {
            scope: self.scope.trim().to_owned(),
            place: Place {
                flat,
                area: self.area.trim().to_owned(),
            },
            date: self.date.clone(),
            from,
            to,
            headcount,
            team: Team {
                company: self.company.trim().to_owned(),
                leader: self.leader.trim().to_owned(),
                phone: self.phone.trim().to_owned(),
            },
        })
    }
}

fn pick_owned(lang: Lang, zh: &str, en: &str) -> String {
    match lang {
        Lang::Zh => zh.to_owned(),
        Lang::En => en.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::ActorId;
    use shiftbook_model::attribution::Attribution;
    use shiftbook_model::roster::Role;
    use shiftbook_model::work_permit::fixed_offset;

    const CST: i32 = 480;

    /// Device time (ms) of a local date-time in China.
    fn ms(local: &str) -> i64 {
        (LocalDateTime::parse(local).unwrap().epoch_minutes() - i64::from(CST)) * 60_000
    }

    fn by(id: &str, role: Role, at: &str) -> Attribution {
        Attribution {
            person_id: id.into(),
            person: format!("name-{id}"),
            role,
            device: format!("{id}-tablet"),
            at_ms: ms(at),
        }
    }

    fn form(date: &str) -> PermitForm {
        PermitForm {
            company: " 安居装饰 ".into(),
            leader: "李工".into(),
            phone: "138 0000 1234".into(),
            scope: "更换主卧墙纸".into(),
            flat: shiftbook_model::show_flat::DEMO_FLAT_ID.into(),
            area: "主卧".into(),
            headcount: "3".into(),
            ..PermitForm::new(date)
        }
    }

    fn board() -> Automerge {
        let mut b = work_permit::genesis("demo", "2026-11").unwrap();
        b.set_actor(ActorId::from(vec![3; 16]));
        b
    }

    fn view(boards: &[&Automerge], viewer: &Attribution, now: &str) -> PermitsView {
        let local = fixed_offset(CST);
        let v = Viewer {
            person_id: viewer.person_id.clone(),
            role: viewer.role,
        };
        let flats = [shiftbook_model::show_flat::demo_flat()];
        let cx = Context {
            today: &now[..10],
            now_ms: ms(now),
            local: &local,
            time: &|t| format!("t{t}"),
            flats: &flats,
            viewer: Some(&v),
            lang: Lang::Zh,
        };
        PermitsView::build(boards, &cx, &|_| {
            Some(SweepInfo {
                round: None,
                progress: SweepProgress::Finished {
                    by: "陈刚".into(),
                    at_ms: 7,
                },
            })
        })
        .unwrap()
    }

    fn staff(at: &str) -> Attribution {
        by("chen", Role::Staff, at)
    }

    fn leader(at: &str) -> Attribution {
        by("li", Role::Leader, at)
    }

    #[test]
    fn the_form_checks_what_the_paper_form_asks_and_says_what_to_fix() {
        let ok = form("2026-11-23").application(Lang::Zh).unwrap();
        assert_eq!(ok.team.company, "安居装饰");
        assert_eq!(
            (ok.headcount, ok.from.to_string(), ok.to.to_string()),
            (3, "09:00".into(), "17:00".into())
        );
        let bad = |f: PermitForm| f.application(Lang::Zh).unwrap_err().0;
        assert_eq!(
            bad(PermitForm {
                company: " ".into(),
                ..form("2026-11-23")
            }),
            "请填写施工单位"
        );
        assert_eq!(
            bad(PermitForm {
                phone: "12".into(),
                ..form("2026-11-23")
            }),
            "请填写负责人的电话号码"
        );
        assert_eq!(
            bad(PermitForm {
                flat: String::new(),
                area: " ".into(),
                ..form("2026-11-23")
            }),
            "请选择样板房或填写施工区域"
        );
        assert_eq!(
            bad(PermitForm {
                to: "09:00".into(),
                ..form("2026-11-23")
            }),
            "施工时段的开始和结束不能相同"
        );
        assert_eq!(
            bad(PermitForm {
                from: "9点".into(),
                ..form("2026-11-23")
            }),
            "请填写施工时段(时:分)"
        );
        assert_eq!(
            bad(PermitForm {
                headcount: "0".into(),
                ..form("2026-11-23")
            }),
            "施工人数须为 1–500"
        );
        assert_eq!(bad(form("2026-13-01")), "请选择施工日期");
        let area_only = PermitForm {
            flat: String::new(),
            ..form("2026-11-23")
        }
        .application(Lang::En)
        .unwrap();
        assert_eq!(area_only.place.flat, None);
        assert_eq!(
            PermitForm {
                company: String::new(),
                ..form("2026-11-23")
            }
            .application(Lang::En)
            .unwrap_err()
            .0,
            "Enter the company"
        );
    }

    #[test]
    fn a_permit_walks_from_late_application_to_closed_with_the_right_buttons() {
        let mut b = board();
        let app = form("2026-11-23").application(Lang::Zh).unwrap();
        // Applied the day before: late.
        work_permit::apply(&mut b, "p1", &app, &staff("2026-11-22 10:00")).unwrap();
        let v = view(&[&b], &staff("2026-11-22 11:00"), "2026-11-22 11:00");
        let r = &v.rows[0];
        assert_eq!(
            (r.section, r.status_text.as_str()),
            (Section::Upcoming, "待审批")
        );
        assert!(r.applied_late);
        assert_eq!(v.alerts.len(), 1);
        assert_eq!(v.alerts[0].kind, "late");
        assert_eq!(v.alerts[0].text, "2026-11-23 安居装饰:申请不足提前2天");
        assert_eq!(
            r.place,
            format!("{} · 主卧", shiftbook_model::show_flat::demo_flat().name.zh)
        );
        assert_eq!(r.window, "09:00–17:00");
        // Staff may not decide; they may cancel or let people in.
        assert!(!r.actions.decide && r.actions.cancel);
        assert_eq!(r.actions.enter_max, Some(3));
        let l = view(&[&b], &leader("2026-11-22 11:00"), "2026-11-22 11:00");
        assert!(l.rows[0].actions.decide);

        work_permit::approve(&mut b, "p1", "", &leader("2026-11-22 12:00")).unwrap();
        let v = view(&[&b], &staff("2026-11-23 09:05"), "2026-11-23 09:05");
        let r = &v.rows[0];
        assert_eq!(
            (r.section, r.status),
            (Section::Today, PermitStatus::Approved)
        );
        assert!(
            v.alerts.is_empty(),
            "late matters while it waits for a decision: {:?}",
            v.alerts
        );
        assert!(r.alerts.is_empty());

        work_permit::enter(&mut b, "p1", 3, "", &staff("2026-11-23 09:10")).unwrap();
        let r = view(&[&b], &staff("2026-11-23 09:15"), "2026-11-23 09:15").rows[0].clone();
        assert_eq!(r.status_text, "施工中 · 在场 3 人");
        assert_eq!((r.actions.enter_max, r.actions.exit_max), (None, Some(3)));
        assert!(!r.actions.cancel && !r.actions.start_sweep);
        // Still there after the window: an alert.
        let late = view(&[&b], &staff("2026-11-23 17:30"), "2026-11-23 17:30");
        assert_eq!(late.alerts[0].kind, "still-on-site");
        assert_eq!(
            late.alerts[0].text,
            "2026-11-23 安居装饰:时段已过,仍有 3 人在场"
        );

        work_permit::exit(
            &mut b,
            "p1",
            3,
            false,
            "少了一把梯子",
            &staff("2026-11-23 17:40"),
        )
        .unwrap();
        let v = view(&[&b], &staff("2026-11-23 17:45"), "2026-11-23 17:45");
        let r = &v.rows[0];
        assert_eq!(r.status, PermitStatus::Left);
        assert!(r.actions.start_sweep && r.actions.exit_max.is_none());
        let kinds: Vec<&str> = v.alerts.iter().map(|a| a.kind).collect();
        assert_eq!(kinds, ["no-sweep", "tools"]);
        assert_eq!(
            r.history.last().unwrap().text,
            "离场 3 人 · 工具材料 ×:少了一把梯子"
        );
        assert_eq!(r.history.last().unwrap().who, "name-chen(员工)");

        let round = shiftbook_model::DocumentId::from_random([5; 16]).to_string();
        work_permit::start_sweep(
            &mut b,
            "p1",
            &round,
            "m-0a0b0c0d",
            &staff("2026-11-23 17:50"),
        )
        .unwrap();
        let r = view(&[&b], &staff("2026-11-23 18:00"), "2026-11-23 18:00").rows[0].clone();
        assert_eq!(
            r.sweep.as_ref().map(|s| s.text.as_str()),
            Some("清场检查:陈刚 于 t7 完成")
        );
        assert!(!r.actions.close, "staff do not close");
        let l = view(&[&b], &leader("2026-11-23 18:00"), "2026-11-23 18:00").rows[0].clone();
        assert!(l.actions.close);

        work_permit::close(&mut b, "p1", "", &leader("2026-11-23 18:05")).unwrap();
        let v = view(&[&b], &leader("2026-11-24 08:00"), "2026-11-24 08:00");
        let r = &v.rows[0];
        assert_eq!(
            (r.section, r.status_text.as_str()),
            (Section::Done, "已关闭")
        );
        assert!(v.alerts.is_empty(), "{:?}", v.alerts);
        assert_eq!(r.actions, PermitActions::default());
        assert_eq!(v.section(Section::Done).len(), 1);
    }

    #[test]
    fn concurrent_entries_ask_for_a_head_count_and_open_work_of_earlier_days_stays_in_view() {
        let mut base = board();
        let app = form("2026-11-20").application(Lang::Zh).unwrap();
        work_permit::apply(&mut base, "p2", &app, &staff("2026-11-10 10:00")).unwrap();
        work_permit::approve(&mut base, "p2", "", &leader("2026-11-10 11:00")).unwrap();
        let mut a = base.fork().with_actor(ActorId::from(vec![1; 16]));
        let mut c = base.fork().with_actor(ActorId::from(vec![2; 16]));
        work_permit::enter(&mut a, "p2", 2, "", &staff("2026-11-20 09:00")).unwrap();
        work_permit::enter(&mut c, "p2", 1, "", &staff("2026-11-20 09:01")).unwrap();
        a.merge(&mut c).unwrap();
        let v = view(&[&a], &staff("2026-11-21 08:00"), "2026-11-21 08:00");
        let r = &v.rows[0];
        assert_eq!(r.section, Section::Earlier);
        assert!(r.count_unsure && r.actions.count);
        assert!(v.alerts.iter().any(|x| x.kind == "count-unsure"));
        assert!(v.alerts.iter().any(|x| x.kind == "still-on-site"));
        assert!(!r.actions.start_sweep);
        // A rejected one made without seeing the approval ends rejected and
        // is done; nothing more to do with it.
        let mut d = board();
        work_permit::apply(
            &mut d,
            "p3",
            &form("2026-11-25").application(Lang::Zh).unwrap(),
            &staff("2026-11-10 10:00"),
        )
        .unwrap();
        work_permit::reject(&mut d, "p3", "图纸未备案", &leader("2026-11-10 11:00")).unwrap();
        let v = view(&[&d], &leader("2026-11-11 08:00"), "2026-11-11 08:00");
        assert_eq!(
            (v.rows[0].section, v.rows[0].status_text.as_str()),
            (Section::Done, "未批准")
        );
        assert_eq!(v.rows[0].history[1].text, "不批准:图纸未备案");
        assert_eq!(v.rows[0].actions, PermitActions::default());
        // A board asked for and not received yet reads as nothing.
        let empty = Automerge::new();
        assert!(
            view(&[&empty], &leader("2026-11-11 08:00"), "2026-11-11 08:00")
                .rows
                .is_empty()
        );
    }

    #[test]
    fn night_work_reads_as_running_into_the_next_day() {
        let from = MinuteOfDay::parse("22:00").unwrap();
        let to = MinuteOfDay::parse("06:00").unwrap();
        assert_eq!(window_words(Lang::Zh, from, to), "22:00–次日06:00");
        assert_eq!(window_words(Lang::En, from, to), "22:00–06:00 (next day)");
        assert_eq!(
            status_words(Lang::En, PermitStatus::OnSite, 2),
            "On site · 2 people"
        );
    }
}
