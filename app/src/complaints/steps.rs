//! The steps a signed-in person may take next on a complaint, as the big
//! buttons of its page: respond, forward to a department, the department
//! confirms receipt, preliminary solution, root cause and corrective
//! action, reply to the owner, return visit with satisfaction, escalate,
//! difficulty, serious, note, close — following the model's rules
//! ([`shiftbook_model::complaint`]): closed is closed except for notes,
//! escalations, `serious` and return visits; confirming receipt needs a
//! forward and a return visit a reply; staff close only after a reply and
//! no unsatisfied return visit, leaders and supervisors otherwise with a
//! reason; nobody closes a serious complaint before it is escalated. The
//! step the complaint is waiting for is marked `suggested`, an escalation
//! still owed `urgent`. [`Act`] is what a filled-in step writes, through
//! the model, with the person's attribution.

use crate::complaints::words::Words;
use crate::words::i18n::Msg;
use crate::words::i18n::Text;
use automerge::Automerge;
use shiftbook_model::ModelError;
use shiftbook_model::attribution::Attribution;
use shiftbook_model::complaint::{self, Complaint, Difficulty, Satisfaction, Step};
use shiftbook_model::followup::Department;
use shiftbook_model::roster::Role;

/// A step's button.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    /// A response to the owner.
    Respond,
    /// The form to a department.
    Forward,
    /// The department's person signed for it.
    ConfirmReceipt,
    /// A preliminary solution.
    Preliminary,
    /// Root cause and corrective action.
    Correct,
    /// The reply to the owner.
    Reply,
    /// A return visit with the owner's satisfaction.
    ReturnVisit,
    /// Escalated to the manager.
    Escalate,
    /// The difficulty changed.
    Difficulty,
    /// Marked serious.
    Serious,
    /// A note.
    Note,
    /// Closed.
    Close,
}

impl Action {
    /// The test hook and CSS class.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Respond => "respond",
            Self::Forward => "forward",
            Self::ConfirmReceipt => "confirm-receipt",
            Self::Preliminary => "preliminary",
            Self::Correct => "correct",
            Self::Reply => "reply",
            Self::ReturnVisit => "return-visit",
            Self::Escalate => "escalate",
            Self::Difficulty => "difficulty",
            Self::Serious => "serious",
            Self::Note => "note",
            Self::Close => "close",
        }
    }

    /// The button's words.
    pub fn label(self) -> Text {
        match self {
            Self::Respond => Words::CpActRespond.into(),
            Self::Forward => Words::CpActForward.into(),
            Self::ConfirmReceipt => Words::CpActConfirmReceipt.into(),
            Self::Preliminary => Words::CpActPreliminary.into(),
            Self::Correct => Words::CpActCorrect.into(),
            Self::Reply => Words::CpActReply.into(),
            Self::ReturnVisit => Words::CpActReturnVisit.into(),
            Self::Escalate => Words::CpActEscalate.into(),
            Self::Difficulty => Words::CpActDifficulty.into(),
            Self::Serious => Words::CpActSerious.into(),
            Self::Note => Msg::CpActNote.into(),
            Self::Close => Words::CpActClose.into(),
        }
    }

    /// The step's place in the complaint's course (the status it moves
    /// to); `None` for the steps that are not on it.
    fn step(self) -> Option<Step> {
        Some(match self {
            Self::Respond => Step::Responded,
            Self::Forward => Step::Forwarded,
            Self::ConfirmReceipt => Step::ReceiptConfirmed,
            Self::Preliminary => Step::Preliminary,
            Self::Correct => Step::Corrected,
            Self::Reply => Step::Replied,
            Self::ReturnVisit => Step::ReturnVisited,
            Self::Close => Step::Closed,
            Self::Escalate | Self::Difficulty | Self::Serious | Self::Note => return None,
        })
    }
}

/// A step the person may take now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Available {
    /// Which.
    pub action: Action,
    /// The step the complaint waits for next.
    pub suggested: bool,
    /// An escalation a serious complaint still owes.
    pub urgent: bool,
}

/// The steps of a complaint's course, in order.
const COURSE: [Action; 8] = [
    Action::Respond,
    Action::Forward,
    Action::ConfirmReceipt,
    Action::Preliminary,
    Action::Correct,
    Action::Reply,
    Action::ReturnVisit,
    Action::Close,
];

/// The steps beside the course.
const SIDE: [Action; 4] = [
    Action::Escalate,
    Action::Difficulty,
    Action::Serious,
    Action::Note,
];

/// Whether closing `c` needs a leader or supervisor and a reason: no
/// reply yet, or the owner unsatisfied at the latest return visit.
pub fn close_needs_reason(c: &Complaint) -> bool {
    !c.replied() || c.satisfaction() == Some(Satisfaction::Unsatisfied)
}

/// The steps a person of `role` may take on `c`, in the course's order
/// (the urgent escalation first).
pub fn available(c: &Complaint, role: Role) -> Vec<Available> {
    let open = c.is_open();
    let escalation_owed = c.serious && !c.is_escalated();
    let may = |a: Action| -> bool {
        match a {
            Action::Respond
            | Action::Forward
            | Action::Preliminary
            | Action::Correct
            | Action::Reply
            | Action::Difficulty => open,
            Action::ConfirmReceipt => open && c.department.is_some(),
            Action::ReturnVisit => c.status >= Step::Replied,
            Action::Escalate | Action::Note => true,
            Action::Serious => !c.serious,
            Action::Close => {
                open && !escalation_owed && (role != Role::Staff || !close_needs_reason(c))
            }
        }
    };
    // The first step of the course not reached yet (confirming receipt
    // only once forwarded; a return visit once replied).
    let suggested = COURSE
        .into_iter()
        .find(|a| a.step().is_some_and(|s| c.status < s) && may(*a) && open);
    // The course, then the side steps; an escalation still owed first.
    let order: Vec<Action> = if escalation_owed {
        SIDE[..1]
            .iter()
            .chain(&COURSE)
            .chain(&SIDE[1..])
            .copied()
            .collect()
    } else {
        COURSE.iter().chain(&SIDE).copied().collect()
    };
    order
        .into_iter()
        .filter(|a| may(*a))
        .map(|action| Available {
            action,
            suggested: Some(action) == suggested,
            urgent: action == Action::Escalate && escalation_owed,
        })
        .collect()
}

/// A text field of a step's form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    /// Its label (and placeholder).
    pub label: Text,
    /// Whether it must be filled in.
    pub required: bool,
}

/// What a step's form asks for before it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Form {
    /// The first text.
    pub first: Option<Field>,
    /// The second text.
    pub second: Option<Field>,
    /// The buttons that write it: one confirm, or one per choice.
    pub choices: Choices,
}

/// The buttons that write a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choices {
    /// One confirm button.
    Confirm,
    /// One button per department.
    Departments,
    /// One button per satisfaction.
    Satisfactions,
    /// One button: change to this difficulty.
    To(Difficulty),
}

fn field(label: impl Into<Text>, required: bool) -> Option<Field> {
    Some(Field {
        label: label.into(),
        required,
    })
}

/// The form of `action` on `c` (a close by a leader that needs a reason
/// asks for it; the difficulty changes to the other one).
pub fn form(action: Action, c: &Complaint) -> Form {
    let (first, second, choices) = match action {
        Action::Respond => (field(Words::CpFieldSaid, false), None, Choices::Confirm),
        Action::Forward => (field(Msg::CpFieldNote, false), None, Choices::Departments),
        Action::ConfirmReceipt => (
            field(Words::CpFieldReceiver, true),
            field(Msg::CpFieldNote, false),
            Choices::Confirm,
        ),
        Action::Preliminary => (field(Words::CpFieldSolution, true), None, Choices::Confirm),
        Action::Correct => (
            field(Words::CpFieldCause, true),
            field(Words::CpFieldAction, true),
            Choices::Confirm,
        ),
        Action::Reply => (field(Words::CpFieldTold, true), None, Choices::Confirm),
        Action::ReturnVisit => (
            field(Words::CpFieldOwnerWords, false),
            None,
            Choices::Satisfactions,
        ),
        Action::Escalate => (
            field(Words::CpFieldEscalatedTo, true),
            field(Msg::CpFieldNote, false),
            Choices::Confirm,
        ),
        Action::Difficulty => (
            field(Words::CpFieldReason, false),
            None,
            Choices::To(match c.difficulty {
                Some(Difficulty::Hard) => Difficulty::General,
                _ => Difficulty::Hard,
            }),
        ),
        Action::Serious => (
            field(Words::CpFieldWhySerious, true),
            None,
            Choices::Confirm,
        ),
        Action::Note => (field(Msg::CpFieldNote, true), None, Choices::Confirm),
        Action::Close => (
            if close_needs_reason(c) {
                field(Words::CpFieldCloseReason, true)
            } else {
                field(Words::CpFieldRemark, false)
            },
            None,
            Choices::Confirm,
        ),
    };
    Form {
        first,
        second,
        choices,
    }
}

/// A filled-in step, ready to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Act {
    /// Respond (what was said).
    Respond(String),
    /// Forward to a department, with a note.
    Forward(Department, String),
    /// Receipt confirmed by a person, with a note.
    ConfirmReceipt(String, String),
    /// The preliminary solution.
    Preliminary(String),
    /// Root cause and corrective action.
    Correct(String, String),
    /// The reply.
    Reply(String),
    /// A return visit: satisfaction and the owner's words.
    ReturnVisit(Satisfaction, String),
    /// Escalated to whom, with a note.
    Escalate(String, String),
    /// The difficulty, with a reason.
    Difficulty(Difficulty, String),
    /// Serious, with why.
    Serious(String),
    /// A note.
    Note(String),
    /// Closed, with a remark or reason.
    Close(String),
}

impl Act {
    /// `action` from its form's texts and the chosen button.
    pub fn from_form(
        action: Action,
        first: &str,
        second: &str,
        department: Option<Department>,
        satisfaction: Option<Satisfaction>,
        difficulty: Option<Difficulty>,
    ) -> Option<Self> {
        let (a, b) = (first.to_owned(), second.to_owned());
        Some(match action {
            Action::Respond => Self::Respond(a),
            Action::Forward => Self::Forward(department?, a),
            Action::ConfirmReceipt => Self::ConfirmReceipt(a, b),
            Action::Preliminary => Self::Preliminary(a),
            Action::Correct => Self::Correct(a, b),
            Action::Reply => Self::Reply(a),
            Action::ReturnVisit => Self::ReturnVisit(satisfaction?, a),
            Action::Escalate => Self::Escalate(a, b),
            Action::Difficulty => Self::Difficulty(difficulty?, a),
            Action::Serious => Self::Serious(a),
            Action::Note => Self::Note(a),
            Action::Close => Self::Close(a),
        })
    }

    /// Write it on complaint `id` of `board` as `by` (a close also takes it
    /// out of the open `index`). The model refuses what its rules refuse,
    /// and a refusal changes nothing.
    pub fn apply(
        &self,
        board: &mut Automerge,
        index: &mut Automerge,
        id: &str,
        by: &Attribution,
    ) -> Result<(), ModelError> {
        match self {
            Self::Respond(said) => complaint::respond(board, id, said, by).map(drop),
            Self::Forward(d, note) => complaint::forward(board, id, *d, note, by).map(drop),
            Self::ConfirmReceipt(person, note) => {
                complaint::confirm_receipt(board, id, person, note, by).map(drop)
            }
            Self::Preliminary(s) => complaint::preliminary(board, id, s, by).map(drop),
            Self::Correct(cause, action) => {
                complaint::correct(board, id, cause, action, by).map(drop)
            }
            Self::Reply(told) => complaint::reply(board, id, told, by).map(drop),
            Self::ReturnVisit(s, words) => {
                complaint::return_visit(board, id, *s, words, by).map(drop)
            }
            Self::Escalate(to, note) => complaint::escalate(board, id, to, note, by).map(drop),
            Self::Difficulty(d, reason) => {
                complaint::set_difficulty(board, id, *d, reason, by).map(drop)
            }
            Self::Serious(why) => complaint::mark_serious(board, id, why, by).map(drop),
            Self::Note(text) => complaint::note(board, id, text, by).map(drop),
            Self::Close(remark) => complaint::close(board, index, id, remark, by).map(drop),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::complaints::view::tests::{board, by, new};

    fn actions(list: &[Available]) -> Vec<Action> {
        list.iter().map(|a| a.action).collect()
    }

    fn suggested(list: &[Available]) -> Option<Action> {
        list.iter().find(|a| a.suggested).map(|a| a.action)
    }

    #[test]
    fn the_course_suggests_the_next_step_and_follows_the_close_rules() {
        let (mut b, mut i) = board();
        let staff = |at: &str| by(Role::Staff, at);
        complaint::receive(
            &mut b,
            &mut i,
            &new("c1", "2026-11-23 09:00", false),
            &staff("2026-11-23 09:00"),
        )
        .unwrap();
        let get = |b: &Automerge| complaint::complaint(b, "c1").unwrap().unwrap();
        let list = available(&get(&b), Role::Staff);
        assert_eq!(suggested(&list), Some(Action::Respond));
        // No forward yet: no receipt; no reply: no return visit, and staff
        // may not close.
        for absent in [Action::ConfirmReceipt, Action::ReturnVisit, Action::Close] {
            assert!(!actions(&list).contains(&absent), "{absent:?}");
        }
        // A leader may close without a reply, and must say why.
        let leader = available(&get(&b), Role::Leader);
        assert!(actions(&leader).contains(&Action::Close));
        assert_eq!(
            form(Action::Close, &get(&b)).first.unwrap(),
            Field {
                label: Words::CpFieldCloseReason.into(),
                required: true
            }
        );

        for (act, at, next) in [
            (Act::Respond(String::new()), "09:03", Some(Action::Forward)),
            (
                Act::Forward(Department::Engineering, String::new()),
                "09:30",
                Some(Action::ConfirmReceipt),
            ),
            (
                Act::ConfirmReceipt("工程部 李工".into(), String::new()),
                "09:40",
                Some(Action::Preliminary),
            ),
            (
                Act::Reply("已修好".into()),
                "15:00",
                Some(Action::ReturnVisit),
            ),
            (
                Act::ReturnVisit(Satisfaction::Satisfied, String::new()),
                "16:00",
                Some(Action::Close),
            ),
        ] {
            act.apply(&mut b, &mut i, "c1", &staff(&format!("2026-11-23 {at}")))
                .unwrap();
            assert_eq!(
                suggested(&available(&get(&b), Role::Staff)),
                next,
                "{act:?}"
            );
        }
        // Replied and satisfied: staff close, a remark is optional.
        assert!(actions(&available(&get(&b), Role::Staff)).contains(&Action::Close));
        assert!(!form(Action::Close, &get(&b)).first.unwrap().required);
        Act::Close(String::new())
            .apply(&mut b, &mut i, "c1", &staff("2026-11-23 16:05"))
            .unwrap();
        assert!(complaint::open_in_index(&i).unwrap().is_empty());
        // Closed is closed: notes, escalation, serious and return visits
        // stay.
        assert_eq!(
            actions(&available(&get(&b), Role::Staff)),
            vec![
                Action::ReturnVisit,
                Action::Escalate,
                Action::Serious,
                Action::Note
            ]
        );
        assert_eq!(suggested(&available(&get(&b), Role::Staff)), None);
    }

    #[test]
    fn a_serious_complaint_is_escalated_first_and_closed_by_nobody_before() {
        let (mut b, mut i) = board();
        complaint::receive(
            &mut b,
            &mut i,
            &new("c1", "2026-11-23 09:00", true),
            &by(Role::Staff, "2026-11-23 09:00"),
        )
        .unwrap();
        let get = |b: &Automerge| complaint::complaint(b, "c1").unwrap().unwrap();
        let list = available(&get(&b), Role::Supervisor);
        assert_eq!(list[0].action, Action::Escalate);
        assert!(list[0].urgent);
        assert!(!actions(&list).contains(&Action::Close));
        assert!(!actions(&list).contains(&Action::Serious));
        // A refused step writes nothing: escalation needs whom.
        let heads = b.get_heads();
        assert!(
            Act::Escalate(" ".into(), String::new())
                .apply(&mut b, &mut i, "c1", &by(Role::Staff, "2026-11-23 09:01"))
                .is_err()
        );
        assert_eq!(b.get_heads(), heads);
        Act::Escalate("项目经理".into(), String::new())
            .apply(&mut b, &mut i, "c1", &by(Role::Staff, "2026-11-23 09:01"))
            .unwrap();
        let list = available(&get(&b), Role::Supervisor);
        assert!(!list.iter().any(|a| a.urgent));
        assert!(actions(&list).contains(&Action::Close));
        assert_eq!(list[0].action, Action::Respond);
    }

    #[test]
    fn forms_ask_for_what_each_step_needs() {
        let (mut b, mut i) = board();
        complaint::receive(
            &mut b,
            &mut i,
            &new("c1", "2026-11-23 09:00", false),
            &by(Role::Staff, "2026-11-23 09:00"),
        )
        .unwrap();
        let c = complaint::complaint(&b, "c1").unwrap().unwrap();
        assert_eq!(form(Action::Forward, &c).choices, Choices::Departments);
        assert_eq!(
            form(Action::ReturnVisit, &c).choices,
            Choices::Satisfactions
        );
        assert_eq!(
            form(Action::Difficulty, &c).choices,
            Choices::To(Difficulty::Hard)
        );
        let correct = form(Action::Correct, &c);
        assert!(correct.first.unwrap().required && correct.second.unwrap().required);
        assert_eq!(
            Act::from_form(Action::Forward, "请尽快", "", None, None, None),
            None
        );
        assert_eq!(
            Act::from_form(
                Action::Forward,
                "请尽快",
                "",
                Some(Department::Cleaning),
                None,
                None
            ),
            Some(Act::Forward(Department::Cleaning, "请尽快".into()))
        );
        Act::Difficulty(Difficulty::Hard, String::new())
            .apply(&mut b, &mut i, "c1", &by(Role::Staff, "2026-11-23 09:10"))
            .unwrap();
        let c = complaint::complaint(&b, "c1").unwrap().unwrap();
        assert_eq!(
            form(Action::Difficulty, &c).choices,
            Choices::To(Difficulty::General)
        );
    }
}
