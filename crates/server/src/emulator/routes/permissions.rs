//! The Permissions API of serving endpoints (serving-api.md §6), keyed by the endpoint's `id`:
//!
//! - `GET   /api/2.0/permissions/serving-endpoints/{id}`: the ACL (`ObjectPermissions`); needs
//!   at least `CAN_VIEW`.
//! - `GET   /api/2.0/permissions/serving-endpoints/{id}/permissionLevels`: the three levels.
//! - `PUT   /api/2.0/permissions/serving-endpoints/{id}`: replaces **all direct** grants with
//!   the list given (an empty or absent list removes them all); the inherited `admins` grant is
//!   untouched. Needs `CAN_MANAGE`.
//! - `PATCH /api/2.0/permissions/serving-endpoints/{id}`: adds or changes the grant of each
//!   principal listed (upsert by principal), leaves everyone else alone. Needs `CAN_MANAGE`.
//!
//! Errors, in this order: 401 (token), 404 `RESOURCE_DOES_NOT_EXIST` (unknown id), 403
//! `PERMISSION_DENIED` (`'View'` to read, `'Manage'` to write), 400 `MALFORMED_REQUEST`
//! (unreadable body), 400 `INVALID_PARAMETER_VALUE` (an entry naming no principal or several, an
//! empty name, a service principal name that is not an application id, a missing level, a level
//! other than `CAN_MANAGE`/`CAN_QUERY`/`CAN_VIEW`, or the `admins` group below `CAN_MANAGE`).
//! A request is validated as a whole before anything changes: a 400 writes nothing.
//!
//! Principals are matched case-insensitively for users and service principals (e-mails and
//! UUIDs), exactly for groups. A principal listed twice in one request gets the higher level.
//! The caller's effective level (GET endpoint's `permission_level`, the list's visibility, every
//! other check) is computed from the ACL, so it follows these changes immediately.

use super::endpoints::authorize;
use crate::emulator::principals::{looks_like_application_id, Caller, ADMINS_GROUP};
use crate::emulator::state::AppState;
use crate::emulator::store::{EndpointRecord, Grant, Store};
use crate::error::{json_response, ApiError, AppJson};
use api_types::{
    AccessControlRequest, PermissionLevel, PermissionLevelDescription, PermissionLevelsResponse,
    PermissionsRequest, Principal,
};
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;

/// The permissions routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/2.0/permissions/serving-endpoints/{id}",
            get(get_permissions)
                .put(put_permissions)
                .patch(patch_permissions),
        )
        .route(
            "/api/2.0/permissions/serving-endpoints/{id}/permissionLevels",
            get(get_permission_levels),
        )
}

/// The levels valid for serving endpoints, with their descriptions (fixture wording).
pub fn permission_levels() -> PermissionLevelsResponse {
    let level = |l: PermissionLevel, d: &str| PermissionLevelDescription {
        permission_level: Some(l),
        description: Some(d.to_string()),
    };
    PermissionLevelsResponse {
        permission_levels: vec![
            level(
                PermissionLevel::CanManage,
                "Can manage the serving endpoint",
            ),
            level(PermissionLevel::CanQuery, "Can query the serving endpoint"),
            level(PermissionLevel::CanView, "Can view the serving endpoint"),
        ],
    }
}

/// 404 for an id no endpoint has.
pub fn unknown_id(id: &str) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "RESOURCE_DOES_NOT_EXIST",
        format!("Serving endpoint with id '{id}' does not exist."),
    )
}

fn endpoint_id(path: Result<Path<String>, PathRejection>) -> Result<String, ApiError> {
    let Path(id) =
        path.map_err(|e| ApiError::invalid_parameter(format!("Invalid path: {}", e.body_text())))?;
    Ok(id)
}

fn record_by_id<'a>(store: &'a Store, id: &str) -> Result<&'a EndpointRecord, ApiError> {
    store.get_by_id(id).ok_or_else(|| unknown_id(id))
}

/// The key principals are matched by: users and service principals ignore ASCII case.
pub fn principal_key(p: &Principal) -> (u8, String) {
    match p {
        Principal::User(s) => (0, s.to_ascii_lowercase()),
        Principal::Group(s) => (1, s.clone()),
        Principal::ServicePrincipal(s) => (2, s.to_ascii_lowercase()),
    }
}

fn describe(p: &Principal) -> String {
    match p {
        Principal::User(s) => format!("user '{s}'"),
        Principal::Group(s) => format!("group '{s}'"),
        Principal::ServicePrincipal(s) => format!("service principal '{s}'"),
    }
}

/// Validate a PUT/PATCH list as a whole: one grant per principal (the higher level of
/// duplicates), in request order. Any invalid entry fails the whole request.
pub fn validate_acl(list: &[AccessControlRequest]) -> Result<Vec<Grant>, ApiError> {
    let mut out: Vec<Grant> = Vec::with_capacity(list.len());
    for (i, entry) in list.iter().enumerate() {
        let named = [
            entry.user_name.is_some(),
            entry.group_name.is_some(),
            entry.service_principal_name.is_some(),
        ]
        .iter()
        .filter(|b| **b)
        .count();
        let principal = match (named, entry.principal()) {
            (1, Some(p)) => p,
            (0, _) => {
                return Err(ApiError::invalid_parameter(format!(
                    "access_control_list[{i}] names no principal: set one of user_name, \
                     group_name or service_principal_name."
                )))
            }
            _ => {
                return Err(ApiError::invalid_parameter(format!(
                    "access_control_list[{i}] names more than one principal: set exactly one of \
                     user_name, group_name or service_principal_name."
                )))
            }
        };
        if principal.name().trim().is_empty() {
            return Err(ApiError::invalid_parameter(format!(
                "access_control_list[{i}] has an empty principal name."
            )));
        }
        if let Principal::ServicePrincipal(s) = &principal {
            if !looks_like_application_id(s) {
                return Err(ApiError::invalid_parameter(format!(
                    "Service principal '{s}' is not a valid application id (a UUID)."
                )));
            }
        }
        let level = match &entry.permission_level {
            None => {
                return Err(ApiError::invalid_parameter(format!(
                    "access_control_list[{i}] has no permission_level for {}.",
                    describe(&principal)
                )))
            }
            Some(PermissionLevel::Unknown(other)) => {
                return Err(ApiError::invalid_parameter(format!(
                    "Permission level '{other}' is not valid for serving endpoints; use one of \
                     CAN_MANAGE, CAN_QUERY, CAN_VIEW."
                )))
            }
            Some(l) => l.clone(),
        };
        if matches!(&principal, Principal::Group(g) if g == ADMINS_GROUP)
            && level != PermissionLevel::CanManage
        {
            return Err(ApiError::invalid_parameter(format!(
                "Cannot change permissions for group '{ADMINS_GROUP}' to {level}."
            )));
        }
        let key = principal_key(&principal);
        match out.iter_mut().find(|g| principal_key(&g.principal) == key) {
            Some(g) => {
                if level.rank() > g.level.rank() {
                    g.level = level;
                }
            }
            None => out.push(Grant::new(principal, level)),
        }
    }
    Ok(out)
}

/// PATCH semantics: each grant replaces the direct grant(s) of its principal in place, or is
/// appended; every other grant stays.
pub fn upsert(acl: &mut Vec<Grant>, grants: Vec<Grant>) {
    for g in grants {
        let key = principal_key(&g.principal);
        match acl.iter().position(|e| principal_key(&e.principal) == key) {
            Some(first) => {
                acl[first].level = g.level;
                let mut i = acl.len();
                while i > first + 1 {
                    i -= 1;
                    if principal_key(&acl[i].principal) == key {
                        acl.remove(i);
                    }
                }
            }
            None => acl.push(g),
        }
    }
}

async fn get_permissions(
    State(state): State<AppState>,
    caller: Caller,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let id = endpoint_id(path)?;
    let body = {
        let store = state.store();
        let record = record_by_id(&store, &id)?;
        authorize(record, &caller, &PermissionLevel::CanView)?;
        record.object_permissions()
    };
    Ok(json_response(&body))
}

async fn get_permission_levels(
    State(state): State<AppState>,
    caller: Caller,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let id = endpoint_id(path)?;
    {
        let store = state.store();
        let record = record_by_id(&store, &id)?;
        authorize(record, &caller, &PermissionLevel::CanView)?;
    }
    Ok(json_response(&permission_levels()))
}

#[derive(Clone, Copy)]
enum Write {
    Replace,
    Upsert,
}

/// PUT and PATCH: checks and the change happen under one write lock, so concurrent writers are
/// serialised exactly as the real service would answer them one after the other.
fn write(
    state: &AppState,
    caller: &Caller,
    id: &str,
    body: Result<AppJson<PermissionsRequest>, ApiError>,
    how: Write,
) -> Result<Response, ApiError> {
    let mut store = state.store_mut();
    let name = store
        .name_of_id(id)
        .map(str::to_string)
        .ok_or_else(|| unknown_id(id))?;
    let record = store.get_mut(&name).ok_or_else(|| unknown_id(id))?;
    authorize(record, caller, &PermissionLevel::CanManage)?;
    let AppJson(request) = body?;
    let grants = validate_acl(&request.access_control_list)?;
    match how {
        Write::Replace => record.acl = grants,
        Write::Upsert => upsert(&mut record.acl, grants),
    }
    let out = record.object_permissions();
    drop(store);
    Ok(json_response(&out))
}

async fn put_permissions(
    State(state): State<AppState>,
    caller: Caller,
    path: Result<Path<String>, PathRejection>,
    body: Result<AppJson<PermissionsRequest>, ApiError>,
) -> Result<Response, ApiError> {
    let id = endpoint_id(path)?;
    write(&state, &caller, &id, body, Write::Replace)
}

async fn patch_permissions(
    State(state): State<AppState>,
    caller: Caller,
    path: Result<Path<String>, PathRejection>,
    body: Result<AppJson<PermissionsRequest>, ApiError>,
) -> Result<Response, ApiError> {
    let id = endpoint_id(path)?;
    write(&state, &caller, &id, body, Write::Upsert)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(p: Principal, l: &str) -> AccessControlRequest {
        let mut r = AccessControlRequest::new(&p, PermissionLevel::CanView);
        r.permission_level = serde_json::from_value(serde_json::json!(l)).ok();
        r
    }

    #[test]
    fn duplicates_keep_the_higher_level_and_case_is_ignored_for_users() {
        let g = validate_acl(&[
            req(Principal::User("A@x.org".into()), "CAN_VIEW"),
            req(Principal::User("a@x.org".into()), "CAN_MANAGE"),
            req(Principal::Group("g".into()), "CAN_QUERY"),
            req(Principal::Group("G".into()), "CAN_VIEW"),
        ])
        .unwrap();
        assert_eq!(g.len(), 3);
        assert_eq!(g[0].level, PermissionLevel::CanManage);
        assert_eq!(g[0].principal, Principal::User("A@x.org".into()));
    }

    #[test]
    fn upsert_replaces_in_place_and_appends() {
        let mut acl = vec![
            Grant::new(Principal::User("a@x.org".into()), PermissionLevel::CanView),
            Grant::new(Principal::Group("g".into()), PermissionLevel::CanQuery),
            Grant::new(Principal::User("A@X.org".into()), PermissionLevel::CanQuery),
        ];
        upsert(
            &mut acl,
            vec![
                Grant::new(
                    Principal::User("a@x.org".into()),
                    PermissionLevel::CanManage,
                ),
                Grant::new(Principal::Group("h".into()), PermissionLevel::CanView),
            ],
        );
        assert_eq!(
            acl,
            vec![
                Grant::new(
                    Principal::User("a@x.org".into()),
                    PermissionLevel::CanManage
                ),
                Grant::new(Principal::Group("g".into()), PermissionLevel::CanQuery),
                Grant::new(Principal::Group("h".into()), PermissionLevel::CanView),
            ]
        );
    }

    #[test]
    fn invalid_entries_are_refused() {
        let mut two = req(Principal::User("a@x.org".into()), "CAN_VIEW");
        two.group_name = Some("g".into());
        let none = AccessControlRequest {
            permission_level: Some(PermissionLevel::CanView),
            ..Default::default()
        };
        for bad in [
            vec![two],
            vec![none],
            vec![req(Principal::User("a@x.org".into()), "CAN_RESTART")],
            vec![AccessControlRequest {
                user_name: Some("a@x.org".into()),
                ..Default::default()
            }],
            vec![req(Principal::User("  ".into()), "CAN_VIEW")],
            vec![req(Principal::ServicePrincipal("robot".into()), "CAN_VIEW")],
            vec![req(Principal::Group("admins".into()), "CAN_QUERY")],
        ] {
            let e = validate_acl(&bad).unwrap_err();
            assert_eq!(e.status, StatusCode::BAD_REQUEST);
            assert_eq!(e.code, "INVALID_PARAMETER_VALUE");
        }
        assert!(validate_acl(&[req(Principal::Group("admins".into()), "CAN_MANAGE")]).is_ok());
    }
}
