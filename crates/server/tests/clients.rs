//! What the official clients need from the emulator beyond the console's own calls (each found by
//! the conformance test in `conformance/`, which drives the real Python SDK and MLflow):
//! the SDK's start-up discovery, MLflow's list with a trailing slash, the workspace id header of
//! SCIM Me, and the `served-model-name` header of a query.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::{Method, StatusCode};
use common::*;
use serde_json::json;
use serving_console_server::EmulatorConfig;

#[tokio::test]
async fn well_known_databricks_config_is_the_workspace_metadata_without_a_token() {
    // Even with --strict-auth: the SDK asks before it authenticates anything.
    let r = router(&state_with(EmulatorConfig {
        strict_auth: true,
        ..config()
    }));
    let req = axum::http::Request::builder()
        .uri("/.well-known/databricks-config")
        .header("host", "127.0.0.1:4321")
        .body(axum::body::Body::empty())
        .unwrap();
    let res = send(&r, req).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(
        res.header("content-type").as_deref(),
        Some("application/json")
    );
    assert_eq!(
        res.json(),
        json!({
            "oidc_endpoint": "http://127.0.0.1:4321/oidc",
            "account_id": "00000000-0000-4000-8000-000000000001",
            "workspace_id": "1234567890123456",
            "cloud": "AWS",
            "host_type": "workspace",
        })
    );
}

#[tokio::test]
async fn scim_me_carries_the_workspace_id_header() {
    let r = router(&state());
    let res = get(&r, "/api/2.0/preview/scim/v2/Me", Some(ADMIN)).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(
        res.header("x-databricks-org-id").as_deref(),
        Some("1234567890123456")
    );
}

#[tokio::test]
async fn list_with_a_trailing_slash_is_the_list() {
    let r = router(&state());
    let plain = get(&r, "/api/2.0/serving-endpoints", Some(VIEW)).await;
    let slash = get(&r, "/api/2.0/serving-endpoints/", Some(VIEW)).await;
    assert_eq!(slash.status, StatusCode::OK, "{}", slash.text());
    assert_eq!(names(&slash.json()), names(&plain.json()));
    assert!(!names(&slash.json()).is_empty());
}

#[tokio::test]
async fn a_query_names_the_served_model_that_answered() {
    let r = router(&state());
    let body = json!({"dataframe_records": [
        {"tenure_months": 12, "monthly_charges": 70.5, "contract": "monthly", "has_tech_support": false}
    ]});
    let res = send(
        &r,
        request(
            Method::POST,
            "/serving-endpoints/churn-model/invocations",
            Some(ADMIN),
            Some(body.clone()),
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(
        res.header("served-model-name").as_deref(),
        Some("churn_lgbm-4")
    );
    assert_eq!(res.json()["predictions"].as_array().map(Vec::len), Some(1));

    // The entity named in the path answers, and says so.
    let res = send(
        &r,
        request(
            Method::POST,
            "/serving-endpoints/churn-model/served-models/churn_lgbm-4/invocations",
            Some(ADMIN),
            Some(body),
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(
        res.header("served-model-name").as_deref(),
        Some("churn_lgbm-4")
    );

    // A refused query names nothing.
    let res = send(
        &r,
        request(
            Method::POST,
            "/serving-endpoints/churn-model/invocations",
            Some(ADMIN),
            Some(json!({"dataframe_records": [{"contract": "monthly"}]})),
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST, "{}", res.text());
    assert_eq!(res.header("served-model-name"), None);
}
