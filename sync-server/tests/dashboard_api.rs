//! `GET /api/dashboard/rounds` and `/api/dashboard/slots` through the
//! router: who may ask, which periods, and figures that match the rounds
//! stored and the schedule.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{TestApp, body_text, built_app, session};
use shiftbook_model::attribution::Attribution;
use shiftbook_model::checklist::{self, Status};
use shiftbook_model::roster::Role;
use shiftbook_model::round_figures::{RoundsAnswer, SlotsAnswer};
use shiftbook_model::schedule::{Date, LocalDateTime, slots_on};
use shiftbook_model::template::builtins;
use sync_server::doc_store::{DocStore, NewChange, WriteOp};
use sync_server::principal::Uploader;
use sync_server::projection::{Projection, UTC_OFFSET_MIN};

const DAY: &str = "2026-11-23";

async fn get(app: &TestApp, uri: &str, cookie: Option<&str>) -> (StatusCode, String) {
    let mut req = Request::get(uri);
    if let Some(c) = cookie {
        req = req.header("cookie", format!("shiftbook_session={c}"));
    }
    let r = app.send(req.body(Body::empty()).unwrap()).await;
    (r.status(), body_text(r).await)
}

/// Store the lobby-opening round of [`DAY`] in `site`, begun 08:35 and
/// finished 08:50 by 张伟 with one ×, and project everything.
fn walk_lobby_round(app: &TestApp, site: &str) {
    let t = builtins()
        .into_iter()
        .find(|t| t.id == "lobby-opening")
        .unwrap();
    let mut doc = checklist::genesis(site, &t.id, DAY).unwrap();
    doc.set_actor(automerge::ActorId::from(vec![7; 16]));
    let at = |hh: i64, mm: i64| {
        let local = LocalDateTime::parse(&format!("{DAY} {hh:02}:{mm:02}")).unwrap();
        (local.epoch_minutes() - i64::from(UTC_OFFSET_MIN)) * 60_000
    };
    let by = |at_ms| Attribution {
        person_id: "p1".into(),
        person: "张伟".into(),
        role: Role::Staff,
        device: "a1".into(),
        at_ms,
    };
    checklist::mark_starting(
        &mut doc,
        &t,
        "0830",
        "doors",
        Status::Normal,
        "",
        &by(at(8, 35)),
    )
    .unwrap();
    checklist::mark(
        &mut doc,
        "0830",
        "lighting",
        Status::Abnormal,
        "灯坏",
        &by(at(8, 40)),
    )
    .unwrap();
    checklist::finish(&mut doc, "0830", &by(at(8, 50))).unwrap();
    let changes = doc
        .get_changes(&[])
        .into_iter()
        .map(|c| NewChange::of(&c, Uploader::Server, 0))
        .collect();
    let mut docs = DocStore::open(app.dir.path()).unwrap();
    let id = shiftbook_model::DocumentId::from_random([9; 16]);
    let op = WriteOp::Persist {
        changes,
        claim_for: Some(site.into()),
    };
    docs.commit(&[(id, op)]).unwrap().pop().unwrap().unwrap();
    Projection::open(app.dir.path())
        .unwrap()
        .rebuild(&docs)
        .unwrap();
}

#[tokio::test]
async fn only_a_supervisor_of_the_site_asks_and_only_for_a_sensible_period() {
    let app_dir = built_app();
    let app = TestApp::new(app_dir.path()).await;
    let device = app.enroll("site-a", "a1");
    let cookie = session(&app, "zhang", &["site-a"]);
    let q = format!("/api/dashboard/rounds?from={DAY}&to={DAY}");
    assert_eq!(get(&app, &q, None).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.get(&q, Some(device.token.reveal())).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        get(&app, &format!("{q}&site=site-b"), Some(&cookie))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    for bad in [
        "/api/dashboard/rounds?from=2026-11-23",
        "/api/dashboard/rounds?from=23.11.2026&to=2026-11-23",
        "/api/dashboard/rounds?from=2026-11-24&to=2026-11-23",
        "/api/dashboard/rounds?from=2025-01-01&to=2026-11-23",
        "/api/dashboard/slots?from=2026-11-23&to=2026-11-23&verdict=lost",
    ] {
        let (status, body) = get(&app, bad, Some(&cookie)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {body}");
    }
    assert_eq!(get(&app, &q, Some(&cookie)).await.0, StatusCode::OK);
}

#[tokio::test]
async fn a_past_day_counts_the_walked_round_and_every_other_slot_missed() {
    let app_dir = built_app();
    let app = TestApp::new(app_dir.path()).await;
    let cookie = session(&app, "zhang", &["site-a", "site-b"]);
    walk_lobby_round(&app, "site-a");
    // The schedule says how many slots the built-ins have that day.
    let day = Date::parse(DAY).unwrap();
    let scheduled: u32 = builtins()
        .iter()
        .filter(|t| t.active)
        .filter_map(|t| t.schedule.as_ref())
        .map(|s| slots_on(s, day).unwrap().len() as u32)
        .sum();
    assert!(scheduled > 1);

    let (status, body) = get(
        &app,
        &format!("/api/dashboard/rounds?from={DAY}&to={DAY}&site=site-a"),
        Some(&cookie),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let a: RoundsAnswer = serde_json::from_str(&body).unwrap();
    let total = a.figures.total;
    assert_eq!(a.sites, ["site-a"]);
    assert_eq!(
        (total.due, total.on_time, total.missed, total.abnormal),
        (scheduled, 1, scheduled - 1, 1)
    );
    assert_eq!(a.figures.by_person["张伟"].on_time, 1);
    assert_eq!(a.figures.by_post["lobby"].on_time, 1);

    // Both sites: site-b walked nothing.
    let (_, body) = get(
        &app,
        &format!("/api/dashboard/rounds?from={DAY}&to={DAY}"),
        Some(&cookie),
    )
    .await;
    let both: RoundsAnswer = serde_json::from_str(&body).unwrap();
    assert_eq!(both.sites, ["site-a", "site-b"]);
    assert_eq!(both.figures.by_site["site-b"].missed, scheduled);
    assert_eq!(both.figures.total.due, 2 * scheduled);

    // The figure opens the rounds behind it.
    let (_, body) = get(
        &app,
        &format!("/api/dashboard/slots?from={DAY}&to={DAY}&site=site-a&verdict=on_time"),
        Some(&cookie),
    )
    .await;
    let on_time: SlotsAnswer = serde_json::from_str(&body).unwrap();
    assert_eq!(on_time.slots.len(), 1);
    let line = &on_time.slots[0];
    assert_eq!(
        (
            line.template_id.as_str(),
            line.slot.as_str(),
            line.person.as_deref(),
            line.started.as_deref()
        ),
        (
            "lobby-opening",
            "0830",
            Some("张伟"),
            Some("2026-11-23 08:35")
        )
    );
    assert!(line.doc_id.is_some());
    let (_, body) = get(
        &app,
        &format!("/api/dashboard/slots?from={DAY}&to={DAY}&site=site-a&verdict=missed"),
        Some(&cookie),
    )
    .await;
    let missed: SlotsAnswer = serde_json::from_str(&body).unwrap();
    assert_eq!(missed.slots.len() as u32, scheduled - 1);
    assert!(
        missed
            .slots
            .iter()
            .all(|l| l.person.is_none() && l.doc_id.is_none())
    );
}

#[tokio::test]
async fn the_rounds_export_as_csv_and_xlsx_reads_back_as_the_slots() {
    use calamine::Reader as _;
    let app_dir = built_app();
    let app = TestApp::new(app_dir.path()).await;
    let cookie = session(&app, "zhang", &["site-a"]);
    walk_lobby_round(&app, "site-a");
    let (_, body) = get(
        &app,
        &format!("/api/dashboard/slots?from={DAY}&to={DAY}&site=site-a"),
        Some(&cookie),
    )
    .await;
    let slots: SlotsAnswer = serde_json::from_str(&body).unwrap();

    let fetch = |format: &'static str| {
        let uri = format!("/api/export/rounds?from={DAY}&to={DAY}&site=site-a&format={format}");
        let req = Request::get(uri)
            .header("cookie", format!("shiftbook_session={cookie}"))
            .body(Body::empty())
            .unwrap();
        app.send(req)
    };
    let r = fetch("csv").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment;")
    );
    let bytes = axum::body::to_bytes(r.into_body(), usize::MAX)
        .await
        .unwrap();
    let mut csv = csv::Reader::from_reader(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap());
    assert_eq!(
        csv.headers().unwrap().iter().collect::<Vec<_>>(),
        sync_server::export::ROUND_COLUMNS
    );
    let rows: Vec<Vec<String>> = csv
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    assert_eq!(rows.len(), slots.slots.len(), "one row per slot");
    // The walked round: who, when, how.
    let walked = rows.iter().find(|r| r[5] == "张伟").unwrap();
    assert_eq!(
        (
            walked[1].as_str(),
            walked[4].as_str(),
            walked[6].as_str(),
            walked[7].as_str(),
            walked[8].as_str(),
            walked[9].as_str()
        ),
        (DAY, "08:30", "08:35", "08:50", "按时", "1")
    );
    assert_eq!(
        rows.iter().filter(|r| r[8] == "漏巡").count(),
        slots.slots.len() - 1
    );

    let r = fetch("xlsx").await;
    assert_eq!(r.status(), StatusCode::OK);
    let bytes = axum::body::to_bytes(r.into_body(), usize::MAX)
        .await
        .unwrap();
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let sheet = book.worksheet_range("巡查记录").unwrap();
    let cells: Vec<Vec<String>> = sheet
        .rows()
        .map(|row| row.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(cells[0], sync_server::export::ROUND_COLUMNS);
    assert_eq!(
        &cells[1..],
        &rows[..],
        "the spreadsheet holds what the CSV holds"
    );

    assert_eq!(fetch("pdf").await.status(), StatusCode::BAD_REQUEST);
}
