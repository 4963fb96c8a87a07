//! Who made a change: every change the app makes carries an
//! [`Attribution`] in its automerge commit message.
//!
//! The message is `shiftbook:` followed by a JSON object with the
//! attribution's fields and a short `summary` ("mark doors normal",
//! "signature daily-review"), and the change's time is the attribution's
//! device time in seconds. Actors are per session and say nothing about
//! people (ARCHITECTURE invariant 3); the message does. automerge keeps
//! messages in the change graph, so attribution survives every merge and
//! is available for any change, including ones that touch no record field.
//!
//! [`history`] lists a document's changes in causal order with their
//! attribution; changes made without one (genesis, older clients) have
//! `attribution: None` and their raw message as summary.
//!
//! Records that are appended events also store who wrote each one inside
//! the event ([`Who`], the same fields as an [`Attribution`]), so a view
//! can show it without reading the change graph; every event family uses
//! this one struct.

use crate::roster::Role;
use automerge::{Automerge, ChangeHash, transaction::CommitOptions};
use autosurgeon::{Hydrate, Reconcile};
use serde::{Deserialize, Serialize};

/// The prefix of attributed commit messages.
pub const MESSAGE_PREFIX: &str = "shiftbook:";

/// Who made a change, on which device, and when by that device's clock.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Attribution {
    /// The person's roster id.
    pub person_id: String,
    /// The person's name as shown, e.g. 张三.
    pub person: String,
    /// The role the person acted in.
    pub role: Role,
    /// The device's enrolled name, e.g. 大堂平板1.
    pub device: String,
    /// Device clock, milliseconds since the Unix epoch.
    pub at_ms: i64,
}

/// The JSON carried after [`MESSAGE_PREFIX`].
#[derive(Serialize, Deserialize)]
struct Message {
    #[serde(flatten)]
    attribution: Attribution,
    summary: String,
}

impl Attribution {
    /// The commit message text for a change summarised by `summary`.
    pub fn message(&self, summary: &str) -> String {
        let message = Message {
            attribution: self.clone(),
            summary: summary.to_owned(),
        };
        match serde_json::to_string(&message) {
            Ok(json) => format!("{MESSAGE_PREFIX}{json}"),
            // Serialising strings and integers cannot fail; keep the
            // summary rather than panic if it ever did.
            Err(_) => summary.to_owned(),
        }
    }

    /// Commit options for a change by this person: the attributed message
    /// and the change time `at_ms / 1000` (rounded down).
    pub fn commit_options(&self, summary: &str) -> CommitOptions {
        CommitOptions::default()
            .with_message(self.message(summary))
            .with_time(self.at_ms.div_euclid(1000))
    }

    /// Read an attributed commit message: the attribution and the summary.
    /// `None` for any other message.
    pub fn from_message(message: &str) -> Option<(Attribution, String)> {
        let json = message.strip_prefix(MESSAGE_PREFIX)?;
        let m: Message = serde_json::from_str(json).ok()?;
        Some((m.attribution, m.summary))
    }
}

/// Who wrote an event, on which device, and when by its clock: an
/// [`Attribution`] as stored inside an appended event (a map with these
/// five fields).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Reconcile, Hydrate)]
pub struct Who {
    /// The person's roster id.
    pub person_id: String,
    /// The person's name as shown.
    pub person: String,
    /// The role the person acted in.
    pub role: Role,
    /// The device's enrolled name.
    pub device: String,
    /// Device clock, milliseconds since the Unix epoch.
    pub at_ms: i64,
}

impl From<&Attribution> for Who {
    fn from(a: &Attribution) -> Self {
        Self {
            person_id: a.person_id.clone(),
            person: a.person.clone(),
            role: a.role,
            device: a.device.clone(),
            at_ms: a.at_ms,
        }
    }
}

/// One change of a document, with who made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeInfo {
    /// The change hash, hex.
    pub hash: String,
    /// Who made it; `None` for genesis and unattributed changes.
    pub attribution: Option<Attribution>,
    /// The summary of an attributed change, else the raw message (or "").
    pub summary: String,
}

impl ChangeInfo {
    fn from_meta(meta: &automerge::ChangeMetadata<'_>) -> Self {
        let message = meta.message.as_deref().unwrap_or("");
        let (attribution, summary) = match Attribution::from_message(message) {
            Some((a, s)) => (Some(a), s),
            None => (None, message.to_owned()),
        };
        Self {
            hash: meta.hash.to_string(),
            attribution,
            summary,
        }
    }
}

/// Every change of `doc`, in causal order (a change after all it depends
/// on). Inside a read with `doc`'s record cache open
/// ([`crate::record_cache::reading`]) only the changes since the cache's
/// last read are parsed.
pub fn history(doc: &Automerge) -> Vec<ChangeInfo> {
    crate::record_cache::history(doc, |heads| changes_since(doc, heads))
        .unwrap_or_else(|| changes_since(doc, &[]))
}

/// The changes of `doc` that are not in the causal past of `heads`, in
/// causal order. Every hash in `heads` must be in `doc`.
pub(crate) fn changes_since(doc: &Automerge, heads: &[ChangeHash]) -> Vec<ChangeInfo> {
    doc.get_changes_meta(heads)
        .iter()
        .map(ChangeInfo::from_meta)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::{ROOT, transaction::Transactable};

    fn zhang(at_ms: i64) -> Attribution {
        Attribution {
            person_id: "p-zhang".into(),
            person: "张三".into(),
            role: Role::Staff,
            device: "大堂平板1".into(),
            at_ms,
        }
    }

    #[test]
    fn messages_round_trip_and_other_messages_are_not_attributions() {
        let a = zhang(1_700_000_000_123);
        let msg = a.message("mark doors normal");
        assert!(msg.starts_with("shiftbook:{"));
        assert!(msg.contains("\"role\":\"staff\""), "{msg}");
        assert_eq!(
            Attribution::from_message(&msg),
            Some((a, "mark doors normal".to_owned()))
        );
        assert_eq!(Attribution::from_message("genesis"), None);
        assert_eq!(Attribution::from_message("shiftbook:{not json"), None);
        assert_eq!(Attribution::from_message("shiftbook:{}"), None);
    }

    #[test]
    fn history_lists_changes_in_causal_order_with_who_and_when() {
        let mut doc = Automerge::new();
        for (n, at) in [(1, 5_999), (2, -1)] {
            let a = zhang(at);
            doc.transact_with(
                |_| a.commit_options(&format!("edit {n}")),
                |tx| tx.put(ROOT, "n", n),
            )
            .unwrap();
        }
        doc.transact_with(
            |_| CommitOptions::default().with_message("raw"),
            |tx| tx.put(ROOT, "n", 3),
        )
        .unwrap();
        let h = history(&doc);
        assert_eq!(h.len(), 3);
        assert_eq!(h[0].summary, "edit 1");
        assert_eq!(h[0].attribution.as_ref().unwrap().person, "张三");
        assert_eq!(h[1].summary, "edit 2");
        assert_eq!(
            (h[2].attribution.clone(), h[2].summary.as_str()),
            (None, "raw")
        );
        let hashes: Vec<String> = doc
            .get_changes(&[])
            .iter()
            .map(|c| c.hash().to_string())
            .collect();
        assert_eq!(h.iter().map(|c| c.hash.clone()).collect::<Vec<_>>(), hashes);
        let times: Vec<i64> = doc.get_changes(&[]).iter().map(|c| c.timestamp()).collect();
        assert_eq!(times, vec![5, -1, 0], "time is at_ms / 1000, rounded down");
    }
}
