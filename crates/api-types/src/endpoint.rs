//! Serving endpoints: list items, detailed GET, configs, served entities (§3).

use crate::enums::*;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// `GET /api/2.0/serving-endpoints` → `{ "endpoints": [...] }`; the key may be absent when empty.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ListEndpointsResponse {
    #[serde(default)]
    pub endpoints: Vec<ServingEndpoint>,
}

/// `{ key, value? }`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndpointTag {
    #[serde(default)]
    pub key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// `state` (§3.3). `update_state` is the stale doc spelling, read only as a fallback.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EndpointState {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ready: Option<ReadyState>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_update: Option<ConfigUpdateState>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update_state: Option<ConfigUpdateState>,
    /// UNCONFIRMED third-party field: `"STOPPED"` on a stopped endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suspend: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pt_state: Option<Value>,
}

impl EndpointState {
    /// `config_update`, falling back to `update_state`.
    pub fn config_update(&self) -> Option<&ConfigUpdateState> {
        self.config_update.as_ref().or(self.update_state.as_ref())
    }
}

/// `foundation_model` of a served entity.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FoundationModel {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docs: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// `external_model` of a served entity; the provider config objects are kept as JSON.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ExternalModel {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task: Option<String>,
    /// `openai_config`, `anthropic_config`, … (one per provider).
    #[serde(flatten)]
    pub provider_config: BTreeMap<String, Value>,
}

/// `served_entities[].state`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ServedModelState {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment: Option<DeploymentState>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment_state_message: Option<String>,
}

/// One served entity in the list summary (`ServedEntitySpec`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ServedEntitySpec {
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_model: Option<ExternalModel>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub foundation_model: Option<FoundationModel>,
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub entity_type: Option<EntityType>,
}

/// Legacy `served_models` item in the list summary.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ServedModelSpec {
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_version: Option<String>,
}

/// `config` of a list item: served entities only.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EndpointCoreConfigSummary {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub served_entities: Vec<ServedEntitySpec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub served_models: Vec<ServedModelSpec>,
}

/// One served entity of a detailed config (`ServedEntityOutput`, §3.5).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ServedEntityOutput {
    #[serde(default)]
    pub name: String,
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub entity_type: Option<EntityType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workload_size: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workload_type: Option<WorkloadType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale_to_zero_enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_provisioned_concurrency: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_provisioned_concurrency: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_provisioned_throughput: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_provisioned_throughput: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provisioned_model_units: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment_vars: Option<BTreeMap<String, String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_profile_arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_model: Option<ExternalModel>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub foundation_model: Option<FoundationModel>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<ServedModelState>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creator: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creation_timestamp: Option<i64>,
}

impl ServedEntityOutput {
    /// The deployment state, if reported.
    pub fn deployment(&self) -> Option<&DeploymentState> {
        self.state.as_ref().and_then(|s| s.deployment.as_ref())
    }

    /// The deployment message, if non-empty.
    pub fn message(&self) -> Option<&str> {
        self.state
            .as_ref()
            .and_then(|s| s.deployment_state_message.as_deref())
            .filter(|m| !m.trim().is_empty())
    }

    /// The list-summary form of this entity.
    pub fn spec(&self) -> ServedEntitySpec {
        ServedEntitySpec {
            name: self.name.clone(),
            entity_name: self.entity_name.clone(),
            entity_version: self.entity_version.clone(),
            external_model: self.external_model.clone(),
            foundation_model: self.foundation_model.clone(),
            entity_type: self.entity_type.clone(),
        }
    }
}

/// Legacy `served_models` item of a detailed config.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ServedModelOutput {
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workload_size: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workload_type: Option<WorkloadType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale_to_zero_enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment_vars: Option<BTreeMap<String, String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_profile_arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<ServedModelState>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creator: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creation_timestamp: Option<i64>,
}

/// `traffic_config.routes[]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Route {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub served_entity_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub served_model_name: Option<String>,
    #[serde(default)]
    pub traffic_percentage: i64,
}

impl Route {
    /// The entity this route sends traffic to.
    pub fn target(&self) -> &str {
        self.served_entity_name
            .as_deref()
            .or(self.served_model_name.as_deref())
            .unwrap_or("")
    }
}

/// `traffic_config`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TrafficConfig {
    #[serde(default)]
    pub routes: Vec<Route>,
}

/// `config` (served now) and `pending_config` (being rolled out) of a detailed endpoint (§3.4).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EndpointCoreConfigOutput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<i64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub served_entities: Vec<ServedEntityOutput>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub served_models: Vec<ServedModelOutput>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub traffic_config: Option<TrafficConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_capture_config: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_version: Option<i64>,
}

/// `{ enabled }`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EnabledFlag {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
}

/// `ai_gateway.inference_table_config`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct InferenceTableConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catalog_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table_name_prefix: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
}

/// `ai_gateway.rate_limits[]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AiGatewayRateLimit {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calls: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tokens: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub principal: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renewal_period: Option<String>,
}

/// `{ behavior }`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PiiBehavior {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub behavior: Option<String>,
}

/// Guardrail parameters for input or output.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GuardrailParameters {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub safety: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pii: Option<PiiBehavior>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub invalid_keywords: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub valid_topics: Vec<String>,
}

/// `ai_gateway.guardrails`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AiGatewayGuardrails {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<GuardrailParameters>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<GuardrailParameters>,
}

/// `ai_gateway` (§3.7).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AiGatewayConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage_tracking_config: Option<EnabledFlag>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inference_table_config: Option<InferenceTableConfig>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rate_limits: Vec<AiGatewayRateLimit>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guardrails: Option<AiGatewayGuardrails>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fallback_config: Option<EnabledFlag>,
}

/// `email_notifications`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EmailNotifications {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub on_update_failure: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub on_update_success: Vec<String>,
}

/// One element of the list response (§3.1).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ServingEndpoint {
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creator: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creation_timestamp: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_updated_timestamp: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<EndpointState>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<EndpointCoreConfigSummary>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<EndpointTag>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ai_gateway: Option<AiGatewayConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget_policy_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage_policy_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub telemetry_config: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uc_system_metrics_export_state: Option<String>,
}

/// `GET /api/2.0/serving-endpoints/{name}` (§3.2).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ServingEndpointDetailed {
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creator: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creation_timestamp: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_updated_timestamp: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<EndpointState>,
    /// Absent while the very first config is still deploying, or if it never succeeded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<EndpointCoreConfigOutput>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending_config: Option<EndpointCoreConfigOutput>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<EndpointTag>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ai_gateway: Option<AiGatewayConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_notifications: Option<EmailNotifications>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget_policy_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage_policy_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub telemetry_config: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uc_system_metrics_export_state: Option<String>,
    /// The caller's level on this endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permission_level: Option<PermissionLevel>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route_optimized: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_plane_info: Option<Value>,
    /// OBSERVED, undocumented (§3.10).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creator_display_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creator_kind: Option<String>,
}

impl ServingEndpointDetailed {
    /// The list-item form of this endpoint, as `GET /serving-endpoints` returns it.
    pub fn summary(&self) -> ServingEndpoint {
        let config = self.config.as_ref().map(|c| EndpointCoreConfigSummary {
            served_entities: c
                .served_entities
                .iter()
                .map(ServedEntityOutput::spec)
                .collect(),
            served_models: c
                .served_models
                .iter()
                .map(|m| ServedModelSpec {
                    name: m.name.clone(),
                    model_name: m.model_name.clone(),
                    model_version: m.model_version.clone(),
                })
                .collect(),
        });
        ServingEndpoint {
            name: self.name.clone(),
            id: self.id.clone(),
            creator: self.creator.clone(),
            creation_timestamp: self.creation_timestamp,
            last_updated_timestamp: self.last_updated_timestamp,
            state: self.state.clone().map(|mut s| {
                s.update_state = None;
                s.suspend = None;
                s
            }),
            config,
            tags: self.tags.clone(),
            task: self.task.clone(),
            ai_gateway: self.ai_gateway.clone(),
            budget_policy_id: self.budget_policy_id.clone(),
            usage_policy_id: self.usage_policy_id.clone(),
            description: self.description.clone(),
            telemetry_config: self.telemetry_config.clone(),
            uc_system_metrics_export_state: self.uc_system_metrics_export_state.clone(),
        }
    }
}
