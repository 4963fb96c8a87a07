//! Searching and filtering complaints for the register views: by received
//! day (or a range of days), post, unit, person, status, kind,
//! seriousness, department and free text. An empty [`Filter`] matches
//! everything; every field set narrows the result.

use super::{Complaint, Department, Kind, Step};
use crate::schedule::Date;

/// What to look for; `None` / empty fields do not filter.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Filter {
    /// Received on or after this local date.
    pub from: Option<Date>,
    /// Received on or before this local date (with `from`, one day).
    pub to: Option<Date>,
    /// Received at this post.
    pub post: Option<String>,
    /// This unit, compared as [`crate::free_text::unit_key`] (spaces and
    /// full-width digits do not matter).
    pub unit: Option<String>,
    /// Someone who wrote any of its events (roster id or name as shown),
    /// confirmed receipt, or was escalated to.
    pub person: Option<String>,
    /// At one of these statuses (empty: any).
    pub statuses: Vec<Step>,
    /// Open (`Some(true)`) or closed (`Some(false)`) only.
    pub open: Option<bool>,
    /// Requests or complaints only.
    pub kind: Option<Kind>,
    /// Serious ones only (`Some(true)`) or the others.
    pub serious: Option<bool>,
    /// Last forwarded to this department.
    pub department: Option<Department>,
    /// Words in the owner's name, unit, contact, content or any event's
    /// text (case-insensitive for Latin letters).
    pub text: Option<String>,
}

impl Filter {
    /// A filter for one received day.
    pub fn day(date: Date) -> Self {
        Self {
            from: Some(date),
            to: Some(date),
            ..Self::default()
        }
    }

    /// Whether `c` matches every field set.
    pub fn matches(&self, c: &Complaint) -> bool {
        let date = c.received.date;
        let person_matches = |p: &str| {
            let p = p.trim();
            c.history
                .iter()
                .any(|e| e.by.person_id == p || e.by.person == p || e.person.as_deref() == Some(p))
        };
        let text_matches = |t: &str| {
            let t = t.trim().to_lowercase();
            let d = &c.details;
            let mut fields = vec![d.owner.as_str(), d.unit.as_str(), d.content.as_str()];
            fields.extend(d.contact.as_deref());
            fields.extend(c.history.iter().map(|e| e.text.as_str()));
            fields.extend(c.history.iter().filter_map(|e| e.cause.as_deref()));
            fields.iter().any(|f| f.to_lowercase().contains(&t))
        };
        self.from.is_none_or(|from| date >= from)
            && self.to.is_none_or(|to| date <= to)
            && self
                .post
                .as_ref()
                .is_none_or(|p| c.details.post == p.trim())
            && self
                .unit
                .as_ref()
                .is_none_or(|u| c.unit_key() == crate::free_text::unit_key(u))
            && self.person.as_deref().is_none_or(person_matches)
            && (self.statuses.is_empty() || self.statuses.contains(&c.status))
            && self.open.is_none_or(|open| c.is_open() == open)
            && self.kind.is_none_or(|k| c.details.kind == k)
            && self.serious.is_none_or(|s| c.serious == s)
            && self.department.is_none_or(|d| c.department == Some(d))
            && self.text.as_deref().is_none_or(text_matches)
    }
}

/// The complaints among `complaints` that `filter` matches, in their order.
pub fn search<'a>(complaints: &'a [Complaint], filter: &Filter) -> Vec<&'a Complaint> {
    complaints.iter().filter(|c| filter.matches(c)).collect()
}
