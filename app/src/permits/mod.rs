//! Contractors' work permits (《工作联络单》, `#permits` and the desktop
//! tab): alerts first, then today's, earlier open, upcoming and finished
//! permits; the application form, entries and exits with the tools check,
//! head counts, approval, the after-work sweep round, closing.
//! [`view`] is what the screen shows (plain data, unit-tested), [`state`]
//! the store's side, [`form`] the application form, [`card`] one permit,
//! [`page`] the tablet's screen and [`desk`] the desktop's tab.

pub mod card;
pub mod desk;
pub mod form;
pub mod page;
pub mod state;
pub mod view;
pub mod words;
