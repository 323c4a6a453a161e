//! Compressed API answers, the way a Databricks workspace sends them: gzip or brotli on JSON
//! answers of 1 KiB and more when the browser accepts it (`Accept-Encoding`), with
//! `Vary: Accept-Encoding`. The 1,000-endpoint list shrinks from ~530 KB to ~63 KB (brotli).
//!
//! Answers over [`LARGE_BYTES`] (a 10 MB OpenAPI document, a 200,000-line log) are gzipped even
//! when the browser also accepts brotli: on the fly, brotli spends ~5-10× gzip's time on them
//! (~250 ms against ~35 ms for 10 MB here) for ~half the bytes, which only a slow link repays.
//!
//! Left alone: answers that already carry a `Content-Encoding` (the console's precompressed
//! files, a workspace answer the proxy passes on), anything that is not JSON (the console's
//! files are precompressed by `make build`; event streams are never buffered), bodies under
//! [`MIN_BYTES`], `204`/`304`/`1xx`, ranges, and `HEAD` requests (whose headers must describe
//! the `GET` body without one being sent). Bodies whose size is unknown (streamed) are not
//! compressed either: the emulator and the proxy answer JSON from complete buffers.

use axum::extract::Request;
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use axum::Router;
use tower_http::compression::CompressionLayer;
use tower_http::compression::{CompressionLevel, Predicate};

/// Compression quality of both brotli and gzip: brotli 5 instead of tower-http's 4 is ~9 %
/// smaller on the 1,000-endpoint list for about the same time (BENCHMARKS.md); gzip 5 is within
/// 2 % of its default 6.
const QUALITY: i32 = 5;

/// Smallest body that is compressed, bytes.
pub const MIN_BYTES: u64 = 1024;

/// Bodies larger than this are gzipped rather than brotli-compressed, bytes.
pub const LARGE_BYTES: u64 = 1024 * 1024;

/// Is this an answer worth compressing (apart from its size)?
fn is_compressible(status: StatusCode, headers: &HeaderMap) -> bool {
    if status.is_informational()
        || status == StatusCode::NO_CONTENT
        || status == StatusCode::NOT_MODIFIED
    {
        return false;
    }
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|ct| {
            let essence = ct.split(';').next().unwrap_or("").trim();
            essence.eq_ignore_ascii_case("application/json")
                || essence.to_ascii_lowercase().ends_with("+json")
        })
        .unwrap_or(false)
}

/// The predicate: JSON, a body of known size in `min..=max` bytes, a status with a body.
/// (tower-http's `SizeAbove` would compress bodies of unknown size, i.e. streams.)
#[derive(Clone, Copy, Debug)]
pub struct JsonAnswer {
    /// Smallest body compressed.
    pub min: u64,
    /// Largest body compressed.
    pub max: u64,
}

impl Predicate for JsonAnswer {
    fn should_compress<B>(&self, response: &axum::http::Response<B>) -> bool
    where
        B: axum::body::HttpBody,
    {
        let size = response.body().size_hint().exact().or_else(|| {
            response
                .headers()
                .get(header::CONTENT_LENGTH)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse().ok())
        });
        size.is_some_and(|n| (self.min..=self.max).contains(&n))
            && is_compressible(response.status(), response.headers())
    }
}

/// `HEAD` is answered like `GET` without a body: never compressed, so its `Content-Length`
/// stays the identity length.
async fn head_is_not_compressed(mut req: Request, next: Next) -> Response {
    if req.method() == Method::HEAD {
        req.headers_mut().remove(header::ACCEPT_ENCODING);
    }
    next.run(req).await
}

/// Wrap `router` (outermost) with gzip/brotli compression of JSON answers.
pub fn layer<S>(router: Router<S>) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    let level = CompressionLevel::Precise(QUALITY);
    router
        // Inner: large answers, gzip only (an answer it compressed is left alone by the outer
        // layer, which never recompresses).
        .layer(
            CompressionLayer::new()
                .no_br()
                .no_deflate()
                .no_zstd()
                .quality(level)
                .compress_when(JsonAnswer {
                    min: LARGE_BYTES + 1,
                    max: u64::MAX,
                }),
        )
        // Outer: every other JSON answer from 1 KiB, brotli or gzip (the browser's preference
        // order is tower-http's: br before gzip at equal weight).
        .layer(
            CompressionLayer::new()
                .no_deflate()
                .no_zstd()
                .quality(level)
                .compress_when(JsonAnswer {
                    min: MIN_BYTES,
                    max: u64::MAX,
                }),
        )
        .layer(axum::middleware::from_fn(head_is_not_compressed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::{Body, Bytes};
    use axum::http::{HeaderValue, Request as HttpRequest};
    use axum::routing::get;
    use http_body_util::{BodyExt, Full};
    use tower::ServiceExt;

    /// A router whose `/` answers `status`, `content_type` and `len` bytes, streamed or not.
    fn app(status: StatusCode, content_type: &'static str, len: usize, streamed: bool) -> Router {
        layer(Router::new().route(
            "/",
            get(move || async move {
                let bytes = Bytes::from(vec![b' '; len]);
                let body = if streamed {
                    // map_frame forgets the exact size: a body of unknown length, as a stream.
                    Body::new(Full::new(bytes).map_frame(|f| f))
                } else {
                    Body::from(bytes)
                };
                let mut res = Response::new(body);
                *res.status_mut() = status;
                res.headers_mut()
                    .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
                res
            }),
        ))
    }

    async fn encoding(router: Router) -> Option<String> {
        let req = HttpRequest::builder()
            .uri("/")
            .header(header::ACCEPT_ENCODING, "gzip, br")
            .body(Body::empty())
            .unwrap();
        let res = router.oneshot(req).await.unwrap();
        res.headers()
            .get(header::CONTENT_ENCODING)
            .map(|v| v.to_str().unwrap().to_string())
    }

    #[tokio::test]
    async fn only_json_bodies_of_known_size_from_1_kib_are_compressed() {
        let json = "application/json";
        assert_eq!(
            encoding(app(StatusCode::OK, json, 1024, false))
                .await
                .as_deref(),
            Some("br")
        );
        assert_eq!(
            encoding(app(
                StatusCode::NOT_FOUND,
                "application/problem+json",
                4096,
                false
            ))
            .await
            .as_deref(),
            Some("br")
        );
        assert_eq!(encoding(app(StatusCode::OK, json, 1023, false)).await, None);
        // Large answers: gzip even though brotli is accepted.
        let large = LARGE_BYTES as usize;
        assert_eq!(
            encoding(app(StatusCode::OK, json, large, false))
                .await
                .as_deref(),
            Some("br")
        );
        assert_eq!(
            encoding(app(StatusCode::OK, json, large + 1, false))
                .await
                .as_deref(),
            Some("gzip")
        );
        assert_eq!(
            encoding(app(StatusCode::OK, json, 64 * 1024, true)).await,
            None
        );
        assert_eq!(
            encoding(app(StatusCode::OK, "text/html", 4096, false)).await,
            None
        );
        assert_eq!(
            encoding(app(StatusCode::OK, "text/event-stream", 4096, false)).await,
            None
        );
        assert_eq!(
            encoding(app(StatusCode::NOT_MODIFIED, json, 4096, false)).await,
            None
        );
        assert_eq!(
            encoding(app(StatusCode::NO_CONTENT, json, 4096, false)).await,
            None
        );
    }
}
