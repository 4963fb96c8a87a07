//! Server receipt times against the real `sync-server` binary on
//! 127.0.0.1: a tablet's changes (the round's start and its mark) get the
//! server's clock time once synced,
//! `GET /api/receipts/{doc}` shows it to the site's devices and
//! supervisors only, and a restart changes nothing.
//!
//! Build the binary first: `cargo build -p sync-server`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use automerge::ReadDoc as _;
use shiftbook_model::attribution::Attribution;
use shiftbook_model::checklist::{self, Status};
use shiftbook_model::{DocumentId, SiteKey};
use shiftbook_tests::fixtures;
use shiftbook_tests::native_tablet::NativeTablet;
use shiftbook_tests::rounds::{LOBBY_SLOT, Round};
use shiftbook_tests::server_process::{
    HttpResponse, ServerProcess, add_supervisor, enroll, http_get, http_request,
};
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use sync_server::receipts::ReceiptsInfo;

/// Upper bound for anything a test waits for.
const WAIT: Duration = Duration::from_secs(10);
const DATE: &str = "2026-11-23";
const PASSWORD: &str = "correct horse 电池";

fn now_ms() -> i64 {
    let d = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    i64::try_from(d.as_millis()).unwrap()
}

async fn site_key(addr: SocketAddr, token: &str) -> SiteKey {
    fixtures::site_key(addr, token).await.unwrap()
}

fn author(device: &str, at_ms: i64) -> Attribution {
    fixtures::staff_author(device, at_ms)
}

/// Log `user` in; the session cookie's value.
async fn login(addr: SocketAddr, user: &str) -> String {
    let r = fixtures::login(addr, user, PASSWORD).await.unwrap();
    assert_eq!(r.status, 200, "{}", r.body);
    let set = r.header("set-cookie").unwrap();
    let first = set.split(';').next().unwrap();
    first.strip_prefix("shiftbook_session=").unwrap().to_owned()
}

fn receipts_path(id: &DocumentId) -> String {
    format!("/api/receipts/{id}")
}

async fn get_receipts(addr: SocketAddr, path: &str, headers: &[(&str, &str)]) -> HttpResponse {
    http_request(addr, "GET", path, headers, None)
        .await
        .unwrap()
}

/// The receipts `token` reads for `id`, checking the response's form.
async fn receipts(addr: SocketAddr, token: &str, id: &DocumentId) -> BTreeMap<String, i64> {
    let bearer = format!("Bearer {token}");
    let r = get_receipts(addr, &receipts_path(id), &[("Authorization", &bearer)]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.header("cache-control"), Some("no-store"));
    let info: ReceiptsInfo = serde_json::from_str(&r.body).unwrap();
    assert_eq!(info.doc, id.to_string());
    info.receipts
}

/// Poll until `id` has `n` receipts.
async fn wait_for_receipts(
    addr: SocketAddr,
    token: &str,
    id: &DocumentId,
    n: usize,
) -> BTreeMap<String, i64> {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let got = receipts(addr, token, id).await;
        if got.len() >= n {
            return got;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{n} receipts never appeared: {got:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_synced_mark_gets_the_servers_receipt_time_for_its_site_only() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = ServerProcess::start(dir.path()).await.unwrap();
    let addr = server.addr();
    let a1_token = enroll(dir.path(), "site-a", "a1").unwrap();
    let a2_token = enroll(dir.path(), "site-a", "a2").unwrap();
    let b1_token = enroll(dir.path(), "site-b", "b1").unwrap();
    add_supervisor(dir.path(), "zhang", &["site-a"], PASSWORD).unwrap();
    add_supervisor(dir.path(), "li", &["site-b"], PASSWORD).unwrap();
    let round = Round::lobby_opening("site-a", DATE);
    let id = round.id(&site_key(addr, &a1_token).await);

    // a1 uploads a round, started (a round must be started before it is
    // marked) and with one mark, and sees it confirmed.
    let a1 = NativeTablet::connect_ready(addr, &a1_token, WAIT)
        .await
        .unwrap();
    let genesis_hash = round.genesis().unwrap().get_heads()[0];
    let before = now_ms();
    let start = round.open(&a1, id, &author("a1", 500)).unwrap();
    let mark = a1
        .change(id, |d| {
            checklist::mark(
                d,
                LOBBY_SLOT,
                "doors",
                Status::Normal,
                "",
                &author("a1", 1_000),
            )
            .unwrap()
        })
        .unwrap();
    a1.wait_confirmed(id, WAIT).await.unwrap();
    let confirmed = now_ms();

    // Exactly a1's two changes, the start and the mark (the start is an
    // attributed change by a1 like the mark), not genesis (nobody's), at
    // the server's time of receipt.
    let got = wait_for_receipts(addr, &a1_token, &id, 2).await;
    let seen = now_ms();
    let mut mine = vec![start.to_string(), mark.to_string()];
    mine.sort();
    assert_eq!(got.keys().cloned().collect::<Vec<_>>(), mine);
    assert!(!got.contains_key(&genesis_hash.to_string()));
    for (change, device_ms) in [(start, 500), (mark, 1_000)] {
        let at = got[&change.to_string()];
        assert!(before <= at, "received {at} before the upload at {before}");
        // The receipt is written with the change, before the
        // acknowledgement leaves.
        assert!(
            at <= seen && at <= confirmed,
            "received {at}, confirmed {confirmed}, seen {seen}"
        );
        assert_ne!(at, device_ms, "the device's time is not the receipt time");
    }
    let (at_start, at) = (got[&start.to_string()], got[&mark.to_string()]);

    // The site's other device and its supervisor read the same.
    assert_eq!(receipts(addr, &a2_token, &id).await, got);
    let zhang = format!("shiftbook_session={}", login(addr, "zhang").await);
    let r = get_receipts(addr, &receipts_path(&id), &[("Cookie", &zhang)]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.header("cache-control"), Some("no-store"));
    let info: ReceiptsInfo = serde_json::from_str(&r.body).unwrap();
    assert_eq!(info.receipts, got);
    // Who uploaded each: the authenticated device, whatever a change says.
    assert_eq!(
        info.uploaded_by,
        got.keys().map(|h| (h.clone(), "a1".to_owned())).collect()
    );

    // Another site's device and supervisor get what a missing document gets.
    let missing = DocumentId::from_random([9; 16]);
    let (status, not_found) = http_get(addr, &receipts_path(&missing), Some(&b1_token))
        .await
        .unwrap();
    assert_eq!(status, 404);
    assert_eq!(
        http_get(addr, &receipts_path(&id), Some(&b1_token))
            .await
            .unwrap(),
        (404, not_found)
    );
    let li = format!("shiftbook_session={}", login(addr, "li").await);
    let r = get_receipts(addr, &receipts_path(&id), &[("Cookie", &li)]).await;
    assert_eq!(r.status, 404, "{}", r.body);

    // No credentials: 401; a malformed id: 400.
    assert_eq!(
        http_get(addr, &receipts_path(&id), None).await.unwrap().0,
        401
    );
    let (status, body) = http_get(addr, "/api/receipts/not-a-document", Some(&a1_token))
        .await
        .unwrap();
    assert_eq!(
        (status, body.trim()),
        (400, "bad request: not a document id")
    );

    // After a hard restart the receipts are still there, unchanged, also
    // once the server reopens the document and a2 resumes the round (as
    // the app does before marking) and adds a mark.
    drop(a1);
    server.restart().await.unwrap();
    assert_eq!(receipts(addr, &a1_token, &id).await, got);
    let a2 = NativeTablet::connect_ready(addr, &a2_token, WAIT)
        .await
        .unwrap();
    a2.want(id);
    a2.wait_until("a2 to receive the round", WAIT, |c| {
        c.doc(&id)
            .is_some_and(|d| d.get_change_by_hash(&mark).is_some())
    })
    .await
    .unwrap();
    let restarted = now_ms();
    let resume = round.start(&a2, id, &author("a2", 1_500)).unwrap();
    // An × on the lifts needs a note.
    let lifts = a2
        .change(id, |d| {
            checklist::mark(
                d,
                LOBBY_SLOT,
                "lifts",
                Status::Abnormal,
                "2号梯异响",
                &author("a2", 2_000),
            )
            .unwrap()
        })
        .unwrap();
    a2.wait_confirmed(id, WAIT).await.unwrap();
    // a1's start and mark, a2's start and mark: four receipts.
    let after = wait_for_receipts(addr, &a2_token, &id, 4).await;
    assert_eq!(after.len(), 4, "{after:?}");
    assert_eq!(
        after[&start.to_string()],
        at_start,
        "a1's start keeps its receipt"
    );
    assert_eq!(after[&mark.to_string()], at, "the first receipt is kept");
    assert!(after[&resume.to_string()] >= restarted);
    assert!(after[&lifts.to_string()] >= restarted);
    assert_eq!(receipts(addr, &a1_token, &id).await, after);
}
