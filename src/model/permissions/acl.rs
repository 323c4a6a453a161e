//! The ACL as read: one entry per principal (matched by [`Key`]: case-insensitively for users
//! and service principals, exactly for groups), its direct levels normalised, its inherited
//! grants kept apart; and the labels of levels and of where grants come from.

use api_types::{ObjectPermissions, PermissionLevel, Principal};
use std::collections::BTreeMap;

/// The key principals are matched by.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key(u8, String);

/// The key of `p`: users and service principals ignore ASCII case, groups do not.
pub fn key(p: &Principal) -> Key {
    match p {
        Principal::User(s) => Key(0, s.to_ascii_lowercase()),
        Principal::Group(s) => Key(1, s.clone()),
        Principal::ServicePrincipal(s) => Key(2, s.to_ascii_lowercase()),
    }
}

/// A stable, id-safe slug of a principal (FNV-1a of its key), for element ids.
pub fn slug(p: &Principal) -> String {
    let Key(kind, name) = key(p);
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in std::iter::once(kind).chain(name.bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// Direct levels of one principal, normalised (sorted, no repeats) so states compare by value.
pub type Levels = Vec<PermissionLevel>;

fn normalise(mut v: Levels) -> Levels {
    v.sort_by(|a, b| {
        b.rank()
            .cmp(&a.rank())
            .then_with(|| a.to_string().cmp(&b.to_string()))
    });
    v.dedup();
    v
}

/// The highest of some levels.
pub fn highest(levels: &[PermissionLevel]) -> Option<&PermissionLevel> {
    levels.iter().max_by_key(|l| l.rank())
}

/// "Can Manage", "Can Query, Can View", "no direct grant".
pub fn levels_label(levels: &[PermissionLevel]) -> String {
    if levels.is_empty() {
        "no direct grant".to_string()
    } else {
        levels
            .iter()
            .map(|l| l.label().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// "Inherited from /serving-endpoints/ (all serving endpoints)".
pub fn inherited_label(from: &[String]) -> String {
    if from.is_empty() {
        return "Inherited".to_string();
    }
    let names: Vec<String> = from
        .iter()
        .map(|o| {
            if o == "/serving-endpoints/" {
                format!("{o} (all serving endpoints)")
            } else {
                o.clone()
            }
        })
        .collect();
    format!("Inherited from {}", names.join(", "))
}

/// An inherited grant: its level and the objects it comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct Inherited {
    /// The level.
    pub level: PermissionLevel,
    /// Where from (e.g. `/serving-endpoints/`).
    pub from: Vec<String>,
}

/// One principal's grants as the server reports them.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Who.
    pub principal: Principal,
    /// Display name (users and service principals).
    pub display_name: Option<String>,
    /// Direct levels (normally one), normalised.
    pub direct: Levels,
    /// Inherited grants (never written back).
    pub inherited: Vec<Inherited>,
}

/// An ACL as read: one entry per principal, in the server's order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Acl {
    /// The entries.
    pub entries: Vec<Entry>,
    /// Entries naming no principal or several: they cannot be written back, so they block a PUT.
    pub unreadable: usize,
}

impl Acl {
    /// Read a GET/PUT/PATCH answer. Entries of the same principal are merged; permissions
    /// without a level are ignored; unknown levels are kept as they are.
    pub fn from_response(r: &ObjectPermissions) -> Acl {
        let mut acl = Acl::default();
        for e in &r.access_control_list {
            let Some(p) = e.principal() else {
                acl.unreadable += 1;
                continue;
            };
            let k = key(&p);
            let idx = match acl.entries.iter().position(|x| key(&x.principal) == k) {
                Some(i) => i,
                None => {
                    acl.entries.push(Entry {
                        principal: p,
                        display_name: None,
                        direct: Vec::new(),
                        inherited: Vec::new(),
                    });
                    acl.entries.len() - 1
                }
            };
            let entry = &mut acl.entries[idx];
            if entry.display_name.is_none() {
                entry.display_name = e.display_name.clone().filter(|d| !d.trim().is_empty());
            }
            for perm in &e.all_permissions {
                let Some(level) = perm.permission_level.clone() else {
                    continue;
                };
                if perm.inherited {
                    entry.inherited.push(Inherited {
                        level,
                        from: perm.inherited_from_object.clone(),
                    });
                } else {
                    entry.direct.push(level);
                }
            }
            entry.direct = normalise(std::mem::take(&mut entry.direct));
        }
        acl
    }

    /// The entry of a principal.
    pub fn entry(&self, k: &Key) -> Option<&Entry> {
        self.entries.iter().find(|e| key(&e.principal) == *k)
    }

    /// The direct levels of a principal (empty: none).
    pub fn direct(&self, k: &Key) -> Levels {
        self.entry(k).map(|e| e.direct.clone()).unwrap_or_default()
    }

    /// Every principal with a direct grant, and its levels.
    pub fn direct_grants(&self) -> BTreeMap<Key, Levels> {
        self.entries
            .iter()
            .filter(|e| !e.direct.is_empty())
            .map(|e| (key(&e.principal), e.direct.clone()))
            .collect()
    }

    /// Same direct grants and same unreadable count (inherited grants are not ours to compare).
    pub fn same_direct(&self, other: &Acl) -> bool {
        self.direct_grants() == other.direct_grants() && self.unreadable == other.unreadable
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::model::permissions::test_support::*;
    use crate::model::permissions::*;

    #[test]
    fn reads_direct_inherited_and_unreadable_entries() {
        let acl = fixture();
        assert_eq!(acl.entries.len(), 5);
        assert_eq!(acl.unreadable, 1);
        let henry = acl.entry(&key(&user("Henry.Adams@contoso.com"))).unwrap();
        assert_eq!(henry.direct, vec![Q]);
        assert_eq!(henry.inherited[0].level, M);
        assert_eq!(henry.inherited[0].from, vec!["/serving-endpoints/"]);
        assert!(acl.direct(&key(&group("admins"))).is_empty());
        let rows = rows_of(&acl);
        // henry: a direct row and an inherited row; admins: inherited only.
        assert_eq!(rows.len(), 6);
        assert_eq!(
            rows.iter()
                .filter(|r| matches!(r.source, Source::Inherited { .. }))
                .count(),
            2
        );
        assert_eq!(
            inherited_label(&["/serving-endpoints/".into()]),
            "Inherited from /serving-endpoints/ (all serving endpoints)"
        );
    }

    #[test]
    fn slugs_are_stable_and_follow_the_key() {
        assert_eq!(slug(&user("A@x.org")), slug(&user("a@x.org")));
        assert_ne!(slug(&user("a@x.org")), slug(&group("a@x.org")));
        assert_ne!(slug(&group("G")), slug(&group("g")));
        assert_eq!(slug(&group("g")).len(), 16);
    }
}
