//! Hand-over books (交接记录本): which books a site keeps, who writes in
//! them, their shifts and each book's equipment check list — built in, in
//! Chinese and English, from the seed procedures:
//!
//! * `show-flat` — 《样板房交接班记录表》 (001 §6.3.10): the show-flat
//!   receptionists' book. The items are what the receptionist is
//!   responsible for during opening hours (001 §6.2.3–§6.2.11): the flat's
//!   keys (§11.4: taken at the hand-over, returned after use), the
//!   intercom to the lobby (§6.2.5.6), shoe covers (§6.2.4.3), the
//!   umbrella bagger (rainy days), the brochures, the visitor count sheet
//!   and the item count form, the air-conditioning (23 °C, §6.2.3.3) and
//!   the lights and audio.
//! * `lobby` — the lobby post / front desk's 交接记录本 (004 §2B, §2L,
//!   §2N): keys, radios, the desk phone (§2G, §2M), the duty log (§2K) and
//!   the visitor log, parcels and mail held for tenants (004 §1), the
//!   reception desk's equipment (§2C) and the torch for the night.
//! * `cs-control-room` — the work hand-over book between customer service
//!   and the security control room (001 篇3 §3): at 08:00 the control room
//!   hands the night's complaints and requests to customer service, at
//!   18:00 customer service hands the book to the control room. Items: the
//!   CCTV, the fire alarm panel, radios, the key cabinet (篇4 §3), the
//!   phone and the complaints and requests recorded in the book.
//!
//! Which books a person sees follows their roster posts ([`for_posts`]).
//! Books are the caller's list for [`super::check_equipment`] and
//! [`super::Handover::unchecked`]; the documents store each check with its
//! label as it read, so a later change of a list never rewrites a record.

use super::{EquipmentItem, MAX_LABEL};
use crate::schedule::MinuteOfDay;
use crate::template::Bilingual;

/// One shift hand-over a book records: the shift being handed over, at
/// what time, from which post to which.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shift {
    /// Stable id ([`crate::ids::is_key`]).
    pub id: String,
    /// The shift handed over (夜班 18:00–08:00…), at most [`MAX_LABEL`]
    /// characters in each language. The Chinese label is what a
    /// hand-over stores ([`super::Draft::shift`]).
    pub label: Bilingual,
    /// When the hand-over happens.
    pub at: MinuteOfDay,
    /// The post handing over.
    pub from_post: String,
    /// The post taking over.
    pub to_post: String,
}

/// A hand-over book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Book {
    /// Stable id ([`crate::ids::is_key`]), part of the documents' purposes
    /// (`handover/<book>/<date>`, `handover-pending/<book>/<month>`).
    pub id: String,
    /// The book's name.
    pub title: Bilingual,
    /// Where it comes from in the site's procedures.
    pub source: String,
    /// The roster posts that write in it.
    pub posts: Vec<String>,
    /// Its hand-overs, in the order of the day.
    pub shifts: Vec<Shift>,
    /// What the incoming person checks with the outgoing one (✓ / ×).
    pub equipment: Vec<EquipmentItem>,
}

impl Book {
    /// The shift `id`.
    pub fn shift(&self, id: &str) -> Option<&Shift> {
        self.shifts.iter().find(|s| s.id == id)
    }

    /// The shift whose hand-over time is nearest to `now` (around the
    /// clock), for the form's first choice.
    pub fn shift_near(&self, now: MinuteOfDay) -> Option<&Shift> {
        const DAY: i32 = 24 * 60;
        self.shifts.iter().min_by_key(|s| {
            let d = (i32::from(s.at.as_minutes()) - i32::from(now.as_minutes())).rem_euclid(DAY);
            d.min(DAY - d)
        })
    }

    /// The shift a stored label names (either language), if any.
    pub fn shift_labelled(&self, label: &str) -> Option<&Shift> {
        self.shifts
            .iter()
            .find(|s| s.label.zh == label || s.label.en == label)
    }

    /// Whether someone working `posts` writes in this book.
    pub fn kept_by(&self, posts: &[String]) -> bool {
        self.posts.iter().any(|p| posts.contains(p))
    }
}

/// The ids of the built-in books, in the order they are listed.
pub const BOOK_IDS: [&str; 3] = ["lobby", "show-flat", "cs-control-room"];

/// A time of day written as a literal; the literals below are valid.
fn at(h: u8, m: u8) -> MinuteOfDay {
    MinuteOfDay::new(h, m).unwrap_or(MinuteOfDay::MIDNIGHT)
}

fn shift(id: &str, label: (&str, &str), when: MinuteOfDay, from: &str, to: &str) -> Shift {
    Shift {
        id: id.to_owned(),
        label: Bilingual::new(label.0, label.1),
        at: when,
        from_post: from.to_owned(),
        to_post: to.to_owned(),
    }
}

fn equipment(items: &[(&str, (&str, &str))]) -> Vec<EquipmentItem> {
    items
        .iter()
        .map(|(id, (zh, en))| EquipmentItem {
            id: (*id).to_owned(),
            label: Bilingual::new(zh, en),
        })
        .collect()
}

/// The lobby post / front desk (大堂岗 / 前台), 004 §2.
pub fn lobby() -> Book {
    Book {
        id: "lobby".to_owned(),
        title: Bilingual::new("大堂岗 / 前台交接记录", "Lobby / front desk hand-over"),
        source: "004 §2B §2L §2N".to_owned(),
        posts: vec!["lobby".to_owned()],
        shifts: vec![
            shift(
                "night",
                ("夜班 20:00–08:00", "Night shift 20:00–08:00"),
                at(8, 0),
                "lobby",
                "lobby",
            ),
            shift(
                "day",
                ("白班 08:00–20:00", "Day shift 08:00–20:00"),
                at(20, 0),
                "lobby",
                "lobby",
            ),
        ],
        equipment: equipment(&[
            ("keys", ("钥匙", "Keys")),
            ("radios", ("对讲机", "Radios")),
            ("phone", ("接待台电话", "Desk phone")),
            ("duty-log", ("值班记录本", "Duty log")),
            ("visitor-log", ("来人来访登记本", "Visitor log")),
            ("parcels", ("代收包裹、邮件", "Parcels and mail held")),
            ("desk", ("接待台设施", "Reception desk equipment")),
            ("torch", ("手电筒", "Torch")),
        ]),
    }
}

/// The show flat (样板房), 《样板房交接班记录表》 001 §6.3.10.
pub fn show_flat() -> Book {
    Book {
        id: "show-flat".to_owned(),
        title: Bilingual::new("样板房交接班记录表", "Show-flat hand-over record"),
        source: "001 §6.3.10".to_owned(),
        posts: vec!["show-flat".to_owned()],
        shifts: vec![
            shift(
                "morning",
                ("早班 08:30–13:30", "Morning shift 08:30–13:30"),
                at(13, 30),
                "show-flat",
                "show-flat",
            ),
            shift(
                "closing",
                ("晚班 13:30–18:30", "Afternoon shift 13:30–18:30"),
                at(18, 30),
                "show-flat",
                "security",
            ),
        ],
        equipment: equipment(&[
            ("flat-keys", ("样板房钥匙", "Show-flat keys")),
            ("intercom", ("对讲机", "Intercom / walkie-talkie")),
            ("tablet", ("平板电脑", "Tablet")),
            ("shoe-covers", ("鞋套", "Shoe covers")),
            ("umbrella-bagger", ("套伞机、套伞袋", "Umbrella bagger")),
            ("brochures", ("宣传资料", "Brochures")),
            ("visitor-sheet", ("参观人数登记表", "Visitor count sheet")),
            ("count-form", ("物品清点记录表", "Item count form")),
            (
                "air-conditioning",
                ("空调(23°C)", "Air-conditioning (23 °C)"),
            ),
            ("lights-audio", ("照明、音响", "Lights and audio")),
        ]),
    }
}

/// Customer service ↔ the security control room (客服部 ↔ 保安监控室),
/// 001 篇3 §3: 08:00 and 18:00 every working day.
pub fn cs_control_room() -> Book {
    Book {
        id: "cs-control-room".to_owned(),
        title: Bilingual::new(
            "客服部 ↔ 保安监控室工作交接本",
            "Customer service ↔ control room hand-over",
        ),
        source: "001 篇3 §3".to_owned(),
        posts: vec!["customer-service".to_owned(), "security".to_owned()],
        shifts: vec![
            shift(
                "night",
                ("夜班 18:00–08:00", "Night 18:00–08:00"),
                at(8, 0),
                "security",
                "customer-service",
            ),
            shift(
                "day",
                ("日班 08:00–18:00", "Day 08:00–18:00"),
                at(18, 0),
                "customer-service",
                "security",
            ),
        ],
        equipment: equipment(&[
            ("cctv", ("监控系统", "CCTV")),
            ("fire-panel", ("消防报警主机", "Fire alarm panel")),
            ("radios", ("对讲机", "Radios")),
            ("key-cabinet", ("钥匙柜", "Key cabinet")),
            ("phone", ("电话", "Phone")),
            (
                "requests",
                ("投诉及服务要求记录", "Complaints and requests log"),
            ),
        ]),
    }
}

/// Every built-in book, in [`BOOK_IDS`] order.
pub fn builtins() -> Vec<Book> {
    vec![lobby(), show_flat(), cs_control_room()]
}

/// The built-in book `id`.
pub fn builtin(id: &str) -> Option<Book> {
    builtins().into_iter().find(|b| b.id == id)
}

/// The books someone working `posts` writes in; every book for someone
/// without posts (supervisors, people not yet given a post).
pub fn for_posts(posts: &[String]) -> Vec<Book> {
    let all = builtins();
    if posts.is_empty() {
        return all;
    }
    all.into_iter().filter(|b| b.kept_by(posts)).collect()
}

/// Whether a label fits a stored shift or equipment label.
pub fn label_fits(label: &Bilingual) -> bool {
    [&label.zh, &label.en]
        .iter()
        .all(|t| !t.trim().is_empty() && t.chars().count() <= MAX_LABEL)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checklist::Status;
    use crate::handover::{self, Capacity, Draft, EquipmentCheck, HandoverState};
    use crate::ids::is_key;
    use crate::roster::Role;
    use automerge::ActorId;
    use std::collections::BTreeSet;

    fn by(n: u8, at_ms: i64) -> crate::attribution::Attribution {
        crate::attribution::Attribution {
            person_id: format!("id{n}"),
            person: format!("p{n}"),
            role: Role::Staff,
            device: "T1".into(),
            at_ms,
        }
    }

    #[test]
    fn built_in_books_are_well_formed_and_name_the_seed_items() {
        let books = builtins();
        assert_eq!(
            books.iter().map(|b| b.id.as_str()).collect::<Vec<_>>(),
            BOOK_IDS
        );
        for b in &books {
            assert!(is_key(&b.id), "{}", b.id);
            assert!(label_fits(&b.title), "{}", b.id);
            assert!(!b.posts.is_empty() && b.posts.iter().all(|p| is_key(p)));
            assert!(!b.shifts.is_empty() && !b.equipment.is_empty());
            let ids: BTreeSet<&str> = b.equipment.iter().map(|e| e.id.as_str()).collect();
            assert_eq!(
                ids.len(),
                b.equipment.len(),
                "{}: equipment ids unique",
                b.id
            );
            for e in &b.equipment {
                assert!(is_key(&e.id) && label_fits(&e.label), "{}/{}", b.id, e.id);
            }
            let shifts: BTreeSet<&str> = b.shifts.iter().map(|s| s.id.as_str()).collect();
            assert_eq!(shifts.len(), b.shifts.len());
            for s in &b.shifts {
                assert!(is_key(&s.id) && label_fits(&s.label), "{}/{}", b.id, s.id);
                assert!(is_key(&s.from_post) && is_key(&s.to_post));
            }
            assert_eq!(builtin(&b.id).as_ref(), Some(b));
        }
        let has = |book: &Book, zh: &str| book.equipment.iter().any(|e| e.label.zh.contains(zh));
        let flat = show_flat();
        for zh in ["钥匙", "对讲机", "鞋套", "套伞", "宣传资料", "参观人数"] {
            assert!(has(&flat, zh), "show flat: {zh}");
        }
        let cs = cs_control_room();
        for zh in ["监控", "消防", "钥匙柜"] {
            assert!(has(&cs, zh), "control room: {zh}");
        }
        // 08:00 the control room hands over to customer service, 18:00 back.
        let morning = cs.shift_near(at(7, 55)).unwrap();
        assert_eq!(
            (morning.from_post.as_str(), morning.to_post.as_str()),
            ("security", "customer-service")
        );
        let evening = cs.shift_near(at(17, 40)).unwrap();
        assert_eq!(evening.at, at(18, 0));
        assert_eq!(evening.from_post, "customer-service");
        assert_eq!(builtin("nonsense"), None);
    }

    #[test]
    fn the_nearest_shift_wraps_around_midnight_and_labels_find_their_shift() {
        let lobby = lobby();
        assert_eq!(lobby.shift_near(at(23, 30)).unwrap().id, "day");
        assert_eq!(lobby.shift_near(at(2, 30)).unwrap().id, "night");
        assert_eq!(lobby.shift_near(at(9, 0)).unwrap().id, "night");
        assert_eq!(
            lobby
                .shift_labelled("白班 08:00–20:00")
                .map(|s| s.id.as_str()),
            Some("day")
        );
        assert_eq!(
            lobby
                .shift_labelled("Night shift 20:00–08:00")
                .map(|s| s.id.as_str()),
            Some("night")
        );
        assert_eq!(lobby.shift_labelled("加班"), None);
        assert_eq!(lobby.shift("day").unwrap().at, at(20, 0));
    }

    #[test]
    fn books_follow_the_roster_posts() {
        let ids = |posts: &[&str]| {
            let posts: Vec<String> = posts.iter().map(|p| (*p).to_owned()).collect();
            for_posts(&posts)
                .into_iter()
                .map(|b| b.id)
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(&["lobby"]), ["lobby"]);
        assert_eq!(ids(&["show-flat"]), ["show-flat"]);
        assert_eq!(ids(&["security"]), ["cs-control-room"]);
        assert_eq!(
            ids(&["customer-service", "lobby"]),
            ["lobby", "cs-control-room"]
        );
        assert_eq!(ids(&[]), BOOK_IDS, "no posts: every book");
        assert!(ids(&["garage"]).is_empty());
    }

    #[test]
    fn every_book_round_trips_a_hand_over_with_its_whole_list() {
        for book in builtins() {
            let mut day = handover::genesis("demo", &book.id, "2026-11-25").unwrap();
            day.set_actor(ActorId::from(vec![1; 16]));
            let s = &book.shifts[0];
            let draft = Draft {
                id: "h1".into(),
                from_post: s.from_post.clone(),
                to_post: s.to_post.clone(),
                shift: s.label.zh.clone(),
                summary: "无异常".into(),
                pending: Vec::new(),
            };
            handover::write(&mut day, &draft, &by(1, 1)).unwrap();
            let h = handover::handover(&day, "h1").unwrap().unwrap();
            assert_eq!(h.unchecked(&book.equipment), book.equipment);
            assert_eq!(book.shift_labelled(&h.shift), Some(s));
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
            handover::check_equipment(&mut day, "h1", &checks, &by(2, 2)).unwrap();
            handover::accept(&mut day, "h1", "", &by(2, 3)).unwrap();
            handover::sign(&mut day, "h1", Capacity::Outgoing, &by(1, 4)).unwrap();
            handover::sign(&mut day, "h1", Capacity::Incoming, &by(2, 5)).unwrap();
            let h = handover::handover(&day, "h1").unwrap().unwrap();
            assert!(h.unchecked(&book.equipment).is_empty(), "{}", book.id);
            assert_eq!(h.state, HandoverState::Signed);
        }
    }
}
