//! The only code that does HTTP. One async method per operation, a typed [`ApiError`],
//! read retries with capped full-jitter backoff honouring `Retry-After`, request timeouts,
//! and cancellation through an `AbortSignal`. Components never call gloo-net directly.

pub mod config;
mod error;
pub mod fleet;
mod lifecycle;
mod logs;
mod metrics;
mod permissions;
mod schema;
mod token;
mod transport;

pub use error::ApiError;
pub use schema::Invocation;
pub use transport::{
    BrowserTransport, FakeTransport, HttpRequest, HttpResponse, Transport, TransportError,
};

use crate::links::encode_segment;
use crate::model::retry::{next_delay, Failure, Limits, RetryPolicy};
use api_types::{ListEndpointsResponse, ScimMe, ServingEndpointDetailed};
use serde::de::DeserializeOwned;
use std::sync::Arc;

/// How a request may be retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Idempotency {
    /// A read: retried on 429/503/504/network/timeout.
    Read,
    /// A mutation: never retried automatically.
    Mutation,
}

/// The typed client: a base path plus a transport. Plain data, `Send + Sync`, cheap to clone.
#[derive(Clone)]
pub struct ApiClient {
    base: String,
    transport: Arc<dyn Transport>,
    policy: RetryPolicy,
    timeout_ms: u64,
    token: Arc<std::sync::RwLock<Option<String>>>,
    /// Rate limit and retry budget, shared by every clone (one tab, one client).
    limits: Arc<std::sync::Mutex<Limits>>,
}

impl ApiClient {
    /// A client for `base` (e.g. `""` or `"/console"`), sending through `transport`.
    pub fn new(base: &str, transport: Arc<dyn Transport>, timeout_ms: u64) -> Self {
        ApiClient {
            base: base.trim_end_matches('/').to_string(),
            transport,
            policy: RetryPolicy::default(),
            timeout_ms,
            token: Arc::new(std::sync::RwLock::new(None)),
            limits: Arc::new(std::sync::Mutex::new(Limits::default())),
        }
    }

    /// Replace the retry policy (tests use a zero-delay one).
    pub fn with_policy(mut self, policy: RetryPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// Set (or clear) the in-memory personal access token used in token mode.
    pub fn set_token(&self, token: Option<String>) {
        if let Ok(mut t) = self.token.write() {
            *t = token;
        }
    }

    /// Is a token held (token mode)?
    pub fn has_token(&self) -> bool {
        self.token.read().map(|t| t.is_some()).unwrap_or(false)
    }

    /// `GET /api/2.0/serving-endpoints`.
    pub async fn list_endpoints(
        &self,
        signal: Option<web_sys::AbortSignal>,
    ) -> Result<ListEndpointsResponse, ApiError> {
        self.json(
            "GET",
            "/api/2.0/serving-endpoints".into(),
            None,
            Idempotency::Read,
            signal,
        )
        .await
    }

    /// `GET /api/2.0/serving-endpoints/{name}`.
    pub async fn get_endpoint(
        &self,
        name: &str,
        signal: Option<web_sys::AbortSignal>,
    ) -> Result<ServingEndpointDetailed, ApiError> {
        let path = format!("/api/2.0/serving-endpoints/{}", encode_segment(name));
        self.json("GET", path, None, Idempotency::Read, signal)
            .await
    }

    /// `GET /api/2.0/preview/scim/v2/Me`.
    pub async fn me(&self, signal: Option<web_sys::AbortSignal>) -> Result<ScimMe, ApiError> {
        self.json(
            "GET",
            "/api/2.0/preview/scim/v2/Me".into(),
            None,
            Idempotency::Read,
            signal,
        )
        .await
    }

    /// Send a request and decode its JSON body, retrying reads per the policy.
    pub async fn json<T: DeserializeOwned>(
        &self,
        method: &'static str,
        path: String,
        body: Option<String>,
        idem: Idempotency,
        signal: Option<web_sys::AbortSignal>,
    ) -> Result<T, ApiError> {
        let text = self.send(method, path, body, idem, signal).await?;
        decode_json(&text.body, text.status)
    }

    /// Send with retries; returns the successful (2xx) response.
    pub async fn send(
        &self,
        method: &'static str,
        path: String,
        body: Option<String>,
        idem: Idempotency,
        signal: Option<web_sys::AbortSignal>,
    ) -> Result<HttpResponse, ApiError> {
        let mut attempt: u32 = 0;
        let limited = self.transport.real_time();
        loop {
            attempt += 1;
            if limited {
                self.wait_for_token(&signal).await?;
            }
            let req = HttpRequest {
                method,
                url: format!("{}{}", self.base, path),
                body: body.clone(),
                bearer: self.token.read().ok().and_then(|t| t.clone()),
            };
            let result = self
                .transport
                .send(req, signal.clone(), self.timeout_ms)
                .await
                .map_err(ApiError::from)
                .and_then(ApiError::check_status);
            let err = match result {
                Ok(resp) => return Ok(resp),
                Err(e) => e,
            };
            if idem == Idempotency::Mutation || matches!(err, ApiError::Aborted) {
                return Err(err);
            }
            let failure = match &err {
                ApiError::Network(_) => Failure::Network,
                ApiError::Timeout => Failure::Timeout,
                ApiError::Http {
                    status,
                    retry_after,
                    ..
                } => Failure::Http {
                    status: *status,
                    retry_after: retry_after.clone(),
                },
                _ => Failure::Decode,
            };
            let now = js_now_ms();
            match next_delay(&self.policy, attempt, &failure, now, random01()) {
                // The session's retry budget is spent: fail fast (budgets.md R1).
                Some(_) if limited && !self.with_limits(|l| l.budget.try_acquire(now), true) => {
                    return Err(err)
                }
                Some(ms) => {
                    if self.transport.sleep(ms, signal.clone()).await.is_err() {
                        return Err(ApiError::Aborted);
                    }
                }
                None => return Err(err),
            }
        }
    }
}

impl ApiClient {
    fn with_limits<R>(&self, f: impl FnOnce(&mut Limits) -> R, poisoned: R) -> R {
        match self.limits.lock() {
            Ok(mut l) => f(&mut l),
            Err(_) => poisoned,
        }
    }

    /// Wait until the tab's rate limit lets one more request go (budgets.md R7), and count it
    /// for the retry budget.
    async fn wait_for_token(&self, signal: &Option<web_sys::AbortSignal>) -> Result<(), ApiError> {
        loop {
            let now = js_now_ms();
            let taken = self.with_limits(
                |l| {
                    let t = l.bucket.take(now);
                    if t.is_ok() {
                        l.budget.record_request(now);
                    }
                    t
                },
                Ok(()),
            );
            match taken {
                Ok(()) => return Ok(()),
                Err(ms) => {
                    if self.transport.sleep(ms, signal.clone()).await.is_err() {
                        return Err(ApiError::Aborted);
                    }
                }
            }
        }
    }
}

/// Decode a JSON body, mapping failures to [`ApiError::Decode`].
pub fn decode_json<T: DeserializeOwned>(body: &str, status: u16) -> Result<T, ApiError> {
    serde_json::from_str(body).map_err(|e| ApiError::Decode {
        status,
        message: format!("The response could not be read as the expected JSON ({e})."),
    })
}

/// Milliseconds since the epoch (browser clock; 0 natively).
pub fn js_now_ms() -> i64 {
    #[cfg(target_arch = "wasm32")]
    {
        js_sys::Date::now() as i64
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0)
    }
}

fn random01() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        js_sys::Math::random()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        0.5
    }
}
