//! Browser tests of the config editor (issue #15): the form validates beside each field, a
//! Can Query caller sees Edit disabled with its reason, the plan view shows what each call
//! does, a conflict writes nothing, a failed call stops the run, API text stays text.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serving_console::api::FakeTransport;
use serving_console::config::Config;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod common;
use common::{all, find, go, mount_console, one, text, type_into, until};

const READY: &str = api_fixtures::get("get_custom_ready.json");
const ENDPOINT: &str = "/api/2.0/serving-endpoints/fraud-detector-prod";

/// The console on `path` with the endpoint answering `endpoint` (then `later` for every
/// further read, when given).
fn mount(
    path: &str,
    endpoint: &str,
    later: Option<&str>,
) -> (web_sys::HtmlElement, FakeTransport, impl Drop) {
    go(path);
    let fake = FakeTransport::new();
    fake.respond("GET", ENDPOINT, 200, endpoint);
    if let Some(l) = later {
        fake.respond("GET", ENDPOINT, 200, l);
    }
    let (el, h) = mount_console(Config::default(), &fake);
    (el, fake, h)
}

async fn editor(
    path: &str,
    endpoint: &str,
    later: Option<&str>,
) -> (web_sys::HtmlElement, FakeTransport, impl Drop) {
    let (el, fake, h) = mount(path, endpoint, later);
    until("the edit form", || one(&el, "#e0-traffic").is_some()).await;
    (el, fake, h)
}

/// Requests that write (anything but GET).
fn writes(fake: &FakeTransport) -> Vec<String> {
    fake.requests()
        .iter()
        .filter(|r| r.method != "GET")
        .map(|r| format!("{} {}", r.method, r.url))
        .collect()
}

fn click(el: &web_sys::HtmlElement) {
    el.click();
}

#[wasm_bindgen_test]
async fn messages_appear_beside_the_fields_as_the_user_types() {
    let (el, _fake, _h) = editor("/endpoints/fraud-detector-prod/edit", READY, None).await;
    let t0 = find(&el, "#e0-traffic");
    assert_eq!(
        js_sys::Reflect::get(&t0, &"value".into())
            .unwrap()
            .as_string()
            .unwrap(),
        "90"
    );
    assert!(
        t0.get_attribute("aria-invalid").is_none(),
        "served values are valid"
    );

    type_into(&t0, "abc");
    until("a message beside the traffic field", || {
        text(&find(&el, "#e0-traffic-msg")).contains("not a whole number")
    })
    .await;
    assert_eq!(t0.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert!(t0
        .get_attribute("aria-describedby")
        .unwrap()
        .split(' ')
        .any(|id| id == "e0-traffic-msg"));

    type_into(&t0, "50");
    until("the total is reported", || {
        !find(&el, "#traffic-total-msg").hidden()
    })
    .await;
    assert!(text(&find(&el, "#traffic-total-msg")).contains("100"));
    assert!(find(&el, "#e1-traffic")
        .get_attribute("aria-describedby")
        .unwrap()
        .contains("traffic-total-msg"));
    type_into(&find(&el, "#e1-traffic"), "50");
    until("the split is valid again", || {
        find(&el, "#traffic-total-msg").hidden()
    })
    .await;
    assert!(find(&el, "#e0-traffic")
        .get_attribute("aria-invalid")
        .is_none());

    let mail = find(&el, "#fail0");
    type_into(&mail, "not-an-address");
    until("the e-mail message", || {
        text(&find(&el, "#fail0-msg")).contains("is not an e-mail address")
    })
    .await;
    assert_eq!(
        mail.get_attribute("aria-describedby").as_deref(),
        Some("fail0-msg")
    );
    let review = find(&el, "#review-plan");
    assert_eq!(
        review.get_attribute("aria-disabled").as_deref(),
        Some("true")
    );
    click(&review);
    assert!(
        one(&el, "[data-testid=plan]").is_none(),
        "no plan with a marked field"
    );
}

#[wasm_bindgen_test]
async fn a_can_query_user_sees_edit_disabled_with_the_reason() {
    let query = READY.replace("\"CAN_MANAGE\"", "\"CAN_QUERY\"");
    let (el, _fake, _h) = mount("/endpoints/fraud-detector-prod", &query, None);
    until("the header", || one(&el, "#endpoint-edit").is_some()).await;
    let b = find(&el, "#endpoint-edit");
    assert_eq!(b.tag_name(), "BUTTON");
    assert_eq!(b.get_attribute("aria-disabled").as_deref(), Some("true"));
    assert_eq!(
        text(&find(&el, "#endpoint-edit-reason")),
        "You need the Can Manage permission on this endpoint."
    );
    assert!(
        one(&el, "[data-testid=shortcuts]").is_none(),
        "no shortcuts either"
    );
    drop(_h);
    let (el, fake, _h) = mount("/endpoints/fraud-detector-prod/edit", &query, None);
    until("the read-only notice", || {
        one(&el, "[data-testid=edit-read-only]").is_some()
    })
    .await;
    assert!(one(&el, "#e0-traffic").is_none());
    assert!(writes(&fake).is_empty());
}

#[wasm_bindgen_test]
async fn a_manager_gets_an_edit_link_and_shortcuts() {
    let (el, _fake, _h) = mount("/endpoints/fraud-detector-prod", READY, None);
    until("the header", || one(&el, "#endpoint-edit").is_some()).await;
    let a = find(&el, "#endpoint-edit");
    assert_eq!(a.tag_name(), "A");
    assert_eq!(
        a.get_attribute("href").as_deref(),
        Some("/endpoints/fraud-detector-prod/edit")
    );
    until("the shortcuts", || {
        one(&el, "[data-testid=shortcuts]").is_some()
    })
    .await;
    let hrefs: Vec<String> = all(&el, "[data-testid=shortcuts] a")
        .iter()
        .filter_map(|a| a.get_attribute("href"))
        .collect();
    assert!(
        hrefs.contains(&"/endpoints/fraud-detector-prod/edit?send_all_to=fraud_xgb-8".to_string()),
        "{hrefs:?}"
    );
    assert!(hrefs.contains(&"/endpoints/fraud-detector-prod/edit?scale_to_zero=on".to_string()));
}

#[wasm_bindgen_test]
async fn a_traffic_shift_plans_one_config_step_that_redeploys() {
    let (el, fake, _h) = editor("/endpoints/fraud-detector-prod/edit", READY, None).await;
    type_into(&find(&el, "#e0-traffic"), "50");
    type_into(&find(&el, "#e1-traffic"), "50");
    until("valid", || {
        find(&el, "#review-plan")
            .get_attribute("aria-disabled")
            .is_none()
    })
    .await;
    click(&find(&el, "#review-plan"));
    until("the plan", || one(&el, "[data-testid=plan]").is_some()).await;
    let steps = all(&el, "[data-testid=plan-step]");
    assert_eq!(steps.len(), 1);
    assert_eq!(
        steps[0].get_attribute("data-call").as_deref(),
        Some("config")
    );
    assert!(
        text(&steps[0]).contains("redeploys: a new config version (13), minutes"),
        "{}",
        text(&steps[0])
    );
    let req = text(&find(&el, "[data-testid=plan-request]"));
    assert!(
        req.starts_with("PUT /api/2.0/serving-endpoints/fraud-detector-prod/config"),
        "{req}"
    );
    assert!(req.contains("\"traffic_percentage\": 50"), "{req}");
    assert!(writes(&fake).is_empty(), "nothing is written by reviewing");
    // Back to the form: the edit is still there.
    click(&find(&el, "#plan-back"));
    until("the form again", || one(&el, "#e0-traffic").is_some()).await;
    assert_eq!(
        js_sys::Reflect::get(&find(&el, "#e0-traffic"), &"value".into())
            .unwrap()
            .as_string()
            .unwrap(),
        "50"
    );
}

#[wasm_bindgen_test]
async fn a_tags_only_edit_applies_at_once_and_is_sent_once() {
    let (el, fake, _h) = editor("/endpoints/fraud-detector-prod/edit", READY, None).await;
    fake.respond(
        "PATCH",
        &format!("{ENDPOINT}/tags"),
        200,
        r#"{"tags":[{"key":"team","value":"fraud"}]}"#,
    );
    type_into(&find(&el, "#tag0-value"), "fraud");
    until("valid", || {
        find(&el, "#review-plan")
            .get_attribute("aria-disabled")
            .is_none()
    })
    .await;
    click(&find(&el, "#review-plan"));
    until("the plan", || one(&el, "[data-testid=plan]").is_some()).await;
    let steps = all(&el, "[data-testid=plan-step]");
    assert_eq!(steps.len(), 1);
    assert_eq!(steps[0].get_attribute("data-call").as_deref(), Some("tags"));
    assert_eq!(
        text(&find(&el, "[data-testid=plan-effect]")),
        "applies at once"
    );
    let apply = find(&el, "#plan-apply");
    click(&apply);
    until("the report", || {
        one(&el, "[data-testid=run-report]").is_some()
    })
    .await;
    assert_eq!(
        text(&find(&el, "[data-testid=run-report]")),
        "Applied: Tags."
    );
    assert_eq!(writes(&fake), vec![format!("PATCH {ENDPOINT}/tags")]);
}

#[wasm_bindgen_test]
async fn a_concurrent_change_offers_keep_or_discard_and_writes_nothing() {
    let changed = READY
        .replace("\"config_version\": 12", "\"config_version\": 13")
        .replace("\"value\": \"prod\"", "\"value\": \"staging\"");
    let (el, fake, _h) = editor("/endpoints/fraud-detector-prod/edit", READY, Some(&changed)).await;
    type_into(&find(&el, "#e0-traffic"), "50");
    type_into(&find(&el, "#e1-traffic"), "50");
    until("valid", || {
        find(&el, "#review-plan")
            .get_attribute("aria-disabled")
            .is_none()
    })
    .await;
    click(&find(&el, "#review-plan"));
    until("the plan", || one(&el, "#plan-apply").is_some()).await;
    click(&find(&el, "#plan-apply"));
    until("the conflict", || {
        one(&el, "[data-testid=conflict]").is_some()
    })
    .await;
    let lines = text(&find(&el, "[data-testid=conflict-lines]"));
    assert!(lines.contains("Config version: 12 → 13"), "{lines}");
    assert!(lines.contains("tag env: prod → staging"), "{lines}");
    assert!(one(&el, "#conflict-keep").is_some() && one(&el, "#conflict-discard").is_some());
    assert!(
        writes(&fake).is_empty(),
        "nothing written: {:?}",
        writes(&fake)
    );
    // Keep my edits: a new plan on the current config, their tag kept, still nothing sent.
    click(&find(&el, "#conflict-keep"));
    until("the plan again", || {
        one(&el, "[data-testid=plan]").is_some()
    })
    .await;
    assert!(text(&find(&el, "[data-testid=plan-step]")).contains("(14)"));
    assert!(
        !text(&el).contains("staging → prod"),
        "their change is not undone"
    );
    assert!(writes(&fake).is_empty());
}

#[wasm_bindgen_test]
async fn a_failed_call_stops_the_run_and_says_what_was_not_sent() {
    let (el, fake, _h) = editor("/endpoints/fraud-detector-prod/edit", READY, None).await;
    fake.respond("PATCH", &format!("{ENDPOINT}/tags"), 200, r#"{"tags":[]}"#);
    fake.respond(
        "PUT",
        &format!("{ENDPOINT}/config"),
        400,
        r#"{"error_code":"INVALID_PARAMETER_VALUE","message":"Model version 99 does not exist."}"#,
    );
    type_into(&find(&el, "#tag0-value"), "x");
    type_into(&find(&el, "#e1-version"), "99");
    type_into(&find(&el, "#fail0"), "oncall@contoso.com");
    until("valid", || {
        find(&el, "#review-plan")
            .get_attribute("aria-disabled")
            .is_none()
    })
    .await;
    click(&find(&el, "#review-plan"));
    until("the plan", || one(&el, "#plan-apply").is_some()).await;
    assert_eq!(all(&el, "[data-testid=plan-step]").len(), 3);
    click(&find(&el, "#plan-apply"));
    until("the report", || {
        one(&el, "[data-testid=run-report]").is_some()
    })
    .await;
    let report = text(&find(&el, "[data-testid=run-report]"));
    assert!(
        report.starts_with("Applied: Tags. Failed: Served entities and traffic"),
        "{report}"
    );
    assert!(
        report.contains("Model version 99 does not exist."),
        "{report}"
    );
    assert!(
        report.ends_with("Not sent: E-mail notifications."),
        "{report}"
    );
    assert_eq!(
        writes(&fake),
        vec![
            format!("PATCH {ENDPOINT}/tags"),
            format!("PUT {ENDPOINT}/config")
        ]
    );
}

#[wasm_bindgen_test]
async fn hostile_values_are_text_in_the_form_and_the_plan() {
    let hostile = "<img src=x onerror=\\\"window.__pwned=1\\\">";
    let ep = READY.replace(
        "\"value\": \"risk-ml\"",
        &format!("\"value\": \"{hostile}\""),
    );
    let (el, _fake, _h) = editor("/endpoints/fraud-detector-prod/edit", &ep, None).await;
    let v = js_sys::Reflect::get(&find(&el, "#tag2-value"), &"value".into())
        .unwrap()
        .as_string()
        .unwrap();
    assert_eq!(v, "<img src=x onerror=\"window.__pwned=1\">");
    type_into(&find(&el, "#tag2-key"), "<b>team</b>");
    until("valid", || {
        find(&el, "#review-plan")
            .get_attribute("aria-disabled")
            .is_none()
    })
    .await;
    click(&find(&el, "#review-plan"));
    until("the plan", || one(&el, "[data-testid=plan]").is_some()).await;
    let t = text(&find(&el, "[data-testid=plan]"));
    assert!(
        t.contains("<img src=x onerror=\"window.__pwned=1\">"),
        "{t}"
    );
    assert!(t.contains("<b>team</b>"), "{t}");
    assert!(
        one(&el, "[data-testid=plan] img").is_none() && one(&el, "[data-testid=plan] b").is_none()
    );
}

#[wasm_bindgen_test]
async fn versions_are_offered_from_unity_catalog() {
    go("/endpoints/fraud-detector-prod/edit");
    let fake = FakeTransport::new();
    fake.respond("GET", ENDPOINT, 200, READY);
    fake.respond(
        "GET",
        "/api/2.1/unity-catalog/models/main.risk.fraud_xgb/versions",
        200,
        r#"{"model_versions":[{"version":9,"status":"READY"},{"version":8,"status":"READY"},{"version":7,"status":"READY"},{"version":6,"status":"FAILED_REGISTRATION"}]}"#,
    );
    let (el, _h) = mount_console(Config::default(), &fake);
    until("the offered versions", || {
        all(&el, "#e0-versions option").len() == 4
    })
    .await;
    let opts: Vec<(String, bool)> = all(&el, "#e0-versions option")
        .iter()
        .map(|o| {
            (
                o.get_attribute("value").unwrap_or_default(),
                o.has_attribute("disabled"),
            )
        })
        .collect();
    assert_eq!(opts[0], ("9".to_string(), false));
    assert!(opts.contains(&("6".to_string(), true)), "{opts:?}");
    assert_eq!(
        find(&el, "#e0-version").get_attribute("list").as_deref(),
        Some("e0-versions")
    );
    assert!(text(&find(&el, "#e0-version-hint")).contains("from Unity Catalog"));
}

#[wasm_bindgen_test]
async fn an_imported_json_becomes_a_plan_and_a_bad_one_says_where() {
    let (el, fake, _h) = editor("/endpoints/fraud-detector-prod/edit", READY, None).await;
    let exported = js_sys::Reflect::get(&find(&el, "#export-json"), &"value".into())
        .unwrap()
        .as_string()
        .unwrap();
    assert!(exported.contains("\"served_entities\""), "{exported}");
    let area = find(&el, "#import-json");
    type_into(&area, "{\n  \"served_entities\": [,\n}");
    click(&find(&el, "#import-plan"));
    until("the parse error", || !find(&el, "#import-msg").hidden()).await;
    assert!(
        text(&find(&el, "#import-msg")).starts_with("Line 2, column"),
        "{}",
        text(&find(&el, "#import-msg"))
    );
    assert_eq!(area.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert_eq!(
        area.get_attribute("aria-describedby").as_deref(),
        Some("import-msg")
    );
    // The exported config with all traffic on v8: one config step.
    let moved = exported
        .replace("\"traffic_percentage\": 90", "\"traffic_percentage\": 0")
        .replace("\"traffic_percentage\": 10", "\"traffic_percentage\": 100");
    type_into(&area, &moved);
    click(&find(&el, "#import-plan"));
    until("the plan", || one(&el, "[data-testid=plan]").is_some()).await;
    let steps = all(&el, "[data-testid=plan-step]");
    assert_eq!(steps.len(), 1);
    assert_eq!(
        steps[0].get_attribute("data-call").as_deref(),
        Some("config")
    );
    assert!(writes(&fake).is_empty());
}
