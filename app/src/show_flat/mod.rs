//! Show flats (样板房): the count of a flat's day (`#flat/<flat>/<date>`:
//! opening and closing sessions, rooms "all as expected", − / + and
//! condition per item, disputed counts, discrepancies, the day's visitors)
//! and the supervisor's inventory of each flat's items (the desktop's
//! flats tab). [`view`] is what the count shows (plain data, unit-tested),
//! [`form`] the inventory form's rules, [`state`] the store's side,
//! [`page`] the count, [`feedback`] the guests' opinions and [`desk`] the
//! inventory editor.

pub mod desk;
pub mod feedback;
pub mod form;
pub mod page;
pub mod state;
pub mod view;
pub mod words;
