//! What the hand-over screens show (交接班): one book's day — its
//! hand-overs newest first with their state, equipment checks, refusals,
//! notes and signatures (and what each signature does not cover); the
//! book's pending items (遗留事项) that are open, carried forward from
//! earlier shifts and days, and those done that day; the day's alerts and
//! the leader's review — plus the rules of the write and take-over forms
//! (their refusals in words are [`crate::words::error_text`]'s). Plain data,
//! unit-tested; the page only renders it.

use crate::handover::words::Words;
use automerge::Automerge;
use shiftbook_model::checklist::Status;
use shiftbook_model::followup::Who;
use shiftbook_model::handover::books;
use shiftbook_model::handover::pending::{self, PendingEvent, PendingItem, PendingStatus};
use shiftbook_model::handover::{
    self, Alert, AlertKind, Book, Capacity, Draft, EquipmentCheck, HandoverEvent, HandoverState,
    PendingRef, Refusal,
};
use shiftbook_model::signature::{self, Signature};
use shiftbook_model::template::Bilingual;
use shiftbook_model::{Lang, ModelError};
use std::collections::BTreeMap;

/// One pending item's row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingRow {
    /// Item id.
    pub id: String,
    /// Its board's month.
    pub month: String,
    /// What is pending.
    pub text: String,
    /// Who raised it, when, on which service day, in which hand-over.
    pub opened: PendingEvent,
    /// Every note, whatever the status.
    pub notes: Vec<PendingEvent>,
    /// Who confirmed it done, and what was done.
    pub done: Option<(Who, String)>,
    /// Raised on an earlier service day than the one shown.
    pub carried: bool,
}

impl PendingRow {
    fn of(item: &PendingItem, date: &str) -> Self {
        Self {
            id: item.id.clone(),
            month: item.month.clone(),
            text: item.text.clone(),
            opened: item.opened.clone(),
            notes: item.notes.clone(),
            done: match &item.status {
                PendingStatus::Open => None,
                PendingStatus::Done { by, action } => Some((by.clone(), action.clone())),
            },
            carried: item.opened.date.as_deref().is_none_or(|d| d < date),
        }
    }
}

/// Where a pending item a hand-over listed stands now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PendingNow {
    /// Still open.
    Open,
    /// Done: by whom, what was done.
    Done(Who, String),
    /// Its board is not on this device (yet).
    NotHere,
}

/// One equipment item of a hand-over: the book's list, then anything else
/// checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EquipmentLine {
    /// Item id.
    pub item: String,
    /// What it is.
    pub label: Bilingual,
    /// Its result (the last check), with who checked it; `None` while
    /// unchecked.
    pub checked: Option<(Status, String, Who)>,
}

/// One hand-over as the screen shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandoverCard {
    /// Hand-over id.
    pub id: String,
    /// The shift handed over, in both languages when it is one of the
    /// book's (the stored label otherwise).
    pub shift: Bilingual,
    /// The post handing over.
    pub from_post: String,
    /// The post taking over.
    pub to_post: String,
    /// Where it stands.
    pub state: HandoverState,
    /// The outgoing person and when it was written.
    pub outgoing: Who,
    /// Everyone who wrote it (the outgoing side).
    pub writers: Vec<String>,
    /// What the outgoing person wrote.
    pub summary: String,
    /// The pending items open at writing, with where they stand now.
    pub pending: Vec<(PendingRef, PendingNow)>,
    /// Equipment, the book's list first.
    pub equipment: Vec<EquipmentLine>,
    /// Every refusal, with whether an acceptance answered it.
    pub refusals: Vec<(HandoverEvent, bool)>,
    /// Every acceptance.
    pub acceptances: Vec<HandoverEvent>,
    /// Every note (answers, remarks).
    pub notes: Vec<HandoverEvent>,
    /// Every signature with the events it does not cover (added after it
    /// or concurrently, unseen by the signer).
    pub signatures: Vec<(Signature, Vec<HandoverEvent>)>,
}

impl HandoverCard {
    /// Whether `person_id` is on the outgoing side.
    pub fn is_outgoing(&self, person_id: &str) -> bool {
        self.writers.iter().any(|w| w == person_id)
    }

    /// Whether the incoming side may still refuse or take over.
    pub fn can_take_over(&self) -> bool {
        matches!(self.state, HandoverState::Written | HandoverState::Refused)
    }

    /// The signatures in `capacity`.
    pub fn signed_as(&self, capacity: Capacity) -> Vec<&Signature> {
        self.signatures
            .iter()
            .map(|(s, _)| s)
            .filter(|s| s.meaning == capacity.meaning())
            .collect()
    }

    /// Whether someone may still sign in `capacity`: taken over, and not
    /// yet signed in it.
    pub fn can_sign(&self, capacity: Capacity) -> bool {
        matches!(self.state, HandoverState::Accepted | HandoverState::Signed)
            && self.signed_as(capacity).is_empty()
    }

    /// Whether `viewer` (the signed-in person) acts in `capacity`
    /// themselves; otherwise the other party co-signs on this tablet.
    pub fn acts_directly(&self, capacity: Capacity, viewer: &str) -> bool {
        match capacity {
            Capacity::Outgoing => self.is_outgoing(viewer),
            Capacity::Incoming => !self.is_outgoing(viewer),
        }
    }

    /// Who may co-sign in `capacity` when the viewer cannot: the writers
    /// for the outgoing side (`Some`), anyone but them for the incoming
    /// side (`None`, with the writers excluded).
    pub fn co_signers(&self, capacity: Capacity) -> (Vec<String>, Option<Vec<String>>) {
        match capacity {
            Capacity::Outgoing => (Vec::new(), Some(self.writers.clone())),
            Capacity::Incoming => (self.writers.clone(), None),
        }
    }
}

/// One book's day.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BookDayView {
    /// The day's hand-overs, newest first.
    pub handovers: Vec<HandoverCard>,
    /// The book's open pending items, oldest first.
    pub open_items: Vec<PendingRow>,
    /// Items done on the day.
    pub done_items: Vec<PendingRow>,
    /// Refused and not taken over in time.
    pub alerts: Vec<Alert>,
    /// The leader's daily reviews.
    pub reviews: Vec<Signature>,
    /// Changes after the latest review.
    pub changed_after_review: usize,
}

/// The book's shift a stored label names, in both languages; the label
/// as stored otherwise.
pub fn shift_label(book: &Book, stored: &str) -> Bilingual {
    book.shift_labelled(stored)
        .map_or_else(|| Bilingual::new(stored, stored), |s| s.label.clone())
}

fn card(
    book: &Book,
    doc: &Automerge,
    h: handover::Handover,
    items: &[PendingItem],
) -> Result<HandoverCard, ModelError> {
    let mut equipment: Vec<EquipmentLine> = book
        .equipment
        .iter()
        .map(|e| EquipmentLine {
            item: e.id.clone(),
            label: e.label.clone(),
            checked: None,
        })
        .collect();
    for r in &h.equipment {
        let by = r
            .checks
            .last()
            .map(|c| c.by.clone())
            .unwrap_or_else(|| h.outgoing.clone());
        let checked = Some((r.status, r.note.clone(), by));
        match equipment.iter_mut().find(|l| l.item == r.item) {
            Some(line) => line.checked = checked,
            None => equipment.push(EquipmentLine {
                item: r.item.clone(),
                label: r.label.clone(),
                checked,
            }),
        }
    }
    let pending = h
        .pending
        .iter()
        .map(|p| {
            let now = match items.iter().find(|i| i.id == p.id) {
                None => PendingNow::NotHere,
                Some(i) => match &i.status {
                    PendingStatus::Open => PendingNow::Open,
                    PendingStatus::Done { by, action } => {
                        PendingNow::Done(by.clone(), action.clone())
                    }
                },
            };
            (p.clone(), now)
        })
        .collect();
    let refusals = h
        .refusals
        .iter()
        .map(|r| (r.clone(), !h.unanswered.contains(r)))
        .collect();
    let signatures = h
        .signatures
        .iter()
        .map(|s| Ok((s.clone(), handover::added_after_signing(doc, &h.id, s)?)))
        .collect::<Result<Vec<_>, ModelError>>()?;
    Ok(HandoverCard {
        shift: shift_label(book, &h.shift),
        writers: h.writings.iter().map(|w| w.by.person_id.clone()).collect(),
        id: h.id,
        from_post: h.from_post,
        to_post: h.to_post,
        state: h.state,
        outgoing: h.outgoing,
        summary: h.summary,
        pending,
        equipment,
        refusals,
        acceptances: h.acceptances,
        notes: h.notes,
        signatures,
    })
}

impl BookDayView {
    /// Build from the book's day (`None` before it is on this device), the
    /// book's pending boards this device holds, the service day, the
    /// device time `now_ms` and the site's take-over time in minutes (for
    /// "not taken over in time") and the day's device-time range
    /// `[start, end)` (for "done that day").
    pub fn build(
        book: &Book,
        day: Option<&Automerge>,
        boards: &[&Automerge],
        date: &str,
        now_ms: i64,
        take_over_minutes: i64,
        day_range: (i64, i64),
    ) -> Result<Self, ModelError> {
        let mut items = Vec::new();
        for board in boards {
            items.extend(pending::items(board)?);
        }
        items.sort_by(|a, b| (a.opened.by.at_ms, &a.id).cmp(&(b.opened.by.at_ms, &b.id)));
        let open_items = items
            .iter()
            .filter(|i| i.is_open())
            .map(|i| PendingRow::of(i, date))
            .collect();
        let done_items = items
            .iter()
            .filter(|i| {
                matches!(&i.status, PendingStatus::Done { by, .. }
                    if (day_range.0..day_range.1).contains(&by.at_ms))
            })
            .map(|i| PendingRow::of(i, date))
            .collect();
        let Some(doc) = day else {
            return Ok(Self {
                open_items,
                done_items,
                ..Self::default()
            });
        };
        let mut handovers = handover::handovers(doc)?
            .into_iter()
            .map(|h| card(book, doc, h, &items))
            .collect::<Result<Vec<_>, _>>()?;
        handovers.reverse();
        let reviews = signature::signatures(doc)?;
        let changed_after_review = match reviews.last() {
            Some(last) => signature::changes_after(doc, last)?.len(),
            None => 0,
        };
        Ok(Self {
            handovers,
            open_items,
            done_items,
            alerts: handover::alerts(&[doc], now_ms, take_over_minutes)?,
            reviews,
            changed_after_review,
        })
    }

    /// The hand-over `id`.
    pub fn card(&self, id: &str) -> Option<&HandoverCard> {
        self.handovers.iter().find(|c| c.id == id)
    }

    /// The pending item `id` (open or done that day).
    pub fn item(&self, id: &str) -> Option<&PendingRow> {
        self.open_items
            .iter()
            .chain(&self.done_items)
            .find(|i| i.id == id)
    }
}

/// What the outgoing person fills in.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WriteForm {
    /// The shift handed over (a shift id of the book).
    pub shift: String,
    /// What happened.
    pub summary: String,
    /// New pending items, one text each.
    pub new_items: Vec<String>,
}

impl WriteForm {
    /// The form with the shift nearest to `now` chosen.
    pub fn new(book: &Book, now: shiftbook_model::schedule::MinuteOfDay) -> Self {
        Self {
            shift: book
                .shift_near(now)
                .map(|s| s.id.clone())
                .unwrap_or_default(),
            ..Self::default()
        }
    }

    /// The draft of hand-over `id` listing `pending` (the items open once
    /// the new ones are raised); refused like an empty shift label when
    /// no shift of the book is chosen.
    pub fn draft(
        &self,
        book: &Book,
        id: &str,
        pending: Vec<PendingRef>,
    ) -> Result<Draft, ModelError> {
        let shift = book
            .shift(&self.shift)
            .ok_or(ModelError::Handover(Refusal::Empty("a shift label")))?;
        Ok(Draft {
            id: id.to_owned(),
            from_post: shift.from_post.clone(),
            to_post: shift.to_post.clone(),
            shift: shift.label.zh.clone(),
            summary: self.summary.clone(),
            pending,
        })
    }

    /// Add a new pending item's text (blank ones are ignored).
    pub fn add_item(&mut self, text: &str) {
        let t = text.trim();
        if !t.is_empty() {
            self.new_items.push(t.to_owned());
        }
    }
}

/// What the incoming person decides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Refuse to take over, with why.
    Refuse(String),
    /// Take over, with a remark (may be empty).
    Accept(String),
}

/// The incoming side's equipment marks on the take-over form.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TakeOverForm {
    marks: BTreeMap<String, (Status, String)>,
}

impl TakeOverForm {
    /// Mark `item` ✓ or ×, keeping a note already typed.
    pub fn mark(&mut self, item: &str, status: Status) {
        self.marks
            .entry(item.to_owned())
            .and_modify(|m| m.0 = status)
            .or_insert((status, String::new()));
    }

    /// The note of `item` (it keeps its mark, or is × when unmarked:
    /// a note says what is wrong).
    pub fn note(&mut self, item: &str, note: &str) {
        self.marks
            .entry(item.to_owned())
            .and_modify(|m| m.1 = note.to_owned())
            .or_insert((Status::Abnormal, note.to_owned()));
    }

    /// What the form shows for `line`: this form's mark, else its result.
    pub fn shown(&self, line: &EquipmentLine) -> Option<(Status, String)> {
        self.marks.get(&line.item).cloned().or_else(|| {
            line.checked
                .as_ref()
                .map(|(status, note, _)| (*status, note.clone()))
        })
    }

    /// The checks to record: every item marked here whose mark differs
    /// from its current result, in the card's order.
    pub fn checks(&self, card: &HandoverCard) -> Vec<EquipmentCheck> {
        card.equipment
            .iter()
            .filter_map(|line| {
                let (status, note) = self.marks.get(&line.item)?;
                let same = line
                    .checked
                    .as_ref()
                    .is_some_and(|(s, n, _)| s == status && n.trim() == note.trim());
                (!same).then(|| EquipmentCheck {
                    item: line.item.clone(),
                    label: line.label.clone(),
                    status: *status,
                    note: note.clone(),
                })
            })
            .collect()
    }

    /// The book's items neither checked before nor marked here: all must
    /// be checked before taking over (001 篇3 §2.1, item by item).
    pub fn unchecked(&self, card: &HandoverCard) -> Vec<Bilingual> {
        card.equipment
            .iter()
            .filter(|l| l.checked.is_none() && !self.marks.contains_key(&l.item))
            .map(|l| l.label.clone())
            .collect()
    }
}

/// "Check every item first: …" when taking over with items unchecked.
pub fn unchecked_text(lang: Lang, labels: &[Bilingual]) -> String {
    let names: Vec<&str> = labels.iter().map(|l| l.get(lang)).collect();
    match lang {
        Lang::Zh => format!("请先逐项检查设备:{}", names.join("、")),
        Lang::En => format!("Check every item first: {}", names.join(", ")),
    }
}

/// One alert in words: what, which book, from which post to which, who
/// handed over, why.
pub fn alert_line(lang: Lang, a: &Alert) -> String {
    let book = books::builtin(&a.book)
        .map(|b| b.title.get(lang).to_owned())
        .unwrap_or_else(|| a.book.clone());
    let what = match &a.kind {
        AlertKind::Refused(reasons) => format!(
            "{}{}{}",
            crate::words::i18n::Msg::HoStateRefused.text(lang),
            if lang == Lang::Zh { ":" } else { ": " },
            reasons
                .iter()
                .map(|r| match lang {
                    Lang::Zh => format!("{}「{}」", r.by.person, r.text),
                    Lang::En => format!("{} “{}”", r.by.person, r.text),
                })
                .collect::<Vec<_>>()
                .join(";")
        ),
        AlertKind::NotTakenOver { minutes } => crate::words::i18n::not_taken_over(lang, *minutes),
    };
    format!(
        "{what} · {book} · {} → {} · {} {}",
        crate::words::i18n::post(lang, &a.from_post),
        crate::words::i18n::post(lang, &a.to_post),
        Words::HoOutgoing.text(lang),
        a.outgoing.person
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::words::error_text::model_error;
    use automerge::ActorId;
    use shiftbook_model::attribution::Attribution;
    use shiftbook_model::roster::Role;

    const DATE: &str = "2026-11-25";
    const DAY_START: i64 = 1_000_000;
    const DAY: (i64, i64) = (DAY_START, DAY_START + 86_400_000);
    /// The site setting's default.
    const TAKE_OVER: i64 = 30;

    fn by(id: &str, role: Role, at_ms: i64) -> Attribution {
        Attribution {
            person_id: id.into(),
            person: id.to_uppercase(),
            role,
            device: "大堂平板1".into(),
            at_ms,
        }
    }

    fn staff(id: &str, at: i64) -> Attribution {
        by(id, Role::Staff, DAY_START + at)
    }

    struct Desk {
        day: Automerge,
        board: Automerge,
        index: Automerge,
    }

    fn desk() -> Desk {
        let actor = ActorId::from(vec![1; 16]);
        let mut day = handover::genesis("demo", "lobby", DATE).unwrap();
        day.set_actor(actor.clone());
        let mut board = pending::genesis("demo", "lobby", "2026-11").unwrap();
        board.set_actor(actor.clone());
        let mut index = pending::index_genesis("demo", "lobby").unwrap();
        index.set_actor(actor);
        Desk { day, board, index }
    }

    impl Desk {
        fn raise(&mut self, id: &str, text: &str, date: &str, at: i64) {
            pending::open(
                &mut self.board,
                &mut self.index,
                id,
                text,
                date,
                None,
                &staff("zhang", at),
            )
            .unwrap();
        }

        fn view(&self, now: i64) -> BookDayView {
            self.view_with(now, TAKE_OVER)
        }

        fn view_with(&self, now: i64, take_over_minutes: i64) -> BookDayView {
            BookDayView::build(
                &books::lobby(),
                Some(&self.day),
                &[&self.board],
                DATE,
                DAY_START + now,
                take_over_minutes,
                DAY,
            )
            .unwrap()
        }
    }

    fn write(d: &mut Desk, form: &WriteForm, id: &str, at: i64) {
        let open = pending::open_items(&[&d.board]).unwrap();
        let draft = form
            .draft(&books::lobby(), id, pending::carry(&open))
            .unwrap();
        handover::write(&mut d.day, &draft, &staff("zhang", at)).unwrap();
    }

    fn form() -> WriteForm {
        let mut f = WriteForm::new(
            &books::lobby(),
            shiftbook_model::schedule::MinuteOfDay::new(7, 50).unwrap(),
        );
        f.summary = "夜班无异常".into();
        f
    }

    #[test]
    fn the_write_form_picks_the_nearest_shift_and_lists_the_open_items() {
        let mut d = desk();
        d.raise("p0", "昨天的事", "2026-11-24", -3_600_000);
        d.raise("p1", "B座门禁坏", DATE, 10);
        let mut f = form();
        assert_eq!(f.shift, "night");
        f.add_item("  ");
        f.add_item(" 快递待取 ");
        assert_eq!(f.new_items, ["快递待取"]);
        write(&mut d, &f, "h1", 20);
        let v = d.view(30);
        let c = v.card("h1").unwrap();
        assert_eq!(
            c.shift,
            Bilingual::new("夜班 20:00–08:00", "Night shift 20:00–08:00")
        );
        assert_eq!(
            (c.from_post.as_str(), c.to_post.as_str()),
            ("lobby", "lobby")
        );
        assert_eq!(
            c.pending
                .iter()
                .map(|(p, now)| (p.id.as_str(), now.clone()))
                .collect::<Vec<_>>(),
            [("p0", PendingNow::Open), ("p1", PendingNow::Open)]
        );
        assert_eq!(v.open_items.len(), 2);
        assert!(v.open_items[0].carried && !v.open_items[1].carried);
        assert!(v.alerts.is_empty(), "not yet late");
        assert_eq!(c.equipment.len(), books::lobby().equipment.len());
        assert!(c.equipment.iter().all(|l| l.checked.is_none()));
        // A form without a known shift makes no draft.
        let bad = WriteForm {
            shift: "lunch".into(),
            ..form()
        };
        let e = bad.draft(&books::lobby(), "h2", Vec::new()).unwrap_err();
        assert_eq!(model_error(Lang::Zh, &e), "请选择班次");
    }

    #[test]
    fn refused_then_taken_over_and_signed_by_both_with_who_acts_directly() {
        let mut d = desk();
        d.raise("p1", "B座门禁坏", DATE, 10);
        d.raise("p2", "快递待取", DATE, 11);
        write(&mut d, &form(), "h1", 20);
        let c = d.view(30).card("h1").cloned().unwrap();
        assert!(c.can_take_over());
        // On the outgoing person's tablet the incoming side co-signs.
        assert!(!c.acts_directly(Capacity::Incoming, "zhang"));
        assert!(c.acts_directly(Capacity::Incoming, "chen"));
        assert!(c.acts_directly(Capacity::Outgoing, "zhang"));
        assert_eq!(
            c.co_signers(Capacity::Incoming),
            (vec!["zhang".to_owned()], None)
        );
        assert_eq!(
            c.co_signers(Capacity::Outgoing),
            (Vec::new(), Some(vec!["zhang".to_owned()]))
        );

        // The incoming person checks two items, one ×, and refuses.
        let mut t = TakeOverForm::default();
        t.mark("keys", Status::Normal);
        t.note("radios", "少一台");
        assert_eq!(
            t.shown(&c.equipment[1]),
            Some((Status::Abnormal, "少一台".into()))
        );
        assert_eq!(t.unchecked(&c).len(), c.equipment.len() - 2);
        let checks = t.checks(&c);
        assert_eq!(checks.len(), 2);
        handover::check_equipment(&mut d.day, "h1", &checks, &staff("chen", 40)).unwrap();
        handover::refuse(&mut d.day, "h1", "对讲机少一台", &staff("chen", 41)).unwrap();
        let v = d.view(45);
        let c = v.card("h1").cloned().unwrap();
        assert_eq!(c.state, HandoverState::Refused);
        assert_eq!(v.alerts.len(), 1);
        assert!(
            matches!(&v.alerts[0].kind, handover::AlertKind::Refused(r) if r[0].text == "对讲机少一台")
        );
        assert_eq!(c.refusals.len(), 1);
        assert!(!c.refusals[0].1, "not answered yet");
        assert_eq!(
            c.equipment[1]
                .checked
                .as_ref()
                .map(|x| x.2.person_id.as_str()),
            Some("chen")
        );
        // Marks equal to what is recorded are not recorded again.
        assert!(t.checks(&c).is_empty());

        // The outgoing person answers; every other item checked; accepted.
        handover::note(&mut d.day, "h1", "另一台在充电", &staff("zhang", 50)).unwrap();
        let mut t = TakeOverForm::default();
        t.mark("radios", Status::Normal);
        assert!(!t.unchecked(&c).is_empty());
        for line in &c.equipment {
            if line.checked.is_none() {
                t.mark(&line.item, Status::Normal);
            }
        }
        assert!(t.unchecked(&c).is_empty());
        let checks = t.checks(&c);
        assert_eq!(checks.len(), c.equipment.len() - 1, "keys unchanged");
        assert!(
            checks
                .iter()
                .any(|x| x.item == "radios" && x.status == Status::Normal)
        );
        handover::check_equipment(&mut d.day, "h1", &checks, &staff("chen", 60)).unwrap();
        handover::accept(&mut d.day, "h1", "", &staff("chen", 61)).unwrap();
        let c = d.view(62).card("h1").cloned().unwrap();
        assert_eq!(c.state, HandoverState::Accepted);
        assert!(c.refusals[0].1, "answered by the acceptance");
        assert!(!c.can_take_over());
        assert!(c.can_sign(Capacity::Outgoing) && c.can_sign(Capacity::Incoming));
        handover::sign(&mut d.day, "h1", Capacity::Outgoing, &staff("zhang", 70)).unwrap();
        handover::sign(&mut d.day, "h1", Capacity::Incoming, &staff("chen", 71)).unwrap();
        let v = d.view(72);
        let c = v.card("h1").unwrap();
        assert_eq!(c.state, HandoverState::Signed);
        assert!(!c.can_sign(Capacity::Outgoing));
        assert_eq!(c.signed_as(Capacity::Incoming)[0].person, "CHEN");
        assert!(c.signatures.iter().all(|(_, after)| after.is_empty()));
        assert!(v.alerts.is_empty());
        // A note after both signed shows under both signatures.
        handover::note(&mut d.day, "h1", "补充", &staff("zhang", 80)).unwrap();
        let c = d.view(81).card("h1").cloned().unwrap();
        assert!(c.signatures.iter().all(|(_, after)| after.len() == 1));
    }

    #[test]
    fn a_done_item_shows_done_that_day_with_its_notes_and_in_the_hand_over() {
        let mut d = desk();
        d.raise("p1", "B座门禁坏", DATE, 10);
        write(&mut d, &form(), "h1", 20);
        pending::note(&mut d.board, "p1", "工程部明天来", &staff("li", 30)).unwrap();
        pending::done(
            &mut d.board,
            &mut d.index,
            "p1",
            "已修好",
            &staff("chen", 40),
        )
        .unwrap();
        let v = d.view(50);
        assert!(v.open_items.is_empty());
        let row = v.item("p1").unwrap();
        assert_eq!(
            row.done
                .as_ref()
                .map(|(w, a)| (w.person_id.as_str(), a.as_str())),
            Some(("chen", "已修好"))
        );
        assert_eq!(row.notes.len(), 1);
        assert!(
            matches!(&v.card("h1").unwrap().pending[0].1, PendingNow::Done(w, _) if w.person_id == "chen")
        );
        // Another day does not list it as done that day.
        let other = BookDayView::build(
            &books::lobby(),
            None,
            &[&d.board],
            "2026-11-26",
            0,
            TAKE_OVER,
            (DAY.1, DAY.1 + 86_400_000),
        )
        .unwrap();
        assert!(other.done_items.is_empty() && other.handovers.is_empty());
        // A board not on this device: the hand-over says so.
        let v = BookDayView::build(
            &books::lobby(),
            Some(&d.day),
            &[],
            DATE,
            DAY_START,
            TAKE_OVER,
            DAY,
        )
        .unwrap();
        assert_eq!(v.card("h1").unwrap().pending[0].1, PendingNow::NotHere);
    }

    #[test]
    fn not_taken_over_in_time_is_an_alert_and_the_review_counts_later_changes() {
        let mut d = desk();
        write(&mut d, &form(), "h1", 0);
        assert_eq!(
            TAKE_OVER,
            shiftbook_model::settings::Setting::HandoverTakeOverMinutes.default_value()
        );
        let minutes = TAKE_OVER * 60_000;
        assert!(d.view(minutes - 1).alerts.is_empty());
        let late = d.view(minutes).alerts;
        assert_eq!(late.len(), 1);
        assert!(alert_line(Lang::Zh, &late[0]).starts_with("交班 30 分钟后仍未接班"));
        // A site that allows 45 minutes is not told at 30, and is at 45.
        assert!(d.view_with(minutes, 45).alerts.is_empty());
        let late = d.view_with(45 * 60_000, 45).alerts;
        assert!(alert_line(Lang::En, &late[0]).contains("45"), "{late:?}");
        signature::sign(
            &mut d.day,
            signature::Meaning::DailyReview,
            &by("li", Role::Leader, DAY_START + 5),
        )
        .unwrap();
        let v = d.view(10);
        assert_eq!((v.reviews.len(), v.changed_after_review), (1, 0));
        handover::note(&mut d.day, "h1", "晚到", &staff("zhang", 20)).unwrap();
        assert_eq!(d.view(30).changed_after_review, 1);
        let e = signature::sign(
            &mut d.day,
            signature::Meaning::DailyReview,
            &staff("zhang", 40),
        )
        .unwrap_err();
        assert_eq!(
            model_error(Lang::En, &e),
            "Only a team leader or a supervisor signs the review"
        );
    }

    #[test]
    fn refusals_read_in_both_languages() {
        let e = ModelError::Handover(Refusal::Empty("a reason"));
        assert_eq!(model_error(Lang::Zh, &e), "拒绝接班须写明原因");
        assert_eq!(
            model_error(Lang::En, &ModelError::Handover(Refusal::SamePerson)),
            "The incoming person cannot be the outgoing one"
        );
        // Every other refusal has its words too, no longer the model's
        // English.
        assert_eq!(
            model_error(Lang::Zh, &ModelError::EmptyChange),
            "没有任何改动,无需保存"
        );
        assert_eq!(
            unchecked_text(
                Lang::Zh,
                &[
                    Bilingual::new("钥匙", "Keys"),
                    Bilingual::new("手电筒", "Torch")
                ]
            ),
            "请先逐项检查设备:钥匙、手电筒"
        );
        assert_eq!(
            shift_label(&books::lobby(), "加班"),
            Bilingual::new("加班", "加班")
        );
    }
}
