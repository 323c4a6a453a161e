//! `GET /api/2.0/preview/scim/v2/Me`: who the caller is, with the workspace id in the
//! `X-Databricks-Org-Id` header (as workspaces send it; the Python SDK's `get_workspace_id` reads it).

use crate::emulator::principals::{Caller, IdentityKind};
use crate::emulator::random::splitmix64;
use crate::emulator::routes::discovery::ORG_ID_HEADER;
use crate::emulator::state::AppState;
use crate::error::AppJson;
use api_types::{ScimEmail, ScimGroupRef, ScimMe};
use axum::routing::get;
use axum::Router;

/// The SCIM user schema URN.
pub const SCIM_USER_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:User";

/// The SCIM routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/api/2.0/preview/scim/v2/Me", get(me))
}

/// A stable numeric SCIM id for a group name.
fn group_id(name: &str) -> String {
    let h = name.bytes().fold(0u64, |h, b| splitmix64(h ^ u64::from(b)));
    format!("{}", 100_000_000_000_000 + h % 900_000_000_000_000)
}

async fn me(
    axum::extract::State(state): axum::extract::State<AppState>,
    caller: Caller,
) -> ([(&'static str, String); 1], AppJson<ScimMe>) {
    let who = caller.0;
    let emails = match who.kind {
        IdentityKind::User => vec![ScimEmail {
            value: Some(who.name.to_string()),
            primary: Some(true),
            kind: Some("work".to_string()),
        }],
        IdentityKind::ServicePrincipal => Vec::new(),
    };
    let me = AppJson(ScimMe {
        id: Some(who.scim_id.to_string()),
        user_name: Some(who.name.to_string()),
        display_name: Some(who.display_name.to_string()),
        active: Some(true),
        emails,
        groups: who
            .groups
            .iter()
            .map(|g| ScimGroupRef {
                display: Some((*g).to_string()),
                value: Some(group_id(g)),
            })
            .collect(),
        schemas: vec![SCIM_USER_SCHEMA.to_string()],
    });
    ([(ORG_ID_HEADER, state.config().workspace_id.clone())], me)
}
