//! Stop, start and delete in the emulator: preconditions with real statuses and Databricks
//! error bodies, transitions in time, 404 everywhere after delete, invocations refused while
//! stopped. In process, on a frozen clock (update delay 20 s, so stopping takes 5 s).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::{Method, StatusCode};
use axum::Router;
use common::*;
use serde_json::{json, Value};

const EP: &str = "/api/2.0/serving-endpoints";

fn stop_uri(name: &str) -> String {
    format!("{EP}/{name}/config:stop")
}

fn start_uri(name: &str) -> String {
    format!("{EP}/{name}/config:start")
}

async fn call(app: &Router, method: Method, uri: &str, token: &str) -> Resp {
    send(app, request(method, uri, Some(token), None)).await
}

async fn advance(app: &Router, secs: f64) {
    let r = post(app, "/__emulator/time", json!({ "advance_secs": secs })).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
}

fn state_pair(e: &Value) -> (&str, &str) {
    (
        e["state"]["ready"].as_str().unwrap_or("-"),
        e["state"]["config_update"].as_str().unwrap_or("-"),
    )
}

fn deployments(c: &Value) -> Vec<String> {
    c["served_entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["state"]["deployment"].as_str().unwrap_or("-").to_string())
        .collect()
}

async fn invoke(app: &Router, name: &str) -> Resp {
    send(
        app,
        request(
            Method::POST,
            &format!("/serving-endpoints/{name}/invocations"),
            Some(ADMIN),
            Some(json!({"dataframe_records": [{}]})),
        ),
    )
    .await
}

#[tokio::test]
async fn stop_goes_through_stopping_to_stopped_and_refuses_queries() {
    let s = state();
    let app = router(&s);
    let before = endpoint(&app, "fraud-detector-prod").await;
    let version = before["config"]["config_version"].as_i64().unwrap();
    assert_ne!(
        invoke(&app, "fraud-detector-prod").await.json()["error_code"],
        "INVALID_STATE",
        "a ready endpoint is not refused as stopped"
    );

    let r = call(&app, Method::POST, &stop_uri("fraud-detector-prod"), ADMIN).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    // UNCONFIRMED response body: the endpoint as GET shows it now, with the caller's level.
    let v = r.json();
    assert_eq!(v["name"], "fraud-detector-prod");
    assert_eq!(v["permission_level"], "CAN_MANAGE");
    assert_eq!(state_pair(&v), ("NOT_READY", "IN_PROGRESS"));

    // Stopping: NOT_READY + IN_PROGRESS for a quarter of the update delay.
    advance(&app, 4.0).await;
    let e = endpoint(&app, "fraud-detector-prod").await;
    assert_eq!(state_pair(&e), ("NOT_READY", "IN_PROGRESS"));
    assert!(e.get("pending_config").is_none());
    // Another stop or a start meanwhile conflicts.
    let again = call(&app, Method::POST, &stop_uri("fraud-detector-prod"), ADMIN).await;
    assert_error_with_request_info(
        &again,
        StatusCode::CONFLICT,
        "RESOURCE_CONFLICT",
        "Endpoint fraud-detector-prod is currently updating. Wait for the current update to finish before making another change.",
    );
    let start = call(&app, Method::POST, &start_uri("fraud-detector-prod"), ADMIN).await;
    assert_eq!(start.status, StatusCode::CONFLICT);

    // Stopped: NOT_READY + NOT_UPDATING, entities DEPLOYMENT_STOPPED, version unchanged.
    advance(&app, 1.0).await;
    let e = endpoint(&app, "fraud-detector-prod").await;
    assert_eq!(state_pair(&e), ("NOT_READY", "NOT_UPDATING"));
    assert_eq!(e["config"]["config_version"].as_i64(), Some(version));
    assert_eq!(
        deployments(&e["config"]),
        vec!["DEPLOYMENT_STOPPED", "DEPLOYMENT_STOPPED"]
    );
    for ent in e["config"]["served_entities"].as_array().unwrap() {
        assert_eq!(
            ent["state"]["deployment_state_message"],
            "Served entity is stopped."
        );
    }
    // The list item says NOT_READY / NOT_UPDATING too.
    let list = get(&app, EP, Some(ADMIN)).await.json();
    let item = list["endpoints"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["name"] == "fraud-detector-prod")
        .unwrap()
        .clone();
    assert_eq!(state_pair(&item), ("NOT_READY", "NOT_UPDATING"));

    // Queries get HTTP 400 while stopped.
    let q = invoke(&app, "fraud-detector-prod").await;
    assert_eq!(q.status, StatusCode::BAD_REQUEST, "{}", q.text());
    assert_eq!(q.json()["error_code"], "INVALID_STATE");

    // Stopping a stopped endpoint is refused.
    let r = call(&app, Method::POST, &stop_uri("fraud-detector-prod"), ADMIN).await;
    assert_error_with_request_info(
        &r,
        StatusCode::BAD_REQUEST,
        "INVALID_STATE",
        "Endpoint 'fraud-detector-prod' is already stopped.",
    );
}

#[tokio::test]
async fn start_rolls_out_a_new_version_then_ready() {
    let s = state();
    let app = router(&s);
    let r = call(&app, Method::POST, &stop_uri("ltv-regressor"), ADMIN).await;
    assert_eq!(r.status, StatusCode::OK);
    advance(&app, 5.0).await;
    let stopped = endpoint(&app, "ltv-regressor").await;
    let version = stopped["config"]["config_version"].as_i64().unwrap();
    assert_eq!(deployments(&stopped["config"]), vec!["DEPLOYMENT_STOPPED"]);

    let r = call(&app, Method::POST, &start_uri("ltv-regressor"), ADMIN).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let v = r.json();
    assert_eq!(state_pair(&v), ("NOT_READY", "IN_PROGRESS"));
    assert_eq!(
        v["pending_config"]["config_version"].as_i64(),
        Some(version + 1)
    );
    assert_eq!(
        deployments(&v["pending_config"]),
        vec!["DEPLOYMENT_CREATING"]
    );
    assert!(v["pending_config"]["start_time"].as_i64().is_some());
    // The pending version copies the stopped config.
    assert_eq!(
        v["pending_config"]["served_entities"][0]["entity_name"],
        stopped["config"]["served_entities"][0]["entity_name"]
    );
    // A second start while the first rolls out conflicts.
    let again = call(&app, Method::POST, &start_uri("ltv-regressor"), ADMIN).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.json()["error_code"], "RESOURCE_CONFLICT");

    advance(&app, 19.0).await;
    assert_eq!(
        state_pair(&endpoint(&app, "ltv-regressor").await),
        ("NOT_READY", "IN_PROGRESS")
    );
    advance(&app, 1.0).await;
    let e = endpoint(&app, "ltv-regressor").await;
    assert_eq!(state_pair(&e), ("READY", "NOT_UPDATING"));
    assert_eq!(e["config"]["config_version"].as_i64(), Some(version + 1));
    assert_eq!(deployments(&e["config"]), vec!["DEPLOYMENT_READY"]);
    assert!(e.get("pending_config").is_none());
    assert_ne!(
        invoke(&app, "ltv-regressor").await.json()["error_code"],
        "INVALID_STATE",
        "queries are served again"
    );
    // Started, it can be stopped again; starting it is refused.
    let r = call(&app, Method::POST, &start_uri("ltv-regressor"), ADMIN).await;
    assert_error_with_request_info(
        &r,
        StatusCode::BAD_REQUEST,
        "INVALID_STATE",
        "Endpoint 'ltv-regressor' is not stopped: only a stopped endpoint can be started.",
    );
}

#[tokio::test]
async fn a_seeded_start_failure_ends_update_failed_with_its_message() {
    let s = state();
    let app = router(&s);
    let before = endpoint(&app, "forecast-batch-scorer").await;
    assert_eq!(state_pair(&before), ("NOT_READY", "NOT_UPDATING"));
    let version = before["config"]["config_version"].as_i64().unwrap();

    let r = call(
        &app,
        Method::POST,
        &start_uri("forecast-batch-scorer"),
        ADMIN,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(state_pair(&r.json()), ("NOT_READY", "IN_PROGRESS"));
    advance(&app, 20.0).await;

    let e = endpoint(&app, "forecast-batch-scorer").await;
    assert_eq!(state_pair(&e), ("NOT_READY", "UPDATE_FAILED"));
    let p = &e["pending_config"];
    assert_eq!(p["config_version"].as_i64(), Some(version + 1));
    assert_eq!(deployments(p), vec!["DEPLOYMENT_FAILED"]);
    let msg = p["served_entities"][0]["state"]["deployment_state_message"]
        .as_str()
        .unwrap();
    assert!(msg.starts_with("Container image creation failed"), "{msg}");
    // The served config is still the stopped one: queries still get 400; start may be retried.
    assert_eq!(deployments(&e["config"]), vec!["DEPLOYMENT_STOPPED"]);
    assert_eq!(
        invoke(&app, "forecast-batch-scorer").await.status,
        StatusCode::BAD_REQUEST
    );
    let retry = call(
        &app,
        Method::POST,
        &start_uri("forecast-batch-scorer"),
        ADMIN,
    )
    .await;
    assert_eq!(retry.status, StatusCode::OK);
    assert_eq!(
        retry.json()["pending_config"]["config_version"].as_i64(),
        Some(version + 2)
    );
}

#[tokio::test]
async fn stop_preconditions_are_refused_with_databricks_errors() {
    let s = state();
    let app = router(&s);
    let cases: &[(&str, &str, StatusCode, &str, &str)] = &[
        (
            "openai-gpt-4o-chat",
            ADMIN,
            StatusCode::BAD_REQUEST,
            "INVALID_PARAMETER_VALUE",
            "Endpoint 'openai-gpt-4o-chat' cannot be stopped: only endpoints serving custom models can be stopped.",
        ),
        (
            "databricks-meta-llama-3-3-70b-instruct",
            ADMIN,
            StatusCode::BAD_REQUEST,
            "INVALID_PARAMETER_VALUE",
            "Endpoint 'databricks-meta-llama-3-3-70b-instruct' cannot be stopped: only endpoints serving custom models can be stopped.",
        ),
        (
            "realtime-risk-features",
            ADMIN,
            StatusCode::BAD_REQUEST,
            "INVALID_PARAMETER_VALUE",
            "Endpoint 'realtime-risk-features' cannot be stopped: route-optimized endpoints cannot be stopped.",
        ),
        (
            "churn-model",
            ADMIN,
            StatusCode::CONFLICT,
            "RESOURCE_CONFLICT",
            "Endpoint churn-model is currently updating. Wait for the current update to finish before making another change.",
        ),
        (
            "forecast-batch-scorer",
            ADMIN,
            StatusCode::BAD_REQUEST,
            "INVALID_STATE",
            "Endpoint 'forecast-batch-scorer' is already stopped.",
        ),
        (
            "sentiment-bert-gpu",
            ADMIN,
            StatusCode::BAD_REQUEST,
            "INVALID_STATE",
            "Endpoint 'sentiment-bert-gpu' cannot be stopped: it has no deployed configuration.",
        ),
        // Permission first: a CAN_QUERY user, a CAN_VIEW user, a user with no access.
        (
            "fraud-detector-prod",
            QUERY,
            StatusCode::FORBIDDEN,
            "PERMISSION_DENIED",
            "User does not have permission 'Manage' on Endpoint fraud-detector-prod",
        ),
        (
            "fraud-detector-prod",
            VIEW,
            StatusCode::FORBIDDEN,
            "PERMISSION_DENIED",
            "User does not have permission 'Manage' on Endpoint fraud-detector-prod",
        ),
        (
            "ltv-regressor",
            VIEW,
            StatusCode::FORBIDDEN,
            "PERMISSION_DENIED",
            "User does not have permission 'Manage' on Endpoint ltv-regressor",
        ),
        // Even where stop is impossible anyway, permission is checked first.
        (
            "openai-gpt-4o-chat",
            QUERY,
            StatusCode::FORBIDDEN,
            "PERMISSION_DENIED",
            "User does not have permission 'Manage' on Endpoint openai-gpt-4o-chat",
        ),
        (
            "no-such-endpoint",
            ADMIN,
            StatusCode::NOT_FOUND,
            "RESOURCE_DOES_NOT_EXIST",
            "Endpoint with name 'no-such-endpoint' does not exist.",
        ),
    ];
    for (name, token, status, code, message) in cases {
        let r = call(&app, Method::POST, &stop_uri(name), token).await;
        assert_error_with_request_info(&r, *status, code, message);
    }
    // Refusals change nothing.
    assert_eq!(
        state_pair(&endpoint(&app, "fraud-detector-prod").await),
        ("READY", "NOT_UPDATING")
    );
    // An invalid name is a 400.
    let r = call(&app, Method::POST, &stop_uri("bad.name"), ADMIN).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.json()["error_code"], "INVALID_PARAMETER_VALUE");
}

#[tokio::test]
async fn start_preconditions_and_permissions() {
    let s = state();
    let app = router(&s);
    // vera.view has CAN_VIEW on forecast-batch-scorer.
    let r = call(
        &app,
        Method::POST,
        &start_uri("forecast-batch-scorer"),
        VIEW,
    )
    .await;
    assert_error_with_request_info(
        &r,
        StatusCode::FORBIDDEN,
        "PERMISSION_DENIED",
        "User does not have permission 'Manage' on Endpoint forecast-batch-scorer",
    );
    let r = call(&app, Method::POST, &start_uri("churn-model"), ADMIN).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let r = call(&app, Method::POST, &start_uri("openai-gpt-4o-chat"), ADMIN).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.json()["error_code"], "INVALID_STATE");
    let r = call(&app, Method::POST, &start_uri("nope"), ADMIN).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // The creator (CAN_MANAGE by ACL, not admin) may stop her endpoint; the answer carries
    // her level.
    let r = call(
        &app,
        Method::POST,
        &stop_uri("fraud-detector-prod"),
        CREATOR,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["permission_level"], "CAN_MANAGE");
}

#[tokio::test]
async fn stop_and_start_accept_an_empty_json_body() {
    let s = state();
    let app = router(&s);
    let r = send(
        &app,
        request(
            Method::POST,
            &stop_uri("ltv-regressor"),
            Some(ADMIN),
            Some(json!({})),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    // GET is not a way to stop.
    let r = get(&app, &stop_uri("ltv-regressor"), Some(ADMIN)).await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn delete_removes_the_endpoint_everywhere() {
    let s = state();
    let app = router(&s);
    let id = endpoint(&app, "fraud-detector-prod").await["id"]
        .as_str()
        .unwrap()
        .to_string();

    // Not a manager: 403, nothing deleted.
    let r = call(
        &app,
        Method::DELETE,
        &format!("{EP}/fraud-detector-prod"),
        QUERY,
    )
    .await;
    assert_error_with_request_info(
        &r,
        StatusCode::FORBIDDEN,
        "PERMISSION_DENIED",
        "User does not have permission 'Manage' on Endpoint fraud-detector-prod",
    );
    endpoint(&app, "fraud-detector-prod").await;

    let r = call(
        &app,
        Method::DELETE,
        &format!("{EP}/fraud-detector-prod"),
        ADMIN,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json(), json!({}));

    let gone = "Endpoint with name 'fraud-detector-prod' does not exist.";
    for (method, uri) in [
        (Method::GET, format!("{EP}/fraud-detector-prod")),
        (Method::DELETE, format!("{EP}/fraud-detector-prod")),
        (Method::POST, stop_uri("fraud-detector-prod")),
        (Method::POST, start_uri("fraud-detector-prod")),
    ] {
        let r = call(&app, method.clone(), &uri, ADMIN).await;
        assert_error_with_request_info(&r, StatusCode::NOT_FOUND, "RESOURCE_DOES_NOT_EXIST", gone);
    }
    assert_eq!(
        invoke(&app, "fraud-detector-prod").await.status,
        StatusCode::NOT_FOUND
    );
    let list = get(&app, EP, Some(ADMIN)).await.json();
    assert!(!names(&list).contains(&"fraud-detector-prod".to_string()));
    // The permissions API no longer knows its id.
    let r = get(
        &app,
        &format!("/api/2.0/permissions/serving-endpoints/{id}"),
        Some(ADMIN),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text());

    // Reset brings the seed back.
    assert_eq!(
        post(&app, "/__emulator/reset", json!({})).await.status,
        StatusCode::OK
    );
    endpoint(&app, "fraud-detector-prod").await;
}

#[tokio::test]
async fn delete_works_in_any_state() {
    let s = state();
    let app = router(&s);
    // Updating, update failed, stopped, and while stopping.
    call(&app, Method::POST, &stop_uri("ltv-regressor"), ADMIN).await;
    for name in [
        "churn-model",
        "pricing-model",
        "forecast-batch-scorer",
        "ltv-regressor",
    ] {
        let r = call(&app, Method::DELETE, &format!("{EP}/{name}"), ADMIN).await;
        assert_eq!(r.status, StatusCode::OK, "{name}: {}", r.text());
    }
    // A pending transition of a deleted endpoint does not resurrect it.
    advance(&app, 60.0).await;
    let list = get(&app, EP, Some(ADMIN)).await.json();
    for name in ["churn-model", "ltv-regressor"] {
        assert!(!names(&list).contains(&name.to_string()), "{name}");
    }
}
