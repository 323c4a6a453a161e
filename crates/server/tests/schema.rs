//! The OpenAPI document (`GET /api/2.0/serving-endpoints/{name}/openapi`) and invocations
//! (`POST /serving-endpoints/{name}[/served-models/{entity}]/invocations`) of the emulator.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::{Method, StatusCode};
use common::*;
use serde_json::{json, Value};

async fn openapi(app: &axum::Router, name: &str, token: Option<&str>) -> Resp {
    get(
        app,
        &format!("/api/2.0/serving-endpoints/{name}/openapi"),
        token,
    )
    .await
}

async fn invoke(app: &axum::Router, path: &str, token: Option<&str>, body: Value) -> Resp {
    send(app, request(Method::POST, path, token, Some(body))).await
}

fn one_of(doc: &Value, path: &str) -> Vec<Value> {
    doc["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]["oneOf"]
        .as_array()
        .unwrap()
        .clone()
}

#[tokio::test]
async fn ready_endpoint_has_a_document_in_the_documented_form() {
    let app = router(&state());
    let r = openapi(&app, "fraud-detector-prod", Some(ADMIN)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(
        r.header("content-type").as_deref(),
        Some("application/json")
    );
    let doc = r.json();
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(doc["info"]["title"], "fraud-detector-prod");
    assert_eq!(doc["info"]["version"], "12", "the config version");
    let servers = doc["servers"].as_array().unwrap();
    assert_eq!(servers.len(), 1);
    assert!(servers[0]["url"]
        .as_str()
        .unwrap()
        .ends_with("/serving-endpoints/fraud-detector-prod"));
    // One path per served model, each with its own signature.
    let paths: Vec<&String> = doc["paths"].as_object().unwrap().keys().collect();
    assert_eq!(
        paths,
        [
            "/served-models/fraud_xgb-7/invocations",
            "/served-models/fraud_xgb-8/invocations"
        ]
    );
    let champion = one_of(&doc, "/served-models/fraud_xgb-7/invocations");
    let challenger = one_of(&doc, "/served-models/fraud_xgb-8/invocations");
    let cols = |v: &Vec<Value>| {
        v[0]["properties"]["dataframe_split"]["properties"]["columns"]["items"]["enum"]
            .as_array()
            .unwrap()
            .len()
    };
    assert_eq!(cols(&challenger), cols(&champion) + 1);
    let split = &champion[0]["properties"]["dataframe_split"]["properties"];
    let prefix = split["data"]["items"]["prefixItems"].as_array().unwrap();
    let types: Vec<String> = prefix
        .iter()
        .map(|s| {
            format!(
                "{}/{}",
                s["type"].as_str().unwrap_or("-"),
                s["format"].as_str().unwrap_or("-")
            )
        })
        .collect();
    for t in [
        "string/-",
        "number/double",
        "boolean/-",
        "integer/int32",
        "integer/int64",
        "number/float",
        "string/date-time",
        "string/byte",
        "array/-",
        "object/-",
        "-/-",
    ] {
        assert!(types.contains(&t.to_string()), "{t} in {types:?}");
    }
    assert!(champion[0]["examples"][0]["data"].as_array().unwrap().len() == 2);
    let params = &champion[0]["properties"]["params"]["properties"];
    assert_eq!(params["threshold"]["default"], "0.5");
    let records = &champion[1]["properties"]["dataframe_records"]["items"];
    assert_eq!(
        records["properties"]["billing_address"]["properties"]["lat"]["format"],
        "double"
    );
    assert_eq!(
        records["properties"]["merchant_stats"]["additionalProperties"]["type"],
        "number"
    );
    let resp = &doc["paths"]["/served-models/fraud_xgb-7/invocations"]["post"]["responses"]["200"];
    assert_eq!(resp["description"], "Successful operation");
    let item = &resp["content"]["application/json"]["schema"]["properties"]["predictions"]["items"];
    assert_eq!(item["properties"]["is_fraud"]["type"], "boolean");
}

#[tokio::test]
async fn tensor_signature_document() {
    let app = router(&state());
    let doc = openapi(&app, "legacy-iris-classifier", None).await.json();
    let v = one_of(&doc, "/served-models/iris_classifier-3/invocations");
    assert!(v[0]["properties"]["instances"]["items"]["maxItems"] == 4);
    assert!(v[1]["properties"].get("inputs").is_some());
}

#[tokio::test]
async fn unavailable_documents_say_why() {
    let app = router(&state());
    // Stopped: NOT_READY.
    let r = openapi(&app, "forecast-batch-scorer", None).await;
    assert_error_with_request_info(
        &r,
        StatusCode::BAD_REQUEST,
        "INVALID_STATE",
        "Endpoint 'forecast-batch-scorer' is not ready. The OpenAPI schema is only available for endpoints in the READY state.",
    );
    // READY without a signature.
    let r = openapi(&app, "realtime-risk-features", None).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.json()["error_code"], "INVALID_PARAMETER_VALUE");
    assert!(r.json()["message"]
        .as_str()
        .unwrap()
        .contains("no model signature"));
    // External model: no custom model, no signature.
    assert_eq!(
        openapi(&app, "openai-gpt-4o-chat", None).await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        openapi(&app, "no-such-endpoint", None).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        openapi(&app, "bad%20name", None).await.status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn openapi_needs_view_permission() {
    let app = router(&state());
    // vera.view can view churn-model but has no grant on pricing-model.
    assert_eq!(
        openapi(&app, "churn-model", Some(VIEW)).await.status,
        StatusCode::OK
    );
    assert_eq!(
        openapi(&app, "pricing-model", Some(VIEW)).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn the_documented_example_is_answered_with_predictions() {
    let app = router(&state());
    let doc = openapi(&app, "churn-model", None).await.json();
    let path = doc["paths"]
        .as_object()
        .unwrap()
        .keys()
        .next()
        .unwrap()
        .clone();
    let variants = one_of(&doc, &path);
    let example = variants[0]["examples"][0].clone();
    let r = invoke(
        &app,
        &format!("/serving-endpoints/churn-model{path}"),
        Some(QUERY),
        json!({ "dataframe_split": example }),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let p = r.json()["predictions"].as_array().unwrap().clone();
    assert_eq!(p.len(), 2);
    assert!(p.iter().all(Value::is_number));
    // The same body through the endpoint (traffic split) answers the same predictions.
    let again = invoke(
        &app,
        "/serving-endpoints/churn-model/invocations",
        Some(QUERY),
        json!({ "dataframe_split": variants[0]["examples"][0].clone() }),
    )
    .await;
    assert_eq!(again.json(), r.json());
}

#[tokio::test]
async fn multi_output_models_answer_objects() {
    let app = router(&state());
    let body = json!({"dataframe_records": [{
        "transaction_id": "t1", "amount": 12.5, "currency": "EUR", "card_present": false,
        "merchant_category_code": 5411, "account_age_days": 400, "risk_score": 0.3,
        "event_time": "2024-01-01T00:00:00Z", "recent_amounts": [1.0, 2.0],
        "billing_address": {"country": "DE", "lat": 52.5, "lon": 13.4}
    }], "params": {"threshold": 0.7}});
    let r = invoke(
        &app,
        "/serving-endpoints/fraud-detector-prod/served-models/fraud_xgb-7/invocations",
        None,
        body,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let p = &r.json()["predictions"][0];
    assert!(p["is_fraud"].is_boolean() && p["fraud_probability"].is_number());
}

#[tokio::test]
async fn invalid_bodies_are_400_with_the_reason() {
    let app = router(&state());
    let url = "/serving-endpoints/churn-model/invocations";
    let cases = [
        (json!({"rows": []}), "exactly one of the input fields"),
        (
            json!({"dataframe_split": {"columns": ["tenure_months"], "data": [[1]]}, "instances": []}),
            "exactly one",
        ),
        (
            json!({"dataframe_records": [{"tenure_months": 3}]}),
            "missing inputs",
        ),
        (
            json!({"dataframe_records": [{"tenure_months": "three", "monthly_charges": 1.0, "contract": "m", "has_tech_support": true}]}),
            "'tenure_months'",
        ),
        (
            json!({"dataframe_split": {"columns": ["tenure_months"], "data": [[1, 2]]}}),
            "data[0]",
        ),
        (json!([1, 2]), "JSON dictionary"),
    ];
    for (body, needle) in cases {
        let r = invoke(&app, url, None, body.clone()).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{body}: {}", r.text());
        let v = r.json();
        assert_eq!(v["error_code"], "BAD_REQUEST");
        assert!(
            v["message"].as_str().unwrap().contains(needle),
            "{body}: {v}"
        );
    }
    // Not JSON at all.
    let raw = axum::http::Request::builder()
        .method(Method::POST)
        .uri(url)
        .header("content-type", "application/json")
        .body(axum::body::Body::from("{\"dataframe_split\": "))
        .unwrap();
    let r = send(&app, raw).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.text().contains("Failed to parse input from JSON"));
}

#[tokio::test]
async fn stopped_unknown_and_unauthorised_queries() {
    let app = router(&state());
    let body = json!({"dataframe_records": [{"store_id": "s1", "week_start": "2024-01-01T00:00:00Z", "horizon_weeks": 4}]});
    let r = invoke(
        &app,
        "/serving-endpoints/forecast-batch-scorer/invocations",
        None,
        body.clone(),
    )
    .await;
    assert_eq!(
        r.status,
        StatusCode::BAD_REQUEST,
        "stopped ⇒ 400: {}",
        r.text()
    );
    assert!(r.json()["message"].as_str().unwrap().contains("stopped"));
    let r = invoke(
        &app,
        "/serving-endpoints/no-such/invocations",
        None,
        body.clone(),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.json()["error_code"], "RESOURCE_DOES_NOT_EXIST");
    let r = invoke(
        &app,
        "/serving-endpoints/churn-model/served-models/nope-1/invocations",
        None,
        body.clone(),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // CAN_VIEW is not enough to query.
    let r = invoke(
        &app,
        "/serving-endpoints/churn-model/invocations",
        Some(VIEW),
        body,
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        r.json()["message"],
        "User does not have permission 'Query' on Endpoint churn-model"
    );
}

#[tokio::test]
async fn stopping_then_starting_changes_availability() {
    let st = state();
    let app = router(&st);
    {
        let mut store = st.store_mut();
        store.get_mut("churn-model").unwrap().stop(T0);
    }
    assert_eq!(
        openapi(&app, "churn-model", None).await.status,
        StatusCode::BAD_REQUEST
    );
    let body = json!({"dataframe_records": [{"tenure_months": 1, "monthly_charges": 1.0, "contract": "m", "has_tech_support": true}]});
    let r = invoke(
        &app,
        "/serving-endpoints/churn-model/invocations",
        None,
        body,
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn generated_endpoints_have_signatures() {
    let seed = serving_console_server::Seed::empty().with_generated(30);
    let st = serving_console_server::AppState::with_clock(
        config(),
        seed,
        serving_console_server::emulator::clock::Clock::frozen_at(T0),
    );
    let app = router(&st);
    let list = get(&app, "/api/2.0/serving-endpoints", None).await.json();
    let mut documents = 0;
    for e in list["endpoints"].as_array().unwrap() {
        let name = e["name"].as_str().unwrap();
        let r = openapi(&app, name, None).await;
        if r.status == StatusCode::OK {
            documents += 1;
            assert_eq!(r.json()["info"]["title"], name);
        }
    }
    assert!(documents >= 10, "{documents}");
}

#[tokio::test]
async fn benchmark_schema_endpoint() {
    let seed = serving_console_server::Seed::empty().with_schema_mb(1.0);
    let st = serving_console_server::AppState::with_clock(
        config(),
        seed,
        serving_console_server::emulator::clock::Clock::frozen_at(T0),
    );
    let app = router(&st);
    let r = openapi(&app, "schema-bench", Some(QUERY)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(r.body.len() > 800_000, "{}", r.body.len());
    let doc = r.json();
    assert_eq!(doc["paths"].as_object().unwrap().len(), 4);
    // It survives a reset, and it can be queried.
    st.reset();
    assert_eq!(
        openapi(&app, "schema-bench", None).await.status,
        StatusCode::OK
    );
    let body = json!({"dataframe_split": {"columns": ["feature_00000"], "data": [[1], [2], [3]]}});
    let r = invoke(
        &app,
        "/serving-endpoints/schema-bench/invocations",
        Some(QUERY),
        body,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["predictions"].as_array().unwrap().len(), 3);
}
