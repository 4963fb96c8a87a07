//! Prints the stored size of typical documents, for the storage budget in
//! ARCHITECTURE.md ("How records are split into documents"):
//! `cargo run --release -p shiftbook-model --example doc_sizes`.

use automerge::ActorId;
use shiftbook_model::attribution::Attribution;
use shiftbook_model::checklist::{self, Status};
use shiftbook_model::roster::Role;
use shiftbook_model::schedule::{Date, slots_on};
use shiftbook_model::template::{Template, lobby_opening, show_flat_night_round};

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
fn full_day(template: &Template, date: &str) -> Result<usize, Box<dyn std::error::Error>> {
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
    Ok(doc.save().len())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    for t in [lobby_opening(), show_flat_night_round()] {
        let bytes = full_day(&t, "2026-11-25")?;
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
    Ok(())
}
