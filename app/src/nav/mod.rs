//! The navigation as plain data, unit-tested natively. [`Screen`] is the
//! one list of the app's screens: each with its group ([`Section`]), glyph,
//! red count ([`Badge`]), its place on the tablet's rail and its tab on
//! the desktop. The tablet's left rail ([`rail`]: which screens, in which
//! order and groups, where each goes, which one is current for a route)
//! and the desktop's sidebar ([`sidebar`]: the tabs under section
//! headings) are read from it, with the counts both show ([`Badges`]).
//! Components only render these. [`route`] is the address a tablet shows
//! (a screen with its data: a date, a round), and the one way to go to
//! another.

mod badges;
mod rail;
pub mod route;
mod screen;
mod section;
mod sidebar;
mod targets;

pub use badges::{Badge, Badges};
pub use rail::{RailItem, rail};
pub use screen::Screen;
pub use section::Section;
pub use sidebar::sidebar;
pub use targets::Targets;
