//! What the app takes from the browser, each behind a small interface the
//! rest of the app calls: the tablet's records in IndexedDB ([`idb`]) and
//! small keys in localStorage ([`storage`]), photos
//! prepared for keeping ([`photo`]), the device clock ([`clock`], and [`ticker`] for what moves
//! with it), reconnect delays ([`backoff`]), a new build waiting
//! ([`app_update`]), PIN keys through WebCrypto ([`pin_crypto`]), random
//! bytes ([`random`]), the console ([`log`]) and User Timing measures
//! ([`timing`]). Nothing here knows a
//! record family or the store.

pub mod app_update;
pub mod backoff;
pub mod camera;
pub mod clock;
pub mod idb;
pub mod js;
pub mod log;
pub mod nfc;
pub mod photo;
pub mod pin_crypto;
pub mod qr;
pub mod random;
pub mod storage;
pub mod ticker;
pub mod timing;
