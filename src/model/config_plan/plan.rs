//! The plan: `diff(current, edit)` grouped by the call that will make it, in the order the
//! Databricks CLI applies them (tags → AI gateway → config → notifications), each step with
//! its effect and its exact request. Nothing here sends anything.

use super::normalize::{self, Config, Desired, Entity, Notifications, Snapshot};
use api_types::{
    AiGatewayConfig, EmailNotificationsInput, EndpointCoreConfigInput, EndpointTag,
    PatchNotificationsRequest, PatchTagsRequest, Route, ServedEntityInput, TrafficConfig,
    WorkloadType,
};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// The call a step makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Call {
    /// `PATCH …/tags`.
    Tags,
    /// `PUT …/ai-gateway` (full replacement).
    AiGateway,
    /// `PUT …/config` (a new config version).
    Config,
    /// `PATCH …/notifications`.
    Notifications,
}

impl Call {
    /// Heading of the step.
    pub fn label(self) -> &'static str {
        match self {
            Call::Tags => "Tags",
            Call::AiGateway => "AI gateway",
            Call::Config => "Served entities and traffic",
            Call::Notifications => "E-mail notifications",
        }
    }
}

/// What a step does to the endpoint once sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// Takes effect with the answer; nothing is redeployed.
    AppliesAtOnce,
    /// Builds and deploys a new config version (minutes) while the old one keeps serving.
    Redeploys {
        /// The version the update will get (current + 1), when the current one is known.
        next_version: Option<i64>,
    },
}

impl Effect {
    /// The words the plan shows.
    pub fn label(&self) -> String {
        match self {
            Effect::AppliesAtOnce => "applies at once".into(),
            Effect::Redeploys {
                next_version: Some(v),
            } => format!("redeploys: a new config version ({v}), minutes"),
            Effect::Redeploys { next_version: None } => {
                "redeploys: a new config version, minutes".into()
            }
        }
    }
}

/// One line of a step: what changes, from what, to what (`None`: absent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// What it is about: "served entity fraud_xgb-8", "traffic", "tag env", …
    pub subject: String,
    /// Which part of it ("entity_version", …; empty for the whole subject).
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// The exact request of a step.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub method: &'static str,
    /// API path (no base), the endpoint name percent-encoded.
    pub path: String,
    pub body: Value,
}

impl Request {
    /// The body as sent.
    pub fn body_text(&self) -> String {
        self.body.to_string()
    }
}

/// One call of a plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub call: Call,
    pub effect: Effect,
    pub changes: Vec<Change>,
    pub request: Request,
}

/// A difference the console cannot apply, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotApplied {
    pub what: String,
    pub why: String,
}

/// Why description and route optimisation are not in any step.
pub const NO_UPDATE_CALL: &str = "The API has no call to change this: the endpoint would have to \
    be deleted and created again, which this console does not do.";

/// A reviewed set of calls, and what it was made against.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The endpoint as read when the edit began (conflict checks compare against it).
    pub base: Snapshot,
    /// In order tags → AI gateway → config → notifications; only calls with a change.
    pub steps: Vec<Step>,
    pub not_applied: Vec<NotApplied>,
}

impl Plan {
    /// Nothing to send.
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// Does a step redeploy?
    pub fn redeploys(&self) -> bool {
        self.steps.iter().any(|s| s.call == Call::Config)
    }

    /// The step making `call`, if any.
    pub fn step(&self, call: Call) -> Option<&Step> {
        self.steps.iter().find(|s| s.call == call)
    }
}

/// The plan from what `base` serves to `edit`.
pub fn plan(base: &Snapshot, edit: &Desired) -> Plan {
    plan_between(base, &base.desired, edit)
}

/// The plan from `from` to `to`, made against `base` (a rollback after a failed update plans
/// from the failed pending config).
pub fn plan_between(base: &Snapshot, from: &Desired, to: &Desired) -> Plan {
    let name = &base.name;
    let mut steps = Vec::new();

    let tags = tag_changes(&from.tags, &to.tags);
    if !tags.is_empty() {
        steps.push(Step {
            call: Call::Tags,
            effect: Effect::AppliesAtOnce,
            changes: tags,
            request: Request {
                method: "PATCH",
                path: path(name, "/tags"),
                body: json(&tags_body(&from.tags, &to.tags)),
            },
        });
    }

    let gw_from = normalize::gateway(from.ai_gateway.clone());
    let gw_to = normalize::gateway(to.ai_gateway.clone());
    if gw_from != gw_to {
        steps.push(Step {
            call: Call::AiGateway,
            effect: Effect::AppliesAtOnce,
            changes: gateway_changes(&gw_from, &gw_to),
            // A full replacement: the whole merged gateway, not just what changed.
            request: Request {
                method: "PUT",
                path: path(name, "/ai-gateway"),
                body: json(&gateway_body(&gw_to)),
            },
        });
    }

    let config = config_changes(&from.config, &to.config);
    if !config.is_empty() {
        steps.push(Step {
            call: Call::Config,
            effect: Effect::Redeploys {
                next_version: base.config_version.map(|v| v + 1),
            },
            changes: config,
            request: Request {
                method: "PUT",
                path: path(name, "/config"),
                body: json(&config_input(&to.config)),
            },
        });
    }

    if from.notifications != to.notifications {
        steps.push(Step {
            call: Call::Notifications,
            effect: Effect::AppliesAtOnce,
            changes: notification_changes(&from.notifications, &to.notifications),
            request: Request {
                method: "PATCH",
                path: path(name, "/notifications"),
                body: json(&notifications_body(&to.notifications)),
            },
        });
    }

    let mut not_applied = Vec::new();
    if from.description != to.description {
        not_applied.push(NotApplied {
            what: format!(
                "Description: {} → {}",
                shown(from.description.as_deref()),
                shown(to.description.as_deref())
            ),
            why: NO_UPDATE_CALL.into(),
        });
    }
    if from.route_optimized != to.route_optimized {
        not_applied.push(NotApplied {
            what: format!(
                "Route optimisation: {} → {}",
                on_off(from.route_optimized),
                on_off(to.route_optimized)
            ),
            why: NO_UPDATE_CALL.into(),
        });
    }
    Plan {
        base: base.clone(),
        steps,
        not_applied,
    }
}

/// The `PUT …/config` body for a config: every entity with its settings, and explicit routes.
pub fn config_input(c: &Config) -> EndpointCoreConfigInput {
    EndpointCoreConfigInput {
        served_entities: c
            .entities
            .iter()
            .map(|e| ServedEntityInput {
                name: Some(e.name.clone()).filter(|n| !n.is_empty()),
                entity_name: Some(e.entity_name.clone()).filter(|n| !n.is_empty()),
                entity_version: Some(e.entity_version.clone()).filter(|n| !n.is_empty()),
                workload_size: e.workload_size.clone(),
                workload_type: e.workload_type.as_deref().map(WorkloadType::parse),
                scale_to_zero_enabled: e.scale_to_zero,
                min_provisioned_concurrency: e.min_concurrency,
                max_provisioned_concurrency: e.max_concurrency,
                min_provisioned_throughput: e.min_throughput,
                max_provisioned_throughput: e.max_throughput,
                provisioned_model_units: e.model_units,
                environment_vars: (!e.env.is_empty()).then(|| e.env.clone()),
                instance_profile_arn: e.instance_profile_arn.clone(),
                external_model: e.external_model.clone(),
                burst_scaling_enabled: None,
            })
            .collect(),
        served_models: Vec::new(),
        traffic_config: (!c.routes.is_empty()).then(|| TrafficConfig {
            routes: c
                .routes
                .iter()
                .map(|(n, p)| Route {
                    served_entity_name: Some(n.clone()),
                    served_model_name: None,
                    traffic_percentage: *p,
                })
                .collect(),
        }),
        auto_capture_config: c.auto_capture.clone(),
    }
}

/// The `PUT …/ai-gateway` body: the whole gateway; a disabled inference table that keeps
/// its catalog and schema says `enabled: false` rather than leaving it out.
pub fn gateway_body(g: &AiGatewayConfig) -> AiGatewayConfig {
    let mut g = g.clone();
    if let Some(t) = g.inference_table_config.as_mut() {
        t.enabled.get_or_insert(false);
    }
    g
}

fn tags_body(
    from: &BTreeMap<String, Option<String>>,
    to: &BTreeMap<String, Option<String>>,
) -> PatchTagsRequest {
    PatchTagsRequest {
        add_tags: to
            .iter()
            .filter(|(k, v)| from.get(*k) != Some(*v))
            .map(|(k, v)| EndpointTag {
                key: k.clone(),
                value: v.clone(),
            })
            .collect(),
        delete_tags: from
            .keys()
            .filter(|k| !to.contains_key(*k))
            .cloned()
            .collect(),
    }
}

fn notifications_body(n: &Notifications) -> PatchNotificationsRequest {
    PatchNotificationsRequest {
        email_notifications: Some(EmailNotificationsInput {
            on_update_success: n.on_update_success.clone(),
            on_update_failure: n.on_update_failure.clone(),
        }),
    }
}

fn json<T: serde::Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

/// `/api/2.0/serving-endpoints/{name}{tail}`, the name percent-encoded.
pub fn path(name: &str, tail: &str) -> String {
    let mut seg = String::with_capacity(name.len());
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            seg.push(b as char);
        } else {
            seg.push_str(&format!("%{b:02X}"));
        }
    }
    format!("/api/2.0/serving-endpoints/{seg}{tail}")
}

fn shown(v: Option<&str>) -> String {
    match v {
        Some(s) => format!("“{s}”"),
        None => "none".into(),
    }
}

fn on_off(b: bool) -> &'static str {
    if b {
        "on"
    } else {
        "off"
    }
}

fn change(subject: &str, field: &str, before: Option<String>, after: Option<String>) -> Change {
    Change {
        subject: subject.into(),
        field: field.into(),
        before,
        after,
    }
}

fn tag_changes(
    from: &BTreeMap<String, Option<String>>,
    to: &BTreeMap<String, Option<String>>,
) -> Vec<Change> {
    let keys: BTreeSet<&String> = from.keys().chain(to.keys()).collect();
    let text = |v: Option<&Option<String>>| v.map(|v| v.clone().unwrap_or_default());
    keys.into_iter()
        .filter(|k| from.get(*k) != to.get(*k))
        .map(|k| change(&format!("tag {k}"), "", text(from.get(k)), text(to.get(k))))
        .collect()
}

fn notification_changes(from: &Notifications, to: &Notifications) -> Vec<Change> {
    let mut out = Vec::new();
    for (field, a, b) in [
        (
            "on update success",
            &from.on_update_success,
            &to.on_update_success,
        ),
        (
            "on update failure",
            &from.on_update_failure,
            &to.on_update_failure,
        ),
    ] {
        for e in a.iter().filter(|e| !b.contains(e)) {
            out.push(change(
                &format!("e-mail {field}"),
                "",
                Some(e.clone()),
                None,
            ));
        }
        for e in b.iter().filter(|e| !a.contains(e)) {
            out.push(change(
                &format!("e-mail {field}"),
                "",
                None,
                Some(e.clone()),
            ));
        }
    }
    out
}

fn gateway_changes(from: &AiGatewayConfig, to: &AiGatewayConfig) -> Vec<Change> {
    let parts = |g: &AiGatewayConfig| -> Vec<(&'static str, Option<String>)> {
        let j = |v: Option<String>| v.filter(|s| s != "null" && s != "[]");
        vec![
            (
                "usage tracking",
                g.usage_tracking_config.as_ref().map(|_| "on".to_string()),
            ),
            (
                "inference table",
                j(g.inference_table_config
                    .as_ref()
                    .map(|t| serde_json::to_string(t).unwrap_or_default())),
            ),
            (
                "rate limits",
                j(Some(
                    serde_json::to_string(&g.rate_limits).unwrap_or_default(),
                )),
            ),
            (
                "guardrails",
                j(g.guardrails
                    .as_ref()
                    .map(|t| serde_json::to_string(t).unwrap_or_default())),
            ),
            (
                "fallback",
                g.fallback_config.as_ref().map(|_| "on".to_string()),
            ),
        ]
    };
    parts(from)
        .into_iter()
        .zip(parts(to))
        .filter(|((_, a), (_, b))| a != b)
        .map(|((name, a), (_, b))| change("AI gateway", name, a, b))
        .collect()
}

/// The field-by-field view of an entity (environment variables apart), for diffs.
pub fn entity_fields(e: &Entity) -> Vec<(&'static str, Option<String>)> {
    let n = |v: Option<i64>| v.map(|v| v.to_string());
    vec![
        (
            "entity_name",
            Some(e.entity_name.clone()).filter(|s| !s.is_empty()),
        ),
        (
            "entity_version",
            Some(e.entity_version.clone()).filter(|s| !s.is_empty()),
        ),
        ("workload_size", e.workload_size.clone()),
        ("workload_type", e.workload_type.clone()),
        (
            "scale_to_zero_enabled",
            e.scale_to_zero.map(|b| b.to_string()),
        ),
        ("min_provisioned_concurrency", n(e.min_concurrency)),
        ("max_provisioned_concurrency", n(e.max_concurrency)),
        ("min_provisioned_throughput", n(e.min_throughput)),
        ("max_provisioned_throughput", n(e.max_throughput)),
        ("provisioned_model_units", n(e.model_units)),
        ("instance_profile_arn", e.instance_profile_arn.clone()),
        (
            "external_model",
            e.external_model
                .as_ref()
                .map(|m| serde_json::to_string(m).unwrap_or_default()),
        ),
    ]
}

fn config_changes(from: &Config, to: &Config) -> Vec<Change> {
    let mut out = Vec::new();
    let by_name = |c: &Config| -> BTreeMap<String, Entity> {
        c.entities
            .iter()
            .map(|e| (e.name.clone(), e.clone()))
            .collect()
    };
    let (a, b) = (by_name(from), by_name(to));
    for (name, e) in &a {
        let subject = format!("served entity {name}");
        match b.get(name) {
            None => out.push(change(&subject, "", Some(summary(e)), None)),
            Some(f) => {
                for ((k, x), (_, y)) in entity_fields(e).into_iter().zip(entity_fields(f)) {
                    if x != y {
                        out.push(change(&subject, k, x, y));
                    }
                }
                let keys: BTreeSet<&String> = e.env.keys().chain(f.env.keys()).collect();
                for k in keys {
                    if e.env.get(k) != f.env.get(k) {
                        out.push(change(
                            &subject,
                            &format!("environment variable {k}"),
                            e.env.get(k).cloned(),
                            f.env.get(k).cloned(),
                        ));
                    }
                }
            }
        }
    }
    for (name, e) in b.iter().filter(|(n, _)| !a.contains_key(*n)) {
        out.push(change(
            &format!("served entity {name}"),
            "",
            None,
            Some(summary(e)),
        ));
    }
    let names: BTreeSet<&String> = from.routes.keys().chain(to.routes.keys()).collect();
    for n in names {
        let (x, y) = (from.routes.get(n), to.routes.get(n));
        if x != y {
            let pct = |v: Option<&i64>| v.map(|p| format!("{p} %"));
            out.push(change("traffic", n, pct(x), pct(y)));
        }
    }
    if from.auto_capture != to.auto_capture {
        let t = |v: &Option<Value>| v.as_ref().map(Value::to_string);
        out.push(change(
            "auto_capture_config",
            "",
            t(&from.auto_capture),
            t(&to.auto_capture),
        ));
    }
    out
}

/// One line about an entity: "main.risk.fraud_xgb version 8, Small CPU, scale to zero".
pub fn summary(e: &Entity) -> String {
    if let Some(m) = &e.external_model {
        return format!(
            "external model {} ({})",
            m.name.as_deref().unwrap_or("?"),
            m.provider.as_deref().unwrap_or("?")
        );
    }
    let mut s = e.entity_name.clone();
    if !e.entity_version.is_empty() {
        s.push_str(&format!(" version {}", e.entity_version));
    }
    match (&e.workload_size, e.min_concurrency, e.max_concurrency) {
        (Some(w), _, _) => s.push_str(&format!(", {w}")),
        (None, Some(a), Some(b)) => s.push_str(&format!(", concurrency {a}–{b}")),
        _ => {}
    }
    if let Some(t) = &e.workload_type {
        s.push_str(&format!(" {t}"));
    }
    if e.scale_to_zero == Some(true) {
        s.push_str(", scale to zero");
    }
    s
}

/// What the endpoint becomes once every step of `plan` succeeded, computed from the request
/// bodies alone (the property tests check that it is the edit). `Err` when a body cannot be
/// read back, which would be a bug in this module.
pub fn simulate(current: &Desired, plan: &Plan) -> Result<Desired, String> {
    let mut d = current.clone();
    for s in &plan.steps {
        let body = s.request.body.clone();
        let err = |e: serde_json::Error| format!("{}: {e}", s.call.label());
        match s.call {
            Call::Tags => {
                let b: PatchTagsRequest = serde_json::from_value(body).map_err(err)?;
                for k in &b.delete_tags {
                    d.tags.remove(k);
                }
                for t in b.add_tags {
                    d.tags
                        .insert(t.key, normalize::tag_value(t.value.as_deref()));
                }
            }
            Call::AiGateway => {
                d.ai_gateway = normalize::gateway(serde_json::from_value(body).map_err(err)?);
            }
            Call::Config => {
                let b: EndpointCoreConfigInput = serde_json::from_value(body).map_err(err)?;
                d.config = normalize::config_from_input(&b);
            }
            Call::Notifications => {
                let b: PatchNotificationsRequest = serde_json::from_value(body).map_err(err)?;
                let n = b.email_notifications.unwrap_or_default();
                d.notifications =
                    normalize::notifications(&n.on_update_success, &n.on_update_failure);
            }
        }
    }
    d.ai_gateway = normalize::gateway(d.ai_gateway);
    Ok(d)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    fn ready() -> Snapshot {
        Snapshot::from_endpoint(
            &serde_json::from_str(api_fixtures::get("get_custom_ready.json")).unwrap(),
        )
    }

    #[test]
    fn nothing_changed_is_an_empty_plan() {
        let s = ready();
        let p = plan(&s, &s.desired);
        assert!(p.is_empty(), "{:?}", p.steps);
        assert!(p.not_applied.is_empty());
    }

    #[test]
    fn traffic_shift_is_one_config_step_that_redeploys() {
        let s = ready();
        let mut e = s.desired.clone();
        e.config.routes.insert("fraud_xgb-7".into(), 50);
        e.config.routes.insert("fraud_xgb-8".into(), 50);
        let p = plan(&s, &e);
        assert_eq!(p.steps.len(), 1);
        let st = &p.steps[0];
        assert_eq!(st.call, Call::Config);
        assert_eq!(
            st.effect,
            Effect::Redeploys {
                next_version: Some(13)
            }
        );
        assert_eq!(
            st.effect.label(),
            "redeploys: a new config version (13), minutes"
        );
        assert_eq!(st.request.method, "PUT");
        assert_eq!(
            st.request.path,
            "/api/2.0/serving-endpoints/fraud-detector-prod/config"
        );
        assert_eq!(
            st.changes,
            vec![
                change(
                    "traffic",
                    "fraud_xgb-7",
                    Some("90 %".into()),
                    Some("50 %".into())
                ),
                change(
                    "traffic",
                    "fraud_xgb-8",
                    Some("10 %".into()),
                    Some("50 %".into())
                ),
            ]
        );
        // The whole config is sent, each entity with scale_to_zero_enabled, routes explicit.
        let b = &st.request.body;
        assert_eq!(b["served_entities"].as_array().unwrap().len(), 2);
        for e in b["served_entities"].as_array().unwrap() {
            assert!(e["scale_to_zero_enabled"].is_boolean(), "{e}");
            assert!(e.get("state").is_none() && e.get("creator").is_none());
        }
        assert_eq!(
            b["traffic_config"],
            json!({"routes": [
                {"served_entity_name": "fraud_xgb-7", "traffic_percentage": 50},
                {"served_entity_name": "fraud_xgb-8", "traffic_percentage": 50}
            ]})
        );
        assert_eq!(
            b["served_entities"][0]["environment_vars"]["ONLINE_STORE_TOKEN"],
            "{{secrets/fraud-serving/online-store-token}}",
            "secret references are sent back as references"
        );
    }

    #[test]
    fn steps_come_in_cli_order_with_their_effects() {
        let s = ready();
        let mut e = s.desired.clone();
        e.notifications.on_update_success = vec!["x@contoso.com".into()];
        e.config.entities[1].entity_version = "9".into();
        e.ai_gateway.fallback_config = Some(api_types::EnabledFlag {
            enabled: Some(true),
        });
        e.tags.remove("pii");
        e.tags.insert("owner".into(), Some("risk".into()));
        let p = plan(&s, &e);
        let calls: Vec<Call> = p.steps.iter().map(|s| s.call).collect();
        assert_eq!(
            calls,
            [
                Call::Tags,
                Call::AiGateway,
                Call::Config,
                Call::Notifications
            ]
        );
        let effects: Vec<bool> = p
            .steps
            .iter()
            .map(|s| s.effect == Effect::AppliesAtOnce)
            .collect();
        assert_eq!(effects, [true, true, false, true]);
        assert_eq!(
            p.steps[0].request.body,
            json!({"add_tags": [{"key": "owner", "value": "risk"}], "delete_tags": ["pii"]})
        );
        assert_eq!(
            p.steps[3].request.body,
            json!({"email_notifications": {"on_update_success": ["x@contoso.com"],
                "on_update_failure": ["risk-ml-oncall@contoso.com"]}})
        );
        assert_eq!(p.steps[3].request.method, "PATCH");
    }

    #[test]
    fn gateway_put_carries_every_part_not_just_the_change() {
        let s = ready();
        let mut e = s.desired.clone();
        e.ai_gateway.usage_tracking_config = None;
        let p = plan(&s, &e);
        let st = p.step(Call::AiGateway).unwrap();
        assert_eq!(st.request.method, "PUT");
        assert_eq!(
            st.request.body,
            json!({"inference_table_config": {"catalog_name": "main",
                "schema_name": "risk_monitoring", "table_name_prefix": "fraud_detector_prod",
                "enabled": true}}),
            "the inference table the user did not touch is sent again"
        );
        assert_eq!(
            st.changes,
            vec![change(
                "AI gateway",
                "usage tracking",
                Some("on".into()),
                None
            )]
        );
    }

    #[test]
    fn description_and_route_optimisation_are_reported_not_sent() {
        let s = ready();
        let mut e = s.desired.clone();
        e.description = Some("new".into());
        e.route_optimized = true;
        let p = plan(&s, &e);
        assert!(p.is_empty());
        assert_eq!(p.not_applied.len(), 2);
        assert!(p.not_applied[0].what.starts_with("Description"));
        assert!(p.not_applied[1].what.contains("off → on"));
        assert_eq!(p.not_applied[0].why, NO_UPDATE_CALL);
    }

    #[test]
    fn added_and_removed_entities_are_one_line_each() {
        let s = ready();
        let mut e = s.desired.clone();
        let mut new = e.config.entities[1].clone();
        new.name = "fraud_xgb-9".into();
        new.entity_version = "9".into();
        e.config.entities.remove(0);
        e.config.entities.push(new);
        e.config.routes = BTreeMap::from([
            ("fraud_xgb-8".to_string(), 50),
            ("fraud_xgb-9".to_string(), 50),
        ]);
        let p = plan(&s, &e);
        let ch = &p.step(Call::Config).unwrap().changes;
        assert_eq!(
            ch[0],
            change(
                "served entity fraud_xgb-7",
                "",
                Some("main.risk.fraud_xgb version 7, Medium CPU".into()),
                None
            )
        );
        assert_eq!(
            ch[1],
            change(
                "served entity fraud_xgb-9",
                "",
                None,
                Some("main.risk.fraud_xgb version 9, Small CPU, scale to zero".into())
            )
        );
        assert_eq!(ch.len(), 5, "{ch:?}");
    }

    #[test]
    fn env_var_changes_are_named() {
        let s = ready();
        let mut e = s.desired.clone();
        e.config.entities[0]
            .env
            .insert("FEATURE_SET".into(), "v3".into());
        let p = plan(&s, &e);
        assert_eq!(
            p.step(Call::Config).unwrap().changes,
            vec![change(
                "served entity fraud_xgb-7",
                "environment variable FEATURE_SET",
                Some("v2".into()),
                Some("v3".into())
            )]
        );
    }

    #[test]
    fn the_path_is_encoded() {
        assert_eq!(
            path("a b/c", "/tags"),
            "/api/2.0/serving-endpoints/a%20b%2Fc/tags"
        );
    }

    #[test]
    fn simulate_applies_the_bodies() {
        let s = ready();
        let mut e = s.desired.clone();
        e.tags.clear();
        e.notifications = Notifications::default();
        e.config.entities[0].scale_to_zero = Some(true);
        let p = plan(&s, &e);
        assert_eq!(simulate(&s.desired, &p).unwrap(), e);
    }
}
