//! What the monthly owner-visit record (《业户访问记录》) screen shows: the
//! month's visits grouped by unit, each with what the owner said, the
//! follow-up it needs and whether it was done, who recorded it when on
//! which device; the supervisor's month-end signature and what was added
//! after it; the month before and after; and the form of a new visit.
//! Plain data, unit-tested.

use crate::words::i18n::Msg;
use shiftbook_model::Lang;
use shiftbook_model::attribution::ChangeInfo;
use shiftbook_model::owner_visit::{NewVisit, Visit};
use shiftbook_model::roster::Role;
use shiftbook_model::schedule::Date;
use shiftbook_model::signature::Signature;

/// One visit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitRow {
    /// Its id.
    pub id: String,
    /// The visit's date.
    pub date: String,
    /// The owner met.
    pub owner: String,
    /// Who visited.
    pub visitor: String,
    /// The owner's opinions.
    pub opinions: String,
    /// The owner's requests or suggestions.
    pub requests: String,
    /// The follow-up needed, if any.
    pub follow_up: Option<String>,
    /// A follow-up is needed and not recorded yet.
    pub needs_follow_up: bool,
    /// The follow-ups done: what was done, who, when.
    pub followed_up: Vec<String>,
    /// Notes: text, who, when.
    pub notes: Vec<String>,
    /// Who recorded it, when, on which device.
    pub recorded: String,
}

/// A unit's visits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitGroup {
    /// The unit as first typed.
    pub unit: String,
    /// Its visits, by date.
    pub visits: Vec<VisitRow>,
}

/// The month's record.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OwnerVisitsView {
    /// Units in order, each with its visits.
    pub units: Vec<UnitGroup>,
    /// How many visits.
    pub total: usize,
    /// How many still need their follow-up.
    pub open_follow_ups: usize,
    /// The supervisor's signatures, in words.
    pub signatures: Vec<String>,
    /// Changes after the latest signature.
    pub changed_after: usize,
}

fn who(lang: Lang, person: &str, at_ms: i64, device: &str, time: impl Fn(i64) -> String) -> String {
    crate::words::i18n::recorded_by(lang, person, &time(at_ms), device)
}

impl OwnerVisitsView {
    /// The view of `visits` (one month's, by date) with the month's
    /// `signatures` and the changes after the latest; device times shown
    /// by `time`.
    pub fn build(
        visits: &[Visit],
        signatures: &[Signature],
        after_latest: &[ChangeInfo],
        lang: Lang,
        time: impl Fn(i64) -> String + Copy,
    ) -> Self {
        let mut units: Vec<UnitGroup> = Vec::new();
        let mut keys: Vec<String> = Vec::new();
        let mut sorted: Vec<&Visit> = visits.iter().collect();
        sorted.sort_by_cached_key(|v| (v.unit_key(), v.date, v.id.clone()));
        for v in sorted {
            let row = VisitRow {
                id: v.id.clone(),
                date: v.date.to_string(),
                owner: v.details.owner.clone(),
                visitor: v.details.visitor.clone(),
                opinions: v.details.opinions.clone(),
                requests: v.details.requests.clone(),
                follow_up: v.details.follow_up.clone(),
                needs_follow_up: v.needs_follow_up(),
                followed_up: v
                    .follow_ups()
                    .iter()
                    .map(|e| {
                        format!(
                            "{} · {}",
                            e.text,
                            who(lang, &e.by.person, e.by.at_ms, &e.by.device, time)
                        )
                    })
                    .collect(),
                notes: v
                    .notes()
                    .iter()
                    .map(|e| {
                        format!(
                            "{} · {}",
                            e.text,
                            who(lang, &e.by.person, e.by.at_ms, &e.by.device, time)
                        )
                    })
                    .collect(),
                recorded: v
                    .recorded_by()
                    .map(|w| who(lang, &w.person, w.at_ms, &w.device, time))
                    .unwrap_or_default(),
            };
            let key = v.unit_key();
            match keys.iter().position(|k| *k == key) {
                Some(i) => units[i].visits.push(row),
                None => {
                    keys.push(key);
                    units.push(UnitGroup {
                        unit: v.details.unit.clone(),
                        visits: vec![row],
                    });
                }
            }
        }
        Self {
            total: visits.len(),
            open_follow_ups: visits.iter().filter(|v| v.needs_follow_up()).count(),
            units,
            signatures: signatures
                .iter()
                .map(|s| {
                    crate::words::i18n::signed_by(
                        lang,
                        &s.person,
                        crate::words::i18n::role(lang, s.role),
                        &time(s.at_ms),
                        &s.device,
                    )
                })
                .collect(),
            changed_after: after_latest.len(),
        }
    }
}

/// Whether a person of `role` may sign `month`'s record on `today`: a
/// supervisor, from the month's last day on (the model refuses others).
pub fn may_sign(role: Role, today: Date, month: &str) -> bool {
    let this = format!("{:04}-{:02}", today.year(), today.month());
    role == Role::Supervisor
        && (this.as_str() > month || (this == month && today.day() == today.days_in_month()))
}

/// What the person recording a visit typed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct VisitForm {
    /// The unit.
    pub unit: String,
    /// The owner met.
    pub owner: String,
    /// The visit's date, `YYYY-MM-DD`.
    pub date: String,
    /// Who visited.
    pub visitor: String,
    /// The owner's opinions.
    pub opinions: String,
    /// The owner's requests or suggestions.
    pub requests: String,
    /// The follow-up needed; blank for none.
    pub follow_up: String,
}

impl VisitForm {
    /// The visit to record as `id`; the model checks the texts.
    pub fn to_new(&self, id: &str, lang: Lang) -> Result<NewVisit, String> {
        let date = Date::parse(self.date.trim())
            .map_err(|_| format!("{}: {}", Msg::CpBadDate.text(lang), self.date.trim()))?;
        Ok(NewVisit {
            id: id.to_owned(),
            unit: self.unit.clone(),
            owner: self.owner.clone(),
            date,
            visitor: self.visitor.clone(),
            opinions: self.opinions.clone(),
            requests: self.requests.clone(),
            follow_up: self.follow_up.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::service_day::shift_month;
    use automerge::ActorId;
    use shiftbook_model::attribution::Attribution;
    use shiftbook_model::owner_visit;

    fn by(role: Role, at_ms: i64) -> Attribution {
        Attribution {
            person_id: "zhang".into(),
            person: "张伟".into(),
            role,
            device: "大堂平板1".into(),
            at_ms,
        }
    }

    fn form(unit: &str, date: &str, follow_up: &str) -> VisitForm {
        VisitForm {
            unit: unit.into(),
            owner: "陈先生".into(),
            date: date.into(),
            visitor: "张伟".into(),
            opinions: "电梯等候时间长".into(),
            requests: String::new(),
            follow_up: follow_up.into(),
        }
    }

    #[test]
    fn visits_group_by_unit_with_follow_ups_and_the_signature() {
        let mut doc = owner_visit::genesis("demo", "2026-11").unwrap();
        doc.set_actor(ActorId::from(vec![1; 16]));
        for (id, unit, date, follow) in [
            ("v1", "3栋 1201", "2026-11-05", "联系电梯公司"),
            ("v2", "1栋0801", "2026-11-06", ""),
            ("v3", "3栋１２０１", "2026-11-20", ""),
        ] {
            let new = form(unit, date, follow).to_new(id, Lang::Zh).unwrap();
            owner_visit::record(&mut doc, &new, &by(Role::Staff, 1_000)).unwrap();
        }
        let time = |ms: i64| format!("t{ms}");
        let visits = owner_visit::visits(&doc).unwrap();
        let v = OwnerVisitsView::build(&visits, &[], &[], Lang::Zh, time);
        assert_eq!((v.total, v.open_follow_ups), (3, 1));
        let units: Vec<(&str, usize)> = v
            .units
            .iter()
            .map(|u| (u.unit.as_str(), u.visits.len()))
            .collect();
        assert_eq!(units, vec![("1栋0801", 1), ("3栋 1201", 2)]);
        let v1 = &v.units[1].visits[0];
        assert!(v1.needs_follow_up);
        assert_eq!(v1.recorded, "由 张伟 于 t1000 在 大堂平板1 记录");
        owner_visit::followed_up(&mut doc, "v1", "已联系", &by(Role::Staff, 2_000)).unwrap();
        let signature = owner_visit::sign_month(
            &mut doc,
            Date::parse("2026-11-30").unwrap(),
            &by(Role::Supervisor, 3_000),
        )
        .unwrap();
        owner_visit::note(&mut doc, "v2", "补记电话", &by(Role::Staff, 4_000)).unwrap();
        let after = shiftbook_model::signature::changes_after(&doc, &signature).unwrap();
        let visits = owner_visit::visits(&doc).unwrap();
        let v = OwnerVisitsView::build(&visits, &[signature], &after, Lang::Zh, time);
        assert_eq!(v.open_follow_ups, 0);
        assert_eq!(v.changed_after, 1);
        assert!(v.signatures[0].contains("主管"), "{:?}", v.signatures);
        assert_eq!(
            v.units[1].visits[0].followed_up,
            vec!["已联系 · 由 张伟 于 t2000 在 大堂平板1 记录"]
        );
        assert_eq!(v.units[0].visits[0].notes.len(), 1);
    }

    #[test]
    fn only_supervisors_sign_and_only_from_the_last_day() {
        let d = |s: &str| Date::parse(s).unwrap();
        assert!(!may_sign(Role::Supervisor, d("2026-11-29"), "2026-11"));
        assert!(may_sign(Role::Supervisor, d("2026-11-30"), "2026-11"));
        assert!(may_sign(Role::Supervisor, d("2026-12-02"), "2026-11"));
        assert!(!may_sign(Role::Leader, d("2026-12-02"), "2026-11"));
        assert!(!may_sign(Role::Supervisor, d("2026-10-31"), "2026-11"));
    }

    #[test]
    fn months_step_across_years_and_bad_input_is_said() {
        assert_eq!(shift_month("2026-01", -1), "2025-12");
        assert_eq!(shift_month("2026-12", 1), "2027-01");
        assert_eq!(shift_month("junk", 1), "junk");
        assert!(form("1栋", "11月5日", "").to_new("v", Lang::Zh).is_err());
    }
}
