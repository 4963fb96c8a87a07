//! Owner requests and complaints (《业主投诉登记表》, `#complaints`,
//! `#complaint/<month>/<id>` and the desktop tab): taking one, the open
//! ones with live deadline timers, closed ones, search and filters, a
//! complaint's page with every deadline, the steps the signed-in person
//! may take and its history, the month's figures. [`view`] is what the
//! screens show (plain data, unit-tested), [`steps`] which steps are
//! offered (the model's rules), [`form`] the forms, [`state`] the store's
//! side, [`page`] the list, [`complaint`] one complaint and [`take`] the
//! form that takes one.

pub mod complaint;
pub mod form;
pub mod page;
pub mod state;
pub mod steps;
pub mod take;
pub mod view;
pub mod words;
