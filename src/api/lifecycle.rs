//! Stop, start and delete an endpoint (serving-api.md §5.5, §5.6). Mutations: never retried.
//!
//! The bodies of stop/start answers are UNCONFIRMED (the emulator returns the endpoint): they
//! are not read, the caller re-fetches with `GET` and shows only what that confirms.

use super::{ApiClient, ApiError, Idempotency};
use crate::links::encode_segment;

impl ApiClient {
    /// `POST /api/2.0/serving-endpoints/{name}/config:stop` (no body).
    pub async fn stop_endpoint(&self, name: &str) -> Result<(), ApiError> {
        let path = format!(
            "/api/2.0/serving-endpoints/{}/config:stop",
            encode_segment(name)
        );
        self.send("POST", path, None, Idempotency::Mutation, None)
            .await
            .map(|_| ())
    }

    /// `POST /api/2.0/serving-endpoints/{name}/config:start` (no body).
    pub async fn start_endpoint(&self, name: &str) -> Result<(), ApiError> {
        let path = format!(
            "/api/2.0/serving-endpoints/{}/config:start",
            encode_segment(name)
        );
        self.send("POST", path, None, Idempotency::Mutation, None)
            .await
            .map(|_| ())
    }

    /// `DELETE /api/2.0/serving-endpoints/{name}` (answers `{}`).
    pub async fn delete_endpoint(&self, name: &str) -> Result<(), ApiError> {
        let path = format!("/api/2.0/serving-endpoints/{}", encode_segment(name));
        self.send("DELETE", path, None, Idempotency::Mutation, None)
            .await
            .map(|_| ())
    }
}
