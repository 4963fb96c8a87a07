//! One round of a checklist (`#round/<template>/<date>/<slot>`): its items
//! with ✓ / ×, who started and finished it, the sign-off and the history.
//! Opening a round writes nothing but its shared identity; the first mark
//! starts it. The tablet and the supervisor's desktop both show it.

use crate::core::error::AppProblem;
use crate::core::store::Store;
use crate::nav::route::RoundRef;
use crate::platform::clock::time_of_day;
use crate::rounds::item_row::ItemRow;
use crate::rounds::marks::History;
use crate::rounds::proof_view::ProofView;
use crate::rounds::scan_panel::ScanPanel;
use crate::rounds::sign_off::SignOff;
use crate::rounds::view::{RoundHead, RoundView};
use crate::rounds::words::Words;
use crate::words::i18n::Msg;
use leptos::prelude::*;
use shiftbook_model::template::builtin;
use std::collections::BTreeMap;

/// The round `round`.
#[component]
pub fn RoundPanel(round: RoundRef) -> impl IntoView {
    let store = expect_context::<Store>();
    let Some(template) = store
        .template(&round.template)
        .or_else(|| builtin(&round.template))
    else {
        let lang = store.signals.lang;
        return view! {
            <main class="centered"><div class="card notice error">{move || Words::UnknownTemplate.text(lang.get())}</div></main>
        }
        .into_any();
    };
    let opened = store
        .open_checklist(&template, &round.date)
        .map_err(|e| e.text(store.signals.lang.get_untracked()));
    let slot = round.slot.clone();
    let round_path = round.path();
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
    let template_for_view = template.clone();
    let slot_for_view = slot.clone();
    let round = store.derived(move |reader| {
        let lang = sig.lang.get();
        let roster = reader.all_members().filter(|m| !m.is_empty());
        let uploads = sig
            .uploads
            .with(|u| u.get(&id).cloned().unwrap_or_default());
        sig.receipts
            .with(|all| {
                reader.read(&id, |d| {
                    RoundView::build(d, &slot_for_view, lang, all.get(&id), &template_for_view)
                        .map(|v| v.with_doubts(d, &uploads, roster.as_deref()))
                        .map_err(|e| crate::words::error_text::model_error(lang, &e))
                })
            })
            .unwrap_or_else(|| Err(AppProblem::NotOpen.text(lang)))
    });
    // What the checkpoint scans prove; scan windows close with the clock.
    let clock = crate::platform::ticker::ticker(30);
    let template_for_proof = template.clone();
    let slot_for_proof = slot.clone();
    let proof = store.derived(move |reader| {
        clock.track();
        let checkpoints = reader.checkpoints();
        let scans = reader.round_scans(&id, &slot_for_proof);
        round.with(|r| match r {
            Ok(r) => ProofView::build(
                r,
                &template_for_proof,
                &checkpoints,
                scans,
                crate::platform::clock::now_ms(),
            ),
            Err(_) => ProofView::default(),
        })
    });
    let checkpoints_in_use = Memo::new(move |_| proof.with(|p| p.in_use));
    let scan_slot = slot.clone();
    // The head and the sign-off re-render when what they show changes, not
    // on every mark of the round.
    let head =
        Memo::new(move |_| round.with(|r| r.as_ref().map(RoundHead::of).map_err(Clone::clone)));
    let sign_off = Memo::new(move |_| round.with(|r| r.as_ref().ok().map(|r| r.sign_off.clone())));
    let history_slot = slot.clone();
    let drafts = RwSignal::new(BTreeMap::<String, String>::new());
    let items = move || {
        round.with(|r| {
            r.as_ref()
                .map(|r| {
                    r.sections
                        .iter()
                        .flat_map(|s| s.rows.iter().map(|row| row.item.clone()))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };

    let finisher = store.clone();
    let finish_slot = slot.clone();
    let finish_error: RwSignal<Option<String>> = RwSignal::new(None);
    let lang = sig.lang;
    view! {
        <main class="round" data-testid="round" data-doc=id.to_string() data-round=round_path>
            {move || match head.get() {
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
                                    <b>{r.checked}</b> " / " {r.total} " " {Words::Checked.text(lang)}
                                </span>
                                <span class={if r.abnormal > 0 { "stat bad" } else { "stat" }}>
                                    <b>{r.abnormal}</b> " " {Words::AbnormalCount.text(lang)}
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
                            <div class="round-progress" data-testid="round-progress">
                                {r.started.clone().map(|e| view! {
                                    <span data-testid="started">
                                        {Words::StartedBy.text(lang)} " " {time_of_day(e.at_ms)} " · " {e.by.clone()} " · " {e.device.clone()}
                                    </span>
                                })}
                                {r.finished.clone().map(|e| view! {
                                    <span data-testid="finished">
                                        {Words::FinishedBy.text(lang)} " " {time_of_day(e.at_ms)} " · " {e.by.clone()} " · " {e.device.clone()}
                                    </span>
                                })}
                            </div>
                        </section>
                    }
                    .into_any()
                }
                Err(e) => view! { <div class="card notice error">{e}</div> }.into_any(),
            }}
            {move || sign_off.get().map(|v| view! { <SignOff id=id view=v/> })}
            {move || checkpoints_in_use.get().then(|| view! { <ScanPanel id=id round_slot=scan_slot.clone() proof=proof/> })}
            <div class="items">
                <For each=items key=|item| item.clone() let:item>
                    <ItemRow id=id template=template.clone() slot_key=slot.clone() item=item round=round drafts=drafts proof=proof/>
                </For>
            </div>
            <div class="finish-row">
                {move || finish_error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                <button
                    class="btn primary"
                    data-action="finish-round"
                    disabled=move || round.with(|r| r.as_ref().map_or(true, |r| r.started.is_none()))
                    on:click=move |_| finish_error.set(finisher.finish_round(&id, &finish_slot).err().map(|e| e.text(lang.get_untracked())))
                >
                    {move || Words::FinishRound.text(lang.get())}
                </button>
            </div>
            <History id=id round_slot=history_slot round=round/>
        </main>
    }
    .into_any()
}
