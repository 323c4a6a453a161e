//! `POST /serving-endpoints/{name}/invocations` and
//! `POST /serving-endpoints/{name}/served-models/{entity}/invocations` (no `/api/2.0`): checks
//! the input format against the served model's signature and answers predictions shaped by it.
//!
//! - CONFIRMED (docs): a stopped endpoint answers HTTP 400. The body is UNCONFIRMED; we send
//!   `INVALID_STATE` with a message naming the fix.
//! - OBSERVED (MLflow scoring server): bad input is 400 `BAD_REQUEST` with a message naming the
//!   problem ("exactly one of the input fields …", "Model is missing inputs […]").
//! - UNCONFIRMED: 503 `TEMPORARILY_UNAVAILABLE` while an endpoint has no serving config yet;
//!   404 `RESOURCE_DOES_NOT_EXIST` for an unknown served model; queries to external/foundation
//!   models are not emulated (400).
//! - Needs `CAN_QUERY`.
//! - A successful answer names the served entity that answered in the `served-model-name`
//!   header (CONFIRMED: the SDKs' `query` reads it into `QueryEndpointResponse.served_model_name`).

use crate::emulator::principals::Caller;
use crate::emulator::random::hash_bytes;
use crate::emulator::routes::endpoints::authorize;
use crate::emulator::signature::{check_input, predictions};
use crate::emulator::state::AppState;
use crate::emulator::store::EndpointRecord;
use crate::error::{raw_json_response, ApiError};
use api_types::{is_valid_endpoint_name, PermissionLevel};
use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;
use axum::routing::post;
use axum::Router;

/// The response header naming the served entity that answered a query.
pub const SERVED_MODEL_NAME: &str = "served-model-name";

/// The invocation routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/serving-endpoints/{name}/invocations",
            post(invoke_endpoint),
        )
        .route(
            "/serving-endpoints/{name}/served-models/{entity}/invocations",
            post(invoke_served_model),
        )
}

fn bad_request(message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "BAD_REQUEST", message)
}

/// 400 when the endpoint is stopped (docs: inference requests to a stopped endpoint get 400).
pub fn refuse_if_stopped(record: &EndpointRecord) -> Result<(), ApiError> {
    if record.is_stopped() {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "INVALID_STATE",
            format!(
                "Endpoint '{}' is stopped and cannot serve queries. Start the endpoint first.",
                record.name()
            ),
        ));
    }
    Ok(())
}

/// The served entity a query goes to: the named one, or the one with the most traffic.
fn target_entity(record: &EndpointRecord, entity: Option<&str>) -> Result<String, ApiError> {
    let name = record.name();
    let config = record.detailed().config.as_ref().ok_or_else(|| {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "TEMPORARILY_UNAVAILABLE",
            format!("Endpoint '{name}' is not ready yet: no configuration is being served."),
        )
    })?;
    let names: Vec<&str> = config
        .served_entities
        .iter()
        .map(|e| e.name.as_str())
        .chain(config.served_models.iter().map(|m| m.name.as_str()))
        .collect();
    match entity {
        Some(e) if names.contains(&e) => Ok(e.to_string()),
        Some(e) => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "RESOURCE_DOES_NOT_EXIST",
            format!("Served model '{e}' does not exist in endpoint '{name}'."),
        )),
        None => {
            let by_traffic = config.traffic_config.as_ref().and_then(|t| {
                t.routes
                    .iter()
                    .filter(|r| names.contains(&r.target()))
                    .max_by_key(|r| r.traffic_percentage)
                    .map(|r| r.target().to_string())
            });
            by_traffic
                .or_else(|| names.first().map(|s| s.to_string()))
                .ok_or_else(|| bad_request(format!("Endpoint '{name}' serves no model.")))
        }
    }
}

fn invoke(
    state: &AppState,
    caller: &Caller,
    name: &str,
    entity: Option<&str>,
    body: &[u8],
) -> Result<Response, ApiError> {
    if !is_valid_endpoint_name(name) {
        return Err(ApiError::invalid_endpoint_name(name));
    }
    let store = state.store();
    let record = store
        .get(name)
        .ok_or_else(|| ApiError::endpoint_not_found(name))?;
    authorize(record, caller, &PermissionLevel::CanQuery)?;
    refuse_if_stopped(record)?;
    let target = target_entity(record, entity)?;
    let served = record
        .detailed()
        .config
        .iter()
        .flat_map(|c| c.served_entities.iter())
        .find(|e| e.name == target);
    if served.is_some_and(|e| e.external_model.is_some() || e.foundation_model.is_some()) {
        return Err(bad_request(
            "The emulator answers queries to custom models only (external and foundation model \
             queries are not emulated).",
        ));
    }
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|_| {
        bad_request(
            "Failed to parse input from JSON. Ensure that input is a valid JSON formatted string.",
        )
    })?;
    let sig = record.signatures.for_entity(&target);
    let rows = check_input(&value, sig).map_err(bad_request)?;
    let mut res = raw_json_response(predictions(sig, rows, hash_bytes(body)));
    // A seed's entity name may hold bytes no header can carry (`--hostile`): then the header
    // is left out rather than failing the query.
    if let Ok(v) = HeaderValue::from_str(&target) {
        res.headers_mut().insert(SERVED_MODEL_NAME, v);
    }
    Ok(res)
}

async fn invoke_endpoint(
    State(state): State<AppState>,
    caller: Caller,
    path: Result<Path<String>, PathRejection>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let Path(name) =
        path.map_err(|e| ApiError::invalid_parameter(format!("Invalid path: {}", e.body_text())))?;
    invoke(&state, &caller, &name, None, &body)
}

async fn invoke_served_model(
    State(state): State<AppState>,
    caller: Caller,
    path: Result<Path<(String, String)>, PathRejection>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let Path((name, entity)) =
        path.map_err(|e| ApiError::invalid_parameter(format!("Invalid path: {}", e.body_text())))?;
    invoke(&state, &caller, &name, Some(&entity), &body)
}
