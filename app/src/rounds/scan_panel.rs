//! A round's checkpoints (巡更点): scan a label with the camera (or an NFC
//! tag where the tablet reads them), record "cannot scan" with a reason,
//! and the round's scans in order with the time walked between them. Only
//! shown when some checkpoint proves an item of the round.

use crate::core::store::Store;
use crate::platform::camera::Camera;
use crate::platform::clock::{sleep_ms, time_of_day};
use crate::platform::nfc::{self, NfcReader};
use crate::rounds::proof_view::{ProofView, ScanLine};
use crate::rounds::words::Words;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shiftbook_model::DocumentId;
use shiftbook_model::Lang;
use shiftbook_model::checklist::{ScanOf, ScanVia};
use shiftbook_model::checkpoints::{code_of_label, lookup_in};
use std::cell::RefCell;
use std::rc::Rc;

/// How often the camera's frame is read, ms.
const READ_EVERY_MS: i32 = 250;

/// What the last scan attempt said.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Said {
    Scanned(String),
    Unknown,
    NotALabel,
    Failed(String),
}

/// Record the label text `text` in `slot` of round `id`: what to say.
fn record(store: &Store, id: &DocumentId, slot: &str, text: &str, via: ScanVia) -> Said {
    let Some(code) = code_of_label(text) else {
        return Said::NotALabel;
    };
    let checkpoints = store.checkpoints();
    let known = lookup_in(&checkpoints, &code).checkpoint().cloned();
    let what = ScanOf::Code {
        code,
        via,
        checkpoint: known.as_ref().map(|c| c.id.clone()).unwrap_or_default(),
    };
    match store.record_scan(id, slot, &what) {
        Ok(()) => match known {
            Some(c) => Said::Scanned(c.name),
            None => Said::Unknown,
        },
        Err(e) => Said::Failed(e.text(store.signals.lang.get_untracked())),
    }
}

fn said_view(said: Said, lang: Lang) -> AnyView {
    let (class, text) = match said {
        Said::Scanned(name) => (
            "notice ok",
            format!("✓ {} {name}", Words::Scanned.text(lang)),
        ),
        Said::Unknown => ("notice warn", Words::UnknownLabel.text(lang).to_owned()),
        Said::NotALabel => ("notice warn", Words::NotALabel.text(lang).to_owned()),
        Said::Failed(e) => ("notice error", e),
    };
    view! { <p class=class role="status" data-testid="scan-said">{text}</p> }.into_any()
}

/// "1分20秒" / "1 min 20 s".
fn duration(ms: i64, lang: Lang) -> String {
    let s = (ms / 1000).max(0);
    match lang {
        Lang::Zh if s >= 60 => format!("{}分{}秒", s / 60, s % 60),
        Lang::Zh => format!("{s}秒"),
        Lang::En if s >= 60 => format!("{} min {} s", s / 60, s % 60),
        Lang::En => format!("{s} s"),
    }
}

fn scan_line(line: ScanLine, lang: Lang) -> impl IntoView {
    let flag = if line.via == ScanVia::CannotScan {
        Some(format!(
            "{}:{}",
            Words::TagCannotScan.text(lang),
            line.reason
        ))
    } else if line.revoked_label {
        Some(Words::RevokedLabel.text(lang).to_owned())
    } else if line.unknown {
        Some(Words::UnknownLabel.text(lang).to_owned())
    } else {
        None
    };
    let flagged = flag.is_some() || line.too_fast;
    let gap = line
        .gap_ms
        .map(|g| format!("{} {}", Words::Walked.text(lang), duration(g, lang)));
    view! {
        <li class="scan-line" class:flagged=flagged data-via=line.via.as_str() data-counts=line.counts.to_string()>
            <time>{time_of_day(line.at_ms)}</time>
            <b class="place">{line.place}</b>
            <span class="muted">{line.by} " · " {line.device}</span>
            {gap.map(|g| view! { <span class="gap">{g}</span> })}
            {line.too_fast.then(|| view! { <span class="tag bad" data-testid="too-fast">{Words::TooFast.text(lang)}</span> })}
            {flag.map(|f| view! { <span class="tag bad">{f}</span> })}
        </li>
    }
}

/// The checkpoint section of round `id`'s `slot`.
#[component]
pub fn ScanPanel(id: DocumentId, round_slot: String, proof: Memo<ProofView>) -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    let slot = StoredValue::new(round_slot);
    let scanning = RwSignal::new(false);
    let said: RwSignal<Option<Said>> = RwSignal::new(None);
    let video = NodeRef::<leptos::html::Video>::new();
    // NFC reads for as long as the panel shows, where the tablet can.
    let nfc_on = RwSignal::new(false);
    let nfc_reader: Rc<RefCell<Option<NfcReader>>> = Rc::new(RefCell::new(None));
    if nfc::available() {
        let store = store.clone();
        let keep = nfc_reader.clone();
        spawn_local(async move {
            let on_text = move |text: String| {
                let s = slot.get_value();
                said.set(Some(record(&store, &id, &s, &text, ScanVia::Nfc)));
            };
            if let Ok(reader) = NfcReader::start(on_text).await {
                *keep.borrow_mut() = Some(reader);
                nfc_on.set(true);
            }
        });
    }
    let nfc_reader = send_wrapper::SendWrapper::new(nfc_reader);
    on_cleanup(move || {
        scanning.set(false);
        drop(nfc_reader.borrow_mut().take());
    });
    let start = {
        let store = store.clone();
        move |_| {
            if scanning.get_untracked() {
                return;
            }
            said.set(None);
            scanning.set(true);
            let store = store.clone();
            spawn_local(async move {
                // The video element appears with `scanning`.
                sleep_ms(0).await;
                let Some(el) = video.get_untracked() else {
                    scanning.set(false);
                    return;
                };
                let mut camera = match Camera::open(wasm_bindgen::JsCast::unchecked_ref(&*el)).await
                {
                    Ok(c) => c,
                    Err(e) => {
                        crate::platform::log::web_sys_log(&format!("shiftbook: camera: {e}"));
                        said.set(Some(Said::Failed(
                            Words::NoCamera.text(lang.get_untracked()).to_owned(),
                        )));
                        scanning.set(false);
                        return;
                    }
                };
                while scanning.get_untracked() {
                    let texts = camera.read().await.unwrap_or_default();
                    if let Some(text) = texts.first() {
                        let result = record(&store, &id, &slot.get_value(), text, ScanVia::Qr);
                        let done = result != Said::NotALabel;
                        said.set(Some(result));
                        if done {
                            break;
                        }
                    }
                    sleep_ms(READ_EVERY_MS).await;
                }
                camera.stop();
                scanning.set(false);
            });
        }
    };
    // "Cannot scan": which checkpoint, and why.
    let cannot_open = RwSignal::new(false);
    let cannot_at = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let save_cannot = {
        let store = store.clone();
        move |_| {
            let checkpoint = cannot_at.get_untracked();
            let checkpoint = if checkpoint.is_empty() {
                proof.with_untracked(|p| {
                    p.checkpoints
                        .first()
                        .map(|c| c.0.clone())
                        .unwrap_or_default()
                })
            } else {
                checkpoint
            };
            let what = ScanOf::CannotScan {
                checkpoint,
                reason: reason.get_untracked(),
            };
            match store.record_scan(&id, &slot.get_value(), &what) {
                Ok(()) => {
                    reason.set(String::new());
                    cannot_open.set(false);
                    said.set(None);
                }
                Err(e) => said.set(Some(Said::Failed(e.text(lang.get_untracked())))),
            }
        }
    };
    let scans = Memo::new(move |_| proof.with(|p| p.scans.clone()));
    view! {
        <section class="card scan-panel" data-testid="scan-panel">
            <div class="scan-head">
                <h2>{move || Words::Checkpoints.text(lang.get())}</h2>
                <button class="btn primary" data-action="scan" on:click=start disabled=move || scanning.get()>
                    {move || Words::ScanCheckpoint.text(lang.get())}
                </button>
                <button class="btn secondary" data-action="cannot-scan" on:click=move |_| cannot_open.update(|o| *o = !*o)>
                    {move || Words::CannotScan.text(lang.get())}
                </button>
            </div>
            {move || nfc_on.get().then(|| view! { <p class="muted">{Words::NfcReady.text(lang.get())}</p> })}
            <div class="scanner" class:hidden=move || !scanning.get()>
                <video node_ref=video data-testid="scanner-video" autoplay playsinline muted></video>
                <p class="muted">{move || Words::PointCamera.text(lang.get())}</p>
                <button class="btn secondary" data-action="close-camera" on:click=move |_| scanning.set(false)>
                    {move || Words::CloseCamera.text(lang.get())}
                </button>
            </div>
            {move || said.get().map(|s| said_view(s, lang.get()))}
            {move || cannot_open.get().then(|| {
                let save = save_cannot.clone();
                view! {
                    <div class="cannot-scan" data-testid="cannot-scan-form">
                        <select on:change=move |ev| cannot_at.set(event_target_value(&ev))>
                            {proof.with_untracked(|p| p.checkpoints.clone()).into_iter().map(|(cp, name)| view! {
                                <option value=cp>{name}</option>
                            }).collect_view()}
                        </select>
                        <input
                            type="text"
                            maxlength="200"
                            data-testid="cannot-scan-reason"
                            placeholder=move || Words::CannotScanReason.text(lang.get())
                            prop:value=move || reason.get()
                            on:input=move |ev| reason.set(event_target_value(&ev))
                        />
                        <button class="btn primary" data-action="save-cannot-scan" on:click=save>
                            {move || Words::SaveCannotScan.text(lang.get())}
                        </button>
                    </div>
                }
            })}
            <ol class="scans" data-testid="scans">
                {move || {
                    let lang = lang.get();
                    scans.get().into_iter().map(|l| scan_line(l, lang)).collect_view()
                }}
            </ol>
        </section>
    }
}
