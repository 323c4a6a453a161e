//! The schema tree (virtualised WAI-ARIA tree view) and the details of its selected row.

use super::*;

/// A tree and the details of its selected row.
#[component]
#[allow(clippy::too_many_arguments)]
pub(super) fn TreeWithDetails(
    spec: Arc<Spec>,
    id: String,
    label: String,
    root_path: String,
    root: NodeId,
    expanded: RwSignal<HashSet<String>>,
    selected: RwSignal<Option<String>>,
    focus_req: RwSignal<u64>,
    focus_done: StoredValue<u64>,
    reveal: Callback<String>,
    name: String,
    op_path: String,
    variant_label: Option<String>,
) -> impl IntoView {
    let flat_spec = spec.clone();
    let flat_root = root_path.clone();
    let rows =
        Memo::new(move |_| expanded.with(|e| flat_spec.flatten(&flat_root, root, e, MAX_ROWS)));
    let all_spec = spec.clone();
    let all_root = root_path.clone();
    let expand_all = move |_| {
        let open = all_spec.expand_all(&all_root, root, EXPAND_ALL_ROWS);
        expanded.update(|e| e.extend(open));
    };
    let col_root = root_path.clone();
    let collapse_all = move |_| {
        let prefix = format!("{col_root}/");
        expanded.update(|e| e.retain(|p| !p.starts_with(&prefix)));
    };
    let count = move || rows.with(|r| r.len());
    let detail_row = Memo::new(move |_| {
        let sel = selected.get()?;
        rows.with(|r| r.iter().find(|x| x.path == sel).cloned())
    });
    let tree_id = id.clone();
    view! {
        <div class="schema-tree-wrap">
            <div class="schema-toolbar">
                <button type="button" class="button button--ghost" on:click=expand_all>"Expand all"</button>
                <button type="button" class="button button--ghost" on:click=collapse_all>"Collapse all"</button>
                <span class="muted" data-testid="schema-row-count">{move || match count() {
                    0 => "No properties.".to_string(),
                    1 => "1 row".to_string(),
                    n => format!("{n} rows"),
                }}</span>
            </div>
            <div class="schema-tree-grid">
                <SchemaTree id=tree_id label=label rows=rows root_path=root_path expanded=expanded selected=selected
                    focus_req=focus_req focus_done=focus_done reveal=reveal/>
                {move || detail_row.get().map(|r| view! {
                    <Details spec=spec.clone() row=r name=name.clone() op_path=op_path.clone() variant_label=variant_label.clone()/>
                })}
            </div>
        </div>
    }
}

/// The virtualised tree (WAI-ARIA tree view; only rows in view are in the DOM).
#[component]
fn SchemaTree(
    id: String,
    label: String,
    rows: Memo<Vec<Row>>,
    root_path: String,
    expanded: RwSignal<HashSet<String>>,
    selected: RwSignal<Option<String>>,
    focus_req: RwSignal<u64>,
    focus_done: StoredValue<u64>,
    reveal: Callback<String>,
) -> impl IntoView {
    let viewport = use_viewport(ROW_H * 16.0);
    let range = Memo::new(move |_| {
        let n = rows.with(|r| r.len());
        let (first, end) = visible_range(
            viewport.scroll_top.get(),
            viewport.height.get(),
            ROW_H,
            n,
            OVERSCAN,
        );
        (first, end, n)
    });
    let row_id = {
        let id = id.clone();
        move |path: &str| format!("{id}-{}", hash_id(path))
    };
    // Bring the selected row into view and focus it when asked to.
    let focus_row_id = row_id.clone();
    Effect::new(move |_| {
        let tick = focus_req.get();
        // Each request is handled once, even by a tree mounted after it was made.
        if tick <= focus_done.get_value() {
            return;
        }
        let Some(sel) = selected.get_untracked() else {
            return;
        };
        let Some(idx) = rows.with_untracked(|r| r.iter().position(|x| x.path == sel)) else {
            return;
        };
        focus_done.set_value(tick);
        if let Some(el) = viewport.node.get_untracked() {
            let top = idx as f64 * ROW_H;
            let h = viewport.height.get_untracked();
            let st = el.scroll_top() as f64;
            if top < st || top + ROW_H > st + h {
                viewport.scroll_to((top - h / 3.0).max(0.0));
            }
        }
        let target = focus_row_id(&sel);
        request_animation_frame(move || focus_id(&target));
    });
    let toggle = move |path: &str| {
        let p = path.to_string();
        expanded.update(|e| {
            if !e.remove(&p) {
                e.insert(p);
            }
        });
    };
    let root_for_cycle = root_path.clone();
    let go_cycle = move |to: String| {
        if to == root_for_cycle {
            // The cycle leads back to the tree's root: go to its first row.
            let first = rows.with_untracked(|r| r.first().map(|x| x.path.clone()));
            if let Some(f) = first {
                selected.set(Some(f));
                focus_req.update(|n| *n += 1);
            }
        } else {
            reveal.run(to);
        }
    };
    let go_cycle_k = go_cycle.clone();
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let key = ev.key();
        if !matches!(
            key.as_str(),
            "ArrowDown" | "ArrowUp" | "Home" | "End" | "ArrowRight" | "ArrowLeft" | "Enter" | " "
        ) {
            return;
        }
        ev.prevent_default();
        // The current row and what to do, read first; signals are changed afterwards.
        let Some((cur, len, row, parent)) = rows.with_untracked(|r| {
            if r.is_empty() {
                return None;
            }
            let cur = selected
                .get_untracked()
                .and_then(|p| r.iter().position(|x| x.path == p))
                .unwrap_or(0);
            let row = r[cur].clone();
            let parent = (0..cur).rev().find(|i| r[*i].depth + 1 == row.depth);
            Some((cur, r.len(), row, parent))
        }) else {
            return;
        };
        let moved = match key.as_str() {
            "ArrowDown" => Some((cur + 1).min(len - 1)),
            "ArrowUp" => Some(cur.saturating_sub(1)),
            "Home" => Some(0),
            "End" => Some(len - 1),
            "ArrowRight" if row.expandable && !row.expanded => {
                toggle(&row.path);
                Some(cur)
            }
            "ArrowRight" if row.expanded => Some((cur + 1).min(len - 1)),
            "ArrowLeft" if row.expanded => {
                toggle(&row.path);
                Some(cur)
            }
            "ArrowLeft" => parent.or(Some(cur)),
            "Enter" | " " => match row.cycle_to.clone() {
                Some(to) => {
                    go_cycle_k(to);
                    None
                }
                None => {
                    if row.expandable {
                        toggle(&row.path);
                    }
                    Some(cur)
                }
            },
            _ => None,
        };
        if let Some(i) = moved {
            if let Some(p) = rows.with_untracked(|r| r.get(i).map(|x| x.path.clone())) {
                selected.set(Some(p));
                focus_req.update(|n| *n += 1);
            }
        }
    };
    let tree_dom_id = id.clone();
    let visible = move || {
        let (a, b, _) = range.get();
        let sel = selected.get();
        let sel_in = rows.with(|r| sel.as_ref().is_some_and(|s| r.iter().any(|x| &x.path == s)));
        rows.with(|r| {
            r[a..b]
                .iter()
                .enumerate()
                .map(|(k, row)| {
                    let i = a + k;
                    let is_sel = sel.as_deref() == Some(row.path.as_str());
                    let tab = if is_sel || (!sel_in && i == 0) {
                        "0"
                    } else {
                        "-1"
                    };
                    let path = row.path.clone();
                    let cycle = row.cycle_to.clone();
                    let expandable = row.expandable;
                    let go = go_cycle.clone();
                    let on_click = move |_| {
                        selected.set(Some(path.clone()));
                        if let Some(to) = cycle.clone() {
                            go(to);
                        } else if expandable {
                            toggle(&path);
                        }
                    };
                    render_row(row, row_id(&row.path), tab, is_sel, on_click)
                })
                .collect_view()
        })
    };
    let pad_top = move || format!("{}px", range.get().0 as f64 * ROW_H);
    let pad_bottom = move || {
        let (_, b, n) = range.get();
        format!("{}px", (n - b) as f64 * ROW_H)
    };
    view! {
        <div class="schema-tree" node_ref=viewport.node role="tree" id=tree_dom_id aria-label=label
            data-testid="schema-tree" on:scroll=move |_| viewport.measure() on:keydown=on_key>
            <div class="schema-tree__inner" role="none" style:padding-top=pad_top style:padding-bottom=pad_bottom>
                {visible}
            </div>
        </div>
    }
}

fn render_row(
    row: &Row,
    dom_id: String,
    tabindex: &'static str,
    is_sel: bool,
    on_click: impl Fn(leptos::ev::MouseEvent) + 'static,
) -> impl IntoView {
    let i = &row.info;
    let twisty = match (row.expandable, row.expanded) {
        (true, true) => "▾",
        (true, false) => "▸",
        _ => "",
    };
    let mut extras: Vec<String> = Vec::new();
    if !i.enum_values.is_empty() {
        let shown: Vec<&str> = i.enum_values.iter().take(4).map(String::as_str).collect();
        let more = i.enum_count.saturating_sub(shown.len());
        extras.push(if more > 0 {
            format!("one of {} … (+{more})", api_text(&shown.join(", ")))
        } else {
            format!("one of {}", api_text(&shown.join(", ")))
        });
    }
    if let Some(d) = &i.default {
        extras.push(format!("default {}", api_text(d)));
    }
    if let Some(c) = &i.constant {
        extras.push(format!("= {}", api_text(c)));
    }
    extras.extend(i.constraints.iter().cloned());
    let desc = i
        .description
        .as_deref()
        .map(|d| d.lines().next().unwrap_or("").to_string())
        .filter(|d| !d.is_empty());
    view! {
        <div role="treeitem" id=dom_id class="tree-row" class:tree-row--selected=is_sel
            aria-setsize=row.size.to_string() aria-posinset=row.pos.to_string()
            aria-expanded=row.expandable.then_some(if row.expanded { "true" } else { "false" })
            aria-selected=if is_sel { "true" } else { "false" }
            tabindex=tabindex data-path=row.path.clone() data-testid="schema-row"
            style:padding-left=format!("{}rem", 0.25 + (row.depth.saturating_sub(1)) as f64 * 1.1)
            on:click=on_click>
            <span class="tree-row__twisty" aria-hidden="true">{twisty}</span>
            <span class="tree-row__name">{row.label.clone()}</span>" "
            {row.required.then(|| view! { <span class="tree-row__req">"required"</span>" " })}
            <span class="tree-row__type">{i.type_label.clone()}</span>" "
            {i.ref_name.clone().filter(|_| row.cycle_to.is_none() && i.ref_error.is_none()).map(|n| view! { <span class="tree-row__ref">{format!("→ {}", api_text(&n))}</span>" " })}
            {row.cycle_to.as_ref().map(|_| view! { <span class="tree-row__cycle" data-testid="schema-cycle">{format!("↻ cycle to {}", api_text(i.ref_name.as_deref().unwrap_or_default()))}</span>" " })}
            {i.ref_error.as_ref().map(|_| view! { <span class="tree-row__err">"unresolved $ref"</span>" " })}
            {(!i.flags.is_empty()).then(|| view! { <span class="tree-row__extra">{i.flags.join(", ")}</span>" " })}
            {(!extras.is_empty()).then(|| view! { <span class="tree-row__extra">{extras.join(" · ")}</span>" " })}
            {desc.map(|d| view! { <span class="tree-row__desc">{d}</span> })}
        </div>
    }
    // tachys has no typed `aria-level`.
    .attr("aria-level", row.depth.to_string())
}

/// Everything about the selected row, with a permalink.
#[component]
fn Details(
    spec: Arc<Spec>,
    row: Row,
    name: String,
    op_path: String,
    variant_label: Option<String>,
) -> impl IntoView {
    let i = row.info.clone();
    let link = schema_href(&name, &op_path, variant_label.as_deref(), Some(&row.path));
    let examples: Vec<String> = spec
        .examples(row.node)
        .into_iter()
        .take(3)
        .map(|e| {
            let t = spec.doc.to_json(e, true);
            if t.len() > 20_000 {
                format!("{}…", t.chars().take(20_000).collect::<String>())
            } else {
                t
            }
        })
        .collect();
    let fact = |label: &'static str, value: Option<String>| {
        value.map(|v| view! { <dt>{label}</dt><dd class="break">{v}</dd> })
    };
    let enum_text = (!i.enum_values.is_empty()).then(|| {
        let more = i.enum_count.saturating_sub(i.enum_values.len());
        let mut t = api_text(&i.enum_values.join(", ")).into_owned();
        if more > 0 {
            t.push_str(&format!(" … and {more} more"));
        }
        t
    });
    view! {
        <aside class="schema-details" aria-label="Details of the selected node" data-testid="schema-details">
            <h4 class="schema-details__title">{row.label.clone()}</h4>
            <dl class="facts">
                {fact("Type", Some(i.type_label.clone()))}
                {fact("Required", row.required.then(|| "yes".to_string()))}
                {fact("Defined as", i.ref_name.clone())}
                {fact("Problem", i.ref_error.clone())}
                {fact("Cycle", row.cycle_to.as_ref().map(|_| "refers back to an enclosing schema; not expanded again".to_string()))}
                {fact("Title", i.title.clone())}
                {fact("Values", enum_text)}
                {fact("Default", i.default.clone())}
                {fact("Constant", i.constant.clone())}
                {fact("Constraints", (!i.constraints.is_empty()).then(|| i.constraints.join(" · ")))}
                {fact("Flags", (!i.flags.is_empty()).then(|| i.flags.join(", ")))}
            </dl>
            {i.description.clone().map(|d| view! { <p class="schema-details__desc" data-testid="schema-description">{d}</p> })}
            {examples.into_iter().map(|e| view! { <p class="muted">"Example"</p><pre class="schema-pre" tabindex="0" role="region" aria-label="Example value">{e}</pre> }).collect_view()}
            <p><a href=link data-testid="schema-permalink">"Link to this node"</a></p>
        </aside>
    }
}
