//! The engine: the documents (automerge, the sync client, every family's
//! readers and writers) are a piece of the wasm of their own, fetched and
//! started right after the first screen showed from the start data
//! ([`crate::core::start_data`]). Starting it loads what storage holds,
//! connects, registers the families' reactions, and from then on keeps the
//! start data computed from the documents (and written back to storage for
//! the next start).
//!
//! Screens and counts that read the documents wait for it
//! ([`crate::core::engine::until_started`]).
#![allow(unsafe_code)] // a split point is an extern "C" import the build links (wasm-split)
#![allow(improper_ctypes_definitions)]

use crate::core::start_data::{Member, StartData};
use crate::core::store::Store;
use crate::nav::route::RoundRef;
use crate::rounds::agenda_view::AgendaView;
use leptos::prelude::*;
use leptos::wasm_split::{SplitLoaderError, wasm_split};
use shiftbook_model::roster::Role;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// How long to wait before fetching the engine's piece again after it did
/// not load.
const RETRY_MS: i32 = 5_000;

#[wasm_split(engine, wasm_split_path = ::leptos::wasm_split, fallible)]
fn start_piece(owner: Owner, store: Store) -> Result<(), SplitLoaderError> {
    crate::core::store::register_reactions(&[crate::visitors::state::on_document_changed]);
    leptos::task::spawn_local(async move {
        store.start_engine().await;
        owner.with(|| {
            keep_start_data(&store);
            store.watch_photo_storage();
        });
        // For whoever watches the page (the speed benchmark): the documents
        // are loaded.
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = root.set_attribute("data-engine", "started");
        }
    });
    Ok(())
}

/// Fetch the engine's piece and start it, once; a piece that cannot be
/// fetched is tried again every few seconds. Call it after the first
/// screen was created, inside the owner the app lives in.
pub fn start(store: &Store) {
    let owner = Owner::current().unwrap_or_default();
    let store = store.clone();
    leptos::task::spawn_local(async move {
        // Let the first screen paint before the engine's work.
        crate::platform::clock::sleep_ms(0).await;
        let missing = store.signals.engine_missing;
        while let Err(e) = start_piece(owner.clone(), store.clone()).await {
            crate::platform::log::web_sys_log(&format!("the engine's piece did not load: {e}"));
            missing.set(true);
            crate::platform::clock::sleep_ms(RETRY_MS).await;
        }
        missing.set(false);
    });
}

/// The start data as the documents say now, and the agenda's rounds.
fn compute(store: &Store) -> (StartData, Vec<RoundRef>) {
    let mut data = StartData {
        members: store
            .all_members()
            .map(|all| all.iter().map(Member::of).collect()),
        templates: store.templates(),
        idle_ms: store.idle_ms(),
        first_book: store.handover_books().into_iter().next().map(|b| b.id),
        first_flat: store.flats().into_iter().next().map(|f| f.flat_id),
        ..StartData::default()
    };
    let now_ms = crate::platform::clock::now_ms();
    let mut rounds = Vec::new();
    if let Some(now) = crate::platform::clock::local(now_ms) {
        // Every template, whoever is signed in: each person's agenda is a
        // part of this one.
        let mut seen = Vec::new();
        let view = AgendaView::build(&data.templates, &[], store.signals.lang.get(), now, |r| {
            let p = store.round_progress(r);
            seen.push((r.clone(), p));
            p
        });
        for (r, p) in seen {
            data.note_progress(&r, p);
        }
        rounds = view.rounds().cloned().collect();
    }
    // Yesterday too: a night round's service day began yesterday.
    let days: Vec<String> = [now_ms - 86_400_000, now_ms]
        .into_iter()
        .filter_map(|ms| crate::platform::clock::local(ms).map(|t| t.date.to_string()))
        .collect();
    // Only a leader or a supervisor signs the day (and reading every
    // round's signatures is not free).
    let signs = store.signals.person.with_untracked(|p| {
        p.as_ref()
            .is_some_and(|p| matches!(p.role, Role::Leader | Role::Supervisor))
    });
    if signs {
        data.to_sign = store
            .rounds_to_sign(&days)
            .into_iter()
            .map(|(_, title)| title)
            .collect();
    }
    (data, rounds)
}

/// How long after a change the start data is computed again: not inside
/// the tap that changed something (a mark would otherwise pay for the
/// whole agenda), and changes that come together are computed once.
const RECOMPUTE_AFTER_MS: i32 = 200;

/// Keep the store's start data computed from the documents (soon after
/// every change, every minute, on signing in and out, on a language
/// switch), in storage for the next start, and ask the server for the
/// agenda's rounds so what other tablets did shows.
fn keep_start_data(store: &Store) {
    let minute = crate::platform::ticker::ticker(60);
    let pending = Rc::new(Cell::new(false));
    let asked: Rc<RefCell<Vec<RoundRef>>> = Rc::default();
    recompute(store, &asked);
    let s = store.clone();
    Effect::new(move |first: Option<()>| {
        let sig = s.signals;
        sig.rev.track();
        sig.person.track();
        sig.lang.track();
        minute.track();
        if first.is_none() || pending.replace(true) {
            return;
        }
        let (s, pending, asked) = (s.clone(), pending.clone(), asked.clone());
        leptos::task::spawn_local(async move {
            crate::platform::clock::sleep_ms(RECOMPUTE_AFTER_MS).await;
            pending.set(false);
            recompute(&s, &asked);
        });
    });
}

/// Compute the start data now; keep and store it if it changed, and ask
/// for the agenda's rounds if they changed.
fn recompute(store: &Store, asked: &RefCell<Vec<RoundRef>>) {
    let (data, rounds) = untrack(|| compute(store));
    let site = store.enrolment().site;
    let start = store.signals.start;
    if start.with_untracked(|d| *d != data) {
        data.save(&site);
        start.set(data);
    }
    if *asked.borrow() != rounds {
        store.want_rounds(rounds.iter());
        *asked.borrow_mut() = rounds;
    }
}
