//! The visitor log (来人来访记录表, `#visitors` and the desktop tab where the
//! supervisor approves, with a search across days): inside now across
//! days, waiting for approval, the new-visit form, "left" in one tap,
//! refusing or turning away, the day's list and the leader's signature.
//! [`view`] is what the screen shows (plain data, unit-tested), [`state`]
//! the store's side (the day and the open index written together, the
//! index repaired after every change to a day), [`page`] the markup.

pub mod page;
pub mod state;
pub mod view;
pub mod words;
