//! The real `sync-server` binary over real sockets on 127.0.0.1, with
//! native tablets (the model's `SyncClient`) as clients.
//!
//! Build the binary first: `cargo build -p sync-server`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use futures::SinkExt;
use shiftbook_model::attribution::Attribution;
use shiftbook_model::checklist::{self, Checklist, ItemState, Status};
use shiftbook_model::client::{Output, SyncClient};
use shiftbook_model::protocol::{PeerId, WireMessage};
use shiftbook_model::{DocumentId, SiteKey};
use shiftbook_tests::fixtures;
use shiftbook_tests::native_tablet::{
    NativeTablet, TabletError, TokenVia, open_socket, wait_for_close,
};
use shiftbook_tests::rounds::{LOBBY_SLOT, Round};
use shiftbook_tests::server_process::{ServerProcess, enroll, http_get, revoke};
use std::path::Path;
use std::time::Duration;
use tokio_tungstenite::tungstenite::Message;

/// Upper bound for anything a test waits for.
const WAIT: Duration = Duration::from_secs(10);
const DATE: &str = "2026-11-23";

async fn start() -> (tempfile::TempDir, ServerProcess) {
    let dir = tempfile::tempdir().unwrap();
    let server = ServerProcess::start(dir.path()).await.unwrap();
    (dir, server)
}

async fn site_key(server: &ServerProcess, token: &str) -> SiteKey {
    fixtures::site_key(server.addr(), token).await.unwrap()
}

/// Today's lobby-opening round of `site`.
fn round(site: &str) -> Round {
    Round::lobby_opening(site, DATE)
}

/// The id of today's lobby-opening round in the site of `key` (the id
/// depends on the key, not on the site's name).
fn round_id(key: &SiteKey) -> DocumentId {
    round("site-a").id(key)
}

fn author(device: &str, at_ms: i64) -> Attribution {
    fixtures::staff_author(device, at_ms)
}

/// Open today's round on `tablet` (genesis, then a start: a round must be
/// started before it can be marked) and mark `item` ✓.
fn open_and_mark(tablet: &NativeTablet, id: DocumentId, site: &str, device: &str, item: &str) {
    round(site).open(tablet, id, &author(device, 500)).unwrap();
    mark(tablet, id, device, item, Status::Normal, "", 1_000);
}

fn mark(
    tablet: &NativeTablet,
    id: DocumentId,
    device: &str,
    item: &str,
    status: Status,
    note: &str,
    at: i64,
) {
    tablet
        .change(id, |d| {
            checklist::mark(d, LOBBY_SLOT, item, status, note, &author(device, at)).unwrap()
        })
        .unwrap();
}

fn state(c: &SyncClient, id: DocumentId, item: &str) -> Option<ItemState> {
    let doc = c.doc(&id)?;
    Checklist::new(doc).ok()?.item_state(LOBBY_SLOT, item).ok()
}

fn is_marked(c: &SyncClient, id: DocumentId, item: &str) -> bool {
    matches!(state(c, id, item), Some(ItemState::Marked(_)))
}

async fn connected(server: &ServerProcess, token: &str) -> NativeTablet {
    NativeTablet::connect_ready(server.addr(), token, WAIT)
        .await
        .unwrap()
}

async fn wait_confirmed(tablet: &NativeTablet, id: DocumentId) {
    tablet.wait_confirmed(id, WAIT).await.unwrap();
}

fn assert_no_secrets_logged(server: &ServerProcess, tokens: &[&str]) {
    let out = server.output();
    assert!(out.contains("device connected") || out.contains("request"));
    for t in tokens {
        assert!(!out.contains(t), "a token leaked into the server output");
    }
}

/// The heads of `id` as stored in the server's database under `data`
/// (read while the server runs: WAL lets readers in).
fn stored_heads(data: &Path, id: DocumentId) -> Vec<automerge::ChangeHash> {
    sync_server::doc_store::DocStore::open(data)
        .unwrap()
        .load(&id)
        .unwrap()
        .doc
        .get_heads()
}

#[tokio::test]
async fn missing_bad_and_revoked_tokens_are_refused_before_the_upgrade() {
    let (dir, server) = start().await;
    let addr = server.addr();
    let live = enroll(dir.path(), "site-a", "a1").unwrap();
    let gone = enroll(dir.path(), "site-a", "a-old").unwrap();
    revoke(dir.path(), "a-old").unwrap();

    for via in [TokenVia::Query, TokenVia::Header] {
        for token in [None, Some("not-a-token"), Some(gone.as_str())] {
            match open_socket(addr, token, via).await {
                Err(TabletError::Refused(401)) => {}
                other => panic!("{via:?} {token:?}: expected 401, got {other:?}"),
            }
        }
        let t = NativeTablet::connect(addr, &live, via).await.unwrap();
        t.wait_connected(WAIT).await.unwrap();
    }
    assert_eq!(http_get(addr, "/api/device", None).await.unwrap().0, 401);
    assert_eq!(
        http_get(addr, "/api/device", Some(&gone)).await.unwrap().0,
        401
    );
    assert_no_secrets_logged(&server, &[&live, &gone]);
}

#[tokio::test]
async fn a_round_syncs_within_a_site_and_stays_hidden_from_another_site() {
    let (dir, server) = start().await;
    let a1_token = enroll(dir.path(), "site-a", "a1").unwrap();
    let a2_token = enroll(dir.path(), "site-a", "a2").unwrap();
    let b1_token = enroll(dir.path(), "site-b", "b1").unwrap();
    let key_a = site_key(&server, &a1_token).await;
    assert_ne!(site_key(&server, &b1_token).await, key_a);
    let id = round_id(&key_a);

    // Everyone is online before a1 uploads: b1 is a bystander while the
    // document is first seen, and must not be able to capture it.
    let a1 = connected(&server, &a1_token).await;
    let a2 = connected(&server, &a2_token).await;
    let b1 = connected(&server, &b1_token).await;

    open_and_mark(&a1, id, "site-a", "a1", "doors");
    wait_confirmed(&a1, id).await;

    // (2) a2 of the same site fetches it with real content.
    a2.want(id);
    a2.wait_until("a2 to receive the round", WAIT, |c| {
        is_marked(c, id, "doors")
    })
    .await
    .unwrap();
    let doc = a2.doc(id).unwrap();
    assert_eq!(Checklist::new(&doc).unwrap().site().unwrap(), "site-a");
    assert_eq!(doc.get_heads(), a1.doc(id).unwrap().get_heads());

    // Live relay: a2's mark reaches a1 without a1 asking again. a2
    // resumes the round before marking, as the app does; an × on the
    // lifts needs a note.
    round("site-a")
        .start(&a2, id, &author("a2", 1_500))
        .unwrap();
    mark(&a2, id, "a2", "lifts", Status::Abnormal, "2号梯异响", 2_000);
    a1.wait_until("a1 to receive a2's mark", WAIT, |c| {
        is_marked(c, id, "lifts")
    })
    .await
    .unwrap();

    // (3) b1 of another site asks for it: unavailable, and no content.
    b1.want(id);
    b1.wait_until("b1 to hear the round is unavailable", WAIT, |c| {
        c.is_unavailable(&id)
    })
    .await
    .unwrap();
    assert!(b1.doc(id).unwrap().get_heads().is_empty());
    assert!(b1.outputs().contains(&Output::Unavailable(id)));
    assert!(!b1.outputs().contains(&Output::Changed(id)));

    // Nor can b1 write into it, even knowing the id and the genesis.
    let b2 = connected(&server, &b1_token).await;
    open_and_mark(&b2, id, "site-a", "b1", "toilets");
    b2.wait_until("b2's upload to be refused", WAIT, |c| c.is_unavailable(&id))
        .await
        .unwrap();
    // A later change by a1 round-trips through a2; b1's mark never arrives.
    mark(&a1, id, "a1", "plants", Status::Normal, "", 3_000);
    a2.wait_until("a2 to receive a1's second mark", WAIT, |c| {
        is_marked(c, id, "plants")
    })
    .await
    .unwrap();
    for t in [&a1, &a2] {
        assert!(t.with_client(|c| !is_marked(c, id, "toilets")));
    }
    assert!(a1.errors().is_empty() && a2.errors().is_empty() && b1.errors().is_empty());
    assert_no_secrets_logged(&server, &[&a1_token, &a2_token, &b1_token]);
}

#[tokio::test]
async fn a_round_asked_for_before_it_exists_arrives_once_uploaded() {
    let (dir, server) = start().await;
    let a1_token = enroll(dir.path(), "site-a", "a1").unwrap();
    let a2_token = enroll(dir.path(), "site-a", "a2").unwrap();
    let id = round_id(&site_key(&server, &a1_token).await);

    // a2 opens the round first: nobody has it yet.
    let a2 = connected(&server, &a2_token).await;
    a2.want(id);
    a2.wait_until("a2 to hear the round does not exist yet", WAIT, |c| {
        c.is_unavailable(&id)
    })
    .await
    .unwrap();

    // a1 of the same site then uploads it; a2's early request claimed it
    // for site A, so this is accepted.
    let a1 = connected(&server, &a1_token).await;
    open_and_mark(&a1, id, "site-a", "a1", "doors");
    wait_confirmed(&a1, id).await;

    // a2 asks again on its next connection, as the app does.
    drop(a2);
    let a2 = connected(&server, &a2_token).await;
    a2.want(id);
    a2.wait_until("a2 to receive the round", WAIT, |c| {
        is_marked(c, id, "doors")
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn rounds_survive_a_killed_server() {
    let (dir, mut server) = start().await;
    let a1_token = enroll(dir.path(), "site-a", "a1").unwrap();
    let a2_token = enroll(dir.path(), "site-a", "a2").unwrap();
    let b1_token = enroll(dir.path(), "site-b", "b1").unwrap();
    let id = round_id(&site_key(&server, &a1_token).await);

    let a1 = connected(&server, &a1_token).await;
    open_and_mark(&a1, id, "site-a", "a1", "doors");
    wait_confirmed(&a1, id).await;
    let heads = a1.doc(id).unwrap().get_heads();
    // Acknowledged means on disk: no waiting for a flush.
    assert_eq!(stored_heads(dir.path(), id), heads);
    drop(a1);
    server.kill().unwrap();
    server.restart().await.unwrap();

    let a2 = connected(&server, &a2_token).await;
    a2.want(id);
    a2.wait_until("a2 to fetch the round after the restart", WAIT, |c| {
        is_marked(c, id, "doors")
    })
    .await
    .unwrap();
    assert_eq!(a2.doc(id).unwrap().get_heads(), heads);

    // Ownership survived too.
    let b1 = connected(&server, &b1_token).await;
    b1.want(id);
    b1.wait_until("b1 to be refused after the restart", WAIT, |c| {
        c.is_unavailable(&id)
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn sigterm_stops_gracefully_and_flushes_what_it_confirmed() {
    let (dir, mut server) = start().await;
    let a1_token = enroll(dir.path(), "site-a", "a1").unwrap();
    let a2_token = enroll(dir.path(), "site-a", "a2").unwrap();
    let id = round_id(&site_key(&server, &a1_token).await);
    let a1 = connected(&server, &a1_token).await;
    open_and_mark(&a1, id, "site-a", "a1", "doors");
    wait_confirmed(&a1, id).await;
    let heads = a1.doc(id).unwrap().get_heads();

    // At once, with a1 still connected: no waiting for storage here.
    let started = std::time::Instant::now();
    let status = server.terminate().await.unwrap();
    assert!(status.success(), "{status}\n{}", server.output());
    assert!(started.elapsed() < Duration::from_secs(5), "slow shutdown");
    a1.wait_closed(WAIT).await.unwrap();
    assert!(server.output().contains("document storage stopped"));
    assert_eq!(stored_heads(dir.path(), id), heads);

    server.start_again().await.unwrap();
    let a2 = connected(&server, &a2_token).await;
    a2.want(id);
    a2.wait_until(
        "a2 to fetch the round after a graceful restart",
        WAIT,
        |c| is_marked(c, id, "doors"),
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn enrol_and_revoke_work_while_serving_and_revocation_cuts_live_connections() {
    let (dir, server) = start().await;
    let addr = server.addr();
    // Enrolled while the server runs.
    let a1_token = enroll(dir.path(), "site-a", "a1").unwrap();
    let a2_token = enroll(dir.path(), "site-a", "a2").unwrap();
    assert!(
        enroll(dir.path(), "site-a", "a1").is_err(),
        "names are unique"
    );
    let a1 = connected(&server, &a1_token).await;
    let a2 = connected(&server, &a2_token).await;
    assert_eq!(
        http_get(addr, "/api/device", Some(&a1_token))
            .await
            .unwrap()
            .0,
        200
    );
    let id = round_id(&site_key(&server, &a2_token).await);

    revoke(dir.path(), "a1").unwrap();
    a1.wait_closed(Duration::from_secs(5)).await.unwrap();
    assert!(matches!(
        open_socket(addr, Some(&a1_token), TokenVia::Query).await,
        Err(TabletError::Refused(401))
    ));
    assert_eq!(
        http_get(addr, "/api/device", Some(&a1_token))
            .await
            .unwrap()
            .0,
        401
    );
    assert!(revoke(dir.path(), "a1").is_err(), "already revoked");

    // The other tablet is untouched and still syncs.
    assert!(!a2.is_closed());
    open_and_mark(&a2, id, "site-a", "a2", "doors");
    wait_confirmed(&a2, id).await;
    // And the name can be enrolled again, with a new token.
    let a1_again = enroll(dir.path(), "site-a", "a1").unwrap();
    assert_ne!(a1_again, a1_token);
    let a1 = connected(&server, &a1_again).await;
    a1.want(id);
    a1.wait_until("the re-enrolled a1 to fetch the round", WAIT, |c| {
        is_marked(c, id, "doors")
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn bad_first_frames_close_only_their_own_connection() {
    let (dir, mut server) = start().await;
    let addr = server.addr();
    let token = enroll(dir.path(), "site-a", "a1").unwrap();
    let doc = DocumentId::from_random([7; 16]);
    let peer = PeerId::new("sneaky").unwrap();
    let not_join = [
        Message::Binary(b"\xff\x00 definitely not cbor".to_vec().into()),
        Message::Text("hello".into()),
        Message::Binary(
            WireMessage::Leave {
                sender_id: peer.clone(),
            }
            .encode()
            .into(),
        ),
        Message::Binary(
            WireMessage::Sync {
                document_id: doc,
                sender_id: peer.clone(),
                target_id: peer.clone(),
                data: vec![],
            }
            .encode()
            .into(),
        ),
    ];
    for first in not_join {
        let mut socket = open_socket(addr, Some(&token), TokenVia::Header)
            .await
            .unwrap();
        socket.send(first).await.unwrap();
        let frame = wait_for_close(&mut socket, WAIT).await.unwrap();
        let frame = frame.expect("a close frame");
        assert_eq!(u16::from(frame.code), 1002, "protocol error");
    }
    assert!(server.is_running());
    assert_eq!(http_get(addr, "/healthz", None).await.unwrap().0, 200);

    // Others are still served.
    let a1 = connected(&server, &token).await;
    let id = DocumentId::from_random([8; 16]);
    open_and_mark(&a1, id, "site-a", "a1", "doors");
    wait_confirmed(&a1, id).await;
}

#[tokio::test]
async fn a_live_peer_id_cannot_be_taken_by_another_device() {
    let (dir, server) = start().await;
    let a1_token = enroll(dir.path(), "site-a", "a1").unwrap();
    let b1_token = enroll(dir.path(), "site-b", "b1").unwrap();
    let shared = PeerId::new("tablet-shared-id").unwrap();
    let a1 = NativeTablet::connect_as(server.addr(), &a1_token, TokenVia::Query, shared.clone())
        .await
        .unwrap();
    a1.wait_connected(WAIT).await.unwrap();
    let b1 = NativeTablet::connect_as(server.addr(), &b1_token, TokenVia::Query, shared)
        .await
        .unwrap();
    b1.wait_closed(WAIT).await.unwrap();
    assert_eq!(b1.close_frame().map(|(code, _)| code), Some(1008));

    // a1 is unaffected.
    let id = DocumentId::from_random([9; 16]);
    open_and_mark(&a1, id, "site-a", "a1", "doors");
    wait_confirmed(&a1, id).await;
    assert!(!a1.is_closed());
}
