//! `serving-console proxy` against real upstreams on loopback: the emulator with strict auth
//! (only the injected token works) and a header-echo server. The allow-list matrix is asserted
//! through the emulator's request record: refused calls never reach it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::body::Body;
use axum::extract::Request as AxumRequest;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use axum::response::IntoResponse;
use axum::Router;
use common::*;
use serde_json::{json, Value};
use serving_console_server::proxy::{self, ProxyConfig, Token, Upstream};
use serving_console_server::{app, security_headers, AppState, EmulatorConfig};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Serve `router` on an ephemeral loopback port; returns `http://127.0.0.1:<port>`.
async fn serve(router: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    format!("http://{addr}")
}

/// The emulator with `--strict-auth --control`, served on loopback.
async fn emulator() -> (AppState, String) {
    let state = state_with(EmulatorConfig {
        strict_auth: true,
        ..config()
    });
    let base = serve(app(state.clone())).await;
    (state, base)
}

/// The stub console, written once per test process: tests run in parallel, and rewriting
/// index.html while another test reads it served an empty page (a flaky assertion).
fn dist() -> PathBuf {
    static DIST: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    DIST.get_or_init(|| {
        let d =
            std::env::temp_dir().join(format!("serving-console-proxy-dist-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(
            d.join("index.html"),
            "<!doctype html><title>Serving Console</title>",
        )
        .unwrap();
        std::fs::write(d.join("app-0123456789abcdef_bg.wasm"), b"\0asm").unwrap();
        d
    })
    .clone()
}

fn proxy_to(base: &str, token: &str) -> Router {
    let mut cfg = ProxyConfig::new(Upstream::parse(base).unwrap(), Token::new(token).unwrap());
    cfg.dist = Some(dist());
    proxy::app(cfg).unwrap()
}

fn req(method: &str, uri: &str) -> Request<Body> {
    Request::builder()
        .method(method)
        .uri(uri)
        .body(Body::empty())
        .unwrap()
}

fn json_req(method: &str, uri: &str, body: Value) -> Request<Body> {
    Request::builder()
        .method(method)
        .uri(uri)
        .header("content-type", "application/json")
        .header("host", "console.example")
        .header("origin", "https://console.example")
        .header("sec-fetch-site", "same-origin")
        .body(Body::from(body.to_string()))
        .unwrap()
}

fn recorded(state: &AppState) -> Vec<(String, String)> {
    state
        .requests()
        .entries()
        .into_iter()
        .map(|r| (r.method, r.path))
        .collect()
}

fn assert_security_headers(r: &Resp, what: &str) {
    for (name, value) in security_headers::HEADERS {
        assert_eq!(r.header(name).as_deref(), Some(*value), "{name} on {what}");
    }
}

fn assert_refused(r: &Resp, what: &str) {
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{what}: {}", r.text());
    assert_security_headers(r, what);
    if what.starts_with("HEAD ") {
        return; // no body
    }
    let v = r.json();
    assert_eq!(v["error_code"], "PERMISSION_DENIED", "{what}");
    assert!(v["message"].as_str().unwrap().contains("proxy"), "{what}");
}

#[tokio::test]
async fn allowed_calls_reach_the_workspace_as_the_injected_token() {
    let (state, base) = emulator().await;
    let proxy = proxy_to(&base, ADMIN);

    // The browser's own Authorization is replaced: the emulator sees the admin.
    let mut me = req("GET", "/api/2.0/preview/scim/v2/Me");
    me.headers_mut()
        .insert("authorization", format!("Bearer {VIEW}").parse().unwrap());
    let r = send(&proxy, me).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["userName"], "admin@example.com");
    assert_eq!(r.header("cache-control").as_deref(), Some("no-store"));
    assert_security_headers(&r, "scim Me");

    let r = send(&proxy, req("GET", "/api/2.0/serving-endpoints")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(names(&r.json()).contains(&"fraud-detector-prod".to_string()));

    let r = send(
        &proxy,
        req("GET", "/api/2.0/serving-endpoints/fraud-detector-prod"),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    let ep = r.json();
    let id = ep["id"].as_str().unwrap().to_string();
    let entity = ep["config"]["served_entities"][0]["name"]
        .as_str()
        .unwrap()
        .to_string();

    // Every other allowed call reaches the emulator (whatever it answers: some routes may not
    // be emulated yet, and a mutation may be refused by the emulator's own rules).
    let name = "fraud-detector-prod";
    let calls: Vec<(&str, String, Option<Value>)> = vec![
        (
            "POST",
            format!("/api/2.0/serving-endpoints/{name}/config:stop"),
            Some(json!({})),
        ),
        (
            "POST",
            format!("/api/2.0/serving-endpoints/{name}/config:start"),
            Some(json!({})),
        ),
        (
            "GET",
            format!("/api/2.0/serving-endpoints/{name}/served-models/{entity}/logs"),
            None,
        ),
        (
            "GET",
            format!("/api/2.0/serving-endpoints/{name}/served-models/{entity}/build-logs"),
            None,
        ),
        (
            "GET",
            format!("/api/2.0/serving-endpoints/{name}/openapi"),
            None,
        ),
        (
            "GET",
            format!("/api/2.0/serving-endpoints/{name}/metrics"),
            None,
        ),
        (
            "PATCH",
            format!("/api/2.0/serving-endpoints/{name}/tags"),
            Some(json!({"add_tags": [{"key": "via", "value": "proxy"}]})),
        ),
        (
            "PUT",
            format!("/api/2.0/serving-endpoints/{name}/ai-gateway"),
            Some(json!({"usage_tracking_config": {"enabled": true}})),
        ),
        (
            "PATCH",
            format!("/api/2.0/serving-endpoints/{name}/notifications"),
            Some(json!({"email_notifications": {"on_update_failure": ["a@contoso.com"]}})),
        ),
        (
            "PUT",
            format!("/api/2.0/serving-endpoints/{name}/config"),
            Some(json!({"served_entities": [{"name": "fraud_xgb-8",
                "entity_name": "main.risk.fraud_xgb", "entity_version": "8",
                "workload_size": "Small", "scale_to_zero_enabled": true}]})),
        ),
        (
            "GET",
            format!("/api/2.0/permissions/serving-endpoints/{id}"),
            None,
        ),
        (
            "GET",
            format!("/api/2.0/permissions/serving-endpoints/{id}/permissionLevels"),
            None,
        ),
        (
            "PATCH",
            format!("/api/2.0/permissions/serving-endpoints/{id}"),
            Some(json!({"access_control_list": []})),
        ),
        (
            "PUT",
            format!("/api/2.0/permissions/serving-endpoints/{id}"),
            Some(
                json!({"access_control_list": [{"group_name": "admins", "permission_level": "CAN_MANAGE"}]}),
            ),
        ),
        (
            "POST",
            format!("/serving-endpoints/{name}/invocations"),
            Some(json!({"inputs": [[1.0]]})),
        ),
        (
            "POST",
            format!("/serving-endpoints/{name}/served-models/{entity}/invocations"),
            Some(json!({"inputs": [[1.0]]})),
        ),
        ("DELETE", format!("/api/2.0/serving-endpoints/{name}"), None),
    ];
    let mut last_status = StatusCode::OK;
    for (method, path, body) in &calls {
        state.requests().clear();
        let request = match body {
            Some(b) => json_req(method, path, b.clone()),
            None => {
                let mut r = req(method, path);
                r.headers_mut()
                    .insert("host", "console.example".parse().unwrap());
                r
            }
        };
        let r = send(&proxy, request).await;
        assert_ne!(
            r.status,
            StatusCode::UNAUTHORIZED,
            "{method} {path}: {}",
            r.text()
        );
        assert_eq!(
            recorded(&state),
            vec![(method.to_string(), path.clone())],
            "{method} {path} reached the workspace once"
        );
        assert_eq!(r.header("cache-control").as_deref(), Some("no-store"));
        last_status = r.status;
    }
    // Once the emulator deletes endpoints, the DELETE (the last call) really happened.
    if last_status == StatusCode::OK {
        let r = send(
            &proxy,
            req("GET", "/api/2.0/serving-endpoints/fraud-detector-prod"),
        )
        .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn everything_else_is_refused_without_reaching_the_workspace() {
    let (state, base) = emulator().await;
    let proxy = proxy_to(&base, ADMIN);
    // A fault rule: if a control call were forwarded, POST /__emulator/reset would clear it.
    state.faults().add(
        serde_json::from_value(
            json!({"method": "GET", "path": "/nothing", "fault": {"kind": "hang"}}),
        )
        .unwrap(),
    );
    let matrix: &[(&str, &str)] = &[
        ("GET", "/api/2.0/secrets/list"),
        ("GET", "/api/2.0/secrets/scopes/list"),
        ("POST", "/api/2.0/secrets/put"),
        ("GET", "/api/2.0/token/list"),
        ("POST", "/api/2.0/token/create"),
        ("POST", "/api/2.0/token-management/on-behalf-of/tokens"),
        ("GET", "/api/2.0/clusters/list"),
        ("GET", "/api/2.0/workspace/export"),
        ("GET", "/api/2.0/preview/scim/v2/Users"),
        ("GET", "/api/2.1/serving-endpoints"),
        ("GET", "/api/2.0/serving-endpoints/"),
        ("GET", "/api/2.0/serving-endpoints//fraud-detector-prod"),
        ("GET", "/api/2.0/serving-endpoints/./fraud-detector-prod"),
        ("GET", "/api/2.0/serving-endpoints/../secrets/list"),
        ("GET", "/api/2.0/serving-endpoints/..%2fsecrets%2flist"),
        ("GET", "/api/2.0/serving-endpoints/%2e%2e/secrets/list"),
        ("GET", "/api/2.0/serving-endpoints/%2E%2E/%2E%2E/token/list"),
        ("GET", "/api/2.0/serving-endpoints/%252e%252e/secrets/list"),
        ("GET", "/api/2.0/serving-endpoints/a%2Fb"),
        ("GET", "/api/2.0/serving-endpoints/a%5c..%5csecrets"),
        ("GET", "/api/2.0/serving-endpoints/fraud-detector-prod;x=1"),
        ("GET", "/api/2.0/serving-endpoints/fraud%00"),
        (
            "GET",
            "/api/2.0/serving-endpoints/x/served-models/y/../../../../secrets/list",
        ),
        ("GET", "/api/2.0/permissions/clusters/abc"),
        (
            "PUT",
            "/api/2.0/permissions/serving-endpoints/abc/permissionLevels",
        ),
        // Calls the console does not make (or not with this method).
        ("POST", "/api/2.0/serving-endpoints"),
        (
            "PATCH",
            "/api/2.0/serving-endpoints/fraud-detector-prod/config",
        ),
        ("PUT", "/api/2.0/serving-endpoints/fraud-detector-prod/tags"),
        (
            "PATCH",
            "/api/2.0/serving-endpoints/fraud-detector-prod/ai-gateway",
        ),
        (
            "PUT",
            "/api/2.0/serving-endpoints/fraud-detector-prod/rate-limits",
        ),
        (
            "PATCH",
            "/api/2.0/serving-endpoints/fraud-detector-prod/telemetry-config",
        ),
        (
            "PUT",
            "/api/2.0/serving-endpoints/fraud-detector-prod/config/x",
        ),
        // Wrong methods on allowed paths.
        ("POST", "/api/2.0/serving-endpoints/fraud-detector-prod"),
        (
            "GET",
            "/api/2.0/serving-endpoints/fraud-detector-prod/config:stop",
        ),
        ("HEAD", "/api/2.0/serving-endpoints"),
        ("OPTIONS", "/api/2.0/serving-endpoints"),
        ("TRACE", "/api/2.0/serving-endpoints"),
        ("GET", "/serving-endpoints/fraud-detector-prod/invocations"),
        ("DELETE", "/api/2.0/permissions/serving-endpoints/abc"),
        ("GET", "/serving-endpoints"),
        ("GET", "/api"),
        ("POST", "/__emulator/reset"),
        ("GET", "/__emulator/requests"),
    ];
    for (method, uri) in matrix {
        let r = send(&proxy, req(method, uri)).await;
        assert_refused(&r, &format!("{method} {uri}"));
    }
    // Paths outside /api/ and /serving-endpoints/ are the console's pages, never forwarded.
    for uri in ["/API/2.0/serving-endpoints", "/apis/2.0/serving-endpoints"] {
        let r = send(&proxy, req("GET", uri)).await;
        assert!(r.text().contains("<title>Serving Console</title>"), "{uri}");
    }

    // Method-override headers and cross-site writes are refused too.
    let path = "/api/2.0/serving-endpoints/fraud-detector-prod/config:stop";
    for header in [
        "x-http-method-override",
        "x-http-method",
        "x-method-override",
    ] {
        let mut r = json_req("POST", path, json!({}));
        r.headers_mut().insert(header, "DELETE".parse().unwrap());
        assert_refused(&send(&proxy, r).await, header);
    }
    for (name, value) in [
        ("sec-fetch-site", "cross-site"),
        ("sec-fetch-site", "same-site"),
        ("origin", "https://evil.example"),
        ("origin", "null"),
        ("origin", "https://console.example.evil.example"),
    ] {
        let mut r = json_req("POST", path, json!({}));
        r.headers_mut().insert(name, value.parse().unwrap());
        assert_refused(&send(&proxy, r).await, &format!("{name}: {value}"));
    }

    assert_eq!(recorded(&state), vec![], "nothing reached the workspace");
    assert_eq!(
        state.faults().rules().len(),
        1,
        "the control API was not reached"
    );

    // Control: the same POST without the cross-site markers does reach it.
    let r = send(&proxy, json_req("POST", path, json!({}))).await;
    assert_ne!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    assert_eq!(recorded(&state).len(), 1);
}

/// An upstream that answers with the request headers it saw, plus headers a proxy must drop.
async fn echo_upstream() -> (String, Arc<Mutex<Vec<HeaderMap>>>) {
    let seen: Arc<Mutex<Vec<HeaderMap>>> = Arc::default();
    let s = seen.clone();
    let router = Router::new().fallback(move |req: AxumRequest| {
        let s = s.clone();
        async move {
            s.lock().unwrap().push(req.headers().clone());
            (
                [
                    ("content-type", "application/json"),
                    ("set-cookie", "workspace-session=abc; HttpOnly"),
                    ("www-authenticate", "Basic realm=\"workspace\""),
                    ("access-control-allow-origin", "*"),
                    ("x-request-id", "req-123"),
                    ("retry-after", "3"),
                    ("content-security-policy", "default-src *"),
                ],
                "{\"ok\":true}",
            )
                .into_response()
        }
    });
    (serve(router).await, seen)
}

#[tokio::test]
async fn only_the_token_accept_and_content_type_are_forwarded() {
    let (base, seen) = echo_upstream().await;
    let proxy = proxy_to(&base, "dapi-proxy-secret");
    let r = Request::builder()
        .method("POST")
        .uri("/serving-endpoints/x/invocations?debug=1")
        .header("host", "console.example")
        .header("authorization", "Bearer dapi-browser-token")
        .header("cookie", "session=browser-cookie")
        .header("x-forwarded-for", "10.0.0.1")
        .header("x-databricks-org-id", "123")
        .header("accept", "application/json")
        .header("content-type", "application/json")
        .header("sec-fetch-site", "same-origin")
        .body(Body::from("{\"inputs\":[1]}"))
        .unwrap();
    let r = send(&proxy, r).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json(), json!({"ok": true}));

    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 1);
    let h = &seen[0];
    assert_eq!(h["authorization"], "Bearer dapi-proxy-secret");
    assert_eq!(h.get_all("authorization").iter().count(), 1);
    assert_eq!(h["accept"], "application/json");
    assert_eq!(h["content-type"], "application/json");
    let mut names: Vec<&str> = h.keys().map(|k| k.as_str()).collect();
    names.sort();
    assert_eq!(
        names,
        vec![
            "accept",
            "authorization",
            "content-length",
            "content-type",
            "host",
            "user-agent"
        ]
    );
    assert!(h["host"].to_str().unwrap().starts_with("127.0.0.1:"));

    // Back to the browser: content type, request id, Retry-After; never cookies, auth prompts,
    // CORS grants or the workspace's CSP.
    assert_eq!(r.header("x-request-id").as_deref(), Some("req-123"));
    assert_eq!(r.header("retry-after").as_deref(), Some("3"));
    for dropped in [
        "set-cookie",
        "www-authenticate",
        "access-control-allow-origin",
    ] {
        assert_eq!(r.header(dropped), None, "{dropped}");
    }
    assert_security_headers(&r, "forwarded answer");
}

#[tokio::test]
async fn workspace_errors_pass_through_with_status_and_body() {
    let (state, base) = emulator().await;
    let proxy = proxy_to(&base, ADMIN);
    let emulator_router = app(state.clone());

    // A 404 from the workspace, body byte for byte.
    let direct = get(
        &emulator_router,
        "/api/2.0/serving-endpoints/does-not-exist",
        Some(ADMIN),
    )
    .await;
    let via = send(
        &proxy,
        req("GET", "/api/2.0/serving-endpoints/does-not-exist"),
    )
    .await;
    assert_eq!(via.status, StatusCode::NOT_FOUND);
    let (mut a, mut b) = (direct.json(), via.json());
    // Request ids differ per answer; everything else is the same.
    a["details"][0]["request_id"] = Value::Null;
    b["details"][0]["request_id"] = Value::Null;
    assert_eq!(a, b);
    assert_eq!(b["error_code"], "RESOURCE_DOES_NOT_EXIST");

    // A 503 with Retry-After.
    state.faults().add(
        serde_json::from_value(
            json!({"method": "GET", "path": "/api/2.0/serving-endpoints", "times": 1,
            "fault": {"kind": "status", "status": 503, "retry_after": "7"}}),
        )
        .unwrap(),
    );
    let r = send(&proxy, req("GET", "/api/2.0/serving-endpoints")).await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(r.header("retry-after").as_deref(), Some("7"));
    assert_eq!(r.json()["error_code"], "TEMPORARILY_UNAVAILABLE");
    assert_security_headers(&r, "503");

    // A non-JSON 502 page passes through as it is.
    state.faults().add(
        serde_json::from_value(
            json!({"method": "GET", "path": "/api/2.0/serving-endpoints", "times": 1,
            "fault": {"kind": "html502"}}),
        )
        .unwrap(),
    );
    let r = send(&proxy, req("GET", "/api/2.0/serving-endpoints")).await;
    assert_eq!(r.status, StatusCode::BAD_GATEWAY);
    assert!(r.text().contains("502 Bad Gateway"));
    assert!(r.header("content-type").unwrap().starts_with("text/html"));

    // A proxy holding a wrong token: the workspace's 401 reaches the browser.
    let wrong = proxy_to(&base, "dapi-not-a-token");
    let r = send(&wrong, req("GET", "/api/2.0/serving-endpoints")).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.json()["error_code"], "UNAUTHENTICATED");
}

#[tokio::test]
async fn unreachable_workspace_is_a_databricks_shaped_502() {
    // A port that was free a moment ago: nothing listens there.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let proxy = proxy_to(&format!("http://127.0.0.1:{port}"), ADMIN);
    let r = send(&proxy, req("GET", "/api/2.0/serving-endpoints")).await;
    assert_eq!(r.status, StatusCode::BAD_GATEWAY);
    let v = r.json();
    assert_eq!(v["error_code"], "TEMPORARILY_UNAVAILABLE");
    assert!(v["message"]
        .as_str()
        .unwrap()
        .contains("could not reach the workspace"));
    assert_eq!(
        r.header("content-type").as_deref(),
        Some("application/json")
    );
    assert_security_headers(&r, "502");
}

#[tokio::test]
async fn a_hanging_workspace_hits_the_deadline() {
    let (state, base) = emulator().await;
    state.faults().add(
        serde_json::from_value(
            json!({"method": "GET", "path": "/api/2.0/serving-endpoints", "fault": {"kind": "hang"}}),
        )
        .unwrap(),
    );
    let mut cfg = ProxyConfig::new(Upstream::parse(&base).unwrap(), Token::new(ADMIN).unwrap());
    cfg.timeout = Duration::from_millis(300);
    let proxy = proxy::app(cfg).unwrap();
    let r = send(&proxy, req("GET", "/api/2.0/serving-endpoints")).await;
    assert_eq!(r.status, StatusCode::GATEWAY_TIMEOUT);
    assert_eq!(r.json()["error_code"], "DEADLINE_EXCEEDED");
}

#[tokio::test]
async fn oversized_bodies_are_refused_before_forwarding() {
    let (state, base) = emulator().await;
    let mut cfg = ProxyConfig::new(Upstream::parse(&base).unwrap(), Token::new(ADMIN).unwrap());
    cfg.max_body_bytes = 1024;
    let proxy = proxy::app(cfg).unwrap();
    let big = json!({"inputs": "x".repeat(4096)});
    let r = send(
        &proxy,
        json_req(
            "POST",
            "/serving-endpoints/fraud-detector-prod/invocations",
            big,
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(recorded(&state), vec![]);
}

#[tokio::test]
async fn console_files_are_served_with_security_headers() {
    let (_state, base) = emulator().await;
    let proxy = proxy_to(&base, ADMIN);
    for path in ["/", "/endpoints/fraud-detector-prod/logs"] {
        let r = send(&proxy, req("GET", path)).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        assert!(r.text().contains("<title>Serving Console</title>"));
        assert_eq!(r.header("cache-control").as_deref(), Some("no-cache"));
        assert_security_headers(&r, path);
    }
    let r = send(&proxy, req("GET", "/app-0123456789abcdef_bg.wasm")).await;
    assert_eq!(
        r.header("content-type").as_deref(),
        Some("application/wasm")
    );
    assert!(r.header("cache-control").unwrap().contains("immutable"));
    assert_security_headers(&r, "wasm");
}

#[tokio::test]
async fn the_demo_server_sends_the_same_security_headers() {
    let router = app(state_with(EmulatorConfig {
        dist: Some(dist()),
        ..config()
    }));
    for path in ["/", "/api/2.0/serving-endpoints", "/api/2.0/nope"] {
        let r = get(&router, path, None).await;
        assert_security_headers(&r, path);
    }
    assert_eq!(
        get(&router, "/api/2.0/serving-endpoints", None)
            .await
            .header("cache-control")
            .as_deref(),
        Some("no-store")
    );
    let _ = Method::GET;
}

#[test]
fn nginx_sample_sends_the_same_csp_and_allow_list() {
    let conf = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../deploy/nginx.conf"
    ))
    .unwrap();
    assert!(
        conf.contains(&format!("\"{}\"", security_headers::CSP)),
        "deploy/nginx.conf carries the server's CSP verbatim"
    );
    for (name, value) in security_headers::HEADERS {
        assert!(
            conf.contains(&format!(
                "add_header {} \"{}\" always;",
                title_case(name),
                value
            )),
            "deploy/nginx.conf sends {name}: {value}"
        );
    }
    // Every allow-listed call appears in the nginx allow-list map, as a regex of its pattern.
    for (method, pattern) in proxy::ALLOWED {
        let re = pattern
            .replace('.', "\\.")
            .replace("{name}", "[A-Za-z0-9_-]{1,63}")
            .replace("{entity}", "[A-Za-z0-9_-]{1,63}")
            .replace("{id}", "[A-Za-z0-9_-]{1,128}")
            .replace(
                "{model}",
                "[A-Za-z0-9_-]{1,255}\\.[A-Za-z0-9_-]{1,255}\\.[A-Za-z0-9_-]{1,255}",
            );
        // `\z`, not `$`: PCRE's `$` also matches before a final newline (a decoded `%0A`).
        let line = format!("\"~^{method} @BASE@{}\\z\" 1;", re.trim_start_matches('/'));
        assert!(
            conf.contains(&line),
            "deploy/nginx.conf allows {method} {pattern}: {line}"
        );
    }
    // Headers: the same allow-lists both ways (issue 14: nginx forwarded everything but a few).
    assert!(conf.contains("proxy_pass_request_headers off;"));
    for name in proxy::FORWARDED_REQUEST_HEADERS {
        let var = name.as_str().replace('-', "_");
        assert!(
            conf.contains(&format!(
                "proxy_set_header {} $http_{var};",
                title_case(name.as_str())
            )),
            "deploy/nginx.conf forwards {name}"
        );
    }
    assert_eq!(
        conf.matches("proxy_pass_request_headers off;").count(),
        conf.matches("proxy_pass @UPSTREAM@").count(),
        "every forwarding location uses the request-header allow-list"
    );
    assert_eq!(
        conf.matches("js_header_filter sc_headers.filter;").count(),
        conf.matches("proxy_pass @UPSTREAM@").count(),
        "every forwarding location uses the response-header allow-list"
    );
    let js = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../deploy/response-headers.js"
    ))
    .unwrap();
    let forwarded = js
        .split("var FORWARDED = [")
        .nth(1)
        .and_then(|rest| rest.split("];").next())
        .unwrap();
    let listed: Vec<&str> = forwarded
        .split(',')
        .map(|s| s.trim().trim_matches('\''))
        .filter(|s| !s.is_empty())
        .collect();
    assert_eq!(listed, proxy::FORWARDED_RESPONSE_HEADERS);
}

fn title_case(name: &str) -> String {
    name.split('-')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join("-")
}
