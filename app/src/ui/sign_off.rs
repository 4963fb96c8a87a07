//! Signatures, shared by every signed record: who signed, one line each
//! (a signer the roster does not allow marked invalid), and the sign
//! button. Leaders and supervisors get the button; staff never sign off
//! for others.

use crate::core::store::Store;
use crate::platform::clock::time_of_day;
use crate::words::i18n::{self, Msg, Text};
use leptos::prelude::*;
use shiftbook_model::Lang;
use shiftbook_model::attribution_check::signature_doubt;
use shiftbook_model::roster::Role;
use shiftbook_model::signature::Signature;

/// Who signed, one line each; "not signed yet" when nobody has. A
/// signature whose signer does not hold a role allowed to sign it (by the
/// roster this device holds) is marked invalid.
pub fn signature_lines(signed: Vec<Signature>, lang: RwSignal<Lang>) -> AnyView {
    if signed.is_empty() {
        return view! { <p class="muted" data-testid="not-signed">{move || Msg::NotSignedYet.text(lang.get())}</p> }.into_any();
    }
    let roster = use_context::<Store>()
        .and_then(|s| s.all_members())
        .filter(|m| !m.is_empty());
    signed
        .into_iter()
        .map(|s| {
            let doubt = signature_doubt(&s, roster.as_deref());
            let valid = doubt.is_none();
            let class = if valid { "signature" } else { "signature invalid" };
            view! {
                <p class=class data-testid="signature" data-valid=valid.to_string()>
                    "✍ "
                    {move || i18n::signed_by(lang.get(), &s.person, i18n::role(lang.get(), s.role), &time_of_day(s.at_ms), &s.device)}
                    {doubt.map(|d| view! {
                        " " <span class="tag unconfirmed" data-testid="signature-invalid">{move || i18n::invalid_signature(lang.get(), &d)}</span>
                    })}
                </p>
            }
        })
        .collect_view()
        .into_any()
}

/// The daily-review button for leaders and supervisors (nothing for
/// staff), asking to confirm before `sign` runs; shows `sign`'s error.
#[component]
pub fn SignButton(
    #[prop(into)] label: Text,
    sign: Callback<(), Result<(), String>>,
) -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    let person = store.signals.person;
    let confirming = RwSignal::new(false);
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let may_sign = move || {
        person.with(|p| {
            p.as_ref()
                .is_some_and(|p| matches!(p.role, Role::Leader | Role::Supervisor))
        })
    };
    view! {
        {move || may_sign().then(move || if confirming.get() {
            view! {
                <div class="confirm">
                    <button class="btn primary" data-action="confirm-sign" on:click=move |_| {
                        confirming.set(false);
                        error.set(sign.run(()).err());
                    }>
                        {move || Msg::ConfirmSignOff.text(lang.get())}
                    </button>
                    <button class="btn" on:click=move |_| confirming.set(false)>
                        {move || Msg::Cancel.text(lang.get())}
                    </button>
                </div>
            }.into_any()
        } else {
            view! {
                <button class="btn secondary" data-action="sign-off" on:click=move |_| confirming.set(true)>
                    "✍ " {move || label.text(lang.get())}
                </button>
            }.into_any()
        })}
        {move || error.get().map(|e| view! { <p class="error">{e}</p> })}
    }
}
