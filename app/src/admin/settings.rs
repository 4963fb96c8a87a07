//! The supervisor's site settings page (desktop). Each setting shows its
//! value (its default until set), and the differing values two supervisors
//! set at the same time until one of them sets it again.

use crate::admin::words::Words;
use crate::core::store::Store;
use crate::words::i18n::Msg;
use leptos::prelude::*;
use shiftbook_model::settings::Setting;

/// The settings page.
#[component]
pub fn SettingsAdmin() -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    view! {
        <main class="admin" data-testid="settings-admin">
            <section class="card admin-head">
                <div>
                    <h1>{move || Msg::TabSettings.text(lang.get())}</h1>
                    <p class="muted">{move || Words::SettingsHelp.text(lang.get())}</p>
                </div>
            </section>
            <section class="card admin-body">
                {Setting::ALL.into_iter().map(|s| view! { <SettingRow setting=s/> }).collect_view()}
            </section>
        </main>
    }
}

/// One setting: a number field and a save button.
#[component]
fn SettingRow(setting: Setting) -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    let current = store.derived(move |store| {
        store.read_settings(|s| {
            (
                s.get(setting).unwrap_or(setting.default_value()),
                s.conflicts(setting).unwrap_or_default(),
            )
        })
    });
    let draft: RwSignal<Option<String>> = RwSignal::new(None);
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let saved = RwSignal::new(false);
    let (low, high) = setting.range();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let text = draft
            .get_untracked()
            .unwrap_or_else(|| current.get_untracked().0.to_string());
        let result = text
            .trim()
            .parse::<i64>()
            .map_err(|_| format!("{low}–{high}"))
            .and_then(|v| {
                store
                    .set_setting(setting, v)
                    .map_err(|e| e.text(lang.get_untracked()))
            });
        match result {
            Ok(()) => {
                draft.set(None);
                error.set(None);
                saved.set(true);
            }
            Err(e) => error.set(Some(e)),
        }
    };
    view! {
        <form class="setting" data-setting=setting.key() on:submit=save>
            <label>
                <span>{move || crate::words::i18n::setting_label(setting).text(lang.get())}</span>
                <input
                    type="number"
                    inputmode="numeric"
                    min=low
                    max=high
                    name=setting.key()
                    prop:value=move || draft.get().unwrap_or_else(|| current.get().0.to_string())
                    on:input=move |ev| {
                        saved.set(false);
                        draft.set(Some(event_target_value(&ev)));
                    }
                />
            </label>
            <button class="btn primary" type="submit" data-action="save-setting">
                {move || Msg::Save.text(lang.get())}
            </button>
            {move || saved.get().then(|| view! { <span class="ok" data-testid="setting-saved">"✓ " {Msg::SavedNote.text(lang.get())}</span> })}
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            {move || {
                let conflicts = current.get().1;
                (!conflicts.is_empty()).then(|| {
                    let values = conflicts.iter().map(ToString::to_string).collect::<Vec<_>>().join(" / ");
                    view! { <p class="conflict" data-testid="setting-conflict">{Words::SettingConflict.text(lang.get())} " " {values}</p> }
                })
            }}
        </form>
    }
}
