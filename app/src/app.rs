//! The root component: picks the page from the URL and the enrolment.

use crate::core::enrolment::{self, token_from_url};
use crate::core::session::SignedIn;
use crate::core::store::Store;
use crate::core::supervisor::{self, SupervisorSite};
use crate::platform::storage::stored_lang;
use crate::shell::desktop::DesktopPage;
use crate::shell::enroll::EnrollPage;
use crate::shell::not_enrolled::NotEnrolledPage;
use crate::shell::sign_in::SignInPage;
use crate::shell::supervisor_login::SupervisorLoginPage;
use crate::shell::tablet::TabletPage;
use crate::ui::lazy_view::{Loaded, lazy};
use leptos::prelude::*;
use leptos::wasm_split::wasm_split;
use shiftbook_model::Lang;
use shiftbook_model::roster::Role;

/// A supervisor's desktop: the login page, or the site's round with the
/// supervisor signed in.
fn supervisor_desktop(lang: Lang) -> AnyView {
    let Some(session) = supervisor::load() else {
        return lazy(move || supervisor_login_screen(lang));
    };
    let choice = supervisor::chosen_site();
    let Some(site) = session.site(choice.as_deref()) else {
        return lazy(move || supervisor_login_screen(lang));
    };
    let person = SignedIn {
        id: session.user.clone(),
        name: session.user.clone(),
        role: Role::Supervisor,
        last_activity_ms: crate::platform::clock::now_ms(),
    };
    let store = Store::new_desktop(session.enrolment(site), lang, person);
    provide_context(store.clone());
    crate::shell::engine::start(&store);
    let sites = session.sites.clone();
    crate::shell::split_points::screen(move || desk_screen(sites.clone()))
}

/// The app.
#[component]
pub fn App() -> impl IntoView {
    let lang = stored_lang();
    let (path, fragment) = web_sys::window()
        .map(|w| {
            let l = w.location();
            (
                l.pathname().unwrap_or_default(),
                l.hash().unwrap_or_default(),
            )
        })
        .unwrap_or_default();
    if let Some(token) = token_from_url(&path, &fragment) {
        return lazy(move || enroll_screen(token.clone(), lang));
    }
    if path.trim_end_matches('/') == "/supervisor" {
        return supervisor_desktop(lang);
    }
    match enrolment::load() {
        Some(e) => {
            let store = Store::new(e, lang);
            let person = store.signals.person;
            provide_context(store.clone());
            crate::shell::engine::start(&store);
            // A memo, not the signal: every edit refreshes the person's
            // last activity, and re-rendering the page on each would throw
            // away what the screen holds (an open form, an error shown).
            let signed_in = Memo::new(move |_| person.with(Option::is_some));
            view! {
                {move || if signed_in.get() {
                    view! { <TabletPage/> }.into_any()
                } else {
                    view! { <SignInPage/> }.into_any()
                }}
            }
            .into_any()
        }
        None => lazy(move || not_enrolled_screen(lang)),
    }
}

/// The supervisor's desktop is a split point: a tablet never loads it.
#[allow(unsafe_code, improper_ctypes_definitions)] // an extern "C" import the build links (wasm-split)
#[wasm_split(desk, wasm_split_path = ::leptos::wasm_split, fallible)]
fn desk_screen(sites: Vec<SupervisorSite>) -> Loaded {
    Ok(view! { <DesktopPage sites=sites/> }.into_any())
}

// What a tablet shows before it is enrolled, and the supervisor's login: a
// piece an enrolled tablet never loads.
#[allow(unsafe_code, improper_ctypes_definitions)] // an extern "C" import the build links (wasm-split)
#[wasm_split(welcome, wasm_split_path = ::leptos::wasm_split, fallible)]
fn enroll_screen(token: String, lang: Lang) -> Loaded {
    Ok(view! { <EnrollPage token=token lang=lang/> }.into_any())
}
#[allow(unsafe_code, improper_ctypes_definitions)]
#[wasm_split(welcome, wasm_split_path = ::leptos::wasm_split, fallible)]
fn not_enrolled_screen(lang: Lang) -> Loaded {
    Ok(view! { <NotEnrolledPage lang=lang/> }.into_any())
}
#[allow(unsafe_code, improper_ctypes_definitions)]
#[wasm_split(welcome, wasm_split_path = ::leptos::wasm_split, fallible)]
fn supervisor_login_screen(lang: Lang) -> Loaded {
    Ok(view! { <SupervisorLoginPage lang=lang/> }.into_any())
}
