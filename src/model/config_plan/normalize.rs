//! One comparable form for what an endpoint serves ([`Desired`]), built from a GET answer and
//! from an edit alike, so that a plan never shows a change nobody made:
//! - GET fills in a 100 % route for a lone entity that the user never wrote: a config with one
//!   entity and no routes gets that route on both sides;
//! - GET can mirror `served_entities` as `served_models`: entities are read from
//!   `served_entities`, and from `served_models` only when there are no entities;
//! - `*_plaintext` secret fields are write-only: they are dropped, never compared, never sent;
//! - absent and empty (`environment_vars`, tag values, AI gateway parts) are the same; the
//!   documented defaults (`workload_type` `CPU`, rate-limit `key` `endpoint`, `renewal_period`
//!   `minute`) are filled in; order is not meaning (entities, e-mails are sorted).

use api_types::{
    AiGatewayConfig, AiGatewayGuardrails, AiGatewayRateLimit, ConfigUpdateState, EnabledFlag,
    EndpointCoreConfigInput, EndpointCoreConfigOutput, ExternalModel, GuardrailParameters,
    InferenceTableConfig, ServedEntityOutput, ServedModelOutput, ServingEndpointDetailed,
};
use serde_json::Value;
use std::collections::BTreeMap;

/// `workload_type` when none is given (API reference: `CPU` is the default).
pub const DEFAULT_WORKLOAD_TYPE: &str = "CPU";

/// One served entity in comparable form.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Entity {
    /// Served-entity name (routes and logs refer to it).
    pub name: String,
    /// Registered model (`catalog.schema.model`), workspace model or feature spec.
    pub entity_name: String,
    /// Model version (text, as the API has it); empty when none.
    pub entity_version: String,
    pub workload_size: Option<String>,
    pub workload_type: Option<String>,
    pub scale_to_zero: Option<bool>,
    pub min_concurrency: Option<i64>,
    pub max_concurrency: Option<i64>,
    pub min_throughput: Option<i64>,
    pub max_throughput: Option<i64>,
    pub model_units: Option<i64>,
    /// Environment variables: values as stored, secret references (`{{secrets/s/k}}`) as such.
    pub env: BTreeMap<String, String>,
    pub instance_profile_arn: Option<String>,
    /// An external model, with its `*_plaintext` fields removed.
    pub external_model: Option<ExternalModel>,
}

impl Entity {
    /// Does this entity proxy an external model?
    pub fn is_external(&self) -> bool {
        self.external_model.is_some()
    }
}

/// The served config in comparable form.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Config {
    /// Sorted by name.
    pub entities: Vec<Entity>,
    /// Entity name → traffic percentage.
    pub routes: BTreeMap<String, i64>,
    /// Legacy inference tables (`auto_capture_config`), input keys only.
    pub auto_capture: Option<Value>,
}

/// E-mail notifications, each list sorted and without duplicates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Notifications {
    pub on_update_success: Vec<String>,
    pub on_update_failure: Vec<String>,
}

/// Everything the console can change about an endpoint, plus the two fields it cannot.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Desired {
    pub config: Config,
    /// Key → value (`None`: a tag without value).
    pub tags: BTreeMap<String, Option<String>>,
    pub ai_gateway: AiGatewayConfig,
    pub notifications: Notifications,
    /// No update call: shown, never sent.
    pub description: Option<String>,
    /// No update call: shown, never sent.
    pub route_optimized: bool,
}

/// An endpoint as read, in comparable form: what a plan is made against.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Snapshot {
    pub name: String,
    /// `config.config_version` as read (what a conflict check compares).
    pub config_version: Option<i64>,
    /// `state.config_update` is `IN_PROGRESS`: the server refuses a config change.
    pub updating: bool,
    /// `state.config_update` is `UPDATE_FAILED` and the failed `pending_config` is shown.
    pub failed_pending: Option<Config>,
    /// The failed pending config's version, if any.
    pub failed_version: Option<i64>,
    pub desired: Desired,
}

impl Snapshot {
    /// Read a GET answer. The served `config` is the current one; without it (first deploy
    /// running or failed) the `pending_config` is.
    pub fn from_endpoint(ep: &ServingEndpointDetailed) -> Snapshot {
        let update = ep.state.as_ref().and_then(|s| s.config_update());
        let failed = matches!(update, Some(ConfigUpdateState::UpdateFailed));
        let served = ep.config.as_ref().or(ep.pending_config.as_ref());
        let (failed_pending, failed_version) = match (&ep.config, &ep.pending_config) {
            (Some(_), Some(p)) if failed => (Some(config_from_output(p)), p.config_version),
            _ => (None, None),
        };
        Snapshot {
            name: ep.name.clone(),
            config_version: ep.config.as_ref().and_then(|c| c.config_version),
            updating: matches!(update, Some(ConfigUpdateState::InProgress)),
            failed_pending,
            failed_version,
            desired: Desired {
                config: served.map(config_from_output).unwrap_or_default(),
                tags: ep
                    .tags
                    .iter()
                    .map(|t| (t.key.clone(), tag_value(t.value.as_deref())))
                    .collect(),
                ai_gateway: gateway(ep.ai_gateway.clone().unwrap_or_default()),
                notifications: ep
                    .email_notifications
                    .as_ref()
                    .map(|n| notifications(&n.on_update_success, &n.on_update_failure))
                    .unwrap_or_default(),
                description: ep.description.clone().filter(|d| !d.is_empty()),
                route_optimized: ep.route_optimized.unwrap_or(false),
            },
        }
    }
}

/// A tag value: empty is the same as none.
pub fn tag_value(v: Option<&str>) -> Option<String> {
    v.filter(|s| !s.is_empty()).map(str::to_string)
}

/// Sorted, de-duplicated, trimmed, empty entries dropped.
pub fn email_list(list: &[String]) -> Vec<String> {
    let mut v: Vec<String> = list
        .iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    v.sort();
    v.dedup();
    v
}

/// Both e-mail lists in comparable form.
pub fn notifications(success: &[String], failure: &[String]) -> Notifications {
    Notifications {
        on_update_success: email_list(success),
        on_update_failure: email_list(failure),
    }
}

/// A config from GET (`config` or `pending_config`).
pub fn config_from_output(c: &EndpointCoreConfigOutput) -> Config {
    let entities: Vec<Entity> = if c.served_entities.is_empty() {
        c.served_models.iter().map(entity_from_model).collect()
    } else {
        c.served_entities.iter().map(entity_from_output).collect()
    };
    let routes = c
        .traffic_config
        .as_ref()
        .map(|t| {
            t.routes
                .iter()
                .map(|r| (r.target().to_string(), r.traffic_percentage))
                .collect()
        })
        .unwrap_or_default();
    finish(entities, routes, c.auto_capture_config.clone())
}

/// A config from a `PUT …/config` body (an import, or a plan step read back).
pub fn config_from_input(c: &EndpointCoreConfigInput) -> Config {
    let entities: Vec<Entity> = if c.served_entities.is_empty() {
        c.served_models
            .iter()
            .map(|m| Entity {
                name: m.name.clone().unwrap_or_default(),
                entity_name: m.model_name.clone().unwrap_or_default(),
                entity_version: m.model_version.clone().unwrap_or_default(),
                workload_size: m.workload_size.clone(),
                workload_type: m.workload_type.as_ref().map(|w| w.as_str().to_string()),
                scale_to_zero: m.scale_to_zero_enabled,
                env: m.environment_vars.clone().unwrap_or_default(),
                instance_profile_arn: m.instance_profile_arn.clone(),
                ..Entity::default()
            })
            .collect()
    } else {
        c.served_entities
            .iter()
            .map(|e| Entity {
                name: e.name.clone().unwrap_or_default(),
                entity_name: e.entity_name.clone().unwrap_or_default(),
                entity_version: e.entity_version.clone().unwrap_or_default(),
                workload_size: e.workload_size.clone(),
                workload_type: e.workload_type.as_ref().map(|w| w.as_str().to_string()),
                scale_to_zero: e.scale_to_zero_enabled,
                min_concurrency: e.min_provisioned_concurrency,
                max_concurrency: e.max_provisioned_concurrency,
                min_throughput: e.min_provisioned_throughput,
                max_throughput: e.max_provisioned_throughput,
                model_units: e.provisioned_model_units,
                env: e.environment_vars.clone().unwrap_or_default(),
                instance_profile_arn: e.instance_profile_arn.clone(),
                external_model: e.external_model.clone(),
            })
            .collect()
    };
    let routes = c
        .traffic_config
        .as_ref()
        .map(|t| {
            t.routes
                .iter()
                .map(|r| (r.target().to_string(), r.traffic_percentage))
                .collect()
        })
        .unwrap_or_default();
    finish(entities, routes, c.auto_capture_config.clone())
}

/// GET omits zero values (`omitempty` in the SDKs' structs), so an absent
/// `scale_to_zero_enabled` on a served custom model reads as `false` (UNCONFIRMED that the
/// server omits it; harmless if it does not). Only GET answers get this: an imported config
/// without it stays `None` and is reported.
fn served_scale_to_zero(v: Option<bool>, custom: bool) -> Option<bool> {
    if custom {
        Some(v.unwrap_or(false))
    } else {
        v
    }
}

fn entity_from_output(e: &ServedEntityOutput) -> Entity {
    let custom = e.external_model.is_none() && e.foundation_model.is_none();
    Entity {
        name: e.name.clone(),
        entity_name: e.entity_name.clone().unwrap_or_default(),
        entity_version: e.entity_version.clone().unwrap_or_default(),
        workload_size: e.workload_size.clone(),
        workload_type: e.workload_type.as_ref().map(|w| w.as_str().to_string()),
        scale_to_zero: served_scale_to_zero(e.scale_to_zero_enabled, custom),
        min_concurrency: e.min_provisioned_concurrency,
        max_concurrency: e.max_provisioned_concurrency,
        min_throughput: e.min_provisioned_throughput,
        max_throughput: e.max_provisioned_throughput,
        model_units: e.provisioned_model_units,
        env: e.environment_vars.clone().unwrap_or_default(),
        instance_profile_arn: e.instance_profile_arn.clone(),
        external_model: e.external_model.clone(),
    }
}

fn entity_from_model(m: &ServedModelOutput) -> Entity {
    Entity {
        name: m.name.clone(),
        entity_name: m.model_name.clone().unwrap_or_default(),
        entity_version: m.model_version.clone().unwrap_or_default(),
        workload_size: m.workload_size.clone(),
        workload_type: m.workload_type.as_ref().map(|w| w.as_str().to_string()),
        scale_to_zero: served_scale_to_zero(m.scale_to_zero_enabled, true),
        env: m.environment_vars.clone().unwrap_or_default(),
        instance_profile_arn: m.instance_profile_arn.clone(),
        ..Entity::default()
    }
}

/// The common tail of both readers: defaults, secrets, order, the implied route.
pub fn finish(
    entities: Vec<Entity>,
    mut routes: BTreeMap<String, i64>,
    auto_capture: Option<Value>,
) -> Config {
    let mut entities: Vec<Entity> = entities.into_iter().map(entity).collect();
    entities.sort_by(|a, b| a.name.cmp(&b.name));
    if routes.is_empty() && entities.len() == 1 {
        routes.insert(entities[0].name.clone(), 100);
    }
    Config {
        entities,
        routes,
        auto_capture: auto_capture.and_then(auto_capture_input),
    }
}

/// Normalise one entity (idempotent).
pub fn entity(mut e: Entity) -> Entity {
    let opt = |s: Option<String>| s.filter(|v| !v.trim().is_empty());
    e.workload_size = opt(e.workload_size);
    e.workload_type = opt(e.workload_type);
    e.instance_profile_arn = opt(e.instance_profile_arn);
    let sized =
        e.workload_size.is_some() || e.min_concurrency.is_some() || e.max_concurrency.is_some();
    if e.workload_type.is_none() && sized && !e.is_external() {
        e.workload_type = Some(DEFAULT_WORKLOAD_TYPE.to_string());
    }
    if let Some(m) = e.external_model.as_mut() {
        strip_plaintext_map(&mut m.provider_config);
    }
    e
}

/// Is `key` a write-only plaintext secret field (`openai_api_key_plaintext`, …)?
pub fn is_plaintext_key(key: &str) -> bool {
    key.ends_with("_plaintext")
}

/// Remove every `*_plaintext` field, at any depth; returns how many were removed.
pub fn strip_plaintext_map(m: &mut BTreeMap<String, Value>) -> usize {
    let before = m.len();
    m.retain(|k, _| !is_plaintext_key(k));
    let mut n = before - m.len();
    for v in m.values_mut() {
        n += strip_plaintext(v);
    }
    n
}

/// Remove every `*_plaintext` field inside `v`; returns how many were removed.
pub fn strip_plaintext(v: &mut Value) -> usize {
    let mut n = 0;
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(o) => {
                let before = o.len();
                o.retain(|k, _| !is_plaintext_key(k));
                n += before - o.len();
                stack.extend(o.values_mut());
            }
            Value::Array(a) => stack.extend(a.iter_mut()),
            _ => {}
        }
    }
    n
}

/// `auto_capture_config` reduced to its input keys (GET adds `state`, which a PUT must not
/// carry). `None` when nothing is left.
fn auto_capture_input(v: Value) -> Option<Value> {
    let Value::Object(o) = v else { return None };
    let kept: serde_json::Map<String, Value> = o
        .into_iter()
        .filter(|(k, v)| {
            matches!(
                k.as_str(),
                "catalog_name" | "schema_name" | "table_name_prefix" | "enabled"
            ) && !v.is_null()
        })
        .collect();
    (!kept.is_empty()).then_some(Value::Object(kept))
}

/// A secret reference `{{secrets/<scope>/<key>}}` → `(scope, key)`.
pub fn secret_ref(value: &str) -> Option<(&str, &str)> {
    let inner = value.trim().strip_prefix("{{")?.strip_suffix("}}")?;
    let rest = inner.trim().strip_prefix("secrets/")?;
    let (scope, key) = rest.split_once('/')?;
    let ok = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    };
    (ok(scope) && ok(key)).then_some((scope, key))
}

/// The AI gateway in comparable form (idempotent): "off" and "absent" are the same.
pub fn gateway(mut g: AiGatewayConfig) -> AiGatewayConfig {
    let flag = |f: Option<EnabledFlag>| f.filter(|f| f.enabled == Some(true));
    g.usage_tracking_config = flag(g.usage_tracking_config);
    g.fallback_config = flag(g.fallback_config);
    let blank = |s: Option<String>| s.filter(|s| !s.trim().is_empty());
    g.inference_table_config = g.inference_table_config.and_then(|t| {
        let t = InferenceTableConfig {
            catalog_name: blank(t.catalog_name),
            schema_name: blank(t.schema_name),
            table_name_prefix: blank(t.table_name_prefix),
            enabled: t.enabled.filter(|e| *e),
        };
        (t != InferenceTableConfig::default()).then_some(t)
    });
    g.rate_limits = g
        .rate_limits
        .into_iter()
        .map(|r| AiGatewayRateLimit {
            key: Some(blank(r.key).unwrap_or("endpoint".into())),
            renewal_period: Some(blank(r.renewal_period).unwrap_or("minute".into())),
            principal: blank(r.principal),
            ..r
        })
        .collect();
    g.guardrails = g.guardrails.and_then(|gr| {
        let side = |p: Option<GuardrailParameters>| {
            p.map(|p| GuardrailParameters {
                safety: p.safety.filter(|s| *s),
                pii: p.pii.filter(|b| {
                    b.behavior
                        .as_deref()
                        .is_some_and(|b| !b.trim().is_empty() && b != "NONE")
                }),
                invalid_keywords: p
                    .invalid_keywords
                    .into_iter()
                    .filter(|s| !s.trim().is_empty())
                    .collect(),
                valid_topics: p
                    .valid_topics
                    .into_iter()
                    .filter(|s| !s.trim().is_empty())
                    .collect(),
            })
            .filter(|p| *p != GuardrailParameters::default())
        };
        let gr = AiGatewayGuardrails {
            input: side(gr.input),
            output: side(gr.output),
        };
        (gr != AiGatewayGuardrails::default()).then_some(gr)
    });
    g
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    pub(crate) fn read(json: &str) -> Snapshot {
        Snapshot::from_endpoint(&serde_json::from_str(json).unwrap())
    }

    const READY: &str = api_fixtures::get("get_custom_ready.json");

    #[test]
    fn reads_the_served_config() {
        let s = read(READY);
        assert_eq!(s.config_version, Some(12));
        let names: Vec<_> = s.desired.config.entities.iter().map(|e| &e.name).collect();
        assert_eq!(names, ["fraud_xgb-7", "fraud_xgb-8"]);
        assert_eq!(s.desired.config.routes["fraud_xgb-7"], 90);
        assert_eq!(s.desired.tags["pii"], None);
        assert_eq!(
            s.desired.config.entities[0].env["ONLINE_STORE_TOKEN"],
            "{{secrets/fraud-serving/online-store-token}}"
        );
        assert!(!s.updating);
        assert_eq!(s.failed_pending, None);
    }

    #[test]
    fn implied_route_of_a_lone_entity_is_filled_in() {
        let with = config_from_output(
            &serde_json::from_value(json!({
                "served_entities": [{"name": "a", "entity_name": "m", "entity_version": "1",
                    "workload_size": "Small", "scale_to_zero_enabled": true}],
                "traffic_config": {"routes": [{"served_entity_name": "a",
                    "served_model_name": "a", "traffic_percentage": 100}]}
            }))
            .unwrap(),
        );
        let without = config_from_input(
            &serde_json::from_value(json!({
                "served_entities": [{"name": "a", "entity_name": "m", "entity_version": "1",
                    "workload_size": "Small", "workload_type": "CPU",
                    "scale_to_zero_enabled": true}]
            }))
            .unwrap(),
        );
        assert_eq!(with, without);
    }

    #[test]
    fn mirrored_served_models_are_not_extra_entities() {
        let c = config_from_output(
            &serde_json::from_value(json!({
                "served_entities": [{"name": "a", "entity_name": "m", "entity_version": "1"}],
                "served_models": [{"name": "a", "model_name": "m", "model_version": "1"}]
            }))
            .unwrap(),
        );
        assert_eq!(c.entities.len(), 1);
        let legacy = config_from_output(
            &serde_json::from_value(json!({
                "served_models": [{"name": "a", "model_name": "m", "model_version": "1"}]
            }))
            .unwrap(),
        );
        assert_eq!(c, legacy, "a legacy config reads the same as its mirror");
    }

    #[test]
    fn plaintext_secrets_are_dropped_at_any_depth() {
        let c = config_from_input(
            &serde_json::from_value(json!({
                "served_entities": [{"name": "g", "external_model": {
                    "name": "gpt", "provider": "openai", "task": "llm/v1/chat",
                    "openai_config": {"openai_api_key_plaintext": "sk-123",
                        "openai_api_base": "https://x"},
                    "custom_provider_config": {"bearer_token_auth":
                        {"token_plaintext": "t", "token": "{{secrets/a/b}}"}}
                }}]
            }))
            .unwrap(),
        );
        let text = serde_json::to_string(&c.entities[0].external_model).unwrap();
        assert!(
            !text.contains("sk-123") && !text.contains("plaintext"),
            "{text}"
        );
        assert!(text.contains("{{secrets/a/b}}"));
    }

    #[test]
    fn gateway_off_equals_absent() {
        let a = gateway(
            serde_json::from_value(json!({
                "usage_tracking_config": {"enabled": false},
                "fallback_config": {"enabled": false},
                "guardrails": {"input": {"pii": {"behavior": "NONE"}, "safety": false}},
                "rate_limits": [{"calls": 5}]
            }))
            .unwrap(),
        );
        let b = gateway(
            serde_json::from_value(json!({
                "rate_limits": [{"calls": 5, "key": "endpoint", "renewal_period": "minute"}]
            }))
            .unwrap(),
        );
        assert_eq!(a, b);
        assert_eq!(gateway(a.clone()), a, "idempotent");
    }

    #[test]
    fn auto_capture_loses_its_output_only_state() {
        let c = config_from_output(
            &serde_json::from_value(json!({
                "served_entities": [{"name": "a"}],
                "auto_capture_config": {"catalog_name": "c", "schema_name": "s",
                    "enabled": true, "state": {"payload_table": {"name": "t"}}}
            }))
            .unwrap(),
        );
        assert_eq!(
            c.auto_capture,
            Some(json!({"catalog_name": "c", "schema_name": "s", "enabled": true}))
        );
    }

    #[test]
    fn secret_references_are_recognised() {
        assert_eq!(secret_ref("{{secrets/scope/key}}"), Some(("scope", "key")));
        assert_eq!(
            secret_ref(" {{ secrets/a-b/c_d.e }} "),
            Some(("a-b", "c_d.e"))
        );
        assert_eq!(secret_ref("{{secrets/scope}}"), None);
        assert_eq!(secret_ref("plain"), None);
        assert_eq!(secret_ref("{{secrets/a/b/c}}"), None);
    }

    #[test]
    fn an_omitted_false_scale_to_zero_is_false_on_get_only() {
        let entity = json!({"name": "a", "entity_name": "m", "entity_version": "1",
            "workload_size": "Small"});
        let got = config_from_output(
            &serde_json::from_value(json!({"served_entities": [entity.clone()]})).unwrap(),
        );
        assert_eq!(got.entities[0].scale_to_zero, Some(false));
        let imported = config_from_input(
            &serde_json::from_value(json!({"served_entities": [entity]})).unwrap(),
        );
        assert_eq!(
            imported.entities[0].scale_to_zero, None,
            "an import must say it"
        );
        let external = config_from_output(
            &serde_json::from_value(json!({"served_entities": [{"name": "g",
                "external_model": {"name": "gpt", "provider": "openai"}}]}))
            .unwrap(),
        );
        assert_eq!(external.entities[0].scale_to_zero, None);
    }

    #[test]
    fn a_failed_update_keeps_both_configs() {
        let s = read(api_fixtures::get("get_custom_update_failed.json"));
        assert_eq!(s.config_version, Some(3));
        assert_eq!(s.failed_version, Some(4));
        assert!(s.failed_pending.is_some());
        assert_ne!(s.failed_pending.as_ref(), Some(&s.desired.config));
    }
}
