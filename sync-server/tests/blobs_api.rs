//! `PUT` / `GET /api/blobs/{sha256}` without a socket: a photo stored for
//! a record of the caller's site, idempotent, read back by that site's
//! devices and supervisors and by nobody else; bytes that do not match
//! their name, bodies over the limit, other media types and records of
//! another site refused; a record the server does not hold yet asked for
//! again later; the daily limit per uploader.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::body::Body;
use axum::http::{Request, Response, StatusCode, header};
use common::{TestApp, body_text, built_app, session, store_change};
use http_body_util::BodyExt as _;
use sha2::{Digest, Sha256};
use shiftbook_model::DocumentId;
use sync_server::blobs::MAX_BLOB_BYTES;
use sync_server::principal::Uploader;
use sync_server::store::now_ms;

struct Fixture {
    _app_dir: tempfile::TempDir,
    app: TestApp,
    a_token: String,
    a2_token: String,
    b_token: String,
    /// A record of site A, on the server.
    a_doc: DocumentId,
    /// A record of site B, on the server.
    b_doc: DocumentId,
}

async fn fixture() -> Fixture {
    let app_dir = built_app();
    let app = TestApp::new(app_dir.path()).await;
    let a = app.enroll("site-a", "a1");
    let a2 = app.enroll("site-a", "a2");
    let b = app.enroll("site-b", "b1");
    let a_doc = DocumentId::from_random([1; 16]);
    let b_doc = DocumentId::from_random([2; 16]);
    let device = |e: &sync_server::store::Enrolment| Uploader::Device {
        id: e.device.id,
        name: e.device.name.clone(),
    };
    store_change(&app, a_doc, "site-a", device(&a), now_ms());
    store_change(&app, b_doc, "site-b", device(&b), now_ms());
    Fixture {
        _app_dir: app_dir,
        a_token: a.token.reveal().to_owned(),
        a2_token: a2.token.reveal().to_owned(),
        b_token: b.token.reveal().to_owned(),
        app,
        a_doc,
        b_doc,
    }
}

fn sha256_hex(data: &[u8]) -> String {
    Sha256::digest(data)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A fake JPEG of `n` bytes, different for each `seed`.
fn photo(seed: u8, n: usize) -> Vec<u8> {
    let mut bytes = vec![0xff, 0xd8, 0xff, 0xe0, seed];
    bytes.extend((0..n.saturating_sub(5)).map(|i| (i % 251) as u8 ^ seed));
    bytes
}

enum Caller<'a> {
    Device(&'a str),
    Cookie(&'a str),
}

fn authorised(req: axum::http::request::Builder, who: &Caller<'_>) -> axum::http::request::Builder {
    match who {
        Caller::Device(token) => req.header(header::AUTHORIZATION, format!("Bearer {token}")),
        Caller::Cookie(cookie) => req.header(header::COOKIE, format!("shiftbook_session={cookie}")),
    }
}

async fn put(
    app: &TestApp,
    who: Caller<'_>,
    name: &str,
    doc: &DocumentId,
    media_type: &str,
    body: Vec<u8>,
) -> Response<Body> {
    let req = Request::put(format!("/api/blobs/{name}?doc={doc}"))
        .header(header::CONTENT_TYPE, media_type);
    app.send(authorised(req, &who).body(Body::from(body)).unwrap())
        .await
}

/// Upload JPEG `bytes` named by their hash for record `doc`.
async fn send_jpeg(
    app: &TestApp,
    who: Caller<'_>,
    doc: &DocumentId,
    bytes: Vec<u8>,
) -> Response<Body> {
    let name = sha256_hex(&bytes);
    put(app, who, &name, doc, "image/jpeg", bytes).await
}

async fn get(app: &TestApp, who: Caller<'_>, name: &str) -> Response<Body> {
    let req = Request::get(format!("/api/blobs/{name}"));
    app.send(authorised(req, &who).body(Body::empty()).unwrap())
        .await
}

async fn bytes_of(r: Response<Body>) -> Vec<u8> {
    r.into_body().collect().await.unwrap().to_bytes().to_vec()
}

#[tokio::test]
async fn a_photo_is_stored_once_and_read_back_by_its_site_only() {
    let f = fixture().await;
    let jpeg = photo(1, 200_000);
    let name = sha256_hex(&jpeg);
    let r = send_jpeg(&f.app, Caller::Device(&f.a_token), &f.a_doc, jpeg.clone()).await;
    assert_eq!(r.status(), StatusCode::CREATED, "{}", body_text(r).await);
    // Sent again (the answer was lost): nothing changes.
    let r = send_jpeg(&f.app, Caller::Device(&f.a_token), &f.a_doc, jpeg.clone()).await;
    assert_eq!(r.status(), StatusCode::OK);

    // The site's other tablet and its supervisor read it, as it was sent.
    for who in [Caller::Device(&f.a2_token), Caller::Device(&f.a_token)] {
        let r = get(&f.app, who, &name).await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()[header::CONTENT_TYPE], "image/jpeg");
        assert_eq!(r.headers()[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert!(
            r.headers()[header::CACHE_CONTROL]
                .to_str()
                .unwrap()
                .contains("immutable")
        );
        assert_eq!(bytes_of(r).await, jpeg);
    }
    let boss = session(&f.app, "wang", &["site-a"]);
    let r = get(&f.app, Caller::Cookie(&boss), &name).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(bytes_of(r).await, jpeg);
    // What was acknowledged is in the data directory: another process
    // opening it reads the photo.
    let reopened = sync_server::Store::open(f.app.dir.path()).unwrap();
    let kept = reopened
        .blob(&name, |site| site == "site-a")
        .unwrap()
        .unwrap();
    assert_eq!(
        (kept.media_type.as_str(), kept.data),
        ("image/jpeg", jpeg.clone())
    );
    assert_eq!(reopened.blob(&name, |site| site == "site-b").unwrap(), None);

    // Another site's tablet and supervisor: as if it did not exist.
    let r = get(&f.app, Caller::Device(&f.b_token), &name).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let other = session(&f.app, "li", &["site-b"]);
    let r = get(&f.app, Caller::Cookie(&other), &name).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = get(
        &f.app,
        Caller::Device(&f.a_token),
        &sha256_hex(b"never uploaded"),
    )
    .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    // Nobody: 401.
    let r = f.app.get(&format!("/api/blobs/{name}"), None).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);

    // The same photo attached by site B to its own record: both hold it.
    let r = send_jpeg(&f.app, Caller::Device(&f.b_token), &f.b_doc, jpeg.clone()).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let r = get(&f.app, Caller::Device(&f.b_token), &name).await;
    assert_eq!(bytes_of(r).await, jpeg);
}

#[tokio::test]
async fn bytes_that_do_not_match_their_name_are_refused() {
    let f = fixture().await;
    let jpeg = photo(2, 10_000);
    let mut tampered = jpeg.clone();
    tampered[100] ^= 1;
    let name = sha256_hex(&jpeg);
    let r = put(
        &f.app,
        Caller::Device(&f.a_token),
        &name,
        &f.a_doc,
        "image/jpeg",
        tampered,
    )
    .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(body_text(r).await.contains("do not match"));
    let r = get(&f.app, Caller::Device(&f.a_token), &name).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND, "nothing was stored");
    // Names that are not a SHA-256.
    for bad in ["abc", &name.to_uppercase(), &format!("{name}0")] {
        let r = put(
            &f.app,
            Caller::Device(&f.a_token),
            bad,
            &f.a_doc,
            "image/jpeg",
            jpeg.clone(),
        )
        .await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{bad}");
    }
}

#[tokio::test]
async fn a_body_over_the_limit_and_a_non_photo_are_refused() {
    let f = fixture().await;
    let big = photo(3, MAX_BLOB_BYTES + 1);
    let r = send_jpeg(&f.app, Caller::Device(&f.a_token), &f.a_doc, big).await;
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let html = b"<script>alert(1)</script>".to_vec();
    let r = put(
        &f.app,
        Caller::Device(&f.a_token),
        &sha256_hex(&html),
        &f.a_doc,
        "text/html",
        html,
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

#[tokio::test]
async fn a_photo_for_another_sites_record_is_refused_and_one_for_a_record_not_yet_sent_waits() {
    let f = fixture().await;
    let jpeg = photo(4, 5_000);
    let name = sha256_hex(&jpeg);
    // Site B's record, from a site A tablet: as if the record did not exist.
    let r = send_jpeg(&f.app, Caller::Device(&f.a_token), &f.b_doc, jpeg.clone()).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = get(&f.app, Caller::Device(&f.b_token), &name).await;
    assert_eq!(
        r.status(),
        StatusCode::NOT_FOUND,
        "site B holds nothing new"
    );
    // A supervisor of site B only, for site A's record: refused too.
    let other = session(&f.app, "li", &["site-b"]);
    let r = send_jpeg(&f.app, Caller::Cookie(&other), &f.a_doc, jpeg.clone()).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    // A record the server does not hold yet: try again after it is sent.
    let unsent = DocumentId::from_random([3; 16]);
    let r = send_jpeg(&f.app, Caller::Device(&f.a_token), &unsent, jpeg.clone()).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    // Without saying which record: a clear refusal.
    let req = Request::put(format!("/api/blobs/{name}"))
        .header(header::CONTENT_TYPE, "image/jpeg")
        .header(header::AUTHORIZATION, format!("Bearer {}", f.a_token));
    let r = f.app.send(req.body(Body::from(jpeg)).unwrap()).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(body_text(r).await.contains("?doc="));
}

#[tokio::test]
async fn one_uploader_cannot_pass_its_daily_bytes() {
    let app_dir = built_app();
    let limit = 1_000_000;
    let app = TestApp::configured(app_dir.path(), |s| s.with_blob_bytes_per_day(limit)).await;
    let a = app.enroll("site-a", "a1");
    let a2 = app.enroll("site-a", "a2");
    let doc = DocumentId::from_random([1; 16]);
    let by = Uploader::Device {
        id: a.device.id,
        name: a.device.name.clone(),
    };
    store_change(&app, doc, "site-a", by, now_ms());
    let (a, a2) = (a.token.reveal().to_owned(), a2.token.reveal().to_owned());
    for seed in 0..3 {
        let p = photo(seed, 300_000);
        let r = send_jpeg(&app, Caller::Device(&a), &doc, p).await;
        assert_eq!(r.status(), StatusCode::CREATED, "photo {seed}");
    }
    let p = photo(9, 300_000);
    let r = send_jpeg(&app, Caller::Device(&a), &doc, p.clone()).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(body_text(r).await.contains("wait on the tablet"));
    // Another tablet of the same site is not held back by it.
    let r = send_jpeg(&app, Caller::Device(&a2), &doc, p).await;
    assert_eq!(r.status(), StatusCode::CREATED);
}
