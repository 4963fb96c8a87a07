//! Limits that keep one abusive client from hurting the others, tried
//! over real sockets against the server binary while a well-behaved
//! tablet of another site syncs: its round trip (a change until the
//! server confirms it) must stay under 200 ms during the abuse.
//!
//! Build the binary first: `cargo build -p sync-server`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use automerge::transaction::Transactable as _;
use automerge::{Automerge, ROOT};
use shiftbook_model::DocumentId;
use shiftbook_model::protocol::{PROTOCOL_VERSION, PeerId, WireMessage};
use shiftbook_tests::fixtures::login_from;
use shiftbook_tests::native_tablet::{NativeTablet, TokenVia, fresh_peer_id, open_socket};
use shiftbook_tests::server_process::{
    ServerOptions, ServerProcess, add_supervisor, enroll, http_request, http_request_from,
};
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use tokio_tungstenite::tungstenite;

const WAIT: Duration = Duration::from_secs(30);
/// What a well-behaved tablet's round trip must stay under.
const ROUND_TRIP: Duration = Duration::from_millis(200);

fn doc(key: &str) -> Automerge {
    let mut d = Automerge::new();
    d.transact::<_, _, automerge::AutomergeError>(|tx| {
        tx.put(ROOT, key, 1)?;
        Ok(())
    })
    .unwrap();
    d
}

/// A tablet of `site-b` with a document of its own, confirmed.
async fn good_tablet(server: &ServerProcess) -> (NativeTablet, DocumentId) {
    let token = enroll(server.data_dir(), "site-b", "good-tablet").unwrap();
    let t = NativeTablet::connect_ready(server.addr(), &token, WAIT)
        .await
        .unwrap();
    let id = DocumentId::from_random([0xb0; 16]);
    t.insert(id, doc("start")).unwrap();
    t.wait_confirmed(id, WAIT).await.unwrap();
    (t, id)
}

/// Round trips of `tablet` one after another until `stop` is set: each
/// one's duration.
async fn round_trips(tablet: &NativeTablet, id: DocumentId, stop: &AtomicBool) -> Vec<Duration> {
    let mut times = Vec::new();
    let mut n = 0i64;
    while !stop.load(Ordering::Relaxed) {
        n += 1;
        let start = Instant::now();
        tablet
            .change(id, |d| {
                d.transact::<_, _, automerge::AutomergeError>(|tx| {
                    tx.put(ROOT, "n", n)?;
                    Ok(())
                })
                .unwrap();
            })
            .unwrap();
        tablet.wait_confirmed(id, WAIT).await.unwrap();
        times.push(start.elapsed());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    times
}

/// The 90th percentile (the abuse runs on the same two cores as the
/// test; one scheduling hiccup of the machine is not the server's).
fn p90(mut times: Vec<Duration>) -> Duration {
    assert!(times.len() >= 10, "only {} round trips", times.len());
    times.sort();
    times[times.len() * 9 / 10]
}

/// Logins with fresh random user names from 200 addresses, 128 at a
/// time, for a few seconds: password hashing is bounded (the server's
/// memory does not grow by gigabytes, surplus logins get 503 with
/// `Retry-After`), one address alone gets 429 after 30 attempts, and the
/// real supervisor from another address can still log in.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_login_flood_with_random_names_neither_starves_sync_nor_grows_memory() {
    let dir = tempfile::tempdir().unwrap();
    let server = ServerProcess::start(dir.path()).await.unwrap();
    add_supervisor(dir.path(), "zhuguan", &["site-a"], "correct horse battery").unwrap();
    let (tablet, id) = good_tablet(&server).await;
    let rss_before = server.rss_kib().unwrap();

    let stop = Arc::new(AtomicBool::new(false));
    let addr = server.addr();
    let flood: Vec<_> = (0..128u32)
        .map(|worker| {
            let stop = stop.clone();
            tokio::spawn(async move {
                let mut statuses = Vec::new();
                let mut n = 0u32;
                while !stop.load(Ordering::Relaxed) {
                    n += 1;
                    let host = 2 + (worker * 7 + n) % 200;
                    let from = IpAddr::V4(Ipv4Addr::new(127, 0, 1, host as u8));
                    let r = login_from(
                        Some(from),
                        addr,
                        &format!("guess-{worker}-{n}"),
                        &format!("x{n}"),
                    )
                    .await;
                    match r {
                        Ok(r) => {
                            if r.status == 503 {
                                assert_eq!(r.header("retry-after"), Some("1"), "{}", r.body);
                                assert!(r.body.contains("too many logins"), "{}", r.body);
                            }
                            statuses.push(r.status);
                        }
                        Err(e) => panic!("login request failed: {e}"),
                    }
                }
                statuses
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(500)).await;

    let stopper = {
        let stop = stop.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_secs(6)).await;
            stop.store(true, Ordering::Relaxed);
        })
    };
    let during = round_trips(&tablet, id, &stop).await;
    let rss_during = server.rss_kib().unwrap();
    stopper.await.unwrap();
    let mut statuses = Vec::new();
    for f in flood {
        statuses.extend(f.await.unwrap());
    }
    let count = |s: u16| statuses.iter().filter(|x| **x == s).count();
    let p = p90(during);
    eprintln!(
        "{} logins: {} × 401, {} × 503, {} × 429; server RSS {} → {} KiB; the tablet's round trip p90 {p:?}",
        statuses.len(),
        count(401),
        count(503),
        count(429),
        rss_before,
        rss_during
    );
    assert!(count(401) > 0, "no login was checked at all");
    assert!(count(503) > 0, "the password pool never refused");
    assert_eq!(
        count(401) + count(503) + count(429),
        statuses.len(),
        "only 401, 503 and 429 answers"
    );
    assert!(
        rss_during < rss_before + 100 * 1024,
        "the server grew from {rss_before} to {rss_during} KiB under the flood"
    );
    assert!(p < ROUND_TRIP, "the tablet's round trip p90 was {p:?}");

    // The real supervisor, from its own address, logs in (the flood is
    // over; their name was never locked).
    let ok = login_from(
        Some(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 1))),
        addr,
        "zhuguan",
        "correct horse battery",
    )
    .await
    .unwrap();
    assert_eq!(ok.status, 200, "{}", ok.body);
}

/// One address trying many names is refused after 30 attempts a minute,
/// with `Retry-After`; wrong passwords for the supervisor's name from
/// that address do not lock the supervisor out elsewhere.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_address_is_limited_and_cannot_lock_the_supervisor_out() {
    let dir = tempfile::tempdir().unwrap();
    let server = ServerProcess::start(dir.path()).await.unwrap();
    add_supervisor(dir.path(), "zhuguan", &["site-a"], "correct horse battery").unwrap();
    let attacker = Some(IpAddr::V4(Ipv4Addr::new(127, 0, 2, 9)));
    let login = |from: Option<IpAddr>, user: String, password: &'static str| {
        let addr = server.addr();
        async move { login_from(from, addr, &user, password).await.unwrap() }
    };
    for n in 0..5 {
        let r = login(attacker, "zhuguan".into(), "wrong").await;
        assert_eq!(r.status, 401, "attempt {n}: {}", r.body);
    }
    let locked = login(attacker, "zhuguan".into(), "wrong").await;
    assert_eq!(locked.status, 429, "{}", locked.body);
    assert!(locked.header("retry-after").is_some());
    // The real supervisor, elsewhere, is not locked out.
    let real = login(None, "zhuguan".into(), "correct horse battery").await;
    assert_eq!(real.status, 200, "{}", real.body);
    // The attacker's address: 30 attempts a minute whatever the names.
    let mut refused = None;
    for n in 6..40 {
        let r = login(attacker, format!("name-{n}"), "x").await;
        if r.status == 429 {
            refused = Some(n);
            assert!(r.body.contains("this address"), "{}", r.body);
            break;
        }
        assert_eq!(r.status, 401, "{}", r.body);
    }
    assert_eq!(
        refused,
        Some(31),
        "the 31st counted attempt from one address"
    );
    let other = http_request(server.addr(), "GET", "/healthz", &[], None)
        .await
        .unwrap();
    assert_eq!(other.status, 200);
}

/// A login that a reverse proxy at 127.0.0.1 forwards for `client`, or
/// one a client at `from` sends with its own `X-Forwarded-For`.
async fn forwarded_login(
    from: Option<IpAddr>,
    addr: std::net::SocketAddr,
    client: &str,
    password: &str,
) -> shiftbook_tests::server_process::HttpResponse {
    let body = serde_json::json!({ "user": "zhuguan", "password": password }).to_string();
    http_request_from(
        from,
        addr,
        "POST",
        "/api/login",
        &[
            ("Content-Type", "application/json"),
            ("X-Forwarded-For", client),
        ],
        Some(&body),
    )
    .await
    .unwrap()
}

/// Behind a trusted reverse proxy every client has the proxy's address:
/// the address the proxy forwards is the one login limits count (a
/// stranger's wrong passwords do not lock the supervisor out), the proxy
/// has no per-address connection limit, and a client that is not the
/// proxy cannot pose as another by sending `X-Forwarded-For` itself.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_a_trusted_proxy_the_forwarded_client_is_the_one_limited() {
    let dir = tempfile::tempdir().unwrap();
    let options = ServerOptions {
        args: [
            "--trusted-proxy",
            "127.0.0.1",
            "--max-connections-per-address",
            "2",
        ]
        .map(String::from)
        .to_vec(),
        ..ServerOptions::default()
    };
    let server = ServerProcess::start_with(dir.path(), options)
        .await
        .unwrap();
    add_supervisor(dir.path(), "zhuguan", &["site-a"], "correct horse battery").unwrap();
    let proxy = Some(IpAddr::V4(Ipv4Addr::LOCALHOST));
    let (attacker, supervisor) = ("203.0.113.7", "198.51.100.5");
    for n in 0..5 {
        let r = forwarded_login(proxy, server.addr(), attacker, "wrong").await;
        assert_eq!(r.status, 401, "attempt {n}: {}", r.body);
    }
    let locked = forwarded_login(proxy, server.addr(), attacker, "wrong").await;
    assert_eq!(locked.status, 429, "{}", locked.body);
    // A stranger not behind the proxy names the supervisor's address: it
    // is counted as itself, and locks only itself out.
    let stranger = Some(IpAddr::V4(Ipv4Addr::new(127, 0, 2, 10)));
    for _ in 0..5 {
        let r = forwarded_login(stranger, server.addr(), supervisor, "wrong").await;
        assert_eq!(r.status, 401, "{}", r.body);
    }
    let r = forwarded_login(stranger, server.addr(), supervisor, "wrong").await;
    assert_eq!(r.status, 429, "{}", r.body);
    let real = forwarded_login(proxy, server.addr(), supervisor, "correct horse battery").await;
    assert_eq!(
        real.status, 200,
        "the supervisor through the proxy: {}",
        real.body
    );
    // The proxy holds more connections than one address may.
    let mut held = Vec::new();
    for _ in 0..4 {
        held.push(connect_from(IpAddr::V4(Ipv4Addr::LOCALHOST), server.addr()).await);
    }
    let through = http_request_from(proxy, server.addr(), "GET", "/healthz", &[], None)
        .await
        .unwrap();
    assert_eq!(through.status, 200, "{}", through.body);
    let other = IpAddr::V4(Ipv4Addr::new(127, 0, 2, 11));
    let _a = connect_from(other, server.addr()).await;
    let _b = connect_from(other, server.addr()).await;
    let refused = http_request_from(Some(other), server.addr(), "GET", "/healthz", &[], None)
        .await
        .unwrap();
    assert_eq!(refused.status, 503, "{}", refused.body);
}

/// A TCP connection to `addr` from the loopback address `from`.
async fn connect_from(from: IpAddr, addr: std::net::SocketAddr) -> tokio::net::TcpStream {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind(std::net::SocketAddr::new(from, 0)).unwrap();
    socket.connect(addr).await.unwrap()
}

/// What the server sends before it closes `stream` (within `within`):
/// `None` if it kept the connection open that long.
async fn closed_by_server(stream: &mut tokio::net::TcpStream, within: Duration) -> Option<String> {
    use tokio::io::AsyncReadExt as _;
    let mut got = Vec::new();
    let read = tokio::time::timeout(within, async {
        let mut buf = [0u8; 1024];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await;
    read.ok()
        .map(|()| String::from_utf8_lossy(&got).into_owned())
}

/// Connections that send nothing, or their headers a byte at a time, are
/// closed once the header timeout passed; beyond the per-address and the
/// total limit a connection gets 503 saying which limit it hit. A tablet
/// of another site syncs throughout, and once the attackers are gone a
/// new tablet connects.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_and_slow_connections_are_limited_and_closed() {
    let dir = tempfile::tempdir().unwrap();
    let options = ServerOptions {
        args: [
            "--header-timeout-s",
            "2",
            "--max-connections",
            "450",
            "--max-connections-per-address",
            "100",
        ]
        .map(String::from)
        .to_vec(),
        ..ServerOptions::default()
    };
    let server = ServerProcess::start_with(dir.path(), options)
        .await
        .unwrap();
    let (tablet, id) = good_tablet(&server).await;
    let addr = server.addr();
    let attacker = |n: u8| IpAddr::V4(Ipv4Addr::new(127, 0, 3, n));

    let stop = Arc::new(AtomicBool::new(false));
    let trips = {
        let stop = stop.clone();
        tokio::spawn(async move {
            let times = round_trips(&tablet, id, &stop).await;
            (tablet, times)
        })
    };
    let started = Instant::now();

    // 100 silent connections from one address fill its share.
    let mut idle = Vec::new();
    for _ in 0..100 {
        idle.push(connect_from(attacker(1), addr).await);
    }
    let mut over = connect_from(attacker(1), addr).await;
    let answer = closed_by_server(&mut over, Duration::from_secs(1))
        .await
        .unwrap();
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    assert!(answer.contains("from this address"), "{answer}");
    // 340 more from other addresses, and 10 sending headers a byte at a
    // time: the server's 450 are taken (the tablet holds one).
    for n in 0..340u32 {
        idle.push(connect_from(attacker(2 + (n / 100) as u8), addr).await);
    }
    let mut slow = Vec::new();
    for _ in 0..9 {
        let mut s = connect_from(attacker(9), addr).await;
        use tokio::io::AsyncWriteExt as _;
        s.write_all(b"GET /healthz HTTP/1.1\r\n").await.unwrap();
        slow.push(s);
    }
    let dripping = tokio::spawn(async move {
        use tokio::io::AsyncWriteExt as _;
        for _ in 0..20 {
            for s in &mut slow {
                let _ = s.write_all(b"X").await;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        slow
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut full = connect_from(attacker(20), addr).await;
    let answer = closed_by_server(&mut full, Duration::from_secs(1))
        .await
        .unwrap();
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    assert!(answer.contains("limit of 450 connections"), "{answer}");
    assert!(
        answer.to_ascii_lowercase().contains("retry-after: 5"),
        "{answer}"
    );

    // Within the header timeout (2 s, measured from each connection's
    // start) plus slack, the server closed every one of them, including
    // the ones still sending header bytes.
    let deadline = started + Duration::from_secs(2) + Duration::from_secs(3);
    for s in &mut idle {
        let left = deadline.saturating_duration_since(Instant::now());
        assert!(
            closed_by_server(s, left.max(Duration::from_millis(10)))
                .await
                .is_some(),
            "an idle connection was still open {:?} after the start",
            started.elapsed()
        );
    }
    let mut slow = dripping.await.unwrap();
    for s in &mut slow {
        assert!(
            closed_by_server(s, Duration::from_millis(100))
                .await
                .is_some(),
            "a slow-header connection was still open after 4 s"
        );
    }
    stop.store(true, Ordering::Relaxed);
    let (_tablet, times) = trips.await.unwrap();
    let p = p90(times);
    eprintln!("the tablet's round trip p90 during the attack: {p:?}");
    assert!(p < ROUND_TRIP, "the tablet's round trip p90 was {p:?}");

    // The slots came back: a new tablet connects and syncs.
    let token = enroll(server.data_dir(), "site-c", "late-tablet").unwrap();
    let late = NativeTablet::connect_ready(addr, &token, WAIT)
        .await
        .unwrap();
    let doc_id = DocumentId::from_random([0xc0; 16]);
    late.insert(doc_id, doc("hello")).unwrap();
    late.wait_confirmed(doc_id, WAIT).await.unwrap();
}

/// A device joined over a raw socket: the socket and the server's peer id.
async fn raw_join(
    addr: std::net::SocketAddr,
    token: &str,
) -> (shiftbook_tests::native_tablet::Socket, PeerId, PeerId) {
    use futures::{SinkExt as _, StreamExt as _};
    let mut socket = open_socket(addr, Some(token), TokenVia::Header)
        .await
        .unwrap();
    let me = fresh_peer_id().unwrap();
    let join = WireMessage::Join {
        sender_id: me.clone(),
        supported_protocol_versions: vec![PROTOCOL_VERSION.to_owned()],
        is_ephemeral: false,
    };
    socket
        .send(tungstenite::Message::Binary(join.encode().into()))
        .await
        .unwrap();
    loop {
        match socket.next().await {
            Some(Ok(tungstenite::Message::Binary(b))) => {
                if let Ok(WireMessage::Peer { sender_id, .. }) = WireMessage::decode(&b) {
                    return (socket, me, sender_id);
                }
            }
            Some(Ok(_)) => {}
            other => panic!("no peer answer: {other:?}"),
        }
    }
}

/// 20,000 bare `request`s for ids nobody has, as fast as one device can
/// send them: each is answered `doc-unavailable` (or, past the limit on
/// ids without content, the socket is closed saying so); the server keeps
/// nothing for them and another site's tablet keeps its round trip.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_for_ids_nobody_has_cost_nothing_lasting() {
    use futures::{SinkExt as _, StreamExt as _};
    let dir = tempfile::tempdir().unwrap();
    let server = ServerProcess::start(dir.path()).await.unwrap();
    let (tablet, id) = good_tablet(&server).await;
    let token = enroll(server.data_dir(), "site-a", "greedy").unwrap();
    let (socket, me, server_peer) = raw_join(server.addr(), &token).await;
    let (mut sink, mut stream) = socket.split();
    let empty = {
        let doc = Automerge::new();
        let mut state = automerge::sync::State::new();
        automerge::sync::SyncDoc::generate_sync_message(&doc, &mut state)
            .unwrap()
            .encode()
    };
    let rss_before = server.rss_kib().unwrap();
    const IDS: u32 = 20_000;
    let sender = tokio::spawn(async move {
        for n in 0..IDS {
            let mut bytes = [0x5a; 16];
            bytes[..4].copy_from_slice(&n.to_le_bytes());
            let frame = WireMessage::Request {
                document_id: DocumentId::from_random(bytes),
                sender_id: me.clone(),
                target_id: server_peer.clone(),
                data: empty.clone(),
            };
            if sink
                .send(tungstenite::Message::Binary(frame.encode().into()))
                .await
                .is_err()
            {
                return n;
            }
        }
        IDS
    });
    let receiver = tokio::spawn(async move {
        let mut unavailable = 0u32;
        let mut close = None;
        while let Ok(Some(frame)) =
            tokio::time::timeout(Duration::from_secs(60), stream.next()).await
        {
            match frame {
                Ok(tungstenite::Message::Binary(b)) => {
                    if matches!(
                        WireMessage::decode(&b),
                        Ok(WireMessage::DocUnavailable { .. })
                    ) {
                        unavailable += 1;
                        if unavailable == IDS {
                            break;
                        }
                    }
                }
                Ok(tungstenite::Message::Close(frame)) => {
                    close = frame.map(|f| f.reason.to_string());
                    break;
                }
                Ok(_) => {}
                Err(_) => break,
            }
        }
        (unavailable, close)
    });
    let stop = Arc::new(AtomicBool::new(false));
    let trips = {
        let stop = stop.clone();
        tokio::spawn(async move { round_trips(&tablet, id, &stop).await })
    };
    let sent = sender.await.unwrap();
    let (unavailable, close) = receiver.await.unwrap();
    stop.store(true, Ordering::Relaxed);
    let times = trips.await.unwrap();
    let rss_after = server.rss_kib().unwrap();
    let p = p90(times);
    eprintln!(
        "sent {sent} requests, {unavailable} answered unavailable, closed: {close:?}; RSS {rss_before} → {rss_after} KiB; the tablet's round trip p90 {p:?}"
    );
    assert!(p < ROUND_TRIP, "the tablet's round trip p90 was {p:?}");
    assert!(
        unavailable == IDS || close.as_deref().is_some_and(|r| r.contains("do not exist")),
        "{unavailable} answered, close {close:?}"
    );
    assert!(
        rss_after < rss_before + 30 * 1024,
        "the server grew from {rss_before} to {rss_after} KiB"
    );
}

/// One device opening 50 sync sockets holds at most 4: each newer one
/// closes its oldest, saying why; another site's tablet keeps its round
/// trip and the device's newest socket still syncs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_holds_a_few_sockets_and_a_newer_one_replaces_the_oldest() {
    use futures::StreamExt as _;
    let dir = tempfile::tempdir().unwrap();
    let server = ServerProcess::start(dir.path()).await.unwrap();
    let (tablet, id) = good_tablet(&server).await;
    let token = enroll(server.data_dir(), "site-a", "many-sockets").unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let trips = {
        let stop = stop.clone();
        tokio::spawn(async move { round_trips(&tablet, id, &stop).await })
    };
    let mut sockets = Vec::new();
    for _ in 0..50 {
        sockets.push(raw_join(server.addr(), &token).await.0);
    }
    let mut replaced = 0;
    let mut open = 0;
    for socket in &mut sockets {
        let next = tokio::time::timeout(Duration::from_millis(300), async {
            loop {
                match socket.next().await {
                    Some(Ok(tungstenite::Message::Close(frame))) => return Some(frame),
                    Some(Ok(_)) => continue,
                    Some(Err(_)) | None => return None,
                }
            }
        })
        .await;
        match next {
            Ok(Some(Some(frame))) => {
                assert_eq!(u16::from(frame.code), 1008, "{frame:?}");
                assert!(
                    frame.reason.contains("replaced by a newer connection"),
                    "{frame:?}"
                );
                replaced += 1;
            }
            Ok(other) => panic!("closed without saying why: {other:?}"),
            Err(_) => open += 1,
        }
    }
    stop.store(true, Ordering::Relaxed);
    let p = p90(trips.await.unwrap());
    eprintln!("{open} sockets open, {replaced} replaced; the tablet's round trip p90 {p:?}");
    assert_eq!((open, replaced), (4, 46));
    assert!(p < ROUND_TRIP, "the tablet's round trip p90 was {p:?}");
    // The device itself still syncs over a new connection.
    let t = NativeTablet::connect_ready(server.addr(), &token, WAIT)
        .await
        .unwrap();
    let doc_id = DocumentId::from_random([0xa1; 16]);
    t.insert(doc_id, doc("mine")).unwrap();
    t.wait_confirmed(doc_id, WAIT).await.unwrap();
}

/// A frame over 16 MiB closes the socket before it is read whole; the
/// device reconnects and syncs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_frame_over_the_size_limit_closes_the_socket() {
    use futures::{SinkExt as _, StreamExt as _};
    let dir = tempfile::tempdir().unwrap();
    let server = ServerProcess::start(dir.path()).await.unwrap();
    let token = enroll(server.data_dir(), "site-a", "big-frames").unwrap();
    let (mut socket, _, _) = raw_join(server.addr(), &token).await;
    let big = vec![0u8; 16 * 1024 * 1024 + 1];
    let _ = socket.send(tungstenite::Message::Binary(big.into())).await;
    let closed = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            match socket.next().await {
                Some(Ok(tungstenite::Message::Close(frame))) => return Some(frame),
                Some(Ok(_)) => continue,
                Some(Err(_)) | None => return None,
            }
        }
    })
    .await
    .expect("the server closed the socket");
    let frame = closed.flatten().expect("a close frame");
    assert_eq!(u16::from(frame.code), 1009, "{frame:?}");
    assert!(frame.reason.contains("too long"), "{frame:?}");
    let t = NativeTablet::connect_ready(server.addr(), &token, WAIT)
        .await
        .unwrap();
    let doc_id = DocumentId::from_random([0xbf; 16]);
    t.insert(doc_id, doc("small")).unwrap();
    t.wait_confirmed(doc_id, WAIT).await.unwrap();
}

/// A 2 KiB sync message that expands to a 2,000,000-operation document
/// (one change of repeated text, run-length encoded) is refused before
/// automerge expands it: the socket closes saying why, the server stores
/// nothing and barely grows, and another site's tablet keeps its round
/// trip while four such bombs arrive.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_compression_bomb_is_refused_before_it_is_expanded() {
    use futures::{SinkExt as _, StreamExt as _};
    let bomb_doc = {
        let mut d = Automerge::new();
        d.transact::<_, _, automerge::AutomergeError>(|tx| {
            let text = tx.put_object(ROOT, "t", automerge::ObjType::Text)?;
            tx.splice_text(&text, 0, 0, &"a".repeat(2_000_000))?;
            Ok(())
        })
        .unwrap();
        d
    };
    let bomb = {
        let mut state = automerge::sync::State::new();
        // The server's side of a first exchange: it has nothing.
        let empty = Automerge::new();
        let mut theirs = automerge::sync::State::new();
        let hello = automerge::sync::SyncDoc::generate_sync_message(&empty, &mut theirs).unwrap();
        automerge::sync::SyncDoc::receive_sync_message(&mut bomb_doc.clone(), &mut state, hello)
            .unwrap();
        automerge::sync::SyncDoc::generate_sync_message(&bomb_doc, &mut state)
            .unwrap()
            .encode()
    };
    eprintln!("the bomb's sync message: {} bytes", bomb.len());
    assert!(bomb.len() < 10_000);

    let dir = tempfile::tempdir().unwrap();
    let server = ServerProcess::start(dir.path()).await.unwrap();
    let (tablet, id) = good_tablet(&server).await;
    let token = enroll(server.data_dir(), "site-a", "bomber").unwrap();
    let rss_before = server.rss_kib().unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let trips = {
        let stop = stop.clone();
        tokio::spawn(async move { round_trips(&tablet, id, &stop).await })
    };
    let mut reasons = Vec::new();
    let started = Instant::now();
    let mut n = 0u8;
    while n < 4 || started.elapsed() < Duration::from_secs(3) {
        n = n.wrapping_add(1);
        let (mut socket, me, server_peer) = raw_join(server.addr(), &token).await;
        let frame = WireMessage::Sync {
            document_id: DocumentId::from_random([n; 16]),
            sender_id: me,
            target_id: server_peer,
            data: bomb.clone(),
        };
        socket
            .send(tungstenite::Message::Binary(frame.encode().into()))
            .await
            .unwrap();
        let reason = tokio::time::timeout(Duration::from_secs(10), async {
            loop {
                match socket.next().await {
                    Some(Ok(tungstenite::Message::Close(f))) => {
                        return f.map(|f| f.reason.to_string());
                    }
                    Some(Ok(_)) => continue,
                    Some(Err(_)) | None => return None,
                }
            }
        })
        .await
        .expect("the server closed the bomb's socket");
        reasons.push(reason);
    }
    stop.store(true, Ordering::Relaxed);
    let p = p90(trips.await.unwrap());
    let rss_after = server.rss_kib().unwrap();
    eprintln!(
        "{} bombs, refused with {:?}; RSS {rss_before} → {rss_after} KiB; the tablet's round trip p90 {p:?}",
        reasons.len(),
        reasons.first()
    );
    for r in &reasons {
        let r = r.as_deref().unwrap_or_default();
        assert!(r.contains("refused") && r.contains("operations"), "{r}");
    }
    assert!(
        rss_after < rss_before + 20 * 1024,
        "the server grew from {rss_before} to {rss_after} KiB"
    );
    assert!(p < ROUND_TRIP, "the tablet's round trip p90 was {p:?}");
}
