//! Prints the stored size of typical documents, and what a month of work
//! takes in one lobby tablet's and one show-flat tablet's localStorage
//! (`tablet_month`), for the storage budget in ARCHITECTURE.md ("How
//! records are split into documents", "Storage on the tablet"), and how
//! long counting records a newer build wrote takes per document:
//! `cargo run --release -p shiftbook-model --example doc_sizes`.

#[path = "doc_sizes/tablet_month.rs"]
mod tablet_month;

use automerge::{ActorId, Automerge};
use shiftbook_model::attribution::Attribution;
use shiftbook_model::checklist::{self, Status};
use shiftbook_model::duty_log::{self, Correction, EventType};
use shiftbook_model::roster::Role;
use shiftbook_model::schedule::{Date, slots_on};
use shiftbook_model::template::{Template, lobby_opening, show_flat_night_round};
use shiftbook_model::visitor_log::{self, ApprovalMethod, Arrival, Category, IdType};

fn by(n: i64) -> Attribution {
    Attribution {
        person_id: "zhang".into(),
        person: "张伟".into(),
        role: Role::Staff,
        device: "大堂平板1".into(),
        at_ms: 1_764_000_000_000 + n * 60_000,
    }
}

/// A day of `template` with every slot's every item marked ✓ and finished.
fn full_day(template: &Template, date: &str) -> Result<Automerge, Box<dyn std::error::Error>> {
    let mut doc = checklist::genesis("demo", &template.id, date)?;
    doc.set_actor(ActorId::from(vec![7; 16]));
    let schedule = template.schedule.as_ref().ok_or("unscheduled")?;
    let mut n = 0;
    for slot in slots_on(schedule, Date::parse(date)?)? {
        for item in &template.items {
            n += 1;
            checklist::mark_starting(
                &mut doc,
                template,
                &slot.key,
                &item.id,
                Status::Normal,
                "",
                &by(n),
            )?;
        }
        n += 1;
        checklist::finish(&mut doc, &slot.key, &by(n))?;
    }
    Ok(doc)
}

/// A month's complaint board with `n` complaints, each walked through
/// every step to the close (10 events each), and the open index.
fn complaint_month(n: usize) -> Result<(Automerge, Automerge), Box<dyn std::error::Error>> {
    use shiftbook_model::complaint::{self, Channel, Kind, NewComplaint, Satisfaction};
    use shiftbook_model::followup::Department;
    use shiftbook_model::schedule::LocalDateTime;
    let mut board = complaint::genesis("demo", "2026-11")?;
    let mut index = complaint::index_genesis("demo")?;
    board.set_actor(ActorId::from(vec![7; 16]));
    index.set_actor(ActorId::from(vec![8; 16]));
    let mut k = 0;
    let mut at = || {
        k += 1;
        by(k)
    };
    for i in 0..n {
        let id = format!("c{i:04}");
        let received =
            LocalDateTime::parse(&format!("2026-11-{:02} 09:{:02}", 1 + i % 28, i % 60))?;
        let new = NewComplaint {
            id: id.clone(),
            kind: if i % 3 == 0 {
                Kind::Request
            } else {
                Kind::Complaint
            },
            received,
            channel: Channel::Phone,
            owner: "王女士".into(),
            unit: format!("{}栋{}", 1 + i % 9, 1001 + i),
            contact: "138 0000 0000".into(),
            content: "楼上漏水,卫生间天花板渗水,请尽快安排维修".into(),
            serious: false,
            difficulty: None,
            post: "lobby".into(),
            related: None,
        };
        complaint::receive(&mut board, &mut index, &new, &at())?;
        complaint::respond(&mut board, &id, "已致歉并登记", &at())?;
        complaint::forward(&mut board, &id, Department::Engineering, "", &at())?;
        complaint::confirm_receipt(&mut board, &id, "工程部 李工", "", &at())?;
        complaint::preliminary(&mut board, &id, "先关闭楼上进水阀", &at())?;
        complaint::correct(&mut board, &id, "防水层破损", "重做防水,修补天花板", &at())?;
        complaint::reply(&mut board, &id, "已修复,请业主查看", &at())?;
        complaint::return_visit(&mut board, &id, Satisfaction::Satisfied, "满意", &at())?;
        complaint::note(&mut board, &id, "业主表示感谢", &at())?;
        complaint::close(&mut board, &mut index, &id, "", &at())?;
    }
    Ok((board, index))
}

/// A month's owner-visit record with `n` visits, a third needing a
/// follow-up that was done, signed at month end.
fn owner_visit_month(n: usize) -> Result<usize, Box<dyn std::error::Error>> {
    use shiftbook_model::owner_visit::{self, NewVisit};
    let mut doc = owner_visit::genesis("demo", "2026-11")?;
    doc.set_actor(ActorId::from(vec![7; 16]));
    for i in 0..n {
        let id = format!("v{i:04}");
        let visit = NewVisit {
            id: id.clone(),
            unit: format!("{}栋{}", 1 + i % 9, 1001 + i),
            owner: "陈先生".into(),
            date: Date::parse(&format!("2026-11-{:02}", 1 + i % 28))?,
            visitor: "张伟".into(),
            opinions: "电梯高峰期等候时间较长".into(),
            requests: "希望增加快递柜".into(),
            follow_up: if i % 3 == 0 {
                "联系供应商".into()
            } else {
                String::new()
            },
        };
        owner_visit::record(&mut doc, &visit, &by(i as i64))?;
        if i % 3 == 0 {
            owner_visit::followed_up(&mut doc, &id, "已联系,下月安装", &by(i as i64))?;
        }
    }
    let supervisor = Attribution {
        role: Role::Supervisor,
        ..by(10_000)
    };
    owner_visit::sign_month(&mut doc, Date::parse("2026-11-30")?, &supervisor)?;
    Ok(doc.save().len())
}

/// Duty-log texts: a few real-looking sentences, varied per entry.
const EVENTS: [&str; 6] = [
    "3栋业主反映电梯异响，已通知工程部",
    "快递员送件至2栋大堂，业主不在家，代收登记",
    "巡查发现地下车库B2消防通道堆放杂物",
    "22:40 烟感报警，5栋12楼，现场确认为误报",
    "访客无法说明被访人，劝离",
    "大堂吊灯两盏不亮，报修",
];

/// A busy lobby day of the duty log: `n` entries, every fifth amended once.
fn duty_log_day(n: i64) -> Result<Automerge, Box<dyn std::error::Error>> {
    let mut doc = duty_log::genesis("demo", "2026-11-25")?;
    doc.set_actor(ActorId::from(vec![7; 16]));
    for i in 0..n {
        let minute = 8 * 60 + i * 10;
        let draft = duty_log::Draft {
            id: format!("entry-{i:04}"),
            occurred: format!(
                "2026-11-{:02} {:02}:{:02}",
                25 + minute / (24 * 60),
                (minute / 60) % 24,
                minute % 60
            ),
            post: "lobby".into(),
            kind: EventType::ALL[(i % 10) as usize],
            event: format!("{} (#{i})", EVENTS[(i % 6) as usize]),
            action: format!("通知当班领班，{}号岗跟进", i % 9),
            result: "待跟进".into(),
        };
        duty_log::record(&mut doc, &draft, &by(2 * i))?;
        if i % 5 == 0 {
            let fix = Correction {
                result: Some("工程部已处理，电梯正常".into()),
                ..Correction::default()
            };
            duty_log::amend(&mut doc, &draft.id, &fix, "补记结果", &by(2 * i + 1))?;
        }
    }
    Ok(doc)
}

/// A front desk's day of the visitor log: `n` visits, every one left.
fn visitor_day(n: i64) -> Result<Automerge, Box<dyn std::error::Error>> {
    let mut index = visitor_log::index_genesis("demo")?;
    index.set_actor(ActorId::from(vec![7; 16]));
    visitor_day_into(&mut index, "2026-11-25", n)
}

/// `n` visits logged (and left) in the day `date`, through `index`.
fn visitor_day_into(
    index: &mut Automerge,
    date: &str,
    n: i64,
) -> Result<Automerge, Box<dyn std::error::Error>> {
    let mut day = visitor_log::genesis("demo", date)?;
    day.set_actor(ActorId::from(vec![7; 16]));
    for i in 0..n {
        let minute = 8 * 60 + i * 5;
        let at = |m: i64| format!("{date} {:02}:{:02}", (m / 60) % 24, m % 60);
        let arrival = Arrival {
            name: format!("访客{i}"),
            category: Category::Guest,
            id_type: IdType::IdCard,
            id_last: format!("{:04}", (i * 7919) % 10_000),
            host: format!("业主{}", i % 40),
            unit: format!("{}栋{:02}{:02}", 1 + i % 6, 1 + i % 30, 1 + i % 4),
            purpose: "探亲".into(),
            approval: ApprovalMethod::Intercom,
            time_in: at(minute),
            people: 1,
        };
        let id = format!("visit-{i:04}");
        visitor_log::arrive(&mut day, index, &id, &arrival, &by(2 * i))?;
        visitor_log::leave(&mut day, index, &id, &at(minute + 30), &by(2 * i + 1))?;
    }
    Ok(day)
}

/// What a screen reads of `doc`: its records, as the model builds them.
fn read_all(doc: &Automerge) -> Result<usize, Box<dyn std::error::Error>> {
    use shiftbook_model::complaint;
    Ok(match shiftbook_model::genesis::schema_of(doc)?.as_str() {
        complaint::SCHEMA => complaint::complaints(doc)?.len(),
        duty_log::SCHEMA => duty_log::DutyLog::new(doc)?.entries()?.len(),
        visitor_log::SCHEMA => visitor_log::VisitorDay::new(doc)?.visits()?.len(),
        shiftbook_model::key_register::SCHEMA => {
            shiftbook_model::key_register::KeyRegister::new(doc)?
                .keys()?
                .len()
        }
        _ => checklist::Checklist::new(doc)?.history()?.len(),
    })
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    for t in [lobby_opening(), show_flat_night_round()] {
        let bytes = full_day(&t, "2026-11-25")?.save().len();
        println!(
            "{:<18} one day, every slot done: {:>7} bytes ({} items × {} slots)",
            t.id,
            bytes,
            t.items.len(),
            slots_on(
                t.schedule.as_ref().ok_or("unscheduled")?,
                Date::parse("2026-11-25")?
            )?
            .len()
        );
    }
    for n in [30, 100] {
        println!(
            "complaints         a month of {n:>3}, each closed: {:>7} bytes",
            complaint_month(n)?.0.save().len()
        );
    }
    println!(
        "owner visits       a month of 100, signed:   {:>7} bytes",
        owner_visit_month(100)?
    );
    println!(
        "duty log           one day, 80 entries, 16 amended: {:>7} bytes",
        duty_log_day(80)?.save().len()
    );
    println!(
        "visitor log        one day, 120 visits, all left:   {:>7} bytes",
        visitor_day(120)?.save().len()
    );
    println!();
    println!(
        "counting records a newer build wrote (readable::unreadable_records, done for every document at start):"
    );
    let docs: Vec<(&str, Automerge)> = vec![
        (
            "lobby-opening day",
            full_day(&lobby_opening(), "2026-11-25")?,
        ),
        ("complaints, 100 closed", complaint_month(100)?.0),
        ("duty log, 80 entries", duty_log_day(80)?),
        ("visitor log, 120 visits", visitor_day(120)?),
        (
            "key register, 3 months",
            tablet_month::key_register_days(2, 91)?,
        ),
        (
            "key register, a year",
            tablet_month::key_register_days(2, 365)?,
        ),
    ];
    for (what, doc) in &docs {
        let runs = 20;
        let started = std::time::Instant::now();
        for _ in 0..runs {
            std::hint::black_box(read_all(doc)?);
        }
        let read_ms = started.elapsed().as_secs_f64() * 1000.0 / f64::from(runs);
        let started = std::time::Instant::now();
        for _ in 0..runs {
            std::hint::black_box(shiftbook_model::readable::unreadable_records(doc)?);
        }
        println!(
            "  {what:<26} {:>7.2} ms   (reading it for a screen: {read_ms:>7.2} ms)",
            started.elapsed().as_secs_f64() * 1000.0 / f64::from(runs)
        );
    }
    println!();
    tablet_month::print()?;
    Ok(())
}
