//! Every family's read path, as the app's screens call it: each public
//! reader of a family is called on the document, and what it returns is
//! fed to the readers that take it (a slot's marks, a key's holder, a
//! signature's changes after it…). Errors are fine; a panic is the bug.
//!
//! The clock (`now`) and the device's time zone are the app's, fixed
//! here; everything else comes from the document.

use crate::engine::{Sig, error_kind};
use automerge::Automerge;
use shiftbook_model::attribution::{self};
use shiftbook_model::attribution_check;
use shiftbook_model::checklist::{self, Checklist};
use shiftbook_model::complaint::{self, DeadlineSettings};
use shiftbook_model::duty_log::{self, DutyLog, EntryFilter};
use shiftbook_model::followup;
use shiftbook_model::genesis;
use shiftbook_model::handover::equipment_lists::SiteEquipment;
use shiftbook_model::handover::{self, books, pending};
use shiftbook_model::key_register::{self, Holder, KeyRegister};
use shiftbook_model::owner_visit;
use shiftbook_model::readable;
use shiftbook_model::roster::Roster;
use shiftbook_model::schedule::{Agenda, Date, LocalDateTime, RoundProgress, slots_on};
use shiftbook_model::security_log;
use shiftbook_model::settings::{Setting, SiteSettings};
use shiftbook_model::show_flat::{self, CountSession, ShowFlatDay, SiteInventory};
use shiftbook_model::signature;
use shiftbook_model::templates::SiteTemplates;
use shiftbook_model::visitor_log::{self, VisitFilter, VisitorDay};
use shiftbook_model::work_permit;
use std::collections::BTreeMap;

/// The device clock every read uses (2025-11-25 about 16:00 UTC).
pub const NOW_MS: i64 = 1_764_086_400_000;
/// The device's offset from UTC (China Standard Time).
const OFFSET_MINUTES: i32 = 480;
/// PIN checks run only on hashes of at most this many iterations (a
/// stored hash may ask for 20 million: correct, but seconds per check).
const MAX_PIN_ITERATIONS_CHECKED: u32 = 64;

/// Mixes what each reader returned into the outcome signature.
#[derive(Debug, Default)]
pub struct Probe(Sig);

impl Probe {
    /// Note a result: whether it was read, or the kind of error.
    pub fn res<T, E: std::fmt::Display>(&mut self, what: &str, r: &Result<T, E>) -> bool {
        self.0.str(what);
        match r {
            Ok(_) => {
                self.0.num(1);
                true
            }
            Err(e) => {
                self.0.str(error_kind(&e.to_string()));
                false
            }
        }
    }

    /// Note a count, bucketed (0, 1, 2–3, 4–7…).
    pub fn count(&mut self, what: &str, n: usize) {
        self.0
            .str(what)
            .num(u64::from(usize::BITS - n.leading_zeros()));
    }

    /// The signature.
    pub fn finish(&self) -> u64 {
        self.0.finish()
    }
}

fn now_local() -> Option<LocalDateTime> {
    LocalDateTime::parse("2026-11-25 16:00").ok()
}

fn local(ms: i64) -> Option<LocalDateTime> {
    work_permit::fixed_offset(OFFSET_MINUTES)(ms)
}

/// What every document is read for, whatever its kind: its schema, the
/// records this build cannot read, the attributed history, signatures
/// and what changed after each, the attribution check.
pub fn common(doc: &Automerge, p: &mut Probe) {
    p.res("schema", &genesis::schema_of(doc));
    p.res("unreadable", &readable::unreadable_records(doc));
    let history = attribution::history(doc);
    p.count("history", history.len());
    let uploaded: BTreeMap<String, String> = history
        .iter()
        .take(8)
        .map(|c| (c.hash.clone(), "大堂平板9".to_owned()))
        .collect();
    let doubts = attribution_check::doubts(doc, &uploaded, None);
    p.count("doubts", doubts.len());
    let sigs = signature::signatures(doc);
    if p.res("signatures", &sigs)
        && let Ok(sigs) = sigs
    {
        for s in sigs.iter().take(1) {
            p.res("change_hashes", &s.change_hashes());
            p.res("changes_after", &signature::changes_after(doc, s));
            let signed = signature::as_signed(doc, s);
            if p.res("as_signed", &signed)
                && let Ok(signed) = signed
            {
                p.res("signed schema", &genesis::schema_of(&signed));
            }
            let _ = attribution_check::signature_doubt(s, None);
        }
    }
}

/// A checklist round: template, identity, marks, states, progress, and
/// the schedule of the template it was started with.
pub fn checklist(doc: &Automerge, p: &mut Probe) {
    let c = Checklist::new(doc);
    if !p.res("checklist", &c) {
        return;
    }
    let Ok(c) = c else { return };
    let _ = c.is_v2();
    let template = c.template();
    p.res("template", &template);
    p.res("template_id", &c.template_id());
    let date = c.date();
    p.res("date", &date);
    p.res("site", &c.site());
    let history = c.history();
    let mut slots: Vec<String> = Vec::new();
    let mut items: Vec<String> = Vec::new();
    if p.res("history", &history)
        && let Ok(history) = &history
    {
        p.count("marks", history.len());
        for m in history.iter().take(8) {
            if !slots.contains(&m.slot) {
                slots.push(m.slot.clone());
            }
            if !items.contains(&m.item) {
                items.push(m.item.clone());
            }
            let _ =
                checklist::parse_mark_summary(&checklist::mark_summary(&m.slot, &m.item, m.status));
        }
    }
    if let Ok(events) = c.progress_events() {
        for e in events.iter().take(8) {
            if !slots.contains(&e.slot) {
                slots.push(e.slot.clone());
            }
        }
    }
    if let Ok(Some(t)) = &template {
        p.res("validate", &t.validate());
        items.extend(t.items.iter().take(8).map(|i| i.id.clone()));
        if let (Some(schedule), Ok(date)) = (&t.schedule, &date)
            && let Ok(day) = Date::parse(date)
        {
            let on_day = slots_on(schedule, day);
            if p.res("slots_on", &on_day)
                && let Ok(on_day) = on_day
            {
                slots.extend(on_day.iter().take(4).map(|s| s.key.clone()));
            }
        }
    }
    slots.push(checklist::V2_SLOT.to_owned());
    for slot in slots.iter().take(2) {
        p.res("progress", &c.progress(slot));
        p.res("marked_count", &c.marked_count(slot));
        for item in items.iter().take(2) {
            p.res("item_state", &c.item_state(slot, item));
            p.res("current_marks", &c.current_marks(slot, item));
        }
    }
    for item in items.iter().take(2) {
        p.res("has_conflict", &c.has_conflict(item));
    }
}

/// The roster: site, members, conflicts and (cheap) PIN checks.
pub fn roster(doc: &Automerge, p: &mut Probe) {
    let r = Roster::new(doc);
    if !p.res("roster", &r) {
        return;
    }
    let Ok(r) = r else { return };
    p.res("site", &r.site());
    let members = r.members();
    if p.res("members", &members)
        && let Ok(members) = members
    {
        for m in members.iter().take(2) {
            p.res("member", &r.member(&m.id));
            p.res("conflicts", &r.conflicts(&m.id));
            if m.pin
                .as_ref()
                .is_some_and(|h| h.iterations <= MAX_PIN_ITERATIONS_CHECKED)
            {
                p.res("verify_pin", &r.verify_pin(&m.id, "1234"));
                p.res("verify_pin", &r.verify_pin(&m.id, "0000"));
            }
        }
    }
    p.res("member", &r.member("staff-0"));
}

/// The site settings: every setting, its conflicts, the complaint
/// deadlines built from them.
pub fn settings(doc: &Automerge, p: &mut Probe) {
    let s = SiteSettings::new(doc);
    if !p.res("settings", &s) {
        return;
    }
    let Ok(s) = s else { return };
    p.res("site", &s.site());
    for setting in Setting::ALL {
        p.res("get", &s.get(setting));
        p.res("is_set", &s.is_set(setting));
        p.res("conflicts", &s.conflicts(setting));
    }
    p.res("idle", &s.idle_sign_out_ms());
    p.res("take_over", &s.take_over_minutes());
    p.res("deadlines", &DeadlineSettings::from_site(&s));
}

/// A site's templates: all, active, each one and its conflicts, their
/// schedules on the service day and the agenda they make.
pub fn templates(doc: &Automerge, p: &mut Probe) {
    let t = SiteTemplates::new(doc);
    if !p.res("templates", &t) {
        return;
    }
    let Ok(t) = t else { return };
    p.res("active", &t.active());
    let all = t.all();
    if p.res("all", &all)
        && let Ok(all) = all
    {
        for template in all.iter().take(3) {
            p.res("get", &t.get(&template.id));
            p.res("conflicts", &t.conflicts(&template.id));
            p.res("validate", &template.validate());
            if let (Some(schedule), Ok(day)) = (&template.schedule, Date::parse("2026-11-25")) {
                p.res("slots_on", &slots_on(schedule, day));
            }
        }
        if let Some(now) = now_local() {
            let schedules: Vec<(&str, &shiftbook_model::schedule::Schedule)> = all
                .iter()
                .filter_map(|t| t.schedule.as_ref().map(|s| (t.id.as_str(), s)))
                .take(10)
                .collect();
            let agenda = Agenda::build(now, 1440, schedules, |_, _| RoundProgress::NotStarted);
            p.count(
                "agenda",
                agenda.due_now.len() + agenda.next.len() + agenda.missed.len(),
            );
            p.count("invalid", agenda.invalid.len());
        }
    }
}

/// The security log's events.
pub fn security_log(doc: &Automerge, p: &mut Probe) {
    let events = security_log::events(doc);
    if p.res("events", &events)
        && let Ok(events) = events
    {
        p.count("events", events.len());
    }
}

/// A follow-up board or the open index (both read paths on either, and
/// the repair of an index from a board).
pub fn followup(doc: &Automerge, p: &mut Probe) {
    p.res("board_month", &followup::board_month(doc));
    p.res("events", &followup::events(doc));
    let all = followup::followups(doc);
    if p.res("followups", &all)
        && let Ok(all) = all
    {
        for f in all.iter().take(2) {
            let _ = (f.is_open(), f.opened_at_ms());
            p.res("followup", &followup::followup(doc, &f.key));
        }
    }
    p.res("open_in_index", &followup::open_in_index(doc));
    p.res("months_to_load", &followup::months_to_load(doc, "2026-11"));
    if let Ok(mut index) = followup::index_genesis(crate::seeds::SITE) {
        p.res(
            "reconcile",
            &followup::reconcile_index(
                doc,
                &mut index,
                &crate::seeds::by(1, shiftbook_model::roster::Role::Staff),
            ),
        );
    }
}

/// A complaint board or the open index: complaints, deadlines, alerts,
/// figures, searches, and the repair of an index from a board.
pub fn complaint(doc: &Automerge, p: &mut Probe) {
    p.res("board_month", &complaint::board_month(doc));
    p.res("events", &complaint::events(doc));
    let all = complaint::complaints(doc);
    if p.res("complaints", &all)
        && let Ok(all) = all
    {
        let settings = SiteSettings::defaults();
        if let (Ok(settings), Some(now)) = (DeadlineSettings::from_site(&settings), now_local()) {
            for c in all.iter().take(2) {
                p.res("complaint", &complaint::complaint(doc, &c.id));
                let _ = (
                    c.is_open(),
                    c.satisfaction(),
                    c.replied(),
                    c.is_escalated(),
                    c.unit_key(),
                );
                let _ = (
                    c.receipts().len(),
                    c.received_by(),
                    c.notes().len(),
                    c.return_visits().len(),
                );
                let facts = c.facts(local);
                let _ = facts.escalation();
                p.count("deadlines", c.deadlines(&settings, now, local).len());
            }
            p.count(
                "alerts",
                complaint::alerts_of(&all, &settings, now, local).len(),
            );
            let _ = complaint::figures(&all, &settings, now, local);
            let filter = complaint::Filter {
                text: Some("漏水".into()),
                person: Some("staff-1".into()),
                ..complaint::Filter::default()
            };
            p.count("search", complaint::search(&all, &filter).len());
            if let Ok(day) = Date::parse("2026-11-25") {
                p.count(
                    "day",
                    complaint::search(&all, &complaint::Filter::day(day)).len(),
                );
            }
        }
    }
    p.res("open_complaints", &complaint::open_complaints(&[doc]));
    p.res("open_in_index", &complaint::open_in_index(doc));
    p.res("months_to_load", &complaint::months_to_load(doc, "2026-11"));
    if let Ok(mut index) = complaint::index_genesis(crate::seeds::SITE) {
        p.res(
            "reconcile",
            &complaint::reconcile_index(
                doc,
                &mut index,
                &crate::seeds::by(1, shiftbook_model::roster::Role::Staff),
            ),
        );
    }
}

/// A work permit board: permits, the day's expected work, alerts.
pub fn work_permit(doc: &Automerge, p: &mut Probe) {
    p.res("board_month", &work_permit::board_month(doc));
    p.res("events", &work_permit::events(doc));
    let all = work_permit::permits(doc);
    if p.res("permits", &all)
        && let Ok(all) = all
    {
        for permit in all.iter().take(2) {
            p.res("permit", &work_permit::permit(doc, &permit.id));
            let _ = (
                permit.applied_by(),
                permit.sweep(),
                permit.tools_failures().len(),
            );
            let _ = permit.applied_late(1, local);
            let _ = permit.application.window();
        }
    }
    p.res("expected_on", &work_permit::expected_on(doc, "2026-11-25"));
    p.res("alerts", &work_permit::alerts(doc, NOW_MS, local));
}

/// A hand-over day: events, hand-overs, what was added after each
/// signature, alerts; the built-in books' equipment.
pub fn handover(doc: &Automerge, p: &mut Probe) {
    p.res("book_of", &handover::book_of(doc));
    p.res("date_of", &handover::date_of(doc));
    p.res("events", &handover::events(doc));
    let all = handover::handovers(doc);
    if p.res("handovers", &all)
        && let Ok(all) = all
    {
        let expected = books::lobby().equipment;
        for h in all.iter().take(2) {
            p.res("handover", &handover::handover(doc, &h.id));
            let _ = (
                h.written_at_ms(),
                h.is_outgoing("staff-0"),
                h.unchecked(&expected).len(),
            );
            for capacity in [handover::Capacity::Outgoing, handover::Capacity::Incoming] {
                for s in h.signed_as(capacity).into_iter().take(2) {
                    p.res(
                        "added_after_signing",
                        &handover::added_after_signing(doc, &h.id, s),
                    );
                }
            }
        }
    }
    p.res("alerts", &handover::alerts(&[doc], NOW_MS, 30));
}

/// A pending-items board or its open index.
pub fn handover_pending(doc: &Automerge, p: &mut Probe) {
    p.res("board_month", &pending::board_month(doc));
    p.res("events", &pending::events(doc));
    let items = pending::items(doc);
    if p.res("items", &items)
        && let Ok(items) = items
    {
        for i in items.iter().take(2) {
            p.res("item", &pending::item(doc, &i.id));
        }
        p.count("carry", pending::carry(&items).len());
    }
    p.res("open_items", &pending::open_items(&[doc]));
    p.res("open_in_index", &pending::open_in_index(doc));
    p.res("months_to_load", &pending::months_to_load(doc, "2026-11"));
    if let Ok(mut index) = pending::index_genesis(crate::seeds::SITE, "lobby") {
        p.res(
            "reconcile",
            &pending::reconcile_index(
                doc,
                &mut index,
                &crate::seeds::by(1, shiftbook_model::roster::Role::Staff),
            ),
        );
    }
}

/// A site's equipment lists applied to every built-in book.
pub fn handover_equipment(doc: &Automerge, p: &mut Probe) {
    let e = SiteEquipment::new(doc);
    if !p.res("equipment", &e) {
        return;
    }
    let Ok(e) = e else { return };
    for book in books::builtins() {
        p.res("is_own", &e.is_own(&book.id));
        p.res("conflicts", &e.conflicts(&book.id));
        p.res("apply", &e.apply(book));
    }
}

/// The key register: entries, keys, holders, alerts.
pub fn key_register(doc: &Automerge, p: &mut Probe) {
    let r = KeyRegister::new(doc);
    if !p.res("register", &r) {
        return;
    }
    let Ok(r) = r else { return };
    p.res("site", &r.site());
    p.res("entries", &r.entries());
    let keys = r.keys();
    if p.res("keys", &keys)
        && let Ok(keys) = keys
    {
        for k in keys.iter().take(2) {
            p.res("key", &r.key(&k.id));
            for h in k.holders().into_iter().take(1) {
                p.res("held_by", &r.held_by(h));
            }
        }
        p.count(
            "alerts_of",
            key_register::alerts_of(&keys, NOW_MS, 30 * 60_000).len(),
        );
    }
    p.res("held_by", &r.held_by(&Holder::person("wang", "王芳")));
    p.res("alerts", &r.alerts(NOW_MS, 30 * 60_000));
}

/// A duty log day: records, amendments, entries, filters, signatures and
/// what came after them, the search across days.
pub fn duty_log(doc: &Automerge, p: &mut Probe) {
    let d = DutyLog::new(doc);
    if !p.res("duty_log", &d) {
        return;
    }
    let Ok(d) = d else { return };
    p.res("site", &d.site());
    p.res("date", &d.date());
    p.res("records", &d.records());
    p.res("amendments", &d.amendments());
    let entries = d.entries();
    if p.res("entries", &entries)
        && let Ok(entries) = entries
    {
        for e in entries.iter().take(2) {
            p.res("entry", &d.entry(&e.id));
            let _ = (
                e.recorded_by(),
                e.recorded_at_ms(),
                e.sort_time(),
                e.conflicts().len(),
            );
            let _ = (
                e.state(),
                e.latest_amendments().len(),
                e.involves("staff-1"),
                e.mentions("电梯"),
            );
        }
    }
    let filter = EntryFilter {
        text: Some("电梯".into()),
        person: Some("staff-1".into()),
        ..EntryFilter::default()
    };
    p.res("filter", &d.filter(&filter));
    p.res("by_post", &d.by_post());
    let sigs = d.signatures();
    if p.res("signatures", &sigs)
        && let Ok(sigs) = sigs
    {
        for s in sigs.iter().take(1) {
            p.res("after_signing", &d.after_signing(s));
        }
    }
    p.res("review", &d.review());
    p.res("search", &duty_log::search(&[doc], &filter));
}

/// A visitor log day or its open index: events, visits, filters, who is
/// inside or waiting, signatures, the repair of the index.
pub fn visitor_log(doc: &Automerge, p: &mut Probe) {
    let filter = VisitFilter {
        unit: Some("3栋".into()),
        logged_by: Some("staff-1".into()),
        ..VisitFilter::default()
    };
    let d = VisitorDay::new(doc);
    if p.res("visitor_day", &d)
        && let Ok(d) = d
    {
        p.res("site", &d.site());
        p.res("date", &d.date());
        p.res("events", &d.events());
        let visits = d.visits();
        if p.res("visits", &visits)
            && let Ok(visits) = visits
        {
            for v in visits.iter().take(2) {
                p.res("visit", &d.visit(&v.id));
                let _ = (
                    v.needs_approval(),
                    v.is_inside(),
                    v.is_open(),
                    v.logged_by_person("staff-1"),
                );
            }
        }
        p.res("filter", &d.filter(&filter));
        p.res("inside", &d.inside());
        p.res("waiting", &d.waiting());
        let sigs = d.signatures();
        if p.res("signatures", &sigs)
            && let Ok(sigs) = sigs
        {
            for s in sigs.iter().take(1) {
                p.res("after_signing", &d.after_signing(s));
            }
        }
        if let Ok(mut index) = visitor_log::index_genesis(crate::seeds::SITE) {
            p.res(
                "reconcile",
                &visitor_log::reconcile_index(
                    doc,
                    &mut index,
                    &crate::seeds::by(1, shiftbook_model::roster::Role::Staff),
                ),
            );
        }
    }
    p.res("search", &visitor_log::search(&[doc], &filter));
    p.res("inside_days", &visitor_log::inside(&[doc]));
    p.res("waiting_days", &visitor_log::waiting(&[doc]));
    p.res("open_in_index", &visitor_log::open_in_index(doc));
    p.res(
        "days_to_load",
        &visitor_log::days_to_load(doc, "2026-11-25"),
    );
}

/// The owner-visit record: events, visits, by unit, a unit's history,
/// open follow-ups, signatures.
pub fn owner_visit(doc: &Automerge, p: &mut Probe) {
    p.res("record_month", &owner_visit::record_month(doc));
    p.res("events", &owner_visit::events(doc));
    let visits = owner_visit::visits(doc);
    if p.res("visits", &visits)
        && let Ok(visits) = visits
    {
        for v in visits.iter().take(2) {
            p.res("visit", &owner_visit::visit(doc, &v.id));
            let _ = (
                v.recorded_by(),
                v.notes().len(),
                v.follow_ups().len(),
                v.needs_follow_up(),
            );
            p.res(
                "unit_history",
                &owner_visit::unit_history(&[doc], &v.unit_key()),
            );
        }
    }
    p.res("by_unit", &owner_visit::by_unit(doc));
    p.res("open_follow_ups", &owner_visit::open_follow_ups(&[doc]));
    p.res("signatures", &owner_visit::signatures(doc));
}

/// The show-flat inventory or a count day: flats, counts, visitors,
/// feedback, the summary and the discrepancies.
pub fn show_flat(doc: &Automerge, p: &mut Probe) {
    let inv = SiteInventory::new(doc);
    if p.res("inventory", &inv)
        && let Ok(inv) = inv
    {
        let flats = inv.flats();
        if p.res("flats", &flats)
            && let Ok(flats) = flats
        {
            for f in flats.iter().take(2) {
                p.res("flat", &inv.flat(&f.flat_id));
                p.res("conflicts", &inv.conflicts(&f.flat_id));
                p.res("validate", &f.validate());
                let _ = f.item_count();
            }
        }
    }
    let day = ShowFlatDay::new(doc);
    if !p.res("day", &day) {
        return;
    }
    let Ok(day) = day else { return };
    p.res("site", &day.site());
    p.res("flat_id", &day.flat_id());
    p.res("date", &day.date());
    let flat = day.flat();
    let mut items: Vec<String> = Vec::new();
    if p.res("flat", &flat)
        && let Ok(Some(flat)) = &flat
    {
        items.extend(flat.items().take(6).map(|(_, i)| i.id.clone()));
    }
    if let Ok(history) = day.history() {
        for c in history.iter().take(2) {
            items.push(c.item.clone());
        }
    }
    for session in CountSession::ALL {
        p.res("uncounted", &day.uncounted(session));
        for item in items.iter().take(2) {
            p.res("current_counts", &day.current_counts(session, item));
            p.res("item_count", &day.item_count(session, item));
        }
    }
    p.res("visitors", &day.visitors());
    p.res("visitor_log", &day.visitor_log());
    p.res("feedback", &day.feedback());
    p.res("summary", &day.summary());
    p.res("discrepancies", &day.discrepancies());
    p.res("damaged", &day.damaged_items());
    p.res("discrepancies_fn", &show_flat::discrepancies(doc));
    p.res("damaged_fn", &show_flat::damaged_items(doc));
    p.res("visitors_fn", &show_flat::visitors(doc));
}

/// The read path of the family `name` (the [`common`] reads included).
pub fn read(name: &str, doc: &Automerge, p: &mut Probe) {
    common(doc, p);
    match name {
        "checklist" => checklist(doc, p),
        "roster" => roster(doc, p),
        "settings" => settings(doc, p),
        "templates" => templates(doc, p),
        "security_log" => security_log(doc, p),
        "followup" => followup(doc, p),
        "complaint" => complaint(doc, p),
        "work_permit" => work_permit(doc, p),
        "handover" => handover(doc, p),
        "handover_pending" => handover_pending(doc, p),
        "handover_equipment" => handover_equipment(doc, p),
        "key_register" => key_register(doc, p),
        "duty_log" => duty_log(doc, p),
        "visitor_log" => visitor_log(doc, p),
        "owner_visit" => owner_visit(doc, p),
        "show_flat" => show_flat(doc, p),
        // Signed documents of every kind: their own family's path too.
        _ => read_by_schema(doc, p),
    }
}

/// Read `doc` with the path of whatever family its schema names.
pub fn read_by_schema(doc: &Automerge, p: &mut Probe) {
    let Ok(schema) = genesis::schema_of(doc) else {
        return;
    };
    let family = match schema.as_str() {
        checklist::SCHEMA | checklist::SCHEMA_V2 => "checklist",
        duty_log::SCHEMA => "duty_log",
        handover::SCHEMA => "handover",
        owner_visit::SCHEMA => "owner_visit",
        complaint::SCHEMA | complaint::INDEX_SCHEMA => "complaint",
        followup::SCHEMA | followup::INDEX_SCHEMA => "followup",
        visitor_log::SCHEMA | visitor_log::INDEX_SCHEMA => "visitor_log",
        work_permit::SCHEMA => "work_permit",
        key_register::SCHEMA => "key_register",
        show_flat::SCHEMA | show_flat::INVENTORY_SCHEMA => "show_flat",
        security_log::SCHEMA => "security_log",
        _ => return,
    };
    read(family, doc, p);
}
