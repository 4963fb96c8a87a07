//! A view whose code is in a piece of the wasm fetched on first use (a
//! split point, see `shell/split_points.rs`): nothing until the piece has
//! loaded, then the view; a message and a retry if it cannot be fetched.

use crate::core::store::Store;
use crate::words::i18n::Msg;
use leptos::prelude::*;
use leptos::wasm_split::SplitLoaderError;

/// What a split point gives: its view, or why its piece did not load.
pub type Loaded = Result<AnyView, SplitLoaderError>;

/// A screen from its piece: nothing until the piece has loaded (from the
/// service worker's cache, or the network), then the screen. A piece that
/// cannot be fetched says so, with a retry that loads it again.
pub fn lazy<F>(load: impl Fn() -> F + 'static) -> AnyView
where
    F: std::future::Future<Output = Loaded> + 'static,
{
    let attempt = RwSignal::new(0u32);
    // Before enrolment or a supervisor's login there is no store yet.
    let lang = use_context::<Store>().map_or_else(
        || RwSignal::new(crate::platform::storage::stored_lang()),
        |s| s.signals.lang,
    );
    // The browser has one thread; views must be Send all the same.
    let load = send_wrapper::SendWrapper::new(load);
    (move || {
        attempt.track();
        let load = send_wrapper::SendWrapper::new(load());
        Suspend::new(async move {
            match load.await {
                Ok(view) => view,
                Err(e) => {
                    crate::platform::log::web_sys_log(&format!(
                        "a screen's piece did not load: {e}"
                    ));
                    view! {
                        <section class="card pad screen-not-loaded" role="alert">
                            <p>{move || Msg::ScreenNotLoaded.text(lang.get())}</p>
                            <button class="btn primary" data-action="retry-screen"
                                on:click=move |_| attempt.update(|n| *n += 1)>
                                {move || Msg::Retry.text(lang.get())}
                            </button>
                        </section>
                    }
                    .into_any()
                }
            }
        })
    })
    .into_any()
}
