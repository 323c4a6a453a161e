//! Browser tests of Stop / Start / Delete and of the reusable dialog and menu button
//! (wasm-pack test --headless --chrome --test lifecycle), with a fake transport: no network.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use leptos::prelude::*;
use serving_console::api::FakeTransport;
use serving_console::components::{Dialog, DialogRole, KebabMenu, MenuItem};
use serving_console::config::Config;
use std::sync::{Arc, Mutex};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod common;
use common::{all, container, go, key, mount_console, one, sleep, type_into, until};

const READY: &str = api_fixtures::get("get_custom_ready.json");
const STOPPED: &str = api_fixtures::get("get_custom_stopped.json");

fn active_id() -> String {
    document()
        .active_element()
        .map(|e| e.id())
        .unwrap_or_default()
}

fn active_text() -> String {
    document()
        .active_element()
        .and_then(|e| e.text_content())
        .unwrap_or_default()
}

/// Key on whatever has focus.
fn key_focused(k: &str) -> bool {
    let el = document().active_element().expect("something has focus");
    key(&el, k, false)
}

/// A real pointer click: mousedown then click, both on `el`.
fn pointer_click(el: &web_sys::Element) {
    let f = js_sys::Function::new_with_args(
        "el",
        "el.dispatchEvent(new MouseEvent('mousedown', {bubbles: true, cancelable: true, detail: 1})); \
         el.dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true, detail: 1}));",
    );
    f.call1(&wasm_bindgen::JsValue::NULL, el).unwrap();
}

// ---------------------------------------------------------------------------------------------
// Dialog

#[wasm_bindgen_test]
async fn dialog_is_modal_labelled_traps_focus_and_returns_it() {
    let el = container();
    let trigger = document().create_element("button").unwrap();
    trigger.set_id("dlg-trigger");
    trigger.set_text_content(Some("Open"));
    el.append_child(&trigger).unwrap();
    trigger
        .unchecked_ref::<web_sys::HtmlElement>()
        .focus()
        .unwrap();

    let open = RwSignal::new(false);
    let closes = Arc::new(Mutex::new(0));
    let c = closes.clone();
    let mount = container();
    let _h = leptos::mount::mount_to(mount.clone(), move || {
        let c = c.clone();
        view! {
            <Dialog id="t-dlg" open=open role=DialogRole::AlertDialog
                title="Delete thing?" description="This cannot be undone."
                on_close=Callback::new(move |_| { *c.lock().unwrap() += 1; open.set(false); })>
                <input id="t-dlg-input" type="text" aria-label="Name"/>
                <button type="button" id="t-dlg-cancel">"Cancel"</button>
                <button type="button" id="t-dlg-ok">"Delete"</button>
            </Dialog>
        }
    });
    let dialog = one(&mount, "dialog").unwrap();
    assert_eq!(dialog.get_attribute("role").as_deref(), Some("alertdialog"));
    assert_eq!(dialog.get_attribute("aria-modal").as_deref(), Some("true"));
    let labelled = dialog.get_attribute("aria-labelledby").unwrap();
    assert_eq!(
        document()
            .get_element_by_id(&labelled)
            .unwrap()
            .text_content()
            .unwrap(),
        "Delete thing?"
    );
    let described = dialog.get_attribute("aria-describedby").unwrap();
    assert_eq!(
        document()
            .get_element_by_id(&described)
            .unwrap()
            .text_content()
            .unwrap(),
        "This cannot be undone."
    );
    assert!(!dialog.unchecked_ref::<web_sys::HtmlDialogElement>().open());
    assert!(
        one(&mount, "#t-dlg-input").is_none(),
        "body mounts only when open"
    );

    open.set(true);
    until("open and focused", || active_id() == "t-dlg-input").await;
    assert!(dialog.unchecked_ref::<web_sys::HtmlDialogElement>().open());
    assert!(
        dialog.matches(":modal").unwrap(),
        "opened with showModal(): the page behind is inert"
    );

    // Tab from the last element wraps to the first; Shift+Tab from the first to the last.
    one(&mount, "#t-dlg-ok").unwrap().focus().unwrap();
    assert!(key(&document().active_element().unwrap(), "Tab", false));
    assert_eq!(active_id(), "t-dlg-input");
    assert!(key(&document().active_element().unwrap(), "Tab", true));
    assert_eq!(active_id(), "t-dlg-ok");
    // In the middle, Tab is left to the browser.
    one(&mount, "#t-dlg-input").unwrap().focus().unwrap();
    assert!(!key(&document().active_element().unwrap(), "Tab", false));

    // Escape asks to close; focus returns to the trigger.
    assert!(key_focused("Escape"), "Escape's native close is prevented");
    until("closed", || {
        !dialog.unchecked_ref::<web_sys::HtmlDialogElement>().open()
    })
    .await;
    assert_eq!(*closes.lock().unwrap(), 1);
    until("focus back", || active_id() == "dlg-trigger").await;

    // The backdrop (a press and a click on the <dialog> box itself) closes too; a click on
    // the content does not.
    open.set(true);
    until("open again", || active_id() == "t-dlg-input").await;
    let input: web_sys::HtmlInputElement = one(&mount, "#t-dlg-input").unwrap().unchecked_into();
    assert_eq!(input.value(), "", "a fresh body each time");
    pointer_click(&input);
    sleep(30).await;
    assert!(dialog.unchecked_ref::<web_sys::HtmlDialogElement>().open());
    pointer_click(&dialog);
    until("closed by backdrop", || {
        !dialog.unchecked_ref::<web_sys::HtmlDialogElement>().open()
    })
    .await;
    assert_eq!(*closes.lock().unwrap(), 2);
}

// ---------------------------------------------------------------------------------------------
// Menu button

fn mount_menu() -> (
    web_sys::HtmlElement,
    Arc<Mutex<Vec<&'static str>>>,
    impl Drop,
) {
    let el = container();
    let chosen = Arc::new(Mutex::new(Vec::new()));
    let c = chosen.clone();
    let h = leptos::mount::mount_to(el.clone(), move || {
        let c = c.clone();
        let items = Signal::derive(|| {
            vec![
                MenuItem::new("delete", "Delete").danger(),
                MenuItem::new("copy-name", "Copy name"),
                MenuItem::new("copy-id", "Copy id")
                    .disabled(Some("This endpoint has no id.".into())),
            ]
        });
        view! {
            <button type="button" id="before">"before"</button>
            <KebabMenu id="t-menu" label="More actions" items=items
                on_select=Callback::new(move |k| c.lock().unwrap().push(k))/>
            <button type="button" id="after">"after"</button>
        }
    });
    (el, chosen, h)
}

#[wasm_bindgen_test]
async fn menu_button_keyboard_pattern() {
    let (el, chosen, _h) = mount_menu();
    let button = one(&el, "#t-menu-button").unwrap();
    assert_eq!(
        button.get_attribute("aria-haspopup").as_deref(),
        Some("menu")
    );
    assert_eq!(
        button.get_attribute("aria-expanded").as_deref(),
        Some("false")
    );
    assert_eq!(
        button.get_attribute("aria-label").as_deref(),
        Some("More actions")
    );
    assert!(one(&el, "[role=menu]").is_none());

    // ArrowDown opens with focus on the first item.
    button.focus().unwrap();
    assert!(key(&button, "ArrowDown", false));
    until("first item focused", || active_text().starts_with("Delete")).await;
    assert_eq!(
        button.get_attribute("aria-expanded").as_deref(),
        Some("true")
    );
    let menu = one(&el, "[role=menu]").unwrap();
    assert_eq!(
        menu.get_attribute("aria-labelledby").as_deref(),
        Some("t-menu-button")
    );
    assert_eq!(button.get_attribute("aria-controls"), Some(menu.id()));
    let items = all(&el, "[role=menuitem]");
    assert_eq!(items.len(), 3);
    assert!(items
        .iter()
        .all(|i| i.get_attribute("tabindex").as_deref() == Some("-1")));
    // The disabled item says why.
    assert_eq!(
        items[2].get_attribute("aria-disabled").as_deref(),
        Some("true")
    );
    let reason = items[2].get_attribute("aria-describedby").unwrap();
    assert_eq!(
        document()
            .get_element_by_id(&reason)
            .unwrap()
            .text_content()
            .unwrap(),
        "This endpoint has no id."
    );

    // Arrows move and wrap; Home/End jump; a letter jumps to the next match.
    key_focused("ArrowDown");
    until("second", || active_text().starts_with("Copy name")).await;
    key_focused("ArrowDown");
    until("third", || active_text().starts_with("Copy id")).await;
    key_focused("ArrowDown");
    until("wrapped to first", || active_text().starts_with("Delete")).await;
    key_focused("ArrowUp");
    until("wrapped to last", || active_text().starts_with("Copy id")).await;
    key_focused("Home");
    until("home", || active_text().starts_with("Delete")).await;
    key_focused("End");
    until("end", || active_text().starts_with("Copy id")).await;
    key_focused("c");
    until("typeahead", || active_text().starts_with("Copy name")).await;

    // Activating a disabled item does nothing and keeps the menu open.
    key_focused("End");
    until("end again", || active_text().starts_with("Copy id")).await;
    key_focused("Enter");
    sleep(30).await;
    assert!(chosen.lock().unwrap().is_empty());
    assert!(one(&el, "[role=menu]").is_some());

    // Escape closes and returns focus to the button.
    key_focused("Escape");
    until("closed", || one(&el, "[role=menu]").is_none()).await;
    assert_eq!(active_id(), "t-menu-button");
    assert_eq!(
        button.get_attribute("aria-expanded").as_deref(),
        Some("false")
    );

    // Enter opens on the first item; Enter chooses it, closes, focus back on the button.
    assert!(key(&button, "Enter", false));
    until("open by Enter", || active_text().starts_with("Delete")).await;
    key_focused("Enter");
    until("closed after choice", || one(&el, "[role=menu]").is_none()).await;
    assert_eq!(*chosen.lock().unwrap(), vec!["delete"]);
    assert_eq!(active_id(), "t-menu-button");

    // Space opens too; ArrowUp opens on the last item.
    assert!(key(&button, " ", false));
    until("open by Space", || active_text().starts_with("Delete")).await;
    key_focused("Escape");
    until("closed", || one(&el, "[role=menu]").is_none()).await;
    assert!(key(&button, "ArrowUp", false));
    until("open on last", || active_text().starts_with("Copy id")).await;

    // Tab closes the menu (focus continues from the button; the browser moves it on).
    let prevented = key_focused("Tab");
    assert!(!prevented, "Tab is not swallowed");
    until("closed by Tab", || one(&el, "[role=menu]").is_none()).await;
    assert_eq!(active_id(), "t-menu-button");

    // A click toggles; a click on an item chooses it; focus moving elsewhere closes.
    pointer_click(&button);
    until("open by click", || one(&el, "[role=menu]").is_some()).await;
    pointer_click(&all(&el, "[role=menuitem]")[1]);
    until("closed after click", || one(&el, "[role=menu]").is_none()).await;
    assert_eq!(*chosen.lock().unwrap(), vec!["delete", "copy-name"]);
    pointer_click(&button);
    until("open", || active_text().starts_with("Delete")).await;
    one(&el, "#after").unwrap().focus().unwrap();
    until("closed by focus leaving", || {
        one(&el, "[role=menu]").is_none()
    })
    .await;
}

// ---------------------------------------------------------------------------------------------
// Stop / Start / Delete in the detail header, through the whole console

const LIST: &str = api_fixtures::get("list_endpoints.json");
const FOUNDATION: &str = api_fixtures::get("get_foundation_model.json");
const E403: &str = api_fixtures::get("error_403_manage_required.json");
const E404: &str = api_fixtures::get("error_404_resource_does_not_exist.json");
const E503: &str = api_fixtures::get("error_503_temporarily_unavailable.json");
const READY_URL: &str = "/api/2.0/serving-endpoints/fraud-detector-prod";
const STOPPED_URL: &str = "/api/2.0/serving-endpoints/forecast-batch-scorer";

/// `base` with `f` applied (fixtures stay the source of every shape).
fn variant(base: &str, f: impl Fn(&mut serde_json::Value)) -> String {
    let mut v: serde_json::Value = serde_json::from_str(base).unwrap();
    f(&mut v);
    v.to_string()
}

fn set_deployment(v: &mut serde_json::Value, dep: &str, msg: &str) {
    for e in v["config"]["served_entities"].as_array_mut().unwrap() {
        e["state"] = serde_json::json!({"deployment": dep, "deployment_state_message": msg});
    }
}

/// fraud-detector-prod while stopping, and stopped.
fn stopping() -> String {
    variant(READY, |v| {
        v["state"] = serde_json::json!({"ready": "NOT_READY", "config_update": "IN_PROGRESS"});
    })
}
fn stopped_ready_fixture() -> String {
    variant(READY, |v| {
        v["state"] = serde_json::json!({"ready": "NOT_READY", "config_update": "NOT_UPDATING"});
        set_deployment(v, "DEPLOYMENT_STOPPED", "Served entity is stopped.");
    })
}
fn with_level(base: &str, level: &str) -> String {
    variant(base, |v| v["permission_level"] = serde_json::json!(level))
}

fn posts(fake: &FakeTransport, suffix: &str) -> usize {
    fake.requests()
        .iter()
        .filter(|r| r.method != "GET" && r.url.ends_with(suffix))
        .count()
}

fn toasts(el: &web_sys::Element) -> String {
    all(el, ".toast")
        .iter()
        .map(|t| t.text_content().unwrap_or_default())
        .collect::<Vec<_>>()
        .join(" | ")
}

/// The text an element's `aria-describedby` points to, looked up in `root` (earlier tests'
/// pages may still be in the document).
fn description_in(root: &web_sys::Element, el: &web_sys::Element) -> Option<String> {
    let id = el.get_attribute("aria-describedby")?;
    root.query_selector(&format!("[id='{id}']"))
        .ok()??
        .text_content()
}

async fn open_detail(fake: &FakeTransport, path: &str) -> (web_sys::HtmlElement, impl Drop) {
    go(path);
    let (el, h) = mount_console(Config::default(), fake);
    until("actions", || one(&el, "#endpoint-stop").is_some()).await;
    (el, h)
}

/// Wait until `f` holds (up to 10 s: fast polling after an action runs every 2 s or more).
async fn until_polled(what: &str, f: impl Fn() -> bool) {
    for _ in 0..500 {
        if f() {
            return;
        }
        sleep(20).await;
    }
    panic!("timed out waiting for: {what}");
}

#[wasm_bindgen_test]
async fn stop_asks_then_shows_pending_until_the_api_says_stopped() {
    let fake = FakeTransport::new();
    fake.respond("GET", READY_URL, 200, READY);
    fake.respond("GET", READY_URL, 200, &stopping());
    fake.respond("GET", READY_URL, 200, &stopped_ready_fixture());
    fake.respond(
        "POST",
        &format!("{READY_URL}/config:stop"),
        200,
        &stopping(),
    );
    let (el, _h) = open_detail(&fake, "/endpoints/fraud-detector-prod").await;
    let stop = one(&el, "#endpoint-stop").unwrap();
    assert_eq!(
        stop.get_attribute("aria-disabled"),
        None,
        "a manager may stop"
    );
    let start = one(&el, "#endpoint-start").unwrap();
    assert_eq!(
        start.get_attribute("aria-disabled").as_deref(),
        Some("true")
    );
    assert_eq!(
        description_in(&el, &start).as_deref(),
        Some("Only a stopped endpoint can be started.")
    );

    // Stop asks first, saying queries will fail with HTTP 400; Cancel sends nothing.
    stop.click();
    let dialog = one(&el, "#stop-dialog").unwrap();
    until("stop dialog open", || active_id() == "stop-dialog-cancel").await;
    assert_eq!(dialog.get_attribute("role").as_deref(), Some("alertdialog"));
    assert!(dialog.text_content().unwrap().contains("HTTP 400"));
    one(&el, "#stop-dialog-cancel").unwrap().click();
    until("closed", || {
        !dialog.unchecked_ref::<web_sys::HtmlDialogElement>().open()
    })
    .await;
    until("focus back on Stop", || active_id() == "endpoint-stop").await;
    assert_eq!(posts(&fake, "config:stop"), 0);

    // Confirm: one request, pending, then the toast once the API says stopped.
    stop.click();
    until("open again", || active_id() == "stop-dialog-cancel").await;
    let confirm = one(&el, "#stop-dialog-confirm").unwrap();
    confirm.click();
    confirm.click();
    until("pending label", || {
        stop.text_content().unwrap() == "Stopping…"
    })
    .await;
    assert_eq!(stop.get_attribute("aria-busy").as_deref(), Some("true"));
    assert!(one(&el, "[data-testid=lifecycle-status]")
        .unwrap()
        .text_content()
        .unwrap()
        .contains("waiting for the endpoint to stop"));
    // Confirmed, not optimistic: the badge follows the API (Updating while stopping).
    until_polled("stopped toast", || {
        toasts(&el).contains("Stopped fraud-detector-prod")
    })
    .await;
    assert!(toasts(&el).contains("HTTP 400"), "{}", toasts(&el));
    let indicator = one(&el, "[data-testid=state-indicator]").unwrap();
    assert!(indicator
        .text_content()
        .unwrap()
        .contains("Not ready (Stopped)"));
    assert_eq!(posts(&fake, "config:stop"), 1, "one request, never retried");
    // Settled: Stop says why it is disabled, Start is offered.
    until("labels back", || stop.text_content().unwrap() == "Stop").await;
    assert_eq!(
        description_in(&el, &stop).as_deref(),
        Some("The endpoint is already stopped.")
    );
    assert_eq!(start.get_attribute("aria-disabled"), None);
}

#[wasm_bindgen_test]
async fn start_needs_no_confirmation_and_reports_a_failure_with_its_message() {
    let msg = "Container image creation failed. Please see build logs for more information.";
    let starting = variant(STOPPED, |v| {
        v["state"] = serde_json::json!({"ready": "NOT_READY", "config_update": "IN_PROGRESS"});
        v["pending_config"] = serde_json::json!({"config_version": 10, "served_entities": [
            {"name": "demand_forecast-6", "entity_name": "main.supply.demand_forecast",
             "state": {"deployment": "DEPLOYMENT_CREATING", "deployment_state_message": "Creating"}}]});
    });
    let failed = variant(&starting, |v| {
        v["state"]["config_update"] = serde_json::json!("UPDATE_FAILED");
        v["pending_config"]["served_entities"][0]["state"] =
            serde_json::json!({"deployment": "DEPLOYMENT_FAILED", "deployment_state_message": msg});
    });
    let fake = FakeTransport::new();
    fake.respond("GET", STOPPED_URL, 200, STOPPED);
    fake.respond("GET", STOPPED_URL, 200, &starting);
    fake.respond("GET", STOPPED_URL, 200, &failed);
    fake.respond(
        "POST",
        &format!("{STOPPED_URL}/config:start"),
        200,
        &starting,
    );
    let (el, _h) = open_detail(&fake, "/endpoints/forecast-batch-scorer").await;
    let start = one(&el, "#endpoint-start").unwrap();
    assert_eq!(start.get_attribute("aria-disabled"), None);
    start.click();
    start.click();
    until("pending", || start.text_content().unwrap() == "Starting…").await;
    assert!(one(&el, "#stop-dialog")
        .map(|d| !d.unchecked_ref::<web_sys::HtmlDialogElement>().open())
        .unwrap_or(true));
    until_polled("failure toast", || {
        toasts(&el).contains("Starting forecast-batch-scorer failed")
    })
    .await;
    assert!(toasts(&el).contains(msg), "{}", toasts(&el));
    assert!(
        one(&el, ".toast--error").is_some(),
        "a failure is an error toast (role=alert region)"
    );
    assert_eq!(posts(&fake, "config:start"), 1);
}

#[wasm_bindgen_test]
async fn a_refused_stop_shows_the_databricks_message_and_changes_nothing() {
    let fake = FakeTransport::new();
    fake.respond("GET", READY_URL, 200, READY);
    fake.respond("POST", &format!("{READY_URL}/config:stop"), 403, E403);
    let (el, _h) = open_detail(&fake, "/endpoints/fraud-detector-prod").await;
    let stop = one(&el, "#endpoint-stop").unwrap();
    stop.click();
    until("dialog", || active_id() == "stop-dialog-cancel").await;
    one(&el, "#stop-dialog-confirm").unwrap().click();
    until("error toast", || toasts(&el).contains("Could not stop")).await;
    let t = toasts(&el);
    assert!(
        t.contains("User does not have permission 'Manage' on Endpoint pricing-model"),
        "{t}"
    );
    assert!(t.contains("HTTP 403, PERMISSION_DENIED"), "{t}");
    until("enabled again", || stop.text_content().unwrap() == "Stop").await;
    assert_eq!(stop.get_attribute("aria-disabled"), None);
    assert_eq!(
        one(&el, "[data-testid=state-indicator] .badge__label")
            .unwrap()
            .text_content()
            .unwrap(),
        "Ready"
    );
    assert_eq!(posts(&fake, "config:stop"), 1);
}

#[wasm_bindgen_test]
async fn without_manage_every_action_is_disabled_and_says_why() {
    let fake = FakeTransport::new();
    fake.respond("GET", READY_URL, 200, &with_level(READY, "CAN_QUERY"));
    let (el, _h) = open_detail(&fake, "/endpoints/fraud-detector-prod").await;
    let why = "You need the Can Manage permission on this endpoint.";
    for id in ["#endpoint-stop", "#endpoint-start"] {
        let b = one(&el, id).unwrap();
        assert_eq!(
            b.get_attribute("aria-disabled").as_deref(),
            Some("true"),
            "{id}"
        );
        assert_eq!(description_in(&el, &b).as_deref(), Some(why), "{id}");
        b.click();
    }
    sleep(50).await;
    assert!(!one(&el, "#stop-dialog")
        .unwrap()
        .unchecked_ref::<web_sys::HtmlDialogElement>()
        .open());
    assert_eq!(
        fake.requests().iter().filter(|r| r.method != "GET").count(),
        0
    );
    // The menu's Delete is disabled with the same reason; Copy name is not.
    let kebab = one(&el, "#endpoint-actions-button").unwrap();
    assert!(key(&kebab, "ArrowDown", false));
    until("menu", || active_text().starts_with("Delete")).await;
    let items = all(&el, "[role=menuitem]");
    assert_eq!(
        items[0].get_attribute("aria-disabled").as_deref(),
        Some("true")
    );
    assert_eq!(description_in(&el, &items[0]).as_deref(), Some(why));
    assert_eq!(items[1].get_attribute("aria-disabled"), None);
    key_focused("Enter");
    sleep(50).await;
    assert!(!one(&el, "#delete-dialog")
        .unwrap()
        .unchecked_ref::<web_sys::HtmlDialogElement>()
        .open());
}

#[wasm_bindgen_test]
async fn a_foundation_model_cannot_be_stopped_and_says_so() {
    let url = "/api/2.0/serving-endpoints/databricks-meta-llama-3-3-70b-instruct";
    let fake = FakeTransport::new();
    fake.respond("GET", url, 200, &with_level(FOUNDATION, "CAN_MANAGE"));
    let (el, _h) = open_detail(&fake, "/endpoints/databricks-meta-llama-3-3-70b-instruct").await;
    let stop = one(&el, "#endpoint-stop").unwrap();
    assert_eq!(stop.get_attribute("aria-disabled").as_deref(), Some("true"));
    assert_eq!(
        description_in(&el, &stop).as_deref(),
        Some("Only endpoints serving custom models can be stopped; this one serves a foundation model.")
    );
}

#[wasm_bindgen_test]
async fn delete_is_gated_by_the_typed_name_and_escape_deletes_nothing() {
    let fake = FakeTransport::new();
    fake.respond("GET", READY_URL, 200, READY);
    fake.respond("DELETE", READY_URL, 200, "{}");
    let remaining = variant(LIST, |v| {
        v["endpoints"]
            .as_array_mut()
            .unwrap()
            .retain(|e| e["name"] != "fraud-detector-prod");
    });
    fake.respond("GET", "/api/2.0/serving-endpoints", 200, &remaining);
    let (el, _h) = open_detail(&fake, "/endpoints/fraud-detector-prod").await;
    let kebab = one(&el, "#endpoint-actions-button").unwrap();
    let dialog = one(&el, "#delete-dialog").unwrap();
    let is_open = || dialog.unchecked_ref::<web_sys::HtmlDialogElement>().open();

    // Menu → Delete → the alertdialog, focus in the name field.
    assert!(key(&kebab, "Enter", false));
    until("menu", || active_text().starts_with("Delete")).await;
    key_focused("Enter");
    until("dialog focus", || active_id() == "delete-confirm-input").await;
    assert_eq!(dialog.get_attribute("role").as_deref(), Some("alertdialog"));
    let confirm: web_sys::HtmlButtonElement =
        one(&el, "#delete-dialog-confirm").unwrap().unchecked_into();
    let input: web_sys::HtmlInputElement =
        one(&el, "#delete-confirm-input").unwrap().unchecked_into();
    assert!(confirm.disabled(), "disabled until the name is typed");
    type_into(&input, "fraud-detector");
    sleep(30).await;
    assert!(confirm.disabled(), "a prefix is not the name");
    assert_eq!(
        input.get_attribute("aria-invalid").as_deref(),
        Some("false")
    );
    type_into(&input, "fraud-detector-dev");
    until("invalid", || {
        input.get_attribute("aria-invalid").as_deref() == Some("true")
    })
    .await;
    assert!(description_in(&el, &input)
        .unwrap()
        .contains("That is not the endpoint's name"));
    assert!(confirm.disabled());
    type_into(&input, "fraud-detector-prod");
    until("enabled", || !confirm.disabled()).await;

    // Escape closes without deleting; focus returns to the menu button.
    key_focused("Escape");
    until("closed", || !is_open()).await;
    until("focus on kebab", || {
        active_id() == "endpoint-actions-button"
    })
    .await;
    assert_eq!(posts(&fake, "fraud-detector-prod"), 0);

    // Reopened: a fresh, empty field. Cancel deletes nothing either.
    assert!(key(&kebab, "ArrowDown", false));
    until("menu", || active_text().starts_with("Delete")).await;
    key_focused("Enter");
    until("dialog", || active_id() == "delete-confirm-input").await;
    let input: web_sys::HtmlInputElement =
        one(&el, "#delete-confirm-input").unwrap().unchecked_into();
    assert_eq!(input.value(), "");
    one(&el, "#delete-dialog-cancel").unwrap().click();
    until("closed by cancel", || !is_open()).await;
    assert_eq!(posts(&fake, "fraud-detector-prod"), 0);

    // Type the name, Delete (twice): one request, then the list with a toast, row gone.
    assert!(key(&kebab, "ArrowDown", false));
    until("menu", || active_text().starts_with("Delete")).await;
    key_focused("Enter");
    until("dialog", || active_id() == "delete-confirm-input").await;
    let input: web_sys::HtmlInputElement =
        one(&el, "#delete-confirm-input").unwrap().unchecked_into();
    type_into(&input, "fraud-detector-prod");
    let confirm: web_sys::HtmlButtonElement =
        one(&el, "#delete-dialog-confirm").unwrap().unchecked_into();
    until("enabled", || !confirm.disabled()).await;
    confirm.click();
    confirm.click();
    until("on the list", || {
        window().location().pathname().unwrap() == "/endpoints"
    })
    .await;
    until("toast", || {
        toasts(&el).contains("Deleted fraud-detector-prod.")
    })
    .await;
    until("rows", || {
        !all(&el, "[data-testid=endpoint-row]").is_empty()
    })
    .await;
    assert!(!el
        .text_content()
        .unwrap()
        .contains("fraud-detector-prod\u{a0}"));
    assert!(all(&el, "[data-testid=endpoint-row] td a")
        .iter()
        .all(|a| a.text_content().unwrap() != "fraud-detector-prod"));
    assert_eq!(
        fake.requests()
            .iter()
            .filter(|r| r.method == "DELETE")
            .count(),
        1
    );
}

async fn delete_with(fake: &FakeTransport) -> (web_sys::HtmlElement, impl Drop) {
    let (el, h) = open_detail(fake, "/endpoints/fraud-detector-prod").await;
    let kebab = one(&el, "#endpoint-actions-button").unwrap();
    assert!(key(&kebab, "ArrowDown", false));
    until("menu", || active_text().starts_with("Delete")).await;
    key_focused("Enter");
    until("dialog", || active_id() == "delete-confirm-input").await;
    let input: web_sys::HtmlInputElement =
        one(&el, "#delete-confirm-input").unwrap().unchecked_into();
    type_into(&input, "fraud-detector-prod");
    let confirm: web_sys::HtmlButtonElement =
        one(&el, "#delete-dialog-confirm").unwrap().unchecked_into();
    until("enabled", || !confirm.disabled()).await;
    confirm.click();
    (el, h)
}

#[wasm_bindgen_test]
async fn a_failed_delete_stays_in_the_dialog_with_the_message() {
    let fake = FakeTransport::new();
    fake.respond("GET", READY_URL, 200, READY);
    fake.respond("DELETE", READY_URL, 503, E503);
    let (el, _h) = delete_with(&fake).await;
    until("error in dialog", || {
        one(&el, "[data-testid=delete-error]").is_some()
    })
    .await;
    let t = one(&el, "[data-testid=delete-error]")
        .unwrap()
        .text_content()
        .unwrap();
    assert!(t.contains("HTTP 503"), "{t}");
    assert!(t.contains("TEMPORARILY_UNAVAILABLE"), "{t}");
    let dialog = one(&el, "#delete-dialog").unwrap();
    assert!(dialog.unchecked_ref::<web_sys::HtmlDialogElement>().open());
    assert_eq!(
        window().location().pathname().unwrap(),
        "/endpoints/fraud-detector-prod"
    );
    assert_eq!(
        fake.requests()
            .iter()
            .filter(|r| r.method == "DELETE")
            .count(),
        1,
        "a mutation is never retried"
    );
    // The typed name is kept for a retry by hand.
    let input: web_sys::HtmlInputElement =
        one(&el, "#delete-confirm-input").unwrap().unchecked_into();
    assert_eq!(input.value(), "fraud-detector-prod");
}

#[wasm_bindgen_test]
async fn deleting_an_endpoint_that_is_already_gone_says_so_and_goes_to_the_list() {
    let fake = FakeTransport::new();
    fake.respond("GET", READY_URL, 200, READY);
    fake.respond("DELETE", READY_URL, 404, E404);
    fake.respond("GET", "/api/2.0/serving-endpoints", 200, LIST);
    let (el, _h) = delete_with(&fake).await;
    until("on the list", || {
        window().location().pathname().unwrap() == "/endpoints"
    })
    .await;
    until("toast", || toasts(&el).contains("already deleted")).await;
}

#[wasm_bindgen_test]
async fn a_network_failure_on_start_says_the_outcome_is_unknown_and_refreshes() {
    let fake = FakeTransport::new();
    fake.respond("GET", STOPPED_URL, 200, STOPPED);
    fake.push(
        "POST",
        &format!("{STOPPED_URL}/config:start"),
        Err(serving_console::api::TransportError::Network(
            "connection reset".into(),
        )),
    );
    let (el, _h) = open_detail(&fake, "/endpoints/forecast-batch-scorer").await;
    let gets_before = fake
        .requests()
        .iter()
        .filter(|r| r.method == "GET" && r.url.ends_with("forecast-batch-scorer"))
        .count();
    one(&el, "#endpoint-start").unwrap().click();
    until("error toast", || toasts(&el).contains("Could not start")).await;
    let t = toasts(&el);
    assert!(t.contains("connection reset"), "{t}");
    assert!(t.contains("may or may not have reached"), "{t}");
    assert_eq!(posts(&fake, "config:start"), 1, "never retried");
    // The page re-reads the endpoint to show what the API says.
    until("refreshed", || {
        fake.requests()
            .iter()
            .filter(|r| r.method == "GET" && r.url.ends_with("forecast-batch-scorer"))
            .count()
            > gets_before
    })
    .await;
    let start = one(&el, "#endpoint-start").unwrap();
    until("enabled again", || start.text_content().unwrap() == "Start").await;
    assert_eq!(start.get_attribute("aria-disabled"), None);
}
