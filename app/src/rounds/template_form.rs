//! The supervisor's form for a checklist template: plain data and the
//! conversion to and from [`Template`], unit-tested without a browser. The
//! page (`templates_desk.rs`) only renders it.

use crate::rounds::words::Words;
use crate::words::error_text::{model_error, schedule_error};
use crate::words::i18n::Msg;
use crate::words::i18n::Text;
use shiftbook_model::Lang;
use shiftbook_model::followup::Department;
use shiftbook_model::schedule::{MinuteOfDay, Schedule, Weekday, Weekdays};
use shiftbook_model::template::{Bilingual, Template, TemplateItem};

/// Which kind of schedule the form edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ScheduleKind {
    /// Started by hand when needed.
    #[default]
    None,
    /// At fixed times.
    Fixed,
    /// Every N minutes in a window.
    Every,
    /// N times a day in a window.
    TimesPerDay,
    /// Once a month.
    Monthly,
}

impl ScheduleKind {
    /// Every kind, in the order the form offers them.
    pub const ALL: [ScheduleKind; 5] = [
        Self::None,
        Self::Fixed,
        Self::Every,
        Self::TimesPerDay,
        Self::Monthly,
    ];

    /// The form value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Fixed => "fixed",
            Self::Every => "every",
            Self::TimesPerDay => "times-per-day",
            Self::Monthly => "monthly",
        }
    }

    /// The kind a form value names.
    pub fn parse(s: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .unwrap_or_default()
    }
}

/// One item row of the form.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ItemForm {
    /// Stable id (marks are keyed by it).
    pub id: String,
    /// Area, Chinese.
    pub area_zh: String,
    /// Area, English.
    pub area_en: String,
    /// What to check, Chinese.
    pub label_zh: String,
    /// What to check, English.
    pub label_en: String,
    /// An × needs a note.
    pub note_required: bool,
    /// Who follows an × up.
    pub department: Option<Department>,
    /// Minutes after a checkpoint scan within which it may be marked
    /// (empty: no scan needed).
    pub scan_within: String,
}

/// What the supervisor typed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TemplateForm {
    /// Template id (kept for an existing template).
    pub id: String,
    /// Title, Chinese.
    pub title_zh: String,
    /// Title, English.
    pub title_en: String,
    /// The post walking it.
    pub post: String,
    /// Where it comes from in the procedures.
    pub source: String,
    /// Schedule kind.
    pub kind: ScheduleKind,
    /// Fixed: times, `HH:MM` separated by commas or spaces.
    pub times: String,
    /// Every: minutes between rounds.
    pub every_minutes: String,
    /// Times per day: how many.
    pub count: String,
    /// Window start (every, times per day) or time (monthly), `HH:MM`.
    pub from: String,
    /// Window end, `HH:MM`.
    pub to: String,
    /// Monthly: day of the month.
    pub day_of_month: String,
    /// Weekdays it runs on.
    pub days: Weekdays,
    /// Grace minutes (empty: the kind's default).
    pub grace: String,
    /// The items, in walking order.
    pub items: Vec<ItemForm>,
    /// In use.
    pub active: bool,
    /// Seconds a guard needs at least between two checkpoints (empty: no
    /// pace checked).
    pub min_walk: String,
}

/// Why the form cannot be saved: a short reason for the supervisor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormError(pub String);

/// The field labelled `what` (in `lang`) holds a time of day.
fn time(s: &str, what: &str, lang: Lang) -> Result<MinuteOfDay, FormError> {
    MinuteOfDay::parse(s.trim()).map_err(|_| {
        FormError(match lang {
            Lang::Zh => format!("{what}:请用 时:分(如 08:30)"),
            Lang::En => format!("{what}: use HH:MM (e.g. 08:30)"),
        })
    })
}

/// The field labelled `what` (in `lang`) holds a number.
fn number<T: std::str::FromStr>(s: &str, what: &str, lang: Lang) -> Result<T, FormError> {
    s.trim().parse().map_err(|_| {
        FormError(match lang {
            Lang::Zh => format!("{what}:请填写数字"),
            Lang::En => format!("{what}: enter a number"),
        })
    })
}

/// The field labelled `what` holds a number or nothing.
fn optional_number<T: std::str::FromStr>(
    s: &str,
    what: &str,
    lang: Lang,
) -> Result<Option<T>, FormError> {
    if s.trim().is_empty() {
        Ok(None)
    } else {
        number(s, what, lang).map(Some)
    }
}

fn scan_window_words(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "扫码后几分钟内可打勾",
        Lang::En => "Minutes after a scan",
    }
}

fn min_walk_words(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "两个巡更点间最短步行秒数",
        Lang::En => "Least seconds between checkpoints",
    }
}

impl TemplateForm {
    /// The areas the items are in (Chinese name), each once, in walking
    /// order; blank areas left out.
    pub fn areas(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for i in &self.items {
            let a = i.area_zh.trim();
            if !a.is_empty() && !out.iter().any(|o| o == a) {
                out.push(a.to_owned());
            }
        }
        out
    }

    /// Gives every item of `area` the scan rule `within` (minutes, as typed;
    /// empty lifts the rule), so a whole area needs a scan without typing it
    /// into each row. Returns how many items it changed; the number is
    /// checked like any other when the form is saved.
    pub fn set_area_scan(&mut self, area: &str, within: &str) -> usize {
        let mut n = 0;
        for i in self
            .items
            .iter_mut()
            .filter(|i| i.area_zh.trim() == area.trim())
        {
            i.scan_within = within.trim().to_owned();
            n += 1;
        }
        n
    }

    /// A blank form for a new template with id `id`.
    pub fn new_template(id: String) -> Self {
        Self {
            id,
            days: Weekdays::ALL,
            items: vec![ItemForm::default()],
            active: true,
            ..Self::default()
        }
    }

    /// The form filled with `t`.
    pub fn of(t: &Template) -> Self {
        let mut f = Self {
            id: t.id.clone(),
            title_zh: t.title.zh.clone(),
            title_en: t.title.en.clone(),
            post: t.post.clone(),
            source: t.source.clone(),
            days: Weekdays::ALL,
            active: t.active,
            items: t
                .items
                .iter()
                .map(|i| ItemForm {
                    id: i.id.clone(),
                    area_zh: i.area.zh.clone(),
                    area_en: i.area.en.clone(),
                    label_zh: i.label.zh.clone(),
                    label_en: i.label.en.clone(),
                    note_required: i.note_required,
                    department: Some(i.department),
                    scan_within: i.scan_within_min.map(|m| m.to_string()).unwrap_or_default(),
                })
                .collect(),
            min_walk: t.min_walk_s.map(|s| s.to_string()).unwrap_or_default(),
            ..Self::default()
        };
        if let Some(s) = &t.schedule {
            f.days = s.days();
            f.grace = s.grace_minutes().to_string();
            match s {
                Schedule::Fixed { times, .. } => {
                    f.kind = ScheduleKind::Fixed;
                    f.times = times
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(", ");
                }
                Schedule::Every {
                    every_minutes,
                    from,
                    to,
                    ..
                } => {
                    f.kind = ScheduleKind::Every;
                    f.every_minutes = every_minutes.to_string();
                    f.from = from.to_string();
                    f.to = to.to_string();
                }
                Schedule::TimesPerDay {
                    count, from, to, ..
                } => {
                    f.kind = ScheduleKind::TimesPerDay;
                    f.count = count.to_string();
                    f.from = from.to_string();
                    f.to = to.to_string();
                }
                Schedule::Monthly {
                    day_of_month, at, ..
                } => {
                    f.kind = ScheduleKind::Monthly;
                    f.day_of_month = day_of_month.to_string();
                    f.from = at.to_string();
                }
            }
        }
        f
    }

    fn schedule(&self, lang: Lang) -> Result<Option<Schedule>, FormError> {
        let bad = |e: shiftbook_model::schedule::ScheduleError| FormError(schedule_error(lang, &e));
        let label = |m: Text| m.text(lang);
        let schedule = match self.kind {
            ScheduleKind::None => return Ok(None),
            ScheduleKind::Fixed => {
                let times = self
                    .times
                    .split([',', '，', ' '])
                    .filter(|t| !t.trim().is_empty())
                    .map(|t| time(t, label(Words::Times.into()), lang))
                    .collect::<Result<Vec<_>, _>>()?;
                Schedule::fixed(times).map_err(bad)?
            }
            ScheduleKind::Every => Schedule::every(
                number(&self.every_minutes, label(Words::EveryMinutes.into()), lang)?,
                time(&self.from, label(Msg::From.into()), lang)?,
                time(&self.to, label(Msg::To.into()), lang)?,
            )
            .map_err(bad)?,
            ScheduleKind::TimesPerDay => Schedule::times_per_day(
                number(&self.count, label(Words::TimesPerDay.into()), lang)?,
                time(&self.from, label(Msg::From.into()), lang)?,
                time(&self.to, label(Msg::To.into()), lang)?,
            )
            .map_err(bad)?,
            ScheduleKind::Monthly => Schedule::monthly(
                number(&self.day_of_month, label(Words::DayOfMonth.into()), lang)?,
                time(&self.from, label(Msg::From.into()), lang)?,
            )
            .map_err(bad)?,
        };
        let schedule = schedule.with_days(self.days).map_err(bad)?;
        let schedule = if self.grace.trim().is_empty() {
            schedule
        } else {
            schedule
                .with_grace(number(
                    &self.grace,
                    match lang {
                        Lang::Zh => "宽限(分钟)",
                        Lang::En => "Grace (minutes)",
                    },
                    lang,
                )?)
                .map_err(bad)?
        };
        Ok(Some(schedule))
    }

    /// The template to store; refused with a reason in `lang` when
    /// something is missing or wrong (the model's own validation
    /// included). Empty rows (no id and no label) are dropped.
    pub fn to_template(&self, lang: Lang) -> Result<Template, FormError> {
        let items = self
            .items
            .iter()
            .filter(|i| {
                !(i.id.trim().is_empty()
                    && i.label_zh.trim().is_empty()
                    && i.label_en.trim().is_empty())
            })
            .map(|i| {
                Ok(TemplateItem {
                    id: i.id.trim().to_owned(),
                    area: Bilingual::new(i.area_zh.trim(), i.area_en.trim()),
                    label: Bilingual::new(i.label_zh.trim(), i.label_en.trim()),
                    note_required: i.note_required,
                    department: i.department.unwrap_or(Department::Engineering),
                    scan_within_min: optional_number(
                        &i.scan_within,
                        scan_window_words(lang),
                        lang,
                    )?,
                })
            })
            .collect::<Result<Vec<_>, FormError>>()?;
        let t = Template {
            id: self.id.trim().to_owned(),
            title: Bilingual::new(self.title_zh.trim(), self.title_en.trim()),
            source: self.source.trim().to_owned(),
            post: self.post.trim().to_owned(),
            schedule: self.schedule(lang)?,
            items,
            active: self.active,
            min_walk_s: optional_number(&self.min_walk, min_walk_words(lang), lang)?,
        };
        t.validate().map_err(|e| FormError(model_error(lang, &e)))?;
        Ok(t)
    }

    /// Whether the schedule runs on `day`.
    pub fn runs_on(&self, day: Weekday) -> bool {
        self.days.contains(day)
    }
}

/// A new template's id from 4 random bytes.
pub fn new_template_id(random: [u8; 4]) -> String {
    let hex: String = random.iter().map(|b| format!("{b:02x}")).collect();
    format!("t-{hex}")
}

/// A schedule kind's name.
pub fn schedule_kind(lang: Lang, k: ScheduleKind) -> &'static str {
    match k {
        ScheduleKind::None => Words::KindNone.text(lang),
        ScheduleKind::Fixed => Words::KindFixed.text(lang),
        ScheduleKind::Every => Words::KindEvery.text(lang),
        ScheduleKind::TimesPerDay => Words::KindTimesPerDay.text(lang),
        ScheduleKind::Monthly => Words::KindMonthly.text(lang),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shiftbook_model::template::builtins;

    #[test]
    fn every_builtin_round_trips_through_the_form() {
        for t in builtins() {
            let back = TemplateForm::of(&t).to_template(Lang::En).unwrap();
            assert_eq!(back, t, "{}", t.id);
        }
    }

    #[test]
    fn checkpoint_rules_survive_an_edit_and_bad_numbers_are_said() {
        let mut t = builtins()[0].clone();
        t.items[0].scan_within_min = Some(10);
        t.min_walk_s = Some(45);
        let mut f = TemplateForm::of(&t);
        assert_eq!(
            (f.items[0].scan_within.as_str(), f.min_walk.as_str()),
            ("10", "45")
        );
        assert_eq!(f.to_template(Lang::Zh).unwrap(), t);
        f.min_walk = "快".into();
        assert!(
            f.to_template(Lang::Zh)
                .unwrap_err()
                .0
                .contains("最短步行秒数")
        );
        f.min_walk = " ".into();
        f.items[0].scan_within = String::new();
        let back = f.to_template(Lang::Zh).unwrap();
        assert_eq!(
            (back.items[0].scan_within_min, back.min_walk_s),
            (None, None)
        );
    }

    #[test]
    fn a_scan_rule_for_an_area_reaches_its_items_and_no_others() {
        let t = builtins()
            .into_iter()
            .find(|t| {
                let f = TemplateForm::of(t);
                f.areas().len() > 1
            })
            .unwrap();
        let mut f = TemplateForm::of(&t);
        let areas = f.areas();
        let first = areas[0].clone();
        let in_first = f.items.iter().filter(|i| i.area_zh == first).count();
        assert_eq!(f.set_area_scan(&first, " 15 "), in_first);
        let back = f.to_template(Lang::Zh).unwrap();
        for i in &back.items {
            let want = (i.area.zh == first).then_some(15);
            assert_eq!(i.scan_within_min, want, "{}", i.id);
        }
        assert_eq!(f.set_area_scan(&first, ""), in_first);
        assert!(
            f.to_template(Lang::Zh)
                .unwrap()
                .items
                .iter()
                .all(|i| i.scan_within_min.is_none())
        );
        assert_eq!(f.set_area_scan("没有这个区域", "5"), 0);
    }

    #[test]
    fn a_new_night_round_with_a_window_across_midnight() {
        let mut f = TemplateForm::new_template(new_template_id([1, 2, 3, 4]));
        assert_eq!(f.id, "t-01020304");
        f.title_zh = "车库夜巡".into();
        f.post = "security".into();
        f.kind = ScheduleKind::Every;
        f.every_minutes = "60".into();
        f.from = "22:00".into();
        f.to = "06:00".into();
        f.items = vec![
            ItemForm {
                id: "gate".into(),
                area_zh: "入口".into(),
                label_zh: "闸门关闭".into(),
                note_required: true,
                department: Some(Department::Security),
                ..ItemForm::default()
            },
            ItemForm::default(),
        ];
        let t = f.to_template(Lang::Zh).unwrap();
        assert_eq!(t.items.len(), 1, "the empty row is dropped");
        let slots = shiftbook_model::schedule::slots_on(
            t.schedule.as_ref().unwrap(),
            shiftbook_model::schedule::Date::parse("2026-11-25").unwrap(),
        )
        .unwrap();
        assert_eq!(slots.len(), 8);
    }

    #[test]
    fn mistakes_are_refused_with_a_reason() {
        let good = TemplateForm::of(&builtins()[1]);
        let mut f = good.clone();
        f.from = "25:00".into();
        assert!(f.to_template(Lang::En).unwrap_err().0.contains("From"));
        assert!(f.to_template(Lang::Zh).unwrap_err().0.starts_with("从:"));
        let mut f = good.clone();
        f.every_minutes = "often".into();
        assert!(f.to_template(Lang::En).is_err());
        let mut f = good.clone();
        f.items.iter_mut().for_each(|i| i.id = "same".into());
        let e = f.to_template(Lang::Zh).unwrap_err().0;
        assert!(e.contains("不重复的编号"), "duplicate item ids: {e}");
        let mut f = good.clone();
        f.days = Weekdays::NONE;
        let e = f.to_template(Lang::Zh).unwrap_err().0;
        assert_eq!(e, "请至少选择一周中的一天", "no weekday");
        let mut f = good;
        f.kind = ScheduleKind::Fixed;
        f.times = "08:00, 08:00".into();
        let e = f.to_template(Lang::Zh).unwrap_err().0;
        assert_eq!(e, "时间 08:00 重复了", "a time twice");
    }

    #[test]
    fn moving_items_keeps_them_all() {
        let mut f = TemplateForm::of(&builtins()[0]);
        let ids: Vec<String> = f.items.iter().map(|i| i.id.clone()).collect();
        crate::ui::row_actions::move_up(&mut f.items, 1);
        crate::ui::row_actions::move_up(&mut f.items, 0);
        crate::ui::row_actions::move_up(&mut f.items, 99);
        assert_eq!(f.items[0].id, ids[1]);
        assert_eq!(f.items[1].id, ids[0]);
        assert_eq!(f.items.len(), ids.len());
    }
}
