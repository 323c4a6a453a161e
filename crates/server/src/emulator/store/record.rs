//! One endpoint as the emulator keeps it: the real GET shape plus the emulator's own fields
//! (ACL, scripted transition, signatures, fixed logs, display names), and what can be read of it.

use super::grant::Grant;
use crate::emulator::seed_file::{FailingVersions, FailureKind, LogTexts};
use crate::emulator::signature::Signatures;
use api_types::{
    ConfigUpdateState, DeploymentState, EntityType, PermissionLevel, ServingEndpointDetailed,
};
use std::collections::BTreeMap;

/// One endpoint as the emulator keeps it.
#[derive(Debug, Clone)]
pub struct EndpointRecord {
    pub(super) detailed: ServingEndpointDetailed,
    /// Direct grants (the inherited `admins` entry is implicit).
    pub acl: Vec<Grant>,
    /// When the running config update (`IN_PROGRESS`) ends, in emulated ms.
    pub(super) next_transition_at: Option<i64>,
    /// `Some(message)`: that update ends in `UPDATE_FAILED` with this message.
    pub(super) will_fail: Option<String>,
    /// The served entity (of the pending config) that fails; `None`: the first one.
    pub(super) failing_entity: Option<String>,
    /// Entity versions that fail to deploy (seed hint `failing_versions`).
    pub failing_versions: FailingVersions,
    /// The scripted transition ends a stop (`config:stop`) rather than a config update.
    pub(super) stopping: bool,
    /// `Some(message)`: every start (`config:start`) of this endpoint fails with this message.
    pub(super) start_fails: Option<String>,
    /// The list-item JSON of this endpoint, kept in step with `detailed`.
    pub(super) summary_json: String,
    /// The MLflow signatures of its served models (OpenAPI document, invocations).
    pub signatures: Signatures,
    /// Fixed log texts (seed `_emulator.logs`); absent ones are generated.
    pub logs: LogTexts,
    /// Display names of principals by name (seed `_emulator.display_names`).
    pub display_names: BTreeMap<String, String>,
    /// Nobody queries it: its `/metrics` report 0 requests while it stays provisioned (the
    /// idle and costing endpoints of `--generate`).
    pub idle: bool,
}

impl EndpointRecord {
    /// A record from an endpoint in GET shape; the caller-dependent `permission_level` is dropped,
    /// and `description`/`route_optimized` are filled in as the real backend always sends them.
    pub fn new(mut detailed: ServingEndpointDetailed, acl: Vec<Grant>) -> Self {
        detailed.permission_level = None;
        if detailed.description.is_none() {
            detailed.description = Some(String::new());
        }
        if detailed.route_optimized.is_none() {
            detailed.route_optimized = Some(false);
        }
        let summary_json = summary_json_of(&detailed);
        EndpointRecord {
            detailed,
            acl,
            next_transition_at: None,
            will_fail: None,
            failing_entity: None,
            failing_versions: FailingVersions::new(),
            stopping: false,
            start_fails: None,
            summary_json,
            signatures: Default::default(),
            logs: Default::default(),
            display_names: BTreeMap::new(),
            idle: false,
        }
    }

    /// The stored endpoint (no `permission_level`).
    pub fn detailed(&self) -> &ServingEndpointDetailed {
        &self.detailed
    }

    /// Endpoint name.
    pub fn name(&self) -> &str {
        &self.detailed.name
    }

    /// Endpoint id.
    pub fn id(&self) -> Option<&str> {
        self.detailed.id.as_deref()
    }

    /// Change the endpoint; the cached list item follows.
    pub fn update(&mut self, f: impl FnOnce(&mut ServingEndpointDetailed)) {
        f(&mut self.detailed);
        self.detailed.permission_level = None;
        self.summary_json = summary_json_of(&self.detailed);
    }

    /// The list item (`ServingEndpoint`) as JSON.
    pub fn summary_json(&self) -> &str {
        &self.summary_json
    }

    /// The GET response for a caller at `level`.
    pub fn view(&self, level: PermissionLevel) -> ServingEndpointDetailed {
        let mut d = self.detailed.clone();
        d.permission_level = Some(level);
        d
    }

    /// When the running update ends, if one is scripted.
    pub fn next_transition_at(&self) -> Option<i64> {
        self.next_transition_at
    }

    /// The failure message the running update will end with, if it is scripted to fail.
    pub fn will_fail(&self) -> Option<&str> {
        self.will_fail.as_deref()
    }

    /// The served entity of the pending config that the running update fails on, if scripted
    /// (`None` with a failing update: the first entity).
    pub fn failing_entity(&self) -> Option<&str> {
        self.failing_entity.as_deref()
    }

    /// How `entity_name` version `version` fails to deploy, if it does (seed `failing_versions`).
    pub fn failure_of(&self, entity_name: &str, version: &str) -> Option<FailureKind> {
        self.failing_versions
            .get(entity_name)
            .and_then(|v| v.get(version))
            .copied()
    }

    /// Make every later start of this endpoint fail with `message` (seed hint `start_fails`).
    pub fn set_start_fails(&mut self, message: Option<String>) {
        self.start_fails = message;
    }

    /// Is a stop under way (`NOT_READY` + `IN_PROGRESS` until it lands)?
    pub fn is_stopping(&self) -> bool {
        self.stopping
    }

    /// Is the endpoint stopped (every served entity `DEPLOYMENT_STOPPED`, or `state.suspend`)?
    pub fn is_stopped(&self) -> bool {
        let d = &self.detailed;
        if d.state.as_ref().and_then(|s| s.suspend.as_deref()) == Some("STOPPED") {
            return true;
        }
        d.config.as_ref().is_some_and(|c| {
            !c.served_entities.is_empty()
                && c.served_entities
                    .iter()
                    .all(|e| e.deployment() == Some(&DeploymentState::Stopped))
        })
    }

    /// Is a config update running?
    pub fn is_updating(&self) -> bool {
        self.detailed.state.as_ref().and_then(|s| s.config_update())
            == Some(&ConfigUpdateState::InProgress)
    }

    /// Does the endpoint serve only custom models (no external or foundation model)?
    pub fn is_custom_model(&self) -> bool {
        let d = &self.detailed;
        let entities = d
            .config
            .iter()
            .chain(d.pending_config.iter())
            .flat_map(|c| c.served_entities.iter());
        let mut any = false;
        for e in entities {
            any = true;
            let non_custom = e.external_model.is_some()
                || e.foundation_model.is_some()
                || matches!(
                    e.entity_type,
                    Some(EntityType::ExternalModel) | Some(EntityType::FoundationModel)
                );
            if non_custom {
                return false;
            }
        }
        any || d
            .config
            .iter()
            .chain(d.pending_config.iter())
            .any(|c| !c.served_models.is_empty())
    }
}

fn summary_json_of(d: &ServingEndpointDetailed) -> String {
    serde_json::to_string(&d.summary()).unwrap_or_else(|e| {
        tracing::error!("cannot serialize endpoint {}: {e}", d.name);
        format!("{{\"name\":{}}}", serde_json::Value::String(d.name.clone()))
    })
}
