//! A PIN entry in progress, shared by signing in and co-signing: the
//! person picked, the digits typed (only in this signal until checked,
//! never stored or logged), what the last check said, and whether a check
//! is running; and the check itself, which the browser runs off the main
//! thread's work (WebCrypto) while "checking" shows.

use leptos::prelude::*;
use shiftbook_model::roster::StaffMember;
use std::future::Future;

/// The state of one PIN entry.
#[derive(Clone, Copy)]
pub struct PinEntry {
    /// The person picked, if any.
    pub chosen: RwSignal<Option<StaffMember>>,
    /// The digits typed.
    pub pin: RwSignal<String>,
    /// What the last check said, when it refused.
    pub message: RwSignal<Option<String>>,
    /// A check is running.
    pub checking: RwSignal<bool>,
}

impl PinEntry {
    /// Nobody picked, nothing typed.
    pub fn new() -> Self {
        Self {
            chosen: RwSignal::new(None),
            pin: RwSignal::new(String::new()),
            message: RwSignal::new(None),
            checking: RwSignal::new(false),
        }
    }

    /// Pick `member`: the digits and the last message start over.
    pub fn pick(self, member: StaffMember) {
        self.chosen.set(Some(member));
        self.pin.set(String::new());
        self.message.set(None);
    }

    /// Check the digits typed for the person picked: `check(person id,
    /// digits)` runs with "checking" shown, the digits are cleared, then
    /// `done` gets what the check said. Nothing happens while nobody is
    /// picked.
    pub fn submit<T, Checked>(
        self,
        check: impl FnOnce(String, String) -> Checked,
        done: impl FnOnce(T) + 'static,
    ) where
        T: 'static,
        Checked: Future<Output = T> + 'static,
    {
        let Some(member) = self.chosen.get_untracked() else {
            return;
        };
        self.checking.set(true);
        let checked = check(member.id, self.pin.get_untracked());
        leptos::task::spawn_local(async move {
            let outcome = checked.await;
            self.checking.set(false);
            self.pin.set(String::new());
            done(outcome);
        });
    }
}

impl Default for PinEntry {
    fn default() -> Self {
        Self::new()
    }
}
