//! The control API: reset, faults, the request record; disabled → 404.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use common::*;
use serde_json::json;
use std::time::{Duration, Instant, SystemTime};

const LIST: &str = "/api/2.0/serving-endpoints";

#[tokio::test]
async fn control_api_is_404_unless_enabled_but_health_always_answers() {
    let off = router(&state_with(EmulatorConfigExt::without_control()));
    for (m, uri) in [
        (Method::POST, "/__emulator/reset"),
        (Method::POST, "/__emulator/time"),
        (Method::POST, "/__emulator/faults"),
        (Method::GET, "/__emulator/requests"),
        (Method::GET, "/__emulator/nope"),
    ] {
        let r = send(&off, request(m.clone(), uri, None, Some(json!({})))).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{m} {uri}");
        assert_eq!(r.json()["error_code"], "ENDPOINT_NOT_FOUND");
    }
    let h = get(&off, "/__emulator/health", None).await;
    assert_eq!((h.status, h.text().as_str()), (StatusCode::OK, "ok"));
    let on = router(&state());
    let h = get(&on, "/__emulator/health", None).await;
    assert_eq!((h.status, h.text().as_str()), (StatusCode::OK, "ok"));
    let r = get(&on, "/__emulator/nope", None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

struct EmulatorConfigExt;
impl EmulatorConfigExt {
    fn without_control() -> serving_console_server::EmulatorConfig {
        serving_console_server::EmulatorConfig {
            control: false,
            ..config()
        }
    }
}

#[tokio::test]
async fn malformed_json_bodies_get_400_malformed_request() {
    let app = router(&state());
    let bad = Request::builder()
        .method(Method::POST)
        .uri("/__emulator/faults")
        .header("content-type", "application/json")
        .body(Body::from("{\"path\": "))
        .unwrap();
    let r = send(&app, bad).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let v = r.json();
    assert_eq!(v["error_code"], "MALFORMED_REQUEST");
    assert_eq!(
        v["details"][0]["@type"],
        "type.googleapis.com/google.rpc.RequestInfo"
    );
    // Well-formed but wrong shape.
    let r = post(
        &app,
        "/__emulator/faults",
        json!({"path": "/x", "fault": {"kind": "explode"}}),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.json()["error_code"], "MALFORMED_REQUEST");
    // No content type.
    let r = send(
        &app,
        Request::builder()
            .method(Method::POST)
            .uri("/__emulator/time")
            .body(Body::from("{}"))
            .unwrap(),
    )
    .await;
    assert_eq!(r.json()["error_code"], "MALFORMED_REQUEST");
    // Semantically invalid.
    let r = post(&app, "/__emulator/time", json!({"advance_secs": -1})).await;
    assert_eq!(r.json()["error_code"], "INVALID_PARAMETER_VALUE");
    let r = post(
        &app,
        "/__emulator/faults",
        json!({"path": "/x", "fault": {"kind": "status", "status": 1000}}),
    )
    .await;
    assert_eq!(r.json()["error_code"], "INVALID_PARAMETER_VALUE");
    let r = post(
        &app,
        "/__emulator/faults",
        json!({"path": "/x", "fault": {"kind": "status", "status": 503, "retry_after": "soon"}}),
    )
    .await;
    assert_eq!(r.json()["error_code"], "INVALID_PARAMETER_VALUE");
    let r = post(
        &app,
        "/__emulator/faults",
        json!({"path": "x", "fault": {"kind": "hang"}}),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn status_fault_with_retry_after_and_times() {
    let app = router(&state());
    let r = post(
        &app,
        "/__emulator/faults",
        json!({"method": "GET", "path": LIST, "times": 2,
               "fault": {"kind": "status", "status": 503, "error_code": "TEMPORARILY_UNAVAILABLE",
                         "message": "try later", "retry_after": "2"}}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json(), json!({"id": 1}));
    for _ in 0..2 {
        let r = get(&app, LIST, None).await;
        assert_error_with_request_info(
            &r,
            StatusCode::SERVICE_UNAVAILABLE,
            "TEMPORARILY_UNAVAILABLE",
            "try later",
        );
        assert_eq!(r.header("retry-after").as_deref(), Some("2"));
    }
    assert_eq!(get(&app, LIST, None).await.status, StatusCode::OK);
    let rules = get(&app, "/__emulator/faults", None).await.json();
    assert_eq!(rules[0]["times_left"], 0);
    assert_eq!(rules[0]["hits"], 2);

    // 429 with an HTTP date and a default error code; only POSTs... a GET is untouched.
    let date = httpdate::fmt_http_date(SystemTime::UNIX_EPOCH + Duration::from_secs(1_790_000_000));
    post(
        &app,
        "/__emulator/faults",
        json!({"method": "*", "path": "/api/2.0/serving-endpoints/*", "times": 1,
               "fault": {"kind": "status", "status": 429, "retry_after": date}}),
    )
    .await;
    let r = get(&app, LIST, None).await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "the glob matches one more segment only"
    );
    let r = get(&app, "/api/2.0/serving-endpoints/churn-model", None).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.json()["error_code"], "REQUEST_LIMIT_EXCEEDED");
    assert_eq!(r.header("retry-after"), Some(date));
    assert_eq!(
        get(&app, "/api/2.0/serving-endpoints/churn-model", None)
            .await
            .status,
        StatusCode::OK
    );

    // Method filter.
    post(
        &app,
        "/__emulator/faults",
        json!({"method": "POST", "path": "/api/**", "fault": {"kind": "html502"}}),
    )
    .await;
    assert_eq!(get(&app, LIST, None).await.status, StatusCode::OK);
    let r = send(&app, request(Method::POST, LIST, None, Some(json!({})))).await;
    assert_eq!(r.status, StatusCode::BAD_GATEWAY);

    // Clearing.
    assert_eq!(delete(&app, "/__emulator/faults").await.json(), json!({}));
    assert_eq!(
        get(&app, "/__emulator/faults", None).await.json(),
        json!([])
    );
    assert_eq!(
        send(&app, request(Method::POST, LIST, None, Some(json!({}))))
            .await
            .status,
        StatusCode::METHOD_NOT_ALLOWED
    );
}

#[tokio::test]
async fn html502_truncated_latency_and_delete_one() {
    let app = router(&state());
    let id = post(
        &app,
        "/__emulator/faults",
        json!({"path": LIST, "times": 1, "fault": {"kind": "html502"}}),
    )
    .await
    .json()["id"]
        .as_u64()
        .unwrap();
    let r = get(&app, LIST, None).await;
    assert_eq!(r.status, StatusCode::BAD_GATEWAY);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    assert!(r
        .text()
        .contains("<center><h1>502 Bad Gateway</h1></center>"));
    assert!(serde_json::from_slice::<serde_json::Value>(&r.body).is_err());
    assert_eq!(
        delete(&app, &format!("/__emulator/faults/{id}"))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        delete(&app, &format!("/__emulator/faults/{id}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    let full = get(&app, "/api/2.0/serving-endpoints/churn-model", None).await;
    post(&app, "/__emulator/faults", json!({"path": "/api/2.0/serving-endpoints/**", "times": 1, "fault": {"kind": "truncated"}})).await;
    let cut = get(&app, "/api/2.0/serving-endpoints/churn-model", None).await;
    assert_eq!(cut.status, StatusCode::OK);
    assert_eq!(
        cut.header("content-type").as_deref(),
        Some("application/json")
    );
    assert_eq!(cut.body.len(), full.body.len() / 2);
    assert_eq!(&full.body[..cut.body.len()], &cut.body[..]);
    assert!(serde_json::from_slice::<serde_json::Value>(&cut.body).is_err());

    post(&app, "/__emulator/faults", json!({"path": "/api/2.0/preview/scim/v2/Me", "times": 1, "fault": {"kind": "latency", "ms": 60}})).await;
    let started = Instant::now();
    let r = get(&app, "/api/2.0/preview/scim/v2/Me", None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(started.elapsed() >= Duration::from_millis(60));
}

#[tokio::test]
async fn hang_never_answers_and_is_recorded_as_499_when_abandoned() {
    let s = state();
    let app = router(&s);
    post(
        &app,
        "/__emulator/faults",
        json!({"path": LIST, "fault": {"kind": "hang"}}),
    )
    .await;
    let pending = get(&app, LIST, None);
    assert!(tokio::time::timeout(Duration::from_millis(50), pending)
        .await
        .is_err());
    let log = get(&app, "/__emulator/requests", None).await.json();
    let last = log.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["path"], LIST);
    assert_eq!(last["status"], 499);
    // Shutdown releases hanging requests.
    let pending = tokio::spawn({
        let app = app.clone();
        async move { get(&app, LIST, None).await.status }
    });
    tokio::time::sleep(Duration::from_millis(20)).await;
    s.begin_shutdown();
    let status = tokio::time::timeout(Duration::from_millis(500), pending)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(status, StatusCode::GATEWAY_TIMEOUT);
}

#[tokio::test]
async fn request_record_never_holds_tokens_and_skips_control_calls() {
    let app = router(&state());
    get(&app, "/api/2.0/serving-endpoints?x=1&y=two", Some(VIEW)).await;
    get(&app, "/api/2.0/serving-endpoints/pricing-model", Some(VIEW)).await;
    get(&app, "/api/2.0/nope", None).await;
    let r = get(&app, "/__emulator/requests", None).await;
    assert!(!r.text().contains("dapi-"), "token leaked: {}", r.text());
    let v = r.json();
    let entries = v.as_array().unwrap();
    assert_eq!(entries.len(), 3, "{v}");
    assert_eq!(entries[0]["method"], "GET");
    assert_eq!(entries[0]["path"], "/api/2.0/serving-endpoints");
    assert_eq!(entries[0]["query"], "x=1&y=two");
    assert_eq!(entries[0]["status"], 200);
    assert_eq!(entries[0]["authorization_present"], true);
    assert!(entries[0]["ended_ms"].as_i64().unwrap() >= entries[0]["started_ms"].as_i64().unwrap());
    assert_eq!(entries[1]["status"], 403);
    assert_eq!(entries[2]["status"], 404);
    assert_eq!(entries[2]["authorization_present"], false);
    assert_eq!(entries[2]["query"], "");
    assert_eq!(delete(&app, "/__emulator/requests").await.json(), json!({}));
    assert_eq!(
        get(&app, "/__emulator/requests", None).await.json(),
        json!([])
    );
}

#[tokio::test]
async fn reset_restores_seed_clock_faults_and_record() {
    let s = state();
    let app = router(&s);
    post(&app, "/__emulator/time", json!({"advance_secs": 3600})).await;
    let churn = endpoint(&app, "churn-model").await;
    assert_eq!(churn["state"]["config_update"], "NOT_UPDATING");
    post(
        &app,
        "/__emulator/faults",
        json!({"path": "/nowhere", "fault": {"kind": "hang"}}),
    )
    .await;

    let r = post(&app, "/__emulator/reset", json!({})).await;
    assert_eq!(r.status, StatusCode::OK);
    let v = r.json();
    assert_eq!(v["endpoints"], 17);
    assert_eq!(v["frozen"], true, "--freeze-time is kept");
    assert_eq!(
        get(&app, "/__emulator/faults", None).await.json(),
        json!([])
    );
    assert_eq!(
        get(&app, "/__emulator/requests", None).await.json(),
        json!([])
    );
    let churn = endpoint(&app, "churn-model").await;
    assert_eq!(churn["state"]["config_update"], "IN_PROGRESS");
    // The restored seed runs on the restored clock: the update is 20 s away again.
    post(&app, "/__emulator/time", json!({"advance_secs": 19})).await;
    assert_eq!(
        endpoint(&app, "churn-model").await["state"]["config_update"],
        "IN_PROGRESS"
    );
    post(&app, "/__emulator/time", json!({"advance_secs": 1})).await;
    assert_eq!(
        endpoint(&app, "churn-model").await["state"]["config_update"],
        "NOT_UPDATING"
    );
}
