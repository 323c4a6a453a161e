//! `serving-console proxy`: serve the console's `dist/` and forward exactly the API calls the
//! console makes to a real Databricks workspace, adding the workspace token server-side.
//!
//! - Only the (method, path) pairs of [`ALLOWED`] are forwarded. A path is compared segment by
//!   segment on its raw (still percent-encoded) form, and a `{name}` segment must be a valid
//!   endpoint name (`[A-Za-z0-9_-]{1,63}`), so `..`, `%2e%2e`, `%2f`, `//`, double encoding and
//!   every other path trick simply fail to match. Everything else under `/api/` and
//!   `/serving-endpoints/` is answered `403 PERMISSION_DENIED` here and never reaches the
//!   workspace; so are method-override headers and cross-site state-changing requests
//!   (`Sec-Fetch-Site: cross-site|same-site`, or an `Origin` that is not this host; see
//!   [`crate::hosting`], which also checks the `Host` and limits connections and bodies when served).
//! - Only `Accept` and `Content-Type` of the browser's request are forwarded (and `Accept-Encoding`,
//!   narrowed, see below); the browser's `Authorization`, `Cookie` and everything else are
//!   dropped, and `Authorization: Bearer <token>` is added. Only a few response headers come back
//!   (no `Set-Cookie`, no `WWW-Authenticate`).
//! - Compression as a workspace does it: the browser's `Accept-Encoding`, narrowed to `gzip` and
//!   `br` ([`upstream_accept_encoding`]), is forwarded; an answer the workspace already compressed
//!   passes on with its `Content-Encoding` unchanged; an uncompressed JSON answer of 1 KiB and
//!   more is compressed here ([`crate::compression`]) when the browser accepts it. Every forwarded
//!   answer carries `Vary: Accept-Encoding`.
//! - Upstream errors pass through with their status and body. An unreachable workspace gives a
//!   Databricks-shaped `502`, a slow one `504`; bodies are limited in size; every exchange has a
//!   connect timeout and an overall deadline.

use crate::auth::{oauth, Mode, SignIn, Workspace};
use crate::error::ApiError;
use crate::hosting::{self, excerpt};
use crate::{security_headers, static_files};
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::uri::{Authority, PathAndQuery, Scheme};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use http_body_util::{BodyExt, Full, Limited};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;

/// The API calls the console makes: (method, path pattern). `{name}` and `{entity}` match one
/// endpoint / served-entity name, `{id}` one endpoint id; anything else is literal.
pub const ALLOWED: &[(&str, &str)] = &[
    ("GET", "/api/2.0/serving-endpoints"),
    ("GET", "/api/2.0/serving-endpoints/{name}"),
    ("DELETE", "/api/2.0/serving-endpoints/{name}"),
    ("POST", "/api/2.0/serving-endpoints/{name}/config:stop"),
    ("POST", "/api/2.0/serving-endpoints/{name}/config:start"),
    (
        "GET",
        "/api/2.0/serving-endpoints/{name}/served-models/{entity}/logs",
    ),
    (
        "GET",
        "/api/2.0/serving-endpoints/{name}/served-models/{entity}/build-logs",
    ),
    ("GET", "/api/2.0/serving-endpoints/{name}/openapi"),
    ("GET", "/api/2.0/serving-endpoints/{name}/metrics"),
    ("PUT", "/api/2.0/serving-endpoints/{name}/config"),
    ("PATCH", "/api/2.0/serving-endpoints/{name}/tags"),
    ("PATCH", "/api/2.0/serving-endpoints/{name}/notifications"),
    ("PUT", "/api/2.0/serving-endpoints/{name}/ai-gateway"),
    ("GET", "/api/2.0/preview/scim/v2/Me"),
    // The version picker of the config editor (docs/serving-api-changes.md §1.5).
    ("GET", "/api/2.1/unity-catalog/models/{model}/versions"),
    ("GET", "/api/2.0/permissions/serving-endpoints/{id}"),
    ("PUT", "/api/2.0/permissions/serving-endpoints/{id}"),
    ("PATCH", "/api/2.0/permissions/serving-endpoints/{id}"),
    (
        "GET",
        "/api/2.0/permissions/serving-endpoints/{id}/permissionLevels",
    ),
    ("POST", "/serving-endpoints/{name}/invocations"),
    (
        "POST",
        "/serving-endpoints/{name}/served-models/{entity}/invocations",
    ),
];

/// Request headers that are forwarded from the browser (all others are dropped, except
/// `Accept-Encoding`, which is narrowed by [`upstream_accept_encoding`]).
pub const FORWARDED_REQUEST_HEADERS: &[HeaderName] = &[header::ACCEPT, header::CONTENT_TYPE];

/// Response headers that are passed back from the workspace (all others are dropped).
pub const FORWARDED_RESPONSE_HEADERS: &[&str] = &[
    "content-type",
    "content-encoding",
    "content-language",
    "retry-after",
    "etag",
    "last-modified",
    "x-request-id",
];

/// Headers that ask a server to treat a request as another method: refused outright.
const METHOD_OVERRIDE_HEADERS: &[&str] = &[
    "x-http-method-override",
    "x-http-method",
    "x-method-override",
];

/// Is `seg` an endpoint or served-entity name (`^[A-Za-z0-9_-]{1,63}$`)?
fn is_name(seg: &str, max: usize) -> bool {
    !seg.is_empty()
        && seg.len() <= max
        && seg
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Is `seg` a Unity Catalog model's full name, `catalog.schema.model`, each part a plain
/// identifier (`[A-Za-z0-9_-]{1,255}`)? Empty parts (`..`) and any encoding fail.
fn is_model_name(seg: &str) -> bool {
    let parts: Vec<&str> = seg.split('.').collect();
    parts.len() == 3 && parts.iter().all(|p| is_name(p, 255))
}

fn matches(pattern: &str, path: &str) -> bool {
    let mut p = pattern.split('/');
    let mut s = path.split('/');
    loop {
        match (p.next(), s.next()) {
            (None, None) => return true,
            (Some(pat), Some(seg)) => {
                let ok = match pat {
                    "{name}" | "{entity}" => is_name(seg, 63),
                    "{id}" => is_name(seg, 128),
                    "{model}" => is_model_name(seg),
                    literal => literal == seg,
                };
                if !ok {
                    return false;
                }
            }
            _ => return false,
        }
    }
}

/// Is `method` on the raw (undecoded) `path` one of the calls the console makes?
pub fn is_allowed(method: &str, path: &str) -> bool {
    ALLOWED
        .iter()
        .any(|(m, pattern)| *m == method && matches(pattern, path))
}

/// The workspace token. Its `Debug` never shows it; its header value is marked sensitive.
#[derive(Clone)]
pub struct Token(HeaderValue);

impl Token {
    /// Validate a token (from `DATABRICKS_TOKEN` or a file; surrounding whitespace is ignored).
    pub fn new(raw: &str) -> Result<Token, String> {
        let t = raw.trim();
        if t.is_empty() {
            return Err("the workspace token is empty".into());
        }
        if !t.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(
                "the workspace token contains spaces or non-ASCII characters; check the token file"
                    .into(),
            );
        }
        let mut v = HeaderValue::from_str(&format!("Bearer {t}"))
            .map_err(|_| "the workspace token is not a valid header value".to_string())?;
        v.set_sensitive(true);
        Ok(Token(v))
    }
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

/// The workspace: `https://host[:port]` (plain `http://` is accepted for tests and loopback),
/// with a path only when it comes from a workspaces file (an emulated workspace of
/// `demo --workspaces N` lives at `http://host:port/w/{id}`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upstream {
    scheme: Scheme,
    authority: Authority,
    /// `""` or `/seg[/seg…]` (no trailing slash).
    path: String,
}

impl Upstream {
    /// Parse `https://<workspace-host>` (no path, query or credentials).
    pub fn parse(s: &str) -> Result<Upstream, String> {
        let uri: Uri = s
            .trim()
            .parse()
            .map_err(|e| format!("--upstream {s:?} is not a URL: {e}"))?;
        let scheme = match uri.scheme() {
            Some(sc) if *sc == Scheme::HTTPS || *sc == Scheme::HTTP => sc.clone(),
            _ => {
                return Err(format!(
                    "--upstream {s:?} must start with https:// (or http:// for a local test server)"
                ))
            }
        };
        let authority = uri
            .authority()
            .cloned()
            .ok_or_else(|| format!("--upstream {s:?} has no host"))?;
        if authority.as_str().contains('@') {
            return Err(format!(
                "--upstream {s:?} must not contain credentials; pass the token with DATABRICKS_TOKEN or --token-file"
            ));
        }
        let path_ok = uri.path() == "/" || uri.path().is_empty();
        if !path_ok || uri.query().is_some() {
            return Err(format!(
                "--upstream {s:?} must be the workspace URL without a path, e.g. https://adb-1234567890123456.7.azuredatabricks.net"
            ));
        }
        Ok(Upstream {
            scheme,
            authority,
            path: String::new(),
        })
    }

    /// A workspace `host` from a workspaces file or profile: as [`Upstream::parse`], but a plain
    /// path (`[A-Za-z0-9_-]` segments, no `.`/`..`) is allowed.
    pub fn parse_workspace(s: &str) -> Result<Upstream, String> {
        let t = s.trim().trim_end_matches('/');
        let uri: Uri = t
            .parse()
            .map_err(|e| format!("workspace host {s:?} is not a URL: {e}"))?;
        let path = uri.path().trim_end_matches('/').to_string();
        let ok = path.split('/').skip(1).all(|seg| is_name(seg, 63));
        if !ok || uri.query().is_some() {
            return Err(format!("workspace host {s:?} has a path that is not plain"));
        }
        let origin = match (uri.scheme_str(), uri.authority()) {
            (Some(sc), Some(a)) => format!("{sc}://{a}"),
            _ => return Err(format!("workspace host {s:?} must start with https://")),
        };
        let mut u = Self::parse(&origin).map_err(|e| e.replace("--upstream", "workspace host"))?;
        u.path = path;
        Ok(u)
    }

    /// `scheme://authority`, without the path.
    pub fn origin(&self) -> String {
        format!("{}://{}", self.scheme, self.authority)
    }

    /// The URL of `path_and_query` in this workspace.
    pub fn url(&self, path_and_query: &str) -> Result<Uri, axum::http::Error> {
        self.uri(path_and_query)
    }

    /// Is the scheme `https`?
    pub fn is_https(&self) -> bool {
        self.scheme == Scheme::HTTPS
    }

    /// Is the host a loopback address (plain http is acceptable there)?
    pub fn is_loopback(&self) -> bool {
        let host = self.authority.host();
        host == "localhost"
            || host
                .trim_start_matches('[')
                .trim_end_matches(']')
                .parse::<std::net::IpAddr>()
                .map(|ip| ip.is_loopback())
                .unwrap_or(false)
    }

    fn uri(&self, path_and_query: &str) -> Result<Uri, axum::http::Error> {
        let pq: PathAndQuery = format!("{}{path_and_query}", self.path).parse()?;
        Uri::builder()
            .scheme(self.scheme.clone())
            .authority(self.authority.clone())
            .path_and_query(pq)
            .build()
    }
}

impl std::fmt::Display for Upstream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}://{}{}", self.scheme, self.authority, self.path)
    }
}

/// Settings of `serving-console proxy`.
#[derive(Debug, Clone)]
pub struct ProxyConfig {
    /// The workspaces and how each authorizes calls ([`crate::auth`]).
    pub sign_in: Arc<SignIn>,
    /// The console's built files; `None` serves none.
    pub dist: Option<PathBuf>,
    /// Time to open a connection to the workspace.
    pub connect_timeout: Duration,
    /// Deadline of one whole exchange (request body in, answer out).
    pub timeout: Duration,
    /// Largest request or response body, bytes.
    pub max_body_bytes: usize,
}

impl ProxyConfig {
    /// Defaults: 10 s connect timeout, 120 s per exchange, 32 MiB bodies.
    pub fn new(upstream: Upstream, token: Token) -> Self {
        Self::with_sign_in(SignIn::single(upstream, token))
    }

    /// Several workspaces or sign-in modes, same defaults.
    pub fn with_sign_in(sign_in: SignIn) -> Self {
        ProxyConfig {
            sign_in: Arc::new(sign_in),
            dist: None,
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(120),
            max_body_bytes: 32 * 1024 * 1024,
        }
    }
}

/// The HTTP(S) client to the workspaces.
pub type HttpClient = Client<HttpsConnector<HttpConnector>, Full<Bytes>>;

#[derive(Clone)]
struct ProxyState {
    cfg: Arc<ProxyConfig>,
    client: HttpClient,
}

fn client(cfg: &ProxyConfig) -> Result<HttpClient, String> {
    let mut http = HttpConnector::new();
    http.enforce_http(false);
    http.set_nodelay(true);
    http.set_connect_timeout(Some(cfg.connect_timeout));
    let provider = rustls::crypto::ring::default_provider();
    let builder = match hyper_rustls::HttpsConnectorBuilder::new()
        .with_provider_and_native_roots(provider.clone())
    {
        Ok(b) => b,
        Err(e) if cfg.sign_in.workspaces.iter().any(|w| w.upstream.is_https()) => {
            return Err(format!(
                "cannot load the system's CA certificates to verify the workspaces: {e} \
                 (install ca-certificates or set SSL_CERT_FILE)"
            ))
        }
        // Plain http upstream: TLS is never used, an empty root store is fine.
        Err(_) => {
            let tls = rustls::ClientConfig::builder_with_provider(Arc::new(provider))
                .with_safe_default_protocol_versions()
                .map_err(|e| format!("TLS set-up failed: {e}"))?
                .with_root_certificates(rustls::RootCertStore::empty())
                .with_no_client_auth();
            hyper_rustls::HttpsConnectorBuilder::new().with_tls_config(tls)
        }
    };
    let https = builder.https_or_http().enable_http1().wrap_connector(http);
    Ok(Client::builder(TokioExecutor::new())
        .pool_idle_timeout(Duration::from_secs(30))
        .build(https))
}

/// The whole proxy application: allow-listed API calls to the workspace, the console's files
/// for everything else, security headers on every answer.
pub fn app(cfg: ProxyConfig) -> Result<Router, String> {
    let client = client(&cfg)?;
    let state = ProxyState {
        cfg: Arc::new(cfg),
        client,
    };
    Ok(crate::compression::layer(
        Router::new()
            .fallback(handle)
            .layer(axum::middleware::from_fn(security_headers::middleware))
            .with_state(state),
    ))
}

/// The `Accept-Encoding` sent to the workspace: of the browser's, only `gzip` and `br` (the
/// encodings every browser decodes and this proxy can also apply), in the browser's order, without
/// those it refuses (`;q=0`). `None` when none is left: the workspace then answers uncompressed.
pub fn upstream_accept_encoding(browser: &HeaderMap) -> Option<HeaderValue> {
    let mut kept: Vec<&'static str> = Vec::new();
    for value in browser.get_all(header::ACCEPT_ENCODING) {
        let Ok(value) = value.to_str() else { continue };
        for item in value.split(',') {
            let mut parts = item.split(';');
            let coding = parts.next().unwrap_or("").trim();
            let refused = parts.any(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            let known = if coding.eq_ignore_ascii_case("gzip") {
                "gzip"
            } else if coding.eq_ignore_ascii_case("br") {
                "br"
            } else {
                continue;
            };
            if !refused && !kept.contains(&known) {
                kept.push(known);
            }
        }
    }
    if kept.is_empty() {
        return None;
    }
    HeaderValue::from_str(&kept.join(", ")).ok()
}

async fn handle(State(st): State<ProxyState>, req: Request) -> Response {
    let path = req.uri().path().to_string();
    let sign_in = &st.cfg.sign_in;
    match (req.method(), path.as_str()) {
        (&Method::GET, "/auth/login") => {
            return oauth::login(sign_in, &st.client, req.uri(), req.headers()).await
        }
        (&Method::GET, "/auth/callback") => {
            return oauth::callback(sign_in, &st.client, req.uri(), req.headers()).await
        }
        (&Method::POST, "/auth/logout") => {
            let authority = hosting::request_authority(req.headers(), req.uri());
            if let Some(why) = hosting::cross_site(req.headers(), authority.as_deref()) {
                return refused(format!(
                    "The console proxy refuses a cross-site sign-out ({why})."
                ));
            }
            return oauth::logout(sign_in, req.uri(), req.headers());
        }
        (&Method::GET, "/config.json") if sign_in.tells_console() => {
            let entries: Vec<crate::console_config::Entry> = sign_in
                .workspaces
                .iter()
                .map(|w| crate::console_config::Entry {
                    id: w.id.clone(),
                    name: w.name.clone(),
                    path: if sign_in.mounted {
                        format!("/w/{}", w.id)
                    } else {
                        String::new()
                    },
                    sign_in: w.mode.name(),
                    signed_in: oauth::signed_in(sign_in, w, req.headers()),
                })
                .collect();
            return crate::console_config::respond(st.cfg.dist.as_deref(), &entries).await;
        }
        _ => {}
    }
    if let Some((ws, rest)) = sign_in.route(&path) {
        if crate::paths::is_api_path(rest) {
            let rest = rest.to_string();
            return forward(&st, ws, &rest, req).await;
        }
    }
    let in_unknown_workspace = path
        .strip_prefix("/w/")
        .and_then(|r| r.find('/').map(|i| &r[i..]))
        .is_some_and(crate::paths::is_api_path);
    if crate::paths::is_api_path(&path) || (sign_in.mounted && in_unknown_workspace) {
        return ApiError::no_api(req.method().as_str(), &excerpt(&path)).into_response();
    }
    match &st.cfg.dist {
        Some(dist) => static_files::serve(dist, req).await,
        None => (StatusCode::NOT_FOUND, "Not found").into_response(),
    }
}

fn refused(message: String) -> Response {
    ApiError::new(StatusCode::FORBIDDEN, "PERMISSION_DENIED", message)
        .bare()
        .into_response()
}

async fn forward(st: &ProxyState, ws: &Workspace, path: &str, req: Request) -> Response {
    let cfg = &st.cfg;
    let deadline = Instant::now() + cfg.timeout;
    let method = req.method().clone();
    let path = path.to_string();
    if !is_allowed(method.as_str(), &path) {
        tracing::info!(%method, path = %excerpt(&path), "refused: not an allowed API call");
        return refused(format!(
            "The console proxy does not forward {method} {}: it is not one of the API calls the \
             console makes.",
            excerpt(&path)
        ));
    }
    if let Some(h) = METHOD_OVERRIDE_HEADERS
        .iter()
        .find(|h| req.headers().contains_key(**h))
    {
        return refused(format!("The console proxy does not accept the {h} header."));
    }
    if !hosting::is_safe_method(&method) {
        let authority = hosting::request_authority(req.headers(), req.uri());
        if let Some(why) = hosting::cross_site(req.headers(), authority.as_deref()) {
            return refused(format!(
                "The console proxy refuses cross-site {method} requests ({why})."
            ));
        }
    }
    let path_and_query = match req.uri().query() {
        Some(q) => format!("{path}?{q}"),
        None => path.clone(),
    };
    let uri = match ws.upstream.uri(&path_and_query) {
        Ok(u) => u,
        Err(_) => return refused("The console proxy cannot forward this URL.".into()),
    };

    let (parts, body) = req.into_parts();
    let peer = parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0);
    let (authorization, renewed_cookie) =
        match &ws.mode {
            Mode::Static(token) => (token.0.clone(), None),
            Mode::M2M(m2m) => match m2m.bearer(&st.client, &ws.upstream).await {
                Ok(h) => (h, None),
                Err(e) => {
                    tracing::warn!(workspace = %ws.id, "{e}");
                    return ApiError::new(
                        StatusCode::BAD_GATEWAY,
                        "TEMPORARILY_UNAVAILABLE",
                        format!(
                            "The console proxy could not sign in to the workspace {}.",
                            ws.name
                        ),
                    )
                    .bare()
                    .into_response();
                }
            },
            Mode::OAuth(app) => {
                match oauth::bearer(&cfg.sign_in, &st.client, ws, app, &parts.headers).await {
                    Ok(pair) => pair,
                    Err(answer) => return answer,
                }
            }
            Mode::Forwarded(trusted) => match trusted.bearer(peer, &parts.headers) {
                Some(h) => (h, None),
                None => return ApiError::new(
                    StatusCode::UNAUTHORIZED,
                    "UNAUTHENTICATED",
                    "No user token: this workspace takes the user's token from the identity-aware \
                     proxy in front of the console.",
                )
                .bare()
                .into_response(),
            },
        };
    let body =
        match tokio::time::timeout_at(deadline, axum::body::to_bytes(body, cfg.max_body_bytes))
            .await
        {
            Ok(Ok(b)) => b,
            Ok(Err(_)) => {
                return ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "INVALID_PARAMETER_VALUE",
                    format!(
                        "The request body is larger than {} bytes or could not be read.",
                        cfg.max_body_bytes
                    ),
                )
                .bare()
                .into_response()
            }
            Err(_) => return deadline_exceeded("The request body did not arrive in time."),
        };

    let mut out = hyper::Request::new(Full::new(body));
    *out.method_mut() = method.clone();
    *out.uri_mut() = uri;
    let headers = out.headers_mut();
    for name in FORWARDED_REQUEST_HEADERS {
        if let Some(v) = parts.headers.get(name) {
            headers.insert(name.clone(), v.clone());
        }
    }
    headers
        .entry(header::ACCEPT)
        .or_insert(HeaderValue::from_static("application/json"));
    if let Some(ae) = upstream_accept_encoding(&parts.headers) {
        headers.insert(header::ACCEPT_ENCODING, ae);
    }
    headers.insert(header::AUTHORIZATION, authorization);
    headers.insert(
        header::USER_AGENT,
        HeaderValue::from_static(concat!("serving-console-proxy/", env!("CARGO_PKG_VERSION"))),
    );

    let started = std::time::Instant::now();
    let res = match tokio::time::timeout_at(deadline, st.client.request(out)).await {
        Ok(Ok(r)) => r,
        Ok(Err(e)) => {
            tracing::warn!(%method, path = %path, "workspace unreachable: {e}");
            return unreachable(&ws.upstream, &e);
        }
        Err(_) => {
            tracing::warn!(%method, path = %path, "workspace did not answer in time");
            return deadline_exceeded("The workspace did not answer in time.");
        }
    };
    let (rparts, rbody) = res.into_parts();
    let bytes =
        match tokio::time::timeout_at(deadline, Limited::new(rbody, cfg.max_body_bytes).collect())
            .await
        {
            Ok(Ok(c)) => c.to_bytes(),
            Ok(Err(e)) => {
                tracing::warn!(%method, path = %path, "workspace answer unreadable: {e}");
                return ApiError::new(
                    StatusCode::BAD_GATEWAY,
                    "TEMPORARILY_UNAVAILABLE",
                    "The workspace's answer was cut off or too large.",
                )
                .bare()
                .into_response();
            }
            Err(_) => return deadline_exceeded("The workspace's answer did not arrive in time."),
        };
    tracing::info!(
        %method,
        path = %path,
        status = rparts.status.as_u16(),
        ms = started.elapsed().as_millis() as u64,
        "forwarded"
    );
    let mut response = Response::new(Body::from(bytes));
    *response.status_mut() = rparts.status;
    for name in FORWARDED_RESPONSE_HEADERS {
        for v in rparts.headers.get_all(*name) {
            response
                .headers_mut()
                .append(HeaderName::from_static(name), v.clone());
        }
    }
    // The answer depends on the Accept-Encoding forwarded (or on compression applied here).
    response
        .headers_mut()
        .insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    // The user's token was refused: forget it, so the console signs in again; otherwise keep
    // a renewed session.
    if rparts.status != StatusCode::UNAUTHORIZED {
        if let Some(c) = renewed_cookie {
            response.headers_mut().append(header::SET_COOKIE, c);
        }
    } else {
        if let Mode::OAuth(_) = ws.mode {
            let policy = oauth::cookie_policy(&cfg.sign_in, &parts.headers);
            if let Some(c) = policy.clear_session(&ws.id) {
                response.headers_mut().append(header::SET_COOKIE, c);
            }
        }
    }
    response
}

fn unreachable(upstream: &Upstream, e: &hyper_util::client::legacy::Error) -> Response {
    let why = if e.is_connect() {
        "the connection failed"
    } else {
        "the connection broke"
    };
    ApiError::new(
        StatusCode::BAD_GATEWAY,
        "TEMPORARILY_UNAVAILABLE",
        format!("The console proxy could not reach the workspace {upstream} ({why})."),
    )
    .bare()
    .into_response()
}

fn deadline_exceeded(message: &str) -> Response {
    ApiError::new(StatusCode::GATEWAY_TIMEOUT, "DEADLINE_EXCEEDED", message)
        .bare()
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allow_list_matches_segments_exactly() {
        assert!(is_allowed("GET", "/api/2.0/serving-endpoints"));
        assert!(is_allowed(
            "GET",
            "/api/2.0/serving-endpoints/fraud-detector_1"
        ));
        assert!(is_allowed(
            "GET",
            "/api/2.0/serving-endpoints/a/served-models/b-1/build-logs"
        ));
        assert!(is_allowed("POST", "/serving-endpoints/a/invocations"));
        // The config editor's version picker: a three-part Unity Catalog name, nothing else.
        let versions = |m: &str| format!("/api/2.1/unity-catalog/models/{m}/versions");
        assert!(is_allowed("GET", &versions("main.risk.fraud_xgb")));
        for bad in [
            "main.risk",
            "a.b.c.d",
            "main..x",
            "main.risk.%2e%2e",
            "main.risk.x%2Fy",
            "..",
            "a.b.",
        ] {
            assert!(!is_allowed("GET", &versions(bad)), "{bad}");
        }
        assert!(!is_allowed("POST", &versions("main.risk.fraud_xgb")));
        assert!(!is_allowed(
            "GET",
            "/api/2.1/unity-catalog/models/main.risk.fraud_xgb"
        ));
        assert!(!is_allowed("GET", "/api/2.0/serving-endpoints/"));
        assert!(!is_allowed("GET", "/api/2.0/serving-endpoints//x"));
        assert!(!is_allowed("GET", "/api/2.0/serving-endpoints/.."));
        assert!(!is_allowed("GET", "/api/2.0/serving-endpoints/%2e%2e"));
        assert!(!is_allowed("GET", "/api/2.0/serving-endpoints/a%2Fb"));
        assert!(!is_allowed("POST", "/api/2.0/serving-endpoints"));
        assert!(!is_allowed("GET", "/api/2.0/secrets/list"));
        assert!(!is_allowed("get", "/api/2.0/serving-endpoints"));
        assert!(!is_allowed(
            "GET",
            &format!("/api/2.0/serving-endpoints/{}", "a".repeat(64))
        ));
    }

    #[test]
    fn upstream_urls() {
        assert!(Upstream::parse("https://adb-1.2.azuredatabricks.net").is_ok());
        assert!(Upstream::parse("https://adb-1.2.azuredatabricks.net/").is_ok());
        assert!(Upstream::parse("http://127.0.0.1:9000")
            .unwrap()
            .is_loopback());
        assert!(!Upstream::parse("https://example.com")
            .unwrap()
            .is_loopback());
        assert!(Upstream::parse("ftp://x").is_err());
        assert!(Upstream::parse("https://x/api").is_err());
        assert!(Upstream::parse("https://user:pw@x").is_err());
        assert!(Upstream::parse("x.example.com").is_err());
    }

    #[test]
    fn tokens_are_validated_and_never_shown() {
        let t = Token::new("  dapi0123\n").unwrap();
        assert_eq!(format!("{t:?}"), "Token(<redacted>)");
        assert!(t.0.is_sensitive());
        assert_eq!(t.0.to_str().unwrap(), "Bearer dapi0123");
        assert!(Token::new("").is_err());
        assert!(Token::new("a b").is_err());
        assert!(Token::new("dapi\u{e9}").is_err());
    }

    fn browser(values: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append(header::ACCEPT_ENCODING, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn only_gzip_and_brotli_are_asked_of_the_workspace() {
        let ae = |v: &[&str]| {
            upstream_accept_encoding(&browser(v)).map(|h| h.to_str().unwrap().to_string())
        };
        assert_eq!(
            ae(&["gzip, deflate, br, zstd"]).as_deref(),
            Some("gzip, br")
        );
        assert_eq!(ae(&["br;q=1.0, GZIP;q=0.5"]).as_deref(), Some("br, gzip"));
        assert_eq!(ae(&["deflate", "br"]).as_deref(), Some("br"));
        assert_eq!(ae(&["gzip;q=0, br;q=0.0"]), None);
        assert_eq!(ae(&["identity"]), None);
        assert_eq!(ae(&["*"]), None);
        assert_eq!(ae(&[]), None);
    }
}
