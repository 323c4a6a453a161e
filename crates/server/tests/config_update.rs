//! Changing an endpoint in the emulator (docs/serving-api-changes.md): `PUT …/config` rolls out
//! in emulated time while the old config serves, ends served or failed (with the failing entity
//! explained in its state and logs); every server rule is a 400 `INVALID_PARAMETER_VALUE`; 409
//! while an update runs; tags, notifications and the AI gateway apply at once. In process, on a
//! frozen clock (update delay 20 s).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::{Method, StatusCode};
use axum::Router;
use common::*;
use serde_json::{json, Value};

const FRAUD: &str = "fraud-detector-prod";

fn uri(name: &str, tail: &str) -> String {
    format!("/api/2.0/serving-endpoints/{name}{tail}")
}

async fn call(app: &Router, method: Method, uri: &str, token: &str, body: Value) -> Resp {
    send(app, request(method, uri, Some(token), Some(body))).await
}

async fn put_config(app: &Router, name: &str, body: Value) -> Resp {
    call(app, Method::PUT, &uri(name, "/config"), ADMIN, body).await
}

async fn advance(app: &Router, secs: f64) {
    let r = post(app, "/__emulator/time", json!({ "advance_secs": secs })).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
}

fn entity(name: &str, version: &str, size: &str) -> Value {
    json!({"name": name, "entity_name": "main.risk.fraud_xgb", "entity_version": version,
           "workload_size": size, "scale_to_zero_enabled": false})
}

fn routes(pairs: &[(&str, i64)]) -> Value {
    json!({"routes": pairs.iter().map(|(n, p)| json!({"served_entity_name": n,
        "traffic_percentage": p})).collect::<Vec<_>>()})
}

fn split(c: &Value) -> Vec<(String, i64)> {
    c["traffic_config"]["routes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["served_entity_name"].as_str().unwrap_or("-").to_string(),
                r["traffic_percentage"].as_i64().unwrap(),
            )
        })
        .collect()
}

fn deployment(c: &Value, entity: &str) -> (String, String) {
    let e = c["served_entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == entity)
        .unwrap_or_else(|| panic!("no entity {entity} in {c}"));
    (
        e["state"]["deployment"].as_str().unwrap_or("-").to_string(),
        e["state"]["deployment_state_message"]
            .as_str()
            .unwrap_or("")
            .to_string(),
    )
}

fn update_state(e: &Value) -> (&str, &str) {
    (
        e["state"]["ready"].as_str().unwrap_or("-"),
        e["state"]["config_update"].as_str().unwrap_or("-"),
    )
}

async fn invoke_ok(app: &Router, name: &str) -> Resp {
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
async fn shifting_traffic_rolls_out_while_the_old_config_serves() {
    let s = state();
    let app = router(&s);
    let before = endpoint(&app, FRAUD).await;
    assert_eq!(before["config"]["config_version"], 12);
    let query_status_before = invoke_ok(&app, FRAUD).await.status;

    let r = put_config(
        &app,
        FRAUD,
        json!({"served_entities": [entity("fraud_xgb-7", "7", "Medium"), entity("fraud_xgb-8", "8", "Small")],
               "traffic_config": routes(&[("fraud_xgb-7", 50), ("fraud_xgb-8", 50)])}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let v = r.json();
    assert_eq!(v["permission_level"], "CAN_MANAGE");
    assert_eq!(update_state(&v), ("READY", "IN_PROGRESS"));
    assert_eq!(v["pending_config"]["config_version"], 13);
    assert_eq!(
        deployment(&v["pending_config"], "fraud_xgb-8").0,
        "DEPLOYMENT_CREATING"
    );

    // While it rolls out, the old config (90/10, version 12) serves and answers.
    let mid = endpoint(&app, FRAUD).await;
    assert_eq!(mid["config"]["config_version"], 12);
    assert_eq!(
        split(&mid["config"]),
        vec![("fraud_xgb-7".into(), 90), ("fraud_xgb-8".into(), 10)]
    );
    assert_eq!(invoke_ok(&app, FRAUD).await.status, query_status_before);
    let metrics = get(&app, &uri(FRAUD, "/metrics"), Some(ADMIN)).await;
    assert_eq!(metrics.status, StatusCode::OK);

    advance(&app, 19.0).await;
    assert_eq!(
        update_state(&endpoint(&app, FRAUD).await),
        ("READY", "IN_PROGRESS")
    );
    advance(&app, 1.0).await;
    let after = endpoint(&app, FRAUD).await;
    assert_eq!(update_state(&after), ("READY", "NOT_UPDATING"));
    assert!(after.get("pending_config").is_none(), "{after}");
    assert_eq!(after["config"]["config_version"], 13);
    assert_eq!(
        split(&after["config"]),
        vec![("fraud_xgb-7".into(), 50), ("fraud_xgb-8".into(), 50)]
    );
    // GET names each route's target both ways, as the real answers do.
    assert_eq!(
        after["config"]["traffic_config"]["routes"][0]["served_model_name"],
        "fraud_xgb-7"
    );
    assert_eq!(
        deployment(&after["config"], "fraud_xgb-7").0,
        "DEPLOYMENT_READY"
    );
    // The list shows the new entities too.
    let list = get(&app, "/api/2.0/serving-endpoints", Some(ADMIN)).await;
    assert_eq!(list.status, StatusCode::OK);
}

#[tokio::test]
async fn a_version_that_fails_to_load_leaves_the_old_config_serving_and_says_why() {
    let s = state();
    let app = router(&s);
    let r = put_config(
        &app,
        FRAUD,
        json!({"served_entities": [entity("fraud_xgb-7", "7", "Medium"), entity("fraud_xgb-9", "9", "Small")],
               "traffic_config": routes(&[("fraud_xgb-7", 90), ("fraud_xgb-9", 10)])}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    advance(&app, 20.0).await;
    let e = endpoint(&app, FRAUD).await;
    assert_eq!(update_state(&e), ("READY", "UPDATE_FAILED"));
    assert_eq!(e["config"]["config_version"], 12, "the old config serves");
    let pending = &e["pending_config"];
    assert_eq!(pending["config_version"], 13);
    let (dep, message) = deployment(pending, "fraud_xgb-9");
    assert_eq!(dep, "DEPLOYMENT_FAILED");
    assert!(message.contains("service logs"), "{message}");
    assert_eq!(
        deployment(pending, "fraud_xgb-7").0,
        "DEPLOYMENT_ABORTED",
        "the sibling is aborted"
    );
    let logs = get(
        &app,
        &uri(FRAUD, "/served-models/fraud_xgb-9/logs?config_version=13"),
        Some(ADMIN),
    )
    .await;
    assert_eq!(logs.status, StatusCode::OK, "{}", logs.text());
    let text = logs.json()["logs"].as_str().unwrap().to_string();
    assert!(text.contains("Traceback"), "{text}");
    assert!(text.contains("Worker failed to boot"), "{text}");

    // Roll back: the config that still serves is sent again, and it is served.
    let r = put_config(
        &app,
        FRAUD,
        json!({"served_entities": [entity("fraud_xgb-7", "7", "Medium"), entity("fraud_xgb-8", "8", "Small")],
               "traffic_config": routes(&[("fraud_xgb-7", 90), ("fraud_xgb-8", 10)])}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["pending_config"]["config_version"], 14);
    advance(&app, 20.0).await;
    let e = endpoint(&app, FRAUD).await;
    assert_eq!(update_state(&e), ("READY", "NOT_UPDATING"));
    assert_eq!(e["config"]["config_version"], 14);
    assert!(e.get("pending_config").is_none());
}

#[tokio::test]
async fn a_version_that_fails_to_build_says_so_in_its_build_logs() {
    let s = state();
    let app = router(&s);
    let r = put_config(
        &app,
        FRAUD,
        json!({"served_entities": [entity("fraud_xgb-10", "10", "Small")]}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    advance(&app, 20.0).await;
    let e = endpoint(&app, FRAUD).await;
    assert_eq!(update_state(&e), ("READY", "UPDATE_FAILED"));
    let (dep, message) = deployment(&e["pending_config"], "fraud_xgb-10");
    assert_eq!(dep, "DEPLOYMENT_FAILED");
    assert!(message.contains("build logs"), "{message}");
    let logs = get(
        &app,
        &uri(FRAUD, "/served-models/fraud_xgb-10/build-logs"),
        Some(ADMIN),
    )
    .await;
    let text = logs.json()["logs"].as_str().unwrap().to_string();
    assert!(text.contains("No matching distribution"), "{text}");
    assert!(text.contains("Container image build failed"), "{text}");
}

#[tokio::test]
async fn a_change_while_an_update_runs_is_a_409() {
    let s = state();
    let app = router(&s);
    let body = json!({"served_entities": [entity("fraud_xgb-8", "8", "Small")]});
    assert_eq!(
        put_config(&app, FRAUD, body.clone()).await.status,
        StatusCode::OK
    );
    let r = put_config(&app, FRAUD, body.clone()).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    assert_eq!(r.json()["error_code"], "RESOURCE_CONFLICT");
    let gw = call(
        &app,
        Method::PUT,
        &uri(FRAUD, "/ai-gateway"),
        ADMIN,
        json!({"usage_tracking_config": {"enabled": false}}),
    )
    .await;
    assert_eq!(gw.status, StatusCode::CONFLICT, "{}", gw.text());
    // Tags apply at once, even now.
    let tags = call(
        &app,
        Method::PATCH,
        &uri(FRAUD, "/tags"),
        ADMIN,
        json!({"add_tags": [{"key": "k"}]}),
    )
    .await;
    assert_eq!(tags.status, StatusCode::OK);
    // A seed endpoint mid-update refuses as well; after it lands, the change is accepted.
    let churn = put_config(
        &app,
        "churn-model",
        json!({"served_entities": [{"name": "churn_lgbm-4", "entity_name": "main.crm.churn_lgbm",
            "entity_version": "4", "workload_size": "Small", "scale_to_zero_enabled": true}]}),
    )
    .await;
    assert_eq!(churn.status, StatusCode::CONFLICT);
    advance(&app, 20.0).await;
    assert_eq!(put_config(&app, FRAUD, body).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_stopping_endpoint_refuses_a_config_update() {
    let s = state();
    let app = router(&s);
    let r = call(
        &app,
        Method::POST,
        &uri(FRAUD, "/config:stop"),
        ADMIN,
        json!({}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = put_config(
        &app,
        FRAUD,
        json!({"served_entities": [entity("fraud_xgb-8", "8", "Small")]}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
}

async fn refused(app: &Router, name: &str, body: Value) -> String {
    let r = put_config(app, name, body).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
    let v = r.json();
    assert_eq!(v["error_code"], "INVALID_PARAMETER_VALUE", "{v}");
    v["message"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn every_rule_is_a_400_invalid_parameter_value_and_changes_nothing() {
    let s = state();
    let app = router(&s);
    let two = |a: i64, b: i64| {
        json!({"served_entities": [entity("a", "7", "Small"), entity("b", "8", "Small")],
               "traffic_config": routes(&[("a", a), ("b", b)])})
    };
    assert!(refused(&app, FRAUD, two(50, 40))
        .await
        .contains("sum to 100"));
    assert!(refused(&app, FRAUD, two(120, -20))
        .await
        .contains("between 0 and 100"));
    let m = refused(
        &app,
        FRAUD,
        json!({"served_entities": [entity("a", "7", "Small"), entity("b", "8", "Small")],
               "traffic_config": routes(&[("a", 100)])}),
    )
    .await;
    assert!(m.contains("'b' has no route"), "{m}");
    let m = refused(
        &app,
        FRAUD,
        json!({"served_entities": [entity("a", "7", "Small")],
               "traffic_config": routes(&[("a", 50), ("ghost", 50)])}),
    )
    .await;
    assert!(m.contains("ghost"), "{m}");
    let m = refused(
        &app,
        FRAUD,
        json!({"served_entities": [entity("a", "7", "Small"), entity("b", "8", "Small")]}),
    )
    .await;
    assert!(m.contains("traffic_config"), "{m}");
    let m = refused(
        &app,
        FRAUD,
        json!({"served_entities": [entity("a.b", "7", "Small")]}),
    )
    .await;
    assert!(m.contains("'a.b' is invalid"), "{m}");
    let m = refused(
        &app,
        FRAUD,
        json!({"served_entities": [entity("a", "7", "Small"), entity("a", "8", "Small")],
               "traffic_config": routes(&[("a", 100)])}),
    )
    .await;
    assert!(m.contains("unique"), "{m}");
    let mut both = entity("a", "7", "Small");
    both["min_provisioned_concurrency"] = json!(4);
    both["max_provisioned_concurrency"] = json!(8);
    let m = refused(&app, FRAUD, json!({"served_entities": [both]})).await;
    assert!(m.contains("workload_size"), "{m}");
    let many: Vec<Value> = (0..16)
        .map(|i| entity(&format!("e{i}"), "7", "Small"))
        .collect();
    let mut r: Vec<(String, i64)> = (0..16).map(|i| (format!("e{i}"), 0)).collect();
    r[0].1 = 100;
    let rr: Vec<(&str, i64)> = r.iter().map(|(n, p)| (n.as_str(), *p)).collect();
    let m = refused(
        &app,
        FRAUD,
        json!({"served_entities": many, "traffic_config": routes(&rr)}),
    )
    .await;
    assert!(m.contains("at most 15"), "{m}");
    let mut no_stz = entity("a", "7", "Small");
    no_stz
        .as_object_mut()
        .unwrap()
        .remove("scale_to_zero_enabled");
    assert_eq!(
        refused(&app, FRAUD, json!({"served_entities": [no_stz]})).await,
        "scaleToZeroEnabled is undefined. Please set it to either true or false."
    );
    let m = refused(&app, FRAUD, json!({"served_entities": []})).await;
    assert!(m.contains("at least one"), "{m}");
    // External models: not added to a custom-model endpoint, not removed from an external one.
    let gpt = json!({"name": "gpt", "external_model": {"name": "gpt-4o", "provider": "openai",
        "task": "llm/v1/chat", "openai_config": {"openai_api_key": "{{secrets/s/k}}"}}});
    let m = refused(
        &app,
        FRAUD,
        json!({"served_entities": [entity("a", "7", "Small"), gpt.clone()],
               "traffic_config": routes(&[("a", 50), ("gpt", 50)])}),
    )
    .await;
    assert!(m.contains("cannot be added"), "{m}");
    let m = refused(
        &app,
        "openai-gpt-4o-chat",
        json!({"served_entities": [entity("a", "7", "Small")]}),
    )
    .await;
    assert!(m.contains("cannot be removed"), "{m}");

    // Nothing changed.
    let e = endpoint(&app, FRAUD).await;
    assert_eq!(update_state(&e), ("READY", "NOT_UPDATING"));
    assert!(e.get("pending_config").is_none());
    assert_eq!(e["config"]["config_version"], 12);

    // A body that is not JSON is malformed.
    let r = send(
        &app,
        axum::http::Request::builder()
            .method(Method::PUT)
            .uri(uri(FRAUD, "/config"))
            .header("content-type", "application/json")
            .body(axum::body::Body::from("{not json"))
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.json()["error_code"], "MALFORMED_REQUEST");
}

#[tokio::test]
async fn permissions_and_unknown_endpoints_answer_as_elsewhere() {
    let s = state();
    let app = router(&s);
    let body = json!({"served_entities": [entity("fraud_xgb-8", "8", "Small")]});
    for (method, tail, b) in [
        (Method::PUT, "/config", body.clone()),
        (Method::PATCH, "/tags", json!({"add_tags": [{"key": "x"}]})),
        (
            Method::PATCH,
            "/notifications",
            json!({"email_notifications": {"on_update_success": ["a@b.co"]}}),
        ),
        (Method::PUT, "/ai-gateway", json!({})),
    ] {
        let r = call(&app, method.clone(), &uri(FRAUD, tail), SP, b.clone()).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{tail}: {}", r.text());
        assert_eq!(
            r.json()["message"],
            "User does not have permission 'Manage' on Endpoint fraud-detector-prod"
        );
        let r = call(&app, method.clone(), &uri("nope", tail), ADMIN, b.clone()).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{tail}");
        assert_eq!(r.json()["error_code"], "RESOURCE_DOES_NOT_EXIST");
    }
    assert_eq!(update_state(&endpoint(&app, FRAUD).await).1, "NOT_UPDATING");
}

#[tokio::test]
async fn a_lone_entity_gets_the_implied_route_and_plaintext_secrets_are_never_returned() {
    let s = state();
    let app = router(&s);
    let r = put_config(
        &app,
        FRAUD,
        json!({"served_entities": [{"entity_name": "main.risk.fraud_xgb", "entity_version": "8",
            "workload_size": "Small", "scale_to_zero_enabled": true}]}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let p = &r.json()["pending_config"];
    assert_eq!(p["served_entities"][0]["name"], "fraud_xgb-8");
    assert_eq!(split(p), vec![("fraud_xgb-8".into(), 100)]);

    let r = put_config(
        &app,
        "openai-gpt-4o-chat",
        json!({"served_entities": [{"name": "gpt-4o", "external_model": {"name": "gpt-4o-mini",
            "provider": "openai", "task": "llm/v1/chat",
            "openai_config": {"openai_api_key_plaintext": "sk-SECRET-123"}}}]}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(!r.text().contains("sk-SECRET-123"));
    advance(&app, 20.0).await;
    let g = get(&app, &uri("openai-gpt-4o-chat", ""), Some(ADMIN)).await;
    assert!(!g.text().contains("sk-SECRET-123"));
    assert_eq!(
        g.json()["config"]["served_entities"][0]["external_model"]["name"],
        "gpt-4o-mini"
    );
}

#[tokio::test]
async fn tags_are_patched_at_once_and_shown_by_get() {
    let s = state();
    let app = router(&s);
    let r = call(
        &app,
        Method::PATCH,
        &uri(FRAUD, "/tags"),
        ADMIN,
        json!({"add_tags": [{"key": "env", "value": "staging"}, {"key": "owner", "value": "risk"}],
               "delete_tags": ["pii"]}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let want = json!([{"key": "team", "value": "risk-ml"}, {"key": "env", "value": "staging"},
                      {"key": "owner", "value": "risk"}]);
    assert_eq!(r.json(), json!({ "tags": want }));
    let e = endpoint(&app, FRAUD).await;
    assert_eq!(e["tags"], want);
    assert_eq!(e["config"]["config_version"], 12, "no redeploy");
    assert_eq!(update_state(&e).1, "NOT_UPDATING");
    let list = get(&app, "/api/2.0/serving-endpoints", Some(ADMIN))
        .await
        .json();
    let item = list["endpoints"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == FRAUD)
        .unwrap()
        .clone();
    assert_eq!(item["tags"], want);
    let r = call(
        &app,
        Method::PATCH,
        &uri(FRAUD, "/tags"),
        ADMIN,
        json!({"add_tags": [{"key": ""}]}),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.json()["error_code"], "INVALID_PARAMETER_VALUE");
}

#[tokio::test]
async fn notifications_replace_the_email_settings() {
    let s = state();
    let app = router(&s);
    let r = call(
        &app,
        Method::PATCH,
        &uri(FRAUD, "/notifications"),
        ADMIN,
        json!({"email_notifications": {"on_update_success": [],
               "on_update_failure": ["oncall@contoso.com", "lead@contoso.com"]}}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(
        r.json(),
        json!({"name": FRAUD, "email_notifications": {
            "on_update_failure": ["oncall@contoso.com", "lead@contoso.com"]}})
    );
    let e = endpoint(&app, FRAUD).await;
    assert_eq!(
        e["email_notifications"],
        json!({"on_update_failure": ["oncall@contoso.com", "lead@contoso.com"]})
    );
    let r = call(
        &app,
        Method::PATCH,
        &uri(FRAUD, "/notifications"),
        ADMIN,
        json!({"email_notifications": {"on_update_success": ["not an address"]}}),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_ai_gateway_put_is_a_full_replacement() {
    let s = state();
    let app = router(&s);
    let before = endpoint(&app, FRAUD).await;
    assert!(before["ai_gateway"]["inference_table_config"].is_object());
    let body = json!({"rate_limits": [{"calls": 100, "key": "user", "renewal_period": "minute"}]});
    let r = call(
        &app,
        Method::PUT,
        &uri(FRAUD, "/ai-gateway"),
        ADMIN,
        body.clone(),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json(), body);
    let e = endpoint(&app, FRAUD).await;
    assert_eq!(
        e["ai_gateway"], body,
        "the inference table and usage tracking are dropped"
    );

    for bad in [
        json!({"rate_limits": [{"calls": 1, "key": "planet", "renewal_period": "minute"}]}),
        json!({"rate_limits": [{"calls": 1, "renewal_period": "hour"}]}),
        json!({"guardrails": {"input": {"pii": {"behavior": "SHRED"}}}}),
    ] {
        let r = call(&app, Method::PUT, &uri(FRAUD, "/ai-gateway"), ADMIN, bad).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
        assert_eq!(r.json()["error_code"], "INVALID_PARAMETER_VALUE");
    }
    // An enabled inference table moves only after being disabled.
    let s = state();
    let app = router(&s);
    let moved = json!({"inference_table_config": {"catalog_name": "other", "schema_name": "x",
        "enabled": true}});
    let r = call(&app, Method::PUT, &uri(FRAUD, "/ai-gateway"), ADMIN, moved).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
    // An empty body clears the gateway.
    let r = call(
        &app,
        Method::PUT,
        &uri(FRAUD, "/ai-gateway"),
        ADMIN,
        json!({}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(endpoint(&app, FRAUD).await.get("ai_gateway").is_none());
}

#[tokio::test]
async fn a_legacy_served_models_config_comes_back_mirrored() {
    let s = state();
    let app = router(&s);
    let r = put_config(
        &app,
        "legacy-iris-classifier",
        json!({"served_models": [{"name": "iris_classifier-4", "model_name": "iris_classifier",
            "model_version": "4", "workload_size": "Small", "scale_to_zero_enabled": true}]}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    advance(&app, 20.0).await;
    let e = endpoint(&app, "legacy-iris-classifier").await;
    assert_eq!(update_state(&e), ("READY", "NOT_UPDATING"));
    let c = &e["config"];
    assert_eq!(c["served_models"][0]["model_version"], "4");
    assert_eq!(c["served_entities"][0]["entity_version"], "4");
    assert_eq!(
        c["traffic_config"]["routes"],
        json!([{"served_model_name": "iris_classifier-4", "traffic_percentage": 100}])
    );
    let m = refused(
        &app,
        "legacy-iris-classifier",
        json!({"served_models": [{"name": "a", "model_name": "iris_classifier", "model_version": "4",
            "workload_size": "Small", "scale_to_zero_enabled": true}],
               "served_entities": [entity("b", "7", "Small")]}),
    )
    .await;
    assert!(m.contains("served_entities"), "{m}");
}

#[test]
fn the_failing_versions_hint_takes_build_or_load_only() {
    use serving_console_server::Seed;
    let seed = |kind: &str| {
        Seed::parse(
            &format!(
                r#"{{"endpoints": [{{"name": "e", "_emulator": {{"failing_versions":
                    {{"main.s.m": {{"3": "{kind}"}}}}}}}}]}}"#
            ),
            "test.json",
        )
    };
    assert!(seed("build").is_ok());
    assert!(seed("load").is_ok());
    let err = seed("explode")
        .expect_err("an unknown kind is refused")
        .to_string();
    assert!(err.contains("test.json"), "{err}");
}

#[tokio::test]
async fn a_failing_version_from_a_seed_file_fails_on_the_named_entity() {
    use serving_console_server::emulator::clock::Clock;
    use serving_console_server::{AppState, Seed};
    let text = r#"{"endpoints": [{"name": "e", "creator": "admin@example.com",
        "state": {"ready": "READY", "config_update": "NOT_UPDATING"},
        "config": {"config_version": 1, "served_entities": [{"name": "m-1",
            "entity_name": "main.s.m", "entity_version": "1", "workload_size": "Small",
            "scale_to_zero_enabled": true, "state": {"deployment": "DEPLOYMENT_READY"}}],
            "traffic_config": {"routes": [{"served_entity_name": "m-1", "traffic_percentage": 100}]}},
        "_emulator": {"failing_versions": {"main.s.m": {"2": "build"}}}}]}"#;
    let s = AppState::with_clock(
        config(),
        Seed::parse(text, "t").unwrap(),
        Clock::frozen_at(T0),
    );
    let app = router(&s);
    let mk = |n: &str, v: &str| {
        json!({"name": n, "entity_name": "main.s.m", "entity_version": v,
               "workload_size": "Small", "scale_to_zero_enabled": true})
    };
    let r = put_config(
        &app,
        "e",
        json!({"served_entities": [mk("m-1", "1"), mk("m-2", "2")],
               "traffic_config": routes(&[("m-1", 80), ("m-2", 20)])}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    advance(&app, 20.0).await;
    let e = endpoint(&app, "e").await;
    assert_eq!(update_state(&e), ("READY", "UPDATE_FAILED"));
    // The second entity is the failing one; the first is aborted because of it.
    assert_eq!(
        deployment(&e["pending_config"], "m-2").0,
        "DEPLOYMENT_FAILED"
    );
    assert_eq!(
        deployment(&e["pending_config"], "m-1").0,
        "DEPLOYMENT_ABORTED"
    );
    assert_eq!(deployment(&e["config"], "m-1").0, "DEPLOYMENT_READY");
}
