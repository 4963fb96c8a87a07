//! The navigation's red counts, computed in this one place for the
//! tablet's rail and the desktop's sidebar: open follow-ups, hand-over
//! alerts of the person's books (today and yesterday), key and permit
//! alerts, complaints overdue or to escalate, visitors waiting for
//! approval. Recomputed on every change and every 15 s, as the complaints
//! screen's timers are (deadlines and "not confirmed in time" move with
//! the clock); asks the server for the documents they are counted from,
//! so they show on every tablet. Their code is a split point into the
//! engine's piece ([`loaded_badges`]), counted once the engine runs.

#![allow(unsafe_code)] // a split point is an extern "C" import the build links (wasm-split)
#![allow(improper_ctypes_definitions)]

use crate::core::store::Store;
use crate::handover::alerts::book_alerts;
use crate::nav::Badges;
use leptos::prelude::*;
use leptos::wasm_split::{SplitLoaderError, wasm_split};

/// The counts, live.
fn nav_badges(store: &Store) -> Memo<Badges> {
    let lang = store.signals.lang;
    let tick = crate::platform::ticker::ticker(15);
    let permit_months = Memo::new(move |_| {
        tick.track();
        crate::core::service_day::months_shown(&crate::platform::clock::today())
    });
    let complaint_months = store.derived(|s| s.complaint_months(&[]));
    let visitor_days = store.derived(move |s| {
        tick.track();
        s.visitor_days(&crate::core::service_day::current_service_day())
    });
    let open_followups = store.derived(|s| s.followups().iter().filter(|f| f.is_open()).count());
    let asker = store.clone();
    Effect::new(move |_| {
        open_followups.track();
        asker.want_followup_boards();
        asker.want_key_register();
        asker.want_permit_boards(&permit_months.get());
        asker.want_complaints(&complaint_months.get());
        asker.want_visitor_days(&visitor_days.get());
    });
    let handover_alerts = book_alerts(store);
    let key_alerts = store.derived(move |s| {
        tick.track();
        s.key_alert_count()
    });
    let permit_alerts = store.derived(move |s| {
        tick.track();
        s.permits_view(&permit_months.get(), lang.get())
            .map_or(0, |v| v.alerts.len())
    });
    let urgent_complaints = store.derived(move |s| {
        tick.track();
        let Some(now) = s.local_now() else {
            return 0;
        };
        crate::complaints::view::urgent_count(
            &s.complaints_of(&complaint_months.get()),
            &s.complaint_deadlines(),
            now,
            crate::platform::clock::local,
        )
    });
    let visitors_waiting = store.derived(move |s| s.visitors_waiting(&visitor_days.get()));
    Memo::new(move |_| Badges {
        open_followups: open_followups.get(),
        handover_alerts: handover_alerts.with(Vec::len),
        key_alerts: key_alerts.get(),
        permit_alerts: permit_alerts.get(),
        urgent_complaints: urgent_complaints.get(),
        visitors_waiting: visitors_waiting.get(),
    })
}

#[wasm_split(engine, wasm_split_path = ::leptos::wasm_split, fallible)]
fn badges_piece(owner: Owner, store: Store) -> Result<Memo<Badges>, SplitLoaderError> {
    Ok(owner.with(|| nav_badges(&store)))
}

/// The navigation's red counts: none until their piece has loaded — the
/// first screen does not wait for what they are counted from (permits,
/// complaints, visitors, keys) — then live.
pub fn loaded_badges(store: &Store) -> ReadSignal<Badges> {
    let (badges, set_badges) = signal(Badges::default());
    let owner = Owner::current().unwrap_or_default();
    let store = store.clone();
    leptos::task::spawn_local(async move {
        crate::core::engine::until_started(&store).await;
        match badges_piece(owner.clone(), store).await {
            Ok(counted) => owner.with(|| {
                Effect::new(move |_| set_badges.set(counted.get()));
            }),
            Err(e) => {
                crate::platform::log::web_sys_log(&format!("the badges' piece did not load: {e}"))
            }
        }
    });
    badges
}
