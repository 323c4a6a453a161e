//! Property / fuzz tests of every wire type the console decodes from the network (issue #9):
//! arbitrary JSON, mutated fixtures, truncated bodies, wrong types, unknown enum values, huge
//! numbers and arrays, deep nesting. Each decode gives `Ok` or a `serde_json` error — never a
//! panic or a stack overflow — and what decodes re-encodes to JSON that decodes to the same value.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use api_types::*;
use proptest::prelude::*;
use proptest::sample::Index;
use serde::{de::DeserializeOwned, Serialize};
use serde_json::{json, Value};
use std::fmt::Debug;

fn fixture_text(name: &str) -> &'static str {
    api_fixtures::get(name)
}

fn fixture(name: &str) -> Value {
    serde_json::from_str(api_fixtures::get(name)).unwrap()
}

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Decode `text` as `T`: an error is fine (that is the typed outcome); a value must re-encode
/// and decode to itself. Returns whether it decoded.
fn decode_is_stable<T>(text: &str) -> Result<bool, TestCaseError>
where
    T: DeserializeOwned + Serialize + PartialEq + Debug,
{
    match serde_json::from_str::<T>(text) {
        Err(_) => Ok(false),
        Ok(a) => {
            let again = serde_json::to_string(&a).expect("a decoded value encodes");
            let b: T = serde_json::from_str(&again)
                .map_err(|e| TestCaseError::fail(format!("re-encoded {again} fails: {e}")))?;
            prop_assert_eq!(&b, &a, "{} re-encodes as {}", text, again);
            Ok(true)
        }
    }
}

/// Every network-facing wire type, by name.
fn decode_all(text: &str) -> Result<(), TestCaseError> {
    decode_is_stable::<ListEndpointsResponse>(text)?;
    decode_is_stable::<ServingEndpoint>(text)?;
    decode_is_stable::<ServingEndpointDetailed>(text)?;
    decode_is_stable::<ErrorBody>(text)?;
    decode_is_stable::<ObjectPermissions>(text)?;
    decode_is_stable::<PermissionsRequest>(text)?;
    decode_is_stable::<PermissionLevelsResponse>(text)?;
    decode_is_stable::<LogsResponse>(text)?;
    decode_is_stable::<ScimMe>(text)?;
    decode_is_stable::<Vec<EndpointTag>>(text)?;
    decode_is_stable::<ReadyState>(text)?;
    decode_is_stable::<DeploymentState>(text)?;
    decode_is_stable::<PermissionLevel>(text)?;
    Ok(())
}

/// Field names of the wire types, so generated objects hit real fields often.
const KEYS: &[&str] = &[
    "name",
    "id",
    "state",
    "ready",
    "config_update",
    "update_state",
    "suspend",
    "pt_state",
    "config",
    "pending_config",
    "served_entities",
    "served_models",
    "traffic_config",
    "routes",
    "traffic_percentage",
    "served_entity_name",
    "deployment",
    "deployment_state_message",
    "workload_type",
    "type",
    "external_model",
    "foundation_model",
    "provider",
    "task",
    "openai_config",
    "environment_vars",
    "creation_timestamp",
    "config_version",
    "tags",
    "key",
    "value",
    "ai_gateway",
    "rate_limits",
    "guardrails",
    "input",
    "pii",
    "behavior",
    "permission_level",
    "endpoints",
    "error_code",
    "message",
    "details",
    "@type",
    "request_id",
    "retry_delay",
    "access_control_list",
    "all_permissions",
    "user_name",
    "group_name",
    "service_principal_name",
    "inherited",
    "inherited_from_object",
    "permission_levels",
    "logs",
    "userName",
    "displayName",
    "emails",
    "groups",
    "primary",
    "telemetry_config",
];

/// Strings that are real enum values, near misses, or hostile text.
fn wire_string() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "READY",
            "NOT_READY",
            "IN_PROGRESS",
            "NOT_UPDATING",
            "UPDATE_FAILED",
            "DEPLOYMENT_READY",
            "DEPLOYMENT_FAILED",
            "DEPLOYMENT_STOPPED",
            "CAN_MANAGE",
            "CAN_QUERY",
            "CAN_VIEW",
            "CPU",
            "GPU_SMALL",
            "FOUNDATION_MODEL",
            "STOPPED",
            "ready",
            "",
            " ",
            "\u{0}",
            "\u{202e}evil",
            "type.googleapis.com/google.rpc.RetryInfo",
            "type.googleapis.com/google.rpc.RequestInfo",
            "1.5s",
            "-1s",
            "NaNs",
            "1e400s",
        ])
        .prop_map(str::to_string),
        "[A-Z_]{1,20}",
        any::<String>(),
    ]
}

fn wire_number() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        prop::sample::select(vec![
            0.5,
            -0.0,
            1e308,
            -1e308,
            5e-324,
            0.1,
            1.5e19,
            f64::MAX
        ])
        .prop_map(Value::from),
    ]
}

/// Arbitrary JSON, shaped like the API often enough to reach deep into the types.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        wire_number(),
        wire_string().prop_map(Value::String),
    ];
    leaf.prop_recursive(6, 96, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop_oneof![
                        3 => prop::sample::select(KEYS.to_vec()).prop_map(str::to_string),
                        1 => any::<String>(),
                    ],
                    inner
                ),
                0..6
            )
            .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// Fixtures of each type, and the decoder for that type.
const FIXTURES: &[&str] = &[
    "list_endpoints.json",
    "get_custom_ready.json",
    "get_custom_creating.json",
    "get_custom_ready_updating.json",
    "get_custom_stopped_variant_suspend.json",
    "get_external_model_ai_gateway.json",
    "get_foundation_model.json",
    "get_route_optimized.json",
    "error_429_request_limit_exceeded.json",
    "error_503_temporarily_unavailable.json",
    "permissions_get.json",
    "permission_levels.json",
    "permissions_put_request.json",
    "logs.json",
];

fn decode_as_fixture_type(name: &str, text: &str) -> Result<bool, TestCaseError> {
    match name {
        "list_endpoints.json" => decode_is_stable::<ListEndpointsResponse>(text),
        n if n.starts_with("get_") => decode_is_stable::<ServingEndpointDetailed>(text),
        n if n.starts_with("error_") => decode_is_stable::<ErrorBody>(text),
        "permissions_get.json" => decode_is_stable::<ObjectPermissions>(text),
        "permission_levels.json" => decode_is_stable::<PermissionLevelsResponse>(text),
        "permissions_put_request.json" => decode_is_stable::<PermissionsRequest>(text),
        "logs.json" => decode_is_stable::<LogsResponse>(text),
        other => panic!("no decoder for {other}"),
    }
}

/// Replace the value reached by following `path` (each step picks a child) with `new`.
fn replace_at(v: &mut Value, path: &[Index], new: Value) {
    let mut cur = v;
    for ix in path {
        let key = match &*cur {
            Value::Array(a) if !a.is_empty() => ix.index(a.len()).to_string(),
            Value::Object(o) if !o.is_empty() => o.keys().nth(ix.index(o.len())).cloned().unwrap(),
            _ => break,
        };
        cur = match cur {
            Value::Array(a) => &mut a[key.parse::<usize>().unwrap()],
            other => other.get_mut(&key).unwrap(),
        };
    }
    *cur = new;
}

proptest! {
    #![proptest_config(config(384))]

    /// Arbitrary JSON text, for every decoder.
    #[test]
    fn arbitrary_json_decodes_or_errors(v in json_value()) {
        decode_all(&v.to_string())?;
    }

    /// A real response with one value replaced by arbitrary JSON (wrong types, nulls, unknown
    /// strings, huge numbers): the decoder of that response either errors or keeps a stable value.
    #[test]
    fn mutated_fixtures_decode_or_error(
        which in prop::sample::select(FIXTURES.to_vec()),
        path in prop::collection::vec(any::<Index>(), 0..8),
        new in json_value(),
    ) {
        let mut v = fixture(which);
        replace_at(&mut v, &path, new);
        decode_as_fixture_type(which, &v.to_string())?;
        decode_all(&v.to_string())?;
    }

    /// Arbitrary bytes (mostly JSON punctuation) never panic any decoder.
    #[test]
    fn arbitrary_text_decodes_or_errors(
        text in prop_oneof![any::<String>(), "[\\[\\]{}\",:0-9a-z\\\\ .eE+-]{0,64}"],
    ) {
        decode_all(&text)?;
    }

    /// Unknown enum strings anywhere an enum is read are kept verbatim as `Unknown(s)` and
    /// re-encode unchanged; known ones decode to their variant.
    #[test]
    fn unknown_enum_values_are_kept(s in wire_string()) {
        let mut v = fixture("get_custom_ready.json");
        v["state"]["ready"] = json!(s);
        v["state"]["config_update"] = json!(s);
        v["config"]["served_entities"][1]["state"]["deployment"] = json!(s);
        v["config"]["served_entities"][0]["workload_type"] = json!(s);
        v["config"]["served_entities"][0]["type"] = json!(s);
        v["permission_level"] = json!(s);
        let e: ServingEndpointDetailed = serde_json::from_value(v).unwrap();
        let st = e.state.as_ref().unwrap();
        prop_assert_eq!(st.ready.as_ref().unwrap(), &ReadyState::parse(&s));
        prop_assert_eq!(st.config_update(), Some(&ConfigUpdateState::parse(&s)));
        let cfg = e.config.as_ref().unwrap();
        prop_assert_eq!(cfg.served_entities[1].deployment(), Some(&DeploymentState::parse(&s)));
        prop_assert_eq!(
            cfg.served_entities[0].workload_type.as_ref(),
            Some(&WorkloadType::parse(&s))
        );
        prop_assert_eq!(
            cfg.served_entities[0].entity_type.as_ref(),
            Some(&EntityType::parse(&s))
        );
        let level = e.permission_level.clone().unwrap();
        prop_assert_eq!(&level, &PermissionLevel::parse(&s));
        let known = PermissionLevel::KNOWN.iter().any(|k| k.as_str() == s);
        prop_assert_eq!(level.is_unknown(), !known);
        if !known {
            prop_assert_eq!(&level, &PermissionLevel::Unknown(s.clone()));
            prop_assert_eq!(level.rank(), 0);
        }
        let back = serde_json::to_value(&e).unwrap();
        prop_assert_eq!(&back["state"]["ready"], &json!(s));
        prop_assert_eq!(&back["config"]["served_entities"][1]["state"]["deployment"], &json!(s));
        prop_assert_eq!(&back["permission_level"], &json!(s));
        for k in ReadyState::KNOWN {
            prop_assert_eq!(ReadyState::parse(k.as_str()), k.clone());
        }
    }

    /// `retry_delay` of a RetryInfo detail: whole seconds come back in ms; anything else is
    /// `None` or a finite delay, never a panic.
    #[test]
    fn retry_delay_is_parsed_or_ignored(secs in any::<u32>(), junk in wire_string()) {
        let info = "type.googleapis.com/google.rpc.RetryInfo";
        let b = ErrorBody {
            details: vec![json!({"@type": info, "retry_delay": format!("{secs}s")})],
            ..ErrorBody::default()
        };
        prop_assert_eq!(b.retry_delay_ms(), Some(u64::from(secs) * 1000));
        let b = ErrorBody {
            details: vec![
                json!({"@type": info, "retry_delay": junk}),
                json!({"@type": "type.googleapis.com/google.rpc.RequestInfo", "request_id": junk}),
            ],
            ..ErrorBody::default()
        };
        let _ = b.retry_delay_ms();
        prop_assert_eq!(b.request_id(), Some(junk.as_str()).filter(|s| !s.is_empty()));
    }

    /// An ACL entry names a principal only when exactly one of its three names is given.
    #[test]
    fn principal_needs_exactly_one_name(
        u in proptest::option::of(".{0,8}"),
        g in proptest::option::of(".{0,8}"),
        sp in proptest::option::of(".{0,8}"),
    ) {
        let v = json!({"user_name": u, "group_name": g, "service_principal_name": sp});
        let a: AccessControlResponse = serde_json::from_value(v).unwrap();
        let given = [u.is_some(), g.is_some(), sp.is_some()].iter().filter(|x| **x).count();
        prop_assert_eq!(a.principal().is_some(), given == 1);
        let me: ScimMe = serde_json::from_value(
            json!({"userName": u, "displayName": g, "id": sp}),
        ).unwrap();
        let _ = me.label();
    }
}

/// Every strict prefix of a response (a body cut off by a dropped connection) is a decode
/// error, never a partially filled value.
#[test]
fn truncated_bodies_are_errors() {
    let mut checked = 0;
    for name in FIXTURES.iter().chain(&["error_401_unauthenticated.json"]) {
        let text = fixture_text(name);
        let text = text.trim_end();
        assert!(
            decode_as_fixture_type(name, text).unwrap(),
            "{name} decodes whole"
        );
        for cut in (0..text.len()).filter(|&i| text.is_char_boundary(i)) {
            let prefix = &text[..cut];
            assert!(
                !decode_as_fixture_type(name, prefix).unwrap(),
                "{name} cut at byte {cut} decoded: {prefix}"
            );
            checked += 1;
        }
    }
    assert!(checked > 20_000, "{checked}");
}

/// Integer fields get huge, negative-zero, fractional and out-of-range numbers: a value is
/// accepted only when it is exactly that integer; anything else is a decode error. `Value`
/// fields take any representable number, and a number out of f64 range is an error.
#[test]
fn huge_numbers_are_typed_errors_not_wraps() {
    const NUMS: &[&str] = &[
        "1e308",
        "-1e308",
        "1e400",
        "-0",
        "-0.0",
        "0",
        "1.5",
        "18446744073709551616",
        "18446744073709551615",
        "9223372036854775808",
        "9223372036854775807",
        "-9223372036854775808",
        "-9223372036854775809",
        "123456789012345678901234567890",
        "1E2",
    ];
    let int_paths: &[&[&str]] = &[
        &["creation_timestamp"],
        &["last_updated_timestamp"],
        &["config", "config_version"],
        &[
            "config",
            "traffic_config",
            "routes",
            "0",
            "traffic_percentage",
        ],
        &["config", "served_entities", "0", "creation_timestamp"],
    ];
    let value_paths: &[&[&str]] = &[&["state", "pt_state"], &["telemetry_config"]];
    let base = fixture("get_custom_ready.json");
    let place = |path: &[&str]| {
        let mut v = base.clone();
        let mut cur = &mut v;
        for seg in path {
            cur = match seg.parse::<usize>() {
                Ok(i) => &mut cur[i],
                Err(_) => &mut cur[*seg],
            };
        }
        *cur = json!("__NUM__");
        v.to_string()
    };
    for path in int_paths {
        let template = place(path);
        for num in NUMS {
            let text = template.replace("\"__NUM__\"", num);
            let want = num.parse::<i64>().ok();
            match serde_json::from_str::<ServingEndpointDetailed>(&text) {
                Ok(e) => {
                    let back = serde_json::to_value(&e).unwrap();
                    let got = back.pointer(&format!("/{}", path.join("/"))).unwrap();
                    assert_eq!(got.as_i64(), want, "{path:?} = {num}");
                }
                // serde_json reads `-0` as the float -0.0, which an integer field refuses.
                Err(_) => assert!(
                    want.is_none() || *num == "-0",
                    "{path:?} = {num} should decode"
                ),
            }
        }
    }
    for path in value_paths {
        let template = place(path);
        for num in NUMS {
            let text = template.replace("\"__NUM__\"", num);
            let r = serde_json::from_str::<ServingEndpointDetailed>(&text);
            assert_eq!(r.is_err(), *num == "1e400", "{path:?} = {num}: {r:?}");
        }
    }
}

/// 10,000-element arrays decode (and re-encode) in full; a 10,000-element array of the
/// wrong item type is one decode error.
#[test]
fn huge_arrays_decode_or_error_whole() {
    let list = fixture("list_endpoints.json");
    let item = list["endpoints"][0].clone();
    let big = json!({ "endpoints": vec![item; 10_000] }).to_string();
    let l: ListEndpointsResponse = serde_json::from_str(&big).unwrap();
    assert_eq!(l.endpoints.len(), 10_000);
    assert!(decode_is_stable::<ListEndpointsResponse>(&big).unwrap());

    let wrong = json!({ "endpoints": vec![1; 10_000] }).to_string();
    assert!(serde_json::from_str::<ListEndpointsResponse>(&wrong).is_err());

    let mut acl = fixture("permissions_get.json");
    let entry = acl["access_control_list"][0].clone();
    acl["access_control_list"] = json!(vec![entry; 10_000]);
    let p: ObjectPermissions = serde_json::from_value(acl).unwrap();
    assert_eq!(p.access_control_list.len(), 10_000);

    let mut err = fixture("error_503_temporarily_unavailable.json");
    err["details"] = json!(vec![json!({"@type": "x"}); 10_000]);
    let e: ErrorBody = serde_json::from_value(err).unwrap();
    assert_eq!(e.details.len(), 10_000);
    assert_eq!(e.request_id(), None);
    assert_eq!(e.retry_delay_ms(), None);

    let logs = json!({ "logs": "line\n".repeat(200_000) }).to_string();
    let l: LogsResponse = serde_json::from_str(&logs).unwrap();
    assert_eq!(l.logs.len(), 1_000_000);
}

fn nested(depth: usize, open: &str, close: &str) -> String {
    format!("{}{}{}", open.repeat(depth), "1", close.repeat(depth))
}

/// 5,000-deep nesting in any free-form field (and at the top) is a decode error from serde_json's
/// recursion limit, not a stack overflow; nesting under that limit decodes and round-trips.
#[test]
fn deep_nesting_is_an_error_not_an_overflow() {
    let deep_arr = nested(5_000, "[", "]");
    let deep_obj = nested(5_000, "{\"a\":", "}");
    for deep in [&deep_arr, &deep_obj] {
        decode_all(deep).unwrap();
        for t in [
            format!("{{\"name\":\"x\",\"telemetry_config\":{deep}}}"),
            format!("{{\"name\":\"x\",\"state\":{{\"pt_state\":{deep}}}}}"),
            format!("{{\"name\":\"x\",\"data_plane_info\":{deep}}}"),
            format!(
                "{{\"config\":{{\"served_entities\":[{{\"external_model\":{{\"openai_config\":{deep}}}}}]}}}}"
            ),
        ] {
            assert!(serde_json::from_str::<ServingEndpointDetailed>(&t).is_err());
        }
        let t = format!("{{\"endpoints\":[{{\"telemetry_config\":{deep}}}]}}");
        assert!(serde_json::from_str::<ListEndpointsResponse>(&t).is_err());
        let t = format!("{{\"message\":\"m\",\"details\":[{deep}]}}");
        assert!(serde_json::from_str::<ErrorBody>(&t).is_err());
        let t = format!("{{\"error_code\":{deep}}}");
        assert!(serde_json::from_str::<ErrorBody>(&t).is_err());
    }
    let shallow = nested(100, "[", "]");
    let t = format!("{{\"name\":\"x\",\"telemetry_config\":{shallow}}}");
    assert!(decode_is_stable::<ServingEndpointDetailed>(&t).unwrap());
}
