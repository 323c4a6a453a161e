//! Who may do what on an endpoint: the caller's effective level, and the ACL as the
//! Permissions API answers it (direct grants, then the inherited `admins` entry).

use super::grant::{OBJECT_TYPE, ROOT_OBJECT};
use super::record::EndpointRecord;
use crate::emulator::principals::{display_name_of, Identity, ADMINS_GROUP};
use api_types::{AccessControlResponse, ObjectPermissions, Permission, PermissionLevel, Principal};
use std::collections::BTreeMap;

impl EndpointRecord {
    /// The caller's effective level: max over direct grants, group grants and admin.
    pub fn level_for(&self, who: &Identity) -> Option<PermissionLevel> {
        if who.is_admin() {
            return Some(PermissionLevel::CanManage);
        }
        self.acl
            .iter()
            .filter(|g| who.is_covered_by(&g.principal))
            .map(|g| &g.level)
            .max_by_key(|l| l.rank())
            .filter(|l| l.rank() > 0)
            .cloned()
    }

    /// `GET /api/2.0/permissions/serving-endpoints/{id}`: direct grants per principal, then the
    /// inherited `admins` entry.
    pub fn object_permissions(&self) -> ObjectPermissions {
        let mut by_principal: BTreeMap<&Principal, Vec<Permission>> = BTreeMap::new();
        let mut order: Vec<&Principal> = Vec::new();
        for g in &self.acl {
            let entry = by_principal.entry(&g.principal).or_default();
            if entry.is_empty() {
                order.push(&g.principal);
            }
            entry.push(Permission {
                permission_level: Some(g.level.clone()),
                inherited: false,
                inherited_from_object: Vec::new(),
            });
        }
        let mut acl: Vec<AccessControlResponse> = order
            .into_iter()
            .map(|p| {
                let given = match p {
                    Principal::User(s) | Principal::ServicePrincipal(s) => {
                        self.display_names.get(s).cloned()
                    }
                    Principal::Group(_) => None,
                };
                let mut r = AccessControlResponse {
                    display_name: given.or_else(|| display_name_of(p)),
                    all_permissions: by_principal.get(p).cloned().unwrap_or_default(),
                    ..Default::default()
                };
                match p {
                    Principal::User(s) => r.user_name = Some(s.clone()),
                    Principal::Group(s) => r.group_name = Some(s.clone()),
                    Principal::ServicePrincipal(s) => r.service_principal_name = Some(s.clone()),
                }
                r
            })
            .collect();
        let inherited = Permission {
            permission_level: Some(PermissionLevel::CanManage),
            inherited: true,
            inherited_from_object: vec![ROOT_OBJECT.to_string()],
        };
        match acl
            .iter_mut()
            .find(|r| r.group_name.as_deref() == Some(ADMINS_GROUP))
        {
            Some(r) => r.all_permissions.push(inherited),
            None => acl.push(AccessControlResponse {
                group_name: Some(ADMINS_GROUP.to_string()),
                all_permissions: vec![inherited],
                ..Default::default()
            }),
        }
        ObjectPermissions {
            object_id: self.id().map(|id| format!("{ROOT_OBJECT}{id}")),
            object_type: Some(OBJECT_TYPE.to_string()),
            access_control_list: acl,
        }
    }
}
