//! Supervisors against the real `sync-server` binary on 127.0.0.1: the
//! `add-supervisor` command, login/logout/me, the login rate limit, the
//! session cookie on `/sync`, and read-only site documents (the roster and
//! the settings).
//!
//! Build the binary first: `cargo build -p sync-server`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use automerge::transaction::Transactable as _;
use automerge::{Automerge, ChangeHash, ROOT, ReadDoc as _};
use shiftbook_model::attribution::Attribution;
use shiftbook_model::client::SyncClient;
use shiftbook_model::roster::Role;
use shiftbook_model::settings::{self, Setting, SiteSettings};
use shiftbook_model::{DocumentId, SiteKey};
use shiftbook_tests::fixtures;
use shiftbook_tests::native_tablet::{NativeTablet, TabletError, open_socket_with_session};
use shiftbook_tests::rounds::Round;
use shiftbook_tests::server_process::{
    HttpResponse, ServerProcess, add_supervisor, enroll, http_get, http_request,
};
use std::net::SocketAddr;
use std::time::Duration;

/// Upper bound for anything a test waits for.
const WAIT: Duration = Duration::from_secs(10);
const PASSWORD: &str = "correct horse 电池";

async fn start() -> (tempfile::TempDir, ServerProcess) {
    let dir = tempfile::tempdir().unwrap();
    let server = ServerProcess::start(dir.path()).await.unwrap();
    (dir, server)
}

async fn login(addr: SocketAddr, user: &str, password: &str) -> HttpResponse {
    fixtures::login(addr, user, password).await.unwrap()
}

/// The session cookie's value from a login's `Set-Cookie`.
fn session_of(response: &HttpResponse) -> String {
    let set = response.header("set-cookie").expect("a Set-Cookie header");
    let first = set.split(';').next().unwrap();
    let value = first
        .strip_prefix("shiftbook_session=")
        .expect("the session cookie");
    assert_eq!(value.len(), 43, "256 random bits, base64url");
    value.to_owned()
}

async fn login_ok(addr: SocketAddr, user: &str) -> (String, serde_json::Value) {
    let r = login(addr, user, PASSWORD).await;
    assert_eq!(r.status, 200, "{}", r.body);
    (session_of(&r), serde_json::from_str(&r.body).unwrap())
}

async fn me(addr: SocketAddr, session: &str) -> HttpResponse {
    let cookie = format!("shiftbook_session={session}");
    http_request(addr, "GET", "/api/me", &[("Cookie", &cookie)], None)
        .await
        .unwrap()
}

async fn site_key(server: &ServerProcess, token: &str) -> SiteKey {
    fixtures::site_key(server.addr(), token).await.unwrap()
}

fn roster_id(key: &SiteKey) -> DocumentId {
    DocumentId::derive(key, shiftbook_model::roster::PURPOSE)
}

fn new_roster() -> Automerge {
    let mut doc = Automerge::new();
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        tx.put(ROOT, "schema", "shiftbook/roster/1")?;
        Ok(())
    })
    .unwrap();
    doc
}

fn put(tablet: &NativeTablet, id: DocumentId, key: &str, value: i64) {
    tablet
        .change(id, |d| {
            d.transact::<_, _, automerge::AutomergeError>(|tx| {
                tx.put(ROOT, key, value)?;
                Ok(())
            })
            .unwrap();
        })
        .unwrap();
}

fn get(c: &SyncClient, id: DocumentId, key: &str) -> Option<String> {
    let doc = c.doc(&id)?;
    let (value, _) = doc.get(ROOT, key).ok()??;
    Some(value.to_string())
}

async fn supervisor_tablet(addr: SocketAddr, session: &str) -> NativeTablet {
    let t = NativeTablet::connect_with_session(addr, session)
        .await
        .unwrap();
    t.wait_connected(WAIT).await.unwrap();
    t
}

async fn device_tablet(addr: SocketAddr, token: &str) -> NativeTablet {
    NativeTablet::connect_ready(addr, token, WAIT)
        .await
        .unwrap()
}

async fn wait_confirmed(tablet: &NativeTablet, id: DocumentId) {
    tablet.wait_confirmed(id, WAIT).await.unwrap();
}

#[tokio::test]
async fn add_supervisor_then_login_sets_a_strict_http_only_cookie() {
    let (dir, server) = start().await;
    let addr = server.addr();
    let token = enroll(dir.path(), "site-a", "a1").unwrap();
    // While the server runs; one site exists, the other is created.
    let out = add_supervisor(dir.path(), "zhang", &["site-a", "site-n"], PASSWORD).unwrap();
    assert!(out.contains("Created site site-n"), "{out}");
    assert!(
        add_supervisor(dir.path(), "li", &["site-a"], "short").is_err(),
        "passwords under 8 characters are refused"
    );
    assert!(
        add_supervisor(dir.path(), "zhang", &["site-a"], PASSWORD).is_err(),
        "names are unique"
    );

    let r = login(addr, "zhang", PASSWORD).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let set = r.header("set-cookie").unwrap().to_owned();
    let attrs: Vec<&str> = set.split(';').map(str::trim).collect();
    for a in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(attrs.contains(&a), "{set}");
    }
    assert!(attrs.contains(&"Secure"), "Secure by default: {set}");
    assert_eq!(r.header("cache-control"), Some("no-store"));
    let session = session_of(&r);
    let json: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(json["user"], "zhang");
    let sites = json["sites"].as_array().unwrap();
    assert_eq!(sites.len(), 2);
    assert_eq!(sites[0]["id"], "site-a");
    assert_eq!(sites[0]["name"], "site-a");
    assert_eq!(
        sites[0]["site_key"].as_str().unwrap(),
        site_key(&server, &token).await.to_hex()
    );
    assert_eq!(sites[1]["id"], "site-n");

    let r = me(addr, &session).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&r.body).unwrap(),
        json
    );
    assert_eq!(me(addr, "not-a-session").await.status, 401);
    assert_eq!(
        http_request(addr, "GET", "/api/me", &[], None)
            .await
            .unwrap()
            .status,
        401
    );

    let out = server.output();
    assert!(out.contains("supervisor logged in"), "{out}");
    assert!(!out.contains(&session), "the cookie leaked into the log");
    assert!(!out.contains(PASSWORD), "the password leaked into the log");
}

#[tokio::test]
async fn bad_logins_look_alike_and_the_sixth_within_a_minute_is_throttled() {
    let (dir, server) = start().await;
    let addr = server.addr();
    add_supervisor(dir.path(), "zhang", &["site-a"], PASSWORD).unwrap();

    let wrong = login(addr, "zhang", "wrong password").await;
    let unknown = login(addr, "nobody", PASSWORD).await;
    assert_eq!(wrong.status, 401);
    assert_eq!(unknown.status, 401);
    assert_eq!(wrong.body, unknown.body);
    assert_eq!(wrong.header("content-type"), unknown.header("content-type"));
    assert!(wrong.header("set-cookie").is_none());

    for body in [
        "{not json",
        r#"{"user": "zhang"}"#,
        r#"{"user": 1, "password": 2}"#,
    ] {
        let r = http_request(
            addr,
            "POST",
            "/api/login",
            &[("Content-Type", "application/json")],
            Some(body),
        )
        .await
        .unwrap();
        assert_eq!(r.status, 400, "{body}: {}", r.body);
        assert!(r.body.contains("expected a JSON body"), "{}", r.body);
    }
    let r = http_request(addr, "POST", "/api/login", &[], Some("user=zhang"))
        .await
        .unwrap();
    assert_eq!(r.status, 400, "no JSON content type: {}", r.body);

    // One wrong attempt so far; four more make five within the minute.
    for _ in 0..4 {
        assert_eq!(login(addr, "zhang", "wrong password").await.status, 401);
    }
    let sixth = login(addr, "zhang", PASSWORD).await;
    assert_eq!(sixth.status, 429, "{}", sixth.body);
    let retry: u64 = sixth.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    assert!(sixth.header("set-cookie").is_none());
    // Other user names are not throttled.
    assert_eq!(login(addr, "nobody", PASSWORD).await.status, 401);

    let out = server.output();
    assert!(out.contains("login failed"), "{out}");
    assert!(!out.contains("wrong password") && !out.contains(PASSWORD));
}

#[tokio::test]
async fn logout_ends_the_session_for_sync_and_me_and_closes_live_sockets() {
    let (dir, server) = start().await;
    let addr = server.addr();
    add_supervisor(dir.path(), "zhang", &["site-a"], PASSWORD).unwrap();
    let (session, _) = login_ok(addr, "zhang").await;
    let (other, _) = login_ok(addr, "zhang").await;
    let live = supervisor_tablet(addr, &session).await;
    let untouched = supervisor_tablet(addr, &other).await;

    let cookie = format!("shiftbook_session={session}");
    let r = http_request(addr, "POST", "/api/logout", &[("Cookie", &cookie)], None)
        .await
        .unwrap();
    assert_eq!(r.status, 204);
    let cleared = r.header("set-cookie").unwrap();
    assert!(cleared.starts_with("shiftbook_session=;"), "{cleared}");
    assert!(cleared.contains("Max-Age=0"), "{cleared}");

    live.wait_closed(Duration::from_secs(5)).await.unwrap();
    assert_eq!(me(addr, &session).await.status, 401);
    assert!(matches!(
        open_socket_with_session(addr, &session).await,
        Err(TabletError::Refused(401))
    ));
    // Another session of the same supervisor lives on.
    assert!(!untouched.is_closed());
    assert_eq!(me(addr, &other).await.status, 200);
}

#[tokio::test]
async fn sessions_survive_a_server_restart() {
    let (dir, mut server) = start().await;
    add_supervisor(dir.path(), "zhang", &["site-a"], PASSWORD).unwrap();
    let (session, _) = login_ok(server.addr(), "zhang").await;
    server.restart().await.unwrap();
    assert_eq!(me(server.addr(), &session).await.status, 200);
    supervisor_tablet(server.addr(), &session).await;
}

#[tokio::test]
async fn supervisors_write_the_roster_and_devices_only_read_it() {
    let (dir, server) = start().await;
    let addr = server.addr();
    let a1_token = enroll(dir.path(), "site-a", "a1").unwrap();
    let a2_token = enroll(dir.path(), "site-a", "a2").unwrap();
    add_supervisor(dir.path(), "zhang", &["site-a"], PASSWORD).unwrap();
    let (session, _) = login_ok(addr, "zhang").await;
    let id = roster_id(&site_key(&server, &a1_token).await);

    // The supervisor creates the roster.
    let sup = supervisor_tablet(addr, &session).await;
    sup.insert(id, new_roster()).unwrap();
    wait_confirmed(&sup, id).await;

    // A device of the site fetches it.
    let a1 = device_tablet(addr, &a1_token).await;
    a1.want(id);
    a1.wait_until("a1 to receive the roster", WAIT, |c| {
        get(c, id, "schema").is_some()
    })
    .await
    .unwrap();

    // The device's own change stays on the device.
    put(&a1, id, "device_edit", 1);
    tokio::time::sleep(Duration::from_millis(500)).await;
    // The supervisor's next change goes through, to everyone.
    put(&sup, id, "supervisor_edit", 2);
    wait_confirmed(&sup, id).await;
    a1.wait_until("a1 to receive the supervisor's change", WAIT, |c| {
        get(c, id, "supervisor_edit").is_some()
    })
    .await
    .unwrap();

    let a2 = device_tablet(addr, &a2_token).await;
    a2.want(id);
    a2.wait_until("a2 to receive the supervisor's change", WAIT, |c| {
        get(c, id, "supervisor_edit").is_some()
    })
    .await
    .unwrap();
    assert!(a2.with_client(|c| get(c, id, "device_edit").is_none()));
    assert!(sup.with_client(|c| get(c, id, "device_edit").is_none()));
    assert!(
        a1.with_client(|c| c.unconfirmed(&id) > 0),
        "the server never confirms the device's change"
    );
}

/// Who sets a setting: a supervisor at a desk, or someone on a tablet.
fn setter(device: &str, role: Role) -> Attribution {
    Attribution {
        person_id: format!("someone-at-{device}"),
        person: format!("someone at {device}"),
        role,
        device: device.to_owned(),
        at_ms: 1_000,
    }
}

fn set_idle(tablet: &NativeTablet, id: DocumentId, minutes: i64, by: &Attribution) -> ChangeHash {
    tablet
        .change(id, |d| {
            settings::set(d, Setting::IdleSignOutMinutes, minutes, by).unwrap()
        })
        .unwrap()
}

fn idle_minutes(c: &SyncClient, id: DocumentId) -> Option<i64> {
    let doc = c.doc(&id)?;
    SiteSettings::new(doc)
        .ok()?
        .get(Setting::IdleSignOutMinutes)
        .ok()
}

#[tokio::test]
async fn supervisors_write_the_settings_and_devices_only_read_them() {
    let (dir, server) = start().await;
    let addr = server.addr();
    let a1_token = enroll(dir.path(), "site-a", "a1").unwrap();
    let a2_token = enroll(dir.path(), "site-a", "a2").unwrap();
    let b1_token = enroll(dir.path(), "site-b", "b1").unwrap();
    add_supervisor(dir.path(), "zhang", &["site-a"], PASSWORD).unwrap();
    let (session, _) = login_ok(addr, "zhang").await;
    let id = settings::document_id(&site_key(&server, &a1_token).await);
    let desk = setter("desk", Role::Supervisor);

    // The supervisor creates the site's settings and sets a value.
    let sup = supervisor_tablet(addr, &session).await;
    sup.insert(id, settings::genesis("site-a").unwrap())
        .unwrap();
    let first = set_idle(&sup, id, 5, &desk);
    wait_confirmed(&sup, id).await;

    // A device of the site reads them.
    let a1 = device_tablet(addr, &a1_token).await;
    a1.want(id);
    a1.wait_until("a1 to receive the settings", WAIT, |c| {
        idle_minutes(c, id) == Some(5)
    })
    .await
    .unwrap();

    // Its own change stays on the device; the supervisor's next one
    // reaches everyone.
    let device_change = set_idle(&a1, id, 30, &setter("a1", Role::Leader));
    tokio::time::sleep(Duration::from_millis(500)).await;
    let second = set_idle(&sup, id, 10, &desk);
    wait_confirmed(&sup, id).await;
    a1.wait_until("a1 to receive the supervisor's change", WAIT, |c| {
        c.doc(&id)
            .is_some_and(|d| d.get_change_by_hash(&second).is_some())
    })
    .await
    .unwrap();
    assert!(
        a1.with_client(|c| c.unconfirmed(&id) > 0),
        "the server never confirms the device's change"
    );

    let a2 = device_tablet(addr, &a2_token).await;
    a2.want(id);
    a2.wait_until("a2 to receive the supervisor's values", WAIT, |c| {
        idle_minutes(c, id) == Some(10)
    })
    .await
    .unwrap();
    for tablet in [&a2, &sup] {
        let doc = tablet.doc(id).unwrap();
        assert!(doc.get_change_by_hash(&device_change).is_none());
        let view = SiteSettings::new(&doc).unwrap();
        assert!(
            view.conflicts(Setting::IdleSignOutMinutes)
                .unwrap()
                .is_empty()
        );
    }

    // The server holds, and gives receipts for, the supervisor's changes
    // only (genesis is nobody's).
    let path = format!("/api/receipts/{id}");
    let deadline = tokio::time::Instant::now() + WAIT;
    let receipts = loop {
        let (status, body) = http_get(addr, &path, Some(&a2_token)).await.unwrap();
        assert_eq!(status, 200, "{body}");
        let json: serde_json::Value = serde_json::from_str(&body).unwrap();
        let keys: Vec<String> = json["receipts"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        if keys.len() >= 2 || tokio::time::Instant::now() > deadline {
            break keys;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let mut expected = vec![first.to_string(), second.to_string()];
    expected.sort();
    assert_eq!(receipts, expected);

    // Another site's device: unavailable, as if it did not exist.
    let b1 = device_tablet(addr, &b1_token).await;
    b1.want(id);
    b1.wait_until("site A's settings to be unavailable to b1", WAIT, |c| {
        c.is_unavailable(&id)
    })
    .await
    .unwrap();
    assert!(b1.doc(id).unwrap().get_heads().is_empty());
}

#[tokio::test]
async fn a_supervisor_cannot_fetch_another_sites_documents() {
    let (dir, server) = start().await;
    let addr = server.addr();
    enroll(dir.path(), "site-a", "a1").unwrap();
    let b1_token = enroll(dir.path(), "site-b", "b1").unwrap();
    add_supervisor(dir.path(), "zhang", &["site-a"], PASSWORD).unwrap();
    let key_b = site_key(&server, &b1_token).await;

    // b1 uploads a round of site B, started.
    let lobby = Round::lobby_opening("site-b", "2026-11-23");
    let round = lobby.id(&key_b);
    let b1 = device_tablet(addr, &b1_token).await;
    lobby.open(&b1, round, &setter("b1", Role::Staff)).unwrap();
    wait_confirmed(&b1, round).await;

    let (session, _) = login_ok(addr, "zhang").await;
    let sup = supervisor_tablet(addr, &session).await;
    for id in [round, roster_id(&key_b)] {
        sup.want(id);
        sup.wait_until("site B's document to be unavailable", WAIT, |c| {
            c.is_unavailable(&id)
        })
        .await
        .unwrap();
        assert!(sup.doc(id).unwrap().get_heads().is_empty());
    }
}

/// The text after `prefix` up to the next space on the first line of
/// `output` that contains `prefix`.
fn printed(output: &str, prefix: &str) -> String {
    let line = output
        .lines()
        .find(|l| l.contains(prefix))
        .unwrap_or_else(|| panic!("no `{prefix}` in the output:\n{output}"));
    let (_, rest) = line.split_once(prefix).unwrap();
    rest.split_whitespace().next().unwrap().to_owned()
}

async fn wait_for_output(server: &ServerProcess, needle: &str, times: usize) {
    let deadline = tokio::time::Instant::now() + WAIT;
    while server.output().matches(needle).count() < times {
        assert!(
            tokio::time::Instant::now() < deadline,
            "no `{needle}` ×{times} in the output:\n{}",
            server.output()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The roster as a demo tablet gets it from the server.
async fn fetch_roster(server: &ServerProcess, token: &str, id: DocumentId) -> Automerge {
    use shiftbook_model::roster::Roster;
    let tablet = device_tablet(server.addr(), token).await;
    tablet.want(id);
    tablet
        .wait_until("the whole demo roster", WAIT, |c| {
            c.doc(&id)
                .and_then(|d| Roster::new(d).ok()?.members().ok())
                .is_some_and(|m| m.len() == sync_server::demo::DEMO_PEOPLE.len())
        })
        .await
        .unwrap();
    let doc = tablet.doc(id).unwrap();
    tablet.disconnect();
    doc
}

#[tokio::test]
async fn the_demo_seeds_its_roster_and_supervisor_once() {
    use shiftbook_model::roster::{Roster, SignIn};
    use shiftbook_tests::server_process::ServerOptions;
    let dir = tempfile::tempdir().unwrap();
    let options = ServerOptions {
        demo: true,
        ..ServerOptions::default()
    };
    let mut server = ServerProcess::start_with(dir.path(), options)
        .await
        .unwrap();
    wait_for_output(&server, "PIN 1357", 1).await;
    let output = server.output();
    for line in [
        "zhang 张伟 (staff) PIN 1234",
        "wang 王芳 (staff) PIN 2345",
        "li 李娜 (leader) PIN 2468",
        "zhao 赵主管 (supervisor) PIN 1357",
    ] {
        assert!(output.contains(line), "{line} missing:\n{output}");
    }
    let link = printed(&output, "Enrol 大堂平板1: ");
    let token = link.split_once("#token=").unwrap().1.to_owned();
    let password = printed(
        &output,
        "Demo supervisor login (shown only now): user zhuguan password ",
    );
    assert_eq!(password.chars().count(), 12);

    // The demo supervisor logs in and sees the demo site.
    let r = login(server.addr(), "zhuguan", &password).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("\"demo\""), "{}", r.body);

    // A demo tablet fetches the roster and zhang signs in with 1234.
    let key = site_key(&server, &token).await;
    let id = shiftbook_model::roster::document_id(&key);
    let doc = fetch_roster(&server, &token, id).await;
    let roster = Roster::new(&doc).unwrap();
    assert_eq!(roster.site().unwrap(), "demo");
    let SignIn::Ok(zhang) = roster.verify_pin("zhang", "1234").unwrap() else {
        panic!("zhang cannot sign in with 1234");
    };
    assert_eq!(zhang.name, "张伟");
    assert_eq!(zhang.posts, ["lobby"]);
    let heads = doc.get_heads();
    let changes = doc.get_changes(&[]).len();
    assert_eq!(
        changes,
        1 + sync_server::demo::DEMO_PEOPLE.len(),
        "genesis and one change per person"
    );

    // A restart with --demo changes nothing: no new site, login or roster.
    server.restart().await.unwrap();
    wait_for_output(&server, "exists already", 1).await;
    let output = server.output();
    for once in [
        "Created demo site",
        "Demo supervisor login",
        "Demo roster",
        "Enrol 大堂平板1:",
    ] {
        assert_eq!(output.matches(once).count(), 1, "`{once}`:\n{output}");
    }
    assert_eq!(site_key(&server, &token).await, key);
    let again = fetch_roster(&server, &token, id).await;
    assert_eq!(again.get_heads(), heads);
    assert_eq!(again.get_changes(&[]).len(), changes);
    assert_eq!(login(server.addr(), "zhuguan", &password).await.status, 200);
}
