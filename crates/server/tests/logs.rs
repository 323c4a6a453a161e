//! Build and server logs: shapes, `config_version` (query and body), errors, permissions,
//! content that grows with the emulated clock, and the `--log-lines` benchmark generator.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use common::*;
use serde_json::json;
use serving_console_server::emulator::clock::Clock;
use serving_console_server::emulator::log_gen::{LogLines, BENCH_RARE_TERM};
use serving_console_server::{AppState, EmulatorConfig, Seed};

const EP: &str = "/api/2.0/serving-endpoints";

fn logs_uri(endpoint: &str, entity: &str, kind: &str) -> String {
    let suffix = if kind == "build" {
        "build-logs"
    } else {
        "logs"
    };
    format!("{EP}/{endpoint}/served-models/{entity}/{suffix}")
}

/// GET the logs text (asserting 200 and the `{"logs": "…"}` shape).
async fn logs_text(app: &axum::Router, uri: &str, token: Option<&str>) -> String {
    let r = get(app, uri, token).await;
    assert_eq!(r.status, StatusCode::OK, "{uri}: {}", r.text());
    assert_eq!(
        r.header("content-type").as_deref(),
        Some("application/json")
    );
    let v = r.json();
    let obj = v.as_object().unwrap();
    assert_eq!(obj.len(), 1, "only `logs`: {v}");
    v["logs"].as_str().unwrap().to_string()
}

/// A GET with a JSON body (what the docs show for `config_version`).
fn get_with_body(uri: &str, body: &str) -> Request<Body> {
    Request::builder()
        .method(Method::GET)
        .uri(uri)
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))
        .unwrap()
}

#[tokio::test]
async fn failed_build_ends_in_the_pip_error_and_has_no_server_log() {
    let s = state();
    let app = router(&s);
    let build = logs_text(
        &app,
        &logs_uri("pricing-model", "pricing_model-4", "build"),
        None,
    )
    .await;
    assert!(build.starts_with("20"), "timestamped: {build}");
    assert!(build
        .contains("Building container image for served entity pricing_model-4 (config version 4)"));
    assert!(build.contains("ERROR: No matching distribution found"));
    let last = build.lines().last().unwrap();
    assert!(
        last.ends_with("Container image build failed: pip install exited with status 1"),
        "{last}"
    );
    let server = logs_text(
        &app,
        &logs_uri("pricing-model", "pricing_model-4", "server"),
        None,
    )
    .await;
    assert_eq!(server, "", "the image never built, so no model server ran");
    // The served config's entity built fine and serves.
    let ok = logs_text(
        &app,
        &logs_uri("pricing-model", "pricing_model-3", "build"),
        None,
    )
    .await;
    assert!(ok.contains("Container image built successfully"));
    assert!(!ok.contains("ERROR"));
}

#[tokio::test]
async fn failed_model_load_shows_a_python_stack_trace() {
    let s = state();
    let app = router(&s);
    let server = logs_text(
        &app,
        &logs_uri("sentiment-bert-gpu", "sentiment_bert-2", "server"),
        None,
    )
    .await;
    assert!(server.contains("Traceback (most recent call last):"));
    assert!(server.contains("Reason: Worker failed to boot."));
    let build = logs_text(
        &app,
        &logs_uri("sentiment-bert-gpu", "sentiment_bert-2", "build"),
        None,
    )
    .await;
    assert!(
        build.contains("torch=="),
        "GPU entity installs torch: {build}"
    );
    assert!(build.contains("Container image built successfully"));
}

#[tokio::test]
async fn config_version_as_query_or_body() {
    let s = state();
    let app = router(&s);
    let base = logs_uri("pricing-model", "pricing_model-3", "build");
    let default = logs_text(&app, &base, None).await;
    let by_query = logs_text(&app, &format!("{base}?config_version=3"), None).await;
    assert_eq!(default, by_query);
    let r = send(&app, get_with_body(&base, r#"{"config_version": 3}"#)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["logs"], by_query);
    let r = send(&app, get_with_body(&base, r#"{"config_version": "3"}"#)).await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "a string of digits is accepted too"
    );
    let r = send(
        &app,
        get_with_body(
            &format!("{base}?config_version=3"),
            r#"{"config_version": 3}"#,
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "agreeing query and body");

    // The pending version holds the failed entity; the served one does not.
    let r = get(&app, &format!("{base}?config_version=4"), None).await;
    assert_error_with_request_info(
        &r,
        StatusCode::NOT_FOUND,
        "RESOURCE_DOES_NOT_EXIST",
        "Served model with name 'pricing_model-3' does not exist in config version 4 of endpoint 'pricing-model'.",
    );
    let r = get(&app, &format!("{base}?config_version=2"), None).await;
    assert_error_with_request_info(
        &r,
        StatusCode::NOT_FOUND,
        "RESOURCE_DOES_NOT_EXIST",
        "Config version 2 of endpoint 'pricing-model' does not exist.",
    );

    let r = get(&app, &format!("{base}?config_version=abc"), None).await;
    assert_error_with_request_info(
        &r,
        StatusCode::BAD_REQUEST,
        "INVALID_PARAMETER_VALUE",
        "Invalid config_version 'abc': expected a positive integer.",
    );
    let r = send(
        &app,
        get_with_body(
            &format!("{base}?config_version=3"),
            r#"{"config_version": 4}"#,
        ),
    )
    .await;
    assert_error_with_request_info(
        &r,
        StatusCode::BAD_REQUEST,
        "INVALID_PARAMETER_VALUE",
        "config_version is 3 in the query but 4 in the body.",
    );
    let r = send(&app, get_with_body(&base, "{not json")).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.json()["error_code"], "MALFORMED_REQUEST");
    let r = send(&app, get_with_body(&base, r#"{"config_version": -1}"#)).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.json()["error_code"], "INVALID_PARAMETER_VALUE");
}

#[tokio::test]
async fn unknown_names_get_404_with_the_real_body() {
    let s = state();
    let app = router(&s);
    let r = get(&app, &logs_uri("no-such-endpoint", "x-1", "server"), None).await;
    assert_error_with_request_info(
        &r,
        StatusCode::NOT_FOUND,
        "RESOURCE_DOES_NOT_EXIST",
        "Endpoint with name 'no-such-endpoint' does not exist.",
    );
    let r = get(
        &app,
        &logs_uri("fraud-detector-prod", "nope", "build"),
        None,
    )
    .await;
    assert_error_with_request_info(
        &r,
        StatusCode::NOT_FOUND,
        "RESOURCE_DOES_NOT_EXIST",
        "Served model with name 'nope' does not exist in endpoint 'fraud-detector-prod'.",
    );
    let r = get(&app, &logs_uri("bad%20name", "x", "server"), None).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.json()["error_code"], "INVALID_PARAMETER_VALUE");
    let r = get(
        &app,
        &logs_uri("openai-gpt-4o-chat", "gpt-4o", "server"),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.json()["message"]
        .as_str()
        .unwrap()
        .contains("external model"));
    let r = get(
        &app,
        &logs_uri("fraud-detector-prod", "fraud_xgb-7", "server"),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = send(
        &app,
        request(
            Method::POST,
            &logs_uri("fraud-detector-prod", "fraud_xgb-7", "server"),
            None,
            None,
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn can_view_is_enough_and_no_access_is_403() {
    let s = state();
    let app = router(&s);
    let uri = logs_uri("forecast-batch-scorer", "demand_forecast-6", "server");
    let text = logs_text(&app, &uri, Some(VIEW)).await;
    assert!(!text.is_empty());
    let r = get(&app, &uri, Some(QUERY)).await;
    assert_error_with_request_info(
        &r,
        StatusCode::FORBIDDEN,
        "PERMISSION_DENIED",
        "User does not have permission 'View' on Endpoint forecast-batch-scorer",
    );
}

#[tokio::test]
async fn stopped_endpoint_server_log_ends_with_the_shutdown_and_stays() {
    let s = state();
    let app = router(&s);
    let uri = logs_uri("forecast-batch-scorer", "demand_forecast-6", "server");
    let before = logs_text(&app, &uri, None).await;
    assert!(
        before.trim_end().ends_with("Shutting down: Master"),
        "{before}"
    );
    post(&app, "/__emulator/time", json!({"advance_secs": 600})).await;
    assert_eq!(
        logs_text(&app, &uri, None).await,
        before,
        "a stopped server writes nothing"
    );
}

#[tokio::test]
async fn logs_grow_with_the_emulated_clock() {
    let s = state();
    let app = router(&s);
    // A deploying entity: the build log grows, the server log is empty until the image is built.
    let build_uri = logs_uri("churn-model", "churn_lgbm-5", "build");
    let server_uri = logs_uri("churn-model", "churn_lgbm-5", "server");
    let b0 = logs_text(&app, &build_uri, None).await;
    assert_eq!(logs_text(&app, &server_uri, None).await, "");
    post(&app, "/__emulator/time", json!({"advance_secs": 8})).await;
    let b1 = logs_text(&app, &build_uri, None).await;
    assert!(
        b1.starts_with(&b0) && b1.len() > b0.len(),
        "build log grows:\n{b0}\n---\n{b1}"
    );
    post(&app, "/__emulator/time", json!({"advance_secs": 30})).await;
    let b2 = logs_text(&app, &build_uri, None).await;
    assert!(b2.contains("Container image built successfully"));
    let sv = logs_text(&app, &server_uri, None).await;
    assert!(sv.contains("Starting gunicorn"), "{sv}");
    assert!(sv.contains("Model server ready"));
    let ep = endpoint(&app, "churn-model").await;
    assert_eq!(
        ep["config"]["config_version"], 5,
        "the update finished meanwhile"
    );
    // Still the same log after the transition made it the served config.
    let sv_after = logs_text(&app, &server_uri, None).await;
    assert!(sv_after.starts_with(&sv), "no jump at the transition");

    // A long-serving entity: a window of recent lines that slides; the overlap is kept.
    let uri = logs_uri("fraud-detector-prod", "fraud_xgb-7", "server");
    let a = logs_text(&app, &uri, None).await;
    post(&app, "/__emulator/time", json!({"advance_secs": 60})).await;
    let b = logs_text(&app, &uri, None).await;
    assert_ne!(a, b);
    let a_lines: Vec<&str> = a.lines().collect();
    let b_lines: Vec<&str> = b.lines().collect();
    let last_a = *a_lines.last().unwrap();
    let pos = b_lines
        .iter()
        .rposition(|l| *l == last_a)
        .expect("the old tail is still there");
    assert!(pos + 1 < b_lines.len(), "new lines after it");
    let overlap = &b_lines[..=pos];
    assert!(a_lines.ends_with(overlap), "b starts with a suffix of a");
    assert!(a.lines().any(|l| l.contains('\u{1b}')), "some ANSI colour");
}

#[tokio::test]
async fn a_failing_deployment_writes_its_trace_when_it_fails() {
    let s = state();
    let app = router(&s);
    let uri = logs_uri("doc-summarizer-v2", "doc_summarizer-1", "server");
    let early = logs_text(&app, &uri, None).await;
    assert!(!early.contains("Traceback"));
    post(&app, "/__emulator/time", json!({"advance_secs": 25})).await;
    let late = logs_text(&app, &uri, None).await;
    assert!(late.starts_with(&early));
    assert!(
        late.contains("Traceback (most recent call last):"),
        "{late}"
    );
    let ep = endpoint(&app, "doc-summarizer-v2").await;
    assert_eq!(ep["state"]["config_update"], "UPDATE_FAILED");
    // The failure classification stays the same once the entity is FAILED.
    assert_eq!(logs_text(&app, &uri, None).await, late);
}

#[tokio::test]
async fn log_lines_flag_gives_one_endpoint_n_line_server_logs() {
    let config = EmulatorConfig {
        log_lines: Some(LogLines {
            endpoint: "fraud-detector-prod".into(),
            lines: 3_000,
        }),
        ..config()
    };
    let s = AppState::with_clock(config, Seed::default_seed().unwrap(), Clock::frozen_at(T0));
    let app = router(&s);
    let text = logs_text(
        &app,
        &logs_uri("fraud-detector-prod", "fraud_xgb-7", "server"),
        None,
    )
    .await;
    assert_eq!(text.lines().count(), 3_000);
    assert_eq!(text.matches(BENCH_RARE_TERM).count(), 5);
    assert!(
        text.lines().any(|l| l.len() >= 100_000),
        "a few 100 KB lines"
    );
    // Other endpoints and build logs are unaffected.
    let other = logs_text(
        &app,
        &logs_uri("ltv-regressor", "ltv_regressor-11", "server"),
        None,
    )
    .await;
    assert!(other.lines().count() < 3_000);
    let build = logs_text(
        &app,
        &logs_uri("fraud-detector-prod", "fraud_xgb-7", "build"),
        None,
    )
    .await;
    assert!(build.contains("Building container image"));
}
