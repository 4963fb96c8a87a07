//! The dashboard screen: the period and the sites chosen at the top, the
//! period's totals, the day-by-day chart, the tables per post, person and
//! site; a tap on a figure lists the slots behind it underneath. Every
//! count is a button carrying `data-figure` (where it stands) and
//! `data-verdict`, so what a supervisor taps is what a test reads.

use super::chart::{self, Bar};
use super::fetch::{self, Filter};
use super::period::{self, BadRange, PeriodKind};
use super::words::Words;
use crate::core::store::Store;
use crate::core::supervisor::SupervisorSite;
use crate::words::i18n;
use leptos::prelude::*;
use shiftbook_model::Lang;
use shiftbook_model::round_figures::{Counts, RoundsAnswer, SlotLine, Verdict};
use shiftbook_model::schedule::Date;

/// What is being counted: the period and the site (`None`: all of the
/// supervisor's).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Asked {
    from: Date,
    to: Date,
    site: Option<String>,
}

/// The verdicts the tables show, in their order.
const COLUMNS: [Verdict; 4] = [
    Verdict::OnTime,
    Verdict::Late,
    Verdict::MadeUp,
    Verdict::Missed,
];

/// On time of the slots judged (walked or missed), as a percentage.
pub fn on_time_rate(c: &Counts) -> Option<u32> {
    let judged = c.on_time + c.late + c.made_up + c.missed;
    (judged > 0).then(|| (c.on_time * 100 + judged / 2) / judged)
}

fn rate_text(c: &Counts) -> String {
    on_time_rate(c).map_or_else(|| "—".to_owned(), |r| format!("{r}%"))
}

/// The dashboard.
#[component]
pub fn DashboardPanel(sites: Vec<SupervisorSite>) -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    let this_site = store.enrolment().site;
    let today = Date::parse(&crate::platform::clock::today()).ok();
    let kind = RwSignal::new(PeriodKind::Today);
    let month = today.and_then(|t| period::span(PeriodKind::Month, t, "", "").ok());
    let from_text = RwSignal::new(month.map(|m| m.0.to_string()).unwrap_or_default());
    let to_text = RwSignal::new(month.map(|m| m.1.to_string()).unwrap_or_default());
    let all_sites = RwSignal::new(false);
    let range_error: RwSignal<Option<BadRange>> = RwSignal::new(None);
    let asked: RwSignal<Option<Asked>> = RwSignal::new(None);
    let drill: RwSignal<Option<Filter>> = RwSignal::new(None);
    let names: Vec<(String, String)> = sites
        .iter()
        .map(|s| (s.id.clone(), s.name.clone()))
        .collect();
    let several = sites.len() > 1;

    let ask = {
        let this_site = this_site.clone();
        move || {
            let Some(today) = today else { return };
            match period::span(
                kind.get_untracked(),
                today,
                &from_text.get_untracked(),
                &to_text.get_untracked(),
            ) {
                Ok((from, to)) => {
                    range_error.set(None);
                    drill.set(None);
                    let site = (!all_sites.get_untracked()).then(|| this_site.clone());
                    asked.set(Some(Asked { from, to, site }));
                }
                Err(e) => range_error.set(Some(e)),
            }
        }
    };
    ask();

    let answer = LocalResource::new(move || {
        let q = asked.get();
        async move {
            match q {
                Some(q) => Some(fetch::rounds(q.from, q.to, q.site).await),
                None => None,
            }
        }
    });
    let slots = LocalResource::new(move || {
        let q = asked.get();
        let f = drill.get();
        async move {
            match (q, f) {
                (Some(q), Some(f)) => Some(fetch::slots(q.from, q.to, q.site, f).await),
                _ => None,
            }
        }
    });

    let ask_period = {
        let ask = ask.clone();
        move |k: PeriodKind| {
            kind.set(k);
            if k != PeriodKind::Range {
                ask();
            }
        }
    };
    let period_buttons = PeriodKind::ALL
        .into_iter()
        .map(|k| {
            let ask_period = ask_period.clone();
            let word = match k {
                PeriodKind::Today => Words::Today,
                PeriodKind::Week => Words::ThisWeek,
                PeriodKind::Month => Words::ThisMonth,
                PeriodKind::Range => Words::Range,
            };
            view! {
                <button class="btn secondary small" data-period=k.as_str()
                    class:selected=move || kind.get() == k
                    on:click=move |_| ask_period(k)>
                    {move || word.text(lang.get())}
                </button>
            }
        })
        .collect_view();
    let ask_range = ask.clone();
    let ask_sites = ask.clone();
    let site_choice = several.then(|| {
        view! {
            <div class="switch" data-testid="dashboard-sites">
                <button class="btn secondary small" data-sites="this" class:selected=move || !all_sites.get()
                    on:click={let ask = ask_sites.clone(); move |_| { all_sites.set(false); ask(); }}>
                    {move || Words::ThisSite.text(lang.get())}
                </button>
                <button class="btn secondary small" data-sites="all" class:selected=move || all_sites.get()
                    on:click={let ask = ask_sites.clone(); move |_| { all_sites.set(true); ask(); }}>
                    {move || Words::AllSites.text(lang.get())}
                </button>
            </div>
        }
    });

    view! {
        <main class="admin dashboard" data-testid="dashboard">
            <section class="card admin-head">
                <div>
                    <h1>{move || Words::Dashboard.text(lang.get())}</h1>
                    <p class="muted">{move || Words::DashboardHelp.text(lang.get())}</p>
                </div>
            </section>
            <section class="card dashboard-controls">
                <div class="switch" data-testid="dashboard-period">{period_buttons}</div>
                {move || (kind.get() == PeriodKind::Range).then(|| {
                    let ask = ask_range.clone();
                    view! {
                        <form class="date-pick" on:submit=move |ev| { ev.prevent_default(); ask(); }>
                            <input type="date" name="from" prop:value=move || from_text.get() on:input=move |ev| from_text.set(event_target_value(&ev))/>
                            <span>"–"</span>
                            <input type="date" name="to" prop:value=move || to_text.get() on:input=move |ev| to_text.set(event_target_value(&ev))/>
                            <button class="btn primary small" type="submit" data-action="show-range">{move || Words::Show.text(lang.get())}</button>
                        </form>
                    }
                })}
                {site_choice}
                {move || asked.get().map(|q| {
                    let href = |f: &str| fetch::export_href(q.from, q.to, q.site.as_deref(), f);
                    view! {
                        <div class="switch exports">
                            <a class="btn secondary small" data-export="csv" download="" href=href("csv")>{move || Words::ExportCsv.text(lang.get())}</a>
                            <a class="btn secondary small" data-export="xlsx" download="" href=href("xlsx")>{move || Words::ExportXlsx.text(lang.get())}</a>
                        </div>
                    }
                })}
                {move || range_error.get().map(|e| {
                    let w = match e {
                        BadRange::NotADate => Words::BadDate,
                        BadRange::Reversed => Words::Reversed,
                        BadRange::TooLong => Words::TooLong,
                    };
                    view! { <p class="error" role="alert">{w.text(lang.get())}</p> }
                })}
            </section>
            {move || match answer.get() {
                None | Some(None) => view! { <p class="card muted">{Words::Counting.text(lang.get())}</p> }.into_any(),
                Some(Some(Err(_))) => view! { <p class="card error" role="alert" data-testid="dashboard-error">{Words::NeedsNetwork.text(lang.get())}</p> }.into_any(),
                Some(Some(Ok(a))) => view! { <Figures answer=a names=names.clone() drill=drill lang=lang/> }.into_any(),
            }}
            {move || drill.get().map(|_| view! {
                <SlotsBehind slots=slots drill=drill lang=lang this_site=this_site.clone() several=several/>
            })}
        </main>
    }
}

/// A count that opens the slots behind it.
fn figure(
    value: u32,
    filter: Filter,
    place: &'static str,
    drill: RwSignal<Option<Filter>>,
) -> impl IntoView {
    let verdict = filter.verdict.map_or("", Verdict::as_str);
    view! {
        <button class="figure" data-figure=place data-verdict=verdict
            on:click=move |_| drill.set(Some(filter.clone()))>
            {value}
        </button>
    }
}

/// The period's figures.
#[component]
fn Figures(
    answer: RoundsAnswer,
    names: Vec<(String, String)>,
    drill: RwSignal<Option<Filter>>,
    lang: RwSignal<Lang>,
) -> impl IntoView {
    let f = answer.figures;
    let total = f.total;
    let all = |v: Verdict| Filter {
        verdict: Some(v),
        ..Filter::default()
    };
    let tiles = [
        Verdict::OnTime,
        Verdict::Late,
        Verdict::MadeUp,
        Verdict::Missed,
        Verdict::InProgress,
        Verdict::Open,
        Verdict::OnDemand,
    ]
    .into_iter()
    .map(|v| {
        view! {
            <div class="tile" data-tile=v.as_str()>
                <span class="tile-label">{move || v.text(lang.get())}</span>
                {figure(total.of(v), all(v), "total", drill)}
            </div>
        }
    })
    .collect_view();
    let bars = chart::bars(&f.by_day);
    let table = |title: Words,
                 rows: Vec<(String, String, Counts)>,
                 by: fn(&str) -> Filter,
                 place: &'static str| {
        view! {
            <section class="card dashboard-table">
                <h2>{move || title.text(lang.get())}</h2>
                <table class="roster-table" data-testid=format!("dashboard-{place}")>
                    <thead><tr>
                        <th></th>
                        <th>{move || Words::Due.text(lang.get())}</th>
                        {COLUMNS.into_iter().map(|v| view! { <th>{move || v.text(lang.get())}</th> }).collect_view()}
                        <th>{move || Words::OnTimeRate.text(lang.get())}</th>
                    </tr></thead>
                    <tbody>
                        {rows.into_iter().map(|(key, shown, c)| view! {
                            <tr data-row=key.clone()>
                                <td class="name">{shown}</td>
                                <td>{c.due}</td>
                                {COLUMNS.into_iter().map(|v| {
                                    let filter = Filter { verdict: Some(v), ..by(&key) };
                                    view! { <td>{figure(c.of(v), filter, place, drill)}</td> }
                                }).collect_view()}
                                <td class="rate">{rate_text(&c)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </section>
        }
    };
    let l = lang.get_untracked();
    let by_post: Vec<_> = f
        .by_post
        .iter()
        .map(|(k, c)| (k.clone(), i18n::post(l, k), *c))
        .collect();
    let by_person: Vec<_> = f
        .by_person
        .iter()
        .map(|(k, c)| (k.clone(), k.clone(), *c))
        .collect();
    let by_site: Vec<_> = f
        .by_site
        .iter()
        .map(|(k, c)| {
            let shown = names
                .iter()
                .find(|(id, _)| id == k)
                .map_or_else(|| k.clone(), |(_, n)| n.clone());
            (k.clone(), shown, *c)
        })
        .collect();
    let several_sites = by_site.len() > 1;
    view! {
        <section class="card dashboard-totals" data-testid="dashboard-totals" data-now=answer.now.clone()>
            <div class="tile due" data-tile="due">
                <span class="tile-label">{move || Words::Due.text(lang.get())}</span>
                <span class="figure" data-figure="total" data-verdict="due">{total.due}</span>
            </div>
            {tiles}
            <div class="tile rate" data-tile="rate">
                <span class="tile-label">{move || Words::OnTimeRate.text(lang.get())}</span>
                <span class="figure" data-figure="total" data-verdict="rate">{rate_text(&total)}</span>
            </div>
            <div class="tile" data-tile="abnormal">
                <span class="tile-label">{move || Words::AbnormalItems.text(lang.get())}</span>
                <span class="figure" data-figure="total" data-verdict="abnormal">{total.abnormal}</span>
            </div>
        </section>
        <section class="card dashboard-chart">
            <h2>{move || Words::DayByDay.text(lang.get())}</h2>
            <TrendChart bars=bars drill=drill lang=lang/>
        </section>
        {several_sites.then(|| table(Words::BySite, by_site, |_| Filter::default(), "site"))}
        {table(Words::ByPost, by_post, |k| Filter { post: Some(k.to_owned()), ..Filter::default() }, "post")}
        {table(Words::ByPerson, by_person, |k| Filter { person: Some(k.to_owned()), ..Filter::default() }, "person")}
    }
}

/// The day-by-day bars; a bar opens its day's slots.
#[component]
fn TrendChart(
    bars: Vec<Bar>,
    drill: RwSignal<Option<Filter>>,
    lang: RwSignal<Lang>,
) -> impl IntoView {
    let view_box = format!("0 0 {} {}", chart::WIDTH, chart::HEIGHT);
    let baseline = chart::HEIGHT - chart::AXIS;
    view! {
        <svg class="trend" data-testid="dashboard-chart" viewBox=view_box role="img" preserveAspectRatio="none">
            <line x1="0" x2=chart::WIDTH y1=baseline y2=baseline class="axis"/>
            {bars.into_iter().map(|b| {
                let day = b.date.clone();
                let label_x = b.x + b.width / 2.0;
                let label = b.labelled.then(|| view! {
                    <text x=label_x y=chart::HEIGHT - 6.0 class="date">{b.date.get(5..).unwrap_or_default().to_owned()}</text>
                });
                view! {
                    <g class="bar" data-day=b.date.clone()
                        on:click=move |_| drill.set(Some(Filter { day: Some(day.clone()), ..Filter::default() }))>
                        {b.segments.into_iter().map(|s| {
                            let date = b.date.clone();
                            view! {
                                <rect x=b.x y=s.y width=b.width height=s.height class="seg" data-verdict=s.verdict.as_str()>
                                    <title>{move || format!("{date} {} {}", s.verdict.text(lang.get()), s.count)}</title>
                                </rect>
                            }
                        }).collect_view()}
                        {label}
                    </g>
                }
            }).collect_view()}
        </svg>
        <p class="chart-legend">
            {chart::STACKED.into_iter().map(|v| view! {
                <span class="swatch" data-verdict=v.as_str()>{move || v.text(lang.get())}</span>
            }).collect_view()}
        </p>
    }
}

/// The slots behind the figure tapped.
#[component]
fn SlotsBehind(
    slots: LocalResource<
        Option<
            Result<shiftbook_model::round_figures::SlotsAnswer, crate::core::enrolment::EnrolError>,
        >,
    >,
    drill: RwSignal<Option<Filter>>,
    lang: RwSignal<Lang>,
    this_site: String,
    several: bool,
) -> impl IntoView {
    let row = move |l: SlotLine, lang: Lang| {
        let link = (l.site == this_site && l.due.is_some())
            .then(|| format!("#round/{}/{}/{}", l.template_id, l.date, l.slot));
        view! {
            <tr data-slot=format!("{}/{}/{}", l.template_id, l.date, l.slot) data-verdict=l.verdict.as_str() class:flagged=matches!(l.verdict, Verdict::Missed | Verdict::Late | Verdict::MadeUp)>
                {several.then(|| view! { <td>{l.site.clone()}</td> })}
                <td>{l.date.clone()}</td>
                <td>{l.due.as_deref().and_then(|d| d.get(11..)).unwrap_or("—").to_owned()}</td>
                <td class="name">{l.title.clone()}</td>
                <td>{i18n::post(lang, &l.post)}</td>
                <td>{l.person.clone().unwrap_or_default()}</td>
                <td>{l.started.as_deref().and_then(|d| d.get(11..)).unwrap_or("").to_owned()}</td>
                <td>{l.finished.as_deref().and_then(|d| d.get(11..)).unwrap_or("").to_owned()}</td>
                <td>{l.verdict.text(lang)}</td>
                <td>{(l.abnormal > 0).then_some(l.abnormal)}</td>
                <td>{link.map(|href| view! { <a class="btn secondary small" href=href>{Words::OpenRound.text(lang)}</a> })}</td>
            </tr>
        }
    };
    // Opened below the figures: bring it into sight, and again once its
    // rows have come.
    let section = NodeRef::<leptos::html::Section>::new();
    Effect::new(move |_| {
        slots.track();
        if let Some(el) = section.get() {
            el.scroll_into_view();
        }
    });
    view! {
        <section class="card dashboard-slots" data-testid="dashboard-slots" node_ref=section>
            <div class="admin-head">
                <h2>{move || Words::Behind.text(lang.get())}</h2>
                <button class="btn ghost-dark small" data-action="close-slots" on:click=move |_| drill.set(None)>
                    {move || Words::Close.text(lang.get())}
                </button>
            </div>
            {move || {
                let l = lang.get();
                match slots.get() {
                    None | Some(None) => view! { <p class="muted">{Words::Counting.text(l)}</p> }.into_any(),
                    Some(Some(Err(_))) => view! { <p class="error" role="alert">{Words::NeedsNetwork.text(l)}</p> }.into_any(),
                    Some(Some(Ok(a))) if a.slots.is_empty() => view! { <p class="muted" data-testid="no-slots">{Words::NoSlots.text(l)}</p> }.into_any(),
                    Some(Some(Ok(a))) => view! {
                        <table class="roster-table">
                            <thead><tr>
                                {several.then(|| view! { <th>{Words::Site.text(l)}</th> })}
                                <th>{Words::Date.text(l)}</th>
                                <th>{Words::DueAt.text(l)}</th>
                                <th>{Words::Checklist.text(l)}</th>
                                <th>{crate::words::i18n::Msg::Posts.text(l)}</th>
                                <th>{Words::Person.text(l)}</th>
                                <th>{Words::Started.text(l)}</th>
                                <th>{Words::Finished.text(l)}</th>
                                <th>{Words::Result.text(l)}</th>
                                <th>{Words::AbnormalItems.text(l)}</th>
                                <th></th>
                            </tr></thead>
                            <tbody>{a.slots.into_iter().map(|s| row.clone()(s, l)).collect_view()}</tbody>
                        </table>
                    }.into_any(),
                }
            }}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_on_time_rate_counts_walked_and_missed_slots_only() {
        let c = Counts {
            on_time: 7,
            late: 1,
            made_up: 1,
            missed: 1,
            open: 5,
            in_progress: 2,
            due: 17,
            ..Counts::default()
        };
        assert_eq!(on_time_rate(&c), Some(70));
        assert_eq!(
            on_time_rate(&Counts {
                open: 3,
                due: 3,
                ..Counts::default()
            }),
            None
        );
        assert_eq!(
            on_time_rate(&Counts {
                on_time: 2,
                missed: 1,
                due: 3,
                ..Counts::default()
            }),
            Some(67)
        );
    }
}
