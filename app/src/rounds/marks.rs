//! Every mark ever made on the round, newest first: nothing entered is
//! ever out of sight, including marks a later one replaced. The panel
//! shows its count closed and reads the marks only while open: the day's
//! log grows with every tap, and a tap must not wait for it.

use crate::core::store::Store;
use crate::platform::clock::time_of_day;
use crate::rounds::view::{RoundView, round_history};
use crate::rounds::words::Words;
use crate::words::i18n::Msg;
use leptos::prelude::*;
use shiftbook_model::DocumentId;
use shiftbook_model::checklist::Status;
use wasm_bindgen::JsCast;

/// The history panel of round `round_slot` of checklist `id`.
#[component]
pub fn History(
    id: DocumentId,
    round_slot: String,
    round: Memo<Result<RoundView, String>>,
) -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    let open = RwSignal::new(false);
    let entries = store.derived(move |s| {
        if !open.get() {
            return Vec::new();
        }
        s.read(&id, |d| round_history(d, &round_slot).unwrap_or_default())
            .unwrap_or_default()
    });
    let count = move || round.with(|r| r.as_ref().map_or(0, |r| r.history_count));
    let label = move |item: &str| {
        round.with_untracked(|r| {
            r.as_ref()
                .map_or_else(|_| item.to_owned(), |r| r.label_of(item))
        })
    };
    let toggled = move |ev: leptos::ev::Event| {
        let now_open = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|e| e.has_attribute("open"));
        open.set(now_open);
    };
    view! {
        <details class="history card" data-testid="history" on:toggle=toggled>
            <summary>{move || Msg::History.text(lang.get())} " (" {count} ")"</summary>
            <ol>
                {move || {
                    let lang = lang.get();
                    entries
                        .get()
                        .into_iter()
                        .map(|m| {
                            let status = match m.status {
                                Status::Normal => Words::Normal.text(lang),
                                Status::Abnormal => Words::Abnormal.text(lang),
                            };
                            view! {
                                <li class=format!("history-entry {}", m.status.as_str())>
                                    <time>{time_of_day(m.at_ms)}</time>
                                    <span class="device">{m.device.clone()}</span>
                                    <span class="label">{label(&m.item)}</span>
                                    <span class="status">{status}</span>
                                    {(!m.note.is_empty()).then(|| view! { <span class="note">{m.note.clone()}</span> })}
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ol>
        </details>
    }
}
