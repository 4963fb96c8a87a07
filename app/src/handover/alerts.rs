//! The hand-over alerts of the signed-in person's books — hand-overs
//! refused (for the leader to settle, 001 篇3 §1.6) or not taken over in
//! time — of today and yesterday (a night shift's hand-over belongs to the
//! day before): listed at the top of the agenda, counted on the
//! navigation's hand-over item and on the hand-over page's book switcher.

use crate::core::store::Store;
use crate::handover::view::alert_line;
use crate::nav::route::Route;
use crate::nav::route::go;
use crate::words::i18n::Msg;
use leptos::prelude::*;
use shiftbook_model::handover::{Alert, AlertKind};

/// Today and yesterday on the device, newest first.
fn days() -> Vec<String> {
    let now = crate::platform::clock::now_ms();
    [now, now - 86_400_000]
        .into_iter()
        .filter_map(|ms| crate::platform::clock::local(ms).map(|t| t.date.to_string()))
        .collect()
}

/// The person's books' alerts, recomputed every minute and on every
/// change; asks the server for the days it needs.
pub fn book_alerts(store: &Store) -> Memo<Vec<Alert>> {
    let minute = crate::platform::ticker::ticker(60);
    let asker = store.clone();
    Effect::new(move |_| {
        minute.track();
        let books: Vec<String> = asker.handover_books().into_iter().map(|b| b.id).collect();
        asker.want_handover_docs(&books, &days());
    });
    store.derived(move |s| {
        minute.track();
        s.handover_alerts(
            &s.handover_books(),
            &days(),
            crate::platform::clock::now_ms(),
        )
    })
}

/// The alerts, each opening its book's day.
#[component]
pub fn HandoverAlerts() -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    let alerts = book_alerts(&store);
    move || {
        let list = alerts.get();
        (!list.is_empty()).then(|| {
            view! {
                <section class="agenda-section ho-agenda-alerts" data-testid="handover-alerts">
                    <h2 class="bad">{move || Msg::HoAlerts.text(lang.get())} " · " {list.len()}</h2>
                    {list.into_iter().map(|a| {
                        let route = Route::Handover(a.book.clone(), a.date.clone());
                        let kind = if matches!(a.kind, AlertKind::Refused(_)) { "refused" } else { "late" };
                        let book = a.book.clone();
                        view! {
                            <button class="agenda-row card ho-alert" data-testid="handover-alert" data-kind=kind data-book=book on:click=move |_| go(&route)>
                                <span class="title">"⚠ " {move || alert_line(lang.get(), &a)}</span>
                            </button>
                        }
                    }).collect_view()}
                </section>
            }
        })
    }
}
