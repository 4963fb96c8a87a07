//! The day's sign-off of a round: who signed, what was added after
//! signing (with who and when), and the round exactly as it was signed.
//! Leaders and supervisors get the button; staff never sign off for
//! others.

use crate::core::store::Store;
use crate::platform::clock::time_of_day;
use crate::rounds::view::SignOffView;
use crate::rounds::words::Words;
use crate::ui::sign_off::{SignButton, signature_lines};
use crate::words::i18n::{self, Msg};
use leptos::prelude::*;
use shiftbook_model::DocumentId;
use shiftbook_model::checklist::{ItemState, Status};

fn status_text(s: Status, lang: shiftbook_model::Lang) -> &'static str {
    match s {
        Status::Normal => Words::Normal.text(lang),
        Status::Abnormal => Words::Abnormal.text(lang),
    }
}

/// The sign-off panel.
#[component]
pub fn SignOff(id: DocumentId, view: SignOffView) -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    let sign = Callback::new(move |()| {
        store
            .sign_round(&id)
            .map_err(|e| e.text(lang.get_untracked()))
    });
    let signed = view.signatures.clone();
    let after = view.after_latest.clone();
    let as_signed = view.as_signed.clone();
    view! {
        <section class="sign-off card" data-testid="sign-off">
            {signature_lines(signed, lang)}
            {(!after.is_empty()).then(|| view! {
                <div class="after-signing" data-testid="after-signing" role="alert">
                    <strong>{move || Msg::AddedAfterSigning.text(lang.get())} " (" {after.len()} ")"</strong>
                    <ul>
                        {after.iter().cloned().map(|a| view! {
                            <li data-item=a.item_id.clone().unwrap_or_default()>
                                <span class="label">{a.item.clone().unwrap_or_else(|| "—".into())}</span>
                                {a.status.map(|s| view! { <span class=format!("status {}", s.as_str())>{move || status_text(s, lang.get())}</span> })}
                                <span class="who">
                                    {move || i18n::recorded_by(
                                        lang.get(),
                                        a.person.as_deref().unwrap_or("?"),
                                        &a.at_ms.map(time_of_day).unwrap_or_default(),
                                        a.device.as_deref().unwrap_or("?"),
                                    )}
                                </span>
                            </li>
                        }).collect_view()}
                    </ul>
                </div>
            })}
            {(!as_signed.is_empty()).then(|| view! {
                <details class="as-signed" data-testid="as-signed">
                    <summary>{move || Words::AsSigned.text(lang.get())}</summary>
                    <ul>
                        {as_signed.iter().cloned().map(|(label, state)| {
                            let shown = move || match &state {
                                ItemState::Unmarked => Words::NotChecked.text(lang.get()).to_owned(),
                                ItemState::Marked(m) => status_text(m.status, lang.get()).to_owned(),
                                ItemState::Conflict(_) => Msg::ConflictTitle.text(lang.get()).to_owned(),
                            };
                            view! { <li><span class="label">{label}</span> " " <span>{shown}</span></li> }
                        }).collect_view()}
                    </ul>
                </details>
            })}
            <SignButton label=Words::SignOffDaily sign=sign/>
        </section>
    }
}
