//! Co-signing on a shared tablet: a second person confirms one action
//! with their own name and PIN while the signed-in person stays signed in
//! (the incoming person refusing or taking over a shift, signing as
//! incoming; a key's receiver). The PIN check is the sign-in's
//! ([`Store::co_sign`]: the same roster check, wrong-PIN throttle and
//! security log); the PIN is never stored or logged. A confirmed person
//! becomes a [`CoSigned`] handed to `on_verified`, which uses it for
//! exactly one action, attributed to them.

use crate::core::session::CoSigned;
use crate::core::store::Store;
use crate::ui::pin_entry::PinEntry;
use crate::ui::pin_pad::{PinPad, pin_message};
use crate::words::i18n::{self, Msg};
use leptos::prelude::*;
use shiftbook_model::roster::StaffMember;

/// Who may confirm: active roster members not in `exclude`, and, when
/// `only` is given, in it.
pub fn eligible(
    members: Vec<StaffMember>,
    exclude: &[String],
    only: Option<&[String]>,
) -> Vec<StaffMember> {
    members
        .into_iter()
        .filter(|m| m.active && !exclude.contains(&m.id))
        .filter(|m| only.is_none_or(|o| o.contains(&m.id)))
        .collect()
}

/// The co-sign panel: pick a name, type the PIN, confirm. `title` says
/// what is being confirmed; the signed-in person and everyone in
/// `exclude` cannot confirm (and, when `only` is given, only those can).
/// `on_verified` runs the one action as the confirmed person; its error
/// stays on the panel, success closes it (`on_close`).
#[component]
pub fn CoSign(
    #[prop(into)] title: Signal<String>,
    exclude: Vec<String>,
    #[prop(optional_no_strip)] only: Option<Vec<String>>,
    on_verified: Callback<CoSigned, Result<(), String>>,
    on_close: Callback<()>,
) -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    let signed_in = store
        .signals
        .person
        .with_untracked(|p| p.as_ref().map(|p| p.id.clone()));
    let mut exclude = exclude;
    exclude.extend(signed_in);
    let people = store.derived(move |s| {
        s.roster_members()
            .map(|all| eligible(all, &exclude, only.as_deref()))
    });
    let entry = PinEntry::new();
    let PinEntry {
        chosen,
        pin,
        message,
        checking,
    } = entry;
    let submit = Callback::new(move |()| {
        let store = store.clone();
        entry.submit(
            move |id, digits| async move { store.co_sign(&id, &digits).await },
            move |outcome| match outcome {
                Ok(co) => match on_verified.run(co) {
                    Ok(()) => on_close.run(()),
                    Err(e) => message.set(Some(e)),
                },
                Err(refused) => message.set(pin_message(lang.get_untracked(), refused)),
            },
        );
    });
    view! {
        <div class="co-sign-backdrop">
            <section class="co-sign card" data-testid="co-sign" role="dialog" aria-modal="true">
                <h2>{move || title.get()}</h2>
                <p class="muted">{move || Msg::CoSignHelp.text(lang.get())}</p>
                <div class="co-sign-body">
                    <div class="co-sign-people">
                    {move || match people.get() {
                        None => view! { <p class="error">{Msg::NoRoster.text(lang.get())}</p> }.into_any(),
                        Some(list) if list.is_empty() => view! { <p class="error">{Msg::CoSignNobody.text(lang.get())}</p> }.into_any(),
                        Some(list) => list.into_iter().map(|m| {
                            let pick = m.clone();
                            let id = m.id.clone();
                            let role = m.role;
                            view! {
                                <button
                                    class="btn person"
                                    data-co-person=m.id.clone()
                                    aria-pressed=move || chosen.with(|c| c.as_ref().is_some_and(|c| c.id == id)).to_string()
                                    on:click=move |_| entry.pick(pick.clone())
                                >
                                    <span class="name">{m.name.clone()}</span>
                                    <span class="role">{move || i18n::role(lang.get(), role)}</span>
                                </button>
                            }
                        }).collect_view().into_any(),
                    }}
                    </div>
                    {move || chosen.get().map(|m| view! {
                        <div class="co-sign-pin">
                            <h3>{m.name.clone()} " · " {move || Msg::EnterPin.text(lang.get())}</h3>
                            <PinPad pin=pin checking=checking message=message submit=submit action="co-sign" label=Msg::Confirm/>
                        </div>
                    })}
                </div>
                <button class="btn ghost-dark" data-action="co-sign-cancel" on:click=move |_| on_close.run(())>
                    {move || Msg::Cancel.text(lang.get())}
                </button>
            </section>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shiftbook_model::roster::Role;

    fn member(id: &str, active: bool) -> StaffMember {
        StaffMember {
            id: id.into(),
            name: id.to_uppercase(),
            role: Role::Staff,
            posts: Vec::new(),
            pin: None,
            active,
        }
    }

    #[test]
    fn the_excluded_and_those_who_left_cannot_confirm() {
        let all = vec![
            member("zhang", true),
            member("chen", true),
            member("old", false),
            member("li", true),
        ];
        let ids = |v: Vec<StaffMember>| v.into_iter().map(|m| m.id).collect::<Vec<_>>();
        assert_eq!(
            ids(eligible(all.clone(), &["zhang".into()], None)),
            ["chen", "li"]
        );
        let only = ["li".to_owned(), "old".to_owned()];
        assert_eq!(ids(eligible(all, &[], Some(&only))), ["li"]);
    }
}
