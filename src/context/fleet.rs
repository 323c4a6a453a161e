//! [`Fleet`]: fleet operations' app-wide state (issue #18): the bulk run in progress or last
//! finished — its summary survives navigating away and back — and the command palette's open
//! flag and recent items (in memory only: nothing of it reaches web storage).

use crate::model::fleet::runner::Summary;
use leptos::prelude::*;

/// How many recent palette items are remembered.
pub const RECENT_MAX: usize = 8;

/// Fleet state, provided once by the console.
#[derive(Clone, Copy)]
pub struct Fleet {
    /// The run in progress, or the last one (until dismissed).
    pub run: RwSignal<Option<Summary>>,
    /// A run is in progress (its driver is alive).
    pub running: RwSignal<bool>,
    /// Cancel asked: the driver stops sending (rows in flight finish).
    pub cancel: RwSignal<bool>,
    /// Runs finished so far (the list re-reads after each).
    pub finished: RwSignal<u64>,
    /// The command palette is open.
    pub palette_open: RwSignal<bool>,
    /// The palette's recent items (entry labels), most recent first.
    pub recent: RwSignal<Vec<String>>,
    /// How many endpoints the list has selected (0 off the list).
    pub selected: RwSignal<usize>,
    /// A bulk action asked for from the palette (`bulk:stop` …): the list's action bar opens
    /// its confirmation.
    pub pending_action: RwSignal<Option<String>>,
}

impl Default for Fleet {
    fn default() -> Self {
        Self::new()
    }
}

impl Fleet {
    /// Nothing run, palette closed.
    pub fn new() -> Self {
        Fleet {
            run: RwSignal::new(None),
            running: RwSignal::new(false),
            cancel: RwSignal::new(false),
            finished: RwSignal::new(0),
            palette_open: RwSignal::new(false),
            recent: RwSignal::new(Vec::new()),
            selected: RwSignal::new(0),
            pending_action: RwSignal::new(None),
        }
    }

    /// The state from context (a private one outside the console).
    pub fn expect() -> Self {
        use_context::<Fleet>().unwrap_or_default()
    }

    /// Remember `key` as the most recent palette item.
    pub fn remember(&self, key: &str) {
        self.recent.update(|r| {
            r.retain(|k| k != key);
            r.insert(0, key.to_string());
            r.truncate(RECENT_MAX);
        });
    }
}
