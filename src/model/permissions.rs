//! The permissions editor's logic (the Permissions tab, budgets.md R3): the ACL as read, the
//! user's draft of edits on top of it, what a save will change, how it is written, when it must
//! not be written (conflict), who might lock themselves out, and what was lost afterwards.
//!
//! The Permissions API has no ETag: PUT replaces every direct grant, PATCH upserts per
//! principal and cannot remove. So a save is planned against a fresh re-read of the ACL:
//!
//! - For every principal `p` compare three direct states: `base` (what the user started
//!   from), `fresh` (the server now) and `mine` (what the user intends, for edited `p`).
//!   `p` changed concurrently when `fresh ≠ base`; that is harmless when `fresh = mine` (the
//!   change is already there, e.g. our own earlier write whose answer was lost).
//! - A save **without removals** is one PATCH of the edited principals that are not already as
//!   intended. It conflicts only when an *edited* principal changed concurrently (the PATCH
//!   would overwrite someone's change to the same principal); others' changes to other
//!   principals are untouched by a PATCH.
//! - A save **with removals** needs PUT, which rewrites everything: it conflicts when *any*
//!   principal changed concurrently (the list is not the one the user started from), and
//!   otherwise PUTs exactly the intended direct grants: every untouched direct grant as the
//!   server has it, edited ones as intended, never an inherited grant. Additions and level
//!   changes of the same save ride in that one PUT (one write after the re-read, no partial
//!   save when a conflict is found).
//! - A conflict writes nothing.
//!
//! The remaining window (another writer's change landing between our re-read and our PUT) cannot
//! be closed without server support; [`overwritten`] finds, at every later read, the saved
//! changes that no longer hold, so such a loss is reported to the user instead of being silent.
//!
//! Principals match case-insensitively for users and service principals, exactly for groups
//! (as the emulator does).

use api_types::{
    AccessControlRequest, ObjectPermissions, PermissionLevel, PermissionLevelsResponse, Principal,
    ScimMe,
};
use std::collections::BTreeMap;
use std::fmt;

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

/// The kind of principal, for the add form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A user, named by e-mail.
    User,
    /// A group, named by its display name.
    Group,
    /// A service principal, named by its application id (a UUID).
    ServicePrincipal,
}

impl Kind {
    /// Every kind, in form order.
    pub const ALL: [Kind; 3] = [Kind::User, Kind::Group, Kind::ServicePrincipal];

    /// "User", "Group", "Service principal".
    pub fn label(self) -> &'static str {
        match self {
            Kind::User => "User",
            Kind::Group => "Group",
            Kind::ServicePrincipal => "Service principal",
        }
    }

    /// Form value.
    pub fn value(self) -> &'static str {
        match self {
            Kind::User => "user",
            Kind::Group => "group",
            Kind::ServicePrincipal => "service-principal",
        }
    }

    /// From a form value.
    pub fn from_value(v: &str) -> Kind {
        match v {
            "group" => Kind::Group,
            "service-principal" => Kind::ServicePrincipal,
            _ => Kind::User,
        }
    }

    /// Label of the name field.
    pub fn name_label(self) -> &'static str {
        match self {
            Kind::User => "E-mail",
            Kind::Group => "Group name",
            Kind::ServicePrincipal => "Application ID",
        }
    }

    /// The kind of a principal.
    pub fn of(p: &Principal) -> Kind {
        match p {
            Principal::User(_) => Kind::User,
            Principal::Group(_) => Kind::Group,
            Principal::ServicePrincipal(_) => Kind::ServicePrincipal,
        }
    }

    fn principal(self, name: String) -> Principal {
        match self {
            Kind::User => Principal::User(name),
            Kind::Group => Principal::Group(name),
            Kind::ServicePrincipal => Principal::ServicePrincipal(name),
        }
    }
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
    base: Acl,
    edits: BTreeMap<Key, Edit>,
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

/// How a save is written.
#[derive(Debug, Clone, PartialEq)]
pub enum Plan {
    /// The server already has everything the user intends.
    Nothing,
    /// `PATCH` with these entries.
    Patch(Vec<AccessControlRequest>),
    /// `PUT` with exactly these direct grants.
    Put(Vec<AccessControlRequest>),
}

/// One principal that changed on the server since the user started editing.
#[derive(Debug, Clone, PartialEq)]
pub struct ConflictRow {
    /// Who.
    pub principal: Principal,
    /// Direct levels when the user started.
    pub base: Levels,
    /// Direct levels on the server now.
    pub theirs: Levels,
    /// What the user intends (`None`: the user did not edit this principal).
    pub mine: Option<Levels>,
}

/// Why a save must not be written.
#[derive(Debug, Clone, PartialEq)]
pub enum PlanError {
    /// Someone else changed the ACL meanwhile: the three-way view.
    Conflict(Vec<ConflictRow>),
    /// The ACL holds entries this console cannot read; a PUT would drop them.
    Unreadable(usize),
}

/// Plan the save of `draft` against `fresh`, the ACL as re-read just before writing.
pub fn plan(draft: &Draft, fresh: &Acl) -> Result<Plan, PlanError> {
    let removals = draft.has_removals();
    let mut keys: Vec<Key> = draft.base.direct_grants().into_keys().collect();
    keys.extend(fresh.direct_grants().into_keys());
    keys.extend(draft.edits.keys().cloned());
    keys.sort();
    keys.dedup();
    let mut conflicts = Vec::new();
    for k in &keys {
        let base = draft.base.direct(k);
        let theirs = fresh.direct(k);
        if base == theirs {
            continue;
        }
        let mine = draft.edits.get(k).map(Edit::levels);
        let already = mine.as_ref() == Some(&theirs);
        if !already && (mine.is_some() || removals) {
            let principal = fresh
                .entry(k)
                .or_else(|| draft.base.entry(k))
                .map(|e| e.principal.clone())
                .or_else(|| draft.edits.get(k).map(|e| e.principal.clone()));
            if let Some(principal) = principal {
                conflicts.push(ConflictRow {
                    principal,
                    base,
                    theirs,
                    mine,
                });
            }
        }
    }
    if removals && fresh.unreadable != draft.base.unreadable {
        // The unreadable entries changed: that is a concurrent change we cannot even show.
        return Err(PlanError::Conflict(conflicts));
    }
    if !conflicts.is_empty() {
        return Err(PlanError::Conflict(conflicts));
    }
    let pending: Vec<&Edit> = draft
        .edits
        .iter()
        .filter(|(k, e)| fresh.direct(k) != e.levels())
        .map(|(_, e)| e)
        .collect();
    if pending.is_empty() {
        return Ok(Plan::Nothing);
    }
    if pending.iter().all(|e| e.intent != Intent::Remove) {
        let body = pending
            .iter()
            .filter_map(|e| match &e.intent {
                Intent::Set(l) => Some(AccessControlRequest::new(&e.principal, l.clone())),
                Intent::Remove => None,
            })
            .collect();
        return Ok(Plan::Patch(body));
    }
    if fresh.unreadable > 0 {
        return Err(PlanError::Unreadable(fresh.unreadable));
    }
    // PUT: every direct grant the server has, edited ones as intended, additions at the end.
    let mut body = Vec::new();
    for e in &fresh.entries {
        let k = key(&e.principal);
        let levels = match draft.edits.get(&k) {
            Some(edit) => edit.levels(),
            None => e.direct.clone(),
        };
        for l in levels {
            body.push(AccessControlRequest::new(&e.principal, l));
        }
    }
    for (k, e) in &draft.edits {
        if fresh.entry(k).is_none() {
            for l in e.levels() {
                body.push(AccessControlRequest::new(&e.principal, l));
            }
        }
    }
    Ok(Plan::Put(body))
}

/// The edited principals whose direct grant in `after` (the write's answer) is not what the
/// draft intends. Empty after every correct save.
pub fn unmet(draft: &Draft, after: &Acl) -> Vec<Principal> {
    draft
        .edits
        .iter()
        .filter(|(k, e)| after.direct(k) != e.levels())
        .map(|(_, e)| e.principal.clone())
        .collect()
}

/// A change the user saved in this session, kept to notice if it is later undone.
#[derive(Debug, Clone, PartialEq)]
pub struct Saved {
    /// Who.
    pub principal: Principal,
    /// The direct levels saved.
    pub levels: Levels,
}

/// What a successful save of `draft` recorded.
pub fn saved_of(draft: &Draft) -> Vec<Saved> {
    draft
        .edits
        .values()
        .map(|e| Saved {
            principal: e.principal.clone(),
            levels: e.levels(),
        })
        .collect()
}

/// Add a save's records to the ledger (a newer save of a principal replaces the older).
pub fn record(ledger: &mut Vec<Saved>, saved: Vec<Saved>) {
    for s in saved {
        let k = key(&s.principal);
        ledger.retain(|x| key(&x.principal) != k);
        ledger.push(s);
    }
}

/// The saved changes that `current` no longer shows (someone changed or undid them since),
/// with what is there now. The caller reports them and drops them from the ledger.
pub fn overwritten(ledger: &[Saved], current: &Acl) -> Vec<(Saved, Levels)> {
    ledger
        .iter()
        .filter_map(|s| {
            let now = current.direct(&key(&s.principal));
            (now != s.levels).then(|| (s.clone(), now))
        })
        .collect()
}

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

/// Why a principal cannot be added.
#[derive(Debug, Clone, PartialEq)]
pub enum AddError {
    /// No name.
    Empty,
    /// A user must be named by e-mail.
    NotEmail,
    /// A service principal must be named by its application id.
    NotUuid,
    /// Already has a direct grant (at this level).
    Duplicate(PermissionLevel),
    /// The `admins` group always keeps Can Manage.
    AdminsBelowManage,
    /// No level chosen.
    NoLevel,
}

impl AddError {
    /// The message shown beside the field.
    pub fn message(&self) -> String {
        match self {
            AddError::Empty => "Enter a name.".into(),
            AddError::NotEmail => "Enter the user's e-mail address, like name@example.com.".into(),
            AddError::NotUuid => "Enter the service principal's application ID, a UUID like \
                                  6d1f0a3e-9c2b-4e8d-a7f5-3b2c1d0e9f8a."
                .into(),
            AddError::Duplicate(l) => format!(
                "Already has a direct grant ({}); change its level in the table instead.",
                l.label()
            ),
            AddError::AdminsBelowManage => {
                "The admins group always has Can Manage; it cannot be given less.".into()
            }
            AddError::NoLevel => "Choose a permission level.".into(),
        }
    }

    /// Does the message belong beside the level field (not the name field)?
    pub fn is_about_level(&self) -> bool {
        matches!(self, AddError::AdminsBelowManage | AddError::NoLevel)
    }
}

/// Is `s` shaped like an e-mail address (`local@domain.tld`, no spaces)?
pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    let labels: Vec<&str> = domain.split('.').collect();
    !local.is_empty()
        && local.len() <= 64
        && s.len() <= 254
        && !local.contains('@')
        && local
            .chars()
            .all(|c| !c.is_whitespace() && !c.is_control() && !"<>()[],;:\"\\".contains(c))
        && labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
}

/// Is `s` a UUID (`8-4-4-4-12` hex digits)?
pub fn is_uuid(s: &str) -> bool {
    s.len() == 36
        && s.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

/// Check the add form: the principal to add (name trimmed), or what is wrong.
pub fn validate_new(
    kind: Kind,
    name: &str,
    level: Option<&PermissionLevel>,
    draft: &Draft,
) -> Result<(Principal, PermissionLevel), AddError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(AddError::Empty);
    }
    match kind {
        Kind::User if !is_email(name) => return Err(AddError::NotEmail),
        Kind::ServicePrincipal if !is_uuid(name) => return Err(AddError::NotUuid),
        _ => {}
    }
    let principal = kind.principal(name.to_string());
    if let Some(l) = highest(&draft.intended(&key(&principal))) {
        return Err(AddError::Duplicate(l.clone()));
    }
    let level = level.cloned().ok_or(AddError::NoLevel)?;
    if kind == Kind::Group && name == "admins" && level != PermissionLevel::CanManage {
        return Err(AddError::AdminsBelowManage);
    }
    Ok((principal, level))
}

/// The levels offered: those `permissionLevels` lists, else the three serving-endpoint levels.
pub fn offered_levels(r: Option<&PermissionLevelsResponse>) -> Vec<(PermissionLevel, String)> {
    let listed: Vec<(PermissionLevel, String)> = r
        .map(|r| {
            r.permission_levels
                .iter()
                .filter_map(|d| {
                    let l = d.permission_level.clone()?;
                    let desc = d.description.clone().unwrap_or_default();
                    Some((l, desc))
                })
                .collect()
        })
        .unwrap_or_default();
    if listed.is_empty() {
        vec![
            (PermissionLevel::CanManage, String::new()),
            (PermissionLevel::CanQuery, String::new()),
            (PermissionLevel::CanView, String::new()),
        ]
    } else {
        listed
    }
}

/// Parse a level from a form value (the wire string).
pub fn level_from_value(v: &str) -> Option<PermissionLevel> {
    if v.is_empty() {
        return None;
    }
    serde_json::from_value(serde_json::Value::String(v.to_string())).ok()
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

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use api_types::{AccessControlResponse, Permission, ScimGroupRef};

    use PermissionLevel::{CanManage as M, CanQuery as Q, CanView as V};

    fn user(s: &str) -> Principal {
        Principal::User(s.into())
    }
    fn group(s: &str) -> Principal {
        Principal::Group(s.into())
    }
    fn sp(s: &str) -> Principal {
        Principal::ServicePrincipal(s.into())
    }

    const FIXTURE: &str = r#"{
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

    fn fixture() -> Acl {
        Acl::from_response(&serde_json::from_str(FIXTURE).unwrap())
    }

    fn alice() -> Me {
        Me {
            names: vec!["alice.chen@contoso.com".into()],
            groups: vec!["users".into(), "risk-ml".into()],
        }
    }

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

    fn clean_fixture() -> Acl {
        let mut a = fixture();
        a.unreadable = 0;
        a
    }

    #[test]
    fn additions_and_changes_are_one_patch() {
        let base = clean_fixture();
        let mut d = Draft::new(base.clone());
        d.set_level(&user("zoe@contoso.com"), Q);
        d.set_level(&group("risk-analysts"), M);
        let p = plan(&d, &base).unwrap();
        assert_eq!(
            p,
            Plan::Patch(vec![
                AccessControlRequest::new(&user("zoe@contoso.com"), Q),
                AccessControlRequest::new(&group("risk-analysts"), M),
            ])
        );
    }

    #[test]
    fn removals_put_exactly_the_intended_direct_grants() {
        let base = clean_fixture();
        let mut d = Draft::new(base.clone());
        d.remove(&group("risk-analysts"));
        d.set_level(&user("zoe@contoso.com"), V);
        let Plan::Put(body) = plan(&d, &base).unwrap() else {
            panic!("a PUT")
        };
        let names: Vec<(Option<Principal>, Option<PermissionLevel>)> = body
            .iter()
            .map(|r| (r.principal(), r.permission_level.clone()))
            .collect();
        assert_eq!(
            names,
            vec![
                (Some(user("alice.chen@contoso.com")), Some(M)),
                (Some(sp("6d1f0a3e-9c2b-4e8d-a7f5-3b2c1d0e9f8a")), Some(Q)),
                // henry's direct grant only; admins' inherited grant is never written.
                (Some(user("henry.adams@contoso.com")), Some(Q)),
                (Some(user("zoe@contoso.com")), Some(V)),
            ]
        );
    }

    #[test]
    fn a_put_refuses_entries_it_cannot_read() {
        let base = fixture();
        let mut d = Draft::new(base.clone());
        d.remove(&group("risk-analysts"));
        assert_eq!(plan(&d, &base), Err(PlanError::Unreadable(1)));
        // A PATCH does not touch them.
        let mut d = Draft::new(base.clone());
        d.set_level(&group("risk-analysts"), V);
        assert!(matches!(plan(&d, &base), Ok(Plan::Patch(_))));
    }

    #[test]
    fn conflicts_show_three_ways_and_already_applied_edits_are_not_conflicts() {
        let base = clean_fixture();
        let mut d = Draft::new(base.clone());
        d.remove(&user("henry.adams@contoso.com"));
        // Someone else added gina meanwhile.
        let mut fresh = base.clone();
        fresh.entries.push(Entry {
            principal: user("gina@contoso.com"),
            display_name: None,
            direct: vec![V],
            inherited: vec![],
        });
        match plan(&d, &fresh) {
            Err(PlanError::Conflict(rows)) => {
                assert_eq!(
                    rows,
                    vec![ConflictRow {
                        principal: user("gina@contoso.com"),
                        base: vec![],
                        theirs: vec![V],
                        mine: None,
                    }]
                );
            }
            other => panic!("{other:?}"),
        }
        // Our own earlier write (whose answer was lost) is not a conflict: nothing to do.
        let mut applied = base.clone();
        applied
            .entries
            .retain(|e| e.principal != user("henry.adams@contoso.com"));
        applied.entries.push(Entry {
            principal: user("henry.adams@contoso.com"),
            display_name: None,
            direct: vec![],
            inherited: vec![Inherited {
                level: M,
                from: vec!["/serving-endpoints/".into()],
            }],
        });
        assert_eq!(plan(&d, &applied), Ok(Plan::Nothing));
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
    fn slugs_are_stable_and_follow_the_key() {
        assert_eq!(slug(&user("A@x.org")), slug(&user("a@x.org")));
        assert_ne!(slug(&user("a@x.org")), slug(&group("a@x.org")));
        assert_ne!(slug(&group("G")), slug(&group("g")));
        assert_eq!(slug(&group("g")).len(), 16);
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
    fn add_form_validation() {
        let d = Draft::new(clean_fixture());
        let v = |k, n: &str, l: Option<PermissionLevel>| validate_new(k, n, l.as_ref(), &d);
        assert_eq!(v(Kind::User, "  ", Some(Q)), Err(AddError::Empty));
        for bad in [
            "zoe",
            "zoe@",
            "@x.org",
            "zoe@x",
            "zo e@x.org",
            "a@b@c.org",
            "z@x..org",
            "z@-x.org",
        ] {
            assert_eq!(
                v(Kind::User, bad, Some(Q)),
                Err(AddError::NotEmail),
                "{bad}"
            );
        }
        assert_eq!(
            v(Kind::User, " zoe.q@x.org ", Some(Q)),
            Ok((user("zoe.q@x.org"), Q))
        );
        assert_eq!(
            v(Kind::ServicePrincipal, "robot", Some(Q)),
            Err(AddError::NotUuid)
        );
        assert_eq!(
            v(
                Kind::ServicePrincipal,
                "6D1F0A3E-9C2B-4E8D-A7F5-3B2C1D0E9F8A",
                Some(V)
            ),
            Err(AddError::Duplicate(Q)),
            "same SP in other case"
        );
        assert_eq!(
            v(Kind::User, "ALICE.CHEN@contoso.com", Some(V)),
            Err(AddError::Duplicate(M))
        );
        // Inherited-only principals can get a direct grant.
        assert_eq!(v(Kind::Group, "admins", Some(M)), Ok((group("admins"), M)));
        assert_eq!(
            v(Kind::Group, "admins", Some(V)),
            Err(AddError::AdminsBelowManage)
        );
        assert_eq!(v(Kind::Group, "ds", None), Err(AddError::NoLevel));
        // A principal pending removal can be added again.
        let mut d2 = Draft::new(clean_fixture());
        d2.remove(&group("risk-analysts"));
        assert!(validate_new(Kind::Group, "risk-analysts", Some(&V), &d2).is_ok());
        assert!(AddError::NotUuid.message().contains("application ID"));
    }

    #[test]
    fn levels_offered_and_parsed() {
        let r: PermissionLevelsResponse = serde_json::from_str(
            r#"{"permission_levels":[{"permission_level":"CAN_MANAGE","description":"d"},{"permission_level":"CAN_VIEW"}]}"#,
        )
        .unwrap();
        let o = offered_levels(Some(&r));
        assert_eq!(o.len(), 2);
        assert_eq!(o[0], (M, "d".to_string()));
        assert_eq!(offered_levels(None).len(), 3);
        assert_eq!(level_from_value("CAN_QUERY"), Some(Q));
        assert_eq!(level_from_value(""), None);
    }

    #[test]
    fn ledger_reports_saved_changes_that_no_longer_hold() {
        let base = clean_fixture();
        let mut d = Draft::new(base.clone());
        d.set_level(&user("zoe@contoso.com"), Q);
        d.remove(&group("risk-analysts"));
        let mut ledger = Vec::new();
        record(&mut ledger, saved_of(&d));
        // After our PUT, someone's stale PUT restores risk-analysts and drops zoe.
        let lost = overwritten(&ledger, &base);
        assert_eq!(lost.len(), 2);
        let mut after = base.clone();
        after
            .entries
            .retain(|e| e.principal != group("risk-analysts"));
        after.entries.push(Entry {
            principal: user("zoe@contoso.com"),
            display_name: None,
            direct: vec![Q],
            inherited: vec![],
        });
        assert!(overwritten(&ledger, &after).is_empty());
        assert!(unmet(&d, &after).is_empty());
        assert_eq!(unmet(&d, &base).len(), 2);
    }

    // ---- property tests: a small deterministic PRNG, the server's PUT/PATCH semantics ----

    /// splitmix64.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
        fn chance(&mut self, percent: u64) -> bool {
            self.next() % 100 < percent
        }
        fn level(&mut self) -> PermissionLevel {
            [M, Q, V][self.below(3)].clone()
        }
    }

    fn pool() -> Vec<Principal> {
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
    struct Server {
        direct: Vec<(Principal, PermissionLevel)>,
        inherited: Vec<(Principal, PermissionLevel)>,
    }

    impl Server {
        fn random(rng: &mut Rng) -> Server {
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

        fn acl(&self) -> Acl {
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

        fn patch(&mut self, body: &[AccessControlRequest]) {
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

        fn put(&mut self, body: &[AccessControlRequest]) {
            self.direct = body
                .iter()
                .map(|r| (r.principal().unwrap(), r.permission_level.clone().unwrap()))
                .collect();
        }

        fn apply(&mut self, plan: &Plan) {
            match plan {
                Plan::Nothing => {}
                Plan::Patch(b) => self.patch(b),
                Plan::Put(b) => self.put(b),
            }
        }

        /// A random concurrent change by someone else: PATCHes and PUT-removals.
        fn meddle(&mut self, rng: &mut Rng) {
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

    fn random_draft(rng: &mut Rng, base: Acl) -> Draft {
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
    fn should_conflict(d: &Draft, fresh: &Acl) -> bool {
        pool().iter().any(|p| {
            let k = key(p);
            let (b, f) = (d.base().direct(&k), fresh.direct(&k));
            match d.edit(&k) {
                Some(e) => b != f && f != e.levels(),
                None => b != f && d.has_removals(),
            }
        })
    }

    #[test]
    fn property_plan_achieves_the_intent_or_reports_the_conflict() {
        let mut rng = Rng(0x5EED_0001);
        let (mut oks, mut conflicts) = (0, 0);
        for trial in 0..4000 {
            let server0 = Server::random(&mut rng);
            let base = server0.acl();
            let draft = random_draft(&mut rng, base.clone());
            let mut server = server0.clone();
            match rng.below(3) {
                0 => {}
                1 => server.meddle(&mut rng),
                _ => {
                    // Our own earlier write went through but its answer was lost.
                    if let Ok(p) = plan(&draft, &base) {
                        server.apply(&p);
                    }
                    if rng.chance(50) {
                        server.meddle(&mut rng);
                    }
                }
            }
            let fresh = server.acl();
            let result = plan(&draft, &fresh);
            assert_eq!(
                matches!(result, Err(PlanError::Conflict(_))),
                should_conflict(&draft, &fresh),
                "trial {trial}: {draft:?} vs {fresh:?}: {result:?}"
            );
            if server == server0 {
                assert!(result.is_ok(), "no concurrent change, no conflict");
            }
            match result {
                Ok(p) => {
                    oks += 1;
                    let before = fresh.clone();
                    if let Plan::Put(body) = &p {
                        // Never an inherited grant written back as a direct one.
                        for r in body {
                            let k = key(&r.principal().unwrap());
                            assert!(
                                !before.direct(&k).is_empty() || draft.edit(&k).is_some(),
                                "trial {trial}: {r:?} was not a direct grant"
                            );
                        }
                    }
                    server.apply(&p);
                    let after = server.acl();
                    for q in pool() {
                        let k = key(&q);
                        let want = match draft.edit(&k) {
                            Some(e) => e.levels(),
                            None => before.direct(&k),
                        };
                        assert_eq!(after.direct(&k), want, "trial {trial}: {q:?}");
                        assert_eq!(
                            after
                                .entry(&k)
                                .map(|e| e.inherited.clone())
                                .unwrap_or_default(),
                            before
                                .entry(&k)
                                .map(|e| e.inherited.clone())
                                .unwrap_or_default()
                        );
                    }
                    assert!(unmet(&draft, &after).is_empty());
                }
                Err(PlanError::Conflict(rows)) => {
                    conflicts += 1;
                    assert!(!rows.is_empty());
                    for r in rows {
                        assert_ne!(r.base, r.theirs);
                    }
                }
                Err(PlanError::Unreadable(_)) => unreachable!("no unreadable entries here"),
            }
        }
        assert!(
            oks > 1000 && conflicts > 300,
            "{oks} ok, {conflicts} conflicts"
        );
    }

    /// Two editors start from the same list; each saves (re-read, plan, write). In `stale`
    /// trials A's write lands after B's whole save although A re-read before it (the window no
    /// client can close). Every saved change either holds at the end, was deliberately changed
    /// by the other writer's later save, or is reported by the writer's ledger.
    #[test]
    fn property_two_writers_never_lose_an_edit_silently() {
        let mut rng = Rng(0x5EED_0002);
        let (mut stale_losses, mut conflicts) = (0, 0);
        for trial in 0..3000 {
            let mut server = Server::random(&mut rng);
            let base = server.acl();
            let a = random_draft(&mut rng, base.clone());
            let b = random_draft(&mut rng, base.clone());
            let stale = rng.chance(25);
            // A re-reads first.
            let plan_a = plan(&a, &server.acl());
            let mut saved_a = false;
            if !stale {
                if let Ok(p) = &plan_a {
                    server.apply(p);
                    saved_a = true;
                }
            }
            let plan_b = plan(&b, &server.acl());
            let saved_b = if let Ok(p) = &plan_b {
                server.apply(p);
                true
            } else {
                conflicts += 1;
                false
            };
            if stale {
                if let Ok(p) = &plan_a {
                    server.apply(p);
                    saved_a = true;
                }
            }
            if plan_a.is_err() {
                conflicts += 1;
            }
            let end = server.acl();
            // Nobody's edit: as it was.
            for q in pool() {
                let k = key(&q);
                let edited = (saved_a && a.edit(&k).is_some()) || (saved_b && b.edit(&k).is_some());
                if !edited {
                    assert_eq!(
                        end.direct(&k),
                        base.direct(&k),
                        "trial {trial}: {q:?} untouched"
                    );
                }
            }
            // Every saved edit holds, or (only after a stale write) its writer's ledger says so.
            for (draft, saved) in [(&a, saved_a), (&b, saved_b)] {
                if !saved {
                    continue;
                }
                let mut ledger = Vec::new();
                record(&mut ledger, saved_of(draft));
                let reported = overwritten(&ledger, &end);
                for e in draft.edits() {
                    let k = key(&e.principal);
                    if end.direct(&k) == e.levels() {
                        assert!(reported.iter().all(|(s, _)| key(&s.principal) != k));
                        continue;
                    }
                    assert!(
                        stale,
                        "trial {trial}: {:?} lost without a stale write",
                        e.principal
                    );
                    assert!(
                        reported.iter().any(|(s, _)| key(&s.principal) == k),
                        "trial {trial}: {:?} lost silently",
                        e.principal
                    );
                    stale_losses += 1;
                }
            }
        }
        assert!(
            conflicts > 300 && stale_losses > 10,
            "{conflicts} conflicts, {stale_losses} reported"
        );
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
