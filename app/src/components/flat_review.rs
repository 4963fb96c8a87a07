//! The shift leader's review of a show flat's day (001 §6.3.12): who
//! signed, how many changes came after the latest signature, and the button
//! for leaders and supervisors.

use crate::components::sign_off::{SignButton, signature_lines};
use crate::i18n::{self, Msg};
use crate::store::Store;
use leptos::prelude::*;
use shiftbook_model::DocumentId;
use shiftbook_model::signature::Signature;

/// The review panel of the day `id`.
#[component]
pub fn FlatReview(id: DocumentId, reviews: Vec<Signature>, changed_after: usize) -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    let sign = Callback::new(move |()| store.sign_flat_day(&id));
    view! {
        <section class="sign-off card" data-testid="flat-review">
            {signature_lines(reviews, lang)}
            {(changed_after > 0).then(|| view! {
                <p class="after-signing" data-testid="after-signing" role="alert">
                    {move || i18n::changed_after_signing(lang.get(), changed_after)}
                </p>
            })}
            <SignButton label=Msg::SignFlatDay sign=sign/>
        </section>
    }
}
