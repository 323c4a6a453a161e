//! Browser tests of several workspaces in one console (`config.json` `workspaces`), through
//! `<Console>` with a fake transport: the page's `/w/{id}/` becomes the base of links and API
//! calls, the header's switcher names every workspace and marks the current one, and an `oauth`
//! workspace the user is signed in to offers "Sign out".
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serving_console::api::FakeTransport;
use serving_console::config::{Config, WorkspaceEntry};
use serving_console::links;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod common;
use common::{all, go, mount_console, one, text, until};

const LIST: &str = api_fixtures::get("list_endpoints.json");
const ME: &str = r#"{"id":"1","userName":"quinn.query@contoso.com","displayName":"Quinn Query"}"#;

fn entry(id: &str, name: &str, sign_in: &str, signed_in: bool) -> WorkspaceEntry {
    WorkspaceEntry {
        id: id.into(),
        name: name.into(),
        path: format!("/w/{id}"),
        sign_in: sign_in.into(),
        signed_in,
    }
}

#[wasm_bindgen_test]
async fn inside_a_workspace_links_and_api_calls_carry_its_path() {
    links::set_base("/");
    go("/w/staging/endpoints");
    let fake = FakeTransport::new();
    fake.respond("GET", "/w/staging/api/2.0/serving-endpoints", 200, LIST);
    fake.respond("GET", "/w/staging/api/2.0/preview/scim/v2/Me", 200, ME);
    let config = Config {
        workspaces: vec![
            entry("dev", "Development", "oauth", false),
            entry("staging", "Staging <b>", "oauth", true),
        ],
        ..Config::default()
    };
    let (el, _h) = mount_console(config, &fake);
    until("rows", || all(&el, "[data-testid=endpoint-row]").len() == 9).await;
    assert!(fake
        .requests()
        .iter()
        .all(|r| r.url.starts_with("/w/staging/api/")));
    let row_links: Vec<String> = all(&el, "[data-testid=endpoint-row] a[href]")
        .iter()
        .filter_map(|a| a.get_attribute("href"))
        .collect();
    assert!(
        !row_links.is_empty()
            && row_links
                .iter()
                .all(|h| h.starts_with("/w/staging/endpoints/")),
        "{row_links:?}"
    );

    let switcher = one(&el, "nav[aria-label=Workspaces]").unwrap();
    let items = all(&switcher, "a");
    let shown: Vec<(String, String, Option<String>)> = items
        .iter()
        .map(|a| {
            (
                text(a),
                a.get_attribute("href").unwrap(),
                a.get_attribute("aria-current"),
            )
        })
        .collect();
    assert_eq!(
        shown,
        vec![
            ("Development".into(), "/w/dev/endpoints".into(), None),
            // API and config text is shown as text, never markup.
            (
                "Staging <b>".into(),
                "/w/staging/endpoints".into(),
                Some("page".into())
            ),
        ]
    );
    until("who am I", || {
        text(&one(&el, "[data-testid=me]").unwrap()).contains("Quinn Query")
    })
    .await;
    let sign_out = one(&el, "button[aria-label='Sign out of Staging <b>']");
    assert!(
        sign_out.is_some(),
        "signed in to an oauth workspace: Sign out is offered"
    );
    links::set_base("/");
    go("/");
}

#[wasm_bindgen_test]
async fn without_workspaces_the_header_has_no_switcher_and_no_sign_out() {
    links::set_base("/");
    go("/endpoints");
    let fake = FakeTransport::new();
    fake.respond("GET", "/api/2.0/serving-endpoints", 200, LIST);
    let (el, _h) = mount_console(Config::default(), &fake);
    until("rows", || all(&el, "[data-testid=endpoint-row]").len() == 9).await;
    assert!(one(&el, "nav[aria-label=Workspaces]").is_none());
    assert!(all(&el, "button")
        .iter()
        .all(|b| !text(b).contains("Sign out")));
    assert!(fake.requests().iter().all(|r| r.url.starts_with("/api/")));
}
