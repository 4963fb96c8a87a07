//! The duty log (`#duty-log/<service date>`, 《值班记录表》): a quick entry
//! at the top — the common event types as big one-tap buttons, the time
//! (now) and the post (the person's) prefilled and editable, what
//! happened, the action taken and the result — then the day's entries in
//! time order with who, when and on which device. "更正" opens a
//! correction (the fields and a required reason); a corrected row shows
//! its current values with the original and every correction visible;
//! corrections made at once on two tablets show both values and who until
//! someone settles them. Filters by post, person, type, text and state, a
//! day picker, and the leader's daily review with what came after it. On
//! the desktop the same screen is a tab, with a search across days below.

use crate::core::store::Store;
use crate::duty_log::view::{
    self, AmendForm, DutyDayView, EntryForm, EntryRow, FieldView, FormProblem, Permissions,
    event_type, field_name, parse_event_type, parse_state, state_key, state_name,
};
use crate::duty_log::words::Words;
use crate::nav::route::Route;
use crate::nav::route::go;
use crate::platform::clock::time_of_day;
use crate::ui::day_range::DayRange;
use crate::ui::found_table::found_table;
use crate::ui::sign_off::{SignButton, signature_lines};
use crate::words::i18n::Text;
use crate::words::i18n::{self, Msg};
use leptos::prelude::*;
use shiftbook_model::attachment::Attachment;
use shiftbook_model::duty_log::{EntryFilter, EntryState, EventType, Field};
use shiftbook_model::{DocumentId, Lang};
use std::collections::BTreeSet;

/// The current clock time `HH:MM` on the device.
fn clock_now() -> String {
    time_of_day(crate::platform::clock::now_ms())
}

/// The posts a person may pick: theirs, the templates', and the one the
/// form starts with.
fn post_choices(store: &Store, default: &str) -> Vec<String> {
    let mut posts: BTreeSet<String> = store.person_posts().into_iter().collect();
    posts.extend(store.templates().into_iter().map(|t| t.post));
    posts.insert(default.to_owned());
    posts.retain(|p| shiftbook_model::ids::is_key(p));
    posts.into_iter().collect()
}

/// A `<select>` of posts, `selected` picked.
fn post_select(
    name: &'static str,
    posts: Vec<String>,
    selected: String,
    lang: RwSignal<Lang>,
    on_pick: impl Fn(String) + 'static,
) -> impl IntoView {
    view! {
        <select name=name on:change=move |ev| on_pick(event_target_value(&ev))>
            {posts.into_iter().map(|p| {
                let is = p == selected;
                let shown = p.clone();
                view! { <option value=p.clone() selected=is>{move || i18n::post(lang.get(), &shown)}</option> }
            }).collect_view()}
        </select>
    }
}

/// The duty log of service day `date`.
#[component]
pub fn DutyLogPanel(date: String) -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    let desktop = store.is_desktop();
    let date = RwSignal::new(date);
    let filter: RwSignal<EntryFilter> = RwSignal::new(EntryFilter::default());
    let day = store.derived(move |s| {
        lang.track();
        let f = filter.get();
        s.duty_day(&date.get(), &f).map_err(|e| e.text(lang.get()))
    });
    let asker = store.clone();
    // The day shown and the one before (a night shift's day), so
    // stepping back works offline.
    Effect::new(move |_| {
        let d = date.get();
        let before = crate::core::service_day::previous(&d);
        asker.want_duty_logs(&[Some(d), before].into_iter().flatten().collect::<Vec<_>>());
    });
    let person = store.signals.person;
    // A memo: signing in again or any edit touches the person, which must
    // not re-create the forms being typed in.
    let role = Memo::new(move |_| person.with(|p| p.as_ref().map(|p| p.role)));
    let may = move || Permissions::of(role.get());
    // Rows keyed by entry id, each rendering from its own memo: a merge
    // re-renders only the rows it changed, and a correction being typed
    // survives other tablets' entries arriving.
    let ids = Memo::new(move |_| {
        day.with(|d| {
            d.as_ref()
                .map(|v| v.rows.iter().map(|r| r.id.clone()).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    });
    // The day's photos, read once for every entry.
    let photos = store.derived(move |s| {
        s.read(&s.duty_log_id(&date.get()), shiftbook_model::photos::all)
            .unwrap_or_default()
    });
    // A busy day's list opens with its first entries; the rest follow.
    let shown_ids = crate::ui::progressive::progressive(ids);
    let posts =
        Memo::new(move |_| day.with(|d| d.as_ref().map(|v| v.posts.clone()).unwrap_or_default()));
    let people =
        Memo::new(move |_| day.with(|d| d.as_ref().map(|v| v.people.clone()).unwrap_or_default()));
    let pick_day = move |d: String| {
        if shiftbook_model::checklist::validate_date(&d).is_err() {
            return;
        }
        if desktop {
            date.set(d);
        } else {
            go(&Route::DutyLog(d));
        }
    };
    let signer = store.clone();
    let sign = Callback::new(move |()| {
        signer
            .sign_duty_day(&date.get_untracked())
            .map_err(|e| e.text(lang.get_untracked()))
    });
    view! {
        <main class="duty-log" data-testid="duty-log" data-date=move || date.get()>
            <section class="card admin-head">
                <h1>{move || Msg::DutyLog.text(lang.get())}</h1>
                <label class="date-pick">
                    <span>{move || Msg::Date.text(lang.get())}</span>
                    <input type="date" name="duty-date" prop:value=move || date.get()
                        on:change=move |ev| pick_day(event_target_value(&ev))/>
                </label>
            </section>
            {move || may().record.then(|| view! { <QuickEntry date=date/> })}
            <Filters filter=filter posts=posts people=people/>
            {move || match day.get() {
                Err(e) => view! { <p class="card notice error">{e}</p> }.into_any(),
                Ok(v) => {
                    let (shown, total) = (v.rows.len(), v.total);
                    view! {
                        <p class="muted count-line" data-testid="duty-count">
                            {move || i18n::shown_of(lang.get(), shown, total)}
                        </p>
                        {(shown == 0).then(|| view! { <p class="card pad muted">{move || Words::DutyNone.text(lang.get())}</p> })}
                    }.into_any()
                }
            }}
            <section class="duty-entries" data-testid="duty-entries">
                <For each=move || shown_ids.get() key=|id| id.clone() let:id>
                    <EntryCard date=date day=day photos=photos id=id may_amend=Signal::derive(move || may().amend)/>
                </For>
            </section>
            <section class="sign-off card" data-testid="duty-review">
                <h2>{move || Words::DailyReview.text(lang.get())}</h2>
                {move || signature_lines(day.with(|d| d.as_ref().map(|v| v.signatures.clone()).unwrap_or_default()), lang)}
                {move || day.with(|d| d.as_ref().ok().and_then(|v| v.review.clone())).filter(|r| r.recorded + r.amended > 0).map(|r| view! {
                    <p class="after-signing" data-testid="after-signing" role="alert">
                        {move || view::after_signing(lang.get(), r.recorded, r.amended)}
                    </p>
                })}
                <SignButton label=Words::SignDutyDay sign=sign/>
            </section>
            {desktop.then(|| view! { <DutyLogSearch/> })}
        </main>
    }
}

/// The quick entry: event types one tap away, then the details.
#[component]
fn QuickEntry(date: RwSignal<String>) -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    let role = store
        .signals
        .person
        .with_untracked(|p| p.as_ref().map(|p| p.role));
    let post = view::default_post(&store.person_posts(), role);
    let posts = post_choices(&store, &post);
    let form = RwSignal::new(EntryForm::new(clock_now(), post));
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let saved = RwSignal::new(false);
    let recorder = store.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let f = form.get_untracked();
        let day = date.get_untracked();
        let result = f
            .draft(&day, super::state::new_entry_id())
            .map_err(|p| p.text(lang.get_untracked()).to_owned())
            .and_then(|draft| {
                recorder
                    .record_duty_entry(&day, &draft)
                    .map_err(|e| e.text(lang.get_untracked()))
            });
        match result {
            Ok(_) => {
                form.set(EntryForm::new(clock_now(), f.post));
                error.set(None);
                saved.set(true);
            }
            Err(e) => {
                error.set(Some(e));
                saved.set(false);
            }
        }
    };
    let text_input = move |name: &'static str,
                           placeholder: Text,
                           get: fn(&EntryForm) -> String,
                           set: fn(&mut EntryForm, String)| {
        view! {
            <input name=name autocomplete="off"
                placeholder=move || placeholder.text(lang.get())
                prop:value=move || form.with(get)
                on:input=move |ev| { saved.set(false); form.update(|f| set(f, event_target_value(&ev))) }/>
        }
    };
    view! {
        <form class="card duty-entry" data-testid="duty-entry" on:submit=submit
            aria-label=move || Words::DutyNewEntry.text(lang.get())>
            <div class="kinds" role="group">
                {EventType::ALL.into_iter().map(|k| view! {
                    <button type="button" class="btn kind" data-kind=k.as_str()
                        aria-pressed=move || (form.with(|f| f.kind) == Some(k)).to_string()
                        on:click=move |_| { saved.set(false); form.update(|f| f.kind = Some(k)) }>
                        {move || event_type(lang.get(), k)}
                    </button>
                }).collect_view()}
            </div>
            <div class="entry-when">
                <label>
                    <span>{move || Msg::Time.text(lang.get())}</span>
                    <input type="time" name="duty-time" prop:value=move || form.with(|f| f.clock.clone())
                        on:input=move |ev| form.update(|f| f.clock = event_target_value(&ev))/>
                </label>
                <label>
                    <span>{move || Words::DutyPost.text(lang.get())}</span>
                    {post_select("duty-post", posts, form.with_untracked(|f| f.post.clone()), lang, move |p| form.update(|f| f.post = p))}
                </label>
                <label class="event">
                    <span>{move || Msg::Event.text(lang.get())}</span>
                    <textarea name="duty-event" rows="1"
                        placeholder=move || Words::DutyWhatHappened.text(lang.get())
                        prop:value=move || form.with(|f| f.event.clone())
                        on:input=move |ev| { saved.set(false); form.update(|f| f.event = event_target_value(&ev)) }></textarea>
                </label>
            </div>
            <div class="entry-more">
                {text_input("duty-action", Words::DutyAction.into(), |f| f.action.clone(), |f, v| f.action = v)}
                {text_input("duty-result", Words::DutyResult.into(), |f| f.result.clone(), |f, v| f.result = v)}
                <button class="btn primary" type="submit" data-action="record-entry">
                    {move || Words::DutyRecord.text(lang.get())}
                </button>
            </div>
            {move || saved.get().then(|| view! { <p class="saved-note ok" data-testid="entry-saved">"✓ " {move || Msg::SavedOnTablet.text(lang.get())}</p> })}
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
        </form>
    }
}

/// Post, person, type, text and state filters.
#[component]
fn Filters(
    filter: RwSignal<EntryFilter>,
    posts: Memo<Vec<String>>,
    people: Memo<Vec<(String, String)>>,
) -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    let none = |v: String| (!v.is_empty()).then_some(v);
    let current = move || filter.get_untracked();
    view! {
        <section class="card filters" data-testid="duty-filters">
            <select name="filter-post" on:change=move |ev| filter.update(|f| f.post = none(event_target_value(&ev)))>
                <option value="">{move || Msg::AllPosts.text(lang.get())}</option>
                {move || posts.get().into_iter().map(|p| {
                    let is = current().post.as_ref() == Some(&p);
                    let shown = p.clone();
                    view! { <option value=p.clone() selected=is>{move || i18n::post(lang.get(), &shown)}</option> }
                }).collect_view()}
            </select>
            <select name="filter-person" on:change=move |ev| filter.update(|f| f.person = none(event_target_value(&ev)))>
                <option value="">{move || Msg::EveryPerson.text(lang.get())}</option>
                {move || people.get().into_iter().map(|(id, name)| {
                    let is = current().person.as_ref() == Some(&id);
                    view! { <option value=id selected=is>{name}</option> }
                }).collect_view()}
            </select>
            <select name="filter-kind" on:change=move |ev| filter.update(|f| f.kind = parse_event_type(&event_target_value(&ev)))>
                <option value="">{move || Words::EveryKind.text(lang.get())}</option>
                {EventType::ALL.into_iter().map(|k| view! {
                    <option value=k.as_str()>{move || event_type(lang.get(), k)}</option>
                }).collect_view()}
            </select>
            <select name="filter-state" on:change=move |ev| filter.update(|f| f.state = parse_state(&event_target_value(&ev)))>
                <option value="">{move || Msg::EveryState.text(lang.get())}</option>
                {[EntryState::AsWritten, EntryState::Amended, EntryState::Conflict].into_iter().map(|s| view! {
                    <option value=state_key(s)>{move || state_name(lang.get(), s)}</option>
                }).collect_view()}
            </select>
            <input type="search" name="filter-text" autocomplete="off"
                placeholder=move || Words::SearchText.text(lang.get())
                on:change=move |ev| filter.update(|f| f.text = none(event_target_value(&ev)))/>
        </section>
    }
}

/// A field's current value, or its disagreeing values with who set each.
fn field_value(lang: RwSignal<Lang>, v: &FieldView) -> AnyView {
    match &v.value {
        Some(s) => {
            let text = s.text.clone();
            view! { <span class:amended=v.amended>{text}</span> }.into_any()
        }
        None => {
            let choices = v.conflict.clone();
            let field = v.field;
            view! {
                <span class="conflict" data-testid="entry-conflict" data-field=field.as_str()>
                    <b>{move || Words::DutyDisagree.text(lang.get())}</b>
                    {choices.into_iter().map(|c| view! {
                        <span class="candidate">"「" {c.value.text.clone()} "」" <small>{move || i18n::who_line(lang.get(), &c.by)}</small></span>
                    }).collect_view()}
                </span>
            }
            .into_any()
        }
    }
}

/// One entry, with its corrections and the correction form; it renders
/// from its own memo of the day's row `id`.
#[component]
fn EntryCard(
    date: RwSignal<String>,
    day: Memo<Result<DutyDayView, String>>,
    photos: Memo<Vec<(String, Attachment)>>,
    id: String,
    may_amend: Signal<bool>,
) -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    let editing = RwSignal::new(false);
    let doc = store.duty_log_id(&date.get_untracked());
    let mine = {
        let id = id.clone();
        Memo::new(move |_| {
            photos.with(|all| {
                all.iter()
                    .filter(|(record, _)| *record == id)
                    .map(|(_, p)| p.clone())
                    .collect::<Vec<_>>()
            })
        })
    };
    let row = Memo::new(move |_| {
        day.with(|d| {
            d.as_ref()
                .ok()
                .and_then(|v| v.rows.iter().find(|r| r.id == id).cloned())
        })
    });
    view! {
        {move || row.get().map(|r| entry_view(lang, r, editing, may_amend, (doc, mine.into())))}
        {move || editing.get().then(|| view! { <AmendEntry date=date row=row editing=editing/> })}
    }
}

/// The entry as the day shows it.
fn entry_view(
    lang: RwSignal<Lang>,
    r: EntryRow,
    editing: RwSignal<bool>,
    may_amend: Signal<bool>,
    (doc, photos): (DocumentId, Signal<Vec<Attachment>>),
) -> impl IntoView {
    let get = |f: Field| r.field(f).cloned();
    let line = move |label: Text, v: Option<FieldView>| {
        v.filter(|v| !v.value.as_ref().is_some_and(|s| s.raw.is_empty()))
            .map(|v| {
                view! {
                    <p class=format!("entry-field {}", v.field.as_str())>
                        <span class="label">{move || label.text(lang.get())} ":"</span>
                        {field_value(lang, &v)}
                    </p>
                }
            })
    };
    let state = r.state;
    let recorded_by = r.recorded_by.clone();
    view! {
        <article class="duty-row card" data-entry=r.id.clone() data-state=state_key(state)
            class:after-signing=r.recorded_after_signing || r.amended_after_signing>
            <div class="when">
                <span class="time">{get(Field::Occurred).map(|v| field_value(lang, &v))}</span>
                <span class="kind tag">{get(Field::Kind).map(|v| field_value(lang, &v))}</span>
            </div>
            <div class="what">
                <p class="post muted">{get(Field::Post).map(|v| field_value(lang, &v))}
                    {(state != EntryState::AsWritten).then(|| view! { <span class=format!("tag state {}", state_key(state))>{move || state_name(lang.get(), state)}</span> })}
                    {r.recorded_after_signing.then(|| view! { <span class="tag after-signing-tag">{move || Msg::AddedAfterSigning.text(lang.get())}</span> })}
                    {(r.amended_after_signing && !r.recorded_after_signing).then(|| view! {
                        <span class="tag after-signing-tag" data-testid="amended-after-signing">{move || Words::DutyCorrectedAfterSigning.text(lang.get())}</span>
                    })}
                </p>
                <p class="event">{get(Field::Event).map(|v| field_value(lang, &v))}</p>
                {line(Words::DutyAction.into(), get(Field::Action))}
                {line(Words::DutyResult.into(), get(Field::Result))}
                {(!r.original.is_empty()).then(|| {
                    let original = r.original.clone();
                    let amendments = r.amendments.clone();
                    view! {
                        <div class="amendments" data-testid="amendments">
                            <p class="original" data-testid="original">
                                <b>{move || Words::DutyOriginal.text(lang.get())}</b>
                                {original.into_iter().map(|(f, v)| view! {
                                    <span class="was">{move || field_name(lang.get(), f)} ":「" {v.text.clone()} "」"</span>
                                }).collect_view()}
                            </p>
                            <ol>
                                {amendments.into_iter().map(|a| view! {
                                    <li data-testid="amendment">
                                        <b>{move || Words::DutyCorrection.text(lang.get())}</b> " "
                                        {a.changes.iter().cloned().map(|(f, v)| view! {
                                            <span class="now">{move || field_name(lang.get(), f)} " →「" {v.text.clone()} "」"</span>
                                        }).collect_view()}
                                        <span class="reason">{move || Words::DutyReason.text(lang.get())} ":" {a.reason.clone()}</span>
                                        <small class="who">{move || i18n::who_line(lang.get(), &a.by)}</small>
                                    </li>
                                }).collect_view()}
                            </ol>
                        </div>
                    }
                })}
                {(!r.duplicates.is_empty()).then(|| view! {
                    <ul class="conflict">
                        {r.duplicates.iter().cloned().map(|(event, by)| view! { <li>{event} " · " {move || i18n::who_line(lang.get(), &by)}</li> }).collect_view()}
                    </ul>
                })}
                <p class="who muted">{move || i18n::who_line(lang.get(), &recorded_by)}</p>
                <crate::ui::record_photos::PhotoStrip id=doc record=r.id.clone() photos=photos/>
            </div>
            {move || may_amend.get().then(|| view! {
                <button class="btn secondary small" data-action="correct" aria-expanded=move || editing.get().to_string()
                    on:click=move |_| editing.update(|e| *e = !*e)>
                    {move || Words::DutyCorrect.text(lang.get())}
                </button>
            })}
        </article>
    }
}

/// The correction form of one entry.
#[component]
fn AmendEntry(
    date: RwSignal<String>,
    row: Memo<Option<EntryRow>>,
    editing: RwSignal<bool>,
) -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    let form = RwSignal::new(AmendForm::default());
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let current_post = row.with_untracked(|r| {
        r.as_ref()
            .map(|r| AmendForm::default().value(r, Field::Post))
            .unwrap_or_default()
    });
    let posts = post_choices(&store, &current_post);
    let saver = store.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let day = date.get_untracked();
        // Checked against the entry as it is now, corrections that arrived
        // while typing included (they show above the form).
        let result = match row.get_untracked() {
            None => Err(FormProblem::NothingCorrected
                .text(lang.get_untracked())
                .to_owned()),
            Some(r) => match form.with_untracked(|f| f.correction(&r, &day)) {
                Err(p) => Err(p.text(lang.get_untracked()).to_owned()),
                Ok((c, reason)) => saver
                    .amend_duty_entry(&day, &r.id, &c, &reason)
                    .map_err(|e| e.text(lang.get_untracked())),
            },
        };
        match result {
            Ok(()) => editing.set(false),
            Err(e) => error.set(Some(e)),
        }
    };
    let value = move |f: Field| {
        row.with(|r| {
            r.as_ref()
                .map(|r| form.with(|a| a.value(r, f)))
                .unwrap_or_default()
        })
    };
    let set = move |f: Field, v: String| {
        form.update(|a| {
            a.changed.insert(f, v);
        })
    };
    // The values concurrent corrections disagree on, one tap to take one.
    let candidates = move |f: Field| {
        move || {
            row.with(|r| {
                r.as_ref()
                    .and_then(|r| r.field(f))
                    .map(|v| v.conflict.clone())
                    .unwrap_or_default()
            })
            .into_iter()
            .map(|c| {
                let raw = c.value.raw.clone();
                view! {
                    <button type="button" class="btn small candidate" data-action="take-value"
                        on:click=move |_| set(f, raw.clone())>
                        "「" {c.value.text.clone()} "」"
                    </button>
                }
            })
            .collect_view()
        }
    };
    let text_field = move |f: Field, name: &'static str| {
        view! {
            <label class="wide">
                <span>{move || field_name(lang.get(), f)}</span>
                <input name=name autocomplete="off" prop:value=move || value(f)
                    on:input=move |ev| set(f, event_target_value(&ev))/>
                {candidates(f)}
            </label>
        }
    };
    let selected_post = value(Field::Post);
    view! {
        <form class="amend-form" data-testid="amend-form" on:submit=submit>
            <div class="fields">
                <label>
                    <span>{move || Msg::Time.text(lang.get())}</span>
                    <input type="time" name="amend-time" prop:value=move || value(Field::Occurred)
                        on:input=move |ev| set(Field::Occurred, event_target_value(&ev))/>
                    {candidates(Field::Occurred)}
                </label>
                <label>
                    <span>{move || Words::DutyPost.text(lang.get())}</span>
                    {post_select("amend-post", posts, selected_post, lang, move |p| set(Field::Post, p))}
                    {candidates(Field::Post)}
                </label>
                <label>
                    <span>{move || Words::DutyKind.text(lang.get())}</span>
                    <select name="amend-kind" on:change=move |ev| set(Field::Kind, event_target_value(&ev))>
                        {EventType::ALL.into_iter().map(|k| view! {
                            <option value=k.as_str() selected=move || value(Field::Kind) == k.as_str()>{move || event_type(lang.get(), k)}</option>
                        }).collect_view()}
                    </select>
                    {candidates(Field::Kind)}
                </label>
                {text_field(Field::Event, "amend-event")}
                {text_field(Field::Action, "amend-action")}
                {text_field(Field::Result, "amend-result")}
                <label class="wide reason">
                    <span>{move || Words::DutyReasonRequired.text(lang.get())}</span>
                    <input name="amend-reason" autocomplete="off" prop:value=move || form.with(|f| f.reason.clone())
                        on:input=move |ev| form.update(|f| f.reason = event_target_value(&ev))/>
                </label>
            </div>
            <div class="form-actions">
                <button class="btn primary" type="submit" data-action="confirm-correction">
                    {move || Words::DutyConfirmCorrection.text(lang.get())}
                </button>
                <button class="btn" type="button" on:click=move |_| editing.set(false)>
                    {move || Msg::Cancel.text(lang.get())}
                </button>
            </div>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
        </form>
    }
}

/// The columns of the duty-log search's results.
fn duty_found_headers() -> Vec<Text> {
    vec![
        Msg::Date.into(),
        Msg::Time.into(),
        Words::DutyPost.into(),
        Words::DutyKind.into(),
        Msg::Event.into(),
        Words::DutyResult.into(),
        Msg::Person.into(),
    ]
}

/// The desktop's search across a range of days.
#[component]
pub fn DutyLogSearch() -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    let range = DayRange::last_week(lang);
    let filter: RwSignal<EntryFilter> = RwSignal::new(EntryFilter::default());
    let found = range.found(&store, lang, Store::want_duty_logs, move |s, days| {
        s.search_duty_logs(days, &filter.get())
            .map_err(|e| e.text(lang.get()))
    });
    let none = |v: String| (!v.is_empty()).then_some(v);
    view! {
        <section class="card pad duty-search" data-testid="duty-search">
            <h2>{move || Msg::SearchDays.text(lang.get())}</h2>
            <div class="filters">
                {range.inputs(lang)}
                <select name="search-kind" on:change=move |ev| filter.update(|f| f.kind = parse_event_type(&event_target_value(&ev)))>
                    <option value="">{move || Words::EveryKind.text(lang.get())}</option>
                    {EventType::ALL.into_iter().map(|k| view! { <option value=k.as_str()>{move || event_type(lang.get(), k)}</option> }).collect_view()}
                </select>
                <input type="search" name="search-post" autocomplete="off" placeholder=move || Words::DutyPost.text(lang.get())
                    on:change=move |ev| filter.update(|f| f.post = none(event_target_value(&ev)))/>
                <input type="search" name="search-text" autocomplete="off" placeholder=move || Words::SearchText.text(lang.get())
                    on:change=move |ev| filter.update(|f| f.text = none(event_target_value(&ev)))/>
            </div>
            {found_table(found, lang, "duty-found", Words::DutyNone, duty_found_headers(), move |(date, r)| view! {
                <tr data-entry=r.id.clone() data-state=state_key(r.state)>
                    <td>{date}</td>
                    <td>{r.text(Field::Occurred)}</td>
                    <td>{r.text(Field::Post)}</td>
                    <td>{r.text(Field::Kind)}</td>
                    <td>
                        {r.text(Field::Event)}
                        {(r.state != EntryState::AsWritten).then(|| view! { <span class=format!("tag state {}", state_key(r.state))>{move || state_name(lang.get(), r.state)}</span> })}
                    </td>
                    <td>{r.text(Field::Result)}</td>
                    <td>{r.recorded_by.person.clone()}</td>
                </tr>
            })}
        </section>
    }
}
