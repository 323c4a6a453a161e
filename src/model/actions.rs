//! What kind of endpoint this is, and whether Stop / Start / Delete are allowed
//! (serving-api.md §5.5, §5.6, §7). [`lifecycle_rules`] is the one function the detail page's
//! header asks.

use super::display_state::is_stopped;
use api_types::{
    ConfigUpdateState, EndpointCoreConfigOutput, EntityType, ExternalModel, FoundationModel,
    PermissionLevel, ServingEndpoint, ServingEndpointDetailed,
};
use std::fmt;

/// What an endpoint serves.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum EndpointKind {
    /// Custom models (UC / workspace registry models, feature specs): the only kind that can
    /// be stopped, and the only one with build and server logs.
    Custom,
    /// Databricks foundation models (pay-per-token or provisioned throughput).
    FoundationModel,
    /// External models behind the AI gateway (OpenAI, Anthropic …).
    ExternalModel,
    /// Not determinable (no entities yet, or values this version does not know).
    Unknown,
}

impl EndpointKind {
    /// "Custom model", "Foundation model", "External model", "Unknown".
    pub fn label(&self) -> &'static str {
        match self {
            EndpointKind::Custom => "Custom model",
            EndpointKind::FoundationModel => "Foundation model",
            EndpointKind::ExternalModel => "External model",
            EndpointKind::Unknown => "Unknown",
        }
    }
}

impl fmt::Display for EndpointKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The kind of one served entity. Custom needs positive evidence (an entity name, and a
/// `type` that is absent or `FEATURE_SPEC`), so that something unknown is never treated as
/// stoppable.
fn entity_kind(
    external: Option<&ExternalModel>,
    foundation: Option<&FoundationModel>,
    entity_type: Option<&EntityType>,
    has_entity_name: bool,
) -> EndpointKind {
    if external.is_some() || entity_type == Some(&EntityType::ExternalModel) {
        return EndpointKind::ExternalModel;
    }
    if foundation.is_some() || entity_type == Some(&EntityType::FoundationModel) {
        return EndpointKind::FoundationModel;
    }
    match entity_type {
        None | Some(EntityType::FeatureSpec) if has_entity_name => EndpointKind::Custom,
        _ => EndpointKind::Unknown,
    }
}

/// Folds entity kinds: external wins, then foundation, then unknown; custom only when every
/// entity is custom. `None` for no entities.
fn fold(kinds: impl Iterator<Item = EndpointKind>) -> Option<EndpointKind> {
    let mut seen: Option<EndpointKind> = None;
    for k in kinds {
        let rank = |k: EndpointKind| match k {
            EndpointKind::ExternalModel => 3,
            EndpointKind::FoundationModel => 2,
            EndpointKind::Unknown => 1,
            EndpointKind::Custom => 0,
        };
        seen = Some(match seen {
            Some(s) if rank(s) >= rank(k) => s,
            _ => k,
        });
    }
    seen
}

fn config_kind(c: &EndpointCoreConfigOutput) -> Option<EndpointKind> {
    let entities = c.served_entities.iter().map(|e| {
        entity_kind(
            e.external_model.as_ref(),
            e.foundation_model.as_ref(),
            e.entity_type.as_ref(),
            e.entity_name.as_deref().is_some_and(|n| !n.is_empty()),
        )
    });
    let models = c.served_models.iter().map(|m| {
        if m.model_name.as_deref().is_some_and(|n| !n.is_empty()) {
            EndpointKind::Custom
        } else {
            EndpointKind::Unknown
        }
    });
    fold(entities.chain(models))
}

/// The undocumented endpoint-level `endpoint_type` (OBSERVED, e.g. `"EXTERNAL_MODEL"`):
/// only a fallback when there are no entities to look at.
fn endpoint_type_kind(t: Option<&str>) -> EndpointKind {
    match t.map(str::trim) {
        Some(t) if t.eq_ignore_ascii_case("EXTERNAL_MODEL") => EndpointKind::ExternalModel,
        Some(t)
            if t.eq_ignore_ascii_case("FOUNDATION_MODEL")
                || t.eq_ignore_ascii_case("FOUNDATION_MODEL_API") =>
        {
            EndpointKind::FoundationModel
        }
        Some(t) if t.eq_ignore_ascii_case("CUSTOM_MODEL") => EndpointKind::Custom,
        _ => EndpointKind::Unknown,
    }
}

/// What a detailed endpoint serves, from its served entities (`external_model`,
/// `foundation_model`, `type`) — the active `config`, else `pending_config` during the first
/// deployment — and finally from the undocumented `endpoint_type`.
pub fn endpoint_kind(e: &ServingEndpointDetailed) -> EndpointKind {
    e.config
        .as_ref()
        .and_then(config_kind)
        .or_else(|| e.pending_config.as_ref().and_then(config_kind))
        .unwrap_or_else(|| endpoint_type_kind(e.endpoint_type.as_deref()))
}

/// What a list item serves (same rules; list items have no `pending_config` nor
/// `endpoint_type`).
pub fn endpoint_kind_summary(e: &ServingEndpoint) -> EndpointKind {
    let Some(c) = e.config.as_ref() else {
        return EndpointKind::Unknown;
    };
    let entities = c.served_entities.iter().map(|s| {
        entity_kind(
            s.external_model.as_ref(),
            s.foundation_model.as_ref(),
            s.entity_type.as_ref(),
            s.entity_name.as_deref().is_some_and(|n| !n.is_empty()),
        )
    });
    let models = c.served_models.iter().map(|m| {
        if m.model_name.as_deref().is_some_and(|n| !n.is_empty()) {
            EndpointKind::Custom
        } else {
            EndpointKind::Unknown
        }
    });
    fold(entities.chain(models)).unwrap_or(EndpointKind::Unknown)
}

/// Why Stop or Start is not available (shown as the disabled button's description).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Blocked {
    /// The caller lacks `CAN_MANAGE` (or its level is not reported).
    NotManager,
    /// Only custom-model endpoints can be stopped.
    NotCustom(EndpointKind),
    /// Route-optimized endpoints cannot be stopped.
    RouteOptimized,
    /// A config update (or a start) is in progress.
    UpdateInProgress,
    /// Stop on an endpoint that is already stopped.
    AlreadyStopped,
    /// Start on an endpoint that is not stopped.
    NotStopped,
    /// Stop on an endpoint with no deployed config (its first deployment never succeeded).
    /// UNCONFIRMED rule: the API reference is silent; the emulator refuses it the same way.
    NothingDeployed,
}

impl Blocked {
    /// A sentence for the UI.
    pub fn reason(&self) -> String {
        match self {
            Blocked::NotManager => "You need the Can Manage permission on this endpoint.".into(),
            Blocked::NotCustom(EndpointKind::Unknown) => {
                "Only endpoints serving custom models can be stopped, and this endpoint's kind is not known.".into()
            }
            Blocked::NotCustom(kind) => {
                let what = kind.label().to_lowercase();
                let article = if what.starts_with(['a', 'e', 'i', 'o', 'u']) {
                    "an"
                } else {
                    "a"
                };
                format!(
                    "Only endpoints serving custom models can be stopped; this one serves {article} {what}."
                )
            }
            Blocked::RouteOptimized => "Route-optimized endpoints cannot be stopped.".into(),
            Blocked::UpdateInProgress => {
                "An update is in progress; wait until it finishes.".into()
            }
            Blocked::AlreadyStopped => "The endpoint is already stopped.".into(),
            Blocked::NotStopped => "Only a stopped endpoint can be started.".into(),
            Blocked::NothingDeployed => {
                "Nothing is deployed yet, so there is nothing to stop.".into()
            }
        }
    }
}

fn is_manager(e: &ServingEndpointDetailed) -> bool {
    e.permission_level == Some(PermissionLevel::CanManage)
}

fn update_in_progress(e: &ServingEndpointDetailed) -> bool {
    e.state
        .as_ref()
        .and_then(|s| s.config_update())
        .is_some_and(|u| *u == ConfigUpdateState::InProgress)
}

/// May the caller stop this endpoint? Needs `CAN_MANAGE`, a custom model, not
/// route-optimized, no update in progress, not already stopped — checked in that order, the
/// first failing rule is returned.
pub fn can_stop(e: &ServingEndpointDetailed) -> Result<(), Blocked> {
    if !is_manager(e) {
        return Err(Blocked::NotManager);
    }
    match endpoint_kind(e) {
        EndpointKind::Custom => {}
        other => return Err(Blocked::NotCustom(other)),
    }
    if e.route_optimized == Some(true) {
        return Err(Blocked::RouteOptimized);
    }
    if update_in_progress(e) {
        return Err(Blocked::UpdateInProgress);
    }
    if is_stopped(e) {
        return Err(Blocked::AlreadyStopped);
    }
    if !has_deployed_config(e) {
        return Err(Blocked::NothingDeployed);
    }
    Ok(())
}

/// Is there a served `config` with at least one entity (or legacy served model)?
fn has_deployed_config(e: &ServingEndpointDetailed) -> bool {
    e.config
        .as_ref()
        .is_some_and(|c| !c.served_entities.is_empty() || !c.served_models.is_empty())
}

/// May the caller start this endpoint? Needs `CAN_MANAGE`, a stopped endpoint, and no start
/// (update) already rolling out.
pub fn can_start(e: &ServingEndpointDetailed) -> Result<(), Blocked> {
    if !is_manager(e) {
        return Err(Blocked::NotManager);
    }
    if update_in_progress(e) {
        return Err(Blocked::UpdateInProgress);
    }
    if !is_stopped(e) {
        return Err(Blocked::NotStopped);
    }
    Ok(())
}

/// May the caller delete this endpoint? Needs `CAN_MANAGE`; any state (serving-api.md §5.5:
/// no state precondition is documented — UNCONFIRMED for an update in progress).
pub fn can_delete(e: &ServingEndpointDetailed) -> Result<(), Blocked> {
    if !is_manager(e) {
        return Err(Blocked::NotManager);
    }
    Ok(())
}

/// May the caller change this endpoint's config, tags, AI gateway and e-mails (the Edit page
/// and the Overview's shortcuts)? Needs `CAN_MANAGE`, like every other change. An update in
/// progress does not block editing: the plan says what the server would refuse.
pub fn can_edit(e: &ServingEndpointDetailed) -> Result<(), Blocked> {
    if !is_manager(e) {
        return Err(Blocked::NotManager);
    }
    Ok(())
}

/// What the detail header offers, each action with the first rule it breaks.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct LifecycleRules {
    /// `POST …/config:stop`.
    pub stop: Result<(), Blocked>,
    /// `POST …/config:start`.
    pub start: Result<(), Blocked>,
    /// `DELETE …/{name}`.
    pub delete: Result<(), Blocked>,
}

/// The one place the header's Stop / Start / Delete availability is decided.
pub fn lifecycle_rules(e: &ServingEndpointDetailed) -> LifecycleRules {
    LifecycleRules {
        stop: can_stop(e),
        start: can_start(e),
        delete: can_delete(e),
    }
}

/// Does the typed text confirm deleting `name`? The exact name, ignoring surrounding
/// whitespace (names never contain any); an empty name never matches.
pub fn delete_confirmed(typed: &str, name: &str) -> bool {
    !name.is_empty() && typed.trim() == name
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn fixture(name: &str) -> ServingEndpointDetailed {
        serde_json::from_str(api_fixtures::get(name)).expect("fixture decodes")
    }

    fn detailed(v: Value) -> ServingEndpointDetailed {
        serde_json::from_value(v).expect("valid endpoint")
    }

    #[test]
    fn only_a_manager_may_edit() {
        let mut e = fixture("get_custom_ready.json");
        e.permission_level = Some(PermissionLevel::CanManage);
        assert_eq!(can_edit(&e), Ok(()));
        e.permission_level = Some(PermissionLevel::CanQuery);
        assert_eq!(can_edit(&e), Err(Blocked::NotManager));
        e.permission_level = None;
        assert_eq!(can_edit(&e), Err(Blocked::NotManager));
    }

    #[test]
    fn fixture_kinds() {
        let cases = [
            ("get_custom_ready.json", EndpointKind::Custom),
            ("get_custom_ready_updating.json", EndpointKind::Custom),
            ("get_custom_creating.json", EndpointKind::Custom),
            ("get_custom_update_failed.json", EndpointKind::Custom),
            (
                "get_custom_not_ready_update_failed.json",
                EndpointKind::Custom,
            ),
            ("get_custom_stopped.json", EndpointKind::Custom),
            (
                "get_custom_stopped_variant_suspend.json",
                EndpointKind::Custom,
            ),
            ("get_route_optimized.json", EndpointKind::Custom),
            ("get_foundation_model.json", EndpointKind::FoundationModel),
            (
                "get_external_model_ai_gateway.json",
                EndpointKind::ExternalModel,
            ),
        ];
        for (name, kind) in cases {
            let e = fixture(name);
            assert_eq!(endpoint_kind(&e), kind, "{name}");
            if e.config.is_some() {
                assert_eq!(endpoint_kind_summary(&e.summary()), kind, "{name}");
            }
        }
    }

    #[test]
    fn kind_by_each_signal() {
        let k = |entity: Value| {
            endpoint_kind(&detailed(
                json!({"name": "e", "config": {"served_entities": [entity]}}),
            ))
        };
        assert_eq!(
            k(json!({"name": "a", "external_model": {"name": "gpt"}})),
            EndpointKind::ExternalModel
        );
        assert_eq!(
            k(json!({"name": "a", "type": "EXTERNAL_MODEL"})),
            EndpointKind::ExternalModel
        );
        assert_eq!(
            k(json!({"name": "a", "foundation_model": {"name": "llama"}})),
            EndpointKind::FoundationModel
        );
        assert_eq!(
            k(json!({"name": "a", "type": "FOUNDATION_MODEL"})),
            EndpointKind::FoundationModel
        );
        assert_eq!(
            k(json!({"name": "a", "entity_name": "m", "entity_version": "1"})),
            EndpointKind::Custom
        );
        assert_eq!(
            k(json!({"name": "a", "entity_name": "f", "type": "FEATURE_SPEC"})),
            EndpointKind::Custom
        );
        assert_eq!(
            k(json!({"name": "a", "entity_name": "m", "type": "AGENT_THING"})),
            EndpointKind::Unknown
        );
        assert_eq!(k(json!({"name": "a"})), EndpointKind::Unknown);
        // Mixed: the non-custom entity decides (never stoppable by accident).
        let mixed = detailed(json!({"name": "e", "config": {"served_entities": [
            {"name": "a", "entity_name": "m"}, {"name": "b", "type": "EXTERNAL_MODEL"}]}}));
        assert_eq!(endpoint_kind(&mixed), EndpointKind::ExternalModel);
        // Legacy served_models are custom models.
        let legacy = detailed(json!({"name": "e", "config": {"served_models": [
            {"name": "a-1", "model_name": "a", "model_version": "1"}]}}));
        assert_eq!(endpoint_kind(&legacy), EndpointKind::Custom);
        // No entities: endpoint_type, else unknown.
        let bare = |t: Option<&str>| {
            let mut v = json!({"name": "e"});
            if let Some(t) = t {
                v["endpoint_type"] = json!(t);
            }
            endpoint_kind(&detailed(v))
        };
        assert_eq!(bare(Some("EXTERNAL_MODEL")), EndpointKind::ExternalModel);
        assert_eq!(
            bare(Some("FOUNDATION_MODEL")),
            EndpointKind::FoundationModel
        );
        assert_eq!(bare(Some("CUSTOM_MODEL")), EndpointKind::Custom);
        assert_eq!(bare(Some("SOMETHING_NEW")), EndpointKind::Unknown);
        assert_eq!(bare(None), EndpointKind::Unknown);
        // Entities beat endpoint_type.
        let both = detailed(json!({"name": "e", "endpoint_type": "EXTERNAL_MODEL",
            "config": {"served_entities": [{"name": "a", "entity_name": "m"}]}}));
        assert_eq!(endpoint_kind(&both), EndpointKind::Custom);
        assert_eq!(
            endpoint_kind_summary(&serde_json::from_value(json!({"name": "x"})).unwrap()),
            EndpointKind::Unknown
        );
        assert_eq!(
            EndpointKind::FoundationModel.to_string(),
            "Foundation model"
        );
    }

    #[test]
    fn stop_and_start_rules_on_fixtures() {
        let f = fixture;
        assert_eq!(can_stop(&f("get_custom_ready.json")), Ok(()));
        assert_eq!(
            can_start(&f("get_custom_ready.json")),
            Err(Blocked::NotStopped)
        );
        assert_eq!(
            can_stop(&f("get_custom_ready_updating.json")),
            Err(Blocked::UpdateInProgress)
        );
        assert_eq!(
            can_stop(&f("get_custom_creating.json")),
            Err(Blocked::UpdateInProgress)
        );
        assert_eq!(
            can_stop(&f("get_custom_update_failed.json")),
            Err(Blocked::NotManager)
        );
        assert_eq!(
            can_stop(&f("get_custom_stopped.json")),
            Err(Blocked::AlreadyStopped)
        );
        assert_eq!(can_start(&f("get_custom_stopped.json")), Ok(()));
        assert_eq!(
            can_start(&f("get_custom_stopped_variant_suspend.json")),
            Ok(())
        );
        assert_eq!(
            can_stop(&f("get_route_optimized.json")),
            Err(Blocked::RouteOptimized)
        );
        assert_eq!(
            can_stop(&f("get_external_model_ai_gateway.json")),
            Err(Blocked::NotCustom(EndpointKind::ExternalModel))
        );
        assert_eq!(
            can_stop(&f("get_foundation_model.json")),
            Err(Blocked::NotManager)
        );
    }

    #[test]
    fn start_while_starting_is_blocked() {
        // Start rolled out a new version: old config still STOPPED, update in progress.
        let e = detailed(json!({"name": "e", "permission_level": "CAN_MANAGE",
            "state": {"ready": "NOT_READY", "config_update": "IN_PROGRESS"},
            "config": {"served_entities": [{"name": "a-1", "entity_name": "a",
                "state": {"deployment": "DEPLOYMENT_STOPPED"}}]},
            "pending_config": {"served_entities": [{"name": "a-1", "entity_name": "a",
                "state": {"deployment": "DEPLOYMENT_CREATING"}}]}}));
        assert_eq!(can_start(&e), Err(Blocked::UpdateInProgress));
        assert_eq!(can_stop(&e), Err(Blocked::UpdateInProgress));
        // No permission level reported: not a manager.
        let e = detailed(json!({"name": "e",
            "config": {"served_entities": [{"name": "a-1", "entity_name": "a"}]}}));
        assert_eq!(can_stop(&e), Err(Blocked::NotManager));
    }

    #[test]
    fn reasons_are_sentences() {
        for b in [
            Blocked::NotManager,
            Blocked::NotCustom(EndpointKind::FoundationModel),
            Blocked::NotCustom(EndpointKind::Unknown),
            Blocked::RouteOptimized,
            Blocked::UpdateInProgress,
            Blocked::AlreadyStopped,
            Blocked::NotStopped,
            Blocked::NothingDeployed,
        ] {
            let r = b.reason();
            assert!(r.ends_with('.'), "{r}");
        }
        assert_eq!(
            Blocked::NotCustom(EndpointKind::ExternalModel).reason(),
            "Only endpoints serving custom models can be stopped; this one serves an external model."
        );
        assert_eq!(
            Blocked::NotCustom(EndpointKind::FoundationModel).reason(),
            "Only endpoints serving custom models can be stopped; this one serves a foundation model."
        );
    }

    // ---- The whole matrix: every state × permission × endpoint kind. ----

    /// An endpoint state for the matrix: how it is built, and what it is, typed by hand.
    struct StateCase {
        name: &'static str,
        ready: &'static str,
        update: &'static str,
        suspend: bool,
        /// Deployment of the served `config`'s entities (`None`: no `config` at all).
        config: Option<&'static str>,
        /// Deployment of `pending_config`'s entities (`None`: no pending config).
        pending: Option<&'static str>,
        in_progress: bool,
        stopped: bool,
        deployed: bool,
    }

    const STATES: &[StateCase] = &[
        StateCase {
            name: "ready",
            ready: "READY",
            update: "NOT_UPDATING",
            suspend: false,
            config: Some("DEPLOYMENT_READY"),
            pending: None,
            in_progress: false,
            stopped: false,
            deployed: true,
        },
        StateCase {
            name: "ready-updating",
            ready: "READY",
            update: "IN_PROGRESS",
            suspend: false,
            config: Some("DEPLOYMENT_READY"),
            pending: Some("DEPLOYMENT_CREATING"),
            in_progress: true,
            stopped: false,
            deployed: true,
        },
        StateCase {
            name: "ready-update-failed",
            ready: "READY",
            update: "UPDATE_FAILED",
            suspend: false,
            config: Some("DEPLOYMENT_READY"),
            pending: Some("DEPLOYMENT_FAILED"),
            in_progress: false,
            stopped: false,
            deployed: true,
        },
        StateCase {
            name: "ready-update-canceled",
            ready: "READY",
            update: "UPDATE_CANCELED",
            suspend: false,
            config: Some("DEPLOYMENT_READY"),
            pending: Some("DEPLOYMENT_ABORTED"),
            in_progress: false,
            stopped: false,
            deployed: true,
        },
        StateCase {
            name: "creating",
            ready: "NOT_READY",
            update: "IN_PROGRESS",
            suspend: false,
            config: None,
            pending: Some("DEPLOYMENT_CREATING"),
            in_progress: true,
            stopped: false,
            deployed: false,
        },
        StateCase {
            name: "first-deploy-failed",
            ready: "NOT_READY",
            update: "UPDATE_FAILED",
            suspend: false,
            config: None,
            pending: Some("DEPLOYMENT_FAILED"),
            in_progress: false,
            stopped: false,
            deployed: false,
        },
        StateCase {
            name: "recovering",
            ready: "NOT_READY",
            update: "NOT_UPDATING",
            suspend: false,
            config: Some("DEPLOYMENT_RECOVERING"),
            pending: None,
            in_progress: false,
            stopped: false,
            deployed: true,
        },
        StateCase {
            name: "stopping",
            ready: "NOT_READY",
            update: "IN_PROGRESS",
            suspend: false,
            config: Some("DEPLOYMENT_READY"),
            pending: None,
            in_progress: true,
            stopped: false,
            deployed: true,
        },
        StateCase {
            name: "stopped",
            ready: "NOT_READY",
            update: "NOT_UPDATING",
            suspend: false,
            config: Some("DEPLOYMENT_STOPPED"),
            pending: None,
            in_progress: false,
            stopped: true,
            deployed: true,
        },
        StateCase {
            name: "stopped-suspend",
            ready: "NOT_READY",
            update: "NOT_UPDATING",
            suspend: true,
            config: Some("DEPLOYMENT_READY"),
            pending: None,
            in_progress: false,
            stopped: true,
            deployed: true,
        },
        StateCase {
            name: "starting",
            ready: "NOT_READY",
            update: "IN_PROGRESS",
            suspend: false,
            config: Some("DEPLOYMENT_STOPPED"),
            pending: Some("DEPLOYMENT_CREATING"),
            in_progress: true,
            stopped: true,
            deployed: true,
        },
        StateCase {
            name: "start-failed",
            ready: "NOT_READY",
            update: "UPDATE_FAILED",
            suspend: false,
            config: Some("DEPLOYMENT_STOPPED"),
            pending: Some("DEPLOYMENT_FAILED"),
            in_progress: false,
            stopped: true,
            deployed: true,
        },
    ];

    /// Endpoint kinds: the served entity JSON, route optimization, and the expected kind.
    fn kinds() -> Vec<(&'static str, Value, bool, EndpointKind)> {
        vec![
            (
                "custom",
                json!({"name": "m-1", "entity_name": "main.s.m", "entity_version": "1"}),
                false,
                EndpointKind::Custom,
            ),
            (
                "feature-spec",
                json!({"name": "f", "entity_name": "main.s.f", "type": "FEATURE_SPEC"}),
                false,
                EndpointKind::Custom,
            ),
            (
                "custom-route-optimized",
                json!({"name": "m-1", "entity_name": "main.s.m", "entity_version": "1"}),
                true,
                EndpointKind::Custom,
            ),
            (
                "foundation",
                json!({"name": "llama", "foundation_model": {"name": "llama"}}),
                false,
                EndpointKind::FoundationModel,
            ),
            (
                "external",
                json!({"name": "gpt", "external_model": {"name": "gpt-4o", "provider": "openai"}}),
                false,
                EndpointKind::ExternalModel,
            ),
            (
                "unknown",
                json!({"name": "x", "entity_name": "x", "type": "SOMETHING_NEW"}),
                false,
                EndpointKind::Unknown,
            ),
        ]
    }

    const LEVELS: &[Option<&str>] = &[
        Some("CAN_MANAGE"),
        Some("CAN_QUERY"),
        Some("CAN_VIEW"),
        Some("CAN_SOMETHING_NEW"),
        None,
    ];

    fn build(
        st: &StateCase,
        entity: &Value,
        route_optimized: bool,
        level: Option<&str>,
    ) -> ServingEndpointDetailed {
        let with_state = |dep: &str| {
            let mut e = entity.clone();
            e["state"] = json!({"deployment": dep, "deployment_state_message": ""});
            e
        };
        let mut v = json!({"name": "ep", "id": "0123", "route_optimized": route_optimized,
            "state": {"ready": st.ready, "config_update": st.update}});
        if st.suspend {
            v["state"]["suspend"] = json!("STOPPED");
        }
        if let Some(level) = level {
            v["permission_level"] = json!(level);
        }
        if let Some(dep) = st.config {
            v["config"] = json!({"served_entities": [with_state(dep)], "config_version": 3});
        }
        if let Some(dep) = st.pending {
            v["pending_config"] =
                json!({"served_entities": [with_state(dep)], "config_version": 4});
        }
        detailed(v)
    }

    #[test]
    fn every_state_permission_and_kind() {
        let mut checked = 0;
        for st in STATES {
            for (kind_name, entity, route_optimized, kind) in kinds() {
                for &level in LEVELS {
                    let e = build(st, &entity, route_optimized, level);
                    let case = format!("{} / {kind_name} / {level:?}", st.name);
                    assert_eq!(is_stopped(&e), st.stopped, "stopped? {case}");
                    let manager = level == Some("CAN_MANAGE");

                    let stop = if !manager {
                        Err(Blocked::NotManager)
                    } else if kind != EndpointKind::Custom {
                        Err(Blocked::NotCustom(kind))
                    } else if route_optimized {
                        Err(Blocked::RouteOptimized)
                    } else if st.in_progress {
                        Err(Blocked::UpdateInProgress)
                    } else if st.stopped {
                        Err(Blocked::AlreadyStopped)
                    } else if !st.deployed {
                        Err(Blocked::NothingDeployed)
                    } else {
                        Ok(())
                    };
                    let start = if !manager {
                        Err(Blocked::NotManager)
                    } else if st.in_progress {
                        Err(Blocked::UpdateInProgress)
                    } else if !st.stopped {
                        Err(Blocked::NotStopped)
                    } else {
                        Ok(())
                    };
                    let delete = if manager {
                        Ok(())
                    } else {
                        Err(Blocked::NotManager)
                    };
                    let rules = lifecycle_rules(&e);
                    assert_eq!(rules.stop, stop, "stop: {case}");
                    assert_eq!(rules.start, start, "start: {case}");
                    assert_eq!(rules.delete, delete, "delete: {case}");
                    // Never both: Stop and Start are exclusive in every state.
                    assert!(!(rules.stop.is_ok() && rules.start.is_ok()), "{case}");
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, STATES.len() * 6 * LEVELS.len());
    }

    #[test]
    fn stop_is_allowed_exactly_in_the_serving_custom_states() {
        // Spot check against the matrix's oracle: the states where a manager may stop a plain
        // custom endpoint, by name.
        let entity = json!({"name": "m-1", "entity_name": "main.s.m"});
        let stoppable: Vec<&str> = STATES
            .iter()
            .filter(|st| can_stop(&build(st, &entity, false, Some("CAN_MANAGE"))).is_ok())
            .map(|st| st.name)
            .collect();
        assert_eq!(
            stoppable,
            [
                "ready",
                "ready-update-failed",
                "ready-update-canceled",
                "recovering"
            ]
        );
        let startable: Vec<&str> = STATES
            .iter()
            .filter(|st| can_start(&build(st, &entity, false, Some("CAN_MANAGE"))).is_ok())
            .map(|st| st.name)
            .collect();
        assert_eq!(startable, ["stopped", "stopped-suspend", "start-failed"]);
    }

    #[test]
    fn delete_needs_the_exact_name() {
        assert!(delete_confirmed(
            "fraud-detector-prod",
            "fraud-detector-prod"
        ));
        assert!(delete_confirmed(
            "  fraud-detector-prod ",
            "fraud-detector-prod"
        ));
        assert!(!delete_confirmed(
            "fraud-detector-pro",
            "fraud-detector-prod"
        ));
        assert!(!delete_confirmed(
            "FRAUD-DETECTOR-PROD",
            "fraud-detector-prod"
        ));
        assert!(!delete_confirmed(
            "fraud-detector-prod-x",
            "fraud-detector-prod"
        ));
        assert!(!delete_confirmed("", "fraud-detector-prod"));
        assert!(!delete_confirmed("", ""));
    }
}
