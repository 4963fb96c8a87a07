//! The supervisor's roster page (desktop): everyone on the site's roster,
//! add a person, change name, role, posts, PIN, or mark someone as left.
//! Only supervisors see it; the server refuses roster changes from tablets
//! anyway (read-only share). What the form accepts is decided by
//! [`crate::admin::roster_form`].

use crate::admin::roster_form::{FormError, MemberForm, new_person_id};
use crate::admin::words::Words;
use crate::core::store::Store;
use crate::platform::random::random_bytes;
use crate::words::i18n::Text;
use crate::words::i18n::{self, Msg};
use leptos::prelude::*;
use shiftbook_model::Lang;
use shiftbook_model::roster::{PIN_ITERATIONS, Role, StaffMember};

/// Who the form edits.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Editing {
    New,
    Existing(StaffMember),
}

/// A field's label: fixed words, or the PIN field's, which names the
/// site's number of digits.
#[derive(Debug, Clone, Copy)]
enum Label {
    Words(Text),
    Pin { digits: i64, is_new: bool },
}

impl Label {
    fn text(self, lang: Lang) -> String {
        match self {
            Label::Words(m) => m.text(lang).to_owned(),
            Label::Pin { digits, is_new } => i18n::pin_field(lang, digits, is_new),
        }
    }
}

fn form_error(e: FormError, lang: Lang) -> String {
    match e {
        FormError::NoName => Words::FormNoName.text(lang).to_owned(),
        FormError::NoRole => Words::FormNoRole.text(lang).to_owned(),
        FormError::BadPin(digits) => crate::words::i18n::pin_length(lang, digits),
        FormError::PinMismatch => Words::FormPinMismatch.text(lang).to_owned(),
        FormError::NeedsPin => Words::FormNeedsPin.text(lang).to_owned(),
    }
}

/// The roster page.
#[component]
pub fn RosterAdmin() -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    let members = store.derived(Store::all_members);
    let editing: RwSignal<Option<Editing>> = RwSignal::new(None);
    let saved: RwSignal<Option<String>> = RwSignal::new(None);

    let rows = move || {
        let list = members.get().unwrap_or_default();
        if list.is_empty() {
            return view! { <p class="muted" data-testid="roster-empty">{move || Words::RosterEmpty.text(lang.get())}</p> }
                .into_any();
        }
        let store = store.clone();
        view! {
            <table class="roster-table">
                <thead>
                    <tr>
                        <th>{move || Words::Name.text(lang.get())}</th>
                        <th>{move || Words::RoleLabel.text(lang.get())}</th>
                        <th>{move || Msg::Posts.text(lang.get())}</th>
                        <th>"PIN"</th>
                        <th></th>
                        <th></th>
                    </tr>
                </thead>
                <tbody>
                    {list
                        .into_iter()
                        .map(|m| {
                            let conflicts = store.member_conflicts(&m.id);
                            let edit = m.clone();
                            let role = m.role;
                            let has_pin = m.pin.is_some();
                            let active = m.active;
                            view! {
                                <tr data-member=m.id.clone() class:inactive=!active class:conflicted=!conflicts.is_empty()>
                                    <td class="name">{m.name.clone()}</td>
                                    <td data-role=role.as_str()>{move || i18n::role(lang.get(), role)}</td>
                                    <td>{
                                        let posts = m.posts.clone();
                                        move || posts.iter().map(|p| i18n::post(lang.get(), p)).collect::<Vec<_>>().join("、")
                                    }</td>
                                    <td>{move || if has_pin { Words::PinSet.text(lang.get()) } else { Words::PinNotSet.text(lang.get()) }}</td>
                                    <td>{move || if active { Words::Active.text(lang.get()) } else { Words::Inactive.text(lang.get()) }}</td>
                                    <td>
                                        <button class="btn secondary small" data-action="edit-person" on:click=move |_| {
                                            saved.set(None);
                                            editing.set(Some(Editing::Existing(edit.clone())));
                                        }>
                                            {move || Msg::EditPerson.text(lang.get())}
                                        </button>
                                    </td>
                                </tr>
                                {(!conflicts.is_empty()).then(|| {
                                    let versions = conflicts
                                        .iter()
                                        .map(|c| format!("{} · {} · {}", c.name, c.role.as_str(), c.posts.join(", ")))
                                        .collect::<Vec<_>>()
                                        .join(" / ");
                                    view! {
                                        <tr class="conflict-row" data-testid="roster-conflict">
                                            <td colspan="6">{move || Words::RosterConflict.text(lang.get())} " " {versions.clone()}</td>
                                        </tr>
                                    }
                                })}
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        }
        .into_any()
    };

    view! {
        <main class="admin" data-testid="roster-admin">
            <section class="card admin-head">
                <div>
                    <h1>{move || Msg::TabRoster.text(lang.get())}</h1>
                    <p class="muted">{move || Words::RosterHelp.text(lang.get())}</p>
                </div>
                <button class="btn primary" data-action="add-person" on:click=move |_| {
                    saved.set(None);
                    editing.set(Some(Editing::New));
                }>
                    {move || Words::AddPerson.text(lang.get())}
                </button>
            </section>
            {move || saved.get().map(|name| view! {
                <p class="card saved-banner" data-testid="roster-saved">"✓ " {name} " · " {Msg::SavedNote.text(lang.get())}</p>
            })}
            {move || editing.get().map(|e| view! { <MemberEditor editing=e editing_signal=editing saved=saved/> })}
            <section class="card admin-body">{rows}</section>
        </main>
    }
}

/// The add / edit form.
#[component]
fn MemberEditor(
    editing: Editing,
    editing_signal: RwSignal<Option<Editing>>,
    saved: RwSignal<Option<String>>,
) -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    let existing = match &editing {
        Editing::New => None,
        Editing::Existing(m) => Some(m.clone()),
    };
    let start = existing
        .as_ref()
        .map_or_else(MemberForm::new_person, MemberForm::of);
    let form = RwSignal::new(start);
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let busy = RwSignal::new(false);
    let is_new = existing.is_none();
    let pin_label = Label::Pin {
        digits: store.pin_digits(),
        is_new,
    };
    let title = existing.as_ref().map(|m| m.name.clone());

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let f = form.get_untracked();
        let l = lang.get_untracked();
        let digits = store.pin_digits();
        if let Err(e) = f.check(existing.as_ref(), digits) {
            error.set(Some(form_error(e, l)));
            return;
        }
        error.set(None);
        busy.set(true);
        let store = store.clone();
        let existing = existing.clone();
        // The browser hashes a new PIN (WebCrypto); "busy" shows meanwhile.
        leptos::task::spawn_local(async move {
            let id = existing
                .as_ref()
                .map_or_else(|| new_person_id(random_bytes::<8>()), |m| m.id.clone());
            let hashed = match f.new_pin() {
                None => Ok(None),
                Some(pin) => {
                    crate::platform::pin_crypto::hash(pin, random_bytes::<16>(), PIN_ITERATIONS)
                        .await
                        .map(Some)
                        .map_err(|e| e.to_string())
                }
            };
            let result = hashed
                .and_then(|h| {
                    f.to_member(&id, existing.as_ref(), digits, h)
                        .map_err(|e| form_error(e, l))
                })
                .and_then(|member| {
                    store
                        .put_member(&member)
                        .map(|()| member)
                        .map_err(|e| e.text(l))
                });
            busy.set(false);
            match result {
                Ok(member) => {
                    saved.set(Some(member.name));
                    editing_signal.set(None);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };

    let text_field = move |label: Label,
                           value: fn(&MemberForm) -> String,
                           set: fn(&mut MemberForm, String),
                           name: &'static str,
                           kind: &'static str| {
        view! {
            <label>
                <span>{move || label.text(lang.get())}</span>
                <input
                    name=name
                    type=kind
                    inputmode=if kind == "password" { "numeric" } else { "text" }
                    autocomplete="off"
                    prop:value=move || form.with(value)
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        error.set(None);
                        form.update(|f| set(f, v));
                    }
                />
            </label>
        }
    };

    view! {
        <form class="card member-form" data-testid="member-form" on:submit=submit>
            <h2>
                {move || if is_new { Words::AddPerson.text(lang.get()).to_owned() } else {
                    format!("{} · {}", Msg::EditPerson.text(lang.get()), title.clone().unwrap_or_default())
                }}
            </h2>
            <div class="fields">
                {text_field(Label::Words(Words::Name.into()), |f| f.name.clone(), |f, v| f.name = v, "name", "text")}
                <label>
                    <span>{move || Words::RoleLabel.text(lang.get())}</span>
                    <select name="role" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        let role = [Role::Staff, Role::Leader, Role::Supervisor].into_iter().find(|r| r.as_str() == v);
                        form.update(|f| f.role = role);
                    }>
                        <option value="" selected=move || form.with(|f| f.role.is_none())>"—"</option>
                        {[Role::Staff, Role::Leader, Role::Supervisor]
                            .into_iter()
                            .map(|r| view! {
                                <option value=r.as_str() selected=move || form.with(|f| f.role == Some(r))>
                                    {move || i18n::role(lang.get(), r)}
                                </option>
                            })
                            .collect_view()}
                    </select>
                </label>
                <label class="wide">
                    <span>{move || Msg::Posts.text(lang.get())}</span>
                    <input
                        name="posts"
                        autocomplete="off"
                        placeholder=move || Words::PostsHelp.text(lang.get())
                        prop:value=move || form.with(|f| f.posts.clone())
                        on:input=move |ev| {
                            let v = event_target_value(&ev);
                            form.update(|f| f.posts = v);
                        }
                    />
                </label>
                {text_field(pin_label, |f| f.pin.clone(), |f, v| f.pin = v, "pin", "password")}
                {text_field(Label::Words(Words::PinAgain.into()), |f| f.pin_again.clone(), |f, v| f.pin_again = v, "pin-again", "password")}
                <label class="check">
                    <input
                        name="active"
                        type="checkbox"
                        prop:checked=move || form.with(|f| f.active)
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            form.update(|f| f.active = on);
                        }
                    />
                    <span>{move || Words::Active.text(lang.get())}</span>
                </label>
            </div>
            {move || error.get().map(|e| view! { <p class="error" role="alert" data-testid="member-error">{e}</p> })}
            <div class="form-actions">
                <button class="btn primary" type="submit" data-action="save-person" disabled=move || busy.get()>
                    {move || if busy.get() { Words::HashingPin.text(lang.get()) } else { Msg::Save.text(lang.get()) }}
                </button>
                <button class="btn ghost-dark" type="button" on:click=move |_| editing_signal.set(None)>
                    {move || Msg::Cancel.text(lang.get())}
                </button>
            </div>
        </form>
    }
}
