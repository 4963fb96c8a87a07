//! What the first screen asks of the documents, through the engine's piece
//! of the wasm: signing in (the PIN is checked against the roster
//! document), logging a sign-out, the leader's "sign the day". The main
//! module holds no automerge: these are split points into the `engine`
//! piece (loaded and started by `shell/engine.rs` right after the first
//! screen), and each waits until the engine has loaded the documents.
#![allow(unsafe_code)] // a split point is an extern "C" import the build links (wasm-split)
#![allow(improper_ctypes_definitions)]

use crate::core::error::{AppError, AppProblem};
use crate::core::store::{SignInOutcome, Store};
use leptos::prelude::*;
use leptos::wasm_split::{SplitLoaderError, wasm_split};
use shiftbook_model::security_log::EventKind;
use std::future::Future;
use std::pin::Pin;

/// A check running in the engine.
type Checking = Pin<Box<dyn Future<Output = SignInOutcome>>>;

/// Resolves once the engine has loaded the documents
/// ([`Store::start_engine`]).
pub async fn until_started(store: &Store) {
    while !store.signals.started.get_untracked() {
        crate::platform::clock::sleep_ms(30).await;
    }
}

#[wasm_split(engine, wasm_split_path = ::leptos::wasm_split, fallible)]
fn check_pin(store: Store, person_id: String, pin: String) -> Result<Checking, SplitLoaderError> {
    Ok(Box::pin(
        async move { store.sign_in(&person_id, &pin).await },
    ))
}

/// Sign `person_id` in with `pin` (see [`Store::sign_in`]). A piece that
/// cannot load refuses like a missing roster would, and says why in the
/// log.
pub async fn sign_in(store: Store, person_id: String, pin: String) -> SignInOutcome {
    until_started(&store).await;
    match check_pin(store, person_id, pin).await {
        Ok(checking) => checking.await,
        Err(e) => {
            crate::platform::log::web_sys_log(&format!("the engine's piece did not load: {e}"));
            SignInOutcome::NoRoster
        }
    }
}

#[wasm_split(engine, wasm_split_path = ::leptos::wasm_split, fallible)]
fn log_sign_out(store: Store, why: EventKind, person_id: String) -> Result<(), SplitLoaderError> {
    store.record_security(why, &person_id);
    Ok(())
}

/// Sign the person out now; the site's security log hears of it once the
/// engine runs.
pub fn sign_out(store: &Store, why: EventKind) {
    let Some(person) = store.forget_person() else {
        return;
    };
    let store = store.clone();
    leptos::task::spawn_local(async move {
        until_started(&store).await;
        if let Err(e) = log_sign_out(store, why, person.id).await {
            crate::platform::log::web_sys_log(&format!("the engine's piece did not load: {e}"));
        }
    });
}

#[wasm_split(engine, wasm_split_path = ::leptos::wasm_split, fallible)]
fn sign_days_now(
    store: Store,
    days: Vec<String>,
) -> Result<Result<usize, AppError>, SplitLoaderError> {
    Ok(store.sign_days(&days))
}

/// The leader signs the rounds of `days` walked and not signed (see
/// [`Store::sign_days`]).
pub async fn sign_days(store: Store, days: Vec<String>) -> Result<usize, AppError> {
    until_started(&store).await;
    match sign_days_now(store, days).await {
        Ok(signed) => signed,
        Err(e) => {
            crate::platform::log::web_sys_log(&format!("the engine's piece did not load: {e}"));
            Err(AppProblem::EngineNotLoaded.into())
        }
    }
}
