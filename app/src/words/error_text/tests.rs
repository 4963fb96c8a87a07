//! Every refusal has words in both languages: one sample of every variant
//! of every enum (checked complete by an exhaustive match per enum), each
//! read in Chinese and English — non-empty, different, Chinese in Chinese,
//! and no Rust debug formatting; the fields the model names are all
//! listed; real refusals of the model read as a person would say them.

use super::*;
use automerge::Automerge;
use shiftbook_model::attribution::Attribution;
use shiftbook_model::roster::Role;
use shiftbook_model::schedule::MinuteOfDay;
use shiftbook_model::settings::Setting;
use shiftbook_model::signature::Meaning;
use shiftbook_model::{
    checkpoints, complaint, duty_log, followup, free_text, handover, key_register, owner_visit,
    visitor_log, work_permit,
};
use std::collections::BTreeSet;

/// Assert that `samples` hold every variant of `$ty`: the patterns must be
/// an exhaustive match (a new variant does not compile until it is
/// listed), and each must have a sample.
macro_rules! assert_covers {
    ($samples:expr, $ty:ty, [$($pat:pat),+ $(,)?]) => {{
        fn name(x: &$ty) -> &'static str {
            match x {
                $($pat => stringify!($pat),)+
            }
        }
        let all: BTreeSet<&str> = [$(stringify!($pat)),+].into_iter().collect();
        let seen: BTreeSet<&str> = $samples.iter().map(name).collect();
        assert_eq!(seen, all, "a variant of {} has no sample", stringify!($ty));
    }};
}

fn bad_bytes() -> automerge::AutomergeError {
    match Automerge::load(b"not a document") {
        Err(e) => e,
        Ok(_) => panic!("garbage loaded"),
    }
}

fn minute(s: &str) -> MinuteOfDay {
    MinuteOfDay::parse(s).unwrap()
}

fn s(x: &str) -> String {
    x.to_owned()
}

fn followup_samples() -> Vec<followup::Refusal> {
    use followup::Refusal as R;
    vec![
        R::EmptyKey,
        R::BadSource("an item id"),
        R::EmptyAction,
        R::EmptyNote,
        R::EmptyNotice,
        R::BlankAttachment,
        R::BadMonth(s("2026-13")),
        R::OtherMonth {
            date: s("2026-11-30"),
            month: s("2026-12"),
        },
        R::OtherSite {
            board: s("a"),
            index: s("b"),
        },
        R::NotOpened(s("f1")),
        R::AlreadyClosed(s("f1")),
        R::NotClosed(s("f1")),
    ]
}

fn permit_samples() -> Vec<work_permit::Refusal> {
    use work_permit::{EventKind, PermitStatus, Refusal as R};
    vec![
        R::BadPermitId(s("a/b")),
        R::BadMonth(s("2026-13")),
        R::OtherMonth {
            date: s("2026-11-30"),
            month: s("2026-12"),
        },
        R::EmptyText("company"),
        R::TooLong {
            field: "scope",
            max: 1000,
        },
        R::BadPlace,
        R::BadPhone(s("abc")),
        R::BadWindow(minute("09:00")),
        R::BadHeadcount(0),
        R::BadPeople(0),
        R::OverHeadcount {
            headcount: 3,
            on_site: 2,
            people: 2,
        },
        R::ToolsNoteRequired,
        R::BadRound(s("x")),
        R::BadSlot(s("a b")),
        R::DuplicatePermit(s("p1")),
        R::UnknownPermit(s("p1")),
        R::AlreadyApproved(s("p1")),
        R::Terminated {
            permit: s("p1"),
            kind: EventKind::Cancelled,
        },
        R::Closed(s("p1")),
        R::ExitBeforeEntry(s("p1")),
        R::NotOnSite {
            on_site: 1,
            people: 2,
        },
        R::PeopleOnSite(2),
        R::CountUnsure(s("p1")),
        R::WrongStatus {
            permit: s("p1"),
            status: PermitStatus::Applied,
            action: "start the sweep",
        },
    ]
}

fn handover_samples() -> Vec<handover::Refusal> {
    use handover::Refusal as R;
    vec![
        R::BadKey {
            what: "a book",
            key: s("a b"),
        },
        R::Empty("a summary"),
        R::TooLong {
            what: "a note",
            max: 2000,
        },
        R::TooMany {
            what: "pending items",
            max: 200,
        },
        R::DuplicateEquipment(s("keys")),
        R::AbnormalNeedsNote(s("keys")),
        R::SamePerson,
        R::NotOutgoing(s("h1")),
        R::NotWritten(s("h1")),
        R::AlreadyWritten(s("h1")),
        R::AlreadyAccepted(s("h1")),
        R::NotAccepted(s("h1")),
        R::AlreadySigned {
            id: s("h1"),
            capacity: "handover-outgoing",
        },
        R::BadMonth(s("2026-13")),
        R::OtherMonth {
            date: s("2026-11-30"),
            month: s("2026-12"),
        },
        R::OtherBook {
            board: s("a"),
            index: s("b"),
        },
        R::ItemExists(s("p1")),
        R::ItemNotOpened(s("p1")),
        R::ItemDone(s("p1")),
        R::ItemOpen(s("p1")),
    ]
}

fn key_samples() -> Vec<key_register::Refusal> {
    use key_register::{EventKind, Refusal as R};
    vec![
        R::BadId {
            what: "key id",
            id: s("a b"),
        },
        R::BadLabel,
        R::BadHolder("a name of 1 to 64 characters"),
        R::BadText("a withdrawal"),
        R::TextTooLong,
        R::RoleNotAllowed {
            role: Role::Staff,
            kind: EventKind::LockChanged,
        },
        R::UnknownKey(s("k1")),
        R::AlreadyRegistered(s("k1")),
        R::UnknownLock(s("l1")),
        R::NotHolder(s("Wang"), s("k1")),
        R::NotGiver(s("k1")),
        R::SameHolder,
        R::DuplicateHandOver(s("h1")),
        R::UnknownHandOver(s("h1")),
        R::NotAwaiting(s("h1")),
        R::NotReceiver(s("Wang"), s("Li")),
        R::KeyLost(s("k1")),
        R::KeyWithdrawn(s("k1")),
        R::NotLostOrDisputed(s("k1")),
    ]
}

fn complaint_samples() -> Vec<complaint::Refusal> {
    use complaint::{Difficulty, Refusal as R};
    vec![
        R::OtherMonth {
            received: s("2026-11-30"),
            month: s("2026-12"),
        },
        R::OtherSite {
            board: s("a"),
            index: s("b"),
        },
        R::Exists(s("c1")),
        R::Unknown(s("c1")),
        R::Closed(s("c1")),
        R::NotForwarded(s("c1")),
        R::NotReplied(s("c1")),
        R::Unsatisfied(s("c1")),
        R::NotEscalated(s("c1")),
        R::AlreadySerious(s("c1")),
        R::SameDifficulty {
            id: s("c1"),
            difficulty: Difficulty::Hard,
        },
    ]
}

fn checkpoint_samples() -> Vec<checkpoints::Refusal> {
    use checkpoints::Refusal as R;
    vec![
        R::BadId,
        R::BadName,
        R::BadPlace,
        R::BadCode,
        R::CodeInUse(s("cp-1")),
        R::BadProves,
        R::TooManyProves,
        R::Unknown(s("cp-1")),
    ]
}

fn owner_visit_samples() -> Vec<owner_visit::Refusal> {
    use owner_visit::Refusal as R;
    vec![
        R::OtherMonth {
            date: s("2026-11-30"),
            month: s("2026-12"),
        },
        R::Exists(s("v1")),
        R::Unknown(s("v1")),
        R::NoFollowUp(s("v1")),
        R::AlreadyFollowedUp(s("v1")),
        R::MonthNotOver {
            month: s("2026-11"),
            today: s("2026-11-20"),
        },
    ]
}

fn duty_log_samples() -> Vec<duty_log::Refusal> {
    use duty_log::Refusal as R;
    vec![
        R::BadId {
            what: "an entry id",
            id: s("a b"),
        },
        R::AlreadyRecorded(s("e1")),
        R::UnknownEntry(s("e1")),
        R::NothingCorrected(s("e1")),
    ]
}

fn visitor_log_samples() -> Vec<visitor_log::Refusal> {
    use visitor_log::{Category, Refusal as R, VisitStatus};
    vec![
        R::BadId(s("a b")),
        R::IdTooLong,
        R::BadIdCharacters,
        R::IdMissing,
        R::IdWithoutType,
        R::BadPeople(0),
        R::NeedsSupervisor(Category::Salesperson),
        R::AlreadyLogged(s("v1")),
        R::UnknownVisit(s("v1")),
        R::NoApprovalNeeded(s("v1")),
        R::AlreadyDecided {
            id: s("v1"),
            status: VisitStatus::Inside,
        },
        R::NotInside {
            id: s("v1"),
            status: VisitStatus::Left,
        },
        R::OutBeforeIn {
            time_in: s("2026-11-23 10:00"),
            time_out: s("2026-11-23 09:00"),
        },
        R::OtherSite {
            day: s("a"),
            index: s("b"),
        },
    ]
}

fn bad_text_samples() -> Vec<free_text::BadText> {
    use free_text::BadText as B;
    vec![
        B::Missing("the owner"),
        B::TooLong {
            what: "a note",
            max: 2000,
        },
        B::IdNumber("the content"),
        B::BadKey {
            what: "a complaint id",
            key: s("a b"),
        },
        B::BadMonth(s("2026-13")),
    ]
}

fn schedule_samples() -> Vec<ScheduleError> {
    use ScheduleError as E;
    vec![
        E::BadDate(s("2026-13-01")),
        E::BadTime(s("25:00")),
        E::BadDateTime(s("2026-11-23 25:00")),
        E::BadWeekdays(1 << 9),
        E::NoDays,
        E::BadGrace(2000),
        E::NoTimes,
        E::DuplicateTime(minute("08:00")),
        E::BadInterval(0),
        E::BadCount(0),
        E::EmptyWindow(minute("08:00")),
        E::WindowTooShort {
            count: 10,
            window_minutes: 5,
        },
        E::BadDayOfMonth(32),
        E::OutOfRange,
    ]
}

const APP_PROBLEMS: [AppProblem; 10] = [
    AppProblem::NotSignedIn,
    AppProblem::NotOpen,
    AppProblem::StorageFailed,
    AppProblem::SupervisorsOnly,
    AppProblem::NoClock,
    AppProblem::UnknownItem,
    AppProblem::NoChecklist,
    AppProblem::EngineNotLoaded,
    AppProblem::PhotoUnreadable,
    AppProblem::PhotoFailed,
];

/// One of every top-level variant, and every family's refusals wrapped.
fn model_samples() -> Vec<ModelError> {
    let mut out = vec![
        ModelError::Automerge(bad_bytes()),
        ModelError::Hydrate(bad_bytes().into()),
        ModelError::Reconcile(bad_bytes().into()),
        ModelError::WrongSchema(s("shiftbook/other/1")),
        ModelError::Corrupt(s("events")),
        ModelError::UnknownItem(s("doors")),
        ModelError::BadDate(s("2026-13-40")),
        ModelError::EmptyChange,
        ModelError::BadAttachment(s("12 bytes")),
        ModelError::BadPin,
        ModelError::BadIterations(0),
        ModelError::BadMember(s("empty name")),
        ModelError::NotAllowed {
            role: "staff",
            meaning: "daily-review",
        },
        ModelError::OutOfRange {
            setting: "idle_sign_out_minutes",
            low: 1,
            high: 240,
        },
        ModelError::BadTemplate(s("no items")),
        ModelError::NotStarted,
        ModelError::NoteRequired(s("doors")),
        ModelError::BadHeads(s("abc")),
        ModelError::BadItemList(s("the flat has no name")),
        ModelError::UnknownFlatItem(s("sofa")),
        ModelError::UnknownRoom(s("kitchen")),
        ModelError::BadCount(s("10000 is more than 9999")),
        ModelError::BadFeedback(s("the text is 1 to 2000 characters")),
        ModelError::BadDateTime(s("2026-11-23 25:00")),
        ModelError::OutsideServiceDay {
            at: s("2026-11-25 08:00"),
            date: s("2026-11-23"),
        },
    ];
    out.extend(followup_samples().into_iter().map(ModelError::from));
    out.extend(permit_samples().into_iter().map(ModelError::from));
    out.extend(handover_samples().into_iter().map(ModelError::from));
    out.extend(key_samples().into_iter().map(ModelError::from));
    out.extend(complaint_samples().into_iter().map(ModelError::from));
    out.extend(owner_visit_samples().into_iter().map(ModelError::from));
    out.extend(duty_log_samples().into_iter().map(ModelError::from));
    out.extend(visitor_log_samples().into_iter().map(ModelError::from));
    out.extend(checkpoint_samples().into_iter().map(ModelError::from));
    out.extend(bad_text_samples().into_iter().map(ModelError::from));
    out
}

fn has_chinese(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// What Rust's `Debug` (or a raw `Display` of an id) leaves in a text.
const DEBUG_MARKS: [&str; 9] = ["{", "}", "\"", "`", "::", "Some(", "None", "Err(", "Ok("];

fn assert_readable(w: &Words, what: &str) {
    assert!(
        !w.zh.trim().is_empty() && !w.en.trim().is_empty(),
        "{what}: {w:?}"
    );
    assert_ne!(w.zh, w.en, "{what}");
    assert!(has_chinese(&w.zh), "{what}: not Chinese: {}", w.zh);
    assert!(!has_chinese(&w.en), "{what}: Chinese in English: {}", w.en);
    for mark in DEBUG_MARKS {
        assert!(
            !w.zh.contains(mark) && !w.en.contains(mark),
            "{what}: {mark} in {w:?}"
        );
    }
}

#[test]
fn every_model_error_reads_in_both_languages() {
    let samples = model_samples();
    assert_covers!(
        samples,
        ModelError,
        [
            ModelError::Automerge(_),
            ModelError::Hydrate(_),
            ModelError::Reconcile(_),
            ModelError::WrongSchema(_),
            ModelError::Corrupt(_),
            ModelError::UnknownItem(_),
            ModelError::BadDate(_),
            ModelError::EmptyChange,
            ModelError::BadAttachment(_),
            ModelError::BadPin,
            ModelError::BadIterations(_),
            ModelError::BadMember(_),
            ModelError::NotAllowed { .. },
            ModelError::OutOfRange { .. },
            ModelError::BadTemplate(_),
            ModelError::NotStarted,
            ModelError::NoteRequired(_),
            ModelError::BadHeads(_),
            ModelError::FollowUp(_),
            ModelError::Permit(_),
            ModelError::Handover(_),
            ModelError::KeyRegister(_),
            ModelError::Complaint(_),
            ModelError::OwnerVisit(_),
            ModelError::BadItemList(_),
            ModelError::UnknownFlatItem(_),
            ModelError::UnknownRoom(_),
            ModelError::BadCount(_),
            ModelError::BadFeedback(_),
            ModelError::BadText(_),
            ModelError::BadDateTime(_),
            ModelError::OutsideServiceDay { .. },
            ModelError::DutyLog(_),
            ModelError::VisitorLog(_),
            ModelError::Checkpoint(_),
        ]
    );
    for e in &samples {
        let w = words(e);
        assert_readable(&w, &format!("{e:?}"));
        assert_ne!(w.en, e.to_string(), "the model's own text: {e:?}");
        assert_eq!(model_error(Lang::Zh, e), w.zh);
        assert_eq!(model_error(Lang::En, e), w.en);
    }
}

#[test]
fn every_refusal_of_every_family_has_a_sample() {
    use followup::Refusal as F;
    assert_covers!(
        followup_samples(),
        F,
        [
            F::EmptyKey,
            F::BadSource(_),
            F::EmptyAction,
            F::EmptyNote,
            F::EmptyNotice,
            F::BlankAttachment,
            F::BadMonth(_),
            F::OtherMonth { .. },
            F::OtherSite { .. },
            F::NotOpened(_),
            F::AlreadyClosed(_),
            F::NotClosed(_),
        ]
    );
    use work_permit::Refusal as P;
    assert_covers!(
        permit_samples(),
        P,
        [
            P::BadPermitId(_),
            P::BadMonth(_),
            P::OtherMonth { .. },
            P::EmptyText(_),
            P::TooLong { .. },
            P::BadPlace,
            P::BadPhone(_),
            P::BadWindow(_),
            P::BadHeadcount(_),
            P::BadPeople(_),
            P::OverHeadcount { .. },
            P::ToolsNoteRequired,
            P::BadRound(_),
            P::BadSlot(_),
            P::DuplicatePermit(_),
            P::UnknownPermit(_),
            P::AlreadyApproved(_),
            P::Terminated { .. },
            P::Closed(_),
            P::ExitBeforeEntry(_),
            P::NotOnSite { .. },
            P::PeopleOnSite(_),
            P::CountUnsure(_),
            P::WrongStatus { .. },
        ]
    );
    use handover::Refusal as H;
    assert_covers!(
        handover_samples(),
        H,
        [
            H::BadKey { .. },
            H::Empty(_),
            H::TooLong { .. },
            H::TooMany { .. },
            H::DuplicateEquipment(_),
            H::AbnormalNeedsNote(_),
            H::SamePerson,
            H::NotOutgoing(_),
            H::NotWritten(_),
            H::AlreadyWritten(_),
            H::AlreadyAccepted(_),
            H::NotAccepted(_),
            H::AlreadySigned { .. },
            H::BadMonth(_),
            H::OtherMonth { .. },
            H::OtherBook { .. },
            H::ItemExists(_),
            H::ItemNotOpened(_),
            H::ItemDone(_),
            H::ItemOpen(_),
        ]
    );
    use key_register::Refusal as K;
    assert_covers!(
        key_samples(),
        K,
        [
            K::BadId { .. },
            K::BadLabel,
            K::BadHolder(_),
            K::BadText(_),
            K::TextTooLong,
            K::RoleNotAllowed { .. },
            K::UnknownKey(_),
            K::AlreadyRegistered(_),
            K::UnknownLock(_),
            K::NotHolder(..),
            K::NotGiver(_),
            K::SameHolder,
            K::DuplicateHandOver(_),
            K::UnknownHandOver(_),
            K::NotAwaiting(_),
            K::NotReceiver(..),
            K::KeyLost(_),
            K::KeyWithdrawn(_),
            K::NotLostOrDisputed(_),
        ]
    );
    use complaint::Refusal as C;
    assert_covers!(
        complaint_samples(),
        C,
        [
            C::OtherMonth { .. },
            C::OtherSite { .. },
            C::Exists(_),
            C::Unknown(_),
            C::Closed(_),
            C::NotForwarded(_),
            C::NotReplied(_),
            C::Unsatisfied(_),
            C::NotEscalated(_),
            C::AlreadySerious(_),
            C::SameDifficulty { .. },
        ]
    );
    use checkpoints::Refusal as CP;
    assert_covers!(
        checkpoint_samples(),
        CP,
        [
            CP::BadId,
            CP::BadName,
            CP::BadPlace,
            CP::BadCode,
            CP::CodeInUse(_),
            CP::BadProves,
            CP::TooManyProves,
            CP::Unknown(_),
        ]
    );
    use owner_visit::Refusal as O;
    assert_covers!(
        owner_visit_samples(),
        O,
        [
            O::OtherMonth { .. },
            O::Exists(_),
            O::Unknown(_),
            O::NoFollowUp(_),
            O::AlreadyFollowedUp(_),
            O::MonthNotOver { .. },
        ]
    );
    use duty_log::Refusal as D;
    assert_covers!(
        duty_log_samples(),
        D,
        [
            D::BadId { .. },
            D::AlreadyRecorded(_),
            D::UnknownEntry(_),
            D::NothingCorrected(_),
        ]
    );
    use visitor_log::Refusal as V;
    assert_covers!(
        visitor_log_samples(),
        V,
        [
            V::BadId(_),
            V::IdTooLong,
            V::BadIdCharacters,
            V::IdMissing,
            V::IdWithoutType,
            V::BadPeople(_),
            V::NeedsSupervisor(_),
            V::AlreadyLogged(_),
            V::UnknownVisit(_),
            V::NoApprovalNeeded(_),
            V::AlreadyDecided { .. },
            V::NotInside { .. },
            V::OutBeforeIn { .. },
            V::OtherSite { .. },
        ]
    );
    use free_text::BadText as B;
    assert_covers!(
        bad_text_samples(),
        B,
        [
            B::Missing(_),
            B::TooLong { .. },
            B::IdNumber(_),
            B::BadKey { .. },
            B::BadMonth(_),
        ]
    );
}

#[test]
fn every_schedule_error_and_app_problem_reads_in_both_languages() {
    use ScheduleError as E;
    let samples = schedule_samples();
    assert_covers!(
        samples,
        ScheduleError,
        [
            E::BadDate(_),
            E::BadTime(_),
            E::BadDateTime(_),
            E::BadWeekdays(_),
            E::NoDays,
            E::BadGrace(_),
            E::NoTimes,
            E::DuplicateTime(_),
            E::BadInterval(_),
            E::BadCount(_),
            E::EmptyWindow(_),
            E::WindowTooShort { .. },
            E::BadDayOfMonth(_),
            E::OutOfRange,
        ]
    );
    for e in &samples {
        let w = schedule::words(e);
        assert_readable(&w, &format!("{e:?}"));
        assert_eq!(schedule_error(Lang::Zh, e), w.zh);
    }
    assert_covers!(
        APP_PROBLEMS,
        AppProblem,
        [
            AppProblem::NotSignedIn,
            AppProblem::NotOpen,
            AppProblem::StorageFailed,
            AppProblem::SupervisorsOnly,
            AppProblem::NoClock,
            AppProblem::UnknownItem,
            AppProblem::NoChecklist,
            AppProblem::EngineNotLoaded,
            AppProblem::PhotoUnreadable,
            AppProblem::PhotoFailed,
        ]
    );
    for p in APP_PROBLEMS {
        assert_readable(&p.words(), &format!("{p:?}"));
        assert_eq!(p.text(Lang::En), p.words().en);
    }
    assert_eq!(
        AppProblem::StorageFailed.text(Lang::Zh),
        Msg::StorageFailed.text(Lang::Zh)
    );
}

/// The string literals the model passes as a field's name: the first
/// argument of its text and id checks, and the `what` / `field` of its
/// refusals, in every source file but the tests.
fn fields_the_model_names() -> BTreeSet<String> {
    const CALLS: [&str; 12] = [
        "check(",
        "key(",
        "text(",
        "check_id(",
        "required_text(",
        "bad_id(",
        "checked_text(",
        "Missing(",
        "Empty(",
        "EmptyText(",
        "BadText(",
        "IdNumber(",
    ];
    const FIELDS_OF: [&str; 2] = ["what: ", "field: "];
    fn sources(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                sources(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs")
                && path.file_name().is_some_and(|n| n != "tests.rs")
            {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    let root = // At run time, not compile time: CI reuses test binaries built in another clone.
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into())
        .join("../model/src");
    sources(&root, &mut files);
    assert!(files.len() > 20, "model sources not found at {root:?}");
    let mut found = BTreeSet::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let code = text
            .split("#[cfg(test)]\nmod tests {")
            .next()
            .unwrap_or_default();
        for opener in CALLS.iter().chain(FIELDS_OF.iter()) {
            for (at, _) in code.match_indices(opener) {
                // A call, not the end of a longer name (`uncheck(`).
                let before = code[..at].chars().next_back();
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    continue;
                }
                let rest = code[at + opener.len()..].trim_start();
                if let Some(literal) = rest.strip_prefix('"')
                    && let Some(end) = literal.find('"')
                {
                    found.insert(literal[..end].to_owned());
                }
            }
        }
    }
    found
}

#[test]
fn every_field_the_model_names_has_its_name_on_the_screen() {
    let named = fields_the_model_names();
    // The scan finds the families' fields (a tripwire for the scan itself).
    for known in ["the owner", "a note", "key id", "company", "what happened"] {
        assert!(named.contains(known), "{known} not found in {named:?}");
    }
    // Ids of checklists' templates are refused as a whole template, and
    // the holder's rules are said in full: not field names.
    let not_fields = [
        "slot",
        "template id",
        "a name of 1 to 64 characters",
        "an id of 1 to 64 characters without surrounding blanks",
    ];
    let missing: Vec<&String> = named
        .iter()
        .filter(|w| !not_fields.contains(&w.as_str()))
        .filter(|w| !fields::FIELDS.iter().any(|(word, _, _)| word == w))
        .collect();
    assert!(missing.is_empty(), "fields without a name: {missing:?}");
    for (word, zh, en) in fields::FIELDS {
        assert!(has_chinese(zh) && !has_chinese(en), "{word}");
        assert_eq!(field(word), Words::new(*zh, *en));
    }
    assert_eq!(field("something new"), Words::new("此项", "something new"));
}

#[test]
fn who_may_do_what_is_said_for_every_rule_of_the_model() {
    for m in [
        Meaning::DailyReview,
        Meaning::HandoverOutgoing,
        Meaning::HandoverIncoming,
        Meaning::MonthlyReview,
    ] {
        let w = rules::not_allowed("staff", m.as_str());
        assert_readable(&w, m.as_str());
        assert_eq!(w, rules::not_allowed("supervisor", m.as_str()), "any role");
    }
    assert_eq!(
        model_error(
            Lang::Zh,
            &ModelError::NotAllowed {
                role: "staff",
                meaning: "daily-review"
            }
        ),
        "只有领班或主管可以审阅签字"
    );
    let generic = rules::not_allowed("staff", "something-new");
    assert_eq!(generic.zh, "员工不能做这项操作");
    for meaning in [
        work_permit::APPROVE_MEANING,
        work_permit::REJECT_MEANING,
        work_permit::CLOSE_MEANING,
        visitor_log::APPROVE_MEANING,
        followup::NOTICE_MEANING,
    ] {
        let w = rules::not_allowed("staff", meaning);
        assert_readable(&w, meaning);
        assert_ne!(w, generic, "{meaning}");
        assert!(w.zh.starts_with("只有"), "{meaning}: {}", w.zh);
    }
    // Every setting is named as on the settings page.
    for setting in Setting::ALL {
        let (low, high) = setting.range();
        let w = rules::out_of_range(setting.key(), low, high);
        let label = crate::words::i18n::setting_label(setting);
        assert!(w.zh.starts_with(label.text(Lang::Zh)), "{}", w.zh);
        assert!(w.zh.contains(&format!("{low} 到 {high}")), "{}", w.zh);
        assert!(w.en.starts_with(label.text(Lang::En)), "{}", w.en);
    }
    let wait = rules::out_of_range(handover::WAIT_SETTING, 1, 1440);
    assert!(wait.zh.starts_with("接班等待时间"), "{}", wait.zh);
}

fn staff(role: Role) -> Attribution {
    Attribution {
        person_id: "zhang".into(),
        person: "张伟".into(),
        role,
        device: "大堂平板1".into(),
        at_ms: 1_763_859_600_000,
    }
}

/// Real refusals of the model read as the staff would say them.
#[test]
fn the_models_own_refusals_name_the_field_and_the_rule() {
    use complaint::{Channel, Kind, NewComplaint};
    use shiftbook_model::schedule::LocalDateTime;
    let mut board = complaint::genesis("demo", "2026-11").unwrap();
    let mut index = complaint::index_genesis("demo").unwrap();
    let new = |content: &str| NewComplaint {
        id: "c1".into(),
        kind: Kind::Complaint,
        received: LocalDateTime::parse("2026-11-23 09:00").unwrap(),
        channel: Channel::Phone,
        owner: "王女士".into(),
        unit: "3栋1201".into(),
        contact: String::new(),
        content: content.into(),
        serious: false,
        difficulty: None,
        post: "front-desk".into(),
        related: None,
    };
    let by = staff(Role::Staff);
    let heads = board.get_heads();
    let e = complaint::receive(
        &mut board,
        &mut index,
        &new("业主身份证 110101199003071234 遗失"),
        &by,
    )
    .unwrap_err();
    assert_eq!(board.get_heads(), heads, "a refusal writes nothing");
    let zh = model_error(Lang::Zh, &e);
    assert!(
        zh.starts_with("投诉内容") && zh.contains("只记后4位"),
        "{zh}"
    );
    let en = model_error(Lang::En, &e);
    assert!(en.starts_with("What the complaint is about"), "{en}");

    complaint::receive(&mut board, &mut index, &new("楼上漏水"), &by).unwrap();
    let long = "很".repeat(complaint::MAX_TEXT_CHARS + 1);
    let e = complaint::note(&mut board, "c1", &long, &by).unwrap_err();
    assert_eq!(model_error(Lang::Zh, &e), "备注不能超过 2000 字");
    let e = complaint::close(&mut board, &mut index, "c1", "", &by).unwrap_err();
    assert_eq!(
        model_error(Lang::Zh, &e),
        "还没有答复业主:先答复,才能回访或由员工关闭"
    );
    let e = complaint::receive(&mut board, &mut index, &new("x"), &by).unwrap_err();
    assert_eq!(model_error(Lang::Zh, &e), "这条投诉已经登记过了");

    let mut log = duty_log::genesis("demo", "2026-11-23").unwrap();
    let e = shiftbook_model::signature::sign(&mut log, Meaning::DailyReview, &by).unwrap_err();
    assert_eq!(model_error(Lang::Zh, &e), "只有领班或主管可以审阅签字");
}

/// A typed refusal reads, at the page, exactly as the words the store
/// used to return: the model's rule or the app's own problem.
#[test]
fn a_typed_refusal_has_the_words_the_store_used_to_return() {
    for lang in [Lang::Zh, Lang::En] {
        for r in owner_visit_samples() {
            let e = ModelError::from(r);
            let words = model_error(lang, &e);
            assert_eq!(AppError::Model(e).text(lang), words);
        }
        for p in [
            AppProblem::NotSignedIn,
            AppProblem::NotOpen,
            AppProblem::NoClock,
        ] {
            assert_eq!(AppError::from(p).text(lang), p.text(lang));
        }
    }
}
