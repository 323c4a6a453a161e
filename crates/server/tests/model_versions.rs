//! The emulator's Unity Catalog model versions (`GET /api/2.1/unity-catalog/models/{full_name}/versions`):
//! versions of the seeded models (including those that fail to deploy), paging, refusals.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::Value;

fn versions(v: &Value) -> Vec<String> {
    v["model_versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["version"].as_i64().unwrap().to_string())
        .collect()
}

const URI: &str = "/api/2.1/unity-catalog/models/main.risk.fraud_xgb/versions";

#[tokio::test]
async fn the_seeded_model_lists_every_version_newest_first() {
    let s = state();
    let app = router(&s);
    let r = get(&app, URI, Some(ADMIN)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let v = r.json();
    let want: Vec<String> = (1..=10).rev().map(|n| n.to_string()).collect();
    assert_eq!(versions(&v), want, "up to the failing versions 9 and 10");
    assert!(v.get("next_page_token").is_none());
    let first = &v["model_versions"][0];
    assert_eq!(first["catalog_name"], "main");
    assert_eq!(first["schema_name"], "risk");
    assert_eq!(first["model_name"], "fraud_xgb");
    assert_eq!(first["status"], "READY");
    // The creator of an entity that serves a version is its creator.
    let v8 = v["model_versions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["version"] == 8)
        .unwrap();
    assert_eq!(v8["created_by"], "alice.chen@contoso.com");
}

#[tokio::test]
async fn pages_follow_the_token_until_it_is_absent() {
    let s = state();
    let app = router(&s);
    let mut token: Option<String> = None;
    let mut seen = Vec::new();
    let mut pages = 0;
    loop {
        let uri = match &token {
            Some(t) => format!("{URI}?max_results=4&page_token={t}"),
            None => format!("{URI}?max_results=4"),
        };
        let v = get(&app, &uri, Some(ADMIN)).await.json();
        seen.extend(versions(&v));
        pages += 1;
        match v["next_page_token"].as_str() {
            Some(t) => token = Some(t.to_string()),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen.len(), 10);
    assert_eq!(seen.first().map(String::as_str), Some("10"));
    assert_eq!(seen.last().map(String::as_str), Some("1"));
}

#[tokio::test]
async fn refusals() {
    let s = state();
    let app = router(&s);
    let r = get(
        &app,
        "/api/2.1/unity-catalog/models/main.risk.nothing/versions",
        Some(ADMIN),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.json()["error_code"], "RESOURCE_DOES_NOT_EXIST");
    let r = get(
        &app,
        "/api/2.1/unity-catalog/models/iris_classifier/versions",
        Some(ADMIN),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.json()["error_code"], "INVALID_PARAMETER_VALUE");
    // A caller who cannot manage an endpoint serving the model cannot read its versions.
    let r = get(&app, URI, Some(SP)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    assert_eq!(r.json()["error_code"], "PERMISSION_DENIED");
    let r = get(&app, &format!("{URI}?max_results=x"), Some(ADMIN)).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}
