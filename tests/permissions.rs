//! Browser tests of the Permissions tab (wasm-pack test --headless --chrome --test permissions),
//! with a fake transport: the table, read-only view, add-form validation, preview, PATCH for
//! additions, conflict → nothing written, failed save keeps the draft across a tab switch, the
//! lockout guard asks twice, one request per double click, the leave guard, and the notice when
//! a saved change is later undone by someone else.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use leptos::prelude::*;
use serde_json::{json, Value};
use serving_console::api::{FakeTransport, HttpRequest};
use serving_console::config::Config;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod common;
use common::{all, go, mount_console, one, sleep, text, type_into, until};

const READY: &str = api_fixtures::get("get_custom_ready.json");
const LIST: &str = api_fixtures::get("list_endpoints.json");
const ACL: &str = api_fixtures::get("permissions_get.json");
const LEVELS: &str = api_fixtures::get("permission_levels.json");
const E503: &str = api_fixtures::get("error_503_temporarily_unavailable.json");

const ENDPOINT: &str = "/api/2.0/serving-endpoints/fraud-detector-prod";
const PERMS: &str = "/api/2.0/permissions/serving-endpoints/3f1b9c2e8d4a4f6b9e0c7a5d2b1e4f8a";

/// Navigate as the browser's back/forward does: the router follows `popstate`.
fn nav(path: &str) {
    window()
        .history()
        .unwrap()
        .push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(path))
        .unwrap();
    window()
        .dispatch_event(&web_sys::Event::new("popstate").unwrap())
        .unwrap();
}

fn choose(el: &web_sys::HtmlElement, value: &str) {
    let select: &web_sys::HtmlSelectElement = el.unchecked_ref();
    select.set_value(value);
    let f = js_sys::Function::new_with_args(
        "el",
        "el.dispatchEvent(new Event('change', {bubbles: true}));",
    );
    f.call1(&wasm_bindgen::JsValue::NULL, el).unwrap();
}

fn button(root: &web_sys::Element, label: &str) -> web_sys::HtmlElement {
    all(root, "button")
        .into_iter()
        .find(|b| b.text_content().unwrap_or_default().trim() == label)
        .unwrap_or_else(|| {
            let have: Vec<String> = all(root, "button")
                .iter()
                .map(|b| b.text_content().unwrap_or_default())
                .collect();
            panic!("no button {label} among {have:?}")
        })
}

fn is_open(root: &web_sys::Element, id: &str) -> bool {
    one(root, &format!("dialog#{id}"))
        .map(|d| d.unchecked_ref::<web_sys::HtmlDialogElement>().open())
        .unwrap_or(false)
}

fn endpoint_as(level: &str) -> String {
    let mut v: Value = serde_json::from_str(READY).unwrap();
    v["permission_level"] = json!(level);
    v.to_string()
}

fn me_alice() -> String {
    json!({"id": "1", "userName": "alice.chen@contoso.com", "displayName": "Alice Chen",
           "groups": [{"display": "users"}, {"display": "risk-ml"}]})
    .to_string()
}

/// The fixture ACL with a change applied to its JSON.
fn acl_with(f: impl FnOnce(&mut Vec<Value>)) -> String {
    let mut v: Value = serde_json::from_str(ACL).unwrap();
    f(v["access_control_list"].as_array_mut().unwrap());
    v.to_string()
}

fn direct(who: (&str, &str), level: &str) -> Value {
    json!({ who.0: who.1, "all_permissions": [{"permission_level": level, "inherited": false}] })
}

/// A fake answering the endpoint (at `level`), who I am, the ACL and its levels.
fn fake(level: &str) -> FakeTransport {
    let f = FakeTransport::new();
    f.respond("GET", ENDPOINT, 200, &endpoint_as(level));
    f.respond("GET", "/api/2.0/preview/scim/v2/Me", 200, &me_alice());
    f.respond("GET", &format!("{PERMS}/permissionLevels"), 200, LEVELS);
    f.respond("GET", "/api/2.0/serving-endpoints", 200, LIST);
    f
}

fn writes(fake: &FakeTransport) -> Vec<HttpRequest> {
    fake.requests()
        .into_iter()
        .filter(|r| r.method == "PUT" || r.method == "PATCH")
        .collect()
}

fn count(fake: &FakeTransport, method: &str, path: &str) -> usize {
    fake.requests()
        .iter()
        .filter(|r| r.method == method && r.url == path)
        .count()
}

fn body_of(r: &HttpRequest) -> Value {
    serde_json::from_str(r.body.as_deref().unwrap()).unwrap()
}

async fn open_tab(fake: &FakeTransport) -> (web_sys::HtmlElement, impl Drop) {
    go("/endpoints/fraud-detector-prod/permissions");
    let (el, h) = mount_console(Config::default(), fake);
    until("rows", || all(&el, "[data-testid=perm-row]").len() == 7).await;
    (el, h)
}

async fn add(el: &web_sys::Element, kind: &str, name: &str, level: &str) {
    choose(&one(el, "#perm-add-kind").unwrap(), kind);
    choose(&one(el, "#perm-add-level").unwrap(), level);
    type_into(&one(el, "#perm-add-name").unwrap(), name);
    button(el, "Add").click();
}

#[wasm_bindgen_test]
async fn table_shows_direct_and_inherited_grants_and_who_i_am() {
    let f = fake("CAN_MANAGE");
    f.respond("GET", PERMS, 200, ACL);
    let (el, _h) = open_tab(&f).await;
    until("me", || {
        text(&one(&el, "[data-testid=perm-me]").unwrap()).contains("Alice Chen")
    })
    .await;
    let me = text(&one(&el, "[data-testid=perm-me]").unwrap());
    assert!(
        me.contains("alice.chen@contoso.com") && me.contains("Can Manage"),
        "{me}"
    );
    let inherited = all(&el, "[data-testid=perm-row][data-source=inherited]");
    assert_eq!(inherited.len(), 2, "admins and henry's inherited grant");
    for row in &inherited {
        let t = text(row);
        assert!(t.contains("Inherited from /serving-endpoints/"), "{t}");
        assert!(t.contains("can't be removed here"), "{t}");
        assert!(one(row, "button").is_none(), "no Remove on inherited rows");
        assert!(one(row, "select").is_none());
    }
    let direct_rows = all(&el, "[data-testid=perm-row][data-source=direct]");
    assert_eq!(direct_rows.len(), 5);
    for row in &direct_rows {
        assert!(one(row, "select").is_some());
        assert!(one(row, "button[aria-label^=Remove]").is_some());
    }
    let alice = one(&el, "[data-principal='alice.chen@contoso.com']").unwrap();
    assert!(text(&alice).contains("(you)"));
    assert!(one(&el, "[data-testid=perm-readonly]").is_none());
    // The tab is listed and current.
    let tab = one(&el, "a.tabs__tab[aria-current=page]").unwrap();
    assert_eq!(text(&tab), "Permissions");
}

#[wasm_bindgen_test]
async fn a_can_query_user_gets_a_read_only_view_with_the_reason() {
    let f = fake("CAN_QUERY");
    f.respond("GET", PERMS, 200, ACL);
    let (el, _h) = open_tab(&f).await;
    until("read-only note", || {
        one(&el, "[data-testid=perm-readonly]").is_some()
    })
    .await;
    let note = text(&one(&el, "[data-testid=perm-readonly]").unwrap());
    assert!(
        note.contains("Can Query") && note.contains("Can Manage"),
        "{note}"
    );
    assert!(all(&el, "[data-testid=perm-row] select").is_empty());
    assert!(all(&el, "[data-testid=perm-row] button").is_empty());
    assert!(one(&el, "[data-testid=perm-add]").is_none());
}

#[wasm_bindgen_test]
async fn add_form_validates_beside_the_field() {
    let f = fake("CAN_MANAGE");
    f.respond("GET", PERMS, 200, ACL);
    let (el, _h) = open_tab(&f).await;
    let input = one(&el, "#perm-add-name").unwrap();
    let err = || text(&one(&el, "#perm-add-name-error").unwrap());
    add(&el, "user", "", "CAN_QUERY").await;
    until("empty", || err() == "Enter a name.").await;
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert!(input
        .get_attribute("aria-describedby")
        .unwrap()
        .contains("perm-add-name-error"));
    add(&el, "user", "zoe", "CAN_QUERY").await;
    until("not an e-mail", || err().contains("e-mail")).await;
    add(&el, "service-principal", "robot-1", "CAN_QUERY").await;
    until("not a UUID", || err().contains("UUID")).await;
    add(&el, "user", "Alice.Chen@contoso.com", "CAN_VIEW").await;
    until("duplicate", || {
        err().contains("Already has a direct grant (Can Manage)")
    })
    .await;
    // Fixing the input clears the message as you type.
    type_into(&input, "zoe@contoso.com");
    until("cleared", || err().is_empty()).await;
    assert_eq!(
        input.get_attribute("aria-invalid").as_deref(),
        Some("false")
    );
    button(&el, "Add").click();
    until("added row", || {
        one(&el, "[data-principal='zoe@contoso.com']").is_some()
    })
    .await;
    let row = one(&el, "[data-principal='zoe@contoso.com']").unwrap();
    assert!(text(&row).contains("New, not saved"));
    assert!(text(&one(&el, "[data-testid=perm-savebar]").unwrap()).contains("1 unsaved change"));
    assert!(writes(&f).is_empty(), "nothing written before Save");
}

#[wasm_bindgen_test]
async fn additions_and_changes_are_previewed_and_sent_as_one_patch() {
    let f = fake("CAN_MANAGE");
    f.respond("GET", PERMS, 200, ACL);
    let after = acl_with(|l| {
        l[1] = direct(("group_name", "risk-analysts"), "CAN_VIEW");
        l.push(direct(("user_name", "zoe@contoso.com"), "CAN_QUERY"));
    });
    f.respond("PATCH", PERMS, 200, &after);
    let (el, _h) = open_tab(&f).await;
    add(&el, "user", "zoe@contoso.com", "CAN_QUERY").await;
    let sel = one(&el, "[data-principal=risk-analysts] select").unwrap();
    choose(&sel, "CAN_VIEW");
    until("changed", || text(&el).contains("was Can Query")).await;
    until("save bar", || one(&el, "#perm-save").is_some()).await;
    button(&el, "Review and save…").click();
    until("preview", || is_open(&el, "perm-preview")).await;
    let items: Vec<String> = all(&el, "[data-testid=perm-preview-list] li")
        .iter()
        .map(|li| text(li))
        .collect();
    assert_eq!(
        items,
        vec![
            "Add user zoe@contoso.com as Can Query",
            "Change group risk-analysts from Can Query to Can View"
        ]
    );
    let confirm = one(&el, "[data-testid=perm-confirm]").unwrap();
    // A double click is one save.
    confirm.click();
    confirm.click();
    until("saved", || one(&el, "[data-testid=perm-savebar]").is_none()).await;
    let w = writes(&f);
    assert_eq!(w.len(), 1, "one write");
    assert_eq!(w[0].method, "PATCH");
    assert_eq!(
        body_of(&w[0]),
        json!({"access_control_list": [
            {"user_name": "zoe@contoso.com", "permission_level": "CAN_QUERY"},
            {"group_name": "risk-analysts", "permission_level": "CAN_VIEW"}
        ]})
    );
    assert_eq!(
        count(&f, "GET", PERMS),
        2,
        "the load and one re-read before writing"
    );
    let row = one(&el, "[data-principal='zoe@contoso.com']").unwrap();
    assert!(!text(&row).contains("not saved"));
}

#[wasm_bindgen_test]
async fn a_concurrent_change_before_a_removal_is_a_conflict_and_nothing_is_written() {
    let f = fake("CAN_MANAGE");
    let theirs = acl_with(|l| l.push(direct(("user_name", "bob.okafor@contoso.com"), "CAN_VIEW")));
    f.respond("GET", PERMS, 200, ACL);
    f.respond("GET", PERMS, 200, &theirs);
    let after = acl_with(|l| {
        l.remove(3);
        l.push(direct(("user_name", "bob.okafor@contoso.com"), "CAN_VIEW"));
    });
    f.respond("PUT", PERMS, 200, &after);
    let (el, _h) = open_tab(&f).await;
    one(&el, "[data-principal='gina.rossi@contoso.com'] button")
        .unwrap()
        .click();
    until("marked", || text(&el).contains("Will be removed")).await;
    until("save bar", || one(&el, "#perm-save").is_some()).await;
    button(&el, "Review and save…").click();
    until("preview", || is_open(&el, "perm-preview")).await;
    one(&el, "[data-testid=perm-confirm]").unwrap().click();
    until("conflict", || is_open(&el, "perm-conflict")).await;
    let dialog = one(&el, "dialog#perm-conflict").unwrap();
    assert_eq!(dialog.get_attribute("role").as_deref(), Some("alertdialog"));
    let t = text(&dialog);
    assert!(t.contains("Nothing was saved"), "{t}");
    assert!(t.contains("user bob.okafor@contoso.com"), "{t}");
    assert!(t.contains("not edited by you"), "{t}");
    assert!(writes(&f).is_empty(), "a conflict writes nothing");
    // Keep the edits on the current list, save again: the PUT keeps bob and drops only gina.
    one(&el, "[data-testid=perm-conflict-rebase]")
        .unwrap()
        .click();
    until("closed", || !is_open(&el, "perm-conflict")).await;
    assert!(text(&el).contains("Will be removed"), "the edit survived");
    until("save bar", || one(&el, "#perm-save").is_some()).await;
    button(&el, "Review and save…").click();
    until("preview", || is_open(&el, "perm-preview")).await;
    one(&el, "[data-testid=perm-confirm]").unwrap().click();
    until("saved", || one(&el, "[data-testid=perm-savebar]").is_none()).await;
    let w = writes(&f);
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].method, "PUT");
    let body = body_of(&w[0]);
    let names: Vec<String> = body["access_control_list"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            ["user_name", "group_name", "service_principal_name"]
                .iter()
                .find_map(|k| e[*k].as_str())
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(
        names,
        vec![
            "alice.chen@contoso.com",
            "risk-analysts",
            "6d1f0a3e-9c2b-4e8d-a7f5-3b2c1d0e9f8a",
            "henry.adams@contoso.com",
            "bob.okafor@contoso.com"
        ],
        "exactly the direct grants intended: no gina, no inherited admins"
    );
}

#[wasm_bindgen_test]
async fn a_failed_save_keeps_the_edits_across_a_tab_switch() {
    let f = fake("CAN_MANAGE");
    f.respond("GET", PERMS, 200, ACL);
    f.respond("PATCH", PERMS, 503, E503);
    let (el, _h) = open_tab(&f).await;
    add(&el, "group", "data-science", "CAN_VIEW").await;
    until("save bar", || one(&el, "#perm-save").is_some()).await;
    button(&el, "Review and save…").click();
    until("preview", || is_open(&el, "perm-preview")).await;
    one(&el, "[data-testid=perm-confirm]").unwrap().click();
    until("error", || {
        one(&el, "[data-testid=perm-save-error]").is_some()
    })
    .await;
    let t = text(&one(&el, "[data-testid=perm-save-error]").unwrap());
    assert!(t.contains("503") && t.contains("still here"), "{t}");
    assert_eq!(writes(&f).len(), 1, "a mutation is never retried");
    assert!(one(&el, "[data-principal=data-science]").is_some());
    // To the Overview and back: the draft is still there. (Through history + popstate: the
    // routers of consoles unmounted by earlier tests would swallow a synthetic link click.)
    nav("/endpoints/fraud-detector-prod");
    until("overview", || {
        one(&el, "[data-testid=permissions]").is_none()
    })
    .await;
    assert!(text(&el).contains("Served entities"));
    nav("/endpoints/fraud-detector-prod/permissions");
    until("back", || {
        one(&el, "[data-principal=data-science]").is_some()
    })
    .await;
    assert!(text(&one(&el, "[data-principal=data-science]").unwrap()).contains("New, not saved"));
    assert!(text(&one(&el, "[data-testid=perm-savebar]").unwrap()).contains("1 unsaved change"));
}

#[wasm_bindgen_test]
async fn lowering_my_own_can_manage_asks_twice() {
    let f = fake("CAN_MANAGE");
    f.respond("GET", PERMS, 200, ACL);
    f.respond(
        "PATCH",
        PERMS,
        200,
        &acl_with(|l| l[0] = direct(("user_name", "alice.chen@contoso.com"), "CAN_VIEW")),
    );
    let (el, _h) = open_tab(&f).await;
    until("me", || text(&el).contains("Alice Chen")).await;
    choose(
        &one(&el, "[data-principal='alice.chen@contoso.com'] select").unwrap(),
        "CAN_VIEW",
    );
    until("changed", || text(&el).contains("was Can Manage")).await;
    until("save bar", || one(&el, "#perm-save").is_some()).await;
    button(&el, "Review and save…").click();
    until("preview", || is_open(&el, "perm-preview")).await;
    assert!(text(&one(&el, "dialog#perm-preview").unwrap()).contains("your own Can Manage"));
    one(&el, "[data-testid=perm-confirm]").unwrap().click();
    until("second confirmation", || is_open(&el, "perm-lockout")).await;
    let d = one(&el, "dialog#perm-lockout").unwrap();
    assert_eq!(d.get_attribute("role").as_deref(), Some("alertdialog"));
    assert!(text(&d).contains("only have Can View"), "{}", text(&d));
    assert!(writes(&f).is_empty());
    // Cancel: nothing written, edit kept.
    button(&el, "Cancel").click();
    until("closed", || !is_open(&el, "perm-lockout")).await;
    sleep(50).await;
    assert!(writes(&f).is_empty());
    assert!(one(&el, "[data-testid=perm-savebar]").is_some());
    // Again, and confirm both times.
    until("save bar", || one(&el, "#perm-save").is_some()).await;
    button(&el, "Review and save…").click();
    until("preview", || is_open(&el, "perm-preview")).await;
    one(&el, "[data-testid=perm-confirm]").unwrap().click();
    until("second confirmation", || is_open(&el, "perm-lockout")).await;
    one(&el, "[data-testid=perm-lockout-confirm]")
        .unwrap()
        .click();
    until("saved", || writes(&f).len() == 1).await;
    assert_eq!(writes(&f)[0].method, "PATCH");
}

#[wasm_bindgen_test]
async fn leaving_the_endpoint_with_unsaved_edits_asks_first() {
    let f = fake("CAN_MANAGE");
    f.respond("GET", PERMS, 200, ACL);
    let (el, _h) = open_tab(&f).await;
    add(&el, "user", "zoe@contoso.com", "CAN_VIEW").await;
    until("added", || {
        one(&el, "[data-principal='zoe@contoso.com']").is_some()
    })
    .await;
    let crumb = one(&el, "nav.breadcrumb a").unwrap();
    crumb.click();
    until("leave dialog", || is_open(&el, "perm-leave")).await;
    assert!(window()
        .location()
        .pathname()
        .unwrap()
        .ends_with("/permissions"));
    button(&el, "Stay").click();
    until("closed", || !is_open(&el, "perm-leave")).await;
    assert!(one(&el, "[data-principal='zoe@contoso.com']").is_some());
    crumb.click();
    until("leave dialog", || is_open(&el, "perm-leave")).await;
    one(&el, "[data-testid=perm-leave-confirm]")
        .unwrap()
        .click();
    until("list", || {
        window().location().pathname().unwrap() == "/endpoints"
    })
    .await;
    assert!(writes(&f).is_empty());
}

#[wasm_bindgen_test]
async fn a_saved_change_undone_later_by_someone_else_is_reported() {
    let f = fake("CAN_MANAGE");
    let with_zoe = acl_with(|l| l.push(direct(("user_name", "zoe@contoso.com"), "CAN_QUERY")));
    f.respond("GET", PERMS, 200, ACL); // load
    f.respond("GET", PERMS, 200, ACL); // re-read before the PATCH
    f.respond("GET", PERMS, 200, ACL); // a later poll: someone's stale PUT dropped zoe
    f.respond("PATCH", PERMS, 200, &with_zoe);
    go("/endpoints/fraud-detector-prod/permissions");
    let config = Config {
        detail_poll_ms: 300,
        ..Config::default()
    };
    let (el, _h) = mount_console(config, &f);
    until("rows", || all(&el, "[data-testid=perm-row]").len() == 7).await;
    add(&el, "user", "zoe@contoso.com", "CAN_QUERY").await;
    until("save bar", || one(&el, "#perm-save").is_some()).await;
    button(&el, "Review and save…").click();
    until("preview", || is_open(&el, "perm-preview")).await;
    one(&el, "[data-testid=perm-confirm]").unwrap().click();
    until("overwritten notice", || {
        one(&el, "[data-testid=perm-overwritten]").is_some()
    })
    .await;
    let t = text(&one(&el, "[data-testid=perm-overwritten]").unwrap());
    assert!(
        t.contains("user zoe@contoso.com: you saved Can Query; now no direct grant"),
        "{t}"
    );
    // One click puts the lost change back as an unsaved edit, to review and save again.
    one(&el, "[data-testid=perm-restore]").unwrap().click();
    until("restored", || {
        one(&el, "[data-principal='zoe@contoso.com']")
            .is_some_and(|r| text(&r).contains("New, not saved"))
    })
    .await;
    assert!(one(&el, "[data-testid=perm-overwritten]").is_none());
}

#[wasm_bindgen_test]
async fn without_a_reported_level_the_acl_decides_who_may_edit() {
    let f = fake("CAN_MANAGE");
    let mut e: Value = serde_json::from_str(READY).unwrap();
    e.as_object_mut().unwrap().remove("permission_level");
    f.respond("GET", ENDPOINT, 200, &e.to_string());
    f.respond("GET", PERMS, 200, ACL);
    let (el, _h) = open_tab(&f).await;
    // alice has a direct Can Manage in the ACL: the editor is enabled.
    until("level from the ACL", || {
        one(&el, "[data-testid=perm-my-level]").is_some_and(|l| text(&l) == "Can Manage")
    })
    .await;
    assert!(one(&el, "[data-testid=perm-add]").is_some());
    assert!(one(&el, "[data-testid=perm-readonly]").is_none());
}
