//! The frames around the families: enrolment, sign-in and the supervisor's
//! login, the signed-in tablet (the rail beside the routed screen) and the
//! supervisor's desktop (the sidebar beside the tab), and the navigation's
//! live red counts, which read every family. Only the root component and
//! the shell import the shell; the shell may import any family.

pub mod badges;
pub mod desktop;
pub mod engine;
pub mod enroll;
pub mod not_enrolled;
pub mod rail;
pub mod sidebar;
pub mod sign_in;
pub mod split_points;
pub mod supervisor_login;
pub mod tablet;
