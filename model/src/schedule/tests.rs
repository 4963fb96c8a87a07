//! Schedule tests: the calendar, each kind of schedule, midnight and month
//! ends, weekday sets, grace and deadline boundaries, validation, the
//! agenda, document round trips — and property tests over random valid
//! schedules and dates.

use super::*;
use autosurgeon::{hydrate_prop, reconcile_prop};
use proptest::prelude::*;
use std::collections::{BTreeSet, HashMap};

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn t(s: &str) -> MinuteOfDay {
    MinuteOfDay::parse(s).unwrap()
}

fn at(s: &str) -> LocalDateTime {
    LocalDateTime::parse(s).unwrap()
}

/// Show-flat night round: every 30 minutes, 18:00–08:00 (001 §6.2.12.2).
fn night() -> Schedule {
    Schedule::every(30, t("18:00"), t("08:00")).unwrap()
}

/// Lobby opening inspection once at 08:30 (004 §2C).
fn lobby() -> Schedule {
    Schedule::fixed([t("08:30")]).unwrap()
}

fn keys(slots: &[Slot]) -> Vec<&str> {
    slots.iter().map(|s| s.key.as_str()).collect()
}

// ------------------------------------------------------------ calendar

#[test]
fn date_parse_display_round_trip() {
    for s in [
        "2026-11-20",
        "2028-02-29",
        "2000-02-29",
        "0000-01-01",
        "9999-12-31",
        "1970-01-01",
        "2026-12-31",
    ] {
        let date = d(s);
        assert_eq!(date.to_string(), s);
        assert_eq!(s.parse::<Date>(), Ok(date));
    }
    let date = d("2028-02-29");
    assert_eq!((date.year(), date.month(), date.day()), (2028, 2, 29));
}

#[test]
fn dates_that_are_not_on_the_calendar_are_refused() {
    for s in [
        "2027-02-29",
        "2100-02-29",
        "2026-04-31",
        "2026-06-31",
        "2026-13-01",
        "2026-00-10",
        "2026-01-00",
        "2026-01-32",
        "2026-1-01",
        "2026/01/01",
        "26-01-01",
        "",
        "2026-01-01 ",
        "２０２６-01-01",
    ] {
        assert_eq!(
            Date::parse(s),
            Err(ScheduleError::BadDate(s.to_owned())),
            "{s:?}"
        );
    }
    assert!(Date::new(2027, 2, 29).is_err());
    assert!(Date::new(10_000, 1, 1).is_err());
    assert!(Date::new(2026, 13, 1).is_err());
}

#[test]
fn leap_years_and_month_lengths() {
    for (year, leap) in [
        (2000, true),
        (1900, false),
        (2028, true),
        (2027, false),
        (2100, false),
        (2400, true),
        (0, true),
    ] {
        assert_eq!(is_leap_year(year), leap, "{year}");
    }
    assert_eq!(days_in_month(2028, 2), 29);
    assert_eq!(days_in_month(2027, 2), 28);
    assert_eq!(days_in_month(2026, 4), 30);
    assert_eq!(days_in_month(2026, 12), 31);
    assert_eq!(days_in_month(2026, 13), 0);
    assert_eq!(d("2028-02-10").days_in_month(), 29);
}

#[test]
fn add_days_rolls_over_month_and_year_ends() {
    let cases = [
        ("2026-12-31", 1, "2027-01-01"),
        ("2027-01-01", -1, "2026-12-31"),
        ("2028-02-28", 1, "2028-02-29"),
        ("2028-02-28", 2, "2028-03-01"),
        ("2027-02-28", 1, "2027-03-01"),
        ("2028-03-01", -1, "2028-02-29"),
        ("2026-04-30", 1, "2026-05-01"),
        ("2026-11-20", 100, "2027-02-28"),
        ("2026-11-20", -1000, "2024-02-24"),
        ("2026-11-20", 0, "2026-11-20"),
    ];
    for (from, n, to) in cases {
        assert_eq!(d(from).add_days(n), d(to), "{from} {n:+}");
        assert_eq!(d(from).checked_add_days(n), Some(d(to)));
    }
    assert_eq!(Date::MAX.checked_add_days(1), None);
    assert_eq!(Date::MAX.add_days(1), Date::MAX);
    assert_eq!(Date::MIN.checked_add_days(-1), None);
    assert_eq!(Date::MIN.add_days(i32::MIN), Date::MIN);
}

#[test]
fn days_since_epoch_follow_days_from_civil() {
    assert_eq!(d("1970-01-01").days_since_epoch(), 0);
    assert_eq!(d("1969-12-31").days_since_epoch(), -1);
    assert_eq!(d("2000-03-01").days_since_epoch(), 11_017);
    assert_eq!(d("0001-01-01").days_since_epoch(), -719_162);
    assert_eq!(d("0000-03-01").days_since_epoch(), -719_468);
    assert_eq!(Date::MAX.days_since_epoch(), 2_932_896);
    assert_eq!(Date::from_days_since_epoch(20_778), Some(d("2026-11-21")));
    assert_eq!(Date::from_days_since_epoch(2_932_897), None);
    assert_eq!(Date::from_days_since_epoch(-719_529), None);
}

#[test]
fn weekdays_of_known_dates() {
    use Weekday::*;
    for (s, w) in [
        ("1970-01-01", Thursday),
        ("2000-01-01", Saturday),
        ("2026-11-20", Friday),
        ("2026-11-21", Saturday),
        ("2026-11-23", Monday),
        ("2028-02-29", Tuesday),
        ("2027-02-28", Sunday),
        ("0001-01-01", Monday),
        ("1969-12-31", Wednesday),
    ] {
        assert_eq!(d(s).weekday(), w, "{s}");
    }
}

#[test]
fn weekday_sets() {
    let mf = Weekdays::MONDAY_TO_FRIDAY;
    assert!(mf.contains(Weekday::Monday) && mf.contains(Weekday::Friday));
    assert!(!mf.contains(Weekday::Saturday) && !mf.contains(Weekday::Sunday));
    assert_eq!(
        Weekdays::of([
            Weekday::Monday,
            Weekday::Tuesday,
            Weekday::Wednesday,
            Weekday::Thursday,
            Weekday::Friday
        ]),
        mf
    );
    assert_eq!(
        mf.with(Weekday::Saturday).with(Weekday::Sunday),
        Weekdays::ALL
    );
    assert_eq!(Weekdays::ALL.without(Weekday::Sunday).bits(), 0b011_1111);
    assert_eq!(Weekdays::default(), Weekdays::ALL);
    assert!(Weekdays::NONE.is_empty());
    assert_eq!(Weekdays::from_bits(127), Ok(Weekdays::ALL));
    assert_eq!(
        Weekdays::from_bits(128),
        Err(ScheduleError::BadWeekdays(128))
    );
}

#[test]
fn minute_of_day_parse_display() {
    for s in ["00:00", "08:30", "18:00", "23:59"] {
        assert_eq!(t(s).to_string(), s);
    }
    assert_eq!(t("07:30").as_minutes(), 450);
    assert_eq!((t("07:30").hour(), t("07:30").minute()), (7, 30));
    assert_eq!(t("07:30").key(), "0730");
    assert_eq!(MinuteOfDay::new(18, 0), Ok(t("18:00")));
    assert_eq!(MinuteOfDay::from_minutes(1439), Ok(t("23:59")));
    assert!(MinuteOfDay::from_minutes(1440).is_err());
    for s in [
        "24:00", "7:30", "12:60", "12-30", "1230", "+1:30", "12:3", "", "12:30 ",
    ] {
        assert_eq!(
            MinuteOfDay::parse(s),
            Err(ScheduleError::BadTime(s.to_owned())),
            "{s:?}"
        );
    }
}

#[test]
fn local_date_times_are_ordered_and_convert_to_epoch_minutes() {
    assert!(at("2026-11-20 23:59") < at("2026-11-21 00:00"));
    assert!(at("2026-11-21 00:00") < at("2026-11-21 00:01"));
    assert!(at("2026-12-31 23:59") < at("2027-01-01 00:00"));
    assert_eq!(at("2026-11-21T03:10"), at("2026-11-21 03:10"));
    assert_eq!(at("2026-11-21 03:10").to_string(), "2026-11-21 03:10");
    assert_eq!(at("1970-01-02 00:00").epoch_minutes(), 1440);
    assert_eq!(at("1970-01-01 00:01").epoch_minutes(), 1);
    assert_eq!(
        LocalDateTime::from_epoch_minutes(-1),
        Some(at("1969-12-31 23:59"))
    );
    assert_eq!(
        at("2028-02-28 23:50").add_minutes(20),
        at("2028-02-29 00:10")
    );
    assert_eq!(
        at("2027-01-01 00:05").add_minutes(-10),
        at("2026-12-31 23:55")
    );
    assert_eq!(
        at("2026-11-20 18:00").minutes_until(at("2026-11-21 08:00")),
        840
    );
    assert_eq!(LocalDateTime::MAX.add_minutes(1), LocalDateTime::MAX);
    assert_eq!(LocalDateTime::MAX.checked_add_minutes(1), None);
    assert_eq!(LocalDateTime::MIN.add_minutes(i64::MIN), LocalDateTime::MIN);
    for s in [
        "2026-11-21",
        "2026-11-21 24:00",
        "2026-11-21  03:10",
        "03:10",
    ] {
        assert_eq!(
            LocalDateTime::parse(s),
            Err(ScheduleError::BadDateTime(s.to_owned()))
        );
    }
}

// ------------------------------------------------------------ each kind

#[test]
fn fixed_once_a_day_runs_until_the_end_of_its_day() {
    let slots = slots_on(&lobby(), d("2026-11-20")).unwrap();
    assert_eq!(
        slots,
        vec![Slot {
            service_date: d("2026-11-20"),
            key: "0830".to_owned(),
            due: at("2026-11-20 08:30"),
            late_from: at("2026-11-20 08:40"),
            deadline: at("2026-11-21 00:00"),
        }]
    );
}

#[test]
fn fixed_times_are_sorted_and_each_runs_until_the_next() {
    let s = Schedule::fixed([t("20:00"), t("08:30"), t("14:00")]).unwrap();
    let slots = slots_on(&s, d("2026-11-20")).unwrap();
    assert_eq!(keys(&slots), ["0830", "1400", "2000"]);
    let deadlines: Vec<_> = slots.iter().map(|s| s.deadline).collect();
    assert_eq!(
        deadlines,
        [
            at("2026-11-20 14:00"),
            at("2026-11-20 20:00"),
            at("2026-11-21 00:00")
        ]
    );
    // A hydrated schedule with unsorted times gives the same slots.
    let unsorted = Schedule::Fixed {
        times: vec![t("20:00"), t("08:30"), t("14:00")],
        days: Weekdays::ALL,
        grace_minutes: 10,
    };
    assert_eq!(slots_on(&unsorted, d("2026-11-20")).unwrap(), slots);
}

#[test]
fn night_window_across_midnight_has_28_slots_on_its_service_date() {
    let date = d("2026-11-20");
    let slots = slots_on(&night(), date).unwrap();
    assert_eq!(slots.len(), 28);
    assert!(slots.iter().all(|s| s.service_date == date));
    assert_eq!(slots[0].key, "1800");
    assert_eq!(slots[0].due, at("2026-11-20 18:00"));
    assert_eq!(slots[0].late_from, at("2026-11-20 18:10"));
    assert_eq!(slots[0].deadline, at("2026-11-20 18:30"));
    assert_eq!(slots[11].key, "2330");
    assert_eq!(slots[11].deadline, at("2026-11-21 00:00"));
    assert_eq!(slots[12].key, "0000");
    assert_eq!(slots[12].due, at("2026-11-21 00:00"));
    let last = &slots[27];
    assert_eq!(last.key, "0730");
    assert_eq!(last.due, at("2026-11-21 07:30"));
    assert_eq!(last.deadline, at("2026-11-21 08:00"));
    assert_eq!(last.service_date, date);
    let unique: BTreeSet<_> = keys(&slots).into_iter().collect();
    assert_eq!(unique.len(), 28);
}

#[test]
fn a_query_after_midnight_finds_yesterdays_window() {
    let s = night();
    let found = slots_between(&s, at("2026-11-21 03:10"), at("2026-11-21 03:11")).unwrap();
    assert_eq!(found.len(), 1);
    let slot = &found[0];
    assert_eq!(
        (slot.service_date, slot.key.as_str()),
        (d("2026-11-20"), "0300")
    );
    assert_eq!(
        slot.state(at("2026-11-21 03:10"), RoundProgress::NotStarted),
        SlotState::Late
    );
    assert_eq!(
        slot.state(at("2026-11-21 03:09"), RoundProgress::NotStarted),
        SlotState::Due
    );
    // The whole early morning: yesterday's slots only (today's window
    // starts at 18:00).
    let morning = slots_between(&s, at("2026-11-21 00:00"), at("2026-11-21 12:00")).unwrap();
    assert_eq!(morning.len(), 16);
    assert!(morning.iter().all(|s| s.service_date == d("2026-11-20")));
    assert_eq!(morning[0].key, "0000");
    assert_eq!(morning[15].key, "0730");
}

#[test]
fn an_uneven_window_ends_with_a_short_slot() {
    let s = Schedule::every(30, t("18:00"), t("19:45")).unwrap();
    let slots = slots_on(&s, d("2026-11-20")).unwrap();
    assert_eq!(keys(&slots), ["1800", "1830", "1900", "1930"]);
    assert_eq!(slots[3].deadline, at("2026-11-20 19:45"));
    // An interval longer than the window: one slot for the whole window.
    let s = Schedule::every(1440, t("22:00"), t("02:00")).unwrap();
    let slots = slots_on(&s, d("2026-12-31")).unwrap();
    assert_eq!(keys(&slots), ["2200"]);
    assert_eq!(slots[0].deadline, at("2027-01-01 02:00"));
}

#[test]
fn twice_per_working_day_splits_the_window_and_is_due_for_the_whole_part() {
    let s = Schedule::times_per_day(2, t("08:00"), t("20:00"))
        .unwrap()
        .with_days(Weekdays::MONDAY_TO_FRIDAY)
        .unwrap();
    let monday = slots_on(&s, d("2026-11-23")).unwrap();
    assert_eq!(keys(&monday), ["0800", "1400"]);
    assert_eq!(monday[0].deadline, at("2026-11-23 14:00"));
    assert_eq!(monday[1].due, at("2026-11-23 14:00"));
    assert_eq!(monday[1].deadline, at("2026-11-23 20:00"));
    let first = &monday[0];
    assert_eq!(first.late_from, first.deadline);
    let state = |now| first.state(at(now), RoundProgress::NotStarted);
    assert_eq!(state("2026-11-23 07:59"), SlotState::Upcoming);
    assert_eq!(state("2026-11-23 08:00"), SlotState::Due);
    assert_eq!(state("2026-11-23 13:59"), SlotState::Due);
    assert_eq!(state("2026-11-23 14:00"), SlotState::Missed);
    assert!(slots_on(&s, d("2026-11-21")).unwrap().is_empty());
    assert!(slots_on(&s, d("2026-11-22")).unwrap().is_empty());
}

#[test]
fn times_per_day_parts_are_whole_minutes_and_may_cross_midnight() {
    let s = Schedule::times_per_day(3, t("08:00"), t("09:40")).unwrap();
    let slots = slots_on(&s, d("2026-11-20")).unwrap();
    assert_eq!(keys(&slots), ["0800", "0833", "0906"]);
    assert_eq!(slots[2].deadline, at("2026-11-20 09:40"));
    let s = Schedule::times_per_day(2, t("22:00"), t("06:00")).unwrap();
    let slots = slots_on(&s, d("2026-12-31")).unwrap();
    assert_eq!(keys(&slots), ["2200", "0200"]);
    assert_eq!(slots[1].due, at("2027-01-01 02:00"));
    assert_eq!(slots[1].deadline, at("2027-01-01 06:00"));
    assert_eq!(slots[1].service_date, d("2026-12-31"));
}

#[test]
fn monthly_on_day_31_falls_on_the_last_day_of_shorter_months() {
    let s = Schedule::monthly(31, t("09:00")).unwrap();
    let on = |date: &str| slots_on(&s, d(date)).unwrap();
    let feb_2028 = on("2028-02-29");
    assert_eq!(
        feb_2028,
        vec![Slot {
            service_date: d("2028-02-29"),
            key: "m".to_owned(),
            due: at("2028-02-29 09:00"),
            late_from: at("2028-03-01 00:00"),
            deadline: at("2028-03-01 00:00"),
        }]
    );
    assert!(on("2028-02-28").is_empty());
    assert_eq!(on("2027-02-28").len(), 1);
    assert_eq!(on("2026-04-30").len(), 1);
    assert!(on("2026-04-29").is_empty());
    assert_eq!(on("2026-01-31").len(), 1);
    assert!(on("2026-01-30").is_empty());
    let dec = on("2026-12-31");
    assert_eq!(dec[0].deadline, at("2027-01-01 00:00"));
    // Exactly one per month over a year.
    let year = slots_between(&s, at("2026-01-01 00:00"), at("2027-01-01 00:00")).unwrap();
    assert_eq!(year.len(), 12);
}

#[test]
fn a_monthly_day_off_moves_to_the_next_working_day() {
    let s = Schedule::monthly(31, t("09:00"))
        .unwrap()
        .with_days(Weekdays::MONDAY_TO_FRIDAY)
        .unwrap();
    let on = |date: &str| slots_on(&s, d(date)).unwrap();
    // Saturday 31 October 2026 → Monday 2 November.
    assert!(on("2026-10-31").is_empty());
    assert!(on("2026-11-01").is_empty());
    let moved = on("2026-11-02");
    assert_eq!(moved.len(), 1);
    assert_eq!(moved[0].due, at("2026-11-02 09:00"));
    // November's own: Monday the 30th.
    assert_eq!(on("2026-11-30").len(), 1);
    // Day 1 falling on a Sunday.
    let first = Schedule::monthly(1, t("09:00"))
        .unwrap()
        .with_days(Weekdays::MONDAY_TO_FRIDAY)
        .unwrap();
    assert!(slots_on(&first, d("2026-11-01")).unwrap().is_empty());
    assert_eq!(slots_on(&first, d("2026-11-02")).unwrap().len(), 1);
}

#[test]
fn every_month_has_exactly_one_monthly_slot_whatever_the_days() {
    let sets = [
        Weekdays::ALL,
        Weekdays::MONDAY_TO_FRIDAY,
        Weekdays::of([Weekday::Sunday]),
        Weekdays::of([Weekday::Saturday, Weekday::Sunday]),
    ];
    for dom in 1..=31 {
        for days in sets {
            let s = Schedule::monthly(dom, t("09:00"))
                .unwrap()
                .with_days(days)
                .unwrap();
            let mut previous: Option<Date> = None;
            for month in 0..48 {
                let (year, m) = (2026 + month / 12, (month % 12) as u8 + 1);
                let target = Date::new(year, m, dom.min(days_in_month(year, m))).unwrap();
                let hits: Vec<Date> = (0..7)
                    .map(|k| target.add_days(k))
                    .filter(|date| !slots_on(&s, *date).unwrap().is_empty())
                    .collect();
                assert_eq!(hits.len(), 1, "day {dom}, {days:?}, {target}");
                let hit = hits[0];
                assert!(days.contains(hit.weekday()));
                assert!(
                    (0..hit.days_since_epoch() - target.days_since_epoch())
                        .all(|k| !days.contains(target.add_days(k as i32).weekday()))
                );
                if let Some(p) = previous {
                    let gap = hit.days_since_epoch() - p.days_since_epoch();
                    assert!((21..=40).contains(&gap), "gap {gap} before {hit}");
                }
                previous = Some(hit);
            }
        }
    }
}

// ------------------------------------------------------------ weekdays

#[test]
fn a_weekday_schedule_skips_the_weekend_but_fridays_night_runs_into_saturday() {
    let s = night().with_days(Weekdays::MONDAY_TO_FRIDAY).unwrap();
    assert!(slots_on(&s, d("2026-11-21")).unwrap().is_empty());
    assert!(slots_on(&s, d("2026-11-22")).unwrap().is_empty());
    assert_eq!(slots_on(&s, d("2026-11-20")).unwrap().len(), 28);
    assert_eq!(slots_on(&s, d("2026-11-23")).unwrap().len(), 28);
    let saturday_morning =
        slots_between(&s, at("2026-11-21 00:00"), at("2026-11-21 12:00")).unwrap();
    assert_eq!(saturday_morning.len(), 16);
    assert!(
        saturday_morning
            .iter()
            .all(|x| x.service_date == d("2026-11-20"))
    );
    assert!(
        slots_between(&s, at("2026-11-21 12:00"), at("2026-11-23 00:00"))
            .unwrap()
            .is_empty()
    );
    // Sunday's window would start Sunday 18:00: nothing on Monday morning.
    assert!(
        slots_between(&s, at("2026-11-23 00:00"), at("2026-11-23 08:00"))
            .unwrap()
            .is_empty()
    );
    let lobby_weekdays = lobby().with_days(Weekdays::MONDAY_TO_FRIDAY).unwrap();
    assert!(
        slots_on(&lobby_weekdays, d("2026-11-21"))
            .unwrap()
            .is_empty()
    );
}

// ------------------------------------------------------------ boundaries

#[test]
fn due_late_missed_boundaries_are_exact_to_the_minute() {
    let slot = slots_on(&lobby(), d("2026-11-20")).unwrap().remove(0);
    let state = |now| slot.state(at(now), RoundProgress::NotStarted);
    assert_eq!(state("2026-11-19 23:59"), SlotState::Upcoming);
    assert_eq!(state("2026-11-20 08:29"), SlotState::Upcoming);
    assert_eq!(state("2026-11-20 08:30"), SlotState::Due);
    assert_eq!(state("2026-11-20 08:39"), SlotState::Due);
    assert_eq!(state("2026-11-20 08:40"), SlotState::Late);
    assert_eq!(state("2026-11-20 23:59"), SlotState::Late);
    assert_eq!(state("2026-11-21 00:00"), SlotState::Missed);
    assert_eq!(state("2027-11-21 00:00"), SlotState::Missed);
}

#[test]
fn grace_never_reaches_past_the_deadline() {
    let s = Schedule::every(5, t("08:00"), t("09:00")).unwrap();
    for slot in slots_on(&s, d("2026-11-20")).unwrap() {
        assert_eq!(slot.late_from, slot.deadline);
        assert_eq!(
            slot.state(slot.deadline.add_minutes(-1), RoundProgress::NotStarted),
            SlotState::Due
        );
        assert_eq!(
            slot.state(slot.deadline, RoundProgress::NotStarted),
            SlotState::Missed
        );
    }
    let s = Schedule::every(30, t("08:00"), t("09:00"))
        .unwrap()
        .with_grace(45)
        .unwrap();
    let slots = slots_on(&s, d("2026-11-20")).unwrap();
    assert_eq!(slots[0].late_from, at("2026-11-20 08:30"));
}

#[test]
fn zero_grace_is_late_from_the_due_minute() {
    let s = lobby().with_grace(0).unwrap();
    let slot = slots_on(&s, d("2026-11-20")).unwrap().remove(0);
    assert_eq!(slot.late_from, slot.due);
    assert_eq!(
        slot.state(at("2026-11-20 08:30"), RoundProgress::NotStarted),
        SlotState::Late
    );
}

#[test]
fn progress_decides_over_the_clock() {
    let slot = slots_on(&lobby(), d("2026-11-20")).unwrap().remove(0);
    let later = at("2026-11-25 12:00");
    let started = |s| RoundProgress::Started { at: at(s) };
    let finished = |s, f| RoundProgress::Finished {
        started: at(s),
        at: at(f),
    };
    let cases = [
        (
            started("2026-11-20 08:35"),
            SlotState::InProgress {
                after_deadline: false,
            },
        ),
        (
            started("2026-11-20 23:59"),
            SlotState::InProgress {
                after_deadline: false,
            },
        ),
        (
            started("2026-11-21 00:00"),
            SlotState::InProgress {
                after_deadline: true,
            },
        ),
        (
            finished("2026-11-20 08:31", "2026-11-20 08:39"),
            SlotState::Done {
                late: false,
                after_deadline: false,
            },
        ),
        // Begun within the grace: on time, however long the walk.
        (
            finished("2026-11-20 08:39", "2026-11-20 08:55"),
            SlotState::Done {
                late: false,
                after_deadline: false,
            },
        ),
        // Begun after the grace: late.
        (
            finished("2026-11-20 08:40", "2026-11-20 08:45"),
            SlotState::Done {
                late: true,
                after_deadline: false,
            },
        ),
        // Started early: not penalised.
        (
            finished("2026-11-20 08:00", "2026-11-20 08:20"),
            SlotState::Done {
                late: false,
                after_deadline: false,
            },
        ),
        // Started in time, finished past the deadline: late, not missed.
        (
            finished("2026-11-20 23:59", "2026-11-21 00:30"),
            SlotState::Done {
                late: true,
                after_deadline: false,
            },
        ),
        // Made up after the deadline: counts, and shows it was missed.
        (
            finished("2026-11-21 00:00", "2026-11-21 00:20"),
            SlotState::Done {
                late: true,
                after_deadline: true,
            },
        ),
    ];
    for (progress, expected) in cases {
        assert_eq!(slot.state(later, progress), expected, "{progress:?}");
        // The clock does not matter once a round is known.
        assert_eq!(
            slot.state(at("2026-11-20 08:00"), progress),
            expected,
            "{progress:?}"
        );
    }
}

#[test]
fn slots_between_is_half_open_and_empty_for_empty_ranges() {
    let s = lobby();
    let one = |from, to| slots_between(&s, at(from), at(to)).unwrap().len();
    assert_eq!(one("2026-11-20 08:30", "2026-11-20 08:31"), 1);
    assert_eq!(one("2026-11-20 08:00", "2026-11-20 08:30"), 0);
    assert_eq!(one("2026-11-20 23:59", "2026-11-21 00:00"), 1);
    assert_eq!(one("2026-11-21 00:00", "2026-11-21 08:30"), 0);
    assert_eq!(one("2026-11-20 12:00", "2026-11-20 12:00"), 0);
    assert_eq!(one("2026-11-20 12:00", "2026-11-20 11:00"), 0);
    assert_eq!(one("2026-11-20 00:00", "2026-11-27 00:00"), 7);
}

// ------------------------------------------------------------ validation

#[test]
fn invalid_schedules_are_refused_with_a_reason() {
    use ScheduleError::*;
    let cases: Vec<(Result<Schedule, ScheduleError>, ScheduleError)> = vec![
        (Schedule::every(0, t("18:00"), t("08:00")), BadInterval(0)),
        (
            Schedule::every(1441, t("18:00"), t("08:00")),
            BadInterval(1441),
        ),
        (
            Schedule::every(30, t("18:00"), t("18:00")),
            EmptyWindow(t("18:00")),
        ),
        (
            Schedule::times_per_day(0, t("08:00"), t("20:00")),
            BadCount(0),
        ),
        (
            Schedule::times_per_day(97, t("00:00"), t("23:59")),
            BadCount(97),
        ),
        (
            Schedule::times_per_day(2, t("08:00"), t("08:00")),
            EmptyWindow(t("08:00")),
        ),
        (
            Schedule::times_per_day(5, t("08:00"), t("08:03")),
            WindowTooShort {
                count: 5,
                window_minutes: 3,
            },
        ),
        (Schedule::monthly(0, t("09:00")), BadDayOfMonth(0)),
        (Schedule::monthly(32, t("09:00")), BadDayOfMonth(32)),
        (Schedule::fixed([]), NoTimes),
        (
            Schedule::fixed([t("08:30"), t("12:00"), t("08:30")]),
            DuplicateTime(t("08:30")),
        ),
        (lobby().with_days(Weekdays::NONE), NoDays),
        (night().with_days(Weekdays::NONE), NoDays),
        (lobby().with_grace(1441), BadGrace(1441)),
    ];
    for (got, expected) in cases {
        assert_eq!(got, Err(expected));
    }
    // The edges that are accepted.
    assert!(Schedule::every(1440, t("18:00"), t("08:00")).is_ok());
    assert!(Schedule::every(1, t("00:00"), t("23:59")).is_ok());
    assert!(Schedule::times_per_day(96, t("00:00"), t("23:59")).is_ok());
    assert!(Schedule::times_per_day(3, t("08:00"), t("08:03")).is_ok());
    assert!(Schedule::monthly(1, t("00:00")).is_ok());
    assert!(Schedule::monthly(31, t("23:59")).is_ok());
    assert!(lobby().with_grace(WHOLE_SLOT).is_ok());
    // A schedule read from a document is checked before use.
    let hydrated = Schedule::Every {
        every_minutes: 0,
        from: t("18:00"),
        to: t("08:00"),
        days: Weekdays::ALL,
        grace_minutes: 10,
    };
    assert_eq!(slots_on(&hydrated, d("2026-11-20")), Err(BadInterval(0)));
    assert_eq!(
        slots_between(&hydrated, at("2026-11-20 00:00"), at("2026-11-21 00:00")),
        Err(BadInterval(0))
    );
}

#[test]
fn defaults_of_each_kind() {
    assert_eq!(lobby().grace_minutes(), DEFAULT_GRACE_MINUTES);
    assert_eq!(night().grace_minutes(), DEFAULT_GRACE_MINUTES);
    let twice = Schedule::times_per_day(2, t("08:00"), t("20:00")).unwrap();
    assert_eq!(twice.grace_minutes(), WHOLE_SLOT);
    let monthly = Schedule::monthly(1, t("09:00")).unwrap();
    assert_eq!(monthly.grace_minutes(), WHOLE_SLOT);
    for s in [lobby(), night(), twice, monthly] {
        assert_eq!(s.days(), Weekdays::ALL);
    }
    assert_eq!(
        Schedule::fixed([t("20:00"), t("08:30")]).unwrap(),
        Schedule::Fixed {
            times: vec![t("08:30"), t("20:00")],
            days: Weekdays::ALL,
            grace_minutes: 10,
        }
    );
}

#[test]
fn slots_at_the_end_of_time_are_out_of_range() {
    assert_eq!(
        slots_on(&night(), Date::MAX),
        Err(ScheduleError::OutOfRange)
    );
    // The last fixed slot of a day runs until the next day's 00:00.
    assert_eq!(
        slots_on(&lobby(), Date::MAX),
        Err(ScheduleError::OutOfRange)
    );
    assert_eq!(
        slots_on(&lobby(), Date::MAX.add_days(-1)).unwrap()[0].deadline,
        LocalDateTime::new(Date::MAX, MinuteOfDay::MIDNIGHT)
    );
    assert_eq!(
        slots_on(&lobby(), Date::MIN).unwrap()[0].due,
        at("0000-01-01 08:30")
    );
}

// ------------------------------------------------------------ agenda

#[test]
fn agenda_shows_due_next_and_missed_across_midnight() {
    let now = at("2026-11-21 03:10"); // Saturday
    let schedules = [
        ("lobby-opening".to_owned(), lobby()),
        (
            "show-flat-night".to_owned(),
            night().with_days(Weekdays::MONDAY_TO_FRIDAY).unwrap(),
        ),
        (
            "public-area".to_owned(),
            Schedule::times_per_day(2, t("08:00"), t("20:00"))
                .unwrap()
                .with_days(Weekdays::MONDAY_TO_FRIDAY)
                .unwrap(),
        ),
        (
            "fire-equipment".to_owned(),
            Schedule::monthly(31, t("09:00")).unwrap(),
        ),
        (
            "broken".to_owned(),
            Schedule::Every {
                every_minutes: 0,
                from: t("18:00"),
                to: t("08:00"),
                days: Weekdays::ALL,
                grace_minutes: 10,
            },
        ),
    ];
    let fri = d("2026-11-20");
    let sat = d("2026-11-21");
    let mut known: HashMap<(&str, Date, &str), RoundProgress> = HashMap::new();
    known.insert(("show-flat-night", fri, "0100"), RoundProgress::NotStarted);
    known.insert(
        ("show-flat-night", fri, "0230"),
        RoundProgress::Started {
            at: at("2026-11-21 02:35"),
        },
    );
    known.insert(("show-flat-night", fri, "0300"), RoundProgress::NotStarted);
    known.insert(("public-area", fri, "1400"), RoundProgress::NotStarted);
    known.insert(
        ("lobby-opening", sat, "0830"),
        RoundProgress::Started {
            at: at("2026-11-21 03:00"),
        },
    );
    let mut asked = 0;
    let agenda = Agenda::build(
        now,
        24 * 60,
        schedules.iter().map(|(id, s)| (id.as_str(), s)),
        |id, slot| {
            asked += 1;
            known
                .get(&(id, slot.service_date, slot.key.as_str()))
                .copied()
                .unwrap_or(if slot.due <= now {
                    // Everything else before now was done on time.
                    RoundProgress::Finished {
                        started: slot.due,
                        at: slot.due,
                    }
                } else {
                    RoundProgress::NotStarted
                })
        },
    );
    assert!(asked > 0);
    let show = |entries: &[AgendaEntry]| -> Vec<(String, String, String, SlotState)> {
        entries
            .iter()
            .map(|e| {
                (
                    e.template_id.clone(),
                    e.slot.service_date.to_string(),
                    e.slot.key.clone(),
                    e.state,
                )
            })
            .collect()
    };
    let row = |id: &str, date: &str, key: &str, state| {
        (id.to_owned(), date.to_owned(), key.to_owned(), state)
    };
    assert_eq!(agenda.now, now);
    assert_eq!(
        show(&agenda.due_now),
        [
            row(
                "show-flat-night",
                "2026-11-20",
                "0230",
                SlotState::InProgress {
                    after_deadline: false
                }
            ),
            row("show-flat-night", "2026-11-20", "0300", SlotState::Late),
            row(
                "lobby-opening",
                "2026-11-21",
                "0830",
                SlotState::InProgress {
                    after_deadline: false
                }
            ),
        ]
    );
    assert_eq!(
        show(&agenda.next),
        [
            row("show-flat-night", "2026-11-20", "0330", SlotState::Upcoming),
            row("lobby-opening", "2026-11-22", "0830", SlotState::Upcoming),
            row("public-area", "2026-11-23", "0800", SlotState::Upcoming),
            row("fire-equipment", "2026-11-30", "m", SlotState::Upcoming),
        ]
    );
    assert_eq!(
        show(&agenda.missed),
        [
            row("public-area", "2026-11-20", "1400", SlotState::Missed),
            row("show-flat-night", "2026-11-20", "0100", SlotState::Missed),
        ]
    );
    assert_eq!(
        agenda.invalid,
        [("broken".to_owned(), ScheduleError::BadInterval(0))]
    );
}

#[test]
fn agenda_look_back_limits_missed() {
    // Nothing done at all since Friday 18:00; ask at Saturday 03:10.
    let now = at("2026-11-21 03:10");
    let s = night();
    let missed = |look_back| {
        Agenda::build(now, look_back, [("night", &s)], |_, _| {
            RoundProgress::NotStarted
        })
        .missed
        .len()
    };
    // Back to Friday 03:10: Thursday's window from its 03:00 slot
    // (deadline 03:30) to 07:30 — 10 slots — and Friday's from 18:00 to
    // 02:30 (deadline 03:00) — 18 slots.
    assert_eq!(missed(24 * 60), 28);
    // Back to Friday 18:29: Friday's 18 only; back to 18:30, the 18:00
    // slot (deadline 18:30) is out of the look-back.
    assert_eq!(missed(8 * 60 + 41), 18);
    assert_eq!(missed(8 * 60 + 40), 17);
    // Looking back 60 minutes (to 02:10): deadlines 02:30 and 03:00.
    assert_eq!(missed(60), 2);
    assert_eq!(missed(0), 0);
}

// ------------------------------------------------------------ documents

#[test]
fn schedules_round_trip_through_an_automerge_document() {
    let examples = [
        lobby(),
        Schedule::fixed([t("08:30"), t("20:00")])
            .unwrap()
            .with_grace(15)
            .unwrap(),
        night().with_days(Weekdays::MONDAY_TO_FRIDAY).unwrap(),
        Schedule::times_per_day(2, t("09:00"), t("21:00")).unwrap(),
        Schedule::monthly(31, t("09:00")).unwrap(),
    ];
    for s in examples {
        let mut doc = automerge::AutoCommit::new();
        reconcile_prop(&mut doc, automerge::ROOT, "schedule", &s).unwrap();
        let loaded = automerge::AutoCommit::load(&doc.save()).unwrap();
        let back: Schedule = hydrate_prop(&loaded, automerge::ROOT, "schedule").unwrap();
        assert_eq!(back, s);
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(serde_json::from_str::<Schedule>(&json).unwrap(), s);
    }
}

#[test]
fn stored_shape_is_readable() {
    let s = night().with_days(Weekdays::MONDAY_TO_FRIDAY).unwrap();
    assert_eq!(
        serde_json::to_value(&s).unwrap(),
        serde_json::json!({"every": {
            "every_minutes": 30, "from": "18:00", "to": "08:00",
            "days": 31, "grace_minutes": 10,
        }})
    );
    let mut doc = automerge::AutoCommit::new();
    reconcile_prop(&mut doc, automerge::ROOT, "schedule", &s).unwrap();
    let every: automerge::ObjId = match automerge::ReadDoc::get(&doc, automerge::ROOT, "schedule")
        .unwrap()
        .and_then(|(_, sched)| {
            automerge::ReadDoc::get(&doc, &sched, "every")
                .unwrap()
                .map(|(_, id)| id)
        }) {
        Some(id) => id,
        None => panic!("no every map"),
    };
    let from: String = hydrate_prop(&doc, &every, "from").unwrap();
    assert_eq!(from, "18:00");
    let json = r#"{"times-per-day":{"count":2,"from":"08:00","to":"20:00","days":31,"grace_minutes":1440}}"#;
    assert_eq!(
        serde_json::from_str::<Schedule>(json).unwrap(),
        Schedule::times_per_day(2, t("08:00"), t("20:00"))
            .unwrap()
            .with_days(Weekdays::MONDAY_TO_FRIDAY)
            .unwrap()
    );
}

#[test]
fn unreadable_stored_values_are_refused() {
    let mut doc = automerge::AutoCommit::new();
    let bad_time =
        serde_json::json!({"fixed": {"times": ["8:30"], "days": 127, "grace_minutes": 10}});
    assert!(serde_json::from_value::<Schedule>(bad_time).is_err());
    let bad_days =
        serde_json::json!({"fixed": {"times": ["08:30"], "days": 200, "grace_minutes": 10}});
    assert!(serde_json::from_value::<Schedule>(bad_days).is_err());
    reconcile_prop(&mut doc, automerge::ROOT, "t", "8:30").unwrap();
    assert!(hydrate_prop::<_, MinuteOfDay, _, _>(&doc, automerge::ROOT, "t").is_err());
    reconcile_prop(&mut doc, automerge::ROOT, "days", 200_u64).unwrap();
    assert!(hydrate_prop::<_, Weekdays, _, _>(&doc, automerge::ROOT, "days").is_err());
    reconcile_prop(&mut doc, automerge::ROOT, "days", 31_i64).unwrap();
    assert_eq!(
        hydrate_prop::<_, Weekdays, _, _>(&doc, automerge::ROOT, "days").unwrap(),
        Weekdays::MONDAY_TO_FRIDAY
    );
}

// ------------------------------------------------------------ properties

fn minute() -> impl Strategy<Value = MinuteOfDay> {
    (0..MINUTES_PER_DAY).prop_map(MinuteOfDay)
}

fn weekdays() -> impl Strategy<Value = Weekdays> {
    prop_oneof![
        Just(Weekdays::ALL),
        Just(Weekdays::MONDAY_TO_FRIDAY),
        (1u8..=127).prop_map(Weekdays),
    ]
}

fn grace() -> impl Strategy<Value = u16> {
    prop_oneof![Just(DEFAULT_GRACE_MINUTES), 0u16..=120, Just(WHOLE_SLOT)]
}

fn schedule() -> impl Strategy<Value = Schedule> {
    let fixed = (
        prop::collection::btree_set(0..MINUTES_PER_DAY, 1..8)
            .prop_map(|set| set.into_iter().map(MinuteOfDay).collect::<Vec<_>>())
            .prop_shuffle(),
        weekdays(),
        grace(),
    )
        .prop_map(|(times, days, grace_minutes)| Schedule::Fixed {
            times,
            days,
            grace_minutes,
        });
    let every = (
        prop_oneof![3 => 5u16..=240, 1 => 1u16..=MINUTES_PER_DAY],
        minute(),
        minute(),
        weekdays(),
        grace(),
    )
        .prop_filter("window not empty", |(_, from, to, _, _)| from != to)
        .prop_map(
            |(every_minutes, from, to, days, grace_minutes)| Schedule::Every {
                every_minutes,
                from,
                to,
                days,
                grace_minutes,
            },
        );
    let per_day = (
        1..=MAX_TIMES_PER_DAY,
        minute(),
        minute(),
        weekdays(),
        grace(),
    )
        .prop_filter("window holds the parts", |(count, from, to, _, _)| {
            window_minutes(*from, *to).is_ok_and(|w| w >= u16::from(*count))
        })
        .prop_map(
            |(count, from, to, days, grace_minutes)| Schedule::TimesPerDay {
                count,
                from,
                to,
                days,
                grace_minutes,
            },
        );
    let monthly = (1u8..=31, minute(), weekdays(), grace()).prop_map(
        |(day_of_month, at, days, grace_minutes)| Schedule::Monthly {
            day_of_month,
            at,
            days,
            grace_minutes,
        },
    );
    prop_oneof![fixed, every, per_day, monthly]
}

/// Dates 1900-01-01 … 2199-12-31.
fn date() -> impl Strategy<Value = Date> {
    (-25_567i64..84_006).prop_map(|n| Date::from_days_since_epoch(n).unwrap())
}

fn date_time() -> impl Strategy<Value = LocalDateTime> {
    (date(), minute()).prop_map(|(date, minute)| LocalDateTime { date, minute })
}

/// Upcoming < Due < Late < Missed.
fn rank(state: SlotState) -> u8 {
    match state {
        SlotState::Upcoming => 0,
        SlotState::Due => 1,
        SlotState::Late => 2,
        SlotState::Missed => 3,
        other => panic!("{other:?} for a round not started"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn generated_schedules_are_valid(s in schedule()) {
        prop_assert_eq!(s.validate(), Ok(()));
    }

    #[test]
    fn slots_are_sorted_unique_and_never_overlap(s in schedule(), date in date()) {
        let slots = slots_on(&s, date).unwrap();
        let next_day = slots_on(&s, date.add_days(1)).unwrap();
        let keys: BTreeSet<&str> = slots.iter().map(|x| x.key.as_str()).collect();
        prop_assert_eq!(keys.len(), slots.len());
        let day_start = LocalDateTime::new(date, MinuteOfDay::MIDNIGHT);
        let grace = i64::from(s.grace_minutes());
        for slot in &slots {
            prop_assert_eq!(slot.service_date, date);
            prop_assert!(slot.due < slot.deadline);
            prop_assert!(slot.due <= slot.late_from && slot.late_from <= slot.deadline);
            prop_assert_eq!(slot.late_from, slot.due.add_minutes(grace).min(slot.deadline));
            prop_assert!(slot.due >= day_start);
            prop_assert!(slot.deadline <= day_start.add_minutes(2 * 1440));
            if !matches!(s, Schedule::Monthly { .. }) {
                prop_assert_eq!(&slot.key, &slot.due.minute.key());
            }
        }
        // Sorted by due, and each ends before the next begins — also into
        // the next service date.
        for pair in slots.iter().chain(next_day.first()).collect::<Vec<_>>().windows(2) {
            prop_assert!(pair[0].due < pair[1].due);
            prop_assert!(pair[0].deadline <= pair[1].due);
        }
        let runs = s.days().contains(date.weekday());
        match &s {
            Schedule::Fixed { times, .. } => {
                prop_assert_eq!(slots.len(), if runs { times.len() } else { 0 });
            }
            Schedule::Every { every_minutes, from, to, .. } => {
                let len = window_minutes(*from, *to).unwrap();
                if runs {
                    let expected = len.div_ceil(*every_minutes);
                    prop_assert_eq!(slots.len(), usize::from(expected));
                    prop_assert_eq!(slots[0].due, day_start.add_minutes(i64::from(from.0)));
                    prop_assert_eq!(
                        slots[slots.len() - 1].deadline,
                        slots[0].due.add_minutes(i64::from(len))
                    );
                    for pair in slots.windows(2) {
                        // Consecutive slots of a window touch, never overlap.
                        prop_assert_eq!(pair[0].deadline, pair[1].due);
                        prop_assert_eq!(
                            pair[0].due.minutes_until(pair[1].due),
                            i64::from(*every_minutes)
                        );
                    }
                } else {
                    prop_assert!(slots.is_empty());
                }
            }
            Schedule::TimesPerDay { count, from, to, .. } => {
                let len = window_minutes(*from, *to).unwrap();
                prop_assert_eq!(slots.len(), if runs { usize::from(*count) } else { 0 });
                if runs {
                    prop_assert_eq!(slots[0].due, day_start.add_minutes(i64::from(from.0)));
                    prop_assert_eq!(
                        slots[slots.len() - 1].deadline,
                        slots[0].due.add_minutes(i64::from(len))
                    );
                    for pair in slots.windows(2) {
                        prop_assert_eq!(pair[0].deadline, pair[1].due);
                    }
                }
            }
            Schedule::Monthly { .. } => {
                prop_assert!(slots.len() <= 1);
                if let Some(slot) = slots.first() {
                    prop_assert!(s.days().contains(date.weekday()));
                    prop_assert_eq!(slot.deadline, day_start.add_minutes(1440));
                }
            }
        }
    }

    #[test]
    fn slots_between_is_the_union_of_slots_on(
        s in schedule(),
        from in date_time(),
        length in prop_oneof![1 => Just(0i64), 9 => 0i64..3 * 1440],
    ) {
        let to = from.add_minutes(length);
        let got = slots_between(&s, from, to).unwrap();
        // Every service date that could conceivably touch the range, and
        // more: three days either side.
        let mut expected = Vec::new();
        let mut date = from.date.add_days(-3);
        while date <= to.date.add_days(3) {
            expected.extend(
                slots_on(&s, date).unwrap().into_iter().filter(|x| x.due < to && x.deadline > from),
            );
            date = date.add_days(1);
        }
        expected.sort_by_key(|x| x.due);
        if length == 0 {
            // An empty range overlaps nothing.
            expected.clear();
        }
        prop_assert_eq!(got, expected);
    }

    #[test]
    fn a_round_not_started_only_moves_forward(
        s in schedule(),
        date in date(),
        offsets in prop::collection::vec(-60i64..3000, 1..40),
    ) {
        for slot in slots_on(&s, date).unwrap().iter().take(50) {
            let mut times: Vec<LocalDateTime> = offsets
                .iter()
                .map(|&m| slot.due.add_minutes(m))
                .chain([
                    slot.due.add_minutes(-1), slot.due,
                    slot.late_from.add_minutes(-1), slot.late_from,
                    slot.deadline.add_minutes(-1), slot.deadline,
                ])
                .collect();
            times.sort();
            let ranks: Vec<u8> = times.iter().map(|&now| rank(slot.state(now, RoundProgress::NotStarted))).collect();
            prop_assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "{:?}", ranks);
            prop_assert_eq!(rank(slot.state(slot.due.add_minutes(-1), RoundProgress::NotStarted)), 0);
            prop_assert_eq!(rank(slot.state(slot.deadline, RoundProgress::NotStarted)), 3);
            if slot.late_from > slot.due {
                prop_assert_eq!(slot.state(slot.due, RoundProgress::NotStarted), SlotState::Due);
            }
            if slot.late_from < slot.deadline {
                prop_assert_eq!(slot.state(slot.late_from, RoundProgress::NotStarted), SlotState::Late);
            }
        }
    }

    #[test]
    fn agenda_with_nothing_done(
        schedules in prop::collection::vec(schedule(), 1..4),
        now in date_time(),
        look_back in 0u32..2 * 1440,
    ) {
        let ids: Vec<String> = (0..schedules.len()).map(|i| format!("t{i}")).collect();
        let agenda = Agenda::build(
            now,
            look_back,
            ids.iter().map(String::as_str).zip(schedules.iter()),
            |_, _| RoundProgress::NotStarted,
        );
        prop_assert!(agenda.invalid.is_empty());
        // Every template has its next round, after now.
        prop_assert_eq!(agenda.next.len(), schedules.len());
        for e in &agenda.next {
            prop_assert!(e.slot.due > now);
            prop_assert_eq!(e.state, SlotState::Upcoming);
        }
        // At most one current round per template (slots never overlap),
        // and it covers now.
        for id in &ids {
            prop_assert!(agenda.due_now.iter().filter(|e| &e.template_id == id).count() <= 1);
        }
        for e in &agenda.due_now {
            prop_assert!(e.slot.due <= now && now < e.slot.deadline);
            prop_assert!(matches!(e.state, SlotState::Due | SlotState::Late));
        }
        let back = now.add_minutes(-i64::from(look_back));
        for e in &agenda.missed {
            prop_assert!(e.slot.deadline <= now && e.slot.deadline > back);
        }
        prop_assert!(agenda.missed.windows(2).all(|w| w[0].slot.due <= w[1].slot.due));
        prop_assert!(agenda.next.windows(2).all(|w| w[0].slot.due <= w[1].slot.due));
    }

    #[test]
    fn dates_round_trip_and_count_days(n in -25_567i64..84_006, k in -800i32..800) {
        let date = Date::from_days_since_epoch(n).unwrap();
        prop_assert_eq!(date.days_since_epoch(), n);
        prop_assert_eq!(Date::parse(&date.to_string()), Ok(date));
        prop_assert!(date.day() >= 1 && date.day() <= date.days_in_month());
        let later = date.add_days(k);
        prop_assert_eq!(later.days_since_epoch(), n + i64::from(k));
        prop_assert_eq!(later.add_days(-k), date);
        prop_assert_eq!(later > date, k > 0);
        prop_assert_eq!(
            later.weekday().index(),
            ((i64::from(date.weekday().index()) + i64::from(k)).rem_euclid(7)) as u8
        );
        let next = date.add_days(1);
        if next.month() != date.month() {
            prop_assert_eq!(date.day(), date.days_in_month());
            prop_assert_eq!(next.day(), 1);
        } else {
            prop_assert_eq!(next.day(), date.day() + 1);
        }
    }

    #[test]
    fn local_date_times_round_trip(a in date_time(), m in -5000i64..5000) {
        prop_assert_eq!(LocalDateTime::from_epoch_minutes(a.epoch_minutes()), Some(a));
        prop_assert_eq!(LocalDateTime::parse(&a.to_string()), Ok(a));
        let b = a.add_minutes(m);
        prop_assert_eq!(a.minutes_until(b), m);
        prop_assert_eq!(a.cmp(&b), a.epoch_minutes().cmp(&b.epoch_minutes()));
    }

    #[test]
    fn schedules_round_trip_through_documents_and_json(s in schedule()) {
        let mut doc = automerge::AutoCommit::new();
        reconcile_prop(&mut doc, automerge::ROOT, "schedule", &s).unwrap();
        let back: Schedule = hydrate_prop(&doc, automerge::ROOT, "schedule").unwrap();
        prop_assert_eq!(&back, &s);
        let json = serde_json::to_string(&s).unwrap();
        prop_assert_eq!(serde_json::from_str::<Schedule>(&json).unwrap(), s);
    }
}
