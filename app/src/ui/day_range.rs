//! The From / To pair of the desktop's searches across days (duty log,
//! visitor log): the last seven service days at first, the days between
//! as a memo (or why the pair is not a range), the two date inputs, and
//! what a search over the days finds.

use crate::core::service_day::current_service_day;
use crate::core::store::Store;
use crate::words::i18n::Msg;
use leptos::prelude::*;
use shiftbook_model::Lang;

/// A range of service days being searched.
#[derive(Clone, Copy)]
pub struct DayRange {
    /// First day, `YYYY-MM-DD`.
    pub from: RwSignal<String>,
    /// Last day, `YYYY-MM-DD`.
    pub to: RwSignal<String>,
    /// Every day from `from` to `to`, or why not, in words.
    pub days: Memo<Result<Vec<String>, String>>,
}

impl DayRange {
    /// The last seven service days, today's included.
    pub fn last_week(lang: RwSignal<Lang>) -> Self {
        let today = current_service_day();
        let from = RwSignal::new(
            crate::platform::clock::local(crate::platform::clock::now_ms() - 6 * 86_400_000)
                .map(|t| t.date.to_string())
                .unwrap_or_else(|| today.clone()),
        );
        let to = RwSignal::new(today);
        let days = Memo::new(move |_| {
            crate::core::service_day::days_between(&from.get(), &to.get())
                .map_err(|e| e.text(lang.get()))
        });
        Self { from, to, days }
    }

    /// What `search` finds over the range's days, recomputed when the
    /// days, the language or a document it read change; `want` asks the
    /// server for the days this device does not hold, whenever the range
    /// changes.
    pub fn found<R: PartialEq + Send + Sync + 'static>(
        self,
        store: &Store,
        lang: RwSignal<Lang>,
        want: impl Fn(&Store, &[String]) + 'static,
        search: impl Fn(&Store, &[String]) -> Result<R, String> + Send + Sync + 'static,
    ) -> Memo<Result<R, String>> {
        let days = self.days;
        let asker = store.clone();
        Effect::new(move |_| {
            if let Ok(d) = days.get() {
                want(&asker, &d);
            }
        });
        store.derived(move |s| {
            lang.track();
            days.get().and_then(|d| search(s, &d))
        })
    }

    /// The From and To inputs (`search-from`, `search-to`).
    pub fn inputs(self, lang: RwSignal<Lang>) -> impl IntoView {
        let Self { from, to, .. } = self;
        view! {
            <label class="date-pick"><span>{move || Msg::From.text(lang.get())}</span>
                <input type="date" name="search-from" prop:value=move || from.get() on:change=move |ev| from.set(event_target_value(&ev))/></label>
            <label class="date-pick"><span>{move || Msg::To.text(lang.get())}</span>
                <input type="date" name="search-to" prop:value=move || to.get() on:change=move |ev| to.set(event_target_value(&ev))/></label>
        }
    }
}
