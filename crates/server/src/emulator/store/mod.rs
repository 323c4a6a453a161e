//! The emulator's state: endpoints by name, each with its ACL and its scripted future.
//!
//! A record keeps the endpoint in its real GET shape ([`ServingEndpointDetailed`](api_types::ServingEndpointDetailed), without the
//! caller-dependent `permission_level`) plus internal fields:
//! - `acl`: the direct grants (the `admins` group's inherited `CAN_MANAGE` from
//!   `/serving-endpoints/` is implicit and always present);
//! - `next_transition_at` / `will_fail`: when the running config update ends, and whether it
//!   ends in `UPDATE_FAILED` (with that message on the pending entities).
//!
//! Time advances lazily: [`Store::advance`] applies every transition due at `now`; the state
//! layer calls it before each request is answered.

mod acl;
mod grant;
mod lifecycle;
mod record;

pub use grant::{Grant, OBJECT_TYPE, ROOT_OBJECT};
pub use lifecycle::{fail_update, fail_update_on, finish_update, ABORTED_MESSAGE, STOPPED_MESSAGE};
pub use record::EndpointRecord;

use std::collections::{BTreeMap, HashMap};

/// Why a record could not be added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InsertError {
    DuplicateName(String),
    DuplicateId(String),
}

impl std::fmt::Display for InsertError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InsertError::DuplicateName(n) => write!(f, "duplicate endpoint name '{n}'"),
            InsertError::DuplicateId(i) => write!(f, "duplicate endpoint id '{i}'"),
        }
    }
}

impl std::error::Error for InsertError {}

/// All endpoints, by name (list order), with an index by id for the Permissions API.
#[derive(Debug, Clone, Default)]
pub struct Store {
    endpoints: BTreeMap<String, EndpointRecord>,
    ids: HashMap<String, String>,
    /// Earliest scripted transition, so a request with nothing due costs one comparison.
    next_due: Option<i64>,
}

impl Store {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Add an endpoint; names and ids must be unique.
    pub fn insert(&mut self, record: EndpointRecord) -> Result<(), InsertError> {
        let name = record.name().to_string();
        if self.endpoints.contains_key(&name) {
            return Err(InsertError::DuplicateName(name));
        }
        if let Some(id) = record.id() {
            if self.ids.contains_key(id) {
                return Err(InsertError::DuplicateId(id.to_string()));
            }
            self.ids.insert(id.to_string(), name.clone());
        }
        self.note_due(record.next_transition_at);
        self.endpoints.insert(name, record);
        Ok(())
    }

    /// Remove an endpoint by name.
    pub fn remove(&mut self, name: &str) -> Option<EndpointRecord> {
        let r = self.endpoints.remove(name)?;
        if let Some(id) = r.id() {
            self.ids.remove(id);
        }
        Some(r)
    }

    /// The endpoint called `name`.
    pub fn get(&self, name: &str) -> Option<&EndpointRecord> {
        self.endpoints.get(name)
    }

    /// The endpoint called `name`, for a change. Call [`Store::reschedule`] after changing its
    /// scripted transition.
    pub fn get_mut(&mut self, name: &str) -> Option<&mut EndpointRecord> {
        self.endpoints.get_mut(name)
    }

    /// The endpoint whose `id` is `id`.
    pub fn get_by_id(&self, id: &str) -> Option<&EndpointRecord> {
        self.ids.get(id).and_then(|n| self.endpoints.get(n))
    }

    /// The name of the endpoint whose `id` is `id`.
    pub fn name_of_id(&self, id: &str) -> Option<&str> {
        self.ids.get(id).map(String::as_str)
    }

    /// All endpoints in name order.
    pub fn iter(&self) -> impl Iterator<Item = &EndpointRecord> {
        self.endpoints.values()
    }

    /// Number of endpoints.
    pub fn len(&self) -> usize {
        self.endpoints.len()
    }

    /// No endpoints?
    pub fn is_empty(&self) -> bool {
        self.endpoints.is_empty()
    }

    /// Is any scripted transition due at `now_ms`?
    pub fn is_due(&self, now_ms: i64) -> bool {
        self.next_due.is_some_and(|t| t <= now_ms)
    }

    /// Apply every transition due at `now_ms`; returns how many endpoints changed.
    pub fn advance(&mut self, now_ms: i64) -> usize {
        if !self.is_due(now_ms) {
            return 0;
        }
        let mut changed = 0;
        for r in self.endpoints.values_mut() {
            if r.advance(now_ms) {
                changed += 1;
            }
        }
        self.reschedule();
        changed
    }

    /// Recompute the earliest scripted transition (after changing a record's schedule).
    pub fn reschedule(&mut self) {
        self.next_due = self
            .endpoints
            .values()
            .filter_map(|r| r.next_transition_at)
            .min();
    }

    fn note_due(&mut self, at: Option<i64>) {
        if let Some(at) = at {
            self.next_due = Some(self.next_due.map_or(at, |t| t.min(at)));
        }
    }
}

#[cfg(test)]
mod tests;
