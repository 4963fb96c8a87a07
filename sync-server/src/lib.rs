//! Shiftbook's sync server.
//!
//! It serves the built tablet app, enrols devices, and relays automerge
//! documents between the tablets of one site over the automerge-repo
//! protocol (via samod), keeping each site's documents away from every
//! other site.
//!
//! * [`server`]: start and stop everything ([`serve`], [`RunningServer`]).
//! * [`router`]: the HTTP routes ([`app`]); [`api`], [`assets`],
//!   [`receipts`] and [`sync_socket`] are their handlers, [`request_log`]
//!   their logging.
//! * [`auth`] and [`token`]: device tokens, supervisor session cookies and
//!   how requests present them; [`password`]: supervisors' argon2id hashes;
//!   [`session`]: login, logout and the login rate limit.
//! * [`store`]: the SQLite database of sites, devices, supervisors,
//!   sessions, site documents, document owners and change receipts.
//! * [`peers`], [`policy`] and [`revocation`]: who is connected as which
//!   device, which documents they may sync, and cutting off revoked ones.
//! * [`receipts`]: when the server first held each change (observed in
//!   samod's documents, stored in [`store`]) and `GET /api/receipts/{doc}`.
//! * [`demo`]: the demo site and enrolment links.
//! * [`error`]: the HTTP error type.

pub mod api;
pub mod assets;
pub mod auth;
pub mod demo;
pub mod error;
pub mod password;
pub mod peers;
pub mod policy;
pub mod receipts;
pub mod request_log;
pub mod revocation;
pub mod router;
pub mod server;
pub mod session;
pub mod state;
pub mod store;
pub mod sync_socket;
pub mod token;

pub use error::AppError;
pub use router::app;
pub use server::{RunningServer, ServerConfig, ServerError, serve};
pub use state::AppState;
pub use store::{Store, StoreError};

/// The line `serve` prints once it listens, followed by `http://ADDR`.
/// Scripts and the test harness look for it.
pub const LISTENING_PREFIX: &str = "listening on ";
