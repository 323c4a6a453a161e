//! `serving-console demo --workspaces N`: independent emulated workspaces under `/w/{id}/`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use axum::Router;
use common::*;
use serving_console_server::emulator::clock::Clock;
use serving_console_server::emulator::oidc::SP_CLIENT_SECRET;
use serving_console_server::emulator::principals::SP_APPLICATION_ID;
use serving_console_server::{multi_app, workspace_id, AppState, EmulatorConfig, Seed};

fn two() -> Router {
    let mut ws = Vec::new();
    for k in 0..2 {
        let id = workspace_id(k);
        let config = EmulatorConfig {
            base_path: format!("/w/{id}"),
            workspace_id: format!("{}", 1_234_567_890_123_456u64 + k as u64),
            strict_auth: true,
            ..config()
        };
        let seed = Seed::default_seed().unwrap().for_workspace(k);
        ws.push((id, AppState::with_clock(config, seed, Clock::frozen_at(T0))));
    }
    multi_app(ws, None)
}

#[test]
fn ids_are_named_then_numbered() {
    let ids: Vec<String> = (0..5).map(workspace_id).collect();
    assert_eq!(ids, ["dev", "staging", "prod", "ws4", "ws5"]);
}

#[tokio::test]
async fn each_workspace_has_its_own_endpoints_and_state() {
    let r = two();
    let dev = names(
        &get(&r, "/w/dev/api/2.0/serving-endpoints", Some(ADMIN))
            .await
            .json(),
    );
    let staging = get(&r, "/w/staging/api/2.0/serving-endpoints", Some(ADMIN)).await;
    assert_eq!(staging.status, StatusCode::OK);
    let staging = names(&staging.json());
    assert!(
        !staging.is_empty() && staging.len() < dev.len(),
        "{dev:?} {staging:?}"
    );
    let gone = &staging[0];
    let del = send(
        &r,
        request(
            Method::DELETE,
            &format!("/w/staging/api/2.0/serving-endpoints/{gone}"),
            Some(ADMIN),
            None,
        ),
    )
    .await;
    assert_eq!(del.status, StatusCode::OK, "{}", del.text());
    let after = names(
        &get(&r, "/w/staging/api/2.0/serving-endpoints", Some(ADMIN))
            .await
            .json(),
    );
    assert!(!after.contains(gone));
    let dev_after = names(
        &get(&r, "/w/dev/api/2.0/serving-endpoints", Some(ADMIN))
            .await
            .json(),
    );
    assert!(
        dev_after.contains(gone),
        "deleting in staging must not touch dev"
    );
    // Nothing is served at the root API.
    assert_eq!(
        get(&r, "/api/2.0/serving-endpoints", Some(ADMIN))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let me = get(&r, "/w/staging/api/2.0/preview/scim/v2/Me", Some(ADMIN)).await;
    assert_eq!(
        me.header("x-databricks-org-id").as_deref(),
        Some("1234567890123457")
    );
}

#[tokio::test]
async fn the_root_leads_to_the_first_workspace_and_health_answers() {
    let r = two();
    let res = get(&r, "/", None).await;
    assert!(res.status.is_redirection());
    assert_eq!(res.header("location").as_deref(), Some("/w/dev/"));
    assert_eq!(
        get(&r, "/__emulator/health", None).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn oidc_is_per_workspace_and_tokens_do_not_cross() {
    use base64::Engine;
    let r = two();
    let req = Request::get("/w/staging/.well-known/databricks-config")
        .header("host", "127.0.0.1:9")
        .body(Body::empty())
        .unwrap();
    let meta = send(&r, req).await.json();
    assert_eq!(meta["oidc_endpoint"], "http://127.0.0.1:9/w/staging/oidc");
    let req = Request::get("/w/staging/oidc/.well-known/oauth-authorization-server")
        .header("host", "127.0.0.1:9")
        .body(Body::empty())
        .unwrap();
    let oidc = send(&r, req).await.json();
    assert_eq!(
        oidc["token_endpoint"],
        "http://127.0.0.1:9/w/staging/oidc/v1/token"
    );

    let basic = base64::engine::general_purpose::STANDARD
        .encode(format!("{SP_APPLICATION_ID}:{SP_CLIENT_SECRET}"));
    let req = Request::post("/w/dev/oidc/v1/token")
        .header("authorization", format!("Basic {basic}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from("grant_type=client_credentials"))
        .unwrap();
    let t = send(&r, req).await.json();
    let access = t["access_token"].as_str().unwrap();
    let dev = get(&r, "/w/dev/api/2.0/preview/scim/v2/Me", Some(access)).await;
    assert_eq!(dev.status, StatusCode::OK);
    let staging = get(&r, "/w/staging/api/2.0/preview/scim/v2/Me", Some(access)).await;
    assert_eq!(
        staging.status,
        StatusCode::UNAUTHORIZED,
        "a dev token is not a staging token"
    );
}
