//! [`Fleet`]: fleet operations' app-wide state (issue #18): the bulk run in progress or last
//! finished — its summary survives navigating away and back — and the command palette's open
//! flag and recent items (in memory only: nothing of it reaches web storage).

use crate::model::fleet::runner::Summary;
use crate::model::metrics::Snapshot;
use api_types::ServingEndpointDetailed;
use leptos::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;

/// Snapshots kept per endpoint for the idle view (at one a minute: two hours).
pub const SAMPLES_KEPT: usize = 120;

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
    /// The idle view's detail reads, by name (kept while the console is open).
    pub details: RwSignal<HashMap<String, Arc<ServingEndpointDetailed>>>,
    /// The idle view's `/metrics` snapshots, by name, oldest first (at most [`SAMPLES_KEPT`]).
    pub observed: RwSignal<HashMap<String, Vec<Snapshot>>>,
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
            details: RwSignal::new(HashMap::new()),
            observed: RwSignal::new(HashMap::new()),
        }
    }

    /// The state from context (a private one outside the console).
    pub fn expect() -> Self {
        use_context::<Fleet>().unwrap_or_default()
    }

    /// Record a snapshot of `name`'s metrics.
    pub fn observe(&self, name: &str, s: Snapshot) {
        self.observed.update(|o| {
            let v = o.entry(name.to_string()).or_default();
            v.push(s);
            if v.len() > SAMPLES_KEPT {
                let extra = v.len() - SAMPLES_KEPT;
                v.drain(..extra);
            }
        });
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
