//! Shiftbook's sync server.
//!
//! It serves the built tablet app, enrols devices, and relays automerge
//! documents between the tablets of one site over the automerge-repo
//! protocol, keeping each site's documents away from every other site and
//! acknowledging a change only once it is on disk.
//!
//! * [`server`]: start and stop everything ([`serve`], [`RunningServer`]).
//! * [`router`]: the HTTP routes ([`app`]); [`api`], [`assets`],
//!   [`receipts`], [`dashboard`], [`export`] and [`sync_socket`] are their handlers, [`request_log`]
//!   their logging.
//! * [`auth`], [`principal`] and [`token`]: who a request or connection
//!   is (device tokens, supervisor session cookies); [`password`]:
//!   supervisors' argon2id hashes; [`session`]: login, logout and the
//!   login rate limit.
//! * [`hub`]: the sync protocol's server side as a sans-IO state machine;
//!   [`sync_runtime`]: its tokio adapter (shards, storage threads,
//!   connection outboxes, health); [`ownership`]: whose a document is and
//!   what that allows.
//! * [`store`]: the SQLite database of sites, devices, supervisors and
//!   sessions (and the schema of everything); [`doc_store`]: documents,
//!   their owners and change receipts in it, durable before acknowledged.
//! * [`projection`]: every site's records as rows for the supervisors'
//!   figures, kept up as documents are written, rebuilt from them.
//! * [`peers`] and [`revocation`]: which peer id is which principal, and
//!   cutting off revoked devices and ended sessions.
//! * [`demo`]: the demo site and enrolment links.
//! * [`log_filter`]: `RUST_LOG`, with automerge's costly spans kept quiet.
//! * [`error`]: the HTTP error type.

pub mod api;
pub mod assets;
pub mod auth;
pub mod blobs;
pub mod client_addr;
pub mod dashboard;
pub mod demo;
pub mod doc_store;
pub mod error;
pub mod export;
pub mod frame_rate;
pub mod http_listener;
pub mod hub;
pub mod inbound;
pub mod log_filter;
pub mod login_limiter;
pub mod memory;
pub mod ownership;
pub mod password;
pub mod password_checks;
pub mod peers;
pub mod principal;
pub mod projection;
pub mod receipts;
pub mod request_log;
pub mod revocation;
pub mod router;
pub mod server;
pub mod session;
pub mod state;
pub mod store;
pub mod sync_runtime;
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
