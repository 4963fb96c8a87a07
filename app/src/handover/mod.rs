//! Shift hand-overs (交接班): a book's day (`#handover/<book>/<date>`:
//! alerts, hand-overs newest first, the take-over with equipment checks,
//! refusals and both signatures, the book's pending items, the write
//! form, the leader's review), the desktop's tab of every book's day with
//! each book's equipment list editor, and the alerts of the person's books
//! the agenda lists and the rail counts. [`view`] is what the screens show
//! (plain data, unit-tested), [`state`] the store's side (writes of
//! several changes tried on copies first), [`page`] the book's day,
//! [`desk`] the desktop's tab, [`alerts`] the person's alerts,
//! [`equipment_form`] and [`equipment_editor`] a book's equipment list.

pub mod alerts;
pub mod desk;
pub mod equipment_editor;
pub mod equipment_form;
pub mod page;
pub mod state;
pub mod view;
pub mod words;
