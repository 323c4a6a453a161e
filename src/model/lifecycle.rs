//! Following a Stop or Start until the API says it settled, and the outcome message.
//!
//! Mutations are confirmed, not optimistic: after the request succeeds the console keeps
//! polling `GET …/{name}` and feeds every fresh answer to [`Follow::observe`]. The outcome is
//! decided only by what the API reports:
//! - Stop succeeded when the endpoint reads as stopped (`DEPLOYMENT_STOPPED` entities or
//!   `state.suspend == "STOPPED"`).
//! - Start succeeded when it reads `READY` + `NOT_UPDATING` and no longer stopped; it failed
//!   when the new config version ends `UPDATE_FAILED`/`UPDATE_CANCELED` (with the entity's
//!   message).
//! - While an update is `IN_PROGRESS` (stopping, or the new version rolling out) we wait.
//! - An answer that shows neither progress nor the goal may predate the action (a poll that
//!   was already in flight): it only counts as a failure once progress was seen, or after
//!   [`QUIET_POLLS`] such answers.

use super::display_state::{derive_detailed, is_stopped};
use api_types::{ConfigUpdateState, ReadyState, ServingEndpointDetailed};

/// Fresh answers without progress or goal after which the action is judged to have failed.
pub const QUIET_POLLS: u32 = 3;

/// The lifecycle action being followed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Lifecycle {
    /// `POST …/config:stop`.
    Stop,
    /// `POST …/config:start`.
    Start,
}

impl Lifecycle {
    /// "stop" / "start".
    pub fn verb(self) -> &'static str {
        match self {
            Lifecycle::Stop => "stop",
            Lifecycle::Start => "start",
        }
    }

    /// "Stopping…" / "Starting…" (the pending button label).
    pub fn progressive(self) -> &'static str {
        match self {
            Lifecycle::Stop => "Stopping…",
            Lifecycle::Start => "Starting…",
        }
    }
}

/// What a fresh answer means for the action being followed.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Outcome {
    /// Not settled yet: keep polling fast.
    Waiting,
    /// Settled as intended; the message for the toast.
    Succeeded(String),
    /// Settled otherwise; the message for the toast (with the API's reason when it gave one).
    Failed(String),
}

impl Outcome {
    /// Settled (either way)?
    pub fn is_settled(&self) -> bool {
        !matches!(self, Outcome::Waiting)
    }
}

/// Follows one action from the moment its request succeeded.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Follow {
    /// The action.
    pub action: Lifecycle,
    seen_progress: bool,
    quiet: u32,
}

fn config_update(e: &ServingEndpointDetailed) -> Option<&ConfigUpdateState> {
    e.state.as_ref().and_then(|s| s.config_update())
}

fn ready(e: &ServingEndpointDetailed) -> bool {
    e.state.as_ref().and_then(|s| s.ready.as_ref()) == Some(&ReadyState::Ready)
}

impl Follow {
    /// Start following `action` (its request just succeeded).
    pub fn new(action: Lifecycle) -> Self {
        Follow {
            action,
            seen_progress: false,
            quiet: 0,
        }
    }

    /// Feed one fresh `GET` answer; returns what it means.
    pub fn observe(&mut self, e: &ServingEndpointDetailed) -> Outcome {
        let name = e.name.as_str();
        let update = config_update(e);
        if update == Some(&ConfigUpdateState::InProgress) {
            self.seen_progress = true;
            return Outcome::Waiting;
        }
        let view = derive_detailed(e);
        let label = view.state.label();
        let reason = view.reason.clone().filter(|r| !r.trim().is_empty());
        let stopped = is_stopped(e);
        // Neither progress nor the goal: may be an answer from before the action.
        let mut settle_otherwise = |msg: String| {
            self.quiet += 1;
            if self.seen_progress || self.quiet >= QUIET_POLLS {
                Outcome::Failed(msg)
            } else {
                Outcome::Waiting
            }
        };
        match self.action {
            Lifecycle::Stop => {
                if stopped {
                    Outcome::Succeeded(format!(
                        "Stopped {name}. Queries will fail with HTTP 400 until it is started again."
                    ))
                } else {
                    let why = reason.map(|r| format!(": {r}")).unwrap_or_default();
                    settle_otherwise(format!("{name} did not stop; it is {label}{why}"))
                }
            }
            Lifecycle::Start => {
                let failed = matches!(
                    update,
                    Some(ConfigUpdateState::UpdateFailed | ConfigUpdateState::UpdateCanceled)
                );
                if failed {
                    let why = reason.unwrap_or_else(|| "the update failed".to_string());
                    settle_otherwise(format!("Starting {name} failed: {why}"))
                } else if !stopped && ready(e) {
                    Outcome::Succeeded(format!("Started {name}; it is Ready."))
                } else if stopped {
                    settle_otherwise(format!("{name} did not start; it is still stopped."))
                } else {
                    let why = reason.map(|r| format!(": {r}")).unwrap_or_default();
                    settle_otherwise(format!("{name} started but is {label}{why}"))
                }
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn ep(
        ready: &str,
        update: &str,
        config: &str,
        pending: Option<(&str, &str)>,
    ) -> ServingEndpointDetailed {
        let mut v = json!({"name": "ltv", "permission_level": "CAN_MANAGE",
            "state": {"ready": ready, "config_update": update},
            "config": {"config_version": 3, "served_entities": [{"name": "m-3", "entity_name": "m",
                "state": {"deployment": config, "deployment_state_message": ""}}]}});
        if let Some((dep, msg)) = pending {
            v["pending_config"] = json!({"config_version": 4, "served_entities": [{"name": "m-4",
                "entity_name": "m", "state": {"deployment": dep, "deployment_state_message": msg}}]});
        }
        serde_json::from_value::<ServingEndpointDetailed>(v).unwrap()
    }

    fn ready() -> ServingEndpointDetailed {
        ep("READY", "NOT_UPDATING", "DEPLOYMENT_READY", None)
    }
    fn stopping() -> ServingEndpointDetailed {
        ep("NOT_READY", "IN_PROGRESS", "DEPLOYMENT_READY", None)
    }
    fn stopped() -> ServingEndpointDetailed {
        ep("NOT_READY", "NOT_UPDATING", "DEPLOYMENT_STOPPED", None)
    }
    fn starting() -> ServingEndpointDetailed {
        ep(
            "NOT_READY",
            "IN_PROGRESS",
            "DEPLOYMENT_STOPPED",
            Some(("DEPLOYMENT_CREATING", "Creating")),
        )
    }
    fn start_failed(msg: &str) -> ServingEndpointDetailed {
        ep(
            "NOT_READY",
            "UPDATE_FAILED",
            "DEPLOYMENT_STOPPED",
            Some(("DEPLOYMENT_FAILED", msg)),
        )
    }

    #[test]
    fn stop_waits_through_stopping_then_succeeds() {
        let mut f = Follow::new(Lifecycle::Stop);
        // A poll that was in flight before the stop: not a verdict.
        assert_eq!(f.observe(&ready()), Outcome::Waiting);
        assert_eq!(f.observe(&stopping()), Outcome::Waiting);
        assert_eq!(f.observe(&stopping()), Outcome::Waiting);
        let o = f.observe(&stopped());
        assert_eq!(
            o,
            Outcome::Succeeded(
                "Stopped ltv. Queries will fail with HTTP 400 until it is started again.".into()
            )
        );
        assert!(o.is_settled());
    }

    #[test]
    fn stop_that_lands_at_once_succeeds_on_the_first_answer() {
        let mut f = Follow::new(Lifecycle::Stop);
        assert!(matches!(f.observe(&stopped()), Outcome::Succeeded(_)));
        // The suspend variant counts too.
        let mut f = Follow::new(Lifecycle::Stop);
        let v: Value = json!({"name": "x", "state": {"ready": "NOT_READY", "config_update": "NOT_UPDATING", "suspend": "STOPPED"}});
        assert!(matches!(
            f.observe(&serde_json::from_value(v).unwrap()),
            Outcome::Succeeded(_)
        ));
    }

    #[test]
    fn stop_that_never_lands_fails_after_quiet_polls_or_after_progress() {
        let mut f = Follow::new(Lifecycle::Stop);
        for _ in 1..QUIET_POLLS {
            assert_eq!(f.observe(&ready()), Outcome::Waiting);
        }
        assert_eq!(
            f.observe(&ready()),
            Outcome::Failed("ltv did not stop; it is Ready".into())
        );
        // Progress seen, then back to Ready: failed at once.
        let mut f = Follow::new(Lifecycle::Stop);
        assert_eq!(f.observe(&stopping()), Outcome::Waiting);
        assert!(matches!(f.observe(&ready()), Outcome::Failed(_)));
    }

    #[test]
    fn start_waits_for_the_new_version_then_reports_ready() {
        let mut f = Follow::new(Lifecycle::Start);
        assert_eq!(f.observe(&stopped()), Outcome::Waiting, "stale answer");
        assert_eq!(f.observe(&starting()), Outcome::Waiting);
        assert_eq!(
            f.observe(&ready()),
            Outcome::Succeeded("Started ltv; it is Ready.".into())
        );
    }

    #[test]
    fn failed_start_reports_the_entity_message() {
        let msg = "Container image creation failed. Please see build logs for more information.";
        let mut f = Follow::new(Lifecycle::Start);
        // An earlier failure shown before the new start is under way is not this start's verdict.
        assert_eq!(f.observe(&start_failed("old failure")), Outcome::Waiting);
        assert_eq!(f.observe(&starting()), Outcome::Waiting);
        assert_eq!(
            f.observe(&start_failed(msg)),
            Outcome::Failed(format!("Starting ltv failed: {msg}"))
        );
    }

    #[test]
    fn start_that_does_nothing_fails_after_quiet_polls() {
        let mut f = Follow::new(Lifecycle::Start);
        for _ in 1..QUIET_POLLS {
            assert_eq!(f.observe(&stopped()), Outcome::Waiting);
        }
        assert_eq!(
            f.observe(&stopped()),
            Outcome::Failed("ltv did not start; it is still stopped.".into())
        );
    }

    #[test]
    fn start_that_lands_not_ready_says_so() {
        let mut f = Follow::new(Lifecycle::Start);
        assert_eq!(f.observe(&starting()), Outcome::Waiting);
        let recovering = ep("NOT_READY", "NOT_UPDATING", "DEPLOYMENT_RECOVERING", None);
        match f.observe(&recovering) {
            Outcome::Failed(m) => assert!(
                m.starts_with("ltv started but is Not ready (Recovering)"),
                "{m}"
            ),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn labels() {
        assert_eq!(Lifecycle::Stop.verb(), "stop");
        assert_eq!(Lifecycle::Start.progressive(), "Starting…");
        assert!(!Outcome::Waiting.is_settled());
        assert!(Outcome::Failed(String::new()).is_settled());
    }
}
