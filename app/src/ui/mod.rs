//! Reusable pieces of the screens, shared by the families: the header and
//! banners, PIN pad and co-signing, inputs bound to a form, ranges of days,
//! folded histories, signatures, a record's photos. Nothing here names a
//! record family or a page; what is still family-specific here moves with
//! its family.

pub mod banners;
pub mod bound_input;
pub mod co_sign;
pub mod day_range;
pub mod event_history;
pub mod flat_review;
pub mod found_table;
pub mod header;
pub mod history_line;
pub mod lazy_view;
pub mod pin_entry;
pub mod pin_pad;
pub mod print_stamp;
pub mod progressive;
pub mod record_photos;
pub mod row_actions;
pub mod sign_off;
pub mod status_badge;
pub mod storage_use;
pub mod switcher;
