//! A record's photos, wherever a person would take one (a × on a round or
//! a hand-over, a follow-up, a damaged or missing show-flat item, a
//! complaint, a duty-log entry, a lost key, a permit's sweep): a button that opens the camera (or the gallery) and the
//! photos taken, as thumbnails; a tap shows one whole. Photos are kept
//! and sent by the store ([`Store::add_photo`]), read with the model's
//! `photos::of`.

use crate::core::store::{Store, photo_url};
use leptos::prelude::*;
use shiftbook_model::DocumentId;
use shiftbook_model::attachment::Attachment;
use wasm_bindgen::JsCast;

crate::words::i18n::fixed_texts! {
    /// The photos' own words (here, not in `Msg`: they load with the
    /// screens that show photos, not with the first screen).
    pub enum Words {
        /// Take or pick a photo of a record.
        TakePhoto => ("拍照", "Photo"),
        /// A photo being prepared and kept.
        KeepingPhoto => ("正在保存照片…", "Keeping the photo…"),
        /// A photo this device does not hold and cannot fetch now.
        PhotoNotHere => ("照片尚未下载", "Photo not on this device yet"),
        /// Heading of a record's photos (a complaint's: the leak, the
        /// damage, the work done).
        Photos => ("照片", "Photos"),
        /// Above the photos taken when the × was marked (a follow-up's
        /// "before").
        PhotosWhenFound => ("发现时的照片", "Photos when found"),
        /// Above a follow-up's own photos (the work, "after").
        PhotosOfWork => ("整改照片", "Photos of the work"),
    }
}

/// How long a photo neither here nor on the server waits before it is
/// asked for again.
const RETRY_MS: i32 = 3_000;

/// The photos of `record` (what its family names it by) of document `id`,
/// read here, and the button that takes one — unless `take` is false
/// (the record is not in a state that wants one): then only the photos it
/// has, and nothing when it has none.
#[component]
pub fn RecordPhotos(
    id: DocumentId,
    record: String,
    #[prop(default = true)] take: bool,
) -> impl IntoView {
    let store = expect_context::<Store>();
    let of = StoredValue::new(record.clone());
    let photos = store.derived(move |s| {
        of.with_value(|r| {
            s.read(&id, |doc| shiftbook_model::photos::of(doc, r))
                .unwrap_or_default()
        })
    });
    if take {
        return view! { <PhotoStrip id=id record=record photos=photos.into()/> }.into_any();
    }
    (move || {
        (!photos.with(Vec::is_empty)).then(|| {
            view! {
                <div class="photos" data-testid="photos">
                    <PhotoThumbs id=id photos=photos.into()/>
                </div>
            }
        })
    })
    .into_any()
}

/// The photos of `record` of document `id` as a list read them (a day's
/// entries read the day's photos once, not once per entry), and the
/// button that takes one.
#[component]
pub fn PhotoStrip(
    id: DocumentId,
    record: String,
    photos: Signal<Vec<Attachment>>,
) -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    let record = StoredValue::new(record);
    let keeping = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let picked = {
        let store = store.clone();
        move |ev: leptos::ev::Event| {
            let Some(input) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            else {
                return;
            };
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            input.set_value("");
            let store = store.clone();
            keeping.set(true);
            error.set(None);
            leptos::task::spawn_local(async move {
                let kept = store.add_photo(id, record.get_value(), file.into()).await;
                // The row may be gone by now (another change redrew it).
                keeping.try_set(false);
                if let Err(e) = kept {
                    error.try_set(Some(e.text(lang.get_untracked())));
                }
            });
        }
    };
    view! {
        <div class="photos" data-testid="photos">
            <label class="btn secondary photo-take" data-action="photo">
                {move || Words::TakePhoto.text(lang.get())}
                <input
                    type="file"
                    accept="image/*"
                    capture="environment"
                    class="hidden"
                    data-testid="photo-input"
                    on:change=picked
                />
            </label>
            {move || keeping.get().then(|| view! {
                <span class="muted" data-testid="photo-keeping">{Words::KeepingPhoto.text(lang.get())}</span>
            })}
            {move || error.get().map(|e| view! { <span class="error" role="alert">{e}</span> })}
            <PhotoThumbs id=id photos=photos/>
        </div>
    }
}

/// Photos of document `id`, without a button: what another record holds
/// (a follow-up shows the photos of the × it came from).
#[component]
pub fn PhotoThumbs(id: DocumentId, photos: Signal<Vec<Attachment>>) -> impl IntoView {
    view! {
        <For
            each=move || photos.get()
            key=|p| p.sha256.clone()
            children=move |p| view! { <Thumb id=id photo=p/> }
        />
    }
}

/// One photo: its thumbnail, loaded from the tablet or the server; a tap
/// shows it whole.
#[component]
fn Thumb(id: DocumentId, photo: Attachment) -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    let url = RwSignal::new(None::<String>);
    let whole = RwSignal::new(false);
    let sha = photo.sha256.clone();
    // The record can arrive before its photo reaches the server: ask again
    // every few seconds while the photo is on the screen.
    let shown = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let still = shown.clone();
    on_cleanup(move || {
        still.store(false, std::sync::atomic::Ordering::Relaxed);
        // The page keeps an object URL's bytes until it is revoked.
        if let Some(Some(shown)) = url.try_get_untracked() {
            let _ = web_sys::Url::revoke_object_url(&shown);
        }
    });
    leptos::task::spawn_local(async move {
        while shown.load(std::sync::atomic::Ordering::Relaxed) {
            if let Some(found) = photo_url(&store, &sha, &id).await {
                url.set(Some(found));
                return;
            }
            crate::platform::clock::sleep_ms(RETRY_MS).await;
        }
    });
    let title = format!(
        "{} · {} · {}",
        photo.by,
        photo.device,
        crate::platform::clock::date_time(photo.at_ms)
    );
    view! {
        {move || match url.get() {
            Some(src) => {
                let (big, caption) = (src.clone(), title.clone());
                view! {
                    <button class="photo-thumb" data-photo=photo.sha256.clone() title=title.clone() on:click=move |_| whole.set(true)>
                        <img src=src alt=title.clone() loading="lazy"/>
                    </button>
                    {move || whole.get().then(|| view! {
                        <div class="photo-whole" role="dialog" on:click=move |_| whole.set(false)>
                            <img src=big.clone() alt=caption.clone()/>
                        </div>
                    })}
                }
                .into_any()
            }
            None => view! {
                <span class="photo-thumb missing" data-photo=photo.sha256.clone()>
                    {move || Words::PhotoNotHere.text(lang.get())}
                </span>
            }
            .into_any(),
        }}
    }
}
