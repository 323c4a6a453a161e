//! [`PermissionDrafts`]: unsaved permission edits of every endpoint, kept for the whole console
//! so that they survive a failed save, a switch to another tab and a remount.

use crate::model::permissions::{Draft, Kind, Saved};
use leptos::prelude::*;
use std::collections::HashMap;

/// The add form's fields, kept with the draft.
#[derive(Debug, Clone, PartialEq)]
pub struct AddForm {
    /// Principal type.
    pub kind: Kind,
    /// Name as typed.
    pub name: String,
    /// Level (wire value; empty: the first offered).
    pub level: String,
}

impl Default for AddForm {
    fn default() -> Self {
        AddForm {
            kind: Kind::User,
            name: String::new(),
            level: "CAN_QUERY".into(),
        }
    }
}

/// What the editor keeps per endpoint, beyond the life of the tab.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EditorState {
    /// The endpoint's name (for the leave guard).
    pub name: String,
    /// Unsaved edits.
    pub draft: Option<Draft>,
    /// Changes saved in this session, checked at every later read.
    pub ledger: Vec<Saved>,
    /// The add form.
    pub form: AddForm,
}

/// Unsaved permission edits of every endpoint, by endpoint id (provided by the console).
#[derive(Clone, Copy)]
pub struct PermissionDrafts {
    map: RwSignal<HashMap<String, EditorState>>,
}

impl Default for PermissionDrafts {
    fn default() -> Self {
        Self::new()
    }
}

impl PermissionDrafts {
    /// An empty store.
    pub fn new() -> Self {
        PermissionDrafts {
            map: RwSignal::new(HashMap::new()),
        }
    }

    /// The console's store (a private one when mounted outside the console).
    pub fn expect() -> Self {
        use_context::<PermissionDrafts>().unwrap_or_default()
    }

    /// The state of endpoint `id` (tracked).
    pub fn get(&self, id: &str) -> EditorState {
        self.map.with(|m| m.get(id).cloned().unwrap_or_default())
    }

    /// The state of endpoint `id` (untracked).
    pub fn get_untracked(&self, id: &str) -> EditorState {
        self.map
            .with_untracked(|m| m.get(id).cloned().unwrap_or_default())
    }

    /// Change the state of endpoint `id` (called `name`).
    pub fn update(&self, id: &str, name: &str, f: impl FnOnce(&mut EditorState)) {
        self.map.update(|m| {
            let e = m.entry(id.to_string()).or_default();
            e.name = name.to_string();
            f(e);
        });
    }

    /// Names of the endpoints with unsaved edits (untracked).
    pub fn dirty_names(&self) -> Vec<String> {
        // `try_`: a listener may outlive the console that owns the store.
        self.map
            .try_with_untracked(|m| {
                m.values()
                    .filter(|e| e.draft.as_ref().is_some_and(Draft::is_dirty))
                    .map(|e| e.name.clone())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Drop the unsaved edits of the endpoint called `name`.
    pub fn discard_by_name(&self, name: &str) {
        self.map.update(|m| {
            for e in m.values_mut().filter(|e| e.name == name) {
                e.draft = None;
            }
        });
    }
}
