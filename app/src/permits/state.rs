//! Contractor work permits' side of the store (《工作联络单》): the monthly
//! permit boards (the month of the work date), opened offline from their
//! deterministic genesis, asked for from the server (this and next month;
//! also last month on the 1st, for night work running past midnight),
//! read for the screens, and every change written through
//! [`shiftbook_model::work_permit`] with the signed-in person's
//! attribution. The after-work sweep is an on-demand round of
//! [`work_permit::SWEEP_TEMPLATE`] that the permit records.

use crate::core::error::{AppError, AppProblem};
use crate::core::store::Store;
use crate::nav::route::RoundRef;
use crate::permits::view::{Context, PermitsView, SweepInfo, SweepProgress};
use crate::platform::random::random_bytes;
use shiftbook_model::attribution::Attribution;
use shiftbook_model::checklist;
use shiftbook_model::work_permit::{self, Application, Permit, SweepRound};
use shiftbook_model::{DocumentId, Lang, ModelError};

impl Store {
    /// The id of the site's permit board of `month`.
    pub fn permit_board_id(&self, month: &str) -> DocumentId {
        self.id(|ids| work_permit::document_id(ids, month))
    }

    /// The id of the board permit work on `date` is on, if `date` is one.
    pub fn permit_board_of(&self, date: &str) -> Option<DocumentId> {
        work_permit::month_of(date)
            .ok()
            .map(|month| self.permit_board_id(&month))
    }

    /// Open the permit boards of `months` (the screens): a board held here
    /// syncs as soon as the server may share it, where one only asked for
    /// waits for the next retry if nobody had uploaded it yet.
    pub fn open_permit_boards(&self, months: &[String]) {
        for month in months {
            if let Err(e) = self.open_permit_board(month) {
                crate::platform::log::web_sys_log(&format!("shiftbook: permit board {month}: {e}"));
            }
        }
    }

    /// Open the rounds of the permits' sweeps, for their progress (like
    /// the boards: held here, so they sync as soon as they may).
    pub fn open_sweep_rounds(&self, rounds: &[RoundRef]) {
        let Some(template) = self
            .template(work_permit::SWEEP_TEMPLATE)
            .or_else(|| shiftbook_model::template::builtin(work_permit::SWEEP_TEMPLATE))
        else {
            return;
        };
        for round in rounds {
            if let Err(e) = self.open_checklist(&template, &round.date) {
                crate::platform::log::web_sys_log(&format!(
                    "shiftbook: sweep round {}: {e}",
                    round.path()
                ));
            }
        }
    }

    /// Open the permit board of `month`, creating its deterministic genesis
    /// offline if this device does not hold it.
    fn open_permit_board(&self, month: &str) -> Result<DocumentId, AppError> {
        work_permit::validate_month(month).map_err(|e| self.refused(e))?;
        let id = self.permit_board_id(month);
        let owned = month.to_owned();
        self.ensure_site_document(&id, |site| work_permit::genesis(site, &owned))?;
        self.pump();
        Ok(id)
    }

    /// Ask the server for the boards of `months` this device does not hold.
    pub fn want_permit_boards(&self, months: &[String]) {
        let ids: Vec<DocumentId> = months.iter().map(|m| self.permit_board_id(m)).collect();
        self.want_missing(ids);
    }

    /// The permits of `months`' boards as the signed-in person sees them
    /// now.
    pub fn permits_view(&self, months: &[String], lang: Lang) -> Result<PermitsView, AppError> {
        let ids: Vec<DocumentId> = months.iter().map(|m| self.permit_board_id(m)).collect();
        let viewer = self.viewer();
        let flats = self.flats();
        let today = crate::platform::clock::today();
        let local = |ms: i64| crate::platform::clock::local(ms);
        let time = |ms: i64| crate::platform::clock::date_time(ms);
        let cx = Context {
            today: &today,
            now_ms: crate::platform::clock::now_ms(),
            local: &local,
            time: &time,
            flats: &flats,
            viewer: viewer.as_ref(),
            lang,
        };
        let sweep = |p: &Permit| self.sweep_info(p);
        let boards: Vec<automerge::Automerge> = ids
            .iter()
            .filter_map(|id| self.read(id, automerge::Automerge::clone))
            .collect();
        let refs: Vec<&automerge::Automerge> = boards.iter().collect();
        PermitsView::build(&refs, &cx, &sweep).map_err(|e| self.refused(e))
    }

    /// The latest sweep round of `p`: the round to open (its service day
    /// is found by trying the days around the start) and how far it got.
    fn sweep_info(&self, p: &Permit) -> Option<SweepInfo> {
        let sweep: &SweepRound = p.sweep()?;
        let started = p
            .sweeps
            .iter()
            .rev()
            .find(|e| e.sweep.as_ref() == Some(sweep))?
            .by
            .at_ms;
        let round_id = sweep.round.parse::<DocumentId>().ok()?;
        let site_key = self.borrow(|i| i.enrolment.site_key.clone());
        let day = crate::platform::clock::local(started)?.date;
        let date = [0, -1, 1]
            .into_iter()
            .filter_map(|d| day.checked_add_days(d))
            .map(|d| d.to_string())
            .find(|d| {
                DocumentId::derive(
                    &site_key,
                    &checklist::purpose(work_permit::SWEEP_TEMPLATE, d),
                ) == round_id
            });
        let progress = self
            .read(&round_id, |d| {
                if d.get_heads().is_empty() {
                    return None;
                }
                checklist::Checklist::new(d)
                    .and_then(|c| c.progress(&sweep.slot))
                    .ok()
            })
            .flatten();
        let progress = match progress {
            None => SweepProgress::NotHere,
            Some(checklist::Progress {
                finished: Some(f), ..
            }) => SweepProgress::Finished {
                by: f.by,
                at_ms: f.at_ms,
            },
            Some(checklist::Progress {
                started: Some(_), ..
            }) => SweepProgress::InProgress,
            Some(_) => SweepProgress::NotStarted,
        };
        Some(SweepInfo {
            round: date.map(|date| RoundRef {
                template: work_permit::SWEEP_TEMPLATE.to_owned(),
                date,
                slot: sweep.slot.clone(),
            }),
            progress,
        })
    }

    /// Change the board of work date `date`'s month as the signed-in
    /// person.
    fn edit_permits(
        &self,
        date: &str,
        f: impl FnOnce(
            &mut automerge::Automerge,
            &Attribution,
        ) -> Result<automerge::ChangeHash, ModelError>,
    ) -> Result<(), AppError> {
        let month = work_permit::month_of(date).map_err(|e| self.refused(e))?;
        let id = self.open_permit_board(&month)?;
        self.edit(&id, f)
    }

    /// Apply for a permit (anyone on duty) under a fresh id.
    pub fn apply_permit(&self, application: &Application) -> Result<(), AppError> {
        let id = crate::core::ids::new_id("permit", random_bytes::<4>());
        self.edit_permits(&application.date, |b, by| {
            work_permit::apply(b, &id, application, by)
        })
    }

    /// Approve permit `id` for work on `date` (leaders and supervisors).
    pub fn approve_permit(&self, date: &str, id: &str, note: &str) -> Result<(), AppError> {
        self.edit_permits(date, |b, by| work_permit::approve(b, id, note, by))
    }

    /// Reject permit `id` with a reason (leaders and supervisors).
    pub fn reject_permit(&self, date: &str, id: &str, reason: &str) -> Result<(), AppError> {
        self.edit_permits(date, |b, by| work_permit::reject(b, id, reason, by))
    }

    /// Security logs `people` coming in on permit `id`.
    pub fn permit_enter(&self, date: &str, id: &str, people: u32) -> Result<(), AppError> {
        self.edit_permits(date, |b, by| work_permit::enter(b, id, people, "", by))
    }

    /// Security logs `people` leaving, with the tools and materials check.
    pub fn permit_exit(
        &self,
        date: &str,
        id: &str,
        people: u32,
        tools_ok: bool,
        note: &str,
    ) -> Result<(), AppError> {
        self.edit_permits(date, |b, by| {
            work_permit::exit(b, id, people, tools_ok, note, by)
        })
    }

    /// A head count of the people on site.
    pub fn permit_count(&self, date: &str, id: &str, people: u32) -> Result<(), AppError> {
        self.edit_permits(date, |b, by| work_permit::count(b, id, people, "", by))
    }

    /// Start the after-work sweep of permit `id`: a new on-demand round of
    /// the sweep template, recorded on the permit; the round to open.
    pub fn start_permit_sweep(&self, date: &str, id: &str) -> Result<RoundRef, AppError> {
        let round = self.new_on_demand_round(work_permit::SWEEP_TEMPLATE);
        // The round's day exists before the permit names it, so a device
        // that sees the permit finds the round on the server.
        let template = self
            .template(work_permit::SWEEP_TEMPLATE)
            .or_else(|| shiftbook_model::template::builtin(work_permit::SWEEP_TEMPLATE))
            .ok_or(AppProblem::NoChecklist)?;
        let doc = self.open_checklist(&template, &round.date)?.to_string();
        self.edit_permits(date, |b, by| {
            work_permit::start_sweep(b, id, &doc, &round.slot, by)
        })?;
        Ok(round)
    }

    /// Close permit `id` (leaders and supervisors).
    pub fn close_permit(&self, date: &str, id: &str) -> Result<(), AppError> {
        self.edit_permits(date, |b, by| work_permit::close(b, id, "", by))
    }

    /// Cancel permit `id` with a reason.
    pub fn cancel_permit(&self, date: &str, id: &str, reason: &str) -> Result<(), AppError> {
        self.edit_permits(date, |b, by| work_permit::cancel(b, id, reason, by))
    }

    /// A note on permit `id`.
    pub fn permit_note(&self, date: &str, id: &str, text: &str) -> Result<(), AppError> {
        self.edit_permits(date, |b, by| work_permit::note(b, id, text, by))
    }
}
