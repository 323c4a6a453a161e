//! Browser tests of the Overview's metrics sparklines and events timeline.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use leptos::prelude::*;
use serving_console::api::FakeTransport;
use serving_console::components::Sparkline;
use serving_console::config::Config;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod common;
use common::{container, go, mount_console, sleep, until};

const READY: &str = api_fixtures::get("get_custom_ready.json");
const METRICS: &str = api_fixtures::get("metrics.txt");
const CREATING: &str = api_fixtures::get("get_custom_creating.json");

/// Mount the console on the detail page of the ready fixture, `/metrics` answering `metrics`.
fn mount_detail(metrics: &str) -> (web_sys::HtmlElement, impl Drop) {
    go("/endpoints/fraud-detector-prod");
    let fake = FakeTransport::new();
    fake.respond(
        "GET",
        "/api/2.0/serving-endpoints/fraud-detector-prod",
        200,
        READY,
    );
    fake.respond(
        "GET",
        "/api/2.0/serving-endpoints/fraud-detector-prod/metrics",
        200,
        metrics,
    );
    mount_console(Config::default(), &fake)
}

#[wasm_bindgen_test]
async fn sparkline_draws_points_and_has_a_text_alternative() {
    let el = container();
    let series = RwSignal::new(vec![(0i64, 10.0f64), (60_000, 30.0), (120_000, 20.0)]);
    let _h = leptos::mount::mount_to(el.clone(), move || {
        view! { <Sparkline label="CPU" unit="%" series=series/> }
    });
    let svg = el.query_selector("svg[role=img]").unwrap().unwrap();
    assert_eq!(
        svg.get_attribute("aria-label").unwrap(),
        "CPU: now 20.0 %; min 10.0, max 30.0 over the last 2 min"
    );
    let pts = el
        .query_selector("polyline")
        .unwrap()
        .unwrap()
        .get_attribute("points")
        .unwrap();
    assert_eq!(pts.split(' ').count(), 3);
    assert!(el.text_content().unwrap().contains("20.0 %"));
    series.set(vec![]);
    sleep(10).await;
    assert_eq!(svg.get_attribute("aria-label").unwrap(), "CPU: no data yet");
}

#[wasm_bindgen_test]
async fn overview_shows_metrics_from_the_api() {
    let (el, _h) = mount_detail(METRICS);
    until("sparklines with data", || {
        el.query_selector("[data-testid=metrics]")
            .unwrap()
            .map(|m| m.text_content().unwrap_or_default().contains("req/s"))
            .unwrap_or(false)
            && el.text_content().unwrap_or_default().contains("100 req/s")
    })
    .await;
    let labels: Vec<String> = {
        let l = el
            .query_selector_all("[data-testid=sparkline] svg")
            .unwrap();
        (0..l.length())
            .filter_map(|i| l.item(i))
            .map(|n| {
                n.unchecked_into::<web_sys::Element>()
                    .get_attribute("aria-label")
                    .unwrap_or_default()
            })
            .collect()
    };
    assert_eq!(labels.len(), 6);
    assert!(
        labels
            .iter()
            .any(|l| l.starts_with("Requests per second: now 100 req/s")),
        "{labels:?}"
    );
    assert!(el.query_selector("[data-testid=events]").unwrap().is_some());
}

#[wasm_bindgen_test]
async fn malformed_metrics_do_not_break_the_overview() {
    let (el, _h) =
        mount_detail("<html>oops</html>\ncpu_usage_percentage{x=\"1\"} 12.5\nbroken{ line\n");
    until("cpu shown", || {
        el.text_content().unwrap_or_default().contains("12.5 %")
    })
    .await;
    assert!(
        el.text_content().unwrap().contains("fraud_xgb-7"),
        "the rest of the overview renders"
    );
}

#[wasm_bindgen_test]
async fn an_endpoint_serving_no_configuration_is_not_asked_for_metrics() {
    // The API answers 404 for such an endpoint: the console knows it and does not ask.
    go("/endpoints/recsys-ranker");
    let fake = FakeTransport::new();
    fake.respond(
        "GET",
        "/api/2.0/serving-endpoints/recsys-ranker",
        200,
        CREATING,
    );
    let (el, _h) = mount_console(Config::default(), &fake);
    until("the metrics section explains", || {
        el.query_selector("[data-testid=metrics]")
            .unwrap()
            .map(|m| {
                m.text_content()
                    .unwrap_or_default()
                    .contains("No metrics yet")
            })
            .unwrap_or(false)
    })
    .await;
    assert!(el.text_content().unwrap().contains("recsys-ranker"));
    assert!(
        fake.requests().iter().all(|r| !r.url.ends_with("/metrics")),
        "{:?}",
        fake.requests()
            .iter()
            .map(|r| r.url.clone())
            .collect::<Vec<_>>()
    );
}
