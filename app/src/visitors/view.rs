//! What the visitor screen (《来人来访记录表》) shows: who is inside now
//! across days (time in, how long), who waits for a supervisor's approval,
//! the picked day's visits with filters, and the day's review — plus the
//! new-visit form (category first, blocked ones marked; ID type and at
//! most the last 4 characters; host, unit, purpose, how approved, people)
//! and what the signed-in person may do with each visit. Plain data,
//! unit-tested.

use crate::visitors::words::Words;
use crate::words::i18n::Msg;
pub use crate::words::i18n::{visit_category as category, visit_status as status};
use automerge::Automerge;
use shiftbook_model::followup::Who;
use shiftbook_model::roster::Role;
use shiftbook_model::schedule::LocalDateTime;
use shiftbook_model::signature::Signature;
use shiftbook_model::visitor_log::{
    self, ApprovalMethod, Arrival, Category, EventKind, IdType, MAX_ID_CHARS, MAX_PEOPLE, Visit,
    VisitFilter, VisitStatus, VisitorDay,
};
use shiftbook_model::{Lang, ModelError};
use std::collections::BTreeMap;

fn pick(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// An ID document type's name.
pub fn id_type(lang: Lang, t: IdType) -> &'static str {
    match t {
        IdType::IdCard => pick(lang, "身份证", "ID card"),
        IdType::DrivingLicence => pick(lang, "驾驶证", "Driving licence"),
        IdType::Passport => pick(lang, "护照", "Passport"),
        IdType::WorkPass => pick(lang, "工作证", "Work pass"),
        IdType::Other => pick(lang, "其他证件", "Other ID"),
        IdType::NoId => pick(lang, "无证件", "No ID"),
    }
}

/// How a visitor was let in.
pub fn approval_method(lang: Lang, m: ApprovalMethod) -> &'static str {
    match m {
        ApprovalMethod::Intercom => pick(lang, "对讲确认", "Intercom"),
        ApprovalMethod::Card => pick(lang, "刷卡/验证", "Card"),
        ApprovalMethod::Escort => pick(lang, "陪同", "Escort"),
        ApprovalMethod::Pass => pick(lang, "出入证", "Pass"),
        ApprovalMethod::Office => pick(lang, "管理处许可", "Office"),
        ApprovalMethod::Supervisor => pick(lang, "主管批准", "Supervisor"),
    }
}

/// Every status, in the order the filter offers them.
pub const STATUSES: [VisitStatus; 5] = [
    VisitStatus::Inside,
    VisitStatus::Waiting,
    VisitStatus::Disputed,
    VisitStatus::Refused,
    VisitStatus::Left,
];

/// The category stored as `s`.
pub fn parse_category(s: &str) -> Option<Category> {
    Category::ALL.into_iter().find(|c| c.as_str() == s)
}

/// The status stored as `s`.
pub fn parse_status(s: &str) -> Option<VisitStatus> {
    STATUSES.into_iter().find(|c| c.as_str() == s)
}

/// "2 小时 5 分" — how long someone has been inside.
pub fn how_long(lang: Lang, minutes: i64) -> String {
    let m = minutes.max(0);
    match (lang, m / 60, m % 60) {
        (Lang::Zh, 0, m) => format!("{m} 分钟"),
        (Lang::Zh, h, m) => format!("{h} 小时 {m} 分"),
        (Lang::En, 0, m) => format!("{m} min"),
        (Lang::En, h, m) => format!("{h} h {m} min"),
    }
}

/// "3 人" — a group's size.
pub fn people(lang: Lang, n: u32) -> String {
    match lang {
        Lang::Zh => format!("{n} 人"),
        Lang::En => format!("{n} people"),
    }
}

/// A late entry into an earlier service day, said above the form.
pub fn late_entry(lang: Lang, date: &str) -> String {
    match lang {
        Lang::Zh => format!("补登:将记入 {date} 的来访记录"),
        Lang::En => format!("Late entry: this goes into the visitor log of {date}"),
    }
}

/// Visits with something logged after the day's latest review.
pub fn visits_after_signing(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Zh => format!("签字后又有 {n} 条来访有新记录"),
        Lang::En if n == 1 => "1 visit has news after the signature".to_owned(),
        Lang::En => format!("{n} visits have news after the signature"),
    }
}

/// What the signed-in person may do with one visit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Actions {
    /// Log the exit ("left").
    pub leave: bool,
    /// Approve it (supervisors, for visits waiting or disputed).
    pub approve: bool,
    /// Refuse it (a waiting visit, a visitor turned away at the door; a
    /// disputed one only supervisors).
    pub refuse: bool,
}

/// How long after their time in a visitor let in without approval may be
/// turned away (the resident declined over the intercom): later, they
/// leave.
pub const TURN_AWAY_MINUTES: i64 = 60;

impl Actions {
    /// For `visit`, inside for `minutes_inside` (if inside), and the person
    /// signed in with `role` (`None`: nobody).
    pub fn of(visit: &Visit, minutes_inside: Option<i64>, role: Option<Role>) -> Self {
        let Some(role) = role else {
            return Self::default();
        };
        let supervisor = role == Role::Supervisor;
        let s = visit.status;
        Self {
            leave: visit.is_inside(),
            approve: supervisor
                && visit.needs_approval()
                && matches!(s, VisitStatus::Waiting | VisitStatus::Disputed),
            refuse: match s {
                VisitStatus::Waiting => true,
                VisitStatus::Disputed => supervisor,
                VisitStatus::Inside => {
                    !visit.needs_approval()
                        && minutes_inside.is_some_and(|m| m <= TURN_AWAY_MINUTES)
                }
                VisitStatus::Refused | VisitStatus::Left => false,
            },
        }
    }
}

/// Whether the person signed in with `role` may sign a day.
pub fn may_sign(role: Option<Role>) -> bool {
    matches!(role, Some(Role::Leader | Role::Supervisor))
}

/// An approval or refusal of a visit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionLine {
    /// Approved or refused.
    pub kind: EventKind,
    /// The reason or the note.
    pub text: String,
    /// Who decided, on which device, when.
    pub by: Who,
    /// Whether it stands (no later decision was made having seen it).
    pub standing: bool,
}

/// One visit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitRow {
    /// The visit id.
    pub id: String,
    /// The service day whose log holds it.
    pub date: String,
    /// The visitor's name (may be blank for an unidentifiable person).
    pub name: String,
    /// Who the visitor is.
    pub category: Category,
    /// The ID seen: type and last characters, "身份证 ···123X".
    pub id_seen: String,
    /// Whom they visit.
    pub host: String,
    /// The unit.
    pub unit: String,
    /// Why.
    pub purpose: String,
    /// How they were let in.
    pub approval: ApprovalMethod,
    /// How many people.
    pub people: u32,
    /// Time in as stored, `YYYY-MM-DD HH:MM`.
    pub time_in: String,
    /// Time in as shown: `HH:MM` on `today`, else `MM-DD HH:MM`.
    pub time_in_shown: String,
    /// Time out as shown (the earliest of concurrent exits).
    pub time_out_shown: Option<String>,
    /// Where the visit stands.
    pub status: VisitStatus,
    /// Minutes since time in, while inside.
    pub minutes_inside: Option<i64>,
    /// Who logged it, on which device, when.
    pub logged_by: Who,
    /// Every approval and refusal, in list order.
    pub decisions: Vec<DecisionLine>,
    /// Every exit logged (several when two tablets logged it): time out
    /// shown and who.
    pub exits: Vec<(String, Who)>,
    /// Notes with who wrote them.
    pub notes: Vec<(String, Who)>,
    /// What the signed-in person may do with it.
    pub actions: Actions,
    /// Something was logged about it after (or unseen by) the latest
    /// review of its day.
    pub after_signing: bool,
}

/// A stored local time as shown next to `today`: `HH:MM` on that day,
/// else `MM-DD HH:MM`.
pub fn time_shown(at: &str, today: &str) -> String {
    match LocalDateTime::parse(at) {
        Ok(t) if t.date.to_string() == today => t.minute.to_string(),
        Ok(t) => format!("{:02}-{:02} {}", t.date.month(), t.date.day(), t.minute),
        Err(_) => at.to_owned(),
    }
}

impl VisitRow {
    fn build(
        v: &Visit,
        lang: Lang,
        now: LocalDateTime,
        today: &str,
        role: Option<Role>,
        after_signing: bool,
    ) -> Self {
        let a = &v.arrival;
        let id_seen = match a.id_type {
            IdType::NoId => id_type(lang, IdType::NoId).to_owned(),
            t => format!("{} ···{}", id_type(lang, t), a.id_last),
        };
        let standing: Vec<&str> = v.decisions.iter().map(|d| d.id.as_str()).collect();
        let mut decisions: Vec<DecisionLine> = v
            .approvals
            .iter()
            .chain(&v.refusals)
            .map(|l| DecisionLine {
                kind: l.event.kind,
                text: l.event.text.clone(),
                by: l.event.by.clone(),
                standing: standing.contains(&l.id.as_str()),
            })
            .collect();
        decisions.sort_by_key(|d| d.by.at_ms);
        let minutes_inside = v.is_inside().then(|| {
            LocalDateTime::parse(&a.time_in)
                .map(|t| t.minutes_until(now))
                .unwrap_or(0)
        });
        Self {
            id: v.id.clone(),
            date: v.date.clone(),
            name: a.name.clone(),
            category: a.category,
            id_seen,
            host: a.host.clone(),
            unit: a.unit.clone(),
            purpose: a.purpose.clone(),
            approval: a.approval,
            people: a.people,
            time_in: a.time_in.clone(),
            time_in_shown: time_shown(&a.time_in, today),
            time_out_shown: v.time_out.as_deref().map(|t| time_shown(t, today)),
            status: v.status,
            minutes_inside,
            logged_by: v.logged_by.clone(),
            decisions,
            exits: v
                .exits
                .iter()
                .map(|e| {
                    (
                        e.time_out
                            .as_deref()
                            .map(|t| time_shown(t, today))
                            .unwrap_or_default(),
                        e.by.clone(),
                    )
                })
                .collect(),
            notes: v
                .notes
                .iter()
                .map(|n| (n.text.clone(), n.by.clone()))
                .collect(),
            actions: Actions::of(v, minutes_inside, role),
            after_signing,
        }
    }
}

/// What the latest review of the picked day does not cover.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitorReview {
    /// The latest signature.
    pub signature: Signature,
    /// Visits with something logged after it.
    pub visits: usize,
}

/// The screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitorsView {
    /// Everyone inside now, across the days held, by time in.
    pub inside: Vec<VisitRow>,
    /// People inside (a group counts its people).
    pub people_inside: u32,
    /// Visits waiting for a supervisor's approval, across days.
    pub waiting: Vec<VisitRow>,
    /// The picked day's visits the filter passes, by time in.
    pub day: Vec<VisitRow>,
    /// All of the picked day's visits.
    pub day_total: usize,
    /// Who logged the picked day's visits: (roster id, name).
    pub loggers: Vec<(String, String)>,
    /// The picked day's reviews, in list order.
    pub signatures: Vec<Signature>,
    /// What came after the latest one.
    pub review: Option<VisitorReview>,
}

/// The days among `docs` that are visitor days (documents asked for but
/// not yet received are left out).
/// The visits of a visitor day document; `None` for a document that is not
/// one (not yet received: an empty document).
pub fn visits_of(doc: &Automerge) -> Option<Vec<Visit>> {
    VisitorDay::new(doc).ok()?.visits().ok()
}

/// The latest signature of `day` (by device time, then list order) and
/// what came after it.
fn review(day: &VisitorDay<'_>) -> Result<Option<visitor_log::AfterSigning>, ModelError> {
    let latest = day
        .signatures()?
        .into_iter()
        .enumerate()
        .max_by_key(|(i, s)| (s.at_ms, *i))
        .map(|(_, s)| s);
    latest.map(|s| day.after_signing(&s)).transpose()
}

impl VisitorsView {
    /// From the visits of the days the open index names plus today and
    /// yesterday (`open_days`, [`visits_of`] each held one), and the picked
    /// day's document with its visits (`day`, if held), at `now` on service
    /// day `today`, for the person signed in with `role`.
    #[allow(clippy::too_many_arguments)]
    pub fn build(
        open_days: &[&[Visit]],
        day: Option<(&Automerge, &[Visit])>,
        filter: &VisitFilter,
        now: LocalDateTime,
        today: &str,
        role: Option<Role>,
        lang: Lang,
    ) -> Result<Self, ModelError> {
        let row = |v: &Visit, after: bool| VisitRow::build(v, lang, now, today, role, after);
        let days = || open_days.iter().copied();
        let inside: Vec<VisitRow> = visitor_log::gather(days(), &VisitFilter::default())
            .iter()
            .filter(|v| v.is_inside())
            .map(|v| row(v, false))
            .collect();
        let waiting = visitor_log::gather(
            days(),
            &VisitFilter {
                status: Some(VisitStatus::Waiting),
                ..VisitFilter::default()
            },
        )
        .iter()
        .map(|v| row(v, false))
        .collect();
        let picked = day.and_then(|(d, visits)| Some((VisitorDay::new(d).ok()?, visits)));
        let (mut list, mut total, mut loggers, mut signatures, mut latest) =
            (Vec::new(), 0, BTreeMap::new(), Vec::new(), None);
        if let Some((d, visits)) = picked {
            let after = review(&d)?;
            total = visits.len();
            for v in visits {
                loggers.insert(v.logged_by.person_id.clone(), v.logged_by.person.clone());
            }
            list = visits
                .iter()
                .filter(|v| filter.matches(v))
                .map(|v| row(v, after.as_ref().is_some_and(|a| a.visits.contains(&v.id))))
                .collect();
            signatures = d.signatures()?;
            latest = after.map(|a| VisitorReview {
                visits: a.visits.len(),
                signature: a.signature,
            });
        }
        Ok(Self {
            people_inside: inside.iter().map(|r| r.people).sum(),
            inside,
            waiting,
            day: list,
            day_total: total,
            loggers: loggers.into_iter().collect(),
            signatures,
            review: latest,
        })
    }
}

/// The visits of several days (documents not yet received are skipped)
/// that `filter` passes, by time in across days.
pub fn search(
    days: &[&[Visit]],
    filter: &VisitFilter,
    now: LocalDateTime,
    today: &str,
    role: Option<Role>,
    lang: Lang,
) -> Vec<VisitRow> {
    visitor_log::gather(days.iter().copied(), filter)
        .iter()
        .map(|v| VisitRow::build(v, lang, now, today, role, false))
        .collect()
}

/// Why the new-visit form (or a refusal) cannot be saved yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VisitProblem {
    /// No category picked.
    NoCategory,
    /// No name (only an unidentifiable person may have none).
    NoName,
    /// No ID type picked.
    NoIdType,
    /// More than the last 4 characters, or not letters and digits.
    IdLast,
    /// An ID type without its last characters.
    IdMissing,
    /// Last characters with "no ID".
    IdWithoutType,
    /// A people count outside 1–200.
    BadPeople,
    /// No approval method picked.
    NoApproval,
    /// The time is not `HH:MM`.
    BadTime,
    /// A text holds what looks like a full ID number.
    IdNumber,
    /// A refusal without its reason.
    NoReason,
}

impl VisitProblem {
    /// The problem in words.
    pub fn text(self, lang: Lang) -> &'static str {
        match self {
            VisitProblem::NoCategory => Words::VisitPickCategory.text(lang),
            VisitProblem::NoName => Words::VisitNoName.text(lang),
            VisitProblem::NoIdType => Words::VisitPickIdType.text(lang),
            VisitProblem::IdLast => Msg::VisitIdLastOnly.text(lang),
            VisitProblem::IdMissing => Msg::VisitIdMissing.text(lang),
            VisitProblem::IdWithoutType => Msg::VisitIdWithoutType.text(lang),
            VisitProblem::BadPeople => Msg::VisitBadPeople.text(lang),
            VisitProblem::NoApproval => Words::VisitPickApproval.text(lang),
            VisitProblem::BadTime => Msg::DutyBadTime.text(lang),
            VisitProblem::IdNumber => Msg::NoFullIdNumber.text(lang),
            VisitProblem::NoReason => Words::VisitNoReason.text(lang),
        }
    }
}

/// The reason of a refusal, checked.
pub fn refusal_reason(reason: &str) -> Result<String, VisitProblem> {
    if reason.trim().is_empty() {
        Err(VisitProblem::NoReason)
    } else if shiftbook_model::free_text::has_id_number(reason) {
        Err(VisitProblem::IdNumber)
    } else {
        Ok(reason.trim().to_owned())
    }
}

/// The new-visit form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VisitForm {
    /// Who the visitor is.
    pub category: Option<Category>,
    /// The visitor's name.
    pub name: String,
    /// The ID seen.
    pub id_type: Option<IdType>,
    /// Its last characters (at most 4).
    pub id_last: String,
    /// Whom they visit.
    pub host: String,
    /// The unit.
    pub unit: String,
    /// Why.
    pub purpose: String,
    /// How they are let in.
    pub approval: Option<ApprovalMethod>,
    /// How many people.
    pub people: String,
    /// Time in, `HH:MM` on the service day.
    pub clock: String,
}

impl VisitForm {
    /// A fresh form: one person, arriving at `clock`.
    pub fn new(clock: String) -> Self {
        Self {
            people: "1".into(),
            clock,
            ..Self::default()
        }
    }

    /// Pick the category: a blocked one is let in only with a
    /// supervisor's approval; an unidentifiable person has no ID.
    pub fn pick_category(&mut self, c: Category) {
        self.category = Some(c);
        if c.is_blocked() {
            self.approval = Some(ApprovalMethod::Supervisor);
        } else if self.approval == Some(ApprovalMethod::Supervisor) {
            self.approval = None;
        }
        if c == Category::Unidentified {
            self.id_type = Some(IdType::NoId);
            self.id_last.clear();
        }
    }

    /// The methods the form offers for the picked category.
    pub fn methods(&self) -> Vec<ApprovalMethod> {
        match self.category {
            Some(c) if c.is_blocked() => vec![ApprovalMethod::Supervisor],
            _ => ApprovalMethod::ALL.to_vec(),
        }
    }

    /// The arrival to log in service day `date`.
    pub fn arrival(&self, date: &str) -> Result<Arrival, VisitProblem> {
        let category = self.category.ok_or(VisitProblem::NoCategory)?;
        if self.name.trim().is_empty() && category != Category::Unidentified {
            return Err(VisitProblem::NoName);
        }
        let id_type = self.id_type.ok_or(VisitProblem::NoIdType)?;
        let id_last = self.id_last.trim();
        if id_last.chars().count() > MAX_ID_CHARS
            || !id_last.chars().all(|c| c.is_ascii_alphanumeric())
        {
            return Err(VisitProblem::IdLast);
        }
        match (id_type, id_last.is_empty()) {
            (IdType::NoId, false) => return Err(VisitProblem::IdWithoutType),
            (t, true) if t != IdType::NoId => return Err(VisitProblem::IdMissing),
            _ => {}
        }
        let people: u32 = self
            .people
            .trim()
            .parse()
            .ok()
            .filter(|n| (1..=MAX_PEOPLE).contains(n))
            .ok_or(VisitProblem::BadPeople)?;
        let approval = self.approval.ok_or(VisitProblem::NoApproval)?;
        let time_in = crate::core::service_day::at(date, &self.clock)
            .map_err(|_| VisitProblem::BadTime)?
            .to_string();
        let texts = [&self.name, &self.host, &self.unit, &self.purpose];
        if texts
            .iter()
            .any(|t| shiftbook_model::free_text::has_id_number(t))
        {
            return Err(VisitProblem::IdNumber);
        }
        Ok(Arrival {
            name: self.name.clone(),
            category,
            id_type,
            id_last: id_last.to_owned(),
            host: self.host.clone(),
            unit: self.unit.clone(),
            purpose: self.purpose.clone(),
            approval,
            time_in,
            people,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::ActorId;
    use shiftbook_model::attribution::Attribution;

    const DAY: &str = "2026-11-23";
    const NEXT: &str = "2026-11-24";

    fn by(person: &str, role: Role, at_ms: i64) -> Attribution {
        Attribution {
            person_id: person.into(),
            person: format!("{person}-name"),
            role,
            device: "大堂平板1".into(),
            at_ms,
        }
    }

    struct Desk {
        days: BTreeMap<String, Automerge>,
        index: Automerge,
    }

    impl Desk {
        fn new() -> Self {
            let mut index = visitor_log::index_genesis("demo").unwrap();
            index.set_actor(ActorId::from(vec![1; 16]));
            Self {
                days: BTreeMap::new(),
                index,
            }
        }

        fn day(&mut self, date: &str) -> &mut Automerge {
            self.days.entry(date.to_owned()).or_insert_with(|| {
                let mut d = visitor_log::genesis("demo", date).unwrap();
                d.set_actor(ActorId::from(vec![2; 16]));
                d
            })
        }

        fn arrive(&mut self, date: &str, id: &str, form: &VisitForm, who: &Attribution) {
            let arrival = form.arrival(date).unwrap();
            self.day(date);
            let day = self.days.get_mut(date).unwrap();
            visitor_log::arrive(day, &mut self.index, id, &arrival, who).unwrap();
        }

        fn view(
            &self,
            picked: &str,
            filter: &VisitFilter,
            now: &str,
            role: Option<Role>,
        ) -> VisitorsView {
            let visits: Vec<Vec<Visit>> = self.days.values().filter_map(visits_of).collect();
            let open: Vec<&[Visit]> = visits.iter().map(Vec::as_slice).collect();
            let picked_visits = self.days.get(picked).and_then(visits_of);
            VisitorsView::build(
                &open,
                self.days.get(picked).zip(picked_visits.as_deref()),
                filter,
                LocalDateTime::parse(now).unwrap(),
                &crate::core::service_day::of(LocalDateTime::parse(now).unwrap()).to_string(),
                role,
                Lang::Zh,
            )
            .unwrap()
        }
    }

    fn guest(clock: &str, name: &str) -> VisitForm {
        let mut f = VisitForm::new(clock.into());
        f.pick_category(Category::Guest);
        f.name = name.into();
        f.id_type = Some(IdType::IdCard);
        f.id_last = "123x".into();
        f.host = "王五".into();
        f.unit = "3栋1201".into();
        f.approval = Some(ApprovalMethod::Intercom);
        f
    }

    #[test]
    fn the_form_keeps_only_the_last_characters_and_blocks_salespeople() {
        let ok = guest("20:00", "李四");
        let a = ok.arrival(DAY).unwrap();
        assert_eq!((a.time_in.as_str(), a.people), ("2026-11-23 20:00", 1));
        assert_eq!(
            guest("01:30", "李四").arrival(DAY).unwrap().time_in,
            "2026-11-24 01:30"
        );
        let problems = [
            (
                VisitForm {
                    category: None,
                    ..ok.clone()
                },
                VisitProblem::NoCategory,
            ),
            (
                VisitForm {
                    name: " ".into(),
                    ..ok.clone()
                },
                VisitProblem::NoName,
            ),
            (
                VisitForm {
                    id_type: None,
                    ..ok.clone()
                },
                VisitProblem::NoIdType,
            ),
            (
                VisitForm {
                    id_last: "110101199003071234".into(),
                    ..ok.clone()
                },
                VisitProblem::IdLast,
            ),
            (
                VisitForm {
                    id_last: "12-4".into(),
                    ..ok.clone()
                },
                VisitProblem::IdLast,
            ),
            (
                VisitForm {
                    id_last: String::new(),
                    ..ok.clone()
                },
                VisitProblem::IdMissing,
            ),
            (
                VisitForm {
                    id_type: Some(IdType::NoId),
                    ..ok.clone()
                },
                VisitProblem::IdWithoutType,
            ),
            (
                VisitForm {
                    people: "0".into(),
                    ..ok.clone()
                },
                VisitProblem::BadPeople,
            ),
            (
                VisitForm {
                    people: "两".into(),
                    ..ok.clone()
                },
                VisitProblem::BadPeople,
            ),
            (
                VisitForm {
                    approval: None,
                    ..ok.clone()
                },
                VisitProblem::NoApproval,
            ),
            (
                VisitForm {
                    clock: "8点".into(),
                    ..ok.clone()
                },
                VisitProblem::BadTime,
            ),
            (
                VisitForm {
                    purpose: "证件 110101 19900307 1234".into(),
                    ..ok.clone()
                },
                VisitProblem::IdNumber,
            ),
        ];
        for (f, p) in problems {
            assert_eq!(f.arrival(DAY), Err(p), "{f:?}");
            assert!(!p.text(Lang::En).is_empty());
        }
        // A salesperson waits for a supervisor: the only method offered.
        let mut s = ok.clone();
        s.pick_category(Category::Salesperson);
        assert_eq!(s.methods(), [ApprovalMethod::Supervisor]);
        assert_eq!(s.arrival(DAY).unwrap().approval, ApprovalMethod::Supervisor);
        s.pick_category(Category::Delivery);
        assert_eq!(s.approval, None, "picked again for a category let in");
        assert_eq!(s.methods().len(), ApprovalMethod::ALL.len());
        let mut u = VisitForm::new("09:00".into());
        u.pick_category(Category::Unidentified);
        assert_eq!(u.id_type, Some(IdType::NoId));
        assert!(u.arrival(DAY).is_ok(), "no name, no ID");
        assert_eq!(refusal_reason("  "), Err(VisitProblem::NoReason));
        assert_eq!(refusal_reason(" 业主不在家 ").as_deref(), Ok("业主不在家"));
    }

    #[test]
    fn inside_now_spans_days_and_waiting_ones_are_apart() {
        let mut desk = Desk::new();
        let staff = by("zhang", Role::Staff, 1_000);
        desk.arrive(DAY, "y1", &guest("21:00", "昨晚访客"), &staff);
        let mut sales = guest("10:00", "推销员");
        sales.pick_category(Category::Salesperson);
        desk.arrive(NEXT, "s1", &sales, &staff);
        desk.arrive(NEXT, "t1", &guest("09:30", "今天访客"), &staff);
        let now = "2026-11-24 11:15";
        let v = desk.view(NEXT, &VisitFilter::default(), now, Some(Role::Staff));
        let inside: Vec<(&str, &str, Option<i64>)> = v
            .inside
            .iter()
            .map(|r| (r.id.as_str(), r.time_in_shown.as_str(), r.minutes_inside))
            .collect();
        assert_eq!(
            inside,
            [
                ("y1", "11-23 21:00", Some(14 * 60 + 15)),
                ("t1", "09:30", Some(105))
            ]
        );
        assert_eq!(v.people_inside, 2);
        assert_eq!(v.waiting.len(), 1);
        assert_eq!(v.waiting[0].id, "s1");
        assert_eq!(v.day_total, 2, "the picked day only");
        assert_eq!(how_long(Lang::Zh, 105), "1 小时 45 分");
        assert_eq!(how_long(Lang::En, 5), "5 min");
        assert_eq!(people(Lang::Zh, 3), "3 人");
        assert!(late_entry(Lang::Zh, DAY).contains(DAY));
        assert_eq!(
            visits_after_signing(Lang::En, 2),
            "2 visits have news after the signature"
        );
        // Staff may refuse the salesperson but not approve; the
        // supervisor may do both.
        assert_eq!(
            v.waiting[0].actions,
            Actions {
                leave: false,
                approve: false,
                refuse: true
            }
        );
        let v = desk.view(NEXT, &VisitFilter::default(), now, Some(Role::Supervisor));
        assert!(v.waiting[0].actions.approve && v.waiting[0].actions.refuse);
        assert!(
            v.inside[0].actions.leave,
            "yesterday's visitor can leave today"
        );

        // The supervisor approves: inside. Yesterday's visitor leaves.
        let sup = by("zhuguan", Role::Supervisor, 2_000);
        let day = desk.days.get_mut(NEXT).unwrap();
        visitor_log::approve(day, &mut desk.index, "s1", "", &sup).unwrap();
        let day = desk.days.get_mut(DAY).unwrap();
        visitor_log::leave(day, &mut desk.index, "y1", "2026-11-24 11:20", &staff).unwrap();
        let v = desk.view(NEXT, &VisitFilter::default(), "2026-11-24 11:30", None);
        let ids: Vec<&str> = v.inside.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["t1", "s1"]);
        assert!(v.waiting.is_empty());
        let s1 = &v.inside[1];
        assert_eq!(s1.decisions.len(), 1);
        assert!(s1.decisions[0].standing && s1.decisions[0].kind == EventKind::Approved);
        assert_eq!(s1.actions, Actions::default(), "nobody signed in");
        let yesterday = desk.view(DAY, &VisitFilter::default(), "2026-11-24 11:30", None);
        assert_eq!(yesterday.day[0].status, VisitStatus::Left);
        assert_eq!(yesterday.day[0].time_in_shown, "11-23 21:00", "not today");
        assert_eq!(
            yesterday.day[0].time_out_shown.as_deref(),
            Some("11:20"),
            "today"
        );
    }

    #[test]
    fn a_visitor_turned_away_within_the_hour_is_refused_and_filters_pick_the_day() {
        let mut desk = Desk::new();
        let staff = by("zhang", Role::Staff, 1_000);
        desk.arrive(DAY, "g1", &guest("10:00", "李四"), &staff);
        let mut other = guest("11:00", "快递员");
        other.pick_category(Category::Delivery);
        other.unit = "5栋".into();
        desk.arrive(DAY, "d1", &other, &by("wang", Role::Staff, 1_100));
        let v = desk.view(
            DAY,
            &VisitFilter::default(),
            "2026-11-23 11:10",
            Some(Role::Staff),
        );
        let g1 = v.inside.iter().find(|r| r.id == "g1").unwrap();
        assert_eq!(g1.id_seen, "身份证 ···123X");
        assert!(g1.actions.leave && !g1.actions.approve);
        assert!(!g1.actions.refuse, "inside over an hour: they leave");
        let d1 = v.inside.iter().find(|r| r.id == "d1").unwrap();
        assert!(d1.actions.refuse && d1.actions.leave && !d1.actions.approve);
        let day = desk.days.get_mut(DAY).unwrap();
        visitor_log::refuse(day, &mut desk.index, "d1", "业主不同意", &staff).unwrap();
        let only = |f: VisitFilter| -> Vec<String> {
            desk.view(DAY, &f, "2026-11-23 11:10", Some(Role::Staff))
                .day
                .into_iter()
                .map(|r| r.id)
                .collect()
        };
        assert_eq!(
            only(VisitFilter {
                status: Some(VisitStatus::Refused),
                ..VisitFilter::default()
            }),
            ["d1"]
        );
        assert_eq!(
            only(VisitFilter {
                unit: Some("5栋".into()),
                ..VisitFilter::default()
            }),
            ["d1"]
        );
        assert_eq!(
            only(VisitFilter {
                logged_by: Some("wang".into()),
                ..VisitFilter::default()
            }),
            ["d1"]
        );
        assert_eq!(
            only(VisitFilter {
                category: Some(Category::Guest),
                ..VisitFilter::default()
            }),
            ["g1"]
        );
        let v = desk.view(
            DAY,
            &VisitFilter::default(),
            "2026-11-23 11:10",
            Some(Role::Staff),
        );
        assert_eq!(v.inside.len(), 1);
        assert_eq!(v.loggers.len(), 2);
        let d1 = v.day.iter().find(|r| r.id == "d1").unwrap();
        assert_eq!(d1.status, VisitStatus::Refused);
        assert_eq!(d1.actions, Actions::default(), "refused: nothing more");
        assert_eq!(d1.decisions[0].text, "业主不同意");

        // The leader signs; a visit logged after shows as such.
        assert!(may_sign(Some(Role::Leader)) && !may_sign(Some(Role::Staff)));
        let day = desk.days.get_mut(DAY).unwrap();
        visitor_log::sign_day(day, &by("li", Role::Leader, 5_000)).unwrap();
        desk.arrive(DAY, "g2", &guest("12:00", "王六"), &staff);
        let v = desk.view(
            DAY,
            &VisitFilter::default(),
            "2026-11-23 12:10",
            Some(Role::Staff),
        );
        assert_eq!(v.signatures.len(), 1);
        assert_eq!(v.review.as_ref().map(|r| r.visits), Some(1));
        let flagged: Vec<&str> = v
            .day
            .iter()
            .filter(|r| r.after_signing)
            .map(|r| r.id.as_str())
            .collect();
        assert_eq!(flagged, ["g2"]);

        // Search across days, days not yet received skipped.
        let empty = Automerge::new();
        let visits: Vec<Vec<Visit>> = desk
            .days
            .values()
            .chain([&empty])
            .filter_map(visits_of)
            .collect();
        let days: Vec<&[Visit]> = visits.iter().map(Vec::as_slice).collect();
        let found = search(
            &days,
            &VisitFilter {
                name: Some("王".into()),
                ..VisitFilter::default()
            },
            LocalDateTime::parse("2026-11-23 12:10").unwrap(),
            DAY,
            None,
            Lang::Zh,
        );
        assert_eq!(found.len(), 1);
        for c in Category::ALL {
            assert_eq!(parse_category(c.as_str()), Some(c));
        }
        for s in STATUSES {
            assert_eq!(parse_status(s.as_str()), Some(s));
        }
    }
}
