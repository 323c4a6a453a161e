//! Property / fuzz tests of the wire types of issue #15 (changing an endpoint, the Unity Catalog
//! model-versions list), in the manner of `fuzz_decoders.rs`: arbitrary JSON, mutated sample
//! bodies, truncated text. Each decode gives `Ok` or a `serde_json` error — never a panic — and
//! what decodes re-encodes to JSON that decodes to the same value.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use api_types::*;
use proptest::prelude::*;
use proptest::sample::Index;
use serde::{de::DeserializeOwned, Serialize};
use serde_json::{json, Value};
use std::fmt::Debug;

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

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

fn decode_all(text: &str) -> Result<(), TestCaseError> {
    decode_is_stable::<EndpointCoreConfigInput>(text)?;
    decode_is_stable::<PatchTagsRequest>(text)?;
    decode_is_stable::<EndpointTags>(text)?;
    decode_is_stable::<PatchNotificationsRequest>(text)?;
    decode_is_stable::<NotificationsResponse>(text)?;
    decode_is_stable::<AiGatewayConfig>(text)?;
    decode_is_stable::<ListModelVersionsResponse>(text)?;
    Ok(())
}

const KEYS: &[&str] = &[
    "served_entities",
    "served_models",
    "traffic_config",
    "routes",
    "served_entity_name",
    "traffic_percentage",
    "auto_capture_config",
    "name",
    "entity_name",
    "entity_version",
    "workload_size",
    "workload_type",
    "scale_to_zero_enabled",
    "min_provisioned_concurrency",
    "environment_vars",
    "external_model",
    "openai_config",
    "openai_api_key_plaintext",
    "add_tags",
    "delete_tags",
    "tags",
    "key",
    "value",
    "email_notifications",
    "on_update_success",
    "on_update_failure",
    "usage_tracking_config",
    "inference_table_config",
    "rate_limits",
    "guardrails",
    "fallback_config",
    "enabled",
    "model_versions",
    "next_page_token",
    "version",
    "status",
    "created_at",
];

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        prop::sample::select(vec![0.5, -0.0, 1e308, 1.5e19]).prop_map(Value::from),
        prop_oneof![
            prop::sample::select(vec![
                "READY",
                "CPU",
                "GPU_SMALL",
                "",
                "\u{0}",
                "{{secrets/a/b}}"
            ])
            .prop_map(str::to_string),
            any::<String>(),
        ]
        .prop_map(Value::String),
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

fn samples() -> Vec<Value> {
    vec![
        json!({"served_entities": [{"name": "a-1", "entity_name": "main.s.m",
            "entity_version": "1", "workload_size": "Small", "workload_type": "CPU",
            "scale_to_zero_enabled": true, "environment_vars": {"K": "{{secrets/s/k}}"}},
            {"name": "g", "external_model": {"name": "gpt", "provider": "openai",
            "task": "llm/v1/chat", "openai_config": {"openai_api_key": "{{secrets/s/k}}"}}}],
            "traffic_config": {"routes": [{"served_entity_name": "a-1", "traffic_percentage": 60},
            {"served_entity_name": "g", "traffic_percentage": 40}]},
            "auto_capture_config": {"catalog_name": "c", "enabled": true}}),
        json!({"add_tags": [{"key": "env", "value": "prod"}, {"key": "pii"}],
            "delete_tags": ["old"]}),
        json!({"tags": [{"key": "env", "value": "prod"}]}),
        json!({"name": "ep", "email_notifications": {"on_update_success": ["a@b.co"],
            "on_update_failure": []}}),
        json!({"usage_tracking_config": {"enabled": true}, "rate_limits": [{"calls": 5,
            "key": "user", "renewal_period": "minute"}], "guardrails": {"input":
            {"pii": {"behavior": "MASK"}, "invalid_keywords": ["x"]}},
            "fallback_config": {"enabled": false}}),
        json!({"model_versions": [{"model_name": "m", "catalog_name": "main",
            "schema_name": "s", "version": 3, "status": "READY", "created_at": 1}],
            "next_page_token": "t"}),
    ]
}

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

#[test]
fn samples_decode() {
    let c: EndpointCoreConfigInput = serde_json::from_value(samples()[0].clone()).unwrap();
    assert_eq!(c.served_entities.len(), 2);
    let m: ListModelVersionsResponse = serde_json::from_value(samples()[5].clone()).unwrap();
    assert_eq!(m.model_versions[0].version.as_deref(), Some("3"));
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn arbitrary_json_decodes_or_errors(v in json_value()) {
        decode_all(&v.to_string())?;
    }

    #[test]
    fn mutated_samples_decode_or_error(
        which in 0usize..6,
        path in prop::collection::vec(any::<Index>(), 0..8),
        new in json_value(),
    ) {
        let mut v = samples()[which].clone();
        replace_at(&mut v, &path, new);
        decode_all(&v.to_string())?;
    }

    #[test]
    fn truncated_samples_decode_or_error(which in 0usize..6, cut in any::<Index>()) {
        let text = samples()[which].to_string();
        let end = cut.index(text.len() + 1);
        decode_all(&text[..end])?;
    }
}
