//! [`ConfigDrafts`]: the config editor's state of every endpoint (issue #15), kept for the
//! whole console so that an unsaved edit survives switching tabs, and the config an applied
//! update replaced stays available for "Roll back" while the console is open.
//!
//! The values are type-erased (`Arc<dyn Any>`): the editor's types live in its lazily loaded
//! chunk, and the store itself, provided at start-up, must not pull them into the first screen.

use leptos::prelude::*;
use std::any::Any;
use std::collections::HashMap;
use std::sync::Arc;

/// A value kept for the editor (its own type, see `pages::endpoint_detail::edit`).
pub type Kept = Arc<dyn Any + Send + Sync>;

/// What is kept per endpoint name.
#[derive(Clone, Default)]
struct Slot {
    /// The edit in progress (form, the read it began from, the stage).
    draft: Option<Kept>,
    /// The draft differs from what was read (for the leave guard).
    dirty: bool,
    /// The config replaced by the last applied update (for "Roll back").
    replaced: Option<Kept>,
}

/// The config editor's state of every endpoint, by endpoint name (provided by the console).
#[derive(Clone, Copy)]
pub struct ConfigDrafts {
    map: RwSignal<HashMap<String, Slot>>,
}

impl Default for ConfigDrafts {
    fn default() -> Self {
        Self::new()
    }
}

impl ConfigDrafts {
    /// An empty store.
    pub fn new() -> Self {
        ConfigDrafts {
            map: RwSignal::new(HashMap::new()),
        }
    }

    /// The console's store (a private one when mounted outside the console).
    pub fn expect() -> Self {
        use_context::<ConfigDrafts>().unwrap_or_default()
    }

    /// The draft of `name` (untracked).
    pub fn draft(&self, name: &str) -> Option<Kept> {
        self.map
            .with_untracked(|m| m.get(name).and_then(|s| s.draft.clone()))
    }

    /// Keep (or drop, `None`) the draft of `name`, and whether it is unsaved.
    pub fn set_draft(&self, name: &str, draft: Option<Kept>, dirty: bool) {
        self.map.update(|m| {
            let s = m.entry(name.to_string()).or_default();
            s.dirty = dirty && draft.is_some();
            s.draft = draft;
        });
    }

    /// The config replaced by the last applied update of `name` (tracked).
    pub fn replaced(&self, name: &str) -> Option<Kept> {
        self.map
            .with(|m| m.get(name).and_then(|s| s.replaced.clone()))
    }

    /// Keep the config an applied update of `name` replaced.
    pub fn set_replaced(&self, name: &str, replaced: Option<Kept>) {
        self.map
            .update(|m| m.entry(name.to_string()).or_default().replaced = replaced);
    }

    /// Names of the endpoints with an unsaved config edit (untracked).
    pub fn dirty_names(&self) -> Vec<String> {
        // `try_`: a listener may outlive the console that owns the store.
        self.map
            .try_with_untracked(|m| {
                m.iter()
                    .filter(|(_, s)| s.dirty)
                    .map(|(n, _)| n.clone())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Drop the unsaved config edit of `name`.
    pub fn discard(&self, name: &str) {
        self.map.update(|m| {
            if let Some(s) = m.get_mut(name) {
                s.draft = None;
                s.dirty = false;
            }
        });
    }
}
