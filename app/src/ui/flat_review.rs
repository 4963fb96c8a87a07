//! A day's review by the shift leader (001 §6.3.12 for a show flat's day,
//! 001 篇3 §2.3 for a hand-over book's day): who signed, how many changes
//! came after the latest signature, and the button for leaders and
//! supervisors.

use crate::core::store::Store;
use crate::ui::sign_off::{SignButton, signature_lines};
use crate::words::i18n::{self, Msg, Text};
use leptos::prelude::*;
use shiftbook_model::DocumentId;
use shiftbook_model::signature::Signature;

/// The review panel of a day: `sign` signs it, `label` names the button,
/// `testid` names the panel for tests.
#[component]
pub fn DayReview(
    reviews: Vec<Signature>,
    changed_after: usize,
    #[prop(into)] label: Text,
    sign: Callback<(), Result<(), String>>,
    testid: &'static str,
) -> impl IntoView {
    let lang = expect_context::<Store>().signals.lang;
    view! {
        <section class="sign-off card" data-testid=testid>
            {signature_lines(reviews, lang)}
            {(changed_after > 0).then(|| view! {
                <p class="after-signing" data-testid="after-signing" role="alert">
                    {move || i18n::changed_after_signing(lang.get(), changed_after)}
                </p>
            })}
            <SignButton label=label sign=sign/>
        </section>
    }
}

/// The review panel of the show flat's day `id`.
#[component]
pub fn FlatReview(id: DocumentId, reviews: Vec<Signature>, changed_after: usize) -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    let sign = Callback::new(move |()| {
        store
            .sign_flat_day(&id)
            .map_err(|e| e.text(lang.get_untracked()))
    });
    view! { <DayReview reviews=reviews changed_after=changed_after label=Msg::SignFlatDay sign=sign testid="flat-review"/> }
}
