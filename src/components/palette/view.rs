//! The palette proper (a lazily loaded chunk): a WAI-ARIA combobox — the input owns a listbox
//! through `aria-controls` and names the active option with `aria-activedescendant`; Up/Down
//! move, Enter chooses, Escape closes — over every endpoint, each endpoint's tabs and the
//! actions, matched by `model::fleet::palette` (recent items first, kept in memory only).
//! An action still opens its confirmation: the palette only asks for it.

use crate::components::Dialog;
use crate::context::{Fleet, Workspace};
use crate::links::{self, Tab};
use crate::model::fleet::palette::{entries_for, Hit, Palette as Matcher, Target};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use std::sync::Arc;

/// Options shown at once.
const LIMIT: usize = 50;

/// The palette's actions: (id, label). `bulk:*` ones need a selection on the list.
pub const ACTIONS: &[(&str, &str)] = &[
    ("go:list", "Go to the endpoints list"),
    ("go:idle", "Show idle endpoints (cost)"),
];

/// The bulk actions, offered while endpoints are selected on the list.
pub const BULK_ACTIONS: &[(&str, &str)] = &[
    ("bulk:stop", "Stop selected endpoints…"),
    ("bulk:start", "Start selected endpoints…"),
    ("bulk:delete", "Delete selected endpoints…"),
    ("bulk:add-tag", "Add a tag to selected endpoints…"),
    ("bulk:remove-tag", "Remove a tag from selected endpoints…"),
    ("bulk:grant", "Grant a permission on selected endpoints…"),
];

/// The label split into (text, matched) runs, for highlighting as text.
fn runs(label: &str, positions: &[usize]) -> Vec<(String, bool)> {
    let mut out: Vec<(String, bool)> = Vec::new();
    for (i, c) in label.chars().enumerate() {
        let m = positions.binary_search(&i).is_ok();
        match out.last_mut() {
            Some((s, lm)) if *lm == m => s.push(c),
            _ => out.push((c.to_string(), m)),
        }
    }
    out
}

/// The command palette dialog.
#[component]
pub fn Palette() -> impl IntoView {
    let fleet = Fleet::expect();
    let close = Callback::new(move |_| fleet.palette_open.set(false));
    view! {
        <Dialog id="palette" class="dialog--wide palette" open=fleet.palette_open on_close=close
            title="Go to or run" initial_focus="palette-input">
            <PaletteBody/>
        </Dialog>
    }
}

#[component]
fn PaletteBody() -> impl IntoView {
    let fleet = Fleet::expect();
    let recent_items = fleet.recent();
    let api = Workspace::expect().api;
    let navigate = use_navigate();
    let matcher: RwSignal<Option<Arc<Matcher>>> = RwSignal::new(None);
    let failed: RwSignal<Option<String>> = RwSignal::new(None);
    let query = RwSignal::new(String::new());
    let active = RwSignal::new(0usize);
    let with_bulk = fleet.selected.get_untracked() > 0;

    leptos::task::spawn_local(async move {
        match api.list_endpoints(None).await {
            Ok(list) => {
                let names: Vec<&str> = list.endpoints.iter().map(|e| e.name.as_str()).collect();
                let tabs: Vec<(&str, &str)> = Tab::ALL
                    .iter()
                    .filter(|t| !t.segment().is_empty())
                    .map(|t| (t.segment(), t.label()))
                    .collect();
                let mut actions: Vec<(&str, &str)> = ACTIONS.to_vec();
                if with_bulk {
                    actions.extend_from_slice(BULK_ACTIONS);
                }
                let m = Matcher::new(entries_for(&names, &tabs, &actions));
                matcher.try_set(Some(Arc::new(m)));
            }
            Err(e) => {
                failed.try_set(Some(format!(
                    "The endpoints could not be listed: {}",
                    e.message()
                )));
            }
        }
    });

    let hits: Memo<Vec<Hit>> = Memo::new(move |_| {
        let q = query.get();
        let recent = recent_items.items.get();
        matcher.with(|m| {
            m.as_ref()
                .map(|m| m.search(&q, &recent, LIMIT))
                .unwrap_or_default()
        })
    });
    Effect::new(move |_| {
        hits.track();
        if active.get_untracked() != 0 {
            active.set(0);
        }
    });
    // Mark each keystroke's paint for the benchmark (BENCHMARKS.md "Fleet").
    Effect::new(move |_| {
        hits.track();
        request_animation_frame(|| {
            if let Some(p) = window().performance() {
                let _ = p.mark("palette:painted");
            }
        });
    });

    let choose = move |i: usize| {
        let Some(h) = hits.with_untracked(|h| h.get(i).cloned()) else {
            return;
        };
        let Some(entry) =
            matcher.with_untracked(|m| m.as_ref().and_then(|m| m.entries().get(h.index).cloned()))
        else {
            return;
        };
        recent_items.remember(&entry.label);
        fleet.palette_open.set(false);
        let url = match &entry.target {
            Target::Endpoint(n) => Some(links::endpoint(n, Tab::Overview)),
            Target::Tab { endpoint, tab } => Tab::ALL
                .iter()
                .find(|t| t.segment() == tab)
                .map(|t| links::endpoint(endpoint, *t)),
            Target::Action(id) if id == "go:list" => Some(links::home()),
            Target::Action(id) if id == "go:idle" => Some(links::idle()),
            Target::Action(id) => {
                fleet.pending_action.set(Some(id.clone()));
                None
            }
        };
        if let Some(url) = url {
            navigate(&url, links::nav_options());
        }
    };
    let choose_key = choose.clone();
    let on_keydown = move |ev: web_sys::KeyboardEvent| {
        let n = hits.with_untracked(Vec::len);
        match ev.key().as_str() {
            "ArrowDown" if n > 0 => {
                ev.prevent_default();
                active.update(|a| *a = (*a + 1) % n);
            }
            "ArrowUp" if n > 0 => {
                ev.prevent_default();
                active.update(|a| *a = (*a + n - 1) % n);
            }
            "Enter" => {
                ev.prevent_default();
                choose_key(active.get_untracked());
            }
            _ => {}
        }
    };

    // The options are rebuilt per keystroke only; moving the active one updates two attributes.
    let options = move || {
        let entries = matcher.get();
        hits.get()
            .into_iter()
            .enumerate()
            .filter_map(|(i, h)| {
                let entry = entries.as_ref()?.entries().get(h.index)?.clone();
                let choose = choose.clone();
                let parts = runs(&entry.label, &h.positions);
                let kind = match entry.target {
                    Target::Endpoint(_) => "Endpoint",
                    Target::Tab { .. } => "Tab",
                    Target::Action(_) => "Action",
                };
                Some(view! {
                    <li role="option" id=format!("palette-opt-{i}") class="palette__option"
                        aria-selected=move || if active.get() == i { "true" } else { "false" }
                        on:mousedown=|ev| ev.prevent_default()
                        on:click=move |_| choose(i)>
                        <span class="palette__label">
                            {parts.into_iter().map(|(t, m)| if m { view! { <mark>{t}</mark> }.into_any() } else { t.into_any() }).collect_view()}
                        </span>
                        <span class="palette__kind">{kind}</span>
                    </li>
                })
            })
            .collect_view()
    };

    view! {
        <input id="palette-input" class="input palette__input" type="text" role="combobox"
            aria-label="Endpoint, tab or action" aria-autocomplete="list" aria-expanded="true"
            aria-controls="palette-list" autocomplete="off" spellcheck="false"
            aria-activedescendant=move || (!hits.with(Vec::is_empty)).then(|| format!("palette-opt-{}", active.get()))
            prop:value=move || query.get()
            on:input=move |ev| query.set(event_target_value(&ev))
            on:keydown=on_keydown/>
        <p class="palette__status" role="status" data-testid="palette-status">
            {move || match (failed.get(), matcher.with(Option::is_some)) {
                (Some(e), _) => e,
                (None, false) => "Loading endpoints…".to_string(),
                (None, true) => {
                    let n = hits.with(Vec::len);
                    if n == 0 { "No match.".to_string() } else { format!("{n} shown. Up and Down to move, Enter to go.") }
                }
            }}
        </p>
        <ul id="palette-list" role="listbox" class="palette__list" aria-label="Matches">
            {options}
        </ul>
    }
}

#[cfg(test)]
mod tests {
    use super::runs;

    #[test]
    fn highlight_runs_follow_the_positions() {
        assert_eq!(
            runs("ab-cd", &[0, 1, 4]),
            vec![
                ("ab".to_string(), true),
                ("-c".to_string(), false),
                ("d".to_string(), true)
            ]
        );
        assert_eq!(runs("x", &[]), vec![("x".to_string(), false)]);
    }
}
