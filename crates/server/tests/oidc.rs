//! The emulated workspace's OAuth server (`/oidc/…`): discovery, the sign-in page, the code flow
//! with PKCE, refresh, client credentials, expiry; its tokens act as their principal on the API.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use axum::Router;
use common::*;
use serde_json::{json, Value};
use serving_console_server::emulator::oidc::{s256, CONSOLE_CLIENT_ID, SP_CLIENT_SECRET};
use serving_console_server::emulator::principals::SP_APPLICATION_ID;
use serving_console_server::EmulatorConfig;

const HOST: &str = "127.0.0.1:9999";
const CALLBACK: &str = "http://127.0.0.1:7000/auth/callback";
const VERIFIER: &str = "verifier-0123456789-0123456789-0123456789-abcdef";
const ALICE_SCIM: &str = "4810075283746522";

fn strict() -> Router {
    router(&state_with(EmulatorConfig {
        strict_auth: true,
        token_ttl_secs: 60,
        ..config()
    }))
}

async fn form(r: &Router, path: &str, pairs: &[(&str, &str)], extra: &[(&str, &str)]) -> Resp {
    let mut b = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header("host", HOST)
        .header("content-type", "application/x-www-form-urlencoded");
    for (k, v) in extra {
        b = b.header(*k, *v);
    }
    let body = serde_urlencoded::to_string(pairs).unwrap();
    send(r, b.body(Body::from(body)).unwrap()).await
}

fn authorize_query(challenge: &str, redirect: &str) -> Vec<(&'static str, String)> {
    vec![
        ("client_id", CONSOLE_CLIENT_ID.to_string()),
        ("redirect_uri", redirect.to_string()),
        ("response_type", "code".to_string()),
        ("state", "st-123".to_string()),
        ("code_challenge", challenge.to_string()),
        ("code_challenge_method", "S256".to_string()),
        ("scope", "all-apis offline_access".to_string()),
    ]
}

/// Sign in as `scim_id` through the form; the code from the redirect.
async fn sign_in(r: &Router, scim_id: &str) -> String {
    let mut pairs = authorize_query(&s256(VERIFIER), CALLBACK);
    pairs.push(("principal", scim_id.to_string()));
    let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = form(
        r,
        "/oidc/v1/authorize",
        &pairs,
        // As Chromium sends it: the page is no-referrer, so Origin is "null".
        &[("sec-fetch-site", "same-origin"), ("origin", "null")],
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
    let location = res.header("location").unwrap();
    let query = location.strip_prefix(&format!("{CALLBACK}?")).unwrap();
    let q: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap();
    assert!(q.contains(&("state".into(), "st-123".into())), "{location}");
    q.into_iter().find(|(k, _)| k == "code").unwrap().1
}

async fn redeem(r: &Router, code: &str, verifier: &str, redirect: &str) -> Resp {
    form(
        r,
        "/oidc/v1/token",
        &[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("code_verifier", verifier),
            ("redirect_uri", redirect),
            ("client_id", CONSOLE_CLIENT_ID),
        ],
        &[],
    )
    .await
}

async fn me(r: &Router, token: &str) -> Resp {
    get(r, "/api/2.0/preview/scim/v2/Me", Some(token)).await
}

#[tokio::test]
async fn discovery_names_this_workspaces_endpoints() {
    let r = strict();
    let req = Request::get("/oidc/.well-known/oauth-authorization-server")
        .header("host", HOST)
        .body(Body::empty())
        .unwrap();
    let v = send(&r, req).await.json();
    assert_eq!(
        v["authorization_endpoint"],
        format!("http://{HOST}/oidc/v1/authorize")
    );
    assert_eq!(v["token_endpoint"], format!("http://{HOST}/oidc/v1/token"));
    assert_eq!(v["code_challenge_methods_supported"], json!(["S256"]));
    let req = Request::get("/.well-known/databricks-config")
        .header("host", HOST)
        .body(Body::empty())
        .unwrap();
    let m = send(&r, req).await.json();
    assert_eq!(m["oidc_endpoint"], format!("http://{HOST}/oidc"));
}

#[tokio::test]
async fn the_sign_in_page_lists_users_and_escapes_what_it_echoes() {
    let r = strict();
    let mut q = authorize_query(&s256(VERIFIER), CALLBACK);
    q[3].1 = "\"><img src=x onerror=alert(1)>".into();
    let qs = serde_urlencoded::to_string(&q).unwrap();
    let res = get(&r, &format!("/oidc/v1/authorize?{qs}"), None).await;
    assert_eq!(res.status, StatusCode::OK);
    let html = res.text();
    assert!(html.contains("Sign in as Alice Chen (alice.chen@contoso.com)"));
    assert!(html.contains("Vera View"));
    assert!(!html.contains("<img"), "{html}");
    let csp = res.header("content-security-policy").unwrap();
    assert!(
        csp.contains("form-action 'self' http://127.0.0.1:7000"),
        "{csp}"
    );
    assert!(csp.contains("script-src") || csp.contains("default-src 'none'"));

    // An unregistered redirect is never followed: the page says so instead.
    let q = authorize_query(&s256(VERIFIER), "http://evil.example/steal");
    let qs = serde_urlencoded::to_string(&q).unwrap();
    let res = get(&r, &format!("/oidc/v1/authorize?{qs}"), None).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert!(res.header("location").is_none());
    assert!(res.text().contains("not registered"));

    // Without PKCE the client is told so on its redirect.
    let mut q = authorize_query("", CALLBACK);
    q.retain(|(k, _)| *k != "code_challenge");
    let qs = serde_urlencoded::to_string(&q).unwrap();
    let res = get(&r, &format!("/oidc/v1/authorize?{qs}"), None).await;
    let loc = res.header("location").unwrap();
    assert!(
        loc.starts_with(CALLBACK) && loc.contains("error=invalid_request"),
        "{loc}"
    );
}

#[tokio::test]
async fn a_cross_site_form_post_is_refused() {
    let r = strict();
    let mut pairs = authorize_query(&s256(VERIFIER), CALLBACK);
    pairs.push(("principal", ALICE_SCIM.to_string()));
    let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = form(
        &r,
        "/oidc/v1/authorize",
        &pairs,
        &[("sec-fetch-site", "cross-site")],
    )
    .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert!(res.header("location").is_none());
}

#[tokio::test]
async fn code_flow_with_pkce_gives_a_token_that_acts_as_the_chosen_user() {
    let r = strict();
    let code = sign_in(&r, ALICE_SCIM).await;
    let res = redeem(&r, &code, VERIFIER, CALLBACK).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(res.header("cache-control").as_deref(), Some("no-store"));
    let t = res.json();
    assert_eq!(t["token_type"], "Bearer");
    assert_eq!(t["expires_in"], 60);
    let access = t["access_token"].as_str().unwrap();
    let me_ = me(&r, access).await;
    assert_eq!(me_.status, StatusCode::OK);
    assert_eq!(me_.json()["userName"], "alice.chen@contoso.com");

    // A code is good once.
    let again = redeem(&r, &code, VERIFIER, CALLBACK).await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
    assert_eq!(again.json()["error"], "invalid_grant");

    // Refresh: a new access token for the same user.
    let refresh = t["refresh_token"].as_str().unwrap();
    let res = form(
        &r,
        "/oidc/v1/token",
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh),
            ("client_id", CONSOLE_CLIENT_ID),
        ],
        &[],
    )
    .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let fresh = res.json()["access_token"].as_str().unwrap().to_string();
    assert_ne!(fresh, access);
    assert_eq!(
        me(&r, &fresh).await.json()["userName"],
        "alice.chen@contoso.com"
    );
}

#[tokio::test]
async fn wrong_verifier_or_redirect_is_an_invalid_grant() {
    let r = strict();
    let code = sign_in(&r, ALICE_SCIM).await;
    let res = redeem(&r, &code, &format!("{VERIFIER}x"), CALLBACK).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    let v: Value = res.json();
    assert_eq!(v["error"], "invalid_grant");
    assert!(v["error_description"].as_str().unwrap().contains("PKCE"));

    let code = sign_in(&r, ALICE_SCIM).await;
    let res = redeem(&r, &code, VERIFIER, "http://127.0.0.1:7001/auth/callback").await;
    assert_eq!(res.json()["error"], "invalid_grant");
}

#[tokio::test]
async fn tokens_expire_on_the_emulated_clock() {
    let r = strict();
    let code = sign_in(&r, "4810075283746544").await;
    let t = redeem(&r, &code, VERIFIER, CALLBACK).await.json();
    let access = t["access_token"].as_str().unwrap();
    assert_eq!(
        me(&r, access).await.json()["userName"],
        "vera.view@contoso.com"
    );
    post(&r, "/__emulator/time", json!({ "advance_secs": 61 })).await;
    let res = me(&r, access).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert_eq!(res.json()["error_code"], "UNAUTHENTICATED");
}

#[tokio::test]
async fn client_credentials_for_the_service_principal() {
    use base64::Engine;
    let r = strict();
    let basic = base64::engine::general_purpose::STANDARD
        .encode(format!("{SP_APPLICATION_ID}:{SP_CLIENT_SECRET}"));
    let res = form(
        &r,
        "/oidc/v1/token",
        &[("grant_type", "client_credentials"), ("scope", "all-apis")],
        &[("authorization", &format!("Basic {basic}"))],
    )
    .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let t = res.json();
    assert!(t.get("refresh_token").is_none());
    let access = t["access_token"].as_str().unwrap();
    let list = get(&r, "/api/2.0/serving-endpoints", Some(access)).await;
    assert_eq!(list.status, StatusCode::OK);

    let res = form(
        &r,
        "/oidc/v1/token",
        &[
            ("grant_type", "client_credentials"),
            ("client_id", SP_APPLICATION_ID),
            ("client_secret", "wrong"),
        ],
        &[],
    )
    .await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert_eq!(res.json()["error"], "invalid_client");
    let res = form(&r, "/oidc/v1/token", &[("grant_type", "password")], &[]).await;
    assert_eq!(res.json()["error"], "unsupported_grant_type");
}
