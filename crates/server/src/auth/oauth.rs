//! `oauth` sign-in: each user signs in to each workspace with the workspace's own OAuth
//! (authorization code + PKCE `S256`), through the console's OAuth app connection.
//!
//! - `GET /auth/login?workspace={id}&return={path}`: a fresh verifier and `state`, kept in the
//!   sealed `sc_login_{id}` cookie; redirect to the workspace's `authorization_endpoint`
//!   (discovered from `{host}/oidc/.well-known/oauth-authorization-server`).
//! - `GET /auth/callback?code=…&state=…`: the `state` must match the cookie's (CSRF); the code is
//!   redeemed with the verifier at the `token_endpoint` (server to server); the tokens go into a
//!   new sealed session cookie with a fresh session id; redirect to the page the user was on.
//! - `POST /auth/logout?workspace={id}` (same-origin only; without `workspace`: every one):
//!   the session cookies are removed.
//! - API calls: the session's access token is refreshed (refresh token) a minute before it
//!   expires, and the renewed cookie set on that answer; no session, an altered or expired
//!   cookie, a failed refresh or a 401 from the workspace → 401 `UNAUTHENTICATED` telling the
//!   console to sign in again (it keeps the page: `return`), and the cookie is removed.
//!
//! Tokens never reach the browser: not in answers, URLs (only the one-time `code` does, as
//! OAuth requires) or logs.

use super::cookie::now_s;
use super::pkce;
use super::session::{self, CookiePolicy, Login, Session, SessionState, SESSION_TTL_S};
use super::{SignIn, Workspace};
use crate::html::escape as html_escape;
use crate::proxy::{HttpClient, Upstream};
use crate::workspaces::Secret;
use axum::body::Bytes;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use http_body_util::{BodyExt, Full, Limited};
use serde::Deserialize;
use std::time::Duration;

/// The console's OAuth app connection for a workspace.
#[derive(Debug)]
pub struct OAuthClient {
    pub client_id: String,
    pub client_secret: Option<Secret>,
}

/// The two endpoints a client needs.
#[derive(Debug, Clone, Deserialize)]
pub struct Endpoints {
    pub authorization_endpoint: String,
    pub token_endpoint: String,
}

/// A token answer (RFC 6749 §5.1).
#[derive(Deserialize)]
pub struct TokenAnswer {
    pub access_token: String,
    #[serde(default)]
    pub refresh_token: Option<String>,
    #[serde(default)]
    pub expires_in: Option<u64>,
}

const CALL_TIMEOUT: Duration = Duration::from_secs(30);
const MAX_ANSWER: usize = 1024 * 1024;

async fn call(
    client: &HttpClient,
    req: hyper::Request<Full<Bytes>>,
) -> Result<(StatusCode, Bytes), String> {
    let res = tokio::time::timeout(CALL_TIMEOUT, client.request(req))
        .await
        .map_err(|_| "the workspace did not answer in time".to_string())?
        .map_err(|_| "the workspace could not be reached".to_string())?;
    let status = res.status();
    let body = tokio::time::timeout(
        CALL_TIMEOUT,
        Limited::new(res.into_body(), MAX_ANSWER).collect(),
    )
    .await
    .map_err(|_| "the workspace's answer did not arrive in time".to_string())?
    .map_err(|_| "the workspace's answer was cut off or too large".to_string())?
    .to_bytes();
    Ok((status, body))
}

/// The workspace's OAuth endpoints, from `{host}/oidc/.well-known/oauth-authorization-server`.
/// Both must be on the workspace's own host (an answer pointing elsewhere is refused).
pub async fn discover(client: &HttpClient, upstream: &Upstream) -> Result<Endpoints, String> {
    let url = upstream
        .url("/oidc/.well-known/oauth-authorization-server")
        .map_err(|_| "bad workspace URL".to_string())?;
    let mut req = hyper::Request::new(Full::new(Bytes::new()));
    *req.uri_mut() = url;
    req.headers_mut()
        .insert(header::ACCEPT, HeaderValue::from_static("application/json"));
    let (status, body) = call(client, req).await?;
    if !status.is_success() {
        return Err(format!(
            "the workspace's OAuth discovery answered {}",
            status.as_u16()
        ));
    }
    let e: Endpoints = serde_json::from_slice(&body)
        .map_err(|_| "the workspace's OAuth discovery document is malformed".to_string())?;
    let origin = upstream.origin();
    for u in [&e.authorization_endpoint, &e.token_endpoint] {
        if !u.starts_with(&format!("{origin}/")) {
            return Err("the workspace's OAuth endpoints are not on the workspace's host".into());
        }
    }
    Ok(e)
}

/// POST a token request (form body); `basic`: client authentication.
pub async fn token_request(
    client: &HttpClient,
    token_endpoint: &str,
    form: &[(&str, &str)],
    basic: Option<(&str, &str)>,
) -> Result<TokenAnswer, String> {
    let uri: Uri = token_endpoint
        .parse()
        .map_err(|_| "bad token endpoint".to_string())?;
    let body = serde_urlencoded::to_string(form).map_err(|_| "bad form".to_string())?;
    let mut req = hyper::Request::new(Full::new(Bytes::from(body)));
    *req.method_mut() = Method::POST;
    *req.uri_mut() = uri;
    let h = req.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/x-www-form-urlencoded"),
    );
    h.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
    if let Some((id, secret)) = basic {
        let b = base64::engine::general_purpose::STANDARD.encode(format!("{id}:{secret}"));
        let mut v = HeaderValue::from_str(&format!("Basic {b}"))
            .map_err(|_| "bad client credentials".to_string())?;
        v.set_sensitive(true);
        h.insert(header::AUTHORIZATION, v);
    }
    let (status, body) = call(client, req).await?;
    if !status.is_success() {
        // OAuth's error shape; only the code is kept (the description may echo input).
        let code = serde_json::from_slice::<serde_json::Value>(&body)
            .ok()
            .and_then(|v| v.get("error").and_then(|e| e.as_str()).map(str::to_string))
            .unwrap_or_else(|| format!("HTTP {}", status.as_u16()));
        return Err(code.chars().take(64).collect());
    }
    let answer: TokenAnswer = serde_json::from_slice(&body)
        .map_err(|_| "the workspace's token answer is malformed".to_string())?;
    if answer.access_token.is_empty() || !answer.access_token.bytes().all(|b| b.is_ascii_graphic())
    {
        return Err("the workspace's access token is unusable".into());
    }
    Ok(answer)
}

/// A same-origin path to return to after sign-in (anything else: `/`).
pub fn safe_return(r: Option<&str>) -> String {
    match r {
        Some(p)
            if p.starts_with('/')
                && !p.starts_with("//")
                && !p.contains('\\')
                && p.bytes().all(|b| b.is_ascii_graphic()) =>
        {
            p.to_string()
        }
        _ => "/".to_string(),
    }
}

/// A plain page for the browser (sign-in problems), every value escaped.
pub fn page(status: StatusCode, message: &str, again: Option<&str>) -> Response {
    let link = again
        .map(|href| format!("<p><a href=\"{}\">Sign in again</a></p>", html_escape(href)))
        .unwrap_or_default();
    let html = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sign-in · Serving Console</title></head>\
         <body><main><h1>Sign-in</h1><p role=\"alert\">{}</p>{link}</main></body></html>\n",
        html_escape(message)
    );
    let mut res = (status, html).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

fn redirect(location: &str, cookies: Vec<HeaderValue>) -> Response {
    let mut res = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(location) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    for c in cookies {
        res.headers_mut().append(header::SET_COOKIE, c);
    }
    res
}

/// `{scheme}://{host}` users reach this proxy at: `public_url`, or the request's `Host` (already
/// checked against the allow-list) with `http` on loopback and `https` elsewhere.
pub fn public_origin(sign_in: &SignIn, headers: &HeaderMap) -> String {
    if let Some(u) = &sign_in.public_url {
        return u.trim_end_matches('/').to_string();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let scheme = if is_loopback_host(host) {
        "http"
    } else {
        "https"
    };
    format!("{scheme}://{host}")
}

/// Is `authority` (`host[:port]`) a loopback name or address?
pub fn is_loopback_host(authority: &str) -> bool {
    let host = match authority.rsplit_once(':') {
        Some((h, p)) if p.bytes().all(|b| b.is_ascii_digit()) && !h.ends_with(':') => h,
        _ => authority,
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .map(|ip| ip.is_loopback())
            .unwrap_or(false)
}

/// Cookies are `Secure` unless the console is reached over plain http.
pub fn cookie_policy(sign_in: &SignIn, headers: &HeaderMap) -> CookiePolicy {
    CookiePolicy {
        secure: public_origin(sign_in, headers).starts_with("https://"),
    }
}

fn query_param(uri: &Uri, name: &str) -> Option<String> {
    let q = uri.query()?;
    serde_urlencoded::from_str::<Vec<(String, String)>>(q)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

/// `GET /auth/login`.
pub async fn login(
    sign_in: &SignIn,
    client: &HttpClient,
    uri: &Uri,
    headers: &HeaderMap,
) -> Response {
    let id = query_param(uri, "workspace").unwrap_or_default();
    let Some(ws) = sign_in.workspace(&id) else {
        return page(StatusCode::NOT_FOUND, "There is no such workspace.", None);
    };
    let super::Mode::OAuth(app) = &ws.mode else {
        return page(
            StatusCode::BAD_REQUEST,
            "This workspace does not use OAuth sign-in.",
            None,
        );
    };
    let Some(key) = &sign_in.key else {
        return page(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Sign-in is not set up.",
            None,
        );
    };
    let return_to = safe_return(query_param(uri, "return").as_deref());
    let endpoints = match ws.endpoints(client).await {
        Ok(e) => e,
        Err(e) => {
            tracing::warn!(workspace = %ws.id, "OAuth discovery failed: {e}");
            return page(
                StatusCode::BAD_GATEWAY,
                &format!(
                    "The workspace {} cannot sign you in right now ({e}).",
                    ws.name
                ),
                None,
            );
        }
    };
    let (Some(verifier), Some(nonce)) = (pkce::verifier(), pkce::state()) else {
        return page(
            StatusCode::INTERNAL_SERVER_ERROR,
            "No randomness available.",
            None,
        );
    };
    let state = format!("{}.{nonce}", ws.id);
    let policy = cookie_policy(sign_in, headers);
    let redirect_uri = format!("{}/auth/callback", public_origin(sign_in, headers));
    let login = Login {
        state: state.clone(),
        verifier: verifier.clone(),
        return_to,
    };
    let Some(cookie) = policy.set_login(key, &ws.id, &login) else {
        return page(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Sign-in could not start.",
            None,
        );
    };
    let q = serde_urlencoded::to_string([
        ("client_id", app.client_id.as_str()),
        ("redirect_uri", redirect_uri.as_str()),
        ("response_type", "code"),
        ("state", state.as_str()),
        ("code_challenge", pkce::challenge(&verifier).as_str()),
        ("code_challenge_method", "S256"),
        ("scope", "all-apis offline_access"),
    ])
    .unwrap_or_default();
    let sep = if endpoints.authorization_endpoint.contains('?') {
        '&'
    } else {
        '?'
    };
    redirect(
        &format!("{}{sep}{q}", endpoints.authorization_endpoint),
        vec![cookie],
    )
}

/// `GET /auth/callback`.
pub async fn callback(
    sign_in: &SignIn,
    client: &HttpClient,
    uri: &Uri,
    headers: &HeaderMap,
) -> Response {
    let state = query_param(uri, "state").unwrap_or_default();
    let id = state.split_once('.').map(|(id, _)| id).unwrap_or("");
    let Some(ws) = sign_in.workspace(id) else {
        return page(
            StatusCode::BAD_REQUEST,
            "This sign-in is not one this console started.",
            None,
        );
    };
    let again = format!("/auth/login?workspace={}", ws.id);
    let (super::Mode::OAuth(app), Some(key)) = (&ws.mode, &sign_in.key) else {
        return page(
            StatusCode::BAD_REQUEST,
            "This workspace does not use OAuth sign-in.",
            None,
        );
    };
    let policy = cookie_policy(sign_in, headers);
    let Some(login) = session::login_of(headers, key, policy, &ws.id) else {
        return page(
            StatusCode::BAD_REQUEST,
            "This sign-in has expired or was started in another browser.",
            Some(&again),
        );
    };
    let again = format!(
        "/auth/login?{}",
        serde_urlencoded::to_string([
            ("workspace", ws.id.as_str()),
            ("return", login.return_to.as_str())
        ])
        .unwrap_or_default()
    );
    if !pkce::same(&login.state, &state) {
        return page(
            StatusCode::BAD_REQUEST,
            "This sign-in's state does not match.",
            Some(&again),
        );
    }
    if let Some(err) = query_param(uri, "error") {
        let err: String = err.chars().take(64).collect();
        return page(
            StatusCode::FORBIDDEN,
            &format!("The workspace did not sign you in ({err})."),
            Some(&again),
        );
    }
    let Some(code) = query_param(uri, "code") else {
        return page(
            StatusCode::BAD_REQUEST,
            "The workspace sent no code.",
            Some(&again),
        );
    };
    let redirect_uri = format!("{}/auth/callback", public_origin(sign_in, headers));
    let answer = match ws.endpoints(client).await {
        Ok(e) => {
            let mut form = vec![
                ("grant_type", "authorization_code"),
                ("code", code.as_str()),
                ("redirect_uri", redirect_uri.as_str()),
                ("code_verifier", login.verifier.as_str()),
            ];
            let basic = app
                .client_secret
                .as_ref()
                .map(|s| (app.client_id.as_str(), s.0.as_str()));
            if basic.is_none() {
                form.push(("client_id", app.client_id.as_str()));
            }
            token_request(client, &e.token_endpoint, &form, basic).await
        }
        Err(e) => Err(e),
    };
    let answer = match answer {
        Ok(a) => a,
        Err(e) => {
            tracing::warn!(workspace = %ws.id, "sign-in: code exchange failed: {e}");
            return page(
                StatusCode::BAD_GATEWAY,
                &format!("The workspace refused the sign-in ({e})."),
                Some(&again),
            );
        }
    };
    let Some(sid) = pkce::state() else {
        return page(
            StatusCode::INTERNAL_SERVER_ERROR,
            "No randomness available.",
            None,
        );
    };
    let now = now_s();
    let s = Session {
        sid,
        access: answer.access_token,
        refresh: answer.refresh_token,
        access_expires_s: now + answer.expires_in.unwrap_or(3600),
        ends_s: now + SESSION_TTL_S,
    };
    let mut cookies = Vec::new();
    match policy.set_session(key, &ws.id, &s) {
        Some(c) => cookies.push(c),
        None => {
            return page(
                StatusCode::INTERNAL_SERVER_ERROR,
                "The session could not be kept.",
                None,
            )
        }
    }
    cookies.extend(policy.clear_login(&ws.id));
    tracing::info!(workspace = %ws.id, "signed in");
    redirect(&login.return_to, cookies)
}

/// `POST /auth/logout[?workspace=id]`.
pub fn logout(sign_in: &SignIn, uri: &Uri, headers: &HeaderMap) -> Response {
    let policy = cookie_policy(sign_in, headers);
    let which = query_param(uri, "workspace");
    let mut res = StatusCode::NO_CONTENT.into_response();
    for ws in &sign_in.workspaces {
        if which.as_deref().is_none_or(|w| w == ws.id) {
            if let Some(c) = policy.clear_session(&ws.id) {
                res.headers_mut().append(header::SET_COOKIE, c);
            }
        }
    }
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// Is the request signed in to `ws`? (for the console's `config.json`).
pub fn signed_in(sign_in: &SignIn, ws: &Workspace, headers: &HeaderMap) -> bool {
    match (&ws.mode, &sign_in.key) {
        (super::Mode::OAuth(_), Some(key)) => matches!(
            session::session_of(headers, key, cookie_policy(sign_in, headers), &ws.id),
            SessionState::Valid(_)
        ),
        _ => true,
    }
}

/// A `401 UNAUTHENTICATED` telling the console to sign in to `ws` again, with the session
/// cookie removed.
pub fn sign_in_again(sign_in: &SignIn, ws: &Workspace, headers: &HeaderMap, why: &str) -> Response {
    let body = serde_json::json!({
        "error_code": "UNAUTHENTICATED",
        "message": format!("{why} Sign in to the workspace {} again.", ws.name),
    });
    let mut res = (StatusCode::UNAUTHORIZED, body.to_string()).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if let Some(c) = cookie_policy(sign_in, headers).clear_session(&ws.id) {
        h.append(header::SET_COOKIE, c);
    }
    res
}

/// The bearer for an API call in oauth mode, refreshing first when due; with the renewed
/// cookie to set. Errors are the answer to send.
pub async fn bearer(
    sign_in: &SignIn,
    client: &HttpClient,
    ws: &Workspace,
    app: &OAuthClient,
    headers: &HeaderMap,
) -> Result<(HeaderValue, Option<HeaderValue>), Response> {
    let Some(key) = &sign_in.key else {
        return Err(sign_in_again(
            sign_in,
            ws,
            headers,
            "Sign-in is not set up.",
        ));
    };
    let policy = cookie_policy(sign_in, headers);
    let mut s = match session::session_of(headers, key, policy, &ws.id) {
        SessionState::Valid(s) => s,
        SessionState::None => {
            return Err(sign_in_again(
                sign_in,
                ws,
                headers,
                "You are not signed in.",
            ))
        }
        SessionState::Refused(super::cookie::Refused::Expired) => {
            return Err(sign_in_again(
                sign_in,
                ws,
                headers,
                "Your session has expired.",
            ))
        }
        SessionState::Refused(super::cookie::Refused::Invalid) => {
            tracing::info!(workspace = %ws.id, "refused: session cookie not valid");
            return Err(sign_in_again(
                sign_in,
                ws,
                headers,
                "Your session cookie is not valid here.",
            ));
        }
    };
    let now = now_s();
    let mut renewed = None;
    if s.needs_refresh(now) {
        let Some(refresh) = s.refresh.clone() else {
            return Err(sign_in_again(
                sign_in,
                ws,
                headers,
                "Your sign-in has expired.",
            ));
        };
        let answer = match ws.endpoints(client).await {
            Ok(e) => {
                let mut form = vec![
                    ("grant_type", "refresh_token"),
                    ("refresh_token", refresh.as_str()),
                ];
                let basic = app
                    .client_secret
                    .as_ref()
                    .map(|x| (app.client_id.as_str(), x.0.as_str()));
                if basic.is_none() {
                    form.push(("client_id", app.client_id.as_str()));
                }
                token_request(client, &e.token_endpoint, &form, basic).await
            }
            Err(e) => Err(e),
        };
        match answer {
            Ok(a) => {
                s.access = a.access_token;
                if a.refresh_token.is_some() {
                    s.refresh = a.refresh_token;
                }
                s.access_expires_s = now + a.expires_in.unwrap_or(3600);
                renewed = policy.set_session(key, &ws.id, &s);
                tracing::info!(workspace = %ws.id, "access token refreshed");
            }
            Err(e) => {
                tracing::info!(workspace = %ws.id, "refresh failed: {e}");
                return Err(sign_in_again(
                    sign_in,
                    ws,
                    headers,
                    "Your sign-in could not be renewed.",
                ));
            }
        }
    }
    let mut h = HeaderValue::from_str(&format!("Bearer {}", s.access)).map_err(|_| {
        sign_in_again(
            sign_in,
            ws,
            headers,
            "Your session holds an unusable token.",
        )
    })?;
    h.set_sensitive(true);
    Ok((h, renewed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn returns_stay_on_this_site() {
        assert_eq!(
            safe_return(Some("/w/dev/endpoints/a?x=1")),
            "/w/dev/endpoints/a?x=1"
        );
        for bad in [
            "//evil.example/",
            "https://evil.example/",
            "/\\evil",
            "",
            "/a b",
        ] {
            assert_eq!(safe_return(Some(bad)), "/", "{bad}");
        }
        assert_eq!(safe_return(None), "/");
    }

    #[test]
    fn loopback_hosts() {
        assert!(is_loopback_host("127.0.0.1:8080"));
        assert!(is_loopback_host("localhost"));
        assert!(is_loopback_host("[::1]:80"));
        assert!(!is_loopback_host("console.example.com"));
        assert!(!is_loopback_host("10.0.0.1:80"));
    }
}
