//! The test-only control API under `/__emulator/` (enabled by `--control`; 404 otherwise,
//! except `GET /__emulator/health`, which always answers 200 `ok`).
//!
//! | call | body | answer |
//! |---|---|---|
//! | `POST /__emulator/reset` | — | `{"endpoints": N, "now_ms": …, "frozen": bool}`: seed restored, clock reset (frozen again iff `--freeze-time`), faults and request record cleared |
//! | `GET /__emulator/time` | — | `{"now_ms": …, "frozen": bool}` |
//! | `POST /__emulator/time` | `{"advance_secs": N}` and/or `{"frozen": true\|false}` | `{"now_ms": …, "frozen": bool}` |
//! | `POST /__emulator/faults` | `{"method": "GET"\|"*", "path": "/exact" or glob, "times": N?, "fault": {…}}` | `{"id": N}` |
//! | `GET /__emulator/faults` | — | `[{"id","method","path","times_left","hits","fault"}]` |
//! | `DELETE /__emulator/faults` | — | `{}` (all rules removed) |
//! | `DELETE /__emulator/faults/{id}` | — | `{}`, or 404 |
//! | `GET /__emulator/requests` | — | `[{"method","path","query","status","started_ms","ended_ms","authorization_present"}]` |
//! | `DELETE /__emulator/requests` | — | `{}` |
//! | `GET /__emulator/hostile` | — | `{"payloads": […]}`: the hostile-input corpus of `--hostile` |
//!
//! Faults: `{"kind":"latency","ms":N}`, `{"kind":"status","status":503,"error_code":"…",
//! "message":"…","retry_after":"2"}`, `{"kind":"html502"}` (an nginx page; `"body":"…"` replaces it), `{"kind":"truncated"}`,
//! `{"kind":"hang"}`. Path globs: `*` within one segment, `**` (a whole segment) for any suffix.

use super::faults::{FaultRequest, FaultRule, RequestRecord};
use super::state::AppState;
use crate::error::{ApiError, AppJson};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{delete, get, post};
use axum::Router;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// The control routes (empty unless `enabled`).
pub fn router(enabled: bool) -> Router<AppState> {
    if !enabled {
        return Router::new();
    }
    Router::new()
        .route("/__emulator/reset", post(reset))
        .route("/__emulator/time", get(get_time).post(set_time))
        .route(
            "/__emulator/faults",
            get(list_faults).post(add_fault).delete(clear_faults),
        )
        .route("/__emulator/faults/{id}", delete(delete_fault))
        .route(
            "/__emulator/requests",
            get(list_requests).delete(clear_requests),
        )
        .route("/__emulator/hostile", get(hostile_payloads))
}

async fn hostile_payloads() -> AppJson<Value> {
    AppJson(json!({ "payloads": super::hostile::payloads() }))
}

/// `GET /__emulator/health`: always 200 `ok`.
pub async fn health() -> &'static str {
    "ok"
}

/// Clock state.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TimeResponse {
    pub now_ms: i64,
    pub frozen: bool,
}

/// `POST /__emulator/time` body.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimeRequest {
    /// Move the emulated clock forward by this many seconds (fractions allowed).
    #[serde(default)]
    pub advance_secs: Option<f64>,
    /// Freeze or unfreeze the clock.
    #[serde(default)]
    pub frozen: Option<bool>,
}

fn time_of(state: &AppState) -> TimeResponse {
    state.with_clock_mut(|c| TimeResponse {
        now_ms: c.now_ms(),
        frozen: c.is_frozen(),
    })
}

async fn reset(State(state): State<AppState>) -> AppJson<Value> {
    state.reset();
    let t = time_of(&state);
    let n = state.store().len();
    AppJson(json!({ "endpoints": n, "now_ms": t.now_ms, "frozen": t.frozen }))
}

async fn get_time(State(state): State<AppState>) -> AppJson<TimeResponse> {
    AppJson(time_of(&state))
}

async fn set_time(
    State(state): State<AppState>,
    AppJson(req): AppJson<TimeRequest>,
) -> Result<AppJson<TimeResponse>, ApiError> {
    let advance_ms = match req.advance_secs {
        None => 0,
        Some(s) if (0.0..=1e12).contains(&s) => (s * 1000.0).round() as i64,
        Some(s) => {
            return Err(ApiError::invalid_parameter(format!(
                "advance_secs must be a non-negative number of seconds, got {s}"
            )))
        }
    };
    state.with_clock_mut(|c| {
        c.advance_ms(advance_ms);
        if let Some(f) = req.frozen {
            c.set_frozen(f);
        }
    });
    state.advance();
    Ok(AppJson(time_of(&state)))
}

async fn add_fault(
    State(state): State<AppState>,
    AppJson(req): AppJson<FaultRequest>,
) -> Result<AppJson<Value>, ApiError> {
    req.validate()?;
    let id = state.faults().add(req);
    Ok(AppJson(json!({ "id": id })))
}

async fn list_faults(State(state): State<AppState>) -> AppJson<Vec<FaultRule>> {
    AppJson(state.faults().rules().to_vec())
}

async fn clear_faults(State(state): State<AppState>) -> AppJson<Value> {
    state.faults().clear();
    AppJson(json!({}))
}

async fn delete_fault(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<AppJson<Value>, ApiError> {
    let id: u64 = id
        .parse()
        .map_err(|_| ApiError::invalid_parameter(format!("fault id '{id}' is not a number")))?;
    if state.faults().remove(id) {
        Ok(AppJson(json!({})))
    } else {
        Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "RESOURCE_DOES_NOT_EXIST",
            format!("No fault with id {id}."),
        ))
    }
}

async fn list_requests(State(state): State<AppState>) -> AppJson<Vec<RequestRecord>> {
    AppJson(state.requests().entries())
}

async fn clear_requests(State(state): State<AppState>) -> AppJson<Value> {
    state.requests().clear();
    AppJson(json!({}))
}
