//! The supervisor's dashboard, read from the projection:
//!
//! * `GET /api/dashboard/rounds?from=YYYY-MM-DD&to=YYYY-MM-DD[&site=S]`:
//!   the period's rounds counted — on time, late, made up, missed, in
//!   progress, open, on demand — in all and per site, post, person and day
//!   ([`shiftbook_model::round_figures`], which also has the answers'
//!   types the desktop reads);
//! * `GET /api/dashboard/slots?…[&post=P][&person=N][&day=D][&verdict=V]`:
//!   the slots behind a figure, one line each, with the round's document.
//!
//! Supervisors only (a device gets 403), and only for their sites: without
//! `site`, all of them; a site that is not theirs is 404, as if it did not
//! exist. Periods are at most [`MAX_DAYS`] days. "Now" is the server's
//! clock at the sites' UTC offset.

use crate::error::AppError;
use crate::principal::Principal;
use crate::projection::{self, Projection};
use crate::state::AppState;
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::IntoResponse;
use shiftbook_model::round_figures::{
    self as figures, RoundsAnswer, SiteRounds, SlotLine, SlotsAnswer, Verdict,
};
use shiftbook_model::schedule::{Date, LocalDateTime};

/// The longest period one request counts (a year and a day: a leap year).
pub const MAX_DAYS: i64 = 366;

/// Which rounds: the period, the site, and for slots a figure's filter.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct PeriodQuery {
    /// First service date.
    pub from: String,
    /// Last service date, included.
    pub to: String,
    /// One of the caller's sites; all of them when absent.
    pub site: Option<String>,
    /// Slots: only this post's.
    pub post: Option<String>,
    /// Slots: only rounds this person began.
    pub person: Option<String>,
    /// Slots: only this service date.
    pub day: Option<String>,
    /// Slots: only this verdict ([`Verdict::as_str`]).
    pub verdict: Option<String>,
}

/// The query of a dashboard or export request; a malformed one is 400,
/// saying what is asked for.
pub(crate) fn asked<T>(query: Result<Query<T>, QueryRejection>) -> Result<T, AppError> {
    query
        .map(|q| q.0)
        .map_err(|_| AppError::BadRequest("say which period: ?from=YYYY-MM-DD&to=YYYY-MM-DD"))
}

/// The checked period and sites of a query.
pub(crate) struct Period {
    /// First service date.
    pub(crate) from: Date,
    /// Last service date.
    pub(crate) to: Date,
    /// The sites, all the caller's.
    pub(crate) sites: Vec<String>,
}

/// The period and sites `q` asks for, checked against the caller: a
/// supervisor's own sites only, at most [`MAX_DAYS`] days.
pub(crate) fn period(who: &Principal, q: &PeriodQuery) -> Result<Period, AppError> {
    let Principal::Supervisor { sites: mine, .. } = who else {
        return Err(AppError::Forbidden("the dashboard is for supervisors"));
    };
    let from =
        Date::parse(&q.from).map_err(|_| AppError::BadRequest("from: a date, YYYY-MM-DD"))?;
    let to = Date::parse(&q.to).map_err(|_| AppError::BadRequest("to: a date, YYYY-MM-DD"))?;
    let days = to.days_since_epoch() - from.days_since_epoch();
    if days < 0 {
        return Err(AppError::BadRequest("the period ends before it starts"));
    }
    if days >= MAX_DAYS {
        return Err(AppError::BadRequest("a period of at most 366 days"));
    }
    let sites = match &q.site {
        Some(s) if mine.contains_key(s) => vec![s.clone()],
        Some(_) => return Err(AppError::NotFound),
        None => mine.keys().cloned().collect(),
    };
    Ok(Period { from, to, sites })
}

/// The local time now at the sites' offset.
fn local_now() -> Result<LocalDateTime, AppError> {
    projection::local(crate::store::now_ms(), projection::UTC_OFFSET_MIN).ok_or_else(|| {
        AppError::Store(crate::store::StoreError::Task(
            "the server's clock is out of range".into(),
        ))
    })
}

/// The local time now and the judged slots of `p`, read on the blocking
/// pool.
pub(crate) async fn judged_slots(
    state: &AppState,
    p: Period,
) -> Result<(LocalDateTime, Vec<SlotLine>), AppError> {
    let now = local_now()?;
    let data_dir = state
        .store
        .path()
        .parent()
        .map(std::path::Path::to_path_buf)
        .unwrap_or_default();
    let (from, to) = (p.from, p.to);
    let lines = tokio::task::spawn_blocking(move || -> Result<Vec<SlotLine>, AppError> {
        let projection = Projection::open_read(&data_dir)?;
        let mut sites = Vec::with_capacity(p.sites.len());
        for site in p.sites {
            sites.push(SiteRounds {
                templates: projection.templates(&site)?,
                rounds: projection.rounds(&site, &from.to_string(), &to.to_string())?,
                site,
            });
        }
        Ok(figures::slot_lines(&sites, from, to, now))
    })
    .await
    .map_err(|e| AppError::Store(crate::store::StoreError::Task(e.to_string())))??;
    Ok((now, lines))
}

/// `GET /api/dashboard/rounds`.
pub async fn rounds(
    State(state): State<AppState>,
    who: Principal,
    query: Result<Query<PeriodQuery>, QueryRejection>,
) -> Result<impl IntoResponse, AppError> {
    let q = asked(query)?;
    let p = period(&who, &q)?;
    let (from, to, sites) = (p.from, p.to, p.sites.clone());
    let (now, lines) = judged_slots(&state, p).await?;
    let answer = RoundsAnswer {
        from: from.to_string(),
        to: to.to_string(),
        now: now.to_string(),
        sites,
        figures: figures::figures(&lines, from, to),
    };
    Ok(([(header::CACHE_CONTROL, "no-store")], Json(answer)))
}

/// `GET /api/dashboard/slots`.
pub async fn slots(
    State(state): State<AppState>,
    who: Principal,
    query: Result<Query<PeriodQuery>, QueryRejection>,
) -> Result<impl IntoResponse, AppError> {
    let q = asked(query)?;
    let p = period(&who, &q)?;
    let verdict = match q.verdict.as_deref() {
        None | Some("") => None,
        Some(v) => Some(Verdict::parse(v).ok_or(AppError::BadRequest(
            "verdict: on_time, late, made_up, missed, in_progress, open or on_demand",
        ))?),
    };
    let (now, mut slots) = judged_slots(&state, p).await?;
    slots.retain(|l| {
        q.post.as_ref().is_none_or(|p| &l.post == p)
            && q.person
                .as_ref()
                .is_none_or(|p| l.person.as_ref() == Some(p))
            && q.day.as_ref().is_none_or(|d| &l.date == d)
            && verdict.is_none_or(|v| l.verdict == v)
    });
    Ok((
        [(header::CACHE_CONTROL, "no-store")],
        Json(SlotsAnswer {
            now: now.to_string(),
            slots,
        }),
    ))
}
