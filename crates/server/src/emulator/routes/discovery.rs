//! What a workspace tells clients about itself:
//!
//! - `GET /.well-known/databricks-config`: the host metadata the Databricks SDKs ask for when a
//!   client is made (sdk-py `Config._resolve_host_metadata`, sdk-go `resolveHostMetadata`), with
//!   no token. Fields: `oidc_endpoint` (the OIDC root; the SDK appends
//!   `/.well-known/oauth-authorization-server`), `account_id`, `workspace_id`, `cloud`,
//!   `host_type`. The field names are CONFIRMED by the SDKs' parsers and tests; the values a real
//!   workspace sends are UNCONFIRMED (serving-api.md §13): we answer a workspace on AWS with fixed
//!   ids. Without this route the SDK received the console's HTML page and logged a fallback
//!   warning.
//! - The workspace id is also the `X-Databricks-Org-Id` header of `GET …/scim/v2/Me` (the SDK's
//!   `WorkspaceClient.get_workspace_id` reads it there when the metadata gave none).

use crate::emulator::state::AppState;
use crate::error::json_response;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde::Serialize;

/// The emulated workspace's id (a 16-digit number, as real workspace ids are).
pub const WORKSPACE_ID: &str = crate::emulator::state::DEFAULT_WORKSPACE_ID;

/// The emulated workspace's account (a UUID, as real account ids are).
pub const ACCOUNT_ID: &str = "00000000-0000-4000-8000-000000000001";

/// The response header that carries the workspace id.
pub const ORG_ID_HEADER: &str = "x-databricks-org-id";

/// The discovery route.
pub fn router() -> Router<AppState> {
    Router::new().route("/.well-known/databricks-config", get(databricks_config))
}

/// The body of `GET /.well-known/databricks-config`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct HostMetadata {
    pub oidc_endpoint: String,
    pub account_id: &'static str,
    pub workspace_id: String,
    pub cloud: &'static str,
    pub host_type: &'static str,
}

/// The metadata of the workspace `workspace_id` reached at `base` (`http://127.0.0.1:port`,
/// plus `/w/{id}` under `demo --workspaces N`).
pub fn host_metadata(base: &str, workspace_id: &str) -> HostMetadata {
    HostMetadata {
        oidc_endpoint: format!("{base}/oidc"),
        account_id: ACCOUNT_ID,
        workspace_id: workspace_id.to_string(),
        cloud: "AWS",
        host_type: "workspace",
    }
}

/// `GET /.well-known/databricks-config`: no token needed (the SDK sends none).
/// Under `demo --workspaces N` the OIDC root is the workspace's own (`…/w/{id}/oidc`).
async fn databricks_config(State(state): State<AppState>, headers: HeaderMap) -> Response {
    json_response(&host_metadata(
        &crate::emulator::oidc::workspace_url(&state, &headers),
        &state.config().workspace_id,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oidc_endpoint_is_the_hosts_oidc_root() {
        let m = host_metadata("http://127.0.0.1:8080", WORKSPACE_ID);
        assert_eq!(m.oidc_endpoint, "http://127.0.0.1:8080/oidc");
        assert_eq!(m.workspace_id.len(), 16);
        assert!(m.workspace_id.bytes().all(|b| b.is_ascii_digit()));
    }
}
