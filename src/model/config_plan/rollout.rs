//! Following a config update until the endpoint settles: from each GET, whether the new
//! version is still building, is served, or failed (the old config keeps serving), with the
//! per-entity deployment states of the pending config (a failing entity's build log is where
//! the UI links).

use api_types::{
    ConfigUpdateState, DeploymentState, EndpointCoreConfigOutput, ServingEndpointDetailed,
};

/// One entity of the config being rolled out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityProgress {
    pub name: String,
    /// The wire value (`DEPLOYMENT_CREATING`, …), or empty when not reported.
    pub deployment: String,
    pub message: Option<String>,
    /// `DEPLOYMENT_FAILED` or `DEPLOYMENT_ABORTED`: its build and server logs say why.
    pub failed: bool,
}

/// Where an update is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rollout {
    /// `IN_PROGRESS`: the pending version builds and deploys; the old one serves.
    InProgress {
        pending_version: Option<i64>,
        serving_version: Option<i64>,
        entities: Vec<EntityProgress>,
    },
    /// `NOT_UPDATING`: this version is served.
    Served { version: Option<i64> },
    /// `UPDATE_FAILED` / `UPDATE_CANCELED`: the pending version did not replace the served one.
    Failed {
        canceled: bool,
        pending_version: Option<i64>,
        /// The version that keeps serving (none if the endpoint never served one).
        serving_version: Option<i64>,
        entities: Vec<EntityProgress>,
    },
    /// A state this console does not know: keep reading.
    Unknown(String),
}

impl Rollout {
    /// Is there nothing more to wait for?
    pub fn settled(&self) -> bool {
        matches!(self, Rollout::Served { .. } | Rollout::Failed { .. })
    }
}

fn entities(c: Option<&EndpointCoreConfigOutput>) -> Vec<EntityProgress> {
    let Some(c) = c else { return Vec::new() };
    c.served_entities
        .iter()
        .map(|e| EntityProgress {
            name: e.name.clone(),
            deployment: e
                .deployment()
                .map(|d| d.as_str().to_string())
                .unwrap_or_default(),
            message: e.message().map(str::to_string),
            failed: matches!(
                e.deployment(),
                Some(DeploymentState::Failed | DeploymentState::Aborted)
            ),
        })
        .collect()
}

/// Read one GET answer during a rollout.
pub fn follow(ep: &ServingEndpointDetailed) -> Rollout {
    let serving = ep.config.as_ref().and_then(|c| c.config_version);
    let pending = ep.pending_config.as_ref();
    let pending_version = pending.and_then(|c| c.config_version);
    match ep.state.as_ref().and_then(|s| s.config_update()) {
        Some(ConfigUpdateState::InProgress) => Rollout::InProgress {
            pending_version,
            serving_version: serving,
            entities: entities(pending),
        },
        Some(ConfigUpdateState::NotUpdating) | None => Rollout::Served { version: serving },
        Some(s @ (ConfigUpdateState::UpdateFailed | ConfigUpdateState::UpdateCanceled)) => {
            Rollout::Failed {
                canceled: matches!(s, ConfigUpdateState::UpdateCanceled),
                pending_version,
                serving_version: serving,
                entities: entities(pending),
            }
        }
        Some(ConfigUpdateState::Unknown(s)) => Rollout::Unknown(s.clone()),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn read(name: &str) -> Rollout {
        follow(&serde_json::from_str(api_fixtures::get(name)).unwrap())
    }

    #[test]
    fn an_update_in_progress_shows_the_pending_entities() {
        let r = read("get_custom_ready_updating.json");
        assert_eq!(
            r,
            Rollout::InProgress {
                pending_version: Some(5),
                serving_version: Some(4),
                entities: vec![EntityProgress {
                    name: "churn_lgbm-5".into(),
                    deployment: "DEPLOYMENT_CREATING".into(),
                    message: Some("Creating".into()),
                    failed: false,
                }],
            }
        );
        assert!(!r.settled());
    }

    #[test]
    fn a_failed_update_names_the_failing_entity_and_what_still_serves() {
        let r = read("get_custom_update_failed.json");
        let Rollout::Failed {
            canceled,
            pending_version,
            serving_version,
            entities,
        } = &r
        else {
            panic!("{r:?}")
        };
        assert!(!canceled);
        assert_eq!((*pending_version, *serving_version), (Some(4), Some(3)));
        assert_eq!(entities[0].name, "pricing_model-4");
        assert!(entities[0].failed);
        assert!(entities[0]
            .message
            .as_deref()
            .unwrap()
            .contains("build logs"));
        assert!(r.settled());
    }

    #[test]
    fn served_and_unknown() {
        assert_eq!(
            read("get_custom_ready.json"),
            Rollout::Served { version: Some(12) }
        );
        let mut ep: ServingEndpointDetailed =
            serde_json::from_str(api_fixtures::get("get_custom_ready.json")).unwrap();
        ep.state.as_mut().unwrap().config_update =
            Some(ConfigUpdateState::Unknown("PAUSED".into()));
        let r = follow(&ep);
        assert_eq!(r, Rollout::Unknown("PAUSED".into()));
        assert!(!r.settled());
    }
}
