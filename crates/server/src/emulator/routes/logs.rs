//! `GET /api/2.0/serving-endpoints/{name}/served-models/{served_model_name}/logs` and
//! `…/build-logs` → `{"logs": "…"}` (serving-api.md §5.7).
//!
//! - `config_version` is optional, accepted as a query parameter (what a browser can send with
//!   GET) and as the JSON body the docs show (`{"config_version": 1}`); both at once must agree.
//!   Default: the pending config if it holds the entity, else the served config.
//! - Unknown endpoint → 404 `RESOURCE_DOES_NOT_EXIST` (the endpoint wording); unknown served
//!   model, or a config version the endpoint does not have → 404 `RESOURCE_DOES_NOT_EXIST`;
//!   external and foundation models have no logs → 400 `INVALID_PARAMETER_VALUE`.
//! - `CAN_VIEW` is enough to read.
//! - Content comes from [`crate::emulator::log_gen`], computed from the entity's deployment
//!   timeline and the emulated clock; `--log-lines N` gives one endpoint N-line server logs;
//!   a seed's `_emulator.logs` fixes an endpoint's texts.

use crate::emulator::log_gen::{self, Outcome, Timeline};
use crate::emulator::principals::Caller;
use crate::emulator::routes::endpoints::authorize;
use crate::emulator::state::AppState;
use crate::emulator::store::EndpointRecord;
use crate::error::{raw_json_response, ApiError};
use api_types::{
    is_valid_endpoint_name, DeploymentState, EndpointCoreConfigOutput, EntityType, LogsResponse,
    PermissionLevel,
};
use axum::body::Bytes;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock, PoisonError};

/// Which log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogKind {
    /// `…/build-logs`: the container image build.
    Build,
    /// `…/logs`: the model server.
    Server,
}

/// The log routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/2.0/serving-endpoints/{name}/served-models/{served}/logs",
            get(server_logs),
        )
        .route(
            "/api/2.0/serving-endpoints/{name}/served-models/{served}/build-logs",
            get(build_logs),
        )
}

#[derive(Debug, Default, Deserialize)]
struct LogsQuery {
    #[serde(default)]
    config_version: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct LogsBody {
    #[serde(default)]
    config_version: Option<serde_json::Value>,
}

type LogsPath = Result<Path<(String, String)>, PathRejection>;
type LogsQueryParam = Result<Query<LogsQuery>, QueryRejection>;

async fn server_logs(
    State(state): State<AppState>,
    caller: Caller,
    path: LogsPath,
    query: LogsQueryParam,
    body: Bytes,
) -> Result<Response, ApiError> {
    logs(state, caller, path, query, body, LogKind::Server)
}

async fn build_logs(
    State(state): State<AppState>,
    caller: Caller,
    path: LogsPath,
    query: LogsQueryParam,
    body: Bytes,
) -> Result<Response, ApiError> {
    logs(state, caller, path, query, body, LogKind::Build)
}

/// Parse a `config_version` value: a positive integer (a JSON number or a string of digits).
fn parse_version(v: &serde_json::Value) -> Result<i64, ApiError> {
    let n = match v {
        serde_json::Value::Number(n) => n.as_i64(),
        serde_json::Value::String(s) => s.trim().parse::<i64>().ok(),
        serde_json::Value::Null => {
            return Err(ApiError::invalid_parameter("config_version is null."))
        }
        _ => None,
    };
    match n {
        Some(n) if n >= 1 => Ok(n),
        _ => Err(ApiError::invalid_parameter(format!(
            "Invalid config_version '{}': expected a positive integer.",
            match v {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            }
        ))),
    }
}

/// The requested config version, from the query and/or the JSON body.
fn requested_version(query: LogsQueryParam, body: &[u8]) -> Result<Option<i64>, ApiError> {
    let Query(q) = query.map_err(|e| {
        ApiError::invalid_parameter(format!("Invalid query string: {}", e.body_text()))
    })?;
    let from_query = q
        .config_version
        .filter(|s| !s.trim().is_empty())
        .map(|s| parse_version(&serde_json::Value::String(s)))
        .transpose()?;
    let from_body = if body.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        let b: LogsBody = serde_json::from_slice(body)
            .map_err(|e| ApiError::malformed(format!("Malformed request: {e}")))?;
        b.config_version.as_ref().map(parse_version).transpose()?
    };
    match (from_query, from_body) {
        (Some(a), Some(b)) if a != b => Err(ApiError::invalid_parameter(format!(
            "config_version is {a} in the query but {b} in the body."
        ))),
        (a, b) => Ok(a.or(b)),
    }
}

fn served_model_not_found(served: &str, name: &str) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "RESOURCE_DOES_NOT_EXIST",
        format!("Served model with name '{served}' does not exist in endpoint '{name}'."),
    )
}

fn logs(
    state: AppState,
    caller: Caller,
    path: LogsPath,
    query: LogsQueryParam,
    body: Bytes,
    kind: LogKind,
) -> Result<Response, ApiError> {
    let Path((name, served)) =
        path.map_err(|e| ApiError::invalid_parameter(format!("Invalid path: {}", e.body_text())))?;
    if !is_valid_endpoint_name(&name) {
        return Err(ApiError::invalid_endpoint_name(&name));
    }
    let version = requested_version(query, &body)?;
    let now = state.now_ms();
    let delay = state.config().update_delay_ms();
    let bench = state
        .config()
        .log_lines
        .as_ref()
        .filter(|b| b.endpoint == name && kind == LogKind::Server)
        .map(|b| b.lines);
    let (timeline, fixed) = {
        let store = state.store();
        let record = store
            .get(&name)
            .ok_or_else(|| ApiError::endpoint_not_found(&name))?;
        authorize(record, &caller, &PermissionLevel::CanView)?;
        let fixed = match kind {
            LogKind::Build => record.logs.build.clone(),
            LogKind::Server => record.logs.server.clone(),
        };
        (timeline_of(record, &served, version, now, delay)?, fixed)
    };
    if let Some(lines) = bench {
        return Ok(raw_json_response(bench_body(&timeline.entity, lines)));
    }
    let text = match (kind, fixed) {
        (_, Some(text)) => text,
        (LogKind::Build, None) => log_gen::build_log(&timeline, now),
        (LogKind::Server, None) => log_gen::server_log(&timeline, now),
    };
    let body = serde_json::to_vec(&LogsResponse { logs: text }).map_err(|e| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "INTERNAL_ERROR",
            format!("cannot encode the logs: {e}"),
        )
    })?;
    Ok(raw_json_response(body))
}

/// The JSON body of a benchmark log, generated once per (entity, N) and kept.
fn bench_body(entity: &str, lines: usize) -> Bytes {
    static CACHE: OnceLock<Mutex<HashMap<(String, usize), Bytes>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    let key = (entity.to_string(), lines);
    if let Some(b) = cache
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get(&key)
    {
        return b.clone();
    }
    let text = log_gen::bench_server_log(entity, lines);
    let body = Bytes::from(
        serde_json::to_vec(&LogsResponse { logs: text })
            .unwrap_or_else(|_| b"{\"logs\":\"\"}".to_vec()),
    );
    cache
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .insert(key, body.clone());
    body
}

/// One served entity (or legacy served model) of a config, as the generator needs it.
struct EntityFacts {
    model: String,
    version: String,
    gpu: bool,
    deployment: Option<DeploymentState>,
    message: String,
    created: Option<i64>,
    index: usize,
    no_logs: Option<&'static str>,
}

fn find_entity(config: &EndpointCoreConfigOutput, served: &str) -> Option<EntityFacts> {
    if let Some((index, e)) = config
        .served_entities
        .iter()
        .enumerate()
        .find(|(_, e)| e.name == served)
    {
        let no_logs = if e.external_model.is_some()
            || e.entity_type == Some(EntityType::ExternalModel)
        {
            Some("an external model")
        } else if e.foundation_model.is_some() || e.entity_type == Some(EntityType::FoundationModel)
        {
            Some("a foundation model")
        } else {
            None
        };
        return Some(EntityFacts {
            model: e.entity_name.clone().unwrap_or_else(|| e.name.clone()),
            version: e.entity_version.clone().unwrap_or_else(|| "1".into()),
            gpu: e
                .workload_type
                .as_ref()
                .is_some_and(|w| w.as_str().contains("GPU")),
            deployment: e.deployment().cloned(),
            message: e.message().unwrap_or("").to_string(),
            created: e.creation_timestamp,
            index,
            no_logs,
        });
    }
    let (index, m) = config
        .served_models
        .iter()
        .enumerate()
        .find(|(_, m)| m.name == served)?;
    let state = m.state.as_ref();
    Some(EntityFacts {
        model: m.model_name.clone().unwrap_or_else(|| m.name.clone()),
        version: m.model_version.clone().unwrap_or_else(|| "1".into()),
        gpu: m
            .workload_type
            .as_ref()
            .is_some_and(|w| w.as_str().contains("GPU")),
        deployment: state.and_then(|s| s.deployment.clone()),
        message: state
            .and_then(|s| s.deployment_state_message.clone())
            .unwrap_or_default(),
        created: m.creation_timestamp,
        index,
        no_logs: None,
    })
}

/// Does a failure message point at the image build (else at the model server)?
fn is_build_failure(message: &str) -> bool {
    let m = message.to_ascii_lowercase();
    if m.contains("service log") || m.contains("server log") {
        return false;
    }
    m.contains("build") || m.contains("image") || m.is_empty()
}

/// The deployment timeline of `served` in the requested (or default) config version.
pub fn timeline_of(
    record: &EndpointRecord,
    served: &str,
    version: Option<i64>,
    now: i64,
    update_delay_ms: i64,
) -> Result<Timeline, ApiError> {
    let d = record.detailed();
    let name = record.name();
    let pending = d
        .pending_config
        .as_ref()
        .and_then(|c| find_entity(c, served).map(|e| (c, e, true)));
    let current = d
        .config
        .as_ref()
        .and_then(|c| find_entity(c, served).map(|e| (c, e, false)));
    let (config, facts, is_pending) = match version {
        None => pending
            .or(current)
            .ok_or_else(|| served_model_not_found(served, name))?,
        Some(v) => {
            let has = |c: &Option<EndpointCoreConfigOutput>| {
                c.as_ref().is_some_and(|c| c.config_version == Some(v))
            };
            if !has(&d.pending_config) && !has(&d.config) {
                return Err(ApiError::new(
                    StatusCode::NOT_FOUND,
                    "RESOURCE_DOES_NOT_EXIST",
                    format!("Config version {v} of endpoint '{name}' does not exist."),
                ));
            }
            [pending, current]
                .into_iter()
                .flatten()
                .find(|(c, _, _)| c.config_version == Some(v))
                .ok_or_else(|| {
                    ApiError::new(
                        StatusCode::NOT_FOUND,
                        "RESOURCE_DOES_NOT_EXIST",
                        format!(
                            "Served model with name '{served}' does not exist in config version {v} of endpoint '{name}'."
                        ),
                    )
                })?
        }
    };
    if let Some(what) = facts.no_logs {
        return Err(ApiError::invalid_parameter(format!(
            "Served entity '{served}' serves {what}; build and server logs are only available for custom models."
        )));
    }
    let stopped = !is_pending && record.is_stopped();
    let start_ms = if is_pending {
        config.start_time.or(d.last_updated_timestamp)
    } else if let Some(t) = config.start_time {
        Some(t)
    } else if d.pending_config.is_none() && !stopped {
        // The last update rolled out this config.
        d.last_updated_timestamp.or(facts.created)
    } else {
        facts.created.or(d.creation_timestamp)
    }
    .unwrap_or(now - 86_400_000)
    .min(now);
    let scripted_end = if is_pending {
        record.next_transition_at()
    } else {
        None
    };
    let end_ms = scripted_end
        .unwrap_or(start_ms.saturating_add(update_delay_ms))
        .max(start_ms);
    let outcome = match facts.deployment {
        Some(DeploymentState::Failed) => {
            if is_build_failure(&facts.message) {
                Outcome::BuildFails
            } else {
                Outcome::ServerFails
            }
        }
        Some(DeploymentState::Aborted) => Outcome::Aborted,
        Some(DeploymentState::Creating) if is_pending => match record.will_fail() {
            Some(_)
                if record
                    .failing_entity()
                    .map_or(facts.index > 0, |failing| failing != served) =>
            {
                Outcome::Aborted
            }
            Some(m) if is_build_failure(m) => Outcome::BuildFails,
            Some(_) => Outcome::ServerFails,
            None => Outcome::Succeeds,
        },
        _ => Outcome::Succeeds,
    };
    Ok(Timeline {
        endpoint: name.to_string(),
        entity: served.to_string(),
        model: facts.model,
        model_version: facts.version,
        config_version: config.config_version.unwrap_or(1),
        gpu: facts.gpu,
        start_ms,
        end_ms,
        outcome,
        stopped_at: stopped.then(|| d.last_updated_timestamp.unwrap_or(now).min(now)),
        recovering: facts.deployment == Some(DeploymentState::Recovering),
    })
}
