//! Browser tests of token mode (`"auth": "token"`) and of sub-path links, through `<Console>`
//! with a fake transport: the token dialog, the bearer on requests, asking again on 401, nothing
//! stored; every link and API call under the base.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use leptos::prelude::*;
use serving_console::api::FakeTransport;
use serving_console::config::{AuthMode, Config};
use serving_console::links;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod common;
use common::{all, go, mount_console, one, until};

const LIST: &str = api_fixtures::get("list_endpoints.json");
const E401: &str = r#"{"error_code":"UNAUTHENTICATED","message":"Invalid access token."}"#;
const ME: &str = r#"{"id":"1","userName":"alice.chen@contoso.com","displayName":"Alice Chen"}"#;

fn dialog_open(el: &web_sys::HtmlElement) -> bool {
    one(el, "dialog#token-dialog").is_some_and(|d| d.has_attribute("open"))
}

/// Type `value` into the token field and press "Use token".
fn submit(el: &web_sys::HtmlElement, value: &str) {
    let input: web_sys::HtmlInputElement = one(el, "#token-input").unwrap().unchecked_into();
    input.set_value(value);
    one(el, "dialog#token-dialog button[type=submit]")
        .unwrap()
        .click();
}

fn list_bearers(fake: &FakeTransport) -> Vec<Option<String>> {
    fake.requests()
        .into_iter()
        .filter(|r| r.url == "/api/2.0/serving-endpoints")
        .map(|r| r.bearer)
        .collect()
}

fn storage_text() -> String {
    let mut out = String::new();
    for s in [
        window().local_storage().unwrap().unwrap(),
        window().session_storage().unwrap().unwrap(),
    ] {
        for i in 0..s.length().unwrap() {
            let k = s.key(i).unwrap().unwrap();
            out.push_str(&format!(
                "{k}={};",
                s.get_item(&k).unwrap().unwrap_or_default()
            ));
        }
    }
    let doc: web_sys::HtmlDocument = document().unchecked_into();
    out.push_str(&doc.cookie().unwrap_or_default());
    out.push_str(&window().location().href().unwrap());
    out
}

#[wasm_bindgen_test]
async fn token_mode_asks_sends_the_token_and_asks_again_on_401() {
    go("/endpoints");
    let fake = FakeTransport::new();
    fake.respond("GET", "/api/2.0/serving-endpoints", 401, E401);
    fake.respond("GET", "/api/2.0/serving-endpoints", 200, LIST);
    fake.respond("GET", "/api/2.0/preview/scim/v2/Me", 200, ME);
    let config = Config {
        auth: AuthMode::Token,
        ..Config::default()
    };
    let (el, _h) = mount_console(config, &fake);

    // The dialog asks first; nothing is sent without a token.
    until("dialog open", || dialog_open(&el)).await;
    assert!(one(&el, "[data-testid=token-required]").is_some());
    let dialog = one(&el, "dialog#token-dialog").unwrap();
    assert_eq!(dialog.get_attribute("aria-modal").as_deref(), Some("true"));
    let title = dialog.get_attribute("aria-labelledby").unwrap();
    assert_eq!(
        document()
            .get_element_by_id(&title)
            .unwrap()
            .text_content()
            .as_deref(),
        Some("Personal access token")
    );
    let input = one(&el, "#token-input").unwrap();
    assert_eq!(input.get_attribute("type").as_deref(), Some("password"));
    assert_eq!(input.get_attribute("autocomplete").as_deref(), Some("off"));
    assert!(fake.requests().is_empty(), "{:?}", fake.requests());

    // Empty: the message beside the field, still nothing sent.
    submit(&el, "   ");
    until("field error", || one(&el, "#token-error").is_some()).await;
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert!(input
        .get_attribute("aria-describedby")
        .unwrap()
        .contains("token-error"));
    assert!(fake.requests().is_empty());

    // A token the workspace refuses: sent as Bearer, then asked for again with the reason.
    submit(&el, " dapi-first\n");
    until("refused", || {
        dialog_open(&el) && one(&el, "[data-testid=token-refused]").is_some()
    })
    .await;
    assert_eq!(list_bearers(&fake), vec![Some("dapi-first".to_string())]);

    // A good one: every page refreshes with it.
    submit(&el, "dapi-second");
    until("rows", || all(&el, "[data-testid=endpoint-row]").len() == 9).await;
    assert!(!dialog_open(&el));
    assert_eq!(
        list_bearers(&fake).last().cloned().flatten().as_deref(),
        Some("dapi-second")
    );
    // Who I am is asked again with the new token.
    until("me with the new token", || {
        fake.requests()
            .iter()
            .rfind(|r| r.url.ends_with("/scim/v2/Me"))
            .is_some_and(|r| r.bearer.as_deref() == Some("dapi-second"))
    })
    .await;

    // Never stored, never in the URL.
    let stored = storage_text();
    assert!(!stored.contains("dapi-"), "{stored}");
}

#[wasm_bindgen_test]
async fn proxy_mode_holds_no_token_and_shows_no_dialog() {
    go("/endpoints");
    let fake = FakeTransport::new();
    fake.respond("GET", "/api/2.0/serving-endpoints", 200, LIST);
    let (el, _h) = mount_console(Config::default(), &fake);
    until("rows", || all(&el, "[data-testid=endpoint-row]").len() == 9).await;
    assert!(one(&el, "dialog#token-dialog").is_none());
    assert!(fake.requests().iter().all(|r| r.bearer.is_none()));
}

#[wasm_bindgen_test]
async fn under_a_sub_path_links_and_api_calls_carry_the_base() {
    links::set_base("/console/");
    go("/console/endpoints");
    let fake = FakeTransport::new();
    fake.respond("GET", "/console/api/2.0/serving-endpoints", 200, LIST);
    let (el, _h) = mount_console(Config::default(), &fake);
    until("rows", || all(&el, "[data-testid=endpoint-row]").len() == 9).await;
    let hrefs: Vec<String> = all(&el, "a[href]")
        .iter()
        .filter_map(|a| a.get_attribute("href"))
        .filter(|h| !h.starts_with('#'))
        .collect();
    assert!(hrefs.len() >= 10, "{hrefs:?}");
    assert!(
        hrefs
            .iter()
            .all(|h| h.starts_with("/console/endpoints") || h == "/console/idle"),
        "{hrefs:?}"
    );
    assert!(fake
        .requests()
        .iter()
        .all(|r| r.url.starts_with("/console/api/")));
    // A row link is followed inside the router, under the base.
    one(&el, "[data-testid=endpoint-row] a").unwrap().click();
    until("detail URL", || {
        window()
            .location()
            .pathname()
            .unwrap()
            .starts_with("/console/endpoints/")
    })
    .await;
    links::set_base("/");
}
