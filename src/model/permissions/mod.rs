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

mod acl;
mod add_form;
mod draft;
mod ledger;
mod lockout;
mod save;
#[cfg(test)]
mod test_support;

pub use acl::{
    highest, inherited_label, key, levels_label, slug, Acl, Entry, Inherited, Key, Levels,
};
pub use add_form::{
    is_email, is_uuid, level_from_value, offered_levels, validate_new, AddError, Kind,
};
pub use draft::{describe, rows_of, Change, Draft, Edit, Intent, Row, RowStatus, Source};
pub use ledger::{overwritten, record, saved_of, Saved};
pub use lockout::{level_of, lockout, Lockout, Me};
pub use save::{plan, unmet, ConflictRow, Plan, PlanError};
