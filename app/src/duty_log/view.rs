//! What the duty-log screen (《值班记录表》) shows of one service day, and
//! its two forms: the quick entry (event type one tap away, time and post
//! prefilled) and the correction (an amendment with a required reason).
//! Rows come in time order with every field's current value, the original
//! and each amendment when corrected, and both values with who set them
//! when concurrent corrections disagree. Plain data, unit-tested.

use crate::duty_log::words::Words;
use crate::words::i18n::Msg;
use automerge::Automerge;
use shiftbook_model::duty_log::{
    self, AfterSigning, AmendmentEntry, Correction, Draft, DutyEntry, DutyLog, EntryFilter,
    EntryState, EventType, Field, FieldState,
};
use shiftbook_model::followup::Who;
use shiftbook_model::roster::Role;
use shiftbook_model::signature::Signature;
use shiftbook_model::{Lang, ModelError};
use std::collections::{BTreeMap, BTreeSet};

/// An event type's name.
pub fn event_type(lang: Lang, k: EventType) -> &'static str {
    let (zh, en) = match k {
        EventType::Patrol => ("巡查", "Patrol"),
        EventType::Visitor => ("来访", "Visitor"),
        EventType::Delivery => ("快递/送货", "Delivery"),
        EventType::Repair => ("报修", "Repair"),
        EventType::Complaint => ("投诉/求助", "Complaint"),
        EventType::Alarm => ("报警/火警", "Alarm"),
        EventType::Security => ("治安", "Security"),
        EventType::Facilities => ("环境/设施", "Facilities"),
        EventType::Handover => ("交接班", "Hand-over"),
        EventType::Other => ("其他", "Other"),
    };
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// The event type stored as `s`.
pub fn parse_event_type(s: &str) -> Option<EventType> {
    EventType::ALL.into_iter().find(|k| k.as_str() == s)
}

/// A field's name.
pub fn field_name(lang: Lang, f: Field) -> &'static str {
    match f {
        Field::Occurred => Msg::Time.text(lang),
        Field::Post => Words::DutyPost.text(lang),
        Field::Kind => Words::DutyKind.text(lang),
        Field::Event => Msg::Event.text(lang),
        Field::Action => Words::DutyAction.text(lang),
        Field::Result => Words::DutyResult.text(lang),
    }
}

/// An entry state's name.
pub fn state_name(lang: Lang, s: EntryState) -> &'static str {
    match s {
        EntryState::AsWritten => Words::DutyAsWritten.text(lang),
        EntryState::Amended => Words::DutyAmended.text(lang),
        EntryState::Conflict => Msg::ConflictTitle.text(lang),
    }
}

/// What came after the day's latest review.
pub fn after_signing(lang: Lang, recorded: usize, amended: usize) -> String {
    match lang {
        Lang::Zh => format!("签字后新增 {recorded} 条、更正 {amended} 条"),
        Lang::En => format!("After the signature: {recorded} recorded, {amended} corrected"),
    }
}

/// The stored word of a state (filters, test hooks).
pub fn state_key(s: EntryState) -> &'static str {
    match s {
        EntryState::AsWritten => "as-written",
        EntryState::Amended => "amended",
        EntryState::Conflict => "conflict",
    }
}

/// The state stored as `s`.
pub fn parse_state(s: &str) -> Option<EntryState> {
    [
        EntryState::AsWritten,
        EntryState::Amended,
        EntryState::Conflict,
    ]
    .into_iter()
    .find(|k| state_key(*k) == s)
}

/// What the signed-in person may do on the duty log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Permissions {
    /// Record entries.
    pub record: bool,
    /// Correct entries (amendments are visible, so anyone signed in may).
    pub amend: bool,
    /// Sign the day as its daily review.
    pub sign: bool,
}

impl Permissions {
    /// For the person signed in with `role` (`None`: nobody).
    pub fn of(role: Option<Role>) -> Self {
        Self {
            record: role.is_some(),
            amend: role.is_some(),
            sign: matches!(role, Some(Role::Leader | Role::Supervisor)),
        }
    }
}

/// The post a new entry starts with: the person's first post, the
/// supervisors' desk for a supervisor without one, else the lobby.
pub fn default_post(person_posts: &[String], role: Option<Role>) -> String {
    match (person_posts.first(), role) {
        (Some(p), _) => p.clone(),
        (None, Some(Role::Supervisor)) => "supervisor".to_owned(),
        (None, _) => "lobby".to_owned(),
    }
}

/// A value as shown, with the value as stored (for the correction form).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    /// In words: `21:05`, `02:15 (次日)`, `大堂岗`, `巡查`, the text.
    pub text: String,
    /// As stored: the clock time `HH:MM`, the post id, the type's word,
    /// the text.
    pub raw: String,
}

/// One of the values concurrent corrections disagree on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// The value.
    pub value: Shown,
    /// Who set it (the original's writer when it is the original).
    pub by: Who,
}

/// One field of a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldView {
    /// Which field.
    pub field: Field,
    /// The current value; `None` while corrections disagree.
    pub value: Option<Shown>,
    /// The values corrections disagree on, with who set each; empty when
    /// settled.
    pub conflict: Vec<Choice>,
    /// Whether a correction set it.
    pub amended: bool,
}

/// One correction of an entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmendmentLine {
    /// The corrected fields and their new values, in form order.
    pub changes: Vec<(Field, Shown)>,
    /// Why.
    pub reason: String,
    /// Who corrected it, on which device, when.
    pub by: Who,
}

/// One entry of the day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryRow {
    /// The entry id.
    pub id: String,
    /// The fields in form order: time, post, type, event, action, result.
    pub fields: Vec<FieldView>,
    /// As written, amended, or in conflict.
    pub state: EntryState,
    /// Who recorded it, on which device, when.
    pub recorded_by: Who,
    /// When corrected: the original's values of every corrected field.
    pub original: Vec<(Field, Shown)>,
    /// Every correction, in list order.
    pub amendments: Vec<AmendmentLine>,
    /// Entries recorded concurrently under the same id (never dropped):
    /// what happened and who recorded it.
    pub duplicates: Vec<(String, Who)>,
    /// Recorded after (or unseen by) the latest daily review.
    pub recorded_after_signing: bool,
    /// Corrected after (or unseen by) the latest daily review.
    pub amended_after_signing: bool,
}

impl EntryRow {
    /// The field `f`.
    pub fn field(&self, f: Field) -> Option<&FieldView> {
        self.fields.iter().find(|v| v.field == f)
    }

    /// The current value of `f` as shown, or the disagreeing values joined
    /// with " / ".
    pub fn text(&self, f: Field) -> String {
        match self.field(f) {
            Some(FieldView { value: Some(v), .. }) => v.text.clone(),
            Some(v) => v
                .conflict
                .iter()
                .map(|c| c.value.text.clone())
                .collect::<Vec<_>>()
                .join(" / "),
            None => String::new(),
        }
    }
}

/// What the latest daily review does not cover.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewView {
    /// The latest signature.
    pub signature: Signature,
    /// Entries recorded after it.
    pub recorded: usize,
    /// Entries corrected after it.
    pub amended: usize,
}

/// The day's screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DutyDayView {
    /// The service day.
    pub date: String,
    /// The entries the filter passes, in time order.
    pub rows: Vec<EntryRow>,
    /// Every entry of the day.
    pub total: usize,
    /// The posts of the day's entries, for the filter.
    pub posts: Vec<String>,
    /// Everyone who recorded or corrected an entry: (roster id, name).
    pub people: Vec<(String, String)>,
    /// Every daily review, in list order.
    pub signatures: Vec<Signature>,
    /// What came after the latest one.
    pub review: Option<ReviewView>,
}

fn shown(lang: Lang, date: &str, f: Field, raw: &str) -> Shown {
    let text = match f {
        Field::Occurred => {
            let (clock, next) = crate::core::service_day::clock_of(date, raw);
            if next {
                format!("{clock} ({})", Words::NextMorning.text(lang))
            } else {
                clock
            }
        }
        Field::Post => crate::words::i18n::post(lang, raw),
        Field::Kind => {
            parse_event_type(raw).map_or_else(|| raw.to_owned(), |k| event_type(lang, k).to_owned())
        }
        _ => raw.to_owned(),
    };
    let raw = match f {
        Field::Occurred => crate::core::service_day::clock_of(date, raw).0,
        _ => raw.to_owned(),
    };
    Shown { text, raw }
}

/// `s`, or "(空)" when the text is blank: in the original, corrections
/// and disagreeing values, where a blank value is news.
fn marked_blank(lang: Lang, s: Shown) -> Shown {
    if s.text.is_empty() {
        Shown {
            text: Words::DutyBlank.text(lang).to_owned(),
            raw: s.raw,
        }
    } else {
        s
    }
}

/// The stored value of `f` in a correction, if it sets it.
fn corrected(c: &Correction, f: Field) -> Option<String> {
    match f {
        Field::Occurred => c.occurred.clone(),
        Field::Post => c.post.clone(),
        Field::Kind => c.kind.map(|k| k.as_str().to_owned()),
        Field::Event => c.event.clone(),
        Field::Action => c.action.clone(),
        Field::Result => c.result.clone(),
    }
}

fn field_view<T>(
    lang: Lang,
    f: Field,
    state: &FieldState<T>,
    recorded_by: &Who,
    show: impl Fn(&T) -> Shown,
) -> FieldView {
    let who = |from: &Option<Box<AmendmentEntry>>| {
        from.as_ref()
            .map_or_else(|| recorded_by.clone(), |a| a.amendment.by.clone())
    };
    match state {
        FieldState::Settled(c) => FieldView {
            field: f,
            value: Some(show(&c.value)),
            conflict: Vec::new(),
            amended: c.from.is_some(),
        },
        FieldState::Conflict(cs) => FieldView {
            field: f,
            value: None,
            conflict: cs
                .iter()
                .map(|c| Choice {
                    value: marked_blank(lang, show(&c.value)),
                    by: who(&c.from),
                })
                .collect(),
            amended: true,
        },
    }
}

impl EntryRow {
    /// The row of `entry` of service day `date`; `review` says which
    /// entries were recorded and which corrected after the latest review.
    fn build(entry: &DutyEntry, date: &str, lang: Lang, review: Option<&AfterSigning>) -> Self {
        let by = entry.recorded_by();
        let text = |f| move |v: &String| shown(lang, date, f, v);
        let fields = vec![
            field_view(
                lang,
                Field::Occurred,
                &entry.occurred,
                by,
                text(Field::Occurred),
            ),
            field_view(lang, Field::Post, &entry.post, by, text(Field::Post)),
            field_view(lang, Field::Kind, &entry.kind, by, |k| {
                shown(lang, date, Field::Kind, k.as_str())
            }),
            field_view(lang, Field::Event, &entry.event, by, text(Field::Event)),
            field_view(lang, Field::Action, &entry.action, by, text(Field::Action)),
            field_view(lang, Field::Result, &entry.result, by, text(Field::Result)),
        ];
        let amendments: Vec<AmendmentLine> = entry
            .amendments
            .iter()
            .map(|a| {
                let c = &a.amendment.correction;
                AmendmentLine {
                    changes: c
                        .fields()
                        .into_iter()
                        .filter_map(|f| {
                            corrected(c, f)
                                .map(|v| (f, marked_blank(lang, shown(lang, date, f, &v))))
                        })
                        .collect(),
                    reason: a.amendment.reason.clone(),
                    by: a.amendment.by.clone(),
                }
            })
            .collect();
        let touched: BTreeSet<Field> = entry
            .amendments
            .iter()
            .flat_map(|a| a.amendment.correction.fields())
            .collect();
        let o = &entry.original;
        let original = touched
            .into_iter()
            .map(|f| {
                let raw = match f {
                    Field::Occurred => o.occurred.clone(),
                    Field::Post => o.post.clone(),
                    Field::Kind => o.kind.as_str().to_owned(),
                    Field::Event => o.event.clone(),
                    Field::Action => o.action.clone(),
                    Field::Result => o.result.clone(),
                };
                (f, marked_blank(lang, shown(lang, date, f, &raw)))
            })
            .collect();
        Self {
            id: entry.id.clone(),
            fields,
            state: entry.state(),
            recorded_by: by.clone(),
            original,
            amendments,
            duplicates: entry
                .duplicates
                .iter()
                .map(|d| (d.event.clone(), d.by.clone()))
                .collect(),
            recorded_after_signing: review.is_some_and(|r| r.recorded.contains(&entry.id)),
            amended_after_signing: review.is_some_and(|r| r.amended.contains(&entry.id)),
        }
    }
}

impl DutyDayView {
    /// The day `date` from its document (`None`, or a document not yet
    /// received, is a day without entries), filtered by `filter`.
    pub fn build(
        doc: Option<&Automerge>,
        date: &str,
        filter: &EntryFilter,
        lang: Lang,
    ) -> Result<Self, ModelError> {
        let Some(day) = doc.filter(|d| !d.get_heads().is_empty()) else {
            return Ok(Self {
                date: date.to_owned(),
                rows: Vec::new(),
                total: 0,
                posts: Vec::new(),
                people: Vec::new(),
                signatures: Vec::new(),
                review: None,
            });
        };
        let log = DutyLog::new(day)?;
        let entries = log.entries()?;
        let review = log.review()?;
        let mut posts = BTreeSet::new();
        let mut people = BTreeMap::new();
        for e in &entries {
            posts.extend(e.post.values().cloned());
            people.insert(
                e.original.by.person_id.clone(),
                e.original.by.person.clone(),
            );
            for a in &e.amendments {
                people.insert(
                    a.amendment.by.person_id.clone(),
                    a.amendment.by.person.clone(),
                );
            }
        }
        let rows = entries
            .iter()
            .filter(|e| filter.matches(e))
            .map(|e| EntryRow::build(e, date, lang, review.as_ref()))
            .collect();
        Ok(Self {
            date: date.to_owned(),
            rows,
            total: entries.len(),
            posts: posts.into_iter().collect(),
            people: people.into_iter().collect(),
            signatures: log.signatures()?,
            review: review.map(|r| ReviewView {
                recorded: r.recorded.len(),
                amended: r.amended.len(),
                signature: r.signature,
            }),
        })
    }
}

/// The entries of several days (documents not yet received are skipped)
/// that `filter` passes, in time order across days: (service day, row).
pub fn search(
    days: &[&Automerge],
    filter: &EntryFilter,
    lang: Lang,
) -> Result<Vec<(String, EntryRow)>, ModelError> {
    let held: Vec<&Automerge> = days
        .iter()
        .copied()
        .filter(|d| !d.get_heads().is_empty())
        .collect();
    Ok(duty_log::search(&held, filter)?
        .into_iter()
        .map(|d| {
            let row = EntryRow::build(&d.entry, &d.date, lang, None);
            (d.date, row)
        })
        .collect())
}

/// Why a form cannot be saved yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormProblem {
    /// No event type picked.
    NoKind,
    /// The time is not `HH:MM`.
    BadTime,
    /// No post.
    NoPost,
    /// What happened is blank.
    NoEvent,
    /// A text holds what looks like a full ID number.
    IdNumber,
    /// A correction without a reason.
    NoReason,
    /// A correction that changes nothing.
    NothingCorrected,
}

impl FormProblem {
    /// The problem in words.
    pub fn text(self, lang: Lang) -> &'static str {
        match self {
            FormProblem::NoKind => Words::DutyPickKind.text(lang),
            FormProblem::BadTime => Msg::DutyBadTime.text(lang),
            FormProblem::NoPost => Words::DutyNoPost.text(lang),
            FormProblem::NoEvent => Words::DutyNoEvent.text(lang),
            FormProblem::IdNumber => Msg::NoFullIdNumber.text(lang),
            FormProblem::NoReason => Words::DutyNoReason.text(lang),
            FormProblem::NothingCorrected => Msg::DutyNothingCorrected.text(lang),
        }
    }
}

fn texts_ok<'a>(texts: impl IntoIterator<Item = &'a str>) -> Result<(), FormProblem> {
    if texts
        .into_iter()
        .any(shiftbook_model::free_text::has_id_number)
    {
        Err(FormProblem::IdNumber)
    } else {
        Ok(())
    }
}

/// The quick entry at the top of the screen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EntryForm {
    /// The event type tapped.
    pub kind: Option<EventType>,
    /// When it happened, `HH:MM` on the service day (before 06:00: the
    /// night after).
    pub clock: String,
    /// The post.
    pub post: String,
    /// What happened.
    pub event: String,
    /// The action taken.
    pub action: String,
    /// The result.
    pub result: String,
}

impl EntryForm {
    /// A fresh form: now, at `post`.
    pub fn new(clock: String, post: String) -> Self {
        Self {
            clock,
            post,
            ..Self::default()
        }
    }

    /// The entry to record in the log of service day `date` under `id`.
    pub fn draft(&self, date: &str, id: String) -> Result<Draft, FormProblem> {
        let kind = self.kind.ok_or(FormProblem::NoKind)?;
        let occurred = crate::core::service_day::at(date, &self.clock)
            .map_err(|_| FormProblem::BadTime)?
            .to_string();
        if !shiftbook_model::ids::is_key(self.post.trim()) {
            return Err(FormProblem::NoPost);
        }
        if self.event.trim().is_empty() {
            return Err(FormProblem::NoEvent);
        }
        texts_ok([
            self.event.as_str(),
            self.action.as_str(),
            self.result.as_str(),
        ])?;
        Ok(Draft {
            id,
            occurred,
            post: self.post.trim().to_owned(),
            kind,
            event: self.event.clone(),
            action: self.action.clone(),
            result: self.result.clone(),
        })
    }
}

/// The correction of one entry: the fields the person changed (stored
/// forms) and why. Untouched fields stay as they are; a field in conflict
/// is settled only by a value the person gives or picks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AmendForm {
    /// The fields changed, stored forms (time as `HH:MM`, post id, type
    /// word).
    pub changed: BTreeMap<Field, String>,
    /// Why (required).
    pub reason: String,
}

impl AmendForm {
    /// What the form shows in field `f` of `row`: the value given, else
    /// the current one (empty while in conflict).
    pub fn value(&self, row: &EntryRow, f: Field) -> String {
        self.changed.get(&f).cloned().unwrap_or_else(|| {
            row.field(f)
                .and_then(|v| v.value.as_ref())
                .map(|v| v.raw.clone())
                .unwrap_or_default()
        })
    }

    /// The correction of `row` (of service day `date`) and the reason.
    pub fn correction(
        &self,
        row: &EntryRow,
        date: &str,
    ) -> Result<(Correction, String), FormProblem> {
        let given = |f: Field| -> Option<String> {
            let v = self.changed.get(&f)?;
            let current = row.field(f).and_then(|c| c.value.as_ref()).map(|c| &c.raw);
            (current != Some(v)).then(|| v.clone())
        };
        let occurred = given(Field::Occurred)
            .map(|clock| {
                crate::core::service_day::at(date, &clock)
                    .map(|t| t.to_string())
                    .map_err(|_| FormProblem::BadTime)
            })
            .transpose()?;
        let post = given(Field::Post).map(|p| p.trim().to_owned());
        if post
            .as_deref()
            .is_some_and(|p| !shiftbook_model::ids::is_key(p))
        {
            return Err(FormProblem::NoPost);
        }
        let kind = given(Field::Kind)
            .map(|k| parse_event_type(&k).ok_or(FormProblem::NoKind))
            .transpose()?;
        let event = given(Field::Event);
        if event.as_deref().is_some_and(|e| e.trim().is_empty()) {
            return Err(FormProblem::NoEvent);
        }
        let correction = Correction {
            occurred,
            post,
            kind,
            event,
            action: given(Field::Action),
            result: given(Field::Result),
        };
        texts_ok(
            [&correction.event, &correction.action, &correction.result]
                .into_iter()
                .flatten()
                .map(String::as_str)
                .chain([self.reason.as_str()]),
        )?;
        if correction.is_empty() {
            return Err(FormProblem::NothingCorrected);
        }
        if self.reason.trim().is_empty() {
            return Err(FormProblem::NoReason);
        }
        Ok((correction, self.reason.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::words::i18n::shown_of;
    use automerge::ActorId;
    use shiftbook_model::attribution::Attribution;

    const DATE: &str = "2026-11-23";

    fn by(person: &str, role: Role, at_ms: i64) -> Attribution {
        Attribution {
            person_id: person.into(),
            person: format!("{person}-name"),
            role,
            device: format!("{person}-tablet"),
            at_ms,
        }
    }

    fn day(actor: u8) -> Automerge {
        let mut d = duty_log::genesis("demo", DATE).unwrap();
        d.set_actor(ActorId::from(vec![actor; 16]));
        d
    }

    fn form(kind: EventType, clock: &str, event: &str) -> EntryForm {
        EntryForm {
            kind: Some(kind),
            event: event.into(),
            ..EntryForm::new(clock.into(), "lobby".into())
        }
    }

    fn record(doc: &mut Automerge, id: &str, f: &EntryForm, who: &Attribution) {
        duty_log::record(doc, &f.draft(DATE, id.into()).unwrap(), who).unwrap();
    }

    #[test]
    fn the_quick_entry_needs_a_type_a_time_and_what_happened() {
        let ok = form(EventType::Patrol, "02:15", "B2 车库巡查正常");
        let d = ok.draft(DATE, "e1".into()).unwrap();
        assert_eq!(d.occurred, "2026-11-24 02:15", "the night after");
        assert_eq!((d.post.as_str(), d.kind), ("lobby", EventType::Patrol));
        let problems = [
            (
                EntryForm {
                    kind: None,
                    ..ok.clone()
                },
                FormProblem::NoKind,
            ),
            (
                EntryForm {
                    clock: "2:15".into(),
                    ..ok.clone()
                },
                FormProblem::BadTime,
            ),
            (
                EntryForm {
                    post: "大堂".into(),
                    ..ok.clone()
                },
                FormProblem::NoPost,
            ),
            (
                EntryForm {
                    event: "  ".into(),
                    ..ok.clone()
                },
                FormProblem::NoEvent,
            ),
            (
                EntryForm {
                    action: "登记证件 110101 19900307 1234".into(),
                    ..ok.clone()
                },
                FormProblem::IdNumber,
            ),
        ];
        for (f, p) in problems {
            assert_eq!(f.draft(DATE, "e1".into()), Err(p), "{f:?}");
            assert!(!p.text(Lang::Zh).is_empty());
        }
    }

    #[test]
    fn rows_interleave_by_time_and_corrections_keep_the_original() {
        let mut a = day(1);
        let mut b = day(2);
        b.merge(&mut a.clone()).unwrap();
        let zhang = by("zhang", Role::Staff, 1_000);
        let wang = by("wang", Role::Staff, 1_100);
        record(
            &mut a,
            "a1",
            &form(EventType::Patrol, "21:00", "巡查 B1"),
            &zhang,
        );
        record(
            &mut b,
            "b1",
            &form(EventType::Delivery, "21:30", "快递 3栋"),
            &wang,
        );
        record(
            &mut a,
            "a2",
            &form(EventType::Alarm, "01:10", "烟感报警"),
            &zhang,
        );
        record(
            &mut b,
            "b2",
            &form(EventType::Repair, "22:00", "电梯故障"),
            &wang,
        );
        a.merge(&mut b.clone()).unwrap();
        b.merge(&mut a.clone()).unwrap();
        let v = DutyDayView::build(Some(&a), DATE, &EntryFilter::default(), Lang::Zh).unwrap();
        let ids: Vec<&str> = v.rows.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["a1", "b1", "b2", "a2"], "by time, the night last");
        assert_eq!(
            v,
            DutyDayView::build(Some(&b), DATE, &EntryFilter::default(), Lang::Zh).unwrap()
        );
        assert_eq!(v.rows[3].text(Field::Occurred), "01:10 (次日)");
        assert_eq!(v.rows[0].text(Field::Post), "大堂岗");
        assert_eq!(v.rows[0].text(Field::Kind), "巡查");
        assert_eq!(v.people.len(), 2);
        assert_eq!(v.posts, ["lobby"]);

        // A correction of the result, with its reason: the original stays.
        let row = v.rows[2].clone();
        let mut fix = AmendForm::default();
        assert_eq!(fix.value(&row, Field::Occurred), "22:00");
        assert_eq!(
            fix.correction(&row, DATE),
            Err(FormProblem::NothingCorrected)
        );
        fix.changed.insert(Field::Result, "已修复".into());
        fix.changed.insert(Field::Event, "电梯故障".into());
        assert_eq!(fix.correction(&row, DATE), Err(FormProblem::NoReason));
        fix.reason = "维修完成".into();
        let (c, reason) = fix.correction(&row, DATE).unwrap();
        assert_eq!(c.fields(), [Field::Result], "unchanged fields left out");
        let li = by("li", Role::Leader, 2_000);
        duty_log::amend(&mut a, "b2", &c, &reason, &li).unwrap();
        let v = DutyDayView::build(Some(&a), DATE, &EntryFilter::default(), Lang::Zh).unwrap();
        let row = v.rows.iter().find(|r| r.id == "b2").unwrap();
        assert_eq!(row.state, EntryState::Amended);
        assert_eq!(row.text(Field::Result), "已修复");
        assert!(row.field(Field::Result).unwrap().amended);
        assert_eq!(row.original.len(), 1);
        assert_eq!(row.original[0].0, Field::Result);
        assert_eq!(row.original[0].1.text, "(空)", "a blank original said so");
        assert_eq!(row.original[0].1.raw, "");
        assert_eq!(row.amendments[0].reason, "维修完成");
        assert_eq!(row.amendments[0].by.person, "li-name");
        assert_eq!(row.recorded_by.person, "wang-name");
    }

    #[test]
    fn concurrent_corrections_show_both_values_and_who_until_settled() {
        let mut a = day(1);
        let zhang = by("zhang", Role::Staff, 1_000);
        record(
            &mut a,
            "e1",
            &form(EventType::Repair, "09:00", "水管漏水"),
            &zhang,
        );
        let mut b = day(2);
        b.merge(&mut a.clone()).unwrap();
        let c = |r: &str| Correction {
            result: Some(r.into()),
            ..Correction::default()
        };
        duty_log::amend(
            &mut a,
            "e1",
            &c("已关阀"),
            "补记",
            &by("zhang", Role::Staff, 2_000),
        )
        .unwrap();
        duty_log::amend(
            &mut b,
            "e1",
            &c("已报修"),
            "补记",
            &by("li", Role::Leader, 2_100),
        )
        .unwrap();
        a.merge(&mut b).unwrap();
        let v = DutyDayView::build(Some(&a), DATE, &EntryFilter::default(), Lang::En).unwrap();
        let row = &v.rows[0];
        assert_eq!(row.state, EntryState::Conflict);
        let result = row.field(Field::Result).unwrap();
        assert_eq!(result.value, None);
        let mut seen: Vec<(String, String)> = result
            .conflict
            .iter()
            .map(|c| (c.value.text.clone(), c.by.person.clone()))
            .collect();
        seen.sort();
        assert_eq!(
            seen,
            [
                ("已关阀".to_owned(), "zhang-name".to_owned()),
                ("已报修".to_owned(), "li-name".to_owned())
            ]
        );
        assert!(row.text(Field::Result).contains(" / "));
        // The form never settles a conflict silently: untouched, it
        // corrects nothing; a value picked settles it.
        let mut fix = AmendForm {
            reason: "核实".into(),
            ..AmendForm::default()
        };
        assert_eq!(fix.value(row, Field::Result), "");
        assert_eq!(
            fix.correction(row, DATE),
            Err(FormProblem::NothingCorrected)
        );
        fix.changed.insert(Field::Result, "已关阀并报修".into());
        let (c, _) = fix.correction(row, DATE).unwrap();
        duty_log::amend(&mut a, "e1", &c, "核实", &by("li", Role::Leader, 3_000)).unwrap();
        let v = DutyDayView::build(Some(&a), DATE, &EntryFilter::default(), Lang::En).unwrap();
        assert_eq!(v.rows[0].state, EntryState::Amended);
        assert_eq!(v.rows[0].text(Field::Result), "已关阀并报修");
        assert_eq!(v.rows[0].amendments.len(), 3, "every correction listed");
    }

    #[test]
    fn filters_search_and_what_came_after_the_review() {
        let mut a = day(1);
        let zhang = by("zhang", Role::Staff, 1_000);
        record(
            &mut a,
            "e1",
            &form(EventType::Patrol, "08:00", "巡查大堂"),
            &zhang,
        );
        let mut f = form(EventType::Complaint, "10:00", "3栋1201 投诉噪音");
        f.post = "customer-service".into();
        record(&mut a, "e2", &f, &by("wang", Role::Staff, 1_100));
        let only = |filter: EntryFilter| -> Vec<String> {
            DutyDayView::build(Some(&a), DATE, &filter, Lang::Zh)
                .unwrap()
                .rows
                .into_iter()
                .map(|r| r.id)
                .collect()
        };
        assert_eq!(
            only(EntryFilter {
                post: Some("customer-service".into()),
                ..EntryFilter::default()
            }),
            ["e2"]
        );
        assert_eq!(
            only(EntryFilter {
                person: Some("zhang".into()),
                ..EntryFilter::default()
            }),
            ["e1"]
        );
        assert_eq!(
            only(EntryFilter {
                kind: Some(EventType::Complaint),
                ..EntryFilter::default()
            }),
            ["e2"]
        );
        assert_eq!(
            only(EntryFilter {
                text: Some("噪音".into()),
                ..EntryFilter::default()
            }),
            ["e2"]
        );
        let v = DutyDayView::build(Some(&a), DATE, &EntryFilter::default(), Lang::Zh).unwrap();
        assert_eq!((v.total, v.review.clone()), (2, None));

        // The leader signs; an entry and a correction after it show as such.
        let li = by("li", Role::Leader, 5_000);
        duty_log::sign_day(&mut a, &li).unwrap();
        record(
            &mut a,
            "e3",
            &form(EventType::Other, "11:00", "补记"),
            &zhang,
        );
        duty_log::amend(
            &mut a,
            "e1",
            &Correction {
                result: Some("正常".into()),
                ..Correction::default()
            },
            "补结果",
            &by("zhang", Role::Staff, 6_000),
        )
        .unwrap();
        let v = DutyDayView::build(Some(&a), DATE, &EntryFilter::default(), Lang::Zh).unwrap();
        let review = v.review.clone().unwrap();
        assert_eq!((review.recorded, review.amended), (1, 1));
        assert_eq!(review.signature.person, "li-name");
        let e3 = v.rows.iter().find(|r| r.id == "e3").unwrap();
        assert!(e3.recorded_after_signing);
        let e1 = v.rows.iter().find(|r| r.id == "e1").unwrap();
        assert!(!e1.recorded_after_signing && e1.amended_after_signing);

        // Across days, days not yet received skipped.
        let mut other = duty_log::genesis("demo", "2026-11-24").unwrap();
        duty_log::record(
            &mut other,
            &Draft {
                id: "n1".into(),
                occurred: "2026-11-24 09:00".into(),
                post: "lobby".into(),
                kind: EventType::Complaint,
                event: "噪音 again".into(),
                action: String::new(),
                result: String::new(),
            },
            &zhang,
        )
        .unwrap();
        let empty = Automerge::new();
        let found = search(
            &[&other, &empty, &a],
            &EntryFilter {
                text: Some("噪音".into()),
                ..EntryFilter::default()
            },
            Lang::Zh,
        )
        .unwrap();
        let found: Vec<(&str, &str)> = found
            .iter()
            .map(|(d, r)| (d.as_str(), r.id.as_str()))
            .collect();
        assert_eq!(found, [(DATE, "e2"), ("2026-11-24", "n1")]);
        let none =
            DutyDayView::build(Some(&empty), DATE, &EntryFilter::default(), Lang::Zh).unwrap();
        assert_eq!(none.total, 0);
    }

    #[test]
    fn leaders_and_supervisors_sign_everyone_signed_in_records() {
        assert_eq!(
            Permissions::of(None),
            Permissions {
                record: false,
                amend: false,
                sign: false
            }
        );
        assert!(!Permissions::of(Some(Role::Staff)).sign);
        assert!(Permissions::of(Some(Role::Staff)).record);
        assert!(Permissions::of(Some(Role::Leader)).sign);
        assert!(Permissions::of(Some(Role::Supervisor)).sign);
        assert_eq!(
            default_post(&["show-flat".into()], Some(Role::Staff)),
            "show-flat"
        );
        assert_eq!(default_post(&[], Some(Role::Supervisor)), "supervisor");
        assert_eq!(default_post(&[], Some(Role::Staff)), "lobby");
        for k in EventType::ALL {
            assert_eq!(parse_event_type(k.as_str()), Some(k));
            assert_ne!(event_type(Lang::Zh, k), event_type(Lang::En, k));
        }
        assert_eq!(shown_of(Lang::Zh, 3, 5), "显示 3 / 共 5 条");
        assert_eq!(
            after_signing(Lang::En, 1, 2),
            "After the signature: 1 recorded, 2 corrected"
        );
        for s in [
            EntryState::AsWritten,
            EntryState::Amended,
            EntryState::Conflict,
        ] {
            assert_eq!(parse_state(state_key(s)), Some(s));
        }
    }
}
