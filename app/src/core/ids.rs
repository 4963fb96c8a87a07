//! Ids of new records (a key, a visit, a duty-log entry, a hand-over, …):
//! a short prefix saying what it names and random hex, drawn by the caller
//! (`platform::random`) so this stays a plain function.

/// A new id from random bytes: `<prefix>-<hex>`.
pub fn new_id(prefix: &str, bytes: [u8; 4]) -> String {
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{prefix}-{hex}")
}
