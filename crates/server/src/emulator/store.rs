//! The emulator's state: endpoints by name, each with its ACL and its scripted future.
//!
//! A record keeps the endpoint in its real GET shape ([`ServingEndpointDetailed`], without the
//! caller-dependent `permission_level`) plus internal fields:
//! - `acl`: the direct grants (the `admins` group's inherited `CAN_MANAGE` from
//!   `/serving-endpoints/` is implicit and always present);
//! - `next_transition_at` / `will_fail`: when the running config update ends, and whether it
//!   ends in `UPDATE_FAILED` (with that message on the pending entities).
//!
//! Time advances lazily: [`Store::advance`] applies every transition due at `now`; the state
//! layer calls it before each request is answered.

use super::principals::{display_name_of, Identity, ADMINS_GROUP};
use api_types::{
    AccessControlResponse, ConfigUpdateState, DeploymentState, EndpointCoreConfigOutput,
    EntityType, ObjectPermissions, Permission, PermissionLevel, Principal, ReadyState,
    ServedModelState, ServingEndpointDetailed,
};
use std::collections::{BTreeMap, HashMap};

/// The root object serving-endpoint permissions inherit from.
pub const ROOT_OBJECT: &str = "/serving-endpoints/";
/// `object_type` of serving-endpoint permissions.
pub const OBJECT_TYPE: &str = "serving-endpoint";

/// Message on the entities of a stopped endpoint.
pub const STOPPED_MESSAGE: &str = "Served entity is stopped.";

/// Message on the sibling entities of a failed entity.
pub const ABORTED_MESSAGE: &str =
    "Served entity creation aborted because another served entity in this config version failed.";

/// One direct grant of an endpoint's ACL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub principal: Principal,
    pub level: PermissionLevel,
}

impl Grant {
    /// A grant of `level` to `principal`.
    pub fn new(principal: Principal, level: PermissionLevel) -> Self {
        Grant { principal, level }
    }
}

/// One endpoint as the emulator keeps it.
#[derive(Debug, Clone)]
pub struct EndpointRecord {
    detailed: ServingEndpointDetailed,
    /// Direct grants (the inherited `admins` entry is implicit).
    pub acl: Vec<Grant>,
    /// When the running config update (`IN_PROGRESS`) ends, in emulated ms.
    next_transition_at: Option<i64>,
    /// `Some(message)`: that update ends in `UPDATE_FAILED` with this message.
    will_fail: Option<String>,
    /// The scripted transition ends a stop (`config:stop`) rather than a config update.
    stopping: bool,
    /// `Some(message)`: every start (`config:start`) of this endpoint fails with this message.
    start_fails: Option<String>,
    /// The list-item JSON of this endpoint, kept in step with `detailed`.
    summary_json: String,
    /// The MLflow signatures of its served models (OpenAPI document, invocations).
    pub signatures: super::signature::Signatures,
    /// Fixed log texts (seed `_emulator.logs`); absent ones are generated.
    pub logs: super::seed::LogTexts,
    /// Display names of principals by name (seed `_emulator.display_names`).
    pub display_names: BTreeMap<String, String>,
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
            stopping: false,
            start_fails: None,
            summary_json,
            signatures: Default::default(),
            logs: Default::default(),
            display_names: BTreeMap::new(),
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

    /// Script the end of the running update: at `at_ms`, succeed (`None`) or fail with a message.
    pub fn schedule(&mut self, at_ms: i64, will_fail: Option<String>) {
        self.next_transition_at = Some(at_ms);
        self.will_fail = will_fail;
    }

    /// Drop any scripted transition.
    pub fn unschedule(&mut self) {
        self.next_transition_at = None;
        self.will_fail = None;
        self.stopping = false;
    }

    /// Make every later start of this endpoint fail with `message` (seed hint `start_fails`).
    pub fn set_start_fails(&mut self, message: Option<String>) {
        self.start_fails = message;
    }

    /// Is a stop under way (`NOT_READY` + `IN_PROGRESS` until it lands)?
    pub fn is_stopping(&self) -> bool {
        self.stopping
    }

    /// The caller's effective level: max over direct grants, group grants and admin.
    pub fn level_for(&self, who: &Identity) -> Option<PermissionLevel> {
        if who.is_admin() {
            return Some(PermissionLevel::CanManage);
        }
        self.acl
            .iter()
            .filter(|g| who.is_covered_by(&g.principal))
            .map(|g| &g.level)
            .max_by_key(|l| l.rank())
            .filter(|l| l.rank() > 0)
            .cloned()
    }

    /// Apply the scripted transition if it is due at `now_ms`. Returns whether anything changed.
    pub fn advance(&mut self, now_ms: i64) -> bool {
        match self.next_transition_at {
            Some(at) if at <= now_ms => {}
            _ => return false,
        }
        if self.stopping {
            self.stop(at_or(self.next_transition_at, now_ms));
            return true;
        }
        let fail = self.will_fail.take();
        self.next_transition_at = None;
        self.update(|d| match fail {
            None => finish_update(d),
            Some(message) => fail_update(d, &message),
        });
        true
    }

    /// Begin a config update (create, update-config, start): `pending` becomes `pending_config`
    /// with the next `config_version`, `start_time = now_ms` and every entity
    /// `DEPLOYMENT_CREATING`; the old config (if any) keeps serving. The update ends at
    /// `finish_at` (failing with `will_fail`, if given).
    pub fn begin_update(
        &mut self,
        mut pending: EndpointCoreConfigOutput,
        now_ms: i64,
        finish_at: i64,
        will_fail: Option<String>,
    ) {
        let current = [&self.detailed.config, &self.detailed.pending_config]
            .iter()
            .filter_map(|c| c.as_ref().and_then(|c| c.config_version))
            .max()
            .unwrap_or(0);
        pending.config_version = Some(current + 1);
        pending.start_time = Some(now_ms);
        for e in &mut pending.served_entities {
            set_deployment(&mut e.state, DeploymentState::Creating, "Creating");
        }
        for m in &mut pending.served_models {
            set_deployment(&mut m.state, DeploymentState::Creating, "Creating");
        }
        self.update(|d| {
            let serving = d.config.as_ref().is_some_and(config_is_serving);
            d.pending_config = Some(pending);
            d.last_updated_timestamp = Some(now_ms);
            let mut state = d.state.take().unwrap_or_default();
            state.ready = Some(if serving {
                ReadyState::Ready
            } else {
                ReadyState::NotReady
            });
            state.config_update = Some(ConfigUpdateState::InProgress);
            state.update_state = None;
            state.suspend = None;
            d.state = Some(state);
        });
        self.schedule(finish_at, will_fail);
        self.stopping = false;
    }

    /// Stop the endpoint: entities of the served config `DEPLOYMENT_STOPPED`,
    /// `NOT_READY/NOT_UPDATING`, `config_version` unchanged. (Preconditions are the caller's.)
    pub fn stop(&mut self, now_ms: i64) {
        self.unschedule();
        self.update(|d| {
            if let Some(c) = d.config.as_mut() {
                for e in &mut c.served_entities {
                    set_deployment(&mut e.state, DeploymentState::Stopped, STOPPED_MESSAGE);
                }
                for m in &mut c.served_models {
                    set_deployment(&mut m.state, DeploymentState::Stopped, STOPPED_MESSAGE);
                }
            }
            d.pending_config = None;
            d.last_updated_timestamp = Some(now_ms);
            let mut state = d.state.take().unwrap_or_default();
            state.ready = Some(ReadyState::NotReady);
            state.config_update = Some(ConfigUpdateState::NotUpdating);
            state.update_state = None;
            d.state = Some(state);
        });
    }

    /// Begin stopping (`config:stop`): `NOT_READY` + `IN_PROGRESS` while the compute shuts
    /// down, entities unchanged; at `finish_at` the endpoint is [`stop`](Self::stop)ped.
    /// (Preconditions are the caller's.)
    pub fn begin_stop(&mut self, now_ms: i64, finish_at: i64) {
        self.update(|d| {
            d.pending_config = None;
            d.last_updated_timestamp = Some(now_ms);
            let mut state = d.state.take().unwrap_or_default();
            state.ready = Some(ReadyState::NotReady);
            state.config_update = Some(ConfigUpdateState::InProgress);
            state.update_state = None;
            d.state = Some(state);
        });
        self.schedule(finish_at, None);
        self.stopping = true;
    }

    /// Start a stopped endpoint: a copy of the served config rolls out as a new version (and
    /// fails at `finish_at` if the endpoint is scripted to, see [`set_start_fails`](Self::set_start_fails)).
    pub fn start(&mut self, now_ms: i64, finish_at: i64) {
        let pending = self.detailed.config.clone().unwrap_or_default();
        let fails = self.start_fails.clone();
        self.begin_update(pending, now_ms, finish_at, fails);
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

    /// `GET /api/2.0/permissions/serving-endpoints/{id}`: direct grants per principal, then the
    /// inherited `admins` entry.
    pub fn object_permissions(&self) -> ObjectPermissions {
        let mut by_principal: BTreeMap<&Principal, Vec<Permission>> = BTreeMap::new();
        let mut order: Vec<&Principal> = Vec::new();
        for g in &self.acl {
            let entry = by_principal.entry(&g.principal).or_default();
            if entry.is_empty() {
                order.push(&g.principal);
            }
            entry.push(Permission {
                permission_level: Some(g.level.clone()),
                inherited: false,
                inherited_from_object: Vec::new(),
            });
        }
        let mut acl: Vec<AccessControlResponse> = order
            .into_iter()
            .map(|p| {
                let given = match p {
                    Principal::User(s) | Principal::ServicePrincipal(s) => {
                        self.display_names.get(s).cloned()
                    }
                    Principal::Group(_) => None,
                };
                let mut r = AccessControlResponse {
                    display_name: given.or_else(|| display_name_of(p)),
                    all_permissions: by_principal.get(p).cloned().unwrap_or_default(),
                    ..Default::default()
                };
                match p {
                    Principal::User(s) => r.user_name = Some(s.clone()),
                    Principal::Group(s) => r.group_name = Some(s.clone()),
                    Principal::ServicePrincipal(s) => r.service_principal_name = Some(s.clone()),
                }
                r
            })
            .collect();
        let inherited = Permission {
            permission_level: Some(PermissionLevel::CanManage),
            inherited: true,
            inherited_from_object: vec![ROOT_OBJECT.to_string()],
        };
        match acl
            .iter_mut()
            .find(|r| r.group_name.as_deref() == Some(ADMINS_GROUP))
        {
            Some(r) => r.all_permissions.push(inherited),
            None => acl.push(AccessControlResponse {
                group_name: Some(ADMINS_GROUP.to_string()),
                all_permissions: vec![inherited],
                ..Default::default()
            }),
        }
        ObjectPermissions {
            object_id: self.id().map(|id| format!("{ROOT_OBJECT}{id}")),
            object_type: Some(OBJECT_TYPE.to_string()),
            access_control_list: acl,
        }
    }
}

fn at_or(at: Option<i64>, now_ms: i64) -> i64 {
    at.map_or(now_ms, |a| a.min(now_ms))
}

fn summary_json_of(d: &ServingEndpointDetailed) -> String {
    serde_json::to_string(&d.summary()).unwrap_or_else(|e| {
        tracing::error!("cannot serialize endpoint {}: {e}", d.name);
        format!("{{\"name\":{}}}", serde_json::Value::String(d.name.clone()))
    })
}

fn set_deployment(state: &mut Option<ServedModelState>, dep: DeploymentState, message: &str) {
    *state = Some(ServedModelState {
        deployment: Some(dep),
        deployment_state_message: Some(message.to_string()),
    });
}

fn config_is_serving(config: &EndpointCoreConfigOutput) -> bool {
    let entities = config.served_entities.iter().map(|e| e.deployment());
    let models = config
        .served_models
        .iter()
        .map(|m| m.state.as_ref().and_then(|s| s.deployment.as_ref()));
    // Entities without a reported state (foundation models) count as serving.
    entities
        .chain(models)
        .all(|d| matches!(d, None | Some(DeploymentState::Ready)))
}

/// A successful update: the pending config becomes the served config.
pub fn finish_update(d: &mut ServingEndpointDetailed) {
    if let Some(mut pending) = d.pending_config.take() {
        pending.start_time = None;
        for e in &mut pending.served_entities {
            set_deployment(&mut e.state, DeploymentState::Ready, "");
        }
        for m in &mut pending.served_models {
            set_deployment(&mut m.state, DeploymentState::Ready, "");
        }
        d.config = Some(pending);
    }
    let mut state = d.state.take().unwrap_or_default();
    state.ready = Some(ReadyState::Ready);
    state.config_update = Some(ConfigUpdateState::NotUpdating);
    state.update_state = None;
    state.suspend = None;
    d.state = Some(state);
}

/// A failed update: pending entities fail (the first with `message`, siblings aborted); the old
/// config, if any, keeps serving.
pub fn fail_update(d: &mut ServingEndpointDetailed, message: &str) {
    if let Some(pending) = d.pending_config.as_mut() {
        for (i, e) in pending.served_entities.iter_mut().enumerate() {
            if i == 0 {
                set_deployment(&mut e.state, DeploymentState::Failed, message);
            } else {
                set_deployment(&mut e.state, DeploymentState::Aborted, ABORTED_MESSAGE);
            }
        }
        for (i, m) in pending.served_models.iter_mut().enumerate() {
            if i == 0 {
                set_deployment(&mut m.state, DeploymentState::Failed, message);
            } else {
                set_deployment(&mut m.state, DeploymentState::Aborted, ABORTED_MESSAGE);
            }
        }
    }
    let serving = d.config.as_ref().is_some_and(config_is_serving);
    let mut state = d.state.take().unwrap_or_default();
    state.ready = Some(if serving {
        ReadyState::Ready
    } else {
        ReadyState::NotReady
    });
    state.config_update = Some(ConfigUpdateState::UpdateFailed);
    state.update_state = None;
    d.state = Some(state);
}

/// Why a record could not be added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InsertError {
    DuplicateName(String),
    DuplicateId(String),
}

impl std::fmt::Display for InsertError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InsertError::DuplicateName(n) => write!(f, "duplicate endpoint name '{n}'"),
            InsertError::DuplicateId(i) => write!(f, "duplicate endpoint id '{i}'"),
        }
    }
}

impl std::error::Error for InsertError {}

/// All endpoints, by name (list order), with an index by id for the Permissions API.
#[derive(Debug, Clone, Default)]
pub struct Store {
    endpoints: BTreeMap<String, EndpointRecord>,
    ids: HashMap<String, String>,
    /// Earliest scripted transition, so a request with nothing due costs one comparison.
    next_due: Option<i64>,
}

impl Store {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Add an endpoint; names and ids must be unique.
    pub fn insert(&mut self, record: EndpointRecord) -> Result<(), InsertError> {
        let name = record.name().to_string();
        if self.endpoints.contains_key(&name) {
            return Err(InsertError::DuplicateName(name));
        }
        if let Some(id) = record.id() {
            if self.ids.contains_key(id) {
                return Err(InsertError::DuplicateId(id.to_string()));
            }
            self.ids.insert(id.to_string(), name.clone());
        }
        self.note_due(record.next_transition_at);
        self.endpoints.insert(name, record);
        Ok(())
    }

    /// Remove an endpoint by name.
    pub fn remove(&mut self, name: &str) -> Option<EndpointRecord> {
        let r = self.endpoints.remove(name)?;
        if let Some(id) = r.id() {
            self.ids.remove(id);
        }
        Some(r)
    }

    /// The endpoint called `name`.
    pub fn get(&self, name: &str) -> Option<&EndpointRecord> {
        self.endpoints.get(name)
    }

    /// The endpoint called `name`, for a change. Call [`Store::reschedule`] after changing its
    /// scripted transition.
    pub fn get_mut(&mut self, name: &str) -> Option<&mut EndpointRecord> {
        self.endpoints.get_mut(name)
    }

    /// The endpoint whose `id` is `id`.
    pub fn get_by_id(&self, id: &str) -> Option<&EndpointRecord> {
        self.ids.get(id).and_then(|n| self.endpoints.get(n))
    }

    /// The name of the endpoint whose `id` is `id`.
    pub fn name_of_id(&self, id: &str) -> Option<&str> {
        self.ids.get(id).map(String::as_str)
    }

    /// All endpoints in name order.
    pub fn iter(&self) -> impl Iterator<Item = &EndpointRecord> {
        self.endpoints.values()
    }

    /// Number of endpoints.
    pub fn len(&self) -> usize {
        self.endpoints.len()
    }

    /// No endpoints?
    pub fn is_empty(&self) -> bool {
        self.endpoints.is_empty()
    }

    /// Is any scripted transition due at `now_ms`?
    pub fn is_due(&self, now_ms: i64) -> bool {
        self.next_due.is_some_and(|t| t <= now_ms)
    }

    /// Apply every transition due at `now_ms`; returns how many endpoints changed.
    pub fn advance(&mut self, now_ms: i64) -> usize {
        if !self.is_due(now_ms) {
            return 0;
        }
        let mut changed = 0;
        for r in self.endpoints.values_mut() {
            if r.advance(now_ms) {
                changed += 1;
            }
        }
        self.reschedule();
        changed
    }

    /// Recompute the earliest scripted transition (after changing a record's schedule).
    pub fn reschedule(&mut self) {
        self.next_due = self
            .endpoints
            .values()
            .filter_map(|r| r.next_transition_at)
            .min();
    }

    fn note_due(&mut self, at: Option<i64>) {
        if let Some(at) = at {
            self.next_due = Some(self.next_due.map_or(at, |t| t.min(at)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use api_types::{EndpointState, ServedEntityOutput};

    fn ready_record() -> EndpointRecord {
        let e = ServedEntityOutput {
            name: "m-1".into(),
            entity_name: Some("m".into()),
            entity_version: Some("1".into()),
            state: Some(ServedModelState {
                deployment: Some(DeploymentState::Ready),
                deployment_state_message: Some(String::new()),
            }),
            ..Default::default()
        };
        let d = ServingEndpointDetailed {
            name: "a".into(),
            id: Some("0".repeat(32)),
            state: Some(EndpointState {
                ready: Some(ReadyState::Ready),
                config_update: Some(ConfigUpdateState::NotUpdating),
                ..Default::default()
            }),
            config: Some(EndpointCoreConfigOutput {
                served_entities: vec![e],
                config_version: Some(3),
                ..Default::default()
            }),
            ..Default::default()
        };
        EndpointRecord::new(d, Vec::new())
    }

    #[test]
    fn stop_then_start_rolls_out_a_new_version() {
        let mut r = ready_record();
        assert!(r.is_custom_model() && !r.is_stopped() && !r.is_updating());
        r.stop(10);
        assert!(r.is_stopped());
        let st = r.detailed().state.clone().unwrap_or_default();
        assert_eq!(st.ready, Some(ReadyState::NotReady));
        assert_eq!(
            r.detailed().config.as_ref().and_then(|c| c.config_version),
            Some(3)
        );
        r.start(20, 30);
        assert!(r.is_updating());
        assert_eq!(
            r.detailed()
                .pending_config
                .as_ref()
                .and_then(|c| c.config_version),
            Some(4)
        );
        assert!(!r.advance(29));
        assert!(r.advance(30));
        assert!(!r.is_stopped() && !r.is_updating());
        assert_eq!(
            r.detailed().config.as_ref().and_then(|c| c.config_version),
            Some(4)
        );
        assert!(r.summary_json().contains("\"NOT_UPDATING\""));
    }

    #[test]
    fn stopping_is_in_progress_until_it_lands() {
        let mut r = ready_record();
        r.begin_stop(10, 15);
        assert!(r.is_stopping() && r.is_updating() && !r.is_stopped());
        let st = r.detailed().state.clone().unwrap_or_default();
        assert_eq!(st.ready, Some(ReadyState::NotReady));
        assert!(!r.advance(14));
        assert!(r.advance(20));
        assert!(r.is_stopped() && !r.is_updating() && !r.is_stopping());
        assert_eq!(r.detailed().last_updated_timestamp, Some(15));
        let c = r.detailed().config.clone().unwrap_or_default();
        assert_eq!(c.served_entities[0].message(), Some(STOPPED_MESSAGE));
        assert_eq!(c.config_version, Some(3));
    }

    #[test]
    fn a_start_scripted_to_fail_ends_update_failed_and_stays_stopped() {
        let mut r = ready_record();
        r.stop(1);
        r.set_start_fails(Some("no image".into()));
        r.start(2, 3);
        assert!(r.advance(3));
        let st = r.detailed().state.clone().unwrap_or_default();
        assert_eq!(st.ready, Some(ReadyState::NotReady));
        assert_eq!(st.config_update, Some(ConfigUpdateState::UpdateFailed));
        assert!(r.is_stopped(), "the old config is still the stopped one");
        let p = r.detailed().pending_config.clone().unwrap_or_default();
        assert_eq!(p.served_entities[0].message(), Some("no image"));
        assert_eq!(p.config_version, Some(4));
    }

    #[test]
    fn failed_update_keeps_serving_config() {
        let mut r = ready_record();
        let pending = r.detailed().config.clone().unwrap_or_default();
        r.begin_update(pending, 5, 6, Some("boom".into()));
        assert_eq!(
            r.detailed().state.as_ref().and_then(|s| s.ready.clone()),
            Some(ReadyState::Ready)
        );
        assert!(r.advance(6));
        let d = r.detailed();
        let st = d.state.clone().unwrap_or_default();
        assert_eq!(st.ready, Some(ReadyState::Ready));
        assert_eq!(st.config_update, Some(ConfigUpdateState::UpdateFailed));
        let p = d.pending_config.clone().unwrap_or_default();
        assert_eq!(p.served_entities[0].message(), Some("boom"));
    }

    #[test]
    fn object_permissions_always_has_inherited_admins() {
        let mut r = ready_record();
        r.acl.push(Grant::new(
            Principal::User("gina.rossi@contoso.com".into()),
            PermissionLevel::CanView,
        ));
        let p = r.object_permissions();
        assert_eq!(
            p.object_id.as_deref(),
            Some("/serving-endpoints/00000000000000000000000000000000")
        );
        assert_eq!(p.object_type.as_deref(), Some("serving-endpoint"));
        assert_eq!(
            p.access_control_list[0].display_name.as_deref(),
            Some("Gina Rossi")
        );
        let admins = &p.access_control_list[1];
        assert_eq!(admins.group_name.as_deref(), Some("admins"));
        assert!(admins.all_permissions[0].inherited);
    }
}
