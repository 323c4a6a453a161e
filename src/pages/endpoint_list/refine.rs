//! The refinement of ambiguous rows: a list item cannot tell "stopped" from "recovering" (both
//! are `NOT_READY` + `NOT_UPDATING`; the per-entity states are only in the detailed GET). Such
//! rows are refined with one GET each, one request at a time, at most [`REFINE_MAX`] per list
//! load, cached by name and last update. The GET and its decoder are a chunk of their own
//! ([`chunks::refine_state`]).

use crate::api::ApiError;
use crate::chunks;
use crate::context::Workspace;
use crate::hooks::use_polling::Poller;
use crate::model::display_state::DisplayState;
use crate::model::list_view::Row;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use std::collections::HashMap;
use std::sync::Arc;

/// Rows refined at most per list load.
const REFINE_MAX: usize = 50;

/// Refined states by endpoint name, valid while `last_updated_timestamp` is unchanged.
type RefineCache = HashMap<String, (Option<i64>, DisplayState)>;

/// Apply cached refinements to freshly built rows.
fn apply_refinements(rows: &mut [Row], cache: &RefineCache) {
    for r in rows
        .iter_mut()
        .filter(|r| r.state == DisplayState::NotReady)
    {
        if let Some((updated, state)) = cache.get(&r.name) {
            if *updated == r.updated_ms {
                r.state = state.clone();
            }
        }
    }
}

/// Names of rows still to refine, in list order, at most `max`.
fn to_refine(rows: &[Row], cache: &RefineCache, max: usize) -> Vec<(String, Option<i64>)> {
    rows.iter()
        .filter(|r| r.state == DisplayState::NotReady)
        .filter(|r| {
            cache
                .get(&r.name)
                .map(|(u, _)| *u != r.updated_ms)
                .unwrap_or(true)
        })
        .take(max)
        .map(|r| (r.name.clone(), r.updated_ms))
        .collect()
}

/// The refined states of the list page, and the refinement in flight (all handles: `Copy`).
#[derive(Clone, Copy)]
pub(super) struct RowRefinements {
    cache: StoredValue<RefineCache>,
    /// A refinement loop is running (one at a time).
    refining: StoredValue<bool>,
}

impl RowRefinements {
    /// No refinement yet.
    pub fn new() -> Self {
        RowRefinements {
            cache: StoredValue::new(HashMap::new()),
            refining: StoredValue::new(false),
        }
    }

    /// Give freshly read rows the states refined earlier (while still valid).
    pub fn apply(&self, rows: &mut [Row]) {
        self.cache.with_value(|c| apply_refinements(rows, c));
    }

    /// After each read of the list, refine the rows that need it, one GET at a time, and write
    /// each refined state into the poller's rows. Stops when the page goes away.
    pub fn follow(&self, poller: Poller<Arc<Vec<Row>>>) {
        let RowRefinements { cache, refining } = *self;
        let api = Workspace::expect().api;
        // Aborted when the list goes away: the refinement in flight is cancelled, none follows.
        let leave = SendWrapper::new(web_sys::AbortController::new().ok());
        let signal = leave.as_ref().map(|c| SendWrapper::new(c.signal()));
        on_cleanup(move || {
            if let Some(c) = leave.take() {
                c.abort();
            }
        });
        Effect::new(move |_| {
            let pending = poller.data.with(|d| {
                d.as_ref()
                    .map(|rows| cache.with_value(|c| to_refine(rows, c, REFINE_MAX)))
                    .unwrap_or_default()
            });
            if pending.is_empty() || refining.get_value() {
                return;
            }
            refining.set_value(true);
            let api = api.clone();
            let signal = signal.as_ref().map(|s| (**s).clone());
            leptos::task::spawn_local(async move {
                for (name, updated) in pending {
                    if signal.as_ref().is_some_and(|s| s.aborted()) {
                        return;
                    }
                    let Ok(read) =
                        chunks::refine_state(api.clone(), name.clone(), signal.clone()).await
                    else {
                        // The refinement code could not be fetched: leave the rows as they are (and
                        // uncached), the next list load tries again.
                        refining.try_set_value(false);
                        return;
                    };
                    let state = match read.await {
                        Ok(state) => state,
                        Err(ApiError::Aborted) => return,
                        // Unknown now, or unreadable: keep the honest "Not ready".
                        Err(_) => DisplayState::NotReady,
                    };
                    cache.try_update_value(|c| {
                        c.insert(name.clone(), (updated, state.clone()));
                    });
                    if state != DisplayState::NotReady {
                        poller.data.try_update(|d| {
                            if let Some(rows) = d {
                                if let Some(r) =
                                    Arc::make_mut(rows).iter_mut().find(|r| r.name == name)
                                {
                                    r.state = state;
                                }
                            }
                        });
                    }
                }
                refining.try_set_value(false);
            });
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, state: DisplayState, updated: i64) -> Row {
        Row {
            name: name.into(),
            state,
            entities: String::new(),
            task: None,
            creator: None,
            updated_ms: Some(updated),
            tags: vec![],
            search_text: name.into(),
        }
    }

    #[test]
    fn only_ambiguous_rows_are_refined_and_cache_follows_updates() {
        let mut rows = vec![
            row("a", DisplayState::NotReady, 1),
            row("b", DisplayState::Ready, 1),
            row("c", DisplayState::NotReady, 1),
        ];
        let mut cache = RefineCache::new();
        assert_eq!(to_refine(&rows, &cache, 10).len(), 2);
        assert_eq!(to_refine(&rows, &cache, 1).len(), 1, "bounded per load");
        cache.insert("a".into(), (Some(1), DisplayState::NotReadyStopped));
        cache.insert("c".into(), (Some(0), DisplayState::NotReadyStopped));
        apply_refinements(&mut rows, &cache);
        assert_eq!(rows[0].state, DisplayState::NotReadyStopped);
        assert_eq!(
            rows[2].state,
            DisplayState::NotReady,
            "stale cache entry ignored"
        );
        assert_eq!(
            to_refine(&rows, &cache, 10),
            vec![("c".to_string(), Some(1))]
        );
    }
}
