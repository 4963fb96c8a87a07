//! What the rail needs to know to say where a screen goes: the days a
//! screen opens on and the first record of the screens that open one
//! record (a hand-over book, a show flat — their pages switch to the
//! others).

/// What the rail needs to know to say where each screen goes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Targets {
    /// The device's date, `YYYY-MM-DD` (hand-over and show-flat days).
    pub today: String,
    /// The current service day (the duty log's day).
    pub service_day: String,
    /// The first hand-over book of the signed-in person's posts, if any.
    pub first_book: Option<String>,
    /// The site's first show flat, if any.
    pub first_flat: Option<String>,
}
