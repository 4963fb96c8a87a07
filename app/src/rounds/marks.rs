//! Every mark ever made on the round, newest first: nothing entered is
//! ever out of sight, including marks a later one replaced.

use crate::platform::clock::time_of_day;
use crate::rounds::view::RoundView;
use crate::words::i18n::Msg;
use leptos::prelude::*;
use shiftbook_model::Lang;
use shiftbook_model::checklist::Status;

/// The history panel.
#[component]
pub fn History(round: RoundView, lang: Lang) -> impl IntoView {
    let count = round.history.len();
    let entries = round
        .history
        .iter()
        .map(|m| {
            let status = match m.status {
                Status::Normal => Msg::Normal.text(lang),
                Status::Abnormal => Msg::Abnormal.text(lang),
            };
            view! {
                <li class=format!("history-entry {}", m.status.as_str())>
                    <time>{time_of_day(m.at_ms)}</time>
                    <span class="device">{m.device.clone()}</span>
                    <span class="label">{round.label_of(&m.item)}</span>
                    <span class="status">{status}</span>
                    {(!m.note.is_empty()).then(|| view! { <span class="note">{m.note.clone()}</span> })}
                </li>
            }
        })
        .collect_view();
    view! {
        <details class="history card" data-testid="history">
            <summary>{Msg::History.text(lang)} " (" {count} ")"</summary>
            <ol>{entries}</ol>
        </details>
    }
}
