//! The app's state and what it keeps about the people and the device: the
//! [`store`] (the sync client's documents, edits written to storage before
//! the UI says "saved", derived values, the pump), who is signed in
//! ([`session`], [`pin_throttle`]), the enrolment and the supervisor's
//! session ([`enrolment`], [`supervisor`]), document ids ([`id_book`]) and
//! new record ids ([`ids`]), the server's receipt times ([`receipts`]),
//! what may leave storage ([`retention`]) and service days
//! ([`service_day`]). The WebSocket that drives the sync client is a part
//! of the store (`store/sync_socket.rs`): only the store uses it, and the
//! two call each other.
//! What the store refuses is an [`error::AppError`] (no words) for the
//! families moved to it. Record families add their own `impl Store` blocks in their folders.

pub mod engine;
pub mod enrolment;
pub mod error;
pub mod id_book;
pub mod ids;
pub mod pin_throttle;
pub mod receipts;
pub mod retention;
pub mod service_day;
pub mod session;
pub mod start_data;
pub mod store;
pub mod supervisor;
