//! The dashboard's two requests to the server, with the supervisor's
//! session cookie: the period's figures and the slots behind one.

use crate::core::enrolment::{EnrolError, get_json};
use shiftbook_model::round_figures::{RoundsAnswer, SlotsAnswer, Verdict};
use shiftbook_model::schedule::Date;

/// Which slots a figure stands for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Only this post's.
    pub post: Option<String>,
    /// Only rounds this person began.
    pub person: Option<String>,
    /// Only this date.
    pub day: Option<String>,
    /// Only this verdict.
    pub verdict: Option<Verdict>,
}

/// `name=value` pairs as a query string, values percent-encoded.
fn query(pairs: &[(&str, Option<&str>)]) -> String {
    pairs
        .iter()
        .filter_map(|(k, v)| v.map(|v| format!("{k}={}", js_sys::encode_uri_component(v))))
        .collect::<Vec<_>>()
        .join("&")
}

/// The figures of `[from, to]` for `site` (all the supervisor's: `None`).
pub async fn rounds(
    from: Date,
    to: Date,
    site: Option<String>,
) -> Result<RoundsAnswer, EnrolError> {
    let (from, to) = (from.to_string(), to.to_string());
    let q = query(&[
        ("from", Some(&from)),
        ("to", Some(&to)),
        ("site", site.as_deref()),
    ]);
    get_json(&format!("/api/dashboard/rounds?{q}"), None).await
}

/// The slots of `[from, to]` for `site` that `filter` picks.
pub async fn slots(
    from: Date,
    to: Date,
    site: Option<String>,
    filter: Filter,
) -> Result<SlotsAnswer, EnrolError> {
    let (from, to) = (from.to_string(), to.to_string());
    let q = query(&[
        ("from", Some(&from)),
        ("to", Some(&to)),
        ("site", site.as_deref()),
        ("post", filter.post.as_deref()),
        ("person", filter.person.as_deref()),
        ("day", filter.day.as_deref()),
        ("verdict", filter.verdict.map(|v| v.as_str())),
    ]);
    get_json(&format!("/api/dashboard/slots?{q}"), None).await
}

/// The address of the period's rounds as a file (`csv` or `xlsx`).
pub fn export_href(from: Date, to: Date, site: Option<&str>, format: &str) -> String {
    let (from, to) = (from.to_string(), to.to_string());
    let q = query(&[
        ("from", Some(&from)),
        ("to", Some(&to)),
        ("site", site),
        ("format", Some(format)),
    ]);
    format!("/api/export/rounds?{q}")
}
