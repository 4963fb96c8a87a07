//! Completes an enrolment link: stores the token, asks the server who this
//! device is, then drops the token from the address bar and opens the app.

use crate::core::enrolment::{self, EnrolError, Enrolment};
use crate::words::i18n::Msg;
use leptos::prelude::*;
use shiftbook_model::Lang;

#[derive(Clone, PartialEq)]
enum Phase {
    Working,
    Failed(EnrolError),
}

/// The enrolment page.
#[component]
pub fn EnrollPage(token: String, lang: Lang) -> impl IntoView {
    let phase = RwSignal::new(Phase::Working);
    let attempt = move |token: String| {
        phase.set(Phase::Working);
        leptos::task::spawn_local(async move {
            match enrolment::fetch_device(&token).await {
                Ok(info) => {
                    let e = Enrolment::new(token, info);
                    if enrolment::save(&e).is_err() {
                        phase.set(Phase::Failed(EnrolError::BadAnswer("storage".into())));
                        return;
                    }
                    // Enrolment is done once the app can start offline: wait
                    // for the service worker before leaving this page.
                    service_worker_ready(10_000).await;
                    if let Some(w) = web_sys::window() {
                        // `replace` keeps the token out of the history.
                        let _ = w.location().replace("/");
                    }
                }
                Err(err) => phase.set(Phase::Failed(err)),
            }
        });
    };
    attempt(token.clone());
    view! {
        <main class="centered" data-testid="enroll">
            <div class="card notice">
                <h1>{Msg::AppName.text(lang)}</h1>
                {move || match phase.get() {
                    Phase::Working => view! { <p class="muted">{Msg::Enrolling.text(lang)}</p> }.into_any(),
                    Phase::Failed(err) => {
                        let msg = match err {
                            EnrolError::Refused => Msg::EnrolmentRefused,
                            _ => Msg::EnrolmentNeedsNetwork,
                        };
                        let token = token.clone();
                        view! {
                            <p class="error" data-testid="enroll-error">{msg.text(lang)}</p>
                            <button class="btn primary" on:click=move |_| attempt(token.clone())>
                                {Msg::Retry.text(lang)}
                            </button>
                        }.into_any()
                    }
                }}
            </div>
        </main>
    }
}

/// Wait until a service worker is active for this page's scope, or
/// `timeout_ms` passed (no service worker support: plain http to a LAN
/// address, private modes), whichever comes first.
async fn service_worker_ready(timeout_ms: i32) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(ready) = window.navigator().service_worker().ready() else {
        return;
    };
    let timeout = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, timeout_ms);
    });
    let race = js_sys::Promise::race(&js_sys::Array::of2(&ready, &timeout));
    let _ = wasm_bindgen_futures::JsFuture::from(race).await;
}
