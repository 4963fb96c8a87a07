//! Reusable pieces of the screens.

pub mod banners;
pub mod header;
pub mod history;
pub mod item_row;
pub mod status_badge;
