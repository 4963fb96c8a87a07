//! Today's round of the lobby opening inspection (大堂开班巡查): the
//! tablet's page, and [`RoundPanel`], the round itself, which the
//! supervisor's desktop shows in one of its tabs.

use crate::clock::{self, time_of_day};
use crate::components::{
    banners::Banners, header::Header, history::History, item_row::ItemRow, sign_off::SignOff,
};
use crate::i18n::Msg;
use crate::round_view::RoundView;
use crate::store::Store;
use leptos::prelude::*;
use shiftbook_model::template::lobby_opening;
use std::collections::BTreeMap;

/// The checklist page: header, banners and today's round.
#[component]
pub fn ChecklistPage() -> impl IntoView {
    view! {
        <Header date=clock::today()/>
        <Banners/>
        <RoundPanel/>
    }
}

/// Today's round.
#[component]
pub fn RoundPanel() -> impl IntoView {
    let store = expect_context::<Store>();
    let date = clock::today();
    let opened = store.open_checklist(&lobby_opening(), &date);
    let id = match opened {
        Ok(id) => id,
        Err(e) => {
            return view! {
                <main class="centered"><div class="card notice error">{e}</div></main>
            }
            .into_any();
        }
    };
    let sig = store.signals;
    let reader = store.clone();
    let round = Memo::new(move |_| {
        sig.rev.track();
        let lang = sig.lang.get();
        sig.receipts
            .with(|all| {
                reader.read(&id, |d| {
                    RoundView::build(d, lang, all.get(&id)).map_err(|e| e.to_string())
                })
            })
            .unwrap_or_else(|| Err("round not open".to_owned()))
    });
    let drafts = RwSignal::new(BTreeMap::<String, String>::new());
    watch_for_a_new_day(date.clone(), drafts);
    let items = move || {
        round.with(|r| {
            r.as_ref()
                .map(|r| {
                    r.flat_rows()
                        .into_iter()
                        .map(|f| f.row.item)
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };

    view! {
        <main class="round" data-testid="round" data-doc=id.to_string()>
            {move || match round.get() {
                Ok(r) => {
                    let lang = sig.lang.get();
                    view! {
                        <section class="summary card">
                            <div class="title">
                                <h1>{r.title.clone()}</h1>
                                <span class="muted">{r.date.clone()}</span>
                            </div>
                            <div class="stats">
                                <span class="stat" data-testid="progress">
                                    <b>{r.checked}</b> " / " {r.total} " " {Msg::Checked.text(lang)}
                                </span>
                                <span class={if r.abnormal > 0 { "stat bad" } else { "stat" }}>
                                    <b>{r.abnormal}</b> " " {Msg::AbnormalCount.text(lang)}
                                </span>
                                {(r.conflicts > 0).then(|| view! {
                                    <span class="stat conflict-count">
                                        <b>{r.conflicts}</b> " " {Msg::ConflictTitle.text(lang)}
                                    </span>
                                })}
                                {move || sig.saved_at.get().map(|t| view! {
                                    <span class="stat saved" data-testid="saved">
                                        "✓ " {Msg::SavedOnTablet.text(sig.lang.get())} " " {time_of_day(t)}
                                    </span>
                                })}
                            </div>
                        </section>
                    }
                    .into_any()
                }
                Err(e) => view! { <div class="card notice error">{e}</div> }.into_any(),
            }}
            {move || round.get().ok().map(|r| view! { <SignOff id=id view=r.sign_off/> })}
            <div class="items">
                <For each=items key=|item| item.clone() let:item>
                    <ItemRow id=id item=item round=round drafts=drafts/>
                </For>
            </div>
            {move || round.get().ok().map(|r| view! { <History round=r lang=sig.lang.get()/> })}
        </main>
    }
    .into_any()
}

/// Past midnight a new round is due: reload, which opens today's round
/// (the app shell loads from the service worker's cache when offline) —
/// but not while a note is being typed.
fn watch_for_a_new_day(date: String, drafts: RwSignal<BTreeMap<String, String>>) {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    let Some(window) = web_sys::window() else {
        return;
    };
    let tick = Closure::<dyn FnMut()>::new(move || {
        if clock::today() != date
            && drafts.with_untracked(BTreeMap::is_empty)
            && let Some(w) = web_sys::window()
        {
            let _ = w.location().reload();
        }
    });
    let _ = window.set_interval_with_callback_and_timeout_and_arguments_0(
        tick.as_ref().unchecked_ref(),
        60_000,
    );
    // Lives as long as the page.
    tick.forget();
}
