//! Serving the built tablet app (the `--app` directory, `app/dist` from
//! trunk) as a single-page app.
//!
//! * Existing files are served as they are.
//! * Any other path gets `index.html` (SPA fallback), so deep links such
//!   as `/enroll#token=…` open the app. `/api/…` and `/sync/…` never reach
//!   this fallback: the router answers them 404. Neither do missing files
//!   (a last path segment with an extension, like `/app-1f2e.wasm`): they
//!   are 404, so a stale asset URL can never be answered, and cached by the
//!   service worker, as HTML.
//! * `sw.js` and every HTML response carry `Cache-Control: no-cache`, so a
//!   new deployment's service worker and app shell are picked up.
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
    let names_a_file = path
        .rsplit('/')
        .next()
        .is_some_and(|segment| segment.contains('.'));
    let files = ServeDir::new(&state.app_dir).append_index_html_on_directories(true);
    let served = if names_a_file {
        files.oneshot(request).await
    } else {
        files.fallback(ServeFile::new(index)).oneshot(request).await
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
    if is_sw || is_html {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    }
    response
}
