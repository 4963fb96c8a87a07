//! tests
//!
//! End-to-end tests against the real `sync-server` binary
//! ([`server_process`]) use native tablets ([`native_tablet`]): the model's
//! `SyncClient` over a real WebSocket. They need the binary built first:
//!
//! ```text
//! cargo build -p sync-server && cargo test -p shiftbook-tests --test suite server
//! ```
//!
//! The binary is taken from `$SHIFTBOOK_SERVER_BIN` if set, else from the
//! profile directory the test executable runs from (`target/<profile>/`,
//! found as `<dir of current_exe>/../sync-server`).
//!
//! Tablets open checklist rounds through [`rounds`]: genesis, then a start
//! before any mark, as the app does.

pub mod browser;
pub mod e2e;
pub mod fake_camera;
pub mod fixtures;
pub mod native_tablet;
pub mod roster_seed;
pub mod rounds;
pub mod server_process;
pub mod static_site;
pub mod year_of_rounds;
