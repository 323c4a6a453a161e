//! Compressed API answers (issue #17): gzip/brotli on JSON answers of 1 KiB and more from the
//! emulator (`demo`) and the proxy, as a workspace sends them; nothing else is touched.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use axum::response::IntoResponse;
use axum::Router;
use common::*;
use serde_json::{json, Value};
use serving_console_server::emulator::clock::Clock;
use serving_console_server::proxy::{self, ProxyConfig, Token, Upstream};
use serving_console_server::{app, AppState, EmulatorConfig, Seed};
use std::io::Read;
use std::sync::{Arc, Mutex};

const LIST: &str = "/api/2.0/serving-endpoints";

/// The default seed plus 1,000 generated endpoints (the list is ~half a megabyte of JSON).
fn big_state() -> AppState {
    let seed = Seed::default_seed().unwrap().with_generated(1000);
    AppState::with_clock(config(), seed, Clock::frozen_at(T0))
}

fn get_with(uri: &str, method: Method, accept_encoding: Option<&str>) -> Request<Body> {
    let mut b = Request::builder()
        .method(method)
        .uri(uri)
        .header("authorization", format!("Bearer {ADMIN}"));
    if let Some(ae) = accept_encoding {
        b = b.header("accept-encoding", ae);
    }
    b.body(Body::empty()).unwrap()
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .unwrap();
    out
}

fn unbrotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    brotli_decompressor::Decompressor::new(bytes, 4096)
        .read_to_end(&mut out)
        .unwrap();
    out
}

fn varies_on_accept_encoding(r: &Resp) -> bool {
    r.headers.get_all("vary").iter().any(|v| {
        v.to_str()
            .unwrap()
            .to_ascii_lowercase()
            .contains("accept-encoding")
    })
}

#[tokio::test]
async fn the_big_list_is_sent_brotli_or_gzip_and_decodes_to_the_same_json() {
    let app = app(big_state());
    let plain = send(&app, get_with(LIST, Method::GET, None)).await;
    assert_eq!(plain.status, StatusCode::OK);
    assert_eq!(plain.header("content-encoding"), None);
    assert!(plain.body.len() > 400_000, "{}", plain.body.len());
    assert!(plain.json()["endpoints"].as_array().unwrap().len() > 1000);

    let br = send(
        &app,
        get_with(LIST, Method::GET, Some("gzip, deflate, br, zstd")),
    )
    .await;
    assert_eq!(br.status, StatusCode::OK);
    assert_eq!(br.header("content-encoding").as_deref(), Some("br"));
    assert_eq!(
        br.header("content-type").as_deref(),
        Some("application/json")
    );
    assert!(varies_on_accept_encoding(&br));
    assert!(br.body.len() * 5 < plain.body.len(), "{} B", br.body.len());
    assert_eq!(unbrotli(&br.body), plain.body);

    let gz = send(&app, get_with(LIST, Method::GET, Some("gzip"))).await;
    assert_eq!(gz.header("content-encoding").as_deref(), Some("gzip"));
    assert!(varies_on_accept_encoding(&gz));
    assert!(gz.body.len() * 5 < plain.body.len(), "{} B", gz.body.len());
    assert_eq!(gunzip(&gz.body), plain.body);

    // An encoding the browser refuses is not used.
    let none = send(&app, get_with(LIST, Method::GET, Some("br;q=0, gzip;q=0"))).await;
    assert_eq!(none.header("content-encoding"), None);
    assert_eq!(none.body, plain.body);
}

#[tokio::test]
async fn small_answers_head_and_bodiless_statuses_are_left_alone() {
    let app = app(big_state());
    // A JSON error well under 1 KiB.
    let small = send(
        &app,
        get_with(
            &format!("{LIST}/no-such-endpoint"),
            Method::GET,
            Some("br, gzip"),
        ),
    )
    .await;
    assert_eq!(small.status, StatusCode::NOT_FOUND);
    assert!(small.body.len() < 1024);
    assert_eq!(small.header("content-encoding"), None);
    assert_eq!(small.json()["error_code"], "RESOURCE_DOES_NOT_EXIST");

    // HEAD: no encoding, the identity length.
    let get = send(&app, get_with(LIST, Method::GET, None)).await;
    let head = send(&app, get_with(LIST, Method::HEAD, Some("br, gzip"))).await;
    assert_eq!(head.status, StatusCode::OK);
    assert_eq!(head.header("content-encoding"), None);
    if let Some(len) = head.header("content-length") {
        assert_eq!(len, get.body.len().to_string());
    }
}

#[tokio::test]
async fn a_truncated_answer_stays_truncated_once_decoded() {
    let app = app(big_state());
    let full = send(&app, get_with(LIST, Method::GET, None)).await;
    post(
        &app,
        "/__emulator/faults",
        json!({"path": LIST, "times": 1, "fault": {"kind": "truncated"}}),
    )
    .await;
    let cut = send(&app, get_with(LIST, Method::GET, Some("br"))).await;
    assert_eq!(cut.status, StatusCode::OK);
    assert_eq!(cut.header("content-encoding").as_deref(), Some("br"));
    let decoded = unbrotli(&cut.body);
    assert_eq!(decoded.len(), full.body.len() / 2);
    assert_eq!(&full.body[..decoded.len()], &decoded[..]);
    assert!(serde_json::from_slice::<Value>(&decoded).is_err());
}

#[tokio::test]
async fn console_files_are_not_recompressed() {
    let dist =
        std::env::temp_dir().join(format!("serving-console-compress-{}", std::process::id()));
    std::fs::create_dir_all(&dist).unwrap();
    let page = format!(
        "<!doctype html><title>Serving Console</title>{}",
        "x".repeat(4000)
    );
    std::fs::write(dist.join("index.html"), &page).unwrap();
    let state = AppState::with_clock(
        EmulatorConfig {
            dist: Some(dist.clone()),
            ..config()
        },
        Seed::default_seed().unwrap(),
        Clock::frozen_at(T0),
    );
    let r = send(&app(state), get_with("/", Method::GET, Some("br, gzip"))).await;
    assert_eq!(r.status, StatusCode::OK);
    // No index.html.br/.gz beside it: served as it is, not compressed on the fly.
    assert_eq!(r.header("content-encoding"), None);
    assert_eq!(r.text(), page);
}

/// Serve `router` on an ephemeral loopback port; returns `http://127.0.0.1:<port>`.
async fn serve(router: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    format!("http://{addr}")
}

fn proxy_to(base: &str) -> Router {
    let cfg = ProxyConfig::new(Upstream::parse(base).unwrap(), Token::new(ADMIN).unwrap());
    proxy::app(cfg).unwrap()
}

#[tokio::test]
async fn the_proxy_passes_on_the_workspace_compression_unchanged() {
    // The emulator compresses, as a workspace does.
    let base = serve(app(big_state())).await;
    let proxy = proxy_to(&base);
    let plain = send(&proxy, get_with(LIST, Method::GET, None)).await;
    assert_eq!(plain.status, StatusCode::OK, "{}", plain.text());
    assert_eq!(plain.header("content-encoding"), None);
    assert!(plain.body.len() > 400_000);

    let direct = send(&app(big_state()), get_with(LIST, Method::GET, Some("br"))).await;
    let br = send(&proxy, get_with(LIST, Method::GET, Some("deflate, br"))).await;
    assert_eq!(br.header("content-encoding").as_deref(), Some("br"));
    assert!(varies_on_accept_encoding(&br));
    assert_eq!(br.body, direct.body, "the workspace's bytes, unchanged");
    assert_eq!(unbrotli(&br.body), plain.body);

    let gz = send(&proxy, get_with(LIST, Method::GET, Some("gzip"))).await;
    assert_eq!(gz.header("content-encoding").as_deref(), Some("gzip"));
    assert_eq!(gunzip(&gz.body), plain.body);
}

#[tokio::test]
async fn the_proxy_compresses_what_the_workspace_sent_plain() {
    // A workspace that never compresses.
    let big = json!({"endpoints": (0..200).map(|i| json!({"name": format!("ep-{i}"), "state": {"ready": "READY"}})).collect::<Vec<_>>()}).to_string();
    let body = big.clone();
    let asked: Arc<Mutex<Vec<Option<String>>>> = Arc::default();
    let record = asked.clone();
    let upstream = Router::new().fallback(move |req: axum::extract::Request| {
        let body = body.clone();
        record.lock().unwrap().push(
            req.headers()
                .get("accept-encoding")
                .map(|v| v.to_str().unwrap().to_string()),
        );
        async move { ([("content-type", "application/json")], body).into_response() }
    });
    let proxy = proxy_to(&serve(upstream).await);
    let br = send(
        &proxy,
        get_with(LIST, Method::GET, Some("zstd, br;q=1.0, deflate")),
    )
    .await;
    assert_eq!(br.status, StatusCode::OK);
    assert_eq!(br.header("content-encoding").as_deref(), Some("br"));
    assert!(varies_on_accept_encoding(&br));
    assert_eq!(unbrotli(&br.body), big.as_bytes());
    let plain = send(&proxy, get_with(LIST, Method::GET, None)).await;
    assert_eq!(plain.header("content-encoding"), None);
    assert_eq!(plain.body, big.as_bytes());
    // The workspace was asked only for what both the browser and the proxy handle.
    assert_eq!(*asked.lock().unwrap(), vec![Some("br".to_string()), None]);
}
