//! The show flats' key register (《样板房钥匙持用人登记表》, `#keys` and the
//! desktop tab): alerts first (lost, disputed, hand-overs not confirmed
//! in time), every key's state in words and its history, and the actions
//! the model would accept from the person signed in — a receipt confirmed
//! on any device or in person with the receiver's PIN. [`view`] is what
//! the screen shows (plain data, unit-tested), [`state`] the store's side,
//! [`page`] the markup.

pub mod page;
pub mod state;
pub mod view;
pub mod words;
