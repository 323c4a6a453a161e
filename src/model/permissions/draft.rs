//! The user's draft: edits on top of the ACL they started from, what a save would change
//! (the preview), and the rows of the table with each principal's status.

use super::acl::{highest, key, Acl, Key, Levels};
use api_types::{PermissionLevel, Principal};
use std::collections::BTreeMap;
use std::fmt;

/// What the user wants for one principal's direct grant.
#[derive(Debug, Clone, PartialEq)]
pub enum Intent {
    /// Exactly this level (adds, or changes).
    Set(PermissionLevel),
    /// No direct grant.
    Remove,
}

/// One edit of the draft.
#[derive(Debug, Clone, PartialEq)]
pub struct Edit {
    /// Who (as the user or the table named them).
    pub principal: Principal,
    /// What for.
    pub intent: Intent,
}

impl Edit {
    /// The intended direct levels.
    pub fn levels(&self) -> Levels {
        match &self.intent {
            Intent::Set(l) => vec![l.clone()],
            Intent::Remove => Vec::new(),
        }
    }
}

/// The user's unsaved edits on top of the ACL they started from. Edits that would change
/// nothing are dropped as they are made, so `is_dirty` means "a save would change something".
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub(super) base: Acl,
    pub(super) edits: BTreeMap<Key, Edit>,
}

/// One change a save makes, for the preview.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// A new direct grant.
    Add {
        /// Who.
        principal: Principal,
        /// At which level.
        level: PermissionLevel,
    },
    /// A direct grant at another level.
    Level {
        /// Who.
        principal: Principal,
        /// Was.
        from: PermissionLevel,
        /// Becomes.
        to: PermissionLevel,
    },
    /// A direct grant removed.
    Remove {
        /// Who.
        principal: Principal,
        /// The level it had.
        level: PermissionLevel,
    },
}

/// "user alice@x.org", "group admins", "service principal 6d1f…".
pub fn describe(p: &Principal) -> String {
    match p {
        Principal::User(s) => format!("user {s}"),
        Principal::Group(s) => format!("group {s}"),
        Principal::ServicePrincipal(s) => format!("service principal {s}"),
    }
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Change::Add { principal, level } => {
                write!(f, "Add {} as {}", describe(principal), level.label())
            }
            Change::Level {
                principal,
                from,
                to,
            } => write!(
                f,
                "Change {} from {} to {}",
                describe(principal),
                from.label(),
                to.label()
            ),
            Change::Remove { principal, level } => {
                write!(f, "Remove {} (was {})", describe(principal), level.label())
            }
        }
    }
}

impl Draft {
    /// No edits yet, on top of `base`.
    pub fn new(base: Acl) -> Draft {
        Draft {
            base,
            edits: BTreeMap::new(),
        }
    }

    /// The ACL the user started from.
    pub fn base(&self) -> &Acl {
        &self.base
    }

    /// Would a save change anything?
    pub fn is_dirty(&self) -> bool {
        !self.edits.is_empty()
    }

    /// The edits, by principal key.
    pub fn edits(&self) -> impl Iterator<Item = &Edit> {
        self.edits.values()
    }

    /// The edit of a principal, if any.
    pub fn edit(&self, k: &Key) -> Option<&Edit> {
        self.edits.get(k)
    }

    /// Does the draft remove a direct grant (so that saving needs a PUT)?
    pub fn has_removals(&self) -> bool {
        self.edits.values().any(|e| e.intent == Intent::Remove)
    }

    fn put_edit(&mut self, principal: &Principal, intent: Intent) {
        let k = key(principal);
        let edit = Edit {
            // Keep the spelling the server uses for a principal it knows.
            principal: self
                .base
                .entry(&k)
                .map(|e| e.principal.clone())
                .unwrap_or_else(|| principal.clone()),
            intent,
        };
        if edit.levels() == self.base.direct(&k) {
            self.edits.remove(&k);
        } else {
            self.edits.insert(k, edit);
        }
    }

    /// Give `principal` exactly `level` directly (an addition or a change).
    pub fn set_level(&mut self, principal: &Principal, level: PermissionLevel) {
        self.put_edit(principal, Intent::Set(level));
    }

    /// Remove `principal`'s direct grant (cancels an addition).
    pub fn remove(&mut self, principal: &Principal) {
        self.put_edit(principal, Intent::Remove);
    }

    /// Forget the edit of `principal`.
    pub fn undo(&mut self, principal: &Principal) {
        self.edits.remove(&key(principal));
    }

    /// The direct levels `k` will have after the save.
    pub fn intended(&self, k: &Key) -> Levels {
        match self.edits.get(k) {
            Some(e) => e.levels(),
            None => self.base.direct(k),
        }
    }

    /// What a save changes, relative to the ACL the user started from: additions, then level
    /// changes, then removals, each in principal order.
    pub fn changes(&self) -> Vec<Change> {
        let mut adds = Vec::new();
        let mut levels = Vec::new();
        let mut removals = Vec::new();
        for (k, e) in &self.edits {
            let before = self.base.direct(k);
            let was = highest(&before).cloned();
            match (&e.intent, was) {
                (Intent::Set(l), None) => adds.push(Change::Add {
                    principal: e.principal.clone(),
                    level: l.clone(),
                }),
                (Intent::Set(l), Some(from)) => levels.push(Change::Level {
                    principal: e.principal.clone(),
                    from,
                    to: l.clone(),
                }),
                (Intent::Remove, Some(level)) => removals.push(Change::Remove {
                    principal: e.principal.clone(),
                    level,
                }),
                (Intent::Remove, None) => {}
            }
        }
        adds.into_iter().chain(levels).chain(removals).collect()
    }

    /// The same edits on top of a newer ACL (after a conflict, to review and save again).
    /// Edits that the newer ACL already satisfies disappear.
    pub fn rebase(&self, fresh: Acl) -> Draft {
        let mut d = Draft::new(fresh);
        for e in self.edits.values() {
            d.put_edit(&e.principal, e.intent.clone());
        }
        d
    }

    /// The table's rows: the base ACL with the edits shown on it, then the additions.
    pub fn rows(&self) -> Vec<Row> {
        let mut rows = Vec::new();
        for e in &self.base.entries {
            let k = key(&e.principal);
            if let Some(level) = highest(&e.direct) {
                let status = match self.edits.get(&k).map(|x| &x.intent) {
                    None => RowStatus::Unchanged,
                    Some(Intent::Remove) => RowStatus::Removed,
                    Some(Intent::Set(to)) => RowStatus::Changed {
                        from: level.clone(),
                        to: to.clone(),
                    },
                };
                rows.push(Row {
                    principal: e.principal.clone(),
                    display_name: e.display_name.clone(),
                    level: level.clone(),
                    source: Source::Direct,
                    status,
                });
            }
            for i in &e.inherited {
                rows.push(Row {
                    principal: e.principal.clone(),
                    display_name: e.display_name.clone(),
                    level: i.level.clone(),
                    source: Source::Inherited {
                        from: i.from.clone(),
                    },
                    status: RowStatus::Unchanged,
                });
            }
        }
        for (k, e) in &self.edits {
            if let (Intent::Set(l), true) = (&e.intent, self.base.direct(k).is_empty()) {
                rows.push(Row {
                    principal: e.principal.clone(),
                    display_name: self.base.entry(k).and_then(|x| x.display_name.clone()),
                    level: l.clone(),
                    source: Source::Direct,
                    status: RowStatus::Added,
                });
            }
        }
        rows
    }
}

/// Where a row's grant comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// Granted on this endpoint: can be changed and removed here.
    Direct,
    /// Inherited from the objects named: shown, never written.
    Inherited {
        /// Where from.
        from: Vec<String>,
    },
}

/// A row's unsaved edit.
#[derive(Debug, Clone, PartialEq)]
pub enum RowStatus {
    /// As on the server.
    Unchanged,
    /// New (not saved yet).
    Added,
    /// Level changed (not saved yet).
    Changed {
        /// The level on the server.
        from: PermissionLevel,
        /// The new level.
        to: PermissionLevel,
    },
    /// To be removed (not saved yet).
    Removed,
}

/// One row of the permissions table.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Who.
    pub principal: Principal,
    /// Their display name, when the API gave one.
    pub display_name: Option<String>,
    /// The level on the server (or the new level of an addition).
    pub level: PermissionLevel,
    /// Direct or inherited.
    pub source: Source,
    /// Unsaved edit.
    pub status: RowStatus,
}

/// The rows of an ACL without edits.
pub fn rows_of(acl: &Acl) -> Vec<Row> {
    Draft::new(acl.clone()).rows()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::model::permissions::test_support::*;
    use crate::model::permissions::*;

    #[test]
    fn edits_that_change_nothing_disappear() {
        let mut d = Draft::new(fixture());
        d.set_level(&user("alice.chen@contoso.com"), M);
        assert!(!d.is_dirty(), "same level");
        d.set_level(&user("new@contoso.com"), V);
        d.remove(&user("new@contoso.com"));
        assert!(!d.is_dirty(), "removing an addition cancels it");
        d.remove(&group("admins"));
        assert!(!d.is_dirty(), "no direct grant to remove");
        d.set_level(&group("risk-analysts"), V);
        d.set_level(&group("risk-analysts"), Q);
        assert!(!d.is_dirty(), "changed back");
        d.remove(&user("ALICE.chen@contoso.com"));
        assert!(d.is_dirty() && d.has_removals());
        // The server's spelling is kept.
        assert_eq!(
            d.edits().next().unwrap().principal,
            user("alice.chen@contoso.com")
        );
        d.undo(&user("alice.chen@contoso.com"));
        assert!(!d.is_dirty());
    }

    #[test]
    fn preview_lists_exactly_the_changes() {
        let mut d = Draft::new(fixture());
        d.remove(&user("henry.adams@contoso.com"));
        d.set_level(&group("risk-analysts"), V);
        d.set_level(&user("zoe@contoso.com"), Q);
        let text: Vec<String> = d.changes().iter().map(|c| c.to_string()).collect();
        assert_eq!(
            text,
            vec![
                "Add user zoe@contoso.com as Can Query",
                "Change group risk-analysts from Can Query to Can View",
                "Remove user henry.adams@contoso.com (was Can Query)",
            ]
        );
        let rows = d.rows();
        assert_eq!(rows.last().unwrap().status, RowStatus::Added);
        assert!(rows.iter().any(|r| r.status == RowStatus::Removed));
        // henry's inherited grant stays, unchanged.
        assert!(rows
            .iter()
            .any(|r| r.principal == user("henry.adams@contoso.com")
                && r.status == RowStatus::Unchanged
                && r.level == M));
    }

    #[test]
    fn rebase_keeps_edits_on_the_newer_list() {
        let base = clean_fixture();
        let mut d = Draft::new(base.clone());
        d.remove(&user("henry.adams@contoso.com"));
        d.set_level(&user("zoe@contoso.com"), Q);
        let mut fresh = base.clone();
        fresh.entries.push(Entry {
            principal: user("zoe@contoso.com"),
            display_name: Some("Zoe".into()),
            direct: vec![Q],
            inherited: vec![],
        });
        let r = d.rebase(fresh.clone());
        assert_eq!(r.base(), &fresh);
        assert_eq!(r.changes().len(), 1, "zoe is already there: {r:?}");
        assert!(matches!(plan(&r, &fresh), Ok(Plan::Put(_))));
    }
}
