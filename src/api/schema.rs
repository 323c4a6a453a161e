//! The Schema tab's calls: the endpoint's OpenAPI document (a raw JSON document, not wrapped)
//! and queries to `/serving-endpoints/{name}/…/invocations` (no `/api/2.0`).

use super::{ApiClient, ApiError, HttpRequest, Idempotency};
use crate::links::{encode_path, encode_segment};

/// The outcome of a query: whatever the server answered, and how long it took.
#[derive(Debug, Clone, PartialEq)]
pub struct Invocation {
    /// HTTP status.
    pub status: u16,
    /// Body text as received (JSON, HTML, empty, truncated…).
    pub body: String,
    /// Milliseconds from sending to the full body.
    pub latency_ms: f64,
}

/// A monotonic clock in ms (performance.now in the browser).
fn now_ms() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        web_sys::window()
            .and_then(|w| w.performance())
            .map(|p| p.now())
            .unwrap_or_else(js_sys::Date::now)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        0.0
    }
}

impl ApiClient {
    /// `GET /api/2.0/serving-endpoints/{name}/openapi`: the document's text. A read: retried
    /// per the policy.
    pub async fn get_openapi(
        &self,
        name: &str,
        signal: Option<web_sys::AbortSignal>,
    ) -> Result<String, ApiError> {
        let path = format!(
            "/api/2.0/serving-endpoints/{}/openapi",
            encode_segment(name)
        );
        let resp = self
            .send("GET", path, None, Idempotency::Read, signal)
            .await?;
        Ok(resp.body)
    }

    /// The same-origin URL of an operation of endpoint `name` (`op_path` from the document,
    /// e.g. `/served-models/m-1/invocations`).
    pub fn invocation_url(&self, name: &str, op_path: &str) -> String {
        let op = encode_path(op_path);
        let op = if op.starts_with('/') {
            op
        } else {
            format!("/{op}")
        };
        format!(
            "{}/serving-endpoints/{}{op}",
            self.base,
            encode_segment(name)
        )
    }

    /// `POST` a query. Never retried (a mutation as far as retries go); every HTTP answer,
    /// 4xx/5xx included, comes back as an [`Invocation`]; only transport failures are errors.
    pub async fn invoke(
        &self,
        name: &str,
        op_path: &str,
        body: String,
        signal: Option<web_sys::AbortSignal>,
    ) -> Result<Invocation, ApiError> {
        let req = HttpRequest {
            method: "POST",
            url: self.invocation_url(name, op_path),
            body: Some(body),
            bearer: self.token.read().ok().and_then(|t| t.clone()),
        };
        let t0 = now_ms();
        let resp = self
            .transport
            .send(req, signal, self.timeout_ms.max(60_000))
            .await
            .map_err(ApiError::from)?;
        Ok(Invocation {
            status: resp.status,
            body: resp.body,
            latency_ms: (now_ms() - t0).max(0.0),
        })
    }
}
