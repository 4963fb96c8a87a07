//! `GET /api/receipts/{doc}` without a socket: who may read a document's
//! receipts, and the answer's shape. The recording itself is tested in
//! `doc_store/tests.rs` and `hub/tests.rs` and, against the real binary,
//! in `tests/tests/server_receipts.rs`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{TestApp, body_text, built_app, session, store_change};
use shiftbook_model::DocumentId;
use std::collections::BTreeMap;
use sync_server::doc_store::{DocStore, WriteOp};
use sync_server::principal::Uploader;
use sync_server::receipts::ReceiptsInfo;
use sync_server::token::TokenDigest;

struct Fixture {
    _app_dir: tempfile::TempDir,
    app: TestApp,
    a_token: String,
    b_token: String,
    /// A document uploaded by site A's a1, a change at each of two times.
    doc: DocumentId,
    receipts: BTreeMap<String, i64>,
}

async fn fixture() -> Fixture {
    let app_dir = built_app();
    let app = TestApp::new(app_dir.path()).await;
    let a = app.enroll("site-a", "a1");
    let b = app.enroll("site-b", "b1");
    let doc = DocumentId::from_random([42; 16]);
    let by = || Uploader::Device {
        id: a.device.id,
        name: a.device.name.clone(),
    };
    let h1 = store_change(&app, doc, "site-a", by(), 1_700_000_000_000);
    let h2 = store_change(&app, doc, "site-a", by(), 1_700_000_000_500);
    let receipts = BTreeMap::from([(h1, 1_700_000_000_000), (h2, 1_700_000_000_500)]);
    Fixture {
        _app_dir: app_dir,
        a_token: a.token.reveal().to_owned(),
        b_token: b.token.reveal().to_owned(),
        app,
        doc,
        receipts,
    }
}

fn path(doc: &impl std::fmt::Display) -> String {
    format!("/api/receipts/{doc}")
}

async fn get_with_cookie(app: &TestApp, uri: &str, cookie: &str) -> axum::http::Response<Body> {
    app.send(
        Request::get(uri)
            .header("cookie", format!("shiftbook_session={cookie}"))
            .body(Body::empty())
            .unwrap(),
    )
    .await
}

#[tokio::test]
async fn the_owner_sites_device_reads_the_receipts_uncached() {
    let f = fixture().await;
    for uri in [
        path(&f.doc),
        format!("{}?token={}", path(&f.doc), f.a_token),
    ] {
        let bearer = (!uri.contains("token=")).then_some(f.a_token.as_str());
        let r = f.app.get(&uri, bearer).await;
        assert_eq!(r.status(), StatusCode::OK, "{uri}");
        assert_eq!(r.headers()[header::CACHE_CONTROL], "no-store");
        assert!(
            r.headers()[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("application/json")
        );
        let body: ReceiptsInfo = serde_json::from_str(&body_text(r).await).unwrap();
        assert_eq!(
            body,
            ReceiptsInfo {
                doc: f.doc.to_string(),
                receipts: f.receipts.clone(),
                uploaded_by: f
                    .receipts
                    .keys()
                    .map(|h| (h.clone(), "a1".to_owned()))
                    .collect(),
            }
        );
    }
    // The `automerge:` URL form names the same document.
    let r = f.app.get(&path(&f.doc.url()), Some(&f.a_token)).await;
    assert_eq!(r.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_known_document_without_receipts_has_an_empty_map() {
    let f = fixture().await;
    let a2 = f.app.enroll("site-a", "a2");
    // Registered by purpose, nothing uploaded yet.
    let purpose = "duty-log/2026-11-23";
    let fresh = DocumentId::derive(&a2.site.key, purpose);
    let register = WriteOp::Register {
        site: "site-a".into(),
        purpose: purpose.into(),
        by: Uploader::Device {
            id: a2.device.id,
            name: a2.device.name.clone(),
        },
    };
    let mut docs = DocStore::open(f.app.dir.path()).unwrap();
    docs.commit(&[(fresh, register)]).unwrap();
    let r = f.app.get(&path(&fresh), Some(a2.token.reveal())).await;
    assert_eq!(r.status(), StatusCode::OK);
    let json: serde_json::Value = serde_json::from_str(&body_text(r).await).unwrap();
    assert_eq!(
        json,
        serde_json::json!({ "doc": fresh.to_string(), "receipts": {}, "uploaded_by": {} })
    );
}

#[tokio::test]
async fn other_sites_and_unowned_documents_are_not_found_alike() {
    let f = fixture().await;
    let other = f.app.get(&path(&f.doc), Some(&f.b_token)).await;
    assert_eq!(other.status(), StatusCode::NOT_FOUND);
    let other_body = body_text(other).await;
    // A document nobody owns, with receipts (cannot happen through sync,
    // but the owner decides, not the receipts).
    let unowned = DocumentId::from_random([44; 16]);
    rusqlite::Connection::open(f.app.dir.path().join(sync_server::store::DB_FILE))
        .unwrap()
        .execute(
            "INSERT INTO change_receipts (doc_id, change_hash, received_at) VALUES (?1, ?2, 1)",
            rusqlite::params![unowned.to_string(), "03".repeat(32)],
        )
        .unwrap();
    for token in [&f.a_token, &f.b_token] {
        let r = f.app.get(&path(&unowned), Some(token)).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        assert_eq!(body_text(r).await, other_body);
    }
    assert!(!other_body.contains(&f.doc.to_string()));
}

#[tokio::test]
async fn supervisors_read_their_sites_documents_by_session_cookie() {
    let f = fixture().await;
    let zhang = session(&f.app, "zhang", &["site-b", "site-a"]);
    let li = session(&f.app, "li", &["site-b"]);
    let r = get_with_cookie(&f.app, &path(&f.doc), &zhang).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()[header::CACHE_CONTROL], "no-store");
    let body: ReceiptsInfo = serde_json::from_str(&body_text(r).await).unwrap();
    assert_eq!(body.receipts, f.receipts);
    let r = get_with_cookie(&f.app, &path(&f.doc), &li).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    // An ended session is no credential.
    f.app.store.end_session(&TokenDigest::of(&zhang)).unwrap();
    let r = get_with_cookie(&f.app, &path(&f.doc), &zhang).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn no_or_bad_credentials_are_401_before_anything_else() {
    let f = fixture().await;
    let gone = f.app.enroll("site-a", "gone");
    f.app.store.revoke("gone").unwrap();
    for uri in [path(&f.doc), path(&"not-an-id")] {
        let r = f.app.get(&uri, None).await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "{uri}");
        for bad in ["nope", gone.token.reveal()] {
            let r = f.app.get(&uri, Some(bad)).await;
            assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "{uri}");
        }
        let r = get_with_cookie(&f.app, &uri, "no-such-session").await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "{uri}");
    }
}

#[tokio::test]
async fn a_malformed_id_is_400() {
    let f = fixture().await;
    let valid = f.doc.to_string();
    let mut typo = valid.clone();
    // Change one character: the base58 checksum no longer matches.
    let last = typo.pop().unwrap();
    typo.push(if last == 'a' { 'b' } else { 'a' });
    for bad in ["not-an-id", "0OIl", "automerge:", typo.as_str()] {
        let r = f.app.get(&path(&bad), Some(&f.a_token)).await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{bad}");
        assert!(body_text(r).await.contains("not a document id"));
    }
    let r = f.app.get("/api/receipts/", Some(&f.a_token)).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND, "no id: no such route");
}
