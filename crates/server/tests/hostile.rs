//! Hostile input: `--hostile` endpoints reach every read route intact, seed hints for logs,
//! OpenAPI documents and display names, and hostile error bodies from the control API.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::{json, Value};
use serving_console_server::emulator::clock::Clock;
use serving_console_server::emulator::hostile;
use serving_console_server::{AppState, Seed};

fn hostile_state() -> AppState {
    let seed = Seed::default_seed().unwrap().with_hostile(true);
    AppState::with_clock(config(), seed, Clock::frozen_at(T0))
}

#[tokio::test]
async fn hostile_endpoints_are_listed_and_readable_with_their_text_intact() {
    let app = router(&hostile_state());
    let list = get(&app, "/api/2.0/serving-endpoints", Some(ADMIN)).await;
    assert_eq!(list.status, StatusCode::OK);
    let names = names(&list.json());
    for n in [
        "hostile-detail",
        "hostile-external",
        "hostile-long",
        "hostile-000",
    ] {
        assert!(names.contains(&n.to_string()), "{n} missing");
    }
    assert!(
        names.contains(&"fraud-detector-prod".to_string()),
        "the default seed stays"
    );

    let d = endpoint(&app, "hostile-detail").await;
    assert_eq!(d["creator"], "<img src=x onerror=__pwned()>@contoso.com");
    assert_eq!(
        d["config"]["served_entities"][0]["name"],
        "<img src=x onerror=__pwned()>"
    );
    assert_eq!(
        d["pending_config"]["served_entities"][0]["state"]["deployment"],
        "DEPLOYMENT_FAILED"
    );
    let long = endpoint(&app, "hostile-long").await;
    assert!(long["creator"].as_str().unwrap().len() >= 100 * 1024);

    // Every short payload is on some endpoint, as the API returns it.
    let mut all = String::new();
    for n in &names {
        all.push_str(&endpoint(&app, n).await.to_string());
    }
    let corpus = hostile::payloads();
    assert!(corpus.len() >= 1000);
    let served = get(&app, "/__emulator/hostile", None).await.json();
    assert_eq!(
        served["payloads"],
        json!(corpus),
        "the control API serves the corpus"
    );
    let missing: Vec<&String> = corpus
        .iter()
        .filter(|p| p.len() < 1024)
        .filter(|p| {
            let q = Value::String((*p).clone()).to_string();
            !all.contains(&q[1..q.len() - 1])
        })
        .collect();
    assert!(
        missing.is_empty(),
        "{} payloads missing: {:?}",
        missing.len(),
        &missing[..missing.len().min(3)]
    );
}

#[tokio::test]
async fn hostile_logs_permissions_schema_and_metrics() {
    let app = router(&hostile_state());
    let d = endpoint(&app, "hostile-detail").await;
    let entity = d["config"]["served_entities"][0]["name"].as_str().unwrap();
    let seg: String = entity
        .bytes()
        .map(|b| format!("%{b:02X}"))
        .collect::<String>();

    // Server logs: the whole corpus, one payload per line; build logs: terminal escapes.
    let base = format!("/api/2.0/serving-endpoints/hostile-detail/served-models/{seg}");
    let r = get(&app, &format!("{base}/logs"), Some(ADMIN)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let logs = r.json()["logs"].as_str().unwrap().to_string();
    assert!(logs.contains("<script>__pwned()</script>"));
    assert!(logs.len() > 400 * 1024, "the 100 KB payloads are in");
    let r = get(&app, &format!("{base}/build-logs"), Some(ADMIN)).await;
    let build = r.json()["logs"].as_str().unwrap().to_string();
    assert!(build.contains("\u{1b}]8;;javascript:__pwned()"));
    assert!(build.contains("\u{1b}]52;"));

    // Permissions: hostile user, group and service principal names and display names.
    let id = d["id"].as_str().unwrap();
    let r = get(
        &app,
        &format!("/api/2.0/permissions/serving-endpoints/{id}"),
        Some(ADMIN),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    let acl = r.json()["access_control_list"].as_array().unwrap().clone();
    let with = |k: &str| acl.iter().filter(|e| e.get(k).is_some()).count();
    assert!(
        with("user_name") >= 4 && with("group_name") >= 4 && with("service_principal_name") >= 4
    );
    let sp = acl
        .iter()
        .find(|e| e.get("service_principal_name").is_some())
        .unwrap();
    assert_ne!(
        sp["display_name"], sp["service_principal_name"],
        "display name from the seed"
    );

    // OpenAPI: the hostile document as is, with a lone surrogate escape in the raw text.
    let r = get(
        &app,
        "/api/2.0/serving-endpoints/hostile-detail/openapi",
        Some(ADMIN),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    let raw = r.text();
    assert!(
        raw.contains("\\ud800"),
        "a lone surrogate (JSON allows it, serde_json does not)"
    );
    let doc: Value = serde_json::from_str(&raw.replace("\\ud800", "?")).unwrap();
    assert!(doc["info"]["title"].as_str().unwrap().contains("onerror"));
    assert_eq!(doc["paths"].as_object().unwrap().len(), 2);

    // Metrics label values carry the hostile entity names.
    let r = get(
        &app,
        "/api/2.0/serving-endpoints/hostile-detail/metrics",
        Some(ADMIN),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test]
async fn seed_hints_fix_logs_openapi_and_display_names() {
    let seed = json!({ "endpoints": [ {
        "name": "hinted",
        "creator": "alice.chen@contoso.com",
        "state": { "ready": "READY", "config_update": "NOT_UPDATING" },
        "config": { "served_entities": [ { "name": "m-1", "entity_name": "main.a.m",
            "entity_version": "1", "state": { "deployment": "DEPLOYMENT_READY" } } ],
            "config_version": 1 },
        "_emulator": {
            "logs": { "server": "line one\nline <two>" },
            "openapi": { "openapi": "3.1.0", "info": { "title": "given", "version": "1" }, "paths": {} },
            "acl": [ { "service_principal_name": "sp-x", "permission_level": "CAN_QUERY" },
                     { "user_name": "alice.chen@contoso.com", "permission_level": "CAN_MANAGE" } ],
            "display_names": { "sp-x": "<b>SP X</b>" }
        } } ] });
    let seed = Seed::parse(&seed.to_string(), "test").unwrap();
    let state = AppState::with_clock(config(), seed, Clock::frozen_at(T0));
    let app = router(&state);
    let base = "/api/2.0/serving-endpoints/hinted/served-models/m-1";
    let r = get(&app, &format!("{base}/logs"), Some(ADMIN)).await;
    assert_eq!(r.json()["logs"], "line one\nline <two>");
    let r = get(&app, &format!("{base}/build-logs"), Some(ADMIN)).await;
    assert!(r.json()["logs"].as_str().unwrap().len() > 100, "generated");
    let r = get(
        &app,
        "/api/2.0/serving-endpoints/hinted/openapi",
        Some(ADMIN),
    )
    .await;
    assert_eq!(r.json()["info"]["title"], "given");
    let id = endpoint(&app, "hinted").await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = get(
        &app,
        &format!("/api/2.0/permissions/serving-endpoints/{id}"),
        Some(ADMIN),
    )
    .await;
    let acl = r.json()["access_control_list"].clone();
    assert_eq!(acl[0]["service_principal_name"], "sp-x");
    assert_eq!(acl[0]["display_name"], "<b>SP X</b>");
    assert_eq!(
        acl[1]["display_name"], "Alice Chen",
        "the default still applies"
    );
}

#[tokio::test]
async fn html502_fault_with_a_given_body() {
    let app = router(&state());
    let body = "<html><body><script>__pwned()</script></body></html>";
    post(
        &app,
        "/__emulator/faults",
        json!({"path": "/api/2.0/serving-endpoints", "times": 1,
               "fault": {"kind": "html502", "body": body}}),
    )
    .await;
    let r = get(&app, "/api/2.0/serving-endpoints", None).await;
    assert_eq!(r.status, StatusCode::BAD_GATEWAY);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    assert_eq!(r.text(), body);
    let r = get(&app, "/__emulator/faults", None).await;
    assert_eq!(
        r.json()[0]["fault"],
        json!({"kind": "html502", "body": body})
    );
}
