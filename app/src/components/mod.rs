//! Reusable pieces of the screens.

pub mod banners;
pub mod bound_input;
pub mod co_sign;
pub mod day_range;
pub mod desk_sidebar;
pub mod equipment_editor;
pub mod event_history;
pub mod flat_feedback;
pub mod flat_review;
pub mod handover_agenda;
pub mod header;
pub mod history;
pub mod item_row;
pub mod nav_badges;
pub mod nav_rail;
pub mod permit_card;
pub mod permit_form;
pub mod pin_pad;
pub mod print_stamp;
pub mod sign_off;
pub mod status_badge;
pub mod switcher;
pub mod take_complaint;
