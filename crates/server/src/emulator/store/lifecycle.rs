//! An endpoint's life in time: config updates that finish or fail, stopping and starting, and
//! the scripted transition that ends each (applied lazily by [`super::Store::advance`]).

use super::record::EndpointRecord;
use api_types::{
    ConfigUpdateState, DeploymentState, EndpointCoreConfigOutput, ReadyState, ServedModelState,
    ServingEndpointDetailed,
};

/// Message on the entities of a stopped endpoint.
pub const STOPPED_MESSAGE: &str = "Served entity is stopped.";

/// Message on the sibling entities of a failed entity.
pub const ABORTED_MESSAGE: &str =
    "Served entity creation aborted because another served entity in this config version failed.";

impl EndpointRecord {
    /// Script the end of the running update: at `at_ms`, succeed (`None`) or fail with a message.
    pub fn schedule(&mut self, at_ms: i64, will_fail: Option<String>) {
        self.next_transition_at = Some(at_ms);
        self.will_fail = will_fail;
        self.failing_entity = None;
    }

    /// Drop any scripted transition.
    pub fn unschedule(&mut self) {
        self.next_transition_at = None;
        self.will_fail = None;
        self.failing_entity = None;
        self.stopping = false;
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
        let entity = self.failing_entity.take();
        self.next_transition_at = None;
        self.update(|d| match fail {
            None => finish_update(d),
            Some(message) => fail_update_on(d, &message, entity.as_deref()),
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

    /// Begin a config update (`PUT …/config`) that fails at `finish_at` on the served entity
    /// `entity` of `pending` with `message` (its siblings are aborted).
    pub fn begin_failing_update(
        &mut self,
        pending: EndpointCoreConfigOutput,
        now_ms: i64,
        finish_at: i64,
        message: String,
        entity: String,
    ) {
        self.begin_update(pending, now_ms, finish_at, Some(message));
        self.failing_entity = Some(entity);
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
}

fn at_or(at: Option<i64>, now_ms: i64) -> i64 {
    at.map_or(now_ms, |a| a.min(now_ms))
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
    fail_update_on(d, message, None)
}

/// A failed update: the pending entity `entity` (the first one if `None` or unknown) fails with
/// `message`, its siblings are aborted; the old config, if any, keeps serving.
pub fn fail_update_on(d: &mut ServingEndpointDetailed, message: &str, entity: Option<&str>) {
    if let Some(pending) = d.pending_config.as_mut() {
        let failing = entity
            .and_then(|n| pending.served_entities.iter().position(|e| e.name == n))
            .unwrap_or(0);
        for (i, e) in pending.served_entities.iter_mut().enumerate() {
            if i == failing {
                set_deployment(&mut e.state, DeploymentState::Failed, message);
            } else {
                set_deployment(&mut e.state, DeploymentState::Aborted, ABORTED_MESSAGE);
            }
        }
        let failing_model = entity
            .and_then(|n| pending.served_models.iter().position(|m| m.name == n))
            .unwrap_or(0);
        for (i, m) in pending.served_models.iter_mut().enumerate() {
            if i == failing_model {
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
