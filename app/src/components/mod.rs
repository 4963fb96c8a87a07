//! Reusable pieces of the screens.

pub mod back_to_agenda;
pub mod banners;
pub mod co_sign;
pub mod flat_feedback;
pub mod flat_review;
pub mod handover_agenda;
pub mod header;
pub mod history;
pub mod item_row;
pub mod permit_card;
pub mod permit_form;
pub mod pin_pad;
pub mod sign_off;
pub mod status_badge;
pub mod take_complaint;
