//! The Logs tab's choices and states, from the URL and the endpoint:
//! `/endpoints/{name}/logs?entity=&kind=server|build&version=&q=#L120`.
//!
//! - Which served entities have logs (custom models; not external or foundation models) and in
//!   which config versions (served and pending).
//! - Defaults: the failing or deploying entity (the state indicator's next step, else a pending
//!   entity being created), its build logs while building or after a build failure, else its
//!   server logs; the config version that holds the entity (pending first).
//! - What an empty log means (still building, build failed, stopped, nothing yet) and the notice
//!   over a non-empty one.

use super::display_state::{is_stopped, NextStep, StateView};
use api_types::{DeploymentState, EndpointCoreConfigOutput, EntityType, ServingEndpointDetailed};

/// Server logs or build logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LogKind {
    /// The model server's stdout/stderr (`…/logs`).
    Server,
    /// The container image build (`…/build-logs`).
    Build,
}

impl LogKind {
    /// `server` / `build` (the URL's `kind=`).
    pub fn as_str(&self) -> &'static str {
        match self {
            LogKind::Server => "server",
            LogKind::Build => "build",
        }
    }

    /// From the URL; anything else is `None`.
    pub fn parse(s: &str) -> Option<LogKind> {
        match s {
            "server" => Some(LogKind::Server),
            "build" => Some(LogKind::Build),
            _ => None,
        }
    }

    /// "Server logs" / "Build logs".
    pub fn label(&self) -> &'static str {
        match self {
            LogKind::Server => "Server logs",
            LogKind::Build => "Build logs",
        }
    }

    /// "server log" / "build log" (inside sentences).
    pub fn noun(&self) -> &'static str {
        match self {
            LogKind::Server => "server log",
            LogKind::Build => "build log",
        }
    }

    /// The API path suffix: `logs` / `build-logs`.
    pub fn api_suffix(&self) -> &'static str {
        match self {
            LogKind::Server => "logs",
            LogKind::Build => "build-logs",
        }
    }
}

/// The Logs tab's URL query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogQuery {
    /// Served-entity name.
    pub entity: Option<String>,
    /// Server or build.
    pub kind: Option<LogKind>,
    /// Config version.
    pub version: Option<i64>,
    /// Search text.
    pub q: String,
}

impl LogQuery {
    /// From the URL's parameters; invalid `kind`/`version` values are ignored.
    pub fn from_params(
        entity: Option<String>,
        kind: Option<String>,
        version: Option<String>,
        q: Option<String>,
    ) -> LogQuery {
        LogQuery {
            entity: entity.filter(|e| !e.is_empty()),
            kind: kind.as_deref().and_then(LogKind::parse),
            version: version
                .and_then(|v| v.trim().parse::<i64>().ok())
                .filter(|v| *v >= 1),
            q: q.unwrap_or_default(),
        }
    }

    /// The URL's parameters, in a stable order; empty ones left out.
    pub fn to_params(&self) -> Vec<(String, String)> {
        let mut p = Vec::new();
        if let Some(e) = &self.entity {
            p.push(("entity".to_string(), e.clone()));
        }
        if let Some(k) = self.kind {
            p.push(("kind".to_string(), k.as_str().to_string()));
        }
        if let Some(v) = self.version {
            p.push(("version".to_string(), v.to_string()));
        }
        if !self.q.is_empty() {
            p.push(("q".to_string(), self.q.clone()));
        }
        p
    }
}

/// `#L120` → 120 (1-based line); anything else → `None`.
pub fn parse_line_hash(hash: &str) -> Option<usize> {
    let h = hash.strip_prefix('#').unwrap_or(hash);
    h.strip_prefix('L')?
        .parse::<usize>()
        .ok()
        .filter(|n| *n >= 1)
}

/// One config version an entity is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityVersion {
    /// The config version.
    pub version: i64,
    /// Is it the pending config (else the served one)?
    pub pending: bool,
    /// The entity's deployment state there.
    pub deployment: Option<DeploymentState>,
    /// Its deployment message.
    pub message: Option<String>,
}

/// A served entity that has logs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogEntity {
    /// Served-entity name (the logs path segment).
    pub name: String,
    /// What it serves, e.g. `main.risk.fraud_xgb v7`.
    pub serves: Option<String>,
    /// The versions it is in: pending first, then served.
    pub versions: Vec<EntityVersion>,
}

impl LogEntity {
    /// The version shown by default: pending if the entity is in it, else the served one.
    pub fn default_version(&self) -> Option<&EntityVersion> {
        self.versions.first()
    }

    /// The entry for `version`.
    pub fn version(&self, version: i64) -> Option<&EntityVersion> {
        self.versions.iter().find(|v| v.version == version)
    }
}

fn push_config(out: &mut Vec<LogEntity>, config: Option<&EndpointCoreConfigOutput>, pending: bool) {
    let Some(c) = config else { return };
    let Some(version) = c.config_version else {
        return;
    };
    let mut add =
        |name: &str, serves: Option<String>, dep: Option<DeploymentState>, msg: Option<String>| {
            let v = EntityVersion {
                version,
                pending,
                deployment: dep,
                message: msg.filter(|m| !m.trim().is_empty()),
            };
            match out.iter_mut().find(|e| e.name == name) {
                Some(e) => {
                    if !e.versions.iter().any(|x| x.version == version) {
                        e.versions.push(v);
                    }
                }
                None => out.push(LogEntity {
                    name: name.to_string(),
                    serves,
                    versions: vec![v],
                }),
            }
        };
    for e in &c.served_entities {
        let no_logs = e.external_model.is_some()
            || e.foundation_model.is_some()
            || matches!(
                e.entity_type,
                Some(EntityType::ExternalModel | EntityType::FoundationModel)
            );
        if no_logs {
            continue;
        }
        let serves = match (&e.entity_name, &e.entity_version) {
            (Some(n), Some(v)) => Some(format!("{n} v{v}")),
            (Some(n), None) => Some(n.clone()),
            _ => None,
        };
        add(
            &e.name,
            serves,
            e.deployment().cloned(),
            e.message().map(str::to_string),
        );
    }
    for m in &c.served_models {
        let serves = match (&m.model_name, &m.model_version) {
            (Some(n), Some(v)) => Some(format!("{n} v{v}")),
            (Some(n), None) => Some(n.clone()),
            _ => None,
        };
        let st = m.state.as_ref();
        add(
            &m.name,
            serves,
            st.and_then(|s| s.deployment.clone()),
            st.and_then(|s| s.deployment_state_message.clone()),
        );
    }
}

/// The served entities with logs: pending config first, then the served config; each with the
/// versions it is in (pending first).
pub fn log_entities(e: &ServingEndpointDetailed) -> Vec<LogEntity> {
    let mut out = Vec::new();
    push_config(&mut out, e.pending_config.as_ref(), true);
    push_config(&mut out, e.config.as_ref(), false);
    out
}

/// What the tab shows: entity, kind and version (all resolved).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Selection {
    /// Served-entity name.
    pub entity: String,
    /// Server or build.
    pub kind: LogKind,
    /// The config version asked for (`None`: the API's default; only for an entity the
    /// endpoint does not list).
    pub version: Option<i64>,
}

/// Does a deployment message point at the image build?
fn is_build_message(m: &str) -> bool {
    let m = m.to_ascii_lowercase();
    if m.contains("service log") || m.contains("server log") {
        return false;
    }
    m.contains("build") || m.contains("image")
}

/// Resolve the URL's choices against the endpoint, filling in defaults.
pub fn resolve(query: &LogQuery, entities: &[LogEntity], view: &StateView) -> Option<Selection> {
    let step_entity = view.next_step.as_ref().and_then(NextStep::entity);
    let entity_name = match &query.entity {
        Some(e) => e.clone(),
        None => {
            let pick = step_entity
                .and_then(|s| entities.iter().find(|e| e.name == s))
                .or_else(|| {
                    entities.iter().find(|e| {
                        e.versions.iter().any(|v| {
                            v.pending
                                && matches!(
                                    v.deployment,
                                    Some(DeploymentState::Creating | DeploymentState::Failed)
                                )
                        })
                    })
                })
                .or_else(|| entities.first())?;
            pick.name.clone()
        }
    };
    let entity = entities.iter().find(|e| e.name == entity_name);
    let version = query
        .version
        .or_else(|| entity.and_then(|e| e.default_version()).map(|v| v.version));
    let kind = query.kind.unwrap_or_else(|| {
        if step_entity == Some(entity_name.as_str()) {
            if let Some(k) = view.next_step.as_ref().and_then(NextStep::log_kind) {
                return LogKind::parse(k).unwrap_or(LogKind::Server);
            }
        }
        let v = entity.and_then(|e| version.and_then(|n| e.version(n)));
        match v {
            Some(v) if v.deployment == Some(DeploymentState::Creating) => LogKind::Build,
            Some(v)
                if v.deployment == Some(DeploymentState::Failed)
                    && is_build_message(v.message.as_deref().unwrap_or("")) =>
            {
                LogKind::Build
            }
            _ => LogKind::Server,
        }
    });
    Some(Selection {
        entity: entity_name,
        kind,
        version,
    })
}

/// Where the selected entity's deployment stands, as far as its logs go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Situation {
    /// Being created (image building or model server starting).
    Building,
    /// Failed in the image build.
    BuildFailed,
    /// Failed after the build (model load, server start).
    ServerFailed,
    /// The endpoint is stopped and this is its served config.
    Stopped,
    /// Anything else (serving, recovering, unknown).
    Other,
}

/// The situation of `sel` on endpoint `e`.
pub fn situation(
    e: &ServingEndpointDetailed,
    entities: &[LogEntity],
    sel: &Selection,
) -> Situation {
    let v = entities
        .iter()
        .find(|x| x.name == sel.entity)
        .and_then(|x| sel.version.and_then(|n| x.version(n)));
    let Some(v) = v else {
        return Situation::Other;
    };
    match &v.deployment {
        Some(DeploymentState::Creating) => Situation::Building,
        Some(DeploymentState::Failed) => {
            if is_build_message(v.message.as_deref().unwrap_or("")) {
                Situation::BuildFailed
            } else {
                Situation::ServerFailed
            }
        }
        _ if !v.pending && is_stopped(e) => Situation::Stopped,
        Some(DeploymentState::Stopped) => Situation::Stopped,
        _ => Situation::Other,
    }
}

/// What an empty log is shown as: a title, an explanation, and whether to offer the build logs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmptyState {
    /// Heading.
    pub title: &'static str,
    /// Explanation.
    pub body: String,
    /// Offer a link to the build logs of the same entity and version.
    pub link_build: bool,
}

/// The empty state for `kind` in `situation`.
pub fn empty_state(kind: LogKind, situation: Situation) -> EmptyState {
    match (kind, situation) {
        (LogKind::Server, Situation::Building) => EmptyState {
            title: "Still building",
            body: "The model server starts once the container image is built; its logs appear here then. The build logs show the progress meanwhile.".into(),
            link_build: true,
        },
        (LogKind::Server, Situation::BuildFailed) => EmptyState {
            title: "No server logs: the image build failed",
            body: "The container image could not be built, so no model server ran. The build logs show why.".into(),
            link_build: true,
        },
        (LogKind::Server, Situation::Stopped) => EmptyState {
            title: "The endpoint is stopped",
            body: "No model server is running, so there are no server logs. Start the endpoint to serve (and log) again.".into(),
            link_build: false,
        },
        (LogKind::Build, Situation::Building) => EmptyState {
            title: "Still building",
            body: "The build has not written anything yet. New lines appear here as it runs while Follow is on.".into(),
            link_build: false,
        },
        (kind, _) => EmptyState {
            title: "No logs yet",
            body: format!(
                "The {} of this entity and config version is empty so far.",
                kind.noun()
            ),
            link_build: false,
        },
    }
}

/// A one-line notice over a non-empty log, if the situation calls for one.
pub fn notice(kind: LogKind, situation: Situation) -> Option<&'static str> {
    match (kind, situation) {
        (LogKind::Build, Situation::Building) => {
            Some("Still building: new lines appear as the build runs.")
        }
        (LogKind::Server, Situation::Building) => {
            Some("The model server is starting; the deployment has not finished yet.")
        }
        (LogKind::Server, Situation::Stopped) => {
            Some("The endpoint is stopped: these are the last lines its model server wrote.")
        }
        (LogKind::Build, Situation::BuildFailed) => {
            Some("The build failed: the error is near the end of this log.")
        }
        (LogKind::Server, Situation::ServerFailed) => {
            Some("The model server failed to start: look for the Python traceback.")
        }
        _ => None,
    }
}

/// Follow by default while the selected version is being created (there is something to follow).
pub fn follow_by_default(situation: Situation) -> bool {
    situation == Situation::Building
}

/// A safe download file name: `pricing-model_pricing_model-4_build_v4.log`.
pub fn download_name(endpoint: &str, sel: &Selection) -> String {
    let clean = |s: &str| -> String {
        s.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' {
                    c
                } else {
                    '_'
                }
            })
            .collect()
    };
    let version = sel.version.map(|v| format!("_v{v}")).unwrap_or_default();
    format!(
        "{}_{}_{}{}.log",
        clean(endpoint),
        clean(&sel.entity),
        sel.kind.as_str(),
        version
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::display_state::derive_detailed;

    fn fixture(name: &str) -> ServingEndpointDetailed {
        serde_json::from_str(api_fixtures::get(name)).unwrap()
    }

    #[test]
    fn query_round_trips_and_ignores_junk() {
        let q = LogQuery::from_params(
            Some("m-1".into()),
            Some("build".into()),
            Some("4".into()),
            Some("err or".into()),
        );
        assert_eq!(q.kind, Some(LogKind::Build));
        assert_eq!(q.version, Some(4));
        assert_eq!(
            q.to_params(),
            vec![
                ("entity".to_string(), "m-1".to_string()),
                ("kind".into(), "build".into()),
                ("version".into(), "4".into()),
                ("q".into(), "err or".into()),
            ]
        );
        let junk = LogQuery::from_params(
            Some(String::new()),
            Some("html".into()),
            Some("-3".into()),
            None,
        );
        assert_eq!(junk, LogQuery::default());
        assert!(LogQuery::default().to_params().is_empty());
    }

    #[test]
    fn line_hash() {
        assert_eq!(parse_line_hash("#L120"), Some(120));
        assert_eq!(parse_line_hash("L7"), Some(7));
        assert_eq!(parse_line_hash("#L0"), None);
        assert_eq!(parse_line_hash("#main"), None);
        assert_eq!(parse_line_hash(""), None);
    }

    #[test]
    fn failed_build_defaults_to_its_build_logs() {
        let e = fixture("get_custom_update_failed.json");
        let view = derive_detailed(&e);
        let entities = log_entities(&e);
        assert!(!entities.is_empty());
        let sel = resolve(&LogQuery::default(), &entities, &view).unwrap();
        let failing = entities
            .iter()
            .find(|x| {
                x.versions
                    .iter()
                    .any(|v| v.deployment == Some(DeploymentState::Failed))
            })
            .unwrap();
        assert_eq!(sel.entity, failing.name);
        assert_eq!(sel.kind, LogKind::Build);
        assert_eq!(sel.version, failing.default_version().map(|v| v.version));
        assert_eq!(situation(&e, &entities, &sel), Situation::BuildFailed);
        // The URL wins.
        let q = LogQuery {
            kind: Some(LogKind::Server),
            ..LogQuery::default()
        };
        assert_eq!(resolve(&q, &entities, &view).unwrap().kind, LogKind::Server);
    }

    #[test]
    fn ready_endpoint_defaults_to_server_logs_of_the_first_entity() {
        let e = fixture("get_custom_ready.json");
        let view = derive_detailed(&e);
        let entities = log_entities(&e);
        let sel = resolve(&LogQuery::default(), &entities, &view).unwrap();
        assert_eq!(sel.entity, entities[0].name);
        assert_eq!(sel.kind, LogKind::Server);
        assert_eq!(situation(&e, &entities, &sel), Situation::Other);
        assert!(!follow_by_default(Situation::Other));
    }

    #[test]
    fn creating_entity_defaults_to_build_and_follows() {
        let e = fixture("get_custom_creating.json");
        let view = derive_detailed(&e);
        let entities = log_entities(&e);
        let sel = resolve(&LogQuery::default(), &entities, &view).unwrap();
        assert_eq!(sel.kind, LogKind::Build);
        let s = situation(&e, &entities, &sel);
        assert_eq!(s, Situation::Building);
        assert!(follow_by_default(s));
        assert_eq!(empty_state(LogKind::Server, s).title, "Still building");
        assert!(empty_state(LogKind::Server, s).link_build);
    }

    #[test]
    fn stopped_endpoint_says_so() {
        let e = fixture("get_custom_stopped.json");
        let view = derive_detailed(&e);
        let entities = log_entities(&e);
        let sel = resolve(&LogQuery::default(), &entities, &view).unwrap();
        assert_eq!(situation(&e, &entities, &sel), Situation::Stopped);
        assert_eq!(
            empty_state(LogKind::Server, Situation::Stopped).title,
            "The endpoint is stopped"
        );
        assert!(notice(LogKind::Server, Situation::Stopped).is_some());
    }

    #[test]
    fn external_and_foundation_models_have_no_logs() {
        for f in [
            "get_external_model_ai_gateway.json",
            "get_foundation_model.json",
        ] {
            let e = fixture(f);
            assert!(log_entities(&e).is_empty(), "{f}");
            let view = derive_detailed(&e);
            assert_eq!(resolve(&LogQuery::default(), &[], &view), None);
        }
    }

    #[test]
    fn unknown_entity_from_the_url_is_kept() {
        let e = fixture("get_custom_ready.json");
        let view = derive_detailed(&e);
        let entities = log_entities(&e);
        let q = LogQuery {
            entity: Some("gone-1".into()),
            ..LogQuery::default()
        };
        let sel = resolve(&q, &entities, &view).unwrap();
        assert_eq!(sel.entity, "gone-1");
        assert_eq!(sel.version, None, "the API's default version");
        assert_eq!(situation(&e, &entities, &sel), Situation::Other);
    }

    #[test]
    fn download_names_are_safe() {
        let sel = Selection {
            entity: "a/b <c>".into(),
            kind: LogKind::Build,
            version: Some(4),
        };
        assert_eq!(
            download_name("pricing-model", &sel),
            "pricing-model_a_b__c__build_v4.log"
        );
    }
}
