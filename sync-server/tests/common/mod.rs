//! Helpers shared by the sync-server HTTP tests: an app over a temporary
//! data directory, with no socket.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use axum::Router;
use axum::body::Body;
use axum::http::{Request, Response};
use http_body_util::BodyExt as _;
use shiftbook_model::protocol::PeerId;
use std::path::Path;
use sync_server::peers::PeerRegistry;
use sync_server::store::Enrolment;
use sync_server::sync_runtime::{RuntimeConfig, SyncRuntime};
use sync_server::{AppState, Store, app};
use tower::ServiceExt as _;

/// An app over a fresh data directory and the given app directory.
pub struct TestApp {
    pub dir: tempfile::TempDir,
    pub store: Store,
    pub router: Router,
    pub sync: SyncRuntime,
}

impl TestApp {
    pub async fn new(app_dir: &Path) -> Self {
        Self::with_cookies(app_dir, false).await
    }

    /// An app whose session cookies are `Secure` when `secure` is set.
    pub async fn with_cookies(app_dir: &Path, secure: bool) -> Self {
        Self::configured(app_dir, |state| state.with_secure_cookies(secure)).await
    }

    /// An app whose state `configure` adjusts.
    pub async fn configured(app_dir: &Path, configure: impl FnOnce(AppState) -> AppState) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let sync = SyncRuntime::start(
            RuntimeConfig::new(dir.path()),
            PeerId::new("test-server").unwrap(),
        )
        .unwrap();
        let state = AppState::new(
            store.clone(),
            PeerRegistry::new(),
            sync.clone(),
            app_dir.to_owned(),
        )
        .with_secure_cookies(false);
        Self {
            dir,
            store,
            router: app(configure(state)),
            sync,
        }
    }

    pub fn enroll(&self, site: &str, name: &str) -> Enrolment {
        self.store.enroll(site, site, name).unwrap()
    }

    pub async fn get(&self, uri: &str, bearer: Option<&str>) -> Response<Body> {
        let mut req = Request::get(uri);
        if let Some(t) = bearer {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        self.router
            .clone()
            .oneshot(req.body(Body::empty()).unwrap())
            .await
            .unwrap()
    }

    /// A request that asks for a WebSocket upgrade (oneshot cannot
    /// complete one, but authentication runs first).
    pub async fn upgrade(&self, uri: &str, bearer: Option<&str>) -> Response<Body> {
        let mut req = Request::get(uri)
            .header("connection", "upgrade")
            .header("upgrade", "websocket")
            .header("sec-websocket-version", "13")
            .header("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ==");
        if let Some(t) = bearer {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        self.router
            .clone()
            .oneshot(req.body(Body::empty()).unwrap())
            .await
            .unwrap()
    }
}

impl TestApp {
    /// Send `req` through the router.
    pub async fn send(&self, req: Request<Body>) -> Response<Body> {
        self.router.clone().oneshot(req).await.unwrap()
    }

    /// `POST /api/login` with this JSON body.
    pub async fn login(&self, body: &str) -> Response<Body> {
        self.send(
            Request::post("/api/login")
                .header("content-type", "application/json")
                .body(Body::from(body.to_owned()))
                .unwrap(),
        )
        .await
    }
}

/// Store one change of `doc` (a new key `at-<at_ms>`) uploaded by `by` at
/// `at_ms`, claiming the document for `site` if it has no owner; the
/// change's hash.
pub fn store_change(
    app: &TestApp,
    doc: shiftbook_model::DocumentId,
    site: &str,
    by: sync_server::principal::Uploader,
    at_ms: i64,
) -> String {
    use automerge::transaction::Transactable as _;
    use sync_server::doc_store::{DocStore, NewChange, WriteOp};
    let mut docs = DocStore::open(app.dir.path()).unwrap();
    let mut content = docs.load(&doc).unwrap().doc;
    content.set_actor(automerge::ActorId::from(vec![1; 16]));
    let before = content.get_heads();
    content
        .transact::<_, _, automerge::AutomergeError>(|tx| {
            tx.put(automerge::ROOT, format!("at-{at_ms}"), at_ms)?;
            Ok(())
        })
        .unwrap();
    let changes: Vec<NewChange> = content
        .get_changes(&before)
        .into_iter()
        .map(|c| NewChange {
            hash: c.hash(),
            bytes: c.raw_bytes().to_vec(),
            genesis: false,
            by: by.clone(),
            at_ms,
        })
        .collect();
    let hash = changes[0].hash.to_string();
    let op = WriteOp::Persist {
        changes,
        claim_for: Some(site.to_owned()),
    };
    docs.commit(&[(doc, op)]).unwrap().pop().unwrap().unwrap();
    hash
}

/// Log supervisor `name` of `sites` in directly through the store; the
/// cookie value.
pub fn session(app: &TestApp, name: &str, sites: &[&str]) -> String {
    let phc = sync_server::password::hash("correct horse").unwrap();
    let sites: Vec<String> = sites.iter().map(|s| (*s).to_owned()).collect();
    app.store.add_supervisor(name, &phc, &sites).unwrap();
    let cookie = format!("cookie-of-{name}");
    app.store
        .create_session(
            name,
            &sync_server::token::TokenDigest::of(&cookie),
            sync_server::store::now_ms() + 60_000,
        )
        .unwrap();
    cookie
}

pub async fn body_text(response: Response<Body>) -> String {
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// A built-app directory with an index page, a service worker and an asset.
pub fn built_app() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("index.html"),
        "<!doctype html><title>app</title>SHELL",
    )
    .unwrap();
    std::fs::write(dir.path().join("sw.js"), "// service worker").unwrap();
    std::fs::create_dir(dir.path().join("assets")).unwrap();
    std::fs::write(dir.path().join("assets/app.js"), "console.log(1)").unwrap();
    dir
}
