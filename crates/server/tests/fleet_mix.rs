//! `--generate N` gives fleet operations (issue #18) a realistic mix: external models and
//! custom models, CPU and GPU workloads, scale to zero on and off, idle and busy endpoints —
//! and the `/metrics` of each agree with what it is (an idle endpoint reports 0 requests
//! minute after minute; a busy one reports requests).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{config, get, router, T0};
use serde_json::Value;
use serving_console_server::emulator::clock::Clock;
use serving_console_server::{AppState, Seed};

/// The request counts of an exposition text, summed over its served entities.
fn requests(metrics: &str) -> u64 {
    metrics
        .lines()
        .filter(|l| l.starts_with("request_count_total{"))
        .filter_map(|l| l.split_whitespace().nth(1))
        .filter_map(|v| v.parse::<u64>().ok())
        .sum()
}

fn custom(e: &Value) -> bool {
    e["config"]["served_entities"]
        .as_array()
        .is_some_and(|s| !s.is_empty() && s.iter().all(|x| x["entity_name"].is_string()))
}

fn ready_not_updating(e: &Value) -> bool {
    e["state"]["ready"] == "READY" && e["state"]["config_update"] == "NOT_UPDATING"
}

#[tokio::test]
async fn generated_mix_has_idle_busy_gpu_and_scale_to_zero_with_consistent_metrics() {
    let n = 200;
    let state = AppState::with_clock(
        config(),
        Seed::empty().with_generated(n),
        Clock::frozen_at(T0),
    );
    let app = router(&state);
    let list = get(&app, "/api/2.0/serving-endpoints", None).await.json();
    let items = list["endpoints"].as_array().unwrap().clone();
    assert_eq!(items.len(), n);

    let (mut idle, mut busy, mut gpu, mut stz_on, mut stz_off, mut external) = (0, 0, 0, 0, 0, 0);
    let mut idle_gpu_costing = 0;
    for item in &items {
        let name = item["name"].as_str().unwrap();
        let d = get(&app, &format!("/api/2.0/serving-endpoints/{name}"), None)
            .await
            .json();
        if !custom(&d) {
            external += 1;
            continue;
        }
        let entities = d["config"]["served_entities"].as_array().unwrap();
        let is_gpu = entities.iter().any(|e| {
            e["workload_type"]
                .as_str()
                .is_some_and(|w| w.starts_with("GPU"))
        });
        let stz = entities
            .iter()
            .all(|e| e["scale_to_zero_enabled"] == Value::Bool(true));
        gpu += usize::from(is_gpu);
        if stz {
            stz_on += 1;
        } else {
            stz_off += 1;
        }
        if !ready_not_updating(&d) || entities.len() != 1 {
            continue;
        }
        // Five minutes of metrics: idle means 0 requests in every one of them.
        let mut minutes = Vec::new();
        for _ in 0..5 {
            state.with_clock_mut(|c| c.advance_ms(60_000));
            let r = get(
                &app,
                &format!("/api/2.0/serving-endpoints/{name}/metrics"),
                None,
            )
            .await;
            assert_eq!(r.status, 200, "{name}");
            minutes.push(requests(&r.text()));
        }
        if minutes.iter().all(|&r| r == 0) {
            idle += 1;
            if is_gpu && !stz {
                idle_gpu_costing += 1;
            }
            assert!(
                r_text_has_provisioned(
                    &get(
                        &app,
                        &format!("/api/2.0/serving-endpoints/{name}/metrics"),
                        None
                    )
                    .await
                    .text()
                ),
                "{name}: an idle endpoint is still provisioned"
            );
        } else {
            assert!(
                minutes.iter().all(|&r| r > 0),
                "{name}: a busy endpoint serves every minute: {minutes:?}"
            );
            busy += 1;
        }
    }
    assert!(external > 0, "external models");
    assert!(idle >= 20 && busy >= 40, "idle {idle}, busy {busy}");
    assert!(gpu >= 10, "gpu {gpu}");
    assert!(
        stz_on >= 20 && stz_off >= 40,
        "scale to zero on {stz_on}, off {stz_off}"
    );
    assert!(
        idle_gpu_costing >= 1,
        "at least one idle GPU endpoint with scale to zero off"
    );
}

fn r_text_has_provisioned(t: &str) -> bool {
    t.lines()
        .filter(|l| l.starts_with("provisioned_concurrent_requests_total{"))
        .filter_map(|l| l.split_whitespace().nth(1))
        .any(|v| v.parse::<u64>().is_ok_and(|c| c > 0))
}
