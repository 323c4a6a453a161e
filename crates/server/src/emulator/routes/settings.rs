//! The changes that apply at once (docs/serving-api-changes.md §1.2–1.4), all `CAN_MANAGE`,
//! reflected in GET (and the list) right away, no new config version:
//!
//! - `PATCH /api/2.0/serving-endpoints/{name}/tags` `{add_tags?: [{key, value?}],
//!   delete_tags?: [key]}` → `{tags}`, the whole resulting list. Deletions first, then
//!   additions (an added key that exists gets the new value, in place; a new key is appended;
//!   order UNCONFIRMED). A key must be non-empty (400).
//! - `PATCH …/{name}/notifications` `{email_notifications: {on_update_success?,
//!   on_update_failure?}}` → `{name, email_notifications}`. The object given replaces the
//!   endpoint's e-mail settings (a list left out is cleared: UNCONFIRMED; the console always
//!   sends both lists); a body without `email_notifications` changes nothing.
//! - `PUT …/{name}/ai-gateway` — the `AiGatewayConfig` fields → the same object. A **full
//!   replacement** (OBSERVED): parts left out are dropped; an empty body clears the gateway.
//!   Rate-limit `key` ∈ endpoint/user/user_group/service_principal, `renewal_period` = minute,
//!   PII behaviour ∈ NONE/BLOCK/MASK (CONFIRMED enums; 400 otherwise); an enabled inference
//!   table's catalog/schema can change only after it has been disabled (CONFIRMED; 400). Refused
//!   with 409 while a config update runs (UNCONFIRMED, as for telemetry updates).
//!
//! Tags and notifications are accepted while an update runs (they do not redeploy; the console
//! sends notifications after a config PUT).

use crate::emulator::principals::Caller;
use crate::emulator::routes::endpoints::{authorize, endpoint_name};
use crate::emulator::routes::lifecycle::update_in_progress;
use crate::emulator::state::AppState;
use crate::emulator::store::EndpointRecord;
use crate::error::{json_response, ApiError, AppJson};
use api_types::{
    AiGatewayConfig, EmailNotifications, EndpointTags, GuardrailParameters, NotificationsResponse,
    PatchNotificationsRequest, PatchTagsRequest, PermissionLevel,
};
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{patch, put};
use axum::Router;

/// The routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/2.0/serving-endpoints/{name}/tags", patch(patch_tags))
        .route(
            "/api/2.0/serving-endpoints/{name}/notifications",
            patch(patch_notifications),
        )
        .route(
            "/api/2.0/serving-endpoints/{name}/ai-gateway",
            put(put_ai_gateway),
        )
}

type NamePath = Result<Path<String>, PathRejection>;

/// The steps every change here starts with: a valid name, an existing endpoint, the caller's
/// `CAN_MANAGE`; then `apply` on the endpoint's record, under the store's lock.
fn with_managed(
    state: &AppState,
    caller: &Caller,
    path: NamePath,
    apply: impl FnOnce(&str, &mut EndpointRecord) -> Result<Response, ApiError>,
) -> Result<Response, ApiError> {
    let name = endpoint_name(path)?;
    let mut store = state.store_mut();
    let record = store
        .get_mut(&name)
        .ok_or_else(|| ApiError::endpoint_not_found(&name))?;
    authorize(record, caller, &PermissionLevel::CanManage)?;
    apply(&name, record)
}

/// `PATCH …/tags`.
async fn patch_tags(
    State(state): State<AppState>,
    caller: Caller,
    path: NamePath,
    body: Result<AppJson<PatchTagsRequest>, ApiError>,
) -> Result<Response, ApiError> {
    with_managed(&state, &caller, path, |_, record| {
        let AppJson(body) = body?;
        for t in &body.add_tags {
            if t.key.trim().is_empty() {
                return Err(ApiError::invalid_parameter("A tag key cannot be empty."));
            }
        }
        if body.delete_tags.iter().any(|k| k.trim().is_empty()) {
            return Err(ApiError::invalid_parameter("A tag key cannot be empty."));
        }
        record.update(|d| {
            d.tags.retain(|t| !body.delete_tags.contains(&t.key));
            for add in &body.add_tags {
                let value = add.value.clone().filter(|v| !v.is_empty());
                match d.tags.iter_mut().find(|t| t.key == add.key) {
                    Some(t) => t.value = value,
                    None => d.tags.push(api_types::EndpointTag {
                        key: add.key.clone(),
                        value,
                    }),
                }
            }
        });
        let tags = EndpointTags {
            tags: record.detailed().tags.clone(),
        };
        Ok(json_response(&tags))
    })
}

/// `PATCH …/notifications`.
async fn patch_notifications(
    State(state): State<AppState>,
    caller: Caller,
    path: NamePath,
    body: Result<AppJson<PatchNotificationsRequest>, ApiError>,
) -> Result<Response, ApiError> {
    with_managed(&state, &caller, path, |name, record| {
        let AppJson(body) = body?;
        if let Some(e) = &body.email_notifications {
            let all = e.on_update_success.iter().chain(e.on_update_failure.iter());
            for address in all {
                if !address.contains('@') || address.chars().any(char::is_whitespace) {
                    return Err(ApiError::invalid_parameter(format!(
                        "'{address}' is not a valid e-mail address."
                    )));
                }
            }
            let new = EmailNotifications {
                on_update_failure: e.on_update_failure.clone(),
                on_update_success: e.on_update_success.clone(),
            };
            record.update(|d| {
                d.email_notifications = (new != EmailNotifications::default()).then_some(new);
            });
        }
        let answer = NotificationsResponse {
            name: Some(name.to_string()),
            email_notifications: Some(
                record
                    .detailed()
                    .email_notifications
                    .clone()
                    .unwrap_or_default(),
            ),
        };
        Ok(json_response(&answer))
    })
}

fn check_guardrail(side: &str, g: Option<&GuardrailParameters>) -> Result<(), ApiError> {
    let Some(b) = g
        .and_then(|g| g.pii.as_ref())
        .and_then(|p| p.behavior.as_deref())
    else {
        return Ok(());
    };
    if matches!(b, "NONE" | "BLOCK" | "MASK") {
        Ok(())
    } else {
        Err(ApiError::invalid_parameter(format!(
            "guardrails.{side}.pii.behavior '{b}' is invalid; expected NONE, BLOCK or MASK."
        )))
    }
}

/// The gateway rules (enums CONFIRMED by the SDK; wording ours).
fn check_gateway(new: &AiGatewayConfig, old: Option<&AiGatewayConfig>) -> Result<(), ApiError> {
    for (i, r) in new.rate_limits.iter().enumerate() {
        if let Some(k) = r.key.as_deref() {
            if !matches!(k, "endpoint" | "user" | "user_group" | "service_principal") {
                return Err(ApiError::invalid_parameter(format!(
                    "rate_limits[{i}].key '{k}' is invalid; expected endpoint, user, user_group \
                     or service_principal."
                )));
            }
        }
        if let Some(p) = r.renewal_period.as_deref() {
            if p != "minute" {
                return Err(ApiError::invalid_parameter(format!(
                    "rate_limits[{i}].renewal_period '{p}' is invalid; expected minute."
                )));
            }
        }
        if r.calls.is_some_and(|c| c < 0) || r.tokens.is_some_and(|t| t < 0) {
            return Err(ApiError::invalid_parameter(format!(
                "rate_limits[{i}]: calls and tokens cannot be negative."
            )));
        }
    }
    if let Some(g) = &new.guardrails {
        check_guardrail("input", g.input.as_ref())?;
        check_guardrail("output", g.output.as_ref())?;
    }
    let was = old.and_then(|o| o.inference_table_config.as_ref());
    let is = new.inference_table_config.as_ref();
    if let (Some(was), Some(is)) = (was, is) {
        let moved = was.catalog_name != is.catalog_name || was.schema_name != is.schema_name;
        if was.enabled == Some(true) && is.enabled == Some(true) && moved {
            return Err(ApiError::invalid_parameter(
                "The inference table's catalog and schema can only be changed after it has been \
                 disabled.",
            ));
        }
    }
    Ok(())
}

/// `PUT …/ai-gateway`.
async fn put_ai_gateway(
    State(state): State<AppState>,
    caller: Caller,
    path: NamePath,
    body: Result<AppJson<AiGatewayConfig>, ApiError>,
) -> Result<Response, ApiError> {
    with_managed(&state, &caller, path, |name, record| {
        if record.is_updating() || record.is_stopping() {
            return Err(update_in_progress(name));
        }
        let AppJson(new) = body?;
        check_gateway(&new, record.detailed().ai_gateway.as_ref())?;
        let stored = (new != AiGatewayConfig::default()).then(|| new.clone());
        record.update(|d| d.ai_gateway = stored);
        Ok(json_response(&new))
    })
}
