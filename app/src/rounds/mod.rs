//! Rounds (巡查): the tablet's agenda (due now, missed, next — the shell
//! puts the hand-over alerts first), one round of a checklist with its
//! items, sign-off and every mark, past days' rounds, the follow-ups an ×
//! opens, and the supervisor's checklist editor. [`agenda_view`] and
//! [`view`] are what the agenda and a round show (plain data,
//! unit-tested), [`agenda`], [`page`], [`history`] and [`followups`] the
//! screens, [`item_row`] and [`marks`] a round's rows and history,
//! [`sign_off`] its signatures, [`template_form`] and [`templates_desk`]
//! the checklist editor. The
//! store's round, follow-up and template operations are still in
//! `core::store`.

pub mod agenda;
pub mod agenda_view;
pub mod checkpoints;
pub mod checkpoints_desk;
pub mod coverage_desk;
pub mod coverage_view;
pub mod followups;
pub mod history;
pub mod item_row;
pub mod marks;
pub mod page;
pub mod proof_view;
pub mod scan_panel;
pub mod sign_off;
pub mod template_form;
pub mod templates_desk;
pub mod view;
pub mod words;
