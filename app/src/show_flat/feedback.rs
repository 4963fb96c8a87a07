//! Guests' opinions and suggestions on a show flat's day (001 §6.2.6.6,
//! §6.3.9): the day's entries with who recorded them, and a short form —
//! kind, the guest's words, who the guest is if they said.

use crate::core::store::Store;
use crate::platform::clock::time_of_day;
use crate::show_flat::words::Words;
use crate::words::i18n;
use leptos::prelude::*;
use shiftbook_model::DocumentId;
use shiftbook_model::show_flat::{Feedback, FeedbackKind};

fn kind_text(lang: shiftbook_model::Lang, k: FeedbackKind) -> &'static str {
    match (k, lang) {
        (FeedbackKind::Opinion, shiftbook_model::Lang::Zh) => "意见",
        (FeedbackKind::Opinion, shiftbook_model::Lang::En) => "Opinion",
        (FeedbackKind::Suggestion, shiftbook_model::Lang::Zh) => "建议",
        (FeedbackKind::Suggestion, shiftbook_model::Lang::En) => "Suggestion",
    }
}

/// The feedback of the day `id`; `entries` as the document has them.
#[component]
pub fn FlatFeedback(id: DocumentId, entries: Vec<Feedback>) -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    let kind = RwSignal::new(FeedbackKind::Opinion);
    let text = RwSignal::new(String::new());
    let guest = RwSignal::new(String::new());
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match store.add_flat_feedback(
            &id,
            kind.get_untracked(),
            &text.get_untracked(),
            &guest.get_untracked(),
        ) {
            Ok(()) => {
                text.set(String::new());
                guest.set(String::new());
                error.set(None);
            }
            Err(e) => error.set(Some(e.text(lang.get_untracked()))),
        }
    };
    view! {
        <section class="card feedback" data-testid="flat-feedback">
            <h2>{move || Words::GuestFeedback.text(lang.get())}</h2>
            {if entries.is_empty() {
                view! { <p class="muted">{move || Words::NoFeedback.text(lang.get())}</p> }.into_any()
            } else {
                view! {
                    <ul class="feedback-list">
                        {entries.into_iter().map(|f| view! {
                            <li data-testid="feedback-entry" data-kind=f.kind.as_str()>
                                <span class="tag">{move || kind_text(lang.get(), f.kind)}</span>
                                " " <span class="text">{f.text.clone()}</span>
                                {(!f.guest.is_empty()).then(|| format!(" — {}", f.guest))}
                                <span class="who">{move || i18n::recorded_by(lang.get(), &f.by, &time_of_day(f.at_ms), &f.device)}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <form class="feedback-form" on:submit=submit>
                <div class="kinds" role="group">
                    {FeedbackKind::ALL.into_iter().map(|k| view! {
                        <button type="button" class="btn session" data-kind=k.as_str()
                            aria-pressed=move || (kind.get() == k).to_string()
                            on:click=move |_| kind.set(k)>
                            {move || kind_text(lang.get(), k)}
                        </button>
                    }).collect_view()}
                </div>
                <textarea name="feedback-text" rows="2"
                    placeholder=move || Words::FeedbackText.text(lang.get())
                    prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                <input name="feedback-guest" autocomplete="off"
                    placeholder=move || Words::GuestWho.text(lang.get())
                    prop:value=move || guest.get()
                    on:input=move |ev| guest.set(event_target_value(&ev))/>
                <button class="btn primary" type="submit" data-action="record-feedback">
                    {move || Words::RecordFeedback.text(lang.get())}
                </button>
            </form>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
        </section>
    }
}
