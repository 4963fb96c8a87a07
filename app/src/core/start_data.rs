//! What the first screen needs, kept apart from the documents: the people
//! who may sign in, the site's templates, how far the agenda's rounds got,
//! the rounds waiting for the leader's signature, the first hand-over book
//! and show flat, and the idle sign-out time.
//!
//! The tablet starts from this: the main module of the wasm holds no
//! automerge, so the sign-in page and the agenda show from the copy the
//! last session left in storage, while the documents load in the engine's
//! piece (`shell/engine.rs`). Once they have, the engine computes it from
//! the documents whenever they change, and writes it back. It is a cache:
//! the documents stay the truth, and a copy that cannot be read is
//! ignored (the first screen then waits for the engine).

use crate::nav::route::RoundRef;
use serde::{Deserialize, Serialize};
use shiftbook_model::roster::{Role, StaffMember};
use shiftbook_model::schedule::{LocalDateTime, RoundProgress};
use shiftbook_model::settings::Setting;
use shiftbook_model::template::Template;

/// The storage key of a site's copy (`<prefix><site>`).
const KEY_PREFIX: &str = "shiftbook.start.";

/// Bumped when the shape changes: an older copy is then ignored.
const VERSION: u32 = 1;

/// One person on the roster, as the sign-in page lists them (no PIN hash:
/// the engine checks PINs against the roster document).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    /// Stable id.
    pub id: String,
    /// Name as shown.
    pub name: String,
    /// Role.
    pub role: Role,
    /// Posts the person works.
    pub posts: Vec<String>,
    /// `false` once the person has left.
    pub active: bool,
}

impl Member {
    /// The roster entry without its PIN hash.
    pub fn of(m: &StaffMember) -> Self {
        Self {
            id: m.id.clone(),
            name: m.name.clone(),
            role: m.role,
            posts: m.posts.clone(),
            active: m.active,
        }
    }

    /// As the PIN entry takes a person (without the hash, which only the
    /// engine reads).
    pub fn staff(&self) -> StaffMember {
        StaffMember {
            id: self.id.clone(),
            name: self.name.clone(),
            role: self.role,
            posts: self.posts.clone(),
            pin: None,
            active: self.active,
        }
    }
}

/// How far one round got, as stored (local times as `YYYY-MM-DD HH:MM`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedProgress {
    /// The round (`RoundRef::path`).
    pub round: String,
    /// When it was begun.
    pub started: String,
    /// When it was finished, if it was.
    pub finished: Option<String>,
}

/// What the first screen shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StartData {
    /// The shape's version ([`VERSION`]).
    pub version: u32,
    /// Everyone on the roster, active or not; `None` while the roster has
    /// not reached this device.
    pub members: Option<Vec<Member>>,
    /// The site's templates.
    pub templates: Vec<Template>,
    /// The rounds of the agenda that were begun; any other is not started.
    pub progress: Vec<SavedProgress>,
    /// The rounds of yesterday and today walked and not signed: their
    /// titles, for the leader's "sign the day".
    pub to_sign: Vec<String>,
    /// The first hand-over book, where the rail's hand-over target goes.
    pub first_book: Option<String>,
    /// The first show flat, where the rail's show-flat target goes.
    pub first_flat: Option<String>,
    /// The site's idle sign-out time, ms.
    pub idle_ms: i64,
}

impl Default for StartData {
    /// Before anything is known: no roster, the built-in templates, the
    /// default idle time.
    fn default() -> Self {
        Self {
            version: VERSION,
            members: None,
            templates: shiftbook_model::template::builtins(),
            progress: Vec::new(),
            to_sign: Vec::new(),
            first_book: None,
            first_flat: None,
            idle_ms: Setting::IdleSignOutMinutes.default_value() * 60_000,
        }
    }
}

impl StartData {
    /// The people who can sign in here: the active ones.
    pub fn active_members(&self) -> Option<Vec<Member>> {
        self.members
            .as_ref()
            .map(|all| all.iter().filter(|m| m.active).cloned().collect())
    }

    /// The posts of person `id` (none: every template is theirs).
    pub fn posts_of(&self, id: Option<&str>) -> Vec<String> {
        let Some(id) = id else {
            return Vec::new();
        };
        self.members
            .iter()
            .flatten()
            .find(|m| m.id == id)
            .map(|m| m.posts.clone())
            .unwrap_or_default()
    }

    /// How far `round` got, as far as this copy knows.
    pub fn progress(&self, round: &RoundRef) -> RoundProgress {
        let path = round.path();
        let Some(p) = self.progress.iter().find(|p| p.round == path) else {
            return RoundProgress::NotStarted;
        };
        let parse = |s: &str| s.parse::<LocalDateTime>().ok();
        match (parse(&p.started), p.finished.as_deref().map(parse)) {
            (Some(started), Some(Some(at))) => RoundProgress::Finished { started, at },
            (Some(at), None) => RoundProgress::Started { at },
            _ => RoundProgress::NotStarted,
        }
    }

    /// Note how far `round` got (nothing for a round not started).
    pub fn note_progress(&mut self, round: &RoundRef, progress: RoundProgress) {
        let (started, finished) = match progress {
            RoundProgress::NotStarted => return,
            RoundProgress::Started { at } => (at, None),
            RoundProgress::Finished { started, at } => (started, Some(at)),
        };
        let round = round.path();
        self.progress.retain(|p| p.round != round);
        self.progress.push(SavedProgress {
            round,
            started: started.to_string(),
            finished: finished.map(|f| f.to_string()),
        });
    }

    /// The copy kept in storage for `site`, if there is one this build can
    /// read.
    pub fn load(site: &str) -> Option<Self> {
        let raw = crate::platform::storage::read_raw(&format!("{KEY_PREFIX}{site}"))?;
        Self::decode(&raw)
    }

    /// Keep this copy for `site`'s next start. A refused write only makes
    /// that start wait for the documents.
    pub fn save(&self, site: &str) {
        if let Ok(raw) = serde_json::to_string(self) {
            let _ = crate::platform::storage::write_raw(&format!("{KEY_PREFIX}{site}"), &raw);
        }
    }

    /// A stored copy, or `None` if it is not one this build wrote.
    fn decode(raw: &str) -> Option<Self> {
        serde_json::from_str::<Self>(raw)
            .ok()
            .filter(|d| d.version == VERSION)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round(slot: &str) -> RoundRef {
        RoundRef {
            template: "lobby-opening".into(),
            date: "2026-12-07".into(),
            slot: slot.into(),
        }
    }

    fn at(s: &str) -> LocalDateTime {
        s.parse().unwrap()
    }

    #[test]
    fn progress_round_trips_through_storage_text() {
        let mut data = StartData::default();
        data.note_progress(
            &round("07:00"),
            RoundProgress::Started {
                at: at("2026-12-07 07:02"),
            },
        );
        data.note_progress(
            &round("09:00"),
            RoundProgress::Finished {
                started: at("2026-12-07 09:01"),
                at: at("2026-12-07 09:20"),
            },
        );
        data.note_progress(&round("11:00"), RoundProgress::NotStarted);
        let back = StartData::decode(&serde_json::to_string(&data).unwrap()).unwrap();
        assert_eq!(back, data);
        assert_eq!(
            back.progress(&round("07:00")),
            RoundProgress::Started {
                at: at("2026-12-07 07:02")
            }
        );
        assert_eq!(
            back.progress(&round("09:00")),
            RoundProgress::Finished {
                started: at("2026-12-07 09:01"),
                at: at("2026-12-07 09:20")
            }
        );
        assert_eq!(back.progress(&round("11:00")), RoundProgress::NotStarted);
        assert_eq!(back.progress.len(), 2);
    }

    #[test]
    fn a_round_noted_again_keeps_only_its_latest_progress() {
        let mut data = StartData::default();
        let r = round("07:00");
        data.note_progress(
            &r,
            RoundProgress::Started {
                at: at("2026-12-07 07:02"),
            },
        );
        let done = RoundProgress::Finished {
            started: at("2026-12-07 07:02"),
            at: at("2026-12-07 07:30"),
        };
        data.note_progress(&r, done);
        assert_eq!(data.progress.len(), 1);
        assert_eq!(data.progress(&r), done);
    }

    #[test]
    fn a_copy_of_another_shape_or_garbage_is_ignored() {
        let old = StartData {
            version: VERSION + 1,
            ..StartData::default()
        };
        assert_eq!(
            StartData::decode(&serde_json::to_string(&old).unwrap()),
            None
        );
        assert_eq!(StartData::decode("{not json"), None);
        assert_eq!(StartData::decode("{}"), None);
    }

    #[test]
    fn posts_and_sign_in_list_come_from_the_members() {
        let member = |id: &str, posts: &[&str], active| Member {
            id: id.into(),
            name: id.to_uppercase(),
            role: Role::Staff,
            posts: posts.iter().map(|p| (*p).to_owned()).collect(),
            active,
        };
        let data = StartData {
            members: Some(vec![
                member("zhang", &["lobby"], true),
                member("li", &["show-flat"], false),
            ]),
            ..StartData::default()
        };
        assert_eq!(data.posts_of(Some("zhang")), vec!["lobby".to_owned()]);
        assert_eq!(data.posts_of(Some("li")), vec!["show-flat".to_owned()]);
        assert!(data.posts_of(Some("nobody")).is_empty());
        assert!(data.posts_of(None).is_empty());
        let active = data.active_members().unwrap();
        assert_eq!(active.len(), 1);
        assert_eq!(active[0].id, "zhang");
        assert_eq!(active[0].staff().pin, None);
        assert_eq!(StartData::default().active_members(), None);
    }
}
