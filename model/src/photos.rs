//! The photos of a document's records ([`Attachment`]s: the bytes stay
//! beside the documents). Each photo is its own root key,
//! `photo/<record>/<sha256>`, written as a fresh map: nothing is created
//! that a concurrent writer could also create, so photos two tablets add
//! to one record while offline both stay after the merge, and a document
//! of any family, of any age, takes photos without a new genesis. Older
//! builds ignore the keys. `<record>` is what the family names a record
//! by (a round's `slot/item`, a follow-up's id, …).

use crate::ModelError;
use crate::attachment::{Attachment, is_sha256_hex};
use crate::attribution::Attribution;
use automerge::{Automerge, ChangeHash, ROOT, ReadDoc};

const PREFIX: &str = "photo/";

fn key(record: &str, sha256: &str) -> String {
    format!("{PREFIX}{record}/{sha256}")
}

/// The record and hash a root key names, if it is a photo's.
fn parse(key: &str) -> Option<(&str, &str)> {
    let rest = key.strip_prefix(PREFIX)?;
    let (record, sha) = rest.rsplit_once('/')?;
    (!record.is_empty() && is_sha256_hex(sha)).then_some((record, sha))
}

/// Add `photo` to `record`, as `by`, in one change. Refused when the photo
/// would not be taken by the server ([`Attachment::check`]) or the record
/// already has it ([`ModelError::EmptyChange`]).
pub fn add(
    doc: &mut Automerge,
    record: &str,
    photo: &Attachment,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    photo.check()?;
    if record.is_empty() {
        return Err(ModelError::BadAttachment("a photo of no record".into()));
    }
    let key = key(record, &photo.sha256);
    if doc.get(ROOT, key.as_str())?.is_some() {
        return Err(ModelError::EmptyChange);
    }
    crate::write::put_fresh_change(
        doc,
        &ROOT,
        &key,
        photo,
        by.commit_options(&format!("photo of {record}")),
    )
}

/// Every photo of the document with its record, oldest first; an entry
/// this build cannot read (a newer build's) is left out.
pub fn all(doc: &Automerge) -> Vec<(String, Attachment)> {
    let mut out: Vec<(String, Attachment)> = doc
        .keys(ROOT)
        .filter_map(|k| {
            let (record, sha) = parse(&k)?;
            let photo: Attachment = autosurgeon::hydrate_prop(doc, ROOT, k.as_str()).ok()?;
            (photo.sha256 == sha).then(|| (record.to_owned(), photo))
        })
        .collect();
    out.sort_by(|a, b| (a.1.at_ms, &a.1.sha256).cmp(&(b.1.at_ms, &b.1.sha256)));
    out
}

/// The photos of `record`, oldest first.
pub fn of(doc: &Automerge, record: &str) -> Vec<Attachment> {
    all(doc)
        .into_iter()
        .filter(|(r, _)| r == record)
        .map(|(_, p)| p)
        .collect()
}

/// The photos of every record whose last part is `item` (a round's item
/// in any slot, `<slot>/<item>`; a show flat's, named by the item alone):
/// what a follow-up opened from it shows as "before", oldest first.
pub fn of_item(doc: &Automerge, item: &str) -> Vec<Attachment> {
    all(doc)
        .into_iter()
        .filter(|(r, _)| r.rsplit('/').next() == Some(item))
        .map(|(_, p)| p)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roster::Role;

    fn by(name: &str, device: &str, at_ms: i64) -> Attribution {
        Attribution {
            person_id: format!("p-{name}"),
            person: name.into(),
            role: Role::Staff,
            device: device.into(),
            at_ms,
        }
    }

    fn sha(n: u8) -> String {
        format!("{n:02x}").repeat(32)
    }

    fn photo(n: u8, who: &Attribution) -> Attachment {
        Attachment::new(&sha(n), 200_000, "image/jpeg", who).unwrap()
    }

    #[test]
    fn photos_of_one_record_added_offline_on_two_tablets_both_stay() {
        let mut a = crate::checklist::started_for_tests("2026-12-07");
        let mut b = a.fork().with_actor(automerge::ActorId::from(vec![2; 16]));
        let zhang = by("张伟", "大堂平板1", 1_000);
        let li = by("李娜", "大堂平板2", 2_000);
        add(&mut a, "0830/lifts", &photo(1, &zhang), &zhang).unwrap();
        add(&mut b, "0830/lifts", &photo(2, &li), &li).unwrap();
        add(&mut b, "0830/doors", &photo(3, &li), &li).unwrap();
        a.merge(&mut b).unwrap();
        let lifts = of(&a, "0830/lifts");
        assert_eq!(
            lifts.iter().map(|p| p.by.as_str()).collect::<Vec<_>>(),
            ["张伟", "李娜"],
            "both, oldest first"
        );
        assert_eq!(of(&a, "0830/doors").len(), 1);
        assert_eq!(all(&a).len(), 3);
        // Who took it and when come from the photo, and the change says so.
        let (attribution, summary) = crate::attribution::Attribution::from_message(
            a.get_last_local_change().unwrap().message().unwrap(),
        )
        .unwrap();
        assert_eq!(
            (attribution.person.as_str(), summary.as_str()),
            ("张伟", "photo of 0830/lifts")
        );
        // A follow-up of the lifts shows the lifts' photos of every slot.
        add(&mut a, "1430/lifts", &photo(4, &li), &li).unwrap();
        assert_eq!(of_item(&a, "lifts").len(), 3);
        assert_eq!(of_item(&a, "doors").len(), 1);
        assert!(of_item(&a, "0830").is_empty(), "the slot is not an item");
    }

    #[test]
    fn the_same_photo_twice_and_bad_ones_are_refused() {
        let mut doc = crate::checklist::started_for_tests("2026-12-07");
        let zhang = by("张伟", "大堂平板1", 1_000);
        add(&mut doc, "0830/lifts", &photo(1, &zhang), &zhang).unwrap();
        assert!(matches!(
            add(&mut doc, "0830/lifts", &photo(1, &zhang), &zhang),
            Err(ModelError::EmptyChange)
        ));
        let mut bad = photo(2, &zhang);
        bad.media_type = "text/html".into();
        assert!(matches!(
            add(&mut doc, "0830/lifts", &bad, &zhang),
            Err(ModelError::BadAttachment(_))
        ));
        assert!(add(&mut doc, "", &photo(3, &zhang), &zhang).is_err());
        assert_eq!(all(&doc).len(), 1);
    }

    #[test]
    fn keys_that_are_not_photos_are_not_read_as_photos() {
        assert_eq!(
            parse(&key("0830/lifts", &sha(1))),
            Some(("0830/lifts", &sha(1)[..]))
        );
        assert_eq!(parse("photo/x/abc"), None);
        assert_eq!(parse(&format!("photo//{}", sha(1))), None);
        assert_eq!(parse("marks"), None);
        let doc = crate::checklist::started_for_tests("2026-12-07");
        assert!(all(&doc).is_empty());
    }
}
