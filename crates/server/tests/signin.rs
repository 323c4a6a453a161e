//! `serving-console proxy` signing users in against the emulator's OIDC (`demo --workspaces 2`
//! served on loopback): the code flow with PKCE through `/auth/login` and `/auth/callback`, two
//! replicas sharing a cookie key, sign-out, refresh, a user kept out of a workspace they did not
//! sign in to, altered and expired cookies, and `forwarded` mode's trusted addresses.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Method, Request, StatusCode};
use axum::Router;
use common::*;
use serde_json::json;
use serving_console_server::auth::cookie::{now_s, SealKey};
use serving_console_server::auth::session::Session;
use serving_console_server::auth::SignIn;
use serving_console_server::emulator::clock::Clock;
use serving_console_server::proxy::{self, ProxyConfig};
use serving_console_server::workspaces::{SignInSpec, WorkspaceSpec, WorkspacesSpec};
use serving_console_server::{multi_app, workspace_id, AppState, EmulatorConfig, Seed};
use std::net::SocketAddr;

const KEY: [u8; 32] = [9; 32];
const HOST: &str = "127.0.0.1:8080";
const ALICE: &str = "4810075283746522";
const VERA: &str = "4810075283746544";

/// Two emulated workspaces (strict auth, frozen clock, `ttl` s tokens) on loopback.
async fn emulator(ttl: u64) -> (Router, Vec<AppState>, String) {
    let mut ws = Vec::new();
    for k in 0..2 {
        let id = workspace_id(k);
        let config = EmulatorConfig {
            base_path: format!("/w/{id}"),
            strict_auth: true,
            token_ttl_secs: ttl,
            ..config()
        };
        let seed = Seed::default_seed().unwrap().for_workspace(k);
        ws.push((id, AppState::with_clock(config, seed, Clock::frozen_at(T0))));
    }
    let states = ws.iter().map(|(_, s)| s.clone()).collect();
    let router = multi_app(ws, None);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let served = router.clone();
    tokio::spawn(async move {
        let _ = axum::serve(listener, served).await;
    });
    (router, states, format!("http://{addr}"))
}

fn spec(base: &str, dev: SignInSpec) -> WorkspacesSpec {
    let oauth = SignInSpec::OAuth {
        client_id: "serving-console".into(),
        client_secret: None,
    };
    WorkspacesSpec {
        workspaces: vec![
            WorkspaceSpec {
                id: "dev".into(),
                name: "Development".into(),
                host: format!("{base}/w/dev"),
                sign_in: dev,
            },
            WorkspaceSpec {
                id: "staging".into(),
                name: "Staging".into(),
                host: format!("{base}/w/staging"),
                sign_in: oauth,
            },
        ],
        mounted: true,
        ..Default::default()
    }
}

fn oauth() -> SignInSpec {
    SignInSpec::OAuth {
        client_id: "serving-console".into(),
        client_secret: None,
    }
}

/// A proxy replica over `base` whose cookie key is `key`.
fn replica(base: &str, key: [u8; 32]) -> Router {
    let sign_in = SignIn::from_spec(
        spec(base, oauth()),
        Some(SealKey::from_bytes(&key).unwrap()),
    )
    .unwrap();
    proxy::app(ProxyConfig::with_sign_in(sign_in)).unwrap()
}

fn browser(method: Method, uri: &str, cookie: Option<&str>) -> Request<Body> {
    let mut b = Request::builder()
        .method(method)
        .uri(uri)
        .header("host", HOST)
        .header("sec-fetch-site", "same-origin");
    if let Some(c) = cookie {
        b = b.header("cookie", c);
    }
    b.body(Body::empty()).unwrap()
}

/// `name=value` of a `Set-Cookie` answer.
fn cookie_pair(r: &Resp, prefix: &str) -> Option<String> {
    r.headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with(prefix))
        .map(|c| c.split(';').next().unwrap().to_string())
}

/// Sign in to workspace `ws` as `scim_id` through `proxy`; the session cookie (`name=value`).
async fn sign_in(proxy: &Router, emu: &Router, ws: &str, scim_id: &str) -> String {
    let login = send(
        proxy,
        browser(
            Method::GET,
            &format!("/auth/login?workspace={ws}&return=/w/{ws}/endpoints"),
            None,
        ),
    )
    .await;
    assert_eq!(login.status, StatusCode::SEE_OTHER, "{}", login.text());
    let login_cookie = cookie_pair(&login, &format!("sc_login_{ws}=")).unwrap();
    let location = login.header("location").unwrap();
    assert!(
        location.contains(&format!("/w/{ws}/oidc/v1/authorize?")),
        "{location}"
    );
    assert!(location.contains("code_challenge_method=S256"));
    let (_, query) = location.split_once('?').unwrap();
    let mut pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap();
    assert!(pairs
        .iter()
        .any(|(k, v)| k == "redirect_uri" && v == "http://127.0.0.1:8080/auth/callback"));
    pairs.push(("principal".into(), scim_id.into()));
    let picked = send(
        emu,
        Request::post(format!("/w/{ws}/oidc/v1/authorize"))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("sec-fetch-site", "same-origin")
            .body(Body::from(serde_urlencoded::to_string(&pairs).unwrap()))
            .unwrap(),
    )
    .await;
    assert_eq!(picked.status, StatusCode::SEE_OTHER, "{}", picked.text());
    let back = picked.header("location").unwrap();
    let path = back.strip_prefix("http://127.0.0.1:8080").unwrap();
    let done = send(proxy, browser(Method::GET, path, Some(&login_cookie))).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text());
    assert_eq!(
        done.header("location").as_deref(),
        Some(&*format!("/w/{ws}/endpoints"))
    );
    assert!(!done.text().contains("emu-"), "no token in the page");
    let set: Vec<String> = done
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect();
    let session = set
        .iter()
        .find(|c| c.starts_with(&format!("sc_ws_{ws}=")))
        .unwrap();
    for flag in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(session.contains(flag), "{session}");
    }
    assert!(!session.contains("emu-oauth-"), "the token is sealed");
    session.split(';').next().unwrap().to_string()
}

async fn me(proxy: &Router, ws: &str, cookie: Option<&str>) -> Resp {
    send(
        proxy,
        browser(
            Method::GET,
            &format!("/w/{ws}/api/2.0/preview/scim/v2/Me"),
            cookie,
        ),
    )
    .await
}

#[tokio::test]
async fn two_users_act_as_themselves_across_two_replicas() {
    let (emu, _, base) = emulator(3600).await;
    let a = replica(&base, KEY);
    let b = replica(&base, KEY);
    let alice = sign_in(&a, &emu, "dev", ALICE).await;
    let vera = sign_in(&b, &emu, "dev", VERA).await;
    for proxy in [&a, &b] {
        let r = me(proxy, "dev", Some(&alice)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert_eq!(r.json()["userName"], "alice.chen@contoso.com");
        assert_eq!(
            me(proxy, "dev", Some(&vera)).await.json()["userName"],
            "vera.view@contoso.com"
        );
    }
    // Each sees their own permissions: vera cannot read what alice manages.
    let list = |c: &str| browser(Method::GET, "/w/dev/api/2.0/serving-endpoints", Some(c));
    let alice_list = names(&send(&a, list(&alice)).await.json());
    let vera_list = names(&send(&a, list(&vera)).await.json());
    assert!(
        vera_list.len() < alice_list.len(),
        "{alice_list:?} {vera_list:?}"
    );

    // A replica with another key refuses the cookie and says to sign in again.
    let c = replica(&base, [1; 32]);
    let r = me(&c, "dev", Some(&alice)).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.json()["error_code"], "UNAUTHENTICATED");
    assert!(r.json()["message"].as_str().unwrap().contains("Sign in"));
    assert!(
        cookie_pair(&r, "sc_ws_dev=").is_some(),
        "the bad cookie is removed"
    );
}

#[tokio::test]
async fn a_session_is_for_one_workspace_and_new_at_each_sign_in() {
    let (emu, _, base) = emulator(3600).await;
    let p = replica(&base, KEY);
    let alice = sign_in(&p, &emu, "dev", ALICE).await;
    let r = me(&p, "staging", Some(&alice)).await;
    assert_eq!(
        r.status,
        StatusCode::UNAUTHORIZED,
        "not signed in to staging"
    );
    assert!(me(&p, "staging", None).await.status == StatusCode::UNAUTHORIZED);
    // Renamed to staging's cookie, dev's session does not open either.
    let renamed = alice.replacen("sc_ws_dev=", "sc_ws_staging=", 1);
    assert_eq!(
        me(&p, "staging", Some(&renamed)).await.status,
        StatusCode::UNAUTHORIZED
    );

    let again = sign_in(&p, &emu, "dev", ALICE).await;
    let sid = |c: &str| {
        let (name, value) = c.split_once('=').unwrap();
        let plain = SealKey::from_bytes(&KEY)
            .unwrap()
            .open(name, value, now_s())
            .unwrap();
        serde_json::from_slice::<Session>(&plain).unwrap().sid
    };
    assert_ne!(
        sid(&alice),
        sid(&again),
        "a new session id at every sign-in"
    );
}

#[tokio::test]
async fn sign_out_forgets_the_session_and_refuses_cross_site_requests() {
    let (emu, _, base) = emulator(3600).await;
    let p = replica(&base, KEY);
    let alice = sign_in(&p, &emu, "dev", ALICE).await;
    let mut forged = browser(Method::POST, "/auth/logout?workspace=dev", Some(&alice));
    forged
        .headers_mut()
        .insert("sec-fetch-site", "cross-site".parse().unwrap());
    assert_eq!(send(&p, forged).await.status, StatusCode::FORBIDDEN);
    let out = send(
        &p,
        browser(Method::POST, "/auth/logout?workspace=dev", Some(&alice)),
    )
    .await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    let cleared = out
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("sc_ws_dev="))
        .unwrap();
    assert!(
        cleared.starts_with("sc_ws_dev=;") && cleared.contains("Max-Age=0"),
        "{cleared}"
    );
}

#[tokio::test]
async fn altered_and_expired_cookies_are_refused_with_a_sign_in_answer() {
    let (emu, _, base) = emulator(3600).await;
    let p = replica(&base, KEY);
    let alice = sign_in(&p, &emu, "dev", ALICE).await;
    let mut bytes = alice.into_bytes();
    let last = bytes.len() - 2;
    bytes[last] = if bytes[last] == b'A' { b'B' } else { b'A' };
    let altered = String::from_utf8(bytes).unwrap();
    let r = me(&p, "dev", Some(&altered)).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.json()["message"].as_str().unwrap().contains("not valid"));

    let key = SealKey::from_bytes(&KEY).unwrap();
    let old = Session {
        sid: "s".into(),
        access: "emu-oauth-x".into(),
        refresh: None,
        access_expires_s: now_s() - 10,
        ends_s: now_s() - 1,
    };
    // Sealed with an expiry in the past (as a cookie kept beyond its life would be).
    let name = "sc_ws_dev";
    let sealed = key
        .seal(name, &serde_json::to_vec(&old).unwrap(), now_s() - 1)
        .unwrap();
    let r = me(&p, "dev", Some(&format!("{name}={sealed}"))).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.json()["message"].as_str().unwrap().contains("expired"));
}

#[tokio::test]
async fn access_tokens_are_refreshed_and_a_workspace_401_signs_out() {
    // 30 s tokens: within the proxy's one-minute margin, so every call refreshes first.
    let (emu, states, base) = emulator(30).await;
    let p = replica(&base, KEY);
    let alice = sign_in(&p, &emu, "dev", ALICE).await;
    // The emulated clock passes the token's life: the old access token is dead upstream.
    states[0].with_clock_mut(|c| c.advance_ms(31_000));
    let r = me(&p, "dev", Some(&alice)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["userName"], "alice.chen@contoso.com");
    let renewed = cookie_pair(&r, "sc_ws_dev=").unwrap();
    assert_ne!(renewed, alice);
    assert!(!r.text().contains("emu-oauth-"));

    // The workspace answers 401: the console is told so and the cookie is removed.
    post(
        &emu,
        "/w/dev/__emulator/faults",
        json!({"path": "/api/2.0/preview/scim/v2/Me", "times": 1, "fault": {"kind": "status", "status": 401}}),
    )
    .await;
    let r = me(&p, "dev", Some(&renewed)).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let cleared = cookie_pair(&r, "sc_ws_dev=").unwrap();
    assert_eq!(cleared, "sc_ws_dev=");
}

#[tokio::test]
async fn a_forwarded_token_is_taken_only_from_a_trusted_address() {
    let (_emu, _, base) = emulator(3600).await;
    let forwarded = SignInSpec::Forwarded {
        trusted: vec!["10.0.0.5".parse().unwrap()],
    };
    let sign_in = SignIn::from_spec(
        spec(&base, forwarded),
        Some(SealKey::from_bytes(&KEY).unwrap()),
    )
    .unwrap();
    let p = proxy::app(ProxyConfig::with_sign_in(sign_in)).unwrap();
    let from = |ip: &str| {
        let mut r = browser(Method::GET, "/w/dev/api/2.0/preview/scim/v2/Me", None);
        r.headers_mut()
            .insert("x-forwarded-access-token", ADMIN.parse().unwrap());
        r.extensions_mut()
            .insert(ConnectInfo(SocketAddr::new(ip.parse().unwrap(), 5000)));
        r
    };
    let forged = send(&p, from("127.0.0.1")).await;
    assert_eq!(forged.status, StatusCode::UNAUTHORIZED, "{}", forged.text());
    let trusted = send(&p, from("10.0.0.5")).await;
    assert_eq!(trusted.status, StatusCode::OK, "{}", trusted.text());
    assert_eq!(trusted.json()["userName"], "admin@example.com");
}

#[tokio::test]
async fn unknown_workspaces_and_cross_site_writes_are_refused_per_workspace() {
    let (emu, _, base) = emulator(3600).await;
    let p = replica(&base, KEY);
    let r = send(
        &p,
        browser(Method::GET, "/w/nope/api/2.0/serving-endpoints", None),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = send(&p, browser(Method::GET, "/api/2.0/serving-endpoints", None)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let alice = sign_in(&p, &emu, "dev", ALICE).await;
    let mut write = browser(
        Method::POST,
        "/w/dev/api/2.0/serving-endpoints/fraud-detector-prod/config:stop",
        Some(&alice),
    );
    write
        .headers_mut()
        .insert("sec-fetch-site", "cross-site".parse().unwrap());
    assert_eq!(send(&p, write).await.status, StatusCode::FORBIDDEN);
    let r = send(
        &p,
        browser(Method::GET, "/w/dev/api/2.0/secrets/list", Some(&alice)),
    )
    .await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "the allow-list holds per workspace"
    );
}

#[tokio::test]
async fn a_service_token_workspace_can_use_oauth_m2m() {
    use serving_console_server::emulator::oidc::SP_CLIENT_SECRET;
    use serving_console_server::emulator::principals::SP_APPLICATION_ID;
    use serving_console_server::workspaces::{Credentials, Secret};
    let (_emu, _, base) = emulator(3600).await;
    let m2m = SignInSpec::ServiceToken(Credentials::ClientCredentials {
        client_id: SP_APPLICATION_ID.into(),
        client_secret: Secret(SP_CLIENT_SECRET.into()),
    });
    let sign_in =
        SignIn::from_spec(spec(&base, m2m), Some(SealKey::from_bytes(&KEY).unwrap())).unwrap();
    let p = proxy::app(ProxyConfig::with_sign_in(sign_in)).unwrap();
    for _ in 0..2 {
        let r = me(&p, "dev", None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert_eq!(r.json()["userName"], SP_APPLICATION_ID);
    }
}

#[tokio::test]
async fn config_json_tells_the_console_the_workspaces_and_this_browsers_sign_ins() {
    let (emu, _, base) = emulator(3600).await;
    let p = replica(&base, KEY);
    let before = send(&p, browser(Method::GET, "/config.json", None)).await;
    assert_eq!(before.header("cache-control").as_deref(), Some("no-store"));
    let v = before.json();
    assert_eq!(v["workspaces"][0]["id"], "dev");
    assert_eq!(v["workspaces"][0]["path"], "/w/dev");
    assert_eq!(v["workspaces"][0]["sign_in"], "oauth");
    assert_eq!(v["workspaces"][0]["signed_in"], false);
    let alice = sign_in(&p, &emu, "dev", ALICE).await;
    let v = send(&p, browser(Method::GET, "/config.json", Some(&alice)))
        .await
        .json();
    assert_eq!(v["workspaces"][0]["signed_in"], true);
    assert_eq!(v["workspaces"][1]["signed_in"], false);
    assert!(!v.to_string().contains("emu-"), "no token in config.json");
}
