//! The emulated API: routes, shapes, errors, principals and visibility, time transitions.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::{Method, StatusCode};
use common::*;
use serde_json::{json, Value};
use serving_console_server::emulator::clock::Clock;
use serving_console_server::{AppState, EmulatorConfig, Seed};

const ALL_SEEDED: &[&str] = &[
    "anthropic-claude-support",
    "churn-model",
    "databricks-bge-large-en",
    "databricks-meta-llama-3-3-70b-instruct",
    "doc-summarizer-v2",
    "forecast-batch-scorer",
    "fraud-detector-prod",
    "fraud-detector-staging",
    "image-embedder",
    "legacy-iris-classifier",
    "ltv-regressor",
    "openai-gpt-4o-chat",
    "pricing-model",
    "realtime-risk-features",
    "recsys-ranker",
    "sentiment-bert-gpu",
    "support-agent",
];

/// Expected level per endpoint for (creator alice, query quinn, view vera, service principal).
const LEVELS: &[(&str, [&str; 4])] = &[
    (
        "anthropic-claude-support",
        ["CAN_VIEW", "CAN_VIEW", "CAN_VIEW", "CAN_VIEW"],
    ),
    ("churn-model", ["CAN_QUERY", "CAN_QUERY", "CAN_VIEW", "-"]),
    (
        "databricks-bge-large-en",
        ["CAN_QUERY", "CAN_QUERY", "CAN_QUERY", "CAN_QUERY"],
    ),
    (
        "databricks-meta-llama-3-3-70b-instruct",
        ["CAN_QUERY", "CAN_QUERY", "CAN_QUERY", "CAN_QUERY"],
    ),
    ("doc-summarizer-v2", ["CAN_MANAGE", "-", "-", "-"]),
    ("forecast-batch-scorer", ["-", "-", "CAN_VIEW", "-"]),
    (
        "fraud-detector-prod",
        ["CAN_MANAGE", "CAN_QUERY", "CAN_VIEW", "CAN_QUERY"],
    ),
    (
        "fraud-detector-staging",
        ["CAN_MANAGE", "CAN_QUERY", "-", "-"],
    ),
    ("image-embedder", ["-", "-", "CAN_VIEW", "-"]),
    (
        "legacy-iris-classifier",
        ["CAN_VIEW", "CAN_VIEW", "CAN_VIEW", "CAN_VIEW"],
    ),
    ("ltv-regressor", ["CAN_QUERY", "-", "-", "-"]),
    ("openai-gpt-4o-chat", ["CAN_QUERY", "CAN_QUERY", "-", "-"]),
    ("pricing-model", ["-", "CAN_QUERY", "-", "-"]),
    (
        "realtime-risk-features",
        ["CAN_MANAGE", "-", "-", "CAN_QUERY"],
    ),
    (
        "recsys-ranker",
        ["CAN_VIEW", "CAN_VIEW", "CAN_VIEW", "CAN_VIEW"],
    ),
    ("sentiment-bert-gpu", ["-", "-", "CAN_VIEW", "-"]),
    (
        "support-agent",
        ["CAN_QUERY", "CAN_QUERY", "-", "CAN_MANAGE"],
    ),
];

fn state_of(e: &Value) -> (String, String) {
    (
        e["state"]["ready"].as_str().unwrap().to_string(),
        e["state"]["config_update"].as_str().unwrap().to_string(),
    )
}

fn st(ready: &str, update: &str) -> (String, String) {
    (ready.to_string(), update.to_string())
}

#[tokio::test]
async fn list_as_admin_has_every_seeded_endpoint_in_list_shape() {
    let s = state();
    let r = get(&router(&s), "/api/2.0/serving-endpoints", Some(ADMIN)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.header("content-type").as_deref(),
        Some("application/json")
    );
    let v = r.json();
    assert_eq!(names(&v), ALL_SEEDED);
    for e in v["endpoints"].as_array().unwrap() {
        for absent in [
            "permission_level",
            "route_optimized",
            "pending_config",
            "endpoint_url",
            "email_notifications",
        ] {
            assert!(
                e.get(absent).is_none(),
                "{absent} in list item {}",
                e["name"]
            );
        }
        assert!(e["id"].as_str().unwrap().len() == 32);
        for ent in e["config"]["served_entities"]
            .as_array()
            .into_iter()
            .flatten()
        {
            assert!(ent.get("state").is_none() && ent.get("workload_size").is_none());
        }
        assert!(e["creation_timestamp"].as_i64().unwrap() <= T0);
    }
    // Timestamps are relative to now: the newest seeded one is "now".
    let newest = v["endpoints"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["last_updated_timestamp"].as_i64())
        .max()
        .unwrap();
    assert!(T0 - newest < 24 * 3600 * 1000, "{}", T0 - newest);
}

#[tokio::test]
async fn visibility_and_permission_level_per_principal() {
    let s = state();
    let app = router(&s);
    for (i, token) in [CREATOR, QUERY, VIEW, SP].iter().enumerate() {
        let list = get(&app, "/api/2.0/serving-endpoints", Some(token))
            .await
            .json();
        let visible = names(&list);
        let expected: Vec<&str> = LEVELS
            .iter()
            .filter(|(_, l)| l[i] != "-")
            .map(|(n, _)| *n)
            .collect();
        assert_eq!(visible, expected, "list for {token}");
        for (name, levels) in LEVELS {
            let r = get(
                &app,
                &format!("/api/2.0/serving-endpoints/{name}"),
                Some(token),
            )
            .await;
            if levels[i] == "-" {
                assert_error_with_request_info(
                    &r,
                    StatusCode::FORBIDDEN,
                    "PERMISSION_DENIED",
                    &format!("User does not have permission 'View' on Endpoint {name}"),
                );
            } else {
                assert_eq!(r.status, StatusCode::OK, "{token} {name}");
                assert_eq!(r.json()["permission_level"], levels[i], "{token} on {name}");
            }
        }
    }
    for name in ALL_SEEDED {
        assert_eq!(endpoint(&app, name).await["permission_level"], "CAN_MANAGE");
    }
}

#[tokio::test]
async fn detailed_get_always_has_description_and_route_optimized() {
    let s = state();
    let app = router(&s);
    let fm = endpoint(&app, "databricks-meta-llama-3-3-70b-instruct").await;
    assert_eq!(fm["description"], "");
    assert_eq!(fm["route_optimized"], false);
    assert!(fm.get("creator").is_none());
    assert_eq!(
        fm["config"]["served_entities"][0]["type"],
        "FOUNDATION_MODEL"
    );
    let ro = endpoint(&app, "realtime-risk-features").await;
    assert_eq!(ro["route_optimized"], true);
    assert!(ro["endpoint_url"]
        .as_str()
        .unwrap()
        .ends_with("/invocations"));
    let fraud = endpoint(&app, "fraud-detector-prod").await;
    let routes: Vec<i64> = fraud["config"]["traffic_config"]["routes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["traffic_percentage"].as_i64().unwrap())
        .collect();
    assert_eq!(routes, vec![90, 10]);
    let ext = endpoint(&app, "openai-gpt-4o-chat").await;
    assert_eq!(
        ext["ai_gateway"]["rate_limits"].as_array().unwrap().len(),
        3
    );
    assert_eq!(
        ext["ai_gateway"]["guardrails"]["input"]["pii"]["behavior"],
        "BLOCK"
    );
    let legacy = endpoint(&app, "legacy-iris-classifier").await;
    assert_eq!(
        legacy["config"]["served_models"][0]["model_name"],
        "iris_classifier"
    );
    let stopped = endpoint(&app, "forecast-batch-scorer").await;
    assert_eq!(state_of(&stopped), st("NOT_READY", "NOT_UPDATING"));
    assert_eq!(
        stopped["config"]["served_entities"][0]["state"]["deployment"],
        "DEPLOYMENT_STOPPED"
    );
    // Every display state is present at start.
    let states: Vec<(String, String)> = {
        let mut v = Vec::new();
        for n in ALL_SEEDED {
            v.push(state_of(&endpoint(&app, n).await));
        }
        v
    };
    for want in [
        st("READY", "NOT_UPDATING"),
        st("READY", "IN_PROGRESS"),
        st("READY", "UPDATE_FAILED"),
        st("NOT_READY", "IN_PROGRESS"),
        st("NOT_READY", "UPDATE_FAILED"),
        st("NOT_READY", "NOT_UPDATING"),
    ] {
        assert!(states.contains(&want), "{want:?} missing");
    }
}

#[tokio::test]
async fn bad_name_unknown_name_and_error_shapes() {
    let s = state();
    let app = router(&s);
    let r = get(
        &app,
        "/api/2.0/serving-endpoints/fraud%20detector!",
        Some(ADMIN),
    )
    .await;
    assert_error_with_request_info(
        &r,
        StatusCode::BAD_REQUEST,
        "INVALID_PARAMETER_VALUE",
        "Endpoint name 'fraud detector!' is invalid. Names may contain only alphanumeric characters, \
         dashes and underscores, and must be at most 63 characters long.",
    );
    let long = "a".repeat(64);
    let r = get(
        &app,
        &format!("/api/2.0/serving-endpoints/{long}"),
        Some(ADMIN),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let ok63 = "a".repeat(63);
    let r = get(
        &app,
        &format!("/api/2.0/serving-endpoints/{ok63}"),
        Some(ADMIN),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    let r = get(
        &app,
        "/api/2.0/serving-endpoints/no-such-endpoint",
        Some(VIEW),
    )
    .await;
    assert_error_with_request_info(
        &r,
        StatusCode::NOT_FOUND,
        "RESOURCE_DOES_NOT_EXIST",
        "Endpoint with name 'no-such-endpoint' does not exist.",
    );
    let again = get(
        &app,
        "/api/2.0/serving-endpoints/no-such-endpoint",
        Some(VIEW),
    )
    .await;
    assert_ne!(
        r.json()["details"][0]["request_id"],
        again.json()["details"][0]["request_id"]
    );
}

#[tokio::test]
async fn unknown_api_path_and_wrong_method() {
    let s = state();
    let app = router(&s);
    let r = get(&app, "/api/2.0/nope", Some(ADMIN)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(
        r.json(),
        json!({"error_code": "ENDPOINT_NOT_FOUND", "message": "No API found for 'GET /api/2.0/nope'"})
    );
    let r = get(&app, "/api/2.0/serving-endpoints/x/y/z", None).await;
    assert_eq!(r.json()["error_code"], "ENDPOINT_NOT_FOUND");
    let r = send(
        &app,
        request(
            Method::POST,
            "/serving-endpoints/x/invocations",
            None,
            Some(json!({})),
        ),
    )
    .await;
    // Invocations exist (tests/schema.rs); an unknown endpoint is a 404 of that endpoint.
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.json()["error_code"], "RESOURCE_DOES_NOT_EXIST");

    let r = send(
        &app,
        request(
            Method::DELETE,
            "/api/2.0/preview/scim/v2/Me",
            Some(ADMIN),
            None,
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(
        r.json(),
        json!({"error_code": "METHOD_NOT_ALLOWED", "message": "No API found for 'DELETE /api/2.0/preview/scim/v2/Me'"})
    );
    assert!(r.header("allow").unwrap().contains("GET"));
    let r = send(
        &app,
        request(
            Method::PUT,
            "/api/2.0/serving-endpoints",
            None,
            Some(json!({})),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn authentication() {
    let unauth = json!({"error_code": "UNAUTHENTICATED", "message": "Invalid access token."});
    let lenient = router(&state());
    // No token: acts as the admin.
    let me = get(&lenient, "/api/2.0/preview/scim/v2/Me", None).await;
    assert_eq!(me.json()["userName"], "admin@example.com");
    assert_eq!(
        names(
            &get(&lenient, "/api/2.0/serving-endpoints", None)
                .await
                .json()
        )
        .len(),
        ALL_SEEDED.len()
    );
    // Unknown token or other scheme: always 401.
    for uri in [
        "/api/2.0/serving-endpoints",
        "/api/2.0/serving-endpoints/churn-model",
        "/api/2.0/preview/scim/v2/Me",
    ] {
        let r = get(&lenient, uri, Some("dapi-wrong")).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert_eq!(r.json(), unauth);
    }
    let r = send(
        &lenient,
        axum::http::Request::builder()
            .uri("/api/2.0/serving-endpoints")
            .header("authorization", "Basic YWRtaW46YWRtaW4=")
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);

    let strict = router(&state_with(EmulatorConfig {
        strict_auth: true,
        ..config()
    }));
    let r = get(&strict, "/api/2.0/serving-endpoints", None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.json(), unauth);
    let r = get(&strict, "/api/2.0/preview/scim/v2/Me", None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = get(&strict, "/api/2.0/serving-endpoints", Some(VIEW)).await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test]
async fn scim_me_per_principal() {
    let app = router(&state());
    for (token, user, display) in [
        (ADMIN, "admin@example.com", "Emulator Admin"),
        (CREATOR, "alice.chen@contoso.com", "Alice Chen"),
        (QUERY, "quinn.query@contoso.com", "Quinn Query"),
        (VIEW, "vera.view@contoso.com", "Vera View"),
        (
            SP,
            "6d1f0a3e-9c2b-4e8d-a7f5-3b2c1d0e9f8a",
            "sp-fraud-gateway",
        ),
    ] {
        let v = get(&app, "/api/2.0/preview/scim/v2/Me", Some(token))
            .await
            .json();
        assert_eq!(v["userName"], user);
        assert_eq!(v["displayName"], display);
        assert_eq!(v["active"], true);
        assert_eq!(
            v["schemas"],
            json!(["urn:ietf:params:scim:schemas:core:2.0:User"])
        );
        assert!(!v["id"].as_str().unwrap().is_empty());
        let groups: Vec<&str> = v["groups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["display"].as_str().unwrap())
            .collect();
        assert!(groups.contains(&"users"));
        assert_eq!(groups.contains(&"admins"), token == ADMIN);
        if token == SP {
            assert!(v.get("emails").is_none());
        } else {
            assert_eq!(v["emails"][0]["value"], user);
        }
    }
}

// ----- time ---------------------------------------------------------------------------------

#[tokio::test]
async fn updates_finish_after_the_delay_on_a_frozen_clock() {
    let s = state();
    let app = router(&s);
    let churn = endpoint(&app, "churn-model").await;
    assert_eq!(state_of(&churn), st("READY", "IN_PROGRESS"));
    assert_eq!(churn["pending_config"]["config_version"], 5);

    // Frozen: nothing moves by itself.
    assert_eq!(
        state_of(&endpoint(&app, "churn-model").await),
        st("READY", "IN_PROGRESS")
    );
    let t = post(&app, "/__emulator/time", json!({"advance_secs": 19})).await;
    assert_eq!(t.json(), json!({"now_ms": T0 + 19_000, "frozen": true}));
    assert_eq!(
        state_of(&endpoint(&app, "churn-model").await),
        st("READY", "IN_PROGRESS")
    );
    assert_eq!(
        state_of(&endpoint(&app, "recsys-ranker").await),
        st("NOT_READY", "IN_PROGRESS")
    );

    post(&app, "/__emulator/time", json!({"advance_secs": 1})).await;

    // Ready (Updating) → Ready: pending swapped in.
    let churn = endpoint(&app, "churn-model").await;
    assert_eq!(state_of(&churn), st("READY", "NOT_UPDATING"));
    assert!(churn.get("pending_config").is_none());
    assert_eq!(churn["config"]["config_version"], 5);
    assert_eq!(
        churn["config"]["served_entities"][0]["name"],
        "churn_lgbm-5"
    );
    assert_eq!(
        churn["config"]["served_entities"][0]["state"]["deployment"],
        "DEPLOYMENT_READY"
    );
    assert!(churn["config"].get("start_time").is_none());

    // Not ready (Updating), first deployment → Ready.
    let recsys = endpoint(&app, "recsys-ranker").await;
    assert_eq!(state_of(&recsys), st("READY", "NOT_UPDATING"));
    assert_eq!(recsys["config"]["config_version"], 1);

    // First deployment scripted to fail → Not ready (Update failed), no config.
    let doc = endpoint(&app, "doc-summarizer-v2").await;
    assert_eq!(state_of(&doc), st("NOT_READY", "UPDATE_FAILED"));
    assert!(doc.get("config").is_none());
    let e = &doc["pending_config"]["served_entities"][0];
    assert_eq!(e["state"]["deployment"], "DEPLOYMENT_FAILED");
    assert!(e["state"]["deployment_state_message"]
        .as_str()
        .unwrap()
        .contains("failed to start"));

    // Update scripted to fail → Ready (Update failed), old config still served.
    let stg = endpoint(&app, "fraud-detector-staging").await;
    assert_eq!(state_of(&stg), st("READY", "UPDATE_FAILED"));
    assert_eq!(stg["config"]["config_version"], 5);
    assert_eq!(
        stg["config"]["served_entities"][0]["state"]["deployment"],
        "DEPLOYMENT_READY"
    );
    assert_eq!(stg["pending_config"]["config_version"], 6);
    assert_eq!(
        stg["pending_config"]["served_entities"][0]["state"],
        json!({"deployment": "DEPLOYMENT_FAILED",
               "deployment_state_message": "Container image creation failed. Please see build logs for more information."})
    );

    // The list follows too.
    let list = get(&app, "/api/2.0/serving-endpoints", None).await.json();
    let item = list["endpoints"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "recsys-ranker")
        .unwrap()
        .clone();
    assert_eq!(state_of(&item), st("READY", "NOT_UPDATING"));
    assert_eq!(
        item["config"]["served_entities"][0]["name"],
        "recsys_ranker-1"
    );

    // Endpoints that were already settled are unchanged.
    assert_eq!(
        state_of(&endpoint(&app, "pricing-model").await),
        st("READY", "UPDATE_FAILED")
    );
    assert_eq!(
        state_of(&endpoint(&app, "sentiment-bert-gpu").await),
        st("NOT_READY", "UPDATE_FAILED")
    );
    assert_eq!(
        state_of(&endpoint(&app, "forecast-batch-scorer").await),
        st("NOT_READY", "NOT_UPDATING")
    );
}

#[tokio::test]
async fn real_clock_advances_by_itself_and_unfreezing_is_continuous() {
    // Not frozen, zero delay: updates are due as soon as the server starts.
    let s = AppState::with_clock(
        EmulatorConfig {
            control: true,
            update_delay_secs: 0,
            ..Default::default()
        },
        Seed::default_seed().unwrap(),
        Clock::real(),
    );
    let app = router(&s);
    assert_eq!(
        state_of(&endpoint(&app, "churn-model").await),
        st("READY", "NOT_UPDATING")
    );

    // Frozen at T0, then unfrozen: time continues from T0, not from the real clock.
    let s = state();
    let app = router(&s);
    let t = post(&app, "/__emulator/time", json!({"frozen": false}))
        .await
        .json();
    assert_eq!(t["frozen"], false);
    let now = get(&app, "/__emulator/time", None).await.json()["now_ms"]
        .as_i64()
        .unwrap();
    assert!((T0..T0 + 5_000).contains(&now), "{now}");
    let t = post(
        &app,
        "/__emulator/time",
        json!({"frozen": true, "advance_secs": 1.5}),
    )
    .await
    .json();
    assert_eq!(t["frozen"], true);
    assert!(t["now_ms"].as_i64().unwrap() >= T0 + 1_500);
}

#[tokio::test]
async fn transition_hints_from_a_seed_file() {
    let seed = Seed::parse(
        r#"{"endpoints":[
          {"name":"a","creator":"x@y.z","creation_timestamp":1000,
           "state":{"ready":"NOT_READY","config_update":"IN_PROGRESS"},
           "pending_config":{"config_version":1,"start_time":1000,
             "served_entities":[{"name":"m-1","entity_name":"m","entity_version":"1",
                                 "state":{"deployment":"DEPLOYMENT_CREATING"}},
                                {"name":"m-2","entity_name":"m","entity_version":"2",
                                 "state":{"deployment":"DEPLOYMENT_CREATING"}}]},
           "_emulator":{"fails":"boom","transition_after_secs":5}}]}"#,
        "t.json",
    )
    .unwrap();
    let s = AppState::with_clock(config(), seed, Clock::frozen_at(T0));
    let app = router(&s);
    let a = endpoint(&app, "a").await;
    assert_eq!(
        a["creation_timestamp"], T0,
        "timestamps are relative to load time"
    );
    assert_eq!(a["description"], "");
    assert_eq!(a["id"].as_str().unwrap().len(), 32);
    post(&app, "/__emulator/time", json!({"advance_secs": 5})).await;
    let a = endpoint(&app, "a").await;
    assert_eq!(state_of(&a), st("NOT_READY", "UPDATE_FAILED"));
    let ents = &a["pending_config"]["served_entities"];
    assert_eq!(
        ents[0]["state"],
        json!({"deployment": "DEPLOYMENT_FAILED", "deployment_state_message": "boom"})
    );
    assert_eq!(ents[1]["state"]["deployment"], "DEPLOYMENT_ABORTED");
    // Without an explicit ACL the creator manages it; others do not see it.
    let creator_only = get(&app, "/api/2.0/serving-endpoints", Some(VIEW))
        .await
        .json();
    assert!(names(&creator_only).is_empty());
}
