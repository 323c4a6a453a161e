//! The workspace's OAuth server, as the Databricks SDKs and the console's proxy use it:
//!
//! - `GET {host}/oidc/.well-known/oauth-authorization-server`: RFC 8414 metadata. The SDKs read
//!   `authorization_endpoint` and `token_endpoint` from it (sdk-py `oauth.get_workspace_endpoints`,
//!   reached through `/.well-known/databricks-config`'s `oidc_endpoint`); CONFIRMED by the SDK.
//! - `GET /oidc/v1/authorize?client_id=…&redirect_uri=…&response_type=code&state=…&code_challenge=…&code_challenge_method=S256`:
//!   a small sign-in page listing the emulator's users ([`IDENTITIES`]); every value
//!   on it is escaped. `POST /oidc/v1/authorize` (the page's form, same-origin only) picks one and
//!   redirects (303) to `redirect_uri?code=…&state=…`.
//! - `POST /oidc/v1/token` (form body): `authorization_code` (single use, 10 minutes, PKCE S256
//!   checked, `redirect_uri` must repeat the one authorized), `refresh_token`, and
//!   `client_credentials` for the service principal (HTTP Basic or `client_id`/`client_secret`
//!   in the body, as sdk-py sends them). Errors in OAuth's own shape (RFC 6749 §5.2):
//!   `{"error":"invalid_grant","error_description":"…"}`.
//!
//! Access tokens expire after `token_ttl_secs` on the emulated clock and then get 401 like any
//! unknown token. Real workspace tokens are JWTs; ours are opaque random strings (`emu-oauth-…`),
//! which clients treat the same way (they never parse them). Refresh tokens are not rotated
//! (UNCONFIRMED what a workspace does; the SDKs accept either).
//!
//! The OAuth clients (README "Sign-in and workspaces"):
//!
//! | client | `client_id` | `client_secret` | grants |
//! |---|---|---|---|
//! | the console (OAuth app connection, public, PKCE) | [`CONSOLE_CLIENT_ID`] | none | `authorization_code`, `refresh_token` |
//! | service principal `sp-fraud-gateway` (M2M) | [`super::principals::SP_APPLICATION_ID`] | [`SP_CLIENT_SECRET`] | `client_credentials` |

use super::principals::{Identity, IdentityKind, IDENTITIES};
use super::state::AppState;
use crate::emulator::routes::openapi::base_url;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use base64::Engine;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Client id of the console's OAuth app connection (a public client: PKCE, no secret).
pub const CONSOLE_CLIENT_ID: &str = "serving-console";
/// Client secret of the service principal `sp-fraud-gateway` (client id: its application id).
/// Databricks OAuth secrets start with `dose`.
pub const SP_CLIENT_SECRET: &str = "dose-emulator-sp-secret";
/// How long an authorization code may be redeemed, ms.
const CODE_TTL_MS: i64 = 10 * 60 * 1000;
/// The scope granted when none is asked for.
const DEFAULT_SCOPE: &str = "all-apis offline_access";

/// A code waiting to be redeemed.
#[derive(Debug, Clone)]
struct AuthCode {
    client_id: String,
    redirect_uri: String,
    challenge: String,
    identity: &'static Identity,
    scope: String,
    expires_ms: i64,
}

#[derive(Debug, Clone)]
struct AccessGrant {
    identity: &'static Identity,
    expires_ms: i64,
}

#[derive(Debug, Clone)]
struct RefreshGrant {
    identity: &'static Identity,
    client_id: String,
    scope: String,
}

/// Codes and tokens issued by this workspace.
#[derive(Debug, Default)]
pub struct OAuthStore {
    codes: HashMap<String, AuthCode>,
    access: HashMap<String, AccessGrant>,
    refresh: HashMap<String, RefreshGrant>,
}

impl OAuthStore {
    /// The principal an OAuth access token stands for, if it is known and not expired at `now_ms`.
    pub fn identity_of(&self, token: &str, now_ms: i64) -> Option<&'static Identity> {
        self.access
            .get(token)
            .filter(|g| g.expires_ms > now_ms)
            .map(|g| g.identity)
    }

    fn issue_access(&mut self, identity: &'static Identity, now_ms: i64, ttl_ms: i64) -> String {
        self.access.retain(|_, g| g.expires_ms > now_ms);
        let token = random_token("emu-oauth-");
        self.access.insert(
            token.clone(),
            AccessGrant {
                identity,
                expires_ms: now_ms.saturating_add(ttl_ms),
            },
        );
        token
    }
}

/// A fresh unguessable token (122 random bits of a v4 UUID, from the OS generator).
fn random_token(prefix: &str) -> String {
    format!("{prefix}{}", uuid::Uuid::new_v4().simple())
}

/// The OIDC routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/oidc/.well-known/oauth-authorization-server",
            get(metadata),
        )
        .route("/oidc/v1/authorize", get(authorize_page).post(authorize))
        .route("/oidc/v1/token", axum::routing::post(token))
}

/// RFC 8414 authorization server metadata.
#[derive(Debug, Serialize)]
pub struct ServerMetadata {
    pub issuer: String,
    pub authorization_endpoint: String,
    pub token_endpoint: String,
    pub response_types_supported: [&'static str; 1],
    pub grant_types_supported: [&'static str; 3],
    pub code_challenge_methods_supported: [&'static str; 1],
    pub token_endpoint_auth_methods_supported: [&'static str; 3],
    pub scopes_supported: [&'static str; 5],
}

/// The metadata of the OIDC root `oidc` (`{base}/oidc`).
pub fn server_metadata(oidc: &str) -> ServerMetadata {
    ServerMetadata {
        issuer: oidc.to_string(),
        authorization_endpoint: format!("{oidc}/v1/authorize"),
        token_endpoint: format!("{oidc}/v1/token"),
        response_types_supported: ["code"],
        grant_types_supported: ["authorization_code", "refresh_token", "client_credentials"],
        code_challenge_methods_supported: ["S256"],
        token_endpoint_auth_methods_supported: [
            "client_secret_basic",
            "client_secret_post",
            "none",
        ],
        scopes_supported: ["all-apis", "offline_access", "openid", "profile", "email"],
    }
}

/// The workspace's own URL: scheme, host and mount path.
pub fn workspace_url(state: &AppState, headers: &HeaderMap) -> String {
    format!("{}{}", base_url(headers), state.config().base_path)
}

async fn metadata(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let oidc = format!("{}/oidc", workspace_url(&state, &headers));
    crate::error::json_response(&server_metadata(&oidc))
}

/// The query of `/oidc/v1/authorize` (and the hidden fields of its form).
#[derive(Debug, Default, Clone, Deserialize)]
pub struct AuthorizeParams {
    pub client_id: Option<String>,
    pub redirect_uri: Option<String>,
    pub response_type: Option<String>,
    pub state: Option<String>,
    pub code_challenge: Option<String>,
    pub code_challenge_method: Option<String>,
    pub scope: Option<String>,
    /// POST only: the SCIM id of the user picked.
    pub principal: Option<String>,
}

/// Is `uri` a redirect URL registered for the console's client? Any absolute `http(s)` URL
/// whose path is `…/auth/callback`, without fragment or credentials (the emulator cannot know the
/// address a test proxy listens on; a real app connection lists exact URLs).
pub fn redirect_allowed(client_id: &str, uri: &str) -> bool {
    if client_id != CONSOLE_CLIENT_ID {
        return false;
    }
    let Ok(parsed) = uri.parse::<axum::http::Uri>() else {
        return false;
    };
    matches!(parsed.scheme_str(), Some("http" | "https"))
        && parsed
            .authority()
            .is_some_and(|a| !a.as_str().contains('@'))
        && parsed.path().ends_with("/auth/callback")
        && !uri.contains('#')
}

/// A problem with an authorize request: shown on the page (client or redirect unusable) or
/// sent back to the client on its redirect.
enum AuthorizeError {
    Page(String),
    Redirect {
        redirect_uri: String,
        error: &'static str,
        description: String,
        state: Option<String>,
    },
}

/// The checked parts of an authorize request.
struct Checked {
    client_id: String,
    redirect_uri: String,
    challenge: String,
    scope: String,
    state: Option<String>,
}

fn check(p: &AuthorizeParams) -> Result<Checked, AuthorizeError> {
    let client_id = p.client_id.clone().unwrap_or_default();
    if client_id != CONSOLE_CLIENT_ID {
        return Err(AuthorizeError::Page(format!(
            "Unknown OAuth client {client_id:?}: it is not registered in this workspace."
        )));
    }
    let redirect_uri = p.redirect_uri.clone().unwrap_or_default();
    if !redirect_allowed(&client_id, &redirect_uri) {
        return Err(AuthorizeError::Page(format!(
            "The redirect URL {redirect_uri:?} is not registered for the client {client_id:?}."
        )));
    }
    let fail = |error: &'static str, description: &str| AuthorizeError::Redirect {
        redirect_uri: redirect_uri.clone(),
        error,
        description: description.to_string(),
        state: p.state.clone(),
    };
    if p.response_type.as_deref() != Some("code") {
        return Err(fail(
            "unsupported_response_type",
            "Only response_type=code is supported.",
        ));
    }
    let challenge = p.code_challenge.clone().unwrap_or_default();
    if p.code_challenge_method.as_deref() != Some("S256") || !is_pkce_value(&challenge) {
        return Err(fail(
            "invalid_request",
            "PKCE is required: code_challenge (43 to 128 characters) with code_challenge_method=S256.",
        ));
    }
    let scope = p
        .scope
        .clone()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| DEFAULT_SCOPE.to_string());
    Ok(Checked {
        client_id,
        redirect_uri,
        challenge,
        scope,
        state: p.state.clone(),
    })
}

/// A PKCE verifier or challenge: 43 to 128 characters of `[A-Za-z0-9-._~]` (RFC 7636 §4.1).
pub fn is_pkce_value(s: &str) -> bool {
    (43..=128).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
}

/// The S256 challenge of `verifier`: base64url (no padding) of its SHA-256.
pub fn s256(verifier: &str) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, verifier.as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest.as_ref())
}

/// `base` with `pairs` added to its query.
fn with_query(base: &str, pairs: &[(&str, &str)]) -> String {
    let q = serde_urlencoded::to_string(pairs).unwrap_or_default();
    let sep = if base.contains('?') { '&' } else { '?' };
    format!("{base}{sep}{q}")
}

fn redirect_to(location: &str) -> Response {
    match HeaderValue::from_str(location) {
        Ok(v) => {
            let mut res = StatusCode::SEE_OTHER.into_response();
            res.headers_mut().insert(header::LOCATION, v);
            res.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            res
        }
        Err(_) => html_page(
            StatusCode::BAD_REQUEST,
            "Sign-in failed",
            "<p>The redirect URL cannot be used.</p>",
            None,
        ),
    }
}

fn error_response(e: AuthorizeError) -> Response {
    match e {
        AuthorizeError::Page(message) => html_page(
            StatusCode::BAD_REQUEST,
            "Sign-in failed",
            &format!("<p role=\"alert\">{}</p>", crate::html::escape(&message)),
            None,
        ),
        AuthorizeError::Redirect {
            redirect_uri,
            error,
            description,
            state,
        } => {
            let mut pairs = vec![
                ("error", error),
                ("error_description", description.as_str()),
            ];
            if let Some(s) = state.as_deref() {
                pairs.push(("state", s));
            }
            redirect_to(&with_query(&redirect_uri, &pairs))
        }
    }
}

/// A complete HTML page (`body` is already escaped markup). `form_target`: the origin the
/// page's form leads to in the end (the client's redirect), allowed by its CSP `form-action`.
fn html_page(status: StatusCode, title: &str, body: &str, form_target: Option<&str>) -> Response {
    let page = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{} · emulated Databricks workspace</title></head>\n<body><main>\n<h1>{}</h1>\n{body}\n</main></body></html>\n",
        crate::html::escape(title),
        crate::html::escape(title)
    );
    let mut res = (status, page).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    // The form posts here and is then redirected to the client: Chromium applies `form-action`
    // to that redirect too, so the client's origin is allowed as well.
    let form_action = match form_target {
        Some(origin) => format!("'self' {origin}"),
        None => "'none'".to_string(),
    };
    let csp = format!(
        "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; \
         form-action {form_action}; frame-ancestors 'none'"
    );
    if let Ok(v) = HeaderValue::from_str(&csp) {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    res
}

/// `scheme://authority` of an allowed redirect URL.
fn origin_of(uri: &str) -> Option<String> {
    let u: axum::http::Uri = uri.parse().ok()?;
    let origin = format!("{}://{}", u.scheme_str()?, u.authority()?.as_str());
    origin
        .bytes()
        .all(|b| b.is_ascii_graphic() && b != b';' && b != b',' && b != b'\'')
        .then_some(origin)
}

fn hidden(name: &str, value: Option<&str>) -> String {
    match value {
        Some(v) => format!(
            "<input type=\"hidden\" name=\"{name}\" value=\"{}\">",
            crate::html::escape(v)
        ),
        None => String::new(),
    }
}

/// The sign-in page's markup for a checked request.
pub fn sign_in_markup(p: &AuthorizeParams) -> String {
    let mut form = String::from("<form method=\"post\" action=\"authorize\">\n");
    for (name, value) in [
        ("client_id", &p.client_id),
        ("redirect_uri", &p.redirect_uri),
        ("response_type", &p.response_type),
        ("state", &p.state),
        ("code_challenge", &p.code_challenge),
        ("code_challenge_method", &p.code_challenge_method),
        ("scope", &p.scope),
    ] {
        form.push_str(&hidden(name, value.as_deref()));
    }
    form.push_str("\n<ul>\n");
    for i in IDENTITIES.iter().filter(|i| i.kind == IdentityKind::User) {
        form.push_str(&format!(
            "<li><button type=\"submit\" name=\"principal\" value=\"{}\">Sign in as {} ({})</button></li>\n",
            crate::html::escape(i.scim_id),
            crate::html::escape(i.display_name),
            crate::html::escape(i.name)
        ));
    }
    form.push_str("</ul>\n</form>");
    format!(
        "<p>The application <strong>{}</strong> asks to act as you in this workspace. \
         Choose the user to sign in as:</p>\n{form}",
        crate::html::escape(p.client_id.as_deref().unwrap_or(""))
    )
}

async fn authorize_page(Query(p): Query<AuthorizeParams>) -> Response {
    match check(&p) {
        Err(e) => error_response(e),
        Ok(c) => html_page(
            StatusCode::OK,
            "Sign in",
            &sign_in_markup(&p),
            origin_of(&c.redirect_uri).as_deref(),
        ),
    }
}

async fn authorize(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    // Browsers say where a form came from in Sec-Fetch-Site; its Origin is "null" here (the
    // page's Referrer-Policy is no-referrer), so the Origin check is for other clients only.
    let why = match headers
        .get("sec-fetch-site")
        .map(|v| v.to_str().unwrap_or("?"))
    {
        Some("same-origin") => None,
        Some(other) => Some(format!(
            "Sec-Fetch-Site is {:?}",
            crate::hosting::excerpt(other)
        )),
        None => {
            let authority =
                crate::hosting::request_authority(&headers, &axum::http::Uri::default());
            crate::hosting::cross_site(&headers, authority.as_deref())
        }
    };
    if let Some(why) = why {
        return html_page(
            StatusCode::FORBIDDEN,
            "Sign-in refused",
            &format!(
                "<p role=\"alert\">The sign-in form must be sent from this page ({}).</p>",
                crate::html::escape(&why)
            ),
            None,
        );
    }
    let p: AuthorizeParams = match serde_urlencoded::from_bytes(&body) {
        Ok(p) => p,
        Err(_) => {
            return error_response(AuthorizeError::Page(
                "The sign-in form is malformed.".into(),
            ))
        }
    };
    let c = match check(&p) {
        Ok(c) => c,
        Err(e) => return error_response(e),
    };
    let picked = p.principal.as_deref().and_then(|id| {
        IDENTITIES
            .iter()
            .find(|i| i.kind == IdentityKind::User && i.scim_id == id)
    });
    let Some(identity) = picked else {
        return error_response(AuthorizeError::Redirect {
            redirect_uri: c.redirect_uri,
            error: "access_denied",
            description: "No user was chosen.".into(),
            state: c.state,
        });
    };
    let code = random_token("emu-code-");
    let now = state.now_ms();
    state.oauth().codes.insert(
        code.clone(),
        AuthCode {
            client_id: c.client_id,
            redirect_uri: c.redirect_uri.clone(),
            challenge: c.challenge,
            identity,
            scope: c.scope,
            expires_ms: now.saturating_add(CODE_TTL_MS),
        },
    );
    let mut pairs = vec![("code", code.as_str())];
    if let Some(s) = c.state.as_deref() {
        pairs.push(("state", s));
    }
    redirect_to(&with_query(&c.redirect_uri, &pairs))
}

/// The form body of `/oidc/v1/token`.
#[derive(Debug, Default, Deserialize)]
struct TokenForm {
    grant_type: Option<String>,
    code: Option<String>,
    redirect_uri: Option<String>,
    code_verifier: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
    refresh_token: Option<String>,
    scope: Option<String>,
}

/// A successful token answer (RFC 6749 §5.1).
#[derive(Debug, Serialize)]
struct TokenAnswer {
    access_token: String,
    token_type: &'static str,
    expires_in: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    refresh_token: Option<String>,
    scope: String,
}

/// An OAuth error answer (RFC 6749 §5.2).
pub fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    let body = serde_json::json!({ "error": error, "error_description": description });
    no_store_json(status, body.to_string())
}

fn no_store_json(status: StatusCode, body: String) -> Response {
    let mut res = (status, body).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    res
}

/// `Authorization: Basic base64(id:secret)`, if sent.
fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let v = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, rest) = v.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let raw = base64::engine::general_purpose::STANDARD
        .decode(rest.trim())
        .ok()?;
    let text = String::from_utf8(raw).ok()?;
    let (id, secret) = text.split_once(':')?;
    Some((id.to_string(), secret.to_string()))
}

async fn token(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let form: TokenForm = match serde_urlencoded::from_bytes(&body) {
        Ok(f) => f,
        Err(_) => {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "The body must be application/x-www-form-urlencoded.",
            )
        }
    };
    let (client_id, client_secret) = match basic_credentials(&headers) {
        Some((id, secret)) => (Some(id), Some(secret)),
        None => (form.client_id.clone(), form.client_secret.clone()),
    };
    let now = state.now_ms();
    let ttl_secs = state.config().token_ttl_secs;
    let ttl_ms = i64::try_from(ttl_secs.saturating_mul(1000)).unwrap_or(i64::MAX);
    let invalid_grant = |why: &str| oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", why);
    let mut oauth = state.oauth();
    match form.grant_type.as_deref() {
        Some("authorization_code") => {
            let Some(code) = form.code.as_deref().and_then(|c| oauth.codes.remove(c)) else {
                return invalid_grant("The authorization code is unknown or was already used.");
            };
            if code.expires_ms <= now {
                return invalid_grant("The authorization code has expired.");
            }
            if client_id.as_deref() != Some(code.client_id.as_str()) {
                return invalid_grant("The authorization code was issued to another client.");
            }
            if form.redirect_uri.as_deref() != Some(code.redirect_uri.as_str()) {
                return invalid_grant("redirect_uri does not match the authorization request.");
            }
            let verifier = form.code_verifier.as_deref().unwrap_or("");
            if !is_pkce_value(verifier) || s256(verifier) != code.challenge {
                return invalid_grant("PKCE verification failed: code_verifier does not match.");
            }
            let access = oauth.issue_access(code.identity, now, ttl_ms);
            let refresh = random_token("emu-refresh-");
            oauth.refresh.insert(
                refresh.clone(),
                RefreshGrant {
                    identity: code.identity,
                    client_id: code.client_id,
                    scope: code.scope.clone(),
                },
            );
            answer(access, ttl_secs, Some(refresh), code.scope)
        }
        Some("refresh_token") => {
            let presented = form.refresh_token.clone().unwrap_or_default();
            let Some(grant) = oauth.refresh.get(&presented).cloned() else {
                return invalid_grant("The refresh token is unknown or was revoked.");
            };
            if client_id.as_deref() != Some(grant.client_id.as_str()) {
                return invalid_grant("The refresh token was issued to another client.");
            }
            let access = oauth.issue_access(grant.identity, now, ttl_ms);
            answer(access, ttl_secs, Some(presented), grant.scope)
        }
        Some("client_credentials") => {
            let sp = IDENTITIES
                .iter()
                .find(|i| i.kind == IdentityKind::ServicePrincipal);
            let ok = sp.filter(|sp| {
                client_id.as_deref() == Some(sp.name)
                    && client_secret.as_deref() == Some(SP_CLIENT_SECRET)
            });
            let Some(sp) = ok else {
                return oauth_error(
                    StatusCode::UNAUTHORIZED,
                    "invalid_client",
                    "Client authentication failed: unknown client_id or wrong client_secret.",
                );
            };
            let access = oauth.issue_access(sp, now, ttl_ms);
            let scope = form
                .scope
                .filter(|s| !s.trim().is_empty())
                .unwrap_or_else(|| "all-apis".to_string());
            answer(access, ttl_secs, None, scope)
        }
        Some(other) => oauth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            &format!(
                "grant_type {:?} is not supported.",
                crate::hosting::excerpt(other)
            ),
        ),
        None => oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "grant_type is required.",
        ),
    }
}

fn answer(access: String, ttl_secs: u64, refresh: Option<String>, scope: String) -> Response {
    let body = TokenAnswer {
        access_token: access,
        token_type: "Bearer",
        expires_in: ttl_secs,
        refresh_token: refresh,
        scope,
    };
    no_store_json(
        StatusCode::OK,
        serde_json::to_string(&body).unwrap_or_default(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s256_matches_rfc7636_appendix_b() {
        assert_eq!(
            s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn pkce_values_are_checked() {
        assert!(is_pkce_value(&"a".repeat(43)));
        assert!(!is_pkce_value(&"a".repeat(42)));
        assert!(!is_pkce_value(&"a".repeat(129)));
        assert!(!is_pkce_value(&format!("{}+", "a".repeat(43))));
    }

    #[test]
    fn redirects_are_restricted() {
        assert!(redirect_allowed(
            CONSOLE_CLIENT_ID,
            "http://127.0.0.1:8080/auth/callback"
        ));
        assert!(redirect_allowed(
            CONSOLE_CLIENT_ID,
            "https://console.example.com/auth/callback"
        ));
        assert!(!redirect_allowed("other", "http://127.0.0.1/auth/callback"));
        assert!(!redirect_allowed(CONSOLE_CLIENT_ID, "http://x/evil"));
        assert!(!redirect_allowed(
            CONSOLE_CLIENT_ID,
            "http://a@x/auth/callback"
        ));
        assert!(!redirect_allowed(
            CONSOLE_CLIENT_ID,
            "javascript:alert(1)//auth/callback"
        ));
        assert!(!redirect_allowed(
            CONSOLE_CLIENT_ID,
            "http://x/auth/callback#f"
        ));
    }

    #[test]
    fn the_sign_in_page_escapes_every_value() {
        let p = AuthorizeParams {
            client_id: Some(CONSOLE_CLIENT_ID.into()),
            state: Some("\"><script>alert(1)</script>".into()),
            ..Default::default()
        };
        let html = sign_in_markup(&p);
        assert!(!html.contains("<script>"));
        assert!(html.contains("&quot;&gt;&lt;script&gt;"));
        assert!(html.contains("Alice Chen"));
        assert!(
            !html.contains("sp-fraud-gateway"),
            "service principals use M2M"
        );
    }
}
