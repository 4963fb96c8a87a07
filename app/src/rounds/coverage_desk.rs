//! The checkpoint report on the desktop (巡更报告): one service day's rounds
//! that have checkpoints — who walked each, checkpoints scanned of those
//! expected, excused, missed, marks without their scan or made at the
//! desk, legs walked too fast — then per person and per post. Flagged rows
//! stand out; a round's row opens the round.

use crate::core::store::Store;
use crate::rounds::agenda_view::day_rounds;
use crate::rounds::coverage_view::{CoverageRow, Tally, summed};
use crate::rounds::words::Words;
use crate::words::i18n::{self, Msg};
use leptos::prelude::*;
use shiftbook_model::Lang;
use shiftbook_model::schedule::Date;

fn tally_cells(t: &Tally) -> impl IntoView + use<> {
    view! {
        <td>{format!("{} / {}", t.scanned, t.expected)}</td>
        <td>{t.cannot_scan}</td>
        <td>{t.unscanned}</td>
        <td>{t.at_desk}</td>
        <td>{t.too_fast}</td>
    }
}

fn tally_head(lang: Lang) -> impl IntoView {
    view! {
        <th>{Words::CoverageScanned.text(lang)}</th>
        <th>{Words::TagCannotScan.text(lang)}</th>
        <th>{Words::TagUnscanned.text(lang)}</th>
        <th>{Words::CoverageAtDesk.text(lang)}</th>
        <th>{Words::TooFast.text(lang)}</th>
    }
}

/// A table of sums by person or post.
fn sums_table(
    title: Words,
    sums: Vec<(String, Tally)>,
    lang: Lang,
    name: impl Fn(&str) -> String,
) -> impl IntoView {
    view! {
        <h3>{title.text(lang)}</h3>
        <table class="roster-table coverage-sums">
            <thead><tr><th></th><th>{Words::CoverageRounds.text(lang)}</th>{tally_head(lang)}</tr></thead>
            <tbody>
                {sums.into_iter().map(|(k, t)| view! {
                    <tr class:flagged=t.flagged()>
                        <td class="name">{name(&k)}</td>
                        <td>{t.rounds}</td>
                        {tally_cells(&t)}
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// The report of one day, today's first.
#[component]
pub fn CoverageReport() -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    let date = RwSignal::new(crate::platform::clock::today());
    let report = store.derived(move |store| {
        let day = Date::parse(&date.get()).ok()?;
        let now = crate::platform::clock::local(crate::platform::clock::now_ms())?;
        let lang = lang.get();
        let templates = store.templates();
        let checkpoints = store.checkpoints();
        let rounds = day_rounds(&templates, None, lang, day, now, |r| {
            store.round_progress(r)
        });
        let mut rows = Vec::new();
        for r in &rounds {
            let Some(t) = templates.iter().find(|t| t.id == r.round.template) else {
                continue;
            };
            let id = store.round_id(&r.round);
            let row = store
                .read(&id, |d| {
                    CoverageRow::build(d, &r.round, t, &checkpoints, r.title.clone(), r.due.clone())
                        .ok()
                        .flatten()
                })
                .flatten();
            rows.extend(row);
        }
        Some((
            rows,
            rounds.into_iter().map(|r| r.round).collect::<Vec<_>>(),
        ))
    });
    let asker = store.clone();
    Effect::new(move |_| {
        report.with(|r| {
            if let Some((_, rounds)) = r {
                asker.want_rounds(rounds.iter());
            }
        });
    });
    view! {
        <section class="card coverage screen-only" data-testid="coverage">
            <div class="scan-head">
                <h2>{move || Words::CoverageTitle.text(lang.get())}</h2>
                <label class="date-pick">
                    <span>{move || Msg::Date.text(lang.get())}</span>
                    <input type="date" name="coverage-date" prop:value=move || date.get()
                        on:change=move |ev| date.set(event_target_value(&ev))/>
                </label>
            </div>
            {move || {
                let lang = lang.get();
                let rows = report.get().map(|(rows, _)| rows).unwrap_or_default();
                if rows.is_empty() {
                    return view! { <p class="muted">{Words::CoverageNone.text(lang)}</p> }.into_any();
                }
                let people = summed(&rows, |r| r.people.clone());
                let posts = summed(&rows, |r| vec![r.post.clone()]);
                view! {
                    <table class="roster-table coverage-rounds">
                        <thead>
                            <tr>
                                <th>{Words::ChecklistName.text(lang)}</th>
                                <th>{Msg::Time.text(lang)}</th>
                                <th>{Words::CoveragePeople.text(lang)}</th>
                                {tally_head(lang)}
                                <th>{Words::CoverageMissing.text(lang)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {rows.into_iter().map(|r| {
                                let href = format!("#{}", crate::nav::route::Route::Round(r.round.clone()).fragment());
                                view! {
                                    <tr class:flagged=r.tally.flagged() data-round=r.round.path()>
                                        <td class="name"><a href=href>{r.title.clone()}</a></td>
                                        <td>{r.due.clone()}</td>
                                        <td>{r.people.join("、")}</td>
                                        {tally_cells(&r.tally)}
                                        <td>{r.missing.join("、")}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                    {sums_table(Words::CoverageByPerson, people, lang, str::to_owned)}
                    {sums_table(Words::CoverageByPost, posts, lang, |p| i18n::post(lang, p))}
                }
                .into_any()
            }}
        </section>
    }
}
