//! [`LogBuffer`]: the log as the viewer reads it.

use super::*;

/// The log as the viewer reads it: the index (held once), a revision bumped on every change,
/// and what the last change was.
#[derive(Clone, Copy)]
pub struct LogBuffer {
    /// The text and its line index.
    pub index: StoredValue<LogIndex>,
    /// Bumped on every change.
    pub rev: RwSignal<u64>,
    /// What the last change did.
    pub last: RwSignal<MergeOutcome>,
}

impl Default for LogBuffer {
    fn default() -> Self {
        Self::new()
    }
}

impl LogBuffer {
    /// An empty buffer.
    pub fn new() -> Self {
        LogBuffer {
            index: StoredValue::new(LogIndex::default()),
            rev: RwSignal::new(0),
            last: RwSignal::new(MergeOutcome::Unchanged),
        }
    }

    /// Merge a fresh answer in (append only new lines, or replace); bumps the revision if
    /// anything changed.
    pub fn merge(&self, fresh: String) -> MergeOutcome {
        let outcome = self
            .index
            .try_update_value(|ix| ix.merge(fresh))
            .unwrap_or(MergeOutcome::Unchanged);
        if outcome != MergeOutcome::Unchanged {
            self.last.try_set(outcome);
            self.rev.try_update(|r| *r += 1);
        }
        outcome
    }

    /// Line count (tracks the revision).
    pub fn len(&self) -> usize {
        self.rev.track();
        self.index.with_value(LogIndex::len)
    }

    /// No lines (tracks the revision)?
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
