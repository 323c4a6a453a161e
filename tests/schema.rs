//! Browser tests of the Schema tab (wasm-pack test --headless --chrome --test schema), with a
//! fake transport: header, input-format tabs (keyboard), the tree (expand, prefixItems as typed
//! tuple columns, cycles, keyboard), search and deep links, the builder (example, errors at the
//! field, send with status and response), why the schema is unavailable, and text-only rendering
//! of hostile schema content.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use leptos::prelude::*;
use serde_json::{json, Value};
use serving_console::api::FakeTransport;
use serving_console::config::Config;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod common;
use common::{all, go, key, mount_console, one, sleep, text, type_into, until};

const READY: &str = api_fixtures::get("get_custom_ready.json");
const STOPPED: &str = api_fixtures::get("get_custom_stopped.json");
const OPENAPI: &str = api_fixtures::get("openapi.json");

const ENDPOINT: &str = "/api/2.0/serving-endpoints/fraud-detector-prod";
const DOC: &str = "/api/2.0/serving-endpoints/fraud-detector-prod/openapi";
const INVOKE: &str =
    "/serving-endpoints/fraud-detector-prod/served-models/vanilla_simple_model-2/invocations";

/// A document with a cycle, an unresolvable and a remote `$ref`, and hostile text.
const CYCLIC: &str = r##"{"openapi": "3.1.0", "info": {"title": "<img src=x onerror=\"window.__pwned=1\">", "version": "7"},
  "servers": [{"url": "javascript:alert(1)"}],
  "paths": {"/served-models/tree-1/invocations": {"post": {
    "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Node"}}}},
    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object", "properties": {"predictions": {"type": "array", "items": {"type": "number"}}}}}}}}}}},
  "components": {"schemas": {
    "Node": {"type": "object", "required": ["name"],
      "properties": {
        "name": {"type": "string", "description": "<script>window.__pwned=1</script>**bold**"},
        "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
        "remote": {"$ref": "https://example.com/evil.json"},
        "<b onmouseover=alert(1)>": {"type": "integer", "enum": [1, 2, 3]}}}}}}"##;

fn location() -> String {
    let l = window().location();
    format!("{}{}", l.pathname().unwrap(), l.search().unwrap())
}

fn num_prop(el: &web_sys::HtmlElement, name: &str) -> usize {
    js_sys::Reflect::get(el, &name.into())
        .unwrap()
        .as_f64()
        .unwrap_or(-1.0) as usize
}

fn value_of(el: &web_sys::HtmlElement) -> String {
    js_sys::Reflect::get(el, &"value".into())
        .unwrap()
        .as_string()
        .unwrap_or_default()
}

fn rows(root: &web_sys::Element) -> Vec<web_sys::HtmlElement> {
    all(root, "[data-testid=schema-row]")
}

fn row(root: &web_sys::Element, name: &str) -> Option<web_sys::HtmlElement> {
    rows(root).into_iter().find(|r| {
        r.query_selector(".tree-row__name")
            .unwrap()
            .map(|n| n.text_content().unwrap_or_default())
            .is_some_and(|t| t == name)
    })
}

fn endpoint_as(level: &str) -> String {
    let mut v: Value = serde_json::from_str(READY).unwrap();
    v["permission_level"] = json!(level);
    v.to_string()
}

fn fake_with(doc: &str) -> FakeTransport {
    let f = FakeTransport::new();
    f.respond("GET", ENDPOINT, 200, &endpoint_as("CAN_MANAGE"));
    f.respond("GET", DOC, 200, doc);
    f
}

#[wasm_bindgen_test]
async fn header_tabs_and_tuple_columns() {
    go("/endpoints/fraud-detector-prod/schema");
    let fake = fake_with(OPENAPI);
    let (el, _h) = mount_console(Config::default(), &fake);
    until("explorer", || {
        one(&el, "[data-testid=schema-explorer]").is_some()
    })
    .await;
    assert_eq!(
        text(&one(&el, "[data-testid=schema-title]").unwrap()),
        "example-endpoint"
    );
    assert_eq!(
        text(&one(&el, "[data-testid=schema-version]").unwrap()),
        "2"
    );
    assert!(text(&el).contains("https://example.databricks.com/serving-endpoints/example-endpoint"));
    assert!(text(&one(&el, "[data-testid=schema-op]").unwrap())
        .contains("POST /served-models/vanilla_simple_model-2/invocations"));
    // The Schema tab link is current.
    let current = one(&el, "a.tabs__tab[aria-current=page]").unwrap();
    assert_eq!(text(&current), "Schema");

    // One tab per input format; the first is selected and the only one in the tab order.
    let tabs = all(&el, "[role=tab]");
    let labels: Vec<String> = tabs.iter().map(|t| text(t)).collect();
    assert_eq!(labels, ["dataframe_split", "dataframe_records"]);
    assert_eq!(
        tabs[0].get_attribute("aria-selected").as_deref(),
        Some("true")
    );
    assert_eq!(tabs[1].get_attribute("tabindex").as_deref(), Some("-1"));
    let panel = one(&el, "[role=tabpanel]").unwrap();
    assert_eq!(
        panel.get_attribute("aria-labelledby").as_deref(),
        Some("schema-tab-0")
    );

    // Tree: the variant's properties; expanding dataframe_split → data → items shows the tuple
    // positions labelled with their column and typed.
    until("rows", || row(&el, "dataframe_split").is_some()).await;
    let labels: Vec<String> = rows(&el)
        .iter()
        .map(|r| text(&r.query_selector(".tree-row__name").unwrap().unwrap()))
        .collect();
    assert!(
        labels.starts_with(&["dataframe_split".to_string(), "params".to_string()]),
        "{labels:?}"
    );
    let split = row(&el, "dataframe_split").unwrap();
    assert_eq!(split.get_attribute("role").as_deref(), Some("treeitem"));
    assert_eq!(
        split.get_attribute("aria-expanded").as_deref(),
        Some("false")
    );
    assert_eq!(split.get_attribute("aria-level").as_deref(), Some("1"));
    split.click();
    until("expanded", || row(&el, "data").is_some()).await;
    assert_eq!(
        row(&el, "dataframe_split")
            .unwrap()
            .get_attribute("aria-expanded")
            .as_deref(),
        Some("true")
    );
    row(&el, "data").unwrap().click();
    until("items", || row(&el, "[items]").is_some()).await;
    let items = row(&el, "[items]").unwrap();
    assert!(text(&items).contains("tuple [3]"), "{}", text(&items));
    items.click();
    until("tuple", || row(&el, "[0] int_col").is_some()).await;
    assert!(text(&row(&el, "[0] int_col").unwrap()).contains("integer (int64)"));
    assert!(text(&row(&el, "[1] float_col").unwrap()).contains("number (double)"));
    let third = row(&el, "[2] string_col").unwrap();
    assert_eq!(third.get_attribute("aria-posinset").as_deref(), Some("3"));
    assert_eq!(third.get_attribute("aria-setsize").as_deref(), Some("3"));
    // Selecting a row shows its details and a permalink to it.
    third.click();
    until("details", || {
        one(&el, "[data-testid=schema-details]").is_some()
    })
    .await;
    let link = one(&el, "[data-testid=schema-permalink]")
        .unwrap()
        .get_attribute("href")
        .unwrap();
    assert!(link.contains("node=requestBody%2Fcontent%2Fapplication~1json%2Fschema%2FoneOf%2F0%2Fproperties%2Fdataframe_split"), "{link}");
    assert!(
        location().contains("node="),
        "the URL follows the selection: {}",
        location()
    );

    // Keyboard on the tabs: ArrowRight selects and focuses the next format.
    let first_tab = all(&el, "[role=tab]")[0].clone();
    first_tab.focus().unwrap();
    key(&first_tab, "ArrowRight", false);
    until("second tab", || {
        all(&el, "[role=tab]")[1]
            .get_attribute("aria-selected")
            .as_deref()
            == Some("true")
    })
    .await;
    let active = document().active_element().unwrap();
    assert_eq!(active.id(), "schema-tab-1");
    until("records tree", || row(&el, "dataframe_records").is_some()).await;
    assert!(
        location().contains("variant=dataframe_records"),
        "{}",
        location()
    );
    key(&all(&el, "[role=tab]")[1], "Home", false);
    until("back", || {
        all(&el, "[role=tab]")[0]
            .get_attribute("aria-selected")
            .as_deref()
            == Some("true")
    })
    .await;
}

#[wasm_bindgen_test]
async fn tree_keyboard_and_deep_link() {
    go("/endpoints/fraud-detector-prod/schema?variant=dataframe_records&node=requestBody%2Fcontent%2Fapplication~1json%2Fschema%2FoneOf%2F1%2Fproperties%2Fdataframe_records%2Fitems%2Fproperties%2Fstring_col");
    let fake = fake_with(OPENAPI);
    let (el, _h) = mount_console(Config::default(), &fake);
    // The deep link opens the ancestors, selects the node and focuses it.
    until("deep-linked row", || row(&el, "string_col").is_some()).await;
    let target = row(&el, "string_col").unwrap();
    assert_eq!(
        target.get_attribute("aria-selected").as_deref(),
        Some("true")
    );
    until("focused", || {
        document().active_element().map(|a| a.id()) == Some(target.id())
    })
    .await;
    assert_eq!(
        all(&el, "[role=tab]")[1]
            .get_attribute("aria-selected")
            .as_deref(),
        Some("true")
    );
    assert!(
        text(&target).contains("required"),
        "listed in required: {}",
        text(&target)
    );
    // ArrowLeft goes to the parent row; ArrowLeft again collapses it.
    key(&target, "ArrowLeft", false);
    until("parent", || {
        row(&el, "[items]")
            .and_then(|r| r.get_attribute("aria-selected"))
            .as_deref()
            == Some("true")
    })
    .await;
    let items = row(&el, "[items]").unwrap();
    key(&items, "ArrowLeft", false);
    until("collapsed", || row(&el, "string_col").is_none()).await;
    key(&row(&el, "[items]").unwrap(), "ArrowRight", false);
    until("re-expanded", || row(&el, "string_col").is_some()).await;
    key(&row(&el, "[items]").unwrap(), "ArrowDown", false);
    until("moved down", || {
        row(&el, "int_col")
            .and_then(|r| r.get_attribute("aria-selected"))
            .as_deref()
            == Some("true")
    })
    .await;
    // Expand all / Collapse all.
    let collapse = all(&el, "button")
        .into_iter()
        .find(|b| text(b) == "Collapse all")
        .unwrap();
    collapse.click();
    let req_rows =
        |el: &web_sys::HtmlElement| all(el, "#tree-req-1 [data-testid=schema-row]").len();
    until("collapsed all", || req_rows(&el) == 2).await;
    let expand = all(&el, "button")
        .into_iter()
        .find(|b| text(b) == "Expand all")
        .unwrap();
    expand.click();
    until("expanded all", || row(&el, "becx_col").is_some()).await;
}

#[wasm_bindgen_test]
async fn builder_validates_at_the_field_and_sends() {
    go("/endpoints/fraud-detector-prod/schema");
    let fake = fake_with(OPENAPI);
    fake.respond("POST", INVOKE, 200, r#"{"predictions": [0.25, 0.75]}"#);
    let (el, _h) = mount_console(Config::default(), &fake);
    until("builder", || {
        one(&el, "[data-testid=schema-body]").is_some()
    })
    .await;
    let body = one(&el, "[data-testid=schema-body]").unwrap();
    let initial = value_of(&body);
    assert!(
        initial.contains("\"dataframe_split\"") && initial.contains("[3, 10.4, \"abc\"]"),
        "{initial}"
    );
    let status = || text(&one(&el, "[data-testid=schema-body-status]").unwrap());
    assert_eq!(status(), "Valid for dataframe_split.");
    assert_eq!(body.get_attribute("aria-invalid").as_deref(), Some("false"));

    // Broken JSON: said where, the editor is invalid, sending is refused with the reason.
    type_into(&body, "{\"dataframe_split\": {\"columns\": [\"int_col\"],");
    until("json error", || status().starts_with("Not valid JSON")).await;
    assert_eq!(body.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert!(text(&one(&el, "[data-testid=schema-send-reason]").unwrap()).contains("Fix the JSON"));
    one(&el, "[data-testid=schema-send]").unwrap().click();
    sleep(50).await;
    assert!(
        fake.requests().iter().all(|r| r.method != "POST"),
        "nothing sent"
    );

    // A wrong type: the problem names the field and its line; Show selects it in the editor.
    let wrong = "{\n  \"dataframe_split\": {\n    \"columns\": [\"int_col\", \"float_col\", \"string_col\"],\n    \"data\": [[\"three\", 10.4, \"abc\"]]\n  }\n}";
    type_into(&body, wrong);
    until("problem", || {
        all(&el, "[data-testid=schema-problem]")
            .iter()
            .any(|p| text(p).contains("three"))
    })
    .await;
    let p = text(&all(&el, "[data-testid=schema-problem]")[0]);
    assert!(
        p.contains("Line 4, column 15, dataframe_split.data[0][0]"),
        "{p}"
    );
    assert!(p.contains("Expected integer, got string \"three\"."), "{p}");
    all(&el, "[data-testid=schema-problem] button")[0].click();
    let (s, e) = (
        num_prop(&body, "selectionStart"),
        num_prop(&body, "selectionEnd"),
    );
    assert_eq!(&wrong[s..e], "\"three\"");
    assert_eq!(document().active_element().unwrap().id(), "schema-body");

    // Back to the example, send it: status, latency and the predictions; the exact body is sent.
    let reset = all(&el, "button")
        .into_iter()
        .find(|b| text(b) == "Reset to the example")
        .unwrap();
    reset.click();
    until("reset", || value_of(&body) == initial).await;
    assert_eq!(status(), "Valid for dataframe_split.");
    let send = one(&el, "[data-testid=schema-send]").unwrap();
    send.click();
    send.click();
    until("result", || {
        one(&el, "[data-testid=schema-result-line]").is_some()
    })
    .await;
    let line = text(&one(&el, "[data-testid=schema-result-line]").unwrap());
    assert!(
        line.starts_with("HTTP 200 OK · ") && line.ends_with(" ms"),
        "{line}"
    );
    assert!(text(&one(&el, "[data-testid=schema-response]").unwrap()).contains("0.75"));
    let posts: Vec<_> = fake
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST")
        .collect();
    assert_eq!(posts.len(), 1, "a double click sends once");
    assert_eq!(posts[0].url, INVOKE);
    assert_eq!(posts[0].body.as_deref(), Some(initial.as_str()));

    // Snippets use $DATABRICKS_TOKEN and the document's server URL.
    let curl = text(&one(&el, "[data-testid=snippet-curl]").unwrap());
    assert!(curl.contains("Bearer $DATABRICKS_TOKEN"), "{curl}");
    assert!(curl.contains("'https://example.databricks.com/serving-endpoints/example-endpoint/served-models/vanilla_simple_model-2/invocations'"), "{curl}");
    assert!(text(&one(&el, "[data-testid=snippet-sdk]").unwrap())
        .contains("os.environ[\"DATABRICKS_TOKEN\"]"));

    // Drafts survive switching the input format.
    type_into(&body, "{\"dataframe_split\": {}}");
    key(&all(&el, "[role=tab]")[0], "ArrowRight", false);
    until("records draft", || {
        value_of(&body).contains("dataframe_records")
    })
    .await;
    key(&all(&el, "[role=tab]")[1], "ArrowLeft", false);
    until("split draft back", || {
        value_of(&body) == "{\"dataframe_split\": {}}"
    })
    .await;
}

#[wasm_bindgen_test]
async fn server_errors_are_shown_as_answered() {
    go("/endpoints/fraud-detector-prod/schema");
    let fake = fake_with(OPENAPI);
    fake.respond(
        "POST",
        INVOKE,
        400,
        r#"{"error_code": "BAD_REQUEST", "message": "Model is missing inputs ['int_col']."}"#,
    );
    let (el, _h) = mount_console(Config::default(), &fake);
    until("builder", || {
        one(&el, "[data-testid=schema-send]").is_some()
    })
    .await;
    one(&el, "[data-testid=schema-send]").unwrap().click();
    until("result", || {
        one(&el, "[data-testid=schema-result-line]").is_some()
    })
    .await;
    assert!(text(&one(&el, "[data-testid=schema-result-line]").unwrap())
        .starts_with("HTTP 400 Bad Request"));
    assert!(text(&one(&el, "[data-testid=schema-response]").unwrap()).contains("missing inputs"));
    assert_eq!(
        fake.requests()
            .iter()
            .filter(|r| r.method == "POST")
            .count(),
        1,
        "never retried"
    );
}

#[wasm_bindgen_test]
async fn view_only_users_cannot_send() {
    go("/endpoints/fraud-detector-prod/schema");
    let fake = FakeTransport::new();
    fake.respond("GET", ENDPOINT, 200, &endpoint_as("CAN_VIEW"));
    fake.respond("GET", DOC, 200, OPENAPI);
    let (el, _h) = mount_console(Config::default(), &fake);
    until("builder", || {
        one(&el, "[data-testid=schema-send]").is_some()
    })
    .await;
    let send = one(&el, "[data-testid=schema-send]").unwrap();
    assert_eq!(send.get_attribute("aria-disabled").as_deref(), Some("true"));
    assert!(text(&one(&el, "[data-testid=schema-send-reason]").unwrap()).contains("Can Query"));
    send.click();
    sleep(50).await;
    assert!(fake.requests().iter().all(|r| r.method != "POST"));
}

#[wasm_bindgen_test]
async fn stopped_endpoint_explains_why_and_fetches_nothing() {
    go("/endpoints/forecast-batch-scorer/schema");
    let fake = FakeTransport::new();
    fake.respond(
        "GET",
        "/api/2.0/serving-endpoints/forecast-batch-scorer",
        200,
        STOPPED,
    );
    let (el, _h) = mount_console(Config::default(), &fake);
    until("unavailable", || {
        one(&el, "[data-testid=schema-unavailable]").is_some()
    })
    .await;
    let why = text(&one(&el, "[data-testid=schema-unavailable-reason]").unwrap());
    assert!(why.contains("stopped"), "{why}");
    let links: Vec<String> = all(&el, "[data-testid=schema-unavailable] a")
        .iter()
        .filter_map(|a| a.get_attribute("href"))
        .collect();
    assert!(
        links.contains(&"/endpoints/forecast-batch-scorer".to_string()),
        "{links:?}"
    );
    assert!(
        links.contains(&"/endpoints/forecast-batch-scorer/logs".to_string()),
        "{links:?}"
    );
    assert!(fake.requests().iter().all(|r| !r.url.ends_with("/openapi")));
}

#[wasm_bindgen_test]
async fn no_signature_is_explained() {
    go("/endpoints/fraud-detector-prod/schema");
    let fake = FakeTransport::new();
    fake.respond("GET", ENDPOINT, 200, &endpoint_as("CAN_MANAGE"));
    fake.respond(
        "GET",
        DOC,
        400,
        r#"{"error_code": "INVALID_PARAMETER_VALUE", "message": "The served models of endpoint 'fraud-detector-prod' have no model signature."}"#,
    );
    let (el, _h) = mount_console(Config::default(), &fake);
    until("unavailable", || {
        one(&el, "[data-testid=schema-unavailable]").is_some()
    })
    .await;
    let t = text(&one(&el, "[data-testid=schema-unavailable]").unwrap());
    assert!(t.contains("no model signature"), "{t}");
    assert!(t.contains("INVALID_PARAMETER_VALUE"), "{t}");
}

#[wasm_bindgen_test]
async fn a_malformed_document_is_an_error_not_a_crash() {
    go("/endpoints/fraud-detector-prod/schema");
    let fake = fake_with("<html><body>502 Bad Gateway</body></html>");
    let (el, _h) = mount_console(Config::default(), &fake);
    until("invalid", || {
        one(&el, "[data-testid=schema-invalid]").is_some()
    })
    .await;
    assert!(text(&el).contains("not valid JSON"));
}

#[wasm_bindgen_test]
async fn cycles_search_and_hostile_text() {
    go("/endpoints/fraud-detector-prod/schema");
    let fake = FakeTransport::new();
    fake.respond("GET", ENDPOINT, 200, &endpoint_as("CAN_MANAGE"));
    fake.respond(
        "GET",
        "/api/2.0/serving-endpoints/fraud-detector-prod/openapi",
        200,
        CYCLIC,
    );
    let (el, _h) = mount_console(Config::default(), &fake);
    until("tree", || row(&el, "children").is_some()).await;
    // Text, never HTML: no element came from the document.
    assert!(text(&el).contains("<img src=x onerror="));
    assert!(el.query_selector("img, script, b").unwrap().is_none());
    assert!(js_sys::Reflect::get(&window(), &"__pwned".into())
        .unwrap()
        .is_undefined());
    assert!(all(&el, "a").iter().all(|a| !a
        .get_attribute("href")
        .unwrap_or_default()
        .starts_with("javascript:")));
    // The remote $ref is shown as unresolved (and was never fetched).
    assert!(text(&row(&el, "remote").unwrap()).contains("unresolved $ref"));
    assert!(fake
        .requests()
        .iter()
        .all(|r| !r.url.contains("example.com")));
    // A cycle is a row pointing back, never expanded.
    row(&el, "children").unwrap().click();
    until("items", || row(&el, "[items]").is_some()).await;
    let cyc = row(&el, "[items]").unwrap();
    assert!(text(&cyc).contains("↻ cycle to Node"), "{}", text(&cyc));
    assert!(cyc.get_attribute("aria-expanded").is_none());
    // Expand all terminates.
    let expand = all(&el, "button")
        .into_iter()
        .find(|b| text(b) == "Expand all")
        .unwrap();
    expand.click();
    sleep(50).await;
    assert!(rows(&el).len() < 20);
    // Search finds the property by name; choosing a hit reveals and selects it.
    let collapse = all(&el, "button")
        .into_iter()
        .find(|b| text(b) == "Collapse all")
        .unwrap();
    collapse.click();
    until("collapsed", || row(&el, "[items]").is_none()).await;
    let search = one(&el, "#schema-search-input").unwrap();
    type_into(&search, "predict");
    until("hits", || !all(&el, "[data-testid=schema-hit]").is_empty()).await;
    assert_eq!(
        text(&one(&el, "[data-testid=schema-search-count]").unwrap()),
        "1 match:"
    );
    all(&el, "[data-testid=schema-hit]")[0].click();
    until("revealed", || {
        row(&el, "predictions")
            .and_then(|r| r.get_attribute("aria-selected"))
            .as_deref()
            == Some("true")
    })
    .await;
    type_into(&search, "zzzz-nothing");
    until("no match", || {
        text(&one(&el, "[data-testid=schema-search-count]").unwrap()) == "No match."
    })
    .await;
}

/// A document whose operation path and input-format titles carry bidirectional controls.
const BIDI: &str = r##"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
  "paths": {"/served-models/m\u202e1-exe/invocations": {"post": {
    "requestBody": {"content": {"application/json": {"schema": {"oneOf": [
      {"title": "split\u2066 rows", "type": "object", "properties": {"a": {"type": "string"}}},
      {"title": "records", "type": "object", "properties": {"b": {"type": "string"}}}]}}}},
    "responses": {"200": {"description": "ok"}}}}}}"##;

#[wasm_bindgen_test]
async fn bidi_controls_in_the_document_show_as_symbols() {
    go("/endpoints/fraud-detector-prod/schema");
    let fake = fake_with(BIDI);
    let (el, _h) = mount_console(Config::default(), &fake);
    until("explorer", || {
        one(&el, "[data-testid=schema-explorer]").is_some()
    })
    .await;
    // The operation's label and the input-format tabs say where the controls are, and no
    // control is left to reorder the console's own text around them.
    assert_eq!(
        text(&one(&el, "[data-testid=schema-op]").unwrap()),
        "POST /served-models/m⟨U+202E⟩1-exe/invocations"
    );
    let labels: Vec<String> = all(&el, "[role=tab]").iter().map(|t| text(t)).collect();
    assert_eq!(labels, ["split⟨U+2066⟩ rows", "records"]);
    let tree = one(&el, "[role=tree]").unwrap();
    assert_eq!(
        tree.get_attribute("aria-label").as_deref(),
        Some("Schema of split⟨U+2066⟩ rows")
    );
    // Nowhere in the tab does a control remain (each element's own text, so that a failure
    // names the element).
    for e in all(&el, "*") {
        let nodes = e.child_nodes();
        let own: String = (0..nodes.length())
            .filter_map(|i| nodes.item(i))
            .filter(|n| n.node_type() == web_sys::Node::TEXT_NODE)
            .filter_map(|n| n.text_content())
            .collect();
        assert!(
            !own.contains(['\u{202e}', '\u{2066}']),
            "<{} class={:?}>: {own:?}",
            e.tag_name(),
            e.get_attribute("class")
        );
    }
}
