//! Who I am, my effective level, and whether a save would lock me out of managing the endpoint.

use super::acl::{highest, key, Acl, Entry, Levels};
use super::draft::Draft;
use api_types::{PermissionLevel, Principal, ScimMe};

/// Who the signed-in user is, for "is this grant mine".
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Me {
    /// User name, e-mails (or a service principal's application id), lowercased.
    pub names: Vec<String>,
    /// Group display names.
    pub groups: Vec<String>,
}

impl Me {
    /// From `scim/v2/Me`.
    pub fn from_scim(m: &ScimMe) -> Me {
        let mut names: Vec<String> = m
            .user_name
            .iter()
            .chain(m.emails.iter().filter_map(|e| e.value.as_ref()))
            .map(|s| s.to_ascii_lowercase())
            .collect();
        names.sort();
        names.dedup();
        Me {
            names,
            groups: m.groups.iter().filter_map(|g| g.display.clone()).collect(),
        }
    }

    /// Does a grant to `p` apply to me?
    pub fn covered_by(&self, p: &Principal) -> bool {
        match p {
            Principal::User(s) | Principal::ServicePrincipal(s) => {
                self.names.iter().any(|n| n.eq_ignore_ascii_case(s))
            }
            Principal::Group(g) => self.groups.iter().any(|x| x == g),
        }
    }
}

/// My effective level in an ACL: the highest grant (direct or inherited) to me or my groups.
pub fn level_of(
    me: &Me,
    acl: &Acl,
    direct_of: impl Fn(&Entry) -> Levels,
) -> Option<PermissionLevel> {
    acl.entries
        .iter()
        .filter(|e| me.covered_by(&e.principal))
        .flat_map(|e| {
            direct_of(e)
                .into_iter()
                .chain(e.inherited.iter().map(|i| i.level.clone()))
        })
        .max_by_key(|l| l.rank())
        .filter(|l| l.rank() > 0)
}

/// The lockout guard's verdict on a draft.
#[derive(Debug, Clone, PartialEq)]
pub enum Lockout {
    /// The user keeps Can Manage (or never had it through this list).
    Safe,
    /// The save removes or lowers the user's own Can Manage and nothing else gives it back:
    /// afterwards they have this level (`None`: no access).
    LosesManage(Option<PermissionLevel>),
    /// Who the user is is unknown, and the save removes or lowers a Can Manage grant.
    Unknown,
}

/// Does saving `draft` take away the user's own Can Manage (with no other path to it)?
pub fn lockout(draft: &Draft, me: Option<&Me>) -> Lockout {
    let Some(me) = me else {
        let drops_manage = draft.edits.iter().any(|(k, e)| {
            draft.base.direct(k).contains(&PermissionLevel::CanManage)
                && !e.levels().contains(&PermissionLevel::CanManage)
        });
        return if drops_manage {
            Lockout::Unknown
        } else {
            Lockout::Safe
        };
    };
    let before = level_of(me, &draft.base, |e| e.direct.clone());
    if before != Some(PermissionLevel::CanManage) {
        return Lockout::Safe;
    }
    let mut after = level_of(me, &draft.base, |e| draft.intended(&key(&e.principal)));
    for (k, e) in &draft.edits {
        if draft.base.entry(k).is_none() && me.covered_by(&e.principal) {
            if let Some(l) = highest(&e.levels()) {
                if after.as_ref().is_none_or(|a| l.rank() > a.rank()) {
                    after = Some(l.clone());
                }
            }
        }
    }
    if after == Some(PermissionLevel::CanManage) {
        Lockout::Safe
    } else {
        Lockout::LosesManage(after)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::model::permissions::test_support::*;
    use crate::model::permissions::*;

    #[test]
    fn lockout_only_without_another_path_to_manage() {
        let base = clean_fixture();
        let me = alice();
        let mut d = Draft::new(base.clone());
        d.set_level(&user("alice.chen@contoso.com"), Q);
        assert_eq!(lockout(&d, Some(&me)), Lockout::LosesManage(Some(Q)));
        d.remove(&user("alice.chen@contoso.com"));
        assert_eq!(lockout(&d, Some(&me)), Lockout::LosesManage(None));
        // Through a group she is in, she keeps it.
        d.set_level(&group("risk-ml"), M);
        assert_eq!(lockout(&d, Some(&me)), Lockout::Safe);
        // A workspace admin keeps it through the inherited admins grant.
        let admin = Me {
            names: vec!["admin@example.com".into()],
            groups: vec!["admins".into()],
        };
        let mut d = Draft::new(base.clone());
        d.set_level(&user("admin@example.com"), M);
        d.remove(&user("alice.chen@contoso.com"));
        assert_eq!(lockout(&d, Some(&admin)), Lockout::Safe);
        // Removing someone else's CAN_MANAGE when I do not know who I am.
        assert_eq!(lockout(&d, None), Lockout::Unknown);
        let mut d = Draft::new(base);
        d.set_level(&user("zoe@contoso.com"), V);
        assert_eq!(lockout(&d, None), Lockout::Safe);
        assert_eq!(lockout(&d, Some(&me)), Lockout::Safe);
    }

    #[test]
    fn me_from_scim() {
        let m = ScimMe {
            user_name: Some("Alice.Chen@contoso.com".into()),
            groups: vec![ScimGroupRef {
                display: Some("risk-ml".into()),
                value: None,
            }],
            ..Default::default()
        };
        let me = Me::from_scim(&m);
        assert!(me.covered_by(&user("alice.chen@CONTOSO.com")));
        assert!(me.covered_by(&group("risk-ml")));
        assert!(!me.covered_by(&group("Risk-ML")));
    }

    #[test]
    fn property_lockout_matches_brute_force() {
        let mut rng = Rng(0x5EED_0003);
        let me = Me {
            names: vec!["me@x.org".into()],
            groups: vec!["g1".into()],
        };
        let mut flagged = 0;
        for trial in 0..3000 {
            let server = Server::random(&mut rng);
            let base = server.acl();
            let d = random_draft(&mut rng, base.clone());
            // Brute force: apply the draft as a PUT to a copy of the server and read my level.
            let mine = |s: &Server| {
                s.direct
                    .iter()
                    .chain(s.inherited.iter())
                    .filter(|(p, _)| me.covered_by(p))
                    .map(|(_, l)| l.rank())
                    .max()
                    .unwrap_or(0)
            };
            let mut after = server.clone();
            if let Ok(p) = plan(&d, &base) {
                after.apply(&p);
            }
            let expect = mine(&server) == 3 && mine(&after) < 3;
            let got = lockout(&d, Some(&me));
            assert_eq!(
                matches!(got, Lockout::LosesManage(_)),
                expect,
                "trial {trial}: {d:?}"
            );
            if expect {
                flagged += 1;
            }
        }
        assert!(flagged > 50, "{flagged}");
    }
}
