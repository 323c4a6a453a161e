//! The editable form: what the user types, as text where a number is expected, so that every
//! keystroke can be validated ([`super::validate`]) before it becomes a [`Desired`].
//! Pure data; the UI binds its inputs to these fields.

use super::normalize::{self, Desired, Entity};
use api_types::{
    AiGatewayConfig, AiGatewayGuardrails, AiGatewayRateLimit, EnabledFlag, ExternalModel,
    GuardrailParameters, InferenceTableConfig, PiiBehavior,
};
use serde_json::Value;
use std::collections::BTreeMap;

/// One served entity being edited.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EntityForm {
    pub name: String,
    pub entity_name: String,
    pub entity_version: String,
    /// Empty: none (provisioned concurrency is used instead).
    pub workload_size: String,
    /// Empty: the default (`CPU`).
    pub workload_type: String,
    /// `None` until chosen: the API refuses an entity without it.
    pub scale_to_zero: Option<bool>,
    pub min_concurrency: String,
    pub max_concurrency: String,
    /// Environment variables in the order shown; values are stored text (a secret reference
    /// `{{secrets/scope/key}}` stays a reference — the console never sees secret values).
    pub env: Vec<(String, String)>,
    /// Traffic percentage of this entity's route, as typed.
    pub traffic: String,
    /// What the form does not edit, carried unchanged (external model, provisioned
    /// throughput, instance profile).
    pub kept: Kept,
}

/// Settings of an entity the form shows but does not edit.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Kept {
    pub external_model: Option<ExternalModel>,
    pub min_throughput: Option<i64>,
    pub max_throughput: Option<i64>,
    pub model_units: Option<i64>,
    pub instance_profile_arn: Option<String>,
}

/// One AI gateway rate limit being edited.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RateLimitForm {
    pub calls: String,
    pub tokens: String,
    /// `endpoint`, `user`, `user_group`, `service_principal`.
    pub key: String,
    pub principal: String,
    /// `minute`.
    pub renewal_period: String,
}

/// Input or output guardrails being edited.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GuardrailForm {
    pub safety: bool,
    /// Empty or `NONE`, `BLOCK`, `MASK`.
    pub pii: String,
    pub invalid_keywords: Vec<String>,
    pub valid_topics: Vec<String>,
}

/// The AI gateway being edited.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GatewayForm {
    pub usage_tracking: bool,
    pub inference_table: bool,
    pub catalog_name: String,
    pub schema_name: String,
    pub table_name_prefix: String,
    pub rate_limits: Vec<RateLimitForm>,
    pub input: GuardrailForm,
    pub output: GuardrailForm,
    pub fallback: bool,
}

/// The whole edit.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EditForm {
    pub entities: Vec<EntityForm>,
    pub tags: Vec<(String, String)>,
    pub on_update_success: Vec<String>,
    pub on_update_failure: Vec<String>,
    pub gateway: GatewayForm,
    /// Routes to names no entity has (only a damaged config has them): kept, so that an
    /// untouched form changes nothing, and reported by the validator.
    pub stray_routes: Vec<(String, i64)>,
    /// Carried unchanged (legacy inference tables).
    pub auto_capture: Option<Value>,
    /// Shown read-only (no update call).
    pub description: Option<String>,
    /// Shown read-only (no update call).
    pub route_optimized: bool,
}

fn num(v: Option<i64>) -> String {
    v.map(|n| n.to_string()).unwrap_or_default()
}

/// Text → number; empty is `None`; anything else unparsable is also `None` (the validator
/// reports it, see `validate::integer`).
pub fn parse_num(s: &str) -> Option<i64> {
    s.trim().parse().ok()
}

/// Text as typed; blank is `None`. Not trimmed: what is served comes back unchanged, and the
/// validator reports stray spaces where they matter.
fn text(s: &str) -> Option<String> {
    (!s.trim().is_empty()).then(|| s.to_string())
}

impl EditForm {
    /// The form filled with what is served.
    pub fn from_desired(d: &Desired) -> EditForm {
        let g = &d.ai_gateway;
        let it = g.inference_table_config.clone().unwrap_or_default();
        let guard = |p: Option<&GuardrailParameters>| {
            let p = p.cloned().unwrap_or_default();
            GuardrailForm {
                safety: p.safety == Some(true),
                pii: p.pii.and_then(|b| b.behavior).unwrap_or_default(),
                invalid_keywords: p.invalid_keywords,
                valid_topics: p.valid_topics,
            }
        };
        let gr = g.guardrails.clone().unwrap_or_default();
        EditForm {
            entities: d
                .config
                .entities
                .iter()
                .map(|e| EntityForm {
                    name: e.name.clone(),
                    entity_name: e.entity_name.clone(),
                    entity_version: e.entity_version.clone(),
                    workload_size: e.workload_size.clone().unwrap_or_default(),
                    workload_type: e.workload_type.clone().unwrap_or_default(),
                    scale_to_zero: e.scale_to_zero,
                    min_concurrency: num(e.min_concurrency),
                    max_concurrency: num(e.max_concurrency),
                    env: e.env.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
                    traffic: d
                        .config
                        .routes
                        .get(&e.name)
                        .map(|p| p.to_string())
                        .unwrap_or_default(),
                    kept: Kept {
                        external_model: e.external_model.clone(),
                        min_throughput: e.min_throughput,
                        max_throughput: e.max_throughput,
                        model_units: e.model_units,
                        instance_profile_arn: e.instance_profile_arn.clone(),
                    },
                })
                .collect(),
            tags: d
                .tags
                .iter()
                .map(|(k, v)| (k.clone(), v.clone().unwrap_or_default()))
                .collect(),
            on_update_success: d.notifications.on_update_success.clone(),
            on_update_failure: d.notifications.on_update_failure.clone(),
            gateway: GatewayForm {
                usage_tracking: g.usage_tracking_config.is_some(),
                inference_table: it.enabled == Some(true),
                catalog_name: it.catalog_name.unwrap_or_default(),
                schema_name: it.schema_name.unwrap_or_default(),
                table_name_prefix: it.table_name_prefix.unwrap_or_default(),
                rate_limits: g
                    .rate_limits
                    .iter()
                    .map(|r| RateLimitForm {
                        calls: num(r.calls),
                        tokens: num(r.tokens),
                        key: r.key.clone().unwrap_or_default(),
                        principal: r.principal.clone().unwrap_or_default(),
                        renewal_period: r.renewal_period.clone().unwrap_or_default(),
                    })
                    .collect(),
                input: guard(gr.input.as_ref()),
                output: guard(gr.output.as_ref()),
                fallback: g.fallback_config.is_some(),
            },
            stray_routes: d
                .config
                .routes
                .iter()
                .filter(|(n, _)| !d.config.entities.iter().any(|e| &e.name == *n))
                .map(|(n, p)| (n.clone(), *p))
                .collect(),
            auto_capture: d.config.auto_capture.clone(),
            description: d.description.clone(),
            route_optimized: d.route_optimized,
        }
    }

    /// The edit in comparable form. Text that is not a number reads as absent; call
    /// [`super::validate::validate`] first and plan only a form without messages.
    pub fn to_desired(&self) -> Desired {
        let entities: Vec<Entity> = self
            .entities
            .iter()
            .map(|f| Entity {
                name: f.name.clone(),
                entity_name: f.entity_name.clone(),
                entity_version: f.entity_version.clone(),
                workload_size: text(&f.workload_size),
                workload_type: text(&f.workload_type),
                scale_to_zero: f.scale_to_zero,
                min_concurrency: parse_num(&f.min_concurrency),
                max_concurrency: parse_num(&f.max_concurrency),
                min_throughput: f.kept.min_throughput,
                max_throughput: f.kept.max_throughput,
                model_units: f.kept.model_units,
                env: f.env.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
                instance_profile_arn: f.kept.instance_profile_arn.clone(),
                external_model: f.kept.external_model.clone(),
            })
            .collect();
        let routes: BTreeMap<String, i64> = self
            .stray_routes
            .iter()
            .cloned()
            .chain(
                self.entities
                    .iter()
                    .filter_map(|f| Some((f.name.clone(), parse_num(&f.traffic)?))),
            )
            .collect();
        let g = &self.gateway;
        let flag = |on: bool| {
            on.then_some(EnabledFlag {
                enabled: Some(true),
            })
        };
        let guard = |p: &GuardrailForm| GuardrailParameters {
            safety: p.safety.then_some(true),
            pii: text(&p.pii).map(|b| PiiBehavior { behavior: Some(b) }),
            invalid_keywords: p.invalid_keywords.iter().filter_map(|s| text(s)).collect(),
            valid_topics: p.valid_topics.iter().filter_map(|s| text(s)).collect(),
        };
        let gateway = AiGatewayConfig {
            usage_tracking_config: flag(g.usage_tracking),
            inference_table_config: Some(InferenceTableConfig {
                catalog_name: text(&g.catalog_name),
                schema_name: text(&g.schema_name),
                table_name_prefix: text(&g.table_name_prefix),
                enabled: g.inference_table.then_some(true),
            }),
            rate_limits: g
                .rate_limits
                .iter()
                .map(|r| AiGatewayRateLimit {
                    calls: parse_num(&r.calls),
                    tokens: parse_num(&r.tokens),
                    key: text(&r.key),
                    principal: text(&r.principal),
                    renewal_period: text(&r.renewal_period),
                })
                .collect(),
            guardrails: Some(AiGatewayGuardrails {
                input: Some(guard(&g.input)),
                output: Some(guard(&g.output)),
            }),
            fallback_config: flag(g.fallback),
        };
        Desired {
            config: normalize::finish(entities, routes, self.auto_capture.clone()),
            tags: self
                .tags
                .iter()
                .map(|(k, v)| (k.clone(), normalize::tag_value(Some(v))))
                .collect(),
            ai_gateway: normalize::gateway(gateway),
            notifications: normalize::notifications(
                &self.on_update_success,
                &self.on_update_failure,
            ),
            description: self.description.clone(),
            route_optimized: self.route_optimized,
        }
    }

    /// Shortcut "Send all traffic to …": 100 % to `name`, 0 % to every other entity (they
    /// keep serving, without traffic). `false` when no entity has that name.
    pub fn send_all_traffic_to(&mut self, name: &str) -> bool {
        if !self.entities.iter().any(|e| e.name == name) {
            return false;
        }
        for e in &mut self.entities {
            e.traffic = if e.name == name { "100" } else { "0" }.into();
        }
        self.stray_routes.clear();
        true
    }

    /// Shortcut "Scale to zero on/off" for one entity (`Some(name)`) or every entity that is
    /// not an external model (`None`). Returns how many entities were set.
    pub fn set_scale_to_zero(&mut self, name: Option<&str>, on: bool) -> usize {
        let mut n = 0;
        for e in &mut self.entities {
            if e.kept.external_model.is_none() && name.is_none_or(|w| e.name == w) {
                e.scale_to_zero = Some(on);
                n += 1;
            }
        }
        n
    }

    /// A new, empty entity row with the route at 0 %.
    pub fn add_entity(&mut self) -> usize {
        self.entities.push(EntityForm {
            traffic: "0".into(),
            ..EntityForm::default()
        });
        self.entities.len() - 1
    }
}

/// The name the API gives an entity that has none (`<model>-<version>`, the model's last
/// dotted part), made of allowed characters only.
pub fn suggested_name(entity_name: &str, version: &str) -> String {
    let model = entity_name.rsplit('.').next().unwrap_or(entity_name);
    let raw = if version.trim().is_empty() {
        model.to_string()
    } else {
        format!("{model}-{}", version.trim())
    };
    raw.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::super::normalize::Snapshot;
    use super::*;

    fn ready() -> Snapshot {
        Snapshot::from_endpoint(
            &serde_json::from_str(api_fixtures::get("get_custom_ready.json")).unwrap(),
        )
    }

    fn external() -> Snapshot {
        Snapshot::from_endpoint(
            &serde_json::from_str(api_fixtures::get("get_external_model_ai_gateway.json")).unwrap(),
        )
    }

    #[test]
    fn an_untouched_form_is_what_is_served() {
        for s in [ready(), external()] {
            let f = EditForm::from_desired(&s.desired);
            assert_eq!(f.to_desired(), s.desired);
        }
    }

    #[test]
    fn send_all_traffic_to_one_entity() {
        let mut f = EditForm::from_desired(&ready().desired);
        assert!(f.send_all_traffic_to("fraud_xgb-8"));
        let d = f.to_desired();
        assert_eq!(d.config.routes["fraud_xgb-8"], 100);
        assert_eq!(d.config.routes["fraud_xgb-7"], 0);
        assert!(!f.send_all_traffic_to("nope"));
    }

    #[test]
    fn scale_to_zero_shortcut() {
        let mut f = EditForm::from_desired(&ready().desired);
        assert_eq!(f.set_scale_to_zero(None, true), 2);
        assert!(f.entities.iter().all(|e| e.scale_to_zero == Some(true)));
        assert_eq!(f.set_scale_to_zero(Some("fraud_xgb-7"), false), 1);
        assert_eq!(f.entities[0].scale_to_zero, Some(false));
        let mut g = EditForm::from_desired(&external().desired);
        assert_eq!(
            g.set_scale_to_zero(None, true),
            0,
            "external models have no scaling"
        );
    }

    #[test]
    fn suggested_names_use_allowed_characters() {
        assert_eq!(suggested_name("main.risk.fraud_xgb", "9"), "fraud_xgb-9");
        assert_eq!(suggested_name("my model", ""), "my-model");
    }
}
