//! `GET /api/2.0/serving-endpoints/{name}/openapi`: the endpoint's OpenAPI document, built from
//! the signatures of its served models (see [`crate::emulator::signature`]).
//!
//! CONFIRMED (docs): only for READY endpoints whose served model has a logged signature; the
//! body is the raw OpenAPI 3.1 JSON document. UNCONFIRMED: the error when a precondition fails —
//! we answer 400 `INVALID_STATE` (not READY) and 400 `INVALID_PARAMETER_VALUE` (no signature).

use crate::emulator::principals::Caller;
use crate::emulator::routes::endpoints::{authorize, endpoint_name};
use crate::emulator::signature::{document, Signature};
use crate::emulator::state::AppState;
use crate::emulator::store::EndpointRecord;
use crate::error::{raw_json_response, ApiError};
use api_types::{PermissionLevel, ReadyState};
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use axum::Router;

/// The OpenAPI route.
pub fn router() -> Router<AppState> {
    Router::new().route(
        "/api/2.0/serving-endpoints/{name}/openapi",
        get(get_openapi),
    )
}

/// `https://host` as the client reached us (the emulator: `http://127.0.0.1:port`).
pub fn base_url(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| !h.is_empty() && h.bytes().all(|b| b.is_ascii_graphic()))
        .unwrap_or("example.cloud.databricks.com");
    let proto = headers
        .get("x-forwarded-proto")
        .and_then(|h| h.to_str().ok())
        .filter(|p| *p == "https" || *p == "http")
        .unwrap_or(
            if host.starts_with("127.") || host.starts_with("localhost") {
                "http"
            } else {
                "https"
            },
        );
    format!("{proto}://{host}")
}

/// Is the endpoint `READY`?
pub fn is_ready(record: &EndpointRecord) -> bool {
    record
        .detailed()
        .state
        .as_ref()
        .and_then(|s| s.ready.as_ref())
        == Some(&ReadyState::Ready)
}

/// The served custom models of the serving config with their signatures, in config order.
pub fn served_signatures(record: &EndpointRecord) -> Vec<(String, Option<&Signature>)> {
    let Some(config) = record.detailed().config.as_ref() else {
        return Vec::new();
    };
    let entities = config
        .served_entities
        .iter()
        .filter(|e| e.external_model.is_none() && e.foundation_model.is_none())
        .map(|e| e.name.clone());
    let models = config.served_models.iter().map(|m| m.name.clone());
    entities
        .chain(models)
        .map(|n| {
            let s = record.signatures.for_entity(&n);
            (n, s)
        })
        .collect()
}

/// The document, or why there is none.
pub fn openapi_of(record: &EndpointRecord, base_url: &str) -> Result<String, ApiError> {
    let name = record.name();
    if !is_ready(record) {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "INVALID_STATE",
            format!(
                "Endpoint '{name}' is not ready. The OpenAPI schema is only available for \
                 endpoints in the READY state."
            ),
        ));
    }
    if let Some(doc) = &record.signatures.document {
        return Ok(doc.to_string());
    }
    let models: Vec<(String, &Signature)> = served_signatures(record)
        .into_iter()
        .filter_map(|(n, s)| Some((n, s?)))
        .collect();
    if models.is_empty() {
        return Err(ApiError::invalid_parameter(format!(
            "The served models of endpoint '{name}' have no model signature. Log the model with \
             a signature to get its OpenAPI schema."
        )));
    }
    let version = record
        .detailed()
        .config
        .as_ref()
        .and_then(|c| c.config_version)
        .unwrap_or(1)
        .to_string();
    let refs: Vec<(&str, &Signature)> = models.iter().map(|(n, s)| (n.as_str(), *s)).collect();
    Ok(document(name, base_url, &version, &refs))
}

async fn get_openapi(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let name = endpoint_name(path)?;
    let doc = {
        let store = state.store();
        let record = store
            .get(&name)
            .ok_or_else(|| ApiError::endpoint_not_found(&name))?;
        authorize(record, &caller, &PermissionLevel::CanView)?;
        openapi_of(record, &base_url(&headers))?
    };
    Ok(raw_json_response(doc))
}
