//! Issue 14's reproductions against what both servers check before the application
//! (`serving_console_server::hosting`): the Host allow-list (DNS rebinding), the demo's cross-site
//! guard, the request-body budget. Each is tried on the library (routers as `main.rs` builds them)
//! and, for the issue's exact reproductions, on the `serving-console` binary.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use common::*;
use serde_json::json;
use serving_console_server::hosting::{self, AllowedHosts, Limits};
use serving_console_server::proxy::{self, ProxyConfig, Token, Upstream};
use serving_console_server::{app, security_headers, AppState, EmulatorConfig};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const EP: &str = "/api/2.0/serving-endpoints/fraud-detector-prod";
const ADDR: &str = "127.0.0.1:8080";

fn hosts(extra: &[&str]) -> AllowedHosts {
    let extra: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
    AllowedHosts::for_listener(ADDR.parse().unwrap(), &extra).unwrap()
}

/// `app` as `serving-console demo` serves it on 127.0.0.1:8080.
fn served_demo(state: &AppState, extra: &[&str]) -> Router {
    hosting::guard(app(state.clone()), hosts(extra), &Limits::default())
}

fn with(method: &str, uri: &str, headers: &[(&str, &str)]) -> Request<Body> {
    let mut b = Request::builder().method(method).uri(uri);
    for (n, v) in headers {
        b = b.header(*n, *v);
    }
    b.body(Body::empty()).unwrap()
}

/// The issue's DNS-rebinding request: a page on evil.example:8080 that resolves to 127.0.0.1.
fn rebinding(method: &str, uri: &str) -> Request<Body> {
    with(
        method,
        uri,
        &[
            ("host", "evil.example:8080"),
            ("origin", "http://evil.example:8080"),
            ("sec-fetch-site", "same-origin"),
        ],
    )
}

fn assert_security_headers(r: &Resp, what: &str) {
    for (name, value) in security_headers::HEADERS {
        assert_eq!(r.header(name).as_deref(), Some(*value), "{name} on {what}");
    }
}

#[tokio::test]
async fn demo_refuses_a_host_it_does_not_answer_for() {
    let state = state();
    let demo = served_demo(&state, &[]);
    let r = send(&demo, rebinding("DELETE", EP)).await;
    assert_eq!(r.status, StatusCode::MISDIRECTED_REQUEST, "{}", r.text());
    assert!(r.text().contains("--allow-host"), "{}", r.text());
    assert_security_headers(&r, "421");
    // Reading through the rebinding page is refused too (index.html, the API, the control API).
    for uri in [
        "/",
        "/endpoints",
        "/api/2.0/serving-endpoints",
        "/__emulator/requests",
    ] {
        let r = send(&demo, rebinding("GET", uri)).await;
        assert_eq!(r.status, StatusCode::MISDIRECTED_REQUEST, "{uri}");
    }
    // Only the liveness probe answers whatever the Host (load balancers send their own).
    let r = send(&demo, rebinding("GET", "/__emulator/health")).await;
    assert_eq!(r.status, StatusCode::OK);
    let r = send(&demo, rebinding("POST", "/__emulator/health")).await;
    assert_eq!(r.status, StatusCode::MISDIRECTED_REQUEST);
    // Other spellings of a foreign or missing host.
    for host in [
        "evil.example",
        "127.0.0.1.evil.example:8080",
        "localhost:8081",
        "localhost.:8080",
        "[::1]:8080",
        "",
    ] {
        let r = send(&demo, with("GET", "/", &[("host", host)])).await;
        assert_eq!(r.status, StatusCode::MISDIRECTED_REQUEST, "Host {host:?}");
    }
    let r = send(&demo, with("GET", "/", &[])).await;
    assert_eq!(r.status, StatusCode::MISDIRECTED_REQUEST, "no Host");
    let r = send(
        &demo,
        with(
            "GET",
            "http://evil.example:8080/",
            &[("host", "127.0.0.1:8080")],
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::MISDIRECTED_REQUEST, "absolute form");

    // The endpoint is still there, read through the names the server does answer for.
    for host in ["127.0.0.1:8080", "localhost:8080", "LocalHost:8080"] {
        let r = send(&demo, with("GET", EP, &[("host", host)])).await;
        assert_eq!(r.status, StatusCode::OK, "Host {host}: {}", r.text());
    }
    // The same DELETE from the console's own origin works.
    let r = send(
        &demo,
        with(
            "DELETE",
            EP,
            &[
                ("host", "127.0.0.1:8080"),
                ("origin", "http://127.0.0.1:8080"),
                ("sec-fetch-site", "same-origin"),
            ],
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
}

#[tokio::test]
async fn allow_host_adds_a_name() {
    let state = state();
    let demo = served_demo(&state, &["console.example.com"]);
    for host in ["console.example.com", "console.example.com:8443"] {
        let r = send(&demo, with("GET", EP, &[("host", host)])).await;
        assert_eq!(r.status, StatusCode::OK, "Host {host}");
    }
    let r = send(&demo, rebinding("DELETE", EP)).await;
    assert_eq!(r.status, StatusCode::MISDIRECTED_REQUEST);
}

#[tokio::test]
async fn demo_refuses_cross_site_writes_like_the_proxy() {
    let state = state();
    // `app` itself carries the guard, so the served demo and every router test have it.
    let demo = app(state.clone());
    state.faults().add(
        serde_json::from_value(
            json!({"method": "GET", "path": "/nothing", "fault": {"kind": "hang"}}),
        )
        .unwrap(),
    );
    let before = endpoint(&demo, "fraud-detector-prod").await;
    let attempts: &[(&str, &str)] = &[
        (
            "POST",
            "/api/2.0/serving-endpoints/fraud-detector-prod/config:stop",
        ),
        ("DELETE", EP),
        ("POST", "/__emulator/reset"),
        ("POST", "/serving-endpoints/fraud-detector-prod/invocations"),
    ];
    let markers: &[&[(&str, &str)]] = &[
        &[("sec-fetch-site", "cross-site")],
        &[("sec-fetch-site", "same-site")],
        &[("origin", "https://evil.example")],
        &[("origin", "null")],
        &[
            ("origin", "http://localhost:8080.evil.example"),
            ("sec-fetch-site", "same-origin"),
        ],
    ];
    for (method, uri) in attempts {
        for marker in markers {
            let mut h = vec![
                ("host", "localhost:8080"),
                ("content-type", "application/json"),
            ];
            h.extend_from_slice(marker);
            let r = send(&demo, with(method, uri, &h)).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{method} {uri} {marker:?}");
            let v = r.json();
            assert_eq!(v["error_code"], "PERMISSION_DENIED");
            assert!(v["message"].as_str().unwrap().contains("cross-site"), "{v}");
            assert_security_headers(&r, "cross-site 403");
        }
    }
    assert_eq!(
        endpoint(&demo, "fraud-detector-prod").await,
        before,
        "neither stopped nor deleted"
    );
    assert_eq!(state.faults().rules().len(), 1, "not reset");

    // Reads are not writes; same-origin writes and clients that send no browser headers (SDKs,
    // curl) go through.
    let r = send(
        &demo,
        with(
            "GET",
            EP,
            &[
                ("origin", "https://evil.example"),
                ("sec-fetch-site", "cross-site"),
            ],
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = send(
        &demo,
        with(
            "POST",
            "/__emulator/reset",
            &[
                ("host", "localhost:8080"),
                ("origin", "http://localhost:8080"),
                ("sec-fetch-site", "same-origin"),
            ],
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(state.faults().rules().len(), 0, "reset");
    let r = delete(&demo, EP).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
}

fn dist(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "serving-console-hosting-{tag}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    std::fs::write(d.join("index.html"), "<!doctype html><title>x</title>").unwrap();
    d
}

#[tokio::test]
async fn proxy_refuses_a_host_it_does_not_answer_for() {
    let state = state_with(EmulatorConfig {
        strict_auth: true,
        ..config()
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let upstream = listener.local_addr().unwrap();
    let emulator = app(state.clone());
    tokio::spawn(async move {
        let _ = axum::serve(listener, emulator).await;
    });
    let mut cfg = ProxyConfig::new(
        Upstream::parse(&format!("http://{upstream}")).unwrap(),
        Token::new(ADMIN).unwrap(),
    );
    cfg.dist = Some(dist("proxy-lib"));
    let proxy = hosting::guard(proxy::app(cfg).unwrap(), hosts(&[]), &Limits::default());
    let r = send(&proxy, rebinding("DELETE", EP)).await;
    assert_eq!(r.status, StatusCode::MISDIRECTED_REQUEST, "{}", r.text());
    assert_security_headers(&r, "421");
    assert!(state.requests().entries().is_empty(), "nothing forwarded");
    let r = send(&proxy, with("GET", EP, &[("host", "localhost:8080")])).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
}

/// Serve `router` like `main.rs` does, on an ephemeral loopback port.
async fn serve(router: Router, limits: Limits) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let hosts = AllowedHosts::for_listener(addr, &[]).unwrap();
    let router = hosting::guard(router, hosts, &limits);
    tokio::spawn(async move {
        hosting::serve(listener, router, &limits, std::future::pending()).await;
    });
    addr
}

/// Read one HTTP response head (status line and headers).
async fn read_head(s: &mut (impl tokio::io::AsyncRead + Unpin)) -> String {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        let n = tokio::time::timeout(Duration::from_secs(20), s.read(&mut byte))
            .await
            .expect("an answer within 20 s")
            .unwrap();
        if n == 0 {
            break;
        }
        head.push(byte[0]);
    }
    String::from_utf8_lossy(&head).into_owned()
}

#[tokio::test]
async fn request_bodies_share_one_budget_beyond_which_they_are_refused() {
    const LEN: usize = 1_000_000;
    let limits = Limits {
        max_body_bytes: LEN + LEN / 2,
        body_budget_bytes: 2 * LEN + LEN / 2,
        ..Limits::default()
    };
    let addr = serve(app(state()), limits).await;
    let post = |len: usize| {
        format!(
            "POST /serving-endpoints/fraud-detector-prod/invocations HTTP/1.1\r\nHost: {addr}\r\n\
             Content-Type: application/json\r\nContent-Length: {len}\r\nConnection: close\r\n\r\n"
        )
    };
    const START: &[u8] = b"{\"inputs\":";
    let rest = || {
        let mut body = vec![b' '; LEN - START.len()];
        let n = body.len();
        body[n - 4..].copy_from_slice(b"[1]}");
        body
    };
    // Larger than one body may be: refused at once, before a byte of it is read.
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    s.write_all(post(2 * LEN).as_bytes()).await.unwrap();
    let head = read_head(&mut s).await;
    assert!(head.starts_with("HTTP/1.1 413"), "{head}");

    // Slow senders hold what they announced: two bodies fit in the budget, a third does not.
    let mut writers = Vec::new();
    let mut answers = tokio::task::JoinSet::new();
    for i in 0..3 {
        let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
        s.write_all(post(LEN).as_bytes()).await.unwrap();
        s.write_all(START).await.unwrap();
        let (mut r, w) = s.into_split();
        writers.push(Some(w));
        answers.spawn(async move {
            let head = read_head(&mut r).await;
            let mut body = String::new();
            let _ = r.read_to_string(&mut body).await;
            (i, head, body)
        });
    }
    let (refused, head, body) = tokio::time::timeout(Duration::from_secs(20), answers.join_next())
        .await
        .expect("one of three is answered at once")
        .unwrap()
        .unwrap();
    assert!(head.starts_with("HTTP/1.1 503"), "{head}");
    assert!(
        head.to_ascii_lowercase().contains("retry-after: 5"),
        "{head}"
    );
    assert!(body.contains("TEMPORARILY_UNAVAILABLE"), "{body}");

    // A body that completes is answered by the application and gives its share back.
    let done = (0..3).find(|i| *i != refused).unwrap();
    let mut w = writers[done].take().unwrap();
    w.write_all(&rest()).await.unwrap();
    let (i, head, body) = tokio::time::timeout(Duration::from_secs(20), answers.join_next())
        .await
        .expect("the completed body is answered")
        .unwrap()
        .unwrap();
    assert_eq!(i, done);
    assert!(!body.contains("too many request bodies"), "{head}{body}");
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    s.write_all(post(LEN).as_bytes()).await.unwrap();
    s.write_all(START).await.unwrap();
    s.write_all(&rest()).await.unwrap();
    let head = read_head(&mut s).await;
    let mut body = String::new();
    let _ = s.read_to_string(&mut body).await;
    assert!(!body.contains("too many request bodies"), "{head}{body}");
    assert!(!head.starts_with("HTTP/1.1 413"), "{head}");
}

// --- The binary, as the issue tried it ------------------------------------------------------

struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_serving-console"));
    c.env_remove("DATABRICKS_TOKEN").env_remove("RUST_LOG");
    c
}

/// Start `cmd`, read its start line, return the process and its `host:port`.
fn start(cmd: &mut Command) -> (Running, String) {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .rsplit("http://")
        .next()
        .unwrap()
        .trim_end_matches('/')
        .to_string();
    assert!(addr.starts_with("127.0.0.1:"), "{line}");
    (Running(child), addr)
}

fn http(addr: &str, method: &str, path: &str, headers: &str) -> String {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\n{headers}Content-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut res = String::new();
    s.read_to_string(&mut res).unwrap();
    res
}

fn demo_process(tag: &str, extra: &[&str]) -> (Running, String) {
    let d = dist(tag);
    start(
        bin()
            .args([
                "demo",
                "--addr",
                "127.0.0.1:0",
                "--dist",
                d.to_str().unwrap(),
            ])
            .args(extra),
    )
}

fn proxy_process(tag: &str, upstream: &str, extra: &[&str]) -> (Running, String) {
    let d = dist(tag);
    start(
        bin()
            .args([
                "proxy",
                "--upstream",
                &format!("http://{upstream}"),
                "--addr",
                "127.0.0.1:0",
                "--dist",
                d.to_str().unwrap(),
            ])
            .args(extra)
            .env("DATABRICKS_TOKEN", "dapi-emulator-admin"),
    )
}

#[test]
fn the_issues_rebinding_delete_is_refused_by_demo_and_proxy() {
    let (_demo, upstream) = demo_process("rebind-demo", &["--strict-auth", "--control"]);
    let (_proxy, addr) = proxy_process("rebind-proxy", &upstream, &[]);
    for (server, addr) in [("proxy", &addr), ("demo", &upstream)] {
        let port = addr.rsplit(':').next().unwrap();
        let auth = if server == "demo" {
            "Authorization: Bearer dapi-emulator-admin\r\n"
        } else {
            ""
        };
        let r = http(
            addr,
            "DELETE",
            EP,
            &format!(
                "Host: evil.example:{port}\r\nOrigin: http://evil.example:{port}\r\n\
                 Sec-Fetch-Site: same-origin\r\n{auth}"
            ),
        );
        assert!(r.starts_with("HTTP/1.1 421"), "{server}: {r}");
        let r = http(addr, "GET", EP, &format!("Host: {addr}\r\n{auth}"));
        assert!(r.starts_with("HTTP/1.1 200"), "{server}: still there: {r}");
        let r = http(
            addr,
            "GET",
            EP,
            &format!("Host: localhost:{port}\r\n{auth}"),
        );
        assert!(r.starts_with("HTTP/1.1 200"), "{server}: localhost: {r}");
    }
    // The demo's control API from another site (the issue's `--control` reset).
    let r = http(
        &upstream,
        "POST",
        "/__emulator/reset",
        &format!(
            "Host: {upstream}\r\nOrigin: https://evil.example\r\nSec-Fetch-Site: cross-site\r\n"
        ),
    );
    assert!(r.starts_with("HTTP/1.1 403"), "{r}");
    // --allow-host adds a name.
    let (_named, named) = demo_process("rebind-named", &["--allow-host", "console.example"]);
    let r = http(&named, "GET", "/", "Host: console.example\r\n");
    assert!(r.starts_with("HTTP/1.1 200"), "{r}");
}

#[test]
fn half_sent_requests_are_closed_and_cannot_lock_users_out() {
    let (_demo, upstream) = demo_process("slow-demo", &[]);
    let (_proxy, addr) = proxy_process(
        "slow-proxy",
        &upstream,
        &["--max-connections", "16", "--header-timeout-secs", "1"],
    );
    // Twice as many half-sent requests as the server takes connections.
    let mut slow: Vec<TcpStream> = (0..32)
        .map(|_| {
            let mut s = TcpStream::connect(&addr).unwrap();
            s.write_all(format!("GET / HTTP/1.1\r\nHost: {addr}\r\nX-Slow: ").as_bytes())
                .unwrap();
            s
        })
        .collect();
    // A user's request is answered once the server has dropped them (bounded by the read
    // timeout in `http`, far above the 1 s header timeout even for the queued half).
    let r = http(
        &addr,
        "GET",
        "/api/2.0/serving-endpoints",
        &format!("Host: {addr}\r\n"),
    );
    assert!(r.starts_with("HTTP/1.1 200"), "{r}");
    // Every half-sent request was closed by the server, none answered as if complete.
    for s in &mut slow {
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        let mut rest = Vec::new();
        match s.read_to_end(&mut rest) {
            Ok(_) => {}
            Err(e) => assert_eq!(
                e.kind(),
                std::io::ErrorKind::ConnectionReset,
                "closed by the server, not left open: {e}"
            ),
        }
        let text = String::from_utf8_lossy(&rest);
        assert!(!text.contains(" 200 "), "{text}");
    }
    // An idle keep-alive connection is closed too.
    let mut s = TcpStream::connect(&addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    write!(
        s,
        "GET /api/2.0/serving-endpoints HTTP/1.1\r\nHost: {addr}\r\n\r\n"
    )
    .unwrap();
    let mut all = Vec::new();
    s.read_to_end(&mut all).unwrap();
    assert!(String::from_utf8_lossy(&all).starts_with("HTTP/1.1 200"));
}

#[test]
fn parallel_large_posts_are_refused_beyond_the_budget_not_buffered() {
    let (_demo, upstream) = demo_process("budget-demo", &[]);
    let (_proxy, addr) = proxy_process("budget-proxy", &upstream, &[]);
    // The issue's 24 parallel 31 MB posts, announced and then stalled.
    let mut streams: Vec<TcpStream> = (0..24)
        .map(|_| {
            let mut s = TcpStream::connect(&addr).unwrap();
            write!(
                s,
                "POST /serving-endpoints/fraud-detector-prod/invocations HTTP/1.1\r\nHost: {addr}\r\n\
                 Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{{",
                31 * 1000 * 1000
            )
            .unwrap();
            s
        })
        .collect();
    // 8 × 31 MB fit the 256 MiB budget and wait for their bodies; the other 16 are answered
    // 503 at once.
    for s in &streams {
        s.set_nonblocking(true).unwrap();
    }
    let mut answered = vec![None; streams.len()];
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while answered.iter().flatten().count() < 16 && std::time::Instant::now() < deadline {
        for (i, s) in streams.iter_mut().enumerate() {
            let mut buf = [0u8; 12];
            if answered[i].is_none() {
                if let Ok(n) = s.read(&mut buf) {
                    answered[i] = Some(String::from_utf8_lossy(&buf[..n]).into_owned());
                }
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let refused = answered
        .iter()
        .flatten()
        .filter(|a| a.starts_with("HTTP/1.1 503"))
        .count();
    assert_eq!(answered.iter().flatten().count(), 16, "{answered:?}");
    assert_eq!(
        refused, 16,
        "posts beyond the 256 MiB budget are refused: {answered:?}"
    );
}
