//! Browser tests of the console's components (wasm-pack test --headless --chrome), driven by a
//! fake transport with the API's own fixtures: no network.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use leptos::prelude::*;
use serving_console::api::FakeTransport;
use serving_console::app::ConfigErrorScreen;
use serving_console::components::StateBadge;
use serving_console::config::{Config, ConfigError};
use serving_console::model::display_state::DisplayState;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod common;
use common::{all, container, go, mount_console, text, until};

const LIST: &str = api_fixtures::get("list_endpoints.json");
const READY: &str = api_fixtures::get("get_custom_ready.json");
const STOPPED: &str = api_fixtures::get("get_custom_stopped.json");
const E503: &str = api_fixtures::get("error_503_temporarily_unavailable.json");
const E404: &str = api_fixtures::get("error_404_resource_does_not_exist.json");
const HTML_502: &str = "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx/1.22.1</center><script>window.__pwned = 1</script></body></html>";

#[wasm_bindgen_test]
async fn list_renders_fixture_rows_with_counts() {
    go("/endpoints");
    let fake = FakeTransport::new();
    fake.respond("GET", "/api/2.0/serving-endpoints", 200, LIST);
    let (el, _h) = mount_console(Config::default(), &fake);
    until("rows", || all(&el, "[data-testid=endpoint-row]").len() == 9).await;
    let t = text(&el);
    assert!(t.contains("fraud-detector-prod"));
    assert!(
        t.contains("main.risk.fraud_xgb v7"),
        "entity + version shown: {t}"
    );
    assert!(t.contains("9 endpoints"));
    // Every state badge shows Databricks wording.
    assert!(t.contains("Ready (Updating)"));
    assert!(t.contains("Not ready (Update failed)"));
}

#[wasm_bindgen_test]
async fn search_filters_as_you_type_and_shows_no_match() {
    go("/endpoints");
    let fake = FakeTransport::new();
    fake.respond("GET", "/api/2.0/serving-endpoints", 200, LIST);
    let (el, _h) = mount_console(Config::default(), &fake);
    until("rows", || all(&el, "[data-testid=endpoint-row]").len() == 9).await;
    let input: web_sys::HtmlInputElement = el
        .query_selector("input[type=search]")
        .unwrap()
        .unwrap()
        .unchecked_into();
    input.set_value("risk");
    input
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
    until("filtered", || {
        all(&el, "[data-testid=endpoint-row]").len() == 2
    })
    .await;
    assert!(text(&el).contains("2 of 9 endpoints"));
    assert!(
        window().location().search().unwrap().contains("q=risk"),
        "query kept in the URL"
    );
    input.set_value("zzz-no-such");
    input
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
    until("no match", || {
        el.query_selector("[data-testid=no-match]")
            .unwrap()
            .is_some()
    })
    .await;
    let clear: web_sys::HtmlElement = el
        .query_selector("[data-testid=no-match] button")
        .unwrap()
        .unwrap()
        .unchecked_into();
    clear.click();
    until("cleared", || {
        all(&el, "[data-testid=endpoint-row]").len() == 9
    })
    .await;
}

#[wasm_bindgen_test]
async fn sorting_sets_aria_sort_and_reorders() {
    go("/endpoints");
    let fake = FakeTransport::new();
    fake.respond("GET", "/api/2.0/serving-endpoints", 200, LIST);
    let (el, _h) = mount_console(Config::default(), &fake);
    until("rows", || all(&el, "[data-testid=endpoint-row]").len() == 9).await;
    let first_name = |el: &web_sys::HtmlElement| {
        all(el, "[data-testid=endpoint-row] td a")[0]
            .text_content()
            .unwrap()
    };
    assert_eq!(
        first_name(&el),
        "churn-model",
        "default sort is by name ascending"
    );
    let th = all(&el, "th[aria-sort]");
    assert_eq!(
        th[0].get_attribute("aria-sort").as_deref(),
        Some("ascending")
    );
    let name_btn: web_sys::HtmlElement = th[0]
        .query_selector("button")
        .unwrap()
        .unwrap()
        .unchecked_into();
    name_btn.click();
    until("desc", || {
        all(&el, "th[aria-sort]")[0]
            .get_attribute("aria-sort")
            .as_deref()
            == Some("descending")
    })
    .await;
    assert_eq!(first_name(&el), "sentiment-bert-gpu");
}

#[wasm_bindgen_test]
async fn state_badge_for_every_state() {
    let states = [
        (DisplayState::Ready, "Ready"),
        (DisplayState::ReadyUpdating, "Ready (Updating)"),
        (DisplayState::ReadyUpdateFailed, "Ready (Update failed)"),
        (DisplayState::NotReadyUpdating, "Not ready (Updating)"),
        (
            DisplayState::NotReadyUpdateFailed,
            "Not ready (Update failed)",
        ),
        (DisplayState::NotReadyStopped, "Not ready (Stopped)"),
    ];
    for (s, label) in states {
        let el = container();
        let st = s.clone();
        let _h = leptos::mount::mount_to(
            el.clone(),
            move || view! { <StateBadge state=Signal::stored(st.clone())/> },
        );
        assert_eq!(
            el.query_selector(".badge__label")
                .unwrap()
                .unwrap()
                .text_content()
                .unwrap(),
            label
        );
        let badge = el.query_selector(".badge").unwrap().unwrap();
        assert_eq!(badge.get_attribute("data-state").as_deref(), Some(s.key()));
        // Not by colour alone: an icon glyph and the text label.
        assert!(!el
            .query_selector(".badge__icon")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap()
            .is_empty());
    }
}

#[wasm_bindgen_test]
async fn databricks_503_is_retried_then_shown_with_code() {
    go("/endpoints");
    let fake = FakeTransport::new();
    for _ in 0..4 {
        fake.respond("GET", "/api/2.0/serving-endpoints", 503, E503);
    }
    let (el, _h) = mount_console(Config::default(), &fake);
    until("error view", || {
        el.query_selector("[data-testid=error-view]")
            .unwrap()
            .is_some()
    })
    .await;
    let n = fake
        .requests()
        .iter()
        .filter(|r| r.url.ends_with("/serving-endpoints"))
        .count();
    assert_eq!(n, 3, "a read is tried at most 3 times");
    let t = text(&el);
    assert!(t.contains("503"), "{t}");
    assert!(t.contains("TEMPORARILY_UNAVAILABLE"), "{t}");
    assert!(
        el.query_selector("[data-testid=error-view] button")
            .unwrap()
            .is_some(),
        "Retry offered"
    );
}

#[wasm_bindgen_test]
async fn a_503_then_success_shows_data() {
    go("/endpoints");
    let fake = FakeTransport::new();
    fake.respond("GET", "/api/2.0/serving-endpoints", 503, E503);
    fake.respond("GET", "/api/2.0/serving-endpoints", 200, LIST);
    let (el, _h) = mount_console(Config::default(), &fake);
    until("rows", || all(&el, "[data-testid=endpoint-row]").len() == 9).await;
    assert!(el
        .query_selector("[data-testid=error-view]")
        .unwrap()
        .is_none());
}

#[wasm_bindgen_test]
async fn html_502_page_is_a_clear_error_and_never_markup() {
    go("/endpoints");
    let fake = FakeTransport::new();
    fake.respond("GET", "/api/2.0/serving-endpoints", 502, HTML_502);
    let (el, _h) = mount_console(Config::default(), &fake);
    until("error view", || {
        el.query_selector("[data-testid=error-view]")
            .unwrap()
            .is_some()
    })
    .await;
    let t = text(&el);
    assert!(t.contains("Bad gateway"), "{t}");
    assert!(t.contains("502 Bad Gateway"), "{t}");
    assert!(
        el.query_selector("center").unwrap().is_none(),
        "HTML from the body is not rendered"
    );
    assert!(js_sys::Reflect::get(&window(), &"__pwned".into())
        .unwrap()
        .is_undefined());
}

#[wasm_bindgen_test]
async fn unknown_enum_values_render() {
    go("/endpoints");
    let fake = FakeTransport::new();
    let body = r#"{"endpoints":[{"name":"future-ep","state":{"ready":"WARMING_UP","config_update":"PAUSED"},"some_new_field":1}]}"#;
    fake.respond("GET", "/api/2.0/serving-endpoints", 200, body);
    let (el, _h) = mount_console(Config::default(), &fake);
    until("row", || all(&el, "[data-testid=endpoint-row]").len() == 1).await;
    let t = text(&el);
    assert!(t.contains("WARMING_UP"), "raw unknown value shown: {t}");
}

#[wasm_bindgen_test]
async fn detail_shows_state_entities_and_traffic() {
    go("/endpoints/fraud-detector-prod");
    let fake = FakeTransport::new();
    fake.respond(
        "GET",
        "/api/2.0/serving-endpoints/fraud-detector-prod",
        200,
        READY,
    );
    let (el, _h) = mount_console(Config::default(), &fake);
    until("indicator", || {
        el.query_selector("[data-testid=state-indicator]")
            .unwrap()
            .is_some()
    })
    .await;
    let t = text(&el);
    assert!(t.contains("Ready"));
    assert!(t.contains("fraud_xgb-8"));
    let traffic = el.query_selector("[data-testid=traffic]").unwrap().unwrap();
    assert!(traffic
        .get_attribute("aria-label")
        .unwrap()
        .contains("fraud_xgb-7 90%"));
}

#[wasm_bindgen_test]
async fn detail_of_stopped_endpoint_says_stopped() {
    go("/endpoints/forecast-batch-scorer");
    let fake = FakeTransport::new();
    fake.respond(
        "GET",
        "/api/2.0/serving-endpoints/forecast-batch-scorer",
        200,
        STOPPED,
    );
    let (el, _h) = mount_console(Config::default(), &fake);
    until("indicator", || {
        el.query_selector("[data-testid=state-indicator]")
            .unwrap()
            .is_some()
    })
    .await;
    assert!(text(&el).contains("Not ready (Stopped)"));
}

#[wasm_bindgen_test]
async fn unknown_endpoint_shows_not_found() {
    go("/endpoints/no-such-endpoint");
    let fake = FakeTransport::new();
    fake.respond(
        "GET",
        "/api/2.0/serving-endpoints/no-such-endpoint",
        404,
        E404,
    );
    let (el, _h) = mount_console(Config::default(), &fake);
    until("not found", || {
        el.query_selector("[data-testid=endpoint-not-found]")
            .unwrap()
            .is_some()
    })
    .await;
    assert_eq!(fake.requests().len(), 2, "a 404 is not retried (list + Me)");
}

#[wasm_bindgen_test]
async fn config_error_screen_explains() {
    let el = container();
    let _h = leptos::mount::mount_to(el.clone(), || {
        view! { <ConfigErrorScreen error=ConfigError::Malformed("expected value at line 1 column 1".into())/> }
    });
    assert!(text(&el).contains("configuration is invalid"));
    assert!(text(&el).contains("line 1 column 1"));
}
