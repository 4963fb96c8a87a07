//! Supervisors sign in on the desktop with user name and password (online).

use crate::core::supervisor::{self, LoginError};
use crate::words::i18n::Msg;
use leptos::prelude::*;
use shiftbook_model::Lang;

/// The supervisor login page.
#[component]
pub fn SupervisorLoginPage(lang: Lang) -> impl IntoView {
    let user = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error: RwSignal<Option<&'static str>> = RwSignal::new(None);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        error.set(None);
        let (u, p) = (user.get_untracked(), password.get_untracked());
        leptos::task::spawn_local(async move {
            match supervisor::login(&u, &p).await {
                Ok(session) => {
                    if supervisor::save(&session).is_ok()
                        && let Some(w) = web_sys::window()
                    {
                        let _ = w.location().replace("/supervisor");
                        return;
                    }
                    error.set(Some(Msg::StorageFailed.text(lang)));
                }
                Err(LoginError::Wrong) => error.set(Some(Msg::WrongLogin.text(lang))),
                Err(LoginError::TooMany) => error.set(Some(Msg::TooManyLogins.text(lang))),
                Err(LoginError::Other(_)) => error.set(Some(Msg::LoginNeedsNetwork.text(lang))),
            }
            password.set(String::new());
            busy.set(false);
        });
    };
    view! {
        <main class="centered" data-testid="supervisor-login">
            <form class="card notice login" on:submit=submit>
                <h1>{Msg::AppName.text(lang)}</h1>
                <h2>{Msg::SupervisorLogin.text(lang)}</h2>
                <label>
                    <span>{Msg::UserName.text(lang)}</span>
                    <input
                        name="user"
                        autocomplete="username"
                        required
                        prop:value=move || user.get()
                        on:input=move |ev| user.set(event_target_value(&ev))
                    />
                </label>
                <label>
                    <span>{Msg::Password.text(lang)}</span>
                    <input
                        name="password"
                        type="password"
                        autocomplete="current-password"
                        required
                        prop:value=move || password.get()
                        on:input=move |ev| password.set(event_target_value(&ev))
                    />
                </label>
                {move || error.get().map(|e| view! { <p class="error" role="alert" data-testid="login-error">{e}</p> })}
                <button class="btn primary" type="submit" data-action="login" disabled=move || busy.get()>
                    {Msg::SignIn.text(lang)}
                </button>
            </form>
        </main>
    }
}
