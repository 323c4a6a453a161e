//! Browser tests of fleet operations (issue #18) on the endpoints list: the selection column
//! and its live count, "select all N matching", the eligibility preview, and the bulk run's
//! per-row results (wasm-pack test --headless --chrome --test fleet), with a fake transport.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::{json, Value};
use serving_console::api::FakeTransport;
use serving_console::config::Config;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod common;
use common::{all, find, go, key, mount_console, one, text, type_into, until};

const LIST_PATH: &str = "/api/2.0/serving-endpoints";

fn custom(name: &str) -> Value {
    json!({
        "name": name,
        "id": format!("id-{name}"),
        "creator": "alice@example.com",
        "state": {"ready": "READY", "config_update": "NOT_UPDATING"},
        "config": {"served_entities": [{"name": "m-1", "entity_name": "main.ml.m", "entity_version": "1",
            "state": {"deployment": "DEPLOYMENT_READY"}}]},
        "tags": [{"key": "team", "value": "ml"}]
    })
}

fn external(name: &str) -> Value {
    json!({
        "name": name,
        "id": format!("id-{name}"),
        "state": {"ready": "READY", "config_update": "NOT_UPDATING"},
        "config": {"served_entities": [{"name": "gpt", "external_model":
            {"name": "gpt-4o-mini", "provider": "openai", "task": "llm/v1/chat"}}]}
    })
}

fn detail(item: &Value, level: &str) -> String {
    let mut d = item.clone();
    d["permission_level"] = json!(level);
    d.to_string()
}

fn list(items: &[Value]) -> String {
    json!({ "endpoints": items }).to_string()
}

/// ep-0 … ep-{n-1}, custom models.
fn fake_with(n: usize) -> (FakeTransport, Vec<Value>) {
    let items: Vec<Value> = (0..n).map(|i| custom(&format!("ep-{i}"))).collect();
    let fake = FakeTransport::new();
    fake.respond("GET", LIST_PATH, 200, &list(&items));
    (fake, items)
}

fn count(el: &web_sys::Element) -> String {
    text(&find(el, "[data-testid=selected-count]"))
}

fn checkbox(el: &web_sys::Element, name: &str) -> web_sys::HtmlInputElement {
    use wasm_bindgen::JsCast;
    find(
        el,
        &format!("input[type=checkbox][aria-label=\"Select {name}\"]"),
    )
    .unchecked_into()
}

#[wasm_bindgen_test]
async fn checkboxes_are_named_and_the_live_count_follows_clicks_ranges_and_shift_space() {
    go("/endpoints");
    let (fake, _) = fake_with(6);
    let (el, _h) = mount_console(Config::default(), &fake);
    until("rows", || all(&el, "[data-testid=endpoint-row]").len() == 6).await;
    let live = find(&el, "[data-testid=selected-count]");
    assert_eq!(live.get_attribute("aria-live").as_deref(), Some("polite"));
    assert_eq!(count(&el), "0 selected");

    checkbox(&el, "ep-1").click();
    until("one selected", || count(&el) == "1 selected").await;
    assert!(checkbox(&el, "ep-1").checked());
    assert!(!checkbox(&el, "ep-2").checked());

    // Shift-Space on ep-3 ticks the range from the last row touched (ep-1).
    let cb3 = checkbox(&el, "ep-3");
    assert!(key(&cb3, " ", true), "Shift-Space is handled");
    until("range of three", || count(&el) == "3 selected").await;
    assert!(checkbox(&el, "ep-2").checked());

    // A plain click unticks one.
    checkbox(&el, "ep-2").click();
    until("two selected", || count(&el) == "2 selected").await;
    assert!(!checkbox(&el, "ep-2").checked());
}

#[wasm_bindgen_test]
async fn select_all_matching_counts_every_match_and_survives_a_new_filter() {
    go("/endpoints?q=ep-1");
    let items: Vec<Value> = (0..30).map(|i| custom(&format!("ep-{i}"))).collect();
    let fake = FakeTransport::new();
    fake.respond("GET", LIST_PATH, 200, &list(&items));
    let (el, _h) = mount_console(Config::default(), &fake);
    // ep-1, ep-10 … ep-19: eleven match.
    until("filtered rows", || {
        one(&el, "[data-testid=select-all]").is_some_and(|b| text(&b) == "Select all 11 matching")
    })
    .await;
    find(&el, "[data-testid=select-all]").click();
    until("all matching", || count(&el) == "11 selected").await;
    assert!(checkbox(&el, "ep-15").checked());
    checkbox(&el, "ep-15").click();
    until("one unticked", || count(&el) == "10 selected").await;

    // A new filter: what was selected stays selected (frozen), new matches are not added.
    let search = find(&el, "input[type=search]");
    type_into(&search, "ep-2");
    until("new filter", || {
        all(&el, "[data-testid=endpoint-row]").len() == 11
            && one(&el, "input[aria-label=\"Select ep-20\"]").is_some()
    })
    .await;
    assert_eq!(count(&el), "10 selected");
    assert!(!checkbox(&el, "ep-2").checked());
    assert!(!checkbox(&el, "ep-20").checked());
    // Back to the first filter: the frozen names are still ticked.
    type_into(&search, "ep-1");
    until("first filter", || {
        one(&el, "input[aria-label=\"Select ep-11\"]").is_some()
    })
    .await;
    assert!(checkbox(&el, "ep-11").checked());
    assert!(!checkbox(&el, "ep-15").checked());
}

/// Mount with: ep-a (you manage it), ep-b (you can only query it), ext (an external model).
async fn preview_setup() -> (FakeTransport, web_sys::HtmlElement, impl Drop) {
    go("/endpoints");
    let a = custom("ep-a");
    let b = custom("ep-b");
    let c = custom("ep-c");
    let ext = external("ext");
    let fake = FakeTransport::new();
    fake.respond(
        "GET",
        LIST_PATH,
        200,
        &list(&[a.clone(), b.clone(), c.clone(), ext]),
    );
    fake.respond(
        "GET",
        "/api/2.0/serving-endpoints/ep-a",
        200,
        &detail(&a, "CAN_MANAGE"),
    );
    fake.respond(
        "GET",
        "/api/2.0/serving-endpoints/ep-b",
        200,
        &detail(&b, "CAN_QUERY"),
    );
    fake.respond(
        "GET",
        "/api/2.0/serving-endpoints/ep-c",
        200,
        &detail(&c, "CAN_MANAGE"),
    );
    let (el, h) = mount_console(Config::default(), &fake);
    until("rows", || all(&el, "[data-testid=endpoint-row]").len() == 4).await;
    find(&el, "[data-testid=select-all]").click();
    until("all selected", || count(&el) == "4 selected").await;
    until("bulk bar", || one(&el, "#bulk-stop").is_some()).await;
    (fake, el, h)
}

fn preview_rows(el: &web_sys::Element) -> Vec<(String, String, String)> {
    let dlg = find(el, "#bulk-dialog");
    all(&dlg, "[data-testid=bulk-preview-row]")
        .iter()
        .map(|r| {
            let cells = all(r, "td");
            (
                text(&cells[0]),
                r.get_attribute("data-eligibility").unwrap_or_default(),
                text(&cells[1]),
            )
        })
        .collect()
}

#[wasm_bindgen_test]
async fn the_eligibility_preview_says_per_endpoint_whether_it_runs_and_why_not() {
    let (fake, el, _h) = preview_setup().await;
    find(&el, "#bulk-stop").click();
    until("preview checked", || {
        let r = preview_rows(&el);
        r.len() == 4 && r.iter().all(|(_, s, _)| s != "checking")
    })
    .await;
    let dlg = find(&el, "#bulk-dialog");
    assert_eq!(dlg.get_attribute("aria-modal").as_deref(), Some("true"));
    assert!(text(&dlg).contains("Stop — 4 selected endpoints"));
    let rows = preview_rows(&el);
    assert_eq!(rows[0].0, "ep-a");
    assert_eq!(rows[0].1, "runs");
    assert_eq!(rows[1].1, "blocked", "{rows:?}");
    assert!(
        rows[1].2.contains("Can Manage") || rows[1].2.to_lowercase().contains("manage"),
        "{rows:?}"
    );
    assert_eq!(rows[3].0, "ext");
    assert_eq!(rows[3].1, "blocked");
    assert!(rows[3].2.to_lowercase().contains("external"), "{rows:?}");
    assert_eq!(
        text(&find(&dlg, "[data-testid=bulk-counts]")),
        "2 will run, 2 cannot."
    );
    // The external model was decided from the list item: no detail read for it.
    let reads: Vec<String> = fake
        .requests()
        .into_iter()
        .filter(|r| r.method == "GET" && r.url.contains("/serving-endpoints/"))
        .map(|r| r.url)
        .collect();
    assert!(!reads.iter().any(|u| u.ends_with("/ext")), "{reads:?}");
    // Nothing was sent yet.
    assert!(fake.requests().iter().all(|r| r.method == "GET"));
    assert_eq!(text(&find(&dlg, "#bulk-run")), "Stop on 2 endpoints");
}

#[wasm_bindgen_test]
async fn delete_needs_the_number_typed() {
    let (fake, el, _h) = preview_setup().await;
    find(&el, "#bulk-delete").click();
    until("preview checked", || {
        let r = preview_rows(&el);
        r.len() == 4 && r.iter().all(|(_, s, _)| s != "checking")
    })
    .await;
    let dlg = find(&el, "#bulk-dialog");
    assert!(text(&dlg).contains("Type 2 to delete 2 endpoints"));
    let run = find(&dlg, "#bulk-run");
    assert!(run.has_attribute("disabled"));
    let input = find(&dlg, "#bulk-delete-count");
    type_into(&input, "4");
    assert!(
        run.has_attribute("disabled"),
        "the selected count is not the number to type"
    );
    type_into(&input, " 2 ");
    until("enabled", || !run.has_attribute("disabled")).await;
    assert!(fake.requests().iter().all(|r| r.method == "GET"));
}

#[wasm_bindgen_test]
async fn the_run_reports_each_row_done_refused_with_the_message_or_not_attempted() {
    let (fake, el, _h) = preview_setup().await;
    fake.respond(
        "POST",
        "/api/2.0/serving-endpoints/ep-a/config:stop",
        200,
        "{}",
    );
    fake.respond(
        "POST",
        "/api/2.0/serving-endpoints/ep-c/config:stop",
        409,
        r#"{"error_code":"RESOURCE_CONFLICT","message":"Endpoint ep-c is currently being updated."}"#,
    );
    find(&el, "#bulk-stop").click();
    until("preview checked", || {
        let r = preview_rows(&el);
        r.len() == 4 && r.iter().all(|(_, s, _)| s != "checking")
    })
    .await;
    let list_reads = || {
        fake.requests()
            .iter()
            .filter(|r| r.method == "GET" && r.url == LIST_PATH)
            .count()
    };
    let before = list_reads();
    find(&find(&el, "#bulk-dialog"), "#bulk-run").click();
    until("finished", || {
        one(&el, "[data-testid=bulk-headline]")
            .is_some_and(|h| text(&h) == "Stop: 1 done, 1 refused, 2 not attempted.")
    })
    .await;
    let rows: Vec<(String, String, String)> = all(&el, "[data-testid=bulk-result-row]")
        .iter()
        .map(|r| {
            let cells = all(r, "td");
            (
                text(&cells[0]),
                r.get_attribute("data-result").unwrap_or_default(),
                text(&cells[1]),
            )
        })
        .collect();
    assert_eq!(rows[0], ("ep-a".into(), "done".into(), "Done.".into()));
    assert_eq!(rows[1].1, "not-attempted");
    assert_eq!(
        rows[2].2,
        "Refused (409 RESOURCE_CONFLICT): Endpoint ep-c is currently being updated."
    );
    assert_eq!(rows[3].1, "not-attempted");
    // Exactly one POST per eligible endpoint, none for the others.
    let posts: Vec<String> = fake
        .requests()
        .into_iter()
        .filter(|r| r.method != "GET")
        .map(|r| r.url)
        .collect();
    assert_eq!(
        posts,
        vec![
            "/api/2.0/serving-endpoints/ep-a/config:stop",
            "/api/2.0/serving-endpoints/ep-c/config:stop"
        ]
    );
    // The selection is cleared and the list re-read to confirm.
    assert_eq!(count(&el), "0 selected");
    until("list re-read", || list_reads() > before).await;
}

/// Ctrl-K on `el` (bubbling to the window).
fn ctrl_k(el: &web_sys::Element) -> bool {
    let f = js_sys::Function::new_with_args(
        "el",
        "const e = new KeyboardEvent('keydown', {key: 'k', ctrlKey: true, bubbles: true, cancelable: true}); \
         el.dispatchEvent(e); return e.defaultPrevented;",
    );
    f.call1(&wasm_bindgen::JsValue::NULL, el)
        .unwrap()
        .as_bool()
        .unwrap_or(false)
}

fn options(el: &web_sys::Element) -> Vec<String> {
    all(el, "#palette-list [role=option]")
        .iter()
        .map(|o| text(o))
        .collect()
}

#[wasm_bindgen_test]
async fn the_palette_opens_with_ctrl_k_and_is_operated_from_the_keyboard() {
    go("/endpoints");
    let (fake, items) = fake_with(12);
    fake.respond(
        "GET",
        "/api/2.0/serving-endpoints/ep-7",
        200,
        &detail(&items[7], "CAN_MANAGE"),
    );
    let (el, _h) = mount_console(Config::default(), &fake);
    until("rows", || {
        all(&el, "[data-testid=endpoint-row]").len() == 12
    })
    .await;
    assert!(ctrl_k(&leptos::prelude::document().body().unwrap()));
    until("palette open", || {
        one(&el, "#palette-input").is_some() && !options(&el).is_empty()
    })
    .await;
    let input = find(&el, "#palette-input");
    until("input focused", || {
        leptos::prelude::document().active_element().map(|a| a.id()) == Some("palette-input".into())
    })
    .await;
    assert_eq!(input.get_attribute("role").as_deref(), Some("combobox"));
    assert_eq!(
        input.get_attribute("aria-controls").as_deref(),
        Some("palette-list")
    );
    assert_eq!(
        find(&el, "#palette-list").get_attribute("role").as_deref(),
        Some("listbox")
    );

    // Up and Down move the active option (wrapping).
    type_into(&input, "logs");
    until("many matches", || options(&el).len() == 12).await;
    assert_eq!(
        input.get_attribute("aria-activedescendant").as_deref(),
        Some("palette-opt-0")
    );
    assert!(key(&input, "ArrowDown", false));
    until("second active", || {
        input.get_attribute("aria-activedescendant").as_deref() == Some("palette-opt-1")
    })
    .await;
    assert_eq!(
        find(&el, "#palette-opt-1")
            .get_attribute("aria-selected")
            .as_deref(),
        Some("true")
    );
    assert_eq!(
        find(&el, "#palette-opt-0")
            .get_attribute("aria-selected")
            .as_deref(),
        Some("false")
    );
    assert!(key(&input, "ArrowUp", false));
    assert!(key(&input, "ArrowUp", false));
    until("wrapped to the last", || {
        input.get_attribute("aria-activedescendant").as_deref() == Some("palette-opt-11")
    })
    .await;

    type_into(&input, "ep7 logs");
    until("matches", || {
        options(&el)
            .first()
            .is_some_and(|o| o.starts_with("ep-7 › Logs"))
    })
    .await;
    assert_eq!(
        input.get_attribute("aria-activedescendant").as_deref(),
        Some("palette-opt-0")
    );
    // Matched characters are marked (as text, never markup).
    assert!(!all(&find(&el, "#palette-opt-0"), "mark").is_empty());
    assert!(key(&input, "Enter", false));
    until("navigated to the Logs tab", || {
        leptos::prelude::window()
            .location()
            .pathname()
            .ok()
            .as_deref()
            == Some("/endpoints/ep-7/logs")
    })
    .await;
    until("palette closed", || {
        one(&el, "#palette").is_some_and(|d| !d.has_attribute("open"))
    })
    .await;

    // Reopened: the recent item comes first on an empty query.
    assert!(ctrl_k(&leptos::prelude::document().body().unwrap()));
    until("reopened with recent first", || {
        options(&el)
            .first()
            .is_some_and(|o| o.starts_with("ep-7 › Logs"))
    })
    .await;
    // Escape closes.
    let input = find(&el, "#palette-input");
    key(&input, "Escape", false);
    until("closed", || {
        one(&el, "#palette").is_some_and(|d| !d.has_attribute("open"))
    })
    .await;
    go("/endpoints");
}
