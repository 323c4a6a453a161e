//! What every `serving-console` server checks before a request reaches the application, shared by
//! `demo` and `proxy` (and mirrored by `deploy/nginx.conf`):
//!
//! - **Host allow-list** ([`AllowedHosts`]): a request whose `Host` (or absolute-form authority)
//!   is not one of the configured names is answered `421 Misdirected Request`. A DNS-rebinding
//!   page (`http://evil.example:PORT` resolving to this machine) is "same origin" for the browser,
//!   so without this check it would pass the cross-site guard below. (Only the liveness probe
//!   `GET /__emulator/health` is answered for any host.)
//! - **Cross-site guard** ([`cross_site`], [`cross_site_guard`]): a state-changing request to the
//!   API (`POST`/`PUT`/`PATCH`/`DELETE`/…) with `Sec-Fetch-Site: cross-site|same-site`, or with an
//!   `Origin` that is not this host, is answered `403 PERMISSION_DENIED`.
//! - **Request-body budget** ([`Limits::body_budget_bytes`]): request bodies are read here, each at
//!   most [`Limits::max_body_bytes`] (`413` beyond), and all bodies being read or held at once
//!   share one budget: a body that would exceed it is answered `503 TEMPORARILY_UNAVAILABLE`
//!   (with `Retry-After`) instead of being buffered. A declared `Content-Length` is reserved
//!   before a byte is read; a body that does not arrive within [`Limits::body_timeout`] is `408`.
//! - **Connections** ([`serve`]): at most [`Limits::max_connections`] at once (further ones wait
//!   in the listen backlog), and a connection that does not deliver a complete request head within
//!   [`Limits::header_timeout`] — a new one, a half-sent request, or an idle keep-alive connection
//!   waiting for its next request — is closed.

use crate::security_headers;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::uri::Authority;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use http_body_util::BodyExt;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Limits of a served `serving-console`.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Connections served at once; further ones wait to be accepted.
    pub max_connections: usize,
    /// Time for a complete request head (also how long an idle keep-alive connection stays open).
    pub header_timeout: Duration,
    /// Largest request body, bytes.
    pub max_body_bytes: usize,
    /// All request bodies being read or held at once, bytes.
    pub body_budget_bytes: usize,
    /// Time for a whole request body to arrive.
    pub body_timeout: Duration,
}

impl Default for Limits {
    /// 256 connections, 10 s for a request head, 32 MiB bodies within a 256 MiB budget, 60 s per body.
    fn default() -> Self {
        Limits {
            max_connections: 256,
            header_timeout: Duration::from_secs(10),
            max_body_bytes: 32 * 1024 * 1024,
            body_budget_bytes: 256 * 1024 * 1024,
            body_timeout: Duration::from_secs(60),
        }
    }
}

/// One allowed host: a name or IP address, with a port or (`None`) any port.
#[derive(Debug, Clone, PartialEq, Eq)]
struct HostEntry {
    host: String,
    port: Option<u16>,
}

/// The host names a server answers for (compared with the request's `Host`).
#[derive(Debug, Clone)]
pub struct AllowedHosts {
    entries: Arc<Vec<HostEntry>>,
    /// Listening on every interface (0.0.0.0 / ::): any IP address with this port is accepted.
    /// (A DNS-rebinding page always has a name, never an address, in its `Host`.)
    any_ip_port: Option<u16>,
}

/// Lower-case `host` without IPv6 brackets.
fn normalise_host(host: &str) -> String {
    host.trim_start_matches('[')
        .trim_end_matches(']')
        .to_ascii_lowercase()
}

/// Parse `name`, `name:port`, `1.2.3.4:port` or `[::1]:port`.
fn parse_authority(s: &str) -> Option<(String, Option<u16>)> {
    let a: Authority = s.parse().ok()?;
    if a.as_str().contains('@') || a.host().is_empty() {
        return None;
    }
    if a.as_str().ends_with(':') {
        return None;
    }
    Some((normalise_host(a.host()), a.port_u16()))
}

impl AllowedHosts {
    /// The defaults for a server listening on `local` — `localhost:PORT` and the listening address
    /// with its port (any IP address with the port when listening on every interface) — plus
    /// `extra` (`--allow-host`: `NAME` for any port, or `NAME:PORT`).
    pub fn for_listener(local: SocketAddr, extra: &[String]) -> Result<AllowedHosts, String> {
        let port = local.port();
        let mut entries = vec![HostEntry {
            host: "localhost".into(),
            port: Some(port),
        }];
        let any_ip_port = if local.ip().is_unspecified() {
            Some(port)
        } else {
            entries.push(HostEntry {
                host: normalise_host(&local.ip().to_string()),
                port: Some(port),
            });
            None
        };
        for e in extra {
            let (host, port) = parse_authority(e.trim()).ok_or_else(|| {
                format!(
                    "--allow-host {e:?} is not a host name, NAME:PORT or address (e.g. console.example.com)"
                )
            })?;
            entries.push(HostEntry { host, port });
        }
        Ok(AllowedHosts {
            entries: Arc::new(entries),
            any_ip_port,
        })
    }

    /// Is `authority` (a `Host` header value) one of the allowed hosts? Without a port it means
    /// port 80.
    pub fn allows(&self, authority: &str) -> bool {
        let Some((host, port)) = parse_authority(authority) else {
            return false;
        };
        let port = port.unwrap_or(80);
        if let Some(p) = self.any_ip_port {
            if p == port && host.parse::<IpAddr>().is_ok() {
                return true;
            }
        }
        self.entries
            .iter()
            .any(|e| e.host == host && e.port.is_none_or(|p| p == port))
    }

    /// The allowed hosts, for the start-up line (`*:PORT` stands for any IP address).
    pub fn describe(&self) -> String {
        let mut names: Vec<String> = self
            .entries
            .iter()
            .map(|e| {
                let host = if e.host.contains(':') {
                    format!("[{}]", e.host)
                } else {
                    e.host.clone()
                };
                match e.port {
                    Some(p) => format!("{host}:{p}"),
                    None => host,
                }
            })
            .collect();
        if let Some(p) = self.any_ip_port {
            names.push(format!("<any IP address>:{p}"));
        }
        names.join(", ")
    }
}

/// The authority a request is addressed to: its `Host` header, or the URI's authority (HTTP/2,
/// absolute-form). `None` when there is none, or when there are several that disagree.
pub fn request_authority(headers: &HeaderMap, uri: &axum::http::Uri) -> Option<String> {
    let mut hosts = headers.get_all(header::HOST).iter();
    let host = match (hosts.next(), hosts.next()) {
        (Some(h), None) => Some(h.to_str().ok()?.to_string()),
        (None, _) => None,
        (Some(_), Some(_)) => return None,
    };
    let from_uri = uri.authority().map(|a| a.as_str().to_string());
    match (host, from_uri) {
        (Some(h), Some(u)) if !h.eq_ignore_ascii_case(&u) => None,
        (Some(h), _) => Some(h),
        (None, u) => u,
    }
}

fn api_error(status: StatusCode, code: &str, message: &str) -> Response {
    let body = serde_json::json!({ "error_code": code, "message": message }).to_string();
    let mut res = (status, body).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    res
}

/// Shorten a client-supplied string for an error message.
pub fn excerpt(s: &str) -> String {
    let mut out: String = s.chars().take(200).collect();
    if out.len() < s.len() {
        out.push('…');
    }
    out
}

/// The liveness probe (`GET /__emulator/health`, answering "ok"), which load balancers and
/// orchestrators send with whatever `Host` they like; it reveals and changes nothing.
const HEALTH: &str = "/__emulator/health";

/// Middleware: refuse a request whose host is not allowed (`421`, plain text).
pub async fn host_check(State(hosts): State<AllowedHosts>, req: Request, next: Next) -> Response {
    if req.uri().path() == HEALTH && is_safe_method(req.method()) {
        return next.run(req).await;
    }
    let authority = request_authority(req.headers(), req.uri());
    match authority {
        Some(a) if hosts.allows(&a) => next.run(req).await,
        other => {
            let shown =
                other.map_or_else(|| "(none)".to_string(), |a| format!("{:?}", excerpt(&a)));
            tracing::info!(host = %shown, "refused: host not allowed");
            let mut res = (
                StatusCode::MISDIRECTED_REQUEST,
                format!(
                    "421 Misdirected Request: this server does not answer for the host {shown}. \
                     If that is the name you use to reach it, start it with --allow-host NAME.\n"
                ),
            )
                .into_response();
            res.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/plain; charset=utf-8"),
            );
            res
        }
    }
}

/// Why a state-changing request looks cross-site, if it does: `Sec-Fetch-Site` other than
/// `same-origin`/`none`, or an `Origin` whose host is not `authority` (the request's host).
pub fn cross_site(headers: &HeaderMap, authority: Option<&str>) -> Option<String> {
    if let Some(site) = headers.get("sec-fetch-site") {
        let site = site.to_str().unwrap_or("?");
        if site != "same-origin" && site != "none" {
            return Some(format!("Sec-Fetch-Site is {:?}", excerpt(site)));
        }
    }
    let mut origins = headers.get_all(header::ORIGIN).iter();
    if let Some(origin) = origins.next() {
        if origins.next().is_some() {
            return Some("several Origin headers".into());
        }
        let origin = origin.to_str().unwrap_or("");
        let origin_host = origin
            .strip_prefix("https://")
            .or_else(|| origin.strip_prefix("http://"))
            .unwrap_or("");
        let host = authority.unwrap_or("");
        if origin_host.is_empty() || host.is_empty() || !origin_host.eq_ignore_ascii_case(host) {
            return Some(format!("Origin {:?} is not this host", excerpt(origin)));
        }
    }
    None
}

/// Is `method` one that cannot change state?
pub fn is_safe_method(method: &Method) -> bool {
    method == Method::GET || method == Method::HEAD
}

/// Middleware (`serving-console demo`): refuse cross-site state-changing API requests (the
/// proxy applies [`cross_site`] itself, after its allow-list).
pub async fn cross_site_guard(req: Request, next: Next) -> Response {
    if is_safe_method(req.method()) || !crate::paths::is_api_path(req.uri().path()) {
        return next.run(req).await;
    }
    let authority = request_authority(req.headers(), req.uri());
    match cross_site(req.headers(), authority.as_deref()) {
        None => next.run(req).await,
        Some(why) => {
            tracing::info!(method = %req.method(), "refused: cross-site ({why})");
            api_error(
                StatusCode::FORBIDDEN,
                "PERMISSION_DENIED",
                &format!(
                    "The console server refuses cross-site {} requests ({why}).",
                    req.method()
                ),
            )
        }
    }
}

/// The shared request-body budget.
#[derive(Debug, Clone)]
struct BodyBudget {
    permits: Arc<Semaphore>,
    limits: Limits,
}

/// Bytes as semaphore permits (bodies are at most `max_body_bytes`, far below `u32::MAX`).
fn permits_for(n: usize) -> Option<u32> {
    u32::try_from(n).ok()
}

fn too_large(max: usize) -> Response {
    api_error(
        StatusCode::PAYLOAD_TOO_LARGE,
        "INVALID_PARAMETER_VALUE",
        &format!("The request body is larger than {max} bytes."),
    )
}

fn over_budget() -> Response {
    let mut res = api_error(
        StatusCode::SERVICE_UNAVAILABLE,
        "TEMPORARILY_UNAVAILABLE",
        "The server is receiving too many request bodies at once; try again shortly.",
    );
    res.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
    res
}

/// Middleware: read the request body within the limits and the shared budget, then hand it on.
async fn body_budget(State(b): State<BodyBudget>, req: Request, next: Next) -> Response {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    let chunked = req.headers().contains_key(header::TRANSFER_ENCODING);
    if declared == Some(0) || (declared.is_none() && !chunked) {
        return next.run(req).await;
    }
    let max = b.limits.max_body_bytes;
    let reserve = match declared {
        Some(n) if n > max as u64 => return too_large(max),
        Some(n) => n as usize,
        None => 0,
    };
    let reserved: Option<OwnedSemaphorePermit> =
        permits_for(reserve).and_then(|n| b.permits.clone().try_acquire_many_owned(n).ok());
    let Some(mut held) = reserved else {
        tracing::warn!(bytes = reserve, "refused: request-body budget exhausted");
        return over_budget();
    };
    let (parts, mut body) = req.into_parts();
    let deadline = tokio::time::Instant::now() + b.limits.body_timeout;
    let mut buf: Vec<u8> = Vec::with_capacity(reserve);
    loop {
        let frame = match tokio::time::timeout_at(deadline, body.frame()).await {
            Err(_) => {
                return api_error(
                    StatusCode::REQUEST_TIMEOUT,
                    "DEADLINE_EXCEEDED",
                    "The request body did not arrive in time.",
                )
            }
            Ok(None) => break,
            Ok(Some(Err(_))) => {
                return api_error(
                    StatusCode::BAD_REQUEST,
                    "INVALID_PARAMETER_VALUE",
                    "The request body could not be read.",
                )
            }
            Ok(Some(Ok(f))) => f,
        };
        let Ok(data) = frame.into_data() else {
            continue; // trailers
        };
        let total = buf.len() + data.len();
        if total > max {
            return too_large(max);
        }
        if total > held.num_permits() {
            let more = permits_for(total - held.num_permits())
                .and_then(|n| b.permits.clone().try_acquire_many_owned(n).ok());
            match more {
                Some(p) => held.merge(p),
                None => {
                    tracing::warn!(bytes = total, "refused: request-body budget exhausted");
                    return over_budget();
                }
            }
        }
        buf.extend_from_slice(&data);
    }
    let req = Request::from_parts(parts, Body::from(Bytes::from(buf)));
    let res = next.run(req).await;
    drop(held);
    res
}

/// Wrap an application (`app` or `proxy::app`) in the host check and the body budget, with the
/// security headers on their refusals too.
pub fn guard(router: Router, hosts: AllowedHosts, limits: &Limits) -> Router {
    let budget = BodyBudget {
        permits: Arc::new(Semaphore::new(limits.body_budget_bytes)),
        limits: limits.clone(),
    };
    router
        .layer(axum::middleware::from_fn_with_state(budget, body_budget))
        .layer(axum::middleware::from_fn_with_state(hosts, host_check))
        .layer(axum::middleware::from_fn(security_headers::middleware))
}

/// Serve `router` on `listener` within `limits` until `shutdown` completes; then stop accepting,
/// let every open connection finish its request, and return once all are closed.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: &Limits,
    shutdown: impl Future<Output = ()> + Send,
) {
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let graceful = GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout);
    tokio::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            s = slots.clone().acquire_owned() => match s {
                Ok(s) => s,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let stream = tokio::select! {
            r = listener.accept() => match r {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors and the like: wait a little instead of spinning.
                    tracing::warn!("accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let (stream, peer) = stream;
        let _ = stream.set_nodelay(true);
        // The peer's address, for the proxy's `forwarded` sign-in (trusted addresses only).
        let service = tower::ServiceExt::map_request(
            router.clone(),
            move |mut req: hyper::Request<hyper::body::Incoming>| {
                req.extensions_mut()
                    .insert(axum::extract::ConnectInfo(peer));
                req
            },
        );
        let conn = http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            if let Err(e) = conn.await {
                tracing::debug!("connection closed: {e}");
            }
            drop(slot);
        });
    }
    drop(listener);
    graceful.shutdown().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hosts(addr: &str, extra: &[&str]) -> AllowedHosts {
        let extra: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
        AllowedHosts::for_listener(addr.parse().unwrap(), &extra).unwrap()
    }

    #[test]
    fn default_hosts_are_the_listen_address_and_localhost_with_the_port() {
        let h = hosts("127.0.0.1:8080", &[]);
        assert!(h.allows("127.0.0.1:8080"));
        assert!(h.allows("localhost:8080"));
        assert!(h.allows("LOCALHOST:8080"));
        assert!(!h.allows("localhost:8081"));
        assert!(!h.allows("localhost"));
        assert!(!h.allows("evil.example:8080"));
        assert!(!h.allows("127.0.0.1.nip.io:8080"));
        assert!(!h.allows("user@localhost:8080"));
        assert!(!h.allows(""));
        assert!(!h.allows("10.0.0.5:8080"));
        let h = hosts("[::1]:9000", &[]);
        assert!(h.allows("[::1]:9000"));
        assert!(h.allows("localhost:9000"));
        assert!(!h.allows("127.0.0.1:9000"));
    }

    #[test]
    fn every_interface_accepts_any_address_but_no_other_name() {
        let h = hosts("0.0.0.0:8080", &[]);
        assert!(h.allows("10.0.0.5:8080"));
        assert!(h.allows("[fe80::1]:8080"));
        assert!(h.allows("localhost:8080"));
        assert!(!h.allows("10.0.0.5:8081"));
        assert!(!h.allows("evil.example:8080"));
        assert!(!h.describe().is_empty());
    }

    #[test]
    fn configured_names_with_or_without_a_port() {
        let h = hosts(
            "127.0.0.1:8080",
            &["Console.Example.com", "other.example:8443"],
        );
        assert!(h.allows("console.example.com"));
        assert!(h.allows("console.example.com:443"));
        assert!(h.allows("other.example:8443"));
        assert!(!h.allows("other.example"));
        assert!(!h.allows("sub.console.example.com"));
        let bad =
            AllowedHosts::for_listener("127.0.0.1:1".parse().unwrap(), &["http://x/".to_string()]);
        assert!(bad.is_err());
    }

    #[test]
    fn cross_site_needs_same_origin_fetch_metadata_and_origin() {
        let mut h = HeaderMap::new();
        assert_eq!(cross_site(&h, Some("a:1")), None);
        h.insert("origin", HeaderValue::from_static("http://a:1"));
        assert_eq!(cross_site(&h, Some("a:1")), None);
        assert!(cross_site(&h, Some("b:1")).is_some());
        assert!(cross_site(&h, None).is_some());
        h.insert("origin", HeaderValue::from_static("null"));
        assert!(cross_site(&h, Some("a:1")).is_some());
        let mut h = HeaderMap::new();
        h.insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
        assert!(cross_site(&h, Some("a:1")).is_some());
        h.insert("sec-fetch-site", HeaderValue::from_static("same-site"));
        assert!(cross_site(&h, Some("a:1")).is_some());
        h.insert("sec-fetch-site", HeaderValue::from_static("none"));
        assert_eq!(cross_site(&h, Some("a:1")), None);
    }

    #[test]
    fn the_request_authority_must_be_unambiguous() {
        let uri: axum::http::Uri = "/x".parse().unwrap();
        let mut h = HeaderMap::new();
        assert_eq!(request_authority(&h, &uri), None);
        h.insert(header::HOST, HeaderValue::from_static("a:1"));
        assert_eq!(request_authority(&h, &uri).as_deref(), Some("a:1"));
        h.append(header::HOST, HeaderValue::from_static("b:1"));
        assert_eq!(request_authority(&h, &uri), None);
        let abs: axum::http::Uri = "http://b:1/x".parse().unwrap();
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("a:1"));
        assert_eq!(request_authority(&h, &abs), None);
        assert_eq!(
            request_authority(&HeaderMap::new(), &abs).as_deref(),
            Some("b:1")
        );
    }
}
