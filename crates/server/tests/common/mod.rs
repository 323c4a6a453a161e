//! Helpers shared by the integration tests: build the app on a frozen clock, send requests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use serde_json::Value;
use serving_console_server::emulator::clock::Clock;
use serving_console_server::{app, AppState, EmulatorConfig, Seed};
use tower::ServiceExt;

/// The frozen instant tests start at.
pub const T0: i64 = 1_790_000_000_000;

pub const ADMIN: &str = "dapi-emulator-admin";
pub const CREATOR: &str = "dapi-emulator-creator";
pub const QUERY: &str = "dapi-emulator-query";
pub const VIEW: &str = "dapi-emulator-view";
pub const SP: &str = "dapi-emulator-sp";

/// A config with the control API on and a 20 s update delay.
pub fn config() -> EmulatorConfig {
    EmulatorConfig {
        control: true,
        freeze_time: true,
        update_delay_secs: 20,
        ..Default::default()
    }
}

/// The default seed on a clock frozen at [`T0`].
pub fn state_with(config: EmulatorConfig) -> AppState {
    let seed = Seed::default_seed().expect("default seed");
    AppState::with_clock(config, seed, Clock::frozen_at(T0))
}

/// The default seed, control API on, frozen clock.
pub fn state() -> AppState {
    state_with(config())
}

/// A response, collected.
pub struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
    }
}

/// Send one request through a fresh clone of the router.
pub async fn send(router: &Router, req: Request<Body>) -> Resp {
    let res = router.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    Resp {
        status,
        headers,
        body,
    }
}

/// A request with an optional bearer token and an optional JSON body.
pub fn request(
    method: Method,
    uri: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> Request<Body> {
    let mut b = Request::builder().method(method).uri(uri);
    if let Some(t) = token {
        b = b.header("authorization", format!("Bearer {t}"));
    }
    match body {
        Some(v) => b
            .header("content-type", "application/json")
            .body(Body::from(v.to_string()))
            .unwrap(),
        None => b.body(Body::empty()).unwrap(),
    }
}

pub async fn get(router: &Router, uri: &str, token: Option<&str>) -> Resp {
    send(router, request(Method::GET, uri, token, None)).await
}

pub async fn post(router: &Router, uri: &str, body: Value) -> Resp {
    send(router, request(Method::POST, uri, None, Some(body))).await
}

pub async fn delete(router: &Router, uri: &str) -> Resp {
    send(router, request(Method::DELETE, uri, None, None)).await
}

/// The router of `state`.
pub fn router(state: &AppState) -> Router {
    app(state.clone())
}

/// GET one endpoint as the admin and return its JSON.
pub async fn endpoint(router: &Router, name: &str) -> Value {
    let r = get(
        router,
        &format!("/api/2.0/serving-endpoints/{name}"),
        Some(ADMIN),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    r.json()
}

/// Names in a list response.
pub fn names(list: &Value) -> Vec<String> {
    list["endpoints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap().to_string())
        .collect()
}

/// Assert the Databricks error shape with a RequestInfo detail.
pub fn assert_error_with_request_info(r: &Resp, status: StatusCode, code: &str, message: &str) {
    assert_eq!(r.status, status, "{}", r.text());
    assert_eq!(
        r.header("content-type").as_deref(),
        Some("application/json")
    );
    let v = r.json();
    assert_eq!(v["error_code"], code);
    assert_eq!(v["message"], message);
    let d = &v["details"][0];
    assert_eq!(d["@type"], "type.googleapis.com/google.rpc.RequestInfo");
    assert_eq!(d["serving_data"], "");
    let id = d["request_id"].as_str().unwrap();
    assert!(uuid_like(id), "{id}");
}

fn uuid_like(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.iter().map(|p| p.len()).collect::<Vec<_>>() == vec![8, 4, 4, 4, 12]
        && parts
            .iter()
            .all(|p| p.bytes().all(|b| b.is_ascii_hexdigit()))
}
