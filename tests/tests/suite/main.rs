//! The product tried from outside: browser end-to-end tests in headless
//! Chromium against the real sync server, the PWA's offline and update
//! paths, and the server over real sockets. One test binary: it links
//! once, and the test harness runs its tests side by side (as many at a
//! time as the machine has cores; `RUST_TEST_THREADS` to change that).
//! Each file is one area; `cargo test -p shiftbook-tests --test suite
//! <file name>` runs one.

mod browser_smoke;
mod e2e_attribution;
mod e2e_checklist;
mod e2e_checkpoints;
mod e2e_complaints;
mod e2e_dashboard;
mod e2e_front_desk;
mod e2e_handover;
mod e2e_keys_permits;
mod e2e_patrol;
mod e2e_show_flat;
mod e2e_supervisor_admin;
mod js_interop;
mod phone_layout;
mod pwa_offline;
mod pwa_pieces;
mod pwa_update;
mod server;
mod server_browsing;
mod server_durability;
mod server_limits;
mod server_ownership;
mod server_projection;
mod server_receipts;
mod server_supervisors;
mod storage_retention;
