//! Build and server logs of a served entity (serving-api.md §5.7).

use super::{ApiClient, ApiError, Idempotency};
use crate::links::encode_segment;
use crate::model::log_view::LogKind;
use api_types::LogsResponse;

impl ApiClient {
    /// `GET /api/2.0/serving-endpoints/{name}/served-models/{entity}/logs` (or `build-logs`),
    /// with `config_version` as a query parameter when given.
    pub async fn served_entity_logs(
        &self,
        name: &str,
        entity: &str,
        kind: LogKind,
        config_version: Option<i64>,
        signal: Option<web_sys::AbortSignal>,
    ) -> Result<LogsResponse, ApiError> {
        let mut path = format!(
            "/api/2.0/serving-endpoints/{}/served-models/{}/{}",
            encode_segment(name),
            encode_segment(entity),
            kind.api_suffix()
        );
        if let Some(v) = config_version {
            path.push_str(&format!("?config_version={v}"));
        }
        self.json("GET", path, None, Idempotency::Read, signal)
            .await
    }
}
