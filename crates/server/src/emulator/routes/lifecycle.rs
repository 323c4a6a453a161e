//! Stop, start and delete (serving-api.md §5.5, §5.6):
//! `POST /api/2.0/serving-endpoints/{name}/config:stop`, `…/config:start` (no body; an empty
//! body or `{}` is accepted, anything else is ignored as the real callers send none) and
//! `DELETE /api/2.0/serving-endpoints/{name}`.
//!
//! Checks, in this order (the first failing one answers):
//! 1. the name (400), the endpoint exists (404 `RESOURCE_DOES_NOT_EXIST`);
//! 2. `CAN_MANAGE` (403 `PERMISSION_DENIED` "User does not have permission 'Manage' on
//!    Endpoint <name>"; wording by analogy with the real 'View' message — UNCONFIRMED);
//! 3. stop: a custom model (400 `INVALID_PARAMETER_VALUE`), not route-optimized (400
//!    `INVALID_PARAMETER_VALUE`), no update in progress (409 `RESOURCE_CONFLICT`), not already
//!    stopped (400 `INVALID_STATE`), something deployed (400 `INVALID_STATE`);
//!    start: no update in progress (409 `RESOURCE_CONFLICT`), stopped (400 `INVALID_STATE`).
//!
//! The preconditions are CONFIRMED (docs); every status code, `error_code` and message of a
//! refusal is UNCONFIRMED (our best guess, see serving-api.md §5.6 and §9).
//!
//! Transitions in time (applied lazily by the store):
//! - stop → `NOT_READY` + `IN_PROGRESS` for [`stop_delay_ms`] (a quarter of
//!   `--update-delay-secs`), then `NOT_READY` + `NOT_UPDATING` with every served entity
//!   `DEPLOYMENT_STOPPED` "Served entity is stopped." and `config_version` unchanged
//!   (stopped representation partly UNCONFIRMED, see fixtures/get_custom_stopped.json);
//! - start → a copy of the stopped config rolls out as `config_version + 1`
//!   (`NOT_READY` + `IN_PROGRESS`, entities `DEPLOYMENT_CREATING`), `READY` after
//!   `--update-delay-secs` — or `UPDATE_FAILED` with the seed's `start_fails` message;
//! - delete → gone at once: list, GET and every other call answer as for an unknown name.
//!
//! Queries to a stopped endpoint (`POST /serving-endpoints/{name}/invocations`) answer 400:
//! that check is `invocations::refuse_if_stopped`, next to the invocation route it guards.
//!
//! Responses: stop/start answer 200 with the endpoint as GET would show it right after the
//! call (UNCONFIRMED: no source shows the real body; the console ignores it and re-GETs);
//! delete answers 200 `{}` (CONFIRMED by the JS SDK's empty response type).

use crate::emulator::principals::Caller;
use crate::emulator::routes::endpoints::{authorize, endpoint_name};
use crate::emulator::state::{AppState, EmulatorConfig};
use crate::emulator::store::EndpointRecord;
use crate::error::{json_response, raw_json_response, ApiError};
use api_types::PermissionLevel;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{delete, post};
use axum::Router;

/// The lifecycle routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/2.0/serving-endpoints/{name}/config:stop",
            post(stop_endpoint),
        )
        .route(
            "/api/2.0/serving-endpoints/{name}/config:start",
            post(start_endpoint),
        )
        .route("/api/2.0/serving-endpoints/{name}", delete(delete_endpoint))
}

/// How long stopping takes: a quarter of the update delay (0 with `--update-delay-secs 0`).
pub fn stop_delay_ms(config: &EmulatorConfig) -> i64 {
    config.update_delay_ms() / 4
}

/// 409 `RESOURCE_CONFLICT` while an update runs (fixtures/error_409_update_in_progress.json).
pub fn update_in_progress(name: &str) -> ApiError {
    ApiError::new(
        StatusCode::CONFLICT,
        "RESOURCE_CONFLICT",
        format!(
            "Endpoint {name} is currently updating. Wait for the current update to finish before \
             making another change."
        ),
    )
}

fn invalid_state(message: String) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "INVALID_STATE", message)
}

/// Why `config:stop` is refused for this endpoint, if it is (after the permission check).
pub fn stop_refusal(record: &EndpointRecord) -> Option<ApiError> {
    let name = record.name();
    if !record.is_custom_model() {
        // As fixtures/error_400_stop_not_allowed.json.
        return Some(ApiError::invalid_parameter(format!(
            "Endpoint '{name}' cannot be stopped: only endpoints serving custom models can be stopped."
        )));
    }
    if record.detailed().route_optimized == Some(true) {
        return Some(ApiError::invalid_parameter(format!(
            "Endpoint '{name}' cannot be stopped: route-optimized endpoints cannot be stopped."
        )));
    }
    if record.is_updating() {
        return Some(update_in_progress(name));
    }
    if record.is_stopped() {
        return Some(invalid_state(format!(
            "Endpoint '{name}' is already stopped."
        )));
    }
    let deployed = record
        .detailed()
        .config
        .as_ref()
        .is_some_and(|c| !c.served_entities.is_empty() || !c.served_models.is_empty());
    if !deployed {
        return Some(invalid_state(format!(
            "Endpoint '{name}' cannot be stopped: it has no deployed configuration."
        )));
    }
    None
}

/// Why `config:start` is refused for this endpoint, if it is (after the permission check).
pub fn start_refusal(record: &EndpointRecord) -> Option<ApiError> {
    let name = record.name();
    if record.is_updating() {
        return Some(update_in_progress(name));
    }
    if !record.is_stopped() {
        return Some(invalid_state(format!(
            "Endpoint '{name}' is not stopped: only a stopped endpoint can be started."
        )));
    }
    None
}

#[derive(Clone, Copy)]
enum Action {
    Stop,
    Start,
}

fn act(
    state: &AppState,
    caller: &Caller,
    path: Result<Path<String>, PathRejection>,
    action: Action,
) -> Result<Response, ApiError> {
    let name = endpoint_name(path)?;
    let now = state.now_ms();
    let config = state.config();
    let view = {
        let mut store = state.store_mut();
        let record = store
            .get_mut(&name)
            .ok_or_else(|| ApiError::endpoint_not_found(&name))?;
        let level = authorize(record, caller, &PermissionLevel::CanManage)?;
        match action {
            Action::Stop => {
                if let Some(e) = stop_refusal(record) {
                    return Err(e);
                }
                record.begin_stop(now, now.saturating_add(stop_delay_ms(config)));
            }
            Action::Start => {
                if let Some(e) = start_refusal(record) {
                    return Err(e);
                }
                record.start(now, now.saturating_add(config.update_delay_ms()));
            }
        }
        let view = record.view(level);
        store.reschedule();
        view
    };
    Ok(json_response(&view))
}

/// `POST …/config:stop`.
async fn stop_endpoint(
    State(state): State<AppState>,
    caller: Caller,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    act(&state, &caller, path, Action::Stop)
}

/// `POST …/config:start`.
async fn start_endpoint(
    State(state): State<AppState>,
    caller: Caller,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    act(&state, &caller, path, Action::Start)
}

/// `DELETE /api/2.0/serving-endpoints/{name}`: any state (no documented precondition;
/// UNCONFIRMED while an update is in progress), `CAN_MANAGE` (UNCONFIRMED exact rule).
async fn delete_endpoint(
    State(state): State<AppState>,
    caller: Caller,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let name = endpoint_name(path)?;
    {
        let mut store = state.store_mut();
        let record = store
            .get(&name)
            .ok_or_else(|| ApiError::endpoint_not_found(&name))?;
        authorize(record, &caller, &PermissionLevel::CanManage)?;
        store.remove(&name);
        store.reschedule();
    }
    Ok(raw_json_response("{}"))
}
