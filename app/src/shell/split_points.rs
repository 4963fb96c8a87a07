//! The tablet's screens but the agenda, which a tablet does not need to
//! start: they are in the engine's piece of the wasm (`shell/engine.rs`;
//! `scripts/build-app.sh` cuts it at these split points with wasm-split),
//! which is fetched right after the first screen. The service worker keeps
//! every piece, so they open offline too.
//!
//! Each `*_screen` function is a split point: calling it loads the piece
//! (once) and returns the screen's view, or the load's error; the tablet
//! shows it with [`screen`], once the engine has loaded the documents.
#![allow(unsafe_code)] // a split point is an extern "C" import the build links (wasm-split)
#![allow(improper_ctypes_definitions)]

use crate::complaints::complaint::ComplaintPanel;
use crate::complaints::page::ComplaintsPanel;
use crate::duty_log::page::DutyLogPanel;
use crate::handover::alerts::HandoverAlerts;
use crate::handover::page::HandoverPanel;
use crate::keys::page::KeysPanel;
use crate::nav::route::RoundRef;
use crate::owner_visits::page::OwnerVisitsPanel;
use crate::permits::page::PermitsPanel;
use crate::rounds::followups::FollowUpsPanel;
use crate::rounds::history::HistoryPanel;
use crate::rounds::page::RoundPanel;
use crate::show_flat::page::ShowFlatPanel;
use crate::visitors::page::VisitorsPanel;
use leptos::prelude::*;
use leptos::wasm_split::wasm_split;

pub use crate::ui::lazy_view::{Loaded, lazy};

/// A screen from its piece ([`lazy`]), once the engine has loaded the
/// documents it reads (`shell/engine.rs`).
pub fn screen<F>(load: impl Fn() -> F + 'static) -> AnyView
where
    F: std::future::Future<Output = Loaded> + 'static,
{
    let store = expect_context::<crate::core::store::Store>();
    lazy(move || {
        let store = store.clone();
        let loading = load();
        async move {
            crate::core::engine::until_started(&store).await;
            loading.await
        }
    })
}

#[wasm_split(engine, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn round_screen(round: RoundRef) -> Loaded {
    Ok(view! { <RoundPanel round=round/> }.into_any())
}
#[wasm_split(engine, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn followups_screen() -> Loaded {
    Ok(view! { <FollowUpsPanel/> }.into_any())
}
#[wasm_split(engine, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn history_screen() -> Loaded {
    Ok(view! { <HistoryPanel/> }.into_any())
}
#[wasm_split(engine, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn flat_screen(flat: String, date: String) -> Loaded {
    Ok(view! { <ShowFlatPanel flat=flat date=date/> }.into_any())
}
#[wasm_split(engine, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn keys_screen() -> Loaded {
    Ok(view! { <KeysPanel/> }.into_any())
}
#[wasm_split(engine, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn permits_screen() -> Loaded {
    Ok(view! { <PermitsPanel/> }.into_any())
}
#[wasm_split(engine, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn handover_screen(book: String, date: String) -> Loaded {
    Ok(view! { <HandoverPanel book=book date=date/> }.into_any())
}
#[wasm_split(engine, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn complaints_screen() -> Loaded {
    Ok(view! { <ComplaintsPanel/> }.into_any())
}
#[wasm_split(engine, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn complaint_screen(month: String, id: String) -> Loaded {
    Ok(view! { <ComplaintPanel month=month id=id/> }.into_any())
}
#[wasm_split(engine, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn owner_visits_screen(month: Option<String>) -> Loaded {
    Ok(view! { <OwnerVisitsPanel month=month/> }.into_any())
}
#[wasm_split(engine, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn duty_log_screen(date: String) -> Loaded {
    Ok(view! { <DutyLogPanel date=date/> }.into_any())
}
#[wasm_split(engine, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn visitors_screen() -> Loaded {
    Ok(view! { <VisitorsPanel/> }.into_any())
}

/// The hand-over alerts at the top of the agenda, once the engine runs
/// (the agenda does not wait for them).
#[wasm_split(engine, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn handover_alerts_view() -> Loaded {
    Ok(view! { <HandoverAlerts/> }.into_any())
}
