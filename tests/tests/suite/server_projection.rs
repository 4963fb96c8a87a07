//! The supervisors' figures kept up by the real server: a round a tablet
//! uploads is in the projection moments after the server acknowledged it,
//! a later mark updates it, and `sync-server reproject` rebuilds the same
//! rows from the stored documents.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use shiftbook_model::checklist::{self, Status};
use shiftbook_model::round_figures::ProjectedRound;
use shiftbook_tests::fixtures;
use shiftbook_tests::native_tablet::NativeTablet;
use shiftbook_tests::rounds::{LOBBY_SLOT, Round};
use shiftbook_tests::server_process::{ServerProcess, enroll, reproject};
use std::path::Path;
use std::time::{Duration, Instant};
use sync_server::projection::Projection;

const WAIT: Duration = Duration::from_secs(10);
const DATE: &str = "2026-11-23";

/// The projected rounds of `site` on [`DATE`] once `ok` holds of them.
async fn rounds_when(
    data: &Path,
    site: &str,
    ok: impl Fn(&[ProjectedRound]) -> bool,
) -> Vec<ProjectedRound> {
    let until = Instant::now() + WAIT;
    loop {
        let rounds = Projection::open(data)
            .unwrap()
            .rounds(site, DATE, DATE)
            .unwrap();
        if ok(&rounds) {
            return rounds;
        }
        assert!(
            Instant::now() < until,
            "the projection never showed it: {rounds:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn an_uploaded_round_is_projected_and_reproject_rebuilds_the_same_rows() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let token = enroll(data, "site-a", "a1").unwrap();
    let mut server = ServerProcess::start(data).await.unwrap();
    let tablet = NativeTablet::connect_ready(server.addr(), &token, WAIT)
        .await
        .unwrap();
    let key = fixtures::site_key(server.addr(), &token).await.unwrap();
    let round = Round::lobby_opening("site-a", DATE);
    let id = round.id(&key);
    let author = |at| fixtures::staff_author("a1", at);
    round.open(&tablet, id, &author(500)).unwrap();
    tablet
        .change(id, |d| {
            checklist::mark(d, LOBBY_SLOT, "doors", Status::Normal, "", &author(1_000)).unwrap()
        })
        .unwrap();
    tablet.wait_confirmed(id, WAIT).await.unwrap();
    let rounds = rounds_when(data, "site-a", |r| r.first().is_some_and(|r| r.marked == 1)).await;
    assert_eq!(rounds.len(), 1);
    assert_eq!(
        (rounds[0].slot.as_str(), rounds[0].template_id.as_str()),
        (LOBBY_SLOT, "lobby-opening")
    );

    // A later × updates the same round's row.
    tablet
        .change(id, |d| {
            checklist::mark(
                d,
                LOBBY_SLOT,
                "lifts",
                Status::Abnormal,
                "2号梯异响",
                &author(2_000),
            )
            .unwrap()
        })
        .unwrap();
    tablet.wait_confirmed(id, WAIT).await.unwrap();
    let rounds = rounds_when(data, "site-a", |r| r.first().is_some_and(|r| r.marked == 2)).await;
    assert_eq!((rounds.len(), rounds[0].abnormal), (1, 1));
    // Another site sees none of it.
    assert!(
        Projection::open(data)
            .unwrap()
            .rounds("site-b", DATE, DATE)
            .unwrap()
            .is_empty()
    );

    // Rebuilt from the documents while the server runs: the same rows.
    let kept = Projection::open(data).unwrap().dump().unwrap();
    let said = reproject(data).unwrap();
    assert!(said.contains("projected"), "{said}");
    assert_eq!(Projection::open(data).unwrap().dump().unwrap(), kept);

    // Deleted while the server is down, it is rebuilt on the next start.
    server.kill().unwrap();
    for suffix in ["", "-wal", "-shm"] {
        let file = data.join(format!("{}{suffix}", sync_server::projection::FILE));
        if file.exists() {
            std::fs::remove_file(file).unwrap();
        }
    }
    server.start_again().await.unwrap();
    let rounds = rounds_when(data, "site-a", |r| r.len() == 1).await;
    assert_eq!(rounds[0].marked, 2);
    assert_eq!(Projection::open(data).unwrap().dump().unwrap(), kept);
}
