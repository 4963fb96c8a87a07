//! Who is using this shared tablet: pick your name, enter your PIN. Works
//! offline once the site roster has synced.

use crate::components::{banners::Banners, header::Header};
use crate::i18n::{self, Msg};
use crate::store::{SignInOutcome, Store};
use leptos::prelude::*;
use shiftbook_model::roster::StaffMember;

/// The most digits a PIN has.
const MAX_PIN: usize = 8;

/// The sign-in page.
#[component]
pub fn SignInPage() -> impl IntoView {
    let store = expect_context::<Store>();
    let sig = store.signals;
    let lang = sig.lang;
    let members = store.derived(Store::roster_members);
    let chosen: RwSignal<Option<StaffMember>> = RwSignal::new(None);
    let pin = RwSignal::new(String::new());
    let message: RwSignal<Option<String>> = RwSignal::new(None);
    let checking = RwSignal::new(false);

    let submit = move || {
        let Some(member) = chosen.get_untracked() else {
            return;
        };
        let entered = pin.get_untracked();
        checking.set(true);
        let store = store.clone();
        // Let the "checking" state paint: the slow PIN hash blocks.
        leptos::task::spawn_local(async move {
            crate::clock::sleep_ms(30).await;
            let outcome = store.sign_in(&member.id, &entered);
            checking.set(false);
            pin.set(String::new());
            let l = lang.get_untracked();
            message.set(match outcome {
                SignInOutcome::SignedIn => None,
                SignInOutcome::WrongPin(wait) if wait > 0 => Some(format!(
                    "{} · {}",
                    Msg::WrongPin.text(l),
                    i18n::wait_seconds(l, wait)
                )),
                SignInOutcome::WrongPin(_) => Some(Msg::WrongPin.text(l).to_owned()),
                SignInOutcome::Wait(wait) => Some(i18n::wait_seconds(l, wait)),
                SignInOutcome::Unknown => Some(Msg::UnknownPerson.text(l).to_owned()),
                SignInOutcome::NoPin => Some(Msg::NoPin.text(l).to_owned()),
                SignInOutcome::NoRoster => Some(Msg::NoRoster.text(l).to_owned()),
            });
        });
    };
    let press = move |d: char| {
        message.set(None);
        pin.update(|p| {
            if p.len() < MAX_PIN {
                p.push(d);
            }
        });
    };

    let people = move || {
        match members.get() {
        None => view! { <p class="card notice" data-testid="no-roster">{Msg::NoRoster.text(lang.get())}</p> }
            .into_any(),
        Some(list) => view! {
            <div class="people">
                {list
                    .into_iter()
                    .map(|m| {
                        let id = m.id.clone();
                        let role = m.role;
                        let name = m.name.clone();
                        let pick = m.clone();
                        view! {
                            <button
                                class="btn person"
                                data-person=id
                                on:click=move |_| {
                                    chosen.set(Some(pick.clone()));
                                    pin.set(String::new());
                                    message.set(None);
                                }
                            >
                                <span class="name">{name}</span>
                                <span class="role">{move || i18n::role(lang.get(), role)}</span>
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
        }
        .into_any(),
    }
    };

    let pad = move || {
        chosen.get().map(|m| {
            let submit = submit.clone();
            view! {
                <div class="pin-panel card" data-testid="pin-panel">
                    <h2>{m.name.clone()} " · " {move || Msg::EnterPin.text(lang.get())}</h2>
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
                            data-action="sign-in"
                            disabled=move || checking.get() || pin.get().len() < 4
                            on:click=move |_| submit()
                        >
                            {move || if checking.get() { Msg::CheckingPin.text(lang.get()) } else { Msg::SignIn.text(lang.get()) }}
                        </button>
                    </div>
                    <button class="btn ghost-dark" on:click=move |_| chosen.set(None)>
                        {move || Msg::Cancel.text(lang.get())}
                    </button>
                </div>
            }
        })
    };

    view! {
        <Header date=crate::clock::today()/>
        <Banners/>
        <main class="sign-in" data-testid="sign-in">
            <h1>{move || Msg::WhoAreYou.text(lang.get())}</h1>
            {people}
            {pad}
        </main>
    }
}
