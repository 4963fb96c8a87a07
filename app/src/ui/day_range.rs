//! The From / To pair of the desktop's searches across days (duty log,
//! visitor log): the last seven service days at first, the days between
//! as a memo (or why the pair is not a range), and the two date inputs.

use crate::core::service_day::current_service_day;
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
