//! Serves the console's `dist/` with an SPA fallback.
//!
//! - An existing file is served with its MIME type (`.wasm` → `application/wasm`).
//! - A missing file — a path whose last segment has a file extension (`/nope.js`,
//!   `/a/b.wasm`) — is a plain 404, as with nginx, so a stale or mistyped asset URL fails
//!   visibly instead of receiving the console's page. Console page URLs (`/endpoints/…`) never
//!   count as files: endpoint names cannot contain a dot, but no name is guessed at here.
//! - Any other GET/HEAD path gets `dist/index.html` with 200, so deep links such as
//!   `/endpoints/x/logs` survive a reload. (`/api/`, `/serving-endpoints/` and `/__emulator/`
//!   never get here: they answer JSON 404s.)
//! - `index.html` (also as the fallback) and `config.json` get `Cache-Control: no-cache`;
//!   content-hashed assets (trunk's `name-<hex hash>.ext`) get a year, `immutable`; anything
//!   else `no-cache`.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use std::path::Path;
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

/// `Cache-Control` for revalidate-every-time files.
pub const NO_CACHE: &str = "no-cache";
/// `Cache-Control` for content-hashed assets.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// Serve `req` from `dist`, falling back to `dist/index.html`.
pub async fn serve(dist: &Path, req: Request) -> Response {
    let method = req.method().clone();
    let headers = req.headers().clone();
    let path = req.uri().path().to_string();
    // `make build` writes `.br`/`.gz` beside each asset; they are served when the browser accepts them.
    let files = ServeDir::new(dist).precompressed_br().precompressed_gzip();
    let res = match files.oneshot(req).await {
        Ok(r) => r.map(Body::new),
        Err(never) => match never {},
    };
    if res.status() != StatusCode::NOT_FOUND || !(method == Method::GET || method == Method::HEAD) {
        let cache = cache_control_for(&path);
        return with_cache_control(res, cache);
    }
    if looks_like_a_file(&path) {
        return (StatusCode::NOT_FOUND, "Not found\n").into_response();
    }
    // SPA fallback: index.html with 200.
    let mut index_req = Request::new(Body::empty());
    *index_req.method_mut() = method;
    *index_req.headers_mut() = headers;
    index_req.headers_mut().remove(header::RANGE);
    let res = match ServeFile::new(dist.join("index.html"))
        .precompressed_br()
        .precompressed_gzip()
        .oneshot(index_req)
        .await
    {
        Ok(r) => r.map(Body::new),
        Err(never) => match never {},
    };
    if res.status() == StatusCode::NOT_FOUND {
        return (
            StatusCode::NOT_FOUND,
            "index.html is missing from the dist directory; run `make build`",
        )
            .into_response();
    }
    with_cache_control(res, NO_CACHE)
}

fn with_cache_control(mut res: Response, value: &'static str) -> Response {
    if res.status().is_success() || res.status() == StatusCode::NOT_MODIFIED {
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
        res.headers_mut().insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
    }
    res
}

/// Does `path` name a file (its last segment has an extension such as `.js`, `.wasm`, `.json`)
/// rather than a console page? Page URLs under `/endpoints` never do.
pub fn looks_like_a_file(path: &str) -> bool {
    if path == "/endpoints" || path.starts_with("/endpoints/") {
        return false;
    }
    let last = path.rsplit('/').next().unwrap_or("");
    match last.rsplit_once('.') {
        Some((stem, ext)) => {
            !stem.is_empty() && !ext.is_empty() && ext.bytes().all(|b| b.is_ascii_alphanumeric())
        }
        None => false,
    }
}

/// The `Cache-Control` for a request path that names an existing file (or directory).
pub fn cache_control_for(path: &str) -> &'static str {
    let file = path.rsplit('/').next().unwrap_or("");
    if file.is_empty() || file == "index.html" || file == "config.json" {
        NO_CACHE
    } else if is_hashed_asset(file) {
        IMMUTABLE
    } else {
        NO_CACHE
    }
}

/// Does a file name carry a content hash (`app-1a2b3c4d5e6f7a8b_bg.wasm`, `style-0123abcd.css`)?
pub fn is_hashed_asset(file: &str) -> bool {
    let stem = file.split('.').next().unwrap_or(file);
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    match stem.rsplit_once('-') {
        Some((base, hash)) => {
            !base.is_empty()
                && hash.len() >= 8
                && hash.bytes().all(|b| b.is_ascii_hexdigit())
                && hash.bytes().any(|b| b.is_ascii_digit())
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names() {
        assert!(is_hashed_asset("serving-console-1a2b3c4d5e6f7a8b_bg.wasm"));
        assert!(is_hashed_asset("serving-console-1a2b3c4d5e6f7a8b.js"));
        assert!(is_hashed_asset("style-0123abcd.css"));
        // The lazily loaded chunks and their loader (scripts/split-wasm.mjs).
        assert!(is_hashed_asset("split_logs-83091d63f0c45109.wasm"));
        assert!(is_hashed_asset("chunk_12-a9640ab45aaec97e.wasm"));
        assert!(is_hashed_asset("__wasm_split-325f075a26ce60fe.js"));
        assert!(!is_hashed_asset("favicon.ico"));
        assert!(!is_hashed_asset("serving-console.js"));
        assert_eq!(cache_control_for("/"), NO_CACHE);
        assert_eq!(cache_control_for("/config.json"), NO_CACHE);
        assert_eq!(cache_control_for("/app-0123456789abcdef.js"), IMMUTABLE);
    }

    #[test]
    fn files_and_pages() {
        for file in [
            "/nope.js",
            "/favicon.ico",
            "/a/b.wasm",
            "/config.json",
            "/x.br",
        ] {
            assert!(looks_like_a_file(file), "{file}");
        }
        for page in [
            "/",
            "/endpoints",
            "/endpoints/a.b",
            "/endpoints/x/logs",
            "/settings",
            "/.well-known/",
            "/a.",
            "/.hidden",
        ] {
            assert!(!looks_like_a_file(page), "{page}");
        }
    }
}
