//! Browser tests of the Logs tab and the log viewer (wasm-pack test --headless --chrome --test
//! logs), with a fake transport: only visible rows in the DOM, hostile content as text, ANSI
//! classes, search with highlights/count/next, wrap, follow appends only new lines, a linked
//! line, and the tab's defaults, switches and states (failed build, still building, stopped,
//! API errors).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use leptos::prelude::*;
use serving_console::api::FakeTransport;
use serving_console::components::{LogBuffer, LogViewer};
use serving_console::config::Config;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod common;
use common::{all, find, go, mount_console, text, type_into, until};

const FAILED: &str = api_fixtures::get("get_custom_update_failed.json");
const CREATING: &str = api_fixtures::get("get_custom_creating.json");
const STOPPED: &str = api_fixtures::get("get_custom_stopped.json");
const BUILD_LOGS: &str = api_fixtures::get("build_logs.json");
const E503: &str = api_fixtures::get("error_503_temporarily_unavailable.json");
const E404: &str = api_fixtures::get("error_404_resource_does_not_exist.json");
const CSS: &str = include_str!("../style/logs.css");

fn container() -> web_sys::HtmlElement {
    let doc = document();
    if doc.get_element_by_id("logs-test-css").is_none() {
        let style = doc.create_element("style").unwrap();
        style.set_id("logs-test-css");
        style.set_text_content(Some(CSS));
        doc.head().unwrap().append_child(&style).unwrap();
    }
    let el = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&el).unwrap();
    el.unchecked_into()
}

fn exists(root: &web_sys::HtmlElement, sel: &str) -> bool {
    root.query_selector(sel).unwrap().is_some()
}

fn press_enter(input: &web_sys::HtmlElement) {
    let f = js_sys::Function::new_with_args(
        "el",
        "el.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', bubbles: true}))",
    );
    f.call1(&wasm_bindgen::JsValue::NULL, input).unwrap();
}

fn row_lines(root: &web_sys::HtmlElement) -> Vec<usize> {
    all(root, "[data-testid=log-row]")
        .iter()
        .map(|r| r.get_attribute("data-line").unwrap().parse().unwrap())
        .collect()
}

fn log_text(lines: usize) -> String {
    let mut s = String::new();
    for i in 1..=lines {
        match i {
            3 => s.push_str("<script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=2\"> markup\n"),
            4 => s.push_str("\u{1b}[31mERROR\u{1b}[0m red \u{1b}]0;title\u{7}\u{1b}[2Jclear lone\u{1b}\n"),
            7 | 2500 | 4000 => s.push_str(&format!("line {i} needle here\n")),
            _ => s.push_str(&format!("line {i} INFO ordinary text\n")),
        }
    }
    s
}

struct Mounted {
    el: web_sys::HtmlElement,
    buffer: LogBuffer,
    query: RwSignal<String>,
    follow: RwSignal<bool>,
    target: RwSignal<Option<usize>>,
    _handle: Box<dyn std::any::Any>,
}

fn mount_viewer(text: String, follow: bool, target: Option<usize>) -> Mounted {
    let el = container();
    let owner = Owner::new();
    let (buffer, query, follow, target) = owner.with(|| {
        let b = LogBuffer::new();
        b.merge(text);
        (
            b,
            RwSignal::new(String::new()),
            RwSignal::new(follow),
            RwSignal::new(target),
        )
    });
    let handle = leptos::mount::mount_to(el.clone(), move || {
        view! {
            <div style:height="400px">
                <LogViewer buffer=buffer label="Server log of m-1".to_string()
                    file_name="x.log".to_string() query=query target=target follow=follow/>
            </div>
        }
    });
    Mounted {
        el,
        buffer,
        query,
        follow,
        target,
        _handle: Box::new((handle, owner)),
    }
}

#[wasm_bindgen_test]
async fn viewer_renders_only_visible_rows_with_numbers() {
    let m = mount_viewer(log_text(5000), false, None);
    until("rows", || !row_lines(&m.el).is_empty()).await;
    let lines = row_lines(&m.el);
    assert_eq!(lines[0], 1);
    assert!(
        lines.len() < 80,
        "only visible rows are in the DOM: {}",
        lines.len()
    );
    assert!(text(&m.el).contains("5,000 lines"));
    let num = find(&m.el, "[data-line='2'] .log-row__num");
    assert_eq!(num.text_content().unwrap(), "2");
    assert_eq!(num.get_attribute("href").as_deref(), Some("#L2"));

    // Scrolling to the middle shows the lines there, still a bounded number of rows.
    let scroller = find(&m.el, "[data-testid=log-scroller]");
    scroller.set_scroll_top(2000 * 20);
    scroller
        .dispatch_event(&web_sys::Event::new("scroll").unwrap())
        .unwrap();
    until("scrolled rows", || row_lines(&m.el).contains(&2001)).await;
    let lines = row_lines(&m.el);
    assert!(lines.len() < 80, "{}", lines.len());
    assert!(lines[0] > 1900 && lines[0] <= 2001, "{lines:?}");
    let row = find(&m.el, "[data-line='2001']");
    let (r, s) = (
        row.get_bounding_client_rect(),
        scroller.get_bounding_client_rect(),
    );
    assert!(
        (r.top() - s.top()).abs() < 1.5,
        "line 2001 at the top of the view"
    );
    assert!(text(&m.el).contains("line 2010 INFO"));
}

#[wasm_bindgen_test]
async fn hostile_content_and_ansi_are_text_and_fixed_classes() {
    let m = mount_viewer(log_text(20), false, None);
    until("rows", || !row_lines(&m.el).is_empty()).await;
    let row3 = find(&m.el, "[data-line='3'] .log-row__text");
    assert!(row3
        .text_content()
        .unwrap()
        .contains("<script>window.__pwned=1</script>"));
    assert!(!exists(&m.el, "script"), "no script element");
    assert!(!exists(&m.el, "img"), "no img element");
    let pwned = js_sys::Reflect::get(&window(), &"__pwned".into()).unwrap();
    assert!(pwned.is_undefined());

    let row4 = find(&m.el, "[data-line='4']");
    let t = row4.text_content().unwrap();
    assert!(t.contains("ERROR red clear lone␛"), "{t:?}");
    assert!(!t.contains('\u{1b}'), "no escape character reaches the DOM");
    assert!(!t.contains("title"), "OSC dropped");
    let red = find(&row4, ".ansi-fg-1");
    assert_eq!(red.text_content().unwrap(), "ERROR");
    assert!(
        row4.class_name().contains("log-row--error"),
        "level colouring"
    );
    // Every class in the row comes from the fixed set.
    for span in all(&row4, "span[class]") {
        for c in span.class_name().split_whitespace() {
            assert!(
                c.starts_with("ansi-") || c.starts_with("log-"),
                "unexpected class {c}"
            );
        }
    }
}

#[wasm_bindgen_test]
async fn search_highlights_counts_and_steps() {
    let m = mount_viewer(log_text(5000), false, None);
    until("rows", || !row_lines(&m.el).is_empty()).await;
    let input = find(&m.el, "[data-testid=log-search]");
    type_into(&input, "NEEDLE");
    let count = || {
        find(&m.el, "[data-testid=log-count]")
            .text_content()
            .unwrap()
    };
    until("searched", || count() == "1 of 3 matches").await;
    assert_eq!(m.query.get_untracked(), "NEEDLE");
    let current = find(&m.el, "mark.log-match--current");
    assert_eq!(
        current.text_content().unwrap(),
        "needle",
        "case-insensitive"
    );
    assert_eq!(
        current
            .closest("[data-testid=log-row]")
            .unwrap()
            .unwrap()
            .get_attribute("data-line")
            .as_deref(),
        Some("7")
    );
    // Enter goes to the next match, scrolling to it.
    press_enter(&input);
    until("next", || count() == "2 of 3 matches").await;
    until("row 2500 shown", || row_lines(&m.el).contains(&2500)).await;
    let current = find(&m.el, "mark.log-match--current");
    assert_eq!(
        current
            .closest("[data-testid=log-row]")
            .unwrap()
            .unwrap()
            .get_attribute("data-line")
            .as_deref(),
        Some("2500")
    );
    // Previous (the button) goes back.
    let prev = all(&m.el, ".log-search button")
        .into_iter()
        .find(|b| b.text_content().unwrap() == "Previous")
        .unwrap();
    prev.click();
    until("prev", || count() == "1 of 3 matches").await;
    type_into(&input, "no-such-thing");
    until("no match", || count() == "No matches").await;
    assert!(!exists(&m.el, "mark"));
}

#[wasm_bindgen_test]
async fn wrap_toggles() {
    let long = format!("short\n{}\nend\n", "word ".repeat(400));
    let m = mount_viewer(long, false, None);
    until("rows", || !row_lines(&m.el).is_empty()).await;
    let row = find(&m.el, "[data-line='2']");
    let style = |e: &web_sys::HtmlElement| window().get_computed_style(e).unwrap().unwrap();
    assert_eq!(
        style(&row).get_property_value("white-space").unwrap(),
        "pre"
    );
    assert_eq!(row.offset_height(), 20, "one fixed-height row");
    let wrap: web_sys::HtmlInputElement = find(&m.el, "[data-testid=log-wrap]").unchecked_into();
    wrap.click();
    until("wrapped", || {
        find(&m.el, "[data-testid=log-viewer]")
            .class_name()
            .contains("log-viewer--wrap")
    })
    .await;
    let row = find(&m.el, "[data-line='2']");
    assert_eq!(
        style(&row).get_property_value("white-space").unwrap(),
        "pre-wrap"
    );
    assert!(
        row.offset_height() > 40,
        "the long line wraps onto several rows"
    );
    wrap.click();
    until("unwrapped", || {
        !find(&m.el, "[data-testid=log-viewer]")
            .class_name()
            .contains("log-viewer--wrap")
    })
    .await;
}

#[wasm_bindgen_test]
async fn follow_appends_only_new_lines_and_pauses_when_scrolled_up() {
    let m = mount_viewer(log_text(200), false, None);
    until("rows", || !row_lines(&m.el).is_empty()).await;
    let first_row = find(&m.el, "[data-line='1']");
    // Not following: appended lines do not move the view, and existing rows stay as they are.
    let mut grown = log_text(200);
    grown.push_str("appended 201\nappended 202\n");
    m.buffer.merge(grown.clone());
    until("count", || text(&m.el).contains("202 lines")).await;
    let same = find(&m.el, "[data-line='1']");
    assert!(
        first_row.is_same_node(Some(&same)),
        "row 1 was not re-rendered"
    );
    assert_eq!(row_lines(&m.el)[0], 1);

    // Following: the view sticks to the end as lines arrive.
    m.follow.set(true);
    until("at end", || row_lines(&m.el).contains(&202)).await;
    grown.push_str("appended 203\n");
    m.buffer.merge(grown.clone());
    until("new line shown", || row_lines(&m.el).contains(&203)).await;

    // Scrolling up pauses follow and offers "Jump to latest".
    let scroller = find(&m.el, "[data-testid=log-scroller]");
    scroller.set_scroll_top(0);
    scroller
        .dispatch_event(&web_sys::Event::new("scroll").unwrap())
        .unwrap();
    until("paused", || exists(&m.el, "[data-testid=log-jump-latest]")).await;
    grown.push_str("appended 204\nappended 205\n");
    m.buffer.merge(grown);
    until("counted", || {
        find(&m.el, "[data-testid=log-jump-latest]")
            .text_content()
            .unwrap()
            .contains("2 new")
    })
    .await;
    assert!(
        !row_lines(&m.el).contains(&205),
        "paused: the view stays put"
    );
    find(&m.el, "[data-testid=log-jump-latest]").click();
    until("jumped", || row_lines(&m.el).contains(&205)).await;
    assert!(!exists(&m.el, "[data-testid=log-jump-latest]"));
}

#[wasm_bindgen_test]
async fn a_linked_line_is_scrolled_to_and_marked() {
    let m = mount_viewer(log_text(5000), false, Some(3210));
    until("target row", || {
        exists(&m.el, "[data-line='3210'].log-row--target")
    })
    .await;
    let row = find(&m.el, "[data-line='3210']");
    let scroller = find(&m.el, "[data-testid=log-scroller]");
    let (r, s) = (
        row.get_bounding_client_rect(),
        scroller.get_bounding_client_rect(),
    );
    assert!(r.top() >= s.top() && r.bottom() <= s.bottom(), "in view");
    // Clicking a line number links it.
    find(&m.el, "[data-line='3212'] .log-row__num").click();
    until("relinked", || m.target.get_untracked() == Some(3212)).await;
    assert!(window().location().hash().unwrap().ends_with("#L3212"));
}

// ---- the tab, through the console ------------------------------------------------------------

const PRICING: &str = "/api/2.0/serving-endpoints/pricing-model";

#[wasm_bindgen_test]
async fn failed_build_opens_on_its_build_logs_and_switches_to_server() {
    go("/endpoints/pricing-model/logs");
    let fake = FakeTransport::new();
    fake.respond("GET", PRICING, 200, FAILED);
    fake.respond(
        "GET",
        &format!("{PRICING}/served-models/pricing_model-4/build-logs"),
        200,
        BUILD_LOGS,
    );
    fake.respond(
        "GET",
        &format!("{PRICING}/served-models/pricing_model-4/logs"),
        200,
        r#"{"logs": ""}"#,
    );
    let (el, _h) = mount_console(Config::default(), &fake);
    until("viewer", || exists(&el, "[data-testid=log-row]")).await;
    let t = text(&el);
    assert!(
        t.contains("Build logs of pricing_model-4, config version 4"),
        "{t}"
    );
    assert!(t.contains("ERROR: No matching distribution found"));
    let req = fake
        .requests()
        .into_iter()
        .find(|r| r.url.contains("/build-logs"))
        .unwrap();
    assert!(
        req.url.ends_with("/build-logs?config_version=4"),
        "{}",
        req.url
    );
    let notice = find(&el, "[data-testid=log-notice]");
    assert!(notice.text_content().unwrap().contains("The build failed"));
    // The Logs tab is current.
    let tab = all(&el, ".tabs__tab")
        .into_iter()
        .find(|a| a.text_content().unwrap() == "Logs")
        .unwrap();
    assert_eq!(tab.get_attribute("aria-current").as_deref(), Some("page"));

    // Server logs: empty, explained, with a way back to the build logs.
    let server: web_sys::HtmlInputElement =
        find(&el, "input[name=log-kind][value=server]").unchecked_into();
    server.click();
    until("empty state", || exists(&el, "[data-testid=log-empty]")).await;
    assert!(text(&el).contains("No server logs: the image build failed"));
    assert!(window()
        .location()
        .search()
        .unwrap()
        .contains("kind=server"));
    assert!(exists(&el, "[data-testid=log-empty-build-link]"));
}

#[wasm_bindgen_test]
async fn still_building_and_stopped_and_errors_are_explained() {
    // Still building: an empty build log of a creating entity.
    go("/endpoints/recsys-ranker/logs");
    let fake = FakeTransport::new();
    fake.respond(
        "GET",
        "/api/2.0/serving-endpoints/recsys-ranker",
        200,
        CREATING,
    );
    fake.respond(
        "GET",
        "/api/2.0/serving-endpoints/recsys-ranker/served-models/recsys_ranker-1/build-logs",
        200,
        r#"{"logs": ""}"#,
    );
    let (el, h) = mount_console(Config::default(), &fake);
    until("building", || exists(&el, "[data-testid=log-empty]")).await;
    assert!(text(&el).contains("Still building"), "{}", text(&el));
    let follow: web_sys::HtmlInputElement = find(&el, "[data-testid=log-follow]").unchecked_into();
    assert!(follow.checked(), "follows while building");
    drop(h);

    // Stopped: no server running.
    go("/endpoints/forecast-batch-scorer/logs?kind=server");
    let fake = FakeTransport::new();
    fake.respond(
        "GET",
        "/api/2.0/serving-endpoints/forecast-batch-scorer",
        200,
        STOPPED,
    );
    fake.respond(
        "GET",
        "/api/2.0/serving-endpoints/forecast-batch-scorer/served-models/demand_forecast-6/logs",
        200,
        r#"{"logs": ""}"#,
    );
    let (el, h) = mount_console(Config::default(), &fake);
    until("stopped", || exists(&el, "[data-testid=log-empty]")).await;
    assert!(text(&el).contains("The endpoint is stopped"));
    drop(h);

    // API errors: a 404 with the Databricks body, and a 503 retried then shown with Retry.
    go("/endpoints/pricing-model/logs?entity=gone-1&kind=server");
    let fake = FakeTransport::new();
    fake.respond("GET", PRICING, 200, FAILED);
    fake.respond(
        "GET",
        &format!("{PRICING}/served-models/gone-1/logs"),
        404,
        E404,
    );
    let (el, h) = mount_console(Config::default(), &fake);
    until("404", || {
        exists(&el, "[data-testid=log-pane] [data-testid=error-view]")
    })
    .await;
    assert!(text(&el).contains("RESOURCE_DOES_NOT_EXIST"));
    assert!(text(&el).contains("gone-1 (not in this endpoint)"));
    drop(h);

    go("/endpoints/pricing-model/logs?kind=build");
    let fake = FakeTransport::new();
    fake.respond("GET", PRICING, 200, FAILED);
    for _ in 0..3 {
        fake.respond(
            "GET",
            &format!("{PRICING}/served-models/pricing_model-4/build-logs"),
            503,
            E503,
        );
    }
    fake.respond(
        "GET",
        &format!("{PRICING}/served-models/pricing_model-4/build-logs"),
        200,
        BUILD_LOGS,
    );
    let (el, _h) = mount_console(Config::default(), &fake);
    until("503", || {
        exists(&el, "[data-testid=log-pane] [data-testid=error-view]")
    })
    .await;
    assert!(text(&el).contains("TEMPORARILY_UNAVAILABLE"));
    find(
        &el,
        "[data-testid=log-pane] [data-testid=error-view] button",
    )
    .click();
    until("recovered", || exists(&el, "[data-testid=log-row]")).await;
}

#[wasm_bindgen_test]
async fn the_last_line_of_a_log_too_long_for_the_browser_is_reachable_without_wrapping() {
    // Beyond 400,000 lines the scroll range is scaled (a line is less than a row of range).
    let n = 450_000;
    let m = mount_viewer("x\n".repeat(n), false, None);
    until("rows", || !row_lines(&m.el).is_empty()).await;
    let scroller = find(&m.el, "[data-testid=log-scroller]");
    scroller.set_scroll_top(scroller.scroll_height());
    scroller
        .dispatch_event(&web_sys::Event::new("scroll").unwrap())
        .unwrap();
    until("the last line", || row_lines(&m.el).contains(&n)).await;
    let row = find(&m.el, &format!("[data-line='{n}']"));
    let (r, s) = (
        row.get_bounding_client_rect(),
        scroller.get_bounding_client_rect(),
    );
    assert!(
        r.bottom() <= s.bottom() + 1.0 && r.top() >= s.top() - 1.0,
        "the last line is fully in view: row {}..{}, view {}..{}",
        r.top(),
        r.bottom(),
        s.top(),
        s.bottom()
    );
}
