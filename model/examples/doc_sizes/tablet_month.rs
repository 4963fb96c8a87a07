//! A month of work on one lobby tablet and on one show-flat tablet: the
//! documents each holds (what its screens open or ask the server for), as
//! the app stores them in localStorage — the `shiftbook.doc.<id>` record
//! (JSON of the base64 automerge bytes and the confirmed heads) and the
//! receipts cache `shiftbook.receipts.<id>` (a hash and a server time per
//! change) — counted in characters, which is what Chromium's ≈ 5 MiB
//! localStorage quota per origin counts (keys included).
//!
//! Day documents are built once for a typical day and counted 30 times;
//! monthly boards and site documents (indexes, the key register) carry the
//! whole month's events, because their history grows with every change.

use super::{by, complaint_month, duty_log_day, full_day, visitor_day_into};
use automerge::{ActorId, Automerge};
use shiftbook_model::attribution::Attribution;
use shiftbook_model::checklist::Status;
use shiftbook_model::followup::{self, Department};
use shiftbook_model::genesis::is_genesis_actor;
use shiftbook_model::handover::{self, Capacity, EquipmentCheck, books, pending};
use shiftbook_model::key_register::{self, Holder, NewKey};
use shiftbook_model::roster::{self, PinHash, Role, StaffMember};
use shiftbook_model::schedule::MinuteOfDay;
use shiftbook_model::security_log::{self, EventKind, SecurityEvent};
use shiftbook_model::show_flat::{self, CountSession, demo_flat};
use shiftbook_model::template::{self, show_flat_closing, show_flat_opening};
use shiftbook_model::work_permit::{self, Application, Place, Team};
use shiftbook_model::{DocumentId, SiteKey, settings, templates, visitor_log};

type Res<T> = Result<T, Box<dyn std::error::Error>>;

/// Days in the month simulated.
const DAYS: usize = 30;
/// Chromium's localStorage quota per origin, in characters.
const QUOTA: usize = 5 * 1024 * 1024;
/// The month simulated.
const MONTH: &str = "2026-11";

/// Whether a document is removed by age or held for good.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A day's or a month's record: removable once synced and old.
    Record,
    /// A site document that grows with every record (an open index, the
    /// key register): held for good.
    Growing,
    /// A site document written by supervisors now and then: held for good.
    Fixed,
}

/// Documents of one kind a tablet holds.
#[derive(Clone, Copy)]
struct Family {
    what: &'static str,
    /// How many a month adds (day documents: 30).
    per_month: usize,
    /// One document's record: key, JSON, base64 bytes, confirmed heads.
    record: usize,
    /// One document's receipts cache: a `"<hash hex>":<ms>` per change
    /// that is not genesis.
    receipts: usize,
    /// Whether its screen shows receipts (rounds and complaint boards).
    shows_receipts: bool,
    kind: Kind,
}

impl Family {
    fn of(what: &'static str, per_month: usize, doc: &Automerge, kind: Kind) -> Self {
        let id_len = DocumentId::derive(&SiteKey::from_random([1; 32]), "x")
            .to_string()
            .len();
        let base64 = 4 * doc.save().len().div_ceil(3);
        let record = "shiftbook.doc.".len()
            + id_len
            + r#"{"bytes":"","confirmed":[]}"#.len()
            + base64
            + doc.get_heads().len() * (64 + 3);
        let changes = doc
            .get_changes_meta(&[])
            .iter()
            .filter(|c| !is_genesis_actor(&c.actor))
            .count();
        let receipts = if changes == 0 {
            0
        } else {
            "shiftbook.receipts.".len() + id_len + 2 + changes * (r#""":,"#.len() + 64 + 13)
        };
        Self {
            what,
            per_month,
            record,
            receipts,
            shows_receipts: false,
            kind,
        }
    }

    fn shows_receipts(self) -> Self {
        Self {
            shows_receipts: true,
            ..self
        }
    }
}

fn family(what: &'static str, per_month: usize, doc: &Automerge) -> Family {
    Family::of(what, per_month, doc, Kind::Record)
}

fn growing(what: &'static str, doc: &Automerge) -> Family {
    Family::of(what, 1, doc, Kind::Growing)
}

fn fixed(what: &'static str, doc: &Automerge) -> Family {
    Family::of(what, 1, doc, Kind::Fixed)
}

fn as_role(n: i64, role: Role) -> Attribution {
    Attribution { role, ..by(n) }
}

fn day(d: usize) -> String {
    format!("{MONTH}-{:02}", 1 + d % 28)
}

/// One day's security log: `n` sign-ins, sign-outs, co-signatures and a
/// wrong PIN.
fn security_day(n: i64) -> Res<Automerge> {
    let mut doc = security_log::genesis("demo", "2026-11-25")?;
    doc.set_actor(ActorId::from(vec![7; 16]));
    let kinds = [
        EventKind::SignIn,
        EventKind::CoSigned,
        EventKind::SignOut,
        EventKind::WrongPin,
    ];
    for i in 0..n {
        let event = SecurityEvent {
            kind: kinds[(i % 4) as usize],
            person_id: format!("staff-{}", i % 6),
            person: "张伟".into(),
            device: "大堂平板1".into(),
            at_ms: by(i).at_ms,
        };
        security_log::append(&mut doc, &event)?;
    }
    Ok(doc)
}

/// One day of `book`: each shift handed over — written, equipment
/// checked, taken over, signed by both.
fn handover_day(book: &books::Book) -> Res<Automerge> {
    let mut doc = handover::genesis("demo", &book.id, "2026-11-25")?;
    doc.set_actor(ActorId::from(vec![7; 16]));
    for (i, shift) in book.shifts.iter().enumerate() {
        let n = 10 * i as i64;
        let id = format!("h{i}");
        let outgoing = by(n);
        let incoming = Attribution {
            person_id: "wang".into(),
            person: "王芳".into(),
            ..by(n + 5)
        };
        let draft = handover::Draft {
            id: id.clone(),
            from_post: shift.from_post.clone(),
            to_post: shift.to_post.clone(),
            shift: shift.label.zh.clone(),
            summary: "本班无异常，3栋电梯维修中，已告知业主".into(),
            pending: Vec::new(),
        };
        handover::write(&mut doc, &draft, &outgoing)?;
        let checks: Vec<EquipmentCheck> = book
            .equipment
            .iter()
            .map(|e| EquipmentCheck {
                item: e.id.clone(),
                label: e.label.clone(),
                status: Status::Normal,
                note: String::new(),
            })
            .collect();
        if !checks.is_empty() {
            handover::check_equipment(&mut doc, &id, &checks, &incoming)?;
        }
        handover::accept(&mut doc, &id, "", &incoming)?;
        handover::sign(&mut doc, &id, Capacity::Outgoing, &outgoing)?;
        handover::sign(&mut doc, &id, Capacity::Incoming, &incoming)?;
    }
    Ok(doc)
}

/// The follow-up board and index of a month: `n` follow-ups opened by a
/// round's ×, a note each, closed.
fn followup_month(n: usize) -> Res<(Automerge, Automerge)> {
    let mut board = followup::genesis("demo", MONTH)?;
    let mut index = followup::index_genesis("demo")?;
    board.set_actor(ActorId::from(vec![7; 16]));
    index.set_actor(ActorId::from(vec![7; 16]));
    let t = template::lobby_opening();
    let key = SiteKey::from_random([1; 32]);
    for i in 0..n {
        let date = day(i);
        let round = DocumentId::derive(&key, &format!("checklist/3/{}/{date}", t.id));
        let item = &t.items[i % t.items.len()];
        let source = followup::Source {
            round: round.to_string(),
            template: t.id.clone(),
            item: item.id.clone(),
            item_label: item.label.clone(),
            round_title: t.title.clone(),
            date,
        };
        let at = 3 * i as i64;
        followup::open(
            &mut board,
            &mut index,
            &source,
            Department::Engineering,
            "灯不亮",
            &by(at),
        )?;
        followup::note(&mut board, &source.key(), "已报工程部", &[], &by(at + 1))?;
        followup::close(
            &mut board,
            &mut index,
            &source.key(),
            "已更换灯管",
            &by(at + 2),
        )?;
    }
    Ok((board, index))
}

/// `book`'s pending board and index of a month: `n` items raised, two in
/// three done.
fn pending_month(book: &str, n: usize) -> Res<(Automerge, Automerge)> {
    let mut board = pending::genesis("demo", book, MONTH)?;
    let mut index = pending::index_genesis("demo", book)?;
    board.set_actor(ActorId::from(vec![7; 16]));
    index.set_actor(ActorId::from(vec![7; 16]));
    for i in 0..n {
        let id = format!("p{i:03}");
        let at = 2 * i as i64;
        pending::open(
            &mut board,
            &mut index,
            &id,
            "5栋门禁卡读卡器失灵，已报修",
            &day(i),
            None,
            &by(at),
        )?;
        if i % 3 != 0 {
            pending::done(&mut board, &mut index, &id, "已修复", &by(at + 1))?;
        }
    }
    Ok((board, index))
}

/// A month's work-permit board: `n` permits applied, approved, entered,
/// left.
fn permit_month(n: usize) -> Res<Automerge> {
    let mut board = work_permit::genesis("demo", MONTH)?;
    board.set_actor(ActorId::from(vec![7; 16]));
    for i in 0..n {
        let id = format!("w{i:03}");
        let application = Application {
            scope: "3栋1201 卫生间防水维修".into(),
            place: Place {
                flat: None,
                area: "3栋1201".into(),
            },
            date: day(i),
            from: MinuteOfDay::new(9, 0)?,
            to: MinuteOfDay::new(17, 0)?,
            headcount: 3,
            team: Team {
                company: "安居装饰工程有限公司".into(),
                leader: "刘师傅".into(),
                phone: "138 0000 0000".into(),
            },
        };
        let at = 4 * i as i64;
        work_permit::apply(&mut board, &id, &application, &by(at))?;
        work_permit::approve(&mut board, &id, "", &as_role(at + 1, Role::Leader))?;
        work_permit::enter(&mut board, &id, 3, "", &by(at + 2))?;
        work_permit::exit(&mut board, &id, 3, true, "", &by(at + 3))?;
    }
    Ok(board)
}

/// The key register after a month: `keys` keys, each handed over and
/// confirmed twice a day.
fn key_register_month(keys: usize) -> Res<Automerge> {
    key_register_days(keys, DAYS)
}

/// The key register after `days` days of `keys` keys handed to the flat's
/// desk in the morning and back to the security post at night.
pub fn key_register_days(keys: usize, days: usize) -> Res<Automerge> {
    let mut doc = key_register::genesis("demo")?;
    doc.set_actor(ActorId::from(vec![7; 16]));
    let post = Holder::post("security-005", "安管部005岗");
    let desk = Holder::post("show-flat-desk", "样板房接待台");
    for k in 0..keys {
        let key = NewKey {
            id: format!("key-{k}"),
            label: format!("样板房{k}号门钥匙"),
            flat: Some("demo-flat-a".into()),
            lock: format!("lock-{k}"),
            holder: post.clone(),
        };
        key_register::register(&mut doc, &key, &as_role(0, Role::Leader))?;
    }
    let mut n = 0;
    for d in 0..days {
        for k in 0..keys {
            let key = format!("key-{k}");
            for (from, to) in [(&post, &desk), (&desk, &post)] {
                n += 1;
                let receiver = Attribution {
                    person_id: "wang".into(),
                    person: "王芳".into(),
                    ..by(n)
                };
                key_register::hand_over_confirmed(
                    &mut doc,
                    &key,
                    &format!("ho-{d}-{k}-{n}"),
                    from,
                    to,
                    &by(n),
                    &receiver,
                )?;
            }
        }
    }
    Ok(doc)
}

/// The visitor index after a month of `per_day` visits a day, and one
/// typical day of them.
fn visitors_month(per_day: i64) -> Res<(Automerge, Automerge)> {
    let mut index = visitor_log::index_genesis("demo")?;
    index.set_actor(ActorId::from(vec![7; 16]));
    let mut last = None;
    for d in 0..DAYS {
        last = Some(visitor_day_into(&mut index, &day(d), per_day)?);
    }
    Ok((last.ok_or("no day")?, index))
}

/// A show flat's day: opening and closing counts room by room (two
/// exceptions), `visitors` guests added in small groups.
fn show_flat_day(visitors: i64) -> Res<Automerge> {
    let flat = demo_flat();
    let mut doc = show_flat::genesis("demo", &flat.flat_id, "2026-11-25")?;
    doc.set_actor(ActorId::from(vec![7; 16]));
    let mut n = 0;
    for session in CountSession::ALL {
        let first = &flat.rooms[0].items[0];
        n += 1;
        show_flat::count(
            &mut doc,
            &flat,
            session,
            &first.id,
            first.expected,
            show_flat::Condition::Moved,
            "沙发位置偏移，已复位",
            &by(n),
        )?;
        for room in &flat.rooms {
            n += 1;
            show_flat::all_as_expected(&mut doc, &flat, session, &room.id, &by(n))?;
        }
    }
    let mut added = 0;
    while added < visitors {
        n += 1;
        let group = 1 + added % 3;
        show_flat::add_visitors(&mut doc, group, &by(n))?;
        added += group;
    }
    Ok(doc)
}

/// The site documents both tablets hold from the start: the roster of
/// `people`, the settings, the templates and the show-flat inventory.
fn fixed_site_documents(people: usize) -> Res<Vec<Family>> {
    let supervisor = as_role(0, Role::Supervisor);
    let mut roster = roster::genesis("demo")?;
    roster.set_actor(ActorId::from(vec![7; 16]));
    for i in 0..people {
        let member = StaffMember {
            id: format!("staff-{i:02}"),
            name: format!("员工{i}"),
            role: Role::Staff,
            posts: vec!["lobby".into(), "show-flat".into()],
            // One iteration: the stored size is the same as the real count's.
            pin: Some(PinHash::new("1234", [i as u8; 16], 1)?),
            active: true,
        };
        roster::put_member(&mut roster, &member, &supervisor)?;
    }
    let mut settings = settings::genesis("demo")?;
    settings.set_actor(ActorId::from(vec![7; 16]));
    settings::set(
        &mut settings,
        settings::Setting::IdleSignOutMinutes,
        20,
        &supervisor,
    )?;
    let mut templates = templates::genesis("demo")?;
    templates.set_actor(ActorId::from(vec![7; 16]));
    for t in template::builtins() {
        templates::put_template(&mut templates, &t, &supervisor)?;
    }
    let mut inventory = show_flat::inventory_genesis("demo")?;
    inventory.set_actor(ActorId::from(vec![7; 16]));
    show_flat::put_flat(&mut inventory, &demo_flat(), &supervisor)?;
    Ok(vec![
        fixed("roster (25 people)", &roster),
        fixed("settings", &settings),
        fixed("templates (the 8 built-ins put)", &templates),
        fixed("show-flat inventory", &inventory),
    ])
}

/// Everything a lobby tablet holds after a month.
fn lobby_tablet(fixed: &[Family], shared: &Shared) -> Res<Vec<Family>> {
    let (visitor_day, visitors_index) = visitors_month(60)?;
    let lobby = books::lobby();
    let (pending_board, pending_index) = pending_month(&lobby.id, 15)?;
    let mut all = vec![
        family(
            "lobby opening round, a day",
            DAYS,
            &full_day(&template::lobby_opening(), "2026-11-25")?,
        )
        .shows_receipts(),
        family(
            "show-flat night round, a day (28 rounds)",
            DAYS,
            &full_day(&template::show_flat_night_round(), "2026-11-25")?,
        )
        .shows_receipts(),
        family("duty log, a day (40 entries)", DAYS, &duty_log_day(40)?),
        family("visitor log, a day (60 visits)", DAYS, &visitor_day),
        family("security log, a day (12 events)", DAYS, &security_day(12)?),
        family("lobby hand-over book, a day", DAYS, &handover_day(&lobby)?),
        family("pending items board (15)", 1, &pending_board),
        growing("visitors-open index (1 800 visits)", &visitors_index),
        growing("pending-open index, lobby", &pending_index),
    ];
    all.extend(shared.families.iter().copied());
    all.extend(fixed.iter().copied());
    Ok(all)
}

/// Everything a show-flat tablet holds after a month.
fn show_flat_tablet(fixed: &[Family], shared: &Shared) -> Res<Vec<Family>> {
    let book = books::show_flat();
    let (pending_board, pending_index) = pending_month(&book.id, 10)?;
    let mut all = vec![
        family(
            "show-flat opening checks, a day",
            DAYS,
            &full_day(&show_flat_opening(), "2026-11-25")?,
        )
        .shows_receipts(),
        family(
            "show-flat lock-up, a day",
            DAYS,
            &full_day(&show_flat_closing(), "2026-11-25")?,
        )
        .shows_receipts(),
        family(
            "show-flat counts, a day (40 guests)",
            DAYS,
            &show_flat_day(40)?,
        ),
        family(
            "show-flat hand-over book, a day",
            DAYS,
            &handover_day(&book)?,
        ),
        family("security log, a day (8 events)", DAYS, &security_day(8)?),
        family("pending items board (10)", 1, &pending_board),
        growing("pending-open index, show flat", &pending_index),
    ];
    all.extend(shared.families.iter().copied());
    all.extend(fixed.iter().copied());
    Ok(all)
}

/// What every tablet holds: the site's boards and indexes every agenda
/// asks for (follow-ups, complaints, permits, keys).
struct Shared {
    families: Vec<Family>,
}

impl Shared {
    fn build() -> Res<Self> {
        let (followups, followups_index) = followup_month(20)?;
        let (complaints, complaints_index) = complaint_month(60)?;
        Ok(Self {
            families: vec![
                family("follow-up board (20 opened, closed)", 1, &followups),
                family("complaint board (60 to the close)", 1, &complaints).shows_receipts(),
                family("work-permit board (8 permits)", 1, &permit_month(8)?),
                growing("followups-open index", &followups_index),
                growing("complaints-open index", &complaints_index),
                growing(
                    "key register (2 keys, 120 hand-overs)",
                    &key_register_month(2)?,
                ),
            ],
        })
    }
}

fn kib(chars: usize) -> String {
    format!("{:.0} KiB", chars as f64 / 1024.0)
}

fn report(name: &str, families: &[Family]) {
    println!("{name}: a month in localStorage, characters (record + receipts cache)");
    let (mut records, mut growth, mut held) = (0, 0, 0);
    let (mut receipts, mut shown_receipts) = (0, 0);
    for f in families {
        let n = f.per_month;
        println!(
            "  {:<40} {:>3} × {:>6} + {:>6} = {:>8}{}",
            f.what,
            n,
            kib(f.record),
            kib(f.receipts),
            kib(n * (f.record + f.receipts)),
            match f.kind {
                Kind::Record => "",
                Kind::Growing => "  site, grows",
                Kind::Fixed => "  site",
            }
        );
        match f.kind {
            Kind::Record => records += n * f.record,
            Kind::Growing => growth += n * f.record,
            Kind::Fixed => held += n * f.record,
        }
        receipts += n * f.receipts;
        if f.shows_receipts {
            shown_receipts += n * f.receipts;
        }
    }
    let month = records + growth + receipts;
    println!(
        "  a month: records {} + growing site documents {} + receipts {} = {}; site documents held {}",
        kib(records),
        kib(growth),
        kib(receipts),
        kib(month),
        kib(held)
    );
    println!(
        "  today (nothing removed, receipts of every document): 5 MiB is full after {:.1} months",
        QUOTA.saturating_sub(held) as f64 / month as f64
    );
    // Kept: 35 days of records and the receipts screens show; growing: the site
    // documents (their receipts are no longer cached).
    let kept = (records + shown_receipts) * 35 / 30;
    println!(
        "  retention (35 days) and receipts of rounds and complaint boards only: {} of records kept; the site documents' {} a month fill the rest in {:.0} years",
        kib(kept),
        kib(growth),
        QUOTA.saturating_sub(held + kept) as f64 / growth as f64 / 12.0
    );
}

/// Print a month on a lobby tablet and on a show-flat tablet.
pub fn print() -> Res<()> {
    let fixed = fixed_site_documents(25)?;
    let shared = Shared::build()?;
    report("lobby tablet", &lobby_tablet(&fixed, &shared)?);
    println!();
    report("show-flat tablet", &show_flat_tablet(&fixed, &shared)?);
    Ok(())
}
