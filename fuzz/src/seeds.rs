//! Real documents of every family, built with the model's own genesis and
//! writers (as the app would write them): the starting points of the
//! structure-aware document targets and, saved, the document seeds of the
//! corpus.
//!
//! Every family gets a few small documents: the genesis alone, a day or
//! month with a little of everything its writers can record, and two
//! replicas' concurrent edits merged (so the readers meet conflicts).
//! Everything is deterministic: fixed actors, fixed device times.

use automerge::{ActorId, Automerge};
use shiftbook_model::attribution::Attribution;
use shiftbook_model::checklist::{self, Status};
use shiftbook_model::complaint::{self, Channel, Difficulty, Kind, NewComplaint, Satisfaction};
use shiftbook_model::duty_log::{self, Correction, EventType};
use shiftbook_model::followup::{self, Department};
use shiftbook_model::handover::equipment_lists::{self, EquipmentList};
use shiftbook_model::handover::{self, Capacity, EquipmentCheck, books, pending};
use shiftbook_model::key_register::{self, Holder, NewKey};
use shiftbook_model::owner_visit::{self, NewVisit};
use shiftbook_model::roster::{self, PinHash, Role, StaffMember};
use shiftbook_model::schedule::{Date, LocalDateTime, MinuteOfDay, slots_on};
use shiftbook_model::security_log::{self, SecurityEvent};
use shiftbook_model::show_flat::{self, Condition, CountSession, FeedbackKind};
use shiftbook_model::signature::{self, Meaning};
use shiftbook_model::template::{self, Template};
use shiftbook_model::visitor_log::{self, ApprovalMethod, Arrival, Category, IdType};
use shiftbook_model::work_permit::{self, Application, Place, Team};
use shiftbook_model::{DocumentId, SiteKey, settings, templates};
use std::error::Error;

/// What a builder returns.
pub type Res<T> = Result<T, Box<dyn Error>>;

/// The site every seed belongs to.
pub const SITE: &str = "demo";
/// The service day of the day documents.
pub const DATE: &str = "2026-11-25";
/// The month of the monthly boards.
pub const MONTH: &str = "2026-11";

/// The site key the seeds derive ids with.
pub fn site_key() -> SiteKey {
    SiteKey::from_random([1; 32])
}

/// Person `n` in `role` at device time `n` minutes after a fixed moment.
pub fn by(n: i64, role: Role) -> Attribution {
    Attribution {
        person_id: format!("staff-{}", n % 7),
        person: format!("员工{}", n % 7),
        role,
        device: format!("大堂平板{}", 1 + n % 3),
        at_ms: 1_764_000_000_000 + n * 60_000,
    }
}

fn staff(n: i64) -> Attribution {
    by(n, Role::Staff)
}

fn leader(n: i64) -> Attribution {
    by(n, Role::Leader)
}

fn supervisor(n: i64) -> Attribution {
    by(n, Role::Supervisor)
}

/// `doc` as tablet `n` edits it.
fn on(mut doc: Automerge, n: u8) -> Automerge {
    doc.set_actor(ActorId::from(vec![n; 16]));
    doc
}

/// Two replicas of `base` edited by `a` and `b` concurrently, merged.
fn concurrent(
    base: &Automerge,
    a: impl FnOnce(&mut Automerge) -> Res<()>,
    b: impl FnOnce(&mut Automerge) -> Res<()>,
) -> Res<Automerge> {
    let mut one = on(base.clone(), 21);
    let mut two = on(base.clone(), 22);
    a(&mut one)?;
    b(&mut two)?;
    one.merge(&mut two)?;
    Ok(one)
}

/// The template the checklist seeds use.
pub fn lobby() -> Template {
    template::lobby_opening()
}

/// Checklist rounds: genesis, a started day with ✓, × and a finish and
/// the leader's signature, and two tablets marking one item differently.
pub fn checklist() -> Res<Vec<Automerge>> {
    let t = lobby();
    let genesis = checklist::genesis(SITE, &t.id, DATE)?;
    let schedule = t
        .schedule
        .as_ref()
        .ok_or("the lobby template has no schedule")?;
    let slots = slots_on(schedule, Date::parse(DATE)?)?;
    let slot = slots.first().ok_or("no slot")?.key.clone();
    let items: Vec<String> = t.items.iter().map(|i| i.id.clone()).collect();
    let mut day = on(genesis.clone(), 7);
    checklist::start(&mut day, &t, &slot, &staff(1))?;
    for (k, item) in items.iter().take(3).enumerate() {
        checklist::mark(
            &mut day,
            &slot,
            item,
            Status::Normal,
            "",
            &staff(2 + k as i64),
        )?;
    }
    let abnormal = t.items.iter().find(|i| i.note_required).map_or_else(
        || items.last().cloned().unwrap_or_default(),
        |i| i.id.clone(),
    );
    checklist::mark(
        &mut day,
        &slot,
        &abnormal,
        Status::Abnormal,
        "灯不亮",
        &staff(6),
    )?;
    checklist::finish(&mut day, &slot, &staff(7))?;
    signature::sign(&mut day, Meaning::DailyReview, &leader(8))?;
    let item = items.first().cloned().unwrap_or_default();
    let started = {
        let mut d = on(genesis.clone(), 8);
        checklist::start(&mut d, &t, &slot, &staff(1))?;
        d
    };
    let conflict = concurrent(
        &started,
        |d| {
            checklist::mark(d, &slot, &item, Status::Normal, "", &staff(10))?;
            Ok(())
        },
        |d| {
            checklist::mark(d, &slot, &item, Status::Abnormal, "门没锁", &staff(11))?;
            Ok(())
        },
    )?;
    Ok(vec![genesis, day, conflict])
}

/// The roster: genesis, three people in three roles, a conflicting edit.
pub fn roster() -> Res<Vec<Automerge>> {
    let genesis = roster::genesis(SITE)?;
    let mut doc = on(genesis.clone(), 7);
    for (i, role) in [Role::Staff, Role::Leader, Role::Supervisor]
        .into_iter()
        .enumerate()
    {
        let member = StaffMember {
            id: format!("staff-{i}"),
            name: format!("员工{i}"),
            role,
            posts: vec!["lobby".into(), "show-flat".into()],
            pin: Some(PinHash::new("1234", [i as u8; 16], 1)?),
            active: i != 1 || role == Role::Leader,
        };
        roster::put_member(&mut doc, &member, &supervisor(i as i64))?;
    }
    let person = |name: &str| StaffMember {
        id: "staff-0".into(),
        name: name.into(),
        role: Role::Staff,
        posts: vec!["lobby".into()],
        pin: None,
        active: true,
    };
    let conflict = concurrent(
        &doc,
        |d| {
            roster::put_member(d, &person("张三"), &supervisor(20))?;
            Ok(())
        },
        |d| {
            roster::put_member(d, &person("李四"), &supervisor(21))?;
            Ok(())
        },
    )?;
    Ok(vec![genesis, doc, conflict])
}

/// Site settings: genesis, a few set, a concurrent pair of values.
pub fn settings() -> Res<Vec<Automerge>> {
    let genesis = settings::genesis(SITE)?;
    let mut doc = on(genesis.clone(), 7);
    settings::set(
        &mut doc,
        settings::Setting::IdleSignOutMinutes,
        20,
        &supervisor(1),
    )?;
    settings::set(
        &mut doc,
        settings::Setting::ComplaintRespondMinutes,
        15,
        &supervisor(2),
    )?;
    let conflict = concurrent(
        &doc,
        |d| {
            settings::set(
                d,
                settings::Setting::HandoverTakeOverMinutes,
                45,
                &supervisor(3),
            )?;
            Ok(())
        },
        |d| {
            settings::set(
                d,
                settings::Setting::HandoverTakeOverMinutes,
                60,
                &supervisor(4),
            )?;
            Ok(())
        },
    )?;
    Ok(vec![genesis, doc, conflict])
}

/// A site's templates: genesis, two templates, one edited concurrently.
pub fn templates() -> Res<Vec<Automerge>> {
    let genesis = templates::genesis(SITE)?;
    let mut doc = on(genesis.clone(), 7);
    templates::put_template(&mut doc, &lobby(), &supervisor(1))?;
    templates::put_template(
        &mut doc,
        &template::after_construction_sweep(),
        &supervisor(2),
    )?;
    let retitled = |zh: &str| {
        let mut t = lobby();
        t.title.zh = zh.into();
        t
    };
    let conflict = concurrent(
        &doc,
        |d| {
            templates::put_template(d, &retitled("大堂开门检查A"), &supervisor(3))?;
            Ok(())
        },
        |d| {
            templates::put_template(d, &retitled("大堂开门检查B"), &supervisor(4))?;
            Ok(())
        },
    )?;
    Ok(vec![genesis, doc, conflict])
}

/// The security log: genesis and a day of sign-ins, wrong PINs, sign-outs.
pub fn security_log() -> Res<Vec<Automerge>> {
    use security_log::EventKind;
    let genesis = security_log::genesis(SITE, DATE)?;
    let mut doc = on(genesis.clone(), 7);
    let kinds = [
        EventKind::SignIn,
        EventKind::WrongPin,
        EventKind::CoSigned,
        EventKind::Refused,
        EventKind::SignOut,
        EventKind::IdleSignOut,
    ];
    for (i, kind) in kinds.into_iter().enumerate() {
        let at = staff(i as i64);
        security_log::append(
            &mut doc,
            &SecurityEvent {
                kind,
                person_id: at.person_id.clone(),
                person: at.person.clone(),
                device: at.device.clone(),
                at_ms: at.at_ms,
            },
        )?;
    }
    Ok(vec![genesis, doc])
}

fn followup_source(item: usize) -> followup::Source {
    let t = lobby();
    let round = DocumentId::derive(&site_key(), &checklist::purpose(&t.id, DATE));
    let it = t.items.get(item % t.items.len().max(1)).cloned();
    followup::Source {
        round: round.to_string(),
        template: t.id.clone(),
        item: it.as_ref().map_or_else(|| "item".into(), |i| i.id.clone()),
        item_label: it.map_or_else(|| t.title.clone(), |i| i.label),
        round_title: t.title.clone(),
        date: DATE.into(),
    }
}

/// Follow-up boards and the open index: opened, noted, reassigned, a
/// notice, closed, reopened; two tablets opening the same × at once.
pub fn followup() -> Res<Vec<Automerge>> {
    let board0 = followup::genesis(SITE, MONTH)?;
    let index0 = followup::index_genesis(SITE)?;
    let mut board = on(board0.clone(), 7);
    let mut index = on(index0.clone(), 7);
    let a = followup_source(0);
    let b = followup_source(1);
    followup::open(
        &mut board,
        &mut index,
        &a,
        Department::Engineering,
        "灯不亮",
        &staff(1),
    )?;
    followup::note(
        &mut board,
        &a.key(),
        "已报工程部",
        &["photo-1".into()],
        &staff(2),
    )?;
    followup::reassign(&mut board, &a.key(), Department::Cleaning, &leader(3))?;
    followup::notice(
        &mut board,
        &a.key(),
        "限期整改",
        "2026-11-30",
        &supervisor(4),
    )?;
    followup::close(&mut board, &mut index, &a.key(), "已更换灯管", &staff(5))?;
    followup::reopen(&mut board, &mut index, &a.key(), "又不亮了", &staff(6))?;
    followup::open(
        &mut board,
        &mut index,
        &b,
        Department::Security,
        "",
        &staff(7),
    )?;
    let pair = (on(board0.clone(), 8), on(index0.clone(), 8));
    let mut one = (on(pair.0.clone(), 21), on(pair.1.clone(), 21));
    let mut two = (on(pair.0.clone(), 22), on(pair.1.clone(), 22));
    followup::open(
        &mut one.0,
        &mut one.1,
        &a,
        Department::Engineering,
        "",
        &staff(10),
    )?;
    followup::open(
        &mut two.0,
        &mut two.1,
        &a,
        Department::Cleaning,
        "脏",
        &staff(11),
    )?;
    one.0.merge(&mut two.0)?;
    one.1.merge(&mut two.1)?;
    Ok(vec![board0, index0, board, index, one.0, one.1])
}

fn new_complaint(id: &str, minute: u8) -> Res<NewComplaint> {
    Ok(NewComplaint {
        id: id.into(),
        kind: Kind::Complaint,
        received: LocalDateTime::parse(&format!("{DATE} 09:{minute:02}"))?,
        channel: Channel::Phone,
        owner: "王女士".into(),
        unit: "3栋1201".into(),
        contact: "138 0000 0000".into(),
        content: "楼上漏水,卫生间天花板渗水".into(),
        serious: false,
        difficulty: None,
        post: "lobby".into(),
        related: None,
    })
}

/// Complaint boards and the open index: one complaint walked to the
/// close, one escalated and hard, one noted concurrently.
pub fn complaint() -> Res<Vec<Automerge>> {
    let board0 = complaint::genesis(SITE, MONTH)?;
    let index0 = complaint::index_genesis(SITE)?;
    let mut board = on(board0.clone(), 7);
    let mut index = on(index0.clone(), 7);
    complaint::receive(&mut board, &mut index, &new_complaint("c1", 5)?, &staff(1))?;
    complaint::respond(&mut board, "c1", "已致歉并登记", &staff(2))?;
    complaint::forward(&mut board, "c1", Department::Engineering, "", &staff(3))?;
    complaint::confirm_receipt(&mut board, "c1", "工程部 李工", "", &staff(4))?;
    complaint::preliminary(&mut board, "c1", "先关闭进水阀", &staff(5))?;
    complaint::correct(&mut board, "c1", "防水层破损", "重做防水", &staff(6))?;
    complaint::reply(&mut board, "c1", "已修复", &staff(7))?;
    complaint::return_visit(
        &mut board,
        "c1",
        Satisfaction::Unsatisfied,
        "还有水印",
        &staff(8),
    )?;
    complaint::note(&mut board, "c1", "业主表示感谢", &staff(9))?;
    complaint::close(
        &mut board,
        &mut index,
        "c1",
        "业主仍不满意,主管同意结案",
        &leader(10),
    )?;
    complaint::receive(
        &mut board,
        &mut index,
        &new_complaint("c2", 30)?,
        &staff(11),
    )?;
    complaint::mark_serious(&mut board, "c2", "群诉", &leader(12))?;
    complaint::set_difficulty(&mut board, "c2", Difficulty::Hard, "需要厂家", &leader(13))?;
    complaint::escalate(&mut board, "c2", "客服主管", "", &leader(14))?;
    let conflict = concurrent(
        &board,
        |d| {
            complaint::respond(d, "c2", "已回电", &staff(20))?;
            Ok(())
        },
        |d| {
            complaint::set_difficulty(d, "c2", Difficulty::General, "", &leader(21))?;
            Ok(())
        },
    )?;
    Ok(vec![board0, index0, board, index, conflict])
}

fn application(date: &str) -> Res<Application> {
    Ok(Application {
        scope: "3栋1201 卫生间防水维修".into(),
        place: Place {
            flat: None,
            area: "3栋1201".into(),
        },
        date: date.into(),
        from: MinuteOfDay::new(9, 0)?,
        to: MinuteOfDay::new(17, 0)?,
        headcount: 3,
        team: Team {
            company: "安居装饰工程有限公司".into(),
            leader: "刘师傅".into(),
            phone: "138 0000 0000".into(),
        },
    })
}

/// Work permit boards: one permit from application to close, one
/// rejected, one cancelled, concurrent exits.
pub fn work_permit() -> Res<Vec<Automerge>> {
    let genesis = work_permit::genesis(SITE, MONTH)?;
    let mut board = on(genesis.clone(), 7);
    work_permit::apply(&mut board, "w1", &application(DATE)?, &staff(1))?;
    work_permit::approve(&mut board, "w1", "", &leader(2))?;
    work_permit::enter(&mut board, "w1", 3, "", &staff(3))?;
    work_permit::exit(&mut board, "w1", 2, false, "少了一把电钻", &staff(4))?;
    work_permit::count(&mut board, "w1", 1, "", &staff(5))?;
    work_permit::note(&mut board, "w1", "噪音投诉", &staff(6))?;
    work_permit::apply(&mut board, "w2", &application("2026-11-26")?, &staff(7))?;
    work_permit::reject(&mut board, "w2", "材料不全", &leader(8))?;
    work_permit::apply(&mut board, "w3", &application("2026-11-27")?, &staff(9))?;
    work_permit::cancel(&mut board, "w3", "业主取消", &staff(10))?;
    let mut entered = board.clone();
    work_permit::exit(&mut entered, "w1", 1, true, "", &staff(11))?;
    let conflict = concurrent(
        &board,
        |d| {
            work_permit::exit(d, "w1", 1, true, "", &staff(20))?;
            Ok(())
        },
        |d| {
            work_permit::enter(d, "w1", 2, "", &staff(21))?;
            Ok(())
        },
    )?;
    Ok(vec![genesis, entered, conflict])
}

/// Hand-over days: written, equipment checked, refused, accepted, both
/// signatures, a note; the leader's review.
pub fn handover() -> Res<Vec<Automerge>> {
    let book = books::lobby();
    let genesis = handover::genesis(SITE, &book.id, DATE)?;
    let mut doc = on(genesis.clone(), 7);
    for (i, shift) in book.shifts.iter().take(2).enumerate() {
        let n = 10 * i as i64;
        let id = format!("h{i}");
        let outgoing = staff(n);
        let incoming = Attribution {
            person_id: "wang".into(),
            person: "王芳".into(),
            ..staff(n + 5)
        };
        handover::write(
            &mut doc,
            &handover::Draft {
                id: id.clone(),
                from_post: shift.from_post.clone(),
                to_post: shift.to_post.clone(),
                shift: shift.label.zh.clone(),
                summary: "本班无异常，3栋电梯维修中".into(),
                pending: vec![pending::PendingRef {
                    id: "p1".into(),
                    month: MONTH.into(),
                    text: "门禁卡读卡器失灵".into(),
                }],
            },
            &outgoing,
        )?;
        let checks: Vec<EquipmentCheck> = book
            .equipment
            .iter()
            .enumerate()
            .map(|(k, e)| EquipmentCheck {
                item: e.id.clone(),
                label: e.label.clone(),
                status: if k == 0 {
                    Status::Abnormal
                } else {
                    Status::Normal
                },
                note: if k == 0 {
                    "电量低".into()
                } else {
                    String::new()
                },
            })
            .collect();
        if !checks.is_empty() {
            handover::check_equipment(&mut doc, &id, &checks, &incoming)?;
        }
        if i == 0 {
            handover::refuse(&mut doc, &id, "对讲机没电", &incoming)?;
            handover::note(&mut doc, &id, "已充电", &outgoing)?;
        }
        handover::accept(&mut doc, &id, "", &incoming)?;
        handover::sign(&mut doc, &id, Capacity::Outgoing, &outgoing)?;
        handover::sign(&mut doc, &id, Capacity::Incoming, &incoming)?;
    }
    signature::sign(&mut doc, Meaning::DailyReview, &leader(40))?;
    let written = {
        let mut d = on(genesis.clone(), 8);
        let shift = book.shifts.first().ok_or("the lobby book has no shift")?;
        handover::write(
            &mut d,
            &handover::Draft {
                id: "h9".into(),
                from_post: shift.from_post.clone(),
                to_post: shift.to_post.clone(),
                shift: shift.label.zh.clone(),
                summary: "交班".into(),
                pending: Vec::new(),
            },
            &staff(50),
        )?;
        d
    };
    let conflict = concurrent(
        &written,
        |d| {
            handover::accept(d, "h9", "", &staff(51))?;
            Ok(())
        },
        |d| {
            handover::refuse(d, "h9", "钥匙不全", &staff(52))?;
            Ok(())
        },
    )?;
    Ok(vec![genesis, doc, conflict])
}

/// Pending items (遗留事项): boards and the open index.
pub fn handover_pending() -> Res<Vec<Automerge>> {
    let book = "lobby";
    let board0 = pending::genesis(SITE, book, MONTH)?;
    let index0 = pending::index_genesis(SITE, book)?;
    let mut board = on(board0.clone(), 7);
    let mut index = on(index0.clone(), 7);
    pending::open(
        &mut board,
        &mut index,
        "p1",
        "5栋门禁卡读卡器失灵",
        DATE,
        Some("h0"),
        &staff(1),
    )?;
    pending::note(&mut board, "p1", "已报修", &staff(2))?;
    pending::done(&mut board, &mut index, "p1", "已修复", &staff(3))?;
    pending::reopen(&mut board, &mut index, "p1", "又坏了", &staff(4))?;
    pending::open(
        &mut board,
        &mut index,
        "p2",
        "大堂吊灯不亮",
        DATE,
        None,
        &staff(5),
    )?;
    let mut one = (on(board.clone(), 21), on(index.clone(), 21));
    let mut two = (on(board.clone(), 22), on(index.clone(), 22));
    pending::done(&mut one.0, &mut one.1, "p2", "已换灯", &staff(20))?;
    pending::note(&mut two.0, "p2", "灯管缺货", &staff(21))?;
    one.0.merge(&mut two.0)?;
    one.1.merge(&mut two.1)?;
    Ok(vec![board0, index0, board, index, one.0, one.1])
}

/// A site's own equipment lists: genesis, one list, a concurrent save.
pub fn handover_equipment() -> Res<Vec<Automerge>> {
    let genesis = equipment_lists::genesis(SITE)?;
    let mut doc = on(genesis.clone(), 7);
    let book = books::lobby();
    let list = EquipmentList {
        book: book.id.clone(),
        items: book.equipment.clone(),
    };
    equipment_lists::put_list(&mut doc, &list, &supervisor(1))?;
    let shorter = EquipmentList {
        book: book.id.clone(),
        items: book.equipment.iter().take(1).cloned().collect(),
    };
    let conflict = concurrent(
        &doc,
        |d| {
            equipment_lists::put_list(d, &shorter, &supervisor(2))?;
            Ok(())
        },
        |d| {
            equipment_lists::put_list(d, &list, &supervisor(3))?;
            Ok(())
        },
    )?;
    Ok(vec![genesis, doc, conflict])
}

/// The key register: keys registered, handed over, confirmed, lost,
/// found, a lock changed, withdrawn; concurrent hand-overs (disputed).
pub fn key_register() -> Res<Vec<Automerge>> {
    let genesis = key_register::genesis(SITE)?;
    let mut doc = on(genesis.clone(), 7);
    let post = Holder::post("security-005", "安管部005岗");
    let desk = Holder::post("show-flat-desk", "样板房接待台");
    let person = Holder::person("wang", "王芳");
    for k in 0..3 {
        key_register::register(
            &mut doc,
            &NewKey {
                id: format!("key-{k}"),
                label: format!("样板房{k}号门钥匙"),
                flat: Some("demo-flat-a".into()),
                lock: format!("lock-{k}"),
                holder: post.clone(),
            },
            &leader(k),
        )?;
    }
    key_register::hand_over(&mut doc, "key-0", "ho-1", &post, &desk, &staff(5))?;
    key_register::confirm(&mut doc, "key-0", "ho-1", &staff(6))?;
    let receiver = Attribution {
        person_id: "wang".into(),
        person: "王芳".into(),
        ..staff(7)
    };
    key_register::hand_over_confirmed(
        &mut doc,
        "key-1",
        "ho-2",
        &post,
        &person,
        &staff(7),
        &receiver,
    )?;
    key_register::report_lost(&mut doc, "key-1", "下班后找不到", &receiver)?;
    key_register::found(&mut doc, "key-1", &post, "在抽屉里", &leader(8))?;
    key_register::report_lost(&mut doc, "key-2", "丢失", &staff(9))?;
    key_register::change_lock(&mut doc, "lock-2", "已换锁", &leader(10))?;
    key_register::note(&mut doc, "key-0", "钥匙圈坏了", &staff(11))?;
    let mut withdrawn = doc.clone();
    key_register::withdraw(&mut withdrawn, "key-0", "样板房关闭", &leader(12))?;
    let conflict = concurrent(
        &doc,
        |d| {
            key_register::hand_over(d, "key-0", "ho-a", &desk, &post, &staff(20))?;
            Ok(())
        },
        |d| {
            key_register::hand_over(d, "key-0", "ho-b", &desk, &person, &staff(21))?;
            Ok(())
        },
    )?;
    Ok(vec![genesis, withdrawn, conflict])
}

fn duty_draft(i: i64) -> duty_log::Draft {
    duty_log::Draft {
        id: format!("entry-{i}"),
        occurred: format!("{DATE} {:02}:{:02}", 8 + i % 12, (i * 7) % 60),
        post: "lobby".into(),
        kind: EventType::ALL[(i as usize) % EventType::ALL.len()],
        event: "3栋业主反映电梯异响".into(),
        action: "通知工程部".into(),
        result: "待跟进".into(),
    }
}

/// The duty log: entries, an amendment, the leader's signature, then
/// concurrent amendments of one entry (a conflict).
pub fn duty_log() -> Res<Vec<Automerge>> {
    let genesis = duty_log::genesis(SITE, DATE)?;
    let mut doc = on(genesis.clone(), 7);
    for i in 0..4 {
        duty_log::record(&mut doc, &duty_draft(i), &staff(i))?;
    }
    let fix = Correction {
        result: Some("工程部已处理".into()),
        ..Correction::default()
    };
    duty_log::amend(&mut doc, "entry-0", &fix, "补记结果", &staff(5))?;
    duty_log::sign_day(&mut doc, &leader(6))?;
    duty_log::record(&mut doc, &duty_draft(9), &staff(7))?;
    let conflict = concurrent(
        &doc,
        |d| {
            let c = Correction {
                post: Some("gate".into()),
                ..Correction::default()
            };
            duty_log::amend(d, "entry-1", &c, "岗位写错", &staff(20))?;
            Ok(())
        },
        |d| {
            let c = Correction {
                post: Some("garage".into()),
                event: Some("车库异响".into()),
                ..Correction::default()
            };
            duty_log::amend(d, "entry-1", &c, "更正", &staff(21))?;
            Ok(())
        },
    )?;
    Ok(vec![genesis, doc, conflict])
}

fn arrival(name: &str, category: Category, minute: u32) -> Arrival {
    Arrival {
        name: name.into(),
        category,
        id_type: IdType::IdCard,
        id_last: "1234".into(),
        host: "业主陈先生".into(),
        unit: "3栋1201".into(),
        purpose: "探亲".into(),
        approval: if category.is_blocked() {
            ApprovalMethod::Supervisor
        } else {
            ApprovalMethod::Intercom
        },
        time_in: format!("{DATE} 10:{minute:02}"),
        people: 2,
    }
}

/// Visitor log days and the open index: a guest who left, a salesperson
/// approved, one refused, a note; approval and refusal crossing.
pub fn visitor_log() -> Res<Vec<Automerge>> {
    let day0 = visitor_log::genesis(SITE, DATE)?;
    let index0 = visitor_log::index_genesis(SITE)?;
    let mut day = on(day0.clone(), 7);
    let mut index = on(index0.clone(), 7);
    visitor_log::arrive(
        &mut day,
        &mut index,
        "v1",
        &arrival("访客甲", Category::Guest, 1),
        &staff(1),
    )?;
    visitor_log::leave(
        &mut day,
        &mut index,
        "v1",
        &format!("{DATE} 11:30"),
        &staff(2),
    )?;
    visitor_log::arrive(
        &mut day,
        &mut index,
        "v2",
        &arrival("推销员", Category::Salesperson, 5),
        &staff(3),
    )?;
    visitor_log::approve(&mut day, &mut index, "v2", "主管同意", &supervisor(4))?;
    visitor_log::note(&mut day, "v2", "已陪同", &staff(5))?;
    visitor_log::arrive(
        &mut day,
        &mut index,
        "v3",
        &arrival("无证人员", Category::Unidentified, 9),
        &staff(6),
    )?;
    visitor_log::refuse(&mut day, &mut index, "v3", "无法说明来意", &supervisor(7))?;
    visitor_log::arrive(
        &mut day,
        &mut index,
        "v4",
        &arrival("推销员乙", Category::Salesperson, 20),
        &staff(8),
    )?;
    let mut one = (on(day.clone(), 21), on(index.clone(), 21));
    let mut two = (on(day.clone(), 22), on(index.clone(), 22));
    visitor_log::approve(&mut one.0, &mut one.1, "v4", "", &supervisor(20))?;
    visitor_log::refuse(&mut two.0, &mut two.1, "v4", "不接待", &supervisor(21))?;
    one.0.merge(&mut two.0)?;
    one.1.merge(&mut two.1)?;
    Ok(vec![day0, index0, day, index, one.0, one.1])
}

/// Owner visits: two visits, a note, a follow-up done, the month signed.
pub fn owner_visit() -> Res<Vec<Automerge>> {
    let genesis = owner_visit::genesis(SITE, MONTH)?;
    let mut doc = on(genesis.clone(), 7);
    for i in 0..2 {
        owner_visit::record(
            &mut doc,
            &NewVisit {
                id: format!("v{i}"),
                unit: format!("{}栋{}", 1 + i, 1001 + i),
                owner: "陈先生".into(),
                date: Date::parse(&format!("{MONTH}-{:02}", 10 + i))?,
                visitor: "张伟".into(),
                opinions: "电梯高峰期等候时间较长".into(),
                requests: "希望增加快递柜".into(),
                follow_up: if i == 0 {
                    "联系供应商".into()
                } else {
                    String::new()
                },
            },
            &staff(i as i64),
        )?;
    }
    owner_visit::note(&mut doc, "v1", "业主很满意", &staff(3))?;
    owner_visit::followed_up(&mut doc, "v0", "已联系,下月安装", &staff(4))?;
    let unsigned = doc.clone();
    owner_visit::sign_month(&mut doc, Date::parse("2026-11-30")?, &supervisor(5))?;
    let conflict = concurrent(
        &unsigned,
        |d| {
            owner_visit::note(d, "v0", "再次回访", &staff(20))?;
            Ok(())
        },
        |d| {
            owner_visit::note(d, "v0", "已安装", &staff(21))?;
            Ok(())
        },
    )?;
    Ok(vec![genesis, doc, conflict])
}

/// A smaller copy of the demo flat (two rooms of two items), so seeds stay
/// small.
pub fn small_flat() -> show_flat::FlatItems {
    let mut flat = show_flat::demo_flat();
    flat.rooms.truncate(2);
    for room in &mut flat.rooms {
        room.items.truncate(2);
    }
    flat
}

/// Show flats: the inventory (one flat, a conflicting save), and count
/// days with counts, "all as expected", visitors, a correction, feedback
/// and disputed concurrent counts.
pub fn show_flat() -> Res<Vec<Automerge>> {
    let flat = small_flat();
    let inventory0 = show_flat::inventory_genesis(SITE)?;
    let mut inventory = on(inventory0.clone(), 7);
    show_flat::put_flat(&mut inventory, &flat, &supervisor(1))?;
    let day0 = show_flat::genesis(SITE, &flat.flat_id, DATE)?;
    let mut day = on(day0.clone(), 7);
    let first = flat
        .rooms
        .first()
        .and_then(|r| r.items.first())
        .ok_or("the demo flat has no item")?
        .clone();
    show_flat::count(
        &mut day,
        &flat,
        CountSession::Opening,
        &first.id,
        first.expected,
        Condition::Moved,
        "沙发位置偏移",
        &staff(2),
    )?;
    for room in &flat.rooms {
        show_flat::all_as_expected(&mut day, &flat, CountSession::Opening, &room.id, &staff(3))?;
    }
    show_flat::count(
        &mut day,
        &flat,
        CountSession::Closing,
        &first.id,
        first.expected.saturating_sub(1),
        Condition::Damaged,
        "摔坏",
        &staff(4),
    )?;
    show_flat::add_visitors(&mut day, 3, &staff(5))?;
    show_flat::correct_visitors(&mut day, 2, "多按了一次", &leader(6))?;
    show_flat::add_feedback(
        &mut day,
        FeedbackKind::Opinion,
        "样板房很好",
        "李先生",
        &staff(7),
    )?;
    let mut inv_conflict = on(inventory.clone(), 21);
    let mut renamed = flat.clone();
    renamed.name.zh = "样板房B".into();
    let mut other = on(inventory.clone(), 22);
    show_flat::put_flat(&mut inv_conflict, &renamed, &supervisor(8))?;
    show_flat::put_flat(&mut other, &flat, &supervisor(9))?;
    inv_conflict.merge(&mut other)?;
    let conflict = concurrent(
        &day,
        |d| {
            show_flat::count(
                d,
                &flat,
                CountSession::Closing,
                &first.id,
                1,
                Condition::InPlace,
                "",
                &staff(20),
            )?;
            show_flat::add_visitors(d, 1, &staff(20))?;
            Ok(())
        },
        |d| {
            show_flat::count(
                d,
                &flat,
                CountSession::Closing,
                &first.id,
                2,
                Condition::Missing,
                "",
                &staff(21),
            )?;
            show_flat::add_visitors(d, 2, &staff(21))?;
            Ok(())
        },
    )?;
    Ok(vec![
        inventory0,
        inventory,
        inv_conflict,
        day0,
        day,
        conflict,
    ])
}

/// Signed documents of several families (what `signature` reads): a
/// checklist day, a duty log day, a hand-over day and an owner-visit
/// month, each with what was added after the signature.
pub fn signature() -> Res<Vec<Automerge>> {
    let mut out = Vec::new();
    let pick = |v: Res<Vec<Automerge>>, i: usize| -> Res<Automerge> {
        v?.get(i).cloned().ok_or_else(|| "no such seed".into())
    };
    let mut day = pick(checklist(), 1)?;
    signature::sign(&mut day, Meaning::DailyReview, &supervisor(30))?;
    out.push(day);
    out.push(pick(duty_log(), 1)?);
    out.push(pick(handover(), 1)?);
    out.push(pick(owner_visit(), 1)?);
    Ok(out)
}

/// Every family's seed documents, by family name.
pub fn family(name: &str) -> Res<Vec<Automerge>> {
    match name {
        "checklist" => checklist(),
        "roster" => roster(),
        "settings" => settings(),
        "templates" => templates(),
        "security_log" => security_log(),
        "followup" => followup(),
        "complaint" => complaint(),
        "work_permit" => work_permit(),
        "handover" => handover(),
        "handover_pending" => handover_pending(),
        "handover_equipment" => handover_equipment(),
        "key_register" => key_register(),
        "duty_log" => duty_log(),
        "visitor_log" => visitor_log(),
        "owner_visit" => owner_visit(),
        "show_flat" => show_flat(),
        "signature" => signature(),
        other => Err(format!("no family {other}").into()),
    }
}
