//! Helpers of the tests of this module: principals, a fixture ACL, a deterministic PRNG, and a
//! model of the server's PUT/PATCH semantics for the property tests.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use api_types::{AccessControlRequest, ObjectPermissions};
pub(super) use api_types::{
    AccessControlResponse, Permission, PermissionLevel, Principal, ScimGroupRef,
};

pub(super) use PermissionLevel::{CanManage as M, CanQuery as Q, CanView as V};

pub(super) fn user(s: &str) -> Principal {
    Principal::User(s.into())
}

pub(super) fn group(s: &str) -> Principal {
    Principal::Group(s.into())
}

pub(super) fn sp(s: &str) -> Principal {
    Principal::ServicePrincipal(s.into())
}

pub(super) const FIXTURE: &str = r#"{
      "object_id": "/serving-endpoints/3f1b", "object_type": "serving-endpoint",
      "access_control_list": [
        {"user_name": "alice.chen@contoso.com", "display_name": "Alice Chen",
         "all_permissions": [{"permission_level": "CAN_MANAGE", "inherited": false}]},
        {"group_name": "risk-analysts",
         "all_permissions": [{"permission_level": "CAN_QUERY", "inherited": false}]},
        {"service_principal_name": "6d1f0a3e-9c2b-4e8d-a7f5-3b2c1d0e9f8a", "display_name": "sp-fraud-gateway",
         "all_permissions": [{"permission_level": "CAN_QUERY", "inherited": false}]},
        {"group_name": "admins",
         "all_permissions": [{"permission_level": "CAN_MANAGE", "inherited": true, "inherited_from_object": ["/serving-endpoints/"]}]},
        {"user_name": "henry.adams@contoso.com", "display_name": "Henry Adams",
         "all_permissions": [{"permission_level": "CAN_QUERY", "inherited": false},
                             {"permission_level": "CAN_MANAGE", "inherited": true, "inherited_from_object": ["/serving-endpoints/"]}]},
        {"user_name": "x@y.z", "group_name": "both", "all_permissions": [{"permission_level": "CAN_VIEW"}]}
      ]}"#;

pub(super) fn fixture() -> Acl {
    Acl::from_response(&serde_json::from_str(FIXTURE).unwrap())
}

pub(super) fn alice() -> Me {
    Me {
        names: vec!["alice.chen@contoso.com".into()],
        groups: vec!["users".into(), "risk-ml".into()],
    }
}

pub(super) fn clean_fixture() -> Acl {
    let mut a = fixture();
    a.unreadable = 0;
    a
}

/// splitmix64.
pub(super) struct Rng(pub(super) u64);

impl Rng {
    pub(super) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub(super) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub(super) fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    pub(super) fn level(&mut self) -> PermissionLevel {
        [M, Q, V][self.below(3)].clone()
    }
}

pub(super) fn pool() -> Vec<Principal> {
    vec![
        user("a@x.org"),
        user("b@x.org"),
        user("me@x.org"),
        group("g1"),
        group("g2"),
        group("admins"),
        sp("00000000-0000-0000-0000-00000000000a"),
        sp("00000000-0000-0000-0000-00000000000b"),
    ]
}

/// The server: direct grants per principal (in order) plus fixed inherited grants.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Server {
    pub(super) direct: Vec<(Principal, PermissionLevel)>,
    pub(super) inherited: Vec<(Principal, PermissionLevel)>,
}

impl Server {
    pub(super) fn random(rng: &mut Rng) -> Server {
        let mut direct = Vec::new();
        for p in pool() {
            if rng.chance(45) {
                direct.push((p.clone(), rng.level()));
                if rng.chance(5) {
                    direct.push((p.clone(), rng.level()));
                }
            }
        }
        let mut inherited = vec![(group("admins"), M)];
        if rng.chance(30) {
            inherited.push((pool()[rng.below(8)].clone(), rng.level()));
        }
        Server { direct, inherited }
    }

    pub(super) fn acl(&self) -> Acl {
        let mut list: Vec<AccessControlResponse> = Vec::new();
        let mut push = |p: &Principal, l: &PermissionLevel, inherited: bool| {
            let r = AccessControlResponse {
                all_permissions: vec![Permission {
                    permission_level: Some(l.clone()),
                    inherited,
                    inherited_from_object: if inherited {
                        vec!["/serving-endpoints/".into()]
                    } else {
                        vec![]
                    },
                }],
                ..AccessControlResponse::default()
            };
            let mut r = r;
            match p {
                Principal::User(s) => r.user_name = Some(s.clone()),
                Principal::Group(s) => r.group_name = Some(s.clone()),
                Principal::ServicePrincipal(s) => r.service_principal_name = Some(s.clone()),
            }
            list.push(r);
        };
        for (p, l) in &self.direct {
            push(p, l, false);
        }
        for (p, l) in &self.inherited {
            push(p, l, true);
        }
        Acl::from_response(&ObjectPermissions {
            access_control_list: list,
            ..Default::default()
        })
    }

    pub(super) fn patch(&mut self, body: &[AccessControlRequest]) {
        for r in body {
            let (Some(p), Some(l)) = (r.principal(), r.permission_level.clone()) else {
                panic!("a PATCH entry without principal or level: {r:?}");
            };
            let k = key(&p);
            match self.direct.iter().position(|(x, _)| key(x) == k) {
                Some(i) => {
                    self.direct[i].1 = l;
                    let mut j = i + 1;
                    while j < self.direct.len() {
                        if key(&self.direct[j].0) == k {
                            self.direct.remove(j);
                        } else {
                            j += 1;
                        }
                    }
                }
                None => self.direct.push((p, l)),
            }
        }
    }

    pub(super) fn put(&mut self, body: &[AccessControlRequest]) {
        self.direct = body
            .iter()
            .map(|r| (r.principal().unwrap(), r.permission_level.clone().unwrap()))
            .collect();
    }

    pub(super) fn apply(&mut self, plan: &Plan) {
        match plan {
            Plan::Nothing => {}
            Plan::Patch(b) => self.patch(b),
            Plan::Put(b) => self.put(b),
        }
    }

    /// A random concurrent change by someone else: PATCHes and PUT-removals.
    pub(super) fn meddle(&mut self, rng: &mut Rng) {
        for _ in 0..rng.below(3) {
            if rng.chance(60) {
                let p = pool()[rng.below(8)].clone();
                let l = if p == group("admins") { M } else { rng.level() };
                self.patch(&[AccessControlRequest::new(&p, l)]);
            } else if !self.direct.is_empty() {
                let i = rng.below(self.direct.len());
                self.direct.remove(i);
            }
        }
    }
}

pub(super) fn random_draft(rng: &mut Rng, base: Acl) -> Draft {
    let mut d = Draft::new(base);
    for _ in 0..rng.below(4) {
        let p = pool()[rng.below(8)].clone();
        if rng.chance(35) {
            d.remove(&p);
        } else {
            let l = if p == group("admins") { M } else { rng.level() };
            d.set_level(&p, l);
        }
    }
    d
}

/// The conflict rule stated independently of `plan`'s code.
pub(super) fn should_conflict(d: &Draft, fresh: &Acl) -> bool {
    pool().iter().any(|p| {
        let k = key(p);
        let (b, f) = (d.base().direct(&k), fresh.direct(&k));
        match d.edit(&k) {
            Some(e) => b != f && f != e.levels(),
            None => b != f && d.has_removals(),
        }
    })
}
