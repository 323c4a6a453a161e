//! Every JSON fixture (crate `api-fixtures`) decodes, and what we model re-encodes to equal JSON.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use api_types::*;
use serde::{de::DeserializeOwned, Serialize};
use serde_json::Value;

fn read(name: &str) -> Value {
    serde_json::from_str(api_fixtures::get(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Decode, re-encode, and compare with the original JSON exactly.
fn round_trip<T: DeserializeOwned + Serialize>(name: &str) -> T {
    let original = read(name);
    let decoded: T =
        serde_json::from_value(original.clone()).unwrap_or_else(|e| panic!("{name}: {e}"));
    let again = serde_json::to_value(&decoded).unwrap();
    assert_eq!(again, original, "{name} re-encodes differently");
    decoded
}

#[test]
fn every_fixture_is_covered() {
    let names: Vec<&str> = api_fixtures::names()
        .filter(|n| n.ends_with(".json"))
        .collect();
    for &n in &names {
        match n {
            "list_endpoints.json" => {
                let l: ListEndpointsResponse = round_trip(n);
                assert_eq!(l.endpoints.len(), 9);
            }
            n if n.starts_with("get_") => {
                let e: ServingEndpointDetailed = round_trip(n);
                assert!(!e.name.is_empty());
            }
            n if n.starts_with("error_") => {
                let e: ErrorBody = round_trip(n);
                assert!(e.error_code.is_some() && e.message.is_some());
            }
            "permissions_get.json" | "permissions_put_response.json" => {
                let p: ObjectPermissions = round_trip(n);
                assert!(!p.access_control_list.is_empty());
            }
            "permissions_patch_request.json" | "permissions_put_request.json" => {
                let p: PermissionsRequest = round_trip(n);
                assert!(p
                    .access_control_list
                    .iter()
                    .all(|a| a.principal().is_some()));
            }
            "permission_levels.json" => {
                let p: PermissionLevelsResponse = round_trip(n);
                assert_eq!(p.permission_levels.len(), 3);
            }
            "patch_tags_response.json" => {
                let v = read(n);
                let tags: Vec<EndpointTag> = serde_json::from_value(v["tags"].clone()).unwrap();
                assert!(!tags.is_empty());
            }
            "logs.json" | "build_logs.json" => {
                let l: LogsResponse = round_trip(n);
                assert!(l.logs.contains('\n'));
            }
            "openapi.json" => {
                let v = read(n);
                assert!(v["openapi"].is_string());
            }
            other => panic!("fixture {other} has no decoding test"),
        }
    }
    assert!(names.len() >= 30, "fixtures missing: {names:?}");
}

#[test]
fn detailed_states_decode_to_known_values() {
    let e: ServingEndpointDetailed =
        serde_json::from_value(read("get_custom_stopped.json")).unwrap();
    let cfg = e.config.unwrap();
    assert!(cfg
        .served_entities
        .iter()
        .all(|s| s.deployment() == Some(&DeploymentState::Stopped)));
    let c: ServingEndpointDetailed =
        serde_json::from_value(read("get_custom_creating.json")).unwrap();
    assert!(c.config.is_none(), "first deployment has no config");
    assert!(c.pending_config.is_some());
    assert_eq!(
        c.state.unwrap().config_update(),
        Some(&ConfigUpdateState::InProgress)
    );
}

#[test]
fn summary_of_detailed_matches_list_item() {
    let list: ListEndpointsResponse = serde_json::from_value(read("list_endpoints.json")).unwrap();
    let d: ServingEndpointDetailed = serde_json::from_value(read("get_custom_ready.json")).unwrap();
    let item = list.endpoints.iter().find(|e| e.name == d.name).unwrap();
    assert_eq!(&d.summary(), item);
}

#[test]
fn tolerant_of_unknowns_and_absences() {
    let v = serde_json::json!({
        "name": "x", "brand_new_field": {"a": 1},
        "state": {"ready": "WARMING", "config_update": "SOMETHING_NEW"},
        "config": {"served_entities": [{"name": "e", "state": {"deployment": "DEPLOYMENT_HIBERNATING"}}]}
    });
    let e: ServingEndpointDetailed = serde_json::from_value(v).unwrap();
    let st = e.state.unwrap();
    assert_eq!(st.ready, Some(ReadyState::Unknown("WARMING".into())));
    assert_eq!(
        st.config_update,
        Some(ConfigUpdateState::Unknown("SOMETHING_NEW".into()))
    );
    let empty: ListEndpointsResponse = serde_json::from_str("{}").unwrap();
    assert!(empty.endpoints.is_empty());
    assert!(serde_json::from_str::<ServingEndpointDetailed>("{\"name\": 5}").is_err());
    assert!(serde_json::from_str::<ListEndpointsResponse>("<html>502</html>").is_err());
}

#[test]
fn endpoint_name_rule() {
    assert!(is_valid_endpoint_name("fraud-detector_prod-2"));
    assert!(!is_valid_endpoint_name(""));
    assert!(!is_valid_endpoint_name("fraud detector!"));
    assert!(!is_valid_endpoint_name(&"a".repeat(64)));
    assert!(is_valid_endpoint_name(&"a".repeat(63)));
}
