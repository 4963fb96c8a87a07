//! The duty log (值班记录表, `#duty-log/<date>` and the desktop tab with a
//! search across days): the quick entry, the day's entries in time order,
//! corrections that keep the original and show concurrent ones, filters,
//! the leader's review. [`view`] is what the screen shows (plain data,
//! unit-tested), [`state`] the store's side, [`page`] the markup.

pub mod page;
pub mod state;
pub mod view;
pub mod words;
