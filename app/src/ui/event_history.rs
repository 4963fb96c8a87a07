//! A record's history folded under a "History (n)" summary, newest first:
//! every event of a key or a work permit stays in sight, with who, on which
//! device and when.

use crate::core::store::Store;
use crate::ui::history_line::HistoryLine;
use crate::words::i18n::Msg;
use leptos::prelude::*;

/// The folded history `lines` (oldest first, as the views build them);
/// `class` styles the `<details>`, `testid` names it for the tests.
#[component]
pub fn EventHistory(
    lines: Vec<HistoryLine>,
    class: &'static str,
    testid: &'static str,
) -> impl IntoView {
    let lang = expect_context::<Store>().signals.lang;
    let count = lines.len();
    view! {
        <details class=class data-testid=testid>
            <summary>{move || Msg::History.text(lang.get())} " (" {count} ")"</summary>
            <ol>
                {lines.into_iter().rev().map(|h| view! {
                    <li class=format!("history-entry {}", h.kind)>
                        <time>{crate::platform::clock::date_time(h.at_ms)}</time>
                        <span class="label">{h.text}</span>
                        <span class="who">{h.who}</span>
                        <span class="device muted">{h.device}</span>
                    </li>
                }).collect_view()}
            </ol>
        </details>
    }
}
