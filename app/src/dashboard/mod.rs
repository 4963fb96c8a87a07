//! The supervisor's dashboard (控制室), the desktop's first screen: a
//! period's rounds across one site or all of the supervisor's sites —
//! on time, late, made up, missed — per post, per person and day by day,
//! as the server counts them from its projection
//! (`GET /api/dashboard/rounds`); every figure opens the slots behind it
//! (`GET /api/dashboard/slots`).
//!
//! * `period`: today, this week, this month or a range, as dates (pure).
//! * `chart`: the day-by-day trend as SVG bars (pure layout).
//! * `fetch`: the two requests.
//! * `page`: the screen.
//! * `words`: its texts.

pub mod chart;
mod fetch;
pub mod page;
pub mod period;
pub mod words;
