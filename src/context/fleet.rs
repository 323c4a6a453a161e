//! [`Fleet`]: fleet operations' app-wide state (issue #18).
//!
//! The eager part is small on purpose (the first screen's bytes): the palette's open flag, the
//! list's selected count, a bulk action asked for from the palette, runs finished, whether a
//! run's results are there. The rest — the bulk run and its summary ([`FleetRun`]), the idle
//! view's observations ([`IdleObservations`]), the palette's recent items ([`PaletteRecent`]) —
//! is created by the lazily loaded code that needs it, the first time, on the console's owner
//! ([`Fleet::shared`]): it lives as long as the console (a run's summary survives navigating
//! away and back) while its code stays in the chunks. Nothing of it reaches web storage.

use crate::model::fleet::runner::Summary;
use crate::model::metrics::Snapshot;
use api_types::ServingEndpointDetailed;
use leptos::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;

/// How many recent palette items are remembered.
pub const RECENT_MAX: usize = 8;

/// Snapshots kept per endpoint for the idle view (at one a minute: two hours).
pub const SAMPLES_KEPT: usize = 120;

/// Fleet state, provided once by the console.
#[derive(Clone, Copy)]
pub struct Fleet {
    /// The command palette is open.
    pub palette_open: RwSignal<bool>,
    /// How many endpoints the list has selected (0 off the list).
    pub selected: RwSignal<usize>,
    /// A bulk action asked for from the palette (`bulk:stop` …): the list's action bar opens
    /// its confirmation.
    pub pending_action: RwSignal<Option<String>>,
    /// Runs finished so far (the list re-reads after each).
    pub finished: RwSignal<u64>,
    /// A run is in progress or its results are shown (the list loads the bulk chunk).
    pub has_run: RwSignal<bool>,
    owner: StoredValue<Owner>,
}

impl Default for Fleet {
    fn default() -> Self {
        Self::new()
    }
}

impl Fleet {
    /// Nothing run, palette closed; the current owner keeps the state created later.
    pub fn new() -> Self {
        Fleet {
            palette_open: RwSignal::new(false),
            selected: RwSignal::new(0),
            pending_action: RwSignal::new(None),
            finished: RwSignal::new(0),
            has_run: RwSignal::new(false),
            owner: StoredValue::new(Owner::current().unwrap_or_default()),
        }
    }

    /// The state from context (a private one outside the console).
    pub fn expect() -> Self {
        use_context::<Fleet>().unwrap_or_default()
    }

    /// The console-wide `T`, made by `make` the first time (on the console's owner, so it
    /// outlives the page that asked).
    pub fn shared<T: Clone + Send + Sync + 'static>(&self, make: impl FnOnce() -> T) -> T {
        let owner = self.owner.get_value();
        owner.with(|| {
            use_context::<T>().unwrap_or_else(|| {
                let t = make();
                provide_context(t.clone());
                t
            })
        })
    }

    /// The bulk run.
    pub fn runs(&self) -> FleetRun {
        self.shared(|| FleetRun {
            run: RwSignal::new(None),
            running: RwSignal::new(false),
            cancel: RwSignal::new(false),
        })
    }

    /// The idle view's observations.
    pub fn observations(&self) -> IdleObservations {
        self.shared(|| IdleObservations {
            details: RwSignal::new(HashMap::new()),
            observed: RwSignal::new(HashMap::new()),
        })
    }

    /// The palette's recent items.
    pub fn recent(&self) -> PaletteRecent {
        self.shared(|| PaletteRecent {
            items: RwSignal::new(Vec::new()),
        })
    }
}

/// The bulk run in progress, or the last one (until dismissed).
#[derive(Clone, Copy)]
pub struct FleetRun {
    /// Its summary.
    pub run: RwSignal<Option<Summary>>,
    /// Its driver is alive.
    pub running: RwSignal<bool>,
    /// Cancel asked: the driver stops sending (rows in flight finish).
    pub cancel: RwSignal<bool>,
}

/// What the idle view has read.
#[derive(Clone, Copy)]
pub struct IdleObservations {
    /// Detail reads, by name.
    pub details: RwSignal<HashMap<String, Arc<ServingEndpointDetailed>>>,
    /// `/metrics` snapshots, by name, oldest first (at most [`SAMPLES_KEPT`]).
    pub observed: RwSignal<HashMap<String, Vec<Snapshot>>>,
}

impl IdleObservations {
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
}

/// The palette's recent items (entry labels), most recent first.
#[derive(Clone, Copy)]
pub struct PaletteRecent {
    /// The labels.
    pub items: RwSignal<Vec<String>>,
}

impl PaletteRecent {
    /// Remember `label` as the most recent.
    pub fn remember(&self, label: &str) {
        self.items.update(|r| {
            r.retain(|k| k != label);
            r.insert(0, label.to_string());
            r.truncate(RECENT_MAX);
        });
    }
}
