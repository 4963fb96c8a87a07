//! The PIN pad shared by signing in and co-signing: dots for the digits
//! typed, big digit buttons, backspace and the confirm button, and what a
//! refused PIN check says. The PIN lives only in the caller's signal until
//! it is checked; it is never stored or logged.

use crate::core::store::SignInOutcome;
use crate::words::i18n::{self, Msg, Text};
use leptos::prelude::*;
use shiftbook_model::Lang;

/// The most digits a PIN has.
pub const MAX_PIN: usize = 8;

/// What to tell the person after a PIN check; `None` when it succeeded.
pub fn pin_message(lang: Lang, outcome: SignInOutcome) -> Option<String> {
    match outcome {
        SignInOutcome::SignedIn => None,
        SignInOutcome::WrongPin(wait) if wait > 0 => Some(format!(
            "{} · {}",
            Msg::WrongPin.text(lang),
            i18n::wait_seconds(lang, wait)
        )),
        SignInOutcome::WrongPin(_) => Some(Msg::WrongPin.text(lang).to_owned()),
        SignInOutcome::Wait(wait) => Some(i18n::wait_seconds(lang, wait)),
        SignInOutcome::Unknown => Some(Msg::UnknownPerson.text(lang).to_owned()),
        SignInOutcome::NoPin => Some(Msg::NoPin.text(lang).to_owned()),
        SignInOutcome::NoRoster => Some(Msg::NoRoster.text(lang).to_owned()),
    }
}

/// The pad: `pin` holds the digits typed, `checking` disables it while
/// the (slow) check runs, `submit` runs the check; the confirm button
/// carries `data-action=<action>`.
#[component]
pub fn PinPad(
    pin: RwSignal<String>,
    #[prop(into)] checking: Signal<bool>,
    message: RwSignal<Option<String>>,
    submit: Callback<()>,
    action: &'static str,
    #[prop(into)] label: Text,
) -> impl IntoView {
    let lang = expect_context::<crate::core::store::Store>().signals.lang;
    let press = move |d: char| {
        message.set(None);
        pin.update(|p| {
            if p.len() < MAX_PIN {
                p.push(d);
            }
        });
    };
    view! {
        <div class="pin-dots" data-testid="pin-dots" aria-live="polite">
            {move || "●".repeat(pin.get().len())}
        </div>
        {move || message.get().map(|t| view! { <p class="error" role="alert" data-testid="sign-in-error">{t}</p> })}
        <div class="pin-pad">
            {['1', '2', '3', '4', '5', '6', '7', '8', '9']
                .into_iter()
                .map(|d| view! { <button class="btn digit" data-digit=d.to_string() on:click=move |_| press(d)>{d.to_string()}</button> })
                .collect_view()}
            <button class="btn digit" on:click=move |_| pin.update(|p| { p.pop(); })>
                {move || Msg::Backspace.text(lang.get())}
            </button>
            <button class="btn digit" data-digit="0" on:click=move |_| press('0')>"0"</button>
            <button
                class="btn digit primary"
                data-action=action
                disabled=move || checking.get() || pin.get().len() < 4
                on:click=move |_| submit.run(())
            >
                {move || if checking.get() { Msg::CheckingPin.text(lang.get()) } else { label.text(lang.get()) }}
            </button>
        </div>
    }
}
