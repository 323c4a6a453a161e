//! Permissions API for serving endpoints (§6).

use crate::enums::PermissionLevel;
use serde::{Deserialize, Serialize};

/// One entry of `all_permissions`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Permission {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permission_level: Option<PermissionLevel>,
    #[serde(default)]
    pub inherited: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inherited_from_object: Vec<String>,
}

/// The principal of an ACL entry: exactly one of user, group, service principal.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Principal {
    User(String),
    Group(String),
    ServicePrincipal(String),
}

impl Principal {
    /// The principal's name (e-mail, group name, or application id).
    pub fn name(&self) -> &str {
        match self {
            Principal::User(s) | Principal::Group(s) | Principal::ServicePrincipal(s) => s,
        }
    }

    /// "User", "Group", "Service principal".
    pub fn kind_label(&self) -> &'static str {
        match self {
            Principal::User(_) => "User",
            Principal::Group(_) => "Group",
            Principal::ServicePrincipal(_) => "Service principal",
        }
    }
}

/// One principal's entry in `access_control_list` of a response.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AccessControlResponse {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_principal_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(default)]
    pub all_permissions: Vec<Permission>,
}

/// One principal's entry in a PUT/PATCH request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AccessControlRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_principal_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permission_level: Option<PermissionLevel>,
}

fn principal_of(
    user: &Option<String>,
    group: &Option<String>,
    sp: &Option<String>,
) -> Option<Principal> {
    match (user, group, sp) {
        (Some(u), None, None) => Some(Principal::User(u.clone())),
        (None, Some(g), None) => Some(Principal::Group(g.clone())),
        (None, None, Some(s)) => Some(Principal::ServicePrincipal(s.clone())),
        _ => None,
    }
}

impl AccessControlResponse {
    /// The principal, or `None` when the entry names none or several.
    pub fn principal(&self) -> Option<Principal> {
        principal_of(
            &self.user_name,
            &self.group_name,
            &self.service_principal_name,
        )
    }
}

impl AccessControlRequest {
    /// The principal, or `None` when the entry names none or several.
    pub fn principal(&self) -> Option<Principal> {
        principal_of(
            &self.user_name,
            &self.group_name,
            &self.service_principal_name,
        )
    }

    /// A request entry for `principal` at `level`.
    pub fn new(principal: &Principal, level: PermissionLevel) -> Self {
        let mut r = AccessControlRequest {
            permission_level: Some(level),
            ..Default::default()
        };
        match principal {
            Principal::User(s) => r.user_name = Some(s.clone()),
            Principal::Group(s) => r.group_name = Some(s.clone()),
            Principal::ServicePrincipal(s) => r.service_principal_name = Some(s.clone()),
        }
        r
    }
}

/// `ObjectPermissions`: GET/PUT/PATCH response.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ObjectPermissions {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object_type: Option<String>,
    #[serde(default)]
    pub access_control_list: Vec<AccessControlResponse>,
}

/// PUT/PATCH body.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PermissionsRequest {
    #[serde(default)]
    pub access_control_list: Vec<AccessControlRequest>,
}

/// One element of `permission_levels`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PermissionLevelDescription {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permission_level: Option<PermissionLevel>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// `GET …/permissionLevels`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PermissionLevelsResponse {
    #[serde(default)]
    pub permission_levels: Vec<PermissionLevelDescription>,
}
