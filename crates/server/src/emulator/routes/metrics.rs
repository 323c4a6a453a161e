//! `GET /api/2.0/serving-endpoints/{name}/metrics` → Prometheus / OpenMetrics text
//! (serving-api.md §5.9; shape of `fixtures/metrics.txt`).
//!
//! Values are a deterministic function of the endpoint, its served entities, their traffic share
//! and the emulated clock (minute buckets), so they move over time, repeat under a frozen clock,
//! and react to state: a stopped or not-yet-deployed entity serves nothing (0 requests, ~0 CPU);
//! an idle endpoint ([`crate::emulator::store::EndpointRecord::idle`]) is provisioned (its
//! concurrency and a little CPU and memory show) but receives no requests.
//! An endpoint whose first config has not deployed yet answers 404 (OBSERVED for brand-new
//! endpoints; the exact message is UNCONFIRMED). CAN_VIEW is enough to read.

use crate::emulator::principals::Caller;
use crate::emulator::routes::endpoints::{authorize, endpoint_name};
use crate::emulator::state::AppState;
use crate::error::ApiError;
use api_types::{DeploymentState, PermissionLevel, ServingEndpointDetailed};
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::fmt::Write;

/// The metrics route.
pub fn router() -> Router<AppState> {
    Router::new().route("/api/2.0/serving-endpoints/{name}/metrics", get(metrics))
}

async fn metrics(
    State(state): State<AppState>,
    caller: Caller,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let name = endpoint_name(path)?;
    let now = state.now_ms();
    let (endpoint, idle) = {
        let store = state.store();
        let record = store
            .get(&name)
            .ok_or_else(|| ApiError::endpoint_not_found(&name))?;
        authorize(record, &caller, &PermissionLevel::CanView)?;
        (record.detailed().clone(), record.idle)
    };
    if endpoint.config.is_none() {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "RESOURCE_DOES_NOT_EXIST",
            format!("Metrics for endpoint '{name}' are not available yet."),
        ));
    }
    Ok((
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        render(&endpoint, now, idle),
    )
        .into_response())
}

/// A stable 64-bit hash (FNV-1a) of a few strings and numbers.
fn hash(parts: &[&str], n: i64) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts
        .iter()
        .map(|p| p.as_bytes())
        .chain([n.to_le_bytes().as_slice()])
    {
        for b in p {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        h ^= 0xff;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// A number in [0, 1) from a hash.
fn unit(h: u64) -> f64 {
    (h >> 11) as f64 / (1u64 << 53) as f64
}

/// One entity's figures for one minute.
#[derive(Debug, Clone, PartialEq)]
pub struct EntityMinute {
    /// Served-entity name (the label).
    pub entity: String,
    /// Requests during the minute.
    pub requests: u64,
    /// 4xx responses.
    pub errors_4xx: u64,
    /// 5xx responses.
    pub errors_5xx: u64,
    /// CPU %.
    pub cpu: f64,
    /// Memory %.
    pub mem: f64,
    /// Provisioned concurrency.
    pub concurrency: u64,
    /// Latency histogram: (upper bound ms, cumulative count), last bound +Inf.
    pub buckets: Vec<(f64, u64)>,
    /// Sum of latencies, ms.
    pub latency_sum: f64,
}

const BOUNDS: [f64; 7] = [10.0, 25.0, 50.0, 100.0, 250.0, 500.0, 1000.0];

/// The figures of every served entity of `e`'s current config at `now_ms`; `idle`: nobody
/// queries it.
pub fn figures(e: &ServingEndpointDetailed, now_ms: i64, idle: bool) -> Vec<EntityMinute> {
    let Some(config) = &e.config else {
        return Vec::new();
    };
    let minute = now_ms.div_euclid(60_000);
    let routes = config
        .traffic_config
        .as_ref()
        .map(|t| t.routes.clone())
        .unwrap_or_default();
    let n = config.served_entities.len().max(1) as f64;
    config
        .served_entities
        .iter()
        .map(|ent| {
            let serving = matches!(ent.deployment(), Some(DeploymentState::Ready) | None)
                && ent.deployment() != Some(&DeploymentState::Stopped);
            let share = routes
                .iter()
                .find(|r| r.target() == ent.name)
                .map(|r| r.traffic_percentage.max(0) as f64 / 100.0)
                .unwrap_or(1.0 / n);
            let base = 200.0 + 6000.0 * unit(hash(&[&e.name], 0));
            // A slow daily-ish wave plus per-minute noise.
            let wave = 1.0 + 0.35 * ((minute as f64) / 37.0).sin();
            let noise = 0.85 + 0.3 * unit(hash(&[&e.name, &ent.name], minute));
            let requests = if serving && !idle {
                (base * share * wave * noise).round() as u64
            } else {
                0
            };
            let err_rate = 0.001 + 0.01 * unit(hash(&[&e.name, "4xx"], minute));
            let errors_4xx = (requests as f64 * err_rate).round() as u64;
            let errors_5xx = if unit(hash(&[&e.name, "5xx"], minute)) > 0.8 {
                (requests as f64 * 0.002).round() as u64
            } else {
                0
            };
            let load = requests as f64 / (base.max(1.0));
            let cpu = if serving {
                ((if idle { 1.0 } else { 3.0 }) + 60.0 * load * noise).min(99.0)
            } else {
                0.0
            };
            let mem = if serving {
                20.0 + 25.0 * unit(hash(&[&e.name, &ent.name], 0))
            } else {
                0.0
            };
            let concurrency = if serving {
                4 + (12.0 * load).round() as u64
            } else {
                0
            };
            // Latency: a median around 15–60 ms with a tail.
            let median = 15.0 + 45.0 * unit(hash(&[&e.name, "lat"], 0));
            let mut buckets = Vec::with_capacity(BOUNDS.len() + 1);
            let mut sum = 0.0;
            for b in BOUNDS {
                // Log-logistic CDF with scale = median, shape 3.
                let cdf = 1.0 / (1.0 + (median / b).powf(3.0));
                buckets.push((b, (requests as f64 * cdf).round() as u64));
            }
            buckets.push((f64::INFINITY, requests));
            let mut prev = 0u64;
            let mut lo = 0.0;
            for (b, c) in &buckets {
                let hi = if b.is_finite() { *b } else { lo * 2.0 + 1.0 };
                sum += (c.saturating_sub(prev)) as f64 * (lo + hi) / 2.0;
                prev = *c;
                lo = hi;
            }
            EntityMinute {
                entity: ent.name.clone(),
                requests,
                errors_4xx,
                errors_5xx,
                cpu,
                mem,
                concurrency,
                buckets,
                latency_sum: sum,
            }
        })
        .collect()
}

/// The exposition text for `e` at `now_ms` (lines carry the minute's ms timestamp); `idle`:
/// nobody queries it.
pub fn render(e: &ServingEndpointDetailed, now_ms: i64, idle: bool) -> String {
    let ts = now_ms.div_euclid(60_000) * 60_000;
    let figs = figures(e, now_ms, idle);
    let mut out = String::new();
    let gauge = |out: &mut String, name: &str, help: &str, v: &dyn Fn(&EntityMinute) -> String| {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge");
        for f in &figs {
            let _ = writeln!(
                out,
                "{name}{{served_entity_name=\"{}\"}} {} {ts}",
                f.entity,
                v(f)
            );
        }
    };
    gauge(
        &mut out,
        "cpu_usage_percentage",
        "Average CPU usage across all replicas during the last minute",
        &|f| format!("{:.3}", f.cpu),
    );
    gauge(
        &mut out,
        "mem_usage_percentage",
        "Average memory usage across all replicas during the last minute",
        &|f| format!("{:.3}", f.mem),
    );
    gauge(
        &mut out,
        "provisioned_concurrent_requests_total",
        "Provisioned concurrency during the last minute",
        &|f| f.concurrency.to_string(),
    );
    gauge(
        &mut out,
        "request_count_total",
        "Number of requests during the last minute",
        &|f| f.requests.to_string(),
    );
    gauge(
        &mut out,
        "request_4xx_count_total",
        "Number of 4xx responses during the last minute",
        &|f| f.errors_4xx.to_string(),
    );
    gauge(
        &mut out,
        "request_5xx_count_total",
        "Number of 5xx responses during the last minute",
        &|f| f.errors_5xx.to_string(),
    );
    let _ = writeln!(out, "# HELP request_latency_ms Round-trip request latency in milliseconds\n# TYPE request_latency_ms histogram");
    for f in &figs {
        for (b, c) in &f.buckets {
            let le = if b.is_finite() {
                format!("{b}")
            } else {
                "+Inf".to_string()
            };
            let _ = writeln!(
                out,
                "request_latency_ms_bucket{{served_entity_name=\"{}\",le=\"{le}\"}} {c} {ts}",
                f.entity
            );
        }
        let _ = writeln!(
            out,
            "request_latency_ms_sum{{served_entity_name=\"{}\"}} {:.1} {ts}",
            f.entity, f.latency_sum
        );
        let _ = writeln!(
            out,
            "request_latency_ms_count{{served_entity_name=\"{}\"}} {} {ts}",
            f.entity, f.requests
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoint(deployment: &str) -> ServingEndpointDetailed {
        serde_json::from_value(serde_json::json!({
            "name": "ep",
            "config": {
                "served_entities": [
                    {"name": "a", "state": {"deployment": deployment}},
                    {"name": "b", "state": {"deployment": deployment}}
                ],
                "traffic_config": {"routes": [
                    {"served_entity_name": "a", "traffic_percentage": 90},
                    {"served_entity_name": "b", "traffic_percentage": 10}
                ]}
            }
        }))
        .unwrap()
    }

    #[test]
    fn traffic_share_and_state_shape_the_figures() {
        let f = figures(&endpoint("DEPLOYMENT_READY"), 1_700_000_000_000, false);
        assert!(f[0].requests > f[1].requests * 3, "{f:?}");
        assert_eq!(f[0].buckets.last().map(|b| b.1), Some(f[0].requests));
        let stopped = figures(&endpoint("DEPLOYMENT_STOPPED"), 1_700_000_000_000, false);
        assert!(stopped.iter().all(|f| f.requests == 0 && f.cpu == 0.0));
    }

    #[test]
    fn an_idle_endpoint_is_provisioned_but_serves_no_requests() {
        let e = endpoint("DEPLOYMENT_READY");
        for m in 0..30 {
            let f = figures(&e, 1_700_000_000_000 + m * 60_000, true);
            assert!(
                f.iter().all(|f| f.requests == 0 && f.errors_4xx == 0),
                "{f:?}"
            );
            assert!(f.iter().all(|f| f.concurrency > 0 && f.cpu > 0.0), "{f:?}");
        }
        let t = render(&e, 1_700_000_000_000, true);
        assert!(
            t.contains("request_count_total{served_entity_name=\"a\"} 0 "),
            "{t}"
        );
    }

    #[test]
    fn same_minute_same_values_next_minutes_move() {
        let e = endpoint("DEPLOYMENT_READY");
        assert_eq!(
            render(&e, 1_700_000_000_000, false),
            render(&e, 1_700_000_030_000, false)
        );
        let a = figures(&e, 1_700_000_000_000, false)[0].requests;
        let moved =
            (1..10).any(|m| figures(&e, 1_700_000_000_000 + m * 60_000, false)[0].requests != a);
        assert!(moved);
    }

    #[test]
    fn text_has_every_metric_with_timestamps() {
        let t = render(&endpoint("DEPLOYMENT_READY"), 1_700_000_000_000, false);
        for m in [
            "cpu_usage_percentage{",
            "mem_usage_percentage{",
            "provisioned_concurrent_requests_total{",
            "request_count_total{",
            "request_4xx_count_total{",
            "request_5xx_count_total{",
            "request_latency_ms_bucket{served_entity_name=\"a\",le=\"+Inf\"}",
            "request_latency_ms_sum{",
            "request_latency_ms_count{",
        ] {
            assert!(t.contains(m), "{m} missing in\n{t}");
        }
        assert!(t
            .lines()
            .filter(|l| !l.starts_with('#'))
            .all(|l| l.ends_with(" 1699999980000")));
    }
}
