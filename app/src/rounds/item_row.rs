//! One checklist item: ✓ / × buttons, an optional note, who recorded it,
//! and — after concurrent marks that disagree — every one of them.

use crate::core::store::Store;
use crate::platform::clock::time_of_day;
use crate::rounds::proof_view::{ProofTag, ProofView, RowProof};
use crate::rounds::view::{FlatRow, RoundView};
use crate::rounds::words::Words;
use crate::words::i18n::{self, Msg};
use leptos::prelude::*;
use shiftbook_model::DocumentId;
use shiftbook_model::Lang;
use shiftbook_model::checklist::{ItemState, Mark, Status};
use shiftbook_model::checkpoints::proof::NeedsScan;
use shiftbook_model::template::Template;
use std::collections::BTreeMap;

fn status_text(status: Status, lang: Lang) -> &'static str {
    match status {
        Status::Normal => Words::Normal.text(lang),
        Status::Abnormal => Words::Abnormal.text(lang),
    }
}

/// "由 张三 于 08:41 在 大堂平板1 记录 · 服务器 08:42 收到".
fn attribution(m: &Mark, received: Option<i64>, lang: Lang) -> String {
    let recorded = i18n::recorded_by(lang, &m.by, &time_of_day(m.at_ms), &m.device);
    match received {
        Some(ms) => format!("{recorded} · {}", i18n::received(lang, &time_of_day(ms))),
        None => recorded,
    }
}

/// A big ✓ or × button that marks the item with `status`.
fn choice_button(
    status: Status,
    lang: RwSignal<Lang>,
    pressed: impl Fn() -> bool + Send + Sync + 'static,
    locked: impl Fn() -> bool + Send + Sync + 'static,
    mark: impl Fn(Status) + 'static,
) -> impl IntoView {
    view! {
        <button
            class=format!("btn choice {}", status.as_str())
            data-action=status.as_str()
            disabled=locked
            aria-pressed=move || pressed().to_string()
            on:click=move |_| mark(status)
        >
            {move || status_text(status, lang.get())}
        </button>
    }
}

/// The parts of an item's row that a mark changes, apart from the
/// attribution lines ([`Detail`]).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Shown {
    /// `unmarked`, `normal`, `abnormal` or `conflict`.
    state: &'static str,
    /// The current mark's status, when there is one current mark.
    status: Option<Status>,
    /// The current mark's note.
    note: String,
    /// Changed after the latest signature.
    after_signing: bool,
}

/// Who recorded the current mark(s), with receipts and doubts.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Detail {
    state: ItemState,
    received: Vec<Option<i64>>,
    doubts: Vec<Option<shiftbook_model::attribution_check::Doubt>>,
}

impl Shown {
    fn of(flat: &FlatRow) -> Self {
        let current = match &flat.row.state {
            ItemState::Marked(m) => Some(m),
            _ => None,
        };
        Self {
            state: match &flat.row.state {
                ItemState::Unmarked => "unmarked",
                ItemState::Marked(m) => m.status.as_str(),
                ItemState::Conflict(_) => "conflict",
            },
            status: current.map(|m| m.status),
            note: current.map(|m| m.note.clone()).unwrap_or_default(),
            after_signing: flat.after_signing,
        }
    }
}

/// One item's row, kept in place while the round changes around it: a
/// mark updates its state, buttons and attribution where they are, and
/// the row is built again only if the round stops showing the item.
#[component]
pub fn ItemRow(
    id: DocumentId,
    template: Template,
    slot_key: String,
    item: String,
    round: Memo<Result<RoundView, String>>,
    drafts: RwSignal<BTreeMap<String, String>>,
    proof: Memo<ProofView>,
) -> impl IntoView {
    let row_proof = {
        let item = item.clone();
        Memo::new(move |_| proof.with(|p| p.row(&item)))
    };
    let flat = Memo::new(move |_| round.with(|r| r.as_ref().ok().and_then(|r| r.flat_row(&item))));
    let template = StoredValue::new(template);
    let slot = StoredValue::new(slot_key);
    let shown_row = Memo::new(move |_| flat.with(Option::is_some));
    move || {
        shown_row
            .get()
            .then(|| row_view(id, template, slot, flat, drafts, row_proof))
    }
}

/// "请先扫描巡更点 大门、电梯厅(10 分钟内有效)".
fn needs_scan_text(needs: &NeedsScan, lang: Lang) -> String {
    let sep = match lang {
        Lang::Zh => "、",
        Lang::En => ", ",
    };
    format!(
        "{} {} ({} {})",
        Words::ScanFirst.text(lang),
        needs.checkpoints.join(sep),
        needs.within_min,
        Words::ValidMinutes.text(lang)
    )
}

/// What backs a current mark, as a small tag.
fn proof_tag(tag: ProofTag, lang: Lang) -> impl IntoView {
    let text = match &tag {
        ProofTag::Walked { place, at_ms } => format!(
            "{} · {place} {}",
            Words::TagWalked.text(lang),
            time_of_day(*at_ms)
        ),
        ProofTag::CannotScan { place, reason } => {
            format!("{} · {place}:{reason}", Words::TagCannotScan.text(lang))
        }
        ProofTag::Unscanned => Words::TagUnscanned.text(lang).to_owned(),
        ProofTag::AtDesk => Words::TagAtDesk.text(lang).to_owned(),
    };
    let class = if tag.flagged() {
        "tag proof bad"
    } else {
        "tag proof"
    };
    view! { <span class=class data-testid="proof" data-proof=tag.key()>{text}</span> }
}

fn row_view(
    id: DocumentId,
    template: StoredValue<Template>,
    slot: StoredValue<String>,
    flat: Memo<Option<FlatRow>>,
    drafts: RwSignal<BTreeMap<String, String>>,
    row_proof: Memo<RowProof>,
) -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    let (item_id, note_required) = flat.with_untracked(|f| {
        f.as_ref().map_or((String::new(), false), |f| {
            (f.row.item.clone(), f.row.note_required)
        })
    });
    // The area's name and the label are in the UI language.
    let heading = Memo::new(move |_| flat.with(|f| f.as_ref().and_then(|f| f.heading.clone())));
    let item = StoredValue::new(item_id.clone());
    let shown = Memo::new(move |_| flat.with(|f| f.as_ref().map(Shown::of)));
    let label = Memo::new(move |_| {
        flat.with(|f| f.as_ref().map(|f| f.row.label.clone()).unwrap_or_default())
    });
    let detail = Memo::new(move |_| {
        flat.with(|f| {
            f.as_ref().map(|f| Detail {
                state: f.row.state.clone(),
                received: f.row.received.clone(),
                doubts: f.row.doubts.clone(),
            })
        })
    });
    let state_key = move || shown.with(|s| s.as_ref().map_or("unmarked", |s| s.state));
    let current_status = move || shown.with(|s| s.as_ref().and_then(|s| s.status));
    let saved_note = move || shown.with(|s| s.as_ref().map(|s| s.note.clone()).unwrap_or_default());
    let draft = move || {
        drafts
            .with(|d| d.get(&item.get_value()).cloned())
            .unwrap_or_else(saved_note)
    };
    // The field for a note is open when asked for, or when an × needs one.
    let note_open = RwSignal::new(false);
    let needs_note = RwSignal::new(false);
    let mark = {
        let store = store.clone();
        move |status: Status| {
            let it = item.get_value();
            let note = draft();
            if status == Status::Abnormal && note_required && note.trim().is_empty() {
                note_open.set(true);
                needs_note.set(true);
                return;
            }
            needs_note.set(false);
            let waiting = template
                .with_value(|t| slot.with_value(|slot| store.scan_needed(&id, t, slot, &it)));
            if waiting.is_err() {
                return;
            }
            let marked = template.with_value(|t| {
                slot.with_value(|slot| store.mark(&id, t, slot, &it, status, &note))
            });
            if marked.is_ok() {
                drafts.update(|d| {
                    d.remove(&it);
                });
            }
        }
    };
    let locked = move || row_proof.with(|p| p.needs.is_some());
    let mark_normal = mark.clone();
    let mark_abnormal = mark.clone();
    let save_note = move |_| {
        if let Some(status) = shown.with_untracked(|s| s.as_ref().and_then(|s| s.status)) {
            mark(status);
        }
    };
    let note_dirty = move || current_status().is_some() && draft() != saved_note();
    // The note field takes room: show it when it matters (an abnormal item,
    // a saved or unsaved note) or when asked for.
    let has_draft = move || drafts.with(|d| d.contains_key(&item.get_value()));
    let show_note = move || {
        note_open.get()
            || has_draft()
            || current_status() == Some(Status::Abnormal)
            || shown.with(|s| s.as_ref().is_some_and(|s| !s.note.is_empty()))
    };
    let after_signing = move || shown.with(|s| s.as_ref().is_some_and(|s| s.after_signing));

    view! {
        {move || heading.get().map(|h| view! { <h2 class="area">{h}</h2> })}
        <article class=move || format!("item {}", state_key()) data-item=item_id data-state=state_key>
            <div class="item-main">
                <div class="item-text">
                    <h3 class="label">
                        {move || label.get()}
                        {move || after_signing().then(|| view! {
                            <span class="tag after-signing-tag" data-testid="after-signing-tag">
                                {move || Msg::AddedAfterSigning.text(lang.get())}
                            </span>
                        })}
                    </h3>
                    {move || detail.get().map(|d| detail_view(d, lang))}
                    {move || {
                        let lang = lang.get();
                        row_proof.get().marks.into_iter().flatten().map(|t| proof_tag(t, lang)).collect_view()
                    }}
                    {move || row_proof.get().needs.map(|n| view! {
                        <p class="needs-scan" data-testid="needs-scan">{needs_scan_text(&n, lang.get())}</p>
                    })}
                </div>
                <div class="choices" role="group">
                    {choice_button(Status::Normal, lang, move || current_status() == Some(Status::Normal), locked, mark_normal)}
                    {choice_button(Status::Abnormal, lang, move || current_status() == Some(Status::Abnormal), locked, mark_abnormal)}
                    <button
                        class="btn note-toggle"
                        data-action="note"
                        aria-label=move || Words::NotePlaceholder.text(lang.get())
                        aria-expanded=move || show_note().to_string()
                        on:click=move |_| note_open.update(|o| *o = !*o)
                    >
                        "✎"
                    </button>
                </div>
            </div>
            <div class="note-row" class:hidden=move || !show_note()>
                <input
                    class="note"
                    type="text"
                    maxlength="500"
                    data-testid="note"
                    placeholder=move || Words::NotePlaceholder.text(lang.get())
                    prop:value=draft
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        drafts.update(|d| {
                            d.insert(item.get_value(), v);
                        });
                    }
                />
                {move || needs_note.get().then(|| view! {
                    <span class="error" role="alert" data-testid="note-required">
                        {Msg::NoteRequired.text(lang.get())}
                    </span>
                })}
                {move || {
                    let save = save_note.clone();
                    note_dirty().then(move || view! {
                        <button class="btn secondary" data-action="save-note" on:click=save>
                            {move || Words::SaveNote.text(lang.get())}
                        </button>
                    })
                }}
            </div>
            // Photos of what is wrong: on an ×.
            {move || (current_status() == Some(Status::Abnormal)).then(|| view! {
                <crate::ui::record_photos::RecordPhotos
                    id=id
                    record=format!("{}/{}", slot.get_value(), item.get_value())
                />
            })}
        </article>
    }
}

/// Who recorded the item's current mark, or every disagreeing mark.
fn detail_view(detail: Detail, lang: RwSignal<Lang>) -> AnyView {
    let Detail {
        state,
        received,
        doubts,
    } = detail;
    match state {
        ItemState::Unmarked => view! {
            <p class="attribution muted">{move || Words::NotChecked.text(lang.get())}</p>
        }
        .into_any(),
        ItemState::Marked(m) => {
            let note = m.note.clone();
            let received = received.first().copied().flatten();
            let doubt = doubts.first().cloned().flatten();
            view! {
                <p class="attribution" data-received=received.is_some().to_string()>
                    {move || attribution(&m, received, lang.get())}
                </p>
                {doubt.map(|d| view! {
                    <p class="tag unconfirmed" data-testid="unconfirmed">{move || i18n::unconfirmed(lang.get(), &d)}</p>
                })}
                {(!note.is_empty()).then(|| view! { <p class="saved-note">{note.clone()}</p> })}
            }
            .into_any()
        }
        ItemState::Conflict(marks) => view! {
            <div class="conflict" role="alert" data-testid="conflict">
                <strong>{move || Msg::ConflictTitle.text(lang.get())}</strong>
                <ul>
                    {marks
                        .into_iter()
                        .zip(received.into_iter().chain(std::iter::repeat(None)))
                        .zip(doubts.into_iter().chain(std::iter::repeat(None)))
                        .map(|((m, received), doubt)| {
                            let cls = format!("conflict-mark {}", m.status.as_str());
                            let status = m.status;
                            let note = m.note.clone();
                            view! {
                                <li class=cls>
                                    <span class="status">{move || status_text(status, lang.get())}</span>
                                    <span class="who">{move || attribution(&m, received, lang.get())}</span>
                                    {doubt.map(|d| view! {
                                        <span class="tag unconfirmed" data-testid="unconfirmed">{move || i18n::unconfirmed(lang.get(), &d)}</span>
                                    })}
                                    {(!note.is_empty()).then(|| view! { <span class="note">{note.clone()}</span> })}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
                <p class="help">{move || Words::ConflictHelp.text(lang.get())}</p>
            </div>
        }
        .into_any(),
    }
}
