//! Serving the built tablet app (the `--app` directory, `app/dist` from
//! `scripts/build-app.sh`) as a single-page app.
//!
//! * Existing files are served as they are.
//! * Any other path gets `index.html` (SPA fallback), so deep links such
//!   as `/enroll#token=…` open the app. `/api/…` and `/sync/…` never reach
//!   this fallback: the router answers them 404. Neither do missing files
//!   (a last path segment with an extension, like `/app-1f2e.wasm`): they
//!   are 404, so a stale asset URL can never be answered, and cached by the
//!   service worker, as HTML.
//! * `sw.js` and every HTML response carry `Cache-Control: no-cache`, so a
//!   new deployment's service worker and app shell are picked up. Files
//!   whose names carry the build's content hash (`name-<hex>.js`, `…_bg.wasm`,
//!   `.css`, the split pieces' `.wasm`; up to 16 hex digits) never change under
//!   that name: `immutable`, for a year.
//! * A file with a precompressed sibling built with the app (`file.br`,
//!   `file.gz`: `scripts/precompress.sh`) is sent as that, with its
//!   `Content-Encoding`, to a client that accepts it (brotli first); every
//!   file response says `Vary: Accept-Encoding`. The 4.3 MB wasm is about
//!   1.2 MB as brotli. A sibling is trusted to hold its file's bytes: a
//!   deployment replaces the whole directory with a build's output.
//! * If the app is not built (no `index.html`), every path answers a short
//!   page saying so instead of failing. The check is made per request, so
//!   building the app while the server runs is enough.

use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use tower::ServiceExt as _;
use tower_http::services::{ServeDir, ServeFile};

/// Shown when the app directory holds no `index.html`.
pub const NOT_BUILT_PAGE: &str = "<!doctype html>
<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>Shiftbook 值班簿</title></head>
<body><h1>Shiftbook 值班簿</h1>
<p>应用尚未构建 · The app is not built yet.</p>
<p>Build it (see README), or start the server with <code>--app &lt;dir&gt;</code> pointing at the built app.
The sync service at <code>/sync</code> works regardless.</p>
</body></html>
";

/// The fallback handler: static files, SPA fallback, or the not-built page.
pub async fn serve_app(State(state): State<AppState>, request: Request) -> Response {
    let index = state.app_dir.join("index.html");
    let built = tokio::fs::metadata(&index).await.is_ok_and(|m| m.is_file());
    if !built {
        return (StatusCode::OK, Html(NOT_BUILT_PAGE)).into_response();
    }
    let path = request.uri().path();
    let is_sw = path == "/sw.js";
    let last_segment = path.rsplit('/').next().unwrap_or_default();
    let names_a_file = last_segment.contains('.');
    let immutable = is_hashed_name(last_segment);
    let files = ServeDir::new(&state.app_dir)
        .append_index_html_on_directories(true)
        .precompressed_br()
        .precompressed_gzip();
    let served = if names_a_file {
        files.oneshot(request).await
    } else {
        let shell = ServeFile::new(index)
            .precompressed_br()
            .precompressed_gzip();
        files.fallback(shell).oneshot(request).await
    };
    let mut response = match served {
        Ok(r) => r.into_response(),
        Err(never) => match never {},
    };
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let ok = response.status().is_success();
    let headers = response.headers_mut();
    if ok {
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    if is_sw || is_html {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    } else if immutable && ok {
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        );
    }
    response
}

/// Whether a file name carries the build's content hash:
/// `<name>-<8 to 16 lowercase hex>[_bg].<js|wasm|css>` (build-app.sh writes
/// 16 digits; trunk, which built the app before, wrote a 64-bit hash
/// without leading zeros).
pub fn is_hashed_name(name: &str) -> bool {
    let Some((stem, ext)) = name.rsplit_once('.') else {
        return false;
    };
    if !matches!(ext, "js" | "wasm" | "css") {
        return false;
    }
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(base, hash)| {
        !base.is_empty()
            && (8..=16).contains(&hash.len())
            && hash
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

#[cfg(test)]
mod tests {
    use super::is_hashed_name;

    #[test]
    fn hashed_names_are_recognised() {
        for hashed in [
            // The split loader and pieces (scripts/build-app.sh).
            "__wasm_split-9375e0df1b9edb58.js",
            "split_screens-3006be71b2d1682d.wasm",
            "chunk_3-618396a466bcc900.wasm",
            "shiftbook-app-e76558166b1101a2.js",
            "shiftbook-app-e76558166b1101a2_bg.wasm",
            "app-1feab9fcbbaf2a47.css",
            // A hash with a leading zero is written with 15 digits.
            "shiftbook-app-6fb28a1b02388e7_bg.wasm",
        ] {
            assert!(is_hashed_name(hashed), "{hashed}");
        }
        for plain in [
            "sw.js",
            "index.html",
            "app.js",
            "manifest.webmanifest",
            "app-1feab9f.css",
            "app-1feab9fcbbaf2a47a.css",
            "app-1FEAB9FCBBAF2A47.css",
            "-1feab9fcbbaf2a47.css",
            "app-1feab9fcbbaf2a47.html",
        ] {
            assert!(!is_hashed_name(plain), "{plain}");
        }
    }
}
