//! The monthly owner-visit record (《业户访问记录》, `#owner-visits[/<month>]`
//! and the desktop tab): visits by unit, follow-ups marked done, notes,
//! the supervisor's month-end signature and what was added after it.
//! [`view`] is what the screen shows (plain data, unit-tested), [`state`]
//! the store's side, [`page`] the markup.

pub mod page;
pub mod state;
pub mod view;
pub mod words;
