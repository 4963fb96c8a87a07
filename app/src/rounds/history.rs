//! Any past day's rounds (`#history`): every scheduled slot of that
//! service day, filterable by post, each done, done late, in progress or
//! missed — computed from the rounds this device holds or fetches. Tapping
//! one opens it.

use crate::core::store::Store;
use crate::rounds::agenda::rows;
use crate::rounds::agenda_view::day_rounds;
use crate::rounds::words::Words;
use crate::words::i18n::Msg;
use leptos::prelude::*;
use shiftbook_model::schedule::Date;
use std::collections::BTreeSet;

/// The history screen.
#[component]
pub fn HistoryPanel() -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    let yesterday = crate::platform::clock::local(crate::platform::clock::now_ms() - 86_400_000)
        .map(|t| t.date.to_string())
        .unwrap_or_else(crate::platform::clock::today);
    let date = RwSignal::new(yesterday);
    let post: RwSignal<Option<String>> = RwSignal::new(None);
    let posts: Vec<String> = store
        .templates()
        .into_iter()
        .map(|t| t.post)
        .filter(|p| !p.is_empty())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let day = store.derived(move |store| {
        let day = Date::parse(&date.get()).ok()?;
        let now = crate::platform::clock::local(crate::platform::clock::now_ms())?;
        let lang = lang.get();
        let post = post.get();
        Some(day_rounds(
            &store.templates(),
            post.as_deref(),
            lang,
            day,
            now,
            |r| store.round_progress(r),
        ))
    });
    let asker = store.clone();
    Effect::new(move |_| {
        day.with(|r| {
            if let Some(r) = r {
                asker.want_rounds(r.iter().map(|r| &r.round));
            }
        });
    });
    view! {
        <main class="history" data-testid="history">
            <section class="card admin-head">
                <h1>{move || Msg::History.text(lang.get())}</h1>
                <label class="date-pick">
                    <span>{move || Msg::Date.text(lang.get())}</span>
                    <input type="date" name="history-date" prop:value=move || date.get() on:change=move |ev| {
                        let v = event_target_value(&ev);
                        if Date::parse(&v).is_ok() {
                            date.set(v);
                        }
                    }/>
                </label>
                <label class="date-pick">
                    <span>{move || Msg::Posts.text(lang.get())}</span>
                    <select name="history-post" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        post.set((!v.is_empty()).then_some(v));
                    }>
                        <option value="">{move || Msg::AllPosts.text(lang.get())}</option>
                        {posts.into_iter().map(|p| {
                            let name = p.clone();
                            view! { <option value=p.clone()>{move || crate::words::i18n::post(lang.get(), &name)}</option> }
                        }).collect_view()}
                    </select>
                </label>
            </section>
            {move || match day.get() {
                None => view! { <p class="error">{move || Msg::Date.text(lang.get())}</p> }.into_any(),
                Some(list) if list.is_empty() => view! {
                    <p class="muted card pad">{move || Words::NothingScheduled.text(lang.get())}</p>
                }.into_any(),
                Some(list) => rows(list, lang, "past-day").into_any(),
            }}
            {(!store.is_desktop()).then(|| view! { <crate::ui::storage_use::StorageUse/> })}
        </main>
    }
}
