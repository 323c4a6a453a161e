//! The seed file format (`--seed FILE`, and the embedded `seed/default.json`): its types,
//! parsing and validation. What the emulator builds from a seed is [`super::seed`].
//!
//! # Format
//!
//! ```json
//! {
//!   "_emulator": { "reference_time": 1755072000000 },
//!   "endpoints": [
//!     { …a ServingEndpointDetailed exactly as GET /api/2.0/serving-endpoints/{name} returns it…,
//!       "_emulator": {
//!         "acl": [ { "user_name": "alice.chen@contoso.com", "permission_level": "CAN_MANAGE" },
//!                  { "group_name": "users", "permission_level": "CAN_VIEW" } ],
//!         "fails": "Container image creation failed. Please see build logs for more information.",
//!         "transition_after_secs": 20,
//!         "signature": { "inputs": [ {"name": "amount", "type": "double"} ] }
//!       } }
//!   ]
//! }
//! ```
//!
//! - `_emulator` keys are emulator hints, never sent to clients; all are optional.
//! - Timestamps are made relative to the time of loading: every timestamp is shifted by
//!   `now - reference_time` (default `reference_time`: the largest timestamp in the file), so
//!   the newest event happens "now" and the rest keep their spacing.
//! - `acl`: the endpoint's direct grants (`user_name` | `group_name` | `service_principal_name`
//!   plus `permission_level`). Absent: the creator gets `CAN_MANAGE` (a UUID creator is taken
//!   as a service principal). The `admins` group always has `CAN_MANAGE` (inherited).
//! - An endpoint whose `state.config_update` is `IN_PROGRESS` (with a `pending_config`) finishes
//!   its update `transition_after_secs` (default `--update-delay-secs`) after loading: it succeeds,
//!   or, with `fails`, ends in `UPDATE_FAILED` with that message on the pending entities.
//! - `signature`: the MLflow signature of every served custom model; `signatures`: per
//!   served-entity name. Without either the endpoint has no OpenAPI document (see `signature/`).
//! - `start_fails`: every `config:start` of this (stopped) endpoint rolls out the new config
//!   version, then ends in `UPDATE_FAILED` with this message; the endpoint stays stopped.
//! - `logs`: `{"build": "…", "server": "…"}`, the logs of every served custom model as is
//!   (either may be absent: that log is generated as usual).
//! - `openapi`: the OpenAPI document (any JSON), answered as is while the endpoint is READY.
//! - `display_names`: `{"user or service principal name": "display name"}` for the
//!   Permissions API (default: known people, else derived from the e-mail, else the id).
//! - `failing_versions`: `{"<entity_name>": {"<entity_version>": "build" | "load"}}`: a config
//!   update (`PUT …/config`) serving one of these versions rolls out, then ends in
//!   `UPDATE_FAILED` (the old config keeps serving); that entity is `DEPLOYMENT_FAILED` with a
//!   message pointing at its build logs (`build`: a pip error there) or its service logs
//!   (`load`: a Python stack trace in the server logs), its siblings `DEPLOYMENT_ABORTED`.
//! - `permission_level` in the file is ignored (it is computed per caller); `*_plaintext`
//!   secrets of external models are dropped.

use crate::emulator::signature::Signature;
use api_types::{is_valid_endpoint_name, AccessControlRequest, ServingEndpointDetailed};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::sync::Arc;

/// Emulator hints of a whole seed file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedFileHints {
    /// The instant (ms) that maps to "now" at load; default: the newest timestamp in the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference_time: Option<i64>,
}

/// Emulator hints of one endpoint.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndpointHints {
    /// Direct grants; absent = the creator gets `CAN_MANAGE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acl: Option<Vec<AccessControlRequest>>,
    /// The running update ends in `UPDATE_FAILED` with this message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fails: Option<String>,
    /// Seconds after loading when the running update ends (default `--update-delay-secs`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transition_after_secs: Option<u64>,
    /// The MLflow signature of every served custom model (see `signature/` for the form).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<Signature>,
    /// Signatures per served-entity name (override `signature`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signatures: Option<BTreeMap<String, Signature>>,
    /// Every start (`config:start`) of this endpoint ends in `UPDATE_FAILED` with this message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_fails: Option<String>,
    /// The build and/or server logs of every served custom model, as is (not generated).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logs: Option<LogTexts>,
    /// The OpenAPI document, answered as is (instead of one built from the signatures).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub openapi: Option<OpenApiText>,
    /// Display names of ACL principals, by user or service principal name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_names: Option<BTreeMap<String, String>>,
    /// Entity versions whose deployment fails, by entity name then version: a config update
    /// (`PUT …/config`) that serves one of them ends in `UPDATE_FAILED`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failing_versions: Option<FailingVersions>,
}

/// How a served entity version fails to deploy (`_emulator.failing_versions`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FailureKind {
    /// The container image does not build (a pip error in the build logs).
    Build,
    /// The image builds but the model fails to load (a stack trace in the server logs).
    Load,
}

impl FailureKind {
    /// The `deployment_state_message` of the failing entity (the wording of real failures:
    /// a build failure points at the build logs, a load failure at the service logs).
    pub fn message(self) -> &'static str {
        match self {
            FailureKind::Build => {
                "Container image creation failed. Please see build logs for more information."
            }
            FailureKind::Load => {
                "Served entity failed to load the model. Please see service logs for more information."
            }
        }
    }
}

/// `{"<entity_name>": {"<entity_version>": "build" | "load"}}`.
pub type FailingVersions = BTreeMap<String, BTreeMap<String, FailureKind>>;

/// Fixed log texts of an endpoint (`_emulator.logs`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogTexts {
    /// `…/build-logs`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub build: Option<String>,
    /// `…/logs`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server: Option<String>,
}

/// An OpenAPI document hint (`_emulator.openapi`): any JSON in the file, kept as the JSON text
/// the endpoint answers. Generated scenarios put their text here directly (a multi-MB benchmark
/// document need not pass through a `serde_json::Value`; a hostile one may hold a lone surrogate).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenApiText(pub Arc<str>);

impl Serialize for OpenApiText {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serde_json::from_str::<serde_json::Value>(&self.0)
            .map_err(serde::ser::Error::custom)?
            .serialize(s)
    }
}

impl<'de> Deserialize<'de> for OpenApiText {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let doc = serde_json::Value::deserialize(d)?;
        Ok(OpenApiText(Arc::from(doc.to_string())))
    }
}

/// One endpoint of a seed file: the GET shape plus `_emulator` hints.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SeedEndpoint {
    #[serde(flatten)]
    pub endpoint: ServingEndpointDetailed,
    #[serde(
        default,
        rename = "_emulator",
        skip_serializing_if = "is_default_hints"
    )]
    pub hints: EndpointHints,
}

fn is_default_hints(h: &EndpointHints) -> bool {
    *h == EndpointHints::default()
}

/// A seed file: `{"endpoints": [...]}` plus optional hints.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SeedFile {
    #[serde(default, rename = "_emulator", skip_serializing_if = "Option::is_none")]
    pub hints: Option<SeedFileHints>,
    #[serde(default)]
    pub endpoints: Vec<SeedEndpoint>,
}

/// Why a seed could not be loaded. The messages name the file.
#[derive(Debug)]
pub enum SeedError {
    Read {
        file: String,
        error: std::io::Error,
    },
    Parse {
        file: String,
        error: serde_json::Error,
    },
    Invalid {
        file: String,
        message: String,
    },
}

impl std::fmt::Display for SeedError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SeedError::Read { file, error } => write!(f, "cannot read seed file {file}: {error}"),
            SeedError::Parse { file, error } => {
                write!(f, "seed file {file} is malformed: {error}")
            }
            SeedError::Invalid { file, message } => {
                write!(f, "seed file {file} is invalid: {message}")
            }
        }
    }
}

impl std::error::Error for SeedError {}

impl SeedFile {
    /// Read and validate a seed file.
    pub fn read(path: &Path) -> Result<SeedFile, SeedError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|error| SeedError::Read {
            file: file.clone(),
            error,
        })?;
        Self::parse(&text, &file)
    }

    /// Parse and validate seed JSON; `origin` names it in errors.
    pub fn parse(text: &str, origin: &str) -> Result<SeedFile, SeedError> {
        let file: SeedFile = serde_json::from_str(text).map_err(|error| SeedError::Parse {
            file: origin.to_string(),
            error,
        })?;
        validate(&file).map_err(|message| SeedError::Invalid {
            file: origin.to_string(),
            message,
        })?;
        Ok(file)
    }
}

fn validate(file: &SeedFile) -> Result<(), String> {
    let mut names = HashSet::new();
    let mut ids = HashSet::new();
    for (i, se) in file.endpoints.iter().enumerate() {
        let name = &se.endpoint.name;
        if !is_valid_endpoint_name(name) {
            return Err(format!(
                "endpoints[{i}]: endpoint name '{name}' is invalid (must match ^[A-Za-z0-9_-]{{1,63}}$)"
            ));
        }
        if !names.insert(name.as_str()) {
            return Err(format!("endpoints[{i}]: duplicate endpoint name '{name}'"));
        }
        if let Some(id) = &se.endpoint.id {
            if !ids.insert(id.as_str()) {
                return Err(format!("endpoints[{i}] ('{name}'): duplicate id '{id}'"));
            }
        }
        for (j, entry) in se.hints.acl.iter().flatten().enumerate() {
            if entry.principal().is_none() {
                return Err(format!(
                    "endpoints[{i}] ('{name}'): _emulator.acl[{j}] must name exactly one of \
                     user_name, group_name, service_principal_name"
                ));
            }
            match &entry.permission_level {
                Some(l) if !l.is_unknown() => {}
                other => {
                    return Err(format!(
                        "endpoints[{i}] ('{name}'): _emulator.acl[{j}] has permission_level {:?}; \
                         expected CAN_MANAGE, CAN_QUERY or CAN_VIEW",
                        other.as_ref().map(|l| l.as_str())
                    ))
                }
            }
        }
    }
    Ok(())
}
