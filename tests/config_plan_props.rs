//! Property tests of the change plan (issue #15): a plan of nothing is empty, whatever shape
//! the GET answer has; the bodies of a plan, applied to what is served, give the edit; an
//! untouched form plans nothing; export → import is no change; import never panics.
//! Host only (proptest is a host dev-dependency).
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use api_types::{
    AiGatewayConfig, AiGatewayGuardrails, AiGatewayRateLimit, EnabledFlag, GuardrailParameters,
    InferenceTableConfig, PiiBehavior, ServingEndpointDetailed,
};
use proptest::prelude::*;
use serde_json::{json, Value};
use serving_console::model::config_plan::normalize::{self, Config, Entity};
use serving_console::model::config_plan::{
    conflict, edit::EditForm, export, plan, plan::simulate, validate, Desired, Snapshot,
};
use std::collections::BTreeMap;

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Text that is plain, hostile or odd.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z][a-z0-9_-]{0,8}",
        Just("<img src=x onerror=alert(1)>".to_string()),
        Just("{{secrets/scope/key}}".to_string()),
        Just("ünïcødé ✓".to_string()),
        Just(" spaced ".to_string()),
    ]
}

fn entity(name: String) -> impl Strategy<Value = Entity> {
    (
        prop::sample::select(vec!["main.risk.fraud_xgb", "models.m", "x"]),
        "[1-9][0-9]{0,2}",
        prop_oneof![
            prop::sample::select(vec!["Small", "Medium", "Large"])
                .prop_map(|s| (Some(s), None::<(i64, i64)>)),
            (0i64..8, 8i64..64).prop_map(|(a, b)| (None::<&str>, Some((a, b)))),
        ],
        prop::option::of(prop::sample::select(vec!["CPU", "GPU_SMALL", "GPU_LARGE"])),
        any::<bool>(),
        prop::collection::btree_map("[A-Z][A-Z_]{0,6}", text(), 0..3),
    )
        .prop_map(move |(m, v, size, wt, stz, env)| {
            normalize::entity(Entity {
                name: name.clone(),
                entity_name: m.into(),
                entity_version: v,
                workload_size: size.0.map(Into::into),
                workload_type: wt.map(Into::into),
                scale_to_zero: Some(stz),
                min_concurrency: size.1.map(|p| p.0),
                max_concurrency: size.1.map(|p| p.1),
                env,
                ..Entity::default()
            })
        })
}

fn config_strategy() -> impl Strategy<Value = Config> {
    prop::sample::subsequence(vec!["a-1", "a-2", "b_3", "c", "d-9"], 1..5)
        .prop_flat_map(|names| {
            let n = names.len();
            (
                names
                    .into_iter()
                    .map(|s| entity(s.to_string()))
                    .collect::<Vec<_>>(),
                prop::collection::vec(0i64..=100, n),
                prop::option::of(Just(json!({"catalog_name": "c", "enabled": true}))),
                any::<bool>(),
            )
        })
        .prop_map(|(entities, mut pcts, ac, whole)| {
            // A lone entity usually has all the traffic (the route GET may leave implied).
            if whole && pcts.len() == 1 {
                pcts[0] = 100;
            }
            let routes: BTreeMap<String, i64> = entities
                .iter()
                .zip(pcts)
                .map(|(e, p)| (e.name.clone(), p))
                .collect();
            normalize::finish(entities, routes, ac)
        })
}

fn gateway_strategy() -> impl Strategy<Value = AiGatewayConfig> {
    (
        any::<bool>(),
        prop::option::of((any::<bool>(), text())),
        prop::collection::vec(
            (
                prop::option::of(1i64..1000),
                prop::sample::select(vec!["endpoint", "user", "user_group"]),
                prop::option::of(text()),
            ),
            0..3,
        ),
        prop::option::of((
            any::<bool>(),
            prop::sample::select(vec!["BLOCK", "MASK", "NONE"]),
        )),
        any::<bool>(),
    )
        .prop_map(|(usage, table, limits, guard, fallback)| {
            let flag = |b: bool| Some(EnabledFlag { enabled: Some(b) });
            normalize::gateway(AiGatewayConfig {
                usage_tracking_config: flag(usage),
                inference_table_config: table.map(|(on, schema)| InferenceTableConfig {
                    catalog_name: Some("main".into()),
                    schema_name: Some(schema),
                    table_name_prefix: None,
                    enabled: Some(on),
                }),
                rate_limits: limits
                    .into_iter()
                    .map(|(calls, key, principal)| AiGatewayRateLimit {
                        calls: calls.or(Some(1)),
                        tokens: None,
                        key: Some(key.into()),
                        principal,
                        renewal_period: Some("minute".into()),
                    })
                    .collect(),
                guardrails: guard.map(|(safety, pii)| AiGatewayGuardrails {
                    input: Some(GuardrailParameters {
                        safety: Some(safety),
                        pii: Some(PiiBehavior {
                            behavior: Some(pii.into()),
                        }),
                        invalid_keywords: vec!["x".into()],
                        valid_topics: vec![],
                    }),
                    output: None,
                }),
                fallback_config: flag(fallback),
            })
        })
}

fn emails() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec("[a-c]{1,3}@(contoso|example)\\.com", 0..3)
}

fn desired() -> impl Strategy<Value = Desired> {
    (
        config_strategy(),
        prop::collection::btree_map("[a-z][a-z-]{0,6}", prop::option::of(text()), 0..4),
        gateway_strategy(),
        emails(),
        emails(),
    )
        .prop_map(|(config, tags, ai_gateway, s, f)| Desired {
            config,
            tags: tags
                .into_iter()
                .map(|(k, v)| (k, normalize::tag_value(v.as_deref())))
                .collect(),
            ai_gateway,
            notifications: normalize::notifications(&s, &f),
            description: Some("desc".into()),
            route_optimized: false,
        })
}

fn snapshot(d: Desired) -> Snapshot {
    Snapshot {
        name: "ep-1".into(),
        config_version: Some(7),
        desired: d,
        ..Snapshot::default()
    }
}

/// The GET answer a server could give for `d`, with the traps: no routes for a lone entity,
/// a mirrored `served_models`, per-entity state, gateway parts sent as "off", `false` left out.
fn get_answer(d: &Desired, mirror: bool, drop_lone_route: bool) -> ServingEndpointDetailed {
    let input = serving_console::model::config_plan::plan::config_input(&d.config);
    let mut c = serde_json::to_value(&input).unwrap();
    for e in c["served_entities"].as_array_mut().unwrap() {
        e["state"] = json!({"deployment": "DEPLOYMENT_READY", "deployment_state_message": ""});
        e["creator"] = json!("someone@contoso.com");
        // Zero values omitted, as `omitempty` servers do.
        if e["scale_to_zero_enabled"] == json!(false) {
            e.as_object_mut().unwrap().remove("scale_to_zero_enabled");
        }
    }
    if mirror {
        let models: Vec<Value> = c["served_entities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                json!({"name": e["name"], "model_name": e["entity_name"],
                    "model_version": e["entity_version"]})
            })
            .collect();
        c["served_models"] = Value::Array(models);
    }
    if drop_lone_route
        && d.config.entities.len() == 1
        && d.config.routes.values().all(|p| *p == 100)
    {
        c.as_object_mut().unwrap().remove("traffic_config");
    } else if let Some(routes) = c["traffic_config"]["routes"].as_array_mut() {
        for r in routes {
            r["served_model_name"] = r["served_entity_name"].clone();
        }
    }
    c["config_version"] = json!(7);
    let mut gw = serde_json::to_value(&d.ai_gateway).unwrap();
    if gw.get("fallback_config").is_none() {
        gw["fallback_config"] = json!({"enabled": false});
    }
    serde_json::from_value(json!({
        "name": "ep-1",
        "state": {"ready": "READY", "config_update": "NOT_UPDATING"},
        "config": c,
        "tags": d.tags.iter().map(|(k, v)| match v {
            Some(v) => json!({"key": k, "value": v}),
            None => json!({"key": k}),
        }).collect::<Vec<_>>(),
        "ai_gateway": gw,
        "email_notifications": {
            "on_update_success": d.notifications.on_update_success,
            "on_update_failure": d.notifications.on_update_failure,
        },
        "description": d.description,
        "route_optimized": d.route_optimized,
    }))
    .unwrap()
}

proptest! {
    #![proptest_config(config(192))]

    #[test]
    fn a_plan_of_nothing_is_empty(d in desired()) {
        let s = snapshot(d);
        let p = plan(&s, &s.desired);
        prop_assert!(p.is_empty(), "{:?}", p.steps);
        prop_assert!(p.not_applied.is_empty());
    }

    #[test]
    fn what_get_answers_plans_nothing(d in desired(), mirror in any::<bool>(), lone in any::<bool>()) {
        let ep = get_answer(&d, mirror, lone);
        let s = Snapshot::from_endpoint(&ep);
        prop_assert_eq!(&s.desired, &d);
        // An untouched form is no change either.
        let untouched = EditForm::from_desired(&s.desired).to_desired();
        let p = plan(&s, &untouched);
        prop_assert!(p.is_empty(), "{:?}", p.steps);
        prop_assert_eq!(conflict::check(&s, &Snapshot::from_endpoint(&ep)), conflict::Freshness::Unchanged);
    }

    #[test]
    fn applying_a_plan_to_current_yields_the_edit(current in desired(), edit in desired()) {
        let s = snapshot(current);
        let mut edit = edit;
        edit.description = s.desired.description.clone();
        let p = plan(&s, &edit);
        let after = simulate(&s.desired, &p).unwrap();
        prop_assert_eq!(&after, &edit);
        // Steps are in the CLI's order, one per call, and none is empty.
        let calls: Vec<_> = p.steps.iter().map(|s| s.call).collect();
        let mut sorted = calls.clone();
        sorted.sort();
        sorted.dedup();
        prop_assert_eq!(&calls, &sorted);
        prop_assert!(p.steps.iter().all(|s| !s.changes.is_empty()));
        // And once applied, nothing is left to do.
        let s2 = Snapshot { desired: after, ..s.clone() };
        prop_assert!(plan(&s2, &edit).is_empty());
    }

    #[test]
    fn export_then_import_round_trips(d in desired()) {
        let text = export::export(&d);
        let i = export::import(&text, &Desired::default()).unwrap();
        prop_assert_eq!(&i.desired.config, &d.config);
        prop_assert!(i.warnings.is_empty(), "{:?}", i.warnings);
    }

    #[test]
    fn import_never_panics(text in "\\PC{0,200}", cut in 0usize..400, d in desired()) {
        let _ = export::import(&text, &d.clone());
        let full = export::export(&d);
        let mut end = cut.min(full.len());
        while !full.is_char_boundary(end) {
            end -= 1;
        }
        match export::import(&full[..end], &d) {
            Ok(i) => prop_assert_eq!(i.desired.config, d.config),
            Err(e) => prop_assert!(!e.message.is_empty()),
        }
    }

    #[test]
    fn valid_edits_pass_validation_and_plan_what_the_server_accepts(d in desired(), edit in desired()) {
        let mut edit = edit;
        // Make the routes add up to 100, as a valid edit must.
        let total: i64 = edit.config.routes.values().sum();
        if let Some((_, p)) = edit.config.routes.iter_mut().next() {
            *p = (*p + 100 - total).clamp(0, 100);
        }
        let sums = edit.config.routes.values().sum::<i64>() == 100;
        let principals = edit.ai_gateway.rate_limits.iter().all(|r| {
            r.key.as_deref() != Some("user_group") || r.principal.is_some()
        });
        let f = EditForm::from_desired(&edit);
        let m = validate::validate(&f, &d);
        prop_assert_eq!(m.is_empty(), sums && principals, "{:?}", m);
        if m.is_empty() {
            let s = snapshot(d);
            let p = plan(&s, &f.to_desired());
            if let Some(st) = p.step(serving_console::model::config_plan::Call::Config) {
                let b = &st.request.body;
                for e in b["served_entities"].as_array().unwrap() {
                    prop_assert!(e["scale_to_zero_enabled"].is_boolean(), "{}", e);
                }
                let sum: i64 = b["traffic_config"]["routes"].as_array().unwrap().iter()
                    .map(|r| r["traffic_percentage"].as_i64().unwrap()).sum();
                prop_assert_eq!(sum, 100);
            }
        }
    }
}

#[test]
fn deep_json_is_an_error_not_a_crash() {
    let deep = "[".repeat(100_000);
    assert!(export::import(&deep, &Desired::default()).is_err());
}

/// Arbitrary JSON, often with the keys of an endpoint.
fn wild_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        prop_oneof![
            text(),
            prop::sample::select(vec!["", "CPU", "READY", "UPDATE_FAILED", "IN_PROGRESS"])
                .prop_map(str::to_string),
            any::<String>(),
        ]
        .prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop::sample::select(vec![
                        "name",
                        "served_entities",
                        "served_models",
                        "traffic_config",
                        "routes",
                        "traffic_percentage",
                        "served_entity_name",
                        "scale_to_zero_enabled",
                        "environment_vars",
                        "external_model",
                        "openai_api_key_plaintext",
                        "rate_limits",
                        "guardrails",
                        "config_update",
                    ])
                    .prop_map(str::to_string),
                    inner,
                ),
                0..4,
            )
            .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

fn replace_at(v: &mut Value, path: &[prop::sample::Index], new: Value) {
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

const GETS: &[&str] = &[
    "get_custom_ready.json",
    "get_custom_creating.json",
    "get_custom_ready_updating.json",
    "get_custom_update_failed.json",
    "get_custom_not_ready_update_failed.json",
    "get_custom_stopped.json",
    "get_external_model_ai_gateway.json",
    "get_foundation_model.json",
    "get_route_optimized.json",
];

proptest! {
    #![proptest_config(config(256))]

    /// Whatever a GET answer holds: nothing panics, nothing is planned for an untouched form,
    /// no plaintext secret reaches a request, and the rollout reading is total.
    #[test]
    fn any_get_answer_is_read_without_panic_or_phantom_change(
        which in prop::sample::select(GETS.to_vec()),
        path in prop::collection::vec(any::<prop::sample::Index>(), 0..7),
        new in wild_json(),
    ) {
        let mut v: Value = serde_json::from_str(api_fixtures::get(which)).unwrap();
        replace_at(&mut v, &path, new);
        let Ok(ep) = serde_json::from_value::<ServingEndpointDetailed>(v) else {
            return Ok(());
        };
        let s = Snapshot::from_endpoint(&ep);
        prop_assert!(plan(&s, &s.desired).is_empty());
        let form = EditForm::from_desired(&s.desired);
        let untouched = plan(&s, &form.to_desired());
        prop_assert!(untouched.is_empty(), "{:?}", untouched.steps);
        let _ = validate::validate(&form, &s.desired);
        let _ = serving_console::model::config_plan::rollout::follow(&ep);
        let _ = export::export(&s.desired);
        let mut edit = s.desired.clone();
        edit.tags.insert("k".into(), None);
        if let Some(e) = edit.config.entities.first_mut() {
            e.scale_to_zero = Some(!e.scale_to_zero.unwrap_or(false));
        }
        for st in &plan(&s, &edit).steps {
            prop_assert!(!st.request.body_text().contains("plaintext"), "{}", st.request.body_text());
        }
    }
}
