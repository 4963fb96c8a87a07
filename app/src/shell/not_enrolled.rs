//! Shown on a browser that has no enrolment yet.

use crate::words::i18n::Msg;
use leptos::prelude::*;
use shiftbook_model::Lang;

/// The "not enrolled" page.
#[component]
pub fn NotEnrolledPage(lang: Lang) -> impl IntoView {
    view! {
        <main class="centered" data-testid="not-enrolled">
            <div class="card notice">
                <h1>{Msg::AppName.text(lang)}</h1>
                <h2>{Msg::NotEnrolledTitle.text(lang)}</h2>
                <p>{Msg::NotEnrolledHelp.text(lang)}</p>
            </div>
        </main>
    }
}
