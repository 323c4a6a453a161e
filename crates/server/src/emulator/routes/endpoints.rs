//! `GET /api/2.0/serving-endpoints` (also with a trailing `/`) and
//! `GET /api/2.0/serving-endpoints/{name}`.

use crate::emulator::principals::Caller;
use crate::emulator::state::AppState;
use crate::emulator::store::EndpointRecord;
use crate::error::{json_response, raw_json_response, ApiError};
use api_types::{is_valid_endpoint_name, PermissionLevel};
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;

/// The serving-endpoint routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/2.0/serving-endpoints", get(list_endpoints))
        // MLflow's deployments client lists with a trailing slash (it joins the prefix and an
        // empty route: `posixpath.join(prefix, "serving-endpoints", "")`), and workspaces answer it.
        .route("/api/2.0/serving-endpoints/", get(list_endpoints))
        .route("/api/2.0/serving-endpoints/{name}", get(get_endpoint))
}

/// The endpoint name from the path, validated (`^[A-Za-z0-9_-]{1,63}$`, else 400).
pub fn endpoint_name(path: Result<Path<String>, PathRejection>) -> Result<String, ApiError> {
    let Path(name) =
        path.map_err(|e| ApiError::invalid_parameter(format!("Invalid path: {}", e.body_text())))?;
    if is_valid_endpoint_name(&name) {
        Ok(name)
    } else {
        Err(ApiError::invalid_endpoint_name(&name))
    }
}

/// The word Databricks uses for a level in 403 messages (`View`, `Query`, `Manage`).
pub fn action_word(level: &PermissionLevel) -> &'static str {
    match level {
        PermissionLevel::CanManage => "Manage",
        PermissionLevel::CanQuery => "Query",
        _ => "View",
    }
}

/// The caller's level on `record` if it is at least `need`; 403 `PERMISSION_DENIED` otherwise.
pub fn authorize(
    record: &EndpointRecord,
    caller: &Caller,
    need: &PermissionLevel,
) -> Result<PermissionLevel, ApiError> {
    match record.level_for(caller.0) {
        Some(level) if level.rank() >= need.rank() => Ok(level),
        _ => Err(ApiError::permission_denied(
            action_word(need),
            record.name(),
        )),
    }
}

/// `GET /api/2.0/serving-endpoints`: the endpoints the caller can at least view.
async fn list_endpoints(State(state): State<AppState>, caller: Caller) -> Response {
    let store = state.store();
    let mut body = String::with_capacity(64 + store.len() * 512);
    body.push_str("{\"endpoints\":[");
    let mut first = true;
    for r in store.iter().filter(|r| r.level_for(caller.0).is_some()) {
        if !first {
            body.push(',');
        }
        first = false;
        body.push_str(r.summary_json());
    }
    drop(store);
    body.push_str("]}");
    raw_json_response(body)
}

/// `GET /api/2.0/serving-endpoints/{name}`: the endpoint with the caller's `permission_level`.
async fn get_endpoint(
    State(state): State<AppState>,
    caller: Caller,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let name = endpoint_name(path)?;
    let view = {
        let store = state.store();
        let record = store
            .get(&name)
            .ok_or_else(|| ApiError::endpoint_not_found(&name))?;
        let level = authorize(record, &caller, &PermissionLevel::CanView)?;
        record.view(level)
    };
    Ok(json_response(&view))
}
