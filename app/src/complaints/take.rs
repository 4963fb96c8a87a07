//! Taking an owner's request or complaint (《业主投诉登记表》's header): the
//! received time (now, editable — the call may have come in earlier), the
//! channel and kind as big buttons, owner, unit, contact, content, the
//! difficulty if already judged, and "serious" (escalate to the manager at
//! once). Saved on the tablet at once, offline too; its deadlines start
//! from the received time.

use crate::complaints::form::TakeForm;
use crate::complaints::view;
use crate::complaints::words::Words;
use crate::core::error::AppProblem;
use crate::core::store::Store;
use crate::platform::random::random_bytes;
use crate::ui::bound_input::bound_input;
use crate::words::i18n::Msg;
use leptos::prelude::*;
use shiftbook_model::complaint::{Channel, Complaint, Difficulty, Kind};

/// A fresh complaint id: random, one device registers it.
fn new_id() -> String {
    let bytes = random_bytes::<8>();
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("c-{hex}")
}

/// The form; `done` runs after a complaint was saved, `cancel` when the
/// person gives up. With `follows`, the owner came back about that closed
/// complaint: the form starts from its owner, unit and contact, and the
/// new complaint is linked to it.
#[component]
pub fn TakeComplaint(
    done: Callback<()>,
    cancel: Callback<()>,
    #[prop(optional)] follows: Option<Complaint>,
) -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    let Some(now) = store.local_now() else {
        return view! { <p class="error">{move || AppProblem::NoClock.text(lang.get())}</p> }
            .into_any();
    };
    let is_again = follows.is_some();
    let form = RwSignal::new(match &follows {
        Some(earlier) => TakeForm::again(earlier, now),
        None => TakeForm::new(now),
    });
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let post = store
        .person_posts()
        .into_iter()
        .next()
        .unwrap_or_else(|| "front-desk".to_owned());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let lang = lang.get_untracked();
        let Some(now) = store.local_now() else {
            return;
        };
        let result = form
            .get_untracked()
            .to_new(&new_id(), &post, now, lang)
            .and_then(|new| store.receive_complaint(&new).map_err(|e| e.text(lang)));
        match result {
            Ok(()) => {
                error.set(None);
                form.set(TakeForm::new(now));
                done.run(());
            }
            Err(e) => error.set(Some(e)),
        }
    };
    view! {
        <form class="card take-complaint" data-testid="take-complaint" on:submit=submit>
            <h2>{move || if is_again { Words::CpAgain } else { Words::CpTake }.text(lang.get())}</h2>
            <div class="take-grid">
                <label class="field">
                    <span>{move || Words::CpReceived.text(lang.get())}</span>
                    <input
                        type="datetime-local"
                        name="received"
                        prop:value=move || form.with(|f| f.received.clone())
                        on:input=move |ev| form.update(|f| f.received = event_target_value(&ev))
                    />
                </label>
                <div class="field wide">
                    <span>{move || Words::CpChannel.text(lang.get())}</span>
                    <div class="choice-row" role="group">
                        {Channel::ALL.into_iter().map(|c| view! {
                            <button
                                type="button"
                                class="btn choice-btn"
                                data-channel=c.as_str()
                                aria-pressed=move || form.with(|f| f.channel == c).to_string()
                                on:click=move |_| form.update(|f| f.channel = c)
                            >
                                {move || view::channel(lang.get(), c)}
                            </button>
                        }).collect_view()}
                    </div>
                </div>
                <div class="field">
                    <span>{move || Words::CpKind.text(lang.get())}</span>
                    <div class="choice-row" role="group">
                        {Kind::ALL.into_iter().map(|k| view! {
                            <button
                                type="button"
                                class="btn choice-btn"
                                data-kind=k.as_str()
                                aria-pressed=move || form.with(|f| f.kind == k).to_string()
                                on:click=move |_| form.update(|f| f.kind = k)
                            >
                                {move || view::kind(lang.get(), k)}
                            </button>
                        }).collect_view()}
                    </div>
                </div>
                {bound_input(form, "field", "text", "owner", Msg::CpOwner, |f| f.owner.clone(), |f, v| f.owner = v)}
                {bound_input(form, "field", "text", "unit", Msg::CpUnit, |f| f.unit.clone(), |f, v| f.unit = v)}
                {bound_input(form, "field", "text", "contact", Words::CpContact, |f| f.contact.clone(), |f, v| f.contact = v)}
                <label class="field full">
                    <span>{move || Words::CpContent.text(lang.get())}</span>
                    <textarea
                        name="content"
                        rows="3"
                        prop:value=move || form.with(|f| f.content.clone())
                        on:input=move |ev| form.update(|f| f.content = event_target_value(&ev))
                    ></textarea>
                </label>
                <div class="field">
                    <span>{move || Words::CpDifficulty.text(lang.get())}</span>
                    <div class="choice-row" role="group">
                        {[None, Some(Difficulty::General), Some(Difficulty::Hard)].into_iter().map(|d| view! {
                            <button
                                type="button"
                                class="btn choice-btn"
                                data-difficulty=d.map_or("unset", |d| d.as_str())
                                aria-pressed=move || form.with(|f| f.difficulty == d).to_string()
                                on:click=move |_| form.update(|f| f.difficulty = d)
                            >
                                {move || view::difficulty(lang.get(), d)}
                            </button>
                        }).collect_view()}
                    </div>
                </div>
                <div class="field">
                    <span>{move || Words::CpSerious.text(lang.get())}</span>
                    <button
                        type="button"
                        class="btn choice-btn serious-toggle"
                        data-action="toggle-serious"
                        aria-pressed=move || form.with(|f| f.serious).to_string()
                        on:click=move |_| form.update(|f| f.serious = !f.serious)
                    >
                        {move || if form.with(|f| f.serious) {
                            Words::CpSeriousYes.text(lang.get())
                        } else {
                            Words::CpSeriousNo.text(lang.get())
                        }}
                    </button>
                </div>
            </div>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <div class="form-actions">
                <button class="btn primary big" type="submit" data-action="save-complaint">
                    {move || Words::CpSaveComplaint.text(lang.get())}
                </button>
                <button class="btn secondary" type="button" data-action="cancel-complaint" on:click=move |_| cancel.run(())>
                    {move || Msg::CpCancel.text(lang.get())}
                </button>
            </div>
        </form>
    }
    .into_any()
}
