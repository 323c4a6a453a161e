//! `PUT /api/2.0/serving-endpoints/{name}/config` (docs/serving-api-changes.md §1.1, §2, §3):
//! the whole desired config (`EndpointCoreConfigInput` without its path-only `name`).
//!
//! Checks, in this order (the first failing one answers):
//! 1. the name (400), the endpoint exists (404 `RESOURCE_DOES_NOT_EXIST`), `CAN_MANAGE` (403);
//! 2. no update, stop or start in progress (409 `RESOURCE_CONFLICT`; the refusal is CONFIRMED,
//!    the code UNCONFIRMED);
//! 3. the body (400 `MALFORMED_REQUEST` if it does not parse), then the server's rules, each a
//!    400 `INVALID_PARAMETER_VALUE` ([`check`]).
//!
//! Effect: the new config becomes `pending_config` with `config_version` + 1 and every entity
//! `DEPLOYMENT_CREATING`, `state.config_update: IN_PROGRESS` while the old config keeps serving
//! (queries, metrics, logs); after `--update-delay-secs` of emulated time it is served
//! (`NOT_UPDATING`), or, if an entity serves a version of the seed's
//! `_emulator.failing_versions`, the update ends `UPDATE_FAILED`: that entity
//! `DEPLOYMENT_FAILED` with a message pointing at its build or service logs (which say why),
//! its siblings `DEPLOYMENT_ABORTED`, the old config still served. The answer is the endpoint
//! as GET shows it right after the call.
//!
//! GET keeps the real API's traps: a route carries both `served_entity_name` and
//! `served_model_name`; a lone entity sent without `traffic_config` gets a 100 % route; a legacy
//! `served_models` body is answered with `served_models` and its `served_entities` mirror;
//! `*_plaintext` secrets of external models are never stored (write-only), nor is
//! `burst_scaling_enabled`.

use crate::emulator::principals::Caller;
use crate::emulator::routes::endpoints::{authorize, endpoint_name};
use crate::emulator::routes::lifecycle::update_in_progress;
use crate::emulator::state::AppState;
use crate::emulator::store::EndpointRecord;
use crate::error::{json_response, ApiError, AppJson};
use api_types::{
    EndpointCoreConfigInput, EndpointCoreConfigOutput, EntityType, ExternalModel, PermissionLevel,
    Route, ServedEntityInput, ServedEntityOutput, ServedModelOutput, TrafficConfig,
};
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::put;
use axum::Router;

/// At most this many served entities per config (OBSERVED: sdk-py #1496; the SDK docstring
/// says 10).
pub const MAX_SERVED_ENTITIES: usize = 15;

/// The real message for a custom-model entity sent without `scale_to_zero_enabled`
/// (OBSERVED: terraform-provider-databricks #4064, #3946).
pub const SCALE_TO_ZERO_UNDEFINED: &str =
    "scaleToZeroEnabled is undefined. Please set it to either true or false.";

/// The config route.
pub fn router() -> Router<AppState> {
    Router::new().route(
        "/api/2.0/serving-endpoints/{name}/config",
        put(update_config),
    )
}

/// One desired served entity, whichever list it came in.
#[derive(Debug, Clone)]
struct Desired {
    input: ServedEntityInput,
}

/// The desired entities of a body: `served_entities`, or the legacy `served_models` (mapped
/// onto the same fields) when there are none; `true` when they came as `served_models`.
fn desired_entities(body: &EndpointCoreConfigInput) -> Result<(Vec<Desired>, bool), ApiError> {
    if !body.served_entities.is_empty() && !body.served_models.is_empty() {
        // UNCONFIRMED wording; the API reference says served_models is deprecated in favour of
        // served_entities, and a config carries one or the other.
        return Err(ApiError::invalid_parameter(
            "Only one of served_entities and served_models can be specified.",
        ));
    }
    if !body.served_entities.is_empty() {
        let v = body
            .served_entities
            .iter()
            .map(|e| Desired { input: e.clone() })
            .collect();
        return Ok((v, false));
    }
    let v = body
        .served_models
        .iter()
        .map(|m| Desired {
            input: ServedEntityInput {
                name: m.name.clone(),
                entity_name: m.model_name.clone(),
                entity_version: m.model_version.clone(),
                workload_size: m.workload_size.clone(),
                workload_type: m.workload_type.clone(),
                scale_to_zero_enabled: m.scale_to_zero_enabled,
                environment_vars: m.environment_vars.clone(),
                instance_profile_arn: m.instance_profile_arn.clone(),
                ..Default::default()
            },
        })
        .collect();
    Ok((v, true))
}

/// The name of an entity sent without one: the external model's name, else
/// `<last part of entity_name>-<entity_version>` (the API reference: "defaults to
/// entity_name-entity_version"; the seed's real names show the catalog and schema dropped).
fn default_name(e: &ServedEntityInput) -> Option<String> {
    if let Some(em) = &e.external_model {
        return em.name.clone();
    }
    let entity = e.entity_name.as_deref()?;
    let short = entity.rsplit('.').next().unwrap_or(entity);
    Some(match &e.entity_version {
        Some(v) => format!("{short}-{v}"),
        None => short.to_string(),
    })
}

fn is_valid_entity_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn serves_external(c: &EndpointCoreConfigOutput) -> bool {
    c.served_entities
        .iter()
        .any(|e| e.external_model.is_some() || e.entity_type == Some(EntityType::ExternalModel))
}

fn external_task(c: &EndpointCoreConfigOutput) -> Option<String> {
    c.served_entities
        .iter()
        .find_map(|e| e.external_model.as_ref().and_then(|m| m.task.clone()))
}

/// A checked config: the named entities and the routes to store.
#[derive(Debug, Clone)]
pub struct Checked {
    /// Entities with their (possibly defaulted) names.
    pub entities: Vec<ServedEntityInput>,
    /// The routes, with the implied 100 % route of a lone entity filled in.
    pub routes: Vec<Route>,
    /// The body used the legacy `served_models`.
    pub legacy: bool,
}

/// The server's rules (docs/serving-api-changes.md §2), against the endpoint's served config.
/// Each refusal is a 400 `INVALID_PARAMETER_VALUE` with a message naming the entity.
pub fn check(
    body: &EndpointCoreConfigInput,
    current: Option<&EndpointCoreConfigOutput>,
) -> Result<Checked, ApiError> {
    let bad = |m: String| Err(ApiError::invalid_parameter(m));
    let (desired, legacy) = desired_entities(body)?;
    if desired.is_empty() {
        return bad("The config must contain at least one served entity.".into());
    }
    if desired.len() > MAX_SERVED_ENTITIES {
        return bad(format!(
            "An endpoint can serve at most {MAX_SERVED_ENTITIES} served entities; this config has {}.",
            desired.len()
        ));
    }
    let mut entities = Vec::with_capacity(desired.len());
    for (i, d) in desired.into_iter().enumerate() {
        let mut e = d.input;
        let name = match e.name.clone().or_else(|| default_name(&e)) {
            Some(n) => n,
            None => {
                return bad(format!(
                    "served_entities[{i}]: one of entity_name and external_model must be specified."
                ))
            }
        };
        if !is_valid_entity_name(&name) {
            return bad(format!(
                "Served entity name '{name}' is invalid. Names may contain only alphanumeric \
                 characters, dashes and underscores."
            ));
        }
        if entities
            .iter()
            .any(|o: &ServedEntityInput| o.name.as_deref() == Some(name.as_str()))
        {
            return bad(format!(
                "Served entity names must be unique: '{name}' is used more than once."
            ));
        }
        if e.entity_name.is_none() && e.external_model.is_none() {
            return bad(format!(
                "Served entity '{name}': one of entity_name and external_model must be specified."
            ));
        }
        if e.external_model.is_none() {
            if e.scale_to_zero_enabled.is_none() {
                return bad(SCALE_TO_ZERO_UNDEFINED.into());
            }
            if e.workload_size.is_some()
                && (e.min_provisioned_concurrency.is_some()
                    || e.max_provisioned_concurrency.is_some())
            {
                return bad(format!(
                    "Served entity '{name}': workload_size cannot be specified together with \
                     min_provisioned_concurrency or max_provisioned_concurrency."
                ));
            }
            if let (Some(min), Some(max)) =
                (e.min_provisioned_concurrency, e.max_provisioned_concurrency)
            {
                if min < 0 || max < min {
                    return bad(format!(
                        "Served entity '{name}': min_provisioned_concurrency ({min}) must be between \
                         0 and max_provisioned_concurrency ({max})."
                    ));
                }
            }
        }
        e.name = Some(name);
        entities.push(e);
    }
    check_external_models(&entities, current)?;
    let routes = check_routes(body.traffic_config.as_ref(), &entities)?;
    Ok(Checked {
        entities,
        routes,
        legacy,
    })
}

/// An external model cannot be added to or removed from an endpoint after creation, and the
/// external models of one endpoint share a task (CONFIRMED: API reference / SDK doc comment;
/// the wording is ours).
fn check_external_models(
    entities: &[ServedEntityInput],
    current: Option<&EndpointCoreConfigOutput>,
) -> Result<(), ApiError> {
    let Some(current) = current else {
        return Ok(());
    };
    let had = serves_external(current);
    let has = entities.iter().any(|e| e.external_model.is_some());
    let all = entities.iter().all(|e| e.external_model.is_some());
    if had && !all {
        return Err(ApiError::invalid_parameter(
            "External models cannot be removed from an endpoint after creation: every served \
             entity of this endpoint must be an external model.",
        ));
    }
    if !had && has {
        return Err(ApiError::invalid_parameter(
            "External models cannot be added to an endpoint after creation.",
        ));
    }
    if had {
        let task = external_task(current);
        for e in entities {
            let t = e.external_model.as_ref().and_then(|m| m.task.as_deref());
            if let (Some(want), Some(got)) = (task.as_deref(), t) {
                if want != got {
                    return Err(ApiError::invalid_parameter(format!(
                        "The external models of an endpoint must share a task: '{got}' differs \
                         from the endpoint's task '{want}'."
                    )));
                }
            }
        }
    }
    Ok(())
}

/// Every entity has a route, every route names an entity, percentages are 0–100 and sum to
/// 100 (OBSERVED). Without `traffic_config` a lone entity gets 100 % (OBSERVED: GET fills it
/// in); several entities without one are refused (OBSERVED: the CLI emulator, which mirrors the
/// backend, requires an explicit traffic config then; the wording is ours).
fn check_routes(
    traffic: Option<&TrafficConfig>,
    entities: &[ServedEntityInput],
) -> Result<Vec<Route>, ApiError> {
    let name_of = |e: &ServedEntityInput| e.name.clone().unwrap_or_default();
    let Some(traffic) = traffic else {
        if let [only] = entities {
            return Ok(vec![Route {
                served_entity_name: Some(name_of(only)),
                served_model_name: None,
                traffic_percentage: 100,
            }]);
        }
        return Err(ApiError::invalid_parameter(
            "traffic_config must be specified when the config serves more than one entity.",
        ));
    };
    let mut sum = 0i64;
    for r in &traffic.routes {
        let target = r.target();
        if !entities.iter().any(|e| e.name.as_deref() == Some(target)) {
            return Err(ApiError::invalid_parameter(format!(
                "The traffic config routes to '{target}', which is not a served entity of this config."
            )));
        }
        if !(0..=100).contains(&r.traffic_percentage) {
            return Err(ApiError::invalid_parameter(format!(
                "The traffic percentage of '{target}' must be between 0 and 100; got {}.",
                r.traffic_percentage
            )));
        }
        if traffic
            .routes
            .iter()
            .filter(|o| o.target() == target)
            .count()
            > 1
        {
            return Err(ApiError::invalid_parameter(format!(
                "The traffic config has more than one route to '{target}'."
            )));
        }
        sum += r.traffic_percentage;
    }
    for e in entities {
        let n = name_of(e);
        if !traffic.routes.iter().any(|r| r.target() == n) {
            return Err(ApiError::invalid_parameter(format!(
                "Served entity '{n}' has no route in the traffic config: every served entity \
                 must have a route."
            )));
        }
    }
    if sum != 100 {
        return Err(ApiError::invalid_parameter(format!(
            "The traffic percentages of the routes must sum to 100; they sum to {sum}."
        )));
    }
    Ok(traffic
        .routes
        .iter()
        .map(|r| Route {
            served_entity_name: Some(r.target().to_string()),
            served_model_name: None,
            traffic_percentage: r.traffic_percentage,
        })
        .collect())
}

/// Drop `*_plaintext` secrets at any depth (write-only: never stored, never returned).
fn strip_plaintext(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(map) => {
            map.retain(|k, _| !k.ends_with("_plaintext"));
            for inner in map.values_mut() {
                strip_plaintext(inner);
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(strip_plaintext),
        _ => {}
    }
}

fn stored_external(m: &ExternalModel) -> ExternalModel {
    let mut m = m.clone();
    for v in m.provider_config.values_mut() {
        strip_plaintext(v);
    }
    m.provider_config.retain(|k, _| !k.ends_with("_plaintext"));
    m
}

/// The pending config as GET will show it (before `begin_update` sets its version and states).
pub fn pending_config(
    checked: &Checked,
    auto_capture: Option<serde_json::Value>,
    creator: &str,
    now_ms: i64,
) -> EndpointCoreConfigOutput {
    let served_entities: Vec<ServedEntityOutput> = checked
        .entities
        .iter()
        .map(|e| ServedEntityOutput {
            name: e.name.clone().unwrap_or_default(),
            entity_type: e.external_model.as_ref().map(|_| EntityType::ExternalModel),
            entity_name: e.entity_name.clone(),
            entity_version: e.entity_version.clone(),
            workload_size: e.workload_size.clone(),
            workload_type: e.workload_type.clone(),
            scale_to_zero_enabled: e.scale_to_zero_enabled,
            min_provisioned_concurrency: e.min_provisioned_concurrency,
            max_provisioned_concurrency: e.max_provisioned_concurrency,
            min_provisioned_throughput: e.min_provisioned_throughput,
            max_provisioned_throughput: e.max_provisioned_throughput,
            provisioned_model_units: e.provisioned_model_units,
            environment_vars: e.environment_vars.clone(),
            instance_profile_arn: e.instance_profile_arn.clone(),
            external_model: e.external_model.as_ref().map(stored_external),
            foundation_model: None,
            state: None,
            creator: Some(creator.to_string()),
            creation_timestamp: Some(now_ms),
        })
        .collect();
    let served_models: Vec<ServedModelOutput> = if checked.legacy {
        served_entities
            .iter()
            .map(|e| ServedModelOutput {
                name: e.name.clone(),
                model_name: e.entity_name.clone(),
                model_version: e.entity_version.clone(),
                workload_size: e.workload_size.clone(),
                workload_type: e.workload_type.clone(),
                scale_to_zero_enabled: e.scale_to_zero_enabled,
                environment_vars: e.environment_vars.clone(),
                instance_profile_arn: e.instance_profile_arn.clone(),
                state: None,
                creator: e.creator.clone(),
                creation_timestamp: e.creation_timestamp,
            })
            .collect()
    } else {
        Vec::new()
    };
    // GET names a route's target both ways for served_entities (as the real answers in the seed
    // do), and only as served_model_name for a legacy served_models config.
    let routes = checked
        .routes
        .iter()
        .map(|r| {
            let target = r.target().to_string();
            Route {
                served_entity_name: (!checked.legacy).then(|| target.clone()),
                served_model_name: Some(target),
                traffic_percentage: r.traffic_percentage,
            }
        })
        .collect();
    EndpointCoreConfigOutput {
        start_time: None,
        served_entities,
        served_models,
        traffic_config: Some(TrafficConfig { routes }),
        auto_capture_config: auto_capture,
        config_version: None,
    }
}

/// Only the input keys of `auto_capture_config` are kept (GET's `state` is output-only).
fn auto_capture_input(v: &serde_json::Value) -> serde_json::Value {
    match v {
        serde_json::Value::Object(map) => serde_json::Value::Object(
            map.iter()
                .filter(|(k, _)| {
                    matches!(
                        k.as_str(),
                        "catalog_name" | "schema_name" | "table_name_prefix" | "enabled"
                    )
                })
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// The first entity of `checked` that serves a failing version: (entity name, message).
fn scripted_failure(record: &EndpointRecord, checked: &Checked) -> Option<(String, String)> {
    checked.entities.iter().find_map(|e| {
        let kind = record.failure_of(e.entity_name.as_deref()?, e.entity_version.as_deref()?)?;
        Some((e.name.clone()?, kind.message().to_string()))
    })
}

/// A new entity without a signature of its own gets that of a served entity of the same model
/// (so a new version answers queries and has an OpenAPI document like the old one).
fn inherit_signatures(record: &mut EndpointRecord, checked: &Checked) {
    let Some(current) = record.detailed().config.clone() else {
        return;
    };
    for e in &checked.entities {
        let (Some(name), Some(model)) = (e.name.as_deref(), e.entity_name.as_deref()) else {
            continue;
        };
        if record.signatures.by_entity.contains_key(name) {
            continue;
        }
        let donor = current
            .served_entities
            .iter()
            .filter(|o| o.entity_name.as_deref() == Some(model))
            .find_map(|o| record.signatures.by_entity.get(&o.name).cloned());
        if let Some(sig) = donor {
            record.signatures.by_entity.insert(name.to_string(), sig);
        }
    }
}

/// `PUT /api/2.0/serving-endpoints/{name}/config`.
async fn update_config(
    State(state): State<AppState>,
    caller: Caller,
    path: Result<Path<String>, PathRejection>,
    body: Result<AppJson<EndpointCoreConfigInput>, ApiError>,
) -> Result<Response, ApiError> {
    let name = endpoint_name(path)?;
    let now = state.now_ms();
    let delay = state.config().update_delay_ms();
    let view = {
        let mut store = state.store_mut();
        let record = store
            .get_mut(&name)
            .ok_or_else(|| ApiError::endpoint_not_found(&name))?;
        let level = authorize(record, &caller, &PermissionLevel::CanManage)?;
        if record.is_updating() || record.is_stopping() {
            return Err(update_in_progress(&name));
        }
        let AppJson(body) = body?;
        let checked = check(&body, record.detailed().config.as_ref())?;
        // Whether a PUT without auto_capture_config disables it is UNCONFIRMED: keep it.
        let auto_capture = body
            .auto_capture_config
            .as_ref()
            .or(record
                .detailed()
                .config
                .as_ref()
                .and_then(|c| c.auto_capture_config.as_ref()))
            .map(auto_capture_input);
        let pending = pending_config(&checked, auto_capture, caller.0.name, now);
        let finish_at = now.saturating_add(delay);
        inherit_signatures(record, &checked);
        match scripted_failure(record, &checked) {
            Some((entity, message)) => {
                record.begin_failing_update(pending, now, finish_at, message, entity)
            }
            None => record.begin_update(pending, now, finish_at, None),
        }
        let view = record.view(level);
        store.reschedule();
        view
    };
    Ok(json_response(&view))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use serde_json::json;

    fn body(v: serde_json::Value) -> EndpointCoreConfigInput {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn a_lone_entity_without_traffic_config_gets_the_whole_route() {
        let c = check(
            &body(
                json!({"served_entities": [{"entity_name": "main.s.m", "entity_version": "3",
                "workload_size": "Small", "scale_to_zero_enabled": true}]}),
            ),
            None,
        )
        .unwrap();
        assert_eq!(c.entities[0].name.as_deref(), Some("m-3"));
        assert_eq!(c.routes.len(), 1);
        assert_eq!(c.routes[0].target(), "m-3");
        assert_eq!(c.routes[0].traffic_percentage, 100);
    }

    #[test]
    fn plaintext_secrets_are_not_stored() {
        let c = check(
            &body(json!({"served_entities": [{"name": "gpt", "external_model": {
                "name": "gpt-4o", "provider": "openai", "task": "llm/v1/chat",
                "openai_config": {"openai_api_key_plaintext": "sk-secret", "openai_api_base": "x"}}}]})),
            None,
        )
        .unwrap();
        let p = pending_config(&c, None, "a@b.c", 1);
        let text = serde_json::to_string(&p).unwrap();
        assert!(!text.contains("sk-secret"), "{text}");
        assert!(text.contains("openai_api_base"), "{text}");
    }

    #[test]
    fn a_legacy_body_is_mirrored_in_served_entities() {
        let c = check(
            &body(
                json!({"served_models": [{"name": "iris-4", "model_name": "iris",
                "model_version": "4", "workload_size": "Small", "scale_to_zero_enabled": true}]}),
            ),
            None,
        )
        .unwrap();
        let p = pending_config(&c, None, "a@b.c", 1);
        assert_eq!(p.served_models[0].name, "iris-4");
        assert_eq!(p.served_entities[0].name, "iris-4");
        let r = &p.traffic_config.unwrap().routes[0];
        assert_eq!(r.served_model_name.as_deref(), Some("iris-4"));
        assert_eq!(r.served_entity_name, None);
    }
}
