//! Signatures on record documents: who signed, in which role, when, with
//! what meaning, and the exact document state the signature covers.
//!
//! Any record document whose genesis has a `signatures` list can be signed
//! (a nested container must exist from genesis, ARCHITECTURE invariant 1).
//! A [`Signature`] stores the document's heads just before signing. That
//! makes two questions answerable on every device after any merge:
//!
//! * what was added after signing ([`changes_after`]): every change not in
//!   the causal past of those heads — later edits *and* edits another tablet
//!   made concurrently, which the signer never saw — with who and when;
//! * what exactly was signed ([`as_signed`]): the document forked at the
//!   heads.
//!
//! Nothing stops a later edit (the document is a CRDT and tablets are
//! offline); a signed record therefore shows later changes as amendments
//! instead of pretending they were signed.

use crate::ModelError;
use crate::attribution::{Attribution, ChangeInfo, changes_since};
use crate::roster::Role;
use automerge::{Automerge, ChangeHash, ObjType};
use autosurgeon::{Hydrate, Reconcile};
use std::collections::BTreeSet;

/// The summary prefix of the change that records a signature.
pub const SUMMARY_PREFIX: &str = "signature ";

/// What a signature means.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Meaning {
    /// The team leader's or supervisor's daily review (领班/主管审核签名).
    DailyReview,
    /// The outgoing shift hands over (交班).
    HandoverOutgoing,
    /// The incoming shift takes over (接班).
    HandoverIncoming,
    /// The supervisor's review of a month's record at month end (e.g. the
    /// 《业户访问记录》 handed to 客户服务主管, 000 §13).
    MonthlyReview,
}

crate::string_enum::string_enum!(Meaning, "daily-review, handover-outgoing, handover-incoming or monthly-review", {
    DailyReview => "daily-review",
    HandoverOutgoing => "handover-outgoing",
    HandoverIncoming => "handover-incoming",
    MonthlyReview => "monthly-review",
});

impl Meaning {
    /// Whether a person in `role` may sign with this meaning.
    pub fn allows(self, role: Role) -> bool {
        match self {
            Self::DailyReview => matches!(role, Role::Leader | Role::Supervisor),
            Self::HandoverOutgoing | Self::HandoverIncoming => true,
            Self::MonthlyReview => role == Role::Supervisor,
        }
    }
}

/// One signature on a record.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize)]
pub struct Signature {
    /// The signer's roster id.
    pub person_id: String,
    /// The signer's name.
    pub person: String,
    /// The role the signer signed in.
    pub role: Role,
    /// What the signature means.
    pub meaning: Meaning,
    /// The device signed on.
    pub device: String,
    /// Device clock, milliseconds since the Unix epoch.
    pub at_ms: i64,
    /// The document's heads just before signing (hex change hashes): the
    /// state the signature covers.
    pub heads: Vec<String>,
}

impl Signature {
    /// `by`'s signature with `meaning` covering `doc` as it is now (its
    /// current heads).
    pub(crate) fn covering(doc: &Automerge, meaning: Meaning, by: &Attribution) -> Self {
        Self {
            person_id: by.person_id.clone(),
            person: by.person.clone(),
            role: by.role,
            meaning,
            device: by.device.clone(),
            at_ms: by.at_ms,
            heads: doc.get_heads().iter().map(ToString::to_string).collect(),
        }
    }

    /// The covered heads as change hashes.
    pub fn change_hashes(&self) -> Result<Vec<ChangeHash>, ModelError> {
        self.heads
            .iter()
            .map(|h| {
                h.parse::<ChangeHash>()
                    .map_err(|_| ModelError::BadHeads(h.chars().take(80).collect()))
            })
            .collect()
    }

    /// The heads, after checking `doc` holds every one of them.
    fn heads_in(&self, doc: &Automerge) -> Result<Vec<ChangeHash>, ModelError> {
        let heads = self.change_hashes()?;
        match crate::heads::absent(doc, &heads).first() {
            Some(missing) => Err(ModelError::BadHeads(missing.to_string())),
            None => Ok(heads),
        }
    }
}

fn signatures_list(doc: &Automerge) -> Result<automerge::ObjId, ModelError> {
    crate::genesis::container(doc, "signatures", ObjType::List)
}

/// Sign `doc` as `by` with `meaning`, as one change appending to the
/// document's `signatures`. Refuses a role the meaning does not allow
/// ([`Meaning::allows`]) without changing the document.
pub fn sign(
    doc: &mut Automerge,
    meaning: Meaning,
    by: &Attribution,
) -> Result<Signature, ModelError> {
    if !meaning.allows(by.role) {
        return Err(ModelError::NotAllowed {
            role: by.role.as_str(),
            meaning: meaning.as_str(),
        });
    }
    let list = signatures_list(doc)?;
    let signature = Signature::covering(doc, meaning, by);
    let options = by.commit_options(&format!("{SUMMARY_PREFIX}{}", meaning.as_str()));
    crate::write::append_all(doc, &list, std::slice::from_ref(&signature), options)?;
    Ok(signature)
}

/// Every signature on `doc`, in list order.
pub fn signatures(doc: &Automerge) -> Result<Vec<Signature>, ModelError> {
    signatures_list(doc)?;
    crate::readable::at_root(doc, "signatures")
}

/// Whether a change's summary marks it as recording a signature.
pub fn is_signature_change(info: &ChangeInfo) -> bool {
    info.summary.starts_with(SUMMARY_PREFIX)
}

/// What was added after `signature` was made: every change of `doc` not in
/// the causal past of the signature's heads (later, or concurrent with the
/// signing), except the changes that record signatures, in causal order.
pub fn changes_after(
    doc: &Automerge,
    signature: &Signature,
) -> Result<Vec<ChangeInfo>, ModelError> {
    let heads = signature.heads_in(doc)?;
    Ok(changes_since(doc, &heads)
        .into_iter()
        .filter(|c| !is_signature_change(c))
        .collect())
}

/// The document exactly as it was signed. For reading: it has a fresh
/// random actor and must not be edited and synced as the record.
pub fn as_signed(doc: &Automerge, signature: &Signature) -> Result<Automerge, ModelError> {
    let heads = signature.heads_in(doc)?;
    Ok(doc.fork_at(&heads)?)
}

/// The ids of the maps in the list `key` of `doc` that `signature` does
/// not cover (appended after signing, or concurrently without the signer
/// seeing them): what a record's view marks "added after signing".
pub(crate) fn elements_after(
    doc: &Automerge,
    signature: &Signature,
    key: &str,
) -> Result<BTreeSet<String>, ModelError> {
    let signed = as_signed(doc, signature)?;
    let ids = |d: &Automerge| -> Result<BTreeSet<String>, ModelError> {
        let list = crate::genesis::container(d, key, ObjType::List)?;
        Ok(crate::causal::ids(d, &list)?.into_iter().collect())
    };
    let before = ids(&signed)?;
    Ok(ids(doc)?.difference(&before).cloned().collect())
}

#[cfg(test)]
mod tests;
