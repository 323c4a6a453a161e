//! `GET /api/2.1/unity-catalog/models/{full_name}/versions` (docs/serving-api-changes.md §1.5):
//! the model versions of a Unity Catalog model, for the console's version picker.
//!
//! The emulator's registry is derived from the endpoints: a model is every `catalog.schema.model`
//! that a served entity of any endpoint (served or pending config) names, and its versions are
//! 1 up to the highest version that an entity serves or that the seed's `failing_versions`
//! names (so the versions that fail to deploy can be picked, as in a real registry), every one
//! `READY`, newest first (the real API guarantees no order).
//!
//! - `max_results` (default and maximum 100; 0 = the default) and `page_token` (opaque; here an
//!   offset); `next_page_token` is absent on the last page. CONFIRMED shape.
//! - A name that is not `catalog.schema.model` → 400 `INVALID_PARAMETER_VALUE`; a model no
//!   endpoint serves → 404 `RESOURCE_DOES_NOT_EXIST`; a caller without `CAN_MANAGE` on an
//!   endpoint serving it (standing in for `EXECUTE` on the model) → 403 `PERMISSION_DENIED`.
//!   The messages are UNCONFIRMED.

use crate::emulator::principals::Caller;
use crate::emulator::random::hash_bytes;
use crate::emulator::state::AppState;
use crate::error::{json_response, ApiError};
use api_types::{ListModelVersionsResponse, ModelVersionInfo, PermissionLevel};
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde::Deserialize;

/// The route.
pub fn router() -> Router<AppState> {
    Router::new().route(
        "/api/2.1/unity-catalog/models/{full_name}/versions",
        get(list_versions),
    )
}

/// Default and largest page.
pub const MAX_RESULTS: usize = 100;

#[derive(Debug, Default, Deserialize)]
struct ListQuery {
    #[serde(default)]
    max_results: Option<String>,
    #[serde(default)]
    page_token: Option<String>,
}

fn is_full_name(name: &str) -> bool {
    let parts: Vec<&str> = name.split('.').collect();
    parts.len() == 3
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        })
}

/// What the registry knows of one model, gathered from the store.
#[derive(Default)]
struct Facts {
    highest: i64,
    /// Version → (creator, creation time) of an entity serving it.
    known: std::collections::BTreeMap<i64, (Option<String>, Option<i64>)>,
    may_read: bool,
}

async fn list_versions(
    State(state): State<AppState>,
    caller: Caller,
    path: Result<Path<String>, PathRejection>,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Path(full_name) =
        path.map_err(|e| ApiError::invalid_parameter(format!("Invalid path: {}", e.body_text())))?;
    if !is_full_name(&full_name) {
        return Err(ApiError::invalid_parameter(format!(
            "Invalid model name '{full_name}': expected <catalog>.<schema>.<model>."
        )));
    }
    let Query(q) = query.map_err(|e| {
        ApiError::invalid_parameter(format!("Invalid query string: {}", e.body_text()))
    })?;
    let max = match q.max_results.as_deref().map(str::trim) {
        None | Some("") => MAX_RESULTS,
        Some(s) => match s.parse::<usize>() {
            Ok(0) => MAX_RESULTS,
            Ok(n) => n.min(MAX_RESULTS),
            Err(_) => {
                return Err(ApiError::invalid_parameter(format!(
                    "Invalid max_results '{s}': expected a non-negative integer."
                )))
            }
        },
    };
    let offset = match q.page_token.as_deref().filter(|t| !t.is_empty()) {
        None => 0,
        Some(t) => t
            .parse::<usize>()
            .map_err(|_| ApiError::invalid_parameter(format!("Invalid page_token '{t}'.")))?,
    };
    let facts = {
        let store = state.store();
        let mut f = Facts::default();
        let mut served = false;
        for r in store.iter() {
            let d = r.detailed();
            let mut here = false;
            for e in d
                .config
                .iter()
                .chain(d.pending_config.iter())
                .flat_map(|c| c.served_entities.iter())
                .filter(|e| e.entity_name.as_deref() == Some(full_name.as_str()))
            {
                here = true;
                if let Some(v) = e
                    .entity_version
                    .as_deref()
                    .and_then(|v| v.parse::<i64>().ok())
                {
                    f.highest = f.highest.max(v);
                    f.known
                        .entry(v)
                        .or_insert((e.creator.clone(), e.creation_timestamp));
                }
            }
            if let Some(failing) = r.failing_versions.get(&full_name) {
                here = true;
                for v in failing.keys().filter_map(|v| v.parse::<i64>().ok()) {
                    f.highest = f.highest.max(v);
                }
            }
            if here {
                served = true;
                if r.level_for(caller.0) == Some(PermissionLevel::CanManage) {
                    f.may_read = true;
                }
            }
        }
        if !served {
            return Err(ApiError::new(
                StatusCode::NOT_FOUND,
                "RESOURCE_DOES_NOT_EXIST",
                format!("Routine or Model '{full_name}' does not exist."),
            ));
        }
        f
    };
    if !facts.may_read {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "PERMISSION_DENIED",
            format!("User does not have EXECUTE on Routine or Model '{full_name}'."),
        ));
    }
    let parts: Vec<&str> = full_name.split('.').collect();
    let newest_known = facts.known.values().filter_map(|(_, t)| *t).max();
    let base = newest_known.unwrap_or_else(|| state.now_ms());
    const WEEK_MS: i64 = 7 * 86_400_000;
    let all: Vec<ModelVersionInfo> = (1..=facts.highest)
        .rev()
        .map(|v| {
            let (creator, created) = facts.known.get(&v).cloned().unwrap_or((None, None));
            let h = hash_bytes(format!("{full_name}/{v}").as_bytes());
            ModelVersionInfo {
                model_name: parts.get(2).map(|s| s.to_string()),
                catalog_name: parts.first().map(|s| s.to_string()),
                schema_name: parts.get(1).map(|s| s.to_string()),
                version: Some(v.to_string()),
                status: Some("READY".into()),
                comment: None,
                created_at: Some(
                    created.unwrap_or(base.saturating_sub((facts.highest - v) * WEEK_MS)),
                ),
                created_by: creator.or_else(|| Some("svc-mlops@contoso.com".into())),
                run_id: Some(format!("{h:016x}{:016x}", h.rotate_left(17))),
            }
        })
        .collect();
    let page: Vec<ModelVersionInfo> = all.iter().skip(offset).take(max).cloned().collect();
    let next = offset.saturating_add(max);
    let answer = ListModelVersionsResponse {
        model_versions: page,
        next_page_token: (next < all.len()).then(|| next.to_string()),
    };
    // The wire type reads `version` as text; the real API writes it as an int64 number.
    let mut json = serde_json::to_value(&answer).map_err(|e| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "INTERNAL_ERROR",
            format!("cannot encode the model versions: {e}"),
        )
    })?;
    if let Some(items) = json
        .get_mut("model_versions")
        .and_then(|v| v.as_array_mut())
    {
        for item in items {
            let n = item
                .get("version")
                .and_then(|v| v.as_str())
                .and_then(|v| v.parse::<i64>().ok());
            if let (Some(n), Some(obj)) = (n, item.as_object_mut()) {
                obj.insert("version".into(), n.into());
            }
        }
    }
    Ok(json_response(&json))
}
