//! The list's selection (issue #18), the eager part: the state shared with the lazily loaded
//! bulk actions ([`ListState`]), the per-row checkbox and the bar with the selected count (a
//! live region, always shown). The action bar, its dialogs and the run's results are a chunk
//! of their own (`bulk`), fetched the first time something is selected.

use crate::context::Fleet;
use crate::model::fleet::selection::Selection;
use crate::model::format::thousands;
use crate::model::list_view::{Query, Row};
use leptos::prelude::*;
use std::sync::Arc;

/// The list's state, provided by the list page for the selection and the bulk actions.
#[derive(Clone, Copy)]
pub struct ListState {
    /// Every row of the last list response.
    pub rows: RwSignal<Option<Arc<Vec<Row>>>>,
    /// Indices of the rows the filter shows, in display order.
    pub filtered: Memo<Vec<usize>>,
    /// The filter.
    pub query: RwSignal<Query>,
    /// What is selected.
    pub selection: RwSignal<Selection>,
    /// The signed-in user (the "created by me" filter).
    pub me: Memo<Option<String>>,
    /// The last row ticked or unticked (the start of a Shift range).
    pub anchor: StoredValue<Option<String>>,
}

impl ListState {
    /// How many rows are selected (derived from the current rows).
    pub fn count(&self) -> usize {
        let me = self.me.get();
        self.rows.with(|r| match r {
            Some(rows) => self.selection.with(|s| s.count(rows, me.as_deref())),
            None => 0,
        })
    }

    /// Freeze an "all matching" selection into names (before the filter changes).
    pub fn freeze(&self) {
        let me = self.me.get_untracked();
        if matches!(
            self.selection.get_untracked(),
            Selection::AllMatching { .. }
        ) {
            self.rows.with_untracked(|r| {
                if let Some(rows) = r {
                    self.selection.update(|s| s.freeze(rows, me.as_deref()));
                }
            });
        }
    }

    /// A click (or Space) on row `name`'s checkbox: toggle it, or with Shift tick the range
    /// from the last row touched.
    pub fn touch(&self, name: &str, shift: bool) {
        let anchor = self.anchor.get_value();
        match (shift, anchor) {
            (true, Some(a)) => self.rows.with_untracked(|r| {
                if let Some(rows) = r {
                    self.filtered.with_untracked(|v| {
                        self.selection.update(|s| s.select_range(rows, v, &a, name))
                    });
                }
            }),
            _ => self.selection.update(|s| s.toggle(name)),
        }
        self.anchor.set_value(Some(name.to_string()));
    }
}

/// The selection cell of one row: a real checkbox named after the endpoint.
#[component]
pub fn SelectCell(name: String) -> impl IntoView {
    let Some(list) = use_context::<ListState>() else {
        return view! { <td class="cell-select"></td> }.into_any();
    };
    let label = format!("Select {name}");
    let n = StoredValue::new(name);
    // Visible rows match the current filter; an "all matching" selection is frozen before the
    // filter changes, so its query is the current one.
    let checked = move || n.with_value(|n| list.selection.with(|s| s.contains(n, || true)));
    view! {
        <td class="cell-select">
            <input type="checkbox" aria-label=label prop:checked=checked
                on:click=move |ev| { let shift = ev.shift_key(); n.with_value(|n| list.touch(n, shift)); }
                on:keydown=move |ev| {
                    // Shift-Space: the range (the browser's own Space click carries no Shift).
                    if ev.key() == " " && ev.shift_key() {
                        ev.prevent_default();
                        n.with_value(|n| list.touch(n, true));
                    }
                }/>
        </td>
    }
    .into_any()
}

/// The selected count (a live region, always shown), "Select all N matching" and Clear.
#[component]
pub fn SelectionBar() -> impl IntoView {
    let Some(list) = use_context::<ListState>() else {
        return ().into_any();
    };
    let fleet = Fleet::expect();
    let count = Memo::new(move |_| list.count());
    // The palette offers the bulk actions while something is selected.
    Effect::new(move |_| fleet.selected.set(count.get()));
    on_cleanup(move || {
        fleet.selected.try_set(0);
    });
    let matching = move || list.filtered.with(Vec::len);
    let all_selected = move || {
        list.selection
            .with(|s| matches!(s, Selection::AllMatching { except, .. } if except.is_empty()))
    };
    view! {
        <div class="selection-bar" data-testid="selection-bar">
            <p class="selection-bar__count" role="status" aria-live="polite" data-testid="selected-count">
                {move || format!("{} selected", thousands(count.get()))}
            </p>
            <button type="button" class="button button--ghost" data-testid="select-all"
                disabled=all_selected
                on:click=move |_| { let q = list.query.get_untracked(); list.selection.update(|s| s.select_all_matching(&q)) }>
                {move || format!("Select all {} matching", thousands(matching()))}
            </button>
            <Show when=move || { count.get() > 0 }>
                <button type="button" class="button button--ghost" on:click=move |_| list.selection.update(Selection::clear)>"Clear selection"</button>
            </Show>
        </div>
        <Show when=move || { count.get() > 0 || fleet.has_run.get() }>
            {crate::chunks::lazy_view(super::preload_bulk, super::bulk_view)}
        </Show>
    }
    .into_any()
}
