//! Request and response bodies of the calls that change an endpoint (issue #15) and of the
//! Unity Catalog model-versions list. See `docs/serving-api-changes.md` for the marks.
//!
//! Requests are written by the console; responses are decoded as forgivingly as every other
//! wire type (unknown fields ignored, absent lists empty).

use crate::endpoint::{EmailNotifications, EndpointTag, ExternalModel, TrafficConfig};
use crate::enums::WorkloadType;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// One served entity of `PUT …/config` (`ServedEntityInput`). CONFIRMED field names.
///
/// `scale_to_zero_enabled` is an `Option` only so that a pasted JSON without it can be
/// reported; the console never sends a custom-model entity without it (the server answers
/// "scaleToZeroEnabled is undefined. Please set it to either true or false.").
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ServedEntityInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
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
    /// Write-only (never echoed by GET, OBSERVED): accepted on import, never compared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub burst_scaling_enabled: Option<bool>,
}

/// Legacy `served_models[]` of `PUT …/config` (deprecated; read on import only).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ServedModelInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
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
}

/// Body of `PUT /api/2.0/serving-endpoints/{name}/config` (`EndpointCoreConfigInput` without
/// its path-only `name`): the whole desired config. This is also the JSON that
/// `databricks serving-endpoints update-config NAME --json` takes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EndpointCoreConfigInput {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub served_entities: Vec<ServedEntityInput>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub served_models: Vec<ServedModelInput>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub traffic_config: Option<TrafficConfig>,
    /// Legacy inference tables (`AutoCaptureConfigInput`), kept as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_capture_config: Option<Value>,
}

/// Body of `PATCH /api/2.0/serving-endpoints/{name}/tags`. CONFIRMED.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PatchTagsRequest {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub add_tags: Vec<EndpointTag>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub delete_tags: Vec<String>,
}

/// Answer of `PATCH …/tags`: the whole resulting list. CONFIRMED.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EndpointTags {
    #[serde(default)]
    pub tags: Vec<EndpointTag>,
}

/// `email_notifications` as the console sends it: both lists always present, so that an
/// emptied list is sent as `[]` rather than left out (the PATCH semantics of an absent list
/// are UNCONFIRMED; an explicit list is unambiguous).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EmailNotificationsInput {
    #[serde(default)]
    pub on_update_success: Vec<String>,
    #[serde(default)]
    pub on_update_failure: Vec<String>,
}

/// Body of `PATCH /api/2.0/serving-endpoints/{name}/notifications`. CONFIRMED (API reference
/// "Update Inference Endpoint Notifications").
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PatchNotificationsRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_notifications: Option<EmailNotificationsInput>,
}

/// Answer of `PATCH …/notifications`: `{ name, email_notifications }`. CONFIRMED.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NotificationsResponse {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_notifications: Option<EmailNotifications>,
}

/// Unity Catalog `ModelVersionInfo`, the fields the console offers in a version picker.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ModelVersionInfo {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catalog_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema_name: Option<String>,
    /// An integer in the API reference; read as text so that a string never fails the list.
    #[serde(
        default,
        deserialize_with = "int_or_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub version: Option<String>,
    /// `PENDING_REGISTRATION`, `FAILED_REGISTRATION`, `READY` (kept as text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_id: Option<String>,
}

/// `GET /api/2.1/unity-catalog/models/{full_name}/versions` → one page. CONFIRMED; a page may
/// be empty and still carry `next_page_token`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ListModelVersionsResponse {
    #[serde(default)]
    pub model_versions: Vec<ModelVersionInfo>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_page_token: Option<String>,
}

fn int_or_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(Value::String(s)) => Some(s),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    #[test]
    fn tag_patch_leaves_out_empty_lists() {
        let b = PatchTagsRequest {
            add_tags: vec![EndpointTag {
                key: "env".into(),
                value: Some("prod".into()),
            }],
            delete_tags: vec![],
        };
        assert_eq!(
            serde_json::to_value(&b).unwrap(),
            json!({"add_tags":[{"key":"env","value":"prod"}]})
        );
    }

    #[test]
    fn notifications_send_emptied_lists() {
        let b = PatchNotificationsRequest {
            email_notifications: Some(EmailNotificationsInput::default()),
        };
        assert_eq!(
            serde_json::to_value(&b).unwrap(),
            json!({"email_notifications":{"on_update_success":[],"on_update_failure":[]}})
        );
    }

    #[test]
    fn model_versions_read_numbers_and_strings() {
        let r: ListModelVersionsResponse = serde_json::from_value(json!({
            "model_versions": [
                {"model_name": "m", "version": 3, "status": "READY"},
                {"version": "4"},
                {"version": null}
            ],
            "next_page_token": "t"
        }))
        .unwrap();
        let v: Vec<_> = r
            .model_versions
            .iter()
            .map(|m| m.version.as_deref())
            .collect();
        assert_eq!(v, vec![Some("3"), Some("4"), None]);
        assert_eq!(r.next_page_token.as_deref(), Some("t"));
        let empty: ListModelVersionsResponse = serde_json::from_str("{}").unwrap();
        assert!(empty.model_versions.is_empty());
    }

    #[test]
    fn config_input_keeps_the_update_config_shape() {
        let text = r#"{"served_entities":[{"name":"a","entity_name":"m.s.x","entity_version":"2",
            "workload_size":"Small","scale_to_zero_enabled":true}],
            "traffic_config":{"routes":[{"served_entity_name":"a","traffic_percentage":100}]}}"#;
        let c: EndpointCoreConfigInput = serde_json::from_str(text).unwrap();
        let again = serde_json::to_value(&c).unwrap();
        assert_eq!(again["served_entities"][0]["scale_to_zero_enabled"], true);
        assert_eq!(
            again["traffic_config"]["routes"][0]["traffic_percentage"],
            100
        );
        assert!(again.get("served_models").is_none());
    }
}
