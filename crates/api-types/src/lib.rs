//! Wire types of the Databricks Model Serving REST API (see `docs/serving-api.md`;
//! the `§` numbers in this crate are its sections).
//!
//! Forward compatible by design:
//! - unknown fields are ignored (no `deny_unknown_fields`);
//! - unknown enum values are kept as `Unknown(String)` and re-encode unchanged;
//! - every optional field may be absent (`config` is absent while the first config deploys);
//! - absent lists decode as empty.
//!
//! Compiles for wasm and host; no leptos/axum/tokio here.

mod changes;
mod endpoint;
mod enums;
mod error;
mod permissions;

pub use changes::*;
pub use endpoint::*;
pub use enums::*;
pub use error::*;
pub use permissions::*;

use serde::{Deserialize, Serialize};

/// `GET /api/2.0/serving-endpoints/{name}/served-models/{served}/logs` and `…/build-logs`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LogsResponse {
    #[serde(default)]
    pub logs: String,
}

/// One e-mail of a SCIM user.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ScimEmail {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary: Option<bool>,
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

/// A group membership in a SCIM user.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ScimGroupRef {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// `GET /api/2.0/preview/scim/v2/Me`: who the caller is.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ScimMe {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, rename = "userName", skip_serializing_if = "Option::is_none")]
    pub user_name: Option<String>,
    #[serde(
        default,
        rename = "displayName",
        skip_serializing_if = "Option::is_none"
    )]
    pub display_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub emails: Vec<ScimEmail>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<ScimGroupRef>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub schemas: Vec<String>,
}

impl ScimMe {
    /// The best human name: display name, else user name, else id.
    pub fn label(&self) -> &str {
        self.display_name
            .as_deref()
            .filter(|s| !s.is_empty())
            .or(self.user_name.as_deref())
            .or(self.id.as_deref())
            .unwrap_or("unknown user")
    }
}

/// Is `name` a valid endpoint name (`^[A-Za-z0-9_-]{1,63}$`, serving-api.md §2)?
pub fn is_valid_endpoint_name(name: &str) -> bool {
    (1..=63).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}
