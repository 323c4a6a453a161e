//! The endpoints list's selection: one row, a range, or "all N matching the filter".
//!
//! "All matching" is kept as the filter itself plus the rows unticked since — no per-row
//! state for 10,000 rows; its members are the current rows the filter matches (so endpoints
//! that vanished drop out). Explicit selections are names; on every refresh the count is
//! taken over the rows that still exist. A selection survives re-filtering: rows hidden by
//! a new filter stay selected (the bar says how many are hidden). Before the filter changes,
//! or before a run, an "all matching" selection is frozen into names ([`Selection::freeze`]),
//! so that what was selected is what runs.

use crate::model::list_view::{apply, Query, Row};
use std::collections::BTreeSet;

/// What is selected.
#[derive(Clone, PartialEq, Debug, Default)]
pub enum Selection {
    /// Nothing.
    #[default]
    None,
    /// These names (those that no longer exist are ignored, and dropped by [`Selection::prune`]).
    Names(BTreeSet<String>),
    /// Every row `query` matches, except those unticked since.
    AllMatching {
        /// The filter that was applied when "select all" was chosen.
        query: Query,
        /// Rows unticked afterwards.
        except: BTreeSet<String>,
    },
}

impl Selection {
    /// Is `row` selected? `matches` says whether the "all matching" filter matches it (the
    /// caller knows it from the visible indices when the filter is the current one).
    pub fn contains(&self, name: &str, matches: impl FnOnce() -> bool) -> bool {
        match self {
            Selection::None => false,
            Selection::Names(s) => s.contains(name),
            Selection::AllMatching { except, .. } => !except.contains(name) && matches(),
        }
    }

    /// The selected names among `rows`, in `rows` order.
    pub fn names<'a>(&self, rows: &'a [Row], me: Option<&str>) -> Vec<&'a str> {
        match self {
            Selection::None => Vec::new(),
            Selection::Names(s) => rows
                .iter()
                .filter(|r| s.contains(&r.name))
                .map(|r| r.name.as_str())
                .collect(),
            Selection::AllMatching { query, except } => {
                let mut idx = apply(rows, query, me);
                idx.sort_unstable();
                idx.into_iter()
                    .map(|i| rows[i].name.as_str())
                    .filter(|n| !except.contains(*n))
                    .collect()
            }
        }
    }

    /// How many rows of `rows` are selected (always derived, never stored).
    pub fn count(&self, rows: &[Row], me: Option<&str>) -> usize {
        match self {
            Selection::None => 0,
            Selection::Names(s) => rows.iter().filter(|r| s.contains(&r.name)).count(),
            Selection::AllMatching { .. } => self.names(rows, me).len(),
        }
    }

    /// How many selected rows the rows shown (`visible`, indices into `rows`) do not show.
    pub fn hidden(&self, rows: &[Row], visible: &[usize], me: Option<&str>) -> usize {
        let shown: BTreeSet<&str> = visible
            .iter()
            .filter_map(|&i| rows.get(i))
            .map(|r| r.name.as_str())
            .collect();
        self.names(rows, me)
            .into_iter()
            .filter(|n| !shown.contains(n))
            .count()
    }

    /// Tick or untick one row.
    pub fn toggle(&mut self, name: &str) {
        match self {
            Selection::None => {
                *self = Selection::Names(BTreeSet::from([name.to_string()]));
            }
            Selection::Names(s) => {
                if !s.remove(name) {
                    s.insert(name.to_string());
                }
                if s.is_empty() {
                    *self = Selection::None;
                }
            }
            Selection::AllMatching { except, .. } => {
                if !except.remove(name) {
                    except.insert(name.to_string());
                }
            }
        }
    }

    /// Shift-click: tick every visible row from `anchor` to `to` inclusive (either order).
    /// An anchor no longer visible ticks only `to`.
    pub fn select_range(&mut self, rows: &[Row], visible: &[usize], anchor: &str, to: &str) {
        let pos = |n: &str| {
            visible
                .iter()
                .position(|&i| rows.get(i).is_some_and(|r| r.name == n))
        };
        let Some(b) = pos(to) else {
            return;
        };
        let a = pos(anchor).unwrap_or(b);
        let (lo, hi) = (a.min(b), a.max(b));
        for &i in &visible[lo..=hi] {
            if let Some(r) = rows.get(i) {
                self.add(&r.name);
            }
        }
    }

    fn add(&mut self, name: &str) {
        match self {
            Selection::None => {
                *self = Selection::Names(BTreeSet::from([name.to_string()]));
            }
            Selection::Names(s) => {
                s.insert(name.to_string());
            }
            Selection::AllMatching { except, .. } => {
                except.remove(name);
            }
        }
    }

    /// "Select all N matching the filter". Replaces the selection.
    pub fn select_all_matching(&mut self, query: &Query) {
        *self = Selection::AllMatching {
            query: query.clone(),
            except: BTreeSet::new(),
        };
    }

    /// Clear.
    pub fn clear(&mut self) {
        *self = Selection::None;
    }

    /// Turn an "all matching" selection into the names it selects now (before the filter
    /// changes, or before a run). Names selections are pruned to `rows`.
    pub fn freeze(&mut self, rows: &[Row], me: Option<&str>) {
        let names: BTreeSet<String> = self
            .names(rows, me)
            .into_iter()
            .map(str::to_string)
            .collect();
        *self = if names.is_empty() {
            Selection::None
        } else {
            Selection::Names(names)
        };
    }

    /// Drop the names of endpoints that no longer exist (after a refresh).
    pub fn prune(&mut self, rows: &[Row]) {
        if let Selection::Names(s) = self {
            let present: BTreeSet<&str> = rows.iter().map(|r| r.name.as_str()).collect();
            s.retain(|n| present.contains(n.as_str()));
            if s.is_empty() {
                *self = Selection::None;
            }
        }
        if let Selection::AllMatching { except, .. } = self {
            let present: BTreeSet<&str> = rows.iter().map(|r| r.name.as_str()).collect();
            except.retain(|n| present.contains(n.as_str()));
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::model::list_view::rows_from;
    use api_types::ServingEndpoint;
    use serde_json::json;

    fn rows(names: &[&str]) -> Vec<Row> {
        let eps: Vec<ServingEndpoint> = names
            .iter()
            .map(|n| serde_json::from_value(json!({"name": n})).expect("item"))
            .collect();
        rows_from(&eps)
    }

    fn q(text: &str) -> Query {
        Query {
            q: text.into(),
            ..Query::default()
        }
    }

    #[test]
    fn toggle_and_count() {
        let r = rows(&["a", "b", "c"]);
        let mut s = Selection::default();
        s.toggle("a");
        s.toggle("c");
        assert_eq!(s.count(&r, None), 2);
        s.toggle("a");
        assert_eq!(s.names(&r, None), vec!["c"]);
        s.toggle("c");
        assert_eq!(s, Selection::None);
    }

    #[test]
    fn range_in_either_direction_over_visible_rows() {
        let r = rows(&["a", "b", "c", "d", "e"]);
        let visible = vec![4, 3, 1, 0]; // e d b a (c filtered out)
        let mut s = Selection::default();
        s.select_range(&r, &visible, "a", "d");
        assert_eq!(s.names(&r, None), vec!["a", "b", "d"]);
        let mut s = Selection::default();
        s.select_range(&r, &visible, "zzz", "b");
        assert_eq!(s.names(&r, None), vec!["b"]);
    }

    #[test]
    fn all_matching_without_per_row_state_and_vanished_rows_drop_out() {
        let r = rows(&["dev-a", "dev-b", "prod-a", "dev-c"]);
        let mut s = Selection::default();
        s.select_all_matching(&q("dev"));
        assert_eq!(s.count(&r, None), 3);
        s.toggle("dev-b");
        assert_eq!(s.names(&r, None), vec!["dev-a", "dev-c"]);
        // A refresh where dev-a vanished and dev-d appeared.
        let r2 = rows(&["dev-c", "dev-d", "prod-a"]);
        assert_eq!(s.names(&r2, None), vec!["dev-c", "dev-d"]);
        assert_eq!(s.count(&r2, None), 2);
    }

    #[test]
    fn survives_refiltering_and_reports_hidden() {
        let r = rows(&["dev-a", "dev-b", "prod-a"]);
        let mut s = Selection::default();
        s.select_all_matching(&q("dev"));
        s.freeze(&r, None);
        let visible = apply(&r, &q("prod"), None);
        assert_eq!(s.count(&r, None), 2);
        assert_eq!(s.hidden(&r, &visible, None), 2);
        s.toggle("prod-a");
        assert_eq!(s.count(&r, None), 3);
        assert_eq!(s.hidden(&r, &visible, None), 2);
    }

    #[test]
    fn prune_drops_vanished_names() {
        let r = rows(&["a", "b"]);
        let mut s = Selection::default();
        s.toggle("a");
        s.toggle("b");
        s.prune(&rows(&["b"]));
        assert_eq!(s, Selection::Names(BTreeSet::from(["b".to_string()])));
        s.prune(&rows(&[]));
        assert_eq!(s, Selection::None);
        assert_eq!(s.count(&r, None), 0);
    }

    #[test]
    fn contains_matches_names() {
        let r = rows(&["a", "b"]);
        let mut s = Selection::default();
        s.select_all_matching(&Query::default());
        s.toggle("a");
        for row in &r {
            let listed = s.names(&r, None).contains(&row.name.as_str());
            assert_eq!(s.contains(&row.name, || true), listed);
        }
    }
}
