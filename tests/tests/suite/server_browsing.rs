//! One site's supervisor browsing a year of day documents must not slow
//! the site's tablets: their round trip (a change until the server
//! confirms it) is measured before, during and after the browsing in the
//! same run, and compared — not against an absolute time.
//!
//! Build the binary first: `cargo build -p sync-server`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use automerge::transaction::Transactable as _;
use automerge::{Automerge, ROOT};
use shiftbook_model::DocumentId;
use shiftbook_tests::fixtures;
use shiftbook_tests::native_tablet::NativeTablet;
use shiftbook_tests::server_process::{ServerProcess, add_supervisor, enroll};
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(30);
const PASSWORD: &str = "correct horse battery";
const DAYS: usize = 365;

fn doc(key: &str) -> Automerge {
    let mut d = Automerge::new();
    d.transact::<_, _, automerge::AutomergeError>(|tx| {
        tx.put(ROOT, key, 1)?;
        Ok(())
    })
    .unwrap();
    d
}

/// One round trip per tablet, in turn, at least `samples` of them and
/// until `done` holds: the median.
async fn median_round_trip(
    tablets: &[(NativeTablet, DocumentId)],
    samples: usize,
    done: impl Fn() -> bool,
) -> Duration {
    let mut times = Vec::new();
    let mut s = 0;
    while s < samples || !done() {
        s += 1;
        let (t, id) = &tablets[s % tablets.len()];
        let start = Instant::now();
        t.change(*id, |d| {
            d.transact::<_, _, automerge::AutomergeError>(|tx| {
                tx.put(ROOT, "n", s as i64)?;
                Ok(())
            })
            .unwrap();
        })
        .unwrap();
        t.wait_confirmed(*id, WAIT).await.unwrap();
        times.push(start.elapsed());
    }
    times.sort();
    times[times.len() / 2]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_supervisor_browsing_a_year_does_not_slow_the_sites_tablets() {
    let dir = tempfile::tempdir().unwrap();
    let server = ServerProcess::start(dir.path()).await.unwrap();
    let tokens: Vec<String> = (0..10)
        .map(|n| enroll(dir.path(), "site-a", &format!("t{n}")).unwrap())
        .collect();
    add_supervisor(dir.path(), "zhang", &["site-a"], PASSWORD).unwrap();
    let key = fixtures::site_key(server.addr(), &tokens[0]).await.unwrap();

    // A year of duty-log days, two thirds of them written.
    let writer = NativeTablet::connect_ready(server.addr(), &tokens[0], WAIT)
        .await
        .unwrap();
    let days: Vec<(DocumentId, String)> = (0..DAYS)
        .map(|d| {
            let purpose = format!("duty-log/day-{d}");
            (DocumentId::derive(&key, &purpose), purpose)
        })
        .collect();
    for (n, (id, purpose)) in days.iter().enumerate() {
        writer.note_purpose(*id, purpose);
        if n % 3 != 0 {
            writer.insert(*id, doc("entry")).unwrap();
        }
    }
    for (n, (id, _)) in days.iter().enumerate() {
        if n % 3 != 0 {
            writer.wait_confirmed(*id, WAIT).await.unwrap();
        }
    }
    drop(writer);

    // Ten tablets, each working on its own document.
    let mut tablets = Vec::new();
    for (n, token) in tokens.iter().enumerate() {
        let t = NativeTablet::connect_ready(server.addr(), token, WAIT)
            .await
            .unwrap();
        let id = DocumentId::from_random([n as u8 + 1; 16]);
        t.insert(id, doc("start")).unwrap();
        t.wait_confirmed(id, WAIT).await.unwrap();
        tablets.push((t, id));
    }
    let before = median_round_trip(&tablets, 40, || true).await;

    // The supervisor opens every day at once while the tablets work.
    let login = fixtures::login(server.addr(), "zhang", PASSWORD)
        .await
        .unwrap();
    let cookie = login.header("set-cookie").unwrap();
    let session = cookie
        .split(';')
        .next()
        .unwrap()
        .strip_prefix("shiftbook_session=")
        .unwrap()
        .to_owned();
    let desk = NativeTablet::connect_with_session(server.addr(), &session)
        .await
        .unwrap();
    desk.wait_connected(WAIT).await.unwrap();
    for (id, _) in &days {
        desk.want(*id);
    }
    let browsed = |c: &shiftbook_model::client::SyncClient| {
        days.iter().all(|(id, _)| {
            c.is_unavailable(id) || c.doc(id).is_some_and(|d| !d.get_heads().is_empty())
        })
    };
    // Round trips while the browsing goes on, until it is done.
    let during = median_round_trip(&tablets, 40, || desk.with_client(browsed)).await;
    desk.wait_until("the supervisor to have browsed the year", WAIT, browsed)
        .await
        .unwrap();
    let got = desk.with_client(|c| {
        days.iter()
            .filter(|(id, _)| c.doc(id).is_some_and(|d| !d.get_heads().is_empty()))
            .count()
    });
    assert_eq!(got, DAYS - DAYS.div_ceil(3));
    drop(desk);
    let after = median_round_trip(&tablets, 40, || true).await;

    eprintln!("median round trip: before {before:?}, during {during:?}, after {after:?}");
    let bound = |base: Duration| base * 3 + Duration::from_millis(30);
    assert!(
        during <= bound(before),
        "before {before:?}, during {during:?}"
    );
    assert!(after <= bound(before), "before {before:?}, after {after:?}");
}
