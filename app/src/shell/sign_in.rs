//! Who is using this shared tablet: pick your name, enter your PIN. Works
//! offline once the site roster has synced.

use crate::core::store::Store;
use crate::ui::pin_entry::PinEntry;
use crate::ui::pin_pad::{PinPad, pin_message};
use crate::ui::{banners::Banners, header::Header};
use crate::words::i18n::{self, Msg};
use leptos::prelude::*;

/// The sign-in page.
#[component]
pub fn SignInPage() -> impl IntoView {
    let store = expect_context::<Store>();
    let sig = store.signals;
    let lang = sig.lang;
    let start = sig.start;
    let members = Memo::new(move |_| start.with(|d| d.active_members()));
    let entry = PinEntry::new();
    let PinEntry {
        chosen,
        pin,
        message,
        checking,
    } = entry;

    let submit = Callback::new(move |()| {
        let store = store.clone();
        entry.submit(
            move |id, digits| crate::core::engine::sign_in(store, id, digits),
            move |outcome| message.set(pin_message(lang.get_untracked(), outcome)),
        );
    });

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
                        let pick = m.staff();
                        view! {
                            <button
                                class="btn person"
                                data-person=id
                                on:click=move |_| entry.pick(pick.clone())
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
            view! {
                <div class="pin-panel card" data-testid="pin-panel">
                    <h2>{m.name.clone()} " · " {move || Msg::EnterPin.text(lang.get())}</h2>
                    <PinPad pin=pin checking=checking message=message submit=submit action="sign-in" label=Msg::SignIn/>
                    <button class="btn ghost-dark" on:click=move |_| chosen.set(None)>
                        {move || Msg::Cancel.text(lang.get())}
                    </button>
                </div>
            }
        })
    };

    view! {
        <Header date=crate::platform::clock::today()/>
        <Banners/>
        <main class="sign-in" data-testid="sign-in">
            <h1>{move || Msg::WhoAreYou.text(lang.get())}</h1>
            {people}
            {pad}
        </main>
    }
}
