//! The app's state and what it keeps about the people and the device: the
//! [`store`] (the sync client's documents, edits written to storage before
//! the UI says "saved", derived values, the pump), who is signed in
//! ([`session`], [`pin_throttle`]), the enrolment and the supervisor's
//! session ([`enrolment`], [`supervisor`]), document ids ([`id_book`]) and
//! new record ids ([`ids`]), the server's receipt times ([`receipts`]),
//! what may leave storage ([`retention`]), service days ([`service_day`])
//! and the WebSocket that drives the sync client ([`sync_socket`]).
//! Record families add their own `impl Store` blocks in their folders.

pub mod enrolment;
pub mod id_book;
pub mod ids;
pub mod pin_throttle;
pub mod receipts;
pub mod retention;
pub mod service_day;
pub mod session;
pub mod store;
pub mod supervisor;
pub mod sync_socket;
