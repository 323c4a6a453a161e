//! Browser test of the idle and cost view (issue #18): verdicts in order (idle GPU first), the
//! honest evidence text, and a row's Stop confirmed before it is sent, sent once
//! (wasm-pack test --headless --chrome --test fleet_idle), with a fake transport and
//! observations placed in the app context as the sampler would have made them.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use leptos::prelude::*;
use serde_json::{json, Value};
use serving_console::api::FakeTransport;
use serving_console::config::Config;
use serving_console::context::{provide_console_state, Fleet};
use serving_console::model::metrics::Snapshot;
use serving_console::pages::fleet::IdlePage;
use std::sync::Arc;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod common;
use common::{all, container, find, text, until};

fn ep(name: &str, workload: &str, stz: bool) -> Value {
    json!({
        "name": name,
        "id": format!("id-{name}"),
        "state": {"ready": "READY", "config_update": "NOT_UPDATING"},
        "permission_level": "CAN_MANAGE",
        "config": {"served_entities": [{"name": "m-1", "entity_name": "main.ml.m", "entity_version": "1",
            "workload_type": workload, "scale_to_zero_enabled": stz,
            "state": {"deployment": "DEPLOYMENT_READY"}}]}
    })
}

fn minutes(now: i64, n: i64, rps: f64) -> Vec<Snapshot> {
    (0..=n)
        .map(|m| Snapshot {
            ts_ms: now - (n - m) * 60_000,
            requests_per_s: Some(rps),
            ..Default::default()
        })
        .collect()
}

#[wasm_bindgen_test]
async fn idle_gpu_first_with_evidence_and_a_confirmed_stop() {
    let eps = [
        ep("cpu-idle", "CPU", false),
        ep("busy", "GPU_SMALL", false),
        ep("gpu-idle", "GPU_SMALL", false),
        ep("stz", "CPU", true),
        ep("fresh", "CPU", false),
    ];
    let fake = FakeTransport::new();
    let items: Vec<Value> = eps
        .iter()
        .map(|e| {
            let mut i = e.clone();
            i.as_object_mut().unwrap().remove("permission_level");
            i
        })
        .collect();
    fake.respond(
        "GET",
        "/api/2.0/serving-endpoints",
        200,
        &json!({ "endpoints": items }).to_string(),
    );
    for e in &eps {
        let n = e["name"].as_str().unwrap();
        fake.respond(
            "GET",
            &format!("/api/2.0/serving-endpoints/{n}"),
            200,
            &e.to_string(),
        );
    }
    fake.respond(
        "POST",
        "/api/2.0/serving-endpoints/gpu-idle/config:stop",
        200,
        "{}",
    );
    let now = serving_console::api::js_now_ms();
    let el = container();
    let f = fake.clone();
    let _h = leptos::mount::mount_to(el.clone(), move || {
        provide_console_state(Config::default(), Arc::new(f.clone()));
        let fleet = Fleet::expect().observations();
        fleet.observed.update(|o| {
            o.insert("cpu-idle".into(), minutes(now, 42, 0.0));
            o.insert("gpu-idle".into(), minutes(now, 11, 0.0));
            let mut busy = minutes(now, 20, 0.0);
            busy[17].requests_per_s = Some(0.5);
            o.insert("busy".into(), busy);
            o.insert("stz".into(), minutes(now, 20, 0.0));
        });
        view! { <IdlePage/> }
    });
    let rows = || -> Vec<(String, String, String)> {
        all(&el, "[data-testid=idle-row]")
            .iter()
            .map(|r| {
                let c = all(r, "td");
                (
                    text(&c[0]),
                    r.get_attribute("data-verdict").unwrap_or_default(),
                    text(&c[2]),
                )
            })
            .collect()
    };
    until("every endpoint read", || {
        let r = rows();
        r.len() == 5 && !r.iter().any(|(_, _, e)| e == "Not read yet.")
    })
    .await;
    let r = rows();
    assert_eq!(
        r.iter()
            .map(|x| (x.0.as_str(), x.1.as_str()))
            .collect::<Vec<_>>(),
        vec![
            ("gpu-idle", "idle"),
            ("cpu-idle", "idle"),
            ("fresh", "unknown"),
            ("busy", "busy"),
            ("stz", "not-costing"),
        ],
        "idle GPU first, then the longest evidence, unknown, busy, not costing"
    );
    assert_eq!(r[0].2, "0 requests over the last 11 min observed.");
    assert_eq!(r[1].2, "0 requests over the last 42 min observed.");
    assert_eq!(r[2].2, "No metrics observed yet.");
    assert!(text(&el).contains("Idle, costing (GPU)"));
    assert_eq!(
        text(&find(&el, "[data-testid=idle-count]")),
        "2 idle and costing of 5 watched"
    );
    let edit = find(&el, "a[aria-label=\"Turn scale to zero on for gpu-idle\"]");
    assert_eq!(
        edit.get_attribute("href").as_deref(),
        Some("/endpoints/gpu-idle/edit")
    );

    // Stop: shown first, nothing sent until confirmed, then one POST.
    find(&el, "button[aria-label=\"Stop gpu-idle\"]").click();
    until("confirmation", || {
        find(&el, "#idle-dialog").has_attribute("open")
    })
    .await;
    assert!(text(&find(&el, "#idle-dialog")).contains("Stop gpu-idle?"));
    let posts = || {
        fake.requests()
            .into_iter()
            .filter(|q| q.method == "POST")
            .map(|q| q.url)
            .collect::<Vec<_>>()
    };
    assert!(posts().is_empty());
    find(&el, "#idle-confirm").click();
    until("sent", || !posts().is_empty()).await;
    until("closed", || {
        !find(&el, "#idle-dialog").has_attribute("open")
    })
    .await;
    assert_eq!(
        posts(),
        vec!["/api/2.0/serving-endpoints/gpu-idle/config:stop"]
    );
}
