//! Whose a document is, against the real binary over real sockets: a
//! device of site B — or a supervisor of only site B — can never make a
//! site-A document unavailable to site A, nor read or write it, whatever
//! it sends (a bare request, a sync with the document's genesis, content
//! of its own) and whether before or after site A uploads it; for derived
//! ids (which a former holder of a site-A token can predict) and random
//! ones alike.
//!
//! Build the binary first: `cargo build -p sync-server`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use automerge::transaction::Transactable as _;
use automerge::{Automerge, ROOT, ReadDoc};
use shiftbook_model::checklist::{self, Checklist, Status};
use shiftbook_model::{DocumentId, SiteKey};
use shiftbook_tests::fixtures;
use shiftbook_tests::native_tablet::{NativeTablet, TokenVia};
use shiftbook_tests::rounds::{LOBBY_SLOT, Round};
use shiftbook_tests::server_process::{ServerProcess, add_supervisor, enroll};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(10);
const DATE: &str = "2026-11-23";
const PASSWORD: &str = "correct horse battery";

struct World {
    _dir: tempfile::TempDir,
    server: ServerProcess,
    a1: String,
    a2: String,
    b1: String,
    /// The session cookie of `lin`, supervisor of site B only.
    lin: String,
    key_a: SiteKey,
}

async fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let server = ServerProcess::start(dir.path()).await.unwrap();
    let a1 = enroll(dir.path(), "site-a", "a1").unwrap();
    let a2 = enroll(dir.path(), "site-a", "a2").unwrap();
    let b1 = enroll(dir.path(), "site-b", "b1").unwrap();
    add_supervisor(dir.path(), "lin", &["site-b"], PASSWORD).unwrap();
    let login = fixtures::login(server.addr(), "lin", PASSWORD)
        .await
        .unwrap();
    assert_eq!(login.status, 200, "{}", login.body);
    let cookie = login.header("set-cookie").unwrap();
    let lin = cookie
        .split(';')
        .next()
        .unwrap()
        .strip_prefix("shiftbook_session=")
        .unwrap()
        .to_owned();
    let key_a = fixtures::site_key(server.addr(), &a1).await.unwrap();
    World {
        _dir: dir,
        server,
        a1,
        a2,
        b1,
        lin,
        key_a,
    }
}

impl World {
    async fn device(&self, token: &str) -> NativeTablet {
        NativeTablet::connect_ready(self.server.addr(), token, WAIT)
            .await
            .unwrap()
    }

    /// Site B's device and site B's only supervisor, each freshly
    /// connected.
    async fn intruders(&self) -> Vec<(&'static str, NativeTablet)> {
        let supervisor = NativeTablet::connect_with_session(self.server.addr(), &self.lin)
            .await
            .unwrap();
        supervisor.wait_connected(WAIT).await.unwrap();
        vec![("b1", self.device(&self.b1).await), ("lin", supervisor)]
    }
}

fn round() -> Round {
    Round::lobby_opening("site-a", DATE)
}

/// Content of an intruder's own for `id`: a key no site-A tablet writes.
fn intruding(who: &str) -> Automerge {
    let mut doc = Automerge::new();
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        tx.put(ROOT, "intruder", who)?;
        Ok(())
    })
    .unwrap();
    doc
}

/// Everything an intruder can send about `id`, each on its own connection
/// state: a bare request, the document's genesis (as a tablet opening the
/// round would), and content of its own. Each must end unavailable.
async fn try_everything(name: &str, t: &NativeTablet, id: DocumentId, genesis: Option<Automerge>) {
    t.want(id);
    t.wait_until(&format!("{name}'s request to be refused"), WAIT, |c| {
        c.is_unavailable(&id)
    })
    .await
    .unwrap();
    if let Some(genesis) = genesis {
        t.insert(id, genesis).unwrap();
        t.retry_unavailable();
        t.wait_until(&format!("{name}'s genesis sync to be refused"), WAIT, |c| {
            c.is_unavailable(&id)
        })
        .await
        .unwrap();
    }
    t.insert(id, intruding(name)).unwrap();
    t.retry_unavailable();
    t.wait_until(&format!("{name}'s upload to be refused"), WAIT, |c| {
        c.is_unavailable(&id)
    })
    .await
    .unwrap();
    assert!(
        t.with_client(|c| c.unconfirmed(&id)) > 0,
        "{name}: nothing confirmed"
    );
}

/// Site A's tablets sync `id` between them and see nothing of an intruder.
async fn site_a_still_syncs(w: &World, a1: &NativeTablet, id: DocumentId, item: &str) {
    a1.change(id, |d| {
        checklist::mark(
            d,
            LOBBY_SLOT,
            item,
            Status::Normal,
            "",
            &fixtures::staff_author("a1", 2_000),
        )
        .unwrap()
    })
    .unwrap();
    a1.wait_confirmed(id, WAIT).await.unwrap();
    let a2 = w.device(&w.a2).await;
    a2.want(id);
    a2.wait_until("a2 to fetch site A's round", WAIT, |c| {
        c.doc(&id).is_some_and(|d| {
            Checklist::new(d)
                .ok()
                .and_then(|r| r.item_state(LOBBY_SLOT, item).ok())
                .is_some_and(|s| s != checklist::ItemState::Unmarked)
        })
    })
    .await
    .unwrap();
    let doc = a2.doc(id).unwrap();
    assert_eq!(
        doc.get(ROOT, "intruder").unwrap(),
        None,
        "nothing of an intruder"
    );
    assert_eq!(doc.get_heads(), a1.doc(id).unwrap().get_heads());
}

#[tokio::test]
async fn another_site_cannot_take_a_derived_document_before_its_site_uploads_it() {
    let w = world().await;
    let id = round().id(&w.key_a);
    // Site B knows the id (it once held a site-A token) and tries
    // everything before site A has opened the round — including
    // uploading content of its own first.
    let intruders = w.intruders().await;
    for (_, t) in &intruders {
        t.want(id);
        t.wait_until("a bare request to be refused", WAIT, |c| {
            c.is_unavailable(&id)
        })
        .await
        .unwrap();
    }
    // b1 squats: with nobody's registration yet, its upload claims the id
    // for site B (as a random id's first upload would).
    let (name, b1) = &intruders[0];
    b1.insert(id, intruding(name)).unwrap();
    b1.retry_unavailable();
    b1.wait_confirmed(id, WAIT).await.unwrap();
    // Site A's tablet opens the round, registering its purpose (derived
    // from site A's key): it is site A's, and b1's squat is set aside.
    let a1 = w.device(&w.a1).await;
    a1.note_purpose(id, &checklist::purpose(&round().template.id, DATE));
    round()
        .open(&a1, id, &fixtures::staff_author("a1", 500))
        .unwrap();
    a1.wait_confirmed(id, WAIT).await.unwrap();
    site_a_still_syncs(&w, &a1, id, "doors").await;
    // And site B can do nothing with it afterwards.
    for (name, t) in w.intruders().await {
        try_everything(name, &t, id, Some(round().genesis().unwrap())).await;
    }
    site_a_still_syncs(&w, &a1, id, "lifts").await;
}

#[tokio::test]
async fn another_site_cannot_take_a_derived_document_after_its_site_uploads_it() {
    let w = world().await;
    let id = round().id(&w.key_a);
    let a1 = w.device(&w.a1).await;
    a1.note_purpose(id, &checklist::purpose(&round().template.id, DATE));
    round()
        .open(&a1, id, &fixtures::staff_author("a1", 500))
        .unwrap();
    a1.wait_confirmed(id, WAIT).await.unwrap();
    for (name, t) in w.intruders().await {
        try_everything(name, &t, id, Some(round().genesis().unwrap())).await;
    }
    site_a_still_syncs(&w, &a1, id, "doors").await;
}

#[tokio::test]
async fn another_site_cannot_take_a_random_document_before_or_after_its_upload() {
    let w = world().await;
    let id = DocumentId::from_random([77; 16]);
    // Before: asking claims nothing.
    for (name, t) in w.intruders().await {
        t.want(id);
        t.wait_until(&format!("{name}'s request to be refused"), WAIT, |c| {
            c.is_unavailable(&id)
        })
        .await
        .unwrap();
    }
    // Site A uploads (a plain automerge-repo client's `create`).
    let a1 = w.device(&w.a1).await;
    round()
        .open(&a1, id, &fixtures::staff_author("a1", 500))
        .unwrap();
    a1.wait_confirmed(id, WAIT).await.unwrap();
    // After: nothing site B sends gets it.
    for (name, t) in w.intruders().await {
        try_everything(name, &t, id, Some(round().genesis().unwrap())).await;
    }
    site_a_still_syncs(&w, &a1, id, "doors").await;
}

#[tokio::test]
async fn a_device_cannot_register_for_another_site() {
    let w = world().await;
    let b1 = NativeTablet::connect(w.server.addr(), &w.b1, TokenVia::Query)
        .await
        .unwrap();
    b1.wait_connected(WAIT).await.unwrap();
    b1.set_site("site-a");
    let id = round().id(&w.key_a);
    b1.note_purpose(id, "checklist/3/lobby-opening/2026-11-23");
    b1.insert(id, intruding("b1")).unwrap();
    b1.wait_closed(WAIT).await.unwrap();
    let (code, _) = b1.close_frame().unwrap();
    assert_eq!(code, 1002, "a protocol violation");
}
