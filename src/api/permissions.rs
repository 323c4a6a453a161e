//! The Permissions API of serving endpoints, keyed by the endpoint's `id` (serving-api.md §6).
//! Reads are retried per the policy; PUT and PATCH never are.

use super::{ApiClient, ApiError, Idempotency};
use crate::links::encode_segment;
use api_types::{
    AccessControlRequest, ObjectPermissions, PermissionLevelsResponse, PermissionsRequest,
};

fn path(id: &str) -> String {
    format!(
        "/api/2.0/permissions/serving-endpoints/{}",
        encode_segment(id)
    )
}

fn body(acl: Vec<AccessControlRequest>) -> Result<String, ApiError> {
    serde_json::to_string(&PermissionsRequest {
        access_control_list: acl,
    })
    .map_err(|e| ApiError::Decode {
        status: 0,
        message: format!("The request could not be encoded ({e})."),
    })
}

impl ApiClient {
    /// `GET /api/2.0/permissions/serving-endpoints/{id}`.
    pub async fn get_permissions(
        &self,
        id: &str,
        signal: Option<web_sys::AbortSignal>,
    ) -> Result<ObjectPermissions, ApiError> {
        self.json("GET", path(id), None, Idempotency::Read, signal)
            .await
    }

    /// `GET /api/2.0/permissions/serving-endpoints/{id}/permissionLevels`.
    pub async fn get_permission_levels(
        &self,
        id: &str,
        signal: Option<web_sys::AbortSignal>,
    ) -> Result<PermissionLevelsResponse, ApiError> {
        let p = format!("{}/permissionLevels", path(id));
        self.json("GET", p, None, Idempotency::Read, signal).await
    }

    /// `PATCH …/{id}`: add or change the grants listed; never retried.
    pub async fn patch_permissions(
        &self,
        id: &str,
        acl: Vec<AccessControlRequest>,
    ) -> Result<ObjectPermissions, ApiError> {
        let b = body(acl)?;
        self.json("PATCH", path(id), Some(b), Idempotency::Mutation, None)
            .await
    }

    /// `PUT …/{id}`: replace every direct grant with `acl`; never retried.
    pub async fn put_permissions(
        &self,
        id: &str,
        acl: Vec<AccessControlRequest>,
    ) -> Result<ObjectPermissions, ApiError> {
        let b = body(acl)?;
        self.json("PUT", path(id), Some(b), Idempotency::Mutation, None)
            .await
    }
}
