//! Completes an enrolment link: stores the token, asks the server who this
//! device is, then drops the token from the address bar and opens the app.

use crate::enrolment::{self, EnrolError, Enrolment};
use crate::i18n::Msg;
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
