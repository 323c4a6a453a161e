//! The one place where an endpoint's API state becomes what the console shows:
//! a Databricks-worded label, a tone for colour, the reason, the next step and since when.
//!
//! Rules, the same on every screen (serving-api.md §3.3, §4, §5.6):
//! - `state.config_update` is read through [`EndpointState::config_update`], which falls back
//!   to the stale `update_state` spelling.
//! - Stopped := `state.suspend == "STOPPED"`, or `config` present with at least one served
//!   entity and every one of them `DEPLOYMENT_STOPPED`. Never inferred from `NOT_READY` alone
//!   (that is also "creating", "recovering", "failed").
//! - An update in progress wins over the stop signals: starting a stopped endpoint rolls out a
//!   new config version while the old config still reports `DEPLOYMENT_STOPPED`.
//! - An absent (or empty, the proto's "unspecified") `ready` is not a claim of readiness and
//!   reads as not ready; an absent `config_update` reads as not updating.
//! - Any other value this version does not know gives [`DisplayState::Unknown`] carrying the raw
//!   text; nothing here panics.
//! - `READY`/`NOT_READY` + `UPDATE_CANCELED` is shown as an update failure, reason "Update
//!   canceled".

use api_types::{
    ConfigUpdateState, DeploymentState, EndpointCoreConfigOutput, EndpointState, EntityType,
    ReadyState, ServingEndpoint, ServingEndpointDetailed,
};
use std::fmt;

/// The colour family of a state badge. Colour is never the only signal: the label is text.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Tone {
    /// Serving normally.
    Ok,
    /// Something is rolling out.
    Progress,
    /// Serving may be impaired, or the last change failed while the old config still serves.
    Warning,
    /// Not serving because of a failure.
    Error,
    /// Deliberately idle (stopped) or not known.
    Neutral,
}

impl Tone {
    /// A stable lowercase name, usable as a CSS modifier (`ok`, `progress`, `warning`,
    /// `error`, `neutral`).
    pub fn as_str(&self) -> &'static str {
        match self {
            Tone::Ok => "ok",
            Tone::Progress => "progress",
            Tone::Warning => "warning",
            Tone::Error => "error",
            Tone::Neutral => "neutral",
        }
    }
}

/// What the console shows as an endpoint's state.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub enum DisplayState {
    /// `READY` + `NOT_UPDATING`.
    Ready,
    /// `READY` + `IN_PROGRESS`: the old config serves while the new one rolls out.
    ReadyUpdating,
    /// `READY` + `UPDATE_FAILED`/`UPDATE_CANCELED`: the old config still serves.
    ReadyUpdateFailed,
    /// `NOT_READY` + `IN_PROGRESS` (first deployment, or starting a stopped endpoint).
    NotReadyUpdating,
    /// `NOT_READY` + `UPDATE_FAILED`/`UPDATE_CANCELED`.
    NotReadyUpdateFailed,
    /// Stopped by its owner (explicit stop signals only).
    NotReadyStopped,
    /// `NOT_READY` + `NOT_UPDATING` with an active entity `DEPLOYMENT_RECOVERING`.
    NotReadyRecovering,
    /// `NOT_READY` + `NOT_UPDATING` with nothing telling stopped from recovering or failed —
    /// always the case for list items, which carry no per-entity state.
    NotReady,
    /// A value this version does not know, e.g. `"READY_SOMETHING / NOT_UPDATING"`: the raw
    /// `ready` and `config_update` texts (absent ones as `—`). Empty when built by
    /// [`DisplayState::from_key`].
    Unknown(String),
}

impl DisplayState {
    /// Every filter key, in display order.
    pub const KEYS: [&'static str; 9] = [
        "ready",
        "ready-updating",
        "ready-update-failed",
        "not-ready-updating",
        "not-ready-update-failed",
        "not-ready",
        "recovering",
        "stopped",
        "unknown",
    ];

    /// The Databricks wording: "Ready", "Ready (Updating)", "Ready (Update failed)",
    /// "Not ready (Updating)", "Not ready (Update failed)", "Not ready (Stopped)",
    /// "Not ready (Recovering)", "Not ready", "Unknown (RAW / RAW)".
    pub fn label(&self) -> String {
        match self {
            DisplayState::Ready => "Ready".to_string(),
            DisplayState::ReadyUpdating => "Ready (Updating)".to_string(),
            DisplayState::ReadyUpdateFailed => "Ready (Update failed)".to_string(),
            DisplayState::NotReadyUpdating => "Not ready (Updating)".to_string(),
            DisplayState::NotReadyUpdateFailed => "Not ready (Update failed)".to_string(),
            DisplayState::NotReadyStopped => "Not ready (Stopped)".to_string(),
            DisplayState::NotReadyRecovering => "Not ready (Recovering)".to_string(),
            DisplayState::NotReady => "Not ready".to_string(),
            DisplayState::Unknown(raw) if raw.is_empty() => "Unknown".to_string(),
            DisplayState::Unknown(raw) => format!("Unknown ({raw})"),
        }
    }

    /// The colour family of the badge.
    pub fn tone(&self) -> Tone {
        match self {
            DisplayState::Ready => Tone::Ok,
            DisplayState::ReadyUpdating | DisplayState::NotReadyUpdating => Tone::Progress,
            DisplayState::ReadyUpdateFailed
            | DisplayState::NotReadyRecovering
            | DisplayState::NotReady => Tone::Warning,
            DisplayState::NotReadyUpdateFailed => Tone::Error,
            DisplayState::NotReadyStopped | DisplayState::Unknown(_) => Tone::Neutral,
        }
    }

    /// Is a config update rolling out (poll faster, budgets.md P8)?
    pub fn is_transitioning(&self) -> bool {
        matches!(
            self,
            DisplayState::ReadyUpdating | DisplayState::NotReadyUpdating
        )
    }

    /// Does the endpoint serve traffic (its `ready` is `READY`)?
    pub fn is_serving(&self) -> bool {
        matches!(
            self,
            DisplayState::Ready | DisplayState::ReadyUpdating | DisplayState::ReadyUpdateFailed
        )
    }

    /// A stable slug for URL filters (`?state=`), one of [`DisplayState::KEYS`].
    pub fn key(&self) -> &'static str {
        match self {
            DisplayState::Ready => "ready",
            DisplayState::ReadyUpdating => "ready-updating",
            DisplayState::ReadyUpdateFailed => "ready-update-failed",
            DisplayState::NotReadyUpdating => "not-ready-updating",
            DisplayState::NotReadyUpdateFailed => "not-ready-update-failed",
            DisplayState::NotReadyStopped => "stopped",
            DisplayState::NotReadyRecovering => "recovering",
            DisplayState::NotReady => "not-ready",
            DisplayState::Unknown(_) => "unknown",
        }
    }

    /// The state of a filter slug; `unknown` gives `Unknown("")`. `None` for anything else.
    pub fn from_key(key: &str) -> Option<DisplayState> {
        Some(match key {
            "ready" => DisplayState::Ready,
            "ready-updating" => DisplayState::ReadyUpdating,
            "ready-update-failed" => DisplayState::ReadyUpdateFailed,
            "not-ready-updating" => DisplayState::NotReadyUpdating,
            "not-ready-update-failed" => DisplayState::NotReadyUpdateFailed,
            "stopped" => DisplayState::NotReadyStopped,
            "recovering" => DisplayState::NotReadyRecovering,
            "not-ready" => DisplayState::NotReady,
            "unknown" => DisplayState::Unknown(String::new()),
            _ => return None,
        })
    }

    /// Position in [`DisplayState::KEYS`] order, used to sort by state.
    pub fn rank(&self) -> u8 {
        match self {
            DisplayState::Ready => 0,
            DisplayState::ReadyUpdating => 1,
            DisplayState::ReadyUpdateFailed => 2,
            DisplayState::NotReadyUpdating => 3,
            DisplayState::NotReadyUpdateFailed => 4,
            DisplayState::NotReady => 5,
            DisplayState::NotReadyRecovering => 6,
            DisplayState::NotReadyStopped => 7,
            DisplayState::Unknown(_) => 8,
        }
    }

    /// `(key, label)` for every filter choice, in display order (for the state `<select>`).
    pub fn filter_options() -> Vec<(&'static str, String)> {
        Self::KEYS
            .iter()
            .filter_map(|k| Self::from_key(k).map(|s| (*k, s.label())))
            .collect()
    }
}

impl fmt::Display for DisplayState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

/// What the operator can do about the current state (the detail page's "what to do next").
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub enum NextStep {
    /// Read the build logs of served entity `entity` (image build / dependency failure).
    SeeBuildLogs {
        /// Served-entity name, as used in the logs path.
        entity: String,
    },
    /// Read the server logs of served entity `entity` (model load / runtime failure).
    SeeServerLogs {
        /// Served-entity name, as used in the logs path.
        entity: String,
    },
    /// The endpoint is stopped: start it to serve again.
    StartEndpoint,
    /// An update is rolling out: wait (the view polls faster meanwhile).
    WaitForUpdate,
}

impl NextStep {
    /// Short call to action: "See build logs", "See server logs", "Start the endpoint",
    /// "Wait for the update to finish".
    pub fn label(&self) -> &'static str {
        match self {
            NextStep::SeeBuildLogs { .. } => "See build logs",
            NextStep::SeeServerLogs { .. } => "See server logs",
            NextStep::StartEndpoint => "Start the endpoint",
            NextStep::WaitForUpdate => "Wait for the update to finish",
        }
    }

    /// The served entity whose logs to open, for the log steps.
    pub fn entity(&self) -> Option<&str> {
        match self {
            NextStep::SeeBuildLogs { entity } | NextStep::SeeServerLogs { entity } => Some(entity),
            NextStep::StartEndpoint | NextStep::WaitForUpdate => None,
        }
    }

    /// `"build"` or `"server"` for the log steps (the logs page's `kind=` parameter).
    pub fn log_kind(&self) -> Option<&'static str> {
        match self {
            NextStep::SeeBuildLogs { .. } => Some("build"),
            NextStep::SeeServerLogs { .. } => Some("server"),
            NextStep::StartEndpoint | NextStep::WaitForUpdate => None,
        }
    }
}

/// Everything the state indicator of the detail page shows.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct StateView {
    /// The derived state.
    pub state: DisplayState,
    /// Why, in the server's words (the most relevant entity's `deployment_state_message`).
    pub reason: Option<String>,
    /// What to do next.
    pub next_step: Option<NextStep>,
    /// Since when (ms since epoch): `pending_config.start_time` while updating, else
    /// `last_updated_timestamp`.
    pub since_ms: Option<i64>,
}

/// The readiness as the classifier sees it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Readiness<'a> {
    Ready,
    NotReady,
    Unknown(&'a str),
}

/// The update state as the classifier sees it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Update<'a> {
    Idle,
    InProgress,
    Failed,
    Canceled,
    Unknown(&'a str),
}

fn readiness(state: Option<&EndpointState>) -> Readiness<'_> {
    match state.and_then(|s| s.ready.as_ref()) {
        Some(ReadyState::Ready) => Readiness::Ready,
        Some(ReadyState::NotReady) | None => Readiness::NotReady,
        Some(ReadyState::Unknown(raw)) if raw.trim().is_empty() => Readiness::NotReady,
        Some(ReadyState::Unknown(raw)) => Readiness::Unknown(raw),
    }
}

fn update(state: Option<&EndpointState>) -> Update<'_> {
    match state.and_then(EndpointState::config_update) {
        Some(ConfigUpdateState::NotUpdating) | None => Update::Idle,
        Some(ConfigUpdateState::InProgress) => Update::InProgress,
        Some(ConfigUpdateState::UpdateFailed) => Update::Failed,
        Some(ConfigUpdateState::UpdateCanceled) => Update::Canceled,
        Some(ConfigUpdateState::Unknown(raw)) if raw.trim().is_empty() => Update::Idle,
        Some(ConfigUpdateState::Unknown(raw)) => Update::Unknown(raw),
    }
}

/// `"READY_SOMETHING / NOT_UPDATING"`: the raw texts, absent or empty ones as `—`.
fn raw_pair(state: Option<&EndpointState>) -> String {
    let ready = state
        .and_then(|s| s.ready.as_ref())
        .map(ReadyState::as_str)
        .filter(|s| !s.trim().is_empty())
        .unwrap_or("—");
    let update = state
        .and_then(EndpointState::config_update)
        .map(ConfigUpdateState::as_str)
        .filter(|s| !s.trim().is_empty())
        .unwrap_or("—");
    format!("{ready} / {update}")
}

/// Does `state.suspend` say `STOPPED` (UNCONFIRMED third-party field, read leniently)?
pub fn suspend_says_stopped(state: Option<&EndpointState>) -> bool {
    state
        .and_then(|s| s.suspend.as_deref())
        .is_some_and(|s| s.trim().eq_ignore_ascii_case("STOPPED"))
}

/// The classifier shared by the list and the detail page.
///
/// `entities_stopped`: the active config has entities and all are `DEPLOYMENT_STOPPED`;
/// `recovering`: an active entity is `DEPLOYMENT_RECOVERING`. List items know neither.
fn classify(
    state: Option<&EndpointState>,
    entities_stopped: bool,
    recovering: bool,
) -> DisplayState {
    let ready = readiness(state);
    let update = update(state);
    if update == Update::InProgress {
        return match ready {
            Readiness::Ready => DisplayState::ReadyUpdating,
            Readiness::NotReady => DisplayState::NotReadyUpdating,
            Readiness::Unknown(_) => DisplayState::Unknown(raw_pair(state)),
        };
    }
    if entities_stopped || suspend_says_stopped(state) {
        return DisplayState::NotReadyStopped;
    }
    match (ready, update) {
        (Readiness::Unknown(_), _) | (_, Update::Unknown(_)) => {
            DisplayState::Unknown(raw_pair(state))
        }
        (Readiness::Ready, Update::Idle) => DisplayState::Ready,
        (Readiness::Ready, Update::Failed | Update::Canceled) => DisplayState::ReadyUpdateFailed,
        (Readiness::NotReady, Update::Failed | Update::Canceled) => {
            DisplayState::NotReadyUpdateFailed
        }
        (Readiness::NotReady, Update::Idle) if recovering => DisplayState::NotReadyRecovering,
        (Readiness::NotReady, Update::Idle) => DisplayState::NotReady,
        // Handled by the early return above; kept total without a wildcard panic.
        (Readiness::Ready, Update::InProgress) => DisplayState::ReadyUpdating,
        (Readiness::NotReady, Update::InProgress) => DisplayState::NotReadyUpdating,
    }
}

/// One served entity (or legacy served model) of a detailed config, as the classifier needs it.
#[derive(Clone, Copy, Debug)]
struct Entity<'a> {
    name: &'a str,
    deployment: Option<&'a DeploymentState>,
    message: Option<&'a str>,
    /// External and foundation models have no build or server logs.
    has_logs: bool,
}

/// The served entities of a config, then the legacy served models not mirrored among them.
fn entities(config: Option<&EndpointCoreConfigOutput>) -> Vec<Entity<'_>> {
    let Some(config) = config else {
        return Vec::new();
    };
    let mut out: Vec<Entity<'_>> = config
        .served_entities
        .iter()
        .map(|e| Entity {
            name: e.name.as_str(),
            deployment: e.deployment(),
            message: e.message(),
            has_logs: e.external_model.is_none()
                && e.foundation_model.is_none()
                && !matches!(
                    e.entity_type,
                    Some(EntityType::ExternalModel | EntityType::FoundationModel)
                ),
        })
        .collect();
    for m in &config.served_models {
        if out.iter().any(|e| e.name == m.name) {
            continue;
        }
        let state = m.state.as_ref();
        out.push(Entity {
            name: m.name.as_str(),
            deployment: state.and_then(|s| s.deployment.as_ref()),
            message: state
                .and_then(|s| s.deployment_state_message.as_deref())
                .filter(|s| !s.trim().is_empty()),
            has_logs: true,
        });
    }
    out
}

fn is(e: &Entity<'_>, d: &DeploymentState) -> bool {
    e.deployment == Some(d)
}

/// Does the active config have entities, all `DEPLOYMENT_STOPPED`?
fn all_stopped(active: &[Entity<'_>]) -> bool {
    !active.is_empty() && active.iter().all(|e| is(e, &DeploymentState::Stopped))
}

/// Is the endpoint stopped (explicit stop signals only; never from `NOT_READY` alone)?
pub fn is_stopped(e: &ServingEndpointDetailed) -> bool {
    suspend_says_stopped(e.state.as_ref()) || all_stopped(&entities(e.config.as_ref()))
}

/// The entities that explain a state, most relevant first: failed then aborted entities of
/// `pending_config`; then entities of `config` that are not ready (failed, aborted,
/// recovering, anything else); then not-ready entities of `pending_config` (e.g. creating).
fn culprits<'a>(active: &[Entity<'a>], pending: &[Entity<'a>]) -> Vec<Entity<'a>> {
    let not_ready = |e: &Entity<'_>| !is(e, &DeploymentState::Ready);
    let mut out = Vec::new();
    for tier in [&DeploymentState::Failed, &DeploymentState::Aborted] {
        out.extend(pending.iter().filter(|e| is(e, tier)).copied());
    }
    for tier in [
        &DeploymentState::Failed,
        &DeploymentState::Aborted,
        &DeploymentState::Recovering,
    ] {
        out.extend(active.iter().filter(|e| is(e, tier)).copied());
    }
    out.extend(
        active
            .iter()
            .filter(|e| {
                not_ready(e)
                    && !is(e, &DeploymentState::Failed)
                    && !is(e, &DeploymentState::Aborted)
                    && !is(e, &DeploymentState::Recovering)
            })
            .copied(),
    );
    out.extend(
        pending
            .iter()
            .filter(|e| {
                not_ready(e)
                    && !is(e, &DeploymentState::Failed)
                    && !is(e, &DeploymentState::Aborted)
            })
            .copied(),
    );
    out
}

/// Which logs explain `e`: the message's own hint first, then the deployment phase.
fn log_step(e: &Entity<'_>) -> NextStep {
    let entity = e.name.to_string();
    let msg = e.message.unwrap_or("").to_ascii_lowercase();
    if msg.contains("build log") {
        return NextStep::SeeBuildLogs { entity };
    }
    if msg.contains("service log") || msg.contains("server log") {
        return NextStep::SeeServerLogs { entity };
    }
    if msg.contains("image") || msg.contains("build") {
        return NextStep::SeeBuildLogs { entity };
    }
    match e.deployment {
        Some(DeploymentState::Creating | DeploymentState::Failed) => {
            NextStep::SeeBuildLogs { entity }
        }
        _ => NextStep::SeeServerLogs { entity },
    }
}

/// The state, reason, next step and "since" of a detailed endpoint (`GET …/{name}`).
pub fn derive_detailed(e: &ServingEndpointDetailed) -> StateView {
    let state_obj = e.state.as_ref();
    let active = entities(e.config.as_ref());
    let pending = entities(e.pending_config.as_ref());
    let recovering = active.iter().any(|x| is(x, &DeploymentState::Recovering));
    let state = classify(state_obj, all_stopped(&active), recovering);

    let culprits = culprits(&active, &pending);
    let message = culprits.iter().find_map(|c| c.message).map(str::to_string);
    let log_culprit = || culprits.iter().find(|c| c.has_logs).map(log_step);
    let pending_start = e.pending_config.as_ref().and_then(|p| p.start_time);

    let (reason, next_step, since_ms) = match &state {
        DisplayState::Ready => (None, None, e.last_updated_timestamp),
        DisplayState::ReadyUpdating | DisplayState::NotReadyUpdating => (
            message,
            Some(NextStep::WaitForUpdate),
            pending_start.or(e.last_updated_timestamp),
        ),
        DisplayState::ReadyUpdateFailed | DisplayState::NotReadyUpdateFailed => {
            let canceled = update(state_obj) == Update::Canceled;
            let reason = if canceled {
                Some(match message {
                    Some(m) => format!("Update canceled: {m}"),
                    None => "Update canceled".to_string(),
                })
            } else {
                message
            };
            (
                reason,
                log_culprit(),
                e.last_updated_timestamp.or(pending_start),
            )
        }
        DisplayState::NotReadyStopped => (
            message,
            Some(NextStep::StartEndpoint),
            e.last_updated_timestamp,
        ),
        DisplayState::NotReadyRecovering => {
            let step = active
                .iter()
                .find(|x| is(x, &DeploymentState::Recovering) && x.has_logs)
                .map(|x| NextStep::SeeServerLogs {
                    entity: x.name.to_string(),
                });
            (message, step, e.last_updated_timestamp)
        }
        DisplayState::NotReady => (message, log_culprit(), e.last_updated_timestamp),
        DisplayState::Unknown(_) => (message, None, e.last_updated_timestamp),
    };
    StateView {
        state,
        reason,
        next_step,
        since_ms,
    }
}

/// The state of a list item. List items carry no per-entity state, so `NOT_READY` +
/// `NOT_UPDATING` gives [`DisplayState::NotReady`], never "Stopped" or "Recovering" — unless
/// the item itself carries `state.suspend == "STOPPED"`.
pub fn derive_summary(e: &ServingEndpoint) -> DisplayState {
    classify(e.state.as_ref(), false, false)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn detailed(v: Value) -> ServingEndpointDetailed {
        serde_json::from_value(v).expect("valid detailed endpoint")
    }

    fn summary(v: Value) -> ServingEndpoint {
        serde_json::from_value(v).expect("valid list item")
    }

    #[derive(Clone, Copy, Debug)]
    enum Stop {
        None,
        Entities,
        Suspend,
    }

    /// `None` = absent field.
    const READY: [Option<&str>; 4] = [
        Some("READY"),
        Some("NOT_READY"),
        Some("READY_SOMETHING"),
        None,
    ];
    const UPDATE: [Option<&str>; 6] = [
        Some("NOT_UPDATING"),
        Some("IN_PROGRESS"),
        Some("UPDATE_FAILED"),
        Some("UPDATE_CANCELED"),
        Some("X"),
        None,
    ];

    /// The expected label without stop signals, as an explicit table.
    fn base_label(ready: Option<&str>, update: Option<&str>) -> &'static str {
        match (ready, update) {
            (Some("READY"), Some("NOT_UPDATING")) => "Ready",
            (Some("READY"), Some("IN_PROGRESS")) => "Ready (Updating)",
            (Some("READY"), Some("UPDATE_FAILED")) => "Ready (Update failed)",
            (Some("READY"), Some("UPDATE_CANCELED")) => "Ready (Update failed)",
            (Some("READY"), Some("X")) => "Unknown (READY / X)",
            (Some("READY"), None) => "Ready",
            (Some("NOT_READY"), Some("NOT_UPDATING")) => "Not ready",
            (Some("NOT_READY"), Some("IN_PROGRESS")) => "Not ready (Updating)",
            (Some("NOT_READY"), Some("UPDATE_FAILED")) => "Not ready (Update failed)",
            (Some("NOT_READY"), Some("UPDATE_CANCELED")) => "Not ready (Update failed)",
            (Some("NOT_READY"), Some("X")) => "Unknown (NOT_READY / X)",
            (Some("NOT_READY"), None) => "Not ready",
            (Some("READY_SOMETHING"), Some("NOT_UPDATING")) => {
                "Unknown (READY_SOMETHING / NOT_UPDATING)"
            }
            (Some("READY_SOMETHING"), Some("IN_PROGRESS")) => {
                "Unknown (READY_SOMETHING / IN_PROGRESS)"
            }
            (Some("READY_SOMETHING"), Some("UPDATE_FAILED")) => {
                "Unknown (READY_SOMETHING / UPDATE_FAILED)"
            }
            (Some("READY_SOMETHING"), Some("UPDATE_CANCELED")) => {
                "Unknown (READY_SOMETHING / UPDATE_CANCELED)"
            }
            (Some("READY_SOMETHING"), Some("X")) => "Unknown (READY_SOMETHING / X)",
            (Some("READY_SOMETHING"), None) => "Unknown (READY_SOMETHING / —)",
            (None, Some("NOT_UPDATING")) => "Not ready",
            (None, Some("IN_PROGRESS")) => "Not ready (Updating)",
            (None, Some("UPDATE_FAILED")) => "Not ready (Update failed)",
            (None, Some("UPDATE_CANCELED")) => "Not ready (Update failed)",
            (None, Some("X")) => "Unknown (— / X)",
            (None, None) => "Not ready",
            other => panic!("no expectation for {other:?}"),
        }
    }

    /// Builds the state object; `legacy` puts the update value in `update_state` only.
    fn state_json(ready: Option<&str>, update: Option<&str>, legacy: bool, suspend: bool) -> Value {
        let mut s = serde_json::Map::new();
        if let Some(r) = ready {
            s.insert("ready".into(), json!(r));
        }
        if let Some(u) = update {
            let key = if legacy {
                "update_state"
            } else {
                "config_update"
            };
            s.insert(key.into(), json!(u));
        }
        if suspend {
            s.insert("suspend".into(), json!("STOPPED"));
        }
        Value::Object(s)
    }

    fn entity(name: &str, deployment: &str, message: &str) -> Value {
        json!({
            "name": name,
            "entity_name": format!("main.x.{name}"),
            "entity_version": "1",
            "state": {"deployment": deployment, "deployment_state_message": message}
        })
    }

    #[test]
    fn every_combination_of_ready_update_stop_and_config() {
        let mut checked = 0;
        for ready in READY {
            for update in UPDATE {
                for legacy in [false, true] {
                    for stop in [Stop::None, Stop::Entities, Stop::Suspend] {
                        for config_present in [true, false] {
                            let deployment = match stop {
                                Stop::Entities => "DEPLOYMENT_STOPPED",
                                Stop::None | Stop::Suspend => "DEPLOYMENT_READY",
                            };
                            let mut v = json!({
                                "name": "ep",
                                "state": state_json(ready, update, legacy, matches!(stop, Stop::Suspend)),
                                "last_updated_timestamp": 1_000,
                            });
                            let ents = json!([
                                entity("a-1", deployment, ""),
                                entity("b-2", deployment, "")
                            ]);
                            if config_present {
                                v["config"] = json!({"served_entities": ents, "config_version": 3});
                            } else {
                                // First deployment: only a pending config, whose entity
                                // states never count as stop signals.
                                v["pending_config"] =
                                    json!({"served_entities": ents, "start_time": 500});
                            }
                            let e = detailed(v);
                            let stop_effective = match stop {
                                Stop::None => false,
                                Stop::Entities => config_present,
                                Stop::Suspend => true,
                            };
                            let expected = if stop_effective && update != Some("IN_PROGRESS") {
                                "Not ready (Stopped)"
                            } else {
                                base_label(ready, update)
                            };
                            let view = derive_detailed(&e);
                            assert_eq!(
                                view.state.label(),
                                expected,
                                "ready={ready:?} update={update:?} legacy={legacy} stop={stop:?} config={config_present}"
                            );
                            assert_eq!(is_stopped(&e), stop_effective);
                            // The list view of the same endpoint never sees entity states.
                            let mut s = e.summary();
                            if let Some(st) = s.state.as_mut() {
                                st.update_state =
                                    e.state.as_ref().and_then(|x| x.update_state.clone());
                                st.suspend = e.state.as_ref().and_then(|x| x.suspend.clone());
                            }
                            let summary_expected = match stop {
                                Stop::Suspend if update != Some("IN_PROGRESS") => {
                                    "Not ready (Stopped)"
                                }
                                _ => base_label(ready, update),
                            };
                            assert_eq!(derive_summary(&s).label(), summary_expected);
                            checked += 1;
                        }
                    }
                }
            }
        }
        assert_eq!(checked, 4 * 6 * 2 * 3 * 2);
    }

    #[test]
    fn no_state_object_at_all_is_not_ready_not_stopped() {
        let e = detailed(json!({"name": "ep"}));
        assert_eq!(derive_detailed(&e).state, DisplayState::NotReady);
        let e = detailed(json!({"name": "ep", "state": {}}));
        assert_eq!(derive_detailed(&e).state, DisplayState::NotReady);
        let s = summary(json!({"name": "ep"}));
        assert_eq!(derive_summary(&s), DisplayState::NotReady);
    }

    #[test]
    fn empty_enum_strings_read_as_absent() {
        let e = detailed(json!({"name": "ep", "state": {"ready": "", "config_update": ""}}));
        assert_eq!(derive_detailed(&e).state, DisplayState::NotReady);
        let e = detailed(json!({"name": "ep", "state": {"ready": "READY", "config_update": ""}}));
        assert_eq!(derive_detailed(&e).state, DisplayState::Ready);
    }

    #[test]
    fn config_update_wins_over_update_state() {
        let e = detailed(json!({"name": "ep", "state": {
            "ready": "READY", "config_update": "IN_PROGRESS", "update_state": "NOT_UPDATING"}}));
        assert_eq!(derive_detailed(&e).state, DisplayState::ReadyUpdating);
        let e = detailed(json!({"name": "ep", "state": {
            "ready": "READY", "config_update": "NOT_UPDATING", "update_state": "UPDATE_FAILED"}}));
        assert_eq!(derive_detailed(&e).state, DisplayState::Ready);
    }

    #[test]
    fn stopped_needs_every_active_entity_stopped() {
        let e = detailed(json!({"name": "ep",
            "state": {"ready": "NOT_READY", "config_update": "NOT_UPDATING"},
            "config": {"served_entities": [
                entity("a-1", "DEPLOYMENT_STOPPED", "stopped"),
                entity("b-1", "DEPLOYMENT_READY", "")]}}));
        assert_eq!(derive_detailed(&e).state, DisplayState::NotReady);
        assert!(!is_stopped(&e));
        // Config present but empty: no entity signal.
        let e = detailed(json!({"name": "ep",
            "state": {"ready": "NOT_READY", "config_update": "NOT_UPDATING"},
            "config": {"config_version": 2}}));
        assert_eq!(derive_detailed(&e).state, DisplayState::NotReady);
        // Legacy served_models count as entities.
        let e = detailed(json!({"name": "ep",
            "state": {"ready": "NOT_READY", "config_update": "NOT_UPDATING"},
            "config": {"served_models": [{"name": "m-1", "model_name": "m", "model_version": "1",
                "state": {"deployment": "DEPLOYMENT_STOPPED"}}]}}));
        assert_eq!(derive_detailed(&e).state, DisplayState::NotReadyStopped);
        // suspend is read leniently; other values are not a stop signal.
        let e = detailed(
            json!({"name": "ep", "state": {"ready": "NOT_READY", "suspend": " stopped "}}),
        );
        assert_eq!(derive_detailed(&e).state, DisplayState::NotReadyStopped);
        let e =
            detailed(json!({"name": "ep", "state": {"ready": "NOT_READY", "suspend": "RUNNING"}}));
        assert_eq!(derive_detailed(&e).state, DisplayState::NotReady);
    }

    #[test]
    fn recovering_entity_gives_recovering_and_server_logs() {
        let e = detailed(json!({"name": "ep",
            "last_updated_timestamp": 77,
            "state": {"ready": "NOT_READY", "config_update": "NOT_UPDATING"},
            "config": {"served_entities": [
                entity("a-1", "DEPLOYMENT_READY", ""),
                entity("b-1", "DEPLOYMENT_RECOVERING", "Replica crashed; restarting.")]}}));
        let v = derive_detailed(&e);
        assert_eq!(v.state, DisplayState::NotReadyRecovering);
        assert_eq!(v.state.label(), "Not ready (Recovering)");
        assert_eq!(v.reason.as_deref(), Some("Replica crashed; restarting."));
        assert_eq!(
            v.next_step,
            Some(NextStep::SeeServerLogs {
                entity: "b-1".into()
            })
        );
        assert_eq!(v.since_ms, Some(77));
        // READY with a recovering entity stays Ready (READY is authoritative).
        let e = detailed(json!({"name": "ep",
            "state": {"ready": "READY", "config_update": "NOT_UPDATING"},
            "config": {"served_entities": [entity("b-1", "DEPLOYMENT_RECOVERING", "")]}}));
        assert_eq!(derive_detailed(&e).state, DisplayState::Ready);
        // Stop signals win over recovering.
        let e = detailed(json!({"name": "ep",
            "state": {"ready": "NOT_READY", "suspend": "STOPPED"},
            "config": {"served_entities": [entity("b-1", "DEPLOYMENT_RECOVERING", "")]}}));
        assert_eq!(derive_detailed(&e).state, DisplayState::NotReadyStopped);
    }

    #[test]
    fn unknown_deployment_values_never_panic() {
        let e = detailed(json!({"name": "ep",
            "state": {"ready": "NOT_READY", "config_update": "NOT_UPDATING"},
            "config": {"served_entities": [entity("a-1", "DEPLOYMENT_HIBERNATING", "zzz")]}}));
        let v = derive_detailed(&e);
        assert_eq!(v.state, DisplayState::NotReady);
        assert_eq!(v.reason.as_deref(), Some("zzz"));
        assert_eq!(
            v.next_step,
            Some(NextStep::SeeServerLogs {
                entity: "a-1".into()
            })
        );
    }

    #[test]
    fn canceled_update_reason() {
        let e = detailed(json!({"name": "ep", "last_updated_timestamp": 9,
            "state": {"ready": "READY", "config_update": "UPDATE_CANCELED"},
            "config": {"served_entities": [entity("a-1", "DEPLOYMENT_READY", "")]}}));
        let v = derive_detailed(&e);
        assert_eq!(v.state, DisplayState::ReadyUpdateFailed);
        assert_eq!(v.reason.as_deref(), Some("Update canceled"));
        assert_eq!(v.next_step, None);
        assert_eq!(v.since_ms, Some(9));
        let e = detailed(json!({"name": "ep",
            "state": {"ready": "NOT_READY", "config_update": "UPDATE_CANCELED"},
            "pending_config": {"start_time": 5, "served_entities": [
                entity("a-2", "DEPLOYMENT_ABORTED", "Update canceled by user.")]}}));
        let v = derive_detailed(&e);
        assert_eq!(v.state, DisplayState::NotReadyUpdateFailed);
        assert_eq!(
            v.reason.as_deref(),
            Some("Update canceled: Update canceled by user.")
        );
        assert_eq!(v.since_ms, Some(5));
    }

    #[test]
    fn reason_prefers_failed_pending_then_aborted_then_active() {
        let e = detailed(json!({"name": "ep",
            "state": {"ready": "READY", "config_update": "UPDATE_FAILED"},
            "config": {"served_entities": [entity("old-1", "DEPLOYMENT_RECOVERING", "old trouble")]},
            "pending_config": {"start_time": 5, "served_entities": [
                entity("b-2", "DEPLOYMENT_ABORTED", "Aborted because a sibling failed."),
                entity("a-2", "DEPLOYMENT_FAILED", "Model loading raised an exception. Please see service logs for more information.")]}}));
        let v = derive_detailed(&e);
        assert_eq!(
            v.reason.as_deref(),
            Some(
                "Model loading raised an exception. Please see service logs for more information."
            )
        );
        assert_eq!(
            v.next_step,
            Some(NextStep::SeeServerLogs {
                entity: "a-2".into()
            })
        );
        // A failed entity without a message: the next message in order explains it, and
        // the failed entity still names the logs (build logs by default for a failure).
        let e = detailed(json!({"name": "ep",
            "state": {"ready": "NOT_READY", "config_update": "UPDATE_FAILED"},
            "pending_config": {"served_entities": [
                entity("b-2", "DEPLOYMENT_ABORTED", "Aborted because a sibling failed."),
                entity("a-2", "DEPLOYMENT_FAILED", "")]}}));
        let v = derive_detailed(&e);
        assert_eq!(
            v.reason.as_deref(),
            Some("Aborted because a sibling failed.")
        );
        assert_eq!(
            v.next_step,
            Some(NextStep::SeeBuildLogs {
                entity: "a-2".into()
            })
        );
    }

    #[test]
    fn external_model_failures_point_to_no_logs() {
        let e = detailed(json!({"name": "ep",
            "state": {"ready": "NOT_READY", "config_update": "UPDATE_FAILED"},
            "pending_config": {"served_entities": [{"name": "gpt", "type": "EXTERNAL_MODEL",
                "external_model": {"name": "gpt-4o", "provider": "openai"},
                "state": {"deployment": "DEPLOYMENT_FAILED", "deployment_state_message": "bad key"}}]}}));
        let v = derive_detailed(&e);
        assert_eq!(v.reason.as_deref(), Some("bad key"));
        assert_eq!(v.next_step, None);
    }

    #[test]
    fn keys_round_trip_and_are_unique() {
        let all = [
            DisplayState::Ready,
            DisplayState::ReadyUpdating,
            DisplayState::ReadyUpdateFailed,
            DisplayState::NotReadyUpdating,
            DisplayState::NotReadyUpdateFailed,
            DisplayState::NotReady,
            DisplayState::NotReadyRecovering,
            DisplayState::NotReadyStopped,
            DisplayState::Unknown("A / B".into()),
        ];
        for (i, s) in all.iter().enumerate() {
            assert_eq!(DisplayState::KEYS[i], s.key());
            assert_eq!(usize::from(s.rank()), i);
            let back = DisplayState::from_key(s.key()).expect("known key");
            assert_eq!(back.key(), s.key());
        }
        assert_eq!(DisplayState::from_key("READY"), None);
        assert_eq!(DisplayState::from_key(""), None);
        assert_eq!(
            DisplayState::from_key("unknown"),
            Some(DisplayState::Unknown(String::new()))
        );
        let opts = DisplayState::filter_options();
        assert_eq!(opts.len(), 9);
        assert_eq!(opts[0], ("ready", "Ready".to_string()));
        assert_eq!(opts[8], ("unknown", "Unknown".to_string()));
    }

    #[test]
    fn labels_tones_and_transitions() {
        use DisplayState as D;
        let cases = [
            (D::Ready, "Ready", Tone::Ok, false, true),
            (
                D::ReadyUpdating,
                "Ready (Updating)",
                Tone::Progress,
                true,
                true,
            ),
            (
                D::ReadyUpdateFailed,
                "Ready (Update failed)",
                Tone::Warning,
                false,
                true,
            ),
            (
                D::NotReadyUpdating,
                "Not ready (Updating)",
                Tone::Progress,
                true,
                false,
            ),
            (
                D::NotReadyUpdateFailed,
                "Not ready (Update failed)",
                Tone::Error,
                false,
                false,
            ),
            (
                D::NotReadyStopped,
                "Not ready (Stopped)",
                Tone::Neutral,
                false,
                false,
            ),
            (
                D::NotReadyRecovering,
                "Not ready (Recovering)",
                Tone::Warning,
                false,
                false,
            ),
            (D::NotReady, "Not ready", Tone::Warning, false, false),
            (
                D::Unknown("READY_SOMETHING / X".into()),
                "Unknown (READY_SOMETHING / X)",
                Tone::Neutral,
                false,
                false,
            ),
        ];
        for (s, label, tone, transitioning, serving) in cases {
            assert_eq!(s.label(), label);
            assert_eq!(s.to_string(), label);
            assert_eq!(s.tone(), tone, "{label}");
            assert_eq!(s.is_transitioning(), transitioning, "{label}");
            assert_eq!(s.is_serving(), serving, "{label}");
        }
        assert_eq!(Tone::Progress.as_str(), "progress");
    }

    #[test]
    fn next_step_accessors() {
        let b = NextStep::SeeBuildLogs {
            entity: "m-1".into(),
        };
        assert_eq!(b.label(), "See build logs");
        assert_eq!(b.entity(), Some("m-1"));
        assert_eq!(b.log_kind(), Some("build"));
        let s = NextStep::SeeServerLogs {
            entity: "m-2".into(),
        };
        assert_eq!(s.log_kind(), Some("server"));
        assert_eq!(NextStep::StartEndpoint.entity(), None);
        assert_eq!(NextStep::WaitForUpdate.log_kind(), None);
    }

    // ---- real fixtures -------------------------------------------------------------

    fn fixture(name: &str) -> ServingEndpointDetailed {
        serde_json::from_str(api_fixtures::get(name)).expect("fixture decodes")
    }

    #[test]
    fn fixture_custom_ready() {
        let e = fixture("get_custom_ready.json");
        let v = derive_detailed(&e);
        assert_eq!(v.state.label(), "Ready");
        assert_eq!(v.reason, None);
        assert_eq!(v.next_step, None);
        assert_eq!(v.since_ms, Some(1_753_920_000_000));
        assert!(!is_stopped(&e));
    }

    #[test]
    fn fixture_custom_ready_updating() {
        let v = derive_detailed(&fixture("get_custom_ready_updating.json"));
        assert_eq!(v.state.label(), "Ready (Updating)");
        assert!(v.state.is_transitioning());
        assert_eq!(v.reason.as_deref(), Some("Creating"));
        assert_eq!(v.next_step, Some(NextStep::WaitForUpdate));
        assert_eq!(v.since_ms, Some(1_754_985_600_000));
    }

    #[test]
    fn fixture_custom_creating() {
        let e = fixture("get_custom_creating.json");
        assert!(e.config.is_none());
        let v = derive_detailed(&e);
        assert_eq!(v.state.label(), "Not ready (Updating)");
        assert_eq!(v.reason.as_deref(), Some("Creating"));
        assert_eq!(v.next_step, Some(NextStep::WaitForUpdate));
        assert_eq!(v.since_ms, Some(1_755_072_000_000));
    }

    #[test]
    fn fixture_custom_update_failed() {
        let v = derive_detailed(&fixture("get_custom_update_failed.json"));
        assert_eq!(v.state.label(), "Ready (Update failed)");
        assert_eq!(v.state.tone(), Tone::Warning);
        assert_eq!(
            v.reason.as_deref(),
            Some("Container image creation failed. Please see build logs for more information.")
        );
        assert_eq!(
            v.next_step,
            Some(NextStep::SeeBuildLogs {
                entity: "pricing_model-4".into()
            })
        );
        assert_eq!(v.since_ms, Some(1_754_899_200_000));
    }

    #[test]
    fn fixture_custom_not_ready_update_failed() {
        let v = derive_detailed(&fixture("get_custom_not_ready_update_failed.json"));
        assert_eq!(v.state.label(), "Not ready (Update failed)");
        assert_eq!(v.state.tone(), Tone::Error);
        assert!(v
            .reason
            .as_deref()
            .is_some_and(|r| r.starts_with("Served model failed to start.")));
        assert_eq!(
            v.next_step,
            Some(NextStep::SeeServerLogs {
                entity: "sentiment_bert-2".into()
            })
        );
    }

    #[test]
    fn fixture_custom_stopped_both_variants() {
        for name in [
            "get_custom_stopped.json",
            "get_custom_stopped_variant_suspend.json",
        ] {
            let e = fixture(name);
            let v = derive_detailed(&e);
            assert_eq!(v.state.label(), "Not ready (Stopped)", "{name}");
            assert_eq!(v.reason.as_deref(), Some("Served entity is stopped."));
            assert_eq!(v.next_step, Some(NextStep::StartEndpoint));
            assert_eq!(v.since_ms, Some(1_754_380_800_000));
            assert!(is_stopped(&e));
            // Its list form cannot tell: honest "Not ready".
            assert_eq!(derive_summary(&e.summary()), DisplayState::NotReady);
        }
    }

    #[test]
    fn fixture_other_kinds_are_ready() {
        for name in [
            "get_external_model_ai_gateway.json",
            "get_foundation_model.json",
            "get_route_optimized.json",
        ] {
            let v = derive_detailed(&fixture(name));
            assert_eq!(v.state, DisplayState::Ready, "{name}");
            assert_eq!(v.next_step, None);
        }
    }

    #[test]
    fn fixture_list_summaries() {
        let list: api_types::ListEndpointsResponse =
            serde_json::from_str(api_fixtures::get("list_endpoints.json")).expect("list decodes");
        let got: Vec<(String, String)> = list
            .endpoints
            .iter()
            .map(|e| (e.name.clone(), derive_summary(e).label()))
            .collect();
        let want = [
            ("fraud-detector-prod", "Ready"),
            ("churn-model", "Ready (Updating)"),
            ("recsys-ranker", "Not ready (Updating)"),
            ("pricing-model", "Ready (Update failed)"),
            ("sentiment-bert-gpu", "Not ready (Update failed)"),
            ("forecast-batch-scorer", "Not ready"),
            ("databricks-meta-llama-3-3-70b-instruct", "Ready"),
            ("openai-gpt-4o-chat", "Ready"),
            ("realtime-risk-features", "Ready"),
        ];
        let want: Vec<(String, String)> = want
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        assert_eq!(got, want);
    }
}
