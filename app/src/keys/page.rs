//! The key register (`#keys` on the tablet, the keys tab on the desktop;
//! 《样板房钥匙持用人登记表》): alerts at the top (lost keys in red,
//! disputed holders, hand-overs nobody confirmed), then every key with its
//! state, who holds it and its history (who, when, device). The actions
//! are those [`crate::keys::view`] allows the signed-in person: hand over,
//! confirm receipt, report lost, a note; for leaders and supervisors also
//! register, found, lock changed and withdraw.

use crate::core::error::AppError;
use crate::core::store::Store;
use crate::keys::view::{KeyRow, KeyStateKind, holder_from_value, holder_name, holder_value};
use crate::keys::words::Words;
use crate::ui::co_sign::CoSign;
use crate::ui::event_history::EventHistory;
use crate::words::i18n::Msg;
use crate::words::i18n::Text;
use leptos::prelude::*;
use shiftbook_model::key_register::{Holder, HolderKind};

/// The key register screen.
#[component]
pub fn KeysPanel() -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    let opened = store
        .open_key_register()
        .err()
        .map(|e| e.text(lang.get_untracked()));
    // The clock moves alerts (an unconfirmed hand-over): tick every minute.
    let minute = crate::platform::ticker::ticker(60);
    let keys = store.derived(move |s| {
        minute.track();
        s.keys_view(lang.get()).map_err(|e| e.text(lang.get()))
    });
    let registering = RwSignal::new(false);
    let may_register = move || keys.with(|k| k.as_ref().is_ok_and(|k| k.may_register));
    view! {
        <main class="keys" data-testid="keys">
            <section class="card admin-head">
                <div>
                    <h1>{move || Words::KeysTitle.text(lang.get())}</h1>
                    <p class="muted">{move || Words::KeysHelp.text(lang.get())}</p>
                </div>
                {move || may_register().then(|| view! {
                    <button class="btn primary" data-action="register-key" on:click=move |_| registering.update(|r| *r = !*r)>
                        {move || Words::RegisterKey.text(lang.get())}
                    </button>
                })}
            </section>
            {opened.map(|e| view! { <p class="card notice error">{e}</p> })}
            {move || registering.get().then(|| view! { <RegisterKeyForm open=registering/> })}
            {move || match keys.get() {
                Err(e) => view! { <p class="card notice error">{e}</p> }.into_any(),
                Ok(v) => view! {
                    {(!v.alerts.is_empty()).then(|| view! {
                        <section class="card key-alerts" data-testid="key-alerts">
                            <h2>{move || Msg::NeedsAttention.text(lang.get())}</h2>
                            <ul>
                                {v.alerts.iter().map(|a| view! {
                                    <li class=a.kind data-alert=a.kind data-key=a.key.clone()>{a.text.clone()}</li>
                                }).collect_view()}
                            </ul>
                        </section>
                    })}
                    {v.rows.is_empty().then(|| view! {
                        <p class="muted card pad" data-testid="no-keys">{move || Words::NoKeys.text(lang.get())}</p>
                    })}
                }.into_any(),
            }}
            <div class="key-list">
                <For
                    each=move || keys.get().map(|k| k.rows).unwrap_or_default()
                    key=|r| format!("{r:?}")
                    let:row
                >
                    <KeyCard row=row/>
                </For>
            </div>
        </main>
    }
}

/// The form a leader registers a key with: label, flat, lock (a new one
/// or one with keys in use), first holder.
#[component]
fn RegisterKeyForm(open: RwSignal<bool>) -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    let label = RwSignal::new(String::new());
    let flat = RwSignal::new(String::new());
    let lock = RwSignal::new(String::new());
    let holders = store.key_holders();
    let holder = RwSignal::new(holders.first().map(holder_value).unwrap_or_default());
    let locks = store
        .keys_view(lang.get_untracked())
        .map(|v| v.locks)
        .unwrap_or_default();
    let flats = store.flats();
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let options = StoredValue::new(holders.clone());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(h) = options.with_value(|o| holder_from_value(o, &holder.get_untracked())) else {
            error.set(Some(Words::KeyHolder.text(lang.get_untracked()).to_owned()));
            return;
        };
        let flat = Some(flat.get_untracked()).filter(|f| !f.is_empty());
        let lock = Some(lock.get_untracked()).filter(|l| !l.is_empty());
        match store.register_key(&label.get_untracked(), flat, lock, h) {
            Ok(()) => open.set(false),
            Err(e) => error.set(Some(e.text(lang.get_untracked()))),
        }
    };
    view! {
        <form class="card member-form key-form" data-testid="key-form" on:submit=submit>
            <div class="fields">
                <label class="wide">
                    <span>{move || Words::KeyLabel.text(lang.get())}</span>
                    <input name="key-label" autocomplete="off" prop:value=move || label.get() on:input=move |ev| label.set(event_target_value(&ev))/>
                </label>
                <label>
                    <span>{move || Words::KeyHolder.text(lang.get())}</span>
                    <select name="key-holder" on:change=move |ev| holder.set(event_target_value(&ev))>
                        {holders.iter().map(|h| {
                            let value = holder_value(h);
                            let h = h.clone();
                            view! { <option value=value.clone() selected=move || holder.get() == value>{move || holder_name(lang.get(), &h)}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <label>
                    <span>{move || Msg::KeyFlat.text(lang.get())}</span>
                    <select name="key-flat" on:change=move |ev| flat.set(event_target_value(&ev))>
                        <option value="">{move || Msg::NoFlat.text(lang.get())}</option>
                        {flats.into_iter().map(|f| {
                            let name = f.name.clone();
                            view! { <option value=f.flat_id.clone()>{move || name.get(lang.get()).to_owned()}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <label class="wide">
                    <span>{move || Words::KeyLock.text(lang.get())}</span>
                    <select name="key-lock" on:change=move |ev| lock.set(event_target_value(&ev))>
                        <option value="">{move || Words::NewLock.text(lang.get())}</option>
                        {locks.into_iter().map(|l| view! { <option value=l.id.clone()>{l.label.clone()}</option> }).collect_view()}
                    </select>
                </label>
            </div>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <div class="form-actions">
                <button class="btn primary" type="submit" data-action="save-key">{move || Msg::Save.text(lang.get())}</button>
                <button class="btn secondary" type="button" on:click=move |_| open.set(false)>{move || Msg::Cancel.text(lang.get())}</button>
            </div>
        </form>
    }
}

/// Which of a key's forms is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Panel {
    None,
    HandOver,
    Lost,
    Found,
    LockChanged,
    Withdraw,
    Note,
}

/// A holder `<select>` over `options`, bound to `value`.
fn holder_select(
    name: &'static str,
    options: Vec<Holder>,
    value: RwSignal<String>,
    lang: RwSignal<shiftbook_model::Lang>,
) -> impl IntoView {
    view! {
        <select name=name on:change=move |ev| value.set(event_target_value(&ev))>
            {options.into_iter().map(|h| {
                let v = holder_value(&h);
                view! { <option value=v.clone() selected=move || value.get() == v>{move || holder_name(lang.get(), &h)}</option> }
            }).collect_view()}
        </select>
    }
}

/// One key: state, holder, actions, history.
#[component]
fn KeyCard(row: KeyRow) -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    let panel = RwSignal::new(Panel::None);
    let text = RwSignal::new(String::new());
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let a = row.actions.clone();
    let all_holders = store.key_holders();
    let from_options = a.hand_over_from.clone();
    let from = RwSignal::new(from_options.first().map(holder_value).unwrap_or_default());
    let to = RwSignal::new(String::new());
    let found_with = RwSignal::new(all_holders.first().map(holder_value).unwrap_or_default());
    // A hand-over made in person: (from, to) waiting for the receiver's PIN.
    let in_person: RwSignal<Option<(Holder, Holder)>> = RwSignal::new(None);
    let key = StoredValue::new(row.id.clone());
    let lock = StoredValue::new(row.lock.clone());
    let holders = StoredValue::new(all_holders.clone());
    let froms = StoredValue::new(from_options.clone());
    let open = move |p: Panel| {
        error.set(None);
        text.set(String::new());
        panel.update(|x| *x = if *x == p { Panel::None } else { p });
    };
    let done = move |result: Result<(), String>| match result {
        Ok(()) => {
            panel.set(Panel::None);
            text.set(String::new());
            error.set(None);
        }
        Err(e) => error.set(Some(e)),
    };
    let words =
        move |result: Result<(), AppError>| result.map_err(|e| e.text(lang.get_untracked()));
    let run = {
        let store = store.clone();
        move || {
            let k = key.get_value();
            let t = text.get_untracked();
            let p = panel.get_untracked();
            if matches!(p, Panel::Withdraw | Panel::Note) && t.trim().is_empty() {
                error.set(Some(
                    Msg::TextRequired.text(lang.get_untracked()).to_owned(),
                ));
                return;
            }
            let result = match p {
                Panel::HandOver => {
                    let f = froms.with_value(|o| holder_from_value(o, &from.get_untracked()));
                    let r = holders.with_value(|o| holder_from_value(o, &to.get_untracked()));
                    match (f, r) {
                        (Some(f), Some(r)) => words(store.hand_over_key(&k, &f, &r)),
                        _ => Err(Words::HandTo.text(lang.get_untracked()).to_owned()),
                    }
                }
                Panel::Lost => words(store.report_key_lost(&k, &t)),
                Panel::Found => match holders
                    .with_value(|o| holder_from_value(o, &found_with.get_untracked()))
                {
                    Some(h) => words(store.key_found(&k, &h, &t)),
                    None => Err(Words::FoundWith.text(lang.get_untracked()).to_owned()),
                },
                Panel::LockChanged => words(store.change_key_lock(&lock.get_value(), &t)),
                Panel::Withdraw => words(store.withdraw_key(&k, &t)),
                Panel::Note => words(store.key_note(&k, &t)),
                Panel::None => Ok(()),
            };
            done(result);
        }
    };
    let confirm = {
        let store = store.clone();
        let hand_over = a.confirm.clone();
        move |_| {
            if let Some(h) = &hand_over {
                done(words(store.confirm_key(&key.get_value(), h)));
            }
        }
    };
    let state = row.state.as_str();
    let text_field = move |placeholder: Text| {
        view! {
            <input class="note" name="key-text" autocomplete="off"
                placeholder=move || placeholder.text(lang.get())
                prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev))/>
        }
    };
    let submit_label = move |p: Panel| -> Text {
        match p {
            Panel::HandOver => Words::HandOverKey.into(),
            Panel::Lost => Words::ReportLost.into(),
            Panel::Found => Words::KeyFound.into(),
            Panel::LockChanged => Words::ChangeLock.into(),
            Panel::Withdraw => Words::WithdrawKey.into(),
            Panel::Note | Panel::None => Msg::AddNote.into(),
        }
    };
    let action_button = move |p: Panel, action: &'static str, msg: Text, class: &'static str| {
        view! {
            <button class=format!("btn {class}") data-action=action aria-expanded=move || (panel.get() == p).to_string() on:click=move |_| open(p)>
                {move || msg.text(lang.get())}
            </button>
        }
    };
    let label = row.label.clone();
    let label_for_title = StoredValue::new(row.label.clone());
    view! {
        <article class=format!("key card {state}") data-key=row.id.clone() data-key-label=row.label.clone() data-state=state>
            <header>
                <div>
                    <h2>{label}</h2>
                    <span class="muted">{row.flat.clone().unwrap_or_default()}</span>
                </div>
                <span class=format!("tag key-state {state}") data-testid="key-state">{row.state_text.clone()}</span>
            </header>
            <ul class="key-detail">
                {row.detail.iter().map(|d| view! { <li>{d.clone()}</li> }).collect_view()}
            </ul>
            // The photos of its loss (where it was last seen, the report):
            // taken while it is lost, still shown once it is found.
            <crate::ui::record_photos::RecordPhotos
                id=store.key_register_id()
                record=format!("{}/lost", row.id)
                take=row.state == KeyStateKind::Lost
            />
            <div class="key-actions">
                {a.confirm.is_some().then(|| view! {
                    <button class="btn primary" data-action="confirm-receipt" on:click=confirm>
                        {move || Words::ConfirmReceipt.text(lang.get())}
                    </button>
                })}
                {(!a.hand_over_from.is_empty()).then(|| action_button(Panel::HandOver, "hand-over", Words::HandOverKey.into(), "primary"))}
                {a.report_lost.then(|| action_button(Panel::Lost, "report-lost", Words::ReportLost.into(), "danger"))}
                {a.found.then(|| action_button(Panel::Found, "found", Words::KeyFound.into(), "secondary"))}
                {a.change_lock.then(|| action_button(Panel::LockChanged, "change-lock", Words::ChangeLock.into(), "secondary"))}
                {a.withdraw.then(|| action_button(Panel::Withdraw, "withdraw", Words::WithdrawKey.into(), "secondary"))}
                {action_button(Panel::Note, "key-note", Msg::AddNote.into(), "ghost-dark")}
            </div>
            {move || {
                let p = panel.get();
                (p != Panel::None).then(|| {
                    let run = run.clone();
                    let fields = match p {
                        Panel::HandOver => {
                            let from_now = froms.with_value(|o| holder_from_value(o, &from.get_untracked()));
                            let targets: Vec<Holder> = holders.with_value(|o| {
                                o.iter().filter(|h| from_now.as_ref().is_none_or(|f| !f.same(h))).cloned().collect()
                            });
                            if to.get_untracked().is_empty() || !targets.iter().any(|h| holder_value(h) == to.get_untracked()) {
                                to.set(targets.first().map(holder_value).unwrap_or_default());
                            }
                            view! {
                                {(froms.with_value(Vec::len) > 1).then(|| view! {
                                    <label><span>{move || Words::HandFrom.text(lang.get())}</span>
                                        {holder_select("hand-from", froms.get_value(), from, lang)}
                                    </label>
                                })}
                                <label><span>{move || Words::HandTo.text(lang.get())}</span>
                                    {holder_select("hand-to", targets, to, lang)}
                                </label>
                            }.into_any()
                        }
                        Panel::Found => view! {
                            <label><span>{move || Words::FoundWith.text(lang.get())}</span>
                                {holder_select("found-with", holders.get_value(), found_with, lang)}
                            </label>
                            {text_field(Words::WhatWasDoneOptional.into())}
                        }.into_any(),
                        Panel::Lost => text_field(Words::LostWhat.into()).into_any(),
                        Panel::LockChanged => text_field(Words::WhatWasDoneOptional.into()).into_any(),
                        Panel::Withdraw => text_field(Words::WithdrawReason.into()).into_any(),
                        Panel::Note | Panel::None => text_field(Msg::AddNote.into()).into_any(),
                    };
                    let ask_receiver = move |_| {
                        let f = froms.with_value(|o| holder_from_value(o, &from.get_untracked()));
                        let r = holders.with_value(|o| holder_from_value(o, &to.get_untracked()));
                        match (f, r) {
                            (Some(f), Some(r)) => {
                                error.set(None);
                                in_person.set(Some((f, r)));
                            }
                            _ => error.set(Some(Words::HandTo.text(lang.get_untracked()).to_owned())),
                        }
                    };
                    view! {
                        <form class="key-panel" data-panel=format!("{p:?}").to_lowercase() on:submit=move |ev| { ev.prevent_default(); run(); }>
                            {fields}
                            <button class="btn primary" type="submit" data-action="confirm-key-action">{move || submit_label(p).text(lang.get())}</button>
                            {(p == Panel::HandOver).then(|| view! {
                                <button class="btn secondary" type="button" data-action="hand-over-in-person" on:click=ask_receiver>
                                    {move || Words::HandOverInPerson.text(lang.get())}
                                </button>
                            })}
                        </form>
                    }
                })
            }}
            {move || in_person.get().map(|(f, r)| {
                let store = store.clone();
                // A person receiver confirms as themselves; at a post,
                // anyone there but the giver.
                let only = (r.kind == HolderKind::Person).then(|| vec![r.id.clone()]);
                let exclude: Vec<String> = (f.kind == HolderKind::Person).then(|| f.id.clone()).into_iter().collect();
                let receiver = holder_name(lang.get_untracked(), &r);
                let label = label_for_title.get_value();
                let on_verified = Callback::new(move |co| {
                    words(store.hand_over_key_in_person(&key.get_value(), &f, &r, co))
                });
                let on_close = Callback::new(move |()| {
                    in_person.set(None);
                    panel.set(Panel::None);
                });
                view! {
                    <CoSign title=Signal::derive(move || format!("{receiver} · {} · {label}", Words::ConfirmReceipt.text(lang.get()))) exclude=exclude only=only on_verified=on_verified on_close=on_close/>
                }
            })}
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <EventHistory lines=row.history.clone() class="key-history" testid="key-history"/>
        </article>
    }
}
