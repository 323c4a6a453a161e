//! A direct grant of an endpoint's ACL, and the object the Permissions API names.

use api_types::{PermissionLevel, Principal};

/// The root object serving-endpoint permissions inherit from.
pub const ROOT_OBJECT: &str = "/serving-endpoints/";
/// `object_type` of serving-endpoint permissions.
pub const OBJECT_TYPE: &str = "serving-endpoint";

/// One direct grant of an endpoint's ACL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub principal: Principal,
    pub level: PermissionLevel,
}

impl Grant {
    /// A grant of `level` to `principal`.
    pub fn new(principal: Principal, level: PermissionLevel) -> Self {
        Grant { principal, level }
    }
}
