//! Endpoint metrics (serving-api.md §5.9): Prometheus / OpenMetrics text.

use super::{ApiClient, ApiError, Idempotency};
use crate::links::encode_segment;

impl ApiClient {
    /// `GET /api/2.0/serving-endpoints/{name}/metrics`, as text (a read: retried per policy).
    pub async fn metrics(
        &self,
        name: &str,
        signal: Option<web_sys::AbortSignal>,
    ) -> Result<String, ApiError> {
        let path = format!(
            "/api/2.0/serving-endpoints/{}/metrics",
            encode_segment(name)
        );
        Ok(self
            .send("GET", path, None, Idempotency::Read, signal)
            .await?
            .body)
    }
}
